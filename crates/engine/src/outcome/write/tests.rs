//! The writer against serde_json: strings of every length with every kind
//! of byte that needs escaping, at every place, as values, struct and map
//! keys and through `Display`, and every other shape serde has, written to
//! the same bytes; proptests for any strings.

#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::cast_possible_truncation,
    reason = "tests"
)]
use super::words::plain;
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
