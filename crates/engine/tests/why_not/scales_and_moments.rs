//! Choices, scales and moments: the value a choice or scale needs and has now,
//! and a date and time, or its day or its time, worked back to the moment.

use super::*;

/// A date and time is worked back like a date: the nearest one that would
/// do, to the second (evidence may give seconds).
#[test]
fn a_date_and_time_gives_the_moment_needed() {
    let r = ruleset();
    let mut evidence = evidence();
    evidence["visit"]["arrived"] = json!("2020-03-02T12:30");
    evidence["visit"]["told"] = json!("2020-03-02T09:40");
    let why = why_not(&r, &evidence, "told_after_arrival", EvalOptions::default()).unwrap();
    let c = changes(&why);
    assert_eq!(c.len(), 1, "{c:?}");
    assert_eq!(c[0].field, "visit.told");
    assert_eq!(c[0].needs.to_string(), "at least 2020-03-02T12:30:01");
}

const SUBJECTS: &str = r#"ruleset subjects "Subjects"
  edition "2020-01"
  in force from 2020-01-01
  as at visit.start

scale grade: good > fair > poor
choice subject: provider | registered_manager | manager | other_person

evidence
  visit.start: date
  visit.kind: subject
  caution.subject: subject or none
  previous.overall: grade or none
  visit.arrived: datetime

threshold noon = 12:00

let at_manager = visit.kind is manager

rule caution_outside "para 1"
  when caution.subject is set
    and caution.subject is not provider
    and caution.subject is not registered_manager
  then finding cautioned_outside

rule no_previous "para 2"
  when previous.overall is none
  then finding first_visit

rule poor_before "para 3"
  when previous.overall is set and previous.overall is at most fair and at_manager
  then finding poor_before

rule nobody_to_caution "para 4"
  when caution.subject is set
    and caution.subject is not provider
    and caution.subject is not registered_manager
    and caution.subject is not manager
    and caution.subject is not other_person
  then finding cautioned_nobody

rule before_noon "para 5"
  when date of visit.arrived = visit.start and time of visit.arrived < noon
  then finding early
"#;

fn subjects_record() -> serde_json::Value {
    json!({
        "visit": {"start": "2020-03-02", "kind": "provider", "arrived": "2020-03-02T12:30"},
        "previous": {"overall": "good"}
    })
}

/// A change to a choice or scale says the value the field has now, by its
/// name, as dates and yes/no fields do: it was empty (and for a scale that
/// must become absent, "set").
#[test]
fn a_change_to_a_choice_or_scale_says_its_value_now() {
    let r = Ruleset::from_source(SUBJECTS, &[]).unwrap();
    let record = subjects_record();
    assert_eq!(
        shown_changes(&r, &record, "poor_before"),
        [
            "previous.overall at most fair (now good)",
            "visit.kind manager (now provider), so that at_manager true"
        ]
    );
    assert_eq!(
        shown_changes(&r, &record, "no_previous"),
        ["previous.overall none (now good)"]
    );
    let why = why_not(&r, &record, "poor_before", EvalOptions::default()).unwrap();
    let json = serde_json::to_value(&why).unwrap();
    let nows: Vec<&str> = json["attempts"][0]["to_fire"]["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["now"].as_str().unwrap())
        .collect();
    assert_eq!(nows, ["good", "provider"]);
}

/// `X is set and X is not A and X is not B`: the value given for X is one
/// that is neither A nor B (the first such value of its choice), so that
/// the change makes the rule fire; where no value is neither, no change
/// of X is offered, and the reason names the part it would break.
#[test]
fn a_field_to_be_set_gets_a_value_the_other_parts_allow() {
    let r = Ruleset::from_source(SUBJECTS, &[]).unwrap();
    let mut record = subjects_record();
    let why = why_not(&r, &record, "caution_outside", EvalOptions::default()).unwrap();
    let c = changes(&why);
    assert_eq!(c.len(), 1, "{c:?}");
    assert_eq!(c[0].field, "caution.subject");
    assert_eq!(c[0].needs, Need::Exactly(Amount::Name("manager".into())));
    assert_eq!(c[0].now, "none");
    record["caution"] = json!({"subject": "manager"});
    assert!(fires(&r, &record, "caution_outside"));

    let why = why_not(
        &r,
        &subjects_record(),
        "nobody_to_caution",
        EvalOptions::default(),
    )
    .unwrap();
    let WhyNot::Rule(w) = &why else { panic!() };
    match &w.attempts[0].to_fire {
        Some(Fix::NoSingleChange { reason }) => assert!(
            reason.contains("would make `caution.subject is not other_person` false"),
            "{reason}"
        ),
        other => panic!("no single change: {other:?}"),
    }
}

/// `time of X < noon` on X's own day: the moment X would need, on the same
/// day; `date of X = D`: X on day D at its own time.
#[test]
fn a_time_or_date_of_a_moment_gives_the_moment_needed() {
    let r = Ruleset::from_source(SUBJECTS, &[]).unwrap();
    let mut record = subjects_record();
    assert_eq!(
        shown_changes(&r, &record, "before_noon"),
        ["visit.arrived at most 2020-03-02T11:59:59 (now 2020-03-02T12:30)"]
    );
    record["visit"]["arrived"] = json!("2020-03-02T11:59:59");
    assert!(fires(&r, &record, "before_noon"));

    let mut record = subjects_record();
    record["visit"]["arrived"] = json!("2020-03-03T10:00");
    assert_eq!(
        shown_changes(&r, &record, "before_noon"),
        ["visit.arrived 2020-03-02T10:00 (now 2020-03-03T10:00)"]
    );
    record["visit"]["arrived"] = json!("2020-03-02T10:00");
    assert!(fires(&r, &record, "before_noon"));
}

#[test]
fn a_day_and_a_time_of_one_moment_are_one_change() {
    const NOON: &str = r#"ruleset noon "Noon"
  in force from 2020-01-01

evidence
  visit.start: date
  visit.arrival: datetime

rule arrived_at_noon "para 1"
  when date of visit.arrival = visit.start and time of visit.arrival = 12:00
  then finding arrived_at_noon
"#;
    let r = Ruleset::from_source(NOON, &[]).unwrap();
    let record = json!({"visit": {"start": "2020-03-02", "arrival": "2020-03-03T10:00"}});
    // Working back each part gives 2 March at 10:00 and 3 March at noon;
    // neither makes both hold; 2 March at noon does.
    assert_eq!(
        shown_changes(&r, &record, "arrived_at_noon"),
        ["visit.arrival 2020-03-02T12:00 (now 2020-03-03T10:00)"]
    );
    assert_eq!(checked(&r, &record, "arrived_at_noon"), Checked::Holds);
}

/// `date of X != D`, where D is the record's own date (`as at`): X is moved
/// to the next day, not the record's date.
#[test]
fn a_moment_to_fall_on_another_day_moves_the_moment_not_the_record() {
    let r = Ruleset::from_source(GATE, &[]).unwrap();
    let mut record = gate_record();
    assert_eq!(
        shown_changes(&r, &record, "arrived_another_day"),
        ["visit.arrived 2020-03-03T12:30 (now 2020-03-02T12:30)"]
    );
    record["visit"]["arrived"] = json!("2020-03-03T12:30");
    assert!(fires(&r, &record, "arrived_another_day"));
}

/// `date of X` bounded, with X not known: worked back to X at the first or
/// last moment of the day, which needs no time of X's own; `time of X`
/// with X not known needs X's day, so no single change is offered.
#[test]
fn a_bound_on_the_day_of_an_unknown_moment_is_worked_back() {
    let rules = r#"ruleset moments "Moments"
  edition "2020-01"
  in force from 2020-01-01
  as at visit.start

evidence
  visit.start: date
  visit.notified: datetime or unknown

rule told_before "para 1"
  when date of visit.notified < visit.start
  then finding told_before

rule told_early_in_the_day "para 2"
  when time of visit.notified < 09:00
  then finding told_early
"#;
    let r = Ruleset::from_source(rules, &[]).unwrap();
    let evidence = json!({"visit": {"start": "2020-03-02", "notified": null}});
    let why = why_not(&r, &evidence, "told_before", EvalOptions::default()).unwrap();
    let WhyNot::Rule(rule) = &why else { panic!() };
    match &rule.attempts[0].to_fire {
        Some(Fix::Change {
            changes, checked, ..
        }) => {
            assert_eq!(changes.len(), 1, "{changes:?}");
            assert_eq!(changes[0].field, "visit.notified");
            assert_eq!(changes[0].now, "unknown");
            assert_eq!(
                changes[0].needs,
                Need::AtMost(Amount::DateTime(
                    chrono::NaiveDate::from_ymd_opt(2020, 3, 1)
                        .unwrap()
                        .and_hms_opt(23, 59, 59)
                        .unwrap()
                ))
            );
            assert_eq!(*checked, Checked::Holds);
        }
        other => panic!("a change: {other:?}"),
    }
    let why = why_not(
        &r,
        &evidence,
        "told_early_in_the_day",
        EvalOptions::default(),
    )
    .unwrap();
    let WhyNot::Rule(rule) = &why else { panic!() };
    match &rule.attempts[0].to_fire {
        Some(Fix::NoSingleChange { reason }) => assert_eq!(
            reason,
            "`visit.notified` is not known: recording it with its time before 09:00, on the day it happened, would decide this part"
        ),
        other => panic!("no single change: {other:?}"),
    }
}

/// `date of X = D and time of X < noon`, X the day before at 11:59: X on
/// day D at its own time keeps the time part, which was worked back on X's
/// own day (audit 31, WN1); and X on day D at 12:30, for `time of X =
/// noon`, needs noon on that day, which keeps the day part.
#[test]
fn a_day_changed_keeps_the_time_another_part_needs_of_the_same_moment() {
    let r = Ruleset::from_source(AUDIT31, &[]).unwrap();
    let mut record = audit31_record();
    assert_eq!(
        shown_changes(&r, &record, "arrived_before_noon"),
        ["visit.arrival 2020-03-02T11:59 (now 2020-03-01T11:59)"]
    );
    assert_eq!(checked(&r, &record, "arrived_before_noon"), Checked::Holds);
    record["visit"]["arrival"] = json!("2020-03-02T12:30");
    assert_eq!(
        shown_changes(&r, &record, "arrived_at_noon"),
        ["visit.arrival 2020-03-02T12:00 (now 2020-03-02T12:30)"]
    );
    assert_eq!(checked(&r, &record, "arrived_at_noon"), Checked::Holds);
}

/// `previous.overall > fair` needs the next better value of the scale,
/// `< fair` the next worse, and evaluating again bears both out; where no
/// value is better, the reason says so in a sentence (audit 31, WN2).
#[test]
fn a_comparison_of_a_scale_needs_the_next_better_or_worse_value() {
    let r = Ruleset::from_source(AUDIT31, &[]).unwrap();
    let record = audit31_record();
    let ask = |target| why_not(&r, &record, target, EvalOptions::default()).unwrap();
    let c = changes(&ask("better_before"));
    assert_eq!(c.len(), 1, "{c:?}");
    assert_eq!(c[0].field, "previous.overall");
    assert_eq!(c[0].needs, Need::AtLeast(Amount::Name("good".into())));
    assert_eq!(c[0].now, "fair");
    assert_eq!(checked(&r, &record, "better_before"), Checked::Holds);
    let c = changes(&ask("worse_before"));
    assert_eq!(c[0].needs, Need::AtMost(Amount::Name("poor".into())));
    assert_eq!(checked(&r, &record, "worse_before"), Checked::Holds);
    assert_eq!(
        no_single_change(&ask("better_than_best")),
        "no value of `previous.overall` is better than good; a search of 2 one-field changes, each evaluated again, found none either"
    );
}
