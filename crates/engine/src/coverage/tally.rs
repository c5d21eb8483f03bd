//! The counting: every part of every rule registered once, by index, and
//! each outcome and its probes counted into it.

use super::places::Places;
use super::{
    BoundaryCoverage, BranchCoverage, ConstraintCoverage, Coverage, RuleCoverage, Summary,
};
use crate::eval::{Probe, Seen, Shape};
use crate::model::{Bound, EffectDef, ExprId, Model, Node, ThresholdId};
use crate::outcome::{Outcome, Relation};
use crate::value::{Tri, Value};
use crate::Ruleset;
use judgement_syntax::ast::ConstraintOp;
use std::collections::{HashMap, HashSet};

pub(super) struct Tally<'r> {
    ruleset: &'r Ruleset,
    model: &'r Model,
    rules: Vec<RuleCoverage<'r>>,
    /// The entry of `rules` of each rule of the model (by `RuleId`): the
    /// first of its name, none for an `invalid` check of another name.
    rule_at: Vec<Option<usize>>,
    constraints: Vec<(ConstraintCoverage<'r>, Relation)>,
    /// The constraints of each judgement, rule and relation, for an
    /// outcome's binding constraints to be found by.
    constraint_at: HashMap<(&'r str, &'r str, Relation), Vec<usize>>,
    /// The outcome each constraint was last counted bound in (counted once
    /// an outcome however many binding constraints name it).
    constraint_last: Vec<usize>,
    /// Outcomes recorded.
    outcomes: usize,
    branches: Vec<BranchCoverage<'r>>,
    branch_at: HashMap<ExprId, usize>,
    /// Each branch's rules, as a set (a let's part may be in every rule).
    branch_rules: HashSet<(usize, &'r str)>,
    boundaries: Vec<BoundaryCoverage<'r>>,
    boundary_at: HashMap<(ExprId, ThresholdId), usize>,
    boundary_rules: HashSet<(usize, &'r str)>,
    pub(super) places: Places,
    /// The entries looked at so far, which the tests read (`Counter::work`).
    pub(super) work: usize,
}

impl<'r> Tally<'r> {
    pub(super) fn new(ruleset: &'r Ruleset) -> Tally<'r> {
        let model = ruleset.model();
        let mut places = Places::default();
        let mut rules = Vec::new();
        let mut constraints = Vec::new();
        let mut constraint_at: HashMap<_, Vec<usize>> = HashMap::new();
        let mut rule_named: HashMap<&'r str, usize> = HashMap::new();
        for r in model.rules.iter().filter(|r| !r.is_check) {
            let definitions = from(ruleset, r.span);
            let place = places.place(ruleset, r.span);
            rule_named.entry(&r.id).or_insert(rules.len());
            rules.push(RuleCoverage {
                rule: &r.id,
                cite: &r.cite,
                definitions,
                place: place.clone(),
                has_condition: r.when.is_some(),
                fired: 0,
                not_fired: 0,
                undetermined: 0,
            });
            for e in &r.effects {
                let EffectDef::Constrain {
                    judgement,
                    op,
                    value,
                } = e
                else {
                    continue;
                };
                let Some(j) = model.judgements.get(*judgement) else {
                    continue;
                };
                let bound = match value {
                    Bound::Const(v) => crate::show::enum_name(model, j.scale, *v),
                    Bound::Expr(e) => text(ruleset, *e),
                };
                let relation = match op {
                    ConstraintOp::Equal => Relation::Equal,
                    ConstraintOp::AtMost => Relation::AtMost,
                    ConstraintOp::AtLeast => Relation::AtLeast,
                };
                constraint_at
                    .entry((j.name.as_str(), r.id.as_str(), relation))
                    .or_default()
                    .push(constraints.len());
                constraints.push((
                    ConstraintCoverage {
                        rule: &r.id,
                        place: place.clone(),
                        definitions,
                        judgement: &j.name,
                        constraint: format!("{relation} {bound}"),
                        bound: 0,
                    },
                    relation,
                ));
            }
        }
        let rule_at = model
            .rules
            .iter()
            .map(|r| rule_named.get(r.id.as_str()).copied())
            .collect();
        let constraint_last = vec![0; constraints.len()];
        let mut tally = Tally {
            ruleset,
            model,
            rules,
            rule_at,
            constraints,
            constraint_at,
            constraint_last,
            outcomes: 0,
            branches: Vec::new(),
            branch_at: HashMap::new(),
            branch_rules: HashSet::new(),
            boundaries: Vec::new(),
            boundary_at: HashMap::new(),
            boundary_rules: HashSet::new(),
            places,
            work: 0,
        };
        for r in model.rules.iter().filter(|r| !r.is_check) {
            if let Some(cond) = r.when {
                tally.register(cond, &r.id, 0, true);
            }
        }
        tally
    }

    /// Count the parts and threshold comparisons of the condition at `e`
    /// as [`Tally::parts`] counts what a record shows of them (the shape
    /// evaluation's probe gives), before any record is seen: a part
    /// that no record reaches (of a `for each` rule whose list is always
    /// empty, or asked of the elements of a list that always is) is then
    /// counted, and not covered, rather than left out.
    fn register(&mut self, e: ExprId, rule: &'r str, depth: usize, root: bool) {
        let model = self.model;
        let Some(node) = model.exprs.get(e) else {
            return;
        };
        if let Node::Let(l) = node {
            if let Some(inner) = model.read_through(*l).filter(|_| depth < 8) {
                return self.register(inner, rule, depth + 1, root);
            }
        }
        let connective = matches!(node, Node::And(..) | Node::Or(..) | Node::Not(_));
        if !(root && connective) {
            self.branch_at_index(e, rule);
        }
        match node {
            Node::And(..) | Node::Or(..) => {
                let all = matches!(node, Node::And(..));
                for operand in model.operands(e, all) {
                    self.register(operand, rule, depth, false);
                }
            }
            Node::Not(a) => self.register(*a, rule, depth, false),
            Node::Compare { lhs, rhs, .. } => {
                if let Some(t) = self.threshold_in(*lhs).or_else(|| self.threshold_in(*rhs)) {
                    self.boundary_at_index(e, t, rule);
                }
            }
            _ => {}
        }
        if !connective && depth < 8 {
            for inner in model.element_conditions(e) {
                self.register(inner.cond, rule, depth + 1, false);
            }
        }
    }

    pub(super) fn record(&mut self, outcome: &Outcome<'_>, probes: &[Probe<'_>]) {
        for p in probes {
            let Some(def) = self.model.rules.get(p.rule) else {
                continue;
            };
            self.work += 1;
            let at = self.rule_at.get(p.rule.index()).copied().flatten();
            if let Some(r) = at.and_then(|i| self.rules.get_mut(i)) {
                match p.result {
                    Tri::True => r.fired += 1,
                    Tri::False => r.not_fired += 1,
                    Tri::Unknown => r.undetermined += 1,
                }
            }
            if let Some(seen) = &p.condition {
                self.parts(seen, &def.id, true);
            }
        }
        // A constraint is bound in this outcome when a binding constraint
        // of its judgement is its rule's, of its relation.
        self.outcomes += 1;
        for (judgement, detail) in outcome.details.iter() {
            for b in &detail.binding {
                self.work += 1;
                let Some(found) = self.constraint_at.get(&(*judgement, b.rule, b.relation)) else {
                    continue;
                };
                for &i in found {
                    if let (Some(last), Some((c, _))) =
                        (self.constraint_last.get_mut(i), self.constraints.get_mut(i))
                    {
                        if *last != self.outcomes {
                            *last = self.outcomes;
                            c.bound += 1;
                        }
                    }
                }
            }
        }
    }

    /// Count a part and the parts below it: every part but a condition
    /// that is one connective (its truth is the rule's result), and every
    /// comparison.
    fn parts(&mut self, s: &Seen<'_>, rule: &'r str, root: bool) {
        let connective = matches!(s.shape, Shape::All(_) | Shape::Any(_) | Shape::Not(_));
        if !(root && connective) {
            self.branch(s, rule);
        }
        match &s.shape {
            Shape::All(ps) | Shape::Any(ps) => {
                for p in ps {
                    self.parts(p, rule, false);
                }
            }
            Shape::Not(p) => self.parts(p, rule, false),
            Shape::Compare {
                lhs, rhs, values, ..
            } => {
                if let Some((l, r)) = values {
                    self.boundary(s.expr, *lhs, *rhs, l, r, rule);
                }
            }
            Shape::Leaf => {}
        }
        // Asked of each element of a list: each element's parts count.
        for element in &s.within {
            self.parts(element, rule, false);
        }
    }

    fn branch(&mut self, s: &Seen<'_>, rule: &'r str) {
        let Some(truth) = s.truth else { return };
        let index = self.branch_at_index(s.expr, rule);
        if let Some(b) = self.branches.get_mut(index) {
            match truth {
                Tri::True => b.true_count += 1,
                Tri::False => b.false_count += 1,
                Tri::Unknown => b.unknown += 1,
            }
        }
    }

    /// The index of the part at `expr` among the branches, made if it is
    /// not yet, with `rule` among its rules.
    fn branch_at_index(&mut self, expr: ExprId, rule: &'r str) -> usize {
        let index = match self.branch_at.get(&expr) {
            Some(i) => *i,
            None => {
                let span = self.model.expr_spans.get(expr).copied().unwrap_or_default();
                self.branches.push(BranchCoverage {
                    text: text(self.ruleset, expr),
                    definitions: from(self.ruleset, span),
                    place: self.places.place(self.ruleset, span),
                    rules: Vec::new(),
                    true_count: 0,
                    false_count: 0,
                    unknown: 0,
                });
                let i = self.branches.len() - 1;
                self.branch_at.insert(expr, i);
                i
            }
        };
        self.work += 1;
        if self.branch_rules.insert((index, rule)) {
            if let Some(b) = self.branches.get_mut(index) {
                b.rules.push(rule);
            }
        }
        index
    }

    fn boundary(
        &mut self,
        cmp: ExprId,
        lhs: ExprId,
        rhs: ExprId,
        l: &Value,
        r: &Value,
        rule: &'r str,
    ) {
        let Some(threshold) = self.threshold_in(lhs).or_else(|| self.threshold_in(rhs)) else {
            return;
        };
        let Some(index) = self.boundary_at_index(cmp, threshold, rule) else {
            return;
        };
        let Some(b) = self.boundaries.get_mut(index) else {
            return;
        };
        match difference(l, r) {
            Some(-1) => b.below += 1,
            Some(0) => b.at += 1,
            Some(1) => b.above += 1,
            _ => {}
        }
    }

    /// The index of the comparison `cmp` with `threshold` among the
    /// boundaries, made if it is not yet, with `rule` among its rules.
    fn boundary_at_index(
        &mut self,
        cmp: ExprId,
        threshold: ThresholdId,
        rule: &'r str,
    ) -> Option<usize> {
        let key = (cmp, threshold);
        let index = match self.boundary_at.get(&key) {
            Some(i) => *i,
            None => {
                let def = self.model.thresholds.get(threshold)?;
                let span = self.model.expr_spans.get(cmp).copied().unwrap_or_default();
                self.boundaries.push(BoundaryCoverage {
                    threshold: &def.name,
                    definitions: from(self.ruleset, span),
                    value: declared(self.ruleset, def.span),
                    text: text(self.ruleset, cmp),
                    place: self.places.place(self.ruleset, span),
                    rules: Vec::new(),
                    below: 0,
                    at: 0,
                    above: 0,
                });
                let i = self.boundaries.len() - 1;
                self.boundary_at.insert(key, i);
                i
            }
        };
        self.work += 1;
        if self.boundary_rules.insert((index, rule)) {
            self.boundaries.get_mut(index)?.rules.push(rule);
        }
        Some(index)
    }

    /// The threshold a side of a comparison reads, through sums and lets.
    fn threshold_in(&self, e: ExprId) -> Option<ThresholdId> {
        let mut stack = vec![e];
        let mut budget = 256usize;
        while let Some(id) = stack.pop() {
            budget = budget.checked_sub(1)?;
            match self.model.exprs.get(id)? {
                Node::Threshold(t) => return Some(*t),
                Node::Let(l) => stack.push(self.model.lets.get(*l)?.expr),
                Node::Arith(_, a, b) => stack.extend([*b, *a]),
                Node::Neg(a) => stack.push(*a),
                _ => {}
            }
        }
        None
    }

    pub(super) fn finish(
        self,
        [tests, tests_skipped]: [usize; 2],
        records: usize,
        skipped: usize,
    ) -> Coverage<'r> {
        let constraints: Vec<ConstraintCoverage<'r>> =
            self.constraints.into_iter().map(|(c, _)| c).collect();
        let summary = Summary::of(&self.rules, &constraints, &self.branches, &self.boundaries);
        Coverage {
            ruleset: &self.model.meta.name,
            edition: &self.model.meta.edition,
            tests,
            tests_skipped,
            records,
            skipped,
            summary,
            rules: self.rules,
            constraints,
            branches: self.branches,
            boundaries: self.boundaries,
        }
    }
}

/// The shared definitions a span is in, if it is not the ruleset's own.
fn from(ruleset: &Ruleset, span: judgement_syntax::Span) -> Option<&str> {
    ruleset.sources().file_of(span)?.definitions()
}

/// An expression as written, on one line.
fn text(ruleset: &Ruleset, e: ExprId) -> String {
    ruleset
        .model()
        .expr_spans
        .get(e)
        .and_then(|s| ruleset.text_of(*s))
        .map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}

/// A threshold's value as its declaration writes it (`26 weeks`).
fn declared(ruleset: &Ruleset, name: judgement_syntax::Span) -> String {
    let Some((file, local)) = ruleset.sources().locate(name) else {
        return String::new();
    };
    let rest = file.text().get(local.end..).unwrap_or_default();
    let line = rest.lines().next().unwrap_or_default();
    let value = line.split_once('=').map_or(line, |(_, v)| v);
    let value = value.split_once('#').map_or(value, |(v, _)| v);
    value.trim().to_string()
}

/// `l - r` in the unit of the values compared: days, months, working days
/// or ones.
fn difference(l: &Value, r: &Value) -> Option<i64> {
    match (l, r) {
        (Value::Number(a), Value::Number(b))
        | (Value::Days(a), Value::Days(b))
        | (Value::Months(a), Value::Months(b))
        | (Value::WorkingDays(a), Value::WorkingDays(b)) => a.checked_sub(*b),
        (Value::Date(a), Value::Date(b)) => Some((*a - *b).num_days()),
        (Value::Time(a), Value::Time(b)) => Some((*a - *b).num_minutes()),
        (Value::DateTime(a), Value::DateTime(b)) => Some((*a - *b).num_minutes()),
        _ => None,
    }
}
