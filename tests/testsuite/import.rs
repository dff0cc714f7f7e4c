//! `signpost import` (Open Referral UK 3.0 JSON and spreadsheets) and
//! `signpost export --csv`: what comes in, what is reported and where, what is
//! never published, and the round trip on the example guide.

use std::fs;
use std::path::Path;
use std::process::Command;

use crate::common::{Fixture, files_under};

/// One service shaped like the standard's own `examples/service_full.json`
/// (nested organisation, locations with addresses, phones, a weekly schedule,
/// taxonomy terms, service areas) and fields this site cannot map; then a
/// second with an unknown term and an area the site lacks, and a third with no
/// name at all.
const FEED: &str = r#"{
  "total_items": 3, "total_pages": 1, "page_number": 1, "size": 3,
  "first_page": true, "last_page": true, "empty": false,
  "contents": [
    {
      "id": "ac148810-d857-441c-9679-408f346de14b",
      "organization_id": "d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610",
      "name": "Brighter Futures Women's Centre",
      "description": "Drop-in support for women in Essex: housing advice, and help if someone is hurting you.",
      "url": "https://brighter.example.org.uk",
      "email": "hello@brighter.example.org.uk",
      "status": "active",
      "fees": "Free",
      "accreditations": "Women's Aid quality standard",
      "minimum_age": 16,
      "assured_date": "2026-10-01",
      "alert": "Closed on bank holidays",
      "schedules": [
        {
          "id": "48102e86-bb50-41c4-8f1e-e269368c41d1",
          "freq": "WEEKLY",
          "byday": "MO,TU,WE,TH,FR",
          "opens_at": "09:30:00",
          "closes_at": "16:00:00",
          "description": "Drop in without an appointment."
        }
      ],
      "service_areas": [
        {"id": "381c64f1-a724-4884-9c21-ac96c21cca3e", "name": "Essex", "extent_type": "geojson", "extent": "{}"}
      ],
      "service_at_locations": [
        {
          "id": "e94c9f38-1e8f-4564-91d4-d53501ab1765",
          "location": {
            "id": "3a19ff88-4620-4d17-9830-ac1d859eb5d5",
            "location_type": "physical",
            "name": "Chelmsford centre",
            "latitude": 51.73,
            "longitude": 0.47,
            "addresses": [
              {
                "id": "74706e55-df26-4b84-80fe-ecc30b5befb4",
                "address_1": "5 Duke Street",
                "city": "Chelmsford",
                "postal_code": "CM1 1JA",
                "country": "GB",
                "address_type": "physical"
              }
            ]
          }
        }
      ],
      "phones": [
        {"id": "1", "number": "01245 000 111"},
        {"id": "2", "number": "01245 000 222"}
      ],
      "languages": [
        {"id": "2989d3ed", "name": "English"},
        {"id": "3989d3ed", "name": "Polish"}
      ],
      "organization": {
        "id": "d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610",
        "name": "Brighter Futures",
        "description": "A women's charity.",
        "website": "https://brighter.example.org.uk"
      },
      "funding": [{"id": "1f2df32c", "source": "The council"}],
      "attributes": [
        {"id": "a1", "taxonomy_term": {"id": "t1", "name": "Housing", "description": "Housing"}},
        {"id": "a2", "taxonomy_term": {"id": "t2", "name": "Domestic abuse", "description": "Abuse"}},
        {"id": "a3", "taxonomy_term": {"id": "t3", "name": "Women only", "description": "For women"}},
        {"id": "a4", "taxonomy_term": {"id": "t4", "name": "Self referral", "description": "Walk in"}}
      ]
    },
    {
      "id": "bc148810-d857-441c-9679-408f346de14b",
      "name": "Allotment Therapy",
      "description": "Gardening together.",
      "status": "active",
      "service_areas": [{"id": "s2", "name": "Narnia"}],
      "organization": {"id": "o2", "name": "Green Hands", "description": "Gardens."},
      "attributes": [
        {"id": "b1", "taxonomy_term": {"id": "t9", "name": "Gardening", "description": "Gardening"}}
      ]
    },
    {
      "id": "cc148810-d857-441c-9679-408f346de14b",
      "status": "active"
    }
  ]
}"#;

#[test]
fn an_oruk_page_becomes_services_with_what_is_missing_reported_at_its_place() {
    let site = Fixture::new();
    site.write("feed.json", FEED);
    let run = site.run(&["import", "feed.json"]);
    // The third record has no name to make a file from.
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("feed.json: /contents/2/name: error: the record has no name"),
        "{}",
        run.stderr
    );

    let first = site.read("content/services/brighter-futures-womens-centre.md");
    for line in [
        "name: \"Brighter Futures Women's Centre\"",
        "organisation: \"Brighter Futures\"",
        "summary: \"Drop-in support for women in Essex: housing advice, and help if someone is hurting you.\"",
        "areas: [essex]",
        "needs: [housing, domestic-abuse]",
        "referral: [self]",
        "women_only: true",
        "  phone: \"01245 000 111\"",
        "  email: \"hello@brighter.example.org.uk\"",
        "  website: \"https://brighter.example.org.uk\"",
        "  - name: \"Chelmsford centre\"",
        "    address: \"5 Duke Street, Chelmsford\"",
        "    postcode: \"CM1 1JA\"",
        "  - days: [mon, tue, wed, thu, fri]",
        "    opens: \"09:30\"",
        "    closes: \"16:00\"",
        "hours_notes: \"Drop in without an appointment.\"",
        "languages: [\"Polish\"]",
        "cost: \"Free\"",
        "last_reviewed: 2026-10-01",
        "draft: false",
        // The notes of `signpost new` are there too.
        "# Who runs it: the organisation or partnership.",
    ] {
        assert!(
            first.lines().any(|l| l == line),
            "no line {line:?} in:\n{first}"
        );
    }
    assert!(!first.contains("TO DO"), "{first}");
    // Everything with no place in Signpost is listed, not dropped.
    let note = run
        .stderr
        .lines()
        .find(|l| l.starts_with("feed.json: /contents/0: note: not imported"))
        .unwrap_or_else(|| panic!("no list of what was not imported:\n{}", run.stderr));
    for field in [
        "/accreditations",
        "/alert",
        "/funding",
        "/minimum_age",
        "/organization/description",
        "/phones/1/number",
        "/service_areas/0/extent",
        "/service_at_locations/0/location/latitude",
        "/service_at_locations/0/location/addresses/0/country",
    ] {
        assert!(note.contains(field), "{field} is not listed in: {note}");
    }

    // The second: an unknown term, an area the site lacks, no contact or
    // review date. Written, as a draft, saying what to fill in.
    let second = site.read("content/services/allotment-therapy.md");
    assert!(second.lines().any(|l| l == "draft: true"), "{second}");
    for (message, place) in [
        (
            "needs: \"Gardening\" is not one of this site's needs",
            "feed.json: /contents/1/attributes/0/taxonomy_term/name",
        ),
        (
            "areas: \"Narnia\" is not an area of this site",
            "feed.json: /contents/1/service_areas/0/name",
        ),
        // A missing field is reported where the standard would have it.
        ("contact: missing", "feed.json: /contents/1/url"),
        (
            "last_reviewed: missing",
            "feed.json: /contents/1/assured_date",
        ),
        ("referral: missing", "feed.json: /contents/1/attributes"),
    ] {
        assert!(
            run.stderr.contains(&format!("{place}: warning: {message}")),
            "no {place}: {message} in:\n{}",
            run.stderr
        );
        assert!(
            second.contains(message),
            "the file does not say {message}:\n{second}"
        );
    }

    // `check` then guides the editor, and the draft does not stop the site.
    let check = site.check();
    assert_eq!(check.code, 0, "{}", check.stderr);
    assert!(
        check
            .stderr
            .contains("content/services/allotment-therapy.md"),
        "{}",
        check.stderr
    );
    let build = site.build();
    assert_eq!(build.code, 0, "{}", build.stderr);
    let published = files_under(&site.path("output"));
    assert!(
        published
            .iter()
            .any(|f| f.contains("brighter-futures-womens-centre")),
        "{published:?}"
    );
    assert!(!published.iter().any(|f| f.contains("allotment-therapy")));
}

/// A spreadsheet as Excel saves it in the UK: a BOM, CRLF, quoted cells with
/// commas and line breaks, a blank row, trailing empty columns, TRUE/Yes/y,
/// a day-first date and an ISO one, a column Signpost does not have, and a
/// cell it cannot read.
const MESSY: &str = "\u{feff}Name,Organisation,summary,areas,needs,referral,women_only,phone,website,hours,last_reviewed,description,Funding,draft,,\r\n\
\"Hope House, Sutton\",Hope Trust,\"Advice, a meal and a warm room.\",sutton,housing; Domestic abuse,self; professional,TRUE,020 8000 0000,https://hope.example.org,\"mon-fri 09:00-17:00; Saturday 10:00-12:00\",01/12/2026,\"## What we offer\n\nSoup, and someone to listen.\n\",Lottery,n,,\r\n\
,,,,,,,,,,,,,,,\r\n\
Night Line,Night Trust,Someone to talk to at night.,all,domestic-abuse,self,Yes,0800 000 000,,,2026-11-02,,,y,,\r\n\
Day Centre,Day Trust,Drop in.,essex,housing,self,maybe,01206 000000,,every day,2026-13-45,,,no,,\r\n";

#[test]
fn a_messy_spreadsheet_is_read_as_a_spreadsheet_writes_it() {
    let site = Fixture::new();
    site.write("services.csv", MESSY);
    let run = site.run(&["import", "services.csv"]);
    assert_eq!(run.code, 0, "{}", run.stderr);

    let hope = site.read("content/services/hope-house-sutton.md");
    for line in [
        "name: \"Hope House, Sutton\"",
        "summary: \"Advice, a meal and a warm room.\"",
        "areas: [sutton]",
        "needs: [housing, domestic-abuse]",
        "referral: [self, professional]",
        "women_only: true",
        "  phone: \"020 8000 0000\"",
        "  - days: [mon, tue, wed, thu, fri]",
        "  - days: [sat]",
        "last_reviewed: 2026-12-01",
        "draft: false",
    ] {
        assert!(
            hope.lines().any(|l| l == line),
            "no line {line:?} in:\n{hope}"
        );
    }
    assert!(
        hope.ends_with("---\n## What we offer\n\nSoup, and someone to listen.\n"),
        "{hope}"
    );

    let night = site.read("content/services/night-line.md");
    assert!(night.lines().any(|l| l == "areas: all"), "{night}");
    assert!(night.lines().any(|l| l == "women_only: true"), "{night}");
    assert!(
        night.lines().any(|l| l == "draft: true"),
        "`y` is yes:\n{night}"
    );
    assert!(
        night.lines().any(|l| l == "last_reviewed: 2026-11-02"),
        "{night}"
    );

    // The unknown column is reported at its place, and its cell listed.
    assert!(
        run.stderr
            .contains("services.csv:1:13: warning: the column `funding` is not a Signpost field"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("services.csv:2: note: not imported, as Signpost has no field for them: services.csv:2:13"), "{}", run.stderr);
    // The blank row is skipped, but rows keep their spreadsheet numbers.
    for expected in [
        "services.csv:5:7: warning: women_only: should be yes or no",
        "services.csv:5:10: warning: hours: \"every day\": days are mon tue wed thu fri sat sun",
        "services.csv:5:11: warning: last_reviewed: \"2026-13-45\" is not a date",
    ] {
        assert!(
            run.stderr.contains(expected),
            "no {expected} in:\n{}",
            run.stderr
        );
    }
    let day = site.read("content/services/day-centre.md");
    assert!(day.lines().any(|l| l == "draft: true"), "{day}");
    assert!(day.contains("# TO DO: - women_only: should be yes or no (TRUE, FALSE, y, n), found \"maybe\" (services.csv:5:7)"), "{day}");
    assert_eq!(site.check().code, 0, "a draft never blocks the site");
}

#[test]
fn a_confidential_location_imported_is_never_published() {
    let site = Fixture::new();
    site.write(
        "refuge.csv",
        "name,organisation,summary,areas,needs,referral,phone,last_reviewed,location_name,location_address,location_postcode,location_confidential,location_2_name,location_2_address,location_2_postcode\n\
         Sutton Refuge,Safe Homes,A safe place to stay.,sutton,domestic-abuse,professional,0808 2000 247,2026-11-01,Sutton refuge,12 Hidden Road,SM9 9ZZ,TRUE,Advice office,1 Open Street,SM1 1AA\n",
    );
    let run = site.run(&["import", "refuge.csv"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let file = site.read("content/services/sutton-refuge.md");
    assert!(
        file.contains(
            "    address: \"12 Hidden Road\"\n    postcode: \"SM9 9ZZ\"\n    confidential: true"
        ),
        "{file}"
    );
    let build = site.build();
    assert_eq!(build.code, 0, "{}", build.stderr);
    let mut seen_office = false;
    for rel in files_under(&site.path("output")) {
        let bytes = fs::read(site.path("output").join(&rel)).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        for secret in ["Hidden Road", "SM9 9ZZ", "SM9%209ZZ"] {
            assert!(!text.contains(secret), "{rel} publishes {secret}");
        }
        seen_office |= text.contains("1 Open Street");
    }
    assert!(seen_office, "the other location is published");
    // Nor does the spreadsheet export pass it on.
    let export = site.run(&["export", "--csv", "out.csv"]);
    assert_eq!(export.code, 0, "{}", export.stderr);
    let csv = site.read("out.csv");
    assert!(
        csv.contains("Sutton refuge") && !csv.contains("Hidden Road") && !csv.contains("SM9 9ZZ"),
        "{csv}"
    );
}

#[test]
fn the_same_import_twice_changes_nothing() {
    let site = Fixture::new();
    site.write("services.csv", MESSY);
    site.write("feed.json", FEED);
    let first = site.run(&["import", "services.csv", "feed.json"]);
    assert_eq!(first.code, 1, "{}", first.stderr);
    let before = snapshot(&site.path("content"));
    let second = site.run(&["import", "services.csv", "feed.json"]);
    assert_eq!(
        second.code, 1,
        "the nameless record again:\n{}",
        second.stderr
    );
    assert!(
        second.stderr.contains("0 new, 0 updated, 5 unchanged"),
        "{}",
        second.stderr
    );
    assert_eq!(snapshot(&site.path("content")), before);
    let update = site.run(&["import", "--update", "services.csv", "feed.json"]);
    assert!(
        update.stderr.contains("0 new, 0 updated, 5 unchanged"),
        "{}",
        update.stderr
    );
    assert_eq!(snapshot(&site.path("content")), before);
}

/// Every file's path, bytes and modification time.
fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>, std::time::SystemTime)> {
    files_under(dir)
        .into_iter()
        .map(|rel| {
            let path = dir.join(&rel);
            let modified = fs::metadata(&path).and_then(|m| m.modified()).unwrap();
            (rel, fs::read(&path).unwrap(), modified)
        })
        .collect()
}

#[test]
fn update_rewrites_only_the_imported_fields() {
    let site = Fixture::new();
    let rel = "content/services/open-road.md";
    site.edit(rel, "summary: Support with drugs and alcohol.", "# Ask Sam before changing this.\nsummary: Support with drugs and alcohol.\nhours_notes: Closed at Christmas.");
    let csv =
        "slug,summary,phone\nopen-road,\"Support with drugs, alcohol and housing.\",01206 999999\n";
    site.write("changes.csv", csv);

    // Without --update, the file is left alone, and the run says so.
    let before = site.read(rel);
    let refused = site.run(&["import", "changes.csv"]);
    assert_eq!(refused.code, 1, "{}", refused.stderr);
    assert!(
        refused.stderr.contains(
            "content/services/open-road.md already exists and differs; left alone (use --update"
        ),
        "{}",
        refused.stderr
    );
    assert_eq!(site.read(rel), before);

    let run = site.run(&["import", "--update", "changes.csv"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let after = site.read(rel);
    let expected = before
        .replace(
            "summary: Support with drugs and alcohol.",
            "summary: \"Support with drugs, alcohol and housing.\"",
        )
        .replace("  phone: 01206 500585", "  phone: \"01206 999999\"");
    assert_eq!(after, expected);
    assert_eq!(site.build().code, 0);
}

#[test]
fn exit_codes_say_what_happened() {
    let site = Fixture::new();
    site.write("ok.csv", "name,organisation,summary,areas,needs,referral,phone,last_reviewed\nA,B,C,essex,housing,self,0800 1,2026-01-01\n");
    assert_eq!(site.run(&["import", "ok.csv"]).code, 0);
    // A record that cannot be written: 1.
    site.write("twice.csv", "name,organisation\nSame Name,X\nSame name,Y\n");
    let twice = site.run(&["import", "twice.csv"]);
    assert_eq!(twice.code, 1, "{}", twice.stderr);
    assert!(
        twice
            .stderr
            .contains("twice.csv:3: error: another record in this import is also `same-name`"),
        "{}",
        twice.stderr
    );
    // Usage and I/O: 2.
    assert_eq!(site.run(&["import", "missing.csv"]).code, 2);
    site.write("list.txt", "name\nA\n");
    assert_eq!(site.run(&["import", "list.txt"]).code, 2);
    site.write("broken.json", "{\"contents\": [");
    let broken = site.run(&["import", "broken.json"]);
    assert_eq!(broken.code, 2);
    assert!(
        broken.stderr.contains("broken.json:1:"),
        "{}",
        broken.stderr
    );
    assert_eq!(site.run(&["import"]).code, 2);
    let empty = tempfile::tempdir().unwrap();
    let no_site = crate::common::signpost(&["import", "x.csv"], empty.path());
    assert_eq!(no_site.code, 2, "{}", no_site.stderr);
}

#[test]
fn unsafe_slugs_and_links_are_refused() {
    let site = Fixture::new();
    site.write(
        "bad.csv",
        "slug,name\n../../escape,Escape\nOpen Road,Spaces\nfine-one,Fine\n",
    );
    let run = site.run(&["import", "bad.csv"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("bad.csv:2:1: error: \"../../escape\" is not a safe slug"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("bad.csv:3:1: error: \"Open Road\" is not a safe slug"),
        "{}",
        run.stderr
    );
    assert!(site.path("content/services/fine-one.md").exists());
    assert!(
        !site.path("escape.md").exists()
            && !site.root().parent().unwrap().join("escape.md").exists()
    );
    let services = files_under(&site.path("content/services"));
    assert_eq!(services.len(), 3, "{services:?}");

    // A link where the file would go is not followed.
    #[cfg(unix)]
    {
        let outside = tempfile::tempdir().unwrap();
        let target = outside.path().join("target.md");
        fs::write(&target, "outside").unwrap();
        std::os::unix::fs::symlink(&target, site.path("content/services/linked.md")).unwrap();
        site.write("linked.csv", "slug,name\nlinked,Linked\n");
        let run = site.run(&["import", "--update", "linked.csv"]);
        assert_eq!(run.code, 1, "{}", run.stderr);
        assert_eq!(fs::read_to_string(&target).unwrap(), "outside");
        assert!(run.stderr.contains("symbolic link"), "{}", run.stderr);
    }
}

/// The example guide out to a spreadsheet and back into a site with no
/// services builds byte for byte the same.
#[test]
fn the_example_guide_round_trips_through_a_spreadsheet() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let work = tempfile::tempdir().unwrap();
    let site = work.path().join("site");
    copy_tree(&repo.join("content"), &site.join("content"));
    copy_tree(&repo.join("themes"), &site.join("themes"));
    let run = |args: &[&str]| {
        let output = Command::new(env!("CARGO_BIN_EXE_signpost"))
            .args(args)
            .current_dir(&site)
            .env("SIGNPOST_TODAY", "2026-12-01")
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        assert_eq!(output.status.code(), Some(0), "{args:?}:\n{stderr}");
    };
    run(&["build", "--output", "../before"]);
    run(&["export", "--csv", "../services.csv"]);
    let services = site.join("content/services");
    let count = fs::read_dir(&services).unwrap().count();
    // The spreadsheet holds the main language; translations (`x.cy.md`) stay
    // beside the files it makes, as an editor would keep them.
    let translations: Vec<(std::path::PathBuf, Vec<u8>)> = fs::read_dir(&services)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .matches('.')
                .count()
                > 1
        })
        .map(|p| (p.clone(), fs::read(&p).unwrap()))
        .collect();
    fs::remove_dir_all(&services).unwrap();
    fs::create_dir(&services).unwrap();
    run(&["import", "../services.csv"]);
    for (path, bytes) in &translations {
        fs::write(path, bytes).unwrap();
    }
    assert_eq!(fs::read_dir(&services).unwrap().count(), count);
    run(&["build", "--output", "../after"]);
    let (before, after) = (work.path().join("before"), work.path().join("after"));
    let files = files_under(&before);
    assert_eq!(files, files_under(&after));
    assert!(files.len() > 100, "{}", files.len());
    for rel in files {
        assert!(
            fs::read(before.join(&rel)).unwrap() == fs::read(after.join(&rel)).unwrap(),
            "{rel} differs after the round trip"
        );
    }
}

fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            fs::create_dir_all(&target).unwrap();
        } else if entry.file_type().is_file() {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

#[test]
fn a_value_signpost_would_refuse_makes_a_draft_not_a_broken_site() {
    let site = Fixture::new();
    site.write(
        "odd.csv",
        "name,organisation,summary,areas,needs,referral,phone,website,last_reviewed\n\
         Odd Line,Odd Trust,Help.,essex,housing,self,Ring 0800 111,www.odd.example,2026-11-01\n\
         Tabbed,Tab Trust,Help\u{b}now.,essex,housing,self,0800 111,,2026-11-01\n",
    );
    let run = site.run(&["import", "odd.csv"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let file = site.read("content/services/odd-line.md");
    assert!(file.lines().any(|l| l == "draft: true"), "{file}");
    assert!(
        file.contains("# TO DO: - contact: `phone` should be one phone number"),
        "{file}"
    );
    assert!(
        run.stderr
            .contains("odd.csv:2:7: warning: contact: `phone` should be one phone number"),
        "{}",
        run.stderr
    );
    // A control character is not dropped unsaid: the reader refuses it.
    let tabbed = site.read("content/services/tabbed.md");
    assert!(tabbed.contains("summary: \"Help\\u000Bnow.\""), "{tabbed}");
    assert!(tabbed.lines().any(|l| l == "draft: true"), "{tabbed}");
    assert!(
        run.stderr
            .contains("odd.csv:3:3: warning: summary: `summary` holds a control character"),
        "{}",
        run.stderr
    );
    let check = site.check();
    assert_eq!(check.code, 0, "{}", check.stderr);
    assert!(
        check.stderr.contains("content/services/odd-line.md:"),
        "{}",
        check.stderr
    );
}

#[test]
fn an_entry_that_is_not_a_service_is_a_record_not_written() {
    let site = Fixture::new();
    site.write(
        "list.json",
        r#"[{"name": "Good", "status": "active"}, "not a service"]"#,
    );
    let run = site.run(&["import", "list.json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("list.json: /1: error: expected a service"),
        "{}",
        run.stderr
    );
    assert!(site.path("content/services/good.md").exists());
}

/// SPEC §5: a draft's own problems are warnings; they never block the rest of
/// the site, and `--strict` fails on them.
#[test]
fn a_drafts_own_problems_are_warnings() {
    let site = Fixture::new();
    site.write(
        "content/services/half-done.md",
        "---\nname: Half done\nareas: []\ndraft: true\n---\n",
    );
    let check = site.check();
    assert_eq!(check.code, 0, "{}", check.stderr);
    assert!(
        check.stderr.contains(
            "content/services/half-done.md:3:8: warning: `areas` needs at least one entry"
        ),
        "{}",
        check.stderr
    );
    assert!(check.errors().is_empty(), "{}", check.stderr);
    assert_eq!(site.run(&["check", "--strict"]).code, 1);
    assert_eq!(site.build().code, 0);
    // Published, the same problems are errors.
    site.edit(
        "content/services/half-done.md",
        "draft: true",
        "draft: false",
    );
    assert_eq!(site.check().code, 1);
}

#[test]
fn export_refuses_a_site_with_errors_and_a_list_item_a_cell_would_split() {
    let site = Fixture::new();
    site.edit(
        "content/services/open-road.md",
        "last_reviewed: 2026-06-01",
        "last_reviewed: 2026-06-01\nlanguages: [\"Urdu; Punjabi\"]",
    );
    let run = site.run(&["export", "--csv", "out.csv"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("content/services/open-road.md: error: `languages` holds \"Urdu; Punjabi\""),
        "{}",
        run.stderr
    );
    assert!(!site.path("out.csv").exists());
    site.edit("content/services/open-road.md", "\"Urdu; Punjabi\"", "Urdu");
    site.edit("content/services/open-road.md", "name: Open Road", "name:");
    let broken = site.run(&["export", "--csv", "out.csv"]);
    assert_eq!(broken.code, 1, "{}", broken.stderr);
    assert!(!site.path("out.csv").exists());
}

#[test]
fn a_missing_value_is_reported_at_its_cell_or_its_row() {
    let site = Fixture::new();
    site.write(
        "gaps.csv",
        "name,organisation,summary,areas,needs,referral,phone\nGaps,Gap Trust,,essex,housing,self,\n",
    );
    let run = site.run(&["import", "gaps.csv"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for expected in [
        "gaps.csv:2:3: warning: summary: missing",
        "gaps.csv:2:7: warning: contact: missing",
        // No column for it: the row.
        "gaps.csv:2: warning: last_reviewed: missing",
    ] {
        assert!(
            run.stderr.contains(expected),
            "no {expected} in:\n{}",
            run.stderr
        );
    }
}

#[test]
fn an_oruk_update_leaves_what_the_record_does_not_have() {
    let site = Fixture::new();
    let rel = "content/services/open-road.md";
    let before = site.read(rel);
    site.write(
        "one.json",
        r#"{"id": "1", "name": "Open Road", "status": "active", "url": "https://new.openroad.example"}"#,
    );
    let run = site.run(&["import", "--update", "one.json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
    let expected = before
        .replace("name: Open Road", "name: \"Open Road\"")
        .replace(
            "  website: https://www.openroad.org.uk",
            "  website: \"https://new.openroad.example\"",
        )
        .replace(
            "last_reviewed: 2026-06-01\n",
            "last_reviewed: 2026-06-01\ndraft: false\n",
        );
    assert_eq!(site.read(rel), expected);
}

#[test]
fn a_file_without_front_matter_is_not_updated() {
    let site = Fixture::new();
    site.write(
        "content/services/broken.md",
        "name: Broken\nno front matter\n",
    );
    site.write("b.csv", "slug,summary\nbroken,New words.\n");
    let run = site.run(&["import", "--update", "b.csv"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "content/services/broken.md:1:1: error: the file must start with front matter"
        ),
        "{}",
        run.stderr
    );
    assert_eq!(
        site.read("content/services/broken.md"),
        "name: Broken\nno front matter\n"
    );
}
