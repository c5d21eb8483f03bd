//! The value of an expression for the record being evaluated: Kleene logic
//! over conditions, dates and working days, lists read through binder slots
//! (sequences of calendar months are `months.rs`; the flat condition
//! programs read without this walk are `program.rs`).

use super::months::add_months;
use super::spans::{self, Span as Period};
use super::{at, fault, Fallible, Run};
use crate::error::EvalError;
use crate::model::*;
use crate::value::{Element, Tri, Value};
use chrono::{Datelike, Days, NaiveDate};
use judgement_syntax::ast::{CalendarOp, ConstraintOp, Quantifier};

/// `is set`: none is not set, unknown may be, anything else is.
pub(super) fn is_set(v: &Value) -> Tri {
    match v {
        Value::None => Tri::False,
        Value::Unknown => Tri::Unknown,
        _ => Tri::True,
    }
}

pub(super) fn tri_value(t: Tri) -> Value {
    match t {
        Tri::True => Value::Bool(true),
        Tri::False => Value::Bool(false),
        Tri::Unknown => Value::Unknown,
    }
}

impl<'a> Run<'a, '_> {
    pub(super) fn node(&self, id: ExprId) -> Fallible<&'a Node> {
        at(&self.model.exprs, id, "expression out of range")
    }

    pub(super) fn span_of(&self, e: ExprId) -> judgement_syntax::Span {
        self.model.expr_spans.get(e).copied().unwrap_or_default()
    }

    /// A value that a node holds in place (a field, let, constant,
    /// threshold, or a field of a bound element), borrowed rather than
    /// cloned; `None` for a node that computes its value.
    #[inline]
    pub(super) fn place(&self, e: ExprId) -> Option<&Value> {
        self.place_of(self.model.exprs.get(e)?)
    }

    /// An operand's value: borrowed from its place and cloned where it is
    /// one (most operands of arithmetic are a field, let or threshold),
    /// without a call of [`Run::value`] for it; else computed.
    #[inline]
    pub(super) fn operand(&mut self, e: ExprId) -> Fallible<Value> {
        match self.place(e) {
            Some(v) => Ok(v.clone()),
            None => self.value(e),
        }
    }

    /// `f` of the values of `a` and `b`: borrowed where both are in place
    /// (a field, let, threshold or constant), neither cloned nor dropped;
    /// else each read or computed, `a` first, so that the same error comes
    /// first.
    #[inline]
    pub(super) fn pair<T>(
        &mut self,
        a: ExprId,
        b: ExprId,
        f: impl FnOnce(&Self, &Value, &Value) -> T,
    ) -> Fallible<T> {
        if let (Some(l), Some(r)) = (self.place(a), self.place(b)) {
            return Ok(f(self, l, r));
        }
        let (l, r) = (self.operand(a)?, self.operand(b)?);
        Ok(f(self, &l, &r))
    }

    /// [`Run::place`] of a node already looked up. Inlined: it is read at
    /// almost every leaf of a condition.
    #[inline]
    fn place_of<'s>(&'s self, node: &'s Node) -> Option<&'s Value> {
        match node {
            Node::Const(v) => Some(v),
            Node::Field(f) => self.slot(*f),
            Node::Let(l) => self.let_in_place(*l),
            Node::Threshold(t) => self.model.thresholds.get(*t).map(|d| &d.value),
            Node::Var { slot, field } => self.element_field(*slot, *field),
            _ => None,
        }
    }

    /// A field of the element bound at `slot` (`None`: the element itself,
    /// a plain value).
    #[inline(always)]
    pub(super) fn element_field(&self, slot: usize, field: Option<usize>) -> Option<&Value> {
        self.bound(slot)?.fields().get(field.unwrap_or(0))
    }

    /// A condition's truth. The connectives, comparisons of values in
    /// place and `is set` are decided here without building a value; the
    /// rest go through [`Run::value`].
    pub(super) fn truth(&mut self, e: ExprId) -> Fallible<Tri> {
        match self.node(e)? {
            Node::And(a, b) => return self.chain(e, *a, *b, true),
            Node::Or(a, b) => return self.chain(e, *a, *b, false),
            Node::Not(a) => return Ok(!self.truth(*a)?),
            Node::Compare {
                op,
                lhs,
                rhs,
                scale,
            } => return self.compared(*op, *lhs, *rhs, *scale),
            Node::IsSet(a) => {
                if let Some(v) = self.place(*a) {
                    return Ok(is_set(v));
                }
            }
            Node::IsValue { expr, op, value } => return self.is_value(*expr, *op, *value),
            node => {
                // A field, let or element's field that holds the truth.
                if let Some(v) = self.place_of(node) {
                    return self.truth_of(v, e);
                }
            }
        }
        let v = self.value(e)?;
        self.truth_of(&v, e)
    }

    /// A condition's value as a truth: a condition that is none is an
    /// error at the condition `e`.
    #[inline]
    fn truth_of(&self, v: &Value, e: ExprId) -> Fallible<Tri> {
        match v {
            Value::Bool(b) => Ok(Tri::from_bool(*b)),
            Value::Unknown => Ok(Tri::Unknown),
            Value::None => Err(fault(EvalError::NoneReached {
                span: self.span_of(e),
            })),
            _ => Err(fault(EvalError::Internal(
                "a condition gave a value that is not true or false",
            ))),
        }
    }

    /// `a and b and c` (`and` when `all`, else `or`): a chain the parser
    /// built down its left side, its operands gathered when the ruleset was
    /// compiled (`Model::chains`) and evaluated in a loop, left to right, so
    /// that a long chain does not recurse as deep as it is long. Only a
    /// chain's head is ever evaluated; a node inside it (which has no entry)
    /// would be evaluated as its two operands, which is the same.
    // Inlined into truth, its one caller on the path of every rule.
    #[inline(always)]
    fn chain(&mut self, e: ExprId, a: ExprId, b: ExprId, all: bool) -> Fallible<Tri> {
        match self.model.chains.get(e).and_then(Option::as_deref) {
            Some(operands) => self.first_settling(operands.iter().copied(), all),
            None => self.first_settling([a, b], all),
        }
    }

    /// The operands of an `and` (`all`) or `or`, in order: the first that
    /// settles it (false for `and`, true for `or`) ends it; an unknown one
    /// leaves it unknown unless a later one settles it.
    #[inline]
    fn first_settling(
        &mut self,
        operands: impl IntoIterator<Item = ExprId>,
        all: bool,
    ) -> Fallible<Tri> {
        let settles = if all { Tri::False } else { Tri::True };
        let mut unknown = false;
        for operand in operands {
            match self.truth(operand)? {
                t if t == settles => return Ok(settles),
                Tri::Unknown => unknown = true,
                _ => {}
            }
        }
        Ok(if unknown {
            Tri::Unknown
        } else {
            Tri::from_bool(all)
        })
    }

    /// A let's value where it is kept; `None` for one that failed, whose
    /// error [`Run::value`] raises where it is read ([`Run::let_error`]),
    /// and for one not yet worked out (`Model::let_plan`), which
    /// [`Run::value`] works out: a guard leaves either to be read so.
    #[inline(always)]
    pub(super) fn let_in_place(&self, l: LetId) -> Option<&Value> {
        if self.failed_lets.is_empty() {
            self.lets.get(l)?.as_ref()
        } else {
            self.let_unless_failed(l)
        }
    }

    /// [`Run::let_in_place`] once a let has failed: out of line, so that
    /// the reads of every other record stay small.
    #[cold]
    #[inline(never)]
    fn let_unless_failed(&self, l: LetId) -> Option<&Value> {
        if self.failed_lets.iter().any(|(f, _)| *f == l) {
            return None;
        }
        self.lets.get(l)?.as_ref()
    }

    /// A let's value read where [`Run::let_in_place`] has none: worked
    /// out now if it is not yet, else the error it failed with.
    #[cold]
    #[inline(never)]
    fn let_value(&mut self, l: LetId) -> Fallible<Value> {
        self.work_out_late(l);
        match self.let_in_place(l) {
            Some(v) => Ok(v.clone()),
            None => Err(self.let_error(l)),
        }
    }

    /// The error of a let that failed, raised where it is read.
    #[cold]
    #[inline(never)]
    fn let_error(&self, l: LetId) -> Box<EvalError> {
        self.failed_lets.iter().find(|(f, _)| *f == l).map_or_else(
            || fault(EvalError::Internal("let out of range")),
            |(_, e)| e.clone(),
        )
    }

    /// The element bound at `slot`, if any.
    fn bound(&self, slot: usize) -> Option<&Element> {
        let (items, index) = self.vars.get(slot)?.as_ref()?;
        items.get(*index)
    }

    /// A comparison: operands in place are compared where they are, the
    /// rest computed first. Values that cannot be compared give unknown.
    fn compared(&mut self, op: Cmp, lhs: ExprId, rhs: ExprId, scale: bool) -> Fallible<Tri> {
        let outcome = self.pair(lhs, rhs, |_, l, r| compare(op, l, r, scale))?;
        Ok(outcome.unwrap_or(Tri::Unknown))
    }

    pub(crate) fn value(&mut self, e: ExprId) -> Fallible<Value> {
        let node = self.node(e)?;
        Ok(match node {
            Node::Let(l) => match self.let_in_place(*l) {
                Some(v) => v.clone(),
                None => return self.let_value(*l),
            },
            Node::Const(_) | Node::Field(_) | Node::Threshold(_) | Node::Var { .. } => {
                self.place_of(node).cloned().unwrap_or(Value::None)
            }
            Node::Judgement(j) => self.judgement_read(*j),
            Node::Not(a) => tri_value(!self.truth(*a)?),
            Node::Neg(a) => {
                let span = self.span_of(e);
                let overflow = || EvalError::out_of_range(span);
                match self.operand(*a)? {
                    Value::Number(n) => Value::Number(n.checked_neg().ok_or_else(overflow)?),
                    Value::Days(n) => Value::Days(n.checked_neg().ok_or_else(overflow)?),
                    Value::Months(n) => Value::Months(n.checked_neg().ok_or_else(overflow)?),
                    Value::WorkingDays(n) => {
                        Value::WorkingDays(n.checked_neg().ok_or_else(overflow)?)
                    }
                    other => other,
                }
            }
            Node::And(a, b) => tri_value(self.chain(e, *a, *b, true)?),
            Node::Or(a, b) => tri_value(self.chain(e, *a, *b, false)?),
            Node::IsSet(a) => tri_value(is_set(&self.value(*a)?)),
            Node::IsKnown(a) => Value::Bool(!matches!(self.operand(*a)?, Value::Unknown)),
            Node::IsEmpty(a) => match self.value(*a)? {
                Value::List(items) => Value::Bool(items.is_empty()),
                // Text of nothing but spaces (or characters that show
                // nothing) says nothing: a reason of "  " is no reason.
                Value::Text(text) => Value::Bool(crate::value::blank(&text)),
                Value::Unknown => Value::Unknown,
                _ => Value::Bool(true),
            },
            Node::IsValue { expr, op, value } => tri_value(self.is_value(*expr, *op, *value)?),
            Node::Compare {
                op,
                lhs,
                rhs,
                scale,
            } => tri_value(self.compared(*op, *lhs, *rhs, *scale)?),
            // Most operands are a field, let or threshold.
            Node::Arith(op, a, b) => self.pair(*a, *b, |run, l, r| run.arith(*op, l, r, e))??,
            Node::Quantified {
                quantifier,
                list,
                slot,
                cond,
            } => {
                self.once_for_outer(e, |run| run.quantified(e, *quantifier, *list, *slot, *cond))?
            }
            Node::Aggregate {
                kind,
                list,
                slot,
                filter,
            } => self.once_for_outer(e, |run| run.aggregate(*kind, *list, *slot, *filter, e))?,
            Node::DaysBetween(a, b) => match (self.operand(*a)?, self.operand(*b)?) {
                (Value::Date(from), Value::Date(to)) if to < from => {
                    return Err(fault(EvalError::SpanBackwards {
                        start: from.to_string(),
                        end: to.to_string(),
                        span: self.span_of(e),
                    }))
                }
                (Value::Date(from), Value::Date(to)) => Value::Days((to - from).num_days() + 1),
                (Value::Unknown, _) | (_, Value::Unknown) => Value::Unknown,
                _ => Value::None,
            },
            Node::Sequence { months, from, to } => match (self.operand(*from)?, self.operand(*to)?)
            {
                (Value::Date(from), Value::Date(to)) => self.sequence(from, to, *months, e)?,
                (Value::Unknown, _) | (_, Value::Unknown) => Value::Unknown,
                _ => Value::List(Vec::new().into()),
            },
            Node::Calendar(op, a) => {
                let v = self.operand(*a)?;
                self.calendar_term(*op, v, e)?
            }
        })
    }

    /// The value of a judgement made so far: its rank, none where it was
    /// not made, and unknown while doubting a provisional one.
    #[inline]
    pub(super) fn judgement_read(&self, j: JudgementId) -> Value {
        match self.judgement_rank(j) {
            Rank::Of(rank) => Value::Enum(rank),
            Rank::Unknown => Value::Unknown,
            Rank::NoValue => Value::None,
        }
    }

    /// [`Run::judgement_read`], as a rank.
    #[inline]
    pub(super) fn judgement_rank(&self, j: JudgementId) -> Rank {
        let state = self.judgements.get(j);
        if self.doubting && state.is_some_and(|s| s.doubt.is_some()) {
            Rank::Unknown
        } else {
            state.and_then(|s| s.value).map_or(Rank::NoValue, Rank::Of)
        }
    }

    /// What `X is V` compares, read where it is (a field, an element's
    /// field, a judgement); `None` where it has to be computed.
    #[inline]
    fn rank_in_place(&self, expr: ExprId) -> Option<Rank> {
        match self.model.exprs.get(expr)? {
            Node::Judgement(j) => Some(self.judgement_rank(*j)),
            node => self.place_of(node).map(Rank::of),
        }
    }

    /// `X is V`, `X is at most V`, `X is at least V`: the scale or choice
    /// value read where it is, or computed.
    fn is_value(&mut self, expr: ExprId, op: ConstraintOp, value: u16) -> Fallible<Tri> {
        let read = match self.rank_in_place(expr) {
            Some(read) => read,
            None => Rank::of(&self.value(expr)?),
        };
        Ok(read.is(op, value))
    }

    /// The value of quantifier or aggregate `e`, by `work_out`; where it
    /// reads no element bound outside it (`Model::closed`), worked out once
    /// and kept (`Run::memo`) for the other elements of the binders around
    /// it.
    #[inline]
    fn once_for_outer(
        &mut self,
        e: ExprId,
        work_out: impl FnOnce(&mut Self) -> Fallible<Value>,
    ) -> Fallible<Value> {
        let closed = &self.model.closed;
        if closed.is_empty() || closed.binary_search(&e).is_err() {
            return work_out(self);
        }
        let doubting = self.doubting;
        if let Some((_, _, v)) = self.memo.iter().find(|(x, d, _)| *x == e && *d == doubting) {
            return Ok(v.clone());
        }
        let v = work_out(self)?;
        self.memo.push((e, doubting, v.clone()));
        Ok(v)
    }

    /// `every`, `some` or `no` element satisfies the condition, in Kleene
    /// logic: an unknown element makes the answer unknown only when no
    /// element decides it.
    fn quantified(
        &mut self,
        e: ExprId,
        quantifier: Quantifier,
        list: ExprId,
        slot: usize,
        cond: ExprId,
    ) -> Fallible<Value> {
        // Most lists are empty or not given, seen where they are: no
        // element to read, so no need to share the list to read it.
        if self.empty_in_place(list) {
            return Ok(Value::Bool(quantifier != Quantifier::Some));
        }
        let Some(items) = self.list(list)? else {
            return Ok(Value::Unknown);
        };
        // `every` looks for a false element, `some` and `no` for a true one.
        let decisive = if quantifier == Quantifier::Every {
            Tri::False
        } else {
            Tri::True
        };
        let mut found = false;
        let mut unknown = false;
        let visit = |run: &mut Self, _| {
            match run.truth(cond)? {
                t if t == decisive => {
                    found = true;
                    return Ok(false);
                }
                Tri::Unknown => unknown = true,
                _ => {}
            }
            Ok(true)
        };
        // A long list whose field the condition first tests for one value:
        // only the elements that can make it true (`keyed`).
        match self.keyed_elements(e, &items) {
            Some(some) => {
                self.count_nested_reads(slot, some.len())
                    .map_err(|error| self.placed(error, e, list))?;
                let indices = some.into_iter().map(|i| i as usize);
                self.each_of(&items, indices, slot, visit)
            }
            None => self.each_element(&items, slot, visit),
        }
        .map_err(|error| self.placed(error, e, list))?;
        Ok(match (quantifier, found, unknown) {
            (_, false, true) => Value::Unknown,
            (Quantifier::Every, found, _) => Value::Bool(!found),
            (Quantifier::Some, found, _) => Value::Bool(found),
            (Quantifier::No, found, _) => Value::Bool(!found),
        })
    }

    /// `error` as the quantifier or aggregate `at`, over `list`, meets it:
    /// [`EvalError::TooManyNestedReads`] met in reading its elements, and
    /// not yet placed by one inside it, is placed at it and at its list's
    /// JSON path, where the list is evidence.
    #[cold]
    #[inline(never)]
    pub(super) fn placed(
        &self,
        mut error: Box<EvalError>,
        at: ExprId,
        list: ExprId,
    ) -> Box<EvalError> {
        if let EvalError::TooManyNestedReads {
            list: path,
            span: span @ None,
            ..
        } = &mut *error
        {
            *span = Some(self.span_of(at));
            if let Some(Node::Field(f)) = self.model.exprs.get(list) {
                *path = self.model.fields.get(*f).map(|d| d.path.join("."));
            }
        }
        error
    }

    fn aggregate(
        &mut self,
        kind: AggregateKind,
        list: ExprId,
        slot: usize,
        filter: Option<ExprId>,
        e: ExprId,
    ) -> Fallible<Value> {
        if let (None, AggregateKind::Earliest(v) | AggregateKind::Latest(v)) = (filter, kind) {
            // The element itself, not something computed from it.
            let itself = matches!(self.node(v)?, Node::Var { slot: s, field: None } if *s == slot);
            let latest = matches!(kind, AggregateKind::Latest(_));
            if itself {
                if let Some(end) = self.sequence_end(list, latest)? {
                    return Ok(end);
                }
            }
        }
        let Some(items) = self.list(list)? else {
            return Ok(Value::Unknown);
        };
        let mut unknown = false;
        let mut count: i64 = 0;
        let mut best: Option<Value> = None;
        // A span for each element at most, gathered without growing; the
        // other aggregates gather none.
        let spanned = matches!(
            kind,
            AggregateKind::TotalDays { .. }
                | AggregateKind::LongestRun { .. }
                | AggregateKind::MostDays { .. }
        );
        let mut periods: Vec<Period> = Vec::with_capacity(if spanned { items.len() } else { 0 });
        let mut backwards: Option<(NaiveDate, NaiveDate)> = None;
        self.each_element(&items, slot, |run, _| {
            if let Some(f) = filter {
                match run.truth(f)? {
                    Tri::True => {}
                    Tri::False => return Ok(true),
                    Tri::Unknown => {
                        unknown = true;
                        return Ok(true);
                    }
                }
            }
            match kind {
                AggregateKind::Count => count += 1,
                AggregateKind::Earliest(v) | AggregateKind::Latest(v) => {
                    let latest = matches!(kind, AggregateKind::Latest(_));
                    match run.value(v)? {
                        Value::None => {}
                        Value::Unknown => unknown = true,
                        value => {
                            let better = match &best {
                                None => true,
                                Some(b) => {
                                    let op = if latest { Cmp::Gt } else { Cmp::Lt };
                                    compare(op, &value, b, false) == Some(Tri::True)
                                }
                            };
                            if better {
                                best = Some(value);
                            }
                        }
                    }
                }
                AggregateKind::TotalDays { start, end }
                | AggregateKind::LongestRun { start, end }
                | AggregateKind::MostDays { start, end, .. } => {
                    match (run.value(start)?, run.value(end)?) {
                        (Value::Date(s), Value::Date(t)) => {
                            if t < s {
                                backwards = Some((s, t));
                                return Ok(false);
                            }
                            periods.push(Period { start: s, end: t });
                        }
                        (Value::Unknown, _) | (_, Value::Unknown) => unknown = true,
                        _ => {}
                    }
                }
            }
            Ok(true)
        })
        .map_err(|error| self.placed(error, e, list))?;
        if let Some((start, end)) = backwards {
            return Err(fault(EvalError::SpanBackwards {
                start: start.to_string(),
                end: end.to_string(),
                span: self.span_of(e),
            }));
        }
        if unknown {
            return Ok(Value::Unknown);
        }
        // Merged in place: the spans are not read again.
        let merged = move || spans::merge(periods);
        Ok(match kind {
            AggregateKind::Count => Value::Number(count),
            AggregateKind::Earliest(_) | AggregateKind::Latest(_) => best.unwrap_or(Value::None),
            AggregateKind::TotalDays { .. } => Value::Days(spans::total(&merged())),
            AggregateKind::LongestRun { .. } => Value::Days(spans::longest(&merged())),
            AggregateKind::MostDays { window, .. } => {
                let most = spans::most_within(&merged(), window)
                    .ok_or_else(|| EvalError::out_of_range(self.span_of(e)))?;
                Value::Days(most)
            }
        })
    }

    /// Whether `e` is a list seen where it is (a field, let or element's
    /// field) with no elements, or none (read as an empty list).
    #[inline]
    pub(super) fn empty_in_place(&self, e: ExprId) -> bool {
        match self.place(e) {
            Some(Value::List(items)) => items.is_empty(),
            Some(Value::None) => true,
            _ => false,
        }
    }

    fn calendar_term(&self, op: CalendarOp, v: Value, e: ExprId) -> Fallible<Value> {
        let overflow = || EvalError::out_of_range(self.span_of(e));
        Ok(match (op, v) {
            (_, Value::Unknown) => Value::Unknown,
            (CalendarOp::DateOf, Value::DateTime(dt)) => Value::Date(dt.date()),
            (CalendarOp::TimeOf, Value::DateTime(dt)) => Value::Time(dt.time()),
            (CalendarOp::DayAfter, Value::Date(d)) => {
                Value::Date(d.succ_opt().ok_or_else(overflow)?)
            }
            (CalendarOp::DayBefore, Value::Date(d)) => {
                Value::Date(d.pred_opt().ok_or_else(overflow)?)
            }
            (CalendarOp::StartOfMonth, Value::Date(d)) => {
                Value::Date(d.with_day(1).ok_or_else(overflow)?)
            }
            (CalendarOp::EndOfMonth, Value::Date(d)) => {
                let first = d.with_day(1).ok_or_else(overflow)?;
                let next = add_months(first, 1).ok_or_else(overflow)?;
                Value::Date(next.pred_opt().ok_or_else(overflow)?)
            }
            (CalendarOp::NextWorkingDayAfter, Value::Date(d)) => {
                let cal = self.calendar.ok_or_else(|| fault(EvalError::NoCalendar))?;
                Value::Date(cal.add_working_days(d, 1)?)
            }
            _ => Value::None,
        })
    }

    pub(super) fn arith(&self, op: Arith, l: &Value, r: &Value, e: ExprId) -> Fallible<Value> {
        use Value as V;
        if matches!(l, V::Unknown) || matches!(r, V::Unknown) {
            return Ok(V::Unknown);
        }
        if matches!(l, V::None) || matches!(r, V::None) {
            return Ok(V::None);
        }
        let overflow = || EvalError::out_of_range(self.span_of(e));
        let same = |a: i64, b: i64| {
            let sum = if op == Arith::AddSame {
                a.checked_add(b)
            } else {
                a.checked_sub(b)
            };
            sum.ok_or_else(overflow)
        };
        Ok(match (op, l, r) {
            (Arith::AddSame | Arith::SubSame, &V::Number(a), &V::Number(b)) => {
                V::Number(same(a, b)?)
            }
            (Arith::AddSame | Arith::SubSame, &V::Days(a), &V::Days(b)) => V::Days(same(a, b)?),
            (Arith::AddSame | Arith::SubSame, &V::Months(a), &V::Months(b)) => {
                V::Months(same(a, b)?)
            }
            (Arith::AddSame | Arith::SubSame, &V::WorkingDays(a), &V::WorkingDays(b)) => {
                V::WorkingDays(same(a, b)?)
            }
            (Arith::DateDiff, &V::Date(a), &V::Date(b)) => V::Days((a - b).num_days()),
            (Arith::DateAddDays, &V::Date(d), &V::Days(n)) => {
                V::Date(add_days(d, n).ok_or_else(overflow)?)
            }
            (Arith::DateSubDays, &V::Date(d), &V::Days(n)) => {
                V::Date(add_days(d, n.checked_neg().ok_or_else(overflow)?).ok_or_else(overflow)?)
            }
            (Arith::DateAddMonths, &V::Date(d), &V::Months(n)) => {
                V::Date(add_months(d, n).ok_or_else(overflow)?)
            }
            (Arith::DateSubMonths, &V::Date(d), &V::Months(n)) => {
                V::Date(add_months(d, n.checked_neg().ok_or_else(overflow)?).ok_or_else(overflow)?)
            }
            (Arith::DateAddWorking | Arith::DateSubWorking, &V::Date(d), &V::WorkingDays(n)) => {
                let n = if op == Arith::DateSubWorking {
                    n.checked_neg().ok_or_else(overflow)?
                } else {
                    n
                };
                let cal = self.calendar.ok_or_else(|| fault(EvalError::NoCalendar))?;
                V::Date(cal.add_working_days(d, n)?)
            }
            _ => {
                return Err(fault(EvalError::Internal(
                    "arithmetic on values of the wrong type",
                )))
            }
        })
    }
}

/// What `X is V` compares: a rank on its scale or choice, unknown, or no
/// value (a judgement withheld or not made, which is definitely not V).
#[derive(Clone, Copy)]
pub(super) enum Rank {
    Of(u16),
    Unknown,
    NoValue,
}

impl Rank {
    pub(super) fn of(v: &Value) -> Rank {
        match v {
            Value::Enum(rank) => Rank::Of(*rank),
            Value::Unknown => Rank::Unknown,
            _ => Rank::NoValue,
        }
    }

    /// `is V` (`is at most V`, `is at least V`).
    #[inline]
    pub(super) fn is(self, op: ConstraintOp, value: u16) -> Tri {
        match self {
            Rank::Of(v) => Tri::from_bool(match op {
                ConstraintOp::Equal => v == value,
                // Rank 0 is best: "at most good" means rank >= good's.
                ConstraintOp::AtMost => v >= value,
                ConstraintOp::AtLeast => v <= value,
            }),
            Rank::Unknown => Tri::Unknown,
            Rank::NoValue => Tri::False,
        }
    }
}

/// `None` when either side is unknown: the comparison is unknown.
pub(crate) fn compare(op: Cmp, l: &Value, r: &Value, scale: bool) -> Option<Tri> {
    use std::cmp::Ordering;
    use Value as V;
    let ord: Ordering = match (l, r) {
        (V::Number(a), V::Number(b))
        | (V::Days(a), V::Days(b))
        | (V::Months(a), V::Months(b))
        | (V::WorkingDays(a), V::WorkingDays(b)) => a.cmp(b),
        (V::Date(a), V::Date(b)) => a.cmp(b),
        (V::DateTime(a), V::DateTime(b)) => a.cmp(b),
        (V::Time(a), V::Time(b)) => a.cmp(b),
        // On a scale the best value has rank 0 and compares greatest.
        (V::Enum(a), V::Enum(b)) if scale => b.cmp(a),
        (V::Enum(a), V::Enum(b)) => a.cmp(b),
        (V::Bool(a), V::Bool(b)) => a.cmp(b),
        (V::Text(a), V::Text(b)) => a.cmp(b),
        // A judgement not made equals nothing.
        (V::None, _) | (_, V::None) => {
            return Some(Tri::from_bool(op == Cmp::Ne));
        }
        _ => return None,
    };
    Some(Tri::from_bool(op.holds(ord)))
}

/// `d` moved by `n` days, either way.
pub(crate) fn add_days(d: NaiveDate, n: i64) -> Option<NaiveDate> {
    if n >= 0 {
        d.checked_add_days(Days::new(u64::try_from(n).ok()?))
    } else {
        d.checked_sub_days(Days::new(
            n.checked_neg().and_then(|m| u64::try_from(m).ok())?,
        ))
    }
}

/// `d` where it falls in the years 0000 to 9999: a date outside them
/// (`+10229-09-21`) has no place in an outcome, whose dates are
/// `YYYY-MM-DD`, and is an error where an effect gives it. Values on the
/// way (a 12-month window that runs into 10000, months before 0000-02-15)
/// are not held to it.
pub(super) fn four_digit(d: NaiveDate) -> Option<NaiveDate> {
    (0..=9999).contains(&d.year()).then_some(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scale_comparison_puts_the_best_value_highest() {
        // Rank 0 (outstanding) > rank 1 (good).
        assert_eq!(
            compare(Cmp::Gt, &Value::Enum(0), &Value::Enum(1), true),
            Some(Tri::True)
        );
        assert_eq!(
            compare(Cmp::Lt, &Value::Enum(0), &Value::Enum(1), true),
            Some(Tri::False)
        );
        assert_eq!(
            compare(Cmp::Ge, &Value::Unknown, &Value::Enum(1), true),
            None
        );
    }
}
