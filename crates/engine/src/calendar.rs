//! Working-day calendars: the bank holidays of each year a calendar covers,
//! read from a small line-oriented file in `rulesets/calendars/`. Counting
//! working days skips Saturdays, Sundays and the holidays; a count that
//! reaches a year the calendar does not cover is an error, never a guess.
//!
//! ```text
//! calendar england_and_wales
//! title "England and Wales bank holidays"
//! version "2026-11-24"
//! source "GOV.UK bank holidays"
//! years 2012 to 2027
//! 2015-12-25 Christmas Day
//! ```

use chrono::{Datelike, NaiveDate, Weekday};
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
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    /// A line of a calendar file that cannot be read.
    #[error("line {line}, column {column}: {message}")]
    Parse {
        line: usize,
        column: usize,
        message: String,
    },
    #[error("{date} is outside the years of the calendar `{calendar}` ({first_year} to {last_year}): working days cannot be counted there")]
    OutOfRange {
        calendar: String,
        date: NaiveDate,
        first_year: i32,
        last_year: i32,
    },
}

/// Why a day is not a working day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SkipReason {
    Weekend(Weekday),
    Holiday(String),
}

impl fmt::Display for SkipReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SkipReason::Weekend(Weekday::Sat) => f.write_str("Saturday"),
            SkipReason::Weekend(_) => f.write_str("Sunday"),
            SkipReason::Holiday(name) => f.write_str(name),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkippedDay {
    pub date: NaiveDate,
    pub reason: SkipReason,
}

/// A working-day count with its working: every day passed over, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkingDayCount {
    pub start: NaiveDate,
    pub days: i64,
    pub end: NaiveDate,
    pub skipped: Vec<SkippedDay>,
}

/// The header fields of a calendar file, as read so far.
#[derive(Default)]
struct Header {
    name: Option<String>,
    title: Option<String>,
    version: Option<String>,
    source: Option<String>,
    years: Option<(i32, i32, usize)>,
}

fn parse_error(line: usize, column: usize, message: impl Into<String>) -> CalendarError {
    CalendarError::Parse {
        line,
        column,
        message: message.into(),
    }
}

/// The text of a `"quoted"` value.
fn quoted(rest: &str, line: usize, column: usize) -> Result<String, CalendarError> {
    rest.strip_prefix('"')
        .and_then(|r| r.strip_suffix('"'))
        .filter(|inner| !inner.contains('"'))
        .map(str::to_string)
        .ok_or_else(|| parse_error(line, column, "expected a value in double quotes"))
}

impl Calendar {
    /// Read a calendar file. Every error is reported, with its line and column.
    pub fn parse(source: &str) -> Result<Calendar, Vec<CalendarError>> {
        let mut errors = Vec::new();
        let mut header = Header::default();
        let mut entries: Vec<(usize, NaiveDate, String)> = Vec::new();
        for (i, raw) in source.lines().enumerate() {
            let n = i + 1;
            let line = raw.split('#').next().unwrap_or("");
            let indent = line.len() - line.trim_start().len();
            let line = line.trim();
            if line.is_empty() {
                continue;
            }
            let (word, rest) = line.split_once(char::is_whitespace).unwrap_or((line, ""));
            let rest = rest.trim();
            let value_col = indent + word.len() + 2;
            let result = match word {
                "calendar" if !rest.is_empty() && !rest.contains(char::is_whitespace) => {
                    header.name = Some(rest.to_string());
                    Ok(())
                }
                "calendar" => Err(parse_error(n, value_col, "expected one name after `calendar`")),
                "title" => quoted(rest, n, value_col).map(|v| header.title = Some(v)),
                "version" => quoted(rest, n, value_col).map(|v| header.version = Some(v)),
                "source" => quoted(rest, n, value_col).map(|v| header.source = Some(v)),
                "years" => parse_years(rest, n, value_col).map(|(a, b)| header.years = Some((a, b, n))),
                _ => match NaiveDate::parse_from_str(word, "%Y-%m-%d") {
                    Ok(date) if word.len() == 10 => {
                        if rest.is_empty() {
                            Err(parse_error(n, indent + 11, "a holiday needs a name after its date"))
                        } else {
                            entries.push((n, date, rest.to_string()));
                            Ok(())
                        }
                    }
                    _ => Err(parse_error(
                        n,
                        indent + 1,
                        format!("expected a header (`calendar`, `title`, `version`, `source`, `years`) or a date YYYY-MM-DD, found `{word}`"),
                    )),
                },
            };
            if let Err(e) = result {
                errors.push(e);
            }
        }
        let mut missing = |what: &str| {
            errors.push(parse_error(
                1,
                1,
                format!("the calendar has no `{what}` line"),
            ))
        };
        let name = header.name.clone().unwrap_or_else(|| {
            missing("calendar");
            String::new()
        });
        let version = header.version.clone().unwrap_or_else(|| {
            missing("version");
            String::new()
        });
        let (first_year, last_year, years_line) = header.years.unwrap_or_else(|| {
            missing("years");
            (0, -1, 1)
        });
        let mut holidays = BTreeMap::new();
        for (n, date, holiday) in entries {
            if date.year() < first_year || date.year() > last_year {
                errors.push(parse_error(
                    n,
                    1,
                    format!("{date} is outside the years {first_year} to {last_year}"),
                ));
            } else if matches!(date.weekday(), Weekday::Sat | Weekday::Sun) {
                errors.push(parse_error(
                    n,
                    1,
                    format!(
                        "{date} is a {}: a weekend day is never a working day",
                        date.weekday()
                    ),
                ));
            } else if holidays.insert(date, holiday).is_some() {
                errors.push(parse_error(n, 1, format!("{date} is listed twice")));
            }
        }
        for year in first_year..=last_year {
            if !holidays.keys().any(|d| d.year() == year) {
                errors.push(parse_error(
                    years_line,
                    1,
                    format!("the year {year} has no holidays listed"),
                ));
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Calendar {
            name,
            title: header.title.unwrap_or_default(),
            version,
            source: header.source.unwrap_or_default(),
            first_year,
            last_year,
            holidays,
        })
    }

    pub fn name(&self) -> &str {
        &self.name
    }
    pub fn title(&self) -> &str {
        &self.title
    }
    pub fn version(&self) -> &str {
        &self.version
    }
    pub fn source(&self) -> &str {
        &self.source
    }
    /// The first and last year covered.
    pub fn years(&self) -> (i32, i32) {
        (self.first_year, self.last_year)
    }

    fn out_of_range(&self, date: NaiveDate) -> CalendarError {
        CalendarError::OutOfRange {
            calendar: self.name.clone(),
            date,
            first_year: self.first_year,
            last_year: self.last_year,
        }
    }

    fn covers(&self, date: NaiveDate) -> bool {
        (self.first_year..=self.last_year).contains(&date.year())
    }

    /// The holiday on `date`, if any.
    pub fn holiday(&self, date: NaiveDate) -> Result<Option<&str>, CalendarError> {
        if !self.covers(date) {
            return Err(self.out_of_range(date));
        }
        Ok(self.holidays.get(&date).map(String::as_str))
    }

    /// Why `date` is not a working day, or `None` if it is one.
    fn skip_reason(&self, date: NaiveDate) -> Result<Option<SkipReason>, CalendarError> {
        Ok(match date.weekday() {
            day @ (Weekday::Sat | Weekday::Sun) => {
                if !self.covers(date) {
                    return Err(self.out_of_range(date));
                }
                Some(SkipReason::Weekend(day))
            }
            _ => self
                .holiday(date)?
                .map(|h| SkipReason::Holiday(h.to_string())),
        })
    }

    pub fn is_working_day(&self, date: NaiveDate) -> Result<bool, CalendarError> {
        Ok(self.skip_reason(date)?.is_none())
    }

    /// `start` + `n` working days (back when `n` is negative). The start is
    /// day 0 and never counted; each step moves to the next working day.
    pub fn add_working_days(&self, start: NaiveDate, n: i64) -> Result<NaiveDate, CalendarError> {
        self.count(start, n, |_| {})
    }

    /// The same count, with every day skipped and why.
    pub fn add_working_days_explained(
        &self,
        start: NaiveDate,
        n: i64,
    ) -> Result<WorkingDayCount, CalendarError> {
        let mut skipped = Vec::new();
        let end = self.count(start, n, |day| skipped.push(day))?;
        Ok(WorkingDayCount {
            start,
            days: n,
            end,
            skipped,
        })
    }

    fn count(
        &self,
        start: NaiveDate,
        n: i64,
        mut on_skip: impl FnMut(SkippedDay),
    ) -> Result<NaiveDate, CalendarError> {
        if !self.covers(start) {
            return Err(self.out_of_range(start));
        }
        let mut date = start;
        let mut left = n.unsigned_abs();
        while left > 0 {
            let next = if n > 0 {
                date.succ_opt()
            } else {
                date.pred_opt()
            };
            date = next.ok_or_else(|| self.out_of_range(date))?;
            match self.skip_reason(date)? {
                Some(reason) => on_skip(SkippedDay { date, reason }),
                None => left -= 1,
            }
        }
        Ok(date)
    }
}

fn parse_years(rest: &str, line: usize, column: usize) -> Result<(i32, i32), CalendarError> {
    let bad = || {
        parse_error(
            line,
            column,
            "expected `years FIRST to LAST`, e.g. `years 2012 to 2027`",
        )
    };
    let mut parts = rest.split_whitespace();
    let (Some(a), Some("to"), Some(b), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(bad());
    };
    let (a, b) = (
        a.parse::<i32>().map_err(|_| bad())?,
        b.parse::<i32>().map_err(|_| bad())?,
    );
    if !(1900..=2200).contains(&a) || !(1900..=2200).contains(&b) || b < a {
        return Err(parse_error(
            line,
            column,
            format!("the years {a} to {b} are not a range of years"),
        ));
    }
    Ok((a, b))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cal() -> Calendar {
        Calendar::parse(include_str!(
            "../../../rulesets/calendars/england_and_wales.calendar"
        ))
        .unwrap()
    }

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn ten_working_days_in_an_ordinary_fortnight() {
        assert_eq!(
            cal().add_working_days(d("2015-11-04"), 10).unwrap(),
            d("2015-11-18")
        );
        assert_eq!(
            cal().add_working_days(d("2015-11-04"), 25).unwrap(),
            d("2015-12-09")
        );
        assert_eq!(
            cal().add_working_days(d("2015-11-04"), 0).unwrap(),
            d("2015-11-04")
        );
    }

    #[test]
    fn a_count_over_christmas_2015_skips_each_holiday_by_name() {
        let count = cal()
            .add_working_days_explained(d("2015-12-18"), 10)
            .unwrap();
        assert_eq!(count.end, d("2016-01-06"));
        let holidays: Vec<(String, String)> = count
            .skipped
            .iter()
            .filter(|s| matches!(s.reason, SkipReason::Holiday(_)))
            .map(|s| (s.date.to_string(), s.reason.to_string()))
            .collect();
        assert_eq!(
            holidays,
            vec![
                ("2015-12-25".to_string(), "Christmas Day".to_string()),
                (
                    "2015-12-28".to_string(),
                    "Boxing Day (substitute day)".to_string()
                ),
                ("2016-01-01".to_string(), "New Year's Day".to_string()),
            ]
        );
        assert_eq!(
            count.skipped.len(),
            3 + 6,
            "three holidays and three weekends"
        );
        assert_eq!(
            count
                .skipped
                .first()
                .map(|s| s.reason.to_string())
                .as_deref(),
            Some("Saturday")
        );
    }

    #[test]
    fn a_count_over_easter_2016_skips_good_friday_and_easter_monday() {
        let count = cal()
            .add_working_days_explained(d("2016-03-23"), 3)
            .unwrap();
        assert_eq!(count.end, d("2016-03-30"));
        let reasons: Vec<String> = count.skipped.iter().map(|s| s.reason.to_string()).collect();
        assert_eq!(
            reasons,
            vec!["Good Friday", "Saturday", "Sunday", "Easter Monday"]
        );
    }

    #[test]
    fn counts_go_backwards_and_start_on_a_weekend() {
        assert_eq!(
            cal().add_working_days(d("2016-01-04"), -2).unwrap(),
            d("2015-12-30")
        );
        // A Saturday start: the Monday is the first working day after it.
        assert_eq!(
            cal().add_working_days(d("2015-11-07"), 1).unwrap(),
            d("2015-11-09")
        );
        assert!(cal().is_working_day(d("2015-11-09")).unwrap());
        assert!(!cal().is_working_day(d("2015-12-28")).unwrap());
    }

    #[test]
    fn dates_outside_the_years_are_errors_never_guesses() {
        let c = cal();
        assert!(matches!(
            c.add_working_days(d("2011-12-30"), 1),
            Err(CalendarError::OutOfRange { .. })
        ));
        let past_the_end = c.add_working_days(d("2027-12-22"), 10).unwrap_err();
        assert!(
            matches!(past_the_end, CalendarError::OutOfRange { date, .. } if date.year() == 2028),
            "{past_the_end}"
        );
        assert!(c.holiday(d("2028-01-03")).is_err());
        assert!(c.add_working_days(d("2012-01-05"), -10).is_err());
    }

    #[test]
    fn ordinary_years_have_eight_holidays_and_special_years_more() {
        let c = cal();
        let count = |y: i32| c.holidays.keys().filter(|d| d.year() == y).count();
        for y in [
            2013, 2014, 2015, 2016, 2017, 2018, 2019, 2020, 2021, 2024, 2025, 2026, 2027,
        ] {
            assert_eq!(count(y), 8, "{y}");
        }
        assert_eq!(count(2012), 9, "Diamond Jubilee");
        assert_eq!(count(2022), 10, "Platinum Jubilee and the State Funeral");
        assert_eq!(count(2023), 9, "the coronation");
        assert_eq!(
            c.holiday(d("2020-05-08")).unwrap(),
            Some("Early May bank holiday (VE day)")
        );
        assert_eq!(c.holiday(d("2020-05-04")).unwrap(), None);
    }

    #[test]
    fn every_parse_error_is_reported_with_its_line_and_column() {
        let text = "calendar x\nversion \"1\"\nyears 2015 to 2016\n2015-12-25 Christmas Day\n2015-12-25 Again\n2015-12-26 A Saturday\n2017-01-02 Too late\n2015-02-30 No such day\nnonsense here\ntitle unquoted\n";
        let errors = Calendar::parse(text).unwrap_err();
        let shown: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(
            shown,
            vec![
                "line 8, column 1: expected a header (`calendar`, `title`, `version`, `source`, `years`) or a date YYYY-MM-DD, found `2015-02-30`",
                "line 9, column 1: expected a header (`calendar`, `title`, `version`, `source`, `years`) or a date YYYY-MM-DD, found `nonsense`",
                "line 10, column 7: expected a value in double quotes",
                "line 5, column 1: 2015-12-25 is listed twice",
                "line 6, column 1: 2015-12-26 is a Sat: a weekend day is never a working day",
                "line 7, column 1: 2017-01-02 is outside the years 2015 to 2016",
                "line 3, column 1: the year 2016 has no holidays listed",
            ]
        );
        let empty = Calendar::parse("").unwrap_err();
        assert_eq!(empty.len(), 3, "no calendar, version or years line");
    }
}
