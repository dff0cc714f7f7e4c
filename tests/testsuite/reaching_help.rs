//! Reaching help first (issue 17, items 4 and 5): "Talk to someone now" on
//! every page, what `check` says about its references, and need pages and
//! helplines ordered by what helps first.

use crate::common::Fixture;

/// A housing service: `referral` and whether it is open 24 hours vary.
fn service(name: &str, areas: &str, needs: &str, referral: &str, all_hours: bool) -> String {
    let hours = if all_hours {
        "hours:\n  - days: [mon, tue, wed, thu, fri, sat, sun]\n    opens: \"00:00\"\n    closes: \"24:00\"\n"
    } else {
        "hours:\n  - days: [mon, tue, wed, thu, fri]\n    opens: \"09:00\"\n    closes: \"17:00\"\n"
    };
    format!(
        "---\nname: {name}\norganisation: Org\nsummary: Help.\nareas: {areas}\nneeds: {needs}\nreferral: {referral}\ncontact:\n  phone: 0300 123 4567\n{hours}last_reviewed: 2026-09-01\n---\nBody.\n"
    )
}

/// The names of the cards on a built need page, in order.
fn card_names(html: &str) -> Vec<String> {
    html.split("<h2 class=\"card__title\"><a href=\"")
        .skip(1)
        .filter_map(|s| {
            s.split_once("\">")?
                .1
                .split_once("</a>")
                .map(|(n, _)| n.to_owned())
        })
        .collect()
}

#[test]
fn need_pages_list_what_she_can_reach_herself_and_at_any_hour_first() {
    let f = Fixture::new();
    // Alphabetical order would be the reverse of the order that helps first.
    f.write(
        "content/services/a-referral.md",
        &service(
            "A referral only",
            "[essex]",
            "[housing]",
            "[professional]",
            true,
        ),
    );
    f.write(
        "content/services/b-daytime.md",
        &service("B daytime", "[essex]", "[housing]", "[self]", false),
    );
    f.write(
        "content/services/c-secondary.md",
        &service(
            "C any hour, housing second",
            "[essex]",
            "[domestic-abuse, housing]",
            "[self]",
            true,
        ),
    );
    f.write(
        "content/services/d-any-hour.md",
        &service(
            "D any hour",
            "[essex]",
            "[housing]",
            "[self, professional]",
            true,
        ),
    );
    let run = f.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let names = card_names(&f.read("output/essex/needs/housing/index.html"));
    assert_eq!(
        names,
        [
            "D any hour",
            "C any hour, housing second",
            "B daytime",
            "Open Road",
            "A referral only"
        ]
    );
}

#[test]
fn helplines_put_talk_to_someone_now_first_then_any_hour_then_the_rest() {
    let f = Fixture::new();
    f.write(
        "content/services/a-debt.md",
        &service("A debt line", "all", "[housing]", "[self]", false),
    );
    f.write(
        "content/services/b-listening.md",
        &service("B listening line", "all", "[housing]", "[self]", true),
    );
    f.write(
        "content/services/c-referral.md",
        &service(
            "C referral line",
            "all",
            "[housing]",
            "[professional]",
            true,
        ),
    );
    f.edit(
        "content/site.yaml",
        "publisher",
        "urgent_help: [b-listening, national-domestic-abuse-helpline]\npublisher",
    );
    let run = f.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let html = f.read("output/essex/index.html");
    let helplines = html.split("id=\"helplines\"").nth(1).expect("helplines");
    let order: Vec<usize> = [
        "B listening line",
        "National Domestic Abuse Helpline",
        "A debt line",
        "C referral line",
    ]
    .iter()
    .map(|n| {
        helplines
            .find(&format!(">{n}</a>"))
            .unwrap_or_else(|| panic!("{n} listed"))
    })
    .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}");
    // The print page prints its helplines in full in the same order.
    let print = f.read("output/essex/print/index.html");
    let section = print.split("id=\"helplines\"").nth(1).expect("helplines");
    let order: Vec<usize> = [
        "B listening line",
        "National Domestic Abuse Helpline",
        "A debt line",
        "C referral line",
    ]
    .iter()
    .map(|n| {
        section
            .find(&format!("-name\">{n}</h3>"))
            .unwrap_or_else(|| panic!("{n} printed"))
    })
    .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "print: {order:?}");
}

#[test]
fn every_page_has_999_and_the_chosen_numbers_an_area_can_replace() {
    let f = Fixture::new();
    f.write(
        "content/services/local-line.md",
        &service("Essex night line", "[essex]", "[housing]", "[self]", true),
    );
    f.edit(
        "content/site.yaml",
        "publisher",
        "urgent_help: [national-domestic-abuse-helpline]\npublisher",
    );
    f.edit(
        "content/areas/essex.yaml",
        "name: Essex",
        "urgent_help: [local-line]\nname: Essex",
    );
    let run = f.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    for page in [
        "index.html",
        "cover-your-tracks/index.html",
        "sutton/index.html",
        "sutton/services/national-domestic-abuse-helpline/index.html",
    ] {
        let html = f.read(&format!("output/{page}"));
        let urgent = html
            .split("data-urgent")
            .nth(1)
            .unwrap_or_else(|| panic!("{page}: no urgent block"));
        assert!(urgent.contains("href=\"tel:999\""), "{page}");
        assert!(
            urgent.contains("href=\"tel:08082000247\""),
            "{page}: the site's number"
        );
    }
    // Essex names its own: the local line, and not the site's helpline.
    let essex = f.read("output/essex/needs/housing/index.html");
    let urgent = essex.split("data-urgent").nth(1).expect("urgent block");
    let urgent = urgent.split("</aside>").next().unwrap_or_default();
    assert!(urgent.contains("href=\"tel:03001234567\">0300 123 4567</a> <span class=\"urgent__what\">Essex night line, 24 hours"), "{urgent}");
    assert!(!urgent.contains("tel:08082000247"), "{urgent}");
    // Its emergency advice is there too, the number tappable.
    assert!(
        urgent.contains("In danger now? Call <a href=\"tel:999\">999</a>."),
        "{urgent}"
    );
}

#[test]
fn check_names_each_bad_urgent_help_reference_at_its_place() {
    let f = Fixture::new();
    f.write("content/services/no-number.md", "---\nname: No number\norganisation: Org\nsummary: Help.\nareas: all\nneeds: [housing]\nreferral: [self]\ncontact:\n  website: https://example.org\nlast_reviewed: 2026-09-01\n---\nBody.\n");
    f.edit(
        "content/site.yaml",
        "publisher",
        "urgent_help: [national-domestic-abuse-helplin, open-road, no-number]\npublisher",
    );
    f.edit(
        "content/areas/sutton.yaml",
        "name: Sutton",
        "urgent_help: [open-road]\nname: Sutton",
    );
    let run = f.check();
    assert_ne!(run.code, 0);
    run.assert_error("content/site.yaml:2:15: error: unknown service \"national-domestic-abuse-helplin\" in `urgent_help` (did you mean \"national-domestic-abuse-helpline\"?)");
    run.assert_error("content/site.yaml:2:48: error: the site's `urgent_help` shows on every page, so it names national services (`areas: all`); \"open-road\" is local: name it in `urgent_help` in the files of the areas it serves");
    run.assert_error("content/site.yaml:2:59: error: `urgent_help` shows numbers to call or text, and \"no-number\" has no `contact: phone` or `contact: text`");
    run.assert_error("content/areas/sutton.yaml:1:15: error: \"open-road\" does not serve Sutton, so it cannot be in its `urgent_help`");
}

#[test]
fn a_draft_helpline_leaves_talk_to_someone_now_with_a_warning() {
    let f = Fixture::new();
    f.edit(
        "content/site.yaml",
        "publisher",
        "urgent_help: [national-domestic-abuse-helpline]\npublisher",
    );
    f.edit(
        "content/services/national-domestic-abuse-helpline.md",
        "name:",
        "draft: true\nname:",
    );
    // The pathway links to it too: that link goes, with its own warning.
    let run = f.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("content/site.yaml:2:15: warning: the service \"national-domestic-abuse-helpline\" is a draft, so \"Talk to someone now\" leaves it out"),
        "{}",
        run.stderr
    );
    let html = f.read("output/index.html");
    assert!(html.contains("href=\"tel:999\"") && !html.contains("tel:08082000247"));
}
