//! Working back a false part to the evidence it needs: thresholds on numbers
//! and dates, `and` and `or`, lets, unknown evidence, and dates moved by spans.

use super::*;

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
        "../../../../rulesets/calendars/england_and_wales.calendar"
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
