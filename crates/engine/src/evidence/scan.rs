//! A scanner of JSON's bytes for the one-pass reader (`stream.rs`):
//! [`Scan`] reads a record's text token by token, keys and strings without
//! escapes as slices of the text, a string's plain bytes found eight at a
//! time, and gives up (none) at whatever it does not read exactly as
//! serde_json reads it: a key with an escape, a number that is not whole,
//! nesting deeper than `MOST_DEPTH`. A text it reads is one serde_json reads
//! to the same values.

use super::parse_date;
use super::stream::Cx;
use super::tree::same_key;
use crate::types::Type;
use crate::value::Value;

/// The most objects and lists open at once that the one-pass reader reads:
/// deeper nesting than a ruleset declares gives up anyway, and this bounds
/// the reader's recursion whatever the ruleset. Below serde_json's limit
/// (128), so nothing it refuses for depth is read here.
const MOST_DEPTH: usize = 100;

/// The text of one record, and how far it has been read: a JSON scanner
/// over its bytes, which gives up (none) at anything it does not read
/// exactly as serde_json would. Keys and strings without escapes are
/// slices of the text.
pub(super) struct Scan<'t> {
    text: &'t str,
    pub(super) at: usize,
    /// Objects and lists open.
    depth: usize,
    /// The last string read that had escapes, written out.
    unescaped: String,
}

/// A whole number as serde_json reads one: a `u64` if not negative, an
/// `i64` if negative; any other number (a fraction, an exponent, `-0`, or
/// one too large) it reads as a float, which no field of the one-pass
/// reader takes.
#[derive(Clone, Copy)]
pub(super) enum Whole {
    Unsigned(u64),
    Negative(i64),
}

impl Whole {
    pub(super) fn as_i64(self) -> Option<i64> {
        match self {
            Whole::Unsigned(n) => i64::try_from(n).ok(),
            Whole::Negative(n) => Some(n),
        }
    }
}

/// Whether a byte ends a run of a string's plain bytes: its closing quote,
/// an escape, or a control character (which JSON does not allow there).
pub(super) fn ends_plain(b: u8) -> bool {
    b == b'"' || b == b'\\' || b < 0x20
}

/// A one in each byte of a word.
const ONES: u64 = 0x0101_0101_0101_0101;

/// Eight bytes of text, read as one little-endian word (the first byte the
/// lowest), at `at`.
fn word_at(bytes: &[u8], at: usize) -> Option<u64> {
    let chunk = bytes.get(at..at.checked_add(8)?)?;
    <[u8; 8]>::try_from(chunk).ok().map(u64::from_le_bytes)
}

/// The high bit set of each byte of `word` that [`ends_plain`], the lowest
/// such byte's exactly (a byte above it may be flagged wrongly by a borrow,
/// which does not matter: only the lowest is used). A byte less than `n`
/// borrows when `n` is taken from it and had its high bit clear: so
/// `(x - n) & !x` has the high bit set where `x < n`, and a byte equal to
/// `c` is one that `x ^ c` makes zero, less than one. Bytes of 0x80 and
/// over, as in any character beyond ASCII, are never flagged.
fn plain_ends(word: u64) -> u64 {
    let quote = word ^ (ONES * u64::from(b'"'));
    let backslash = word ^ (ONES * u64::from(b'\\'));
    let below =
        quote.wrapping_sub(ONES) | backslash.wrapping_sub(ONES) | word.wrapping_sub(ONES * 0x20);
    // `quote` and `backslash` have `word`'s high bits.
    below & !word & (ONES << 7)
}

impl<'t> Scan<'t> {
    pub(super) fn new(text: &'t str) -> Scan<'t> {
        Scan {
            text,
            at: 0,
            depth: 0,
            unescaped: String::new(),
        }
    }

    /// The next byte that is not JSON's whitespace (space, tab, line feed,
    /// carriage return), not taken; none at the end of the text.
    pub(super) fn peek_token(&mut self) -> Option<u8> {
        let bytes = self.text.as_bytes();
        while let Some(&b) = bytes.get(self.at) {
            if !matches!(b, b' ' | b'\n' | b'\t' | b'\r') {
                return Some(b);
            }
            self.at += 1;
        }
        None
    }

    /// The next byte that is not whitespace, taken.
    pub(super) fn token(&mut self) -> Option<u8> {
        let b = self.peek_token()?;
        self.at += 1;
        Some(b)
    }

    /// Nothing but whitespace is left.
    pub(super) fn at_end(&mut self) -> bool {
        self.peek_token().is_none()
    }

    /// The bytes `word` (`null`, `true`, `false`) are next, taken.
    pub(super) fn literal(&mut self, word: &[u8]) -> Option<()> {
        let end = self.at.checked_add(word.len())?;
        (self.text.as_bytes().get(self.at..end)? == word).then(|| self.at = end)
    }

    /// One more object or list open.
    pub(super) fn enter(&mut self) -> Option<()> {
        self.depth += 1;
        (self.depth <= MOST_DEPTH).then_some(())
    }

    pub(super) fn leave(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }

    /// How many plain bytes of a string there are from `from`: looked at
    /// eight at a time (which took 20M instructions off the 193M that
    /// reading 20,000 records took looking at each), then one at a time
    /// near the end of the text.
    fn plain_run(&self, from: usize) -> usize {
        let bytes = self.text.as_bytes();
        let mut at = from;
        while let Some(word) = word_at(bytes, at) {
            let ends = plain_ends(word);
            if ends != 0 {
                // The lowest flagged byte is the first.
                return at - from + (ends.trailing_zeros() / 8) as usize;
            }
            at += 8;
        }
        let rest = bytes.get(at..).unwrap_or_default();
        at - from
            + rest
                .iter()
                .position(|&b| ends_plain(b))
                .unwrap_or(rest.len())
    }

    /// Whether the key `declared` is next, and its closing quote (its
    /// opening quote taken): then both are taken. A declared key has no
    /// byte that ends a string's plain bytes (`Tree::insert`, in
    /// `tree.rs`), so the key in the text is `declared` exactly.
    pub(super) fn key_is(&mut self, declared: &str) -> bool {
        let end = self.at + declared.len();
        let bytes = self.text.as_bytes();
        let given = bytes
            .get(self.at..end)
            .is_some_and(|key| same_key(key, declared.as_bytes()))
            && bytes.get(end) == Some(&b'"');
        if given {
            self.at = end + 1;
        }
        given
    }

    /// A date, or a value of an enum, of type `ty`, its opening quote
    /// taken, read where it starts and written into `place` if it is there
    /// as it is, followed by its closing quote: then true, and both are
    /// taken. Otherwise (another type, an escape, no such value) false,
    /// and nothing is taken. Neither a date's digits and dashes nor a
    /// plain enum's value ([`Reader::plain_enums`]) can end a string's
    /// plain bytes, so the string in the text is exactly that; and finding
    /// its end first, for a string this short, cost as much as reading it.
    ///
    /// [`Reader::plain_enums`]: super::tree::Reader::plain_enums
    pub(super) fn plain_value(&mut self, cx: Cx<'_>, ty: Type, place: &mut Value) -> bool {
        let bytes = self.text.as_bytes();
        let (value, end) = match ty {
            Type::Date => {
                let end = self.at + 10;
                let date = self.text.get(self.at..end).and_then(parse_date);
                match date {
                    Some(date) => (Value::Date(date), end),
                    None => return false,
                }
            }
            Type::Enum { id, .. } if cx.reader.plain_enums => {
                let values = cx.model.enums.get(id).map_or(&[][..], |e| &e.values);
                let found = values.iter().enumerate().find_map(|(i, v)| {
                    let end = self.at + v.len();
                    let given = bytes.get(end) == Some(&b'"')
                        && bytes
                            .get(self.at..end)
                            .is_some_and(|text| same_key(text, v.as_bytes()));
                    given.then_some((i, end))
                });
                match found {
                    Some((i, end)) => (Value::Enum(u16::try_from(i).unwrap_or(u16::MAX)), end),
                    None => return false,
                }
            }
            _ => return false,
        };
        if bytes.get(end) != Some(&b'"') {
            return false;
        }
        *place = value;
        self.at = end + 1;
        true
    }

    /// A key, its opening quote taken: a slice of the text. A key with an
    /// escape gives up (no declared key needs one).
    pub(super) fn key(&mut self) -> Option<&'t str> {
        let start = self.at;
        let end = start + self.plain_run(start);
        if self.text.as_bytes().get(end) != Some(&b'"') {
            return None;
        }
        self.at = end + 1;
        self.text.get(start..end)
    }

    /// A string, its opening quote taken: a slice of the text, or, if it
    /// has escapes, the string they stand for.
    pub(super) fn string(&mut self) -> Option<&str> {
        let text = self.text;
        let start = self.at;
        let end = start + self.plain_run(start);
        match text.as_bytes().get(end) {
            Some(b'"') => {
                self.at = end + 1;
                text.get(start..end)
            }
            Some(b'\\') => {
                self.unescaped.clear();
                self.unescaped.push_str(text.get(start..end)?);
                self.at = end;
                self.unescape()?;
                Some(&self.unescaped)
            }
            // A control character, or the end of the text.
            _ => None,
        }
    }

    /// The rest of a string from an escape, written out into `unescaped`,
    /// as serde_json writes it out; its closing quote taken.
    fn unescape(&mut self) -> Option<()> {
        let bytes = self.text.as_bytes();
        loop {
            match bytes.get(self.at)? {
                b'"' => {
                    self.at += 1;
                    return Some(());
                }
                b'\\' => {
                    let c = match bytes.get(self.at + 1)? {
                        b'"' => Some('"'),
                        b'\\' => Some('\\'),
                        b'/' => Some('/'),
                        b'b' => Some('\u{8}'),
                        b'f' => Some('\u{c}'),
                        b'n' => Some('\n'),
                        b'r' => Some('\r'),
                        b't' => Some('\t'),
                        b'u' => None,
                        _ => return None,
                    };
                    let c = match c {
                        Some(c) => {
                            self.at += 2;
                            c
                        }
                        None => self.unicode_escape()?,
                    };
                    self.unescaped.push(c);
                }
                // A control character.
                _ => return None,
            }
            let run = self.plain_run(self.at);
            let end = self.at + run;
            self.unescaped.push_str(self.text.get(self.at..end)?);
            self.at = end;
        }
    }

    /// The character of a `\uXXXX` escape at `at`, taken: a character of
    /// its own, or a pair of surrogates (`\uD83D\uDE00`) that stand for
    /// one. A surrogate alone is an error to serde_json.
    fn unicode_escape(&mut self) -> Option<char> {
        let first = self.hex4(self.at + 2)?;
        self.at += 6;
        if !(0xD800..=0xDFFF).contains(&first) {
            return char::from_u32(first);
        }
        if first >= 0xDC00 {
            return None;
        }
        if self.text.as_bytes().get(self.at..self.at + 2) != Some(b"\\u") {
            return None;
        }
        let second = self.hex4(self.at + 2)?;
        if !(0xDC00..=0xDFFF).contains(&second) {
            return None;
        }
        self.at += 6;
        char::from_u32(0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00))
    }

    /// The four hexadecimal digits at `from`, as a number.
    fn hex4(&self, from: usize) -> Option<u32> {
        let digits = self.text.as_bytes().get(from..from + 4)?;
        digits
            .iter()
            .try_fold(0, |n, &b| char::from(b).to_digit(16).map(|d| n * 16 + d))
    }

    /// A whole number, its first byte (`-` or a digit) not yet taken, and
    /// its text, which is how serde_json writes the number out: JSON
    /// allows no leading zeros or `+`, so a whole number has one form.
    /// Any number serde_json reads as a float, or does not read, gives up.
    pub(super) fn whole(&mut self) -> Option<(Whole, &'t str)> {
        let bytes = self.text.as_bytes();
        let start = self.at;
        let negative = bytes.get(start) == Some(&b'-');
        let digits = if negative { start + 1 } else { start };
        let mut n: u64 = 0;
        let mut end = digits;
        while let Some(&b) = bytes.get(end).filter(|b| b.is_ascii_digit()) {
            // Past `u64::MAX`, serde_json reads a float.
            n = n.checked_mul(10)?.checked_add(u64::from(b - b'0'))?;
            end += 1;
        }
        let leading_zero = bytes.get(digits) == Some(&b'0') && end - digits > 1;
        if end == digits || leading_zero || matches!(bytes.get(end), Some(b'.' | b'e' | b'E')) {
            return None;
        }
        let whole = if negative {
            // `-0`, and below `i64::MIN`, serde_json reads as floats.
            if n == 0 {
                return None;
            }
            Whole::Negative(0i64.checked_sub_unsigned(n)?)
        } else {
            Whole::Unsigned(n)
        };
        self.at = end;
        Some((whole, self.text.get(start..end)?))
    }

    /// The items of a list, its `[` taken, each read by `item` (which
    /// starts at the whitespace before it), to its `]`, taken.
    pub(super) fn each_item(
        &mut self,
        mut item: impl FnMut(&mut Scan<'t>) -> Option<()>,
    ) -> Option<()> {
        self.enter()?;
        if self.peek_token()? == b']' {
            self.at += 1;
        } else {
            loop {
                // A `]` after a comma is not an item, and gives up here.
                item(self)?;
                match self.token()? {
                    b',' => {}
                    b']' => break,
                    _ => return None,
                }
            }
        }
        self.leave();
        Some(())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::indexing_slicing, reason = "tests")]
    use super::Scan;

    /// Eight bytes at a time, the plain bytes of a string are counted as
    /// one at a time counts them: for every byte that ends them, and bytes
    /// either side of each class, at every place in texts of every length.
    #[test]
    fn plain_runs_are_counted_eight_bytes_at_a_time_as_one_at_a_time() {
        let ends = ["\"", "\\", "\u{0}", "\u{1f}", "\n"];
        let plain = [
            "a",
            " ",
            "!",
            "#",
            "[",
            "]",
            "\u{7f}",
            "\u{e9}",
            "\u{1f600}",
        ];
        for len in 0..40 {
            for at in 0..=len {
                for end in ends.iter().chain(&plain) {
                    for fill in plain {
                        let mut text: String = fill.repeat(len);
                        let cut = text.char_indices().nth(at).map_or(text.len(), |(i, _)| i);
                        text.insert_str(cut, end);
                        for from in [0, 1, 3] {
                            if !text.is_char_boundary(from) || from > text.len() {
                                continue;
                            }
                            let naive = text.as_bytes()[from..]
                                .iter()
                                .position(|&b| b == b'"' || b == b'\\' || b < 0x20)
                                .unwrap_or(text.len() - from);
                            let scan = Scan::new(&text);
                            assert_eq!(scan.plain_run(from), naive, "{text:?} from {from}");
                        }
                    }
                }
            }
        }
    }
}
