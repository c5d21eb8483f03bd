//! Quick fixes: a diagnostic whose help says "did you mean `X`?" offers to
//! replace the word it underlines with `X`.

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
            // Only a word or a path is replaced, never a stretch of text.
            if written.is_empty() || written.contains(char::is_whitespace) || written == meant {
                return None;
            }
            let edit = TextEdit::new(d.range, meant.to_string());
            Some(CodeActionOrCommand::CodeAction(CodeAction {
                title: format!("Replace `{written}` with `{meant}`"),
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

/// `X` of "help: did you mean `X`?".
fn suggestion(message: &str) -> Option<&str> {
    let (_, help) = message.split_once("help: did you mean `")?;
    let (meant, _) = help.split_once("`?")?;
    Some(meant).filter(|m| !m.is_empty())
}

#[cfg(test)]
mod tests {
    use super::suggestion;

    #[test]
    fn the_suggestion_is_read_from_the_help() {
        assert_eq!(
            suggestion("there is no `x`\nhelp: did you mean `y.z`? the fields are ..."),
            Some("y.z")
        );
        assert_eq!(suggestion("there is no `x`\nhelp: declare it"), None);
    }
}
