//! The HSDS tabular form: one CSV file per kind of record under
//! `openreferral/csv/`, linked by ids, and a `datapackage.json` (Frictionless
//! Data) that lists them, as other directories import them. The columns are
//! those of the UK profile's `datapackage.json`, in its order, and after them
//! the HSDS 3.0 core columns the JSON records carry beyond the profile
//! (`records`'s header says which).
//!
//! Each row is read from the same typed records the JSON is made of, each
//! cell from the field of the column's name (`cells!`); the tests check every
//! cell against the JSON record of the same id.

use std::borrow::Cow;
use std::collections::HashSet;

use serde::Serialize;

use super::records::*;

/// A CSV file of the tabular form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Table {
    Organizations,
    Services,
    ServiceAreas,
    Locations,
    Addresses,
    ServiceAtLocations,
    Schedules,
    Contacts,
    Phones,
    Languages,
    CostOptions,
    TaxonomyTerms,
    Attributes,
}

impl Table {
    pub const ALL: [Table; 13] = [
        Table::Organizations,
        Table::Services,
        Table::ServiceAreas,
        Table::Locations,
        Table::Addresses,
        Table::ServiceAtLocations,
        Table::Schedules,
        Table::Contacts,
        Table::Phones,
        Table::Languages,
        Table::CostOptions,
        Table::TaxonomyTerms,
        Table::Attributes,
    ];

    /// The resource's name in the data package (the standard's, singular).
    pub fn name(self) -> &'static str {
        match self {
            Table::Organizations => "organization",
            Table::Services => "service",
            Table::ServiceAreas => "service_area",
            Table::Locations => "location",
            Table::Addresses => "address",
            Table::ServiceAtLocations => "service_at_location",
            Table::Schedules => "schedule",
            Table::Contacts => "contact",
            Table::Phones => "phone",
            Table::Languages => "language",
            Table::CostOptions => "cost_option",
            Table::TaxonomyTerms => "taxonomy_term",
            Table::Attributes => "attribute",
        }
    }

    /// The file's name in `openreferral/csv/`: HSDS 3.0's plural names.
    pub fn file(self) -> &'static str {
        match self {
            Table::Organizations => "organizations.csv",
            Table::Services => "services.csv",
            Table::ServiceAreas => "service_areas.csv",
            Table::Locations => "locations.csv",
            Table::Addresses => "addresses.csv",
            Table::ServiceAtLocations => "service_at_locations.csv",
            Table::Schedules => "schedules.csv",
            Table::Contacts => "contacts.csv",
            Table::Phones => "phones.csv",
            Table::Languages => "languages.csv",
            Table::CostOptions => "cost_options.csv",
            Table::TaxonomyTerms => "taxonomy_terms.csv",
            Table::Attributes => "attributes.csv",
        }
    }

    /// A table from its file name.
    pub fn from_file(file: &str) -> Option<Table> {
        Table::ALL.into_iter().find(|t| t.file() == file)
    }

    /// The columns: the UK profile's, then HSDS 3.0 core columns it leaves out.
    pub fn columns(self) -> &'static [&'static str] {
        match self {
            Table::Organizations => &[
                "id",
                "name",
                "description",
                "email",
                "website",
                "logo",
                "uri",
                "parent_organization_id",
            ],
            Table::Services => &[
                "id",
                "organization_id",
                "name",
                "description",
                "url",
                "email",
                "status",
                "fees",
                "accreditations",
                "minimum_age",
                "maximum_age",
                "assured_date",
                "assurer_email",
                "alert",
                "last_modified",
                "eligibility_description",
                "application_process",
            ],
            Table::ServiceAreas => &[
                "id",
                "service_id",
                "name",
                "extent",
                "extent_type",
                "uri",
                "service_area",
            ],
            Table::Locations => &[
                "id",
                "location_type",
                "name",
                "description",
                "latitude",
                "longitude",
                "external_identifier",
                "external_identifier_type",
            ],
            Table::Addresses => &[
                "id",
                "location_id",
                "attention",
                "address_1",
                "city",
                "region",
                "state_province",
                "postal_code",
                "country",
                "address_type",
            ],
            Table::ServiceAtLocations => &["id", "service_id", "location_id"],
            Table::Schedules => &[
                "id",
                "service_id",
                "service_at_location_id",
                "valid_from",
                "valid_to",
                "dtstart",
                "freq",
                "interval",
                "byday",
                "bymonthday",
                "description",
                "opens_at",
                "closes_at",
                "schedule_link",
                "attending_type",
                "notes",
            ],
            Table::Contacts => &["id", "service_id", "name", "title"],
            Table::Phones => &["id", "contact_id", "number", "description"],
            Table::Languages => &["id", "service_id", "phone_id", "name"],
            Table::CostOptions => &[
                "id",
                "service_id",
                "valid_from",
                "valid_to",
                "option",
                "amount",
                "amount_description",
            ],
            Table::TaxonomyTerms => &[
                "id",
                "name",
                "description",
                "parent_id",
                "taxonomy",
                "taxonomy_id",
                "term_uri",
                "term",
            ],
            Table::Attributes => &["id", "link_id", "taxonomy_term_id", "link_type"],
        }
    }

    /// The rows this table has for one service, in order (none for
    /// `TaxonomyTerms`, which are the site's, not a service's).
    fn service_rows(self, service: &Service) -> Vec<&dyn Cells> {
        let places = || service.service_at_locations.iter();
        fn rows<'a, T: Cells + 'a>(items: impl Iterator<Item = &'a T>) -> Vec<&'a dyn Cells> {
            items.map(|x| x as &dyn Cells).collect()
        }
        match self {
            Table::Organizations => vec![&service.organization as &dyn Cells],
            Table::Services => vec![service as &dyn Cells],
            Table::ServiceAreas => rows(service.service_areas.iter()),
            Table::Locations => rows(places().map(|x| &x.location)),
            Table::Addresses => rows(places().flat_map(|x| &x.location.addresses)),
            Table::ServiceAtLocations => rows(places()),
            Table::Schedules => rows(service.schedules.iter()),
            Table::Contacts => rows(service.contacts.iter()),
            Table::Phones => rows(service.contacts.iter().flat_map(|c| &c.phones)),
            Table::Languages => rows(service.languages.iter()),
            Table::CostOptions => rows(service.cost_options.iter()),
            Table::TaxonomyTerms => Vec::new(),
            Table::Attributes => rows(service.attributes.iter()),
        }
    }

    /// `rows` as CSV lines, in this table's columns.
    fn csv_lines<'a>(self, rows: impl IntoIterator<Item = &'a dyn Cells>) -> String {
        let columns = self.columns();
        crate::spreadsheet::csv_text(rows.into_iter().map(|row| {
            columns
                .iter()
                .map(|column| row.cell(column).unwrap_or_default())
                .collect::<Vec<_>>()
        }))
    }

    /// The CSV file (RFC 4180: a header row, CRLF line ends), from each
    /// service's rows as `ServiceRows` keeps them, in the services' order.
    /// An organisation that runs several services has one row.
    pub fn csv<'a>(
        self,
        services: impl IntoIterator<Item = &'a ServiceRows>,
        terms: &[TaxonomyTerm],
    ) -> String {
        let mut text = crate::spreadsheet::csv_text([self.columns()]);
        if self == Table::TaxonomyTerms {
            text.push_str(&self.csv_lines(terms.iter().map(|t| t as &dyn Cells)));
            return text;
        }
        let mut organisations = HashSet::new();
        for rows in services {
            if self == Table::Organizations && !organisations.insert(rows.organization_id.as_str())
            {
                continue;
            }
            text.push_str(&rows.lines[self as usize]);
        }
        text
    }
}

/// One service's rows in each table, as CSV lines: what the tabular form
/// needs of a record, kept instead of the typed record (a national guide's
/// typed records were a tenth of the build's memory).
#[derive(Debug, Clone)]
pub struct ServiceRows {
    organization_id: String,
    /// By `Table as usize`.
    lines: Vec<String>,
}

impl ServiceRows {
    pub fn new(service: &Service) -> ServiceRows {
        ServiceRows {
            organization_id: service.organization.id.clone(),
            lines: Table::ALL
                .iter()
                .map(|table| table.csv_lines(table.service_rows(service)))
                .collect(),
        }
    }
}

/// A record's value in a column, read from its field of the same name (the
/// name serde gives it in the JSON), without serialising the whole record:
/// the tabular form is written in every build.
trait Cells {
    fn cell(&self, column: &str) -> Option<Cow<'_, str>>;
}

/// A field's value as a cell; `None` when it has none.
trait Cell {
    fn cell(&self) -> Option<Cow<'_, str>>;
}

impl Cell for String {
    fn cell(&self) -> Option<Cow<'_, str>> {
        Some(Cow::Borrowed(self))
    }
}

impl Cell for &'static str {
    fn cell(&self) -> Option<Cow<'_, str>> {
        Some(Cow::Borrowed(self))
    }
}

impl<T: Cell> Cell for Option<T> {
    fn cell(&self) -> Option<Cow<'_, str>> {
        self.as_ref().and_then(Cell::cell)
    }
}

impl Cell for u32 {
    fn cell(&self) -> Option<Cow<'_, str>> {
        Some(Cow::Owned(self.to_string()))
    }
}

macro_rules! enum_cells {
    ($($ty:ty),*) => {$(
        impl Cell for $ty {
            fn cell(&self) -> Option<Cow<'_, str>> {
                Some(Cow::Borrowed(self.as_str()))
            }
        }
    )*};
}
enum_cells!(Status, Freq, LocationType);

/// Which fields of a record are columns: the field's name is the column's.
macro_rules! cells {
    ($($ty:ty { $($field:ident),* })*) => {$(
        impl Cells for $ty {
            fn cell(&self, column: &str) -> Option<Cow<'_, str>> {
                match column {
                    $(stringify!($field) => self.$field.cell(),)*
                    _ => None,
                }
            }
        }
    )*};
}

cells! {
    Organization { id, name, description }
    Service {
        id, organization_id, name, description, url, email, status, assured_date,
        eligibility_description, application_process
    }
    ServiceArea { id, service_id, name, service_area }
    Location { id, location_type, name, description }
    Address {
        id, location_id, address_1, city, state_province, postal_code, country, address_type
    }
    ServiceAtLocation { id, service_id, location_id }
    Schedule { id, service_id, freq, interval, byday, description, opens_at, closes_at, notes }
    Contact { id, service_id, name }
    Phone { id, contact_id, number, description }
    Language { id, service_id, name }
    CostOption { id, service_id, amount, amount_description }
    TaxonomyTerm { id, name, description, taxonomy }
    Attribute { id, link_id, taxonomy_term_id, link_type }
}

/// `openreferral/csv/datapackage.json`: the tables, their files and columns.
pub fn datapackage_json() -> String {
    #[derive(Serialize)]
    struct Package {
        name: &'static str,
        title: &'static str,
        profile: &'static str,
        resources: Vec<Resource>,
    }
    #[derive(Serialize)]
    struct Resource {
        name: &'static str,
        path: &'static str,
        profile: &'static str,
        format: &'static str,
        mediatype: &'static str,
        encoding: &'static str,
        schema: Schema,
    }
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Schema {
        fields: Vec<Field>,
        primary_key: &'static str,
    }
    #[derive(Serialize)]
    struct Field {
        name: &'static str,
        #[serde(rename = "type")]
        kind: &'static str,
    }
    let package = Package {
        name: "signpost-open-referral",
        title: "Services in the Open Referral UK 3.0 tabular form (HSDS 3.0)",
        profile: "tabular-data-package",
        resources: Table::ALL
            .iter()
            .map(|t| Resource {
                name: t.name(),
                path: t.file(),
                profile: "tabular-data-resource",
                format: "csv",
                mediatype: "text/csv",
                encoding: "utf-8",
                schema: Schema {
                    fields: t
                        .columns()
                        .iter()
                        .map(|&name| Field {
                            name,
                            kind: field_type(name),
                        })
                        .collect(),
                    primary_key: "id",
                },
            })
            .collect(),
    };
    let mut text = serde_json::to_string_pretty(&package).unwrap_or_default();
    text.push('\n');
    text
}

/// A column's Table Schema type, as the UK profile's data package gives it.
fn field_type(column: &str) -> &'static str {
    match column {
        "minimum_age" | "maximum_age" | "latitude" | "longitude" | "interval" | "amount" => {
            "number"
        }
        "assured_date" | "valid_from" | "valid_to" | "dtstart" => "date",
        "last_modified" => "datetime",
        _ => "string",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_table_is_its_position_in_all() {
        // `ServiceRows` keeps a service's lines by `Table as usize`.
        for (i, t) in Table::ALL.into_iter().enumerate() {
            assert_eq!(t as usize, i, "{}", t.name());
        }
    }

    #[test]
    fn every_table_has_an_id_column_first_and_a_file_of_its_own() {
        let mut files = HashSet::new();
        for t in Table::ALL {
            assert_eq!(t.columns()[0], "id", "{}", t.name());
            assert!(files.insert(t.file()), "{} twice", t.file());
            assert_eq!(Table::from_file(t.file()), Some(t));
        }
    }

    #[test]
    fn cells_come_from_the_records_by_column_and_are_quoted() {
        let terms = vec![TaxonomyTerm {
            id: "t1".into(),
            name: "Housing, and \"homes\"".into(),
            description: "Two\nlines".into(),
            taxonomy: "signpost-needs",
        }];
        let csv = Table::TaxonomyTerms.csv([], &terms);
        assert_eq!(
            csv,
            "id,name,description,parent_id,taxonomy,taxonomy_id,term_uri,term\r\n\
             t1,\"Housing, and \"\"homes\"\"\",\"Two\nlines\",,signpost-needs,,,\r\n"
        );
    }
}
