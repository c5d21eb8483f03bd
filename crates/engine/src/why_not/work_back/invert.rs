//! What a comparison needs of one of its sides, worked back through lets,
//! sums of days and moved dates to the value an evidence field must take,
//! and how near each kind of need is to what a rule weighs.

use super::{Changes, Writer, TOO_DEEP};
use crate::eval::add_days;
use crate::model::{Arith, Cmp, ExprId, Node};
use crate::show::show;
use crate::types::Type;
use crate::value::Value;
use crate::why_not::answer::{Amount, Change, Need};
use crate::why_not::moment;
use chrono::TimeDelta;
use judgement_syntax::ast::CalendarOp;

impl Writer<'_> {
    /// What `e` would need to be for `e op target` to hold, worked back
    /// through lets and sums to an evidence field.
    pub(super) fn invert(
        &self,
        e: ExprId,
        op: Cmp,
        target: &Value,
        known: &[(ExprId, Value)],
        mut via: Vec<String>,
    ) -> Changes {
        let _deeper = self.deeper()?;
        let text = self.text(e);
        if matches!(target, Value::Unknown | Value::None) {
            return Err(format!("the other side of `{text}` has no value"));
        }
        // A field of an element a quantifier asks of.
        if let Some((field, ty, now)) = self.element_field(e) {
            return Ok(vec![Change {
                field,
                now: now.unwrap_or_default(),
                needs: self.need_of(&text, ty, op, target)?,
                via,
            }]);
        }
        match self.model.exprs.get(e) {
            Some(Node::Field(f)) => {
                let def = self
                    .model
                    .fields
                    .get(*f)
                    .ok_or_else(|| format!("`{text}` is not a field of the evidence"))?;
                let now = self
                    .now_of(e, &def.name, def.ty, known)
                    .unwrap_or_else(|| "unknown".into());
                Ok(vec![Change {
                    field: def.name.clone(),
                    now,
                    needs: self.need_of(&text, def.ty, op, target)?,
                    via,
                }])
            }
            Some(Node::Var {
                slot: 0,
                field: Some(field),
            }) => {
                let ty = self.elem_field_type(*field).unwrap_or(Type::Bool);
                Ok(vec![Change {
                    field: text.clone(),
                    now: self.now_of(e, &text, ty, known).unwrap_or_default(),
                    needs: self.need_of(&text, ty, op, target)?,
                    via,
                }])
            }
            Some(Node::Let(l)) => {
                let def = self
                    .model
                    .lets
                    .get(*l)
                    .ok_or_else(|| format!("`{text}` is not a let of the ruleset"))?;
                if let Ok(n) = self.need_of(&def.name, def.ty, op, target) {
                    via.push(format!("{} {n}", def.name));
                }
                self.invert(def.expr, op, target, known, via)
                    .map_err(|why| {
                        if why.starts_with(TOO_DEEP) {
                            why
                        } else {
                            format!("{why}, from which `{}` is derived", def.name)
                        }
                    })
            }
            Some(Node::Arith(..)) => self.invert_arith(e, op, target, known, via),
            Some(Node::DaysBetween(..)) => self.invert_days_between(e, op, target, known, via),
            // `time of X` or `date of X`: the moment X would need, on X's
            // own day or at X's own time.
            Some(Node::Calendar(cal @ (CalendarOp::TimeOf | CalendarOp::DateOf), x)) => {
                let (op, at) = match self.value_here(*x, known) {
                    Some(Value::DateTime(moment)) => moment::needed(*cal, op, moment, target)
                        .ok_or_else(|| {
                            format!("`{text}` would need only to differ: no one moment")
                        })?,
                    // X not known: a bound on its day needs no time of
                    // its own (the first or last moment of the day will
                    // do); anything else needs the day or time X has.
                    _ => moment::needed_of_unknown(*cal, op, target).ok_or_else(|| {
                        let rest = match cal {
                            CalendarOp::TimeOf => "on the day it happened",
                            _ => "at the time it happened",
                        };
                        format!(
                            "`{}` is not known: recording it {}, {rest}, would decide this part",
                            self.text(*x),
                            moment::wanted(*cal, op, target)
                        )
                    })?,
                };
                self.invert(*x, op, &Value::DateTime(at), known, via)
            }
            Some(Node::Threshold(t)) => {
                let name = self
                    .model
                    .thresholds
                    .get(*t)
                    .map(|d| d.name.clone())
                    .unwrap_or_default();
                Err(format!(
                    "`{name}` is a threshold of the ruleset, not evidence"
                ))
            }
            Some(Node::Const(_)) => Err(format!("`{text}` is written in the rule")),
            Some(Node::Judgement(j)) => {
                let name = self
                    .model
                    .judgements
                    .get(*j)
                    .map(|d| d.name.clone())
                    .unwrap_or_default();
                Err(format!(
                    "`{text}` reads the judgement {name}, which rules decide: ask why not {name}=VALUE"
                ))
            }
            _ => Err(format!("`{text}` is computed from several values")),
        }
    }

    /// `a + b op T` or `a - b op T` (`e`), worked back to the side that can
    /// change: `a op T - b`, or `b op T - a` (`a - b`: `b`, flipped, `a - T`).
    /// A date moved by calendar months or working days is worked back by
    /// [`Writer::invert_moved`]. Each side needs only the other's value: a
    /// date not recorded beside a span the rule fixes (`report.draft_sent +
    /// provider_return_time`) is worked back all the same.
    pub(super) fn invert_arith(
        &self,
        e: ExprId,
        op: Cmp,
        target: &Value,
        known: &[(ExprId, Value)],
        via: Vec<String>,
    ) -> Changes {
        let text = self.text(e);
        let Some(&Node::Arith(arith, a, b)) = self.model.exprs.get(e) else {
            return Err(format!("`{text}` is not a sum or a difference"));
        };
        let valued = |x: ExprId| {
            self.value_here(x, known)
                .filter(|v| !matches!(v, Value::None | Value::Unknown))
        };
        let (va, vb) = (valued(a), valued(b));
        let not_recorded = || {
            format!("the values `{text}` is computed from were not recorded, so it cannot be worked back")
        };
        if va.is_none() && vb.is_none() {
            return Err(not_recorded());
        }
        let beyond =
            || format!("`{text}` would need a value beyond the calendar or a number's range");
        let (left, right) = match arith {
            // a + b op T: a op T - b, or b op T - a.
            Arith::AddSame | Arith::DateAddDays => (
                vb.as_ref().map(|vb| sub(target, vb)),
                va.as_ref().map(|va| sub(target, va).map(|v| (op, v))),
            ),
            // a - b op T: a op T + b, or b (flipped) a - T.
            Arith::SubSame | Arith::DateSubDays | Arith::DateDiff => (
                vb.as_ref().map(|vb| add(target, vb)),
                va.as_ref()
                    .map(|va| sub(va, target).map(|v| (op.flipped(), v))),
            ),
            // A date moved by months or working days: only the date can
            // change, as the span is the rule's.
            Arith::DateAddMonths
            | Arith::DateSubMonths
            | Arith::DateAddWorking
            | Arith::DateSubWorking => {
                let Some(by) = vb else {
                    return Err(not_recorded());
                };
                let (op, bound) = self.invert_moved(&text, arith, &by, op, target)?;
                return self.invert(a, op, &Value::Date(bound), known, via);
            }
        };
        let first = match left {
            Some(Some(t)) => self.invert(a, op, &t, known, via.clone()),
            Some(None) => Err(beyond()),
            None => Err(not_recorded()),
        };
        let second = match right {
            Some(Some((op2, t))) => self.invert(b, op2, &t, known, via),
            Some(None) => Err(beyond()),
            None => Err(not_recorded()),
        };
        // Both sides could change: rather not the date that picks the
        // edition or the day of evaluation (the inspection's own dates),
        // but the evidence measured against them.
        match (first, second) {
            (Ok(x), Ok(y)) if self.moves_the_record(&x) && !self.moves_the_record(&y) => Ok(y),
            (Ok(x), _) => Ok(x),
            (Err(_), Ok(y)) => Ok(y),
            (Err(why), Err(_)) => Err(why),
        }
    }

    /// The bound on date `a` for `a moved by op T` to hold (`text`), where
    /// `arith` moves it by `by` calendar months or working days: the latest
    /// date that does for `<` and `<=`, the earliest for `>` and `>=`, and
    /// the earliest that lands on `T` for `=`. Moving a date by months or
    /// working days never takes a later date to an earlier one, so the dates
    /// that hold lie on one side of the bound; it is found from `T` moved
    /// back by the same span, then day by day, each day moved as evaluation
    /// moves it (a month's end, a weekend, a bank holiday).
    pub(super) fn invert_moved(
        &self,
        text: &str,
        arith: Arith,
        by: &Value,
        op: Cmp,
        target: &Value,
    ) -> Result<(Cmp, chrono::NaiveDate), String> {
        let beyond = || format!("`{text}` would need a date beyond the calendar");
        let Value::Date(t) = *target else {
            return Err(format!(
                "`{text}` is compared with a value that is not a date"
            ));
        };
        let calendar = self.ruleset.calendar();
        // `d` moved by `n` of the span: months, else working days.
        let moved = |d: chrono::NaiveDate, n: i64| -> Option<chrono::NaiveDate> {
            match by {
                Value::Months(_) => crate::eval::add_months(d, n),
                Value::WorkingDays(_) => calendar?.add_working_days(d, n).ok(),
                _ => None,
            }
        };
        let n = match (arith, by) {
            (Arith::DateAddMonths, Value::Months(n))
            | (Arith::DateAddWorking, Value::WorkingDays(n)) => *n,
            (Arith::DateSubMonths, Value::Months(n))
            | (Arith::DateSubWorking, Value::WorkingDays(n)) => {
                n.checked_neg().ok_or_else(beyond)?
            }
            _ => return Err(format!("`{text}` moves a date by a span it cannot count")),
        };
        // Whether `d`, moved, holds; `None` where it cannot be moved.
        let holds = |d: chrono::NaiveDate, op: Cmp| -> Option<bool> {
            Some(op.holds(moved(d, n)?.cmp(&t)))
        };
        let start = moved(t, n.checked_neg().ok_or_else(beyond)?).ok_or_else(beyond)?;
        // Far enough for the longest run of days a month's end or the
        // holidays can fold together; a bound further off is not offered.
        const STEPS: u32 = 62;
        let day = |d: chrono::NaiveDate, forward: bool| {
            if forward {
                d.succ_opt()
            } else {
                d.pred_opt()
            }
        };
        // The last date, going `forward` from `d` (which holds under `op`),
        // that still holds.
        let edge = |mut d: chrono::NaiveDate, op: Cmp, forward: bool| {
            for _ in 0..STEPS {
                match day(d, forward) {
                    Some(next) if holds(next, op) == Some(true) => d = next,
                    _ => return Some(d),
                }
            }
            None
        };
        // The first date, going `forward` from `d`, that holds under `op`.
        let first = |mut d: chrono::NaiveDate, op: Cmp, forward: bool| {
            for _ in 0..STEPS {
                if holds(d, op)? {
                    return Some(d);
                }
                d = day(d, forward)?;
            }
            None
        };
        let found = match op {
            // The dates that hold run up to the bound.
            Cmp::Lt | Cmp::Le => match holds(start, op) {
                Some(true) => edge(start, op, true),
                _ => first(start, op, false),
            }
            .map(|d| (Cmp::Le, d)),
            // The dates that hold run on from the bound.
            Cmp::Gt | Cmp::Ge | Cmp::Eq => {
                let ge = if op == Cmp::Eq { Cmp::Ge } else { op };
                let bound = match holds(start, ge) {
                    Some(true) => edge(start, ge, false),
                    _ => first(start, ge, true),
                };
                match (op, bound) {
                    (Cmp::Eq, Some(d)) => match holds(d, Cmp::Eq) {
                        Some(true) => Some((Cmp::Eq, d)),
                        _ => {
                            return Err(format!(
                                "no date moved as `{text}` moves it falls on {}",
                                show(self.model, Type::Date, target)
                            ))
                        }
                    },
                    (_, bound) => bound.map(|d| (Cmp::Ge, d)),
                }
            }
            Cmp::Ne => {
                return Err(format!(
                    "`{text}` would need only to differ from {}: no one date",
                    show(self.model, Type::Date, target)
                ))
            }
        };
        found.ok_or_else(beyond)
    }

    /// `days from a to b op T` (`e`), which is b - a + 1 days: the end
    /// moves, or else the start.
    pub(super) fn invert_days_between(
        &self,
        e: ExprId,
        op: Cmp,
        target: &Value,
        known: &[(ExprId, Value)],
        via: Vec<String>,
    ) -> Changes {
        let text = self.text(e);
        let Some(&Node::DaysBetween(a, b)) = self.model.exprs.get(e) else {
            return Err(format!("`{text}` is not a count of days between two dates"));
        };
        let (Some(va), Some(vb), Value::Days(t)) =
            (self.value_here(a, known), self.value_here(b, known), target)
        else {
            return Err(format!(
                "the dates `{text}` counts between were not recorded, so it cannot be worked back"
            ));
        };
        let less = Value::Days(t.saturating_sub(1));
        let beyond = || format!("`{text}` would need a date beyond the calendar");
        let end = match add(&va, &less) {
            Some(v) => self.invert(b, op, &v, known, via.clone()),
            None => Err(beyond()),
        };
        match end {
            Ok(c) => Ok(c),
            Err(why) => match sub(&vb, &less) {
                Some(v) => self.invert(a, op.flipped(), &v, known, via),
                None => Err(why),
            },
        }
    }

    /// The value field `e` (called `name`, of type `ty`) has now, as shown:
    /// as probing recorded it, or as it showed it beside an element a
    /// quantifier asks of.
    pub(super) fn now_of(
        &self,
        e: ExprId,
        name: &str,
        ty: Type,
        known: &[(ExprId, Value)],
    ) -> Option<String> {
        known
            .iter()
            .find(|(k, _)| *k == e)
            .map(|(_, v)| show(self.model, ty, v))
            .or_else(|| self.shown_on_element(name))
    }

    /// The nearest value a field of type `ty` (written `text`) needs for
    /// `x op target`: of a scale, the next value better or worse where the
    /// comparison is strict (`> requires_improvement` needs good or
    /// better); of anything else, as [`need`] gives it.
    pub(super) fn need_of(
        &self,
        text: &str,
        ty: Type,
        op: Cmp,
        target: &Value,
    ) -> Result<Need, String> {
        if let (Type::Enum { id, .. }, Value::Enum(rank)) = (ty, target) {
            return self.scale_need(text, id, op, *rank);
        }
        need(op, target).ok_or_else(|| {
            format!(
                "no value of `{text}` is {} {}",
                relation(op),
                show(self.model, ty, target)
            )
        })
    }

    /// What `x op V` needs of a value of a scale or choice, V being the
    /// value of rank `rank`. Rank 0 is best, and compares greatest.
    pub(super) fn scale_need(
        &self,
        text: &str,
        scale: crate::types::EnumId,
        op: Cmp,
        rank: u16,
    ) -> Result<Need, String> {
        let names = self
            .model
            .enums
            .get(scale)
            .map(|e| e.values.as_slice())
            .unwrap_or_default();
        let name = |r: Option<u16>| {
            r.and_then(|r| names.get(usize::from(r)))
                .map(|n| Amount::Name(n.clone()))
        };
        let needs = match op {
            Cmp::Eq => name(Some(rank)).map(Need::Exactly),
            Cmp::Ne => name(Some(rank)).map(Need::Other),
            Cmp::Ge => name(Some(rank)).map(Need::AtLeast),
            Cmp::Le => name(Some(rank)).map(Need::AtMost),
            Cmp::Gt => name(rank.checked_sub(1)).map(Need::AtLeast),
            Cmp::Lt => name(rank.checked_add(1)).map(Need::AtMost),
        };
        needs.ok_or_else(|| match names.get(usize::from(rank)) {
            Some(v) if op == Cmp::Gt => format!("no value of `{text}` is better than {v}"),
            Some(v) => format!("no value of `{text}` is worse than {v}"),
            None => format!("`{text}` is compared with a value its scale does not have"),
        })
    }
}

/// How `x op y` reads, for a reason: `above`, `at least`.
pub(super) fn relation(op: Cmp) -> &'static str {
    match op {
        Cmp::Eq => "equal to",
        Cmp::Ne => "other than",
        Cmp::Lt => "below",
        Cmp::Le => "at most",
        Cmp::Gt => "above",
        Cmp::Ge => "at least",
    }
}

/// How `a op b` reads in words between its sides, of dates and times
/// (`after`) or of numbers and counts (`above`).
pub(super) fn ordering(op: Cmp, dates: bool) -> &'static str {
    match (op, dates) {
        (Cmp::Lt, true) => "before",
        (Cmp::Le, true) => "on or before",
        (Cmp::Gt, true) => "after",
        (Cmp::Ge, true) => "on or after",
        (Cmp::Eq, true) => "the same as",
        (_, _) => relation(op),
    }
}

/// `not (a op b)` is `a (negate op) b`.
pub(super) fn negate(op: Cmp) -> Cmp {
    match op {
        Cmp::Eq => Cmp::Ne,
        Cmp::Ne => Cmp::Eq,
        Cmp::Lt => Cmp::Ge,
        Cmp::Le => Cmp::Gt,
        Cmp::Gt => Cmp::Le,
        Cmp::Ge => Cmp::Lt,
    }
}

/// The nearest value `x` with `x op target`.
pub(super) fn need(op: Cmp, target: &Value) -> Option<Need> {
    let amount = amount_of(target)?;
    Some(match op {
        Cmp::Ge => Need::AtLeast(amount),
        Cmp::Le => Need::AtMost(amount),
        Cmp::Gt => Need::AtLeast(step(target, 1).and_then(|v| amount_of(&v))?),
        Cmp::Lt => Need::AtMost(step(target, -1).and_then(|v| amount_of(&v))?),
        Cmp::Eq => Need::Exactly(amount),
        Cmp::Ne => Need::Other(amount),
    })
}

pub(super) fn amount_of(v: &Value) -> Option<Amount> {
    Some(match v {
        Value::Number(n) => Amount::Number(*n),
        Value::Days(n) => Amount::Days(*n),
        Value::Months(n) => Amount::Months(*n),
        Value::WorkingDays(n) => Amount::WorkingDays(*n),
        Value::Date(d) => Amount::Date(*d),
        Value::DateTime(d) => Amount::DateTime(*d),
        Value::Time(t) => Amount::Time(*t),
        Value::Bool(b) => Amount::Bool(*b),
        Value::Text(t) => Amount::Name(t.to_string()),
        _ => return None,
    })
}

/// One unit (a day, a month, one; a second for a time, which evidence may
/// give to the second) above or below.
pub(super) fn step(v: &Value, by: i64) -> Option<Value> {
    Some(match v {
        Value::DateTime(d) => Value::DateTime(d.checked_add_signed(TimeDelta::try_seconds(by)?)?),
        Value::Time(t) => {
            let (moved, wrapped) = t.overflowing_add_signed(TimeDelta::try_seconds(by)?);
            if wrapped != 0 {
                return None;
            }
            Value::Time(moved)
        }
        Value::Number(n) => Value::Number(n.checked_add(by)?),
        Value::Days(n) => Value::Days(n.checked_add(by)?),
        Value::Months(n) => Value::Months(n.checked_add(by)?),
        Value::WorkingDays(n) => Value::WorkingDays(n.checked_add(by)?),
        Value::Date(d) => Value::Date(add_days(*d, by)?),
        _ => return None,
    })
}

/// `a + b` of a quantity, or of a date and days.
pub(super) fn add(a: &Value, b: &Value) -> Option<Value> {
    Some(match (a, b) {
        (Value::Number(x), Value::Number(y)) => Value::Number(x.checked_add(*y)?),
        (Value::Days(x), Value::Days(y)) => Value::Days(x.checked_add(*y)?),
        (Value::Months(x), Value::Months(y)) => Value::Months(x.checked_add(*y)?),
        (Value::Date(d), Value::Days(n)) | (Value::Days(n), Value::Date(d)) => {
            Value::Date(add_days(*d, *n)?)
        }
        _ => return None,
    })
}

/// `a - b` of a quantity, of a date and days, or of two dates (days).
pub(super) fn sub(a: &Value, b: &Value) -> Option<Value> {
    Some(match (a, b) {
        (Value::Number(x), Value::Number(y)) => Value::Number(x.checked_sub(*y)?),
        (Value::Days(x), Value::Days(y)) => Value::Days(x.checked_sub(*y)?),
        (Value::Months(x), Value::Months(y)) => Value::Months(x.checked_sub(*y)?),
        (Value::Date(d), Value::Days(n)) => Value::Date(add_days(*d, n.checked_neg()?)?),
        (Value::Date(x), Value::Date(y)) => Value::Days((*x - *y).num_days()),
        _ => return None,
    })
}

/// How far a change is from what a rule weighs, least first: a bound on a
/// date, a number or a span; a yes/no, or a value set or left out; a value
/// of a choice or a scale.
pub(super) fn lever(need: &Need) -> u8 {
    match need {
        Need::AtLeast(_) | Need::AtMost(_) => 0,
        Need::Exactly(Amount::Name(_)) | Need::Other(_) => 2,
        Need::Exactly(_) | Need::Set | Need::NotSet | Need::NotBlank => 1,
    }
}
