//! `check --format text|json|github`: the same problems in each form, and a
//! clean check that says what it checked.

use crate::common::{Fixture, OPEN_ROAD, SITE_YAML};

/// A site with an error that has a hint, one without, a warning and a
/// message holding `:` and `,` (which GitHub's properties must escape).
fn broken() -> Fixture {
    let site = Fixture::new();
    site.edit(
        "content/services/open-road.md",
        "needs: [housing]",
        "needs: [housng]",
    );
    site.edit(
        "content/services/open-road.md",
        "phone: 01206 500585",
        "phone: call us, ask for Jo",
    );
    site.edit(
        "content/services/national-domestic-abuse-helpline.md",
        "last_reviewed: 2026-09-01",
        "last_reviewed: 2024-01-01",
    );
    site.write(
        "content/services/a,b.md",
        &OPEN_ROAD.replace("essex", "esex"),
    );
    site
}

/// Undoes GitHub's escapes, `%25` last so that an escaped `%0A` stays as written.
fn unescape(s: &str) -> String {
    s.replace("%0D", "\r")
        .replace("%0A", "\n")
        .replace("%3A", ":")
        .replace("%2C", ",")
        .replace("%25", "%")
}

#[test]
fn github_commands_read_back_as_the_text_lines() {
    let site = broken();
    let text = site.run(&["check"]);
    assert_eq!(text.code, 1, "{}", text.stderr);
    assert!(text.stdout.is_empty(), "text goes to standard error");
    let expected = text.diagnostics();
    assert!(expected.len() >= 4, "{}", text.stderr);

    let github = site.run(&["check", "--format", "github"]);
    assert_eq!(github.code, 1);
    let mut read_back = Vec::new();
    for line in github.stdout.lines() {
        // Properties are escaped, so the first `::` after the command ends them.
        let (command, message) = line
            .strip_prefix("::")
            .and_then(|l| l.split_once("::"))
            .unwrap_or_else(|| panic!("not a workflow command: {line}"));
        let (severity, properties) = command.split_once(' ').unwrap_or((command, ""));
        let mut place = String::new();
        for property in properties.split(',').filter(|p| !p.is_empty()) {
            let (key, value) = property.split_once('=').expect("key=value");
            match key {
                "file" => place = format!("{}:", unescape(value)),
                "line" | "col" => place.push_str(&format!("{value}:")),
                other => panic!("unexpected property {other}"),
            }
        }
        let place = if place.is_empty() { place } else { place + " " };
        read_back.push(format!("{place}{severity}: {}", unescape(message)));
    }
    assert_eq!(read_back, expected);
    assert!(
        github.stdout.contains("file=content/services/a%2Cb.md,"),
        "{}",
        github.stdout
    );
}

#[test]
fn json_lines_carry_each_field_and_the_text_form() {
    let site = broken();
    let expected = site.run(&["check"]);
    let json = site.run(&["check", "--format", "json"]);
    assert_eq!(json.code, 1);
    let objects: Vec<serde_json::Value> = json
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    let texts: Vec<&str> = objects.iter().filter_map(|o| o["text"].as_str()).collect();
    assert_eq!(texts, expected.diagnostics());
    let need = objects
        .iter()
        .find(|o| o["message"] == "unknown need \"housng\"")
        .expect("the need's error, with its hint split off");
    assert_eq!(need["file"], "content/services/open-road.md");
    assert_eq!(need["line"], 6);
    assert_eq!(need["column"], 9);
    assert_eq!(need["severity"], "error");
    assert_eq!(need["hint"], "did you mean \"housing\"?");
    let stale = objects
        .iter()
        .find(|o| o["severity"] == "warning")
        .expect("the stale review");
    assert!(stale.get("hint").is_none() || stale["hint"].is_string());
    // The count stays on standard error, for the person reading the log.
    assert!(json.stderr.contains("error"), "{}", json.stderr);
}

#[test]
fn a_clean_check_says_what_it_checked() {
    let site = Fixture::new();
    site.write(
        "content/site.yaml",
        &format!("{SITE_YAML}base_url: https://guide.example.org/\n"),
    );
    let run = site.check();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stderr.trim(),
        "No problems found in 2 services, 1 pathway, 1 case study, 2 pages, 2 areas and the theme's templates."
    );
    let json = site.run(&["check", "--format", "json"]);
    assert_eq!(json.code, 0);
    assert!(
        json.stdout.is_empty(),
        "no problems, no lines: {}",
        json.stdout
    );
}
