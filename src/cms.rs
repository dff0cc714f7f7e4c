//! The browser editor. With `editing:` in site.yaml, the build writes
//! `admin/index.html`, the one page that loads Decap CMS, and
//! `admin/config.yml`, Decap's configuration generated from Signpost's own
//! content model: a collection per kind of content, a widget per field, with
//! the notes `signpost new` writes as each field's hint, and the editorial
//! workflow, so that every change arrives as a pull request that `check` runs on.
//!
//! The configuration is JSON, which is YAML too: serde_json writes it, and no
//! hand-made YAML escaping can go wrong. Sveltia CMS reads the same file.

use serde_json::{Map, Value, json};

use crate::kinds::ContentKind;
use crate::load;
use crate::model::{Editing, Site, SiteConfig};

/// The Decap CMS release the page loads, pinned: a new release is a
/// deliberate change here, with its integrity hash.
pub const DECAP_VERSION: &str = "3.16.3";

/// The Subresource Integrity hash of `dist/decap-cms.js` in that release
/// (as npm and unpkg serve it): a script changed on the way is refused.
pub const DECAP_INTEGRITY: &str =
    "sha384-A/Gdn928CNLufmnGWGs9RM4Q9o8bSNLeJERqBFrBjwzL7FRpoLT3MPF8Tl0+Wd2p";

/// Where the release is served from. The script loads parts of itself from
/// the same folder, which is all the page's CSP lets it load scripts from.
pub fn decap_folder() -> String {
    format!("https://unpkg.com/decap-cms@{DECAP_VERSION}/dist/")
}

/// The address of `decap-server`, the local stand-in for the Git host that
/// Decap uses when the page is opened from `localhost` (`local_backend`).
pub const LOCAL_BACKEND: &str = "http://localhost:8081";

/// The API hosts each backend talks to, for the page's `connect-src`.
fn backend_hosts(backend: &str) -> &'static str {
    match backend {
        "github" => "https://api.github.com",
        "gitlab" => "https://gitlab.com",
        "bitbucket" => "https://api.bitbucket.org https://bitbucket.org",
        _ => "",
    }
}

/// The page's Content-Security-Policy: the public pages' policy forbids any
/// other host, so this page has its own, as narrow as Decap allows. Decap
/// checks its configuration with ajv, which compiles schemas into functions,
/// so the page needs `'unsafe-eval'`; scripts still come only from the
/// pinned release's folder.
pub fn admin_csp(editing: &Editing) -> String {
    let decap = decap_folder();
    format!(
        "default-src 'self'; script-src 'self' {decap} 'unsafe-eval' 'wasm-unsafe-eval'; \
         style-src 'self' 'unsafe-inline'; img-src 'self' data: blob: https:; \
         font-src 'self' data:; connect-src 'self' {decap} {} {LOCAL_BACKEND}; \
         worker-src 'self' blob:; frame-src 'self' blob:; object-src 'none'; \
         base-uri 'self'; form-action 'none'",
        backend_hosts(&editing.backend)
    )
}

/// `admin/index.html`: Decap CMS, pinned and integrity-checked, and nothing
/// else. Nothing links to it and search engines are asked to leave it out.
pub fn admin_page(config: &SiteConfig) -> String {
    use crate::html::escape_html as escape;
    let Some(editing) = &config.editing else {
        return String::new();
    };
    format!(
        r#"<!doctype html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<meta http-equiv="Content-Security-Policy" content="{csp}">
<title>Edit: {title}</title>
</head>
<body>
<noscript>The browser editor needs JavaScript. Without it, edit the files in content/ and run signpost check.</noscript>
<script src="{folder}decap-cms.js" integrity="{DECAP_INTEGRITY}" crossorigin="anonymous"></script>
</body>
</html>
"#,
        lang = escape(&config.language),
        csp = escape(&admin_csp(editing)),
        title = escape(&config.title),
        folder = decap_folder(),
    )
}

/// `admin/config.yml`, generated from the content model and the site as it
/// is now (the areas and needs its lists offer).
pub fn config_yml(site: &Site) -> String {
    let Some(editing) = &site.config.editing else {
        return String::new();
    };
    let mut config = json!({
        "backend": {
            "name": editing.backend,
            "repo": editing.repo,
            "branch": editing.branch,
        },
        // Only when the page is opened from localhost (`signpost serve`)
        // with `npx decap-server` running; elsewhere Decap ignores it.
        "local_backend": true,
        // Draft, in review, ready: each change is a branch and a pull
        // request, and `check --format github` runs on it before it is merged.
        "publish_mode": "editorial_workflow",
        // Signpost publishes no uploaded images; the editor is given no way
        // to add one (see `markdown`), but Decap needs a folder named.
        "media_folder": "media",
        "slug": { "encoding": "ascii", "clean_accents": true, "sanitize_replacement": "-" },
        "collections": collections(site),
    });
    if let Some(base) = &site.config.base_url {
        config["site_url"] = json!(base);
        config["display_url"] = json!(base);
    }
    let json = serde_json::to_string_pretty(&config).unwrap_or_default();
    format!(
        "# Decap CMS configuration, written by `signpost build` from the content model.\n\
         # Do not edit: the next build writes it again. See docs/editing.md.\n{json}\n"
    )
}

/// One collection per kind of content with a folder.
fn collections(site: &Site) -> Vec<Value> {
    ContentKind::with_folders()
        .filter_map(|(kind, folder)| collection(site, kind, folder))
        .collect()
}

fn collection(site: &Site, kind: ContentKind, folder: &str) -> Option<Value> {
    let (label, singular, identifier, summary, description) = match kind {
        ContentKind::Area => (
            "Areas",
            "Area",
            "name",
            "{{name}} ({{council}})",
            "One local authority area each: its guide is published at its own address.",
        ),
        ContentKind::Service => (
            "Services",
            "Service",
            "name",
            "{{name}} ({{organisation}})",
            "One service each: how a woman gets help, where and when.",
        ),
        ContentKind::Pathway => (
            "Pathways",
            "Pathway",
            "title",
            "{{title}}",
            "Referral pathways: the route from a first contact to the right support.",
        ),
        ContentKind::CaseStudy => (
            "Stories",
            "Story",
            "title",
            "{{title}}",
            "Women's stories, published only with consent and with names changed.",
        ),
        ContentKind::Page => (
            "Pages",
            "Page",
            "title",
            "{{title}}",
            "Pages published once for the whole site, such as Cover your tracks online.",
        ),
        // Each is one file; needs.yaml and glossary.yaml are a single list,
        // which Decap cannot keep as a collection.
        ContentKind::SiteConfig | ContentKind::Needs | ContentKind::Glossary => return None,
    };
    let notes = Notes::of(kind);
    let mut fields: Vec<Value> = load::known_fields(kind)
        .iter()
        .map(|name| field(site, kind, name, &notes))
        .collect();
    if kind.is_markdown() {
        let mut body = Map::new();
        body.insert("name".into(), json!("body"));
        body.insert("label".into(), json!(body_label(kind)));
        fields.push(Value::Object(markdown(body)));
    }
    let mut c = json!({
        "name": folder,
        "label": label,
        "label_singular": singular,
        "description": description,
        "folder": format!("content/{folder}"),
        "extension": kind.extension(),
        "format": if kind.is_markdown() { "yaml-frontmatter" } else { "yaml" },
        "create": true,
        "delete": false,
        "slug": "{{slug}}",
        "identifier_field": identifier,
        "summary": summary,
        "fields": fields,
    });
    if kind == ContentKind::Service {
        c["sortable_fields"] = json!(["name", "organisation", "last_reviewed"]);
    }
    Some(c)
}

fn body_label(kind: ContentKind) -> &'static str {
    match kind {
        ContentKind::Service => "What the service offers",
        ContentKind::Pathway => "Introduction",
        ContentKind::CaseStudy => "Her story",
        _ => "Text",
    }
}

/// The Markdown widget, without images or code blocks: Signpost refuses
/// images from other hosts and publishes no uploads.
fn markdown(mut f: Map<String, Value>) -> Map<String, Value> {
    f.insert("widget".into(), json!("markdown"));
    f.insert("editor_components".into(), json!([]));
    f.insert("modes".into(), json!(["rich_text", "raw"]));
    f
}

/// The widget for one field of `kind`, with its note.
fn field(site: &Site, kind: ContentKind, name: &str, notes: &Notes) -> Value {
    let (label, required, widget) = widget(site, kind, name);
    let mut f = widget.as_object().cloned().unwrap_or_default();
    f.insert("name".into(), json!(name));
    f.insert("label".into(), json!(label));
    if !required {
        f.insert("required".into(), json!(false));
    }
    if let Some(note) = notes.get(name) {
        add_note(&mut f, note);
    }
    if let Some(hint) = form_hint(kind, name) {
        f.insert("hint".into(), json!(hint));
    }
    // Notes written above the fields of an object (`contact:` `website:`).
    if let Some(Value::Array(subs)) = f.get_mut("fields") {
        for sub in subs.iter_mut() {
            if let Value::Object(map) = sub
                && let Some(sub_name) = map.get("name").and_then(Value::as_str)
                && let Some(note) = notes.get(&format!("{name}.{sub_name}"))
            {
                add_note(map, note);
            }
        }
    }
    Value::Object(f)
}

/// The widget Decap shows for a field: its label, whether it is required,
/// and the widget itself.
fn widget(site: &Site, kind: ContentKind, name: &str) -> (&'static str, bool, Value) {
    use ContentKind::*;
    let text = json!({"widget": "string"});
    let long = json!({"widget": "text"});
    let flag = |default: bool| json!({"widget": "boolean", "default": default});
    match (kind, name) {
        (Service, "name") | (Area, "name") => ("Name", true, text),
        (_, "title") => ("Title", true, text),
        (Area, "council") => ("Council", true, text),
        (Area, "emergency") => ("Emergency message", false, long),
        (Area, "urgent_help") => (
            "Talk to someone now (services whose numbers every page of the area shows)",
            false,
            relation("services", "name", true),
        ),
        (Service, "organisation") => ("Organisation", true, text),
        (Service, "summary") => ("Summary", true, long),
        (_, "summary") => ("Summary", false, long),
        (Service, "areas") => ("Areas", true, area_select(site, true)),
        (Pathway, "area") => ("Area", true, area_select(site, false)),
        (CaseStudy, "areas") => ("Areas", true, relation("areas", "name", true)),
        (Service, "needs") => ("Needs", true, need_select(site)),
        (_, "needs") => ("Needs", false, need_select(site)),
        (Service, "referral") => (
            "How she gets in",
            true,
            json!({"widget": "select", "multiple": true, "min": 1, "options": [
                {"label": "She can contact them herself", "value": "self"},
                {"label": "A professional refers her", "value": "professional"},
            ]}),
        ),
        (Service, "referral_notes") => ("Referral notes", false, long),
        (Service, "women_only") => ("For women only", false, flag(false)),
        (Service, "eligibility") => ("Who it is for", false, long),
        (Service, "contact") => ("Contact", true, contact()),
        (Service, "locations") => ("Places", false, locations()),
        (Service, "hours") => ("Opening hours", false, hours()),
        (Service, "hours_notes") => ("Notes on the hours", false, text),
        (Service, "languages") => (
            "Languages other than English",
            false,
            json!({"widget": "list", "allow_add": true}),
        ),
        (Service, "cost") => (
            "Cost",
            false,
            json!({"widget": "string", "default": "Free"}),
        ),
        (Service, "last_reviewed") => ("Last reviewed", true, date(true)),
        (_, "last_reviewed") => ("Last reviewed", false, date(false)),
        (Service, "reviewer") => (
            "Reviewer's email (never published)",
            false,
            json!({"widget": "string", "pattern": [EMAIL_PATTERN, "An email address, such as name@example.org.uk"]}),
        ),
        (_, "draft") => ("Draft (not published)", false, flag(false)),
        (Pathway, "audience") => (
            "Written for",
            false,
            json!({"widget": "select", "default": "professionals", "options": [
                {"label": "Women", "value": "women"},
                {"label": "Professionals", "value": "professionals"},
            ]}),
        ),
        (Pathway, "steps") => ("Steps", true, steps()),
        (CaseStudy, "services") => ("Services", false, relation("services", "name", true)),
        (CaseStudy, "consent") => (
            "She has agreed to publication (names changed)",
            true,
            flag(false),
        ),
        // A field the model has and this table does not yet: plain text,
        // so the editor still shows it (a unit test keeps the table whole).
        _ => ("", false, text),
    }
}

const EMAIL_PATTERN: &str = r"^[^@\s?&]+@[^@\s?&]+\.[^@\s?&]+$";
const TIME_PATTERN: &str = r"^([01][0-9]|2[0-3]):[0-5][0-9]$|^24:00$";

/// A date written YYYY-MM-DD, picked in the browser's date picker. In UTC,
/// so the day picked is the day written wherever the editor is.
fn date(today_by_default: bool) -> Value {
    let mut d = json!({
        "widget": "datetime",
        "format": "YYYY-MM-DD",
        "date_format": "YYYY-MM-DD",
        "time_format": false,
        "picker_utc": true,
    });
    if today_by_default {
        d["default"] = json!("{{now}}");
    }
    d
}

/// A choice among the site's areas, and for services and pathways `all`.
/// A select, not a relation: a relation offers only entries of a collection,
/// and `all` is none. The list is the site's areas at the last build.
fn area_select(site: &Site, multiple: bool) -> Value {
    let mut options = vec![json!({"label": "Every area (a national service)", "value": "all"})];
    options.extend(
        site.areas
            .iter()
            .map(|a| json!({"label": a.name, "value": a.slug})),
    );
    json!({"widget": "select", "multiple": multiple, "min": 1, "options": options})
}

/// A choice among the needs in needs.yaml. A select, not a relation:
/// needs.yaml is one list, which Decap cannot keep as a collection.
fn need_select(site: &Site) -> Value {
    let options: Vec<Value> = site
        .needs
        .iter()
        .map(|n| json!({"label": n.name, "value": n.slug}))
        .collect();
    json!({"widget": "select", "multiple": true, "options": options})
}

/// Entries of another collection, chosen by name and written as their slugs.
fn relation(collection: &str, shown: &str, multiple: bool) -> Value {
    json!({
        "widget": "relation",
        "collection": collection,
        "value_field": "{{slug}}",
        "search_fields": [shown],
        "display_fields": [shown],
        "multiple": multiple,
    })
}

fn contact() -> Value {
    let sub = |name: &str, label: &str, extra: Value| {
        let mut f = extra;
        f["name"] = json!(name);
        f["label"] = json!(label);
        f["required"] = json!(false);
        f
    };
    json!({"widget": "object", "collapsed": false, "fields": [
        sub("phone", "Phone", json!({"widget": "string"})),
        sub("email", "Email", json!({"widget": "string", "pattern": [EMAIL_PATTERN, "An email address, such as help@example.org.uk"]})),
        sub("website", "Website", json!({"widget": "string", "pattern": ["^https?://", "The full address, starting https://"]})),
        sub("text", "Text message", json!({"widget": "string"})),
        sub("notes", "Notes", json!({"widget": "text"})),
    ]})
}

fn locations() -> Value {
    // `default: []`: without it Decap starts a new entry with one empty place.
    json!({"widget": "list", "default": [], "label_singular": "place", "summary": "{{fields.name}}", "fields": [
        {"name": "name", "label": "Name", "widget": "string"},
        {"name": "address", "label": "Address", "widget": "string", "required": false},
        {"name": "postcode", "label": "Postcode", "widget": "string", "required": false},
        {"name": "confidential", "label": "Confidential (a refuge or safe house: its address and postcode are never published)", "widget": "boolean", "default": false},
    ]})
}

fn hours() -> Value {
    let days: Vec<Value> = crate::model::Weekday::ALL
        .iter()
        .map(|(code, _, name)| json!({"label": name, "value": code}))
        .collect();
    let time = |name: &str, label: &str| {
        json!({"name": name, "label": label, "widget": "string",
               "pattern": [TIME_PATTERN, "A time on the 24-hour clock, such as 09:30"]})
    };
    json!({"widget": "list", "default": [], "label_singular": "set of days", "fields": [
        {"name": "days", "label": "Days", "widget": "select", "multiple": true, "min": 1, "options": days},
        time("opens", "Opens (HH:MM)"),
        time("closes", "Closes (HH:MM)"),
    ]})
}

fn steps() -> Value {
    json!({"widget": "list", "label_singular": "step", "summary": "{{fields.id}}: {{fields.title}}", "fields": [
        {"name": "id", "label": "Id (a short word, unique in this pathway)", "widget": "string",
         "pattern": ["^[a-z0-9]+(-[a-z0-9]+)*$", "Lower-case letters, digits and hyphens, such as assess"]},
        {"name": "title", "label": "Title", "widget": "string"},
        {"name": "text", "label": "Text", "widget": "markdown", "required": false,
         "editor_components": [], "modes": ["rich_text", "raw"]},
        {"name": "services", "label": "Services", "required": false,
         "widget": "relation", "collection": "services", "value_field": "{{slug}}",
         "search_fields": ["name"], "display_fields": ["name"], "multiple": true},
        // Decap leaves an untouched list out (the next step follows), but
        // writes `[]` for one emptied, which ends the route: the hint says so.
        {"name": "next", "label": "Next steps (their ids)", "widget": "list", "required": false,
         "hint": "The ids of the steps that can follow. Never touched, the next step in the list follows; emptied, the route ends here."},
        {"name": "when", "label": "When (the condition for reaching this step, such as: If she is at high risk)",
         "widget": "string", "required": false},
    ]})
}

/// The hint under a field whose note speaks of the file (brackets, `true`)
/// rather than the form; its note is still the comment in the file.
fn form_hint(kind: ContentKind, name: &str) -> Option<&'static str> {
    use ContentKind::*;
    Some(match (kind, name) {
        (Service, "areas") => {
            "Where it works: choose its areas, or Every area for a national helpline."
        }
        (Service, "needs") => "The needs it meets.",
        (Service, "referral") => {
            "How a woman gets in: she can contact them herself, and/or a professional refers her."
        }
        (Service, "women_only") => "On if the service is for women only.",
        (Service, "languages") => {
            "Optional: languages other than English, one a line, such as Urdu or British Sign Language."
        }
        (Service, "hours") => {
            "Optional: opening hours, one entry per set of days, with times on the 24-hour clock, such as 09:30."
        }
        (Pathway, "area") => {
            "The area it is for, or Every area (a pathway for every area may only name national services)."
        }
        (Pathway, "steps") => {
            "The steps, in order. Each has an id (a short word, unique in this pathway) and a title; the rest is optional."
        }
        (CaseStudy, "areas") => "The areas it is shown in.",
        (CaseStudy, "consent") => {
            "Turn on only once she has agreed to her story being published, and names and details that could identify her have been changed; until then it is never published. If she takes her consent back, turn it off: the story leaves the guide at the next build."
        }
        (_, "draft") => "On keeps it out of the published guide until it is ready.",
        _ => return None,
    })
}

/// Adds a note as the field's hint (shown under it) and as the comment Decap
/// writes above it in the file, so the notes `signpost new` writes stay in
/// the file when Decap saves it.
fn add_note(f: &mut Map<String, Value>, note: &Note) {
    f.insert("hint".into(), json!(note.lines.join(" ")));
    // Decap splits a comment into lines at a written `\n` (backslash, n).
    f.insert("comment".into(), json!(note.lines.join("\\n")));
}

/// The note above one field in a `signpost new` template, line by line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub lines: Vec<String>,
}

/// The notes of one template, by field path (`contact.website`).
#[derive(Debug, Default)]
pub struct Notes(Vec<(String, Note)>);

impl Notes {
    /// Reads the notes out of `kind`'s `signpost new` template: the comment
    /// lines right above each field (or above a field left commented out).
    /// Commented examples (`#  - name: ...`) and the header are not notes.
    pub fn of(kind: ContentKind) -> Notes {
        let Some(template) = kind.new_file_template() else {
            return Notes::default();
        };
        let front = match template.strip_prefix("---\n") {
            Some(rest) => rest.split("\n---\n").next().unwrap_or(rest),
            None => template,
        };
        let mut notes = Vec::new();
        let mut pending: Vec<String> = Vec::new();
        // The keys that hold the lines below them: (indent, key).
        let mut parents: Vec<(usize, String)> = Vec::new();
        for line in front.lines() {
            let trimmed = line.trim_start();
            let indent = line.len() - trimmed.len();
            if trimmed.is_empty() {
                pending.clear();
                continue;
            }
            let (is_comment, content) = match trimmed.strip_prefix('#') {
                Some(rest) => (true, rest),
                None => (false, trimmed),
            };
            if is_comment && content.starts_with("  ") {
                pending.clear(); // a commented example, not a note
                continue;
            }
            let content = if is_comment { content.trim() } else { content };
            let item = content.strip_prefix("- ").unwrap_or(content);
            let key = item
                .split_once(':')
                .map(|(k, _)| k)
                .filter(|k| !k.is_empty() && k.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
                // A note may start with a word and a colon ("confidential:
                // true; ..."); only a field of the kind is a field left out.
                .filter(|k| !is_comment || load::known_fields(kind).contains(k));
            match key {
                Some(key) => {
                    parents.retain(|(i, _)| *i < indent);
                    let path: Vec<&str> = parents
                        .iter()
                        .map(|(_, k)| k.as_str())
                        .chain([key])
                        .collect();
                    let lines: Vec<String> = pending
                        .drain(..)
                        .map(|l| {
                            l.replace(" Remove the # to use it.", "")
                                .replace("Remove the # to use it.", "")
                        })
                        .filter(|l| !l.trim().is_empty())
                        .collect();
                    if !lines.is_empty() {
                        notes.push((path.join("."), Note { lines }));
                    }
                    if !is_comment {
                        parents.push((indent, key.to_owned()));
                    }
                }
                None if is_comment => pending.push(content.to_owned()),
                None => pending.clear(),
            }
        }
        Notes(notes)
    }

    pub fn get(&self, path: &str) -> Option<&Note> {
        self.0.iter().find(|(p, _)| p == path).map(|(_, n)| n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notes_come_from_the_new_templates() {
        let notes = Notes::of(ContentKind::Service);
        assert_eq!(
            notes.get("organisation").map(|n| n.lines.clone()),
            Some(vec![
                "Who runs it: the organisation or partnership.".to_owned()
            ])
        );
        assert_eq!(
            notes.get("contact.website").map(|n| n.lines.clone()),
            Some(vec!["The full address, starting https://".to_owned()])
        );
        // A field left commented out in the template keeps its note, without
        // the instruction to remove the #.
        let reviewer = notes.get("reviewer").expect("reviewer's note");
        assert!(reviewer.lines[0].starts_with("Optional: the email address"));
        assert!(!reviewer.lines.join(" ").contains("Remove the #"));
        // A note line that starts "confidential: true;" is still the note of `locations`.
        let places = notes
            .get("locations")
            .expect("locations' note")
            .lines
            .join(" ");
        assert!(places.contains("confidential: true"), "{places}");
        assert!(notes.get("confidential").is_none());
        // The commented example under `locations` is not the note of `hours`.
        let hours = notes.get("hours").expect("hours' note").lines.join(" ");
        assert!(hours.starts_with("Optional: opening hours"), "{hours}");
        assert!(!hours.contains("Main office"), "{hours}");
        // The header is nobody's note.
        assert!(
            !notes
                .get("name")
                .expect("name")
                .lines
                .join(" ")
                .contains("A new service")
        );
        for kind in [
            ContentKind::Area,
            ContentKind::Pathway,
            ContentKind::CaseStudy,
            ContentKind::Page,
        ] {
            assert!(
                Notes::of(kind)
                    .get("title")
                    .or(Notes::of(kind).get("name"))
                    .is_some(),
                "{kind:?}"
            );
        }
    }

    #[test]
    fn every_field_of_every_kind_has_a_widget_of_its_own() {
        let site = Site {
            config: SiteConfig {
                title: "T".into(),
                publisher: "P".into(),
                language: "en-GB".into(),
                languages: vec!["en-GB".into()],
                base_url: None,
                theme: "default".into(),
                review_after_months: 12,
                quick_exit_url: crate::model::DEFAULT_QUICK_EXIT_URL.into(),
                urgent_help: Vec::new(),
                contact: None,
                editing: None,
            },
            needs: Vec::new(),
            areas: Vec::new(),
            services: Vec::new(),
            pathways: Vec::new(),
            case_studies: Vec::new(),
            pages: Vec::new(),
            glossary: Default::default(),
            lookup: Default::default(),
            untranslated: None,
            translations: Vec::new(),
            withdrawn: Default::default(),
        };
        for (kind, _) in ContentKind::with_folders() {
            for name in load::known_fields(kind) {
                let (label, _, _) = widget(&site, kind, name);
                assert!(!label.is_empty(), "{kind:?} {name} has no widget");
            }
        }
        // The fields inside a contact, a place, opening hours and a step.
        let names = |v: Value| -> Vec<String> {
            v["fields"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|f| f["name"].as_str().map(str::to_owned))
                .collect()
        };
        assert_eq!(names(contact()), load::CONTACT_FIELDS);
        assert_eq!(names(locations()), load::LOCATION_FIELDS);
        assert_eq!(names(hours()), load::HOURS_FIELDS);
        assert_eq!(names(steps()), load::STEP_FIELDS);
    }
}
