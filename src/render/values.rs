//! The values templates see (documented in docs/themes.md), made from the
//! site for one page at a time.

use std::collections::HashMap;

use serde::Serialize;
use tera::{Context, Value};

use crate::markdown;
use crate::model::*;
use crate::urls;

use super::fragments::{Components, FragmentKind};
use super::index::Kept;
use super::{RenderError, SiteIndex};
use crate::phone::tel_uri_number;

// ---- ValueBuilder: what templates see (documented in docs/themes.md). ----

#[derive(Serialize)]
pub(super) struct SiteView<'a> {
    pub(super) title: &'a str,
    pub(super) publisher: &'a str,
    /// The footer's line, in the page's language: "Support for women is
    /// published by Essex County Council." (the `published_by` words).
    pub(super) published_by: String,
    pub(super) language: &'a str,
    pub(super) quick_exit_url: &'a str,
    /// The publisher's contact details; `none` when site.yaml has none.
    pub(super) contact: Option<PublisherContactView<'a>>,
}

#[derive(Serialize)]
pub(super) struct PublisherContactView<'a> {
    pub(super) email: &'a str,
    pub(super) phone: Option<PhoneView<'a>>,
    pub(super) address: Option<&'a str>,
}

impl<'a> SiteView<'a> {
    pub(super) fn new(c: &'a SiteConfig) -> Self {
        SiteView {
            title: &c.title,
            publisher: &c.publisher,
            published_by: crate::words::word_with(
                "published_by",
                &[("title", &c.title), ("publisher", &c.publisher)],
            ),
            language: &c.language,
            quick_exit_url: &c.quick_exit_url,
            contact: c.contact.as_ref().map(|contact| PublisherContactView {
                email: &contact.email,
                phone: contact.phone.as_deref().map(|p| PhoneView {
                    display: p,
                    tel: tel_uri_number(p),
                }),
                address: contact.address.as_deref(),
            }),
        }
    }
}

#[derive(Serialize)]
pub(super) struct AreaView<'a> {
    pub(super) slug: &'a str,
    /// As `ServiceView::lang`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) lang: Option<&'a str>,
    pub(super) name: &'a str,
    pub(super) council: &'a str,
    pub(super) summary: &'a str,
    pub(super) emergency: &'a str,
    /// `emergency` as HTML, its numbers tappable (`tel:`).
    pub(super) emergency_html: String,
    pub(super) path: String,
}

impl<'a> AreaView<'a> {
    pub(super) fn new(site: &'a Site, a: &'a Area) -> Self {
        AreaView {
            slug: &a.slug,
            lang: site.fallback_lang(crate::kinds::ContentKind::Area, &a.slug),
            name: &a.name,
            council: &a.council,
            summary: &a.summary,
            emergency: &a.emergency,
            emergency_html: crate::phone::linked_html(&a.emergency),
            path: urls::area(&a.slug),
        }
    }
}

/// A glossary term, for the glossary's page.
#[derive(Serialize)]
pub(super) struct TermView<'a> {
    pub(super) term: &'a str,
    pub(super) expansion: &'a str,
    pub(super) explanation: &'a str,
    /// Its anchor on the glossary page: `term-idva`.
    pub(super) id: String,
}

/// The glossary's terms in alphabetical order, as the glossary page lists them.
pub(super) fn glossary_views(glossary: &crate::glossary::Glossary) -> Vec<TermView<'_>> {
    let mut terms: Vec<TermView> = glossary
        .terms
        .iter()
        .map(|t| TermView {
            term: &t.term,
            expansion: &t.expansion,
            explanation: &t.explanation,
            id: format!("term-{}", crate::slug::from_title(&t.term)),
        })
        .collect();
    terms.sort_by_cached_key(|t| t.term.to_lowercase());
    terms
}

/// What the printed pages of an area (its print page and contacts handout)
/// add: where the guide is online, and the running footer's stylesheet.
#[derive(Serialize)]
pub(super) struct PrintView {
    /// The area guide's published address; empty without a `base_url`.
    pub(super) address: String,
    /// A QR code to `address`, as an inline SVG; empty without a `base_url`.
    pub(super) qr_svg: String,
    /// From the output root: the running footer's words (`print.rs`).
    pub(super) footer_css: String,
    pub(super) guide_path: String,
    pub(super) contacts_path: String,
}

impl PrintView {
    pub(super) fn new(site: &Site, index: &SiteIndex, area: usize) -> Self {
        let slug = &site.areas[area].slug;
        let address = crate::print::guide_address(site, slug).unwrap_or_default();
        let qr_svg = match address.as_str() {
            "" => None,
            address => index.qr_code(area, address).map(|qr| qr.svg(25, "")),
        };
        PrintView {
            qr_svg: qr_svg.unwrap_or_default(),
            address,
            footer_css: urls::print_footer(slug),
            guide_path: urls::print(slug),
            contacts_path: urls::contacts(slug),
        }
    }
}

#[derive(Serialize)]
pub(super) struct LinkView<'a> {
    pub(super) slug: &'a str,
    pub(super) name: &'a str,
    pub(super) path: String,
}

/// A free page in the list every page is given, for the footer: no body.
#[derive(Serialize)]
pub(super) struct PageLink<'a> {
    pub(super) slug: &'a str,
    pub(super) title: &'a str,
    pub(super) summary: &'a str,
    pub(super) path: String,
}

#[derive(Serialize)]
pub(super) struct PageView<'a> {
    pub(super) slug: &'a str,
    pub(super) title: &'a str,
    pub(super) summary: &'a str,
    pub(super) body_html: &'a str,
    pub(super) path: String,
}

impl<'a> PageView<'a> {
    pub(super) fn new(p: &'a Page) -> Self {
        PageView {
            slug: &p.slug,
            title: &p.title,
            summary: p.summary.as_deref().unwrap_or(""),
            body_html: &p.body.html,
            path: urls::page(&p.slug),
        }
    }
}

#[derive(Serialize)]
pub(super) struct PhoneView<'a> {
    pub(super) display: &'a str,
    pub(super) tel: String,
}

#[derive(Serialize)]
pub(super) struct ContactView<'a> {
    pub(super) phone: Option<PhoneView<'a>>,
    pub(super) email: Option<&'a str>,
    pub(super) website: Option<&'a str>,
    /// `website` as a reader reads it: without `https://` and a closing `/`.
    pub(super) website_display: Option<&'a str>,
    pub(super) text: Option<&'a str>,
    /// `sms:NUMBER?body=CODE` when `text` says "Text CODE to NUMBER".
    pub(super) text_sms: Option<String>,
    pub(super) notes: Option<&'a str>,
}

#[derive(Serialize)]
pub(super) struct LocationView<'a> {
    pub(super) name: &'a str,
    pub(super) address: Option<&'a str>,
    pub(super) postcode: Option<&'a str>,
    pub(super) confidential: bool,
}

#[derive(Serialize)]
pub(super) struct HoursView<'a> {
    /// In the page's language: "Monday to Friday", "Dydd Llun i ddydd Gwener".
    pub(super) days: String,
    /// `mon`, `tue`...
    pub(super) day_codes: Vec<&'static str>,
    pub(super) opens: &'a str,
    pub(super) closes: &'a str,
    /// In the page's language: "10am to 5pm", "9:30am to midday", or
    /// "Open 24 hours" for 00:00 to 24:00.
    pub(super) time: String,
}

/// A service in "Talk to someone now": what to call or text, and whether it
/// is open round the clock.
#[derive(Serialize)]
pub(super) struct UrgentView<'a> {
    pub(super) slug: &'a str,
    pub(super) name: &'a str,
    /// Its page in the current area, or empty on a page outside any area.
    pub(super) path: String,
    pub(super) phone: Option<PhoneView<'a>>,
    pub(super) text: Option<&'a str>,
    pub(super) text_sms: Option<String>,
    pub(super) open_24_hours: bool,
}

#[derive(Serialize)]
pub(super) struct DateView {
    pub(super) iso: String,
    pub(super) display: String,
}

#[derive(Serialize)]
pub(super) struct ServiceView<'a> {
    pub(super) slug: &'a str,
    /// The main language's tag when this service is not translated into the
    /// page's language yet (its words are the original's); else absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) lang: Option<&'a str>,
    pub(super) name: &'a str,
    pub(super) organisation: &'a str,
    pub(super) summary: &'a str,
    pub(super) path: String,
    pub(super) national: bool,
    pub(super) areas: Vec<LinkView<'a>>,
    /// The areas a local service serves, in the page's language: "Serves
    /// Essex and Sutton." (the `serves` words); empty for a national one.
    pub(super) serves: String,
    pub(super) needs: Vec<LinkView<'a>>,
    pub(super) self_referral: bool,
    pub(super) professional_referral: bool,
    pub(super) referral_notes: &'a str,
    pub(super) women_only: bool,
    pub(super) eligibility: &'a str,
    pub(super) contact: ContactView<'a>,
    pub(super) locations: Vec<LocationView<'a>>,
    pub(super) hours: Vec<HoursView<'a>>,
    pub(super) hours_notes: &'a str,
    pub(super) languages: &'a [String],
    pub(super) cost: &'a str,
    pub(super) last_reviewed: DateView,
    pub(super) stale: bool,
    pub(super) body_html: &'a str,
}

#[derive(Serialize)]
pub(super) struct NextView<'a> {
    pub(super) id: &'a str,
    pub(super) number: usize,
    pub(super) title: &'a str,
    pub(super) when: &'a str,
}

#[derive(Serialize)]
pub(super) struct StepView<'a> {
    pub(super) id: &'a str,
    pub(super) number: usize,
    pub(super) title: &'a str,
    pub(super) text_html: &'a str,
    pub(super) when: &'a str,
    pub(super) services: Vec<LinkView<'a>>,
    pub(super) next: Vec<NextView<'a>>,
    pub(super) is_end: bool,
    /// The last step in the list: nothing follows it in a linear read.
    pub(super) is_last: bool,
}

#[derive(Serialize)]
pub(super) struct PathwayView<'a> {
    pub(super) slug: &'a str,
    /// As `ServiceView::lang`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) lang: Option<&'a str>,
    pub(super) title: &'a str,
    pub(super) summary: &'a str,
    pub(super) audience: &'a str,
    pub(super) needs: Vec<LinkView<'a>>,
    pub(super) intro_html: &'a str,
    pub(super) path: String,
    pub(super) steps: Vec<StepView<'a>>,
}

#[derive(Serialize)]
pub(super) struct StoryView<'a> {
    pub(super) slug: &'a str,
    /// As `ServiceView::lang`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) lang: Option<&'a str>,
    pub(super) title: &'a str,
    pub(super) summary: &'a str,
    pub(super) needs: Vec<LinkView<'a>>,
    pub(super) services: Vec<LinkView<'a>>,
    pub(super) body_html: String,
    pub(super) path: String,
}

/// Builds the values templates see, from the model as seen from one area:
/// one per page, cheap to make, borrowing the site and its shared caches.
/// Which page an area's lists are for: the print page also takes each
/// service's and pathway's entry (`fragments`).
#[derive(Clone, Copy)]
pub(super) enum ListsFor<'c> {
    /// The area's guide, or its key contacts handout.
    Guide,
    Print(&'c Components<'c>),
}

/// Where a value's links start. `Root`: from the output root, to follow the
/// page's `root` (`essex/needs/housing/`). `WithinArea(up)`: from a page `up`
/// folders below its area's folder (`../../needs/housing/` from a service
/// page), the same in every area, for the fragments made once (`fragments`).
#[derive(Clone, Copy)]
pub(super) enum LinksFrom<'u> {
    Root,
    WithinArea(&'u str),
}

impl LinksFrom<'_> {
    fn link(self, area: &str, within_area: String) -> String {
        match self {
            LinksFrom::Root => format!("{area}/{within_area}"),
            LinksFrom::WithinArea(up) => format!("{up}{within_area}"),
        }
    }

    fn need(self, area: &str, need: &str) -> String {
        self.link(area, urls::need_in_area(need))
    }

    fn service(self, area: &str, service: &str) -> String {
        self.link(area, urls::service_in_area(service))
    }

    fn pathway(self, area: &str, pathway: &str) -> String {
        self.link(area, urls::pathway_in_area(pathway))
    }
}

pub(super) struct ValueBuilder<'a> {
    pub(super) site: &'a Site,
    pub(super) index: &'a SiteIndex,
    /// The area's services, pathways and needs as values, when the page's
    /// `AreaCache` has them.
    pub(super) area: super::index::AreaLists<'a>,
}

impl<'a> ValueBuilder<'a> {
    pub(super) fn new(
        site: &'a Site,
        index: &'a SiteIndex,
        area: super::index::AreaLists<'a>,
    ) -> Self {
        ValueBuilder { site, index, area }
    }

    pub(super) fn need_links(
        &self,
        area: usize,
        needs: &'a [crate::fields::Spanned<String>],
    ) -> Vec<LinkView<'a>> {
        self.need_links_from(area, needs, LinksFrom::Root)
    }

    fn need_links_from(
        &self,
        area: usize,
        needs: &'a [crate::fields::Spanned<String>],
        from: LinksFrom,
    ) -> Vec<LinkView<'a>> {
        let area_slug = &self.site.areas[area].slug;
        needs
            .iter()
            .filter_map(|n| self.site.need(&n.value))
            .map(|n| LinkView {
                slug: &n.slug,
                name: &n.name,
                path: from.need(area_slug, &n.slug),
            })
            .collect()
    }

    /// A service as seen from `area`, with an empty `body_html`: the pages
    /// that show a body (its own page, the print page) set it on the value,
    /// so that the lists do not copy every body.
    pub(super) fn service(&self, area: usize, s: usize) -> ServiceView<'a> {
        let service = &self.site.services[s];
        let c = &service.contact;
        ServiceView {
            slug: &service.slug,
            lang: self
                .site
                .fallback_lang(crate::kinds::ContentKind::Service, &service.slug),
            name: &service.name,
            organisation: &service.organisation,
            summary: &service.summary,
            path: urls::service(&self.site.areas[area].slug, &service.slug),
            national: service.coverage == Coverage::National,
            areas: match &service.coverage {
                Coverage::National => Vec::new(),
                Coverage::Areas(list) => list
                    .iter()
                    .filter_map(|a| self.site.area(&a.value))
                    .map(|a| LinkView {
                        slug: &a.slug,
                        name: &a.name,
                        path: urls::area(&a.slug),
                    })
                    .collect(),
            },
            serves: match &service.coverage {
                Coverage::National => String::new(),
                Coverage::Areas(list) => {
                    let names = list
                        .iter()
                        .filter_map(|a| self.site.area(&a.value))
                        .map(|a| a.name.clone())
                        .collect();
                    let areas = crate::words::join_list(names);
                    crate::words::word_with("serves", &[("areas", &areas)])
                }
            },
            needs: self.need_links(area, &service.needs),
            self_referral: service.self_referral,
            professional_referral: service.professional_referral,
            referral_notes: service.referral_notes.as_deref().unwrap_or(""),
            women_only: service.women_only,
            eligibility: service.eligibility.as_deref().unwrap_or(""),
            contact: ContactView {
                phone: c.phone.as_deref().map(|p| PhoneView {
                    display: p,
                    tel: tel_uri_number(p),
                }),
                email: c.email.as_deref(),
                website: c.website.as_deref(),
                website_display: c.website.as_deref().map(website_display),
                text: c.text.as_deref(),
                text_sms: c.text.as_deref().and_then(crate::phone::sms_uri),
                notes: c.notes.as_deref(),
            },
            locations: service
                .locations
                .iter()
                .map(|l| LocationView {
                    name: &l.name,
                    address: l.address.as_deref(),
                    postcode: l.postcode.as_deref(),
                    confidential: l.confidential,
                })
                .collect(),
            hours: service
                .hours
                .iter()
                .map(|h| HoursView {
                    days: crate::words::days_words(h.days.iter().map(|d| d.code())),
                    day_codes: h.days.iter().map(|d| d.code()).collect(),
                    opens: &h.opens,
                    closes: &h.closes,
                    time: crate::words::time_range_words(&h.opens, &h.closes),
                })
                .collect(),
            hours_notes: service.hours_notes.as_deref().unwrap_or(""),
            languages: &service.languages,
            cost: &service.cost,
            last_reviewed: DateView {
                iso: service.last_reviewed.to_string(),
                display: crate::words::date_words(service.last_reviewed),
            },
            stale: crate::validate::is_stale(
                service.last_reviewed,
                self.site.config.review_after_months,
                self.index.today,
            ),
            body_html: "",
        }
    }

    /// "Talk to someone now" for a page in `area`, or outside any area: the
    /// area's own list or the site's, made once each per build.
    pub(super) fn urgent_help_value(&self, area: Option<usize>) -> Value {
        let (cell, list, area_slug) = match area {
            Some(a) => (
                &self.index.urgent_help[a],
                self.site.areas[a].urgent_help(&self.site.config),
                Some(self.site.areas[a].slug.as_str()),
            ),
            None => (
                &self.index.urgent_help_site,
                &self.site.config.urgent_help[..],
                None,
            ),
        };
        cell.get_or_init(|| {
            let views: Vec<UrgentView> = list
                .iter()
                .filter_map(|slug| self.site.service(&slug.value))
                .map(|s| UrgentView {
                    slug: &s.slug,
                    name: &s.name,
                    path: area_slug.map_or_else(String::new, |a| urls::service(a, &s.slug)),
                    phone: s.contact.phone.as_deref().map(|p| PhoneView {
                        display: p,
                        tel: tel_uri_number(p),
                    }),
                    text: s.contact.text.as_deref(),
                    text_sms: s.contact.text.as_deref().and_then(crate::phone::sms_uri),
                    open_24_hours: s.open_24_hours(),
                })
                .collect();
            to_value(&views)
        })
        .clone()
    }

    /// One of the area's services as a value, without its body.
    pub(super) fn service_value(&self, area: usize, s: usize) -> Value {
        cached_or_made(
            self.area.services,
            &self.index.layout.areas[area].services,
            s,
            || self.made_service_value(area, s),
        )
    }

    /// Service `s`'s value as the first area to ask (`area`) saw it.
    fn service_base(&self, area: usize, s: usize) -> Kept<'a, tera::Map> {
        self.index.kept(&self.index.service_bases[s], s, || {
            to_value(&self.service(area, s))
                .into_map()
                .unwrap_or_default()
        })
    }

    /// A service as seen from `area`, made from its value as the first area
    /// to ask saw it: only `path` and `needs` differ from one area to the
    /// next. A national service is in every area's lists, and making its
    /// value afresh for each was a twelfth of a national build.
    pub(super) fn made_service_value(&self, area: usize, s: usize) -> Value {
        let service = &self.site.services[s];
        let mut map = self.service_base(area, s).into_owned();
        map.insert(
            "path".into(),
            Value::from(urls::service(&self.site.areas[area].slug, &service.slug)),
        );
        map.insert(
            "needs".into(),
            to_value(&self.need_links(area, &service.needs)),
        );
        Value::from(map)
    }

    /// `value`, service `s` as seen from `area`, with its `path` and need
    /// links relative to a page `up` folders below the area's folder
    /// (`../needs/housing/` from the print page): the same value in every
    /// area, for the fragments made once per service (`fragments`), which
    /// render it with an empty `root`.
    pub(super) fn within_area(&self, value: Value, area: usize, s: usize, up: &str) -> Value {
        let service = &self.site.services[s];
        let from = LinksFrom::WithinArea(up);
        let area_slug = &self.site.areas[area].slug;
        let mut map = value.into_map().unwrap_or_default();
        map.insert(
            "path".into(),
            Value::from(from.service(area_slug, &service.slug)),
        );
        map.insert(
            "needs".into(),
            to_value(&self.need_links_from(area, &service.needs, from)),
        );
        Value::from(map)
    }

    /// The area's services as values, in the order of `AreaIndex::services`.
    pub(super) fn area_service_values(&self, area: usize) -> Vec<Value> {
        match self.area.services {
            Some(values) => values.to_vec(),
            None => self.index.layout.areas[area]
                .services
                .iter()
                .map(|&s| self.service_value(area, s))
                .collect(),
        }
    }

    /// `site`, `pages` and `cover_your_tracks`, made once per build.
    pub(super) fn common(&self) -> &'a [(&'static str, Value)] {
        self.index.common.get_or_init(|| {
            let site = self.site;
            let pages: Vec<PageLink> = site
                .pages
                .iter()
                .map(|p| PageLink {
                    slug: &p.slug,
                    title: &p.title,
                    summary: p.summary.as_deref().unwrap_or(""),
                    path: urls::page(&p.slug),
                })
                .collect();
            let mut common = vec![
                ("site", to_value(&SiteView::new(&site.config))),
                ("pages", to_value(&pages)),
            ];
            if let Some(page) = site.page(COVER_YOUR_TRACKS) {
                common.push(("cover_your_tracks", to_value(&PageView::new(page))));
            }
            if !site.glossary.is_empty() {
                common.push((
                    "glossary_page",
                    to_value(&std::collections::BTreeMap::from([(
                        "path",
                        urls::glossary(),
                    )])),
                ));
            }
            common
        })
    }

    /// Need `n` as seen from `area`, for the lists of the area and print
    /// pages: its services are links (`{slug, name, path}`), since those
    /// pages have every service in full already, and a copy per need was a
    /// third of their cost. On its own page, `need_page_value`.
    pub(super) fn need_value(&self, area: usize, n: usize) -> Value {
        let area_slug = &self.site.areas[area].slug;
        let services = self.index.layout.areas[area].by_need[n]
            .iter()
            .map(|&s| {
                let service = &self.site.services[s];
                to_value(&LinkView {
                    slug: &service.slug,
                    name: &service.name,
                    path: urls::service(area_slug, &service.slug),
                })
            })
            .collect();
        self.need_with(area, n, services)
    }

    /// Need `n` in `area` on its own page: its services in full, each with
    /// its card (`card_html`, the theme's `need_card`, made once per service).
    pub(super) fn need_page_value(
        &self,
        area: usize,
        n: usize,
        components: &Components,
    ) -> Result<Value, RenderError> {
        let services = self.index.layout.areas[area].by_need[n]
            .iter()
            .map(|&s| {
                let value = self.service_value(area, s);
                let kind = FragmentKind::NeedCard;
                let card = self.index.fragment(kind, s, components, || {
                    self.within_area(value.clone(), area, s, kind.up_to_area())
                });
                Ok(match card.clone()? {
                    Some(card) => with_field(value, "card_html", card),
                    None => value,
                })
            })
            .collect::<Result<_, RenderError>>()?;
        Ok(self.need_with(area, n, services))
    }

    fn need_with(&self, area: usize, n: usize, services: Vec<Value>) -> Value {
        let need = &self.site.needs[n];
        let area_slug = &self.site.areas[area].slug;
        // Built as a map, so that the services' values are moved in, not copied.
        let mut map = tera::Map::default();
        map.insert("slug".into(), Value::from(need.slug.as_str()));
        map.insert("name".into(), Value::from(need.name.as_str()));
        map.insert("description".into(), Value::from(need.description.as_str()));
        map.insert(
            "path".into(),
            Value::from(urls::need(area_slug, &need.slug)),
        );
        map.insert("service_count".into(), Value::from(services.len()));
        map.insert("services".into(), Value::from(services));
        Value::from(map)
    }

    pub(super) fn pathway(&self, area: usize, p: usize, from: LinksFrom) -> PathwayView<'a> {
        let pathway = &self.site.pathways[p];
        let area_slug = &self.site.areas[area].slug;
        let number_of: HashMap<&str, usize> = pathway
            .steps
            .iter()
            .enumerate()
            .map(|(i, s)| (s.id.value.as_str(), i + 1))
            .collect();
        let steps = pathway
            .steps
            .iter()
            .enumerate()
            .map(|(i, step)| {
                let next: Vec<NextView> = pathway
                    .next_of(i)
                    .into_iter()
                    .filter_map(|id| number_of.get(id.value.as_str()).map(|&n| (id, n)))
                    .map(|(id, n)| {
                        let target = &pathway.steps[n - 1];
                        NextView {
                            id: &id.value,
                            number: n,
                            title: &target.title,
                            when: target.when.as_deref().unwrap_or(""),
                        }
                    })
                    .collect();
                StepView {
                    id: &step.id.value,
                    number: i + 1,
                    title: &step.title,
                    text_html: &step.text.html,
                    when: step.when.as_deref().unwrap_or(""),
                    services: step
                        .services
                        .iter()
                        .filter_map(|s| self.site.service(&s.value))
                        .map(|s| LinkView {
                            slug: &s.slug,
                            name: &s.name,
                            path: from.service(area_slug, &s.slug),
                        })
                        .collect(),
                    is_end: next.is_empty(),
                    is_last: i + 1 == pathway.steps.len(),
                    next,
                }
            })
            .collect();
        PathwayView {
            slug: &pathway.slug,
            lang: self
                .site
                .fallback_lang(crate::kinds::ContentKind::Pathway, &pathway.slug),
            title: &pathway.title,
            summary: pathway.summary.as_deref().unwrap_or(""),
            audience: match pathway.audience {
                Some(Audience::Women) => "women",
                Some(Audience::Professionals) => "professionals",
                None => "",
            },
            needs: self.need_links_from(area, &pathway.needs, from),
            intro_html: &pathway.body.html,
            path: from.pathway(area_slug, &pathway.slug),
            steps,
        }
    }

    /// A pathway as a value, with its diagram.
    pub(super) fn pathway_value(&self, area: usize, p: usize) -> Value {
        self.pathway_value_from(area, p, LinksFrom::Root)
    }

    pub(super) fn pathway_value_from(&self, area: usize, p: usize, from: LinksFrom) -> Value {
        let diagram = self.index.diagram(self.site, p).clone();
        with_field(
            to_value(&self.pathway(area, p, from)),
            "diagram_svg",
            diagram,
        )
    }

    /// `pathway_value`, from the area's cache when it has it.
    pub(super) fn cached_pathway_value(&self, area: usize, p: usize) -> Value {
        cached_or_made(
            self.area.pathways,
            &self.index.layout.areas[area].pathways,
            p,
            || self.pathway_value(area, p),
        )
    }

    pub(super) fn story(&self, area: usize, c: usize, print: bool) -> StoryView<'a> {
        let story = &self.site.case_studies[c];
        let area_slug = &self.site.areas[area].slug;
        StoryView {
            slug: &story.slug,
            lang: self
                .site
                .fallback_lang(crate::kinds::ContentKind::CaseStudy, &story.slug),
            title: &story.title,
            summary: story.summary.as_deref().unwrap_or(""),
            needs: self.need_links(area, &story.needs),
            services: story
                .services
                .iter()
                .filter_map(|s| self.site.service(&s.value))
                .filter_map(|s| {
                    // In an area the service does not serve, link to it where it
                    // does: the first such area in the site's order.
                    let home = match &s.coverage {
                        _ if s.coverage.serves(area_slug) => Some(area_slug.as_str()),
                        Coverage::National => None,
                        Coverage::Areas(list) => list
                            .iter()
                            .filter_map(|a| self.site.area_index(&a.value))
                            .min()
                            .map(|a| self.site.areas[a].slug.as_str()),
                    };
                    home.map(|home| LinkView {
                        slug: &s.slug,
                        name: &s.name,
                        path: urls::service(home, &s.slug),
                    })
                })
                .collect(),
            body_html: if print {
                String::new()
            } else {
                story.body.html.to_string()
            },
            path: urls::story(area_slug, &story.slug),
        }
    }

    /// The lists on an area's guide and its print page.
    pub(super) fn insert_area_lists(
        &self,
        ctx: &mut Context,
        a: usize,
        page: ListsFor,
    ) -> Result<(), RenderError> {
        let print = match page {
            ListsFor::Print(components) => Some(components),
            ListsFor::Guide => None,
        };
        let ai = &self.index.layout.areas[a];
        let needs: Vec<Value> = match self.area.needs {
            Some(needs) => needs.to_vec(),
            None => (0..self.site.needs.len())
                .map(|n| self.need_value(a, n))
                .collect(),
        };
        let mut services: Vec<Value> = self.area_service_values(a);
        if let Some(components) = print {
            for (value, &s) in services.iter_mut().zip(&ai.services) {
                let body = self.index.kept(&self.index.demoted_bodies[s], s, || {
                    let service = &self.site.services[s];
                    let html = markdown::prefix_ids(
                        &service.body.html,
                        &markdown::service_ids(&service.slug),
                    );
                    Value::from(markdown::demote_headings(&html, 2))
                });
                let kind = FragmentKind::PrintEntry;
                let entry = self.index.fragment(kind, s, components, || {
                    let within = self.within_area(value.clone(), a, s, kind.up_to_area());
                    with_field(within, "body_html", body.clone())
                });
                let mut map = std::mem::replace(value, Value::none())
                    .into_map()
                    .unwrap_or_default();
                map.insert("body_html".into(), body.clone());
                if let Some(entry) = entry.clone()? {
                    map.insert("entry_html".into(), entry);
                }
                *value = Value::from(map);
            }
        }
        // The area's local services (not national) and its helplines, so that
        // templates need not filter the full list: on a national corpus Tera's
        // `filter` copies it per page. Taken from `services`, so that on the
        // print page they have their bodies (values are shared, not copied):
        // it prints the helplines once, in full, and the local services after.
        // Helplines keep the layout's order (what helps first), not the A to Z.
        let local: Vec<Value> = ai
            .services
            .iter()
            .zip(&services)
            .filter(|(s, _)| self.site.services[**s].coverage != Coverage::National)
            .map(|(_, value)| value.clone())
            .collect();
        let helplines: Vec<Value> = ai
            .helplines
            .iter()
            .filter_map(|s| ai.services.binary_search(s).ok())
            .map(|i| services[i].clone())
            .collect();
        let pathways: Vec<Value> = ai
            .pathways
            .iter()
            .map(|&p| {
                let value = self.cached_pathway_value(a, p);
                let Some(components) = print else {
                    return Ok(value);
                };
                // On the print page the introduction sits under the pathway's heading.
                let intro = self.index.demoted_intros[p].get_or_init(|| {
                    Value::from(markdown::demote_headings(
                        &self.site.pathways[p].body.html,
                        2,
                    ))
                });
                let kind = FragmentKind::PathwayEntry;
                let entry = self.index.fragment(kind, p, components, || {
                    let from = LinksFrom::WithinArea(kind.up_to_area());
                    with_field(
                        self.pathway_value_from(a, p, from),
                        "intro_html",
                        intro.clone(),
                    )
                });
                let mut map = value.into_map().unwrap_or_default();
                map.insert("intro_html".into(), intro.clone());
                if let Some(entry) = entry.clone()? {
                    map.insert("entry_html".into(), entry);
                }
                Ok(Value::from(map))
            })
            .collect::<Result<_, RenderError>>()?;
        let stories: Vec<StoryView> = ai
            .stories
            .iter()
            .map(|&c| self.story(a, c, print.is_some()))
            .collect();
        insert_values(
            ctx,
            [
                ("local_services", Value::from(local)),
                ("needs", Value::from(needs)),
                ("services", Value::from(services)),
                ("helplines", Value::from(helplines)),
                ("pathways", Value::from(pathways)),
                ("stories", to_value(&stories)),
            ],
        );
        Ok(())
    }
}

/// A web address as a reader reads it: `www.openroad.org.uk` for
/// `https://www.openroad.org.uk/`.
pub(super) fn website_display(url: &str) -> &str {
    let bare = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .unwrap_or(url);
    bare.trim_end_matches('/')
}

pub(super) fn to_value(view: &impl Serialize) -> Value {
    // Our views are plain structs of strings, numbers and lists: they always serialise.
    Value::try_from_serializable(view).unwrap_or_else(|_| Value::none())
}

/// Item `item`'s value from an area's cached `values` (in the order of
/// `members`, the area's sorted list), or made if the cache does not have it.
pub(super) fn cached_or_made(
    values: Option<&[Value]>,
    members: &[usize],
    item: usize,
    make: impl FnOnce() -> Value,
) -> Value {
    let cached = values
        .zip(members.binary_search(&item).ok())
        .and_then(|(values, i)| values.get(i));
    match cached {
        Some(value) => value.clone(),
        None => make(),
    }
}

/// A map value with `key` set to `field`: a copy of the map (its values are
/// shared, not copied) with that one entry added or replaced.
pub(super) fn with_field(value: Value, key: &'static str, field: Value) -> Value {
    let mut map = value.into_map().unwrap_or_default();
    map.insert(key.into(), field);
    Value::from(map)
}

/// Adds values to a context as they are (`Context::insert` would serialise
/// them again).
pub(super) fn insert_values<const N: usize>(ctx: &mut Context, values: [(&'static str, Value); N]) {
    for (key, value) in values {
        ctx.insert_value(key, value);
    }
}
