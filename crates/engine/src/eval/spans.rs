//! Spans of days (a stay, an absence), both ends counted: their union, the
//! days they cover, the longest run of consecutive days, and the most days
//! they cover within any window of a given length (Annex H of the children's
//! homes handbook: "less than 28 days ... in any 12-month period").

use super::expr::add_months;
use crate::model::Window;
use chrono::{Days, NaiveDate};

/// The days from `start` to `end`, both counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Span {
    pub start: NaiveDate,
    pub end: NaiveDate,
}

impl Span {
    fn days(self) -> i64 {
        (self.end - self.start).num_days() + 1
    }
}

/// The union of the spans as disjoint spans in order; spans that overlap or
/// touch (one ends the day before the next starts) become one run.
pub(crate) fn merge(mut spans: Vec<Span>) -> Vec<Span> {
    spans.sort();
    let mut out: Vec<Span> = Vec::with_capacity(spans.len());
    for s in spans {
        match out.last_mut() {
            Some(last) if last.end.succ_opt().is_some_and(|next| s.start <= next) => {
                last.end = last.end.max(s.end);
            }
            _ => out.push(s),
        }
    }
    out
}

/// The days the merged spans cover.
pub(crate) fn total(merged: &[Span]) -> i64 {
    merged.iter().map(|s| s.days()).sum()
}

/// The most consecutive days the merged spans cover.
pub(crate) fn longest(merged: &[Span]) -> i64 {
    merged.iter().map(|s| s.days()).max().unwrap_or(0)
}

/// The last day of a window that starts on `start`.
fn window_end(start: NaiveDate, window: Window) -> Option<NaiveDate> {
    match window {
        Window::Days(n) => start.checked_add_days(Days::new(u64::try_from(n - 1).ok()?)),
        Window::Months(n) => add_months(start, n)?.pred_opt(),
    }
}

/// The first day of the earliest window that reaches `end`: the window
/// from it ends on `end` where some window does, else just after it. Months
/// back from the day after `end` can land before that day, where a month's
/// end clamps (twelve months back from 29 February 2016 give 28 February
/// 2015, whose window ends on 27 February 2016): the days after it are
/// tried until one's window reaches `end`, at most three.
fn window_start(end: NaiveDate, window: Window) -> Option<NaiveDate> {
    match window {
        Window::Days(n) => end.checked_sub_days(Days::new(u64::try_from(n - 1).ok()?)),
        Window::Months(n) => {
            let mut start = add_months(end.succ_opt()?, -n)?;
            while window_end(start, window)? < end {
                start = start.succ_opt()?;
            }
            Some(start)
        }
    }
}

/// The most days the merged spans cover in any window of the given length.
/// A best window can always be found starting on a span's first day or
/// ending on a span's last day, so only those are tried. `None` when a
/// window leaves the calendar.
pub(crate) fn most_within(merged: &[Span], window: Window) -> Option<i64> {
    // prefix[i]: the days of the first i spans.
    let mut prefix = Vec::with_capacity(merged.len() + 1);
    prefix.push(0i64);
    for s in merged {
        prefix.push(prefix.last().copied().unwrap_or(0) + s.days());
    }
    let covered = |from: NaiveDate, to: NaiveDate| -> i64 {
        // The spans that reach into the window: first ending on or after
        // `from`, last starting on or before `to`.
        let i = merged.partition_point(|s| s.end < from);
        let j = merged.partition_point(|s| s.start <= to);
        if i >= j {
            return 0;
        }
        let mut days = prefix.get(j).copied().unwrap_or(0) - prefix.get(i).copied().unwrap_or(0);
        if let Some(first) = merged.get(i) {
            if first.start < from {
                days -= (from - first.start).num_days();
            }
        }
        if let Some(last) = merged.get(j - 1) {
            if last.end > to {
                days -= (last.end - to).num_days();
            }
        }
        days
    };
    let mut best = 0;
    for s in merged {
        let end = window_end(s.start, window)?;
        best = best.max(covered(s.start, end));
        let start = window_start(s.end, window)?;
        best = best.max(covered(start, s.end));
    }
    Some(best)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn span(a: &str, b: &str) -> Span {
        Span {
            start: d(a),
            end: d(b),
        }
    }

    #[test]
    fn a_span_counts_both_its_ends() {
        assert_eq!(span("2016-02-01", "2016-02-28").days(), 28);
        assert_eq!(span("2016-02-01", "2016-02-01").days(), 1);
    }

    #[test]
    fn overlapping_and_touching_spans_merge() {
        let merged = merge(vec![
            span("2016-03-10", "2016-03-20"),
            span("2016-03-01", "2016-03-05"),
            span("2016-03-06", "2016-03-08"),
            span("2016-03-15", "2016-03-25"),
        ]);
        assert_eq!(
            merged,
            vec![
                span("2016-03-01", "2016-03-08"),
                span("2016-03-10", "2016-03-25")
            ]
        );
        assert_eq!(total(&merged), 8 + 16);
        assert_eq!(longest(&merged), 16);
    }

    #[test]
    fn the_most_days_in_any_twelve_months_slides_over_the_spans() {
        // 20 days in March 2015, 10 in February 2016, 10 in April 2016:
        // March 2015 to February 2016 holds 30; February to April 2016 holds 20.
        let merged = merge(vec![
            span("2015-03-01", "2015-03-20"),
            span("2016-02-01", "2016-02-10"),
            span("2016-04-01", "2016-04-10"),
        ]);
        assert_eq!(most_within(&merged, Window::Months(12)), Some(30));
        // Thirty days hold at most the twenty days of March 2015.
        assert_eq!(most_within(&merged, Window::Days(30)), Some(20));
        // A window that starts inside a span counts part of it.
        let one = merge(vec![span("2016-01-01", "2016-01-31")]);
        assert_eq!(most_within(&one, Window::Days(10)), Some(10));
        assert_eq!(most_within(&[], Window::Months(12)), Some(0));
    }

    #[test]
    fn a_window_ending_on_28_february_of_a_leap_year_starts_on_1_march() {
        // No twelve months hold both 28 February 2015 and 28 February 2016:
        // the window from 28 February 2015 ends on 27 February 2016, and the
        // one from 1 March 2015 on 29 February 2016.
        let merged = merge(vec![
            span("2015-02-28", "2015-02-28"),
            span("2016-02-02", "2016-02-28"),
        ]);
        assert_eq!(most_within(&merged, Window::Months(12)), Some(27));
        // A year on without a leap day, the same dates are a window apart
        // too: 28 February 2014 to 27 February 2015.
        let merged = merge(vec![
            span("2014-02-28", "2014-02-28"),
            span("2015-02-02", "2015-02-28"),
        ]);
        assert_eq!(most_within(&merged, Window::Months(12)), Some(27));
        assert_eq!(
            window_start(d("2016-02-28"), Window::Months(12)),
            Some(d("2015-03-01"))
        );
        // One month back from 31 March 2016 clamps to 29 February, whose
        // month ends on 28 March; the first window to reach 30 March starts
        // on 1 March.
        assert_eq!(
            window_start(d("2016-03-30"), Window::Months(1)),
            Some(d("2016-03-01"))
        );
    }

    #[test]
    fn the_window_found_for_an_end_is_the_earliest_that_reaches_it() {
        // Every end from 2012 to 2027 and windows of 1 to 24 months: the
        // window from the start found reaches the end, and the window from
        // the day before does not.
        let mut end = d("2012-01-01");
        while end <= d("2027-12-31") {
            for n in 1..=24 {
                let window = Window::Months(n);
                let start = window_start(end, window).unwrap();
                assert!(start <= end, "{end} {n}");
                assert!(window_end(start, window).unwrap() >= end, "{end} {n}");
                let before = start.pred_opt().unwrap();
                assert!(window_end(before, window).unwrap() < end, "{end} {n}");
            }
            end = end.succ_opt().unwrap();
        }
    }

    #[test]
    fn twelve_months_end_the_day_before_the_anniversary() {
        // 27 days in one window, with one more day exactly a year on: the
        // window from 2015-06-05 ends 2016-06-04, so the day 2016-06-05 is
        // outside it.
        let merged = merge(vec![
            span("2015-06-05", "2015-07-01"),
            span("2016-06-05", "2016-06-05"),
        ]);
        assert_eq!(most_within(&merged, Window::Months(12)), Some(27));
        let merged = merge(vec![
            span("2015-06-05", "2015-07-01"),
            span("2016-06-04", "2016-06-04"),
        ]);
        assert_eq!(most_within(&merged, Window::Months(12)), Some(28));
    }
}
