//! The content model: a loaded, validated site. Everything later stages need, and
//! nothing they must not publish (a confidential address never enters the model).

use std::collections::HashMap;
use std::sync::Arc;

use time::Date;

use crate::fields::Spanned;

#[derive(Debug, Clone)]
pub struct Site {
    pub config: SiteConfig,
    pub needs: Vec<Need>,
    pub areas: Vec<Area>,
    pub services: Vec<Service>,
    pub pathways: Vec<Pathway>,
    pub case_studies: Vec<CaseStudy>,
    pub pages: Vec<Page>,
    /// `content/glossary.yaml`: empty when the site has none.
    pub glossary: crate::glossary::Glossary,
    /// Slug → position, for the lookups rendering does per page.
    pub lookup: Lookup,
    /// Entries taken down (drafts left out, stories whose consent was
    /// withdrawn), so that a link to one is a warning, not a failed build.
    pub withdrawn: Withdrawn,
    /// In a translated site (a language after the main one): what is not
    /// translated yet. `None` in the main language.
    pub untranslated: Option<Arc<Untranslated>>,
    /// In the main language's site: the site in each other language, in
    /// `config.languages` order (`translate`). Always empty in those.
    pub translations: Vec<Site>,
}

/// The slugs of the entries of each kind that are not published this time.
#[derive(Debug, Clone, Default)]
pub struct Withdrawn {
    pub services: std::collections::HashSet<String>,
    pub pathways: std::collections::HashSet<String>,
    pub stories: std::collections::HashSet<String>,
    pub pages: std::collections::HashSet<String>,
}

/// What a translated site shows in the main language, for want of a translation.
#[derive(Debug, Clone, Default)]
pub struct Untranslated {
    /// The main language's tag, which marks the untranslated words (`lang`).
    pub main: String,
    /// Kind and slug of each original with no translation (`""` for the site
    /// settings and needs).
    pub items: std::collections::HashSet<(crate::kinds::ContentKind, String)>,
}

/// Positions of areas, services and needs by slug. A national corpus has
/// thousands of services, and pages look them up by slug many times each.
#[derive(Debug, Clone, Default)]
pub struct Lookup {
    areas: HashMap<String, usize>,
    services: HashMap<String, usize>,
    needs: HashMap<String, usize>,
}

#[derive(Debug, Clone)]
pub struct SiteConfig {
    pub title: String,
    pub publisher: String,
    /// The language of the pages: the main language, or, in a translated
    /// site, the translation's.
    pub language: String,
    /// Every language the guide is published in, the main one first.
    pub languages: Vec<String>,
    pub base_url: Option<String>,
    pub theme: String,
    pub review_after_months: u32,
    pub quick_exit_url: String,
    /// The services whose numbers every page shows under "Talk to someone
    /// now" (beside 999), most urgent first: national ones, since pages
    /// outside any area show them too. An area may name its own.
    pub urgent_help: Vec<Spanned<String>>,
    /// How readers reach the publisher (`contact` in site.yaml): the About and
    /// accessibility pages and each service's "Report a problem" link use it.
    /// Optional so that sites written before it keep building (with a warning).
    pub contact: Option<PublisherContact>,
    /// `editing:`: the browser editor, when the site has asked for one.
    pub editing: Option<Editing>,
}

/// Where the browser editor (Decap CMS, `output/admin/`) saves changes: a
/// Git host and the repository and branch that hold this site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Editing {
    /// `github`, `gitlab` or `bitbucket` (Decap's backend names).
    pub backend: String,
    /// `owner/name` (GitLab: `group/subgroup/name`).
    pub repo: String,
    pub branch: String,
}

/// The publisher's contact details: an email address, and optionally a phone
/// number and a postal address.
#[derive(Debug, Clone, Default)]
pub struct PublisherContact {
    pub email: String,
    pub phone: Option<String>,
    pub address: Option<String>,
}

/// Stands in for a `last_reviewed` that could not be read (the problem is already
/// reported, so such a site never builds); the stale check skips it.
pub const UNREADABLE_DATE: Date = Date::MIN;

pub const DEFAULT_QUICK_EXIT_URL: &str = "https://www.bbc.co.uk/weather";

#[derive(Debug, Clone)]
pub struct Need {
    pub slug: String,
    pub name: String,
    pub description: String,
}

#[derive(Debug, Clone)]
pub struct Area {
    pub slug: String,
    pub file: String,
    pub name: String,
    pub council: String,
    pub summary: String,
    pub emergency: String,
    /// This area's "Talk to someone now" services, most urgent first; `None`
    /// to use the site's.
    pub urgent_help: Option<Vec<Spanned<String>>>,
}

impl Area {
    /// The services named for "Talk to someone now" on this area's pages.
    pub fn urgent_help<'a>(&'a self, config: &'a SiteConfig) -> &'a [Spanned<String>] {
        self.urgent_help.as_deref().unwrap_or(&config.urgent_help)
    }
}

/// Where a service works: everywhere (`areas: all`, a national helpline) or in listed areas.
#[derive(Debug, Clone, PartialEq)]
pub enum Coverage {
    National,
    Areas(Vec<Spanned<String>>),
}

impl Coverage {
    pub fn serves(&self, area: &str) -> bool {
        match self {
            Coverage::National => true,
            Coverage::Areas(list) => list.iter().any(|a| a.value == area),
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct Contact {
    pub phone: Option<String>,
    pub email: Option<String>,
    pub website: Option<String>,
    pub text: Option<String>,
    pub notes: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Location {
    pub name: String,
    /// Always `None` for a confidential location.
    pub address: Option<String>,
    /// Always `None` for a confidential location.
    pub postcode: Option<String>,
    pub confidential: bool,
    /// A confidential location's address and postcode as written, kept only
    /// from loading to the check that refuses them anywhere else in the site
    /// (`confidential::find_leaks`), which empties it: the assembled site never
    /// holds them, so no later stage can publish them.
    pub withheld: Vec<crate::fields::Spanned<String>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Weekday {
    Mon,
    Tue,
    Wed,
    Thu,
    Fri,
    Sat,
    Sun,
}

impl Weekday {
    pub const ALL: [(&'static str, Weekday, &'static str); 7] = [
        ("mon", Weekday::Mon, "Monday"),
        ("tue", Weekday::Tue, "Tuesday"),
        ("wed", Weekday::Wed, "Wednesday"),
        ("thu", Weekday::Thu, "Thursday"),
        ("fri", Weekday::Fri, "Friday"),
        ("sat", Weekday::Sat, "Saturday"),
        ("sun", Weekday::Sun, "Sunday"),
    ];

    pub fn from_code(code: &str) -> Option<Weekday> {
        Weekday::ALL
            .iter()
            .find(|(c, _, _)| *c == code)
            .map(|(_, d, _)| *d)
    }

    pub fn name(self) -> &'static str {
        Weekday::ALL[self as usize].2
    }

    /// `mon`, `tue`...: as content writes it, and as themes word it.
    pub fn code(self) -> &'static str {
        Weekday::ALL[self as usize].0
    }
}

#[derive(Debug, Clone)]
pub struct Hours {
    /// Sorted, without repeats.
    pub days: Vec<Weekday>,
    pub opens: String,
    pub closes: String,
}

#[derive(Debug, Clone)]
pub struct Service {
    pub slug: String,
    pub file: String,
    pub name: String,
    pub organisation: String,
    pub summary: String,
    pub coverage: Coverage,
    pub needs: Vec<Spanned<String>>,
    pub self_referral: bool,
    pub professional_referral: bool,
    pub referral_notes: Option<String>,
    pub women_only: bool,
    pub eligibility: Option<String>,
    pub contact: Contact,
    pub locations: Vec<Location>,
    pub hours: Vec<Hours>,
    pub hours_notes: Option<String>,
    pub languages: Vec<String>,
    pub cost: String,
    pub last_reviewed: Date,
    pub last_reviewed_pos: crate::diagnostics::Pos,
    /// Who owns the entry and reviews it (an email address): for the review
    /// round (`signpost review`), never published.
    pub reviewer: Option<String>,
    pub draft: bool,
    pub body: Markdown,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    Women,
    Professionals,
}

/// Where a pathway applies: one area, or every area (`area: all`).
#[derive(Debug, Clone, PartialEq)]
pub enum PathwayArea {
    All,
    One(Spanned<String>),
}

#[derive(Debug, Clone)]
pub struct Step {
    pub id: Spanned<String>,
    pub title: String,
    pub text: Markdown,
    pub services: Vec<Spanned<String>>,
    /// `None` when not written: the route goes on to the following step.
    pub next: Option<Vec<Spanned<String>>>,
    pub when: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Pathway {
    pub slug: String,
    pub file: String,
    pub title: String,
    pub area: PathwayArea,
    pub needs: Vec<Spanned<String>>,
    pub audience: Option<Audience>,
    pub summary: Option<String>,
    pub steps: Vec<Step>,
    /// Optional here, unlike on services: for the review round.
    pub last_reviewed: Option<Date>,
    /// `draft: true`: left out of the published guide (unless `--drafts`).
    pub draft: bool,
    pub body: Markdown,
}

impl Service {
    /// Open round the clock every day of the week.
    pub fn open_24_hours(&self) -> bool {
        let mut days = [false; 7];
        for h in self
            .hours
            .iter()
            .filter(|h| h.opens == "00:00" && h.closes == "24:00")
        {
            for d in &h.days {
                days[*d as usize] = true;
            }
        }
        days.iter().all(|&d| d)
    }

    /// A number she can call or text: what "Talk to someone now" shows.
    pub fn can_be_called(&self) -> bool {
        self.contact.phone.is_some() || self.contact.text.is_some()
    }
}

impl Pathway {
    pub fn applies_to(&self, area: &str) -> bool {
        match &self.area {
            PathwayArea::All => true,
            PathwayArea::One(a) => a.value == area,
        }
    }

    /// The ids a step leads on to, with the default (the following step) filled in.
    pub fn next_of(&self, index: usize) -> Vec<&Spanned<String>> {
        match &self.steps[index].next {
            Some(next) => next.iter().collect(),
            None => self
                .steps
                .get(index + 1)
                .map(|s| &s.id)
                .into_iter()
                .collect(),
        }
    }
}

#[derive(Debug, Clone)]
pub struct CaseStudy {
    pub slug: String,
    pub file: String,
    pub title: String,
    pub areas: Vec<Spanned<String>>,
    pub needs: Vec<Spanned<String>>,
    pub services: Vec<Spanned<String>>,
    pub summary: Option<String>,
    /// Optional: for the review round.
    pub last_reviewed: Option<Date>,
    /// `draft: true`: left out of the published guide (unless `--drafts`).
    pub draft: bool,
    pub body: Markdown,
}

#[derive(Debug, Clone)]
pub struct Page {
    pub slug: String,
    pub file: String,
    pub title: String,
    pub summary: Option<String>,
    /// Optional: for the review round.
    pub last_reviewed: Option<Date>,
    /// `draft: true`: left out of the published guide (unless `--drafts`).
    pub draft: bool,
    pub body: Markdown,
}

/// A translation as read: the words of one original file in another
/// language, each with its place (`translate` lays them over the original).
#[derive(Debug, Clone)]
pub struct Translation {
    pub kind: crate::kinds::ContentKind,
    /// The original's slug; empty for `site` and `needs`.
    pub slug: String,
    pub lang: String,
    /// The translation's own path, for diagnostics.
    pub file: String,
    /// Each word by its place in the original: `name`, `contact.notes`,
    /// `steps.<id>.title` (and `steps.<id>` for the step itself, at its id),
    /// `needs.<slug>.name` (and `needs.<slug>`).
    pub words: Vec<(String, Spanned<String>)>,
    /// The body, when it has one.
    pub body: Option<Markdown>,
}

/// Markdown source and, once the Markdown stage has run, its sanitised HTML.
/// Shared, not copied, when the model is cloned: `serve` clones the whole
/// model from its cache on every reload, and bodies are most of its bytes.
#[derive(Debug, Clone, Default)]
pub struct Markdown {
    pub source: Arc<str>,
    pub html: Arc<str>,
    /// Where the source stands in its file, to place diagnostics.
    pub origin: crate::markdown::Origin,
    /// What rendering refused or changed, at file positions.
    pub problems: Arc<[crate::markdown::Problem]>,
    /// The links in it to pages of the guide (not to other sites), for
    /// `links::check` once the whole site is known.
    pub links: Arc<[crate::markdown::Link]>,
}

impl Markdown {
    pub fn new(source: impl Into<String>) -> Markdown {
        Markdown {
            source: Arc::from(source.into()),
            ..Markdown::default()
        }
    }

    /// The body of a file: `body` is the tail of the file's `text`.
    pub fn file_body(text: &str, body: &str) -> Markdown {
        let before = text.len().saturating_sub(body.len());
        let line = text.as_bytes()[..before]
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
            + 1;
        Markdown {
            origin: crate::markdown::Origin::Body { line },
            ..Markdown::new(body)
        }
    }

    /// A front-matter field's text, such as a pathway step's, at `pos`.
    pub fn field(text: impl Into<String>, pos: crate::diagnostics::Pos) -> Markdown {
        Markdown {
            origin: crate::markdown::Origin::Field(pos),
            ..Markdown::new(text)
        }
    }
}

impl Site {
    /// Puts each list in the order pages show it (by name, in the site's
    /// language), then rebuilds the slug lookups.
    pub fn sort_entries(&mut self) {
        self.areas.sort_by(|a, b| a.name.cmp(&b.name));
        self.services.sort_by_cached_key(|a| a.name.to_lowercase());
        self.pathways.sort_by(|a, b| a.title.cmp(&b.title));
        self.case_studies.sort_by(|a, b| a.title.cmp(&b.title));
        self.pages.sort_by(|a, b| a.title.cmp(&b.title));
        self.reindex();
    }

    /// Where this site's language is published, relative to the output
    /// root: `""` for the main language, `cy/` for Welsh.
    pub fn language_root(&self) -> String {
        if self.untranslated.is_some() {
            crate::urls::language_root(&self.config.language)
        } else {
            String::new()
        }
    }

    /// Rebuilds the slug lookups; call after the lists change order.
    pub fn reindex(&mut self) {
        fn positions<T>(items: &[T], slug: impl Fn(&T) -> &str) -> HashMap<String, usize> {
            items
                .iter()
                .enumerate()
                .map(|(i, item)| (slug(item).to_owned(), i))
                .collect()
        }
        self.lookup = Lookup {
            areas: positions(&self.areas, |a| &a.slug),
            services: positions(&self.services, |s| &s.slug),
            needs: positions(&self.needs, |n| &n.slug),
        };
    }

    pub fn service_index(&self, slug: &str) -> Option<usize> {
        self.lookup.services.get(slug).copied()
    }

    pub fn area_index(&self, slug: &str) -> Option<usize> {
        self.lookup.areas.get(slug).copied()
    }

    pub fn need_index(&self, slug: &str) -> Option<usize> {
        self.lookup.needs.get(slug).copied()
    }

    pub fn need(&self, slug: &str) -> Option<&Need> {
        self.lookup.needs.get(slug).map(|&i| &self.needs[i])
    }

    pub fn area(&self, slug: &str) -> Option<&Area> {
        self.area_index(slug).map(|i| &self.areas[i])
    }

    pub fn service(&self, slug: &str) -> Option<&Service> {
        self.service_index(slug).map(|i| &self.services[i])
    }

    /// The language an entry's words are in when it is not the page's: the
    /// main language's tag, in a translated site, for an entry not translated yet.
    pub fn fallback_lang(&self, kind: crate::kinds::ContentKind, slug: &str) -> Option<&str> {
        let u = self.untranslated.as_deref()?;
        u.items
            .contains(&(kind, slug.to_owned()))
            .then_some(u.main.as_str())
    }

    pub fn page(&self, slug: &str) -> Option<&Page> {
        self.pages.iter().find(|p| p.slug == slug)
    }
}

/// The slug of the page every page links to, for a woman whose browser may be checked.
pub const COVER_YOUR_TRACKS: &str = "cover-your-tracks";

/// The slug of the accessibility statement, which a public sector body's site
/// must publish (the 2018 accessibility regulations, regulation 8).
pub const ACCESSIBILITY_STATEMENT: &str = "accessibility-statement";
