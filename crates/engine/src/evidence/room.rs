//! What the one-pass reader (`stream.rs`) keeps on each thread from one
//! record to the next, so that reading record after record allocates
//! nothing anew: the last record's slots and id ([`Room`], given back by
//! [`give_back`] once the record is evaluated), and the last reader's
//! guesses of which key follows which ([`Guesses`]). (The vector a list's
//! elements are gathered in, also kept per thread, is beside the reading of
//! lists in `stream.rs`.)

use super::stream::Written;
use super::tree::Reader;
use super::Evidence;
use crate::value::Value;
use std::cell::Cell;

/// The slots and id of the last record read on this thread, given back
/// emptied once it is evaluated ([`give_back`]): the next record is read
/// into them, so that reading record after record allocates neither anew.
#[derive(Default)]
pub(super) struct Room {
    pub(super) slots: Vec<Value>,
    pub(super) id: Option<String>,
    /// When the slots were read by the reader `clean_for` and are as it
    /// leaves them before reading, but for these, which hold `None`.
    pub(super) written: Vec<usize>,
    pub(super) clean_for: Option<u64>,
}

/// The guesses of the last reader to read on this thread
/// ([`Level::guesses`]): which key follows which, at each level.
///
/// [`Level::guesses`]: super::tree::Level::guesses
pub(super) struct Guesses {
    reader: u64,
    pub(super) next: Vec<usize>,
}

thread_local! {
    static GUESSES: Cell<Guesses> = const { Cell::new(Guesses::empty()) };
}

impl Guesses {
    /// This thread's guesses for `reader`: those it left, or fresh ones,
    /// which are all wrong, where another reader was here last.
    pub(super) fn take(reader: &Reader) -> Guesses {
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

    pub(super) fn put_back(self) {
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
    pub(super) fn take() -> Room {
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
