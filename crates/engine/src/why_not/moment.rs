//! `time of X` and `date of X` worked back to X, a date and time: the
//! moment X would need for a comparison of its time (on X's own day) or of
//! its date (at X's own time, or the first or last moment of the day);
//! both of one moment, a day and a time, put together as one change; and
//! what a part that holds asks of X's time (or day) said of the moment a
//! change gives X.

use super::{Amount, Change, Need};
use crate::model::Cmp;
use crate::show::datetime_str;
use crate::value::Value;
use chrono::{NaiveDate, NaiveDateTime};
use judgement_syntax::ast::CalendarOp;

/// What `X` (now `now`) would need for `cal X op target` to hold, as a
/// comparison of X itself: for `!=` (X on its day, or at its time, now),
/// the nearest moment after that differs, the next day at X's own time or
/// the next minute on X's own day; `None` for any other calendar operation.
pub(super) fn needed(
    cal: CalendarOp,
    op: Cmp,
    now: NaiveDateTime,
    target: &Value,
) -> Option<(Cmp, NaiveDateTime)> {
    let first = |d: NaiveDate| d.and_hms_opt(0, 0, 0);
    let last = |d: NaiveDate| d.and_hms_opt(23, 59, 59);
    match (cal, target, op) {
        (CalendarOp::DateOf, Value::Date(d), Cmp::Ne) => {
            Some((Cmp::Eq, d.succ_opt()?.and_time(now.time())))
        }
        (CalendarOp::TimeOf, Value::Time(t), Cmp::Ne) => {
            let later = t.overflowing_add_signed(chrono::TimeDelta::minutes(1));
            (later.1 == 0).then(|| (Cmp::Eq, now.date().and_time(later.0)))
        }
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

/// What `X`, not known, would need for `date of X op D` to hold, where the
/// bound on its day needs no time of X's own: on or before (after) D is
/// at most the last (at least the first) moment of that day. `None` for
/// `=`, `!=` and `time of X`, which would need X's own time or day.
pub(super) fn needed_of_unknown(
    cal: CalendarOp,
    op: Cmp,
    target: &Value,
) -> Option<(Cmp, NaiveDateTime)> {
    match (cal, op) {
        (CalendarOp::DateOf, Cmp::Ge | Cmp::Gt | Cmp::Le | Cmp::Lt) => {
            needed(cal, op, NaiveDateTime::MIN, target)
        }
        _ => None,
    }
}

/// What `cal X op target` asks of X, in words: `with its time before
/// 09:00`, `on 2020-03-02`.
pub(super) fn wanted(cal: CalendarOp, op: Cmp, target: &Value) -> String {
    let shown = match target {
        Value::Date(d) => crate::show::date_str(*d),
        Value::Time(t) => crate::show::time_str(*t),
        _ => String::new(),
    };
    let relation = match op {
        Cmp::Eq => "at",
        Cmp::Ne => "other than",
        Cmp::Lt => "before",
        Cmp::Le => "at or before",
        Cmp::Gt => "after",
        Cmp::Ge => "at or after",
    };
    match (cal, op) {
        (CalendarOp::TimeOf, _) => format!("with its time {relation} {shown}"),
        (_, Cmp::Eq) => format!("on {shown}"),
        (_, Cmp::Ne) => format!("on any day but {shown}"),
        _ => format!("on a day {relation} {shown}"),
    }
}

/// `date of X = D and time of X = T`: working back gives X on day D at its
/// own time, and X at T on its own day, two moments of which neither makes
/// both parts hold. They are one change, X at T on day D. Of the two ways
/// to put the parts together, the other is X as it is now.
pub(super) fn merge(changes: &mut Vec<Change>) {
    let mut i = 0;
    while i < changes.len() {
        let merged = changes.iter().enumerate().skip(i + 1).find_map(|(j, b)| {
            let a = changes.get(i)?;
            let (Need::Exactly(Amount::DateTime(x)), Need::Exactly(Amount::DateTime(y))) =
                (&a.needs, &b.needs)
            else {
                return None;
            };
            if a.field != b.field || x.date() == y.date() || x.time() == y.time() {
                return None;
            }
            let one = x.date().and_time(y.time());
            let other = y.date().and_time(x.time());
            let moment = if datetime_str(other) == a.now {
                one
            } else if datetime_str(one) == a.now {
                other
            } else {
                return None;
            };
            Some((j, moment))
        });
        match merged {
            Some((j, moment)) => {
                changes.remove(j);
                if let Some(a) = changes.get_mut(i) {
                    a.needs = Need::Exactly(Amount::DateTime(moment));
                }
            }
            None => i += 1,
        }
    }
}

/// What a part that already holds needs of moment X (`keep`), said of the
/// moment a change for another part gives X (`change`). A part about X's
/// time alone (`time of X < noon`) was worked back on X's own day, and one
/// about X's day alone (`date of X = D`) at X's own time: where the change
/// moves X to another day (or time), the part asks the same of the time
/// (or day) of the moment the change gives, so that `arrival` the next day
/// at its own time 11:59 keeps `time of arrival < noon`. `cal` says which
/// part of X the part that holds reads (`None`: X itself, kept as it is).
pub(super) fn kept_at(cal: Option<CalendarOp>, keep: &Need, change: &Need) -> Need {
    let (Need::Exactly(Amount::DateTime(to))
    | Need::AtLeast(Amount::DateTime(to))
    | Need::AtMost(Amount::DateTime(to))) = change
    else {
        return keep.clone();
    };
    let moved = |k: &NaiveDateTime| match cal {
        Some(CalendarOp::TimeOf) => Some(to.date().and_time(k.time())),
        Some(CalendarOp::DateOf) => Some(k.date().and_time(to.time())),
        _ => None,
    };
    match keep {
        // The bounds of `date of X` are the first or last moment of a day,
        // whatever X's time: only its own day asked exactly carries it.
        Need::AtLeast(Amount::DateTime(_)) | Need::AtMost(Amount::DateTime(_))
            if cal == Some(CalendarOp::DateOf) =>
        {
            keep.clone()
        }
        Need::Exactly(Amount::DateTime(k)) => {
            moved(k).map_or_else(|| keep.clone(), |m| Need::Exactly(Amount::DateTime(m)))
        }
        Need::AtLeast(Amount::DateTime(k)) => {
            moved(k).map_or_else(|| keep.clone(), |m| Need::AtLeast(Amount::DateTime(m)))
        }
        Need::AtMost(Amount::DateTime(k)) => {
            moved(k).map_or_else(|| keep.clone(), |m| Need::AtMost(Amount::DateTime(m)))
        }
        _ => keep.clone(),
    }
}
