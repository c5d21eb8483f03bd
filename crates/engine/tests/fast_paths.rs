//! Evaluation takes short cuts when nothing but the outcome is asked for: a
//! rule that does not fire returns before its effects are looked at, and a
//! `for each` rule whose condition starts with parts that do not read the
//! element is decided once, not for each element, when one of those parts
//! is false (`Model::loop_guards`); and a long list looked up again and
//! again is read through an index (`Model::keyed`). The long way
//! (`Ruleset::evaluate_the_long_way`, as rule coverage evaluates) takes none of
//! them, so the outcome without a trace and the outcome the long way must
//! be the same; these tests hold the two to that, on every ruleset's
//! corpus and on small cases made to reach the edges (an error in a guard,
//! an empty list, an unknown guard). A trace takes the indexes and no other
//! short cut: the outcome with a trace, trace and all, must be the long
//! way's with a trace. A record read from text in one pass takes one more:
//! the leads of the fields it leaves out are not read again
//! (`eval::AtRest`). Why-not's check of a change records one rule's result
//! and takes every short cut: each rule must fire on the same elements as
//! the long way finds (`Ruleset::fired_on`).

#![allow(
    clippy::panic,
    clippy::unwrap_used,
    clippy::indexing_slicing,
    reason = "a test fails by panicking"
)]

use chrono::Datelike;
use judgement_engine::{EvalOptions, Ruleset};
use serde_json::{json, Value};
use std::path::Path;

const TRACE: EvalOptions = EvalOptions {
    trace: true,
    allow_unknown_fields: false,
};

/// The outcome without a trace, and the outcome the long way, as JSON; or
/// the error each gave. The outcome with a trace is held to the long way's
/// with a trace, trace and all, on the way.
fn both(ruleset: &Ruleset, evidence: &Value) -> (Result<Value, String>, Result<Value, String>) {
    let json = |o| serde_json::to_value(o).unwrap();
    let plain = ruleset
        .evaluate(evidence, EvalOptions::default())
        .map(json)
        .map_err(|e| e.to_string());
    let traced = ruleset
        .evaluate(evidence, TRACE)
        .map(json)
        .map_err(|e| e.to_string());
    let long = ruleset
        .evaluate_the_long_way(evidence, TRACE)
        .map(json)
        .map_err(|e| e.to_string());
    assert_eq!(traced, long, "traced, and the long way: {evidence}");
    // Why-not's check of a change (one rule's result, every short cut and
    // index taken) finds the same rules fired, on the same elements.
    assert_eq!(
        ruleset.fired_on(evidence, false).map_err(|e| e.to_string()),
        ruleset.fired_on(evidence, true).map_err(|e| e.to_string()),
        "rule by rule, and the long way: {evidence}"
    );
    let long = long.map(|mut v| {
        v.as_object_mut().unwrap().remove("trace");
        v
    });
    (plain, long)
}

/// The outcome without a trace of `evidence` given as text, read in one
/// pass, as JSON; or its error.
fn by_text(ruleset: &Ruleset, evidence: &Value) -> Result<Value, String> {
    ruleset
        .evaluate_str(&evidence.to_string(), EvalOptions::default())
        .map(|o| serde_json::to_value(o).unwrap())
        .map_err(|e| e.to_string())
}

/// The shipped rulesets, each with a corpus and bad records.
const RULESETS: [&str; 5] = [
    "childrens_homes",
    "inspection_process",
    "la_child_protection",
    "monitoring_visits",
    "voluntary_adoption_agencies",
];

#[test]
fn every_corpus_gives_the_same_outcome_by_the_short_cuts_and_the_long_way() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut records = 0;
    for name in RULESETS {
        let editions = judgement_engine::Editions::load(&root.join("rulesets").join(name)).unwrap();
        let corpus = root.join(format!("tests/fixtures/bindings/{name}.jsonl"));
        for line in std::fs::read_to_string(corpus).unwrap().lines() {
            let Ok(evidence) = serde_json::from_str::<Value>(line) else {
                continue;
            };
            let Ok(ruleset) = editions.select(&evidence) else {
                continue;
            };
            // `both` also holds why-not's check of a change, rule by rule,
            // to the long way (`Ruleset::fired_on`).
            let (plain, long) = both(ruleset, &evidence);
            assert_eq!(plain, long, "{name}: {line}");
            // Read in one pass, record after record through one reader:
            // the leads of the fields a record leaves out are taken as read
            // on the defaults (`eval::AtRest`), the others read again.
            let by_text = ruleset
                .evaluate_str(line, EvalOptions::default())
                .map(|o| serde_json::to_value(o).unwrap())
                .map_err(|e| e.to_string());
            assert_eq!(by_text, long, "{name}, read in one pass: {line}");
            records += 1;
        }
    }
    assert!(records > 200, "only {records} records read");
}

const SOURCE: &str = "ruleset guards \"Loop guards\"
  in force from 2015-04-01

record visit
  id: text
  date: date
  late: bool or unknown

evidence
  flags.a: bool or unknown
  flags.b: bool
  period.start: date
  period.end: date
  visits: list of visit default empty

rule guarded \"para 1\"
  for each visit in visits
  when flags.a and flags.b and visit.late
  then finding late_visit

rule guard_errs \"para 2\"
  for each visit in visits
  when (days from period.start to period.end) > 3 days and visit.late
  then finding long_period_late_visit

rule guard_before_error \"para 3\"
  for each visit in visits
  when flags.b and (days from visit.date to period.end) > 3 days
  then finding visit_long_before_the_end
";

fn ruleset() -> Ruleset {
    Ruleset::from_source(SOURCE, &[]).unwrap_or_else(|e| panic!("{e:?}"))
}

fn evidence(a: Value, b: bool, end: &str, visits: Value) -> Value {
    json!({
        "flags": {"a": a, "b": b},
        "period": {"start": "2016-01-10", "end": end},
        "visits": visits,
    })
}

fn findings(outcome: &Result<Value, String>) -> Vec<String> {
    let outcome = outcome.as_ref().unwrap();
    outcome["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| format!("{} {}", f["finding"].as_str().unwrap(), f["item"]))
        .collect()
}

#[test]
fn the_guards_of_each_for_each_rule_are_its_leading_parts_that_do_not_read_the_element() {
    let r = ruleset();
    let late = json!([
        {"id": "v1", "date": "2016-01-01", "late": true},
        {"id": "v2", "date": "2016-01-20", "late": false}
    ]);
    // Every guard true: each element is evaluated and the late one found.
    let (plain, long) = both(&r, &evidence(json!(true), true, "2016-01-20", late.clone()));
    assert_eq!(plain, long);
    assert_eq!(
        findings(&plain),
        [
            "late_visit \"v1\"",
            "long_period_late_visit \"v1\"",
            "visit_long_before_the_end \"v1\""
        ]
    );
    // A guard false: no element fires, by the short cuts or the long way.
    let (plain, long) = both(
        &r,
        &evidence(json!(true), false, "2016-01-12", late.clone()),
    );
    assert_eq!(plain, long);
    assert_eq!(findings(&plain), Vec::<String>::new());
    // The first guard unknown, the second false: false for every element.
    let (plain, long) = both(
        &r,
        &evidence(Value::Null, false, "2016-01-12", late.clone()),
    );
    assert_eq!(plain, long);
    assert_eq!(findings(&plain), Vec::<String>::new());
    // The first guard unknown, the second true: undetermined, per element.
    let (plain, long) = both(&r, &evidence(Value::Null, true, "2016-01-25", late));
    assert_eq!(plain, long);
    let undetermined = plain.unwrap()["undetermined"].clone();
    assert_eq!(undetermined.as_array().unwrap().len(), 1, "{undetermined}");
    assert_eq!(undetermined[0]["rule"], "guarded");
    assert_eq!(undetermined[0]["item"], "v1");
}

#[test]
fn a_guard_that_fails_fails_the_record_only_when_an_element_would_have_evaluated_it() {
    let r = ruleset();
    let visits = json!([{"id": "v1", "date": "2016-01-01", "late": true}]);
    // The period runs backwards: `days from` is an error, met by the first
    // element's evaluation and so by the guard's.
    let (plain, long) = both(&r, &evidence(json!(true), true, "2016-01-01", visits));
    assert_eq!(plain, long);
    let error = plain.unwrap_err();
    assert!(error.contains("before it starts (2016-01-10)"), "{error}");
    // No element: nothing is evaluated, and nothing fails.
    let (plain, long) = both(&r, &evidence(json!(true), true, "2016-01-01", json!([])));
    assert_eq!(plain, long);
    assert_eq!(findings(&plain), Vec::<String>::new());
}

#[test]
fn a_false_guard_leaves_the_parts_after_it_unevaluated_as_before() {
    let r = ruleset();
    // The visit is after the period's end, so `days from visit.date to
    // period.end` runs backwards; `flags.b` false before it means no
    // element ever reaches it.
    let visits = json!([{"id": "v1", "date": "2016-02-01", "late": false}]);
    let (plain, long) = both(
        &r,
        &evidence(json!(true), false, "2016-01-20", visits.clone()),
    );
    assert_eq!(plain, long);
    assert_eq!(findings(&plain), Vec::<String>::new());
    // With `flags.b` true, it is reached, and is an error either way.
    let (plain, long) = both(&r, &evidence(json!(true), true, "2016-01-20", visits));
    assert_eq!(plain, long);
    let error = plain.unwrap_err();
    assert!(error.contains("before it starts (2016-02-01)"), "{error}");
}

#[test]
fn a_part_after_one_that_reads_the_element_is_never_a_guard() {
    // `flags.b` does not read the element, but comes after a part that does
    // and that fails: each element meets the failure before `flags.b`.
    let source = SOURCE.replace(
        "when flags.b and (days from visit.date to period.end) > 3 days",
        "when (days from visit.date to period.end) > 3 days and flags.b",
    );
    let r = Ruleset::from_source(&source, &[]).unwrap_or_else(|e| panic!("{e:?}"));
    let visits = json!([{"id": "v1", "date": "2016-02-01", "late": false}]);
    let (plain, long) = both(&r, &evidence(json!(true), false, "2016-01-20", visits));
    assert_eq!(plain, long);
    let error = plain.unwrap_err();
    assert!(error.contains("before it starts (2016-02-01)"), "{error}");
}

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

const FIRST: &str = "ruleset first \"First parts\"
  in force from 2015-04-01

scale grade: outstanding > good > requires_improvement > inadequate

evidence
  proposed.overall: grade or unknown
  flags.a: bool or unknown
  flags.b: bool
  since: date or none
  seen: date or unknown
  kind: grade or unknown
  count: number or unknown

judgement overall: grade from proposed.overall

let cap = 3

rule is_v \"para 1\"
  when kind is good and flags.b
  then finding kind_good

rule at_most \"para 2\"
  when kind is at most requires_improvement and flags.b
  then finding kind_at_most_ri

rule at_least \"para 3\"
  when kind is at least good and flags.b
  then finding kind_at_least_good

rule judged \"para 4\"
  when overall is inadequate and flags.b
  then finding overall_inadequate

rule since_given \"para 5\"
  when since is set and flags.b
  then finding since_set

rule seen_given \"para 9\"
  when seen is set and flags.b
  then finding seen_set

rule not_a \"para 6\"
  when not flags.a and flags.b
  then finding not_a

rule a \"para 7\"
  when flags.a and flags.b
  then finding a

rule alone \"para 8\"
  when flags.a
  then finding a_alone

rule deeper \"para 10\"
  when flags.a and kind is good and since is set and not flags.b and overall is good
  then finding deeper

rule compares \"para 11\"
  when count > cap and (flags.a or not (kind is good and flags.b))
  then finding compares

rule judged_cmp \"para 12\"
  when overall != kind or count = 0
  then finding judged_cmp

rule walked \"para 13\"
  when kind is good and count + 1 > cap
  then finding walked
";

/// Each kind of guard that is read before the condition is walked
/// (`Model::guards`), with every value it can hold, first and after other
/// guards that are true or unknown (`deeper`); comparisons of fields, lets,
/// constants and judgements, `or` and `not` of `and` inside a guard
/// (`compares`, `judged_cmp`, whose guards are the whole condition and give
/// its truth); guards before a part that is walked (`walked`): the outcome
/// is the one the long way (which walks every condition) gives.
#[test]
fn a_guard_decides_a_rule_as_walking_its_condition_would() {
    let r = Ruleset::from_source(FIRST, &[]).unwrap_or_else(|e| panic!("{e:?}"));
    let mut fired = std::collections::BTreeSet::new();
    for proposed in [json!("good"), json!("inadequate")] {
        for a in [json!(true), json!(false), Value::Null] {
            for b in [true, false] {
                for (since, seen) in [
                    (json!("2016-01-01"), json!("2016-01-01")),
                    (Value::Null, Value::Null),
                ] {
                    for kind in [
                        json!("outstanding"),
                        json!("good"),
                        json!("inadequate"),
                        Value::Null,
                    ] {
                        for count in [json!(5), json!(0), Value::Null] {
                            let evidence = json!({
                                "proposed": {"overall": proposed},
                                "flags": {"a": a, "b": b},
                                "since": since,
                                "seen": seen,
                                "kind": kind,
                                "count": count,
                            });
                            let (plain, long) = both(&r, &evidence);
                            assert_eq!(plain, long, "{evidence}");
                            fired.extend(findings(&plain));
                        }
                    }
                }
            }
        }
    }
    // Every rule fired for some record, so each guard was seen true as
    // well as false.
    assert_eq!(fired.len(), 13, "{fired:?}");
}

/// An `or` of three is gathered as a chain too, but its parts are not
/// guards: `flags.a` false does not make `flags.a or flags.b or
/// visit.late` false for every element.
#[test]
fn the_parts_of_an_or_are_not_guards() {
    let source = SOURCE.replace(
        "when flags.a and flags.b and visit.late",
        "when flags.a or flags.b or visit.late",
    );
    let r = Ruleset::from_source(&source, &[]).unwrap_or_else(|e| panic!("{e:?}"));
    let visits = json!([{"id": "v1", "date": "2016-01-01", "late": true}]);
    let (plain, long) = both(&r, &evidence(json!(false), false, "2016-01-12", visits));
    assert_eq!(plain, long);
    assert_eq!(findings(&plain), ["late_visit \"v1\""]);
}

/// How the property tests here run: 256 cases each, with no file of past
/// failures.
fn cases() -> proptest::test_runner::Config {
    proptest::test_runner::Config {
        cases: 256,
        failure_persistence: None,
        ..proptest::test_runner::Config::default()
    }
}

/// `and`, `or` and `not` of `leaves`, nested, made up at random.
fn nested(
    leaves: Vec<&'static str>,
    depth: u32,
    size: u32,
) -> impl proptest::strategy::Strategy<Value = String> {
    use proptest::prelude::*;
    let leaf = proptest::sample::select(leaves).prop_map(str::to_string);
    leaf.prop_recursive(depth, size, 3, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 2..4).prop_map(|parts| parts.join(" and ")),
            prop::collection::vec(inner.clone(), 2..4)
                .prop_map(|parts| format!("({})", parts.join(" or "))),
            inner.clone().prop_map(|c| format!("not ({c})")),
            inner.prop_map(|c| format!("({c})")),
        ]
    })
}

/// A condition over the evidence of [`GUARDED`], made up at random: `and`,
/// `or` and `not` of tests that guards read in place (flags, comparisons of
/// numbers, `is` of a choice or a judgement, `is set`) and of parts that
/// must be walked (arithmetic), nested.
fn condition() -> impl proptest::strategy::Strategy<Value = String> {
    nested(TESTS.to_vec(), 4, 24)
}

/// The tests of [`GUARDED`]'s evidence, its let and its judgement that the
/// random conditions are made of.
const TESTS: [&str; 12] = [
    "f.a",
    "f.b",
    "not f.c",
    "n.x > 2",
    "n.x = n.y",
    "n.y <= cap",
    "kind is good",
    "kind is at most good",
    "overall is good",
    "since is set",
    "overall is set",
    "n.x + 1 > 2",
];

const GUARDED: &str = "ruleset guarded \"Guards\"
  in force from 2015-04-01

scale grade: outstanding > good > requires_improvement > inadequate

evidence
  proposed.overall: grade
  f.a: bool or unknown
  f.b: bool or unknown
  f.c: bool or unknown
  n.x: number or unknown
  n.y: number or unknown
  kind: grade or unknown
  since: date or none

judgement overall: grade from proposed.overall

let cap = 1

rule capped \"para 1\"
  when f.c and n.x > 0
  then overall at most requires_improvement

# So that `overall is set` is false for some records.
rule withheld \"para 1\"
  when n.y = 3
  then no overall judgement
";

/// A value for a field of [`GUARDED`]'s evidence, `null` (unknown or none)
/// one time in three.
fn known_or_null<T: std::fmt::Debug + Clone + 'static>(
    values: Vec<T>,
) -> impl proptest::strategy::Strategy<Value = Option<T>> {
    use proptest::prelude::*;
    prop_oneof![1 => Just(None), 2 => proptest::sample::select(values).prop_map(Some)]
}

/// `base` with a rule for each condition: `r0` (citing para 2), `r1`,
/// ..., each giving finding `f0`, `f1`, ... when its condition holds.
fn with_rules(base: &str, conditions: &[String]) -> String {
    let mut source = base.to_string();
    for (i, condition) in conditions.iter().enumerate() {
        source.push_str(&format!(
            "\nrule r{i} \"para {}\"\n  when {condition}\n  then finding f{i}\n",
            i + 2
        ));
    }
    source
}

/// Evidence for [`GUARDED`], each field `null` where it is `None`.
fn guarded_evidence(
    a: Option<bool>,
    b: Option<bool>,
    c: Option<bool>,
    x: Option<i32>,
    y: Option<i32>,
    kind: Option<&str>,
    since: Option<&str>,
) -> Value {
    json!({
        "proposed": {"overall": "good"},
        "f": {"a": a, "b": b, "c": c},
        "n": {"x": x, "y": y},
        "kind": kind,
        "since": since,
    })
}

proptest::proptest! {
    #![proptest_config(cases())]

    /// Rules whose conditions are made up at random, some of them all guards
    /// (which then give the condition's truth without walking it), some with
    /// guards before a part that is walked, some read after a provisional
    /// judgement (when guards are not read): the outcome without a trace is
    /// the one the long way, which walks every condition, gives.
    #[test]
    fn guards_give_what_walking_the_condition_gives(
        conditions in proptest::collection::vec(condition(), 3),
        a in known_or_null(vec![true, false]),
        b in known_or_null(vec![true, false]),
        c in known_or_null(vec![true, false]),
        x in known_or_null(vec![0, 1, 2, 3]),
        y in known_or_null(vec![0, 1, 2, 3]),
        kind in known_or_null(vec!["outstanding", "good", "inadequate"]),
        since in known_or_null(vec!["2016-01-01"]),
    ) {
        let source = with_rules(GUARDED, &conditions);
        let r = Ruleset::from_source(&source, &[]).unwrap_or_else(|e| panic!("{e:?}\n{source}"));
        let evidence = guarded_evidence(a, b, c, x, y, kind, since);
        let (plain, long) = both(&r, &evidence);
        proptest::prop_assert_eq!(plain, long, "{}\n{}", source, evidence);
    }

    /// A let whose value is a truth is read from its guards
    /// (`Model::let_guards`) where they give one: the same value as its
    /// expression walked, which a let ending in `or` a comparison of
    /// arithmetic (false, and no guard) always is.
    #[test]
    fn a_let_read_from_its_guards_is_the_let_walked(
        truth in truth(),
        a in known_or_null(vec![true, false]),
        c in known_or_null(vec![true, false]),
        x in known_or_null(vec![0, 1, 2, 3]),
        y in known_or_null(vec![0, 1, 2, 3]),
        kind in known_or_null(vec!["outstanding", "good", "inadequate"]),
        since in known_or_null(vec!["2016-01-01"]),
    ) {
        let rules = "\nrule holds \"para 2\"\n  when v\n  then finding v_holds\n\
            \nrule fails \"para 3\"\n  when not v\n  then finding v_fails\n";
        let guarded = format!("{GUARDED}\nlet v = {truth}\n{rules}");
        let walked = format!("{GUARDED}\nlet v = ({truth}) or (cap + 0 > 100)\n{rules}");
        let evidence = guarded_evidence(a, Some(true), c, x, y, kind, since);
        let (g, w) = (outcome_of(&guarded, &evidence), outcome_of(&walked, &evidence));
        proptest::prop_assert_eq!(g, w, "{}\n{}", guarded, evidence);
    }

    /// A lead that reads only evidence fields (one, or several compared)
    /// is read once for the ruleset on the fields' defaults, and again
    /// only for a record that gives one of its fields (`eval::AtRest`):
    /// records read from text that leave fields out at random give the
    /// outcome the long way, which reads every lead's condition, gives.
    #[test]
    fn leads_of_fields_left_out_give_what_walking_the_condition_gives(
        conditions in proptest::collection::vec(nested(AT_REST_TESTS.to_vec(), 3, 12), 3),
        a in proptest::option::of(proptest::bool::ANY),
        b in proptest::option::of(proptest::bool::ANY),
        x in proptest::option::of(0..4),
        y in proptest::option::of(0..4),
        kind in proptest::option::of(proptest::sample::select(vec!["good", "inadequate"])),
        since in proptest::option::of(proptest::sample::select(vec!["2016-01-01"])),
    ) {
        let source = with_rules(AT_REST, &conditions);
        let r = Ruleset::from_source(&source, &[]).unwrap_or_else(|e| panic!("{e:?}\n{source}"));
        let mut evidence = json!({"proposed": {"overall": "good"}});
        let given = [
            ("f", "a", a.map(Value::from)),
            ("f", "b", b.map(Value::from)),
            ("n", "x", x.map(Value::from)),
            ("n", "y", y.map(Value::from)),
        ];
        for (record, field, value) in given {
            if let Some(value) = value {
                let object = evidence.as_object_mut().unwrap().entry(record).or_insert(json!({}));
                object.as_object_mut().unwrap().insert(field.to_string(), value);
            }
        }
        for (field, value) in [("kind", kind), ("since", since)] {
            if let Some(value) = value {
                evidence.as_object_mut().unwrap().insert(field.to_string(), json!(value));
            }
        }
        let (_, long) = both(&r, &evidence);
        proptest::prop_assert!(long.is_ok(), "{:?}\n{}\n{}", long, source, evidence);
        proptest::prop_assert_eq!(by_text(&r, &evidence), long, "{}\n{}", source, evidence);
    }

    /// A judgement made only `when` a condition holds reads the condition
    /// from its guards (`Model::judgement_guards`) where they give its
    /// truth: the judgement made (or not made, or the error of a condition
    /// not known) is the one the long way, which walks the condition,
    /// gives.
    #[test]
    fn a_judgement_condition_read_from_its_guards_is_the_condition_walked(
        truth in truth(),
        a in known_or_null(vec![true, false]),
        b in known_or_null(vec![true, false]),
        c in known_or_null(vec![true, false]),
        x in known_or_null(vec![0, 1, 2, 3]),
        y in known_or_null(vec![0, 1, 2, 3]),
        kind in known_or_null(vec!["outstanding", "good", "inadequate"]),
        since in known_or_null(vec!["2016-01-01"]),
    ) {
        let source = GUARDED.replace(
            "judgement overall: grade from proposed.overall\n",
            &format!("judgement overall: grade from proposed.overall\n  when {truth}\n"),
        );
        let r = Ruleset::from_source(&source, &[]).unwrap_or_else(|e| panic!("{e:?}\n{source}"));
        let evidence = guarded_evidence(a, b, c, x, y, kind, since);
        let (plain, long) = both(&r, &evidence);
        proptest::prop_assert_eq!(plain, long, "{}\n{}", source, evidence);
    }
}

/// Evidence with a list, for conditions that count its elements.
const COUNTED: &str = "ruleset counted \"Counts\"
  in force from 2015-04-01

scale grade: outstanding > good > requires_improvement > inadequate

record entry
  id: text
  ok: bool or unknown

evidence
  proposed.overall: grade
  f.a: bool or unknown
  items: list of entry default empty

judgement overall: grade from proposed.overall

threshold two = 2
";

/// The tests the random conditions over [`COUNTED`] are made of: counts
/// of its list, with and without `where`, compared with a constant or a
/// threshold either way round (a guard, read in place where the list has
/// no element: `Test::Quantified`), one compared with a count (no guard),
/// and a flag.
const COUNT_TESTS: [&str; 9] = [
    "count i in items >= 1",
    "count i in items < two",
    "two <= count i in items",
    "(count i in items where i.ok) = 0",
    "(count i in items where i.ok) > 0",
    "count i in items != 1",
    "0 = count i in items",
    "count i in items > (count j in items where j.ok)",
    "f.a",
];

proptest::proptest! {
    #![proptest_config(cases())]

    /// A count of a list's elements compared with a fixed number is a
    /// guard, and one of a field can lead its rule: records with no list,
    /// an empty one or one with elements (some of which are not known to
    /// pass the `where`), read from text and as a value, give the outcome
    /// the long way, which walks every condition, gives.
    #[test]
    fn a_count_compared_with_a_fixed_number_gives_what_walking_it_gives(
        conditions in proptest::collection::vec(nested(COUNT_TESTS.to_vec(), 3, 12), 3),
        a in known_or_null(vec![true, false]),
        items in proptest::option::of(proptest::collection::vec(known_or_null(vec![true, false]), 0..3)),
    ) {
        let source = with_rules(COUNTED, &conditions);
        let r = Ruleset::from_source(&source, &[]).unwrap_or_else(|e| panic!("{e:?}\n{source}"));
        let mut evidence = json!({"proposed": {"overall": "good"}, "f": {"a": a}});
        if let Some(items) = items {
            let items: Vec<Value> = items
                .iter()
                .enumerate()
                .map(|(i, ok)| json!({"id": format!("i{i}"), "ok": ok}))
                .collect();
            evidence["items"] = json!(items);
        }
        let (plain, long) = both(&r, &evidence);
        proptest::prop_assert!(long.is_ok(), "{:?}\n{}\n{}", long, source, evidence);
        proptest::prop_assert_eq!(&plain, &long, "{}\n{}", source, evidence);
        proptest::prop_assert_eq!(by_text(&r, &evidence), long, "{}\n{}", source, evidence);
    }

    /// A comparison with a date moved by a fixed amount ([`MOVED_TESTS`])
    /// is a guard: records with an end absent or none, a start unknown,
    /// dates close together and at the end of the calendar's year (where a
    /// move by working days fails, and the record is refused as the walk
    /// refuses it), read from text and as a value, give the outcome the
    /// long way, which walks every condition, gives.
    #[test]
    fn a_comparison_with_a_moved_date_gives_what_walking_it_gives(
        conditions in proptest::collection::vec(nested(MOVED_TESTS.to_vec(), 3, 12), 3),
        a in known_or_null(vec![true, false]),
        start in known_or_null(vec!["2016-01-04", "2016-06-10", "2016-12-23", "2016-12-30"]),
        end in proptest::option::of(known_or_null(vec!["2016-01-01", "2016-01-05", "2016-06-13", "2016-06-24", "2016-12-28"])),
    ) {
        let calendar = judgement_engine::calendar::Calendar::parse(ONE_YEAR).unwrap_or_else(|e| panic!("{e:?}"));
        let source = with_rules(MOVED, &conditions);
        let r = Ruleset::from_source(&source, &[calendar]).unwrap_or_else(|e| panic!("{e:?}\n{source}"));
        let mut evidence = json!({"proposed": {"overall": "good"}, "f": {"a": a}, "start": start});
        if let Some(end) = end {
            evidence["end"] = json!(end);
        }
        let (plain, long) = both(&r, &evidence);
        proptest::prop_assert_eq!(&plain, &long, "{}\n{}", source, evidence);
        proptest::prop_assert_eq!(by_text(&r, &evidence), long, "{}\n{}", source, evidence);
    }
}

/// A calendar of one year, so that a date moved past its end fails.
const ONE_YEAR: &str = "calendar one_year
title \"One year\"
version \"1\"
source \"the tests\"
years 2016 to 2016

2016-12-26 Boxing Day
2016-12-27 Christmas Day (substitute day)
";

/// Evidence with dates, for conditions that compare a date with another
/// moved by a fixed amount.
const MOVED: &str = "ruleset moved \"Moved dates\"
  in force from 2015-04-01
  calendar one_year

scale grade: outstanding > good > requires_improvement > inadequate

evidence
  proposed.overall: grade
  f.a: bool or unknown
  start: date or unknown
  end: date or none

judgement overall: grade from proposed.overall

threshold notice = 2 working days
threshold window = 10 days

let begun = start
";

/// The tests the random conditions over [`MOVED`] are made of: a date
/// compared with another moved by days, weeks, working days or months,
/// by a constant or a threshold, forward or back, moved on either side,
/// from a field or a let (a guard: `Cond::Moved`); one moved by a field's
/// own date difference (no guard); a plain comparison and a flag.
const MOVED_TESTS: [&str; 11] = [
    "(end is set and end > start + 1 working day)",
    "(end is set and end <= start + notice)",
    "(end is set and start + window < end)",
    "(end is set and end >= start - 3 days)",
    "(end is set and end = start + 1 month)",
    "(end is set and end != begun + 2 working days)",
    "(end is set and begun - notice > end)",
    "(end is set and start + 1 week >= end)",
    "(end is set and end > start + (end - start))",
    "(end is set and end > start)",
    "f.a",
];

const DOUBT: &str = "ruleset doubt \"A judgement in doubt\"
  in force from 2015-04-01

scale grade: outstanding > good > requires_improvement > inadequate

evidence
  proposed.overall: grade
  f.c: bool or unknown
  f.b: bool

judgement overall: grade from proposed.overall

rule capped \"para 1\"
  when f.c
  then overall at most requires_improvement

rule judged \"para 2\"
  when f.b and overall is at most requires_improvement
  then finding overall_capped
";

/// A rule led by a test of a judgement (`Model::judgement_leads`) is
/// passed by once the judgement is made, where the test is false; but not
/// where the judgement is provisional, when the rule is in doubt: `judged`
/// reads `overall`, which `capped`, undecided, could still cap.
#[test]
fn a_test_of_a_judgement_passes_rules_by_only_where_the_judgement_is_not_provisional() {
    let r = Ruleset::from_source(DOUBT, &[]).unwrap_or_else(|e| panic!("{e:?}"));
    let mut undetermined = Vec::new();
    for c in [json!(true), json!(false), Value::Null] {
        let evidence = json!({"proposed": {"overall": "good"}, "f": {"c": c, "b": true}});
        let (plain, long) = both(&r, &evidence);
        assert_eq!(plain, long, "{evidence}");
        let plain = plain.unwrap();
        let rules: Vec<&str> = plain["undetermined"]
            .as_array()
            .unwrap()
            .iter()
            .map(|u| u["rule"].as_str().unwrap())
            .collect();
        undetermined.push((c, findings(&Ok(plain.clone())), rules.join(",")));
    }
    assert_eq!(
        undetermined,
        [
            (
                json!(true),
                vec!["overall_capped null".to_string()],
                String::new()
            ),
            (json!(false), vec![], String::new()),
            (Value::Null, vec![], "capped,judged".to_string()),
        ]
    );
}

const TWO: &str = "ruleset two \"Two judgements\"
  in force from 2015-04-01

scale grade: outstanding > good > requires_improvement > inadequate

evidence
  proposed.first: grade
  proposed.second: grade
  f.b: bool

judgement first: grade from proposed.first
judgement second: grade from proposed.second

rule cap_second \"para 1\"
  when first is inadequate
  then second at most requires_improvement

rule either \"para 2\"
  when f.b and (second is inadequate or first is outstanding)
  then finding either
";

/// A part of a rule's guards that reads two judgements passes the rule by
/// only once both are made: `second` is made after `first`, as a rule
/// that reads `first` constrains it, and decides `either` when `first`
/// does not.
#[test]
fn a_part_that_reads_two_judgements_is_read_once_both_are_made() {
    let r = Ruleset::from_source(TWO, &[]).unwrap_or_else(|e| panic!("{e:?}"));
    let mut fired = Vec::new();
    for first in ["outstanding", "inadequate", "good"] {
        for second in ["inadequate", "good"] {
            let evidence = json!({
                "proposed": {"first": first, "second": second},
                "f": {"b": true},
            });
            let (plain, long) = both(&r, &evidence);
            assert_eq!(plain, long, "{evidence}");
            // Read from text in one pass too, record after record.
            assert_eq!(by_text(&r, &evidence), plain, "{evidence}");
            if !findings(&plain).is_empty() {
                fired.push(format!("{first}/{second}"));
            }
        }
    }
    assert_eq!(
        fired,
        [
            "outstanding/inadequate",
            "outstanding/good",
            "inadequate/inadequate",
            "good/inadequate"
        ]
    );
}

/// A truth made up at random from the tests a let may make of the evidence
/// of [`GUARDED`] (no judgement: a let cannot read one), nested.
fn truth() -> impl proptest::strategy::Strategy<Value = String> {
    let tests = TESTS.into_iter().filter(|t| !t.contains("overall"));
    nested(tests.collect(), 3, 16)
}

/// The outcome of `source` on `evidence`, as JSON without the ruleset's
/// header (its name and digest), or its error.
fn outcome_of(source: &str, evidence: &Value) -> Result<Value, String> {
    let r = Ruleset::from_source(source, &[]).unwrap_or_else(|e| panic!("{e:?}\n{source}"));
    r.evaluate(evidence, EvalOptions::default())
        .map(|o| {
            let mut v = serde_json::to_value(o).unwrap();
            v.as_object_mut().unwrap().remove("ruleset");
            v
        })
        .map_err(|e| e.to_string())
}

/// Quantifiers a long list answers from an index of one field
/// (`Model::keyed`): an equality first, then other parts, one of which can
/// fail (a span that ends before it starts), over lists long enough to be
/// indexed, with ids repeated, unknown and not found.
const KEYED: &str = "ruleset keyed \"Keyed lists\"
  in force from 2015-04-01

record entry_ref
  id: text
  ref: text or unknown

record entry
  id: text
  code: text or unknown
  done: bool or unknown
  from: date
  to: date

evidence
  wanted: text or unknown
  items: list of entry_ref default empty
  entries: list of entry default empty

rule matched \"para 1\"
  for each wanted_ref in items
  when some entry in entries satisfies entry.code = wanted_ref.ref and entry.done
  then finding matched

rule unmatched \"para 2\"
  for each wanted_ref in items
  when no entry in entries satisfies wanted_ref.ref = entry.code
  then finding unmatched

rule long_entry \"para 3\"
  for each wanted_ref in items
  when some entry in entries satisfies entry.code = wanted_ref.ref and (days from entry.from to entry.to) > 3 days
  then finding long_entry

rule wanted_present \"para 4\"
  when some entry in entries satisfies entry.code = wanted
  then finding wanted_present
";

/// A small deterministic generator: no two records alike, the same on
/// every run.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n
    }
    /// A code from a few, or unknown (left out, or `null`).
    fn code(&mut self) -> Option<Value> {
        match self.below(12) {
            0 => None,
            1 => Some(Value::Null),
            n => Some(json!(format!("c{}", n % 6))),
        }
    }
}

#[test]
fn a_long_list_read_through_its_index_gives_what_reading_it_whole_gives() {
    let ruleset = Ruleset::from_source(KEYED, &[]).unwrap_or_else(|e| panic!("{e:?}"));
    let mut rng = Lcg(9);
    let mut reached = Reached::default();
    for record in 0..400 {
        let element = |rng: &mut Lcg, i: u64, kind: &str| {
            let mut e = json!({"id": format!("{kind}{i}")});
            let key = if kind == "i" { "ref" } else { "code" };
            if let Some(code) = rng.code() {
                e[key] = code;
            }
            if kind == "e" {
                match rng.below(3) {
                    0 => {}
                    1 => e["done"] = json!(true),
                    _ => e["done"] = json!(false),
                }
                e["from"] = json!("2016-01-10");
                // Now and then a span that ends before it starts: an error,
                // if an element reads it before one decides the rule.
                let to = ["2016-01-20", "2016-01-12", "2016-01-05"][rng.below(3) as usize];
                e["to"] = json!(if rng.below(8) == 0 { to } else { "2016-01-20" });
            }
            e
        };
        // Lists around the length from which they are indexed (16).
        let items: Vec<Value> = (0..rng.below(40))
            .map(|i| element(&mut rng, i, "i"))
            .collect();
        let entries: Vec<Value> = (0..rng.below(60))
            .map(|i| element(&mut rng, i, "e"))
            .collect();
        let mut evidence = json!({"items": items, "entries": entries});
        if let Some(code) = rng.code() {
            evidence["wanted"] = code;
        }
        reached.add(agreed(&ruleset, &evidence, record));
    }
    reached.assert_both();
}

/// What the records of a generated run came to: errors, and findings.
#[derive(Default)]
struct Reached {
    errors: usize,
    found: usize,
}

impl Reached {
    /// One record's findings counted ([`agreed`]), or `None` for an error.
    fn add(&mut self, findings: Option<usize>) {
        match findings {
            None => self.errors += 1,
            Some(n) => self.found += n,
        }
    }

    /// The records reach both: outcomes with findings, and errors.
    fn assert_both(&self) {
        let Reached { errors, found } = self;
        assert!(
            *errors > 20 && *found > 1000,
            "{errors} errors, {found} findings"
        );
    }
}

/// The outcome of record `record` read three ways, which must agree:
/// without a trace, the long way, and from its text in one pass. Its findings
/// counted, or `None` where it is an error.
fn agreed(ruleset: &Ruleset, evidence: &Value, record: usize) -> Option<usize> {
    let (plain, long) = both(ruleset, evidence);
    assert_eq!(plain, long, "record {record}: {evidence}");
    assert_eq!(
        by_text(ruleset, evidence),
        long,
        "record {record}, read in one pass"
    );
    long.ok().map(|o| o["findings"].as_array().unwrap().len())
}

/// Quantifiers a long list answers from an index of one field in order
/// (`Model::keyed`, `KeyTest::Range`): bounds on a date or a number, one or
/// two, either way round, worked out from fields (known or not) or
/// computed, one of which can fail (a span that ends before it starts),
/// read first or second; then other parts, one of which can fail too; and
/// a first part that reads the element on both sides, or the element
/// alone (one that can fail, one that can be unknown), whose elements that
/// pass it are kept once for the record (`KeyTest::Holds`).
const RANGED: &str = "ruleset ranged \"Lists read within bounds\"
  in force from 2015-04-01

record window
  id: text
  from: date or unknown
  to: date or unknown
  least: number or unknown

record entry
  id: text
  at: date or unknown
  n: number or unknown
  from: date
  to: date

evidence
  windows: list of window default empty
  entries: list of entry default empty

rule within \"para 1\"
  for each w in windows
  when some e in entries satisfies e.at >= w.from and e.at <= w.to
  then finding within

rule within_month \"para 2\"
  for each w in windows
  when no e in entries satisfies e.at >= w.from and e.at <= end of month w.from
  then finding none_within_month

rule after_then_long \"para 3\"
  for each w in windows
  when some e in entries satisfies w.from < e.at and (days from e.from to e.to) > 3 days
  then finding after_then_long

rule element_on_both_sides \"para 4\"
  for each w in windows
  when some e in entries satisfies e.at < e.from and e.at > w.from
  then finding element_on_both_sides

rule bound_that_can_fail \"para 5\"
  for each w in windows
  when no e in entries satisfies e.at > w.from and e.at < w.from + (days from w.from to w.to)
  then finding bound_that_can_fail

rule either_way_round \"para 6\"
  for each w in windows
  when some e in entries satisfies w.to >= e.at and w.from <= e.at
  then finding either_way_round

rule numbers \"para 7\"
  for each w in windows
  when some e in entries satisfies e.n > w.least and e.n <= 9
  then finding numbers

rule high_first_can_fail \"para 8\"
  for each w in windows
  when some e in entries satisfies e.at < w.from + (days from w.from to w.to) and e.at >= w.from
  then finding high_first_can_fail

rule element_alone_first_can_fail \"para 9\"
  for each w in windows
  when some e in entries satisfies (days from e.from to e.to) > 3 days and e.at > w.from
  then finding element_alone_first_can_fail

rule element_alone_first_unknown \"para 10\"
  for each w in windows
  when no e in entries satisfies (e.at is known or e.n > 5) and e.n > w.least
  then finding element_alone_first_unknown
";

#[test]
fn a_long_list_read_within_bounds_through_its_index_gives_what_reading_it_whole_gives() {
    let ruleset = Ruleset::from_source(RANGED, &[]).unwrap_or_else(|e| panic!("{e:?}"));
    let mut rng = Lcg(17);
    let mut reached = Reached::default();
    let day = |n: u64| {
        let d = chrono::NaiveDate::from_ymd_opt(2016, 1, 1).unwrap() + chrono::Days::new(n);
        json!(d.to_string())
    };
    for record in 0..400 {
        // Lists of entries around the length from which they are indexed
        // (16); for half the records only a few windows (an index is made
        // from the second), so that not every record meets an error.
        let windows = if record % 2 == 0 {
            rng.below(30)
        } else {
            2 + rng.below(3)
        };
        let windows: Vec<Value> = (0..windows)
            .map(|i| {
                let mut w = json!({"id": format!("w{i}")});
                let from = rng.below(120);
                match rng.below(10) {
                    0 => {}
                    1 => w["from"] = Value::Null,
                    _ => w["from"] = day(from),
                }
                // Now and then a window that ends before it starts.
                match rng.below(20) {
                    0 => {}
                    1 => w["to"] = Value::Null,
                    2 => w["to"] = day(from.saturating_sub(3)),
                    _ => w["to"] = day(from + rng.below(40)),
                }
                if rng.below(6) > 0 {
                    w["least"] = json!(rng.below(10));
                }
                w
            })
            .collect();
        let entries: Vec<Value> = (0..rng.below(60))
            .map(|i| {
                let mut e = json!({"id": format!("e{i}"), "from": "2016-01-10"});
                match rng.below(10) {
                    0 => {}
                    1 => e["at"] = Value::Null,
                    _ => e["at"] = day(rng.below(120)),
                }
                if rng.below(6) > 0 {
                    e["n"] = json!(rng.below(12));
                }
                // A span over three days now and then, so that a search
                // reads on; now and then one that ends before it starts,
                // an error if read before one decides (so the order in
                // which elements are read shows).
                e["to"] = json!(match rng.below(30) {
                    0 => "2016-01-05",
                    1..=6 => "2016-01-20",
                    _ => "2016-01-12",
                });
                e
            })
            .collect();
        let evidence = json!({"windows": windows, "entries": entries});
        reached.add(agreed(&ruleset, &evidence, record));
    }
    reached.assert_both();
}

/// Regulation 44 visits, monthly over five years but for two months,
/// through the index of their dates (`no visit in reg44_visits satisfies
/// visit.date >= month and visit.date <= end of month month`, for each of
/// sixty months): the months without a visit are found, the visits on a
/// month's first and last days count for it, and the outcome is the one
/// the long way gives, which reads every visit for every month.
#[test]
fn regulation_44_visits_over_five_years_are_found_month_by_month_through_the_index() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let ruleset = Ruleset::load(&root.join("rulesets/childrens_homes/2015-04.rules")).unwrap();
    let mut visits = Vec::new();
    let mut month = chrono::NaiveDate::from_ymd_opt(2016, 4, 1).unwrap();
    let inspection = chrono::NaiveDate::from_ymd_opt(2021, 3, 15).unwrap();
    let mut n = 0;
    while month < chrono::NaiveDate::from_ymd_opt(2021, 3, 1).unwrap() {
        let skipped = month == chrono::NaiveDate::from_ymd_opt(2017, 2, 1).unwrap()
            || month == chrono::NaiveDate::from_ymd_opt(2020, 12, 1).unwrap();
        if !skipped {
            // The first day of the month, the last, or between.
            let last = month + chrono::Months::new(1) - chrono::Days::new(1);
            let date = match n % 3 {
                0 => month,
                1 => last,
                _ => month + chrono::Days::new(13),
            };
            visits.push(json!({
                "id": format!("v{n}"),
                "date": date.to_string(),
                "report_received": (date + chrono::Days::new(3)).to_string(),
                "has_urn": true,
                "has_visit_date": true,
            }));
            n += 1;
        }
        month = month + chrono::Months::new(1);
    }
    assert!(visits.len() > 50);
    let evidence = json!({
        "inspection": {"kind": "full", "start": inspection.to_string(),
                       "end": "2021-03-16", "feedback": "2021-03-16"},
        "home": {"secure": false, "children_placed": 2},
        "proposed": {"overall": "good", "helped_and_protected": "good",
                     "leaders_and_managers": "good"},
        "previous": {"overall": "good", "full_inspection": "2016-03-14"},
        "reg44_visits": visits,
    });
    let (plain, long) = both(&ruleset, &evidence);
    assert_eq!(plain, long);
    assert_eq!(by_text(&ruleset, &evidence), long);
    let missed: Vec<String> = plain.unwrap()["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["finding"] == "no_reg44_visit_in_month")
        .map(|f| f["item"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(missed, ["2017-02-01", "2020-12-01"]);
}

/// Evidence whose every field may be left out, for
/// [`leads_of_fields_left_out_give_what_walking_the_condition_gives`].
const AT_REST: &str = "ruleset at_rest \"Fields left out\"
  in force from 2015-04-01

scale grade: outstanding > good > requires_improvement > inadequate

evidence
  proposed.overall: grade
  f.a: bool default false
  f.b: bool default true
  n.x: number default 0
  n.y: number default 2
  kind: grade or none
  since: date or none

judgement overall: grade from proposed.overall

threshold cap = 1
";

/// The tests the random conditions over [`AT_REST`] are made of: of one
/// field, and comparisons of two fields or of a field and a threshold.
const AT_REST_TESTS: [&str; 10] = [
    "f.a",
    "not f.b",
    "n.x > 1",
    "n.x = n.y",
    "n.y <= cap",
    "n.x < n.y",
    "cap < n.y",
    "(kind is set and kind is good)",
    "since is set",
    "(f.a or n.x > n.y)",
];

/// Lets worked out where they are first read (`Model::let_plan`): one read
/// first inside a `for each` rule, its own quantifier binding the slot the
/// rule's element is on; a chain of lets deeper than evaluation recurses;
/// a let that fails, read only on one branch; and a let a check reads, and
/// one a lead reads. Each `not` in the chain flips `flag`.
fn lazy_source(chain: usize) -> String {
    let mut lets = String::from("let link_0 = flag\n");
    for i in 1..=chain {
        lets.push_str(&format!("let link_{i} = not link_{}\n", i - 1));
    }
    format!(
        "ruleset lazy \"Lazy lets\"
  in force from 2015-04-01

record visit
  id: text
  late: bool

evidence
  flag: bool
  kind: text
  visits: list of visit default empty
  others: list of visit default empty
  period.start: date
  period.end: date

let any_other_late = some other in others satisfies other.late
let span = days from period.start to period.end
let checked = kind = \"refused\"
let led = kind = \"led\"
{lets}
invalid refused \"kind refused\"
  when checked and flag

rule late_with_others \"para 1\"
  for each visit in visits
  when visit.late and any_other_late
  then finding late_with_others

rule deep \"para 2\"
  when link_{chain}
  then finding deep

rule long \"para 3\"
  when not flag and span > 3 days
  then finding long

rule led_rule \"para 4\"
  when led and flag
  then finding led
"
    )
}

fn lazy_evidence(flag: bool, kind: &str, end: &str) -> Value {
    json!({
        "flag": flag,
        "kind": kind,
        "visits": [
            {"id": "v1", "late": true},
            {"id": "v2", "late": false},
            {"id": "v3", "late": true}
        ],
        "others": [{"id": "o1", "late": false}, {"id": "o2", "late": true}],
        "period": {"start": "2016-01-10", "end": end},
    })
}

#[test]
fn a_let_worked_out_where_it_is_first_read_gives_what_working_it_out_first_does() {
    // 40 and 700 lets deep: past the depth evaluation recurses to (700
    // overflows a test thread's stack where each let read works out the
    // one before it in turn); 800: past the size of plan kept, so every
    // let is worked out first.
    for chain in [2, 40, 700, 800] {
        let ruleset =
            Ruleset::from_source(&lazy_source(chain), &[]).unwrap_or_else(|e| panic!("{e:?}"));
        let deep = if chain % 2 == 0 { "deep null" } else { "" };
        let cases = [
            (
                true,
                "led",
                "2016-01-31",
                vec![
                    "late_with_others \"v1\"",
                    "late_with_others \"v3\"",
                    "led null",
                    deep,
                ],
            ),
            (
                true,
                "other",
                "2016-01-01",
                vec!["late_with_others \"v1\"", "late_with_others \"v3\"", deep],
            ),
            (
                false,
                "refused",
                "2016-01-31",
                vec![
                    "late_with_others \"v1\"",
                    "late_with_others \"v3\"",
                    "long null",
                ],
            ),
        ];
        for (flag, kind, end, expected) in cases {
            let evidence = lazy_evidence(flag, kind, end);
            let (plain, long) = both(&ruleset, &evidence);
            assert_eq!(plain, long, "{chain}: {evidence}");
            assert_eq!(by_text(&ruleset, &evidence), long, "{chain}: {evidence}");
            let mut expected: Vec<String> = expected
                .into_iter()
                .filter(|f| !f.is_empty())
                .map(String::from)
                .collect();
            let mut got = findings(&plain);
            expected.sort();
            got.sort();
            assert_eq!(got, expected, "{chain}: {evidence}");
        }
        // The let that fails is the error only where it is read: with
        // `flag` false, and then the same by the short cuts and the long way.
        let evidence = lazy_evidence(false, "other", "2016-01-01");
        let (plain, long) = both(&ruleset, &evidence);
        assert_eq!(plain, long);
        let error = plain.unwrap_err();
        assert!(error.contains("before it starts"), "{error}");
        // A check reads its let before any rule.
        let evidence = lazy_evidence(true, "refused", "2016-01-31");
        let (plain, long) = both(&ruleset, &evidence);
        assert_eq!(plain, long);
        assert!(plain.unwrap_err().contains("kind refused"));
    }
}

/// An `invalid` check over a list's elements is decided for each element
/// by its guards where they decide it (both parts here read the element),
/// as walking its condition would: refused for each element where it
/// holds, not where it is false or unknown.
#[test]
fn a_check_over_elements_is_decided_by_its_guards_as_the_walk_would() {
    let source = "ruleset checks \"Checks\"
  in force from 2015-04-01

record visit
  id: text
  late: bool or unknown
  date: date

evidence
  start: date
  visits: list of visit default empty

invalid late_before_start \"visit {visit.id} is late before the start\"
  for each visit in visits
  when visit.late and visit.date < start

invalid unknown_before_start \"visit {visit.id} may be late before the start\"
  for each visit in visits
  when visit.date < start and not (visit.late is set)
";
    let ruleset = Ruleset::from_source(source, &[]).unwrap_or_else(|e| panic!("{e:?}"));
    let visit = |id: &str, late: Value, date: &str| json!({"id": id, "late": late, "date": date});
    let evidence = json!({
        "start": "2016-01-10",
        "visits": [
            visit("v1", json!(true), "2016-01-01"),
            visit("v2", json!(false), "2016-01-01"),
            visit("v3", Value::Null, "2016-01-01"),
            visit("v4", json!(true), "2016-01-20"),
            visit("v5", json!(true), "2016-01-09"),
        ],
    });
    let (plain, long) = both(&ruleset, &evidence);
    assert_eq!(plain, long);
    let error = plain.unwrap_err();
    assert!(
        error.contains("visit v1 is late before the start"),
        "{error}"
    );
    assert!(
        error.contains("visit v5 is late before the start"),
        "{error}"
    );
    for id in ["v2", "v3", "v4"] {
        assert!(!error.contains(&format!("visit {id} ")), "{id}: {error}");
    }
    // `is set` of an unknown is unknown: not refused.
    assert!(!error.contains("may be late"), "{error}");
}

const QUANTIFIED: &str = "ruleset quantified \"Quantifiers in guards\"
  in force from 2015-04-01

scale grade: outstanding > good > requires_improvement > inadequate

record part
  id: text
  ok: bool

record entry
  id: text
  ok: bool or unknown
  parts: list of part default empty

evidence
  proposed.overall: grade
  f.a: bool or unknown
  start: date or unknown
  items: list of entry default empty
  needed: list of entry

judgement overall: grade from proposed.overall

# A list a let holds: unknown where `start` is, else one month.
let span = months from start to start

# A list inside an element, quantified over for each element.
rule inner \"para 1\"
  for each e in items
  when not (some p in e.parts satisfies p.ok)
  then finding inner
";

/// The tests the random conditions over [`QUANTIFIED`] are made of: a
/// quantifier over a list a record may leave out, over one it must give,
/// and over one a let holds (unknown where `start` is: once a rule has
/// worked it out, the next reads it in place), read in place where the
/// list has no element, beside a flag.
const QUANTIFIED_TESTS: [&str; 9] = [
    "f.a",
    "(some m in span satisfies m > start)",
    "(every m in span satisfies m = start)",
    "(some i in items satisfies i.ok)",
    "(every i in items satisfies i.ok)",
    "(no i in items satisfies not i.ok)",
    "(some i in needed satisfies i.ok)",
    "(every i in needed satisfies i.ok)",
    "(no i in needed satisfies i.ok)",
];

/// A list of [`QUANTIFIED`]'s items: left out (`None`), or with the
/// elements whose `ok` is given (`null` for unknown).
fn items() -> impl proptest::strategy::Strategy<Value = Option<Vec<Option<bool>>>> {
    proptest::option::of(proptest::collection::vec(
        proptest::option::of(proptest::bool::ANY),
        0..3,
    ))
}

/// The JSON of a list of [`items`]: each element numbered for its id; one
/// whose `ok` is true has a part, the others none.
fn items_json(items: &[Option<bool>]) -> Value {
    items
        .iter()
        .enumerate()
        .map(|(i, ok)| match ok {
            Some(true) => {
                json!({"id": format!("i{i}"), "ok": ok, "parts": [{"id": "p", "ok": i % 2 == 0}]})
            }
            _ => json!({"id": format!("i{i}"), "ok": ok}),
        })
        .collect()
}

proptest::proptest! {
    #![proptest_config(cases())]

    /// A quantifier over a list held in place is a guard, decided where
    /// the list has no element (and a lead, read once on the defaults for
    /// a list a record leaves out: `eval::AtRest`); a list with elements
    /// is walked. Rules made up at random of quantifiers and a flag give,
    /// without a trace and read from text in one pass, the outcome the
    /// long way, which walks every condition, gives.
    #[test]
    fn a_quantifier_read_in_place_gives_what_walking_the_list_gives(
        conditions in proptest::collection::vec(nested(QUANTIFIED_TESTS.to_vec(), 3, 12), 3),
        a in proptest::option::of(proptest::bool::ANY),
        given in items(),
        needed in items(),
        null_list in proptest::bool::ANY,
        start in proptest::option::of(proptest::sample::select(vec!["2016-01-01"])),
    ) {
        let source = with_rules(QUANTIFIED, &conditions);
        let r = Ruleset::from_source(&source, &[]).unwrap_or_else(|e| panic!("{e:?}\n{source}"));
        let mut evidence = json!({
            "proposed": {"overall": "good"},
            "f": {"a": a},
            "start": start,
            "needed": items_json(needed.as_deref().unwrap_or_default()),
        });
        match given {
            Some(given) => evidence["items"] = items_json(&given),
            None if null_list => evidence["items"] = Value::Null,
            None => {}
        }
        let (plain, long) = both(&r, &evidence);
        proptest::prop_assert!(long.is_ok(), "{:?}\n{}\n{}", long, source, evidence);
        proptest::prop_assert_eq!(&plain, &long, "{}\n{}", source, evidence);
        proptest::prop_assert_eq!(by_text(&r, &evidence), long, "{}\n{}", source, evidence);
    }
}

#[test]
fn a_guard_that_fails_out_of_range_names_the_first_element_as_its_evaluation_would() {
    // A date out of range is an error that names the element it arose
    // for: the guard, read once before any element, is met by the first
    // element's evaluation, and its error names that element.
    let source = SOURCE.replace(
        "when (days from period.start to period.end) > 3 days and visit.late",
        "when period.start + 200000000 days > period.end and visit.late",
    );
    let r = Ruleset::from_source(&source, &[]).unwrap_or_else(|e| panic!("{e:?}"));
    let visits = json!([
        {"id": "v1", "date": "2016-01-01", "late": true},
        {"id": "v2", "date": "2016-01-02", "late": true}
    ]);
    let (plain, long) = both(&r, &evidence(json!(true), true, "2016-01-20", visits));
    assert_eq!(plain, long);
    let error = plain.unwrap_err();
    assert!(error.contains("out of range"), "{error}");
    assert!(error.contains("for item \"v1\", at visits[0]"), "{error}");
}

/// Every bad record of every ruleset is refused alike read in one pass,
/// where the checks a record cannot break are passed by on what they come
/// to on the defaults (`eval::AtRest::quiet_checks`), and read as a JSON
/// value, where every check is asked: the same error, the same words.
#[test]
fn every_bad_record_is_refused_alike_read_in_one_pass_and_as_a_value() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut refused = 0;
    for name in RULESETS {
        let editions = judgement_engine::Editions::load(&root.join("rulesets").join(name)).unwrap();
        let dir = root.join("tests/fixtures/eval_errors").join(name);
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap();
            let Ok(evidence) = serde_json::from_str::<Value>(&text) else {
                continue;
            };
            let Ok(ruleset) = editions.select(&evidence) else {
                continue;
            };
            let as_value = ruleset
                .evaluate(&evidence, EvalOptions::default())
                .map(|o| serde_json::to_value(o).unwrap())
                .map_err(|e| e.to_string());
            assert_eq!(by_text(ruleset, &evidence), as_value, "{}", path.display());
            refused += usize::from(as_value.is_err());
        }
    }
    assert!(refused > 50, "only {refused} records refused");
}

/// A list read once for each element of itself, through a condition that
/// no index answers (a sum of both elements' fields).
const SELF_JOIN: &str = "ruleset joined \"Joined\"
  in force from 2015-04-01

record thing
  id: text
  n: number

evidence
  flag: bool
  things: list of thing default empty

rule paired \"para 1\"
  for each thing in things
  when flag and some other in things satisfies other.n + thing.n = 0
  then finding paired_thing
";

/// `count` elements, each `n` 1: no two sum to 0, so every `some` reads
/// the whole list.
fn self_join_items(count: usize) -> Value {
    let items: Vec<Value> = (0..count)
        .map(|i| json!({"id": format!("i{i}"), "n": 1}))
        .collect();
    json!({"flag": true, "things": items})
}

/// The ruleset of [`SELF_JOIN`], reading at most 10,000 elements inside
/// another binder for a record: the default, 20,000,000, is reached by
/// lists of about 4,500, which take seconds to read in a test build.
fn self_join() -> Ruleset {
    Ruleset::from_source(SELF_JOIN, &[])
        .unwrap_or_else(|e| panic!("{e:?}"))
        .with_most_nested_reads(10_000)
}

/// A list read for each element of another that no index answers takes
/// time that grows with the product of the lengths: past the most reads
/// for one record (20,000,000 unless the ruleset is given another), the
/// record is refused at the list (its JSON path, and the quantifier in the
/// rules), not evaluated for minutes; up to it, evaluated as ever. With
/// the guard false, nothing nested is read.
#[test]
fn a_list_read_for_each_element_of_another_is_refused_past_the_most_reads() {
    let default = Ruleset::from_source(SELF_JOIN, &[]).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(default.most_nested_reads(), 20_000_000);
    assert!(default
        .evaluate(&self_join_items(101), EvalOptions::default())
        .is_ok());
    let r = self_join();
    // 100 squared is 10,000: every element read, none refused.
    let outcome = r
        .evaluate(&self_join_items(100), EvalOptions::default())
        .unwrap();
    assert!(outcome.findings.is_empty());
    // 101 squared is 10,201.
    let error = r
        .evaluate(&self_join_items(101), EvalOptions::default())
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "this record's lists are too long to read one inside another: reading `things` here, \
         once for each element of another list, would read more than 10000 elements in all"
    );
    assert_eq!(error.path(), Some("things"));
    let span = error.span().unwrap();
    assert!(
        SELF_JOIN[span.start..span.end].starts_with("some other in things satisfies"),
        "{span:?}"
    );
    // With the guard false, the quantifier is not read.
    let mut off = self_join_items(101);
    off["flag"] = json!(false);
    assert!(r.evaluate(&off, EvalOptions::default()).is_ok());
}

/// A why-not question evaluates the record again for each change it
/// checks: the reads of all its evaluations count together. Here one
/// evaluation reads 1,600 of at most 10,000, and the question checks the
/// changes of 20 elements, each evaluated again: the checks past the
/// limit say the record is then refused, instead of each taking as long
/// as the first (for lists of thousands, seconds each). The count does not
/// outlive the question.
#[test]
fn a_why_not_question_counts_the_reads_of_all_its_evaluations_together() {
    let r = self_join();
    let mut record = self_join_items(40);
    assert!(r.evaluate(&record, EvalOptions::default()).is_ok());
    let why = judgement_engine::why_not(&r, &record, "paired", EvalOptions::default())
        .unwrap_or_else(|e| panic!("{e}"));
    let text = judgement_engine::why_not_text(&r, &why);
    assert!(
        text.contains(
            "the record is then refused: this record's lists are too long to read one inside another: reading `things` here"
        ),
        "{text}"
    );
    // Lists a fiftieth as long: each check evaluated as ever.
    record["things"] = json!([{"id": "a", "n": 1}, {"id": "b", "n": 1}]);
    let why = judgement_engine::why_not(&r, &record, "paired", EvalOptions::default())
        .unwrap_or_else(|e| panic!("{e}"));
    let text = judgement_engine::why_not_text(&r, &why);
    assert!(!text.contains("too long"), "{text}");
    // Outside a question, each evaluation counts its own reads.
    for _ in 0..10 {
        assert!(r
            .evaluate(&self_join_items(40), EvalOptions::default())
            .is_ok());
    }
}
