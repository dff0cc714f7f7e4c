//! A theme's interface words, per language: `themes/<name>/words/<lang>.yaml`,
//! a flat list of `key: text`. Templates word everything through functions
//! registered here, so that the same template serves every language:
//!
//! - `t(key="exit_this_page")`, with `{name}` placeholders filled from the
//!   other arguments (`t(key="services_count", n=3)`), and plural forms
//!   chosen by `n` (`key_zero`, `key_one`, `key_two`, `key_few`, `key_many`,
//!   then `key_other`, then `key`): the forms Welsh has, and the ones English
//!   uses of them;
//! - `date(iso="2026-12-01")`: "1 December 2026", "1 Rhagfyr 2026";
//! - `days(codes=["mon", "tue"])`: "Monday and Tuesday", "Every day";
//! - `time_range(opens="09:00", closes="17:00")`: "9am to 5pm", "24 hours".
//!
//! A key missing in a language falls back to the main language's, then to
//! the key itself; `check` reports what is missing (`Words::missing`).
//! Each page renders on one thread, so the page's language is a thread-local
//! (`Words::use_language`), not an argument every call would need.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::sync::Arc;

use tera::{Kwargs, State, Tera, TeraResult};

use crate::diagnostics::Diagnostics;
use crate::yaml;

/// Languages written right to left (by their primary language subtag), for
/// `dir="rtl"`. A script subtag decides where one is written (`-Arab`,
/// `-Hebr`...), as for Kurdish or Punjabi, which are written both ways.
const RIGHT_TO_LEFT: &[&str] = &[
    "ar", "arc", "ckb", "dv", "fa", "he", "iw", "ku-arab", "ps", "sd", "syr", "ug", "ur", "yi",
];
const RIGHT_TO_LEFT_SCRIPTS: &[&str] = &["arab", "hebr", "thaa", "syrc", "nkoo", "adlm", "rohg"];

/// True for a language tag written right to left: `ar`, `ur-PK`, `pa-Arab`.
pub fn is_right_to_left(tag: &str) -> bool {
    let lower = tag.to_ascii_lowercase();
    let mut parts = lower.split('-');
    let primary = parts.next().unwrap_or_default();
    let script = lower.split('-').nth(1).filter(|s| s.len() == 4);
    match script {
        Some(script) => RIGHT_TO_LEFT_SCRIPTS.contains(&script),
        None => RIGHT_TO_LEFT.contains(&primary),
    }
}

/// One language's words.
pub type LanguageWords = BTreeMap<String, String>;

/// Every language's words a theme has, by language tag.
#[derive(Debug, Clone, Default)]
pub struct Words {
    pub languages: BTreeMap<String, Arc<LanguageWords>>,
    /// Each language's file as diagnostics show it.
    pub files: BTreeMap<String, String>,
    /// `languages`, shared with each page's `Current` without a copy.
    shared: Arc<BTreeMap<String, Arc<LanguageWords>>>,
}

/// The words a page renders with: its language's, and the main language's
/// to fall back on.
#[derive(Debug, Clone, Default)]
struct Current {
    words: Arc<LanguageWords>,
    fallback: Arc<LanguageWords>,
    /// The main language runs the other way: a word it lends is isolated
    /// (U+2068 … U+2069), so its punctuation stays where it belongs.
    isolate_fallback: bool,
    all: Arc<BTreeMap<String, Arc<LanguageWords>>>,
    /// The page's language tag.
    language: Arc<str>,
}

thread_local! {
    static CURRENT: RefCell<Current> = RefCell::new(Current::default());
}

impl Words {
    /// Reads one words file; problems go into `diags` at their place.
    pub fn read_file(&mut self, lang: &str, shown: &str, bytes: &[u8], diags: &mut Diagnostics) {
        let Ok(text) = std::str::from_utf8(bytes) else {
            diags.error(shown, None, "a words file should be UTF-8 text");
            return;
        };
        let node = match yaml::parse(text, 1) {
            Ok(Some(node)) => node,
            Ok(None) => yaml::Node {
                value: yaml::Value::Map(Vec::new()),
                pos: crate::diagnostics::Pos::new(1, 1),
            },
            Err(errors) => {
                for e in errors {
                    diags.error(shown, Some(e.pos), format!("YAML syntax: {}", e.message));
                }
                return;
            }
        };
        let yaml::Value::Map(entries) = &node.value else {
            diags.error(
                shown,
                Some(node.pos),
                "a words file is a list of `key: text` lines",
            );
            return;
        };
        let mut words = LanguageWords::new();
        for (key, value) in entries {
            match (key.as_scalar(), value.as_scalar()) {
                (Some(k), Some(v)) => {
                    words.insert(k.to_owned(), v.to_owned());
                }
                _ => diags.error(
                    shown,
                    Some(value.pos),
                    "each word is `key: text`, the text on one line or in quotes",
                ),
            }
        }
        self.languages.insert(lang.to_owned(), Arc::new(words));
        self.files.insert(lang.to_owned(), shown.to_owned());
        self.shared = Arc::new(self.languages.clone());
    }

    /// Warns about each of `languages` (the main one first) whose words are
    /// missing or incomplete: pages show the main language's words instead.
    pub fn report_missing(&self, languages: &[String], diags: &mut Diagnostics) {
        let Some(main) = languages.first() else {
            return;
        };
        for lang in languages {
            match self.missing(lang, main) {
                None => diags.general_warning(format!(
                    "the theme has no words for {lang} (words/{lang}.yaml), so its pages show the interface in {main}"
                )),
                Some(keys) if !keys.is_empty() => {
                    const SHOWN: usize = 12;
                    let more = match keys.len().saturating_sub(SHOWN) {
                        0 => String::new(),
                        n => format!(" and {n} more"),
                    };
                    diags.warning(
                        &self.files[lang],
                        None,
                        format!(
                            "{} words are missing, so pages in {lang} show them in {main}: {}{more}",
                            keys.len(),
                            keys[..keys.len().min(SHOWN)].join(", ")
                        ),
                    )
                }
                Some(_) => {}
            }
        }
    }

    /// A key's text in `language`, else in `main`.
    pub fn text(&self, language: &str, main: &str, key: &str) -> Option<&str> {
        [language, main]
            .iter()
            .find_map(|l| self.languages.get(*l)?.get(key))
            .map(String::as_str)
    }

    /// Makes `language` (falling back to `main`) the words of what this
    /// thread renders next. Call before rendering each page.
    pub fn use_language(&self, language: &str, main: &str) {
        let get = |l: &str| self.languages.get(l).cloned().unwrap_or_default();
        let current = Current {
            words: get(language),
            fallback: get(main),
            isolate_fallback: is_right_to_left(language) != is_right_to_left(main),
            all: Arc::clone(&self.shared),
            language: Arc::from(language),
        };
        CURRENT.with_borrow_mut(|c| *c = current);
    }

    /// Every word a page in `language` shows, as the map templates read as
    /// `w` (`{{ w.exit_this_page }}`): `language`'s own, and `main`'s for the
    /// keys it lacks (isolated when the two run opposite ways, as `t` does).
    /// Made once per build and shared by every page: a map lookup costs a
    /// fraction of a function call, and a page has a hundred words.
    pub fn language_map(&self, language: &str, main: &str) -> tera::Map {
        let isolate = is_right_to_left(language) != is_right_to_left(main);
        let mut map = tera::Map::default();
        if let Some(fallback) = self.languages.get(main) {
            for (key, text) in fallback.iter() {
                let text = if isolate {
                    format!("\u{2068}{text}\u{2069}")
                } else {
                    text.clone()
                };
                map.insert(key.clone().into(), tera::Value::from(text));
            }
        }
        if let Some(own) = self.languages.get(language) {
            for (key, text) in own.iter() {
                map.insert(key.clone().into(), tera::Value::from(text.as_str()));
            }
        }
        map
    }

    /// The keys `main` has and `language` lacks (what falls back), and whether
    /// the theme has words for `language` at all.
    pub fn missing(&self, language: &str, main: &str) -> Option<Vec<&str>> {
        let mine = self.languages.get(language)?;
        let main = self.languages.get(main)?;
        Some(
            main.keys()
                .filter(|k| !mine.contains_key(*k))
                .map(String::as_str)
                .collect(),
        )
    }

    /// Registers the template functions on `tera`.
    pub fn register(tera: &mut Tera) {
        tera.register_function("t", t);
        tera.register_function("date", date);
        tera.register_function("days", days);
        tera.register_function("time_range", time_range);
        tera.register_function("list", list);
    }
}

/// Calls `f` with the language of the page this thread renders (empty
/// before any page has set one).
pub fn with_current_language<R>(f: impl FnOnce(&str) -> R) -> R {
    CURRENT.with_borrow(|c| f(&c.language))
}

/// A key's text in the page's language (or `lang`'s, if given), else the
/// main language's, else the key itself.
fn word(key: &str, lang: Option<&str>) -> String {
    CURRENT.with_borrow(|c| {
        let own = match lang {
            Some(l) => c.all.get(l).and_then(|w| w.get(key)),
            None => c.words.get(key),
        };
        match own {
            Some(text) => text.clone(),
            None => {
                let lent = c.fallback.get(key).map_or(key, String::as_str);
                if c.isolate_fallback {
                    format!("\u{2068}{lent}\u{2069}")
                } else {
                    lent.to_owned()
                }
            }
        }
    })
}

/// A key's text in the language of the page this thread renders, with
/// `{name}` filled from `values`: for the words Rust puts in a page (its title).
pub fn word_with(key: &str, values: &[(&str, &str)]) -> String {
    let mut text = word(key, None);
    for (name, value) in values {
        text = text.replace(&format!("{{{name}}}"), value);
    }
    text
}

fn has_word(key: &str) -> bool {
    CURRENT.with_borrow(|c| c.words.contains_key(key) || c.fallback.contains_key(key))
}

/// The plural form of `key` for `n`, among those the words define.
fn plural_key(key: &str, n: i64) -> String {
    let form = match n {
        0 => "zero",
        1 => "one",
        2 => "two",
        3 => "few",
        6 => "many",
        _ => "other",
    };
    [form, "other"]
        .iter()
        .map(|f| format!("{key}_{f}"))
        .find(|k| has_word(k))
        .unwrap_or_else(|| key.to_owned())
}

/// Fills `{name}` with each argument's value.
fn fill(text: &str, kwargs: &Kwargs) -> String {
    if !text.contains('{') {
        return text.to_owned();
    }
    let mut out = text.to_owned();
    for (key, value) in kwargs.iter() {
        let name = format!("{{{key}}}");
        if out.contains(&name) {
            let value = match value.as_str() {
                Some(s) => s.to_owned(),
                None => value.to_string(),
            };
            out = out.replace(&name, &value);
        }
    }
    out
}

fn t(kwargs: Kwargs, _: &State) -> TeraResult<String> {
    let key: &str = kwargs.must_get("key")?;
    let lang: Option<&str> = kwargs.get("lang")?;
    let key = match kwargs.get::<i64>("n")? {
        Some(n) => plural_key(key, n),
        None => key.to_owned(),
    };
    Ok(fill(&word(&key, lang), &kwargs))
}

fn date(kwargs: Kwargs, _: &State) -> TeraResult<String> {
    let iso: &str = kwargs.must_get("iso")?;
    Ok(match crate::fields::parse_date(iso) {
        Some(d) => date_words(d),
        None => iso.to_owned(),
    })
}

/// A date in the words of the page this thread renders: "1 December 2026",
/// "1 Rhagfyr 2026".
pub fn date_words(d: time::Date) -> String {
    let month = word(&format!("month_{}", d.month() as u8), None);
    word("date_format", None)
        .replace("{day}", &d.day().to_string())
        .replace("{month}", &month)
        .replace("{year}", &d.year().to_string())
}

/// Days by their codes, runs joined: "Monday to Friday", "Monday, Wednesday
/// and Friday", "Every day". A day after the first takes `day_<code>_later`
/// where a language writes it otherwise (Welsh: "dydd Mercher"), and the end
/// of a run `day_<code>_after_to` ("i ddydd Gwener").
fn days(kwargs: Kwargs, _: &State) -> TeraResult<String> {
    let codes: Vec<String> = kwargs.must_get("codes")?;
    Ok(days_words(codes.iter().map(String::as_str)))
}

/// Days by their codes (`mon`...), in the words of the page this thread
/// renders, as `days()` words them.
pub fn days_words<'c>(codes: impl IntoIterator<Item = &'c str>) -> String {
    const ORDER: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
    let mut days: Vec<usize> = codes
        .into_iter()
        .filter_map(|c| ORDER.iter().position(|d| *d == c))
        .collect();
    days.sort_unstable();
    days.dedup();
    if days.len() == 7 {
        return word("every_day", None);
    }
    let name = |d: usize, form: &str| {
        let key = format!("day_{}{form}", ORDER[d]);
        if form.is_empty() || has_word(&key) {
            word(&key, None)
        } else {
            word(&format!("day_{}", ORDER[d]), None)
        }
    };
    let mut runs: Vec<(usize, usize)> = Vec::new();
    for d in days {
        match runs.last_mut() {
            Some((_, last)) if d == *last + 1 => *last = d,
            _ => runs.push((d, d)),
        }
    }
    let mut parts: Vec<String> = Vec::new();
    for (first, last) in runs {
        let first_name = name(first, if parts.is_empty() { "" } else { "_later" });
        match last - first {
            0 => parts.push(first_name),
            1 => {
                parts.push(first_name);
                parts.push(name(last, "_later"));
            }
            _ => parts.push(
                word("day_range", None)
                    .replace("{first}", &first_name)
                    .replace("{last}", &name(last, "_after_to")),
            ),
        }
    }
    join_list(parts)
}

/// `list(items=s.areas, attribute="name")`: "Essex, Sutton and Kent" in the
/// page's language (`attribute` picks a field of each item, if they are maps).
fn list(kwargs: Kwargs, _: &State) -> TeraResult<String> {
    let items: Vec<tera::Value> = kwargs.must_get("items")?;
    let attribute: Option<String> = kwargs.get("attribute")?;
    let text = |v: &tera::Value| match v.as_str() {
        Some(s) => s.to_owned(),
        None => v.to_string(),
    };
    let parts = items
        .iter()
        .map(|item| match &attribute {
            Some(a) => item
                .as_map()
                .and_then(|m| m.get(&tera::value::Key::from(a.clone())))
                .map(text)
                .unwrap_or_default(),
            None => text(item),
        })
        .collect();
    Ok(join_list(parts))
}

/// "a, b and c" in the words of the page this thread renders.
pub fn join_list(mut parts: Vec<String>) -> String {
    let Some(last) = parts.pop() else {
        return String::new();
    };
    if parts.is_empty() {
        return last;
    }
    word("list_and", None)
        .replace("{rest}", &parts.join(&word("list_separator", None)))
        .replace("{last}", &last)
}

/// "9am to 5pm", "9:30am to midday", "24 hours": GOV.UK's style, in the
/// page's language.
fn time_range(kwargs: Kwargs, _: &State) -> TeraResult<String> {
    let opens: &str = kwargs.must_get("opens")?;
    let closes: &str = kwargs.must_get("closes")?;
    Ok(time_range_words(opens, closes))
}

/// Opening and closing times (`HH:MM`) in the words of the page this thread
/// renders, as `time_range()` words them.
pub fn time_range_words(opens: &str, closes: &str) -> String {
    if opens == "00:00" && closes == "24:00" {
        return word("open_24_hours", None);
    }
    word("time_range", None)
        .replace("{opens}", &time_in_words(opens))
        .replace("{closes}", &time_in_words(closes))
}

/// "09:00" → "9am", "17:30" → "5:30pm", "12:00" → "midday", "00:00" and
/// "24:00" → "midnight".
fn time_in_words(hhmm: &str) -> String {
    let Some(minutes) = crate::fields::parse_time(hhmm) else {
        return hhmm.to_owned();
    };
    let (h, m) = (minutes / 60, minutes % 60);
    if m == 0 && (h == 0 || h == 24) {
        return word("midnight", None);
    }
    if m == 0 && h == 12 {
        return word("midday", None);
    }
    let pm = h >= 12;
    let h12 = match h % 12 {
        0 => 12,
        h => h,
    };
    let key = match (pm, m) {
        (false, 0) => "time_am",
        (true, 0) => "time_pm",
        (false, _) => "time_am_minutes",
        (true, _) => "time_pm_minutes",
    };
    word(key, None)
        .replace("{h}", &h12.to_string())
        .replace("{m}", &format!("{m:02}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(words: &Words, lang: &str, template: &str) -> String {
        let mut tera = Tera::new();
        Words::register(&mut tera);
        tera.add_raw_template("t", template).unwrap();
        words.use_language(lang, "en-GB");
        tera.render("t", &tera::Context::new()).unwrap()
    }

    fn shipped() -> Words {
        let mut words = Words::default();
        let mut diags = Diagnostics::new();
        for lang in ["en-GB", "cy"] {
            let path = format!(
                "{}/themes/default/words/{lang}.yaml",
                env!("CARGO_MANIFEST_DIR")
            );
            let bytes = std::fs::read(&path).unwrap();
            words.read_file(lang, &path, &bytes, &mut diags);
        }
        assert!(!diags.has_errors(), "{diags:?}");
        words
    }

    #[test]
    fn dates_days_and_times_in_each_language() {
        let words = shipped();
        let t = r#"{{ date(iso="2026-12-01") }}|{{ days(codes=["mon","tue","wed","thu","fri"]) }}|{{ days(codes=["mon","wed","fri"]) }}|{{ time_range(opens="09:00", closes="17:30") }}|{{ time_range(opens="00:00", closes="12:00") }}"#;
        assert_eq!(
            render(&words, "en-GB", t),
            "1 December 2026|Monday to Friday|Monday, Wednesday and Friday|9am to 5:30pm|midnight to midday"
        );
        assert_eq!(
            render(&words, "cy", t),
            "1 Rhagfyr 2026|Dydd Llun i ddydd Gwener|Dydd Llun, dydd Mercher a dydd Gwener|9yb i 5:30yh|hanner nos i hanner dydd"
        );
        assert_eq!(
            render(
                &words,
                "cy",
                r#"{{ days(codes=["mon","tue","wed","thu","fri","sat","sun"]) }}"#
            ),
            "Bob dydd"
        );
    }

    /// The helpers Rust words a page's values with (hours on cards, review
    /// dates) say what the template functions say.
    #[test]
    fn days_and_hours_read_naturally_the_gov_uk_way() {
        let words = shipped();
        words.use_language("en-GB", "en-GB");
        let days = |codes: &[&str]| days_words(codes.iter().copied());
        assert_eq!(
            days(&["mon", "tue", "wed", "thu", "fri"]),
            "Monday to Friday"
        );
        assert_eq!(days(&["mon", "wed", "fri"]), "Monday, Wednesday and Friday");
        assert_eq!(days(&["sat", "sun"]), "Saturday and Sunday");
        assert_eq!(
            days(&["mon", "tue", "wed", "sat"]),
            "Monday to Wednesday and Saturday"
        );
        assert_eq!(
            days(&["sun", "mon", "tue", "wed", "thu", "fri", "sat"]),
            "Every day"
        );
        assert_eq!(days(&["tue", "tue"]), "Tuesday");
        assert_eq!(time_range_words("00:00", "24:00"), "24 hours");
        assert_eq!(time_range_words("09:00", "17:00"), "9am to 5pm");
        assert_eq!(time_range_words("09:30", "17:00"), "9:30am to 5pm");
        assert_eq!(time_range_words("00:00", "12:00"), "midnight to midday");
        assert_eq!(time_range_words("18:00", "24:00"), "6pm to midnight");
        assert_eq!(time_range_words("12:30", "00:00"), "12:30pm to midnight");
        assert_eq!(time_range_words("00:15", "13:05"), "12:15am to 1:05pm");
        assert_eq!(time_in_words("9"), "9", "odd times are left as written");
        assert_eq!(time_in_words("25:00"), "25:00");
        assert_eq!(time_in_words("ab:cd"), "ab:cd");
        let date = crate::fields::parse_date("2026-03-04").unwrap();
        assert_eq!(date_words(date), "4 March 2026");
        words.use_language("cy", "en-GB");
        assert_eq!(date_words(date), "4 Mawrth 2026");
        assert_eq!(days(&["sat", "sun"]), "Dydd Sadwrn a dydd Sul");
        assert_eq!(time_range_words("00:00", "24:00"), "24 awr");
    }

    /// `w`, the words as a map, holds what `t` gives for every key.
    #[test]
    fn the_words_map_says_what_t_says() {
        let mut words = shipped();
        let mut diags = Diagnostics::new();
        words.read_file(
            "ar",
            "ar.yaml",
            "exit_this_page: اخرج\n".as_bytes(),
            &mut diags,
        );
        for (lang, main) in [("en-GB", "en-GB"), ("cy", "en-GB"), ("ar", "en-GB")] {
            let map = words.language_map(lang, main);
            words.use_language(lang, main);
            let keys: std::collections::BTreeSet<&str> =
                map.keys().filter_map(|k| k.as_str()).collect();
            for key in words.languages[main].keys() {
                assert!(keys.contains(key.as_str()), "{lang}: {key}");
            }
            for (key, value) in map.iter() {
                let key = key.as_str().unwrap();
                assert_eq!(
                    value.as_str(),
                    Some(word(key, None).as_str()),
                    "{lang}: {key}"
                );
            }
        }
    }

    #[test]
    fn missing_words_fall_back_to_the_main_language() {
        let mut words = shipped();
        let mut diags = Diagnostics::new();
        words.read_file(
            "ar",
            "ar.yaml",
            "exit_this_page: اخرج من هذه الصفحة\n".as_bytes(),
            &mut diags,
        );
        assert_eq!(
            render(
                &words,
                "ar",
                r#"{{ t(key="exit_this_page") }}|{{ t(key="skip_to_main_content") }}|{{ t(key="no_such_key") }}"#
            ),
            "اخرج من هذه الصفحة|\u{2068}Skip to main content\u{2069}|\u{2068}no_such_key\u{2069}",
            "lent words are isolated in a page that runs the other way"
        );
        let missing = words.missing("ar", "en-GB").unwrap();
        assert!(missing.contains(&"skip_to_main_content"));
        assert!(!missing.contains(&"exit_this_page"));
        assert_eq!(
            words.missing("cy", "en-GB").unwrap(),
            Vec::<&str>::new(),
            "cy is complete"
        );
    }

    #[test]
    fn plurals_and_placeholders() {
        let words = shipped();
        let t =
            r#"{% for n in [0, 1, 2, 3, 6, 7] %}{{ t(key="service_count", n=n) }};{% endfor %}"#;
        assert_eq!(
            render(&words, "en-GB", t),
            "0 services;1 service;2 services;3 services;6 services;7 services;"
        );
        assert_eq!(
            render(&words, "cy", t),
            "0 gwasanaeth;1 gwasanaeth;2 wasanaeth;3 gwasanaeth;6 gwasanaeth;7 gwasanaeth;"
        );
    }
}
