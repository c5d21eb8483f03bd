//! Sequences of months: one behind a false guard not built, one that cannot
//! fail passed by on its guard, and the first and last found from the length.

use super::*;

const MONTHS: &str = "ruleset months \"Months\"
  in force from 2015-04-01

evidence
  flags.b: bool or unknown
  period.start: date or unknown
  period.end: date

rule each_month \"para 1\"
  for each month in months from period.start to period.end
  when flags.b and month > period.start
  then finding later_month
";

#[test]
fn a_false_guard_over_a_sequence_of_months_gives_what_building_it_would() {
    let r = Ruleset::from_source(MONTHS, &[]).unwrap_or_else(|e| panic!("{e:?}"));
    let case = |b: Value, start: Value, end: &str| {
        let (plain, long) = both(
            &r,
            &json!({"flags": {"b": b}, "period": {"start": start, "end": end}}),
        );
        assert_eq!(plain, long, "{b} {start} {end}");
        plain
    };
    // The guard true: every month after the first.
    let fired = case(json!(true), json!("2016-01-31"), "2016-04-30");
    assert_eq!(
        findings(&fired),
        [
            "later_month \"2016-02-29\"",
            "later_month \"2016-03-31\"",
            "later_month \"2016-04-30\""
        ]
    );
    // The guard false, unknown, or the list empty or unknown: nothing.
    for (b, start, end) in [
        (json!(false), json!("2016-01-31"), "2016-04-30"),
        (json!(true), json!("2016-05-01"), "2016-04-30"),
        (json!(false), Value::Null, "2016-04-30"),
    ] {
        assert_eq!(findings(&case(b, start, end)), Vec::<String>::new());
    }
    let unknown = case(Value::Null, json!("2016-01-31"), "2016-04-30");
    assert_eq!(
        unknown.unwrap()["undetermined"].as_array().unwrap().len(),
        3
    );
    // A list too long is an error whether or not the guard is false: it is
    // met before any element is.
    for b in [json!(false), json!(true)] {
        let error = case(b, json!("0001-01-01"), "9999-01-01").unwrap_err();
        assert!(error.contains("100000"), "{error}");
    }
}

const BEFORE: &str = "ruleset before \"Months before a date\"
  in force from 2015-04-01

evidence
  flags.b: bool
  period.start: date or unknown

threshold lookback = 3 months
threshold far = 300000 years

rule each_month_before \"para 1\"
  for each month in months from (start of month period.start - lookback) to (start of month period.start - 1 month)
  when flags.b and month < period.start
  then finding month_before
";

/// [`BEFORE`]'s rule over a list whose first end could fail.
const FAR: &str = "
rule each_month_far \"para 2\"
  for each month in months from (start of month period.start - far) to (start of month period.start - 1 month)
  when flags.b and month < period.start
  then finding month_far_before
";

/// A rule over months before one evidence date, moved by no more than a
/// thousand years, is passed by on its first part, false, without the
/// list being made (a lead): the list cannot fail. Passed by or not, the
/// outcome is the one walking every month gives (the long way), read
/// from a `Value` or from text. A list whose ends could fail is still made
/// first, and its error stands whether the first part is false or not.
#[test]
fn a_sequence_that_cannot_fail_is_passed_by_on_its_guard_as_walking_it_would() {
    let r = Ruleset::from_source(BEFORE, &[]).unwrap_or_else(|e| panic!("{e:?}"));
    let case = |b: bool, start: Value| {
        let evidence = json!({"flags": {"b": b}, "period": {"start": start}});
        let (plain, long) = both(&r, &evidence);
        assert_eq!(plain, long, "{b} {start}");
        assert_eq!(
            by_text(&r, &evidence),
            long,
            "{b} {start}, read in one pass"
        );
        findings(&plain)
    };
    let months = |months: [&str; 3]| -> Vec<String> {
        months
            .iter()
            .map(|m| format!("month_before \"{m}\""))
            .collect()
    };
    assert_eq!(
        case(true, json!("2016-03-31")),
        months(["2015-12-01", "2016-01-01", "2016-02-01"])
    );
    // The first and last years there are: the months before stay dates.
    assert_eq!(
        case(true, json!("0000-02-15")),
        months(["-0001-11-01", "-0001-12-01", "0000-01-01"])
    );
    assert_eq!(
        case(true, json!("9999-12-31")),
        months(["9999-09-01", "9999-10-01", "9999-11-01"])
    );
    for start in [
        json!("2016-03-31"),
        json!("0000-02-15"),
        json!("9999-12-31"),
        Value::Null,
    ] {
        assert_eq!(case(false, start), Vec::<String>::new());
    }
    // Three hundred thousand years back leaves the dates there are: an
    // error whether or not the first part is false.
    let far =
        Ruleset::from_source(&format!("{BEFORE}{FAR}"), &[]).unwrap_or_else(|e| panic!("{e:?}"));
    for b in [false, true] {
        let evidence = json!({"flags": {"b": b}, "period": {"start": "2016-03-31"}});
        let (plain, long) = both(&far, &evidence);
        assert_eq!(plain, long);
        let by_text = far
            .evaluate_str(&evidence.to_string(), EvalOptions::default())
            .map(|o| serde_json::to_value(o).unwrap())
            .map_err(|e| e.to_string());
        assert_eq!(by_text, plain);
        let error = plain.unwrap_err();
        assert!(error.contains("each_month_far"), "{error}");
    }
}

const ENDS: &str = "ruleset ends \"Ends of sequences\"
  in force from 2015-04-01

evidence
  period.start: date
  period.end: date

let last_month = latest m for m in months from period.start to period.end
let last_month_walked = latest m for m in months from period.start to period.end where m >= period.start
let first_month = earliest m for m in months from period.start to period.end
let first_month_walked = earliest m for m in months from period.start to period.end where m >= period.start
let last_year = latest y for y in years from period.start to period.end
let last_year_walked = latest y for y in years from period.start to period.end where y >= period.start

rule months_differ \"para 1\"
  when (last_month is set and last_month_walked is set and not (last_month = last_month_walked))
    or (first_month is set and first_month_walked is set and not (first_month = first_month_walked))
    or (last_month is set and not (last_month_walked is set))
    or (last_month_walked is set and not (last_month is set))
    or (first_month is set and not (first_month_walked is set))
    or (first_month_walked is set and not (first_month is set))
  then finding months_differ

rule years_differ \"para 2\"
  when (last_year is set and last_year_walked is set and not (last_year = last_year_walked))
    or (last_year is set and not (last_year_walked is set))
    or (last_year_walked is set and not (last_year is set))
  then finding years_differ

rule some_month \"para 3\"
  when last_month is set
  then finding has_a_month
";

/// `latest m for m in months from A to B` is found from the sequence's
/// length; with a filter (that keeps every month) it is found by walking
/// the built sequence. The two agree for starts on every day of a leap
/// year and ends from before the start to years after it.
#[test]
fn the_first_and_last_of_a_sequence_are_those_of_the_sequence_built() {
    let r = Ruleset::from_source(ENDS, &[]).unwrap_or_else(|e| panic!("{e:?}"));
    let mut start = chrono::NaiveDate::from_ymd_opt(2016, 1, 1).unwrap();
    let mut cases = 0;
    while start.year() == 2016 {
        for days in [-1, 0, 1, 27, 28, 29, 30, 31, 59, 365, 366, 1_000] {
            let end = start + chrono::Duration::days(days);
            let evidence = json!({"period": {"start": start.to_string(), "end": end.to_string()}});
            let outcome = r.evaluate(&evidence, EvalOptions::default()).unwrap();
            let found: Vec<&str> = outcome.findings.iter().map(|f| f.finding).collect();
            let expected: &[&str] = if days >= 0 { &["has_a_month"] } else { &[] };
            assert_eq!(found, expected, "{start} to {end}");
            cases += 1;
        }
        start = start.succ_opt().unwrap();
    }
    assert_eq!(cases, 366 * 12);
}
