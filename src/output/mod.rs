//! Writing the output so that nothing is lost and nothing is mixed (SPEC §3, §5).
//!
//! A build writes into `.<name>.staging/site`, in a staging folder beside the
//! output, and publishes only when the whole build has succeeded, in one step:
//! over a previous output, `renameat2(RENAME_EXCHANGE)` swaps the two folders
//! atomically, so whatever moment the process dies the output folder holds the
//! whole old build or the whole new one. The old build, now in the staging
//! folder, is then removed. Where there is no previous output a plain rename
//! publishes, as atomically. A file system that cannot exchange two folders
//! (some network shares) gets an error with advice, not a swap in two steps
//! that a crash could leave half done.
//!
//! A rebuild stays cheap on disk: a file with the same bytes as in the previous
//! output is a hard link to it, and only the files that changed are written.
//!
//! One build at a time per output: the staging folder's first file,
//! `.signpost-staging`, is Signpost's marker and its lock file. A build holds
//! an OS lock on it (`flock`, which ends with the process however it ends)
//! from before it reads the content until the staging folder is cleared
//! again, so the lock lives inside the staging sibling and leaves nothing
//! behind. A second build waits for the first, saying so, for up to
//! [`LOCK_WAIT`]: then it publishes the content as it is after the first build,
//! rather than losing the later edit, and a build that hangs cannot hold up the
//! next for ever.
//!
//! Nothing is written or deleted outside the output folder and that staging
//! sibling, with one exception that deletes nothing: `--force` over a folder of
//! files Signpost did not write moves that folder aside, whole, to
//! `<name>.before-signpost-<UTC time>` beside it. A staging folder without the
//! marker is someone's own, and is never touched.

use std::fs::{self, File};
use std::io;
use std::path::{Path, PathBuf};
use std::time::Duration;

mod lock;
mod place;
#[cfg(test)]
mod tests;

use lock::*;
use place::*;

/// A file in every output folder, so that Signpost never empties a folder it did
/// not write.
pub const MARKER: &str = ".signpost-output";

/// The marker and lock file in the staging folder: a staging folder without it
/// was not left by Signpost, and is never cleared.
pub const STAGING_MARKER: &str = ".signpost-staging";

/// How long a build waits for another build of the same output to finish.
pub const LOCK_WAIT: Duration = Duration::from_secs(10 * 60);

/// Why an output folder cannot be used, or a build could not be published.
#[derive(Debug)]
pub enum OutputError {
    /// Signpost will not build there (the site, its content, a mount point, a
    /// folder of someone's at the staging path…), or not now (another build of
    /// the output is running). The previous output is unchanged.
    Refused(String),
    /// Reading or writing failed (`what` was being done, `source` is why);
    /// the previous output is unchanged.
    Io { what: String, source: io::Error },
    /// Two files of one build were given the same path: a bug, since
    /// `validate` gives every path one owner. The second write is refused.
    SecondWrite(String),
    /// Publishing failed half way and the previous output is no longer where it
    /// was; the message says where it is.
    Moved(String),
}

impl OutputError {
    /// Whether the output folder is as it was before the build.
    pub fn output_unchanged(&self) -> bool {
        !matches!(self, OutputError::Moved(_))
    }
}

impl std::fmt::Display for OutputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            OutputError::Refused(m) | OutputError::Moved(m) => f.write_str(m),
            OutputError::Io { what, source } => write!(f, "{what}: {source}"),
            OutputError::SecondWrite(rel) => write!(
                f,
                "two files of this build would be written to {rel}; nothing was published (please report this)"
            ),
        }
    }
}

impl std::error::Error for OutputError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            OutputError::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

fn io_error(what: &str, path: &Path, e: io::Error) -> OutputError {
    OutputError::Io {
        what: format!("{what} {}", path.display()),
        source: e,
    }
}

/// A build in progress: the output folder, its staging sibling
/// `.<name>.staging`, and the lock on it. Dropping it (after `commit`, or
/// without) clears the staging folder and lets the next build start.
#[derive(Debug)]
pub struct Staging {
    output: PathBuf,
    root: PathBuf,
    /// Where the new build is written: `<root>/site`.
    site: PathBuf,
    /// The locked `<root>/.signpost-staging`, held until the staging folder
    /// is cleared (fields drop after `Drop::drop`).
    _lock: File,
    /// Whether the output holds a previous build, whose unchanged files the new
    /// build links to rather than writes.
    previous: bool,
    /// The files found the same as in the previous build, to link.
    unchanged: std::sync::Mutex<Vec<String>>,
    /// Every path written so far: one path has one owner, and a second
    /// write to it would silently replace the first.
    written: std::sync::Mutex<std::collections::HashSet<String>>,
    /// The folders made so far (relative): most files share their folder
    /// with others (12,000 Open Referral records in one), and asking the file
    /// system to make a folder that exists costs a failed `mkdir` and a `stat`.
    folders: std::sync::Mutex<std::collections::HashSet<String>>,
    force: bool,
}

/// A published build. Dropping it removes the previous build from the staging
/// folder and lets the next build start.
#[derive(Debug)]
pub struct Published {
    /// Where a folder of files Signpost did not write was moved (`--force`).
    pub moved_aside: Option<PathBuf>,
    _staging: Staging,
}

impl Staging {
    /// Checks that `output` is a safe place to build into, waits (up to
    /// [`LOCK_WAIT`]) until no other build of it is running, and makes an empty
    /// staging folder beside it. `site_root` is the site being built.
    pub fn prepare(output: &Path, site_root: &Path, force: bool) -> Result<Staging, OutputError> {
        Staging::prepare_waiting(output, site_root, force, LOCK_WAIT)
    }

    /// `prepare`, waiting up to `wait` for another build of `output`.
    pub fn prepare_waiting(
        output: &Path,
        site_root: &Path,
        force: bool,
        wait: Duration,
    ) -> Result<Staging, OutputError> {
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
        let lock = lock_staging(&root, &output, wait)?;
        let site = root.join("site");
        let mut staging = Staging {
            previous: false,
            output,
            root,
            site,
            _lock: lock,
            unchanged: std::sync::Mutex::default(),
            written: std::sync::Mutex::default(),
            folders: std::sync::Mutex::default(),
            force,
        };
        // What a killed build left here is ours to clear; from here on, dropping
        // `staging` on an error clears the staging folder again.
        clear_staging(&staging.root)?;
        fs::create_dir(&staging.site)
            .map_err(|e| io_error("cannot create the staging folder", &staging.site, e))?;
        fs::write(
            staging.site.join(MARKER),
            "This folder is written by Signpost; a build replaces all of it.\n",
        )
        .map_err(|e| io_error("cannot write in", &staging.site, e))?;
        staging.previous = staging.output.join(MARKER).is_file();
        Ok(staging)
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
    /// A file with the same bytes as in the previous build is not written but
    /// noted, to be a hard link to the old one (`link_unchanged`): after a
    /// one-file change a rebuild writes one file's worth of data, while
    /// reading unchanged files back from the page cache to compare them is cheap.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<(), OutputError> {
        let first = self
            .written
            .lock()
            .map(|mut written| written.insert(rel.to_owned()))
            .unwrap_or(false);
        if !first {
            return Err(OutputError::SecondWrite(rel.to_owned()));
        }
        if self.previous
            && same_contents(&self.output.join(rel), bytes)
            && let Ok(mut unchanged) = self.unchanged.lock()
        {
            unchanged.push(rel.to_owned());
            return Ok(());
        }
        if let Some((folder, _)) = rel.rsplit_once('/') {
            self.make_folder(folder)?;
        }
        let path = self.site.join(rel);
        fs::write(&path, bytes).map_err(|e| io_error("cannot write", &path, e))
    }

    /// Makes `folder` (relative) and its parents in the new build, unless a
    /// write made it already. Two threads may both make it: that is no error.
    fn make_folder(&self, folder: &str) -> Result<(), OutputError> {
        let made = |folders: &std::collections::HashSet<String>| folders.contains(folder);
        if self.folders.lock().map(|f| made(&f)).unwrap_or(false) {
            return Ok(());
        }
        let path = self.site.join(folder);
        fs::create_dir_all(&path).map_err(|e| io_error("cannot create", &path, e))?;
        if let Ok(mut folders) = self.folders.lock() {
            folders.insert(folder.to_owned());
        }
        Ok(())
    }

    /// Links every file noted unchanged by `write` from the previous build
    /// into the new one, several at a time (on a disk each link and folder
    /// waits on the file system). `commit` does it if it has not been done.
    pub fn link_unchanged(&self) -> Result<(), OutputError> {
        let unchanged = match self.unchanged.lock() {
            Ok(mut unchanged) => std::mem::take(&mut *unchanged),
            Err(_) => {
                return Err(OutputError::Io {
                    what: "linking the unchanged files".into(),
                    source: io::Error::other("a thread writing the build failed"),
                });
            }
        };
        in_parallel(&unchanged, |rel| {
            let (old, new) = (self.output.join(rel), self.site.join(rel));
            if let Some(parent) = new.parent() {
                fs::create_dir_all(parent).map_err(|e| io_error("cannot create", parent, e))?;
            }
            // Where a link cannot be made (files owned by another user, under
            // fs.protected_hardlinks), a copy does as well.
            if fs::hard_link(&old, &new).is_err() {
                fs::copy(&old, &new).map_err(|e| io_error("cannot write", &new, e))?;
            }
            Ok(())
        })
    }

    /// Publishes the new build in place of the old output, in one step. On an
    /// error the previous output is unchanged, unless the error is
    /// [`OutputError::Moved`].
    pub fn commit(self) -> Result<Published, OutputError> {
        self.link_unchanged()?;
        let moved_aside = self.publish()?;
        Ok(Published {
            moved_aside,
            _staging: self,
        })
    }

    fn publish(&self) -> Result<Option<PathBuf>, OutputError> {
        let into_place = |e: io::Error| {
            publish_error(
                "cannot move the new build into place at",
                &self.output,
                e,
                false,
            )
        };
        match fs::symlink_metadata(&self.output) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                fs::rename(&self.site, &self.output).map_err(into_place)?;
                Ok(None)
            }
            Err(e) => Err(io_error("cannot read", &self.output, e)),
            Ok(meta) if !meta.is_dir() => Err(OutputError::Refused(format!(
                "will not replace {}: it is not a folder",
                self.output.display()
            ))),
            Ok(_) if self.output.join(MARKER).is_file() => {
                exchange(&self.site, &self.output).map_err(|e| {
                    publish_error("cannot swap the new build in at", &self.output, e, true)
                })?;
                Ok(None)
            }
            // An empty folder: rename replaces it.
            Ok(_) if is_empty_dir(&self.output) => {
                fs::rename(&self.site, &self.output).map_err(into_place)?;
                Ok(None)
            }
            Ok(_) if self.force => self.publish_moving_aside().map(Some),
            // Someone filled the folder during the build.
            Ok(_) => Err(OutputError::Refused(format!(
                "will not replace {}: it now holds files Signpost did not write",
                self.output.display()
            ))),
        }
    }

    /// Moves a folder that Signpost did not write aside, whole, then moves the
    /// new build into its place; returns where the folder went.
    fn publish_moving_aside(&self) -> Result<PathBuf, OutputError> {
        let aside = aside_path(&self.output).ok_or_else(|| {
            OutputError::Refused(format!(
                "will not replace {}: no free name beside it to move it to",
                self.output.display()
            ))
        })?;
        fs::rename(&self.output, &aside).map_err(|e| {
            publish_error(
                "cannot move aside the folder of files Signpost did not write at",
                &self.output,
                e,
                false,
            )
        })?;
        if let Err(e) = fs::rename(&self.site, &self.output) {
            return Err(match fs::rename(&aside, &self.output) {
                Ok(()) => publish_error(
                    "cannot move the new build into place at",
                    &self.output,
                    e,
                    false,
                ),
                Err(back) => OutputError::Moved(format!(
                    "cannot move the new build into place at {}: {e}; the folder that was there is now at {} (moving it back failed: {back})",
                    self.output.display(),
                    aside.display()
                )),
            });
        }
        Ok(aside)
    }

    /// Throws the new build away; the old output stays as it was. (Dropping
    /// the staging does it; this says so where it happens.)
    pub fn abandon(self) {}
}

impl Drop for Staging {
    /// Clears the staging folder, the lock file last, while the lock is still
    /// held; the lock goes with the file handle just after.
    fn drop(&mut self) {
        // Whatever cannot be cleared keeps the marker, so that the next build
        // knows it for Signpost's and clears it.
        if clear_staging(&self.root).is_ok() {
            let _ = fs::remove_file(self.root.join(STAGING_MARKER));
            // Fails, harmlessly, if a waiting build has already made its lock
            // file here.
            let _ = fs::remove_dir(&self.root);
        }
    }
}

/// An error in publishing, with advice where the cause is the file system:
/// a mount point cannot be renamed (EBUSY, or EXDEV), and some file systems
/// cannot `exchange` (EINVAL, or no renameat2 at all).
fn publish_error(what: &str, output: &Path, e: io::Error, exchanging: bool) -> OutputError {
    match e.kind() {
        io::ErrorKind::ResourceBusy | io::ErrorKind::CrossesDevices => {
            OutputError::Refused(mount_point_advice(output))
        }
        io::ErrorKind::InvalidInput | io::ErrorKind::Unsupported if exchanging => {
            OutputError::Refused(format!(
                "{what} {}: this file system cannot swap two folders in one step (RENAME_EXCHANGE), which a rebuild needs so that the output is never half old, half new ({e}). Build into a folder on a local disk (ext4, XFS, Btrfs, tmpfs) and copy or sync it from there",
                output.display()
            ))
        }
        _ => io_error(what, output, e),
    }
}

fn mount_point_advice(output: &Path) -> String {
    format!(
        "will not build into {}: it is a mount point (a volume or another disk is mounted there), and a build replaces the output folder as a whole, which cannot be done to a mount point. Mount the volume's parent instead, or point --output at a folder inside the volume, such as {}",
        output.display(),
        output.join("site").display()
    )
}

/// A free name beside `output` for a folder moved aside:
/// `<name>.before-signpost-<UTC date and time>`.
fn aside_path(output: &Path) -> Option<PathBuf> {
    let now = time::OffsetDateTime::now_utc();
    let name = output.file_name()?.to_string_lossy();
    let stem = format!(
        "{name}.before-signpost-{:04}-{:02}-{:02}T{:02}-{:02}-{:02}Z",
        now.year(),
        u8::from(now.month()),
        now.day(),
        now.hour(),
        now.minute(),
        now.second()
    );
    (1..100)
        .map(|n| match n {
            1 => output.with_file_name(&stem),
            n => output.with_file_name(format!("{stem}-{n}")),
        })
        .find(|p| fs::symlink_metadata(p).is_err())
}

fn is_empty_dir(path: &Path) -> bool {
    fs::read_dir(path).is_ok_and(|mut entries| entries.next().is_none())
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
