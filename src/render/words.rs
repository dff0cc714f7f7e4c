//! Words made in Rust for templates: dates, days, hours and phone numbers.

use time::Date;

use crate::model::*;

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

/// "4 March 2026".
pub fn date_in_words(date: Date) -> String {
    format!("{} {} {}", date.day(), date.month(), date.year())
}

/// Opening hours as a reader says them.
pub fn hours_in_words(opens: &str, closes: &str) -> String {
    if opens == "00:00" && closes == "24:00" {
        "24 hours".to_owned()
    } else {
        format!("{opens} to {closes}")
    }
}

/// Days in words, runs joined: "Monday to Friday", "Monday, Wednesday and Friday",
/// "Every day".
pub fn days_in_words(days: &[Weekday]) -> String {
    if days.len() == 7 {
        return "Every day".into();
    }
    let mut runs: Vec<(Weekday, Weekday, usize)> = Vec::new();
    for &day in days {
        match runs.last_mut() {
            Some((_, last, len)) if day as usize == *last as usize + 1 => {
                *last = day;
                *len += 1;
            }
            _ => runs.push((day, day, 1)),
        }
    }
    let mut parts: Vec<String> = Vec::new();
    for (first, last, len) in runs {
        match len {
            1 => parts.push(first.name().into()),
            2 => {
                parts.push(first.name().into());
                parts.push(last.name().into());
            }
            _ => parts.push(format!("{} to {}", first.name(), last.name())),
        }
    }
    match parts.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        Some((last, _)) => last.clone(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Weekday::*;

    #[test]
    pub(super) fn days_read_naturally() {
        assert_eq!(
            days_in_words(&[Mon, Tue, Wed, Thu, Fri]),
            "Monday to Friday"
        );
        assert_eq!(
            days_in_words(&[Mon, Wed, Fri]),
            "Monday, Wednesday and Friday"
        );
        assert_eq!(days_in_words(&[Sat, Sun]), "Saturday and Sunday");
        assert_eq!(
            days_in_words(&[Mon, Tue, Wed, Sat]),
            "Monday to Wednesday and Saturday"
        );
        assert_eq!(
            days_in_words(&[Mon, Tue, Wed, Thu, Fri, Sat, Sun]),
            "Every day"
        );
        assert_eq!(days_in_words(&[Tue]), "Tuesday");
    }

    #[test]
    pub(super) fn tel_numbers_keep_digits_and_plus() {
        assert_eq!(tel_uri_number("0808 2000 247"), "08082000247");
        assert_eq!(tel_uri_number("+44 (0)20 7946 0000"), "+442079460000");
    }

    #[test]
    pub(super) fn hours_read_naturally() {
        assert_eq!(hours_in_words("00:00", "24:00"), "24 hours");
        assert_eq!(hours_in_words("09:30", "17:00"), "09:30 to 17:00");
        assert_eq!(hours_in_words("00:00", "12:00"), "00:00 to 12:00");
    }

    #[test]
    pub(super) fn dates_in_words() {
        assert_eq!(
            date_in_words(crate::fields::parse_date("2026-03-04").unwrap()),
            "4 March 2026"
        );
    }
}
