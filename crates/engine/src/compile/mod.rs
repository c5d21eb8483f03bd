//! The stage after checking: a checked model becomes one ready to evaluate,
//! with its evaluation order. Judgements and rules are sorted so that each
//! comes after everything it reads. A judgement waits for the rules that
//! constrain or withhold it (and for the judgements its `when` reads); a
//! rule waits for the judgements its condition and effects read. Rule order
//! in a file never changes an outcome. It reads only the model.
//!
//! Then what lets the evaluator pass work by, each in its own module:
//!
//! | module | what it adds to the model |
//! |---|---|
//! | `order` | `steps`: the evaluation order, or the cycle that prevents one |
//! | `guards` | `guards`, `let_guards`, `judgement_guards`: the leading parts of a condition as a flat program |
//! | `leads` | `leads`, `judgement_leads`: tests that pass many rules by at once |
//! | `index` | `keyed`: the `some` / `no` conditions an index of a list's field answers |
//! | `lets` | `let_plan`: the lets worked out before the rules, and what each needs; the rest are worked out where first read |
//! | this module | `chains`, `loop_guards`, and `closed`: the quantifiers and aggregates inside another binder that read no element bound outside them |
//!
//! This module keeps what they share: each `and` chain's operands
//! (`chains`), and the parts of a `for each` rule's condition that do not
//! read its element (`loop_guards`).

mod guards;
mod index;
mod leads;
mod lets;
mod order;
#[cfg(test)]
mod tests;

#[cfg(test)]
pub(crate) use leads::step_words;

/// A cycle among the judgements and rules of a model that did not check,
/// found as `compile` would find it, from the dependencies that did (a
/// name that failed to resolve adds none): reported with the file's other
/// errors, not only once they are mended. `None` where there is none.
pub(crate) fn cycle_in(model: &Model) -> Option<CheckError> {
    order::order(model).err()
}

use crate::diagnostic::CheckError;
use crate::ids::Table;
use crate::model::{ExprId, Model, Node, RuleId};

/// Give a checked model its evaluation order. A cycle is an error naming
/// its members.
pub(crate) fn compile(mut model: Model) -> Result<Model, CheckError> {
    model.steps = order::order(&model)?;
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
    model.guards = guards::guards(&model);
    model.let_guards = guards::let_guards(&model);
    model.judgement_guards = guards::judgement_guards(&model);
    model.leads = leads::leads(&model);
    model.judgement_leads = leads::judgement_leads(&model);
    model.keyed = index::keyed(&model);
    model.closed = closed(&model);
    model.checks = model
        .rules
        .iter_ids()
        .filter(|(_, rule)| rule.is_check)
        .map(|(r, _)| r)
        .collect();
    model.let_plan = lets::let_plan(&model);
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

/// The quantifiers and aggregates bound at a slot past the first (inside
/// another binder) that read no element of a slot before their own: see
/// `Model::closed`. Found from the least slot each expression reads,
/// worked out once for each expression, children first.
fn closed(m: &Model) -> Box<[ExprId]> {
    // The least slot read within each expression; `usize::MAX` for none.
    // An expression missing from the model counts as reading slot 0.
    let mut least: Vec<Option<usize>> = vec![None; m.exprs.len()];
    for (root, _) in m.exprs.iter_ids() {
        let mut stack = vec![(root, false)];
        while let Some((e, children_done)) = stack.pop() {
            if least.get(e.index()).copied().flatten().is_some() {
                continue;
            }
            let Some(node) = m.exprs.get(e) else { continue };
            if !children_done {
                stack.push((e, true));
                stack.extend(
                    node.children()
                        .filter(|c| least.get(c.index()).copied().flatten().is_none())
                        .map(|c| (c, false)),
                );
                continue;
            }
            let own = match node {
                Node::Var { slot, .. } => *slot,
                _ => usize::MAX,
            };
            let read = node
                .children()
                .map(|c| least.get(c.index()).copied().flatten().unwrap_or(0))
                .fold(own, usize::min);
            if let Some(at) = least.get_mut(e.index()) {
                *at = Some(read);
            }
        }
    }
    m.exprs
        .iter_ids()
        .filter(|(e, node)| {
            let slot = match node {
                Node::Quantified { slot, .. } | Node::Aggregate { slot, .. } => *slot,
                _ => return false,
            };
            slot > 0
                && least
                    .get(e.index())
                    .copied()
                    .flatten()
                    .is_some_and(|l| l >= slot)
        })
        .map(|(e, _)| e)
        .collect()
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
