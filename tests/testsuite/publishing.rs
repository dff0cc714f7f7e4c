//! Getting a guide onto the web, a shared drive or a USB stick: `_headers`,
//! `build --portable`, and the CI workflow `init` writes (docs/publishing.md).

use crate::common::Fixture;

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
