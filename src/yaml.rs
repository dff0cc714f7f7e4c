//! A YAML tree that remembers where each value came from.
//!
//! serde-based YAML loaders forget source positions once a document is parsed, but an
//! editor needs to be told which line holds the unknown need. So front matter is read
//! with yaml-rust2's event parser into this small tree, whose every node carries its
//! line and column, and the content model is read from the tree field by field.

use std::collections::HashMap;

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

/// A YAML syntax error, with its place in the text that was parsed.
#[derive(Debug, Clone, PartialEq)]
pub struct SyntaxError {
    pub pos: Pos,
    pub message: String,
}

/// Parses one YAML document. `first_line` is the line of the file on which `text`
/// starts, so that positions point into the file, not into the front matter.
/// An empty document is `Ok(None)`.
pub fn parse(text: &str, first_line: usize) -> Result<Option<Node>, SyntaxError> {
    let to_pos = |m: &Marker| Pos::new(m.line() + first_line - 1, m.col() + 1);
    let mut builder = TreeBuilder::default();
    let mut parser = Parser::new_from_str(text);
    if let Err(e) = parser.load(&mut builder, false) {
        return Err(SyntaxError {
            pos: to_pos(e.marker()),
            message: e.info().to_owned(),
        });
    }
    if let Some((pos, message)) = builder.error {
        return Err(SyntaxError {
            pos: to_pos(&pos),
            message,
        });
    }
    let mut root = builder.root;
    if let Some(node) = root.as_mut() {
        shift(node, &|p: Pos| Pos::new(p.line + first_line - 1, p.column));
    }
    Ok(root)
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
    Seq(Pos, usize, Vec<Node>),
    Map(Pos, usize, Vec<Node>),
}

#[derive(Default)]
struct TreeBuilder {
    stack: Vec<Open>,
    root: Option<Node>,
    anchors: HashMap<usize, Node>,
    error: Option<(Marker, String)>,
}

impl TreeBuilder {
    fn finish(&mut self, node: Node, anchor: usize) {
        if anchor > 0 {
            self.anchors.insert(anchor, node.clone());
        }
        match self.stack.last_mut() {
            Some(Open::Seq(_, _, items) | Open::Map(_, _, items)) => items.push(node),
            None => self.root = Some(node),
        }
    }
}

impl MarkedEventReceiver for TreeBuilder {
    fn on_event(&mut self, event: Event, mark: Marker) {
        // Raw marker: line as given (1-based), column made 1-based.
        let pos = Pos::new(mark.line(), mark.col() + 1);
        match event {
            Event::Scalar(text, style, anchor, _tag) => {
                let plain = style == TScalarStyle::Plain;
                self.finish(
                    Node {
                        value: Value::Scalar { text, plain },
                        pos,
                    },
                    anchor,
                );
            }
            Event::SequenceStart(anchor, _) => self.stack.push(Open::Seq(pos, anchor, Vec::new())),
            Event::MappingStart(anchor, _) => self.stack.push(Open::Map(pos, anchor, Vec::new())),
            Event::SequenceEnd | Event::MappingEnd => {
                let (node, anchor) = match self.stack.pop() {
                    Some(Open::Seq(pos, anchor, items)) => (
                        Node {
                            value: Value::Seq(items),
                            pos,
                        },
                        anchor,
                    ),
                    Some(Open::Map(pos, anchor, items)) => {
                        let mut entries = Vec::with_capacity(items.len() / 2);
                        let mut items = items.into_iter();
                        while let (Some(k), Some(v)) = (items.next(), items.next()) {
                            entries.push((k, v));
                        }
                        // The parser marks a block mapping after its first key; the key
                        // itself is where a reader sees it begin (a flow `{` comes first).
                        let pos = entries.first().map_or(pos, |(key, _)| key.pos.min(pos));
                        (
                            Node {
                                value: Value::Map(entries),
                                pos,
                            },
                            anchor,
                        )
                    }
                    None => return,
                };
                self.finish(node, anchor);
            }
            Event::Alias(id) => match self.anchors.get(&id).cloned() {
                Some(mut node) => {
                    node.pos = pos;
                    self.finish(node, 0);
                }
                None => {
                    if self.error.is_none() {
                        self.error =
                            Some((mark, "an alias (*name) refers to an unknown anchor".into()));
                    }
                }
            },
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
        let err = parse("name: x\nneeds: [a, b\n", 2).unwrap_err();
        assert!(err.pos.line >= 3, "{err:?}");
        assert!(!err.message.is_empty());
    }

    #[test]
    fn empty_document_is_none() {
        assert_eq!(parse("", 1).unwrap(), None);
        assert_eq!(parse("# only a comment\n", 1).unwrap(), None);
    }

    #[test]
    fn aliases_resolve() {
        let root = parse("a: &x [1, 2]\nb: *x\n", 1).unwrap().unwrap();
        let Value::Map(entries) = &root.value else {
            panic!("a map")
        };
        assert_eq!(entries[0].1.value, entries[1].1.value);
    }
}
