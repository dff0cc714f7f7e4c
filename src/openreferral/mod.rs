//! Open data in the Open Referral UK 3.0 standard (the UK profile of HSDS
//! 3.0): each area's `A/services.json`, and the site-wide feed under
//! `openreferral/` (`index.json`, `services.json`, `services/<id>.json`,
//! `taxonomy_terms.json`, and the tabular form in `csv/`).
//!
//! - `records`: the records as typed structs, as the standard names them;
//! - `tabular`: the same records as the HSDS tabular form (CSV files and a
//!   `datapackage.json`).
//!
//! A service's record is the same wherever it is published, so it is built
//! and serialised once per build (`Record`) and its bytes are copied into
//! every page that lists it. docs/open-data.md maps every field.

pub mod records;
pub mod tabular;

use std::collections::HashSet;

use uuid::Uuid;

use crate::model::{Coverage, Site, Weekday};
use records::*;

/// Our own namespace for the stable identifiers Open Referral asks for: a
/// record keeps its id across builds and areas, since it is made from names
/// that do not change (a service's slug, an organisation's name).
const NAMESPACE: Uuid = Uuid::from_u128(0x5f1c_8c1e_6a4e_4c38_9d0b_51a7_2f4e_0b61);

/// A UUID (version 5) for the record of `kind` named `key`.
pub fn id(kind: &str, key: &str) -> String {
    Uuid::new_v5(&NAMESPACE, format!("{kind}:{key}").as_bytes()).to_string()
}

/// A service's id, from its slug: `openreferral/services/<id>.json`.
pub fn service_id(slug: &str) -> String {
    id("service", slug)
}

/// The vocabulary our needs belong to, as taxonomy terms.
pub const NEEDS_VOCABULARY: &str = "signpost-needs";
/// The vocabulary of who a service is for: `Women only`.
pub const ELIGIBILITY_VOCABULARY: &str = "signpost-eligibility";

/// The HSDS version and profile the `/` document names.
pub const API_INFO: ApiInfo = ApiInfo {
    version: "3.0",
    profile: "https://github.com/OpenReferralUK/uk-profile",
    openapi_url: "https://raw.githubusercontent.com/OpenReferralUK/uk-profile/main/schema/openapi.json",
};

/// Where a national service (`areas: all`) works, as its one service area.
pub const NATIONAL_AREA: &str = "England";

/// A service's record as JSON text on one line (pages hold one record per
/// line, so a national feed is a third smaller than indented and still reads,
/// and diffs, record by record), and as its rows of the tabular form. The
/// typed record they are made from is not kept.
#[derive(Debug, Clone)]
pub struct Record {
    pub json: String,
    pub rows: tabular::ServiceRows,
}

impl Record {
    pub fn new(site: &Site, s: &crate::model::Service) -> Record {
        let service = service(site, s);
        let json = serde_json::to_string(&service).unwrap_or_default();
        let rows = tabular::ServiceRows::new(&service);
        Record { json, rows }
    }

    /// The record as a file of its own (`openreferral/services/<id>.json`).
    pub fn standalone(&self) -> String {
        let mut out = String::with_capacity(self.json.len() + 1);
        out.push_str(&self.json);
        out.push('\n');
        out
    }
}

/// Appends a page holding every item of `items` (each JSON text on one
/// line), in the openapi's `Page` shape with `contents`, one item per line.
pub fn write_page<'a>(items: impl ExactSizeIterator<Item = &'a str> + Clone, out: &mut String) {
    let n = items.len();
    // A national page runs to megabytes: grow the buffer once, not by doubling.
    out.reserve(items.clone().map(|item| item.len() + 2).sum::<usize>() + 256);
    out.push_str(&format!(
        "{{\"total_items\": {n}, \"total_pages\": 1, \"page_number\": 1, \"size\": {n}, \"first_page\": true, \"last_page\": true, \"empty\": {}, \"contents\": [",
        n == 0
    ));
    for (i, item) in items.enumerate() {
        out.push_str(if i == 0 { "\n" } else { ",\n" });
        out.push_str(item);
    }
    out.push_str(if n == 0 { "]}\n" } else { "\n]}\n" });
}

/// `openreferral/index.json`, the API's `/` document.
pub fn index_json() -> String {
    let mut text = serde_json::to_string_pretty(&API_INFO).unwrap_or_default();
    text.push('\n');
    text
}

/// `openreferral/taxonomy_terms.json`: every term a record may name.
pub fn taxonomy_terms_json(site: &Site) -> String {
    let items: Vec<String> = taxonomy_terms(site)
        .iter()
        .map(|term| serde_json::to_string(term).unwrap_or_default())
        .collect();
    let mut out = String::new();
    write_page(items.iter().map(String::as_str), &mut out);
    out
}

/// The needs, then who a service can be for.
pub fn taxonomy_terms(site: &Site) -> Vec<TaxonomyTerm> {
    site.needs
        .iter()
        .map(need_term)
        .chain([women_only_term()])
        .collect()
}

fn need_term(need: &crate::model::Need) -> TaxonomyTerm {
    TaxonomyTerm {
        id: id("taxonomy", &need.slug),
        name: need.name.clone(),
        // The standard requires a description; a need may have none.
        description: present(&need.description).unwrap_or_else(|| need.name.clone()),
        taxonomy: NEEDS_VOCABULARY,
    }
}

fn women_only_term() -> TaxonomyTerm {
    TaxonomyTerm {
        id: id("taxonomy_term", "signpost-eligibility:women-only"),
        name: "Women only".to_owned(),
        description: "The service is for women only.".to_owned(),
        taxonomy: ELIGIBILITY_VOCABULARY,
    }
}

/// Text with something in it, or nothing: the standard has no use for `""`.
fn present(text: &str) -> Option<String> {
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_owned())
}

fn present_opt(text: &Option<String>) -> Option<String> {
    text.as_deref().and_then(present)
}

/// The service's record. Confidential locations are not in it at all: not
/// their name, not that they exist.
pub fn service(site: &Site, s: &crate::model::Service) -> Service {
    let sid = service_id(&s.slug);
    let key = |rest: &str| format!("{}:{rest}", s.slug);
    let organization = Organization {
        id: id("organization", &s.organisation),
        name: s.organisation.clone(),
        description: s.organisation.clone(),
    };
    let schedules = s
        .hours
        .iter()
        .enumerate()
        .map(|(i, h)| Schedule {
            id: id("schedule", &key(&i.to_string())),
            service_id: sid.clone(),
            freq: Freq::Weekly,
            interval: 1,
            byday: h
                .days
                .iter()
                .map(|d| rrule_day(*d))
                .collect::<Vec<_>>()
                .join(","),
            description: (h.opens == "00:00" && h.closes == "24:00")
                .then(|| "Open 24 hours".to_owned()),
            opens_at: format!("{}:00", h.opens),
            closes_at: if h.closes == "24:00" {
                "23:59:59".to_owned()
            } else {
                format!("{}:00", h.closes)
            },
            notes: present_opt(&s.hours_notes),
        })
        .collect();
    let area = |slug: &str, name: &str| ServiceArea {
        id: id("service_area", &key(slug)),
        service_id: sid.clone(),
        name: name.to_owned(),
        service_area: name.to_owned(),
    };
    let areas: Vec<&crate::model::Area> = match &s.coverage {
        Coverage::National => Vec::new(),
        Coverage::Areas(list) => {
            let mut seen = HashSet::new();
            list.iter()
                .filter_map(|a| site.area(&a.value))
                .filter(|a| seen.insert(&a.slug))
                .collect()
        }
    };
    let service_areas = match &s.coverage {
        Coverage::National => vec![area("england", NATIONAL_AREA)],
        Coverage::Areas(_) => areas.iter().map(|a| area(&a.slug, &a.name)).collect(),
    };
    // Signpost holds an address as one line and no county: the town is the
    // part after the last comma, and the county the service's first area.
    let region = areas.first().map_or(NATIONAL_AREA, |a| a.name.as_str());
    let service_at_locations = s
        .locations
        .iter()
        .enumerate()
        .filter(|(_, l)| !l.confidential)
        .map(|(i, l)| {
            let location_id = id("location", &key(&i.to_string()));
            let address = match (present_opt(&l.address), present_opt(&l.postcode)) {
                (Some(address), Some(postcode)) => {
                    let (street, town) = match address.rsplit_once(',') {
                        Some((street, town))
                            if !street.trim().is_empty() && !town.trim().is_empty() =>
                        {
                            (street.trim().to_owned(), town.trim().to_owned())
                        }
                        _ => (address.clone(), region.to_owned()),
                    };
                    Some(Address {
                        id: id("address", &key(&i.to_string())),
                        location_id: location_id.clone(),
                        address_1: street,
                        city: town,
                        state_province: region.to_owned(),
                        postal_code: postcode,
                        country: "GB",
                        address_type: LocationType::Physical,
                    })
                }
                _ => None,
            };
            // Part of an address (no postcode, or a postcode alone) cannot
            // fill the standard's address: it is kept as the description.
            let description = match &address {
                Some(_) => None,
                None => present(
                    &[l.address.as_deref(), l.postcode.as_deref()]
                        .into_iter()
                        .flatten()
                        .collect::<Vec<_>>()
                        .join(", "),
                ),
            };
            ServiceAtLocation {
                id: id("service_at_location", &key(&i.to_string())),
                service_id: sid.clone(),
                location_id: location_id.clone(),
                location: Location {
                    id: location_id,
                    location_type: LocationType::Physical,
                    name: l.name.clone(),
                    description,
                    addresses: address.into_iter().collect(),
                },
            }
        })
        .collect();
    let mut seen = HashSet::new();
    let languages = s
        .languages
        .iter()
        .filter_map(|l| present(l))
        .filter(|l| seen.insert(l.clone()))
        .map(|name| Language {
            id: id("language", &key(&name)),
            service_id: sid.clone(),
            name,
        })
        .collect();
    let cost_options = present(&s.cost)
        .map(|cost| CostOption {
            id: id("cost_option", &s.slug),
            service_id: sid.clone(),
            amount: cost.eq_ignore_ascii_case("free").then_some(0),
            amount_description: cost,
        })
        .into_iter()
        .collect();
    let contact_id = id("contact", &s.slug);
    let contacts = present_opt(&s.contact.phone)
        .map(|number| Contact {
            id: contact_id.clone(),
            service_id: sid.clone(),
            name: s.organisation.clone(),
            phones: vec![Phone {
                id: id("phone", &s.slug),
                contact_id: contact_id.clone(),
                number,
                description: present_opt(&s.contact.notes),
            }],
        })
        .into_iter()
        .collect();
    let attribute = |key: &str, term: TaxonomyTerm| Attribute {
        id: id("attribute", key),
        link_id: sid.clone(),
        link_type: "service",
        taxonomy_term_id: term.id.clone(),
        taxonomy_term: term,
    };
    let mut seen = HashSet::new();
    let mut attributes: Vec<Attribute> = s
        .needs
        .iter()
        .filter_map(|n| site.need(&n.value))
        .filter(|n| seen.insert(&n.slug))
        .map(|n| attribute(&key(&format!("need:{}", n.slug)), need_term(n)))
        .collect();
    if s.women_only {
        attributes.push(attribute(&key("eligibility:women-only"), women_only_term()));
    }
    let referral = match (s.self_referral, s.professional_referral) {
        (true, true) => Some("Self-referral or professional referral"),
        (true, false) => Some("Self-referral"),
        (false, true) => Some("Professional referral"),
        (false, false) => None,
    };
    // How to reach the service: who may refer, how, and a text line (which
    // has no field of its own: it is words, such as "Text SHOUT to 85258").
    let application_process = present(
        &[
            referral.map(str::to_owned),
            present_opt(&s.referral_notes),
            present_opt(&s.contact.text),
        ]
        .into_iter()
        .flatten()
        .map(|t| t.trim_end_matches('.').to_owned())
        .collect::<Vec<_>>()
        .join(". "),
    )
    .map(|t| t + ".");
    Service {
        id: sid.clone(),
        organization_id: organization.id.clone(),
        name: s.name.clone(),
        description: present(&s.summary),
        url: present_opt(&s.contact.website).or_else(|| page_url(site, s)),
        email: present_opt(&s.contact.email),
        status: Status::Active,
        eligibility_description: present_opt(&s.eligibility),
        application_process,
        assured_date: s.last_reviewed.to_string(),
        schedules,
        service_areas,
        service_at_locations,
        languages,
        organization,
        cost_options,
        contacts,
        attributes,
    }
}

/// The service's page in the guide, when the site has a `base_url` (the
/// standard's `url` is absolute): in the first area that lists it, as the
/// feed links it.
fn page_url(site: &Site, s: &crate::model::Service) -> Option<String> {
    let base = site.config.base_url.as_deref()?;
    let home = site.areas.iter().find(|a| s.coverage.serves(&a.slug))?;
    Some(format!(
        "{base}{}",
        crate::urls::service(&home.slug, &s.slug)
    ))
}

fn rrule_day(day: Weekday) -> &'static str {
    ["MO", "TU", "WE", "TH", "FR", "SA", "SU"][day as usize]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_stable_uuids() {
        // Pinned, as computed when this test was written. These IDs are published
        // in every services.json, and other directories link to our records by
        // them: if this fails, every published ID has changed (the namespace, or
        // how a kind and key make the name), which breaks those links. Change
        // these strings only if that is what you mean to do.
        for (kind, key, pinned) in [
            (
                "service",
                "open-road",
                "61598117-6cd5-5715-b5ef-be6905cd7f11",
            ),
            (
                "organization",
                "Open Road Ltd",
                "7e120ea8-6a4e-5e24-87aa-f398468ded97",
            ),
            (
                "location",
                "open-road:0",
                "99b53c04-231d-54f8-9094-2f0da2fe9006",
            ),
            (
                "taxonomy",
                "housing",
                "f00b8f1d-2ac9-5aca-a941-a3ec9add5bf8",
            ),
        ] {
            assert_eq!(id(kind, key), pinned, "the ID of {kind} {key}");
        }
        assert_ne!(id("service", "open-road"), id("organization", "open-road"));
        assert_eq!(service_id("open-road"), id("service", "open-road"));
    }

    #[test]
    fn a_page_lists_its_items_in_the_page_shape_one_per_line() {
        let mut out = String::new();
        write_page(["{\"a\":1}", "{\"b\":2}"].into_iter(), &mut out);
        let page: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(page["total_items"], 2);
        assert_eq!(page["size"], 2);
        assert_eq!(page["empty"], false);
        assert_eq!(page["contents"][1]["b"], 2);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines[1..], ["{\"a\":1},", "{\"b\":2}", "]}"]);
        let mut out = String::new();
        write_page(std::iter::empty(), &mut out);
        let page: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(page["empty"], true);
        assert_eq!(page["contents"], serde_json::json!([]));
    }

    #[test]
    fn a_standalone_record_is_the_listed_one_on_its_own() {
        let rec = Record {
            json: "{\"id\":\"x\",\"l\":[1]}".to_owned(),
            rows: tabular::ServiceRows::new(&dummy()),
        };
        assert_eq!(rec.standalone(), "{\"id\":\"x\",\"l\":[1]}\n");
    }

    fn dummy() -> Service {
        Service {
            id: String::new(),
            organization_id: String::new(),
            name: String::new(),
            description: None,
            url: None,
            email: None,
            status: Status::Active,
            eligibility_description: None,
            application_process: None,
            assured_date: String::new(),
            schedules: Vec::new(),
            service_areas: Vec::new(),
            service_at_locations: Vec::new(),
            languages: Vec::new(),
            organization: Organization {
                id: String::new(),
                name: String::new(),
                description: String::new(),
            },
            cost_options: Vec::new(),
            contacts: Vec::new(),
            attributes: Vec::new(),
        }
    }
}
