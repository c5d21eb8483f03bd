//! The byte-level work on JSON strings for the writer (`super`): whether
//! bytes need escaping, tested eight at a time as 64-bit words; short
//! strings checked and appended as one or two 16-byte words, with their
//! quotes (and a key's comma and colon, framed by the writer) as the low
//! bytes of a word; longer ones 16 bytes at a time or copied in one go; and
//! escaping, byte by byte, exactly as serde_json escapes, for the strings
//! that need it.

/// `"`, `,"` and `":` as the low bytes of a word, first byte lowest.
pub(super) const QUOTE: u128 = b'"' as u128;
pub(super) const COMMA_QUOTE: u128 = u16::from_le_bytes([b',', b'"']) as u128;
pub(super) const QUOTE_COLON: u128 = u16::from_le_bytes([b'"', b':']) as u128;

/// Whether `bytes` can go into a JSON string as they are: no quote,
/// backslash or control character (the bytes serde_json escapes). Eight
/// bytes are tested at a time, as one 64-bit word, rather than looked up one
/// by one. Where the length is not a multiple of eight, the last word
/// overlaps the one before (testing a byte twice is harmless); a string of
/// fewer than eight bytes is padded with spaces. The order of the bytes in a
/// word does not matter to the test.
#[inline]
pub(super) fn plain(bytes: &[u8]) -> bool {
    const SPACES: u64 = 0x2020_2020_2020_2020;
    let len = bytes.len();
    if len < 8 {
        let word = bytes
            .iter()
            .fold(0, |word: u64, &b| (word << 8) | u64::from(b));
        // `len` is below 8, so the shift is below 64.
        return plain_word(word | SPACES.checked_shl(8 * len as u32).unwrap_or(0));
    }
    let mut chunks = bytes.chunks_exact(8);
    let mut ok = true;
    for chunk in &mut chunks {
        ok &= plain_word(word_of(chunk));
    }
    if !chunks.remainder().is_empty() {
        if let Some(last) = bytes.get(len - 8..) {
            ok &= plain_word(word_of(last));
        }
    }
    ok
}

/// Eight bytes as a word (any other length gives spaces, which are plain).
/// A slice pattern rather than `<[u8; 8]>::try_from`, which the compiler
/// left as a call.
#[inline(always)]
fn word_of(bytes: &[u8]) -> u64 {
    match *bytes {
        [a, b, c, d, e, f, g, h] => u64::from_le_bytes([a, b, c, d, e, f, g, h]),
        _ => 0x2020_2020_2020_2020,
    }
}

/// Whether none of the eight bytes of `x` is below 0x20, a quote or a
/// backslash. The classic word-at-a-time tests: a byte below `n` makes
/// `x - n` borrow into its top bit where `x` had none, and a byte equal to
/// `c` is a zero byte of `x ^ c`. Borrows can mark bytes above a true hit as
/// hits too, but never mark a word with no hit, so the answer for the word
/// is exact.
#[inline(always)]
fn plain_word(x: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let below = |x: u64, n: u8| x.wrapping_sub(ONES * u64::from(n)) & !x;
    let control = below(x, 0x20);
    let quote = below(x ^ (ONES * u64::from(b'"')), 1);
    let backslash = below(x ^ (ONES * u64::from(b'\\')), 1);
    (control | quote | backslash) & HIGH == 0
}

/// Append `bytes` to `out` if they need no escaping, and say whether they
/// did. Most outcome strings are short (keys, rule ids, dates), and for
/// those a call to `memcpy` costs more than the check: up to 16 bytes are
/// tested and appended as one word ([`short_word`], [`push_word`]).
#[inline]
fn copied_if_plain(out: &mut Vec<u8>, bytes: &[u8]) -> bool {
    if bytes.len() > 16 {
        return copied_if_plain_long(out, bytes);
    }
    match short_word(bytes) {
        Some(word) => {
            push_word(out, word, bytes.len());
            true
        }
        None => false,
    }
}

/// A string of up to 16 bytes as one 128-bit word, first byte lowest and
/// zeros above, if it needs no escaping. Loaded as two overlapping 8-byte
/// (or 4-byte) pieces, the second shifted into place: where they overlap
/// they hold the same bytes, so or-ing them is exact.
#[inline(always)]
pub(super) fn short_word(bytes: &[u8]) -> Option<u128> {
    const SPACES: u64 = 0x2020_2020_2020_2020;
    let len = bytes.len();
    if len > 16 {
        return None;
    }
    if len >= 8 {
        let first = word_of(bytes.get(..8)?);
        let last = word_of(bytes.get(len - 8..)?);
        if !(plain_word(first) & plain_word(last)) {
            return None;
        }
        return Some(u128::from(first) | (u128::from(last) << (8 * (len - 8))));
    }
    if let [a, b, c, d, ..] = *bytes {
        let [e, f, g, h] = *bytes.get(len - 4..)? else {
            return None;
        };
        let (first, last) = (
            u32::from_le_bytes([a, b, c, d]),
            u32::from_le_bytes([e, f, g, h]),
        );
        if !plain_word(u64::from(first) | (u64::from(last) << 32)) {
            return None;
        }
        return Some(u128::from(first) | (u128::from(last) << (8 * (len - 4))));
    }
    let word = bytes
        .iter()
        .rev()
        .fold(0, |word: u64, &b| (word << 8) | u64::from(b));
    // `len` is below 4 here, so the shift is below 64.
    if !plain_word(word | SPACES.checked_shl(8 * len as u32).unwrap_or(0)) {
        return None;
    }
    Some(u128::from(word))
}

/// Append the first `len` bytes of `word` (first byte lowest) to `out`,
/// `len` at most 16: the whole word is appended, one capacity check and
/// one store, and the excess cut off.
#[inline(always)]
pub(super) fn push_word(out: &mut Vec<u8>, word: u128, len: usize) {
    let start = out.len();
    out.extend_from_slice(&word.to_le_bytes());
    out.truncate(start + len);
}

/// `"bytes"` for 15 to 30 plain bytes, as two 16-byte words: the first
/// is the quote and the first 15 bytes, the second the last 15 bytes and
/// the closing quote, appended where the string ends and so overlapping
/// the first where the string is shorter than 30 bytes. Says whether it
/// wrote them; bytes that need escaping, or another length, are not
/// written.
#[inline(always)]
pub(super) fn quoted_two_words(out: &mut Vec<u8>, bytes: &[u8]) -> bool {
    let len = bytes.len();
    if !(15..=30).contains(&len) {
        return false;
    }
    let (head, tail) = if len == 15 {
        // The first 15 bytes are the last 15.
        match short_word(bytes) {
            Some(word) => (word, word),
            None => return false,
        }
    } else {
        let (Some(a), Some(b), Some(c), Some(d)) = (
            bytes.get(..8),
            bytes.get(8..16),
            bytes.get(len - 16..len - 8),
            bytes.get(len - 8..),
        ) else {
            return false;
        };
        let (a, b, c, d) = (word_of(a), word_of(b), word_of(c), word_of(d));
        if !(plain_word(a) & plain_word(b) & plain_word(c) & plain_word(d)) {
            return false;
        }
        let first = u128::from(a) | (u128::from(b) << 64);
        let last = u128::from(c) | (u128::from(d) << 64);
        // The last 15 bytes, in the low 15 bytes of the word.
        (first, last >> 8)
    };
    push_word(out, QUOTE | (head << 8), len - 14);
    out.extend_from_slice(&(tail | (QUOTE << 120)).to_le_bytes());
    true
}

/// `"bytes"` for 16 to 64 plain bytes, by [`copied_in_words`]. Says
/// whether it wrote them; where a byte needs escaping, nothing is written.
#[inline(always)]
pub(super) fn quoted_in_words(out: &mut Vec<u8>, bytes: &[u8]) -> bool {
    if !(16..=64).contains(&bytes.len()) {
        return false;
    }
    let start = out.len();
    out.push(b'"');
    if !copied_in_words(out, bytes) {
        out.truncate(start);
        return false;
    }
    out.push(b'"');
    true
}

/// 16 to 64 plain bytes, checked and appended 16 bytes at a time (the last
/// 16 overlapping the ones before where the length is not a multiple of
/// 16), without a call to `memcpy`, which for strings this short costs
/// more than the copy. Says whether it appended them; where a byte needs
/// escaping, what it appended is taken back.
#[inline(always)]
fn copied_in_words(out: &mut Vec<u8>, bytes: &[u8]) -> bool {
    let len = bytes.len();
    if !(16..=64).contains(&len) {
        return false;
    }
    let start = out.len();
    let mut at = 0;
    while at < len {
        let from = at.min(len - 16);
        let (Some(a), Some(b)) = (bytes.get(from..from + 8), bytes.get(from + 8..from + 16)) else {
            out.truncate(start);
            return false;
        };
        let (a, b) = (word_of(a), word_of(b));
        if !(plain_word(a) & plain_word(b)) {
            out.truncate(start);
            return false;
        }
        out.truncate(start + from);
        out.extend_from_slice(&(u128::from(a) | (u128::from(b) << 64)).to_le_bytes());
        at += 16;
    }
    true
}

/// [`copied_if_plain`] for strings over 16 bytes: out of line, so that the
/// short cases are small enough to be inlined where strings are written.
/// Up to 64 bytes (the pieces of sentences written through `Display`, such
/// as why a judgement is not made) go 16 at a time, longer ones with one
/// check and one copy.
#[inline(never)]
fn copied_if_plain_long(out: &mut Vec<u8>, bytes: &[u8]) -> bool {
    if bytes.len() <= 64 {
        return copied_in_words(out, bytes);
    }
    if !plain(bytes) {
        return false;
    }
    out.extend_from_slice(bytes);
    true
}

/// The contents of a JSON string, escaped as serde_json escapes them: the
/// short forms where JSON has one, `\u00XX` (lower-case hex) for the other
/// control characters, everything else (0x7f and all non-ASCII) as it is.
#[inline]
pub(super) fn escaped(out: &mut Vec<u8>, s: &str) {
    if !copied_if_plain(out, s.as_bytes()) {
        escaped_slowly(out, s);
    }
}

/// [`escaped`] byte by byte, for the strings that need it.
#[cold]
#[inline(never)]
fn escaped_slowly(out: &mut Vec<u8>, s: &str) {
    let bytes = s.as_bytes();
    const HEX: &[u8; 16] = b"0123456789abcdef";
    for &b in bytes {
        match b {
            b'"' => out.extend_from_slice(b"\\\""),
            b'\\' => out.extend_from_slice(b"\\\\"),
            0x08 => out.extend_from_slice(b"\\b"),
            b'\t' => out.extend_from_slice(b"\\t"),
            b'\n' => out.extend_from_slice(b"\\n"),
            0x0c => out.extend_from_slice(b"\\f"),
            b'\r' => out.extend_from_slice(b"\\r"),
            0x00..=0x1f => {
                let low = HEX.get(usize::from(b & 0x0f)).copied().unwrap_or(b'0');
                let high = if b >= 0x10 { b'1' } else { b'0' };
                out.extend_from_slice(&[b'\\', b'u', b'0', b'0', high, low]);
            }
            _ => out.push(b),
        }
    }
}
