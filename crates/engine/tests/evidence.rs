//! Evidence keys the ruleset does not declare: an error naming the JSON path
//! and the nearest declared field, at every level; warnings in the outcome
//! when the caller allows them; and a JSON Schema that says the same.

#![allow(
    clippy::panic,
    clippy::unwrap_used,
    clippy::indexing_slicing,
    reason = "a test fails by panicking"
)]

use judgement_engine::EvidenceError;
use judgement_engine::{EvalError, EvalOptions, Ruleset, SchemaOptions, Warning};
use serde_json::json;

fn ruleset() -> Ruleset {
    let source = "ruleset r \"R\" in force from 2015-04-01
scale grade: outstanding > good > requires_improvement > inadequate
record absence
  id: text
  start: date
  planned: bool
evidence
  inspection.start: date
  manager.vacant_since: date or none
  manager.absences: list of absence default empty
  proposed.leadership: grade
threshold limit = 26 weeks
let vacancy = inspection.start - manager.vacant_since
judgement leadership: grade from proposed.leadership
rule vacancy_forces_inadequate \"Annex N para 19\"
  when manager.vacant_since is set and vacancy >= limit
  then leadership = inadequate
rule planned_absence \"Annex N para 7\"
  for each absence in manager.absences
  when absence.planned
  then action notify
";
    Ruleset::from_source(source, &[]).unwrap()
}

fn good() -> serde_json::Value {
    json!({
        "id": "r-1",
        "inspection": {"start": "2015-11-09"},
        "manager": {
            "vacant_since": "2015-05-11",
            "absences": [{"id": "a", "start": "2016-01-31", "planned": true}]
        },
        "proposed": {"leadership": "good"}
    })
}

fn errors(evidence: &serde_json::Value) -> Vec<String> {
    let ruleset = ruleset();
    let shown = |result: Result<_, EvalError>| match result {
        Err(EvalError::Evidence(errors)) => errors
            .iter()
            .map(EvidenceError::to_string)
            .collect::<Vec<_>>(),
        other => panic!("expected evidence errors, got {other:?}"),
    };
    let read = shown(ruleset.evaluate(evidence, EvalOptions::default()));
    // Read from text, in one pass where it can be: the same errors.
    let text = shown(ruleset.evaluate_str(&evidence.to_string(), EvalOptions::default()));
    assert_eq!(read, text);
    read
}

#[test]
fn a_good_record_has_no_warnings_and_no_warnings_key() {
    let ruleset = ruleset();
    let outcome = ruleset.evaluate(&good(), EvalOptions::default()).unwrap();
    assert_eq!(outcome.judgement("leadership"), Some("inadequate"));
    assert!(outcome.warnings.is_empty());
    let json = serde_json::to_value(&outcome).unwrap();
    assert!(json.get("warnings").is_none(), "{json}");
}

#[test]
fn a_misspelt_key_is_an_error_naming_the_nearest_field() {
    // Read as absent, the vacancy would be none and leadership stay good.
    let mut evidence = good();
    let manager = evidence["manager"].as_object_mut().unwrap();
    let since = manager.remove("vacant_since").unwrap();
    manager.insert("vacant_snce".into(), since);
    assert_eq!(
        errors(&evidence),
        ["manager.vacant_snce: not a field of this ruleset's evidence; did you mean `manager.vacant_since`?"]
    );
}

#[test]
fn undeclared_keys_are_found_at_every_level_all_at_once() {
    // Field errors first, then undeclared keys in the order of the record.
    let mut evidence = good();
    evidence["notes"] = json!("free text");
    evidence["inspection"]["strat"] = json!("2015-11-09");
    evidence["manager"]["absences"][0]["plannd"] = json!(true);
    evidence["manager"]["extra"] = json!({"inner": 1});
    evidence["proposed"]["leadership"] = json!("goood");
    assert_eq!(
        errors(&evidence),
        [
            "proposed.leadership: expected one of outstanding, good, requires_improvement, inadequate, got \"goood\"; did you mean `good`?",
            "inspection.strat: not a field of this ruleset's evidence; did you mean `inspection.start`?",
            "manager.absences[0].plannd: not a field of this ruleset's evidence; did you mean `manager.absences[0].planned`?",
            "manager.extra: not a field of this ruleset's evidence",
            "notes: not a field of this ruleset's evidence",
        ]
    );
}

#[test]
fn a_scale_value_written_as_a_form_writes_it_is_named() {
    // A form's label, in other case and with its words apart.
    for written in [
        "Requires Improvement",
        "requires-improvement",
        "REQUIRES_IMPROVEMENT",
    ] {
        let mut evidence = good();
        evidence["proposed"]["leadership"] = json!(written);
        assert_eq!(
            errors(&evidence),
            [format!("proposed.leadership: expected one of outstanding, good, requires_improvement, inadequate, got \"{written}\"; did you mean `requires_improvement`?")],
            "{written}"
        );
    }
}

#[test]
fn a_key_written_as_a_dotted_path_is_told_to_be_nested() {
    // As a spreadsheet's columns are named: each a declared field, not
    // where it is. One that is no declared field keeps the usual error.
    let mut evidence = good();
    let since = evidence["manager"]
        .as_object_mut()
        .unwrap()
        .remove("vacant_since")
        .unwrap();
    evidence["manager.vacant_since"] = since;
    evidence["manager"]["absences"][0]["planned.x"] = json!(true);
    assert_eq!(
        errors(&evidence),
        [
            "manager.absences[0][\"planned.x\"]: not a field of this ruleset's evidence",
            "[\"manager.vacant_since\"]: not a field of this ruleset's evidence; a key is not read as a path: write `manager.vacant_since` nested, {\"manager\": {\"vacant_since\": ...}}",
        ]
    );
}

#[test]
fn a_value_of_the_type_wanted_but_for_its_quotes_is_told_how_to_write_it() {
    let mut evidence = good();
    evidence["manager"]["absences"][0]["planned"] = json!("True");
    evidence["manager"]["absences"][0]["id"] = json!(7);
    assert_eq!(
        errors(&evidence),
        [
            "manager.absences[0].id: expected text, got 7; write it in quotes: \"7\"",
            "manager.absences[0].planned: expected true or false, got \"True\"; write it without quotes: true",
        ]
    );
    // A text that could mean something else is not guessed at.
    evidence["manager"]["absences"][0]["id"] = json!("a");
    evidence["manager"]["absences"][0]["planned"] = json!("yes");
    assert_eq!(
        errors(&evidence),
        ["manager.absences[0].planned: expected true or false, got \"yes\""]
    );
}

#[test]
fn a_date_written_otherwise_is_told_how_where_its_meaning_is_plain() {
    let mut evidence = good();
    evidence["inspection"]["start"] = json!("2015/11/9");
    evidence["manager"]["vacant_since"] = json!("11/05/2015");
    evidence["manager"]["absences"][0]["start"] = json!("2016-01-31T00:00:00Z");
    assert_eq!(
        errors(&evidence),
        [
            "inspection.start: expected a date written YYYY-MM-DD, got \"2015/11/9\"; write it 2015-11-09",
            "manager.vacant_since: expected a date written YYYY-MM-DD, got \"11/05/2015\"; dates are written year first, YYYY-MM-DD",
            "manager.absences[0].start: expected a date written YYYY-MM-DD, got \"2016-01-31T00:00:00Z\"; write the day alone: 2016-01-31",
        ]
    );
}

#[test]
fn an_unknown_key_inside_a_group_is_reported_at_the_inner_path() {
    let mut evidence = good();
    evidence["proposed"]["leadershp"] = json!(null);
    assert_eq!(
        errors(&evidence),
        ["proposed.leadershp: not a field of this ruleset's evidence; did you mean `proposed.leadership`?"]
    );
}

#[test]
fn a_misspelt_group_is_suggested_as_the_group() {
    let mut evidence = good();
    let manager = evidence.as_object_mut().unwrap().remove("manager").unwrap();
    evidence["manger"] = manager;
    assert_eq!(
        errors(&evidence),
        ["manger: not a field of this ruleset's evidence; did you mean `manager`?"]
    );
}

/// A key written with a letter of another script that looks like a Latin
/// one (`prоposed`, its `о` Cyrillic), or with a character that cannot be
/// seen, is the declared key it looks like, and the error names the
/// character with its code point. It read only `["prоposed"]: not a field
/// of this ruleset's evidence`, where `Proposed` got "did you mean".
#[test]
fn a_key_with_a_lookalike_or_invisible_character_gets_the_key_it_looks_like() {
    let mut evidence = good();
    let proposed = evidence
        .as_object_mut()
        .unwrap()
        .remove("proposed")
        .unwrap();
    evidence["pr\u{43e}posed"] = proposed;
    assert_eq!(
        errors(&evidence),
        [
            "proposed.leadership: required, but missing",
            "[\"pr\u{43e}posed\"]: not a field of this ruleset's evidence; did you mean `proposed`? The key holds `\u{43e}` (U+043E CYRILLIC SMALL LETTER O), which looks like the Latin `o`",
        ]
    );
    // Four lookalikes, too far by edits; in a group and in a list's element.
    let mut evidence = good();
    let since = evidence["manager"]
        .as_object_mut()
        .unwrap()
        .remove("vacant_since")
        .unwrap();
    evidence["manager"]["v\u{430}\u{441}\u{430}nt_sin\u{441}e"] = since;
    let planned = evidence["manager"]["absences"][0]
        .as_object_mut()
        .unwrap()
        .remove("planned")
        .unwrap();
    evidence["manager"]["absences"][0]["plan\u{200b}ned"] = planned;
    let said = errors(&evidence);
    assert!(
        said.contains(&"manager[\"v\u{430}\u{441}\u{430}nt_sin\u{441}e\"]: not a field of this ruleset's evidence; did you mean `manager.vacant_since`? The key holds `\u{430}` (U+0430 CYRILLIC SMALL LETTER A), which looks like the Latin `a`".to_string()),
        "{said:#?}"
    );
    assert!(
        said.iter().any(|e| e.ends_with("not a field of this ruleset's evidence; did you mean `manager.absences[0].planned`? The key holds a zero-width space (U+200B), which cannot be seen")),
        "{said:#?}"
    );
}

#[test]
fn a_value_with_a_lookalike_or_invisible_character_has_it_named() {
    let mut evidence = good();
    evidence["proposed"]["leadership"] = json!("g\u{43e}od");
    assert_eq!(
        errors(&evidence),
        ["proposed.leadership: expected one of outstanding, good, requires_improvement, inadequate, got \"g\u{43e}od\"; did you mean `good`? The value holds `\u{43e}` (U+043E CYRILLIC SMALL LETTER O), which looks like the Latin `o`"]
    );
    // Too far from any value for a suggestion: the character is named still.
    evidence["proposed"]["leadership"] = json!("\u{200b}");
    assert_eq!(
        errors(&evidence),
        ["proposed.leadership: expected one of outstanding, good, requires_improvement, inadequate, got \"\\u{200b}\"; the value holds a zero-width space (U+200B), which cannot be seen"]
    );
}

#[test]
fn what_is_below_a_value_or_a_wrong_kind_is_not_a_key() {
    // A value given as an object is a type error, not a set of unknown keys.
    let mut evidence = good();
    evidence["inspection"]["start"] = json!({"day": 9});
    evidence["manager"]["absences"] = json!({"id": "a"});
    assert_eq!(
        errors(&evidence),
        [
            "inspection.start: expected a date (YYYY-MM-DD), got an object",
            "manager.absences: expected a list, got an object",
        ]
    );
}

#[test]
fn id_is_allowed_at_the_top_level_only() {
    let mut evidence = good();
    evidence["inspection"]["id"] = json!("x");
    assert_eq!(
        errors(&evidence),
        ["inspection.id: not a field of this ruleset's evidence"]
    );
}

#[test]
fn allowed_unknown_keys_are_warnings_in_the_outcome() {
    let mut evidence = good();
    evidence["_expect"] = json!({"why": "a test harness's key"});
    evidence["manager"]["absences"][0]["plannd"] = json!(true);
    let options = EvalOptions {
        allow_unknown_fields: true,
        ..EvalOptions::default()
    };
    let ruleset = ruleset();
    let outcome = ruleset.evaluate(&evidence, options).unwrap();
    assert_eq!(
        outcome.warnings,
        [
            Warning {
                path: "manager.absences[0].plannd".into(),
                message: "not a field of this ruleset's evidence; did you mean `manager.absences[0].planned`?".into(),
            },
            Warning {
                path: "_expect".into(),
                message: "not a field of this ruleset's evidence".into(),
            },
        ]
    );
    let json = serde_json::to_value(&outcome).unwrap();
    assert_eq!(
        json["warnings"][1],
        json!({"path": "_expect", "message": "not a field of this ruleset's evidence"})
    );
    // Other evidence errors are still errors.
    evidence["proposed"]["leadership"] = json!(3);
    assert!(ruleset.evaluate(&evidence, options).is_err());
}

#[test]
fn the_schema_closes_every_object_unless_asked() {
    let r = ruleset();
    let closed = r.schema();
    assert_eq!(closed, r.schema_with(SchemaOptions::default()));
    assert_eq!(closed["additionalProperties"], json!(false));
    let manager = &closed["properties"]["manager"];
    assert_eq!(manager["additionalProperties"], json!(false));
    // A list with a default may be null too: its array is the first choice.
    let element = &manager["properties"]["absences"]["anyOf"][0]["items"];
    assert_eq!(element["additionalProperties"], json!(false));
    assert!(element["properties"]["planned"].is_object());

    let open = r.schema_with(SchemaOptions {
        allow_unknown_fields: true,
    });
    assert!(open.get("additionalProperties").is_none());
    assert!(open["properties"]["manager"]
        .get("additionalProperties")
        .is_none());
    assert!(
        open["properties"]["manager"]["properties"]["absences"]["anyOf"][0]["items"]
            .get("additionalProperties")
            .is_none()
    );
}

/// A proposal that may be left out says when it is needed after all; one
/// with a default never is (it reads the default), and says only that.
#[test]
fn the_schema_says_when_a_proposal_is_needed_unless_it_has_a_default() {
    let source = "ruleset r \"R\"\n  in force from 2020-01-01\n\nscale grade: good > bad\n\nevidence\n  kind: text\n  proposed.overall: grade or none\n  proposed.care: grade default good\n\njudgement overall: grade from proposed.overall\n  when kind = \"full\"\njudgement care: grade from proposed.care\n";
    let r = Ruleset::from_source(source, &[]).unwrap();
    let schema = r.schema();
    let said = |name: &str| {
        schema["properties"]["proposed"]["properties"][name]["description"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(
        said("overall"),
        "absent or null: none. The proposal for the judgement `overall`: needed where it is made (when kind = \"full\"), unless the ruleset's rules pin or withhold the judgement: a record without it is refused then"
    );
    assert_eq!(said("care"), "absent or null: the default");
}
