//! Expressions: names resolved, types checked, and optional evidence
//! guarded. A value that may be none (`or none`) can only be compared after a
//! test that it is set, earlier in the same `and` chain.

use super::{Checker, Global};
use crate::diagnostic::CheckError;
use crate::model::*;
use crate::suggest;
use crate::types::Type;
use crate::value::Value;
use judgement_syntax::ast::{BinaryOp, ConstraintOp, Expr, IsTest, Literal, UnaryOp, Unit};
use judgement_syntax::{Span, Spanned};

/// Where a value may be none from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NullSource {
    Field(FieldId),
    /// A field of a list element: the record and the field's slot.
    Element {
        record: usize,
        field: usize,
    },
    Let(LetId),
}

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
}

type Scope<'a> = Option<(&'a str, usize)>;

pub(crate) fn days_of(amount: i64, unit: Unit) -> Option<i64> {
    match unit {
        Unit::Days => Some(amount),
        Unit::Weeks => amount.checked_mul(7),
        Unit::Months | Unit::WorkingDays => None,
    }
}

pub(crate) fn duration_value(amount: i64, unit: Unit) -> Option<(Value, Type)> {
    Some(match unit {
        Unit::Days | Unit::Weeks => (Value::Days(days_of(amount, unit)?), Type::Days),
        Unit::Months => (Value::Months(amount), Type::Months),
        Unit::WorkingDays => (Value::WorkingDays(amount), Type::WorkingDays),
    })
}

fn merge<T: PartialEq + Copy>(a: &[T], b: &[T]) -> Vec<T> {
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
        self.model.exprs.push(node);
        self.model.expr_spans.push(span);
        self.model.exprs.len() - 1
    }

    fn leaf(&mut self, node: Node, ty: Type, span: Span) -> Typed {
        Typed {
            id: self.push(node, span),
            ty,
            reads: Vec::new(),
            judgements: Vec::new(),
            nullable: Vec::new(),
            facts: Vec::new(),
        }
    }

    /// A value expression (a let, a deadline): may be none.
    pub(crate) fn check_value_expr(
        &mut self,
        e: &Spanned<Expr>,
        scope: Scope<'_>,
    ) -> Option<Typed> {
        self.expr(e, scope, &[], None)
    }

    /// A condition: boolean, and guarded throughout.
    pub(crate) fn check_condition(&mut self, e: &Spanned<Expr>, scope: Scope<'_>) -> Option<Typed> {
        let t = self.expr(e, scope, &[], None)?;
        self.require_bool(&t, e.span)?;
        self.require_guarded(&t, &[], e.span)?;
        Some(t)
    }

    fn require_bool(&mut self, t: &Typed, span: Span) -> Option<()> {
        if t.ty == Type::Bool {
            return Some(());
        }
        let got = self.shown(t.ty);
        self.errors.push(CheckError::error(
            format!("a condition must be true or false, but this is `{got}`"),
            span,
            "not a condition",
        ));
        None
    }

    fn is_guarded(&self, source: NullSource, facts: &[NullSource], depth: usize) -> bool {
        if facts.contains(&source) {
            return true;
        }
        match source {
            NullSource::Let(l) if depth < 32 => self
                .let_nullable
                .get(l)
                .is_some_and(|srcs| srcs.iter().all(|s| self.is_guarded(*s, facts, depth + 1))),
            _ => false,
        }
    }

    fn source_name(&self, source: NullSource, scope_var: Option<&str>) -> String {
        match source {
            NullSource::Field(f) => self
                .model
                .fields
                .get(f)
                .map(|d| d.name.clone())
                .unwrap_or_default(),
            NullSource::Let(l) => self
                .model
                .lets
                .get(l)
                .map(|d| d.name.clone())
                .unwrap_or_default(),
            NullSource::Element { record, field } => {
                let record = self.model.records.get(record);
                let name = record
                    .and_then(|r| r.fields.get(field))
                    .map(|f| f.name.as_str())
                    .unwrap_or_default();
                let var = scope_var
                    .or(record.map(|r| r.name.as_str()))
                    .unwrap_or("element");
                format!("{var}.{name}")
            }
        }
    }

    pub(crate) fn require_guarded(
        &mut self,
        t: &Typed,
        facts: &[NullSource],
        span: Span,
    ) -> Option<()> {
        let facts = merge(facts, &t.facts);
        let unguarded = t.nullable.iter().find(|s| !self.is_guarded(**s, &facts, 0));
        if let Some(source) = unguarded {
            let name = self.source_name(*source, None);
            let origin = match source {
                NullSource::Let(l) => {
                    let fields: Vec<String> = self
                        .let_nullable
                        .get(*l)
                        .map(|v| {
                            v.iter()
                                .map(|s| format!("`{}`", self.source_name(*s, None)))
                                .collect()
                        })
                        .unwrap_or_default();
                    format!(
                        "test it first, or the field it comes from: `{name} is set and ...` ({})",
                        fields.join(", ")
                    )
                }
                _ => format!("test it first: `{name} is set and ...`"),
            };
            self.errors.push(
                CheckError::error(format!("`{name}` may be none here"), span, "may be none")
                    .with_help(origin),
            );
            return None;
        }
        Some(())
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
                        Some(Typed {
                            id,
                            facts: Vec::new(),
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
        }
    }

    fn literal(&mut self, lit: &Literal, span: Span) -> Option<Typed> {
        let (value, ty) = match lit {
            Literal::Bool(b) => (Value::Bool(*b), Type::Bool),
            Literal::Number(n) => (Value::Number(*n), Type::Number),
            Literal::Text(t) => (Value::Text(t.as_str().into()), Type::Text),
            Literal::Date(d) => (Value::Date(*d), Type::Date),
            Literal::Duration { amount, unit } => {
                if *unit == Unit::WorkingDays && self.model.meta.calendar.is_none() {
                    self.errors.push(
                        CheckError::error(
                            "working days need a calendar",
                            span,
                            "no calendar declared",
                        )
                        .with_help("name one in the header: `calendar england_and_wales`"),
                    );
                    return None;
                }
                duration_value(*amount, *unit)?
            }
            Literal::Name(_) => return None,
        };
        Some(self.leaf(Node::Const(value), ty, span))
    }

    fn is_bare_unresolved(&self, e: &Spanned<Expr>, scope: Scope<'_>) -> bool {
        let Expr::Path(p) = &e.node else { return false };
        let Some(name) = p.single() else { return false };
        !self.globals.contains_key(name)
            && !self.pending_lets.contains_key(name)
            && scope.is_none_or(|(v, _)| v != name)
    }

    fn path(
        &mut self,
        path: &judgement_syntax::ast::Path,
        span: Span,
        scope: Scope<'_>,
        expected: Option<Type>,
    ) -> Option<Typed> {
        let segments = &path.0;
        if let (Some((var, rec)), Some(first)) = (scope, segments.first()) {
            if first == var {
                return self.element_field(path, span, rec);
            }
        }
        if let Some(name) = path.single() {
            if let Some(&(global, _)) = self.globals.get(name) {
                return Some(self.global(global, span));
            }
            if self.pending_lets.contains_key(name) {
                let id = self.resolve_let(name)?;
                return Some(self.global(Global::Let(id), span));
            }
            if let Some(Type::Enum { id, .. }) = expected {
                if let Some(v) = self.enum_value(id, name) {
                    return Some(self.leaf(
                        Node::Const(Value::Enum(v)),
                        expected.unwrap_or(Type::Bool),
                        span,
                    ));
                }
                let ty_name = self.shown(Type::Enum { id, ordered: false });
                let help = suggest::help_with(self.near_value(id, name), self.values_help(id));
                self.errors.push(
                    CheckError::error(
                        format!("`{name}` is not a value of `{ty_name}`"),
                        span,
                        "not a value of this type",
                    )
                    .with_help(help),
                );
                return None;
            }
        }
        let key = path.to_string();
        if let Some(&f) = self.field_by_path.get(&key) {
            let def = self.model.fields.get(f)?;
            let (ty, absence) = (def.ty, def.absence.clone());
            if matches!(ty, Type::List(_)) {
                self.errors.push(CheckError::error(
                    format!("`{key}` is a list; a rule reads its elements with `for each`"),
                    span,
                    "a list",
                ));
                return None;
            }
            let mut t = self.leaf(Node::Field(f), ty, span);
            t.reads = vec![f];
            if absence == AbsenceMode::None {
                t.nullable = vec![NullSource::Field(f)];
            }
            return Some(t);
        }
        let prefix = format!("{key}.");
        let message = if self.field_by_path.keys().any(|k| k.starts_with(&prefix)) {
            format!("`{key}` is a group of fields, not a value")
        } else if path.single().is_some() {
            format!("there is no name `{key}`")
        } else {
            format!("there is no evidence field `{key}`")
        };
        let help = suggest::help_with(
            self.near_name(&key, scope),
            "names are evidence fields, thresholds, lets, judgements and, in `for each`, the element",
        );
        self.errors
            .push(CheckError::error(message, span, "unknown name").with_help(help));
        None
    }

    /// The declared name nearest to an unknown one: evidence fields in the
    /// order declared, the element's fields in `for each`, then thresholds,
    /// lets and judgements.
    fn near_name(&self, key: &str, scope: Scope<'_>) -> Option<String> {
        let element: Vec<String> = scope
            .and_then(|(var, rec)| Some((var, self.model.records.get(rec)?)))
            .map(|(var, r)| {
                r.fields
                    .iter()
                    .map(|f| format!("{var}.{}", f.name))
                    .collect()
            })
            .unwrap_or_default();
        let mut pending: Vec<&str> = self.pending_lets.keys().map(String::as_str).collect();
        pending.sort_unstable();
        let candidates = self
            .model
            .fields
            .iter()
            .map(|f| f.name.as_str())
            .chain(element.iter().map(String::as_str))
            .chain(self.model.thresholds.iter().map(|t| t.name.as_str()))
            .chain(self.model.lets.iter().map(|l| l.name.as_str()))
            .chain(pending)
            .chain(self.model.judgements.iter().map(|j| j.name.as_str()))
            .chain(scope.map(|(var, _)| var));
        suggest::did_you_mean(key, candidates)
    }

    /// The value of a scale or choice nearest to an unknown one.
    pub(crate) fn near_value(&self, id: usize, name: &str) -> Option<String> {
        let values = self.model.enums.get(id).map(|e| e.values.as_slice())?;
        suggest::did_you_mean(name, values.iter().map(String::as_str))
    }

    pub(crate) fn values_help(&self, id: usize) -> String {
        let values = self
            .model
            .enums
            .get(id)
            .map(|e| e.values.join(", "))
            .unwrap_or_default();
        format!("the values are {values}")
    }

    fn element_field(
        &mut self,
        path: &judgement_syntax::ast::Path,
        span: Span,
        rec: usize,
    ) -> Option<Typed> {
        let record = self.model.records.get(rec)?;
        let field_name = match path.0.as_slice() {
            [_, field] => field.clone(),
            _ => {
                self.errors.push(CheckError::error(
                    format!("`{path}` is not a field of the element"),
                    span,
                    "write ELEMENT.FIELD",
                ));
                return None;
            }
        };
        let Some(index) = record.fields.iter().position(|f| f.name == field_name) else {
            let fields: Vec<String> = record.fields.iter().map(|f| f.name.clone()).collect();
            let near = suggest::did_you_mean(&field_name, fields.iter().map(String::as_str));
            self.errors.push(
                CheckError::error(
                    format!("the record `{}` has no field `{field_name}`", record.name),
                    span,
                    "unknown field",
                )
                .with_help(suggest::help_with(
                    near,
                    format!("its fields are {}", fields.join(", ")),
                )),
            );
            return None;
        };
        let def = record.fields.get(index)?;
        let (ty, nullable) = (def.ty, def.absence == AbsenceMode::None);
        let mut t = self.leaf(Node::ElementField(index), ty, span);
        if nullable {
            t.nullable = vec![NullSource::Element {
                record: rec,
                field: index,
            }];
        }
        Some(t)
    }

    fn global(&mut self, global: Global, span: Span) -> Typed {
        match global {
            Global::Threshold(i) => {
                self.mark_threshold_used(i);
                let ty = self.model.thresholds.get(i).map_or(Type::Bool, |t| t.ty);
                self.leaf(Node::Threshold(i), ty, span)
            }
            Global::Let(l) => {
                self.mark_let_used(l);
                let ty = self.model.lets.get(l).map_or(Type::Bool, |d| d.ty);
                let mut t = self.leaf(Node::Let(l), ty, span);
                t.reads = self.let_reads.get(l).cloned().unwrap_or_default();
                if self.let_nullable.get(l).is_some_and(|n| !n.is_empty()) {
                    t.nullable = vec![NullSource::Let(l)];
                }
                t
            }
            Global::Judgement(j) => {
                let scale = self.model.judgements.get(j).map_or(0, |d| d.scale);
                let mut t = self.leaf(
                    Node::Judgement(j),
                    Type::Enum {
                        id: scale,
                        ordered: true,
                    },
                    span,
                );
                t.judgements = vec![j];
                t
            }
        }
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
            BinaryOp::And | BinaryOp::Or => {
                let l = self.expr(lhs, scope, facts, None);
                let l = l.and_then(|l| {
                    self.require_bool(&l, lhs.span)?;
                    self.require_guarded(&l, facts, lhs.span)?;
                    Some(l)
                });
                // In `a and b`, b is read only when a holds: what a proves set is set in b.
                let rhs_facts = match (&l, op) {
                    (Some(l), BinaryOp::And) => merge(facts, &l.facts),
                    _ => facts.to_vec(),
                };
                let r = self.expr(rhs, scope, &rhs_facts, None).and_then(|r| {
                    self.require_bool(&r, rhs.span)?;
                    self.require_guarded(&r, &rhs_facts, rhs.span)?;
                    Some(r)
                });
                let (l, r) = (l?, r?);
                let node = if op == BinaryOp::And {
                    Node::And(l.id, r.id)
                } else {
                    Node::Or(l.id, r.id)
                };
                let id = self.push(node, span);
                Some(Typed {
                    id,
                    ty: Type::Bool,
                    reads: merge(&l.reads, &r.reads),
                    judgements: merge(&l.judgements, &r.judgements),
                    nullable: Vec::new(),
                    facts: if op == BinaryOp::And {
                        merge(&l.facts, &r.facts)
                    } else {
                        Vec::new()
                    },
                })
            }
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
                self.comparable(op, l.ty, r.ty, span)?;
                let cmp = match op {
                    BinaryOp::Eq => Cmp::Eq,
                    BinaryOp::Ne => Cmp::Ne,
                    BinaryOp::Lt => Cmp::Lt,
                    BinaryOp::Le => Cmp::Le,
                    BinaryOp::Gt => Cmp::Gt,
                    _ => Cmp::Ge,
                };
                let scale = matches!(l.ty, Type::Enum { ordered: true, .. });
                let id = self.push(
                    Node::Compare {
                        op: cmp,
                        lhs: l.id,
                        rhs: r.id,
                        scale,
                    },
                    span,
                );
                Some(Typed {
                    id,
                    ty: Type::Bool,
                    reads: merge(&l.reads, &r.reads),
                    judgements: merge(&l.judgements, &r.judgements),
                    nullable: Vec::new(),
                    facts: Vec::new(),
                })
            }
            BinaryOp::Add | BinaryOp::Sub => {
                let l = self.expr(lhs, scope, facts, None)?;
                let r = self.expr(rhs, scope, facts, None)?;
                let (arith, ty, swap) = self.arith(op, l.ty, r.ty, span)?;
                let (a, b) = if swap { (r.id, l.id) } else { (l.id, r.id) };
                let id = self.push(Node::Arith(arith, a, b), span);
                Some(Typed {
                    id,
                    ty,
                    reads: merge(&l.reads, &r.reads),
                    judgements: merge(&l.judgements, &r.judgements),
                    nullable: merge(&l.nullable, &r.nullable),
                    facts: Vec::new(),
                })
            }
        }
    }

    fn comparable(&mut self, op: BinaryOp, l: Type, r: Type, span: Span) -> Option<()> {
        let ordered_op = !matches!(op, BinaryOp::Eq | BinaryOp::Ne);
        let problem = if l != r {
            let (ls, rs) = (self.shown(l), self.shown(r));
            let mixed_days = matches!(
                (l, r),
                (Type::Days, Type::WorkingDays) | (Type::WorkingDays, Type::Days)
            );
            let help = if mixed_days {
                "calendar days and working days do not compare: add working days to a date and compare dates"
            } else if matches!(
                (l, r),
                (Type::Days, Type::Months) | (Type::Months, Type::Days)
            ) {
                "days and months do not compare: add the months to a date and compare dates"
            } else {
                "both sides must have the same type"
            };
            Some((format!("cannot compare `{ls}` with `{rs}`"), help))
        } else if ordered_op
            && matches!(
                l,
                Type::Bool
                    | Type::Text
                    | Type::Enum { ordered: false, .. }
                    | Type::Record(_)
                    | Type::List(_)
            )
        {
            let ls = self.shown(l);
            Some((format!("`{ls}` values have no order"), "use `=` or `!=`"))
        } else {
            None
        };
        match problem {
            Some((message, help)) => {
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
                    .with_help("dates take days, weeks, months or working days; a date minus a date is a number of days"),
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
                let fact = t.nullable.clone();
                let base = Typed {
                    id,
                    ty: Type::Bool,
                    reads: t.reads.clone(),
                    judgements: t.judgements.clone(),
                    nullable: Vec::new(),
                    facts: if positive { fact } else { Vec::new() },
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
                    ..t
                };
                let positive = matches!(test, IsTest::Known) != negated;
                return Some(if positive {
                    base
                } else {
                    self.negate(base, span)
                });
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
            facts: Vec::new(),
            ..t
        }
    }
}
