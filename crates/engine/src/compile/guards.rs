//! Guards (`Model::guards`, `let_guards`, `judgement_guards`): the leading
//! parts of a condition that read only values in place and cannot fail,
//! compiled to a flat program of tests and comparisons that the evaluator
//! reads without walking expressions.

use super::conjuncts;
use crate::eval::compare;
use crate::ids::Table;
use crate::model::{
    AggregateKind, Arith, Cmp, Cond, ExprId, Guard, Guards, JudgementId, LetId, Model, Node, Place,
    RuleId, Test,
};
use crate::value::{Tri, Value};
use judgement_syntax::ast::Quantifier;

/// The leading parts of each rule's condition that read only values in
/// place and cannot fail, compiled: see `Model::guards`.
pub(super) fn guards(m: &Model) -> Table<RuleId, Guards> {
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
    let mut lets: Vec<LetId> = Vec::new();
    for place in program.iter().flat_map(Cond::places) {
        if let Place::Let(l) = place {
            if !lets.contains(&l) {
                lets.push(l);
            }
        }
    }
    Guards {
        program: program.into(),
        whole: taken == parts.len(),
        lets: lets.into(),
    }
}

/// The guards of each let whose value is a truth made by `and`, `or`,
/// `not`, `is` or a comparison: see `Model::let_guards`. `None` for the
/// other lets (a field read, arithmetic, a list), and where no part is a
/// guard.
pub(super) fn let_guards(m: &Model) -> Table<LetId, Option<Guards>> {
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
pub(super) fn judgement_guards(m: &Model) -> Table<JudgementId, Option<Guards>> {
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

/// Append the program for the condition `e` to `out`, if every part of it
/// reads only values in place and none can fail: `and`, `or` and `not` of
/// tests of one value (a truth, `is set`, `is V`, and `every`, `some` or
/// `no` element of a list, or a count of its elements compared with a
/// fixed number, decided in place where the list has none) and
/// comparisons of two, or of one with a date in place moved by a fixed
/// amount.
/// `false`, with `out` as it was, for any other condition.
pub(super) fn pure(m: &Model, e: ExprId, out: &mut Vec<Cond>) -> bool {
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
        Some(&Node::Compare {
            op,
            lhs,
            rhs,
            scale,
        }) => match (place(m, lhs), place(m, rhs)) {
            (Some(lhs), Some(rhs)) => {
                out.push(Cond::Compare {
                    op,
                    lhs,
                    rhs,
                    scale,
                });
                true
            }
            // A date moved by a fixed amount, on either side: read with it
            // on the right.
            (Some(lhs), None) if !scale => moved_compare(m, op, lhs, rhs, out),
            (None, Some(rhs)) if !scale => moved_compare(m, op.flipped(), rhs, lhs, out),
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
            slot: u16::try_from(*slot).ok()?,
            field: field.map(u16::try_from).transpose().ok()?,
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
        Node::IsSet(a) => {
            let place = match m.exprs.get(*a)? {
                Node::Judgement(j) => Place::Judgement(*j),
                _ => truth_place(m, *a)?,
            };
            (place, Test::IsSet)
        }
        // Decided in place only where the list has no element.
        Node::Quantified {
            quantifier, list, ..
        } => (
            truth_place(m, *list)?,
            Test::Quantified {
                when_empty: *quantifier != Quantifier::Some,
            },
        ),
        Node::Not(a) => (truth_place(m, *a)?, Test::Holds(false)),
        &Node::Compare { op, lhs, rhs, .. } => counted(m, op, lhs, rhs)?,
        _ => (truth_place(m, e)?, Test::Holds(true)),
    };
    Some(Guard { place, test })
}

/// `count X in L [where C]` compared with a number that is the same in
/// every record (a constant or threshold), either way round, as a test of
/// the list `L` in place: decided, like a quantifier, only where the list
/// has no element (or is none), when the count is 0 and the comparison is
/// that of 0 with the number, or is unknown (so is the count); a list with
/// elements is left to the walk. `count absence in manager.absences >= 2`
/// is false for every record without absences, and so can lead its rule.
fn counted(m: &Model, op: Cmp, lhs: ExprId, rhs: ExprId) -> Option<(Place, Test)> {
    let list_of = |e: ExprId| match m.exprs.get(e)? {
        Node::Aggregate {
            kind: AggregateKind::Count,
            list,
            ..
        } => truth_place(m, *list),
        _ => None,
    };
    let zero = Value::Number(0);
    let (list, compared) = match (list_of(lhs), list_of(rhs)) {
        (Some(list), None) => (list, compare(op, &zero, m.fixed(rhs)?, false)?),
        (None, Some(list)) => (list, compare(op, m.fixed(lhs)?, &zero, false)?),
        _ => return None,
    };
    let when_empty = match compared {
        Tri::True => true,
        Tri::False => false,
        Tri::Unknown => return None,
    };
    Some((list, Test::Quantified { when_empty }))
}

/// Append `lhs op moved`, where `moved` is a date in place moved by a fixed
/// amount (`Cond::Moved`), if it is one.
fn moved_compare(m: &Model, op: Cmp, lhs: Place, moved: ExprId, out: &mut Vec<Cond>) -> bool {
    let Some(&Node::Arith(arith, base, amount)) = m.exprs.get(moved) else {
        return false;
    };
    let dates = matches!(
        arith,
        Arith::DateAddDays
            | Arith::DateSubDays
            | Arith::DateAddWorking
            | Arith::DateSubWorking
            | Arith::DateAddMonths
            | Arith::DateSubMonths
    );
    match (
        dates,
        place(m, base),
        m.fixed(amount),
        u16::try_from(moved.index()),
    ) {
        (true, Some(base), Some(_), Ok(moved)) => {
            out.push(Cond::Moved {
                op,
                lhs,
                base,
                moved,
            });
            true
        }
        _ => false,
    }
}
