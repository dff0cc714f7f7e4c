//! Whatever a browser editor (Decap CMS) writes, `check` reads as the editor
//! meant it: lists for `areas: all`, timestamps for dates, quoted booleans
//! and empty optional fields. The shapes are the ones Decap's YAML writer
//! produces (block lists, `""` for an empty box, `[]` for an empty list).

use crate::common::Fixture;

/// Open Road as Decap writes it after an editor saves it in the browser.
const OPEN_ROAD_FROM_DECAP: &str = "\
---
name: Open Road
organisation: Open Road Ltd
summary: Support with drugs and alcohol.
areas:
  - essex
needs:
  - housing
referral:
  - self
  - professional
referral_notes: \"\"
women_only: \"true\"
eligibility: null
contact:
  phone: 01206 500585
  email: \"\"
  website: https://www.openroad.org.uk
  text: \"\"
  notes: \"\"
locations:
  - name: Colchester hub
    address: 1 High Street, Colchester
    postcode: CO1 1AA
    confidential: \"false\"
hours: []
hours_notes: \"\"
languages: []
cost: Free
last_reviewed: 2026-11-20T00:00:00.000Z
draft: false
---
Someone to talk to.
";

/// The national helpline, with `all` from a list widget.
const HELPLINE_FROM_DECAP: &str = "\
---
name: National Domestic Abuse Helpline
organisation: Refuge
summary: Free, confidential, 24 hours.
areas:
  - all
needs:
  - domestic-abuse
referral:
  - self
contact:
  phone: 0808 2000 247
last_reviewed: 2026-09-01T23:30:00+01:00
---
Call any time.
";

#[test]
fn what_decap_writes_builds_and_means_the_same() {
    let site = Fixture::new();
    site.write("content/services/open-road.md", OPEN_ROAD_FROM_DECAP);
    site.write(
        "content/services/national-domestic-abuse-helpline.md",
        HELPLINE_FROM_DECAP,
    );
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let page = site.read("output/essex/services/open-road/index.html");
    // The timestamp is read as the day written, quoted "true" as true.
    assert!(page.contains("20 November 2026"), "{page}");
    assert!(page.contains("Women only"), "{page}");
    // Empty boxes publish nothing: no email link but the publisher's
    // "Report a problem" one.
    let mailto: Vec<&str> = page.matches("mailto:").collect();
    assert_eq!(
        mailto.len(),
        page.matches("mailto:guide@").count(),
        "{page}"
    );
    assert!(!page.contains("mailto:\""), "{page}");
    // A list of one `all` is a national service: it has a page in every area.
    assert!(
        site.path("output/sutton/services/national-domestic-abuse-helpline/index.html")
            .exists()
    );
    let helpline = site.read("output/sutton/services/national-domestic-abuse-helpline/index.html");
    // The day as written, not moved to UTC (where it would be 1 September).
    assert!(helpline.contains("1 September 2026"), "{helpline}");
}

#[test]
fn a_contact_of_empty_boxes_is_still_missing() {
    let site = Fixture::new();
    site.edit(
        "content/services/open-road.md",
        "contact:\n  phone: 01206 500585\n  website: https://www.openroad.org.uk\n",
        "contact:\n  phone: \"\"\n  email: \"\"\n  website: \"\"\n  text: \"\"\n",
    );
    let run = site.check();
    assert_eq!(run.code, 1, "{}", run.stderr);
    run.assert_error("content/services/open-road.md:9:3: error: `contact` needs at least one of phone, email, website or text");
}

#[test]
fn all_beside_other_areas_is_an_error() {
    let site = Fixture::new();
    site.edit(
        "content/services/open-road.md",
        "areas: [essex]",
        "areas: [essex, all]",
    );
    let run = site.check();
    assert_eq!(run.code, 1);
    run.assert_error("content/services/open-road.md:5:16: error: `all` means every area, so it cannot be listed beside other areas: for a national service write `areas: all`, otherwise list only the areas it serves");
}

#[test]
fn a_quoted_flag_that_is_not_a_flag_is_still_an_error() {
    let site = Fixture::new();
    site.edit(
        "content/services/open-road.md",
        "    confidential: true",
        "    confidential: \"yes\"",
    );
    let run = site.check();
    assert_eq!(run.code, 1);
    run.assert_error(
        "content/services/open-road.md:18:19: error: `confidential` should be true or false",
    );
}
