//! Evaluation: the plan's steps run in order over one evidence record.
//! Conditions are three-valued; a judgement is `clamp(proposed, floors, caps)`.
//!
//! `invalid` checks run first and refuse the record. Then each step is a rule
//! (its condition, then its effects) or a judgement (made final from the
//! constraints that fired). A hard rule whose condition is unknown is
//! `undetermined`; a judgement it could change is provisional, and so is
//! whatever a rule gives when its condition turns on a provisional judgement.

// `ok_or(EvalError::..)` builds the error even when nothing is wrong, and
// dropping it was 9% of an evaluation (callgrind): errors are built lazily.
#![allow(
    clippy::unnecessary_lazy_evaluations,
    reason = "errors are built only when they happen"
)]

mod checks;
mod effects;
mod expr;
mod judge;
mod keyed;
mod lets;
mod months;
mod probe;
mod program;
mod reads;
mod rest;
mod rules;
mod scratch;
mod spans;

use crate::calendar::Calendar;
use crate::error::EvalError;
use crate::evidence::{Evidence, EvidenceError};
use crate::model::*;
use crate::outcome::{
    self, Edge, Item, Outcome, Provisional, ReadValue, Relation, RuleResult, TraceStep, WouldGive,
};
use crate::types::{Elem, Type};
use crate::value::{Element, Tri, Value};
use chrono::NaiveDate;
use judgement_syntax::ast::ConstraintOp;
use std::borrow::Cow;
use std::sync::Arc;

pub(crate) use crate::show::{show, show_plain_into};
use expr::tri_value;
pub(crate) use expr::{add_days, compare};
use lets::reads_tainted;
pub(crate) use months::add_months;
use months::Extent;
pub(crate) use probe::{Probe, ProbeScope, Seen, Shape};
pub(crate) use program::tested;
pub(crate) use rest::AtRest;
use scratch::{Binders, Scratch};

/// What evaluation gives inside this module: the error boxed, so that the
/// result of every expression node stays as small as a value (an `EvalError`
/// is 120 bytes, a `Value` 24). Built only when something is wrong.
type Fallible<T> = Result<T, Box<EvalError>>;

/// An error, boxed.
/// Sort `v` and keep one of each value. Most of the vectors sorted for
/// each record hold none or one, which need neither; the calls to `dedup`
/// alone, out of line, were 0.5% of an evaluation's instructions.
#[inline]
fn sort_unique<T: Ord>(v: &mut Vec<T>) {
    if v.len() > 1 {
        v.sort();
        v.dedup();
    }
}

/// The first step from `from` on that `passed` (one bit a step, as
/// `Run::passed` gives them) does not pass by; every step from `from` on
/// when `passed` is empty (a trace or a probe of conditions is asked for).
/// The caller stops at the end of the steps.
#[inline]
fn not_passed(passed: &[u64], from: usize) -> Option<usize> {
    if passed.is_empty() {
        return Some(from);
    }
    let mut word = from / 64;
    // The bits of the steps before `from` taken as passed.
    let mut bits = passed.get(word)? | ((1u64 << (from % 64)) - 1);
    loop {
        if bits != u64::MAX {
            return Some(word * 64 + (!bits).trailing_zeros() as usize);
        }
        word += 1;
        bits = *passed.get(word)?;
    }
}

/// An error, boxed: out of line and cold, so that the paths that make
/// one take no room among the instructions of those that do not.
#[cold]
#[inline(never)]
fn fault(e: EvalError) -> Box<EvalError> {
    Box::new(e)
}

thread_local! {
    /// The nested reads of the question being answered on this thread
    /// ([`Question`]), while one is.
    static QUESTION: std::cell::Cell<Option<u64>> = const { std::cell::Cell::new(None) };
}

/// While one is held, the evaluations on its thread count their nested
/// reads together against the ruleset's most ([`MOST_NESTED_READS`]
/// unless it was given another), each from where the one before it
/// stopped: a why-not question evaluates the record again for each change
/// it checks or tries, and each evaluation of a record near the limit
/// would take about a second on its own. Every evaluation of a question
/// runs on the thread that asks it.
pub(crate) struct Question {
    /// The count of a question this one is asked within, restored after.
    outer: Option<u64>,
}

impl Question {
    /// Start counting one question's reads on this thread.
    pub(crate) fn begin() -> Question {
        Question {
            outer: QUESTION.with(|q| q.replace(Some(0))),
        }
    }

    /// The reads so far of the question being answered on this thread;
    /// 0 where none is, and an evaluation counts its own.
    fn so_far() -> u64 {
        QUESTION.with(std::cell::Cell::get).unwrap_or(0)
    }

    /// An evaluation on this thread has read `reads` nested elements,
    /// counting from [`Question::so_far`].
    fn count(reads: u64) {
        QUESTION.with(|q| {
            if q.get().is_some() {
                q.set(Some(reads));
            }
        });
    }
}

impl Drop for Question {
    fn drop(&mut self) {
        QUESTION.with(|q| q.set(self.outer));
    }
}

/// [`EvalError::TooManyNestedReads`], not yet placed: out of line and
/// cold, as [`fault`] is.
#[cold]
#[inline(never)]
fn too_many_nested_reads(limit: u64) -> Box<EvalError> {
    Box::new(EvalError::TooManyNestedReads {
        limit,
        list: None,
        span: None,
    })
}

/// `e`, naming the `what` (`let`, `rule`) called `name` it arose in: out of
/// line and cold, as [`fault`] is.
#[cold]
#[inline(never)]
fn arose_in(e: EvalError, what: &str, name: &str) -> Box<EvalError> {
    Box::new(e.within(&format!("{what} {name}")))
}

/// The item of the model that `id` names. The checker makes every id for
/// its own model, so one that is missing is a bug in the engine: an
/// internal error saying `what` is out of range, never a panic.
#[inline]
fn at<'t, I: crate::ids::Id, T>(
    table: &'t Table<I, T>,
    id: I,
    what: &'static str,
) -> Fallible<&'t T> {
    table
        .get(id)
        .ok_or_else(|| fault(EvalError::Internal(what)))
}

/// Undecided rules behind a provisional entry, and the evidence they miss.
#[derive(Debug, Clone, Default)]
struct Doubt {
    rules: Vec<RuleId>,
    missing: Vec<String>,
}

impl Doubt {
    fn absorb(&mut self, other: &Doubt) {
        for r in &other.rules {
            if !self.rules.contains(r) {
                self.rules.push(*r);
            }
        }
        for m in &other.missing {
            if !self.missing.contains(m) {
                self.missing.push(m.clone());
            }
        }
    }
}

/// A constraint that fired: the bound (a rank, 0 = best), the rule, the item,
/// and the doubt over it when its rule read a provisional judgement.
#[derive(Debug, Clone)]
struct Fired {
    op: ConstraintOp,
    value: u16,
    rule: RuleId,
    item: Option<Item>,
    doubt: Option<Doubt>,
    /// The doubt over the bound's value, when it reads a provisional
    /// judgement (`lm at most overall`): then the constraint could bind
    /// even where it is slack now.
    bound_doubt: Option<Doubt>,
}

/// A constraint that might apply: its rule could not be decided. `value` is
/// `None` when the bound itself is not known.
#[derive(Debug, Clone)]
struct Pending {
    op: ConstraintOp,
    value: Option<u16>,
    doubt: Doubt,
}

#[derive(Debug, Clone, Default)]
struct JudgementState {
    constraints: Vec<Fired>,
    pending: Vec<Pending>,
    withheld_by: Option<RuleId>,
    /// Rules that could withhold the judgement but could not be decided, and
    /// the doubt over those that withheld it reading a provisional judgement.
    maybe_withheld: Option<Doubt>,
    /// Whether a rule withheld it that read no provisional judgement: then
    /// it is withheld whatever the undecided ones come to.
    withheld_for_certain: bool,
    /// The final rank; `None` when withheld or not applicable.
    value: Option<u16>,
    doubt: Option<Doubt>,
}

pub(crate) struct Run<'a, 'e> {
    model: &'a Model,
    calendar: Option<&'a Calendar>,
    slots: &'e [Value],
    /// Which slots the record's text wrote, when it was read in one pass.
    written: Option<&'e crate::evidence::Written>,
    /// The leads that read only fields, read on the defaults, for the reader that
    /// reads this ruleset's records in one pass.
    at_rest: Option<&'a AtRest>,
    /// Each let's value once it is worked out (`Model::let_plan`); a let
    /// that failed holds unknown.
    lets: Table<LetId, Option<Value>>,
    /// The lets that failed (a span that ends before it starts, a count
    /// outside the calendar), each with its error: raised where a rule,
    /// judgement or let that is evaluated reads it, and not otherwise.
    /// Empty, and unallocated, for almost every record.
    failed_lets: Vec<(LetId, Box<EvalError>)>,
    judgements: Table<JudgementId, JudgementState>,
    /// The element each binder slot is on: its list and index.
    vars: Binders,
    /// While set, provisional judgements read as unknown.
    doubting: bool,
    /// Whether any judgement made so far is provisional: until one is, no
    /// rule can read a doubt, and `doubt_over` has nothing to look for.
    any_doubt: bool,
    /// The rule being evaluated, for the names of its `for each` element.
    current: Option<&'a RuleDef>,
    evaluated_on: Option<NaiveDate>,
    /// The outcome, filled where the caller keeps it: it is large, and
    /// each move of it is a copy.
    out: &'e mut Outcome<'a>,
    /// Room lent by the caller: emptied vectors for the outcome's parts.
    spare: &'e mut outcome::Spare<'a>,
    trace: Option<Vec<TraceStep<'a>>>,
    /// What each rule's condition came to, part by part, when asked for.
    probes: Option<Vec<Probe<'a>>>,
    /// Whose conditions are recorded, where probes are asked for.
    probe_scope: ProbeScope,
    /// The record's long lists indexed by a field (`keyed`).
    indexes: keyed::Indexes,
    /// How many lets are being worked out one inside another
    /// ([`Run::work_out_late`]).
    late: u32,
    /// The judgements made without the proposal they needed, each with its
    /// error (`EvalError::MissingProposed`): the record is refused, but
    /// evaluation goes on to find the others, so that all are reported at
    /// once. Empty, and unallocated, for almost every record.
    missing_proposals: Vec<(JudgementId, EvalError)>,
    /// The values of the quantifiers and aggregates that read no element
    /// bound outside them (`Model::closed`), each once worked out, with
    /// whether provisional judgements were read as unknown then. Emptied
    /// where a list at the first slot starts to be gone through and once
    /// a judgement is made, the only times what they read can change.
    /// Empty, and unallocated, where a ruleset has none.
    memo: Vec<(ExprId, bool, Value)>,
    /// The elements read so far by quantifiers and aggregates inside
    /// another binder (a slot past the first), and the most allowed: see
    /// [`MOST_NESTED_READS`].
    nested_reads: u64,
    most_nested_reads: u64,
}

/// The most elements one evaluation reads with quantifiers and aggregates
/// inside another binder, unless the ruleset is given another number
/// (`Ruleset::with_most_nested_reads`). A list read once for each element
/// of another (or of itself) that no index answers (`some other in
/// absences satisfies other.start <= absence.start and ...`, for each
/// absence) takes time that grows with the product of the lengths, and a
/// record within the size limit could hold lists long enough to take
/// hours. The elements an index finds count as read, as finding them is
/// work in proportion to their number. Past this many, the record is
/// refused with [`EvalError::TooManyNestedReads`], at the list. No record
/// of a real inspection comes near it (of the five rulesets' corpora, the
/// most any record reads is 26), and a record that reaches it takes about
/// a second.
pub(crate) const MOST_NESTED_READS: u64 = 20_000_000;

/// The most characters of an `invalid` check's message an error shows.
const MESSAGE_CHARS: usize = 1_000;

/// Evaluate one record into `out`, an emptied outcome with its ruleset's
/// header and the record's id (`Spare::outcome`); with `probe`, also
/// say what each rule's condition (or one rule's, or one judgement's
/// rules') came to, part by part, or only what one rule's result came to
/// ([`ProbeScope`], [`Probe`]), in the order the rules were evaluated.
#[allow(
    clippy::too_many_arguments,
    reason = "the ruleset's parts and the record's, each read once: a struct of them would only be taken apart again"
)]
pub(crate) fn evaluate_probed<'r>(
    model: &'r Model,
    calendar: Option<&'r Calendar>,
    at_rest: Option<&'r AtRest>,
    most_nested_reads: u64,
    evidence: &Evidence,
    trace: bool,
    probe: ProbeScope,
    out: &mut Outcome<'r>,
    spare: &mut outcome::Spare<'r>,
) -> Fallible<Vec<Probe<'r>>> {
    let evaluated_on = match model
        .meta
        .evaluated_on
        .and_then(|f| evidence.slots.get(f.index()))
    {
        Some(Value::Date(d)) => Some(*d),
        _ => None,
    };
    let mut scratch = Scratch::take(model.judgements.len());
    scratch.lets.resize(model.lets.len(), None);
    out.evaluated_on = evaluated_on;
    // Each judgement's place in the outcome, in the order the ruleset
    // declares them, written where it stands as the judgement is made
    // (`Run::judgement`): they are made in the order they read each other
    // (children's homes makes `interim`, declared last, second). Every
    // judgement is made unless the record is refused.
    let names = || model.judgements.iter().map(|d| d.name.as_str());
    out.judgements.fill(names(), || None);
    out.details.fill(names(), outcome::JudgementDetail::unmade);
    let mut run = Run {
        model,
        calendar,
        slots: &evidence.slots,
        written: evidence.written.as_ref(),
        at_rest,
        lets: scratch.lets.into(),
        failed_lets: Vec::new(),
        judgements: scratch.judgements.into(),
        vars: Binders::default(),
        doubting: false,
        any_doubt: false,
        current: None,
        evaluated_on,
        out,
        spare,
        trace: trace.then(Vec::new),
        probes: (probe != ProbeScope::Off).then(Vec::new),
        probe_scope: probe,
        indexes: keyed::Indexes::default(),
        late: 0,
        missing_proposals: Vec::new(),
        memo: Vec::new(),
        nested_reads: Question::so_far(),
        most_nested_reads,
    };
    // A let that fails (a span that ends before it starts, a count outside
    // the calendar) is not the error while an `invalid` check refuses the
    // record: the checks say what is wrong in the author's words, and they
    // run first. Nor is it the error where nothing evaluated reads it (a
    // rule whose first part is false, say): its error is raised where it
    // is read (`Run::failed_lets`), and the record's error only then.
    // The lets that failed or read one that did (empty while none has): a
    // check that reads one is not asked, since its unknown is no answer.
    // Only the lets the checks and leads read are worked out here (the
    // plan's `first`), unless a trace or a probe of conditions lists them
    // all; the rest where they are first read.
    let mut tainted: Vec<bool> = Vec::new();
    match model
        .let_plan
        .as_ref()
        .filter(|_| !trace && !probe.takes_conditions())
    {
        Some(plan) => {
            for &id in plan.first.iter() {
                run.work_out_first(id, &mut tainted);
            }
            for &id in plan.leads.iter() {
                run.work_out_late(id);
            }
        }
        None => {
            for id in model.lets.ids() {
                run.work_out_first(id, &mut tainted);
            }
        }
    }
    if let Err(e) = run.checks(&tainted) {
        Question::count(run.nested_reads);
        return Err(e);
    }
    let mut passed = run.passed(scratch.passed);
    let stepped = run.steps(&mut passed);
    Question::count(run.nested_reads);
    // A proposal missing comes first: what followed was worked out
    // without it.
    if let Some(missing) = missing_proposals(std::mem::take(&mut run.missing_proposals)) {
        return Err(missing);
    }
    stepped?;
    let out = run.out;
    Scratch::give_back(run.lets.into_vec(), run.judgements.into_vec(), passed);
    sort_unique(&mut out.actions);
    sort_unique(&mut out.deadlines);
    sort_unique(&mut out.findings);
    sort_unique(&mut out.advisories);
    sort_unique(&mut out.undetermined);
    out.trace = run.trace;
    Ok(run.probes.unwrap_or_default())
}

/// The error for the judgements made without the proposal they needed:
/// the one's own, or, for several, each at its path as an evidence error,
/// as the command line shows the one, in the order the judgements are
/// declared.
fn missing_proposals(mut missing: Vec<(JudgementId, EvalError)>) -> Option<Box<EvalError>> {
    if missing.len() < 2 {
        return missing.pop().map(|(_, e)| Box::new(e));
    }
    // In the order the ruleset declares the judgements.
    missing.sort_by_key(|(j, _)| j.index());
    let errors = missing
        .iter()
        .filter_map(|(_, e)| match e {
            EvalError::MissingProposed { judgement, path } => Some(EvidenceError {
                path: path.clone(),
                message: EvalError::missing_proposed_message(judgement),
            }),
            _ => None,
        })
        .collect();
    Some(Box::new(EvalError::Evidence(errors)))
}

impl<'a> Run<'a, '_> {
    /// The most lets worked out one inside another, each as its
    /// expression reads the next ([`Run::work_out_late`]).
    const MOST_LATE: u32 = 16;

    /// The steps (`Model::steps`), each rule and judgement in turn, but
    /// those `passed` passes by (and those the judgements made pass by,
    /// as they are made).
    #[inline]
    fn steps(&mut self, passed: &mut [u64]) -> Fallible<()> {
        let model = self.model;
        let mut next = 0;
        while let Some(i) = not_passed(passed, next) {
            let Some(step) = model.steps.get(i) else {
                break;
            };
            next = i + 1;
            match *step {
                // Most rules are decided by their guards: read here, before
                // the rule itself is looked at.
                Step::Rule(r) if self.quiet() => {
                    let guarded = model.guards.get(r).and_then(|g| self.guarded_now(g));
                    if guarded == Some(Tri::False) {
                        continue;
                    }
                    let rule = self.rule_def(r)?;
                    self.current = Some(rule);
                    self.decide(r, rule, guarded, None, 0)
                        .map_err(|e| arose_in(*e, "rule", &rule.id))?;
                }
                Step::Rule(r) | Step::ForEach(r) => {
                    let rule = self.rule_def(r)?;
                    self.rule(r).map_err(|e| arose_in(*e, "rule", &rule.id))?;
                }
                Step::Judgement(j) => {
                    self.judgement(j)?;
                    self.memo.clear();
                    self.pass_after(j, passed);
                }
            }
        }
        Ok(())
    }

    /// Which steps' rules a lead (`Model::leads`) passes by for this
    /// record, in `passed` (emptied first): each would read that lead
    /// first (a part of its condition that is false, or a list with no
    /// elements) and do nothing more. None where a trace or a probe of
    /// conditions is asked for, which would record them.
    fn passed(&self, mut passed: Vec<u64>) -> Vec<u64> {
        passed.clear();
        if self.trace.is_some() || self.probing() {
            return passed;
        }
        let leads = &self.model.leads;
        match (self.at_rest, self.written) {
            // Read in one pass: the leads of the fields it left out come to
            // what they do on the defaults, read once for the ruleset; only
            // those of the fields it wrote are read again. Each step has
            // one lead at most (`Lead::steps`), so a lead's steps are
            // cleared or set without touching another's.
            (Some(rest), Some(written)) if rest.holds(written) => {
                passed.extend_from_slice(rest.passed());
                for &slot in written.slots() {
                    for &i in rest.of_slot(slot) {
                        if let Some(lead) = leads.get(i as usize) {
                            rest::mark(&mut passed, lead, self.passes(lead));
                        }
                    }
                }
                let others = rest.others().iter().filter_map(|&i| leads.get(i as usize));
                self.pass_by(others, &mut passed);
            }
            _ => {
                passed.resize(self.model.steps.len().div_ceil(64), 0);
                self.pass_by(leads.iter(), &mut passed);
            }
        }
        passed
    }

    /// Set in `passed` the steps of each of `leads` that passes its rules
    /// by.
    fn pass_by<'l>(&self, leads: impl Iterator<Item = &'l Lead>, passed: &mut [u64]) {
        for lead in leads {
            if self.passes(lead) {
                rest::mark(passed, lead, true);
            }
        }
    }

    /// Once judgement `j` is made: pass by the later rules a part of whose
    /// guards that reads it is false (`Model::judgement_leads`), unless a
    /// judgement is provisional (a rule it made false could be in doubt),
    /// or a trace or probe of conditions is asked for. These only set
    /// steps: a step may have one of them besides its lead.
    fn pass_after(&self, j: JudgementId, passed: &mut [u64]) {
        let Some(leads) = self.model.judgement_leads.get(j) else {
            return;
        };
        if leads.is_empty() || self.any_doubt || self.trace.is_some() || self.probing() {
            return;
        }
        self.pass_by(leads.iter(), passed);
    }

    fn rule_def(&self, r: RuleId) -> Fallible<&'a RuleDef> {
        at(&self.model.rules, r, "rule out of range")
    }

    /// The value read for an evidence field. The evidence has one slot for
    /// each of the model's fields, in their order.
    #[inline]
    fn slot(&self, f: FieldId) -> Option<&Value> {
        self.slots.get(f.index())
    }

    fn rule_ref(&self, r: RuleId) -> outcome::RuleRef<'a> {
        let rule = self.model.rules.get(r);
        outcome::RuleRef {
            rule: rule.map(|x| x.id.as_str()).unwrap_or_default(),
            cite: rule.map(|x| x.cite.as_str()).unwrap_or_default(),
        }
    }

    /// A doubt written for the outcome: boxed, as the outcome's entries
    /// that hold one are moved whole and almost none is provisional.
    fn provisional(&self, doubt: &Doubt) -> Box<Provisional<'a>> {
        let mut rules: Vec<&'a str> = doubt
            .rules
            .iter()
            .filter_map(|r| self.model.rules.get(*r).map(|d| d.id.as_str()))
            .collect();
        sort_unique(&mut rules);
        let mut missing = doubt.missing.clone();
        sort_unique(&mut missing);
        Box::new(Provisional { rules, missing })
    }

    /// Run `f` on each element of a list in turn, bound at `slot`. The
    /// binding is restored afterwards.
    fn each_element(
        &mut self,
        items: &Arc<[Element]>,
        slot: usize,
        f: impl FnMut(&mut Self, usize) -> Fallible<bool>,
    ) -> Fallible<()> {
        self.each_of(items, 0..items.len(), slot, f)
    }

    /// [`Run::each_element`] over some of the elements, in the order
    /// given.
    fn each_of(
        &mut self,
        items: &Arc<[Element]>,
        indices: impl IntoIterator<Item = usize>,
        slot: usize,
        mut f: impl FnMut(&mut Self, usize) -> Fallible<bool>,
    ) -> Fallible<()> {
        if slot == 0 {
            self.memo.clear();
        }
        let saved = self.vars.get_mut(slot).and_then(Option::take);
        for index in indices {
            self.count_nested_reads(slot, 1)?;
            // The list is shared once; each element after the first moves
            // only the index.
            match self.vars.get_mut(slot) {
                Some(Some((_, at))) => *at = index,
                Some(v) => *v = Some((Arc::clone(items), index)),
                None => {}
            }
            if !f(self, index)? {
                break;
            }
        }
        if let Some(v) = self.vars.get_mut(slot) {
            *v = saved;
        }
        Ok(())
    }

    /// Count `n` elements read (or found through an index) by a
    /// quantifier or aggregate bound at `slot`, where that is inside
    /// another binder; past the ruleset's most for the record, the
    /// error that refuses it.
    #[inline]
    fn count_nested_reads(&mut self, slot: usize, n: usize) -> Fallible<()> {
        if slot > 0 {
            self.nested_reads = self.nested_reads.saturating_add(n as u64);
            if self.nested_reads > self.most_nested_reads {
                return Err(too_many_nested_reads(self.most_nested_reads));
            }
        }
        Ok(())
    }

    /// The elements of a list-valued expression; `None` when unknown.
    fn list(&mut self, e: ExprId) -> Fallible<Option<Arc<[Element]>>> {
        match self.operand(e)? {
            Value::List(items) => Ok(Some(items)),
            Value::Unknown => Ok(None),
            Value::None => Ok(Some(Vec::new().into())),
            _ => Err(fault(EvalError::Internal(
                "a list expression gave another value",
            ))),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing, reason = "tests")]
    use super::not_passed;
    use crate::compile::step_words;

    /// The steps the loop visits, for `n` steps of which `led` are passed.
    fn visited(n: usize, led: &[u32]) -> Vec<usize> {
        let mut passed = vec![0u64; n.div_ceil(64)];
        for &(word, bits) in step_words(led).iter() {
            passed[word as usize] |= bits;
        }
        let mut out = Vec::new();
        let mut next = 0;
        while let Some(i) = not_passed(&passed, next) {
            if i >= n {
                break;
            }
            out.push(i);
            next = i + 1;
        }
        out
    }

    #[test]
    fn the_step_loop_visits_every_step_not_passed_by_across_word_edges() {
        let cases: [(usize, &[u32]); 7] = [
            (0, &[]),
            (1, &[0]),
            (64, &[0, 63]),
            (65, &[63, 64]),
            (130, &[0, 1, 62, 63, 64, 65, 127, 128]),
            // A whole word passed by, and the last step of all.
            (200, &[64, 65, 66, 67, 68, 69, 70, 71, 72, 73, 199]),
            (129, &[128]),
        ];
        for (n, led) in cases {
            let expected: Vec<usize> = (0..n).filter(|i| !led.contains(&(*i as u32))).collect();
            assert_eq!(visited(n, led), expected, "{n} steps, {led:?} passed by");
        }
        let mut whole_word: Vec<u32> = (64..128).collect();
        whole_word.push(5);
        let expected: Vec<usize> = (0..140)
            .filter(|&i| i != 5 && !(64..128).contains(&i))
            .collect();
        assert_eq!(visited(140, &whole_word), expected);
        // No bits (a trace or a probe of conditions asked for): every step.
        assert_eq!(not_passed(&[], 0), Some(0));
        assert_eq!(not_passed(&[], 77), Some(77));
    }

    #[test]
    fn steps_are_bits_of_the_words_that_hold_them() {
        assert_eq!(
            &*step_words(&[0, 3, 63, 64, 200]),
            &[(0, 1 | 1 << 3 | 1 << 63), (1, 1), (3, 1 << 8)]
        );
        assert!(step_words(&[]).is_empty());
    }
}
