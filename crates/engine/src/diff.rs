//! What a policy change does to one case: the differences between the
//! outcomes of two versions of a ruleset for the same evidence, each with the
//! rules responsible on either side.

use crate::outcome::{JudgementDetail, Outcome};
use serde::Serialize;
use std::collections::BTreeMap;

/// One difference between two outcomes.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Change {
    /// `judgement overall`, `action urgent_case_review`, `deadline publication`, ...
    pub what: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub item: Option<String>,
    /// The value before and after; `none` where there was none.
    pub before: String,
    pub after: String,
    /// The rules behind the value on each side, as `rule (cite)`.
    pub because_before: Vec<String>,
    pub because_after: Vec<String>,
}

fn rule_cite(rule: &str, cite: &str) -> String {
    format!("{rule} ({cite})")
}

fn judgement_reasons(d: Option<&JudgementDetail>) -> Vec<String> {
    let Some(d) = d else { return Vec::new() };
    let mut out: Vec<String> = d
        .binding
        .iter()
        .map(|c| rule_cite(&c.rule, &c.cite))
        .collect();
    if let Some(w) = &d.withheld_by {
        out.push(rule_cite(&w.rule, &w.cite));
    }
    out
}

/// Entries keyed by name and item, each with its shown value and reason.
type Keyed = BTreeMap<(String, Option<String>), (String, Vec<String>)>;

fn keyed<T>(items: &[T], f: impl Fn(&T) -> ((String, Option<String>), String, String)) -> Keyed {
    let mut map: Keyed = BTreeMap::new();
    for item in items {
        let (key, value, reason) = f(item);
        let entry = map.entry(key).or_insert_with(|| (value, Vec::new()));
        if !entry.1.contains(&reason) {
            entry.1.push(reason);
        }
    }
    map
}

fn compare_keyed(kind: &str, before: &Keyed, after: &Keyed, out: &mut Vec<Change>) {
    let none = (String::from("none"), Vec::new());
    let keys: std::collections::BTreeSet<_> = before.keys().chain(after.keys()).collect();
    for key in keys {
        let b = before.get(key).unwrap_or(&none);
        let a = after.get(key).unwrap_or(&none);
        if b.0 != a.0 {
            out.push(Change {
                what: format!("{kind} {}", key.0),
                item: key.1.clone(),
                before: b.0.clone(),
                after: a.0.clone(),
                because_before: b.1.clone(),
                because_after: a.1.clone(),
            });
        }
    }
}

/// The differences between two outcomes of the same evidence, sorted.
pub fn compare(before: &Outcome, after: &Outcome) -> Vec<Change> {
    let mut out = Vec::new();
    let names: std::collections::BTreeSet<&String> = before
        .judgements
        .keys()
        .chain(after.judgements.keys())
        .collect();
    for name in names {
        let show = |o: &Outcome| match o.judgements.get(name) {
            None => "not made at this inspection".to_string(),
            Some(None) => "none".to_string(),
            Some(Some(v)) => v.clone(),
        };
        let (b, a) = (show(before), show(after));
        if b != a {
            out.push(Change {
                what: format!("judgement {name}"),
                item: None,
                before: b,
                after: a,
                because_before: judgement_reasons(before.details.get(name)),
                because_after: judgement_reasons(after.details.get(name)),
            });
        }
    }
    let actions = |o: &Outcome| {
        keyed(&o.actions, |a| {
            (
                (a.action.clone(), a.item.clone()),
                "yes".into(),
                rule_cite(&a.rule, &a.cite),
            )
        })
    };
    compare_keyed("action", &actions(before), &actions(after), &mut out);
    let deadlines = |o: &Outcome| {
        keyed(&o.deadlines, |d| {
            let when = match (&d.date, &d.from, &d.to) {
                (Some(date), _, _) => date.clone(),
                (None, Some(f), Some(t)) => format!("{f} to {t}"),
                _ => String::new(),
            };
            (
                (d.deadline.clone(), d.item.clone()),
                when,
                rule_cite(&d.rule, &d.cite),
            )
        })
    };
    compare_keyed("deadline", &deadlines(before), &deadlines(after), &mut out);
    let advisories = |o: &Outcome| {
        keyed(&o.advisories, |a| {
            (
                (a.rule.clone(), a.item.clone()),
                a.message.clone(),
                rule_cite(&a.rule, &a.cite),
            )
        })
    };
    compare_keyed(
        "advisory",
        &advisories(before),
        &advisories(after),
        &mut out,
    );
    let undetermined = |o: &Outcome| {
        keyed(&o.undetermined, |u| {
            (
                (u.rule.clone(), u.item.clone()),
                format!("missing {}", u.missing.join(", ")),
                rule_cite(&u.rule, &u.cite),
            )
        })
    };
    compare_keyed(
        "undetermined",
        &undetermined(before),
        &undetermined(after),
        &mut out,
    );
    out.sort();
    out
}
