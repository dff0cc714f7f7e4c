//! YAML syntax errors in plain words, with what to do. The parser says
//! "mapping values are not allowed in this context"; an editor needs "a colon
//! followed by a space ends the text early: put the text in double quotes",
//! and the line to write. The advice follows "; " so that `check --format
//! json` gives it as the hint (`report::split_hint`).
//!
//! Each rule looks at the parser's message and at the line it points to (or
//! the one above, where the mistake usually is); a message no rule knows is
//! passed on as the parser said it.

use crate::diagnostics::Pos;

/// The parser's `message` at `pos` (line 1-based in `text`, column 1-based),
/// as an editor can act on it, and the place to point at (sometimes the line
/// above, where the mistake is).
pub fn explain(message: &str, text: &str, pos: Pos) -> (Pos, String) {
    let lines: Vec<&str> = text.lines().collect();
    let line = |n: usize| lines.get(n.wrapping_sub(1)).copied().unwrap_or("");
    let here = line(pos.line);
    // The nearest line above with something on it (not a comment).
    let above = (1..pos.line)
        .rev()
        .find(|&n| !line(n).trim().is_empty() && !line(n).trim_start().starts_with('#'));
    let at_line = |n: usize| Pos::new(n, indent_of(line(n)) + 1);

    if message.contains("tab") || here.starts_with('\t') || here.contains(":\t") {
        // The parser may stop on the line before the tab, or after it.
        let n = [pos.line, pos.line + 1]
            .into_iter()
            .chain((1..pos.line).rev())
            .find(|&n| line(n).contains('\t'))
            .unwrap_or(pos.line);
        return (
            at_line(n),
            "this line has a tab in it; indent with spaces only (a tab and a space look alike, but YAML reads only spaces)".to_owned(),
        );
    }
    if message.contains("mapping values are not allowed") {
        if let Some((key, value)) = field(here)
            && value.contains(": ")
            && !value.starts_with(['"', '\''])
        {
            return (
                Pos::new(pos.line, indent_of(here) + 1),
                format!(
                    "the text of `{key}` has a colon followed by a space, which YAML reads as the start of another field; put the text in double quotes: `{key}: {}`",
                    quoted(value)
                ),
            );
        }
        // `key:value` above, with no space after its colon, swallows this line.
        if let Some(n) = above
            && let Some((k, v)) = line(n).trim().split_once(':')
            && is_field_name(k)
            && !v.is_empty()
            && !v.starts_with([' ', '\t'])
        {
            return (
                at_line(n),
                format!(
                    "`{k}` needs a space after its colon; write `{k}: {}`",
                    v.trim()
                ),
            );
        }
        if let Some(n) = above
            && indent_of(here) > indent_of(line(n))
        {
            return (
                at_line(pos.line),
                format!(
                    "this line starts further in than the line above it, so it reads as part of it; start it where line {n} starts, or, if it continues that text, put the whole text in double quotes on one line"
                ),
            );
        }
    }
    if let Some(found) = message.strip_prefix("unexpected character: `") {
        let c = match found.trim_end_matches('\'') {
            "`" => "a backquote".to_owned(),
            c => format!("`{c}`"),
        };
        if let Some((key, value)) = field(here) {
            return (
                pos,
                format!(
                    "text cannot start with {c} unless it is in quotes; put the text in double quotes: `{key}: {}`",
                    quoted(value)
                ),
            );
        }
        return (
            pos,
            format!(
                "text cannot start with {c} unless it is in quotes; put the text in double quotes"
            ),
        );
    }
    if message.contains("trailing content after")
        && let Some((key, value)) = field(here)
    {
        let advice = if value.starts_with('\'') {
            format!(
                "the text in single quotes ends at the apostrophe inside it; put the text in double quotes instead: `{key}: {}`",
                quoted(unquote(value, '\''))
            )
        } else {
            format!(
                "the text in double quotes ends at the next double quote, and more follows; inside double quotes write each `\"` as `\\\"`, or put the text in single quotes: `{key}: '{}'`",
                unquote(value, '"').replace('\'', "''")
            )
        };
        return (pos, advice);
    }
    if message.contains("quoted scalar") || message.contains("end of stream") {
        let open = (1..=pos.line)
            .rev()
            .find(|&n| field(line(n)).is_some_and(|(_, v)| v.starts_with(['"', '\''])));
        if let Some(n) = open {
            return (
                at_line(n),
                "the quote that opens this text is never closed; end the text with the same quote mark, on the same line".to_owned(),
            );
        }
    }
    // `summary: |` (or `>`) starts text on the lines below, which must be indented.
    let block_start = (1..=pos.line)
        .rev()
        .find(|&n| field(line(n)).is_some_and(|(_, v)| v.starts_with(['|', '>']) && v.len() <= 3));
    if let Some(n) = block_start
        && let Some((key, value)) = field(line(n))
        && !line(n + 1).trim().is_empty()
        && indent_of(line(n + 1)) <= indent_of(line(n))
    {
        return (
            at_line(n + 1),
            format!(
                "the text after `{key}: {value}` goes on the lines below it, each indented by two spaces more than `{key}`"
            ),
        );
    }
    // Text that YAML reads as the start of something else: a list item (`- `),
    // a set of fields (`{`), an alias (`*`).
    let special = [
        ("block sequence entries are not allowed", "- "),
        ("expected ',' or '}'", "{"),
        ("unknown anchor", "*"),
    ];
    for (said, start) in special {
        if !message.contains(said) {
            continue;
        }
        let n = (1..=pos.line)
            .rev()
            .find(|&n| field(line(n)).is_some_and(|(_, v)| v.starts_with(start)));
        if let Some(n) = n
            && let Some((key, value)) = field(line(n))
        {
            return (
                at_line(n),
                format!(
                    "text cannot start with `{}` unless it is in quotes; put the text in double quotes: `{key}: {}`",
                    start.trim_end(),
                    quoted(value)
                ),
            );
        }
    }
    if message.contains("simple key expect ':'")
        && let Some(n) = (1..pos.line)
            .rev()
            .find(|&n| !line(n).trim().is_empty() && !line(n).contains(':'))
    {
        return (
            at_line(n),
            format!(
                "this line has no colon; every field is written `name: value`, as in `{}: ...`",
                line(n).split_whitespace().next().unwrap_or("name")
            ),
        );
    }
    if message.contains("expected ',' or ']'") || message.contains("illegal placement of ':'") {
        let open = (1..=pos.line).rev().find(|&n| line(n).contains('['));
        if let Some(n) = open {
            return (
                at_line(n),
                "a list in square brackets must end with `]` on the same line, as in `needs: [housing, mental-health]`".to_owned(),
            );
        }
    }
    if message.contains("did not find expected key")
        || message.contains("did not find expected '-'")
    {
        return (
            at_line(pos.line),
            "this line does not line up with the lines around it; fields of one thing start at the same place, and each item of a list starts with `- ` at the same place".to_owned(),
        );
    }
    (
        pos,
        format!(
            "YAML syntax: {message}; check this line and the one above it (docs/content-format.md shows how each field is written)"
        ),
    )
}

/// `name: value` on a line: the name and the value, trimmed (empty when none).
fn field(line: &str) -> Option<(&str, &str)> {
    let trimmed = line.trim_start().trim_start_matches("- ");
    let (key, value) = trimmed.split_once(':')?;
    if !is_field_name(key) {
        return None;
    }
    let value = value.trim();
    // A comment after the value is not part of it.
    let value = match value.find(" #") {
        Some(at) if !value.starts_with(['"', '\'']) => value[..at].trim_end(),
        _ => value,
    };
    Some((key, value))
}

fn is_field_name(key: &str) -> bool {
    !key.is_empty() && key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start_matches([' ', '\t']).len()
}

/// `value` without one `quote` mark at each end.
fn unquote(value: &str, quote: char) -> &str {
    let value = value.strip_prefix(quote).unwrap_or(value);
    value.strip_suffix(quote).unwrap_or(value)
}

/// `text` in double quotes, with any `"` or `\` in it escaped.
fn quoted(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_message_no_rule_knows_is_passed_on_with_where_to_look() {
        let (pos, message) = explain("something new", "name: x\n", Pos::new(1, 3));
        assert_eq!(pos, Pos::new(1, 3));
        assert!(
            message.starts_with("YAML syntax: something new; "),
            "{message}"
        );
    }

    #[test]
    fn a_comment_after_a_value_is_not_quoted_into_the_advice() {
        let text = "name: Essex\ncouncil: Essex: the council # ask Jo\n";
        let (_, message) = explain(
            "mapping values are not allowed in this context",
            text,
            Pos::new(2, 15),
        );
        assert!(
            message.ends_with("`council: \"Essex: the council\"`"),
            "{message}"
        );
    }

    #[test]
    fn text_that_starts_like_a_list_a_mapping_or_an_alias_is_quoted() {
        for (said, line, expected) in [
            (
                "block sequence entries are not allowed in this context",
                "summary: - a",
                "`summary: \"- a\"`",
            ),
            (
                "while parsing a flow mapping, did not find expected ',' or '}'",
                "summary: {a",
                "`summary: \"{a\"`",
            ),
            (
                "while parsing node, found unknown anchor",
                "summary: *x",
                "`summary: \"*x\"`",
            ),
        ] {
            let text = format!("name: Essex\n{line}\n");
            let (pos, message) = explain(said, &text, Pos::new(3, 1));
            assert_eq!(pos, Pos::new(2, 1), "{message}");
            assert!(message.ends_with(expected), "{message}");
        }
    }

    #[test]
    fn text_under_a_bar_must_be_indented() {
        let text = "name: Essex\nsummary: |\nfoo\n";
        let (pos, message) = explain("simple key expect ':'", text, Pos::new(4, 1));
        assert_eq!(pos.line, 3, "{message}");
        assert!(message.contains("indented by two spaces"), "{message}");
        // Indented as it should be, the rule stays quiet.
        let text = "summary: |\n  foo\nname x\n";
        let (_, message) = explain("simple key expect ':'", text, Pos::new(4, 1));
        assert!(message.starts_with("this line has no colon"), "{message}");
    }

    #[test]
    fn quotes_inside_the_text_are_escaped_in_the_advice() {
        assert_eq!(quoted("She said \"hi\""), "\"She said \\\"hi\\\"\"");
        assert_eq!(unquote("'It''s'", '\''), "It''s");
    }
}
