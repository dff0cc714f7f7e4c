//! Rendering pages: which pages a site has (`plan`), and each page as a pure function
//! of the site, its index and a template (`render_page`). Writing is elsewhere.

use std::collections::HashMap;

use std::sync::OnceLock;

use rayon::prelude::*;
use serde::Serialize;
use tera::{Context, Value};
use time::Date;

use crate::model::*;
use crate::theme::Theme;
use crate::{export, markdown};

/// The templates every theme provides.
pub const TEMPLATES: &[&str] = &[
    "index.html",
    "area.html",
    "service.html",
    "need.html",
    "pathway.html",
    "story.html",
    "print.html",
    "page.html",
];

/// One page of the output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageKind {
    Index,
    /// Index of an area in `site.areas`.
    Area(usize),
    Service {
        area: usize,
        service: usize,
    },
    Need {
        area: usize,
        need: usize,
    },
    Pathway {
        area: usize,
        pathway: usize,
    },
    Story {
        area: usize,
        story: usize,
    },
    Print(usize),
    Page(usize),
    /// An area's services in Open Referral UK shape: `A/services.json`.
    Export(usize),
    /// The index the area guide's search reads: `A/search-index.js`.
    SearchIndex(usize),
    /// Only with a `base_url`.
    Sitemap,
    Feed,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageJob {
    pub kind: PageKind,
    /// The page's folder, relative to the output root: `essex/services/open-road/`.
    pub path: String,
}

impl PageJob {
    /// The file to write, relative to the output root. For a page, `path` is its
    /// folder; for the data files, the file itself.
    pub fn file(&self) -> String {
        if self.is_html() {
            format!("{}index.html", self.path)
        } else {
            self.path.clone()
        }
    }
}

/// Which pages, services, pathways and stories belong to each area, worked out once.
pub struct SiteIndex {
    areas: Vec<AreaIndex>,
    /// Each pathway's diagram, drawn once for every area that shows it, when
    /// first needed (`serve` renders only the pages that are opened).
    diagrams: Vec<OnceLock<Value>>,
    /// Each pathway's introduction with its headings moved down, for print pages.
    demoted_intros: Vec<OnceLock<Value>>,
    /// Each service's entry in the search indexes, made once, when first needed.
    search_entries: Vec<OnceLock<String>>,
    /// Each service's Open Referral record, serialised once, when first needed.
    records: Vec<OnceLock<export::WithUrlSlot>>,
    /// Each service's body with its headings moved down, for print pages, as
    /// a template value: Tera 2's values are reference-counted, so each print
    /// page that shows it shares it rather than copying it.
    demoted_bodies: Vec<OnceLock<Value>>,
    /// `site`, `pages` and `cover_your_tracks`, the same on every page.
    common: OnceLock<Vec<(&'static str, Value)>>,
    /// Each service's JSON-LD, with a placeholder for its page's URL.
    json_ld: Vec<OnceLock<export::WithUrlSlot>>,
    today: Date,
}

struct AreaIndex {
    services: Vec<usize>,
    helplines: Vec<usize>,
    pathways: Vec<usize>,
    stories: Vec<usize>,
    /// Need index → services in this area that meet it.
    by_need: Vec<Vec<usize>>,
}

impl SiteIndex {
    /// A pathway's diagram, drawn when first needed (`serve` renders only the
    /// pages that are opened) and shared by every area's pathway value.
    fn diagram(&self, site: &Site, p: usize) -> &Value {
        self.diagrams[p].get_or_init(|| Value::from(crate::diagram::pathway_svg(&site.pathways[p])))
    }

    fn record(&self, site: &Site, s: usize) -> &export::WithUrlSlot {
        self.records[s].get_or_init(|| export::record_json(site, &site.services[s]))
    }

    fn search_entry(&self, site: &Site, s: usize) -> &str {
        self.search_entries[s].get_or_init(|| crate::search::service_entry(site, &site.services[s]))
    }

    pub fn new(site: &Site, today: Date) -> SiteIndex {
        let need_index: HashMap<&str, usize> = site
            .needs
            .iter()
            .enumerate()
            .map(|(i, n)| (n.slug.as_str(), i))
            .collect();
        // Which services serve each area, in the site's order: one pass over the
        // services rather than one per area.
        let mut served: Vec<Vec<usize>> = vec![Vec::new(); site.areas.len()];
        for (s, service) in site.services.iter().enumerate() {
            match &service.coverage {
                Coverage::National => served.iter_mut().for_each(|list| list.push(s)),
                Coverage::Areas(list) => {
                    for a in list.iter().filter_map(|a| site.area_index(&a.value)) {
                        if served[a].last() != Some(&s) {
                            served[a].push(s);
                        }
                    }
                }
            }
        }
        let areas = site
            .areas
            .par_iter()
            .zip(served)
            .map(|(area, services)| {
                let mut by_need = vec![Vec::new(); site.needs.len()];
                for &s in &services {
                    for need in &site.services[s].needs {
                        if let Some(&n) = need_index.get(need.value.as_str()) {
                            by_need[n].push(s);
                        }
                    }
                }
                AreaIndex {
                    helplines: services
                        .iter()
                        .copied()
                        .filter(|&s| site.services[s].coverage == Coverage::National)
                        .collect(),
                    services,
                    pathways: (0..site.pathways.len())
                        .filter(|&p| site.pathways[p].applies_to(&area.slug))
                        .collect(),
                    stories: (0..site.case_studies.len())
                        .filter(|&c| {
                            site.case_studies[c]
                                .areas
                                .iter()
                                .any(|a| a.value == area.slug)
                        })
                        .collect(),
                    by_need,
                }
            })
            .collect();
        let diagrams = site.pathways.iter().map(|_| OnceLock::new()).collect();
        let demoted_intros = site.pathways.iter().map(|_| OnceLock::new()).collect();
        let search_entries = site.services.iter().map(|_| OnceLock::new()).collect();
        let records = site.services.iter().map(|_| OnceLock::new()).collect();
        let demoted_bodies = site.services.iter().map(|_| OnceLock::new()).collect();
        let json_ld = site.services.iter().map(|_| OnceLock::new()).collect();
        SiteIndex {
            areas,
            diagrams,
            demoted_intros,
            search_entries,
            records,
            demoted_bodies,
            common: OnceLock::new(),
            json_ld,
            today,
        }
    }
}

/// Every page of the site, in a stable order.
pub fn plan(site: &Site, index: &SiteIndex) -> Vec<PageJob> {
    let mut jobs = vec![PageJob {
        kind: PageKind::Index,
        path: String::new(),
    }];
    for (a, area) in site.areas.iter().enumerate() {
        let slug = &area.slug;
        let ai = &index.areas[a];
        jobs.push(PageJob {
            kind: PageKind::Area(a),
            path: format!("{slug}/"),
        });
        for &s in &ai.services {
            jobs.push(PageJob {
                kind: PageKind::Service {
                    area: a,
                    service: s,
                },
                path: service_path(slug, &site.services[s]),
            });
        }
        for (n, need) in site.needs.iter().enumerate() {
            jobs.push(PageJob {
                kind: PageKind::Need { area: a, need: n },
                path: format!("{slug}/needs/{}/", need.slug),
            });
        }
        for &p in &ai.pathways {
            jobs.push(PageJob {
                kind: PageKind::Pathway {
                    area: a,
                    pathway: p,
                },
                path: format!("{slug}/pathways/{}/", site.pathways[p].slug),
            });
        }
        for &c in &ai.stories {
            jobs.push(PageJob {
                kind: PageKind::Story { area: a, story: c },
                path: format!("{slug}/stories/{}/", site.case_studies[c].slug),
            });
        }
        jobs.push(PageJob {
            kind: PageKind::Print(a),
            path: format!("{slug}/print/"),
        });
        jobs.push(PageJob {
            kind: PageKind::Export(a),
            path: format!("{slug}/services.json"),
        });
        jobs.push(PageJob {
            kind: PageKind::SearchIndex(a),
            path: format!("{slug}/search-index.js"),
        });
    }
    if site.config.base_url.is_some() {
        jobs.push(PageJob {
            kind: PageKind::Sitemap,
            path: "sitemap.xml".into(),
        });
        jobs.push(PageJob {
            kind: PageKind::Feed,
            path: "feed.xml".into(),
        });
    }
    for (p, page) in site.pages.iter().enumerate() {
        jobs.push(PageJob {
            kind: PageKind::Page(p),
            path: format!("{}/", page.slug),
        });
    }
    jobs
}

/// The page of `plan` at `path` (relative to the output root, as in
/// `PageJob::path`), worked out from the path itself: `serve` looks pages up
/// this way rather than keeping a map of 40,000 paths that every reload would
/// make again. Where two planned pages share a path (a free page named like
/// an area), the later one in `plan` wins, as it would in such a map.
pub fn job_for_path(site: &Site, index: &SiteIndex, path: &str) -> Option<PageJob> {
    let job = |kind| {
        Some(PageJob {
            kind,
            path: path.to_owned(),
        })
    };
    if path.is_empty() {
        return job(PageKind::Index);
    }
    if let Some(slug) = path.strip_suffix('/')
        && let Some(p) = site.pages.iter().rposition(|p| p.slug == slug)
    {
        return job(PageKind::Page(p));
    }
    match path {
        "sitemap.xml" if site.config.base_url.is_some() => return job(PageKind::Sitemap),
        "feed.xml" if site.config.base_url.is_some() => return job(PageKind::Feed),
        _ => {}
    }
    let (area_slug, rest) = path.split_once('/')?;
    let a = site.area_index(area_slug)?;
    let ai = &index.areas[a];
    let kind = match rest {
        "" => PageKind::Area(a),
        "print/" => PageKind::Print(a),
        "services.json" => PageKind::Export(a),
        "search-index.js" => PageKind::SearchIndex(a),
        _ => {
            let (section, slug) = rest.strip_suffix('/')?.split_once('/')?;
            let member = |list: &[usize], i: usize| list.binary_search(&i).is_ok().then_some(i);
            match section {
                "services" => PageKind::Service {
                    area: a,
                    service: member(&ai.services, site.service_index(slug)?)?,
                },
                "needs" => PageKind::Need {
                    area: a,
                    need: site.need_index(slug)?,
                },
                "pathways" => PageKind::Pathway {
                    area: a,
                    pathway: member(
                        &ai.pathways,
                        site.pathways.iter().position(|p| p.slug == slug)?,
                    )?,
                },
                "stories" => PageKind::Story {
                    area: a,
                    story: member(
                        &ai.stories,
                        site.case_studies.iter().position(|c| c.slug == slug)?,
                    )?,
                },
                _ => return None,
            }
        }
    };
    job(kind)
}

fn service_path(area: &str, service: &Service) -> String {
    format!("{area}/services/{}/", service.slug)
}

/// A page that failed to render: which template, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderError {
    /// The template's path as shown to the user.
    pub template: String,
    /// Where in the template, when Tera says.
    pub pos: Option<crate::diagnostics::Pos>,
    pub message: String,
}

impl std::fmt::Display for RenderError {
    /// As a diagnostic prints it: `file:line:column: error: message`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.template)?;
        if let Some(pos) = self.pos {
            write!(f, ":{}:{}", pos.line, pos.column)?;
        }
        write!(f, ": error: {}", self.message)
    }
}

/// What the pages of one area share while they render: its services (without
/// bodies) and its pathways as template values, made once and used by its
/// guide, need pages, print page, service pages and pathway pages. A build
/// renders an area's pages one after another with one cache, then drops it,
/// so a national build holds the values of about one area per thread.
#[derive(Default)]
pub struct AreaCache {
    area: Option<usize>,
    services: Option<Vec<Value>>,
    pathways: Option<Vec<Value>>,
}

impl AreaCache {
    /// Makes what a page of `kind` lists many of, if it is not made yet.
    /// A single service or pathway page uses what is there (a build) and
    /// otherwise makes its one value (`serve` renders the page asked for).
    fn fill_for(&mut self, views: &Views, kind: PageKind) {
        let (area, services, pathways) = match kind {
            PageKind::Area(a) | PageKind::Print(a) => (a, true, true),
            PageKind::Need { area, .. } => (area, true, false),
            _ => return,
        };
        if self.area != Some(area) {
            *self = AreaCache {
                area: Some(area),
                ..AreaCache::default()
            };
        }
        let ai = &views.index.areas[area];
        if services && self.services.is_none() {
            self.services = Some(
                ai.services
                    .iter()
                    .map(|&s| to_value(&views.service(area, s)))
                    .collect(),
            );
        }
        if pathways && self.pathways.is_none() {
            self.pathways = Some(
                ai.pathways
                    .iter()
                    .map(|&p| views.pathway_value(area, p))
                    .collect(),
            );
        }
    }

    /// The cached lists for a page in `area`, if they are that area's.
    fn lists(&self, area: Option<usize>) -> (Option<&[Value]>, Option<&[Value]>) {
        match area {
            Some(a) if self.area == Some(a) => (self.services.as_deref(), self.pathways.as_deref()),
            _ => (None, None),
        }
    }
}

/// Renders one page to HTML.
pub fn render_page(
    site: &Site,
    index: &SiteIndex,
    theme: &Theme,
    job: &PageJob,
) -> Result<String, RenderError> {
    let mut out = Vec::new();
    render_page_into(site, index, theme, job, &mut AreaCache::default(), &mut out)?;
    // Templates and our exports write UTF-8 text only.
    Ok(String::from_utf8(out)
        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()))
}

/// Writes a data file (exports, search index, sitemap, feed) into `out`, which
/// is empty; false for pages.
fn render_data_file(site: &Site, index: &SiteIndex, job: &PageJob, out: &mut Vec<u8>) -> bool {
    let base = site.config.base_url.as_deref();
    // The data files append to a String: lend them the buffer as one.
    let mut text = String::from_utf8(std::mem::take(out)).unwrap_or_default();
    match job.kind {
        PageKind::Export(a) => export::services_json(
            site,
            a,
            &index.areas[a].services,
            base,
            |s| index.record(site, s),
            &mut text,
        ),
        PageKind::SearchIndex(a) => crate::search::area_index_script(
            site,
            &index.areas[a].services,
            |s| index.search_entry(site, s),
            &mut text,
        ),
        PageKind::Sitemap => text.push_str(&export::sitemap(
            &plan(site, index),
            base.unwrap_or_default(),
        )),
        PageKind::Feed => text.push_str(&export::feed(site, base.unwrap_or_default())),
        _ => {
            *out = text.into_bytes();
            return false;
        }
    }
    *out = text.into_bytes();
    true
}

/// Renders one page into `out` (cleared first), sharing `cache` with the
/// other pages of its area. A build passes the same `out` for every page a
/// thread renders: a print page runs to megabytes, and growing a fresh
/// buffer to that size for each page cost more than rendering into it.
pub fn render_page_into(
    site: &Site,
    index: &SiteIndex,
    theme: &Theme,
    job: &PageJob,
    cache: &mut AreaCache,
    out: &mut Vec<u8>,
) -> Result<(), RenderError> {
    out.clear();
    if render_data_file(site, index, job, out) {
        return Ok(());
    }
    let base = site.config.base_url.as_deref();
    cache.fill_for(&Views::new(site, index, (None, None)), job.kind);
    let views = Views::new(site, index, cache.lists(job.kind.area()));
    let mut ctx = Context::new();
    for (key, value) in views.common() {
        ctx.insert_value(*key, value.clone());
    }
    ctx.insert("root", &"../".repeat(job.path.matches('/').count()));
    let (template, title) = match job.kind {
        PageKind::Index => {
            ctx.insert(
                "areas",
                &site.areas.iter().map(AreaView::new).collect::<Vec<_>>(),
            );
            ("index.html", "Choose your area".to_owned())
        }
        PageKind::Area(a) => {
            views.insert_area_lists(&mut ctx, a, false);
            ("area.html", site.areas[a].name.clone())
        }
        PageKind::Service { area, service } => {
            let s = &site.services[service];
            let url = base.map(|b| format!("{b}{}", job.path));
            let json_ld = index.json_ld[service].get_or_init(|| {
                export::WithUrlSlot::new(export::service_json_ld(
                    site,
                    s,
                    url.as_ref().map(|_| "\0url\0".to_owned()),
                ))
            });
            ctx.insert("json_ld", &export::with_url(json_ld, url.as_deref()));
            let body = Value::from(&*s.body.html);
            ctx.insert_value(
                "service",
                with_field(views.service_value(area, service), "body_html", body),
            );
            ("service.html", site.services[service].name.clone())
        }
        PageKind::Need { area, need } => {
            insert_values(&mut ctx, [("need", views.need_value(area, need, true))]);
            (
                "need.html",
                format!("{} in {}", site.needs[need].name, site.areas[area].name),
            )
        }
        PageKind::Pathway { area, pathway } => {
            ctx.insert_value("pathway", views.cached_pathway_value(area, pathway));
            ("pathway.html", site.pathways[pathway].title.clone())
        }
        PageKind::Story { area, story } => {
            ctx.insert("story", &views.story(area, story, false));
            ("story.html", site.case_studies[story].title.clone())
        }
        PageKind::Print(a) => {
            views.insert_area_lists(&mut ctx, a, true);
            (
                "print.html",
                format!("{}: the whole guide", site.areas[a].name),
            )
        }
        PageKind::Page(p) => {
            ctx.insert("page", &PageView::new(&site.pages[p]));
            ("page.html", site.pages[p].title.clone())
        }
        PageKind::Export(_) | PageKind::SearchIndex(_) | PageKind::Sitemap | PageKind::Feed => {
            unreachable!("data files are rendered above")
        }
    };
    if let Some(a) = job.kind.area() {
        ctx.insert("area", &AreaView::new(&site.areas[a]));
    }
    ctx.insert("page_title", &title);
    ctx.insert("template", template.trim_end_matches(".html"));
    theme.tera.render_to(template, &ctx, out).map_err(|e| {
        let problem = theme.describe_render_error(template, &e);
        RenderError {
            template: theme.template_display(problem.template.as_deref().unwrap_or(template)),
            pos: problem.pos,
            message: problem.message,
        }
    })
}

impl PageKind {
    /// What the build's profile calls this kind of page.
    pub fn label(self) -> &'static str {
        match self {
            PageKind::Index => "render the front page",
            PageKind::Area(_) => "render area guides",
            PageKind::Service { .. } => "render service pages",
            PageKind::Need { .. } => "render need pages",
            PageKind::Pathway { .. } => "render pathway pages",
            PageKind::Story { .. } => "render story pages",
            PageKind::Print(_) => "render print pages",
            PageKind::Page(_) => "render free pages",
            PageKind::Export(_) => "write services.json exports",
            PageKind::SearchIndex(_) => "write search indexes",
            PageKind::Sitemap | PageKind::Feed => "write sitemap and feed",
        }
    }

    pub fn area(self) -> Option<usize> {
        match self {
            PageKind::Index | PageKind::Page(_) | PageKind::Sitemap | PageKind::Feed => None,
            PageKind::Area(a)
            | PageKind::Print(a)
            | PageKind::Export(a)
            | PageKind::SearchIndex(a) => Some(a),
            PageKind::Service { area, .. }
            | PageKind::Need { area, .. }
            | PageKind::Pathway { area, .. }
            | PageKind::Story { area, .. } => Some(area),
        }
    }
}

// ---- Views: what templates see (documented in docs/themes.md). ----

#[derive(Serialize)]
struct SiteView<'a> {
    title: &'a str,
    publisher: &'a str,
    language: &'a str,
    quick_exit_url: &'a str,
}

impl<'a> SiteView<'a> {
    fn new(c: &'a SiteConfig) -> Self {
        SiteView {
            title: &c.title,
            publisher: &c.publisher,
            language: &c.language,
            quick_exit_url: &c.quick_exit_url,
        }
    }
}

#[derive(Serialize)]
struct AreaView<'a> {
    slug: &'a str,
    name: &'a str,
    council: &'a str,
    summary: &'a str,
    emergency: &'a str,
    path: String,
}

impl<'a> AreaView<'a> {
    fn new(a: &'a Area) -> Self {
        AreaView {
            slug: &a.slug,
            name: &a.name,
            council: &a.council,
            summary: &a.summary,
            emergency: &a.emergency,
            path: format!("{}/", a.slug),
        }
    }
}

#[derive(Serialize)]
struct LinkView<'a> {
    slug: &'a str,
    name: &'a str,
    path: String,
}

/// A free page in the list every page is given, for the footer: no body.
#[derive(Serialize)]
struct PageLink<'a> {
    slug: &'a str,
    title: &'a str,
    summary: &'a str,
    path: String,
}

#[derive(Serialize)]
struct PageView<'a> {
    slug: &'a str,
    title: &'a str,
    summary: &'a str,
    body_html: &'a str,
    path: String,
}

impl<'a> PageView<'a> {
    fn new(p: &'a Page) -> Self {
        PageView {
            slug: &p.slug,
            title: &p.title,
            summary: p.summary.as_deref().unwrap_or(""),
            body_html: &p.body.html,
            path: format!("{}/", p.slug),
        }
    }
}

#[derive(Serialize)]
struct PhoneView<'a> {
    display: &'a str,
    tel: String,
}

#[derive(Serialize)]
struct ContactView<'a> {
    phone: Option<PhoneView<'a>>,
    email: Option<&'a str>,
    website: Option<&'a str>,
    text: Option<&'a str>,
    notes: Option<&'a str>,
}

#[derive(Serialize)]
struct LocationView<'a> {
    name: &'a str,
    address: Option<&'a str>,
    postcode: Option<&'a str>,
    confidential: bool,
}

#[derive(Serialize)]
struct HoursView<'a> {
    days: String,
    opens: &'a str,
    closes: &'a str,
    /// "10:00 to 17:00", or "24 hours" for 00:00 to 24:00.
    time: String,
}

#[derive(Serialize)]
struct DateView {
    iso: String,
    display: String,
}

#[derive(Serialize)]
struct ServiceView<'a> {
    slug: &'a str,
    name: &'a str,
    organisation: &'a str,
    summary: &'a str,
    path: String,
    national: bool,
    areas: Vec<LinkView<'a>>,
    needs: Vec<LinkView<'a>>,
    self_referral: bool,
    professional_referral: bool,
    referral_notes: &'a str,
    women_only: bool,
    eligibility: &'a str,
    contact: ContactView<'a>,
    locations: Vec<LocationView<'a>>,
    hours: Vec<HoursView<'a>>,
    hours_notes: &'a str,
    languages: &'a [String],
    cost: &'a str,
    last_reviewed: DateView,
    stale: bool,
    body_html: &'a str,
}

#[derive(Serialize)]
struct NextView<'a> {
    id: &'a str,
    number: usize,
    title: &'a str,
    when: &'a str,
}

#[derive(Serialize)]
struct StepView<'a> {
    id: &'a str,
    number: usize,
    title: &'a str,
    text_html: &'a str,
    when: &'a str,
    services: Vec<LinkView<'a>>,
    next: Vec<NextView<'a>>,
    is_end: bool,
}

#[derive(Serialize)]
struct PathwayView<'a> {
    slug: &'a str,
    title: &'a str,
    summary: &'a str,
    audience: &'a str,
    needs: Vec<LinkView<'a>>,
    intro_html: &'a str,
    path: String,
    steps: Vec<StepView<'a>>,
}

#[derive(Serialize)]
struct StoryView<'a> {
    slug: &'a str,
    title: &'a str,
    summary: &'a str,
    needs: Vec<LinkView<'a>>,
    services: Vec<LinkView<'a>>,
    body_html: String,
    path: String,
}

/// Builds views of the model as seen from one area.
struct Views<'a> {
    site: &'a Site,
    index: &'a SiteIndex,
    /// The area's services and pathways as values, when the page's
    /// `AreaCache` has them.
    area_services: Option<&'a [Value]>,
    area_pathways: Option<&'a [Value]>,
}

impl<'a> Views<'a> {
    fn new(
        site: &'a Site,
        index: &'a SiteIndex,
        (area_services, area_pathways): (Option<&'a [Value]>, Option<&'a [Value]>),
    ) -> Self {
        Views {
            site,
            index,
            area_services,
            area_pathways,
        }
    }

    fn need_links(
        &self,
        area: usize,
        needs: &'a [crate::fields::Spanned<String>],
    ) -> Vec<LinkView<'a>> {
        let area_slug = &self.site.areas[area].slug;
        needs
            .iter()
            .filter_map(|n| self.site.need(&n.value))
            .map(|n| LinkView {
                slug: &n.slug,
                name: &n.name,
                path: format!("{area_slug}/needs/{}/", n.slug),
            })
            .collect()
    }

    /// A service as seen from `area`, with an empty `body_html`: the pages
    /// that show a body (its own page, the print page) set it on the value,
    /// so that the lists do not copy every body.
    fn service(&self, area: usize, s: usize) -> ServiceView<'a> {
        let service = &self.site.services[s];
        let c = &service.contact;
        ServiceView {
            slug: &service.slug,
            name: &service.name,
            organisation: &service.organisation,
            summary: &service.summary,
            path: service_path(&self.site.areas[area].slug, service),
            national: service.coverage == Coverage::National,
            areas: match &service.coverage {
                Coverage::National => Vec::new(),
                Coverage::Areas(list) => list
                    .iter()
                    .filter_map(|a| self.site.area(&a.value))
                    .map(|a| LinkView {
                        slug: &a.slug,
                        name: &a.name,
                        path: format!("{}/", a.slug),
                    })
                    .collect(),
            },
            needs: self.need_links(area, &service.needs),
            self_referral: service.self_referral,
            professional_referral: service.professional_referral,
            referral_notes: service.referral_notes.as_deref().unwrap_or(""),
            women_only: service.women_only,
            eligibility: service.eligibility.as_deref().unwrap_or(""),
            contact: ContactView {
                phone: c.phone.as_deref().map(|p| PhoneView {
                    display: p,
                    tel: tel_uri_number(p),
                }),
                email: c.email.as_deref(),
                website: c.website.as_deref(),
                text: c.text.as_deref(),
                notes: c.notes.as_deref(),
            },
            locations: service
                .locations
                .iter()
                .map(|l| LocationView {
                    name: &l.name,
                    address: l.address.as_deref(),
                    postcode: l.postcode.as_deref(),
                    confidential: l.confidential,
                })
                .collect(),
            hours: service
                .hours
                .iter()
                .map(|h| HoursView {
                    days: days_in_words(&h.days),
                    opens: &h.opens,
                    closes: &h.closes,
                    time: hours_in_words(&h.opens, &h.closes),
                })
                .collect(),
            hours_notes: service.hours_notes.as_deref().unwrap_or(""),
            languages: &service.languages,
            cost: &service.cost,
            last_reviewed: DateView {
                iso: service.last_reviewed.to_string(),
                display: date_in_words(service.last_reviewed),
            },
            stale: crate::validate::is_stale(
                service.last_reviewed,
                self.site.config.review_after_months,
                self.index.today,
            ),
            body_html: "",
        }
    }

    /// One of the area's services as a value, without its body.
    fn service_value(&self, area: usize, s: usize) -> Value {
        cached_or_made(
            self.area_services,
            &self.index.areas[area].services,
            s,
            || to_value(&self.service(area, s)),
        )
    }

    /// The area's services as values, in the order of `AreaIndex::services`.
    fn area_service_values(&self, area: usize) -> Vec<Value> {
        match self.area_services {
            Some(values) => values.to_vec(),
            None => self.index.areas[area]
                .services
                .iter()
                .map(|&s| self.service_value(area, s))
                .collect(),
        }
    }

    /// `site`, `pages` and `cover_your_tracks`, made once per build.
    fn common(&self) -> &'a [(&'static str, Value)] {
        self.index.common.get_or_init(|| {
            let site = self.site;
            let pages: Vec<PageLink> = site
                .pages
                .iter()
                .map(|p| PageLink {
                    slug: &p.slug,
                    title: &p.title,
                    summary: p.summary.as_deref().unwrap_or(""),
                    path: format!("{}/", p.slug),
                })
                .collect();
            let mut common = vec![
                ("site", to_value(&SiteView::new(&site.config))),
                ("pages", to_value(&pages)),
            ];
            if let Some(page) = site.page(COVER_YOUR_TRACKS) {
                common.push(("cover_your_tracks", to_value(&PageView::new(page))));
            }
            common
        })
    }

    /// A need as seen from `area`. On its own page its services are full
    /// service objects; in the lists of the area and print pages they are links
    /// (`{slug, name, path}`), since those pages have every service in full
    /// already, and a copy per need was a third of their cost.
    fn need_value(&self, area: usize, n: usize, full: bool) -> Value {
        let need = &self.site.needs[n];
        let area_slug = &self.site.areas[area].slug;
        let services: Vec<Value> = self.index.areas[area].by_need[n]
            .iter()
            .map(|&s| {
                if full {
                    self.service_value(area, s)
                } else {
                    let service = &self.site.services[s];
                    to_value(&LinkView {
                        slug: &service.slug,
                        name: &service.name,
                        path: service_path(area_slug, service),
                    })
                }
            })
            .collect();
        // Built as a map, so that the services' values are moved in, not copied.
        let mut map = tera::Map::default();
        map.insert("slug".into(), Value::from(need.slug.as_str()));
        map.insert("name".into(), Value::from(need.name.as_str()));
        map.insert("description".into(), Value::from(need.description.as_str()));
        map.insert(
            "path".into(),
            Value::from(format!("{area_slug}/needs/{}/", need.slug)),
        );
        map.insert("service_count".into(), Value::from(services.len()));
        map.insert("services".into(), Value::from(services));
        Value::from(map)
    }

    fn pathway(&self, area: usize, p: usize) -> PathwayView<'a> {
        let pathway = &self.site.pathways[p];
        let area_slug = &self.site.areas[area].slug;
        let number_of: HashMap<&str, usize> = pathway
            .steps
            .iter()
            .enumerate()
            .map(|(i, s)| (s.id.value.as_str(), i + 1))
            .collect();
        let steps = pathway
            .steps
            .iter()
            .enumerate()
            .map(|(i, step)| {
                let next: Vec<NextView> = pathway
                    .next_of(i)
                    .into_iter()
                    .filter_map(|id| number_of.get(id.value.as_str()).map(|&n| (id, n)))
                    .map(|(id, n)| {
                        let target = &pathway.steps[n - 1];
                        NextView {
                            id: &id.value,
                            number: n,
                            title: &target.title,
                            when: target.when.as_deref().unwrap_or(""),
                        }
                    })
                    .collect();
                StepView {
                    id: &step.id.value,
                    number: i + 1,
                    title: &step.title,
                    text_html: &step.text.html,
                    when: step.when.as_deref().unwrap_or(""),
                    services: step
                        .services
                        .iter()
                        .filter_map(|s| self.site.service(&s.value))
                        .map(|s| LinkView {
                            slug: &s.slug,
                            name: &s.name,
                            path: service_path(area_slug, s),
                        })
                        .collect(),
                    is_end: next.is_empty(),
                    next,
                }
            })
            .collect();
        PathwayView {
            slug: &pathway.slug,
            title: &pathway.title,
            summary: pathway.summary.as_deref().unwrap_or(""),
            audience: match pathway.audience {
                Some(Audience::Women) => "women",
                Some(Audience::Professionals) => "professionals",
                None => "",
            },
            needs: self.need_links(area, &pathway.needs),
            intro_html: &pathway.body.html,
            path: format!("{area_slug}/pathways/{}/", pathway.slug),
            steps,
        }
    }

    /// A pathway as a value, with its diagram.
    fn pathway_value(&self, area: usize, p: usize) -> Value {
        let diagram = self.index.diagram(self.site, p).clone();
        with_field(to_value(&self.pathway(area, p)), "diagram_svg", diagram)
    }

    /// `pathway_value`, from the area's cache when it has it.
    fn cached_pathway_value(&self, area: usize, p: usize) -> Value {
        cached_or_made(
            self.area_pathways,
            &self.index.areas[area].pathways,
            p,
            || self.pathway_value(area, p),
        )
    }

    fn story(&self, area: usize, c: usize, print: bool) -> StoryView<'a> {
        let story = &self.site.case_studies[c];
        let area_slug = &self.site.areas[area].slug;
        StoryView {
            slug: &story.slug,
            title: &story.title,
            summary: story.summary.as_deref().unwrap_or(""),
            needs: self.need_links(area, &story.needs),
            services: story
                .services
                .iter()
                .filter_map(|s| self.site.service(&s.value))
                .filter_map(|s| {
                    // In an area the service does not serve, link to it where it
                    // does: the first such area in the site's order.
                    let home = match &s.coverage {
                        _ if s.coverage.serves(area_slug) => Some(area_slug.as_str()),
                        Coverage::National => None,
                        Coverage::Areas(list) => list
                            .iter()
                            .filter_map(|a| self.site.area_index(&a.value))
                            .min()
                            .map(|a| self.site.areas[a].slug.as_str()),
                    };
                    home.map(|home| LinkView {
                        slug: &s.slug,
                        name: &s.name,
                        path: service_path(home, s),
                    })
                })
                .collect(),
            body_html: if print {
                String::new()
            } else {
                story.body.html.to_string()
            },
            path: format!("{area_slug}/stories/{}/", story.slug),
        }
    }

    /// The lists on an area's guide and its print page.
    fn insert_area_lists(&self, ctx: &mut Context, a: usize, print: bool) {
        let ai = &self.index.areas[a];
        let needs: Vec<Value> = (0..self.site.needs.len())
            .map(|n| self.need_value(a, n, false))
            .collect();
        let mut services: Vec<Value> = self.area_service_values(a);
        if print {
            for (value, &s) in services.iter_mut().zip(&ai.services) {
                let body = self.index.demoted_bodies[s].get_or_init(|| {
                    let service = &self.site.services[s];
                    let html = markdown::prefix_ids(
                        &service.body.html,
                        &markdown::service_ids(&service.slug),
                    );
                    Value::from(markdown::demote_headings(&html, 2))
                });
                *value = with_field(
                    std::mem::replace(value, Value::none()),
                    "body_html",
                    body.clone(),
                );
            }
        }
        // The area guide's local services (not national), so that templates need
        // not filter the full list: on a national corpus Tera's `filter` copies
        // it per page. The print page lists every service with its body, and
        // has no use for a second copy of most of them.
        let local: Vec<Value> = if print {
            Vec::new()
        } else {
            ai.services
                .iter()
                .zip(&services)
                .filter(|(s, _)| self.site.services[**s].coverage != Coverage::National)
                .map(|(_, value)| value.clone())
                .collect()
        };
        let helplines: Vec<Value> = ai
            .helplines
            .iter()
            .map(|&s| self.service_value(a, s))
            .collect();
        let pathways: Vec<Value> = ai
            .pathways
            .iter()
            .map(|&p| {
                let value = self.cached_pathway_value(a, p);
                if !print {
                    return value;
                }
                // On the print page the introduction sits under the pathway's heading.
                let intro = self.index.demoted_intros[p].get_or_init(|| {
                    Value::from(markdown::demote_headings(
                        &self.site.pathways[p].body.html,
                        2,
                    ))
                });
                with_field(value, "intro_html", intro.clone())
            })
            .collect();
        let stories: Vec<StoryView> = ai
            .stories
            .iter()
            .map(|&c| self.story(a, c, print))
            .collect();
        if !print {
            insert_values(ctx, [("local_services", Value::from(local))]);
        }
        insert_values(
            ctx,
            [
                ("needs", Value::from(needs)),
                ("services", Value::from(services)),
                ("helplines", Value::from(helplines)),
                ("pathways", Value::from(pathways)),
                ("stories", to_value(&stories)),
            ],
        );
    }
}

fn to_value(view: &impl Serialize) -> Value {
    // Our views are plain structs of strings, numbers and lists: they always serialise.
    Value::try_from_serializable(view).unwrap_or_else(|_| Value::none())
}

/// Item `item`'s value from an area's cached `values` (in the order of
/// `members`, the area's sorted list), or made if the cache does not have it.
fn cached_or_made(
    values: Option<&[Value]>,
    members: &[usize],
    item: usize,
    make: impl FnOnce() -> Value,
) -> Value {
    let cached = values
        .zip(members.binary_search(&item).ok())
        .and_then(|(values, i)| values.get(i));
    match cached {
        Some(value) => value.clone(),
        None => make(),
    }
}

/// A map value with `key` set to `field`: a copy of the map (its values are
/// shared, not copied) with that one entry added or replaced.
fn with_field(value: Value, key: &'static str, field: Value) -> Value {
    let mut map = value.into_map().unwrap_or_default();
    map.insert(key.into(), field);
    Value::from(map)
}

/// Adds values to a context as they are (`Context::insert` would serialise
/// them again).
fn insert_values<const N: usize>(ctx: &mut Context, values: [(&'static str, Value); N]) {
    for (key, value) in values {
        ctx.insert_value(key, value);
    }
}

// ---- Checking templates without rendering every page ----

/// The pages `check` renders to find template errors: enough that every
/// template meets every *shape* of entry a build would give it, not every
/// entry. Tera fails on what a value is (absent, null, an empty list, a
/// string where a map was expected), not on which words it holds, so one
/// page per shape finds the errors a full render would. On a national guide
/// that is a few hundred pages instead of 40,000. `build` still renders
/// every page and fails without touching the output if one fails.
pub fn check_sample(site: &Site, index: &SiteIndex, jobs: &[PageJob]) -> Vec<PageJob> {
    let views = Views::new(site, index, (None, None));
    // The first area each service, pathway and story appears in.
    let first_area = |count: usize, members: &dyn Fn(&AreaIndex) -> &[usize]| {
        let mut home = vec![0; count];
        let mut found = vec![false; count];
        for (a, ai) in index.areas.iter().enumerate() {
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
                let mut shape = shape_of(&views.service(service_home[s], s));
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
            .map(|p| shape_of(&views.pathway(pathway_home[p], p)))
            .collect(),
        2,
    );
    let story_shape = intern(
        (0..site.case_studies.len())
            .into_par_iter()
            .map(|c| shape_of(&views.story(story_home[c], c, false)))
            .collect(),
        3,
    );
    // How many of something a page has: none, one, or more.
    let count = |what: u64, len: usize| (4 << 32) | (what << 8) | len.min(2) as u64;
    // A page is rendered when it brings its template a feature not yet seen.
    let mut seen: std::collections::HashSet<(&'static str, u64)> = Default::default();
    let mut sample = Vec::new();
    for (position, job) in jobs.iter().enumerate() {
        let template = job.kind.label();
        let features: Vec<u64> = match job.kind {
            PageKind::Service { service, .. } => vec![service_shape[service]],
            PageKind::Pathway { pathway, .. } => vec![pathway_shape[pathway]],
            PageKind::Story { story, .. } => vec![story_shape[story]],
            PageKind::Need { area, need } => {
                let list = &index.areas[area].by_need[need];
                let mut f: Vec<u64> = list.iter().map(|&s| service_shape[s]).collect();
                f.push(count(0, list.len()));
                f
            }
            PageKind::Area(a) | PageKind::Print(a) => {
                let ai = &index.areas[a];
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
            // Data files are not templates; the front page and free pages are few.
            PageKind::Export(_) | PageKind::SearchIndex(_) | PageKind::Sitemap | PageKind::Feed => {
                continue;
            }
            PageKind::Index | PageKind::Page(_) => vec![(5 << 32) | position as u64],
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
    fn walk(value: &serde_json::Value, out: &mut String) {
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

/// The number part of a `tel:` URI: digits, with a leading `+` kept.
pub fn tel_uri_number(phone: &str) -> String {
    let international = phone.trim_start().starts_with('+');
    // "+44 (0)20 ..." is dialled without the bracketed trunk zero.
    let phone = if international {
        phone.replace("(0)", "")
    } else {
        phone.to_owned()
    };
    let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
    if international {
        format!("+{digits}")
    } else {
        digits
    }
}

/// "4 March 2026".
pub fn date_in_words(date: Date) -> String {
    format!("{} {} {}", date.day(), date.month(), date.year())
}

/// Opening hours as a reader says them.
pub fn hours_in_words(opens: &str, closes: &str) -> String {
    if opens == "00:00" && closes == "24:00" {
        "24 hours".to_owned()
    } else {
        format!("{opens} to {closes}")
    }
}

/// Days in words, runs joined: "Monday to Friday", "Monday, Wednesday and Friday",
/// "Every day".
pub fn days_in_words(days: &[Weekday]) -> String {
    if days.len() == 7 {
        return "Every day".into();
    }
    let mut runs: Vec<(Weekday, Weekday, usize)> = Vec::new();
    for &day in days {
        match runs.last_mut() {
            Some((_, last, len)) if day as usize == *last as usize + 1 => {
                *last = day;
                *len += 1;
            }
            _ => runs.push((day, day, 1)),
        }
    }
    let mut parts: Vec<String> = Vec::new();
    for (first, last, len) in runs {
        match len {
            1 => parts.push(first.name().into()),
            2 => {
                parts.push(first.name().into());
                parts.push(last.name().into());
            }
            _ => parts.push(format!("{} to {}", first.name(), last.name())),
        }
    }
    match parts.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        Some((last, _)) => last.clone(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Weekday::*;

    #[test]
    fn days_read_naturally() {
        assert_eq!(
            days_in_words(&[Mon, Tue, Wed, Thu, Fri]),
            "Monday to Friday"
        );
        assert_eq!(
            days_in_words(&[Mon, Wed, Fri]),
            "Monday, Wednesday and Friday"
        );
        assert_eq!(days_in_words(&[Sat, Sun]), "Saturday and Sunday");
        assert_eq!(
            days_in_words(&[Mon, Tue, Wed, Sat]),
            "Monday to Wednesday and Saturday"
        );
        assert_eq!(
            days_in_words(&[Mon, Tue, Wed, Thu, Fri, Sat, Sun]),
            "Every day"
        );
        assert_eq!(days_in_words(&[Tue]), "Tuesday");
    }

    #[test]
    fn tel_numbers_keep_digits_and_plus() {
        assert_eq!(tel_uri_number("0808 2000 247"), "08082000247");
        assert_eq!(tel_uri_number("+44 (0)20 7946 0000"), "+442079460000");
    }

    #[test]
    fn hours_read_naturally() {
        assert_eq!(hours_in_words("00:00", "24:00"), "24 hours");
        assert_eq!(hours_in_words("09:30", "17:00"), "09:30 to 17:00");
        assert_eq!(hours_in_words("00:00", "12:00"), "00:00 to 12:00");
    }

    #[test]
    fn dates_in_words() {
        assert_eq!(
            date_in_words(crate::load::parse_date("2026-03-04").unwrap()),
            "4 March 2026"
        );
    }
}
