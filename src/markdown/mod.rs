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

use pulldown_cmark::{Event, Options, Parser};

use crate::diagnostics::{Diagnostics, Pos, Severity};
use crate::model::{CaseStudy, Markdown, Page, Pathway, Service, Site};

mod ids;
mod raw_html;
#[cfg(test)]
mod tests;
mod transform;

use ids::*;
pub use ids::{demote_headings, prefix_ids};
use raw_html::*;
use transform::*;

/// How deep quotes and lists, emphasis, and raw HTML elements may nest. Content
/// has no use for more, and each level costs the HTML parser time on every
/// element inside it.
pub const MAX_NESTING: usize = 16;

/// Problems reported per body, beyond which one line counts the rest.
pub(super) const MAX_PROBLEMS: usize = 20;

/// Ids the default theme gives the page around a body that stands alone (the
/// skip link's target, the emergency label): a heading "Main" must not take them.
pub(super) const RESERVED_IDS: &[&str] = &["main", "emergency-label", "urgent-title"];

/// Elements that make a form. A form in a guide for women at risk could collect
/// a woman's details for someone else.
#[rustfmt::skip]
pub(super) const FORM_CONTROLS: &[&str] = &[
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

/// A link written in a text to somewhere in the guide: relative
/// (`../open-road/`) or from the site's root (`/essex/`), as written, with
/// its place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub dest: String,
    pub pos: Option<Pos>,
}

/// Whether a link's destination is in the guide: not another site (`https:`,
/// `mailto:`, `//host`), and not only a fragment of the page it is on.
pub fn is_internal(dest: &str) -> bool {
    let scheme = dest
        .split_once(':')
        .is_some_and(|(s, _)| !s.is_empty() && !s.contains(['/', '?', '#']));
    !scheme && !dest.starts_with("//") && !dest.starts_with('#') && !dest.trim().is_empty()
}

/// Sanitised HTML, and what was refused on the way.
#[derive(Debug, Default)]
pub struct Rendered {
    pub html: String,
    pub problems: Vec<Problem>,
    pub links: Vec<Link>,
}

/// What the sanitiser's attribute filter needs to know about the body being
/// cleaned. ammonia's builder is shared, so this is per thread, set just
/// before `clean` and read just after.
#[derive(Default)]
pub(super) struct Cleaning {
    /// The ids rendering made (any other came from raw HTML), each with
    /// whether the sanitiser has met it yet.
    pub(super) made: HashMap<String, bool>,
    pub(super) refused_images: usize,
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

/// The Markdown extensions Signpost turns on (the growth benchmark uses them too).
pub fn options() -> Options {
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
    body.links = rendered.links.into();
}

/// An entry with Markdown in it. This is the one place that says which fields
/// of each kind are Markdown, and the id prefix each gets (a pathway's
/// introduction and its steps' texts share its page, so each has its own).
pub trait WithMarkdown {
    /// Each Markdown field, with its id prefix ("" when its page is its own).
    fn markdown_fields(&mut self) -> Vec<(&mut Markdown, String)>;

    /// Renders every Markdown field not rendered yet (`serve` keeps the ones
    /// it rendered when the file was last read).
    fn render_markdown(&mut self) {
        for (body, ids) in self.markdown_fields() {
            if body.html.is_empty() {
                render_body(body, &ids);
            }
        }
    }
}

impl WithMarkdown for Service {
    fn markdown_fields(&mut self) -> Vec<(&mut Markdown, String)> {
        vec![(&mut self.body, String::new())]
    }
}

impl WithMarkdown for CaseStudy {
    fn markdown_fields(&mut self) -> Vec<(&mut Markdown, String)> {
        vec![(&mut self.body, String::new())]
    }
}

impl WithMarkdown for Page {
    fn markdown_fields(&mut self) -> Vec<(&mut Markdown, String)> {
        vec![(&mut self.body, String::new())]
    }
}

impl WithMarkdown for Pathway {
    fn markdown_fields(&mut self) -> Vec<(&mut Markdown, String)> {
        let slug = self.slug.clone();
        let mut fields = vec![(&mut self.body, pathway_ids(&slug))];
        for step in &mut self.steps {
            let ids = step_ids(&slug, &step.id.value);
            fields.push((&mut step.text, ids));
        }
        fields
    }
}

/// Reports what rendering refused in every body of the site, at its place. A
/// draft's problems are warnings: it is not published.
pub fn report(site: &Site, diags: &mut Diagnostics) {
    let mut put = |file: &str, body: &Markdown, draft: bool| report_body(file, body, draft, diags);
    for s in &site.services {
        put(&s.file, &s.body, s.draft);
    }
    for p in &site.pathways {
        put(&p.file, &p.body, p.draft);
        for step in &p.steps {
            put(&p.file, &step.text, p.draft);
        }
    }
    for c in &site.case_studies {
        put(&c.file, &c.body, c.draft);
    }
    for p in &site.pages {
        put(&p.file, &p.body, p.draft);
    }
}

/// Reports what rendering found in one body of `file` (warnings only, in a draft).
pub fn report_body(file: &str, body: &Markdown, draft: bool, diags: &mut Diagnostics) {
    for p in body.problems.iter() {
        if draft || p.severity == Severity::Warning {
            diags.warning(file, p.pos, p.message.clone());
        } else {
            diags.error(file, p.pos, p.message.clone());
        }
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
    let links = events
        .iter()
        .filter_map(|(event, range)| match event {
            Event::Start(pulldown_cmark::Tag::Link { dest_url, .. }) if is_internal(dest_url) => {
                Some(Link {
                    dest: dest_url.to_string(),
                    pos: problems.pos_of(Some(range.start)),
                })
            }
            _ => None,
        })
        .collect();
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
        links,
    }
}

/// The problems of one text, placed in its file.
pub(super) struct Problems<'a> {
    pub(super) source: &'a str,
    pub(super) origin: Origin,
    pub(super) list: Vec<Problem>,
    pub(super) more: usize,
    pub(super) more_errors: bool,
}

impl<'a> Problems<'a> {
    pub(super) fn new(source: &'a str, origin: Origin) -> Self {
        Problems {
            source,
            origin,
            list: Vec::new(),
            more: 0,
            more_errors: false,
        }
    }

    /// Adds a problem at a byte offset of the source (or without a place).
    pub(super) fn push(&mut self, severity: Severity, offset: Option<usize>, message: String) {
        if self.list.len() >= MAX_PROBLEMS {
            self.more += 1;
            self.more_errors |= severity == Severity::Error;
            return;
        }
        let pos = self.pos_of(offset);
        self.list.push(Problem {
            severity,
            pos,
            message,
        });
    }

    /// The file position of a byte offset of the source.
    pub(super) fn pos_of(&self, offset: Option<usize>) -> Option<Pos> {
        match (self.origin, offset) {
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
        }
    }

    pub(super) fn finish(mut self) -> Vec<Problem> {
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
