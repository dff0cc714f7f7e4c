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
use std::path::{Component, Path, PathBuf};
use std::time::{Duration, Instant};

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
    /// Reading or writing failed; the previous output is unchanged.
    Io(String),
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
            OutputError::Refused(m) | OutputError::Io(m) | OutputError::Moved(m) => f.write_str(m),
        }
    }
}

fn io_error(what: &str, path: &Path, e: io::Error) -> OutputError {
    OutputError::Io(format!("{what} {}: {e}", path.display()))
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
        if self.previous
            && same_contents(&self.output.join(rel), bytes)
            && let Ok(mut unchanged) = self.unchanged.lock()
        {
            unchanged.push(rel.to_owned());
            return Ok(());
        }
        let path = self.site.join(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(|e| io_error("cannot create", parent, e))?;
        }
        fs::write(&path, bytes).map_err(|e| io_error("cannot write", &path, e))
    }

    /// Links every file noted unchanged by `write` from the previous build
    /// into the new one, several at a time (on a disk each link and folder
    /// waits on the file system). `commit` does it if it has not been done.
    pub fn link_unchanged(&self) -> Result<(), OutputError> {
        let unchanged = match self.unchanged.lock() {
            Ok(mut unchanged) => std::mem::take(&mut *unchanged),
            Err(_) => return Err(OutputError::Io("a thread writing the build failed".into())),
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

/// Makes or finds the staging folder `root` and locks its lock file, waiting
/// up to `wait` for another build of `output`. Refuses a staging folder that
/// Signpost did not make.
fn lock_staging(root: &Path, output: &Path, wait: Duration) -> Result<File, OutputError> {
    let lock_path = root.join(STAGING_MARKER);
    let deadline = Instant::now() + wait;
    let mut said_waiting = false;
    loop {
        match fs::create_dir(root) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(io_error("cannot create the staging folder", root, e)),
        }
        check_staging_is_ours(root, &lock_path)?;
        let file = match fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&lock_path)
        {
            Ok(file) => file,
            // The build that held the lock removed the folder just now.
            Err(e) if e.kind() == io::ErrorKind::NotFound && Instant::now() < deadline => {
                continue;
            }
            Err(e) => return Err(io_error("cannot create the lock file", &lock_path, e)),
        };
        loop {
            match file.try_lock() {
                Ok(()) => break,
                Err(fs::TryLockError::WouldBlock) => {
                    if Instant::now() >= deadline {
                        let waited = match wait.as_secs() {
                            s if s >= 120 => format!("{} minutes", s / 60),
                            _ => format!("{:.1} seconds", wait.as_secs_f64()),
                        };
                        return Err(OutputError::Refused(format!(
                            "another build of {} has been running for more than {waited}; stop it, or wait for it to finish, then build again",
                            output.display()
                        )));
                    }
                    if !said_waiting {
                        eprintln!(
                            "waiting for another build of {} to finish",
                            output.display()
                        );
                        said_waiting = true;
                    }
                    std::thread::sleep(Duration::from_millis(50));
                }
                Err(fs::TryLockError::Error(e)) => {
                    return Err(io_error("cannot lock", &lock_path, e));
                }
            }
        }
        // The build that held the lock removed the staging folder before it let
        // go, so the file locked may be one no longer there: then start again.
        if same_file(&file, &lock_path) {
            if file.metadata().is_ok_and(|m| m.len() == 0) {
                let _ = fs::write(
                    &lock_path,
                    "Signpost is building into the folder beside this one, or a build was stopped; the next build clears this folder.\n",
                );
            }
            return Ok(file);
        }
    }
}

/// Refuses a file, a link, or a folder of files, at the staging path that does
/// not hold Signpost's marker. An empty folder is fine: nothing in it can be lost,
/// and it is what another build makes just before its marker.
fn check_staging_is_ours(root: &Path, lock_path: &Path) -> Result<(), OutputError> {
    let foreign = |what: &str| {
        Err(OutputError::Refused(format!(
            "cannot remove {}: Signpost did not leave it there ({what}), and a build needs that place for its staging folder. Move it elsewhere (or delete it yourself if you do not need it), then build again",
            root.display()
        )))
    };
    match fs::symlink_metadata(root) {
        Ok(meta) if meta.is_symlink() => return foreign("it is a symbolic link"),
        Ok(meta) if !meta.is_dir() => return foreign("it is a file, not a folder"),
        Ok(_) => {}
        // Removed just now by the build that had it: it is made again next.
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(io_error("cannot read", root, e)),
    }
    match fs::symlink_metadata(lock_path) {
        Ok(meta) if meta.is_file() => Ok(()),
        Ok(_) => foreign(&format!("its {STAGING_MARKER} is not a file")),
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            if is_empty_dir(root) {
                Ok(())
            } else {
                foreign(&format!("it holds files but no {STAGING_MARKER}"))
            }
        }
        Err(e) => Err(io_error("cannot read", lock_path, e)),
    }
}

/// Removes everything in the staging folder but its lock file.
fn clear_staging(root: &Path) -> Result<(), OutputError> {
    let entries = match fs::read_dir(root) {
        Ok(entries) => entries,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(io_error("cannot read", root, e)),
    };
    for entry in entries {
        let entry = entry.map_err(|e| io_error("cannot read", root, e))?;
        if entry.file_name() == STAGING_MARKER {
            continue;
        }
        let path = entry.path();
        let removed = match entry.file_type() {
            Ok(t) if t.is_dir() => remove_tree(&path),
            _ => fs::remove_file(&path),
        };
        removed.map_err(|e| io_error("cannot remove", &path, e))?;
    }
    Ok(())
}

/// How many threads link or remove a build's files: on a disk each link,
/// folder or removal waits on the file system, so more threads than cores help.
const IO_THREADS: usize = 8;

/// Runs `work` on every item, `IO_THREADS` at a time; the first error, if any.
fn in_parallel<T: Sync, E: Send>(
    items: &[T],
    work: impl Fn(&T) -> Result<(), E> + Sync,
) -> Result<(), E> {
    let next = std::sync::atomic::AtomicUsize::new(0);
    let failure = std::sync::Mutex::new(None);
    std::thread::scope(|scope| {
        for _ in 0..IO_THREADS.min(items.len()) {
            scope.spawn(|| {
                while let Some(item) =
                    items.get(next.fetch_add(1, std::sync::atomic::Ordering::Relaxed))
                {
                    if let (Err(e), Ok(mut first)) = (work(item), failure.lock()) {
                        first.get_or_insert(e);
                    }
                }
            });
        }
    });
    match failure.into_inner().ok().flatten() {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

/// Removes a folder and everything in it, the entries two levels down (an
/// area's `services/`, `needs/`...) several at a time. Removing a 2,500-file
/// build one entry after another took 2.4 to 5.4 s on the ext4 disk of the
/// machine this was measured on (`rm -rf`: 8 s), and 0.4 to 0.9 s with eight
/// at a time.
fn remove_tree(dir: &Path) -> io::Result<()> {
    let mut parts = Vec::new();
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        // `file_type` does not follow symbolic links: a link is removed, not
        // what it points to.
        if entry.file_type()?.is_dir() {
            for inner in fs::read_dir(entry.path())? {
                parts.push(inner?);
            }
        } else {
            parts.push(entry);
        }
    }
    in_parallel(&parts, |entry| match entry.file_type() {
        Ok(t) if t.is_dir() => fs::remove_dir_all(entry.path()),
        _ => fs::remove_file(entry.path()),
    })?;
    // What is left: the emptied folders of the first level.
    fs::remove_dir_all(dir)
}

/// Whether `file` is the file at `path` now (not one removed since it was opened).
#[cfg(unix)]
fn same_file(file: &File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), fs::symlink_metadata(path)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn same_file(_file: &File, path: &Path) -> bool {
    path.is_file()
}

/// Swaps two folders in one step.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(io::Error::from)
}

#[cfg(not(target_os = "linux"))]
fn exchange(_a: &Path, _b: &Path) -> io::Result<()> {
    Err(io::Error::from(io::ErrorKind::Unsupported))
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
    if output.is_dir() && is_mount_point(output) {
        return Err(OutputError::Refused(mount_point_advice(output)));
    }
    if output.is_dir() && !force && !output.join(MARKER).exists() {
        let mut entries = fs::read_dir(output).map_err(|e| io_error("cannot read", output, e))?;
        if entries.next().is_some() {
            return refuse(
                "it holds files Signpost did not write (a build replaces the whole folder); choose an empty or new folder, or pass --force to move this folder aside (to a dated name beside it) and build in its place",
            );
        }
    }
    Ok(())
}

/// Whether a folder is on another file system than its parent: a volume
/// mounted there, which cannot be renamed or swapped.
#[cfg(unix)]
fn is_mount_point(dir: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (fs::metadata(dir), dir.parent().map(fs::metadata)) {
        (Ok(d), Some(Ok(p))) => d.dev() != p.dev(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn is_mount_point(_dir: &Path) -> bool {
    false
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
        let inode = |path: &Path| fs::metadata(path).unwrap().ino();
        let same = inode(&out.join("same/index.html"));
        let changed = inode(&out.join("changed/index.html"));

        let staging = Staging::prepare(&out, &site, false).unwrap();
        staging.write("same/index.html", b"same").unwrap();
        staging.write("changed/index.html", b"new").unwrap();
        staging.write("added/index.html", b"added").unwrap();
        // The unchanged file is a link to the old one, not a copy; the
        // changed one is a new file, so the old build is never modified.
        staging.link_unchanged().unwrap();
        assert_eq!(inode(&staging.dir().join("same/index.html")), same);
        assert_ne!(inode(&staging.dir().join("changed/index.html")), changed);
        assert_eq!(
            fs::read_to_string(out.join("changed/index.html")).unwrap(),
            "old"
        );
        staging.commit().unwrap();

        assert_eq!(
            inode(&out.join("same/index.html")),
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
    fn a_file_the_new_build_makes_a_folder_and_a_folder_it_makes_a_file() {
        // Moving changed files in one by one could fail here half way; a new
        // tree swapped in whole cannot.
        let (_dir, site, out) = site_with_output();
        let staging = Staging::prepare(&out, &site, false).unwrap();
        staging.write("a/index.html", b"old a").unwrap();
        staging.write("blocker", b"a file").unwrap();
        staging.write("folder/index.html", b"a folder").unwrap();
        staging.commit().unwrap();

        let staging = Staging::prepare(&out, &site, false).unwrap();
        staging.write("a/index.html", b"new a").unwrap();
        staging
            .write("blocker/index.html", b"now a folder")
            .unwrap();
        staging.write("folder", b"now a file").unwrap();
        staging.commit().unwrap();
        assert_eq!(
            fs::read_to_string(out.join("a/index.html")).unwrap(),
            "new a"
        );
        assert!(out.join("blocker/index.html").is_file());
        assert!(out.join("folder").is_file());
        assert_only_output_left(&site);
    }

    #[test]
    fn one_build_at_a_time_the_second_waits_a_bounded_time() {
        let (_dir, site, out) = site_with_output();
        let first = Staging::prepare(&out, &site, false).unwrap();
        first.write("index.html", b"first").unwrap();
        let wait = Duration::from_millis(300);
        let started = Instant::now();
        let second = Staging::prepare_waiting(&out, &site, false, wait);
        assert!(started.elapsed() >= wait, "it waited");
        match second {
            Err(OutputError::Refused(m)) => assert!(m.contains("another build of"), "{m}"),
            other => panic!("{other:?}"),
        }
        // The first build's staging folder is intact.
        assert!(first.dir().join("index.html").is_file());

        // A build waiting when the first publishes goes ahead after it, in a
        // staging folder of its own.
        let waiting = std::thread::spawn({
            let (out, site) = (out.clone(), site.clone());
            move || {
                let second =
                    Staging::prepare_waiting(&out, &site, false, Duration::from_secs(60)).unwrap();
                let published_first = fs::read_to_string(out.join("index.html")).unwrap();
                second.write("index.html", b"second").unwrap();
                second.commit().unwrap();
                published_first
            }
        });
        std::thread::sleep(Duration::from_millis(200));
        first.commit().unwrap();
        assert_eq!(waiting.join().unwrap(), "first");
        assert_eq!(
            fs::read_to_string(out.join("index.html")).unwrap(),
            "second"
        );
        assert_only_output_left(&site);
    }

    #[test]
    fn a_staging_folder_is_cleared_only_if_signpost_left_it() {
        let (_dir, site, out) = site_with_output();
        let root = site.join(".output.staging");

        // What a killed build leaves: the marker, and a half-written tree.
        fs::create_dir_all(root.join("site/half")).unwrap();
        fs::write(root.join(STAGING_MARKER), "").unwrap();
        fs::write(root.join("site/half/index.html"), "half").unwrap();
        Staging::prepare(&out, &site, false)
            .unwrap()
            .commit()
            .unwrap();
        assert_only_output_left(&site);

        // Someone's own folder, and a file, at that place.
        fs::create_dir_all(root.join("mine")).unwrap();
        fs::write(root.join("mine/notes.txt"), "mine").unwrap();
        for force in [false, true] {
            match Staging::prepare(&out, &site, force) {
                Err(OutputError::Refused(m)) => assert!(m.contains("Signpost did not"), "{m}"),
                other => panic!("{other:?}"),
            }
        }
        assert_eq!(
            fs::read_to_string(root.join("mine/notes.txt")).unwrap(),
            "mine"
        );
        fs::remove_dir_all(&root).unwrap();
        fs::write(&root, "a file").unwrap();
        assert!(matches!(
            Staging::prepare(&out, &site, false),
            Err(OutputError::Refused(_))
        ));
        assert_eq!(fs::read_to_string(&root).unwrap(), "a file");
    }

    #[test]
    fn force_moves_a_foreign_folder_aside_whole() {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("site");
        let photos = dir.path().join("photos");
        fs::create_dir_all(&site).unwrap();
        fs::create_dir_all(photos.join(".hidden")).unwrap();
        fs::write(photos.join(".hidden/cat.jpg"), b"x").unwrap();

        let staging = Staging::prepare(&photos, &site, true).unwrap();
        staging.write("index.html", b"guide").unwrap();
        // A failed build moves nothing.
        staging.abandon();
        assert!(photos.join(".hidden/cat.jpg").is_file());

        let staging = Staging::prepare(&photos, &site, true).unwrap();
        staging.write("index.html", b"guide").unwrap();
        let published = staging.commit().unwrap();
        let aside = published.moved_aside.clone().unwrap();
        drop(published);
        assert_eq!(aside.parent(), Some(dir.path()));
        let name = aside.file_name().unwrap().to_string_lossy().into_owned();
        assert!(name.starts_with("photos.before-signpost-20"), "{name}");
        assert_eq!(fs::read(aside.join(".hidden/cat.jpg")).unwrap(), b"x");
        assert_eq!(fs::read(photos.join("index.html")).unwrap(), b"guide");
    }

    #[test]
    fn a_folder_filled_during_a_build_is_not_replaced() {
        let (_dir, site, out) = site_with_output();
        let staging = Staging::prepare(&out, &site, false).unwrap();
        staging.write("index.html", b"guide").unwrap();
        fs::create_dir_all(&out).unwrap();
        fs::write(out.join("notes.txt"), "mine").unwrap();
        let err = staging.commit().unwrap_err();
        assert!(err.output_unchanged(), "{err}");
        assert_eq!(fs::read_to_string(out.join("notes.txt")).unwrap(), "mine");
        assert_only_output_left(&site);
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
