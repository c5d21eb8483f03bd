//! Working-day calendars: the bank holidays of each year a calendar covers,
//! read from a small line-oriented file in `rulesets/calendars/`.
//!
//! ```text
//! # comments run from `#` to the end of the line
//! calendar england_and_wales
//! title "England and Wales bank holidays"
//! version "2026-11-24"
//! source "GOV.UK bank holidays (www.gov.uk/bank-holidays), England and Wales division"
//! years 2012 to 2027
//! 2015-12-25 Christmas Day
//! 2015-12-28 Boxing Day (substitute day)
//! ```
//!
//! Every header line is required once. Each other line is a holiday: a date
//! `YYYY-MM-DD`, then its name. A holiday is listed on the weekday it is
//! observed, so a weekend date is an error, as are a duplicate date, a date
//! outside the declared years and a declared year with no holidays.
//!
//! Counting working days skips Saturdays, Sundays and the holidays. A count
//! that reaches a date outside the calendar's years is an error
//! ([`CalendarError::OutOfRange`]), never a guess.
//!
//! This module holds the calendar's types and its errors; `read` reads the
//! file (line by line, then the holidays checked against the header), and
//! `count` counts working days and says why each day passed over was
//! skipped.

mod count;
mod read;

use chrono::{NaiveDate, Weekday};
use std::collections::BTreeMap;
use std::fmt;

/// A named calendar of holidays over a range of whole years.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Calendar {
    name: String,
    title: String,
    version: String,
    source: String,
    first_year: i32,
    last_year: i32,
    holidays: BTreeMap<NaiveDate, String>,
    /// Working days counted from the first day, for counting without
    /// stepping day by day (`count.rs`).
    counts: count::Counts,
}

/// A problem in a calendar file (with its 1-based line and column), or a
/// date outside the years a calendar covers.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    /// A line that is neither a header line nor a holiday.
    #[error("line {line}, column {column}: expected a header line (`calendar`, `title`, `version`, `source` or `years`) or a holiday (`YYYY-MM-DD name`), found `{found}`")]
    UnexpectedLine {
        line: usize,
        column: usize,
        found: String,
    },
    /// A header line whose value is not of the form it takes.
    #[error("line {line}, column {column}: `{header}` takes {expected}, found {}", shown(.found))]
    BadHeaderValue {
        line: usize,
        column: usize,
        header: &'static str,
        expected: &'static str,
        found: String,
    },
    /// A header line given a second time.
    #[error("line {line}, column {column}: a second `{header}` line (the first is on line {first_line})")]
    RepeatedHeader {
        line: usize,
        column: usize,
        header: &'static str,
        first_line: usize,
    },
    /// A required header line that is not there.
    #[error("line {line}, column {column}: the calendar has no `{header}` line")]
    MissingHeader {
        line: usize,
        column: usize,
        header: &'static str,
    },
    /// A holiday line whose date is not a date `YYYY-MM-DD`, or names a
    /// day that does not exist (`2015-02-29`).
    #[error("line {line}, column {column}: `{found}` {}", not_a_date(found))]
    BadDate {
        line: usize,
        column: usize,
        found: String,
    },
    /// A holiday line with a date but no name.
    #[error("line {line}, column {column}: the holiday on `{date}` has no name")]
    MissingName {
        line: usize,
        column: usize,
        date: NaiveDate,
    },
    /// A date listed twice.
    #[error("line {line}, column {column}: `{date}` is listed twice (first on line {first_line})")]
    DuplicateDate {
        line: usize,
        column: usize,
        date: NaiveDate,
        first_line: usize,
    },
    /// A holiday on a Saturday or Sunday: list the weekday it is observed on.
    #[error("line {line}, column {column}: `{date}` is a {}; list the weekday the holiday is observed on (its substitute day) instead", day_name(.weekday))]
    WeekendHoliday {
        line: usize,
        column: usize,
        date: NaiveDate,
        weekday: Weekday,
    },
    /// A holiday outside the years the `years` line declares.
    #[error("line {line}, column {column}: `{date}` is outside the calendar's years {first_year} to {last_year}")]
    OutsideYears {
        line: usize,
        column: usize,
        date: NaiveDate,
        first_year: i32,
        last_year: i32,
    },
    /// A carriage return that no line feed follows: it ends a line for
    /// some editors and not for others, and would otherwise be read as part
    /// of a holiday's name.
    #[error("line {line}, column {column}: a carriage return alone ends a line for some editors and not for others: save the file with LF (or CRLF) line ends")]
    LoneCarriageReturn { line: usize, column: usize },
    /// Declared years (a run from `first` to `last`) with no holidays listed.
    #[error("line {line}, column {column}: {}", no_holidays(.first, .last))]
    NoHolidays {
        line: usize,
        column: usize,
        first: i32,
        last: i32,
    },
    /// A calendar named as one found before it in the same folder: which
    /// of the two a rule file's `calendar NAME` means would turn on the
    /// files' names. (A nearer folder's calendar of a name is meant before
    /// a farther one's, which is no clash.)
    #[error("line {line}, column {column}: the calendar `{name}` is also in `{first}` in the same folder; a folder holds one calendar of each name")]
    NameTaken {
        line: usize,
        column: usize,
        name: String,
        first: String,
    },
    /// A date outside the years the calendar covers.
    #[error("`{date}` is outside the years of the calendar `{calendar}` ({first_year} to {last_year}); its working days are not known")]
    OutOfRange {
        calendar: String,
        date: NaiveDate,
        first_year: i32,
        last_year: i32,
    },
}

/// Why a holiday's date is not one: the wrong form, or a day that does not
/// exist in a date of the right form.
fn not_a_date(found: &str) -> &'static str {
    if read::date_shaped(found) {
        "is not a day that exists"
    } else {
        "is not a date of the form YYYY-MM-DD"
    }
}

impl CalendarError {
    /// The 1-based line and column of a problem in a calendar file; `None`
    /// for [`CalendarError::OutOfRange`].
    pub fn position(&self) -> Option<(usize, usize)> {
        match self {
            CalendarError::UnexpectedLine { line, column, .. }
            | CalendarError::BadHeaderValue { line, column, .. }
            | CalendarError::RepeatedHeader { line, column, .. }
            | CalendarError::MissingHeader { line, column, .. }
            | CalendarError::BadDate { line, column, .. }
            | CalendarError::MissingName { line, column, .. }
            | CalendarError::DuplicateDate { line, column, .. }
            | CalendarError::WeekendHoliday { line, column, .. }
            | CalendarError::OutsideYears { line, column, .. }
            | CalendarError::NoHolidays { line, column, .. }
            | CalendarError::NameTaken { line, column, .. }
            | CalendarError::LoneCarriageReturn { line, column } => Some((*line, *column)),
            CalendarError::OutOfRange { .. } => None,
        }
    }

    /// What is wrong, without the line and column that
    /// [`CalendarError::position`] gives (for a renderer that shows them
    /// itself, beside the line).
    pub fn detail(&self) -> String {
        let message = self.to_string();
        match self.position() {
            Some((line, column)) => {
                let at = format!("line {line}, column {column}: ");
                message
                    .strip_prefix(&at)
                    .map_or_else(|| message.clone(), str::to_string)
            }
            None => message,
        }
    }
}

fn shown(found: &str) -> String {
    if found.is_empty() {
        "nothing".to_string()
    } else {
        format!("`{found}`")
    }
}

fn no_holidays(first: &i32, last: &i32) -> String {
    if first == last {
        format!("no holidays are listed for the year {first}")
    } else {
        format!("no holidays are listed for the years {first} to {last}")
    }
}

/// The English name of a day of the week.
fn day_name(day: &Weekday) -> &'static str {
    match day {
        Weekday::Mon => "Monday",
        Weekday::Tue => "Tuesday",
        Weekday::Wed => "Wednesday",
        Weekday::Thu => "Thursday",
        Weekday::Fri => "Friday",
        Weekday::Sat => "Saturday",
        Weekday::Sun => "Sunday",
    }
}

/// Why a day is not a working day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SkipReason {
    /// A Saturday or Sunday.
    Weekend(Weekday),
    /// A holiday, by its name in the calendar.
    Holiday(String),
}

impl fmt::Display for SkipReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SkipReason::Weekend(day) => f.write_str(day_name(day)),
            SkipReason::Holiday(name) => f.write_str(name),
        }
    }
}

/// A day a working-day count passed over.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkippedDay {
    pub date: NaiveDate,
    pub reason: SkipReason,
}

/// A working-day count with its working: every day passed over, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkingDayCount {
    pub start: NaiveDate,
    /// The count asked for; negative counts back from `start`.
    pub days: i64,
    pub end: NaiveDate,
    /// The days passed over, in date order.
    pub skipped: Vec<SkippedDay>,
}

impl Calendar {
    /// Read a calendar file. Every problem is reported, in line order.
    pub fn parse(source: &str) -> Result<Calendar, Vec<CalendarError>> {
        read::parse(source)
    }

    /// The 1-based line and column of the `calendar` line that names the
    /// calendar in `source`, a calendar file, where it has one: where an
    /// error about the name points.
    pub(crate) fn name_at(source: &str) -> Option<(usize, usize)> {
        read::name_at(source)
    }

    /// The name rulesets use for the calendar, e.g. `england_and_wales`.
    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn title(&self) -> &str {
        &self.title
    }

    /// The calendar's own version, which outcomes record.
    pub fn version(&self) -> &str {
        &self.version
    }

    /// Where the holidays were taken from.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The first and last year covered, both included.
    pub fn years(&self) -> (i32, i32) {
        (self.first_year, self.last_year)
    }

    /// Every holiday, by date, with its name.
    pub fn holidays(&self) -> impl Iterator<Item = (NaiveDate, &str)> {
        self.holidays.iter().map(|(d, n)| (*d, n.as_str()))
    }
}

#[cfg(test)]
mod tests;
