//! The indexes a list may be read through (`Model::keyed`): which `some`
//! and `no` conditions start with a test of one field of the element that
//! an index of that field can answer, an equality or bounds, or else with a
//! part that reads only the element and what stays the same through a
//! record, whose elements that pass it can be found once.

use super::reads_slot;
use crate::model::{Cmp, ExprId, KeyTest, Keyed, Limit, Model, Node};
use judgement_syntax::ast::Quantifier;

/// The quantifiers a list's index can answer: see `Model::keyed`. Only
/// `some` and `no`, which look for an element whose condition is true:
/// `every` looks for one whose condition is false, which every element
/// the index leaves out is.
pub(super) fn keyed(m: &Model) -> Box<[(ExprId, Keyed)]> {
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
            let (field, test) = key_test(m, slot, &parts).or_else(|| {
                let &first = parts.first()?;
                (reads_slot(m, first, slot) && steady_but_for(m, first, slot))
                    .then_some((0, KeyTest::Holds(first)))
            })?;
            Some((e, Keyed { list, field, test }))
        })
        .collect()
}

/// Whether `e` reads nothing that changes through a record's rules but
/// the element at `slot`: no judgement, no other element, and no list of
/// its own (whose element would be another).
fn steady_but_for(m: &Model, e: ExprId, slot: usize) -> bool {
    let mut stack = vec![e];
    while let Some(e) = stack.pop() {
        match m.exprs.get(e) {
            None
            | Some(
                Node::Judgement(_)
                | Node::Quantified { .. }
                | Node::Aggregate { .. }
                | Node::Sequence { .. },
            ) => return false,
            Some(&Node::Var { slot: s, .. }) if s != slot => return false,
            Some(node) => stack.extend(node.children()),
        }
    }
    true
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
