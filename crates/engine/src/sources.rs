//! The files of one ruleset in one span space. A ruleset's own file is
//! parsed at offset 0 and each definitions file it uses after the one
//! before it (one byte apart), so every span of the checked model names its
//! file by where it falls. The map turns such a span back into a file and
//! the span within it.

use crate::diagnostic::{FileProblems, Problem};
use judgement_syntax::Span;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// One file of a ruleset: its own, or a definitions file it uses.
#[derive(Debug, Clone)]
pub struct MappedFile {
    base: usize,
    path: Option<PathBuf>,
    name: Option<String>,
    text: Arc<str>,
}

impl MappedFile {
    /// Where the file came from: a path, or the label an embedder gave it.
    /// `None` for a ruleset's own file given as text alone.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// The name of the definitions, or `None` for the ruleset's own file.
    pub fn definitions(&self) -> Option<&str> {
        self.name.as_deref()
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    /// The offset of the file's first byte in the shared span space.
    pub fn base(&self) -> usize {
        self.base
    }

    /// A span of the shared space as a span of this file's text.
    pub fn local(&self, span: Span) -> Span {
        Span::new(
            span.start.saturating_sub(self.base),
            span.end.saturating_sub(self.base),
        )
    }

    /// Whether the span falls in this file (an empty span at its end does).
    fn holds(&self, span: Span) -> bool {
        let end = self.base + self.text.len();
        self.base <= span.start && span.end <= end
    }
}

/// The files of one ruleset, its own first (at offset 0).
#[derive(Debug, Clone)]
pub struct SourceMap {
    files: Vec<MappedFile>,
}

impl SourceMap {
    /// A map holding the ruleset's own file, at offset 0.
    pub(crate) fn new(path: Option<&Path>, text: &str) -> SourceMap {
        SourceMap {
            files: vec![MappedFile {
                base: 0,
                path: path.map(Path::to_path_buf),
                name: None,
                text: text.into(),
            }],
        }
    }

    /// Add a definitions file after the last file; its base offset, at
    /// which to parse it.
    pub(crate) fn push(&mut self, name: &str, path: &Path, text: &str) -> usize {
        let base = self.files.last().map_or(0, |f| f.base + f.text.len() + 1);
        self.files.push(MappedFile {
            base,
            path: Some(path.to_path_buf()),
            name: Some(name.to_string()),
            text: text.into(),
        });
        base
    }

    /// Every file, the ruleset's own first, then the definitions in the
    /// order they were read: depth first from the `uses` clauses, so that
    /// definitions come before those they use (whose items are checked
    /// first).
    pub fn files(&self) -> &[MappedFile] {
        &self.files
    }

    /// The ruleset's own file.
    pub fn main(&self) -> Option<&MappedFile> {
        self.files.first()
    }

    /// The file a span falls in.
    pub fn file_of(&self, span: Span) -> Option<&MappedFile> {
        self.files
            .iter()
            .rev()
            .find(|f| f.base <= span.start)
            .filter(|f| f.holds(span))
    }

    /// The file a span falls in, and the span within that file's text.
    pub fn locate(&self, span: Span) -> Option<(&MappedFile, Span)> {
        self.file_of(span).map(|f| (f, f.local(span)))
    }

    /// The source text a span covers, from whichever file it is in.
    pub fn text_of(&self, span: Span) -> Option<&str> {
        let (file, local) = self.locate(span)?;
        file.text.get(local.start..local.end)
    }

    /// Whether two spans are in the same file.
    pub(crate) fn same_file(&self, a: Span, b: Span) -> bool {
        match (self.file_of(a), self.file_of(b)) {
            (Some(x), Some(y)) => x.base == y.base,
            _ => true,
        }
    }

    /// `path:line:column` of a span, for messages that name a place in
    /// another file than the one they point at.
    /// The line (from 1) of the file holding `span` that it starts on.
    pub(crate) fn line(&self, span: Span) -> Option<usize> {
        self.locate(span)
            .map(|(file, local)| local.line_col(&file.text).0)
    }

    pub(crate) fn place(&self, span: Span) -> String {
        match self.locate(span) {
            Some((file, local)) => {
                let (line, column) = local.line_col(&file.text);
                let path = file
                    .path
                    .as_ref()
                    .map_or("the ruleset".to_string(), |p| p.display().to_string());
                format!("{path}:{line}:{column}")
            }
            None => "another file".to_string(),
        }
    }

    /// Problems whose spans are in the shared space, grouped by file with
    /// spans of each file's own text: the ruleset's own file first, then
    /// the definitions in order; files without problems are left out.
    pub(crate) fn split(&self, problems: Vec<Problem>) -> Vec<FileProblems> {
        let mut groups: Vec<Vec<Problem>> = vec![Vec::new(); self.files.len()];
        for p in problems {
            let index = self
                .files
                .iter()
                .rposition(|f| f.base <= p.span().start)
                .unwrap_or(0);
            let base = self.files.get(index).map_or(0, |f| f.base);
            let local =
                p.map_span(|s| Span::new(s.start.saturating_sub(base), s.end.saturating_sub(base)));
            if let Some(group) = groups.get_mut(index) {
                group.push(local);
            }
        }
        self.files
            .iter()
            .zip(groups)
            .filter(|(_, problems)| !problems.is_empty())
            .map(|(f, problems)| FileProblems {
                path: f.path.clone().unwrap_or_default(),
                source: f.text.to_string(),
                problems,
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing, reason = "tests")]

    use super::*;
    use crate::diagnostic::CheckError;

    fn map() -> SourceMap {
        let mut map = SourceMap::new(Some(Path::new("homes.rules")), "ruleset homes\nx\n");
        let a = map.push(
            "a",
            Path::new("definitions/a.rules"),
            "definitions a\nlet y = 1\n",
        );
        let b = map.push("b", Path::new("definitions/b.rules"), "");
        assert_eq!((a, b), (17, 17 + 24 + 1));
        map
    }

    #[test]
    fn a_span_names_its_file_and_its_place_there() {
        let map = map();
        let (file, local) = map.locate(Span::new(31, 40)).unwrap();
        assert_eq!(file.definitions(), Some("a"));
        assert_eq!(local, Span::new(14, 23));
        assert_eq!(map.text_of(Span::new(31, 40)), Some("let y = 1"));
        assert_eq!(map.place(Span::new(31, 40)), "definitions/a.rules:2:1");
        assert_eq!(map.text_of(Span::new(0, 7)), Some("ruleset"));
        assert_eq!(map.main().unwrap().definitions(), None);
    }

    #[test]
    fn an_empty_span_at_the_end_of_a_file_is_in_that_file() {
        let map = map();
        assert_eq!(map.file_of(Span::new(16, 16)).unwrap().definitions(), None);
        assert_eq!(
            map.file_of(Span::new(41, 41)).unwrap().definitions(),
            Some("a")
        );
        assert_eq!(
            map.file_of(Span::new(42, 42)).unwrap().definitions(),
            Some("b")
        );
        assert!(map.file_of(Span::new(43, 43)).is_none(), "past the last");
        assert!(map.file_of(Span::new(10, 20)).is_none(), "across two files");
        assert!(map.same_file(Span::new(0, 1), Span::new(15, 16)));
        assert!(!map.same_file(Span::new(0, 1), Span::new(18, 19)));
    }

    #[test]
    fn problems_split_by_file_with_spans_of_their_own_text() {
        let map = map();
        let problem = |start: usize| {
            Problem::Check(CheckError::error("x", Span::new(start, start + 1), "here"))
        };
        let files = map.split(vec![problem(31), problem(2), problem(32)]);
        let summary: Vec<(String, Vec<usize>)> = files
            .iter()
            .map(|f| {
                (
                    f.path.display().to_string(),
                    f.problems.iter().map(|p| p.span().start).collect(),
                )
            })
            .collect();
        assert_eq!(
            summary,
            [
                ("homes.rules".to_string(), vec![2]),
                ("definitions/a.rules".to_string(), vec![14, 15]),
            ]
        );
        assert_eq!(files[1].source, "definitions a\nlet y = 1\n");
    }
}
