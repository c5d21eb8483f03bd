//! Lowering literals: numbers, dates, times, strings and durations. A bad
//! date or a number too large is an error collected without stopping.

use super::Lower;
use crate::ast::*;
use crate::error::SyntaxError;
use crate::parse::{Result, Rule};
use crate::span::Spanned;
use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use pest::iterators::Pair;

impl Lower<'_> {
    pub(super) fn lower_literal(&mut self, pair: &Pair<'_, Rule>) -> Result<Literal> {
        Ok(match pair.as_rule() {
            Rule::boolean => Literal::Bool(pair.as_str() == "true"),
            Rule::number => Literal::Number(self.lower_number(pair)),
            Rule::string => Literal::Text(self.lower_string(pair).node),
            Rule::date => Literal::Date(self.lower_date(pair).node),
            Rule::datetime => Literal::DateTime(self.lower_datetime(pair)),
            Rule::time_of_day => match clock(pair.as_str()) {
                Some(t) => Literal::Time(t),
                None => {
                    self.errors.push(SyntaxError::InvalidTime {
                        text: pair.as_str().to_string(),
                        span: self.span_of(pair),
                    });
                    Literal::Time(NaiveTime::MIN)
                }
            },
            Rule::duration => {
                let mut inner = pair.clone().into_inner();
                let amount = self.lower_number(&self.child(&mut inner, pair)?);
                let unit_pair = self.child(&mut inner, pair)?;
                let unit = match unit_pair.clone().into_inner().next().map(|p| p.as_rule()) {
                    Some(Rule::unit_working_days) => Unit::WorkingDays,
                    Some(Rule::unit_days) => Unit::Days,
                    Some(Rule::unit_weeks) => Unit::Weeks,
                    Some(Rule::unit_months) => Unit::Months,
                    Some(Rule::unit_years) => Unit::Years,
                    _ => return Err(self.internal(&unit_pair)),
                };
                Literal::Duration { amount, unit }
            }
            _ => return Err(self.internal(pair)),
        })
    }

    pub(super) fn lower_number(&mut self, pair: &Pair<'_, Rule>) -> i64 {
        match pair.as_str().parse::<i64>() {
            Ok(n) if n <= 1_000_000_000 => n,
            _ => {
                self.errors.push(SyntaxError::NumberTooLarge {
                    text: shortened(pair.as_str()),
                    span: self.span_of(pair),
                });
                0
            }
        }
    }

    pub(super) fn lower_date(&mut self, pair: &Pair<'_, Rule>) -> Spanned<NaiveDate> {
        let span = self.span_of(pair);
        let text = pair.as_str();
        match ymd(text).or_else(|| NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()) {
            Some(d) => Spanned::new(d, span),
            None => {
                self.errors.push(SyntaxError::InvalidDate {
                    text: pair.as_str().to_string(),
                    span,
                });
                Spanned::new(NaiveDate::MIN, span)
            }
        }
    }

    pub(super) fn lower_datetime(&mut self, pair: &Pair<'_, Rule>) -> NaiveDateTime {
        let text = pair.as_str();
        let read = text.split_once('T').and_then(|(date, time)| {
            let date = ymd(date).or_else(|| NaiveDate::parse_from_str(date, "%Y-%m-%d").ok())?;
            Some(NaiveDateTime::new(date, clock(time)?))
        });
        match read {
            Some(dt) => dt,
            None => {
                self.errors.push(SyntaxError::InvalidTime {
                    text: text.to_string(),
                    span: self.span_of(pair),
                });
                NaiveDateTime::MIN
            }
        }
    }

    pub(super) fn lower_string(&mut self, pair: &Pair<'_, Rule>) -> Spanned<String> {
        let raw = pair.clone().into_inner().next().map_or("", |p| p.as_str());
        // Most strings (quotes, notes, citations) have no escape: copy them
        // whole rather than a character at a time.
        if !raw.contains('\\') {
            return Spanned::new(raw.to_string(), self.span_of(pair));
        }
        let mut out = String::with_capacity(raw.len());
        let mut chars = raw.chars();
        while let Some(c) = chars.next() {
            if c == '\\' {
                match chars.next() {
                    Some('n') => out.push('\n'),
                    Some(other) => out.push(other),
                    None => {}
                }
            } else {
                out.push(c);
            }
        }
        Spanned::new(out, self.span_of(pair))
    }
}

/// A time of day, `HH:MM` or `HH:MM:SS` (the grammar's shape), or `None`
/// for one that is not on a 24-hour clock. Read by hand: chrono's `%S`
/// takes `60` as a leap second, and `11:59:60` is no time of an English
/// clock.
fn clock(text: &str) -> Option<NaiveTime> {
    let mut parts = text.split(':').map(|p| p.parse::<u32>().ok());
    let (hours, minutes) = (parts.next()??, parts.next()??);
    let seconds = parts.next().map_or(Some(0), |s| s)?;
    if parts.next().is_some() || seconds > 59 {
        return None;
    }
    NaiveTime::from_hms_opt(hours, minutes, seconds)
}

/// A date the grammar's shape, `YYYY-MM-DD`, read without chrono's format
/// parser (which reads its format string afresh each time): the same date,
/// or `None` for a day that does not exist, as `%Y-%m-%d` would refuse it.
/// Text of another shape is `None` too, and left to chrono.
fn ymd(text: &str) -> Option<NaiveDate> {
    let b = text.as_bytes();
    if b.len() != 10 || b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
        return None;
    }
    let number = |from: usize, to: usize| -> Option<u32> {
        b.get(from..to)?.iter().try_fold(0u32, |n, &d| {
            d.is_ascii_digit().then(|| n * 10 + u32::from(d - b'0'))
        })
    };
    let year = i32::try_from(number(0, 4)?).ok()?;
    NaiveDate::from_ymd_opt(year, number(5, 7)?, number(8, 10)?)
}

/// The most digits of a number too large that its error repeats.
const SHOWN_DIGITS: usize = 20;

/// A number's digits as an error repeats them: the first
/// [`SHOWN_DIGITS`] and `…` for the rest (a literal may be as long as the
/// file; its span marks it all).
fn shortened(digits: &str) -> String {
    match digits.char_indices().nth(SHOWN_DIGITS) {
        Some((at, _)) => format!("{}…", digits.get(..at).unwrap_or(digits)),
        None => digits.to_string(),
    }
}
