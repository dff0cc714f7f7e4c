//! The content files as last read, which `serve` keeps between reloads.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::diagnostics::Diagnostics;

use super::*;

/// Content files as last read, kept by `serve` between reloads so that a
/// change re-reads, re-parses and re-renders the Markdown of only the files
/// whose size or modification time changed. On a national guide of 15,000
/// files that is most of the difference between a second and a tenth of one.
#[derive(Default)]
pub struct LoadCache {
    files: std::collections::HashMap<PathBuf, Cached>,
    /// The last listing of `content/`, and what finding it reported.
    listing: Option<(Vec<ContentFile>, Diagnostics)>,
}

#[derive(Clone)]
pub(super) struct Cached {
    stamp: (u64, std::time::SystemTime),
    loaded: Option<Loaded>,
    diags: Diagnostics,
    text: FileText,
}

impl LoadCache {
    /// Drops what is known of `path`, so that the next load reads it again
    /// even if its size and time look the same.
    pub fn forget(&mut self, path: &Path) {
        self.files.remove(path);
    }

    /// The content files: the last listing when `only_contents_changed` (no
    /// file was added, removed or renamed), else found again.
    pub fn discover(
        &mut self,
        content_dir: &Path,
        only_contents_changed: bool,
        diags: &mut Diagnostics,
    ) -> Vec<ContentFile> {
        if only_contents_changed && let Some((files, found)) = &self.listing {
            diags.extend(found.clone());
            return files.clone();
        }
        let mut found = Diagnostics::new();
        let files = discover(content_dir, &mut found);
        diags.extend(found.clone());
        self.listing = Some((files.clone(), found));
        files
    }
}

pub(super) fn stamp(path: &Path) -> Option<(u64, std::time::SystemTime)> {
    let meta = std::fs::symlink_metadata(path).ok()?;
    Some((meta.len(), meta.modified().ok()?))
}

/// `load_files`, reusing `cache` for files that have not changed. Markdown is
/// rendered here, per file, so that it too is done again only for changed files.
///
/// A file has changed when its size or modification time differ from the
/// cached ones; with `trusted` set, the caller knows which files changed (the
/// watcher said so) and no other file is even looked at.
pub fn load_files_cached(
    files: &[ContentFile],
    cache: &mut LoadCache,
    trusted: Option<&std::collections::HashSet<PathBuf>>,
    diags: &mut Diagnostics,
) -> Parts {
    let stamps: Vec<_> = files
        .par_iter()
        .map(|f| match (trusted, cache.files.get(&f.path)) {
            (Some(changed), Some(cached)) if !changed.contains(&f.path) => Some(cached.stamp),
            _ => stamp(&f.path),
        })
        .collect();
    let hit = |file: &ContentFile, stamp: &Option<(u64, std::time::SystemTime)>| {
        stamp.and_then(|st| cache.files.get(&file.path).filter(|c| c.stamp == st))
    };
    let results: Vec<(Option<Loaded>, Diagnostics, FileText, bool)> = files
        .par_iter()
        .zip(&stamps)
        .map(|(file, stamp)| {
            if let Some(cached) = hit(file, stamp) {
                let c = cached.clone();
                return (c.loaded, c.diags, c.text, true);
            }
            let mut d = Diagnostics::new();
            let (mut loaded, text) = load_file(file, &mut d);
            if let Some(loaded) = loaded.as_mut() {
                render_bodies(loaded);
            }
            (loaded, d, text, false)
        })
        .collect();
    // Update the cache in place: files read again replace their entries, and
    // files that are gone leave. (Rebuilding the map each time cost a national
    // guide's reload 15,000 path copies.)
    let mut kept = 0;
    for ((file, stamp), (loaded, d, text, was_hit)) in files.iter().zip(&stamps).zip(&results) {
        match stamp {
            Some(_) if *was_hit => kept += 1,
            Some(stamp) => {
                kept += 1;
                let entry = Cached {
                    stamp: *stamp,
                    loaded: loaded.clone(),
                    diags: d.clone(),
                    text: text.clone(),
                };
                cache.files.insert(file.path.clone(), entry);
            }
            None => {
                cache.files.remove(&file.path);
            }
        }
    }
    // Every listed file with a stamp has an entry, so any more are files no
    // longer listed.
    if cache.files.len() != kept {
        let listed: std::collections::HashSet<&std::path::Path> =
            files.iter().map(|f| f.path.as_path()).collect();
        cache
            .files
            .retain(|path, _| listed.contains(path.as_path()));
    }
    let results = results.into_iter().map(|(l, d, t, _)| (l, d, t)).collect();
    collect_parts(files, results, diags)
}
