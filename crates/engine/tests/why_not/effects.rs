//! Actions, findings and deadlines asked about by name: answered for each rule
//! that gives one, and the errors that say what to ask.

use super::*;

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
