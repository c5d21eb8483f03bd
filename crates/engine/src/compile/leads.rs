//! Leads (`Model::leads`, `judgement_leads`): the tests that pass whole
//! groups of rules by for a record, read once instead of once a rule, and
//! the steps each passes by as bits.

use super::guards::pure;
use crate::ids::Table;
use crate::model::{
    tree_len, Arith, Cond, ExprId, FieldId, Guard, Guards, JudgementId, Lead, LeadTest, Model,
    Node, Place, RuleDef, RuleId, Step,
};
use crate::types::Type;
use crate::value::{Tri, Value};
use judgement_syntax::ast::CalendarOp;
use std::collections::HashMap;

/// What passes rules by for a record, each with the steps of the rules it
/// leads: see `Model::leads`. A rule with `for each` is led by its list
/// when that is an evidence field. Its condition's first part (that does
/// not read the element) leads it only when its list is a sequence of
/// months that cannot fail to be made ([`sequence_cannot_fail`]): the list
/// is made first, and making another list may fail.
///
/// A lead of one rule is kept too, even one that is read for every record
/// (one that reads a let, which is then worked out for every record).
/// Without those, callgrind counted 1.3% more instructions in evaluating
/// the children's homes corpus: the rules they passed by were read instead.
pub(super) fn leads(m: &Model) -> Box<[Lead]> {
    let mut leads = Gathered::default();
    for (i, r, rule, guards) in rule_steps(m) {
        if let Some(fe) = &rule.for_each {
            if let Some(&Node::Field(f)) = m.exprs.get(fe.list) {
                leads.add((), LeadTest::Empty(f), i);
            } else if sequence_cannot_fail(m, fe.list) {
                // Its first part that does not read the element, false,
                // makes the rule false for every element; the list, which
                // would be made first, cannot fail, so need not be made.
                let mut first = Vec::new();
                let guard = m.loop_guards.get(r).and_then(|g| g.first()).copied();
                if guard.is_some_and(|g| pure(m, g, &mut first)) {
                    if let Some(test) = lead_of(&first) {
                        leads.add((), test, i);
                    }
                }
            }
            continue;
        }
        if let Some(test) = lead_among(m, &guards.program) {
            leads.add((), test, i);
        }
    }
    leads.into_leads().map(|((), lead)| lead).collect()
}

/// What passes rules by once a judgement is made: see
/// `Model::judgement_leads`. A rule without `for each` is led so by the
/// first part of its guards that reads a judgement (and otherwise only
/// what a lead may read), keyed by the last of its judgements to be made;
/// checks are not led. A judgement's lead of one rule saves little where
/// it is false and reads its part twice where it is not, but leaving those
/// out counted only 0.9% fewer instructions on the same corpus, less than
/// a timed run can tell apart, so every rule such a part can lead is led.
pub(super) fn judgement_leads(m: &Model) -> Table<JudgementId, Box<[Lead]>> {
    // Where each judgement is made.
    let mut made = vec![0usize; m.judgements.len()];
    for (i, step) in m.steps.iter().enumerate() {
        if let Step::Judgement(j) = step {
            if let Some(at) = made.get_mut(j.index()) {
                *at = i;
            }
        }
    }
    let mut leads = Gathered::default();
    for (i, _, rule, guards) in rule_steps(m) {
        if rule.for_each.is_some() {
            continue;
        }
        if let Some((j, test)) = judged_part(&guards.program, &made) {
            leads.add(j, test, i);
        }
    }
    let mut after: Vec<Vec<Lead>> = vec![Vec::new(); m.judgements.len()];
    for (j, lead) in leads.into_leads() {
        if let Some(list) = after.get_mut(j.index()) {
            list.push(lead);
        }
    }
    after.into_iter().map(Vec::into_boxed_slice).collect()
}

/// Each rule's step (checks have none: `compile`), with its index (as
/// leads keep it), the rule and its guards.
fn rule_steps(m: &Model) -> impl Iterator<Item = (u32, RuleId, &RuleDef, &Guards)> {
    m.steps.iter().enumerate().filter_map(|(i, step)| {
        let r = step.rule()?;
        let (rule, guards) = (m.rules.get(r)?, m.guards.get(r)?);
        Some((u32::try_from(i).ok()?, r, rule, guards))
    })
}

/// Leads as they are gathered: each test once (per key), found by hashing,
/// since a file may hold thousands of rules, with the steps it leads.
struct Gathered<K> {
    leads: Vec<(K, LeadTest, Vec<u32>)>,
    seen: HashMap<(K, LeadTest), usize>,
}

impl<K> Default for Gathered<K> {
    fn default() -> Self {
        Gathered {
            leads: Vec::new(),
            seen: HashMap::new(),
        }
    }
}

impl<K: Copy + Eq + std::hash::Hash> Gathered<K> {
    /// `test`, under `key`, leads the rule at `step` (steps come in rising
    /// order).
    fn add(&mut self, key: K, test: LeadTest, step: u32) {
        match self.seen.get(&(key, test.clone())) {
            Some(&at) => {
                if let Some((_, _, steps)) = self.leads.get_mut(at) {
                    steps.push(step);
                }
            }
            None => {
                self.seen.insert((key, test.clone()), self.leads.len());
                self.leads.push((key, test, vec![step]));
            }
        }
    }

    /// The leads, with their keys, in the order first gathered.
    fn into_leads(self) -> impl Iterator<Item = (K, Lead)> {
        self.leads.into_iter().map(|(key, test, steps)| {
            let steps = step_words(&steps);
            (key, Lead { test, steps })
        })
    }
}

/// The top-level parts of a guards program, each one tree.
fn parts(program: &[Cond]) -> impl Iterator<Item = &[Cond]> {
    let mut at = 0;
    std::iter::from_fn(move || {
        let len = tree_len(program, at).max(1);
        let part = program.get(at..at + len)?;
        at += len;
        Some(part)
    })
}

/// The places a part of a guards program reads.
fn places(part: &[Cond]) -> impl Iterator<Item = Place> + '_ {
    part.iter().flat_map(Cond::places)
}

/// The first part of a guards program that reads a judgement (made before
/// the rule) and otherwise only what stays the same through a record's
/// rules, with the last of its judgements to be made (`made`: the step of
/// each). Measured over the bench corpus, a second lead that reads no
/// judgement, read as each record starts, cost more than the rules it
/// passed by: a lead already leads most rules it could.
fn judged_part(program: &[Cond], made: &[usize]) -> Option<(JudgementId, LeadTest)> {
    for part in parts(program) {
        let mut last: Option<JudgementId> = None;
        let mut element = false;
        for place in places(part) {
            match place {
                Place::Judgement(j) => {
                    let at = |j: JudgementId| made.get(j.index()).copied().unwrap_or(0);
                    if last.is_none_or(|l| at(j) > at(l)) {
                        last = Some(j);
                    }
                }
                Place::Element { .. } => element = true,
                Place::Field(_) | Place::Let(_) | Place::Const(_) | Place::Threshold(_) => {}
            }
        }
        if let (false, Some(j)) = (element, last) {
            return Some((j, LeadTest::False(part.into())));
        }
    }
    None
}

/// The lead of a rule without `for each`, from the parts of its guards
/// program (`Model::guards`): every one of them reads only values in place
/// and cannot fail, so any one false makes the rule false, whatever the
/// parts before it read (a provisional judgement included: doubt over a
/// rule is its condition read with such judgements unknown, and a false
/// part still makes that false). So the lead may be any part that
/// [`lead_of`] takes, not only the first. Taken: the first test of one
/// field a record may leave out that is false where it does (most
/// records leave most fields out, so such a lead passes its rules by for
/// most records, and for them the ruleset reads it once: `eval::AtRest`);
/// else the first part that makes a lead at all.
fn lead_among(m: &Model, program: &[Cond]) -> Option<LeadTest> {
    let mut first = None;
    for part in parts(program) {
        let Some(test) = lead_of(part) else { continue };
        if let LeadTest::FieldFalse(f, t) = test {
            // A field every record must give is never left out.
            let absence = &m.fields.get(f)?.absence;
            let at_rest = Some(absence.value_left_out()).filter(|_| absence.is_optional());
            if at_rest.and_then(|v| crate::eval::tested(&v, t)) == Some(Tri::False) {
                return Some(test);
            }
        }
        first.get_or_insert(test);
    }
    first
}

/// The lead a rule's part makes, given as one tree of a guards
/// program: a test of one evidence field, or any part that reads only what
/// stays the same through a record's rules (evidence fields, lets,
/// constants, thresholds). `None` for a part that reads a judgement or an
/// element, or for no part.
fn lead_of(first: &[Cond]) -> Option<LeadTest> {
    let steady = |p: Place| {
        matches!(
            p,
            Place::Field(_) | Place::Let(_) | Place::Const(_) | Place::Threshold(_)
        )
    };
    let reads_steady = places(first).all(steady);
    match first {
        [Cond::Test(Guard {
            place: Place::Field(f),
            test,
        })] => Some(LeadTest::FieldFalse(*f, *test)),
        [_, ..] if reads_steady => Some(LeadTest::False(first.into())),
        _ => None,
    }
}

/// The most months an end of a sequence may be moved from its date for
/// [`sequence_cannot_fail`]: a thousand years.
const MOST_MONTHS_MOVED: i64 = 12_000;

/// Whether the list `e` is `months from A to B` (or `years`) that cannot
/// fail to be made: its two ends the same evidence date (or the first day
/// of its month), each moved by a constant of at most a thousand years.
/// Evidence dates have four-digit years, so neither end can leave the
/// dates there are, and the two ends are a bounded span apart, so the
/// list cannot be too long; an end that is none or unknown makes the list
/// empty or unknown, which is no failure either. Such a list need not be
/// made for a rule over it that its first part passes by.
fn sequence_cannot_fail(m: &Model, e: ExprId) -> bool {
    let Some(&Node::Sequence { months, from, to }) = m.exprs.get(e) else {
        return false;
    };
    match (moved_date(m, from), moved_date(m, to)) {
        (Some(a), Some(b)) => months >= 1 && a == b,
        _ => false,
    }
}

/// The evidence date field that `e` moves: `e` is the field or the first
/// day of its month, alone or plus or minus a constant number of months of
/// at most [`MOST_MONTHS_MOVED`].
fn moved_date(m: &Model, e: ExprId) -> Option<FieldId> {
    let base = match m.exprs.get(e)? {
        Node::Arith(Arith::DateAddMonths | Arith::DateSubMonths, base, by) => {
            let moved = match m.exprs.get(*by)? {
                Node::Const(v) => v,
                Node::Threshold(t) => &m.thresholds.get(*t)?.value,
                _ => return None,
            };
            match moved {
                Value::Months(n) if (-MOST_MONTHS_MOVED..=MOST_MONTHS_MOVED).contains(n) => *base,
                _ => return None,
            }
        }
        _ => e,
    };
    let field = match m.exprs.get(base)? {
        Node::Calendar(CalendarOp::StartOfMonth, x) => m.exprs.get(*x)?,
        node => node,
    };
    match field {
        Node::Field(f) if m.fields.get(*f)?.ty == Type::Date => Some(*f),
        _ => None,
    }
}

/// Steps as bits, a word of 64 at a time ([`Lead::steps`]): `steps` rise,
/// as the loop over the steps that gathers them gives them.
pub(crate) fn step_words(steps: &[u32]) -> Box<[(u32, u64)]> {
    let mut words: Vec<(u32, u64)> = Vec::new();
    for &step in steps {
        let (word, bit) = (step / 64, 1u64 << (step % 64));
        match words.last_mut() {
            Some((w, bits)) if *w == word => *bits |= bit,
            _ => words.push((word, bit)),
        }
    }
    words.into()
}

/// The condition programs of every lead and judgement lead: what they read
/// beyond a single field.
pub(super) fn lead_programs(m: &Model) -> impl Iterator<Item = &[Cond]> {
    m.leads
        .iter()
        .chain(m.judgement_leads.iter().flat_map(|leads| leads.iter()))
        .filter_map(|lead| match &lead.test {
            LeadTest::False(program) => Some(&program[..]),
            LeadTest::FieldFalse(..) | LeadTest::Empty(_) => None,
        })
}
