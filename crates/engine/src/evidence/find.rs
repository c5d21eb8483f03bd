//! [`find_date`]: the date at one path in a record's JSON text, read with
//! serde_json without building the record, and reading no further than the
//! date (`Editions::select_str` picks an edition by it before the record
//! is read).

use super::parse_date;
use chrono::NaiveDate;
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, Visitor};
use std::fmt;

/// Stop serde_json reading for [`find_date`]: the message is never shown.
fn give_up<E: de::Error>() -> E {
    E::custom("read through serde_json::Value instead")
}

/// The date at `path` in JSON text, read without building the record: the
/// first value met at that path, if it is a string `YYYY-MM-DD` naming a real
/// day. Reading stops there, so the rest of the text is not looked at (the
/// evaluation that follows reads it all).
pub(crate) fn find_date(text: &str, path: &[String]) -> Option<NaiveDate> {
    let mut found = None;
    let mut de = serde_json::Deserializer::from_str(text);
    // Finding the date stops reading with an error; anything else is no date.
    let _ = FindSeed {
        path,
        found: &mut found,
    }
    .deserialize(&mut de);
    found
}

struct FindSeed<'a> {
    /// The rest of the path, from this value.
    path: &'a [String],
    found: &'a mut Option<NaiveDate>,
}

impl<'de> DeserializeSeed<'de> for FindSeed<'_> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for FindSeed<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object holding a date")
    }

    fn visit_str<E: de::Error>(self, s: &str) -> Result<(), E> {
        if self.path.is_empty() {
            *self.found = parse_date(s);
        }
        // Found or not, there is no need to read on.
        Err(give_up())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let Some((step, rest)) = self.path.split_first() else {
            return Err(give_up());
        };
        while let Some(key) = map.next_key_seed(KeyIs(step))? {
            if key {
                return map.next_value_seed(FindSeed {
                    path: rest,
                    found: self.found,
                });
            }
            map.next_value::<IgnoredAny>()?;
        }
        Ok(())
    }
}

/// Whether a key is the one looked for, without copying it.
struct KeyIs<'a>(&'a str);

impl<'de> DeserializeSeed<'de> for KeyIs<'_> {
    type Value = bool;

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<bool, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeyIs<'_> {
    type Value = bool;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a key")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<bool, E> {
        Ok(key == self.0)
    }
}
