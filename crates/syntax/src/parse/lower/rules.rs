//! Lowering rules and `invalid` checks: their clauses, and the effects a
//! rule has (constraints, actions, findings, deadlines, `likely`, `advise`).

use super::{parts, Lower};
use crate::ast::*;
use crate::error::SyntaxError;
use crate::parse::{Result, Rule};
use crate::span::Spanned;
use pest::iterators::Pair;

impl Lower<'_> {
    pub(super) fn lower_rule_decl(&mut self, pair: Pair<'_, Rule>) -> Result<RuleDecl> {
        let mut inner = parts(&pair);
        let id = self.text(&inner.next().ok_or_else(|| self.internal(&pair))?);
        let mut rule = RuleDecl {
            id,
            citation: None,
            quote: None,
            notes: Vec::new(),
            for_each: None,
            when: None,
            effects: Vec::new(),
        };
        for clause in inner {
            let span = self.span_of(&clause);
            let mut parts = parts(&clause);
            let once = match clause.as_rule() {
                Rule::quote_clause => Some(("`quote`", rule.quote.is_some())),
                Rule::for_each_clause => Some(("`for each`", rule.for_each.is_some())),
                Rule::when_clause => Some(("`when`", rule.when.is_some())),
                _ => None,
            };
            if let Some((what, true)) = once {
                let help = if clause.as_rule() == Rule::when_clause {
                    "a rule has one condition: join the two with `and`"
                } else {
                    "a rule has one of these: keep the one you mean, or split the rule"
                };
                self.errors.push(SyntaxError::Repeated {
                    what: format!("{what} of the rule `{}`", rule.id.node),
                    help: help.into(),
                    span,
                });
            }
            match clause.as_rule() {
                Rule::string => rule.citation = Some(self.lower_string(&clause)),
                Rule::quote_clause => {
                    rule.quote = Some(self.lower_string(&self.child(&mut parts, &clause)?));
                }
                Rule::note_clause => {
                    let note = self.lower_string(&self.child(&mut parts, &clause)?);
                    rule.notes.push(note);
                }
                Rule::for_each_clause => rule.for_each = Some(self.lower_for_each(&clause)?),
                Rule::when_clause => {
                    rule.when = Some(self.lower_expr(self.child(&mut parts, &clause)?)?);
                }
                Rule::then_clause => {
                    let effect = self.lower_effect(self.child(&mut parts, &clause)?)?;
                    rule.effects.push(Spanned::new(effect, span));
                }
                Rule::likely_clause => {
                    let (judgement, op, value) = self.lower_likely(&clause)?;
                    rule.effects.push(Spanned::new(
                        Effect::Likely {
                            judgement,
                            op,
                            value,
                        },
                        span,
                    ));
                }
                Rule::advise_clause => {
                    let message = self.lower_string(&self.child(&mut parts, &clause)?);
                    rule.effects
                        .push(Spanned::new(Effect::Advise { message }, span));
                }
                _ => return Err(self.internal(&clause)),
            }
        }
        Ok(rule)
    }

    pub(super) fn lower_for_each(&mut self, pair: &Pair<'_, Rule>) -> Result<ForEach> {
        let mut parts = parts(pair);
        let var = self.text(&self.child(&mut parts, pair)?);
        let list = self.lower_term(self.child(&mut parts, pair)?)?;
        Ok(ForEach { var, list })
    }

    pub(super) fn lower_invalid_decl(&mut self, pair: Pair<'_, Rule>) -> Result<InvalidDecl> {
        let mut id = None;
        let mut message = None;
        let mut for_each = None;
        let mut when = None;
        for p in pair.clone().into_inner() {
            match p.as_rule() {
                Rule::kw_invalid => {}
                Rule::ident => id = Some(self.text(&p)),
                Rule::string => message = Some(self.lower_string(&p)),
                Rule::for_each_clause => for_each = Some(self.lower_for_each(&p)?),
                Rule::when_clause => {
                    let cond = p
                        .clone()
                        .into_inner()
                        .find(|q| q.as_rule() == Rule::expr)
                        .ok_or_else(|| self.internal(&p))?;
                    when = Some(self.lower_expr(cond)?);
                }
                _ => return Err(self.internal(&p)),
            }
        }
        match (id, message, when) {
            (Some(id), Some(message), Some(when)) => Ok(InvalidDecl {
                id,
                message,
                for_each,
                when,
            }),
            _ => Err(self.internal(&pair)),
        }
    }

    /// `J = V` or `J at most V` of a `likely` clause: a scale value by name.
    pub(super) fn lower_likely(
        &mut self,
        pair: &Pair<'_, Rule>,
    ) -> Result<(Name, ConstraintOp, Name)> {
        let (judgement, op, value) = self.lower_constraint(pair)?;
        Ok((judgement, op, self.text(&value)))
    }

    pub(super) fn lower_constraint<'i>(
        &mut self,
        pair: &Pair<'i, Rule>,
    ) -> Result<(Name, ConstraintOp, Pair<'i, Rule>)> {
        let mut parts = parts(pair);
        let judgement = self.text(&parts.next().ok_or_else(|| self.internal(pair))?);
        let op_pair = parts.next().ok_or_else(|| self.internal(pair))?;
        let op = match op_pair.clone().into_inner().next().map(|p| p.as_rule()) {
            Some(Rule::op_at_most) => ConstraintOp::AtMost,
            Some(Rule::op_at_least) => ConstraintOp::AtLeast,
            Some(Rule::op_equals) => ConstraintOp::Equal,
            _ => return Err(self.internal(&op_pair)),
        };
        let value = parts.next().ok_or_else(|| self.internal(pair))?;
        Ok((judgement, op, value))
    }

    pub(super) fn lower_effect(&mut self, pair: Pair<'_, Rule>) -> Result<Effect> {
        let mut parts = parts(&pair);
        Ok(match pair.as_rule() {
            Rule::withhold_effect => Effect::Withhold {
                judgement: parts.next().map(|p| self.text(&p)),
            },
            Rule::action_effect => {
                let name = self.text(&parts.next().ok_or_else(|| self.internal(&pair))?);
                let mut label = None;
                let mut due = None;
                for p in parts {
                    match p.as_rule() {
                        Rule::string => label = Some(self.lower_string(&p)),
                        _ => due = Some(self.lower_expr(p)?),
                    }
                }
                Effect::Action { name, label, due }
            }
            Rule::finding_effect => {
                let name = self.text(&parts.next().ok_or_else(|| self.internal(&pair))?);
                let message = parts.next().map(|p| self.lower_string(&p));
                Effect::Finding { name, message }
            }
            Rule::constraint_effect => {
                let (judgement, op, value) = self.lower_constraint(&pair)?;
                let value = self.lower_expr(value)?;
                Effect::Constrain {
                    judgement,
                    op,
                    value,
                }
            }
            Rule::deadline_effect => {
                let mut first = parts.next().ok_or_else(|| self.internal(&pair))?;
                let optional = first.as_rule() == Rule::deadline_optional;
                if optional {
                    first = parts.next().ok_or_else(|| self.internal(&pair))?;
                }
                let name = self.text(&first);
                let when_pair = parts.next().ok_or_else(|| self.internal(&pair))?;
                let (mut target, mut met) = (None, None);
                for part in parts {
                    let e = part
                        .clone()
                        .into_inner()
                        .find(|q| q.as_rule() == Rule::expr)
                        .ok_or_else(|| self.internal(&part))?;
                    match part.as_rule() {
                        Rule::deadline_target => target = Some(self.lower_expr(e)?),
                        Rule::deadline_met => met = Some(Box::new(self.lower_expr(e)?)),
                        _ => return Err(self.internal(&part)),
                    }
                }
                let mut exprs = when_pair
                    .clone()
                    .into_inner()
                    .filter(|p| p.as_rule() == Rule::expr);
                let first =
                    self.lower_expr(exprs.next().ok_or_else(|| self.internal(&when_pair))?)?;
                let when = match exprs.next() {
                    Some(to) => DeadlineWhen::Window {
                        from: first,
                        to: self.lower_expr(to)?,
                    },
                    None => DeadlineWhen::On(first),
                };
                Effect::Deadline {
                    name,
                    when,
                    target,
                    met,
                    optional,
                }
            }
            _ => return Err(self.internal(&pair)),
        })
    }
}
