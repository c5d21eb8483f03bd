//! Lists: the list a binder runs over, the scope a binder opens (a name
//! that would hide another is refused), and aggregates (`count`,
//! `earliest`, `latest`, `total days`, `longest run`, `most days in`), each
//! over the elements that pass its filter.

use super::{days_of, Binder, NullSource, Scope, Typed};
use crate::check::Checker;
use crate::diagnostic::CheckError;
use crate::model::*;
use crate::types::{Elem, Type};
use judgement_syntax::ast::{self, Expr, Unit};
use judgement_syntax::{Span, Spanned};

impl Checker {
    /// The list a binder runs over, and what its elements are.
    pub(super) fn list_of(
        &mut self,
        e: &Spanned<Expr>,
        scope: Scope<'_>,
        facts: &[NullSource],
    ) -> Option<(Typed, Elem)> {
        let t = self.expr(e, scope, facts, None)?;
        match t.ty {
            Type::List(elem) => Some((t, elem)),
            other => {
                let got = self.shown(other);
                self.errors.push(CheckError::error(
                    format!("this is `{got}`, not a list"),
                    e.span,
                    "not a list",
                ));
                None
            }
        }
    }

    /// The scope with one more binder, refusing a name that would hide another.
    pub(crate) fn bind(
        &mut self,
        scope: Scope<'_>,
        var: &ast::Name,
        elem: Elem,
    ) -> Option<Vec<Binder>> {
        let name = var.node.as_str();
        let hides_field = self.first_segments.contains(name);
        if scope.iter().any(|b| b.name == name)
            || self.globals.contains_key(name)
            || self.pending_lets.contains_key(name)
            || hides_field
        {
            self.errors.push(
                CheckError::error(
                    format!("`{name}` already names something here"),
                    var.span,
                    "name in use",
                )
                .with_help("give each element a name of its own (`requirement`, `visit`, ...)"),
            );
            return None;
        }
        let mut inner = scope.to_vec();
        inner.push(Binder {
            name: name.to_string(),
            elem,
        });
        Some(inner)
    }

    pub(super) fn aggregate(
        &mut self,
        kind: &ast::Aggregate,
        over: &ast::Over,
        filter: Option<&Spanned<Expr>>,
        span: Span,
        scope: Scope<'_>,
        facts: &[NullSource],
    ) -> Option<Typed> {
        let (list, elem) = self.list_of(&over.list, scope, facts)?;
        let inner = self.bind(scope, &over.var, elem)?;
        let slot = scope.len();
        let mut parts: Vec<Typed> = vec![list.clone()];
        let filter = match filter {
            Some(f) => {
                let t = self.expr(f, &inner, facts, None)?;
                self.require_bool(&t, f.span)?;
                self.require_guarded(&t, facts, f.span)?;
                parts.push(t.clone());
                Some(t.id)
            }
            None => None,
        };
        // Each span bound is a date; an element whose bound is none is left out.
        let mut span_bounds = |this: &mut Checker,
                               start: &Spanned<Expr>,
                               end: &Spanned<Expr>|
         -> Option<(ExprId, ExprId)> {
            let s = this.expr(start, &inner, facts, None)?;
            let e = this.expr(end, &inner, facts, None)?;
            this.require_type(&s, Type::Date, start.span, "a span starts on a date")?;
            this.require_type(&e, Type::Date, end.span, "a span ends on a date")?;
            let ids = (s.id, e.id);
            parts.push(s);
            parts.push(e);
            Some(ids)
        };
        let (node_kind, ty, nullable) = match kind {
            ast::Aggregate::Count => (AggregateKind::Count, Type::Number, false),
            ast::Aggregate::Earliest(v) | ast::Aggregate::Latest(v) => {
                let t = self.expr(v, &inner, facts, None)?;
                if !matches!(
                    t.ty,
                    Type::Date | Type::DateTime | Type::Number | Type::Days
                ) {
                    let got = self.shown(t.ty);
                    self.errors.push(CheckError::error(
                        format!("only dates, date-times, numbers and days have an earliest or latest; this is `{got}`"),
                        v.span,
                        "no order",
                    ));
                    return None;
                }
                let (id, ty) = (t.id, t.ty);
                parts.push(t);
                let k = if matches!(kind, ast::Aggregate::Earliest(_)) {
                    AggregateKind::Earliest(id)
                } else {
                    AggregateKind::Latest(id)
                };
                (k, ty, true)
            }
            ast::Aggregate::TotalDays { start, end } => {
                let (start, end) = span_bounds(self, start, end)?;
                (AggregateKind::TotalDays { start, end }, Type::Days, false)
            }
            ast::Aggregate::LongestRun { start, end } => {
                let (start, end) = span_bounds(self, start, end)?;
                (AggregateKind::LongestRun { start, end }, Type::Days, false)
            }
            ast::Aggregate::MostDays {
                amount,
                unit,
                start,
                end,
            } => {
                let window = match unit {
                    Unit::Days | Unit::Weeks => Window::Days(days_of(*amount, *unit)?),
                    Unit::Months => Window::Months(*amount),
                    Unit::Years => Window::Months(amount.checked_mul(12)?),
                    Unit::WorkingDays => {
                        self.errors.push(CheckError::error(
                            "a window is in days, weeks, months or years",
                            span,
                            "working days",
                        ));
                        return None;
                    }
                };
                if *amount < 1 {
                    self.errors.push(CheckError::error(
                        "a window must be at least one day long",
                        span,
                        "empty window",
                    ));
                    return None;
                }
                let (start, end) = span_bounds(self, start, end)?;
                (
                    AggregateKind::MostDays { window, start, end },
                    Type::Days,
                    false,
                )
            }
        };
        let node = Node::Aggregate {
            kind: node_kind,
            list: list.id,
            slot,
            filter,
        };
        let refs: Vec<&Typed> = parts.iter().collect();
        let mut t = self.over_parts(node, ty, span, &refs);
        // What is none inside is left out, element by element.
        t.nullable.clear();
        if nullable {
            t.nullable = vec![NullSource::Aggregate(t.id)];
        }
        Some(t)
    }
}
