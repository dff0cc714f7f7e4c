//! One test per class of content error: the exact diagnostic (file, line, column,
//! message), exit code 1, and the previous output left as it was.

use crate::common::{self, Fixture, Run, files_under};

/// Builds the fixture once (so there is a previous output), applies `change`, builds
/// again, and checks the second build failed with exit 1 and left the output alone.
fn failing_build(change: impl FnOnce(&Fixture)) -> Run {
    let site = Fixture::new();
    let first = site.build();
    assert_eq!(first.code, 0, "the fixture builds: {}", first.stderr);
    let before = files_under(&site.path("output"));
    let page_before = site.read("output/essex/index.html");
    change(&site);
    let run = site.build();
    assert_eq!(
        run.code, 1,
        "exit code 1 for a site with errors:\n{}",
        run.stderr
    );
    assert_eq!(
        files_under(&site.path("output")),
        before,
        "the previous output is untouched"
    );
    assert_eq!(site.read("output/essex/index.html"), page_before);
    let leftovers: Vec<_> = std::fs::read_dir(site.root())
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name())
        .collect();
    assert!(
        !leftovers
            .iter()
            .any(|n| n.to_string_lossy().contains("staging")),
        "no staging folder left: {leftovers:?}"
    );
    // check finds the same errors as build.
    let check = site.check();
    assert_eq!(check.code, 1);
    assert_eq!(check.errors(), run.errors());
    run
}

const SERVICE: &str = "content/services/open-road.md";
const PATHWAY: &str = "content/pathways/routine-enquiry.md";

#[test]
fn unknown_need_with_suggestion() {
    let run = failing_build(|s| s.edit(SERVICE, "needs: [housing]", "needs: [housng]"));
    run.assert_error("content/services/open-road.md:6:9: error: unknown need \"housng\" (did you mean \"housing\"?)");
}

#[test]
fn unknown_field_with_suggestion_and_missing_required_field() {
    let run = failing_build(|s| s.edit(SERVICE, "name: Open Road", "nmae: Open Road"));
    run.assert_error(
        "content/services/open-road.md:2:1: error: unknown field `nmae` (did you mean \"name\"?)",
    );
    run.assert_error("content/services/open-road.md:2:1: error: missing required field `name`; add a line such as `name: Open Road women's service`");
}

/// A missing field says what to write, in the words of the file it is missing from.
#[test]
fn a_missing_field_says_what_line_to_write() {
    let run = failing_build(|s| {
        s.edit(SERVICE, "organisation: Open Road Ltd\n", "");
        s.write("content/areas/kent.yaml", "council: Kent County Council\n");
    });
    run.assert_error("content/services/open-road.md:2:1: error: missing required field `organisation`; add a line such as `organisation: Open Road`");
    run.assert_error(
        "content/areas/kent.yaml:1:1: error: missing required field `name`; add a line such as `name: Essex`",
    );
}

#[test]
fn yaml_syntax_error() {
    let run = failing_build(|s| s.edit(SERVICE, "needs: [housing]", "needs: [housing"));
    let errors = run.errors();
    assert_eq!(errors.len(), 1, "{}", run.stderr);
    run.assert_error("content/services/open-road.md:7:1: error: a list in square brackets must end with `]` on the same line, as in `needs: [housing, mental-health]`");
}

/// The YAML mistakes editors make, each said in plain words with what to do,
/// at the line to change.
#[test]
fn yaml_mistakes_are_explained_with_what_to_do() {
    let cases = [
        (
            "name: Essex\ncouncil: Essex: the county council\n",
            "2:1: error: the text of `council` has a colon followed by a space, which YAML reads as the start of another field; put the text in double quotes: `council: \"Essex: the county council\"`",
        ),
        (
            "name: Essex\n\tcouncil: Essex County Council\n",
            "2:2: error: this line has a tab in it; indent with spaces only (a tab and a space look alike, but YAML reads only spaces)",
        ),
        (
            "name: Essex\n  council: Essex County Council\n",
            "2:3: error: this line starts further in than the line above it, so it reads as part of it; start it where line 1 starts, or, if it continues that text, put the whole text in double quotes on one line",
        ),
        (
            "name:Essex\ncouncil: Essex County Council\n",
            "1:1: error: `name` needs a space after its colon; write `name: Essex`",
        ),
        (
            "name: \"Essex\ncouncil: Essex County Council\n",
            "1:1: error: the quote that opens this text is never closed; end the text with the same quote mark, on the same line",
        ),
        (
            "name: Essex\ncouncil: Essex County Council\nsummary: 'Women's centres'\n",
            "3:17: error: the text in single quotes ends at the apostrophe inside it; put the text in double quotes instead: `summary: \"Women's centres\"`",
        ),
        (
            "name: Essex\ncouncil: @essex\n",
            "2:10: error: text cannot start with `@` unless it is in quotes; put the text in double quotes: `council: \"@essex\"`",
        ),
    ];
    for (yaml, expected) in cases {
        let run = failing_build(|s| s.write("content/areas/essex.yaml", yaml));
        run.assert_error(&format!("content/areas/essex.yaml:{expected}"));
    }
}

/// `check --format json` gives the advice as the hint.
#[test]
fn yaml_advice_is_the_hint_in_json() {
    let site = Fixture::new();
    site.write(
        "content/areas/essex.yaml",
        "name: Essex\ncouncil: Essex: the county council\n",
    );
    let run = site.run(&["check", "--format", "json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let problem: serde_json::Value = serde_json::from_str(
        run.stdout
            .lines()
            .find(|l| l.contains("essex.yaml"))
            .expect("a JSON line for essex.yaml"),
    )
    .expect("JSON");
    assert_eq!(
        problem["hint"],
        "put the text in double quotes: `council: \"Essex: the county council\"`"
    );
}

#[test]
fn wrong_type() {
    let run = failing_build(|s| {
        s.edit(
            SERVICE,
            "referral: [self, professional]",
            "referral: {self: yes}",
        )
    });
    run.assert_error("content/services/open-road.md:7:11: error: `referral` should be a list, such as `referral: [a, b]`");
}

#[test]
fn bad_date() {
    let run = failing_build(|s| {
        s.edit(
            SERVICE,
            "last_reviewed: 2026-06-01",
            "last_reviewed: 2026-13-01",
        )
    });
    run.assert_error(
        "content/services/open-road.md:23:16: error: `last_reviewed` should be a date written YYYY-MM-DD, such as 2026-03-31; found \"2026-13-01\"",
    );
}

#[test]
fn unknown_area_and_service() {
    let run = failing_build(|s| {
        s.edit(SERVICE, "areas: [essex]", "areas: [esex]");
        s.edit(
            "content/case-studies/jo.md",
            "services: [open-road]",
            "services: [open-raod]",
        );
    });
    run.assert_error(
        "content/services/open-road.md:5:9: error: unknown area \"esex\" (did you mean \"essex\"?)",
    );
    run.assert_error("content/case-studies/jo.md:5:12: error: unknown service \"open-raod\" (did you mean \"open-road\"?)");
}

#[test]
fn every_problem_in_one_run() {
    let run = failing_build(|s| {
        s.edit(SERVICE, "needs: [housing]", "needs: [housng]");
        s.edit(SERVICE, "areas: [essex]", "areas: [esex]");
        s.edit("content/case-studies/jo.md", "consent: true\n", "");
        s.write("content/areas/kent.yaml", "name: Kent\n");
    });
    assert_eq!(run.errors().len(), 4, "{}", run.stderr);
    assert!(run.stderr.contains("4 errors"), "{}", run.stderr);
}

#[test]
fn bad_slug_in_file_name() {
    let run = failing_build(|s| s.write("content/services/Open Road.md", common::OPEN_ROAD));
    run.assert_error(
        "content/services/Open Road.md: error: the file name `Open Road` is not a valid slug: use lower-case letters, digits and single hyphens, such as `open-road`",
    );
}

#[test]
fn unterminated_front_matter_and_empty_file() {
    let run = failing_build(|s| {
        s.write(SERVICE, "---\nname: Open Road\n");
        s.write("content/pages/about.md", "");
    });
    run.assert_error("content/services/open-road.md:1:1: error: the front matter is not closed: add a line `---` after the last field");
    run.assert_error(
        "content/pages/about.md:1:1: error: the file must start with front matter: a line `---`, the fields in YAML, then another line `---`",
    );
}

#[test]
fn invalid_utf8() {
    let run = failing_build(|s| s.write_bytes(SERVICE, b"---\nname: Caf\xE9\n---\n"));
    assert!(
        run.errors()[0]
            .starts_with("content/services/open-road.md:2:10: error: the file is not valid UTF-8"),
        "{}",
        run.stderr
    );
}

#[test]
fn dangling_next_and_unreachable_steps() {
    let run = failing_build(|s| s.edit(PATHWAY, "next: [assess]", "next: [asess]"));
    run.assert_error(
        "content/pathways/routine-enquiry.md:9:12: error: `next` names a step \"asess\" that this pathway does not have (did you mean \"assess\"?)",
    );
    run.assert_error(
        "content/pathways/routine-enquiry.md:10:9: error: the step \"assess\" cannot be reached from the first step: no `next` leads to it",
    );
}

#[test]
fn pathway_cycle() {
    let run = failing_build(|s| {
        s.edit(
            PATHWAY,
            "    services: [open-road]\n",
            "    services: [open-road]\n    next: [ask]\n",
        )
    });
    run.assert_error(
        "content/pathways/routine-enquiry.md:22:12: error: the steps go round in a circle (ask → assess → local → ask); a pathway must always lead onward",
    );
}

#[test]
fn duplicate_step_ids() {
    let run = failing_build(|s| s.edit(PATHWAY, "  - id: local", "  - id: marac"));
    run.assert_error("content/pathways/routine-enquiry.md:18:9: error: two steps have the id \"marac\"; each step needs its own");
}

#[test]
fn pathway_services_must_serve_its_area() {
    let run = failing_build(|s| s.edit(PATHWAY, "area: essex", "area: sutton"));
    run.assert_error(
        "content/pathways/routine-enquiry.md:21:16: error: the service \"open-road\" does not serve the area \"sutton\" of this pathway",
    );
    let run = failing_build(|s| s.edit(PATHWAY, "area: essex", "area: all"));
    run.assert_error(
        "content/pathways/routine-enquiry.md:21:16: error: this pathway is for every area, but the service \"open-road\" is not national (`areas: all`)",
    );
}

#[test]
fn case_study_needs_consent() {
    let run = failing_build(|s| s.edit("content/case-studies/jo.md", "consent: true\n", ""));
    run.assert_error(
        "content/case-studies/jo.md:2:1: error: a case study is published only with the woman's consent: add `consent: true` once she has agreed (with names changed)",
    );
    let run = failing_build(|s| s.edit("content/case-studies/jo.md", "consent: true", "consent:"));
    run.assert_error(
        "content/case-studies/jo.md:7:1: error: `consent` needs a value: write `consent: true` once she has agreed (with names changed), or `consent: false` to withdraw the story",
    );
}

#[test]
fn contact_needs_a_route() {
    let run = failing_build(|s| {
        s.edit(
            SERVICE,
            "  phone: 01206 500585\n  website: https://www.openroad.org.uk\n",
            "  notes: Ask at reception\n",
        );
    });
    run.assert_error("content/services/open-road.md:9:3: error: `contact` needs at least one of phone, email, website or text");
}

#[test]
fn unsafe_urls_in_fields_are_refused() {
    let run = failing_build(|s| {
        s.edit(
            SERVICE,
            "website: https://www.openroad.org.uk",
            "website: javascript:alert(1)",
        )
    });
    run.assert_error("content/services/open-road.md:10:12: error: `website` should be a full web address starting with https://");
}

#[test]
fn bad_hours() {
    let run = failing_build(|s| {
        s.edit(
            SERVICE,
            "days: [mon, tue, wed, thu, fri]",
            "days: [mon, tue, wed, thurs, fri]",
        );
        s.edit(SERVICE, "closes: \"17:00\"", "closes: \"08:00\"");
    });
    run.assert_error("content/services/open-road.md:20:27: error: unknown day \"thurs\" (did you mean \"thu\"?): use mon, tue, wed, thu, fri, sat, sun");
    run.assert_error(
        "content/services/open-road.md:22:13: error: `closes` should be later than `opens`",
    );
}

#[test]
fn a_draft_service_is_left_out_with_the_links_to_it() {
    let site = Fixture::new();
    site.edit(SERVICE, "last_reviewed:", "draft: true\nlast_reviewed:");
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.diagnostics().contains(&"content/pathways/routine-enquiry.md:21:16: warning: the service \"open-road\" is a draft, so this step no longer links to it; publish it again, or remove it here"),
        "{}",
        run.stderr
    );
    assert!(!site.path("output/essex/services/open-road").exists());
}

#[test]
fn template_syntax_error() {
    let run = failing_build(|s| {
        s.write(
            "themes/default/templates/page.html",
            "{% extends \"base.html\" %}\n{% block main %}\n{{ page.title </p>\n{% endblock %}\n",
        )
    });
    let errors = run.errors();
    assert_eq!(errors.len(), 1, "{}", run.stderr);
    assert!(
        errors[0].starts_with(
            "themes/default/templates/page.html:3:15: error: template syntax: Found `</` but expected }}"
        ),
        "{}",
        errors[0]
    );
}

#[test]
fn template_with_a_missing_variable() {
    let run = failing_build(|s| {
        s.write(
            "themes/default/templates/page.html",
            "<p>{{ page.nonsense }}</p>\n",
        )
    });
    let errors = run.errors();
    assert_eq!(
        errors.len(),
        1,
        "one diagnostic per template and problem: {}",
        run.stderr
    );
    // Tera 2 points at the field, and lists the fields there are.
    assert!(
        errors[0].starts_with("themes/default/templates/page.html:1:12: error: "),
        "{}",
        errors[0]
    );
    assert!(
        errors[0].contains("`nonsense` is not defined")
            && errors[0].contains("(in `page.nonsense`)"),
        "{}",
        errors[0]
    );
}

#[test]
fn missing_settings_files() {
    let run = failing_build(|s| {
        s.remove("content/site.yaml");
        s.remove("content/needs.yaml");
    });
    assert!(
        run.errors()
            .iter()
            .any(|e| e.starts_with("content/site.yaml: error: missing")),
        "{}",
        run.stderr
    );
    assert!(
        run.errors()
            .iter()
            .any(|e| e.starts_with("content/needs.yaml: error: missing")),
        "{}",
        run.stderr
    );
}

#[test]
fn warnings_do_not_fail_a_build_unless_strict() {
    let site = Fixture::new();
    site.edit(
        SERVICE,
        "last_reviewed: 2026-06-01",
        "last_reviewed: 2025-06-01",
    );
    site.remove("content/pages/cover-your-tracks.md");
    site.write("content/services/notes.txt", "scribbles");
    site.write("content/services/.open-road.md.swp", "swap");
    site.write("content/services/open-road.md~", "backup");
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let warnings = run.diagnostics();
    assert_eq!(warnings.len(), 4, "{}", run.stderr);
    assert!(warnings.iter().any(|w| w.starts_with(
        "content/site.yaml: warning: no `base_url`: sitemap.xml and feed.xml are not written"
    )));
    assert!(warnings.contains(
        &"content/services/open-road.md:23:16: warning: last reviewed on 2025-06-01, more than 12 months ago: check the entry with the service and update `last_reviewed`"
    ));
    assert!(
        warnings
            .iter()
            .any(|w| w.starts_with("content/pages/cover-your-tracks.md: warning: missing"))
    );
    assert!(
        warnings
            .iter()
            .any(|w| w.starts_with("content/services/notes.txt: warning: unexpected file"))
    );
    assert_eq!(site.check().code, 0);
    assert_eq!(site.run(&["check", "--strict"]).code, 1);
}

#[test]
fn usage_errors_exit_2() {
    let site = Fixture::new();
    assert_eq!(site.run(&["frobnicate"]).code, 2);
    let empty = tempfile::tempdir().unwrap();
    let run = common::signpost(
        &["build", "--root", empty.path().to_str().unwrap()],
        empty.path(),
    );
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("has no content/ folder"),
        "{}",
        run.stderr
    );
}

#[test]
fn refuses_to_build_over_the_site() {
    let site = Fixture::new();
    let root = site.root().to_str().unwrap().to_owned();
    let run = site.run(&["build", "--output", &root]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("will not build into"), "{}", run.stderr);
    assert!(site.path("content/site.yaml").exists());
}

#[test]
fn a_file_with_a_bad_field_still_has_its_references_checked() {
    let run = failing_build(|s| {
        s.edit(
            SERVICE,
            "last_reviewed: 2026-06-01",
            "last_reviewed: 2026-13-01",
        );
        s.edit(SERVICE, "needs: [housing]", "needs: [housng]");
    });
    run.assert_error("content/services/open-road.md:6:9: error: unknown need \"housng\" (did you mean \"housing\"?)");
    assert_eq!(run.errors().len(), 2, "{}", run.stderr);
    assert!(
        run.diagnostics()
            .iter()
            .all(|d| !d.contains("warning: last reviewed")),
        "{}",
        run.stderr
    );
}

/// Services that differ from Open Road only in name, and one without a phone.
fn many_services_and_one_without_a_phone(site: &Fixture) {
    for i in 0..12 {
        site.write(
            &format!("content/services/copy-{i}.md"),
            &common::OPEN_ROAD.replace("name: Open Road", &format!("name: Copy {i}")),
        );
    }
    site.write(
        "content/services/no-phone.md",
        &common::OPEN_ROAD
            .replace("name: Open Road", "name: No Phone")
            .replace("  phone: 01206 500585\n", ""),
    );
}

#[test]
fn check_finds_a_template_error_that_only_one_entry_sets_off() {
    // check renders a page per shape of entry, not every page: the one service
    // without a phone is a shape of its own, so its page is rendered.
    let site = Fixture::new();
    many_services_and_one_without_a_phone(&site);
    assert_eq!(site.check().code, 0, "valid before the theme changes");
    site.write(
        "themes/default/templates/service.html",
        "{% extends \"base.html\" %}{% block content %}<h1>{{ service.name }}</h1>\
         <a href=\"tel:{{ service.contact.phone.tel }}\">Call</a>{% endblock content %}",
    );
    let run = site.check();
    assert_eq!(run.code, 1, "{}", run.stderr);
    let errors = run.errors();
    assert_eq!(errors.len(), 1, "{}", run.stderr);
    assert!(
        errors[0].starts_with("themes/default/templates/service.html:1:110: error: ")
            && errors[0].contains("(in `service.contact.phone.tel`)"),
        "{}",
        errors[0]
    );
    assert_eq!(site.build().code, 1, "build finds it too");
}

#[test]
fn check_finds_a_template_error_that_only_an_empty_need_sets_off() {
    // In Sutton only the national helpline serves: its housing page is empty.
    let site = Fixture::new();
    many_services_and_one_without_a_phone(&site);
    site.write(
        "themes/default/templates/need.html",
        "{% extends \"base.html\" %}{% block content %}<h1>{{ need.name }}</h1>\
         <p>First: {{ need.services[0].name }}</p>{% endblock content %}",
    );
    let run = site.check();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.errors()
            .iter()
            .any(|e| e.starts_with("themes/default/templates/need.html:1:")),
        "{}",
        run.stderr
    );
}

#[test]
fn a_tera_1_macro_import_points_to_components() {
    let run = failing_build(|s| {
        s.write(
            "themes/default/templates/page.html",
            "{% extends \"base.html\" %}\n{% import \"macros.html\" as m %}\n\
             {% block content %}{{ m::tags(s=page) }}{% endblock content %}\n",
        )
    });
    let errors = run.errors();
    assert_eq!(errors.len(), 1, "{}", run.stderr);
    assert!(
        errors[0].starts_with("themes/default/templates/page.html:2:4: error: template syntax: ")
            && errors[0].contains("Tera 2, which has no macros")
            && errors[0].contains("docs/themes.md"),
        "{}",
        errors[0]
    );
}

#[test]
fn every_unknown_component_filter_and_block_is_reported_with_its_place() {
    let run = failing_build(|s| {
        s.write(
            "themes/default/templates/page.html",
            "{% extends \"base.html\" %}\n{% block content %}\n<h1>{{ page.title | upperr }}</h1>\n\
             {{<tagz s={page} />}}\n{% endblock content %}\n{% block nope %}{% endblock nope %}\n",
        )
    });
    let errors = run.errors();
    assert_eq!(
        errors,
        [
            "themes/default/templates/page.html:3:21: error: templates: Unknown filter `upperr`",
            "themes/default/templates/page.html:4:3: error: templates: Unknown component `tagz`",
            "themes/default/templates/page.html:6:10: error: templates: Block `nope` is not defined in any parent template",
        ],
        "{}",
        run.stderr
    );
}
