//! The index's walk of what rules give and what tests expect: effects,
//! messages and their placeholders, and the expectations of DSL tests.

use super::{outcome_key, Bound, Builder, Decl, Key, Kind, Pending};
use judgement_syntax::ast::{Assignment, DeadlineWhen, Effect, Expectation, TypeExpr, Value};
use judgement_syntax::{Piece, Span, Spanned};

impl Builder {
    pub(super) fn effect(&mut self, i: usize, effect: &Effect, scope: &mut Vec<Bound>) {
        match effect {
            Effect::Constrain {
                judgement, value, ..
            } => {
                self.reference(Key::Name(judgement.node.clone()), i, judgement.span);
                self.value_of = self.judgement_types.get(&judgement.node).cloned();
                self.expr(i, value, scope);
                self.value_of = None;
            }
            Effect::Action { name, label, due } => {
                self.outcome(i, name, Kind::Action);
                if let Some(label) = label {
                    self.message(i, label, scope);
                }
                if let Some(due) = due {
                    self.expr(i, due, scope);
                }
            }
            Effect::Finding { name, message } => {
                self.outcome(i, name, Kind::Finding);
                if let Some(message) = message {
                    self.message(i, message, scope);
                }
            }
            Effect::Deadline {
                name,
                when,
                target,
                met,
                ..
            } => {
                self.outcome(i, name, Kind::Deadline);
                match when {
                    DeadlineWhen::On(e) => self.expr(i, e, scope),
                    DeadlineWhen::Window { from, to } => {
                        self.expr(i, from, scope);
                        self.expr(i, to, scope);
                    }
                }
                if let Some(t) = target {
                    self.expr(i, t, scope);
                }
                if let Some(m) = met {
                    self.expr(i, m, scope);
                }
            }
            Effect::Withhold {
                judgement: Some(judgement),
            } => {
                self.reference(Key::Name(judgement.node.clone()), i, judgement.span);
            }
            Effect::Advise { message } => self.message(i, message, scope),
            Effect::Withhold { judgement: None } => {}
            Effect::Likely {
                judgement, value, ..
            } => {
                self.reference(Key::Name(judgement.node.clone()), i, judgement.span);
                let of = self.judgement_types.get(&judgement.node).cloned();
                self.value_ref(of, &value.node, i, value.span);
            }
        }
    }

    /// The names a message's `{name}` parts read, each as a path in an
    /// expression is. A part whose place in the source is not known (its
    /// span is not the name's length) is left out.
    pub(super) fn message(&mut self, i: usize, text: &Spanned<String>, scope: &[Bound]) {
        for piece in judgement_syntax::message_pieces(text) {
            if let Piece::Value {
                name, name_span, ..
            } = piece
            {
                if name.is_empty() || name_span.len() != name.len() {
                    continue;
                }
                let path =
                    judgement_syntax::ast::Path(name.split('.').map(str::to_string).collect());
                self.path(i, &path, name_span, scope);
            }
        }
    }

    /// An action, finding or deadline a rule gives: each rule that gives it
    /// declares it.
    fn outcome(&mut self, i: usize, name: &Spanned<String>, kind: Kind) {
        let key = outcome_key(kind, &name.node);
        if let Some(rule) = &self.rule {
            let givers = self.givers.entry(key.clone()).or_default();
            if !givers.contains(rule) {
                givers.push(rule.clone());
            }
        }
        self.decl(
            key,
            i,
            name.span,
            Decl {
                kind,
                name: name.node.clone(),
                of_type: None,
                detail: format!("**{}** `{}`", kind.word(), name.node),
            },
        );
    }

    pub(super) fn assignments(&mut self, i: usize, assignments: &[Assignment]) {
        for a in assignments {
            let path = a.path.node.to_string();
            let ty = self.field_types.get(&path).cloned();
            self.pending.push(Pending {
                text: path,
                file: i,
                span: a.path.span,
                of: None,
            });
            self.value(i, &a.value, ty.as_ref());
        }
    }

    /// A value a test or example writes, of the type `ty` where it is
    /// known: a value's name is a read of its scale or choice (or, in a
    /// list, of the list's), and each field a record in a list sets is a
    /// read of the record's field, its value read in turn.
    fn value(&mut self, i: usize, value: &Spanned<Value>, ty: Option<&TypeExpr>) {
        let named = ty.map(|t| match t {
            TypeExpr::Named(n) | TypeExpr::ListOf(n) => n.clone(),
        });
        match &value.node {
            Value::Name(v) => self.value_ref(named, v, i, value.span),
            Value::List(values) => {
                for v in values {
                    self.value(i, v, ty);
                }
            }
            Value::Record(fields) => {
                for a in fields {
                    let field = a.path.node.to_string();
                    let record_field = named.clone().map(|record| (record, field));
                    let field_ty = record_field
                        .as_ref()
                        .and_then(|key| self.record_fields.get(key))
                        .cloned();
                    if let (Some((record, field)), Some(_)) = (record_field, &field_ty) {
                        self.reference(Key::RecordField(record, field), i, a.path.span);
                    }
                    self.value(i, &a.value, field_ty.as_ref());
                }
            }
            _ => {}
        }
    }

    pub(super) fn expectation(&mut self, i: usize, e: &Expectation) {
        let name = |n: &Spanned<String>| (Key::Name(n.node.clone()), n.span);
        let rule = |n: &Spanned<String>| (Key::Rule(n.node.clone()), n.span);
        // An action, deadline or finding, and the rule of `from rule R`.
        let given = |kind: Kind, n: &Spanned<String>, r: &Option<Spanned<String>>| {
            let mut refs = vec![(outcome_key(kind, &n.node), n.span)];
            refs.extend(r.as_ref().map(rule));
            refs
        };
        let refs: Vec<(Key, Span)> = match e {
            Expectation::Judgement { name: j, value } => {
                if let Some(v) = value {
                    let of = self.judgement_types.get(&j.node).cloned();
                    self.value_ref(of, &v.node, i, v.span);
                }
                vec![name(j)]
            }
            Expectation::Action {
                name: n, rule: r, ..
            }
            | Expectation::NoAction {
                name: n, rule: r, ..
            } => given(Kind::Action, n, r),
            Expectation::Deadline {
                name: n, rule: r, ..
            }
            | Expectation::NoDeadline {
                name: n, rule: r, ..
            } => given(Kind::Deadline, n, r),
            Expectation::Finding {
                name: n, rule: r, ..
            }
            | Expectation::NoFinding {
                name: n, rule: r, ..
            } => given(Kind::Finding, n, r),
            Expectation::Provisional { judgement, .. } => vec![name(judgement)],
            Expectation::Advisory { rule: r, .. }
            | Expectation::NoAdvisory { rule: r, .. }
            | Expectation::Undetermined { rule: r }
            | Expectation::NoUndetermined { rule: r } => vec![rule(r)],
            Expectation::Bound { judgement, rule: r }
            | Expectation::NotBound { judgement, rule: r } => vec![name(judgement), rule(r)],
            Expectation::NoJudgement
            | Expectation::NoActions
            | Expectation::NoFindings
            | Expectation::NoAdvisories
            | Expectation::Error { .. } => Vec::new(),
        };
        for (key, span) in refs {
            self.reference(key, i, span);
        }
    }
}
