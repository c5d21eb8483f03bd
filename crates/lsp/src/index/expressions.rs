//! The index's walk of conditions and expressions: the names and paths
//! they read, and the elements `for each` and the quantifiers bind.

use super::{Bound, Builder, Decl, Key, Kind, Pending};
use judgement_syntax::ast::{BinaryOp, Expr, ForEach, IsTest, TypeExpr};
use judgement_syntax::{Span, Spanned};

impl Builder {
    pub(super) fn for_each(&mut self, i: usize, each: &ForEach, scope: &mut Vec<Bound>) {
        self.expr(i, &each.list, scope);
        let record = self.record_of(&each.list.node, scope);
        self.bind(i, &each.var, record, scope);
    }

    fn bind(
        &mut self,
        i: usize,
        var: &Spanned<String>,
        record: Option<String>,
        scope: &mut Vec<Bound>,
    ) {
        let key = Key::Var(i, var.span.start);
        let detail = match &record {
            Some(r) => format!("**element** `{}`: each `{r}` of the list in turn", var.node),
            None => format!(
                "**element** `{}`: each element of the list in turn",
                var.node
            ),
        };
        self.decl(
            key.clone(),
            i,
            var.span,
            Decl {
                kind: Kind::Var,
                name: var.node.clone(),
                // The record of its elements: completion after `var.`
                // offers that record's fields.
                of_type: record.clone(),
                detail,
            },
        );
        scope.push(Bound {
            name: var.node.clone(),
            key,
            record,
        });
    }

    /// The record of the elements of a list expression, when it is a
    /// declared list field (of the evidence or of an element in scope).
    fn record_of(&self, list: &Expr, scope: &[Bound]) -> Option<String> {
        let Expr::Path(path) = list else {
            return None;
        };
        let ty = match path.0.as_slice() {
            [first, rest @ ..] if !rest.is_empty() => {
                match scope.iter().rev().find(|b| &b.name == first) {
                    Some(bound) => self
                        .record_fields
                        .get(&(bound.record.clone()?, rest.join(".")))
                        .cloned(),
                    None => self.field_types.get(&path.to_string()).cloned(),
                }
            }
            _ => self.field_types.get(&path.to_string()).cloned(),
        };
        match ty {
            Some(TypeExpr::ListOf(r)) => Some(r),
            _ => None,
        }
    }

    pub(super) fn expr(&mut self, i: usize, e: &Spanned<Expr>, scope: &mut Vec<Bound>) {
        match &e.node {
            Expr::Path(path) => self.path(i, path, e.span, scope),
            Expr::Quantified {
                over, condition, ..
            } => {
                self.expr(i, &over.list, scope);
                let record = self.record_of(&over.list.node, scope);
                let depth = scope.len();
                self.bind(i, &over.var, record, scope);
                self.expr(i, condition, scope);
                scope.truncate(depth);
            }
            Expr::Aggregate { kind, over, filter } => {
                self.expr(i, &over.list, scope);
                let record = self.record_of(&over.list.node, scope);
                let depth = scope.len();
                self.bind(i, &over.var, record, scope);
                for c in kind.children() {
                    self.expr(i, c, scope);
                }
                if let Some(f) = filter {
                    self.expr(i, f, scope);
                }
                scope.truncate(depth);
            }
            // `X = V`, `X != V`: a value named on one side is of the
            // scale or choice of the field, element's field or judgement
            // on the other.
            Expr::Binary {
                op: BinaryOp::Eq | BinaryOp::Ne,
                lhs,
                rhs,
            } => {
                let lhs_type = self.type_of(&lhs.node, scope);
                let rhs_type = self.type_of(&rhs.node, scope);
                self.side(i, lhs, rhs_type, scope);
                self.side(i, rhs, lhs_type, scope);
            }
            Expr::Is { expr, test, .. } => {
                self.expr(i, expr, scope);
                if let IsTest::Value(v) | IsTest::AtMost(v) | IsTest::AtLeast(v) = test {
                    let of = self.type_of(&expr.node, scope);
                    self.value_ref(of, &v.node, i, v.span);
                }
            }
            other => {
                for c in other.children() {
                    self.expr(i, c, scope);
                }
            }
        }
    }

    /// One side of `=` or `!=`: a name alone there, where it is a value,
    /// is of the type `of` (the other side's).
    fn side(&mut self, i: usize, e: &Spanned<Expr>, of: Option<String>, scope: &mut Vec<Bound>) {
        let of = of.filter(|_| matches!(e.node, Expr::Path(_)));
        let outer = std::mem::replace(&mut self.value_of, of);
        self.expr(i, e, scope);
        self.value_of = outer;
    }

    pub(super) fn path(
        &mut self,
        i: usize,
        path: &judgement_syntax::ast::Path,
        span: Span,
        scope: &[Bound],
    ) {
        let Some(first) = path.0.first() else {
            return;
        };
        if let Some(bound) = scope.iter().rev().find(|b| &b.name == first) {
            let end = span.start + first.len();
            self.reference(bound.key.clone(), i, Span::new(span.start, end));
            let rest = path.0.get(1..).unwrap_or_default().join(".");
            if let (Some(record), false) = (&bound.record, rest.is_empty()) {
                self.reference(
                    Key::RecordField(record.clone(), rest),
                    i,
                    Span::new((end + 1).min(span.end), span.end),
                );
            }
            return;
        }
        self.pending.push(Pending {
            text: path.to_string(),
            file: i,
            span,
            of: self.value_of.clone(),
        });
    }

    /// A value named at `span`, of the scale or choice `of` where the place
    /// says: resolved once every file's types are known.
    pub(super) fn value_ref(&mut self, of: Option<String>, value: &str, file: usize, span: Span) {
        self.pending_values.push(Pending {
            text: value.to_string(),
            file,
            span,
            of,
        });
    }

    /// The scale or choice of the values an expression holds, where it is a
    /// field, a field of an element in scope, or a judgement.
    fn type_of(&self, e: &Expr, scope: &[Bound]) -> Option<String> {
        let Expr::Path(path) = e else {
            return None;
        };
        let named = |t: &TypeExpr| match t {
            TypeExpr::Named(t) => Some(t.clone()),
            TypeExpr::ListOf(_) => None,
        };
        let first = path.0.first()?;
        if let Some(bound) = scope.iter().rev().find(|b| &b.name == first) {
            let rest = path.0.get(1..)?.join(".");
            let record = bound.record.clone()?;
            return self.record_fields.get(&(record, rest)).and_then(named);
        }
        let text = path.to_string();
        match self.field_types.get(&text) {
            Some(t) => named(t),
            None => self.judgement_types.get(&text).cloned(),
        }
    }
}
