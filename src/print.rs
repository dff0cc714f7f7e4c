//! What a printed guide carries besides its content: a QR code to the area's
//! online guide, drawn here as SVG (no request to any service), and the
//! stylesheet that puts the running footer's words on every printed page.
//!
//! The footer itself is CSS paged media in the theme (`@page` margin boxes,
//! which Chromium prints): page numbers are `counter(page)`, and the words
//! that differ per area come from custom properties set in the area's
//! `print/footer.css`, written here. A theme's stylesheet is shared by every
//! area, and the Content-Security-Policy forbids inline styles, so a small
//! file per area is how those words reach the page margins.

use qrcode::{Color, EcLevel, QrCode};

use crate::model::Site;
use crate::urls;

/// The published address of an area's guide, when the site has a `base_url`.
pub fn guide_address(site: &Site, area: &str) -> Option<String> {
    site.config
        .base_url
        .as_deref()
        .map(|base| format!("{base}{}", urls::area(area)))
}

/// A QR code for `text` as an SVG image, `size_mm` wide: `draw(text)`, then
/// `QrDrawing::svg`. `None` when `text` is too long for any QR code.
pub fn qr_svg(text: &str, size_mm: u32, label: &str) -> Option<String> {
    Some(draw(text)?.svg(size_mm, label))
}

/// A QR code's modules as one SVG path, drawn once and shown at any size:
/// choosing the code's mask costs more than the rest of an area's footer.
#[derive(Debug, Clone)]
pub struct QrDrawing {
    /// Modules per side, with the quiet zone.
    side: usize,
    path: String,
}

/// Draws a QR code for `text`, with the four-module quiet zone scanners
/// need. Error correction level M (15%): a printed page gets creased and
/// scribbled on. `None` when `text` is too long for any QR code (about 2,300
/// bytes at level M: no guide's address is that long).
pub fn draw(text: &str) -> Option<QrDrawing> {
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M).ok()?;
    let width = code.width();
    let quiet = 4;
    // One path of unit squares, a row's run of dark modules as one rectangle.
    let mut path = String::new();
    for (y, row) in code.to_colors().chunks(width).enumerate() {
        let mut x = 0;
        while x < width {
            if row[x] == Color::Dark {
                let start = x;
                while x < width && row[x] == Color::Dark {
                    x += 1;
                }
                path.push_str(&format!(
                    "M{} {}h{}v1h-{}z",
                    start + quiet,
                    y + quiet,
                    x - start,
                    x - start
                ));
            } else {
                x += 1;
            }
        }
    }
    Some(QrDrawing {
        side: width + 2 * quiet,
        path,
    })
}

impl QrDrawing {
    /// The code as an SVG image `size_mm` wide. With an empty `label` the
    /// image is hidden from screen readers (for when the address is written
    /// beside it).
    pub fn svg(&self, size_mm: u32, label: &str) -> String {
        let name = if label.is_empty() {
            r#"aria-hidden="true""#.to_owned()
        } else {
            format!(
                r#"role="img" aria-label="{}""#,
                crate::html::escape_html(label)
            )
        };
        let (side, path) = (self.side, &self.path);
        format!(
            r##"<svg xmlns="http://www.w3.org/2000/svg" class="qr-code" viewBox="0 0 {side} {side}" width="{size_mm}mm" height="{size_mm}mm" {name} shape-rendering="crispEdges"><rect width="{side}" height="{side}" fill="#fff"/><path d="{path}" fill="#000"/></svg>"##
        )
    }
}

/// The running footer's words, in the language of the printed page.
pub struct FooterWords {
    /// The day the guide was built, in words.
    pub built: String,
    /// Before the page number: "Page ".
    pub page: String,
    /// Between the page number and the count: " of ".
    pub of: String,
    /// Before the build date: "Information as of ".
    pub as_of: String,
}

/// An area's `print/footer.css`: the running footer's words for its printed
/// pages, as custom properties the theme's `@page` rules read.
/// `--print-built` is the day the guide was built (in words), shown until the
/// theme's script sets `--print-date`, the day it is printed;
/// `--print-address` and `--print-qr` are set only with a `base_url`.
/// `qr_svg` is the code to the area's guide (`qr_svg(address, 16, "")`), made
/// once per area by the caller.
pub fn footer_css(
    words: &FooterWords,
    address: Option<&str>,
    qr_svg: Option<&str>,
    out: &mut String,
) {
    out.push_str(
        "/* The running footer of this area's printed guide, written by Signpost. */\n:root {\n",
    );
    let mut property = |name: &str, value: &str| {
        out.push_str(&format!("  --print-{name}: {};\n", css_string(value)));
    };
    property("built", &words.built);
    property("page-label", &words.page);
    property("of", &words.of);
    property("as-of", &words.as_of);
    if let Some(address) = address {
        property("address", address);
    }
    if let Some(svg) = qr_svg {
        let data = percent_encoding::utf8_percent_encode(svg, percent_encoding::NON_ALPHANUMERIC);
        out.push_str(&format!(
            "  --print-qr: url(\"data:image/svg+xml,{data}\");\n"
        ));
    }
    out.push_str("}\n");
}

/// `text` as a CSS string: quoted, with quotes, backslashes and line breaks escaped.
fn css_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            // A line break ends a CSS string: write it as an escape (with the
            // space that ends a hex escape).
            '\n' | '\r' | '\u{c}' => out.push_str(&format!("\\{:x} ", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The modules of a drawn QR code, read back from its path.
    fn dark_modules(svg: &str) -> std::collections::BTreeSet<(usize, usize)> {
        let path = svg.split("d=\"").nth(1).unwrap().split('"').next().unwrap();
        let mut dark = std::collections::BTreeSet::new();
        for part in path.split('M').filter(|p| !p.is_empty()) {
            let (xy, rest) = part.split_once('h').unwrap();
            let (x, y) = xy.split_once(' ').unwrap();
            let run: usize = rest.split_once('v').unwrap().0.parse().unwrap();
            let (x, y): (usize, usize) = (x.parse().unwrap(), y.parse().unwrap());
            for dx in 0..run {
                dark.insert((x + dx, y));
            }
        }
        dark
    }

    #[test]
    fn the_qr_code_draws_every_dark_module_of_the_encoder_and_no_other() {
        let text = "https://signpost.example.org/essex/";
        let code = QrCode::with_error_correction_level(text, EcLevel::M).unwrap();
        let width = code.width();
        let expected: std::collections::BTreeSet<(usize, usize)> = code
            .to_colors()
            .iter()
            .enumerate()
            .filter(|(_, c)| **c == Color::Dark)
            .map(|(i, _)| (i % width + 4, i / width + 4))
            .collect();
        let svg = qr_svg(text, 30, "QR code").unwrap();
        assert_eq!(dark_modules(&svg), expected);
        let side = width + 8;
        assert!(
            svg.contains(&format!("viewBox=\"0 0 {side} {side}\"")),
            "{svg}"
        );
        assert!(svg.contains("width=\"30mm\""), "{svg}");
    }

    #[test]
    fn the_qr_code_label_is_escaped_and_too_long_a_text_has_no_code() {
        let svg = qr_svg("x", 10, "a \"b\" <c>").unwrap();
        assert!(
            svg.contains("aria-label=\"a &quot;b&quot; &lt;c&gt;\""),
            "{svg}"
        );
        assert!(
            qr_svg("x", 10, "")
                .unwrap()
                .contains("aria-hidden=\"true\"")
        );
        assert_eq!(qr_svg(&"x".repeat(5000), 10, ""), None);
    }

    #[test]
    fn css_strings_escape_what_would_end_them() {
        assert_eq!(css_string("plain"), "\"plain\"");
        assert_eq!(css_string("a\"b\\c\nd"), "\"a\\\"b\\\\c\\a d\"");
    }
}
