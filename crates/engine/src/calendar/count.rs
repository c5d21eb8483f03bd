//! Counting working days: whether a day is one (not a Saturday, Sunday or
//! holiday), a date plus or minus a number of them, and, when asked, every
//! day passed over and why. Every date examined must be inside the
//! calendar's years.

use super::{Calendar, CalendarError, SkipReason, SkippedDay, WorkingDayCount};
use chrono::{Datelike, NaiveDate, Weekday};
use std::collections::BTreeMap;
use std::fmt;

/// The most years a calendar's working days are counted ahead for: past
/// this, counting steps day by day, as it does for an explained count.
const MOST_YEARS_COUNTED: i64 = 400;

/// The number of working days from the calendar's first day up to each
/// day of its years, that day included: a count of `n` working days is
/// then two reads of these tables rather than a step for every day. Days
/// are numbered from the first day of the first year.
#[derive(Clone, PartialEq, Eq, Default)]
pub(super) struct Counts {
    first: Option<NaiveDate>,
    upto: Box<[u32]>,
    /// Every working day of the years in order: the `k`th (from one) at
    /// `k - 1`, the first day whose count in `upto` reaches `k`.
    working: Box<[NaiveDate]>,
}

/// Thousands of numbers say nothing to a reader: only the extent.
impl fmt::Debug for Counts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Counts {{ first: {:?}, days: {} }}",
            self.first,
            self.upto.len()
        )
    }
}

impl Counts {
    /// The counts for the years `first_year` to `last_year`; none (every
    /// count stepped day by day) for a span of more than
    /// [`MOST_YEARS_COUNTED`] years or years chrono cannot hold.
    pub(super) fn new(
        first_year: i32,
        last_year: i32,
        holidays: &BTreeMap<NaiveDate, String>,
    ) -> Counts {
        let span = i64::from(last_year) - i64::from(first_year);
        let (Some(first), Some(last)) = (
            NaiveDate::from_ymd_opt(first_year, 1, 1),
            NaiveDate::from_ymd_opt(last_year, 12, 31),
        ) else {
            return Counts::default();
        };
        if !(0..MOST_YEARS_COUNTED).contains(&span) {
            return Counts::default();
        }
        let mut upto = Vec::with_capacity(usize::try_from(span + 1).unwrap_or(0) * 366);
        let mut working = Vec::with_capacity(upto.capacity());
        for day in first.iter_days().take_while(|d| *d <= last) {
            let weekend = matches!(day.weekday(), Weekday::Sat | Weekday::Sun);
            if !weekend && !holidays.contains_key(&day) {
                working.push(day);
            }
            upto.push(u32::try_from(working.len()).unwrap_or(u32::MAX));
        }
        Counts {
            first: Some(first),
            upto: upto.into(),
            working: working.into(),
        }
    }

    /// `start` + `n` working days, as [`Calendar::walk`] finds it, the
    /// error included (the first day outside the years); `None` where there
    /// is no table, or `start` is not in it.
    fn add(
        &self,
        cal: &Calendar,
        start: NaiveDate,
        n: i64,
    ) -> Option<Result<NaiveDate, CalendarError>> {
        let first = self.first?;
        // Days counted from the first day by their numbers since the common
        // era, cheaper than chrono's duration between two dates.
        let base = first.num_days_from_ce();
        let i = usize::try_from(start.num_days_from_ce().checked_sub(base)?).ok()?;
        let here = u64::from(*self.upto.get(i)?);
        let total = u64::from(*self.upto.last()?);
        let steps = n.unsigned_abs();
        // The day sought is the first whose count reaches `target`: a
        // working day, since the count rises only on one.
        let target = if n == 0 {
            return Some(Ok(start));
        } else if n > 0 {
            match here.checked_add(steps) {
                Some(t) if t <= total => t,
                // Past the last day: the walk stops at the day after it.
                _ => {
                    let after = i32::try_from(self.upto.len()).ok()?.checked_add(base)?;
                    let after = NaiveDate::from_num_days_from_ce_opt(after)?;
                    return Some(Err(cal.out_of_range(after)));
                }
            }
        } else {
            // Working days before `start`: those up to the day before it.
            let before = match i.checked_sub(1) {
                Some(j) => u64::from(*self.upto.get(j)?),
                None => 0,
            };
            match (before + 1).checked_sub(steps) {
                Some(t) if t >= 1 => t,
                // Before the first day: the walk stops at the day before it.
                _ => return Some(Err(cal.out_of_range(first.pred_opt()?))),
            }
        };
        // The `target`th working day: `target` is at least one and at most
        // the number of them.
        let k = usize::try_from(target.checked_sub(1)?).ok()?;
        Some(Ok(*self.working.get(k)?))
    }
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
        self.check_covers(start)?;
        match self.counts.add(self, start, n) {
            Some(found) => found,
            None => self.walk(start, n, |_, _| {}),
        }
    }

    /// [`Calendar::add_working_days`] counted day by day, as an explained
    /// count is: what the table must agree with.
    #[cfg(test)]
    pub(super) fn add_working_days_stepped(
        &self,
        start: NaiveDate,
        n: i64,
    ) -> Result<NaiveDate, CalendarError> {
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

    #[cold]
    #[inline(never)]
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
    #[cold]
    #[inline(never)]
    fn walk(
        &self,
        start: NaiveDate,
        n: i64,
        on_skip: impl FnMut(NaiveDate, Skip<'_>),
    ) -> Result<NaiveDate, CalendarError> {
        self.check_covers(start)?;
        // The holidays are read as one ordered run from the start (the
        // nearest holiday not yet passed), rather than the map searched for
        // every day.
        if n >= 0 {
            self.walk_past(
                start,
                n.unsigned_abs(),
                true,
                self.holidays.range(start..),
                on_skip,
            )
        } else {
            let behind = self.holidays.range(..=start).rev();
            self.walk_past(start, n.unsigned_abs(), false, behind, on_skip)
        }
    }

    /// [`Calendar::walk`] in one direction, `holidays` the holidays in the
    /// order the walk meets them.
    fn walk_past<'a>(
        &'a self,
        start: NaiveDate,
        mut left: u64,
        forward: bool,
        mut holidays: impl Iterator<Item = (&'a NaiveDate, &'a String)>,
        mut on_skip: impl FnMut(NaiveDate, Skip<'_>),
    ) -> Result<NaiveDate, CalendarError> {
        let mut date = start;
        // The weekday is stepped along with the date, not computed afresh.
        let mut weekday = start.weekday();
        let mut holiday = holidays.next();
        while left > 0 {
            let next = if forward {
                weekday = weekday.succ();
                date.succ_opt()
            } else {
                weekday = weekday.pred();
                date.pred_opt()
            };
            // Only the ends of chrono's range have no neighbour, and no
            // calendar (of four-digit years) reaches them.
            date = next.ok_or_else(|| self.out_of_range(date))?;
            self.check_covers(date)?;
            while let Some((&day, _)) = holiday {
                if (forward && day < date) || (!forward && day > date) {
                    holiday = holidays.next();
                } else {
                    break;
                }
            }
            let skip = match weekday {
                Weekday::Sat | Weekday::Sun => Some(Skip::Weekend(weekday)),
                _ => match holiday {
                    Some((&day, name)) if day == date => Some(Skip::Holiday(name.as_str())),
                    _ => None,
                },
            };
            match skip {
                Some(skip) => on_skip(date, skip),
                None => left -= 1,
            }
        }
        Ok(date)
    }
}
