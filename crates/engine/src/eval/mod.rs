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

mod expr;
mod spans;

use crate::calendar::Calendar;
use crate::error::EvalError;
use crate::evidence::{Evidence, EvidenceError};
use crate::model::*;
use crate::outcome::{
    self, Item, Outcome, Provisional, ReadValue, Relation, RuleResult, TraceStep,
};
use crate::types::Type;
use crate::value::{Element, Tri, Value};
use chrono::NaiveDate;
use judgement_syntax::ast::ConstraintOp;
use std::borrow::Cow;
use std::sync::Arc;

pub(crate) use crate::show::{enum_name, show, show_plain};

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

pub(crate) struct Run<'a, 'e> {
    model: &'a Model,
    calendar: Option<&'a Calendar>,
    slots: &'e [Value],
    lets: Vec<Value>,
    judgements: Vec<JudgementState>,
    /// The element each binder slot is on: its list and index.
    vars: Vec<Option<(Arc<[Element]>, usize)>>,
    /// While set, provisional judgements read as unknown.
    doubting: bool,
    /// The rule being evaluated, for the names of its `for each` element.
    current: Option<&'a RuleDef>,
    /// Each judgement's details once it is made final, by judgement.
    details: Vec<Option<outcome::JudgementDetail<'a>>>,
    evaluated_on: Option<NaiveDate>,
    out: Outcome<'a>,
    trace: Option<Vec<TraceStep<'a>>>,
}

pub(crate) fn evaluate<'r>(
    model: &'r Model,
    calendar: Option<&'r Calendar>,
    evidence: &mut Evidence,
    header: outcome::RulesetRef<'r>,
    trace: bool,
) -> Result<Outcome<'r>, EvalError> {
    let evaluated_on = match model.meta.evaluated_on.and_then(|f| evidence.slots.get(f)) {
        Some(Value::Date(d)) => Some(*d),
        _ => None,
    };
    let mut run = Run {
        model,
        calendar,
        slots: &evidence.slots,
        lets: Vec::with_capacity(model.lets.len()),
        judgements: vec![JudgementState::default(); model.judgements.len()],
        vars: Vec::new(),
        doubting: false,
        current: None,
        details: vec![None; model.judgements.len()],
        evaluated_on,
        out: Outcome {
            id: evidence.id.take(),
            ruleset: header,
            evaluated_on,
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
        trace: trace.then(Vec::new),
    };
    for l in &model.lets {
        let v = run
            .value(l.expr)
            .map_err(|e| e.within(&format!("let {}", l.name)))?;
        if let Some(t) = run.trace.as_mut() {
            t.push(TraceStep::Let {
                name: &l.name,
                value: show(model, l.ty, &v),
            });
        }
        run.lets.push(v);
    }
    run.checks()?;
    for step in &model.steps {
        match *step {
            Step::Rule(r) => {
                let rule = run.rule_def(r)?;
                if !rule.is_check {
                    run.rule(r)
                        .map_err(|e| e.within(&format!("rule {}", rule.id)))?;
                }
            }
            Step::Judgement(j) => run.judgement(j)?,
        }
    }
    let mut out = run.out;
    // Every judgement, in the order the ruleset declares them.
    out.judgements.reserve(model.judgements.len());
    out.details.reserve(model.judgements.len());
    for (def, detail) in model.judgements.iter().zip(run.details) {
        if let Some(detail) = detail {
            out.judgements.insert(&def.name, detail.value);
            out.details.insert(&def.name, detail);
        }
    }
    out.actions.sort();
    out.actions.dedup();
    out.deadlines.sort();
    out.deadlines.dedup();
    out.findings.sort();
    out.findings.dedup();
    out.advisories.sort();
    out.advisories.dedup();
    out.undetermined.sort();
    out.undetermined.dedup();
    out.trace = run.trace;
    Ok(out)
}

/// What an effect would do, in the words of the rule file; `bound` is the
/// value a constraint's bound has, where it is known.
fn describe_effect(model: &Model, effect: &EffectDef, bound: Option<u16>) -> String {
    match effect {
        EffectDef::Constrain { judgement, op, .. } => {
            let j = model.judgements.get(*judgement);
            let name = j.map(|d| d.name.as_str()).unwrap_or_default();
            let bound = match (bound, j) {
                (Some(v), Some(d)) => enum_name(model, d.scale, v),
                _ => "a value not known".into(),
            };
            format!("{name} {op} {bound}")
        }
        EffectDef::Action { name, .. } => format!("action {name}"),
        EffectDef::Finding { name, .. } => format!("finding {name}"),
        EffectDef::Deadline { name, .. } | EffectDef::Window { name, .. } => {
            format!("deadline {name}")
        }
        EffectDef::Withhold => "no judgement".into(),
        EffectDef::Advise { .. } => "an advisory".into(),
        EffectDef::Reject { .. } => "refuse the record".into(),
    }
}

impl<'a> Run<'a, '_> {
    fn rule_def(&self, r: RuleId) -> Result<&'a RuleDef, EvalError> {
        self.model
            .rules
            .get(r)
            .ok_or_else(|| EvalError::Internal("rule out of range"))
    }

    fn rule_ref(&self, r: RuleId) -> outcome::RuleRef<'a> {
        let rule = self.model.rules.get(r);
        outcome::RuleRef {
            rule: rule.map(|x| x.id.as_str()).unwrap_or_default(),
            cite: rule.map(|x| x.cite.as_str()).unwrap_or_default(),
        }
    }

    fn provisional(&self, doubt: &Doubt) -> Provisional<'a> {
        let mut rules: Vec<&'a str> = doubt
            .rules
            .iter()
            .filter_map(|r| self.model.rules.get(*r).map(|d| d.id.as_str()))
            .collect();
        rules.sort();
        rules.dedup();
        let mut missing = doubt.missing.clone();
        missing.sort();
        missing.dedup();
        Provisional { rules, missing }
    }

    /// Run `f` on each element of a list in turn, bound at `slot`. The
    /// binding is restored afterwards.
    fn each_element(
        &mut self,
        items: &Arc<[Element]>,
        slot: usize,
        mut f: impl FnMut(&mut Self, usize) -> Result<bool, EvalError>,
    ) -> Result<(), EvalError> {
        if self.vars.len() <= slot {
            self.vars.resize(slot + 1, None);
        }
        let saved = self.vars.get_mut(slot).and_then(Option::take);
        for index in 0..items.len() {
            if let Some(v) = self.vars.get_mut(slot) {
                *v = Some((Arc::clone(items), index));
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
    fn list(&mut self, e: ExprId) -> Result<Option<Arc<[Element]>>, EvalError> {
        match self.value(e)? {
            Value::List(items) => Ok(Some(items)),
            Value::Unknown => Ok(None),
            Value::None => Ok(Some(Vec::new().into())),
            _ => Err(EvalError::Internal("a list expression gave another value")),
        }
    }

    /// `invalid` checks: each that holds refuses the record, all reported.
    fn checks(&mut self) -> Result<(), EvalError> {
        let mut errors = Vec::new();
        for rule in &self.model.rules {
            if !rule.is_check {
                continue;
            }
            let Some(cond) = rule.when else { continue };
            let Some(EffectDef::Reject { message }) = rule.effects.first() else {
                continue;
            };
            self.current = Some(rule);
            match &rule.for_each {
                None => {
                    if self.truth(cond)? == Tri::True {
                        errors.push(self.rejection(rule, cond, message, None)?);
                    }
                }
                Some(fe) => {
                    let Some(items) = self.list(fe.list)? else {
                        continue;
                    };
                    let mut found = Vec::new();
                    self.each_element(&items, 0, |run, index| {
                        if run.truth(cond)? == Tri::True {
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
            Err(EvalError::Evidence(errors))
        }
    }

    fn rejection(
        &mut self,
        rule: &RuleDef,
        cond: ExprId,
        message: &'a Message,
        at: Option<String>,
    ) -> Result<EvidenceError, EvalError> {
        let text = self.message(message)?;
        let values = self.values_read(Some(cond));
        let path = at.unwrap_or_else(|| {
            rule.reads
                .first()
                .and_then(|f| self.model.fields.get(*f))
                .map(|d| d.name.clone())
                .unwrap_or_default()
        });
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

    fn rule(&mut self, r: RuleId) -> Result<(), EvalError> {
        let rule = self.rule_def(r)?;
        let Some(fe) = &rule.for_each else {
            return self.rule_once(r, None, 0);
        };
        let Some(items) = self.list(fe.list)? else {
            return Ok(());
        };
        self.each_element(&items, 0, |run, index| {
            run.rule_once(r, items.get(index), index)?;
            Ok(true)
        })
    }

    /// The doubt over a rule's result when its condition reads provisional
    /// judgements: its condition read with those judgements unknown.
    fn doubt_over(&mut self, rule: &RuleDef, result: Tri) -> Result<Option<Doubt>, EvalError> {
        let doubtful: Vec<JudgementId> = rule
            .reads_judgements
            .iter()
            .chain(&rule.effect_judgements)
            .copied()
            .filter(|j| self.judgements.get(*j).is_some_and(|s| s.doubt.is_some()))
            .collect();
        if doubtful.is_empty() {
            return Ok(None);
        }
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

    fn rule_once(
        &mut self,
        r: RuleId,
        element: Option<&Element>,
        index: usize,
    ) -> Result<(), EvalError> {
        let rule = self.rule_def(r)?;
        self.current = Some(rule);
        let result = match rule.when {
            Some(cond) => self.truth(cond)?,
            None => Tri::True,
        };
        let doubt = self.doubt_over(rule, result)?;
        // The element's id is written out only where something names it.
        let named = self.trace.is_some() || result != Tri::False || doubt.is_some();
        let item = element.filter(|_| named).map(Element::id);
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
                missing.sort();
                missing.dedup();
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

    /// A hard rule that could not be decided: listed as undetermined, and the
    /// constraints it could put on judgements kept as pending.
    fn undecided(
        &mut self,
        r: RuleId,
        rule: &'a RuleDef,
        item: Option<Item>,
        mut doubt: Doubt,
    ) -> Result<(), EvalError> {
        if !rule.is_hard() {
            return Ok(());
        }
        if !doubt.rules.contains(&r) {
            doubt.rules.push(r);
        }
        let mut effects: Vec<String> = Vec::new();
        for effect in &rule.effects {
            let mut bound = None;
            match effect {
                EffectDef::Constrain {
                    judgement,
                    op,
                    value,
                } => {
                    let value = match value {
                        Bound::Const(v) => Some(*v),
                        Bound::Expr(e) => match self.value(*e)? {
                            Value::Enum(v) => Some(v),
                            _ => None,
                        },
                    };
                    bound = value;
                    if let Some(state) = self.judgements.get_mut(*judgement) {
                        state.pending.push(Pending {
                            op: *op,
                            value,
                            doubt: doubt.clone(),
                        });
                    }
                }
                EffectDef::Withhold => {
                    for state in &mut self.judgements {
                        state
                            .maybe_withheld
                            .get_or_insert_with(Doubt::default)
                            .absorb(&doubt);
                    }
                }
                _ => {}
            }
            if effect.is_hard() {
                let text = describe_effect(self.model, effect, bound);
                if !effects.contains(&text) {
                    effects.push(text);
                }
            }
        }
        let mut depends_on: Vec<&'a str> = rule
            .reads_judgements
            .iter()
            .filter(|j| self.judgements.get(**j).is_some_and(|s| s.doubt.is_some()))
            .filter_map(|j| self.model.judgements.get(*j).map(|d| d.name.as_str()))
            .collect();
        depends_on.sort();
        let mut missing = doubt.missing.clone();
        missing.sort();
        missing.dedup();
        self.out.undetermined.push(outcome::Undetermined {
            rule: &rule.id,
            cite: &rule.cite,
            missing,
            item,
            depends_on,
            effects,
        });
        Ok(())
    }

    fn effect(
        &mut self,
        r: RuleId,
        rule: &'a RuleDef,
        effect: &'a EffectDef,
        item: Option<&Item>,
        doubt: Option<&Doubt>,
    ) -> Result<(), EvalError> {
        let provisional = doubt.map(|d| self.provisional(d));
        match effect {
            EffectDef::Constrain {
                judgement,
                op,
                value,
            } => {
                let value = match value {
                    Bound::Const(v) => *v,
                    Bound::Expr(e) => match self.value(*e)? {
                        Value::Enum(v) => v,
                        Value::Unknown => {
                            // The bound is not known: the rule cannot be applied.
                            let missing = self.missing_in(*e)?;
                            let doubt = Doubt {
                                rules: vec![r],
                                missing,
                            };
                            return self.undecided(r, rule, item.cloned(), doubt);
                        }
                        // A judgement not made, or a value guarded as set: nothing to bound by.
                        _ => return Ok(()),
                    },
                };
                if let Some(state) = self.judgements.get_mut(*judgement) {
                    state.constraints.push(Fired {
                        op: *op,
                        value,
                        rule: r,
                        item: item.cloned(),
                        doubt: doubt.cloned(),
                    });
                }
            }
            EffectDef::Withhold => {
                // Of several rules that withhold, the one whose id sorts
                // first is named, whatever order they are written in.
                let rules = self.model.rules.as_slice();
                let id = |r: RuleId| rules.get(r).map(|x| x.id.as_str());
                for state in &mut self.judgements {
                    state.withheld_by = match state.withheld_by {
                        Some(w) if id(w) <= id(r) => Some(w),
                        _ => Some(r),
                    };
                    if let Some(d) = doubt {
                        state
                            .maybe_withheld
                            .get_or_insert_with(Doubt::default)
                            .absorb(d);
                    }
                }
            }
            EffectDef::Action { name, label, due } => {
                let label = match label {
                    Some(m) => Some(self.message(m)?),
                    None => None,
                };
                let due = match due {
                    Some(e) => match self.date(*e, rule, name)? {
                        Some(d) => Some(d),
                        None => return Ok(()),
                    },
                    None => None,
                };
                let overdue = self.is_overdue(due);
                self.out.actions.push(outcome::Action {
                    action: name,
                    rule: &rule.id,
                    cite: &rule.cite,
                    item: item.cloned(),
                    label,
                    due,
                    overdue,
                    provisional,
                });
            }
            EffectDef::Finding { name, message } => {
                let message = match message {
                    Some(m) => Some(self.message(m)?),
                    None => None,
                };
                self.out.findings.push(outcome::Finding {
                    finding: name,
                    rule: &rule.id,
                    cite: &rule.cite,
                    item: item.cloned(),
                    message,
                    provisional,
                });
            }
            EffectDef::Advise { message } => {
                let message = self.message(message)?;
                self.out.advisories.push(outcome::Advisory {
                    rule: &rule.id,
                    cite: &rule.cite,
                    message,
                    item: item.cloned(),
                    provisional,
                });
            }
            EffectDef::Deadline { name, on, target } => {
                let Some(date) = self.date(*on, rule, name)? else {
                    return Ok(());
                };
                self.deadline(rule, name, item, (None, date), *target, provisional)?;
            }
            EffectDef::Window {
                name,
                from,
                to,
                target,
            } => {
                let (Some(f), Some(t)) =
                    (self.date(*from, rule, name)?, self.date(*to, rule, name)?)
                else {
                    return Ok(());
                };
                self.deadline(rule, name, item, (Some(f), t), *target, provisional)?;
            }
            // Checks run before the steps; a rule never rejects.
            EffectDef::Reject { .. } => {}
        }
        Ok(())
    }

    /// A deadline entry: its last day (and first, for a window), its target,
    /// and whether it is overdue on the evaluation date.
    fn deadline(
        &mut self,
        rule: &'a RuleDef,
        name: &'a str,
        item: Option<&Item>,
        (from, last): (Option<NaiveDate>, NaiveDate),
        target: Option<ExprId>,
        provisional: Option<Provisional<'a>>,
    ) -> Result<(), EvalError> {
        let target = match target {
            Some(t) => self.date(t, rule, name)?,
            None => None,
        };
        let (date, to) = match from {
            Some(_) => (None, Some(last)),
            None => (Some(last), None),
        };
        let overdue = self.is_overdue(Some(last));
        self.out.deadlines.push(outcome::Deadline {
            deadline: name,
            date,
            from,
            to,
            target,
            rule: &rule.id,
            cite: &rule.cite,
            item: item.cloned(),
            overdue,
            provisional,
        });
        Ok(())
    }

    fn is_overdue(&self, date: Option<NaiveDate>) -> bool {
        matches!((date, self.evaluated_on), (Some(d), Some(on)) if d < on)
    }

    /// A message with its `{name}` parts filled in; borrowed from the rule
    /// file when it has none.
    fn message(&mut self, m: &'a Message) -> Result<Cow<'a, str>, EvalError> {
        if let [MessagePart::Text(t)] = m.parts.as_slice() {
            return Ok(Cow::Borrowed(t.as_str()));
        }
        let mut out = String::new();
        for part in &m.parts {
            match part {
                MessagePart::Text(t) => out.push_str(t),
                MessagePart::Value { expr, ty } => {
                    let v = self.value(*expr)?;
                    out.push_str(&show_plain(self.model, *ty, &v));
                }
            }
        }
        Ok(Cow::Owned(out))
    }

    /// A date an effect needs; an unknown one makes the rule undetermined.
    fn date(
        &mut self,
        e: ExprId,
        rule: &'a RuleDef,
        deadline: &'a str,
    ) -> Result<Option<NaiveDate>, EvalError> {
        match self.value(e)? {
            Value::Date(d) => {
                self.trace_working_days(e, rule, deadline)?;
                Ok(Some(d))
            }
            Value::Unknown => {
                let mut missing = self.missing_in(e)?;
                missing.sort();
                missing.dedup();
                self.out.undetermined.push(outcome::Undetermined {
                    rule: &rule.id,
                    cite: &rule.cite,
                    missing,
                    item: self.current_item(),
                    depends_on: Vec::new(),
                    effects: vec![format!("{deadline} on a date not known")],
                });
                Ok(None)
            }
            _ => Ok(None),
        }
    }

    /// The id of the element the current `for each` rule is on.
    fn current_item(&self) -> Option<Item> {
        let (items, index) = self.vars.first()?.as_ref()?;
        items.get(*index).map(Element::id)
    }

    /// With a trace on: show every day each working-day sum in a deadline's
    /// expression skipped, and why.
    fn trace_working_days(
        &mut self,
        e: ExprId,
        rule: &'a RuleDef,
        deadline: &'a str,
    ) -> Result<(), EvalError> {
        if self.trace.is_none() {
            return Ok(());
        }
        let mut stack = vec![e];
        while let Some(id) = stack.pop() {
            let node = self.node(id)?;
            stack.extend(node.children());
            let Node::Arith(op @ (Arith::DateAddWorking | Arith::DateSubWorking), a, b) = node
            else {
                continue;
            };
            let (Value::Date(start), Value::WorkingDays(n)) = (self.value(*a)?, self.value(*b)?)
            else {
                continue;
            };
            let n = if *op == Arith::DateSubWorking { -n } else { n };
            let cal = self.calendar.ok_or_else(|| EvalError::NoCalendar)?;
            let count = cal.add_working_days_explained(start, n)?;
            let item = self.current_item();
            if let Some(t) = self.trace.as_mut() {
                t.push(TraceStep::WorkingDays {
                    rule: &rule.id,
                    deadline,
                    item,
                    start,
                    days: n,
                    end: count.end,
                    skipped: count.skipped,
                });
            }
        }
        Ok(())
    }

    /// The JSON paths of the evidence a rule's condition reads and that is
    /// not known: fields, the current element's fields, and the fields of
    /// the elements a quantifier over an evidence list looks at.
    fn missing_fields(&mut self, rule: &RuleDef, index: usize) -> Result<Vec<String>, EvalError> {
        let mut out: Vec<String> = rule
            .reads
            .iter()
            .filter(|f| matches!(self.slots.get(**f), Some(Value::Unknown)))
            .filter_map(|f| self.model.fields.get(*f).map(|d| d.name.clone()))
            .collect();
        if let Some(cond) = rule.when {
            let prefix = rule
                .for_each
                .as_ref()
                .map(|fe| format!("{}[{index}]", fe.list_name));
            out.extend(self.missing_in_scope(cond, prefix.as_deref())?);
        }
        Ok(out)
    }

    /// Unknown evidence an expression reads (fields and lets' fields).
    fn missing_in(&mut self, e: ExprId) -> Result<Vec<String>, EvalError> {
        let mut out = Vec::new();
        let mut stack = vec![e];
        while let Some(id) = stack.pop() {
            match self.node(id)? {
                Node::Field(f) => {
                    if matches!(self.slots.get(*f), Some(Value::Unknown)) {
                        if let Some(d) = self.model.fields.get(*f) {
                            out.push(d.name.clone());
                        }
                    }
                }
                Node::Let(l) => {
                    if let Some(d) = self.model.lets.get(*l) {
                        stack.push(d.expr);
                    }
                }
                node => stack.extend(node.children()),
            }
        }
        out.extend(self.missing_in_scope(e, None)?);
        Ok(out)
    }

    /// Unknown element fields read under `e`: those of the `for each`
    /// element (slot 0, named by `prefix`), and those of the elements of a
    /// quantified evidence list.
    fn missing_in_scope(
        &mut self,
        e: ExprId,
        prefix: Option<&str>,
    ) -> Result<Vec<String>, EvalError> {
        let mut out = Vec::new();
        let mut stack = vec![e];
        while let Some(id) = stack.pop() {
            let node = self.node(id)?;
            match node {
                Node::Var {
                    slot: 0,
                    field: Some(f),
                } => {
                    let (Some(prefix), Some((items, index))) =
                        (prefix, self.vars.first().and_then(Option::as_ref))
                    else {
                        continue;
                    };
                    let unknown = items
                        .get(*index)
                        .and_then(|el| el.fields().get(*f))
                        .is_some_and(|v| matches!(v, Value::Unknown));
                    if unknown {
                        if let Some((name, _, _)) = self.for_each_field(*f) {
                            let field = name.split_once('.').map_or(name.as_str(), |(_, f)| f);
                            out.push(format!("{prefix}.{field}"));
                        }
                    }
                }
                Node::Quantified { list, slot, .. } | Node::Aggregate { list, slot, .. } => {
                    stack.extend(node.children());
                    let Some(Node::Field(f)) = self.model.exprs.get(*list) else {
                        continue;
                    };
                    let Some(Value::List(items)) = self.slots.get(*f) else {
                        continue;
                    };
                    let name = self
                        .model
                        .fields
                        .get(*f)
                        .map(|d| d.name.clone())
                        .unwrap_or_default();
                    let reads = self.slot_fields(id, *slot);
                    let record = self.record_of_list(*f);
                    for (i, el) in items.iter().enumerate() {
                        for field in &reads {
                            if matches!(el.fields().get(*field), Some(Value::Unknown)) {
                                let fname = record
                                    .and_then(|r| r.fields.get(*field))
                                    .map(|d| d.name.as_str())
                                    .unwrap_or_default();
                                out.push(format!("{name}[{i}].{fname}"));
                            }
                        }
                    }
                }
                node => stack.extend(node.children()),
            }
        }
        Ok(out)
    }

    /// The fields of the elements bound at `slot` that the expressions under
    /// a quantifier read.
    fn slot_fields(&self, quantifier: ExprId, slot: usize) -> Vec<usize> {
        let mut out = Vec::new();
        let mut stack: Vec<ExprId> = self
            .model
            .exprs
            .get(quantifier)
            .map(|n| n.children().skip(1).collect())
            .unwrap_or_default();
        while let Some(id) = stack.pop() {
            match self.model.exprs.get(id) {
                Some(Node::Var {
                    slot: s,
                    field: Some(f),
                }) if *s == slot && !out.contains(f) => out.push(*f),
                Some(Node::Var { .. }) => {}
                Some(n) => stack.extend(n.children()),
                None => {}
            }
        }
        out
    }

    fn record_of_list(&self, field: FieldId) -> Option<&'a RecordDef> {
        match self.model.fields.get(field)?.ty {
            Type::List(crate::types::Elem::Record(r)) => self.model.records.get(r),
            _ => None,
        }
    }

    /// `name = value` for each field, let, judgement and element field a
    /// condition reads.
    fn values_read(&mut self, cond: Option<ExprId>) -> Vec<ReadValue<'a>> {
        let mut out = Vec::new();
        let mut stack: Vec<ExprId> = cond.into_iter().collect();
        while let Some(id) = stack.pop() {
            let Ok(node) = self.node(id) else { continue };
            let entry = match node {
                Node::Field(f) => self.model.fields.get(*f).map(|d| {
                    (
                        Cow::Borrowed(d.name.as_str()),
                        d.ty,
                        self.slots.get(*f).cloned(),
                    )
                }),
                Node::Let(l) => self.model.lets.get(*l).map(|d| {
                    (
                        Cow::Borrowed(d.name.as_str()),
                        d.ty,
                        self.lets.get(*l).cloned(),
                    )
                }),
                Node::Judgement(j) => self.model.judgements.get(*j).map(|d| {
                    let v = self
                        .judgements
                        .get(*j)
                        .and_then(|s| s.value)
                        .map_or(Value::None, Value::Enum);
                    (
                        Cow::Borrowed(d.name.as_str()),
                        Type::Enum {
                            id: d.scale,
                            ordered: true,
                        },
                        Some(v),
                    )
                }),
                Node::Var {
                    slot: 0,
                    field: Some(f),
                } => self
                    .for_each_field(*f)
                    .map(|(name, ty, v)| (Cow::Owned(name), ty, v)),
                Node::Threshold(t) => self
                    .model
                    .thresholds
                    .get(*t)
                    .map(|d| (Cow::Borrowed(d.name.as_str()), d.ty, Some(d.value.clone()))),
                // The elements a quantifier or aggregate looked at are many:
                // its result speaks for them.
                Node::Quantified { .. } | Node::Aggregate { .. } => None,
                other => {
                    // Read operands left to right: push them reversed.
                    let children: Vec<ExprId> = other.children().collect();
                    stack.extend(children.into_iter().rev());
                    None
                }
            };
            if let Some((name, ty, Some(v))) = entry {
                let read = ReadValue {
                    name,
                    value: show(self.model, ty, &v),
                };
                if !out.contains(&read) {
                    out.push(read);
                }
            }
        }
        out
    }

    /// `element.field`, its type and value, for the `for each` element.
    fn for_each_field(&self, field: usize) -> Option<(String, Type, Option<Value>)> {
        let (items, index) = self.vars.first()?.as_ref()?;
        let element = items.get(*index)?;
        let fe = self.current?.for_each.as_ref()?;
        let crate::types::Elem::Record(rec) = fe.elem else {
            return None;
        };
        let def = self.model.records.get(rec)?.fields.get(field)?;
        Some((
            format!("{}.{}", fe.var, def.name),
            def.ty,
            element.fields().get(field).cloned(),
        ))
    }

    fn judgement(&mut self, j: JudgementId) -> Result<(), EvalError> {
        let Some(def) = self.model.judgements.get(j) else {
            return Ok(());
        };
        let applies = match def.applies {
            Some(cond) => match self.truth(cond)? {
                Tri::True => true,
                Tri::False => false,
                Tri::Unknown => {
                    return Err(EvalError::UnknownApplicability {
                        judgement: def.name.clone(),
                    })
                }
            },
            None => true,
        };
        let proposed = match self.slots.get(def.from) {
            Some(Value::Enum(p)) => Some(*p),
            _ => None,
        };
        let name_of = |v: u16| scale_value(self.model, def.scale, v);
        let mut detail = outcome::JudgementDetail {
            proposed: proposed.map(name_of),
            value: None,
            binding: Vec::new(),
            slack: Vec::new(),
            rejected: false,
            withheld_by: None,
            not_made: None,
            provisional: None,
        };
        let state = self
            .judgements
            .get_mut(j)
            .map(std::mem::take)
            .unwrap_or_default();
        let (value, doubt) = if !applies {
            detail.not_made = Some(outcome::NotMade::NotAtThisInspection {
                condition: def.applies_text.as_deref(),
            });
            (None, None)
        } else if let Some(r) = state.withheld_by {
            let by = self.rule_ref(r);
            detail.not_made = Some(outcome::NotMade::WithheldBy(by));
            detail.withheld_by = Some(by);
            (None, state.maybe_withheld.clone())
        } else {
            let (v, doubt) = self.settle(def, &state, proposed, &mut detail)?;
            (Some(v), doubt)
        };
        detail.value = value.map(name_of);
        detail.provisional = doubt.as_ref().map(|d| self.provisional(d));
        if let Some(slot) = self.judgements.get_mut(j) {
            *slot = JudgementState {
                value,
                doubt,
                ..state
            };
        }
        if let Some(t) = self.trace.as_mut() {
            t.push(TraceStep::Judgement {
                judgement: &def.name,
                proposed: detail.proposed,
                value: detail.value,
                applies,
            });
        }
        if let Some(slot) = self.details.get_mut(j) {
            *slot = Some(detail);
        }
        Ok(())
    }

    /// A judgement's value from its proposal and the constraints that fired,
    /// and the doubt over it from constraints that might apply.
    fn settle(
        &self,
        def: &'a JudgementDef,
        state: &JudgementState,
        proposed: Option<u16>,
        detail: &mut outcome::JudgementDetail<'a>,
    ) -> Result<(u16, Option<Doubt>), EvalError> {
        let name_of = |v: u16| scale_value(self.model, def.scale, v);
        let constraint = |f: &Fired| -> outcome::Constraint<'a> {
            let r = self.rule_ref(f.rule);
            outcome::Constraint {
                rule: r.rule,
                cite: r.cite,
                relation: relation(f.op),
                value: name_of(f.value),
                item: f.item.clone(),
            }
        };
        // Ranks: 0 is best. A cap (`at most`) is the best rank allowed; a
        // floor (`at least`) the worst. Of constraints with the same value,
        // the one whose rule id (then item) sorts first stands for them, so
        // that a conflict names the same rules whatever order they are
        // written in.
        let rules = self.model.rules.as_slice();
        let tie = |f| tie_key(rules, f);
        let cap = state
            .constraints
            .iter()
            .filter(|f| f.op != ConstraintOp::AtLeast)
            .min_by(|a, b| b.value.cmp(&a.value).then_with(|| tie(a).cmp(&tie(b))));
        let floor = state
            .constraints
            .iter()
            .filter(|f| f.op != ConstraintOp::AtMost)
            .min_by(|a, b| a.value.cmp(&b.value).then_with(|| tie(a).cmp(&tie(b))));
        if let (Some(c), Some(f)) = (cap, floor) {
            if f.value < c.value {
                return Err(EvalError::Conflict {
                    judgement: def.name.clone(),
                    floor: constraint(f).text(),
                    floor_rule: self.rule_ref(f.rule).rule.to_string(),
                    cap: constraint(c).text(),
                    cap_rule: self.rule_ref(c.rule).rule.to_string(),
                });
            }
        }
        let pinned = match (cap, floor) {
            (Some(c), Some(f)) if c.value == f.value => Some(c.value),
            _ => None,
        };
        let start = match (proposed, pinned) {
            (Some(p), _) => p,
            (None, Some(p)) => p,
            (None, None) => {
                let path = self
                    .model
                    .fields
                    .get(def.from)
                    .map(|f| f.name.clone())
                    .unwrap_or_default();
                return Err(EvalError::MissingProposed {
                    judgement: def.name.clone(),
                    path,
                });
            }
        };
        let v = clamp(start, cap.map(|c| c.value), floor.map(|f| f.value));
        let bound = if proposed.is_none() {
            // With no proposal, the pin itself binds.
            pinned
        } else if v != start {
            Some(v)
        } else {
            None
        };
        detail.rejected = proposed.is_some_and(|p| p != v);
        let mut doubt: Option<Doubt> = None;
        for f in &state.constraints {
            let moved_here = match f.op {
                ConstraintOp::AtMost => Some(f.value) == bound && f.value == v && start < v,
                ConstraintOp::AtLeast => Some(f.value) == bound && f.value == v && start > v,
                ConstraintOp::Equal => Some(f.value) == bound && f.value == v,
            };
            if moved_here {
                detail.binding.push(constraint(f));
                if let Some(d) = &f.doubt {
                    doubt.get_or_insert_with(Doubt::default).absorb(d);
                }
            } else {
                detail.slack.push(constraint(f));
            }
        }
        for p in &state.pending {
            let could_change = match p.value {
                None => true,
                Some(b) => match p.op {
                    ConstraintOp::AtMost => v < b,
                    ConstraintOp::AtLeast => v > b,
                    ConstraintOp::Equal => v != b,
                },
            };
            if could_change {
                doubt.get_or_insert_with(Doubt::default).absorb(&p.doubt);
            }
        }
        if let Some(d) = &state.maybe_withheld {
            doubt.get_or_insert_with(Doubt::default).absorb(d);
        }
        detail.binding.sort();
        detail.binding.dedup();
        detail.slack.sort();
        detail.slack.dedup();
        Ok((v, doubt))
    }
}

/// A scale value's name, borrowed from the model ("" for a rank the scale
/// does not have, which checking rules out).
fn scale_value(model: &Model, scale: usize, rank: u16) -> &str {
    model
        .enums
        .get(scale)
        .and_then(|e| e.values.get(usize::from(rank)))
        .map_or("", String::as_str)
}

fn relation(op: ConstraintOp) -> Relation {
    match op {
        ConstraintOp::Equal => Relation::Equal,
        ConstraintOp::AtMost => Relation::AtMost,
        ConstraintOp::AtLeast => Relation::AtLeast,
    }
}

/// What orders constraints of the same value: the rule's id, then the item.
fn tie_key<'a>(rules: &'a [RuleDef], f: &'a Fired) -> (Option<&'a str>, Option<&'a str>) {
    let id = rules.get(f.rule).map(|r| r.id.as_str());
    (id, f.item.as_deref())
}

/// A rank clamped between a cap (the best allowed) and a floor (the worst).
fn clamp(start: u16, cap: Option<u16>, floor: Option<u16>) -> u16 {
    let mut v = start;
    if let Some(c) = cap {
        v = v.max(c);
    }
    if let Some(f) = floor {
        v = v.min(f);
    }
    v
}
