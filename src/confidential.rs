//! Confidential addresses typed where they do not belong.
//!
//! A refuge's location marked `confidential: true` publishes only its name; its
//! address and postcode are taken out of the model as it is loaded. But the same
//! address typed again in a body, in notes or in another service would still be
//! published. Signpost knows the secret, so it looks for it in every content file
//! and refuses to build while it is there.

use aho_corasick::{AhoCorasick, MatchKind};
use rayon::prelude::*;

use crate::diagnostics::{Diagnostics, Pos};
use crate::load::ContentFile;
use crate::model::Service;

/// A confidential address or postcode, and where it may be written.
#[derive(Debug, Clone)]
struct Secret {
    /// The location's name, to say whose address it is.
    location: String,
    /// The file and line of the one field that may hold it.
    file: String,
    line: usize,
}

/// The confidential text of a site, ready to be searched for.
pub struct Secrets {
    finder: AhoCorasick,
    /// The longest word of each pattern: any text that holds a pattern holds
    /// its words as they are, so a file with none of them is passed over
    /// without folding it line by line.
    keys: AhoCorasick,
    /// The patterns in lower case, to tell whether a (lower-cased, folded)
    /// text holds any of them at all: case-sensitive, so the fast search.
    anywhere: AhoCorasick,
    /// The secret each pattern stands for.
    owners: Vec<Secret>,
    /// Every confidential field's file and line: a refuge that two services
    /// share is rightly written in both services' confidential locations.
    allowed: std::collections::HashSet<(String, usize)>,
    /// Changes whenever any pattern, owner or allowed place does: what a
    /// file was found to hold is kept between reloads only under the same one.
    fingerprint: u64,
}

/// What the check found in each file, which `serve` keeps between reloads so
/// that a save scans only the files read again (by their text's identity),
/// unless the confidential addresses themselves changed.
#[derive(Default)]
pub struct LeakCache {
    fingerprint: u64,
    found: std::collections::HashMap<std::path::PathBuf, (usize, Diagnostics)>,
}

impl Secrets {
    /// Takes every confidential location's withheld address and postcode out of
    /// `services`. `None` when the site has none.
    pub fn take_from(services: &mut [Service]) -> Option<Secrets> {
        let mut patterns = Vec::new();
        let mut owners = Vec::new();
        let mut allowed = std::collections::HashSet::new();
        for service in services {
            for location in &mut service.locations {
                for text in std::mem::take(&mut location.withheld) {
                    allowed.insert((service.file.clone(), text.pos.line));
                    for pattern in patterns_for(&text.value) {
                        patterns.push(pattern);
                        owners.push(Secret {
                            location: location.name.clone(),
                            file: service.file.clone(),
                            line: text.pos.line,
                        });
                    }
                }
            }
        }
        if patterns.is_empty() {
            return None;
        }
        let finder = AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::LeftmostLongest)
            .build(&patterns)
            .ok()?;
        // Lower case, matched against lower-cased text: case-sensitive
        // matching keeps aho-corasick's fast vectorised search.
        let keys: Vec<String> = patterns
            .iter()
            .filter_map(|p| p.split(' ').max_by_key(|w| w.len()))
            .map(str::to_ascii_lowercase)
            .collect();
        let keys = AhoCorasick::new(&keys).ok()?;
        let anywhere = AhoCorasick::new(patterns.iter().map(|p| p.to_ascii_lowercase())).ok()?;
        let fingerprint = {
            use std::hash::{Hash, Hasher};
            let mut h = std::collections::hash_map::DefaultHasher::new();
            patterns.hash(&mut h);
            for o in &owners {
                (&o.location, &o.file, o.line).hash(&mut h);
            }
            let mut places: Vec<_> = allowed.iter().collect();
            places.sort();
            places.hash(&mut h);
            h.finish()
        };
        Some(Secrets {
            fingerprint,
            finder,
            keys,
            anywhere,
            owners,
            allowed,
        })
    }

    /// Reports every place in `files` where a confidential address or postcode
    /// is written, other than its own field.
    pub fn find_leaks(
        &self,
        files: &[ContentFile],
        texts: &[crate::load::FileText],
        diags: &mut Diagnostics,
    ) {
        self.find_leaks_cached(files, texts, &mut LeakCache::default(), diags);
    }

    /// `find_leaks`, reusing what `cache` found in a file whose text is the
    /// very one scanned last time (kept from loading, so unchanged files
    /// share it), as long as the confidential addresses are the same.
    pub fn find_leaks_cached(
        &self,
        files: &[ContentFile],
        texts: &[crate::load::FileText],
        cache: &mut LeakCache,
        diags: &mut Diagnostics,
    ) {
        if cache.fingerprint != self.fingerprint {
            cache.found.clear();
            cache.fingerprint = self.fingerprint;
        }
        let identity =
            |text: &std::sync::Arc<str>| std::sync::Arc::as_ptr(text) as *const u8 as usize;
        let found: Vec<(usize, usize, Diagnostics)> = files
            .par_iter()
            .zip(texts)
            .enumerate()
            .filter_map(|(i, (file, text))| Some((i, file, text.as_ref()?)))
            .map(|(i, file, text)| match cache.found.get(&file.path) {
                Some((id, d)) if *id == identity(text) => (i, *id, d.clone()),
                _ => {
                    let mut d = Diagnostics::new();
                    self.scan(&file.display, text, &mut d);
                    (i, identity(text), d)
                }
            })
            .collect();
        cache.found.clear();
        for (i, id, d) in found {
            diags.extend(d.clone());
            cache.found.insert(files[i].path.clone(), (id, d));
        }
    }

    fn scan(&self, shown: &str, text: &str, diags: &mut Diagnostics) {
        let lower = text.to_ascii_lowercase();
        if !self.keys.is_match(&lower) {
            return;
        }
        // A key is one word ("street", "district") that many files hold: look
        // for a whole address in the whole text first, its white space
        // folded, and only where one is there go line by line for its place.
        if !self.anywhere.is_match(&fold_space(&lower)) {
            return;
        }
        for (index, line) in text.lines().enumerate() {
            let line_no = index + 1;
            if self.allowed.contains(&(shown.to_owned(), line_no)) {
                continue;
            }
            let (folded, columns) = fold(line);
            for found in self.finder.find_iter(&folded) {
                let secret = &self.owners[found.pattern().as_usize()];
                let column = columns.get(found.start()).copied().unwrap_or(1);
                diags.error(
                    shown,
                    Some(Pos::new(line_no, column)),
                    format!(
                        "this is the confidential address of \"{}\" ({}:{}); it must not be published anywhere: remove it",
                        secret.location, secret.file, secret.line
                    ),
                );
            }
        }
    }
}

/// The forms of a confidential text to search for: the whole of it, each part
/// between commas that names a street (it has a digit: "99 Secret Lane"), and a
/// postcode with and without its space.
fn patterns_for(text: &str) -> Vec<String> {
    let whole = fold(text).0;
    let mut patterns = vec![whole.clone()];
    for part in whole.split(',').map(str::trim) {
        if part != whole && part.len() >= 5 && part.chars().any(|c| c.is_ascii_digit()) {
            patterns.push(part.to_owned());
        }
    }
    let squeezed: String = whole.chars().filter(|c| *c != ' ').collect();
    if squeezed != whole && squeezed.len() >= 5 && !whole.contains(',') {
        patterns.push(squeezed);
    }
    patterns.retain(|p| !p.is_empty());
    patterns.sort();
    patterns.dedup();
    patterns
}

/// Folds a line for matching: runs of whitespace become one space. Returns the
/// folded text and, for each of its bytes, the 1-based column in `line`.
/// `text` with each run of white space (line breaks too) as one space, as
/// `fold` folds a line, without the columns.
fn fold_space(text: &str) -> String {
    let mut folded = String::with_capacity(text.len());
    let mut last_space = false;
    for c in text.chars() {
        let c = if c.is_whitespace() { ' ' } else { c };
        if c == ' ' && last_space {
            continue;
        }
        last_space = c == ' ';
        folded.push(c);
    }
    folded
}

fn fold(line: &str) -> (String, Vec<usize>) {
    let mut folded = String::with_capacity(line.len());
    let mut columns = Vec::with_capacity(line.len());
    let mut last_space = false;
    for (column, c) in line.chars().enumerate() {
        let c = if c.is_whitespace() { ' ' } else { c };
        if c == ' ' && last_space {
            continue;
        }
        last_space = c == ' ';
        folded.push(c);
        columns.extend(std::iter::repeat_n(column + 1, c.len_utf8()));
    }
    (folded, columns)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_street_and_a_postcode_are_found_in_any_spacing_and_case() {
        assert_eq!(
            patterns_for("99 Secret  Lane, Colchester"),
            ["99 Secret Lane", "99 Secret Lane, Colchester"]
        );
        assert_eq!(patterns_for("ZZ99 9ZZ"), ["ZZ99 9ZZ", "ZZ999ZZ"]);
        let (folded, columns) = fold("a  \t b");
        assert_eq!(folded, "a b");
        assert_eq!(columns, [1, 2, 6]);
    }
}
