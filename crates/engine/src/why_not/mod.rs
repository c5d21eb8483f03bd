//! "Why not?": for a rule that did not fire, each part of its condition
//! with the values it read, which part was false or unknown, and the
//! smallest change of evidence that would make it fire, where one exists;
//! for a judgement and a value ("why not outstanding?"), the caps and
//! floors that held it away from that value, each with the values its rule
//! read and what would stop it applying; for an action, finding or
//! deadline, whether it was given and each rule that gives it, answered as
//! a rule is.
//!
//! Built from the model's expressions and what evaluation recorded of each
//! part of a condition (`eval::Probe`): nothing is parsed back
//! from text. [`why_not_text`] renders it in plain English, so every
//! embedding gets the text `judgement explain --why-not` prints.

use crate::error::EvalError;
use crate::eval::ProbeScope;
use crate::model::Model;
use crate::outcome::{NotMade, Relation, RuleResult};
use crate::value::Tri;
use crate::{EvalOptions, Ruleset};
use judgement_syntax::ast::ConstraintOp;

mod answer;
mod error;
mod moment;
mod narrow;
mod search;
mod text;
mod verify;
mod work_back;
pub use answer::{
    Amount, Attempt, Change, Checked, Connective, EffectKind, EffectWhy, ElementPart, Failure, Fix,
    Giver, Holder, JudgementWhy, Need, Part, RuleWhy, Truth, WhyNot, MAX_ELEMENTS,
};
use error::kinds_named;
pub use error::WhyNotError;
pub use text::why_not_text;
use work_back::Writer;

/// Why `target` does not hold for `evidence`: a rule id (why it did not
/// fire, or that it fired and why), `JUDGEMENT=VALUE` (why the judgement
/// is not that value; `JUDGEMENT` alone asks about the best value of its
/// scale), or `action:NAME`, `finding:NAME` or `deadline:NAME` (each rule
/// that gives it, answered as a rule is; the name alone will do where no
/// rule or judgement has it and it is of one kind only). An unknown name
/// is an error with the nearest name. Each change
/// offered is checked by evaluating the record again with it, with this
/// edition whatever the record's date ([`Checked`]; for a `for each` rule,
/// the changes of its first 20 elements that need one).
pub fn why_not<'r>(
    ruleset: &'r Ruleset,
    evidence: &serde_json::Value,
    target: &str,
    options: EvalOptions,
) -> Result<WhyNot<'r>, WhyNotError> {
    checked_answer(ruleset, evidence, target, options, false)
}

/// [`why_not`] for a record whose edition was chosen by its date (the one
/// in force on its `as at` date, as `Editions::select` chooses): a change
/// that moves that date outside this edition's period in force is not
/// enough, since the record would then be evaluated by another edition, or
/// by none.
pub fn why_not_in_force<'r>(
    ruleset: &'r Ruleset,
    evidence: &serde_json::Value,
    target: &str,
    options: EvalOptions,
) -> Result<WhyNot<'r>, WhyNotError> {
    checked_answer(ruleset, evidence, target, options, true)
}

/// The answer, its changes checked; `dated`: the edition was chosen by the
/// record's date.
fn checked_answer<'r>(
    ruleset: &'r Ruleset,
    evidence: &serde_json::Value,
    target: &str,
    options: EvalOptions,
    dated: bool,
) -> Result<WhyNot<'r>, WhyNotError> {
    // Every evaluation of the question, the first and each again with a
    // change, counts its nested reads against one limit.
    let _question = crate::eval::Question::begin();
    let mut why = answer(ruleset, evidence, target, options)?;
    verify::check_all(ruleset, evidence, options, dated, &mut why);
    Ok(why)
}

/// The longest target asked about that is looked for among the names; a
/// longer one is unknown, and its error shows only its start.
const MOST_TARGET_BYTES: usize = 1_000;

/// The answer, its changes not yet checked.
fn answer<'r>(
    ruleset: &'r Ruleset,
    evidence: &serde_json::Value,
    target: &str,
    options: EvalOptions,
) -> Result<WhyNot<'r>, WhyNotError> {
    let model = ruleset.model();
    // No name is this long: said again in full, a megabyte of target would
    // be a megabyte of error (the bindings' audit found it).
    if target.len() > MOST_TARGET_BYTES {
        return Err(WhyNotError::UnknownTarget {
            name: crate::evidence::clipped(target).into_owned(),
            ruleset: model.meta.name.clone(),
            suggestion: None,
        });
    }
    // `KIND:NAME`; not `J=V` whose value holds a colon.
    if let Some((prefix, name)) = target
        .split_once(':')
        .filter(|(prefix, _)| !prefix.contains('='))
    {
        let prefix = prefix.trim();
        let kind = EffectKind::ALL
            .into_iter()
            .find(|k| k.as_str() == prefix)
            .ok_or_else(|| WhyNotError::UnknownKind {
                prefix: prefix.to_string(),
            })?;
        let name = name.trim();
        if name.is_empty() {
            return Err(WhyNotError::NoName {
                after: Some(format!("{prefix}:")),
            });
        }
        if let Some((name, _)) = name.split_once('=') {
            if name.trim().is_empty() {
                return Err(WhyNotError::NoName {
                    after: Some(format!("{prefix}:")),
                });
            }
            return Err(WhyNotError::EffectWithValue {
                kind,
                name: name.trim().to_string(),
            });
        }
        return effect_answer(ruleset, evidence, kind, name, options);
    }
    let (name, value) = match target.split_once('=') {
        Some((n, v)) => (n.trim(), Some(v.trim())),
        None => (target.trim(), None),
    };
    if name.is_empty() {
        return Err(WhyNotError::NoName { after: None });
    }
    if value == Some("") {
        return Err(WhyNotError::NoName {
            after: Some(format!("{name}=")),
        });
    }
    let judgement = model.judgements.iter().find(|j| j.name == name);
    let rule = model
        .rules
        .iter()
        .enumerate()
        .find(|(_, r)| r.id == name && !r.is_check);
    if let (None, Some(_), Some(value)) = (judgement, rule, value) {
        return Err(WhyNotError::RuleWithValue {
            name: name.to_string(),
            value: value.to_string(),
        });
    }
    if judgement.is_none()
        && rule.is_none()
        && model.rules.iter().any(|r| r.id == name && r.is_check)
    {
        return Err(WhyNotError::Check {
            name: name.to_string(),
        });
    }
    if judgement.is_none() && rule.is_none() {
        // An action, finding or deadline named alone: asked about as
        // `KIND:NAME` where the name is of one kind only.
        let kinds = kinds_of(model, name);
        match (kinds.as_slice(), value) {
            ([kind], None) => return effect_answer(ruleset, evidence, *kind, name, options),
            ([], _) => {}
            _ => {
                return Err(WhyNotError::AskEffectAs {
                    name: name.to_string(),
                    kinds,
                })
            }
        }
        let names = model
            .rules
            .iter()
            .filter(|r| !r.is_check)
            .map(|r| r.id.as_str())
            .chain(model.judgements.iter().map(|j| j.name.as_str()))
            .chain(effects(model).map(|(_, n)| n));
        // `action urgent_case_review`: the kind and the name, written apart.
        let spaced = name
            .split_once(char::is_whitespace)
            .filter(|(kind, _)| EffectKind::ALL.iter().any(|k| k.as_str() == *kind))
            .map(|(kind, rest)| format!("did you mean `{kind}:{}`?", rest.trim()));
        return Err(WhyNotError::UnknownTarget {
            name: name.to_string(),
            ruleset: model.meta.name.clone(),
            suggestion: spaced.or_else(|| crate::suggest::did_you_mean(name, names)),
        });
    }
    let def = match (judgement, rule) {
        (Some(def), _) => def,
        (None, Some((index, _))) => {
            return rule_answer(ruleset, evidence, index, options).map(WhyNot::Rule)
        }
        (None, None) => return Err(WhyNotError::Eval(EvalError::Internal("target not found"))),
    };
    // Only the rules that constrain or withhold the judgement are read
    // below: only theirs are recorded.
    let scope = model
        .judgements
        .iter_ids()
        .find(|(_, d)| d.name == def.name)
        .map_or(ProbeScope::Every, |(j, _)| ProbeScope::Judgement(j));
    let (outcome, probes) = ruleset.evaluate_probing(evidence, options, scope)?;
    let w = Writer::new(ruleset, evidence);
    let scale = model.enums.get(def.scale);
    let values: Vec<&str> = scale
        .map(|s| s.values.iter().map(String::as_str).collect())
        .unwrap_or_default();
    let wanted = match value {
        Some(v) => {
            values
                .iter()
                .position(|x| *x == v)
                .ok_or_else(|| WhyNotError::UnknownValue {
                    judgement: def.name.clone(),
                    value: v.to_string(),
                    scale: values.join(", "),
                    suggestion: crate::suggest::did_you_mean(v, values.iter().copied()),
                })?
        }
        None => 0,
    };
    let wanted_name = scale
        .and_then(|s| s.values.get(wanted))
        .map(String::as_str)
        .unwrap_or_default();
    let rank = |v: &str| values.iter().position(|x| *x == v);
    let detail = outcome.details.get(def.name.as_str());
    // What the rule `id` saw of its condition: on the element `on`
    // says, where it says one (`Some(None)`: not on an element).
    let seen_by = |id: &str, on: Option<&Option<crate::outcome::Item>>| {
        probes
            .iter()
            .find(|p| {
                model.rules.get(p.rule).is_some_and(|r| r.id == id)
                    && on.is_none_or(|item| p.item == *item)
            })
            .and_then(|p| p.condition.as_ref())
    };
    let mut held_by = Vec::new();
    if let Some(d) = detail {
        let both = d
            .binding
            .iter()
            .map(|c| (c, true))
            .chain(d.slack.iter().map(|c| (c, false)));
        for (c, binding) in both {
            let Some(bound) = rank(c.value) else { continue };
            let rules_out = match c.relation {
                Relation::Equal => bound != wanted,
                // Rank 0 is best: a cap rules out better values.
                Relation::AtMost => wanted < bound,
                Relation::AtLeast => wanted > bound,
            };
            if !rules_out {
                continue;
            }
            let (values, to_release) = match seen_by(c.rule, Some(&c.item)) {
                Some(seen) => (seen.values.clone(), Some(w.fix(seen, false))),
                None => (Vec::new(), None),
            };
            held_by.push(Holder {
                constraint: c.clone(),
                binding,
                values,
                to_release,
            });
        }
    }
    // Only a rule that could move the judgement to the value asked
    // about would give it: one that sets it, a cap where the judgement
    // is better than that value, a floor where it is worse. A cap never
    // raises a judgement, a floor never lowers one, and neither makes a
    // judgement that is not made.
    let current = outcome.judgement(&def.name).and_then(rank);
    let moves_to_wanted = |op: &ConstraintOp| match op {
        ConstraintOp::Equal => true,
        ConstraintOp::AtMost => current.is_some_and(|c| c < wanted),
        ConstraintOp::AtLeast => current.is_some_and(|c| c > wanted),
    };
    let mut would_give = Vec::new();
    for (index, r) in model.rules.iter().enumerate() {
        for e in &r.effects {
            let crate::model::EffectDef::Constrain {
                judgement: j,
                op,
                value: crate::model::Bound::Const(v),
            } = e
            else {
                continue;
            };
            if model.judgements.get(*j).map(|d| d.name.as_str()) != Some(def.name.as_str())
                || usize::from(*v) != wanted
                || !moves_to_wanted(op)
            {
                continue;
            }
            let fired =
                detail.is_some_and(|d| d.binding.iter().chain(&d.slack).any(|c| c.rule == r.id));
            if fired {
                continue;
            }
            let probe = probes.iter().find(|p| p.rule.index() == index);
            let result = match probe.map(|p| p.result) {
                Some(Tri::True) => RuleResult::Fired,
                Some(Tri::Unknown) => RuleResult::Undetermined,
                _ => RuleResult::NotFired,
            };
            let relation = match op {
                ConstraintOp::Equal => Relation::Equal,
                ConstraintOp::AtMost => Relation::AtMost,
                ConstraintOp::AtLeast => Relation::AtLeast,
            };
            would_give.push(Giver {
                rule: &r.id,
                cite: &r.cite,
                constraint: format!("{relation} {wanted_name}"),
                result,
                to_fire: probe
                    .and_then(|p| p.condition.as_ref())
                    .filter(|_| result != RuleResult::Fired)
                    .map(|seen| w.fix(seen, true)),
            });
        }
    }
    let not_made = detail.and_then(|d| d.not_made);
    // A judgement withheld: what would stop the withholding rule.
    let to_release = match not_made {
        Some(NotMade::WithheldBy(by)) => seen_by(by.rule, None).map(|seen| w.fix(seen, false)),
        _ => None,
    };
    Ok(WhyNot::Judgement(JudgementWhy {
        would_give,
        to_release,
        judgement: &def.name,
        wanted: wanted_name,
        value: outcome.judgement(&def.name),
        proposed: detail.and_then(|d| d.proposed),
        not_made,
        held_by,
    }))
}

/// Why the rule at `index` fired or did not. Its answer reads its own
/// conditions only: the others' are not recorded (on a long list, that
/// would be most of the time).
fn rule_answer<'r>(
    ruleset: &'r Ruleset,
    evidence: &serde_json::Value,
    index: usize,
    options: EvalOptions,
) -> Result<RuleWhy<'r>, WhyNotError> {
    let scope = ProbeScope::Rule(crate::model::RuleId::from_index(index));
    let (_, probes) = ruleset.evaluate_probing(evidence, options, scope)?;
    rule_why(ruleset, evidence, index, &probes)
}

/// [`rule_answer`] from the probes of an evaluation that recorded the
/// rule (and perhaps others).
fn rule_why<'r>(
    ruleset: &'r Ruleset,
    evidence: &serde_json::Value,
    index: usize,
    probes: &[crate::eval::Probe<'r>],
) -> Result<RuleWhy<'r>, WhyNotError> {
    let model = ruleset.model();
    let def = model
        .rules
        .get(crate::model::RuleId::from_index(index))
        .ok_or(WhyNotError::Eval(EvalError::Internal("rule not found")))?;
    let w = Writer::new(ruleset, evidence);
    let attempts: Vec<_> = probes
        .iter()
        .filter(|p| p.rule.index() == index)
        .map(|p| w.attempt(p))
        .collect();
    // A list of the evidence is never unknown: one that gave no attempt
    // held no element.
    let empty_list = attempts.is_empty()
        && def
            .for_each
            .as_ref()
            .is_some_and(|fe| of_the_evidence(model, fe.list));
    Ok(RuleWhy {
        rule: &def.id,
        cite: &def.cite,
        place: ruleset.sources().place(def.span),
        for_each: def.for_each.as_ref().map(|fe| fe.list_name.as_str()),
        attempts,
        empty_list,
    })
}

/// Whether `list` is a list of the evidence, named or through lets that
/// name it (`let notices = compliance_notices`): never unknown, so a rule
/// over it that ran for no element ran over none. Lets are followed as far
/// as they go one into another, at most as many as there are.
fn of_the_evidence(model: &Model, list: crate::model::ExprId) -> bool {
    use crate::model::Node;
    let mut at = list;
    for _ in 0..=model.lets.len() {
        match model.exprs.get(at) {
            Some(Node::Field(_)) => return true,
            Some(Node::Let(l)) => match model.lets.get(*l) {
                Some(def) => at = def.expr,
                None => return false,
            },
            _ => return false,
        }
    }
    false
}

/// Every action, finding and deadline the rules give, by kind and name,
/// once for each rule that gives it.
fn effects(model: &Model) -> impl Iterator<Item = (EffectKind, &str)> {
    model
        .rules
        .iter()
        .filter(|r| !r.is_check)
        .flat_map(|r| &r.effects)
        .filter_map(EffectKind::of)
}

/// The kinds of effect called `name` that some rule gives.
fn kinds_of(model: &Model, name: &str) -> Vec<EffectKind> {
    EffectKind::ALL
        .into_iter()
        .filter(|k| !givers(model, *k, name).is_empty())
        .collect()
}

/// "`action:x` or `finding:x`".
fn ask_as(kinds: &[EffectKind], name: &str) -> String {
    kinds
        .iter()
        .map(|k| format!("`{}:{name}`", k.as_str()))
        .collect::<Vec<_>>()
        .join(" or ")
}

/// The rules (not `invalid` checks) that give the `kind` of effect called
/// `name`, by index, in the order the ruleset declares them.
fn givers(model: &Model, kind: EffectKind, name: &str) -> Vec<usize> {
    model
        .rules
        .iter()
        .enumerate()
        .filter(|(_, r)| {
            !r.is_check
                && r.effects
                    .iter()
                    .any(|e| EffectKind::of(e) == Some((kind, name)))
        })
        .map(|(index, _)| index)
        .collect()
}

/// Why the `kind` of effect called `name` was or was not given: each rule
/// that gives it, answered as [`rule_answer`] answers it.
fn effect_answer<'r>(
    ruleset: &'r Ruleset,
    evidence: &serde_json::Value,
    kind: EffectKind,
    name: &str,
    options: EvalOptions,
) -> Result<WhyNot<'r>, WhyNotError> {
    let model = ruleset.model();
    let indexes = givers(model, kind, name);
    // The name as the model holds it, which lives as long as the ruleset.
    let held = effects(model)
        .find(|&(k, n)| k == kind && n == name)
        .map(|(_, n)| n);
    let Some(held) = held else {
        // The name of another kind of effect is said to be that.
        let kinds = kinds_of(model, name);
        let judgement_or_rule = model.judgements.iter().any(|j| j.name == name)
            || model.rules.iter().any(|r| r.id == name && !r.is_check);
        let suggestion = if kinds.is_empty() && judgement_or_rule {
            Some(format!(
                "`{name}` is the name of a rule or a judgement: ask `{name}` alone"
            ))
        } else if kinds.is_empty() {
            let names = effects(model).filter(|&(k, _)| k == kind).map(|(_, n)| n);
            crate::suggest::did_you_mean(name, names)
        } else {
            Some(format!(
                "it is the name of {}: ask {}",
                kinds_named(&kinds),
                ask_as(&kinds, name)
            ))
        };
        return Err(WhyNotError::UnknownEffect {
            kind,
            name: name.to_string(),
            ruleset: model.meta.name.clone(),
            suggestion,
        });
    };
    // One evaluation records every rule that gives it, each as asking
    // about that rule alone would (one evaluation a rule was quadratic in
    // the rules that give one effect).
    let first = indexes.first().and_then(|&index| {
        let rule = crate::model::RuleId::from_index(index);
        let effects = &model.rules.get(rule)?.effects;
        let effect = effects
            .iter()
            .position(|e| EffectKind::of(e) == Some((kind, name)))?;
        Some(ProbeScope::Gives { rule, effect })
    });
    let probes = match first {
        Some(scope) => ruleset.evaluate_probing(evidence, options, scope)?.1,
        None => Vec::new(),
    };
    let rules = indexes
        .into_iter()
        .map(|index| rule_why(ruleset, evidence, index, &probes))
        .collect::<Result<Vec<_>, _>>()?;
    // Given is what the outcome lists, not that a rule fired: a rule that
    // fires gives no action whose due date is not known.
    let outcome = ruleset.evaluate(evidence, options)?;
    let given_by: Vec<&str> = rules
        .iter()
        .map(|r| r.rule)
        .filter(|r| kind.given_in(&outcome, held, Some(r), None))
        .collect();
    Ok(WhyNot::Effect(EffectWhy {
        effect: kind,
        name: held,
        given: !given_by.is_empty(),
        given_by,
        rules,
    }))
}
