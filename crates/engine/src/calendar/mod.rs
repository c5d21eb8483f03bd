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

use chrono::{Datelike, NaiveDate, Weekday};
use std::collections::{BTreeMap, BTreeSet};
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
    /// A holiday line whose date is not a date `YYYY-MM-DD`.
    #[error("line {line}, column {column}: `{found}` is not a date of the form YYYY-MM-DD")]
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
    /// Declared years (a run from `first` to `last`) with no holidays listed.
    #[error("line {line}, column {column}: {}", no_holidays(.first, .last))]
    NoHolidays {
        line: usize,
        column: usize,
        first: i32,
        last: i32,
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
            | CalendarError::NoHolidays { line, column, .. } => Some((*line, *column)),
            CalendarError::OutOfRange { .. } => None,
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

/// Why a day is not a working day, borrowing the holiday's name, so that
/// counting allocates nothing.
#[derive(Clone, Copy)]
enum Skip<'a> {
    Weekend(Weekday),
    Holiday(&'a str),
}

impl Skip<'_> {
    fn to_reason(self) -> SkipReason {
        match self {
            Skip::Weekend(day) => SkipReason::Weekend(day),
            Skip::Holiday(name) => SkipReason::Holiday(name.to_string()),
        }
    }
}

impl Calendar {
    /// Read a calendar file. Every problem is reported, in line order.
    pub fn parse(source: &str) -> Result<Calendar, Vec<CalendarError>> {
        let source = source.strip_prefix('\u{feff}').unwrap_or(source);
        let mut reader = Reader::default();
        for (index, text) in source.lines().enumerate() {
            reader.line(index + 1, text);
        }
        reader.finish()
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

    /// The name of the holiday on `date`, if it is one.
    pub fn holiday(&self, date: NaiveDate) -> Result<Option<&str>, CalendarError> {
        self.check_covers(date)?;
        Ok(self.holidays.get(&date).map(String::as_str))
    }

    /// Whether `date` is a working day: Monday to Friday and not a holiday.
    pub fn is_working_day(&self, date: NaiveDate) -> Result<bool, CalendarError> {
        Ok(self.skip(date)?.is_none())
    }

    /// `start` + `n` working days (n may be negative: go backwards). The start
    /// day is day 0 and is never counted; each step moves to the next
    /// (previous) day that is Monday to Friday and not a holiday. `n = 0`
    /// returns `start`. Every day passed over, and every date examined, must
    /// be inside the years, else [`CalendarError::OutOfRange`] names that date.
    pub fn add_working_days(&self, start: NaiveDate, n: i64) -> Result<NaiveDate, CalendarError> {
        self.walk(start, n, |_, _| {})
    }

    /// The same count as [`Calendar::add_working_days`], recording every day
    /// skipped and why (weekend, or which holiday), in date order.
    pub fn add_working_days_explained(
        &self,
        start: NaiveDate,
        n: i64,
    ) -> Result<WorkingDayCount, CalendarError> {
        let mut skipped = Vec::new();
        let end = self.walk(start, n, |date, skip| {
            skipped.push(SkippedDay {
                date,
                reason: skip.to_reason(),
            });
        })?;
        if n < 0 {
            skipped.reverse();
        }
        Ok(WorkingDayCount {
            start,
            days: n,
            end,
            skipped,
        })
    }

    fn out_of_range(&self, date: NaiveDate) -> CalendarError {
        CalendarError::OutOfRange {
            calendar: self.name.clone(),
            date,
            first_year: self.first_year,
            last_year: self.last_year,
        }
    }

    fn check_covers(&self, date: NaiveDate) -> Result<(), CalendarError> {
        if (self.first_year..=self.last_year).contains(&date.year()) {
            Ok(())
        } else {
            Err(self.out_of_range(date))
        }
    }

    /// Why `date` is not a working day, or `None` if it is one.
    fn skip(&self, date: NaiveDate) -> Result<Option<Skip<'_>>, CalendarError> {
        self.check_covers(date)?;
        Ok(match date.weekday() {
            day @ (Weekday::Sat | Weekday::Sun) => Some(Skip::Weekend(day)),
            _ => self
                .holidays
                .get(&date)
                .map(|name| Skip::Holiday(name.as_str())),
        })
    }

    /// Step from `start` one day at a time until `n` working days are
    /// counted, telling `on_skip` of each day passed over (in the order
    /// visited). Allocates nothing unless `on_skip` does, or on error.
    fn walk(
        &self,
        start: NaiveDate,
        n: i64,
        mut on_skip: impl FnMut(NaiveDate, Skip<'_>),
    ) -> Result<NaiveDate, CalendarError> {
        self.check_covers(start)?;
        let forward = n >= 0;
        let mut left = n.unsigned_abs();
        let mut date = start;
        while left > 0 {
            let next = if forward {
                date.succ_opt()
            } else {
                date.pred_opt()
            };
            // Only the ends of chrono's range have no neighbour, and no
            // calendar (of four-digit years) reaches them.
            date = next.ok_or_else(|| self.out_of_range(date))?;
            match self.skip(date)? {
                Some(skip) => on_skip(date, skip),
                None => left -= 1,
            }
        }
        Ok(date)
    }
}

/// A header value and the line it is on.
type Header<T> = Option<(usize, T)>;

/// A holiday line, before it is checked against the rest of the file.
struct Entry {
    line: usize,
    column: usize,
    date: NaiveDate,
    name: String,
}

/// The state of reading a calendar file, line by line.
#[derive(Default)]
struct Reader {
    errors: Vec<CalendarError>,
    name: Header<String>,
    title: Header<String>,
    version: Header<String>,
    source: Header<String>,
    /// The line, the column of the value, and the first and last year.
    years: Option<(usize, usize, i32, i32)>,
    entries: Vec<Entry>,
    /// Header lines seen but not read: not reported again as missing.
    attempted: Vec<&'static str>,
}

/// Set a header once; a second line for it is an error.
fn set_header<T>(
    slot: &mut Header<T>,
    errors: &mut Vec<CalendarError>,
    header: &'static str,
    line: usize,
    column: usize,
    value: T,
) {
    match slot {
        Some((first_line, _)) => errors.push(CalendarError::RepeatedHeader {
            line,
            column,
            header,
            first_line: *first_line,
        }),
        None => *slot = Some((line, value)),
    }
}

impl Reader {
    fn line(&mut self, line: usize, raw: &str) {
        let text = without_comment(raw);
        let Some(start) = text.find(|c: char| !c.is_whitespace()) else {
            return;
        };
        let from_word = text.get(start..).unwrap_or_default();
        let word_end = from_word
            .find(char::is_whitespace)
            .unwrap_or(from_word.len());
        let word = from_word.get(..word_end).unwrap_or_default();
        let after = from_word.get(word_end..).unwrap_or_default();
        let rest = after.trim();
        let word_column = column(text, start);
        let rest_column = if rest.is_empty() {
            column(text, start + word_end) + 1
        } else {
            column(
                text,
                start + word_end + (after.len() - after.trim_start().len()),
            )
        };
        let bad = |header, expected| CalendarError::BadHeaderValue {
            line,
            column: rest_column,
            header,
            expected,
            found: rest.to_string(),
        };
        match word {
            "calendar" => {
                self.attempted.push("calendar");
                if is_identifier(rest) {
                    set_header(
                        &mut self.name,
                        &mut self.errors,
                        "calendar",
                        line,
                        word_column,
                        rest.to_string(),
                    );
                } else {
                    self.errors.push(bad(
                        "calendar",
                        "one name of letters, digits and `_`, e.g. `calendar england_and_wales`",
                    ));
                }
            }
            "title" | "version" | "source" => {
                let (header, slot) = match word {
                    "title" => ("title", &mut self.title),
                    "version" => ("version", &mut self.version),
                    _ => ("source", &mut self.source),
                };
                self.attempted.push(header);
                match quoted(rest) {
                    Some(value) => set_header(
                        slot,
                        &mut self.errors,
                        header,
                        line,
                        word_column,
                        value.to_string(),
                    ),
                    None => self.errors.push(bad(
                        header,
                        "a non-empty value in double quotes, e.g. `version \"2026-11-24\"`",
                    )),
                }
            }
            "years" => match years(rest) {
                Ok((first, last)) => {
                    if let Some((first_line, ..)) = self.years {
                        self.errors.push(CalendarError::RepeatedHeader {
                            line,
                            column: word_column,
                            header: "years",
                            first_line,
                        });
                    } else {
                        self.years = Some((line, rest_column, first, last));
                    }
                }
                Err(expected) => {
                    self.attempted.push("years");
                    self.errors.push(bad("years", expected));
                }
            },
            _ if word.starts_with(|c: char| c.is_ascii_digit()) => match date(word) {
                Some(date) if rest.is_empty() => self.errors.push(CalendarError::MissingName {
                    line,
                    column: rest_column,
                    date,
                }),
                Some(date) => self.entries.push(Entry {
                    line,
                    column: word_column,
                    date,
                    name: rest.to_string(),
                }),
                None => self.errors.push(CalendarError::BadDate {
                    line,
                    column: word_column,
                    found: word.to_string(),
                }),
            },
            _ => self.errors.push(CalendarError::UnexpectedLine {
                line,
                column: word_column,
                found: word.to_string(),
            }),
        }
    }

    fn finish(mut self) -> Result<Calendar, Vec<CalendarError>> {
        let missing = |header| CalendarError::MissingHeader {
            line: 1,
            column: 1,
            header,
        };
        for (present, header) in [
            (self.name.is_some(), "calendar"),
            (self.title.is_some(), "title"),
            (self.version.is_some(), "version"),
            (self.source.is_some(), "source"),
            (self.years.is_some(), "years"),
        ] {
            if !present && !self.attempted.contains(&header) {
                self.errors.push(missing(header));
            }
        }

        let mut holidays = BTreeMap::new();
        let mut first_lines: BTreeMap<NaiveDate, usize> = BTreeMap::new();
        let mut listed_years = BTreeSet::new();
        for entry in self.entries {
            let Entry {
                line,
                column,
                date,
                name,
            } = entry;
            listed_years.insert(date.year());
            let weekday = date.weekday();
            if let Some(&(_, _, first_year, last_year)) = self
                .years
                .as_ref()
                .filter(|(_, _, first, last)| !(*first..=*last).contains(&date.year()))
            {
                self.errors.push(CalendarError::OutsideYears {
                    line,
                    column,
                    date,
                    first_year,
                    last_year,
                });
            } else if matches!(weekday, Weekday::Sat | Weekday::Sun) {
                self.errors.push(CalendarError::WeekendHoliday {
                    line,
                    column,
                    date,
                    weekday,
                });
            } else if let Some(&first_line) = first_lines.get(&date) {
                self.errors.push(CalendarError::DuplicateDate {
                    line,
                    column,
                    date,
                    first_line,
                });
            } else {
                first_lines.insert(date, line);
                holidays.insert(date, name);
            }
        }

        if let Some((line, column, first, last)) = self.years {
            // Runs of declared years with nothing listed, one error a run.
            let mut run: Option<(i32, i32)> = None;
            for year in first..=last {
                if listed_years.contains(&year) {
                    if let Some((a, b)) = run.take() {
                        self.errors.push(CalendarError::NoHolidays {
                            line,
                            column,
                            first: a,
                            last: b,
                        });
                    }
                } else {
                    run = Some(run.map_or((year, year), |(a, _)| (a, year)));
                }
            }
            if let Some((a, b)) = run {
                self.errors.push(CalendarError::NoHolidays {
                    line,
                    column,
                    first: a,
                    last: b,
                });
            }
        }

        match (self.name, self.title, self.version, self.source, self.years) {
            (
                Some((_, name)),
                Some((_, title)),
                Some((_, version)),
                Some((_, source)),
                Some((_, _, first_year, last_year)),
            ) if self.errors.is_empty() => Ok(Calendar {
                name,
                title,
                version,
                source,
                first_year,
                last_year,
                holidays,
            }),
            _ => {
                let mut errors = self.errors;
                errors.sort_by_key(|e| e.position().unwrap_or_default());
                Err(errors)
            }
        }
    }
}

/// The line up to a `#` outside double quotes.
fn without_comment(line: &str) -> &str {
    let mut in_quotes = false;
    for (i, c) in line.char_indices() {
        match c {
            '"' => in_quotes = !in_quotes,
            '#' if !in_quotes => return line.get(..i).unwrap_or_default(),
            _ => {}
        }
    }
    line
}

/// The 1-based character column of byte offset `byte` in `line`.
fn column(line: &str, byte: usize) -> usize {
    line.get(..byte).map_or(0, |s| s.chars().count()) + 1
}

fn is_identifier(text: &str) -> bool {
    let mut chars = text.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// The text inside `"..."`: non-empty, with no quote inside.
fn quoted(text: &str) -> Option<&str> {
    text.strip_prefix('"')
        .and_then(|t| t.strip_suffix('"'))
        .filter(|inner| !inner.contains('"') && !inner.trim().is_empty())
}

/// A four-digit year.
fn year(text: &str) -> Option<i32> {
    if text.len() == 4 && text.bytes().all(|b| b.is_ascii_digit()) {
        text.parse().ok()
    } else {
        None
    }
}

/// `FIRST to LAST`, or what the value should have been.
fn years(text: &str) -> Result<(i32, i32), &'static str> {
    let mut words = text.split_whitespace();
    let (Some(first), Some("to"), Some(last), None) =
        (words.next(), words.next(), words.next(), words.next())
    else {
        return Err("`FIRST to LAST` with four-digit years, e.g. `years 2012 to 2027`");
    };
    match (year(first), year(last)) {
        (Some(first), Some(last)) if first <= last => Ok((first, last)),
        (Some(_), Some(_)) => Err("a first year no later than the last"),
        _ => Err("`FIRST to LAST` with four-digit years, e.g. `years 2012 to 2027`"),
    }
}

/// A date written exactly `YYYY-MM-DD`.
fn date(text: &str) -> Option<NaiveDate> {
    let bytes = text.as_bytes();
    let shape = bytes.len() == 10
        && bytes.iter().enumerate().all(|(i, b)| match i {
            4 | 7 => *b == b'-',
            _ => b.is_ascii_digit(),
        });
    if !shape {
        return None;
    }
    let number = |range: std::ops::Range<usize>| text.get(range)?.parse::<u32>().ok();
    let y = i32::try_from(number(0..4)?).ok()?;
    NaiveDate::from_ymd_opt(y, number(5..7)?, number(8..10)?)
}

#[cfg(test)]
mod tests;
