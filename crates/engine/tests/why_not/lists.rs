//! Lists and `for each`: a rule asked about for each element, and `every`,
//! `some` and `no` (in place or in a let) worked back through the elements.

use super::*;

#[test]
fn days_from_a_start_to_an_end_need_a_later_end_for_each_element() {
    let source = r#"ruleset spans "Spans"
  in force from 2020-01-01

record absence
  id: text
  start: date
  end: date

evidence
  absences: list of absence default empty

threshold long_absence = 90 days

rule long_absence "para 5"
  for each absence in absences
  when days from absence.start to absence.end > long_absence
  advise "a long absence"
"#;
    let r = Ruleset::from_source(source, &[]).unwrap();
    let evidence = json!({"absences": [
        {"id": "a1", "start": "2016-02-01", "end": "2016-02-28"},
        {"id": "a2", "start": "2016-02-01", "end": "2016-05-01"}]});
    let why = why_not(&r, &evidence, "long_absence", EvalOptions::default()).unwrap();
    let WhyNot::Rule(rule) = &why else { panic!() };
    assert_eq!(rule.for_each, Some("absences"));
    assert_eq!(rule.attempts.len(), 2);
    assert_eq!(rule.attempts[0].item.as_deref(), Some("a1"));
    // 91 days counting both ends: 1 February to 1 May 2016.
    let Some(Fix::Change {
        changes, checked, ..
    }) = &rule.attempts[0].to_fire
    else {
        panic!("{why:?}")
    };
    // The element a1's end moved, and the rule then fires for a1.
    assert_eq!(checked, &Checked::Holds);
    assert_eq!(changes[0].field, "absence.end");
    assert_eq!(
        changes[0].needs,
        Need::AtLeast(Amount::Date("2016-05-01".parse().unwrap()))
    );
    let text = why_not_text(&r, &why);
    assert!(text.contains("It did not fire for a1"), "{text}");
    assert!(text.contains("It fired for a2"), "{text}");
}

/// A `for each` rule that ran for no element says why: the record gave its
/// list of the evidence none; or, for a sequence of months, it was empty or
/// an end of it was not known (and a part that reads no month was false).
#[test]
fn a_for_each_rule_that_ran_for_no_element_says_whether_the_record_gave_its_list_none() {
    let source = r#"ruleset absences "Absences"
  in force from 2020-01-01

record absence
  id: text
  start: date
  end: date

evidence
  home.open: bool
  home.opened: date or unknown
  absences: list of absence default empty

rule long_absence "para 5"
  for each absence in absences
  when days from absence.start to absence.end > 90 days
  advise "a long absence"

let every_absence = absences

rule long_absence_again "para 5"
  for each absence in every_absence
  when days from absence.start to absence.end > 90 days
  advise "a long absence"

rule monthly_return "para 6"
  for each month in months from home.opened to 2020-12-01
  when home.open and month > 2020-06-01
  advise "a monthly return"
"#;
    let r = Ruleset::from_source(source, &[]).unwrap();
    let asked = |evidence: serde_json::Value, rule: &str| {
        let why = why_not(&r, &evidence, rule, EvalOptions::default()).unwrap();
        let WhyNot::Rule(answer) = &why else {
            panic!("{why:?}")
        };
        let json = serde_json::to_value(&why).unwrap();
        assert_eq!(
            json.get("empty_list").is_some(),
            answer.empty_list,
            "{json}"
        );
        (
            answer.attempts.len(),
            answer.empty_list,
            why_not_text(&r, &why),
        )
    };
    for given in [
        json!({"home": {"open": true}, "absences": []}),
        json!({"home": {"open": true}}),
    ] {
        let (attempts, empty, text) = asked(given, "long_absence");
        assert_eq!((attempts, empty), (0, true));
        assert!(
            text.contains("It did not fire: it runs for each element of absences, and the record gives that list no element."),
            "{text}"
        );
    }
    // Through a let that names the list.
    let (attempts, empty, text) = asked(json!({"home": {"open": true}}), "long_absence_again");
    assert_eq!((attempts, empty), (0, true));
    assert!(
        text.contains("every_absence, and the record gives that list no element."),
        "{text}"
    );
    let one = json!({"home": {"open": true}, "absences": [{"id": "a1", "start": "2020-01-01", "end": "2020-01-02"}]});
    assert_eq!(asked(one, "long_absence").0, 1);
    // The months from a date not known, with a part that reads no month false.
    let (attempts, empty, text) = asked(json!({"home": {"open": false}}), "monthly_return");
    assert_eq!((attempts, empty), (0, false));
    assert!(
        text.contains("which gave none: it was empty, or an end of it was not known"),
        "{text}"
    );
}

#[test]
fn a_yes_no_field_of_the_element_and_is_set_name_what_to_change() {
    let source = r#"ruleset notices "Notices"
  in force from 2020-01-01

record notice
  id: text
  met: bool
  checked: date or none

evidence
  notices: list of notice default empty

rule unmet "para 1"
  for each n in notices
  when not n.met and n.checked is set
  then action enforce
"#;
    let r = Ruleset::from_source(source, &[]).unwrap();
    let evidence = json!({"notices": [{"id": "n1", "met": true}]});
    let why = why_not(&r, &evidence, "unmet", EvalOptions::default()).unwrap();
    let c = changes(&why);
    let shown: Vec<String> = c
        .iter()
        .map(|c| format!("{} {} (now {})", c.field, c.needs, c.now))
        .collect();
    assert_eq!(
        shown,
        ["n.met false (now true)", "n.checked set (now none)"]
    );
    // "set" names no value to try.
    let WhyNot::Rule(rule) = &why else { panic!() };
    let Some(Fix::Change { checked, .. }) = &rule.attempts[0].to_fire else {
        panic!("{why:?}")
    };
    assert!(
        matches!(checked, Checked::Unchecked { reason } if reason.contains("n.checked")),
        "{checked:?}"
    );
}

#[test]
fn a_choice_or_scale_field_of_the_element_names_the_value_needed() {
    let source = r#"ruleset shortfalls "Shortfalls"
  in force from 2020-01-01

scale grade: good > fair > poor
choice outcome: requirement | recommendation | neither

record shortfall
  id: text
  outcome: outcome
  grade: grade

evidence
  shortfalls: list of shortfall default empty

rule neither_is "para 1"
  for each s in shortfalls
  when s.outcome is neither
  then finding left_open

rule neither_equals "para 2"
  for each s in shortfalls
  when s.outcome = neither
  then finding left_open_too

rule poor_grade "para 3"
  for each s in shortfalls
  when s.grade is at most fair
  then finding weak

rule left_as_neither "para 4"
  for each s in shortfalls
  when s.outcome is not requirement and s.outcome is not recommendation
  then finding neither_given
"#;
    let r = Ruleset::from_source(source, &[]).unwrap();
    let evidence = json!({"shortfalls": [{"id": "a1", "outcome": "requirement", "grade": "good"}]});
    let shown = |rule: &str| -> Vec<String> {
        let why = why_not(&r, &evidence, rule, EvalOptions::default()).unwrap();
        changes(&why)
            .iter()
            .map(|c| format!("{} {} (now {})", c.field, c.needs, c.now))
            .collect()
    };
    assert_eq!(shown("neither_is"), ["s.outcome neither (now requirement)"]);
    assert_eq!(
        shown("neither_equals"),
        ["s.outcome neither (now requirement)"]
    );
    assert_eq!(shown("poor_grade"), ["s.grade at most fair (now good)"]);
    // Not "anything but requirement": the other part rules out
    // recommendation too.
    assert_eq!(
        shown("left_as_neither"),
        ["s.outcome neither (now requirement)"]
    );
}

/// A ruleset whose rules ask `every`, `some` and `no` of a list of records.
const LISTS: &str = r#"ruleset lists "Lists"
  in force from 2020-01-01

record requirement
  id: text
  met: bool
  days: number

evidence
  requirements: list of requirement default empty

rule all_met "para 1"
  when every r in requirements satisfies r.met
  then action award

rule one_long "para 2"
  when some r in requirements satisfies r.days > 30
  then action review

rule none_unmet "para 3"
  when no r in requirements satisfies not r.met
  then action close
"#;

/// The changes offered for `rule` on `requirements`, each as `field now ->
/// needs`, and how evaluating again judged them.
fn list_changes(requirements: serde_json::Value, rule: &str) -> (Vec<String>, Checked) {
    let r = Ruleset::from_source(LISTS, &[]).unwrap();
    let record = json!({ "requirements": requirements });
    let why = why_not(&r, &record, rule, EvalOptions::default()).unwrap();
    let WhyNot::Rule(w) = &why else {
        panic!("a rule: {why:?}")
    };
    match &w.attempts[0].to_fire {
        Some(Fix::Change {
            changes, checked, ..
        }) => (
            changes
                .iter()
                .map(|c| format!("{} {} -> {}", c.field, c.now, c.needs))
                .collect(),
            checked.clone(),
        ),
        other => panic!("a change for {rule}: {other:?}"),
    }
}

#[test]
fn a_quantifier_is_worked_back_to_the_elements_that_must_change() {
    let three = json!([
        {"id": "a", "met": true, "days": 10},
        {"id": "b", "met": false, "days": 20},
        {"id": "c", "met": false, "days": 25}
    ]);
    // `every`: each element that is not met must be.
    assert_eq!(
        list_changes(three.clone(), "all_met"),
        (
            vec![
                "requirements[1].met false -> true".to_string(),
                "requirements[2].met false -> true".to_string()
            ],
            Checked::Holds
        )
    );
    // `some`: one element is enough, the first of those needing fewest.
    assert_eq!(
        list_changes(three.clone(), "one_long"),
        (
            vec!["requirements[0].days 10 -> at least 31".to_string()],
            Checked::Holds
        )
    );
    // `no ... satisfies not met`: as `every`, the elements not met.
    assert_eq!(
        list_changes(three, "none_unmet").0,
        vec![
            "requirements[1].met false -> true".to_string(),
            "requirements[2].met false -> true".to_string()
        ]
    );
}

#[test]
fn a_quantifier_over_an_empty_list_has_no_element_to_change() {
    let r = Ruleset::from_source(LISTS, &[]).unwrap();
    let why = why_not(&r, &json!({}), "one_long", EvalOptions::default()).unwrap();
    let text = why_not_text(&r, &why);
    assert!(
        text.contains("Working back finds no single change of evidence that would make it fire"),
        "{text}"
    );
}

/// A let that is `some` or `every` over an evidence list is worked back
/// through its elements, as the same condition written in place is.
#[test]
fn a_let_over_a_list_is_worked_back_through_its_elements() {
    let r = Ruleset::from_source(WORKED_BACK, &[]).unwrap();
    let record = worked_back_record();
    let ask = |target| why_not(&r, &record, target, EvalOptions::default()).unwrap();
    let fields = |why: &WhyNot<'_>| -> Vec<(String, Need)> {
        changes(why)
            .into_iter()
            .map(|c| (c.field, c.needs))
            .collect()
    };
    assert_eq!(
        fields(&ask("all_late")),
        [
            (
                "reqs[0].late".to_string(),
                Need::Exactly(Amount::Bool(true))
            ),
            (
                "reqs[1].late".to_string(),
                Need::Exactly(Amount::Bool(true))
            )
        ]
    );
    assert_eq!(
        fields(&ask("any_late")),
        [(
            "reqs[0].late".to_string(),
            Need::Exactly(Amount::Bool(true))
        )]
    );
}

/// `every a in L satisfies days from a.start to a.end < N`: each element
/// that does not needs its end moved, worked back from the dates the
/// record gives the element (audit 31, WN4).
#[test]
fn days_from_inside_every_is_worked_back_for_each_element() {
    let r = Ruleset::from_source(AUDIT31, &[]).unwrap();
    let record = audit31_record();
    assert_eq!(
        shown_changes(&r, &record, "all_short"),
        [
            "absences[1].end on or before 2020-02-15 (now 2020-03-01)",
            "absences[2].end on or before 2019-11-27 (now 2019-12-31)"
        ]
    );
    assert_eq!(checked(&r, &record, "all_short"), Checked::Holds);
}

/// A comparison inside `some` with a field of the `for each` element: the
/// change of that field says its value now, and is offered before a change
/// of another element's id, which would name two elements alike (audit 31,
/// WN5).
#[test]
fn a_comparison_inside_some_changes_the_other_side_before_an_id() {
    let r = Ruleset::from_source(AUDIT31, &[]).unwrap();
    let record = audit31_record();
    let why = why_not(&r, &record, "remark_on_fixed_slip", EvalOptions::default()).unwrap();
    let WhyNot::Rule(w) = &why else { panic!() };
    // Each element's changes, as field, value needed and value now.
    let fixes: Vec<(Vec<String>, Checked)> = w
        .attempts
        .iter()
        .map(|a| match &a.to_fire {
            Some(Fix::Change {
                changes, checked, ..
            }) => (
                changes
                    .iter()
                    .map(|c| format!("{} {} now {:?}", c.field, c.needs, c.now))
                    .collect(),
                checked.clone(),
            ),
            other => panic!("a change: {other:?}"),
        })
        .collect();
    assert_eq!(
        fixes,
        [
            (
                vec![r#"remark.slip m1 now "m0""#.to_string()],
                Checked::Holds
            ),
            (
                vec![r#"remark.slip m1 now "none""#.to_string()],
                Checked::Holds
            )
        ]
    );
}
