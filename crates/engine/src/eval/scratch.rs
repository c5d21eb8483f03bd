//! The buffers an evaluation borrows: the lets' values, the judgements'
//! states and the steps passed by, lent from one record to the next on a
//! thread; and the binder slots of `for each`.

use super::*;

/// The buffers an evaluation on a thread lends the next one there: the
/// lets' values and the judgements' states (with the vectors inside them),
/// emptied between records, so that a record allocates none of them anew.
/// An evaluation that fails does not give them back; the next one starts
/// afresh.
#[derive(Default)]
pub(super) struct Scratch {
    pub(super) lets: Vec<Option<Value>>,
    pub(super) judgements: Vec<JudgementState>,
    /// The steps passed by, one bit each (`Run::passed`).
    pub(super) passed: Vec<u64>,
}

thread_local! {
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::default();
}

impl Scratch {
    /// This thread's buffers: no lets yet, and `judgements` states as new.
    pub(super) fn take(judgements: usize) -> Scratch {
        let mut scratch = SCRATCH
            .try_with(|s| s.try_borrow_mut().map(|mut s| std::mem::take(&mut *s)))
            .ok()
            .and_then(Result::ok)
            .unwrap_or_default();
        // Given back empty and reset; only their number may differ.
        scratch.judgements.truncate(judgements);
        scratch
            .judgements
            .resize_with(judgements, JudgementState::default);
        scratch
    }

    /// Keep the buffers for the next evaluation on this thread, their
    /// values dropped (nothing of one record outlives it).
    pub(super) fn give_back(
        mut lets: Vec<Option<Value>>,
        mut judgements: Vec<JudgementState>,
        passed: Vec<u64>,
    ) {
        lets.clear();
        for state in &mut judgements {
            state.reset();
        }
        let _ = SCRATCH.try_with(|s| {
            if let Ok(mut s) = s.try_borrow_mut() {
                *s = Scratch {
                    lets,
                    judgements,
                    passed,
                };
            }
        });
    }
}

impl JudgementState {
    /// As new, keeping the room its vectors have.
    fn reset(&mut self) {
        self.constraints.clear();
        self.pending.clear();
        self.withheld_by = None;
        self.maybe_withheld = None;
        self.withheld_for_certain = false;
        self.value = None;
        self.doubt = None;
    }
}

/// The element a binder slot is on: its list and index.
pub(super) type Binding = Option<(Arc<[Element]>, usize)>;

/// The binder slots: the first few in place, so that a record whose rules
/// nest `for each` no deeper than that allocates nothing for them.
#[derive(Default)]
pub(super) struct Binders {
    near: [Binding; Binders::NEAR],
    far: Vec<Binding>,
}

impl Binders {
    const NEAR: usize = 4;

    pub(super) fn get(&self, slot: usize) -> Option<&Binding> {
        match slot.checked_sub(Self::NEAR) {
            None => self.near.get(slot),
            Some(i) => self.far.get(i),
        }
    }

    /// Slot `slot`, made if it is not yet.
    pub(super) fn get_mut(&mut self, slot: usize) -> Option<&mut Binding> {
        match slot.checked_sub(Self::NEAR) {
            None => self.near.get_mut(slot),
            Some(i) => {
                if self.far.len() <= i {
                    self.far.resize(i + 1, None);
                }
                self.far.get_mut(i)
            }
        }
    }

    pub(super) fn first(&self) -> Option<&Binding> {
        self.near.first()
    }
}
