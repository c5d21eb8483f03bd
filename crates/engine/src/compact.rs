//! The compact form of an outcome, for bulk runs (`judgement eval
//! --compact`): what a program acting on many records needs, without the
//! explanations. It is a view that borrows from an [`Outcome`]
//! ([`Outcome::compact`]) and serialises to the JSON Schema in
//! `contracts/compact.schema.json`. [`Outcome::compact_json`] writes the
//! same JSON from the outcome's own lists, without collecting the view's.
//!
//! | key | what it holds |
//! |---|---|
//! | `id` | the record's `id`, when it has one |
//! | `ruleset` | `name` and `version` (the edition); no digest or calendar |
//! | `judgements` | the same map as the full outcome: every declared judgement, `null` when not made |
//! | `provisional` | the judgements an undecided rule could change, in declaration order; left out when there are none |
//! | `actions` | `action`, `rule`, then `item`, `due`, `overdue`, `provisional` when they apply |
//! | `deadlines` | `deadline`, `date` or `from` and `to`, `target`, `rule`, then `item`, `overdue`, `provisional` when they apply |
//! | `findings` | `finding`, `rule`, then `item`, `provisional` when they apply |
//! | `advisories` | the ids of the rules that advised, sorted, each once |
//! | `undetermined` | the ids of the hard rules that could not be decided, sorted, each once |
//!
//! Each action, deadline and finding is the full outcome's entry, in the
//! same order, without its citation, label, message and the reasons it is
//! provisional: `provisional` is `true` when it is, and left out otherwise,
//! as `overdue` is. `details`, `evaluated_on`, `warnings` and `trace` are
//! left out; the full outcome has them.

use crate::outcome::{serial, Action, Deadline, Finding, Outcome};
use chrono::NaiveDate;
use serde::Serialize;

/// The compact form of an [`Outcome`]: see the module's documentation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CompactOutcome<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<&'a str>,
    pub ruleset: CompactRuleset<'a>,
    /// Every declared judgement, in declaration order, as in the outcome.
    pub judgements: &'a crate::outcome::ByName<'a, Option<&'a str>>,
    /// The judgements that an undecided hard rule could change.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub provisional: Vec<&'a str>,
    pub actions: Vec<CompactAction<'a>>,
    pub deadlines: Vec<CompactDeadline<'a>>,
    pub findings: Vec<CompactFinding<'a>>,
    /// The rules that advised, each once.
    pub advisories: Vec<&'a str>,
    /// The hard rules that could not be decided, each once.
    pub undetermined: Vec<&'a str>,
}

/// The ruleset and edition that made the outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct CompactRuleset<'a> {
    pub name: &'a str,
    pub version: &'a str,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct CompactAction<'a> {
    pub action: &'a str,
    pub rule: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub item: Option<&'a str>,
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "serial::opt_date"
    )]
    pub due: Option<NaiveDate>,
    #[serde(skip_serializing_if = "is_false")]
    pub overdue: bool,
    #[serde(skip_serializing_if = "is_false")]
    pub provisional: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct CompactDeadline<'a> {
    pub deadline: &'a str,
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "serial::opt_date"
    )]
    pub date: Option<NaiveDate>,
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "serial::opt_date"
    )]
    pub from: Option<NaiveDate>,
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "serial::opt_date"
    )]
    pub to: Option<NaiveDate>,
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "serial::opt_date"
    )]
    pub target: Option<NaiveDate>,
    pub rule: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub item: Option<&'a str>,
    #[serde(skip_serializing_if = "is_false")]
    pub overdue: bool,
    #[serde(skip_serializing_if = "is_false")]
    pub provisional: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct CompactFinding<'a> {
    pub finding: &'a str,
    pub rule: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub item: Option<&'a str>,
    #[serde(skip_serializing_if = "is_false")]
    pub provisional: bool,
}

fn is_false(b: &bool) -> bool {
    !*b
}

impl Outcome<'_> {
    /// The compact form of this outcome, for bulk runs: judgements,
    /// actions, deadlines, findings and rule ids, without citations, prose,
    /// details or trace (see [`crate::compact`]).
    pub fn compact(&self) -> CompactOutcome<'_> {
        CompactOutcome {
            id: self.id.as_deref(),
            ruleset: CompactRuleset {
                name: self.ruleset.name,
                version: self.ruleset.version,
            },
            judgements: &self.judgements,
            provisional: self
                .details
                .iter()
                .filter(|(_, d)| d.provisional.is_some())
                .map(|(name, _)| *name)
                .collect(),
            actions: self.actions.iter().map(CompactAction::of).collect(),
            deadlines: self.deadlines.iter().map(CompactDeadline::of).collect(),
            findings: self.findings.iter().map(CompactFinding::of).collect(),
            advisories: rule_ids(self.advisories.iter().map(|a| a.rule)),
            undetermined: rule_ids(self.undetermined.iter().map(|u| u.rule)),
        }
    }
}

impl Outcome<'_> {
    /// The compact form as JSON: the same bytes as [`Outcome::compact`]
    /// serialised, written from the outcome's own lists without collecting
    /// new ones first (`judgement eval --compact` writes every record so).
    pub fn compact_json(&self) -> impl Serialize + '_ {
        CompactJson(self)
    }
}

/// See [`Outcome::compact_json`]. Its keys, their order and what is left
/// out are [`CompactOutcome`]'s; `tests/compact.rs` holds the two to the
/// same bytes.
struct CompactJson<'o, 'a>(&'o Outcome<'a>);

impl Serialize for CompactJson<'_, '_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let o = self.0;
        let provisional = || {
            o.details
                .iter()
                .filter(|(_, d)| d.provisional.is_some())
                .map(|(name, _)| *name)
        };
        let mut s = serializer.serialize_struct("CompactOutcome", 9)?;
        match o.id.as_deref() {
            Some(id) => s.serialize_field("id", id)?,
            None => s.skip_field("id")?,
        }
        s.serialize_field(
            "ruleset",
            &CompactRuleset {
                name: o.ruleset.name,
                version: o.ruleset.version,
            },
        )?;
        s.serialize_field("judgements", &o.judgements)?;
        if provisional().next().is_some() {
            s.serialize_field("provisional", &Listed(provisional))?;
        } else {
            s.skip_field("provisional")?;
        }
        s.serialize_field(
            "actions",
            &Listed(|| o.actions.iter().map(CompactAction::of)),
        )?;
        s.serialize_field(
            "deadlines",
            &Listed(|| o.deadlines.iter().map(CompactDeadline::of)),
        )?;
        s.serialize_field(
            "findings",
            &Listed(|| o.findings.iter().map(CompactFinding::of)),
        )?;
        s.serialize_field("advisories", &rule_ids(o.advisories.iter().map(|a| a.rule)))?;
        s.serialize_field(
            "undetermined",
            &rule_ids(o.undetermined.iter().map(|u| u.rule)),
        )?;
        s.end()
    }
}

/// A list serialised from the iterator its closure makes, without being
/// collected.
struct Listed<F>(F);

impl<F, I> Serialize for Listed<F>
where
    F: Fn() -> I,
    I: Iterator,
    I::Item: Serialize,
{
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq((self.0)())
    }
}

impl<'a> CompactAction<'a> {
    fn of(a: &'a Action<'_>) -> Self {
        CompactAction {
            action: a.action,
            rule: a.rule,
            item: a.item.as_deref(),
            due: a.due,
            overdue: a.overdue,
            provisional: a.provisional.is_some(),
        }
    }
}

impl<'a> CompactDeadline<'a> {
    fn of(d: &'a Deadline<'_>) -> Self {
        CompactDeadline {
            deadline: d.deadline,
            date: d.date,
            from: d.from,
            to: d.to,
            target: d.target,
            rule: d.rule,
            item: d.item.as_deref(),
            overdue: d.overdue,
            provisional: d.provisional.is_some(),
        }
    }
}

impl<'a> CompactFinding<'a> {
    fn of(f: &'a Finding<'_>) -> Self {
        CompactFinding {
            finding: f.finding,
            rule: f.rule,
            item: f.item.as_deref(),
            provisional: f.provisional.is_some(),
        }
    }
}

/// Rule ids sorted, each once.
fn rule_ids<'a>(ids: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    let mut ids: Vec<&str> = ids.collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}
