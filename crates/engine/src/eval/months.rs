//! Calendar months: dates moved by months (clamped to a month's end), and
//! the sequences `months from A to B` (and `years`), built in place,
//! counted without being built, or read at their ends.

use super::{fault, Fallible, Run};
use crate::error::EvalError;
use crate::model::{ExprId, Node};
use crate::value::{Element, Value};
use chrono::{Datelike, Days, NaiveDate};
use std::sync::Arc;

/// The most dates `months from A to B` may produce.
const MAX_SEQUENCE: usize = 100_000;

impl Run<'_, '_> {
    /// `months from A to B`: A, A + 1 month, ... up to B (each counted from
    /// A, so that 31 January gives 29 February, then 31 March).
    pub(super) fn sequence(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        step: i64,
        e: ExprId,
    ) -> Fallible<Value> {
        if let Some(list) = months_in_place(from, to, step) {
            return Ok(Value::List(list));
        }
        let day = from.day();
        let start = i64::from(from.year()) * 12 + i64::from(from.month0());
        // At most this many months (one more when B falls on A's day): the
        // list is built without growing.
        let months = (i64::from(to.year()) - i64::from(from.year())) * 12 + i64::from(to.month())
            - i64::from(from.month());
        let expected = usize::try_from(months / step.max(1) + 2).unwrap_or(0);
        let mut out = Vec::with_capacity(expected.min(MAX_SEQUENCE + 1));
        // Each date is A's day of the month `k * step` months on, clamped to
        // that month's end (`add_months(from, k * step)`), found from the
        // one before: by whole months of days while A's day is in every
        // month (the 28th or before, one month a step), else from its year
        // and month.
        let mut month = start;
        let mut date = Some(from);
        while let Some(d) = date {
            if d > to {
                break;
            }
            if out.len() >= MAX_SEQUENCE {
                return Err(fault(EvalError::SequenceTooLong {
                    limit: MAX_SEQUENCE,
                    span: self.span_of(e),
                }));
            }
            out.push(Element::date(d));
            let Some(next) = month.checked_add(step) else {
                break;
            };
            date = next_in_sequence(d, day, next, step);
            month = next;
        }
        Ok(Value::List(Arc::from(out)))
    }

    /// The ends of `months from A to B` (or `years`) at `e`, evaluated as
    /// [`Run::value`] evaluates them, so that any error is the same; `None`
    /// when `e` is not such a sequence.
    fn sequence_ends(&mut self, e: ExprId) -> Fallible<Option<Ends>> {
        let Node::Sequence { months, from, to } = self.node(e)? else {
            return Ok(None);
        };
        let ends = |from: &Value, to: &Value| match (from, to) {
            (&Value::Date(from), &Value::Date(to)) => Ends::Dates {
                from,
                to,
                step: *months,
            },
            (Value::Unknown, _) | (_, Value::Unknown) => Ends::Unknown,
            // Not dates: the sequence is empty.
            _ => Ends::Empty,
        };
        // Ends in place (a threshold, a field) are read where they are.
        Ok(Some(self.pair(*from, *to, |_, a, b| ends(a, b))?))
    }

    /// `earliest m for m in months from A to B` (or `latest`): the first or
    /// last date of the sequence, found from its length rather than by
    /// building it and comparing each date (a sequence only rises). `None`
    /// where only building the sequence tells.
    pub(super) fn sequence_end(&mut self, list: ExprId, latest: bool) -> Fallible<Option<Value>> {
        Ok(match self.sequence_ends(list)? {
            None => None,
            Some(Ends::Dates { from, to, step }) => match months_count(from, to, step) {
                Some(0) | None => None,
                Some(_) if !latest => Some(Value::Date(from)),
                Some(n) => {
                    let start = i64::from(from.year()) * 12 + i64::from(from.month0());
                    let last = i64::try_from(n - 1).ok().and_then(|k| k.checked_mul(step));
                    last.and_then(|k| month_day(start + k, from.day()))
                        .map(Value::Date)
                }
            },
            Some(Ends::Unknown) => Some(Value::Unknown),
            // An empty sequence has no first or last.
            Some(Ends::Empty) => Some(Value::None),
        })
    }

    /// How many elements the list `e` would give, where that is known
    /// without building it: a list read where it is, or a sequence of
    /// months counted as [`Run::sequence`] would build it (its ends
    /// evaluated as [`Run::value`] would, so any error is the same).
    /// `Extent::Build` for every other list, and for a sequence only the
    /// loop of [`Run::sequence`] can measure.
    pub(super) fn extent(&mut self, e: ExprId) -> Fallible<Extent> {
        match self.place(e) {
            Some(Value::List(items)) => return Ok(Extent::Len(items.len())),
            Some(Value::None) => return Ok(Extent::Len(0)),
            Some(Value::Unknown) => return Ok(Extent::Unknown),
            // Not a list: building it says so.
            Some(_) => return Ok(Extent::Build),
            None => {}
        }
        Ok(match self.sequence_ends(e)? {
            Some(Ends::Dates { from, to, step }) => match months_count(from, to, step) {
                Some(count) => Extent::Len(count),
                None => Extent::Build,
            },
            Some(Ends::Unknown) => Extent::Unknown,
            Some(Ends::Empty) => Extent::Len(0),
            None => Extent::Build,
        })
    }
}

/// The ends of a sequence of months ([`Run::sequence_ends`]).
enum Ends {
    Dates {
        from: NaiveDate,
        to: NaiveDate,
        step: i64,
    },
    Unknown,
    Empty,
}

/// The length of a list found without building it ([`Run::extent`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Extent {
    /// The list is unknown: a `for each` over it runs for no element.
    Unknown,
    /// It would hold this many elements.
    Len(usize),
    /// Only building it tells.
    Build,
}

/// Calendar months, clamped to the month's end (31 Jan + 1 month = 28/29 Feb).
/// Counted on (year, month) directly: chrono's `checked_add_months` goes
/// through its month-difference machinery, several times the cost.
pub(crate) fn add_months(d: NaiveDate, n: i64) -> Option<NaiveDate> {
    if n == 0 {
        return Some(d);
    }
    let total = (i64::from(d.year()) * 12 + i64::from(d.month0())).checked_add(n)?;
    month_day(total, d.day())
}

/// `months from A to B` by `step` months, counted first so that the list is
/// built in place, in one allocation; `None` (left to the loop that steps
/// until B) for a step below one month, A after B, or a list too long.
/// Every date but the last falls in a month before B's, so only the last
/// may fall after B.
fn months_in_place(from: NaiveDate, to: NaiveDate, step: i64) -> Option<Arc<[Element]>> {
    let count = months_count(from, to, step)?;
    let day = from.day();
    let start = i64::from(from.year()) * 12 + i64::from(from.month0());
    let (mut date, mut month) = (from, start);
    Some(
        (0..count)
            .map(|k| {
                if k > 0 {
                    month += step;
                    date = next_in_sequence(date, day, month, step).unwrap_or(date);
                }
                Element::date(date)
            })
            .collect(),
    )
}

/// How many dates `months from A to B` by `step` months holds, counted
/// without building them; `None` where [`months_in_place`] leaves the list
/// to the loop (a step below one month, A after B, or a list too long).
fn months_count(from: NaiveDate, to: NaiveDate, step: i64) -> Option<usize> {
    if step < 1 || from > to {
        return None;
    }
    let day = from.day();
    let start = i64::from(from.year()) * 12 + i64::from(from.month0());
    let end = i64::from(to.year()) * 12 + i64::from(to.month0());
    let last = (end - start) / step;
    let after = month_day(start + last * step, day).is_none_or(|d| d > to);
    let count = usize::try_from(last + 1 - i64::from(after)).ok()?;
    (count <= MAX_SEQUENCE).then_some(count)
}

/// The date after `d` in `months from A to B` by `step` months, `day` being
/// A's day and `month` the month the date falls in (`year * 12 + month - 1`):
/// `d` plus that month's days where A's day is in every month and the step
/// is one month, else built from its year and month.
fn next_in_sequence(d: NaiveDate, day: u32, month: i64, step: i64) -> Option<NaiveDate> {
    if day <= 28 && step == 1 {
        d.checked_add_days(Days::new(u64::from(days_in_month(d.year(), d.month()))))
    } else {
        month_day(month, day)
    }
}

/// Day `day` of a month counted as `year * 12 + (month - 1)`, clamped to the
/// month's end.
fn month_day(month: i64, day: u32) -> Option<NaiveDate> {
    let year = i32::try_from(month.div_euclid(12)).ok()?;
    let month = u32::try_from(month.rem_euclid(12)).ok()? + 1;
    NaiveDate::from_ymd_opt(year, month, day.min(days_in_month(year, month)))
}

/// The number of days in `month` (1 to 12) of `year` (proleptic Gregorian).
fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::expr::{add_days, four_digit};
    use chrono::Months;

    #[test]
    fn months_clamp_to_the_end_of_the_month() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert_eq!(add_months(d("2016-01-31"), 1), Some(d("2016-02-29")));
        assert_eq!(add_months(d("2015-01-31"), 1), Some(d("2015-02-28")));
        assert_eq!(add_months(d("2016-03-31"), -1), Some(d("2016-02-29")));
        assert_eq!(add_months(d("2015-11-04"), 0), Some(d("2015-11-04")));
    }

    #[test]
    fn months_agree_with_chrono() {
        let mut d = NaiveDate::from_ymd_opt(1899, 1, 1).unwrap();
        let last = NaiveDate::from_ymd_opt(2101, 1, 1).unwrap();
        while d < last {
            for n in [
                -1300, -25, -13, -12, -11, -2, -1, 0, 1, 2, 11, 12, 13, 25, 1300,
            ] {
                let m = Months::new(u32::try_from(i64::abs(n)).unwrap());
                let want = if n >= 0 {
                    d.checked_add_months(m)
                } else {
                    d.checked_sub_months(m)
                };
                assert_eq!(add_months(d, n), want, "{d} + {n} months");
            }
            d = d.succ_opt().unwrap();
        }
        let mut from = NaiveDate::from_ymd_opt(2015, 1, 1).unwrap();
        while from < NaiveDate::from_ymd_opt(2016, 3, 1).unwrap() {
            for step in [1, 2, 3, 12] {
                for to in [-3, 0, 1, 27, 28, 29, 30, 31, 59, 365, 400, 3000] {
                    let to = from + chrono::Duration::days(to);
                    let mut want = Vec::new();
                    let mut k = 0;
                    while let Some(d) = add_months(from, k * step).filter(|d| *d <= to) {
                        want.push(Element::date(d));
                        k += 1;
                    }
                    let Some(got) = months_in_place(from, to, step) else {
                        assert!(to < from, "{from} to {to} by {step}");
                        continue;
                    };
                    assert_eq!(&got[..], &want[..], "{from} to {to} by {step}");
                }
            }
            from = from.succ_opt().unwrap();
        }
        assert!(months_in_place(from, from, 0).is_none());
        let max = NaiveDate::MAX;
        assert_eq!(add_months(max, 1), max.checked_add_months(Months::new(1)));
        assert_eq!(add_months(NaiveDate::MIN, -1), None);
        assert_eq!(add_months(max, i64::MAX), None);
        assert_eq!(add_months(max, i64::MIN), None);
        // What the rules compute keeps to four-digit years: the outcome
        // writes YYYY-MM-DD.
        let last = NaiveDate::from_ymd_opt(9999, 12, 31).unwrap();
        let first = NaiveDate::from_ymd_opt(0, 1, 1).unwrap();
        assert_eq!(four_digit(last), Some(last));
        assert_eq!(four_digit(first), Some(first));
        assert_eq!(add_days(last, 1).and_then(four_digit), None);
        assert_eq!(add_days(first, -1).and_then(four_digit), None);
        assert_eq!(add_months(last, 1).and_then(four_digit), None);
    }
}
