//! Reading evidence JSON text strictly: serde_json keeps the last of two
//! equal keys in an object without a word, which would let a record say two
//! things and be read as one. Here a repeated key is an error naming its
//! JSON path. The path is written out only for the error: the chain of
//! parent keys lives on the stack.

use crate::error::EvalError;
use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value as Json};
use std::fmt;

/// Parse JSON text; a key repeated in one object is an error with its path.
pub fn parse_json(text: &str) -> Result<Json, EvalError> {
    // A byte-order mark before the JSON is passed over (RFC 8259 allows it).
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut de = serde_json::Deserializer::from_str(text);
    let value = Node { parent: None }
        .deserialize(&mut de)
        .and_then(|v| de.end().map(|()| v))
        .map_err(|e| EvalError::Json {
            line: e.line(),
            column: char_column(text, e.line(), e.column()),
            message: without_place(&e),
        })?;
    Ok(value)
}

/// serde_json's error for `text`, its place written in characters: `...
/// at line L column C`. serde_json counts a column in bytes.
pub(crate) fn error_in_characters(text: &str, e: &serde_json::Error) -> String {
    format!(
        "{} at line {} column {}",
        without_place(e),
        e.line(),
        char_column(text, e.line(), e.column())
    )
}

/// serde_json's error message without the place it appends, in words of
/// our own where serde_json's mislead.
fn without_place(e: &serde_json::Error) -> String {
    let message = e.to_string();
    let message = message.split(" at line").next().unwrap_or_default();
    match message {
        // serde_json's words for a `\u` escape of half a surrogate pair
        // with no other half: the first half alone (`"\ud800"`) is an "end
        // of hex escape", the second alone (`"\udc00"`) or a first half
        // followed by no second a "lone leading surrogate".
        "unexpected end of hex escape" | "lone leading surrogate in hex escape" => {
            LONE_SURROGATE.to_string()
        }
        message => message.to_string(),
    }
}

/// What is wrong with a `\u` escape of half a surrogate pair alone.
const LONE_SURROGATE: &str = "a lone surrogate: `\\ud800` to `\\udfff` are halves of a pair \
     (a first half up to `\\udbff`, then a second from `\\udc00`: `\\ud83d\\ude00`), \
     not characters alone";

/// The column, in characters from 1, of the byte column `byte_column`
/// (from 1) of line `line` (from 1) of `text`. serde_json gives column 0
/// at the very start of a line (the text ended just after a line break):
/// that is column 1.
fn char_column(text: &str, line: usize, byte_column: usize) -> usize {
    let Some(line_text) = text.split('\n').nth(line.saturating_sub(1)) else {
        return byte_column.max(1);
    };
    let mut end = byte_column.saturating_sub(1).min(line_text.len());
    while !line_text.is_char_boundary(end) {
        end -= 1;
    }
    line_text.get(..end).map_or(0, |s| s.chars().count()) + 1
}

/// Where a value is: its key or index, and its parent.
#[derive(Clone, Copy)]
enum Step<'a> {
    Key(&'a str),
    Index(usize),
}

#[derive(Clone, Copy)]
struct Node<'a> {
    parent: Option<(&'a Node<'a>, Step<'a>)>,
}

impl Node<'_> {
    fn path(&self) -> String {
        let mut steps = Vec::new();
        let mut at = self;
        while let Some((parent, step)) = &at.parent {
            steps.push(*step);
            at = parent;
        }
        let mut out = String::new();
        for step in steps.iter().rev() {
            match step {
                Step::Key(k) => crate::evidence::push_key(&mut out, k),
                Step::Index(i) => out.push_str(&format!("[{i}]")),
            }
        }
        out
    }
}

impl<'de> DeserializeSeed<'de> for Node<'_> {
    type Value = Json;

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Json, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Node<'_> {
    type Value = Json;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Json, E> {
        Ok(Json::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Json, E> {
        Ok(Json::Number(v.into()))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Json, E> {
        Ok(Json::Number(v.into()))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Json, E> {
        Ok(Number::from_f64(v).map_or(Json::Null, Json::Number))
    }

    fn visit_str<E>(self, v: &str) -> Result<Json, E> {
        Ok(Json::String(v.to_string()))
    }

    fn visit_string<E>(self, v: String) -> Result<Json, E> {
        Ok(Json::String(v))
    }

    fn visit_unit<E>(self) -> Result<Json, E> {
        Ok(Json::Null)
    }

    fn visit_none<E>(self) -> Result<Json, E> {
        Ok(Json::Null)
    }

    fn visit_some<D: de::Deserializer<'de>>(self, d: D) -> Result<Json, D::Error> {
        d.deserialize_any(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Json, A::Error> {
        let mut out = Vec::new();
        loop {
            let child = Node {
                parent: Some((&self, Step::Index(out.len()))),
            };
            match seq.next_element_seed(child)? {
                Some(v) => out.push(v),
                None => return Ok(Json::Array(out)),
            }
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Json, A::Error> {
        let mut out = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            let child = Node {
                parent: Some((&self, Step::Key(&key))),
            };
            // Refused as soon as the key is read, so that the error is at
            // the second key, not after its value (which may run on for
            // many lines).
            if out.contains_key(&key) {
                return Err(de::Error::custom(format!(
                    "`{}` is given twice; a key is written once in an object",
                    child.path()
                )));
            }
            let value = map.next_value_seed(child)?;
            out.insert(key, value);
        }
        Ok(Json::Object(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_repeated_key_is_an_error_naming_its_path() {
        let err = parse_json(r#"{"manager": {"absences": [{"id": "a", "id": "b"}]}}"#)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("`manager.absences[0].id` is given twice"),
            "{err}"
        );
        let err = parse_json(r#"{"a": 1, "a": 1}"#).unwrap_err().to_string();
        assert!(err.contains("`a` is given twice"), "{err}");
    }

    /// Where an error is: its line and column.
    fn at(text: &str) -> (usize, usize) {
        match parse_json(text) {
            Err(EvalError::Json { line, column, .. }) => (line, column),
            other => panic!("a JSON error: {other:?}"),
        }
    }

    #[test]
    fn a_repeated_key_is_refused_at_the_key_not_after_its_value() {
        // The second `a` ends at line 3, column 5; its value runs to line 6.
        let text = "{\n  \"a\": 1,\n  \"a\": [\n    1,\n    2\n  ]\n}";
        assert_eq!(at(text), (3, 5));
        assert_eq!(at(r#"{"a": 1, "a": "a long value"}"#), (1, 12));
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        // The `}` where a value is missing is the 26th character, whether
        // the text before it is ASCII or not.
        assert_eq!(at(r#"{"id":"aaaaaaaaaa", "x": }"#), (1, 26));
        assert_eq!(at(r#"{"id":"éééééééééé", "x": }"#), (1, 26));
        assert_eq!(at("{\"id\": \"é\",\n \"x\": }"), (2, 7));
        // Cut short just after a line break: column 1 of the next line.
        assert_eq!(at("{\"a\":\n"), (2, 1));
    }

    #[test]
    fn values_read_as_serde_json_reads_them() {
        let text = r#"{"a": [1, -2, 3.5, true, null, "x", {"b": {}}], "c": 18446744073709551615}"#;
        assert_eq!(
            parse_json(text).unwrap(),
            serde_json::from_str::<Json>(text).unwrap()
        );
        assert!(parse_json("{} x").is_err());
        assert!(parse_json("").is_err());
    }

    /// Half a surrogate pair alone is named for what it is, where
    /// serde_json speaks of an "end of hex escape" or a "lone leading
    /// surrogate" (audit 32 R8); its line and column are serde_json's.
    #[test]
    fn a_lone_surrogate_is_named_as_one() {
        for (text, column) in [
            (r#"{"id": "\ud800"}"#, 15),
            (r#"{"id": "\ud800abc"}"#, 15),
            (r#"{"id": "\udc00"}"#, 14),
            (r#"{"id": "\ud800\u0041"}"#, 20),
        ] {
            let err = parse_json(text).unwrap_err().to_string();
            assert_eq!(
                err,
                format!("not valid JSON (line 1, column {column}): {LONE_SURROGATE}"),
                "{text}"
            );
        }
        assert_eq!(
            parse_json(r#"{"id": "\ud83d\ude00"}"#).unwrap()["id"],
            "\u{1f600}"
        );
        let err = parse_json(r#"{"id": "\u12"}"#).unwrap_err().to_string();
        assert!(err.ends_with("invalid escape"), "{err}");
    }
}
