//! Diagnostics: every problem found in one run, reported as
//! `path:line:col: error: message`, the form editors' tools and terminals understand.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

/// A 1-based line and column in a source file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Pos {
    pub line: usize,
    pub column: usize,
}

impl Pos {
    pub fn new(line: usize, column: usize) -> Pos {
        Pos { line, column }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Path shown to the user, relative to the site root where possible.
    pub file: Option<String>,
    pub pos: Option<Pos>,
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(file) = &self.file {
            write!(f, "{file}:")?;
            if let Some(pos) = self.pos {
                write!(f, "{}:{}:", pos.line, pos.column)?;
            }
            f.write_str(" ")?;
        }
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{label}: {}", self.message)
    }
}

/// A growing list of diagnostics. Loading and validation push into it and carry on,
/// so that one run reports every problem.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn new() -> Diagnostics {
        Diagnostics::default()
    }

    pub fn error(&mut self, file: &str, pos: Option<Pos>, message: impl Into<String>) {
        self.push(Severity::Error, Some(file), pos, message.into());
    }

    pub fn warning(&mut self, file: &str, pos: Option<Pos>, message: impl Into<String>) {
        self.push(Severity::Warning, Some(file), pos, message.into());
    }

    /// A problem that belongs to no file (a bad `--output`, say).
    pub fn general_error(&mut self, message: impl Into<String>) {
        self.push(Severity::Error, None, None, message.into());
    }

    pub fn general_warning(&mut self, message: impl Into<String>) {
        self.push(Severity::Warning, None, None, message.into());
    }

    fn push(&mut self, severity: Severity, file: Option<&str>, pos: Option<Pos>, message: String) {
        self.items.push(Diagnostic {
            severity,
            file: file.map(str::to_owned),
            pos,
            message,
        });
    }

    pub fn extend(&mut self, other: Diagnostics) {
        self.items.extend(other.items);
    }

    /// The same problems, every error made a warning.
    pub fn into_warnings(mut self) -> Diagnostics {
        for d in &mut self.items {
            d.severity = Severity::Warning;
        }
        self
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Error)
    }

    pub fn error_count(&self) -> usize {
        self.count(Severity::Error)
    }

    pub fn warning_count(&self) -> usize {
        self.count(Severity::Warning)
    }

    fn count(&self, severity: Severity) -> usize {
        self.items.iter().filter(|d| d.severity == severity).count()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }

    /// Sorted by file, then position, so the report reads top to bottom.
    pub fn sorted(mut self) -> Vec<Diagnostic> {
        self.items.sort_by(|a, b| {
            (&a.file, a.pos, a.severity, &a.message).cmp(&(&b.file, b.pos, b.severity, &b.message))
        });
        self.items.dedup();
        self.items
    }
}

/// The closest candidate to a misspelt word, if it is close enough to be a likely typo.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let word = word.to_lowercase();
    let mut best: Option<(usize, &str)> = None;
    for candidate in candidates {
        let candidate_lower = candidate.to_lowercase();
        // "thurs" for "thu", "professionals" for "professional": a longer spelling.
        let distance = if candidate_lower.len() >= 3 && word.starts_with(&candidate_lower) {
            1
        } else {
            // Optimal string alignment: a swap of two neighbours ("nmae" for
            // "name") is one slip, not two.
            strsim::osa_distance(&word, &candidate_lower)
        };
        // Allow roughly one typo per three letters, and never a whole different word.
        let limit = (candidate.chars().count().max(word.chars().count()) / 3).max(1);
        if distance <= limit && best.is_none_or(|(d, _)| distance < d) {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, c)| c)
}

/// Formats a suggestion suffix: ` (did you mean "x"?)`, or nothing.
pub fn suggestion<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    match did_you_mean(word, candidates) {
        Some(c) => format!(" (did you mean \"{c}\"?)"),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_like_a_compiler() {
        let mut d = Diagnostics::new();
        d.error(
            "content/services/open-road.md",
            Some(Pos::new(7, 3)),
            "unknown need",
        );
        d.general_warning("no base_url");
        let lines: Vec<String> = d.sorted().iter().map(ToString::to_string).collect();
        assert_eq!(
            lines,
            [
                "warning: no base_url",
                "content/services/open-road.md:7:3: error: unknown need"
            ]
        );
    }

    #[test]
    fn suggests_close_words_only() {
        let needs = ["housing", "mental-health", "domestic-abuse"];
        assert_eq!(did_you_mean("housng", needs), Some("housing"));
        assert_eq!(did_you_mean("Housing", needs), Some("housing"));
        assert_eq!(did_you_mean("cooking", needs), None);
        assert_eq!(did_you_mean("thurs", ["mon", "thu"]), Some("thu"));
        assert_eq!(
            suggestion("nmae", ["name", "summary"]),
            " (did you mean \"name\"?)"
        );
    }

    #[test]
    fn edit_distance_counts_a_swap_as_one_edit() {
        assert_eq!(strsim::osa_distance("", "abc"), 3);
        assert_eq!(strsim::osa_distance("kitten", "sitting"), 3);
        assert_eq!(strsim::osa_distance("same", "same"), 0);
        assert_eq!(strsim::osa_distance("nmae", "name"), 1);
    }
}
