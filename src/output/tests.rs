//! Tests of `output`: staging, the swap, the lock and the refusals.

use std::time::Instant;

use super::*;

/// A temporary folder with a site folder in it; the output goes inside the site.
fn site_with_output() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    let out = site.join("output");
    fs::create_dir_all(&site).unwrap();
    (dir, site, out)
}

fn assert_only_output_left(site: &Path) {
    let names: Vec<_> = fs::read_dir(site)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["output"], "no staging folder is left behind");
}

#[test]
fn a_second_write_to_one_path_is_refused_and_nothing_is_published() {
    use std::error::Error;
    let (_dir, site, out) = site_with_output();
    let staging = Staging::prepare(&out, &site, false).unwrap();
    staging
        .write("essex/index.html", b"the area's guide")
        .unwrap();
    let err = staging
        .write("essex/index.html", b"a free page named essex")
        .unwrap_err();
    assert!(matches!(&err, OutputError::SecondWrite(rel) if rel == "essex/index.html"));
    staging.abandon();
    assert!(!out.exists());
    // An I/O error keeps its cause.
    let err = io_error(
        "cannot write",
        &out,
        io::Error::from(io::ErrorKind::StorageFull),
    );
    assert!(err.source().is_some_and(|e| e.is::<io::Error>()));
}

#[test]
fn swaps_in_a_new_build_and_keeps_the_old_one_on_failure() {
    let (_dir, site, out) = site_with_output();

    let staging = Staging::prepare(&out, &site, false).unwrap();
    staging.write("a/index.html", b"one").unwrap();
    staging.commit().unwrap();
    assert_eq!(fs::read_to_string(out.join("a/index.html")).unwrap(), "one");

    let staging = Staging::prepare(&out, &site, false).unwrap();
    staging.write("a/index.html", b"two").unwrap();
    staging.abandon();
    assert_eq!(fs::read_to_string(out.join("a/index.html")).unwrap(), "one");

    let staging = Staging::prepare(&out, &site, false).unwrap();
    staging.write("b/index.html", b"three").unwrap();
    staging.commit().unwrap();
    assert!(!out.join("a/index.html").exists());
    assert!(out.join(MARKER).exists());
    assert_only_output_left(&site);
}

#[test]
fn over_a_previous_build_only_changed_files_are_written_and_stale_ones_go() {
    use std::os::unix::fs::MetadataExt;
    let (_dir, site, out) = site_with_output();
    let staging = Staging::prepare(&out, &site, false).unwrap();
    staging.write("same/index.html", b"same").unwrap();
    staging.write("changed/index.html", b"old").unwrap();
    staging.write("gone/deep/index.html", b"gone").unwrap();
    staging.commit().unwrap();
    let inode = |path: &Path| fs::metadata(path).unwrap().ino();
    let same = inode(&out.join("same/index.html"));
    let changed = inode(&out.join("changed/index.html"));

    let staging = Staging::prepare(&out, &site, false).unwrap();
    staging.write("same/index.html", b"same").unwrap();
    staging.write("changed/index.html", b"new").unwrap();
    staging.write("added/index.html", b"added").unwrap();
    // The unchanged file is a link to the old one, not a copy; the
    // changed one is a new file, so the old build is never modified.
    staging.link_unchanged().unwrap();
    assert_eq!(inode(&staging.dir().join("same/index.html")), same);
    assert_ne!(inode(&staging.dir().join("changed/index.html")), changed);
    assert_eq!(
        fs::read_to_string(out.join("changed/index.html")).unwrap(),
        "old"
    );
    staging.commit().unwrap();

    assert_eq!(
        inode(&out.join("same/index.html")),
        same,
        "the unchanged file is untouched"
    );
    assert_eq!(
        fs::read_to_string(out.join("changed/index.html")).unwrap(),
        "new"
    );
    assert_eq!(
        fs::read_to_string(out.join("added/index.html")).unwrap(),
        "added"
    );
    assert!(
        !out.join("gone").exists(),
        "stale files and their empty folders go"
    );
    assert!(out.join(MARKER).exists());
    assert_only_output_left(&site);
}

#[test]
fn a_file_the_new_build_makes_a_folder_and_a_folder_it_makes_a_file() {
    // Moving changed files in one by one could fail here half way; a new
    // tree swapped in whole cannot.
    let (_dir, site, out) = site_with_output();
    let staging = Staging::prepare(&out, &site, false).unwrap();
    staging.write("a/index.html", b"old a").unwrap();
    staging.write("blocker", b"a file").unwrap();
    staging.write("folder/index.html", b"a folder").unwrap();
    staging.commit().unwrap();

    let staging = Staging::prepare(&out, &site, false).unwrap();
    staging.write("a/index.html", b"new a").unwrap();
    staging
        .write("blocker/index.html", b"now a folder")
        .unwrap();
    staging.write("folder", b"now a file").unwrap();
    staging.commit().unwrap();
    assert_eq!(
        fs::read_to_string(out.join("a/index.html")).unwrap(),
        "new a"
    );
    assert!(out.join("blocker/index.html").is_file());
    assert!(out.join("folder").is_file());
    assert_only_output_left(&site);
}

#[test]
fn one_build_at_a_time_the_second_waits_a_bounded_time() {
    let (_dir, site, out) = site_with_output();
    let first = Staging::prepare(&out, &site, false).unwrap();
    first.write("index.html", b"first").unwrap();
    let wait = Duration::from_millis(300);
    let started = Instant::now();
    let second = Staging::prepare_waiting(&out, &site, false, wait);
    assert!(started.elapsed() >= wait, "it waited");
    match second {
        Err(OutputError::Refused(m)) => assert!(m.contains("another build of"), "{m}"),
        other => panic!("{other:?}"),
    }
    // The first build's staging folder is intact.
    assert!(first.dir().join("index.html").is_file());

    // A build waiting when the first publishes goes ahead after it, in a
    // staging folder of its own.
    let waiting = std::thread::spawn({
        let (out, site) = (out.clone(), site.clone());
        move || {
            let second =
                Staging::prepare_waiting(&out, &site, false, Duration::from_secs(60)).unwrap();
            let published_first = fs::read_to_string(out.join("index.html")).unwrap();
            second.write("index.html", b"second").unwrap();
            second.commit().unwrap();
            published_first
        }
    });
    std::thread::sleep(Duration::from_millis(200));
    first.commit().unwrap();
    assert_eq!(waiting.join().unwrap(), "first");
    assert_eq!(
        fs::read_to_string(out.join("index.html")).unwrap(),
        "second"
    );
    assert_only_output_left(&site);
}

#[test]
fn a_staging_folder_is_cleared_only_if_signpost_left_it() {
    let (_dir, site, out) = site_with_output();
    let root = site.join(".output.staging");

    // What a killed build leaves: the marker, and a half-written tree.
    fs::create_dir_all(root.join("site/half")).unwrap();
    fs::write(root.join(STAGING_MARKER), "").unwrap();
    fs::write(root.join("site/half/index.html"), "half").unwrap();
    Staging::prepare(&out, &site, false)
        .unwrap()
        .commit()
        .unwrap();
    assert_only_output_left(&site);

    // Someone's own folder, and a file, at that place.
    fs::create_dir_all(root.join("mine")).unwrap();
    fs::write(root.join("mine/notes.txt"), "mine").unwrap();
    for force in [false, true] {
        match Staging::prepare(&out, &site, force) {
            Err(OutputError::Refused(m)) => assert!(m.contains("Signpost did not"), "{m}"),
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(
        fs::read_to_string(root.join("mine/notes.txt")).unwrap(),
        "mine"
    );
    fs::remove_dir_all(&root).unwrap();
    fs::write(&root, "a file").unwrap();
    assert!(matches!(
        Staging::prepare(&out, &site, false),
        Err(OutputError::Refused(_))
    ));
    assert_eq!(fs::read_to_string(&root).unwrap(), "a file");
}

#[test]
fn force_moves_a_foreign_folder_aside_whole() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    let photos = dir.path().join("photos");
    fs::create_dir_all(&site).unwrap();
    fs::create_dir_all(photos.join(".hidden")).unwrap();
    fs::write(photos.join(".hidden/cat.jpg"), b"x").unwrap();

    let staging = Staging::prepare(&photos, &site, true).unwrap();
    staging.write("index.html", b"guide").unwrap();
    // A failed build moves nothing.
    staging.abandon();
    assert!(photos.join(".hidden/cat.jpg").is_file());

    let staging = Staging::prepare(&photos, &site, true).unwrap();
    staging.write("index.html", b"guide").unwrap();
    let published = staging.commit().unwrap();
    let aside = published.moved_aside.clone().unwrap();
    drop(published);
    assert_eq!(aside.parent(), Some(dir.path()));
    let name = aside.file_name().unwrap().to_string_lossy().into_owned();
    assert!(name.starts_with("photos.before-signpost-20"), "{name}");
    assert_eq!(fs::read(aside.join(".hidden/cat.jpg")).unwrap(), b"x");
    assert_eq!(fs::read(photos.join("index.html")).unwrap(), b"guide");
}

#[test]
fn a_folder_filled_during_a_build_is_not_replaced() {
    let (_dir, site, out) = site_with_output();
    let staging = Staging::prepare(&out, &site, false).unwrap();
    staging.write("index.html", b"guide").unwrap();
    fs::create_dir_all(&out).unwrap();
    fs::write(out.join("notes.txt"), "mine").unwrap();
    let err = staging.commit().unwrap_err();
    assert!(err.output_unchanged(), "{err}");
    assert_eq!(fs::read_to_string(out.join("notes.txt")).unwrap(), "mine");
    assert_only_output_left(&site);
}

#[test]
fn refuses_dangerous_outputs() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    fs::create_dir_all(site.join("content")).unwrap();
    fs::create_dir_all(dir.path().join("photos")).unwrap();
    fs::write(dir.path().join("photos/cat.jpg"), b"x").unwrap();
    for bad in [
        site.clone(),
        dir.path().to_owned(),
        site.join("content"),
        site.join("content/out"),
        site.join("themes/x"),
        PathBuf::from("/"),
    ] {
        assert!(
            matches!(
                Staging::prepare(&bad, &site, false),
                Err(OutputError::Refused(_))
            ),
            "{}",
            bad.display()
        );
    }
    let photos = dir.path().join("photos");
    assert!(matches!(
        Staging::prepare(&photos, &site, false),
        Err(OutputError::Refused(_))
    ));
    assert!(Staging::prepare(&photos, &site, true).is_ok());
    assert!(Staging::prepare(&site.join("../site/output"), &site, false).is_ok());
}

#[test]
fn files_that_share_folders_are_written_from_several_threads() {
    let (_dir, site, out) = site_with_output();
    let staging = Staging::prepare(&out, &site, false).unwrap();
    let files: Vec<String> = (0..200)
        .map(|i| match i % 3 {
            0 => format!("openreferral/services/{i}.json"),
            1 => format!("essex/services/s{i}/index.html"),
            _ => format!("essex/file{i}.txt"),
        })
        .collect();
    std::thread::scope(|scope| {
        for half in files.chunks(100) {
            let staging = &staging;
            scope.spawn(move || {
                for rel in half {
                    staging.write(rel, rel.as_bytes()).unwrap();
                }
            });
        }
    });
    staging.commit().unwrap();
    for rel in &files {
        assert_eq!(fs::read_to_string(out.join(rel)).unwrap(), *rel);
    }
}
