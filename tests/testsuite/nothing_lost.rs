//! Nothing lost, nothing hangs (SPEC §3 and §5): whatever moment a build dies,
//! the published folder is one whole build, the old one or the new one; two
//! builds into one output never mix, and only a build that published says it
//! succeeded; and Signpost never deletes a folder it did not write.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::{self, Run, TODAY, signpost};

/// The example guide's title, which is on every page.
const OLD_TITLE: &str = "Support for women: a local guide";
const NEW_TITLE: &str = "Support for women: the new local guide";

/// A copy of the example guide (the repository's `content/`) at `dir/name`.
fn example_site(dir: &Path, name: &str) -> PathBuf {
    let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
    let site = dir.join(name);
    for entry in walkdir::WalkDir::new(&from) {
        let entry = entry.unwrap();
        let to = site
            .join("content")
            .join(entry.path().strip_prefix(&from).unwrap());
        if entry.file_type().is_dir() {
            fs::create_dir_all(&to).unwrap();
        } else {
            fs::copy(entry.path(), &to).unwrap();
        }
    }
    site
}

/// Sets the guide's title in `content/site.yaml`.
/// Sets the guide's title in every language it has (`site.yaml`, and the
/// translations beside it), so that every page changes.
fn set_title(site: &Path, title: &str) {
    for entry in fs::read_dir(site.join("content")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if !(name.starts_with("site.") && name.ends_with(".yaml")) {
            continue;
        }
        let text = fs::read_to_string(&path).unwrap();
        let line = text.lines().find(|l| l.starts_with("title:")).unwrap();
        let text = text.replacen(line, &format!("title: \"{title}\""), 1);
        fs::write(&path, text).unwrap();
    }
}

fn build_args<'a>(site: &'a Path, out: &'a Path, extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec![
        "build",
        "--root",
        site.to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
    ];
    args.extend(extra);
    args
}

/// Runs `signpost build` to the end.
fn build(site: &Path, out: &Path, extra: &[&str]) -> Run {
    signpost(&build_args(site, out, extra), site)
}

/// `signpost build`, ready to start, its standard error piped.
fn build_command(site: &Path, out: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_signpost"));
    command
        .args(build_args(site, out, &[]))
        .current_dir(site)
        .env("SIGNPOST_TODAY", TODAY)
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    command
}

/// Every file under `dir` and its bytes.
type Tree = BTreeMap<String, Vec<u8>>;

fn tree(dir: &Path) -> Tree {
    common::files_under(dir)
        .into_iter()
        .map(|rel| {
            let bytes = fs::read(dir.join(&rel)).unwrap();
            (rel, bytes)
        })
        .collect()
}

/// Which of `refs` (name, tree) `got` is exactly; else a panic that says how
/// the published folder mixes them.
fn which<'a>(got: &Tree, refs: &[(&'a str, &Tree)], when: &str) -> &'a str {
    if let Some((name, _)) = refs.iter().find(|(_, r)| *r == got) {
        return name;
    }
    // Each file of `got` by the builds it matches byte for byte.
    let mut summary: BTreeMap<String, usize> = BTreeMap::new();
    for (file, bytes) in got {
        let from: Vec<&str> = refs
            .iter()
            .filter(|(_, r)| r.get(file) == Some(bytes))
            .map(|(name, _)| *name)
            .collect();
        let key = match from.as_slice() {
            [] => "in neither build".to_owned(),
            [one] => format!("only as in the {one} build"),
            _ => "the same in both".to_owned(),
        };
        *summary.entry(key).or_default() += 1;
    }
    panic!(
        "{when}: the published folder ({} files) is neither build whole: {summary:?}",
        got.len()
    );
}

/// The names in `dir`, sorted.
fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[derive(Debug, Clone, Copy)]
enum Kill {
    /// This long after the build started.
    After(Duration),
    /// The moment the front page in the output is another file: the moment a
    /// build publishes, or begins to.
    WhenPublishing,
}

#[test]
fn a_rebuild_killed_at_any_moment_leaves_the_old_or_the_new_output_whole() {
    let dir = tempfile::tempdir().unwrap();
    let site = example_site(dir.path(), "site");
    let (old_ref, new_ref) = (dir.path().join("old"), dir.path().join("new"));
    set_title(&site, OLD_TITLE);
    assert_eq!(build(&site, &old_ref, &[]).code, 0);
    set_title(&site, NEW_TITLE);
    assert_eq!(build(&site, &new_ref, &[]).code, 0);
    let (old, new) = (tree(&old_ref), tree(&new_ref));
    let pages: Vec<&String> = old.keys().filter(|f| f.ends_with(".html")).collect();
    assert!(pages.len() > 100, "{} pages", pages.len());
    assert!(
        pages.iter().all(|f| new.get(*f) != old.get(*f)),
        "the title change changes every page"
    );
    let refs = [("old", &old), ("new", &new)];

    // How long a rebuild from the old to the new title takes here.
    let out = dir.path().join("published/guide");
    set_title(&site, OLD_TITLE);
    assert_eq!(build(&site, &out, &[]).code, 0);
    set_title(&site, NEW_TITLE);
    let started = Instant::now();
    assert_eq!(build(&site, &out, &[]).code, 0);
    let took = started.elapsed();

    // Kills spread from the start to a quarter past the usual end, and some
    // aimed at the moment of publishing. Each build goes from what is
    // published to the other title, so it also clears what the killed one
    // before it left.
    let spread = (0..24u32).map(|i| Kill::After(took * i * 5 / (4 * 23)));
    let aimed = std::iter::repeat_n(Kill::WhenPublishing, 6);
    let mut published = "new";
    let mut outcomes: BTreeMap<&str, usize> = BTreeMap::new();
    for kill in spread.chain(aimed) {
        let (title, target) = match published {
            "old" => (NEW_TITLE, "new"),
            _ => (OLD_TITLE, "old"),
        };
        set_title(&site, title);
        let front_page = out.join("index.html");
        let inode = |p: &Path| {
            fs::symlink_metadata(p)
                .map(|m| std::os::unix::fs::MetadataExt::ino(&m))
                .ok()
        };
        let old_front_page = inode(&front_page);
        let mut child = build_command(&site, &out).spawn().unwrap();
        match kill {
            Kill::After(delay) => std::thread::sleep(delay),
            Kill::WhenPublishing => {
                let deadline = Instant::now() + Duration::from_secs(60);
                while inode(&front_page) == old_front_page
                    && child.try_wait().unwrap().is_none()
                    && Instant::now() < deadline
                {
                    std::hint::spin_loop();
                }
            }
        }
        let finished = child.try_wait().unwrap();
        let _ = child.kill();
        let output = child.wait_with_output().unwrap();
        let outcome = which(&tree(&out), &refs, &format!("killed {kill:?}"));
        if let Some(status) = finished {
            assert!(
                status.success() && outcome == target,
                "a build that finished, after killed ones, succeeded and published:\n{}",
                String::from_utf8_lossy(&output.stderr)
            );
        }
        let landed = if outcome == target { "after" } else { "before" };
        *outcomes.entry(landed).or_default() += 1;
        published = outcome;
    }
    eprintln!(
        "a rebuild takes {took:?} here; builds killed before and after publishing: {outcomes:?}"
    );
    assert!(
        outcomes.contains_key("before") && outcomes.contains_key("after"),
        "the kills landed both before and after publishing: {outcomes:?}"
    );

    // The next build clears what the killed ones left, and leaves nothing beside
    // the output.
    set_title(&site, NEW_TITLE);
    let run = build(&site, &out, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(tree(&out) == new);
    assert_eq!(names_in(&dir.path().join("published")), ["guide"]);
}

/// How one of two builds started together ended.
struct Ended {
    name: &'static str,
    code: Option<i32>,
    stderr: String,
    at: Instant,
}

#[test]
fn two_builds_at_once_publish_one_whole_build_and_only_a_build_that_published_succeeds() {
    let dir = tempfile::tempdir().unwrap();
    let (site_a, site_b) = (example_site(dir.path(), "a"), example_site(dir.path(), "b"));
    set_title(&site_a, "The guide as built by A");
    set_title(&site_b, "The guide as built by B");
    let (ref_a, ref_b) = (dir.path().join("ref-a"), dir.path().join("ref-b"));
    assert_eq!(build(&site_a, &ref_a, &[]).code, 0);
    assert_eq!(build(&site_b, &ref_b, &[]).code, 0);
    let (a, b) = (tree(&ref_a), tree(&ref_b));
    let refs = [("a", &a), ("b", &b)];

    let out = dir.path().join("published/guide");
    let mut waited = 0;
    // The first round builds where there is no output yet; the others rebuild.
    for round in 0..6 {
        let builds: Vec<_> = [("a", &site_a), ("b", &site_b)]
            .into_iter()
            .map(|(name, site)| {
                let child = build_command(site, &out).spawn().unwrap();
                std::thread::spawn(move || {
                    let output = child.wait_with_output().unwrap();
                    Ended {
                        name,
                        code: output.status.code(),
                        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
                        at: Instant::now(),
                    }
                })
            })
            .collect();
        let mut ended: Vec<Ended> = builds.into_iter().map(|b| b.join().unwrap()).collect();
        ended.sort_by_key(|e| e.at);
        let published = which(&tree(&out), &refs, &format!("round {round}"));
        for e in &ended {
            assert!(
                matches!(e.code, Some(0 | 2)) && !e.stderr.contains("panicked"),
                "round {round}: build {} ended with {:?}:\n{}",
                e.name,
                e.code,
                e.stderr
            );
            assert_eq!(
                e.code == Some(0),
                e.stderr.contains("Built "),
                "round {round}: build {} claims success only with exit 0:\n{}",
                e.name,
                e.stderr
            );
            waited += usize::from(e.stderr.contains("waiting for another build of"));
        }
        let last_success = ended
            .iter()
            .rev()
            .find(|e| e.code == Some(0))
            .unwrap_or_else(|| panic!("round {round}: neither build succeeded"));
        assert_eq!(
            last_success.name, published,
            "round {round}: the last build to succeed is the one published:\n{}\n{}",
            ended[0].stderr, ended[1].stderr
        );
    }
    assert!(waited > 0, "no build ever waited for the other");
    assert_eq!(names_in(&dir.path().join("published")), ["guide"]);
}

#[test]
fn force_moves_a_foreign_folder_aside_and_never_deletes_it() {
    let dir = tempfile::tempdir().unwrap();
    let site = example_site(dir.path(), "site");
    let reference = dir.path().join("reference");
    assert_eq!(build(&site, &reference, &[]).code, 0);

    // Someone's home folder, given as the output by mistake.
    let home = dir.path().join("home");
    fs::create_dir_all(home.join(".ssh")).unwrap();
    fs::write(home.join(".ssh/id_ed25519"), "a private key").unwrap();
    fs::write(home.join("notes.txt"), "my notes").unwrap();
    let before = tree(&home);

    let refused = build(&site, &home, &[]);
    assert_eq!(refused.code, 2, "{}", refused.stderr);
    assert!(refused.stderr.contains("--force"), "{}", refused.stderr);
    assert!(tree(&home) == before);

    let run = build(&site, &home, &["--force"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let aside: Vec<String> = names_in(dir.path())
        .into_iter()
        .filter(|n| n.starts_with("home.before-signpost-"))
        .collect();
    assert_eq!(
        aside.len(),
        1,
        "moved aside beside it: {:?}",
        names_in(dir.path())
    );
    let aside = dir.path().join(&aside[0]);
    assert!(tree(&aside) == before, "everything in the folder is kept");
    assert!(
        run.stderr.contains(aside.to_str().unwrap()),
        "the build says where the folder went:\n{}",
        run.stderr
    );
    assert!(tree(&home) == tree(&reference));

    // Over what Signpost wrote, --force moves nothing more aside.
    let again = build(&site, &home, &["--force"]);
    assert_eq!(again.code, 0, "{}", again.stderr);
    let asides = names_in(dir.path())
        .into_iter()
        .filter(|n| n.starts_with("home.before-signpost-"))
        .count();
    assert_eq!(asides, 1);
    assert!(tree(&aside) == before);
}

#[test]
fn a_folder_at_the_staging_path_that_signpost_did_not_leave_is_never_deleted() {
    let dir = tempfile::tempdir().unwrap();
    let site = example_site(dir.path(), "site");
    let out = dir.path().join("published/guide");
    assert_eq!(build(&site, &out, &[]).code, 0);
    let before = tree(&out);

    let foreign = dir.path().join("published/.guide.staging");
    fs::create_dir_all(foreign.join("drafts")).unwrap();
    fs::write(foreign.join("drafts/letter.txt"), "mine").unwrap();
    set_title(&site, NEW_TITLE);
    for extra in [&[][..], &["--force"][..]] {
        let run = build(&site, &out, extra);
        assert_eq!(run.code, 2, "{extra:?}: {}", run.stderr);
        assert!(
            run.stderr.contains(foreign.to_str().unwrap())
                && run.stderr.contains("Signpost did not"),
            "{extra:?}: the message names the folder and why:\n{}",
            run.stderr
        );
        assert!(
            run.stderr.contains("the previous output is unchanged"),
            "{}",
            run.stderr
        );
        assert_eq!(
            fs::read_to_string(foreign.join("drafts/letter.txt")).unwrap(),
            "mine"
        );
        assert!(tree(&out) == before);
    }

    // Once it is moved away, the build goes ahead.
    fs::rename(&foreign, dir.path().join("kept")).unwrap();
    let run = build(&site, &out, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(names_in(&dir.path().join("published")), ["guide"]);
}

/// Root-only (it mounts a file system): ignored by a plain `cargo test`, run
/// by `.ci/run` as root with `--ignored needs_root::` (tests/README.md).
mod needs_root {
    use super::*;

    #[test]
    #[ignore = "needs root: mounts a tmpfs to stand for a container's volume"]
    fn an_output_that_is_a_mount_point_fails_with_advice_and_keeps_its_files() {
        let dir = tempfile::tempdir().unwrap();
        let site = example_site(dir.path(), "site");
        let volume = dir.path().join("volume");
        fs::create_dir_all(&volume).unwrap();
        let mounted = Command::new("mount")
            .args(["-t", "tmpfs", "-o", "size=64m", "tmpfs"])
            .arg(&volume)
            .status()
            .expect("run mount");
        assert!(mounted.success(), "mount a tmpfs (as root)");
        struct Unmount(PathBuf);
        impl Drop for Unmount {
            fn drop(&mut self) {
                let _ = Command::new("umount").arg(&self.0).status();
            }
        }
        let _unmount = Unmount(volume.clone());

        let advised = |run: &Run| {
            assert_eq!(run.code, 2, "{}", run.stderr);
            assert!(
                run.stderr.contains("mount point")
                    && run.stderr.contains("point --output at a folder inside"),
                "advice, not just an error:\n{}",
                run.stderr
            );
            assert!(
                !run.stderr.contains("Device or resource busy"),
                "{}",
                run.stderr
            );
        };
        // An empty volume, and one holding files with --force.
        advised(&build(&site, &volume, &[]));
        fs::write(volume.join("keep.txt"), "kept").unwrap();
        advised(&build(&site, &volume, &["--force"]));
        assert_eq!(names_in(&volume), ["keep.txt"]);

        // The advice works.
        let inside = volume.join("guide");
        let run = build(&site, &inside, &[]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        set_title(&site, NEW_TITLE);
        let run = build(&site, &inside, &[]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert_eq!(names_in(&volume), ["guide", "keep.txt"]);
    }
}
