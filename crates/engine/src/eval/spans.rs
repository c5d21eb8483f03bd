//! Spans of days (a stay, an absence), both ends counted: their union, the
//! days they cover, the longest run of consecutive days, and the most days
//! they cover within any window of a given length (Annex H of the children's
//! homes handbook: "less than 28 days ... in any 12-month period").

use super::months::add_months;
use crate::model::Window;
use chrono::{Datelike, Days, Months, NaiveDate};

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
/// Merged in place: each span that joins the run before it is taken into
/// that run and dropped.
pub(crate) fn merge(mut spans: Vec<Span>) -> Vec<Span> {
    spans.sort();
    spans.dedup_by(|next, run| {
        let joins = run.end.succ_opt().is_some_and(|after| next.start <= after);
        if joins {
            run.end = run.end.max(next.end);
        }
        joins
    });
    spans
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
/// Moving a window a day later moves its last day a day later too, except
/// where a window of months starts near a month's end (its end clamps: the
/// month from 30 January ends on 28 or 29 February, the month from
/// 1 March on 31 March), so a window of days always has a best that starts
/// on a span's first day or ends on a span's last day; a window of months
/// may have its best only where it starts in the last four days of a month
/// or on the first, with its first or last day inside a span (a span longer
/// than the window, say). Those starts are tried too, a few a month of each
/// span, whatever the window's length. `None` when a window leaves the
/// calendar.
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
        if let Window::Months(_) = window {
            // Starts inside the span, and starts whose window ends inside
            // it (from the earliest reaching its first day to the latest
            // ending by its last), near a month's turn.
            let ending_inside = (window_start(s.start, window)?, start);
            for (from, to) in [(s.start, s.end), ending_inside] {
                for day in month_turns(from, to) {
                    best = best.max(covered(day, window_end(day, window)?));
                }
            }
        }
    }
    Some(best)
}

/// The days from `from` to `to` that are among the last four of a month or
/// a month's first, in order (none past the last date there is).
fn month_turns(from: NaiveDate, to: NaiveDate) -> impl Iterator<Item = NaiveDate> {
    let first = from.with_day(1);
    std::iter::successors(first, |m| m.checked_add_months(Months::new(1)))
        .take_while(move |m| {
            m.checked_sub_months(Months::new(1))
                .is_some_and(|p| p <= to)
        })
        .flat_map(|m| {
            (0..=4u64)
                .rev()
                .filter_map(move |back| m.checked_sub_days(Days::new(back)))
        })
        .filter(move |day| from <= *day && *day <= to)
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

    proptest::proptest! {
        /// Merging gives the union of the spans' days, as runs in order
        /// that neither overlap nor touch: whatever the order and overlap
        /// of the spans, within a few weeks so that they often meet.
        #[test]
        fn merged_spans_are_the_union_of_the_days_as_separate_runs(
            spans in proptest::collection::vec((0u64..40, 0u64..6), 0..12)
        ) {
            let first = d("2016-02-20");
            let spans: Vec<Span> = spans
                .iter()
                .map(|&(at, len)| Span {
                    start: first + chrono::Days::new(at),
                    end: first + chrono::Days::new(at + len),
                })
                .collect();
            let days = |spans: &[Span]| -> std::collections::BTreeSet<NaiveDate> {
                spans.iter().flat_map(|s| s.start.iter_days().take_while(move |x| *x <= s.end)).collect()
            };
            let merged = merge(spans.clone());
            proptest::prop_assert_eq!(days(&merged), days(&spans));
            for pair in merged.windows(2) {
                if let [a, b] = pair {
                    proptest::prop_assert!(a.end.succ_opt().is_some_and(|next| next < b.start));
                }
            }
            proptest::prop_assert_eq!(total(&merged), i64::try_from(days(&spans).len()).unwrap());
        }
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
    fn a_span_longer_than_the_window_holds_its_longest_window() {
        // Eight months inside a stay of seventeen: the longest, 245 days,
        // start at a month's turn (31 May 2013 to 30 January 2014, say), not
        // on the stay's first day (5 April to 4 December 2013, 244 days) nor
        // ending on its last.
        let merged = merge(vec![span("2013-04-05", "2014-09-17")]);
        assert_eq!(most_within(&merged, Window::Months(8)), Some(245));
        assert_eq!(most_by_every_start(&merged, Window::Months(8)), 245);
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

    /// The most days the spans cover in any window, by trying the window
    /// from every day that could start one holding a covered day: from 800
    /// days before the first span, more than the longest window the tests
    /// try (13 months), to the last span's end.
    fn most_by_every_start(merged: &[Span], window: Window) -> i64 {
        let (Some(first), Some(last)) = (merged.first(), merged.last()) else {
            return 0;
        };
        let mut best = 0;
        let mut start = first.start - Days::new(800);
        while start <= last.end {
            let end = window_end(start, window).unwrap();
            let days: i64 = merged
                .iter()
                .map(|s| ((s.end.min(end) - s.start.max(start)).num_days() + 1).max(0))
                .sum();
            best = best.max(days);
            start = start.succ_opt().unwrap();
        }
        best
    }

    #[test]
    fn the_most_days_in_a_window_is_the_most_over_every_window() {
        // Spans drawn at random over 2014-2017 (two 29 Februaries), a few
        // each: their ends near a month's last day or first, where windows of
        // months clamp, or anywhere; a few days long, about a month or about
        // a year. Against windows of months and of days.
        let mut seed: u64 = 0x2016_0229;
        let mut next = |below: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % below
        };
        let base = d("2014-01-01");
        for case in 0..300 {
            let count = 1 + next(3);
            let spans: Vec<Span> = (0..count)
                .map(|_| {
                    let month = add_months(base, i64::try_from(1 + next(46)).unwrap()).unwrap();
                    let end = match next(3) {
                        0 => month - Days::new(1 + next(3)),
                        1 => month + Days::new(next(2)),
                        _ => base + Days::new(next(1400)),
                    };
                    let length = match next(3) {
                        0 => next(20),
                        1 => 27 + next(5),
                        _ => 360 + next(8),
                    };
                    let start = end - Days::new(length);
                    Span { start, end }
                })
                .collect();
            let merged = merge(spans);
            let windows = [
                Window::Months(12),
                Window::Months(1 + i64::try_from(next(13)).unwrap()),
                Window::Days(1 + i64::try_from(next(60)).unwrap()),
            ];
            for window in windows {
                assert_eq!(
                    most_within(&merged, window),
                    Some(most_by_every_start(&merged, window)),
                    "case {case}: {merged:?} {window:?}"
                );
            }
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
