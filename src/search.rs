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

use serde::Serialize;

use crate::model::{Coverage, Service, Site};

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
    /// `[display, tel]`, shown with the result so she can call from the list.
    #[serde(skip_serializing_if = "Option::is_none")]
    phone: Option<[String; 2]>,
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

/// A language's words too common to help a search, which the index leaves
/// out: the theme's `search_stop_words`, or English ones.
#[derive(Debug, Clone)]
pub struct StopWords {
    sorted: Vec<String>,
    /// Most words are longer than any stop word and skip the lookup.
    longest: usize,
}

impl StopWords {
    /// From a space-separated list, folded as the index is.
    pub fn from_text(text: &str) -> StopWords {
        let mut sorted: Vec<String> = fold(text)
            .split_ascii_whitespace()
            .map(str::to_owned)
            .collect();
        sorted.sort_unstable();
        sorted.dedup();
        let longest = sorted.iter().map(String::len).max().unwrap_or(0);
        StopWords { sorted, longest }
    }

    fn contains(&self, word: &str) -> bool {
        word.len() <= self.longest
            && self
                .sorted
                .binary_search_by(|s| s.as_str().cmp(word))
                .is_ok()
    }
}

impl Default for StopWords {
    fn default() -> Self {
        StopWords::from_text(&STOP_WORDS.join(" "))
    }
}

/// What a reader types, in her own words, for the words services are indexed
/// by: everyday words ("drink"), words of crisis ("suicide", "scared") and
/// plain phrases ("somewhere to stay"). Keys are folded (`fold`); a key with a
/// space is a phrase, replaced in what she typed before it is split into
/// words. Written into each index, so the theme's script carries no copy.
pub const SYNONYMS: &[(&str, &str)] = &[
    // Drink and drugs.
    ("drink", "alcohol"),
    ("drinking", "alcohol"),
    ("booze", "alcohol"),
    ("heroin", "drugs"),
    ("cocaine", "drugs"),
    ("crack", "drugs"),
    ("cannabis", "drugs"),
    ("weed", "drugs"),
    ("overdose", "drugs"),
    // Children.
    ("kids", "children"),
    ("kid", "children"),
    ("child", "children"),
    ("baby", "children"),
    ("pregnant", "children"),
    // A place to live.
    ("home", "housing"),
    ("homeless", "housing"),
    ("homelessness", "housing"),
    ("flat", "housing"),
    ("evicted", "housing"),
    ("eviction", "housing"),
    ("somewhere to stay", "housing"),
    ("somewhere to live", "housing"),
    ("somewhere to sleep", "housing"),
    ("place to stay", "housing"),
    ("place to live", "housing"),
    ("nowhere to stay", "housing"),
    ("nowhere to live", "housing"),
    ("nowhere to go", "housing"),
    ("sleeping rough", "housing"),
    ("on the streets", "housing"),
    // Money.
    ("money", "debt"),
    ("skint", "debt"),
    ("broke", "debt"),
    ("bills", "debt"),
    ("benefits", "debt"),
    ("universal credit", "debt"),
    // Police, courts and prison.
    ("court", "courts"),
    ("jail", "prison"),
    ("arrested", "police"),
    ("arrest", "police"),
    // Abuse and danger.
    ("hit", "abuse"),
    ("hurt", "abuse"),
    ("hurting", "abuse"),
    ("beaten", "abuse"),
    ("abused", "abuse"),
    ("violence", "abuse"),
    ("violent", "abuse"),
    ("domestic violence", "abuse"),
    ("scared", "abuse"),
    ("afraid", "abuse"),
    ("frightened", "abuse"),
    ("unsafe", "abuse"),
    ("danger", "abuse"),
    ("threatened", "abuse"),
    ("controlling", "abuse"),
    ("stalked", "stalking"),
    ("stalker", "stalking"),
    ("raped", "rape"),
    ("sexual assault", "rape"),
    ("sexually assaulted", "rape"),
    // Mental health and crisis.
    ("suicide", "mental"),
    ("suicidal", "mental"),
    ("kill myself", "mental"),
    ("end my life", "mental"),
    ("want to die", "mental"),
    ("self harm", "mental"),
    ("selfharm", "mental"),
    ("depressed", "mental"),
    ("depression", "mental"),
    ("anxiety", "mental"),
    ("anxious", "mental"),
    ("panic", "mental"),
    ("lonely", "mental"),
    ("cope", "mental"),
    // Work.
    ("job", "work"),
    ("jobs", "work"),
    ("autistic", "autism"),
];

/// Words a reader types around what she is looking for ("i need", "help
/// me"), left out of a search, with `STOP_WORDS`. A search of nothing but
/// these shows the numbers to call now, not every service.
const QUERY_FILLER: &[&str] = &[
    "i",
    "im",
    "ive",
    "me",
    "my",
    "myself",
    "need",
    "needs",
    "want",
    "wanna",
    "help",
    "please",
    "some",
    "someone",
    "somebody",
    "something",
    "looking",
    "find",
    "talk",
    "where",
    "go",
    "support",
    "advice",
    "now",
    "urgent",
    "urgently",
];

/// Lower case, accents and apostrophes dropped, anything else not a letter or
/// digit a space: the same folding the script applies to what is typed
/// (`slug::fold_char`).
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    fold_into(&mut out, text);
    out
}

fn fold_into(out: &mut String, text: &str) {
    for c in text.chars() {
        fold_char(out, c);
    }
    out.push(' ');
}

fn fold_char(out: &mut String, c: char) {
    crate::slug::fold_char(c, |f| out.push(f));
}

/// Folds the text of sanitised HTML into `out`: tags dropped, and entities
/// (`&amp;`, `&#39;`…) read as what they stand for would fold: an apostrophe
/// to nothing, anything else to a space.
fn fold_html_into(out: &mut String, html: &str) {
    let mut chars = html.chars();
    while let Some(c) = chars.next() {
        match c {
            '<' => {
                chars.by_ref().find(|&c| c == '>');
                out.push(' ');
            }
            '&' => {
                let entity: String = chars.by_ref().take_while(|&c| c != ';').collect();
                if entity != "#39" && entity != "rsquo" {
                    out.push(' ');
                }
            }
            c => fold_char(out, c),
        }
    }
    out.push(' ');
}

/// The distinct words of folded text worth searching for, sorted.
fn words_of<'a>(folded: &'a str, stop: &StopWords) -> Vec<&'a str> {
    // A body repeats many of its words: keep each once, in the order they
    // first appear (the script scores every word, in any order; sorting a
    // national guide's bodies cost more than making the rest of the index).
    let mut seen = hashbrown::HashSet::with_capacity(folded.len() / 8);
    folded
        // Folding leaves ASCII spaces as the only white space.
        .split_ascii_whitespace()
        .filter(|w| w.len() > 1 && seen.insert(*w) && !stop.contains(w))
        .collect()
}

/// A service's entry in the index, as JSON. It is the same in every area (its
/// link is relative to the area's guide), so a build makes it once per
/// service (`SiteIndex`), not once per area it serves.
pub fn service_entry(site: &Site, service: &Service, stop: &StopWords) -> String {
    let name = fold(&service.name);
    let title = words_of(&name, stop);
    let mut text = String::with_capacity(service.body.html.len() + 512);
    fold_into(&mut text, &service.organisation);
    fold_into(&mut text, &service.summary);
    for extra in [&service.eligibility, &service.referral_notes]
        .into_iter()
        .flatten()
    {
        fold_into(&mut text, extra);
    }
    for language in &service.languages {
        fold_into(&mut text, language);
    }
    for need in service.needs.iter().filter_map(|n| site.need(&n.value)) {
        fold_into(&mut text, &need.name);
        fold_into(&mut text, &need.description);
    }
    fold_html_into(&mut text, &service.body.html);
    let mut other = words_of(&text, stop);
    other.retain(|w| !title.contains(w));
    let entry = Entry {
        name: &service.name,
        org: &service.organisation,
        summary: &service.summary,
        path: crate::urls::service_in_area(&service.slug),
        needs: service
            .needs
            .iter()
            .filter_map(|n| site.needs.iter().position(|need| need.slug == n.value))
            .collect(),
        women_only: service.women_only,
        self_referral: service.self_referral,
        national: service.coverage == Coverage::National,
        phone: service
            .contact
            .phone
            .as_ref()
            .map(|p| [p.clone(), crate::phone::tel_uri_number(p)]),
        title_words: &title.join(" "),
        words: &other.join(" "),
    };
    // A service's text may hold U+2028, which ends a line inside a string
    // for older JavaScript engines and would break the whole index.
    crate::html::json_for_js_file(&entry)
}

/// The index of an area's `services` as a script that sets
/// `window.signpostSearchIndex`; `entry` appends a service's entry, by position.
pub fn area_index_script(
    site: &Site,
    services: &[usize],
    entry: impl Fn(usize, &mut String),
    out: &mut String,
) {
    let needs: Vec<[&str; 2]> = site
        .needs
        .iter()
        .map(|n| [n.slug.as_str(), n.name.as_str()])
        .collect();
    out.push_str(
        "/* Search index of this area's guide, written by Signpost. */\nwindow.signpostSearchIndex = {\"needs\":",
    );
    out.push_str(&crate::html::json_for_js_file(&needs));
    out.push_str(",\"synonyms\":");
    out.push_str(synonyms_json());
    out.push_str(",\"ignore\":");
    out.push_str(ignored_json());
    out.push_str(",\"services\":[");
    for (i, &s) in services.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        entry(s, out);
    }
    out.push_str("]};\n");
}

/// `SYNONYMS` as a JSON object, made once.
fn synonyms_json() -> &'static str {
    static JSON: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    JSON.get_or_init(|| {
        let map: std::collections::BTreeMap<&str, &str> = SYNONYMS.iter().copied().collect();
        crate::html::json_for_js_file(&map)
    })
}

/// The words a search leaves out, `STOP_WORDS` and `QUERY_FILLER`, as JSON, made once.
fn ignored_json() -> &'static str {
    static JSON: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    JSON.get_or_init(|| {
        let words: Vec<&str> = STOP_WORDS.iter().chain(QUERY_FILLER).copied().collect();
        crate::html::json_for_js_file(&words)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_folds_the_shared_cases() {
        for (text, folded) in crate::slug::tests::folding_cases() {
            let words = fold(&text);
            let words: Vec<&str> = words.split_ascii_whitespace().collect();
            assert_eq!(words.join(" "), folded, "{text:?}");
        }
    }

    #[test]
    fn folding_matches_what_readers_type() {
        assert_eq!(fold("Women’s Café & Brontë"), "womens cafe   bronte ");
        assert_eq!(fold("St Mary's"), "st marys ");
    }

    #[test]
    fn folding_leaves_only_ascii_spaces_between_words() {
        // words_of splits on ASCII white space alone.
        let folded = fold("tab\there\nnbsp\u{a0}em\u{2003}ideographic\u{3000}end\r");
        assert_eq!(
            folded.split_ascii_whitespace().collect::<Vec<_>>(),
            folded.split_whitespace().collect::<Vec<_>>()
        );
        assert!(
            folded.chars().all(|c| c == ' ' || c.is_alphanumeric()),
            "{folded:?}"
        );
    }

    #[test]
    fn stop_words_are_the_language_s() {
        let welsh = StopWords::from_text("a ac yr y");
        assert_eq!(
            words_of("help gyda thai yr ac tai help", &welsh),
            ["help", "gyda", "thai", "tai"]
        );
        let english = StopWords::default();
        assert_eq!(
            words_of("help with the housing", &english),
            ["help", "housing"]
        );
    }

    #[test]
    fn synonyms_are_written_as_the_script_reads_them() {
        for (from, to) in SYNONYMS {
            // The script folds what she types before it looks a word or phrase up.
            assert_eq!(fold(from).trim_end(), *from, "{from:?} is folded");
            assert_eq!(fold(to).trim_end(), *to, "{to:?} is folded");
            assert!(!to.contains(' '), "{to:?}: a synonym is one word");
            // A word the script ignores would never be looked up.
            assert!(
                from.contains(' ') || !(STOP_WORDS.contains(from) || QUERY_FILLER.contains(from)),
                "{from:?} is ignored"
            );
        }
        let mut keys: Vec<&str> = SYNONYMS.iter().map(|(k, _)| *k).collect();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), SYNONYMS.len(), "no key twice");
        let synonyms: serde_json::Value =
            serde_json::from_str(synonyms_json()).expect("JSON object");
        assert_eq!(synonyms["somewhere to stay"], "housing");
        assert_eq!(synonyms["suicide"], "mental");
        let ignored: Vec<String> = serde_json::from_str(ignored_json()).expect("JSON list");
        assert!(ignored.iter().any(|w| w == "need") && ignored.iter().any(|w| w == "the"));
    }

    #[test]
    fn html_is_folded_without_tags_or_entities() {
        let mut out = String::new();
        fold_html_into(
            &mut out,
            "<p>Rock &amp; Roll</p><p>Tom&#39;s <em>café</em></p>",
        );
        assert_eq!(
            out.split_whitespace().collect::<Vec<_>>(),
            ["rock", "roll", "toms", "cafe"]
        );
        assert!(
            STOP_WORDS.windows(2).all(|w| w[0] < w[1]),
            "sorted for binary_search"
        );
    }
}
