//! `signpost new` and `signpost init`.

use crate::common::{self, Fixture, signpost};

/// Told the two things only the publisher knows, `init` writes them into
/// site.yaml, and the new site passes `check --strict` with nothing to fix.
#[test]
fn init_told_the_address_and_the_contact_passes_check_strict() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("new-guide");
    let site_arg = site.to_str().unwrap();
    let run = signpost(
        &[
            "init",
            site_arg,
            "--base-url",
            "https://www.example.gov.uk/women",
            "--contact",
            "womens-guide@example.gov.uk",
        ],
        dir.path(),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let yaml = std::fs::read_to_string(site.join("content/site.yaml")).unwrap();
    assert!(
        yaml.contains("\nbase_url: \"https://www.example.gov.uk/women/\"\n"),
        "{yaml}"
    );
    assert!(
        yaml.contains("\ncontact:\n  email: womens-guide@example.gov.uk\n"),
        "{yaml}"
    );
    let check = signpost(&["check", "--strict", "--root", site_arg], dir.path());
    assert_eq!(check.code, 0, "{}", check.stderr);
    assert_eq!(
        check.diagnostics(),
        Vec::<String>::new(),
        "{}",
        check.stderr
    );
    // A value that is not what it says is refused before anything is written.
    for (flag, value) in [
        ("--base-url", "www.example.gov.uk"),
        ("--contact", "guide at council"),
    ] {
        let other = dir.path().join("other");
        let run = signpost(&["init", other.to_str().unwrap(), flag, value], dir.path());
        assert_eq!(run.code, 2, "{flag} {value}: {}", run.stderr);
        assert!(run.stderr.contains(value), "{}", run.stderr);
        assert!(!other.join("content").exists());
    }
}

#[test]
fn init_makes_a_site_that_builds_and_checks_clean() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("new-guide");
    let run = signpost(&["init", site.to_str().unwrap()], dir.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    let check = signpost(&["check", "--root", site.to_str().unwrap()], dir.path());
    assert_eq!(check.code, 0, "a new site passes check:\n{}", check.stderr);
    // Its two warnings ask for what only the publisher knows: the address it
    // will be published at, and how readers reach them.
    assert_eq!(check.diagnostics().len(), 2, "{}", check.stderr);
    for expected in [
        "content/site.yaml: warning: no `base_url`",
        "content/site.yaml:4:1: warning: no `contact`",
    ] {
        assert!(
            check.diagnostics().iter().any(|d| d.starts_with(expected)),
            "{}",
            check.stderr
        );
    }
    // In plain words: what to set, and why.
    assert!(
        check.diagnostics().iter().any(|d| d.contains("Set `base_url` in site.yaml to the web address the guide is published at, such as https://www.example.gov.uk/women/: search engines find the guide's pages through the sitemap")),
        "{}",
        check.stderr
    );
    let build = signpost(&["build", "--root", site.to_str().unwrap()], dir.path());
    assert_eq!(build.code, 0, "{}", build.stderr);
    for page in [
        "index.html",
        "your-area/index.html",
        "cover-your-tracks/index.html",
        "accessibility-statement/index.html",
        "your-area/pathways/if-you-are-being-hurt-at-home/index.html",
        "glossary/index.html",
    ] {
        assert!(site.join("output").join(page).is_file(), "{page}");
    }
    let again = signpost(&["init", site.to_str().unwrap()], dir.path());
    assert_eq!(again.code, 2, "init refuses an existing site");
    assert!(
        again.stderr.contains("already has a content/ folder"),
        "{}",
        again.stderr
    );
}

/// Fills in a new file's placeholders the way an editor would.
fn fill(site: &Fixture, rel: &str, edits: &[(&str, &str)]) {
    for (from, to) in edits {
        site.edit(rel, from, to);
    }
}

#[test]
fn a_new_service_names_what_to_fill_then_passes_check() {
    let site = Fixture::new();
    let run = site.run(&["new", "service", "Sutton Women's Hub: drop-in"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout
            .contains("Created content/services/sutton-womens-hub-drop-in.md"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("Still to fill in: organisation, summary, areas, needs, contact"),
        "{}",
        run.stdout
    );
    let rel = "content/services/sutton-womens-hub-drop-in.md";
    let text = site.read(rel);
    assert!(text.contains("name: \"Sutton Women's Hub: drop-in\""));
    assert!(
        text.contains(&format!("last_reviewed: {}", common::TODAY)),
        "today's date as last_reviewed"
    );

    // Unfilled, check points at each empty field by line.
    let check = site.check();
    assert_eq!(check.code, 1);
    let errors: Vec<&str> = check
        .errors()
        .into_iter()
        .filter(|e| e.starts_with(rel))
        .collect();
    assert!(
        errors
            .iter()
            .any(|e| e.ends_with("error: `organisation` needs a value; write it after the colon, as in `organisation: Open Road`")),
        "{errors:#?}"
    );
    assert!(
        errors
            .iter()
            .any(|e| e.ends_with("error: `areas` needs at least one entry")),
        "{errors:#?}"
    );
    assert!(
        errors
            .iter()
            .any(|e| e.contains("`contact` needs at least one of phone, email, website or text")),
        "{errors:#?}"
    );

    fill(
        &site,
        rel,
        &[
            ("organisation:\n", "organisation: Sutton Women's Centre\n"),
            ("summary:\n", "summary: A drop-in for women.\n"),
            ("areas: []", "areas: [sutton]"),
            ("needs: []", "needs: [housing]"),
            (
                "  website:\n",
                "  website: https://www.suttonwomenscentre.org\n",
            ),
        ],
    );
    let check = site.check();
    assert_eq!(check.code, 0, "{}", check.stderr);
}

#[test]
fn every_kind_of_new_file_passes_check_once_filled() {
    let site = Fixture::new();
    for (kind, title, rel, edits) in [
        (
            "area",
            "North Essex",
            "content/areas/north-essex.yaml",
            vec![("council:\n", "council: Essex County Council\n")],
        ),
        ("page", "Contact us", "content/pages/contact-us.md", vec![]),
        (
            "pathway",
            "Leaving prison",
            "content/pathways/leaving-prison.md",
            vec![
                ("area:\n", "area: essex\n"),
                ("services: []", "services: [open-road]"),
            ],
        ),
        (
            "case-study",
            "Amy's story",
            "content/case-studies/amys-story.md",
            vec![
                ("areas: []", "areas: [essex]"),
                ("consent:\n", "consent: true\n"),
            ],
        ),
    ] {
        let run = site.run(&["new", kind, title]);
        assert_eq!(run.code, 0, "{kind}: {}", run.stderr);
        assert!(
            run.stdout.contains(&format!("Created {rel}")),
            "{}",
            run.stdout
        );
        fill(&site, rel, &edits);
        let check = site.check();
        assert_eq!(check.code, 0, "{kind} filled in:\n{}", check.stderr);
    }
}

#[test]
fn new_never_overwrites() {
    let site = Fixture::new();
    let before = site.read("content/services/open-road.md");
    let run = site.run(&["new", "service", "Open Road"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("content/services/open-road.md already exists"),
        "{}",
        run.stderr
    );
    assert_eq!(site.read("content/services/open-road.md"), before);
    assert_eq!(
        site.run(&["new", "service", "!!!"]).code,
        2,
        "a title with no letters is refused"
    );
    assert_eq!(
        site.run(&["new", "leaflet", "X"]).code,
        2,
        "an unknown kind is a usage error"
    );
}

#[test]
fn a_very_long_title_makes_a_file_that_builds() {
    let site = Fixture::new();
    let title = "Support for women leaving prison with nowhere safe to stay ".repeat(5);
    let run = site.run(&["new", "page", title.trim()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let rel = "content/pages/support-for-women-leaving-prison-with-nowhere-safe-to-stay.md";
    assert!(run.stdout.contains(rel), "{}", run.stdout);
    assert!(
        site.read(rel).contains(title.trim()),
        "the title itself is kept whole"
    );
    assert_eq!(site.run(&["check"]).code, 0);
}

#[test]
fn init_refuses_the_root_of_the_file_system() {
    let dir = tempfile::tempdir().unwrap();
    let run = signpost(&["init", "/"], dir.path());
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("the root of the file system"),
        "{}",
        run.stderr
    );
    assert!(!std::path::Path::new("/content").exists());
}
