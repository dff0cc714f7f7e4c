//! Open data: services.json in Open Referral UK shape (validated against the JSON
//! Schema in docs/schema/), schema.org JSON-LD, sitemap and feed.

use crate::common::{self, Fixture};
use serde_json::Value;

fn schema() -> jsonschema::Validator {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/docs/schema/oruk-service-list.schema.json"
    ))
    .unwrap();
    jsonschema::validator_for(&serde_json::from_str(&text).unwrap()).expect("a valid JSON Schema")
}

/// Validates a services.json file and returns it parsed.
pub fn valid_export(path: &std::path::Path) -> Value {
    let json: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let errors: Vec<String> = schema()
        .iter_errors(&json)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{}: {errors:#?}", path.display());
    json
}

fn names(export: &Value) -> Vec<String> {
    export["content"]
        .as_array()
        .unwrap()
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
fn every_area_export_is_valid_and_holds_only_that_areas_services() {
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
    let essex = valid_export(&site.path("output/essex/services.json"));
    let sutton = valid_export(&site.path("output/sutton/services.json"));
    let kent = valid_export(&site.path("output/kent/services.json"));
    assert!(
        names(&essex).contains(&"Two Areas".to_owned())
            && names(&sutton).contains(&"Two Areas".to_owned())
    );
    assert!(
        !names(&kent).contains(&"Two Areas".to_owned()),
        "not in a third area"
    );
    assert!(
        names(&kent).contains(&"National Domestic Abuse Helpline".to_owned()),
        "national services are everywhere"
    );
    let same_id = |a: &Value, b: &Value| {
        let find = |v: &Value| {
            v["content"]
                .as_array()
                .unwrap()
                .iter()
                .find(|s| s["name"] == "Two Areas")
                .unwrap()["id"]
                .clone()
        };
        find(a) == find(b)
    };
    assert!(
        same_id(&essex, &sutton),
        "a service keeps one id across areas"
    );
}

#[test]
fn export_fields_map_from_ours() {
    let site = Fixture::new();
    assert_eq!(site.build().code, 0);
    let essex = valid_export(&site.path("output/essex/services.json"));
    let open_road = essex["content"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "Open Road")
        .unwrap();
    assert_eq!(
        open_road["url"], "services/open-road/",
        "relative without base_url"
    );
    assert_eq!(open_road["organization"]["name"], "Open Road Ltd");
    assert_eq!(
        open_road["contacts"][0]["phones"][0]["number"],
        "01206 500585"
    );
    assert_eq!(open_road["regular_schedules"][0]["byday"], "MO,TU,WE,TH,FR");
    assert_eq!(open_road["regular_schedules"][0]["opens_at"], "09:00:00");
    assert_eq!(open_road["assured_date"], "2026-06-01");
    assert_eq!(
        open_road["service_taxonomys"][0]["taxonomy"]["name"],
        "Housing"
    );
    let locations = open_road["service_at_locations"].as_array().unwrap();
    assert_eq!(
        locations[0]["location"]["physical_addresses"][0]["postal_code"],
        "CO1 1AA"
    );
    assert_eq!(locations[1]["location"]["name"], "Safe house");
    assert_eq!(
        locations[1]["location"]["physical_addresses"],
        Value::Array(vec![]),
        "no address for a confidential location"
    );
    let text = std::fs::read_to_string(site.path("output/essex/services.json")).unwrap();
    assert!(!text.contains("Secret Lane") && !text.contains("ZZ99"));
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
    assert_eq!(ld["@context"], "https://schema.org");
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
    assert!(!sitemap.contains("services.json"));
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
    let export = valid_export(&site.path("output/essex/services.json"));
    assert!(
        export["content"][0]["url"]
            .as_str()
            .unwrap()
            .starts_with("https://guide.example.org/women/essex/services/")
    );
}

#[test]
fn the_schema_rejects_what_the_standard_forbids() {
    let site = Fixture::new();
    assert_eq!(site.build().code, 0);
    let good = valid_export(&site.path("output/essex/services.json"));
    let schema = schema();
    for (what, break_it) in [
        (
            "no name",
            Box::new(|v: &mut Value| {
                v["content"][0].as_object_mut().unwrap().remove("name");
            }) as Box<dyn Fn(&mut Value)>,
        ),
        (
            "bad id",
            Box::new(|v: &mut Value| v["content"][0]["id"] = "open-road".into()),
        ),
        (
            "bad day",
            Box::new(
                |v: &mut Value| v["content"][0]["regular_schedules"] = serde_json::json!([{"id": "00000000-0000-0000-0000-000000000000", "freq": "WEEKLY", "byday": "MONDAY", "opens_at": "09:00:00", "closes_at": "17:00:00"}]),
            ),
        ),
        (
            "unknown field",
            Box::new(|v: &mut Value| v["content"][0]["nmae"] = "x".into()),
        ),
    ] {
        let mut bad = good.clone();
        break_it(&mut bad);
        assert!(
            !schema.is_valid(&bad),
            "the schema accepts an export with {what}"
        );
    }
}
