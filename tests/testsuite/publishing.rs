//! Getting a guide onto the web, a shared drive or a USB stick: `_headers`,
//! `build --portable`, and the CI workflow `init` writes (docs/publishing.md).

use crate::common::{Fixture, files_under, links};

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
