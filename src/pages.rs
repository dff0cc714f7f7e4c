//! What a site publishes: every page and data file, each with its place in the
//! URL scheme (`urls`). The build plans them all (`plan`); `serve` finds one
//! from a requested path (`job_for_path`); the renderer takes them one by one.

use rayon::prelude::*;

use crate::model::{Coverage, Service, Site};
use crate::openreferral::tabular::Table;
use crate::urls::{self, OpenReferralRoute, Route};

/// Positions in the site's lists, each its own type so that two cannot be
/// swapped: `Service { area, service }` takes an `AreaIx` and a `ServiceIx`.
macro_rules! index_type {
    ($($(#[$doc:meta])* $name:ident;)*) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(pub usize);
    )*};
}

index_type! {
    /// An area in `site.areas`.
    AreaIx;
    /// A service in `site.services`.
    ServiceIx;
    /// A need in `site.needs`.
    NeedIx;
    /// A pathway in `site.pathways`.
    PathwayIx;
    /// A case study in `site.case_studies`.
    StoryIx;
    /// A free page in `site.pages`.
    PageIx;
}

/// One file of the output: a page a reader opens, or a data file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Output {
    Page(PageKind),
    Data(DataKind),
}

/// An HTML page, rendered through one of the theme's templates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageKind {
    Index,
    Area(AreaIx),
    Service {
        area: AreaIx,
        service: ServiceIx,
    },
    Need {
        area: AreaIx,
        need: NeedIx,
    },
    Pathway {
        area: AreaIx,
        pathway: PathwayIx,
    },
    Story {
        area: AreaIx,
        story: StoryIx,
    },
    Print(AreaIx),
    /// The area's key contacts, a handout of one or two printed pages.
    Contacts(AreaIx),
    Page(PageIx),
    /// The glossary's terms, explained: only when the site has a glossary.
    Glossary,
}

/// A data file, written by Signpost itself rather than through a template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DataKind {
    /// An area's services as an Open Referral UK 3.0 page: `A/services.json`.
    Export(AreaIx),
    /// A file of the site-wide Open Referral UK feed, under `openreferral/`.
    OpenReferral(OpenReferralFile),
    /// The index the area guide's search reads: `A/search-index.js`.
    SearchIndex(AreaIx),
    /// Only with a `base_url`. Part 0 is `sitemap.xml`: every page, or, past
    /// the protocol's 50,000 URLs a file, an index of parts 1.. (`sitemap-N.xml`).
    Sitemap(usize),
    /// Only with a `base_url`.
    Feed,
    /// Only with `editing:`: the browser editor's page, `admin/index.html`.
    AdminPage,
    /// Only with `editing:`: its configuration, `admin/config.yml`.
    AdminConfig,
    /// `_headers`: the HTTP headers a meta tag cannot set, for hosts that
    /// read the file (Netlify, Cloudflare Pages); see `headers`.
    Headers,
    /// The running footer's words for an area's printed pages: `A/print/footer.css`.
    PrintFooter(AreaIx),
}

/// The files of the site-wide Open Referral UK feed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpenReferralFile {
    /// `index.json`: the API's `/` document.
    Index,
    /// `services.json`: every service, one page.
    Services,
    /// `services/<id>.json`: one service's full record.
    Service(ServiceIx),
    /// `taxonomy_terms.json`.
    TaxonomyTerms,
    /// `csv/<table>.csv`: the tabular form.
    Table(Table),
    /// `csv/datapackage.json`, which lists the tables.
    DataPackage,
}

/// The name of the tabular form's package file in `openreferral/csv/`.
pub const DATAPACKAGE: &str = "datapackage.json";

impl DataKind {
    pub fn media_type(self) -> &'static str {
        match self {
            DataKind::Export(_) => "application/json",
            DataKind::OpenReferral(OpenReferralFile::Table(_)) => "text/csv; charset=utf-8",
            DataKind::OpenReferral(_) => "application/json",
            DataKind::SearchIndex(_) => "text/javascript; charset=utf-8",
            DataKind::Sitemap(_) => "application/xml",
            DataKind::Feed => "application/atom+xml",
            DataKind::AdminPage => "text/html; charset=utf-8",
            DataKind::AdminConfig => "text/yaml; charset=utf-8",
            DataKind::Headers => "text/plain; charset=utf-8",
            DataKind::PrintFooter(_) => "text/css; charset=utf-8",
        }
    }
}

impl Output {
    /// The media type `serve` answers with.
    pub fn media_type(self) -> &'static str {
        match self {
            Output::Page(_) => "text/html; charset=utf-8",
            Output::Data(data) => data.media_type(),
        }
    }

    /// What the build's profile calls this kind of output.
    pub fn label(self) -> &'static str {
        match self {
            Output::Page(PageKind::Index) => "render the front page",
            Output::Page(PageKind::Area(_)) => "render area guides",
            Output::Page(PageKind::Service { .. }) => "render service pages",
            Output::Page(PageKind::Need { .. }) => "render need pages",
            Output::Page(PageKind::Pathway { .. }) => "render pathway pages",
            Output::Page(PageKind::Story { .. }) => "render story pages",
            Output::Page(PageKind::Print(_)) => "render print pages",
            Output::Page(PageKind::Contacts(_)) => "render contacts handouts",
            Output::Page(PageKind::Page(_) | PageKind::Glossary) => "render free pages",
            Output::Data(DataKind::Export(_)) => "write services.json exports",
            Output::Data(DataKind::OpenReferral(_)) => "write the Open Referral feed",
            Output::Data(DataKind::SearchIndex(_)) => "write search indexes",
            Output::Data(DataKind::Sitemap(_) | DataKind::Feed) => "write sitemap and feed",
            Output::Data(DataKind::AdminPage | DataKind::AdminConfig) => "write the browser editor",
            Output::Data(DataKind::Headers) => "write _headers",
            Output::Data(DataKind::PrintFooter(_)) => "write print footers",
        }
    }

    /// The area whose guide this belongs to, if any.
    pub fn area(self) -> Option<AreaIx> {
        match self {
            Output::Page(page) => page.area(),
            Output::Data(
                DataKind::Export(a) | DataKind::SearchIndex(a) | DataKind::PrintFooter(a),
            ) => Some(a),
            Output::Data(
                DataKind::Sitemap(_)
                | DataKind::Feed
                | DataKind::OpenReferral(_)
                | DataKind::AdminPage
                | DataKind::AdminConfig
                | DataKind::Headers,
            ) => None,
        }
    }
}

impl PageKind {
    pub fn area(self) -> Option<AreaIx> {
        match self {
            PageKind::Index | PageKind::Page(_) | PageKind::Glossary => None,
            PageKind::Area(a) | PageKind::Print(a) | PageKind::Contacts(a) => Some(a),
            PageKind::Service { area, .. }
            | PageKind::Need { area, .. }
            | PageKind::Pathway { area, .. }
            | PageKind::Story { area, .. } => Some(area),
        }
    }
}

/// One file to make: what it is, and its path in the URL scheme.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job {
    pub kind: Output,
    /// Relative to the output root: a page's folder (`essex/services/open-road/`),
    /// or a data file itself (`essex/services.json`); in another language,
    /// under its root (`cy/essex/services/open-road/`).
    pub path: String,
    /// Which of the site's languages: 0 for the main one, else its position
    /// in `languages` (the site in `Site::translations[language - 1]`).
    pub language: usize,
}

impl Job {
    pub fn is_page(&self) -> bool {
        matches!(self.kind, Output::Page(_))
    }

    /// The file to write, relative to the output root.
    pub fn file(&self) -> String {
        match self.kind {
            Output::Page(_) => format!("{}index.html", self.path),
            Output::Data(_) => self.path.clone(),
        }
    }
}

/// Which services, pathways and stories belong to each area, worked out once.
pub struct Layout {
    pub areas: Vec<AreaLayout>,
}

/// One area's share of the site, as positions in the site's lists (sorted,
/// but for `helplines` and `by_need`, which are in the order that helps first).
pub struct AreaLayout {
    pub services: Vec<usize>,
    /// The national services (`areas: all`) among `services`, most urgent
    /// first (`helpline_order`).
    pub helplines: Vec<usize>,
    pub pathways: Vec<usize>,
    pub stories: Vec<usize>,
    /// Need index → services in this area that meet it, those that help
    /// first first (`need_order`).
    pub by_need: Vec<Vec<usize>>,
}

/// How directly a woman can reach a service: the first thing need pages and
/// helplines are ordered by (docs/editors-guide.md, "The order services are
/// listed in").
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Reach {
    /// She can contact it herself, at any hour.
    SelfAnyHour,
    /// She can contact it herself.
    SelfReferral,
    /// Only a professional can refer her.
    ReferralOnly,
}

impl Reach {
    pub fn of(service: &Service) -> Reach {
        match (service.self_referral, service.open_24_hours()) {
            (true, true) => Reach::SelfAnyHour,
            (true, false) => Reach::SelfReferral,
            (false, _) => Reach::ReferralOnly,
        }
    }
}

/// The order of a need's services in an area: by `Reach`; then those whose
/// first need is this one; then in the area's "Talk to someone now" order;
/// then by name (the site's order, `s`).
pub fn need_order(
    reach: &[Reach],
    urgent: &[usize],
    site: &Site,
    need: &str,
    s: usize,
) -> (Reach, usize, usize, usize) {
    let need_position = site.services[s]
        .needs
        .iter()
        .position(|n| n.value == need)
        .unwrap_or(usize::MAX);
    (reach[s], need_position, urgent_position(urgent, s), s)
}

/// The order of helplines: the area's "Talk to someone now" services first,
/// in its order; then by `Reach`; then by name.
pub fn helpline_order(reach: &[Reach], urgent: &[usize], s: usize) -> (usize, Reach, usize) {
    (urgent_position(urgent, s), reach[s], s)
}

fn urgent_position(urgent: &[usize], s: usize) -> usize {
    urgent.iter().position(|&u| u == s).unwrap_or(usize::MAX)
}

impl Layout {
    pub fn new(site: &Site) -> Layout {
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
        let reach: Vec<Reach> = site.services.iter().map(Reach::of).collect();
        let areas = site
            .areas
            .par_iter()
            .zip(served)
            .map(|(area, services)| {
                let urgent: Vec<usize> = area
                    .urgent_help(&site.config)
                    .iter()
                    .filter_map(|slug| site.service_index(&slug.value))
                    .collect();
                let mut by_need = vec![Vec::new(); site.needs.len()];
                for &s in &services {
                    for need in &site.services[s].needs {
                        if let Some(n) = site.need_index(&need.value) {
                            by_need[n].push(s);
                        }
                    }
                }
                for (n, list) in by_need.iter_mut().enumerate() {
                    let need = &site.needs[n].slug;
                    list.sort_by_cached_key(|&s| need_order(&reach, &urgent, site, need, s));
                }
                let mut helplines: Vec<usize> = services
                    .iter()
                    .copied()
                    .filter(|&s| site.services[s].coverage == Coverage::National)
                    .collect();
                helplines.sort_by_key(|&s| helpline_order(&reach, &urgent, s));
                AreaLayout {
                    helplines,
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
        Layout { areas }
    }

    pub fn area(&self, a: AreaIx) -> &AreaLayout {
        &self.areas[a.0]
    }
}

/// Every page and data file of the site, in a stable order.
pub fn plan(site: &Site, layout: &Layout) -> Vec<Job> {
    let root = site.language_root();
    let page = |kind, path: String| Job {
        kind: Output::Page(kind),
        path: urls::in_language(&root, &path),
        language: 0,
    };
    let data = |kind, path: String| Job {
        kind: Output::Data(kind),
        path: urls::in_language(&root, &path),
        language: 0,
    };
    // One sitemap and feed for the whole site, with the main language's pages.
    let has_feeds = site.config.base_url.is_some() && site.untranslated.is_none();
    let mut jobs = vec![page(PageKind::Index, urls::front_page())];
    for (a, area) in site.areas.iter().enumerate() {
        let (slug, ai, area_ix) = (&area.slug, &layout.areas[a], AreaIx(a));
        jobs.push(page(PageKind::Area(area_ix), urls::area(slug)));
        for &s in &ai.services {
            let kind = PageKind::Service {
                area: area_ix,
                service: ServiceIx(s),
            };
            jobs.push(page(kind, urls::service(slug, &site.services[s].slug)));
        }
        for (n, need) in site.needs.iter().enumerate() {
            let kind = PageKind::Need {
                area: area_ix,
                need: NeedIx(n),
            };
            jobs.push(page(kind, urls::need(slug, &need.slug)));
        }
        for &p in &ai.pathways {
            let kind = PageKind::Pathway {
                area: area_ix,
                pathway: PathwayIx(p),
            };
            jobs.push(page(kind, urls::pathway(slug, &site.pathways[p].slug)));
        }
        for &c in &ai.stories {
            let kind = PageKind::Story {
                area: area_ix,
                story: StoryIx(c),
            };
            jobs.push(page(kind, urls::story(slug, &site.case_studies[c].slug)));
        }
        jobs.push(page(PageKind::Print(area_ix), urls::print(slug)));
        jobs.push(page(PageKind::Contacts(area_ix), urls::contacts(slug)));
        jobs.push(data(
            DataKind::PrintFooter(area_ix),
            urls::print_footer(slug),
        ));
        // Open Referral UK records carry no language: the exports are the
        // main language's (docs/languages.md).
        if site.untranslated.is_none() {
            jobs.push(data(DataKind::Export(area_ix), urls::export(slug)));
        }
        jobs.push(data(
            DataKind::SearchIndex(area_ix),
            urls::search_index(slug),
        ));
    }
    let feed = |file| DataKind::OpenReferral(file);
    // The site-wide open data, once, in the main language.
    if site.untranslated.is_none() {
        jobs.push(data(
            feed(OpenReferralFile::Index),
            urls::openreferral_index(),
        ));
        jobs.push(data(
            feed(OpenReferralFile::Services),
            urls::openreferral_services(),
        ));
        for (s, service) in site.services.iter().enumerate() {
            let path = urls::openreferral_service(&crate::openreferral::service_id(&service.slug));
            jobs.push(data(feed(OpenReferralFile::Service(ServiceIx(s))), path));
        }
        jobs.push(data(
            feed(OpenReferralFile::TaxonomyTerms),
            urls::openreferral_taxonomy_terms(),
        ));
        for table in Table::ALL {
            jobs.push(data(
                feed(OpenReferralFile::Table(table)),
                urls::openreferral_csv(table.file()),
            ));
        }
        jobs.push(data(
            feed(OpenReferralFile::DataPackage),
            urls::openreferral_csv(DATAPACKAGE),
        ));
    }
    if has_feeds {
        jobs.push(data(DataKind::Sitemap(0), urls::sitemap(0)));
        jobs.push(data(DataKind::Feed, urls::feed()));
    }
    for (p, free) in site.pages.iter().enumerate() {
        jobs.push(page(PageKind::Page(PageIx(p)), urls::page(&free.slug)));
    }
    if !site.glossary.is_empty() {
        jobs.push(page(PageKind::Glossary, urls::glossary()));
    }
    // Written once, with the main language: one editor and one `_headers`
    // for the whole site. The editor is a data file, not a page: no link, no
    // sitemap entry, no search entry.
    if site.untranslated.is_none() {
        if site.config.editing.is_some() {
            jobs.push(data(DataKind::AdminPage, urls::admin_page()));
            jobs.push(data(DataKind::AdminConfig, urls::admin_config()));
        }
        jobs.push(data(DataKind::Headers, urls::headers()));
    }
    if has_feeds {
        let pages = jobs.iter().filter(|j| j.is_page()).count() * site.config.languages.len();
        for part in 1..=sitemap_parts(pages) {
            jobs.push(data(DataKind::Sitemap(part), urls::sitemap(part)));
        }
    }
    jobs
}

/// The sitemap protocol's limit of URLs in one file.
pub const SITEMAP_MAX_URLS: usize = 50_000;

/// How many `sitemap-N.xml` parts a site of `pages` pages needs (none when
/// `sitemap.xml` holds them all).
pub fn sitemap_parts(pages: usize) -> usize {
    if pages <= SITEMAP_MAX_URLS {
        0
    } else {
        pages.div_ceil(SITEMAP_MAX_URLS)
    }
}

/// How many pages (not data files) `plan` makes, without making them.
pub fn page_count(site: &Site, layout: &Layout) -> usize {
    let per_area: usize = layout
        .areas
        .iter()
        // Its guide, print page and contacts handout, and a page per service,
        // need, pathway and story.
        .map(|a| 3 + a.services.len() + site.needs.len() + a.pathways.len() + a.stories.len())
        .sum();
    // With the front page, the free pages and the glossary's.
    1 + per_area + site.pages.len() + usize::from(!site.glossary.is_empty())
}

/// The job of `plan` at `path` (relative to the output root, as in
/// `Job::path`), worked out from the path itself: `serve` looks pages up
/// this way rather than keeping a map of 40,000 paths that every reload would
/// make again.
pub fn job_for_path(site: &Site, layout: &Layout, path: &str) -> Option<Job> {
    let member = |list: &[usize], i: usize| list.binary_search(&i).is_ok().then_some(i);
    let area_of = |slug: &str| site.area_index(slug).map(|a| (AreaIx(a), &layout.areas[a]));
    let has_feeds = site.config.base_url.is_some() && site.untranslated.is_none();
    let editing = site.config.editing.is_some() && site.untranslated.is_none();
    let (language, within) = urls::split_language(path, &site.config.languages);
    if language != 0 && site.untranslated.is_none() {
        // The caller passes the site of the path's language (`Prepared::job_for_path`).
        return None;
    }
    let kind = match urls::parse(within)? {
        Route::FrontPage => Output::Page(PageKind::Index),
        Route::Folder(urls::ADMIN_FOLDER) if editing => Output::Data(DataKind::AdminPage),
        Route::Folder(slug) => match site.pages.iter().rposition(|p| p.slug == slug) {
            Some(p) => Output::Page(PageKind::Page(PageIx(p))),
            None if slug == urls::GLOSSARY_FOLDER && !site.glossary.is_empty() => {
                Output::Page(PageKind::Glossary)
            }
            None => Output::Page(PageKind::Area(area_of(slug)?.0)),
        },
        Route::Service { area, service } => {
            let (area, ai) = area_of(area)?;
            let service = ServiceIx(member(&ai.services, site.service_index(service)?)?);
            Output::Page(PageKind::Service { area, service })
        }
        Route::Need { area, need } => Output::Page(PageKind::Need {
            area: area_of(area)?.0,
            need: NeedIx(site.need_index(need)?),
        }),
        Route::Pathway { area, pathway } => {
            let (area, ai) = area_of(area)?;
            let p = site.pathways.iter().position(|p| p.slug == pathway)?;
            let pathway = PathwayIx(member(&ai.pathways, p)?);
            Output::Page(PageKind::Pathway { area, pathway })
        }
        Route::Story { area, story } => {
            let (area, ai) = area_of(area)?;
            let c = site.case_studies.iter().position(|c| c.slug == story)?;
            let story = StoryIx(member(&ai.stories, c)?);
            Output::Page(PageKind::Story { area, story })
        }
        Route::Print(area) => Output::Page(PageKind::Print(area_of(area)?.0)),
        Route::Contacts(area) => Output::Page(PageKind::Contacts(area_of(area)?.0)),
        Route::PrintFooter(area) => Output::Data(DataKind::PrintFooter(area_of(area)?.0)),
        Route::Export(area) if site.untranslated.is_none() => {
            Output::Data(DataKind::Export(area_of(area)?.0))
        }
        Route::Export(_) => return None,
        Route::SearchIndex(area) => Output::Data(DataKind::SearchIndex(area_of(area)?.0)),
        Route::Sitemap(0) if has_feeds => Output::Data(DataKind::Sitemap(0)),
        Route::Sitemap(part)
            if has_feeds
                && part
                    <= sitemap_parts(page_count(site, layout) * site.config.languages.len()) =>
        {
            Output::Data(DataKind::Sitemap(part))
        }
        Route::Feed if has_feeds => Output::Data(DataKind::Feed),
        Route::AdminConfig if editing => Output::Data(DataKind::AdminConfig),
        Route::Headers if site.untranslated.is_none() => Output::Data(DataKind::Headers),
        Route::Sitemap(_) | Route::Feed | Route::AdminConfig | Route::Headers => return None,
        Route::OpenReferral(file) => Output::Data(DataKind::OpenReferral(match file {
            OpenReferralRoute::Index => OpenReferralFile::Index,
            OpenReferralRoute::Services => OpenReferralFile::Services,
            // Ids are hashes of slugs: find the service whose id it is.
            OpenReferralRoute::Service(id) => OpenReferralFile::Service(ServiceIx(
                site.services
                    .iter()
                    .position(|s| crate::openreferral::service_id(&s.slug) == id)?,
            )),
            OpenReferralRoute::TaxonomyTerms => OpenReferralFile::TaxonomyTerms,
            OpenReferralRoute::Csv(DATAPACKAGE) => OpenReferralFile::DataPackage,
            OpenReferralRoute::Csv(name) => OpenReferralFile::Table(Table::from_file(name)?),
        })),
    };
    Some(Job {
        kind,
        path: path.to_owned(),
        language,
    })
}
