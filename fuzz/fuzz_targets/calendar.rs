//! Any text as a calendar file: errors (each with a line in the file) or a
//! calendar. With a calendar, counting working days from dates at its edges
//! and inside it gives a date or an out-of-range error, never a panic, and
//! the count agrees with the calendar's own account of each day:
//!
//! - `d + n` working days is a working day, after `d` (before it for a
//!   negative `n`), with exactly `n` working days from `d` to it;
//! - the days passed over are the days in between that are not working days;
//! - from a working day, counting back `n` returns where it started.
#![no_main]
#![forbid(unsafe_code)]

use chrono::{Datelike, NaiveDate, Weekday};
use judgement_engine::calendar::{Calendar, CalendarError};
use libfuzzer_sys::fuzz_target;

/// The counts tried from each date. The long ones run off the calendar's
/// years, which must be an error.
const COUNTS: [i64; 12] = [0, 1, -1, 2, -2, 5, -5, 23, -23, 61, i64::MAX, i64::MIN];

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let calendar = match Calendar::parse(text) {
        Ok(calendar) => calendar,
        Err(errors) => {
            assert!(!errors.is_empty(), "a refusal with no error");
            // A byte-order mark and any kind of line end count as
            // `str::lines` counts them; an empty file has a line 1.
            let lines = text.lines().count().max(1);
            for e in &errors {
                let message = e.to_string();
                match e.position() {
                    Some((line, column)) => assert!(
                        (1..=lines).contains(&line) && column >= 1,
                        "line {line}, column {column} is not in the file: {message}"
                    ),
                    None => panic!("a calendar file's error with no position: {message}"),
                }
            }
            return;
        }
    };
    let (first, last) = calendar.years();
    assert!(first <= last, "the years {first} to {last}");
    let probes = [
        NaiveDate::from_ymd_opt(first, 1, 1),
        NaiveDate::from_ymd_opt(first, 1, 1).and_then(|d| d.pred_opt()),
        NaiveDate::from_ymd_opt(first, 12, 24),
        NaiveDate::from_ymd_opt(first + (last - first) / 2, 6, 15),
        NaiveDate::from_ymd_opt(last, 12, 20),
        NaiveDate::from_ymd_opt(last, 12, 31),
        NaiveDate::from_ymd_opt(last, 12, 31).and_then(|d| d.succ_opt()),
    ];
    for start in probes.into_iter().flatten() {
        let inside = (first..=last).contains(&start.year());
        day(&calendar, start, inside);
        for n in COUNTS {
            count(&calendar, start, n, inside);
        }
    }
});

/// What the calendar says of one day agrees with itself.
fn day(calendar: &Calendar, date: NaiveDate, inside: bool) {
    match (calendar.is_working_day(date), calendar.holiday(date)) {
        (Ok(working), Ok(holiday)) => {
            assert!(inside, "{date} is outside the years but was read");
            let weekend = matches!(date.weekday(), Weekday::Sat | Weekday::Sun);
            assert_eq!(
                working,
                !weekend && holiday.is_none(),
                "{date}: working day {working}, holiday {holiday:?}"
            );
            if let Some(name) = holiday {
                assert!(!name.trim().is_empty(), "{date}: a holiday with no name");
            }
        }
        (Err(a), Err(b)) => {
            assert!(!inside, "{date} is inside the years but was refused: {a}");
            out_of_range(&a);
            out_of_range(&b);
        }
        (a, b) => panic!("{date}: is_working_day {a:?} but holiday {b:?}"),
    }
}

/// `start + n` working days, with and without its working, checked against
/// the days in between.
fn count(calendar: &Calendar, start: NaiveDate, n: i64, inside: bool) {
    let end = calendar.add_working_days(start, n);
    let explained = calendar.add_working_days_explained(start, n);
    let (end, explained) = match (end, explained) {
        (Ok(end), Ok(explained)) => (end, explained),
        (Err(a), Err(b)) => {
            assert_eq!(a, b, "{start} + {n}: two different errors");
            out_of_range(&a);
            return;
        }
        (a, b) => panic!("{start} + {n}: {a:?} but, with its working, {b:?}"),
    };
    assert!(
        inside,
        "{start} is outside the years but {n} was counted from it"
    );
    assert_eq!(explained.end, end, "{start} + {n}: two different ends");
    assert_eq!((explained.start, explained.days), (start, n));
    if n == 0 {
        assert_eq!(end, start, "{start} + 0 working days");
        assert!(explained.skipped.is_empty(), "{start} + 0 skipped days");
        return;
    }
    assert!(
        (n > 0 && end > start) || (n < 0 && end < start),
        "{start} + {n} working days is {end}"
    );
    assert_eq!(
        calendar.is_working_day(end),
        Ok(true),
        "{start} + {n} is {end}"
    );
    // The days after `start`, up to and including `end` (or before it, down
    // to `end`), one by one.
    let (low, high) = if n > 0 { (start, end) } else { (end, start) };
    let between: Vec<NaiveDate> = low
        .iter_days()
        .skip(usize::from(n > 0))
        .take_while(|d| if n > 0 { *d <= high } else { *d < high })
        .collect();
    let working = between
        .iter()
        .filter(|d| calendar.is_working_day(**d) == Ok(true))
        .count();
    assert_eq!(
        u64::try_from(working).ok(),
        Some(n.unsigned_abs()),
        "{start} + {n} is {end}, with {working} working days between"
    );
    let passed_over: Vec<NaiveDate> = between
        .iter()
        .copied()
        .filter(|d| calendar.is_working_day(*d) == Ok(false))
        .collect();
    let skipped: Vec<NaiveDate> = explained.skipped.iter().map(|s| s.date).collect();
    assert_eq!(skipped, passed_over, "{start} + {n}: the days passed over");
    if let (Ok(true), Some(back)) = (calendar.is_working_day(start), n.checked_neg()) {
        assert_eq!(
            calendar.add_working_days(end, back),
            Ok(start),
            "{start} + {n} is {end}, but back from {end} is not {start}"
        );
    }
}

fn out_of_range(e: &CalendarError) {
    assert!(
        matches!(e, CalendarError::OutOfRange { .. }),
        "a count gave an error other than out of range: {e}"
    );
}
