//! `signpost review`: the entries due for review, oldest first, with whom to
//! ask, as a table and as CSV. The fixture is judged on `common::TODAY`
//! (2026-11-24) with the default 12 months.

use crate::common::{Fixture, TODAY};

/// Open Road 54 days overdue (with a reviewer), the helpline due in 16 days,
/// the cover-your-tracks page long overdue, and the story reviewed recently.
fn site_with_reviews_due() -> Fixture {
    let site = Fixture::new();
    let road = "content/services/open-road.md";
    site.edit(
        road,
        "last_reviewed: 2026-06-01",
        "last_reviewed: 2025-10-01\nreviewer: jo@openroad.org.uk",
    );
    site.edit(
        road,
        "organisation: Open Road Ltd",
        "organisation: \"Open Road, Essex\"",
    );
    site.edit(
        "content/services/national-domestic-abuse-helpline.md",
        "last_reviewed: 2026-09-01",
        "last_reviewed: 2025-12-10",
    );
    site.edit(
        "content/pages/cover-your-tracks.md",
        "title: Cover your tracks online\n",
        "title: Cover your tracks online\nlast_reviewed: 2025-01-05\n",
    );
    site.edit(
        "content/case-studies/jo.md",
        "consent: true\n",
        "consent: true\nlast_reviewed: 2026-05-01\n",
    );
    site
}

#[test]
fn lists_what_is_due_oldest_first_with_whom_to_ask() {
    let site = site_with_reviews_due();
    let run = site.run(&["review"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert!(lines[0].starts_with("Due "), "{}", run.stdout);
    assert!(
        lines[1].starts_with("2026-01-05  323 days ago  page"),
        "{}",
        run.stdout
    );
    assert!(lines[1].contains("Cover your tracks online"));
    assert!(
        lines[2].starts_with("2026-10-01  54 days ago   service"),
        "{}",
        run.stdout
    );
    for cell in [
        "Open Road, Essex",
        "jo@openroad.org.uk",
        "01206 500585",
        "content/services/open-road.md",
    ] {
        assert!(lines[2].contains(cell), "{cell} in {}", lines[2]);
    }
    assert!(
        lines[3].starts_with("2026-12-10  in 16 days    service"),
        "{}",
        run.stdout
    );
    assert!(lines[3].contains("0808 2000 247"));
    assert_eq!(lines[4], "");
    assert_eq!(
        lines[5],
        "3 entries are due for review by 2027-01-23. 1 pathway, case study or page has no `last_reviewed`, so not included."
    );
    assert_eq!(lines.len(), 6, "{}", run.stdout);
}

#[test]
fn the_window_narrows_to_what_check_calls_stale() {
    let site = site_with_reviews_due();
    let run = site.run(&["review", "--within", "0"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stdout.contains("National Domestic Abuse Helpline"));
    assert!(
        run.stdout
            .contains(&format!("2 entries are due for review by {TODAY}."))
    );
    // The same two that check warns about (it does not judge the page).
    let check = site.check();
    let stale: Vec<&str> = check
        .diagnostics()
        .into_iter()
        .filter(|d| d.contains("last reviewed on"))
        .collect();
    assert_eq!(stale.len(), 1, "{}", check.stderr);
    assert!(stale[0].starts_with("content/services/open-road.md:"));

    let fresh = Fixture::new();
    let run = fresh.run(&["review"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout
            .starts_with("Nothing is due for review by 2027-01-23."),
        "{}",
        run.stdout
    );
}

#[test]
fn csv_holds_the_same_rows_quoted_properly() {
    let site = site_with_reviews_due();
    let csv = site.path("due.csv");
    let run = site.run(&["review", "--csv", csv.to_str().expect("utf-8")]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = site.read("due.csv");
    let rows: Vec<&str> = text.split_terminator("\r\n").collect();
    assert_eq!(rows.len(), 4, "{text}");
    assert_eq!(
        rows[0],
        "Due,When,Kind,Entry,Organisation,Reviewer,Contact,File"
    );
    assert_eq!(
        rows[2],
        "2026-10-01,54 days ago,service,Open Road,\"Open Road, Essex\",jo@openroad.org.uk,01206 500585,content/services/open-road.md"
    );
    assert!(rows[1].starts_with("2026-01-05,323 days ago,page,Cover your tracks online,,,,"));

    let nowhere = site.path("no/such/folder/due.csv");
    let run = site.run(&["review", "--csv", nowhere.to_str().expect("utf-8")]);
    assert_eq!(run.code, 2, "{}", run.stderr);
}

#[test]
fn a_reviewer_must_be_an_email_address_and_errors_stop_the_report() {
    let site = Fixture::new();
    site.edit(
        "content/services/open-road.md",
        "last_reviewed: 2026-06-01",
        "last_reviewed: 2026-06-01\nreviewer: Jo in the office",
    );
    site.check().assert_error(
        "content/services/open-road.md:24:11: error: `reviewer` should be the email address of whoever reviews this entry, such as name@example.org.uk",
    );
    let run = site.run(&["review"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stdout.is_empty());
    assert!(
        run.stderr.contains("`reviewer` should be"),
        "{}",
        run.stderr
    );

    site.edit(
        "content/services/open-road.md",
        "Jo in the office",
        "jo@openroad.org.uk",
    );
    assert_eq!(site.check().code, 0);
    assert_eq!(site.run(&["review", "--within", "soon"]).code, 2);
}

#[test]
fn a_bad_last_reviewed_on_a_page_is_an_error_at_its_place() {
    let site = Fixture::new();
    site.edit(
        "content/pages/cover-your-tracks.md",
        "title: Cover your tracks online\n",
        "title: Cover your tracks online\nlast_reviewed: last May\n",
    );
    site.check().assert_error(
        "content/pages/cover-your-tracks.md:3:16: error: `last_reviewed` should be a date written YYYY-MM-DD, such as 2026-03-31; found \"last May\"",
    );
}

#[test]
fn new_files_offer_reviewer_and_last_reviewed_lines_that_check_accepts() {
    let site = Fixture::new();
    assert_eq!(site.run(&["new", "service", "Safe Steps"]).code, 0);
    let file = "content/services/safe-steps.md";
    assert!(
        site.read(file)
            .contains("\n# reviewer: name@example.org.uk\n")
    );
    site.edit(file, "# reviewer:", "reviewer:");
    assert_eq!(site.run(&["new", "page", "About us"]).code, 0);
    let page = "content/pages/about-us.md";
    assert!(
        site.read(page)
            .contains(&format!("\n# last_reviewed: {TODAY}\n"))
    );
    site.edit(page, "# last_reviewed:", "last_reviewed:");
    // The new service still has fields to fill, but neither line is a problem.
    let check = site.check();
    assert!(
        !check.stderr.contains("reviewer") && !check.stderr.contains("about-us.md"),
        "{}",
        check.stderr
    );
}
