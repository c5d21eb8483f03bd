//! The parts of a message (an `invalid` check's, an action's label, a
//! finding's, an `advise`): text shown as written, and `{name}`, which
//! shows a value (`{{` and `}}` are a brace). The engine checks each name
//! and builds the message from these pieces; the language server finds the
//! names read in them.

use crate::span::{Span, Spanned};

/// A piece of a message's text, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Piece<'a> {
    /// Text shown as it is.
    Text(&'a str),
    /// `{{` or `}}`: one brace shown.
    Brace(char),
    /// `{name}`: what stands between the braces, without the spaces around
    /// it (a name only when the engine's check says so); the span of the
    /// part, braces and all, and of the name.
    Value {
        name: &'a str,
        span: Span,
        name_span: Span,
    },
    /// A brace without its pair, at `span`: nothing after it is read.
    Unpaired(Span),
}

/// The pieces of a message, `text` as the AST has it (its escapes read)
/// with the span of the literal in the source. Each piece's span is its
/// place in the source, measured back through the literal's escapes; where
/// the literal's span does not measure its text so (a string made some
/// other way), the whole literal's span.
pub fn message_pieces(text: &Spanned<String>) -> Vec<Piece<'_>> {
    let escapes = Escapes::of(text);
    let within = |from, to| escapes.within(from, to);
    let mut pieces = Vec::new();
    let mut rest = text.node.as_str();
    while let Some(i) = rest.find(['{', '}']) {
        // Where `after` starts in the message's text.
        let at = text.node.len() - rest.len() + i;
        let (before, after) = rest.split_at(i);
        if !before.is_empty() {
            pieces.push(Piece::Text(before));
        }
        if let Some(tail) = after.strip_prefix("{{") {
            pieces.push(Piece::Brace('{'));
            rest = tail;
            continue;
        }
        if let Some(tail) = after.strip_prefix("}}") {
            pieces.push(Piece::Brace('}'));
            rest = tail;
            continue;
        }
        let close = after.strip_prefix('{').and_then(|a| a.find('}'));
        let (Some(close), true) = (close, after.starts_with('{')) else {
            pieces.push(Piece::Unpaired(within(at, at + 1)));
            return pieces;
        };
        let written = after.get(1..=close).unwrap_or_default();
        let name = written.trim();
        let lead = written.len() - written.trim_start().len();
        pieces.push(Piece::Value {
            name,
            span: within(at, at + close + 2),
            name_span: within(at + 1 + lead, at + 1 + lead + name.len()),
        });
        rest = after.get(close + 2..).unwrap_or_default();
    }
    if !rest.is_empty() {
        pieces.push(Piece::Text(rest));
    }
    pieces
}

/// Where a string literal's text stands in the source: its text is the
/// literal's without its quotes and with each escape (`\"`, `\\`, `\n`)
/// made one character, and a quote, a backslash or a line break can stand
/// in it only by an escape, two characters in the source. The places of
/// those characters are found once for the message, so that each piece is
/// measured in the time of a search, not of a walk over the text before it.
struct Escapes<'t> {
    text: &'t Spanned<String>,
    /// Where each character written as an escape is in the text, in order.
    at: Vec<usize>,
    /// Whether the literal's span measures its text so (not a string made
    /// some other way).
    measured: bool,
}

impl<'t> Escapes<'t> {
    fn of(text: &'t Spanned<String>) -> Escapes<'t> {
        let at: Vec<usize> = text
            .node
            .match_indices(['"', '\\', '\n'])
            .map(|(i, _)| i)
            .collect();
        let whole = text.node.len() + at.len() + 2;
        let measured = text.span.end.checked_sub(text.span.start) == Some(whole);
        Escapes { text, at, measured }
    }

    /// How many characters before byte `x` of the text are escapes.
    fn before(&self, x: usize) -> usize {
        self.at.partition_point(|&i| i < x)
    }

    /// The source span of bytes `from..to` of the text; where the literal's
    /// span does not measure its text so, or `from..to` is not text, the
    /// whole literal.
    fn within(&self, from: usize, to: usize) -> Span {
        let node = &self.text.node;
        if !self.measured || node.get(..from).is_none() || node.get(from..to).is_none() {
            return self.text.span;
        }
        let start = self.text.span.start + 1 + from + self.before(from);
        Span::new(
            start,
            start + (to - from) + self.before(to) - self.before(from),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A literal as the parser makes it: its text, and its span at `at` in
    /// a source that writes it with its escapes.
    fn literal(written: &str, at: usize) -> Spanned<String> {
        let text = written
            .replace("\\n", "\n")
            .replace("\\\"", "\"")
            .replace("\\\\", "\\");
        Spanned::new(text, Span::new(at, at + written.len() + 2))
    }

    #[test]
    fn values_braces_and_text_are_told_apart_at_their_places_in_the_source() {
        // In the source: `x "a \"q\" {{ { visit.start }, {b}}}"`.
        let source = r#"x "a \"q\" {{ { visit.start }, {b}}}""#;
        let text = literal(&source[3..source.len() - 1], 2);
        let pieces = message_pieces(&text);
        let at = |needle: &str| source.find(needle).unwrap_or(usize::MAX);
        assert_eq!(
            pieces,
            vec![
                Piece::Text("a \"q\" "),
                Piece::Brace('{'),
                Piece::Text(" "),
                Piece::Value {
                    name: "visit.start",
                    span: Span::new(at("{ visit"), at(" }, ") + 2),
                    name_span: Span::new(at("visit"), at(" }, ")),
                },
                Piece::Text(", "),
                Piece::Value {
                    name: "b",
                    span: Span::new(at("{b}"), at("{b}") + 3),
                    name_span: Span::new(at("b}"), at("b}") + 1),
                },
                Piece::Brace('}'),
            ]
        );
    }

    #[test]
    fn a_brace_without_its_pair_ends_the_pieces() {
        let text = literal("a } b {c}", 0);
        assert_eq!(
            message_pieces(&text),
            vec![Piece::Text("a "), Piece::Unpaired(Span::new(3, 4))]
        );
        let text = literal("a {b", 0);
        assert_eq!(
            message_pieces(&text),
            vec![Piece::Text("a "), Piece::Unpaired(Span::new(3, 4))]
        );
    }

    #[test]
    fn a_string_whose_span_does_not_measure_it_gives_the_whole_span() {
        let text = Spanned::new("see {x}".to_string(), Span::new(10, 12));
        let pieces = message_pieces(&text);
        let [Piece::Text("see "), Piece::Value {
            name: "x",
            span,
            name_span,
        }] = pieces.as_slice()
        else {
            panic!("{pieces:?}");
        };
        assert_eq!((*span, *name_span), (text.span, text.span));
    }
}

/// Two pieces of prose as two sentences: `first` without the full stop it
/// may end with, a full stop, and `then`, begun with a capital where its
/// first word is a plain word (a name such as `manager.vacant_since` stays
/// as written). How a field's comment and what a schema says of the field
/// are put together.
pub fn then_said(first: &str, then: &str) -> String {
    let first = first.trim_end_matches('.');
    let word = then.split(|c: char| c.is_whitespace() || c == ':' || c == ',');
    let plain = word
        .into_iter()
        .next()
        .is_some_and(|w| !w.is_empty() && w.chars().all(char::is_alphabetic));
    let mut chars = then.chars();
    match chars.next() {
        Some(c) if plain => format!("{first}. {}{}", c.to_uppercase(), chars.as_str()),
        _ => format!("{first}. {then}"),
    }
}

#[cfg(test)]
mod said {
    use super::then_said;

    #[test]
    fn the_second_sentence_begins_with_a_capital_unless_it_is_a_name() {
        assert_eq!(then_said("a day.", "none: not yet"), "a day. None: not yet");
        assert_eq!(
            then_said("a day", "absent or null: none"),
            "a day. Absent or null: none"
        );
        assert_eq!(
            then_said("a day", "manager.leaving: read first"),
            "a day. manager.leaving: read first"
        );
        assert_eq!(
            then_said("a day", "para 19: its table"),
            "a day. Para 19: its table"
        );
        assert_eq!(then_said("a day", ""), "a day. ");
    }
}
