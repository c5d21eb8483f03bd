//! Quick fixes: a diagnostic whose help says "did you mean `X`?" offers to
//! replace the word it underlines with `X` (in a message's `{...}`, the
//! name inside the braces).

use crate::documents::Document;
use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, Diagnostic, TextEdit, WorkspaceEdit,
};
use std::collections::HashMap;

pub fn quick_fixes(doc: &Document, diagnostics: &[Diagnostic]) -> Vec<CodeActionOrCommand> {
    diagnostics
        .iter()
        .filter(|d| d.source.as_deref() == Some("judgement"))
        // A problem of another file, shown at the `uses` clause: the word
        // it suggests belongs there, not here.
        .filter(|d| {
            !doc.analysis
                .elsewhere
                .iter()
                .any(|(r, m)| *r == d.range && *m == d.message)
        })
        .filter_map(|d| {
            let meant = suggestion(&d.message)?;
            let start = doc.lines.offset(&doc.text, d.range.start);
            let end = doc.lines.offset(&doc.text, d.range.end);
            let (range, written, with) = match lookalike_in(&doc.text, start, end, meant) {
                Some((start, end)) => {
                    let span = judgement_syntax::Span::new(start, end);
                    let written = doc.text.get(start..end)?;
                    (doc.lines.range(&doc.text, span), written, meant.to_string())
                }
                None => {
                    let written = doc.text.get(start..end)?;
                    (d.range, written, fixed(written, meant)?)
                }
            };
            let edit = TextEdit::new(range, with.clone());
            Some(CodeActionOrCommand::CodeAction(CodeAction {
                title: format!("Replace `{written}` with `{with}`"),
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![d.clone()]),
                edit: Some(WorkspaceEdit {
                    changes: Some(HashMap::from([(doc.uri.clone(), vec![edit])])),
                    ..WorkspaceEdit::default()
                }),
                is_preferred: Some(true),
                ..CodeAction::default()
            }))
        })
        .collect()
}

/// Where a diagnostic underlines one character a name cannot hold (the
/// Cyrillic `а` of `cаre`, a zero-width space) and its help means the name
/// it looks like, the bounds of that name's part around it (up to a `.`
/// or a space), which the fix replaces whole: `None` for any other.
fn lookalike_in(text: &str, start: usize, end: usize, meant: &str) -> Option<(usize, usize)> {
    use judgement_syntax::lookalike::{as_ascii, is_name_part as in_name, is_stray};
    let underlined = text.get(start..end)?;
    let mut chars = underlined.chars();
    let (Some(c), None) = (chars.next(), chars.next()) else {
        return None;
    };
    if !is_stray(c) {
        return None;
    }
    let before: usize = text
        .get(..start)?
        .chars()
        .rev()
        .take_while(|&c| in_name(c))
        .map(char::len_utf8)
        .sum();
    let after: usize = text
        .get(end..)?
        .chars()
        .take_while(|&c| in_name(c))
        .map(char::len_utf8)
        .sum();
    let (start, end) = (start - before, end + after);
    (as_ascii(text.get(start..end)?).as_deref() == Some(meant)).then_some((start, end))
}

/// What the text a diagnostic underlines, `written`, becomes for what its
/// help means, `meant`; `None` where nothing is to be replaced. Only a word
/// or a path is replaced (in a message, the one between its braces), never
/// a stretch of text, but for a comparison, where English for one (`is
/// below`, `is not worse than`) is replaced whole by the operator (`<`,
/// `>=`), and for a name written as words (`requires improvement`, `"notify
/// ofsted"`), replaced whole by the words joined with `_`.
fn fixed(written: &str, meant: &str) -> Option<String> {
    let comparison = !meant.is_empty() && meant.chars().all(|c| matches!(c, '<' | '>' | '=' | '!'));
    let joined = written
        .trim_matches('"')
        .split_whitespace()
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join("_");
    let with = if comparison || (!meant.is_empty() && joined == meant) {
        meant.to_string()
    } else {
        let name = underlined_name(written);
        if name.is_empty() || name.contains(char::is_whitespace) {
            return None;
        }
        replacement(written, meant)
    };
    (with != written).then_some(with)
}

/// The name in `written`, the text a diagnostic underlines: in a
/// message's `{...}` the one between the braces, without the spaces beside
/// it; elsewhere the whole text.
fn underlined_name(written: &str) -> &str {
    written
        .strip_prefix('{')
        .and_then(|w| w.strip_suffix('}'))
        .unwrap_or(written)
        .trim()
}

/// What is written in place of `written` for the name `meant` that its
/// help suggests (a whole name or path, as the engine's suggestions are:
/// `it.ok` for `it.okk`): its name replaced, the braces and spaces around
/// it kept.
fn replacement(written: &str, meant: &str) -> String {
    match underlined_name(written) {
        "" => meant.to_string(),
        name => written.replacen(name, meant, 1),
    }
}

/// `X` of "help: did you mean `X`?", when `X` is a name to write: not a
/// hint of words around one (`then finding ...`).
fn suggestion(message: &str) -> Option<&str> {
    let (_, help) = message.split_once("help: did you mean `")?;
    let (meant, _) = help.split_once("`?")?;
    Some(meant).filter(|m| !m.is_empty() && !m.contains(char::is_whitespace))
}

#[cfg(test)]
mod tests {
    use super::{fixed, replacement, suggestion};

    #[test]
    fn a_name_is_replaced_whole_and_in_a_message_inside_its_braces() {
        for (written, meant, with) in [
            ("wehn", "when", "when"),
            ("visit.strat", "visit.start", "visit.start"),
            ("it.okk", "it.ok", "it.ok"),
            ("visit.st.art", "visit.start", "visit.start"),
            (
                "manager.interim.since",
                "manager.interim_since",
                "manager.interim_since",
            ),
            ("lim.it", "limit", "limit"),
            ("{startd}", "started", "{started}"),
            ("{ startd }", "started", "{ started }"),
            ("{it.idd}", "it.id", "{it.id}"),
            ("{visit.st.art}", "visit.start", "{visit.start}"),
            // Another language's operator, for the one written here.
            ("&&", "and", "and"),
            ("==", "=", "="),
            ("!", "not", "not"),
        ] {
            assert_eq!(replacement(written, meant), with, "{written}");
        }
    }

    #[test]
    fn a_stretch_of_text_is_replaced_only_by_a_comparison_or_a_name_it_writes_as_words() {
        for (written, meant, with) in [
            ("is below", "<", Some("<")),
            ("is not worse than", ">=", Some(">=")),
            ("==", "=", Some("=")),
            ("\u{2265}", ">=", Some(">=")),
            ("\u{2260}", "!=", Some("!=")),
            ("wehn", "when", Some("when")),
            ("=", "=", None),
            // Words around a name are not a name to replace.
            ("lm is", "lm", None),
            ("{ }", "x", None),
            // A name written as words, joined.
            (
                "requires improvement",
                "requires_improvement",
                Some("requires_improvement"),
            ),
            ("\"Notify Ofsted\"", "notify_ofsted", Some("notify_ofsted")),
            ("requires improvement", "requires", None),
        ] {
            assert_eq!(fixed(written, meant).as_deref(), with, "{written}");
        }
    }

    #[test]
    fn the_suggestion_is_read_from_the_help() {
        assert_eq!(
            suggestion("there is no `x`\nhelp: did you mean `y.z`? the fields are ..."),
            Some("y.z")
        );
        assert_eq!(suggestion("there is no `x`\nhelp: declare it"), None);
        assert_eq!(
            suggestion("expected `and`, found `&&`\nhelp: did you mean `and`? In a rule file two conditions that must both hold are joined with `and`"),
            Some("and")
        );
        // A hint of the words around a name is no name to write.
        assert_eq!(
            suggestion("expected ..., found `finding`\nhelp: did you mean `then finding ...`? A rule's hard effects each start with `then`"),
            None
        );
    }
}
