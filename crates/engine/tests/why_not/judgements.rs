//! Judgements: the caps and floors that hold one from a value and what would
//! release them, a withheld judgement, and rules that read a judgement.

use super::*;

#[test]
fn a_part_reading_a_judgement_is_worked_back_to_the_proposal_it_is_made_from() {
    let r = ruleset();
    let mut evidence = evidence();
    evidence["proposed"]["care"] = json!("good");
    let why = why_not(
        &r,
        &evidence,
        "poor_care_caps_overall",
        EvalOptions::default(),
    )
    .unwrap();
    let WhyNot::Rule(rule) = &why else { panic!() };
    let Some(Fix::Change {
        changes, checked, ..
    }) = &rule.attempts[0].to_fire
    else {
        panic!("{why:?}")
    };
    // `care is poor` reads the judgement care, made from proposed.care:
    // the proposal is the change, and evaluating again bears it out.
    assert_eq!(changes.len(), 1, "{changes:?}");
    assert_eq!(changes[0].field, "proposed.care");
    assert_eq!(changes[0].now, "good");
    assert_eq!(changes[0].needs, Need::Exactly(Amount::Name("poor".into())));
    assert_eq!(changes[0].via, ["care poor"]);
    assert_eq!(*checked, Checked::Holds);
    let text = why_not_text(&r, &why);
    assert!(
        text.contains("proposed.care poor (now good), so that care poor"),
        "{text}"
    );
}

#[test]
fn a_cap_holding_a_judgement_down_is_named_with_what_it_read() {
    let r = ruleset();
    let why = ask(&r, "overall=good");
    let WhyNot::Judgement(j) = &why else { panic!() };
    assert_eq!(j.value, Some("fair"));
    assert_eq!(j.proposed, Some("good"));
    assert_eq!(j.held_by.len(), 1);
    let h = &j.held_by[0];
    assert_eq!(h.constraint.rule, "poor_care_caps_overall");
    assert_eq!(h.constraint.cite, "para 1");
    assert!(h.binding);
    assert_eq!(h.values[0].to_string(), "care = poor");
    let text = why_not_text(&r, &why);
    assert!(text.contains("Why is overall not good?"), "{text}");
    assert!(
        text.contains("rule poor_care_caps_overall (para 1): overall at most fair (binding)"),
        "{text}"
    );
    // `overall` alone asks about the best value of its scale.
    assert_eq!(ask(&r, "overall"), why);
}

#[test]
fn a_cap_is_not_offered_to_raise_a_judgement_nor_a_floor_to_lower_one() {
    let r = Ruleset::from_source(
        r#"ruleset small "A small ruleset"
  edition "2020-01"
  in force from 2020-01-01
  as at visit.start

scale grade: good > fair > poor

evidence
  visit.start: date
  proposed.overall: grade
  care.poor: bool
  care.strong: bool
  home.closed: bool

judgement overall: grade from proposed.overall

rule poor_care_caps_overall "para 1"
  when care.poor
  then overall at most fair

rule strong_care_floors_overall "para 2"
  when care.strong
  then overall at least fair

rule closed_home "para 3"
  when home.closed
  then no overall judgement
"#,
        &[],
    )
    .unwrap();
    let givers = |proposed: &str, closed: bool, target: &str| {
        let evidence = json!({
            "visit": {"start": "2020-03-02"},
            "proposed": {"overall": proposed},
            "care": {"poor": false, "strong": false},
            "home": {"closed": closed}
        });
        let why = why_not(&r, &evidence, target, EvalOptions::default()).unwrap();
        let WhyNot::Judgement(j) = &why else { panic!() };
        let rules: Vec<&str> = j.would_give.iter().map(|g| g.rule).collect();
        (rules, why_not_text(&r, &why))
    };
    // Good: only the cap would bring it down to fair.
    assert_eq!(
        givers("good", false, "overall=fair").0,
        ["poor_care_caps_overall"]
    );
    // Poor: only the floor would bring it up to fair.
    assert_eq!(
        givers("poor", false, "overall=fair").0,
        ["strong_care_floors_overall"]
    );
    // Not made (withheld): neither bound makes it.
    let (rules, text) = givers("good", true, "overall=fair");
    assert!(rules.is_empty(), "{rules:?}");
    assert!(!text.contains("Rules that would make it fair"), "{text}");
}

#[test]
fn a_value_the_judgement_has_is_not_held_away() {
    let r = ruleset();
    let WhyNot::Judgement(j) = ask(&r, "overall=fair") else {
        panic!()
    };
    assert!(j.already());
    assert!(j.held_by.is_empty());
}

/// Releasing a cap: working back finds two ways (no previous judgement, or
/// the requirement met); the cheaper, no previous judgement, would leave
/// the judgement not made at all, so evaluating again takes the other.
#[test]
fn a_release_that_leaves_the_judgement_not_made_gives_way_to_another() {
    let r = Ruleset::from_source(GATE, &[]).unwrap();
    let why = why_not(&r, &gate_record(), "overall=good", EvalOptions::default()).unwrap();
    let WhyNot::Judgement(j) = &why else {
        panic!("a judgement: {why:?}")
    };
    let Some(Fix::Change {
        changes, checked, ..
    }) = &j.held_by[0].to_release
    else {
        panic!("a change: {:?}", j.held_by)
    };
    assert_eq!(checked, &Checked::Holds);
    let [c] = changes.as_slice() else {
        panic!("one change: {changes:?}")
    };
    assert_eq!(c.field, "requirement.met");
}

/// The gate with its requirements as a list of records, or (`plain`) as a
/// list of yes/no values, one of them not met.
fn listed_gate(plain: bool) -> (Ruleset, serde_json::Value) {
    let (record, every, element) = if plain {
        ("", "every q in requirements satisfies q", json!(false))
    } else {
        (
            "\nrecord requirement\n  id: text\n  met: bool\n",
            "every q in requirements satisfies q.met",
            json!({"id": "r1", "met": false}),
        )
    };
    let list = if plain {
        "  requirements: list of bool default empty\n"
    } else {
        "  requirements: list of requirement default empty\n"
    };
    let listed = GATE
        .replace("  requirement.met: bool\n", list)
        .replace(
            "scale grade: good > fair > poor\n",
            &format!("scale grade: good > fair > poor\n{record}"),
        )
        .replace("not requirement.met", &format!("not ({every})"));
    let r = Ruleset::from_source(&listed, &[]).unwrap();
    let mut record = gate_record();
    record.as_object_mut().unwrap().remove("requirement");
    record["requirements"] = json!([element]);
    (r, record)
}

/// What would release `overall` from the cap of the gate over a list.
fn listed_release(plain: bool) -> (Vec<Change>, Checked) {
    let (r, record) = listed_gate(plain);
    let why = why_not(&r, &record, "overall=good", EvalOptions::default()).unwrap();
    let WhyNot::Judgement(j) = &why else {
        panic!("a judgement: {why:?}")
    };
    let Some(Fix::Change {
        changes, checked, ..
    }) = &j.held_by[0].to_release
    else {
        panic!("a change: {:?}", j.held_by)
    };
    (changes.clone(), checked.clone())
}

/// Where no other way is found (the requirements are a list of plain
/// values, which is not worked back), the answer says the release is not
/// enough, and why.
#[test]
fn a_release_that_leaves_the_judgement_not_made_is_said_not_to_be_enough() {
    let (changes, checked) = listed_release(true);
    assert_eq!(changes[0].field, "previous.overall", "{changes:?}");
    let Checked::Fails { failures, .. } = checked else {
        panic!("not enough: {checked:?}")
    };
    assert!(
        failures[0]
            .because
            .contains("overall is then not made: withheld by rule shut_gate"),
        "{failures:?}"
    );
}

/// With a list of records, the requirement not met is the other way, found
/// through the element and borne out.
#[test]
fn a_release_through_an_element_of_a_list_is_found_and_borne_out() {
    let (changes, checked) = listed_release(false);
    assert_eq!(changes.len(), 1, "{changes:?}");
    assert_eq!(changes[0].field, "requirements[0].met");
    assert_eq!(changes[0].now, "false");
    assert_eq!(changes[0].needs, Need::Exactly(Amount::Bool(true)));
    assert_eq!(checked, Checked::Holds);
}

/// A judgement withheld by a rule: the answer says what would stop that
/// rule applying, checked by evaluating again.
#[test]
fn a_withheld_judgement_says_what_would_release_it() {
    let r = Ruleset::from_source(GATE, &[]).unwrap();
    let mut record = gate_record();
    record["previous"]["overall"] = serde_json::Value::Null;
    let why = why_not(&r, &record, "overall=good", EvalOptions::default()).unwrap();
    let WhyNot::Judgement(j) = &why else {
        panic!("a judgement: {why:?}")
    };
    assert!(
        matches!(j.to_release, Some(Fix::Change { .. })),
        "{:?}",
        j.to_release
    );
    let text = why_not_text(&r, &why);
    assert!(
        text.contains("withheld by rule shut_gate") && text.contains("it would not apply with"),
        "{text}"
    );
}

/// The proposal is said once, with the value asked about where it differs.
#[test]
fn the_proposal_is_said_once() {
    let r = Ruleset::from_source(GATE, &[]).unwrap();
    let why = why_not(&r, &gate_record(), "overall=poor", EvalOptions::default()).unwrap();
    let text = why_not_text(&r, &why);
    assert!(
        text.contains("It is fair (the inspector proposed good, not poor)."),
        "{text}"
    );
    assert_eq!(text.matches("proposed").count(), 1, "{text}");
}

/// A rule undecided only because the judgement its condition reads is
/// provisional says so, not that it read evidence that is not known: the
/// evidence it read is known (audit 31 WN7).
#[test]
fn a_rule_undecided_by_a_provisional_judgement_says_so() {
    let source = r#"ruleset prov "Provisional"
  in force from 2020-01-01

scale grade: good > fair > poor

evidence
  visit.start: date
  proposed.care: grade
  proposed.overall: grade
  notice.met: bool or unknown

judgement care: grade from proposed.care
judgement overall: grade from proposed.overall

rule notice_unmet "p1"
  when not notice.met
  then care = poor

rule care_caps_overall "p2"
  when care is poor
  then overall at most fair
"#;
    let r = Ruleset::from_source(source, &[]).unwrap();
    let evidence = json!({
        "visit": {"start": "2020-12-14"},
        "proposed": {"care": "good", "overall": "good"}
    });
    let why = why_not(&r, &evidence, "care_caps_overall", EvalOptions::default()).unwrap();
    let WhyNot::Rule(rule) = &why else {
        panic!("{why:?}")
    };
    assert_eq!(rule.attempts[0].result, RuleResult::Undetermined);
    let text = why_not_text(&r, &why);
    assert!(
        text.contains("its condition reads a judgement that is provisional"),
        "{text}"
    );
    assert!(!text.contains("evidence that is not known"), "{text}");

    // Undecided for want of evidence it reads itself: as before.
    let why = why_not(&r, &evidence, "notice_unmet", EvalOptions::default()).unwrap();
    let text = why_not_text(&r, &why);
    assert!(
        text.contains("its condition read evidence that is not known"),
        "{text}"
    );
}

#[test]
fn a_proposal_that_a_floor_keeps_from_moving_the_judgement_is_said_not_to_be_enough() {
    let r = Ruleset::from_source(
        r#"ruleset floored "A floor under care"
  edition "2020-01"
  in force from 2020-01-01
  as at visit.start

scale grade: good > fair > poor

evidence
  visit.start: date
  home.secure: bool
  proposed.care: grade

judgement care: grade from proposed.care

rule secure_care_floor "para 1"
  when home.secure
  then care at least fair

rule poor_care_review "para 2"
  when care is poor
  then action review_care
"#,
        &[],
    )
    .unwrap();
    let evidence = json!({
        "visit": {"start": "2020-03-02"},
        "home": {"secure": true},
        "proposed": {"care": "good"}
    });
    let why = why_not(&r, &evidence, "poor_care_review", EvalOptions::default()).unwrap();
    let WhyNot::Rule(rule) = &why else { panic!() };
    let Some(Fix::Change {
        changes, checked, ..
    }) = &rule.attempts[0].to_fire
    else {
        panic!("{why:?}")
    };
    assert_eq!(changes[0].field, "proposed.care");
    // With care proposed poor, the floor still makes it fair.
    let Checked::Fails { failures, .. } = checked else {
        panic!("{checked:?}")
    };
    assert_eq!(failures[0].because, "the rule still does not fire");
    let text = why_not_text(&r, &why);
    assert!(text.contains("not enough on its own"), "{text}");
}
