//! "Why not?" as a rule author asks it: a rule that did not fire, the part
//! that was false, and the value of evidence it would need; a judgement
//! held below a value by a cap.

#![allow(
    clippy::panic,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "a test fails by panicking"
)]

use judgement_engine::outcome::RuleResult;
use judgement_engine::why_not::{Amount, Change, Checked, Fix, Need, Truth, WhyNot};
use judgement_engine::{
    why_not, why_not_in_force, why_not_text, EvalOptions, Ruleset, WhyNotError,
};
use serde_json::json;

const RULES: &str = r#"ruleset small "A small ruleset"
  edition "2020-01"
  in force from 2020-01-01
  as at visit.start

scale grade: good > fair > poor

evidence
  visit.start: date
  manager.vacant_since: date or none
  home.children: number
  home.secure: bool
  notice.sent: date or unknown
  proposed.overall: grade
  proposed.care: grade
  visit.arrived: datetime or none
  visit.told: datetime or none

threshold vacancy_limit = 10 weeks
threshold most_children = 4
threshold notice_by = 2020-02-01

let vacancy = visit.start - manager.vacant_since

judgement care: grade from proposed.care
judgement overall: grade from proposed.overall

rule poor_care_caps_overall "para 1"
  when care is poor
  then overall at most fair

rule long_vacancy "para 2"
  when manager.vacant_since is set and vacancy >= vacancy_limit
  then action case_review

rule too_many_children "para 3"
  when home.children > most_children
  then action review_numbers

rule late_notice "para 4"
  when notice.sent > notice_by
  then action chase_notice

rule secure_or_large "para 5"
  when home.secure or home.children >= 10
  then action extra_visit

rule secure_and_large "para 6"
  when home.secure and home.children >= 10 and care is poor
  then action special_review

invalid negative_children "a negative number of children"
  when home.children < 0

let secure_home = home.secure
let always = true

rule secure_visit "para 7"
  when secure_home
  then action secure_visit

rule told_after_arrival "para 9"
  when visit.told is set and visit.arrived is set and visit.told > visit.arrived
  then finding told_late

rule never_fires "para 8"
  when not always
  then action never
"#;

fn ruleset() -> Ruleset {
    Ruleset::from_source(RULES, &[]).unwrap()
}

fn evidence() -> serde_json::Value {
    json!({
        "visit": {"start": "2020-03-02"},
        "manager": {"vacant_since": "2020-01-10"},
        "home": {"children": 3, "secure": false},
        "notice": {"sent": "2020-01-20"},
        "proposed": {"overall": "good", "care": "poor"}
    })
}

fn ask<'r>(r: &'r Ruleset, target: &str) -> WhyNot<'r> {
    why_not(r, &evidence(), target, EvalOptions::default()).unwrap()
}

/// The changes that would make the one attempt of a rule fire.
fn changes(why: &WhyNot<'_>) -> Vec<Change> {
    let WhyNot::Rule(r) = why else {
        panic!("a rule: {why:?}")
    };
    match &r.attempts[0].to_fire {
        Some(Fix::Change { changes, .. }) => changes.clone(),
        other => panic!("a change: {other:?}"),
    }
}

#[test]
fn a_threshold_on_a_number_gives_the_value_needed() {
    let r = ruleset();
    let why = ask(&r, "too_many_children");
    let c = changes(&why);
    assert_eq!(c.len(), 1);
    assert_eq!(c[0].field, "home.children");
    assert_eq!(c[0].now, "3");
    // `> 4`: the nearest whole number is 5.
    assert_eq!(c[0].needs, Need::AtLeast(Amount::Number(5)));
    let text = why_not_text(&r, &why);
    assert!(
        text.contains("It did not fire: its condition was false."),
        "{text}"
    );
    assert!(
        text.contains("FALSE  home.children > most_children"),
        "{text}"
    );
    assert!(text.contains("home.children at least 5 (now 3)"), "{text}");
}

#[test]
fn a_threshold_on_days_between_dates_gives_the_date_needed() {
    let r = ruleset();
    let why = ask(&r, "long_vacancy");
    let WhyNot::Rule(rule) = &why else { panic!() };
    let condition = rule.attempts[0].condition.as_ref().unwrap();
    assert_eq!(condition.truth, Truth::False);
    assert_eq!(condition.parts[0].truth, Truth::True);
    assert_eq!(condition.parts[1].truth, Truth::False);
    assert_eq!(condition.parts[1].text, "vacancy >= vacancy_limit");
    let c = changes(&why);
    // 70 days before 2 March 2020 is 23 December 2019; the start date picks
    // the edition, so the vacancy's own date is the one to change.
    assert_eq!(c[0].field, "manager.vacant_since");
    assert_eq!(
        c[0].needs,
        Need::AtMost(Amount::Date("2019-12-23".parse().unwrap()))
    );
    let text = why_not_text(&r, &why);
    assert!(
        text.contains("manager.vacant_since on or before 2019-12-23 (now 2020-01-10), so that vacancy at least 70 days (10 weeks)"),
        "{text}"
    );
}

#[test]
fn a_date_after_a_threshold_date_needs_the_day_after() {
    let r = ruleset();
    let c = changes(&ask(&r, "late_notice"));
    assert_eq!(c[0].field, "notice.sent");
    assert_eq!(
        c[0].needs,
        Need::AtLeast(Amount::Date("2020-02-02".parse().unwrap()))
    );
}

#[test]
fn an_or_needs_the_cheapest_part_and_an_and_every_false_part() {
    let r = ruleset();
    // Either part alone would do; of two single changes, the count past
    // its bound is what the rule weighs, before the yes/no.
    let any = changes(&ask(&r, "secure_or_large"));
    assert_eq!(any.len(), 1, "{any:?}");
    assert_eq!(any[0].field, "home.children");
    assert_eq!(any[0].needs, Need::AtLeast(Amount::Number(10)));
    let all = ask(&r, "secure_and_large");
    let c = changes(&all);
    let fields: Vec<&str> = c.iter().map(|c| c.field.as_str()).collect();
    // `care is poor` already holds: only the two false parts change.
    assert_eq!(fields, ["home.secure", "home.children"]);
    assert_eq!(c[1].needs, Need::AtLeast(Amount::Number(10)));
}

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
fn a_rule_that_fired_says_so_and_why() {
    let r = ruleset();
    let why = ask(&r, "poor_care_caps_overall");
    let WhyNot::Rule(rule) = &why else { panic!() };
    assert_eq!(rule.attempts[0].to_fire, None);
    let text = why_not_text(&r, &why);
    assert!(text.contains("It fired: its condition held."), "{text}");
    assert!(text.contains("care is poor   [care = poor]"), "{text}");
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

#[test]
fn a_target_too_long_to_be_a_name_is_unknown_and_shown_by_its_start() {
    let r = ruleset();
    let long = format!("action:{}", "x".repeat(1_000_000));
    let err = why_not(&r, &evidence(), &long, EvalOptions::default()).unwrap_err();
    assert!(matches!(err, WhyNotError::UnknownTarget { .. }), "{err}");
    let message = err.to_string();
    assert!(message.len() < 400, "{} bytes", message.len());
    assert!(message.contains("... (1000007 characters)"), "{message}");
}

#[test]
fn an_unknown_name_suggests_the_nearest() {
    let r = ruleset();
    let err = why_not(&r, &evidence(), "long_vacency", EvalOptions::default()).unwrap_err();
    assert!(matches!(err, WhyNotError::UnknownTarget { .. }));
    assert!(
        err.to_string().contains("did you mean `long_vacancy`?"),
        "{err}"
    );
    let err = why_not(&r, &evidence(), "overall=god", EvalOptions::default()).unwrap_err();
    assert!(err.to_string().contains("did you mean `good`?"), "{err}");
    // A kind and a name written apart are written with the colon.
    for (target, meant) in [
        ("action urgent_case_review", "action:urgent_case_review"),
        ("deadline  return_visit", "deadline:return_visit"),
    ] {
        let err = why_not(&r, &evidence(), target, EvalOptions::default()).unwrap_err();
        assert!(matches!(err, WhyNotError::UnknownTarget { .. }), "{err}");
        assert!(
            err.to_string()
                .ends_with(&format!("did you mean `{meant}`?")),
            "{target}: {err}"
        );
    }
}

/// A let that is one value is worked back to that value; a let the
/// ruleset fixes is said to be fixed, not "derived from several values".
#[test]
fn a_let_of_one_value_is_read_through_and_a_fixed_one_named() {
    let r = ruleset();
    let why = ask(&r, "secure_visit");
    let c = changes(&why);
    assert_eq!(c.len(), 1);
    assert_eq!(c[0].field, "home.secure");
    assert_eq!(c[0].needs, Need::Exactly(Amount::Bool(true)));
    assert_eq!(c[0].via, vec!["secure_home true".to_string()]);
    let why = ask(&r, "never_fires");
    let text = why_not_text(&r, &why);
    assert!(
        text.contains("`always` is true in the ruleset itself, whatever the evidence"),
        "{text}"
    );
    assert!(!text.contains("several values"), "{text}");
}

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

/// An `invalid` check is not a rule why-not answers for: it says so.
#[test]
fn a_check_is_named_as_a_check() {
    let r = ruleset();
    let err = why_not(&r, &evidence(), "negative_children", EvalOptions::default()).unwrap_err();
    assert!(matches!(err, WhyNotError::Check { .. }), "{err}");
    assert!(err.to_string().contains("is an `invalid` check"), "{err}");
}

/// A rule asked about with a value is told it is a rule, not "did you
/// mean" its own name.
#[test]
fn a_rule_given_a_value_is_told_to_ask_without_one() {
    let r = ruleset();
    let err = why_not(&r, &evidence(), "long_vacancy=good", EvalOptions::default()).unwrap_err();
    assert!(matches!(err, WhyNotError::RuleWithValue { .. }), "{err}");
    assert_eq!(
        err.to_string(),
        "`long_vacancy` is a rule, not a judgement: `long_vacancy=good` asks for a judgement's value; ask `long_vacancy` alone for why the rule did or did not fire"
    );
}

#[test]
fn unknown_evidence_is_named_and_still_worked_back() {
    let r = ruleset();
    let mut evidence = evidence();
    evidence["notice"] = json!({});
    let why = why_not(&r, &evidence, "late_notice", EvalOptions::default()).unwrap();
    let WhyNot::Rule(rule) = &why else { panic!() };
    assert_eq!(
        rule.attempts[0].result,
        judgement_engine::outcome::RuleResult::Undetermined
    );
    let c = changes(&why);
    assert_eq!(c[0].now, "unknown");
}

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

/// `x is none` is one part with its own truth: read as not `x is set`, it
/// was once shown as two lines of the same words with opposite truths.
#[test]
fn is_none_is_one_part_with_its_own_truth() {
    let source = RULES.replace(
        "rule poor_care_caps_overall",
        "rule no_vacancy \"para 7\"\n  when manager.vacant_since is none\n  then action thank_manager\n\nrule poor_care_caps_overall",
    );
    let r = Ruleset::from_source(&source, &[]).unwrap();
    let why = why_not(&r, &evidence(), "no_vacancy", EvalOptions::default()).unwrap();
    let WhyNot::Rule(rule) = &why else { panic!() };
    let condition = rule.attempts[0].condition.as_ref().unwrap();
    assert_eq!(condition.text, "manager.vacant_since is none");
    assert_eq!(condition.truth, Truth::False);
    assert!(condition.parts.is_empty(), "{condition:?}");
    let text = why_not_text(&r, &why);
    assert!(
        text.contains("FALSE  manager.vacant_since is none   [manager.vacant_since = 2020-01-10]"),
        "{text}"
    );
    assert!(
        !text.contains("true   manager.vacant_since is none"),
        "{text}"
    );
}

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

/// The changes to make `rule` fire on `record`, as the text gives them:
/// checked ("It would fire with") or not ("Working back ... gives", then
/// why it was not evaluated again).
fn shown_changes(r: &Ruleset, record: &serde_json::Value, rule: &str) -> Vec<String> {
    let why = why_not(r, record, rule, EvalOptions::default()).unwrap();
    let text = why_not_text(r, &why);
    let (_, after) = text
        .split_once("It would fire with:\n")
        .or_else(|| text.split_once("Working back its condition gives:\n"))
        .unwrap_or_else(|| panic!("a change: {text}"));
    after
        .lines()
        .take_while(|l| l.starts_with("  "))
        .map(|l| l.trim().to_string())
        .collect()
}

/// Whether `rule` fired on `record`.
fn fires(r: &Ruleset, record: &serde_json::Value, rule: &str) -> bool {
    let why = why_not(r, record, rule, EvalOptions::default()).unwrap();
    let WhyNot::Rule(w) = why else { panic!() };
    w.attempts.iter().all(|a| a.result == RuleResult::Fired)
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

/// How evaluating the record again judged the change offered to the one
/// attempt of `rule`.
fn checked(r: &Ruleset, record: &serde_json::Value, rule: &str) -> Checked {
    let why = why_not(r, record, rule, EvalOptions::default()).unwrap();
    let WhyNot::Rule(w) = &why else {
        panic!("a rule: {why:?}")
    };
    match &w.attempts[0].to_fire {
        Some(Fix::Change { checked, .. }) => checked.clone(),
        other => panic!("a change: {other:?}"),
    }
}

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

/// A gate: the previous judgement stands while a requirement is not met,
/// and with none, no judgement is made; and a moment that must fall on
/// another day than the record's own date.
const GATE: &str = r#"ruleset gate "Gate"
  edition "2020-01"
  in force from 2020-01-01
  as at visit.start

scale grade: good > fair > poor

evidence
  visit.start: date
  visit.arrived: datetime
  previous.overall: grade or none
  requirement.met: bool
  proposed.overall: grade

judgement overall: grade from proposed.overall

rule previous_stands "p 1"
  when previous.overall is set and not requirement.met
  then overall = previous.overall

rule shut_gate "p 2"
  when previous.overall is none and not requirement.met
  then no judgement

rule arrived_another_day "p 3"
  when date of visit.arrived != visit.start
  then finding late_arrival
"#;

fn gate_record() -> serde_json::Value {
    json!({
        "visit": {"start": "2020-03-02", "arrived": "2020-03-02T12:30"},
        "previous": {"overall": "fair"},
        "requirement": {"met": false},
        "proposed": {"overall": "good"}
    })
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

/// Empty text is shown as `""` where a change or a value read names it,
/// not as nothing.
#[test]
fn empty_text_is_shown_in_quotes() {
    const REASON: &str = r#"ruleset reason "Reason"
  in force from 2020-01-01

evidence
  reason: text or none

rule reason_given "p 1"
  when reason is set and reason != ""
  then finding reason_stated
"#;
    let r = Ruleset::from_source(REASON, &[]).unwrap();
    let record = json!({"reason": ""});
    assert_eq!(
        shown_changes(&r, &record, "reason_given"),
        [r#"reason anything but "" (now "")"#]
    );
    let why = why_not(&r, &record, "reason_given", EvalOptions::default()).unwrap();
    let text = why_not_text(&r, &why);
    assert!(text.contains(r#"[reason = ""]"#), "{text}");
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

/// Two rules give the action `review`; one of them is also a rule called
/// `review`, and `notice_review` is both a finding and a deadline.
const EFFECTS: &str = r#"ruleset effects "Effects asked about by name"
  edition "2020-01"
  in force from 2020-01-01
  as at visit.start

evidence
  visit.start: date
  home.children: number
  home.secure: bool or unknown
  notice.sent: date or none

rule many_children "para 1"
  when home.children > 4
  then action review
  then finding crowded

rule secure_home "para 2"
  when home.secure
  then action review

rule review "para 3"
  when notice.sent is set
  then finding notice_review
  then deadline notice_review = notice.sent + 2 weeks
"#;

fn ask_effect(children: u32, target: &str) -> Result<String, WhyNotError> {
    let r = Ruleset::from_source(EFFECTS, &[]).unwrap();
    let evidence = json!({
        "visit": {"start": "2020-03-02"},
        "home": {"children": children, "secure": null},
        "notice": {"sent": null}
    });
    let why = why_not(&r, &evidence, target, EvalOptions::default())?;
    let text = why_not_text(&r, &why);
    let json = serde_json::to_value(&why).unwrap();
    match why {
        WhyNot::Effect(e) => {
            assert_eq!(json["kind"], "effect", "{json}");
            assert_eq!(json["name"], e.name, "{json}");
            assert_eq!(json["given"], e.given, "{json}");
            let rules: Vec<&str> = e.rules.iter().map(|r| r.rule).collect();
            assert_eq!(json["rules"].as_array().unwrap().len(), rules.len());
            Ok(format!("{} {:?}\n{text}", json["effect"], rules))
        }
        _ => Ok(format!("not an effect\n{text}")),
    }
}

#[test]
fn an_action_not_given_is_answered_for_each_rule_that_gives_it() {
    let answer = ask_effect(3, "action:review").unwrap();
    assert!(
        answer.starts_with("\"action\" [\"many_children\", \"secure_home\"]\n"),
        "{answer}"
    );
    assert!(
        answer.contains(
            "It was not given: rules many_children and secure_home give it, and none fired \
             (secure_home could not be decided)."
        ),
        "{answer}"
    );
    // Each rule's own answer follows, with the change that would make it
    // fire, checked by evaluating the record again.
    assert!(
        answer.contains("Why not rule many_children (para 1)?"),
        "{answer}"
    );
    assert!(
        answer.contains("home.children at least 5 (now 3)"),
        "{answer}"
    );
    assert!(
        answer.contains("Why not rule secure_home (para 2)?"),
        "{answer}"
    );
}

#[test]
fn an_action_given_names_the_rule_that_gave_it() {
    let answer = ask_effect(6, "action:review").unwrap();
    assert!(
        answer.contains("It was given by rule many_children."),
        "{answer}"
    );
}

#[test]
fn a_name_alone_is_an_effect_only_where_no_rule_has_it_and_it_is_of_one_kind() {
    // `crowded` is only a finding.
    let answer = ask_effect(3, "crowded").unwrap();
    assert!(
        answer.starts_with("\"finding\" [\"many_children\"]\n"),
        "{answer}"
    );
    assert!(answer.contains("Why not finding crowded?"), "{answer}");
    assert!(
        answer.contains("It was not given: rule many_children gives it, and did not fire."),
        "{answer}"
    );
    // `review` is a rule (asked about as one) as well as an action.
    let answer = ask_effect(3, "review").unwrap();
    assert!(
        answer.starts_with("not an effect\nWhy not rule review"),
        "{answer}"
    );
    // A deadline by its kind, where its name is a finding's too.
    let answer = ask_effect(3, "deadline:notice_review").unwrap();
    assert!(
        answer.starts_with("\"deadline\" [\"review\"]\n"),
        "{answer}"
    );
}

#[test]
fn a_name_of_two_kinds_or_an_unknown_kind_is_an_error_that_says_what_to_ask() {
    for (target, message) in [
        (
            "notice_review",
            "`notice_review` is the name of a finding and a deadline: ask \
             `finding:notice_review` or `deadline:notice_review`",
        ),
        // A value belongs to a judgement.
        (
            "crowded=yes",
            "`crowded` is the name of a finding: ask `finding:crowded`",
        ),
        (
            "action:reveiw",
            "no action `reveiw` is given by a rule of ruleset effects: did you mean `review`?",
        ),
        // A value after an effect's name, no name.
        (
            "action:review=yes",
            "`action:review` takes no value: an action is given or not; ask `action:review` alone",
        ),
        (
            "finding: ",
            "no name is given after `finding:`: write `finding:NAME`",
        ),
        (
            "action:=x",
            "no name is given after `action:`: write `action:NAME`",
        ),
    ] {
        assert_eq!(
            ask_effect(3, target).unwrap_err().to_string(),
            message,
            "{target}"
        );
    }
    let err = ask_effect(3, "advice:crowded").unwrap_err();
    assert!(matches!(err, WhyNotError::UnknownKind { .. }), "{err}");
    // A finding is not an action.
    let err = ask_effect(3, "action:crowded").unwrap_err();
    assert!(matches!(err, WhyNotError::UnknownEffect { .. }), "{err}");
    let err = ask_effect(3, "action:many_children").unwrap_err();
    assert!(
        err.to_string().ends_with(
            "`many_children` is the name of a rule or a judgement: ask `many_children` alone"
        ),
        "{err}"
    );
    let r = ruleset();
    let err = why_not(&r, &evidence(), "overall=", EvalOptions::default()).unwrap_err();
    assert!(
        err.to_string()
            .starts_with("no value is given after `overall=`"),
        "{err}"
    );
    // A colon in a judgement's value is no kind of target.
    let err = why_not(&r, &evidence(), "overall=good:x", EvalOptions::default()).unwrap_err();
    assert!(matches!(err, WhyNotError::UnknownValue { .. }), "{err}");
    let err = ask_effect(3, " =x").unwrap_err();
    assert!(matches!(err, WhyNotError::NoName { after: None }), "{err}");
    let err = ask_effect(3, "finding:review").unwrap_err();
    assert!(
        err.to_string()
            .ends_with(": it is the name of an action: ask `action:review`"),
        "{err}"
    );
    let err = ask_effect(3, "crowdd").unwrap_err();
    assert!(
        err.to_string().ends_with("did you mean `crowded`?"),
        "{err}"
    );
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

/// A number of days a field needs is written in the JSON as the evidence
/// writes it (`28`), so that a tool can put it in the record; the text
/// keeps `28 days (4 weeks)`.
#[test]
fn days_needed_are_a_number_in_the_json() {
    let rules = r#"ruleset spans "Spans"
  edition "2020-01"
  in force from 2020-01-01
  as at visit.start

evidence
  visit.start: date
  absence.length: days

rule long_absence "para 1"
  when absence.length >= 4 weeks
  then finding long_absence
"#;
    let r = Ruleset::from_source(rules, &[]).unwrap();
    let evidence = json!({"visit": {"start": "2020-03-02"}, "absence": {"length": 27}});
    let why = why_not(&r, &evidence, "long_absence", EvalOptions::default()).unwrap();
    let json = serde_json::to_value(&why).unwrap();
    let change = &json["attempts"][0]["to_fire"]["changes"][0];
    assert_eq!(change["needs"]["value"], 28, "{json}");
    assert_eq!(
        json["attempts"][0]["to_fire"]["checked"]["result"], "holds",
        "{json}"
    );
    let text = why_not_text(&r, &why);
    assert!(
        text.contains("absence.length at least 28 days (4 weeks) (now 27 days)"),
        "{text}"
    );
}

/// A rule that fires does not always give its action: one whose due date
/// is not known is listed as undetermined. Given is what the outcome lists,
/// and a change is borne out only where the outcome then lists the action.
#[test]
fn an_action_whose_due_date_is_not_known_was_not_given() {
    let rules = r#"ruleset dues "Due dates"
  edition "2020-01"
  in force from 2020-01-01
  as at visit.start

evidence
  visit.start: date
  home.children: number
  notice.sent: date or unknown

rule many_children "para 1"
  when home.children > 4
  then action review by notice.sent + 2 weeks
"#;
    let r = Ruleset::from_source(rules, &[]).unwrap();
    let ask = |children: u32, sent: serde_json::Value| {
        let evidence = json!({
            "visit": {"start": "2020-03-02"},
            "home": {"children": children},
            "notice": {"sent": sent}
        });
        let why = why_not(&r, &evidence, "action:review", EvalOptions::default()).unwrap();
        let text = why_not_text(&r, &why);
        let WhyNot::Effect(e) = why else { panic!() };
        (e, text)
    };
    // Fired, but no due date: not given.
    let (e, text) = ask(6, serde_json::Value::Null);
    assert!(!e.given && e.given_by.is_empty(), "{e:?}");
    assert!(
        text.contains(
            "It was not given: rule many_children fired, but a date it needs is not known, \
             so the outcome lists it as undetermined."
        ),
        "{text}"
    );
    // Not fired, no due date: the change that makes the rule fire does not
    // give the action, and is said not to be enough, with why.
    let (e, _) = ask(3, serde_json::Value::Null);
    match &e.rules[0].attempts[0].to_fire {
        Some(Fix::Change {
            checked: Checked::Fails { failures, .. },
            ..
        }) => assert!(
            failures[0]
                .because
                .contains("a date the action needs is not known"),
            "{failures:?}"
        ),
        other => panic!("a change that fails: {other:?}"),
    }
    // With the date, the same change holds, and once fired it is given.
    let (e, _) = ask(3, json!("2020-02-01"));
    assert!(
        matches!(
            e.rules[0].attempts[0].to_fire,
            Some(Fix::Change {
                checked: Checked::Holds,
                ..
            })
        ),
        "{e:?}"
    );
    let (e, text) = ask(6, json!("2020-02-01"));
    assert!(e.given && e.given_by == ["many_children"], "{e:?}");
    assert!(
        text.contains("It was given by rule many_children."),
        "{text}"
    );
}

/// The rules of the why-not fixes of audit 28: a let that is a quantifier
/// over a list, and a window of dates or numbers.
const WORKED_BACK: &str = r#"ruleset worked "Worked back"
  edition "2020-01"
  in force from 2020-01-01
  as at visit.start

scale grade: good > fair > poor

record req
  id: text
  late: bool
  met: date or none

evidence
  visit.start: date
  visit.end: date
  visit.feedback: date
  report.received: date
  n: number
  previous.overall: grade or none
  proposed.overall: grade
  reqs: list of req default empty

let anylate = some r in reqs satisfies r.late
let alllate = every r in reqs satisfies r.late
let unmet = some r in reqs satisfies r.met is none or r.met > visit.feedback

judgement overall: grade from proposed.overall

rule any_late "p1"
  when anylate
  then action x1

rule all_late "p2"
  when alllate
  then action x2

rule received_during_visit "p3"
  when report.received >= visit.start and report.received <= visit.end
  then finding received_on_site

rule never "p4"
  when n > 3 and n < 2
  then finding never

rule all_met "p5"
  when not unmet
  then finding all_met
"#;

fn worked_back_record() -> serde_json::Value {
    json!({
        "visit": {"start": "2020-03-02", "end": "2020-03-04", "feedback": "2020-03-04"},
        "report": {"received": "2020-02-20"},
        "n": 0,
        "previous": {"overall": "poor"},
        "proposed": {"overall": "good"},
        "reqs": [
            {"id": "q1", "late": false, "met": "2020-02-01"},
            {"id": "q2", "late": false}
        ]
    })
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

/// A change for one part of an `and` keeps the parts that hold: a date
/// needed on or after a window's start, where another part needs it on or
/// before the end, is the window's first day; where no value keeps both,
/// the answer says so.
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

/// Where working back finds no single change (a value computed from
/// several: the longest run of spells), a search tries values of the
/// fields the rule reads, one at a time, and offers the nearest that the
/// record evaluated again bears out (audit 58, F4, and audit 59: VAA
/// `absences_in_a_row_over_90_days`). Where none does, the reason says how
/// many were tried.
/// Spells of a list, and a rule on their longest run: a value computed
/// from several, which working back cannot take apart.
const RUNS: &str = r#"ruleset runs "Runs"
  in force from 2015-01-01

record spell
  id: text
  start: date
  end: date

evidence
  visit.start: date
  spells: list of spell

let longest = longest run from s.start to s.end for s in spells

rule long_run "para 1"
  when longest > 90 days
  advise "spells run for {longest} in a row"
"#;

#[test]
fn a_search_finds_one_change_where_working_back_finds_none() {
    let r = Ruleset::from_source(RUNS, &[]).unwrap();
    // Two spells of 40 and 41 days, a day apart: 81 days, then 41.
    let record = json!({
        "visit": {"start": "2016-06-01"},
        "spells": [
            {"id": "a", "start": "2016-01-01", "end": "2016-02-09"},
            {"id": "b", "start": "2016-02-11", "end": "2016-03-22"}
        ]
    });
    // Whichever value it is, the record with it fires the rule.
    let c = &searched_change(&why_not(&r, &record, "long_run", EvalOptions::default()).unwrap());
    let mut changed = record.clone();
    let (list, rest) = c.field.split_once('[').unwrap();
    let (index, field) = rest.split_once("].").unwrap();
    assert_eq!(list, "spells");
    let Need::Exactly(Amount::Date(d)) = &c.needs else {
        panic!("{c:?}")
    };
    changed[list][index.parse::<usize>().unwrap()][field] = json!(d.to_string());
    assert!(fires(&r, &changed, "long_run"), "{c:?}");

    // Nor can any one date make a run of more than 2,000 days of spells
    // in 2014 and 2016.
    let r = Ruleset::from_source(&RUNS.replace("90 days", "2000 days"), &[]).unwrap();
    let apart = json!({
        "visit": {"start": "2016-06-01"},
        "spells": [
            {"id": "a", "start": "2014-01-01", "end": "2014-01-10"},
            {"id": "b", "start": "2016-01-01", "end": "2016-01-10"}
        ]
    });
    let reason =
        no_single_change(&why_not(&r, &apart, "long_run", EvalOptions::default()).unwrap());
    assert!(
        reason.contains("is computed from several values")
            && reason.contains("one-field changes, each evaluated again, found none either"),
        "{reason}"
    );
}

/// The one change a rule's answer offers, checked to hold.
fn searched_change(why: &WhyNot<'_>) -> Change {
    let WhyNot::Rule(rule) = why else {
        panic!("a rule: {why:?}")
    };
    let Some(Fix::Change {
        changes, checked, ..
    }) = &rule.attempts[0].to_fire
    else {
        panic!("{why:?}")
    };
    assert_eq!(*checked, Checked::Holds, "{changes:?}");
    assert_eq!(changes.len(), 1, "{changes:?}");
    changes[0].clone()
}

#[test]
fn a_search_changes_or_adds_an_element_of_a_list_of_plain_dates() {
    let r = Ruleset::from_source(
        r#"ruleset missing "Missing"
  in force from 2015-01-01

evidence
  visit.start: date
  visit.end: date
  went_missing: list of date default empty

rule track "para 1"
  when some d in went_missing satisfies d >= visit.start and d <= visit.end
  then action track
"#,
        &[],
    )
    .unwrap();
    let ask = |record: &serde_json::Value| {
        searched_change(&why_not(&r, record, "track", EvalOptions::default()).unwrap())
    };
    // No element: one is added, a date of the record's own.
    let none = json!({"visit": {"start": "2016-03-01", "end": "2016-03-04"}});
    let c = ask(&none);
    assert_eq!(
        (c.field.as_str(), c.now.as_str()),
        ("went_missing[0]", "none")
    );
    let Need::Exactly(Amount::Date(d)) = c.needs else {
        panic!("{c:?}")
    };
    let mut changed = none.clone();
    changed["went_missing"] = json!([d.to_string()]);
    assert!(fires(&r, &changed, "track"), "{c:?}");
    // The same where the list is written out empty, or as null.
    for empty in [json!([]), serde_json::Value::Null] {
        let mut record = none.clone();
        record["went_missing"] = empty;
        assert_eq!(ask(&record).field, "went_missing[0]");
    }
    // Two dates outside the visit: one of them moved into it, or a third
    // added; whichever it is, the record with it fires the rule.
    let two = json!({
        "visit": {"start": "2016-03-01", "end": "2016-03-04"},
        "went_missing": ["2016-01-10", "2016-02-28"]
    });
    let c = ask(&two);
    let Need::Exactly(Amount::Date(d)) = c.needs else {
        panic!("{c:?}")
    };
    let index: usize = c
        .field
        .strip_prefix("went_missing[")
        .and_then(|i| i.strip_suffix(']'))
        .unwrap()
        .parse()
        .unwrap();
    assert!(index <= 2, "{c:?}");
    let mut changed = two.clone();
    match changed["went_missing"].as_array_mut().unwrap() {
        items if index == items.len() => items.push(json!(d.to_string())),
        items => items[index] = json!(d.to_string()),
    }
    assert!(fires(&r, &changed, "track"), "{c:?}");
    // An element added has no value now to be near: the record's own
    // dates are tried for it among the nearest (as for a field with no
    // value), so the visit's first day is added before 2016-02-28 is moved
    // on two days.
    assert_eq!(
        (c.field.as_str(), d.to_string().as_str()),
        ("went_missing[2]", "2016-03-01")
    );
}

#[test]
fn a_searched_change_says_what_a_field_left_out_holds() {
    let unknown_end = RUNS.replace("  end: date\n", "  end: date or unknown\n");
    assert_ne!(unknown_end, RUNS);
    let r = Ruleset::from_source(&unknown_end, &[]).unwrap();
    // The second spell's end is not known: left out, it reads as unknown,
    // and the change says so (not "none").
    let record = json!({
        "visit": {"start": "2016-06-01"},
        "spells": [
            {"id": "a", "start": "2016-01-01", "end": "2016-02-09"},
            {"id": "b", "start": "2016-02-10"}
        ]
    });
    let c = searched_change(&why_not(&r, &record, "long_run", EvalOptions::default()).unwrap());
    assert_eq!(
        (c.field.as_str(), c.now.as_str()),
        ("spells[1].end", "unknown"),
        "{c:?}"
    );
}

#[test]
fn text_that_is_empty_or_blank_needs_empty_text_or_any_that_is_not() {
    let r = Ruleset::from_source(
        r#"ruleset notes "Notes"
  in force from 2015-01-01

evidence
  visit.reason: text or none
  visit.note: text

rule reason_given "para 1"
  when visit.reason is set and visit.reason is not empty
  then action read_reason

rule no_note "para 2"
  when visit.note is empty
  then action ask_for_note
"#,
        &[],
    )
    .unwrap();
    let ask = |record: &serde_json::Value, rule: &str| {
        searched_change(&why_not(&r, record, rule, EvalOptions::default()).unwrap())
    };
    // Nothing but spaces, or none: any text that is not blank, checked
    // with one. `is set` says nothing more where `is not empty` is asked.
    for (reason, now) in [(json!("  "), "\"  \""), (serde_json::Value::Null, "none")] {
        let record = json!({"visit": {"reason": reason, "note": "seen"}});
        let c = ask(&record, "reason_given");
        assert_eq!(
            (c.field.as_str(), c.now.as_str(), &c.needs),
            ("visit.reason", now, &Need::NotBlank)
        );
        let value = serde_json::to_value(&c.needs).unwrap();
        assert_eq!(value, json!({"relation": "not_blank"}));
    }
    // A note that is not blank: empty text.
    let c = ask(
        &json!({"visit": {"reason": "x", "note": "seen"}}),
        "no_note",
    );
    assert_eq!(
        (c.field.as_str(), &c.needs),
        ("visit.note", &Need::Exactly(Amount::Name(String::new())))
    );
}

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

/// The rules of the why-not fixes of audit 31: a day and a time of one
/// moment, a comparison of a scale's values, `is set` of a let computed
/// from a field or taken from a list, `days from` inside `every`, and a
/// comparison inside `some` with a field of the `for each` element.
const AUDIT31: &str = r#"ruleset audit31 "Audit 31"
  edition "2020-01"
  in force from 2020-01-01
  as at visit.start

scale grade: good > fair > poor

record absence
  id: text
  start: date
  end: date
  expected: days

record slip
  id: text
  fixed: bool
  minor: bool

record remark
  id: text
  slip: text or none

evidence
  visit.start: date
  visit.end: date or none
  visit.arrival: datetime
  previous.overall: grade or none
  report.due: date
  absences: list of absence default empty
  slips: list of slip default empty
  remarks: list of remark default empty

threshold noon = 12:00
threshold report_time = 30 days
threshold long_absence = 90 days
threshold short_absence = 28 days

let report_expected = visit.end + report_time
let long_absence_began = latest absence.start for absence in absences where absence.expected > long_absence

rule arrived_before_noon "p1"
  when date of visit.arrival = visit.start and time of visit.arrival < noon
  then finding early

rule arrived_at_noon "p2"
  when date of visit.arrival = visit.start and time of visit.arrival = noon
  then finding at_noon

rule better_before "p3"
  when previous.overall is set and previous.overall > fair
  then finding better_before

rule worse_before "p4"
  when previous.overall is set and previous.overall < fair
  then finding worse_before

rule better_than_best "p5"
  when previous.overall is set and previous.overall > good
  then finding never

rule report_in_time "p6"
  when report_expected is set and report_expected <= report.due
  then finding report_in_time

rule long_absence "p7"
  when long_absence_began is set
  then finding long_absence

rule all_short "p8"
  when every absence in absences satisfies days from absence.start to absence.end < short_absence
  then finding all_short

rule remark_on_fixed_slip "p9"
  for each remark in remarks
  when remark.slip is set and (some e in slips satisfies e.id = remark.slip and e.fixed and e.minor)
  then finding fixed_slip
"#;

fn audit31_record() -> serde_json::Value {
    json!({
        "visit": {"start": "2020-03-02", "arrival": "2020-03-01T11:59"},
        "previous": {"overall": "fair"},
        "report": {"due": "2020-04-30"},
        "absences": [
            {"id": "a0", "start": "2020-01-01", "end": "2020-01-10", "expected": 10},
            {"id": "a1", "start": "2020-01-20", "end": "2020-03-01", "expected": 42},
            {"id": "a2", "start": "2019-11-01", "end": "2019-12-31", "expected": 30}
        ],
        "slips": [
            {"id": "m0", "fixed": false, "minor": false},
            {"id": "m1", "fixed": true, "minor": true}
        ],
        "remarks": [{"id": "n0", "slip": "m0"}, {"id": "n1"}]
    })
}

/// The one attempt's reason for no single change.
fn no_single_change(why: &WhyNot<'_>) -> String {
    let WhyNot::Rule(r) = why else {
        panic!("a rule: {why:?}")
    };
    match &r.attempts[0].to_fire {
        Some(Fix::NoSingleChange { reason }) => reason.clone(),
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

/// `X is set` where X is a field moved by a fixed span is worked back to
/// the field, with the bound another part asks of X; where X is the latest
/// of a list where a condition holds, to an element that would meet it
/// (audit 31, WN3).
#[test]
fn is_set_of_a_let_is_worked_back_to_the_field_or_element_it_is_taken_from() {
    let r = Ruleset::from_source(AUDIT31, &[]).unwrap();
    let record = audit31_record();
    assert_eq!(
        shown_changes(&r, &record, "report_in_time"),
        ["visit.end on or before 2020-03-31 (now none), so that report_expected on or before 2020-04-30"]
    );
    assert_eq!(checked(&r, &record, "report_in_time"), Checked::Holds);
    assert_eq!(
        shown_changes(&r, &record, "long_absence"),
        ["absences[0].expected at least 91 days (13 weeks) (now 10 days), so that long_absence_began set"]
    );
    assert_eq!(checked(&r, &record, "long_absence"), Checked::Holds);
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

/// A date moved by working days or calendar months is worked back to the
/// date it moves, counted as evaluation counts: over a weekend, the bank
/// holidays of Christmas 2020, and a month's end. A date not recorded beside
/// a span the rule fixes is worked back all the same; where neither side of
/// a comparison has a value, the answer names the side with none.
#[test]
fn a_date_moved_by_working_days_or_months_is_worked_back() {
    let source = r#"ruleset moved "Dates moved by spans"
  edition "2020-01"
  in force from 2020-01-01
  as at visit.start
  calendar england_and_wales

evidence
  visit.start: date
  report.sent: date or none
  report.returned: date or none

threshold return_time = 5 working days
threshold review_after = 6 months

rule returned_late "p1"
  when report.sent is set
    and report.returned is set
    and report.returned > report.sent + return_time
  then finding returned_late

rule review_due "p2"
  when report.sent is set and visit.start >= report.sent + review_after
  then action review
"#;
    let calendar = judgement_engine::calendar::Calendar::parse(include_str!(
        "../../../rulesets/calendars/england_and_wales.calendar"
    ))
    .unwrap();
    let r = Ruleset::from_source(source, &[calendar]).unwrap();
    let ask = |evidence: serde_json::Value, rule: &str| {
        why_not(&r, &evidence, rule, EvalOptions::default()).unwrap()
    };

    // Not sent: the latest day it could have been sent for a return on
    // Thursday 31 December 2020 to be late. 21 December + 5 working days is
    // the 30th (25 and 28 December are bank holidays); the 22nd gives the
    // 31st, which is not later.
    let why = ask(
        json!({"visit": {"start": "2021-01-04"}, "report": {"returned": "2020-12-31"}}),
        "returned_late",
    );
    let c = changes(&why);
    assert_eq!(c.len(), 1, "{c:?}");
    assert_eq!(c[0].field, "report.sent");
    assert_eq!(
        c[0].needs,
        Need::AtMost(Amount::Date("2020-12-21".parse().unwrap()))
    );
    let text = why_not_text(&r, &why);
    assert!(
        text.contains("report.sent on or before 2020-12-21 (now none)"),
        "{text}"
    );

    // Six months after 27 August 2020 is 27 February 2021; after the 28th
    // to the 31st, the month's end clamps it to the 28th. The visit's start
    // picks the edition, so the report's date is the one to change.
    let why = ask(
        json!({"visit": {"start": "2021-02-27"}, "report": {"sent": "2020-08-31"}}),
        "review_due",
    );
    let c = changes(&why);
    assert_eq!(c[0].field, "report.sent");
    assert_eq!(
        c[0].needs,
        Need::AtMost(Amount::Date("2020-08-27".parse().unwrap()))
    );

    // Neither date recorded: no one change, and the answer says that both
    // sides need a value, and how they must then compare.
    let why = ask(json!({"visit": {"start": "2021-01-04"}}), "returned_late");
    let text = why_not_text(&r, &why);
    assert!(
        text.contains(
            "neither `report.returned` nor `report.sent + return_time` has a value, \
             and this part needs both, with `report.returned` after `report.sent + return_time`"
        ),
        "{text}"
    );
    assert!(!text.contains("the other side"), "{text}");
    // One of them recorded: the answer names the side with no value.
    let why = ask(
        json!({"visit": {"start": "2021-01-04"}, "report": {"sent": "2020-12-21"}}),
        "returned_late",
    );
    let text = why_not_text(&r, &why);
    assert!(text.contains("report.returned"), "{text}");
    assert!(!text.contains("neither"), "{text}");
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
