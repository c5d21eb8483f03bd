//! Tests of the calendar file format and of working-day counting, over the
//! real England and Wales calendar and small files written here.

use super::*;
use chrono::Datelike;
use std::collections::BTreeSet;

const ENGLAND_AND_WALES: &str =
    include_str!("../../../../rulesets/calendars/england_and_wales.calendar");

fn cal() -> Calendar {
    Calendar::parse(ENGLAND_AND_WALES).unwrap()
}

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn holidays_in(c: &Calendar, year: i32) -> Vec<(NaiveDate, &str)> {
    c.holidays
        .iter()
        .filter(|(date, _)| date.year() == year)
        .map(|(date, name)| (*date, name.as_str()))
        .collect()
}

fn skipped(count: &WorkingDayCount) -> Vec<(String, String)> {
    count
        .skipped
        .iter()
        .map(|s| (s.date.to_string(), s.reason.to_string()))
        .collect()
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

fn errors(source: &str) -> Vec<String> {
    Calendar::parse(source)
        .unwrap_err()
        .iter()
        .map(ToString::to_string)
        .collect()
}

const HEADER: &str =
    "calendar test\ntitle \"Test\"\nversion \"1\"\nsource \"made up\"\nyears 2015 to 2016\n";

// ---- the real file ----

#[test]
fn the_england_and_wales_file_reads_with_its_header() {
    let c = cal();
    assert_eq!(c.name(), "england_and_wales");
    assert_eq!(c.title(), "England and Wales bank holidays");
    assert_eq!(c.version(), "2026-11-24");
    assert!(c.source().starts_with("GOV.UK bank holidays"));
    assert_eq!(c.years(), (2012, 2027));
    assert_eq!(c.holidays.len(), 132);
}

#[test]
fn ordinary_years_have_eight_holidays_and_special_years_their_extra_days() {
    let c = cal();
    for year in [
        2013, 2014, 2015, 2016, 2017, 2018, 2019, 2020, 2021, 2024, 2025, 2026, 2027,
    ] {
        assert_eq!(holidays_in(&c, year).len(), 8, "{year}");
    }
    assert_eq!(holidays_in(&c, 2012).len(), 9, "the Diamond Jubilee");
    assert_eq!(
        holidays_in(&c, 2022).len(),
        10,
        "the Platinum Jubilee and the State Funeral"
    );
    assert_eq!(holidays_in(&c, 2023).len(), 9, "the coronation");
}

#[test]
fn the_one_off_holidays_and_the_days_they_moved() {
    let c = cal();
    let h = |s: &str| c.holiday(d(s)).unwrap();
    // 2012: spring holiday moved from 28 May to 4 June, Jubilee 5 June.
    assert_eq!(h("2012-05-28"), None);
    assert_eq!(h("2012-06-04"), Some("Spring bank holiday"));
    assert_eq!(h("2012-06-05"), Some("Queen's Diamond Jubilee"));
    // 2020: early May holiday moved from Monday 4 May to VE day.
    assert_eq!(h("2020-05-04"), None);
    assert_eq!(h("2020-05-08"), Some("Early May bank holiday (VE day)"));
    // 2022: spring holiday moved from 30 May to 2 June; Jubilee; funeral.
    assert_eq!(h("2022-05-30"), None);
    assert_eq!(h("2022-06-02"), Some("Spring bank holiday"));
    assert_eq!(h("2022-06-03"), Some("Platinum Jubilee bank holiday"));
    assert_eq!(
        h("2022-09-19"),
        Some("Bank Holiday for the State Funeral of Queen Elizabeth II")
    );
    // 2023: the coronation, an extra day beside the usual early May one.
    assert_eq!(h("2023-05-01"), Some("Early May bank holiday"));
    assert_eq!(
        h("2023-05-08"),
        Some("Bank holiday for the coronation of King Charles III")
    );
}

/// Easter Sunday by the anonymous Gregorian computus.
fn easter(y: i32) -> NaiveDate {
    let (a, b, c) = (y % 19, y / 100, y % 100);
    let (dd, e) = (b / 4, b % 4);
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - dd - g + 15) % 30;
    let (i, k) = (c / 4, c % 4);
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    NaiveDate::from_ymd_opt(y, month as u32, day as u32).unwrap()
}

fn monday_on_or_after(date: NaiveDate) -> NaiveDate {
    date.iter_days()
        .find(|x| x.weekday() == Weekday::Mon)
        .unwrap()
}

fn monday_on_or_before(date: NaiveDate) -> NaiveDate {
    let back = date.weekday().num_days_from_monday();
    date - chrono::Duration::days(i64::from(back))
}

/// The holidays the standing rules give for a year, before one-offs.
fn by_the_rules(y: i32) -> BTreeSet<NaiveDate> {
    let ymd = |m, dd| NaiveDate::from_ymd_opt(y, m, dd).unwrap();
    let mut days = BTreeSet::new();
    // New Year's Day, moved to Monday when it falls at a weekend.
    let new_year = ymd(1, 1);
    days.insert(match new_year.weekday() {
        Weekday::Sat | Weekday::Sun => monday_on_or_after(new_year),
        _ => new_year,
    });
    let e = easter(y);
    days.insert(e - chrono::Duration::days(2));
    days.insert(e + chrono::Duration::days(1));
    days.insert(monday_on_or_after(ymd(5, 1)));
    days.insert(monday_on_or_before(ymd(5, 31)));
    days.insert(monday_on_or_before(ymd(8, 31)));
    // Christmas and Boxing Day: a weekend one moves to the next weekday
    // that is not already a holiday.
    for dd in [25, 26] {
        let mut day = ymd(12, dd);
        while matches!(day.weekday(), Weekday::Sat | Weekday::Sun) || days.contains(&day) {
            day = day.succ_opt().unwrap();
        }
        days.insert(day);
    }
    days
}

#[test]
fn every_date_agrees_with_the_standing_rules_and_the_one_off_changes() {
    let c = cal();
    for y in 2012..=2027 {
        let mut expected = by_the_rules(y);
        match y {
            2012 => {
                expected.remove(&d("2012-05-28"));
                expected.insert(d("2012-06-04"));
                expected.insert(d("2012-06-05"));
            }
            2020 => {
                expected.remove(&d("2020-05-04"));
                expected.insert(d("2020-05-08"));
            }
            2022 => {
                expected.remove(&d("2022-05-30"));
                expected.insert(d("2022-06-02"));
                expected.insert(d("2022-06-03"));
                expected.insert(d("2022-09-19"));
            }
            2023 => {
                expected.insert(d("2023-05-08"));
            }
            _ => {}
        }
        let listed: BTreeSet<NaiveDate> = holidays_in(&c, y).into_iter().map(|(x, _)| x).collect();
        assert_eq!(listed, expected, "{y}");
        let e = easter(y);
        assert_eq!(
            c.holiday(e - chrono::Duration::days(2)).unwrap(),
            Some("Good Friday"),
            "{y}"
        );
        assert_eq!(
            c.holiday(e + chrono::Duration::days(1)).unwrap(),
            Some("Easter Monday"),
            "{y}"
        );
    }
}

#[test]
fn substitute_days_are_named_as_such() {
    let c = cal();
    for (date, name) in [
        ("2012-01-02", "New Year's Day (substitute day)"),
        ("2015-12-28", "Boxing Day (substitute day)"),
        ("2016-12-27", "Christmas Day (substitute day)"),
        ("2017-01-02", "New Year's Day (substitute day)"),
        ("2020-12-28", "Boxing Day (substitute day)"),
        ("2021-12-27", "Christmas Day (substitute day)"),
        ("2021-12-28", "Boxing Day (substitute day)"),
        ("2022-01-03", "New Year's Day (substitute day)"),
        ("2022-12-27", "Christmas Day (substitute day)"),
        ("2023-01-02", "New Year's Day (substitute day)"),
        ("2026-12-28", "Boxing Day (substitute day)"),
        ("2027-12-27", "Christmas Day (substitute day)"),
        ("2027-12-28", "Boxing Day (substitute day)"),
    ] {
        assert_eq!(c.holiday(d(date)).unwrap(), Some(name), "{date}");
    }
    assert_eq!(c.holiday(d("2016-12-26")).unwrap(), Some("Boxing Day"));
    let substitutes = c
        .holidays
        .values()
        .filter(|n| n.ends_with("(substitute day)"))
        .count();
    assert_eq!(substitutes, 13);
}

// ---- counting ----

#[test]
fn ten_and_twenty_five_working_days_from_4_november_2015() {
    let c = cal();
    assert_eq!(
        c.add_working_days(d("2015-11-04"), 10).unwrap(),
        d("2015-11-18")
    );
    assert_eq!(
        c.add_working_days(d("2015-11-04"), 25).unwrap(),
        d("2015-12-09")
    );
    let count = c.add_working_days_explained(d("2015-11-04"), 10).unwrap();
    assert_eq!(count.start, d("2015-11-04"));
    assert_eq!(count.days, 10);
    assert_eq!(count.end, d("2015-11-18"));
    assert_eq!(
        skipped(&count),
        pairs(&[
            ("2015-11-07", "Saturday"),
            ("2015-11-08", "Sunday"),
            ("2015-11-14", "Saturday"),
            ("2015-11-15", "Sunday"),
        ])
    );
}

#[test]
fn ten_working_days_over_christmas_2015_skip_each_holiday_by_name() {
    let c = cal();
    let count = c.add_working_days_explained(d("2015-12-18"), 10).unwrap();
    assert_eq!(count.end, d("2016-01-06"));
    assert_eq!(
        c.add_working_days(d("2015-12-18"), 10).unwrap(),
        d("2016-01-06")
    );
    assert_eq!(
        skipped(&count),
        pairs(&[
            ("2015-12-19", "Saturday"),
            ("2015-12-20", "Sunday"),
            ("2015-12-25", "Christmas Day"),
            ("2015-12-26", "Saturday"),
            ("2015-12-27", "Sunday"),
            ("2015-12-28", "Boxing Day (substitute day)"),
            ("2016-01-01", "New Year's Day"),
            ("2016-01-02", "Saturday"),
            ("2016-01-03", "Sunday"),
        ])
    );
    assert_eq!(
        count.skipped.get(2).map(|s| &s.reason),
        Some(&SkipReason::Holiday("Christmas Day".to_string()))
    );
    assert_eq!(
        count.skipped.first().map(|s| &s.reason),
        Some(&SkipReason::Weekend(Weekday::Sat))
    );
}

#[test]
fn working_days_over_easter_2016_skip_good_friday_and_easter_monday() {
    let c = cal();
    let count = c.add_working_days_explained(d("2016-03-23"), 3).unwrap();
    assert_eq!(count.end, d("2016-03-30"));
    assert_eq!(
        skipped(&count),
        pairs(&[
            ("2016-03-25", "Good Friday"),
            ("2016-03-26", "Saturday"),
            ("2016-03-27", "Sunday"),
            ("2016-03-28", "Easter Monday"),
        ])
    );
    assert_eq!(
        c.add_working_days(d("2016-03-24"), 1).unwrap(),
        d("2016-03-29")
    );
    assert!(!c.is_working_day(d("2016-03-25")).unwrap());
    assert!(!c.is_working_day(d("2016-03-28")).unwrap());
    assert!(c.is_working_day(d("2016-03-29")).unwrap());
}

#[test]
fn negative_counts_go_back_and_list_skipped_days_in_date_order() {
    let c = cal();
    assert_eq!(
        c.add_working_days(d("2016-01-04"), -2).unwrap(),
        d("2015-12-30")
    );
    assert_eq!(
        c.add_working_days(d("2016-01-06"), -10).unwrap(),
        d("2015-12-18")
    );
    let count = c.add_working_days_explained(d("2016-01-04"), -2).unwrap();
    assert_eq!(count.days, -2);
    assert_eq!(count.end, d("2015-12-30"));
    assert_eq!(
        skipped(&count),
        pairs(&[
            ("2016-01-01", "New Year's Day"),
            ("2016-01-02", "Saturday"),
            ("2016-01-03", "Sunday"),
        ])
    );
    // Back over Easter 2016.
    assert_eq!(
        c.add_working_days(d("2016-03-29"), -1).unwrap(),
        d("2016-03-24")
    );
}

#[test]
fn forward_then_back_returns_to_a_working_day() {
    let c = cal();
    let mut date = d("2012-01-03");
    while date < d("2027-12-01") {
        if c.is_working_day(date).unwrap() {
            for n in [1, 5, 10, 20] {
                let there = c.add_working_days(date, n).unwrap();
                assert_eq!(c.add_working_days(there, -n).unwrap(), date, "{date} {n}");
            }
        }
        date += chrono::Duration::days(13);
    }
}

#[test]
fn a_count_of_zero_is_the_start_whatever_day_it_is() {
    let c = cal();
    for s in ["2015-11-04", "2015-11-07", "2015-12-25"] {
        assert_eq!(c.add_working_days(d(s), 0).unwrap(), d(s));
        let count = c.add_working_days_explained(d(s), 0).unwrap();
        assert_eq!(count.end, d(s));
        assert!(count.skipped.is_empty());
    }
}

#[test]
fn a_start_on_a_weekend_or_holiday_is_day_zero() {
    let c = cal();
    // Saturday 7 November 2015.
    assert_eq!(
        c.add_working_days(d("2015-11-07"), 1).unwrap(),
        d("2015-11-09")
    );
    assert_eq!(
        c.add_working_days(d("2015-11-07"), -1).unwrap(),
        d("2015-11-06")
    );
    assert_eq!(
        c.add_working_days(d("2015-11-07"), 10).unwrap(),
        d("2015-11-20")
    );
    let count = c.add_working_days_explained(d("2015-11-07"), 1).unwrap();
    assert_eq!(skipped(&count), pairs(&[("2015-11-08", "Sunday")]));
    // Christmas Day 2015.
    assert_eq!(
        c.add_working_days(d("2015-12-25"), 1).unwrap(),
        d("2015-12-29")
    );
}

#[test]
fn dates_outside_2012_to_2027_are_errors_never_guesses() {
    let c = cal();
    let out = |date: &str| CalendarError::OutOfRange {
        calendar: "england_and_wales".to_string(),
        date: d(date),
        first_year: 2012,
        last_year: 2027,
    };
    // A start outside, whatever the count.
    assert_eq!(
        c.add_working_days(d("2011-12-30"), 1),
        Err(out("2011-12-30"))
    );
    assert_eq!(
        c.add_working_days(d("2028-01-04"), 0),
        Err(out("2028-01-04"))
    );
    assert_eq!(
        c.add_working_days_explained(d("2028-01-04"), -5),
        Err(out("2028-01-04"))
    );
    // A count that runs past 31 December 2027, naming the first day out.
    assert_eq!(
        c.add_working_days(d("2027-12-22"), 10),
        Err(out("2028-01-01"))
    );
    assert_eq!(
        c.add_working_days_explained(d("2027-12-22"), 10),
        Err(out("2028-01-01"))
    );
    assert_eq!(
        c.add_working_days(d("2027-12-22"), 5).unwrap(),
        d("2027-12-31")
    );
    // A Friday at the very end: even a weekend just past it is unknown.
    assert_eq!(
        c.add_working_days(d("2027-12-31"), 1),
        Err(out("2028-01-01"))
    );
    // A count back before 1 January 2012.
    assert_eq!(
        c.add_working_days(d("2012-01-05"), -10),
        Err(out("2011-12-31"))
    );
    assert_eq!(
        c.add_working_days(d("2012-01-05"), -2).unwrap(),
        d("2012-01-03")
    );
    // Huge counts stop at the edge rather than running on.
    assert_eq!(
        c.add_working_days(d("2020-06-01"), i64::MAX),
        Err(out("2028-01-01"))
    );
    assert_eq!(
        c.add_working_days(d("2020-06-01"), i64::MIN),
        Err(out("2011-12-31"))
    );
    // Single-day questions.
    assert_eq!(c.holiday(d("2028-01-03")), Err(out("2028-01-03")));
    assert_eq!(c.is_working_day(d("2011-12-31")), Err(out("2011-12-31")));
    assert_eq!(
        out("2028-01-01").to_string(),
        "`2028-01-01` is outside the years of the calendar `england_and_wales` (2012 to 2027); its working days are not known"
    );
    assert_eq!(out("2028-01-01").position(), None);
}

#[test]
fn skip_reasons_read_as_day_names_or_holiday_names() {
    assert_eq!(SkipReason::Weekend(Weekday::Sat).to_string(), "Saturday");
    assert_eq!(SkipReason::Weekend(Weekday::Sun).to_string(), "Sunday");
    assert_eq!(
        SkipReason::Holiday("Easter Monday".to_string()).to_string(),
        "Easter Monday"
    );
}

#[test]
fn a_calendar_is_send_and_sync() {
    fn shared<T: Send + Sync>() {}
    shared::<Calendar>();
    shared::<CalendarError>();
}

// ---- parse errors, each with its line and column ----

#[test]
fn a_minimal_file_reads_with_comments_and_blank_lines() {
    let text = format!(
        "# a comment\n\n{HEADER}  2015-12-25   Christmas Day  # trailing comment\n2016-12-26 Boxing Day\n"
    );
    let c = Calendar::parse(&text).unwrap();
    assert_eq!(c.holiday(d("2015-12-25")).unwrap(), Some("Christmas Day"));
    assert_eq!(c.years(), (2015, 2016));
    // A `#` inside quotes is part of the value.
    let text = "calendar t\ntitle \"Bank holidays #1\"\nversion \"1\"\nsource \"s\"\nyears 2015 to 2015\n2015-12-25 Christmas Day\n";
    assert_eq!(Calendar::parse(text).unwrap().title(), "Bank holidays #1");
    // A byte-order mark and Windows line ends are read.
    let text = format!(
        "\u{feff}{}2015-12-25 X\r\n2016-12-26 Y\r\n",
        HEADER.replace('\n', "\r\n")
    );
    assert_eq!(Calendar::parse(&text).unwrap().holidays.len(), 2);
}

#[test]
fn an_unexpected_line_is_an_error_at_its_first_word() {
    let text = format!("{HEADER}2015-12-25 X\n2016-12-26 Y\n   holiday 2015-12-25\n");
    assert_eq!(
        errors(&text),
        ["line 8, column 4: expected a header line (`calendar`, `title`, `version`, `source` or `years`) or a holiday (`YYYY-MM-DD name`), found `holiday`"]
    );
}

/// A carriage return that no line feed follows is refused where it is, as
/// in a rule file: some editors end a line there and some do not, and it
/// would otherwise be read into a holiday's name.
#[test]
fn a_carriage_return_alone_is_an_error_at_its_place() {
    let text = format!("{HEADER}2015-12-25 Boxing\rDay\n2016-12-26 Y\r\n");
    assert_eq!(
        errors(&text),
        ["line 6, column 18: a carriage return alone ends a line for some editors and not for others: save the file with LF (or CRLF) line ends"]
    );
    let e = Calendar::parse(&text).unwrap_err();
    assert_eq!(e[0].position(), Some((6, 18)));
    // One that ends the file, after the last line feed, too.
    let text = format!("{HEADER}2015-12-25 X\n2016-12-26 Y\n\r");
    assert_eq!(
        Calendar::parse(&text).unwrap_err()[0].position(),
        Some((8, 1))
    );
}

#[test]
fn malformed_dates_are_errors() {
    let text = format!(
        "{HEADER}2015-12-25 X\n2016-12-26 Y\n2015-02-30 No such day\n2015-1-5 Short\n  20151225 Run together\n"
    );
    let errs = Calendar::parse(&text).unwrap_err();
    assert_eq!(
        errs.iter().map(|e| e.position()).collect::<Vec<_>>(),
        [Some((8, 1)), Some((9, 1)), Some((10, 3))]
    );
    assert_eq!(
        errs.first().map(ToString::to_string).as_deref(),
        Some("line 8, column 1: `2015-02-30` is not a day that exists")
    );
    assert!(
        matches!(errs.get(1), Some(CalendarError::BadDate { found, .. }) if found == "2015-1-5")
    );
}

#[test]
fn a_holiday_without_a_name_is_an_error() {
    let text = format!("{HEADER}2015-12-25\n2016-12-26 Y\n2015-12-28 X\n");
    assert_eq!(
        errors(&text),
        ["line 6, column 12: the holiday on `2015-12-25` has no name"]
    );
}

#[test]
fn a_duplicate_date_is_an_error_naming_the_first() {
    let text = format!("{HEADER}2015-12-25 Christmas Day\n2016-12-26 Y\n2015-12-25 Again\n");
    assert_eq!(
        errors(&text),
        ["line 8, column 1: `2015-12-25` is listed twice (first on line 6)"]
    );
}

#[test]
fn a_weekend_holiday_is_an_error() {
    let text = format!("{HEADER}2015-12-25 X\n2016-12-25 Christmas Day\n2016-12-26 Y\n");
    assert_eq!(
        errors(&text),
        ["line 7, column 1: `2016-12-25` is a Sunday; list the weekday the holiday is observed on (its substitute day) instead"]
    );
}

#[test]
fn a_holiday_outside_the_years_is_an_error() {
    let text = format!("{HEADER}2015-12-25 X\n2016-12-26 Y\n2017-01-02 Too late\n");
    assert_eq!(
        errors(&text),
        ["line 8, column 1: `2017-01-02` is outside the calendar's years 2015 to 2016"]
    );
}

#[test]
fn declared_years_without_holidays_are_errors_at_the_years_line() {
    let text = "calendar t\ntitle \"T\"\nversion \"1\"\nsource \"s\"\nyears 2012 to 2020\n2012-12-25 X\n2016-12-26 Y\n";
    assert_eq!(
        errors(text),
        [
            "line 5, column 7: no holidays are listed for the years 2013 to 2015",
            "line 5, column 7: no holidays are listed for the years 2017 to 2020",
        ]
    );
    let text = format!("{HEADER}2015-12-25 X\n");
    assert_eq!(
        errors(&text),
        ["line 5, column 7: no holidays are listed for the year 2016"]
    );
}

#[test]
fn bad_header_values_are_errors_at_the_value() {
    let text = "calendar two words\ntitle unquoted\nversion \"\"\nsource \"a\" \"b\"\nyears 2016 to 2015\n";
    assert_eq!(
        errors(text),
        [
            "line 1, column 10: `calendar` takes one name of letters, digits and `_`, e.g. `calendar england_and_wales`, found `two words`",
            "line 2, column 7: `title` takes a non-empty value in double quotes, e.g. `version \"2026-11-24\"`, found `unquoted`",
            "line 3, column 9: `version` takes a non-empty value in double quotes, e.g. `version \"2026-11-24\"`, found `\"\"`",
            "line 4, column 8: `source` takes a non-empty value in double quotes, e.g. `version \"2026-11-24\"`, found `\"a\" \"b\"`",
            "line 5, column 7: `years` takes a first year no later than the last, found `2016 to 2015`",
        ]
    );
    let errs = Calendar::parse("calendar\nyears 2015-2016\n").unwrap_err();
    let shown: Vec<String> = errs.iter().map(ToString::to_string).collect();
    assert!(shown.contains(&"line 1, column 10: `calendar` takes one name of letters, digits and `_`, e.g. `calendar england_and_wales`, found nothing".to_string()), "{shown:?}");
    assert!(shown.contains(&"line 2, column 7: `years` takes `FIRST to LAST` with four-digit years, e.g. `years 2012 to 2027`, found `2015-2016`".to_string()), "{shown:?}");
}

#[test]
fn a_repeated_header_is_an_error_naming_the_first() {
    let text = format!("{HEADER}version \"2\"\nyears 2015 to 2015\n2015-12-25 X\n2016-12-26 Y\n");
    assert_eq!(
        errors(&text),
        [
            "line 6, column 1: a second `version` line (the first is on line 3)",
            "line 7, column 1: a second `years` line (the first is on line 5)",
        ]
    );
}

#[test]
fn missing_header_lines_are_errors() {
    assert_eq!(
        errors("# nothing here\n"),
        [
            "line 1, column 1: the calendar has no `calendar` line",
            "line 1, column 1: the calendar has no `title` line",
            "line 1, column 1: the calendar has no `version` line",
            "line 1, column 1: the calendar has no `source` line",
            "line 1, column 1: the calendar has no `years` line",
        ]
    );
}

#[test]
fn every_error_in_a_file_is_reported_in_line_order() {
    let text = "calendar x\nversion \"1\"\nsource \"s\"\nyears 2015 to 2016\n2015-12-25 Christmas Day\n2015-12-25 Again\n2015-12-26 A Saturday\n2017-01-02 Too late\n2015-02-30 No such day\nnonsense here\ntitle unquoted\n";
    let errs = Calendar::parse(text).unwrap_err();
    let shown: Vec<String> = errs.iter().map(ToString::to_string).collect();
    assert_eq!(
        shown,
        [
            "line 4, column 7: no holidays are listed for the year 2016",
            "line 6, column 1: `2015-12-25` is listed twice (first on line 5)",
            "line 7, column 1: `2015-12-26` is a Saturday; list the weekday the holiday is observed on (its substitute day) instead",
            "line 8, column 1: `2017-01-02` is outside the calendar's years 2015 to 2016",
            "line 9, column 1: `2015-02-30` is not a day that exists",
            "line 10, column 1: expected a header line (`calendar`, `title`, `version`, `source` or `years`) or a holiday (`YYYY-MM-DD name`), found `nonsense`",
            "line 11, column 7: `title` takes a non-empty value in double quotes, e.g. `version \"2026-11-24\"`, found `unquoted`",
        ]
    );
}

#[test]
fn columns_count_characters_not_bytes() {
    let text = format!("{HEADER}2015-12-25 X\n2016-12-26 Y\n\u{a0}é 2015\n");
    let errs = Calendar::parse(&text).unwrap_err();
    assert_eq!(errs.first().and_then(CalendarError::position), Some((8, 2)));
}

/// The walk that reads the holidays as a run agrees with stepping one day at
/// a time and asking of each whether it is a working day, both ways, from
/// every start in the calendar's years (errors included).
#[test]
fn counting_agrees_with_asking_day_by_day() {
    let c = cal();
    let by_day = |start: NaiveDate, n: i64| -> Result<NaiveDate, CalendarError> {
        c.is_working_day(start)?;
        let mut left = n.unsigned_abs();
        let mut date = start;
        while left > 0 {
            date = if n >= 0 {
                date.succ_opt().unwrap()
            } else {
                date.pred_opt().unwrap()
            };
            if c.is_working_day(date)? {
                left -= 1;
            }
        }
        Ok(date)
    };
    let mut start = d("2012-01-01");
    while start <= d("2027-12-31") {
        for n in [-40, -11, -5, -2, -1, 0, 1, 2, 5, 11, 40] {
            assert_eq!(
                c.add_working_days(start, n),
                by_day(start, n),
                "{start} {n}"
            );
        }
        start = start.succ_opt().unwrap();
    }
}

/// The table of working days counted ahead gives, for every start in the
/// calendar's years and counts either way (short, across a year, and past
/// either end), what stepping day by day gives: the same date, or the same
/// error naming the same first day outside the years.
#[test]
fn the_counted_table_agrees_with_stepping_day_by_day_for_every_start() {
    let c = cal();
    let (first, last) = c.years();
    let mut start = NaiveDate::from_ymd_opt(first, 1, 1).unwrap();
    let end = NaiveDate::from_ymd_opt(last, 12, 31).unwrap();
    let counts: Vec<i64> = (-12..=12)
        .chain([-260, -253, 61, 253, 260, 4_200, -4_200, 10_000, -10_000])
        .collect();
    let mut compared = 0;
    while start <= end {
        for &n in &counts {
            assert_eq!(
                c.add_working_days(start, n),
                c.add_working_days_stepped(start, n),
                "{start} + {n} working days"
            );
            compared += 1;
        }
        start = start.succ_opt().unwrap();
    }
    assert!(compared > 190_000, "{compared}");
    // A start outside the years is refused as before.
    let before = NaiveDate::from_ymd_opt(first - 1, 12, 31).unwrap();
    assert_eq!(
        c.add_working_days(before, 1),
        c.add_working_days_stepped(before, 1)
    );
    assert!(c.add_working_days(before, 0).is_err());
}

/// A calendar of more years than are counted ahead steps day by day, and
/// its table is left empty.
#[test]
fn a_calendar_of_very_many_years_counts_by_stepping() {
    let source =
        "calendar long\ntitle \"Long\"\nversion \"1\"\nsource \"here\"\nyears 1600 to 2100\n";
    let mut text = source.to_string();
    for year in 1600..=2100 {
        // 1 January, or the Monday after when it falls at a weekend.
        let mut day = NaiveDate::from_ymd_opt(year, 1, 1).unwrap();
        while matches!(day.weekday(), chrono::Weekday::Sat | chrono::Weekday::Sun) {
            day = day.succ_opt().unwrap();
        }
        text.push_str(&format!("{day} New Year's Day\n"));
    }
    let c = Calendar::parse(&text).unwrap();
    assert_eq!(format!("{:?}", c.counts), "Counts { first: None, days: 0 }");
    let start = d("2016-12-30");
    assert_eq!(c.add_working_days(start, 1), Ok(d("2017-01-03")));
    assert_eq!(
        c.add_working_days(start, 300),
        c.add_working_days_stepped(start, 300)
    );
}
