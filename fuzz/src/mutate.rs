//! A real evidence record changed in a few places, as the fuzzer chooses:
//! a value taken away, repeated, swapped for another of the record's, a
//! date moved. Shared by the targets that start from the test corpus
//! (`evaluate_record`, `why_not`).

use chrono::{Days, NaiveDate};
use libfuzzer_sys::arbitrary::{Result, Unstructured};
use serde_json::{json, Value as Json};

/// Change `record` in one to four places, as the fuzzer chooses.
pub fn changed(u: &mut Unstructured<'_>, record: &mut Json) {
    let changes = u.int_in_range(1..=4).unwrap_or(1);
    for _ in 0..changes {
        if change(u, record).is_err() {
            break;
        }
    }
}

/// One step of the way from the root of a record to a value in it.
#[derive(Clone)]
enum Step {
    Key(String),
    Index(usize),
}

/// The way to every value in `value` below the root.
fn paths(value: &Json, out: &mut Vec<Vec<Step>>, at: &mut Vec<Step>) {
    match value {
        Json::Object(map) => {
            for (key, child) in map {
                at.push(Step::Key(key.clone()));
                out.push(at.clone());
                paths(child, out, at);
                at.pop();
            }
        }
        Json::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                at.push(Step::Index(i));
                out.push(at.clone());
                paths(child, out, at);
                at.pop();
            }
        }
        _ => {}
    }
}

/// The value at `path`.
fn at_mut<'a>(root: &'a mut Json, path: &[Step]) -> Option<&'a mut Json> {
    path.iter().try_fold(root, |node, step| match step {
        Step::Key(k) => node.get_mut(k.as_str()),
        Step::Index(i) => node.get_mut(*i),
    })
}

/// Change the record in one place, chosen by the fuzzer.
fn change(u: &mut Unstructured<'_>, record: &mut Json) -> Result<()> {
    let mut all = Vec::new();
    paths(record, &mut all, &mut Vec::new());
    if all.is_empty() {
        return Ok(());
    }
    let path = u.choose(&all)?;
    let Some((last, parent_path)) = path.split_last() else {
        return Ok(());
    };
    // A value from elsewhere in the record: a name of a scale or a choice
    // that this field may well accept, or a record of the right shape.
    let elsewhere = at_mut(record, u.choose(&all)?).map_or(Json::Null, |v| v.clone());
    let Some(parent) = at_mut(record, parent_path) else {
        return Ok(());
    };
    match (u.int_in_range(0..=11)?, last) {
        // Take it away.
        (0, Step::Key(k)) => {
            if let Some(map) = parent.as_object_mut() {
                map.shift_remove(k.as_str());
            }
        }
        (0, Step::Index(i)) => {
            if let Some(items) = parent.as_array_mut() {
                if *i < items.len() {
                    items.remove(*i);
                }
            }
        }
        // Repeat an element of a list, or add a key the ruleset may not
        // declare beside this one. Now and then it is repeated until the
        // list is long enough to be read through an index (16 elements:
        // `some` and `no` look an element up there, without a trace, and
        // read the whole list with one), each copy with an id of its own
        // and its dates moved, so that the copies are not all one element.
        (1, Step::Index(i)) => {
            if let Some(items) = parent.as_array_mut() {
                if let Some(item) = items.get(*i).cloned() {
                    let copies = if u.ratio(1, 4)? {
                        u.int_in_range(16..=40)?
                    } else {
                        1
                    };
                    for n in 0..copies {
                        let mut copy = item.clone();
                        if copies > 1 {
                            vary(u, &mut copy, n)?;
                        }
                        items.push(copy);
                    }
                }
            }
        }
        (1, Step::Key(_)) => {
            if let Some(map) = parent.as_object_mut() {
                let key: String = u.arbitrary()?;
                map.insert(key, elsewhere);
            }
        }
        (kind, step) => {
            let value = new_value(u, kind, parent_value(parent, step), elsewhere)?;
            if let Some(slot) = match step {
                Step::Key(k) => parent.get_mut(k.as_str()),
                Step::Index(i) => parent.get_mut(*i),
            } {
                *slot = value;
            }
        }
    }
    Ok(())
}

/// Copy `n` of a repeated element: its id made its own, and each date in
/// it moved by up to sixty days either way.
fn vary(u: &mut Unstructured<'_>, copy: &mut Json, n: u16) -> Result<()> {
    let Some(fields) = copy.as_object_mut() else {
        return Ok(());
    };
    for (key, value) in fields.iter_mut() {
        if key == "id" {
            if let Some(id) = value.as_str() {
                *value = Json::String(format!("{id}~{n}"));
            }
        } else if let Some(date) = value.as_str().and_then(|s| s.parse::<NaiveDate>().ok()) {
            let by: i8 = u.int_in_range(-60..=60)?;
            let moved = if by >= 0 {
                date.checked_add_days(Days::new(u64::from(by.unsigned_abs())))
            } else {
                date.checked_sub_days(Days::new(u64::from(by.unsigned_abs())))
            };
            if let Some(moved) = moved {
                *value = Json::String(moved.to_string());
            }
        }
    }
    Ok(())
}

fn parent_value(parent: &Json, step: &Step) -> Json {
    match step {
        Step::Key(k) => parent.get(k.as_str()),
        Step::Index(i) => parent.get(*i),
    }
    .cloned()
    .unwrap_or(Json::Null)
}

/// A value to put in place of `old`.
fn new_value(u: &mut Unstructured<'_>, kind: u8, old: Json, elsewhere: Json) -> Result<Json> {
    Ok(match kind {
        2 => Json::Null,
        3 => Json::Bool(u.arbitrary()?),
        4 => json!(u.int_in_range(-3..=400)?),
        5 => json!(u.arbitrary::<i64>()?),
        6 => serde_json::Number::from_f64(u.arbitrary()?).map_or(Json::Null, Json::Number),
        7 => Json::String(u.arbitrary()?),
        8 => elsewhere,
        9 => match old {
            Json::Array(_) => json!([]),
            Json::Object(_) => json!({}),
            other => other,
        },
        // Move a date (or a date-time's date) some days, or build a date
        // from its parts (not always a real one).
        10 => {
            let text = old.as_str().unwrap_or("2015-11-09");
            // A string changed earlier may hold any characters: split at a
            // character boundary at or before byte 10.
            let cut = (0..=text.len().min(10))
                .rev()
                .find(|&i| text.is_char_boundary(i))
                .unwrap_or(0);
            let (date, rest) = text.split_at(cut);
            let moved = NaiveDate::parse_from_str(date, "%Y-%m-%d")
                .ok()
                .and_then(|d| {
                    let days: i32 = if u.arbitrary().ok()? {
                        i32::from(u.arbitrary::<i16>().ok()?)
                    } else {
                        u.int_in_range(-4_000_000..=4_000_000).ok()?
                    };
                    let step = Days::new(u64::from(days.unsigned_abs()));
                    if days < 0 {
                        d.checked_sub_days(step)
                    } else {
                        d.checked_add_days(step)
                    }
                });
            match moved {
                Some(d) => Json::String(format!("{}{rest}", d.format("%Y-%m-%d"))),
                None => Json::String(text.to_string()),
            }
        }
        _ => {
            let year = u.int_in_range(0..=9999)?;
            let month = u.int_in_range(0..=13)?;
            let day = u.int_in_range(0..=32)?;
            let time = if u.arbitrary()? {
                format!(
                    "T{:02}:{:02}",
                    u.int_in_range(0..=24)?,
                    u.int_in_range(0..=60)?
                )
            } else {
                String::new()
            };
            Json::String(format!("{year:04}-{month:02}-{day:02}{time}"))
        }
    })
}
