//! The spreadsheet form (`spreadsheet`) read back, as spreadsheets really write
//! it: a byte-order mark, CRLF, quoted cells with commas and line breaks, blank
//! rows, trailing empty columns, `TRUE`/`Yes`/`y`, UK dates. Places are
//! `file.csv:ROW:COL`, ROW counted as the spreadsheet shows it (the header is
//! 1; a blank line is a row, a cell with line breaks in it is one).

use super::{Areas, Level, Location, Message, Placed, Record};
use crate::spreadsheet::{self, COLUMNS};

/// What a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    Field(&'static str),
    Location(usize, &'static str),
    /// Not a Signpost column: reported, its cells not imported.
    Unknown,
    /// An empty header over empty cells (a spreadsheet's trailing columns).
    Blank,
}

pub(super) fn read(shown: &str, bytes: &[u8]) -> Result<(Vec<Record>, Vec<Message>), Vec<Message>> {
    let error = |text: String| {
        vec![Message {
            place: shown.to_owned(),
            level: Level::Error,
            text,
        }]
    };
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Err(e) = std::str::from_utf8(bytes) {
        let line = 1 + bytes[..e.valid_up_to()]
            .iter()
            .filter(|b| **b == b'\n')
            .count();
        return Err(error(format!(
            "line {line} is not UTF-8 text; save the spreadsheet as \"CSV UTF-8\""
        )));
    }
    let mut reader = ::csv::ReaderBuilder::new()
        .delimiter(delimiter(bytes))
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    // Each row with its number as a spreadsheet shows it: the line it starts
    // on, less the line breaks inside the cells of the rows above it (a blank
    // line is a row; a cell over three lines is one).
    let mut rows: Vec<(usize, Vec<String>)> = Vec::new();
    let mut breaks_in_cells = 0;
    let (mut counted, mut lines_before) = (0, 0);
    for row in reader.records() {
        match row {
            Ok(row) => {
                // csv's own line count lags behind a CRLF; count from the
                // record's first byte instead, past the line ends before it.
                let mut start = row
                    .position()
                    .map_or(0, |p| p.byte() as usize)
                    .min(bytes.len());
                while start < bytes.len() && matches!(bytes[start], b'\r' | b'\n') {
                    start += 1;
                }
                lines_before += bytes[counted..start]
                    .iter()
                    .filter(|b| **b == b'\n')
                    .count();
                counted = start;
                let number = (1 + lines_before).saturating_sub(breaks_in_cells).max(1);
                breaks_in_cells += row.iter().map(|c| c.matches('\n').count()).sum::<usize>();
                rows.push((
                    number,
                    row.iter().map(|c| c.replace("\r\n", "\n")).collect(),
                ));
            }
            Err(e) => {
                let line = e.position().map(|p| p.line()).unwrap_or(0);
                return Err(error(format!("cannot read the CSV at line {line}: {e}")));
            }
        }
    }
    let mut rows = rows.into_iter();
    let Some((_, header)) = rows.next() else {
        return Err(error(
            "the file is empty; the first row should name the columns, such as name, organisation, summary".into(),
        ));
    };
    let rows: Vec<(usize, Vec<String>)> = rows.collect();
    let mut messages = Vec::new();
    let mut columns = Vec::with_capacity(header.len());
    for (index, title) in header.iter().enumerate() {
        // `Last reviewed` and `last-reviewed` are `last_reviewed`.
        let title = title.trim().to_ascii_lowercase().replace([' ', '-'], "_");
        let place = format!("{shown}:1:{}", index + 1);
        let column = if title.is_empty() {
            Column::Blank
        } else if let Some(field) = COLUMNS.iter().find(|c| **c == title) {
            Column::Field(field)
        } else if let Some((n, part)) = spreadsheet::parse_location_column(&title) {
            Column::Location(n, part)
        } else {
            Column::Unknown
        };
        if column != Column::Blank && columns.contains(&column) && column != Column::Unknown {
            return Err(vec![Message {
                place,
                level: Level::Error,
                text: format!("the column `{title}` comes twice; keep one"),
            }]);
        }
        if column == Column::Unknown {
            let hint = crate::diagnostics::suggestion(&title, COLUMNS.iter().copied());
            messages.push(Message {
                place,
                level: Level::Warning,
                text: format!(
                    "the column `{title}` is not a Signpost field{hint}; its cells are not imported (docs/import.md lists the columns)"
                ),
            });
        }
        columns.push(column);
    }
    let mut records = Vec::new();
    for (row, cells) in rows {
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        records.push(read_row(shown, row, &columns, &cells));
    }
    if !columns.contains(&Column::Field("name")) && !columns.contains(&Column::Field("slug")) {
        return Err(error(
            "no `name` column: the first row should name the columns, such as name, organisation, summary".into(),
        ));
    }
    Ok((records, messages))
}

/// The character between cells: a comma, unless the header row has none and
/// does have semicolons (a spreadsheet set to a European locale) or tabs
/// ("Unicode text").
fn delimiter(bytes: &[u8]) -> u8 {
    let header = bytes.split(|b| *b == b'\n').next().unwrap_or(bytes);
    let count = |c: u8| header.iter().filter(|b| **b == c).count();
    if count(b',') > 0 {
        b','
    } else if count(b';') > 0 {
        b';'
    } else if count(b'\t') > 0 {
        b'\t'
    } else {
        b','
    }
}

fn read_row(shown: &str, row: usize, columns: &[Column], cells: &[String]) -> Record {
    let mut record = Record {
        origin: format!("{shown}:{row}"),
        ..Record::default()
    };
    for (index, column) in columns.iter().enumerate() {
        let field = match column {
            Column::Field("phone" | "email" | "website" | "text") => "contact",
            Column::Field(field) => field,
            _ => continue,
        };
        if !record.places.iter().any(|(f, _)| *f == field) {
            record
                .places
                .push((field, format!("{shown}:{row}:{}", index + 1)));
        }
    }
    let mut locations: Vec<(Location, String)> = Vec::new();
    for (index, cell) in cells.iter().enumerate() {
        let place = format!("{shown}:{row}:{}", index + 1);
        let column = columns.get(index).copied().unwrap_or(Column::Blank);
        let trimmed = cell.trim();
        match column {
            Column::Blank if trimmed.is_empty() => {}
            Column::Blank | Column::Unknown => {
                if !trimmed.is_empty() {
                    record.unmapped.push(place);
                }
            }
            Column::Location(n, part) => {
                if locations.len() <= n {
                    locations.resize(n + 1, (Location::default(), String::new()));
                }
                let (location, at) = &mut locations[n];
                if at.is_empty() && !trimmed.is_empty() {
                    *at = place.clone();
                }
                let value = (!trimmed.is_empty()).then(|| trimmed.to_owned());
                match part {
                    "name" => location.name = trimmed.to_owned(),
                    "address" => location.address = value,
                    "postcode" => location.postcode = value,
                    _ => match (trimmed.is_empty(), spreadsheet::parse_bool(trimmed)) {
                        (true, _) => {}
                        (false, Some(flag)) => location.confidential = flag,
                        (false, None) => {
                            // Unknown means the address must not be published.
                            location.confidential = true;
                            record.fill(
                                "locations",
                                &place,
                                format!("confidential should be yes or no, found \"{trimmed}\"; treated as yes"),
                            );
                        }
                    },
                }
            }
            Column::Field(field) => read_cell(&mut record, field, cell, &place),
        }
    }
    // A column present but short rows (trailing empty cells left off) still speak of it.
    for (index, column) in columns.iter().enumerate().skip(cells.len()) {
        if let Column::Field(field) = column {
            read_cell(
                &mut record,
                field,
                "",
                &format!("{shown}:{row}:{}", index + 1),
            );
        }
    }
    if columns.iter().any(|c| matches!(c, Column::Location(..))) {
        let mut kept = Vec::new();
        for (location, place) in locations {
            let empty = location.name.is_empty()
                && location.address.is_none()
                && location.postcode.is_none();
            if empty {
                continue;
            }
            if location.name.is_empty() {
                record.fill(
                    "locations",
                    &place,
                    "a location needs a name (for a refuge, a name that gives nothing away)",
                );
            }
            kept.push(location);
        }
        record.locations = Some(kept);
    }
    record
}

fn read_cell(record: &mut Record, field: &str, cell: &str, place: &str) {
    let trimmed = cell.trim();
    let text = || trimmed.to_owned();
    let list = || {
        spreadsheet::split_list(trimmed)
            .into_iter()
            .map(|value| Placed {
                value,
                place: place.to_owned(),
            })
            .collect::<Vec<_>>()
    };
    match field {
        "slug" => {
            record.slug = Some(Placed {
                value: text(),
                place: place.to_owned(),
            })
        }
        "name" => record.name = Some(text()),
        "organisation" => record.organisation = Some(text()),
        "summary" => record.summary = Some(text()),
        "areas" => {
            record.areas = Some(if trimmed.eq_ignore_ascii_case("all") {
                Areas::All
            } else {
                Areas::List(list())
            })
        }
        "needs" => record.needs = Some(list()),
        "referral" => {
            let mut routes = Vec::new();
            for route in list() {
                match route.value.to_ascii_lowercase().as_str() {
                    r @ ("self" | "professional") => routes.push(Placed {
                        value: r.to_owned(),
                        place: route.place,
                    }),
                    _ => record.fill(
                        "referral",
                        place,
                        format!(
                            "\"{}\" is not a referral route: use self and/or professional",
                            route.value
                        ),
                    ),
                }
            }
            record.referral = Some(routes);
        }
        "referral_notes" => record.referral_notes = Some(text()),
        "women_only" | "draft" => {
            let value = if trimmed.is_empty() {
                Some(false)
            } else {
                spreadsheet::parse_bool(trimmed)
            };
            match value {
                Some(flag) if field == "draft" => record.draft = Some(flag),
                Some(flag) => record.women_only = Some(flag),
                None => record.fill(
                    field,
                    place,
                    format!("should be yes or no (TRUE, FALSE, y, n), found \"{trimmed}\""),
                ),
            }
        }
        "eligibility" => record.eligibility = Some(text()),
        "phone" => record.contact.phone = Some(text()),
        "email" => record.contact.email = Some(text()),
        "website" => record.contact.website = Some(text()),
        "text" => record.contact.text = Some(text()),
        "contact_notes" => record.contact.notes = Some(text()),
        "hours" => match spreadsheet::parse_hours(trimmed) {
            Ok(hours) => record.hours = Some(hours),
            Err(message) => record.fill("hours", place, message),
        },
        "hours_notes" => record.hours_notes = Some(text()),
        "languages" => {
            record.languages = Some(spreadsheet::split_list(trimmed));
        }
        "cost" => record.cost = Some(text()),
        "last_reviewed" => {
            if trimmed.is_empty() {
                return;
            }
            match spreadsheet::parse_date(trimmed) {
                Some(date) => record.last_reviewed = Some(date),
                None => record.fill(
                    "last_reviewed",
                    place,
                    format!(
                        "\"{trimmed}\" is not a date: write 2026-12-01 or 01/12/2026 (day first)"
                    ),
                ),
            }
        }
        "reviewer" => record.reviewer = Some(text()),
        // The body keeps its own spacing: Markdown may depend on it.
        "description" => record.body = Some(cell.to_owned()),
        _ => unreachable!("every column is read: {field}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_column_twice_and_text_that_is_not_utf8_are_refused() {
        let twice = read("t.csv", b"name,summary,Name\nA,B,C\n").unwrap_err();
        assert_eq!(twice[0].place, "t.csv:1:3");
        let latin1 = read("l.csv", b"name\nCaf\xe9\n").unwrap_err();
        assert!(
            latin1[0].text.starts_with("line 2 is not UTF-8"),
            "{latin1:?}"
        );
        assert!(read("e.csv", b"").is_err());
        assert!(read("n.csv", b"summary\nx\n").is_err(), "no name column");
    }

    #[test]
    fn rows_are_numbered_as_a_spreadsheet_shows_them() {
        let text = b"name,description\r\nA,\"one\r\ntwo\r\nthree\"\r\n\r\nB,x\r\n,\r\nC,y\r\n";
        let (records, _) = read("r.csv", text).unwrap();
        let origins: Vec<&str> = records.iter().map(|r| r.origin.as_str()).collect();
        // A on row 2 (over three lines), a blank line as row 3, B on 4,
        // a row of empty cells as 5, C on 6.
        assert_eq!(origins, ["r.csv:2", "r.csv:4", "r.csv:6"]);
        assert_eq!(records[0].body.as_deref(), Some("one\ntwo\nthree"));
    }

    #[test]
    fn semicolons_or_tabs_between_cells_and_friendly_headers_are_read() {
        let (records, messages) = read(
            "s.csv",
            b"Name;Last reviewed;areas\nA;01/12/2026;\"essex; sutton\"\n",
        )
        .unwrap();
        assert!(messages.is_empty(), "{messages:?}");
        assert!(records[0].unmapped.is_empty(), "{:?}", records[0].unmapped);
        let Some(Areas::List(areas)) = &records[0].areas else {
            panic!("{:?}", records[0].areas)
        };
        assert_eq!(areas.len(), 2);
        assert_eq!(records[0].name.as_deref(), Some("A"));
        assert_eq!(
            records[0].last_reviewed.map(|d| d.to_string()).as_deref(),
            Some("2026-12-01")
        );
        let (records, _) = read("t.csv", b"name\tphone\nB\t0800 1\n").unwrap();
        assert_eq!(records[0].contact.phone.as_deref(), Some("0800 1"));
    }

    #[test]
    fn short_rows_speak_of_every_column_and_trailing_blank_columns_are_nothing() {
        let (records, messages) = read("s.csv", b"name,phone,,\r\nA\r\n").unwrap();
        assert!(messages.is_empty(), "{messages:?}");
        assert_eq!(records[0].contact.phone.as_deref(), Some(""));
        assert!(records[0].unmapped.is_empty());
        let (records, _) = read("s.csv", b"name,,\nA,,stray\n").unwrap();
        assert_eq!(records[0].unmapped, ["s.csv:2:3"]);
    }
}
