//! The explanation's derived values and the values each rule read, from
//! the trace.

use super::{capital, list, prose, Explainer};
use crate::outcome::{RuleResult, TraceStep};
use std::collections::{HashMap, HashSet};

impl<'a> Explainer<'a> {
    pub(super) fn lets(&mut self) {
        let lets: Vec<(String, String)> = self
            .trace
            .iter()
            .filter_map(|s| match s {
                TraceStep::Let { name, value } => Some((name.to_string(), value.clone())),
                _ => None,
            })
            .collect();
        if lets.is_empty() {
            return;
        }
        self.heading("Derived values");
        for (name, value) in lets {
            let formula = self
                .ruleset
                .let_def(&name)
                .and_then(|l| self.expr_text(l.expr));
            let text = match formula {
                // Said as its definition: a formula bare in brackets after the
                // value read as the reason for it.
                Some(f) => format!("{name} = {value} (defined as {f})"),
                None => format!("{name} = {value}"),
            };
            self.para(2, &text);
        }
    }

    pub(super) fn rules_read(&mut self) {
        self.heading("Rules that fired, and the values they read");
        let mut fired = 0;
        let mut fired_rules: HashSet<&str> = HashSet::new();
        // Each rule that did not fire, with the elements it did not fire
        // for (a rule over a list may fire for some and not others).
        let mut not_fired = Grouped::default();
        // Rules that could not be decided and are not in the outcome's
        // `undetermined` (which holds hard rules): advice not given for
        // want of evidence, with the elements it was not decided for.
        let mut undecided_advice = Grouped::default();
        for step in self.trace {
            let TraceStep::Rule {
                rule,
                cite,
                result,
                item,
                values,
            } = step
            else {
                continue;
            };
            if *result != RuleResult::Fired {
                let hard = self.ruleset.rule(rule).is_some_and(|info| info.hard);
                let in_undetermined = self
                    .outcome
                    .undetermined
                    .iter()
                    .any(|u| u.rule == *rule && u.item.as_deref() == item.as_deref());
                if hard && in_undetermined {
                    // Not decided (or false only by a provisional
                    // judgement): the section "Undetermined" says what it
                    // would do.
                    continue;
                }
                // Advice not decided, or false only by a provisional
                // judgement it reads, was not decided either.
                let advice_undecided = !hard
                    && (*result == RuleResult::Undetermined
                        || self
                            .ruleset
                            .judgements_read_by(rule)
                            .iter()
                            .any(|j| self.outcome.is_provisional(j)));
                let group = if advice_undecided {
                    Some(&mut undecided_advice)
                } else if *result == RuleResult::NotFired {
                    Some(&mut not_fired)
                } else {
                    None
                };
                if let Some(group) = group {
                    group.add(rule, item.as_deref());
                }
                continue;
            }
            fired += 1;
            fired_rules.insert(rule);
            let read = if values.is_empty() {
                // A condition over a list's elements names no single value.
                match self.ruleset.rule(rule) {
                    Some(info) if info.has_condition => "its condition held".to_string(),
                    _ => "it has no condition".to_string(),
                }
            } else {
                let values: Vec<String> = values
                    .iter()
                    .map(|v| {
                        // Names of scale and choice values read as prose;
                        // text from the record is shown as it was written.
                        let value = if v.named {
                            prose(&v.value)
                        } else {
                            v.value.clone()
                        };
                        format!("{} = {value}", v.name)
                    })
                    .collect();
                format!("read {}", list(&values))
            };
            let text = format!(
                "{}{}: {read}.",
                capital(&self.rule(rule, cite)),
                self.item(rule, item.as_deref())
            );
            self.para(2, &text);
        }
        if fired == 0 {
            self.para(2, "None.");
        }
        if !not_fired.list.is_empty() {
            // A rule that fired for some elements is named with the ones it
            // did not fire for.
            let names: Vec<String> = not_fired
                .list
                .iter()
                .map(|(rule, items)| {
                    // Or was undetermined for some (a hard rule, in the
                    // section "Undetermined").
                    let elsewhere = fired_rules.contains(rule)
                        || undecided_advice.at.contains_key(rule)
                        || self.outcome.undetermined.iter().any(|u| u.rule == *rule);
                    with_elements(rule, if elsewhere { items } else { &[] })
                })
                .collect();
            self.page.push('\n');
            self.para(
                0,
                &format!("Rules that did not fire: {}.", names.join(", ")),
            );
        }
        // A `for each` rule over a list with no element (or whose list was
        // not known, and a part reading no element false) has no step in
        // the trace: named here, so that the page accounts for every rule.
        let traced: HashSet<&str> = self
            .trace
            .iter()
            .filter_map(|step| match step {
                TraceStep::Rule { rule, .. } => Some(*rule),
                _ => None,
            })
            .collect();
        let no_element: Vec<String> = self
            .ruleset
            .model()
            .rules
            .iter()
            .filter(|r| !r.is_check && !traced.contains(r.id.as_str()))
            .filter_map(|r| {
                let fe = r.for_each.as_ref()?;
                Some(format!("{} (over {})", r.id, fe.list_name))
            })
            .collect();
        if !no_element.is_empty() {
            self.page.push('\n');
            self.para(
                0,
                &format!(
                    "Rules that ran for no element, their list giving none: {}.",
                    no_element.join(", ")
                ),
            );
        }
        if !undecided_advice.list.is_empty() {
            let names: Vec<String> = undecided_advice
                .list
                .iter()
                .map(|(rule, items)| with_elements(rule, items))
                .collect();
            self.page.push('\n');
            self.para(
                0,
                &format!(
                    "Advice not given because the evidence does not say enough to decide it: {}.",
                    names.join(", ")
                ),
            );
        }
    }
}

/// Rules, each once in the order first met, with the elements met for each.
#[derive(Default)]
struct Grouped<'t> {
    list: Vec<(&'t str, Vec<&'t str>)>,
    /// Each rule's place in `list`: found at once, where a search of the
    /// list for each step of the trace would be quadratic in its rules.
    at: HashMap<&'t str, usize>,
}

impl<'t> Grouped<'t> {
    fn add(&mut self, rule: &'t str, item: Option<&'t str>) {
        let at = *self.at.entry(rule).or_insert_with(|| {
            self.list.push((rule, Vec::new()));
            self.list.len() - 1
        });
        if let (Some((_, items)), Some(i)) = (self.list.get_mut(at), item) {
            items.push(i);
        }
    }
}

/// A rule's id, with the elements named after it when there are any:
/// `area_for_improvement_immediately (for a2, a3)`.
fn with_elements(rule: &str, items: &[&str]) -> String {
    if items.is_empty() {
        rule.to_string()
    } else {
        let items: Vec<&str> = items.iter().map(|i| crate::show::element_id(i)).collect();
        format!("{rule} (for {})", items.join(", "))
    }
}
