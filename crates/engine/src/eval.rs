//! Evaluation: the plan's steps run in order over one evidence record.
//! Conditions are three-valued; a judgement is `clamp(proposed, floors, caps)`.

use crate::calendar::Calendar;
use crate::error::EvalError;
use crate::evidence::Evidence;
use crate::model::*;
use crate::outcome::{self, Outcome, TraceStep};
use crate::types::Type;
use crate::value::{Element, Tri, Value};
use chrono::{Days, Months, NaiveDate};
use judgement_syntax::ast::ConstraintOp;

/// A constraint that fired: the bound (a rank, 0 = best), the rule, the item.
#[derive(Debug, Clone)]
struct Fired {
    op: ConstraintOp,
    value: u16,
    rule: RuleId,
    item: Option<String>,
}

#[derive(Debug, Clone, Default)]
struct JudgementState {
    constraints: Vec<Fired>,
    withheld_by: Option<RuleId>,
    /// The final rank; `None` when withheld or not applicable.
    value: Option<u16>,
}

pub(crate) struct Run<'a> {
    model: &'a Model,
    calendar: Option<&'a Calendar>,
    slots: &'a [Value],
    lets: Vec<Value>,
    judgements: Vec<JudgementState>,
    element: Option<&'a Element>,
    element_record: Option<usize>,
    element_index: usize,
    out: Outcome,
    trace: Option<Vec<TraceStep>>,
}

pub(crate) fn evaluate(
    model: &Model,
    calendar: Option<&Calendar>,
    evidence: &Evidence,
    header: outcome::RulesetRef,
    trace: bool,
) -> Result<Outcome, EvalError> {
    let mut run = Run {
        model,
        calendar,
        slots: &evidence.slots,
        lets: Vec::with_capacity(model.lets.len()),
        judgements: vec![JudgementState::default(); model.judgements.len()],
        element: None,
        element_record: None,
        element_index: 0,
        out: Outcome {
            id: evidence.id.clone(),
            ruleset: header,
            judgements: Default::default(),
            details: Default::default(),
            actions: Vec::new(),
            deadlines: Vec::new(),
            advisories: Vec::new(),
            undetermined: Vec::new(),
            warnings: Vec::new(),
            trace: None,
        },
        trace: trace.then(Vec::new),
    };
    for l in &model.lets {
        let v = run.value(l.expr)?;
        if let Some(t) = run.trace.as_mut() {
            t.push(TraceStep::Let {
                name: l.name.clone(),
                value: show(model, l.ty, &v),
            });
        }
        run.lets.push(v);
    }
    for step in &model.steps {
        match *step {
            Step::Rule(r) => run.rule(r)?,
            Step::Judgement(j) => run.judgement(j)?,
        }
    }
    let mut out = run.out;
    out.actions.sort();
    out.actions.dedup();
    out.deadlines.sort();
    out.deadlines.dedup();
    out.advisories.sort();
    out.advisories.dedup();
    out.undetermined.sort();
    out.undetermined.dedup();
    out.trace = run.trace;
    Ok(out)
}

/// A value as a reader sees it.
pub(crate) fn show(model: &Model, ty: Type, v: &Value) -> String {
    match v {
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::Text(t) => format!("{t:?}"),
        Value::Date(d) => d.format("%Y-%m-%d").to_string(),
        Value::Days(n) => format!("{n} days"),
        Value::Months(n) => format!("{n} months"),
        Value::WorkingDays(n) => format!("{n} working days"),
        Value::Enum(i) => match ty {
            Type::Enum { id, .. } => enum_name(model, id, *i),
            _ => i.to_string(),
        },
        Value::List(items) => format!("{} elements", items.len()),
        Value::None => "none".into(),
        Value::Unknown => "unknown".into(),
    }
}

pub(crate) fn enum_name(model: &Model, id: usize, value: u16) -> String {
    model
        .enums
        .get(id)
        .and_then(|e| e.values.get(usize::from(value)))
        .cloned()
        .unwrap_or_default()
}

fn date_str(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

impl<'a> Run<'a> {
    fn node(&self, id: ExprId) -> Result<&'a Node, EvalError> {
        self.model
            .exprs
            .get(id)
            .ok_or(EvalError::Internal("expression out of range"))
    }

    fn rule_def(&self, r: RuleId) -> Result<&'a RuleDef, EvalError> {
        self.model
            .rules
            .get(r)
            .ok_or(EvalError::Internal("rule out of range"))
    }

    fn rule(&mut self, r: RuleId) -> Result<(), EvalError> {
        let rule = self.rule_def(r)?;
        let Some((list, record)) = rule.for_each else {
            return self.rule_once(r, None);
        };
        let slots = self.slots;
        let Some(Value::List(items)) = slots.get(list) else {
            return Ok(());
        };
        self.element_record = Some(record);
        for (index, element) in items.iter().enumerate() {
            self.element = Some(element);
            self.element_index = index;
            self.rule_once(r, Some(element.id.to_string()))?;
        }
        self.element = None;
        self.element_record = None;
        Ok(())
    }

    fn rule_once(&mut self, r: RuleId, item: Option<String>) -> Result<(), EvalError> {
        let rule = self.rule_def(r)?;
        let result = match rule.when {
            Some(cond) => self.truth(cond)?,
            None => Tri::True,
        };
        if self.trace.is_some() {
            let values = self.values_read(rule.when);
            if let Some(t) = self.trace.as_mut() {
                t.push(TraceStep::Rule {
                    rule: rule.id.clone(),
                    cite: rule.cite.clone(),
                    result: match result {
                        Tri::True => "fired",
                        Tri::False => "not fired",
                        Tri::Unknown => "undetermined",
                    }
                    .into(),
                    item: item.clone(),
                    values,
                });
            }
        }
        match result {
            Tri::False => Ok(()),
            Tri::Unknown => {
                if rule.is_hard() {
                    let mut missing: Vec<String> = rule
                        .reads
                        .iter()
                        .filter(|f| matches!(self.slots.get(**f), Some(Value::Unknown)))
                        .filter_map(|f| self.model.fields.get(*f).map(|d| d.name.clone()))
                        .collect();
                    missing.extend(self.unknown_element_fields(rule));
                    missing.sort();
                    self.out.undetermined.push(outcome::Undetermined {
                        rule: rule.id.clone(),
                        cite: rule.cite.clone(),
                        missing,
                        item,
                    });
                }
                Ok(())
            }
            Tri::True => {
                for effect in &rule.effects {
                    self.effect(r, rule, effect, &item)?;
                }
                Ok(())
            }
        }
    }

    fn effect(
        &mut self,
        r: RuleId,
        rule: &RuleDef,
        effect: &EffectDef,
        item: &Option<String>,
    ) -> Result<(), EvalError> {
        match effect {
            EffectDef::Constrain {
                judgement,
                op,
                value,
            } => {
                if let Some(state) = self.judgements.get_mut(*judgement) {
                    state.constraints.push(Fired {
                        op: *op,
                        value: *value,
                        rule: r,
                        item: item.clone(),
                    });
                }
            }
            EffectDef::Withhold => {
                for state in &mut self.judgements {
                    state.withheld_by.get_or_insert(r);
                }
            }
            EffectDef::Action { name } => self.out.actions.push(outcome::Action {
                action: name.clone(),
                rule: rule.id.clone(),
                cite: rule.cite.clone(),
                item: item.clone(),
            }),
            EffectDef::Advise { message } => self.out.advisories.push(outcome::Advisory {
                rule: rule.id.clone(),
                cite: rule.cite.clone(),
                message: message.clone(),
                item: item.clone(),
            }),
            EffectDef::Deadline { name, on } => {
                let Some(date) = self.deadline_date(*on, rule, name)? else {
                    return Ok(());
                };
                self.out.deadlines.push(outcome::Deadline {
                    deadline: name.clone(),
                    date: Some(date_str(date)),
                    from: None,
                    to: None,
                    rule: rule.id.clone(),
                    cite: rule.cite.clone(),
                    item: item.clone(),
                });
            }
            EffectDef::Window { name, from, to } => {
                let (Some(f), Some(t)) = (
                    self.deadline_date(*from, rule, name)?,
                    self.deadline_date(*to, rule, name)?,
                ) else {
                    return Ok(());
                };
                self.out.deadlines.push(outcome::Deadline {
                    deadline: name.clone(),
                    date: None,
                    from: Some(date_str(f)),
                    to: Some(date_str(t)),
                    rule: rule.id.clone(),
                    cite: rule.cite.clone(),
                    item: item.clone(),
                });
            }
        }
        Ok(())
    }

    /// A deadline's date; an unknown one makes the rule undetermined.
    fn deadline_date(
        &mut self,
        e: ExprId,
        rule: &RuleDef,
        deadline: &str,
    ) -> Result<Option<NaiveDate>, EvalError> {
        match self.value(e)? {
            Value::Date(d) => {
                self.trace_working_days(e, rule, deadline)?;
                Ok(Some(d))
            }
            Value::Unknown => {
                self.out.undetermined.push(outcome::Undetermined {
                    rule: rule.id.clone(),
                    cite: rule.cite.clone(),
                    missing: Vec::new(),
                    item: self.element.map(|el| el.id.to_string()),
                });
                Ok(None)
            }
            _ => Ok(None),
        }
    }

    /// With a trace on: show every day each working-day sum in a deadline's
    /// expression skipped, and why.
    fn trace_working_days(
        &mut self,
        e: ExprId,
        rule: &RuleDef,
        deadline: &str,
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
            let cal = self.calendar.ok_or(EvalError::NoCalendar)?;
            let count = cal.add_working_days_explained(start, n)?;
            let item = self.element.map(|el| el.id.to_string());
            if let Some(t) = self.trace.as_mut() {
                t.push(TraceStep::WorkingDays {
                    rule: rule.id.clone(),
                    deadline: deadline.to_string(),
                    item,
                    start: date_str(start),
                    days: n,
                    end: date_str(count.end),
                    skipped: count
                        .skipped
                        .iter()
                        .map(|s| outcome::SkippedDay {
                            date: date_str(s.date),
                            reason: s.reason.to_string(),
                        })
                        .collect(),
                });
            }
        }
        Ok(())
    }

    /// The JSON paths of the current element's fields that the rule's
    /// condition reads and that are not known.
    fn unknown_element_fields(&self, rule: &RuleDef) -> Vec<String> {
        let (Some(element), Some((list, record))) = (self.element, rule.for_each) else {
            return Vec::new();
        };
        let list_name = self
            .model
            .fields
            .get(list)
            .map(|d| d.name.as_str())
            .unwrap_or_default();
        let fields = self
            .model
            .records
            .get(record)
            .map(|r| r.fields.as_slice())
            .unwrap_or_default();
        let mut out = Vec::new();
        let mut stack: Vec<ExprId> = rule.when.into_iter().collect();
        while let Some(id) = stack.pop() {
            match self.model.exprs.get(id) {
                Some(Node::ElementField(i)) => {
                    if matches!(element.fields.get(*i), Some(Value::Unknown)) {
                        if let Some(def) = fields.get(*i) {
                            let path = format!("{list_name}[{}].{}", self.element_index, def.name);
                            if !out.contains(&path) {
                                out.push(path);
                            }
                        }
                    }
                }
                Some(node) => stack.extend(node.children()),
                None => {}
            }
        }
        out
    }

    /// `name = value` for each field, let and judgement a condition reads.
    fn values_read(&mut self, cond: Option<ExprId>) -> Vec<String> {
        let mut out = Vec::new();
        let mut stack: Vec<ExprId> = cond.into_iter().collect();
        while let Some(id) = stack.pop() {
            let Ok(node) = self.node(id) else { continue };
            let entry = match node {
                Node::Field(f) => self
                    .model
                    .fields
                    .get(*f)
                    .map(|d| (d.name.clone(), d.ty, self.slots.get(*f).cloned())),
                Node::Let(l) => self
                    .model
                    .lets
                    .get(*l)
                    .map(|d| (d.name.clone(), d.ty, self.lets.get(*l).cloned())),
                Node::Judgement(j) => self.model.judgements.get(*j).map(|d| {
                    let v = self
                        .judgements
                        .get(*j)
                        .and_then(|s| s.value)
                        .map_or(Value::None, Value::Enum);
                    (
                        d.name.clone(),
                        Type::Enum {
                            id: d.scale,
                            ordered: true,
                        },
                        Some(v),
                    )
                }),
                Node::ElementField(i) => self.element.and_then(|el| {
                    let rec = self.model.records.get(self.element_record?)?;
                    let def = rec.fields.get(*i)?;
                    Some((
                        format!("item {}.{}", el.id, def.name),
                        def.ty,
                        el.fields.get(*i).cloned(),
                    ))
                }),
                Node::Threshold(t) => self
                    .model
                    .thresholds
                    .get(*t)
                    .map(|d| (d.name.clone(), d.ty, Some(d.value.clone()))),
                other => {
                    // Read operands left to right: push them reversed.
                    let children: Vec<ExprId> = other.children().collect();
                    stack.extend(children.into_iter().rev());
                    None
                }
            };
            if let Some((name, ty, Some(v))) = entry {
                let line = format!("{name} = {}", show(self.model, ty, &v));
                if !out.contains(&line) {
                    out.push(line);
                }
            }
        }
        out
    }

    fn judgement(&mut self, j: JudgementId) -> Result<(), EvalError> {
        let def = self
            .model
            .judgements
            .get(j)
            .ok_or(EvalError::Internal("judgement out of range"))?;
        let applies = match def.applies {
            Some(cond) => self.truth(cond)?,
            None => Tri::True,
        };
        let applies = match applies {
            Tri::True => true,
            Tri::False => false,
            Tri::Unknown => {
                return Err(EvalError::UnknownApplicability {
                    judgement: def.name.clone(),
                })
            }
        };
        let proposed = match self.slots.get(def.from) {
            Some(Value::Enum(p)) => Some(*p),
            _ => None,
        };
        let name_of = |v: u16| enum_name(self.model, def.scale, v);
        if !applies {
            if let Some(t) = self.trace.as_mut() {
                t.push(TraceStep::Judgement {
                    judgement: def.name.clone(),
                    proposed: proposed.map(name_of),
                    value: None,
                    applies: false,
                });
            }
            return Ok(());
        }
        let state = self.judgements.get(j).cloned().unwrap_or_default();
        let rule_ref = |r: RuleId| -> outcome::RuleRef {
            let rule = self.model.rules.get(r);
            outcome::RuleRef {
                rule: rule.map(|x| x.id.clone()).unwrap_or_default(),
                cite: rule.map(|x| x.cite.clone()).unwrap_or_default(),
            }
        };
        let constraint = |f: &Fired| -> outcome::Constraint {
            let r = rule_ref(f.rule);
            let relation = match f.op {
                ConstraintOp::Equal => "=",
                ConstraintOp::AtMost => "at most",
                ConstraintOp::AtLeast => "at least",
            };
            outcome::Constraint {
                rule: r.rule,
                cite: r.cite,
                constraint: format!("{relation} {}", name_of(f.value)),
                item: f.item.clone(),
            }
        };
        let mut detail = outcome::JudgementDetail {
            proposed: proposed.map(name_of),
            value: None,
            binding: Vec::new(),
            slack: Vec::new(),
            rejected: false,
            withheld_by: None,
        };
        let value = if let Some(r) = state.withheld_by {
            detail.withheld_by = Some(rule_ref(r));
            None
        } else {
            // Ranks: 0 is best. A cap (`at most`) is the best rank allowed; a
            // floor (`at least`) the worst.
            let cap = state
                .constraints
                .iter()
                .filter(|f| f.op != ConstraintOp::AtLeast)
                .max_by_key(|f| f.value);
            let floor = state
                .constraints
                .iter()
                .filter(|f| f.op != ConstraintOp::AtMost)
                .min_by_key(|f| f.value);
            if let (Some(c), Some(f)) = (cap, floor) {
                if f.value < c.value {
                    return Err(EvalError::Conflict {
                        judgement: def.name.clone(),
                        floor: constraint(f).constraint,
                        floor_rule: rule_ref(f.rule).rule,
                        cap: constraint(c).constraint,
                        cap_rule: rule_ref(c.rule).rule,
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
            let mut v = start;
            let mut bound = None;
            if let Some(c) = cap {
                if v < c.value {
                    v = c.value;
                    bound = Some(c.value);
                }
            }
            if let Some(f) = floor {
                if v > f.value {
                    v = f.value;
                    bound = Some(f.value);
                }
            }
            // With no proposal, the pin itself binds.
            if proposed.is_none() {
                bound = pinned;
            }
            detail.rejected = proposed.is_some_and(|p| p != v);
            for f in &state.constraints {
                let moved_here = match f.op {
                    ConstraintOp::AtMost => Some(f.value) == bound && f.value == v && start < v,
                    ConstraintOp::AtLeast => Some(f.value) == bound && f.value == v && start > v,
                    ConstraintOp::Equal => Some(f.value) == bound && f.value == v,
                };
                if moved_here {
                    detail.binding.push(constraint(f));
                } else {
                    detail.slack.push(constraint(f));
                }
            }
            detail.binding.sort();
            detail.binding.dedup();
            detail.slack.sort();
            detail.slack.dedup();
            Some(v)
        };
        detail.value = value.map(name_of);
        if let Some(state) = self.judgements.get_mut(j) {
            state.value = value;
        }
        if let Some(t) = self.trace.as_mut() {
            t.push(TraceStep::Judgement {
                judgement: def.name.clone(),
                proposed: detail.proposed.clone(),
                value: detail.value.clone(),
                applies: true,
            });
        }
        self.out
            .judgements
            .insert(def.name.clone(), detail.value.clone());
        self.out.details.insert(def.name.clone(), detail);
        Ok(())
    }

    fn truth(&mut self, e: ExprId) -> Result<Tri, EvalError> {
        match self.value(e)? {
            Value::Bool(b) => Ok(Tri::from_bool(b)),
            Value::Unknown => Ok(Tri::Unknown),
            Value::None => Err(self.none_reached(e)),
            _ => Err(EvalError::Internal(
                "a condition gave a value that is not true or false",
            )),
        }
    }

    fn none_reached(&self, e: ExprId) -> EvalError {
        let span = self.model.expr_spans.get(e).copied().unwrap_or_default();
        EvalError::NoneReached { span }
    }

    pub(crate) fn value(&mut self, e: ExprId) -> Result<Value, EvalError> {
        let node = self.node(e)?;
        Ok(match node {
            Node::Const(v) => v.clone(),
            Node::Field(f) => self.slots.get(*f).cloned().unwrap_or(Value::None),
            Node::Let(l) => self.lets.get(*l).cloned().unwrap_or(Value::None),
            Node::Threshold(t) => self
                .model
                .thresholds
                .get(*t)
                .map_or(Value::None, |d| d.value.clone()),
            Node::Judgement(j) => self
                .judgements
                .get(*j)
                .and_then(|s| s.value)
                .map_or(Value::None, Value::Enum),
            Node::ElementField(i) => self
                .element
                .and_then(|el| el.fields.get(*i).cloned())
                .unwrap_or(Value::None),
            Node::Not(a) => tri_value(!self.truth(*a)?),
            Node::Neg(a) => match self.value(*a)? {
                Value::Number(n) => Value::Number(-n),
                Value::Days(n) => Value::Days(-n),
                Value::Months(n) => Value::Months(-n),
                Value::WorkingDays(n) => Value::WorkingDays(-n),
                other => other,
            },
            Node::And(a, b) => {
                let l = self.truth(*a)?;
                if l == Tri::False {
                    return Ok(Value::Bool(false));
                }
                let r = self.truth(*b)?;
                tri_value(match (l, r) {
                    (_, Tri::False) => Tri::False,
                    (Tri::True, Tri::True) => Tri::True,
                    _ => Tri::Unknown,
                })
            }
            Node::Or(a, b) => {
                let l = self.truth(*a)?;
                if l == Tri::True {
                    return Ok(Value::Bool(true));
                }
                let r = self.truth(*b)?;
                tri_value(match (l, r) {
                    (_, Tri::True) => Tri::True,
                    (Tri::False, Tri::False) => Tri::False,
                    _ => Tri::Unknown,
                })
            }
            Node::IsSet(a) => match self.value(*a)? {
                Value::None => Value::Bool(false),
                Value::Unknown => Value::Unknown,
                _ => Value::Bool(true),
            },
            Node::IsKnown(a) => Value::Bool(!matches!(self.value(*a)?, Value::Unknown)),
            Node::IsValue { expr, op, value } => match self.value(*expr)? {
                Value::Enum(v) => Value::Bool(match op {
                    ConstraintOp::Equal => v == *value,
                    // Rank 0 is best: "at most good" means rank >= good's.
                    ConstraintOp::AtMost => v >= *value,
                    ConstraintOp::AtLeast => v <= *value,
                }),
                Value::Unknown => Value::Unknown,
                // A judgement withheld or not made is no value: definitely not V.
                _ => Value::Bool(false),
            },
            Node::Compare {
                op,
                lhs,
                rhs,
                scale,
            } => {
                let (l, r) = (self.value(*lhs)?, self.value(*rhs)?);
                compare(*op, &l, &r, *scale).map_or(Value::Unknown, tri_value)
            }
            Node::Arith(op, a, b) => {
                let (l, r) = (self.value(*a)?, self.value(*b)?);
                self.arith(*op, l, r, e)?
            }
        })
    }

    fn arith(&self, op: Arith, l: Value, r: Value, e: ExprId) -> Result<Value, EvalError> {
        use Value as V;
        if matches!(l, V::Unknown) || matches!(r, V::Unknown) {
            return Ok(V::Unknown);
        }
        if matches!(l, V::None) || matches!(r, V::None) {
            return Ok(V::None);
        }
        let overflow = || EvalError::DateOutOfRange {
            span: self.model.expr_spans.get(e).copied().unwrap_or_default(),
        };
        let same = |a: i64, b: i64| {
            let sum = if op == Arith::AddSame {
                a.checked_add(b)
            } else {
                a.checked_sub(b)
            };
            sum.ok_or_else(overflow)
        };
        Ok(match (op, l, r) {
            (Arith::AddSame | Arith::SubSame, V::Number(a), V::Number(b)) => V::Number(same(a, b)?),
            (Arith::AddSame | Arith::SubSame, V::Days(a), V::Days(b)) => V::Days(same(a, b)?),
            (Arith::AddSame | Arith::SubSame, V::Months(a), V::Months(b)) => V::Months(same(a, b)?),
            (Arith::AddSame | Arith::SubSame, V::WorkingDays(a), V::WorkingDays(b)) => {
                V::WorkingDays(same(a, b)?)
            }
            (Arith::DateDiff, V::Date(a), V::Date(b)) => V::Days((a - b).num_days()),
            (Arith::DateAddDays, V::Date(d), V::Days(n)) => {
                V::Date(add_days(d, n).ok_or_else(overflow)?)
            }
            (Arith::DateSubDays, V::Date(d), V::Days(n)) => {
                V::Date(add_days(d, n.checked_neg().ok_or_else(overflow)?).ok_or_else(overflow)?)
            }
            (Arith::DateAddMonths, V::Date(d), V::Months(n)) => {
                V::Date(add_months(d, n).ok_or_else(overflow)?)
            }
            (Arith::DateSubMonths, V::Date(d), V::Months(n)) => {
                V::Date(add_months(d, n.checked_neg().ok_or_else(overflow)?).ok_or_else(overflow)?)
            }
            (Arith::DateAddWorking | Arith::DateSubWorking, V::Date(d), V::WorkingDays(n)) => {
                let n = if op == Arith::DateSubWorking { -n } else { n };
                let cal = self.calendar.ok_or(EvalError::NoCalendar)?;
                V::Date(cal.add_working_days(d, n)?)
            }
            _ => {
                return Err(EvalError::Internal(
                    "arithmetic on values of the wrong type",
                ))
            }
        })
    }
}

fn tri_value(t: Tri) -> Value {
    match t {
        Tri::True => Value::Bool(true),
        Tri::False => Value::Bool(false),
        Tri::Unknown => Value::Unknown,
    }
}

/// `None` when either side is unknown or none: the comparison is unknown.
fn compare(op: Cmp, l: &Value, r: &Value, scale: bool) -> Option<Tri> {
    use std::cmp::Ordering;
    use Value as V;
    let ord: Ordering = match (l, r) {
        (V::Number(a), V::Number(b))
        | (V::Days(a), V::Days(b))
        | (V::Months(a), V::Months(b))
        | (V::WorkingDays(a), V::WorkingDays(b)) => a.cmp(b),
        (V::Date(a), V::Date(b)) => a.cmp(b),
        // On a scale the best value has rank 0 and compares greatest.
        (V::Enum(a), V::Enum(b)) if scale => b.cmp(a),
        (V::Enum(a), V::Enum(b)) => a.cmp(b),
        (V::Bool(a), V::Bool(b)) => a.cmp(b),
        (V::Text(a), V::Text(b)) => a.cmp(b),
        // A judgement not made equals nothing.
        (V::None, _) | (_, V::None) => {
            return Some(Tri::from_bool(op == Cmp::Ne));
        }
        _ => return None,
    };
    Some(Tri::from_bool(match op {
        Cmp::Eq => ord == Ordering::Equal,
        Cmp::Ne => ord != Ordering::Equal,
        Cmp::Lt => ord == Ordering::Less,
        Cmp::Le => ord != Ordering::Greater,
        Cmp::Gt => ord == Ordering::Greater,
        Cmp::Ge => ord != Ordering::Less,
    }))
}

fn add_days(d: NaiveDate, n: i64) -> Option<NaiveDate> {
    if n >= 0 {
        d.checked_add_days(Days::new(u64::try_from(n).ok()?))
    } else {
        d.checked_sub_days(Days::new(
            n.checked_neg().and_then(|m| u64::try_from(m).ok())?,
        ))
    }
}

/// Calendar months, clamped to the month's end (31 Jan + 1 month = 28/29 Feb).
pub(crate) fn add_months(d: NaiveDate, n: i64) -> Option<NaiveDate> {
    let m = u32::try_from(n.unsigned_abs()).ok()?;
    if n >= 0 {
        d.checked_add_months(Months::new(m))
    } else {
        d.checked_sub_months(Months::new(m))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_clamp_to_the_end_of_the_month() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert_eq!(add_months(d("2016-01-31"), 1), Some(d("2016-02-29")));
        assert_eq!(add_months(d("2015-01-31"), 1), Some(d("2015-02-28")));
        assert_eq!(add_months(d("2016-03-31"), -1), Some(d("2016-02-29")));
        assert_eq!(add_months(d("2015-11-04"), 0), Some(d("2015-11-04")));
    }

    #[test]
    fn scale_comparison_puts_the_best_value_highest() {
        // Rank 0 (outstanding) > rank 1 (good).
        assert_eq!(
            compare(Cmp::Gt, &Value::Enum(0), &Value::Enum(1), true),
            Some(Tri::True)
        );
        assert_eq!(
            compare(Cmp::Lt, &Value::Enum(0), &Value::Enum(1), true),
            Some(Tri::False)
        );
        assert_eq!(
            compare(Cmp::Ge, &Value::Unknown, &Value::Enum(1), true),
            None
        );
    }
}
