//! A change for one part that keeps the other parts as they are: narrowed to
//! a value they allow, refused where none is, or two ways joined into one range.

use super::*;

/// Making an `or` false changes its true parts and must leave its false
/// ones false: where both read the same choice, the value asked for is one
/// that keeps the other part false too (not "anything but monitoring",
/// which would allow `full`), and a change that cannot do both says so.
#[test]
fn a_change_that_would_flip_another_part_of_an_or_is_narrowed_or_refused() {
    const KINDS: &str = r#"ruleset kinds "Kinds"
  edition "2020-01"
  in force from 2020-01-01
  as at visit.start

scale grade: good > fair > poor
choice kind: full | interim | monitoring

evidence
  visit.start: date
  visit.kind: kind
  home.secure: bool
  home.large: bool
  proposed.overall: grade

let at_a_visit = visit.kind is monitoring
let secure_home = home.secure

judgement overall: grade from proposed.overall

rule kind_caps_overall "para 1"
  when visit.kind is full or at_a_visit
  then overall at most fair

rule large_kind_caps_overall "para 3"
  when (visit.kind is full or at_a_visit) and home.large
  then overall at most fair

rule secure_caps_overall "para 2"
  when not home.secure or secure_home
  then overall at most poor
"#;
    let r = Ruleset::from_source(KINDS, &[]).unwrap();
    let record = json!({
        "visit": {"start": "2020-03-02", "kind": "monitoring"},
        "home": {"secure": true, "large": true},
        "proposed": {"overall": "good"}
    });
    let why = why_not(&r, &record, "overall=good", EvalOptions::default()).unwrap();
    let WhyNot::Judgement(j) = &why else { panic!() };
    let release = |rule: &str| {
        let h = j
            .held_by
            .iter()
            .find(|h| h.constraint.rule == rule)
            .unwrap_or_else(|| panic!("{rule} holds overall: {j:?}"));
        h.to_release.clone()
    };
    // The way out of kind_caps_overall: a kind neither full nor
    // monitoring (both parts of the `or` false).
    let Some(Fix::Change { changes, .. }) = release("kind_caps_overall") else {
        panic!("a change")
    };
    assert_eq!(changes.len(), 1, "{changes:?}");
    assert_eq!(changes[0].field, "visit.kind");
    assert_eq!(
        changes[0].needs,
        Need::Exactly(Amount::Name("interim".into()))
    );
    // With a yes/no beside the kind, the yes/no is the change offered: the
    // kind of a visit is a fact about the case.
    let Some(Fix::Change { changes, .. }) = release("large_kind_caps_overall") else {
        panic!("a change")
    };
    assert_eq!(changes.len(), 1, "{changes:?}");
    assert_eq!(changes[0].field, "home.large");
    assert_eq!(changes[0].needs, Need::Exactly(Amount::Bool(false)));
    // `not home.secure or secure_home` holds whatever home.secure is: no
    // change of it makes both parts false.
    match release("secure_caps_overall") {
        Some(Fix::NoSingleChange { reason }) => {
            assert!(
                reason.contains("would make `not home.secure` true"),
                "{reason}"
            )
        }
        other => panic!("no single change: {other:?}"),
    }
}

/// A field set where none was recorded, where another part must keep it
/// from one value (`last is set and last != start + 4 days`, with `last`
/// none and the end on the planned day, audit 58's VAA `five_days_on_site`):
/// any value but that one, tried on the days either side, not "set to any
/// value", which evaluating again could not try.
#[test]
fn a_value_set_where_none_was_keeps_apart_from_the_value_another_part_avoids() {
    const LAST_DAY: &str = r#"ruleset last_day "Last day"
  in force from 2020-01-01

evidence
  visit.start: date
  visit.end: date
  visit.last: date or none

rule not_the_planned_last_day "para 1"
  when (visit.last is set and visit.last != visit.start + 4 days)
    or (visit.last is none and visit.end != visit.start + 4 days)
  advise "the last day on site is not the planned one"
"#;
    let r = Ruleset::from_source(LAST_DAY, &[]).unwrap();
    let record = json!({"visit": {"start": "2020-03-02", "end": "2020-03-06", "last": null}});
    let planned = chrono::NaiveDate::from_ymd_opt(2020, 3, 6).unwrap();
    let why = why_not(
        &r,
        &record,
        "not_the_planned_last_day",
        EvalOptions::default(),
    )
    .unwrap();
    assert_eq!(
        changes(&why)
            .into_iter()
            .map(|c| (c.field, c.needs))
            .collect::<Vec<_>>(),
        [("visit.last".to_string(), Need::Other(Amount::Date(planned)))]
    );
    assert_eq!(
        checked(&r, &record, "not_the_planned_last_day"),
        Checked::Holds
    );
}

/// A change for one part of an `and` keeps the parts that hold: a date
/// needed on or after a window's start, where another part needs it on or
/// before the end, is the window's first day; where no value keeps both,
/// the answer says so.
#[test]
fn a_change_keeps_a_bound_that_holds_or_says_none_can() {
    let r = Ruleset::from_source(WORKED_BACK, &[]).unwrap();
    let record = worked_back_record();
    let ask = |target| why_not(&r, &record, target, EvalOptions::default()).unwrap();
    let c = changes(&ask("received_during_visit"));
    assert_eq!(c.len(), 1);
    assert_eq!(c[0].field, "report.received");
    let first_day = chrono::NaiveDate::from_ymd_opt(2020, 3, 2).unwrap();
    assert_eq!(c[0].needs, Need::Exactly(Amount::Date(first_day)));
    let why = ask("never");
    let WhyNot::Rule(rule) = &why else {
        panic!("a rule: {why:?}")
    };
    assert!(
        matches!(&rule.attempts[0].to_fire, Some(Fix::NoSingleChange { reason }) if reason.contains("would make `n < 2` false")),
        "{:?}",
        rule.attempts[0].to_fire
    );
}

/// A value set where none was recorded takes the bound that keeps another
/// part as it is: a requirement's `met` set, where `met > feedback` must
/// stay false, is on or before the feedback (it was "set to any value",
/// which evaluating again could not check).
#[test]
fn a_value_set_where_none_was_takes_the_bound_another_part_keeps() {
    let r = Ruleset::from_source(WORKED_BACK, &[]).unwrap();
    let record = worked_back_record();
    let why = why_not(&r, &record, "all_met", EvalOptions::default()).unwrap();
    let feedback = chrono::NaiveDate::from_ymd_opt(2020, 3, 4).unwrap();
    assert_eq!(
        changes(&why)
            .into_iter()
            .map(|c| (c.field, c.needs))
            .collect::<Vec<_>>(),
        [(
            "reqs[1].met".to_string(),
            Need::AtMost(Amount::Date(feedback))
        )]
    );
    let WhyNot::Rule(rule) = &why else {
        panic!("a rule: {why:?}")
    };
    assert!(
        matches!(
            &rule.attempts[0].to_fire,
            Some(Fix::Change {
                checked: Checked::Holds,
                ..
            })
        ),
        "{:?}",
        rule.attempts[0].to_fire
    );
}

/// The fix and how evaluating again came out, for the one attempt of rule
/// `target` over `evidence`.
fn fix_of(r: &Ruleset, evidence: &serde_json::Value, target: &str) -> (Vec<Change>, Checked) {
    let why = why_not(r, evidence, target, EvalOptions::default()).unwrap();
    let WhyNot::Rule(rule) = &why else {
        panic!("a rule: {why:?}")
    };
    match &rule.attempts[0].to_fire {
        Some(Fix::Change {
            changes, checked, ..
        }) => (changes.clone(), checked.clone()),
        other => panic!("a change: {other:?}"),
    }
}

/// Where either part of an `or` would do by changing the same field, the
/// values the two allow are given as one range where they are one: `x <
/// y or (x = y and C)`, with C holding, needs x on or before y, where the
/// first part alone says the day before (audit 63: CH
/// `manager_leaving_not_notified` offered "on or before 2015-11-08" where
/// 2015-11-09 fires too); of two bounds of one kind, the wider. Ways that
/// are not one range stay apart, as does a part that needs two changes.
#[test]
fn the_ways_of_an_or_on_one_field_are_one_range_where_they_meet() {
    let rules = r#"ruleset s "S"
  in force from 2020-01-01
  as at visit.start

evidence
  visit.start: date
  manager.left: date
  manager.known: bool
  home.children: number

rule left_by_the_visit "para 1"
  when manager.left < visit.start or (manager.left = visit.start and manager.known)
  then action chase

rule many_children "para 2"
  when home.children > 4 or home.children = 4
  then action review

rule two_bounds "para 3"
  when home.children >= 10 or home.children >= 7
  then action count

rule apart "para 4"
  when home.children < 2 or home.children = 5
  then action recount
"#;
    let r = Ruleset::from_source(rules, &[]).unwrap();
    let record = |known: bool| {
        json!({
            "visit": {"start": "2020-03-02"},
            "manager": {"left": "2020-03-20", "known": known},
            "home": {"children": 3}
        })
    };
    let date = |d: &str| Amount::Date(d.parse().unwrap());

    let (changes, checked) = fix_of(&r, &record(true), "left_by_the_visit");
    assert_eq!(changes.len(), 1, "{changes:?}");
    assert_eq!(changes[0].field, "manager.left");
    assert_eq!(changes[0].needs, Need::AtMost(date("2020-03-02")));
    assert_eq!(checked, Checked::Holds);
    let why = why_not(
        &r,
        &record(true),
        "left_by_the_visit",
        EvalOptions::default(),
    )
    .unwrap();
    let text = why_not_text(&r, &why);
    assert!(
        text.contains("manager.left on or before 2020-03-02 (now 2020-03-20)"),
        "{text}"
    );

    // Not known: the second part needs two changes, and the first part's
    // day before stands.
    let (changes, checked) = fix_of(&r, &record(false), "left_by_the_visit");
    assert_eq!(changes.len(), 1, "{changes:?}");
    assert_eq!(changes[0].needs, Need::AtMost(date("2020-03-01")));
    assert_eq!(checked, Checked::Holds);

    // A number: more than 4, or 4, is at least 4.
    let (changes, checked) = fix_of(&r, &record(true), "many_children");
    assert_eq!(changes[0].needs, Need::AtLeast(Amount::Number(4)));
    assert_eq!(checked, Checked::Holds);
    // Two lower bounds: the lower, where the first part, weighed alone as
    // the first of equals, said at least 10.
    let (changes, _) = fix_of(&r, &record(true), "two_bounds");
    assert_eq!(changes[0].needs, Need::AtLeast(Amount::Number(7)));
    // Below 2, or 5: not one range, so the bound, which moves a number
    // past a bound, is weighed before the one value.
    let (changes, _) = fix_of(&r, &record(true), "apart");
    assert_eq!(changes[0].needs, Need::AtMost(Amount::Number(1)));
}
