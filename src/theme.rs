//! Themes: Tera templates and static files. The default theme is built into the
//! binary; a site's `themes/default/` overrides it file by file, and the theme that
//! `site.yaml` names overrides both.

use std::collections::BTreeMap;
use std::path::Path;

use tera::Tera;
use walkdir::WalkDir;

use crate::diagnostics::{Diagnostics, Pos};

mod builtin {
    include!(concat!(env!("OUT_DIR"), "/default_theme.rs"));
}

#[derive(Debug, Clone)]
struct ThemeFile {
    /// Shown in diagnostics: `themes/mine/templates/service.html`.
    display: String,
    bytes: Vec<u8>,
}

/// The templates every theme provides.
pub const TEMPLATES: &[&str] = &[
    "index.html",
    "area.html",
    "service.html",
    "need.html",
    "pathway.html",
    "story.html",
    "print.html",
    "contacts.html",
    "page.html",
    "glossary.html",
];

/// A theme ready to render with.
#[derive(Clone)]
pub struct Theme {
    pub tera: Tera,
    /// Template name → the path shown in diagnostics.
    template_files: BTreeMap<String, String>,
    /// Template name → its source, to quote in diagnostics.
    template_sources: BTreeMap<String, String>,
    /// Path under `static/` → contents, with overrides applied.
    static_files: BTreeMap<String, ThemeFile>,
    /// The interface words of each language (`words/<lang>.yaml`).
    pub words: crate::words::Words,
}

impl Theme {
    /// Loads the theme `name` for the site at `root`, reporting every template that
    /// does not parse.
    pub fn load(root: &Path, name: &str, diags: &mut Diagnostics) -> Option<Theme> {
        let mut files: BTreeMap<String, ThemeFile> = builtin::FILES
            .iter()
            .map(|(path, bytes)| {
                let file = ThemeFile {
                    display: format!("themes/default/{path}"),
                    bytes: bytes.to_vec(),
                };
                ((*path).to_owned(), file)
            })
            .collect();
        let mut layers = vec!["default"];
        if name != "default" {
            if !root.join("themes").join(name).is_dir() {
                diags.error(
                    "content/site.yaml",
                    None,
                    format!("the theme `{name}` was not found: there is no folder themes/{name}"),
                );
                return None;
            }
            layers.push(name);
        }
        for layer in layers {
            let dir = root.join("themes").join(layer);
            if dir.is_dir() {
                overlay(&dir, &format!("themes/{layer}"), &mut files, diags);
            }
        }

        let mut templates: Vec<(String, String)> = Vec::new();
        let mut template_files = BTreeMap::new();
        let mut static_files = BTreeMap::new();
        let mut words = crate::words::Words::default();
        for (path, file) in files {
            if let Some(lang) = path
                .strip_prefix("words/")
                .and_then(|name| name.strip_suffix(".yaml"))
            {
                words.read_file(lang, &file.display, &file.bytes, diags);
                continue;
            }
            if let Some(name) = path.strip_prefix("templates/") {
                let Ok(source) = String::from_utf8(file.bytes) else {
                    diags.error(&file.display, None, "the template is not valid UTF-8 text");
                    continue;
                };
                // Parse each template alone first, so every syntax error is reported;
                // what needs the other templates (a parent, a component) is
                // checked when they are added together below.
                if let Err(e) = Tera::new().add_raw_template(name, &source)
                    && matches!(e.kind(), tera::ErrorKind::SyntaxError(_))
                {
                    let problem = describe_tera_error(&e);
                    diags.error(
                        &file.display,
                        problem.pos,
                        format!(
                            "template syntax: {}{}",
                            problem.message,
                            tera1_hint(&source, problem.range.as_ref())
                        ),
                    );
                    continue;
                }
                template_files.insert(name.to_owned(), file.display);
                templates.push((name.to_owned(), source));
            } else if let Some(rest) = path.strip_prefix("static/") {
                static_files.insert(rest.to_owned(), file);
            }
        }
        if diags.has_errors() {
            return None;
        }
        let mut tera = Tera::new();
        tera.set_escape_fn(crate::html::write_escaped_html);
        crate::words::Words::register(&mut tera);
        tera.register_filter("urlencode", urlencode);
        // Until `use_glossaries` gives it the site's glossaries, `abbr` only escapes.
        tera.register_filter("abbr", abbr_filter(Vec::new()));
        if let Err(e) = tera.add_raw_templates(templates.iter().map(|(n, s)| (n, s))) {
            // What needs the templates together (a component, filter or parent
            // that does not exist): Tera lists every such problem at once.
            for problem in describe_template_set_error(&e) {
                let file = match &problem.template {
                    Some(name) => template_files
                        .get(name)
                        .cloned()
                        .unwrap_or_else(|| name.clone()),
                    None => "themes".to_owned(),
                };
                diags.error(
                    &file,
                    problem.pos,
                    format!("templates: {}", problem.message),
                );
            }
            return None;
        }
        let theme = Theme {
            tera,
            template_files,
            template_sources: templates.into_iter().collect(),
            static_files,
            words,
        };
        for required in TEMPLATES {
            if !theme.template_files.contains_key(*required) {
                diags.error(
                    &format!("themes/{name}/templates/{required}"),
                    None,
                    "missing: the theme has no such template",
                );
            }
        }
        if diags.has_errors() {
            None
        } else {
            Some(theme)
        }
    }

    /// The path to show for a template in a diagnostic.
    pub fn template_display(&self, name: &str) -> String {
        self.template_files
            .get(name)
            .cloned()
            .unwrap_or_else(|| format!("templates/{name}"))
    }

    /// Describes an error from rendering `template`: the file, line and column
    /// it is at, and the whole expression that failed where Tera points at one
    /// part of it (`service.contact.phone.tel`, not only `tel`).
    pub fn describe_render_error(&self, template: &str, error: &tera::Error) -> TemplateProblem {
        let mut problem = describe_tera_error(error);
        let name = problem.template.get_or_insert_with(|| template.to_owned());
        if let (Some(source), Some(range)) =
            (self.template_sources.get(name.as_str()), &problem.range)
            && let Some(expression) = expression_ending_at(source, range.end)
            && expression != source.get(range.clone()).unwrap_or_default()
        {
            problem.message = format!("{} (in `{expression}`)", problem.message);
        }
        problem
    }

    /// The static files, as (path under `static/`, contents).
    pub fn static_files(&self) -> impl Iterator<Item = (&str, &[u8])> {
        self.static_files
            .iter()
            .map(|(path, file)| (path.as_str(), file.bytes.as_slice()))
    }
}

fn overlay(
    dir: &Path,
    shown_prefix: &str,
    files: &mut BTreeMap<String, ThemeFile>,
    diags: &mut Diagnostics,
) {
    for entry in WalkDir::new(dir).follow_links(false).sort_by_file_name() {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                diags.error(shown_prefix, None, format!("cannot read the theme: {e}"));
                continue;
            }
        };
        if entry.file_type().is_dir()
            || crate::source::is_ignored(&entry.file_name().to_string_lossy())
        {
            continue;
        }
        let rel = entry.path().strip_prefix(dir).unwrap_or(entry.path());
        if !entry.file_type().is_file() {
            // Never read: a FIFO would hang the build, a link could publish
            // any file on the machine.
            let shown = format!("{shown_prefix}/{}", rel.display());
            diags.error(
                &shown,
                None,
                crate::source::not_a_regular_file(entry.file_type()).replace("content/", "a theme"),
            );
            continue;
        }
        let rel = rel
            .iter()
            .map(|p| p.to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        let display = format!("{shown_prefix}/{rel}");
        match std::fs::read(entry.path()) {
            Ok(bytes) => {
                files.insert(rel, ThemeFile { display, bytes });
            }
            Err(e) => diags.error(&display, None, format!("cannot read: {e}")),
        }
    }
}

/// What went wrong in a template, ready for a diagnostic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateProblem {
    /// The template the problem is in (Tera's name for it), when Tera says.
    pub template: Option<String>,
    pub pos: Option<Pos>,
    /// The bytes of the template Tera points at.
    pub range: Option<std::ops::Range<usize>>,
    pub message: String,
}

/// Tera puts the problems it finds across the templates (unknown components,
/// filters, tests, includes, blocks) into one message of reports, each
/// `error: …` then ` --> name:line:column`. Each becomes a problem of its own.
fn describe_template_set_error(error: &tera::Error) -> Vec<TemplateProblem> {
    let tera::ErrorKind::Msg(text) = error.kind() else {
        return vec![describe_tera_error(error)];
    };
    let problems: Vec<TemplateProblem> = text
        .split("\n\n")
        .filter_map(|report| {
            let mut lines = report.lines();
            let message = lines.next()?.strip_prefix("error: ")?.to_owned();
            let at = lines.find_map(|l| l.trim_start().strip_prefix("--> "))?;
            let (rest, column) = at.rsplit_once(':')?;
            let (name, line) = rest.rsplit_once(':')?;
            Some(TemplateProblem {
                template: Some(name.to_owned()),
                pos: Some(Pos::new(line.parse().ok()?, column.parse().ok()?)),
                range: None,
                message,
            })
        })
        .collect();
    if problems.is_empty() {
        vec![describe_tera_error(error)]
    } else {
        problems
    }
}

/// A pointer for a theme written for Tera 1, whose macros Tera 2 does not have.
fn tera1_hint(source: &str, range: Option<&std::ops::Range<usize>>) -> &'static str {
    let tag = range
        .and_then(|r| source.get(r.start..))
        .map(|rest| rest.trim_start_matches(['{', '%', '-', ' ']))
        .unwrap_or_default();
    if ["import", "macro", "endmacro"]
        .iter()
        .any(|t| tag.starts_with(t))
    {
        " (Signpost uses Tera 2, which has no macros: shared pieces are components, \
         called as {{<name arg={value} />}}; docs/themes.md says what to change)"
    } else {
        ""
    }
}

/// The dotted name or index expression that ends at byte `end` of `source`,
/// such as `service.contact.phone.tel` or `need.services[0].name`.
fn expression_ending_at(source: &str, end: usize) -> Option<&str> {
    let before = source.get(..end)?;
    let start = before
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_alphanumeric() || matches!(c, '_' | '.' | '[' | ']' | '?'))
        .last()
        .map(|(i, _)| i)?;
    Some(&before[start..]).filter(|e| !e.is_empty())
}

/// Turns a Tera error into one line of text with, where Tera knows it, the
/// template and the line and column of the problem.
pub fn describe_tera_error(error: &tera::Error) -> TemplateProblem {
    let report = match error.kind() {
        tera::ErrorKind::SyntaxError(report) | tera::ErrorKind::RenderingError(report) => {
            Some(report)
        }
        _ => None,
    };
    let mut parts = vec![match report {
        Some(report) => report.message().to_owned(),
        None => error.to_string(),
    }];
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        parts.push(cause.to_string());
        source = cause.source();
    }
    parts.dedup();
    TemplateProblem {
        template: report
            .map(|r| r.filename().to_owned())
            .filter(|name| !name.is_empty()),
        // Tera's lines count from 1 and its columns from 0.
        pos: report.map(|r| Pos::new(r.span().start_line, r.span().start_col + 1)),
        range: report.map(|r| r.span().range.clone()),
        message: parts.join(": ").replace('\n', " "),
    }
}

impl Theme {
    /// Gives the `abbr` filter the site's glossary. A build or reload calls
    /// it on its own copy of the theme, before rendering.
    /// The glossary the `abbr` filter marks up with, in each of the site's
    /// languages (the main language's first).
    pub fn use_glossaries(&mut self, glossaries: Vec<(String, crate::glossary::Glossary)>) {
        self.tera.register_filter("abbr", abbr_filter(glossaries));
    }
}

/// The `abbr` filter: text from a YAML field, escaped, with the glossary's
/// terms marked up as `<abbr title="...">` (glossary.rs), in the page's
/// language (else the main language's). Its output is safe HTML.
fn abbr_filter(
    glossaries: Vec<(String, crate::glossary::Glossary)>,
) -> impl Fn(tera::StringInput, tera::Kwargs, &tera::State) -> tera::Value + Send + Sync + 'static {
    move |val, _, _| {
        let glossary = crate::words::with_current_language(|lang| {
            glossaries
                .iter()
                .find(|(l, _)| l == lang)
                .or(glossaries.first())
                .map(|(_, g)| g)
        });
        match glossary {
            Some(glossary) => tera::Value::safe_string(&glossary.mark_text(val.as_str())),
            None => tera::Value::safe_string(&crate::html::escape_html(val.as_str())),
        }
    }
}

/// The `urlencode` filter: text percent-encoded for a URL's query, such as
/// the subject of a `mailto:` link (every byte but ASCII letters, digits and
/// `-._~`, so nothing in it is read as part of the URL's structure).
fn urlencode(val: tera::StringInput, _: tera::Kwargs, _: &tera::State) -> String {
    const KEEP: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'.')
        .remove(b'_')
        .remove(b'~');
    percent_encoding::utf8_percent_encode(val.as_str(), KEEP).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urlencode_leaves_nothing_a_url_would_read_as_structure() {
        let mut tera = Tera::new();
        tera.register_filter("urlencode", urlencode);
        tera.add_raw_template("t", "{{ s | urlencode }}").unwrap();
        let mut ctx = tera::Context::new();
        ctx.insert("s", "Open Road & Co? #1 (Essex) 100% – ok_-.~");
        assert_eq!(
            tera.render("t", &ctx).unwrap(),
            "Open%20Road%20%26%20Co%3F%20%231%20%28Essex%29%20100%25%20%E2%80%93%20ok_-.~"
        );
    }

    #[test]
    fn the_default_theme_is_built_in_and_complete() {
        let mut diags = Diagnostics::new();
        let dir = tempfile::tempdir().unwrap();
        let theme = Theme::load(dir.path(), "default", &mut diags);
        assert!(theme.is_some(), "{:?}", diags.sorted());
        let theme = theme.unwrap();
        assert!(theme.static_files().any(|(p, _)| p == "css/signpost.css"));
        assert!(theme.static_files().any(|(p, _)| p == "js/signpost.js"));
    }

    #[test]
    fn render_errors_quote_the_whole_expression() {
        let mut diags = Diagnostics::new();
        let dir = tempfile::tempdir().unwrap();
        let theme = Theme::load(dir.path(), "default", &mut diags).unwrap();
        let mut tera = Tera::new();
        tera.add_raw_template("page.html", "<p>\n<a>{{ service.contact.phone.tel }}</a>")
            .unwrap();
        let mut ctx = tera::Context::new();
        ctx.insert(
            "service",
            &BTreeMap::from([("contact", BTreeMap::from([("phone", ())]))]),
        );
        let err = tera.render("page.html", &ctx).unwrap_err();
        let theme = Theme {
            tera,
            template_sources: BTreeMap::from([(
                "page.html".to_owned(),
                "<p>\n<a>{{ service.contact.phone.tel }}</a>".to_owned(),
            )]),
            ..theme
        };
        let problem = theme.describe_render_error("page.html", &err);
        assert_eq!(problem.pos.map(|p| p.line), Some(2), "{problem:?}");
        assert!(
            problem
                .message
                .ends_with("(in `service.contact.phone.tel`)"),
            "{problem:?}"
        );
        assert_eq!(expression_ending_at("{{ a.b[0].c }}", 11), Some("a.b[0].c"));
        assert_eq!(expression_ending_at("{{ }}", 2), None);
    }

    #[test]
    fn syntax_errors_have_a_position() {
        let err = Tera::new()
            .add_raw_template("t.html", "<p>\n{% if x %}\n{{ y </p>")
            .unwrap_err();
        let problem = describe_tera_error(&err);
        assert_eq!(problem.template.as_deref(), Some("t.html"));
        assert_eq!(problem.pos.map(|p| p.line), Some(3), "{}", problem.message);
        assert!(problem.pos.is_some_and(|p| p.column > 1), "{problem:?}");
    }
}
