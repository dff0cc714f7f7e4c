//! `draft: true` on services, pathways, stories and pages: left out of the
//! published guide unless `--drafts`, and checked all the same, their
//! problems warnings that never block the rest of the site (`--strict`
//! fails on them).

use crate::common::Fixture;

const PATHWAY: &str = "content/pathways/routine-enquiry.md";
const STORY: &str = "content/case-studies/jo.md";

fn draft(site: &Fixture, file: &str, after: &str) {
    site.edit(file, after, &format!("{after}\ndraft: true"));
}

#[test]
fn draft_pathways_stories_and_pages_are_left_out_unless_asked_for() {
    let site = Fixture::new();
    draft(&site, PATHWAY, "audience: professionals");
    draft(&site, STORY, "consent: true");
    site.write(
        "content/pages/about.md",
        "---\ntitle: About\ndraft: true\n---\nSoon.\n",
    );
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!site.path("output/essex/pathways/routine-enquiry").exists());
    assert!(!site.path("output/essex/stories/jo").exists());
    assert!(!site.path("output/about").exists());
    let guide = site.read("output/essex/index.html");
    assert!(
        !guide.contains("routine-enquiry") && !guide.contains("stories/jo"),
        "{guide}"
    );
    assert!(
        !site
            .read("output/cover-your-tracks/index.html")
            .contains("about/")
    );
    // A preview shows them.
    let run = site.run(&["build", "--drafts"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        site.path("output/essex/pathways/routine-enquiry/index.html")
            .exists()
    );
    assert!(site.path("output/essex/stories/jo/index.html").exists());
    assert!(site.path("output/about/index.html").exists());
}

#[test]
fn a_draft_s_problems_are_warnings_and_strict_fails_on_them() {
    let site = Fixture::new();
    draft(&site, PATHWAY, "audience: professionals");
    site.edit(
        PATHWAY,
        "needs: [domestic-abuse]",
        "needs: [domestic-abuze]",
    );
    site.edit(PATHWAY, "audience: professionals", "audience: profesionals");
    site.edit(
        "content/services/open-road.md",
        "  phone: 01206 500585",
        "  phone: call us",
    );
    site.edit(
        "content/services/open-road.md",
        "needs: [housing]",
        "needs: [housng]\ndraft: true",
    );
    let run = site.build();
    assert_eq!(run.code, 0, "drafts never block the site:\n{}", run.stderr);
    for expected in [
        "content/pathways/routine-enquiry.md:4:11: warning: unknown audience \"profesionals\" (did you mean \"professionals\"?): use `women` or `professionals`",
        "content/pathways/routine-enquiry.md:6:9: warning: unknown need \"domestic-abuze\" (did you mean \"domestic-abuse\"?)",
        "content/services/open-road.md:6:9: warning: unknown need \"housng\" (did you mean \"housing\"?)",
        "content/services/open-road.md:10:10: warning: `phone` should be one phone number, such as 0808 2000 247; put any words in `notes`",
    ] {
        assert!(
            run.stderr.contains(expected),
            "expected\n  {expected}\ngot:\n{}",
            run.stderr
        );
    }
    assert!(run.errors().is_empty(), "{}", run.stderr);
    let strict = site.run(&["check", "--strict"]);
    assert_eq!(strict.code, 1, "{}", strict.stderr);
}

#[test]
fn the_same_problems_in_a_published_entry_are_errors() {
    let site = Fixture::new();
    site.edit(
        PATHWAY,
        "needs: [domestic-abuse]",
        "needs: [domestic-abuze]",
    );
    let run = site.check();
    assert_eq!(run.code, 1);
    run.assert_error("content/pathways/routine-enquiry.md:5:9: error: unknown need \"domestic-abuze\" (did you mean \"domestic-abuse\"?)");
}
