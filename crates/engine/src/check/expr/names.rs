//! Names in expressions: a binder's element or one of its fields, a
//! threshold, let or judgement, a value of the expected scale or choice, or
//! an evidence field; a name not found is an error that suggests the
//! nearest declared one.

use super::{NullSource, Scope, Typed};
use crate::check::{Checker, Global};
use crate::diagnostic::CheckError;
use crate::model::*;
use crate::suggest;
use crate::types::{Elem, Type};
use crate::value::Value;
use judgement_syntax::ast::{self, Expr};
use judgement_syntax::{Span, Spanned};

/// `X is V`, where X is a name or a field's path: X, and V.
pub(super) fn value_tested(e: &Spanned<Expr>) -> Option<(&ast::Path, &str)> {
    let Expr::Is {
        expr,
        negated: false,
        test: ast::IsTest::Value(value),
    } = &e.node
    else {
        return None;
    };
    match &expr.node {
        Expr::Path(subject) => Some((subject, value.node.as_str())),
        _ => None,
    }
}

impl Checker {
    /// `lm is inadequate or requires_improvement`, as English says it: a
    /// bare name after `or` that is a value of the scale or choice whose
    /// value the operand before it tests (`tested`, of `value_tested`) is
    /// reported as a value without its subject, and the subject is named
    /// for it. Whether it was reported so; if not, it is checked as any
    /// other operand.
    pub(super) fn value_without_subject(
        &mut self,
        (subject, tested): (&ast::Path, &str),
        operand: &Spanned<Expr>,
        scope: Scope<'_>,
    ) -> bool {
        let Expr::Path(path) = &operand.node else {
            return false;
        };
        let Some(name) = path.single() else {
            return false;
        };
        if !self.is_bare_unresolved(operand, scope) {
            return false;
        }
        let has = |values: &[String], v: &str| values.iter().any(|x| x == v);
        let Some(of) = self
            .model
            .enums
            .iter()
            .find(|e| has(&e.values, tested) && has(&e.values, name))
        else {
            return false;
        };
        let message = format!("`{name}` is a value of `{}`, not a condition", of.name);
        let help = format!(
            "did you mean `{subject} is {name}`? Each side of `or` is a condition of its own: `{subject} is {tested} or {subject} is {name}`"
        );
        self.errors
            .push(CheckError::error(message, operand.span, "a value alone").with_help(help));
        true
    }

    pub(super) fn is_bare_unresolved(&self, e: &Spanned<Expr>, scope: Scope<'_>) -> bool {
        let Expr::Path(p) = &e.node else { return false };
        let Some(name) = p.single() else { return false };
        !self.globals.contains_key(name)
            && !self.pending_lets.contains_key(name)
            && !self.field_by_path.contains_key(name)
            && !scope.iter().any(|b| b.name == name)
    }

    pub(super) fn path(
        &mut self,
        path: &ast::Path,
        span: Span,
        scope: Scope<'_>,
        expected: Option<Type>,
    ) -> Option<Typed> {
        let segments = &path.0;
        if let Some(first) = segments.first() {
            if let Some(slot) = scope.iter().rposition(|b| &b.name == first) {
                let elem = scope.get(slot)?.elem;
                return self.var(path, span, slot, elem);
            }
        }
        if let Some(name) = path.single() {
            if let Some(&(global, _)) = self.globals.get(name) {
                return Some(self.global(global, span));
            }
            // A let or judgement whose declaration failed, already reported.
            if self.broken_names.contains_key(name) {
                return None;
            }
            if self.pending_lets.contains_key(name) {
                let id = self.resolve_let(name)?;
                return Some(self.global(Global::Let(id), span));
            }
            let is_field = self.field_by_path.contains_key(name);
            if let (Some(Type::Enum { id, .. }), false) = (expected, is_field) {
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
            let mut t = self.leaf(Node::Field(f), ty, span);
            t.reads = vec![f];
            if absence == AbsenceMode::None {
                t.nullable = vec![NullSource::Field(f)];
            }
            return Some(t);
        }
        let message = if self.groups.contains_key(&key) {
            format!("`{key}` is a group of fields, not a value")
        } else if path.single().is_some() {
            format!("there is no name `{key}`")
        } else {
            format!("there is no evidence field `{key}`")
        };
        // A word of another language (`null`, `True`): what is written
        // here (not `X = none`, which a condition does not write).
        let foreign = path
            .single()
            .and_then(judgement_syntax::suggest::foreign_word);
        let help = match foreign {
            Some("none") => judgement_syntax::suggest::NONE_IN_A_CONDITION.to_string(),
            Some(ours) => format!(
                "did you mean `{ours}`? {}",
                judgement_syntax::suggest::TRUTH_IN_LOWER_CASE
            ),
            None => suggest::help_with(
                self.near_name(&key, scope),
                "names are evidence fields, thresholds, lets, judgements and the elements named by `for each` or `every X in ...`",
            ),
        };
        self.errors
            .push(CheckError::error(message, span, "unknown name").with_help(help));
        None
    }

    /// The declared name nearest to an unknown one: evidence fields in the
    /// order declared, the element's fields in `for each`, then thresholds,
    /// lets and judgements.
    fn near_name(&self, key: &str, scope: Scope<'_>) -> Option<String> {
        let element: Vec<String> = scope
            .iter()
            .flat_map(|b| match b.elem {
                Elem::Record(rec) => self
                    .model
                    .records
                    .get(rec)
                    .map(|r| {
                        r.fields
                            .iter()
                            .map(|f| format!("{}.{}", b.name, f.name))
                            .collect::<Vec<_>>()
                    })
                    .unwrap_or_default(),
                _ => vec![b.name.clone()],
            })
            .collect();
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
            .chain(self.model.judgements.iter().map(|j| j.name.as_str()));
        suggest::did_you_mean(key, candidates)
    }

    /// The value of a scale or choice nearest to an unknown one.
    pub(crate) fn near_value(&self, id: crate::types::EnumId, name: &str) -> Option<String> {
        let values = self.model.enums.get(id).map(|e| e.values.as_slice())?;
        suggest::did_you_mean(name, values.iter().map(String::as_str))
    }

    pub(crate) fn values_help(&self, id: crate::types::EnumId) -> String {
        let values = self
            .model
            .enums
            .get(id)
            .map(|e| e.values.join(", "))
            .unwrap_or_default();
        format!("the values are {values}")
    }

    /// `X` or `X.field` for a name bound to list elements.
    fn var(&mut self, path: &ast::Path, span: Span, slot: usize, elem: Elem) -> Option<Typed> {
        let rest = path.0.get(1..).unwrap_or_default();
        let rec = match elem {
            Elem::Record(rec) => rec,
            _ if rest.is_empty() => {
                return Some(self.leaf(Node::Var { slot, field: None }, elem.ty(), span));
            }
            _ => {
                let shown = self.shown(elem.ty());
                self.errors.push(CheckError::error(
                    format!(
                        "`{}` is a `{shown}` and has no fields",
                        path.0.first()?.as_str()
                    ),
                    span,
                    "no fields",
                ));
                return None;
            }
        };
        let record = self.model.records.get(rec)?;
        if rest.is_empty() {
            self.errors.push(CheckError::error(
                format!(
                    "`{path}` is a whole `{}`; name one of its fields",
                    record.name
                ),
                span,
                "write ELEMENT.FIELD",
            ));
            return None;
        }
        let field_name = rest.join(".");
        let Some(index) = record.fields.iter().position(|f| f.name == field_name) else {
            let fields: Vec<String> = record.fields.iter().map(|f| f.name.clone()).collect();
            // The whole path, as written in place of the one underlined
            // (`it.okk`: "did you mean `it.ok`?").
            let binder = path.0.first().map(String::as_str).unwrap_or_default();
            let near = suggest::nearest(&field_name, fields.iter().map(String::as_str))
                .map(|field| format!("did you mean `{binder}.{field}`?"));
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
        let mut t = self.leaf(
            Node::Var {
                slot,
                field: Some(index),
            },
            ty,
            span,
        );
        if nullable {
            t.nullable = vec![NullSource::Element {
                binder: slot,
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
                // A let that holds proves what its condition proves.
                t.facts = self.let_facts.get(l).cloned().unwrap_or_default();
                if self.let_nullable.get(l).is_some_and(|n| !n.is_empty()) {
                    t.nullable = vec![NullSource::Let(l)];
                }
                t
            }
            Global::Judgement(j) => {
                let scale = self
                    .model
                    .judgements
                    .get(j)
                    .map_or(Default::default(), |d| d.scale);
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
}
