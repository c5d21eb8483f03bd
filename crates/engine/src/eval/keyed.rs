//! A long evidence list read through an index of one field of its elements,
//! for the quantifiers that `Model::keyed` names: `no listed in
//! minor_errors satisfies listed.id = requirement.minor_error`, inside a
//! `for each requirement`, reads every minor error for every requirement,
//! the product of the two lengths; through the index it reads only the
//! minor errors whose id is the requirement's (and those whose id is
//! unknown), so a record of thousands of each is read in linear time.
//!
//! Only the elements that [`Run::keyed_elements`] gives can make the
//! condition anything but false: its first part is an equality of their
//! field with a value that stays the same for every element, and an
//! element whose field holds another value of the same kind, or none, makes
//! that part false, which ends the `and` before anything else is read. An
//! element whose field is unknown (or not a plain value) makes the part
//! unknown, so it is read too. The elements left are read in the list's
//! order, as the whole list would be, so the first that decides the
//! quantifier is the same, and so is any error met before it. A list is
//! indexed the second time a record asks (once, the index costs more than
//! it saves), only when it is long, and never with a trace or probe, which
//! record what each element read.

use super::Run;
use crate::model::{ExprId, FieldId};
use crate::value::{Element, Value};
use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use std::collections::HashMap;
use std::mem::Discriminant;
use std::sync::Arc;

/// Lists shorter than this are read whole: hashing each element costs
/// more than comparing it.
pub(super) const INDEXED_FROM: usize = 16;

/// A plain value, as an index's key: equal keys are values that `=`
/// finds equal (of the same kind), and no others.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Key {
    Bool(bool),
    Number(i64),
    Days(i64),
    Months(i64),
    WorkingDays(i64),
    Date(NaiveDate),
    DateTime(NaiveDateTime),
    Time(NaiveTime),
    Enum(u16),
    Text(Arc<str>),
}

impl Key {
    /// The key of a plain value; `None` for none, unknown and a list.
    fn of(v: &Value) -> Option<Key> {
        Some(match v {
            Value::Bool(b) => Key::Bool(*b),
            Value::Number(n) => Key::Number(*n),
            Value::Days(n) => Key::Days(*n),
            Value::Months(n) => Key::Months(*n),
            Value::WorkingDays(n) => Key::WorkingDays(*n),
            Value::Date(d) => Key::Date(*d),
            Value::DateTime(d) => Key::DateTime(*d),
            Value::Time(t) => Key::Time(*t),
            Value::Enum(e) => Key::Enum(*e),
            Value::Text(t) => Key::Text(Arc::clone(t)),
            Value::List(_) | Value::None | Value::Unknown => return None,
        })
    }
}

/// One list's index by one field of its elements.
#[derive(Debug)]
struct Index {
    /// The kind of every key (the field's values are of one kind).
    kind: Discriminant<Key>,
    /// Each value the field holds, with the elements that hold it, in
    /// order.
    by_key: HashMap<Key, Vec<u32>>,
    /// The elements whose field is unknown or not a plain value, in order:
    /// an equality with them is unknown, never false.
    odd: Vec<u32>,
}

impl Index {
    /// `None` where the field holds values of more than one kind, which
    /// checking rules out, or the list is too long to number.
    fn of(items: &[Element], field: usize) -> Option<Index> {
        let mut kind = None;
        let mut by_key: HashMap<Key, Vec<u32>> = HashMap::new();
        let mut odd = Vec::new();
        for (i, element) in items.iter().enumerate() {
            let i = u32::try_from(i).ok()?;
            let value = element.fields().get(field).unwrap_or(&Value::None);
            match Key::of(value) {
                Some(key) => {
                    let k = std::mem::discriminant(&key);
                    if *kind.get_or_insert(k) != k {
                        return None;
                    }
                    by_key.entry(key).or_default().push(i);
                }
                // Equal to nothing: the part is false.
                None if *value == Value::None => {}
                None => odd.push(i),
            }
        }
        Some(Index {
            kind: kind?,
            by_key,
            odd,
        })
    }
}

/// What a record has asked of one list's field.
#[derive(Debug)]
enum Asked {
    /// Once: read whole.
    Once,
    Indexed(Index),
    /// Its values are of more than one kind: always read whole.
    Unusable,
}

/// The indexes of one record's lists, made as they are asked for.
#[derive(Debug, Default)]
pub(super) struct Indexes {
    lists: Vec<(FieldId, usize, Asked)>,
}

impl Run<'_, '_> {
    /// The elements of `items` (the list of the quantifier at `e`) that
    /// can make its condition anything but false, in order; `None` where
    /// the whole list is to be read.
    pub(super) fn keyed_elements(&mut self, e: ExprId, items: &[Element]) -> Option<Vec<u32>> {
        if items.len() < INDEXED_FROM || self.trace.is_some() || self.probes.is_some() {
            return None;
        }
        let keyed = self.model.keyed.binary_search_by_key(&e, |(x, _)| *x).ok();
        let keyed = self.model.keyed.get(keyed?)?.1;
        let key = match self.place(keyed.key)? {
            // Equal to nothing: every element's part is false.
            Value::None => return Some(Vec::new()),
            v => Key::of(v)?,
        };
        let at = self
            .indexes
            .lists
            .iter()
            .position(|(l, f, _)| *l == keyed.list && *f == keyed.field);
        let Some(at) = at else {
            self.indexes
                .lists
                .push((keyed.list, keyed.field, Asked::Once));
            return None;
        };
        let asked = &mut self.indexes.lists.get_mut(at)?.2;
        if let Asked::Once = asked {
            *asked = match Index::of(items, keyed.field) {
                Some(index) => Asked::Indexed(index),
                None => Asked::Unusable,
            };
        }
        let Asked::Indexed(index) = asked else {
            return None;
        };
        if std::mem::discriminant(&key) != index.kind {
            return None;
        }
        let equal = index.by_key.get(&key).map_or(&[][..], Vec::as_slice);
        Some(merged(equal, &index.odd))
    }
}

/// Two ascending lists of element numbers as one.
fn merged(a: &[u32], b: &[u32]) -> Vec<u32> {
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while let (Some(&x), Some(&y)) = (a.get(i), b.get(j)) {
        if x <= y {
            out.push(x);
            i += 1;
        } else {
            out.push(y);
            j += 1;
        }
    }
    out.extend(a.get(i..).unwrap_or_default());
    out.extend(b.get(j..).unwrap_or_default());
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]
    use super::merged;

    #[test]
    fn merged_keeps_the_order_of_both() {
        assert_eq!(merged(&[1, 4, 9], &[0, 5, 10, 11]), [0, 1, 4, 5, 9, 10, 11]);
        assert_eq!(merged(&[], &[2]), [2]);
        assert_eq!(merged(&[3], &[]), [3]);
        assert!(merged(&[], &[]).is_empty());
    }
}
