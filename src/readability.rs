//! How hard a text is to read: the Flesch-Kincaid grade level, for `check`'s
//! warning on summaries written far above plain English.
//!
//! Grade = 0.39 × (words ÷ sentences) + 11.8 × (syllables ÷ words) − 15.59
//! (Kincaid et al., 1975): the US school grade whose pupils could read the
//! text, so grade 9 is about 14 years old. Syllables are counted the usual
//! way for English, by groups of vowels, with a silent final "e" taken off.
//! No crate for it is mature enough to beat these few lines.

/// The Flesch-Kincaid grade of `text`; `None` when it has no words.
pub fn flesch_kincaid_grade(text: &str) -> Option<f64> {
    let words: Vec<&str> = text
        .split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’'))
        .filter(|w| w.chars().any(char::is_alphabetic))
        .collect();
    if words.is_empty() {
        return None;
    }
    // A sentence ends at ., ! or ? (a run of them counts once); a text
    // without one is one sentence.
    let sentences = text
        .split(['.', '!', '?'])
        .filter(|s| s.chars().any(char::is_alphabetic))
        .count()
        .max(1);
    let syllables: usize = words.iter().map(|w| syllables(w)).sum();
    let (w, s, y) = (words.len() as f64, sentences as f64, syllables as f64);
    Some(0.39 * (w / s) + 11.8 * (y / w) - 15.59)
}

/// The syllables of one English word, at least one.
pub fn syllables(word: &str) -> usize {
    let lower = word.to_lowercase();
    let letters: Vec<char> = lower.chars().filter(|c| c.is_alphabetic()).collect();
    // An abbreviation is read letter by letter ("GP"), or as a word if it has
    // vowels ("MARAT"): count it as a word, which is close enough for either.
    let vowel = |c: char| "aeiouy".contains(c);
    let mut count = 0;
    let mut previous = false;
    for &c in &letters {
        let v = vowel(c);
        if v && !previous {
            count += 1;
        }
        previous = v;
    }
    let n = letters.len();
    // A final silent "e" ("home"), but not "-le" after a consonant ("table")
    // nor "-ee" ("free").
    if n > 2 && letters[n - 1] == 'e' && !vowel(letters[n - 2]) {
        let le = letters[n - 2] == 'l' && !vowel(letters[n - 3]);
        if !le && count > 1 {
            count -= 1;
        }
    }
    // "-es" and "-ed" are mostly silent after most consonants ("homes", "helped").
    if n > 3 && (lower.ends_with("es") || lower.ends_with("ed")) {
        let before = letters[n - 3];
        if !vowel(before) && !"tdscgxz".contains(before) && count > 1 {
            count -= 1;
        }
    }
    count.max(1)
}

/// The grade a summary should stay near: about 9 (a reading age of 14 or so),
/// the level of plain English guides for the public.
pub const PLAIN_ENGLISH_GRADE: f64 = 9.0;

/// How far above it `check` lets a summary go before it warns: grade 14 and
/// over is university text. One or two sentences give a noisy grade, so the
/// margin is wide: the warning is for the summary that is plainly hard, not
/// for every long word.
pub const WARN_ABOVE_GRADE: f64 = 14.0;

/// Summaries shorter than this many words are not judged: the formula needs
/// a sentence or two to mean anything.
pub const MIN_WORDS: usize = 8;

/// The grade of a summary that is far above plain English, if it is.
pub fn too_hard(text: &str) -> Option<f64> {
    let words = text.split_whitespace().count();
    let grade = flesch_kincaid_grade(text)?;
    (words >= MIN_WORDS && grade > WARN_ABOVE_GRADE).then_some(grade)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syllables_of_common_words() {
        for (word, expected) in [
            ("help", 1),
            ("home", 1),
            ("free", 1),
            ("table", 2),
            ("women", 2),
            ("service", 2),
            ("helped", 1),
            ("needed", 2),
            ("homes", 1),
            ("buses", 2),
            ("domestic", 3),
            ("confidential", 4),
            ("independent", 4),
            ("organisation", 5),
            ("multidisciplinary", 7),
            ("you", 1),
            ("a", 1),
        ] {
            assert_eq!(syllables(word), expected, "{word}");
        }
    }

    #[test]
    fn grades_of_known_texts() {
        // Short words in short sentences: below plain English.
        let plain = "You can call us at any time. We will listen. We will not judge you.";
        let g = flesch_kincaid_grade(plain).unwrap();
        assert!(g < 3.0, "{g}");
        // One long sentence of long words: university level.
        let hard = "Multi-agency safeguarding arrangements facilitate collaborative interventions \
                    addressing intersectional vulnerabilities experienced by justice-involved women \
                    with co-occurring conditions.";
        let g = flesch_kincaid_grade(hard).unwrap();
        assert!(g > 20.0, "{g}");
        // The formula itself, on a text counted by hand: 11 words, 1 sentence,
        // 12 syllables ("away" has two): 0.39 × 11 + 11.8 × 12/11 − 15.59 ≈ 1.57.
        let g = flesch_kincaid_grade("The cat sat on the mat and then it ran away.").unwrap();
        let expected = 0.39 * 11.0 + 11.8 * (12.0 / 11.0) - 15.59;
        assert!((g - expected).abs() < 1e-9, "{g} against {expected}");
        assert_eq!(flesch_kincaid_grade("  ... 123 "), None);
    }

    #[test]
    fn only_a_summary_far_above_plain_english_is_too_hard() {
        assert_eq!(
            too_hard(
                "Free, confidential advice about debts, bills and benefits, from trained advisers."
            ),
            None
        );
        assert!(too_hard(
            "Multi-agency safeguarding arrangements facilitate collaborative interventions addressing intersectional vulnerabilities."
        )
        .is_some());
        // Too short to judge, however long its words.
        assert_eq!(
            too_hard("Intersectional multidisciplinary interventions."),
            None
        );
    }
}
