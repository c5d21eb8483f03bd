//! How the outcome's typed fields are written in JSON: dates as
//! `YYYY-MM-DD`, items as text, and the values the trace shows as
//! `name = value`.

use super::Item;
use chrono::{Datelike, NaiveDate};
use serde::Serializer;
use std::sync::OnceLock;

/// `value` as it serialises itself, out of line: for the parts of an
/// outcome that most records leave empty or out (the trace, warnings,
/// advisories, undetermined rules, a provisional judgement), so that the
/// code that writes them is not inlined among the code every outcome runs.
#[inline(never)]
pub(crate) fn out_of_line<T: serde::Serialize + ?Sized, S: Serializer>(
    value: &T,
    s: S,
) -> Result<S::Ok, S::Error> {
    value.serialize(s)
}

/// A date as `YYYY-MM-DD`.
pub(crate) fn date<S: Serializer>(d: &NaiveDate, s: S) -> Result<S::Ok, S::Error> {
    if let Some(text) = written(*d) {
        return s.serialize_str(text);
    }
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

/// The first year whose dates [`written`] keeps.
const FIRST_YEAR: i32 = 1900;

/// How many years from [`FIRST_YEAR`] it keeps: to 2199.
const YEARS: usize = 300;

/// The characters of one date, `YYYY-MM-DD`.
const DATE_LEN: usize = 10;

/// For each year from [`FIRST_YEAR`], every date of the year as
/// `YYYY-MM-DD`, back to back in order (3,660 bytes at most), written out
/// the first time a date of that year is serialised.
static WRITTEN: [OnceLock<Box<str>>; YEARS] = [const { OnceLock::new() }; YEARS];

/// `d` as `YYYY-MM-DD`, sliced from its year's dates written out ([`WRITTEN`]),
/// for a year from 1900 to 2199; `None` for another year. Every deadline
/// has a date or two, and working out each one's digits, then checking
/// that they make a `str` (as safe code must), cost more than writing the
/// date into the outcome; a slice of text already checked costs a lookup.
fn written(d: NaiveDate) -> Option<&'static str> {
    let year = usize::try_from(d.year() - FIRST_YEAR).ok()?;
    let dates = WRITTEN.get(year)?.get_or_init(|| year_written(d.year()));
    let at = DATE_LEN * usize::try_from(d.ordinal0()).ok()?;
    dates.get(at..at + DATE_LEN)
}

/// Every date of `year` as `YYYY-MM-DD`, back to back, first to last.
fn year_written(year: i32) -> Box<str> {
    let mut dates = String::with_capacity(366 * DATE_LEN);
    let mut day = NaiveDate::from_yo_opt(year, 1);
    while let Some(d) = day.filter(|d| d.year() == year) {
        dates.push_str(&crate::show::date_str(d));
        day = d.succ_opt();
    }
    dates.into_boxed_str()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]
    use super::*;

    /// Every date of every year kept, and the days either side of the
    /// years kept, is written as chrono formats it, by the engine's writer
    /// and by serde_json alike.
    #[test]
    fn every_date_is_written_as_chrono_formats_it() {
        struct Date(NaiveDate);
        impl serde::Serialize for Date {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                date(&self.0, s)
            }
        }
        let first = NaiveDate::from_ymd_opt(FIRST_YEAR - 1, 12, 25).unwrap();
        let last = NaiveDate::from_ymd_opt(FIRST_YEAR + 300, 1, 7).unwrap();
        let mut days = 0;
        for d in first.iter_days().take_while(|d| *d <= last) {
            let expected = format!("\"{}\"", d.format("%Y-%m-%d"));
            assert_eq!(serde_json::to_string(&Date(d)).unwrap(), expected);
            assert_eq!(crate::outcome::to_json_string(&Date(d)).unwrap(), expected);
            days += 1;
        }
        assert!(days > 300 * 365);
        // Before and after the years kept, dates fall back to their digits.
        assert!(written(first).is_none());
        assert!(written(last).is_none());
        assert!(written(NaiveDate::from_ymd_opt(FIRST_YEAR, 1, 1).unwrap()).is_some());
        for far in [
            NaiveDate::from_ymd_opt(1, 1, 1).unwrap(),
            NaiveDate::from_ymd_opt(9999, 12, 31).unwrap(),
            NaiveDate::from_ymd_opt(-4, 2, 29).unwrap(),
            NaiveDate::from_ymd_opt(12_000, 3, 1).unwrap(),
        ] {
            let expected = serde_json::to_string(&far.format("%Y-%m-%d").to_string()).unwrap();
            assert_eq!(
                crate::outcome::to_json_string(&Date(far)).unwrap(),
                expected
            );
        }
    }
}
