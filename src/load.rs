//! Loading `content/`: finding the files, reading each into the typed model, and
//! reporting every problem a single file can show on its own. Problems that need the
//! whole site (an unknown need, a pathway's graph) are found by `validate`.

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use time::Date;
use walkdir::WalkDir;

use crate::diagnostics::{Diagnostics, Pos, suggestion};
use crate::fields::{Fields, Spanned};
use crate::model::*;
use crate::source::{self, MAX_FILE_BYTES};
use crate::{slug, yaml};

/// The kinds of content file, by where they sit in `content/`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    SiteConfig,
    Needs,
    Area,
    Service,
    Pathway,
    CaseStudy,
    Page,
}

impl Kind {
    /// The folders of one-file-per-entry kinds, and the extension their files take.
    const FOLDERS: [(&'static str, Kind, &'static str); 5] = [
        ("areas", Kind::Area, "yaml"),
        ("services", Kind::Service, "md"),
        ("pathways", Kind::Pathway, "md"),
        ("case-studies", Kind::CaseStudy, "md"),
        ("pages", Kind::Page, "md"),
    ];
}

/// A content file found on disk.
#[derive(Debug, Clone)]
pub struct ContentFile {
    pub kind: Kind,
    pub path: PathBuf,
    /// The path shown in diagnostics: `content/services/open-road.md`.
    pub display: String,
    pub slug: String,
}

/// One file's contribution to the site.
#[derive(Clone)]
enum Loaded {
    Config(SiteConfig),
    Needs(Vec<Need>),
    Area(Area),
    Service(Box<Service>),
    Pathway(Pathway),
    CaseStudy(CaseStudy),
    Page(Page),
}

/// Editors' temporary and backup files, which are never content.
pub fn is_ignored(name: &str) -> bool {
    name.starts_with('.') || name.ends_with('~') || name.ends_with(".swp") || name.ends_with(".tmp")
}

/// Finds the content files under `content_dir`, warning about anything unexpected.
pub fn discover(content_dir: &Path, diags: &mut Diagnostics) -> Vec<ContentFile> {
    let mut files = Vec::new();
    let walker = WalkDir::new(content_dir)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_ignored(&e.file_name().to_string_lossy()));
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                let shown = e
                    .path()
                    .map_or_else(|| "content".into(), |p| display_path(content_dir, p));
                diags.error(&shown, None, format!("cannot read: {e}"));
                continue;
            }
        };
        if entry.file_type().is_dir() {
            continue;
        }
        let rel = entry
            .path()
            .strip_prefix(content_dir)
            .unwrap_or(entry.path());
        let shown = display_path(content_dir, entry.path());
        if entry.path_is_symlink() {
            // A link could publish any file on the machine, or loop forever.
            diags.error(
                &shown,
                None,
                "symbolic links are not allowed in content/ (one could publish a file from anywhere on this computer); copy the file in instead",
            );
            continue;
        }
        let parts: Vec<String> = rel
            .iter()
            .map(|p| p.to_string_lossy().into_owned())
            .collect();
        match classify(&parts) {
            Ok((kind, slug)) => files.push(ContentFile {
                kind,
                path: entry.path().to_owned(),
                display: shown,
                slug,
            }),
            Err(hint) => diags.warning(&shown, None, format!("unexpected file, left out: {hint}")),
        }
    }
    files
}

fn display_path(content_dir: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(content_dir).unwrap_or(path);
    let mut shown = String::from("content");
    for part in rel.iter() {
        shown.push('/');
        shown.push_str(&part.to_string_lossy());
    }
    shown
}

/// Works out a file's kind and slug from its place, or says what is wrong with it.
fn classify(parts: &[String]) -> Result<(Kind, String), String> {
    match parts {
        [name] if name == "site.yaml" => Ok((Kind::SiteConfig, String::new())),
        [name] if name == "needs.yaml" => Ok((Kind::Needs, String::new())),
        [name] if name == "site.yml" || name == "needs.yml" => Err(format!(
            "rename it `{}` (with .yaml)",
            name.replace(".yml", ".yaml")
        )),
        [folder, name] => {
            let Some((_, kind, ext)) = Kind::FOLDERS.iter().find(|(f, _, _)| f == folder) else {
                return Err(unexpected_folder(folder));
            };
            match name.rsplit_once('.') {
                Some((stem, e)) if e == *ext => Ok((*kind, stem.to_owned())),
                Some((stem, "yml")) if *ext == "yaml" => Err(format!("rename it `{stem}.yaml`")),
                _ => Err(format!("files in `{folder}/` end in `.{ext}`")),
            }
        }
        [folder, ..] if Kind::FOLDERS.iter().any(|(f, _, _)| f == folder) => {
            Err(format!("`{folder}/` holds files, not folders"))
        }
        [folder, ..] => Err(unexpected_folder(folder)),
        [] => Err("no name".into()),
    }
}

fn unexpected_folder(folder: &str) -> String {
    let folders = Kind::FOLDERS.iter().map(|(f, _, _)| *f);
    format!(
        "Signpost reads site.yaml, needs.yaml and the folders areas, services, pathways, case-studies and pages{}",
        suggestion(folder, folders)
    )
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
    pub areas: Vec<Area>,
    pub services: Vec<Service>,
    pub pathways: Vec<Pathway>,
    pub case_studies: Vec<CaseStudy>,
    pub pages: Vec<Page>,
    /// Files that exist but could not be read into the model (their problems are
    /// already reported), so that references to them are not reported again.
    pub unreadable: Vec<(Kind, String)>,
}

/// Reads and parses every file, in parallel; problems go into `diags`.
pub fn load_files(files: &[ContentFile], diags: &mut Diagnostics) -> Parts {
    let results: Vec<(Option<Loaded>, Diagnostics)> = files
        .par_iter()
        .map(|file| {
            let mut d = Diagnostics::new();
            let loaded = load_file(file, &mut d);
            (loaded, d)
        })
        .collect();
    collect_parts(files, results, diags)
}

fn collect_parts(
    files: &[ContentFile],
    results: Vec<(Option<Loaded>, Diagnostics)>,
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
        ..Parts::default()
    };
    for (file, (loaded, d)) in files.iter().zip(results) {
        diags.extend(d);
        match loaded {
            Some(Loaded::Config(c)) => parts.config = Some(c),
            Some(Loaded::Needs(n)) => parts.needs = Some(n),
            Some(Loaded::Area(a)) => parts.areas.push(a),
            Some(Loaded::Service(s)) => parts.services.push(*s),
            Some(Loaded::Pathway(p)) => parts.pathways.push(p),
            Some(Loaded::CaseStudy(c)) => parts.case_studies.push(c),
            Some(Loaded::Page(p)) => parts.pages.push(p),
            None => parts.unreadable.push((file.kind, file.slug.clone())),
        }
    }
    parts
}

/// Content files as last read, kept by `serve` between reloads so that a
/// change re-reads, re-parses and re-renders the Markdown of only the files
/// whose size or modification time changed. On a national guide of 15,000
/// files that is most of the difference between a second and a tenth of one.
#[derive(Default)]
pub struct LoadCache {
    files: std::collections::HashMap<PathBuf, Cached>,
    /// The last listing of `content/`, and what finding it reported.
    listing: Option<(Vec<ContentFile>, Diagnostics)>,
}

#[derive(Clone)]
struct Cached {
    stamp: (u64, std::time::SystemTime),
    loaded: Option<Loaded>,
    diags: Diagnostics,
}

impl LoadCache {
    /// Drops what is known of `path`, so that the next load reads it again
    /// even if its size and time look the same.
    pub fn forget(&mut self, path: &Path) {
        self.files.remove(path);
    }

    /// The content files: the last listing when `only_contents_changed` (no
    /// file was added, removed or renamed), else found again.
    pub fn discover(
        &mut self,
        content_dir: &Path,
        only_contents_changed: bool,
        diags: &mut Diagnostics,
    ) -> Vec<ContentFile> {
        if only_contents_changed && let Some((files, found)) = &self.listing {
            diags.extend(found.clone());
            return files.clone();
        }
        let mut found = Diagnostics::new();
        let files = discover(content_dir, &mut found);
        diags.extend(found.clone());
        self.listing = Some((files.clone(), found));
        files
    }
}

fn stamp(path: &Path) -> Option<(u64, std::time::SystemTime)> {
    let meta = std::fs::symlink_metadata(path).ok()?;
    Some((meta.len(), meta.modified().ok()?))
}

/// `load_files`, reusing `cache` for files that have not changed. Markdown is
/// rendered here, per file, so that it too is done again only for changed files.
///
/// A file has changed when its size or modification time differ from the
/// cached ones; with `trusted` set, the caller knows which files changed (the
/// watcher said so) and no other file is even looked at.
pub fn load_files_cached(
    files: &[ContentFile],
    cache: &mut LoadCache,
    trusted: Option<&std::collections::HashSet<PathBuf>>,
    diags: &mut Diagnostics,
) -> Parts {
    let stamps: Vec<_> = files
        .par_iter()
        .map(|f| match (trusted, cache.files.get(&f.path)) {
            (Some(changed), Some(cached)) if !changed.contains(&f.path) => Some(cached.stamp),
            _ => stamp(&f.path),
        })
        .collect();
    let hit = |file: &ContentFile, stamp: &Option<(u64, std::time::SystemTime)>| {
        stamp.and_then(|st| cache.files.get(&file.path).filter(|c| c.stamp == st))
    };
    let results: Vec<(Option<Loaded>, Diagnostics, bool)> = files
        .par_iter()
        .zip(&stamps)
        .map(|(file, stamp)| {
            if let Some(cached) = hit(file, stamp) {
                return (cached.loaded.clone(), cached.diags.clone(), true);
            }
            let mut d = Diagnostics::new();
            let mut loaded = load_file(file, &mut d);
            if let Some(loaded) = loaded.as_mut() {
                render_bodies(loaded);
            }
            (loaded, d, false)
        })
        .collect();
    // Update the cache in place: files read again replace their entries, and
    // files that are gone leave. (Rebuilding the map each time cost a national
    // guide's reload 15,000 path copies.)
    let mut kept = 0;
    for ((file, stamp), (loaded, d, was_hit)) in files.iter().zip(&stamps).zip(&results) {
        match stamp {
            Some(_) if *was_hit => kept += 1,
            Some(stamp) => {
                kept += 1;
                let entry = Cached {
                    stamp: *stamp,
                    loaded: loaded.clone(),
                    diags: d.clone(),
                };
                cache.files.insert(file.path.clone(), entry);
            }
            None => {
                cache.files.remove(&file.path);
            }
        }
    }
    // Every listed file with a stamp has an entry, so any more are files no
    // longer listed.
    if cache.files.len() != kept {
        let listed: std::collections::HashSet<&std::path::Path> =
            files.iter().map(|f| f.path.as_path()).collect();
        cache
            .files
            .retain(|path, _| listed.contains(path.as_path()));
    }
    let results = results.into_iter().map(|(l, d, _)| (l, d)).collect();
    collect_parts(files, results, diags)
}

/// Renders the Markdown of one loaded file.
fn render_bodies(loaded: &mut Loaded) {
    use crate::markdown::{render_body, render_pathway};
    match loaded {
        Loaded::Service(s) => render_body(&mut s.body, ""),
        Loaded::CaseStudy(c) => render_body(&mut c.body, ""),
        Loaded::Page(p) => render_body(&mut p.body, ""),
        Loaded::Pathway(p) => render_pathway(p),
        Loaded::Config(_) | Loaded::Needs(_) | Loaded::Area(_) => {}
    }
}

fn load_file(file: &ContentFile, diags: &mut Diagnostics) -> Option<Loaded> {
    let shown = file.display.as_str();
    if !matches!(file.kind, Kind::SiteConfig | Kind::Needs) && !slug::is_valid(&file.slug) {
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
    let bytes = read_bytes(file, diags)?;
    parse_bytes(file.kind, shown, &file.slug, &bytes, diags)
}

/// Parses one content file's bytes, for fuzzing and tests: every problem the file
/// shows on its own goes into the returned diagnostics. Never panics.
pub fn parse_content(kind: Kind, slug: &str, bytes: &[u8]) -> Diagnostics {
    let mut diags = Diagnostics::new();
    let _ = parse_bytes(kind, "fuzz", slug, bytes, &mut diags);
    diags
}

fn parse_bytes(
    kind: Kind,
    shown: &str,
    slug: &str,
    bytes: &[u8],
    diags: &mut Diagnostics,
) -> Option<Loaded> {
    let text = match source::decode(bytes) {
        Ok(text) => text,
        Err((pos, message)) => {
            diags.error(shown, Some(pos), message);
            return None;
        }
    };
    let is_markdown = matches!(
        kind,
        Kind::Service | Kind::Pathway | Kind::CaseStudy | Kind::Page
    );
    let (yaml_text, first_line, body) = if is_markdown {
        match source::split_front_matter(&text) {
            Ok(split) => (split.front_matter, split.front_matter_line, split.body),
            Err((pos, message)) => {
                diags.error(shown, Some(pos), message);
                return None;
            }
        }
    } else {
        (text.as_str(), 1, "")
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
        Err(e) => {
            diags.error(shown, Some(e.pos), format!("YAML syntax: {}", e.message));
            return None;
        }
    };
    let slug = slug.to_owned();
    let body = Markdown::file_body(&text, body);
    match kind {
        Kind::SiteConfig => read_config(shown, &node, diags).map(Loaded::Config),
        Kind::Needs => read_needs(shown, &node, diags).map(Loaded::Needs),
        Kind::Area => read_area(shown, slug, &node, diags).map(Loaded::Area),
        Kind::Service => {
            read_service(shown, slug, &node, body, diags).map(|s| Loaded::Service(Box::new(s)))
        }
        Kind::Pathway => read_pathway(shown, slug, &node, body, diags).map(Loaded::Pathway),
        Kind::CaseStudy => read_case_study(shown, slug, &node, body, diags).map(Loaded::CaseStudy),
        Kind::Page => read_page(shown, slug, &node, body, diags).map(Loaded::Page),
    }
}

fn read_bytes(file: &ContentFile, diags: &mut Diagnostics) -> Option<Vec<u8>> {
    let shown = file.display.as_str();
    match std::fs::metadata(&file.path) {
        Ok(meta) if meta.len() > MAX_FILE_BYTES => {
            diags.error(
                shown,
                None,
                format!(
                    "the file is {} MB; content files must be under {} MB",
                    meta.len() / 1_000_000,
                    MAX_FILE_BYTES / 1_000_000
                ),
            );
            return None;
        }
        Ok(_) => {}
        Err(e) => {
            diags.error(shown, None, format!("cannot read: {e}"));
            return None;
        }
    }
    match std::fs::read(&file.path) {
        Ok(bytes) => Some(bytes),
        Err(e) => {
            diags.error(shown, None, format!("cannot read: {e}"));
            None
        }
    }
}

const CONFIG_FIELDS: &[&str] = &[
    "title",
    "publisher",
    "language",
    "base_url",
    "theme",
    "review_after_months",
    "quick_exit_url",
];

fn read_config(file: &str, node: &yaml::Node, diags: &mut Diagnostics) -> Option<SiteConfig> {
    let mut f = Fields::new(file, node, "the site settings", CONFIG_FIELDS, diags)?;
    let title = f.required_text("title");
    let publisher = f.required_text("publisher");
    let language = f.text_or("language", "en-GB");
    let base_url = f
        .optional_text("base_url")
        .and_then(|u| web_url(&mut f, "base_url", u));
    let base_url = base_url.map(|u| if u.ends_with('/') { u } else { format!("{u}/") });
    let theme = f.optional_text("theme").map_or_else(
        || "default".to_owned(),
        |t| {
            if !slug::is_valid(&t.value) {
                f.error(t.pos, "`theme` is the name of a folder in `themes/`: lower-case letters, digits and hyphens");
            }
            t.value
        },
    );
    let review_after_months = match f.optional_text("review_after_months") {
        None => 12,
        Some(t) => match t.value.parse::<u32>() {
            Ok(n @ 1..=120) => n,
            _ => {
                f.error(
                    t.pos,
                    "`review_after_months` should be a whole number of months, from 1 to 120",
                );
                12
            }
        },
    };
    let quick_exit_url = f
        .optional_text("quick_exit_url")
        .and_then(|u| web_url(&mut f, "quick_exit_url", u))
        .unwrap_or_else(|| DEFAULT_QUICK_EXIT_URL.to_owned());
    f.finish();
    Some(SiteConfig {
        title: title?.value,
        publisher: publisher?.value,
        language,
        base_url,
        theme,
        review_after_months,
        quick_exit_url,
    })
}

/// Accepts an absolute http(s) URL; anything else (a `javascript:` URL, a bare
/// domain) is an error.
fn web_url(f: &mut Fields, key: &str, url: Spanned<String>) -> Option<String> {
    let lower = url.value.to_ascii_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"));
    if rest.is_some_and(|r| {
        !r.is_empty()
            && !url.value.contains(char::is_whitespace)
            && !url.value.contains(['"', '<', '>'])
    }) {
        Some(url.value)
    } else {
        f.error(
            url.pos,
            format!("`{key}` should be a full web address starting with https://"),
        );
        None
    }
}

const NEED_FIELDS: &[&str] = &["slug", "name", "description"];

fn read_needs(file: &str, node: &yaml::Node, diags: &mut Diagnostics) -> Option<Vec<Need>> {
    let yaml::Value::Seq(items) = &node.value else {
        diags.error(
            file,
            Some(node.pos),
            "needs.yaml should be a list, each need starting with `- slug: ...`",
        );
        return None;
    };
    let mut needs: Vec<Need> = Vec::new();
    for item in items {
        let Some(mut f) = Fields::new(file, item, "a need", NEED_FIELDS, diags) else {
            continue;
        };
        let slug = f.required_text("slug");
        let name = f.required_text("name");
        let description = f.text_or("description", "");
        if let Some(s) = &slug {
            if !slug::is_valid(&s.value) {
                f.error(s.pos, format!("`{}` is not a valid slug: use lower-case letters, digits and single hyphens", s.value));
            } else if needs.iter().any(|n| n.slug == s.value) {
                f.error(s.pos, format!("the need `{}` is listed twice", s.value));
            }
        }
        f.finish();
        if let (Some(slug), Some(name)) = (slug, name) {
            needs.push(Need {
                slug: slug.value,
                name: name.value,
                description,
            });
        }
    }
    Some(needs)
}

const AREA_FIELDS: &[&str] = &["name", "council", "summary", "emergency"];

fn read_area(file: &str, slug: String, node: &yaml::Node, diags: &mut Diagnostics) -> Option<Area> {
    let mut f = Fields::new(file, node, "an area", AREA_FIELDS, diags)?;
    let name = f.required_text("name");
    let council = f.required_text("council");
    let summary = f.text_or("summary", "");
    let emergency = f.text_or("emergency", "");
    f.finish();
    Some(Area {
        slug,
        file: file.to_owned(),
        name: name?.value,
        council: council?.value,
        summary,
        emergency,
    })
}

const SERVICE_FIELDS: &[&str] = &[
    "name",
    "organisation",
    "summary",
    "areas",
    "needs",
    "referral",
    "referral_notes",
    "women_only",
    "eligibility",
    "contact",
    "locations",
    "hours",
    "hours_notes",
    "languages",
    "cost",
    "last_reviewed",
    "draft",
];

fn read_service(
    file: &str,
    slug: String,
    node: &yaml::Node,
    body: Markdown,
    diags: &mut Diagnostics,
) -> Option<Service> {
    let mut f = Fields::new(file, node, "a service", SERVICE_FIELDS, diags)?;
    let f_pos = f.pos();
    let name = f.required_text("name");
    let organisation = f.required_text("organisation");
    let summary = f.required_text("summary");
    let coverage = read_coverage(&mut f);
    let needs = f.text_list("needs", true);
    let (self_referral, professional_referral) = read_referral(&mut f);
    let referral_notes = f.optional_text("referral_notes").map(|t| t.value);
    let women_only = f.bool_or("women_only", false);
    let eligibility = f.optional_text("eligibility").map(|t| t.value);
    let contact = match f.node("contact") {
        Some(node) => read_contact(file, node, f.diags),
        None => {
            let pos = f.pos();
            f.error(
                pos,
                "missing required field `contact` (at least one of phone, email, website or text)",
            );
            None
        }
    };
    let locations = f.list_of("locations", false, read_location);
    let hours = f.list_of("hours", false, read_hours);
    let hours_notes = f.optional_text("hours_notes").map(|t| t.value);
    let languages = f
        .text_list("languages", false)
        .into_iter()
        .map(|t| t.value)
        .collect();
    let cost = f.text_or("cost", "Free");
    let last_reviewed = f.required_text("last_reviewed").and_then(|t| match parse_date(&t.value) {
        Some(date) => Some((date, t.pos)),
        None => {
            f.error(t.pos, format!("`last_reviewed` should be a date written YYYY-MM-DD, such as 2026-03-31; found \"{}\"", t.value));
            None
        }
    });
    let draft = f.bool_or("draft", false);
    f.finish();
    // A service with a bad field is still returned (its problems are already
    // reported, so the site will not build), so that its references to areas and
    // needs are checked in the same run.
    let text = |t: Option<Spanned<String>>| t.map(|t| t.value).unwrap_or_default();
    let (last_reviewed, last_reviewed_pos) = last_reviewed.unwrap_or((UNREADABLE_DATE, f_pos));
    Some(Service {
        slug,
        file: file.to_owned(),
        name: text(name),
        organisation: text(organisation),
        summary: text(summary),
        coverage: coverage.unwrap_or(Coverage::Areas(Vec::new())),
        needs,
        self_referral,
        professional_referral,
        referral_notes,
        women_only,
        eligibility,
        contact: contact.unwrap_or_default(),
        locations,
        hours,
        hours_notes,
        languages,
        cost,
        last_reviewed,
        last_reviewed_pos,
        draft,
        body,
    })
}

/// `areas: all` (the bare word) or a list of area slugs.
fn read_coverage(f: &mut Fields) -> Option<Coverage> {
    let Some(node) = f.node("areas") else {
        let pos = f.pos();
        f.error(pos, "missing required field `areas` (a list of area slugs, or `all` for a national service)");
        return None;
    };
    if node.as_scalar() == Some("all") {
        return Some(Coverage::National);
    }
    let list = f.text_list("areas", true);
    if let Some(all) = list.iter().find(|a| a.value == "all") {
        f.error(
            all.pos,
            "for a national service write `areas: all` on its own, not in a list",
        );
        return None;
    }
    Some(Coverage::Areas(list))
}

fn read_referral(f: &mut Fields) -> (bool, bool) {
    let (mut own, mut professional) = (false, false);
    for route in f.text_list("referral", true) {
        match route.value.as_str() {
            "self" => own = true,
            "professional" => professional = true,
            other => {
                let hint = suggestion(other, ["self", "professional"]);
                f.error(
                    route.pos,
                    format!(
                        "unknown referral route \"{other}\"{hint}: use `self` and/or `professional`"
                    ),
                );
            }
        }
    }
    (own, professional)
}

const CONTACT_FIELDS: &[&str] = &["phone", "email", "website", "text", "notes"];

fn read_contact(file: &str, node: &yaml::Node, diags: &mut Diagnostics) -> Option<Contact> {
    let mut f = Fields::new(file, node, "the contact details", CONTACT_FIELDS, diags)?;
    let phone = f.optional_text("phone").and_then(|p| {
        let digits = p.value.chars().filter(char::is_ascii_digit).count();
        let allowed = p.value.chars().all(|c| c.is_ascii_digit() || " +()-".contains(c));
        if allowed && digits >= 3 {
            Some(p.value)
        } else {
            f.error(p.pos, "`phone` should be one phone number, such as 0808 2000 247; put any words in `notes`");
            None
        }
    });
    let email = f.optional_text("email").and_then(|e| {
        let valid = e
            .value
            .split_once('@')
            .is_some_and(|(user, host)| !user.is_empty() && host.contains('.'))
            && !e
                .value
                .contains(|c: char| c.is_whitespace() || "<>\"':".contains(c));
        if valid {
            Some(e.value)
        } else {
            f.error(
                e.pos,
                "`email` should be an email address, such as help@example.org.uk",
            );
            None
        }
    });
    let website = f
        .optional_text("website")
        .and_then(|w| web_url(&mut f, "website", w));
    let text = f.optional_text("text").map(|t| t.value);
    let notes = f.optional_text("notes").map(|t| t.value);
    let has_route = phone.is_some() || email.is_some() || website.is_some() || text.is_some();
    let any_written = ["phone", "email", "website", "text"]
        .iter()
        .any(|k| f.node(k).is_some());
    if !has_route && !any_written {
        let pos = f.pos();
        f.error(
            pos,
            "`contact` needs at least one of phone, email, website or text",
        );
    }
    f.finish();
    Some(Contact {
        phone,
        email,
        website,
        text,
        notes,
    })
}

const LOCATION_FIELDS: &[&str] = &["name", "address", "postcode", "confidential"];

fn read_location(diags: &mut Diagnostics, file: &str, node: &yaml::Node) -> Option<Location> {
    let mut f = Fields::new(file, node, "a location", LOCATION_FIELDS, diags)?;
    let name = f.required_text("name");
    let address = f.optional_text("address").map(|t| t.value);
    let postcode = f.optional_text("postcode").map(|t| t.value);
    let confidential = f.bool_or("confidential", false);
    f.finish();
    // A refuge's address is dropped here, at the door, so no later stage can publish it.
    let (address, postcode) = if confidential {
        (None, None)
    } else {
        (address, postcode)
    };
    Some(Location {
        name: name?.value,
        address,
        postcode,
        confidential,
    })
}

const HOURS_FIELDS: &[&str] = &["days", "opens", "closes"];

fn read_hours(diags: &mut Diagnostics, file: &str, node: &yaml::Node) -> Option<Hours> {
    let mut f = Fields::new(file, node, "opening hours", HOURS_FIELDS, diags)?;
    let mut days = Vec::new();
    for day in f.text_list("days", true) {
        match Weekday::from_code(&day.value.to_ascii_lowercase()) {
            Some(d) => days.push(d),
            None => {
                let hint = suggestion(&day.value, Weekday::ALL.iter().map(|(c, _, _)| *c));
                f.error(
                    day.pos,
                    format!(
                        "unknown day \"{}\"{hint}: use mon, tue, wed, thu, fri, sat, sun",
                        day.value
                    ),
                );
            }
        }
    }
    days.sort();
    days.dedup();
    let time = |f: &mut Fields, key: &str| {
        let t = f.required_text(key)?;
        match parse_time(&t.value) {
            Some(minutes) => Some((t.value, minutes, t.pos)),
            None => {
                f.error(t.pos, format!("`{key}` should be a time written HH:MM on the 24-hour clock, such as \"09:30\""));
                None
            }
        }
    };
    let opens = time(&mut f, "opens");
    let closes = time(&mut f, "closes");
    if let (Some((_, open, _)), Some((_, close, pos))) = (&opens, &closes)
        && close <= open
    {
        f.error(*pos, "`closes` should be later than `opens`");
    }
    f.finish();
    Some(Hours {
        days,
        opens: opens?.0,
        closes: closes?.0,
    })
}

/// Minutes since midnight for "HH:MM"; "24:00" is allowed as a closing time.
fn parse_time(s: &str) -> Option<u32> {
    let (h, m) = s.split_once(':')?;
    if h.len() != 2 || m.len() != 2 {
        return None;
    }
    let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
    match (h, m) {
        (0..=23, 0..=59) | (24, 0) => Some(h * 60 + m),
        _ => None,
    }
}

/// A calendar date written `YYYY-MM-DD`.
pub fn parse_date(s: &str) -> Option<Date> {
    let mut parts = s.splitn(3, '-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return None;
    }
    let month = time::Month::try_from(m.parse::<u8>().ok()?).ok()?;
    Date::from_calendar_date(y.parse().ok()?, month, d.parse().ok()?).ok()
}

const PATHWAY_FIELDS: &[&str] = &["title", "area", "needs", "audience", "summary", "steps"];

fn read_pathway(
    file: &str,
    slug: String,
    node: &yaml::Node,
    body: Markdown,
    diags: &mut Diagnostics,
) -> Option<Pathway> {
    let mut f = Fields::new(file, node, "a pathway", PATHWAY_FIELDS, diags)?;
    let title = f.required_text("title");
    let area = f.required_text("area").map(|a| {
        if a.value == "all" {
            PathwayArea::All
        } else {
            PathwayArea::One(a)
        }
    });
    let needs = f.text_list("needs", false);
    let audience = f
        .optional_text("audience")
        .and_then(|a| match a.value.as_str() {
            "women" => Some(Audience::Women),
            "professionals" => Some(Audience::Professionals),
            other => {
                let hint = suggestion(other, ["women", "professionals"]);
                f.error(
                    a.pos,
                    format!("unknown audience \"{other}\"{hint}: use `women` or `professionals`"),
                );
                None
            }
        });
    let summary = f.optional_text("summary").map(|t| t.value);
    let steps = f.list_of("steps", true, read_step);
    f.finish();
    Some(Pathway {
        slug,
        file: file.to_owned(),
        title: title?.value,
        area: area?,
        needs,
        audience,
        summary,
        steps,
        body,
    })
}

const STEP_FIELDS: &[&str] = &["id", "title", "text", "services", "next", "when"];

fn read_step(diags: &mut Diagnostics, file: &str, node: &yaml::Node) -> Option<Step> {
    let mut f = Fields::new(file, node, "a step", STEP_FIELDS, diags)?;
    let id = f.required_text("id");
    if let Some(id) = &id
        && !slug::is_valid(&id.value)
    {
        f.error(id.pos, format!("step id \"{}\" should be lower-case letters, digits and hyphens, such as `assess` or `2`", id.value));
    }
    let title = f.required_text("title");
    let text = f.optional_text("text");
    let services = f.text_list("services", false);
    // `next` written as an empty list ends the route; left out, the route goes on to
    // the following step. `node` treats `next:` with no value as left out.
    let next = f.node("next").map(|_| f.text_list("next", false));
    let when = f.optional_text("when").map(|t| t.value);
    f.finish();
    Some(Step {
        id: id?,
        title: title?.value,
        text: text.map_or_else(Markdown::default, |t| Markdown::field(t.value, t.pos)),
        services,
        next,
        when,
    })
}

const CASE_STUDY_FIELDS: &[&str] = &["title", "areas", "needs", "services", "summary", "consent"];

fn read_case_study(
    file: &str,
    slug: String,
    node: &yaml::Node,
    body: Markdown,
    diags: &mut Diagnostics,
) -> Option<CaseStudy> {
    let mut f = Fields::new(file, node, "a case study", CASE_STUDY_FIELDS, diags)?;
    let title = f.required_text("title");
    let areas = f.text_list("areas", true);
    let needs = f.text_list("needs", false);
    let services = f.text_list("services", false);
    let summary = f.optional_text("summary").map(|t| t.value);
    let consent = f.bool_or("consent", false);
    if !consent {
        let pos = f.node("consent").map_or(f.pos(), |n| n.pos);
        f.error(
            pos,
            "a case study is published only with the woman's consent: add `consent: true` once she has agreed (with names changed)",
        );
    }
    f.finish();
    if !consent {
        return None;
    }
    Some(CaseStudy {
        slug,
        file: file.to_owned(),
        title: title?.value,
        areas,
        needs,
        services,
        summary,
        body,
    })
}

const PAGE_FIELDS: &[&str] = &["title", "summary"];

fn read_page(
    file: &str,
    slug: String,
    node: &yaml::Node,
    body: Markdown,
    diags: &mut Diagnostics,
) -> Option<Page> {
    let mut f = Fields::new(file, node, "a page", PAGE_FIELDS, diags)?;
    let title = f.required_text("title");
    let summary = f.optional_text("summary").map(|t| t.value);
    f.finish();
    Some(Page {
        slug,
        file: file.to_owned(),
        title: title?.value,
        summary,
        body,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(p: &[&str]) -> Vec<String> {
        p.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn classifies_files_by_place() {
        assert_eq!(
            classify(&parts(&["services", "open-road.md"])).unwrap(),
            (Kind::Service, "open-road".into())
        );
        assert_eq!(
            classify(&parts(&["areas", "essex.yaml"])).unwrap(),
            (Kind::Area, "essex".into())
        );
        assert_eq!(
            classify(&parts(&["site.yaml"])).unwrap().0,
            Kind::SiteConfig
        );
        assert!(
            classify(&parts(&["areas", "essex.yml"]))
                .unwrap_err()
                .contains("essex.yaml")
        );
        assert!(
            classify(&parts(&["servces", "x.md"]))
                .unwrap_err()
                .contains("did you mean \"services\"")
        );
        assert!(classify(&parts(&["services", "x.txt"])).is_err());
        assert!(classify(&parts(&["services", "sub", "x.md"])).is_err());
    }

    #[test]
    fn ignores_editor_files() {
        for name in [
            ".open-road.md.swp",
            "open-road.md~",
            "x.tmp",
            ".DS_Store",
            "a.swp",
        ] {
            assert!(is_ignored(name), "{name}");
        }
        assert!(!is_ignored("open-road.md"));
    }

    #[test]
    fn parses_dates_and_times_strictly() {
        assert!(parse_date("2026-02-28").is_some());
        for bad in [
            "2026-02-30",
            "2026-2-3",
            "26-02-03",
            "2026/02/03",
            "yesterday",
            "2026-13-01",
        ] {
            assert!(parse_date(bad).is_none(), "{bad}");
        }
        assert_eq!(parse_time("09:30"), Some(570));
        assert_eq!(parse_time("24:00"), Some(1440));
        for bad in ["9:30", "24:01", "12:60", "noon"] {
            assert_eq!(parse_time(bad), None, "{bad}");
        }
    }
}
