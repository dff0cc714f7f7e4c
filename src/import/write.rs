//! Writing imported services: a new file in the layout and with the notes of
//! `signpost new service`, or (`--update`) an existing file with only the
//! imported fields rewritten, its comments, order and body otherwise kept.
//! Files are written only in `content/services/`, by name, never through a
//! symbolic link.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use super::{Areas, Location, Record};
use crate::kinds::ContentKind;
use crate::model::{Hours, Weekday};

/// Lines of the note that says what is left to fill in start with this, so that
/// `--update` can replace the note and an editor can search for it.
const TO_DO: &str = "# TO DO";

/// `content/services/` of a site, checked to be a real folder.
pub(super) struct ServicesFolder {
    dir: PathBuf,
}

impl ServicesFolder {
    /// Finds (or makes) `root/content/services`, refusing a symbolic link or
    /// anything else that is not a plain folder on the way.
    pub(super) fn open(root: &Path) -> Result<ServicesFolder, String> {
        let content = root.join("content");
        real_folder(&content)?;
        let dir = content.join("services");
        match fs::symlink_metadata(&dir) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                fs::create_dir(&dir).map_err(|e| format!("cannot make the folder: {e}"))?;
            }
            _ => real_folder(&dir)?,
        }
        Ok(ServicesFolder { dir })
    }

    /// The text of `<slug>.md`, `None` when there is no such file. A symbolic
    /// link or a non-regular file there is refused, never followed.
    pub(super) fn read_existing(&self, slug: &str) -> Result<Option<String>, String> {
        let path = self.path(slug);
        match fs::symlink_metadata(&path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(format!("cannot read content/services/{slug}.md: {e}")),
            Ok(_) => {}
        }
        let bytes = crate::source::read_regular_file(&path)
            .map_err(|e| format!("content/services/{slug}.md: {e}; not written"))?;
        String::from_utf8(bytes)
            .map(Some)
            .map_err(|_| format!("content/services/{slug}.md is not UTF-8 text; not written"))
    }

    /// Writes `<slug>.md` whole or not at all: into a new file beside it, then
    /// renamed over it (a rename replaces a link; it never writes through one).
    pub(super) fn write(&self, slug: &str, text: &str) -> Result<(), String> {
        debug_assert!(crate::slug::is_valid(slug));
        let path = self.path(slug);
        let temporary = self
            .dir
            .join(format!(".{slug}.md.import-{}", std::process::id()));
        let result = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temporary)
            .and_then(|mut file| {
                file.write_all(text.as_bytes())?;
                file.sync_all()
            })
            .and_then(|()| fs::rename(&temporary, &path));
        result.map_err(|e| {
            let _ = fs::remove_file(&temporary);
            format!("cannot write: {e}")
        })
    }

    fn path(&self, slug: &str) -> PathBuf {
        self.dir.join(format!("{slug}.md"))
    }
}

fn real_folder(path: &Path) -> Result<(), String> {
    match fs::symlink_metadata(path) {
        Ok(meta) if meta.is_dir() => Ok(()),
        Ok(meta) if meta.is_symlink() => Err(format!(
            "{} is a symbolic link; import writes only into a plain folder",
            path.display()
        )),
        Ok(_) => Err(format!("{} is not a folder", path.display())),
        Err(e) => Err(format!("cannot use {}: {e}", path.display())),
    }
}

/// The file `signpost new service` would write, with the record's values in it.
pub(super) fn new_file(record: &Record) -> String {
    let template = ContentKind::Service
        .new_file_template()
        .expect("services have a template");
    let (front, _) = split(template);
    let mut lines: Vec<String> = front.lines().map(str::to_owned).collect();
    // What the template leaves for the editor, the import fills or leaves
    // empty: never the template's own title or today's date as if they were data.
    set(
        &mut lines,
        "name",
        Some(scalar(record.name.as_deref().unwrap_or(""))),
    );
    set(&mut lines, "last_reviewed", Some(String::new()));
    apply(&mut lines, record);
    let body = record.body.clone().unwrap_or_default();
    assemble(&lines, &body)
}

/// `old` with the record's fields rewritten and everything else kept.
pub(super) fn update(old: &str, record: &Record) -> String {
    let (front, body) = split(old);
    let mut lines: Vec<String> = front.lines().map(str::to_owned).collect();
    lines.retain(|l| !l.starts_with(TO_DO));
    apply(&mut lines, record);
    let body = record.body.clone().unwrap_or_else(|| body.to_owned());
    assemble(&lines, &body)
}

/// The front matter (the lines between the `---`) and the body.
fn split(text: &str) -> (&str, &str) {
    match crate::source::split_front_matter(text) {
        Ok(split) => (split.front_matter, split.body),
        Err(_) => ("", text),
    }
}

fn assemble(lines: &[String], body: &str) -> String {
    let mut out = String::from("---\n");
    for line in lines {
        out.push_str(line);
        out.push('\n');
    }
    out.push_str("---\n");
    out.push_str(body);
    out
}

/// Sets every field the record has, and the note and `draft` it calls for.
fn apply(lines: &mut Vec<String>, record: &Record) {
    let text = |v: &Option<String>| v.as_deref().map(scalar);
    set(lines, "name", text(&record.name));
    set(lines, "organisation", text(&record.organisation));
    set(lines, "summary", text(&record.summary));
    set(
        lines,
        "areas",
        record.areas.as_ref().map(|a| match a {
            Areas::All => " all".to_owned(),
            Areas::List(list) => slugs(list.iter().map(|p| p.value.as_str())),
        }),
    );
    let list = |v: &Option<Vec<super::Placed>>| {
        v.as_ref()
            .map(|l| slugs(l.iter().map(|p| p.value.as_str())))
    };
    set(lines, "needs", list(&record.needs));
    set(lines, "referral", list(&record.referral));
    set(lines, "referral_notes", text(&record.referral_notes));
    set(
        lines,
        "women_only",
        record.women_only.map(|b| format!(" {b}")),
    );
    set(lines, "eligibility", text(&record.eligibility));
    set_contact(lines, record);
    set(
        lines,
        "locations",
        record.locations.as_deref().map(locations),
    );
    set(lines, "hours", record.hours.as_deref().map(hours));
    set(lines, "hours_notes", text(&record.hours_notes));
    set(
        lines,
        "languages",
        record.languages.as_ref().map(|l| {
            let items: Vec<String> = l.iter().map(|s| quoted(s)).collect();
            format!(" [{}]", items.join(", "))
        }),
    );
    set(lines, "cost", text(&record.cost));
    set(
        lines,
        "last_reviewed",
        record.last_reviewed.map(|d| format!(" {d}")),
    );
    if record.reviewer.as_deref().is_some_and(|r| !r.is_empty()) {
        // The template has it commented out, with its note above.
        if let Some(at) = lines.iter().position(|l| l.starts_with("# reviewer:")) {
            lines[at] = "reviewer:".to_owned();
        }
    }
    set(lines, "reviewer", text(&record.reviewer));
    let draft = if record.to_fill.is_empty() {
        record.draft
    } else {
        Some(true)
    };
    set(lines, "draft", draft.map(|b| format!(" {b}")));
    if !record.to_fill.is_empty() {
        let mut note = vec![format!(
            "{TO_DO}: imported by `signpost import` from {}. It stays a draft until",
            record.origin
        )];
        note.push(format!(
            "{TO_DO}: these are done; then delete these lines, set draft: false and run signpost check."
        ));
        for n in &record.to_fill {
            note.push(format!(
                "{TO_DO}: - {}: {} ({})",
                n.field,
                n.message.replace('\n', " "),
                n.place
            ));
        }
        // At the top, where the editor looks first.
        let at = lines.iter().position(|l| !l.starts_with('#')).unwrap_or(0);
        lines.splice(at..at, note);
    }
}

/// The errors Signpost's own reader finds in a file about to be written (a
/// phone number with words in it, a web address without https://), each with
/// the top-level field it is in: what the import passed through unchecked is
/// checked here exactly as `check` will, so no import leaves a site that fails.
pub(super) fn problems(slug: &str, text: &str) -> Vec<(String, String)> {
    use crate::diagnostics::Severity;
    let diags = crate::load::parse_content(ContentKind::Service, slug, text.as_bytes());
    let lines: Vec<&str> = text.lines().collect();
    diags
        .sorted()
        .into_iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| {
            let line = d.pos.map_or(0, |p| p.line.saturating_sub(1));
            let field = lines[..=line.min(lines.len().saturating_sub(1))]
                .iter()
                .rev()
                .find(|l| !l.starts_with([' ', '\t', '-', '#']) && l.contains(':'))
                .and_then(|l| l.split(':').next())
                .unwrap_or("the file");
            // A missing field is reported where the fields start.
            let field = d
                .message
                .strip_prefix("missing required field `")
                .and_then(|rest| rest.split('`').next())
                .unwrap_or(field);
            (field.to_owned(), d.message)
        })
        .collect()
}

/// True when `text`'s front matter gives `key` a value: `name`, or
/// `contact.phone` for a field of the contact.
pub(super) fn has_value(text: &str, key: &str) -> bool {
    let (front, _) = split(text);
    let lines: Vec<String> = front.lines().map(str::to_owned).collect();
    let (top, sub) = match key.split_once('.') {
        Some((top, sub)) => (top, Some(sub)),
        None => (key, None),
    };
    let Some((start, end)) = field_span(&lines, top) else {
        return false;
    };
    let filled = |line: &str, key: &str| {
        line.trim_start()
            .strip_prefix(key)
            .and_then(|rest| rest.strip_prefix(':'))
            .map(|value| value.split(" #").next().unwrap_or("").trim())
            .is_some_and(|value| !value.is_empty() && value != "[]" && value != "\"\"")
    };
    match sub {
        None => {
            filled(&lines[start], top)
                || lines[start + 1..end]
                    .iter()
                    .any(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
        }
        Some(sub) => lines[start + 1..end].iter().any(|l| filled(l, sub)),
    }
}

/// Replaces the value of the top-level field `key` (the key's line and the
/// indented lines under it) with `value`, which starts with a space for a
/// value on the same line or a newline for a block. Adds the field at the end
/// when the file lacks it. `None` leaves the field as it is.
fn set(lines: &mut Vec<String>, key: &str, value: Option<String>) {
    let Some(value) = value else { return };
    let new: Vec<String> = format!("{key}:{value}")
        .lines()
        .map(str::to_owned)
        .collect();
    match field_span(lines, key) {
        Some((start, end)) => {
            lines.splice(start..end, new);
        }
        // An empty value for a field the file does not have says nothing.
        None if value.trim().is_empty() => {}
        None => lines.extend(new),
    }
}

/// The lines the top-level field `key` takes: its own, then those indented
/// under it (a block sequence may also start at the left edge, with `-`).
fn field_span(lines: &[String], key: &str) -> Option<(usize, usize)> {
    let start = lines.iter().position(|l| {
        l.strip_prefix(key)
            .is_some_and(|rest| rest.starts_with(':'))
    })?;
    let mut end = start + 1;
    while end < lines.len() {
        let line = &lines[end];
        if line.starts_with([' ', '\t']) || line.starts_with('-') {
            end += 1;
        } else {
            break;
        }
    }
    // Blank or indented-comment lines at the end belong to what follows.
    while end > start + 1 && lines[end - 1].trim().is_empty() {
        end -= 1;
    }
    Some((start, end))
}

/// The contact's fields one by one, so that its notes stay.
fn set_contact(lines: &mut Vec<String>, record: &Record) {
    let c = &record.contact;
    let fields = [
        ("phone", &c.phone),
        ("email", &c.email),
        ("website", &c.website),
        ("text", &c.text),
        ("notes", &c.notes),
    ];
    if fields.iter().all(|(_, v)| v.is_none()) {
        return;
    }
    if field_span(lines, "contact").is_none() {
        lines.push("contact:".to_owned());
    }
    for (key, value) in fields {
        let Some(value) = value else { continue };
        let Some((start, end)) = field_span(lines, "contact") else {
            return;
        };
        // A value in flow style (`contact: {phone: ...}`) is rewritten as a block.
        if lines[start].trim_end() != "contact:" {
            lines[start] = "contact:".to_owned();
        }
        let line = format!("  {key}:{}", scalar(value));
        let found = (start + 1..end).find(|&i| {
            lines[i]
                .trim_start()
                .strip_prefix(key)
                .is_some_and(|rest| rest.starts_with(':'))
                && !lines[i].trim_start().starts_with('#')
        });
        match found {
            Some(i) => lines[i] = line,
            None => lines.insert(end, line),
        }
    }
}

/// A text value after its key: empty, or a space and a double-quoted YAML
/// string with every character that needs it escaped.
fn scalar(text: &str) -> String {
    if text.is_empty() {
        String::new()
    } else {
        format!(" {}", quoted(text))
    }
}

fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            // Refused in content (SPEC §5), but not dropped unsaid: written
            // escaped, the reader's refusal makes the service a draft whose
            // note says which field holds one.
            c if crate::fields::is_forbidden_control(c) => {
                out.push_str(&format!("\\u{:04X}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Slugs in flow style: ` [a, b]`. Slugs need no quotes.
fn slugs<'a>(items: impl Iterator<Item = &'a str>) -> String {
    let items: Vec<&str> = items.collect();
    format!(" [{}]", items.join(", "))
}

fn locations(list: &[Location]) -> String {
    if list.is_empty() {
        return " []".to_owned();
    }
    let mut out = String::new();
    for l in list {
        out.push_str(&format!("\n  - name: {}", quoted(&l.name)));
        if let Some(address) = &l.address {
            out.push_str(&format!("\n    address: {}", quoted(address)));
        }
        if let Some(postcode) = &l.postcode {
            out.push_str(&format!("\n    postcode: {}", quoted(postcode)));
        }
        out.push_str(&format!("\n    confidential: {}", l.confidential));
    }
    out
}

fn hours(list: &[Hours]) -> String {
    if list.is_empty() {
        return " []".to_owned();
    }
    let mut out = String::new();
    for h in list {
        let days: Vec<&str> = h.days.iter().map(|d| day_code(*d)).collect();
        out.push_str(&format!(
            "\n  - days: [{}]\n    opens: \"{}\"\n    closes: \"{}\"",
            days.join(", "),
            h.opens,
            h.closes
        ));
    }
    out
}

fn day_code(day: Weekday) -> &'static str {
    Weekday::ALL[day as usize].0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str) -> Vec<String> {
        text.lines().map(str::to_owned).collect()
    }

    #[test]
    fn a_field_is_replaced_with_the_lines_under_it_and_nothing_else() {
        let mut front = lines(
            "# the name\nname: Old\n# where\nareas:\n- essex\n- sutton\n# needs\nneeds: [housing]",
        );
        set(&mut front, "areas", Some(" [calderdale]".into()));
        assert_eq!(
            front,
            lines("# the name\nname: Old\n# where\nareas: [calderdale]\n# needs\nneeds: [housing]")
        );
        set(&mut front, "cost", Some(" \"Free\"".into()));
        assert_eq!(front.last().map(String::as_str), Some("cost: \"Free\""));
        set(&mut front, "name", None);
        assert!(front.contains(&"name: Old".to_owned()));
        let before = front.clone();
        set(&mut front, "reviewer", Some(String::new()));
        assert_eq!(front, before, "an empty value adds no field");
    }

    #[test]
    fn a_contact_keeps_its_notes_and_other_fields() {
        let mut front =
            lines("contact:\n  # the phone\n  phone: \"1\"\n  email: a@b.org\ncost: Free");
        let record = Record {
            contact: super::super::Contact {
                phone: Some("0808 2000 247".into()),
                website: Some("https://example.org".into()),
                ..Default::default()
            },
            ..Record::default()
        };
        set_contact(&mut front, &record);
        assert_eq!(
            front,
            lines(
                "contact:\n  # the phone\n  phone: \"0808 2000 247\"\n  email: a@b.org\n  website: \"https://example.org\"\ncost: Free"
            )
        );
    }

    #[test]
    fn a_value_is_there_or_not() {
        let text = "---\nname: A\nsummary:\nneeds: []\nareas:\n  - essex\ncontact:\n  phone:\n  email: a@b.org\n---\n";
        assert!(has_value(text, "name"));
        assert!(!has_value(text, "summary"));
        assert!(!has_value(text, "needs"));
        assert!(has_value(text, "areas"));
        assert!(!has_value(text, "cost"));
        assert!(!has_value(text, "contact.phone"));
        assert!(has_value(text, "contact.email"));
    }

    /// Whatever text an import brings, the YAML reader reads back exactly
    /// what was written (control characters too, for the field readers to refuse).
    #[test]
    fn any_text_comes_back_from_the_yaml_as_it_went_in() {
        let cases = [
            "plain",
            "a: colon, and # a hash",
            "- a dash first",
            "\"quoted\" and 'single' and \\ backslash",
            "two\nlines\n\nand a gap",
            "tab\there",
            "  spaces around  ",
            "Ünïcödé — and ☎ and 😀",
            "line\u{2028}separator and next\u{85}line and a bell\u{7}",
            "{not: a map}, [not, a list]",
            "yes",
            "null",
            "~",
            "@at and `tick` and %percent and &amp *star !bang |pipe >gt",
        ];
        for case in cases {
            let record = Record {
                name: Some("N".into()),
                summary: Some(case.to_owned()),
                ..Record::default()
            };
            let text = new_file(&record);
            let split = crate::source::split_front_matter(&text).unwrap();
            let node = crate::yaml::parse(split.front_matter, 2).unwrap().unwrap();
            let crate::yaml::Value::Map(map) = &node.value else {
                panic!("not a map")
            };
            let summary = map
                .iter()
                .find(|(k, _)| k.as_scalar() == Some("summary"))
                .and_then(|(_, v)| v.as_scalar())
                .unwrap();
            assert_eq!(summary, case, "{case:?} was written as:\n{text}");
        }
    }

    #[test]
    fn text_is_quoted_with_escapes() {
        assert_eq!(
            quoted("a \"b\"\\\nc\u{7}"),
            "\"a \\\"b\\\"\\\\\\nc\\u0007\""
        );
    }
}
