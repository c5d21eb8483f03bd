//! Expressions in the canonical layout: with only the brackets the shared
//! precedence table needs (and an `and` inside an `or` bracketed all the
//! same), and split over lines at `and` and `or` chains when too wide.

use super::text::{duration, literal};
use crate::ast::*;
use crate::precedence::{self, OPERAND};
use crate::span::{Span, Spanned};

/// The precedence an operand of `op` needs to go without brackets, on its
/// left (`first`) or its right. An `and` inside an `or` keeps its brackets:
/// the reader need not know which binds tighter.
fn side_precedence(op: BinaryOp, operand: &Spanned<Expr>, first: bool) -> u8 {
    let (left, right) = op.operand_precedence();
    match (op, &operand.node) {
        (
            BinaryOp::Or,
            Expr::Binary {
                op: BinaryOp::And, ..
            },
        ) => BinaryOp::And.precedence() + 1,
        _ if first => left,
        _ => right,
    }
}

/// Whether an operand that must bind at least `at_least` is bracketed.
fn needs_brackets(e: &Expr, at_least: u8) -> bool {
    precedence::of(e) < at_least || open_ended(e)
}

/// A quantifier's condition, or an aggregate's `where`, takes in everything
/// after it: such a form is bracketed unless it is the whole expression.
fn open_ended(e: &Expr) -> bool {
    matches!(
        e,
        Expr::Quantified { .. }
            | Expr::Aggregate {
                filter: Some(_),
                ..
            }
    )
}

fn operand(e: &Spanned<Expr>, at_least: u8) -> String {
    let text = expr(&e.node);
    if needs_brackets(&e.node, at_least) {
        format!("({text})")
    } else {
        text
    }
}

/// One line of an expression laid out over several: its text, the span of
/// the source it comes from, and how deep in brackets it is.
pub(super) struct Piece {
    pub(super) text: String,
    pub(super) span: Span,
    pub(super) depth: usize,
}

/// An expression as lines no wider than `width` where it can be split:
/// `and` and `or` chains give a line to each operand; `not (...)` and
/// bracketed operands keep their brackets on their first and last lines.
pub(super) fn layout(e: &Spanned<Expr>, width: usize) -> Vec<Piece> {
    let one = expr(&e.node);
    if one.len() <= width {
        return vec![Piece {
            text: one,
            span: e.span,
            depth: 0,
        }];
    }
    match &e.node {
        Expr::Binary {
            op: op @ (BinaryOp::And | BinaryOp::Or),
            ..
        } => {
            let mut operands = Vec::new();
            chain(e, *op, &mut operands);
            let mut out = Vec::new();
            for (i, operand) in operands.into_iter().enumerate() {
                // The first operand is the left of them all, the rest are on the right.
                let at_least = side_precedence(*op, operand, i == 0);
                let mut pieces = bracketed(operand, at_least, width);
                if i > 0 {
                    if let Some(first) = pieces.first_mut() {
                        first.text = format!("{op} {}", first.text);
                    }
                }
                out.extend(pieces);
            }
            out
        }
        Expr::Unary {
            op: UnaryOp::Not,
            expr: inner,
        } => {
            let mut pieces = bracketed(inner, precedence::of(&e.node), width.saturating_sub(4));
            if let Some(first) = pieces.first_mut() {
                first.text = format!("not {}", first.text);
            }
            pieces
        }
        _ => vec![Piece {
            text: one,
            span: e.span,
            depth: 0,
        }],
    }
}

/// An operand laid out, in brackets when its binding needs them.
fn bracketed(e: &Spanned<Expr>, at_least: u8, width: usize) -> Vec<Piece> {
    if !needs_brackets(&e.node, at_least) {
        return layout(e, width);
    }
    let mut pieces = layout(e, width.saturating_sub(2));
    for (i, p) in pieces.iter_mut().enumerate() {
        if i > 0 {
            p.depth += 1;
        }
    }
    if let Some(first) = pieces.first_mut() {
        first.text = format!("({}", first.text);
    }
    if let Some(last) = pieces.last_mut() {
        last.text.push(')');
    }
    pieces
}

/// The operands of a chain of one operator: `a and b and c`.
fn chain<'a>(e: &'a Spanned<Expr>, op: BinaryOp, out: &mut Vec<&'a Spanned<Expr>>) {
    match &e.node {
        Expr::Binary { op: o, lhs, rhs } if *o == op => {
            chain(lhs, op, out);
            out.push(rhs);
        }
        _ => out.push(e),
    }
}

/// An operand of a calendar term or span: a single term, bracketed otherwise.
pub(super) fn term(e: &Spanned<Expr>) -> String {
    operand(e, OPERAND)
}

/// A rule's or check's `for each`, on one line: `for each v in visits`.
pub(super) fn for_each(fe: &ForEach) -> String {
    format!("for each {} in {}", fe.var.node, term(&fe.list))
}

fn over(o: &Over) -> String {
    format!("{} in {}", o.var.node, term(&o.list))
}

/// An expression in the canonical layout, as `fmt` prints it: `26 weeks`,
/// `inspection.start - manager.vacant_since`, with only the brackets it
/// needs.
pub fn format_expr(e: &Expr) -> String {
    expr(e)
}

pub(super) fn expr(e: &Expr) -> String {
    let own = precedence::of(e);
    match e {
        Expr::Literal(l) => literal(l),
        Expr::Path(p) => p.to_string(),
        Expr::Unary {
            op: UnaryOp::Not,
            expr,
        } => format!("not {}", operand(expr, own)),
        Expr::Unary {
            op: UnaryOp::Neg,
            expr,
        } => format!("-{}", operand(expr, own)),
        Expr::Binary { op, lhs, rhs } => format!(
            "{} {op} {}",
            operand(lhs, side_precedence(*op, lhs, true)),
            operand(rhs, side_precedence(*op, rhs, false))
        ),
        Expr::Is {
            expr,
            negated,
            test,
        } => {
            let not = if *negated { "not " } else { "" };
            let test = match test {
                IsTest::Set => "set".to_string(),
                IsTest::None => "none".to_string(),
                IsTest::Known => "known".to_string(),
                IsTest::Unknown => "unknown".to_string(),
                IsTest::Empty => "empty".to_string(),
                IsTest::Value(v) => v.node.clone(),
                IsTest::AtMost(v) => format!("at most {}", v.node),
                IsTest::AtLeast(v) => format!("at least {}", v.node),
            };
            format!("{} is {not}{test}", operand(expr, own))
        }
        Expr::Quantified {
            quantifier,
            over: o,
            condition,
        } => format!(
            "{quantifier} {} satisfies {}",
            over(o),
            expr(&condition.node)
        ),
        Expr::Aggregate {
            kind,
            over: o,
            filter,
        } => {
            let head = match kind {
                Aggregate::Count => "count".to_string(),
                Aggregate::Earliest(v) => format!("earliest {} for", expr(&v.node)),
                Aggregate::Latest(v) => format!("latest {} for", expr(&v.node)),
                Aggregate::TotalDays { start, end } => {
                    format!("total days from {} to {} for", term(start), term(end))
                }
                Aggregate::LongestRun { start, end } => {
                    format!("longest run from {} to {} for", term(start), term(end))
                }
                Aggregate::MostDays {
                    amount,
                    unit,
                    start,
                    end,
                } => format!(
                    "most days within {} from {} to {} for",
                    duration(*amount, *unit),
                    term(start),
                    term(end)
                ),
            };
            let filter = filter
                .as_ref()
                .map(|f| format!(" where {}", expr(&f.node)))
                .unwrap_or_default();
            format!("{head} {}{filter}", over(o))
        }
        Expr::DaysBetween { from, to } => format!("days from {} to {}", term(from), term(to)),
        Expr::Sequence { unit, from, to } => {
            let unit = if *unit == Unit::Years {
                "years"
            } else {
                "months"
            };
            format!("{unit} from {} to {}", term(from), term(to))
        }
        Expr::Calendar { op, arg } => format!("{op} {}", term(arg)),
    }
}
