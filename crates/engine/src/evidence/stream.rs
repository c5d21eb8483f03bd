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
//!
//! The reading is here; the declared field tree it walks is in `tree.rs`,
//! the scanner in `scan.rs`, and what it keeps on each thread from one
//! record to the next in `room.rs`.

use super::room::{Guesses, Room};
use super::scan::Scan;
use super::tree::{same_key, Entry, Level, Object, Reader};
use super::{parse_date, parse_datetime, parse_time, Evidence};
use crate::model::Model;
use crate::types::{Elem, Type};
use crate::value::{Element, Value};
use std::cell::Cell;
use std::sync::Arc;

/// Which slots of a record the one-pass reader wrote, and which reader it
/// was ([`Reader::stamp`]): every other slot holds the value an absent
/// field has.
#[derive(Debug, Clone, Default)]
pub(crate) struct Written {
    pub(super) reader: u64,
    pub(super) slots: Vec<usize>,
}

impl Written {
    /// The slots written, in the order they were.
    pub(crate) fn slots(&self) -> &[usize] {
        &self.slots
    }

    /// The reader that wrote them ([`Reader::stamp`]).
    pub(crate) fn reader(&self) -> u64 {
        self.reader
    }
}

impl Reader {
    /// Read a record; none when it is not a plainly good record (see the
    /// module's documentation): `super::read` then says what is wrong.
    pub(crate) fn read(&self, model: &Model, text: &str) -> Option<Evidence> {
        // A byte-order mark before the JSON is passed over, as `parse_json`
        // passes it over (RFC 8259 lets a reader ignore it).
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
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

/// The slots of one object being read.
pub(super) struct Frame {
    pub(super) slots: Vec<Value>,
    /// Required fields not given yet.
    missing: usize,
    id: Option<String>,
    /// Room for the id: the last record's, emptied (the root only).
    id_room: Option<String>,
    /// The slots written so far (the root only).
    written: Option<Vec<usize>>,
}

impl Frame {
    /// A frame of its own slots: exactly as many as the object has, so
    /// that the element made of them is not copied into a smaller
    /// allocation (`reserve` on an empty vector takes room for four).
    pub(super) fn new(object: &Object) -> Frame {
        Frame::new_in(object, Vec::with_capacity(object.slots))
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
pub(super) struct Cx<'r> {
    pub(super) reader: &'r Reader,
    pub(super) model: &'r Model,
    /// This thread's guesses ([`Level::guesses`]).
    ///
    /// [`Level::guesses`]: super::tree::Level::guesses
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
