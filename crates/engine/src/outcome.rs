//! The outcome of evaluating one evidence record: the contract of DESIGN.md
//! section 5 (`shared/contracts/outcome.schema.json`). Field names are stable.

use indexmap::IndexMap;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Outcome {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub ruleset: RulesetRef,
    /// Final value of each judgement that applies; `None` where withheld.
    pub judgements: IndexMap<String, Option<String>>,
    /// How each judgement got its value: proposed, binding and slack rules.
    pub details: IndexMap<String, JudgementDetail>,
    pub actions: Vec<Action>,
    pub deadlines: Vec<Deadline>,
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
    pub rule: String,
    pub cite: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub item: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Advisory {
    pub rule: String,
    pub cite: String,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub item: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Undetermined {
    pub rule: String,
    pub cite: String,
    pub missing: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub item: Option<String>,
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
