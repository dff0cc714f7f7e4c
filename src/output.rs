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
    /// Set when the output holds a previous build: the new build then writes
    /// only the files that differ from it, and `commit` moves just those in.
    update: Option<Update>,
}

/// Every file of the new build, and whether it differs from the previous one.
#[derive(Debug, Default)]
struct Update {
    files: std::sync::Mutex<Vec<(String, bool)>>,
}

impl Update {
    fn record(&self, rel: &str, changed: bool) {
        if let Ok(mut files) = self.files.lock() {
            files.push((rel.to_owned(), changed));
        }
    }
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
        let update = output.join(MARKER).is_file().then(Update::default);
        Ok(Staging {
            output,
            root,
            site,
            update,
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
    /// Over a previous build, a file with the same bytes as the old one is not
    /// written at all: on a disk, rewriting (or even linking) tens of thousands
    /// of unchanged pages after a one-file change is most of a rebuild's cost,
    /// while reading them back from the page cache to compare is cheap.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<(), OutputError> {
        if let Some(update) = &self.update {
            let unchanged = same_contents(&self.output.join(rel), bytes);
            update.record(rel, !unchanged);
            if unchanged {
                return Ok(());
            }
        }
        let path = self.site.join(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(|e| io_error("cannot create", parent, e))?;
        }
        fs::write(&path, bytes).map_err(|e| io_error("cannot write", &path, e))
    }

    /// Puts the new build in place of the old output. If that fails half way,
    /// the old output is put back.
    pub fn commit(mut self) -> Result<(), OutputError> {
        if let Some(update) = self.update.take() {
            let files = update.files.into_inner().unwrap_or_default();
            return match self.move_changed_files(&files) {
                Ok(()) => {
                    self.remove_stale_files(&files);
                    remove_if_present(&self.root)
                }
                Err(e) => {
                    let _ = fs::remove_dir_all(&self.root);
                    Err(e)
                }
            };
        }
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

    /// Moves each changed file into the output, the old one aside first; on any
    /// failure every file moved so far is put back as it was.
    fn move_changed_files(&self, files: &[(String, bool)]) -> Result<(), OutputError> {
        let aside = self.root.join("previous");
        // (file in the output, where its old version was put, if it had one)
        let mut done: Vec<(PathBuf, Option<PathBuf>)> = Vec::new();
        let step = |rel: &str, done: &mut Vec<(PathBuf, Option<PathBuf>)>| {
            let target = self.output.join(rel);
            let old = if target.exists() {
                let old = aside.join(rel);
                create_parent(&old)?;
                fs::rename(&target, &old)
                    .map_err(|e| io_error("cannot move aside the old", &target, e))?;
                Some(old)
            } else {
                None
            };
            done.push((target.clone(), old));
            create_parent(&target)?;
            fs::rename(self.site.join(rel), &target)
                .map_err(|e| io_error("cannot move the new build's file into place at", &target, e))
        };
        for (rel, _) in files.iter().filter(|(_, changed)| *changed) {
            if let Err(e) = step(rel, &mut done) {
                for (target, old) in done.into_iter().rev() {
                    let _ = fs::remove_file(&target);
                    if let Some(old) = old {
                        let _ = fs::rename(old, &target);
                    }
                }
                return Err(e);
            }
        }
        Ok(())
    }

    /// Deletes what the previous build wrote and this one did not (a removed
    /// service's pages), and the folders that leaves empty.
    fn remove_stale_files(&self, files: &[(String, bool)]) {
        let keep: std::collections::HashSet<&str> = files
            .iter()
            .map(|(rel, _)| rel.as_str())
            .chain([MARKER])
            .collect();
        let walk = walkdir::WalkDir::new(&self.output).contents_first(true);
        for entry in walk.into_iter().filter_map(Result::ok) {
            let path = entry.path();
            if entry.file_type().is_dir() {
                // Fails, harmlessly, unless the folder is empty.
                let _ = fs::remove_dir(path);
                continue;
            }
            let rel = path
                .strip_prefix(&self.output)
                .map(|p| p.to_string_lossy().replace('\\', "/"))
                .unwrap_or_default();
            if !keep.contains(rel.as_str()) {
                let _ = fs::remove_file(path);
            }
        }
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

fn create_parent(path: &Path) -> Result<(), OutputError> {
    match path.parent() {
        Some(parent) => {
            fs::create_dir_all(parent).map_err(|e| io_error("cannot create", parent, e))
        }
        None => Ok(()),
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

    /// A temporary folder with a site folder in it; the output goes inside the site.
    fn site_with_output() -> (tempfile::TempDir, PathBuf, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("site");
        let out = site.join("output");
        fs::create_dir_all(&site).unwrap();
        (dir, site, out)
    }

    fn assert_only_output_left(site: &Path) {
        let names: Vec<_> = fs::read_dir(site)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["output"], "no staging folder is left behind");
    }

    #[test]
    fn swaps_in_a_new_build_and_keeps_the_old_one_on_failure() {
        let (_dir, site, out) = site_with_output();

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
        assert_only_output_left(&site);
    }

    #[test]
    fn over_a_previous_build_only_changed_files_are_written_and_stale_ones_go() {
        use std::os::unix::fs::MetadataExt;
        let (_dir, site, out) = site_with_output();
        let staging = Staging::prepare(&out, &site, false).unwrap();
        staging.write("same/index.html", b"same").unwrap();
        staging.write("changed/index.html", b"old").unwrap();
        staging.write("gone/deep/index.html", b"gone").unwrap();
        staging.commit().unwrap();
        let inode = |rel: &str| fs::metadata(out.join(rel)).unwrap().ino();
        let same = inode("same/index.html");

        let staging = Staging::prepare(&out, &site, false).unwrap();
        staging.write("same/index.html", b"same").unwrap();
        staging.write("changed/index.html", b"new").unwrap();
        staging.write("added/index.html", b"added").unwrap();
        // Only what changed was written to the staging folder.
        assert!(!staging.dir().join("same/index.html").exists());
        assert!(staging.dir().join("changed/index.html").exists());
        staging.commit().unwrap();

        assert_eq!(
            inode("same/index.html"),
            same,
            "the unchanged file is untouched"
        );
        assert_eq!(
            fs::read_to_string(out.join("changed/index.html")).unwrap(),
            "new"
        );
        assert_eq!(
            fs::read_to_string(out.join("added/index.html")).unwrap(),
            "added"
        );
        assert!(
            !out.join("gone").exists(),
            "stale files and their empty folders go"
        );
        assert!(out.join(MARKER).exists());
        assert_only_output_left(&site);
    }

    #[test]
    fn a_failed_update_puts_every_moved_file_back() {
        let (_dir, site, out) = site_with_output();
        let staging = Staging::prepare(&out, &site, false).unwrap();
        staging.write("a/index.html", b"old a").unwrap();
        staging
            .write("blocker", b"a file where the new build wants a folder")
            .unwrap();
        staging.commit().unwrap();

        let staging = Staging::prepare(&out, &site, false).unwrap();
        staging.write("a/index.html", b"new a").unwrap();
        staging
            .write("blocker/index.html", b"cannot go here")
            .unwrap();
        assert!(staging.commit().is_err());
        assert_eq!(
            fs::read_to_string(out.join("a/index.html")).unwrap(),
            "old a",
            "the file already moved in is put back"
        );
        assert!(out.join("blocker").is_file());
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
