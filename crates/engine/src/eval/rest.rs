//! The leads that read only evidence fields, read once per ruleset for the
//! values those fields have when a record leaves them out ([`AtRest`]).
//!
//! Most of a ruleset's leads (`Model::leads`) test one evidence field, or
//! compare two, and most fields are left out of most records: a field left
//! out holds the same value in every record (its default, none, or an
//! absent list), so such a lead comes to the same thing in each. A record
//! read in one pass says which slots its text wrote (`evidence::Written`);
//! every other slot holds the reader's default. So the leads that read
//! only fields (and constants and thresholds) are read here once, against
//! the defaults ([`Defaults`], through the same [`cond`] a record's leads
//! are read with), and for a record only those that read a field it gave
//! are read again. Measured with callgrind, reading every lead for every
//! record was an eighth of evaluating one; on the children's homes corpus,
//! reading again for every record the leads that compare two fields (or
//! test either of two) was 3% of what was left.

use super::program::{cond, fixed, guarded, tested, Places};
use crate::evidence::Written;
use crate::model::{Cond, FieldId, Guard, Guards, Lead, LeadTest, Model, Node, Place};
use crate::value::{Tri, Value};
use std::borrow::Cow;

/// What the leads that read only evidence fields come to on a record that
/// leaves every field out, for a reader's defaults: see the module's
/// documentation.
#[derive(Debug, Clone)]
pub(crate) struct AtRest {
    /// The reader whose defaults these are (`evidence::Reader::stamp`).
    reader: u64,
    /// The steps the leads that read only fields pass by on the defaults, one bit
    /// each (as `Run::passed` holds them).
    passed: Box<[u64]>,
    /// By slot (a field's index), the leads (indexes into `Model::leads`)
    /// that read it and no value but other fields, constants and
    /// thresholds. A lead of two fields is listed under each.
    by_slot: Box<[Box<[u32]>]>,
    /// The leads that read a let, read for every record.
    others: Box<[u32]>,
    /// The `invalid` checks (by position in `Model::checks`, one bit each)
    /// that do not hold on the defaults, as their guards read them: each
    /// reads only fields, and a record that gives none of them cannot break
    /// it ([`AtRest::quiet_checks`]).
    checks_quiet: Box<[u64]>,
    /// By slot, the checks of `checks_quiet` that read it, to be asked
    /// again for a record that gives it.
    checks_by_slot: BySlot,
}

/// The evidence fields a lead reads, if it reads nothing else (but
/// constants and thresholds, which are the same for every record), each
/// once.
fn fields_of(test: &LeadTest) -> Option<Vec<FieldId>> {
    let program = match test {
        LeadTest::FieldFalse(f, _) | LeadTest::Empty(f) => return Some(vec![*f]),
        LeadTest::False(program) => program,
    };
    program_fields(program)
}

/// The values of a record that leaves every field out: its slots as the
/// reader fills them before reading, and the ruleset's constants and
/// thresholds; read as `Run` reads them.
struct Defaults<'a> {
    model: &'a Model,
    slots: &'a [Value],
}

impl Defaults<'_> {
    /// Whether a check's guards say it does not hold on these values, as
    /// `Run::guarded` reads them on a record that holds them (the same
    /// reading): one of its parts is false.
    fn check_false(&self, guards: &Guards) -> bool {
        guarded(self, guards) == Some(Tri::False)
    }

    fn held(&self, place: Place) -> Option<&Value> {
        match place {
            Place::Field(f) => self.slots.get(f.index()),
            place => fixed(self.model, place),
        }
    }

    /// Whether `lead` passes its rules by on these values, as
    /// `Run::passes` reads it on a record that holds them.
    fn passes(&self, lead: &Lead) -> bool {
        match &lead.test {
            LeadTest::False(program) => cond(self, program, 0).map(|(t, _)| t) == Some(Tri::False),
            test @ (LeadTest::FieldFalse(f, _) | LeadTest::Empty(f)) => {
                field_passes(test, self.slots.get(f.index()))
            }
        }
    }
}

impl Places for Defaults<'_> {
    fn guard(&self, guard: &Guard) -> Option<Tri> {
        tested(self.held(guard.place)?, guard.test)
    }

    fn read(&self, place: Place) -> Option<Cow<'_, Value>> {
        self.held(place).map(Cow::Borrowed)
    }

    /// Not worked out on the defaults: there a lead that moves a date
    /// passes nothing by, and it is read again for a record that writes
    /// its fields.
    fn moved(&self, _: Place, _: u16) -> Option<Value> {
        None
    }
}

/// Whether a lead of one field passes its rules by when the field holds
/// `value` (`None`: a slot the record does not have). The same reading as
/// `Run::passes` gives it.
#[inline]
pub(super) fn field_passes(test: &LeadTest, value: Option<&Value>) -> bool {
    match *test {
        LeadTest::FieldFalse(_, t) => value.and_then(|v| tested(v, t)) == Some(Tri::False),
        LeadTest::Empty(_) => match value {
            Some(Value::List(items)) => items.is_empty(),
            Some(Value::None | Value::Unknown) => true,
            _ => false,
        },
        LeadTest::False(_) => false,
    }
}

/// Set (`on`) or clear a lead's steps in `passed`.
#[inline]
pub(super) fn mark(passed: &mut [u64], lead: &Lead, on: bool) {
    for &(word, bits) in &lead.steps {
        if let Some(w) = passed.get_mut(word as usize) {
            if on {
                *w |= bits;
            } else {
                *w &= !bits;
            }
        }
    }
}

impl AtRest {
    /// The leads of `model` read against `defaults`, the slots of a record
    /// read by the reader numbered `reader` before anything is written.
    pub(crate) fn new(model: &Model, reader: u64, defaults: &[Value]) -> AtRest {
        let mut passed = vec![0u64; model.steps.len().div_ceil(64)];
        let mut by_slot: Vec<Vec<u32>> = vec![Vec::new(); defaults.len()];
        let mut others = Vec::new();
        let at_rest = Defaults {
            model,
            slots: defaults,
        };
        for (i, lead) in model.leads.iter().enumerate() {
            let Ok(i) = u32::try_from(i) else { continue };
            let fields = fields_of(&lead.test)
                .filter(|fields| fields.iter().all(|f| f.index() < defaults.len()));
            match fields {
                // Read again for a record that gives any of them.
                Some(fields) => {
                    for f in fields {
                        if let Some(leads) = by_slot.get_mut(f.index()) {
                            leads.push(i);
                        }
                    }
                    if at_rest.passes(lead) {
                        mark(&mut passed, lead, true);
                    }
                }
                None => others.push(i),
            }
        }
        let (checks_quiet, checks_by_slot) = quiet_checks(model, &at_rest);
        AtRest {
            reader,
            passed: passed.into(),
            by_slot: by_slot.into_iter().map(Vec::into_boxed_slice).collect(),
            others: others.into(),
            checks_quiet,
            checks_by_slot,
        }
    }

    /// The `invalid` checks a record whose text wrote `written` cannot
    /// break, one bit each by position in `Model::checks`, in `quiet`
    /// (overwritten): those that do not hold on the defaults and read no
    /// slot the record wrote. All clear where `quiet` has too few words
    /// for the ruleset's checks: the caller then asks every check, as it
    /// does for a record not read in one pass.
    pub(super) fn quiet_checks(&self, written: &Written, quiet: &mut [u64]) {
        quiet.fill(0);
        let Some(words) = quiet.get_mut(..self.checks_quiet.len()) else {
            return;
        };
        words.copy_from_slice(&self.checks_quiet);
        for &slot in written.slots() {
            for &i in self.checks_by_slot.get(slot).map_or(&[][..], |c| &c[..]) {
                if let Some(w) = quiet.get_mut(i as usize / 64) {
                    *w &= !(1u64 << (i % 64));
                }
            }
        }
    }

    /// Whether a record whose text wrote `written` holds this reader's
    /// defaults in every other slot: whether that reader read it.
    pub(super) fn holds(&self, written: &Written) -> bool {
        written.reader() == self.reader
    }

    /// The steps the leads that read only fields pass by on the defaults,
    /// one bit each.
    pub(super) fn passed(&self) -> &[u64] {
        &self.passed
    }

    /// The leads that read the slot `slot` and no value a record's
    /// evaluation makes (a let).
    pub(super) fn of_slot(&self, slot: usize) -> &[u32] {
        self.by_slot.get(slot).map_or(&[], |l| &l[..])
    }

    /// The leads read for every record.
    pub(super) fn others(&self) -> &[u32] {
        &self.others
    }
}

/// The checks that do not hold on the defaults and read only fields, one
/// bit each by position in `Model::checks`, and by slot those that read it.
/// A check with no `for each` is one whose guards (`Model::guards`) read only
/// fields, constants and thresholds, and have a part false on the defaults:
/// `Run::checks` then finds it false without walking its condition, and
/// does so for any record that gives none of those fields. One over an
/// evidence list is one whose list is a field, empty or absent on the
/// defaults: `Run::checks` passes it by for a record that does not give
/// the list.
fn quiet_checks(model: &Model, at_rest: &Defaults<'_>) -> (Box<[u64]>, BySlot) {
    let mut quiet = vec![0u64; model.checks.len().div_ceil(64)];
    let mut by_slot: Vec<Vec<u32>> = vec![Vec::new(); at_rest.slots.len()];
    for (i, &r) in model.checks.iter().enumerate() {
        let Ok(i) = u32::try_from(i) else { continue };
        let Some(rule) = model.rules.get(r) else {
            continue;
        };
        let fields = match &rule.for_each {
            Some(fe) => match model.exprs.get(fe.list) {
                Some(Node::Field(f)) if empty_in_place(at_rest.slots.get(f.index())) => {
                    vec![*f]
                }
                _ => continue,
            },
            None => {
                let Some(guards) = model.guards.get(r) else {
                    continue;
                };
                let Some(fields) = program_fields(&guards.program) else {
                    continue;
                };
                if !at_rest.check_false(guards) {
                    continue;
                }
                fields
            }
        };
        if fields.iter().any(|f| f.index() >= at_rest.slots.len()) {
            continue;
        }
        for f in fields {
            if let Some(checks) = by_slot.get_mut(f.index()) {
                checks.push(i);
            }
        }
        if let Some(w) = quiet.get_mut(i as usize / 64) {
            *w |= 1u64 << (i % 64);
        }
    }
    (
        quiet.into(),
        by_slot.into_iter().map(Vec::into_boxed_slice).collect(),
    )
}

/// By slot (a field's index), indexes of what reads it.
type BySlot = Box<[Box<[u32]>]>;

/// Whether a list's value has no elements, as `Run::empty_in_place` reads
/// it: an empty list, or none (an unknown list is not).
fn empty_in_place(value: Option<&Value>) -> bool {
    match value {
        Some(Value::List(items)) => items.is_empty(),
        Some(Value::None) => true,
        _ => false,
    }
}

/// The evidence fields a program of conditions reads, if it reads nothing
/// else but constants and thresholds, each once.
fn program_fields(program: &[Cond]) -> Option<Vec<FieldId>> {
    let mut fields = Vec::new();
    for node in program {
        for place in node.places() {
            match place {
                Place::Field(f) if !fields.contains(&f) => fields.push(f),
                Place::Field(_) | Place::Const(_) | Place::Threshold(_) => {}
                Place::Let(_) | Place::Element { .. } | Place::Judgement(_) => return None,
            }
        }
    }
    Some(fields)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing, reason = "tests")]
    use crate::Editions;
    use std::path::Path;

    /// `Run::passed` clears a lead's steps when a record gives its field
    /// and the lead does not pass them by: right only if no other lead
    /// has those steps too.
    #[test]
    fn no_step_of_a_shipped_ruleset_has_two_leads() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../rulesets");
        let (mut leads, mut rulesets) = (0, 0);
        for entry in std::fs::read_dir(&root).unwrap() {
            let dir = entry.unwrap().path();
            let name = dir.file_name().unwrap().to_string_lossy().into_owned();
            // Beside the rulesets: their calendars and shared definitions.
            if !dir.is_dir() || name == "calendars" || name == "definitions" {
                continue;
            }
            rulesets += 1;
            for ruleset in Editions::load(&dir).unwrap().editions() {
                let model = ruleset.model();
                let mut seen = vec![0u64; model.steps.len().div_ceil(64)];
                for lead in &model.leads {
                    for &(word, bits) in &lead.steps {
                        let w = &mut seen[word as usize];
                        assert_eq!(*w & bits, 0, "{name}: a step with two leads");
                        *w |= bits;
                    }
                    leads += 1;
                }
                assert!(ruleset.at_rest().is_some(), "{name}: not read in one pass");
            }
        }
        assert!(
            rulesets >= 5 && leads > 50,
            "{rulesets} rulesets, {leads} leads"
        );
    }
}
