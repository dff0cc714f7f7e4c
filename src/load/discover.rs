//! Finding the content files, and reading one safely.

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::diagnostics::{Diagnostics, suggestion};
use crate::source::{is_ignored, not_a_regular_file};

use super::*;

/// A content file found on disk.
#[derive(Debug, Clone)]
pub struct ContentFile {
    pub kind: Kind,
    pub path: PathBuf,
    /// The path shown in diagnostics: `content/services/open-road.md`.
    pub display: String,
    pub slug: String,
    /// The language of a translation (`open-road.cy.md`, `needs.cy.yaml`);
    /// `None` for an original.
    pub lang: Option<String>,
    /// Set for a kind's whole folder that could not be read (its error is
    /// already reported): every entry of that kind counts as unreadable, so
    /// references to them do not bury the cause under follow-on errors.
    pub unreadable_folder: bool,
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
                let folder = e
                    .path()
                    .and_then(|p| p.file_name())
                    .map(|n| n.to_string_lossy());
                let kinds: Vec<Kind> = match (e.depth(), folder) {
                    (0, _) => Kind::ALL.to_vec(),
                    (1, Some(name)) => Kind::with_folders()
                        .filter(|(_, folder)| *folder == name)
                        .map(|(kind, _)| kind)
                        .collect(),
                    _ => Vec::new(),
                };
                for kind in kinds {
                    files.push(ContentFile {
                        kind,
                        path: e.path().unwrap_or(content_dir).to_owned(),
                        display: shown.clone(),
                        slug: String::new(),
                        lang: None,
                        unreadable_folder: true,
                    });
                }
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
        if !entry.file_type().is_file() {
            // A FIFO would hang the build and a device could fill memory.
            diags.error(&shown, None, not_a_regular_file(entry.file_type()));
            continue;
        }
        let parts: Vec<String> = rel
            .iter()
            .map(|p| p.to_string_lossy().into_owned())
            .collect();
        match classify(&parts) {
            Ok((kind, slug, lang)) => files.push(ContentFile {
                kind,
                path: entry.path().to_owned(),
                display: shown,
                slug,
                lang,
                unreadable_folder: false,
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

/// Works out a file's kind, slug and language (for a translation) from its
/// place, or says what is wrong with it. A slug never holds a dot, so
/// `open-road.cy.md` is the Welsh of `open-road`, never a slug `open-road.cy`.
fn classify(parts: &[String]) -> Result<(Kind, String, Option<String>), String> {
    match parts {
        [name] => {
            let (stem, lang) = split_language(name);
            match Kind::ALL
                .iter()
                .find(|k| k.file_name() == Some(stem.as_str()))
            {
                Some(kind) => Ok((*kind, String::new(), lang)),
                None if name == "site.yml" || name == "needs.yml" => Err(format!(
                    "rename it `{}` (with .yaml)",
                    name.replace(".yml", ".yaml")
                )),
                None => Err(unexpected_folder(name)),
            }
        }
        [folder, name] => {
            let Some((kind, _)) = Kind::with_folders().find(|(_, f)| f == folder) else {
                return Err(unexpected_folder(folder));
            };
            let ext = kind.extension();
            match name.rsplit_once('.') {
                Some((stem, e)) if e == ext => match stem.rsplit_once('.') {
                    Some((slug, lang)) => Ok((kind, slug.to_owned(), Some(lang.to_owned()))),
                    None => Ok((kind, stem.to_owned(), None)),
                },
                Some((stem, "yml")) if ext == "yaml" => Err(format!("rename it `{stem}.yaml`")),
                _ => Err(format!("files in `{folder}/` end in `.{ext}`")),
            }
        }
        [folder, ..] if Kind::with_folders().any(|(_, f)| f == folder) => {
            Err(format!("`{folder}/` holds files, not folders"))
        }
        [folder, ..] => Err(unexpected_folder(folder)),
        [] => Err("no name".into()),
    }
}

/// `site.cy.yaml` → (`site.yaml`, `cy`); any other name as it is.
fn split_language(name: &str) -> (String, Option<String>) {
    if let Some((stem, "yaml")) = name.rsplit_once('.')
        && let Some((base, lang)) = stem.split_once('.')
        && !lang.is_empty()
    {
        return (format!("{base}.yaml"), Some(lang.to_owned()));
    }
    (name.to_owned(), None)
}

fn unexpected_folder(folder: &str) -> String {
    let files: Vec<&str> = Kind::ALL.iter().filter_map(|k| k.file_name()).collect();
    let folders: Vec<&str> = Kind::with_folders().map(|(_, f)| f).collect();
    let (last, first) = folders.split_last().unwrap_or((&"", &[]));
    format!(
        "Signpost reads {} and the folders {} and {last}{}",
        files.join(", "),
        first.join(", "),
        suggestion(folder, folders.iter().copied())
    )
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
            (Kind::Service, "open-road".into(), None)
        );
        assert_eq!(
            classify(&parts(&["areas", "essex.yaml"])).unwrap(),
            (Kind::Area, "essex".into(), None)
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
        assert!(classify(&parts(&["site.en.yml"])).is_err());
        assert!(classify(&parts(&["services", "sub", "x.md"])).is_err());
    }

    #[test]
    fn translations_are_known_by_their_second_extension() {
        assert_eq!(
            classify(&parts(&["services", "open-road.cy.md"])).unwrap(),
            (Kind::Service, "open-road".into(), Some("cy".into()))
        );
        assert_eq!(
            classify(&parts(&["areas", "cardiff.en-GB.yaml"])).unwrap(),
            (Kind::Area, "cardiff".into(), Some("en-GB".into()))
        );
        assert_eq!(
            classify(&parts(&["needs.cy.yaml"])).unwrap(),
            (Kind::Needs, String::new(), Some("cy".into()))
        );
        assert_eq!(
            classify(&parts(&["site.cy.yaml"])).unwrap(),
            (Kind::SiteConfig, String::new(), Some("cy".into()))
        );
        assert!(classify(&parts(&["other.cy.yaml"])).is_err());
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
}
