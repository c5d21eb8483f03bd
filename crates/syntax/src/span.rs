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
}
