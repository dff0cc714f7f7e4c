//! Loading `content/`: finding the files, reading each into the typed model, and
//! reporting every problem a single file can show on its own. Problems that need the
//! whole site (an unknown need, a pathway's graph) are found by `validate`.
//!
//! - `discover`: finding the files, and reading one safely;
//! - `cache`: the files as last read, which `serve` keeps between reloads;
//! - `readers`: reading each kind of file into the model, field by field.

mod cache;
mod discover;
mod readers;
mod translations;

pub use crate::source::{is_ignored, not_a_regular_file, read_regular_file};
pub use cache::{LoadCache, load_files_cached};
pub use discover::{ContentFile, discover};
pub(crate) use readers::is_language_tag;
pub use translations::{CONTACT_WORDS, STEP_WORDS, original_name, word_fields};

use rayon::prelude::*;
use time::Date;

use crate::diagnostics::{Diagnostics, Pos};
use crate::model::*;
use crate::source;
use crate::{slug, yaml};
use readers::*;

pub use crate::kinds::ContentKind as Kind;
pub use readers::EDITING_BACKENDS;

/// The fields a file of `kind` may have, in the order `signpost new` writes
/// them (for services, pathways, case studies, pages and areas); the browser
/// editor's configuration is checked against these.
pub fn known_fields(kind: Kind) -> &'static [&'static str] {
    match kind {
        Kind::SiteConfig => CONFIG_FIELDS,
        Kind::Needs => NEED_FIELDS,
        Kind::Glossary => GLOSSARY_FIELDS,
        Kind::Area => AREA_FIELDS,
        Kind::Service => SERVICE_FIELDS,
        Kind::Pathway => PATHWAY_FIELDS,
        Kind::CaseStudy => CASE_STUDY_FIELDS,
        Kind::Page => PAGE_FIELDS,
    }
}

/// The fields of a pathway's step, of a service's contact, location and hours.
#[cfg(test)]
pub(crate) use readers::{CONTACT_FIELDS, HOURS_FIELDS, LOCATION_FIELDS, STEP_FIELDS};

/// One file's contribution to the site.
#[derive(Clone)]
pub(super) enum Loaded {
    Config(SiteConfig),
    Needs(Vec<Need>),
    Glossary(Vec<crate::glossary::Term>),
    Area(Area),
    Service(Box<Service>),
    Pathway(Pathway),
    CaseStudy(CaseStudy),
    Page(Page),
    Translation(Box<Translation>),
}

/// Options that change what is loaded.
#[derive(Debug, Clone, Copy)]
pub struct LoadOptions {
    pub drafts: bool,
    /// The day of the build, for stale reviews.
    pub today: Date,
}

/// The parts of a site as loaded, before cross-file validation.
#[derive(Debug, Default)]
pub struct Parts {
    pub config: Option<SiteConfig>,
    pub needs: Option<Vec<Need>>,
    /// `content/glossary.yaml`, which is optional: empty without it.
    pub glossary: Vec<crate::glossary::Term>,
    pub areas: Vec<Area>,
    pub services: Vec<Service>,
    pub pathways: Vec<Pathway>,
    pub case_studies: Vec<CaseStudy>,
    pub pages: Vec<Page>,
    /// Files that exist but could not be read into the model (their problems are
    /// already reported), so that references to them are not reported again.
    pub unreadable: Vec<(Kind, String)>,
    /// Every translation, to lay over its original once the site is whole.
    pub translations: Vec<Translation>,
    /// Each file's text, in the order of the files loaded.
    pub texts: Vec<FileText>,
}

/// Reads and parses every file, in parallel; problems go into `diags`.
pub fn load_files(files: &[ContentFile], diags: &mut Diagnostics) -> Parts {
    let results: Vec<(Option<Loaded>, Diagnostics, FileText)> = files
        .par_iter()
        .map(|file| {
            let mut d = Diagnostics::new();
            let (loaded, text) = load_file(file, &mut d);
            (loaded, d, text)
        })
        .collect();
    collect_parts(files, results, diags)
}

fn collect_parts(
    files: &[ContentFile],
    results: Vec<(Option<Loaded>, Diagnostics, FileText)>,
    diags: &mut Diagnostics,
) -> Parts {
    // Sized up front: a service is a large struct, and growing a list of
    // 12,000 of them copies it all again at each doubling.
    let count = |kind: Kind| files.iter().filter(|f| f.kind == kind).count();
    let mut parts = Parts {
        services: Vec::with_capacity(count(Kind::Service)),
        pathways: Vec::with_capacity(count(Kind::Pathway)),
        case_studies: Vec::with_capacity(count(Kind::CaseStudy)),
        areas: Vec::with_capacity(count(Kind::Area)),
        texts: Vec::with_capacity(files.len()),
        ..Parts::default()
    };
    for (file, (loaded, d, text)) in files.iter().zip(results) {
        // A draft's problems are already warnings (`parse_text`).
        diags.extend(d);
        parts.texts.push(text);
        match loaded {
            Some(Loaded::Config(c)) => parts.config = Some(c),
            Some(Loaded::Needs(n)) => parts.needs = Some(n),
            Some(Loaded::Glossary(g)) => parts.glossary = g,
            Some(Loaded::Area(a)) => parts.areas.push(a),
            Some(Loaded::Service(s)) => parts.services.push(*s),
            Some(Loaded::Pathway(p)) => parts.pathways.push(p),
            Some(Loaded::CaseStudy(c)) => parts.case_studies.push(c),
            Some(Loaded::Page(p)) => parts.pages.push(p),
            Some(Loaded::Translation(t)) => parts.translations.push(*t),
            None => parts.unreadable.push((file.kind, file.slug.clone())),
        }
    }
    parts
}

/// Renders the Markdown of one loaded file.
pub(super) fn render_bodies(loaded: &mut Loaded) {
    use crate::markdown::WithMarkdown;
    match loaded {
        Loaded::Service(s) => s.render_markdown(),
        Loaded::CaseStudy(c) => c.render_markdown(),
        Loaded::Page(p) => p.render_markdown(),
        Loaded::Pathway(p) => p.render_markdown(),
        // Translations' bodies render once laid over their originals.
        Loaded::Config(_)
        | Loaded::Needs(_)
        | Loaded::Glossary(_)
        | Loaded::Area(_)
        | Loaded::Translation(_) => {}
    }
}

/// A file's text, kept from loading for the checks that read whole files
/// after the model is made (`confidential`), so they need not read them again.
pub type FileText = Option<std::sync::Arc<str>>;

pub(super) fn load_file(file: &ContentFile, diags: &mut Diagnostics) -> (Option<Loaded>, FileText) {
    if file.unreadable_folder {
        return (None, None);
    }
    let shown = file.display.as_str();
    // A translation's slug is its original's, which is checked there.
    if !matches!(file.kind, Kind::SiteConfig | Kind::Needs | Kind::Glossary)
        && file.lang.is_none()
        && !slug::is_valid(&file.slug)
    {
        diags.error(
            shown,
            None,
            format!(
                "the file name `{}` is not a valid slug: use lower-case letters, digits and single hyphens, such as `{}`",
                file.slug,
                slug::from_title(&file.slug)
            ),
        );
    }
    let Some(text) = read_bytes(file, diags).and_then(|bytes| decoded(shown, &bytes, diags)) else {
        return (None, None);
    };
    let loaded = parse_text(
        file.kind,
        shown,
        &file.slug,
        file.lang.as_deref(),
        &text,
        diags,
    );
    (loaded, Some(text.into()))
}

/// Parses one content file's bytes, for fuzzing and tests: every problem the file
/// shows on its own goes into the returned diagnostics. Never panics.
pub fn parse_content(kind: Kind, slug: &str, bytes: &[u8]) -> Diagnostics {
    let mut diags = Diagnostics::new();
    let _ = parse_bytes(kind, "fuzz", slug, None, bytes, &mut diags);
    diags
}

pub(super) fn parse_bytes(
    kind: Kind,
    shown: &str,
    slug: &str,
    lang: Option<&str>,
    bytes: &[u8],
    diags: &mut Diagnostics,
) -> Option<Loaded> {
    let text = decoded(shown, bytes, diags)?;
    parse_text(kind, shown, slug, lang, &text, diags)
}

/// A file's bytes as text, or its problems reported.
fn decoded(shown: &str, bytes: &[u8], diags: &mut Diagnostics) -> Option<String> {
    match source::decode(bytes) {
        Ok(text) => Some(text),
        Err(problems) => {
            for (pos, message) in problems {
                diags.error(shown, Some(pos), message);
            }
            None
        }
    }
}

fn parse_text(
    kind: Kind,
    shown: &str,
    slug: &str,
    lang: Option<&str>,
    text: &str,
    diags: &mut Diagnostics,
) -> Option<Loaded> {
    let is_markdown = kind.is_markdown();
    let (yaml_text, first_line, body) = if is_markdown {
        match source::split_front_matter(text) {
            Ok(split) => (split.front_matter, split.front_matter_line, split.body),
            Err((pos, message)) => {
                diags.error(shown, Some(pos), message);
                return None;
            }
        }
    } else {
        (text, 1, "")
    };
    let node = match yaml::parse(yaml_text, first_line) {
        Ok(Some(node)) => node,
        Ok(None) => {
            // An empty document: read it as a mapping with no fields, so that every
            // required field is reported missing.
            yaml::Node {
                value: yaml::Value::Map(Vec::new()),
                pos: Pos::new(first_line, 1),
            }
        }
        Err(errors) => {
            for e in errors {
                diags.error(shown, Some(e.pos), e.message);
            }
            return None;
        }
    };
    let slug = slug.to_owned();
    let body = Markdown::file_body(text, body);
    if let Some(lang) = lang {
        return translations::read_translation(kind, shown, slug, lang, &node, body, diags)
            .map(|t| Loaded::Translation(Box::new(t)));
    }
    // A draft's problems are warnings (SPEC §5): it is not published, and an
    // entry still being filled in, by hand or after `signpost import`, must
    // never block the rest of the site.
    if is_draft(&node) {
        let mut found = Diagnostics::new();
        let loaded = read_kind(kind, shown, slug, &node, body, &mut found);
        diags.extend(found.into_warnings());
        return loaded;
    }
    read_kind(kind, shown, slug, &node, body, diags)
}

/// Whether a file's fields say `draft: true`.
fn is_draft(node: &yaml::Node) -> bool {
    let yaml::Value::Map(fields) = &node.value else {
        return false;
    };
    fields.iter().any(|(key, value)| {
        key.as_scalar() == Some("draft") && value.as_scalar().map(str::trim) == Some("true")
    })
}

fn read_kind(
    kind: Kind,
    shown: &str,
    slug: String,
    node: &yaml::Node,
    body: Markdown,
    diags: &mut Diagnostics,
) -> Option<Loaded> {
    match kind {
        Kind::SiteConfig => read_config(shown, node, diags).map(Loaded::Config),
        Kind::Needs => read_needs(shown, node, diags).map(Loaded::Needs),
        Kind::Glossary => read_glossary(shown, node, diags).map(Loaded::Glossary),
        Kind::Area => read_area(shown, slug, node, diags).map(Loaded::Area),
        Kind::Service => {
            read_service(shown, slug, node, body, diags).map(|s| Loaded::Service(Box::new(s)))
        }
        Kind::Pathway => read_pathway(shown, slug, node, body, diags).map(Loaded::Pathway),
        Kind::CaseStudy => read_case_study(shown, slug, node, body, diags).map(Loaded::CaseStudy),
        Kind::Page => read_page(shown, slug, node, body, diags).map(Loaded::Page),
    }
}

pub(super) fn read_bytes(file: &ContentFile, diags: &mut Diagnostics) -> Option<Vec<u8>> {
    match read_regular_file(&file.path) {
        Ok(bytes) => Some(bytes),
        Err(message) => {
            diags.error(&file.display, None, message);
            None
        }
    }
}
