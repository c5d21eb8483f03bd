//! Rules and `invalid` checks: the list a rule runs over, its condition, its
//! effects (constraints, actions, findings, deadlines, advisories) and the
//! messages they show. The lints of a rule (its citation, advisory words
//! with a hard effect) and the conflicts seen without evidence are in
//! `lints`.

use super::expr::{merge, Binder, NullSource, Scope};
use super::{Broken, Checker, Global, RuleConditions};
use crate::diagnostic::CheckError;
use crate::model::*;
use crate::suggest;
use crate::types::Type;
use judgement_syntax::ast::{self, ConstraintOp, Effect, Expr, Item};
use judgement_syntax::{Piece, Span, Spanned};
use std::collections::HashMap;

/// What checking a rule's condition and effects collected.
struct Checked {
    reads: Vec<FieldId>,
    judgements: Vec<JudgementId>,
    effect_judgements: Vec<JudgementId>,
    when: Option<ExprId>,
    effects: Vec<EffectDef>,
}

impl Checker {
    /// Check every rule and `invalid` check; each checked one's condition
    /// and list, borrowed from the file, for the conflict lint
    /// ([`Checker::check_static_conflicts`]).
    pub(super) fn check_rules<'i>(&mut self, items: &[&'i Item]) -> RuleConditions<'i> {
        let mut guards = RuleConditions::new();
        let mut ids: HashMap<String, Span> = HashMap::new();
        for item in items {
            let (id, span) = match item {
                Item::Rule(r) => (&r.id.node, r.id.span),
                Item::Invalid(v) => (&v.id.node, v.id.span),
                _ => continue,
            };
            if let Some(first) = ids.get(id) {
                let first = *first;
                self.duplicate("the rule", id, span, first);
                continue;
            }
            ids.insert(id.clone(), span);
            let checked = self.model.rules.len();
            let (when, list) = match item {
                Item::Rule(r) => {
                    self.check_rule(r);
                    (r.when.as_ref(), r.for_each.as_ref())
                }
                Item::Invalid(v) => {
                    self.check_invalid(v);
                    (Some(&v.when), v.for_each.as_ref())
                }
                _ => continue,
            };
            // One guard for each rule the checks kept, at its id.
            if self.model.rules.len() > checked {
                guards.push((when.map(|w| &w.node), list.map(|f| &f.list.node)));
            }
        }
        guards
    }

    /// `for each X in LIST`: the list and the scope it opens.
    fn for_each(&mut self, fe: &ast::ForEach) -> Option<(ForEachDef, Vec<Binder>)> {
        let list = self.check_value_expr(&fe.list, &[])?;
        let Type::List(elem) = list.ty else {
            let got = self.shown(list.ty);
            self.errors.push(
                CheckError::error(
                    format!("`for each` needs a list, but this is `{got}`"),
                    fe.list.span,
                    "not a list",
                )
                .with_help("name a list field of the evidence, or `months from A to B`"),
            );
            return None;
        };
        self.require_guarded(&list, &[], fe.list.span)?;
        let scope = self.bind(&[], &fe.var, elem)?;
        let def = ForEachDef {
            var: fe.var.node.clone(),
            list: list.id,
            elem,
            list_name: judgement_syntax::format_expr(&fe.list.node),
        };
        Some((def, scope))
    }

    fn check_rule(&mut self, r: &ast::RuleDecl) {
        let cite = self.citation(r);
        let (for_each, scope) = match &r.for_each {
            Some(fe) => match self.for_each(fe) {
                Some((def, scope)) => (Some(def), scope),
                None => return,
            },
            None => (None, Vec::new()),
        };
        let Some(checked) = self.condition_and_effects(r.when.as_ref(), &r.effects, &scope) else {
            return;
        };
        if checked.effects.is_empty() {
            self.errors.push(
                CheckError::error(
                    format!("the rule `{}` does nothing", r.id.node),
                    r.id.span,
                    "no effect",
                )
                .with_help("add `then ...`, `likely ...` or `advise \"...\"`"),
            );
            return;
        }
        self.lint_strength(r);
        self.model.rules.push(RuleDef {
            id: r.id.node.clone(),
            cite,
            quote: r.quote.as_ref().map(|q| q.node.clone()),
            notes: r.notes.iter().map(|n| n.node.clone()).collect(),
            for_each,
            when: checked.when,
            effects: checked.effects,
            reads: checked.reads,
            reads_judgements: checked.judgements,
            effect_judgements: checked.effect_judgements,
            is_check: false,
            span: r.id.span,
        });
    }

    /// `invalid ID "MESSAGE" [for each ...] when CONDITION`: a check of the
    /// evidence alone, run before any rule.
    fn check_invalid(&mut self, v: &ast::InvalidDecl) {
        let (for_each, scope) = match &v.for_each {
            Some(fe) => match self.for_each(fe) {
                Some((def, scope)) => (Some(def), scope),
                None => return,
            },
            None => (None, Vec::new()),
        };
        let Some(cond) = self.check_condition(&v.when, &scope) else {
            return;
        };
        if !cond.judgements.is_empty() {
            self.errors.push(
                CheckError::error(
                    "an `invalid` check reads the evidence, not judgements",
                    v.when.span,
                    "reads a judgement",
                )
                .with_help("evidence is checked before any judgement is made"),
            );
            return;
        }
        let mut judgements = Vec::new();
        let Some(message) = self.message(&v.message, &scope, &mut judgements) else {
            return;
        };
        if !judgements.is_empty() {
            self.errors.push(
                CheckError::error(
                    "an `invalid` check's message reads a judgement",
                    v.message.span,
                    "reads a judgement",
                )
                .with_help("evidence is checked before any judgement is made"),
            );
            return;
        }
        self.model.rules.push(RuleDef {
            id: v.id.node.clone(),
            cite: String::new(),
            quote: None,
            notes: Vec::new(),
            for_each,
            when: Some(cond.id),
            effects: vec![EffectDef::Reject { message }],
            reads: cond.reads,
            reads_judgements: Vec::new(),
            effect_judgements: Vec::new(),
            is_check: true,
            span: v.id.span,
        });
    }

    fn condition_and_effects(
        &mut self,
        when: Option<&Spanned<Expr>>,
        effects: &[Spanned<Effect>],
        scope: Scope<'_>,
    ) -> Option<Checked> {
        let mut checked = Checked {
            reads: Vec::new(),
            judgements: Vec::new(),
            effect_judgements: Vec::new(),
            when: None,
            effects: Vec::new(),
        };
        let mut facts = Vec::new();
        let mut failed = false;
        if let Some(cond) = when {
            match self.check_condition(cond, scope) {
                Some(t) => {
                    checked.reads = t.reads;
                    checked.judgements = t.judgements;
                    facts = t.facts;
                    checked.when = Some(t.id);
                }
                // The effects are checked all the same, so that every
                // problem of the rule is reported at once; what the
                // condition would have guarded is not known.
                None => failed = true,
            }
        }
        let guards_unknown = std::mem::replace(&mut self.guards_unknown, failed);
        for e in effects {
            match self.check_effect(&e.node, scope, &facts, &mut checked.effect_judgements) {
                Some(def) => checked.effects.push(def),
                None => failed = true,
            }
        }
        self.guards_unknown = guards_unknown;
        (!failed).then_some(checked)
    }

    fn check_effect(
        &mut self,
        effect: &Effect,
        scope: Scope<'_>,
        facts: &[NullSource],
        judgement_reads: &mut Vec<JudgementId>,
    ) -> Option<EffectDef> {
        Some(match effect {
            Effect::Constrain {
                judgement,
                op,
                value,
            } => {
                let (j, bound, reads) = self.bound(judgement, value, scope, facts)?;
                *judgement_reads = merge(judgement_reads, &reads);
                EffectDef::Constrain {
                    judgement: j,
                    op: *op,
                    value: bound,
                }
            }
            Effect::Likely {
                judgement,
                op,
                value,
            } => {
                let (j, scale) = self.judgement_named(judgement)?;
                self.scale_value(scale, value)?;
                let relation = match op {
                    ConstraintOp::Equal => "",
                    ConstraintOp::AtMost => "at most ",
                    ConstraintOp::AtLeast => "at least ",
                };
                let name = self
                    .model
                    .judgements
                    .get(j)
                    .map(|d| d.name.clone())
                    .unwrap_or_default();
                EffectDef::Advise {
                    message: Message {
                        parts: vec![MessagePart::Text(format!(
                            "{name} is likely to be {relation}{}",
                            value.node.replace('_', " ")
                        ))],
                    },
                }
            }
            Effect::Advise { message } => EffectDef::Advise {
                message: self.message(message, scope, judgement_reads)?,
            },
            Effect::Action { name, label, due } => {
                let label = match label {
                    Some(l) => Some(self.message(l, scope, judgement_reads)?),
                    None => None,
                };
                let due = match due {
                    Some(d) => Some(self.check_date_expr(d, scope, facts, judgement_reads)?),
                    None => None,
                };
                EffectDef::Action {
                    name: name.node.clone(),
                    label,
                    due,
                }
            }
            Effect::Finding { name, message } => EffectDef::Finding {
                name: name.node.clone(),
                message: match message {
                    Some(m) => Some(self.message(m, scope, judgement_reads)?),
                    None => None,
                },
            },
            Effect::Withhold { judgement: None } => EffectDef::Withhold(None),
            Effect::Withhold {
                judgement: Some(name),
            } => {
                let (j, _) = self.judgement_named(name)?;
                EffectDef::Withhold(Some(j))
            }
            Effect::Deadline {
                name,
                when,
                target,
                met,
                optional,
            } => {
                let target = match target {
                    Some(t) => Some(self.check_date_expr(t, scope, facts, judgement_reads)?),
                    None => None,
                };
                let met = match met {
                    Some(m) => Some(self.check_met_date(m, scope, judgement_reads)?),
                    None => None,
                };
                match when {
                    ast::DeadlineWhen::On(e) => EffectDef::Deadline {
                        name: name.node.clone(),
                        on: self.check_date_expr(e, scope, facts, judgement_reads)?,
                        target,
                        met,
                        optional: *optional,
                    },
                    ast::DeadlineWhen::Window { from, to } => {
                        let f = self.check_date_expr(from, scope, facts, judgement_reads);
                        let t = self.check_date_expr(to, scope, facts, judgement_reads);
                        EffectDef::Window {
                            name: name.node.clone(),
                            from: f?,
                            to: t?,
                            target,
                            met,
                            optional: *optional,
                        }
                    }
                }
            }
        })
    }

    /// A deadline's date, a window's ends, a target or a due date: a date,
    /// none of it read unguarded where it may be none.
    fn check_date_expr(
        &mut self,
        e: &Spanned<Expr>,
        scope: Scope<'_>,
        facts: &[NullSource],
        judgement_reads: &mut Vec<JudgementId>,
    ) -> Option<ExprId> {
        let what = "a deadline or due date is a date";
        self.check_a_date(e, scope, Some(facts), judgement_reads, what)
    }

    /// A deadline's `met on DATE`: a date that may be `none` (not met)
    /// without a guard, since not met is what none says.
    fn check_met_date(
        &mut self,
        e: &Spanned<Expr>,
        scope: Scope<'_>,
        judgement_reads: &mut Vec<JudgementId>,
    ) -> Option<ExprId> {
        let what = "`met on` takes the date a deadline was met";
        self.check_a_date(e, scope, None, judgement_reads, what)
    }

    /// An expression of type date (`what` says why one is needed); with
    /// `facts`, one that may be none must be guarded by them.
    fn check_a_date(
        &mut self,
        e: &Spanned<Expr>,
        scope: Scope<'_>,
        facts: Option<&[NullSource]>,
        judgement_reads: &mut Vec<JudgementId>,
        what: &str,
    ) -> Option<ExprId> {
        let t = self.check_value_expr(e, scope)?;
        if t.ty != Type::Date {
            let got = self.shown(t.ty);
            self.errors.push(CheckError::error(
                format!("{what}, but this is `{got}`"),
                e.span,
                "not a date",
            ));
            return None;
        }
        if let Some(facts) = facts {
            self.require_guarded(&t, facts, e.span)?;
        }
        *judgement_reads = merge(judgement_reads, &t.judgements);
        Some(t.id)
    }

    /// What a constraint bounds its judgement by: a value of the scale by
    /// name, or an expression of the scale (evidence, another judgement).
    fn bound(
        &mut self,
        judgement: &ast::Name,
        value: &Spanned<Expr>,
        scope: Scope<'_>,
        facts: &[NullSource],
    ) -> Option<(JudgementId, Bound, Vec<JudgementId>)> {
        let (j, scale) = self.judgement_named(judgement)?;
        // `then overall = inadequate and lm = inadequate`: two effects
        // written as one, which reads as a bound joined to a condition.
        if let Expr::Binary {
            op: op @ (ast::BinaryOp::And | ast::BinaryOp::Or),
            ..
        } = &value.node
        {
            self.errors.push(
                CheckError::error(
                    format!("a judgement's bound is a value of its scale, but this is joined with `{op}`"),
                    value.span,
                    "not one value",
                )
                .with_help(
                    "each effect is a line of its own, starting with `then`: `then overall = inadequate`, and below it `then leaders = inadequate`",
                ),
            );
            return None;
        }
        if let Expr::Path(p) = &value.node {
            if let Some(name) = p.single() {
                let bound_by_name = !self.globals.contains_key(name)
                    && !scope.iter().any(|b| b.name == name)
                    && !self.pending_lets.contains_key(name)
                    && !self.field_by_path.contains_key(name);
                if bound_by_name {
                    let v = self.scale_value(scale, &Spanned::new(name.to_string(), value.span))?;
                    return Some((j, Bound::Const(v), Vec::new()));
                }
            }
        }
        // `then overall at most "good"`: a value of the scale in quotes.
        if let Some(help) = self.value_in_quotes(scale, value) {
            let want = self.shown(Type::Enum {
                id: scale,
                ordered: true,
            });
            self.errors.push(
                CheckError::error(
                    format!("this judgement takes a `{want}`, but this is `text`"),
                    value.span,
                    "wrong scale",
                )
                .with_help(help),
            );
            return None;
        }
        let want = Type::Enum {
            id: scale,
            ordered: true,
        };
        let t = self.check_expr_of(value, scope, facts, want)?;
        if t.ty != want {
            let (want, got) = (self.shown(want), self.shown(t.ty));
            self.errors.push(CheckError::error(
                format!("this judgement takes a `{want}`, but this is `{got}`"),
                value.span,
                "wrong scale",
            ));
            return None;
        }
        self.require_guarded(&t, facts, value.span)?;
        if t.judgements.contains(&j) {
            self.errors.push(CheckError::error(
                "a judgement cannot be bounded by its own value",
                value.span,
                "reads the judgement it bounds",
            ));
            return None;
        }
        if let Node::Const(crate::value::Value::Enum(v)) = self.model.exprs.get(t.id)? {
            return Some((j, Bound::Const(*v), t.judgements));
        }
        Some((j, Bound::Expr(t.id), t.judgements))
    }

    pub(super) fn judgement_named(
        &mut self,
        judgement: &ast::Name,
    ) -> Option<(JudgementId, crate::types::EnumId)> {
        match self.globals.get(&judgement.node) {
            Some((Global::Judgement(j), _)) => {
                let j = *j;
                Some((j, self.model.judgements.get(j)?.scale))
            }
            _ if self.broken_names.get(&judgement.node) == Some(&Broken::Judgement) => None,
            _ => {
                let near = suggest::did_you_mean(
                    &judgement.node,
                    self.model.judgements.iter().map(|j| j.name.as_str()),
                );
                self.errors.push(
                    CheckError::error(
                        format!("there is no judgement `{}`", judgement.node),
                        judgement.span,
                        "unknown judgement",
                    )
                    .with_help(suggest::help_with(near, self.judgement_names_help())),
                );
                None
            }
        }
    }

    pub(super) fn scale_value(
        &mut self,
        scale: crate::types::EnumId,
        value: &ast::Name,
    ) -> Option<u16> {
        if let Some(v) = self.enum_value(scale, &value.node) {
            return Some(v);
        }
        let def = self.model.enums.get(scale);
        let scale_name = def.map(|e| e.name.clone()).unwrap_or_default();
        let values = def.map(|e| e.values.join(", ")).unwrap_or_default();
        self.errors.push(
            CheckError::error(
                format!(
                    "`{}` is not a value of the scale `{scale_name}`",
                    value.node
                ),
                value.span,
                "not on the scale",
            )
            .with_help(suggest::help_with(
                self.near_value(scale, &value.node),
                format!("the values are {values}"),
            )),
        );
        None
    }

    pub(super) fn judgement_names_help(&self) -> String {
        let names: Vec<&str> = self
            .model
            .judgements
            .iter()
            .map(|j| j.name.as_str())
            .collect();
        if names.is_empty() {
            let mut failed: Vec<&str> = self
                .broken_names
                .iter()
                .filter(|(_, kind)| **kind == Broken::Judgement)
                .map(|(name, _)| name.as_str())
                .collect();
            failed.sort_unstable();
            if let Some(first) = failed.first() {
                return format!("no judgement checked: `{first}` has an error of its own");
            }
            return "no judgement is declared: declare one with `judgement NAME: SCALE from FIELD`"
                .to_string();
        }
        format!("the judgements are {}", names.join(", "))
    }

    /// A message with `{name}` parts that show a value (`{{` is a brace).
    /// The judgements it shows are added to `judgement_reads`: the rule
    /// waits for them to be made, as for those its effects read. Every
    /// part that does not check is reported, not only the first.
    pub(super) fn message(
        &mut self,
        text: &Spanned<String>,
        scope: Scope<'_>,
        judgement_reads: &mut Vec<JudgementId>,
    ) -> Option<Message> {
        let mut parts = Vec::new();
        let mut literal = String::new();
        let mut failed = false;
        for piece in judgement_syntax::message_pieces(text) {
            let (name, span) = match piece {
                Piece::Text(shown) => {
                    literal.push_str(shown);
                    continue;
                }
                Piece::Brace(brace) => {
                    literal.push(brace);
                    continue;
                }
                Piece::Unpaired(span) => {
                    self.errors.push(
                        CheckError::error("a brace without its pair", span, "unmatched brace")
                            .with_help("`{name}` shows a value; write `{{` or `}}` for a brace"),
                    );
                    failed = true;
                    continue;
                }
                Piece::Value { name, span, .. } => (name, span),
            };
            let path = ast::Path(name.split('.').map(str::to_string).collect());
            let valid = !name.is_empty()
                && path.0.iter().all(|seg| {
                    seg.chars()
                        .next()
                        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
                        && seg.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                });
            if !valid {
                self.errors.push(
                    CheckError::error(
                        format!("`{{{name}}}` does not name a value"),
                        span,
                        "not a name",
                    )
                    .with_help("write a field, let or element field: `{vacancy}`, `{notice.id}`"),
                );
                failed = true;
                continue;
            }
            if !literal.is_empty() {
                parts.push(MessagePart::Text(std::mem::take(&mut literal)));
            }
            let Some(t) = self.check_value_expr(&Spanned::new(Expr::Path(path), span), scope)
            else {
                failed = true;
                continue;
            };
            if matches!(t.ty, Type::List(_) | Type::Record(_)) {
                self.errors.push(CheckError::error(
                    format!("`{{{name}}}` is a list or record and cannot be shown"),
                    span,
                    "not a value",
                ));
                failed = true;
                continue;
            }
            *judgement_reads = merge(judgement_reads, &t.judgements);
            parts.push(MessagePart::Value {
                expr: t.id,
                ty: t.ty,
            });
        }
        if failed {
            return None;
        }
        if !literal.is_empty() || parts.is_empty() {
            parts.push(MessagePart::Text(literal));
        }
        Some(Message { parts })
    }
}
