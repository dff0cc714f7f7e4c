//! What the pages of a build share and make once, and what the pages of one
//! area share while they render.

use std::sync::OnceLock;

use tera::Value;
use time::Date;

use crate::export;
use crate::model::*;
use crate::pages::{AreaIx, Job, Layout, PageKind};
use crate::search::StopWords;
use crate::words::Words;

use super::fragments::{Components, Fragment, FragmentKind};
use super::values::*;

/// A value kept in the `SiteIndex` for every page that shows it, or made for
/// one page (`SiteIndex::kept`).
pub(super) enum Kept<'a, T> {
    Kept(&'a T),
    Made(T),
}

impl<T> std::ops::Deref for Kept<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        match self {
            Kept::Kept(value) => value,
            Kept::Made(value) => value,
        }
    }
}

impl<T: Clone> Kept<'_, T> {
    pub(super) fn into_owned(self) -> T {
        match self {
            Kept::Kept(value) => value.clone(),
            Kept::Made(value) => value,
        }
    }
}

/// Which pages, services, pathways and stories belong to each area, worked out once.
pub struct SiteIndex {
    pub layout: Layout,
    /// Every page's path, in order, for the sitemap's parts.
    pub(super) page_paths: OnceLock<Vec<String>>,
    /// Each pathway's diagram, drawn once for every area that shows it, when
    /// first needed (`serve` renders only the pages that are opened).
    pub(super) diagrams: Vec<OnceLock<Value>>,
    /// Each pathway's introduction with its headings moved down, for print pages.
    pub(super) demoted_intros: Vec<OnceLock<Value>>,
    /// The words the search indexes leave out, in the site's language.
    pub(super) stop_words: OnceLock<StopWords>,
    /// Each service's entry in the search indexes, made once, when first needed.
    pub(super) search_entries: Vec<OnceLock<String>>,
    /// Each service's Open Referral record, made and serialised once, when
    /// first needed, for every file of open data that holds it.
    pub(super) records: Vec<OnceLock<crate::openreferral::Record>>,
    /// Each service's body with its headings moved down, for print pages, as
    /// a template value: Tera 2's values are reference-counted, so each print
    /// page that shows it shares it rather than copying it.
    pub(super) demoted_bodies: Vec<OnceLock<Value>>,
    /// Each service's entry on the print pages and summary list on its own
    /// pages (`fragments`), rendered when first needed and kept for the next
    /// area when the service is in several (`kept`).
    pub(super) print_entries: Vec<OnceLock<Fragment>>,
    pub(super) details: Vec<OnceLock<Fragment>>,
    /// Each service's card on need pages.
    pub(super) need_cards: Vec<OnceLock<Fragment>>,
    /// Each pathway's entry on the print pages and steps on its own pages.
    pub(super) pathway_entries: Vec<OnceLock<Fragment>>,
    pub(super) pathway_steps: Vec<OnceLock<Fragment>>,
    /// `site`, `pages` and `cover_your_tracks`, the same on every page.
    pub(super) common: OnceLock<Vec<(&'static str, Value)>>,
    /// Each service's JSON-LD, with a placeholder for its page's URL.
    pub(super) json_ld: Vec<OnceLock<export::WithUrlSlot>>,
    /// "Talk to someone now" per area, and for pages outside any area.
    pub(super) urgent_help: Vec<OnceLock<Value>>,
    pub(super) urgent_help_site: OnceLock<Value>,
    /// The same, rendered by the theme's `urgent_help_block` (`urgent_html`),
    /// and its `script_words` (`script_words_html`): parts of the layout that
    /// are the same on every page of an area, or of the site.
    pub(super) urgent_blocks: Vec<OnceLock<Fragment>>,
    pub(super) urgent_block_site: OnceLock<Fragment>,
    pub(super) script_words: OnceLock<Fragment>,
    /// Each area's QR code to its guide (with a `base_url`), drawn once for
    /// its print page, handout and printed footer.
    pub(super) qr_codes: Vec<OnceLock<Option<crate::print::QrDrawing>>>,
    /// Each service as a template value, as the first area to show it saw
    /// it (`ValueBuilder::made_service_value` sets the rest per area).
    pub(super) service_bases: Vec<OnceLock<tera::Map>>,
    /// Each area as templates see it (`area`), made once for all its pages.
    pub(super) area_views: Vec<OnceLock<Value>>,
    /// The theme's words in the site's language, as templates read them (`w`).
    pub(super) words: OnceLock<Value>,
    pub(super) today: Date,
    /// Whether each service is in more than one area's lists (`kept`).
    pub(super) shown_in_several_areas: Vec<bool>,
}

/// The diagram's words in the language of the page being rendered (the
/// theme's `diagram_*` words, as `Words::use_language` set them).
fn diagram_labels(language: &str) -> crate::diagram::Labels {
    let w = |key: &str| crate::words::word_with(key, &[]);
    crate::diagram::Labels {
        title: w("diagram_title"),
        step: w("diagram_step"),
        when_step: w("diagram_when_step"),
        route_ends: w("diagram_route_ends"),
        leads_to: w("diagram_leads_to"),
        or: w("diagram_or"),
        step_summary: w("diagram_step_summary"),
        rtl: crate::translate::is_right_to_left(language),
    }
}

impl SiteIndex {
    /// A pathway's diagram, drawn when first needed (`serve` renders only the
    /// pages that are opened) and shared by every area's pathway value.
    pub(super) fn diagram(&self, site: &Site, p: usize) -> &Value {
        self.diagrams[p].get_or_init(|| {
            let labels = diagram_labels(&site.config.language);
            Value::from(crate::diagram::pathway_svg(&site.pathways[p], &labels))
        })
    }

    /// Every page's path, planned once whichever sitemap part asks first.
    pub(super) fn page_paths(&self, site: &Site) -> Vec<&str> {
        self.page_paths
            .get_or_init(|| {
                crate::pages::plan(site, &self.layout)
                    .into_iter()
                    .filter(Job::is_page)
                    .map(|job| job.path)
                    .collect()
            })
            .iter()
            .map(String::as_str)
            .collect()
    }

    /// The QR code to area `a`'s guide at `address` (`print::guide_address`),
    /// drawn once; `None` for an address too long for any QR code.
    pub(super) fn qr_code(&self, a: usize, address: &str) -> Option<&crate::print::QrDrawing> {
        self.qr_codes[a]
            .get_or_init(|| crate::print::draw(address))
            .as_ref()
    }

    /// Area `a` as templates see it.
    pub(super) fn area_view(&self, site: &Site, a: usize) -> Value {
        self.area_views[a]
            .get_or_init(|| to_value(&AreaView::new(site, &site.areas[a])))
            .clone()
    }

    pub(super) fn record(&self, site: &Site, s: usize) -> &crate::openreferral::Record {
        self.records[s].get_or_init(|| crate::openreferral::Record::new(site, &site.services[s]))
    }

    /// `cell`'s value for service `s`: made once and kept when the service
    /// is in more than one area, and otherwise made for this use alone. A
    /// service in one area (a third of the national benchmark's) has each of
    /// these values used once, and keeping them to the end of the build only
    /// raised its peak memory, which a build pays for as fresh pages.
    pub(super) fn kept<'a, T>(
        &'a self,
        cell: &'a OnceLock<T>,
        s: usize,
        make: impl FnOnce() -> T,
    ) -> Kept<'a, T> {
        if self.shown_in_several_areas[s] {
            Kept::Kept(cell.get_or_init(make))
        } else {
            Kept::Made(make())
        }
    }

    pub(super) fn search_entry(&self, site: &Site, s: usize, words: &Words) -> Kept<'_, String> {
        self.kept(&self.search_entries[s], s, || {
            let stop = self.stop_words.get_or_init(|| {
                let lang = &site.config.language;
                match words.text(lang, &site.config.languages[0], "search_stop_words") {
                    Some(text) => StopWords::from_text(text),
                    None => StopWords::default(),
                }
            });
            crate::search::service_entry(site, &site.services[s], stop)
        })
    }

    /// The fragment of `kind` for service or pathway `item`, rendered from
    /// `value` (its value with links `LinksFrom::WithinArea`) the first time
    /// a page asks (a service's: each time, if only one area shows it).
    pub(super) fn fragment(
        &self,
        kind: FragmentKind,
        item: usize,
        components: &Components,
        value: impl FnOnce() -> Value,
    ) -> Kept<'_, Fragment> {
        let render = || components.render(kind, value());
        match kind {
            FragmentKind::PrintEntry => self.kept(&self.print_entries[item], item, render),
            FragmentKind::Details => self.kept(&self.details[item], item, render),
            FragmentKind::NeedCard => self.kept(&self.need_cards[item], item, render),
            FragmentKind::PathwayEntry => {
                Kept::Kept(self.pathway_entries[item].get_or_init(render))
            }
            FragmentKind::PathwaySteps => Kept::Kept(self.pathway_steps[item].get_or_init(render)),
        }
    }

    pub fn new(site: &Site, today: Date) -> SiteIndex {
        let layout = Layout::new(site);
        let mut areas_showing = vec![0usize; site.services.len()];
        for area in &layout.areas {
            for &s in &area.services {
                areas_showing[s] += 1;
            }
        }
        let diagrams = site.pathways.iter().map(|_| OnceLock::new()).collect();
        let demoted_intros = site.pathways.iter().map(|_| OnceLock::new()).collect();
        let search_entries = site.services.iter().map(|_| OnceLock::new()).collect();
        let records = site.services.iter().map(|_| OnceLock::new()).collect();
        let demoted_bodies = site.services.iter().map(|_| OnceLock::new()).collect();
        let json_ld = site.services.iter().map(|_| OnceLock::new()).collect();
        let per_service = || site.services.iter().map(|_| OnceLock::new()).collect();
        let per_pathway = || site.pathways.iter().map(|_| OnceLock::new()).collect();
        SiteIndex {
            layout,
            page_paths: OnceLock::new(),
            diagrams,
            demoted_intros,
            search_entries,
            stop_words: OnceLock::new(),
            records,
            demoted_bodies,
            print_entries: per_service(),
            details: per_service(),
            need_cards: per_service(),
            pathway_entries: per_pathway(),
            pathway_steps: per_pathway(),
            common: OnceLock::new(),
            json_ld,
            urgent_help: site.areas.iter().map(|_| OnceLock::new()).collect(),
            urgent_help_site: OnceLock::new(),
            urgent_blocks: site.areas.iter().map(|_| OnceLock::new()).collect(),
            urgent_block_site: OnceLock::new(),
            script_words: OnceLock::new(),
            words: OnceLock::new(),
            qr_codes: site.areas.iter().map(|_| OnceLock::new()).collect(),
            area_views: site.areas.iter().map(|_| OnceLock::new()).collect(),
            service_bases: site.services.iter().map(|_| OnceLock::new()).collect(),
            today,
            shown_in_several_areas: areas_showing.iter().map(|&n| n > 1).collect(),
        }
    }
}

/// What the pages of one area share while they render: its services (without
/// bodies) and its pathways as template values, made once and used by its
/// guide, need pages, print page, service pages and pathway pages. A build
/// renders an area's pages one after another with one cache, then drops it,
/// so a national build holds the values of about one area per thread.
#[derive(Default)]
pub struct AreaCache {
    pub(super) area: Option<usize>,
    pub(super) services: Option<Vec<Value>>,
    pub(super) pathways: Option<Vec<Value>>,
    /// The needs with their services as links, as the guide and the print
    /// page list them.
    pub(super) needs: Option<Vec<Value>>,
}

/// What an area's pages list, from its `AreaCache` when it has them.
#[derive(Clone, Copy, Default)]
pub(super) struct AreaLists<'a> {
    pub(super) services: Option<&'a [Value]>,
    pub(super) pathways: Option<&'a [Value]>,
    pub(super) needs: Option<&'a [Value]>,
}

impl AreaCache {
    /// Makes what a page of `kind` lists many of, if it is not made yet.
    /// A single service or pathway page uses what is there (a build) and
    /// otherwise makes its one value (`serve` renders the page asked for).
    pub(super) fn fill_for(&mut self, builder: &ValueBuilder, kind: PageKind) {
        let (area, services, pathways, needs) = match kind {
            PageKind::Area(a) | PageKind::Print(a) => (a.0, true, true, true),
            PageKind::Contacts(a) => (a.0, true, false, false),
            PageKind::Need { area, .. } => (area.0, true, false, false),
            _ => return,
        };
        if self.area != Some(area) {
            *self = AreaCache {
                area: Some(area),
                ..AreaCache::default()
            };
        }
        let ai = &builder.index.layout.areas[area];
        if services && self.services.is_none() {
            self.services = Some(
                ai.services
                    .iter()
                    .map(|&s| builder.made_service_value(area, s))
                    .collect(),
            );
        }
        if pathways && self.pathways.is_none() {
            self.pathways = Some(
                ai.pathways
                    .iter()
                    .map(|&p| builder.pathway_value(area, p))
                    .collect(),
            );
        }
        if needs && self.needs.is_none() {
            self.needs = Some(
                (0..builder.site.needs.len())
                    .map(|n| builder.need_value(area, n))
                    .collect(),
            );
        }
    }

    /// The cached lists for a page in `area`, if they are that area's.
    pub(super) fn lists(&self, area: Option<AreaIx>) -> AreaLists<'_> {
        match area {
            Some(AreaIx(a)) if self.area == Some(a) => AreaLists {
                services: self.services.as_deref(),
                pathways: self.pathways.as_deref(),
                needs: self.needs.as_deref(),
            },
            _ => AreaLists::default(),
        }
    }
}
