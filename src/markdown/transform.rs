//! The pass over pulldown-cmark's events that bounds nesting, makes ids and
//! notes what it refuses.

use std::ops::Range;

use pulldown_cmark::{CowStr, Event, LinkType, Tag, TagEnd};

use crate::diagnostics::Severity;

use super::*;

/// What became of a start tag, so that its end tag follows it.
#[derive(Clone, Copy, PartialEq)]
pub(super) enum Opened {
    Kept,
    /// A quote or list, counting towards the block depth.
    Block,
    /// Emphasis, counting towards the inline depth.
    Inline,
    /// A heading, moved down `shift` levels.
    Heading,
    /// A footnote definition, written as our own HTML.
    Footnote,
    /// Left out; its content stays. A list item left out ends with a space.
    Dropped {
        item: bool,
    },
}

/// Gives headings and footnotes their ids, bounds nesting, refuses images
/// from elsewhere and raw HTML nested too deep, writes task list markers
/// as text (a checkbox is a form control, and forms are refused), and makes
/// phone numbers and text codes in the text tappable (`phone::find`).
pub(super) fn transform<'a>(
    events: Vec<(Event<'a>, Range<usize>)>,
    ids: &Ids,
    raw: &RawHtml,
    problems: &mut Problems,
) -> Vec<Event<'a>> {
    let mut out = Vec::with_capacity(events.len());
    let mut headings = ids.headings.iter();
    let mut opened: Vec<Opened> = Vec::new();
    let (mut blocks, mut inlines) = (0usize, 0usize);
    let (mut warned_blocks, mut warned_inlines) = (false, false);
    // Inside a link, image or code block (Markdown's or raw HTML's `<a>`), text
    // stays as it is: a number there is already a link, or is code.
    let mut no_links = 0usize;
    for (event, range) in events {
        match &event {
            Event::Start(Tag::Link { .. } | Tag::Image { .. } | Tag::CodeBlock(_)) => no_links += 1,
            Event::End(TagEnd::Link | TagEnd::Image | TagEnd::CodeBlock) => {
                no_links = no_links.saturating_sub(1)
            }
            Event::Html(html) | Event::InlineHtml(html) => {
                no_links = raw_anchor_depth(no_links, html);
            }
            _ => {}
        }
        match event {
            Event::Start(tag) => {
                let how = match &tag {
                    Tag::BlockQuote(_) | Tag::List(_) if blocks >= MAX_NESTING => {
                        if !warned_blocks {
                            warned_blocks = true;
                            problems.push(
                                Severity::Warning,
                                Some(range.start),
                                format!("quotes and lists nested more than {MAX_NESTING} levels deep: the deeper levels are shown at level {MAX_NESTING}"),
                            );
                        }
                        Opened::Dropped { item: false }
                    }
                    Tag::BlockQuote(_) | Tag::List(_) => Opened::Block,
                    // An item goes with its list.
                    Tag::Item => match opened.last() {
                        Some(Opened::Dropped { .. }) => Opened::Dropped { item: true },
                        _ => Opened::Kept,
                    },
                    Tag::Emphasis | Tag::Strong | Tag::Strikethrough if inlines >= MAX_NESTING => {
                        if !warned_inlines {
                            warned_inlines = true;
                            problems.push(
                                Severity::Warning,
                                Some(range.start),
                                format!("emphasis nested more than {MAX_NESTING} levels deep: the deeper levels are shown as plain text"),
                            );
                        }
                        Opened::Dropped { item: false }
                    }
                    Tag::Emphasis | Tag::Strong | Tag::Strikethrough => Opened::Inline,
                    Tag::Image { dest_url, .. } => match image_source(dest_url) {
                        ImageSource::Local => Opened::Kept,
                        kind => {
                            let (severity, message) = image_problem(dest_url, kind);
                            problems.push(severity, Some(range.start), message);
                            // Its description stays, as text.
                            Opened::Dropped { item: false }
                        }
                    },
                    Tag::Heading { .. } => Opened::Heading,
                    Tag::FootnoteDefinition(_) => Opened::Footnote,
                    _ => Opened::Kept,
                };
                match how {
                    Opened::Block => blocks += 1,
                    Opened::Inline => inlines += 1,
                    _ => {}
                }
                opened.push(how);
                match (how, tag) {
                    (Opened::Dropped { .. }, _) => {}
                    (
                        Opened::Heading,
                        Tag::Heading {
                            level,
                            classes,
                            attrs,
                            ..
                        },
                    ) => out.push(Event::Start(Tag::Heading {
                        level: shifted(level, ids.shift),
                        id: headings.next().map(|id| CowStr::from(id.clone())),
                        classes,
                        attrs,
                    })),
                    (Opened::Footnote, Tag::FootnoteDefinition(label)) => {
                        if let Some((number, id)) = ids.footnotes.get(label.as_ref()) {
                            out.push(Event::Html(CowStr::from(format!(
                                "<div class=\"footnote-definition\" id=\"{id}\"><sup class=\"footnote-definition-label\">{number}</sup>"
                            ))));
                        } else {
                            out.push(Event::Html(CowStr::Borrowed(
                                "<div class=\"footnote-definition\">",
                            )));
                        }
                    }
                    (
                        _,
                        Tag::Link {
                            link_type,
                            dest_url,
                            title,
                            id,
                        },
                    ) => {
                        // A link to a heading's explicit id as written.
                        let dest_url =
                            match dest_url.strip_prefix('#').and_then(|f| ids.aliases.get(f)) {
                                Some(made) => CowStr::from(format!("#{made}")),
                                None => dest_url,
                            };
                        out.push(Event::Start(Tag::Link {
                            link_type,
                            dest_url,
                            title,
                            id,
                        }));
                    }
                    (_, tag) => out.push(Event::Start(tag)),
                }
            }
            Event::End(end) => match opened.pop() {
                Some(Opened::Dropped { item }) => {
                    if item {
                        out.push(Event::SoftBreak);
                    }
                }
                Some(how) => {
                    match how {
                        Opened::Block => blocks = blocks.saturating_sub(1),
                        Opened::Inline => inlines = inlines.saturating_sub(1),
                        _ => {}
                    }
                    out.push(match (how, end) {
                        (Opened::Heading, TagEnd::Heading(level)) => {
                            Event::End(TagEnd::Heading(shifted(level, ids.shift)))
                        }
                        (Opened::Footnote, _) => Event::Html(CowStr::Borrowed("</div>\n")),
                        (_, end) => Event::End(end),
                    });
                }
                None => out.push(Event::End(end)),
            },
            Event::FootnoteReference(label) => match ids.footnotes.get(label.as_ref()) {
                Some((number, id)) => out.push(Event::InlineHtml(CowStr::from(format!(
                    "<sup class=\"footnote-reference\"><a href=\"#{id}\">{number}</a></sup>"
                )))),
                None => out.push(Event::Text(label)),
            },
            Event::TaskListMarker(done) => out.push(Event::Text(CowStr::Borrowed(if done {
                "☑ "
            } else {
                "☐ "
            }))),
            Event::Html(html) | Event::InlineHtml(html) if raw.too_deep => {
                out.push(Event::Text(html))
            }
            Event::Text(text) if no_links == 0 => push_with_phone_links(&mut out, text),
            other => out.push(other),
        }
    }
    out
}

/// `depth` after raw HTML that may open or close anchors (`<a ...>`, `</a>`).
fn raw_anchor_depth(mut depth: usize, html: &str) -> usize {
    let bytes = html.as_bytes();
    for (i, _) in html.match_indices('<') {
        let tag = &bytes[i + 1..];
        let closing = tag.first() == Some(&b'/');
        let name = if closing { &tag[1..] } else { tag };
        let is_anchor = name.first().is_some_and(|b| b.eq_ignore_ascii_case(&b'a'))
            && name
                .get(1)
                .is_none_or(|b| b.is_ascii_whitespace() || *b == b'>' || *b == b'/');
        if is_anchor {
            depth = if closing {
                depth.saturating_sub(1)
            } else {
                depth + 1
            };
        }
    }
    depth
}

/// Text, with each phone number or text code in it made a link.
fn push_with_phone_links<'a>(out: &mut Vec<Event<'a>>, text: CowStr<'a>) {
    let found = crate::phone::find(&text);
    if found.is_empty() {
        out.push(Event::Text(text));
        return;
    }
    let mut at = 0;
    for f in found {
        if f.range.start > at {
            out.push(Event::Text(CowStr::from(
                text[at..f.range.start].to_owned(),
            )));
        }
        out.push(Event::Start(Tag::Link {
            link_type: LinkType::Inline,
            dest_url: CowStr::from(f.href),
            title: CowStr::Borrowed(""),
            id: CowStr::Borrowed(""),
        }));
        out.push(Event::Text(CowStr::from(text[f.range.clone()].to_owned())));
        out.push(Event::End(TagEnd::Link));
        at = f.range.end;
    }
    if at < text.len() {
        out.push(Event::Text(CowStr::from(text[at..].to_owned())));
    }
}
