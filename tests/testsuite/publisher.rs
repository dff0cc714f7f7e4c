//! The publisher (issue 17, item 12): `contact` in site.yaml, the pages that show
//! it, "Report a problem with this entry", and the accessibility statement.

use crate::common::{Fixture, signpost};

const ABOUT: &str = "---\ntitle: About this guide\n---\nWho publishes it.\n";

/// The fixture with a full publisher's contact and an About page.
fn site_with_contact() -> Fixture {
    let site = Fixture::new();
    site.write(
        "content/site.yaml",
        "title: Test guide\npublisher: Test Council\ncontact:\n  email: women.guide@test.example\n  phone: 01234 567 890\n  address: Town Hall, High Street, Testtown TT1 1TT\n",
    );
    site.write("content/pages/about.md", ABOUT);
    site
}

#[test]
fn the_about_and_accessibility_pages_show_the_publishers_contact() {
    let site = site_with_contact();
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    for page in ["about", "accessibility-statement"] {
        let html = site.read(&format!("output/{page}/index.html"));
        assert!(
            html.contains("<h2 id=\"publisher-contact\">Contact Test Council</h2>"),
            "{page}: {html}"
        );
        assert!(
            html.contains(
                "<a href=\"mailto:women.guide@test.example\">women.guide@test.example</a>"
            ),
            "{page}"
        );
        assert!(
            html.contains("<a href=\"tel:01234567890\">01234 567 890</a>"),
            "{page}"
        );
        assert!(
            html.contains("Town Hall, High Street, Testtown TT1 1TT"),
            "{page}"
        );
    }
    // Not on the cover-your-tracks page, which is about something else.
    let cover = site.read("output/cover-your-tracks/index.html");
    assert!(!cover.contains("publisher-contact"), "{cover}");
}

#[test]
fn every_service_page_has_report_a_problem_naming_the_service_and_area() {
    let site = site_with_contact();
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    for (page, subject) in [
        (
            "output/essex/services/open-road/index.html",
            "Problem%20with%20the%20entry%3A%20Open%20Road%20%28Essex%29",
        ),
        (
            "output/sutton/services/national-domestic-abuse-helpline/index.html",
            "Problem%20with%20the%20entry%3A%20National%20Domestic%20Abuse%20Helpline%20%28Sutton%29",
        ),
    ] {
        let html = site.read(page);
        let link = format!(
            "<a href=\"mailto:women.guide@test.example?subject={subject}\">Report a problem with this entry</a>"
        );
        assert!(html.contains(&link), "{page}: no {link}");
    }
    // A name with characters that mean something in a URL stays in the subject.
    site.edit(
        "content/services/open-road.md",
        "name: Open Road",
        "name: \"Open Road & Co? #1\"",
    );
    assert_eq!(site.build().code, 0);
    let html = site.read("output/essex/services/open-road/index.html");
    assert!(
        html.contains("subject=Problem%20with%20the%20entry%3A%20Open%20Road%20%26%20Co%3F%20%231%20%28Essex%29\""),
        "{html}"
    );
}

#[test]
fn a_site_without_contact_still_builds_with_a_warning_and_no_report_links() {
    let site = Fixture::new();
    site.write(
        "content/site.yaml",
        "title: Test guide\npublisher: Test Council\n",
    );
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.diagnostics().iter().any(|d| d.starts_with(
            "content/site.yaml:1:1: warning: no `contact`: readers have no way to reach the publisher"
        )),
        "{}",
        run.stderr
    );
    let html = site.read("output/essex/services/open-road/index.html");
    assert!(!html.contains("Report a problem"), "{html}");
    assert_eq!(site.run(&["check", "--strict"]).code, 1);
}

#[test]
fn a_wrong_publishers_contact_is_an_error_at_its_place() {
    let site = Fixture::new();
    site.write(
        "content/site.yaml",
        "title: Test guide\npublisher: Test Council\ncontact:\n  email: not an address\n  phone: call the office\n  fax: 01234\n",
    );
    let run = site.check();
    assert_eq!(run.code, 1, "{}", run.stderr);
    run.assert_error(
        "content/site.yaml:4:10: error: `email` should be an email address, such as help@example.org.uk",
    );
    run.assert_error("content/site.yaml:5:10: error: `phone` should be one phone number, such as 0808 2000 247; put any words in `notes`");
    assert!(
        run.errors()
            .iter()
            .any(|e| e.starts_with("content/site.yaml:6:3: error: unknown field `fax`")),
        "{}",
        run.stderr
    );
    // A contact must have an email: it is what "Report a problem" writes to.
    site.write(
        "content/site.yaml",
        "title: Test guide\npublisher: Test Council\ncontact:\n  phone: 01234 567 890\n",
    );
    let run = site.check();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.errors()
            .iter()
            .any(|e| e.starts_with("content/site.yaml:4:3: error: missing required field `email`")),
        "{}",
        run.stderr
    );
}

#[test]
fn a_site_without_an_accessibility_statement_is_warned() {
    let site = Fixture::new();
    assert!(
        !site.check().stderr.contains("accessibility statement"),
        "the fixture has one"
    );
    site.remove("content/pages/accessibility-statement.md");
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.diagnostics().iter().any(|d| d.starts_with(
            "content/pages/accessibility-statement.md: warning: missing: a public sector body's website must publish an accessibility statement"
        )),
        "{}",
        run.stderr
    );
}

/// What regulation 8 of the Public Sector Bodies (Websites and Mobile
/// Applications) (No. 2) Accessibility Regulations 2018, and GOV.UK's model
/// statement it points to, ask a statement to hold.
fn assert_statement_is_complete(which: &str, text: &str) {
    for (what, needle) in [
        ("compliance status", "### Compliance status"),
        (
            "what is not accessible",
            "### Content that is not accessible",
        ),
        ("how to contact", "## Feedback and contact information"),
        (
            "how to report a problem",
            "## Reporting accessibility problems",
        ),
        ("the enforcement procedure", "## Enforcement procedure"),
        (
            "the enforcer",
            "Equality and Human Rights Commission (EHRC)",
        ),
        (
            "where to go next",
            "[Equality Advisory and Support Service (EASS)](https://www.equalityadvisoryservice.com/)",
        ),
        ("the regulations by name", "Accessibility Regulations 2018"),
        ("the standard", "WCAG"),
        ("disproportionate burden", "### Disproportionate burden"),
        ("the date prepared", "This statement was prepared on "),
        ("the date last reviewed", "It was last reviewed on "),
        ("when it was tested", "was last tested on "),
    ] {
        assert!(text.contains(needle), "{which}: no {what} ({needle:?})");
    }
}

#[test]
fn the_example_accessibility_statement_holds_what_the_regulations_require() {
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("content/pages/accessibility-statement.md"),
    )
    .unwrap();
    assert_statement_is_complete("the example guide", &text);
}

#[test]
fn init_writes_a_complete_accessibility_statement_and_asks_for_the_contact() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("guide");
    let run = signpost(&["init", site.to_str().unwrap()], dir.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text =
        std::fs::read_to_string(site.join("content/pages/accessibility-statement.md")).unwrap();
    assert_statement_is_complete("init", &text);
    // Until the publisher writes their contact, check asks for it, at site.yaml.
    let check = signpost(&["check", "--root", site.to_str().unwrap()], dir.path());
    assert_eq!(check.code, 0, "{}", check.stderr);
    assert!(
        check
            .diagnostics()
            .iter()
            .any(|d| d.starts_with("content/site.yaml:") && d.contains("warning: no `contact`")),
        "{}",
        check.stderr
    );
    // The commented-out example, uncommented, is a valid contact.
    let yaml = std::fs::read_to_string(site.join("content/site.yaml")).unwrap();
    let yaml = yaml.replace("# contact:", "contact:").replace("#   ", "  ");
    std::fs::write(site.join("content/site.yaml"), yaml).unwrap();
    let check = signpost(&["check", "--root", site.to_str().unwrap()], dir.path());
    assert_eq!(check.code, 0, "{}", check.stderr);
    assert!(!check.stderr.contains("no `contact`"), "{}", check.stderr);
}
