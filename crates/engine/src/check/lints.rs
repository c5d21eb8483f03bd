//! Lints: what a file may say but likely does not mean. Warnings for a
//! threshold or let that nothing reads, a rule with no citation, and a rule
//! quoting only advisory words with a hard effect; and the one error found
//! without evidence, two rules that always fire together with a floor above
//! a cap.

use super::{Checker, RuleConditions};
use crate::diagnostic::{CheckError, Lint};
use crate::model::*;
use judgement_syntax::ast::{self, ConstraintOp};
use std::collections::HashMap;

/// Words that mark a hard obligation in the handbooks' text, besides
/// `will` (see [`has_hard_word`]).
const HARD_WORDS: &[&str] = &["always", "must", "certainly not", "cannot", "required"];
/// Words that mark advice only.
const ADVISORY_WORDS: &[&str] = &["likely", "may", "usually", "should consider", "normally"];
/// The advisory words that soften a `will` they follow ("will usually
/// spend", "will be likely", "will not normally").
const SOFTENING: &[&str] = &["likely", "usually", "normally"];
/// Words that may stand between `will` and the word that softens it.
const BETWEEN: &[&str] = &["be", "not", "also", "still", "then"];

/// Whether `lower` (a quote in lower case) has a word of obligation: one
/// of [`HARD_WORDS`], or a `will` that an advisory word does not soften.
/// The handbooks write most of their advice as "will usually" or "will
/// normally": such a `will` is no obligation.
fn has_hard_word(lower: &str) -> bool {
    if HARD_WORDS.iter().any(|w| contains_word(lower, w)) {
        return true;
    }
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    words.iter().enumerate().any(|(i, &w)| {
        w == "will"
            && !words
                .iter()
                .skip(i + 1)
                .find(|next| !BETWEEN.contains(next))
                .is_some_and(|next| SOFTENING.contains(next))
    })
}

/// For one judgement, within a group of rules with one condition: the best
/// floor and the worst cap, each with its rule.
type Bounds = (JudgementId, Option<(u16, RuleId)>, Option<(u16, RuleId)>);

/// A rule's condition and the list it runs over, written out: rules with the
/// same fire together. (Not `model::Guard`, the evaluator's.)
type Written = (Option<String>, Option<String>);

/// Whether a rule has a constant floor or cap (`then overall at most good`),
/// the effects two rules can conflict on.
fn has_constant(rule: &RuleDef) -> bool {
    rule.effects.iter().any(|e| {
        matches!(
            e,
            EffectDef::Constrain {
                value: Bound::Const(_),
                ..
            }
        )
    })
}

impl Checker {
    /// A rule's citation; a rule with none (or only blanks) is warned of,
    /// and `--strict` makes that an error.
    pub(super) fn citation(&mut self, r: &ast::RuleDecl) -> String {
        match &r.citation {
            Some(c) if !c.node.trim().is_empty() => c.node.clone(),
            _ => {
                self.errors.push(
                    CheckError::warning(
                        format!("the rule `{}` has no citation", r.id.node),
                        r.id.span,
                        "no citation",
                    )
                    .with_help("write the handbook paragraph after the id: `rule ID \"para 103\"`")
                    .with_lint(Lint::MissingCitation),
                );
                String::new()
            }
        }
    }

    /// A rule quoting only advisory words must not have a hard effect.
    pub(super) fn lint_strength(&mut self, r: &ast::RuleDecl) {
        let Some(quote) = &r.quote else { return };
        let lower = quote.node.to_lowercase();
        let has = |words: &[&str]| words.iter().any(|w| contains_word(&lower, w));
        let hard_effect = r.effects.iter().find(|e| e.node.is_hard());
        if let Some(effect) = hard_effect {
            if has(ADVISORY_WORDS) && !has_hard_word(&lower) {
                self.errors.push(
                    CheckError::warning(
                        format!("the rule `{}` quotes only advisory words but has a hard effect", r.id.node),
                        effect.span,
                        "hard effect",
                    )
                    .with_help("'likely', 'may' and 'usually' give an advisory (`likely ...` or `advise`), never a constraint"),
                );
            }
        }
    }

    /// Two rules with the same condition (or none) over the same list always
    /// fire together: a floor of one above a cap of the other is a conflict
    /// every evaluation would meet, so it is an error here already. Rules are
    /// grouped by their condition first, and each group gives at most one
    /// error a judgement (the best floor against the worst cap), so a file of
    /// many conflicting rules gives a few errors, quickly.
    ///
    /// Only a rule with a constant floor or cap can conflict, and few rules
    /// have one: their conditions alone are written out to be grouped
    /// (writing out every rule's condition was 1.5% of compiling a ruleset).
    /// Only if they conflict are all the rules grouped again, so that the
    /// groups, and so the errors, keep the order of the first rule of any kind
    /// with each condition.
    pub(super) fn check_static_conflicts(&mut self, guards: &RuleConditions<'_>) {
        let mut found = self.conflicts(guards, true);
        if !found.is_empty() {
            found = self.conflicts(guards, false);
        }
        for (a, b, j) in found {
            let (Some(ra), Some(rb)) = (self.model.rules.get(a), self.model.rules.get(b)) else {
                continue;
            };
            let judgement = self
                .model
                .judgements
                .get(j)
                .map(|d| d.name.clone())
                .unwrap_or_default();
            let message = if a == b {
                format!(
                    "the rule `{}` sets a floor above its own cap on `{judgement}`",
                    ra.id
                )
            } else {
                format!(
                    "the rules `{}` and `{}` always fire together and conflict on `{judgement}`",
                    ra.id, rb.id
                )
            };
            let error = CheckError::error(message, rb.span, "conflicting constraint").with_help(
                "a floor above a cap has no value: change one of the grades or the conditions",
            );
            self.errors.push(error);
        }
    }

    /// The conflicts of [`Checker::check_static_conflicts`], each as the rule
    /// with the floor, the rule with the cap and the judgement, among the
    /// rules with a constant floor or cap (`constant_only`) or among all.
    fn conflicts(
        &self,
        guards: &RuleConditions<'_>,
        constant_only: bool,
    ) -> Vec<(RuleId, RuleId, JudgementId)> {
        let guards: Vec<(RuleId, Written)> = guards
            .iter_ids()
            .filter(|&(r, _)| !constant_only || self.model.rules.get(r).is_some_and(has_constant))
            .map(|(r, (when, list))| {
                let text = |e: &Option<&ast::Expr>| e.map(judgement_syntax::format_expr);
                (r, (text(when), text(list)))
            })
            .collect();
        let mut groups: HashMap<&Written, Vec<RuleId>> = HashMap::new();
        let mut keys: Vec<&Written> = Vec::new();
        for (r, guard) in &guards {
            let group = groups.entry(guard).or_default();
            if group.is_empty() {
                keys.push(guard);
            }
            group.push(*r);
        }
        let mut found = Vec::new();
        for key in keys {
            let Some(rules) = groups.get(key) else {
                continue;
            };
            // For each judgement: the best floor and the worst cap, with their rules.
            let mut bounds: Vec<Bounds> = Vec::new();
            for &r in rules {
                let Some(rule) = self.model.rules.get(r) else {
                    continue;
                };
                for e in &rule.effects {
                    let EffectDef::Constrain {
                        judgement,
                        op,
                        value: Bound::Const(v),
                    } = e
                    else {
                        continue;
                    };
                    let at = match bounds.iter().position(|b| b.0 == *judgement) {
                        Some(at) => at,
                        None => {
                            bounds.push((*judgement, None, None));
                            bounds.len() - 1
                        }
                    };
                    let Some(entry) = bounds.get_mut(at) else {
                        continue;
                    };
                    // Rank 0 is best: the highest floor has the lowest rank.
                    if *op != ConstraintOp::AtMost && entry.1.is_none_or(|(f, _)| *v < f) {
                        entry.1 = Some((*v, r));
                    }
                    if *op != ConstraintOp::AtLeast && entry.2.is_none_or(|(c, _)| *v > c) {
                        entry.2 = Some((*v, r));
                    }
                }
            }
            for (j, floor, cap) in bounds {
                if let (Some((floor, a)), Some((cap, b))) = (floor, cap) {
                    if floor < cap {
                        found.push((a, b, j));
                    }
                }
            }
        }
        found
    }

    /// Thresholds and lets of the checked ruleset that nothing reads. Those
    /// of definitions are left alone: another ruleset may read them.
    pub(super) fn lint_unused(&mut self) {
        if self.definitions {
            return;
        }
        let mut warnings = Vec::new();
        for (i, t) in self.model.thresholds.iter_ids() {
            if !self.is_own(t.span) {
                continue;
            }
            if !self.used_thresholds.get(i).copied().unwrap_or(false) {
                warnings.push((format!("the threshold `{}` is never used", t.name), t.span));
            }
        }
        for (i, l) in self.model.lets.iter_ids() {
            if !self.is_own(l.span) {
                continue;
            }
            // A let that meets a need of the definitions used is theirs to
            // read: removing it would be an error.
            if !self.used_lets.get(i).copied().unwrap_or(false) && !self.needed.contains(&l.name) {
                warnings.push((format!("`{}` is never used", l.name), l.span));
            }
        }
        for (message, span) in warnings {
            self.errors.push(
                CheckError::warning(message, span, "unused").with_help(
                    "a rule should read it, or it should go: changing it changes nothing",
                ),
            );
        }
    }
}

fn contains_word(haystack: &str, word: &str) -> bool {
    haystack.match_indices(word).any(|(i, _)| {
        let before = haystack.get(..i).and_then(|s| s.chars().last());
        let after = haystack
            .get(i + word.len()..)
            .and_then(|s| s.chars().next());
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

#[cfg(test)]
mod tests {
    use super::has_hard_word;

    #[test]
    fn a_will_that_an_advisory_word_follows_is_no_obligation() {
        for soft in [
            "an inspector will usually spend a maximum of two days on site",
            "this will normally lead to a review",
            "it will be likely",
            "they will not usually be told",
            "it will also normally be published",
            "willing managers usually stay",
        ] {
            assert!(!has_hard_word(soft), "{soft}");
        }
        for hard in [
            "the inspector will notify the provider",
            "this will always be inadequate",
            "it will lead to an urgent case review",
            "a vacancy will be reported, and will usually be reviewed",
            "providers must tell ofsted",
            "certainly not a judgement that exceeds requires improvement",
            "it will",
        ] {
            assert!(has_hard_word(hard), "{hard}");
        }
    }
}
