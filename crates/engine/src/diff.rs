//! What a policy change does to one case: the differences between the
//! outcomes of two versions of a ruleset for the same evidence, each with the
//! rules responsible on either side; what it does to a corpus of cases
//! ([`Summary`]); and the thresholds and lets it changed
//! ([`compare_definitions`]).

use crate::calendar::Calendar;
use crate::outcome::{JudgementDetail, Outcome};
use crate::{Editions, Ruleset};
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

/// What kind of entry of an outcome changed. Ordered as the words sort, so
/// that changes sort as [`Change::what`] reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    Action,
    Advisory,
    Deadline,
    Finding,
    Judgement,
    Undetermined,
}

impl ChangeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::Action => "action",
            ChangeKind::Advisory => "advisory",
            ChangeKind::Deadline => "deadline",
            ChangeKind::Finding => "finding",
            ChangeKind::Judgement => "judgement",
            ChangeKind::Undetermined => "undetermined",
        }
    }
}

impl fmt::Display for ChangeKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A rule behind an entry of an outcome, with its citation: written
/// `rule (cite)`, in text and in JSON alike.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Reason {
    pub rule: String,
    pub cite: String,
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.rule, self.cite)
    }
}

impl Serialize for Reason {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// One difference between two outcomes.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Change {
    pub kind: ChangeKind,
    /// The judgement, action, deadline or finding's name, or the rule's id
    /// (an advisory or an undetermined rule).
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub item: Option<String>,
    /// The value before and after; `none` where there was none.
    pub before: String,
    pub after: String,
    /// The rules behind the value on each side.
    pub because_before: Vec<Reason>,
    pub because_after: Vec<Reason>,
}

impl Change {
    /// `judgement overall`, `action urgent_case_review`, `deadline publication`, ...
    pub fn what(&self) -> String {
        format!("{} {}", self.kind, self.name)
    }

    /// The value is the same on both sides, and so are the rules behind
    /// it, but for their citations: a citation edited, and nothing else.
    pub fn only_cited_anew(&self) -> bool {
        fn ids(reasons: &[Reason]) -> Vec<&str> {
            let mut ids: Vec<&str> = reasons.iter().map(|r| r.rule.as_str()).collect();
            ids.sort_unstable();
            ids.dedup();
            ids
        }
        self.before == self.after
            && ids(&self.because_before) == ids(&self.because_after)
            && sorted(&self.because_before) != sorted(&self.because_after)
    }
}

fn rule_cite(rule: &str, cite: &str) -> Reason {
    Reason {
        rule: rule.to_string(),
        cite: cite.to_string(),
    }
}

/// The rules that bind a judgement, or withhold it, each once: a `for
/// each` rule that binds it for several elements is one reason, as for the
/// other entries (`keyed`).
fn judgement_reasons(d: Option<&JudgementDetail>) -> Vec<Reason> {
    let Some(d) = d else { return Vec::new() };
    // Each once, in the order first met; found at once, since a rule may
    // bind for thousands of elements.
    let mut seen: BTreeSet<(&str, &str)> = BTreeSet::new();
    let binding = d.binding.iter().map(|c| (c.rule, c.cite));
    let withheld = d.withheld_by.iter().map(|w| (w.rule, w.cite));
    binding
        .chain(withheld)
        .filter(|&reason| seen.insert(reason))
        .map(|(rule, cite)| rule_cite(rule, cite))
        .collect()
}

/// Entries keyed by name and item, each with its shown value and reason.
type Keyed = BTreeMap<(String, Option<String>), (String, Vec<Reason>)>;

/// Several rules may give the same name for the same item (an urgent case
/// review from two paragraphs), each with its own value: the value shown is
/// each of theirs, sorted, so that a change to any of them is a change.
fn keyed<T>(items: &[T], f: impl Fn(&T) -> ((String, Option<String>), String, Reason)) -> Keyed {
    let mut values: BTreeMap<(String, Option<String>), Vec<String>> = BTreeMap::new();
    let mut map: Keyed = BTreeMap::new();
    for item in items {
        let (key, value, reason) = f(item);
        let seen = values.entry(key.clone()).or_default();
        if !seen.contains(&value) {
            seen.push(value);
        }
        let entry = map
            .entry(key)
            .or_insert_with(|| (String::new(), Vec::new()));
        if !entry.1.contains(&reason) {
            entry.1.push(reason);
        }
    }
    for (key, mut seen) in values {
        seen.sort();
        if let Some(entry) = map.get_mut(&key) {
            entry.0 = seen.join("; ");
        }
    }
    map
}

/// The rules behind a value, in order and each once: the same rules
/// however they came.
fn sorted(rules: &[Reason]) -> Vec<Reason> {
    let mut rules = rules.to_vec();
    rules.sort();
    rules.dedup();
    rules
}

/// An entry changes when its value does, or when the rules that give it
/// do: an urgent case review given by two paragraphs before and by one
/// after is the same action, but a rule has stopped giving it (and a count
/// of cases by rule should count it).
fn compare_keyed(kind: ChangeKind, before: &Keyed, after: &Keyed, out: &mut Vec<Change>) {
    let none = (String::from("none"), Vec::new());
    let keys: std::collections::BTreeSet<_> = before.keys().chain(after.keys()).collect();
    for key in keys {
        let b = before.get(key).unwrap_or(&none);
        let a = after.get(key).unwrap_or(&none);
        if b.0 != a.0 || sorted(&b.1) != sorted(&a.1) {
            out.push(Change {
                kind,
                name: key.0.clone(),
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
    let names: std::collections::BTreeSet<&str> = before
        .judgements
        .keys()
        .chain(after.judgements.keys())
        .copied()
        .collect();
    for name in names {
        let show = |o: &Outcome| match o.judgements.get(name) {
            // Not a judgement of this side's ruleset at all.
            None => "not declared".to_string(),
            Some(None) => "none".to_string(),
            Some(Some(v)) => v.to_string(),
        };
        let (b, a) = (show(before), show(after));
        let because_before = judgement_reasons(before.details.get(name));
        let because_after = judgement_reasons(after.details.get(name));
        // The same value bound by other rules, or by the same rules cited
        // differently, is a change of what the outcome says, as an
        // action's is.
        if b != a || sorted(&because_before) != sorted(&because_after) {
            out.push(Change {
                kind: ChangeKind::Judgement,
                name: name.to_string(),
                item: None,
                before: b,
                after: a,
                because_before,
                because_after,
            });
        }
    }
    let actions = |o: &Outcome| {
        keyed(&o.actions, |a| {
            // A due date moved is a change of the action, and so are its
            // words: the instruction the inspector is given, which may
            // name a date (`no challenge by 2020-12-30: ...`).
            let mut value = match (a.due, a.overdue) {
                (Some(due), true) => format!("due {due}, overdue"),
                (Some(due), false) => format!("due {due}"),
                (None, _) => "yes".into(),
            };
            if let Some(label) = &a.label {
                value.push_str(&format!(": {label}"));
            }
            (
                (a.action.to_string(), a.item.as_deref().map(str::to_owned)),
                value,
                rule_cite(a.rule, a.cite),
            )
        })
    };
    compare_keyed(
        ChangeKind::Action,
        &actions(before),
        &actions(after),
        &mut out,
    );
    let deadlines = |o: &Outcome| {
        keyed(&o.deadlines, |d| {
            let mut when = match (&d.date, &d.from, &d.to) {
                (Some(date), _, _) => date.to_string(),
                (None, Some(f), Some(t)) => format!("{f} to {t}"),
                _ => String::new(),
            };
            if let Some(target) = d.target {
                when.push_str(&format!(", target {target}"));
            }
            if d.overdue {
                when.push_str(", overdue");
            }
            (
                (d.deadline.to_string(), d.item.as_deref().map(str::to_owned)),
                when,
                rule_cite(d.rule, d.cite),
            )
        })
    };
    compare_keyed(
        ChangeKind::Deadline,
        &deadlines(before),
        &deadlines(after),
        &mut out,
    );
    let findings = |o: &Outcome| {
        keyed(&o.findings, |f| {
            (
                (f.finding.to_string(), f.item.as_deref().map(str::to_owned)),
                // Its message names what was found (a date, a count): a
                // message changed is a change, as an advisory's is.
                f.message.as_deref().unwrap_or("yes").to_string(),
                rule_cite(f.rule, f.cite),
            )
        })
    };
    compare_keyed(
        ChangeKind::Finding,
        &findings(before),
        &findings(after),
        &mut out,
    );
    let advisories = |o: &Outcome| {
        keyed(&o.advisories, |a| {
            (
                (a.rule.to_string(), a.item.as_deref().map(str::to_owned)),
                a.message.to_string(),
                rule_cite(a.rule, a.cite),
            )
        })
    };
    compare_keyed(
        ChangeKind::Advisory,
        &advisories(before),
        &advisories(after),
        &mut out,
    );
    let undetermined = |o: &Outcome| {
        keyed(&o.undetermined, |u| {
            (
                (u.rule.to_string(), u.item.as_deref().map(str::to_owned)),
                // What it misses, and what it would do: a pending cap
                // moved is a change even where the same field is missing.
                format!(
                    "missing {}; would give {}",
                    u.missing.join(", "),
                    u.effects
                        .iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                rule_cite(u.rule, u.cite),
            )
        })
    };
    compare_keyed(
        ChangeKind::Undetermined,
        &undetermined(before),
        &undetermined(after),
        &mut out,
    );
    out.sort();
    out
}

/// What the changes over a corpus of cases come to.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Cases read, including those that could not be evaluated.
    pub cases: usize,
    /// Cases with at least one change.
    pub changed: usize,
    /// Cases that could not be evaluated by one ruleset or both.
    pub failed: usize,
    /// Changed cases by each judgement whose value changed in them (not one
    /// only bound by other rules).
    pub by_judgement: BTreeMap<String, usize>,
    /// Changed cases by each rule behind a change in them, on either side,
    /// as `rule (cite)`: a rule whose citation was edited is counted under
    /// each.
    pub by_rule: BTreeMap<String, usize>,
}

impl Summary {
    /// Count a case that was evaluated by both rulesets, with its changes.
    pub fn add(&mut self, changes: &[Change]) {
        self.cases += 1;
        if changes.is_empty() {
            return;
        }
        self.changed += 1;
        let judgements: std::collections::BTreeSet<&str> = changes
            .iter()
            .filter(|c| c.kind == ChangeKind::Judgement && c.before != c.after)
            .map(|c| c.name.as_str())
            .collect();
        for j in judgements {
            *self.by_judgement.entry(j.to_string()).or_default() += 1;
        }
        let rules: std::collections::BTreeSet<&Reason> = changes
            .iter()
            .flat_map(|c| c.because_before.iter().chain(&c.because_after))
            .collect();
        for r in rules {
            *self.by_rule.entry(r.to_string()).or_default() += 1;
        }
    }

    /// Count a case that could not be evaluated.
    pub fn add_failure(&mut self) {
        self.cases += 1;
        self.failed += 1;
    }
}

/// A threshold, let, declaration, rule, citation, calendar entry or
/// edition that two rulesets define differently.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DefinitionChange {
    /// `threshold`, `let`, `header` (`as at` or `evaluated on`, the
    /// evidence date each names), `scale`, `choice`, `record` (a field of a record
    /// type, `type.field`), `evidence` (a field of the evidence),
    /// `judgement`, `invalid` (a check: its message and condition), `rule`
    /// (what it does, on one line), `citation`
    /// (a rule's), `calendar` (`name`, with its version, where
    /// another calendar or none is named; `version`; `years`), `holiday`
    /// (named by its date) or `edition` (named by its version: one on one
    /// side only, or in force over another period).
    pub kind: &'static str,
    pub name: String,
    /// The definition as written on each side; `None` where not declared.
    pub before: Option<String>,
    pub after: Option<String>,
}

impl fmt::Display for DefinitionChange {
    /// `threshold manager_vacancy_limit: 26 weeks -> 24 weeks`,
    /// `holiday 2016-12-27: Christmas Day (substitute day) -> not a holiday`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let absent = match self.kind {
            "holiday" => "not a holiday",
            "calendar" => "none",
            "edition" => "no such edition",
            _ => "not declared",
        };
        let show = |side: &Option<String>| side.clone().unwrap_or_else(|| absent.into());
        write!(
            f,
            "{} {}: {} -> {}",
            self.kind,
            self.name,
            show(&self.before),
            show(&self.after)
        )
    }
}

/// The thresholds, lets, scales, choices, fields (of record types and of
/// the evidence), judgements, `invalid` checks and rules that two rulesets
/// define differently, kind by kind, each in the order declared (before's,
/// then those only after declares); then the rules cited anew, then their
/// calendars' differences: another calendar named (or none), or another
/// version of it, the years it covers, and each day a holiday on one side
/// only or named differently, by date (where both name a calendar). Thresholds are compared by
/// value (`26 weeks` and `182 days` are the same), lets by their
/// expressions, rules by what they do (`Ruleset::rules_as_written`) and
/// the rest by what they declare (`Ruleset::declarations_as_written`), as
/// written in the canonical layout.
pub fn compare_definitions(before: &Ruleset, after: &Ruleset) -> Vec<DefinitionChange> {
    let mut out = Vec::new();
    let value = |r: &Ruleset, name: &str| {
        r.model()
            .thresholds
            .iter()
            .find(|t| t.name == name)
            .map(|t| t.value.clone())
    };
    let same = |_: &str, b: &Option<String>, a: &Option<String>| b == a;
    // Thresholds by value: `26 weeks` and `182 days` are the same.
    let thresholds = pairs(before.thresholds(), after.thresholds());
    changes(&mut out, "threshold", thresholds, |name, _, _| {
        value(before, name) == value(after, name)
    });
    changes(&mut out, "let", pairs(before.lets(), after.lets()), same);
    // The header's evidence dates, and each scale, choice, field, judgement
    // and check declared on one side only or declared otherwise, kind by
    // kind.
    for kind in DECLARED {
        let sides = pairs(declared(before, kind), declared(after, kind));
        changes(&mut out, kind, sides, same);
    }
    // Each rule added, removed or doing something else; then each on both
    // sides cited anew (one on one side only is named once, above).
    let rules = pairs(rule_texts(before, false), rule_texts(after, false));
    changes(&mut out, "rule", rules, same);
    let citations = pairs(rule_texts(before, true), rule_texts(after, true));
    changes(&mut out, "citation", citations, |_, b, a| {
        b.is_none() || a.is_none() || b == a
    });
    out.extend(compare_calendars(before.calendar(), after.calendar()));
    out
}

/// Each entry of `sides` that is not `same`, as a change of `kind`.
fn changes(
    out: &mut Vec<DefinitionChange>,
    kind: &'static str,
    sides: Sides,
    same: impl Fn(&str, &Option<String>, &Option<String>) -> bool,
) {
    for (name, before, after) in sides {
        if !same(&name, &before, &after) {
            out.push(DefinitionChange {
                kind,
                name,
                before,
                after,
            });
        }
    }
}

/// The kinds of declaration besides thresholds, lets and rules that
/// [`compare_definitions`] compares, in the order it names them.
const DECLARED: [&str; 7] = [
    "header",
    "scale",
    "choice",
    "record",
    "evidence",
    "judgement",
    "invalid",
];

/// Each declaration of `kind` by its name, with what it declares on one line.
fn declared<'r>(r: &'r Ruleset, kind: &'r str) -> impl Iterator<Item = (&'r str, &'r str)> {
    r.declarations_as_written()
        .iter()
        .filter(move |d| d.kind == kind)
        .map(|d| (d.name.as_str(), d.text.as_str()))
}

/// Each rule's id with what it does on one line, or (`cite`) its citation.
fn rule_texts(r: &Ruleset, cite: bool) -> impl Iterator<Item = (&str, &str)> {
    r.rules_as_written()
        .map(move |(id, citation, logic)| (id, if cite { citation } else { logic }))
}

/// Each edition of `after` with the edition of `before` it is compared
/// with: the one of the same version, or else, for an edition `after`
/// adds, the one `before` has in force on its first day (the edition it
/// takes over from; for one in force from the start, the first). An
/// edition with neither is compared with none.
pub fn edition_pairs<'a>(
    before: &'a Editions,
    after: &'a Editions,
) -> Vec<(&'a Ruleset, &'a Ruleset)> {
    after
        .editions()
        .iter()
        .filter_map(|a| {
            let b = before
                .edition(a.version())
                .or_else(|| match a.in_force().0 {
                    Some(first) => before.editions().iter().find(|b| b.covers(first)),
                    None => before.editions().first(),
                })?;
            Some((b, a))
        })
        .collect()
}

/// The editions two versions of a ruleset hold differently, by version: an
/// edition on one side only, and one in force over another period. Where
/// each side has one edition (two rule files, say), the one used on each
/// side, where they differ in name or period (`edition used: 2016-07 (in
/// force from 2015-07-01) -> 2016-08 (in force from 2016-01-15)`).
pub fn compare_editions(before: &Editions, after: &Editions) -> Vec<DefinitionChange> {
    let period = |r: &Ruleset| match r.in_force() {
        (Some(f), Some(t)) => format!("in force from {f} to {t}"),
        (Some(f), None) => format!("in force from {f}"),
        (None, Some(t)) => format!("in force to {t}"),
        (None, None) => "always in force".to_string(),
    };
    if let ([b], [a]) = (before.editions(), after.editions()) {
        let used = |r: &Ruleset| format!("{} ({})", r.version(), period(r));
        let (b, a) = (used(b), used(a));
        return if b == a {
            Vec::new()
        } else {
            vec![DefinitionChange {
                kind: "edition",
                name: "used".to_string(),
                before: Some(b),
                after: Some(a),
            }]
        };
    }
    let side = |editions: &Editions| -> BTreeMap<String, String> {
        editions
            .editions()
            .iter()
            .map(|r| (r.version().to_string(), period(r)))
            .collect()
    };
    let (b, a) = (side(before), side(after));
    let versions: BTreeSet<&String> = b.keys().chain(a.keys()).collect();
    versions
        .into_iter()
        .filter_map(|v| {
            let (before, after) = (b.get(v).cloned(), a.get(v).cloned());
            (before != after).then(|| DefinitionChange {
                kind: "edition",
                name: v.clone(),
                before,
                after,
            })
        })
        .collect()
}

/// What two calendars hold differently (see [`compare_definitions`]).
fn compare_calendars(before: Option<&Calendar>, after: Option<&Calendar>) -> Vec<DefinitionChange> {
    let change = |kind, name: &str, before: Option<String>, after: Option<String>| {
        (before != after).then(|| DefinitionChange {
            kind,
            name: name.to_string(),
            before,
            after,
        })
    };
    let named = |c: &Calendar| format!("{} (version {})", c.name(), c.version());
    let years = |c: &Calendar| match c.years() {
        (first, last) if first == last => format!("{first}"),
        (first, last) => format!("{first} to {last}"),
    };
    let (Some(b), Some(a)) = (before, after) else {
        // A calendar on one side only: it, not each of its holidays.
        return change("calendar", "name", before.map(named), after.map(named))
            .into_iter()
            .collect();
    };
    let mut out: Vec<DefinitionChange> = [
        match b.name() == a.name() {
            true => change(
                "calendar",
                "version",
                Some(b.version().to_string()),
                Some(a.version().to_string()),
            ),
            false => change("calendar", "name", Some(named(b)), Some(named(a))),
        },
        change("calendar", "years", Some(years(b)), Some(years(a))),
    ]
    .into_iter()
    .flatten()
    .collect();
    let (b, a): (BTreeMap<_, _>, BTreeMap<_, _>) = (b.holidays().collect(), a.holidays().collect());
    let days: BTreeSet<&NaiveDate> = b.keys().chain(a.keys()).collect();
    for day in days {
        let name = |side: &BTreeMap<NaiveDate, &str>| side.get(day).map(|n| n.to_string());
        out.extend(change("holiday", &day.to_string(), name(&b), name(&a)));
    }
    out
}

/// Each name of either side with its text on each side.
type Sides = Vec<(String, Option<String>, Option<String>)>;

fn pairs<'a>(
    before: impl Iterator<Item = (&'a str, &'a str)>,
    after: impl Iterator<Item = (&'a str, &'a str)>,
) -> Sides {
    let mut out: Sides = Vec::new();
    // Each name's place, found at once: a ruleset may have thousands.
    let mut at: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    // A name declared twice on one side (an evidence field both a ruleset
    // and the definitions it uses declare, alike) is one entry: the first.
    for (name, text) in before {
        if !at.contains_key(name) {
            at.insert(name.to_string(), out.len());
            out.push((name.to_string(), Some(text.to_string()), None));
        }
    }
    let mut seen_after = std::collections::HashSet::new();
    for (name, text) in after {
        if !seen_after.insert(name) {
            continue;
        }
        match at.get(name).and_then(|&i| out.get_mut(i)) {
            Some(entry) => entry.2 = Some(text.to_string()),
            None => {
                at.insert(name.to_string(), out.len());
                out.push((name.to_string(), None, Some(text.to_string())));
            }
        }
    }
    out
}

#[cfg(test)]
mod calendar_tests {
    use super::*;

    fn calendar(name: &str, version: &str, holidays: &str) -> Calendar {
        let text = format!(
            "calendar {name}\ntitle \"T\"\nversion \"{version}\"\nsource \"made up\"\nyears 2015 to 2015\n{holidays}"
        );
        Calendar::parse(&text).unwrap_or_else(|e| panic!("{e:?}"))
    }

    fn shown(changes: &[DefinitionChange]) -> Vec<String> {
        changes.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn a_calendar_on_one_side_only_is_one_change_not_one_a_holiday() {
        let c = calendar(
            "ew",
            "1",
            "2015-12-25 Christmas Day\n2015-12-28 Boxing Day\n",
        );
        assert_eq!(
            shown(&compare_calendars(Some(&c), None)),
            ["calendar name: ew (version 1) -> none"]
        );
        assert_eq!(
            shown(&compare_calendars(None, Some(&c))),
            ["calendar name: none -> ew (version 1)"]
        );
        assert!(compare_calendars(None, None).is_empty());
        assert!(compare_calendars(Some(&c), Some(&c)).is_empty());
    }

    #[test]
    fn another_version_and_its_holidays_are_named() {
        let before = calendar(
            "ew",
            "1",
            "2015-12-25 Christmas Day\n2015-12-28 Boxing Day\n",
        );
        let after = calendar("ew", "2", "2015-12-25 Christmas\n2015-12-29 Extra\n");
        assert_eq!(
            shown(&compare_calendars(Some(&before), Some(&after))),
            [
                "calendar version: 1 -> 2",
                "holiday 2015-12-25: Christmas Day -> Christmas",
                "holiday 2015-12-28: Boxing Day -> not a holiday",
                "holiday 2015-12-29: not a holiday -> Extra",
            ]
        );
        let other = calendar(
            "scotland",
            "1",
            "2015-12-25 Christmas Day\n2015-12-28 Boxing Day\n",
        );
        assert_eq!(
            shown(&compare_calendars(Some(&before), Some(&other))),
            ["calendar name: ew (version 1) -> scotland (version 1)"]
        );
    }
}
