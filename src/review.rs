//! The review round (`signpost review`): every entry whose `last_reviewed` is
//! due now or within a window, oldest first, with whom to ask. A service's
//! review is due `review_after_months` (site.yaml) after its `last_reviewed`,
//! the same rule as `check`'s stale-review warning, so with a window of 0 days
//! the report lists exactly the entries `check` warns about. Pathways, case
//! studies and pages are included when they carry a `last_reviewed`.

use time::{Date, Duration};

use crate::model::Site;
use crate::validate::is_stale;

/// One entry to review.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// "service", "pathway", "case study" or "page".
    pub kind: &'static str,
    pub title: String,
    /// Relative to the site's folder, as diagnostics name it.
    pub file: String,
    pub last_reviewed: Date,
    /// `last_reviewed` plus `review_after_months`.
    pub due: Date,
    /// Services only.
    pub organisation: String,
    /// Who owns the entry (`reviewer`), where written.
    pub reviewer: String,
    /// How to reach the service: its email, else phone, else website.
    pub contact: String,
}

#[derive(Debug, Clone)]
pub struct Report {
    pub today: Date,
    /// Entries due before this day are listed.
    pub horizon: Date,
    /// Oldest review first.
    pub entries: Vec<Entry>,
    /// Pathways, case studies and pages with no `last_reviewed`: not judged.
    pub undated: usize,
}

/// The entries due for review by `today` plus `within_days`.
pub fn due(site: &Site, today: Date, within_days: u32) -> Report {
    let months = site.config.review_after_months;
    let horizon = today
        .checked_add(Duration::days(i64::from(within_days)))
        .unwrap_or(Date::MAX);
    let mut entries = Vec::new();
    let mut undated = 0;
    let mut consider = |kind, title: &str, file: &str, reviewed: Option<Date>| -> Option<Entry> {
        let Some(reviewed) = reviewed else {
            undated += 1;
            return None;
        };
        is_stale(reviewed, months, horizon).then(|| Entry {
            kind,
            title: title.to_owned(),
            file: file.to_owned(),
            last_reviewed: reviewed,
            due: months_after(reviewed, months),
            organisation: String::new(),
            reviewer: String::new(),
            contact: String::new(),
        })
    };
    for s in &site.services {
        if let Some(mut entry) = consider("service", &s.name, &s.file, Some(s.last_reviewed)) {
            entry.organisation = s.organisation.clone();
            entry.reviewer = s.reviewer.clone().unwrap_or_default();
            let c = &s.contact;
            entry.contact = c
                .email
                .as_ref()
                .or(c.phone.as_ref())
                .or(c.website.as_ref())
                .cloned()
                .unwrap_or_default();
            entries.push(entry);
        }
    }
    for p in &site.pathways {
        entries.extend(consider("pathway", &p.title, &p.file, p.last_reviewed));
    }
    for c in &site.case_studies {
        entries.extend(consider("case study", &c.title, &c.file, c.last_reviewed));
    }
    for p in &site.pages {
        entries.extend(consider("page", &p.title, &p.file, p.last_reviewed));
    }
    entries.sort_by(|a, b| (a.last_reviewed, &a.file).cmp(&(b.last_reviewed, &b.file)));
    Report {
        today,
        horizon,
        entries,
        undated,
    }
}

/// `date` plus `months`, the day clamped to the month's length (31 January
/// plus one month is 28 or 29 February).
fn months_after(date: Date, months: u32) -> Date {
    let total = date.year() * 12 + i32::from(u8::from(date.month())) - 1 + months as i32;
    let (year, month0) = (total.div_euclid(12), total.rem_euclid(12));
    let month = time::Month::try_from(month0 as u8 + 1).unwrap_or(time::Month::January);
    let day = date.day().min(time::util::days_in_month(month, year));
    Date::from_calendar_date(year, month, day).unwrap_or(date)
}

const HEADER: [&str; 8] = [
    "Due",
    "When",
    "Kind",
    "Entry",
    "Organisation",
    "Reviewer",
    "Contact",
    "File",
];

impl Entry {
    /// "3 days ago", "today", "in 12 days".
    fn when(&self, today: Date) -> String {
        let days = (self.due - today).whole_days();
        let plural = |n: i64| if n == 1 { "" } else { "s" };
        match days {
            0 => "today".to_owned(),
            d if d < 0 => format!("{} day{} ago", -d, plural(-d)),
            d => format!("in {d} day{}", plural(d)),
        }
    }

    fn cells(&self, today: Date) -> [String; 8] {
        [
            self.due.to_string(),
            self.when(today),
            self.kind.to_owned(),
            self.title.clone(),
            self.organisation.clone(),
            self.reviewer.clone(),
            self.contact.clone(),
            self.file.clone(),
        ]
    }
}

impl Report {
    /// A table in columns, for a terminal, ending in a line that says what
    /// the table holds.
    pub fn table(&self) -> String {
        let mut out = String::new();
        if !self.entries.is_empty() {
            let rows: Vec<[String; 8]> = std::iter::once(HEADER.map(str::to_owned))
                .chain(self.entries.iter().map(|e| e.cells(self.today)))
                .collect();
            let mut widths = [0; 8];
            for row in &rows {
                for (w, cell) in widths.iter_mut().zip(row) {
                    *w = (*w).max(cell.chars().count());
                }
            }
            for row in &rows {
                let line: Vec<String> = row
                    .iter()
                    .zip(widths)
                    .map(|(cell, w)| format!("{cell:<w$}"))
                    .collect();
                out.push_str(line.join("  ").trim_end());
                out.push('\n');
            }
            out.push('\n');
        }
        let n = self.entries.len();
        out.push_str(&match n {
            0 => format!("Nothing is due for review by {}.", self.horizon),
            1 => format!("1 entry is due for review by {}.", self.horizon),
            n => format!("{n} entries are due for review by {}.", self.horizon),
        });
        if self.undated > 0 {
            let (n, verb) = match self.undated {
                1 => ("1 pathway, case study or page".to_owned(), "has"),
                n => (format!("{n} pathways, case studies or pages"), "have"),
            };
            out.push_str(&format!(" {n} {verb} no `last_reviewed`, so not included."));
        }
        out.push('\n');
        out
    }

    /// The same rows as CSV (RFC 4180): a header row, every field quoted
    /// where it must be, CRLF line endings as the RFC has them.
    pub fn csv(&self) -> String {
        let header = HEADER.map(str::to_owned);
        let rows = std::iter::once(header).chain(self.entries.iter().map(|e| e.cells(self.today)));
        crate::spreadsheet::csv_text(rows)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> Date {
        crate::fields::parse_date(s).expect("a date")
    }

    #[test]
    fn due_dates_add_months_and_clamp_the_day() {
        assert_eq!(months_after(date("2025-11-24"), 12), date("2026-11-24"));
        assert_eq!(months_after(date("2026-01-31"), 1), date("2026-02-28"));
        assert_eq!(months_after(date("2026-08-15"), 6), date("2027-02-15"));
    }

    #[test]
    fn csv_fields_are_quoted_only_where_needed() {
        let csv_field = |f: &str| {
            crate::spreadsheet::csv_text([[f]])
                .trim_end_matches("\r\n")
                .to_owned()
        };
        assert_eq!(csv_field("Open Road"), "Open Road");
        assert_eq!(csv_field("Refuge, Essex"), "\"Refuge, Essex\"");
        assert_eq!(csv_field("Jo's \"home\""), "\"Jo's \"\"home\"\"\"");
        assert_eq!(csv_field("two\nlines"), "\"two\nlines\"");
    }
}
