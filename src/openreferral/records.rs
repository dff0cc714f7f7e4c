//! The Open Referral UK 3.0 records Signpost publishes, as Rust types: the
//! fields of the UK profile's `schema/compiled/service.json` that Signpost has
//! something for, plus four of HSDS 3.0's core fields that the UK profile
//! leaves out but does not forbid (its schemas allow other properties):
//! `eligibility_description`, `application_process`, `contacts[].phones` and
//! `languages[].name`. Without them a helpline's number and who a service is
//! for would have no place at all. docs/open-data.md maps every field.
//!
//! Every optional field is left out when it has no value: the standard's
//! validators and the directories that read these files treat `null`, `""`
//! and `[]` as values, not as "not known".

use serde::Serialize;

/// A full service record: an item of a page's `contents`, and
/// `openreferral/services/<id>.json`.
#[derive(Debug, Clone, Serialize)]
pub struct Service {
    pub id: String,
    pub organization_id: String,
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    pub status: Status,
    /// HSDS 3.0 core; not in the UK profile.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub eligibility_description: Option<String>,
    /// HSDS 3.0 core; not in the UK profile.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub application_process: Option<String>,
    pub assured_date: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub schedules: Vec<Schedule>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub service_areas: Vec<ServiceArea>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub service_at_locations: Vec<ServiceAtLocation>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub languages: Vec<Language>,
    pub organization: Organization,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub cost_options: Vec<CostOption>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub contacts: Vec<Contact>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub attributes: Vec<Attribute>,
}

/// A published service is always active: drafts are never built, and a
/// service that has closed is taken out of the guide, not marked.
#[derive(Debug, Clone, Copy, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Active,
}

impl Status {
    /// As serde writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Active => "active",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Organization {
    pub id: String,
    pub name: String,
    /// Required by the standard; Signpost holds only the name.
    pub description: String,
}

/// Weekly opening hours: one per set of days with the same times.
#[derive(Debug, Clone, Serialize)]
pub struct Schedule {
    pub id: String,
    pub service_id: String,
    pub freq: Freq,
    pub interval: u32,
    /// iCalendar days: `MO,TU,WE`.
    pub byday: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// `HH:MM:SS`.
    pub opens_at: String,
    /// `HH:MM:SS`; a closing time of midnight (24:00) is `23:59:59`.
    pub closes_at: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
}

#[derive(Debug, Clone, Copy, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Freq {
    Weekly,
}

impl Freq {
    /// As serde writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Freq::Weekly => "WEEKLY",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct ServiceArea {
    pub id: String,
    pub service_id: String,
    pub name: String,
    pub service_area: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ServiceAtLocation {
    pub id: String,
    pub service_id: String,
    pub location_id: String,
    pub location: Location,
}

#[derive(Debug, Clone, Serialize)]
pub struct Location {
    pub id: String,
    pub location_type: LocationType,
    pub name: String,
    /// The address as written, when it cannot fill the standard's address
    /// (which needs a street, a town and a postcode).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub addresses: Vec<Address>,
}

#[derive(Debug, Clone, Copy, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LocationType {
    Physical,
}

impl LocationType {
    /// As serde writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            LocationType::Physical => "physical",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Address {
    pub id: String,
    pub location_id: String,
    pub address_1: String,
    pub city: String,
    pub state_province: String,
    pub postal_code: String,
    /// ISO 3166-1 alpha-2.
    pub country: &'static str,
    pub address_type: LocationType,
}

/// A language the service works in. The UK profile's language has only ids;
/// `name` is HSDS 3.0 core.
#[derive(Debug, Clone, Serialize)]
pub struct Language {
    pub id: String,
    pub service_id: String,
    pub name: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct CostOption {
    pub id: String,
    pub service_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub amount: Option<u32>,
    pub amount_description: String,
}

/// Who to ring: the organisation, with its number. `phones` is HSDS 3.0 core
/// (the UK profile's phone table links to a contact by `contact_id`).
#[derive(Debug, Clone, Serialize)]
pub struct Contact {
    pub id: String,
    pub service_id: String,
    pub name: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub phones: Vec<Phone>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Phone {
    pub id: String,
    pub contact_id: String,
    pub number: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// A service classified by a taxonomy term: its needs, and women-only.
#[derive(Debug, Clone, Serialize)]
pub struct Attribute {
    pub id: String,
    pub link_id: String,
    pub link_type: &'static str,
    pub taxonomy_term_id: String,
    pub taxonomy_term: TaxonomyTerm,
}

#[derive(Debug, Clone, Serialize)]
pub struct TaxonomyTerm {
    pub id: String,
    pub name: String,
    pub description: String,
    /// Which vocabulary: `signpost-needs` or `signpost-eligibility`.
    pub taxonomy: &'static str,
}

/// The API's `/` document: which version and profile, and where its openapi is.
#[derive(Debug, Clone, Serialize)]
pub struct ApiInfo {
    pub version: &'static str,
    pub profile: &'static str,
    pub openapi_url: &'static str,
}
