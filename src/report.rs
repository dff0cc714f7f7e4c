//! How `check` reports what it found, for people and for tools: `text` (the
//! compiler-like lines of SPEC §2), `json` (JSON Lines, one object per
//! problem) and `github` (GitHub Actions workflow commands, which put each
//! problem on the line it belongs to in a pull request). docs/checking.md
//! shows each.

use crate::diagnostics::{Diagnostic, Severity};

/// The forms `check --format` can write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Format {
    /// `file:line:col: error: message`, on standard error
    #[default]
    Text,
    /// One JSON object per problem per line (JSON Lines), on standard output
    Json,
    /// GitHub Actions workflow commands (`::error file=...::...`), on standard output
    Github,
}

/// The start of the warning for each file not translated into a language
/// yet (`translate`), by which `build` folds them.
pub const NOT_TRANSLATED: &str = "not translated into ";

/// For `build`: the warnings that a file is not translated yet, a handful per
/// language and then one line with how many more, so that a guide
/// published in Welsh with a few pages still to translate does not bury its
/// other problems. `check` lists every one (`check --strict` fails on them).
pub fn fold_untranslated(diags: Vec<Diagnostic>, shown: usize) -> Vec<Diagnostic> {
    let language = |d: &Diagnostic| {
        let rest = d.message.strip_prefix(NOT_TRANSLATED)?;
        (d.severity == Severity::Warning).then(|| rest.split(' ').next().unwrap_or(rest).to_owned())
    };
    let mut seen: std::collections::BTreeMap<String, usize> = Default::default();
    let mut out = Vec::with_capacity(diags.len());
    for d in diags {
        match language(&d) {
            Some(lang) => {
                let n = seen.entry(lang).or_default();
                *n += 1;
                if *n <= shown {
                    out.push(d);
                }
            }
            None => out.push(d),
        }
    }
    for (lang, n) in seen.into_iter().filter(|(_, n)| *n > shown) {
        out.push(Diagnostic {
            severity: Severity::Warning,
            file: None,
            pos: None,
            message: format!(
                "{NOT_TRANSLATED}{lang} yet: {} more files; `signpost check` lists them all",
                n - shown
            ),
        });
    }
    out
}

/// One diagnostic in the chosen form, without a line ending.
pub fn format(d: &Diagnostic, format: Format) -> String {
    match format {
        Format::Text => d.to_string(),
        Format::Json => json(d),
        Format::Github => github(d),
    }
}

fn severity_word(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

/// The problem and the advice on fixing it, where a message has both in a
/// form that splits cleanly: a closing ` (did you mean "x"?)`, or the text
/// after the first "; ". Otherwise the whole message, and no hint.
pub fn split_hint(message: &str) -> (&str, Option<&str>) {
    if let Some(start) = message.find(" (did you mean ")
        && message.ends_with("?)")
    {
        let hint = &message[start + 2..message.len() - 1];
        // Only when the parenthesis is the last thing in the message; a
        // suggestion followed by more words stays whole.
        if !hint.contains(')') {
            return (&message[..start], Some(hint));
        }
    }
    match message.split_once("; ") {
        Some((problem, hint)) if !problem.is_empty() && !hint.is_empty() => (problem, Some(hint)),
        _ => (message, None),
    }
}

/// `{"file":..., "line":..., "column":..., "severity":..., "message":...,
/// "hint":..., "text":...}`; `file`, `line` and `column` are `null` where the
/// problem has no place, `hint` is left out where there is none, and `text` is
/// the whole line as `--format text` writes it.
fn json(d: &Diagnostic) -> String {
    let (message, hint) = split_hint(&d.message);
    let mut object = serde_json::Map::new();
    object.insert("file".into(), d.file.clone().into());
    object.insert("line".into(), d.pos.map(|p| p.line).into());
    object.insert("column".into(), d.pos.map(|p| p.column).into());
    object.insert("severity".into(), severity_word(d.severity).into());
    object.insert("message".into(), message.into());
    if let Some(hint) = hint {
        object.insert("hint".into(), hint.into());
    }
    object.insert("text".into(), d.to_string().into());
    serde_json::Value::Object(object).to_string()
}

/// `::error file=F,line=L,col=C::message`, the whole message, escaped as
/// GitHub's own toolkit does (actions/toolkit, `command.ts`), so a newline or
/// a `%` in it cannot end the command early or start another.
fn github(d: &Diagnostic) -> String {
    let mut properties = Vec::new();
    if let Some(file) = &d.file {
        properties.push(format!("file={}", escape_property(file)));
        if let Some(pos) = d.pos {
            properties.push(format!("line={}", pos.line));
            properties.push(format!("col={}", pos.column));
        }
    }
    let space = if properties.is_empty() { "" } else { " " };
    format!(
        "::{}{space}{}::{}",
        severity_word(d.severity),
        properties.join(","),
        escape_data(&d.message)
    )
}

/// A workflow command's message: `%`, CR and LF.
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A workflow command's property value: as the message, and `:` and `,`,
/// which would otherwise end the value.
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// What a clean `check` checked, for the line that says so.
#[derive(Debug, Clone, Copy, Default)]
pub struct Checked {
    pub services: usize,
    pub pathways: usize,
    pub case_studies: usize,
    pub pages: usize,
    pub areas: usize,
}

impl Checked {
    pub fn of(site: &crate::model::Site) -> Checked {
        Checked {
            services: site.services.len(),
            pathways: site.pathways.len(),
            case_studies: site.case_studies.len(),
            pages: site.pages.len(),
            areas: site.areas.len(),
        }
    }

    /// "No problems found in 2 services, 1 pathway, ... and the theme."
    pub fn summary(&self) -> String {
        let count =
            |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        format!(
            "No problems found in {}, {}, {}, {}, {} and the theme's templates.",
            count(self.services, "service", "services"),
            count(self.pathways, "pathway", "pathways"),
            count(self.case_studies, "case study", "case studies"),
            count(self.pages, "page", "pages"),
            count(self.areas, "area", "areas"),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Pos;

    #[test]
    fn build_folds_untranslated_files_to_a_few_per_language() {
        let untranslated = |file: &str, lang: &str| Diagnostic {
            severity: Severity::Warning,
            file: Some(file.to_owned()),
            pos: None,
            message: format!("{NOT_TRANSLATED}{lang} yet: its {lang} page shows this text"),
        };
        let mut diags: Vec<Diagnostic> = (0..5)
            .map(|i| untranslated(&format!("content/services/s{i}.md"), "cy"))
            .collect();
        diags.push(untranslated("content/areas/a.md", "ar"));
        diags.push(diag("something else"));
        let folded = fold_untranslated(diags, 2);
        let lines: Vec<String> = folded.iter().map(|d| d.to_string()).collect();
        assert_eq!(
            lines,
            [
                "content/services/s0.md: warning: not translated into cy yet: its cy page shows this text",
                "content/services/s1.md: warning: not translated into cy yet: its cy page shows this text",
                "content/areas/a.md: warning: not translated into ar yet: its ar page shows this text",
                "content/services/a,b:c.md:7:3: error: something else",
                "warning: not translated into cy yet: 3 more files; `signpost check` lists them all",
            ]
        );
    }

    fn diag(message: &str) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            file: Some("content/services/a,b:c.md".into()),
            pos: Some(Pos::new(7, 3)),
            message: message.into(),
        }
    }

    #[test]
    fn hints_split_only_where_clean() {
        assert_eq!(
            split_hint("unknown need \"housng\" (did you mean \"housing\"?)"),
            ("unknown need \"housng\"", Some("did you mean \"housing\"?"))
        );
        assert_eq!(
            split_hint("`phone` should be one phone number; put any words in `notes`"),
            (
                "`phone` should be one phone number",
                Some("put any words in `notes`")
            )
        );
        let middle = "unknown day \"thurz\" (did you mean \"thu\"?): use mon, tue";
        assert_eq!(split_hint(middle), (middle, None));
        assert_eq!(split_hint("no base_url"), ("no base_url", None));
    }

    #[test]
    fn github_commands_escape_data_and_properties() {
        let line = format(&diag("50% done\r\nnext: a, b"), Format::Github);
        assert_eq!(
            line,
            "::error file=content/services/a%2Cb%3Ac.md,line=7,col=3::50%25 done%0D%0Anext: a, b"
        );
        let general = Diagnostic {
            severity: Severity::Warning,
            file: None,
            pos: None,
            message: "no base_url".into(),
        };
        assert_eq!(format(&general, Format::Github), "::warning::no base_url");
    }

    #[test]
    fn json_lines_have_every_field() {
        let line = format(
            &diag("unknown need \"x\" (did you mean \"y\"?)"),
            Format::Json,
        );
        let v: serde_json::Value = serde_json::from_str(&line).expect("json");
        assert_eq!(v["line"], 7);
        assert_eq!(v["column"], 3);
        assert_eq!(v["severity"], "error");
        assert_eq!(v["message"], "unknown need \"x\"");
        assert_eq!(v["hint"], "did you mean \"y\"?");
        assert!(!line.contains('\n'));
    }
}
