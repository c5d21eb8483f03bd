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
    /// Why the text is no longer the editor's, once an edit to it was lost
    /// or could not be applied: later edits are then not applied (each
    /// would be made to the wrong text), nothing is checked and no request
    /// about it is answered, until the editor sends the whole text again
    /// (`didOpen`, or a change without a range).
    pub lost: Option<String>,
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
    /// whole text when it has none. A range that is not in the text (a
    /// line past its end, an end before its start) means the text is not
    /// the editor's: the document is then lost, and the changes after it
    /// not applied, but for a whole text, which finds it again.
    fn apply(&mut self, changes: Vec<TextDocumentContentChangeEvent>) {
        for change in changes {
            match change.range {
                None => {
                    self.text = change.text;
                    self.lost = None;
                }
                Some(_) if self.lost.is_some() => continue,
                Some(range)
                    if !self.lines.holds(range.start)
                        || !self.lines.holds(range.end)
                        || (range.end.line, range.end.character)
                            < (range.start.line, range.start.character) =>
                {
                    self.lose(format!(
                        "an edit from {}:{} to {}:{} is not in its text of {} lines",
                        range.start.line + 1,
                        range.start.character + 1,
                        range.end.line + 1,
                        range.end.character + 1,
                        self.lines.count(),
                    ));
                    continue;
                }
                Some(range) => {
                    let start = self.lines.offset(&self.text, range.start);
                    let end = self.lines.offset(&self.text, range.end).max(start);
                    self.text.replace_range(start..end, &change.text);
                }
            }
            self.lines = LineIndex::new(&self.text);
        }
    }

    /// The text is no longer the editor's (`why`): said on standard error,
    /// and the document's analysis dropped.
    fn lose(&mut self, why: String) {
        eprintln!(
            "judgement-lsp: lost track of {} ({why}): its later edits are not applied \
             until the editor sends its whole text",
            self.uri
        );
        self.analysis = Analysis::lost(&why);
        self.last_indexed = None;
        self.lost = Some(why);
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
            lost: None,
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

    /// An edit to the document (to every open document, with no uri: the
    /// edit that was lost did not say whose it was) was lost: its text is
    /// no longer the editor's. The documents lost, to be analysed again.
    pub fn lose(&mut self, uri: Option<&Url>, why: &str) -> Vec<Url> {
        let mut lost = Vec::new();
        for doc in self.docs.values_mut() {
            if uri.is_none_or(|uri| uri == &doc.uri) {
                doc.lose(why.to_string());
                lost.push(doc.uri.clone());
            }
        }
        lost
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
            // A lost text is not the editor's: the file on disk is read.
            .filter(|d| &d.uri != uri && d.lost.is_none())
            .map(|d| (d.path.clone(), d.text.clone()))
            .collect();
        if let Some(doc) = self.docs.get_mut(uri) {
            if let Some(why) = &doc.lost {
                doc.analysis = Analysis::lost(why);
                return;
            }
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
