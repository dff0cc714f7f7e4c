//! Raw HTML in Markdown, read before the sanitiser sees it: its nesting is
//! bounded, and images from other hosts are told apart.

use std::borrow::Cow;
use std::ops::Range;

use pulldown_cmark::Event;

use crate::diagnostics::Severity;

use super::*;

/// Where an image comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum ImageSource {
    /// A path on the guide's own site.
    Local,
    /// Another host: an absolute URL, a protocol-relative `//host/...`, or any
    /// scheme the browser would follow.
    Remote,
    /// A `data:` URL: the image is in the text itself.
    Data,
}

/// Reads an image URL as a browser would: tabs and newlines inside it are
/// dropped, spaces and control characters around it trimmed, and `\` is `/`.
pub(super) fn image_source(url: &str) -> ImageSource {
    let url: String = url
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let url = url.trim_matches(|c: char| c <= ' ').replace('\\', "/");
    if url.starts_with("//") {
        return ImageSource::Remote;
    }
    let scheme_end =
        url.find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')));
    match scheme_end {
        Some(end) if end > 0 && url[end..].starts_with(':') => {
            if url[..end].eq_ignore_ascii_case("data") {
                ImageSource::Data
            } else {
                ImageSource::Remote
            }
        }
        _ => ImageSource::Local,
    }
}

/// What to say of an image that is not local. One from another host is an
/// error: the request would tell that host who reads the guide. A `data:` URL
/// asks nothing of anyone, so it is only a warning, but it is removed all the
/// same: the sanitiser cannot see inside it (an SVG can hold script), and an
/// image in the text is one nobody reviews as a file.
pub(super) fn image_problem(url: &str, kind: ImageSource) -> (Severity, String) {
    let mut shown: String = url.chars().take(80).collect();
    if shown.len() < url.len() {
        shown.push('…');
    }
    match kind {
        ImageSource::Data => (Severity::Warning, "an image written into the text as a `data:` URL is removed: save it as a file in the theme's `static` folder and link it with a relative path".to_owned()),
        _ => (Severity::Error, format!("the image \"{shown}\" is on another host, so it is removed: pages load nothing from other sites, since the request would tell that site who is reading; save the image in the theme's `static` folder and link it with a relative path")),
    }
}

/// Elements that never have content: they do not nest.
#[rustfmt::skip]
pub(super) const VOID: &[&str] = &[
    "area", "base", "basefont", "bgsound", "br", "col", "embed", "frame", "hr", "image", "img",
    "input", "keygen", "link", "meta", "param", "source", "track", "wbr",
];

/// Elements that the next of their kind closes (`<p>a<p>b`): they do not nest
/// by themselves, so counting them would only count paragraphs.
#[rustfmt::skip]
pub(super) const SELF_CLOSING: &[&str] = &[
    "p", "li", "dt", "dd", "option", "optgroup", "rb", "rt", "rtc", "rp", "tr", "td", "th",
    "thead", "tbody", "tfoot", "caption", "colgroup", "html", "head", "body",
];

/// Elements whose content is text up to their end tag.
#[rustfmt::skip]
pub(super) const RAW_TEXT: &[&str] = &[
    "script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "noscript",
];

/// Elements an end tag of another name does not close past ("special" in the
/// HTML parsing rules), and those no end tag closes past ("scope" boundaries).
#[rustfmt::skip]
pub(super) const SPECIAL: &[&str] = &[
    "address", "applet", "area", "article", "aside", "base", "basefont", "bgsound",
    "blockquote", "body", "br", "button", "caption", "center", "col", "colgroup", "dd",
    "details", "dir", "div", "dl", "dt", "embed", "fieldset", "figcaption", "figure", "footer",
    "form", "frame", "frameset", "h1", "h2", "h3", "h4", "h5", "h6", "head", "header",
    "hgroup", "hr", "html", "iframe", "img", "input", "keygen", "li", "link", "listing",
    "main", "marquee", "menu", "meta", "nav", "noembed", "noframes", "noscript", "object",
    "ol", "p", "param", "plaintext", "pre", "script", "search", "section", "select", "source",
    "style", "summary", "table", "tbody", "td", "template", "textarea", "tfoot", "th", "thead",
    "title", "tr", "track", "ul", "wbr", "xmp",
];
#[rustfmt::skip]
pub(super) const SCOPE: &[&str] = &[
    "applet", "caption", "html", "table", "td", "th", "marquee", "object", "template",
];

/// What a scan of a text's raw HTML found.
#[derive(Default)]
pub(super) struct RawHtml {
    /// Raw HTML nests deeper than [`MAX_NESTING`]: show it as text.
    pub(super) too_deep: bool,
    /// Images from other hosts the scan reported.
    pub(super) remote_images: usize,
}

/// One tag in raw HTML.
pub(super) struct RawTag<'a> {
    pub(super) at: usize,
    pub(super) name: String,
    pub(super) closing: bool,
    /// An image's `src`, its character references decoded.
    pub(super) src: Option<Cow<'a, str>>,
}

impl RawHtml {
    /// Reads the raw HTML of a text, in the events' order, for form controls,
    /// images from elsewhere and the depth its elements nest to. The depth is
    /// counted as the HTML parser would build it, erring high: an end tag closes
    /// only what the parser would let it close.
    pub(super) fn scan(
        source: &str,
        events: &[(Event, Range<usize>)],
        problems: &mut Problems,
    ) -> RawHtml {
        // The raw HTML, joined, with where each piece stands in the source.
        let mut text = String::new();
        let mut pieces: Vec<(usize, usize, bool)> = Vec::new();
        for (event, range) in events {
            if let Event::Html(html) | Event::InlineHtml(html) = event {
                let exact = source.get(range.clone()) == Some(html.as_ref());
                pieces.push((text.len(), range.start, exact));
                text.push_str(html);
            }
        }
        let mut found = RawHtml::default();
        if text.is_empty() {
            return found;
        }
        let place = |at: usize| {
            let i = pieces.partition_point(|p| p.0 <= at).saturating_sub(1);
            pieces
                .get(i)
                .map(|&(start, src, exact)| if exact { src + (at - start) } else { src })
        };
        let mut open: Vec<String> = Vec::new();
        scan_tags(&text, |tag| {
            if tag.closing {
                // Close up to the nearest open element of that name, unless
                // the parser would stop first.
                let special = SPECIAL.contains(&tag.name.as_str());
                for i in (0..open.len()).rev() {
                    let here = open[i].as_str();
                    if here == tag.name {
                        open.truncate(i);
                        break;
                    }
                    if SCOPE.contains(&here) || (!special && SPECIAL.contains(&here)) {
                        break;
                    }
                }
                return;
            }
            if FORM_CONTROLS.contains(&tag.name.as_str()) {
                problems.push(
                    Severity::Error,
                    place(tag.at),
                    format!(
                        "a form control (<{}>) in the text is removed: a guide holds no forms, since one could collect a woman's details for someone else; give a phone number, email or web address instead",
                        tag.name
                    ),
                );
            }
            if let Some(src) = tag.src {
                let kind = image_source(&src);
                if kind != ImageSource::Local {
                    found.remote_images += usize::from(kind == ImageSource::Remote);
                    let (severity, message) = image_problem(&src, kind);
                    problems.push(severity, place(tag.at), message);
                }
            }
            let name = tag.name.as_str();
            if !found.too_deep && !VOID.contains(&name) && !SELF_CLOSING.contains(&name) {
                open.push(tag.name);
                if open.len() > MAX_NESTING {
                    found.too_deep = true;
                    problems.push(
                        Severity::Warning,
                        place(tag.at),
                        format!("raw HTML nested more than {MAX_NESTING} elements deep: this text's HTML is shown as text, not used; close the elements you open"),
                    );
                }
            }
        });
        found
    }
}

/// An attribute value with the character references a URL could hide behind
/// decoded: numeric ones, and the named ones for `/`, `:`, `.`, `&`, tab and
/// newline. (The sanitiser catches any other, and it is reported at the start
/// of the text.)
pub(super) fn decode_references(value: &str) -> Cow<'_, str> {
    if !value.contains('&') {
        return Cow::Borrowed(value);
    }
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let name_end = rest[1..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '#'))
            .map_or(rest.len(), |e| e + 1);
        let name = &rest[1..name_end];
        let numeric = name
            .strip_prefix("#x")
            .or_else(|| name.strip_prefix("#X"))
            .map(|hex| u32::from_str_radix(hex, 16))
            .or_else(|| name.strip_prefix('#').map(str::parse::<u32>));
        let decoded = match numeric {
            Some(Ok(n)) => char::from_u32(n),
            Some(Err(_)) => None,
            None => match name {
                "sol" => Some('/'),
                "colon" => Some(':'),
                "period" => Some('.'),
                "amp" => Some('&'),
                "Tab" => Some('\t'),
                "NewLine" => Some('\n'),
                _ => None,
            },
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &rest[name_end..];
                rest = rest.strip_prefix(';').unwrap_or(rest);
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// Calls `f` on every tag of `html`, in order, skipping comments, doctypes and
/// the text inside `<script>`, `<textarea>` and the like. Reads each byte once.
pub(super) fn scan_tags<'a>(html: &'a str, mut f: impl FnMut(RawTag<'a>)) {
    let bytes = html.as_bytes();
    let lower = html.to_ascii_lowercase();
    let len = bytes.len();
    let skip_to = |from: usize, pattern: &str, past: bool| {
        lower
            .get(from..)
            .and_then(|rest| rest.find(pattern))
            .map_or(len, |at| from + at + if past { pattern.len() } else { 0 })
    };
    let mut i = 0;
    while let Some(found) = html.get(i..).and_then(|rest| rest.find('<')) {
        let lt = i + found;
        let rest = &bytes[lt..];
        if rest.starts_with(b"<!--") {
            // `<!-->` and `<!--->` are whole (empty) comments.
            i = match &rest[4..] {
                [b'>', ..] => lt + 5,
                [b'-', b'>', ..] => lt + 6,
                _ => skip_to(lt + 4, "-->", true),
            };
            continue;
        }
        if matches!(rest.get(1), Some(b'!' | b'?')) {
            i = skip_to(lt + 1, ">", true);
            continue;
        }
        let closing = rest.get(1) == Some(&b'/');
        let name_start = lt + 1 + usize::from(closing);
        if !bytes.get(name_start).is_some_and(u8::is_ascii_alphabetic) {
            i = lt + 1;
            continue;
        }
        let ends_name = |b: u8| b.is_ascii_whitespace() || b == b'/' || b == b'>';
        let mut j = name_start;
        while j < len && !ends_name(bytes[j]) {
            j += 1;
        }
        let name = lower[name_start..j].to_owned();
        let mut src = None;
        // Attributes, up to the `>` that is not inside a quoted value.
        loop {
            while j < len && (bytes[j].is_ascii_whitespace() || bytes[j] == b'/') {
                j += 1;
            }
            if j >= len || bytes[j] == b'>' {
                break;
            }
            let attr_start = j;
            j += 1; // The first character is part of the name, even `=`.
            while j < len && !ends_name(bytes[j]) && bytes[j] != b'=' {
                j += 1;
            }
            let attr = &lower[attr_start..j];
            while j < len && bytes[j].is_ascii_whitespace() {
                j += 1;
            }
            if bytes.get(j) != Some(&b'=') {
                continue;
            }
            j += 1;
            while j < len && bytes[j].is_ascii_whitespace() {
                j += 1;
            }
            let value = match bytes.get(j) {
                Some(&quote @ (b'"' | b'\'')) => {
                    let end = html[j + 1..]
                        .find(char::from(quote))
                        .map_or(len, |e| j + 1 + e);
                    let value = &html[j + 1..end];
                    j = (end + 1).min(len);
                    value
                }
                _ => {
                    let start = j;
                    while j < len && !bytes[j].is_ascii_whitespace() && bytes[j] != b'>' {
                        j += 1;
                    }
                    &html[start..j]
                }
            };
            // The parser keeps the first of two attributes of one name.
            if attr == "src" && src.is_none() && matches!(name.as_str(), "img" | "image") {
                src = Some(decode_references(value));
            }
        }
        i = (j + 1).min(len);
        let raw_text = !closing && RAW_TEXT.contains(&name.as_str());
        let plaintext = !closing && name == "plaintext";
        let end_tag = format!("</{name}");
        f(RawTag {
            at: lt,
            name,
            closing,
            src,
        });
        if plaintext {
            return;
        }
        if raw_text {
            i = skip_to(i, &end_tag, false);
        }
    }
}
