//! The one scanner of rule-file text for what is code, what is a comment and
//! what is a string, for the passes that read the text without the grammar:
//! the nesting pre-check, the first word of a file, the end of a node's code
//! before the layout after it, and the formatter's comments.
//!
//! A comment runs from `#` to the end of its line. A string runs from `"` to
//! the next `"` that is not escaped; inside it a backslash escapes the
//! character after it, so `\\` is one backslash and the quote after it ends
//! the string (`"\\"`), while `\"` does not. A string the grammar would
//! refuse ends at the end of its line (unless a backslash escapes the line
//! break) or of the text.

/// What a stretch of text is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    /// Anything outside comments and strings, layout included.
    Code,
    /// `#` to the end of the line, without the line break.
    Comment,
    /// A string with its quotes.
    Text,
}

/// A stretch of text of one kind: `text` starts at byte `start`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Region<'a> {
    pub(crate) kind: Kind,
    pub(crate) start: usize,
    pub(crate) text: &'a str,
}

impl Region<'_> {
    /// The byte after the region.
    pub(crate) fn end(&self) -> usize {
        self.start + self.text.len()
    }
}

/// The text as consecutive regions, in order, covering every byte.
pub(crate) fn regions(text: &str) -> impl Iterator<Item = Region<'_>> {
    let mut at = 0;
    std::iter::from_fn(move || {
        let rest = text.get(at..).filter(|r| !r.is_empty())?;
        let bytes = rest.as_bytes();
        let (kind, len) = match not_code_len(rest) {
            Some(len) if bytes.first() == Some(&b'#') => (Kind::Comment, len),
            Some(len) => (Kind::Text, len),
            None => (Kind::Code, until(bytes, 0, |b| b == b'#' || b == b'"')),
        };
        let region = Region {
            kind,
            start: at,
            text: rest.get(..len)?,
        };
        at += len;
        Some(region)
    })
}

/// The length of the comment (to its line break) or string (its quotes
/// included) that `rest` starts with; `None` where it starts with code.
/// What is not code, for [`regions`] and for the nesting check that skips
/// it without dividing the text.
pub(crate) fn not_code_len(rest: &str) -> Option<usize> {
    let bytes = rest.as_bytes();
    match bytes.first()? {
        b'#' => Some(until(bytes, 1, |b| b == b'\n')),
        b'"' => Some(string_len_of(rest)),
        _ => None,
    }
}

/// The first index from `from` whose byte ends the region, or the length.
fn until(bytes: &[u8], from: usize, stop: impl Fn(u8) -> bool) -> usize {
    bytes
        .iter()
        .skip(from)
        .position(|&b| stop(b))
        .map_or(bytes.len(), |i| from + i)
}

/// The length of the string `text` starts with, its quotes included, as
/// [`string_len`] reads it. Most strings hold no escape and end on their
/// line: their closing quote is found by a search (memchr) rather than a
/// step per byte.
pub(crate) fn string_len_of(text: &str) -> usize {
    if let Some(close) = text.get(1..).and_then(|t| t.find('"')) {
        let inside = text.get(1..1 + close).unwrap_or("");
        if !inside.contains('\\') && !inside.contains('\n') {
            return close + 2;
        }
    }
    string_len(text.as_bytes())
}

/// The length of the string `bytes` starts with, its quotes included.
fn string_len(bytes: &[u8]) -> usize {
    let mut escaped = false;
    for (i, &b) in bytes.iter().enumerate().skip(1) {
        match b {
            _ if escaped => escaped = false,
            b'\\' => escaped = true,
            b'"' => return i + 1,
            b'\n' => return i,
            _ => {}
        }
    }
    bytes.len()
}

/// How many bytes of layout (white space and comments) `text` starts with.
/// Any Unicode white space counts: in a file that parses, code outside
/// comments and strings holds none but the grammar's (space, tab, line
/// breaks).
pub(crate) fn leading_layout(text: &str) -> usize {
    for region in regions(text) {
        match region.kind {
            Kind::Comment => {}
            Kind::Text => return region.start,
            Kind::Code => {
                if let Some(i) = region.text.find(|c: char| !c.is_whitespace()) {
                    return region.start + i;
                }
            }
        }
    }
    text.len()
}

/// The text without the layout (white space and comments) it ends with.
/// Text without a `#` has no comment: it ends where its white space starts
/// (the parser asks this of every node, most of which hold no comment).
pub(crate) fn without_trailing_layout(text: &str) -> &str {
    if !text.contains('#') {
        return text.trim_end();
    }
    let end = regions(text)
        .filter(|r| r.kind != Kind::Comment)
        .filter_map(|r| {
            let code = r.text.trim_end();
            (!code.is_empty()).then_some(r.start + code.len())
        })
        .last()
        .unwrap_or(0);
    text.get(..end).unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(Kind, &str)> {
        regions(text).map(|r| (r.kind, r.text)).collect()
    }

    #[test]
    fn code_comments_and_strings_are_told_apart() {
        assert_eq!(
            kinds("a \"b # c\" # d \"e\nf"),
            vec![
                (Kind::Code, "a "),
                (Kind::Text, "\"b # c\""),
                (Kind::Code, " "),
                (Kind::Comment, "# d \"e"),
                (Kind::Code, "\nf"),
            ]
        );
    }

    #[test]
    fn an_escaped_backslash_ends_a_string_at_the_quote_after_it() {
        assert_eq!(
            kinds(r#""\\" (# c"#),
            vec![
                (Kind::Text, r#""\\""#),
                (Kind::Code, " ("),
                (Kind::Comment, "# c"),
            ]
        );
        assert_eq!(kinds(r#""\" # c"#), vec![(Kind::Text, r#""\" # c"#)]);
    }

    #[test]
    fn an_unterminated_string_ends_at_its_line_or_the_text() {
        assert_eq!(
            kinds("\"a\n(\"b"),
            vec![
                (Kind::Text, "\"a"),
                (Kind::Code, "\n("),
                (Kind::Text, "\"b")
            ]
        );
        assert_eq!(kinds("\"a\\\n(\""), vec![(Kind::Text, "\"a\\\n(\"")]);
    }

    #[test]
    fn layout_is_found_at_either_end() {
        assert_eq!(leading_layout("  # c\n\t# d\n x # e"), 12);
        assert_eq!(leading_layout(" \"#\""), 1);
        assert_eq!(leading_layout(" # c"), 4);
        assert_eq!(without_trailing_layout("a \"#\"  # c\n  # d\n"), "a \"#\"");
        assert_eq!(without_trailing_layout("  # c"), "");
        assert_eq!(without_trailing_layout("a \"b  \n "), "a \"b");
        assert_eq!(without_trailing_layout("a \"b\"  \n "), "a \"b\"");
    }

    /// A string found by search is as long as one read a byte at a time:
    /// every text of up to six characters of code, layout, comment, string
    /// and escape that starts with a quote.
    #[test]
    fn a_string_found_by_search_is_as_long_as_one_read_bytewise() {
        let alphabet = ['a', ' ', '#', '"', '\n', '\\'];
        let mut texts = vec![String::from("\"")];
        for _ in 0..6 {
            let longer: Vec<String> = texts
                .iter()
                .flat_map(|t| alphabet.iter().map(move |c| format!("{t}{c}")))
                .collect();
            for text in &longer {
                assert_eq!(string_len_of(text), string_len(text.as_bytes()), "{text:?}");
            }
            texts = longer;
        }
    }
}
