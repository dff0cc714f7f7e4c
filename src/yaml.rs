//! A YAML tree that remembers where each value came from.
//!
//! serde-based YAML loaders forget source positions once a document is parsed, but an
//! editor needs to be told which line holds the unknown need. So front matter is read
//! with yaml-rust2's event parser into this small tree, whose every node carries its
//! line and column, and the content model is read from the tree field by field.

mod advice;

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};

use crate::diagnostics::Pos;

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// A scalar, kept as written. Whether it is a number, a date or a flag depends on
    /// the field it fills, so `phone: 116123` stays the text an editor typed.
    Scalar {
        text: String,
        plain: bool,
    },
    Seq(Vec<Node>),
    Map(Vec<(Node, Node)>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub value: Value,
    pub pos: Pos,
}

impl Node {
    /// True for `~`, `null` and an empty plain value (`key:` with nothing after it).
    pub fn is_null(&self) -> bool {
        matches!(&self.value, Value::Scalar { text, plain: true } if matches!(text.as_str(), "" | "~" | "null" | "Null" | "NULL"))
    }

    pub fn as_scalar(&self) -> Option<&str> {
        match &self.value {
            Value::Scalar { text, .. } => Some(text),
            _ => None,
        }
    }

    /// A word for the kind of value, for messages such as "expected a list, found text".
    pub fn kind_name(&self) -> &'static str {
        match &self.value {
            _ if self.is_null() => "nothing",
            Value::Scalar { .. } => "text",
            Value::Seq(_) => "a list",
            Value::Map(_) => "a set of fields",
        }
    }
}

/// A YAML syntax error, or a feature content may not use, with its place in the
/// text that was parsed.
#[derive(Debug, Clone, PartialEq)]
pub struct SyntaxError {
    pub pos: Pos,
    pub message: String,
}

/// Parses one YAML document. `first_line` is the line of the file on which `text`
/// starts, so that positions point into the file, not into the front matter.
/// An empty document is `Ok(None)`.
///
/// Anchors, aliases and merge keys (`&a`, `*a`, `<<`) are refused, each at its
/// place: content has no use for them, and expanding nested aliases turns a
/// few hundred bytes into gigabytes (the "billion laughs"). Nothing is
/// expanded, so a hostile file costs no more than its length.
pub fn parse(text: &str, first_line: usize) -> Result<Option<Node>, Vec<SyntaxError>> {
    let to_pos = |p: Pos| Pos::new(p.line + first_line - 1, p.column);
    let mut builder = TreeBuilder::default();
    let mut parser = Parser::new_from_str(text);
    if let Err(e) = parser.load(&mut builder, false) {
        let m = e.marker();
        // In plain words, with what to do, at the line the mistake is on.
        let (pos, message) = advice::explain(e.info(), text, Pos::new(m.line(), m.col() + 1));
        builder.errors.push(SyntaxError { pos, message });
    }
    if !builder.errors.is_empty() {
        point_at_anchors(text, &mut builder.errors);
        return Err(builder
            .errors
            .into_iter()
            .map(|e| SyntaxError {
                pos: to_pos(e.pos),
                message: e.message,
            })
            .collect());
    }
    let mut root = builder.root;
    if let Some(node) = root.as_mut() {
        shift(node, &to_pos);
    }
    Ok(root)
}

/// The parser marks an anchored value where the value starts; the reader wants
/// the `&name` itself, the last `&` on that line before the value.
fn point_at_anchors(text: &str, errors: &mut [SyntaxError]) {
    for e in errors.iter_mut().filter(|e| e.message == NO_ANCHORS) {
        let Some(line) = text.lines().nth(e.pos.line.saturating_sub(1)) else {
            continue;
        };
        let before: String = line.chars().take(e.pos.column.saturating_sub(1)).collect();
        if let Some(at) = before.rfind('&') {
            e.pos.column = before[..at].chars().count() + 1;
        }
    }
}

/// Positions are recorded from the parser's own markers (line 1-based, column 0-based)
/// and moved to file positions once, at the end.
fn shift(node: &mut Node, f: &dyn Fn(Pos) -> Pos) {
    node.pos = f(node.pos);
    match &mut node.value {
        Value::Scalar { .. } => {}
        Value::Seq(items) => items.iter_mut().for_each(|n| shift(n, f)),
        Value::Map(entries) => entries.iter_mut().for_each(|(k, v)| {
            shift(k, f);
            shift(v, f);
        }),
    }
}

enum Open {
    Seq(Pos, Vec<Node>),
    Map(Pos, Vec<Node>),
}

#[derive(Default)]
struct TreeBuilder {
    stack: Vec<Open>,
    root: Option<Node>,
    /// Every refused feature, in the order met (positions not yet shifted).
    errors: Vec<SyntaxError>,
}

const NO_ANCHORS: &str =
    "anchors (`&name`) are not allowed in content: write the value out in full where it is needed";
const NO_ALIASES: &str =
    "aliases (`*name`) are not allowed in content: write the value out in full here";
const NO_MERGE_KEYS: &str =
    "merge keys (`<<`) are not allowed in content: write each field out in full here";

impl TreeBuilder {
    fn finish(&mut self, node: Node, anchor: usize) {
        if anchor > 0 {
            self.refuse(node.pos, NO_ANCHORS);
        }
        match self.stack.last_mut() {
            Some(Open::Seq(_, items) | Open::Map(_, items)) => items.push(node),
            None => self.root = Some(node),
        }
    }

    fn refuse(&mut self, pos: Pos, message: &str) {
        self.errors.push(SyntaxError {
            pos,
            message: message.to_owned(),
        });
    }
}

impl MarkedEventReceiver for TreeBuilder {
    fn on_event(&mut self, event: Event, mark: Marker) {
        // Raw marker: line as given (1-based), column made 1-based.
        let pos = Pos::new(mark.line(), mark.col() + 1);
        match event {
            Event::Scalar(text, style, anchor, _tag) => {
                let plain = style == TScalarStyle::Plain;
                // A merge key is a plain `<<` in a mapping's key place.
                if plain
                    && text == "<<"
                    && matches!(self.stack.last(), Some(Open::Map(_, items)) if items.len() % 2 == 0)
                {
                    self.refuse(pos, NO_MERGE_KEYS);
                }
                self.finish(
                    Node {
                        value: Value::Scalar { text, plain },
                        pos,
                    },
                    anchor,
                );
            }
            Event::SequenceStart(anchor, _) => {
                if anchor > 0 {
                    self.refuse(pos, NO_ANCHORS);
                }
                self.stack.push(Open::Seq(pos, Vec::new()))
            }
            Event::MappingStart(anchor, _) => {
                if anchor > 0 {
                    self.refuse(pos, NO_ANCHORS);
                }
                self.stack.push(Open::Map(pos, Vec::new()))
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let node = match self.stack.pop() {
                    Some(Open::Seq(pos, items)) => Node {
                        value: Value::Seq(items),
                        pos,
                    },
                    Some(Open::Map(pos, items)) => {
                        let mut entries = Vec::with_capacity(items.len() / 2);
                        let mut items = items.into_iter();
                        while let (Some(k), Some(v)) = (items.next(), items.next()) {
                            entries.push((k, v));
                        }
                        // The parser marks a block mapping after its first key; the key
                        // itself is where a reader sees it begin (a flow `{` comes first).
                        let pos = entries.first().map_or(pos, |(key, _)| key.pos.min(pos));
                        Node {
                            value: Value::Map(entries),
                            pos,
                        }
                    }
                    None => return,
                };
                // A collection's anchor was refused where it opened.
                self.finish(node, 0);
            }
            Event::Alias(_) => {
                self.refuse(pos, NO_ALIASES);
                // Stands in for the alias so the tree keeps its shape; the
                // document is refused anyway.
                self.finish(
                    Node {
                        value: Value::Scalar {
                            text: String::new(),
                            plain: true,
                        },
                        pos,
                    },
                    0,
                );
            }
            Event::StreamStart
            | Event::StreamEnd
            | Event::DocumentStart
            | Event::DocumentEnd
            | Event::Nothing => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scalar(node: &Node) -> &str {
        node.as_scalar().expect("a scalar")
    }

    #[test]
    fn keeps_positions_of_keys_and_items() {
        let text =
            "name: Open Road\nneeds:\n  - housing\n  - mental-health\nareas: [essex, sutton]\n";
        let root = parse(text, 2).expect("valid").expect("not empty");
        let Value::Map(entries) = &root.value else {
            panic!("a map")
        };
        assert_eq!(scalar(&entries[0].0), "name");
        assert_eq!(entries[0].0.pos, Pos::new(2, 1));
        assert_eq!(entries[0].1.pos, Pos::new(2, 7));
        let Value::Seq(needs) = &entries[1].1.value else {
            panic!("a list")
        };
        assert_eq!(needs[1].pos, Pos::new(5, 5));
        let Value::Seq(areas) = &entries[2].1.value else {
            panic!("a list")
        };
        assert_eq!(scalar(&areas[1]), "sutton");
        assert_eq!(areas[1].pos, Pos::new(6, 16));
    }

    #[test]
    fn scalars_stay_text() {
        let root = parse("phone: 116123\ncost: 'Free'\nempty:\n", 1)
            .unwrap()
            .unwrap();
        let Value::Map(entries) = &root.value else {
            panic!("a map")
        };
        assert_eq!(
            entries[0].1.value,
            Value::Scalar {
                text: "116123".into(),
                plain: true
            }
        );
        assert_eq!(
            entries[1].1.value,
            Value::Scalar {
                text: "Free".into(),
                plain: false
            }
        );
        assert!(entries[2].1.is_null());
    }

    #[test]
    fn syntax_errors_point_into_the_file() {
        let err = parse("name: x\nneeds: [a, b\n", 2).unwrap_err().remove(0);
        assert!(err.pos.line >= 3, "{err:?}");
        assert!(!err.message.is_empty());
    }

    #[test]
    fn empty_document_is_none() {
        assert_eq!(parse("", 1).unwrap(), None);
        assert_eq!(parse("# only a comment\n", 1).unwrap(), None);
    }

    #[test]
    fn anchors_aliases_and_merge_keys_are_refused_each_at_its_place() {
        let errors = parse("a: &x [1, 2]\nb: *x\nc:\n  <<: {d: 1}\n", 2).unwrap_err();
        let found: Vec<_> = errors
            .iter()
            .map(|e| (e.pos, e.message.split(' ').next().unwrap_or("")))
            .collect();
        assert_eq!(
            found,
            [
                (Pos::new(2, 4), "anchors"),
                (Pos::new(3, 4), "aliases"),
                (Pos::new(5, 3), "merge")
            ]
        );
    }

    #[test]
    fn nested_aliases_are_not_expanded() {
        // The "billion laughs": each line doubles the last, nine times over.
        let mut text = String::from("a0: &a0 [x, x]\n");
        for i in 1..30 {
            let p = i - 1;
            text.push_str(&format!("a{i}: &a{i} [*a{p}, *a{p}]\n"));
        }
        let errors = parse(&text, 1).unwrap_err();
        // One refusal per anchor and per alias, and no expansion at all.
        assert_eq!(errors.len(), 30 + 29 * 2);
    }
}
