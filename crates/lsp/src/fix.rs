//! Quick fixes: a diagnostic whose help says "did you mean `X`?" offers to
//! replace the word it underlines with `X` (in a message's `{...}`, the
//! name inside the braces; in a path, the parts `X` names).

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
            let written = doc.text.get(start..end)?;
            let name = written
                .strip_prefix('{')
                .and_then(|w| w.strip_suffix('}'))
                .unwrap_or(written);
            // Only a word or a path is replaced (in a message, the one
            // between its braces), never a stretch of text.
            if name.trim().is_empty() || name.trim().contains(char::is_whitespace) {
                return None;
            }
            let with = replacement(written, meant);
            if with == written {
                return None;
            }
            let edit = TextEdit::new(d.range, with.clone());
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

/// What is written in place of `written`, the text a diagnostic underlines,
/// for the name `meant` that its help suggests: in a message's `{...}` the
/// name between the braces, which stay, with the spaces beside it; and in a
/// path of more parts than `meant` has, its last parts only, so that the
/// element a field is read of stays (`it.okk` for `ok` is `it.ok`).
fn replacement(written: &str, meant: &str) -> String {
    if let Some(inside) = written.strip_prefix('{').and_then(|w| w.strip_suffix('}')) {
        let name = inside.trim();
        let lead = inside.len() - inside.trim_start().len();
        let trail = inside.len() - inside.trim_end().len();
        let before = inside.get(..lead).unwrap_or_default();
        let after = inside.get(inside.len() - trail..).unwrap_or_default();
        return format!("{{{before}{}{after}}}", replacement(name, meant));
    }
    let parts: Vec<&str> = written.split('.').collect();
    let kept = parts.len().saturating_sub(meant.split('.').count());
    match parts.get(..kept) {
        Some(head) if !head.is_empty() => format!("{}.{meant}", head.join(".")),
        _ => meant.to_string(),
    }
}

/// `X` of "help: did you mean `X`?".
fn suggestion(message: &str) -> Option<&str> {
    let (_, help) = message.split_once("help: did you mean `")?;
    let (meant, _) = help.split_once("`?")?;
    Some(meant).filter(|m| !m.is_empty())
}

#[cfg(test)]
mod tests {
    use super::{replacement, suggestion};

    #[test]
    fn a_name_is_replaced_in_its_braces_and_after_the_element_it_is_read_of() {
        for (written, meant, with) in [
            ("wehn", "when", "when"),
            ("visit.strat", "visit.start", "visit.start"),
            ("it.okk", "ok", "it.ok"),
            ("a.b.cc", "b.c", "a.b.c"),
            ("{startd}", "started", "{started}"),
            ("{ startd }", "started", "{ started }"),
            ("{it.idd}", "id", "{it.id}"),
            ("{visit.strt}", "visit.start", "{visit.start}"),
        ] {
            assert_eq!(replacement(written, meant), with, "{written}");
        }
    }

    #[test]
    fn the_suggestion_is_read_from_the_help() {
        assert_eq!(
            suggestion("there is no `x`\nhelp: did you mean `y.z`? the fields are ..."),
            Some("y.z")
        );
        assert_eq!(suggestion("there is no `x`\nhelp: declare it"), None);
    }
}
