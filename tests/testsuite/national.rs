//! The generated benchmark corpus (benches/corpus) at its small size: it is
//! valid, builds to the same bytes every time, a rebuild that reuses the
//! previous output gives the same tree as a clean build, and every export
//! validates against the published Open Referral UK 3.0 schemas.

#[path = "../../benches/corpus/generate.rs"]
// The tests use the small size only; NATIONAL is for the corpus example.
#[allow(dead_code)]
mod corpus;

use std::fs;
use std::path::Path;

use crate::common::{self, files_under, signpost};
use crate::open_data;

fn small_corpus(dir: &Path) -> std::path::PathBuf {
    corpus::generate(&corpus::SMALL, dir).expect("generate the corpus");
    dir.join("signpost")
}

/// Builds `site` into `out`, which must succeed.
fn build(site: &Path, out: &Path, cwd: &Path) {
    let run = signpost(
        &[
            "build",
            "--root",
            site.to_str().unwrap(),
            "--output",
            out.to_str().unwrap(),
        ],
        cwd,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
}

/// Every file under `a` and `b`, compared byte for byte.
fn assert_same_tree(a: &Path, b: &Path) {
    let files = files_under(a);
    assert_eq!(files, files_under(b), "the two trees list different files");
    for file in &files {
        assert!(
            fs::read(a.join(file)).unwrap() == fs::read(b.join(file)).unwrap(),
            "{file} differs between {} and {}",
            a.display(),
            b.display()
        );
    }
}

#[test]
fn the_generator_is_deterministic_and_its_corpus_is_valid() {
    let one = tempfile::tempdir().unwrap();
    let two = tempfile::tempdir().unwrap();
    let site = small_corpus(one.path());
    small_corpus(two.path());
    assert_same_tree(one.path(), two.path());

    let services = fs::read_dir(site.join("content/services")).unwrap().count();
    assert_eq!(services, corpus::SMALL.services);
    let check = signpost(
        &["check", "--strict", "--root", site.to_str().unwrap()],
        one.path(),
    );
    assert_eq!(check.code, 0, "{}", check.stderr);
}

#[test]
fn building_the_corpus_twice_gives_identical_trees_and_valid_exports() {
    let dir = tempfile::tempdir().unwrap();
    let site = small_corpus(dir.path());
    let (first, second) = (dir.path().join("first"), dir.path().join("second"));
    for out in [&first, &second] {
        build(&site, out, dir.path());
    }
    assert_same_tree(&first, &second);

    // 20 areas: a page per service per area, and an export and a search index each.
    let exports: Vec<String> = files_under(&first)
        .into_iter()
        .filter(|f| f.ends_with("/services.json") && !f.starts_with("openreferral/"))
        .collect();
    assert_eq!(exports.len(), corpus::SMALL.areas);
    for export in &exports {
        let json: serde_json::Value =
            serde_json::from_str(&fs::read_to_string(first.join(export)).unwrap()).unwrap();
        let area = export.trim_end_matches("/services.json");
        let listed = json["contents"].as_array().unwrap().len();
        let pages = fs::read_dir(first.join(area).join("services"))
            .unwrap()
            .count();
        assert_eq!(listed, pages, "{area}: export and service pages disagree");
        let index = fs::read_to_string(first.join(area).join("search-index.js")).unwrap();
        assert_eq!(index.matches("\"path\":\"services/").count(), pages);
    }
}

/// Every record of the corpus, in every file it is published in, passes the
/// published Open Referral UK 3.0 schemas and Signpost's own rules (no empty
/// values, UUIDs, the tabular form); its refuges' addresses are in none.
#[test]
fn every_open_data_record_of_the_corpus_passes_the_3_0_schemas() {
    let dir = tempfile::tempdir().unwrap();
    let site = small_corpus(dir.path());
    let out = dir.path().join("out");
    build(&site, &out, dir.path());
    let found = open_data::assert_open_data(&out);
    let services = found.services["contents"].as_array().unwrap().len();
    assert_eq!(services, corpus::SMALL.services);
    assert!(found.records > 2 * services, "{} records", found.records);
    for file in files_under(&out.join("openreferral")) {
        let text = fs::read_to_string(out.join("openreferral").join(&file)).unwrap();
        assert!(
            !text.contains("Confidential Road") && !text.contains("address withheld"),
            "{file}"
        );
    }
}

#[test]
fn a_rebuild_over_the_previous_output_equals_a_clean_build() {
    let dir = tempfile::tempdir().unwrap();
    let site = small_corpus(dir.path());
    let (reused, clean) = (dir.path().join("reused"), dir.path().join("clean"));
    let build = |out: &Path| build(&site, out, dir.path());
    build(&reused);
    let unchanged = reused.join("cover-your-tracks/index.html");
    let inode = |p: &Path| std::os::unix::fs::MetadataExt::ino(&fs::metadata(p).unwrap());
    let unchanged_inode = inode(&unchanged);
    let front_page_inode = inode(&reused.join("index.html"));

    // Change one service's name and body, and remove another service: pages
    // change, appear and disappear across several areas.
    let services = site.join("content/services");
    let mut names: Vec<_> = fs::read_dir(&services)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    names.sort();
    let edited = &names[100];
    let text = fs::read_to_string(edited).unwrap();
    let text = text.replacen("name: \"", "name: \"Renamed ", 1) + "\nA new closing line.\n";
    fs::write(edited, text).unwrap();
    let removed = names
        .iter()
        .rev()
        .find(|p| {
            let slug = p.file_stem().unwrap().to_str().unwrap().to_owned();
            // Not one a pathway or story names, or the site would not build.
            !fs::read_dir(site.join("content/pathways"))
                .unwrap()
                .chain(fs::read_dir(site.join("content/case-studies")).unwrap())
                .any(|f| {
                    fs::read_to_string(f.unwrap().path())
                        .unwrap()
                        .contains(&slug)
                })
        })
        .expect("a service nothing names");
    fs::remove_file(removed).unwrap();

    build(&reused);
    build(&clean);
    assert_same_tree(&reused, &clean);
    // Unchanged files were reused: hard-linked from the previous build, so
    // they keep their inode.
    assert_eq!(
        inode(&unchanged),
        unchanged_inode,
        "{} was rewritten",
        unchanged.display()
    );
    assert_eq!(inode(&reused.join("index.html")), front_page_inode);
}

#[test]
fn pages_served_after_an_edit_equal_a_clean_build_of_the_edited_content() {
    let dir = tempfile::tempdir().unwrap();
    let site = small_corpus(dir.path());
    let server = common::Server::start(&site);
    let events = server.events();

    // Edit a service that serves more than one area.
    let services = site.join("content/services");
    let mut files: Vec<_> = fs::read_dir(&services)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    let edited = files
        .iter()
        .find(|p| {
            fs::read_to_string(p).unwrap().contains("areas: [") && {
                let text = fs::read_to_string(p).unwrap();
                text.lines()
                    .find(|l| l.starts_with("areas: ["))
                    .is_some_and(|l| l.contains(','))
            }
        })
        .expect("a service in two areas");
    let text = fs::read_to_string(edited).unwrap();
    let changed = text.replacen("summary: \"", "summary: \"Now open on Sundays. ", 1)
        + "\nA sentence added while previewing.\n";
    fs::write(edited, changed).unwrap();
    let event = events
        .recv_timeout(std::time::Duration::from_secs(30))
        .expect("a reload");
    assert_eq!(event, "event: reload");

    let out = dir.path().join("clean");
    build(&site, &out, dir.path());
    let slug = edited.file_stem().unwrap().to_str().unwrap();
    let affected: Vec<String> = files_under(&out)
        .into_iter()
        .filter(|f| {
            f.contains(&format!("/services/{slug}/"))
                || f.ends_with("services.json")
                || f.ends_with("search-index.js")
                || f.matches('/').count() == 1 && f.ends_with("/index.html")
                || f.ends_with("/print/index.html")
                || f.contains("/needs/")
        })
        .collect();
    assert!(affected.len() > 100, "{}", affected.len());
    let live = "<script src=\"/__signpost/live.js\" defer></script>";
    for file in &affected {
        let url = format!("/{}", file.trim_end_matches("index.html"));
        let (status, body) = server.get(&url);
        assert_eq!(status, 200, "{url}");
        let clean = fs::read_to_string(out.join(file)).unwrap();
        let served = body.replacen(live, "", 1);
        if served != clean {
            let line = served
                .lines()
                .zip(clean.lines())
                .find(|(a, b)| a != b)
                .map(|(a, b)| format!("served: {a}\nclean:  {b}"));
            panic!("{url} served after the edit differs from the clean build:\n{line:?}");
        }
    }
    assert!(
        fs::read_to_string(out.join(affected.iter().find(|f| f.contains(slug)).unwrap()))
            .unwrap()
            .contains("A sentence added while previewing."),
        "the clean build has the edit"
    );
}

#[test]
fn serve_finds_every_planned_page_by_its_path_and_nothing_else() {
    use signpost::pages::{job_for_path, page_count};
    use signpost::urls;
    let dir = tempfile::tempdir().unwrap();
    let site = small_corpus(dir.path());
    let options = signpost::load::LoadOptions {
        drafts: false,
        today: time::Date::from_calendar_date(2026, time::Month::November, 30).unwrap(),
    };
    let (prepared, diags) = signpost::site::prepare(&site, &options);
    let p = prepared.unwrap_or_else(|| panic!("the corpus prepares: {:?}", diags.sorted()));
    assert!(p.jobs().len() > 2000, "{} pages", p.jobs().len());
    for job in p.jobs() {
        assert_eq!(
            job_for_path(&p.site, &p.index.layout, &job.path).as_ref(),
            Some(job),
            "{}",
            job.path
        );
        // The URL scheme's parser and its path functions are inverses.
        let route = urls::parse(&job.path).unwrap_or_else(|| panic!("{} parses", job.path));
        assert_eq!(route.path(), job.path);
    }
    let pages = p.jobs().iter().filter(|j| j.is_page()).count();
    assert_eq!(page_count(&p.site, &p.index.layout), pages);
    // Paths that look like pages but are not in the plan: a local service in
    // an area it does not serve, unknown slugs, and near misses.
    let area = &p.site.areas[0].slug;
    let elsewhere = p
        .site
        .services
        .iter()
        .find(|s| !s.coverage.serves(area))
        .expect("a service that does not serve the first area");
    let not_planned = [
        format!("{area}/services/{}/", elsewhere.slug),
        format!("{area}/services/no-such-service/"),
        format!("{area}/needs/no-such-need/"),
        format!("{area}/pathways/no-such-pathway/"),
        format!("{area}/stories/no-such-story/"),
        format!("{area}/services/"),
        format!("{area}/print"),
        format!("{area}/other.json"),
        "openreferral/services/no-such-id.json".to_owned(),
        "openreferral/csv/no-such-table.csv".to_owned(),
        "openreferral/other.json".to_owned(),
        "no-such-area/".to_owned(),
        "no-such-area/print/".to_owned(),
        "robots.txt".to_owned(),
    ];
    for path in &not_planned {
        assert!(
            !p.jobs().iter().any(|j| &j.path == path),
            "{path} is planned"
        );
        assert_eq!(job_for_path(&p.site, &p.index.layout, path), None, "{path}");
    }
}
