//! The stage after checking: a checked model becomes one ready to evaluate,
//! with its evaluation order. Judgements and rules are sorted so that each
//! comes after everything it reads. A judgement waits for the rules that
//! constrain or withhold it (and for the judgements its `when` reads); a
//! rule waits for the judgements its condition and effects read. Rule order
//! in a file never changes an outcome. It reads only the model.

use crate::diagnostic::CheckError;
use crate::ids::Table;
use crate::model::{
    Arith, Cmp, Cond, EffectDef, ExprId, FieldId, Guard, Guards, JudgementId, KeyTest, Keyed, Lead,
    LeadTest, LetId, Limit, Model, Node, Place, RuleDef, RuleId, Step, Test,
};
use crate::types::Type;
use crate::value::{Tri, Value};
use judgement_syntax::ast::{CalendarOp, Quantifier};
use std::collections::HashMap;

/// Give a checked model its evaluation order. A cycle is an error naming
/// its members.
pub(crate) fn compile(mut model: Model) -> Result<Model, CheckError> {
    model.steps = order(&model)?;
    // Checks run before the rules (`Model::checks`), not among them: a
    // step for each would only be passed over, record after record.
    let rules = &model.rules;
    model.steps.retain(|step| {
        step.rule()
            .and_then(|r| rules.get(r))
            .is_none_or(|rule| !rule.is_check)
    });
    model.chains = chains(&model);
    model.loop_guards = loop_guards(&model);
    model.guards = guards(&model);
    model.let_guards = let_guards(&model);
    model.judgement_guards = judgement_guards(&model);
    model.leads = leads(&model);
    model.judgement_leads = judgement_leads(&model);
    model.keyed = keyed(&model);
    model.checks = model
        .rules
        .iter_ids()
        .filter(|(_, rule)| rule.is_check)
        .map(|(r, _)| r)
        .collect();
    Ok(model)
}

/// The parts of a condition that must all hold, in the order they are
/// evaluated: the operands of an `and` chain (`Model::chains`), or the
/// condition itself. An `or` chain is one part: its operands are not
/// conjuncts, though `chains` gathers them too.
fn conjuncts<'m>(m: &'m Model, when: &'m ExprId) -> &'m [ExprId] {
    match m.exprs.get(*when) {
        Some(Node::And(..)) => m
            .chains
            .get(*when)
            .and_then(Option::as_deref)
            .unwrap_or(std::slice::from_ref(when)),
        _ => std::slice::from_ref(when),
    }
}

/// The quantifiers a list's index can answer: see `Model::keyed`. Only
/// `some` and `no`, which look for an element whose condition is true:
/// `every` looks for one whose condition is false, which every element
/// the index leaves out is.
fn keyed(m: &Model) -> Box<[(ExprId, Keyed)]> {
    m.exprs
        .iter_ids()
        .filter_map(|(e, n)| {
            let &Node::Quantified {
                quantifier,
                list,
                slot,
                cond,
            } = n
            else {
                return None;
            };
            let &Node::Field(list) = m.exprs.get(list)? else {
                return None;
            };
            if quantifier == Quantifier::Every {
                return None;
            }
            let mut parts = Vec::with_capacity(2);
            leading_parts(m, cond, 2, &mut parts);
            let (field, test) = key_test(m, slot, &parts)?;
            Some((e, Keyed { list, field, test }))
        })
        .collect()
}

/// The first `most` parts an `and` reads, in the order it reads them: the
/// operands of its chain, and of an `and` among them, depth first. A
/// condition that is not an `and` is its own one part.
fn leading_parts(m: &Model, e: ExprId, most: usize, out: &mut Vec<ExprId>) {
    let Some(&Node::And(a, b)) = m.exprs.get(e) else {
        out.push(e);
        return;
    };
    let pair = [a, b];
    let operands = m.chains.get(e).and_then(Option::as_deref).unwrap_or(&pair);
    for &operand in operands {
        if out.len() >= most {
            return;
        }
        leading_parts(m, operand, most, out);
    }
}

/// The field of the element in `slot` that the condition's first part
/// (and, for a bound, its second) tests, and how: see [`KeyTest`].
fn key_test(m: &Model, slot: usize, parts: &[ExprId]) -> Option<(usize, KeyTest)> {
    let element_field = |x: ExprId| match m.exprs.get(x) {
        Some(&Node::Var {
            slot: s,
            field: Some(f),
        }) if s == slot => Some(f),
        _ => None,
    };
    // `element.field op other`, either way round, with `op` turned to read
    // so; `None` when the part is not a comparison of that shape.
    let compared = |part: ExprId| {
        let &Node::Compare {
            op,
            lhs,
            rhs,
            scale,
        } = m.exprs.get(part)?
        else {
            return None;
        };
        match (element_field(lhs), element_field(rhs)) {
            (Some(f), None) => Some((op, f, rhs, scale)),
            (None, Some(f)) => Some((op.flipped(), f, lhs, scale)),
            _ => None,
        }
    };
    let (op, field, other, scale) = compared(*parts.first()?)?;
    if op == Cmp::Eq {
        // A value in place that is the same for every element.
        let steady = match m.exprs.get(other) {
            Some(Node::Field(_) | Node::Let(_) | Node::Const(_) | Node::Threshold(_)) => true,
            Some(&Node::Var { slot: s, .. }) => s != slot,
            _ => false,
        };
        return steady.then_some((field, KeyTest::Equal(other)));
    }
    // A bound: the same for every element, and ordered as the index is (a
    // scale's order is the other way round).
    let bound = |op: Cmp, other: ExprId, scale: bool| {
        if scale || reads_slot(m, other, slot) {
            return None;
        }
        let b = |inclusive| Limit {
            expr: other,
            inclusive,
        };
        match op {
            Cmp::Gt => Some((true, b(false))),
            Cmp::Ge => Some((true, b(true))),
            Cmp::Lt => Some((false, b(false))),
            Cmp::Le => Some((false, b(true))),
            Cmp::Eq | Cmp::Ne => None,
        }
    };
    let (is_low, first) = bound(op, other, scale)?;
    // The second part bounds the same field from the other side.
    let second = parts
        .get(1)
        .and_then(|&p| compared(p))
        .filter(|&(_, f, _, _)| f == field)
        .and_then(|(op, _, other, scale)| bound(op, other, scale))
        .filter(|&(low, _)| low != is_low)
        .map(|(_, b)| b);
    let (low, high) = if is_low {
        (Some(first), second)
    } else {
        (second, Some(first))
    };
    let low_first = is_low;
    Some((
        field,
        KeyTest::Range {
            low,
            high,
            low_first,
        },
    ))
}

/// The leading parts of each rule's condition that read only values in
/// place and cannot fail, compiled: see `Model::guards`.
fn guards(m: &Model) -> Table<RuleId, Guards> {
    m.rules
        .iter()
        .map(|rule| match rule.when.as_ref() {
            Some(when) => guards_of(m, when),
            None => Guards::default(),
        })
        .collect::<Vec<_>>()
        .into()
}

/// The leading parts of the truth `e` (the operands of its `and` chain, or
/// `e` itself) that read only values in place and cannot fail, compiled.
fn guards_of(m: &Model, e: &ExprId) -> Guards {
    let parts = conjuncts(m, e);
    let mut program = Vec::new();
    let mut taken = 0;
    for &part in parts {
        if !pure(m, part, &mut program) {
            break;
        }
        taken += 1;
    }
    Guards {
        program: program.into(),
        whole: taken == parts.len(),
    }
}

/// The guards of each let whose value is a truth made by `and`, `or`,
/// `not`, `is` or a comparison: see `Model::let_guards`. `None` for the
/// other lets (a field read, arithmetic, a list), and where no part is a
/// guard.
fn let_guards(m: &Model) -> Table<LetId, Option<Guards>> {
    m.lets
        .iter()
        .map(|l| {
            let truth = matches!(
                m.exprs.get(l.expr),
                Some(
                    Node::And(..)
                        | Node::Or(..)
                        | Node::Not(_)
                        | Node::IsValue { .. }
                        | Node::Compare { .. }
                )
            );
            Some(guards_of(m, &l.expr)).filter(|g| truth && !g.program.is_empty())
        })
        .collect::<Vec<_>>()
        .into()
}

/// The guards of the condition of each judgement made only `when` it
/// holds: see `Model::judgement_guards`. `None` for a judgement made at
/// every inspection, and where no part of its condition is a guard.
fn judgement_guards(m: &Model) -> Table<JudgementId, Option<Guards>> {
    m.judgements
        .iter()
        .map(|j| {
            j.applies
                .map(|when| guards_of(m, &when))
                .filter(|g| !g.program.is_empty())
        })
        .collect::<Vec<_>>()
        .into()
}

/// What passes rules by for a record, each with the steps of the rules it
/// leads: see `Model::leads`. A rule with `for each` is led by its list
/// when that is an evidence field. Its condition's first part (that does
/// not read the element) leads it only when its list is a sequence of
/// months that cannot fail to be made ([`sequence_cannot_fail`]): the list
/// is made first, and making another list may fail.
fn leads(m: &Model) -> Box<[Lead]> {
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
/// checks are not led.
fn judgement_leads(m: &Model) -> Table<JudgementId, Box<[Lead]>> {
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
fn places(part: &[Cond]) -> impl Iterator<Item = &Place> {
    part.iter()
        .flat_map(|c| match c {
            Cond::Test(g) => [Some(&g.place), None],
            Cond::Compare { lhs, rhs, .. } => [Some(lhs), Some(rhs)],
            Cond::Not | Cond::Chain { .. } => [None, None],
        })
        .flatten()
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
            match *place {
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
    let steady = |p: &Place| {
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

/// How many entries the tree at `at` of a guards program takes.
fn tree_len(program: &[Cond], at: usize) -> usize {
    match program.get(at) {
        None => 0,
        Some(Cond::Test(_) | Cond::Compare { .. }) => 1,
        Some(Cond::Not) => 1 + tree_len(program, at + 1),
        Some(&Cond::Chain { size, .. }) => size as usize,
    }
}

/// Append the program for the condition `e` to `out`, if every part of it
/// reads only values in place and none can fail: `and`, `or` and `not` of
/// tests of one value (a truth, `is set`, `is V`) and comparisons of two.
/// `false`, with `out` as it was, for any other condition.
fn pure(m: &Model, e: ExprId, out: &mut Vec<Cond>) -> bool {
    if let Some(g) = guard(m, e) {
        out.push(Cond::Test(g));
        return true;
    }
    let start = out.len();
    let done = match m.exprs.get(e) {
        Some(Node::And(a, b) | Node::Or(a, b)) => {
            let all = matches!(m.exprs.get(e), Some(Node::And(..)));
            let pair = [*a, *b];
            let operands = m.chains.get(e).and_then(Option::as_deref).unwrap_or(&pair);
            out.push(Cond::Chain { all, size: 0 });
            let whole = operands.iter().all(|&op| pure(m, op, out));
            match (whole, u32::try_from(out.len() - start)) {
                (true, Ok(n)) => {
                    if let Some(Cond::Chain { size, .. }) = out.get_mut(start) {
                        *size = n;
                    }
                    true
                }
                _ => false,
            }
        }
        Some(Node::Not(a)) => {
            out.push(Cond::Not);
            pure(m, *a, out)
        }
        Some(Node::Compare {
            op,
            lhs,
            rhs,
            scale,
        }) => match (place(m, *lhs), place(m, *rhs)) {
            (Some(l), Some(r)) => {
                out.push(Cond::Compare {
                    op: *op,
                    lhs: l,
                    rhs: r,
                    scale: *scale,
                });
                true
            }
            _ => false,
        },
        _ => false,
    };
    if !done {
        out.truncate(start);
    }
    done
}

/// Where the value of `e` is, if it is held in place: a field, let,
/// element's field, threshold, constant or judgement.
fn place(m: &Model, e: ExprId) -> Option<Place> {
    Some(match m.exprs.get(e)? {
        Node::Judgement(j) => Place::Judgement(*j),
        Node::Threshold(t) => Place::Threshold(*t),
        Node::Const(_) => Place::Const(e),
        _ => return truth_place(m, e),
    })
}

/// Where a truth, or a value tested with `is set` or `is`, is held: a
/// field, let or element's field.
fn truth_place(m: &Model, e: ExprId) -> Option<Place> {
    match m.exprs.get(e)? {
        Node::Field(f) => Some(Place::Field(*f)),
        Node::Let(l) => Some(Place::Let(*l)),
        Node::Var { slot, field } => Some(Place::Element {
            slot: *slot,
            field: *field,
        }),
        _ => None,
    }
}

/// The part `e` of a condition as a test of one value in place, if it is
/// one: `None` for any other.
fn guard(m: &Model, e: ExprId) -> Option<Guard> {
    let (place, test) = match m.exprs.get(e)? {
        Node::IsValue { expr, op, value } => {
            let place = match m.exprs.get(*expr)? {
                Node::Judgement(j) => Place::Judgement(*j),
                _ => truth_place(m, *expr)?,
            };
            let (op, value) = (*op, *value);
            (place, Test::Is { op, value })
        }
        Node::IsSet(a) => (truth_place(m, *a)?, Test::IsSet),
        Node::Not(a) => (truth_place(m, *a)?, Test::Holds(false)),
        _ => (truth_place(m, e)?, Test::Holds(true)),
    };
    Some(Guard { place, test })
}

/// The leading operands of each `for each` rule's condition that do not
/// read its element (bound at slot 0), in order: see `Model::loop_guards`.
/// Only a prefix is taken, so that deciding them once evaluates exactly
/// what each element's evaluation would evaluate before them.
fn loop_guards(m: &Model) -> Table<RuleId, Box<[ExprId]>> {
    m.rules
        .iter()
        .map(|rule| {
            let (Some(_), Some(when)) = (&rule.for_each, rule.when.as_ref()) else {
                return Box::default();
            };
            conjuncts(m, when)
                .iter()
                .copied()
                .take_while(|&op| !reads_slot(m, op, 0))
                .collect()
        })
        .collect::<Vec<_>>()
        .into()
}

/// Whether the expression `e` reads the element bound at `slot` anywhere
/// within it. An expression missing from the model counts as reading it,
/// so that nothing is taken out of a loop on a doubt.
fn reads_slot(m: &Model, e: ExprId, slot: usize) -> bool {
    let mut stack = vec![e];
    while let Some(e) = stack.pop() {
        match m.exprs.get(e) {
            None => return true,
            Some(Node::Var { slot: s, .. }) if *s == slot => return true,
            Some(node) => stack.extend(node.children()),
        }
    }
    false
}

/// The operands of each chain of `and`s (or of `or`s), gathered once:
/// `(a and b) and c` gives `[a, b, c]`. Only the left side is followed, as
/// the parser nests a chain; a bracketed `and` on the right is one operand,
/// evaluated as its own chain.
fn chains(m: &Model) -> Table<ExprId, Option<Box<[ExprId]>>> {
    let split = |node: Option<&Node>, all: bool| match node {
        Some(Node::And(l, r)) if all => Some((*l, *r)),
        Some(Node::Or(l, r)) if !all => Some((*l, *r)),
        _ => None,
    };
    // The left operand of an `and` that is itself an `and` is inside a
    // longer chain: only the head of each chain gets its operands, so that
    // a chain of n costs n, not n * n.
    let mut inner = vec![false; m.exprs.len()];
    for node in m.exprs.iter() {
        let left = match node {
            Node::And(l, _) if split(m.exprs.get(*l), true).is_some() => *l,
            Node::Or(l, _) if split(m.exprs.get(*l), false).is_some() => *l,
            _ => continue,
        };
        if let Some(flag) = inner.get_mut(left.index()) {
            *flag = true;
        }
    }
    m.exprs
        .iter()
        .zip(inner)
        .map(|(node, inner)| {
            if inner {
                return None;
            }
            let (all, mut left, right) = match node {
                Node::And(l, r) => (true, *l, *r),
                Node::Or(l, r) => (false, *l, *r),
                _ => return None,
            };
            // Right to left, then reversed.
            let mut operands = vec![right];
            while let Some((l, r)) = split(m.exprs.get(left), all) {
                operands.push(r);
                left = l;
            }
            operands.push(left);
            operands.reverse();
            Some(operands.into_boxed_slice())
        })
        .collect::<Vec<_>>()
        .into()
}

fn order(m: &Model) -> Result<Vec<Step>, CheckError> {
    let nj = m.judgements.len();
    let n = nj + m.rules.len();
    // deps[x]: the nodes x waits for. Judgements are nodes 0..nj, rules after.
    let mut deps: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (d, judgement) in deps.iter_mut().zip(&m.judgements) {
        d.extend(judgement.applies_reads.iter().map(|j| j.index()));
    }
    for (r, rule) in m.rules.iter_ids() {
        let node = nj + r.index();
        if let Some(d) = deps.get_mut(node) {
            d.extend(rule.reads_judgements.iter().map(|j| j.index()));
            d.extend(rule.effect_judgements.iter().map(|j| j.index()));
        }
        for effect in &rule.effects {
            match effect {
                EffectDef::Constrain { judgement, .. } => {
                    if let Some(d) = deps.get_mut(judgement.index()) {
                        d.push(node);
                    }
                }
                EffectDef::Withhold => {
                    for d in deps.iter_mut().take(nj) {
                        d.push(node);
                    }
                }
                _ => {}
            }
        }
    }
    // Kahn's order, as far as the dependencies allow: of the nodes ready,
    // judgements before rules, judgements by name and rules by id. Not the
    // order the file gives them: where two judgements could each go first,
    // which does decides which of their problems is met first (a floor
    // above a cap in both), and the order they are written in must never
    // change an outcome (docs/language.md, section 6).
    let mut by_name: Vec<usize> = (0..n).collect();
    let key = |x: usize| -> (bool, &str) {
        if x < nj {
            let name = m.judgements.get(JudgementId::from_index(x));
            (false, name.map(|j| j.name.as_str()).unwrap_or_default())
        } else {
            let rule = m.rules.get(RuleId::from_index(x - nj));
            (true, rule.map(|r| r.id.as_str()).unwrap_or_default())
        }
    };
    by_name.sort_by(|&a, &b| key(a).cmp(&key(b)).then(a.cmp(&b)));
    let mut rank = vec![0; n];
    for (r, &x) in by_name.iter().enumerate() {
        if let Some(slot) = rank.get_mut(x) {
            *slot = r;
        }
    }
    let rank_of = |x: usize| rank.get(x).copied().unwrap_or(x);
    let mut waiting: Vec<usize> = Vec::with_capacity(n);
    let mut dependents: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (x, d) in deps.iter_mut().enumerate() {
        d.sort_unstable();
        d.dedup();
        waiting.push(d.len());
        for &y in d.iter() {
            if let Some(list) = dependents.get_mut(y) {
                list.push(x);
            }
        }
    }
    let mut ready: std::collections::BinaryHeap<std::cmp::Reverse<(usize, usize)>> = waiting
        .iter()
        .enumerate()
        .filter(|(_, w)| **w == 0)
        .map(|(x, _)| std::cmp::Reverse((rank_of(x), x)))
        .collect();
    let mut done = vec![false; n];
    let mut steps = Vec::with_capacity(n);
    while let Some(std::cmp::Reverse((_, x))) = ready.pop() {
        if let Some(flag) = done.get_mut(x) {
            *flag = true;
        }
        steps.push(if x < nj {
            Step::Judgement(JudgementId::from_index(x))
        } else {
            let r = RuleId::from_index(x - nj);
            match m.rules.get(r) {
                Some(rule) if rule.for_each.is_some() => Step::ForEach(r),
                _ => Step::Rule(r),
            }
        });
        for &y in dependents.get(x).map(Vec::as_slice).unwrap_or_default() {
            if let Some(w) = waiting.get_mut(y) {
                *w -= 1;
                if *w == 0 {
                    ready.push(std::cmp::Reverse((rank_of(y), y)));
                }
            }
        }
    }
    if steps.len() == n {
        return Ok(steps);
    }
    let name = |x: usize| -> String {
        if x < nj {
            m.judgements
                .get(JudgementId::from_index(x))
                .map(|j| format!("judgement `{}`", j.name))
                .unwrap_or_default()
        } else {
            m.rules
                .get(RuleId::from_index(x - nj))
                .map(|r| format!("rule `{}`", r.id))
                .unwrap_or_default()
        }
    };
    let stuck = |x: usize| !done.get(x).copied().unwrap_or(true);
    let cycle = cycle_among(&deps, stuck);
    let first = cycle.first().copied().unwrap_or(0);
    let span = if first < nj {
        m.judgements
            .get(JudgementId::from_index(first))
            .map(|j| j.span)
    } else {
        m.rules.get(RuleId::from_index(first - nj)).map(|r| r.span)
    }
    .unwrap_or_default();
    let mut names: Vec<String> = cycle.iter().map(|&x| name(x)).collect();
    names.push(name(first));
    Err(CheckError::error(
        format!(
            "these depend on each other in a cycle, each waiting for the next: {}",
            names.join(" -> ")
        ),
        span,
        "part of the cycle",
    )
    .with_help("a rule cannot read a judgement that it (or a rule after it) constrains"))
}

/// One cycle of the nodes that could not be ordered, in the order each
/// waits for the next (`deps[x]`: the nodes `x` waits for). A node left
/// waiting waits for another left waiting, so following those from any of
/// them comes back to one already passed: the cycle is from there on. The
/// nodes that only wait on a cycle, without being in it, are left out.
fn cycle_among(deps: &[Vec<usize>], stuck: impl Fn(usize) -> bool) -> Vec<usize> {
    let Some(start) = (0..deps.len()).find(|&x| stuck(x)) else {
        return Vec::new();
    };
    let mut path = vec![start];
    let mut at = start;
    // At most one step a node: a walk longer than that has come back.
    for _ in 0..deps.len() {
        let Some(next) = deps
            .get(at)
            .and_then(|d| d.iter().copied().find(|&y| stuck(y)))
        else {
            break;
        };
        if let Some(i) = path.iter().position(|&p| p == next) {
            return path.split_off(i);
        }
        path.push(next);
        at = next;
    }
    path
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing, reason = "tests")]
    use crate::model::{Cond, Guard, KeyTest, LeadTest, Limit, Model, Place};
    use crate::Ruleset;

    const SOURCE: &str = "ruleset leads \"Leads\"
  in force from 2015-04-01

scale grade: outstanding > good > requires_improvement > inadequate

evidence
  proposed.overall: grade
  kind: grade
  flag: bool default false
  since: date or none

judgement overall: grade from proposed.overall

rule later \"para 1\"
  when kind is good and flag
  then finding later

rule first \"para 2\"
  when kind is good and overall is inadequate
  then finding first

rule after_judgement \"para 3\"
  when overall is inadequate and since is set
  then finding after_judgement

rule judged \"para 4\"
  when overall is at least good
  then finding judged

rule either \"para 5\"
  when (kind is good and overall is inadequate) or flag
  then finding either
";

    /// The name of the field a lead tests alone, or `judgement` for a
    /// judgement's test, or `program`.
    fn lead(model: &Model, rule: &str) -> Vec<String> {
        let step = model
            .steps
            .iter()
            .position(|s| {
                s.rule()
                    .is_some_and(|r| model.rules.get(r).unwrap().id == rule)
            })
            .unwrap() as u32;
        let has = |steps: &[(u32, u64)]| {
            steps
                .iter()
                .any(|&(w, bits)| w == step / 64 && bits & (1 << (step % 64)) != 0)
        };
        let mut found: Vec<String> = model
            .leads
            .iter()
            .filter(|l| has(&l.steps))
            .map(|l| match l.test {
                LeadTest::FieldFalse(f, _) => model.fields.get(f).unwrap().name.clone(),
                _ => "program".into(),
            })
            .collect();
        for (j, leads) in model.judgement_leads.iter_ids() {
            for l in leads.iter().filter(|l| has(&l.steps)) {
                let LeadTest::False(ref program) = l.test else {
                    panic!("a judgement's lead is a program")
                };
                assert!(program.iter().any(|c| matches!(
                    c,
                    Cond::Test(Guard {
                        place: Place::Judgement(of),
                        ..
                    }) if *of == j
                )));
                found.push(model.judgements.get(j).unwrap().name.clone());
            }
        }
        found
    }

    /// A rule is led by the first of its parts that is a test of one field
    /// false where a record leaves the field out (`flag`, `since`), else by
    /// its first part that reads no judgement (`kind`, given in every
    /// record); and, besides, by its first part that reads a judgement.
    #[test]
    fn a_rule_is_led_by_a_part_most_records_make_false_and_by_a_judgement() {
        let ruleset = Ruleset::from_source(SOURCE, &[]).unwrap();
        let model = ruleset.model();
        assert_eq!(lead(model, "later"), ["flag"]);
        assert_eq!(lead(model, "first"), ["kind", "overall"]);
        assert_eq!(lead(model, "after_judgement"), ["since", "overall"]);
        assert_eq!(lead(model, "judged"), ["overall"]);
        // A part that reads a judgement and fields: the whole `or`.
        assert_eq!(lead(model, "either"), ["overall"]);
        // `is inadequate` once, for both rules that test it.
        let overall = model.judgement_leads.iter().next().unwrap();
        assert_eq!(overall.len(), 3);
    }

    /// The quantifiers a list's index answers (`Model::keyed`): `some` and
    /// `no` over an evidence list whose condition starts with an equality
    /// of the element's field and a value that stays the same for every
    /// element, either way round; not `every`, not another comparison, not
    /// an equality read second, not a list inside an element.
    #[test]
    fn quantifiers_whose_condition_starts_with_an_equality_are_keyed() {
        let source = "ruleset keyed \"Keyed\"
  in force from 2015-04-01

record entry
  id: text
  code: text or unknown
  done: bool default false
  parts: list of part default empty

record part
  id: text
  code: text

evidence
  wanted: text or unknown
  entries: list of entry default empty

rule a \"para 1\"
  when some entry in entries satisfies entry.code = wanted and entry.done
  then finding a

rule b \"para 2\"
  when no entry in entries satisfies wanted = entry.code
  then finding b

rule c \"para 3\"
  for each outer in entries
  when some entry in entries satisfies entry.code = outer.code
  then finding c

rule d \"para 4\"
  when every entry in entries satisfies entry.code = wanted
  then finding d

rule e \"para 5\"
  when some entry in entries satisfies entry.code != wanted
  then finding e

rule f \"para 6\"
  when some entry in entries satisfies entry.done and entry.code = wanted
  then finding f

rule g \"para 7\"
  for each outer in entries
  when some part in outer.parts satisfies part.code = wanted
  then finding g
";
        let ruleset = Ruleset::from_source(source, &[]).unwrap();
        let model = ruleset.model();
        let keyed: Vec<(String, usize)> = model
            .keyed
            .iter()
            .map(|(_, k)| (model.fields.get(k.list).unwrap().name.clone(), k.field))
            .collect();
        let entries = || ("entries".to_string(), 1);
        assert_eq!(keyed, [entries(), entries(), entries()]);
        assert!(model.keyed.windows(2).all(|w| w[0].0 < w[1].0));
    }

    /// Bounds on the element's field (`KeyTest::Range`): a first part
    /// `>`, `>=`, `<` or `<=` with a side that does not read the element,
    /// computed or not, either way round; a second part bounding the same
    /// field from the other side is the other bound, and any other second
    /// part is not. Not a comparison on a scale, whose order is the other
    /// way round, nor one that reads the element on both sides, nor
    /// `every`.
    #[test]
    fn quantifiers_whose_condition_starts_with_bounds_are_keyed_in_order() {
        let source = "ruleset ranged \"Ranged\"
  in force from 2015-04-01

scale grade: outstanding > good > requires_improvement > inadequate

record entry
  id: text
  at: date
  until: date
  n: number
  grade: grade

evidence
  since: date
  entries: list of entry default empty

rule a \"para 1\"
  when some e in entries satisfies e.at >= since and e.at <= end of month since
  then finding a

rule b \"para 2\"
  when no e in entries satisfies since < e.at
  then finding b

rule c \"para 3\"
  when some e in entries satisfies e.at < since and e.n > 3
  then finding c

rule d \"para 4\"
  when some e in entries satisfies e.at > since and e.at > since + 3 days
  then finding d

rule e \"para 5\"
  when some e in entries satisfies since + 7 days >= e.at and since <= e.at
  then finding e

rule f \"para 6\"
  when some e in entries satisfies e.grade > good
  then finding f

rule g \"para 7\"
  when some e in entries satisfies e.at > e.until
  then finding g

rule h \"para 8\"
  when every e in entries satisfies e.at > since
  then finding h
";
        let ruleset = Ruleset::from_source(source, &[]).unwrap();
        let model = ruleset.model();
        let side = |b: Option<Limit>| b.map(|l| l.inclusive);
        let keyed: Vec<(usize, Option<bool>, Option<bool>, bool)> = model
            .keyed
            .iter()
            .map(|(_, k)| match k.test {
                KeyTest::Range {
                    low,
                    high,
                    low_first,
                } => (k.field, side(low), side(high), low_first),
                KeyTest::Equal(_) => panic!("an equality"),
            })
            .collect();
        // `at` is field 1 of an entry; (low, high), each inclusive or not,
        // and whether the condition reads the low bound first.
        assert_eq!(
            keyed,
            [
                (1, Some(true), Some(true), true),
                (1, Some(false), None, true),
                (1, None, Some(false), false),
                (1, Some(false), None, true),
                (1, Some(true), Some(true), false),
            ]
        );
    }
}
