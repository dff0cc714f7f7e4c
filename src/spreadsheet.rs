//! The spreadsheet form of services: one row per service, a column per
//! front-matter field, the nested ones (contact, hours, locations) made flat.
//! `export --csv` writes it and `import` reads it, both from this one table,
//! so the two cannot drift apart. `docs/import.md` describes it for editors.

use time::Date;

use crate::model::{Coverage, Hours, Service, Site, Weekday};

/// Rows as CSV text (RFC 4180: a field quoted, its quotes doubled, only where
/// it holds a comma, a quote or a line break; CRLF line ends), through the
/// `csv` crate this module reads and writes spreadsheets with. For the review
/// report and the Open Referral tabular form.
pub fn csv_text<R, F>(rows: impl IntoIterator<Item = R>) -> String
where
    R: IntoIterator<Item = F>,
    F: AsRef<str>,
{
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .flexible(true)
        .from_writer(Vec::new());
    // Into memory, with rows of any length allowed, writing cannot fail.
    for row in rows {
        for field in row {
            writer
                .write_field(field.as_ref())
                .expect("a CSV field written to memory");
        }
        writer
            .write_record(None::<&[u8]>)
            .expect("a CSV row written to memory");
    }
    let bytes = writer.into_inner().expect("a CSV buffer in memory");
    String::from_utf8(bytes).expect("CSV made from text is text")
}

/// Lists in one cell (areas, needs, referral, languages, hours) are separated by this.
pub const LIST_SEPARATOR: char = ';';

/// The columns other than the locations, in the order `export --csv` writes them.
pub const COLUMNS: &[&str] = &[
    "slug",
    "name",
    "organisation",
    "summary",
    "areas",
    "needs",
    "referral",
    "referral_notes",
    "women_only",
    "eligibility",
    "phone",
    "email",
    "website",
    "text",
    "contact_notes",
    "hours",
    "hours_notes",
    "languages",
    "cost",
    "last_reviewed",
    "reviewer",
    "draft",
    "description",
];

/// The parts of one location; its columns are `location_name`, ... for the
/// first, `location_2_name`, ... for the second, and so on.
pub const LOCATION_PARTS: &[&str] = &["name", "address", "postcode", "confidential"];

/// The column of part `part` of location `index` (counted from 0).
pub fn location_column(index: usize, part: &str) -> String {
    if index == 0 {
        format!("location_{part}")
    } else {
        format!("location_{}_{part}", index + 1)
    }
}

/// The inverse of [`location_column`]: which location and which part a column is.
pub fn parse_location_column(column: &str) -> Option<(usize, &'static str)> {
    let rest = column.strip_prefix("location_")?;
    let (index, part) = match rest.split_once('_') {
        Some((n, part)) if n.bytes().all(|b| b.is_ascii_digit()) => {
            let n: usize = n.parse().ok()?;
            // `location_1_name` would be a second name for the first location.
            if !(2..=99).contains(&n) {
                return None;
            }
            (n - 1, part)
        }
        _ => (0, rest),
    };
    LOCATION_PARTS
        .iter()
        .find(|p| **p == part)
        .map(|p| (index, *p))
}

/// The header a site's services need: every column, with as many location
/// groups as the service with the most locations has.
pub fn header(most_locations: usize) -> Vec<String> {
    let mut header: Vec<String> = COLUMNS.iter().map(|c| (*c).to_owned()).collect();
    for index in 0..most_locations {
        for part in LOCATION_PARTS {
            header.push(location_column(index, part));
        }
    }
    header
}

/// Why a service cannot go into a spreadsheet cell as it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CellProblem {
    pub file: String,
    pub message: String,
}

/// Every service of `site` (drafts included) as CSV, RFC 4180 with CRLF.
/// A confidential location goes out with its name only: the model never holds
/// its address, so no spreadsheet made here can pass a refuge's address on.
/// A list item holding the separator would come back as two items: that is
/// refused, with the file, rather than written wrong.
pub fn export(site: &Site) -> Result<Vec<u8>, Vec<CellProblem>> {
    let most_locations = site
        .services
        .iter()
        .map(|s| s.locations.len())
        .max()
        .unwrap_or(0);
    let mut problems = Vec::new();
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    let mut rows = vec![header(most_locations)];
    let mut services: Vec<&Service> = site.services.iter().collect();
    services.sort_by(|a, b| a.slug.cmp(&b.slug));
    for service in services {
        rows.push(row(service, most_locations, &mut problems));
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    for row in rows {
        // Writing to a Vec fails only if memory does.
        if let Err(e) = writer.write_record(&row) {
            problems.push(CellProblem {
                file: String::new(),
                message: e.to_string(),
            });
        }
    }
    writer.into_inner().map_err(|e| {
        vec![CellProblem {
            file: String::new(),
            message: e.to_string(),
        }]
    })
}

fn row(service: &Service, most_locations: usize, problems: &mut Vec<CellProblem>) -> Vec<String> {
    let mut list = |field: &str, items: &mut dyn Iterator<Item = &str>| -> String {
        let items: Vec<&str> = items.collect();
        if let Some(bad) = items.iter().find(|i| i.contains(LIST_SEPARATOR)) {
            problems.push(CellProblem {
                file: service.file.clone(),
                message: format!(
                    "`{field}` holds \"{bad}\", with a `;`, which a spreadsheet cell uses between items"
                ),
            });
        }
        join_list(items)
    };
    let areas = match &service.coverage {
        Coverage::National => "all".to_owned(),
        Coverage::Areas(list_of) => list("areas", &mut list_of.iter().map(|a| a.value.as_str())),
    };
    let needs = list("needs", &mut service.needs.iter().map(|n| n.value.as_str()));
    let referral = join_list(
        [
            service.self_referral.then_some("self"),
            service.professional_referral.then_some("professional"),
        ]
        .into_iter()
        .flatten(),
    );
    let languages = list(
        "languages",
        &mut service.languages.iter().map(String::as_str),
    );
    let text = |t: &Option<String>| t.clone().unwrap_or_default();
    let mut cells = Vec::with_capacity(COLUMNS.len() + most_locations * LOCATION_PARTS.len());
    for column in COLUMNS {
        cells.push(match *column {
            "slug" => service.slug.clone(),
            "name" => service.name.clone(),
            "organisation" => service.organisation.clone(),
            "summary" => service.summary.clone(),
            "areas" => areas.clone(),
            "needs" => needs.clone(),
            "referral" => referral.clone(),
            "referral_notes" => text(&service.referral_notes),
            "women_only" => yes_no(service.women_only),
            "eligibility" => text(&service.eligibility),
            "phone" => text(&service.contact.phone),
            "email" => text(&service.contact.email),
            "website" => text(&service.contact.website),
            "text" => text(&service.contact.text),
            "contact_notes" => text(&service.contact.notes),
            "hours" => format_hours(&service.hours),
            "hours_notes" => text(&service.hours_notes),
            "languages" => languages.clone(),
            "cost" => service.cost.clone(),
            "last_reviewed" => service.last_reviewed.to_string(),
            "reviewer" => text(&service.reviewer),
            "draft" => yes_no(service.draft),
            "description" => service.body.source.to_string(),
            other => unreachable!("a column without a value: {other}"),
        });
    }
    for index in 0..most_locations {
        let location = service.locations.get(index);
        for part in LOCATION_PARTS {
            cells.push(match (location, *part) {
                (None, _) => String::new(),
                (Some(l), "name") => l.name.clone(),
                (Some(l), "address") => text(&l.address),
                (Some(l), "postcode") => text(&l.postcode),
                (Some(l), _) => yes_no(l.confidential),
            });
        }
    }
    cells
}

fn join_list<'a>(items: impl IntoIterator<Item = &'a str>) -> String {
    items.into_iter().collect::<Vec<_>>().join("; ")
}

fn yes_no(value: bool) -> String {
    if value { "yes" } else { "no" }.to_owned()
}

/// The items of a list cell, trimmed, without empty ones.
pub fn split_list(cell: &str) -> Vec<String> {
    cell.split(LIST_SEPARATOR)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// A yes/no cell as spreadsheets and people write it: `TRUE`, `Yes`, `y`, `1`,
/// `FALSE`, `No`, `n`, `0`, in any case. `None` for anything else.
pub fn parse_bool(cell: &str) -> Option<bool> {
    match cell.trim().to_ascii_lowercase().as_str() {
        "true" | "yes" | "y" | "1" => Some(true),
        "false" | "no" | "n" | "0" => Some(false),
        _ => None,
    }
}

/// A date as ISO (`2026-12-01`) or as a UK spreadsheet writes it, day first
/// (`01/12/2026`, `1/12/2026`, also with `-` or `.` between).
pub fn parse_date(cell: &str) -> Option<Date> {
    let cell = cell.trim();
    if let Some(date) = crate::fields::parse_date(cell) {
        return Some(date);
    }
    let mut parts = cell.split(['/', '.', '-']);
    let (d, m, y) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || y.len() != 4 || d.len() > 2 || m.len() > 2 {
        return None;
    }
    let month = time::Month::try_from(m.parse::<u8>().ok()?).ok()?;
    Date::from_calendar_date(y.parse().ok()?, month, d.parse().ok()?).ok()
}

/// Opening hours in one cell: entries separated by `;`, each the days (codes
/// or ranges, separated by commas: `mon-fri`, `mon,wed`, `sat`) then the
/// times: `mon-fri 09:00-17:00; sat 10:00-13:00`.
pub fn format_hours(hours: &[Hours]) -> String {
    let entries: Vec<String> = hours
        .iter()
        .map(|h| format!("{} {}-{}", format_days(&h.days), h.opens, h.closes))
        .collect();
    entries.join("; ")
}

/// Days as the shortest list of runs: three or more days in a row as a range.
fn format_days(days: &[Weekday]) -> String {
    let code = |d: Weekday| Weekday::ALL[d as usize].0;
    let mut parts = Vec::new();
    let mut i = 0;
    while i < days.len() {
        let mut j = i;
        while j + 1 < days.len() && days[j + 1] as usize == days[j] as usize + 1 {
            j += 1;
        }
        if j - i >= 2 {
            parts.push(format!("{}-{}", code(days[i]), code(days[j])));
        } else {
            parts.extend(days[i..=j].iter().map(|d| code(*d).to_owned()));
        }
        i = j + 1;
    }
    parts.join(",")
}

/// The inverse of [`format_hours`], forgiving of what people type: day names
/// (`Monday`), spaces after commas, `9:00` and `09:00:00`. The message says
/// what is wrong with the first entry that cannot be read.
pub fn parse_hours(cell: &str) -> Result<Vec<Hours>, String> {
    let mut hours = Vec::new();
    for entry in cell.split(LIST_SEPARATOR).map(str::trim) {
        if entry.is_empty() {
            continue;
        }
        let Some((days, times)) = entry.rsplit_once(char::is_whitespace) else {
            return Err(format!(
                "\"{entry}\" should be days then times, such as mon-fri 09:00-17:00"
            ));
        };
        let days = parse_days(days.trim()).ok_or_else(|| {
            format!("\"{entry}\": days are mon tue wed thu fri sat sun, such as mon-fri or mon,wed")
        })?;
        let (opens, closes) = times
            .split_once('-')
            .and_then(|(o, c)| Some((normal_time(o)?, normal_time(c)?)))
            .ok_or_else(|| {
                format!(
                    "\"{entry}\": times are HH:MM-HH:MM on the 24-hour clock, such as 09:00-17:00"
                )
            })?;
        hours.push(Hours {
            days,
            opens,
            closes,
        });
    }
    Ok(hours)
}

/// A day from its code or its English name, in any case.
pub fn weekday(word: &str) -> Option<Weekday> {
    let word = word.trim().to_ascii_lowercase();
    let found = Weekday::ALL
        .iter()
        .find(|(code, _, name)| word == *code || word == name.to_ascii_lowercase())?;
    Some(found.1)
}

fn parse_days(text: &str) -> Option<Vec<Weekday>> {
    let mut days = Vec::new();
    for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        match part.split_once('-') {
            Some((from, to)) => {
                let (from, to) = (weekday(from)? as usize, weekday(to)? as usize);
                if from > to {
                    return None;
                }
                days.extend((from..=to).map(|d| Weekday::ALL[d].1));
            }
            None => days.push(weekday(part)?),
        }
    }
    days.sort();
    days.dedup();
    (!days.is_empty()).then_some(days)
}

/// `9:00`, `09:00` or `09:00:00` as `09:00`; `None` if it is not a time of day.
pub fn normal_time(text: &str) -> Option<String> {
    let text = text.trim();
    let text = match text.len() {
        8 if text.ends_with(":00") => &text[..5],
        _ => text,
    };
    let padded = if text.len() == 4 {
        format!("0{text}")
    } else {
        text.to_owned()
    };
    crate::fields::parse_time(&padded).map(|_| padded)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn location_columns_go_both_ways() {
        for index in [0, 1, 4] {
            for part in LOCATION_PARTS {
                let column = location_column(index, part);
                assert_eq!(parse_location_column(&column), Some((index, *part)));
            }
        }
        assert_eq!(location_column(1, "name"), "location_2_name");
        assert_eq!(parse_location_column("location_1_name"), None);
        assert_eq!(parse_location_column("location_colour"), None);
        assert_eq!(parse_location_column("name"), None);
    }

    #[test]
    fn booleans_as_spreadsheets_write_them() {
        for yes in ["TRUE", "true", "Yes", "y", "Y", "1", " yes "] {
            assert_eq!(parse_bool(yes), Some(true), "{yes}");
        }
        for no in ["FALSE", "No", "n", "0"] {
            assert_eq!(parse_bool(no), Some(false), "{no}");
        }
        assert_eq!(parse_bool("maybe"), None);
        assert_eq!(parse_bool(""), None);
    }

    #[test]
    fn dates_iso_and_uk_day_first() {
        let date = |s| parse_date(s).map(|d| d.to_string());
        assert_eq!(date("2026-12-01").as_deref(), Some("2026-12-01"));
        assert_eq!(date("01/12/2026").as_deref(), Some("2026-12-01"));
        assert_eq!(date("1/2/2026").as_deref(), Some("2026-02-01"));
        assert_eq!(date("31/02/2026"), None);
        assert_eq!(date("12/31/2026"), None, "month first is not read as UK");
        assert_eq!(date("01/12/26"), None, "a two-digit year is ambiguous");
    }

    #[test]
    fn hours_go_both_ways() {
        let hours = parse_hours("Monday-Friday 9:00-17:00; sat, sun 10:00:00-13:00").unwrap();
        assert_eq!(hours.len(), 2);
        assert_eq!(hours[0].days.len(), 5);
        assert_eq!(hours[0].opens, "09:00");
        assert_eq!(hours[1].closes, "13:00");
        assert_eq!(
            format_hours(&hours),
            "mon-fri 09:00-17:00; sat,sun 10:00-13:00"
        );
        let odd = parse_hours("mon,wed,thu,fri 08:00-20:00").unwrap();
        assert_eq!(format_hours(&odd), "mon,wed-fri 08:00-20:00");
        assert!(parse_hours("weekdays 9-5").is_err());
        assert!(parse_hours("fri-mon 09:00-17:00").is_err());
        assert!(parse_hours("mon 25:00-26:00").is_err());
    }

    #[test]
    fn lists_are_trimmed_and_skip_empty_items() {
        assert_eq!(
            split_list(" housing ;mental-health;; "),
            ["housing", "mental-health"]
        );
        assert!(split_list("").is_empty());
    }
}
