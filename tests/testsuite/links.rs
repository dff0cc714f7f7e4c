//! Links in Markdown texts to pages of the guide are checked, as Zola checks
//! internal links: one to a page the build does not make is an error at its
//! place, with a "did you mean" where one fits.

use crate::common::Fixture;

const SERVICE: &str = "content/services/open-road.md";

fn with_line(site: &Fixture, file: &str, line: &str) {
    let text = site.read(file);
    site.write(file, &format!("{text}{line}\n"));
}

#[test]
fn links_that_lead_to_pages_of_the_guide_pass() {
    let site = Fixture::new();
    with_line(
        &site,
        SERVICE,
        "See [the helpline](../national-domestic-abuse-helpline/), [housing](../../needs/housing/#top), \
         [Essex](../../), [the page](/cover-your-tracks/), [data](../../services.json), \
         [a site](https://example.org/nope/), [mail](mailto:a@example.org) and [here](#what-we-offer).",
    );
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn a_link_to_no_page_is_an_error_at_its_place_with_a_suggestion() {
    let site = Fixture::new();
    with_line(
        &site,
        SERVICE,
        "Ask [the helpline](../national-domestic-abuse-helpine/) or [us](../nope/).",
    );
    site.write(
        "content/pages/about.md",
        "---\ntitle: About\n---\nIn [Essex](/esex/) and [elsewhere](/essex/nope/).\n",
    );
    let run = site.check();
    assert_eq!(run.code, 1, "{}", run.stderr);
    run.assert_error("content/services/open-road.md:28:5: error: the link \"../national-domestic-abuse-helpine/\" leads to no page of the guide (it would be /essex/services/national-domestic-abuse-helpine/) (did you mean \"../national-domestic-abuse-helpline/\"?)");
    run.assert_error("content/services/open-road.md:28:60: error: the link \"../nope/\" leads to no page of the guide (it would be /essex/services/nope/)");
    run.assert_error("content/pages/about.md:4:4: error: the link \"/esex/\" leads to no page of the guide (it would be /esex/) (did you mean \"/essex/\"?)");
    run.assert_error("content/pages/about.md:4:24: error: the link \"/essex/nope/\" leads to no page of the guide (it would be /essex/nope/)");
    // The build refuses too, and leaves no output.
    assert_eq!(site.build().code, 1);
}

#[test]
fn a_link_in_a_step_is_reported_at_the_step_s_text() {
    let site = Fixture::new();
    site.edit(
        "content/pathways/routine-enquiry.md",
        "    title: Risk assessment\n",
        "    title: Risk assessment\n    text: Use [the checklist](../checklist/).\n",
    );
    let run = site.check();
    assert_eq!(run.code, 1);
    run.assert_error("content/pathways/routine-enquiry.md:12:11: error: the link \"../checklist/\" leads to no page of the guide (it would be /essex/pathways/checklist/)");
}

#[test]
fn a_link_above_the_site_is_an_error() {
    let site = Fixture::new();
    with_line(&site, SERVICE, "[up](../../../../outside/)");
    let run = site.check();
    assert_eq!(run.code, 1);
    run.assert_error("content/services/open-road.md:28:1: error: the link \"../../../../outside/\" leads outside the guide: it goes up more folders than the page is deep");
}

#[test]
fn a_draft_s_broken_links_are_warnings() {
    let site = Fixture::new();
    with_line(&site, SERVICE, "[us](../nope/)");
    site.edit(
        SERVICE,
        "last_reviewed: 2026-06-01",
        "last_reviewed: 2026-06-01\ndraft: true",
    );
    let run = site.run(&["build", "--drafts"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("content/services/open-road.md:29:1: warning: the link \"../nope/\" leads to no page of the guide"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_link_to_a_theme_file_passes_only_if_the_theme_has_it() {
    let site = Fixture::new();
    with_line(&site, SERVICE, "[css](../../../static/css/nope.css)");
    let run = site.check();
    assert_eq!(run.code, 1);
    run.assert_error("content/services/open-road.md:28:1: error: the link \"../../../static/css/nope.css\" leads to no page of the guide (it would be /static/css/nope.css)");
}

#[test]
fn taking_down_what_a_text_links_to_still_builds_with_a_warning() {
    let site = Fixture::new();
    site.write(
        "content/pages/about.md",
        "---\ntitle: About\n---\nSee [Open Road](/essex/services/open-road/) and [Jo](/essex/stories/jo/).\n",
    );
    assert_eq!(site.build().code, 0);
    site.edit(
        "content/services/open-road.md",
        "last_reviewed: 2026-06-01",
        "last_reviewed: 2026-06-01\ndraft: true",
    );
    site.edit(
        "content/case-studies/jo.md",
        "consent: true",
        "consent: false",
    );
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    for expected in [
        "content/pages/about.md:4:5: warning: the link \"/essex/services/open-road/\" leads to a service taken down (a draft), which is not published now, so the link leads nowhere until it is; remove the link or publish it again",
        "content/pages/about.md:4:49: warning: the link \"/essex/stories/jo/\" leads to a story that is a draft or whose consent was withdrawn, which is not published now, so the link leads nowhere until it is; remove the link or publish it again",
    ] {
        assert!(
            run.stderr.contains(expected),
            "expected\n  {expected}\ngot:\n{}",
            run.stderr
        );
    }
    assert!(!site.path("output/essex/services/open-road").exists());
}
