//! Ids in bodies: unique within a body, prefixed where bodies share a page,
//! and headings moved down a level for print.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use pulldown_cmark::{Event, HeadingLevel, Tag, TagEnd};

use super::*;

/// The ids of a text's headings and footnotes, made in document order.
pub(super) struct Ids {
    /// The headings' ids, in order.
    pub(super) headings: Vec<String>,
    /// Footnote label → (number, id).
    pub(super) footnotes: HashMap<String, (usize, String)>,
    /// An explicit id as written (`{#Where to go}`) → the id it became, for
    /// links to it.
    pub(super) aliases: HashMap<String, String>,
    /// Every id made, each with whether the sanitiser has met it yet.
    pub(super) made: HashMap<String, bool>,
    /// Headings move down so that the top one is an `h2`.
    pub(super) shift: usize,
}

impl Ids {
    pub(super) fn assign(events: &[(Event, Range<usize>)]) -> Ids {
        let mut ids = Ids {
            headings: Vec::new(),
            footnotes: HashMap::new(),
            aliases: HashMap::new(),
            made: HashMap::new(),
            shift: 0,
        };
        let mut unique = Unique::default();
        let mut top: Option<usize> = None;
        let mut i = 0;
        while i < events.len() {
            match &events[i].0 {
                Event::Start(Tag::Heading { level, id, .. }) => {
                    top = Some(top.map_or(*level as usize, |t| t.min(*level as usize)));
                    // The heading's text runs to its end; headings do not nest,
                    // so this reads each event once.
                    let mut text = String::new();
                    let mut j = i + 1;
                    while let Some((e, _)) = events.get(j) {
                        match e {
                            Event::End(TagEnd::Heading(_)) => break,
                            Event::Text(t) | Event::Code(t) => text.push_str(t),
                            _ => {}
                        }
                        j += 1;
                    }
                    let written = id.as_ref().map(|id| crate::slug::from_title(id));
                    let base = match written.filter(|w| !w.is_empty()) {
                        Some(w) => w,
                        None => crate::slug::from_title(&text),
                    };
                    let base = if base.is_empty() {
                        "section".to_owned()
                    } else {
                        base
                    };
                    let made = unique.make(&base);
                    if let Some(id) = id {
                        ids.aliases.insert(id.to_string(), made.clone());
                    }
                    ids.made.insert(made.clone(), false);
                    ids.headings.push(made);
                    i = j;
                    continue;
                }
                Event::FootnoteReference(label) | Event::Start(Tag::FootnoteDefinition(label))
                    if !ids.footnotes.contains_key(label.as_ref()) =>
                {
                    let number = ids.footnotes.len() + 1;
                    let made = unique.make(&format!("fn-{number}"));
                    ids.made.insert(made.clone(), false);
                    ids.footnotes.insert(label.to_string(), (number, made));
                }
                _ => {}
            }
            i += 1;
        }
        ids.shift = top.map_or(0, |top| 2usize.saturating_sub(top));
        ids
    }
}

/// Makes ids unique within a text: the first `top`, then `top-2`, `top-3`. It
/// counts per base id rather than trying every suffix from 2 again, which made
/// 120 KB of identical headings take 12 s.
pub(super) struct Unique {
    pub(super) used: HashSet<String>,
    pub(super) next: HashMap<String, usize>,
    /// Ids tried, made or not: the work done, for the tests.
    pub(super) tries: usize,
}

impl Default for Unique {
    fn default() -> Self {
        Unique {
            used: RESERVED_IDS.iter().map(|&id| id.to_owned()).collect(),
            next: HashMap::new(),
            tries: 0,
        }
    }
}

impl Unique {
    pub(super) fn make(&mut self, base: &str) -> String {
        let mut n = self.next.get(base).copied().unwrap_or(1);
        // Each id is tried at most once per base, so at most twice in all
        // ("a-2" made from "a", or written as a heading of its own).
        let id = loop {
            let id = if n == 1 {
                base.to_owned()
            } else {
                format!("{base}-{n}")
            };
            n += 1;
            self.tries += 1;
            if self.used.insert(id.clone()) {
                break id;
            }
        };
        match self.next.get_mut(base) {
            Some(next) => *next = n,
            None => {
                self.next.insert(base.to_owned(), n);
            }
        }
        id
    }
}

pub(super) fn shifted(level: HeadingLevel, shift: usize) -> HeadingLevel {
    let n = (level as usize + shift).min(6);
    HeadingLevel::try_from(n).unwrap_or(HeadingLevel::H6)
}

/// Prefixes every id in a body's sanitised HTML with `prefix`, and every link
/// to one of them, for a page that holds several bodies. Relies on what
/// ammonia writes: attribute values in double quotes, with `"` escaped, and
/// `<` escaped in text, so that every `<` starts a tag.
pub fn prefix_ids(html: &str, prefix: &str) -> String {
    // First the ids, since a link may come before its target.
    let mut ids: HashSet<&str> = HashSet::new();
    for_each_attribute(html, |name, value, _| {
        if name == "id" {
            ids.insert(value);
        }
    });
    if ids.is_empty() {
        return html.to_owned();
    }
    let mut out = String::with_capacity(html.len() + ids.len() * (prefix.len() + 8));
    let mut copied = 0;
    for_each_attribute(html, |name, value, at| {
        let target = match name {
            "id" => Some(at),
            "href" => value
                .strip_prefix('#')
                .filter(|fragment| ids.contains(fragment))
                .map(|_| at + 1),
            _ => None,
        };
        if let Some(at) = target {
            out.push_str(&html[copied..at]);
            out.push_str(prefix);
            copied = at;
        }
    });
    out.push_str(&html[copied..]);
    out
}

/// Calls `f(name, value, offset of the value)` for every attribute of every
/// tag in sanitised HTML (see [`prefix_ids`]).
pub(super) fn for_each_attribute<'a>(html: &'a str, mut f: impl FnMut(&str, &'a str, usize)) {
    let bytes = html.as_bytes();
    let len = bytes.len();
    let mut i = 0;
    while let Some(found) = html.get(i..).and_then(|rest| rest.find('<')) {
        let mut j = i + found + 1;
        // The tag's name, then its attributes up to `>`.
        while j < len && !matches!(bytes[j], b' ' | b'>') {
            j += 1;
        }
        while j < len && bytes[j] != b'>' {
            if bytes[j] == b' ' || bytes[j] == b'/' {
                j += 1;
                continue;
            }
            let name_start = j;
            while j < len && !matches!(bytes[j], b'=' | b' ' | b'>') {
                j += 1;
            }
            let name = &html[name_start..j];
            if bytes.get(j) == Some(&b'=') && bytes.get(j + 1) == Some(&b'"') {
                let start = j + 2;
                let end = html[start..].find('"').map_or(len, |e| start + e);
                f(name, &html[start..end], start);
                j = end + 1;
            } else if bytes.get(j) == Some(&b'=') {
                j += 1;
            }
        }
        i = j.min(len);
    }
}

/// Moves every heading in rendered HTML down by `by` levels (for the print page,
/// where a service's body sits under the service's own heading). Safe on our own
/// sanitised output: a literal `<h2` in text is always escaped as `&lt;h2`.
pub fn demote_headings(html: &str, by: usize) -> String {
    // One pass: every `<hN` and `</hN>` with N from 2 to 6 gets N + by, at
    // most 6. The patterns are ASCII, so the text between them is copied as
    // whole slices.
    let bytes = html.as_bytes();
    let mut out = String::with_capacity(html.len());
    let mut copied = 0;
    let mut i = 0;
    while let Some(found) = html[i..].find('<') {
        let at = i + found;
        let closing = bytes.get(at + 1) == Some(&b'/');
        let h = at + 1 + usize::from(closing);
        let digit = h + 1;
        let level = match (bytes.get(h), bytes.get(digit)) {
            (Some(b'h'), Some(d @ b'2'..=b'6')) => usize::from(d - b'0'),
            _ => {
                i = at + 1;
                continue;
            }
        };
        if closing && bytes.get(digit + 1) != Some(&b'>') {
            i = at + 1;
            continue;
        }
        out.push_str(&html[copied..digit]);
        out.push(char::from(b'0' + (level + by).min(6) as u8));
        copied = digit + 1;
        i = copied;
    }
    out.push_str(&html[copied..]);
    out
}
