//! The outline of a document (`textDocument/documentSymbol`): its
//! declarations in order, each a symbol of the editor's kind for it, its
//! range the whole declaration and its selection range the name.

use crate::documents::Document;
use crate::index::Kind;
use judgement_syntax::Span;
use lsp_types::{DocumentSymbol, SymbolKind};

pub fn outline(doc: &Document) -> Vec<DocumentSymbol> {
    let Some(indexed) = doc.analysis.indexed.as_ref() else {
        return Vec::new();
    };
    let Some(file) = indexed.files.first() else {
        return Vec::new();
    };
    let mut symbols: Vec<(usize, DocumentSymbol)> = indexed
        .index
        .symbols
        .iter()
        .filter(|s| s.decl && s.file == 0)
        .filter_map(|s| {
            let decl = indexed.index.decls.get(&s.key)?;
            let kind = match decl.kind {
                Kind::Scale | Kind::Choice => SymbolKind::ENUM,
                Kind::Record => SymbolKind::STRUCT,
                Kind::Field => SymbolKind::FIELD,
                Kind::Threshold => SymbolKind::CONSTANT,
                Kind::Let => SymbolKind::VARIABLE,
                Kind::Judgement | Kind::Need => SymbolKind::PROPERTY,
                Kind::Rule | Kind::Invalid => SymbolKind::FUNCTION,
                Kind::Example | Kind::Test => SymbolKind::METHOD,
                Kind::Definitions => SymbolKind::NAMESPACE,
                _ => return None,
            };
            // From the keyword that starts the declaration's line (the
            // name for a field) to the end of what it holds.
            let line_start = file
                .text
                .get(..s.extent.start)
                .and_then(|before| before.rfind(['\n', '\r']))
                .map_or(0, |n| n + 1);
            let indent = file.text.get(line_start..s.extent.start).map_or(0, |t| {
                t.len() - t.trim_start_matches([' ', '\t', '\u{feff}']).len()
            });
            let whole = file.range(Span::new(line_start + indent, s.extent.end));
            let range = file.range(s.span);
            #[allow(deprecated)]
            let symbol = DocumentSymbol {
                name: match decl.kind {
                    Kind::Test => format!("test \"{}\"", decl.name),
                    _ => decl.name.clone(),
                },
                detail: Some(decl.kind.word().to_string()),
                kind,
                tags: None,
                deprecated: None,
                range: whole,
                selection_range: range,
                children: None,
            };
            Some((s.span.start, symbol))
        })
        .collect();
    symbols.sort_by_key(|(start, _)| *start);
    symbols.into_iter().map(|(_, s)| s).collect()
}
