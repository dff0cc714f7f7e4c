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

/// A theme ready to render with.
#[derive(Clone)]
pub struct Theme {
    pub tera: Tera,
    /// Template name → the path shown in diagnostics.
    template_files: BTreeMap<String, String>,
    /// Path under `static/` → contents, with overrides applied.
    static_files: BTreeMap<String, ThemeFile>,
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
        for (path, file) in files {
            if let Some(name) = path.strip_prefix("templates/") {
                let Ok(source) = String::from_utf8(file.bytes) else {
                    diags.error(&file.display, None, "the template is not valid UTF-8 text");
                    continue;
                };
                // Parse each template alone first, so every syntax error is reported.
                if let Err(e) = tera::Template::new(name, None, &source) {
                    let (pos, message) = describe_tera_error(&e);
                    diags.error(&file.display, pos, format!("template syntax: {message}"));
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
        let mut tera = Tera::default();
        tera.set_escape_fn(escape_html);
        if let Err(e) = tera.add_raw_templates(templates) {
            let (pos, message) = describe_tera_error(&e);
            diags.error("themes", pos, format!("templates: {message}"));
            return None;
        }
        let theme = Theme {
            tera,
            template_files,
            static_files,
        };
        for required in crate::render::TEMPLATES {
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
        if !entry.file_type().is_file()
            || crate::load::is_ignored(&entry.file_name().to_string_lossy())
        {
            continue;
        }
        let rel = entry.path().strip_prefix(dir).unwrap_or(entry.path());
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

/// Escapes text for HTML content and quoted attributes. Unlike Tera's default it
/// leaves `/` alone: it needs no escaping there, and links stay readable.
pub fn escape_html(input: &str) -> String {
    let mut out = String::with_capacity(input.len() + input.len() / 8);
    // The characters to escape are ASCII, so the text between them can be
    // copied as whole slices rather than a character at a time: Tera calls
    // this for every value a template prints.
    let mut copied = 0;
    for (i, byte) in input.bytes().enumerate() {
        let entity = match byte {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#x27;",
            _ => continue,
        };
        out.push_str(&input[copied..i]);
        out.push_str(entity);
        copied = i + 1;
    }
    out.push_str(&input[copied..]);
    out
}

/// Flattens a Tera error and its causes into one message, and picks out the
/// `line:column` that Tera's parser writes as ` --> 3:5`.
pub fn describe_tera_error(error: &tera::Error) -> (Option<Pos>, String) {
    let mut parts = vec![error.to_string()];
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        parts.push(cause.to_string());
        source = cause.source();
    }
    let full = parts.join("\n");
    let pos = full.lines().find_map(|line| {
        let rest = line.trim_start().strip_prefix("--> ")?;
        let (l, c) = rest.split_once(':')?;
        Some(Pos::new(l.trim().parse().ok()?, c.trim().parse().ok()?))
    });
    // Keep the readable lines: the first, and pest's "expected ..." line.
    let message = parts
        .iter()
        .flat_map(|p| p.lines())
        .map(str::trim)
        .filter(|l| {
            !l.is_empty()
                && !l.starts_with("-->")
                && !l.starts_with('|')
                && !l.chars().next().is_some_and(|c| c.is_ascii_digit())
        })
        .map(|l| l.trim_start_matches("= "))
        .collect::<Vec<_>>()
        .join(": ");
    (pos, message)
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn escapes_markup_but_not_slashes() {
        assert_eq!(
            escape_html("Tom & \"Jo's\" <b>/x"),
            "Tom &amp; &quot;Jo&#x27;s&quot; &lt;b&gt;/x"
        );
        assert_eq!(escape_html("café <é>’&"), "café &lt;é&gt;’&amp;");
        assert_eq!(escape_html(""), "");
        assert_eq!(escape_html("plain"), "plain");
    }

    #[test]
    fn syntax_errors_have_a_position() {
        let err = tera::Template::new("t.html", None, "<p>\n{% if x %}\n{{ y </p>").unwrap_err();
        let (pos, message) = describe_tera_error(&err);
        assert_eq!(pos.map(|p| p.line), Some(3), "{message}");
        assert_eq!(pos.map(|p| p.column), Some(7));
        assert!(message.starts_with("expected an expression"), "{message}");
    }
}
