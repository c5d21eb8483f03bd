//! Rule coverage of a small ruleset whose tests leave known gaps: a rule
//! that never fires, one that never fails to fire, a cap that never binds,
//! a part of a condition never true, a threshold's boundary reached on one
//! side only; then a corpus that fills some of them.

#![allow(
    clippy::panic,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "a test fails by panicking"
)]

use judgement_engine::coverage::{by_file, coverage, Summary};
use judgement_engine::Ruleset;
use serde_json::json;

const RULES: &str = r#"ruleset gaps "Known gaps"
  edition "2020-01"
  in force from 2020-01-01
  as at visit.start

scale grade: good > fair > poor

evidence
  visit.start: date
  home.children: number
  home.secure: bool default false
  proposed.overall: grade

threshold most_children = 4

judgement overall: grade from proposed.overall

rule too_many_children "para 1"
  when home.children > most_children
  then overall at most fair

rule secure_home "para 2"
  when home.secure
  then overall at least fair

rule always "para 3"
  then action visit

test "three children"
  given visit.start = 2020-03-02, home.children = 3, proposed.overall = good
  expect overall = good

test "five children"
  given visit.start = 2020-03-02, home.children = 5, proposed.overall = good
  expect overall = fair

test "a good secure home"
  given visit.start = 2020-03-02, home.children = 5, home.secure = true, proposed.overall = good
  expect overall = fair
"#;

#[test]
fn the_gaps_of_the_tests_are_counted() {
    let r = Ruleset::from_source(RULES, &[]).unwrap();
    let c = coverage(&r, &[]);
    assert_eq!(c.tests, 3);
    let rule = |id: &str| c.rules.iter().find(|x| x.rule == id).unwrap();
    assert_eq!(
        (
            rule("too_many_children").fired,
            rule("too_many_children").not_fired
        ),
        (2, 1)
    );
    assert_eq!(
        (rule("secure_home").fired, rule("secure_home").not_fired),
        (1, 2)
    );
    // No condition: it fires every time, and is not counted both ways.
    assert_eq!(rule("always").fired, 3);
    assert!(!rule("always").has_condition);
    // The floor at fair never binds: the cap already holds overall at fair.
    let floor = c
        .constraints
        .iter()
        .find(|k| k.rule == "secure_home")
        .unwrap();
    assert_eq!(floor.constraint, "at least fair");
    assert_eq!(floor.bound, 0);
    let cap = c
        .constraints
        .iter()
        .find(|k| k.rule == "too_many_children")
        .unwrap();
    assert_eq!(cap.bound, 2);
    // 3 and 5 children: -1 and +1 of the threshold, never 4.
    let b = &c.boundaries[0];
    assert_eq!(b.threshold, "most_children");
    assert_eq!(b.value, "4");
    assert_eq!((b.below, b.at, b.above), (1, 0, 2));
    assert!(!b.reached());
    assert_eq!(
        c.summary,
        Summary {
            rules: 3,
            rules_fired: 3,
            conditional_rules: 2,
            rules_both_ways: 2,
            constraints: 2,
            constraints_bound: 1,
            branches: 2,
            branches_both_ways: 2,
            boundaries: 1,
            boundaries_reached: 0,
        }
    );
    assert!((c.summary.rule_percent() - 100.0).abs() < f64::EPSILON);
    assert!(b.place.ends_with(":19:8"), "{}", b.place);
}

#[test]
fn a_corpus_fills_gaps_and_a_record_of_another_date_is_skipped() {
    let r = Ruleset::from_source(RULES, &[]).unwrap();
    let corpus = [
        json!({"visit": {"start": "2020-03-02"}, "home": {"children": 4}, "proposed": {"overall": "poor"}, "_expect": {"overall": "poor"}}),
        json!({"visit": {"start": "2020-03-02"}, "home": {"children": 1, "secure": true}, "proposed": {"overall": "poor"}}),
        json!({"visit": {"start": "2019-03-02"}, "home": {"children": 4}, "proposed": {"overall": "poor"}}),
        json!({"visit": {"start": "2020-03-02"}}),
    ];
    let c = coverage(&r, &corpus);
    assert_eq!((c.records, c.skipped), (2, 2));
    assert!(c.boundaries[0].reached());
    let floor = c
        .constraints
        .iter()
        .find(|k| k.rule == "secure_home")
        .unwrap();
    assert_eq!(floor.bound, 1);
    let groups = by_file(&[c]);
    assert_eq!(groups.len(), 1);
    assert_eq!(groups[0].summary.boundaries_reached, 1);
}

#[test]
fn a_rule_that_never_fires_is_a_gap() {
    let source = RULES.replace("home.children = 5, home.secure = true", "home.children = 5");
    let r = Ruleset::from_source(&source, &[]).unwrap();
    let c = coverage(&r, &[]);
    let secure = c.rules.iter().find(|x| x.rule == "secure_home").unwrap();
    assert_eq!(secure.fired, 0);
    assert_eq!(c.summary.rules_fired, 2);
    let branch = c.branches.iter().find(|b| b.text == "home.secure").unwrap();
    assert_eq!((branch.true_count, branch.false_count), (0, 3));
    assert!((c.summary.rule_percent() - 200.0 / 3.0).abs() < 1e-9);
}

/// A DSL test dated outside its edition's period covers nothing: `judgement
/// test` fails it, as no record of that date is evaluated with the edition.
/// It is counted apart, not in the coverage (audit 25-tests, 1).
#[test]
fn a_test_dated_outside_the_edition_covers_nothing() {
    let source = r#"ruleset only "Edition period"
  edition "2015-04"
  in force from 2015-04-01 to 2017-03-31
  as at visit.start

evidence
  visit.start: date
  visit.end: date

threshold longest_visit = 2 days

rule long_visit "para 12"
  when visit.end - visit.start > longest_visit
  then action review_length

test "within the period: not too long"
  given visit.start = 2016-11-07, visit.end = 2016-11-09
  expect no actions

test "outside the period: the only test that fires the rule"
  given visit.start = 2017-04-03, visit.end = 2017-04-07
  expect action review_length
"#;
    let r = Ruleset::from_source(source, &[]).unwrap();
    let c = coverage(&r, &[]);
    assert_eq!((c.tests, c.tests_skipped), (1, 1));
    assert_eq!(c.summary.rules_fired, 0, "{:?}", c.summary);
    let inside = source.replace(
        "2017-04-03, visit.end = 2017-04-07",
        "2017-03-27, visit.end = 2017-03-31",
    );
    let r = Ruleset::from_source(&inside, &[]).unwrap();
    let c = coverage(&r, &[]);
    assert_eq!((c.tests, c.tests_skipped), (2, 0));
    assert_eq!(c.summary.rules_fired, 1, "{:?}", c.summary);
}
