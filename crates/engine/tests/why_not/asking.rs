//! What can be asked and how the answer reads: a rule that fired, unknown names
//! and what they suggest, checks, empty text, and days in the JSON.

use super::*;

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
