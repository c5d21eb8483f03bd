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
//! formatted by the same code. `tests` (`write/tests.rs`) pin the escaping
//! against serde_json; the snapshot and bindings corpus tests pin whole
//! outcomes.
//!
//! This module holds the `Serializer` for values and the `Compound` that
//! writes sequences, maps and structs; the byte-level string work (the
//! word-at-a-time checks and copies, and the escaping) is in `words`, and
//! the serializer for a map's keys in `key`.

mod key;
mod words;

use key::Key;
use serde::ser::{self, Serialize};
use serde_json::Error;
use std::fmt::{self, Write as _};
use words::{
    escaped, push_word, quoted_in_words, quoted_two_words, short_word, COMMA_QUOTE, QUOTE,
    QUOTE_COLON,
};

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

#[cfg(test)]
mod tests;
