//! The search index of an area's guide: `A/search-index.js`, written at build
//! time and read by the default theme's script, so search works offline and
//! asks nothing of any other host. docs/search.md says why it is ours and not
//! Pagefind, with the measurements.
//!
//! For each service in the area it holds what the results list shows (name,
//! organisation, summary, link), the filters (needs, women only, self
//! referral), and the distinct words a reader might type, already folded to
//! lower case without accents. Confidential locations are never in it: it
//! holds no addresses at all.

use std::collections::BTreeSet;

use serde::Serialize;

use crate::model::{Coverage, Site};

#[derive(Serialize)]
struct Index<'a> {
    /// `[slug, name]` of every need, in the site's order; services refer to
    /// needs by position.
    needs: Vec<[&'a str; 2]>,
    services: Vec<Entry<'a>>,
}

#[derive(Serialize)]
struct Entry<'a> {
    /// Name, organisation, summary, link relative to the area's guide.
    name: &'a str,
    org: &'a str,
    summary: &'a str,
    path: String,
    /// Positions in `needs`.
    needs: Vec<usize>,
    women_only: bool,
    self_referral: bool,
    national: bool,
    /// Words of the name, for ranking name matches first.
    title_words: &'a str,
    /// Every other distinct word worth finding the service by.
    words: &'a str,
}

/// Words too common to help a search.
const STOP_WORDS: &[&str] = &[
    "a", "about", "after", "all", "also", "an", "and", "any", "are", "as", "at", "be", "been",
    "but", "by", "can", "do", "for", "from", "get", "has", "have", "her", "here", "how", "if",
    "in", "into", "is", "it", "its", "may", "more", "not", "of", "on", "one", "or", "our", "she",
    "so", "that", "the", "their", "them", "there", "they", "this", "to", "up", "us", "was", "we",
    "what", "when", "which", "who", "will", "with", "you", "your",
];

/// Lower case, accents and apostrophes dropped, anything else not a letter or
/// digit a space: the same folding the script applies to what is typed.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\'' | '’' => {}
            c if c.is_alphanumeric() => {
                for l in c.to_lowercase() {
                    out.push(crate::slug::fold_accent(l));
                }
            }
            _ => out.push(' '),
        }
    }
    out
}

/// Text of sanitised HTML: tags dropped, the few entities ammonia writes decoded.
fn html_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&amp;", "&")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", " ")
        .replace("&gt;", " ")
}

fn add_words(set: &mut BTreeSet<String>, text: &str) {
    for word in fold(text).split_whitespace() {
        if word.chars().count() > 1 && !STOP_WORDS.contains(&word) {
            set.insert(word.to_owned());
        }
    }
}

/// A service's words for the index: those of its name, and every other word
/// worth finding it by. They do not depend on the area, so a build works them
/// out once per service (`SiteIndex`), not once per area it serves.
#[derive(Debug, Clone, Default)]
pub struct ServiceWords {
    pub title: String,
    pub other: String,
}

pub fn service_words(site: &Site, service: &crate::model::Service) -> ServiceWords {
    let mut title = BTreeSet::new();
    add_words(&mut title, &service.name);
    let mut words = BTreeSet::new();
    add_words(&mut words, &service.organisation);
    add_words(&mut words, &service.summary);
    for text in [&service.eligibility, &service.referral_notes]
        .into_iter()
        .flatten()
    {
        add_words(&mut words, text);
    }
    for language in &service.languages {
        add_words(&mut words, language);
    }
    for need in service.needs.iter().filter_map(|n| site.need(&n.value)) {
        add_words(&mut words, &need.name);
        add_words(&mut words, &need.description);
    }
    add_words(&mut words, &html_text(&service.body.html));
    words.retain(|w| !title.contains(w));
    ServiceWords {
        title: title.into_iter().collect::<Vec<_>>().join(" "),
        other: words.into_iter().collect::<Vec<_>>().join(" "),
    }
}

/// The index of an area's `services` as a script that sets
/// `window.signpostSearchIndex`; `words` holds every service's words, by position.
pub fn area_index_script(site: &Site, services: &[usize], words: &[ServiceWords]) -> String {
    let index = Index {
        needs: site
            .needs
            .iter()
            .map(|n| [n.slug.as_str(), n.name.as_str()])
            .collect(),
        services: services
            .iter()
            .map(|&s| {
                let service = &site.services[s];
                Entry {
                    name: &service.name,
                    org: &service.organisation,
                    summary: &service.summary,
                    path: format!("services/{}/", service.slug),
                    needs: service
                        .needs
                        .iter()
                        .filter_map(|n| site.needs.iter().position(|need| need.slug == n.value))
                        .collect(),
                    women_only: service.women_only,
                    self_referral: service.self_referral,
                    national: service.coverage == Coverage::National,
                    title_words: &words[s].title,
                    words: &words[s].other,
                }
            })
            .collect(),
    };
    let json = serde_json::to_string(&index).unwrap_or_else(|_| "{}".to_owned());
    format!(
        "/* Search index of this area's guide, written by Signpost. */\nwindow.signpostSearchIndex = {json};\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_matches_what_readers_type() {
        assert_eq!(fold("Women’s Café & Brontë"), "womens cafe   bronte");
        assert_eq!(fold("St Mary's"), "st marys");
    }

    #[test]
    fn html_text_drops_tags_and_decodes_entities() {
        assert_eq!(
            html_text("<p>Rock &amp; roll</p><p>Tom&#39;s</p>").trim(),
            "Rock & roll  Tom's"
        );
    }
}
