//! The outcome of evaluating one evidence record: the contract of DESIGN.md
//! section 5, kept as a JSON Schema in `contracts/outcome.schema.json`.
//! Field names are stable.

use indexmap::IndexMap;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Outcome {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub ruleset: RulesetRef,
    /// The evidence date the record was evaluated on (`evaluated on` in the
    /// ruleset's header): deadlines before it are overdue.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub evaluated_on: Option<String>,
    /// Every declared judgement, in declaration order: its final value, or
    /// `None` where no judgement is made (not made at this kind of
    /// inspection, or withheld by a rule; `details` says which).
    pub judgements: IndexMap<String, Option<String>>,
    /// How each judgement got its value: proposed, binding and slack rules.
    pub details: IndexMap<String, JudgementDetail>,
    pub actions: Vec<Action>,
    pub deadlines: Vec<Deadline>,
    /// What the evidence shows breaks a rule.
    pub findings: Vec<Finding>,
    pub advisories: Vec<Advisory>,
    pub undetermined: Vec<Undetermined>,
    /// Evidence keys the ruleset does not declare, when the caller allowed
    /// them (`EvalOptions::allow_unknown_fields`); otherwise they are errors.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<Warning>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trace: Option<Vec<TraceStep>>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RulesetRef {
    pub name: String,
    pub version: String,
    pub digest: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub calendar: Option<CalendarRef>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CalendarRef {
    pub name: String,
    pub version: String,
}

/// A rule that constrained a judgement, and how.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Constraint {
    pub rule: String,
    pub cite: String,
    /// `= inadequate`, `at most requires_improvement`, `at least good`.
    pub constraint: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub item: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct JudgementDetail {
    /// The inspector's proposed value, if the evidence gave one.
    pub proposed: Option<String>,
    pub value: Option<String>,
    /// The constraints that moved the value (or pinned it): the binding ones.
    pub binding: Vec<Constraint>,
    /// Constraints that fired but did not move the value.
    pub slack: Vec<Constraint>,
    /// Whether a hard rule rejected the proposed value.
    pub rejected: bool,
    /// The rule that withheld the judgement (no judgement is made).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub withheld_by: Option<RuleRef>,
    /// Why there is no value: not made at this kind of inspection, or
    /// withheld by a rule.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub not_made: Option<String>,
    /// Set when a hard rule that could not be decided could change the value.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub provisional: Option<Provisional>,
}

/// The rules that could not be decided and could change an entry, and the
/// evidence they miss.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Provisional {
    pub rules: Vec<String>,
    pub missing: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct RuleRef {
    pub rule: String,
    pub cite: String,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Action {
    pub action: String,
    pub rule: String,
    pub cite: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub item: Option<String>,
    /// The words the rule gives the action, for people.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// The date it is due by.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub due: Option<String>,
    /// Due before the evaluation date.
    #[serde(skip_serializing_if = "is_false")]
    pub overdue: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub provisional: Option<Provisional>,
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// What the evidence shows breaks a rule (a notice given late, a sample
/// below its minimum).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Finding {
    pub finding: String,
    pub rule: String,
    pub cite: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub item: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub provisional: Option<Provisional>,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Deadline {
    pub deadline: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    /// The date aimed for, within the window or before the deadline.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    pub rule: String,
    pub cite: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub item: Option<String>,
    /// The deadline (or the window's last day) is before the evaluation date.
    #[serde(skip_serializing_if = "is_false")]
    pub overdue: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub provisional: Option<Provisional>,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Advisory {
    pub rule: String,
    pub cite: String,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub item: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub provisional: Option<Provisional>,
}

/// A hard rule whose condition could not be decided: what it misses, and
/// what it would do.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Undetermined {
    pub rule: String,
    pub cite: String,
    pub missing: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub item: Option<String>,
    /// Provisional judgements the condition reads.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub depends_on: Vec<String>,
    /// What the rule would do if it held: `overall at most good`,
    /// `action urgent_case_review`, ...
    pub effects: Vec<String>,
}

impl Outcome {
    /// The value of a judgement: `None` when it is not made, withheld, or not
    /// a judgement of this ruleset. Never panics.
    pub fn judgement(&self, name: &str) -> Option<&str> {
        self.judgements.get(name)?.as_deref()
    }

    /// Whether an undetermined rule could change the judgement.
    pub fn is_provisional(&self, name: &str) -> bool {
        self.details
            .get(name)
            .is_some_and(|d| d.provisional.is_some())
    }

    /// Whether anything in the outcome could change with more evidence.
    pub fn has_provisional(&self) -> bool {
        !self.undetermined.is_empty() || self.details.values().any(|d| d.provisional.is_some())
    }
}

/// Something in the evidence that did not stop the evaluation, at a JSON
/// path.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Warning {
    pub path: String,
    pub message: String,
}

/// One step of an evaluation, recorded when a trace is asked for.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum TraceStep {
    /// A derived value.
    Let { name: String, value: String },
    /// A rule's condition and what it did.
    Rule {
        rule: String,
        cite: String,
        /// `fired`, `not fired` or `undetermined`.
        result: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        item: Option<String>,
        /// The values the condition read, as `name = value`.
        values: Vec<String>,
    },
    /// A judgement made final.
    Judgement {
        judgement: String,
        proposed: Option<String>,
        value: Option<String>,
        applies: bool,
    },
    /// A date computed in working days, with every day skipped and why.
    WorkingDays {
        rule: String,
        deadline: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        item: Option<String>,
        start: String,
        days: i64,
        end: String,
        skipped: Vec<SkippedDay>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SkippedDay {
    pub date: String,
    pub reason: String,
}
