//! Writing the output: every build goes into a staging folder beside the output and
//! is swapped into place only when the whole build succeeded, so a failed build
//! leaves the previous output untouched. Nothing is written or deleted outside the
//! output folder and that staging sibling.

use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};

/// A file in every output folder, so that Signpost never empties a folder it did
/// not write.
pub const MARKER: &str = ".signpost-output";

/// Why an output folder cannot be used.
#[derive(Debug)]
pub enum OutputError {
    /// The folder is somewhere Signpost must not write (the site, its content…).
    Refused(String),
    Io(String),
}

impl std::fmt::Display for OutputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            OutputError::Refused(m) | OutputError::Io(m) => f.write_str(m),
        }
    }
}

fn io_error(what: &str, path: &Path, e: io::Error) -> OutputError {
    OutputError::Io(format!("{what} {}: {e}", path.display()))
}

/// The output folder and its staging sibling, `.<name>.staging`.
#[derive(Debug)]
pub struct Staging {
    output: PathBuf,
    root: PathBuf,
    /// Where the new build is written: `<staging>/site`.
    site: PathBuf,
    /// The output holds a previous build whose unchanged files can be reused.
    reuse: bool,
}

impl Staging {
    /// Checks that `output` is a safe place to build into, and makes an empty
    /// staging folder beside it. `site_root` is the site being built.
    pub fn prepare(output: &Path, site_root: &Path, force: bool) -> Result<Staging, OutputError> {
        let output =
            absolute(output).map_err(|e| io_error("cannot use the output folder", output, e))?;
        let site_root = absolute(site_root)
            .map_err(|e| io_error("cannot use the site folder", site_root, e))?;
        check_safe(&output, &site_root, force)?;
        let parent = output.parent().ok_or_else(|| {
            OutputError::Refused("the output folder cannot be the root of the file system".into())
        })?;
        fs::create_dir_all(parent).map_err(|e| io_error("cannot create", parent, e))?;
        let name = output
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let root = parent.join(format!(".{name}.staging"));
        // A staging folder left by an interrupted build is ours to clear.
        remove_if_present(&root)?;
        let site = root.join("site");
        fs::create_dir_all(&site)
            .map_err(|e| io_error("cannot create the staging folder", &site, e))?;
        fs::write(
            site.join(MARKER),
            "This folder is written by Signpost; a build replaces all of it.\n",
        )
        .map_err(|e| io_error("cannot write in", &site, e))?;
        let reuse = output.join(MARKER).is_file();
        Ok(Staging {
            output,
            root,
            site,
            reuse,
        })
    }

    /// Where the new build is being written.
    pub fn dir(&self) -> &Path {
        &self.site
    }

    pub fn output(&self) -> &Path {
        &self.output
    }

    /// Writes one file of the new build; `rel` is relative to the output root.
    ///
    /// When the previous build has the same file with the same bytes, the file
    /// is hard-linked from it instead: on a disk, rewriting tens of thousands of
    /// unchanged pages after a one-file change is most of a rebuild's cost,
    /// while reading them back from the page cache to compare is cheap. The old
    /// output is only read, never changed, so the swap stays atomic.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<(), OutputError> {
        let path = self.site.join(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(|e| io_error("cannot create", parent, e))?;
        }
        if self.reuse {
            let old = self.output.join(rel);
            if same_contents(&old, bytes) && fs::hard_link(&old, &path).is_ok() {
                return Ok(());
            }
        }
        fs::write(&path, bytes).map_err(|e| io_error("cannot write", &path, e))
    }

    /// Puts the new build in place of the old output. If the swap fails half way,
    /// the old output is put back.
    pub fn commit(self) -> Result<(), OutputError> {
        let previous = self.root.join("previous");
        let had_output = self.output.exists();
        if had_output {
            fs::rename(&self.output, &previous)
                .map_err(|e| io_error("cannot move aside the old output", &self.output, e))?;
        }
        if let Err(e) = fs::rename(&self.site, &self.output) {
            if had_output {
                let _ = fs::rename(&previous, &self.output);
            }
            return Err(io_error(
                "cannot move the new build into place at",
                &self.output,
                e,
            ));
        }
        remove_if_present(&self.root)
    }

    /// Throws the new build away; the old output stays as it was.
    pub fn abandon(self) {
        let _ = fs::remove_dir_all(&self.root);
    }
}

/// Whether the file at `path` is a regular file holding exactly `bytes`.
fn same_contents(path: &Path, bytes: &[u8]) -> bool {
    match fs::symlink_metadata(path) {
        Ok(meta) if meta.is_file() && meta.len() == bytes.len() as u64 => {
            fs::read(path).is_ok_and(|old| old == bytes)
        }
        _ => false,
    }
}

fn remove_if_present(path: &Path) -> Result<(), OutputError> {
    match fs::remove_dir_all(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(io_error("cannot remove", path, e)),
    }
}

/// An absolute path with `.` and `..` resolved, following symbolic links in the
/// part that exists, so that two names for one folder compare equal.
fn absolute(path: &Path) -> io::Result<PathBuf> {
    let path = std::path::absolute(path)?;
    let mut existing = path.as_path();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_owned());
                existing = parent;
            }
            _ => break,
        }
    }
    let mut resolved = existing.canonicalize()?;
    for name in rest.into_iter().rev() {
        resolved.push(name);
    }
    // Lexically resolve any `..` left in the part that does not exist yet.
    let mut clean = PathBuf::new();
    for part in resolved.components() {
        match part {
            Component::ParentDir => {
                clean.pop();
            }
            Component::CurDir => {}
            other => clean.push(other),
        }
    }
    Ok(clean)
}

fn check_safe(output: &Path, site_root: &Path, force: bool) -> Result<(), OutputError> {
    let refuse = |why: &str| {
        Err(OutputError::Refused(format!(
            "will not build into {}: {why}",
            output.display()
        )))
    };
    if output.parent().is_none() {
        return refuse("it is the root of the file system");
    }
    if site_root.starts_with(output) {
        return refuse("it holds the site itself; the build replaces the whole output folder");
    }
    for inside in ["content", "themes"] {
        if output.starts_with(site_root.join(inside)) {
            return refuse(&format!("it is inside the site's {inside}/ folder"));
        }
    }
    if output.is_file() {
        return refuse("it is a file");
    }
    if output.is_dir() && !force && !output.join(MARKER).exists() {
        let mut entries = fs::read_dir(output).map_err(|e| io_error("cannot read", output, e))?;
        if entries.next().is_some() {
            return refuse(
                "it holds files Signpost did not write (a build replaces the whole folder); choose an empty or new folder, or pass --force",
            );
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn swaps_in_a_new_build_and_keeps_the_old_one_on_failure() {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("site");
        let out = site.join("output");
        fs::create_dir_all(&site).unwrap();

        let staging = Staging::prepare(&out, &site, false).unwrap();
        staging.write("a/index.html", b"one").unwrap();
        staging.commit().unwrap();
        assert_eq!(fs::read_to_string(out.join("a/index.html")).unwrap(), "one");

        let staging = Staging::prepare(&out, &site, false).unwrap();
        staging.write("a/index.html", b"two").unwrap();
        staging.abandon();
        assert_eq!(fs::read_to_string(out.join("a/index.html")).unwrap(), "one");

        let staging = Staging::prepare(&out, &site, false).unwrap();
        staging.write("b/index.html", b"three").unwrap();
        staging.commit().unwrap();
        assert!(!out.join("a/index.html").exists());
        assert!(out.join(MARKER).exists());
        let names: Vec<_> = fs::read_dir(&site)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["output"], "no staging folder is left behind");
    }

    #[test]
    fn refuses_dangerous_outputs() {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("site");
        fs::create_dir_all(site.join("content")).unwrap();
        fs::create_dir_all(dir.path().join("photos")).unwrap();
        fs::write(dir.path().join("photos/cat.jpg"), b"x").unwrap();
        for bad in [
            site.clone(),
            dir.path().to_owned(),
            site.join("content"),
            site.join("content/out"),
            site.join("themes/x"),
            PathBuf::from("/"),
        ] {
            assert!(
                matches!(
                    Staging::prepare(&bad, &site, false),
                    Err(OutputError::Refused(_))
                ),
                "{}",
                bad.display()
            );
        }
        let photos = dir.path().join("photos");
        assert!(matches!(
            Staging::prepare(&photos, &site, false),
            Err(OutputError::Refused(_))
        ));
        assert!(Staging::prepare(&photos, &site, true).is_ok());
        assert!(Staging::prepare(&site.join("../site/output"), &site, false).is_ok());
    }
}
