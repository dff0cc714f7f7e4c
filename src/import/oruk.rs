//! Open Referral UK 3.0 (the UK profile of HSDS 3.0) read into records: a page
//! (`contents`), one full service record, or a list of them, as a council's
//! directory exports it. Read through `serde_json::Value`, so that every value
//! keeps its JSON pointer (`feed.json: /contents/3/name`) for the report, and
//! every value not used is listed rather than dropped.

use serde_json::{Map, Value};

use super::{Areas, Level, Location, Message, Placed, Record};
use crate::model::Hours;
use crate::spreadsheet;

pub(super) fn read(shown: &str, bytes: &[u8]) -> Result<(Vec<Record>, Vec<Message>), Vec<Message>> {
    let error = |place: String, text: String| {
        vec![Message {
            place,
            level: Level::Error,
            text,
        }]
    };
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let value: Value = serde_json::from_slice(bytes).map_err(|e| {
        error(
            format!("{shown}:{}:{}", e.line(), e.column()),
            format!("not JSON: {e}"),
        )
    })?;
    let (list, base): (Vec<&Value>, &str) = match &value {
        Value::Object(page) if page.contains_key("contents") => match &page["contents"] {
            Value::Array(items) => (items.iter().collect(), "/contents"),
            _ => {
                return Err(error(
                    format!("{shown}: /contents"),
                    "`contents` should be a list of services".into(),
                ));
            }
        },
        Value::Object(_) => (vec![&value], ""),
        Value::Array(items) => (items.iter().collect(), ""),
        _ => {
            return Err(error(
                format!("{shown}: /"),
                "expected an Open Referral UK page (with `contents`), a service, or a list of services".into(),
            ));
        }
    };
    let single = base.is_empty() && value.is_object();
    let mut records = Vec::new();
    let mut messages = Vec::new();
    if let Value::Object(page) = &value
        && !single
    {
        // The page's own fields (total_items, page_number...) describe the feed,
        // not a service: nothing of the guide's is lost with them.
        let extra: Vec<&String> = page
            .keys()
            .filter(|k| !PAGE_FIELDS.contains(&k.as_str()) && k.as_str() != "contents")
            .collect();
        if !extra.is_empty() {
            messages.push(Message {
                place: format!("{shown}: /"),
                level: Level::Note,
                text: format!(
                    "not imported, as Signpost has no field for them: {}",
                    extra
                        .iter()
                        .map(|k| format!("/{k}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            });
        }
    }
    for (index, item) in list.into_iter().enumerate() {
        let pointer = if single {
            String::new()
        } else {
            format!("{base}/{index}")
        };
        match item {
            Value::Object(service) => records.push(read_service(shown, &pointer, service)),
            _ => messages.push(Message {
                place: format!("{shown}: {pointer}"),
                level: Level::Error,
                text: "expected a service (an object with `name`)".into(),
            }),
        }
    }
    Ok((records, messages))
}

/// The fields of an ORUK page that say where it stands in the feed.
const PAGE_FIELDS: &[&str] = &[
    "total_items",
    "total_pages",
    "page_number",
    "size",
    "first_page",
    "last_page",
    "empty",
];

/// Where a value is: the service's pointer and the path under it.
struct At<'a> {
    shown: &'a str,
    pointer: &'a str,
}

impl At<'_> {
    fn place(&self, path: &str) -> String {
        format!("{}: {}{}", self.shown, self.pointer, path)
    }
}

fn read_service(shown: &str, pointer: &str, service: &Map<String, Value>) -> Record {
    let at = At { shown, pointer };
    let origin = at.place(if pointer.is_empty() { "/" } else { "" });
    let mut record = Record {
        origin,
        ..Record::default()
    };
    // Where each field comes from, to report a missing one there.
    record.places = [
        ("name", "/name"),
        ("organisation", "/organization/name"),
        ("summary", "/description"),
        ("areas", "/service_areas"),
        ("needs", "/attributes"),
        ("referral", "/attributes"),
        ("contact", "/url"),
        ("last_reviewed", "/assured_date"),
    ]
    .into_iter()
    .map(|(field, path)| (field, at.place(path)))
    .collect();
    let mut used: Vec<&str> = Vec::new();
    let text_of = |key: &'static str, used: &mut Vec<&str>| -> Option<String> {
        used.push(key);
        string(service.get(key))
    };

    record.name = Some(text_of("name", &mut used).unwrap_or_default());
    if let Some(description) = text_of("description", &mut used) {
        // A short description of one paragraph is the summary; a longer one
        // is the page's text, and the summary is for the editor to write.
        if description.chars().count() <= 300 && !description.contains('\n') {
            record.summary = Some(description);
        } else {
            record.body = Some(format!("{description}\n"));
        }
    }
    record.contact.website = text_of("url", &mut used);
    record.contact.email = text_of("email", &mut used);
    record.cost = text_of("fees", &mut used)
        .or_else(|| text_of("fees_description", &mut used))
        .or_else(|| first_cost(service.get("cost_options"), &mut record.unmapped));
    if record.cost.is_some() {
        used.push("cost_options");
    }
    record.eligibility = text_of("eligibility_description", &mut used);
    if let Some(process) = text_of("application_process", &mut used) {
        let (routes, notes) = referral_routes(&process);
        record.referral_notes = notes;
        if !routes.is_empty() {
            record.referral = Some(
                routes
                    .into_iter()
                    .map(|r| Placed {
                        value: r.to_owned(),
                        place: at.place("/application_process"),
                    })
                    .collect(),
            );
        }
    }
    record.reviewer = text_of("assurer_email", &mut used);
    used.push("assured_date");
    if let Some(date) = string(service.get("assured_date")) {
        // `2026-03-31` or a date-time starting with it.
        match date.get(..10).and_then(crate::fields::parse_date) {
            Some(d) => record.last_reviewed = Some(d),
            None => record.fill(
                "last_reviewed",
                &at.place("/assured_date"),
                format!("\"{date}\" is not a date written YYYY-MM-DD"),
            ),
        }
    }
    used.push("status");
    match string(service.get("status")).as_deref() {
        None => {}
        Some("active") => record.draft = Some(false),
        Some(other) => {
            record.draft = Some(true);
            record.fill(
                "draft",
                &at.place("/status"),
                format!(
                    "the directory lists the service as \"{other}\"; publish it only once it runs"
                ),
            );
        }
    }

    used.push("organization");
    // Without one, `organisation` is reported missing for a new file and
    // kept as it is by --update.
    if let Some(Value::Object(org)) = service.get("organization") {
        record.organisation = string(org.get("name"));
        let rest = unused(org, &["name"]);
        record
            .unmapped
            .extend(rest.into_iter().map(|k| format!("/organization/{k}")));
    }

    used.push("phones");
    used.push("contacts");
    let mut numbers = Vec::new();
    phones(
        service.get("phones"),
        "/phones",
        &mut numbers,
        &mut record.unmapped,
    );
    if let Some(Value::Array(contacts)) = service.get("contacts") {
        for (i, contact) in contacts.iter().enumerate() {
            let Value::Object(contact) = contact else {
                continue;
            };
            let path = format!("/contacts/{i}");
            phones(
                contact.get("phones"),
                &format!("{path}/phones"),
                &mut numbers,
                &mut record.unmapped,
            );
            record.unmapped.extend(
                unused(contact, &["phones"])
                    .into_iter()
                    .map(|k| format!("{path}/{k}")),
            );
        }
    }
    // The first number is the service's, and its description the contact's
    // notes (as Signpost's own export writes them); others are listed.
    let mut numbers = numbers.into_iter();
    if let Some((number, _, description)) = numbers.next() {
        record.contact.phone = Some(number);
        record.contact.notes = description;
    }
    for (_, path, description) in numbers {
        record.unmapped.push(format!("{path}/number"));
        if description.is_some() {
            record.unmapped.push(format!("{path}/description"));
        }
    }

    used.push("schedules");
    read_schedules(&at, service.get("schedules"), &mut record);
    used.push("service_areas");
    read_areas(&at, service.get("service_areas"), &mut record);
    used.push("service_at_locations");
    read_locations(service.get("service_at_locations"), &mut record);
    used.push("languages");
    read_languages(service.get("languages"), &mut record);
    used.push("attributes");
    read_attributes(&at, service.get("attributes"), &mut record);

    for key in unused(service, &used) {
        record.unmapped.push(format!("/{key}"));
    }
    if !record.unmapped.is_empty() {
        // Relative to the service, so the report stays short.
        record.unmapped.sort();
    }
    record
}

/// How a woman gets in, from the words `application_process` starts with
/// (as Signpost's own export writes them: "Self-referral or professional
/// referral. Ask for..."), and the rest of the words as the referral notes.
fn referral_routes(process: &str) -> (Vec<&'static str>, Option<String>) {
    const STARTS: [(&str, &[&str]); 3] = [
        (
            "self-referral or professional referral",
            &["self", "professional"],
        ),
        ("self-referral", &["self"]),
        ("professional referral", &["professional"]),
    ];
    for (start, routes) in STARTS {
        // `get`: the input may hold any characters; a prefix that is not whole
        // characters is not a match (and no slice is cut inside one).
        let Some((head, rest)) = process.get(..start.len()).zip(process.get(start.len()..)) else {
            continue;
        };
        if head.eq_ignore_ascii_case(start) && (rest.is_empty() || rest.starts_with('.')) {
            let rest = rest.trim_start_matches('.').trim();
            let notes = (!rest.is_empty()).then(|| rest.to_owned());
            return (routes.to_vec(), notes);
        }
    }
    (Vec::new(), Some(process.to_owned()))
}

/// The first cost option's words, as the cost; the rest of the options listed.
fn first_cost(value: Option<&Value>, unmapped: &mut Vec<String>) -> Option<String> {
    let Some(Value::Array(list)) = value else {
        return None;
    };
    let Some(Value::Object(first)) = list.first() else {
        return None;
    };
    let cost = string(first.get("amount_description"))?;
    unmapped.extend(
        unused(first, &["id", "service_id", "amount_description", "amount"])
            .into_iter()
            .map(|k| format!("/cost_options/0/{k}")),
    );
    unmapped.extend((1..list.len()).map(|i| format!("/cost_options/{i}")));
    Some(cost)
}

/// The keys of `object` with a value (not null, not empty) that are not in `used`.
fn unused<'a>(object: &'a Map<String, Value>, used: &[&str]) -> Vec<&'a str> {
    object
        .iter()
        .filter(|(k, v)| !used.contains(&k.as_str()) && !is_empty(v))
        .map(|(k, _)| k.as_str())
        .collect()
}

fn is_empty(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::String(s) => s.trim().is_empty(),
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
        _ => false,
    }
}

/// A trimmed non-empty string, or a number written as text.
fn string(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn phones(
    value: Option<&Value>,
    path: &str,
    numbers: &mut Vec<(String, String, Option<String>)>,
    unmapped: &mut Vec<String>,
) {
    let Some(Value::Array(list)) = value else {
        return;
    };
    for (i, phone) in list.iter().enumerate() {
        let Value::Object(phone) = phone else {
            continue;
        };
        let here = format!("{path}/{i}");
        if let Some(number) = string(phone.get("number")) {
            numbers.push((number, here.clone(), string(phone.get("description"))));
        }
        unmapped.extend(
            unused(
                phone,
                &["number", "description", "id", "service_id", "contact_id"],
            )
            .into_iter()
            .map(|k| format!("{here}/{k}")),
        );
    }
}

const DAYS: [(&str, usize); 7] = [
    ("MO", 0),
    ("TU", 1),
    ("WE", 2),
    ("TH", 3),
    ("FR", 4),
    ("SA", 5),
    ("SU", 6),
];

/// Weekly schedules with days and times become `hours`; their words become
/// `hours_notes`; anything else (monthly, dated) is listed.
fn read_schedules(at: &At, value: Option<&Value>, record: &mut Record) {
    let Some(Value::Array(list)) = value else {
        return;
    };
    let mut hours = Vec::new();
    let mut notes = Vec::new();
    for (i, schedule) in list.iter().enumerate() {
        let Value::Object(schedule) = schedule else {
            continue;
        };
        let here = format!("/schedules/{i}");
        let mut used = vec!["id", "service_id", "description", "notes"];
        for key in ["description", "notes"] {
            if let Some(words) = string(schedule.get(key))
                && !notes.contains(&words)
            {
                notes.push(words);
            }
        }
        let weekly = matches!(
            string(schedule.get("freq")).as_deref(),
            None | Some("WEEKLY") | Some("weekly")
        ) && string(schedule.get("interval")).is_none_or(|n| n == "1");
        let days: Option<Vec<_>> = string(schedule.get("byday")).and_then(|byday| {
            byday
                .split(',')
                .map(|d| {
                    let d = d.trim();
                    // `1MO` (the first Monday) is not a weekly day.
                    DAYS.iter()
                        .find(|(code, _)| d.eq_ignore_ascii_case(code))
                        .map(|(_, n)| crate::model::Weekday::ALL[*n].1)
                })
                .collect::<Option<Vec<_>>>()
        });
        let opens = string(schedule.get("opens_at")).and_then(|t| spreadsheet::normal_time(&t));
        let closes = string(schedule.get("closes_at")).and_then(|t| spreadsheet::normal_time(&t));
        match (weekly, days, opens, closes) {
            (true, Some(mut days), Some(opens), Some(closes)) => {
                days.sort();
                days.dedup();
                hours.push(Hours {
                    days,
                    opens,
                    closes,
                });
                used.extend(["freq", "interval", "byday", "opens_at", "closes_at"]);
            }
            _ => {
                if schedule
                    .keys()
                    .any(|k| ["byday", "opens_at", "closes_at"].contains(&k.as_str()))
                {
                    record.fill(
                        "hours",
                        &at.place(&here),
                        "these opening times are not weekly days with opening and closing times; write them as hours or hours_notes",
                    );
                }
            }
        }
        record.unmapped.extend(
            unused(schedule, &used)
                .into_iter()
                .map(|k| format!("{here}/{k}")),
        );
    }
    record.hours = Some(hours);
    if !notes.is_empty() {
        record.hours_notes = Some(notes.join(" "));
    }
}

/// Each service area's name, to match to the site's areas.
fn read_areas(at: &At, value: Option<&Value>, record: &mut Record) {
    // A field the record does not have is left alone by --update.
    let Some(Value::Array(list)) = value else {
        return;
    };
    let mut areas = Vec::new();
    for (i, area) in list.iter().enumerate() {
        let Value::Object(area) = area else { continue };
        let here = format!("/service_areas/{i}");
        let (key, name) = ["name", "service_area"]
            .iter()
            .find_map(|k| string(area.get(*k)).map(|n| (*k, n)))
            .unwrap_or(("name", String::new()));
        areas.push(Placed {
            value: name,
            place: at.place(&format!("{here}/{key}")),
        });
        let mut used = vec!["id", "service_id", key];
        // The same words twice, as the standard's own example has them.
        if string(area.get("name")) == string(area.get("service_area")) {
            used.extend(["name", "service_area"]);
        }
        record.unmapped.extend(
            unused(area, &used)
                .into_iter()
                .map(|k| format!("{here}/{k}")),
        );
    }
    record.areas = Some(Areas::List(areas));
}

fn read_locations(value: Option<&Value>, record: &mut Record) {
    let Some(Value::Array(list)) = value else {
        return;
    };
    let mut locations = Vec::new();
    for (i, link) in list.iter().enumerate() {
        let Value::Object(link) = link else { continue };
        let here = format!("/service_at_locations/{i}");
        record.unmapped.extend(
            unused(link, &["id", "service_id", "location_id", "location"])
                .into_iter()
                .map(|k| format!("{here}/{k}")),
        );
        let Some(Value::Object(place)) = link.get("location") else {
            continue;
        };
        let here = format!("{here}/location");
        let used = ["id", "name", "addresses", "location_type"];
        let mut location = Location {
            name: string(place.get("name")).unwrap_or_default(),
            ..Location::default()
        };
        if let Some(Value::Array(addresses)) = place.get("addresses") {
            for (j, address) in addresses.iter().enumerate() {
                let Value::Object(address) = address else {
                    continue;
                };
                let there = format!("{here}/addresses/{j}");
                let keys = ["address_1", "address_2", "city"];
                if j == 0 {
                    let lines: Vec<String> = keys
                        .iter()
                        .filter_map(|k| string(address.get(*k)))
                        .collect();
                    location.address = (!lines.is_empty()).then(|| lines.join(", "));
                    location.postcode = string(address.get("postal_code"));
                    let mut used_here = vec!["id", "location_id", "postal_code", "address_type"];
                    used_here.extend(keys);
                    record.unmapped.extend(
                        unused(address, &used_here)
                            .into_iter()
                            .map(|k| format!("{there}/{k}")),
                    );
                } else {
                    record.unmapped.push(there);
                }
            }
        }
        if location.name.is_empty() {
            location.name = location.address.clone().unwrap_or_default();
        }
        if location.name.is_empty() {
            // Nothing to call it by: listed whole rather than guessed at.
            record.unmapped.push(here);
            continue;
        }
        record.unmapped.extend(
            unused(place, &used)
                .into_iter()
                .map(|k| format!("{here}/{k}")),
        );
        locations.push(location);
    }
    record.locations = Some(locations);
}

/// Languages by name; English, the guide's own, is not listed.
fn read_languages(value: Option<&Value>, record: &mut Record) {
    let Some(Value::Array(list)) = value else {
        return;
    };
    let mut languages = Vec::new();
    for (i, language) in list.iter().enumerate() {
        let Value::Object(language) = language else {
            continue;
        };
        let here = format!("/languages/{i}");
        match string(language.get("name")) {
            Some(name) if name.eq_ignore_ascii_case("english") => {}
            Some(name) => languages.push(name),
            None => {
                if let Some(code) = string(language.get("code")) {
                    record.unmapped.push(format!("{here}/code ({code})"));
                }
            }
        }
        record.unmapped.extend(
            unused(language, &["id", "service_id", "phone_id", "name", "code"])
                .into_iter()
                .map(|k| format!("{here}/{k}")),
        );
    }
    record.languages = Some(languages);
}

/// Taxonomy terms are the needs; the terms "Women only", "Self referral" and
/// "Professional referral" set `women_only` and `referral`.
fn read_attributes(at: &At, value: Option<&Value>, record: &mut Record) {
    let mut needs = Vec::new();
    let mut routes: Vec<Placed> = Vec::new();
    let Some(Value::Array(list)) = value else {
        return;
    };
    for (i, attribute) in list.iter().enumerate() {
        let Value::Object(attribute) = attribute else {
            continue;
        };
        let here = format!("/attributes/{i}");
        record.unmapped.extend(
            unused(
                attribute,
                &[
                    "id",
                    "link_id",
                    "link_type",
                    "link_entity",
                    "taxonomy_term_id",
                    "taxonomy_term",
                ],
            )
            .into_iter()
            .map(|k| format!("{here}/{k}")),
        );
        let Some(Value::Object(term)) = attribute.get("taxonomy_term") else {
            if let Some(id) = string(attribute.get("taxonomy_term_id")) {
                record
                    .unmapped
                    .push(format!("{here}/taxonomy_term_id ({id})"));
            }
            continue;
        };
        let (key, name) = ["name", "term", "code"]
            .iter()
            .find_map(|k| string(term.get(*k)).map(|n| (*k, n)))
            .unwrap_or(("name", String::new()));
        let folded = crate::slug::from_title(&name);
        let place = at.place(&format!("{here}/taxonomy_term/{key}"));
        match folded.as_str() {
            "women-only" | "women" => {
                record.women_only = Some(true);
                continue;
            }
            "self-referral" => {
                routes.push(Placed {
                    value: "self".into(),
                    place,
                });
                continue;
            }
            "professional-referral" => {
                routes.push(Placed {
                    value: "professional".into(),
                    place,
                });
                continue;
            }
            _ => {}
        }
        needs.push(Placed { value: name, place });
    }
    routes.sort_by_key(|r| r.value != "self");
    routes.dedup_by(|a, b| a.value == b.value);
    record.needs = Some(needs);
    if !routes.is_empty() || record.referral.is_none() {
        record.referral = Some(routes);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn referral_routes_from_the_words_signposts_export_writes() {
        assert_eq!(
            referral_routes("Self-referral or professional referral. Ask for Jo."),
            (vec!["self", "professional"], Some("Ask for Jo.".to_owned()))
        );
        assert_eq!(referral_routes("Self-referral."), (vec!["self"], None));
        assert_eq!(
            referral_routes("Professional referral"),
            (vec!["professional"], None)
        );
        assert_eq!(referral_routes("Self\u{212A}").0, Vec::<&str>::new());
        assert_eq!(
            referral_routes("\u{212A}\u{212A}\u{212A}\u{212A}\u{212A}\u{212A}\u{212A}").0,
            Vec::<&str>::new()
        );
        assert_eq!(
            referral_routes("Self-referrals are welcome."),
            (vec![], Some("Self-referrals are welcome.".to_owned()))
        );
    }

    #[test]
    fn a_single_record_a_list_and_a_page_are_all_read() {
        let one = br#"{"id": "1", "name": "One", "status": "active"}"#;
        let (records, _) = read("one.json", one).unwrap();
        assert_eq!(records.len(), 1);
        assert_eq!(records[0].origin, "one.json: /");
        let list = br#"[{"name": "A"}, 7, {"name": "B"}]"#;
        let (records, messages) = read("list.json", list).unwrap();
        assert_eq!(records.len(), 2);
        assert_eq!(records[1].origin, "list.json: /2");
        assert_eq!(messages[0].place, "list.json: /1");
        assert_eq!(messages[0].level, Level::Error);
        assert!(read("bad.json", b"\"text\"").is_err());
        assert!(read("bad.json", br#"{"contents": 3}"#).is_err());
    }

    #[test]
    fn a_location_with_nothing_to_call_it_by_is_listed_not_dropped() {
        let feed = br#"{"contents": [{"name": "A", "service_at_locations": [
            {"id": "x", "location": {"id": "l", "location_type": "virtual"}}]}]}"#;
        let (records, _) = read("f.json", feed).unwrap();
        assert_eq!(records[0].locations.as_deref(), Some(&[][..]));
        assert!(
            records[0]
                .unmapped
                .contains(&"/service_at_locations/0/location".to_owned()),
            "{:?}",
            records[0].unmapped
        );
        // Without the field at all, --update leaves the file's locations be.
        let (records, _) = read("f.json", br#"{"name": "A"}"#).unwrap();
        assert!(records[0].locations.is_none() && records[0].areas.is_none());
        assert!(records[0].needs.is_none() && records[0].organisation.is_none());
    }

    #[test]
    fn a_schedule_that_is_not_weekly_is_left_for_the_editor() {
        let feed = br#"{"name": "A", "schedules": [
            {"id": "s", "freq": "MONTHLY", "byday": "1MO", "opens_at": "10:00", "closes_at": "12:00"}]}"#;
        let (records, _) = read("f.json", feed).unwrap();
        assert_eq!(records[0].hours.as_deref().map(<[_]>::len), Some(0));
        assert_eq!(records[0].to_fill[0].field, "hours");
        assert_eq!(records[0].to_fill[0].place, "f.json: /schedules/0");
        assert!(
            records[0]
                .unmapped
                .contains(&"/schedules/0/freq".to_owned())
        );
    }
}
