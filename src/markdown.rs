//! Markdown to safe HTML: pulldown-cmark for the Markdown, ammonia to sanitise the
//! raw HTML an editor may paste (no script, no event handlers, no iframes, no
//! `javascript:` or `data:` URLs).

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

static SANITISER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut builder = ammonia::Builder::default();
    builder
        .url_schemes(HashSet::from(["http", "https", "mailto", "tel", "sms"]))
        .link_rel(Some("noopener noreferrer"))
        .add_tag_attributes("h2", ["id"])
        .add_tag_attributes("h3", ["id"])
        .add_tag_attributes("h4", ["id"])
        .add_tag_attributes("h5", ["id"])
        .add_tag_attributes("h6", ["id"])
        .add_tag_attributes("div", ["id", "class"])
        .add_tag_attributes("sup", ["class"])
        .add_tag_attributes("li", ["id"])
        .add_tag_attributes("input", ["type", "checked", "disabled"])
        .add_tags(["input"]);
    builder
});

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_TASKLISTS
}

/// Renders Markdown to sanitised HTML. Headings start at `h2`, since the page's
/// title is its only `h1`; each heading gets an `id` to link to.
pub fn render(source: &str) -> String {
    if source.trim().is_empty() {
        return String::new();
    }
    let events: Vec<Event> = Parser::new_ext(source, options()).collect();
    let shift = events
        .iter()
        .filter_map(|e| match e {
            Event::Start(Tag::Heading { level, .. }) => Some(*level as usize),
            _ => None,
        })
        .min()
        .map_or(0, |top| 2usize.saturating_sub(top));
    let events = add_heading_ids(events, shift);
    let mut html = String::with_capacity(source.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    SANITISER.clean(&html).to_string()
}

/// Shifts heading levels down by `shift` and gives each heading an id made from its
/// text, unique within the document.
fn add_heading_ids(events: Vec<Event<'_>>, shift: usize) -> Vec<Event<'_>> {
    let mut unique = Unique::default();
    let mut out = Vec::with_capacity(events.len());
    let mut i = 0;
    while i < events.len() {
        match &events[i] {
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => {
                let text: String = events[i + 1..]
                    .iter()
                    .take_while(|e| !matches!(e, Event::End(TagEnd::Heading(_))))
                    .filter_map(|e| match e {
                        Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
                        _ => None,
                    })
                    .collect();
                let base = id
                    .as_ref()
                    .map_or_else(|| crate::slug::from_title(&text), |id| id.to_string());
                let base = if base.is_empty() {
                    "section".to_owned()
                } else {
                    base
                };
                let made = unique.make(&base);
                out.push(Event::Start(Tag::Heading {
                    level: shifted(*level, shift),
                    id: Some(CowStr::from(made)),
                    classes: classes.clone(),
                    attrs: attrs.clone(),
                }));
            }
            Event::End(TagEnd::Heading(level)) => {
                out.push(Event::End(TagEnd::Heading(shifted(*level, shift))))
            }
            other => out.push(other.clone()),
        }
        i += 1;
    }
    out
}

/// Makes ids unique within a text: the first `top`, then `top-2`, `top-3`. It
/// counts per base id rather than trying every suffix from 2 again, which made
/// 120 KB of identical headings take 12 s.
#[derive(Default)]
struct Unique {
    used: HashSet<String>,
    next: HashMap<String, usize>,
    /// Ids tried, made or not: the work done, for the tests.
    tries: usize,
}

impl Unique {
    fn make(&mut self, base: &str) -> String {
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

fn shifted(level: HeadingLevel, shift: usize) -> HeadingLevel {
    let n = (level as usize + shift).min(6);
    HeadingLevel::try_from(n).unwrap_or(HeadingLevel::H6)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identical_headings_get_distinct_ids_counting_not_rescanning() {
        let html = render(&"# Same\n\n".repeat(3000));
        let ids: Vec<&str> = html
            .split(" id=\"")
            .skip(1)
            .filter_map(|rest| rest.split('"').next())
            .collect();
        assert_eq!(ids.len(), 3000);
        assert_eq!(
            ids.iter().collect::<HashSet<_>>().len(),
            3000,
            "all distinct"
        );
        assert_eq!((ids[0], ids[1], ids[2999]), ("same", "same-2", "same-3000"));

        // The work: one try per heading, and each id tried a bounded number of
        // times even when the editor has written the suffixed ones ("A 2" is
        // "a-2"). Trying every suffix from 2 again took 4.5 million tries here.
        let mut unique = Unique::default();
        for _ in 0..3000 {
            unique.make("same");
        }
        assert_eq!(unique.tries, 3000, "one try per heading");
        let mut unique = Unique::default();
        for n in 2..=1000 {
            unique.make(&format!("a-{n}"));
        }
        let made: Vec<String> = (0..1000).map(|_| unique.make("a")).collect();
        assert_eq!((made[0].as_str(), made[1].as_str()), ("a", "a-1001"));
        assert!(unique.tries <= 3 * 2000, "{} tries", unique.tries);
    }

    #[test]
    fn demoting_headings_matches_the_simple_replacements() {
        // The one-pass version against the obvious one, on awkward input.
        fn by_replacing(html: &str, by: usize) -> String {
            let mut out = html.to_owned();
            for level in (2..=6).rev() {
                let to = (level + by).min(6);
                out = out
                    .replace(&format!("<h{level}"), &format!("<h{to}"))
                    .replace(&format!("</h{level}>"), &format!("</h{to}>"));
            }
            out
        }
        for html in [
            "<h2 id=\"a\">A</h2><p>x</p><h3>B</h3><h6>C</h6><h1>D</h1>",
            "<hr><h2>x</h2 ><h2</h2><</h5>é<h4>ü</h4><",
            "plain text",
            "",
            "<h2><h3><h4><h5><h6></h6></h5></h4></h3></h2>",
        ] {
            for by in 0..=5 {
                assert_eq!(
                    demote_headings(html, by),
                    by_replacing(html, by),
                    "{html} by {by}"
                );
            }
        }
    }

    #[test]
    fn renders_extensions() {
        let html = render(
            "## What we offer\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n~~old~~ \"quoted\"[^1]\n\n[^1]: A note.\n",
        );
        assert!(
            html.contains("<h2 id=\"what-we-offer\">What we offer</h2>"),
            "{html}"
        );
        assert!(html.contains("<table>"), "{html}");
        assert!(html.contains("<del>old</del>"), "{html}");
        assert!(html.contains("“quoted”"), "{html}");
        assert!(html.contains("footnote-definition"), "{html}");
    }

    #[test]
    fn headings_start_at_h2_with_unique_ids() {
        let html = render("# Top\n\n## Sub\n\n# Top\n");
        assert!(html.contains("<h2 id=\"top\">Top</h2>"), "{html}");
        assert!(html.contains("<h3 id=\"sub\">Sub</h3>"), "{html}");
        assert!(html.contains("<h2 id=\"top-2\">Top</h2>"), "{html}");
    }

    #[test]
    fn sanitises_raw_html() {
        let html = render(
            "<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n<iframe src=\"https://evil.example\"></iframe>\n\n\
             [a](javascript:alert(1)) [b](data:text/html,x) <a href=\"JaVaScRiPt:alert(1)\">c</a>\n\n<style>body{}</style>\n\n\
             <svg><script>alert(1)</script></svg>\n",
        );
        for bad in [
            "<script",
            "onerror",
            "<iframe",
            "javascript:",
            "JaVaScRiPt",
            "data:",
            "<style",
            "<svg",
            "alert(1)</script",
        ] {
            assert!(!html.contains(bad), "{bad} survived in {html}");
        }
    }

    #[test]
    fn keeps_safe_links() {
        let html =
            render("[Call](tel:08082000247) [Web](https://example.org) [Mail](mailto:a@b.org)");
        assert!(html.contains("href=\"tel:08082000247\""), "{html}");
        assert!(html.contains("href=\"https://example.org\""), "{html}");
        assert!(html.contains("href=\"mailto:a@b.org\""), "{html}");
        assert!(html.contains("rel=\"noopener noreferrer\""), "{html}");
    }

    #[test]
    fn template_syntax_in_markdown_is_just_text() {
        let html = render("{{ config }} {% include \"x\" %}");
        assert!(html.contains("{{ config }}"), "{html}");
    }

    #[test]
    fn demotes_headings() {
        assert_eq!(
            demote_headings("<h2 id=\"a\">A</h2><h3>B</h3>", 2),
            "<h4 id=\"a\">A</h4><h5>B</h5>"
        );
        assert_eq!(
            demote_headings("<p>&lt;h2</p><h6>x</h6>", 2),
            "<p>&lt;h2</p><h6>x</h6>"
        );
    }
}
