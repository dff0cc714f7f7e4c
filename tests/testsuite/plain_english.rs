//! Plain English (issue 17, item 8): the site glossary marks its terms up with
//! `<abbr>` in bodies and in text from YAML fields, spells out a first use, and
//! has a page of its own; `check` warns on a summary far above plain English.

use crate::common::Fixture;

const GLOSSARY: &str = "\
- term: IDVA
  expansion: independent domestic violence adviser
  explanation: A specialist who supports women at high risk and speaks up for them.
- term: MARAC
  expansion: multi-agency risk assessment conference
  explanation: A meeting that agrees a plan to keep a woman at high risk safe.
";

const ABBR_IDVA: &str = "<abbr title=\"independent domestic violence adviser\">IDVA</abbr>";

fn site_with_glossary() -> Fixture {
    let site = Fixture::new();
    site.write("content/glossary.yaml", GLOSSARY);
    site.edit(
        "content/services/open-road.md",
        "summary: ",
        "summary: An IDVA can help. ",
    );
    site
}

#[test]
fn terms_are_marked_up_in_bodies_and_fields_and_spelled_out_on_first_use() {
    let site = site_with_glossary();
    let body = site.read("content/services/open-road.md");
    site.write(
        "content/services/open-road.md",
        &format!("{body}\nAsk for an IDVA. The IDVA will call. `IDVA` in code stays.\n"),
    );
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let page = site.read("output/essex/services/open-road/index.html");
    // The summary, from a YAML field, through the theme's `abbr` filter.
    assert!(
        page.contains(&format!("<p class=\"lead\">An {ABBR_IDVA} can help.")),
        "{page}"
    );
    // The body: the first use spelled out, the next marked up, code left alone.
    assert!(
        page.contains(&format!(
            "Ask for an independent domestic violence adviser ({ABBR_IDVA}). The {ABBR_IDVA} will call. <code>IDVA</code> in code stays."
        )),
        "{page}"
    );
    // The print page has it too, and every page links to the glossary's page.
    let print = site.read("output/essex/print/index.html");
    assert!(print.contains(ABBR_IDVA), "{print}");
    assert!(
        page.contains("<a href=\"../../../glossary/\">Words and abbreviations</a>"),
        "{page}"
    );
}

#[test]
fn the_glossary_page_lists_every_term_in_order_with_what_it_means() {
    let site = site_with_glossary();
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let page = site.read("output/glossary/index.html");
    let idva = page
        .find("id=\"term-idva\"")
        .expect("IDVA on the glossary page");
    let marac = page
        .find("id=\"term-marac\"")
        .expect("MARAC on the glossary page");
    assert!(idva < marac, "in alphabetical order");
    assert!(page.contains(&format!(
        "{ABBR_IDVA}: independent domestic violence adviser"
    )));
    assert!(page.contains("A meeting that agrees a plan to keep a woman at high risk safe."));
    assert!(page.contains("<h1>Words and abbreviations</h1>"), "{page}");
}

#[test]
fn a_site_without_a_glossary_has_no_glossary_page_and_no_abbr() {
    let site = Fixture::new();
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!site.path("output/glossary").exists());
    let page = site.read("output/essex/services/open-road/index.html");
    assert!(!page.contains("<abbr"), "{page}");
    assert!(!page.contains("Words and abbreviations"), "{page}");
    // Without a glossary, a free page may be called glossary.
    site.write(
        "content/pages/glossary.md",
        "---\ntitle: Our glossary\n---\nWords.\n",
    );
    assert_eq!(site.build().code, 0);
    assert!(
        site.read("output/glossary/index.html")
            .contains("Our glossary")
    );
}

#[test]
fn with_a_glossary_its_page_owns_the_glossary_folder() {
    let site = site_with_glossary();
    site.write(
        "content/pages/glossary.md",
        "---\ntitle: Our glossary\n---\nWords.\n",
    );
    let run = site.check();
    assert_eq!(run.code, 1, "{}", run.stderr);
    run.assert_error("content/pages/glossary.md: error: this would be published at glossary/, which also belongs to the glossary page (content/glossary.yaml); rename one of the files");
}

#[test]
fn glossary_problems_are_reported_at_their_place() {
    let site = Fixture::new();
    site.write(
        "content/glossary.yaml",
        "- term: IDVA\n  expansion: independent domestic violence adviser\n  explanation: A specialist.\n- term: two words\n  expansion: x\n  explanation: y\n- term: IDVA\n  expansion: again\n  explanation: twice\n- term: DASH\n  explanation: no expansion\n",
    );
    let run = site.check();
    assert_eq!(run.code, 1, "{}", run.stderr);
    run.assert_error(
        "content/glossary.yaml:4:9: error: `term` should be one word, such as IDVA, not \"two words\"",
    );
    run.assert_error("content/glossary.yaml:7:9: error: the term `IDVA` is listed twice");
    assert!(
        run.errors().iter().any(|e| e
            .starts_with("content/glossary.yaml:10:3: error: missing required field `expansion`")),
        "{}",
        run.stderr
    );
    site.write("content/glossary.yaml", "term: IDVA\n");
    site.check().assert_error(
        "content/glossary.yaml:1:1: error: glossary.yaml should be a list, each term starting with `- term: ...`",
    );
}

#[test]
fn a_summary_far_above_plain_english_is_a_warning_at_its_place() {
    let site = Fixture::new();
    let hard = "Multi-agency safeguarding arrangements facilitate collaborative interventions addressing intersectional vulnerabilities.";
    let text = site.read("content/services/open-road.md");
    let line = text
        .lines()
        .position(|l| l.starts_with("summary:"))
        .expect("a summary line")
        + 1;
    let rewritten: String = text
        .lines()
        .map(|l| {
            if l.starts_with("summary:") {
                format!("summary: {hard}\n")
            } else {
                format!("{l}\n")
            }
        })
        .collect();
    site.write("content/services/open-road.md", &rewritten);
    let run = site.build();
    assert_eq!(run.code, 0, "a warning, not an error: {}", run.stderr);
    let expected = format!(
        "content/services/open-road.md:{line}:10: warning: this summary reads at about grade"
    );
    assert!(
        run.diagnostics()
            .iter()
            .any(|d| d.starts_with(&expected) && d.contains("far above plain English (grade 9")),
        "{expected}\n{}",
        run.stderr
    );
    // The fixture's own summaries are plain enough.
    let plain = Fixture::new().build();
    assert!(!plain.stderr.contains("plain English"), "{}", plain.stderr);
}
