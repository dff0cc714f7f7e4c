//! Every page's ids are unique, and every link to one of them finds it: on the
//! print page, which holds every service's body, and on a pathway's page, which
//! holds its introduction and each step's text, a body's headings and footnotes
//! must not take an id the page or another body already has.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use crate::common::{Fixture, files_under, signpost};

/// Every attribute of every tag in a page, as `(name, value)`. Pages are
/// escaped, so every `<` starts a tag, a comment or a doctype.
fn attributes(html: &str) -> Vec<(String, String)> {
    let bytes = html.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while let Some(at) = html[i..].find('<') {
        let mut j = i + at + 1;
        if bytes.get(j) == Some(&b'!') {
            i = html[j..].find('>').map_or(html.len(), |e| j + e + 1);
            continue;
        }
        while j < bytes.len() && !bytes[j].is_ascii_whitespace() && bytes[j] != b'>' {
            j += 1;
        }
        while j < bytes.len() && bytes[j] != b'>' {
            if bytes[j].is_ascii_whitespace() || bytes[j] == b'/' {
                j += 1;
                continue;
            }
            let start = j;
            while j < bytes.len() && !matches!(bytes[j], b'=' | b'>' | b' ' | b'\n' | b'\t') {
                j += 1;
            }
            let name = html[start..j].to_ascii_lowercase();
            let mut value = String::new();
            if bytes.get(j) == Some(&b'=') {
                j += 1;
                match bytes.get(j) {
                    Some(&q @ (b'"' | b'\'')) => {
                        let end = html[j + 1..]
                            .find(char::from(q))
                            .map_or(html.len(), |e| j + 1 + e);
                        value = html[j + 1..end].to_owned();
                        j = end + 1;
                    }
                    _ => {
                        let start = j;
                        while j < bytes.len() && !bytes[j].is_ascii_whitespace() && bytes[j] != b'>'
                        {
                            j += 1;
                        }
                        value = html[start..j].to_owned();
                    }
                }
            }
            found.push((name, value));
        }
        i = (j + 1).min(html.len());
    }
    found
}

/// The ids of a page, in order, repeats included.
fn ids(html: &str) -> Vec<String> {
    attributes(html)
        .into_iter()
        .filter(|(name, _)| name == "id")
        .map(|(_, value)| value)
        .collect()
}

/// Checks every HTML page under `out`: no id twice, and every link with a
/// fragment, to the same page or another, finds its id. Returns the number of
/// fragment links checked.
fn assert_ids_unique_and_found(out: &Path) -> usize {
    let pages: Vec<String> = files_under(out)
        .into_iter()
        .filter(|f| f.ends_with(".html"))
        .collect();
    let mut ids_of: HashMap<String, HashSet<String>> = HashMap::new();
    let mut problems = Vec::new();
    for page in &pages {
        let html = std::fs::read_to_string(out.join(page)).unwrap();
        let mut seen = HashSet::new();
        for id in ids(&html) {
            if !seen.insert(id.clone()) {
                problems.push(format!("{page}: id=\"{id}\" more than once"));
            }
        }
        ids_of.insert(page.clone(), seen);
    }
    let mut checked = 0;
    for page in &pages {
        let html = std::fs::read_to_string(out.join(page)).unwrap();
        for (name, value) in attributes(&html) {
            if name != "href" {
                continue;
            }
            let Some((path, fragment)) = value.split_once('#') else {
                continue;
            };
            if path.contains(':') {
                continue; // Another site's page.
            }
            let target = if path.is_empty() {
                page.clone()
            } else {
                let folder = Path::new(page).parent().unwrap();
                let mut target = out.join(folder).join(path);
                if target.is_dir() {
                    target = target.join("index.html");
                }
                let Ok(target) = target.canonicalize() else {
                    problems.push(format!("{page}: {value} leads nowhere"));
                    continue;
                };
                let root = out.canonicalize().unwrap();
                target
                    .strip_prefix(&root)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/")
            };
            checked += 1;
            if !ids_of
                .get(&target)
                .is_some_and(|ids| ids.contains(fragment))
            {
                problems.push(format!(
                    "{page}: {value} finds no id=\"{fragment}\" on {target}"
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    checked
}

#[test]
fn the_example_guide_has_unique_ids_and_every_fragment_link_finds_its_id() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("guide");
    let run = signpost(
        &[
            "build",
            "--root",
            repo.to_str().unwrap(),
            "--output",
            out.to_str().unwrap(),
        ],
        repo,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let checked = assert_ids_unique_and_found(&out);
    assert!(checked > 100, "only {checked} fragment links checked");
}

/// A service body with the headings a page's own sections have, footnotes,
/// and links to both.
const BODY: &str = "\
## Stories

Women tell us what helped.[^1]

## Steps

First we listen, then [we plan](#steps) together.[^2] See [the stories](#stories).

## Main

## Services

[^1]: Names are changed.
[^2]: At your pace.
";

#[test]
fn bodies_sharing_a_page_keep_their_ids_apart_and_their_links_work() {
    let site = Fixture::new();
    site.edit(
        "content/services/open-road.md",
        "## What we offer\n\nSomeone to talk to.\n",
        BODY,
    );
    site.edit(
        "content/services/national-domestic-abuse-helpline.md",
        "Call any time.\n",
        BODY,
    );
    // The introduction has a "Steps" heading, and two steps' texts each a
    // footnote and a heading of the same name.
    site.edit(
        "content/pathways/routine-enquiry.md",
        "Ask every woman.\n",
        "## Steps\n\nAsk every woman.[^1]\n\n[^1]: In private.\n",
    );
    site.edit(
        "content/pathways/routine-enquiry.md",
        "    title: Ask about abuse\n",
        "    title: Ask about abuse\n    text: |\n      ### Diagram\n\n      Ask alone.[^1]\n\n      [^1]: Never with a partner there.\n",
    );
    site.edit(
        "content/pathways/routine-enquiry.md",
        "    title: Risk assessment\n",
        "    title: Risk assessment\n    text: |\n      ### Diagram\n\n      Use the form.[^1]\n\n      [^1]: The DASH form.\n",
    );
    let run = site.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let checked = assert_ids_unique_and_found(&site.path("output"));
    assert!(checked > 10, "only {checked} fragment links checked");

    // A service page keeps the ids a reader may have linked to, except the
    // one the page itself uses (the skip link's target).
    let page = site.read("output/essex/services/open-road/index.html");
    assert!(page.contains("<h2 id=\"stories\">Stories</h2>"), "{page}");
    assert!(page.contains("<h2 id=\"main-2\">Main</h2>"), "{page}");
    assert!(page.contains("href=\"#steps\""), "{page}");
    assert!(page.contains("id=\"fn-1\""), "{page}");
    // On the print page each body's ids start with the service's own.
    let print = site.read("output/essex/print/index.html");
    assert!(
        print.contains("id=\"service-open-road--stories\"")
            && print.contains("id=\"service-national-domestic-abuse-helpline--stories\"")
            && print.contains("href=\"#service-open-road--fn-2\""),
        "{print}"
    );
}
