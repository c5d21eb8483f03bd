//! How the outcome's typed fields are written in JSON: dates as
//! `YYYY-MM-DD`, items as text, and the values the trace shows as
//! `name = value`.

use super::Item;
use chrono::NaiveDate;
use serde::Serializer;

/// A date as `YYYY-MM-DD`.
pub(crate) fn date<S: Serializer>(d: &NaiveDate, s: S) -> Result<S::Ok, S::Error> {
    match crate::show::date_digits(*d) {
        Some(digits) => s.serialize_str(std::str::from_utf8(&digits).unwrap_or_default()),
        None => s.collect_str(&d.format("%Y-%m-%d")),
    }
}

/// An optional date (left out by `skip_serializing_if` when `None`).
pub(crate) fn opt_date<S: Serializer>(d: &Option<NaiveDate>, s: S) -> Result<S::Ok, S::Error> {
    match d {
        Some(d) => date(d, s),
        None => s.serialize_none(),
    }
}

/// An optional item id.
pub(crate) fn opt_item<S: Serializer>(item: &Option<Item>, s: S) -> Result<S::Ok, S::Error> {
    match item {
        Some(item) => s.serialize_str(item),
        None => s.serialize_none(),
    }
}
