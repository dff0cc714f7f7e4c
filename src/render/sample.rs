//! The pages `check` renders: one per shape of entry, not every page.

use std::collections::HashMap;

use rayon::prelude::*;
use serde::Serialize;

use crate::model::*;
use crate::pages::{AreaLayout, Job, Output, PageKind};

use super::SiteIndex;
use super::values::*;

// ---- Checking templates without rendering every page ----

/// The pages `check` renders to find template errors: enough that every
/// template meets every *shape* of entry a build would give it, not every
/// entry. Tera fails on what a value is (absent, null, an empty list, a
/// string where a map was expected), not on which words it holds, so one
/// page per shape finds the errors a full render would. On a national guide
/// that is a few hundred pages instead of 40,000. `build` still renders
/// every page and fails without touching the output if one fails.
pub fn check_sample(site: &Site, index: &SiteIndex, jobs: &[Job]) -> Vec<Job> {
    let builder = ValueBuilder::new(site, index, Default::default());
    // The first area each service, pathway and story appears in.
    let first_area = |count: usize, members: &dyn Fn(&AreaLayout) -> &[usize]| {
        let mut home = vec![0; count];
        let mut found = vec![false; count];
        for (a, ai) in index.layout.areas.iter().enumerate() {
            for &i in members(ai) {
                if !found[i] {
                    found[i] = true;
                    home[i] = a;
                }
            }
        }
        home
    };
    let service_home = first_area(site.services.len(), &|ai| &ai.services);
    let pathway_home = first_area(site.pathways.len(), &|ai| &ai.pathways);
    let story_home = first_area(site.case_studies.len(), &|ai| &ai.stories);
    // Shapes as small numbers: an area's page has a hundred services, and
    // comparing their shapes as strings cost more than rendering the sample.
    let mut ids: HashMap<String, u64> = HashMap::new();
    let mut intern = |shapes: Vec<String>, category: u64| -> Vec<u64> {
        shapes
            .into_iter()
            .map(|shape| {
                let next = ids.len() as u64;
                (category << 32) | *ids.entry(shape).or_insert(next)
            })
            .collect()
    };
    // A body is told apart only by being empty or not: the shape is taken
    // without it (copying every body cost more than the rest), and the body's
    // emptiness added.
    let service_shape = intern(
        (0..site.services.len())
            .into_par_iter()
            .map(|s| {
                let mut shape = shape_of(&builder.service(service_home[s], s));
                shape.push(if site.services[s].body.html.is_empty() {
                    'e'
                } else {
                    's'
                });
                shape
            })
            .collect(),
        1,
    );
    let pathway_shape = intern(
        (0..site.pathways.len())
            .into_par_iter()
            .map(|p| shape_of(&builder.pathway(pathway_home[p], p, LinksFrom::Root)))
            .collect(),
        2,
    );
    let story_shape = intern(
        (0..site.case_studies.len())
            .into_par_iter()
            .map(|c| shape_of(&builder.story(story_home[c], c, false)))
            .collect(),
        3,
    );
    // How many of something a page has: none, one, or more.
    let count = |what: u64, len: usize| (4 << 32) | (what << 8) | len.min(2) as u64;
    // A page is rendered when it brings its template a feature not yet seen.
    let mut seen: std::collections::HashSet<(&'static str, u64)> = Default::default();
    let mut sample = Vec::new();
    for (position, job) in jobs.iter().enumerate() {
        // Data files are not templates.
        let Output::Page(page) = job.kind else {
            continue;
        };
        let template = job.kind.label();
        let features: Vec<u64> = match page {
            PageKind::Service { service, .. } => vec![service_shape[service.0]],
            PageKind::Pathway { pathway, .. } => vec![pathway_shape[pathway.0]],
            PageKind::Story { story, .. } => vec![story_shape[story.0]],
            PageKind::Need { area, need } => {
                let list = &index.layout.area(area).by_need[need.0];
                let mut f: Vec<u64> = list.iter().map(|&s| service_shape[s]).collect();
                f.push(count(0, list.len()));
                f
            }
            PageKind::Area(a) | PageKind::Print(a) | PageKind::Contacts(a) => {
                let ai = index.layout.area(a);
                let mut f: Vec<u64> = ai.services.iter().map(|&s| service_shape[s]).collect();
                f.extend(ai.pathways.iter().map(|&p| pathway_shape[p]));
                f.extend(ai.stories.iter().map(|&c| story_shape[c]));
                let local = ai.services.len() - ai.helplines.len();
                f.push(count(1, ai.helplines.len()));
                f.push(count(2, local));
                f.push(count(3, ai.pathways.len()));
                f.push(count(4, ai.stories.len()));
                f.extend((0..site.needs.len()).map(|n| count(5, ai.by_need[n].len())));
                f
            }
            // The front page and free pages are few.
            PageKind::Index | PageKind::Page(_) | PageKind::Glossary => {
                vec![(5 << 32) | position as u64]
            }
        };
        let mut new = false;
        for feature in features {
            new |= seen.insert((template, feature));
        }
        if new {
            sample.push(job.clone());
        }
    }
    sample
}

/// What a template can tell apart in a value: its kind, whether a string is
/// empty, a list's length up to "more than two", each element's and each key's shape.
fn shape_of(view: &impl Serialize) -> String {
    pub(super) fn walk(value: &serde_json::Value, out: &mut String) {
        use serde_json::Value;
        match value {
            Value::Null => out.push('n'),
            Value::Bool(b) => out.push(if *b { 't' } else { 'f' }),
            Value::Number(_) => out.push('#'),
            Value::String(s) => out.push(if s.is_empty() { 'e' } else { 's' }),
            Value::Array(items) => {
                out.push_str(["[0", "[1", "[2"].get(items.len()).copied().unwrap_or("[3"));
                let mut kinds: Vec<String> = items
                    .iter()
                    .map(|item| {
                        let mut k = String::new();
                        walk(item, &mut k);
                        k
                    })
                    .collect();
                kinds.sort();
                kinds.dedup();
                for k in kinds {
                    out.push_str(&k);
                }
                out.push(']');
            }
            Value::Object(map) => {
                out.push('{');
                for (key, v) in map {
                    out.push_str(key);
                    out.push(':');
                    walk(v, out);
                    out.push(',');
                }
                out.push('}');
            }
        }
    }
    let mut out = String::new();
    walk(&serde_json::to_value(view).unwrap_or_default(), &mut out);
    out
}
