//! Each change checked by evaluating the record again: borne out, not enough
//! (and why), left out where the others do without it, or not checked.

use super::*;

#[test]
fn a_change_offered_is_evaluated_again_and_holds() {
    let r = ruleset();
    // children 3 needs 5: with 5 the rule fires.
    assert_eq!(
        checked(&r, &evidence(), "too_many_children"),
        Checked::Holds
    );
    // A date worked back through a let of days.
    let mut recent = evidence();
    recent["manager"]["vacant_since"] = json!("2020-02-20");
    assert_eq!(checked(&r, &recent, "long_vacancy"), Checked::Holds);
    // A field the record leaves out is made, objects and all.
    let mut bare = evidence();
    bare.as_object_mut().unwrap().remove("notice");
    assert_eq!(checked(&r, &bare, "late_notice"), Checked::Holds);
}

#[test]
fn a_change_that_moves_a_judgement_the_rule_reads_is_said_not_to_be_enough() {
    // `visit.kind is not full` wants anything but full; but at a monitoring
    // visit another rule caps leadership, which the rule reads too. Working
    // back part by part cannot see that; evaluating the record again does.
    const MOVES: &str = r#"ruleset moves "Moves"
  edition "2020-01"
  in force from 2020-01-01
  as at visit.start

scale grade: good > fair > poor
choice kind: full | interim | monitoring

evidence
  visit.start: date
  visit.kind: kind
  proposed.leadership: grade

judgement leadership: grade from proposed.leadership

rule monitoring_caps_leadership "para 1"
  when visit.kind is monitoring
  then leadership at most fair

rule good_leaders_away_from_full "para 2"
  when visit.kind is not full and leadership is good
  then action praise
"#;
    let r = Ruleset::from_source(MOVES, &[]).unwrap();
    let record = json!({
        "visit": {"start": "2020-03-02", "kind": "full"},
        "proposed": {"leadership": "good"}
    });
    let Checked::Fails { tried, failures } = checked(&r, &record, "good_leaders_away_from_full")
    else {
        panic!("monitoring moves leadership")
    };
    // interim works; monitoring caps leadership, so the rule does not fire.
    assert_eq!(tried, 2);
    assert_eq!(failures.len(), 1);
    assert_eq!(failures[0].with, ["visit.kind monitoring"]);
    assert_eq!(failures[0].because, "the rule still does not fire");
    let why = why_not(
        &r,
        &record,
        "good_leaders_away_from_full",
        EvalOptions::default(),
    )
    .unwrap();
    let text = why_not_text(&r, &why);
    assert!(
        text.contains("Working back its condition gives:\n  visit.kind anything but full (now full)\nBut evaluated again with each value it allows, not every one is enough: with visit.kind monitoring, the rule still does not fire."),
        "{text}"
    );
    // Where the record allows only monitoring besides full, nothing does.
    let leadership_fair = json!({
        "visit": {"start": "2020-03-02", "kind": "interim"},
        "proposed": {"leadership": "fair"}
    });
    let why = why_not(
        &r,
        &leadership_fair,
        "leadership=good",
        EvalOptions::default(),
    )
    .unwrap();
    let WhyNot::Judgement(j) = &why else { panic!() };
    assert!(j.held_by.is_empty(), "{j:?}");
}

#[test]
fn a_change_that_gets_the_record_refused_says_so() {
    const REFUSED: &str = r#"ruleset refused "Refused"
  edition "2020-01"
  in force from 2020-01-01
  as at visit.start

evidence
  visit.start: date
  home.children: number
  home.beds: number

invalid more_children_than_beds "more children than beds"
  when home.children > home.beds

rule crowded "para 1"
  when home.children > 4
  then action review_numbers
"#;
    let r = Ruleset::from_source(REFUSED, &[]).unwrap();
    let record = json!({"visit": {"start": "2020-03-02"}, "home": {"children": 3, "beds": 3}});
    let Checked::Fails { tried, failures } = checked(&r, &record, "crowded") else {
        panic!("five children in three beds is refused")
    };
    assert_eq!(tried, 1);
    assert!(failures[0].with.is_empty());
    assert!(
        failures[0]
            .because
            .starts_with("the record is then refused: "),
        "{}",
        failures[0].because
    );
    let why = why_not(&r, &record, "crowded", EvalOptions::default()).unwrap();
    let text = why_not_text(&r, &why);
    assert!(
        text.contains("But evaluated again with that change, the record is then refused: "),
        "{text}"
    );
    assert!(
        text.ends_with(", so it is not enough on its own.\n"),
        "{text}"
    );
}

#[test]
fn a_change_the_others_make_unneeded_is_left_out() {
    // The gate shuts where the situation is not safe or the requirement is
    // not met; the finding needs the gate shut and the requirement not met.
    // Working back gives a change for each false part (the situation, for
    // the gate, and the requirement), but the requirement alone does both.
    const GATE: &str = r#"ruleset gate "Gate"
  in force from 2020-01-01

evidence
  situation.safe: bool
  requirement.met: bool

let gate_shut = not situation.safe or not requirement.met

rule requirement_not_met "para 1"
  when gate_shut and not requirement.met
  then finding requirement_not_met
"#;
    let r = Ruleset::from_source(GATE, &[]).unwrap();
    let record = json!({"situation": {"safe": true}, "requirement": {"met": true}});
    let shown = shown_changes(&r, &record, "requirement_not_met");
    assert_eq!(shown, ["requirement.met false (now true)"]);
    assert_eq!(checked(&r, &record, "requirement_not_met"), Checked::Holds);
}

#[test]
fn is_set_beside_a_value_for_the_same_field_is_one_change_and_is_checked() {
    let r = ruleset();
    let mut none = evidence();
    none["manager"]["vacant_since"] = serde_json::Value::Null;
    // `manager.vacant_since is set and vacancy >= vacancy_limit`: the date
    // the second part needs sets the field, so "set" is not said as well,
    // and the one change can be tried.
    assert_eq!(
        shown_changes(&r, &none, "long_vacancy"),
        ["manager.vacant_since on or before 2019-12-23 (now none), so that vacancy at least 70 days (10 weeks)"]
    );
    assert_eq!(checked(&r, &none, "long_vacancy"), Checked::Holds);
}

#[test]
fn anything_but_a_date_is_tried_on_the_days_either_side() {
    const SAME: &str = r#"ruleset same "Same"
  in force from 2020-01-01

evidence
  visit.start: date
  visit.planned: date

rule moved "para 1"
  when visit.start != visit.planned
  then finding visit_moved
"#;
    let r = Ruleset::from_source(SAME, &[]).unwrap();
    let record = json!({"visit": {"start": "2020-03-02", "planned": "2020-03-02"}});
    assert_eq!(checked(&r, &record, "moved"), Checked::Holds);
}

#[test]
fn a_change_that_dates_the_record_outside_the_edition_is_said_not_to_be_enough() {
    // Working back `visit.start < 2019-12-01` gives a start of 2019-11-30,
    // before the edition is in force: no edition of the ruleset would
    // evaluate that record, so the change does not bear the answer out.
    const DATED: &str = r#"ruleset dated "Dated"
  edition "2020-01"
  in force from 2020-01-01
  as at visit.start

evidence
  visit.start: date
  visit.end: date

rule early_visit "para 1"
  when visit.start < 2019-12-01
  then action early

rule short_visit "para 2"
  when visit.end < 2020-02-01
  then action short
"#;
    let r = Ruleset::from_source(DATED, &[]).unwrap();
    let record = json!({"visit": {"start": "2020-03-02", "end": "2020-03-03"}});
    // With the edition chosen by the record's date.
    let why = why_not_in_force(&r, &record, "early_visit", EvalOptions::default()).unwrap();
    let WhyNot::Rule(w) = &why else { panic!() };
    let Some(Fix::Change {
        checked: Checked::Fails { tried, failures },
        ..
    }) = &w.attempts[0].to_fire
    else {
        panic!("dated outside the edition: {why:?}")
    };
    assert_eq!(*tried, 1);
    assert_eq!(
        failures[0].because,
        "the record is then dated 2019-11-30, outside edition 2020-01 (from 2020-01-01)"
    );
    // With the edition named (`why_not`, as `--edition` asks), any date is
    // evaluated by it, and the change holds.
    assert_eq!(checked(&r, &record, "early_visit"), Checked::Holds);
    // A date that does not choose the edition moves freely.
    assert_eq!(checked(&r, &record, "short_visit"), Checked::Holds);
}

/// The first 20 of `fixes` were evaluated again and hold; the rest are said
/// to be unchecked, for `reason`.
fn first_twenty_checked(fixes: &[&Option<Fix>], reason: &str) {
    for (n, fix) in fixes.iter().enumerate() {
        let Some(Fix::Change { checked, .. }) = fix else {
            panic!("a change for {n}")
        };
        if n < 20 {
            assert_eq!(checked, &Checked::Holds, "{n}");
        } else {
            assert_eq!(
                checked,
                &Checked::Unchecked {
                    reason: reason.into()
                },
                "{n}"
            );
        }
    }
}

#[test]
fn the_changes_of_the_first_twenty_elements_are_evaluated_again_and_the_rest_said_not_to_be() {
    // Each check evaluates the whole record again: checking every element
    // of a long list would take time growing with the square of its length.
    const LISTED: &str = r#"ruleset listed "Listed"
  edition "2020-01"
  in force from 2020-01-01
  as at visit.start

record absence
  id: text
  days: number

evidence
  visit.start: date
  absences: list of absence default empty

rule long_absence "para 1"
  for each absence in absences
  when absence.days >= 28
  then action notify
"#;
    let r = Ruleset::from_source(LISTED, &[]).unwrap();
    let absences: Vec<serde_json::Value> = (0..25)
        .map(|i| json!({"id": format!("a{i}"), "days": 3}))
        .collect();
    let record = json!({"visit": {"start": "2020-03-02"}, "absences": absences});
    let why = why_not(&r, &record, "long_absence", EvalOptions::default()).unwrap();
    let WhyNot::Rule(w) = &why else { panic!() };
    assert_eq!(w.attempts.len(), 25);
    let fixes: Vec<&Option<Fix>> = w.attempts.iter().map(|a| &a.to_fire).collect();
    first_twenty_checked(
        &fixes,
        "only the changes for the first 20 of the 25 elements that need one are",
    );
    let text = why_not_text(&r, &why);
    assert!(text.contains("It would fire for a19 with:"), "{text}");
    assert!(
        text.contains(
            "Working back its condition for a20 gives:\n  absence.days at least 28 (now 3)\n\
             Not evaluated again with that change: only the changes for the first 20 of the 25 elements that need one are.\n"
        ),
        "{text}"
    );
    // Elements where the rule fired need no change and take no check: the
    // one element of 25 that needs one is checked.
    let absences: Vec<serde_json::Value> = (0..25)
        .map(|i| json!({"id": format!("a{i}"), "days": if i == 24 { 3 } else { 30 }}))
        .collect();
    let record = json!({"visit": {"start": "2020-03-02"}, "absences": absences});
    let why = why_not(&r, &record, "long_absence", EvalOptions::default()).unwrap();
    let WhyNot::Rule(w) = &why else { panic!() };
    let Some(Fix::Change { checked, .. }) = &w.attempts[24].to_fire else {
        panic!("a change for the last element")
    };
    assert_eq!(checked, &Checked::Holds);
}

#[test]
fn the_first_twenty_caps_of_a_judgement_are_checked_and_the_rest_said_not_to_be() {
    // A cap of a `for each` rule holds once for each element it fired on.
    const CAPPED: &str = r#"ruleset capped "Capped"
  edition "2020-01"
  in force from 2020-01-01
  as at visit.start

scale grade: good > poor

record req
  id: text
  met: bool

evidence
  visit.start: date
  requirements: list of req default empty
  proposed.overall: grade

judgement overall: grade from proposed.overall

rule unmet_caps "para 1"
  for each r in requirements
  when not r.met
  then overall at most poor
"#;
    let r = Ruleset::from_source(CAPPED, &[]).unwrap();
    let requirements: Vec<serde_json::Value> = (0..25)
        .map(|i| json!({"id": format!("r{i}"), "met": false}))
        .collect();
    let record = json!({
        "visit": {"start": "2020-03-02"},
        "requirements": requirements,
        "proposed": {"overall": "good"}
    });
    let why = why_not(&r, &record, "overall=good", EvalOptions::default()).unwrap();
    let WhyNot::Judgement(j) = &why else { panic!() };
    assert_eq!(j.held_by.len(), 25);
    // Evaluated again: the requirement met, its cap no longer applies.
    let fixes: Vec<&Option<Fix>> = j.held_by.iter().map(|h| &h.to_release).collect();
    first_twenty_checked(
        &fixes,
        "only the changes for the first 20 of the 25 caps and floors are",
    );
}

/// A comparison both of whose sides can change gives both ways: where the
/// one preferred (not the record's own date) is not borne out once the
/// record is evaluated again (an earlier previous inspection would come
/// before the agency was registered, which refuses the record), the other
/// is given instead. Before, a date moved by months could not be worked
/// back, and the record's own date was the only way; and the preferred way
/// hid the other.
#[test]
fn a_comparison_whose_preferred_side_is_not_borne_out_gives_the_other() {
    let source = r#"ruleset cycle "An inspection cycle"
  edition "2020-01"
  in force from 2016-01-01
  as at inspection.start

evidence
  inspection.start: date
  agency.registered: date
  agency.previous_inspection: date or none

threshold cycle = 36 months

invalid previous_before_registration "the previous inspection is before the agency was registered"
  when agency.previous_inspection is set and agency.previous_inspection < agency.registered

let inspection_by = agency.previous_inspection + cycle

rule cycle_inspection_late "p1"
  when agency.previous_inspection is set and inspection.start > inspection_by
  then finding inspection_late
"#;
    let r = Ruleset::from_source(source, &[]).unwrap();
    let evidence = json!({
        "inspection": {"start": "2025-02-28"},
        "agency": {"registered": "2022-02-28", "previous_inspection": "2022-02-28"}
    });
    let why = why_not(
        &r,
        &evidence,
        "cycle_inspection_late",
        EvalOptions::default(),
    )
    .unwrap();
    let c = changes(&why);
    assert_eq!(c.len(), 1, "{c:?}");
    assert_eq!(c[0].field, "inspection.start");
    assert_eq!(
        c[0].needs,
        Need::AtLeast(Amount::Date("2025-03-01".parse().unwrap()))
    );
    let WhyNot::Rule(rule) = &why else {
        panic!("{why:?}")
    };
    assert!(
        matches!(
            &rule.attempts[0].to_fire,
            Some(Fix::Change {
                checked: Checked::Holds,
                ..
            })
        ),
        "{why:?}"
    );

    // Registered earlier, the previous inspection can move back: the way
    // preferred, worked back through the months of the let.
    let evidence = json!({
        "inspection": {"start": "2025-02-28"},
        "agency": {"registered": "2020-01-01", "previous_inspection": "2022-02-28"}
    });
    let why = why_not(
        &r,
        &evidence,
        "cycle_inspection_late",
        EvalOptions::default(),
    )
    .unwrap();
    let c = changes(&why);
    assert_eq!(c[0].field, "agency.previous_inspection");
    assert_eq!(
        c[0].needs,
        Need::AtMost(Amount::Date("2022-02-27".parse().unwrap()))
    );
}

/// "Anything but" the only value of a choice leaves no value to try: the
/// change is unchecked, and not said to hold, as nothing was evaluated.
#[test]
fn anything_but_the_only_value_of_a_choice_is_not_said_to_hold() {
    const ONE: &str = r#"ruleset one "One value"
  in force from 2020-01-01
  as at visit.start

choice kind: full

evidence
  visit.start: date
  visit.kind: kind

rule not_full "para 1"
  when visit.kind is not full
  then action look
"#;
    let r = Ruleset::from_source(ONE, &[]).unwrap();
    let record = json!({"visit": {"start": "2020-03-02", "kind": "full"}});
    let Checked::Unchecked { reason } = checked(&r, &record, "not_full") else {
        panic!("nothing to try")
    };
    assert_eq!(reason, "`visit.kind` can hold no other value to try");
}
