//! Go to definition and find references: the declarations and the reads of
//! the name under the cursor, in the document and the definitions it uses.

use crate::analysis::Indexed;
use crate::documents::Document;
use crate::index::Symbol;
use lsp_types::{Location, Position, Url};

/// The declarations of the name at `position`.
pub fn definition(doc: &Document, position: Position) -> Vec<Location> {
    let Some((indexed, symbol)) = symbol_at(doc, position) else {
        return Vec::new();
    };
    indexed
        .index
        .declarations(&symbol.key)
        .filter_map(|s| location(doc, indexed, s))
        .collect()
}

/// Where the name at `position` is read, and declared when `declaration`.
pub fn references(doc: &Document, position: Position, declaration: bool) -> Vec<Location> {
    let Some((indexed, symbol)) = symbol_at(doc, position) else {
        return Vec::new();
    };
    indexed
        .index
        .symbols
        .iter()
        .filter(|s| s.key == symbol.key && (declaration || !s.decl))
        .filter_map(|s| location(doc, indexed, s))
        .collect()
}

fn symbol_at(doc: &Document, position: Position) -> Option<(&Indexed, &Symbol)> {
    let indexed = doc.analysis.indexed.as_ref()?;
    let file = indexed.files.first()?;
    let offset = file.lines.offset(&file.text, position);
    Some((indexed, indexed.index.at(0, offset)?))
}

fn location(doc: &Document, indexed: &Indexed, symbol: &Symbol) -> Option<Location> {
    let file = indexed.files.get(symbol.file)?;
    let uri = match symbol.file {
        0 => doc.uri.clone(),
        // A file found beside a document that is not saved (`untitled:`)
        // is named from the server's folder, where it was looked for.
        _ if file.path.is_relative() => {
            Url::from_file_path(std::env::current_dir().ok()?.join(&file.path)).ok()?
        }
        _ => Url::from_file_path(&file.path).ok()?,
    };
    Some(Location::new(uri, file.range(symbol.span)))
}
