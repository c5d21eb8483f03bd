//! [`WhyNot`] in plain English: the text `judgement explain --why-not`
//! prints.

use super::{
    Amount, Attempt, Change, Checked, EffectWhy, Failure, Fix, JudgementWhy, Need, Part, RuleWhy,
    Truth, WhyNot,
};
use crate::outcome::{ReadValue, RuleResult};
use crate::show::printable;
use crate::Ruleset;
use std::fmt::Write;

/// The plain-English answer to a [`WhyNot`] question.
pub fn why_not_text(ruleset: &Ruleset, why: &WhyNot<'_>) -> String {
    let mut page = String::new();
    match why {
        WhyNot::Rule(r) => rule(ruleset, r, &mut page),
        WhyNot::Judgement(j) => judgement(j, &mut page),
        WhyNot::Effect(e) => effect(ruleset, e, &mut page),
    }
    page
}

/// An action, finding or deadline: whether it was given and by which
/// rules, then each rule that gives it as a rule's answer shows it.
fn effect(ruleset: &Ruleset, e: &EffectWhy<'_>, page: &mut String) {
    let _ = writeln!(page, "Why not {} {}?", e.effect.as_str(), e.name);
    let with = |result: RuleResult| -> Vec<&str> {
        e.rules
            .iter()
            .filter(|r| r.attempts.iter().any(|a| a.result == result))
            .map(|r| r.rule)
            .collect()
    };
    let rules = |names: &[&str]| match names {
        [one] => format!("rule {one}"),
        _ => format!("rules {}", and_list(names)),
    };
    let all: Vec<&str> = e.rules.iter().map(|r| r.rule).collect();
    // Fired, but not credited with it: a date it needs was not known.
    let fired_only: Vec<&str> = with(RuleResult::Fired)
        .into_iter()
        .filter(|r| !e.given_by.contains(r))
        .collect();
    if e.given {
        let _ = writeln!(page, "It was given by {}.", rules(&e.given_by));
    } else if !fired_only.is_empty() {
        let _ = writeln!(
            page,
            "It was not given: {} fired, but a date it needs is not known, so the outcome lists it as undetermined.",
            rules(&fired_only)
        );
    } else {
        let gives = match all.as_slice() {
            [_] => "gives it, and did not fire",
            _ => "give it, and none fired",
        };
        let _ = write!(page, "It was not given: {} {gives}", rules(&all));
        let undecided = with(RuleResult::Undetermined);
        match undecided.as_slice() {
            [] => page.push_str(".\n"),
            _ => {
                let _ = writeln!(page, " ({} could not be decided).", and_list(&undecided));
            }
        }
    }
    for r in &e.rules {
        page.push('\n');
        rule(ruleset, r, page);
    }
}

/// "a", "a and b", "a, b and c".
fn and_list(names: &[&str]) -> String {
    match names {
        [] => String::new(),
        [one] => (*one).to_string(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// The values read, shown with evidence's control characters escaped
/// (`printable`), as every piece of a record this page shows is.
fn reads(values: &[ReadValue<'_>]) -> String {
    let read = values
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    printable(&read).into_owned()
}

fn rule(ruleset: &Ruleset, r: &RuleWhy<'_>, page: &mut String) {
    let _ = writeln!(page, "Why not rule {} ({})?", r.rule, cite(r.cite));
    let _ = writeln!(page, "  at {}", r.place);
    if let Some(info) = ruleset.rule(r.rule) {
        if let Some(q) = info.quote {
            let _ = writeln!(page, "  The handbook: \"{q}\"");
        }
        for note in info.notes {
            let _ = writeln!(page, "  Reading taken: {note}");
        }
    }
    if r.attempts.is_empty() {
        page.push('\n');
        match (r.for_each, r.empty_list) {
            (Some(list), true) => {
                let _ = writeln!(
                    page,
                    "It did not fire: it runs for each element of {list}, and the record gives that list no element."
                );
            }
            (Some(list), false) => {
                let _ = writeln!(
                    page,
                    "It did not fire: it runs for each element of {list}, which gave none: it was empty, or an end of it was not known and a part of its condition that reads no element was false."
                );
            }
            (None, _) => {
                let _ = writeln!(page, "It was not evaluated for this record.");
            }
        }
        return;
    }
    let reads_judgements = ruleset
        .rule_def(r.rule)
        .is_some_and(|d| !d.reads_judgements.is_empty());
    for a in &r.attempts {
        attempt(a, reads_judgements, page);
    }
}

fn cite(cite: &str) -> &str {
    if cite.is_empty() {
        "no citation"
    } else {
        cite
    }
}

/// One attempt of a rule (`reads_judgements`: its condition reads one).
fn attempt(a: &Attempt<'_>, reads_judgements: bool, page: &mut String) {
    let on = match &a.item {
        Some(item) => format!(" for {}", printable(crate::show::element_id(item))),
        None => String::new(),
    };
    page.push('\n');
    match (a.result, &a.condition) {
        (RuleResult::Fired, None) => {
            let _ = writeln!(page, "It fired{on}: it has no condition.");
        }
        (RuleResult::Fired, Some(_)) => {
            let _ = writeln!(page, "It fired{on}: its condition held.");
        }
        (RuleResult::NotFired, _) => {
            let _ = writeln!(page, "It did not fire{on}: its condition was false.");
        }
        // Its condition came to true or false, but on a judgement that is
        // provisional: the evidence it read is known.
        (RuleResult::Undetermined, Some(c)) if reads_judgements && c.truth != Truth::Unknown => {
            let _ = writeln!(
                page,
                "It could not be decided{on}: its condition reads a judgement that is provisional, \
                 which evidence not yet known could change."
            );
        }
        (RuleResult::Undetermined, _) => {
            let _ = writeln!(
                page,
                "It could not be decided{on}: its condition read evidence that is not known."
            );
        }
    }
    if let Some(c) = &a.condition {
        part(c, 1, page);
    }
    if let Some(fix) = &a.to_fire {
        match fix {
            Fix::Change {
                changes, checked, ..
            } => {
                match checked {
                    Checked::Holds => {
                        let _ = writeln!(page, "It would fire{on} with:");
                    }
                    Checked::Fails { .. } | Checked::Unchecked { .. } => {
                        let _ = writeln!(page, "Working back its condition{on} gives:");
                    }
                }
                for c in changes {
                    let _ = writeln!(page, "  {}", change(c));
                }
                match checked {
                    Checked::Fails { tried, failures } => {
                        let _ = writeln!(page, "But {}.", not_enough(changes, *tried, failures));
                    }
                    Checked::Unchecked { reason } => {
                        let reason = printable(reason);
                        let _ = writeln!(
                            page,
                            "Not evaluated again with {}: {reason}.",
                            that(changes)
                        );
                    }
                    Checked::Holds => {}
                }
            }
            Fix::NoSingleChange { reason } => {
                let reason = printable(reason);
                let _ = writeln!(
                    page,
                    "Working back finds no single change of evidence that would make it fire: {reason}."
                );
            }
        }
    }
}

fn part(p: &Part<'_>, depth: usize, page: &mut String) {
    let pad = "  ".repeat(depth);
    let truth = mark(p.truth);
    let read = if p.parts.is_empty() {
        bracketed(&p.values)
    } else {
        String::new()
    };
    let _ = writeln!(page, "{pad}{truth}  {}{read}", p.text);
    for sub in &p.parts {
        part(sub, depth + 1, page);
    }
    for e in &p.elements {
        let which = match &e.item {
            Some(id) => format!("for {}", printable(crate::show::element_id(id))),
            None => format!("for element {}", e.position),
        };
        let _ = writeln!(
            page,
            "{pad}  {}  {which}{}",
            mark(e.truth),
            bracketed(&e.values)
        );
    }
}

/// `   [a = 1, b = 2]`, the values a part read after its text; nothing
/// where it read none.
fn bracketed(values: &[ReadValue<'_>]) -> String {
    if values.is_empty() {
        String::new()
    } else {
        format!("   [{}]", reads(values))
    }
}

/// A truth as the first column of a part's line shows it.
fn mark(t: Truth) -> &'static str {
    match t {
        Truth::True => "true ",
        Truth::False => "FALSE",
        Truth::Unknown => "UNKNOWN",
        Truth::NotEvaluated => "-    ",
    }
}

/// `manager.vacant_since on or before 2015-05-11 (now 2015-06-01), so that vacancy at least 182 days`.
pub(super) fn change(c: &Change) -> String {
    // Empty text is shown as `""`, not as nothing.
    let needs = match &c.needs {
        Need::Exactly(Amount::Name(n)) if n.is_empty() => "\"\"".to_string(),
        Need::Other(Amount::Name(n)) if n.is_empty() => "anything but \"\"".to_string(),
        other => other.to_string(),
    };
    let mut text = format!("{} {needs}", c.field);
    if !c.now.is_empty() {
        let _ = write!(text, " (now {})", c.now);
    }
    if !c.via.is_empty() {
        let _ = write!(text, ", so that {}", c.via.join(", so that "));
    }
    printable(&text).into_owned()
}

fn judgement(j: &JudgementWhy<'_>, page: &mut String) {
    let _ = writeln!(page, "Why is {} not {}?", j.judgement, j.wanted);
    // The proposal, said once: with the value asked about where it is not
    // that value.
    let proposed = match j.proposed {
        Some(p) if p != j.wanted => format!("the inspector proposed {p}, not {}", j.wanted),
        Some(p) => format!("the inspector proposed {p}"),
        None => "no value was proposed".to_string(),
    };
    match (j.value, &j.not_made) {
        (_, Some(why)) => {
            let _ = writeln!(page, "{} has no value: {why}.", j.judgement);
            release(j.to_release.as_ref(), "  ", page);
            return;
        }
        (Some(v), None) if j.already() => {
            let _ = writeln!(page, "It is {v}: nothing holds it away from {}.", j.wanted);
            return;
        }
        (Some(v), None) => {
            let _ = writeln!(page, "It is {v} ({proposed}).");
        }
        (None, None) => {
            let _ = writeln!(page, "It has no value ({proposed}).");
        }
    }
    givers(j, page);
    if j.held_by.is_empty() {
        let _ = writeln!(page, "No cap or floor rules out {}.", j.wanted);
        return;
    }
    let _ = writeln!(page, "Ruled out by:");
    for h in &j.held_by {
        let c = &h.constraint;
        let on = match &c.item {
            Some(item) => format!(" for {}", printable(crate::show::element_id(item))),
            None => String::new(),
        };
        let role = if h.binding { "binding" } else { "also applies" };
        let _ = writeln!(
            page,
            "  rule {} ({}){on}: {} {} ({role})",
            c.rule,
            cite(c.cite),
            j.judgement,
            c.text()
        );
        if !h.values.is_empty() {
            let _ = writeln!(page, "    it read {}", reads(&h.values));
        }
        release(h.to_release.as_ref(), "    ", page);
    }
}

/// What would stop a rule that holds a judgement (a cap, a floor, a rule
/// that withholds it) applying, on a line of its own under the rule.
fn release(fix: Option<&Fix>, indent: &str, page: &mut String) {
    match fix {
        Some(Fix::Change {
            changes, checked, ..
        }) => {
            let _ = writeln!(page, "{indent}{}", claim(changes, checked, "not apply"));
        }
        Some(Fix::NoSingleChange { reason }) => {
            let reason = printable(reason);
            let _ = writeln!(
                page,
                "{indent}working back finds no single change of evidence that would release it: {reason}"
            );
        }
        None => {}
    }
}

/// The rules that would have given the value, and did not fire.
fn givers(j: &JudgementWhy<'_>, page: &mut String) {
    if j.would_give.is_empty() {
        return;
    }
    let _ = writeln!(page, "Rules that would make it {} did not fire:", j.wanted);
    for g in &j.would_give {
        let _ = writeln!(
            page,
            "  rule {} ({}): {} {} ({})",
            g.rule,
            cite(g.cite),
            j.judgement,
            g.constraint,
            g.result.as_str()
        );
        match &g.to_fire {
            Some(Fix::Change {
                changes, checked, ..
            }) => {
                let _ = writeln!(page, "    {}", claim(changes, checked, "fire"));
            }
            Some(Fix::NoSingleChange { reason }) => {
                let reason = printable(reason);
                let _ = writeln!(
                    page,
                    "    working back finds no single change of evidence that would make it fire: {reason}"
                );
            }
            None => {}
        }
    }
}

/// "it would fire with X", or, where evaluating the record again with X
/// did not bear it out, what working back gave and why it is not enough.
fn claim(changes: &[Change], checked: &Checked, would: &str) -> String {
    let list: Vec<String> = changes.iter().map(change).collect();
    let list = list.join(" and ");
    match checked {
        Checked::Fails { tried, failures } => format!(
            "working back its condition gives {list}; but {}",
            not_enough(changes, *tried, failures)
        ),
        Checked::Unchecked { reason } => format!(
            "working back its condition gives {list} (not evaluated again with {}: {})",
            that(changes),
            printable(reason)
        ),
        Checked::Holds => format!("it would {would} with {list}"),
    }
}

/// Why a change that working back gave is not enough, from evaluating the
/// record again with it.
fn not_enough(changes: &[Change], tried: usize, failures: &[Failure]) -> String {
    let each: Vec<String> = failures
        .iter()
        .map(|f| {
            // An error's words may quote the record: shown escaped.
            let because = printable(&f.because);
            if f.with.is_empty() {
                because.into_owned()
            } else {
                format!("with {}, {because}", printable(&f.with.join(" and ")))
            }
        })
        .collect();
    let that = that(changes);
    match (tried, failures.len()) {
        (1, _) => format!(
            "evaluated again with {that}, {}, so {}",
            each.join("; "),
            if changes.len() == 1 {
                "it is not enough on its own"
            } else {
                "they are not enough on their own"
            }
        ),
        (t, f) if t == f => format!(
            "evaluated again with each value it allows, none is enough on its own: {}",
            each.join("; ")
        ),
        _ => format!(
            "evaluated again with each value it allows, not every one is enough: {}",
            each.join("; ")
        ),
    }
}

/// `that change` or `those changes`.
fn that(changes: &[Change]) -> &'static str {
    if changes.len() == 1 {
        "that change"
    } else {
        "those changes"
    }
}
