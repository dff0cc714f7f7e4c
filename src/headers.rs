//! `output/_headers`: the HTTP headers a `<meta>` tag cannot set, for the
//! hosts that read this file (Netlify, Cloudflare Pages). A page's own
//! Content-Security-Policy `<meta>` cannot say `frame-ancestors` (browsers
//! ignore it there), and `X-Content-Type-Options` exists only as a header.
//! docs/publishing.md gives the same headers for nginx, IIS, S3 and GitHub Pages.

use crate::model::Site;
use crate::urls;

/// The policy every page of the default theme carries in its `<meta>` tag
/// (`themes/default/templates/base.html`; a test keeps the two the same).
pub const PAGE_CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; manifest-src 'self'; base-uri 'none'; form-action 'self'";

/// What only a header can add to the policy: no other site may frame a page
/// of the guide (a frame could hide the quick exit or overlay the page).
pub const HEADER_ONLY_CSP: &str = "frame-ancestors 'none'";

/// The policy as a header: the meta tag's, and what only a header can say.
pub fn header_csp() -> String {
    format!("{PAGE_CSP}; {HEADER_ONLY_CSP}")
}

/// The headers every file of the guide is served with: (name, value).
pub fn every_file() -> Vec<(&'static str, String)> {
    vec![
        ("Content-Security-Policy", header_csp()),
        ("X-Content-Type-Options", "nosniff".to_owned()),
        // For browsers that predate `frame-ancestors`.
        ("X-Frame-Options", "DENY".to_owned()),
        ("Referrer-Policy", "no-referrer".to_owned()),
    ]
}

/// The open data, which other sites' scripts (directories, maps) may read:
/// `Access-Control-Allow-Origin: *` and nothing else. It holds only what the
/// pages publish, never a confidential address.
pub const OPEN_DATA_CORS: (&str, &str) = ("Access-Control-Allow-Origin", "*");

/// `_headers` in the format Netlify and Cloudflare Pages read: a path
/// pattern on a line of its own, then its headers, indented.
pub fn netlify_headers(site: &Site) -> String {
    let mut out = String::from(
        "# HTTP headers for hosts that read this file (Netlify, Cloudflare Pages).\n\
         # Written by Signpost: docs/publishing.md gives the same for other servers.\n",
    );
    let mut rule = |path: &str, headers: &[(&str, &str)]| {
        out.push('/');
        out.push_str(path);
        out.push('\n');
        for (name, value) in headers {
            out.push_str("  ");
            out.push_str(name);
            out.push_str(": ");
            out.push_str(value);
            out.push('\n');
        }
    };
    let every: Vec<(&str, String)> = every_file();
    let every: Vec<(&str, &str)> = every.iter().map(|(n, v)| (*n, v.as_str())).collect();
    match &site.config.editing {
        None => rule("*", &every),
        Some(editing) => {
            // Netlify adds together the headers of every rule that matches a
            // path, and two policies both apply: the page policy on `/*` would
            // block the browser editor, which needs its own (`cms::admin_csp`).
            // So the page policy goes on each top-level folder of pages
            // instead, and `/admin/*` gets the editor's, framed by no one.
            let (csp, rest): (Vec<_>, Vec<_>) = every
                .iter()
                .partition(|(name, _)| *name == "Content-Security-Policy");
            rule("*", &rest);
            for path in page_roots(site) {
                rule(&path, &csp);
            }
            let admin_csp = format!("{}; {HEADER_ONLY_CSP}", crate::cms::admin_csp(editing));
            rule(
                &format!("{}/*", urls::ADMIN_FOLDER),
                &[("Content-Security-Policy", admin_csp.as_str())],
            );
        }
    }
    // One line per area rather than `/*/services.json`: hosts differ on a
    // wildcard in the middle of a path, and an exact path means the same to all.
    for area in &site.areas {
        rule(&urls::export(&area.slug), &[OPEN_DATA_CORS]);
    }
    // The site-wide Open Referral UK feed, every file of it.
    rule(
        &format!("{}/*", urls::OPENREFERRAL_FOLDER),
        &[OPEN_DATA_CORS],
    );
    out
}

/// Path patterns (without their leading `/`) that between them cover every
/// page of the guide and nothing under `admin/`: the front page, and each
/// top-level folder that holds pages.
fn page_roots(site: &Site) -> Vec<String> {
    let mut roots = vec![String::new()];
    let folders = site
        .areas
        .iter()
        .map(|a| urls::area(&a.slug))
        .chain(site.pages.iter().map(|p| urls::page(&p.slug)))
        .chain([urls::glossary()]);
    for folder in folders {
        roots.push(format!("{folder}*"));
    }
    roots
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The header and the meta tag must not drift apart: a policy loosened in
    /// one place would be loosened in one kind of hosting only.
    #[test]
    fn the_header_policy_is_the_default_themes_meta_policy() {
        let base = include_str!("../themes/default/templates/base.html");
        let meta = base
            .lines()
            .find(|l| l.contains("http-equiv=\"Content-Security-Policy\""))
            .expect("the default theme's base.html has a CSP meta tag");
        let content = meta
            .split("content=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .expect("the meta tag has a content attribute");
        assert_eq!(content, PAGE_CSP);
        assert!(header_csp().starts_with(PAGE_CSP));
        assert!(header_csp().ends_with("frame-ancestors 'none'"));
    }
}
