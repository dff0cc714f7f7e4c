//! Reading content files as text, and splitting off their front matter.

use std::path::Path;

use crate::diagnostics::Pos;

/// Content files larger than this are refused: no guide entry comes near it, and a
/// mistaken paste of a video or a database dump should not stall the build.
pub const MAX_FILE_BYTES: u64 = 2 * 1024 * 1024;

/// Decodes a file's bytes as UTF-8 text, dropping a byte-order mark and turning CRLF
/// and lone CR line endings into LF (positions stay the same: a line ends where
/// the editor showed it end).
///
/// Characters no page can carry are refused, each at its place: control
/// characters other than tab and the line endings, and a byte-order mark in the
/// middle of the file (two files pasted together), which would otherwise
/// surface as a baffling YAML error.
pub fn decode(bytes: &[u8]) -> Result<String, Vec<(Pos, String)>> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Some(at) = bytes.iter().position(|&b| b == 0) {
        return Err(vec![(
            position_of_byte(bytes, at),
            "this looks like a binary file, not text (it contains a NUL byte)".into(),
        )]);
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            return Err(vec![(
                position_of_byte(bytes, e.valid_up_to()),
                "the file is not valid UTF-8 text; save it as UTF-8 (in Word: \"Plain text\", encoding \"Unicode (UTF-8)\")".into(),
            )]);
        }
    };
    let text = if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text.to_owned()
    };
    let mut problems = Vec::new();
    if !may_hold_unpublishable(text.as_bytes()) {
        return Ok(text);
    }
    let (mut line, mut column) = (1, 1);
    for c in text.chars() {
        if c == '\u{feff}' {
            problems.push((
                Pos::new(line, column),
                "a byte-order mark (an invisible U+FEFF) in the middle of the file, often left where two files were pasted together; delete it".into(),
            ));
        } else if c != '\n' && c != '\t' && c.is_control() {
            problems.push((
                Pos::new(line, column),
                format!(
                    "an invisible control character (U+{:04X}) that cannot be published; delete it",
                    c as u32
                ),
            ));
        }
        if c == '\n' {
            line += 1;
            column = 1;
        } else {
            column += 1;
        }
    }
    if problems.is_empty() {
        Ok(text)
    } else {
        Err(problems)
    }
}

/// Whether UTF-8 `bytes` may hold a character `decode` refuses: a C0 control
/// other than tab and the line endings, DEL, a C1 control (its UTF-8 starts
/// 0xC2 0x80..0x9F) or U+FEFF (0xEF 0xBB 0xBF). A byte scan, so that the
/// character-by-character walk, which counts lines and columns for the
/// message, runs only on the rare file that needs it.
fn may_hold_unpublishable(bytes: &[u8]) -> bool {
    bytes.iter().enumerate().any(|(i, &b)| match b {
        b'\t' | b'\n' | b'\r' => false,
        0..=0x1f | 0x7f => true,
        0xc2 => bytes.get(i + 1).is_some_and(|n| (0x80..=0x9f).contains(n)),
        0xef => bytes.get(i + 1) == Some(&0xbb) && bytes.get(i + 2) == Some(&0xbf),
        _ => false,
    })
}

/// The line and column of a byte offset, counting characters in the valid text before it.
fn position_of_byte(bytes: &[u8], offset: usize) -> Pos {
    let before = String::from_utf8_lossy(&bytes[..offset]);
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    Pos::new(line, column)
}

/// A Markdown file split into its YAML front matter and its body.
#[derive(Debug, PartialEq)]
pub struct Split<'a> {
    pub front_matter: &'a str,
    /// The file line on which the front matter's first line stands.
    pub front_matter_line: usize,
    pub body: &'a str,
}

/// Splits `---\nYAML\n---\nbody`. The front matter must open on the first line.
pub fn split_front_matter(text: &str) -> Result<Split<'_>, (Pos, String)> {
    let mut lines = text.split_inclusive('\n');
    let first = lines.next().unwrap_or("");
    if first.trim_end() != "---" {
        return Err((
            Pos::new(1, 1),
            "the file must start with front matter: a line `---`, the fields in YAML, then another line `---`".into(),
        ));
    }
    let start = first.len();
    let mut offset = start;
    for line in lines {
        if line.trim_end() == "---" {
            return Ok(Split {
                front_matter: &text[start..offset],
                front_matter_line: 2,
                body: &text[offset + line.len()..],
            });
        }
        offset += line.len();
    }
    Err((
        Pos::new(1, 1),
        "the front matter is not closed: add a line `---` after the last field".into(),
    ))
}

/// Editors' temporary and backup files, which are never content.
pub fn is_ignored(name: &str) -> bool {
    name.starts_with('.') || name.ends_with('~') || name.ends_with(".swp") || name.ends_with(".tmp")
}

/// Reads a content file, refusing anything that is not a regular file of at
/// most `MAX_FILE_BYTES`. A FIFO would block the build forever and a device
/// could be read until memory runs out, so the file is opened without
/// blocking and checked again through its open handle (it may have been
/// swapped since it was listed), and never more than the cap is read.
pub fn read_regular_file(path: &Path) -> Result<Vec<u8>, String> {
    use std::io::Read;
    use std::os::unix::fs::OpenOptionsExt;
    let too_big = |len: u64| {
        format!(
            "the file is {} MB; content files must be under {} MB",
            len / 1_000_000,
            MAX_FILE_BYTES / 1_000_000
        )
    };
    let meta = std::fs::symlink_metadata(path).map_err(|e| format!("cannot read: {e}"))?;
    if !meta.is_file() {
        return Err(not_a_regular_file(meta.file_type()));
    }
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK | libc::O_NOFOLLOW)
        .open(path)
        .map_err(|e| format!("cannot read: {e}"))?;
    let meta = file.metadata().map_err(|e| format!("cannot read: {e}"))?;
    if !meta.is_file() {
        return Err(not_a_regular_file(meta.file_type()));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(too_big(meta.len()));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read: {e}"))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(too_big(bytes.len() as u64));
    }
    Ok(bytes)
}

/// Says what a non-regular file is, for the error that refuses it.
pub fn not_a_regular_file(kind: std::fs::FileType) -> String {
    use std::os::unix::fs::FileTypeExt;
    let what = if kind.is_symlink() {
        "a symbolic link"
    } else if kind.is_fifo() {
        "a named pipe (FIFO)"
    } else if kind.is_socket() {
        "a socket"
    } else if kind.is_char_device() || kind.is_block_device() {
        "a device"
    } else {
        "not a regular file"
    };
    format!("this is {what}, not a regular file; only regular files are read from content/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_front_matter_and_body() {
        let split = split_front_matter("---\nname: A\n---\n# Body\n").unwrap();
        assert_eq!(split.front_matter, "name: A\n");
        assert_eq!(split.front_matter_line, 2);
        assert_eq!(split.body, "# Body\n");
    }

    #[test]
    fn empty_front_matter_and_missing_body() {
        let split = split_front_matter("---\n---").unwrap();
        assert_eq!(split.front_matter, "");
        assert_eq!(split.body, "");
    }

    #[test]
    fn reports_missing_and_unclosed_front_matter() {
        assert!(
            split_front_matter("name: A\n")
                .unwrap_err()
                .1
                .contains("must start")
        );
        assert!(
            split_front_matter("---\nname: A\n")
                .unwrap_err()
                .1
                .contains("not closed")
        );
        assert!(split_front_matter("").is_err());
    }

    #[test]
    fn decodes_bom_and_crlf() {
        assert_eq!(
            decode(b"\xEF\xBB\xBF---\r\na: 1\r\n").unwrap(),
            "---\na: 1\n"
        );
    }

    #[test]
    fn rejects_invalid_utf8_and_binary_with_a_position() {
        let (pos, msg) = decode(b"ok\nab\xFFcd").unwrap_err().remove(0);
        assert_eq!(pos, Pos::new(2, 3));
        assert!(msg.contains("UTF-8"));
        let (_, msg) = decode(b"\x89PNG\0\0").unwrap_err().remove(0);
        assert!(msg.contains("binary"));
    }

    #[test]
    fn lone_carriage_returns_end_lines() {
        assert_eq!(decode(b"---\ra: 1\r---\r").unwrap(), "---\na: 1\n---\n");
    }

    #[test]
    fn control_characters_and_a_mid_file_bom_are_refused_each_at_its_place() {
        let problems = decode("name: a\x01b\nsummary: \u{feff}x\u{1b}\n".as_bytes()).unwrap_err();
        let places: Vec<Pos> = problems.iter().map(|(pos, _)| *pos).collect();
        assert_eq!(places, [Pos::new(1, 8), Pos::new(2, 10), Pos::new(2, 12)]);
        assert!(problems[0].1.contains("U+0001"));
        assert!(problems[1].1.contains("byte-order mark"));
    }
}
