//! Phone numbers and text codes written in prose, found so that they can be
//! tapped: "0808 2000 247" as `tel:08082000247`, "999", "116 123", and "Text
//! SHOUT to 85258" as `sms:85258?body=SHOUT`. A woman in crisis on a phone
//! should not have to copy a number by hand. A leaf: the Markdown pass and the
//! template values both use it.

use std::ops::Range;

/// Short numbers worth a link wherever they are written on their own: the
/// emergency services, NHS 111, police 101, and the text relay for 999.
/// (116 and three more digits, the European helplines such as Samaritans'
/// 116 123, are matched as a pair of groups.)
const SHORT_NUMBERS: &[&str] = &["101", "111", "112", "999", "18000"];

/// The number part of a `tel:` URI: digits, with a leading `+` kept.
pub fn tel_uri_number(phone: &str) -> String {
    let international = phone.trim_start().starts_with('+');
    // "+44 (0)20 ..." is dialled without the bracketed trunk zero.
    let phone = if international {
        phone.replace("(0)", "")
    } else {
        phone.to_owned()
    };
    let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
    if international {
        format!("+{digits}")
    } else {
        digits
    }
}

/// A number or text code found in `text`: where it is, and the link for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub range: Range<usize>,
    pub href: String,
}

/// Every phone number and "Text WORD to NUMBER" in `text`, in order, not
/// overlapping. Linear in the length of `text`.
pub fn find(text: &str) -> Vec<Found> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let starts_word = i == 0 || !is_joined_before(bytes[i - 1]);
        if starts_word
            && (bytes[i] == b't' || bytes[i] == b'T')
            && let Some(f) = text_code_at(text, i)
        {
            i = f.range.end;
            found.push(f);
            continue;
        }
        if starts_word && (bytes[i].is_ascii_digit() || bytes[i] == b'+') {
            if let Some((end, number)) = number_at(text, i) {
                found.push(Found {
                    range: i..end,
                    href: format!("tel:{number}"),
                });
                i = end;
                continue;
            }
            // Skip the rest of this run of digits: its tail is not a number's start.
            i += 1;
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
            continue;
        }
        i += 1;
    }
    found
}

/// Plain `text` as HTML, escaped, with its numbers and text codes as links:
/// for fields such as an area's `emergency` ("call 999 and press 55").
pub fn linked_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 64);
    let mut at = 0;
    for f in find(text) {
        out.push_str(&crate::html::escape_html(&text[at..f.range.start]));
        out.push_str("<a href=\"");
        out.push_str(&crate::html::escape_html(&f.href));
        out.push_str("\">");
        out.push_str(&crate::html::escape_html(&text[f.range.clone()]));
        out.push_str("</a>");
        at = f.range.end;
    }
    out.push_str(&crate::html::escape_html(&text[at..]));
    out
}

/// An `sms:` link for a service's text contact: "Text SHOUT to 85258", or a
/// number to text with no code, in any language ("Text 07860 077333",
/// "Tecstiwch 07860 077333"), if it is one.
pub fn sms_uri(text: &str) -> Option<String> {
    let start = text.len() - text.trim_start().len();
    if let Some(found) = text_code_at(text, start) {
        return Some(found.href);
    }
    let bytes = text.as_bytes();
    (0..bytes.len())
        .filter(|&i| bytes[i].is_ascii_digit() || bytes[i] == b'+')
        .filter(|&i| i == 0 || !is_joined_before(bytes[i - 1]))
        .find_map(|i| number_at(text, i))
        .map(|(_, number)| format!("sms:{number}"))
}

/// A character that, just before a digit, makes it part of something else:
/// a word, a price, a decimal, a time, a reference.
fn is_joined_before(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"$#.,/:-+_\xa3".contains(&b) || b >= 0x80
}

/// Whether the number ending at `end` stands on its own: not followed by
/// more digits, letters, a decimal or thousands part, a percentage or a time.
fn ends_cleanly(bytes: &[u8], end: usize) -> bool {
    match bytes.get(end) {
        None => true,
        Some(b) if b.is_ascii_alphanumeric() || *b == b'%' || *b == b'_' => false,
        Some(b'.' | b',' | b':' | b'/' | b'-') => {
            !bytes.get(end + 1).is_some_and(u8::is_ascii_digit)
        }
        Some(_) => true,
    }
}

/// A phone number starting at `start`: its end and its digits for `tel:`.
/// Groups of digits separated by single spaces; the longest run of groups
/// that makes a UK number wins ("0808 2000 247 24 hours" is 0808 2000 247).
fn number_at(text: &str, start: usize) -> Option<(usize, String)> {
    let bytes = text.as_bytes();
    let plus = bytes[start] == b'+';
    let mut i = start + usize::from(plus);
    let mut digits = String::new();
    let mut best: Option<(usize, String)> = None;
    let mut groups = 0;
    loop {
        let group_start = i;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        if i == group_start {
            break;
        }
        digits.push_str(&text[group_start..i]);
        groups += 1;
        if digits.len() > 13 {
            break;
        }
        if ends_cleanly(bytes, i) && is_uk_number(plus, &digits, groups) {
            let tel = if plus {
                format!("+{digits}")
            } else {
                digits.clone()
            };
            best = Some((i, tel));
        }
        // On to the next group only across one space.
        if bytes.get(i) == Some(&b' ') && bytes.get(i + 1).is_some_and(u8::is_ascii_digit) {
            i += 1;
        } else {
            break;
        }
    }
    best
}

fn is_uk_number(plus: bool, digits: &str, groups: usize) -> bool {
    if plus {
        return digits.starts_with("44") && (11..=12).contains(&digits.len());
    }
    let d = digits.as_bytes();
    match d.first() {
        // 01, 02, 03, 07 and 08 numbers, ten or eleven digits.
        Some(b'0') => {
            (10..=11).contains(&d.len())
                && matches!(d.get(1), Some(b'1' | b'2' | b'3' | b'7' | b'8'))
        }
        _ if groups == 1 => SHORT_NUMBERS.contains(&digits),
        _ => groups == 2 && d.len() == 6 && digits.starts_with("116"),
    }
}

/// "Text SHOUT to 85258" at `start` (any case for "text" and "to"; the code
/// itself in capitals, as services write it): the range of the whole phrase.
fn text_code_at(text: &str, start: usize) -> Option<Found> {
    let rest = &text[start..];
    let lead = rest.get(..5)?;
    if !lead.eq_ignore_ascii_case("text ") {
        return None;
    }
    let after = rest[5..].trim_start_matches(' ');
    let code_len = after
        .bytes()
        .take_while(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
        .count();
    let code = &after[..code_len];
    if code.is_empty() || !code.bytes().any(|b| b.is_ascii_uppercase()) {
        return None;
    }
    let after_code = &after[code_len..];
    let to = after_code.trim_start_matches(' ');
    if to.len() == after_code.len() || !to.get(..3)?.eq_ignore_ascii_case("to ") {
        return None;
    }
    let number = to[3..].trim_start_matches(' ');
    let number_start = text.len() - number.len();
    let bytes = text.as_bytes();
    let digits = number.bytes().take_while(u8::is_ascii_digit).count();
    // A phone number, or else a short code of five or six digits.
    let (end, number) = match number_at(text, number_start) {
        Some(found) => found,
        None if (5..=6).contains(&digits) && ends_cleanly(bytes, number_start + digits) => {
            (number_start + digits, number[..digits].to_owned())
        }
        None => return None,
    };
    Some(Found {
        range: start..end,
        href: format!("sms:{number}?body={code}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn links(text: &str) -> Vec<(&str, String)> {
        find(text)
            .into_iter()
            .map(|f| (&text[f.range], f.href))
            .collect()
    }

    #[test]
    fn tel_numbers_keep_digits_and_plus() {
        assert_eq!(tel_uri_number("0808 2000 247"), "08082000247");
        assert_eq!(tel_uri_number("+44 (0)20 7946 0000"), "+442079460000");
    }

    #[test]
    fn finds_uk_numbers_as_written() {
        assert_eq!(
            links("Call 0808 2000 247, any time."),
            [("0808 2000 247", "tel:08082000247".to_owned())]
        );
        assert_eq!(
            links("Call 116 123 or 999."),
            [
                ("116 123", "tel:116123".to_owned()),
                ("999", "tel:999".to_owned())
            ]
        );
        assert_eq!(
            links("Ring 020 7946 0000 or +44 20 7946 0000"),
            [
                ("020 7946 0000", "tel:02079460000".to_owned()),
                ("+44 20 7946 0000", "tel:+442079460000".to_owned())
            ]
        );
        assert_eq!(
            links("Text relay: 18000."),
            [("18000", "tel:18000".to_owned())]
        );
    }

    #[test]
    fn takes_the_longest_run_of_groups_that_is_a_number() {
        assert_eq!(
            links("0808 2000 247 24 hours a day"),
            [("0808 2000 247", "tel:08082000247".to_owned())]
        );
    }

    #[test]
    fn leaves_numbers_that_are_not_phone_numbers() {
        for text in [
            "It costs £999.",
            "Room 1010 and 9990",
            "999.5 or 9,999 or 999%",
            "At 11:11 on 12/03/2026",
            "Press 55 when asked",
            "Case ref AB999",
            "Number 0808 20",
            "116 on its own",
            "Codes 01234-567",
        ] {
            assert_eq!(links(text), [], "{text:?}");
        }
        // A year before a number is not part of it.
        assert_eq!(links("In 2017, 999 women"), [("999", "tel:999".to_owned())]);
    }

    #[test]
    fn finds_text_codes() {
        assert_eq!(
            links("Text SHOUT to 85258. A volunteer replies."),
            [("Text SHOUT to 85258", "sms:85258?body=SHOUT".to_owned())]
        );
        assert_eq!(
            links("or text HELP to 07700 900123"),
            [(
                "text HELP to 07700 900123",
                "sms:07700900123?body=HELP".to_owned()
            )]
        );
        // Not a code in capitals: only the number is a link, if it is one.
        assert_eq!(links("text me to say hello"), []);
        assert_eq!(
            sms_uri("Text SHOUT to 85258"),
            Some("sms:85258?body=SHOUT".into())
        );
        // A short code needs a word to send; a phone number can take any text.
        assert_eq!(sms_uri("Text 85258"), None);
        assert_eq!(sms_uri("Textual"), None);
        assert_eq!(sms_uri("Text 07860 077333"), Some("sms:07860077333".into()));
        assert_eq!(
            sms_uri("Tecstiwch 07860 077333, ddydd a nos"),
            Some("sms:07860077333".into())
        );
    }

    #[test]
    fn plain_text_becomes_escaped_html_with_links() {
        assert_eq!(
            linked_html("In danger & can't speak? Call 999, press 55."),
            "In danger &amp; can&#x27;t speak? Call <a href=\"tel:999\">999</a>, press 55."
        );
    }

    #[test]
    fn never_panics_on_odd_text() {
        for text in [
            "",
            "+",
            "T",
            "text",
            "Text X to",
            "Text X to 8",
            "é 999 ü",
            "999\u{a0}",
            "+44",
        ] {
            let _ = find(text);
            let _ = sms_uri(text);
        }
        assert_eq!(links("é 999 ü"), [("999", "tel:999".to_owned())]);
    }
}
