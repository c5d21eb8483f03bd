//! An outcome's room, kept for the next record: [`Spare`].
//!
//! An outcome holds a dozen vectors (judgements, details and the
//! constraints in each, actions, deadlines, ...). Evaluating record after
//! record, a caller that is done with one outcome can give it back with
//! [`Outcome::recycle`]; the next evaluation that is lent the same `Spare`
//! fills those vectors again instead of allocating new ones. Nothing of
//! the old outcome's content survives: every vector is emptied, and what
//! the new outcome holds is exactly what a fresh evaluation would give
//! (`crates/engine/tests/reuse.rs` holds the two together on every corpus;
//! `tests/allocations.rs` counts what is left).

use super::{Constraint, JudgementDetail, Outcome, RulesetRef};

/// Emptied outcome vectors to evaluate the next record into; see the
/// module's documentation. `Spare::default()` holds nothing, and an
/// evaluation lent it allocates as a fresh one does.
#[derive(Debug, Default)]
pub struct Spare<'r> {
    /// An outcome with every vector empty (`id` an empty string, where
    /// the last outcome had one).
    outcome: Option<Outcome<'r>>,
    /// Emptied `binding` and `slack` vectors of details.
    constraints: Vec<Vec<Constraint<'r>>>,
}

/// The most emptied constraint vectors kept: a ruleset has a handful of
/// judgements, each with two.
const MOST_CONSTRAINT_VECTORS: usize = 64;

impl<'r> Spare<'r> {
    /// An outcome to fill, with its header and the record's `id`: the one
    /// given back last, emptied (its id copied into the room the last one
    /// had), or a new one.
    pub(crate) fn outcome(&mut self, header: RulesetRef<'r>, id: Option<&str>) -> Outcome<'r> {
        match self.outcome.take() {
            Some(mut o) => {
                o.ruleset = header;
                o.id = id.map(|id| {
                    // `recycle` emptied it.
                    let mut room = o.id.take().unwrap_or_default();
                    room.push_str(id);
                    room
                });
                o
            }
            None => Outcome {
                id: id.map(str::to_string),
                ruleset: header,
                evaluated_on: None,
                judgements: Default::default(),
                details: Default::default(),
                actions: Vec::new(),
                deadlines: Vec::new(),
                findings: Vec::new(),
                advisories: Vec::new(),
                undetermined: Vec::new(),
                warnings: Vec::new(),
                trace: None,
            },
        }
    }

    /// An empty vector for a detail's constraints.
    pub(crate) fn constraints(&mut self) -> Vec<Constraint<'r>> {
        self.constraints.pop().unwrap_or_default()
    }

    fn keep_constraints(&mut self, mut v: Vec<Constraint<'r>>) {
        if v.capacity() > 0 && self.constraints.len() < MOST_CONSTRAINT_VECTORS {
            v.clear();
            self.constraints.push(v);
        }
    }

    /// Keep a detail's vectors (taken out of it: the detail itself is not
    /// moved, being large).
    pub(crate) fn keep_detail(&mut self, detail: &mut JudgementDetail<'r>) {
        self.keep_constraints(std::mem::take(&mut detail.binding));
        self.keep_constraints(std::mem::take(&mut detail.slack));
    }
}

impl<'r> Outcome<'r> {
    /// Give this outcome's room to `spare`, for the next record evaluated
    /// with it (`Ruleset::evaluate_str_reusing`,
    /// `Editions::select_and_evaluate_str_reusing`): the outcome is
    /// emptied and kept, and its vectors are filled again rather than
    /// allocated anew.
    pub fn recycle(mut self, spare: &mut Spare<'r>) {
        if let Some(id) = self.id.as_mut() {
            id.clear();
        }
        self.evaluated_on = None;
        self.judgements.clear();
        for detail in self.details.values_mut() {
            spare.keep_detail(detail);
        }
        self.details.clear();
        self.actions.clear();
        self.deadlines.clear();
        self.findings.clear();
        self.advisories.clear();
        self.undetermined.clear();
        self.warnings.clear();
        self.trace = None;
        spare.outcome = Some(self);
    }
}
