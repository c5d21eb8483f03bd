//! The documents open in the editor: their text as the editor has it (kept
//! in step with each change) and what the server found in it.

use crate::analysis::{analyse, Analysis, Indexed};
use crate::position::LineIndex;
use lsp_types::{TextDocumentContentChangeEvent, Url};
use std::collections::HashMap;
use std::panic::AssertUnwindSafe;
use std::path::PathBuf;

pub struct Document {
    pub uri: Url,
    /// The file's path, or a label for an unsaved document (`untitled:`).
    pub path: PathBuf,
    pub text: String,
    pub version: i32,
    pub lines: LineIndex,
    pub analysis: Analysis,
    /// The index of the last text that parsed: completion uses it while
    /// the text being typed does not parse.
    pub last_indexed: Option<Indexed>,
}

impl Document {
    /// The index of the text as it is, or of the last text that parsed.
    pub fn indexed(&self) -> Option<&Indexed> {
        self.analysis
            .indexed
            .as_ref()
            .or(self.last_indexed.as_ref())
    }

    /// Apply the editor's changes, in order: each replaces a range, or the
    /// whole text when it has none.
    fn apply(&mut self, changes: Vec<TextDocumentContentChangeEvent>) {
        for change in changes {
            match change.range {
                Some(range) => {
                    let start = self.lines.offset(&self.text, range.start);
                    let end = self.lines.offset(&self.text, range.end).max(start);
                    self.text.replace_range(start..end, &change.text);
                }
                None => self.text = change.text,
            }
            self.lines = LineIndex::new(&self.text);
        }
    }
}

#[derive(Default)]
pub struct Documents {
    docs: HashMap<Url, Document>,
}

impl Documents {
    pub fn get(&self, uri: &Url) -> Option<&Document> {
        self.docs.get(uri)
    }

    pub fn open(&mut self, uri: Url, text: String, version: i32) {
        let path = path_of(&uri);
        let doc = Document {
            lines: LineIndex::new(&text),
            uri: uri.clone(),
            path,
            text,
            version,
            analysis: Analysis::default(),
            last_indexed: None,
        };
        self.docs.insert(uri.clone(), doc);
        self.analyse(&uri);
    }

    /// Apply the editor's changes to a document's text. It is analysed
    /// again only when asked ([`Documents::analyse`]): the server waits for
    /// the edits queued behind these.
    pub fn change(
        &mut self,
        uri: &Url,
        version: i32,
        changes: Vec<TextDocumentContentChangeEvent>,
    ) {
        if let Some(doc) = self.docs.get_mut(uri) {
            doc.apply(changes);
            doc.version = version;
        }
    }

    pub fn close(&mut self, uri: &Url) {
        self.docs.remove(uri);
    }

    /// Every open document's uri.
    pub fn uris(&self) -> Vec<Url> {
        self.docs.keys().cloned().collect()
    }

    /// Analyse a document again, with the other open documents' texts.
    pub fn analyse(&mut self, uri: &Url) {
        let open: HashMap<PathBuf, String> = self
            .docs
            .values()
            .filter(|d| &d.uri != uri)
            .map(|d| (d.path.clone(), d.text.clone()))
            .collect();
        if let Some(doc) = self.docs.get_mut(uri) {
            // A bug in the checker must not end the server: the editor
            // would lose every feature until it is restarted.
            let (path, text) = (&doc.path, &doc.text);
            let analysis =
                std::panic::catch_unwind(AssertUnwindSafe(|| analyse(path, text, &open)))
                    .unwrap_or_else(|_| Analysis::internal_error());
            let old = std::mem::replace(&mut doc.analysis, analysis);
            if doc.analysis.indexed.is_none() {
                if let Some(indexed) = old.indexed {
                    doc.last_indexed = Some(indexed);
                }
            } else {
                doc.last_indexed = None;
            }
        }
    }
}

/// The path a document is at; a document not in a file gets a label of
/// its uri's path.
fn path_of(uri: &Url) -> PathBuf {
    uri.to_file_path()
        .unwrap_or_else(|()| PathBuf::from(uri.path()))
}
