//! A long evidence list read through an index of one field of its elements,
//! for the quantifiers that `Model::keyed` names: `no listed in
//! minor_errors satisfies listed.id = requirement.minor_error`, inside a
//! `for each requirement`, reads every minor error for every requirement,
//! the product of the two lengths; through the index it reads only the
//! minor errors whose id is the requirement's (and those whose id is
//! unknown), so a record of thousands of each is read in linear time. The
//! same goes for a field within bounds: `no visit in reg44_visits satisfies
//! visit.date >= month and visit.date <= end of month month`, for each of
//! sixty months, reads only the visits of that month, found by halving an
//! index of the visits in the order of their dates.
//!
//! Only the elements that [`Run::keyed_elements`] gives can make the
//! condition anything but false: its first part is an equality of their
//! field with a value that stays the same for every element, or a bound on
//! that field (and its second part, when it is one, the bound on the other
//! side), and an element whose field holds another value of the same kind,
//! or none, makes that part false, which ends the `and` before anything
//! else is read. An element whose field is unknown (or not a plain value)
//! makes the part unknown, so it is read too. The elements left are read
//! in the list's order, as the whole list would be, so the first that
//! decides the quantifier is the same, and so is any error met before it.
//! A bound is worked out once for the list, before any element is read:
//! it does not read the element, so it is the same for each; where working
//! it out fails, or it is unknown, the list is read whole, and fails (or
//! not) as it always did. A list is indexed the second time a record asks
//! (once, the index costs more than it saves), only when it is long, and
//! never on the long way (`ProbeScope::Every`: rule coverage, and the
//! reference the index is held to), which reads every list whole.
//! A trace takes the index: it records what a rule read, and a
//! quantifier's result, never its elements' reads, so the trace is the
//! same, and a trace of a list looked up for each element of another is
//! made in linear time, as the outcome is. So does a probe of one rule or
//! judgement (`why not`): the elements it shows inside a condition are
//! read one by one (`Run::within`), not through the quantifier's result.
//!
//! A quantifier whose condition starts with any other part that reads only
//! the element and what stays the same through a record (`some other in
//! absences satisfies days from other.start to other.end > 90 and ...`,
//! asked for each absence of the same list) keeps, the second time the
//! record asks, the elements for which that part is not false
//! ([`KeyTest::Holds`]): each later ask reads only those.

use super::Run;
use crate::model::{ExprId, FieldId, KeyTest, Limit};
use crate::value::{Element, Value};
use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use std::collections::HashMap;
use std::mem::Discriminant;
use std::sync::Arc;

/// Lists shorter than this are read whole: hashing each element costs
/// more than comparing it.
pub(super) const INDEXED_FROM: usize = 16;

/// A plain value, as an index's key: equal keys are values that `=`
/// finds equal (of the same kind), and no others; keys of one kind are
/// ordered as `<` orders their values (a scale's values aside, whose order
/// is the other way round: `compile` indexes no bound on them).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
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

/// One list's index by one field of its elements: by value, for an
/// equality, or in order, for bounds.
#[derive(Debug)]
struct Index {
    /// The kind of every key (the field's values are of one kind).
    kind: Discriminant<Key>,
    /// The elements that hold a plain value, by that value.
    lookup: Lookup,
    /// The elements whose field is unknown or not a plain value, in order:
    /// a comparison with them is unknown, never false.
    odd: Vec<u32>,
}

/// How an index finds the elements that hold a plain value.
#[derive(Debug)]
enum Lookup {
    /// For an equality: each value the field holds, with the elements that
    /// hold it, in order.
    ByValue(HashMap<Key, Vec<u32>>),
    /// For bounds: each element that holds a value, by its value, then its
    /// place in the list.
    InOrder(Vec<(Key, u32)>),
}

impl Index {
    /// `None` where the field holds values of more than one kind, which
    /// checking rules out, or the list is too long to number.
    fn of(items: &[Element], field: usize, ordered: bool) -> Option<Index> {
        let mut kind = None;
        let mut lookup = if ordered {
            Lookup::InOrder(Vec::new())
        } else {
            Lookup::ByValue(HashMap::new())
        };
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
                    match &mut lookup {
                        Lookup::InOrder(sorted) => sorted.push((key, i)),
                        Lookup::ByValue(by_key) => by_key.entry(key).or_default().push(i),
                    }
                }
                // Equal to nothing, and neither before nor after anything:
                // the part is false.
                None if *value == Value::None => {}
                None => odd.push(i),
            }
        }
        if let Lookup::InOrder(sorted) = &mut lookup {
            sorted.sort_unstable();
        }
        Some(Index {
            kind: kind?,
            lookup,
            odd,
        })
    }

    /// The elements whose value is after `low` and before `high` (or equal
    /// to a bound that takes it), in the list's order, with the odd ones;
    /// `None` from an index by value.
    fn within(&self, low: Option<(&Key, bool)>, high: Option<(&Key, bool)>) -> Option<Vec<u32>> {
        let Lookup::InOrder(sorted) = &self.lookup else {
            return None;
        };
        let start = low.map_or(0, |(k, inclusive)| {
            sorted.partition_point(|(x, _)| if inclusive { x < k } else { x <= k })
        });
        let end = high.map_or(sorted.len(), |(k, inclusive)| {
            sorted.partition_point(|(x, _)| if inclusive { x <= k } else { x < k })
        });
        let mut picked: Vec<u32> = sorted
            .get(start..end)
            .unwrap_or_default()
            .iter()
            .map(|&(_, i)| i)
            .collect();
        picked.sort_unstable();
        Some(merged(&picked, &self.odd))
    }

    /// The elements whose value is `key`, in the list's order, with the
    /// odd ones; `None` from an index in order.
    fn equal(&self, key: &Key) -> Option<Vec<u32>> {
        let Lookup::ByValue(by_key) = &self.lookup else {
            return None;
        };
        let equal = by_key.get(key).map_or(&[][..], Vec::as_slice);
        Some(merged(equal, &self.odd))
    }
}

/// What the leading part asks of one record's list: its key, or its
/// bounds with whether each takes a value equal to it.
enum Wanted {
    Equal(Key),
    Range {
        low: Option<(Key, bool)>,
        high: Option<(Key, bool)>,
    },
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

/// The indexes of one record's lists, made as they are asked for: by the
/// list, the field, and whether the index is in order (for bounds).
#[derive(Debug, Default)]
pub(super) struct Indexes {
    lists: Vec<(FieldId, usize, bool, Asked)>,
    /// For each quantifier keyed by [`KeyTest::Holds`] that a record has
    /// asked: once, nothing; twice, the elements whose first part is not
    /// false (true, unknown, or failing, which the walk then reports).
    passing: Vec<(ExprId, Option<Vec<u32>>)>,
}

impl Run<'_, '_> {
    /// The elements of `items` (the list of the quantifier at `e`) that
    /// can make its condition anything but false, in order; `None` where
    /// the whole list is to be read.
    pub(super) fn keyed_elements(&mut self, e: ExprId, items: &Arc<[Element]>) -> Option<Vec<u32>> {
        if items.len() < INDEXED_FROM || self.reads_lists_whole() {
            return None;
        }
        let keyed = self.model.keyed.binary_search_by_key(&e, |(x, _)| *x).ok();
        let keyed = self.model.keyed.get(keyed?)?.1;
        let wanted = match keyed.test {
            KeyTest::Holds(part) => return self.passing(e, part, items),
            KeyTest::Equal(key) => match self.place(key)? {
                // Equal to nothing: every element's part is false.
                Value::None => return Some(Vec::new()),
                v => Wanted::Equal(Key::of(v)?),
            },
            KeyTest::Range {
                low,
                high,
                low_first,
            } => {
                // Worked out in the order the condition reads them.
                let (first, second) = if low_first { (low, high) } else { (high, low) };
                let mut sides = [None, None];
                for (side, bound) in sides.iter_mut().zip([first, second]) {
                    let Some(bound) = bound else { continue };
                    match self.limit(bound) {
                        // Before or after nothing: every element's part is
                        // false, and the part after it is never read.
                        Bounded::Nothing => return Some(Vec::new()),
                        Bounded::Unusable => return None,
                        Bounded::By(key, inclusive) => *side = Some((key, inclusive)),
                    }
                }
                let [first, second] = sides;
                let (low, high) = if low_first {
                    (first, second)
                } else {
                    (second, first)
                };
                Wanted::Range { low, high }
            }
        };
        let ordered = matches!(wanted, Wanted::Range { .. });
        let at = self
            .indexes
            .lists
            .iter()
            .position(|(l, f, o, _)| (*l, *f, *o) == (keyed.list, keyed.field, ordered));
        let Some(at) = at else {
            let once = (keyed.list, keyed.field, ordered, Asked::Once);
            self.indexes.lists.push(once);
            return None;
        };
        let asked = &mut self.indexes.lists.get_mut(at)?.3;
        if let Asked::Once = asked {
            *asked = match Index::of(items, keyed.field, ordered) {
                Some(index) => Asked::Indexed(index),
                None => Asked::Unusable,
            };
        }
        let Asked::Indexed(index) = asked else {
            return None;
        };
        // A key of another kind makes every element's part unknown: read
        // them all.
        let of_kind = |k: &Key| std::mem::discriminant(k) == index.kind;
        match &wanted {
            Wanted::Equal(key) => {
                if !of_kind(key) {
                    return None;
                }
                index.equal(key)
            }
            Wanted::Range { low, high } => {
                if low.iter().chain(high).any(|(k, _)| !of_kind(k)) {
                    return None;
                }
                index.within(side(low), side(high))
            }
        }
    }

    /// The elements of `items` whose part at `part` (the first of the
    /// condition of the quantifier at `e`, which reads only the element
    /// and what stays the same through the record) is not false, in
    /// order: worked out the second time the record asks, and kept. An
    /// element whose part fails is kept, so that the walk meets the error
    /// where it always did, if it reaches that element.
    fn passing(&mut self, e: ExprId, part: ExprId, items: &Arc<[Element]>) -> Option<Vec<u32>> {
        let at = self.indexes.passing.iter().position(|(x, _)| *x == e);
        let Some(at) = at else {
            self.indexes.passing.push((e, None));
            return None;
        };
        if let Some((_, Some(kept))) = self.indexes.passing.get(at) {
            return Some(kept.clone());
        }
        let &crate::model::Node::Quantified { slot, .. } = self.node(e).ok()? else {
            return None;
        };
        // Numbered as an index numbers its elements: none past `u32`.
        u32::try_from(items.len()).ok()?;
        let mut kept = Vec::new();
        self.each_element(items, slot, |run, i| {
            if !matches!(run.truth(part), Ok(crate::value::Tri::False)) {
                kept.push(u32::try_from(i).unwrap_or_default());
            }
            Ok(true)
        })
        .ok()?;
        if let Some(entry) = self.indexes.passing.get_mut(at) {
            entry.1 = Some(kept.clone());
        }
        Some(kept)
    }

    /// A bound worked out for the whole list.
    fn limit(&mut self, b: Limit) -> Bounded {
        match self.value(b.expr) {
            // Before or after nothing: every element's part is false.
            Ok(Value::None) => Bounded::Nothing,
            Ok(v) => match Key::of(&v) {
                Some(key) => Bounded::By(key, b.inclusive),
                None => Bounded::Unusable,
            },
            // Read the list whole, which fails where it always did.
            Err(_) => Bounded::Unusable,
        }
    }
}

/// A side of the bounds, borrowed.
fn side(b: &Option<(Key, bool)>) -> Option<(&Key, bool)> {
    b.as_ref().map(|(k, inclusive)| (k, *inclusive))
}

/// A bound of a [`KeyTest::Range`] for one record.
enum Bounded {
    /// None: the part is false for every element.
    Nothing,
    /// Unknown, not a plain value, or failed: the list is read whole.
    Unusable,
    By(Key, bool),
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
