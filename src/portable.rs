//! `build --portable`: a copy of the guide that works opened from the file
//! system, on a shared drive or a USB stick. A browser shows `file:///…/essex/`
//! as a folder listing, not as the `index.html` in it, so in a portable build
//! every link to a page names `index.html`, and a link written from the site's
//! root (`/essex/`, which from a file means the root of the disk) becomes
//! relative to the page.
//!
//! It works on each page's finished HTML, so the templates (the default theme
//! or a council's own) and the Markdown bodies need nothing of their own. The
//! HTML is Signpost's: every attribute value is quoted with `"` (Tera's
//! templates as written, ammonia's output for bodies), and a `"` in text is
//! escaped, so ` href="` occurs only inside a tag.

use aho_corasick::AhoCorasick;
use std::sync::LazyLock;

/// The attributes that hold a link: a page's links, its stylesheet and script.
static LINK_ATTRIBUTES: LazyLock<AhoCorasick> = LazyLock::new(|| {
    AhoCorasick::new([" href=\"", " src=\"", "\nhref=\"", "\nsrc=\""])
        .expect("fixed patterns build")
});

/// Writes `html` into `out` with every internal link made portable. `root` is
/// the way from the page to the output root (`../../` for
/// `essex/services/open-road/`, empty for the front page).
pub fn relink(html: &[u8], root: &str, out: &mut Vec<u8>) {
    out.clear();
    out.reserve(html.len() + html.len() / 64);
    let mut at = 0;
    for found in LINK_ATTRIBUTES.find_iter(html) {
        let start = found.end();
        if start < at {
            continue;
        }
        let Some(len) = html[start..].iter().position(|&b| b == b'"') else {
            break;
        };
        out.extend_from_slice(&html[at..start]);
        let value = &html[start..start + len];
        match std::str::from_utf8(value) {
            Ok(link) => push_portable_link(link, root, out),
            Err(_) => out.extend_from_slice(value),
        }
        at = start + len;
    }
    out.extend_from_slice(&html[at..]);
}

/// `link` as a portable page should have it.
fn push_portable_link(link: &str, root: &str, out: &mut Vec<u8>) {
    if link.is_empty() || link.starts_with('#') || link.starts_with("//") || has_scheme(link) {
        out.extend_from_slice(link.as_bytes());
        return;
    }
    // What follows the path (`?…` or `#…`) stays as it is.
    let split = link.find(['?', '#']).unwrap_or(link.len());
    let (path, rest) = link.split_at(split);
    let mut path = match path.strip_prefix('/') {
        // The site's root seen from the front page is the page's own folder.
        Some("") if root.is_empty() => "./".to_owned(),
        Some(from_root) => format!("{root}{from_root}"),
        // `?…` alone: the page itself.
        None if path.is_empty() => {
            out.extend_from_slice(link.as_bytes());
            return;
        }
        None => path.to_owned(),
    };
    if path.ends_with('/') {
        path.push_str("index.html");
    } else if path == "." || path == ".." || path.ends_with("/.") || path.ends_with("/..") {
        path.push_str("/index.html");
    }
    out.extend_from_slice(path.as_bytes());
    out.extend_from_slice(rest.as_bytes());
}

/// `https:`, `tel:`, `mailto:`, `data:`…: a link that is not to a file of the guide.
fn has_scheme(link: &str) -> bool {
    let Some(colon) = link.find(':') else {
        return false;
    };
    let scheme = &link[..colon];
    scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn portable(html: &str, root: &str) -> String {
        let mut out = Vec::new();
        relink(html.as_bytes(), root, &mut out);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn links_to_pages_name_their_index_html() {
        let cases = [
            ("../", "../index.html"),
            ("./", "./index.html"),
            ("..", "../index.html"),
            (".", "./index.html"),
            (
                "../../essex/services/open-road/",
                "../../essex/services/open-road/index.html",
            ),
            (
                "services/open-road/#hours",
                "services/open-road/index.html#hours",
            ),
            (
                "services/open-road/?a=1&amp;b=2",
                "services/open-road/index.html?a=1&amp;b=2",
            ),
        ];
        for (link, expected) in cases {
            let html = format!("<a href=\"{link}\">x</a>");
            assert_eq!(
                portable(&html, "../"),
                format!("<a href=\"{expected}\">x</a>"),
                "{link}"
            );
        }
    }

    #[test]
    fn links_from_the_sites_root_become_relative() {
        let html = "<a href=\"/essex/\">x</a><a href=\"/\">home</a>";
        assert_eq!(
            portable(html, "../../"),
            "<a href=\"../../essex/index.html\">x</a><a href=\"../../index.html\">home</a>"
        );
        assert_eq!(
            portable(html, ""),
            "<a href=\"essex/index.html\">x</a><a href=\"./index.html\">home</a>"
        );
    }

    #[test]
    fn files_fragments_and_other_sites_stay_as_they_are() {
        let html = "<link rel=\"stylesheet\" href=\"../static/css/signpost.css\">\
            <script src=\"../essex/search-index.js\" defer></script>\
            <a href=\"#main\">skip</a><a href=\"https://example.org/\">x</a>\
            <a href=\"tel:999\">999</a><a href=\"mailto:a@b.org\">m</a>\
            <link rel=\"icon\" href=\"data:,\"><a href=\"//cdn.example/\">c</a>\
            <a href=\"?q=1\">q</a><p>a &quot;quoted&quot; href=&quot;/x/&quot; in text</p>";
        assert_eq!(portable(html, "../"), html);
    }

    #[test]
    fn a_page_without_links_or_with_a_broken_attribute_is_copied() {
        assert_eq!(portable("<p>Hello</p>", ""), "<p>Hello</p>");
        assert_eq!(portable("<a href=\"essex/", ""), "<a href=\"essex/");
    }
}
