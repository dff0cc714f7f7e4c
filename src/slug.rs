//! Slugs: the lower-case, hyphenated names that become URLs.

/// True when `s` matches `[a-z0-9]+(-[a-z0-9]+)*`.
pub fn is_valid(s: &str) -> bool {
    !s.is_empty()
        && s.split('-').all(|part| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

/// Makes a slug from a title: "Women's Centre (Sutton)" → "womens-centre-sutton".
/// Letters are folded as search folds them (`fold_char`), so "Ŵyl Dŵr" → "wyl-dwr"
/// and apostrophes join ("women's" → "womens"); anything else separates words,
/// letters that are still not ASCII after folding included.
pub fn from_title(title: &str) -> String {
    let mut slug = String::with_capacity(title.len());
    let mut pending_hyphen = false;
    for c in title.chars() {
        fold_char(c, |c| {
            if c.is_ascii_alphanumeric() {
                if pending_hyphen && !slug.is_empty() {
                    slug.push('-');
                }
                pending_hyphen = false;
                slug.push(c);
            } else {
                pending_hyphen = true;
            }
        });
    }
    slug
}

/// Folds one character for search and slugs, as the default theme's script
/// folds what is typed (`fold` in signpost.js; tests/folding-cases.json holds
/// the cases both must pass): lower case; apostrophes and accents dropped
/// (canonical decomposition, then U+0300–U+036F removed); `ø` as `o`; a
/// space for anything else that is not a letter or digit. `push` gets the
/// result, which may be nothing or several characters.
#[inline]
pub fn fold_char(c: char, mut push: impl FnMut(char)) {
    // Most text is ASCII: fold it without Unicode tables.
    if c.is_ascii() {
        match c {
            '\'' => {}
            c if c.is_ascii_alphanumeric() => push(c.to_ascii_lowercase()),
            _ => push(' '),
        }
        return;
    }
    match c {
        // An accent on its own (text already decomposed) goes, as one in a letter does.
        '’' | '\u{300}'..='\u{36f}' => {}
        c if c.is_alphanumeric() => {
            for lower in c.to_lowercase() {
                for d in NFD.normalize_iter(std::iter::once(lower)) {
                    match d {
                        '\u{300}'..='\u{36f}' => {}
                        // Not an accent to Unicode, but readers of "Øresby" type o.
                        'ø' => push('o'),
                        d => push(d),
                    }
                }
            }
        }
        _ => push(' '),
    }
}

const NFD: icu_normalizer::DecomposingNormalizerBorrowed<'static> =
    icu_normalizer::DecomposingNormalizerBorrowed::new_nfd();

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    #[test]
    fn validates_slugs() {
        for ok in ["open-road", "a", "step-2", "2"] {
            assert!(is_valid(ok), "{ok}");
        }
        for bad in [
            "",
            "Open-Road",
            "open road",
            "open.road",
            "-a",
            "a-",
            "a--b",
            "café",
        ] {
            assert!(!is_valid(bad), "{bad}");
        }
    }

    #[test]
    fn makes_slugs_from_titles() {
        assert_eq!(
            from_title("Women's Centre (Sutton)"),
            "womens-centre-sutton"
        );
        assert_eq!(from_title("  Café  & Crèche  "), "cafe-creche");
        assert_eq!(from_title("Essex MARAT"), "essex-marat");
        assert!(is_valid(&from_title("Zoë’s story: 2026!")));
        assert_eq!(from_title("Ŵyl Dŵr"), "wyl-dwr");
    }

    /// tests/folding-cases.json: [text, its folded words], which the script's
    /// `fold` must also pass (tests/browser/folding.test.mjs).
    pub(crate) fn folding_cases() -> Vec<(String, String)> {
        #[derive(serde::Deserialize)]
        struct Table {
            cases: Vec<(String, String)>,
        }
        let table: Result<Table, _> =
            serde_json::from_str(include_str!("../tests/folding-cases.json"));
        table.expect("tests/folding-cases.json is a table").cases
    }

    #[test]
    fn slugs_fold_the_shared_cases() {
        // A slug is the folded text's ASCII letters and digits, hyphen-joined.
        for (text, folded) in folding_cases() {
            let expected: Vec<&str> = folded
                .split(|c: char| !c.is_ascii_alphanumeric())
                .filter(|w| !w.is_empty())
                .collect();
            assert_eq!(from_title(&text), expected.join("-"), "{text:?}");
        }
    }
}
