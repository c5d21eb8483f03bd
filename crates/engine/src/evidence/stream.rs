//! Evidence JSON text -> slots in one pass, for the common case of a good
//! record.
//!
//! Parsing a record into a `serde_json::Value`, then looking every declared
//! field up in it and walking it again for undeclared keys, was about two
//! fifths of the time evaluating a record took when it was profiled. Here a
//! scanner of JSON's bytes (`Scan`) walks the text along the ruleset's
//! declared field tree (a [`Reader`], built once per ruleset): each key, a
//! slice of the text, is found in its level of the tree, and its value
//! converted straight into its slot, with no `Value` for the record. Serde
//! visitors driven by serde_json did the same in two thirds as many
//! instructions again (234M where the scanner takes 140M, over 20,000
//! records of the process bench).
//!
//! This reader reports no errors. At the first thing that is not plainly
//! right (a syntax error, a key written twice, an undeclared key, a value of
//! the wrong type, a missing required field, two list elements with one id,
//! an `id` that is not text or a whole number) it gives up, and the caller
//! reads the same text through `serde_json::Value` (`json.rs`, then
//! [`super::read`]), which finds every problem with its JSON path. So the
//! errors, and the warnings for undeclared keys, come from one place only.
//! The scanner gives up, too, at whatever it does not read exactly as
//! serde_json reads it: a key with an escape, a number that is not whole,
//! nesting deeper than `MOST_DEPTH`. A text it reads is one serde_json reads
//! to the same values.

use super::{parse_date, parse_datetime, parse_time, Evidence};
use crate::model::{AbsenceMode, FieldDef, Model, Table};
use crate::types::{Elem, RecordId, Type};
use crate::value::{Element, Value};
use chrono::NaiveDate;
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, Visitor};
use std::cell::Cell;
use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

/// The ruleset's declared evidence, laid out for reading text: the root
/// object, and the element of each list of records.
#[derive(Debug, Clone)]
pub(crate) struct Reader {
    root: Object,
    /// By record id.
    records: Table<RecordId, Object>,
    /// What each of the root's slots holds before anything is read.
    defaults: Box<[Value]>,
    /// This reader's own number, which no other reader made in this process
    /// has (a clone shares it, and its layout): slots kept in a thread's
    /// [`Room`] are known to be laid out as this reader lays them out only
    /// if they were read by it.
    stamp: u64,
    /// How many guesses its levels keep between them ([`Level::guesses`]).
    guesses: usize,
    /// Whether every value of every enum of the ruleset is written in JSON
    /// without escapes (as a name is), so that [`Scan::plain_value`] may
    /// look for one in the text as it is.
    plain_enums: bool,
}

/// The numbers given to readers ([`Reader::stamp`]).
static STAMPS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// Which slots of a record the one-pass reader wrote, and which reader it
/// was ([`Reader::stamp`]): every other slot holds the value an absent
/// field has.
#[derive(Debug, Clone, Default)]
pub(crate) struct Written {
    reader: u64,
    slots: Vec<usize>,
}

impl Written {
    /// The slots written, in the order they were.
    #[cfg(test)]
    pub(crate) fn slots(&self) -> &[usize] {
        &self.slots
    }
}

/// What an object read into one set of slots (the evidence root, or one
/// element of a list of records) may hold.
#[derive(Debug, Clone)]
struct Object {
    level: Level,
    /// Each slot before anything is read holds the value an absent field
    /// has (`Value::None` for a required field, which must be given): held
    /// as how many slots there are, all `None` but for those in `bools`
    /// (`default true`, `default false`) and `others`. Most slots are `None`
    /// or a boolean, which are stored as constants; cloning every slot's
    /// value from a slice instead was a seventh of reading a record.
    slots: usize,
    bools: Box<[(usize, bool)]>,
    others: Box<[(usize, Value)]>,
    /// How many fields are required.
    required: usize,
    /// The slot of a list element's `id` field.
    id_field: Option<usize>,
}

/// The keys of one level of an object, sorted as [`crate::model::Keys`] are
/// (by length, then bytes).
#[derive(Debug, Clone, Default)]
struct Level {
    entries: Box<[(Box<str>, Entry)]>,
    /// Where this level's guesses start among the thread's ([`Guesses`]):
    /// one for each entry, the position of the key that followed it when
    /// last read, and one more (the last) for the first key of an object.
    /// Records from one source give their keys in one order nearly always,
    /// so the guess is nearly always right, and one comparison of keys
    /// finds the key that otherwise a search (binary, over the root's 25
    /// keys) would.
    guesses: usize,
}

/// What a declared key holds.
#[derive(Debug, Clone)]
enum Entry {
    /// The record's `id` (the evidence root's only).
    Id,
    /// A field's value.
    Field(Slot),
    /// A group of fields (`manager` of `manager.vacant_since`).
    Group(Level),
}

#[derive(Debug, Clone, Copy)]
struct Slot {
    index: usize,
    ty: Type,
    required: bool,
    /// A field `id` of the evidence root, which is also the record's id.
    also_id: bool,
}

/// Up to this many keys at a level, a lookup scans them.
const LINEAR_SCAN: usize = 12;

impl Reader {
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

    /// Read a record; none when it is not a plainly good record (see the
    /// module's documentation): `super::read` then says what is wrong.
    pub(crate) fn read(&self, model: &Model, text: &str) -> Option<Evidence> {
        let mut guesses = Guesses::take(self);
        let cx = Cx {
            reader: self,
            model,
            guesses: std::cell::Cell::from_mut(guesses.next.as_mut_slice()).as_slice_of_cells(),
        };
        let mut frame = self.root_frame(Room::take());
        let read = read_root(cx, &mut Scan::new(text), &self.root.level, &mut frame);
        // Kept whether or not the record was read in one pass: the guesses
        // made on the way are as good as any.
        guesses.put_back();
        read?;
        let id = frame.id.take();
        let written = frame.written.take().map(|slots| Written {
            reader: self.stamp,
            slots,
        });
        Some(Evidence {
            id,
            slots: frame.finish()?,
            warnings: Vec::new(),
            written,
        })
    }

    /// The root's frame, in the room the last record read on this thread
    /// left. Slots this reader read before need only those it wrote put
    /// back as they were (`give_back` has dropped their values already);
    /// any others are filled afresh.
    fn root_frame(&self, room: Room) -> Frame {
        let Room {
            mut slots,
            id,
            mut written,
            clean_for,
        } = room;
        let mut frame = if clean_for == Some(self.stamp) && slots.len() == self.defaults.len() {
            for &i in &written {
                if let (Some(slot), Some(default)) = (slots.get_mut(i), self.defaults.get(i)) {
                    // Most defaults are none or a boolean: written as
                    // constants, not copied from the default (a copy
                    // stalled on loads the processor could not forward).
                    match default {
                        // `give_back` has left none there.
                        Value::None if matches!(slot, Value::None) => {}
                        Value::None => *slot = Value::None,
                        Value::Bool(b) => *slot = Value::Bool(*b),
                        other => *slot = other.clone(),
                    }
                }
            }
            Frame {
                slots,
                missing: self.root.required,
                id: None,
                id_room: None,
                written: None,
            }
        } else {
            Frame::new_in(&self.root, slots)
        };
        written.clear();
        frame.written = Some(written);
        frame.id_room = id;
        frame
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
    fn find(&self, key: &str) -> Option<usize> {
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
fn same_key(a: &[u8], b: &[u8]) -> bool {
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

/// The slots of one object being read.
struct Frame {
    slots: Vec<Value>,
    /// Required fields not given yet.
    missing: usize,
    id: Option<String>,
    /// Room for the id: the last record's, emptied (the root only).
    id_room: Option<String>,
    /// The slots written so far (the root only).
    written: Option<Vec<usize>>,
}

/// The slots and id of the last record read on this thread, given back
/// emptied once it is evaluated ([`give_back`]): the next record is read
/// into them, so that reading record after record allocates neither anew.
#[derive(Default)]
struct Room {
    slots: Vec<Value>,
    id: Option<String>,
    /// When the slots were read by the reader `clean_for` and are as it
    /// leaves them before reading, but for these, which hold `None`.
    written: Vec<usize>,
    clean_for: Option<u64>,
}

/// The guesses of the last reader to read on this thread
/// ([`Level::guesses`]): which key follows which, at each level.
struct Guesses {
    reader: u64,
    next: Vec<usize>,
}

thread_local! {
    static GUESSES: Cell<Guesses> = const { Cell::new(Guesses::empty()) };
}

impl Guesses {
    /// This thread's guesses for `reader`: those it left, or fresh ones,
    /// which are all wrong, where another reader was here last.
    fn take(reader: &Reader) -> Guesses {
        let mut guesses = GUESSES
            .try_with(|g| g.replace(Guesses::empty()))
            .unwrap_or_else(|_| Guesses::empty());
        if guesses.reader != reader.stamp || guesses.next.len() != reader.guesses {
            guesses.reader = reader.stamp;
            guesses.next.clear();
            guesses.next.resize(reader.guesses, usize::MAX);
        }
        guesses
    }

    fn put_back(self) {
        let _ = GUESSES.try_with(|g| g.set(self));
    }

    const fn empty() -> Guesses {
        Guesses {
            reader: 0,
            next: Vec::new(),
        }
    }
}

/// The longest id whose room is kept: a longer one is let go.
const MOST_ID_ROOM: usize = 256;

thread_local! {
    static ROOM: std::cell::RefCell<Room> = std::cell::RefCell::default();
}

impl Room {
    /// This thread's room, or none.
    fn take() -> Room {
        ROOM.try_with(|r| r.try_borrow_mut().map(|mut r| std::mem::take(&mut *r)))
            .ok()
            .and_then(Result::ok)
            .unwrap_or_default()
    }
}

/// Keep an evaluated record's slots and id for the next record read on
/// this thread, the values read into them dropped. Of a record the
/// one-pass reader read, only the slots it wrote are emptied (the others
/// hold what they held before it read, which the next record read by the
/// same reader starts from); of any other, all are.
pub(crate) fn give_back(evidence: Evidence) {
    let Evidence {
        id,
        mut slots,
        written,
        ..
    } = evidence;
    let (written, clean_for) = match written {
        Some(Written { reader, slots: w }) => {
            for &i in &w {
                if let Some(slot) = slots.get_mut(i) {
                    *slot = Value::None;
                }
            }
            (w, Some(reader))
        }
        None => {
            slots.clear();
            (Vec::new(), None)
        }
    };
    let id = id.filter(|id| id.capacity() <= MOST_ID_ROOM);
    let _ = ROOM.try_with(|r| {
        if let Ok(mut r) = r.try_borrow_mut() {
            *r = Room {
                slots,
                id,
                written,
                clean_for,
            };
        }
    });
}

impl Frame {
    fn new(object: &Object) -> Frame {
        Frame::new_in(object, Vec::new())
    }

    /// A frame whose slots are read into `slots` (emptied first).
    fn new_in(object: &Object, mut slots: Vec<Value>) -> Frame {
        Frame {
            slots: {
                slots.clear();
                slots.reserve(object.slots);
                slots.extend(std::iter::repeat_with(|| Value::None).take(object.slots));
                for &(i, b) in &object.bools {
                    if let Some(slot) = slots.get_mut(i) {
                        *slot = Value::Bool(b);
                    }
                }
                for (i, value) in &object.others {
                    if let Some(slot) = slots.get_mut(*i) {
                        *slot = value.clone();
                    }
                }
                slots
            },
            missing: object.required,
            id: None,
            id_room: None,
            written: None,
        }
    }

    /// The slots, if every required field was given.
    fn finish(self) -> Option<Vec<Value>> {
        (self.missing == 0).then_some(self.slots)
    }
}

/// Which keys of a level one object has given: a key written twice is
/// left to `json.rs` to report.
enum Seen {
    Few(u64),
    Many(Vec<bool>),
}

impl Seen {
    fn new(keys: usize) -> Seen {
        if keys <= 64 {
            Seen::Few(0)
        } else {
            Seen::Many(vec![false; keys])
        }
    }

    /// Mark key `i`; false if it was already.
    fn first_time(&mut self, i: usize) -> bool {
        match self {
            Seen::Few(bits) => {
                let bit = u32::try_from(i)
                    .ok()
                    .and_then(|i| 1u64.checked_shl(i))
                    .unwrap_or(0);
                let fresh = bit != 0 && *bits & bit == 0;
                *bits |= bit;
                fresh
            }
            Seen::Many(seen) => match seen.get_mut(i) {
                Some(s) if !*s => {
                    *s = true;
                    true
                }
                _ => false,
            },
        }
    }
}

/// What every part of the reader needs.
#[derive(Clone, Copy)]
struct Cx<'r> {
    reader: &'r Reader,
    model: &'r Model,
    /// This thread's guesses ([`Level::guesses`]).
    guesses: &'r [Cell<usize>],
}

impl Cx<'_> {
    /// A string as a value of type `ty`.
    fn text(self, ty: Type, s: &str) -> Option<Value> {
        let mut value = Value::None;
        self.text_into(ty, s, &mut value).then_some(value)
    }

    /// A string as a value of type `ty`, written into `place`; false (and
    /// `place` as it was) if it is none. Each value is written where it
    /// goes, as a whole: returned in an `Option`, it was copied out again
    /// by overlapping stores and loads that the processor cannot forward
    /// (perf put half the time of a field's value on one such load).
    fn text_into(self, ty: Type, s: &str, place: &mut Value) -> bool {
        match ty {
            Type::Text => *place = Value::Text(s.into()),
            Type::Date => match parse_date(s) {
                Some(d) => *place = Value::Date(d),
                None => return false,
            },
            Type::DateTime => match parse_datetime(s) {
                Some(d) => *place = Value::DateTime(d),
                None => return false,
            },
            Type::Time => match parse_time(s) {
                Some(t) => *place = Value::Time(t),
                None => return false,
            },
            Type::Enum { id, .. } => {
                // Compared as keys are, without a call to `memcmp` each.
                let Some(i) = self.model.enums.get(id).and_then(|e| {
                    e.values
                        .iter()
                        .position(|x| same_key(x.as_bytes(), s.as_bytes()))
                }) else {
                    return false;
                };
                *place = Value::Enum(u16::try_from(i).unwrap_or(u16::MAX));
            }
            _ => return false,
        }
        true
    }
}

/// A whole number of type `ty`.
fn from_i64(ty: Type, n: i64) -> Option<Value> {
    let mut value = Value::None;
    i64_into(ty, n, &mut value).then_some(value)
}

/// A whole number of type `ty`, written into `place` (as
/// [`Cx::text_into`]).
fn i64_into(ty: Type, n: i64, place: &mut Value) -> bool {
    match ty {
        Type::Number => *place = Value::Number(n),
        Type::Days => *place = Value::Days(n),
        _ => return false,
    }
    true
}

fn from_bool(ty: Type, b: bool) -> Option<Value> {
    let mut value = Value::None;
    bool_into(ty, b, &mut value).then_some(value)
}

/// A boolean of type `ty`, written into `place` (as [`Cx::text_into`]).
fn bool_into(ty: Type, b: bool, place: &mut Value) -> bool {
    if ty == Type::Bool {
        *place = Value::Bool(b);
    }
    ty == Type::Bool
}

/// The most objects and lists open at once that the one-pass reader reads:
/// deeper nesting than a ruleset declares gives up anyway, and this bounds
/// the reader's recursion whatever the ruleset. Below serde_json's limit
/// (128), so nothing it refuses for depth is read here.
const MOST_DEPTH: usize = 100;

/// The text of one record, and how far it has been read: a JSON scanner
/// over its bytes, which gives up (none) at anything it does not read
/// exactly as serde_json would. Keys and strings without escapes are
/// slices of the text.
struct Scan<'t> {
    text: &'t str,
    at: usize,
    /// Objects and lists open.
    depth: usize,
    /// The last string read that had escapes, written out.
    unescaped: String,
}

/// A whole number as serde_json reads one: a `u64` if not negative, an
/// `i64` if negative; any other number (a fraction, an exponent, `-0`, or
/// one too large) it reads as a float, which no field of the one-pass
/// reader takes.
#[derive(Clone, Copy)]
enum Whole {
    Unsigned(u64),
    Negative(i64),
}

impl Whole {
    fn as_i64(self) -> Option<i64> {
        match self {
            Whole::Unsigned(n) => i64::try_from(n).ok(),
            Whole::Negative(n) => Some(n),
        }
    }
}

/// Whether a byte ends a run of a string's plain bytes: its closing quote,
/// an escape, or a control character (which JSON does not allow there).
fn ends_plain(b: u8) -> bool {
    b == b'"' || b == b'\\' || b < 0x20
}

/// A one in each byte of a word.
const ONES: u64 = 0x0101_0101_0101_0101;

/// Eight bytes of text, read as one little-endian word (the first byte the
/// lowest), at `at`.
fn word_at(bytes: &[u8], at: usize) -> Option<u64> {
    let chunk = bytes.get(at..at.checked_add(8)?)?;
    <[u8; 8]>::try_from(chunk).ok().map(u64::from_le_bytes)
}

/// The high bit set of each byte of `word` that [`ends_plain`], the lowest
/// such byte's exactly (a byte above it may be flagged wrongly by a borrow,
/// which does not matter: only the lowest is used). A byte less than `n`
/// borrows when `n` is taken from it and had its high bit clear: so
/// `(x - n) & !x` has the high bit set where `x < n`, and a byte equal to
/// `c` is one that `x ^ c` makes zero, less than one. Bytes of 0x80 and
/// over, as in any character beyond ASCII, are never flagged.
fn plain_ends(word: u64) -> u64 {
    let quote = word ^ (ONES * u64::from(b'"'));
    let backslash = word ^ (ONES * u64::from(b'\\'));
    let below =
        quote.wrapping_sub(ONES) | backslash.wrapping_sub(ONES) | word.wrapping_sub(ONES * 0x20);
    // `quote` and `backslash` have `word`'s high bits.
    below & !word & (ONES << 7)
}

impl<'t> Scan<'t> {
    fn new(text: &'t str) -> Scan<'t> {
        Scan {
            text,
            at: 0,
            depth: 0,
            unescaped: String::new(),
        }
    }

    /// The next byte that is not JSON's whitespace (space, tab, line feed,
    /// carriage return), not taken; none at the end of the text.
    fn peek_token(&mut self) -> Option<u8> {
        let bytes = self.text.as_bytes();
        while let Some(&b) = bytes.get(self.at) {
            if !matches!(b, b' ' | b'\n' | b'\t' | b'\r') {
                return Some(b);
            }
            self.at += 1;
        }
        None
    }

    /// The next byte that is not whitespace, taken.
    fn token(&mut self) -> Option<u8> {
        let b = self.peek_token()?;
        self.at += 1;
        Some(b)
    }

    /// Nothing but whitespace is left.
    fn at_end(&mut self) -> bool {
        self.peek_token().is_none()
    }

    /// The bytes `word` (`null`, `true`, `false`) are next, taken.
    fn literal(&mut self, word: &[u8]) -> Option<()> {
        let end = self.at.checked_add(word.len())?;
        (self.text.as_bytes().get(self.at..end)? == word).then(|| self.at = end)
    }

    /// One more object or list open.
    fn enter(&mut self) -> Option<()> {
        self.depth += 1;
        (self.depth <= MOST_DEPTH).then_some(())
    }

    fn leave(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }

    /// How many plain bytes of a string there are from `from`: looked at
    /// eight at a time (which took 20M instructions off the 193M that
    /// reading 20,000 records took looking at each), then one at a time
    /// near the end of the text.
    fn plain_run(&self, from: usize) -> usize {
        let bytes = self.text.as_bytes();
        let mut at = from;
        while let Some(word) = word_at(bytes, at) {
            let ends = plain_ends(word);
            if ends != 0 {
                // The lowest flagged byte is the first.
                return at - from + (ends.trailing_zeros() / 8) as usize;
            }
            at += 8;
        }
        let rest = bytes.get(at..).unwrap_or_default();
        at - from
            + rest
                .iter()
                .position(|&b| ends_plain(b))
                .unwrap_or(rest.len())
    }

    /// Whether the key `declared` is next, and its closing quote (its
    /// opening quote taken): then both are taken. A declared key has no
    /// byte that ends a string's plain bytes ([`Tree::insert`]), so the
    /// key in the text is `declared` exactly.
    fn key_is(&mut self, declared: &str) -> bool {
        let end = self.at + declared.len();
        let bytes = self.text.as_bytes();
        let given = bytes
            .get(self.at..end)
            .is_some_and(|key| same_key(key, declared.as_bytes()))
            && bytes.get(end) == Some(&b'"');
        if given {
            self.at = end + 1;
        }
        given
    }

    /// A date, or a value of an enum, of type `ty`, its opening quote
    /// taken, read where it starts and written into `place` if it is there
    /// as it is, followed by its closing quote: then true, and both are
    /// taken. Otherwise (another type, an escape, no such value) false,
    /// and nothing is taken. Neither a date's digits and dashes nor a
    /// plain enum's value ([`Reader::plain_enums`]) can end a string's
    /// plain bytes, so the string in the text is exactly that; and finding
    /// its end first, for a string this short, cost as much as reading it.
    fn plain_value(&mut self, cx: Cx<'_>, ty: Type, place: &mut Value) -> bool {
        let bytes = self.text.as_bytes();
        let (value, end) = match ty {
            Type::Date => {
                let end = self.at + 10;
                let date = self.text.get(self.at..end).and_then(parse_date);
                match date {
                    Some(date) => (Value::Date(date), end),
                    None => return false,
                }
            }
            Type::Enum { id, .. } if cx.reader.plain_enums => {
                let values = cx.model.enums.get(id).map_or(&[][..], |e| &e.values);
                let found = values.iter().enumerate().find_map(|(i, v)| {
                    let end = self.at + v.len();
                    let given = bytes.get(end) == Some(&b'"')
                        && bytes
                            .get(self.at..end)
                            .is_some_and(|text| same_key(text, v.as_bytes()));
                    given.then_some((i, end))
                });
                match found {
                    Some((i, end)) => (Value::Enum(u16::try_from(i).unwrap_or(u16::MAX)), end),
                    None => return false,
                }
            }
            _ => return false,
        };
        if bytes.get(end) != Some(&b'"') {
            return false;
        }
        *place = value;
        self.at = end + 1;
        true
    }

    /// A key, its opening quote taken: a slice of the text. A key with an
    /// escape gives up (no declared key needs one).
    fn key(&mut self) -> Option<&'t str> {
        let start = self.at;
        let end = start + self.plain_run(start);
        if self.text.as_bytes().get(end) != Some(&b'"') {
            return None;
        }
        self.at = end + 1;
        self.text.get(start..end)
    }

    /// A string, its opening quote taken: a slice of the text, or, if it
    /// has escapes, the string they stand for.
    fn string(&mut self) -> Option<&str> {
        let text = self.text;
        let start = self.at;
        let end = start + self.plain_run(start);
        match text.as_bytes().get(end) {
            Some(b'"') => {
                self.at = end + 1;
                text.get(start..end)
            }
            Some(b'\\') => {
                self.unescaped.clear();
                self.unescaped.push_str(text.get(start..end)?);
                self.at = end;
                self.unescape()?;
                Some(&self.unescaped)
            }
            // A control character, or the end of the text.
            _ => None,
        }
    }

    /// The rest of a string from an escape, written out into `unescaped`,
    /// as serde_json writes it out; its closing quote taken.
    fn unescape(&mut self) -> Option<()> {
        let bytes = self.text.as_bytes();
        loop {
            match bytes.get(self.at)? {
                b'"' => {
                    self.at += 1;
                    return Some(());
                }
                b'\\' => {
                    let c = match bytes.get(self.at + 1)? {
                        b'"' => Some('"'),
                        b'\\' => Some('\\'),
                        b'/' => Some('/'),
                        b'b' => Some('\u{8}'),
                        b'f' => Some('\u{c}'),
                        b'n' => Some('\n'),
                        b'r' => Some('\r'),
                        b't' => Some('\t'),
                        b'u' => None,
                        _ => return None,
                    };
                    let c = match c {
                        Some(c) => {
                            self.at += 2;
                            c
                        }
                        None => self.unicode_escape()?,
                    };
                    self.unescaped.push(c);
                }
                // A control character.
                _ => return None,
            }
            let run = self.plain_run(self.at);
            let end = self.at + run;
            self.unescaped.push_str(self.text.get(self.at..end)?);
            self.at = end;
        }
    }

    /// The character of a `\uXXXX` escape at `at`, taken: a character of
    /// its own, or a pair of surrogates (`\uD83D\uDE00`) that stand for
    /// one. A surrogate alone is an error to serde_json.
    fn unicode_escape(&mut self) -> Option<char> {
        let first = self.hex4(self.at + 2)?;
        self.at += 6;
        if !(0xD800..=0xDFFF).contains(&first) {
            return char::from_u32(first);
        }
        if first >= 0xDC00 {
            return None;
        }
        if self.text.as_bytes().get(self.at..self.at + 2) != Some(b"\\u") {
            return None;
        }
        let second = self.hex4(self.at + 2)?;
        if !(0xDC00..=0xDFFF).contains(&second) {
            return None;
        }
        self.at += 6;
        char::from_u32(0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00))
    }

    /// The four hexadecimal digits at `from`, as a number.
    fn hex4(&self, from: usize) -> Option<u32> {
        let digits = self.text.as_bytes().get(from..from + 4)?;
        digits
            .iter()
            .try_fold(0, |n, &b| char::from(b).to_digit(16).map(|d| n * 16 + d))
    }

    /// A whole number, its first byte (`-` or a digit) not yet taken, and
    /// its text, which is how serde_json writes the number out: JSON
    /// allows no leading zeros or `+`, so a whole number has one form.
    /// Any number serde_json reads as a float, or does not read, gives up.
    fn whole(&mut self) -> Option<(Whole, &'t str)> {
        let bytes = self.text.as_bytes();
        let start = self.at;
        let negative = bytes.get(start) == Some(&b'-');
        let digits = if negative { start + 1 } else { start };
        let mut n: u64 = 0;
        let mut end = digits;
        while let Some(&b) = bytes.get(end).filter(|b| b.is_ascii_digit()) {
            // Past `u64::MAX`, serde_json reads a float.
            n = n.checked_mul(10)?.checked_add(u64::from(b - b'0'))?;
            end += 1;
        }
        let leading_zero = bytes.get(digits) == Some(&b'0') && end - digits > 1;
        if end == digits || leading_zero || matches!(bytes.get(end), Some(b'.' | b'e' | b'E')) {
            return None;
        }
        let whole = if negative {
            // `-0`, and below `i64::MIN`, serde_json reads as floats.
            if n == 0 {
                return None;
            }
            Whole::Negative(0i64.checked_sub_unsigned(n)?)
        } else {
            Whole::Unsigned(n)
        };
        self.at = end;
        Some((whole, self.text.get(start..end)?))
    }

    /// The items of a list, its `[` taken, each read by `item` (which
    /// starts at the whitespace before it), to its `]`, taken.
    fn each_item(&mut self, mut item: impl FnMut(&mut Scan<'t>) -> Option<()>) -> Option<()> {
        self.enter()?;
        if self.peek_token()? == b']' {
            self.at += 1;
        } else {
            loop {
                // A `]` after a comma is not an item, and gives up here.
                item(self)?;
                match self.token()? {
                    b',' => {}
                    b']' => break,
                    _ => return None,
                }
            }
        }
        self.leave();
        Some(())
    }
}

/// Read the whole of `text` as the evidence root into `frame`: an object,
/// and nothing after it but whitespace.
fn read_root(cx: Cx<'_>, scan: &mut Scan<'_>, level: &Level, frame: &mut Frame) -> Option<()> {
    if scan.token()? != b'{' {
        return None;
    }
    read_object(cx, scan, level, frame)?;
    scan.at_end().then_some(())
}

/// An object whose keys are read into `frame` (the evidence root, a group
/// of fields in it, or a list element), its `{` taken, to its `}`, taken.
fn read_object(cx: Cx<'_>, scan: &mut Scan<'_>, level: &Level, frame: &mut Frame) -> Option<()> {
    scan.enter()?;
    let mut seen = Seen::new(level.entries.len());
    // The guess for the first key, then for the key after the last.
    let mut guess = cx.guesses.get(level.guesses + level.entries.len());
    let mut next = scan.token()?;
    if next == b'}' {
        scan.leave();
        return Some(());
    }
    loop {
        if next != b'"' {
            return None;
        }
        // The guessed key is looked for in the text as it is, without
        // finding the key's end first.
        let guessed = guess.map_or(usize::MAX, Cell::get);
        let i = match level.entries.get(guessed) {
            Some((declared, _)) if scan.key_is(declared) => guessed,
            _ => level.find(scan.key()?)?,
        };
        // The next object at this level is guessed to give its keys in
        // this one's order.
        if let Some(guess) = guess {
            guess.set(i);
        }
        guess = cx.guesses.get(level.guesses + i);
        if !seen.first_time(i) || scan.token()? != b':' {
            return None;
        }
        match level.entries.get(i).map(|(_, entry)| entry)? {
            Entry::Id => frame.id = read_id(scan, frame.id_room.take())?,
            Entry::Field(slot) => {
                let place = frame.slots.get_mut(slot.index)?;
                // Null: the field is absent, its slot left as it is.
                if read_value(cx, scan, slot.ty, place)? {
                    if slot.also_id {
                        frame.id = match frame.slots.get(slot.index) {
                            Some(Value::Text(t)) => Some(t.to_string()),
                            Some(Value::Number(n)) => Some(n.to_string()),
                            _ => return None,
                        };
                    }
                    if slot.required {
                        frame.missing = frame.missing.checked_sub(1)?;
                    }
                    if let Some(written) = frame.written.as_mut() {
                        written.push(slot.index);
                    }
                }
            }
            // A group given as null holds absent fields.
            Entry::Group(inner) => match scan.token()? {
                b'{' => read_object(cx, scan, inner, frame)?,
                b'n' => scan.literal(b"ull")?,
                _ => return None,
            },
        }
        match scan.token()? {
            b',' => next = scan.token()?,
            b'}' => break,
            _ => return None,
        }
    }
    scan.leave();
    Some(())
}

/// The evidence root's `id`: text or a whole number, or null; written into
/// the room given, where there is one.
fn read_id(scan: &mut Scan<'_>, room: Option<String>) -> Option<Option<String>> {
    let text = match scan.peek_token()? {
        b'n' => {
            scan.literal(b"null")?;
            return Some(None);
        }
        b'"' => {
            scan.at += 1;
            scan.string()?
        }
        // Any whole number serde_json reads as a `u64` or an `i64`, as it
        // writes it out.
        b'-' | b'0'..=b'9' => scan.whole()?.1,
        _ => return None,
    };
    let mut id = room.unwrap_or_default();
    id.clear();
    id.push_str(text);
    Some(Some(id))
}

/// A field's value, of type `ty`, written into its slot, `place`: true
/// then, false for null (an absent field, whose slot is left as it is).
fn read_value(cx: Cx<'_>, scan: &mut Scan<'_>, ty: Type, place: &mut Value) -> Option<bool> {
    let written = match scan.peek_token()? {
        b'"' => {
            scan.at += 1;
            scan.plain_value(cx, ty, place) || cx.text_into(ty, scan.string()?, place)
        }
        b'n' => {
            scan.literal(b"null")?;
            return Some(false);
        }
        b't' => scan.literal(b"true").is_some() && bool_into(ty, true, place),
        b'f' => scan.literal(b"false").is_some() && bool_into(ty, false, place),
        b'-' | b'0'..=b'9' => {
            let n = scan.whole()?.0.as_i64()?;
            i64_into(ty, n, place)
        }
        b'[' => {
            let Type::List(elem) = ty else {
                return None;
            };
            scan.at += 1;
            let list = read_list(|elements| match elem {
                Elem::Record(rec) => {
                    let object = cx.reader.records.get(rec)?;
                    read_records(cx, scan, object, elements)
                }
                plain => read_plain(cx, scan, plain.ty(), elements),
            })?;
            *place = Value::List(list);
            true
        }
        _ => false,
    };
    written.then_some(true)
}

thread_local! {
    /// The elements of the list being read, in a vector kept from one list
    /// to the next on this thread. A list is then one allocation, its
    /// shared slice, where collecting each into a fresh vector (grown as
    /// elements came) and then copying that into the slice took two or
    /// more.
    static ELEMENTS: Cell<Vec<Element>> = const { Cell::new(Vec::new()) };
}

/// A list's elements, gathered by `read` in this thread's vector. A list
/// inside an element of a list finds the vector taken and uses a new one.
fn read_list(read: impl FnOnce(&mut Vec<Element>) -> Option<()>) -> Option<Arc<[Element]>> {
    let mut elements = ELEMENTS.take();
    elements.clear();
    let read = read(&mut elements);
    // `drain` knows its length, so the slice is allocated once, exactly.
    let list = read.map(|()| elements.drain(..).collect());
    elements.clear();
    // A vector grown for a very long list is let go rather than held by
    // the thread for good.
    if elements.capacity() <= KEPT_ELEMENTS {
        ELEMENTS.set(elements);
    }
    list
}

/// The most elements the vector kept for reading lists may hold.
const KEPT_ELEMENTS: usize = 1024;

/// The elements of a list of records, its `[` taken; two with one id give
/// up.
fn read_records(
    cx: Cx<'_>,
    scan: &mut Scan<'_>,
    object: &Object,
    elements: &mut Vec<Element>,
) -> Option<()> {
    scan.each_item(|scan| {
        elements.push(read_record(cx, scan, object)?);
        Some(())
    })?;
    (!has_repeated_id(elements)).then_some(())
}

/// Whether two elements have one (non-empty) id.
fn has_repeated_id(elements: &[Element]) -> bool {
    let ids = elements
        .iter()
        .filter_map(Element::given_id)
        .filter(|id| !id.is_empty());
    if elements.len() <= 16 {
        // Each against those after it, without gathering them first.
        ids.clone()
            .enumerate()
            .any(|(i, id)| ids.clone().skip(i + 1).any(|other| other == id))
    } else {
        let mut seen = std::collections::HashSet::with_capacity(elements.len());
        ids.into_iter().any(|id| !seen.insert(id))
    }
}

/// One element of a list of records: an object, read into slots of its own.
fn read_record(cx: Cx<'_>, scan: &mut Scan<'_>, object: &Object) -> Option<Element> {
    if scan.token()? != b'{' {
        return None;
    }
    let mut frame = Frame::new(object);
    read_object(cx, scan, &object.level, &mut frame)?;
    let fields = frame.finish()?;
    let id = super::record_id(object.id_field, &fields);
    Some(Element::record(id, fields))
}

/// The elements of a list of plain values, its `[` taken: each one's id is
/// its text, as written for a string, the number or `true`/`false`
/// otherwise. A null gives up.
fn read_plain(
    cx: Cx<'_>,
    scan: &mut Scan<'_>,
    ty: Type,
    elements: &mut Vec<Element>,
) -> Option<()> {
    scan.each_item(|scan| {
        let (value, id) = match scan.peek_token()? {
            b'"' => {
                scan.at += 1;
                let s = scan.string()?;
                let value = cx.text(ty, s)?;
                let id = match &value {
                    Value::Text(t) => Arc::clone(t),
                    _ => Arc::from(s),
                };
                (value, id)
            }
            b't' => {
                scan.literal(b"true")?;
                (from_bool(ty, true)?, Arc::from("true"))
            }
            b'f' => {
                scan.literal(b"false")?;
                (from_bool(ty, false)?, Arc::from("false"))
            }
            b'-' | b'0'..=b'9' => {
                let (n, text) = scan.whole()?;
                (from_i64(ty, n.as_i64()?)?, Arc::from(text))
            }
            _ => return None,
        };
        elements.push(Element::plain(id, value));
        Some(())
    })
}

/// Stop serde_json reading for [`find_date`]: the message is never shown.
fn give_up<E: de::Error>() -> E {
    E::custom("read through serde_json::Value instead")
}

/// The date at `path` in JSON text, read without building the record: the
/// first value met at that path, if it is a string `YYYY-MM-DD` naming a real
/// day. Reading stops there, so the rest of the text is not looked at (the
/// evaluation that follows reads it all).
pub(crate) fn find_date(text: &str, path: &[String]) -> Option<NaiveDate> {
    let mut found = None;
    let mut de = serde_json::Deserializer::from_str(text);
    // Finding the date stops reading with an error; anything else is no date.
    let _ = FindSeed {
        path,
        found: &mut found,
    }
    .deserialize(&mut de);
    found
}

struct FindSeed<'a> {
    /// The rest of the path, from this value.
    path: &'a [String],
    found: &'a mut Option<NaiveDate>,
}

impl<'de> DeserializeSeed<'de> for FindSeed<'_> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for FindSeed<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object holding a date")
    }

    fn visit_str<E: de::Error>(self, s: &str) -> Result<(), E> {
        if self.path.is_empty() {
            *self.found = parse_date(s);
        }
        // Found or not, there is no need to read on.
        Err(give_up())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let Some((step, rest)) = self.path.split_first() else {
            return Err(give_up());
        };
        while let Some(key) = map.next_key_seed(KeyIs(step))? {
            if key {
                return map.next_value_seed(FindSeed {
                    path: rest,
                    found: self.found,
                });
            }
            map.next_value::<IgnoredAny>()?;
        }
        Ok(())
    }
}

/// Whether a key is the one looked for, without copying it.
struct KeyIs<'a>(&'a str);

impl<'de> DeserializeSeed<'de> for KeyIs<'_> {
    type Value = bool;

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<bool, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeyIs<'_> {
    type Value = bool;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a key")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<bool, E> {
        Ok(key == self.0)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::indexing_slicing, reason = "tests")]
    use super::{key_order, same_key, Scan};

    /// Eight bytes at a time, the plain bytes of a string are counted as
    /// one at a time counts them: for every byte that ends them, and bytes
    /// either side of each class, at every place in texts of every length.
    #[test]
    fn plain_runs_are_counted_eight_bytes_at_a_time_as_one_at_a_time() {
        let ends = ["\"", "\\", "\u{0}", "\u{1f}", "\n"];
        let plain = [
            "a",
            " ",
            "!",
            "#",
            "[",
            "]",
            "\u{7f}",
            "\u{e9}",
            "\u{1f600}",
        ];
        for len in 0..40 {
            for at in 0..=len {
                for end in ends.iter().chain(&plain) {
                    for fill in plain {
                        let mut text: String = fill.repeat(len);
                        let cut = text.char_indices().nth(at).map_or(text.len(), |(i, _)| i);
                        text.insert_str(cut, end);
                        for from in [0, 1, 3] {
                            if !text.is_char_boundary(from) || from > text.len() {
                                continue;
                            }
                            let naive = text.as_bytes()[from..]
                                .iter()
                                .position(|&b| b == b'"' || b == b'\\' || b < 0x20)
                                .unwrap_or(text.len() - from);
                            let scan = Scan::new(&text);
                            assert_eq!(scan.plain_run(from), naive, "{text:?} from {from}");
                        }
                    }
                }
            }
        }
    }

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
