//! The explanation's judgements: each made, set aside or withheld, with
//! the constraints that bound it, and those still provisional.

use super::{capital, list, prose, title, Explainer};
use crate::outcome::{Constraint, JudgementDetail, Relation, RuleResult, TraceStep};

impl<'a> Explainer<'a> {
    pub(super) fn judgements(&mut self) {
        self.heading("Judgements");
        let model = self.ruleset.model();
        if model.judgements.is_empty() {
            self.para(2, "None: this ruleset makes no judgements.");
        }
        for def in &model.judgements {
            let scale = model
                .enums
                .get(def.scale)
                .map(|e| e.values.as_slice())
                .unwrap_or_default();
            let Some(detail) = self.outcome.details.get(def.name.as_str()) else {
                continue;
            };
            if let Some(by) = &detail.withheld_by {
                let proposed = match detail.proposed {
                    Some(p) => format!("Proposed {}; withheld", prose(p)),
                    None => "No grade was proposed; withheld".to_string(),
                };
                let text = format!(
                    "{}: no judgement is made. {proposed} by {}.",
                    title(&def.name),
                    self.rule(by.rule, by.cite)
                );
                self.para(2, &text);
                self.rule_words(by.rule, 4);
                self.set_aside(&def.name, by.rule);
            } else if detail.value.is_none() {
                let text = match def.applies.and_then(|e| self.expr_text(e)) {
                    Some(c) => format!(
                        "{}: not made at this inspection; it is made only when {c}.",
                        title(&def.name)
                    ),
                    None => format!("{}: not made at this inspection.", title(&def.name)),
                };
                self.para(2, &text);
            } else {
                self.judgement(&def.name, detail, scale);
            }
            if let Some(p) = &detail.provisional {
                let text = format!(
                    "This is provisional: {} could not be decided and could change it, because the evidence does not say {}.",
                    list(&p.rules.iter().map(|r| format!("rule {r}")).collect::<Vec<_>>()),
                    list(&p.missing)
                );
                self.para(4, &text);
            }
        }
    }

    /// Under a judgement withheld: the other rules that fired and would
    /// have withheld it, or bound it, which the withholding set aside (a
    /// vacancy's forced judgement at a home Annex G gives none).
    fn set_aside(&mut self, judgement: &str, withheld_by: &str) {
        let model = self.ruleset.model();
        let mut said: Vec<(&str, Option<&str>)> = Vec::new();
        for step in self.trace {
            let TraceStep::Rule {
                rule,
                cite,
                result: RuleResult::Fired,
                item,
                ..
            } = step
            else {
                continue;
            };
            let key = (*rule, item.as_deref());
            if *rule == withheld_by || said.contains(&key) {
                continue;
            }
            let Some(def) = self.ruleset.rule_def(rule) else {
                continue;
            };
            for effect in &def.effects {
                let what = match effect {
                    crate::model::EffectDef::Withhold(_)
                        if model
                            .judgements
                            .iter_ids()
                            .any(|(j, d)| d.name == judgement && effect.withholds(j)) =>
                    {
                        "withholds it too".to_string()
                    }
                    crate::model::EffectDef::Constrain {
                        judgement: j,
                        op,
                        value,
                    } if model
                        .judgements
                        .get(*j)
                        .is_some_and(|d| d.name == judgement) =>
                    {
                        let bound = match value {
                            crate::model::Bound::Const(v) => model
                                .judgements
                                .get(*j)
                                .and_then(|d| model.enums.get(d.scale))
                                .and_then(|e| e.values.get(usize::from(*v)))
                                .map(|v| prose(v)),
                            crate::model::Bound::Expr(_) => None,
                        };
                        let relation = match op {
                            judgement_syntax::ast::ConstraintOp::Equal => "set it to",
                            judgement_syntax::ast::ConstraintOp::AtMost => "held it at most",
                            judgement_syntax::ast::ConstraintOp::AtLeast => "held it at least",
                        };
                        match bound {
                            Some(b) => format!("fired and {relation} {b}; with no judgement made, that has no effect"),
                            None => "fired and bound it; with no judgement made, that has no effect".to_string(),
                        }
                    }
                    _ => continue,
                };
                said.push(key);
                let text = format!(
                    "{}{} {what}.",
                    capital(&self.rule(rule, cite)),
                    self.item(rule, item.as_deref())
                );
                self.para(4, &text);
                break;
            }
        }
    }

    fn judgement(&mut self, name: &str, d: &JudgementDetail, scale: &[String]) {
        let value = d.value.map_or("no value".to_string(), prose);
        let rank = |v: &str| scale.iter().position(|s| s == v);
        let mut text = format!("{}: {value}.", title(name));
        let relation = |c: &Constraint| match c.relation {
            Relation::Equal => format!("set to {}", prose(c.value)),
            Relation::AtMost | Relation::AtLeast => prose(&c.text()),
        };
        let constraint = |c: &Constraint, me: &Self| {
            format!(
                "{}{}: {}",
                me.rule(c.rule, c.cite),
                me.item(c.rule, c.item.as_deref()),
                relation(c)
            )
        };
        let binding: Vec<String> = d.binding.iter().map(|c| constraint(c, self)).collect();
        match (&d.proposed, binding.is_empty()) {
            (Some(p), true) => {
                text.push_str(&format!(" Proposed {}; no rule changed it.", prose(p)))
            }
            (Some(p), false) => {
                let moved = match (rank(p), d.value.and_then(rank)) {
                    (Some(a), Some(b)) if b > a => "lowered",
                    (Some(a), Some(b)) if b < a => "raised",
                    _ => "set",
                };
                text.push_str(&format!(
                    " Proposed {}; {moved} by {}.",
                    prose(p),
                    list(&binding)
                ));
            }
            (None, false) => text.push_str(&format!(
                " No grade was proposed; set by {}.",
                list(&binding)
            )),
            (None, true) => text.push_str(" No grade was proposed."),
        }
        self.para(2, &text);
        for c in &d.binding {
            self.rule_words(c.rule, 4);
        }
        for c in &d.slack {
            // `= V` that did not bind set it to the value it has.
            let said = match c.relation {
                Relation::Equal => format!("also set it to {}", prose(c.value)),
                Relation::AtMost | Relation::AtLeast => format!("also said {}", relation(c)),
            };
            let text = format!(
                "{}{} {said}; that did not change the value.",
                capital(&self.rule(c.rule, c.cite)),
                self.item(c.rule, c.item.as_deref()),
            );
            self.para(4, &text);
        }
    }

    /// First of all, whether anything in the outcome could still change.
    pub(super) fn provisional(&mut self) {
        if !self.outcome.has_provisional() {
            return;
        }
        self.heading("Provisional");
        let mut missing: Vec<String> = self
            .outcome
            .undetermined
            .iter()
            .flat_map(|u| u.missing.iter().cloned())
            .collect();
        missing.sort();
        missing.dedup();
        let changing: Vec<String> = self
            .outcome
            .details
            .iter()
            .filter(|(_, d)| d.provisional.is_some())
            .map(|(name, _)| prose(name))
            .collect();
        let mut text =
            String::from("This outcome is not final: some hard rules could not be decided");
        if !missing.is_empty() {
            text.push_str(&format!(
                ", because the evidence does not say {}",
                list(&missing)
            ));
        }
        text.push('.');
        if !changing.is_empty() {
            text.push_str(&format!(
                " These judgements could change when it does: {}.",
                list(&changing)
            ));
        }
        text.push_str(" The section \"Undetermined\" below names each rule and what it would do.");
        self.para(2, &text);
    }
}
