//! Checks that need the whole site: references between files, pathway graphs,
//! stale reviews. Turns the loaded parts into a `Site` when nothing is wrong.

use std::collections::{HashMap, HashSet};

use time::Date;

use crate::diagnostics::{Diagnostics, suggestion};
use crate::fields::Spanned;
use crate::load::{Kind, LoadOptions, Parts};
use crate::model::*;

/// In the sets of unreadable slugs, the one that stands for a whole folder
/// that could not be read.
const WHOLE_FOLDER: &str = "";

/// Validates the loaded parts. Returns the site when it has no errors (warnings are
/// allowed); every problem is in `diags` either way.
pub fn assemble(parts: Parts, options: &LoadOptions, diags: &mut Diagnostics) -> Option<Site> {
    let Parts {
        mut config,
        needs,
        glossary,
        mut areas,
        services,
        pathways,
        case_studies,
        pages,
        unreadable,
        texts: _,
        translations: _,
    } = parts;
    let unreadable_of = |kind: Kind| -> HashSet<String> {
        unreadable
            .iter()
            .filter(|(k, _)| *k == kind)
            .map(|(_, slug)| slug.clone())
            .collect()
    };
    let broken_config = !unreadable_of(Kind::SiteConfig).is_empty();
    let broken_needs = !unreadable_of(Kind::Needs).is_empty();
    if config.is_none() && !broken_config {
        diags.error(
            "content/site.yaml",
            None,
            "missing: every site needs content/site.yaml with at least `title` and `publisher`",
        );
    }
    if needs.is_none() && !broken_needs {
        diags.error(
            "content/needs.yaml",
            None,
            "missing: every site needs content/needs.yaml, the list of needs services meet",
        );
    }
    if areas.is_empty() && unreadable_of(Kind::Area).is_empty() {
        diags.error("content/areas", None, "the site has no areas: add one file per local authority area, such as content/areas/essex.yaml");
    }
    let needs = needs.unwrap_or_default();

    // Drafts are left out before references are checked, so that a published page
    // never links to a page that was not built. They are checked all the same,
    // below, with their problems as warnings.
    let (services, draft_services) = left_out(services, options, |s| s.draft);
    let (mut pathways, draft_pathways) = left_out(pathways, options, |p| p.draft);
    let (mut case_studies, draft_stories) = left_out(case_studies, options, |c| c.draft);
    let (pages, draft_pages) = left_out(pages, options, |p| p.draft);
    let slugs = |list: &mut dyn Iterator<Item = &str>| list.map(str::to_owned).collect();
    let withdrawn = Withdrawn {
        services: slugs(&mut draft_services.iter().map(|s| s.slug.as_str())),
        pathways: slugs(&mut draft_pathways.iter().map(|p| p.slug.as_str())),
        // A story that could not be read is one whose consent was withdrawn
        // once the site has no errors (any other cause is an error).
        stories: slugs(
            &mut draft_stories.iter().map(|c| c.slug.as_str()).chain(
                unreadable
                    .iter()
                    .filter(|(k, _)| *k == Kind::CaseStudy)
                    .map(|(_, s)| s.as_str()),
            ),
        ),
        pages: slugs(&mut draft_pages.iter().map(|p| p.slug.as_str())),
    };
    let drafts: HashSet<String> = draft_services.iter().map(|s| s.slug.clone()).collect();
    unlink_drafts(diags, &drafts, &mut pathways, &mut case_studies);
    if !unreadable_of(Kind::Service).contains(WHOLE_FOLDER) {
        check_urgent_help(
            diags,
            &drafts,
            &services,
            &unreadable_of(Kind::Service),
            config.as_mut(),
            &mut areas,
        );
    }

    let refs = References {
        needs: needs.iter().map(|n| n.slug.as_str()).collect(),
        areas: areas.iter().map(|a| a.slug.as_str()).collect(),
        services: services.iter().map(|s| (s.slug.as_str(), s)).collect(),
        drafts: &drafts,
        needs_known: !broken_needs,
        broken_areas: unreadable_of(Kind::Area),
        broken_services: unreadable_of(Kind::Service),
    };

    for service in &services {
        let file = &service.file;
        if let Coverage::Areas(list) = &service.coverage {
            refs.check_areas(diags, file, list);
        }
        refs.check_needs(diags, file, &service.needs);
        if let Some(config) = &config {
            check_review_date(diags, service, config.review_after_months, options.today);
        }
    }
    for pathway in &pathways {
        check_pathway(diags, &refs, pathway);
    }
    // The drafts left out, checked as if published, their problems warnings.
    let mut found = Diagnostics::new();
    for service in &draft_services {
        if let Coverage::Areas(list) = &service.coverage {
            refs.check_areas(&mut found, &service.file, list);
        }
        refs.check_needs(&mut found, &service.file, &service.needs);
    }
    for pathway in &draft_pathways {
        check_pathway(&mut found, &refs, pathway);
    }
    for story in &draft_stories {
        check_story(&mut found, &refs, story);
    }
    diags.extend(found.into_warnings());
    for story in &case_studies {
        check_story(diags, &refs, story);
    }
    let editing = config.as_ref().is_some_and(|c| c.editing.is_some());
    check_output_paths(diags, &areas, &pages, editing, !glossary.is_empty());
    if config.as_ref().is_some_and(|c| c.base_url.is_none()) {
        diags.warning(
            "content/site.yaml",
            None,
            "no `base_url`: sitemap.xml and feed.xml are not written, and the open data cannot link services without a website to their pages. Set `base_url` in site.yaml to the web address the guide is published at, such as https://www.example.gov.uk/women/: search engines find the guide's pages through the sitemap, and the feed and the open data need full addresses to point back to them",
        );
    }
    if !pages.iter().any(|p| p.slug == COVER_YOUR_TRACKS) {
        diags.warning(
            &format!("content/pages/{COVER_YOUR_TRACKS}.md"),
            None,
            "missing: every page links to \"Cover your tracks online\" for women whose browser may be checked; add this page",
        );
    }
    if !pages.iter().any(|p| p.slug == ACCESSIBILITY_STATEMENT) {
        diags.warning(
            &format!("content/pages/{ACCESSIBILITY_STATEMENT}.md"),
            None,
            "missing: a public sector body's website must publish an accessibility statement (regulation 8 of the Public Sector Bodies (Websites and Mobile Applications) (No. 2) Accessibility Regulations 2018); add this page (`signpost init` writes one to start from)",
        );
    }
    let served: HashSet<&str> = services
        .iter()
        .flat_map(|s| match &s.coverage {
            Coverage::National => Vec::new(),
            Coverage::Areas(list) => list.iter().map(|a| a.value.as_str()).collect(),
        })
        .collect();
    let services_folder_unreadable = refs.broken_services.contains(WHOLE_FOLDER);
    let any_national = services.iter().any(|s| s.coverage == Coverage::National);
    for area in &areas {
        if !any_national && !served.contains(area.slug.as_str()) && !services_folder_unreadable {
            diags.warning(
                &area.file,
                None,
                format!("no service serves the area `{}` yet", area.slug),
            );
        }
    }

    if diags.has_errors() {
        return None;
    }
    let mut site = Site {
        config: config?,
        needs,
        areas,
        services,
        pathways,
        case_studies,
        pages,
        glossary: crate::glossary::Glossary::new(glossary),
        lookup: Default::default(),
        withdrawn,
        untranslated: None,
        translations: Vec::new(),
    };
    site.sort_entries();
    Some(site)
}

/// The entries of one kind to publish, and the drafts left out of it (none
/// with `--drafts`, which publishes them for a preview).
fn left_out<T>(
    entries: Vec<T>,
    options: &LoadOptions,
    draft: impl Fn(&T) -> bool,
) -> (Vec<T>, Vec<T>) {
    // A site of 12,000 services with no draft keeps its list where it is.
    if options.drafts || !entries.iter().any(&draft) {
        (entries, Vec::new())
    } else {
        entries.into_iter().partition(|e| !draft(e))
    }
}

fn check_story(diags: &mut Diagnostics, refs: &References, story: &CaseStudy) {
    refs.check_areas(diags, &story.file, &story.areas);
    refs.check_needs(diags, &story.file, &story.needs);
    for slug in &story.services {
        refs.check_service(diags, &story.file, slug);
    }
}

/// "Talk to someone now" names services by slug, in `site.yaml` and on areas.
/// Each must be a published service with a number to call or text; the
/// site's must be national (they show on pages outside any area), an area's
/// must serve it. A draft is dropped with a warning, as a draft is from
/// pathways and stories: taking a helpline down is one edit that builds.
fn check_urgent_help(
    diags: &mut Diagnostics,
    drafts: &HashSet<String>,
    services: &[Service],
    broken: &HashSet<String>,
    config: Option<&mut SiteConfig>,
    areas: &mut [Area],
) {
    let by_slug: HashMap<&str, &Service> = services.iter().map(|s| (s.slug.as_str(), s)).collect();
    let mut check = |file: &str, area: Option<(&str, &str)>, list: &mut Vec<Spanned<String>>| {
        list.retain(|slug| {
            let Some(service) = by_slug.get(slug.value.as_str()) else {
                if drafts.contains(&slug.value) {
                    diags.warning(
                        file,
                        Some(slug.pos),
                        format!(
                            "the service \"{}\" is a draft, so \"Talk to someone now\" leaves it out; publish it again, or remove it here",
                            slug.value
                        ),
                    );
                } else if !broken.contains(&slug.value) {
                    let hint = suggestion(&slug.value, by_slug.keys().copied());
                    diags.error(
                        file,
                        Some(slug.pos),
                        format!("unknown service \"{}\" in `urgent_help`{hint}", slug.value),
                    );
                }
                return false;
            };
            if !service.can_be_called() {
                diags.error(
                    file,
                    Some(slug.pos),
                    format!(
                        "`urgent_help` shows numbers to call or text, and \"{}\" has no `contact: phone` or `contact: text`",
                        slug.value
                    ),
                );
            }
            match area {
                None if service.coverage != Coverage::National => diags.error(
                    file,
                    Some(slug.pos),
                    format!(
                        "the site's `urgent_help` shows on every page, so it names national services (`areas: all`); \"{}\" is local: name it in `urgent_help` in the files of the areas it serves",
                        slug.value
                    ),
                ),
                Some((area_slug, area_name)) if !service.coverage.serves(area_slug) => diags.error(
                    file,
                    Some(slug.pos),
                    format!("\"{}\" does not serve {area_name}, so it cannot be in its `urgent_help`", slug.value),
                ),
                _ => {}
            }
            true
        });
    };
    if let Some(config) = config {
        check("content/site.yaml", None, &mut config.urgent_help);
    }
    for area in areas {
        if let Some(list) = area.urgent_help.as_mut() {
            check(&area.file, Some((&area.slug, &area.name)), list);
        }
    }
}

/// Taking a service down is one edit that builds: `draft: true` on a refuge
/// that pathways and stories link to removes it and those links, with a
/// warning at each link, instead of an error that would keep it online.
fn unlink_drafts(
    diags: &mut Diagnostics,
    drafts: &HashSet<String>,
    pathways: &mut [Pathway],
    stories: &mut [CaseStudy],
) {
    if drafts.is_empty() {
        return;
    }
    let mut unlink = |file: &str, services: &mut Vec<Spanned<String>>, from: &str| {
        services.retain(|slug| {
            let draft = drafts.contains(&slug.value);
            if draft {
                diags.warning(
                    file,
                    Some(slug.pos),
                    format!(
                        "the service \"{}\" is a draft, so {from} no longer links to it; publish it again, or remove it here",
                        slug.value
                    ),
                );
            }
            !draft
        });
    };
    for pathway in pathways {
        for step in &mut pathway.steps {
            unlink(&pathway.file, &mut step.services, "this step");
        }
    }
    for story in stories {
        unlink(&story.file, &mut story.services, "this story");
    }
}

/// Top-level output folders the build itself writes: a free page or an area
/// with one of these names would be overwritten by, or overwrite, the theme's
/// files or the site's own data.
pub const RESERVED_FOLDERS: &[(&str, &str)] = &[
    (crate::urls::STATIC_FOLDER, "the theme's files"),
    (
        crate::urls::OPENREFERRAL_FOLDER,
        "the Open Referral UK feed",
    ),
];

/// Every output path has one owner: an area's guide and a free page are both
/// published at `output/<slug>/`, and `static/` is the theme's. A clash is an
/// error at every file involved; before, the free page silently replaced the
/// area's guide (and over a previous output, the commit lost the page).
fn check_output_paths(
    diags: &mut Diagnostics,
    areas: &[Area],
    pages: &[Page],
    editing: bool,
    glossary: bool,
) {
    let mut owners: HashMap<&str, Vec<(&str, String)>> = HashMap::new();
    for area in areas {
        owners
            .entry(&area.slug)
            .or_default()
            .push((&area.file, format!("the guide for the area {}", area.name)));
    }
    for page in pages {
        owners
            .entry(&page.slug)
            .or_default()
            .push((&page.file, format!("the page \"{}\"", page.title)));
    }
    for (slug, claims) in &owners {
        // The glossary's page is published only when the site has a
        // glossary, and `admin/` is the browser editor's while it has one.
        let glossary_page = (glossary && *slug == crate::urls::GLOSSARY_FOLDER).then_some(&(
            crate::urls::GLOSSARY_FOLDER,
            "the glossary page (content/glossary.yaml)",
        ));
        let admin = (editing && *slug == crate::urls::ADMIN_FOLDER).then_some(&(
            crate::urls::ADMIN_FOLDER,
            "the browser editor (`editing:` in site.yaml)",
        ));
        let reserved = RESERVED_FOLDERS
            .iter()
            .find(|(name, _)| name == slug)
            .or(glossary_page)
            .or(admin);
        if claims.len() < 2 && reserved.is_none() {
            continue;
        }
        for (file, _) in claims {
            let others: Vec<String> = claims
                .iter()
                .filter(|(f, _)| f != file)
                .map(|(f, what)| format!("{what} ({f})"))
                .chain(reserved.map(|(_, what)| what.to_string()))
                .collect();
            diags.error(
                file,
                None,
                format!(
                    "this would be published at {slug}/, which also belongs to {}; rename one of the files",
                    others.join(" and ")
                ),
            );
        }
    }
}

struct References<'a> {
    needs: HashSet<&'a str>,
    areas: HashSet<&'a str>,
    services: HashMap<&'a str, &'a Service>,
    drafts: &'a HashSet<String>,
    /// False when needs.yaml could not be read: every need would look unknown.
    needs_known: bool,
    broken_areas: HashSet<String>,
    broken_services: HashSet<String>,
}

impl References<'_> {
    fn check_areas(&self, diags: &mut Diagnostics, file: &str, list: &[Spanned<String>]) {
        for area in list {
            if !self.areas.contains(area.value.as_str())
                && !self.broken_areas.contains(&area.value)
                && !self.broken_areas.contains(WHOLE_FOLDER)
            {
                let hint = suggestion(&area.value, self.areas.iter().copied());
                diags.error(
                    file,
                    Some(area.pos),
                    format!("unknown area \"{}\"{hint}", area.value),
                );
            }
        }
    }

    fn check_needs(&self, diags: &mut Diagnostics, file: &str, list: &[Spanned<String>]) {
        for need in list {
            if self.needs_known && !self.needs.contains(need.value.as_str()) {
                let hint = suggestion(&need.value, self.needs.iter().copied());
                diags.error(
                    file,
                    Some(need.pos),
                    format!("unknown need \"{}\"{hint}", need.value),
                );
            }
        }
    }

    fn check_service(
        &self,
        diags: &mut Diagnostics,
        file: &str,
        slug: &Spanned<String>,
    ) -> Option<&Service> {
        if let Some(service) = self.services.get(slug.value.as_str()) {
            return Some(service);
        }
        if self.broken_services.contains(&slug.value) || self.broken_services.contains(WHOLE_FOLDER)
        {
            return None;
        }
        let message = if self.drafts.contains(&slug.value) {
            format!(
                "the service \"{}\" is a draft, so it is left out of the published guide: publish it, or remove it here (preview with --drafts)",
                slug.value
            )
        } else {
            let hint = suggestion(&slug.value, self.services.keys().copied());
            format!("unknown service \"{}\"{hint}", slug.value)
        };
        diags.error(file, Some(slug.pos), message);
        None
    }
}

/// Warns when a service's review is older than the site allows, or in the future.
fn check_review_date(diags: &mut Diagnostics, service: &Service, months: u32, today: Date) {
    let reviewed = service.last_reviewed;
    if reviewed == UNREADABLE_DATE {
        return;
    }
    if reviewed > today {
        diags.warning(
            &service.file,
            Some(service.last_reviewed_pos),
            format!("`last_reviewed` ({reviewed}) is in the future"),
        );
    } else if is_stale(reviewed, months, today) {
        diags.warning(
            &service.file,
            Some(service.last_reviewed_pos),
            format!("last reviewed on {reviewed}, more than {months} months ago: check the entry with the service and update `last_reviewed`"),
        );
    }
}

/// True when `reviewed` is more than `months` months before `today`.
pub fn is_stale(reviewed: Date, months: u32, today: Date) -> bool {
    reviewed < months_before(today, months)
}

fn months_before(date: Date, months: u32) -> Date {
    let total = date.year() * 12 + i32::from(u8::from(date.month())) - 1 - months as i32;
    let (year, month0) = (total.div_euclid(12), total.rem_euclid(12));
    let month = time::Month::try_from(month0 as u8 + 1).unwrap_or(time::Month::January);
    let day = date.day().min(time::util::days_in_month(month, year));
    Date::from_calendar_date(year, month, day).unwrap_or(date)
}

/// Past these, a pathway is more than a reader can follow, and because every
/// area's guide has its own copy of each pathway page, with every step's
/// services written out, its pages grow with steps x services x areas: a dense
/// 800 KB pathway once made 416 MB of pages.
pub const DENSE_PATHWAY_STEPS: usize = 40;
pub const DENSE_PATHWAY_LINKS: usize = 400;

fn warn_if_dense(diags: &mut Diagnostics, pathway: &Pathway) {
    let steps = pathway.steps.len();
    let links: usize = pathway
        .steps
        .iter()
        .enumerate()
        .map(|(i, step)| step.services.len() + pathway.next_of(i).len())
        .sum();
    if steps > DENSE_PATHWAY_STEPS || links > DENSE_PATHWAY_LINKS {
        diags.warning(
            &pathway.file,
            None,
            format!(
                "this pathway has {steps} steps and {links} links to services and other steps (more than {DENSE_PATHWAY_STEPS} steps or {DENSE_PATHWAY_LINKS} links): it is hard to follow, and every area's copy of its pages is large; split it into shorter pathways"
            ),
        );
    }
}

fn check_pathway(diags: &mut Diagnostics, refs: &References, pathway: &Pathway) {
    let file = pathway.file.as_str();
    refs.check_needs(diags, file, &pathway.needs);
    if let PathwayArea::One(area) = &pathway.area {
        refs.check_areas(diags, file, std::slice::from_ref(area));
    }

    warn_if_dense(diags, pathway);

    // Step ids: unique, and every `next` names one.
    let mut index: HashMap<&str, usize> = HashMap::new();
    for (i, step) in pathway.steps.iter().enumerate() {
        if index.insert(step.id.value.as_str(), i).is_some() {
            diags.error(
                file,
                Some(step.id.pos),
                format!(
                    "two steps have the id \"{}\"; each step needs its own",
                    step.id.value
                ),
            );
        }
    }
    let ids: Vec<&str> = pathway.steps.iter().map(|s| s.id.value.as_str()).collect();
    let mut edges: Vec<Vec<(usize, &Spanned<String>)>> = vec![Vec::new(); pathway.steps.len()];
    for (i, step) in pathway.steps.iter().enumerate() {
        for target in pathway.next_of(i) {
            match index.get(target.value.as_str()) {
                Some(&j) => edges[i].push((j, target)),
                None => {
                    let hint = suggestion(&target.value, ids.iter().copied());
                    diags.error(
                        file,
                        Some(target.pos),
                        format!(
                            "`next` names a step \"{}\" that this pathway does not have{hint}",
                            target.value
                        ),
                    );
                }
            }
        }
        if i == 0 && step.when.is_some() {
            diags.warning(file, Some(step.id.pos), "`when` on the first step is never shown: it labels the branch that leads to a step");
        }
        for service in &step.services {
            check_step_service(diags, refs, pathway, service);
        }
    }

    if !pathway.steps.is_empty() {
        check_reachable(diags, pathway, &edges);
        check_acyclic(diags, pathway, &edges);
    }
}

/// A step's service must exist and serve the pathway's area; a pathway for every
/// area may only send women to national services.
fn check_step_service(
    diags: &mut Diagnostics,
    refs: &References,
    pathway: &Pathway,
    slug: &Spanned<String>,
) {
    let Some(service) = refs.check_service(diags, &pathway.file, slug) else {
        return;
    };
    // A service whose own areas are wrong is reported once, in its own file.
    if let Coverage::Areas(list) = &service.coverage
        && list.iter().any(|a| !refs.areas.contains(a.value.as_str()))
    {
        return;
    }
    match &pathway.area {
        PathwayArea::All if service.coverage != Coverage::National => diags.error(
            &pathway.file,
            Some(slug.pos),
            format!("this pathway is for every area, but the service \"{}\" is not national (`areas: all`)", slug.value),
        ),
        PathwayArea::One(area) if !service.coverage.serves(&area.value) => diags.error(
            &pathway.file,
            Some(slug.pos),
            format!("the service \"{}\" does not serve the area \"{}\" of this pathway", slug.value, area.value),
        ),
        _ => {}
    }
}

fn check_reachable(
    diags: &mut Diagnostics,
    pathway: &Pathway,
    edges: &[Vec<(usize, &Spanned<String>)>],
) {
    let mut seen = vec![false; pathway.steps.len()];
    let mut stack = vec![0];
    while let Some(i) = stack.pop() {
        if !std::mem::replace(&mut seen[i], true) {
            stack.extend(edges[i].iter().map(|(j, _)| *j));
        }
    }
    for (step, _) in pathway.steps.iter().zip(&seen).filter(|(_, seen)| !**seen) {
        diags.error(
            &pathway.file,
            Some(step.id.pos),
            format!(
                "the step \"{}\" cannot be reached from the first step: no `next` leads to it",
                step.id.value
            ),
        );
    }
}

/// Reports each cycle once, at the `next` that closes it, naming the whole loop.
fn check_acyclic(
    diags: &mut Diagnostics,
    pathway: &Pathway,
    edges: &[Vec<(usize, &Spanned<String>)>],
) {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        OnPath,
        Done,
    }
    let mut marks = vec![Mark::New; edges.len()];
    // Iterative depth-first search: (step, next edge to try), plus the current path.
    for start in 0..edges.len() {
        if marks[start] != Mark::New {
            continue;
        }
        let mut stack = vec![(start, 0usize)];
        marks[start] = Mark::OnPath;
        while let Some((node, edge)) = stack.last_mut() {
            let node = *node;
            if let Some(&(next, target)) = edges[node].get(*edge) {
                *edge += 1;
                match marks[next] {
                    Mark::New => {
                        marks[next] = Mark::OnPath;
                        stack.push((next, 0));
                    }
                    Mark::OnPath => {
                        let from = stack.iter().position(|(n, _)| *n == next).unwrap_or(0);
                        let mut names: Vec<&str> = stack[from..]
                            .iter()
                            .map(|(n, _)| pathway.steps[*n].id.value.as_str())
                            .collect();
                        names.push(&pathway.steps[next].id.value);
                        diags.error(
                            &pathway.file,
                            Some(target.pos),
                            format!("the steps go round in a circle ({}); a pathway must always lead onward", names.join(" → ")),
                        );
                    }
                    Mark::Done => {}
                }
            } else {
                marks[node] = Mark::Done;
                stack.pop();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> Date {
        crate::fields::parse_date(s).unwrap()
    }

    #[test]
    fn stale_after_the_set_number_of_months() {
        let today = date("2026-11-24");
        assert!(!is_stale(date("2025-11-24"), 12, today));
        assert!(is_stale(date("2025-11-23"), 12, today));
        assert!(!is_stale(date("2026-06-01"), 6, today));
        assert!(is_stale(date("2026-05-23"), 6, today));
        // Month ends clamp: 31 March minus one month is 28 February.
        assert_eq!(months_before(date("2026-03-31"), 1), date("2026-02-28"));
        assert_eq!(months_before(date("2026-01-15"), 13), date("2024-12-15"));
    }
}
