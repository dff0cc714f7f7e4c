//! The example guide in `content/` is a product too: it builds cleanly, covers what
//! the briefing describes, and every link in it works.

use std::path::Path;

use crate::common::{self, assert_links_resolve, files_under, signpost};

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn stems(folder: &str) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(repo().join("content").join(folder))
        .unwrap_or_else(|e| panic!("content/{folder}: {e}"))
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with('.'))
        .filter_map(|n| n.rsplit_once('.').map(|(stem, _)| stem.to_owned()))
        // Originals only: `cardiff.cy` is the Welsh of `cardiff`.
        .filter(|stem| !stem.contains('.'))
        .collect();
    names.sort();
    names
}

/// Builds the example guide once into a temporary folder.
fn build() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("guide");
    let run = signpost(
        &[
            "build",
            "--root",
            repo().to_str().unwrap(),
            "--output",
            out.to_str().unwrap(),
        ],
        repo(),
    );
    assert_eq!(run.code, 0, "the example guide builds:\n{}", run.stderr);
    assert!(run.errors().is_empty(), "{}", run.stderr);
    (dir, out)
}

#[test]
fn covers_the_briefing() {
    let areas = stems("areas");
    for area in ["essex", "liverpool", "sutton", "greater-manchester"] {
        assert!(areas.contains(&area.to_owned()), "area {area}");
    }
    assert!(stems("services").len() >= 25, "at least 25 services");
    assert!(stems("pathways").len() >= 4, "at least 4 pathways");
    assert!(stems("case-studies").len() >= 3, "at least 3 case studies");
    for page in ["cover-your-tracks", "accessibility-statement", "about"] {
        assert!(stems("pages").contains(&page.to_owned()), "page {page}");
    }
    let needs = std::fs::read_to_string(repo().join("content/needs.yaml")).unwrap();
    for need in [
        "mental-health",
        "learning-disability-autism",
        "substance-misuse",
        "domestic-abuse",
        "housing",
        "money-debt",
        "children-families",
        "employment-skills",
        "criminal-justice",
        "care-leavers",
    ] {
        assert!(needs.contains(&format!("slug: {need}\n")), "need {need}");
    }
    let national = stems("services")
        .into_iter()
        .filter(|s| {
            std::fs::read_to_string(repo().join(format!("content/services/{s}.md")))
                .unwrap()
                .contains("\nareas: all\n")
        })
        .count();
    assert!(
        national >= 5,
        "national helplines with areas: all ({national})"
    );
}

#[test]
fn checks_clean_but_for_the_one_stale_entry_and_what_is_not_in_welsh() {
    let run = signpost(&["check", "--root", repo().to_str().unwrap()], repo());
    assert_eq!(run.code, 0, "{}", run.stderr);
    let (untranslated, others): (Vec<&str>, Vec<&str>) = run
        .diagnostics()
        .into_iter()
        .partition(|d| d.contains("warning: not translated into cy yet"));
    assert_eq!(
        others.len(),
        1,
        "only the deliberately stale entry warns:\n{}",
        run.stderr
    );
    assert!(
        others[0].contains("warning: last reviewed on"),
        "{}",
        others[0]
    );
    // Cardiff, what it lists and the site-wide files are all in Welsh; the
    // English areas' entries are not (yet), and say so.
    for d in &untranslated {
        for welsh in [
            "cardiff",
            "live-fear-free",
            "dan-247",
            "call-helpline",
            "shelter-cymru",
            "content/pages/",
            "content/site.yaml",
            "content/needs.yaml",
        ] {
            assert!(!d.contains(welsh), "{d}");
        }
    }
    assert!(!untranslated.is_empty());
}

#[test]
fn every_page_exists_and_every_link_resolves() {
    let (_dir, out) = build();
    let files = files_under(&out);
    for area in stems("areas") {
        for page in ["index.html", "print/index.html"] {
            assert!(files.contains(&format!("{area}/{page}")), "{area}/{page}");
        }
        for need in ["housing", "domestic-abuse", "mental-health"] {
            assert!(
                files.contains(&format!("{area}/needs/{need}/index.html")),
                "{area} need {need}"
            );
        }
        let services = files
            .iter()
            .filter(|f| f.starts_with(&format!("{area}/services/")))
            .count();
        assert!(
            services >= 10,
            "{area} lists its own and the national services ({services})"
        );
    }
    for page in [
        "index.html",
        "cover-your-tracks/index.html",
        "accessibility-statement/index.html",
        "about/index.html",
    ] {
        assert!(files.contains(&page.to_owned()), "{page}");
    }
    let checked = assert_links_resolve(&out);
    assert!(checked > 1000, "links checked: {checked}");
}

#[test]
fn key_content_on_key_pages() {
    let (_dir, out) = build();
    let read =
        |rel: &str| std::fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
    let essex = read("essex/index.html");
    assert!(essex.contains("Essex"));
    assert!(
        essex.contains("href=\"tel:08082000247\""),
        "the National Domestic Abuse Helpline is on the area guide"
    );
    let helpline = read("essex/services/national-domestic-abuse-helpline/index.html");
    assert!(helpline.contains("0808 2000 247") && helpline.contains("Last reviewed"));
    // A pathway with a branch shows its branch labels and its diagram.
    let branching = stems("pathways").into_iter().any(|p| {
        let source =
            std::fs::read_to_string(repo().join(format!("content/pathways/{p}.md"))).unwrap();
        source.contains("when:")
            && files_under(&out).iter().any(|f| {
                f.ends_with(&format!("/pathways/{p}/index.html"))
                    && read(f).contains("<svg class=\"pathway-diagram\"")
            })
    });
    assert!(branching, "a branching pathway is drawn");
    // Nothing confidential is published anywhere.
    for file in files_under(&out) {
        let text = String::from_utf8_lossy(&std::fs::read(out.join(&file)).unwrap()).into_owned();
        assert!(
            !text.contains("ZZ99 9ZZ") && !text.contains("Refuge address withheld"),
            "confidential location in {file}"
        );
        assert!(
            !text.contains("__signpost"),
            "no live-reload script in build output: {file}"
        );
    }
}

#[test]
fn without_javascript_every_service_is_reached_through_need_pages() {
    let (_dir, out) = build();
    let out = out.canonicalize().unwrap();
    // Follows a relative link from a page to the folder it names.
    let follow = |page_dir: &Path, link: &str| page_dir.join(link).canonicalize().ok();
    for area in stems("areas") {
        let area_dir = out.join(&area);
        let area_page = std::fs::read_to_string(area_dir.join("index.html")).unwrap();
        let mut reached = std::collections::BTreeSet::new();
        let need_dirs = common::links(&area_page)
            .into_iter()
            .filter_map(|l| follow(&area_dir, &l))
            .filter(|d| d.starts_with(area_dir.join("needs")));
        for need_dir in need_dirs {
            let need_page = std::fs::read_to_string(need_dir.join("index.html")).unwrap();
            for target in common::links(&need_page)
                .into_iter()
                .filter_map(|l| follow(&need_dir, &l))
            {
                if let Ok(slug) = target.strip_prefix(area_dir.join("services")) {
                    reached.insert(slug.to_string_lossy().into_owned());
                }
            }
        }
        let all: std::collections::BTreeSet<String> = std::fs::read_dir(area_dir.join("services"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert!(!all.is_empty());
        assert_eq!(reached, all, "{area}: services reached through need pages");
    }
}

/// Issue 17, item 9: each thing is said once where a reader would meet it twice.
#[test]
fn each_thing_is_said_once() {
    let (_dir, out) = build();
    let read =
        |rel: &str| std::fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
    let refuge = read("essex/services/essex-womens-refuge/index.html");
    let main = refuge.split("<main").nth(1).expect("main");
    assert_eq!(main.matches("Women only").count(), 1, "women only, once");
    assert_eq!(main.matches("yourself").count(), 1, "who can refer, once");
    let mut stories_seen = 0;
    for entry in std::fs::read_dir(&out).unwrap().filter_map(Result::ok) {
        let stories = entry.path().join("stories");
        for story in std::fs::read_dir(&stories)
            .into_iter()
            .flatten()
            .filter_map(Result::ok)
        {
            let html = std::fs::read_to_string(story.path().join("index.html")).unwrap();
            assert_eq!(
                html.matches("with her consent").count(),
                1,
                "{}: the consent line, once",
                story.path().display()
            );
            stories_seen += 1;
        }
    }
    assert!(stories_seen >= 4, "{stories_seen} stories");
    let front = read("index.html");
    assert_eq!(
        front.matches("Choose your area").count(),
        2,
        "in <title> and one heading"
    );
    assert!(
        !front.contains(">Change area<"),
        "the front page does not link to itself"
    );
    // An ending step in the middle of the list says that other routes follow.
    let pathway = read("essex/pathways/if-you-are-being-hurt-at-home/index.html");
    assert!(!pathway.contains("This route ends here"));
    assert_eq!(
        pathway
            .matches(
                "This is the last step on this route. The steps after it are for other situations."
            )
            .count(),
        1,
        "step 2 (call 999) ends a route; step 7, the last, needs no such line"
    );
}
