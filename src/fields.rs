//! Reading typed fields out of a YAML mapping, reporting every missing, misspelt
//! or mistyped field with its position and carrying on.

use crate::diagnostics::{Diagnostics, Pos, suggestion};
use crate::yaml::{Node, Value};

/// Control characters other than tab and newline: C0, DEL and C1. They make
/// pages and feeds invalid and can hide text.
pub fn is_forbidden_control(c: char) -> bool {
    (c.is_control() && c != '\t' && c != '\n') || c == '\u{7f}'
}

/// A value with the place it was written, kept for the checks that come after loading
/// (an unknown need is only known to be unknown once `needs.yaml` is read).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spanned<T> {
    pub value: T,
    pub pos: Pos,
}

impl<T> Spanned<T> {
    pub fn new(value: T, pos: Pos) -> Spanned<T> {
        Spanned { value, pos }
    }
}

/// The fields of one YAML mapping. Each getter marks its field as read; `finish`
/// reports the fields nobody asked for, which are the unknown (often misspelt) ones.
pub struct Fields<'a> {
    file: &'a str,
    pos: Pos,
    entries: Vec<(&'a str, &'a Node, &'a Node)>,
    known: &'static [&'static str],
    pub diags: &'a mut Diagnostics,
}

impl<'a> Fields<'a> {
    /// `what` names the thing for messages ("a service", "a step").
    pub fn new(
        file: &'a str,
        node: &'a Node,
        what: &str,
        known: &'static [&'static str],
        diags: &'a mut Diagnostics,
    ) -> Option<Fields<'a>> {
        let Value::Map(map) = &node.value else {
            diags.error(
                file,
                Some(node.pos),
                format!(
                    "expected the fields of {what} (lines such as `name: ...`), found {}",
                    node.kind_name()
                ),
            );
            return None;
        };
        let mut entries = Vec::with_capacity(map.len());
        for (key, value) in map {
            match key.as_scalar() {
                Some(name) if entries.iter().any(|(n, _, _)| *n == name) => {
                    diags.error(
                        file,
                        Some(key.pos),
                        format!("the field `{name}` is given twice"),
                    );
                }
                Some(name) => entries.push((name, key, value)),
                None => diags.error(file, Some(key.pos), "a field name must be a plain word"),
            }
        }
        Some(Fields {
            file,
            pos: node.pos,
            entries,
            known,
            diags,
        })
    }

    pub fn file(&self) -> &'a str {
        self.file
    }

    pub fn pos(&self) -> Pos {
        self.pos
    }

    /// The raw node of a field; `null` counts as absent.
    pub fn node(&mut self, key: &str) -> Option<&'a Node> {
        debug_assert!(
            self.known.contains(&key),
            "field {key} is not declared as known"
        );
        self.entries
            .iter()
            .find(|(n, _, _)| *n == key)
            .map(|(_, _, v)| *v)
            .filter(|v| !v.is_null())
    }

    pub fn error(&mut self, pos: Pos, message: impl Into<String>) {
        self.diags.error(self.file, Some(pos), message);
    }

    pub fn warning(&mut self, pos: Pos, message: impl Into<String>) {
        self.diags.warning(self.file, Some(pos), message);
    }

    /// Reports a required field that is absent, or written with no value (as a new
    /// file from `signpost new` has it until the editor fills it in).
    /// Either way the message ends with the line to write (`example_line`).
    fn missing(&mut self, key: &str) {
        let example = example_line(self.file, key);
        match self.entries.iter().find(|(n, _, _)| *n == key) {
            Some((_, key_node, _)) => {
                let pos = key_node.pos;
                self.error(
                    pos,
                    format!("`{key}` needs a value; write it after the colon, as in `{example}`"),
                );
            }
            None => {
                let pos = self.pos;
                self.error(
                    pos,
                    format!("missing required field `{key}`; add a line such as `{example}`"),
                );
            }
        }
    }

    fn scalar_text(&mut self, key: &str, node: &'a Node) -> Option<Spanned<String>> {
        match &node.value {
            Value::Scalar { text, .. } => {
                // YAML escapes ("\0", "\x01", "\e") make characters no page,
                // feed or export can carry; they are never what an editor meant.
                // A byte scan first: almost no text holds one, and in UTF-8
                // every C1 control starts with the byte 0xC2.
                let may_hold = text.bytes().any(|b| b < 0x20 || b == 0x7f || b == 0xc2);
                let found = if may_hold {
                    text.chars()
                        .enumerate()
                        .find(|(_, c)| is_forbidden_control(*c))
                } else {
                    None
                };
                if let Some((at, c)) = found {
                    self.error(
                        node.pos,
                        format!(
                            "`{key}` holds a control character (U+{:04X}, character {} of the text), which cannot be published; remove it (in double quotes, look for an escape such as \\0, \\x01 or \\e)",
                            c as u32,
                            at + 1
                        ),
                    );
                    return None;
                }
                Some(Spanned::new(text.trim().to_owned(), node.pos))
            }
            _ => {
                self.error(
                    node.pos,
                    format!("`{key}` should be text, found {}", node.kind_name()),
                );
                None
            }
        }
    }

    pub fn required_text(&mut self, key: &str) -> Option<Spanned<String>> {
        match self.node(key) {
            Some(node) => {
                let text = self.scalar_text(key, node)?;
                if text.value.is_empty() {
                    self.error(node.pos, format!("`{key}` is empty"));
                    return None;
                }
                Some(text)
            }
            None => {
                self.missing(key);
                None
            }
        }
    }

    pub fn optional_text(&mut self, key: &str) -> Option<Spanned<String>> {
        let node = self.node(key)?;
        self.scalar_text(key, node).filter(|t| !t.value.is_empty())
    }

    pub fn text_or(&mut self, key: &str, default: &str) -> String {
        self.optional_text(key)
            .map_or_else(|| default.to_owned(), |t| t.value)
    }

    /// A required date written `YYYY-MM-DD`.
    pub fn required_date(&mut self, key: &str) -> Option<Spanned<time::Date>> {
        let t = self.required_text(key)?;
        self.date(key, t)
    }

    /// An optional date written `YYYY-MM-DD`; `None` when left out (or
    /// unreadable, which is reported).
    pub fn optional_date(&mut self, key: &str) -> Option<Spanned<time::Date>> {
        let t = self.optional_text(key)?;
        self.date(key, t)
    }

    fn date(&mut self, key: &str, t: Spanned<String>) -> Option<Spanned<time::Date>> {
        match parse_date(&t.value).or_else(|| parse_timestamp_date(&t.value)) {
            Some(date) => Some(Spanned::new(date, t.pos)),
            None => {
                self.error(t.pos, format!("`{key}` should be a date written YYYY-MM-DD, such as 2026-03-31; found \"{}\"", t.value));
                None
            }
        }
    }

    /// A required time of day written `HH:MM` on the 24-hour clock: the text as
    /// written, with the minutes since midnight.
    pub fn required_time(&mut self, key: &str) -> Option<(String, u32, Pos)> {
        let t = self.required_text(key)?;
        match parse_time(&t.value) {
            Some(minutes) => Some((t.value, minutes, t.pos)),
            None => {
                self.error(t.pos, format!("`{key}` should be a time written HH:MM on the 24-hour clock, such as \"09:30\""));
                None
            }
        }
    }

    /// An optional absolute http(s) URL; anything else (a `javascript:` URL,
    /// a bare domain) is an error.
    pub fn web_url(&mut self, key: &str) -> Option<Spanned<String>> {
        let url = self.optional_text(key)?;
        self.checked_web_url(key, url)
    }

    /// `url`, read from `key`, if it is an absolute http(s) URL.
    pub fn checked_web_url(&mut self, key: &str, url: Spanned<String>) -> Option<Spanned<String>> {
        let lower = url.value.to_ascii_lowercase();
        let rest = lower
            .strip_prefix("https://")
            .or_else(|| lower.strip_prefix("http://"));
        if rest.is_some_and(|r| {
            !r.is_empty()
                && !url.value.contains(char::is_whitespace)
                && !url.value.contains(['"', '<', '>'])
        }) {
            Some(url)
        } else {
            self.error(
                url.pos,
                format!("`{key}` should be a full web address starting with https://"),
            );
            None
        }
    }

    /// Whether `key` is written with no value (`consent:`).
    pub fn has_empty(&self, key: &str) -> bool {
        self.entries
            .iter()
            .any(|(n, _, v)| *n == key && v.is_null())
    }

    /// Where the field's name is written, if it is.
    pub fn key_pos(&self, key: &str) -> Option<Pos> {
        self.entries
            .iter()
            .find(|(n, _, _)| *n == key)
            .map(|(_, k, _)| k.pos)
    }

    /// A flag that guards something unsafe to publish (`confidential`): unlike
    /// `bool_or`, a field written with no value is an error, not the default,
    /// since `confidential:` left empty would otherwise publish a refuge's address.
    pub fn guarding_bool(&mut self, key: &str, default: bool) -> bool {
        if self.has_empty(key)
            && let Some(pos) = self.key_pos(key)
        {
            self.error(
                pos,
                format!("`{key}` needs a value: write `{key}: true` or `{key}: false`"),
            );
            return true;
        }
        self.bool_or(key, default)
    }

    pub fn bool_or(&mut self, key: &str, default: bool) -> bool {
        let Some(node) = self.node(key) else {
            return default;
        };
        // Quoted too: a browser editor (Decap CMS) may write `"true"`, which
        // means the same to the editor who ticked the box.
        match node.as_scalar().map(str::trim) {
            Some("true") => true,
            Some("false") => false,
            _ => {
                self.error(node.pos, format!("`{key}` should be true or false"));
                default
            }
        }
    }

    /// A list of short texts. A single value is taken as a list of one, since
    /// `needs: housing` says plainly what the editor meant.
    pub fn text_list(&mut self, key: &str, required: bool) -> Vec<Spanned<String>> {
        let Some(node) = self.node(key) else {
            if required {
                self.missing(key);
            }
            return Vec::new();
        };
        let items: Vec<&Node> = match &node.value {
            Value::Seq(items) => items.iter().collect(),
            Value::Scalar { .. } => vec![node],
            Value::Map(_) => {
                self.error(
                    node.pos,
                    format!("`{key}` should be a list, such as `{key}: [a, b]`"),
                );
                return Vec::new();
            }
        };
        let list: Vec<Spanned<String>> = items
            .into_iter()
            .filter_map(|item| self.scalar_text(key, item))
            .filter(|t| !t.value.is_empty())
            .collect();
        if required && list.is_empty() {
            self.error(node.pos, format!("`{key}` needs at least one entry"));
        }
        list
    }

    /// A list of mappings (steps, locations, hours), each read by `read`.
    pub fn list_of<T>(
        &mut self,
        key: &str,
        required: bool,
        mut read: impl FnMut(&mut Diagnostics, &'a str, &'a Node) -> Option<T>,
    ) -> Vec<T> {
        let Some(node) = self.node(key) else {
            if required {
                self.missing(key);
            }
            return Vec::new();
        };
        let Value::Seq(items) = &node.value else {
            self.error(
                node.pos,
                format!("`{key}` should be a list, each entry starting with `- `"),
            );
            return Vec::new();
        };
        if required && items.is_empty() {
            self.error(node.pos, format!("`{key}` needs at least one entry"));
        }
        let file = self.file;
        items
            .iter()
            .filter_map(|item| read(self.diags, file, item))
            .collect()
    }

    /// Reports every field that is not one of `known`, suggesting the likely one.
    pub fn finish(self) {
        for (name, key, _) in &self.entries {
            if !self.known.contains(name) {
                let hint = suggestion(name, self.known.iter().copied());
                self.diags.error(
                    self.file,
                    Some(key.pos),
                    format!("unknown field `{name}`{hint}"),
                );
            }
        }
    }
}

/// The date of a timestamp such as `2026-11-24T00:00:00.000Z`, as a browser
/// editor (Decap CMS's date picker, JavaScript's `toISOString`) writes one:
/// the day as written, whatever the time and offset after it.
pub fn parse_timestamp_date(s: &str) -> Option<time::Date> {
    use time::format_description::well_known::Rfc3339;
    // The date in the offset written, not in UTC: the day the editor meant.
    time::OffsetDateTime::parse(s, &Rfc3339)
        .ok()
        .map(|stamp| stamp.date())
}

/// Minutes since midnight for "HH:MM"; "24:00" is allowed as a closing time.
pub fn parse_time(s: &str) -> Option<u32> {
    let (h, m) = s.split_once(':')?;
    if h.len() != 2 || m.len() != 2 {
        return None;
    }
    let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
    match (h, m) {
        (0..=23, 0..=59) | (24, 0) => Some(h * 60 + m),
        _ => None,
    }
}

/// A calendar date written `YYYY-MM-DD`.
pub fn parse_date(s: &str) -> Option<time::Date> {
    let mut parts = s.splitn(3, '-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return None;
    }
    let month = time::Month::try_from(m.parse::<u8>().ok()?).ok()?;
    time::Date::from_calendar_date(y.parse().ok()?, month, d.parse().ok()?).ok()
}

/// A line that fills a required field, for the message that says it is
/// missing: an editor copies it and changes the words. `file` tells a need's
/// or an area's `name` from a service's.
pub fn example_line(file: &str, key: &str) -> String {
    let example = match key {
        "name" if file.ends_with("needs.yaml") => "Housing and homelessness",
        "name" if file.contains("areas/") => "Essex",
        "name" if file.contains("services/") => "Open Road women's service",
        "name" => "Women's centre",
        "title" if file.contains("pathways/") => "If you are being hurt at home",
        "title" if file.contains("case-studies/") => "Amy's story",
        "title" if file.ends_with("site.yaml") => "Support for women: a local guide",
        "title" => "Ask about safety",
        "publisher" => "Essex County Council and partners",
        "slug" => "housing",
        "council" => "Essex County Council",
        "organisation" => "Open Road",
        "summary" => "Support for women in Essex who use drugs or alcohol.",
        "needs" => "[housing, mental-health]",
        "referral" => "[self, professional]",
        "areas" => "[essex]",
        "area" => "essex",
        "last_reviewed" => "YYYY-MM-DD (the day the entry was last checked)",
        "id" => "first-contact",
        "days" => "[mon, tue, wed, thu, fri]",
        "opens" => "\"09:00\"",
        "closes" => "\"17:00\"",
        "steps" => "(then a list: `- id: first-contact` and, under it, `title: Ask about safety`)",
        _ => "...",
    };
    format!("{key}: {example}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_dates_and_times_strictly() {
        assert!(parse_date("2026-02-28").is_some());
        for bad in [
            "2026-02-30",
            "2026-2-3",
            "26-02-03",
            "2026/02/03",
            "yesterday",
            "2026-13-01",
        ] {
            assert!(parse_date(bad).is_none(), "{bad}");
        }
        assert_eq!(parse_time("09:30"), Some(570));
        let day = parse_date("2026-11-24");
        assert!(day.is_some());
        for cms in [
            "2026-11-24T00:00:00.000Z",
            "2026-11-24T00:00:00Z",
            "2026-11-24T23:30:00+01:00",
        ] {
            assert_eq!(parse_timestamp_date(cms), day, "{cms}");
        }
        for bad in ["2026-11-24T25:00:00Z", "2026-11-24T", "2026-11-24 banana"] {
            assert_eq!(parse_timestamp_date(bad), None, "{bad}");
        }
        assert_eq!(parse_time("24:00"), Some(1440));
        for bad in ["9:30", "24:01", "12:60", "noon"] {
            assert_eq!(parse_time(bad), None, "{bad}");
        }
    }

    use crate::yaml;

    const KNOWN: &[&str] = &["name", "needs", "women_only"];

    fn read(text: &str, check: impl FnOnce(&mut Fields)) -> Vec<String> {
        let node = yaml::parse(text, 1).unwrap().unwrap();
        let mut diags = Diagnostics::new();
        let mut fields = Fields::new("f.md", &node, "a test", KNOWN, &mut diags).unwrap();
        check(&mut fields);
        fields.finish();
        diags.sorted().iter().map(ToString::to_string).collect()
    }

    #[test]
    fn unknown_fields_get_a_suggestion() {
        let out = read("nmae: A\nneeds: [x]\n", |f| {
            assert_eq!(f.required_text("name"), None);
            assert_eq!(f.text_list("needs", true).len(), 1);
        });
        assert_eq!(
            out,
            [
                "f.md:1:1: error: missing required field `name`; add a line such as `name: Women's centre`",
                "f.md:1:1: error: unknown field `nmae` (did you mean \"name\"?)"
            ]
        );
    }

    #[test]
    fn wrong_types_point_at_the_value() {
        let out = read("name: [a]\nwomen_only: maybe\nneeds: {a: b}\n", |f| {
            f.required_text("name");
            f.bool_or("women_only", false);
            f.text_list("needs", true);
        });
        assert_eq!(
            out,
            [
                "f.md:1:7: error: `name` should be text, found a list",
                "f.md:2:13: error: `women_only` should be true or false",
                "f.md:3:8: error: `needs` should be a list, such as `needs: [a, b]`",
            ]
        );
    }

    #[test]
    fn an_empty_required_field_points_at_its_line() {
        let out = read("needs: [x]\nname:\n", |f| {
            assert_eq!(f.required_text("name"), None);
        });
        assert_eq!(
            out,
            [
                "f.md:2:1: error: `name` needs a value; write it after the colon, as in `name: Women's centre`"
            ]
        );
    }

    #[test]
    fn a_single_value_is_a_list_of_one_and_duplicates_are_errors() {
        let out = read("needs: housing\nname: A\nname: B\n", |f| {
            let needs = f.text_list("needs", true);
            assert_eq!(needs[0].value, "housing");
            assert_eq!(f.required_text("name").unwrap().value, "A");
        });
        assert_eq!(out, ["f.md:3:1: error: the field `name` is given twice"]);
    }
}
