//! Where a build may go: the checks that keep Signpost from building into
//! (and so replacing) the site itself, its content, or a folder of someone else's.

use std::fs::{self};
use std::io;
use std::path::{Component, Path, PathBuf};

use super::*;

/// An absolute path with `.` and `..` resolved, following symbolic links in the
/// part that exists, so that two names for one folder compare equal.
pub(super) fn absolute(path: &Path) -> io::Result<PathBuf> {
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

pub(super) fn check_safe(output: &Path, site_root: &Path, force: bool) -> Result<(), OutputError> {
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
pub(super) fn is_mount_point(dir: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (fs::metadata(dir), dir.parent().map(fs::metadata)) {
        (Ok(d), Some(Ok(p))) => d.dev() != p.dev(),
        _ => false,
    }
}

#[cfg(not(unix))]
pub(super) fn is_mount_point(_dir: &Path) -> bool {
    false
}
