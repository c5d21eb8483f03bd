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

mod effects;
mod expr;
mod judge;
mod keyed;
mod months;
mod probe;
mod reads;
mod rest;
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
pub(crate) use expr::{add_days, tested};
use months::Extent;
pub(crate) use probe::{Probe, Seen, Shape};
pub(crate) use rest::AtRest;

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
/// when `passed` is empty (a trace or probe is asked for). The caller stops
/// at the end of the steps.
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

/// Mark let `index` of `lets` as failed, or as reading one that did.
#[cold]
fn taint(tainted: &mut Vec<bool>, lets: usize, index: usize) {
    tainted.resize(lets, false);
    if let Some(t) = tainted.get_mut(index) {
        *t = true;
    }
}

/// Whether the expression at `e` reads a let marked in `tainted`.
#[cold]
fn reads_tainted(model: &Model, e: ExprId, tainted: &[bool]) -> bool {
    let mut stack = vec![e];
    while let Some(id) = stack.pop() {
        let Some(node) = model.exprs.get(id) else {
            continue;
        };
        if let Node::Let(l) = node {
            if tainted.get(l.index()).copied().unwrap_or(false) {
                return true;
            }
        }
        stack.extend(node.children());
    }
    false
}

/// An error, boxed: out of line and cold, so that the paths that make
/// one take no room among the instructions of those that do not.
#[cold]
#[inline(never)]
fn fault(e: EvalError) -> Box<EvalError> {
    Box::new(e)
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
    /// Rules that could withhold the judgement but could not be decided.
    maybe_withheld: Option<Doubt>,
    /// The final rank; `None` when withheld or not applicable.
    value: Option<u16>,
    doubt: Option<Doubt>,
}

/// The buffers an evaluation on a thread lends the next one there: the
/// lets' values and the judgements' states (with the vectors inside them),
/// emptied between records, so that a record allocates none of them anew.
/// An evaluation that fails does not give them back; the next one starts
/// afresh.
#[derive(Default)]
struct Scratch {
    lets: Vec<Option<Value>>,
    judgements: Vec<JudgementState>,
    /// The steps passed by, one bit each (`Run::passed`).
    passed: Vec<u64>,
}

thread_local! {
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::default();
}

impl Scratch {
    /// This thread's buffers: no lets yet, and `judgements` states as new.
    fn take(judgements: usize) -> Scratch {
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
    fn give_back(
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
        self.value = None;
        self.doubt = None;
    }
}

/// The element a binder slot is on: its list and index.
type Binding = Option<(Arc<[Element]>, usize)>;

/// The binder slots: the first few in place, so that a record whose rules
/// nest `for each` no deeper than that allocates nothing for them.
#[derive(Default)]
struct Binders {
    near: [Binding; Binders::NEAR],
    far: Vec<Binding>,
}

impl Binders {
    const NEAR: usize = 4;

    fn get(&self, slot: usize) -> Option<&Binding> {
        match slot.checked_sub(Self::NEAR) {
            None => self.near.get(slot),
            Some(i) => self.far.get(i),
        }
    }

    /// Slot `slot`, made if it is not yet.
    fn get_mut(&mut self, slot: usize) -> Option<&mut Binding> {
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

    fn first(&self) -> Option<&Binding> {
        self.near.first()
    }
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
    /// The record's long lists indexed by a field (`keyed`).
    indexes: keyed::Indexes,
    /// How many lets are being worked out one inside another
    /// ([`Run::work_out_late`]).
    late: u32,
}

/// The most characters of an `invalid` check's message an error shows.
const MESSAGE_CHARS: usize = 1_000;

/// Evaluate one record into `out`, an emptied outcome with its ruleset's
/// header and the record's id (`Spare::outcome`); with `probe`, also
/// say what each rule's condition came to, part by part ([`Probe`]), in the
/// order the rules were evaluated.
#[allow(
    clippy::too_many_arguments,
    reason = "the ruleset's parts and the record's, each read once: a struct of them would only be taken apart again"
)]
pub(crate) fn evaluate_probed<'r>(
    model: &'r Model,
    calendar: Option<&'r Calendar>,
    at_rest: Option<&'r AtRest>,
    evidence: &Evidence,
    trace: bool,
    probe: bool,
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
    spare.made.clear();
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
        probes: probe.then(Vec::new),
        indexes: keyed::Indexes::default(),
        late: 0,
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
    // plan's `first`), unless a trace or probe lists them all; the rest
    // where they are first read.
    let mut tainted: Vec<bool> = Vec::new();
    match model.let_plan.as_ref().filter(|_| !trace && !probe) {
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
    run.checks(&tainted)?;
    let mut passed = run.passed(scratch.passed);
    let mut next = 0;
    while let Some(i) = not_passed(&passed, next) {
        let Some(step) = model.steps.get(i) else {
            break;
        };
        next = i + 1;
        match *step {
            // Most rules are decided by their guards: read here, before
            // the rule itself is looked at.
            Step::Rule(r) if run.quiet() => {
                let guarded = model.guards.get(r).and_then(|g| run.guarded(g));
                if guarded == Some(Tri::False) {
                    continue;
                }
                let rule = run.rule_def(r)?;
                run.current = Some(rule);
                run.decide(r, rule, guarded, None, 0)
                    .map_err(|e| arose_in(*e, "rule", &rule.id))?;
            }
            Step::Rule(r) | Step::ForEach(r) => {
                let rule = run.rule_def(r)?;
                run.rule(r).map_err(|e| arose_in(*e, "rule", &rule.id))?;
            }
            Step::Judgement(j) => {
                run.judgement(j)?;
                run.pass_after(j, &mut passed);
            }
        }
    }
    let out = run.out;
    // Every judgement made, in the order the ruleset declares them (each
    // name once: the checker refuses a name declared twice). They were
    // written as they were made: each after the judgements its rules read,
    // and otherwise not always in that order (children's homes makes
    // `interim`, declared last, second).
    out.details
        .sort_by_keys(&mut run.spare.made, &mut out.judgements);
    Scratch::give_back(run.lets.into_vec(), run.judgements.into_vec(), passed);
    sort_unique(&mut out.actions);
    sort_unique(&mut out.deadlines);
    sort_unique(&mut out.findings);
    sort_unique(&mut out.advisories);
    sort_unique(&mut out.undetermined);
    out.trace = run.trace;
    Ok(run.probes.unwrap_or_default())
}

impl<'a> Run<'a, '_> {
    /// The most lets worked out one inside another, each as its
    /// expression reads the next ([`Run::work_out_late`]).
    const MOST_LATE: u32 = 16;

    /// Which steps' rules a lead (`Model::leads`) passes by for this
    /// record, in `passed` (emptied first): each would read that lead
    /// first (a part of its condition that is false, or a list with no
    /// elements) and do nothing more. None where a trace or a probe is
    /// asked for, which would record them.
    fn passed(&self, mut passed: Vec<u64>) -> Vec<u64> {
        passed.clear();
        if self.trace.is_some() || self.probes.is_some() {
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
    /// or a trace or probe is asked for. These only set steps: a step may
    /// have one of them besides its lead.
    fn pass_after(&self, j: JudgementId, passed: &mut [u64]) {
        let Some(leads) = self.model.judgement_leads.get(j) else {
            return;
        };
        if leads.is_empty() || self.any_doubt || self.trace.is_some() || self.probes.is_some() {
            return;
        }
        self.pass_by(leads.iter(), passed);
    }

    /// Work out let `id` before the checks and rules, marking it in
    /// `tainted` where it failed or reads a let that did (its reads come
    /// before it), and listing it in the trace.
    fn work_out_first(&mut self, id: LetId, tainted: &mut Vec<bool>) {
        let Some(l) = self.model.lets.get(id) else {
            return;
        };
        let reads_failed = !tainted.is_empty() && reads_tainted(self.model, l.expr, tainted);
        if self.work_out(id) || reads_failed {
            taint(tainted, self.model.lets.len(), id.index());
        }
        if let (Some(t), Some(Some(v))) = (self.trace.as_mut(), self.lets.get(id)) {
            t.push(TraceStep::Let {
                name: &l.name,
                value: show(self.model, l.ty, v),
            });
        }
    }

    /// Work out let `id`, whose reads are worked out, keeping its value;
    /// whether it failed. A let that fails holds unknown, and its error
    /// is kept to be raised where it is read (`Run::failed_lets`).
    fn work_out(&mut self, id: LetId) -> bool {
        let Some(l) = self.model.lets.get(id) else {
            return false;
        };
        // A let its guards decide is written where it is kept, not built
        // aside in a `Result` and copied: a copy read back whole just after
        // its parts were written waits for them.
        let guards = self.model.let_guards.get(id).and_then(Option::as_ref);
        match guards.and_then(|g| self.guarded(g)) {
            Some(t) => {
                self.keep(id, tri_value(t));
                false
            }
            None => match self.value(l.expr) {
                Ok(v) => {
                    self.keep(id, v);
                    false
                }
                Err(e) => {
                    self.failed_lets.push((id, arose_in(*e, "let", &l.name)));
                    self.keep(id, Value::Unknown);
                    true
                }
            },
        }
    }

    /// Keep let `id`'s value, worked out.
    #[inline(always)]
    fn keep(&mut self, id: LetId, value: Value) {
        if let Some(slot) = self.lets.get_mut(id) {
            *slot = Some(value);
        }
    }

    /// Whether let `id` is still to be worked out (one that failed is
    /// worked out: it holds unknown).
    fn to_work_out(&self, id: LetId) -> bool {
        self.lets.get(id).is_some_and(Option::is_none)
    }

    /// Work out let `id` where it is read, unless it is worked out: the
    /// lets it reads that are not yet worked out are worked out where its
    /// expression reads them, as it is walked. Past [`Run::MOST_LATE`] lets
    /// deep, the lets it needs are worked out first, in order
    /// (`LetPlan::needs`), so that a long chain of lets does not recurse as
    /// deep as it is long. Out of line: each let is worked out once a
    /// record at most.
    #[cold]
    #[inline(never)]
    pub(super) fn work_out_late(&mut self, id: LetId) {
        if !self.to_work_out(id) {
            return;
        }
        if self.late < Self::MOST_LATE {
            self.late += 1;
            self.work_out(id);
            self.late -= 1;
            return;
        }
        let needs = self
            .model
            .let_plan
            .as_ref()
            .and_then(|plan| plan.needs.get(id))
            .map_or(&[][..], |needs| &needs[..]);
        for &need in needs {
            if self.to_work_out(need) {
                self.work_out(need);
            }
        }
        // Without a plan, every let was worked out first; this is a let
        // out of range, which reading it reports.
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
        let saved = self.vars.get_mut(slot).and_then(Option::take);
        for index in indices {
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

    /// `invalid` checks: each that holds refuses the record, all reported.
    /// The `invalid` checks, each that holds an error; `tainted` marks the
    /// lets that failed (empty when none did), whose checks are not asked.
    fn checks(&mut self, tainted: &[bool]) -> Fallible<()> {
        let mut errors = Vec::new();
        for &r in &self.model.checks {
            let rule = self.rule_def(r)?;
            let Some(cond) = rule.when else { continue };
            if !tainted.is_empty() && reads_tainted(self.model, cond, tainted) {
                continue;
            }
            let Some(EffectDef::Reject { message }) = rule.effects.first() else {
                continue;
            };
            self.current = Some(rule);
            match &rule.for_each {
                None => {
                    // Its guards, where they decide it, as for any rule;
                    // a check is never traced.
                    let guarded = self.model.guards.get(r).and_then(|g| self.guarded(g));
                    let holds = match guarded {
                        Some(t) => t,
                        None => self
                            .truth(cond)
                            .map_err(|e| arose_in(*e, "invalid", &rule.id))?,
                    };
                    if holds == Tri::True {
                        errors.push(self.rejection(rule, cond, message, None)?);
                    }
                }
                Some(fe) => {
                    if self.empty_in_place(fe.list) {
                        continue;
                    }
                    let Some(items) = self.list(fe.list)? else {
                        continue;
                    };
                    let mut found = Vec::new();
                    let guards = self.model.guards.get(r);
                    self.each_element(&items, 0, |run, index| {
                        // Each element's guards first, as for a rule's.
                        let holds = match guards.and_then(|g| run.guarded(g)) {
                            Some(t) => t,
                            None => run
                                .truth(cond)
                                .map_err(|e| arose_in(*e, "invalid", &rule.id))?,
                        };
                        if holds == Tri::True {
                            let at = format!("{}[{index}]", fe.list_name);
                            found.push(run.rejection(rule, cond, message, Some(at))?);
                        }
                        Ok(true)
                    })?;
                    errors.extend(found);
                }
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(fault(EvalError::Evidence(errors)))
        }
    }

    fn rejection(
        &mut self,
        rule: &RuleDef,
        cond: ExprId,
        message: &'a Message,
        at: Option<String>,
    ) -> Fallible<EvidenceError> {
        let text = self.message(message)?;
        // The author's words are short; the record's text put into them
        // need not be (an id of megabytes).
        let text = crate::evidence::clipped_to(&text, MESSAGE_CHARS);
        let values = self.values_read(Some(cond));
        let part = self.holding_part(cond)?;
        let path = match at {
            // An element's field that the part which holds reads, named
            // under the element's path (`requirements[1].sources`).
            Some(at) => match (self.blamed_member(part)?, rule.for_each.as_ref()) {
                (
                    Some(i),
                    Some(ForEachDef {
                        elem: Elem::Record(r),
                        ..
                    }),
                ) => match self.model.records.get(*r).and_then(|d| d.fields.get(i)) {
                    Some(field) => format!("{at}.{}", field.name),
                    None => at,
                },
                _ => at,
            },
            None => self
                .blamed_field(part)?
                .or_else(|| rule.reads.first().copied())
                .and_then(|f| self.model.fields.get(f))
                .map(|d| d.name.clone())
                .unwrap_or_default(),
        };
        let reads = if values.is_empty() {
            String::new()
        } else {
            let shown: Vec<String> = values.iter().map(ToString::to_string).collect();
            format!("; {}", shown.join(", "))
        };
        Ok(EvidenceError {
            path,
            message: format!("{text} (invalid `{}`{reads})", rule.id),
        })
    }

    /// The part of an `invalid` check's condition that holds: where the
    /// condition is an `or` of parts, the first that holds (`a < 0 or b < 0`
    /// with only `b` below zero is `b < 0`); else the whole condition.
    fn holding_part(&mut self, cond: ExprId) -> Fallible<ExprId> {
        let mut e = cond;
        while let Node::Or(a, b) = *self.node(e)? {
            e = if self.truth(a)? == Tri::True {
                a
            } else if self.truth(b)? == Tri::True {
                b
            } else {
                break;
            };
        }
        Ok(e)
    }

    /// The first top-level field `part` reads, in reading order, through
    /// lets: the field a check that holds blames.
    fn blamed_field(&self, part: ExprId) -> Fallible<Option<FieldId>> {
        self.first_read(part, true, |node| match node {
            Node::Field(f) => Some(*f),
            _ => None,
        })
    }

    /// The first field of the `for each` element (binder slot 0) that
    /// `part` reads, in reading order: the field a check over a list's
    /// elements blames. Not through lets: a let cannot read the element,
    /// and its own binders number from slot 0 again.
    fn blamed_member(&self, part: ExprId) -> Fallible<Option<usize>> {
        self.first_read(part, false, |node| match node {
            Node::Var {
                slot: 0,
                field: Some(i),
            } => Some(*i),
            _ => None,
        })
    }

    /// The first node of `e`, in reading order and (with `through_lets`)
    /// through lets, that `pick` takes.
    fn first_read<T>(
        &self,
        e: ExprId,
        through_lets: bool,
        pick: impl Fn(&Node) -> Option<T>,
    ) -> Fallible<Option<T>> {
        let mut stack = vec![e];
        while let Some(id) = stack.pop() {
            let node = self.node(id)?;
            if let Some(found) = pick(node) {
                return Ok(Some(found));
            }
            match node {
                Node::Let(l) if through_lets => {
                    stack.extend(self.model.lets.get(*l).map(|d| d.expr));
                }
                Node::Let(_) => {}
                node => {
                    let children: Vec<ExprId> = node.children().collect();
                    stack.extend(children.into_iter().rev());
                }
            }
        }
        Ok(None)
    }

    /// A rule decided the long way: a `for each` rule, or any rule while a
    /// trace, a probe or a provisional judgement is about. Out of line: most
    /// records take it for few rules or none, and its code would otherwise
    /// sit among the instructions of the step loop every record runs.
    #[inline(never)]
    fn rule(&mut self, r: RuleId) -> Fallible<()> {
        let rule = self.rule_def(r)?;
        let Some(fe) = &rule.for_each else {
            return self.rule_once(r, None, 0);
        };
        // Most lists of evidence are empty or not given, seen where they
        // are; a sequence of months need not be built to learn that the
        // rule is false for every month: its length is enough.
        let extent = self.extent(fe.list)?;
        match extent {
            Extent::Unknown => return self.list_unknown(r, rule),
            Extent::Len(0) => return Ok(()),
            Extent::Len(_) if self.never_fires(r, rule)? => return Ok(()),
            Extent::Len(_) | Extent::Build => {}
        }
        let Some(items) = self.list(fe.list)? else {
            return self.list_unknown(r, rule);
        };
        if extent == Extent::Build && !items.is_empty() && self.never_fires(r, rule)? {
            return Ok(());
        }
        self.each_element(&items, 0, |run, index| {
            run.rule_once(r, items.get(index), index)?;
            Ok(true)
        })
    }

    /// A `for each` rule whose list is not known (a sequence of months with
    /// an end not known): it could fire for elements nobody can name, so it
    /// is undetermined, naming what its list reads that is not known, as a
    /// condition that reads unknown evidence is; never passed over as if the
    /// list were empty.
    ///
    /// Unless a part of its condition that reads no element is false (then
    /// it is false for every element, whatever they are), with no judgement
    /// in doubt that could make it true.
    #[inline(never)]
    fn list_unknown(&mut self, r: RuleId, rule: &'a RuleDef) -> Fallible<()> {
        if !self.any_doubt && self.loop_guard_false(r, rule)? {
            return Ok(());
        }
        self.current = Some(rule);
        self.rule_result(r, rule, Tri::Unknown, None, 0)
    }

    /// Whether a rule that does not fire asks for nothing more: no trace,
    /// no probe, and no provisional judgement whose doubt it could carry.
    fn quiet(&self) -> bool {
        !self.any_doubt && self.trace.is_none() && self.probes.is_none()
    }

    /// Whether a `for each` rule over a list that is not empty is false for
    /// every element, as one of the operands of its condition that come
    /// before any that reads the element is false (`Model::loop_guards`).
    /// Each element's evaluation would evaluate those same operands, in the
    /// same order, first: the values and any error are the ones it would
    /// meet. Only where a rule that does not fire asks for nothing more (no
    /// trace, no probe, no provisional judgement), as in `rule_once`.
    fn never_fires(&mut self, r: RuleId, rule: &'a RuleDef) -> Fallible<bool> {
        if !self.quiet() {
            return Ok(false);
        }
        self.loop_guard_false(r, rule)
    }

    /// Whether one of the operands of a `for each` rule's condition that come
    /// before any that reads the element (`Model::loop_guards`) is false.
    fn loop_guard_false(&mut self, r: RuleId, rule: &'a RuleDef) -> Fallible<bool> {
        let guards = self.model.loop_guards.get(r).map_or(&[][..], |g| &g[..]);
        self.current = Some(rule);
        for &guard in guards {
            if self.truth(guard)? == Tri::False {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// The doubt over a rule's result when its condition reads provisional
    /// judgements: its condition read with those judgements unknown.
    fn doubt_over(&mut self, rule: &RuleDef, result: Tri) -> Fallible<Option<Doubt>> {
        let provisional =
            |j: &JudgementId| self.judgements.get(*j).is_some_and(|s| s.doubt.is_some());
        // Most rules read no provisional judgement: nothing to gather.
        if !self.any_doubt {
            return Ok(None);
        }
        if !rule
            .reads_judgements
            .iter()
            .chain(&rule.effect_judgements)
            .any(provisional)
        {
            return Ok(None);
        }
        let doubtful: Vec<JudgementId> = rule
            .reads_judgements
            .iter()
            .chain(&rule.effect_judgements)
            .filter(|j| provisional(j))
            .copied()
            .collect();
        let depends = match rule.when {
            Some(cond) => {
                self.doubting = true;
                let masked = self.truth(cond);
                self.doubting = false;
                masked? == Tri::Unknown
            }
            None => false,
        };
        let from_effects =
            result == Tri::True && rule.effect_judgements.iter().any(|j| doubtful.contains(j));
        if !depends && !from_effects {
            return Ok(None);
        }
        let mut doubt = Doubt::default();
        for j in doubtful {
            if let Some(d) = self.judgements.get(j).and_then(|s| s.doubt.as_ref()) {
                doubt.absorb(d);
            }
        }
        Ok(Some(doubt))
    }

    // Inlined into its two callers: a call for each rule was 8% of an
    // evaluation's instructions (callgrind), most rules being decided by
    // the first part of their condition.
    #[inline(always)]
    fn rule_once(&mut self, r: RuleId, element: Option<&Element>, index: usize) -> Fallible<()> {
        let rule = self.rule_def(r)?;
        self.current = Some(rule);
        // Most conditions are an `and` whose first parts, fields or
        // judgements read where they are, make it false.
        let mut guarded = None;
        if self.quiet() {
            guarded = self.model.guards.get(r).and_then(|g| self.guarded(g));
            if guarded == Some(Tri::False) {
                return Ok(());
            }
        }
        self.decide(r, rule, guarded, element, index)
    }

    /// A rule's condition walked (unless its guards, which are all of it,
    /// gave its truth: `guarded`), and what it came to acted on: the rest
    /// of [`Run::rule_once`] once the guards have not made it false.
    #[inline(always)]
    fn decide(
        &mut self,
        r: RuleId,
        rule: &'a RuleDef,
        guarded: Option<Tri>,
        element: Option<&Element>,
        index: usize,
    ) -> Fallible<()> {
        let result = match (guarded, rule.when) {
            (Some(t), _) => t,
            (None, Some(cond)) => self.truth(cond)?,
            (None, None) => Tri::True,
        };
        // Most rules do not fire: with no doubt to weigh and nothing to
        // record, there is nothing more to do, and the rest stays out of
        // this, the common path.
        if result == Tri::False && self.quiet() {
            return Ok(());
        }
        self.rule_result(r, rule, result, element, index)
    }

    /// What a rule's condition came to, acted on: its effects when it
    /// fired, an undetermined entry when it could not be decided, and its
    /// trace and probe when they are asked for.
    #[inline(never)]
    fn rule_result(
        &mut self,
        r: RuleId,
        rule: &'a RuleDef,
        result: Tri,
        element: Option<&Element>,
        index: usize,
    ) -> Fallible<()> {
        let doubt = self.doubt_over(rule, result)?;
        // The element's id is written out only where something names it.
        let named = self.trace.is_some()
            || self.probes.is_some()
            || result != Tri::False
            || doubt.is_some();
        let item = element.filter(|_| named).map(Element::id);
        if self.probes.is_some() {
            self.probe(r, item.clone(), result)?;
        }
        if self.trace.is_some() {
            let values = self.values_read(rule.when);
            if let Some(t) = self.trace.as_mut() {
                t.push(TraceStep::Rule {
                    rule: &rule.id,
                    cite: &rule.cite,
                    result: match result {
                        Tri::True => RuleResult::Fired,
                        Tri::False => RuleResult::NotFired,
                        Tri::Unknown => RuleResult::Undetermined,
                    },
                    item: item.clone(),
                    values,
                });
            }
        }
        match (result, doubt) {
            (Tri::True, doubt) => {
                for effect in &rule.effects {
                    self.effect(r, rule, effect, item.as_ref(), doubt.as_ref())?;
                }
                Ok(())
            }
            (Tri::False, None) => Ok(()),
            (Tri::False, Some(doubt)) => {
                // Decided only by a provisional judgement: it could fire.
                self.undecided(r, rule, item, doubt)
            }
            (Tri::Unknown, doubt) => {
                let mut missing = self.missing_fields(rule, index)?;
                if let Some(d) = &doubt {
                    missing.extend(d.missing.iter().cloned());
                }
                sort_unique(&mut missing);
                let mut all = doubt.unwrap_or_default();
                all.rules.push(r);
                all.absorb(&Doubt {
                    rules: Vec::new(),
                    missing,
                });
                self.undecided(r, rule, item, all)
            }
        }
    }

    /// The id of the element the current `for each` rule is on.
    fn current_item(&self) -> Option<Item> {
        let (items, index) = self.vars.first()?.as_ref()?;
        items.get(*index).map(Element::id)
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
        // No bits (a trace or probe asked for): every step.
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
