//! Words made in Rust for templates: dates, days, hours and phone numbers.

use time::Date;

use crate::model::*;

pub use crate::phone::tel_uri_number;

/// "4 March 2026".
pub fn date_in_words(date: Date) -> String {
    format!("{} {} {}", date.day(), date.month(), date.year())
}

/// Opening hours as a reader says them, the GOV.UK way: "9am to 5pm",
/// "9:30am to midday", "6pm to midnight", and "24 hours" for 00:00 to 24:00.
pub fn hours_in_words(opens: &str, closes: &str) -> String {
    if opens == "00:00" && closes == "24:00" {
        "24 hours".to_owned()
    } else {
        format!("{} to {}", time_in_words(opens), time_in_words(closes))
    }
}

/// One `HH:MM` time in words: "9am", "5:30pm", "midday", "midnight". A time
/// that is not `HH:MM` (the reader refuses those) is left as written.
pub fn time_in_words(time: &str) -> String {
    let parsed = time
        .split_once(':')
        .and_then(|(h, m)| Some((h.parse::<u32>().ok()?, m.parse::<u32>().ok()?)));
    let Some((hour, minute)) = parsed.filter(|&(h, m)| h <= 24 && m < 60) else {
        return time.to_owned();
    };
    match (hour, minute) {
        (0 | 24, 0) => return "midnight".to_owned(),
        (12, 0) => return "midday".to_owned(),
        _ => {}
    }
    let suffix = if (12..24).contains(&hour) { "pm" } else { "am" };
    let hour = match hour % 12 {
        0 => 12,
        h => h,
    };
    if minute == 0 {
        format!("{hour}{suffix}")
    } else {
        format!("{hour}:{minute:02}{suffix}")
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
        assert_eq!(hours_in_words("09:00", "17:00"), "9am to 5pm");
        assert_eq!(hours_in_words("09:30", "17:00"), "9:30am to 5pm");
        assert_eq!(hours_in_words("00:00", "12:00"), "midnight to midday");
        assert_eq!(hours_in_words("18:00", "24:00"), "6pm to midnight");
        assert_eq!(hours_in_words("12:30", "00:00"), "12:30pm to midnight");
        assert_eq!(hours_in_words("00:15", "13:05"), "12:15am to 1:05pm");
    }

    #[test]
    pub(super) fn odd_times_are_left_as_written() {
        assert_eq!(time_in_words("9"), "9");
        assert_eq!(time_in_words("25:00"), "25:00");
        assert_eq!(time_in_words("ab:cd"), "ab:cd");
    }

    #[test]
    pub(super) fn dates_in_words() {
        assert_eq!(
            date_in_words(crate::fields::parse_date("2026-03-04").unwrap()),
            "4 March 2026"
        );
    }
}
