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
/// Letters with accents lose them where ASCII has the base letter; others are dropped.
pub fn from_title(title: &str) -> String {
    let mut slug = String::with_capacity(title.len());
    let mut pending_hyphen = false;
    for c in title.chars() {
        let c = fold_accent(c).to_ascii_lowercase();
        if c.is_ascii_alphanumeric() {
            if pending_hyphen && !slug.is_empty() {
                slug.push('-');
            }
            pending_hyphen = false;
            slug.push(c);
        } else if c != '\'' && c != '’' {
            // Apostrophes join ("women's" → "womens"); anything else separates.
            pending_hyphen = true;
        }
    }
    slug
}

/// A letter without its accent (`é` → `e`); other characters as they are.
pub fn fold_accent(c: char) -> char {
    match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => 'a',
        'ç' => 'c',
        'è' | 'é' | 'ê' | 'ë' => 'e',
        'ì' | 'í' | 'î' | 'ï' => 'i',
        'ñ' => 'n',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' => 'o',
        'ù' | 'ú' | 'û' | 'ü' => 'u',
        'ý' | 'ÿ' => 'y',
        'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' => 'a',
        'Ç' => 'c',
        'È' | 'É' | 'Ê' | 'Ë' => 'e',
        'Ì' | 'Í' | 'Î' | 'Ï' => 'i',
        'Ñ' => 'n',
        'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'Ø' => 'o',
        'Ù' | 'Ú' | 'Û' | 'Ü' => 'u',
        other => other,
    }
}

#[cfg(test)]
mod tests {
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
    }
}
