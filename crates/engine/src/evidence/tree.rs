//! The ruleset's declared evidence laid out as a tree for the one-pass
//! reader (`stream.rs`): a [`Reader`], built once per ruleset, holds the
//! evidence root's object and the element of each list of records, each a
//! [`Level`] of keys (sorted by length, then bytes, as
//! [`crate::model::Keys`] are) whose entries are the record's id, a
//! field's slot, or a group of fields. Here too are the key comparisons a
//! lookup makes (`same_key`, `key_order`), written without a call to
//! `memcmp` each.

use super::scan::ends_plain;
use super::stream::Frame;
use crate::model::{AbsenceMode, FieldDef, Model, Table};
use crate::types::{RecordId, Type};
use crate::value::Value;
use std::collections::HashMap;

/// The ruleset's declared evidence, laid out for reading text: the root
/// object, and the element of each list of records.
#[derive(Debug, Clone)]
pub(crate) struct Reader {
    pub(super) root: Object,
    /// By record id.
    pub(super) records: Table<RecordId, Object>,
    /// What each of the root's slots holds before anything is read.
    pub(super) defaults: Box<[Value]>,
    /// This reader's own number, which no other reader made in this process
    /// has (a clone shares it, and its layout): slots kept in a thread's
    /// [`Room`] are known to be laid out as this reader lays them out only
    /// if they were read by it.
    ///
    /// [`Room`]: super::room::Room
    pub(super) stamp: u64,
    /// How many guesses its levels keep between them ([`Level::guesses`]).
    pub(super) guesses: usize,
    /// Whether every value of every enum of the ruleset is written in JSON
    /// without escapes (as a name is), so that [`Scan::plain_value`] may
    /// look for one in the text as it is.
    ///
    /// [`Scan::plain_value`]: super::scan::Scan::plain_value
    pub(super) plain_enums: bool,
}

/// The numbers given to readers ([`Reader::stamp`]).
static STAMPS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// What an object read into one set of slots (the evidence root, or one
/// element of a list of records) may hold.
#[derive(Debug, Clone)]
pub(super) struct Object {
    pub(super) level: Level,
    /// Each slot before anything is read holds the value an absent field
    /// has (`Value::None` for a required field, which must be given): held
    /// as how many slots there are, all `None` but for those in `bools`
    /// (`default true`, `default false`) and `others`. Most slots are `None`
    /// or a boolean, which are stored as constants; cloning every slot's
    /// value from a slice instead was a seventh of reading a record.
    pub(super) slots: usize,
    pub(super) bools: Box<[(usize, bool)]>,
    pub(super) others: Box<[(usize, Value)]>,
    /// How many fields are required.
    pub(super) required: usize,
    /// The slot of a list element's `id` field.
    pub(super) id_field: Option<usize>,
}

/// The keys of one level of an object, sorted as [`crate::model::Keys`] are
/// (by length, then bytes).
#[derive(Debug, Clone, Default)]
pub(super) struct Level {
    pub(super) entries: Box<[(Box<str>, Entry)]>,
    /// Where this level's guesses start among the thread's ([`Guesses`]):
    /// one for each entry, the position of the key that followed it when
    /// last read, and one more (the last) for the first key of an object.
    /// Records from one source give their keys in one order nearly always,
    /// so the guess is nearly always right, and one comparison of keys
    /// finds the key that otherwise a search (binary, over the root's 25
    /// keys) would.
    ///
    /// [`Guesses`]: super::room::Guesses
    pub(super) guesses: usize,
}

/// What a declared key holds.
#[derive(Debug, Clone)]
pub(super) enum Entry {
    /// The record's `id` (the evidence root's only).
    Id,
    /// A field's value.
    Field(Slot),
    /// A group of fields (`manager` of `manager.vacant_since`).
    Group(Level),
}

#[derive(Debug, Clone, Copy)]
pub(super) struct Slot {
    pub(super) index: usize,
    pub(super) ty: Type,
    pub(super) required: bool,
    /// A field `id` of the evidence root, which is also the record's id.
    pub(super) also_id: bool,
}

/// Up to this many keys at a level, a lookup scans them.
const LINEAR_SCAN: usize = 12;

impl Reader {
    /// This reader's number ([`Reader::stamp`]).
    pub(crate) fn stamp(&self) -> u64 {
        self.stamp
    }

    /// What each slot of a record holds before anything is read: the
    /// value of a field the record leaves out.
    pub(crate) fn defaults(&self) -> &[Value] {
        &self.defaults
    }

    /// The layout of `model`'s evidence; none when its fields cannot be laid
    /// out as a tree (the checker refuses such a ruleset) or a field `id` of
    /// the root has a type an id cannot have, and then every record is read
    /// through `serde_json::Value`.
    pub(crate) fn new(model: &Model) -> Option<Reader> {
        let mut root = Object::new(model.fields.as_slice(), None)?;
        match root.level.find("id") {
            None => {
                let mut entries = std::mem::take(&mut root.level.entries).into_vec();
                entries.push(("id".into(), Entry::Id));
                root.level = Level::sorted(entries);
            }
            Some(i) => match root.level.entries.get_mut(i) {
                // A field `id` is read as a field and as the record's id,
                // as `super::read` does; of a type that cannot be an id,
                // the record is left to it.
                Some((_, Entry::Field(slot))) if matches!(slot.ty, Type::Text | Type::Number) => {
                    slot.also_id = true;
                }
                _ => return None,
            },
        }
        let mut guesses = 0;
        root.level.place_guesses(&mut guesses);
        let records = model
            .records
            .iter()
            .map(|r| {
                let mut object = Object::new(&r.fields, r.id_field)?;
                object.level.place_guesses(&mut guesses);
                Some(object)
            })
            .collect::<Option<Table<_, _>>>()?;
        let defaults = Frame::new(&root).slots.into_boxed_slice();
        let stamp = STAMPS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let plain_enums = model
            .enums
            .iter()
            .all(|e| e.values.iter().all(|v| !v.bytes().any(ends_plain)));
        Some(Reader {
            root,
            records,
            defaults,
            stamp,
            guesses,
            plain_enums,
        })
    }
}

impl Object {
    fn new(fields: &[FieldDef], id_field: Option<usize>) -> Option<Object> {
        let mut tree = Tree::default();
        for (index, field) in fields.iter().enumerate() {
            let slot = Slot {
                index,
                ty: field.ty,
                required: field.absence == AbsenceMode::Required,
                also_id: false,
            };
            tree.insert(&field.path, slot)?;
        }
        let (mut bools, mut others) = (Vec::new(), Vec::new());
        for (i, field) in fields.iter().enumerate() {
            match &field.absence {
                AbsenceMode::Required | AbsenceMode::None | AbsenceMode::Default(Value::None) => {}
                AbsenceMode::Default(Value::Bool(b)) => bools.push((i, *b)),
                AbsenceMode::Unknown => others.push((i, Value::Unknown)),
                AbsenceMode::Default(v) => others.push((i, v.clone())),
            }
        }
        Some(Object {
            level: tree.into_level(),
            slots: fields.len(),
            bools: bools.into_boxed_slice(),
            others: others.into_boxed_slice(),
            required: fields
                .iter()
                .filter(|f| f.absence == AbsenceMode::Required)
                .count(),
            id_field,
        })
    }
}

/// Fields gathered by key, before they are sorted into a [`Level`].
#[derive(Default)]
struct Tree {
    keys: HashMap<String, Node>,
}

enum Node {
    Field(Slot),
    Group(Tree),
}

impl Tree {
    /// Add a field at its dotted path; none if the path clashes with
    /// another field's, or has a key that JSON must write with an escape
    /// (no ruleset's can: a key is a name), which [`Scan::key_is`] does not
    /// look for.
    ///
    /// [`Scan::key_is`]: super::scan::Scan::key_is
    fn insert(&mut self, path: &[String], slot: Slot) -> Option<()> {
        let (first, rest) = path.split_first()?;
        if first.bytes().any(ends_plain) {
            return None;
        }
        if rest.is_empty() {
            return match self.keys.insert(first.clone(), Node::Field(slot)) {
                None => Some(()),
                Some(_) => None,
            };
        }
        match self
            .keys
            .entry(first.clone())
            .or_insert_with(|| Node::Group(Tree::default()))
        {
            Node::Group(inner) => inner.insert(rest, slot),
            Node::Field(_) => None,
        }
    }

    fn into_level(self) -> Level {
        let entries = self
            .keys
            .into_iter()
            .map(|(key, node)| {
                let entry = match node {
                    Node::Field(slot) => Entry::Field(slot),
                    Node::Group(inner) => Entry::Group(inner.into_level()),
                };
                (key.into_boxed_str(), entry)
            })
            .collect();
        Level::sorted(entries)
    }
}

impl Level {
    fn sorted(mut entries: Vec<(Box<str>, Entry)>) -> Level {
        entries.sort_by(|(a, _), (b, _)| key_order(a, b));
        Level {
            entries: entries.into_boxed_slice(),
            guesses: 0,
        }
    }

    /// Give this level, and the groups in it, their guesses, from `next`
    /// on.
    fn place_guesses(&mut self, next: &mut usize) {
        self.guesses = *next;
        *next += self.entries.len() + 1;
        for (_, entry) in self.entries.iter_mut() {
            if let Entry::Group(inner) = entry {
                inner.place_guesses(next);
            }
        }
    }

    /// The position of `key` at this level.
    pub(super) fn find(&self, key: &str) -> Option<usize> {
        if self.entries.len() <= LINEAR_SCAN {
            self.entries
                .iter()
                .position(|(k, _)| same_key(k.as_bytes(), key.as_bytes()))
        } else {
            self.entries
                .binary_search_by(|(k, _)| key_order(k, key))
                .ok()
        }
    }
}

/// Whether two keys are equal. Keys are short, and a call to `memcmp` for
/// each key of the right length was a twentieth of reading a record: up to
/// 32 bytes are compared as two overlapping words of 4, 8 or 16 bytes (or,
/// under four bytes, as the first, middle and last bytes, which between
/// them are all of them), and only longer keys as slices. Many declared
/// keys are longer than 16 bytes (`first_inspection_since_registration`,
/// `helped_and_protected`).
pub(super) fn same_key(a: &[u8], b: &[u8]) -> bool {
    let len = a.len();
    if len != b.len() {
        return false;
    }
    // The eight (or four) bytes from `at`: `a` and `b` have one length, so
    // both have them.
    let word8 = |x: &[u8], at: usize| x.get(at..at + 8).and_then(|w| <[u8; 8]>::try_from(w).ok());
    let word4 = |x: &[u8], at: usize| x.get(at..at + 4).and_then(|w| <[u8; 4]>::try_from(w).ok());
    let word16 = |x: &[u8], at: usize| {
        x.get(at..at + 16)
            .and_then(|w| <[u8; 16]>::try_from(w).ok())
    };
    match len {
        0 => true,
        1..=3 => a.first() == b.first() && a.get(len / 2) == b.get(len / 2) && a.last() == b.last(),
        4..=7 => word4(a, 0) == word4(b, 0) && word4(a, len - 4) == word4(b, len - 4),
        8..=16 => word8(a, 0) == word8(b, 0) && word8(a, len - 8) == word8(b, len - 8),
        17..=32 => word16(a, 0) == word16(b, 0) && word16(a, len - 16) == word16(b, len - 16),
        _ => a == b,
    }
}

/// By length, then bytes: most probes are settled by the length alone.
/// Keys of one length from 4 to 16 bytes are ordered as two overlapping
/// big-endian words (the bytes of the second that overlap the first are
/// equal by then), shorter ones byte by byte, without a call to `memcmp`.
fn key_order(a: &str, b: &str) -> std::cmp::Ordering {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let len = a.len();
    let word = |x: &[u8], at: usize| {
        x.get(at..at + 8)
            .and_then(|w| <[u8; 8]>::try_from(w).ok())
            .map(u64::from_be_bytes)
    };
    let word4 = |x: &[u8], at: usize| {
        x.get(at..at + 4)
            .and_then(|w| <[u8; 4]>::try_from(w).ok())
            .map(u32::from_be_bytes)
    };
    len.cmp(&b.len()).then_with(|| match len {
        0..=3 => a.iter().cmp(b.iter()),
        4..=7 => word4(a, 0)
            .cmp(&word4(b, 0))
            .then_with(|| word4(a, len - 4).cmp(&word4(b, len - 4))),
        8..=16 => word(a, 0)
            .cmp(&word(b, 0))
            .then_with(|| word(a, len - 8).cmp(&word(b, len - 8))),
        _ => a.cmp(b),
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::indexing_slicing, reason = "tests")]
    use super::{key_order, same_key};

    #[test]
    fn same_key_agrees_with_comparing_slices() {
        for len in 0usize..40 {
            let key: Vec<u8> = (0..len).map(|i| b'a' + (i % 26) as u8).collect();
            assert!(same_key(&key, &key));
            if len > 0 {
                assert!(!same_key(&key, &key[..len - 1]));
            }
            for at in 0..len {
                let mut other = key.clone();
                other[at] = b'_';
                assert!(!same_key(&key, &other), "{len} {at}");
                assert!(!same_key(&other, &key), "{len} {at}");
                for b in [b'0', b'_', b'a', b'z', 0xc3] {
                    other[at] = b;
                    let (x, y) = (
                        String::from_utf8_lossy(&key),
                        String::from_utf8_lossy(&other),
                    );
                    let by_bytes = x.len().cmp(&y.len()).then(x.as_bytes().cmp(y.as_bytes()));
                    assert_eq!(key_order(&x, &y), by_bytes, "{x} {y}");
                    assert_eq!(key_order(&y, &x), by_bytes.reverse(), "{x} {y}");
                }
            }
        }
    }
}
