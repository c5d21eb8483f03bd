//! Lowering expressions: pest's Pratt parser, built from the one precedence
//! table the formatter reads too, over operands (names, literals, brackets
//! and the keyword forms: quantifiers, aggregates, spans, calendar terms).

use super::{is_keyword, parts, Lower};
use crate::ast::*;
use crate::error::SyntaxError;
use crate::parse::limits;
use crate::parse::{Result, Rule};
use crate::precedence::{self, Operator};
use crate::span::{Span, Spanned};
use pest::iterators::{Pair, Pairs};
use pest::pratt_parser::{Assoc, Op, PrattParser};
use std::sync::LazyLock;

/// pest's Pratt parser, a level of [`precedence::LEVELS`] at a time, loosest
/// first (pest's order too). Every infix operator is left-associative.
static PRATT: LazyLock<PrattParser<Rule>> = LazyLock::new(|| {
    precedence::LEVELS
        .iter()
        .fold(PrattParser::new(), |pratt, level| {
            let mut ops = level.iter().map(|&op| {
                let rule = rule_of(op);
                match op {
                    Operator::Infix(_) => Op::infix(rule, Assoc::Left),
                    Operator::Prefix(_) => Op::prefix(rule),
                    Operator::Is => Op::postfix(rule),
                }
            });
            match ops.next() {
                Some(first) => pratt.op(ops.fold(first, |level, op| level | op)),
                None => pratt,
            }
        })
});

/// The grammar rule that is the operator.
fn rule_of(op: Operator) -> Rule {
    match op {
        Operator::Infix(op) => match op {
            BinaryOp::Or => Rule::op_or,
            BinaryOp::And => Rule::op_and,
            BinaryOp::Eq => Rule::op_eq,
            BinaryOp::Ne => Rule::op_ne,
            BinaryOp::Lt => Rule::op_lt,
            BinaryOp::Le => Rule::op_le,
            BinaryOp::Gt => Rule::op_gt,
            BinaryOp::Ge => Rule::op_ge,
            BinaryOp::Add => Rule::op_add,
            BinaryOp::Sub => Rule::op_sub,
        },
        Operator::Prefix(UnaryOp::Not) => Rule::op_not,
        Operator::Prefix(UnaryOp::Neg) => Rule::op_neg,
        Operator::Is => Rule::is_test,
    }
}

/// The operator a grammar rule is, if it is one.
fn operator(rule: Rule) -> Option<Operator> {
    precedence::LEVELS
        .iter()
        .flat_map(|level| level.iter())
        .copied()
        .find(|&op| rule_of(op) == rule)
}

/// The longest run of prefix operators (`not`, `-`) one after another
/// among an expression's pairs: each is inside the next.
fn prefixes_in_a_row(pairs: Pairs<'_, Rule>) -> usize {
    let (mut longest, mut run) = (0, 0);
    for pair in pairs {
        if matches!(operator(pair.as_rule()), Some(Operator::Prefix(_))) {
            run += 1;
            longest = longest.max(run);
        } else {
            run = 0;
        }
    }
    longest
}

impl Lower<'_> {
    pub(super) fn lower_expr(&mut self, pair: Pair<'_, Rule>) -> Result<Spanned<Expr>> {
        let span = self.span_of(&pair);
        let inner = pair.into_inner();
        // Bound the operators before the tree is built, and the whole
        // expression below.
        limits::too_many_parts(inner.len(), || prefixes_in_a_row(inner.clone()), span)?;
        // The closures below cannot borrow `self` mutably at once, so errors
        // are gathered in a cell and moved out afterwards.
        let errors = std::cell::RefCell::new(Vec::new());
        let result = PRATT
            .map_primary(|p| self.lower_operand(p, &errors))
            .map_prefix(|op, rhs| {
                let rhs = rhs?;
                let op_span = self.span_of(&op);
                let Some(Operator::Prefix(uop)) = operator(op.as_rule()) else {
                    return Err(self.internal(&op));
                };
                Ok(Spanned::new(
                    Expr::Unary {
                        op: uop,
                        expr: Box::new(rhs.clone()),
                    },
                    op_span.join(rhs.span),
                ))
            })
            .map_postfix(|lhs, op| {
                let lhs = lhs?;
                let op_span = self.span_of(&op);
                let (negated, test) = self.lower_is_test(op)?;
                Ok(Spanned::new(
                    Expr::Is {
                        expr: Box::new(lhs.clone()),
                        negated,
                        test,
                    },
                    lhs.span.join(op_span),
                ))
            })
            .map_infix(|lhs, op, rhs| {
                let (lhs, rhs) = (lhs?, rhs?);
                let Some(Operator::Infix(bop)) = operator(op.as_rule()) else {
                    return Err(self.internal(&op));
                };
                let span = lhs.span.join(rhs.span);
                Ok(Spanned::new(
                    Expr::Binary {
                        op: bop,
                        lhs: Box::new(lhs),
                        rhs: Box::new(rhs),
                    },
                    span,
                ))
            })
            .parse(inner);
        self.errors.extend(errors.into_inner());
        let mut expr = result?;
        // Brackets hold expressions of their own: the limit is on the whole.
        limits::check_expr(&expr.node, span)?;
        // The whole expression's text, with a closing bracket it ends with:
        // the tree's own spans stop at the last operand inside it.
        if span.start <= expr.span.start && expr.span.end <= span.end {
            expr.span = span;
        }
        Ok(expr)
    }

    pub(super) fn lower_operand(
        &self,
        pair: Pair<'_, Rule>,
        errors: &std::cell::RefCell<Vec<SyntaxError>>,
    ) -> Result<Spanned<Expr>> {
        let mut nested = Lower {
            errors: Vec::new(),
            base: self.base,
            comments: self.comments,
        };
        let e = nested.lower_term(pair);
        errors.borrow_mut().extend(nested.errors);
        e
    }

    /// One operand: a bracketed expression, a name, a literal, or one of the
    /// keyword forms (quantifiers, aggregates, spans, calendar terms).
    pub(super) fn lower_term(&mut self, pair: Pair<'_, Rule>) -> Result<Spanned<Expr>> {
        let span = self.span_of(&pair);
        let boxed = |e: Spanned<Expr>| Box::new(e);
        let node = match pair.as_rule() {
            Rule::expr => {
                let brackets = bracketed(&pair);
                let mut e = self.lower_expr(pair)?;
                // A bracketed operand's text is its brackets too, so that a
                // `not` or an operator before it covers the closing one.
                if let Some((open, close)) = brackets {
                    e.span = Span::new(self.base + open, self.base + close);
                }
                return Ok(e);
            }
            Rule::path => Expr::Path(self.path_of(&pair).node),
            Rule::quantified => {
                let mut inner = pair.clone().into_inner();
                let q = self.child(&mut inner, &pair)?;
                let quantifier = match q.clone().into_inner().next().map(|p| p.as_rule()) {
                    Some(Rule::kw_every) => Quantifier::Every,
                    Some(Rule::kw_some) => Quantifier::Some,
                    Some(Rule::kw_no) => Quantifier::No,
                    _ => return Err(self.internal(&q)),
                };
                let over = self.lower_binder(self.child(&mut inner, &pair)?)?;
                let cond = inner
                    .find(|p| p.as_rule() == Rule::expr)
                    .ok_or_else(|| self.internal(&pair))?;
                Expr::Quantified {
                    quantifier,
                    over,
                    condition: boxed(self.lower_expr(cond)?),
                }
            }
            Rule::aggregate => {
                let mut inner = pair.clone().into_inner();
                let kind_pair = self.child(&mut inner, &pair)?;
                let kind = self.lower_aggregate_kind(&kind_pair)?;
                let over = self.lower_binder(self.child(&mut inner, &pair)?)?;
                let filter = match inner.next() {
                    Some(f) => {
                        let e = f
                            .clone()
                            .into_inner()
                            .find(|p| p.as_rule() == Rule::expr)
                            .ok_or_else(|| self.internal(&f))?;
                        Some(boxed(self.lower_expr(e)?))
                    }
                    None => None,
                };
                Expr::Aggregate { kind, over, filter }
            }
            Rule::days_between | Rule::sequence => {
                let mut unit = Unit::Days;
                let mut terms = Vec::new();
                for p in pair.clone().into_inner() {
                    match p.as_rule() {
                        Rule::sequence_unit => {
                            unit = match p.clone().into_inner().next().map(|q| q.as_rule()) {
                                Some(Rule::unit_years) => Unit::Years,
                                _ => Unit::Months,
                            }
                        }
                        r if is_keyword(r) => {}
                        _ => terms.push(self.lower_term(p)?),
                    }
                }
                let mut terms = terms.into_iter();
                let (Some(from), Some(to)) = (terms.next(), terms.next()) else {
                    return Err(self.internal(&pair));
                };
                if pair.as_rule() == Rule::sequence {
                    Expr::Sequence {
                        unit,
                        from: boxed(from),
                        to: boxed(to),
                    }
                } else {
                    Expr::DaysBetween {
                        from: boxed(from),
                        to: boxed(to),
                    }
                }
            }
            Rule::calendar_fn => {
                let mut inner = pair.clone().into_inner();
                let op_pair = self.child(&mut inner, &pair)?;
                let op = match op_pair.clone().into_inner().next().map(|p| p.as_rule()) {
                    Some(Rule::cal_next_working_day) => CalendarOp::NextWorkingDayAfter,
                    Some(Rule::cal_day_after) => CalendarOp::DayAfter,
                    Some(Rule::cal_day_before) => CalendarOp::DayBefore,
                    Some(Rule::cal_start_of_month) => CalendarOp::StartOfMonth,
                    Some(Rule::cal_end_of_month) => CalendarOp::EndOfMonth,
                    Some(Rule::cal_date_of) => CalendarOp::DateOf,
                    Some(Rule::cal_time_of) => CalendarOp::TimeOf,
                    _ => return Err(self.internal(&op_pair)),
                };
                let arg = self.lower_term(self.child(&mut inner, &pair)?)?;
                Expr::Calendar {
                    op,
                    arg: boxed(arg),
                }
            }
            _ => Expr::Literal(self.lower_literal(&pair)?),
        };
        Ok(Spanned::new(node, span))
    }

    /// `X in L`.
    pub(super) fn lower_binder(&mut self, pair: Pair<'_, Rule>) -> Result<Over> {
        let mut inner = parts(&pair);
        let var = self.text(&self.child(&mut inner, &pair)?);
        let list = self.lower_term(self.child(&mut inner, &pair)?)?;
        Ok(Over {
            var,
            list: Box::new(list),
        })
    }

    pub(super) fn lower_aggregate_kind(&mut self, pair: &Pair<'_, Rule>) -> Result<Aggregate> {
        let kind = self.child(&mut pair.clone().into_inner(), pair)?;
        let mut exprs = Vec::new();
        let mut window = None;
        for p in kind.clone().into_inner() {
            match p.as_rule() {
                Rule::duration => window = Some(self.lower_literal(&p)?),
                r if is_keyword(r) => {}
                _ => exprs.push(Box::new(self.lower_term(p)?)),
            }
        }
        let mut exprs = exprs.into_iter();
        let mut next = || exprs.next().ok_or_else(|| self.internal(&kind));
        Ok(match kind.as_rule() {
            Rule::count_of => Aggregate::Count,
            Rule::earliest_of => Aggregate::Earliest(next()?),
            Rule::latest_of => Aggregate::Latest(next()?),
            Rule::total_days => Aggregate::TotalDays {
                start: next()?,
                end: next()?,
            },
            Rule::longest_run => Aggregate::LongestRun {
                start: next()?,
                end: next()?,
            },
            Rule::most_days => {
                let Some(Literal::Duration { amount, unit }) = window else {
                    return Err(self.internal(&kind));
                };
                Aggregate::MostDays {
                    amount,
                    unit,
                    start: next()?,
                    end: next()?,
                }
            }
            _ => return Err(self.internal(&kind)),
        })
    }

    pub(super) fn lower_is_test(&self, op: Pair<'_, Rule>) -> Result<(bool, IsTest)> {
        let mut negated = false;
        let mut test = None;
        for p in op.clone().into_inner() {
            match p.as_rule() {
                Rule::kw_not => negated = true,
                Rule::kw_is => {}
                Rule::test_set => test = Some(IsTest::Set),
                Rule::test_none => test = Some(IsTest::None),
                Rule::test_known => test = Some(IsTest::Known),
                Rule::test_unknown => test = Some(IsTest::Unknown),
                Rule::test_empty => test = Some(IsTest::Empty),
                Rule::test_value | Rule::test_at_most | Rule::test_at_least => {
                    let name = p
                        .clone()
                        .into_inner()
                        .find(|q| q.as_rule() == Rule::name)
                        .ok_or_else(|| self.internal(&p))?;
                    let name = self.text(&name);
                    test = Some(match p.as_rule() {
                        Rule::test_value => IsTest::Value(name),
                        Rule::test_at_most => IsTest::AtMost(name),
                        _ => IsTest::AtLeast(name),
                    });
                }
                _ => return Err(self.internal(&p)),
            }
        }
        Ok((negated, test.ok_or_else(|| self.internal(&op))?))
    }
}

/// The byte offsets of the brackets around a bracketed expression, `(` to
/// just past `)`, when only spaces and line breaks separate them from it.
fn bracketed(pair: &Pair<'_, Rule>) -> Option<(usize, usize)> {
    let input = pair.get_input();
    let span = pair.as_span();
    let before = input.get(..span.start())?;
    let after = input.get(span.end()..)?;
    let open = before.trim_end_matches([' ', '\t', '\r', '\n']);
    let close = after.trim_start_matches([' ', '\t', '\r', '\n']);
    if !open.ends_with('(') || !close.starts_with(')') {
        return None;
    }
    let start = open.len() - 1;
    let end = input.len() - close.len() + 1;
    Some((start, end))
}
