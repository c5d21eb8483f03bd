//! Where working back finds no single change: values of the fields the rule
//! reads searched one field at a time, and text that must be blank or not.

use super::*;

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

/// Where working back finds no single change (a value computed from
/// several: the longest run of spells), a search tries values of the
/// fields the rule reads, one at a time, and offers the nearest that the
/// record evaluated again bears out (audit 58, F4, and audit 59: VAA
/// `absences_in_a_row_over_90_days`). Where none does, the reason says how
/// many were tried.
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
