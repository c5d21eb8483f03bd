//! The working of each date a rule counted: working days, days, calendar
//! months and a month's first or last day, gathered from the trace by what
//! they were made for, with the words that show each step.

use super::list;
use crate::calendar::{SkipReason, SkippedDay};
use crate::outcome::{Edge, TraceStep};
use std::collections::HashMap;

/// The trace's date counts (working days, days, months, a month's first
/// or last day) by the rule, deadline or action and element they were
/// made for, each list in the order made: built once, where a search of
/// the whole trace for each deadline would be quadratic in a ruleset of
/// many.
pub(super) fn date_counts<'t>(trace: &'t [TraceStep<'t>]) -> Counts<'t> {
    let mut counts: Counts<'t> = HashMap::new();
    for step in trace {
        let (step_rule, deadline, step_item, start, end, by) = match step {
            TraceStep::WorkingDays {
                rule,
                deadline,
                item,
                start,
                days,
                end,
                skipped,
                ..
            } => (
                rule,
                deadline,
                item,
                start,
                end,
                By::WorkingDays(*days, skipped),
            ),
            TraceStep::Days {
                rule,
                deadline,
                item,
                start,
                days,
                end,
                ..
            } => (rule, deadline, item, start, end, By::Days(*days)),
            TraceStep::Months {
                rule,
                deadline,
                item,
                start,
                months,
                end,
                clamped,
                ..
            } => (
                rule,
                deadline,
                item,
                start,
                end,
                By::Months(*months, *clamped),
            ),
            TraceStep::MonthEdge {
                rule,
                deadline,
                item,
                start,
                edge,
                end,
                ..
            } => (rule, deadline, item, start, end, By::Edge(*edge)),
            _ => continue,
        };
        let count = Count {
            start: *start,
            end: *end,
            by,
        };
        counts
            .entry((*step_rule, *deadline, step_item.as_deref()))
            .or_default()
            .push(count);
    }
    counts
}

/// See [`date_counts`].
pub(super) type Counts<'t> = HashMap<(&'t str, &'t str, Option<&'t str>), Vec<Count<'t>>>;

/// One count behind a date, read from the trace.
pub(super) struct Count<'t> {
    pub(super) start: chrono::NaiveDate,
    pub(super) end: chrono::NaiveDate,
    by: By<'t>,
}

/// What a count counted.
enum By<'t> {
    /// Working days (negative: before), with the days skipped.
    WorkingDays(i64, &'t [SkippedDay]),
    /// Calendar months (negative: before), and whether the day of the
    /// month was clamped to the month's last.
    Months(i64, bool),
    /// Calendar days (negative: before).
    Days(i64),
    /// The first or last day of the month.
    Edge(Edge),
}

impl Count<'_> {
    /// The working in words: `2015-12-15 is 10 working days after
    /// 2015-12-01, skipping 4 weekend days.`, `2012-11-30 is 3 calendar
    /// months after 2012-08-31: November has no 31st, so its last day.`
    pub(super) fn working(&self) -> String {
        let (n, unit) = match self.by {
            // Not a count: the month's first or last day.
            By::Edge(edge) => {
                let day = match edge {
                    Edge::Start => "first",
                    Edge::End => "last",
                };
                return format!(
                    "{} is the {day} day of the month of {}.",
                    self.end, self.start
                );
            }
            By::WorkingDays(days, _) => (days, "working day"),
            By::Months(months, _) => (months, "calendar month"),
            By::Days(days) => (days, "day"),
        };
        let direction = if n < 0 { "before" } else { "after" };
        let count = n.unsigned_abs();
        let plural = if count == 1 { "" } else { "s" };
        let (start, end) = (self.start, self.end);
        let mut text = format!("{end} is {count} {unit}{plural} {direction} {start}");
        match self.by {
            By::WorkingDays(_, skipped) => {
                // Weekends are counted; holidays are named, since those are
                // the days a reader checks.
                let weekend = skipped
                    .iter()
                    .filter(|s| matches!(s.reason, SkipReason::Weekend(_)))
                    .count();
                let holidays: Vec<String> = skipped
                    .iter()
                    .filter(|s| !matches!(s.reason, SkipReason::Weekend(_)))
                    .map(|s| format!("{} ({})", s.date, s.reason))
                    .collect();
                let mut parts = Vec::new();
                if weekend > 0 {
                    parts.push(format!(
                        "{weekend} weekend day{}",
                        if weekend == 1 { "" } else { "s" }
                    ));
                }
                if !holidays.is_empty() {
                    let noun = if holidays.len() == 1 {
                        "the bank holiday"
                    } else {
                        "the bank holidays"
                    };
                    parts.push(format!("{noun} {}", list(&holidays)));
                }
                if parts.is_empty() {
                    text.push_str(", with no day skipped.");
                } else {
                    text.push_str(&format!(", skipping {}.", list(&parts)));
                }
            }
            By::Months(_, true) => {
                use chrono::Datelike;
                let month = MONTHS
                    .get(end.month0() as usize)
                    .copied()
                    .unwrap_or_default();
                text.push_str(&format!(
                    ": {month} has no {}, so its last day.",
                    ordinal(start.day())
                ));
            }
            By::Months(_, false) => text.push('.'),
            // Weeks are said as written in handbooks: 26 weeks, not 182 days.
            By::Days(days) if days != 0 && days % 7 == 0 => {
                let weeks = days.unsigned_abs() / 7;
                text.push_str(&format!(
                    " ({weeks} week{}).",
                    if weeks == 1 { "" } else { "s" }
                ));
            }
            By::Days(_) | By::Edge(_) => text.push('.'),
        }
        text
    }
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// `29th`, `30th`, `31st`: the days of the month a month can lack.
fn ordinal(day: u32) -> String {
    let suffix = match (day % 10, day % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{day}{suffix}")
}
