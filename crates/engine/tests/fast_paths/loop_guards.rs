//! `for each` rules decided once on the leading parts that do not read the
//! element (`Model::loop_guards`): true, false, unknown or failing, and `or`.

use super::*;

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
