//! Escaping for the places Signpost writes user text into HTML and scripts.
//! A leaf module: it depends on nothing else in the crate.

/// Escapes text for HTML content and quoted attributes. Unlike Tera's default it
/// leaves `/` alone: it needs no escaping there, and links stay readable.
pub fn escape_html(input: &str) -> String {
    let mut out = String::with_capacity(input.len() + input.len() / 8);
    let Ok(()) = escape_into(input, |piece| {
        out.push_str(piece);
        Ok::<(), std::convert::Infallible>(())
    });
    out
}

/// `escape_html` as Tera calls it, writing into the page as it renders.
pub fn write_escaped_html(input: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    escape_into(input, |piece| out.write_all(piece.as_bytes()))
}

/// Hands `input`, escaped, to `write` piece by piece. The characters to escape
/// are ASCII, so the text between them goes as whole slices rather than a
/// character at a time: Tera escapes every value a template prints.
fn escape_into<E>(input: &str, mut write: impl FnMut(&str) -> Result<(), E>) -> Result<(), E> {
    let mut copied = 0;
    for (i, byte) in input.bytes().enumerate() {
        let entity = match byte {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#x27;",
            _ => continue,
        };
        write(&input[copied..i])?;
        write(entity)?;
        copied = i + 1;
    }
    write(&input[copied..])
}

/// Serialises `value` as JSON that is safe inside a `<script>` element or a
/// `.js` file: no `<`, `>` or `&` can start a tag or end the element early,
/// and the line separators U+2028 and U+2029, which older JavaScript engines
/// take as the end of a line inside a string, are escaped too. JSON allows
/// every one of them as a `\u` escape.
pub fn json_for_script<T: serde::Serialize + ?Sized>(value: &T) -> String {
    let json = serde_json::to_string(value).unwrap_or_default();
    escape_json_for_script(json)
}

/// `json_for_script` for JSON already serialised.
pub fn escape_json_for_script(json: String) -> String {
    if !json.contains(['<', '>', '&', '\u{2028}', '\u{2029}']) {
        return json;
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

/// Serialises `value` as JSON for a `.js` file: only the line separators
/// U+2028 and U+2029 need escaping there (older JavaScript engines end a line
/// at them, inside a string too, and the whole script fails).
pub fn json_for_js_file<T: serde::Serialize + ?Sized>(value: &T) -> String {
    let json = serde_json::to_string(value).unwrap_or_default();
    if !json.contains(['\u{2028}', '\u{2029}']) {
        return json;
    }
    json.replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_but_not_slashes() {
        assert_eq!(
            escape_html("Tom & \"Jo's\" <b>/x"),
            "Tom &amp; &quot;Jo&#x27;s&quot; &lt;b&gt;/x"
        );
        assert_eq!(escape_html("café <é>’&"), "café &lt;é&gt;’&amp;");
        assert_eq!(escape_html(""), "");
        assert_eq!(escape_html("plain"), "plain");
    }

    #[test]
    fn writes_the_same_escapes_for_tera() {
        for input in ["Tom & \"Jo's\" <b>/x", "café <é>’&", "", "plain", "<<>>"] {
            let mut out = Vec::new();
            write_escaped_html(input, &mut out).unwrap();
            assert_eq!(String::from_utf8(out).unwrap(), escape_html(input));
        }
    }

    #[test]
    fn nothing_in_the_json_can_end_a_script_or_a_line() {
        let json = json_for_script("</script>&\u{2028}\u{2029}x");
        assert_eq!(json, r#""\u003c/script\u003e\u0026\u2028\u2029x""#);
        let back: String = serde_json::from_str(&json).unwrap();
        assert_eq!(back, "</script>&\u{2028}\u{2029}x");
        let js = json_for_js_file("a\u{2028}b\u{2029}<");
        assert_eq!(js, r#""a\u2028b\u2029<""#);
    }
}
