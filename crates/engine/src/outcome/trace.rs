//! The trace: what an evaluation did, step by step, as data. Each step
//! names the ruleset's own rules and judgements, carries dates as dates and
//! the calendar's reasons for skipping a day as the calendar's enum; the
//! JSON form (`"step": "rule"`, `"result": "not fired"`, `"values": ["a =
//! b"]`) is written only when serialised.

use super::serial;
use super::Item;
use crate::calendar::SkippedDay;
use chrono::NaiveDate;
use serde::ser::SerializeStruct;
use serde::{Serialize, Serializer};
use std::borrow::Cow;
use std::fmt;

/// One step of an evaluation, recorded when a trace is asked for.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum TraceStep<'r> {
    /// A derived value.
    Let { name: &'r str, value: String },
    /// A rule's condition and what it did.
    Rule {
        rule: &'r str,
        cite: &'r str,
        result: RuleResult,
        #[serde(
            skip_serializing_if = "Option::is_none",
            serialize_with = "serial::opt_item"
        )]
        item: Option<Item>,
        /// The values the condition read.
        values: Vec<ReadValue<'r>>,
    },
    /// A judgement made final.
    Judgement {
        judgement: &'r str,
        proposed: Option<&'r str>,
        value: Option<&'r str>,
        applies: bool,
    },
    /// A date computed in working days, with every day skipped and why.
    WorkingDays {
        rule: &'r str,
        /// The rule's citation, as every step naming a rule carries it.
        cite: &'r str,
        deadline: &'r str,
        #[serde(
            skip_serializing_if = "Option::is_none",
            serialize_with = "serial::opt_item"
        )]
        item: Option<Item>,
        #[serde(serialize_with = "serial::date")]
        start: NaiveDate,
        days: i64,
        #[serde(serialize_with = "serial::date")]
        end: NaiveDate,
        #[serde(serialize_with = "skipped_days")]
        skipped: Vec<SkippedDay>,
    },
    /// A date computed in calendar days (or weeks, seven days each).
    Days {
        rule: &'r str,
        cite: &'r str,
        deadline: &'r str,
        #[serde(
            skip_serializing_if = "Option::is_none",
            serialize_with = "serial::opt_item"
        )]
        item: Option<Item>,
        #[serde(serialize_with = "serial::date")]
        start: NaiveDate,
        days: i64,
        #[serde(serialize_with = "serial::date")]
        end: NaiveDate,
    },
    /// A date computed in calendar months: the same day of the month
    /// `months` on, or that month's last day when it has no such day.
    Months {
        rule: &'r str,
        cite: &'r str,
        deadline: &'r str,
        #[serde(
            skip_serializing_if = "Option::is_none",
            serialize_with = "serial::opt_item"
        )]
        item: Option<Item>,
        #[serde(serialize_with = "serial::date")]
        start: NaiveDate,
        months: i64,
        #[serde(serialize_with = "serial::date")]
        end: NaiveDate,
        /// `end`'s month has no day `start`'s day of the month: `end` is
        /// its last day.
        clamped: bool,
    },
    /// A date taken to the first or the last day of its month (`start of
    /// month D`, `end of month D`).
    MonthEdge {
        rule: &'r str,
        cite: &'r str,
        deadline: &'r str,
        #[serde(
            skip_serializing_if = "Option::is_none",
            serialize_with = "serial::opt_item"
        )]
        item: Option<Item>,
        #[serde(serialize_with = "serial::date")]
        start: NaiveDate,
        edge: Edge,
        #[serde(serialize_with = "serial::date")]
        end: NaiveDate,
    },
}

/// Which day of its month a [`TraceStep::MonthEdge`] takes a date to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Edge {
    /// The first (`start of month`).
    Start,
    /// The last (`end of month`).
    End,
}

impl Edge {
    /// As the rule file writes it: `start of month`, `end of month`.
    pub fn as_str(self) -> &'static str {
        match self {
            Edge::Start => "start of month",
            Edge::End => "end of month",
        }
    }
}

impl Serialize for Edge {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// What a rule's condition came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RuleResult {
    Fired,
    NotFired,
    /// Evidence it reads is not known.
    Undetermined,
}

impl RuleResult {
    /// As the outcome writes it: `fired`, `not fired`, `undetermined`.
    pub fn as_str(self) -> &'static str {
        match self {
            RuleResult::Fired => "fired",
            RuleResult::NotFired => "not fired",
            RuleResult::Undetermined => "undetermined",
        }
    }
}

impl Serialize for RuleResult {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// A value a condition read: a field, let, threshold or judgement (by its
/// name in the rule file), or a field of the `for each` element
/// (`visit.date`). `value` is as a reader sees it (`4 days`, `good`,
/// `none`). Serialised as `name = value`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadValue<'r> {
    pub name: Cow<'r, str>,
    pub value: String,
    /// Whether `value` is the name of a value of a scale or choice
    /// (`requires_improvement`), which a page words as prose
    /// (`requires improvement`); text and the rest are shown as they are.
    /// Not serialised.
    pub named: bool,
}

impl fmt::Display for ReadValue<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // In pieces rather than with `write!`: cheaper, and a trace has
        // many of these.
        f.write_str(&self.name)?;
        f.write_str(" = ")?;
        f.write_str(&self.value)
    }
}

impl Serialize for ReadValue<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// The days a working-day count skipped: `{"date": ..., "reason": ...}`,
/// the reason a weekday's name or the holiday's.
fn skipped_days<S: Serializer>(days: &[SkippedDay], s: S) -> Result<S::Ok, S::Error> {
    struct Day<'a>(&'a SkippedDay);
    impl Serialize for Day<'_> {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            let mut st = s.serialize_struct("SkippedDay", 2)?;
            st.serialize_field("date", &Date(self.0.date))?;
            st.serialize_field("reason", &Reason(self.0))?;
            st.end()
        }
    }
    struct Date(NaiveDate);
    impl Serialize for Date {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            serial::date(&self.0, s)
        }
    }
    struct Reason<'a>(&'a SkippedDay);
    impl Serialize for Reason<'_> {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            s.collect_str(&self.0.reason)
        }
    }
    s.collect_seq(days.iter().map(Day))
}
