//! Byte offsets into a text and the editor's positions: a line (0-based)
//! and a character counted in UTF-16 code units, the protocol's default.

use judgement_syntax::Span;
use lsp_types::{Position, Range};

/// The start of each line of a text, to turn offsets into positions and
/// back without scanning the whole text each time.
#[derive(Debug, Clone)]
pub struct LineIndex {
    /// Byte offset of the start of each line; the first is 0.
    starts: Vec<usize>,
}

impl LineIndex {
    /// A line ends at `\n`, `\r\n` or a `\r` alone, the protocol's three
    /// line ends (the engine counts `\n` only, but its spans are bytes).
    pub fn new(text: &str) -> LineIndex {
        let mut starts = vec![0];
        let bytes = text.as_bytes();
        starts.extend(
            text.match_indices(['\n', '\r'])
                .filter(|&(i, end)| end == "\n" || bytes.get(i + 1) != Some(&b'\n'))
                .map(|(i, _)| i + 1),
        );
        LineIndex { starts }
    }

    /// The position of a byte offset (clamped to the text, and moved back
    /// to the start of a character if it falls inside one).
    pub fn position(&self, text: &str, offset: usize) -> Position {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self
            .starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1);
        let start = self.starts.get(line).copied().unwrap_or(0);
        let character: usize = text
            .get(start..offset)
            .unwrap_or("")
            .chars()
            .map(char::len_utf16)
            .sum();
        Position::new(to_u32(line), to_u32(character))
    }

    /// Whether a position is in the text: on one of its lines, or on the
    /// line after the last (the end of the text, as some clients write it).
    /// A character past its line's end is in it (the protocol puts it at
    /// the line's end).
    pub fn holds(&self, position: Position) -> bool {
        (position.line as usize) <= self.starts.len()
    }

    /// How many lines the text has.
    pub fn count(&self) -> usize {
        self.starts.len()
    }

    /// The byte offset of a position; a line past the end gives the end of
    /// the text, a character past the end of its line the end of the line.
    pub fn offset(&self, text: &str, position: Position) -> usize {
        let Some(&start) = self.starts.get(position.line as usize) else {
            return text.len();
        };
        let end = self
            .starts
            .get(position.line as usize + 1)
            .map_or(text.len(), |next| next.saturating_sub(1));
        let line = text.get(start..end).unwrap_or("");
        // A CRLF line ends before its `\r`: a position past the end of the
        // line falls there, as the client puts it, not between `\r` and `\n`.
        let line = line.strip_suffix('\r').unwrap_or(line);
        let end = start + line.len();
        let mut units = 0usize;
        for (i, c) in line.char_indices() {
            if units >= position.character as usize {
                return start + i;
            }
            units += c.len_utf16();
        }
        end
    }

    pub fn range(&self, text: &str, span: Span) -> Range {
        Range::new(
            self.position(text, span.start),
            self.position(text, span.end),
        )
    }

    /// The range of the 1-based line and column (in characters) that the
    /// engine gives, to the end of that line's word.
    pub fn range_at(&self, text: &str, line: usize, column: usize) -> Range {
        self.range(text, judgement_syntax::word_at(text, line, column))
    }
}

/// The bytes of a byte-order mark at the start of `text` (3, or none): the
/// engine reads the text after it, so its spans are shifted by this much.
pub fn bom_len(text: &str) -> usize {
    if text.starts_with('\u{feff}') {
        '\u{feff}'.len_utf8()
    } else {
        0
    }
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn characters_are_counted_in_utf16_units() {
        let text = "ab\n\u{e9}\u{1f600}x\nz";
        let index = LineIndex::new(text);
        // `x` is after é (1 unit, 2 bytes) and an emoji (2 units, 4 bytes).
        let x = text.find('x').unwrap_or_default();
        assert_eq!(index.position(text, x), Position::new(1, 3));
        assert_eq!(index.offset(text, Position::new(1, 3)), x);
        assert_eq!(index.position(text, text.len()), Position::new(2, 1));
        assert_eq!(index.offset(text, Position::new(9, 0)), text.len());
        assert_eq!(index.offset(text, Position::new(0, 99)), 2);
    }

    /// A character past the end of a CRLF line falls before its `\r`, where
    /// the client puts it: an edit there must not split `\r\n`.
    #[test]
    fn past_the_end_of_a_crlf_line_is_before_its_carriage_return() {
        let text = "one\r\ntwo\r\n";
        let index = LineIndex::new(text);
        assert_eq!(index.offset(text, Position::new(0, 99)), 3);
        assert_eq!(index.offset(text, Position::new(0, 3)), 3);
        assert_eq!(index.offset(text, Position::new(1, 99)), 8);
        assert_eq!(index.offset(text, Position::new(1, 1)), 6);
    }

    /// A `\r` alone ends a line, as `\n` and `\r\n` do: the protocol's
    /// line count, which the editor's positions are in.
    #[test]
    fn a_carriage_return_alone_ends_a_line() {
        let text = "one\rtwo\r\nthree\n\rfour\r";
        let index = LineIndex::new(text);
        let at = |needle: &str| text.find(needle).unwrap_or_default();
        assert_eq!(index.position(text, at("two")), Position::new(1, 0));
        assert_eq!(index.position(text, at("three")), Position::new(2, 0));
        assert_eq!(index.position(text, at("four")), Position::new(4, 0));
        assert_eq!(index.position(text, text.len()), Position::new(5, 0));
        assert_eq!(index.offset(text, Position::new(1, 1)), at("two") + 1);
        // Past the end of a line is before its `\r`, alone or before `\n`.
        assert_eq!(index.offset(text, Position::new(0, 99)), at("\rtwo"));
        assert_eq!(index.offset(text, Position::new(1, 99)), at("\r\n"));
        assert_eq!(index.offset(text, Position::new(3, 9)), at("\rfour"));
        assert_eq!(index.offset(text, Position::new(4, 99)), text.len() - 1);
    }

    #[test]
    fn an_offset_inside_a_character_moves_to_its_start() {
        let text = "\u{e9}a";
        let index = LineIndex::new(text);
        assert_eq!(index.position(text, 1), Position::new(0, 0));
    }

    #[test]
    fn engine_lines_and_columns_are_one_based_characters() {
        let text = "r\n\u{e9}\u{e9} word next";
        let index = LineIndex::new(text);
        let range = index.range_at(text, 2, 4);
        assert_eq!(range, Range::new(Position::new(1, 3), Position::new(1, 7)));
    }
}
