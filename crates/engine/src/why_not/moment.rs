//! `time of X` and `date of X` worked back to X, a date and time: the
//! moment X would need for a comparison of its time (on X's own day) or of
//! its date (at X's own time, or the first or last moment of the day).

use crate::model::Cmp;
use crate::value::Value;
use chrono::{NaiveDate, NaiveDateTime};
use judgement_syntax::ast::CalendarOp;

/// What `X` (now `now`) would need for `cal X op target` to hold, as a
/// comparison of X itself: `None` where no one moment is nearest (`is
/// not`), or for any other calendar operation.
pub(super) fn needed(
    cal: CalendarOp,
    op: Cmp,
    now: NaiveDateTime,
    target: &Value,
) -> Option<(Cmp, NaiveDateTime)> {
    let first = |d: NaiveDate| d.and_hms_opt(0, 0, 0);
    let last = |d: NaiveDate| d.and_hms_opt(23, 59, 59);
    match (cal, target, op) {
        (_, _, Cmp::Ne) => None,
        (CalendarOp::TimeOf, Value::Time(t), _) => Some((op, now.date().and_time(*t))),
        (CalendarOp::DateOf, Value::Date(d), Cmp::Eq) => Some((op, d.and_time(now.time()))),
        (CalendarOp::DateOf, Value::Date(d), Cmp::Ge) => Some((Cmp::Ge, first(*d)?)),
        (CalendarOp::DateOf, Value::Date(d), Cmp::Gt) => Some((Cmp::Ge, first(d.succ_opt()?)?)),
        (CalendarOp::DateOf, Value::Date(d), Cmp::Le) => Some((Cmp::Le, last(*d)?)),
        (CalendarOp::DateOf, Value::Date(d), Cmp::Lt) => Some((Cmp::Le, last(d.pred_opt()?)?)),
        _ => None,
    }
}
