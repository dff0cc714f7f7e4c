//! `signpost new` and `signpost init`: files an editor fills in, with a plain-English
//! note on every field, and a minimal site that builds at once, with the CI
//! workflow that checks and publishes it (docs/publishing.md).

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use time::Date;

use crate::kinds::ContentKind;
use crate::slug;

/// Why `new` or `init` did not write.
#[derive(Debug)]
pub enum ScaffoldError {
    /// The request cannot be met (a file exists, a title has no letters).
    Refused(String),
    /// The file system said no: `what` was being done, `source` is why.
    Io { what: String, source: io::Error },
}

impl ScaffoldError {
    fn io(what: impl Into<String>) -> impl FnOnce(io::Error) -> ScaffoldError {
        let what = what.into();
        move |source| ScaffoldError::Io { what, source }
    }
}

impl std::fmt::Display for ScaffoldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ScaffoldError::Refused(m) => f.write_str(m),
            ScaffoldError::Io { what, source } => write!(f, "{what}: {source}"),
        }
    }
}

impl std::error::Error for ScaffoldError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ScaffoldError::Refused(_) => None,
            ScaffoldError::Io { source, .. } => Some(source),
        }
    }
}

/// Writes a new content file for `title` under `root/content`, never overwriting.
/// Returns the path written, relative to `root`.
pub fn new_file(
    root: &Path,
    kind: ContentKind,
    title: &str,
    today: Date,
) -> Result<String, ScaffoldError> {
    let (Some(folder), Some(template)) = (kind.folder(), kind.new_file_template()) else {
        return Err(ScaffoldError::Refused(format!(
            "there is one {} per site; signpost init makes it",
            kind.file_name().unwrap_or("such file")
        )));
    };
    let slug = slug_for_title(title);
    if slug.is_empty() {
        return Err(ScaffoldError::Refused(format!(
            "the title \"{title}\" has no letters or digits to make a file name from"
        )));
    }
    let rel = format!("content/{folder}/{slug}.{}", kind.extension());
    let path = root.join(&rel);
    let text = template
        .replace("{title}", &yaml_string(title.trim()))
        .replace("{today}", &today.to_string());
    write_new(&path, &text).map_err(|e| match e.kind() {
        io::ErrorKind::AlreadyExists => ScaffoldError::Refused(format!(
            "{rel} already exists; edit it, or choose another title"
        )),
        _ => ScaffoldError::io(format!("cannot write {rel}"))(e),
    })?;
    Ok(rel)
}

/// Writes a translation stub of an existing entry: `content/services/open-road.cy.md`
/// beside `open-road.md`, holding the original's words (and only them) for
/// the editor to write over in `lang`, and its body. `title` is the
/// original's title or slug. Returns the path written, relative to `root`.
pub fn new_translation(
    root: &Path,
    kind: ContentKind,
    title: &str,
    lang: &str,
) -> Result<String, ScaffoldError> {
    let Some(folder) = kind.folder() else {
        return Err(ScaffoldError::Refused(format!(
            "copy {} to its translation by hand",
            kind.file_name().unwrap_or("the file")
        )));
    };
    if !crate::load::is_language_tag(lang) {
        return Err(ScaffoldError::Refused(format!(
            "`{lang}` is not a language tag such as cy or pl (BCP 47)"
        )));
    }
    let slug = shorten_slug(&slug::from_title(title), MAX_SLUG_CHARS);
    let ext = kind.extension();
    let original_rel = format!("content/{folder}/{slug}.{ext}");
    let text = fs::read_to_string(root.join(&original_rel)).map_err(|e| match e.kind() {
        io::ErrorKind::NotFound => ScaffoldError::Refused(format!(
            "there is no {original_rel} to translate: `new --language` starts a translation of an entry that exists"
        )),
        _ => ScaffoldError::io(format!("cannot read {original_rel}"))(e),
    })?;
    let unreadable = || {
        ScaffoldError::Refused(format!(
            "{original_rel} has problems `signpost check` reports: fix them first"
        ))
    };
    let (yaml_text, line, body) = if kind.is_markdown() {
        let split = crate::source::split_front_matter(&text).map_err(|_| unreadable())?;
        (split.front_matter, split.front_matter_line, split.body)
    } else {
        (text.as_str(), 1, "")
    };
    let node = crate::yaml::parse(yaml_text, line)
        .map_err(|_| unreadable())?
        .ok_or_else(unreadable)?;
    let mut out = String::new();
    if kind.is_markdown() {
        out.push_str("---\n");
    }
    out.push_str(&format!(
        "# The {lang} words of {original_rel}: write each over in {lang}.\n# Only words belong here; everything else comes from the original.\n"
    ));
    translation_words(&node, crate::load::word_fields(kind), "", &mut out);
    if kind.is_markdown() {
        out.push_str("---\n");
        out.push_str(body);
    }
    let rel = format!("content/{folder}/{slug}.{lang}.{ext}");
    write_new(&root.join(&rel), &out).map_err(|e| match e.kind() {
        io::ErrorKind::AlreadyExists => {
            ScaffoldError::Refused(format!("{rel} already exists; edit it"))
        }
        _ => ScaffoldError::io(format!("cannot write {rel}"))(e),
    })?;
    Ok(rel)
}

/// The word fields of a mapping, as YAML lines to translate: its own
/// `words`, a contact's words, and each step's (with its id).
fn translation_words(node: &crate::yaml::Node, words: &[&str], indent: &str, out: &mut String) {
    use crate::yaml::Value;
    let Value::Map(entries) = &node.value else {
        return;
    };
    for (key, value) in entries {
        let Some(key) = key.as_scalar() else { continue };
        match (&value.value, key) {
            (Value::Scalar { text, .. }, _) if words.contains(&key) && !text.trim().is_empty() => {
                out.push_str(&format!("{indent}{key}: {}\n", yaml_string(text.trim())));
            }
            (Value::Map(_), "contact") => {
                let mut inner = String::new();
                translation_words(value, crate::load::CONTACT_WORDS, "  ", &mut inner);
                if !inner.is_empty() {
                    out.push_str(&format!("contact:\n{inner}"));
                }
            }
            (Value::Seq(steps), "steps") => {
                out.push_str("steps:\n");
                for step in steps {
                    let mut inner = String::new();
                    translation_words(step, &["id"], "    ", &mut inner);
                    translation_words(step, crate::load::STEP_WORDS, "    ", &mut inner);
                    out.push_str(&format!("  - {}", inner.trim_start()));
                }
            }
            _ => {}
        }
    }
}

/// A slug becomes a file name and a part of every page's address: long titles
/// ("Support for women leaving prison who have ...") make a shorter one. A
/// 300-character title once failed on the file system's name limit.
pub const MAX_SLUG_CHARS: usize = 60;

/// The slug `new` (and `import`) makes from a title: folded, and cut
/// between words to [`MAX_SLUG_CHARS`]. Empty when the title has no letters
/// or digits.
pub fn slug_for_title(title: &str) -> String {
    shorten_slug(&slug::from_title(title), MAX_SLUG_CHARS)
}

/// Cuts `slug` to at most `max` characters at a hyphen, so no word is broken.
fn shorten_slug(slug: &str, max: usize) -> String {
    if slug.len() <= max {
        return slug.to_owned();
    }
    let cut = &slug[..max];
    match cut.rfind('-') {
        Some(at) if at > 0 => cut[..at].to_owned(),
        _ => cut.trim_end_matches('-').to_owned(),
    }
}

/// Creates a file that must not exist yet (atomically: no race with another writer).
fn write_new(path: &Path, text: &str) -> io::Result<()> {
    use std::io::Write;
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)?;
    }
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?;
    file.write_all(text.as_bytes())
}

/// A YAML double-quoted string, so any title (with a colon, a quote, a #) stays text.
fn yaml_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The files of a new site: (path under the site folder, contents).
const INIT_FILES: &[(&str, &str)] = &[
    ("content/site.yaml", include_str!("scaffold/init/site.yaml")),
    (
        "content/needs.yaml",
        include_str!("scaffold/init/needs.yaml"),
    ),
    (
        "content/areas/your-area.yaml",
        include_str!("scaffold/init/area.yaml"),
    ),
    (
        "content/services/national-domestic-abuse-helpline.md",
        include_str!("scaffold/init/helpline.md"),
    ),
    (
        "content/pathways/if-you-are-being-hurt-at-home.md",
        include_str!("scaffold/init/first-contact.md"),
    ),
    (
        "content/pages/cover-your-tracks.md",
        include_str!("scaffold/init/cover-your-tracks.md"),
    ),
    (
        "content/pages/accessibility-statement.md",
        include_str!("scaffold/init/accessibility-statement.md"),
    ),
    (
        "content/pages/about.md",
        include_str!("scaffold/init/about.md"),
    ),
    (
        "content/glossary.yaml",
        include_str!("scaffold/init/glossary.yaml"),
    ),
    (
        ".github/workflows/signpost.yml",
        include_str!("scaffold/init/signpost.yml"),
    ),
];

/// Where the CI workflow `init` writes downloads Signpost's release binaries
/// from: the releases of the repository in Cargo.toml's `repository`, when it
/// is on GitHub. Without one, a placeholder that the workflow's install step
/// refuses with a message saying what to set, rather than an address that
/// someone else could own.
pub fn releases_url() -> String {
    let repository = env!("CARGO_PKG_REPOSITORY").trim_end_matches('/');
    if repository.starts_with("https://github.com/") {
        format!("{repository}/releases/download")
    } else {
        RELEASES_PLACEHOLDER.to_owned()
    }
}

/// What `releases_url` gives while Signpost has no published repository.
pub const RELEASES_PLACEHOLDER: &str = "SET-ME: the address of Signpost's releases";

/// What `init` may be told beyond the folder: each fills in a line of
/// `site.yaml` that would otherwise be left for the editor (with a warning
/// from `check` until it is), so that a site made with all of them passes
/// `check --strict` at once.
#[derive(Debug, Clone, Copy, Default)]
pub struct InitOptions<'a> {
    /// A second language, after English (`languages: [en-GB, cy]`).
    pub language: Option<&'a str>,
    /// The web address the guide will be published at (`base_url`).
    pub base_url: Option<&'a str>,
    /// The publisher's email address (`contact: {email}`).
    pub contact: Option<&'a str>,
}

/// Creates a new minimal site in `dir`, which must not hold a `content/` folder yet.
/// Returns the files written.
pub fn init(dir: &Path, today: Date, options: InitOptions) -> Result<Vec<PathBuf>, ScaffoldError> {
    let InitOptions {
        language,
        base_url,
        contact,
    } = options;
    if let Some(url) = base_url {
        let parsed = url::Url::parse(url).ok();
        if !parsed.is_some_and(|u| matches!(u.scheme(), "https" | "http") && u.host().is_some())
            || url.contains(['"', '\\', ' '])
        {
            return Err(ScaffoldError::Refused(format!(
                "`--base-url {url}` is not a web address such as https://www.example.gov.uk/women/"
            )));
        }
    }
    if let Some(email) = contact
        && (email.split('@').count() != 2
            || email.starts_with('@')
            || email.ends_with('@')
            || email.contains(['"', '\\', ' ', '?', '&', ':']))
    {
        return Err(ScaffoldError::Refused(format!(
            "`--contact {email}` is not an email address such as womens-guide@your-council.gov.uk"
        )));
    }
    if let Some(lang) = language
        && !crate::load::is_language_tag(lang)
    {
        return Err(ScaffoldError::Refused(format!(
            "`{lang}` is not a language tag such as cy or pl (BCP 47)"
        )));
    }
    // A site at the root of the file system would put content/ and output/
    // beside the system's own folders.
    let resolved = std::path::absolute(dir)
        .and_then(|d| d.canonicalize().or(Ok(d)))
        .map_err(ScaffoldError::io(format!("cannot use {}", dir.display())))?;
    if resolved.parent().is_none() {
        return Err(ScaffoldError::Refused(format!(
            "will not make a site at {}, the root of the file system; choose a new folder, such as ./my-guide",
            dir.display()
        )));
    }
    if dir.join("content").exists() {
        return Err(ScaffoldError::Refused(format!(
            "{} already has a content/ folder; init makes a new site",
            dir.display()
        )));
    }
    // Checked before anything is written, so that a refusal leaves no half site
    // (a repository may already have a workflow of that name).
    if let Some((rel, _)) = INIT_FILES.iter().find(|(rel, _)| dir.join(rel).exists()) {
        return Err(ScaffoldError::Refused(format!(
            "{} already exists; init makes a new site and overwrites nothing",
            dir.join(rel).display()
        )));
    }
    let mut written = Vec::new();
    for (rel, text) in INIT_FILES {
        let path = dir.join(rel);
        let mut text = text
            .replace("{today}", &today.to_string())
            .replace("{signpost_version}", env!("CARGO_PKG_VERSION"))
            .replace("{signpost_releases}", &releases_url());
        if let (Some(lang), "content/site.yaml") = (language, *rel) {
            text = text.replace(
                "# The language of every page.\nlanguage: en-GB",
                &format!("# The languages of the guide, the main one first. Each other language is\n# published under output/<lang>/; `signpost new service \"Name\" --language {lang}`\n# starts a translation beside a file, and `signpost check` lists what is left.\nlanguages: [en-GB, {lang}]"),
            );
        }
        if *rel == "content/site.yaml" {
            if let Some(url) = base_url {
                let url = if url.ends_with('/') {
                    url.to_owned()
                } else {
                    format!("{url}/")
                };
                text = text.replacen("# base_url:", &format!("base_url: \"{url}\""), 1);
            }
            if let Some(email) = contact {
                text = text.replacen(
                    "# contact:\n#   email: womens-guide@your-council.gov.uk",
                    &format!("contact:\n  email: {email}"),
                    1,
                );
            }
        }
        write_new(&path, &text).map_err(ScaffoldError::io(format!(
            "cannot write {}",
            path.display()
        )))?;
        written.push(path);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_become_quoted_yaml() {
        assert_eq!(
            yaml_string("Women's Hub: \"Sutton\" #1"),
            "\"Women's Hub: \\\"Sutton\\\" #1\""
        );
    }

    #[test]
    fn a_failed_write_keeps_its_cause() {
        use std::error::Error;
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a-file");
        fs::write(&file, "x").unwrap();
        let err = init(&file.join("site"), Date::MIN, InitOptions::default()).unwrap_err();
        let cause = err.source().and_then(|e| e.downcast_ref::<io::Error>());
        assert!(cause.is_some(), "{err:?}");
        assert!(err.to_string().starts_with("cannot write "), "{err}");
    }

    #[test]
    fn init_refuses_before_writing_anything_when_its_workflow_exists() {
        let dir = tempfile::tempdir().unwrap();
        let workflow = dir.path().join(".github/workflows/signpost.yml");
        fs::create_dir_all(workflow.parent().unwrap()).unwrap();
        fs::write(&workflow, "mine").unwrap();
        let err = init(dir.path(), Date::MIN, InitOptions::default()).unwrap_err();
        assert!(matches!(err, ScaffoldError::Refused(_)), "{err}");
        assert!(!dir.path().join("content").exists());
        assert_eq!(fs::read_to_string(&workflow).unwrap(), "mine");
    }

    #[test]
    fn long_titles_make_short_slugs_cut_between_words() {
        let title = "Support for women leaving prison ".repeat(10);
        let slug = shorten_slug(&slug::from_title(&title), MAX_SLUG_CHARS);
        assert!(slug.len() <= MAX_SLUG_CHARS, "{slug}");
        assert!(slug::is_valid(&slug));
        assert!(slug.starts_with("support-for-women-leaving-prison-support"));
        assert!(!slug.ends_with('-'));
        assert_eq!(shorten_slug("a".repeat(70).as_str(), 60), "a".repeat(60));
        assert_eq!(shorten_slug("open-road", 60), "open-road");
    }
}
