//! Hover: what a name is. A field's type and what its absence means; a
//! rule's citation, quote and notes; a threshold's value, in days where it
//! is a number of days; a judgement's scale; a value's place on its scale.

use crate::documents::Document;
use crate::index::{Key, Kind};
use lsp_types::{Hover, HoverContents, MarkupContent, MarkupKind, Position};

pub fn hover(doc: &Document, position: Position) -> Option<Hover> {
    let indexed = doc.analysis.indexed.as_ref()?;
    let file = indexed.files.first()?;
    let offset = file.lines.offset(&file.text, position);
    let symbol = indexed.index.at(0, offset)?;
    let decl = indexed.index.decls.get(&symbol.key)?;
    // The compiled ruleset, when there is one, says what the engine will
    // cite for a rule. An `invalid` check cites nothing: its message is
    // what the index says of it.
    let detail = match (&doc.analysis.ruleset, &symbol.key) {
        (Some(ruleset), Key::Rule(id)) if decl.kind != Kind::Invalid => match ruleset.rule(id) {
            Some(rule) => {
                let mut text = format!("**rule** `{}` \u{2014} {}", rule.id, rule.cite);
                if let Some(quote) = rule.quote {
                    text.push_str(&format!("\n\n> {quote}"));
                }
                for note in rule.notes {
                    text.push_str(&format!("\n\n*Note:* {note}"));
                }
                text
            }
            None => decl.detail.clone(),
        },
        _ => decl.detail.clone(),
    };
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: detail,
        }),
        range: Some(file.range(symbol.span)),
    })
}
