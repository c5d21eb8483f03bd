//! The leads of one evidence field, read once per ruleset for the values
//! its fields have when a record leaves them out ([`AtRest`]).
//!
//! Most of a ruleset's leads (`Model::leads`) test one evidence field, and
//! most fields are left out of most records: a field left out holds the
//! same value in every record (its default, none, or an absent list), so
//! such a lead comes to the same thing in each. A record read in one pass
//! says which slots its text wrote (`evidence::Written`); every other slot
//! holds the reader's default. So the leads of one field are read here once,
//! against the defaults, and for a record only those of the fields it gave
//! are read again. Measured with callgrind, reading every lead for every
//! record was an eighth of evaluating one.

use super::expr::tested;
use crate::evidence::Written;
use crate::model::{FieldId, Lead, LeadTest, Model};
use crate::value::{Tri, Value};

/// What the leads of one field come to on a record that leaves every field
/// out, for a reader's defaults: see the module's documentation.
#[derive(Debug, Clone)]
pub(crate) struct AtRest {
    /// The reader whose defaults these are (`evidence::Reader::stamp`).
    reader: u64,
    /// The steps the leads of one field pass by on the defaults, one bit
    /// each (as `Run::passed` holds them).
    passed: Box<[u64]>,
    /// By slot (a field's index), the leads (indexes into `Model::leads`)
    /// that read it alone.
    by_slot: Box<[Box<[u32]>]>,
    /// The leads that read more than one field, read for every record.
    others: Box<[u32]>,
}

/// The field a lead reads alone, if it reads just one.
fn field_of(test: &LeadTest) -> Option<FieldId> {
    match *test {
        LeadTest::FieldFalse(f, _) | LeadTest::Empty(f) => Some(f),
        LeadTest::False(_) => None,
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
        for (i, lead) in model.leads.iter().enumerate() {
            let Ok(i) = u32::try_from(i) else { continue };
            match field_of(&lead.test).filter(|f| f.index() < defaults.len()) {
                Some(f) => {
                    if let Some(leads) = by_slot.get_mut(f.index()) {
                        leads.push(i);
                    }
                    if field_passes(&lead.test, defaults.get(f.index())) {
                        mark(&mut passed, lead, true);
                    }
                }
                None => others.push(i),
            }
        }
        AtRest {
            reader,
            passed: passed.into(),
            by_slot: by_slot.into_iter().map(Vec::into_boxed_slice).collect(),
            others: others.into(),
        }
    }

    /// Whether a record whose text wrote `written` holds this reader's
    /// defaults in every other slot: whether that reader read it.
    pub(super) fn holds(&self, written: &Written) -> bool {
        written.reader() == self.reader
    }

    /// The steps the leads of one field pass by on the defaults, one bit
    /// each.
    pub(super) fn passed(&self) -> &[u64] {
        &self.passed
    }

    /// The leads that read the slot `slot` alone.
    pub(super) fn of_slot(&self, slot: usize) -> &[u32] {
        self.by_slot.get(slot).map_or(&[], |l| &l[..])
    }

    /// The leads read for every record.
    pub(super) fn others(&self) -> &[u32] {
        &self.others
    }
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
