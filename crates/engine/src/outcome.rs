//! The outcome of evaluating one evidence record: the contract of DESIGN.md
//! section 5, kept as a JSON Schema in `contracts/outcome.schema.json`.
//! Field names are stable.
//!
//! An outcome is typed data that borrows from the ruleset that made it
//! (`'r`): rule ids, citations, judgement and scale names are the
//! ruleset's own strings, dates are dates, relations and results are enums.
//! Nothing is rendered as text until the outcome is serialised, so that
//! evaluating a record copies no names, and readers (`explain`, `diff`)
//! match on types rather than on strings.

mod names;
pub(crate) mod serial;
mod spare;
mod trace;
mod write;

pub use names::ByName;
pub use spare::Spare;
pub use trace::{Edge, ReadValue, RuleResult, TraceStep};
pub use write::{to_json_string, write_json};

use chrono::NaiveDate;
use serde::Serialize;
use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;

/// The id of a list element a `for each` rule was on (the element's `id`,
/// or its date for a list of months): shared with the evidence, not copied.
pub type Item = Arc<str>;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Outcome<'r> {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub ruleset: RulesetRef<'r>,
    /// The evidence date the record was evaluated on (`evaluated on` in the
    /// ruleset's header): deadlines before it are overdue.
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "serial::opt_date"
    )]
    pub evaluated_on: Option<NaiveDate>,
    /// Every declared judgement, in declaration order: its final value, or
    /// `None` where no judgement is made (not made at this kind of
    /// inspection, or withheld by a rule; `details` says which).
    pub judgements: ByName<'r, Option<&'r str>>,
    /// How each judgement got its value: proposed, binding and slack rules.
    pub details: ByName<'r, JudgementDetail<'r>>,
    pub actions: Vec<Action<'r>>,
    pub deadlines: Vec<Deadline<'r>>,
    /// What the evidence shows breaks a rule.
    pub findings: Vec<Finding<'r>>,
    #[serde(serialize_with = "serial::out_of_line")]
    pub advisories: Vec<Advisory<'r>>,
    #[serde(serialize_with = "serial::out_of_line")]
    pub undetermined: Vec<Undetermined<'r>>,
    /// Evidence keys the ruleset does not declare, when the caller allowed
    /// them (`EvalOptions::allow_unknown_fields`); otherwise they are errors.
    #[serde(
        skip_serializing_if = "Vec::is_empty",
        serialize_with = "serial::out_of_line"
    )]
    pub warnings: Vec<Warning>,
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "serial::out_of_line"
    )]
    pub trace: Option<Vec<TraceStep<'r>>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct RulesetRef<'r> {
    pub name: &'r str,
    pub version: &'r str,
    pub digest: &'r str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub calendar: Option<CalendarRef<'r>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct CalendarRef<'r> {
    pub name: &'r str,
    pub version: &'r str,
}

/// How a constraint bounds a judgement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Relation {
    /// `= G`: both a cap and a floor.
    Equal,
    /// `at most G`: a cap.
    AtMost,
    /// `at least G`: a floor.
    AtLeast,
}

impl Relation {
    /// The words of the rule file: `=`, `at most`, `at least`.
    pub fn as_str(self) -> &'static str {
        match self {
            Relation::Equal => "=",
            Relation::AtMost => "at most",
            Relation::AtLeast => "at least",
        }
    }
}

impl fmt::Display for Relation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A rule that constrained a judgement, and how. Serialised with the
/// relation and value as one string, `constraint`: `= inadequate`,
/// `at most requires_improvement`, `at least good`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Constraint<'r> {
    pub rule: &'r str,
    pub cite: &'r str,
    pub relation: Relation,
    /// The scale value it bounds by.
    pub value: &'r str,
    pub item: Option<Item>,
}

impl Constraint<'_> {
    /// `at most requires_improvement`, as the outcome writes it.
    pub fn text(&self) -> String {
        format!("{} {}", self.relation, self.value)
    }

    /// The bytes of [`Constraint::text`], without building it.
    fn text_bytes(&self) -> impl Iterator<Item = u8> + '_ {
        let relation = self.relation.as_str().bytes();
        relation
            .chain(std::iter::once(b' '))
            .chain(self.value.bytes())
    }
}

/// Constraints sort as the outcome lists them: by rule, citation, the
/// constraint as written, then item.
impl Ord for Constraint<'_> {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.rule
            .cmp(other.rule)
            .then_with(|| self.cite.cmp(other.cite))
            .then_with(|| self.text_bytes().cmp(other.text_bytes()))
            .then_with(|| self.item.cmp(&other.item))
    }
}

impl PartialOrd for Constraint<'_> {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct JudgementDetail<'r> {
    /// The inspector's proposed value, if the evidence gave one.
    pub proposed: Option<&'r str>,
    pub value: Option<&'r str>,
    /// The constraints that moved the value (or pinned it): the binding ones.
    pub binding: Vec<Constraint<'r>>,
    /// Constraints that fired but did not move the value.
    pub slack: Vec<Constraint<'r>>,
    /// Whether a hard rule rejected the proposed value.
    pub rejected: bool,
    /// The rule that withheld the judgement (no judgement is made).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub withheld_by: Option<RuleRef<'r>>,
    /// Why there is no value: not made at this kind of inspection, or
    /// withheld by a rule. Serialised as a sentence.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub not_made: Option<NotMade<'r>>,
    /// Set when a hard rule that could not be decided could change the value.
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "serial::out_of_line"
    )]
    pub provisional: Option<Box<Provisional<'r>>>,
}

impl JudgementDetail<'_> {
    /// The detail of a judgement not yet made: a judgement's place in an
    /// outcome as evaluation starts, written over as it is made.
    pub(crate) fn unmade() -> Self {
        JudgementDetail {
            proposed: None,
            value: None,
            binding: Vec::new(),
            slack: Vec::new(),
            rejected: false,
            withheld_by: None,
            not_made: None,
            provisional: None,
        }
    }
}

/// Why a judgement has no value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotMade<'r> {
    /// Its `when` condition is false for this record (`condition` is that
    /// condition as written, where the judgement has one).
    NotAtThisInspection { condition: Option<&'r str> },
    /// A rule said `then no judgement`.
    WithheldBy(RuleRef<'r>),
}

impl fmt::Display for NotMade<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            // Pieces written one by one rather than with `write!`: the
            // sentence is written into every outcome, and formatting
            // arguments costs more than copying strings.
            NotMade::NotAtThisInspection { condition: Some(c) } => {
                f.write_str("not made at this inspection: it is made only when ")?;
                f.write_str(c)
            }
            NotMade::NotAtThisInspection { condition: None } => {
                f.write_str("not made at this inspection")
            }
            NotMade::WithheldBy(by) => {
                f.write_str("withheld by rule ")?;
                f.write_str(by.rule)?;
                f.write_str(" (")?;
                f.write_str(by.cite)?;
                f.write_str(")")
            }
        }
    }
}

/// The rules that could not be decided and could change an entry, and the
/// evidence they miss (JSON paths).
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Provisional<'r> {
    pub rules: Vec<&'r str>,
    pub missing: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct RuleRef<'r> {
    pub rule: &'r str,
    pub cite: &'r str,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Action<'r> {
    pub action: &'r str,
    pub rule: &'r str,
    pub cite: &'r str,
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "serial::opt_item"
    )]
    pub item: Option<Item>,
    /// The words the rule gives the action, for people.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<Cow<'r, str>>,
    /// The date it is due by.
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "serial::opt_date"
    )]
    pub due: Option<NaiveDate>,
    /// Due before the evaluation date.
    #[serde(skip_serializing_if = "is_false")]
    pub overdue: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub provisional: Option<Box<Provisional<'r>>>,
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// What the evidence shows breaks a rule (a notice given late, a sample
/// below its minimum).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Finding<'r> {
    pub finding: &'r str,
    pub rule: &'r str,
    pub cite: &'r str,
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "serial::opt_item"
    )]
    pub item: Option<Item>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<Cow<'r, str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub provisional: Option<Box<Provisional<'r>>>,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Deadline<'r> {
    pub deadline: &'r str,
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
    /// The date aimed for, within the window or before the deadline.
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "serial::opt_date"
    )]
    pub target: Option<NaiveDate>,
    pub rule: &'r str,
    pub cite: &'r str,
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "serial::opt_item"
    )]
    pub item: Option<Item>,
    /// The deadline (or the window's last day) is before the evaluation
    /// date, and it was not met by then.
    #[serde(skip_serializing_if = "is_false")]
    pub overdue: bool,
    /// The day it was met (`met on`), on or before the evaluation date
    /// and, for a window, on or after its first day. Not part of the
    /// outcome JSON: it is why a past deadline is not overdue, for
    /// explanations.
    #[serde(skip)]
    pub met: Option<NaiveDate>,
    /// For a window, the day recorded as the one it was met (`met on`)
    /// where that is before the window's first day, which does not meet it.
    /// Not part of the outcome JSON: it is why a window with a day
    /// recorded is overdue, for explanations.
    #[serde(skip)]
    pub met_before_it_opened: Option<NaiveDate>,
    /// An `optional deadline`: the last day for something that may be left
    /// undone, never overdue. Not part of the outcome JSON: for
    /// explanations.
    #[serde(skip)]
    pub optional: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub provisional: Option<Box<Provisional<'r>>>,
}

impl Deadline<'_> {
    /// The day it falls on, or the first day of its window.
    pub fn first_day(&self) -> Option<NaiveDate> {
        self.date.or(self.from)
    }

    /// The day it falls on, or the last day of its window.
    pub fn last_day(&self) -> Option<NaiveDate> {
        self.date.or(self.to)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Advisory<'r> {
    pub rule: &'r str,
    pub cite: &'r str,
    pub message: Cow<'r, str>,
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "serial::opt_item"
    )]
    pub item: Option<Item>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub provisional: Option<Box<Provisional<'r>>>,
}

/// A hard rule whose condition could not be decided: what it misses, and
/// what it would do.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Undetermined<'r> {
    pub rule: &'r str,
    pub cite: &'r str,
    pub missing: Vec<String>,
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "serial::opt_item"
    )]
    pub item: Option<Item>,
    /// Provisional judgements the condition reads.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub depends_on: Vec<&'r str>,
    /// What the rule would do if it held, each once, in the order its
    /// effects are written.
    pub effects: Vec<WouldGive<'r>>,
}

/// One thing an undetermined hard rule would give if it held. Serialised
/// in the rule file's words (its `Display`): `overall at most good`,
/// `action urgent_case_review`, `finding arrived_before_noon`,
/// `deadline draft_report`, `no judgement`, `an advisory`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WouldGive<'r> {
    /// A bound on a judgement; `value` is `None` where the bound's own
    /// value is not known.
    Bound {
        judgement: &'r str,
        relation: Relation,
        value: Option<&'r str>,
    },
    Action(&'r str),
    Finding(&'r str),
    /// A deadline or a window.
    Deadline(&'r str),
    /// Every judgement withheld.
    NoJudgement,
    /// The judgement of this name withheld.
    NoJudgementOf(&'r str),
    Advisory,
    /// The record refused (an `invalid` check's effect).
    Refusal,
    /// The deadline, or the action's due date, of this name, whose date is
    /// not known: the rule's condition held.
    DateNotKnown {
        kind: Dated,
        name: &'r str,
    },
    /// Whether the deadline of this name is overdue: it is past, and the
    /// day it was met is not known.
    OverdueNotKnown(&'r str),
}

impl WouldGive<'_> {
    /// Whether this is what a rule whose condition held leaves unknown (a
    /// date, or whether a deadline is overdue), rather than what a rule not
    /// decided would give.
    pub fn is_of_a_rule_that_held(&self) -> bool {
        matches!(
            self,
            WouldGive::DateNotKnown { .. } | WouldGive::OverdueNotKnown(_)
        )
    }
}

/// What a date not known belongs to ([`WouldGive::DateNotKnown`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dated {
    Deadline,
    /// An action's due date (`then action NAME by DATE`).
    Action,
}

impl Dated {
    /// The word the outcome leads with: `deadline` or `action`.
    pub fn word(self) -> &'static str {
        match self {
            Dated::Deadline => "deadline",
            Dated::Action => "action",
        }
    }
}

impl fmt::Display for WouldGive<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WouldGive::Bound {
                judgement,
                relation,
                value,
            } => write!(
                f,
                "{judgement} {relation} {}",
                value.unwrap_or("a value not known")
            ),
            WouldGive::Action(name) => write!(f, "action {name}"),
            WouldGive::Finding(name) => write!(f, "finding {name}"),
            WouldGive::Deadline(name) => write!(f, "deadline {name}"),
            WouldGive::NoJudgement => f.write_str("no judgement"),
            WouldGive::NoJudgementOf(name) => write!(f, "no {name} judgement"),
            WouldGive::Advisory => f.write_str("an advisory"),
            WouldGive::Refusal => f.write_str("refuse the record"),
            WouldGive::DateNotKnown { kind, name } => {
                write!(f, "{} {name} on a date not known", kind.word())
            }
            WouldGive::OverdueNotKnown(name) => write!(
                f,
                "whether {name} is overdue (the day it was met is not known)"
            ),
        }
    }
}

impl Serialize for WouldGive<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// Ordered as the words it is written in, so that undetermined entries
/// sort as they did when these were text.
impl Ord for WouldGive<'_> {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.to_string().cmp(&other.to_string())
    }
}

impl PartialOrd for WouldGive<'_> {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl<'r> Outcome<'r> {
    /// The value of a judgement: `None` when it is not made, withheld, or not
    /// a judgement of this ruleset. Never panics.
    pub fn judgement(&self, name: &str) -> Option<&'r str> {
        *self.judgements.get(name)?
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

impl Serialize for Constraint<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let fields = if self.item.is_some() { 4 } else { 3 };
        let mut st = s.serialize_struct("Constraint", fields)?;
        st.serialize_field("rule", self.rule)?;
        st.serialize_field("cite", self.cite)?;
        st.serialize_field("constraint", &ConstraintText(self))?;
        if let Some(item) = &self.item {
            st.serialize_field("item", &**item)?;
        }
        st.end()
    }
}

/// `at most requires_improvement`, as one JSON string, written in pieces
/// (no string is built, and no format arguments are parsed).
struct ConstraintText<'a, 'r>(&'a Constraint<'r>);

impl fmt::Display for ConstraintText<'_, '_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0.relation.as_str())?;
        f.write_str(" ")?;
        f.write_str(self.0.value)
    }
}

impl Serialize for ConstraintText<'_, '_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl Serialize for NotMade<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}
