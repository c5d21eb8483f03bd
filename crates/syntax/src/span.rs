//! Byte spans into a rule file, and the wrapper that puts one on every AST node.

use std::fmt;

/// A half-open byte range `start..end` into the source text.
#[derive(Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Span {
        Span { start, end }
    }

    /// The smallest span covering both.
    pub fn join(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }

    pub fn len(self) -> usize {
        self.end.saturating_sub(self.start)
    }

    pub fn is_empty(self) -> bool {
        self.len() == 0
    }

    /// The 1-based line and column (in characters) of the span's start.
    pub fn line_col(self, source: &str) -> (usize, usize) {
        line_col(source, self.start)
    }
}

impl fmt::Debug for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}..{}", self.start, self.end)
    }
}

impl From<Span> for miette::SourceSpan {
    fn from(span: Span) -> miette::SourceSpan {
        (span.start, span.len()).into()
    }
}

/// The 1-based line and column of a byte offset; offsets past the end clamp.
/// A byte-order mark at the start of the text takes no column: editors do
/// not show it.
pub fn line_col(source: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(source.len());
    let before = source.get(..offset).unwrap_or(source);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let on_line = before.get(line_start..).unwrap_or("");
    let on_line = match line_start {
        0 => on_line.strip_prefix('\u{feff}').unwrap_or(on_line),
        _ => on_line,
    };
    let column = on_line.chars().count() + 1;
    (line, column)
}

/// The span of the word (up to the next space or the end of the line) at a
/// 1-based line and column (in characters) of `source`: [`line_col`] the
/// other way, a byte-order mark at the start taking no column either. The
/// end of the line when the column is past it, the end of the text when
/// the line is.
pub fn word_at(source: &str, line: usize, column: usize) -> Span {
    let line_start = match line.checked_sub(1) {
        Some(0) | None => source.strip_prefix('\u{feff}').map_or(0, |_| 3),
        Some(n) => source
            .match_indices('\n')
            .nth(n - 1)
            .map_or(source.len(), |(i, _)| i + 1),
    };
    let on_line = source
        .get(line_start..)
        .and_then(|t| t.split('\n').next())
        .unwrap_or("");
    let start = on_line
        .char_indices()
        .nth(column.saturating_sub(1))
        .map_or(on_line.len(), |(i, _)| i);
    let word = on_line.get(start..).unwrap_or("");
    let end = start + word.find(char::is_whitespace).unwrap_or(word.len());
    Span::new(line_start + start, line_start + end)
}

/// A value with the span of the text it came from. Equality ignores the span,
/// so ASTs parsed from differently laid-out text compare equal.
#[derive(Clone)]
pub struct Spanned<T> {
    pub node: T,
    pub span: Span,
}

impl<T> Spanned<T> {
    pub fn new(node: T, span: Span) -> Spanned<T> {
        Spanned { node, span }
    }
}

impl<T: PartialEq> PartialEq for Spanned<T> {
    fn eq(&self, other: &Self) -> bool {
        self.node == other.node
    }
}

impl<T: Eq> Eq for Spanned<T> {}

impl<T: fmt::Debug> fmt::Debug for Spanned<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.node.fmt(f)?;
        write!(f, " @{:?}", self.span)
    }
}

impl<T> std::ops::Deref for Spanned<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.node
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_count_characters_from_one() {
        let src = "ab\ncdé\nf";
        assert_eq!(line_col(src, 0), (1, 1));
        assert_eq!(line_col(src, 3), (2, 1));
        assert_eq!(line_col(src, 5), (2, 3));
        assert_eq!(line_col(src, 8), (3, 1));
        assert_eq!(line_col(src, 999), (3, 2));
    }

    #[test]
    fn a_byte_order_mark_takes_no_column() {
        let src = "\u{feff}ab\n\u{feff}c";
        assert_eq!(line_col(src, 0), (1, 1));
        assert_eq!(line_col(src, 3), (1, 1));
        assert_eq!(line_col(src, 4), (1, 2));
        assert_eq!(line_col(src, 9), (2, 2), "only at the start of the text");
    }

    #[test]
    fn the_word_at_a_line_and_column_is_line_col_the_other_way() {
        let src = "ab cd\n\u{e9}x yz\n";
        assert_eq!(word_at(src, 1, 4), Span::new(3, 5));
        assert_eq!(line_col(src, 3), (1, 4));
        // `x` after é (two bytes, one column).
        assert_eq!(word_at(src, 2, 2), Span::new(8, 9));
        // A column past the end of its line: the end of that line.
        assert_eq!(word_at(src, 1, 99), Span::new(5, 5));
        // A line past the end: the end of the text.
        assert_eq!(word_at(src, 9, 1), Span::new(src.len(), src.len()));
        // Behind a byte-order mark, the first line's columns start after it.
        let marked = "\u{feff}ab cd";
        assert_eq!(word_at(marked, 1, 4), Span::new(6, 8));
        assert_eq!(line_col(marked, 6), (1, 4));
    }
}
