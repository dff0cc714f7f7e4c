//! Bad input and hostile content: clear diagnostics, no panic, nothing unsafe
//! published, and the previous output kept.

use crate::common::{self, Fixture, files_under};

const SERVICE: &str = "content/services/open-road.md";

/// Builds once, breaks the site with `change`, and checks the failed build kept
/// the previous output and reported `expected`.
fn fails_with(change: impl FnOnce(&Fixture), expected: &str) {
    let site = Fixture::new();
    assert_eq!(site.build().code, 0);
    let before = files_under(&site.path("output"));
    change(&site);
    let run = site.build();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.errors().iter().any(|e| e.starts_with(expected)),
        "expected a diagnostic starting\n  {expected}\ngot:\n{}",
        run.stderr
    );
    assert_eq!(
        files_under(&site.path("output")),
        before,
        "previous output untouched"
    );
}

#[test]
fn a_binary_file() {
    fails_with(
        |s| s.write_bytes(SERVICE, b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"),
        "content/services/open-road.md:3:1: error: this looks like a binary file, not text",
    );
}

#[test]
fn a_huge_file() {
    fails_with(
        |s| {
            s.write(
                SERVICE,
                &format!("---\nname: x\n---\n{}", "word ".repeat(4_200_000)),
            )
        },
        "content/services/open-road.md: error: the file is 21 MB; content files must be under 2 MB",
    );
}

#[test]
fn slugs_that_differ_only_in_case() {
    fails_with(
        |s| s.write("content/services/Open-Road.md", common::OPEN_ROAD),
        "content/services/Open-Road.md: error: the file name `Open-Road` is not a valid slug",
    );
}

#[test]
fn slugs_with_spaces_or_dots() {
    fails_with(
        |s| s.write("content/areas/north.essex.yaml", "name: N\ncouncil: C\n"),
        "content/areas/north.essex.yaml: error: the file name `north.essex`",
    );
}

#[cfg(unix)]
#[test]
fn a_symlink_loop_is_refused() {
    fails_with(
        |s| std::os::unix::fs::symlink(s.path("content"), s.path("content/services/loop")).unwrap(),
        "content/services/loop: error: symbolic links are not allowed in content/",
    );
}

#[cfg(unix)]
#[test]
fn a_symlink_to_a_file_elsewhere_is_refused() {
    fails_with(
        |s| {
            std::os::unix::fs::symlink("/etc/passwd", s.path("content/services/passwords.md"))
                .unwrap()
        },
        "content/services/passwords.md: error: symbolic links are not allowed in content/",
    );
}

/// Runs `f` with `dir` made unwritable, even for root (an immutable folder on
/// Linux; permissions elsewhere), and makes it writable again afterwards.
#[cfg(target_os = "linux")]
fn with_read_only_folder<T>(dir: &std::path::Path, f: impl FnOnce() -> T) -> T {
    use std::os::unix::fs::PermissionsExt;
    let root = is_root();
    let lock = |on: bool| {
        if root {
            let status = std::process::Command::new("chattr")
                .arg(if on { "+i" } else { "-i" })
                .arg(dir)
                .status()
                .expect("run chattr");
            assert!(
                status.success(),
                "chattr needs a file system with attributes (ext4 here)"
            );
        } else {
            std::fs::set_permissions(
                dir,
                std::fs::Permissions::from_mode(if on { 0o555 } else { 0o755 }),
            )
            .unwrap();
        }
    };
    lock(true);
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    lock(false);
    result.unwrap_or_else(|e| std::panic::resume_unwind(e))
}

#[cfg(target_os = "linux")]
#[test]
fn a_read_only_location_fails_cleanly_and_keeps_the_old_output() {
    let site = Fixture::new();
    let parent = site.path("published");
    std::fs::create_dir_all(&parent).unwrap();
    let out = parent.join("guide");
    let out_arg = out.to_str().unwrap().to_owned();
    assert_eq!(site.run(&["build", "--output", &out_arg]).code, 0);
    let before = files_under(&out);
    site.edit(SERVICE, "Open Road Ltd", "Open Road CIC");
    let run = with_read_only_folder(&parent, || site.run(&["build", "--output", &out_arg]));
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("error: cannot create the staging folder"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("the previous output is unchanged"),
        "{}",
        run.stderr
    );
    assert_eq!(files_under(&out), before);
    assert!(
        std::fs::read_to_string(out.join("essex/services/open-road/index.html"))
            .unwrap()
            .contains("Open Road Ltd")
    );
}

#[test]
fn an_output_that_cannot_be_prepared_fails_cleanly_and_keeps_the_old_output() {
    // A file where the staging folder goes cannot be cleared as a folder: the build
    // must stop with exit 2 before touching the published output (this holds as
    // root too, unlike a permissions test).
    let site = Fixture::new();
    assert_eq!(site.build().code, 0);
    let before = files_under(&site.path("output"));
    site.write(".output.staging", "not a folder");
    let run = site.build();
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("error: cannot remove"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("the previous output is unchanged"),
        "{}",
        run.stderr
    );
    assert_eq!(files_under(&site.path("output")), before);
}

/// Every raw tag in `html` (text is escaped, so a raw `<` starts a real tag), with
/// any attribute that is an event handler.
fn event_handlers(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    for (start, _) in html.match_indices('<') {
        let tag = &html[start..html[start..].find('>').map_or(html.len(), |e| start + e)];
        let lower = tag.to_ascii_lowercase();
        for (at, _) in lower.match_indices(" on") {
            let name: String = lower[at + 1..]
                .chars()
                .take_while(|c| c.is_ascii_alphabetic())
                .collect();
            if lower[at + 1 + name.len()..].starts_with('=') {
                found.push(tag.to_owned());
            }
        }
    }
    found
}

#[test]
fn hostile_content_is_printed_never_run() {
    let site = Fixture::new();
    let hostile = r#"---
name: "<script>alert('name')</script>{{ config }}"
organisation: "<img src=x onerror=alert(1)>"
summary: "{% include 'base.html' %} <b onmouseover=alert(2)>hi</b>"
areas: [essex]
needs: [housing]
referral: [self]
contact:
  website: "https://example.org/\"><script>alert(3)</script>"
  notes: "javascript:alert(4)"
last_reviewed: 2026-06-01
---
<script>alert(5)</script>
<iframe src="https://evil.example/"></iframe>
<style>body { display: none }</style>
<svg onload="alert(6)"><script>alert(7)</script></svg>
<a href="javascript:alert(8)">click</a> <a href="data:text/html;base64,PHNjcmlwdD4=">data</a>
<img src="data:image/svg+xml,<svg onload=alert(9)>">
<div onclick="alert(10)" style="position:fixed">x</div>
{{ site.title }} {% for x in [1,2] %}{{ x }}{% endfor %}
Averyveryveryveryveryveryveryveryveryveryveryveryveryveryveryveryveryveryveryveryveryveryveryverylongword
"#;
    site.write("content/services/hostile.md", hostile);
    let run = site.build();
    // The website has a quote and angle brackets: refused as a URL, so the build fails
    // with a diagnostic; fix it and build the rest of the hostile text.
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.errors().iter().any(|e| e.starts_with(
            "content/services/hostile.md:9:12: error: `website` should be a full web address"
        )),
        "{}",
        run.stderr
    );
    site.edit(
        "content/services/hostile.md",
        "website: \"https://example.org/\\\"><script>alert(3)</script>\"",
        "website: https://example.org/",
    );
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    for file in files_under(&site.path("output"))
        .into_iter()
        .filter(|f| f.ends_with(".html"))
    {
        let page = site.read(&format!("output/{file}")).to_ascii_lowercase();
        assert_eq!(
            event_handlers(&page),
            Vec::<String>::new(),
            "{file}: event handlers"
        );
        for bad in [
            "<script>alert",
            "<iframe",
            "<style",
            "href=\"javascript:",
            "src=\"data:image/svg",
            "<a href=\"data:",
            "<svg onload",
        ] {
            assert!(!page.contains(bad), "{file} contains {bad}");
        }
        // The only scripts are the theme's own file and the area's search index.
        for (i, _) in page.match_indices("<script") {
            let tag = &page[i..page[i..].find('>').map_or(page.len(), |e| i + e)];
            assert!(
                tag.contains("static/js/signpost.js")
                    || tag.contains("/search-index.js\"")
                    || tag.contains("application/ld+json"),
                "{file}: unexpected script {tag}"
            );
        }
    }
    // A search index is one assignment of JSON data: hostile text stays inside
    // its strings and cannot become code.
    for file in files_under(&site.path("output"))
        .into_iter()
        .filter(|f| f.ends_with("search-index.js"))
    {
        let script = site.read(&format!("output/{file}"));
        let (head, json) = script
            .split_once("window.signpostSearchIndex = ")
            .expect("one assignment");
        assert!(
            head.starts_with("/*") && head.trim_end().ends_with("*/"),
            "{file}: {head}"
        );
        let json = json.trim_end().strip_suffix(';').expect("ends with ;");
        let index: serde_json::Value = serde_json::from_str(json).expect("the index is JSON");
        assert!(
            index["services"].as_array().is_some_and(|s| !s.is_empty()),
            "{file}"
        );
    }
    let page = site.read("output/essex/services/hostile/index.html");
    assert!(
        page.contains("{{ config }}")
            && page.contains("{% include")
            && page.contains("{{ site.title }}"),
        "template syntax printed, not evaluated"
    );
    assert!(
        page.contains("javascript:alert(4)"),
        "a notes field is text: shown, escaped, never a link"
    );
}

#[cfg(target_os = "linux")]
fn is_root() -> bool {
    std::process::Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.starts_with(b"0\n"))
}

#[test]
fn yaml_aliases_are_refused_at_their_place_before_anything_grows() {
    // 545 bytes of nested aliases expand past 4 GiB if followed.
    let mut laughs = String::from(
        "---\nname: Open Road\nlol0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n",
    );
    for i in 1..9 {
        let p = i - 1;
        laughs.push_str(&format!(
            "lol{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
        ));
    }
    laughs.push_str("---\n");
    fails_with(
        |s| s.write(SERVICE, &laughs),
        "content/services/open-road.md:3:7: error: YAML syntax: anchors (`&name`) are not allowed",
    );
    let site = Fixture::new();
    site.write(SERVICE, &laughs);
    let run = site.check();
    assert!(
        run.stderr
            .contains("content/services/open-road.md:4:12: error: YAML syntax: aliases (`*name`) are not allowed"),
        "{}",
        run.stderr
    );
    site.write(
        SERVICE,
        &OPEN_ROAD_WITH(
            "contact:\n  phone: 01206 500585",
            "contact:\n  <<: {phone: 01206 500585}",
        ),
    );
    site.check()
        .assert_error("content/services/open-road.md:9:3: error: YAML syntax: merge keys (`<<`) are not allowed in content: write each field out in full here");
}

#[allow(non_snake_case)]
fn OPEN_ROAD_WITH(from: &str, to: &str) -> String {
    assert!(common::OPEN_ROAD.contains(from));
    common::OPEN_ROAD.replace(from, to)
}

#[cfg(target_os = "linux")]
#[test]
fn files_that_are_not_files_are_errors_and_never_read() {
    let site = Fixture::new();
    std::fs::create_dir_all(site.path("content/services")).unwrap();
    let pipe = site.path("content/services/pipe.md");
    let made = std::process::Command::new("mkfifo")
        .arg(&pipe)
        .status()
        .unwrap();
    assert!(made.success());
    // A FIFO with no writer blocks a reader forever: `check` must not open it.
    let run = site.check();
    assert_eq!(run.code, 1, "{}", run.stderr);
    run.assert_error("content/services/pipe.md: error: this is a named pipe (FIFO), not a regular file; only regular files are read from content/");
}

#[cfg(target_os = "linux")]
#[test]
fn an_unreadable_folder_is_reported_once_without_a_cascade() {
    use std::os::unix::fs::PermissionsExt;
    let site = Fixture::new();
    let services = site.path("content/services");
    let everyone =
        |mode| std::fs::set_permissions(site.root(), std::fs::Permissions::from_mode(mode));
    everyone(0o755).unwrap();
    std::fs::set_permissions(&services, std::fs::Permissions::from_mode(0o000)).unwrap();
    // Root reads any folder, so run as nobody to see what an editor would.
    let mut command = if is_root() {
        let mut c = std::process::Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups"]);
        c.arg(env!("CARGO_BIN_EXE_signpost"));
        c
    } else {
        std::process::Command::new(env!("CARGO_BIN_EXE_signpost"))
    };
    let out = command
        .args(["check", "--root"])
        .arg(site.root())
        .env("SIGNPOST_TODAY", common::TODAY)
        .output()
        .unwrap();
    std::fs::set_permissions(&services, std::fs::Permissions::from_mode(0o755)).unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let diagnostics: Vec<&str> = stderr
        .lines()
        .filter(|l| l.contains("error: ") || l.contains("warning: "))
        .filter(|l| !l.contains("no `base_url`"))
        .collect();
    // The pathway and the story name services; none of them is reported
    // unknown, and no area is said to lack services.
    assert_eq!(diagnostics.len(), 1, "{stderr}");
    assert!(
        diagnostics[0].starts_with("content/services: error: cannot read:")
            && diagnostics[0].contains("Permission denied"),
        "{stderr}"
    );
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn control_characters_from_yaml_escapes_are_errors_at_their_field() {
    let site = Fixture::new();
    site.write(
        SERVICE,
        &OPEN_ROAD_WITH(
            "summary: Support with drugs and alcohol.",
            "summary: \"\\0url\\0\"",
        )
        .replace(
            "organisation: Open Road Ltd",
            "organisation: \"Open\\eRoad\"",
        ),
    );
    let run = site.check();
    assert_eq!(run.code, 1, "{}", run.stderr);
    run.assert_error("content/services/open-road.md:3:15: error: `organisation` holds a control character (U+001B, character 5 of the text), which cannot be published; remove it (in double quotes, look for an escape such as \\0, \\x01 or \\e)");
    assert!(
        run.stderr.contains("content/services/open-road.md:4:10: error: `summary` holds a control character (U+0000, character 1 of the text)"),
        "{}",
        run.stderr
    );
    // Typed straight into the file, a control character is refused where it stands.
    site.write(
        SERVICE,
        &common::OPEN_ROAD.replace("Someone to talk to.", "Someone\u{1} to talk to."),
    );
    site.check().assert_error(
        "content/services/open-road.md:27:8: error: an invisible control character (U+0001) that cannot be published; delete it",
    );
}

#[test]
fn old_mac_line_endings_and_a_pasted_byte_order_mark() {
    let site = Fixture::new();
    site.write(SERVICE, &common::OPEN_ROAD.replace('\n', "\r"));
    let run = site.check();
    assert_eq!(
        run.errors(),
        Vec::<&str>::new(),
        "lone CRs end lines: {}",
        run.stderr
    );
    site.write(
        SERVICE,
        &common::OPEN_ROAD.replace("summary:", "\u{feff}summary:"),
    );
    site.check().assert_error("content/services/open-road.md:4:1: error: a byte-order mark (an invisible U+FEFF) in the middle of the file, often left where two files were pasted together; delete it");
}

#[test]
fn an_empty_confidential_is_an_error_not_false() {
    let site = Fixture::new();
    site.write(
        SERVICE,
        &OPEN_ROAD_WITH("    confidential: true", "    confidential:"),
    );
    let run = site.build();
    assert_eq!(run.code, 1, "{}", run.stderr);
    run.assert_error("content/services/open-road.md:18:5: error: `confidential` needs a value: write `confidential: true` or `confidential: false`");
    assert!(!site.path("output").exists(), "nothing was published");
}

#[test]
fn two_owners_of_one_output_path_are_errors_at_both_files() {
    let site = Fixture::new();
    assert_eq!(site.build().code, 0);
    let before = files_under(&site.path("output"));
    site.write(
        "content/pages/essex.md",
        "---\ntitle: About Essex\n---\nText.\n",
    );
    site.write(
        "content/areas/static.yaml",
        "name: Static\ncouncil: Static Council\n",
    );
    let run = site.build();
    assert_eq!(run.code, 1, "{}", run.stderr);
    run.assert_error("content/pages/essex.md: error: this would be published at essex/, which also belongs to the guide for the area Essex (content/areas/essex.yaml); rename one of the files");
    run.assert_error("content/areas/essex.yaml: error: this would be published at essex/, which also belongs to the page \"About Essex\" (content/pages/essex.md); rename one of the files");
    run.assert_error("content/areas/static.yaml: error: this would be published at static/, which also belongs to the theme's files; rename one of the files");
    assert_eq!(
        files_under(&site.path("output")),
        before,
        "the published guide is untouched"
    );
}

#[test]
fn taking_a_story_or_a_refuge_down_is_one_edit_that_builds() {
    let site = Fixture::new();
    assert_eq!(site.build().code, 0);
    let published = |rel: &str| site.path("output").join(rel).exists();
    assert!(published("essex/stories/jo/index.html"));
    assert!(published(
        "essex/services/national-domestic-abuse-helpline/index.html"
    ));

    site.write(
        "content/case-studies/jo.md",
        &common::STORY.replace("consent: true", "consent: false"),
    );
    site.write(
        "content/services/national-domestic-abuse-helpline.md",
        &common::HELPLINE.replace("last_reviewed:", "draft: true\nlast_reviewed:"),
    );
    let run = site.build();
    assert_eq!(
        run.code, 0,
        "a takedown never fails the build: {}",
        run.stderr
    );
    let warnings: Vec<&str> = run
        .diagnostics()
        .into_iter()
        .filter(|d| !d.contains("base_url"))
        .collect();
    assert_eq!(
        warnings,
        [
            "content/areas/sutton.yaml: warning: no service serves the area `sutton` yet",
            "content/case-studies/jo.md:7:10: warning: consent is withdrawn (`consent: false`), so this story is not published and every link to it is gone",
            "content/pathways/routine-enquiry.md:16:16: warning: the service \"national-domestic-abuse-helpline\" is a draft, so this step no longer links to it; publish it again, or remove it here",
        ],
        "{}",
        run.stderr
    );
    assert!(!published("essex/stories/jo/index.html"));
    assert!(!published(
        "essex/services/national-domestic-abuse-helpline/index.html"
    ));
    for file in files_under(&site.path("output")) {
        let text = std::fs::read_to_string(site.path("output").join(&file)).unwrap_or_default();
        assert!(
            !text.contains("stories/jo/"),
            "{file} still links to the story"
        );
        assert!(
            !text.contains("national-domestic-abuse-helpline/"),
            "{file} still links to the drafted service"
        );
    }
}

#[test]
fn a_confidential_address_typed_anywhere_else_is_an_error_at_its_place() {
    let site = Fixture::new();
    assert_eq!(site.build().code, 0);
    let before = files_under(&site.path("output"));
    site.write(
        SERVICE,
        &common::OPEN_ROAD.replace(
            "Someone to talk to.",
            "Someone to talk to at 99  secret lane.",
        ),
    );
    site.write(
        "content/services/national-domestic-abuse-helpline.md",
        &common::HELPLINE.replace(
            "  phone: 0808 2000 247",
            "  phone: 0808 2000 247\n  notes: Post to ZZ999ZZ",
        ),
    );
    let run = site.build();
    assert_eq!(run.code, 1, "{}", run.stderr);
    run.assert_error("content/services/open-road.md:27:23: error: this is the confidential address of \"Safe house\" (content/services/open-road.md:16); it must not be published anywhere: remove it");
    run.assert_error("content/services/national-domestic-abuse-helpline.md:10:18: error: this is the confidential address of \"Safe house\" (content/services/open-road.md:17); it must not be published anywhere: remove it");
    assert_eq!(
        run.errors().len(),
        2,
        "its own fields are where it belongs: {}",
        run.stderr
    );
    assert_eq!(files_under(&site.path("output")), before);
}

#[test]
fn hidden_recipients_an_unsafe_quick_exit_and_a_made_up_language_are_refused() {
    let site = Fixture::new();
    site.write(
        SERVICE,
        &common::OPEN_ROAD.replace(
            "  website: https://www.openroad.org.uk",
            "  website: https://www.openroad.org.uk\n  email: help@openroad.org.uk?bcc=watcher@example.com",
        ),
    );
    site.write(
        "content/site.yaml",
        &format!("{}language: english\nbase_url: https://guide.example.org/\nquick_exit_url: https://www.guide.example.org/weather\n", common::SITE_YAML),
    );
    let run = site.check();
    assert_eq!(run.code, 1, "{}", run.stderr);
    run.assert_error("content/services/open-road.md:11:10: error: `email` should be an email address, such as help@example.org.uk");
    run.assert_error("content/site.yaml:5:11: error: `language` should be a language tag such as en-GB or cy (BCP 47), not \"english\"");
    run.assert_error("content/site.yaml:7:17: error: `quick_exit_url` leads back to the guide's own site (guide.example.org); choose a neutral site elsewhere, such as a weather or news page");
    site.write(
        "content/site.yaml",
        &format!(
            "{}language: cy\nquick_exit_url: http://www.bbc.co.uk/weather\n",
            common::SITE_YAML
        ),
    );
    site.write(SERVICE, common::OPEN_ROAD);
    let run = site.check();
    assert_eq!(
        run.errors().len(),
        1,
        "cy is a language tag: {}",
        run.stderr
    );
    run.assert_error("content/site.yaml:6:17: error: `quick_exit_url` should start with https://, so the address she leaves for is private on the way");
}

#[test]
fn a_theme_file_that_links_out_of_the_site_is_an_error_and_never_read() {
    let site = Fixture::new();
    std::fs::create_dir_all(site.path("themes/default/static")).unwrap();
    std::os::unix::fs::symlink("/etc/passwd", site.path("themes/default/static/passwd.txt"))
        .unwrap();
    let run = site.build();
    assert_eq!(run.code, 1, "{}", run.stderr);
    run.assert_error("themes/default/static/passwd.txt: error: this is a symbolic link, not a regular file; only regular files are read from a theme");
    assert!(!site.path("output").exists());
}

#[test]
fn line_separators_in_text_cannot_break_the_search_script() {
    let site = Fixture::new();
    site.write(
        SERVICE,
        &common::OPEN_ROAD.replace(
            "summary: Support with drugs and alcohol.",
            "summary: \"Support\u{2028}with drugs\u{2029}and alcohol.\"",
        ),
    );
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let script = std::fs::read_to_string(site.path("output/essex/search-index.js")).unwrap();
    assert!(
        !script.contains(['\u{2028}', '\u{2029}']),
        "raw separators end a line in older engines"
    );
    assert!(script.contains("Support\\u2028with drugs\\u2029and alcohol."));
}

#[test]
fn a_dense_pathway_is_warned_about() {
    let site = Fixture::new();
    let mut pathway = String::from("---\ntitle: Everything\narea: essex\nsteps:\n");
    for i in 0..41 {
        pathway.push_str(&format!(
            "  - id: s{i}\n    title: Step {i}\n    services: [open-road]\n"
        ));
    }
    pathway.push_str("---\n");
    site.write("content/pathways/everything.md", &pathway);
    let run = site.check();
    assert_eq!(run.code, 0, "a warning, not an error: {}", run.stderr);
    assert!(
        run.diagnostics().contains(&"content/pathways/everything.md: warning: this pathway has 41 steps and 81 links to services and other steps (more than 40 steps or 400 links): it is hard to follow, and every area's copy of its pages is large; split it into shorter pathways"),
        "{}",
        run.stderr
    );
    // The example-sized pathway is not.
    assert!(!Fixture::new().check().stderr.contains("this pathway has"));
}

/// Tests that only root can run (mount, mknod): ignored, with the reason, so that
/// `cargo test` elsewhere says they did not run rather than passing without
/// testing anything. CI runs as root and runs them with
/// `cargo test --test testsuite -- --ignored needs_root::` (.ci/run). A new
/// root-only test goes in a `mod needs_root` like this one, in any file.
#[cfg(target_os = "linux")]
mod needs_root {
    use super::*;

    /// Fails, rather than passes, if run without root (with `--ignored`).
    fn assert_root() {
        assert!(
            is_root(),
            "this test needs root; without it, leave it ignored"
        );
    }

    #[test]
    #[ignore = "needs root: mounts a small tmpfs"]
    fn a_full_disk_fails_cleanly_and_keeps_the_old_output() {
        // A 1 MiB tmpfs holds one build of the fixture (about 0.3 MB) but not a second
        // with a 1.5 MB service body, which lands on several pages.
        assert_root();
        let site = Fixture::new();
        let disk = site.path("small-disk");
        std::fs::create_dir_all(&disk).unwrap();
        let mounted = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", "size=1m", "tmpfs"])
            .arg(&disk)
            .status()
            .expect("run mount");
        assert!(mounted.success(), "mount a small tmpfs");
        struct Unmount(std::path::PathBuf);
        impl Drop for Unmount {
            fn drop(&mut self) {
                let _ = std::process::Command::new("umount").arg(&self.0).status();
            }
        }
        let _unmount = Unmount(disk.clone());
        let out = disk.join("guide");
        let out_arg = out.to_str().unwrap().to_owned();
        let first = site.run(&["build", "--output", &out_arg]);
        assert_eq!(first.code, 0, "{}", first.stderr);
        let before = files_under(&out);
        site.edit(
            SERVICE,
            "Someone to talk to.",
            &"A long description. ".repeat(75_000),
        );
        let run = site.run(&["build", "--output", &out_arg]);
        assert_eq!(run.code, 2, "{}", run.stderr);
        assert!(
            run.stderr.contains("No space left on device"),
            "{}",
            run.stderr
        );
        assert!(
            run.stderr.contains("the previous output is unchanged"),
            "{}",
            run.stderr
        );
        assert_eq!(files_under(&out), before);
        let leftovers: Vec<_> = std::fs::read_dir(&disk)
            .unwrap()
            .filter_map(Result::ok)
            .map(|e| e.file_name())
            .collect();
        assert_eq!(
            leftovers,
            ["guide"],
            "the staging folder is cleared after the failure"
        );
    }

    #[test]
    #[ignore = "needs root: mknod makes a device file"]
    fn a_device_file_is_an_error_and_never_read() {
        // The half of files_that_are_not_files_are_errors_and_never_read (above)
        // that needs root.
        assert_root();
        let site = Fixture::new();
        std::fs::create_dir_all(site.path("content/services")).unwrap();
        // /dev/zero's twin would be read until memory runs out.
        let dev = site.path("content/services/zero.md");
        let made = std::process::Command::new("mknod")
            .arg(&dev)
            .args(["c", "1", "5"])
            .status()
            .unwrap();
        assert!(made.success());
        site.check().assert_error("content/services/zero.md: error: this is a device, not a regular file; only regular files are read from content/");
    }
}
