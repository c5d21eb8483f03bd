//! How tightly each operator binds: one table, loosest first, from which the
//! parser builds its Pratt parser and by which the formatter decides where an
//! operand needs brackets.

use crate::ast::{BinaryOp, Expr, UnaryOp};

/// An operator of an expression.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Operator {
    /// Between two operands. Every one is left-associative: `a - b - c` is
    /// `(a - b) - c`.
    Infix(BinaryOp),
    /// Before its operand: `not`, `-`.
    Prefix(UnaryOp),
    /// After its operand: `is set`, `is not none`, `is at most V`, ...
    Is,
}

/// The operators by level, loosest first: each level binds tighter than the
/// ones above it, and its precedence is its place in the list from 1.
pub(crate) const LEVELS: [&[Operator]; 7] = [
    &[Operator::Infix(BinaryOp::Or)],
    &[Operator::Infix(BinaryOp::And)],
    &[Operator::Prefix(UnaryOp::Not)],
    &[
        Operator::Infix(BinaryOp::Eq),
        Operator::Infix(BinaryOp::Ne),
        Operator::Infix(BinaryOp::Lt),
        Operator::Infix(BinaryOp::Le),
        Operator::Infix(BinaryOp::Gt),
        Operator::Infix(BinaryOp::Ge),
    ],
    &[Operator::Is],
    &[
        Operator::Infix(BinaryOp::Add),
        Operator::Infix(BinaryOp::Sub),
    ],
    &[Operator::Prefix(UnaryOp::Neg)],
];

/// The precedence of an operand that is no operator (a name, a literal, a
/// bracketed expression, a keyword form that ends where it must): tighter
/// than every level.
pub(crate) const OPERAND: u8 = LEVELS.len() as u8 + 1;

/// The precedence of a form that takes in everything after it (a
/// quantifier's condition): looser than every level.
const OPEN_ENDED: u8 = 0;

impl Operator {
    /// Its level in [`LEVELS`], from 1.
    pub(crate) fn precedence(self) -> u8 {
        let level = LEVELS.iter().position(|level| level.contains(&self));
        level
            .and_then(|i| u8::try_from(i + 1).ok())
            .unwrap_or(OPERAND)
    }
}

impl BinaryOp {
    /// Its level in [`LEVELS`], from 1.
    pub(crate) fn precedence(self) -> u8 {
        Operator::Infix(self).precedence()
    }

    /// The precedence its left and right operands need to go without
    /// brackets: as every infix operator is left-associative, the right
    /// operand must bind tighter than the operator itself.
    pub(crate) fn operand_precedence(self) -> (u8, u8) {
        let own = self.precedence();
        (own, own + 1)
    }
}

/// How tightly an expression binds, as the parser reads it.
pub(crate) fn of(e: &Expr) -> u8 {
    match e {
        Expr::Binary { op, .. } => op.precedence(),
        Expr::Unary { op, .. } => Operator::Prefix(*op).precedence(),
        Expr::Is { .. } => Operator::Is.precedence(),
        Expr::Literal(_)
        | Expr::Path(_)
        | Expr::Aggregate { .. }
        | Expr::DaysBetween { .. }
        | Expr::Sequence { .. }
        | Expr::Calendar { .. } => OPERAND,
        // Runs to the end of the expression: bracketed wherever anything may follow.
        Expr::Quantified { .. } => OPEN_ENDED,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_operator_has_one_level() {
        let binary = [
            BinaryOp::Or,
            BinaryOp::And,
            BinaryOp::Eq,
            BinaryOp::Ne,
            BinaryOp::Lt,
            BinaryOp::Le,
            BinaryOp::Gt,
            BinaryOp::Ge,
            BinaryOp::Add,
            BinaryOp::Sub,
        ]
        .map(Operator::Infix);
        let others = [
            Operator::Prefix(UnaryOp::Not),
            Operator::Prefix(UnaryOp::Neg),
            Operator::Is,
        ];
        for op in binary.iter().chain(&others) {
            let levels = LEVELS.iter().filter(|l| l.contains(op)).count();
            assert_eq!(levels, 1, "{op:?}");
        }
        assert_eq!(LEVELS.iter().map(|l| l.len()).sum::<usize>(), 13);
    }

    #[test]
    fn the_levels_are_those_the_formatter_always_used() {
        assert_eq!(BinaryOp::Or.precedence(), 1);
        assert_eq!(BinaryOp::And.precedence(), 2);
        assert_eq!(Operator::Prefix(UnaryOp::Not).precedence(), 3);
        assert_eq!(BinaryOp::Ge.precedence(), 4);
        assert_eq!(Operator::Is.precedence(), 5);
        assert_eq!(BinaryOp::Sub.precedence(), 6);
        assert_eq!(Operator::Prefix(UnaryOp::Neg).precedence(), 7);
        assert_eq!(OPERAND, 8);
    }
}
