//! Where working back finds no single change (a value computed from
//! several, such as the longest run of a list's spells), a search: each
//! field the rule reads is given, one at a time, values the record
//! suggests (days either side of its date, the record's other dates and
//! the days beside them, the other values of a choice, the other of yes
//! and no, one more or less), as is each of the first elements of a list
//! of such values, and an element added at its end (`list[2]` of a list of
//! two); and the record is evaluated again with each
//! until one makes the rule do what was asked. What is found is one value
//! that works, the nearest of those tried, checked; not a bound, and not
//! always the nearest value that would work. Where it finds none, working
//! back's reason is kept and says how many changes were tried.

use super::verify::{check, shown, Goal};
use super::{Amount, Change, Checked, Need};
use crate::evidence::parse_date;
use crate::model::{FieldDef, Model, RuleDef};
use crate::types::{Elem, Type};
use crate::{EvalOptions, Ruleset};
use chrono::{Days, NaiveDate};
use serde_json::Value as Json;
use std::cell::Cell;

/// The most records one question's searches evaluate, over all the rules
/// and elements it asks about: each evaluation reads the whole record.
pub(super) const MOST_SEARCHED: usize = 2_000;

/// The records one question's searches may evaluate, for `evidence`:
/// [`MOST_SEARCHED`] for a record of up to 2,000 values, and for a larger
/// one fewer by the square of how much larger (an evaluation reads it
/// whole, and a rule comparing a list's elements with each other reads it
/// once for each element), but at least 20.
pub(super) fn budget(evidence: &Json) -> usize {
    let mut values = 0usize;
    let mut stack = vec![evidence];
    while let Some(j) = stack.pop() {
        values += 1;
        match j {
            Json::Array(items) => stack.extend(items),
            Json::Object(map) => stack.extend(map.values()),
            _ => {}
        }
    }
    if values <= 2_000 {
        MOST_SEARCHED
    } else {
        (MOST_SEARCHED * 2_000 / values * 2_000 / values).max(20)
    }
}

/// The most of the record's dates tried for one field, nearest first.
const MOST_DATES: usize = 100;

/// The elements of an evidence list whose fields are searched.
const MOST_ELEMENTS: usize = 20;

/// Days either side of a date that are tried, nearest first: each day of a
/// week, each week to 17, and the months, quarters, half years and years
/// around them, so that a spell can be moved onto, or just past, another.
const DAY_STEPS: [u64; 33] = [
    1, 2, 3, 4, 5, 6, 7, 14, 21, 28, 30, 31, 35, 42, 49, 56, 60, 61, 63, 70, 77, 84, 90, 91, 92,
    98, 105, 112, 119, 182, 183, 365, 366,
];

/// One field a search may change: its name as a change says it (`list[i].field`
/// for a field of an element), its type, its value now, and its value
/// as shown where the record leaves it out (none, unknown or its default).
struct Slot<'e> {
    name: String,
    ty: Type,
    now: Option<&'e Json>,
    left_out: String,
}

/// What a field holds where a record leaves it out, as a change shows it.
fn left_out(model: &Model, field: &FieldDef) -> String {
    crate::show::show(model, field.ty, &field.absence.value_left_out())
}

/// A change of one field that makes the rule do what `goal` asks, found by
/// trying values one field at a time; `None` where none of those tried
/// does, or the budget (`left`, counted down by each record evaluated) is
/// spent. `tried` counts the records evaluated.
pub(super) fn one_change(
    ruleset: &Ruleset,
    evidence: &Json,
    options: EvalOptions,
    goal: &Goal<'_>,
    left: &Cell<usize>,
    tried: &mut usize,
) -> Option<Change> {
    // A budget spent (by earlier elements of a long list, say) ends the
    // search before the record is read for its dates.
    if left.get() == 0 {
        return None;
    }
    let model = ruleset.model();
    let def = model
        .rules
        .iter()
        .find(|r| r.id == goal.rule && !r.is_check)?;
    let dates = dates_in(evidence);
    // Every value of every field, with how far it is from the value now:
    // tried nearest first over all the fields, so that a day's move of one
    // date comes before a year's move of another.
    let mut tries: Vec<(u64, usize, Change)> = Vec::new();
    for (n, slot) in slots(model, def, evidence).iter().enumerate() {
        for (distance, needs) in values(model, slot, &dates) {
            tries.push((
                distance,
                n,
                Change {
                    field: slot.name.clone(),
                    now: slot
                        .now
                        .filter(|j| !j.is_null())
                        .map_or_else(|| slot.left_out.clone(), shown),
                    needs,
                    via: Vec::new(),
                },
            ));
        }
    }
    tries.sort_by_key(|(distance, n, _)| (*distance, *n));
    for (_, _, change) in tries {
        left.set(left.get().checked_sub(1)?);
        *tried += 1;
        let changes = [change];
        if check(ruleset, evidence, options, &changes, goal) == Checked::Holds {
            let [change] = changes;
            return Some(change);
        }
    }
    None
}

/// The fields the rule's condition reads that a search can give a value:
/// yes/no, number, count of days, date and choice fields of the record,
/// those of the first elements of the lists of records it reads, and the
/// first elements of its lists of such values, with one element more.
fn slots<'e>(model: &Model, def: &RuleDef, evidence: &'e Json) -> Vec<Slot<'e>> {
    let at = |json: &'e Json, path: &[String]| path.iter().try_fold(json, |j, k| j.get(k));
    let mut out = Vec::new();
    let mut reads = def.reads.clone();
    reads.sort();
    reads.dedup();
    for f in reads {
        let Some(field) = model.fields.get(f) else {
            continue;
        };
        match field.ty {
            Type::List(Elem::Record(record)) => {
                let Some(record) = model.records.get(record) else {
                    continue;
                };
                let elements = at(evidence, &field.path)
                    .and_then(Json::as_array)
                    .map_or(&[][..], Vec::as_slice);
                for (i, element) in elements.iter().take(MOST_ELEMENTS).enumerate() {
                    for inner in record.fields.iter().filter(|d| searched(d.ty)) {
                        out.push(Slot {
                            name: format!("{}[{i}].{}", field.name, inner.name),
                            ty: inner.ty,
                            now: at(element, &inner.path),
                            left_out: left_out(model, inner),
                        });
                    }
                }
            }
            // A list of plain values: each of its first elements, and
            // one more at its end (`list[0]` of a list that has none).
            Type::List(elem) if searched(elem.ty()) => {
                let elements = at(evidence, &field.path)
                    .and_then(Json::as_array)
                    .map_or(&[][..], Vec::as_slice);
                for (i, element) in elements.iter().take(MOST_ELEMENTS).enumerate() {
                    out.push(Slot {
                        name: format!("{}[{i}]", field.name),
                        ty: elem.ty(),
                        now: Some(element),
                        left_out: "none".into(),
                    });
                }
                // An element added: there is none now.
                out.push(Slot {
                    name: format!("{}[{}]", field.name, elements.len()),
                    ty: elem.ty(),
                    now: None,
                    left_out: "none".into(),
                });
            }
            ty if searched(ty) => out.push(Slot {
                name: field.name.clone(),
                ty,
                now: at(evidence, &field.path),
                left_out: left_out(model, field),
            }),
            _ => {}
        }
    }
    out
}

/// Whether a search gives values to a field of this type.
fn searched(ty: Type) -> bool {
    matches!(
        ty,
        Type::Bool | Type::Number | Type::Days | Type::Date | Type::Enum { .. }
    )
}

/// The values a search tries for `slot`, each with how far it is from the
/// value now (a day for a day; one step for another value of a choice,
/// yes/no or number).
fn values(model: &Model, slot: &Slot<'_>, dates: &[NaiveDate]) -> Vec<(u64, Need)> {
    let now = slot.now.filter(|j| !j.is_null());
    match slot.ty {
        Type::Bool => {
            let now = now.and_then(Json::as_bool);
            [true, false]
                .into_iter()
                .filter(|b| Some(*b) != now)
                .map(|b| (1, Need::Exactly(Amount::Bool(b))))
                .collect()
        }
        Type::Enum { id, .. } => {
            let now = now.and_then(Json::as_str);
            model
                .enums
                .get(id)
                .map(|e| e.values.as_slice())
                .unwrap_or_default()
                .iter()
                .filter(|v| Some(v.as_str()) != now)
                .map(|v| (1, Need::Exactly(Amount::Name(v.clone()))))
                .collect()
        }
        Type::Number | Type::Days => {
            let amount = |n: i64| match slot.ty {
                Type::Days => Amount::Days(n),
                _ => Amount::Number(n),
            };
            match now.and_then(Json::as_i64) {
                Some(n) => [n.checked_sub(1), n.checked_add(1)]
                    .into_iter()
                    .flatten()
                    .filter(|n| *n >= 0)
                    .map(|n| (1, Need::Exactly(amount(n))))
                    .collect(),
                None => vec![(1, Need::Exactly(amount(0))), (1, Need::Exactly(amount(1)))],
            }
        }
        Type::Date => {
            let now = now.and_then(Json::as_str).and_then(parse_date);
            let mut found: Vec<NaiveDate> = Vec::new();
            if let Some(d) = now {
                for step in DAY_STEPS {
                    found.extend(d.checked_sub_days(Days::new(step)));
                    found.extend(d.checked_add_days(Days::new(step)));
                }
            }
            for d in dates {
                found.push(*d);
                found.extend(d.pred_opt());
                found.extend(d.succ_opt());
            }
            found.sort();
            found.dedup();
            found.retain(|d| Some(*d) != now);
            // Without a date now, the record's own dates are as near as
            // any: tried in their order after a step's worth of distance.
            let distance = |d: &NaiveDate| now.map_or(1, |n| (*d - n).num_days().unsigned_abs());
            let mut tries: Vec<(u64, Need)> = found
                .into_iter()
                .map(|d| (distance(&d), Need::Exactly(Amount::Date(d))))
                .collect();
            tries.sort_by_key(|(distance, _)| *distance);
            tries.truncate(MOST_DATES);
            tries
        }
        _ => Vec::new(),
    }
}

/// Every date written in the record (`YYYY-MM-DD`, or the day of a date
/// and time), once each, in order.
fn dates_in(evidence: &Json) -> Vec<NaiveDate> {
    let mut out = Vec::new();
    let mut stack = vec![evidence];
    while let Some(j) = stack.pop() {
        match j {
            Json::String(s) => {
                if let Some(d) = s.get(..10).and_then(parse_date) {
                    out.push(d);
                }
            }
            Json::Array(items) => stack.extend(items),
            Json::Object(map) => stack.extend(map.values()),
            _ => {}
        }
    }
    out.sort();
    out.dedup();
    out
}
