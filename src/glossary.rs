//! The site's glossary (`content/glossary.yaml`): abbreviations such as IDVA
//! and MARAT, what they stand for, and what they mean in plain English.
//!
//! Wherever a term appears in what a reader sees it is marked up as
//! `<abbr title="independent domestic violence adviser">IDVA</abbr>`: in
//! Markdown bodies by `mark_html`, run over the Markdown pass's output, which
//! also spells out a term's first use in each body the way GOV.UK writes it
//! ("independent domestic violence adviser (IDVA)"); and in text from YAML
//! fields by `mark_text`, which templates reach through the `abbr` filter.
//! A leaf module: the model holds a `Glossary`, and rendering uses it.

use aho_corasick::{AhoCorasick, MatchKind};

#[derive(Debug, Clone)]
pub struct Term {
    /// As it is written in the text: "IDVA". Matched with its case, as a
    /// whole word, or with a plural `s` ("IDVAs").
    pub term: String,
    /// What it stands for: "independent domestic violence adviser".
    pub expansion: String,
    /// What it means, in plain English, for the glossary page.
    pub explanation: String,
}

/// The terms, and a matcher that finds them all in one pass over a text.
#[derive(Debug, Clone, Default)]
pub struct Glossary {
    /// In the order of the file.
    pub terms: Vec<Term>,
    matcher: Option<AhoCorasick>,
}

/// Elements whose text is never marked up: code is literal, an `abbr` is
/// marked up already, and a heading's text would change the page's outline
/// and ids.
const SKIPPED: &[&str] = &[
    "code", "pre", "abbr", "kbd", "samp", "h1", "h2", "h3", "h4", "h5", "h6",
];

impl Glossary {
    pub fn new(terms: Vec<Term>) -> Glossary {
        let matcher = if terms.is_empty() {
            None
        } else {
            // Leftmost-longest, so that "MARAC" is not read as a shorter term
            // inside it. Building fails only past the automaton's size limits,
            // far beyond any glossary: then nothing is marked up.
            AhoCorasick::builder()
                .match_kind(MatchKind::LeftmostLongest)
                .build(terms.iter().map(|t| t.term.as_str()))
                .ok()
        };
        Glossary { terms, matcher }
    }

    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// The terms in `text`, as whole words: (start, end, term index), where
    /// `end` takes in a plural `s`.
    fn find<'t>(&'t self, text: &'t str) -> impl Iterator<Item = (usize, usize, usize)> + 't {
        let bytes = text.as_bytes();
        let word = |b: u8| b.is_ascii_alphanumeric() || b >= 0x80;
        self.matcher
            .iter()
            .flat_map(move |m| m.find_iter(text))
            .filter_map(move |m| {
                let (start, mut end) = (m.start(), m.end());
                if start > 0 && word(bytes[start - 1]) {
                    return None;
                }
                if end < bytes.len() && bytes[end] == b's' {
                    end += 1;
                }
                if end < bytes.len() && word(bytes[end]) {
                    return None;
                }
                Some((start, end, m.pattern().as_usize()))
            })
    }

    /// Plain text (a YAML field) as HTML: escaped, with each term marked up.
    pub fn mark_text(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len() + 16);
        let mut last = 0;
        for (start, end, t) in self.find(text) {
            out.push_str(&crate::html::escape_html(&text[last..start]));
            self.push_abbr(&text[start..end], t, &mut out);
            last = end;
        }
        out.push_str(&crate::html::escape_html(&text[last..]));
        out
    }

    fn push_abbr(&self, written: &str, t: usize, out: &mut String) {
        out.push_str("<abbr title=\"");
        out.push_str(&crate::html::escape_html(&self.terms[t].expansion));
        out.push_str("\">");
        out.push_str(written);
        out.push_str("</abbr>");
    }

    /// Sanitised HTML (a Markdown body) with each term in its text marked up,
    /// and the first use of each spelled out ("expansion (TERM)") unless the
    /// body spells it out already. `None` when the body has no term, so that
    /// the caller keeps the body it has.
    pub fn mark_html(&self, html: &str) -> Option<String> {
        let matcher = self.matcher.as_ref()?;
        if !matcher.is_match(html) {
            return None;
        }
        let lower = html.to_lowercase();
        let mut spelled: Vec<bool> = self
            .terms
            .iter()
            .map(|t| lower.contains(&t.expansion.to_lowercase()))
            .collect();
        let mut out = String::with_capacity(html.len() + 64);
        let mut skipping: Vec<String> = Vec::new();
        let mut rest = html;
        let mut changed = false;
        while !rest.is_empty() {
            let text_end = rest.find('<').unwrap_or(rest.len());
            let text = &rest[..text_end];
            if skipping.is_empty() {
                let mut last = 0;
                for (start, end, t) in self.find(text) {
                    out.push_str(&text[last..start]);
                    if !spelled[t] {
                        spelled[t] = true;
                        let plural = if end - start > self.terms[t].term.len() {
                            "s"
                        } else {
                            ""
                        };
                        out.push_str(&crate::html::escape_html(&self.terms[t].expansion));
                        out.push_str(plural);
                        out.push_str(" (");
                        self.push_abbr(&text[start..end], t, &mut out);
                        out.push(')');
                    } else {
                        self.push_abbr(&text[start..end], t, &mut out);
                    }
                    last = end;
                    changed = true;
                }
                out.push_str(&text[last..]);
            } else {
                out.push_str(text);
            }
            rest = &rest[text_end..];
            if rest.is_empty() {
                break;
            }
            let tag_len = tag_length(rest);
            let tag = &rest[..tag_len];
            if let Some(name) = tag_name(tag) {
                let name = name.to_ascii_lowercase();
                if let Some(closed) = name.strip_prefix('/') {
                    if skipping.last().map(String::as_str) == Some(closed) {
                        skipping.pop();
                    }
                } else if SKIPPED.contains(&name.as_str()) && !tag.ends_with("/>") {
                    skipping.push(name);
                }
            }
            out.push_str(tag);
            rest = &rest[tag_len..];
        }
        changed.then_some(out)
    }
}

/// The length of the tag (or comment) at the start of `html`, quoted
/// attribute values included: a `>` inside quotes does not end it.
fn tag_length(html: &str) -> usize {
    if html.starts_with("<!--") {
        return html.find("-->").map_or(html.len(), |i| i + 3);
    }
    let mut quote: Option<u8> = None;
    for (i, &b) in html.as_bytes().iter().enumerate().skip(1) {
        match quote {
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None if b == b'"' || b == b'\'' => quote = Some(b),
            None if b == b'>' => return i + 1,
            None => {}
        }
    }
    html.len()
}

/// The element name of a start or end tag (`p`, `/p`); `None` for a comment.
fn tag_name(tag: &str) -> Option<&str> {
    let inner = tag.strip_prefix('<')?;
    let end = inner
        .find(|c: char| {
            c.is_ascii_whitespace() || c == '>' || (c == '/' && !inner.starts_with('/'))
        })
        .unwrap_or(inner.len());
    let name = &inner[..end];
    let bare = name.trim_start_matches('/');
    (!bare.is_empty() && bare.bytes().all(|b| b.is_ascii_alphanumeric())).then_some(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn glossary() -> Glossary {
        Glossary::new(vec![
            Term {
                term: "IDVA".into(),
                expansion: "independent domestic violence adviser".into(),
                explanation: "A specialist who supports you.".into(),
            },
            Term {
                term: "MARAC".into(),
                expansion: "multi-agency risk assessment conference".into(),
                explanation: "A meeting.".into(),
            },
            Term {
                term: "MARA".into(),
                expansion: "a shorter term".into(),
                explanation: "To test the longest match.".into(),
            },
        ])
    }

    const IDVA: &str = r#"<abbr title="independent domestic violence adviser">"#;

    #[test]
    fn text_fields_are_escaped_and_marked_up_as_whole_words_and_plurals() {
        let g = glossary();
        assert_eq!(
            g.mark_text("Ask an IDVA <now> & IDVAs, not IDVAX or xIDVA."),
            format!(
                "Ask an {IDVA}IDVA</abbr> &lt;now&gt; &amp; {IDVA}IDVAs</abbr>, not IDVAX or xIDVA."
            )
        );
        // The longest term wins, and case counts: "idva" is not the abbreviation.
        assert_eq!(
            g.mark_text("MARAC idva"),
            "<abbr title=\"multi-agency risk assessment conference\">MARAC</abbr> idva"
        );
        assert_eq!(Glossary::default().mark_text("IDVA & co"), "IDVA &amp; co");
    }

    #[test]
    fn a_bodys_first_use_is_spelled_out_and_later_ones_are_marked_up() {
        let g = glossary();
        let html = "<p>An IDVA calls. The IDVA listens. Two IDVAs.</p>";
        assert_eq!(
            g.mark_html(html).unwrap(),
            format!(
                "<p>An independent domestic violence adviser ({IDVA}IDVA</abbr>) calls. The {IDVA}IDVA</abbr> listens. Two {IDVA}IDVAs</abbr>.</p>"
            )
        );
        // A plural first use is spelled out in the plural.
        assert!(
            g.mark_html("<p>IDVAs help.</p>")
                .unwrap()
                .starts_with("<p>independent domestic violence advisers (")
        );
    }

    #[test]
    fn a_body_that_spells_a_term_out_itself_is_not_spelled_out_again() {
        let g = glossary();
        let html =
            "<p>Independent domestic violence advisers (IDVAs) help.</p><p>An IDVA calls.</p>";
        assert_eq!(
            g.mark_html(html).unwrap(),
            format!(
                "<p>Independent domestic violence advisers ({IDVA}IDVAs</abbr>) help.</p><p>An {IDVA}IDVA</abbr> calls.</p>"
            )
        );
    }

    #[test]
    fn tags_attributes_code_headings_and_existing_abbrs_are_left_alone() {
        let g = glossary();
        let html = concat!(
            r#"<h2 id="what-the-idva-does">What the IDVA does</h2>"#,
            r#"<p><a href="https://x.example/IDVA" title="a > IDVA">the IDVA site</a> "#,
            r#"<code>IDVA</code> <abbr title="x">IDVA</abbr> <!-- IDVA --></p>"#,
        );
        let out = g.mark_html(html).unwrap();
        assert_eq!(
            out,
            concat!(
                r#"<h2 id="what-the-idva-does">What the IDVA does</h2>"#,
                r#"<p><a href="https://x.example/IDVA" title="a > IDVA">the independent domestic violence adviser (<abbr title="independent domestic violence adviser">IDVA</abbr>) site</a> "#,
                r#"<code>IDVA</code> <abbr title="x">IDVA</abbr> <!-- IDVA --></p>"#,
            )
        );
    }

    #[test]
    fn a_body_without_terms_is_kept_as_it_is() {
        let g = glossary();
        assert_eq!(g.mark_html("<p>Nothing to mark.</p>"), None);
        assert_eq!(g.mark_html("<p>IDVAX only.</p>"), None);
        assert_eq!(Glossary::default().mark_html("<p>IDVA</p>"), None);
    }

    #[test]
    fn broken_markup_never_panics() {
        let g = glossary();
        for html in [
            "<",
            "<p",
            "IDVA <a href=\"x",
            "<!-- IDVA",
            "<>IDVA</>",
            "é IDVA é",
        ] {
            let _ = g.mark_html(html);
            let _ = g.mark_text(html);
        }
    }
}
