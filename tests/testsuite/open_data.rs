//! Open data: the Open Referral UK 3.0 export (each area's `services.json` and
//! the site-wide feed under `openreferral/`), checked against the standard's
//! own published schemas in tests/schema/oruk-3.0/; the HSDS tabular form;
//! schema.org JSON-LD, sitemap and feed.

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::LazyLock;

use serde_json::{Value, json};

use crate::common::{self, Fixture, files_under};

const SCHEMAS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/schema/oruk-3.0");
/// How the openapi names the standard's schema files.
const SCHEMA_URL: &str = "https://raw.githubusercontent.com/openreferral/uk-profile/main/schema/";

fn load(rel: &str) -> Value {
    let path = format!("{SCHEMAS}/{rel}");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The published schemas, compiled once, with format checks on (`uuid`,
/// `uri`, `email`, `date-time`), which JSON Schema 2020-12 leaves off.
struct Oruk {
    service: jsonschema::Validator,
    service_list: jsonschema::Validator,
    taxonomy_term: jsonschema::Validator,
    /// The openapi's `/services` response: `Page` with `contents`.
    services_page: jsonschema::Validator,
    taxonomy_terms_page: jsonschema::Validator,
    /// The openapi's `/` response.
    index: jsonschema::Validator,
}

static ORUK: LazyLock<Oruk> = LazyLock::new(|| {
    let openapi = load("openapi.json");
    Oruk {
        service: validator(&load("compiled/service.json")),
        service_list: validator(&load("compiled/service_list.json")),
        taxonomy_term: validator(&load("taxonomy_term.json")),
        services_page: validator(&response_schema(&openapi, "/services")),
        taxonomy_terms_page: validator(&response_schema(&openapi, "/taxonomy_terms")),
        index: validator(&response_schema(&openapi, "/")),
    }
});

fn validator(schema: &Value) -> jsonschema::Validator {
    jsonschema::options()
        .should_validate_formats(true)
        .build(schema)
        .expect("a valid JSON Schema")
}

/// The openapi's schema of what `GET path` answers, with its `$ref`s to its
/// own components and to the standard's files resolved here, offline.
fn response_schema(openapi: &Value, path: &str) -> Value {
    let mut schema =
        openapi["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
            .clone();
    assert!(schema.is_object(), "the openapi has no {path}");
    resolve(&mut schema, openapi);
    schema
}

fn resolve(v: &mut Value, openapi: &Value) {
    match v {
        Value::Object(map) => {
            if let Some(Value::String(r)) = map.get("$ref") {
                let r = r.clone();
                *v = if let Some(name) = r.strip_prefix("#/components/schemas/") {
                    openapi["components"]["schemas"][name].clone()
                } else if let Some(file) = r.strip_prefix(SCHEMA_URL) {
                    load(file)
                } else {
                    panic!("a $ref this test cannot resolve: {r}")
                };
                return resolve(v, openapi);
            }
            map.values_mut().for_each(|x| resolve(x, openapi));
        }
        Value::Array(items) => items.iter_mut().for_each(|x| resolve(x, openapi)),
        _ => {}
    }
}

fn errors(v: &jsonschema::Validator, json: &Value) -> Vec<String> {
    v.iter_errors(json)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect()
}

fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

const PAGE_FIELDS: [&str; 8] = [
    "total_items",
    "total_pages",
    "page_number",
    "size",
    "first_page",
    "last_page",
    "empty",
    "contents",
];

/// A page of services: valid as the openapi's page, every page field there,
/// and every item a full record. Returns it parsed.
fn valid_services_page(path: &Path) -> Value {
    let page = read_json(path);
    let problems = errors(&ORUK.services_page, &page);
    assert!(problems.is_empty(), "{}: {problems:#?}", path.display());
    for field in PAGE_FIELDS {
        assert!(page.get(field).is_some(), "{}: no {field}", path.display());
    }
    let items = page["contents"].as_array().unwrap();
    assert_eq!(page["total_items"], items.len(), "{}", path.display());
    assert_eq!(page["size"], items.len());
    assert_eq!(page["empty"], items.is_empty());
    for (i, item) in items.iter().enumerate() {
        for (what, v) in [
            ("service", &ORUK.service),
            ("service_list", &ORUK.service_list),
        ] {
            let problems = errors(v, item);
            assert!(
                problems.is_empty(),
                "{}: /contents/{i} against compiled/{what}.json: {problems:#?}",
                path.display()
            );
        }
    }
    page
}

/// What `assert_open_data` found.
pub struct OpenData {
    /// Records validated against `compiled/service.json`, counting each
    /// copy (area pages, the site-wide page, the record files).
    pub records: usize,
    /// The site-wide `openreferral/services.json`.
    pub services: Value,
}

/// Checks every Open Referral file of a built site against the published
/// 3.0 schemas and the rules Signpost adds: no `null`, empty text or empty
/// list anywhere; every id a UUID naming one record; every id referred to
/// published; the tabular form's columns and data package.
pub fn assert_open_data(out: &Path) -> OpenData {
    let files = files_under(out);
    let mut records = 0;
    let mut ids = Ids::default();
    let mut check_everywhere = |file: &str, json: &Value| {
        assert_no_empty_values(json, "", file);
        ids.collect(json, file);
    };

    // Each area's page.
    for file in files.iter().filter(|f| {
        f.ends_with("/services.json")
            && f.matches('/').count() == 1
            && !f.starts_with("openreferral/")
    }) {
        let page = valid_services_page(&out.join(file));
        records += page["contents"].as_array().unwrap().len();
        check_everywhere(file, &page);
    }

    // The site-wide feed.
    let feed = out.join("openreferral");
    let index = read_json(&feed.join("index.json"));
    assert!(errors(&ORUK.index, &index).is_empty(), "{index}");
    assert_eq!(index["version"], "3.0");
    for key in ["profile", "openapi_url"] {
        assert!(
            index[key]
                .as_str()
                .is_some_and(|u| u.starts_with("https://")),
            "{key}"
        );
    }
    let services = valid_services_page(&feed.join("services.json"));
    check_everywhere("openreferral/services.json", &services);
    let listed = services["contents"].as_array().unwrap();
    records += listed.len();
    let record_files: Vec<&String> = files
        .iter()
        .filter(|f| f.starts_with("openreferral/services/"))
        .collect();
    assert_eq!(record_files.len(), listed.len(), "a file per service");
    for item in listed {
        let file = format!(
            "openreferral/services/{}.json",
            item["id"].as_str().unwrap()
        );
        let record = read_json(&out.join(&file));
        let problems = errors(&ORUK.service, &record);
        assert!(problems.is_empty(), "{file}: {problems:#?}");
        assert_eq!(&record, item, "{file} is the record the page lists");
        records += 1;
    }
    let terms = read_json(&feed.join("taxonomy_terms.json"));
    assert!(errors(&ORUK.taxonomy_terms_page, &terms).is_empty());
    for term in terms["contents"].as_array().unwrap() {
        let problems = errors(&ORUK.taxonomy_term, term);
        assert!(problems.is_empty(), "{term}: {problems:#?}");
    }
    check_everywhere("openreferral/taxonomy_terms.json", &terms);
    ids.assert_references_published();

    assert_tabular_form(out, &ids, listed.len());
    OpenData { records, services }
}

/// No `null`, no empty or blank text, no empty list (but a page's
/// `contents`, which the page shape requires even when there is nothing).
fn assert_no_empty_values(v: &Value, at: &str, file: &str) {
    match v {
        Value::Null => panic!("{file}: null at {at}"),
        Value::String(s) => assert!(!s.trim().is_empty(), "{file}: empty text at {at}"),
        Value::Array(items) => {
            assert!(
                !items.is_empty() || at == "/contents",
                "{file}: empty list at {at}"
            );
            for (i, x) in items.iter().enumerate() {
                assert_no_empty_values(x, &format!("{at}/{i}"), file);
            }
        }
        Value::Object(map) => {
            for (k, x) in map {
                assert_no_empty_values(x, &format!("{at}/{k}"), file);
            }
        }
        _ => {}
    }
}

/// Every record by its id, and every id a record refers to.
#[derive(Default)]
struct Ids {
    records: HashMap<String, Value>,
    references: Vec<(String, String)>,
}

impl Ids {
    fn collect(&mut self, v: &Value, file: &str) {
        match v {
            Value::Object(map) => {
                for (key, x) in map {
                    if key == "id" || key.ends_with("_id") {
                        let id = x.as_str().unwrap_or_else(|| panic!("{file}: {key} {x}"));
                        assert!(
                            uuid::Uuid::parse_str(id).is_ok(),
                            "{file}: {key} {id} is not a UUID"
                        );
                        if key != "id" {
                            self.references
                                .push((id.to_owned(), format!("{file}: {key}")));
                        }
                    }
                    self.collect(x, file);
                }
                if let Some(Value::String(id)) = map.get("id") {
                    match self.records.get(id) {
                        Some(seen) => assert!(
                            seen == v,
                            "{file}: the id {id} names two records:\n{seen}\n{v}"
                        ),
                        None => {
                            self.records.insert(id.clone(), v.clone());
                        }
                    }
                }
            }
            Value::Array(items) => items.iter().for_each(|x| self.collect(x, file)),
            _ => {}
        }
    }

    fn assert_references_published(&self) {
        for (id, place) in &self.references {
            assert!(
                self.records.contains_key(id),
                "{place} refers to {id}, which is not published"
            );
        }
    }
}

/// The extra columns each table has beyond the UK profile's: the HSDS 3.0
/// core fields the JSON records carry too.
fn extra_columns(resource: &str) -> &'static [&'static str] {
    match resource {
        "service" => &["eligibility_description", "application_process"],
        "language" => &["name"],
        _ => &[],
    }
}

/// The CSV files have the UK profile's columns for their table, the data
/// package lists exactly them, and every row's ids are the JSON's.
fn assert_tabular_form(out: &Path, ids: &Ids, services: usize) {
    let csv = out.join("openreferral/csv");
    let standard: HashMap<String, Vec<String>> = load("datapackage.json")["resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let fields = r["schema"]["fields"].as_array().unwrap();
            let names = fields
                .iter()
                .map(|f| f["name"].as_str().unwrap().to_owned());
            (r["name"].as_str().unwrap().to_owned(), names.collect())
        })
        .collect();
    let package = read_json(&csv.join("datapackage.json"));
    assert_eq!(package["profile"], "tabular-data-package");
    let mut listed = HashSet::new();
    for resource in package["resources"].as_array().unwrap() {
        let name = resource["name"].as_str().unwrap();
        let path = resource["path"].as_str().unwrap();
        listed.insert(path.to_owned());
        let columns: Vec<String> = resource["schema"]["fields"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["name"].as_str().unwrap().to_owned())
            .collect();
        let mut expected = standard
            .get(name)
            .unwrap_or_else(|| panic!("{name} is not a table of the standard"))
            .clone();
        expected.extend(extra_columns(name).iter().map(|c| c.to_string()));
        assert_eq!(columns, expected, "{name}: the standard's columns");
        let text =
            std::fs::read_to_string(csv.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"));
        let rows = parse_csv(&text);
        assert_eq!(rows[0], columns, "{path}: its header is the package's");
        for (r, row) in rows.iter().enumerate().skip(1) {
            assert_eq!(row.len(), columns.len(), "{path}: row {r}");
            // The row is the JSON record of its id, column by column.
            let record = ids.records.get(&row[0]).unwrap_or_else(|| {
                panic!("{path}: row {r}: the id {} is in no JSON record", row[0])
            });
            for (column, cell) in columns.iter().zip(row) {
                let expected = match record.get(column.as_str()) {
                    None => String::new(),
                    Some(Value::String(text)) => text.clone(),
                    Some(Value::Number(n)) => n.to_string(),
                    Some(other) => panic!("{path}: the column {column} is {other} in the JSON"),
                };
                assert_eq!(cell, &expected, "{path}: row {r}, {column}");
            }
        }
        if name == "service" {
            assert_eq!(rows.len() - 1, services, "a row per service");
        }
    }
    let on_disk: HashSet<String> = files_under(&csv)
        .into_iter()
        .filter(|f| f.ends_with(".csv"))
        .collect();
    assert_eq!(listed, on_disk, "the data package lists every CSV file");
}

/// RFC 4180, as the tabular form is written: quoted fields may hold commas,
/// quotes (doubled) and line breaks; rows end in CRLF.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let (mut rows, mut row, mut cell) = (Vec::new(), Vec::new(), String::new());
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                cell.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => cell.push(c),
            (false, '"') => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut cell)),
            (false, '\r') => {
                assert_eq!(chars.next(), Some('\n'), "CR without LF");
                row.push(std::mem::take(&mut cell));
                rows.push(std::mem::take(&mut row));
            }
            (false, '\n') => panic!("a bare LF ends a row"),
            (false, c) => cell.push(c),
        }
    }
    assert!(
        row.is_empty() && cell.is_empty(),
        "the last row ends in CRLF"
    );
    rows
}

fn contents(page: &Value) -> &Vec<Value> {
    page["contents"].as_array().unwrap()
}

fn named<'a>(page: &'a Value, name: &str) -> &'a Value {
    contents(page)
        .iter()
        .find(|s| s["name"] == name)
        .unwrap_or_else(|| panic!("no {name}"))
}

fn names(page: &Value) -> Vec<String> {
    contents(page)
        .iter()
        .map(|s| s["name"].as_str().unwrap().to_owned())
        .collect()
}

fn with_base_url() -> Fixture {
    let site = Fixture::new();
    site.write(
        "content/site.yaml",
        &format!(
            "{}base_url: https://guide.example.org/women\n",
            common::SITE_YAML
        ),
    );
    site
}

#[test]
fn the_example_guide_passes_the_published_3_0_schemas() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("guide");
    let run = common::signpost(
        &[
            "build",
            "--root",
            repo.to_str().unwrap(),
            "--output",
            out.to_str().unwrap(),
        ],
        repo,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let found = assert_open_data(&out);
    // Originals only: `live-fear-free.cy.md` is the Welsh of `live-fear-free.md`.
    let services = std::fs::read_dir(repo.join("content/services"))
        .unwrap()
        .filter(|e| {
            let name = e.as_ref().unwrap().file_name();
            name.to_string_lossy().matches('.').count() == 1
        })
        .count();
    assert_eq!(
        contents(&found.services).len(),
        services,
        "every service, once"
    );
    assert!(found.records > 2 * services, "{} records", found.records);
    // The example refuge's location is confidential: it is not published.
    let refuge = contents(&found.services)
        .iter()
        .find(|s| s["name"].as_str().unwrap().contains("refuge"))
        .expect("the example refuge");
    assert!(refuge.get("service_at_locations").is_none(), "{refuge}");
    for file in files_under(&out)
        .iter()
        .filter(|f| f.ends_with(".json") || f.ends_with(".csv"))
    {
        assert!(
            !std::fs::read_to_string(out.join(file))
                .unwrap()
                .contains("Essex refuge"),
            "{file}"
        );
    }
}

#[test]
fn every_area_page_holds_only_that_areas_services_and_one_record_for_each() {
    let site = Fixture::new();
    site.write(
        "content/areas/kent.yaml",
        "name: Kent\ncouncil: Kent County Council\n",
    );
    site.write(
        "content/services/two-areas.md",
        &common::OPEN_ROAD
            .replace("name: Open Road", "name: Two Areas")
            .replace("areas: [essex]", "areas: [essex, sutton]"),
    );
    assert_eq!(site.build().code, 0);
    let found = assert_open_data(&site.path("output"));
    let essex = valid_services_page(&site.path("output/essex/services.json"));
    let sutton = valid_services_page(&site.path("output/sutton/services.json"));
    let kent = valid_services_page(&site.path("output/kent/services.json"));
    assert!(names(&essex).contains(&"Two Areas".to_owned()));
    assert!(names(&sutton).contains(&"Two Areas".to_owned()));
    assert!(
        !names(&kent).contains(&"Two Areas".to_owned()),
        "not in a third area"
    );
    assert!(
        names(&kent).contains(&"National Domestic Abuse Helpline".to_owned()),
        "national services are everywhere"
    );
    // The same record, byte for byte, wherever it is listed.
    let two = named(&found.services, "Two Areas");
    assert_eq!(named(&essex, "Two Areas"), two);
    assert_eq!(named(&sutton, "Two Areas"), two);
    let area_names: Vec<&str> = two["service_areas"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["name"].as_str().unwrap())
        .collect();
    assert_eq!(area_names, ["Essex", "Sutton"], "one service area per area");
    let national = named(&found.services, "National Domestic Abuse Helpline");
    assert_eq!(national["service_areas"].as_array().unwrap().len(), 1);
    assert_eq!(national["service_areas"][0]["name"], "England");
    assert_eq!(contents(&found.services).len(), 3, "each service once");
}

#[test]
fn export_fields_map_from_ours() {
    let site = Fixture::new();
    site.edit(
        "content/services/open-road.md",
        "areas: [essex]",
        "areas: [essex]\nwomen_only: true\neligibility: Women on probation in Essex.\nreferral_notes: Ask your probation officer.\nlanguages: [Polish, Urdu]\nhours_notes: Closed on bank holidays.",
    );
    site.edit(
        "content/services/open-road.md",
        "  website: https://www.openroad.org.uk",
        "  website: https://www.openroad.org.uk\n  email: help@openroad.org.uk\n  notes: Leave a message.",
    );
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let found = assert_open_data(&site.path("output"));
    let r = named(&found.services, "Open Road");
    assert_eq!(
        r["id"], "61598117-6cd5-5715-b5ef-be6905cd7f11",
        "from the slug, pinned"
    );
    assert_eq!(r["description"], "Support with drugs and alcohol.");
    assert_eq!(
        r["url"], "https://www.openroad.org.uk",
        "the service's website"
    );
    assert_eq!(r["email"], "help@openroad.org.uk");
    assert_eq!(r["status"], "active");
    assert_eq!(r["assured_date"], "2026-06-01");
    assert_eq!(r["organization"]["name"], "Open Road Ltd");
    assert_eq!(r["organization_id"], r["organization"]["id"]);
    assert_eq!(r["eligibility_description"], "Women on probation in Essex.");
    assert_eq!(
        r["application_process"],
        "Self-referral or professional referral. Ask your probation officer."
    );
    let phone = &r["contacts"][0]["phones"][0];
    assert_eq!(phone["number"], "01206 500585");
    assert_eq!(phone["description"], "Leave a message.");
    assert_eq!(phone["contact_id"], r["contacts"][0]["id"]);
    let schedule = &r["schedules"][0];
    assert_eq!(
        [
            &schedule["freq"],
            &schedule["byday"],
            &schedule["opens_at"],
            &schedule["closes_at"]
        ],
        ["WEEKLY", "MO,TU,WE,TH,FR", "09:00:00", "17:00:00"]
    );
    assert_eq!(schedule["notes"], "Closed on bank holidays.");
    assert_eq!(r["cost_options"][0]["amount"], 0, "free");
    let languages: Vec<&Value> = r["languages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| &l["name"])
        .collect();
    assert_eq!(languages, ["Polish", "Urdu"]);
    let terms: Vec<(&str, &str)> = r["attributes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            assert_eq!(a["link_id"], r["id"]);
            assert_eq!(a["taxonomy_term_id"], a["taxonomy_term"]["id"]);
            let term = &a["taxonomy_term"];
            (
                term["taxonomy"].as_str().unwrap(),
                term["name"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        terms,
        [
            ("signpost-needs", "Housing"),
            ("signpost-eligibility", "Women only")
        ]
    );
    let places = r["service_at_locations"].as_array().unwrap();
    assert_eq!(places.len(), 1, "the confidential location is left out");
    let address = &places[0]["location"]["addresses"][0];
    assert_eq!(places[0]["location"]["name"], "Colchester hub");
    assert_eq!(
        [
            &address["address_1"],
            &address["city"],
            &address["postal_code"],
            &address["country"]
        ],
        ["1 High Street", "Colchester", "CO1 1AA", "GB"]
    );
    // The needs are listed as terms, with the term the records use.
    let terms = read_json(&site.path("output/openreferral/taxonomy_terms.json"));
    let housing = contents(&terms)
        .iter()
        .find(|t| t["name"] == "Housing")
        .unwrap();
    assert_eq!(housing, &r["attributes"][0]["taxonomy_term"]);
    assert_eq!(housing["description"], "A safe place to live.");
    // A service without hours, locations or languages has none of those keys.
    let helpline = named(&found.services, "National Domestic Abuse Helpline");
    for absent in [
        "schedules",
        "service_at_locations",
        "languages",
        "url",
        "email",
        "eligibility_description",
    ] {
        assert!(helpline.get(absent).is_none(), "{absent}: {helpline}");
    }
}

#[test]
fn a_confidential_location_appears_nowhere_in_the_open_data() {
    let site = Fixture::new();
    assert_eq!(site.build().code, 0);
    assert_open_data(&site.path("output"));
    let out = site.path("output");
    let open_data: Vec<String> = files_under(&out)
        .into_iter()
        .filter(|f| f.starts_with("openreferral/") || f.ends_with("/services.json"))
        .collect();
    assert!(open_data.len() > 15, "{open_data:?}");
    for file in &open_data {
        let text = std::fs::read_to_string(out.join(file)).unwrap();
        for secret in ["Secret Lane", "ZZ99", "Safe house"] {
            assert!(!text.contains(secret), "{file} holds {secret}");
        }
    }
}

#[test]
fn the_url_is_the_website_or_the_guide_page_under_a_base_url() {
    let site = with_base_url();
    site.edit(
        "content/services/open-road.md",
        "  website: https://www.openroad.org.uk\n",
        "",
    );
    assert_eq!(site.build().code, 0);
    let found = assert_open_data(&site.path("output"));
    assert_eq!(
        named(&found.services, "Open Road")["url"],
        "https://guide.example.org/women/essex/services/open-road/"
    );
    // Without a base_url there is no absolute address for the page: no url.
    let site = Fixture::new();
    site.edit(
        "content/services/open-road.md",
        "  website: https://www.openroad.org.uk\n",
        "",
    );
    assert_eq!(site.build().code, 0);
    let found = assert_open_data(&site.path("output"));
    assert!(named(&found.services, "Open Road").get("url").is_none());
}

#[test]
fn the_tabular_form_holds_the_records_linked_by_id() {
    let site = Fixture::new();
    assert_eq!(site.build().code, 0);
    let found = assert_open_data(&site.path("output"));
    let r = named(&found.services, "Open Road");
    let table = |name: &str| parse_csv(&site.read(&format!("output/openreferral/csv/{name}")));
    let row_of = |rows: &[Vec<String>], id: &Value| -> HashMap<String, String> {
        let row = rows[1..]
            .iter()
            .find(|row| Some(row[0].as_str()) == id.as_str())
            .unwrap_or_else(|| panic!("no row {id}"));
        rows[0].iter().cloned().zip(row.iter().cloned()).collect()
    };
    let services = table("services.csv");
    let row = row_of(&services, &r["id"]);
    assert_eq!(row["name"], "Open Road");
    assert_eq!(
        row["organization_id"],
        r["organization_id"].as_str().unwrap()
    );
    assert_eq!(row["assured_date"], "2026-06-01");
    let phones = table("phones.csv");
    let phone = row_of(&phones, &r["contacts"][0]["phones"][0]["id"]);
    assert_eq!(phone["number"], "01206 500585");
    let contacts = table("contacts.csv");
    assert_eq!(
        row_of(&contacts, &json!(phone["contact_id"]))["service_id"],
        row["id"]
    );
    let addresses = table("addresses.csv");
    assert_eq!(
        addresses.len(),
        2,
        "one address: the confidential one is left out"
    );
    assert_eq!(addresses[1][3], "1 High Street");
    let schedules = table("schedules.csv");
    assert_eq!(
        row_of(&schedules, &r["schedules"][0]["id"])["byday"],
        "MO,TU,WE,TH,FR"
    );
    let organizations = table("organizations.csv");
    assert_eq!(organizations.len() - 1, 2, "one row per organisation");
}

#[test]
fn an_area_or_page_called_openreferral_is_an_error() {
    for file in [
        "content/areas/openreferral.yaml",
        "content/pages/openreferral.md",
    ] {
        let site = Fixture::new();
        let text = if file.ends_with(".yaml") {
            "name: Open Referral\ncouncil: A council\n"
        } else {
            "---\ntitle: Open Referral\n---\nText.\n"
        };
        site.write(file, text);
        let run = site.build();
        assert_ne!(run.code, 0, "{file}");
        run.assert_error(&format!(
            "{file}: error: this would be published at openreferral/, which also belongs to the Open Referral UK feed; rename one of the files"
        ));
    }
}

#[test]
fn the_schemas_reject_what_the_standard_forbids() {
    let site = Fixture::new();
    assert_eq!(site.build().code, 0);
    let good = valid_services_page(&site.path("output/essex/services.json"));
    assert!(ORUK.services_page.is_valid(&good));
    type Break = Box<dyn Fn(&mut Value)>;
    let record_breaks: [(&str, Break); 5] = [
        (
            "no name",
            Box::new(|v| drop(v.as_object_mut().unwrap().remove("name"))),
        ),
        (
            "an id that is not a UUID",
            Box::new(|v| v["id"] = "open-road".into()),
        ),
        (
            "an unknown status",
            Box::new(|v| v["status"] = "open".into()),
        ),
        (
            "a null description",
            Box::new(|v| v["description"] = Value::Null),
        ),
        (
            "a location without its type",
            Box::new(
                |v| v["service_at_locations"] = json!([{"id": "99b53c04-231d-54f8-9094-2f0da2fe9006", "location": {"id": "99b53c04-231d-54f8-9094-2f0da2fe9006"}}]),
            ),
        ),
    ];
    for (what, break_it) in record_breaks {
        let mut bad = good["contents"][0].clone();
        break_it(&mut bad);
        assert!(
            !ORUK.service.is_valid(&bad),
            "compiled/service.json accepts a record with {what}"
        );
    }
    let mut bad = good.clone();
    bad["total_items"] = "2".into();
    assert!(
        !ORUK.services_page.is_valid(&bad),
        "the page shape accepts a count in text"
    );
    let mut bad = good;
    bad["contents"][0]["id"] = "x".into();
    assert!(
        !ORUK.services_page.is_valid(&bad),
        "the page checks its items"
    );
}

#[test]
fn service_pages_carry_schema_org_json_ld() {
    let site = with_base_url();
    assert_eq!(site.build().code, 0);
    let page = site.read("output/essex/services/open-road/index.html");
    let start = page
        .find("<script type=\"application/ld+json\">")
        .expect("JSON-LD")
        + "<script type=\"application/ld+json\">".len();
    let end = start + page[start..].find("</script>").unwrap();
    let ld: Value = serde_json::from_str(&page[start..end]).expect("valid JSON");
    assert_eq!(
        ld["@context"],
        serde_json::json!(["https://schema.org", {"@language": "en-GB"}]),
        "schema.org's terms, and the language of the text"
    );
    assert_eq!(ld["@type"], "Service");
    assert_eq!(ld["name"], "Open Road");
    assert_eq!(
        ld["url"],
        "https://guide.example.org/women/essex/services/open-road/"
    );
    assert_eq!(ld["provider"]["@type"], "Organization");
    assert_eq!(ld["provider"]["name"], "Open Road Ltd");
    assert_eq!(ld["areaServed"][0]["name"], "Essex");
    assert_eq!(ld["contactPoint"][0]["telephone"], "01206 500585");
    assert_eq!(
        ld["hoursAvailable"][0]["@type"],
        "OpeningHoursSpecification"
    );
    assert_eq!(
        ld["hoursAvailable"][0]["dayOfWeek"][0],
        "https://schema.org/Monday"
    );
    assert_eq!(ld["hoursAvailable"][0]["opens"], "09:00");
}

#[test]
fn sitemap_and_feed_with_a_base_url() {
    let site = with_base_url();
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        !run.stderr.contains("base_url"),
        "no warning with a base_url"
    );
    let sitemap = site.read("output/sitemap.xml");
    let locs: Vec<&str> = sitemap
        .split("<loc>")
        .skip(1)
        .map(|s| s.split("</loc>").next().unwrap())
        .collect();
    assert!(locs.contains(&"https://guide.example.org/women/essex/services/open-road/"));
    assert!(locs.contains(&"https://guide.example.org/women/"));
    assert!(
        locs.iter()
            .all(|l| l.starts_with("https://guide.example.org/women/") && l.ends_with('/')),
        "{locs:?}"
    );
    assert!(!sitemap.contains("services.json") && !sitemap.contains("openreferral"));
    let feed = site.read("output/feed.xml");
    assert!(feed.contains("<feed xmlns=\"http://www.w3.org/2005/Atom\">"));
    let titles: Vec<&str> = feed
        .split("<title>")
        .skip(2)
        .map(|s| s.split("</title>").next().unwrap())
        .collect();
    assert_eq!(
        titles,
        ["National Domestic Abuse Helpline", "Open Road"],
        "newest review first"
    );
    // The feed's entry ids are the open data's.
    assert!(feed.contains("<id>urn:uuid:61598117-6cd5-5715-b5ef-be6905cd7f11</id>"));
}

#[test]
fn partial_addresses_and_round_the_clock_hours_still_meet_the_standard() {
    let site = Fixture::new();
    site.edit(
        "content/services/open-road.md",
        "locations:\n",
        "locations:\n  - name: Market stall\n    address: Market Square\n    postcode: CO2 2BB\n  - name: Van\n    address: Outside the library\n",
    );
    site.edit(
        "content/services/national-domestic-abuse-helpline.md",
        "last_reviewed:",
        "hours:\n  - days: [mon, tue, wed, thu, fri, sat, sun]\n    opens: \"00:00\"\n    closes: \"24:00\"\nlast_reviewed:",
    );
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let found = assert_open_data(&site.path("output"));
    let places = named(&found.services, "Open Road")["service_at_locations"]
        .as_array()
        .unwrap()
        .clone();
    let location = |name: &str| {
        places
            .iter()
            .map(|p| &p["location"])
            .find(|l| l["name"] == name)
            .unwrap_or_else(|| panic!("no {name}"))
            .clone()
    };
    // No comma: the whole address is the street, the area the town.
    let stall = location("Market stall");
    let address = &stall["addresses"][0];
    assert_eq!(
        [
            &address["address_1"],
            &address["city"],
            &address["state_province"],
            &address["postal_code"]
        ],
        ["Market Square", "Essex", "Essex", "CO2 2BB"]
    );
    // No postcode: no address, which needs one; the words are kept.
    let van = location("Van");
    assert!(van.get("addresses").is_none(), "{van}");
    assert_eq!(van["description"], "Outside the library");
    let schedule = &named(&found.services, "National Domestic Abuse Helpline")["schedules"][0];
    assert_eq!(schedule["byday"], "MO,TU,WE,TH,FR,SA,SU");
    assert_eq!(
        [
            &schedule["opens_at"],
            &schedule["closes_at"],
            &schedule["description"]
        ],
        ["00:00:00", "23:59:59", "Open 24 hours"]
    );
}

#[test]
fn a_need_named_like_an_eligibility_term_keeps_ids_of_its_own() {
    let site = Fixture::new();
    site.write(
        "content/needs.yaml",
        &format!(
            "{}- slug: women-only\n  name: Women-only spaces\n  description: Places only women use.\n",
            common::NEEDS_YAML
        ),
    );
    site.edit(
        "content/services/open-road.md",
        "needs: [housing]",
        "needs: [housing, women-only]\nwomen_only: true",
    );
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let found = assert_open_data(&site.path("output"));
    let attributes = named(&found.services, "Open Road")["attributes"]
        .as_array()
        .unwrap()
        .len();
    assert_eq!(attributes, 3, "two needs and women only");
}
