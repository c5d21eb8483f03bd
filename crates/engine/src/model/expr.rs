//! The nodes of the model's expression arena (`Model::exprs`): each
//! operator resolved by type when the ruleset is checked.

use super::{ExprId, FieldId, JudgementId, LetId, ThresholdId};
use crate::value::Value;
use judgement_syntax::ast::{CalendarOp, ConstraintOp, Quantifier};

/// Arithmetic resolved by type at check time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arith {
    /// number, days, months or working days with the same unit.
    AddSame,
    SubSame,
    DateAddDays,
    DateSubDays,
    DateAddMonths,
    DateSubMonths,
    DateAddWorking,
    DateSubWorking,
    /// date - date: a count of days, the start day being day 0.
    DateDiff,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Cmp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl Cmp {
    /// The comparison read the other way round: `a op b` is
    /// `b (op.flipped()) a`.
    pub fn flipped(self) -> Cmp {
        match self {
            Cmp::Lt => Cmp::Gt,
            Cmp::Le => Cmp::Ge,
            Cmp::Gt => Cmp::Lt,
            Cmp::Ge => Cmp::Le,
            Cmp::Eq | Cmp::Ne => self,
        }
    }

    /// Whether `a op b` holds, `ord` being how `a` compares with `b`.
    #[inline]
    pub fn holds(self, ord: std::cmp::Ordering) -> bool {
        use std::cmp::Ordering;
        match self {
            Cmp::Eq => ord == Ordering::Equal,
            Cmp::Ne => ord != Ordering::Equal,
            Cmp::Lt => ord == Ordering::Less,
            Cmp::Le => ord != Ordering::Greater,
            Cmp::Gt => ord == Ordering::Greater,
            Cmp::Ge => ord != Ordering::Less,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    Const(Value),
    Field(FieldId),
    Let(LetId),
    Threshold(ThresholdId),
    Judgement(JudgementId),
    /// The element bound at `slot` by `for each` or a quantifier: one of its
    /// fields, or (`None`) the element itself for a list of plain values.
    Var {
        slot: usize,
        field: Option<usize>,
    },
    Not(ExprId),
    Neg(ExprId),
    And(ExprId, ExprId),
    Or(ExprId, ExprId),
    /// `ordered` scales compare by rank, best greatest.
    Compare {
        op: Cmp,
        lhs: ExprId,
        rhs: ExprId,
        scale: bool,
    },
    Arith(Arith, ExprId, ExprId),
    IsSet(ExprId),
    IsKnown(ExprId),
    /// `is V`, `is at most V`, `is at least V` on a scale or choice value.
    IsValue {
        expr: ExprId,
        op: ConstraintOp,
        value: u16,
    },
    /// `L is empty`.
    IsEmpty(ExprId),
    /// `every X in L satisfies C` (and `some`, `no`); `X` is bound at `slot`.
    Quantified {
        quantifier: Quantifier,
        list: ExprId,
        slot: usize,
        cond: ExprId,
    },
    /// `count X in L where C`, `earliest E for X in L`, spans, ...
    Aggregate {
        kind: AggregateKind,
        list: ExprId,
        slot: usize,
        filter: Option<ExprId>,
    },
    /// `days from A to B`, both ends counted.
    DaysBetween(ExprId, ExprId),
    /// `months from A to B` (`years`: twelve months a step).
    Sequence {
        months: i64,
        from: ExprId,
        to: ExprId,
    },
    Calendar(CalendarOp, ExprId),
}

/// What an aggregate computes over the elements that pass its filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AggregateKind {
    Count,
    Earliest(ExprId),
    Latest(ExprId),
    TotalDays {
        start: ExprId,
        end: ExprId,
    },
    LongestRun {
        start: ExprId,
        end: ExprId,
    },
    MostDays {
        window: Window,
        start: ExprId,
        end: ExprId,
    },
}

/// The length of a window of time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Window {
    Days(i64),
    Months(i64),
}

impl Node {
    /// The expressions this node reads directly.
    pub fn children(&self) -> impl Iterator<Item = ExprId> {
        let mut out: [Option<ExprId>; 4] = [None; 4];
        match self {
            Node::Not(a)
            | Node::Neg(a)
            | Node::IsSet(a)
            | Node::IsKnown(a)
            | Node::IsEmpty(a)
            | Node::Calendar(_, a) => out[0] = Some(*a),
            Node::IsValue { expr, .. } => out[0] = Some(*expr),
            Node::And(a, b)
            | Node::Or(a, b)
            | Node::Arith(_, a, b)
            | Node::DaysBetween(a, b)
            | Node::Sequence { from: a, to: b, .. }
            | Node::Compare { lhs: a, rhs: b, .. } => out = [Some(*a), Some(*b), None, None],
            Node::Quantified { list, cond, .. } => out = [Some(*list), Some(*cond), None, None],
            Node::Aggregate {
                kind, list, filter, ..
            } => {
                let (x, y) = match *kind {
                    AggregateKind::Count => (None, None),
                    AggregateKind::Earliest(e) | AggregateKind::Latest(e) => (Some(e), None),
                    AggregateKind::TotalDays { start, end }
                    | AggregateKind::LongestRun { start, end }
                    | AggregateKind::MostDays { start, end, .. } => (Some(start), Some(end)),
                };
                out = [Some(*list), *filter, x, y];
            }
            Node::Const(_)
            | Node::Field(_)
            | Node::Let(_)
            | Node::Threshold(_)
            | Node::Judgement(_)
            | Node::Var { .. } => {}
        }
        out.into_iter().flatten()
    }
}
