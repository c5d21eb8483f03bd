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

/// Whether the place before byte `offset` of `text` is inside a comment or
/// a string, where what is typed is prose, not code: from just after the
/// `#` to the end of its line, from just after a string's opening quote to
/// its closing quote (the place after that quote is code again), and to the
/// end of a string that is not closed. For the language server, which
/// offers names only in code.
pub fn in_comment_or_string(text: &str, offset: usize) -> bool {
    for region in regions(text) {
        if region.start >= offset {
            return false;
        }
        if offset > region.end() {
            continue;
        }
        return match region.kind {
            Kind::Code => false,
            Kind::Comment => true,
            Kind::Text => offset < region.end() || !closed(region.text),
        };
    }
    false
}

/// Whether a string region (its quotes included) ends with its closing
/// quote: a quote after an even number of backslashes.
fn closed(string: &str) -> bool {
    let Some(inside) = string.get(1..).and_then(|s| s.strip_suffix('"')) else {
        return false;
    };
    let backslashes = inside.len() - inside.trim_end_matches('\\').len();
    backslashes % 2 == 0
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
///
/// Read a comment at a time, never past the first thing that is not layout:
/// the nesting check asks it after many words of a file.
pub(crate) fn leading_layout(text: &str) -> usize {
    let mut at = 0;
    loop {
        let rest = text.get(at..).unwrap_or("");
        let code = rest.trim_start();
        at += rest.len() - code.len();
        match not_code_len(code) {
            Some(len) if code.starts_with('#') => at += len,
            _ => return at,
        }
    }
}

/// The comment that documents a declaration of one line whose code runs
/// from `start` to `end` in `text` (a field of an `evidence` or `record`
/// block): the comment lines directly above it, where it begins its line,
/// indented as it is (a comment indented less, such as one at the start of
/// its line above indented fields, is the file's, of a part of it), with
/// no blank line between, then the comment after it on its own line; each
/// without its `#`, the lines above joined by spaces and the two as two
/// sentences. `None` where there is neither.
pub(crate) fn doc_comment(text: &str, start: usize, end: usize) -> Option<String> {
    let mut lines = Vec::new();
    let mut line_start = text.get(..start)?.rfind('\n').map_or(0, |i| i + 1);
    let indent = text.get(line_start..start)?;
    // Only a declaration that begins its line has the lines above it (not
    // one after `evidence`, or another field, on the line).
    let first_on_line = indent.trim().is_empty();
    while let Some(above_end) = line_start.checked_sub(1).filter(|_| first_on_line) {
        let above_start = text.get(..above_end)?.rfind('\n').map_or(0, |i| i + 1);
        let line = text.get(above_start..above_end)?.trim_end_matches('\r');
        let body = line.trim_start();
        match body.strip_prefix('#') {
            Some(words) if line.len() - body.len() == indent.len() && line.starts_with(indent) => {
                lines.push(words.trim())
            }
            _ => break,
        }
        line_start = above_start;
    }
    lines.reverse();
    lines.retain(|l| !l.is_empty());
    let above = (!lines.is_empty()).then(|| lines.join(" "));
    let after = text.get(end..)?.split('\n').next().unwrap_or("");
    let after = after
        .trim()
        .strip_prefix('#')
        .map(str::trim)
        .filter(|words| !words.is_empty());
    match (above, after) {
        (Some(above), Some(after)) => Some(crate::message::then_said(&above, after)),
        (above, after) => above.or(after.map(str::to_string)),
    }
}

/// Whether a byte is part of a word (a name, a keyword or a number).
pub(crate) fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// The length of the word `text` starts with: none where it starts with
/// anything else.
pub(crate) fn word_len(text: &str) -> usize {
    text.bytes()
        .position(|b| !is_word_byte(b))
        .unwrap_or(text.len())
}

/// The word `text` starts with after its leading layout; empty where the
/// next thing is not a word.
pub(crate) fn first_word(text: &str) -> &str {
    let rest = text.get(leading_layout(text)..).unwrap_or("");
    rest.get(..word_len(rest)).unwrap_or("")
}

/// Where the comments of a text start, in order: found once for a file
/// (by the check before parsing, as it skips them), so that the layout a
/// piece of the file ends with is found without reading the piece again.
/// The parser asks it of every node; reading each node's text made lowering
/// quadratic in depth.
#[derive(Debug, Default)]
pub(crate) struct Comments {
    starts: Vec<usize>,
}

impl Comments {
    /// Every comment of `text`, found by [`regions`].
    #[cfg(test)]
    pub(crate) fn of(text: &str) -> Comments {
        Comments {
            starts: regions(text)
                .filter(|r| r.kind == Kind::Comment)
                .map(|r| r.start)
                .collect(),
        }
    }

    /// A comment starting at `at`, after every one noted so far.
    pub(crate) fn push(&mut self, at: usize) {
        self.starts.push(at);
    }

    /// The end of `text[start..end]` without the layout (white space and
    /// comments) it ends with, where `start` is in code and these are the
    /// comments of the whole `text`. A comment runs to the end of its line,
    /// and a string that the grammar lets through never holds a line break.
    pub(crate) fn code_end(&self, text: &str, start: usize, end: usize) -> usize {
        let trimmed = |to: usize| start + text.get(start..to).map_or(0, |t| t.trim_end().len());
        let mut end = trimmed(end);
        loop {
            // The last comment that starts before the end, if in the piece.
            let before = self.starts.partition_point(|&c| c < end);
            let Some(&comment) = before.checked_sub(1).and_then(|i| self.starts.get(i)) else {
                return end;
            };
            if comment < start {
                return end;
            }
            let line_end = text
                .get(comment..)
                .and_then(|t| t.find('\n'))
                .map_or(text.len(), |n| comment + n);
            if end > line_end {
                // Code on a later line.
                return end;
            }
            end = trimmed(comment);
        }
    }
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
    fn comments_and_strings_are_prose_from_their_first_character() {
        let text = "when a # b\nthen c \"d {e}\" f \"g\\\" h";
        let prose = |at: usize| in_comment_or_string(text, at);
        let at = |needle: &str| text.find(needle).unwrap_or(usize::MAX);
        // Before the `#`, code; after it and to the end of its line, a comment.
        assert!(!prose(at("#")));
        assert!(prose(at("#") + 1));
        assert!(prose(at("\n")));
        assert!(!prose(at("\n") + 1));
        // A string from after its opening quote to its closing quote, its
        // braces included; after the closing quote, code.
        assert!(!prose(at("\"d")));
        assert!(prose(at("\"d") + 1));
        assert!(prose(at("e}")));
        assert!(prose(at("\" f")));
        assert!(!prose(at("\" f") + 1));
        // A string whose last quote is escaped is not closed: to the end.
        assert!(prose(text.len()));
        assert!(in_comment_or_string("a \"b\"", 4));
        assert!(!in_comment_or_string("a \"b\"", 5));
        assert!(in_comment_or_string("a \"b", 4));
        assert!(!in_comment_or_string("", 0));
        assert!(!in_comment_or_string("a", 5));
    }

    #[test]
    fn layout_is_found_at_either_end() {
        assert_eq!(leading_layout("  # c\n\t# d\n x # e"), 12);
        assert_eq!(leading_layout(" \"#\""), 1);
        assert_eq!(leading_layout(" # c"), 4);
        for (text, code) in [
            ("a \"#\"  # c\n  # d\n", "a \"#\""),
            ("  # c", ""),
            ("a \"b  \n ", "a \"b"),
            ("a \"b\"  \n ", "a \"b\""),
            ("a # c\nb # d", "a # c\nb"),
        ] {
            assert_eq!(without_trailing_layout(text), code, "{text:?}");
        }
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

    /// The text without the layout it ends with, as lowering finds it.
    fn without_trailing_layout(text: &str) -> &str {
        let end = Comments::of(text).code_end(text, 0, text.len());
        text.get(..end).unwrap_or("")
    }

    /// The trailing layout found from the comments' starts is what reading
    /// every region from the start finds, for every text of up to six
    /// characters of code, layout, comment, string and escape in which no
    /// string holds a line break (which the grammar never lets through to
    /// lowering, the one caller), and for every piece of each that starts
    /// in code.
    #[test]
    fn trailing_layout_found_from_the_comments_is_read_from_the_start() {
        fn from_the_start(text: &str) -> &str {
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
        let alphabet = ['a', ' ', '#', '"', '\n', '\\'];
        let mut texts = vec![String::new()];
        let mut compared = 0;
        for _ in 0..6 {
            texts = texts
                .iter()
                .flat_map(|t| alphabet.iter().map(move |c| format!("{t}{c}")))
                .collect();
            for text in &texts {
                let one_line_strings =
                    regions(text).all(|r| r.kind != Kind::Text || !r.text.contains('\n'));
                if !one_line_strings {
                    continue;
                }
                let comments = Comments::of(text);
                let code_starts = regions(text).filter(|r| r.kind == Kind::Code);
                for start in code_starts.flat_map(|r| r.start..r.start + r.text.len()) {
                    for end in start..=text.len() {
                        let Some(piece) = text.get(start..end) else {
                            continue;
                        };
                        let found = comments.code_end(text, start, end);
                        assert_eq!(
                            text.get(start..found),
                            Some(from_the_start(piece)),
                            "{text:?} from {start} to {end}"
                        );
                        compared += 1;
                    }
                }
            }
        }
        assert!(compared > 100_000, "{compared}");
    }
}
