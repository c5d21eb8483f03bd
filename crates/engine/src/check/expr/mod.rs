//! Expressions: names resolved, types checked, and optional evidence
//! guarded. A value that may be none (`or none`) can only be compared after a
//! test that it is set, earlier in the same `and` chain. Lists are read
//! through binders (`for each X in L`, `every X in L satisfies ...`), each
//! given the next slot.
//!
//! This module types the operators (comparisons, arithmetic, `and` and `or`
//! chains, `is` tests, calendar terms); `names` resolves a name (a binder's
//! element, a threshold, let, judgement or evidence field) and suggests one
//! for a name it does not know; `lists` binds list elements and checks
//! aggregates; `guards` tells whether a value that may be none is known to
//! be set.

mod guards;
mod lists;
mod names;

pub(crate) use guards::NullSource;

use super::Checker;
use crate::diagnostic::CheckError;
use crate::model::*;
use crate::suggest;
use crate::types::{Elem, EnumId, Type};
use crate::value::Value;
use judgement_syntax::ast::{
    BinaryOp, CalendarOp, ConstraintOp, Expr, IsTest, Literal, UnaryOp, Unit,
};
use judgement_syntax::{Span, Spanned};

/// A checked expression.
#[derive(Debug, Clone)]
pub(crate) struct Typed {
    pub id: ExprId,
    pub ty: Type,
    /// Evidence fields read, through lets too.
    pub reads: Vec<FieldId>,
    /// Judgements read.
    pub judgements: Vec<JudgementId>,
    /// Sources that may make this value none.
    pub nullable: Vec<NullSource>,
    /// For a condition: what is known to be set when it is true.
    pub facts: Vec<NullSource>,
    /// For a condition: what is known to be set when it is false (`x is
    /// none` is false only where `x` is set), so that the right of an `or`,
    /// read only when its left is not true, may read it.
    pub negative: Vec<NullSource>,
}

/// A name bound to each element of a list in turn.
#[derive(Debug, Clone)]
pub(crate) struct Binder {
    pub name: String,
    pub elem: Elem,
}

/// The binders in scope, outermost first; a binder's slot is its index.
pub(crate) type Scope<'a> = &'a [Binder];

pub(crate) fn days_of(amount: i64, unit: Unit) -> Option<i64> {
    match unit {
        Unit::Days => Some(amount),
        Unit::Weeks => amount.checked_mul(7),
        Unit::Months | Unit::Years | Unit::WorkingDays => None,
    }
}

pub(crate) fn duration_value(amount: i64, unit: Unit) -> Option<(Value, Type)> {
    Some(match unit {
        Unit::Days | Unit::Weeks => (Value::Days(days_of(amount, unit)?), Type::Days),
        Unit::Months => (Value::Months(amount), Type::Months),
        Unit::Years => (Value::Months(amount.checked_mul(12)?), Type::Months),
        Unit::WorkingDays => (Value::WorkingDays(amount), Type::WorkingDays),
    })
}

pub(crate) fn merge<T: PartialEq + Copy>(a: &[T], b: &[T]) -> Vec<T> {
    let mut out = a.to_vec();
    for x in b {
        if !out.contains(x) {
            out.push(*x);
        }
    }
    out
}

impl Checker {
    fn push(&mut self, node: Node, span: Span) -> ExprId {
        self.model.expr_spans.push(span);
        self.model.exprs.push(node)
    }

    fn leaf(&mut self, node: Node, ty: Type, span: Span) -> Typed {
        Typed {
            id: self.push(node, span),
            ty,
            reads: Vec::new(),
            judgements: Vec::new(),
            nullable: Vec::new(),
            facts: Vec::new(),
            negative: Vec::new(),
        }
    }

    /// A node built over checked parts: what they read, and none where any
    /// of them may be none.
    fn over_parts(&mut self, node: Node, ty: Type, span: Span, parts: &[&Typed]) -> Typed {
        let mut t = self.leaf(node, ty, span);
        for p in parts {
            t.reads = merge(&t.reads, &p.reads);
            t.judgements = merge(&t.judgements, &p.judgements);
            t.nullable = merge(&t.nullable, &p.nullable);
        }
        t
    }

    /// A value expression (a let, a deadline): may be none.
    pub(crate) fn check_value_expr(
        &mut self,
        e: &Spanned<Expr>,
        scope: Scope<'_>,
    ) -> Option<Typed> {
        self.expr(e, scope, &[], None)
    }

    /// A value expected to be of type `ty` (a bare scale value is read as one).
    pub(crate) fn check_expr_of(
        &mut self,
        e: &Spanned<Expr>,
        scope: Scope<'_>,
        facts: &[NullSource],
        ty: Type,
    ) -> Option<Typed> {
        self.expr(e, scope, facts, Some(ty))
    }

    /// A condition: boolean, and guarded throughout.
    pub(crate) fn check_condition(&mut self, e: &Spanned<Expr>, scope: Scope<'_>) -> Option<Typed> {
        let t = self.expr(e, scope, &[], None)?;
        self.require_bool(&t, e.span)?;
        self.require_guarded(&t, &[], e.span)?;
        Some(t)
    }

    fn require_bool(&mut self, t: &Typed, span: Span) -> Option<()> {
        self.require_type(t, Type::Bool, span, "a condition must be true or false")
    }

    fn require_type(&mut self, t: &Typed, want: Type, span: Span, what: &str) -> Option<()> {
        if t.ty == want {
            return Some(());
        }
        let got = self.shown(t.ty);
        let want = self.shown(want);
        self.errors.push(CheckError::error(
            format!("{what}, but this is `{got}`"),
            span,
            format!("not `{want}`"),
        ));
        None
    }

    fn expr(
        &mut self,
        e: &Spanned<Expr>,
        scope: Scope<'_>,
        facts: &[NullSource],
        expected: Option<Type>,
    ) -> Option<Typed> {
        match &e.node {
            Expr::Literal(lit) => self.literal(lit, e.span),
            Expr::Path(path) => self.path(path, e.span, scope, expected),
            Expr::Unary { op, expr } => {
                let inner = self.expr(expr, scope, facts, None)?;
                match op {
                    UnaryOp::Not => {
                        self.require_bool(&inner, expr.span)?;
                        self.require_guarded(&inner, facts, expr.span)?;
                        let id = self.push(Node::Not(inner.id), e.span);
                        // What `not x` being true proves is what `x` being
                        // false does, and the other way round.
                        Some(Typed {
                            id,
                            facts: inner.negative,
                            negative: inner.facts,
                            ..inner
                        })
                    }
                    UnaryOp::Neg => {
                        if !matches!(
                            inner.ty,
                            Type::Number | Type::Days | Type::Months | Type::WorkingDays
                        ) {
                            let got = self.shown(inner.ty);
                            self.errors.push(CheckError::error(
                                format!("cannot negate a `{got}`"),
                                e.span,
                                "not a number",
                            ));
                            return None;
                        }
                        let id = self.push(Node::Neg(inner.id), e.span);
                        Some(Typed { id, ..inner })
                    }
                }
            }
            Expr::Binary { op, lhs, rhs } => self.binary(*op, lhs, rhs, e.span, scope, facts),
            Expr::Is {
                expr,
                negated,
                test,
            } => self.is_test(expr, *negated, test, e.span, scope, facts),
            Expr::Quantified {
                quantifier,
                over,
                condition,
            } => {
                let (list, elem) = self.list_of(&over.list, scope, facts)?;
                let inner = self.bind(scope, &over.var, elem)?;
                let slot = scope.len();
                let c = self.expr(condition, &inner, facts, None)?;
                self.require_bool(&c, condition.span)?;
                self.require_guarded(&c, facts, condition.span)?;
                let node = Node::Quantified {
                    quantifier: *quantifier,
                    list: list.id,
                    slot,
                    cond: c.id,
                };
                let mut t = self.over_parts(node, Type::Bool, e.span, &[&list, &c]);
                t.nullable.clear();
                Some(t)
            }
            Expr::Aggregate { kind, over, filter } => {
                self.aggregate(kind, over, filter.as_deref(), e.span, scope, facts)
            }
            Expr::DaysBetween { from, to } => {
                let a = self.expr(from, scope, facts, None)?;
                let b = self.expr(to, scope, facts, None)?;
                self.require_type(&a, Type::Date, from.span, "a span starts on a date")?;
                self.require_type(&b, Type::Date, to.span, "a span ends on a date")?;
                Some(self.over_parts(Node::DaysBetween(a.id, b.id), Type::Days, e.span, &[&a, &b]))
            }
            Expr::Sequence { unit, from, to } => {
                let a = self.expr(from, scope, facts, None)?;
                let b = self.expr(to, scope, facts, None)?;
                self.require_type(&a, Type::Date, from.span, "a sequence starts on a date")?;
                self.require_type(&b, Type::Date, to.span, "a sequence ends on a date")?;
                self.require_guarded(&a, facts, from.span)?;
                self.require_guarded(&b, facts, to.span)?;
                let months = if *unit == Unit::Years { 12 } else { 1 };
                let node = Node::Sequence {
                    months,
                    from: a.id,
                    to: b.id,
                };
                Some(self.over_parts(node, Type::List(Elem::Date), e.span, &[&a, &b]))
            }
            Expr::Calendar { op, arg } => {
                let a = self.expr(arg, scope, facts, None)?;
                let (want, gives) = match op {
                    CalendarOp::DateOf => (Type::DateTime, Type::Date),
                    CalendarOp::TimeOf => (Type::DateTime, Type::Time),
                    _ => (Type::Date, Type::Date),
                };
                let what = match op {
                    CalendarOp::DateOf | CalendarOp::TimeOf => format!("`{op}` takes a date-time"),
                    _ => format!("`{op}` takes a date"),
                };
                self.require_type(&a, want, arg.span, &what)?;
                if *op == CalendarOp::NextWorkingDayAfter && !self.has_calendar(e.span) {
                    return None;
                }
                Some(self.over_parts(Node::Calendar(*op, a.id), gives, e.span, &[&a]))
            }
        }
    }

    /// Working days need a calendar named in the header: said at the
    /// duration or calendar term that counts them, in a rule, let or
    /// threshold.
    pub(in crate::check) fn has_calendar(&mut self, span: Span) -> bool {
        // Definitions checked on their own use the calendar of each ruleset
        // that uses them.
        if self.model.meta.calendar.is_some() || self.definitions {
            return true;
        }
        self.errors.push(
            CheckError::error("working days need a calendar", span, "no calendar declared")
                .with_help("name one in the header: `calendar england_and_wales`"),
        );
        false
    }

    fn literal(&mut self, lit: &Literal, span: Span) -> Option<Typed> {
        let (value, ty) = match lit {
            Literal::Bool(b) => (Value::Bool(*b), Type::Bool),
            Literal::Number(n) => (Value::Number(*n), Type::Number),
            Literal::Text(t) => (Value::Text(t.as_str().into()), Type::Text),
            Literal::Date(d) => (Value::Date(*d), Type::Date),
            Literal::DateTime(dt) => (Value::DateTime(*dt), Type::DateTime),
            Literal::Time(t) => (Value::Time(*t), Type::Time),
            Literal::Duration { amount, unit } => {
                if *unit == Unit::WorkingDays && !self.has_calendar(span) {
                    return None;
                }
                duration_value(*amount, *unit)?
            }
            Literal::Name(_) => return None,
        };
        Some(self.leaf(Node::Const(value), ty, span))
    }

    fn binary(
        &mut self,
        op: BinaryOp,
        lhs: &Spanned<Expr>,
        rhs: &Spanned<Expr>,
        span: Span,
        scope: Scope<'_>,
        facts: &[NullSource],
    ) -> Option<Typed> {
        match op {
            BinaryOp::And | BinaryOp::Or => self.chain(op, lhs, rhs, span, scope, facts),
            BinaryOp::Eq
            | BinaryOp::Ne
            | BinaryOp::Lt
            | BinaryOp::Le
            | BinaryOp::Gt
            | BinaryOp::Ge => {
                let (l, r) = if self.is_bare_unresolved(lhs, scope) {
                    let r = self.expr(rhs, scope, facts, None)?;
                    let l = self.expr(lhs, scope, facts, Some(r.ty))?;
                    (l, r)
                } else {
                    let l = self.expr(lhs, scope, facts, None)?;
                    let r = self.expr(rhs, scope, facts, Some(l.ty))?;
                    (l, r)
                };
                self.require_guarded(&l, facts, lhs.span)?;
                self.require_guarded(&r, facts, rhs.span)?;
                // A date written otherwise, compared with a date.
                let hint = match (l.ty, r.ty) {
                    (Type::Date, _) => date_written_otherwise(rhs),
                    (_, Type::Date) => date_written_otherwise(lhs),
                    (Type::Enum { id, .. }, Type::Text) => self.value_in_quotes(id, rhs),
                    (Type::Text, Type::Enum { id, .. }) => self.value_in_quotes(id, lhs),
                    _ => None,
                };
                self.comparable(op, l.ty, r.ty, span, hint)?;
                let cmp = match op {
                    BinaryOp::Eq => Cmp::Eq,
                    BinaryOp::Ne => Cmp::Ne,
                    BinaryOp::Lt => Cmp::Lt,
                    BinaryOp::Le => Cmp::Le,
                    BinaryOp::Gt => Cmp::Gt,
                    _ => Cmp::Ge,
                };
                let scale = matches!(l.ty, Type::Enum { ordered: true, .. });
                let node = Node::Compare {
                    op: cmp,
                    lhs: l.id,
                    rhs: r.id,
                    scale,
                };
                let mut t = self.over_parts(node, Type::Bool, span, &[&l, &r]);
                t.nullable.clear();
                Some(t)
            }
            BinaryOp::Add | BinaryOp::Sub => {
                let l = self.expr(lhs, scope, facts, None)?;
                let r = self.expr(rhs, scope, facts, None)?;
                let (arith, ty, swap) = self.arith(op, l.ty, r.ty, span)?;
                let (a, b) = if swap { (r.id, l.id) } else { (l.id, r.id) };
                Some(self.over_parts(Node::Arith(arith, a, b), ty, span, &[&l, &r]))
            }
        }
    }

    /// `a and b and c` (or a chain of `or`): the parser builds it down its
    /// left side, one node an operator. It is checked in a loop, left to
    /// right, so that a long chain does not recurse as deep as it is long.
    /// In `a and b`, b is read only when a holds: what a proves set is set
    /// in b, and so on along the chain.
    fn chain(
        &mut self,
        op: BinaryOp,
        lhs: &Spanned<Expr>,
        rhs: &Spanned<Expr>,
        span: Span,
        scope: Scope<'_>,
        facts: &[NullSource],
    ) -> Option<Typed> {
        // The right operands, each with the span of the node that joins it,
        // from the top of the tree down; then the leftmost operand.
        let mut rights = vec![(rhs, span)];
        let mut first = lhs;
        while let Expr::Binary {
            op: inner,
            lhs: l,
            rhs: r,
        } = &first.node
        {
            if *inner != op {
                break;
            }
            rights.push((r.as_ref(), first.span));
            first = l;
        }
        let mut acc = self.expr(first, scope, facts, None).and_then(|l| {
            self.require_bool(&l, first.span)?;
            self.require_guarded(&l, facts, first.span)?;
            Some(l)
        });
        // `lm is inadequate or requires_improvement`: the subject whose
        // value the operands before this one test, for a bare value after
        // `or` to be told to name it again.
        let mut tested = names::value_tested(first);
        for (operand, joined) in rights.into_iter().rev() {
            if op == BinaryOp::Or {
                if let Some(subject) = tested {
                    if self.value_without_subject(subject, operand, scope) {
                        acc = None;
                        continue;
                    }
                }
                tested = names::value_tested(operand);
            }
            // The right of an `and` is read only where its left is true
            // (an unknown left leaves nothing none: it is not `none`), and
            // of an `or` only where its left is not true.
            let operand_facts = match (&acc, op) {
                (Some(l), BinaryOp::And) => merge(facts, &l.facts),
                (Some(l), _) => merge(facts, &l.negative),
                (None, _) => facts.to_vec(),
            };
            let r = self
                .expr(operand, scope, &operand_facts, None)
                .and_then(|r| {
                    self.require_bool(&r, operand.span)?;
                    self.require_guarded(&r, &operand_facts, operand.span)?;
                    Some(r)
                });
            let (Some(l), Some(r)) = (acc, r) else {
                acc = None;
                continue;
            };
            let node = if op == BinaryOp::And {
                Node::And(l.id, r.id)
            } else {
                Node::Or(l.id, r.id)
            };
            let mut t = self.over_parts(node, Type::Bool, joined, &[&l, &r]);
            t.nullable.clear();
            if op == BinaryOp::And {
                t.facts = merge(&l.facts, &r.facts);
            } else {
                t.negative = merge(&l.negative, &r.negative);
            }
            acc = Some(t);
        }
        acc
    }

    /// A value of a scale or choice written in quotes (`lm = "good"` in a
    /// comparison, `then overall at most "good"` in a bound, as evidence
    /// JSON writes it), where the text is near one of its values: the help
    /// that names that value, written as a rule writes it.
    pub(in crate::check) fn value_in_quotes(
        &self,
        id: EnumId,
        e: &Spanned<Expr>,
    ) -> Option<String> {
        let Expr::Literal(Literal::Text(text)) = &e.node else {
            return None;
        };
        let def = self.model.enums.get(id)?;
        let meant =
            judgement_syntax::suggest::nearest(text, def.values.iter().map(String::as_str))?;
        let kind = if def.ordered { "scale" } else { "choice" };
        Some(format!(
            "did you mean `{meant}`? A value of a {kind} is written without quotes"
        ))
    }

    /// Whether `l` and `r` compare with `op`; an error if not, whose help
    /// is `hint` where there is one (a date written otherwise).
    fn comparable(
        &mut self,
        op: BinaryOp,
        l: Type,
        r: Type,
        span: Span,
        hint: Option<String>,
    ) -> Option<()> {
        let ordered_op = !matches!(op, BinaryOp::Eq | BinaryOp::Ne);
        let problem = if l != r {
            let (ls, rs) = (self.shown(l), self.shown(r));
            let help = match (l, r) {
                _ if hint.is_some() => "",
                (Type::Days, Type::WorkingDays) | (Type::WorkingDays, Type::Days) => {
                    "calendar days and working days do not compare: add working days to a date and compare dates"
                }
                (Type::Days, Type::Months) | (Type::Months, Type::Days) => {
                    "days and months do not compare: add the months to a date and compare dates"
                }
                (Type::Date, Type::DateTime) | (Type::DateTime, Type::Date) => {
                    "take the date of the date-time first: `date of X`"
                }
                (Type::Time, Type::DateTime) | (Type::DateTime, Type::Time) => {
                    "take the time of the date-time first: `time of X`"
                }
                // `vacancy >= 182`: a length written without its unit.
                (Type::Days, Type::Number) | (Type::Number, Type::Days) => {
                    "a number of days is written with its unit: `182 days`, `26 weeks`"
                }
                (Type::WorkingDays, Type::Number) | (Type::Number, Type::WorkingDays) => {
                    "a number of working days is written with its unit: `10 working days`"
                }
                (Type::Months, Type::Number) | (Type::Number, Type::Months) => {
                    "a number of months is written with its unit: `6 months`, `1 year`"
                }
                _ => "both sides must have the same type",
            };
            Some((format!("cannot compare `{ls}` with `{rs}`"), help))
        } else if matches!(l, Type::Record(_) | Type::List(_)) {
            let ls = self.shown(l);
            Some((
                format!("`{ls}` values cannot be compared"),
                "compare their fields, or count their elements",
            ))
        } else if ordered_op
            && matches!(
                l,
                Type::Bool | Type::Text | Type::Enum { ordered: false, .. }
            )
        {
            let ls = self.shown(l);
            Some((format!("`{ls}` values have no order"), "use `=` or `!=`"))
        } else {
            None
        };
        match problem {
            Some((message, help)) => {
                let help = hint.unwrap_or_else(|| help.to_string());
                self.errors
                    .push(CheckError::error(message, span, "type mismatch").with_help(help));
                None
            }
            None => Some(()),
        }
    }

    fn arith(&mut self, op: BinaryOp, l: Type, r: Type, span: Span) -> Option<(Arith, Type, bool)> {
        use Type::*;
        let add = op == BinaryOp::Add;
        let on_date =
            |plus: Arith, minus: Arith| Some((if add { plus } else { minus }, Date, false));
        let found = match (l, r) {
            (Date, Days) => on_date(Arith::DateAddDays, Arith::DateSubDays),
            (Date, Months) => on_date(Arith::DateAddMonths, Arith::DateSubMonths),
            (Date, WorkingDays) => on_date(Arith::DateAddWorking, Arith::DateSubWorking),
            (Days, Date) if add => Some((Arith::DateAddDays, Date, true)),
            (Months, Date) if add => Some((Arith::DateAddMonths, Date, true)),
            (WorkingDays, Date) if add => Some((Arith::DateAddWorking, Date, true)),
            (Date, Date) if !add => Some((Arith::DateDiff, Days, false)),
            (Number, Number) | (Days, Days) | (Months, Months) | (WorkingDays, WorkingDays) => {
                Some((if add { Arith::AddSame } else { Arith::SubSame }, l, false))
            }
            _ => None,
        };
        if found.is_none() {
            let (ls, rs) = (self.shown(l), self.shown(r));
            self.errors.push(
                CheckError::error(format!("cannot {} `{ls}` and `{rs}`", if add { "add" } else { "subtract" }), span, "type mismatch")
                    .with_help("dates take days, weeks, months, years or working days; a date minus a date is a number of days"),
            );
        }
        found
    }

    fn is_test(
        &mut self,
        operand: &Spanned<Expr>,
        negated: bool,
        test: &IsTest,
        span: Span,
        scope: Scope<'_>,
        facts: &[NullSource],
    ) -> Option<Typed> {
        let t = self.expr(operand, scope, facts, None)?;
        let node = match test {
            IsTest::Set | IsTest::None => {
                let set_test = Node::IsSet(t.id);
                let id = self.push(set_test, span);
                let positive = matches!(test, IsTest::Set) != negated;
                // `x is set` proves `x` set when true; its negation, `x is
                // none`, when false ([`Checker::negate`] swaps them).
                let base = Typed {
                    id,
                    ty: Type::Bool,
                    reads: t.reads.clone(),
                    judgements: t.judgements.clone(),
                    nullable: Vec::new(),
                    facts: t.nullable.clone(),
                    negative: Vec::new(),
                };
                return Some(if positive {
                    base
                } else {
                    self.negate(base, span)
                });
            }
            IsTest::Known | IsTest::Unknown => {
                let id = self.push(Node::IsKnown(t.id), span);
                let base = Typed {
                    id,
                    ty: Type::Bool,
                    nullable: Vec::new(),
                    facts: Vec::new(),
                    negative: Vec::new(),
                    ..t
                };
                let positive = matches!(test, IsTest::Known) != negated;
                return Some(if positive {
                    base
                } else {
                    self.negate(base, span)
                });
            }
            IsTest::Empty => {
                if !matches!(t.ty, Type::List(_) | Type::Text) {
                    let got = self.shown(t.ty);
                    self.errors.push(CheckError::error(
                        format!("`is empty` needs a list or text, but this is `{got}`"),
                        operand.span,
                        "not a list or text",
                    ));
                    return None;
                }
                self.require_guarded(&t, facts, operand.span)?;
                Node::IsEmpty(t.id)
            }
            IsTest::Value(v) | IsTest::AtMost(v) | IsTest::AtLeast(v) => {
                self.require_guarded(&t, facts, operand.span)?;
                let Type::Enum {
                    id: enum_id,
                    ordered,
                } = t.ty
                else {
                    let got = self.shown(t.ty);
                    self.errors.push(
                        CheckError::error(
                            format!(
                                "`is {}` needs a scale or choice value, but this is `{got}`",
                                v.node
                            ),
                            operand.span,
                            "not a scale or choice",
                        )
                        .with_help("compare other values with `=`, `<`, `>=`, ..."),
                    );
                    return None;
                };
                let op = match test {
                    IsTest::AtMost(_) => ConstraintOp::AtMost,
                    IsTest::AtLeast(_) => ConstraintOp::AtLeast,
                    _ => ConstraintOp::Equal,
                };
                if op != ConstraintOp::Equal && !ordered {
                    let name = self.shown(t.ty);
                    self.errors.push(CheckError::error(
                        format!("`{name}` is a choice and has no order"),
                        span,
                        "no order",
                    ));
                    return None;
                }
                let Some(value) = self.enum_value(enum_id, &v.node) else {
                    let name = self.shown(t.ty);
                    let help = suggest::help_with(
                        self.near_value(enum_id, &v.node),
                        self.values_help(enum_id),
                    );
                    self.errors.push(
                        CheckError::error(
                            format!("`{}` is not a value of `{name}`", v.node),
                            v.span,
                            "not a value of this type",
                        )
                        .with_help(help),
                    );
                    return None;
                };
                Node::IsValue {
                    expr: t.id,
                    op,
                    value,
                }
            }
        };
        let id = self.push(node, span);
        let base = Typed {
            id,
            ty: Type::Bool,
            nullable: Vec::new(),
            facts: Vec::new(),
            negative: Vec::new(),
            ..t
        };
        Some(if negated {
            self.negate(base, span)
        } else {
            base
        })
    }

    fn negate(&mut self, t: Typed, span: Span) -> Typed {
        let id = self.push(Node::Not(t.id), span);
        Typed {
            id,
            facts: t.negative.clone(),
            negative: t.facts.clone(),
            ..t
        }
    }
}

/// How to write a date that an operand writes otherwise, where what it
/// means is plain: in quotes (`"2020-01-05"`, which is text), or with a
/// month or day of one digit (`2020-1-5`, which reads as 2020 minus 1
/// minus 5).
fn date_written_otherwise(e: &Spanned<Expr>) -> Option<String> {
    use chrono::NaiveDate;
    let number = |e: &Spanned<Expr>| match e.node {
        Expr::Literal(Literal::Number(n)) => Some(n),
        _ => None,
    };
    match &e.node {
        Expr::Literal(Literal::Text(text)) => {
            let date = NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok()?;
            Some(format!(
                "a date is written without quotes: `{}`",
                date.format("%Y-%m-%d")
            ))
        }
        Expr::Binary {
            op: BinaryOp::Sub,
            lhs,
            rhs,
        } => {
            let Expr::Binary {
                op: BinaryOp::Sub,
                lhs: year,
                rhs: month,
            } = &lhs.node
            else {
                return None;
            };
            let (y, m, d) = (number(year)?, number(month)?, number(rhs)?);
            if !(1000..=9999).contains(&y) {
                return None;
            }
            let date = NaiveDate::from_ymd_opt(
                i32::try_from(y).ok()?,
                u32::try_from(m).ok()?,
                u32::try_from(d).ok()?,
            )?;
            Some(format!(
                "this reads as {y} minus {m} minus {d}: a date is written YYYY-MM-DD, `{}`",
                date.format("%Y-%m-%d")
            ))
        }
        _ => None,
    }
}
