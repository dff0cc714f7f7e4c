//! Building small fixture sites: the pages of SPEC §3, what is on them, and what
//! must never be on them.

use std::path::Path;

use crate::common::{self, Fixture, assert_links_resolve, files_under};

#[test]
fn writes_every_page_of_the_spec() {
    let site = Fixture::new();
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let files = files_under(&site.path("output"));
    for expected in [
        "index.html",
        "essex/index.html",
        "essex/services/open-road/index.html",
        "essex/services/national-domestic-abuse-helpline/index.html",
        "essex/needs/housing/index.html",
        "essex/needs/domestic-abuse/index.html",
        "essex/pathways/routine-enquiry/index.html",
        "essex/stories/jo/index.html",
        "essex/print/index.html",
        "sutton/index.html",
        "sutton/services/national-domestic-abuse-helpline/index.html",
        "sutton/stories/jo/index.html",
        "sutton/print/index.html",
        "cover-your-tracks/index.html",
        "static/css/signpost.css",
        "static/js/signpost.js",
        "essex/services.json",
        "sutton/services.json",
    ] {
        assert!(
            files.contains(&expected.to_owned()),
            "missing {expected} in {files:#?}"
        );
    }
    assert!(
        !files.contains(&"sitemap.xml".to_owned()) && !files.contains(&"feed.xml".to_owned()),
        "no sitemap or feed without base_url"
    );
    // Open Road serves Essex only; the Essex pathway is not Sutton's.
    assert!(!files.contains(&"sutton/services/open-road/index.html".to_owned()));
    assert!(!files.contains(&"sutton/pathways/routine-enquiry/index.html".to_owned()));
    assert!(assert_links_resolve(&site.path("output")) > 50);
}

#[test]
fn a_story_links_to_a_service_where_it_is_served() {
    let site = Fixture::new();
    assert_eq!(site.build().code, 0);
    let story = site.read("output/sutton/stories/jo/index.html");
    assert!(
        story.contains("href=\"../../../essex/services/open-road/\""),
        "{story}"
    );
}

#[test]
fn confidential_addresses_appear_nowhere() {
    let site = Fixture::new();
    assert_eq!(site.build().code, 0);
    let mut seen_name = false;
    for file in files_under(&site.path("output")) {
        let bytes = std::fs::read(site.path("output").join(&file)).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains("99 Secret Lane"),
            "confidential address in {file}"
        );
        assert!(
            !text.contains("ZZ99 9ZZ"),
            "confidential postcode in {file}"
        );
        seen_name |= text.contains("Safe house");
    }
    assert!(seen_name, "the confidential location's name is still shown");
    let page = site.read("output/essex/services/open-road/index.html");
    assert!(
        page.contains("1 High Street, Colchester") && page.contains("CO1 1AA"),
        "public addresses are shown"
    );
}

#[test]
fn service_page_shows_contact_hours_and_review_date() {
    let site = Fixture::new();
    assert_eq!(site.build().code, 0);
    let page = site.read("output/essex/services/open-road/index.html");
    assert!(
        page.contains("href=\"tel:01206500585\""),
        "phone numbers are tel: links"
    );
    assert!(page.contains("Monday to Friday"));
    assert!(page.contains("1 June 2026"), "last reviewed date");
    assert!(page.contains("datetime=\"2026-06-01\""));
    assert!(
        page.contains("In danger now? Call <a href=\"tel:999\">999</a>."),
        "the area's emergency text, its number tappable"
    );
    assert!(
        page.contains("<h2 id=\"what-we-offer\">What we offer</h2>"),
        "the Markdown body"
    );
    assert_eq!(page.matches("<h1").count(), 1, "one h1");
}

#[test]
fn every_page_is_safe_for_a_woman_whose_browser_is_checked() {
    let site = Fixture::new();
    assert_eq!(site.build().code, 0);
    for file in files_under(&site.path("output"))
        .into_iter()
        .filter(|f| f.ends_with(".html"))
    {
        let page = site.read(&format!("output/{file}"));
        assert!(
            page.contains("<meta name=\"referrer\" content=\"no-referrer\">"),
            "{file}: referrer"
        );
        assert!(
            page.contains("http-equiv=\"Content-Security-Policy\""),
            "{file}: CSP"
        );
        assert!(page.contains("data-quick-exit"), "{file}: quick exit");
        assert!(
            page.contains("https://www.bbc.co.uk/weather"),
            "{file}: quick exit goes to the default neutral site"
        );
        assert!(
            page.contains("cover-your-tracks/"),
            "{file}: link to Cover your tracks"
        );
        assert!(
            !page.contains("<script>") && !page.contains(" style=\""),
            "{file}: no inline script or style (CSP)"
        );
        assert!(page.contains("lang=\"en-GB\""), "{file}: language");
    }
}

#[test]
fn pathway_shows_its_branches() {
    let site = Fixture::new();
    assert_eq!(site.build().code, 0);
    let page = site.read("output/essex/pathways/routine-enquiry/index.html");
    assert!(page.contains("<ol"), "steps are an ordered list");
    assert!(page.contains("If she is at high risk"), "branch label");
    assert!(
        page.contains("href=\"#step-marac\""),
        "links to the branch's step"
    );
    assert!(page.contains("id=\"step-local\""));
}

#[test]
fn print_page_holds_the_whole_area_guide() {
    let site = Fixture::new();
    assert_eq!(site.build().code, 0);
    let print = site.read("output/essex/print/index.html");
    for text in [
        "Open Road",
        "National Domestic Abuse Helpline",
        "Routine enquiry",
        "Refer to MARAC",
        "Someone to talk to.",
    ] {
        assert!(print.contains(text), "{text} missing from the print page");
    }
    assert!(
        !print.contains("<h2 id=\"what-we-offer\">"),
        "service body headings sit below the service's heading"
    );
}

#[test]
fn user_text_is_escaped_and_template_syntax_is_not_evaluated() {
    let site = Fixture::new();
    site.edit(
        "content/services/open-road.md",
        "summary: Support with drugs and alcohol.",
        "summary: \"<script>alert(1)</script> {{ site.title }}\"",
    );
    site.edit(
        "content/services/open-road.md",
        "Someone to talk to.",
        "Someone {{ config }} {% include \"x\" %} <img src=x onerror=alert(2)>",
    );
    assert_eq!(site.build().code, 0);
    let page = site.read("output/essex/services/open-road/index.html");
    assert!(
        page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "summary escaped"
    );
    assert!(
        page.contains("{{ site.title }}") && page.contains("{{ config }}"),
        "template syntax printed as text"
    );
    assert!(!page.contains("onerror"), "handlers removed");
}

#[test]
fn drafts_only_with_the_flag() {
    let site = Fixture::new();
    site.write(
        "content/services/new-thing.md",
        &common::HELPLINE
            .replace("last_reviewed:", "draft: true\nlast_reviewed:")
            .replace("National Domestic Abuse Helpline", "New thing"),
    );
    assert_eq!(site.build().code, 0);
    assert!(!site.path("output/essex/services/new-thing").exists());
    assert_eq!(site.run(&["build", "--drafts"]).code, 0);
    assert!(
        site.path("output/essex/services/new-thing/index.html")
            .exists()
    );
}

#[test]
fn check_writes_nothing() {
    let site = Fixture::new();
    let run = site.check();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let entries: Vec<_> = std::fs::read_dir(site.root())
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name())
        .collect();
    assert_eq!(entries, ["content"]);
}

#[test]
fn output_option_and_rebuild_replace_the_old_output() {
    let site = Fixture::new();
    let out = site.path("elsewhere/guide");
    let run = site.run(&["build", "--output", out.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(out.join("essex/index.html").exists());
    site.remove("content/case-studies/jo.md");
    assert_eq!(
        site.run(&["build", "--output", out.to_str().unwrap()]).code,
        0
    );
    assert!(
        !out.join("essex/stories/jo").exists(),
        "a removed story's page is gone after a rebuild"
    );
}

#[test]
fn a_site_theme_overrides_single_templates() {
    let site = Fixture::new();
    site.write(
        "content/site.yaml",
        &format!("{}theme: plain\n", common::SITE_YAML),
    );
    site.write(
        "themes/plain/templates/page.html",
        "<!doctype html><title>{{ page.title }}</title><p class=\"plain\">{{ page.title }}</p>\n",
    );
    site.write("themes/plain/static/css/extra.css", "p { color: black }\n");
    assert_eq!(site.build().code, 0);
    assert!(
        site.read("output/cover-your-tracks/index.html")
            .contains("<p class=\"plain\">Cover your tracks online</p>")
    );
    assert!(
        site.read("output/essex/index.html")
            .contains("data-quick-exit"),
        "other templates come from the default theme"
    );
    assert!(site.path("output/static/css/extra.css").exists());
    assert!(site.path("output/static/css/signpost.css").exists());

    site.write(
        "content/site.yaml",
        &format!("{}theme: missing\n", common::SITE_YAML),
    );
    let run = site.build();
    assert_eq!(run.code, 1);
    run.assert_error("content/site.yaml: error: the theme `missing` was not found: there is no folder themes/missing");
}

#[test]
fn crlf_and_byte_order_marks_are_accepted() {
    let site = Fixture::new();
    let crlf = format!("\u{feff}{}", common::OPEN_ROAD.replace('\n', "\r\n"));
    site.write("content/services/open-road.md", &crlf);
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        site.read("output/essex/services/open-road/index.html")
            .contains("Open Road Ltd")
    );
}

/// The part of `html` from `start` to the first `end` after it.
fn between<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let from = html
        .find(start)
        .unwrap_or_else(|| panic!("{start:?} not in the page"));
    let rest = &html[from..];
    let to = rest
        .find(end)
        .unwrap_or_else(|| panic!("{end:?} not after {start:?}"));
    &rest[..to + end.len()]
}

/// A service's print entry and summary list are rendered once for every area
/// (docs/themes.md, "Rendered once per service"): they must be the same in
/// each area, with need links that stay in the page's own area.
#[test]
fn a_services_entry_and_summary_list_are_the_same_in_every_area_and_link_within_it() {
    let site = Fixture::new();
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);

    let entry = |area: &str| {
        let html = site.read(&format!("output/{area}/print/index.html"));
        between(
            &html,
            "<article class=\"service-entry\" id=\"service-national-domestic-abuse-helpline\"",
            "</article>",
        )
        .to_owned()
    };
    let (essex, sutton) = (entry("essex"), entry("sutton"));
    assert_eq!(
        essex, sutton,
        "the helpline's printed entry is the same in each area"
    );
    assert!(
        essex.contains("<a href=\"../needs/domestic-abuse/\">Domestic abuse</a>"),
        "{essex}"
    );
    assert!(
        essex.contains("Call any time."),
        "the entry has the service's body: {essex}"
    );

    let details = |area: &str| {
        let html = site.read(&format!(
            "output/{area}/services/national-domestic-abuse-helpline/index.html"
        ));
        between(&html, "<dl class=\"summary-list\">", "</dl>").to_owned()
    };
    let (essex, sutton) = (details("essex"), details("sutton"));
    assert_eq!(
        essex, sutton,
        "the helpline's summary list is the same in each area"
    );
    assert!(
        essex.contains("<a href=\"../../needs/domestic-abuse/\">Domestic abuse</a>"),
        "{essex}"
    );

    let card = |area: &str| {
        let html = site.read(&format!("output/{area}/needs/domestic-abuse/index.html"));
        between(&html, "<li class=\"card service-card\"", "</li>\n").to_owned()
    };
    let (essex, sutton) = (card("essex"), card("sutton"));
    assert_eq!(
        essex, sutton,
        "the helpline's card on a need page is the same in each area"
    );
    assert!(
        essex.contains("<a href=\"../../services/national-domestic-abuse-helpline/\">"),
        "{essex}"
    );

    // Each area's links lead to its own need page, which exists.
    assert!(
        site.path("output/essex/needs/domestic-abuse/index.html")
            .exists()
    );
    assert!(
        site.path("output/sutton/needs/domestic-abuse/index.html")
            .exists()
    );
    assert_links_resolve(&site.path("output"));
}

/// A pathway's steps on its pages and its printed entry are rendered once
/// for every area, as a service's are.
#[test]
fn a_pathways_steps_and_printed_entry_are_the_same_in_every_area_and_link_within_it() {
    let site = Fixture::new();
    site.write(
        "content/pathways/call-now.md",
        "---\ntitle: Call now\narea: all\nsteps:\n  - id: call\n    title: Call the helpline\n    services: [national-domestic-abuse-helpline]\n  - id: plan\n    title: Make a safety plan\n---\nTwo steps.\n",
    );
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);

    let steps = |area: &str| {
        let html = site.read(&format!("output/{area}/pathways/call-now/index.html"));
        between(&html, "<ol class=\"steps\">", "</ol>\n").to_owned()
    };
    let (essex, sutton) = (steps("essex"), steps("sutton"));
    assert_eq!(essex, sutton, "the steps are the same in each area");
    assert!(
        essex.contains("<a href=\"../../services/national-domestic-abuse-helpline/\">"),
        "{essex}"
    );
    assert!(essex.contains("<a href=\"#step-plan\">"), "{essex}");

    let entry = |area: &str| {
        let html = site.read(&format!("output/{area}/print/index.html"));
        between(
            &html,
            "<article class=\"pathway-entry\" id=\"pathway-call-now\"",
            "</article>",
        )
        .to_owned()
    };
    let (essex, sutton) = (entry("essex"), entry("sutton"));
    assert_eq!(
        essex, sutton,
        "the printed pathway is the same in each area"
    );
    assert!(
        essex.contains("<a href=\"#service-national-domestic-abuse-helpline\">"),
        "its services link to their entries on the same page: {essex}"
    );
    assert!(
        essex.contains("<a href=\"#pathway-call-now-step-plan\">"),
        "{essex}"
    );
    assert_links_resolve(&site.path("output"));
}

/// The default theme's components, for a theme that changes one of them.
fn default_components() -> String {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates/components.html");
    std::fs::read_to_string(path).expect("the default theme's components")
}

#[test]
fn a_theme_without_the_service_entry_component_gets_no_entry_html() {
    let site = Fixture::new();
    site.write(
        "content/site.yaml",
        &format!("{}theme: own\n", common::SITE_YAML),
    );
    let components = default_components();
    let start = components
        .find("{% component service_entry(")
        .expect("service_entry");
    let end = components
        .find("{%- endcomponent service_entry %}")
        .expect("its end");
    let without = format!(
        "{}{}",
        &components[..start],
        &components[end + "{%- endcomponent service_entry %}".len()..]
    );
    site.write("themes/own/templates/components.html", &without);
    site.write(
        "themes/own/templates/print.html",
        "{% for s in services %}<p class=\"own\">{{ s.name }}: {% if s.entry_html %}entry{% else %}no entry{% endif %}</p>{% endfor %}\n",
    );
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let print = site.read("output/essex/print/index.html");
    assert!(
        print.contains("<p class=\"own\">National Domestic Abuse Helpline: no entry</p>"),
        "{print}"
    );
    assert!(
        site.read("output/essex/services/open-road/index.html")
            .contains("<dl class=\"summary-list\">"),
        "the summary list still comes from the theme's service_details"
    );
}

#[test]
fn an_error_in_a_component_rendered_once_per_service_is_reported_at_its_place() {
    let site = Fixture::new();
    site.write(
        "content/site.yaml",
        &format!("{}theme: own\n", common::SITE_YAML),
    );
    site.write(
        "themes/own/templates/components.html",
        &default_components(),
    );
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let published = site.read("output/essex/print/index.html");
    // Found only when the entry is rendered, not when the theme is loaded.
    let components = default_components().replacen(
        "<p class=\"service-entry__summary\">{{ s.summary | abbr }}</p>",
        "<p class=\"service-entry__summary\">{{ s.no_such_field.deeper }}</p>",
        1,
    );
    assert!(components.contains("no_such_field"));
    site.write("themes/own/templates/components.html", &components);
    let run = site.build();
    assert_eq!(run.code, 1, "{}", run.stderr);
    let line = components
        .lines()
        .position(|l| l.contains("no_such_field"))
        .expect("the line")
        + 1;
    let errors = run.errors();
    assert!(
        errors
            .iter()
            .any(|e| e.starts_with(&format!("themes/own/templates/components.html:{line}:"))),
        "the error names the component's file and line: {}",
        run.stderr
    );
    assert_eq!(
        site.read("output/essex/print/index.html"),
        published,
        "nothing lost: the previous build stays"
    );
}
