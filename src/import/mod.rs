//! `signpost import`: services from an Open Referral UK 3.0 feed (`oruk`) or a
//! spreadsheet (`csv`) become `content/services/<slug>.md` files (`write`), in
//! the layout `signpost new` writes. What cannot be matched to the site (a need,
//! an area) or is missing makes the service a draft with a note saying what to
//! fill in; what has no place in Signpost is listed; nothing is dropped silently.

mod csv;
mod oruk;
mod write;

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use time::Date;

use crate::diagnostics::Diagnostics;
use crate::model::{Area, Hours, Need};
use crate::slug;

/// A service as read from the input, before it is matched to the site. A
/// field is `Some` when the input has it (possibly empty, to clear it on
/// `--update`), `None` when the input does not speak of it.
#[derive(Debug, Clone, Default)]
pub struct Record {
    /// Where the record is: `feed.json: /contents/3`, `services.csv:4`.
    pub origin: String,
    /// The slug the input asks for, with its place (the CSV's `slug` column).
    pub slug: Option<Placed>,
    pub name: Option<String>,
    pub organisation: Option<String>,
    pub summary: Option<String>,
    pub areas: Option<Areas>,
    pub needs: Option<Vec<Placed>>,
    pub referral: Option<Vec<Placed>>,
    pub referral_notes: Option<String>,
    pub women_only: Option<bool>,
    pub eligibility: Option<String>,
    pub contact: Contact,
    pub locations: Option<Vec<Location>>,
    pub hours: Option<Vec<Hours>>,
    pub hours_notes: Option<String>,
    pub languages: Option<Vec<String>>,
    pub cost: Option<String>,
    pub last_reviewed: Option<Date>,
    pub reviewer: Option<String>,
    pub draft: Option<bool>,
    /// The Markdown body.
    pub body: Option<String>,
    /// What the editor must fill in before the service can be published.
    pub to_fill: Vec<Note>,
    /// Places of values in the input that Signpost has no field for.
    pub unmapped: Vec<String>,
    /// Where in the input each field is, or would be (`summary` is
    /// `/contents/3/description`): a missing field is reported there.
    pub places: Vec<(&'static str, String)>,
}

/// A value with the place it was read from, to report it there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placed {
    pub value: String,
    pub place: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Areas {
    All,
    List(Vec<Placed>),
}

/// The contact fields; each `Some` when the input has it.
#[derive(Debug, Clone, Default)]
pub struct Contact {
    pub phone: Option<String>,
    pub email: Option<String>,
    pub website: Option<String>,
    pub text: Option<String>,
    pub notes: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Location {
    pub name: String,
    pub address: Option<String>,
    pub postcode: Option<String>,
    pub confidential: bool,
}

/// Something the editor must fill in or fix: `field`, what is wrong, and where
/// in the input it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub field: String,
    pub message: String,
    pub place: String,
}

impl Record {
    /// Where `field` is in the input; the record's own place if not known.
    fn place_of(&self, field: &str) -> String {
        self.places
            .iter()
            .find(|(f, _)| *f == field)
            .map_or_else(|| self.origin.clone(), |(_, place)| place.clone())
    }

    fn fill(&mut self, field: &str, place: &str, message: impl Into<String>) {
        self.to_fill.push(Note {
            field: field.to_owned(),
            message: message.into(),
            place: place.to_owned(),
        });
    }
}

/// One line of the import's report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub place: String,
    pub level: Level,
    pub text: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// A record or a file that could not be imported.
    Error,
    /// Imported, but the editor must look: a draft, a file left alone.
    Warning,
    /// For the record: what was not imported because Signpost has no place for it.
    Note,
}

impl std::fmt::Display for Message {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let level = match self.level {
            Level::Error => "error",
            Level::Warning => "warning",
            Level::Note => "note",
        };
        write!(f, "{}: {level}: {}", self.place, self.text)
    }
}

/// What an import did.
#[derive(Debug, Default)]
pub struct Outcome {
    pub messages: Vec<Message>,
    /// Files written new, relative to the site's folder.
    pub created: Vec<String>,
    /// Existing files rewritten (`--update`).
    pub updated: Vec<String>,
    /// Existing files that already held what the import would write.
    pub unchanged: Vec<String>,
    /// How many of the written services are drafts with something to fill in.
    pub drafts: usize,
    /// Records that could not be written (an unsafe slug, a file left alone...).
    pub not_written: usize,
    /// An input file could not be read at all, or the site's folder could not
    /// be written to: a usage or I/O error.
    pub io_error: bool,
}

impl Outcome {
    fn message(&mut self, place: impl Into<String>, level: Level, text: impl Into<String>) {
        self.messages.push(Message {
            place: place.into(),
            level,
            text: text.into(),
        });
    }

    /// One line for people: what happened, in numbers.
    pub fn summary(&self) -> String {
        format!(
            "Imported {} service{}: {} new, {} updated, {} unchanged; {} draft{} to finish; {} not written.",
            self.created.len() + self.updated.len() + self.unchanged.len(),
            if self.created.len() + self.updated.len() + self.unchanged.len() == 1 {
                ""
            } else {
                "s"
            },
            self.created.len(),
            self.updated.len(),
            self.unchanged.len(),
            self.drafts,
            if self.drafts == 1 { "" } else { "s" },
            self.not_written
        )
    }
}

/// The site's needs and areas, to match the input's against.
pub struct Vocabulary {
    needs: Vec<(String, String)>,
    areas: Vec<(String, Vec<String>)>,
}

impl Vocabulary {
    /// Reads `content/needs.yaml` and `content/areas/` only: a site being
    /// filled by an import may not build yet (its pathways name services
    /// still to come), and the rest of it is not needed to match against.
    pub fn read(root: &Path) -> Result<Vocabulary, Diagnostics> {
        use crate::load::Kind;
        let mut diags = Diagnostics::new();
        let files: Vec<_> = crate::load::discover(&root.join("content"), &mut diags)
            .into_iter()
            .filter(|f| matches!(f.kind, Kind::Needs | Kind::Area))
            .collect();
        let mut diags = Diagnostics::new();
        let parts = crate::load::load_files(&files, &mut diags);
        match parts.needs {
            Some(needs) if !diags.has_errors() => Ok(Vocabulary::of(&needs, &parts.areas)),
            _ => {
                if !diags.has_errors() {
                    diags.error(
                        "content/needs.yaml",
                        None,
                        "the site's needs are missing; `signpost init` makes a site with them",
                    );
                }
                Err(diags)
            }
        }
    }

    pub fn of(needs: &[Need], areas: &[Area]) -> Vocabulary {
        Vocabulary {
            needs: needs
                .iter()
                .map(|n| (n.slug.clone(), slug::from_title(&n.name)))
                .collect(),
            areas: areas
                .iter()
                .map(|a| {
                    (
                        a.slug.clone(),
                        vec![slug::from_title(&a.name), slug::from_title(&a.council)],
                    )
                })
                .collect(),
        }
    }

    /// The need's slug for a slug, a name or a taxonomy term as written.
    fn need(&self, written: &str) -> Option<&str> {
        let folded = slug::from_title(written);
        self.needs
            .iter()
            .find(|(s, name)| *s == folded || *name == folded)
            .map(|(s, _)| s.as_str())
    }

    /// The area's slug for a slug, an area name or a council name.
    fn area(&self, written: &str) -> Option<&str> {
        let folded = slug::from_title(written);
        self.areas
            .iter()
            .find(|(s, names)| *s == folded || names.contains(&folded))
            .map(|(s, _)| s.as_str())
    }
}

/// Names that mean a service works everywhere (`areas: all`).
const NATIONAL: &[&str] = &[
    "all",
    "national",
    "england",
    "england-and-wales",
    "great-britain",
    "united-kingdom",
    "uk",
];

/// Matches the record's needs and areas to the site's, turning what does not
/// match into notes, and notes what a service must have but the input lacks.
/// `kept(field)`: the file being updated already has a value for a field the
/// input does not speak of (always false for a new file).
fn resolve(record: &mut Record, vocabulary: &Vocabulary, kept: &dyn Fn(&str) -> bool) {
    if let Some(needs) = record.needs.take() {
        let mut matched: Vec<Placed> = Vec::new();
        for need in needs {
            match vocabulary.need(&need.value) {
                Some(slug) if !matched.iter().any(|m| m.value == slug) => matched.push(Placed {
                    value: slug.to_owned(),
                    place: need.place,
                }),
                Some(_) => {}
                None => record.fill(
                    "needs",
                    &need.place,
                    format!(
                        "\"{}\" is not one of this site's needs; choose from content/needs.yaml",
                        need.value
                    ),
                ),
            }
        }
        record.needs = Some(matched);
    }
    if let Some(Areas::List(areas)) = &mut record.areas {
        let areas = std::mem::take(areas);
        let national = areas
            .iter()
            .any(|a| NATIONAL.contains(&slug::from_title(&a.value).as_str()));
        if national {
            record.areas = Some(Areas::All);
        } else {
            let mut matched: Vec<Placed> = Vec::new();
            for area in areas {
                match vocabulary.area(&area.value) {
                    Some(slug) if !matched.iter().any(|m| m.value == slug) => {
                        matched.push(Placed {
                            value: slug.to_owned(),
                            place: area.place,
                        })
                    }
                    Some(_) => {}
                    None => record.fill(
                        "areas",
                        &area.place,
                        format!(
                            "\"{}\" is not an area of this site; choose from content/areas, or add the area",
                            area.value
                        ),
                    ),
                }
            }
            record.areas = Some(Areas::List(matched));
        }
    }
    let missing_text = |v: &Option<String>, key: &str| match v {
        Some(t) => t.trim().is_empty(),
        None => !kept(key),
    };
    let missing_list = |v: &Option<Vec<Placed>>, key: &str| match v {
        Some(l) => l.is_empty(),
        None => !kept(key),
    };
    let mut missing = Vec::new();
    if missing_text(&record.name, "name") {
        missing.push(("name", "the service's name"));
    }
    if missing_text(&record.organisation, "organisation") {
        missing.push(("organisation", "who runs it"));
    }
    if missing_text(&record.summary, "summary") {
        missing.push(("summary", "one or two plain sentences on what it does"));
    }
    let no_areas = match &record.areas {
        Some(Areas::All) => false,
        Some(Areas::List(l)) => l.is_empty(),
        None => !kept("areas"),
    };
    if no_areas && !record.to_fill.iter().any(|n| n.field == "areas") {
        missing.push(("areas", "where it works: area slugs, or all"));
    }
    if missing_list(&record.needs, "needs") && !record.to_fill.iter().any(|n| n.field == "needs") {
        missing.push(("needs", "the needs it meets, from content/needs.yaml"));
    }
    if missing_list(&record.referral, "referral")
        && !record.to_fill.iter().any(|n| n.field == "referral")
    {
        missing.push(("referral", "how a woman gets in: self and/or professional"));
    }
    let c = &record.contact;
    let contact_given = [&c.phone, &c.email, &c.website, &c.text]
        .iter()
        .any(|v| v.as_ref().is_some_and(|t| !t.trim().is_empty()));
    // A route the input does not speak of may be in the file already.
    let contact_kept = [
        ("phone", &c.phone),
        ("email", &c.email),
        ("website", &c.website),
        ("text", &c.text),
    ]
    .iter()
    .any(|(key, v)| v.is_none() && kept(&format!("contact.{key}")));
    if !contact_given && !contact_kept {
        missing.push(("contact", "at least one of phone, email, website or text"));
    }
    if record.last_reviewed.is_none()
        && !kept("last_reviewed")
        && !record.to_fill.iter().any(|n| n.field == "last_reviewed")
    {
        missing.push((
            "last_reviewed",
            "the day you check this entry with the service (YYYY-MM-DD)",
        ));
    }
    for (field, what) in missing {
        let place = record.place_of(field);
        record.fill(field, &place, format!("missing: {what}"));
    }
}

/// Reads every input file and writes its services under `root/content/services`.
/// `update`: rewrite existing files' imported fields instead of leaving them alone.
pub fn import(root: &Path, vocabulary: &Vocabulary, files: &[PathBuf], update: bool) -> Outcome {
    let mut outcome = Outcome::default();
    let mut records = Vec::new();
    for file in files {
        let shown = file.display().to_string();
        let bytes = match std::fs::read(file) {
            Ok(bytes) => bytes,
            Err(e) => {
                outcome.message(&shown, Level::Error, format!("cannot read: {e}"));
                outcome.io_error = true;
                continue;
            }
        };
        let extension = file
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        let read = match extension.as_deref() {
            Some("json") => oruk::read(&shown, &bytes),
            Some("csv") => csv::read(&shown, &bytes),
            _ => Err(vec![Message {
                place: shown.clone(),
                level: Level::Error,
                text: "import reads .json (Open Referral UK 3.0) and .csv (a spreadsheet) files"
                    .into(),
            }]),
        };
        match read {
            Ok((found, messages)) => {
                // An entry that is not a service at all is a record not written.
                outcome.not_written += messages.iter().filter(|m| m.level == Level::Error).count();
                outcome.messages.extend(messages);
                records.extend(found);
            }
            Err(messages) => {
                outcome.messages.extend(messages);
                outcome.io_error = true;
            }
        }
    }
    let services = match write::ServicesFolder::open(root) {
        Ok(folder) => folder,
        Err(e) => {
            outcome.message(
                root.join("content/services").display().to_string(),
                Level::Error,
                e,
            );
            outcome.io_error = true;
            return outcome;
        }
    };
    let mut seen: HashSet<String> = HashSet::new();
    for mut record in records {
        let Some(slug) = choose_slug(&record, &mut outcome) else {
            outcome.not_written += 1;
            continue;
        };
        if !seen.insert(slug.clone()) {
            outcome.message(
                &record.origin,
                Level::Error,
                format!("another record in this import is also `{slug}`; not written (give one a different name or slug)"),
            );
            outcome.not_written += 1;
            continue;
        }
        let existing = match services.read_existing(&slug) {
            Ok(existing) => existing,
            Err(e) => {
                outcome.message(&record.origin, Level::Error, e);
                outcome.not_written += 1;
                continue;
            }
        };
        if update
            && let Some(old) = &existing
            && let Err((pos, problem)) = crate::source::split_front_matter(old)
        {
            // Rewriting fields needs fields to rewrite: leave it to the editor.
            outcome.message(
                format!("content/services/{slug}.md:{}:{}", pos.line, pos.column),
                Level::Error,
                format!("{problem}; not updated"),
            );
            outcome.not_written += 1;
            continue;
        }
        let kept = |key: &str| match &existing {
            Some(old) if update => write::has_value(old, key),
            _ => false,
        };
        resolve(&mut record, vocabulary, &kept);
        let rel = format!("content/services/{slug}.md");
        let render = |record: &Record| match &existing {
            Some(old) if update => write::update(old, record),
            _ => write::new_file(record),
        };
        let mut text = render(&record);
        let problems = write::problems(&slug, &text);
        if !problems.is_empty() {
            for (field, message) in problems {
                // A field already noted (missing, unmatched) is not noted twice.
                if !record.to_fill.iter().any(|n| n.field == field) {
                    let place = record.place_of(&field);
                    record.fill(&field, &place, message);
                }
            }
            if record.to_fill.is_empty() {
                let origin = record.origin.clone();
                record.fill("the file", &origin, "check it with `signpost check`");
            }
            text = render(&record);
        }
        match existing {
            Some(old) if old == text => outcome.unchanged.push(rel),
            Some(_) if !update => {
                outcome.message(
                    &record.origin,
                    Level::Warning,
                    format!("{rel} already exists and differs; left alone (use --update to rewrite the imported fields)"),
                );
                outcome.not_written += 1;
                continue;
            }
            existing => match services.write(&slug, &text) {
                Ok(()) if existing.is_some() => outcome.updated.push(rel),
                Ok(()) => outcome.created.push(rel),
                Err(e) => {
                    outcome.message(&rel, Level::Error, e);
                    outcome.not_written += 1;
                    outcome.io_error = true;
                    continue;
                }
            },
        }
        // Only for a service written (or already there): a file left alone
        // is reported as that, not as a list of things it would have said.
        for note in &record.to_fill {
            outcome.message(
                &note.place,
                Level::Warning,
                format!("{}: {}", note.field, note.message),
            );
        }
        if !record.unmapped.is_empty() {
            outcome.message(
                &record.origin,
                Level::Note,
                format!(
                    "not imported, as Signpost has no field for them: {}",
                    record.unmapped.join(", ")
                ),
            );
        }
        if !record.to_fill.is_empty() {
            outcome.drafts += 1;
        }
    }
    outcome
}

/// The record's slug: as the input gives it, which must be a valid slug, or
/// made from its name as `signpost new` makes one.
fn choose_slug(record: &Record, outcome: &mut Outcome) -> Option<String> {
    if let Some(asked) = record.slug.as_ref().filter(|s| !s.value.trim().is_empty()) {
        let asked_for = asked.value.trim();
        if slug::is_valid(asked_for) && asked_for.len() <= crate::scaffold::MAX_SLUG_CHARS {
            return Some(asked_for.to_owned());
        }
        outcome.message(
            &asked.place,
            Level::Error,
            format!(
                "\"{}\" is not a safe slug (lower-case letters, digits and single hyphens, at most {} characters); not written",
                asked.value,
                crate::scaffold::MAX_SLUG_CHARS
            ),
        );
        return None;
    }
    let made = crate::scaffold::slug_for_title(record.name.as_deref().unwrap_or(""));
    if made.is_empty() {
        outcome.message(
            record.place_of("name"),
            Level::Error,
            "the record has no name (or slug) to make a file name from; not written",
        );
        return None;
    }
    Some(made)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Bytes from a fixed seed, biased towards the characters CSV, JSON and
    /// YAML care about, through every stage: no input may panic.
    #[test]
    fn no_input_panics_from_reading_to_the_file_written() {
        let alphabet = b",;\"\n\r\\{}[]:#-' aZ09/\xc3\xa9\xe2\x80\xa8\x07\t";
        let mut state: u64 = 0x5eed;
        let mut next = || {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (state >> 33) as usize
        };
        let vocabulary = Vocabulary {
            needs: vec![("housing".into(), "housing".into())],
            areas: vec![("essex".into(), vec!["essex".into()])],
        };
        let header = "slug,name,summary,areas,needs,referral,women_only,phone,hours,last_reviewed,description,location_name,location_confidential\n";
        for round in 0..300 {
            let length = next() % 200;
            let noise: Vec<u8> = (0..length)
                .map(|_| alphabet[next() % alphabet.len()])
                .collect();
            let mut csv_bytes = header.as_bytes().to_vec();
            csv_bytes.extend(&noise);
            let json = format!(
                "{{\"contents\": [{{\"name\": {:?}, \"schedules\": [{{\"byday\": {:?}, \"opens_at\": {:?}}}]}}]}}",
                String::from_utf8_lossy(&noise),
                String::from_utf8_lossy(&noise[..noise.len() / 2]),
                String::from_utf8_lossy(&noise[noise.len() / 2..]),
            );
            let reads = [
                csv::read("r.csv", &csv_bytes),
                oruk::read("r.json", json.as_bytes()),
                oruk::read("r.json", &noise),
            ];
            let records: Vec<Record> = reads
                .into_iter()
                .flatten()
                .flat_map(|(found, _)| found)
                .collect();
            for mut record in records {
                resolve(&mut record, &vocabulary, &|_| round % 2 == 0);
                let text = write::new_file(&record);
                let _ = write::problems("r", &text);
                let _ = write::update(&text, &record);
            }
        }
    }
}
