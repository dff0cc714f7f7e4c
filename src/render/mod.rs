//! Rendering: each page as a pure function of the site, its layout and a
//! template (`render_page`), and each data file. Planning which pages a site
//! has is `pages`; writing them is `output`.
//!
//! - `index`: what the pages of a build share and make once (diagrams, export
//!   records, search entries) and what one area's pages share (`AreaCache`);
//! - `values`: the values templates see, documented in docs/themes.md;
//! - `sample`: the pages `check` renders, one per shape of entry.
//!
//! Dates, days and hours are worded by `crate::words`, in the page's language.

mod fragments;
mod index;
mod sample;
mod values;

pub use index::{AreaCache, SiteIndex};
pub use sample::check_sample;

use tera::{Context, Value};

use crate::export;
use crate::model::*;
use crate::openreferral;
use crate::pages::{AreaIx, DataKind, Job, OpenReferralFile, Output, PageKind};
use crate::theme::Theme;
use values::*;

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

/// The way from a page to the output root, as templates get it in `root`:
/// `../../` for `essex/services/open-road/`, empty for the front page.
pub fn root_of(job: &Job) -> String {
    "../".repeat(job.path.matches('/').count())
}

/// Renders one page to HTML.
pub fn render_page(
    site: &Site,
    index: &SiteIndex,
    theme: &Theme,
    job: &Job,
) -> Result<String, RenderError> {
    let mut out = Vec::new();
    render_page_into(site, index, theme, job, &mut AreaCache::default(), &mut out)?;
    // Templates and our exports write UTF-8 text only.
    Ok(String::from_utf8(out)
        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()))
}

/// A page's counterpart in another language, for `hreflang` and the switcher.
#[derive(serde::Serialize)]
struct Alternate<'a> {
    lang: &'a str,
    /// Relative to this page.
    path: String,
    /// With the site's `base_url`, when it has one.
    url: Option<String>,
}

/// `lang`, `dir`, `root` (the root of the page's language tree, which its
/// links start from), `static_root` (the output root, where the theme's
/// files are) and `alternates` (the page in each other language).
fn insert_language(site: &Site, job: &Job, ctx: &mut Context) {
    let own_root = site.language_root();
    let within = job
        .path
        .strip_prefix(own_root.as_str())
        .unwrap_or(&job.path);
    let static_root = "../".repeat(job.path.matches('/').count());
    ctx.insert("root", &"../".repeat(within.matches('/').count()));
    ctx.insert("lang", &site.config.language);
    let rtl = crate::translate::is_right_to_left(&site.config.language);
    ctx.insert("dir", if rtl { "rtl" } else { "ltr" });
    // Always a list, empty for a guide in one language: templates loop over it.
    {
        let alternates: Vec<Alternate> = site
            .config
            .languages
            .iter()
            .enumerate()
            .filter(|(_, lang)| **lang != site.config.language)
            .map(|(i, lang)| {
                let root = if i == 0 {
                    String::new()
                } else {
                    crate::urls::language_root(lang)
                };
                let path = crate::urls::in_language(&root, within);
                Alternate {
                    lang,
                    url: site.config.base_url.as_ref().map(|b| format!("{b}{path}")),
                    path: format!("{static_root}{path}"),
                }
            })
            .collect();
        ctx.insert("alternates", &alternates);
    }
    ctx.insert("static_root", &static_root);
}

/// The language of a page's own entry when it is not the page's: the main
/// language, for an entry not translated yet.
fn content_lang(site: &Site, page: PageKind) -> Option<&str> {
    use crate::kinds::ContentKind as Kind;
    site.untranslated.as_ref()?;
    let (kind, slug): (Kind, &str) = match page {
        PageKind::Index | PageKind::Need { .. } => return None,
        PageKind::Area(a) | PageKind::Print(a) | PageKind::Contacts(a) => {
            (Kind::Area, &site.areas[a.0].slug)
        }
        PageKind::Glossary => (Kind::Glossary, ""),
        PageKind::Service { service, .. } => (Kind::Service, &site.services[service.0].slug),
        PageKind::Pathway { pathway, .. } => (Kind::Pathway, &site.pathways[pathway.0].slug),
        PageKind::Story { story, .. } => (Kind::CaseStudy, &site.case_studies[story.0].slug),
        PageKind::Page(p) => (Kind::Page, &site.pages[p.0].slug),
    };
    site.fallback_lang(kind, slug)
}

/// Writes a data file (exports, search index, sitemap, feed) into `out`.
fn render_data_file(
    site: &Site,
    index: &SiteIndex,
    theme: &Theme,
    data: DataKind,
    out: &mut Vec<u8>,
) {
    let base = site.config.base_url.as_deref();
    // The data files append to a String: lend them the buffer as one.
    let mut text = String::from_utf8(std::mem::take(out)).unwrap_or_default();
    match data {
        DataKind::Export(a) => {
            let services = &index.layout.area(a).services;
            let records = services
                .iter()
                .map(|&s| index.record(site, s).json.as_str());
            openreferral::write_page(records, &mut text);
        }
        DataKind::OpenReferral(file) => render_openreferral(site, index, file, &mut text),
        DataKind::SearchIndex(a) => crate::search::area_index_script(
            site,
            &index.layout.area(a).services,
            |s, out| out.push_str(&index.search_entry(site, s, &theme.words)),
            &mut text,
        ),
        DataKind::Sitemap(part) => {
            let pages = index.page_paths(site);
            text.push_str(&export::sitemap(
                &pages,
                base.unwrap_or_default(),
                part,
                &site.config.languages,
            ))
        }
        DataKind::Feed => text.push_str(&export::feed(site, base.unwrap_or_default())),
        DataKind::AdminPage => text.push_str(&crate::cms::admin_page(&site.config)),
        DataKind::AdminConfig => text.push_str(&crate::cms::config_yml(site)),
        DataKind::Headers => text.push_str(&crate::headers::netlify_headers(site)),
        DataKind::PrintFooter(a) => {
            let word = |key| crate::words::word_with(key, &[]);
            let words = crate::print::FooterWords {
                built: crate::words::date_words(index.today),
                page: word("print_footer_page"),
                of: word("print_footer_of"),
                as_of: word("print_footer_as_of"),
            };
            let address = crate::print::guide_address(site, &site.areas[a.0].slug);
            let svg = address
                .as_deref()
                .and_then(|address| index.qr_code(a.0, address))
                .map(|drawing| drawing.svg(16, ""));
            crate::print::footer_css(&words, address.as_deref(), svg.as_deref(), &mut text)
        }
    }
    *out = text.into_bytes();
}

/// A file of the site-wide Open Referral UK feed. Every service's record is
/// serialised once (`SiteIndex::record`) and copied into each file.
fn render_openreferral(site: &Site, index: &SiteIndex, file: OpenReferralFile, text: &mut String) {
    let all = 0..site.services.len();
    match file {
        OpenReferralFile::Index => text.push_str(&openreferral::index_json()),
        OpenReferralFile::Services => {
            let records = all.map(|s| index.record(site, s).json.as_str());
            openreferral::write_page(records, text);
        }
        OpenReferralFile::Service(s) => text.push_str(&index.record(site, s.0).standalone()),
        OpenReferralFile::TaxonomyTerms => text.push_str(&openreferral::taxonomy_terms_json(site)),
        OpenReferralFile::Table(table) => {
            let rows = all.map(|s| &index.record(site, s).rows);
            text.push_str(&table.csv(rows, &openreferral::taxonomy_terms(site)));
        }
        OpenReferralFile::DataPackage => text.push_str(&openreferral::tabular::datapackage_json()),
    }
}

/// Renders one page into `out` (cleared first), sharing `cache` with the
/// other pages of its area. A build passes the same `out` for every page a
/// thread renders: a print page runs to megabytes, and growing a fresh
/// buffer to that size for each page cost more than rendering into it.
pub fn render_page_into(
    site: &Site,
    index: &SiteIndex,
    theme: &Theme,
    job: &Job,
    cache: &mut AreaCache,
    out: &mut Vec<u8>,
) -> Result<(), RenderError> {
    out.clear();
    theme
        .words
        .use_language(&site.config.language, &site.config.languages[0]);
    let page = match job.kind {
        Output::Data(data) => {
            render_data_file(site, index, theme, data, out);
            return Ok(());
        }
        Output::Page(page) => page,
    };
    let base = site.config.base_url.as_deref();
    let word = crate::words::word_with;
    cache.fill_for(&ValueBuilder::new(site, index, Default::default()), page);
    let builder = ValueBuilder::new(site, index, cache.lists(page.area()));
    let mut ctx = Context::new();
    for (key, value) in builder.common() {
        ctx.insert_value(*key, value.clone());
    }
    let words = index.words.get_or_init(|| {
        let lang = &site.config.language;
        Value::from(theme.words.language_map(lang, &site.config.languages[0]))
    });
    ctx.insert_value("w", words.clone());
    let components = fragments::Components { theme, words };
    insert_language(site, job, &mut ctx);
    let (template, title) = match page {
        PageKind::Index => {
            ctx.insert(
                "areas",
                &site
                    .areas
                    .iter()
                    .map(|a| AreaView::new(site, a))
                    .collect::<Vec<_>>(),
            );
            ("index.html", word("title_index", &[]))
        }
        PageKind::Area(AreaIx(a)) => {
            builder.insert_area_lists(&mut ctx, a, ListsFor::Guide)?;
            ("area.html", site.areas[a].name.clone())
        }
        PageKind::Service { area, service } => {
            let (area, service) = (area.0, service.0);
            let s = &site.services[service];
            let url = base.map(|b| format!("{b}{}", job.path));
            let json_ld = index.kept(&index.json_ld[service], service, || {
                export::WithUrlSlot::new(|slot| {
                    export::service_json_ld(site, s, url.as_ref().map(|_| slot.to_owned()))
                })
            });
            ctx.insert("json_ld", &export::with_url(&json_ld, url.as_deref()));
            let body = Value::from(&*s.body.html);
            let seen_from_area = builder.service_value(area, service);
            let kind = fragments::FragmentKind::Details;
            let details = index.fragment(kind, service, &components, || {
                builder.within_area(seen_from_area.clone(), area, service, kind.up_to_area())
            });
            let mut value = seen_from_area.into_map().unwrap_or_default();
            value.insert("body_html".into(), body);
            if let Some(details) = details.clone()? {
                value.insert("details_html".into(), details);
            }
            ctx.insert_value("service", Value::from(value));
            ("service.html", site.services[service].name.clone())
        }
        PageKind::Need { area, need } => {
            let (area, need) = (area.0, need.0);
            let value = builder.need_page_value(area, need, &components)?;
            insert_values(&mut ctx, [("need", value)]);
            (
                "need.html",
                word(
                    "title_need",
                    &[
                        ("need", &site.needs[need].name),
                        ("area", &site.areas[area].name),
                    ],
                ),
            )
        }
        PageKind::Pathway { area, pathway } => {
            let (area, pathway) = (area.0, pathway.0);
            let kind = fragments::FragmentKind::PathwaySteps;
            let steps = index.fragment(kind, pathway, &components, || {
                let from = LinksFrom::WithinArea(kind.up_to_area());
                builder.pathway_value_from(area, pathway, from)
            });
            let mut value = builder.cached_pathway_value(area, pathway);
            if let Some(steps) = steps.clone()? {
                value = with_field(value, "steps_html", steps);
            }
            ctx.insert_value("pathway", value);
            ("pathway.html", site.pathways[pathway].title.clone())
        }
        PageKind::Story { area, story } => {
            let (area, story) = (area.0, story.0);
            ctx.insert("story", &builder.story(area, story, false));
            ("story.html", site.case_studies[story].title.clone())
        }
        PageKind::Print(AreaIx(a)) => {
            builder.insert_area_lists(&mut ctx, a, ListsFor::Print(&components))?;
            ctx.insert("print", &PrintView::new(site, index, a));
            (
                "print.html",
                word("title_print", &[("area", &site.areas[a].name)]),
            )
        }
        PageKind::Contacts(AreaIx(a)) => {
            builder.insert_area_lists(&mut ctx, a, ListsFor::Guide)?;
            ctx.insert("print", &PrintView::new(site, index, a));
            (
                "contacts.html",
                word("key_contacts_in", &[("area", &site.areas[a].name)]),
            )
        }
        PageKind::Page(p) => {
            ctx.insert("page", &PageView::new(&site.pages[p.0]));
            ("page.html", site.pages[p.0].title.clone())
        }
        PageKind::Glossary => {
            ctx.insert("glossary", &glossary_views(&site.glossary));
            ("glossary.html", word("words_and_abbreviations", &[]))
        }
    };
    let area = page.area().map(|a| a.0);
    let area_value = area.map(|a| index.area_view(site, a));
    if let Some(value) = &area_value {
        ctx.insert_value("area", value.clone());
    }
    let urgent_help = builder.urgent_help_value(area);
    ctx.insert_value("urgent_help", urgent_help.clone());
    // The parts of the layout that are the same on every page of an area
    // (or outside areas), rendered once: about a third of the layout's cost.
    let urgent_block = match area {
        Some(a) => &index.urgent_blocks[a],
        None => &index.urgent_block_site,
    };
    let urgent_html = urgent_block.get_or_init(|| {
        components.render_named(
            "urgent_help_block",
            vec![
                ("area", area_value.unwrap_or_else(Value::none)),
                ("urgent_help", urgent_help),
            ],
        )
    });
    if let Some(html) = urgent_html.clone()? {
        ctx.insert_value("urgent_html", html);
    }
    let script_words = index
        .script_words
        .get_or_init(|| components.render_named("script_words", Vec::new()));
    if let Some(html) = script_words.clone()? {
        ctx.insert_value("script_words_html", html);
    }
    ctx.insert("page_title", &title);
    ctx.insert("template", template.trim_end_matches(".html"));
    if let Some(lang) = content_lang(site, page) {
        ctx.insert("content_lang", lang);
    }
    theme.tera.render_to(template, &ctx, out).map_err(|e| {
        let problem = theme.describe_render_error(template, &e);
        RenderError {
            template: theme.template_display(problem.template.as_deref().unwrap_or(template)),
            pos: problem.pos,
            message: problem.message,
        }
    })
}
