//! Rule coverage: what a ruleset's DSL tests (and, optionally, a corpus of
//! evidence records) exercise. Each rule fired and not fired; each cap or
//! floor bound; each part of a condition (each operand of `and`, `or` and
//! `not`, each comparison) true and false; each comparison with a
//! threshold reached one below, at and one above its boundary.
//!
//! Counted from what evaluation records of each part of each condition
//! (`eval::Probe`) and from the outcome's binding constraints.
//!
//! Percentages: *rule coverage* is the share of rules that fired in at
//! least one record; *both ways* the share of rules with a condition that
//! both fired and did not fire; *boundary coverage* the share of
//! comparisons with a threshold where records reach the threshold's value
//! minus one, the value, and plus one, measured as the difference of the
//! two sides: one day for dates and durations (a date compared with one some
//! months or working days on too), one month for a count of months compared
//! with another, one working day for a count of working days compared with
//! another, one minute for times and datetimes, one for numbers.

use crate::eval::{Probe, Seen, Shape};
use crate::model::{Bound, EffectDef, ExprId, Model, Node, ThresholdId};
use crate::outcome::{Outcome, Relation};
use crate::value::{Tri, Value};
use crate::{EvalOptions, Ruleset};
use judgement_syntax::ast::ConstraintOp;
use serde::Serialize;
use std::collections::{HashMap, HashSet};

/// What the records exercised of one ruleset.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Coverage<'r> {
    pub ruleset: &'r str,
    pub edition: &'r str,
    /// DSL tests evaluated (a test expecting an error gives no outcome and
    /// is not counted).
    pub tests: usize,
    /// DSL tests dated outside this edition's period: `judgement test`
    /// fails them, as no record of that date is evaluated with this
    /// edition, so they cover nothing.
    pub tests_skipped: usize,
    /// Corpus records evaluated with this edition.
    pub records: usize,
    /// Corpus records left out: dated outside this edition, or refused.
    pub skipped: usize,
    pub summary: Summary,
    pub rules: Vec<RuleCoverage<'r>>,
    pub constraints: Vec<ConstraintCoverage<'r>>,
    pub branches: Vec<BranchCoverage<'r>>,
    pub boundaries: Vec<BoundaryCoverage<'r>>,
}

/// Counts, and the percentages of [`Summary::percent`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub rules: usize,
    /// Rules that fired at least once: rule coverage.
    pub rules_fired: usize,
    /// Rules with a condition.
    pub conditional_rules: usize,
    /// Rules with a condition that both fired and did not fire.
    pub rules_both_ways: usize,
    pub constraints: usize,
    pub constraints_bound: usize,
    pub branches: usize,
    /// Parts of conditions seen both true and false.
    pub branches_both_ways: usize,
    pub boundaries: usize,
    /// Threshold comparisons reached at -1, 0 and +1.
    pub boundaries_reached: usize,
}

impl Summary {
    /// `part` of `whole` in percent (100 when there is nothing to cover).
    pub fn percent(part: usize, whole: usize) -> f64 {
        if whole == 0 {
            100.0
        } else {
            // Counts of rules are far below 2^52: exact as floats.
            #[allow(clippy::cast_precision_loss)]
            let p = part as f64 * 100.0 / whole as f64;
            p
        }
    }

    /// Rule coverage: rules fired at least once, in percent.
    pub fn rule_percent(&self) -> f64 {
        Summary::percent(self.rules_fired, self.rules)
    }

    fn add(&mut self, o: &Summary) {
        self.rules += o.rules;
        self.rules_fired += o.rules_fired;
        self.conditional_rules += o.conditional_rules;
        self.rules_both_ways += o.rules_both_ways;
        self.constraints += o.constraints;
        self.constraints_bound += o.constraints_bound;
        self.branches += o.branches;
        self.branches_both_ways += o.branches_both_ways;
        self.boundaries += o.boundaries;
        self.boundaries_reached += o.boundaries_reached;
    }

    /// The sum of several rulesets' summaries.
    pub fn total<'a>(all: impl IntoIterator<Item = &'a Summary>) -> Summary {
        let mut t = Summary::default();
        for s in all {
            t.add(s);
        }
        t
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleCoverage<'r> {
    pub rule: &'r str,
    pub cite: &'r str,
    /// The shared definitions it comes from (`uses NAME`), if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub definitions: Option<&'r str>,
    /// `path:line:column`.
    pub place: String,
    pub has_condition: bool,
    /// Records (or elements, for a `for each` rule) it fired on.
    pub fired: usize,
    pub not_fired: usize,
    pub undetermined: usize,
}

/// A cap or floor (`J at most V`, `J at least V`, `J = V`) of a rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConstraintCoverage<'r> {
    pub rule: &'r str,
    pub place: String,
    /// The shared definitions it comes from (`uses NAME`), if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub definitions: Option<&'r str>,
    pub judgement: &'r str,
    /// `at most requires_improvement`, as written.
    pub constraint: String,
    /// Records where it was a binding constraint of its judgement.
    pub bound: usize,
}

/// A part of a condition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BranchCoverage<'r> {
    pub text: String,
    /// The shared definitions it comes from (`uses NAME`), if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub definitions: Option<&'r str>,
    pub place: String,
    /// The rules whose conditions hold it (a let's part may be in several).
    pub rules: Vec<&'r str>,
    #[serde(rename = "true")]
    pub true_count: usize,
    #[serde(rename = "false")]
    pub false_count: usize,
    pub unknown: usize,
}

/// A comparison with a threshold, and how near its boundary records came.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BoundaryCoverage<'r> {
    pub threshold: &'r str,
    /// The shared definitions it comes from (`uses NAME`), if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub definitions: Option<&'r str>,
    /// The threshold's value as declared (`26 weeks`).
    pub value: String,
    pub text: String,
    pub place: String,
    pub rules: Vec<&'r str>,
    /// Records where the two sides differed by -1, 0 and +1.
    pub below: usize,
    pub at: usize,
    pub above: usize,
}

impl BoundaryCoverage<'_> {
    pub fn reached(&self) -> bool {
        self.below > 0 && self.at > 0 && self.above > 0
    }
}

impl ConstraintCoverage<'_> {
    pub fn covered(&self) -> bool {
        self.bound > 0
    }
}

impl BranchCoverage<'_> {
    pub fn covered(&self) -> bool {
        self.true_count > 0 && self.false_count > 0
    }
}

/// The coverage of `ruleset` by its own DSL tests and by `corpus` (evidence
/// records; a top-level `_expect` key is left out). A DSL test dated
/// outside the edition covers nothing (`judgement test` fails it) and is
/// counted in `tests_skipped`; a corpus record dated outside the edition,
/// or that the ruleset refuses, is skipped. [`Counter`] counts the same a
/// record at a time, for a corpus read as it goes.
pub fn coverage<'r>(ruleset: &'r Ruleset, corpus: &[serde_json::Value]) -> Coverage<'r> {
    let mut counter = Counter::new(ruleset);
    for record in corpus {
        counter.record(record);
    }
    counter.finish()
}

/// The coverage of one ruleset counted a record at a time: its DSL tests
/// when it is made, then each corpus record given to [`Counter::record`],
/// so that a corpus of any size is counted in the memory of its counts
/// (`judgement test --coverage --corpus DIR` reads it a record at a time).
/// The time is in proportion to the ruleset's rules and parts and the
/// records' evaluation: each count is found by index, never by a walk
/// over the others.
pub struct Counter<'r> {
    ruleset: &'r Ruleset,
    tally: Tally<'r>,
    tests: usize,
    tests_skipped: usize,
    records: usize,
    skipped: usize,
}

impl<'r> Counter<'r> {
    /// Every part of every rule registered, and the DSL tests counted.
    pub fn new(ruleset: &'r Ruleset) -> Counter<'r> {
        let model = ruleset.model();
        let mut counter = Counter {
            ruleset,
            tally: Tally::new(ruleset),
            tests: 0,
            tests_skipped: 0,
            records: 0,
            skipped: 0,
        };
        for t in &model.tests {
            let evidence = model.test_evidence(t);
            if crate::testing::outside_period(ruleset, &evidence).is_some() {
                counter.tests_skipped += 1;
                continue;
            }
            if let Ok((outcome, probes)) =
                ruleset.evaluate_probed(&evidence, EvalOptions::default())
            {
                counter.tests += 1;
                counter.tally.record(&outcome, &probes);
            }
        }
        counter
    }

    /// Count one corpus record (its top-level `_expect` key left out): or
    /// skip it, dated outside the edition or refused.
    pub fn record(&mut self, record: &serde_json::Value) {
        let stripped;
        let record = match record.as_object() {
            Some(map) if map.contains_key("_expect") => {
                let mut map = map.clone();
                map.remove("_expect");
                stripped = serde_json::Value::Object(map);
                &stripped
            }
            _ => record,
        };
        if crate::testing::outside_period(self.ruleset, record).is_some() {
            self.skipped += 1;
            return;
        }
        match self.ruleset.evaluate_probed(record, EvalOptions::default()) {
            Ok((outcome, probes)) => {
                self.records += 1;
                self.tally.record(&outcome, &probes);
            }
            Err(_) => self.skipped += 1,
        }
    }

    /// The counts.
    pub fn finish(self) -> Coverage<'r> {
        self.tally
            .finish([self.tests, self.tests_skipped], self.records, self.skipped)
    }

    /// The entries looked at to find the counts so far: one for each
    /// lookup by index, each byte of a file when its lines are first
    /// indexed for the places shown. The tests hold it in proportion to the
    /// rules.
    #[cfg(test)]
    fn work(&self) -> usize {
        self.tally.work + self.tally.places.indexed
    }
}

struct Tally<'r> {
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
    places: Places,
    /// See [`Counter::work`].
    work: usize,
}

impl<'r> Tally<'r> {
    fn new(ruleset: &'r Ruleset) -> Tally<'r> {
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

    fn record(&mut self, outcome: &Outcome<'_>, probes: &[Probe<'_>]) {
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

    fn finish(
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

impl Summary {
    /// The counts of these items.
    pub fn of(
        rules: &[RuleCoverage<'_>],
        constraints: &[ConstraintCoverage<'_>],
        branches: &[BranchCoverage<'_>],
        boundaries: &[BoundaryCoverage<'_>],
    ) -> Summary {
        Summary {
            rules: rules.len(),
            rules_fired: rules.iter().filter(|r| r.fired > 0).count(),
            conditional_rules: rules.iter().filter(|r| r.has_condition).count(),
            rules_both_ways: rules
                .iter()
                .filter(|r| r.has_condition && r.fired > 0 && r.not_fired > 0)
                .count(),
            constraints: constraints.len(),
            constraints_bound: constraints.iter().filter(|c| c.covered()).count(),
            branches: branches.len(),
            branches_both_ways: branches.iter().filter(|b| b.covered()).count(),
            boundaries: boundaries.len(),
            boundaries_reached: boundaries.iter().filter(|b| b.reached()).count(),
        }
    }
}

/// The shared definitions a span is in, if it is not the ruleset's own.
fn from(ruleset: &Ruleset, span: judgement_syntax::Span) -> Option<&str> {
    ruleset.sources().file_of(span)?.definitions()
}

/// The places (`path:line:column`) of spans, as `SourceMap::place` writes
/// them, from the starts of the lines of each file, found once a file:
/// `SourceMap::place` counts the lines before a span, the length of the
/// file for each of its rules and parts.
#[derive(Default)]
struct Places {
    /// Each file's base and the offsets its lines start at.
    lines: Vec<(usize, Vec<usize>)>,
    /// Bytes of the files read to index their lines.
    indexed: usize,
}

impl Places {
    fn place(&mut self, ruleset: &Ruleset, span: judgement_syntax::Span) -> String {
        let Some((file, local)) = ruleset.sources().locate(span) else {
            return "another file".to_string();
        };
        let text = file.text();
        let path = file
            .path()
            .map_or("the ruleset".to_string(), |p| p.display().to_string());
        let offset = local.start.min(text.len());
        let at = match self.lines.iter().position(|(base, _)| *base == file.base()) {
            Some(at) => at,
            None => {
                let starts = std::iter::once(0)
                    .chain(text.match_indices('\n').map(|(i, _)| i + 1))
                    .collect();
                self.indexed += text.len();
                self.lines.push((file.base(), starts));
                self.lines.len() - 1
            }
        };
        let starts = self.lines.get(at).map(|(_, s)| s.as_slice()).unwrap_or(&[]);
        // The lines that start at or before the offset: its line.
        let line = starts.partition_point(|&s| s <= offset);
        let start = line
            .checked_sub(1)
            .and_then(|i| starts.get(i))
            .copied()
            .unwrap_or(0);
        let Some(on_line) = text.get(start..offset) else {
            // Not at a character's start, as no span is: as the map says.
            let (line, column) = local.line_col(text);
            return format!("{path}:{line}:{column}");
        };
        let on_line = match start {
            0 => on_line.strip_prefix('\u{feff}').unwrap_or(on_line),
            _ => on_line,
        };
        format!("{path}:{line}:{}", on_line.chars().count() + 1)
    }
}

/// The items of one file: a ruleset's own, or shared definitions' counted
/// over every ruleset that uses them (a rule of the definitions is covered
/// when the tests of any of those rulesets cover it).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Group<'r> {
    /// The ruleset's name and edition, or `definitions NAME`.
    pub name: String,
    /// The DSL tests counted (over every ruleset, for definitions).
    pub tests: usize,
    /// The DSL tests dated outside their edition, not counted.
    pub tests_skipped: usize,
    pub records: usize,
    pub skipped: usize,
    pub summary: Summary,
    pub rules: Vec<RuleCoverage<'r>>,
    pub constraints: Vec<ConstraintCoverage<'r>>,
    pub branches: Vec<BranchCoverage<'r>>,
    pub boundaries: Vec<BoundaryCoverage<'r>>,
}

/// Each ruleset's own items, then each shared definitions' items merged
/// over the rulesets that use them, each item once. Each merged item is
/// found by its key (a rule by its name, a part by its place, ...), in time
/// in proportion to the items, not their square.
pub fn by_file<'r>(reports: &[Coverage<'r>]) -> Vec<Group<'r>> {
    let mut groups: Vec<Group<'r>> = Vec::new();
    let mut shared: Vec<Group<'r>> = Vec::new();
    let mut index = Merged::default();
    for c in reports {
        let mut own = Group::named(format!("{} {}", c.ruleset, c.edition));
        own.tests = c.tests;
        own.tests_skipped = c.tests_skipped;
        own.records = c.records;
        own.skipped = c.skipped;
        // The shared groups this ruleset's items went to, each once.
        let mut touched: Vec<usize> = Vec::new();
        let mut touched_set: HashSet<usize> = HashSet::new();
        let mut group_of = |d: Option<&'r str>, shared: &mut Vec<Group<'r>>| -> Option<usize> {
            let d = d?;
            let i = *index.groups.entry(d).or_insert_with(|| {
                shared.push(Group::named(format!("definitions {d}")));
                shared.len() - 1
            });
            if touched_set.insert(i) {
                touched.push(i);
            }
            Some(i)
        };
        for r in &c.rules {
            let Some(gi) = group_of(r.definitions, &mut shared) else {
                own.rules.push(r.clone());
                continue;
            };
            let Some(g) = shared.get_mut(gi) else {
                continue;
            };
            match index
                .rules
                .get(&(gi, r.rule))
                .and_then(|&x| g.rules.get_mut(x))
            {
                Some(x) => {
                    x.fired += r.fired;
                    x.not_fired += r.not_fired;
                    x.undetermined += r.undetermined;
                }
                None => {
                    index.rules.insert((gi, r.rule), g.rules.len());
                    g.rules.push(r.clone());
                }
            }
        }
        for k in &c.constraints {
            let Some(gi) = group_of(k.definitions, &mut shared) else {
                own.constraints.push(k.clone());
                continue;
            };
            let Some(g) = shared.get_mut(gi) else {
                continue;
            };
            let key = (gi, k.rule, k.judgement, k.constraint.clone());
            match index
                .constraints
                .get(&key)
                .and_then(|&x| g.constraints.get_mut(x))
            {
                Some(x) => x.bound += k.bound,
                None => {
                    index.constraints.insert(key, g.constraints.len());
                    g.constraints.push(k.clone());
                }
            }
        }
        for b in &c.branches {
            let Some(gi) = group_of(b.definitions, &mut shared) else {
                own.branches.push(b.clone());
                continue;
            };
            let Some(g) = shared.get_mut(gi) else {
                continue;
            };
            let key = (gi, b.place.clone());
            let at = match index.branches.get(&key) {
                Some(&x) => x,
                None => {
                    let x = g.branches.len();
                    index.branches.insert(key, x);
                    g.branches.push(BranchCoverage {
                        rules: Vec::new(),
                        true_count: 0,
                        false_count: 0,
                        unknown: 0,
                        ..b.clone()
                    });
                    x
                }
            };
            let Some(x) = g.branches.get_mut(at) else {
                continue;
            };
            x.true_count += b.true_count;
            x.false_count += b.false_count;
            x.unknown += b.unknown;
            for r in &b.rules {
                if index.branch_rules.insert((gi, at, r)) {
                    x.rules.push(r);
                }
            }
        }
        for b in &c.boundaries {
            let Some(gi) = group_of(b.definitions, &mut shared) else {
                own.boundaries.push(b.clone());
                continue;
            };
            let Some(g) = shared.get_mut(gi) else {
                continue;
            };
            let key = (gi, b.place.clone(), b.threshold);
            match index
                .boundaries
                .get(&key)
                .and_then(|&x| g.boundaries.get_mut(x))
            {
                Some(x) => {
                    x.below += b.below;
                    x.at += b.at;
                    x.above += b.above;
                }
                None => {
                    index.boundaries.insert(key, g.boundaries.len());
                    g.boundaries.push(b.clone());
                }
            }
        }
        for i in touched {
            if let Some(g) = shared.get_mut(i) {
                g.tests += c.tests;
                g.tests_skipped += c.tests_skipped;
                g.records += c.records;
                g.skipped += c.skipped;
            }
        }
        own.summary = Summary::of(&own.rules, &own.constraints, &own.branches, &own.boundaries);
        groups.push(own);
    }
    for g in &mut shared {
        g.summary = Summary::of(&g.rules, &g.constraints, &g.branches, &g.boundaries);
    }
    groups.extend(shared);
    groups
}

/// Where [`by_file`] has put each shared item: by the index of its group
/// and its key.
#[derive(Default)]
struct Merged<'r> {
    groups: HashMap<&'r str, usize>,
    rules: HashMap<(usize, &'r str), usize>,
    constraints: HashMap<(usize, &'r str, &'r str, String), usize>,
    branches: HashMap<(usize, String), usize>,
    branch_rules: HashSet<(usize, usize, &'r str)>,
    boundaries: HashMap<(usize, String, &'r str), usize>,
}

impl Group<'_> {
    fn named(name: String) -> Self {
        Group {
            name,
            tests: 0,
            tests_skipped: 0,
            records: 0,
            skipped: 0,
            summary: Summary::default(),
            rules: Vec::new(),
            constraints: Vec::new(),
            branches: Vec::new(),
            boundaries: Vec::new(),
        }
    }
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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing, reason = "tests")]
    use super::{coverage, Counter};
    use crate::Ruleset;

    const RULES: &str = r#"ruleset c "Coverage"
  in force from 2020-01-01

record stay
  id: text
  days: number

evidence
  stays: list of stay default empty
  visits: list of stay default empty

threshold limit = 28

rule short_stays "p1"
  when every s in stays satisfies s.days <= limit
  then action none_too_long

rule long_visit "p2"
  for each v in visits
  when v.days > limit
  then action check_visit

test "one below"
  given stays = [{id = "a", days = 27}]
  expect action none_too_long

test "at"
  given stays = [{id = "a", days = 28}]
  expect action none_too_long

test "one above"
  given stays = [{id = "a", days = 29}]
  expect no actions
"#;

    /// A threshold compared inside a quantifier counts, element by element;
    /// a `for each` rule whose list is empty in every test still has its
    /// part and its threshold counted, as not covered and not reached.
    #[test]
    fn parts_inside_quantifiers_and_of_rules_never_reached_are_counted() {
        let ruleset = Ruleset::from_source(RULES, &[]).unwrap();
        let c = coverage(&ruleset, &[]);
        let inside = c
            .branches
            .iter()
            .find(|b| b.text == "s.days <= limit")
            .expect("the quantifier's body is a part");
        assert_eq!((inside.true_count, inside.false_count), (2, 1));
        let bound = c
            .boundaries
            .iter()
            .find(|b| b.text == "s.days <= limit")
            .expect("its threshold is a boundary");
        assert_eq!((bound.below, bound.at, bound.above), (1, 1, 1));
        assert!(bound.reached());
        let never = c
            .branches
            .iter()
            .find(|b| b.text == "v.days > limit")
            .expect("the part of a rule no test reaches is counted");
        assert_eq!((never.true_count, never.false_count), (0, 0));
        assert!(!never.covered());
        let unreached = c
            .boundaries
            .iter()
            .find(|b| b.text == "v.days > limit")
            .expect("and so is its threshold");
        assert!(!unreached.reached());
        assert_eq!(c.summary.boundaries, 2);
        assert_eq!(c.summary.boundaries_reached, 1);
    }

    /// `n` rules that each cap one judgement on a let all of them read,
    /// with tests that make every rule fire, cap and not: each rule's
    /// count, each binding constraint and each rule of the let's part are
    /// found by index.
    fn capping(n: usize) -> String {
        let mut source = String::from(
            "ruleset c \"C\"\n  in force from 2020-01-01\n\nscale grade: good > fair > poor\n\n\
             evidence\n  care: grade\n  proposed: grade\n\nlet poor = care is poor or proposed is poor\n\n\
             judgement overall: grade from proposed\n",
        );
        for i in 0..n {
            source.push_str(&format!(
                "\nrule r{i} \"para {i}\"\n  when poor\n  then overall at most fair\n"
            ));
        }
        source.push_str(
            "\ntest \"poor\"\n  given care = poor, proposed = good\n  expect overall = fair\n\
             \ntest \"good\"\n  given care = good, proposed = good\n  expect overall = good\n",
        );
        source
    }

    /// The work of counting grows with the rules, not their square (as it
    /// did when each rule's count, each binding constraint and each place
    /// was looked for along all the others): twice the rules, about twice
    /// the entries looked at, where the square would be four times.
    #[test]
    fn the_work_of_counting_grows_in_proportion_to_the_rules() {
        let work = |n: usize| {
            let source = capping(n);
            let ruleset = Ruleset::from_source(&source, &[]).unwrap();
            let mut counter = Counter::new(&ruleset);
            counter.record(&serde_json::json!({"care": "poor", "proposed": "good"}));
            let work = counter.work();
            let c = counter.finish();
            assert_eq!(c.summary.rules_fired, n);
            assert_eq!(c.summary.rules_both_ways, n);
            assert_eq!(c.summary.constraints_bound, n);
            assert_eq!(c.rules.last().unwrap().fired, 2);
            assert_eq!(c.constraints.last().unwrap().bound, 2);
            let shared = c.branches.iter().find(|b| b.text == "care is poor");
            assert!(shared.is_some(), "{:?}", c.branches);
            let shared = shared.unwrap();
            assert_eq!(shared.rules.len(), n);
            work
        };
        let (small, large) = (work(500), work(1000));
        assert!(
            large * 10 < small * 21,
            "500 rules took {small} entries looked at, 1000 took {large}"
        );
    }

    /// The places written from the index of lines are those the source map
    /// writes, at every character of a file (a byte-order mark, lines of
    /// many-byte characters, an empty last line).
    #[test]
    fn places_from_the_index_of_lines_are_the_source_maps() {
        let source =
            "\u{feff}ruleset c \"C\"\n  in force from 2020-01-01\n\nevidence\n  e: bool\n\n\
                      rule r \"p\"\n  note \"déjà\"\n  when e then action a\n";
        let ruleset = Ruleset::from_source(source, &[]).unwrap();
        let mut places = super::Places::default();
        for (offset, _) in source.char_indices().chain([(source.len(), ' ')]) {
            let span = judgement_syntax::Span::new(offset, offset);
            assert_eq!(
                places.place(&ruleset, span),
                ruleset.sources().place(span),
                "at {offset}"
            );
        }
        assert_eq!(places.indexed, source.len());
    }
}
