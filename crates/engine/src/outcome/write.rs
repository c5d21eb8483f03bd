//! One-line JSON, byte for byte what `serde_json::to_writer` writes, but
//! quicker for outcomes.
//!
//! Almost all the time serde_json spends on an outcome goes on its string
//! escaping, which looks up every byte of every key and value in a table,
//! one byte at a time. Outcome strings are rule ids, citations, names,
//! dates and messages: they almost never hold a quote, a backslash or a
//! control character. This serializer checks a string for those bytes
//! eight at a time, as 64-bit words, copies it in one go when there are
//! none (a short one as one or two words, with no call to `memcpy`), and
//! escapes exactly as serde_json does when there are.
//!
//! It is a whole `serde::Serializer` rather than a trick inside the
//! outcome's `Serialize` impls, so those impls stay the single description
//! of the JSON shape and every other serializer (pretty JSON,
//! `serde_json::to_value`, the bindings) sees exactly what it saw before.
//! Numbers and byte strings are handed to serde_json itself, so they are
//! formatted by the same code. `tests` below pin the escaping against
//! serde_json; the snapshot and bindings corpus tests pin whole outcomes.

use serde::ser::{self, Impossible, Serialize};
use serde_json::Error;
use std::fmt::{self, Write as _};

/// Append `value` to `out` as one line of JSON, the same bytes as
/// `serde_json::to_writer(out, value)`.
pub fn write_json<T: ?Sized + Serialize>(out: &mut Vec<u8>, value: &T) -> Result<(), Error> {
    value.serialize(&mut Writer { out })
}

/// [`write_json`] into a new string.
pub fn to_json_string<T: ?Sized + Serialize>(value: &T) -> Result<String, Error> {
    let mut out = Vec::with_capacity(1024);
    write_json(&mut out, value)?;
    // Only whole UTF-8 strings and ASCII are ever written, so this holds.
    String::from_utf8(out).map_err(<Error as ser::Error>::custom)
}

struct Writer<'a> {
    out: &'a mut Vec<u8>,
}

/// Whether `bytes` can go into a JSON string as they are: no quote,
/// backslash or control character (the bytes serde_json escapes). Eight
/// bytes are tested at a time, as one 64-bit word, rather than looked up one
/// by one. Where the length is not a multiple of eight, the last word
/// overlaps the one before (testing a byte twice is harmless); a string of
/// fewer than eight bytes is padded with spaces. The order of the bytes in a
/// word does not matter to the test.
#[inline]
fn plain(bytes: &[u8]) -> bool {
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
fn short_word(bytes: &[u8]) -> Option<u128> {
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
fn push_word(out: &mut Vec<u8>, word: u128, len: usize) {
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
fn quoted_two_words(out: &mut Vec<u8>, bytes: &[u8]) -> bool {
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
fn quoted_in_words(out: &mut Vec<u8>, bytes: &[u8]) -> bool {
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
fn escaped(out: &mut Vec<u8>, s: &str) {
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

impl Writer<'_> {
    /// A JSON string. Most strings are short (names, scale values,
    /// dates, ids): up to 14 bytes and both quotes make one 16-byte word;
    /// most others are rule ids and judgement names of 15 to 30 bytes, two
    /// words. Those two cases are inlined into `serialize_str` and the key
    /// writers, so that they cost one call, not two; longer strings and
    /// those to escape are out of line, in [`Writer::string_longer`].
    #[inline(always)]
    fn string(&mut self, s: &str) {
        let len = s.len();
        if len <= 14 {
            if let Some(word) = short_word(s.as_bytes()) {
                let quoted = QUOTE | (word << 8) | (QUOTE << (8 * (len + 1)));
                push_word(self.out, quoted, len + 2);
                return;
            }
        }
        // Rule ids and names of 15 to 30 bytes: two 16-byte words.
        if len <= 30 && quoted_two_words(self.out, s.as_bytes()) {
            return;
        }
        self.string_longer(s);
    }

    /// [`Writer::string`] for strings over 30 bytes and those to escape.
    #[inline(never)]
    fn string_longer(&mut self, s: &str) {
        let len = s.len();
        // Citations and longer names, to 64 bytes: 16 bytes at a time.
        if len <= 64 && quoted_in_words(self.out, s.as_bytes()) {
            return;
        }
        self.string_slowly(s);
    }

    /// [`Writer::string`] for long strings and those to escape.
    #[inline(never)]
    fn string_slowly(&mut self, s: &str) {
        self.out.reserve(s.len() + 2);
        self.out.push(b'"');
        escaped(self.out, s);
        self.out.push(b'"');
    }

    /// `,"key":`, or `"key":` without the comma, for a key of a struct
    /// or a map. Keys are short (a struct's are at most 12 bytes, most
    /// judgement names less than 16), so comma, quotes, key and colon
    /// usually make one 16-byte word, written at once; a key that needs
    /// escaping, or is longer, is written in pieces.
    #[inline(always)]
    fn key(&mut self, key: &str, comma: bool) {
        let comma = usize::from(comma);
        let len = key.len();
        if len + comma <= 13 {
            if let Some(word) = short_word(key.as_bytes()) {
                let head = if comma == 1 { COMMA_QUOTE } else { QUOTE };
                let at = 8 * (1 + comma);
                let framed = head | (word << at) | (QUOTE_COLON << (at + 8 * len));
                push_word(self.out, framed, len + 3 + comma);
                return;
            }
        }
        if comma == 1 {
            self.out.push(b',');
        }
        self.string(key);
        self.out.push(b':');
    }

    /// A number, as serde_json writes it.
    fn number<T: Serialize>(&mut self, n: T) -> Result<(), Error> {
        serde_json::to_writer(&mut *self.out, &n)
    }

    /// `Display` output as a JSON string, written straight into the
    /// output: no string is built first.
    fn display<T: ?Sized + fmt::Display>(&mut self, value: &T) -> Result<(), Error> {
        struct Escaper<'a>(&'a mut Vec<u8>);
        impl fmt::Write for Escaper<'_> {
            fn write_str(&mut self, s: &str) -> fmt::Result {
                escaped(self.0, s);
                Ok(())
            }
        }
        self.out.push(b'"');
        write!(Escaper(self.out), "{value}").map_err(ser::Error::custom)?;
        self.out.push(b'"');
        Ok(())
    }
}

/// `"`, `,"` and `":` as the low bytes of a word, first byte lowest.
const QUOTE: u128 = b'"' as u128;
const COMMA_QUOTE: u128 = u16::from_le_bytes([b',', b'"']) as u128;
const QUOTE_COLON: u128 = u16::from_le_bytes([b'"', b':']) as u128;

/// A sequence, map or struct being written: whether the next element is
/// the first (no comma before it), and what closes it. The brackets are
/// single bytes, pushed, rather than slices: a slice of unknown length was
/// copied with a call to `memcpy` at every open and close.
struct Compound<'w, 'a> {
    writer: &'w mut Writer<'a>,
    first: bool,
    /// `]` or `}`.
    close: u8,
    /// Inside a variant's `{"name":...}`, which closes with another `}`.
    variant: bool,
}

impl<'w, 'a> Compound<'w, 'a> {
    #[inline]
    fn open(writer: &'w mut Writer<'a>, open: u8, close: u8) -> Self {
        writer.out.push(open);
        Compound {
            writer,
            first: true,
            close,
            variant: false,
        }
    }

    /// `{"variant":` then `open`, for tuple and struct variants.
    #[inline]
    fn open_variant(writer: &'w mut Writer<'a>, variant: &str, open: u8, close: u8) -> Self {
        writer.out.push(b'{');
        writer.string(variant);
        writer.out.push(b':');
        let mut compound = Compound::open(writer, open, close);
        compound.variant = true;
        compound
    }

    #[inline]
    fn comma(&mut self) {
        if self.first {
            self.first = false;
        } else {
            self.writer.out.push(b',');
        }
    }

    #[inline]
    fn element<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), Error> {
        self.comma();
        value.serialize(&mut *self.writer)
    }

    #[inline(always)]
    fn field<T: ?Sized + Serialize>(&mut self, key: &str, value: &T) -> Result<(), Error> {
        self.key(key);
        value.serialize(&mut *self.writer)
    }

    /// `,"key":` (no comma before the first): see [`Writer::key`].
    #[inline(always)]
    fn key(&mut self, key: &str) {
        let comma = !self.first;
        self.first = false;
        self.writer.key(key, comma);
    }

    #[inline]
    fn close(self) -> Result<(), Error> {
        self.writer.out.push(self.close);
        if self.variant {
            self.writer.out.push(b'}');
        }
        Ok(())
    }
}

impl<'w, 'a> ser::Serializer for &'w mut Writer<'a> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Compound<'w, 'a>;
    type SerializeTuple = Compound<'w, 'a>;
    type SerializeTupleStruct = Compound<'w, 'a>;
    type SerializeTupleVariant = Compound<'w, 'a>;
    type SerializeMap = Compound<'w, 'a>;
    type SerializeStruct = Compound<'w, 'a>;
    type SerializeStructVariant = Compound<'w, 'a>;

    #[inline]
    fn serialize_bool(self, v: bool) -> Result<(), Error> {
        self.out
            .extend_from_slice(if v { b"true" as &[u8] } else { b"false" });
        Ok(())
    }
    fn serialize_i8(self, v: i8) -> Result<(), Error> {
        self.number(v)
    }
    fn serialize_i16(self, v: i16) -> Result<(), Error> {
        self.number(v)
    }
    fn serialize_i32(self, v: i32) -> Result<(), Error> {
        self.number(v)
    }
    fn serialize_i64(self, v: i64) -> Result<(), Error> {
        self.number(v)
    }
    fn serialize_i128(self, v: i128) -> Result<(), Error> {
        self.number(v)
    }
    fn serialize_u8(self, v: u8) -> Result<(), Error> {
        self.number(v)
    }
    fn serialize_u16(self, v: u16) -> Result<(), Error> {
        self.number(v)
    }
    fn serialize_u32(self, v: u32) -> Result<(), Error> {
        self.number(v)
    }
    fn serialize_u64(self, v: u64) -> Result<(), Error> {
        self.number(v)
    }
    fn serialize_u128(self, v: u128) -> Result<(), Error> {
        self.number(v)
    }
    fn serialize_f32(self, v: f32) -> Result<(), Error> {
        self.number(v)
    }
    fn serialize_f64(self, v: f64) -> Result<(), Error> {
        self.number(v)
    }
    fn serialize_char(self, v: char) -> Result<(), Error> {
        self.string(v.encode_utf8(&mut [0; 4]));
        Ok(())
    }
    #[inline]
    fn serialize_str(self, v: &str) -> Result<(), Error> {
        self.string(v);
        Ok(())
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<(), Error> {
        serde_json::to_writer(&mut *self.out, &serde_bytes_as_seq(v))
    }
    #[inline]
    fn serialize_none(self) -> Result<(), Error> {
        self.out.extend_from_slice(b"null");
        Ok(())
    }
    #[inline]
    fn serialize_some<T: ?Sized + Serialize>(self, value: &T) -> Result<(), Error> {
        value.serialize(self)
    }
    #[inline]
    fn serialize_unit(self) -> Result<(), Error> {
        self.serialize_none()
    }
    #[inline]
    fn serialize_unit_struct(self, _name: &'static str) -> Result<(), Error> {
        self.serialize_none()
    }
    #[inline]
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<(), Error> {
        self.string(variant);
        Ok(())
    }
    #[inline]
    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        let mut map = Compound::open(self, b'{', b'}');
        map.field(variant, value)?;
        map.close()
    }
    #[inline]
    fn serialize_seq(self, _len: Option<usize>) -> Result<Compound<'w, 'a>, Error> {
        Ok(Compound::open(self, b'[', b']'))
    }
    #[inline]
    fn serialize_tuple(self, _len: usize) -> Result<Compound<'w, 'a>, Error> {
        Ok(Compound::open(self, b'[', b']'))
    }
    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Compound<'w, 'a>, Error> {
        Ok(Compound::open(self, b'[', b']'))
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Compound<'w, 'a>, Error> {
        Ok(Compound::open_variant(self, variant, b'[', b']'))
    }
    #[inline]
    fn serialize_map(self, _len: Option<usize>) -> Result<Compound<'w, 'a>, Error> {
        Ok(Compound::open(self, b'{', b'}'))
    }
    #[inline]
    fn serialize_struct(self, _name: &'static str, _len: usize) -> Result<Compound<'w, 'a>, Error> {
        Ok(Compound::open(self, b'{', b'}'))
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Compound<'w, 'a>, Error> {
        Ok(Compound::open_variant(self, variant, b'{', b'}'))
    }
    fn collect_str<T: ?Sized + fmt::Display>(self, value: &T) -> Result<(), Error> {
        self.display(value)
    }
    /// Every `Vec` of the outcome comes here. serde's own version first
    /// works out a length hint that JSON has no use for, and was not
    /// inlined: an empty list (most are: `binding`, `slack`, `findings`)
    /// cost as much as a short string.
    #[inline]
    fn collect_seq<I>(self, iter: I) -> Result<(), Error>
    where
        I: IntoIterator,
        I::Item: Serialize,
    {
        let mut seq = Compound::open(self, b'[', b']');
        for item in iter {
            seq.element(&item)?;
        }
        seq.close()
    }
}

/// Bytes as serde_json writes them: an array of numbers.
fn serde_bytes_as_seq(v: &[u8]) -> impl Serialize + '_ {
    struct Bytes<'b>(&'b [u8]);
    impl Serialize for Bytes<'_> {
        fn serialize<S: ser::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            s.serialize_bytes(self.0)
        }
    }
    Bytes(v)
}

impl ser::SerializeSeq for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;
    #[inline]
    fn serialize_element<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), Error> {
        self.element(value)
    }
    #[inline]
    fn end(self) -> Result<(), Error> {
        self.close()
    }
}

impl ser::SerializeTuple for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;
    #[inline]
    fn serialize_element<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), Error> {
        self.element(value)
    }
    #[inline]
    fn end(self) -> Result<(), Error> {
        self.close()
    }
}

impl ser::SerializeTupleStruct for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;
    #[inline]
    fn serialize_field<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), Error> {
        self.element(value)
    }
    #[inline]
    fn end(self) -> Result<(), Error> {
        self.close()
    }
}

impl ser::SerializeTupleVariant for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;
    #[inline]
    fn serialize_field<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), Error> {
        self.element(value)
    }
    #[inline]
    fn end(self) -> Result<(), Error> {
        self.close()
    }
}

impl ser::SerializeMap for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;
    #[inline]
    fn serialize_key<T: ?Sized + Serialize>(&mut self, key: &T) -> Result<(), Error> {
        let comma = !self.first;
        self.first = false;
        key.serialize(Key {
            writer: &mut *self.writer,
            comma,
        })
    }
    /// The colon is [`Key`]'s, written with the key.
    #[inline]
    fn serialize_value<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), Error> {
        value.serialize(&mut *self.writer)
    }
    #[inline]
    fn end(self) -> Result<(), Error> {
        self.close()
    }
}

impl ser::SerializeStruct for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;
    // Inlined into the derived `Serialize` impls, where each key is a
    // constant: the compiler can then check it and build its word once,
    // when compiling, and write `,"key":` as one constant store.
    #[inline(always)]
    fn serialize_field<T: ?Sized + Serialize>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        self.field(key, value)
    }
    #[inline]
    fn end(self) -> Result<(), Error> {
        self.close()
    }
}

impl ser::SerializeStructVariant for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;
    #[inline]
    fn serialize_field<T: ?Sized + Serialize>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        self.field(key, value)
    }
    #[inline]
    fn end(self) -> Result<(), Error> {
        self.close()
    }
}

/// A map key, with the comma before it (unless it is the first) and the
/// colon after it, so that a short key is one word as a struct's is
/// ([`Writer::key`]). JSON keys are strings: as serde_json does, strings,
/// chars and unit variants are written as strings, booleans, integers and
/// finite floats in quotes, and anything else is refused.
struct Key<'w, 'a> {
    writer: &'w mut Writer<'a>,
    /// Whether a comma goes before the key.
    comma: bool,
}

fn key_must_be_a_string() -> Error {
    ser::Error::custom("key must be a string")
}

fn float_key_must_be_finite() -> Error {
    ser::Error::custom("float key must be finite (got NaN or +/-inf)")
}

impl Key<'_, '_> {
    #[inline]
    fn key(self, key: &str) -> Result<(), Error> {
        self.writer.key(key, self.comma);
        Ok(())
    }

    /// `v` in quotes, as the key.
    fn quoted<T: Serialize>(self, v: T) -> Result<(), Error> {
        if self.comma {
            self.writer.out.push(b',');
        }
        self.writer.out.push(b'"');
        v.serialize(&mut *self.writer)?;
        self.writer.out.extend_from_slice(b"\":");
        Ok(())
    }
}

impl ser::Serializer for Key<'_, '_> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Impossible<(), Error>;
    type SerializeTuple = Impossible<(), Error>;
    type SerializeTupleStruct = Impossible<(), Error>;
    type SerializeTupleVariant = Impossible<(), Error>;
    type SerializeMap = Impossible<(), Error>;
    type SerializeStruct = Impossible<(), Error>;
    type SerializeStructVariant = Impossible<(), Error>;

    #[inline]
    fn serialize_str(self, v: &str) -> Result<(), Error> {
        self.key(v)
    }
    fn serialize_char(self, v: char) -> Result<(), Error> {
        self.key(v.encode_utf8(&mut [0; 4]))
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<(), Error> {
        self.key(variant)
    }
    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        value.serialize(self)
    }
    fn collect_str<T: ?Sized + fmt::Display>(self, value: &T) -> Result<(), Error> {
        if self.comma {
            self.writer.out.push(b',');
        }
        self.writer.display(value)?;
        self.writer.out.push(b':');
        Ok(())
    }
    fn serialize_bool(self, v: bool) -> Result<(), Error> {
        self.quoted(v)
    }
    fn serialize_i8(self, v: i8) -> Result<(), Error> {
        self.quoted(v)
    }
    fn serialize_i16(self, v: i16) -> Result<(), Error> {
        self.quoted(v)
    }
    fn serialize_i32(self, v: i32) -> Result<(), Error> {
        self.quoted(v)
    }
    fn serialize_i64(self, v: i64) -> Result<(), Error> {
        self.quoted(v)
    }
    fn serialize_i128(self, v: i128) -> Result<(), Error> {
        self.quoted(v)
    }
    fn serialize_u8(self, v: u8) -> Result<(), Error> {
        self.quoted(v)
    }
    fn serialize_u16(self, v: u16) -> Result<(), Error> {
        self.quoted(v)
    }
    fn serialize_u32(self, v: u32) -> Result<(), Error> {
        self.quoted(v)
    }
    fn serialize_u64(self, v: u64) -> Result<(), Error> {
        self.quoted(v)
    }
    fn serialize_u128(self, v: u128) -> Result<(), Error> {
        self.quoted(v)
    }
    // Finite floats in quotes, as serde_json writes them.
    fn serialize_f32(self, v: f32) -> Result<(), Error> {
        if !v.is_finite() {
            return Err(float_key_must_be_finite());
        }
        self.quoted(v)
    }
    fn serialize_f64(self, v: f64) -> Result<(), Error> {
        if !v.is_finite() {
            return Err(float_key_must_be_finite());
        }
        self.quoted(v)
    }
    fn serialize_bytes(self, _v: &[u8]) -> Result<(), Error> {
        Err(key_must_be_a_string())
    }
    fn serialize_none(self) -> Result<(), Error> {
        Err(key_must_be_a_string())
    }
    fn serialize_some<T: ?Sized + Serialize>(self, _value: &T) -> Result<(), Error> {
        Err(key_must_be_a_string())
    }
    fn serialize_unit(self) -> Result<(), Error> {
        Err(key_must_be_a_string())
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<(), Error> {
        Err(key_must_be_a_string())
    }
    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _value: &T,
    ) -> Result<(), Error> {
        Err(key_must_be_a_string())
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<Impossible<(), Error>, Error> {
        Err(key_must_be_a_string())
    }
    fn serialize_tuple(self, _len: usize) -> Result<Impossible<(), Error>, Error> {
        Err(key_must_be_a_string())
    }
    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Impossible<(), Error>, Error> {
        Err(key_must_be_a_string())
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Impossible<(), Error>, Error> {
        Err(key_must_be_a_string())
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Impossible<(), Error>, Error> {
        Err(key_must_be_a_string())
    }
    fn serialize_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Impossible<(), Error>, Error> {
        Err(key_must_be_a_string())
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Impossible<(), Error>, Error> {
        Err(key_must_be_a_string())
    }
}

#[cfg(test)]
mod tests {
    #![allow(
        clippy::unwrap_used,
        clippy::indexing_slicing,
        clippy::cast_possible_truncation,
        reason = "tests"
    )]
    use super::*;
    use serde::Serialize;
    use std::collections::BTreeMap;

    fn same<T: Serialize>(value: &T) {
        let mut ours = Vec::new();
        write_json(&mut ours, value).unwrap();
        assert_eq!(
            String::from_utf8(ours).unwrap(),
            serde_json::to_string(value).unwrap()
        );
    }

    #[test]
    fn plain_words_are_exactly_those_without_escapes() {
        // Every byte at every position of a word, among plain neighbours
        // and among bytes that would borrow.
        for filler in [b'a', 0xff, 0x80, 0x21, 0x23, 0x5d, 0x7f] {
            for at in 0..9 {
                for b in 0u8..=255 {
                    let mut bytes = vec![filler; 9];
                    bytes[at] = b;
                    let expected = !(b < 0x20 || b == b'"' || b == b'\\');
                    assert_eq!(plain(&bytes), expected, "{bytes:?}");
                    assert_eq!(plain(&bytes[..at + 1]), expected, "{bytes:?}");
                }
            }
        }
    }

    #[test]
    fn strings_of_every_length_to_seventy_are_copied_or_escaped_as_serde_json_does() {
        for len in 0..70 {
            let clean: String = (0..len)
                .map(|i| char::from(b'a' + (i % 26) as u8))
                .collect();
            same(&clean);
            same(&Pieces(&clean, "x"));
            for at in 0..len {
                for odd in ['"', '\\', '\n', '\u{1}', 'é'] {
                    let mut s: Vec<char> = clean.chars().collect();
                    s[at] = odd;
                    let s: String = s.into_iter().collect();
                    same(&s);
                    same(&Pieces(&s, &clean));
                }
            }
        }
    }

    proptest::proptest! {
        /// Any strings, of the bytes that need escaping and the ones that
        /// do not, as values, as map keys, in a struct and through
        /// `Display`: the same bytes as serde_json.
        #[test]
        fn any_strings_are_written_as_serde_json_writes_them(
            strings in proptest::collection::vec(
                r#"[a-z0-9 _.:,{}"\\\x00-\x1f\x7f\u{e9}\u{2028}\u{1F600}]{0,80}"#,
                0..6,
            )
        ) {
            same(&strings);
            let map: BTreeMap<&str, &str> =
                strings.iter().map(|s| (s.as_str(), s.as_str())).collect();
            same(&map);
            for pair in strings.windows(2) {
                same(&Pieces(&pair[0], &pair[1]));
            }
            let keys: Vec<&'static str> = strings.iter().map(|s| &*String::leak(s.clone())).collect();
            same(&Keys(keys));
        }
    }

    /// Two strings written one after the other through `Display`
    /// (`collect_str`), as a sentence is in pieces.
    struct Pieces<'a>(&'a str, &'a str);
    impl fmt::Display for Pieces<'_> {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str(self.0)?;
            f.write_str(self.1)
        }
    }
    impl Serialize for Pieces<'_> {
        fn serialize<S: ser::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            s.collect_str(self)
        }
    }

    /// A struct whose keys are given: the keys of up to 13 bytes take the
    /// one-word path of `Compound::key`, longer ones the other.
    struct Keys(Vec<&'static str>);
    impl Serialize for Keys {
        fn serialize<S: ser::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            use ser::SerializeStruct;
            let mut st = s.serialize_struct("Keys", self.0.len())?;
            for (i, key) in self.0.iter().enumerate() {
                st.serialize_field(key, &i)?;
            }
            st.end()
        }
    }

    #[test]
    fn struct_keys_of_every_length_to_twenty_are_written_as_serde_json_does() {
        for len in 0..20 {
            let clean: String = (0..len)
                .map(|i| char::from(b'a' + (i % 26) as u8))
                .collect();
            let mut keys = vec![&*String::leak(clean.clone())];
            for at in 0..len {
                for odd in ['"', '\\', '\n', '\u{1}', 'é', ':', ','] {
                    let mut s: Vec<char> = clean.chars().collect();
                    s[at] = odd;
                    keys.push(String::leak(s.into_iter().collect::<String>()));
                }
            }
            // Each key first (no comma) and after another (a comma).
            for key in &keys {
                same(&Keys(vec![key]));
                same(&Keys(vec!["x", key, "y"]));
                same(&vec![Keys(vec![key, key])]);
            }
        }
    }

    #[test]
    fn map_keys_of_every_length_to_forty_are_written_as_serde_json_does() {
        // Keys are framed with their comma and colon (`Writer::key`): one
        // word up to 13 bytes with the comma, in pieces beyond. Each key
        // first in its map (no comma), after another, and in a map that
        // is itself a value among others.
        for len in 0..40 {
            let clean: String = (0..len)
                .map(|i| char::from(b'a' + (i % 26) as u8))
                .collect();
            let mut keys = vec![clean.clone()];
            for at in 0..len {
                for odd in ['"', '\\', '\n', '\u{1}', '\u{7f}', 'é', ':', ','] {
                    let mut s: Vec<char> = clean.chars().collect();
                    s[at] = odd;
                    keys.push(s.into_iter().collect());
                }
            }
            for key in &keys {
                let alone: BTreeMap<&str, Option<&str>> = [(key.as_str(), None)].into();
                same(&alone);
                let first: BTreeMap<&str, &str> = [(key.as_str(), "v"), ("~", "w")].into();
                same(&first);
                let after: BTreeMap<&str, u8> = [("", 1), (key.as_str(), 2)].into();
                same(&after);
                same(&vec![alone.clone(), alone]);
            }
        }
        // Keys that are not strings, after a first key.
        let mut chars = BTreeMap::new();
        chars.insert('a', 1);
        chars.insert('"', 2);
        same(&chars);
        let mut numbers = BTreeMap::new();
        numbers.insert(-1i64, 'x');
        numbers.insert(7, 'y');
        same(&numbers);
        let mut truths = BTreeMap::new();
        truths.insert(false, ());
        truths.insert(true, ());
        same(&truths);
        // Float keys, finite ones in quotes; the others refused by both.
        struct FloatKeys(f64, f32);
        impl Serialize for FloatKeys {
            fn serialize<S: ser::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                use ser::SerializeMap;
                let mut map = s.serialize_map(Some(2))?;
                map.serialize_entry(&self.0, "x")?;
                map.serialize_entry(&self.1, "y")?;
                map.end()
            }
        }
        same(&FloatKeys(1.5, -0.25));
        same(&FloatKeys(0.1, 1e30));
        for refused in [FloatKeys(f64::NAN, 1.0), FloatKeys(1.0, f32::INFINITY)] {
            assert!(serde_json::to_string(&refused).is_err());
            assert!(write_json(&mut Vec::new(), &refused).is_err());
        }
        #[derive(Serialize, PartialEq, Eq, PartialOrd, Ord)]
        enum Variant {
            One,
            Two,
        }
        let mut variants = BTreeMap::new();
        variants.insert(Variant::One, 1);
        variants.insert(Variant::Two, 2);
        same(&variants);
        // Keys written through `Display` (`collect_str`).
        struct Shown(&'static str);
        impl Serialize for Shown {
            fn serialize<S: ser::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_str(self.0)
            }
        }
        struct ShownKeys;
        impl Serialize for ShownKeys {
            fn serialize<S: ser::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                use ser::SerializeMap;
                let mut map = s.serialize_map(Some(2))?;
                map.serialize_entry(&Shown("a\"b"), &1)?;
                map.serialize_entry(&Shown("c"), &2)?;
                map.end()
            }
        }
        same(&ShownKeys);
    }

    #[test]
    fn every_ascii_byte_and_some_unicode_escape_as_serde_json_does() {
        for b in 0u8..=0x7f {
            let s = format!("a{}b", char::from(b));
            same(&s);
            same(&char::from(b));
        }
        same(&"plain text, no escapes at all");
        same(&"é — “quoted” \u{2028} \u{1F600} \"q\" \\ \u{7f}\u{1}\u{1f}");
        same(&"");
    }

    #[test]
    fn display_escapes_as_serde_json_does() {
        struct Shown;
        impl fmt::Display for Shown {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "a \"b\"\n{}\t", 7)
            }
        }
        impl Serialize for Shown {
            fn serialize<S: ser::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_str(self)
            }
        }
        same(&Shown);
        same(&vec![Shown, Shown]);
    }

    #[test]
    fn other_shapes_match_serde_json() {
        #[derive(Serialize)]
        enum E {
            Unit,
            New(i32),
            Tuple(u8, bool),
            Struct { a: Option<f64>, b: () },
        }
        #[derive(Serialize)]
        #[serde(tag = "step")]
        enum Tagged {
            One { x: i64 },
        }
        same(&vec![E::Unit, E::New(-3), E::Tuple(1, false)]);
        same(&E::Struct {
            a: Some(1.5),
            b: (),
        });
        same(&E::Struct { a: None, b: () });
        same(&Tagged::One { x: 4 });
        same(&(1u64, u64::MAX, i64::MIN, f64::NAN, 0.1f32, 'x'));
        same(&serde_bytes_as_seq(b"ab"));
        let mut keys = BTreeMap::new();
        keys.insert(3u32, "three");
        keys.insert(10u32, "ten");
        same(&keys);
        let mut keys = BTreeMap::new();
        keys.insert(true, vec![1, 2]);
        same(&keys);
        same(&Vec::<u8>::new());
        // Lists, written by our `collect_seq`: empty, of one, of several,
        // nested, and from a set rather than a `Vec`.
        same(&Vec::<Vec<u8>>::new());
        same(&vec![Vec::<u8>::new(), vec![1], vec![1, 2, 3], Vec::new()]);
        same(&vec![vec!["a"], vec![], vec!["b\"", "c"]]);
        same(&std::collections::BTreeSet::from(["x", "y", "z"]));
        same(&(Vec::<()>::new(), vec![None, Some(vec![true])]));
        same(&BTreeMap::<String, u8>::new());
        same(&serde_json::json!({"a": [1, {"b": null}], "c\n": "d"}));
    }
}
