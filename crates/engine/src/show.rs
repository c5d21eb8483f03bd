//! Values as a reader sees them: in the outcome, its trace, messages and the
//! evidence schema. Shared by evaluation, the schema and the diff, so none of
//! them reaches into another for it.

use crate::model::Model;
use crate::types::Type;
use crate::value::Value;
use chrono::{Datelike, NaiveDate};
use std::sync::Arc;

/// A value as a reader sees it.
pub(crate) fn show(model: &Model, ty: Type, v: &Value) -> String {
    match v {
        Value::Days(n) => format!("{n} days"),
        Value::Months(n) => format!("{n} months"),
        Value::WorkingDays(n) => format!("{n} working days"),
        Value::List(items) => format!("{} elements", items.len()),
        other => show_plain(model, ty, other),
    }
}

/// A value in a message: durations as bare numbers, so that the message
/// says the unit (`{vacancy} days`).
pub(crate) fn show_plain(model: &Model, ty: Type, v: &Value) -> String {
    match v {
        Value::Bool(b) => b.to_string(),
        Value::Number(n) | Value::Days(n) | Value::Months(n) | Value::WorkingDays(n) => {
            n.to_string()
        }
        Value::Text(t) => t.to_string(),
        Value::Date(d) => date_str(*d),
        Value::DateTime(d) => d.format("%Y-%m-%dT%H:%M").to_string(),
        Value::Time(t) => t.format("%H:%M").to_string(),
        Value::Enum(i) => match ty {
            Type::Enum { id, .. } => enum_name(model, id, *i),
            _ => i.to_string(),
        },
        Value::List(items) => items.len().to_string(),
        Value::None => "none".into(),
        Value::Unknown => "unknown".into(),
    }
}

pub(crate) fn enum_name(model: &Model, id: crate::types::EnumId, value: u16) -> String {
    model
        .enums
        .get(id)
        .and_then(|e| e.values.get(usize::from(value)))
        .cloned()
        .unwrap_or_default()
}

/// A date as `YYYY-MM-DD`, the form evidence gives it in. Written digit by
/// digit: chrono's formatter interprets a format string on every call, and
/// an outcome writes several dates. A year outside 0..=9999 (which evidence
/// cannot hold) falls back to chrono.
pub(crate) fn date_str(d: NaiveDate) -> String {
    match date_digits(d) {
        Some(digits) => std::str::from_utf8(&digits).unwrap_or_default().to_owned(),
        None => d.format("%Y-%m-%d").to_string(),
    }
}

/// [`date_str`] shared: one allocation, for list elements named by a date.
pub(crate) fn date_arc(d: NaiveDate) -> Arc<str> {
    match date_digits(d) {
        Some(digits) => Arc::from(std::str::from_utf8(&digits).unwrap_or_default()),
        None => Arc::from(d.format("%Y-%m-%d").to_string()),
    }
}

/// The ten ASCII bytes of `YYYY-MM-DD`, for a year in 0..=9999.
pub(crate) fn date_digits(d: NaiveDate) -> Option<[u8; 10]> {
    let year = u32::try_from(d.year()).ok().filter(|y| *y <= 9999)?;
    let (month, day) = (d.month(), d.day());
    // `n % 10` is below 10: the cast keeps it whole.
    let digit = |n: u32| b'0' + (n % 10) as u8;
    Some([
        digit(year / 1000),
        digit(year / 100),
        digit(year / 10),
        digit(year),
        b'-',
        digit(month / 10),
        digit(month),
        b'-',
        digit(day / 10),
        digit(day),
    ])
}

#[cfg(test)]
mod tests {
    use super::{date_arc, date_str};
    use chrono::NaiveDate;

    #[test]
    fn dates_are_written_as_evidence_gives_them() {
        for (y, m, d) in [
            (2015, 12, 25),
            (1, 1, 1),
            (9999, 12, 31),
            (2016, 2, 29),
            (987, 10, 3),
        ] {
            let date = NaiveDate::from_ymd_opt(y, m, d).unwrap();
            assert_eq!(date_str(date), date.format("%Y-%m-%d").to_string());
            assert_eq!(&*date_arc(date), date_str(date));
        }
        let far = NaiveDate::from_ymd_opt(12345, 1, 2).unwrap();
        assert_eq!(date_str(far), far.format("%Y-%m-%d").to_string());
    }
}
