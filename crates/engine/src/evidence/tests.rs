//! The one-pass reader (`stream.rs`) against the `serde_json::Value` one:
//! over every evidence record in the repository, and each of them damaged in
//! every place it can be, reading text gives the same record or the same
//! errors (and so evaluating text the same outcome or the same errors) as
//! parsing it and reading the `Value`; and a good record really is read in
//! one pass.

#![allow(
    clippy::panic,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "a test fails by panicking"
)]

use super::{read, Evidence, EvidenceError, Reader, Route};
use crate::error::EvalError;
use crate::model::{FieldDef, Model};
use crate::ruleset::{parse_json, EvalOptions, Ruleset};
use crate::types::{Elem, Type};
use crate::Editions;
use serde_json::{json, Value as Json};
use std::path::{Path, PathBuf};

const STRICT: EvalOptions = EvalOptions {
    trace: false,
    allow_unknown_fields: false,
};
const LENIENT: EvalOptions = EvalOptions {
    trace: false,
    allow_unknown_fields: true,
};

fn repository() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn editions(relative: &str) -> Editions {
    let path = repository().join(relative);
    Editions::load(&path).unwrap_or_else(|e| panic!("{}: {e:?}", path.display()))
}

/// The JSON files in a folder, sorted.
fn json_files(relative: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(repository().join(relative))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    files
}

fn read_text(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A comparable form of a reading: the record, or the errors.
fn shown(result: &Result<Evidence, EvalError>) -> String {
    match result {
        Ok(Evidence {
            id,
            slots,
            warnings,
            ..
        }) => format!("id {id:?}\nslots {slots:?}\nwarnings {warnings:?}"),
        Err(e) => format!("error {e:?}"),
    }
}

/// Read `text` both ways with `ruleset` and insist on the same result;
/// which way the text was read.
fn same_reading(ruleset: &Ruleset, name: &str, text: &str, options: EvalOptions) -> Route {
    let (fast, route) = ruleset.read_str(text, options);
    let slow = parse_json(text)
        .and_then(|json| read(ruleset.model(), &json, options).map_err(EvalError::Evidence));
    assert_eq!(
        shown(&fast),
        shown(&slow),
        "{name}: the readers disagree ({route:?}) on\n{text}"
    );
    route
}

/// Evaluate `text` every way it can be evaluated from text, with the
/// edition in force, and insist on the outcome (or the errors) of
/// evaluating the parsed `Value`; which way the record was read.
fn same_everything(editions: &Editions, name: &str, text: &str, options: EvalOptions) -> Route {
    let by_value = parse_json(text).and_then(|json| editions.evaluate(&json, options));
    let by_text = editions.evaluate_str(text, options);
    assert_eq!(by_text, by_value, "{name}: Editions::evaluate_str\n{text}");
    // As the command line does it: choose, then evaluate with the choice.
    let chosen = editions
        .select_str(text, options)
        .and_then(|r| r.evaluate_str(text, options));
    assert_eq!(chosen, by_value, "{name}: select_str, evaluate_str\n{text}");
    // As the command line does it now: both at once, the record read once
    // where one edition is all there is; the same edition as select_str.
    let both = editions.select_and_evaluate_str(text, options);
    let edition = both
        .as_ref()
        .map(|(r, _)| r.version().to_string())
        .map_err(ToString::to_string);
    let selected = editions
        .select_str(text, options)
        .map(|r| r.version().to_string())
        .map_err(|e| e.to_string());
    assert_eq!(
        edition, selected,
        "{name}: select_and_evaluate_str's edition\n{text}"
    );
    let both = both.and_then(|(_, outcome)| outcome);
    assert_eq!(both, by_value, "{name}: select_and_evaluate_str\n{text}");
    let json = parse_json(text);
    match json
        .as_ref()
        .map(|json| editions.select_with(json, options))
    {
        Ok(Ok(ruleset)) => same_reading(ruleset, name, text, options),
        _ => Route::Value,
    }
}

/// The corpus of each shipped ruleset: good records (`_expect` taken off)
/// and bad ones as written.
const CORPORA: [&str; 5] = [
    "childrens_homes",
    "inspection_process",
    "la_child_protection",
    "monitoring_visits",
    "voluntary_adoption_agencies",
];

fn good_records(ruleset: &str) -> Vec<(String, Json)> {
    json_files(&format!("tests/fixtures/eval/{ruleset}"))
        .into_iter()
        .map(|path| {
            let mut json: Json = serde_json::from_str(&read_text(&path)).unwrap();
            if let Some(object) = json.as_object_mut() {
                object.shift_remove("_expect");
            }
            (path.display().to_string(), json)
        })
        .collect()
}

#[test]
fn every_good_record_of_the_corpora_is_read_in_one_pass_and_the_same() {
    for corpus in CORPORA {
        let editions = editions(&format!("rulesets/{corpus}"));
        let records = good_records(corpus);
        assert!(!records.is_empty(), "{corpus}");
        for (name, json) in records {
            for text in [
                serde_json::to_string(&json).unwrap(),
                serde_json::to_string_pretty(&json).unwrap(),
            ] {
                for options in [STRICT, LENIENT] {
                    let route = same_everything(&editions, &name, &text, options);
                    assert_eq!(route, Route::OnePass, "{name} was not read in one pass");
                }
            }
        }
    }
}

#[test]
fn every_bad_record_of_the_corpora_gives_the_same_errors() {
    for corpus in CORPORA {
        let editions = editions(&format!("rulesets/{corpus}"));
        for path in json_files(&format!("tests/fixtures/eval_errors/{corpus}")) {
            let text = read_text(&path);
            let name = path.display().to_string();
            for options in [STRICT, LENIENT] {
                same_everything(&editions, &name, &text, options);
            }
        }
    }
}

#[test]
fn the_examples_and_command_line_fixtures_read_the_same() {
    let homes = editions("rulesets/childrens_homes");
    let small = editions("tests/fixtures/cli/small");
    let two = editions("tests/fixtures/cli/editions");
    let mut texts: Vec<(&Editions, String, String)> = Vec::new();
    for (folder, editions) in [
        ("examples/childrens_homes", &homes),
        ("tests/fixtures/cli", &homes),
    ] {
        for path in json_files(folder) {
            let name = path.display().to_string();
            let text = read_text(&path);
            // small.json is the small ruleset's; try every file with each.
            texts.push((editions, name.clone(), text.clone()));
            texts.push((&small, name.clone(), text.clone()));
            texts.push((&two, name, text));
        }
    }
    let batch = read_text(&repository().join("examples/childrens_homes/batch.jsonl"));
    for (i, line) in batch.lines().enumerate() {
        texts.push((
            &homes,
            format!("batch.jsonl line {}", i + 1),
            line.to_string(),
        ));
    }
    assert!(texts.len() > 6);
    for (editions, name, text) in texts {
        for options in [STRICT, LENIENT] {
            same_everything(editions, &name, &text, options);
        }
    }
}

/// Every record of the bindings' corpora (`tests/fixtures/bindings`, whose
/// outcomes the command line must give byte for byte) reads the same both
/// ways, and evaluates to the same outcome or errors.
#[test]
fn every_line_of_the_bindings_corpora_reads_the_same() {
    let mut lines = 0;
    for corpus in CORPORA {
        let editions = editions(&format!("rulesets/{corpus}"));
        let path = repository().join(format!("tests/fixtures/bindings/{corpus}.jsonl"));
        for (i, line) in read_text(&path).lines().enumerate() {
            let name = format!("{} line {}", path.display(), i + 1);
            for options in [STRICT, LENIENT] {
                same_everything(&editions, &name, line, options);
            }
            lines += 1;
        }
    }
    assert!(lines > 200, "{lines}");
}

#[test]
fn the_examples_and_tests_written_in_rule_files_read_the_same() {
    let mut folders: Vec<String> = CORPORA.iter().map(|c| format!("rulesets/{c}")).collect();
    folders.push("tests/fixtures/cli/editions".into());
    let mut read_in_one_pass = 0;
    for folder in folders {
        for ruleset in editions(&folder).editions() {
            let model = ruleset.model();
            let records = model
                .examples
                .iter()
                .map(|e| (&e.name, e.evidence.clone()))
                .chain(
                    model
                        .tests
                        .iter()
                        .map(|t| (&t.name, model.test_evidence(t))),
                );
            for (name, evidence) in records {
                let text = serde_json::to_string(&evidence).unwrap();
                for options in [STRICT, LENIENT] {
                    if same_reading(ruleset, name, &text, options) == Route::OnePass {
                        read_in_one_pass += 1;
                    }
                }
            }
        }
    }
    assert!(read_in_one_pass > 100, "{read_in_one_pass}");
}

/// Where a value is in a record: a JSON pointer.
fn pointers(json: &Json, at: &str, out: &mut Vec<String>) {
    match json {
        Json::Object(map) => {
            for (key, value) in map {
                let here = format!("{at}/{key}");
                out.push(here.clone());
                pointers(value, &here, out);
            }
        }
        Json::Array(items) => {
            for (i, value) in items.iter().enumerate() {
                let here = format!("{at}/{i}");
                out.push(here.clone());
                pointers(value, &here, out);
            }
        }
        _ => {}
    }
}

/// What each value is replaced by in turn: every kind of JSON, a date that
/// is no day, a whole number too large, and values of the records' enums.
fn replacements() -> Vec<Json> {
    vec![
        Json::Null,
        json!(false),
        json!(3),
        json!(-1),
        json!(2.5),
        json!(u64::MAX),
        json!("good"),
        json!("2016-02-30"),
        json!("2016-01-31"),
        json!("09:30"),
        json!([]),
        json!([1]),
        json!({}),
    ]
}

/// A marker key, written as the serialiser writes it, for the key repeated.
const REPEAT: &str = "\u{1}repeat";

/// `record` with each value replaced by every other kind, removed, and
/// each object given an undeclared key and a key written twice; and the
/// text cut short or followed by more.
fn damaged(record: &Json) -> Vec<(String, String, EvalOptions)> {
    let mut out = Vec::new();
    let mut at = Vec::new();
    pointers(record, "", &mut at);
    let text = |json: &Json| serde_json::to_string(json).unwrap();
    for pointer in &at {
        for replacement in replacements() {
            let mut changed = record.clone();
            *changed.pointer_mut(pointer).unwrap() = replacement.clone();
            out.push((format!("{pointer} = {replacement}"), text(&changed), STRICT));
        }
        let (parent, last) = pointer.rsplit_once('/').unwrap();
        let mut changed = record.clone();
        let mut again = record.clone();
        match (
            changed.pointer_mut(parent).unwrap(),
            again.pointer_mut(parent).unwrap(),
        ) {
            (Json::Object(map), _) => {
                map.shift_remove(last);
            }
            (Json::Array(items), Json::Array(repeated)) => {
                let i = last.parse::<usize>().unwrap();
                items.remove(i);
                repeated.push(repeated[i].clone());
                out.push((format!("{pointer} repeated"), text(&again), STRICT));
            }
            _ => unreachable!(),
        }
        out.push((format!("{pointer} removed"), text(&changed), STRICT));
    }
    at.push(String::new());
    for pointer in &at {
        let Some(Json::Object(map)) = record.pointer(pointer) else {
            continue;
        };
        for options in [STRICT, LENIENT] {
            let mut changed = record.clone();
            if let Some(Json::Object(m)) = changed.pointer_mut(pointer) {
                m.insert("extra".into(), json!({"more": 1}));
            }
            out.push((format!("{pointer}/extra added"), text(&changed), options));
            if let Some((key, value)) = map.iter().next() {
                let mut changed = record.clone();
                if let Some(Json::Object(m)) = changed.pointer_mut(pointer) {
                    m.insert(REPEAT.into(), Json::Null);
                }
                let marker = format!("{}:null", text(&json!(REPEAT)));
                let again = format!("{}:{}", text(&json!(key)), text(value));
                let repeated = text(&changed).replace(&marker, &again);
                out.push((format!("{pointer}/{key} repeated"), repeated, options));
            }
        }
    }
    let whole = text(record);
    for (what, changed) in [
        (
            "cut short",
            whole.get(..whole.len() / 2).unwrap().to_string(),
        ),
        ("followed by more", format!("{whole} {{}}")),
        ("in a list", format!("[{whole}]")),
        ("spaced", format!(" \n{whole}\n ")),
        ("empty", String::new()),
        ("null", "null".into()),
    ] {
        out.push((what.to_string(), changed, STRICT));
    }
    out
}

#[test]
fn damaged_records_give_the_same_errors_or_outcomes() {
    let mut read_in_one_pass = 0;
    let mut read_by_value = 0;
    for corpus in CORPORA {
        let editions = editions(&format!("rulesets/{corpus}"));
        // Every fourth record: each is damaged in a few hundred ways.
        for (name, record) in good_records(corpus).into_iter().step_by(4) {
            for (what, text, options) in damaged(&record) {
                let name = format!("{name}: {what}");
                match same_everything(&editions, &name, &text, options) {
                    Route::OnePass => read_in_one_pass += 1,
                    Route::Value => read_by_value += 1,
                }
            }
        }
    }
    // Both readers were exercised.
    assert!(read_in_one_pass > 1000, "{read_in_one_pass}");
    assert!(read_by_value > 1000, "{read_by_value}");
}

/// A ruleset with every shape of evidence: groups, lists of records and of
/// plain values, enums, defaults, and a field that may be none or unknown.
fn shapes() -> Ruleset {
    let source = "ruleset r \"R\" in force from 2015-04-01
scale grade: outstanding > good > requires_improvement > inadequate
record absence
  id: text
  start: date
  planned: bool
  length: days or none
evidence
  inspection.start: date
  inspection.arrival: datetime or none
  inspection.time: time or none
  manager.vacant_since: date or none
  manager.absences: list of absence default empty
  holidays: list of date default empty
  counts: list of number default empty
  children: number or unknown
  remote: bool default false
  proposed.leadership: grade
judgement leadership: grade from proposed.leadership
rule planned_absence \"Annex N para 7\"
  for each absence in manager.absences
  when absence.planned
  then action notify
";
    Ruleset::from_source(source, &[]).unwrap()
}

fn good() -> Json {
    json!({
        "id": "r-1",
        "inspection": {"start": "2015-11-09", "arrival": "2015-11-09T09:30", "time": "09:30:15"},
        "manager": {
            "vacant_since": null,
            "absences": [
                {"id": "a", "start": "2016-01-31", "planned": true, "length": 3},
                {"id": "b", "start": "2016-02-29", "planned": false}
            ]
        },
        "holidays": ["2015-12-25", "2015-12-28"],
        "counts": [3, -1, 0],
        "remote": true,
        "proposed": {"leadership": "good"}
    })
}

#[test]
fn a_good_record_is_read_in_one_pass_into_the_same_slots() {
    let ruleset = shapes();
    let text = good().to_string();
    let (record, route) = ruleset.read_str(&text, STRICT);
    assert_eq!(route, Route::OnePass);
    let record = record.unwrap();
    assert_eq!(record.id.as_deref(), Some("r-1"));
    let by_value = read(ruleset.model(), &good(), STRICT).unwrap();
    assert_eq!(record.slots, by_value.slots);
    assert!(record.warnings.is_empty());
    // A number as the id, and no id.
    for (id, expected) in [(json!(17), Some("17")), (Json::Null, None)] {
        let mut evidence = good();
        evidence["id"] = id;
        let (record, route) = ruleset.read_str(&evidence.to_string(), STRICT);
        assert_eq!(route, Route::OnePass);
        assert_eq!(record.unwrap().id.as_deref(), expected);
    }
    assert_eq!(
        ruleset.evaluate_str(&text, STRICT),
        ruleset.evaluate(&good(), STRICT)
    );
}

#[test]
fn anything_unusual_is_read_through_a_value() {
    let ruleset = shapes();
    let cases = [
        r#"{"inspection": {"start": "2015-11-09"}}"#,
        r#"{"inspection": {"start": "2015-11-09"}, "proposed": {"leadership": "great"}}"#,
        r#"{"inspection": {"start": "2015-11-09"}, "proposed": {"leadership": "good"}, "extra": 1}"#,
        r#"{"inspection": {"start": "2015-11-09"}, "proposed": {"leadership": "good"}, "remote": true, "remote": true}"#,
        r#"{"inspection": {"start": "2015-11-09"}, "proposed": {"leadership": "good"}, "id": 1.5}"#,
        r#"{"inspection": {"start": "2015-11-09"}, "proposed": {"leadership": "good"}, "children": 1.0}"#,
        r#"{"inspection": {"start": "2015-11-09"}, "proposed": {"leadership": "good"}, "counts": [1, null]}"#,
        r#"{"inspection": {"start": "2015-11-09"}, "proposed": {"leadership": "good"}, "manager": {"absences": [{"id": "a", "start": "2016-01-31", "planned": true}, {"id": "a", "start": "2016-01-31", "planned": true}]}}"#,
        r#"{"inspection": {"start": "2015-11-09"}, "proposed": {"leadership": "good"}} x"#,
        r#"[]"#,
        // A date or a value of an enum not closed where it ends.
        r#"{"inspection": {"start": "2015-11-09x}, "proposed": {"leadership": "good"}}"#,
        r#"{"inspection": {"start": "2015-11-09"}, "proposed": {"leadership": "goodx}}"#,
        r#"{"inspection": {"start": "2015-11-09"}, "proposed": {"leadership": "good\u0020"}}"#,
    ];
    for text in cases {
        let route = same_reading(&ruleset, text, text, STRICT);
        assert_eq!(route, Route::Value, "{text}");
    }
    // Undeclared keys allowed are listed as warnings, by the Value reader.
    let text = cases[2];
    assert_eq!(same_reading(&ruleset, text, text, LENIENT), Route::Value);
    let record = ruleset.read_str(text, LENIENT).0.unwrap();
    assert_eq!(record.warnings.len(), 1);
}

#[test]
fn a_group_or_field_given_as_null_is_absent() {
    let ruleset = shapes();
    let text = r#"{"inspection": {"start": "2015-11-09", "arrival": null}, "manager": null, "children": null, "proposed": {"leadership": "good"}}"#;
    assert_eq!(same_reading(&ruleset, text, text, STRICT), Route::OnePass);
}

/// A required field written `null` is said to be null, not missing; a
/// date, a date and time or a time written as they should be but naming
/// no real day or time is said to be that, not to be written wrongly.
/// Both readers say the same.
#[test]
fn null_and_days_that_do_not_exist_are_named_for_what_they_are() {
    let ruleset = shapes();
    let mut evidence = good();
    evidence["inspection"]["start"] = Json::Null;
    let text = evidence.to_string();
    same_reading(&ruleset, "null", &text, STRICT);
    let message = ruleset.read_str(&text, STRICT).0.unwrap_err().to_string();
    assert!(
        message.contains("inspection.start: required, but null"),
        "{message}"
    );
    let mut evidence = good();
    evidence["inspection"]
        .as_object_mut()
        .unwrap()
        .remove("start");
    let message = ruleset
        .read_str(&evidence.to_string(), STRICT)
        .0
        .unwrap_err()
        .to_string();
    assert!(
        message.contains("inspection.start: required, but missing"),
        "{message}"
    );
    for (written, said) in [
        ("2012-02-30T09:00", "is not a day and time of the calendar"),
        ("2012-02-03T24:00", "is not a day and time of the calendar"),
        (
            "2012-02-03T09:60:00",
            "is not a day and time of the calendar",
        ),
        ("2012-02-03 09:00", "expected a local date and time written"),
        ("2012-02-03T9:00", "expected a local date and time written"),
    ] {
        // Each of these is refused: its message says why.
        let mut evidence = good();
        evidence["inspection"]["arrival"] = json!(written);
        let text = evidence.to_string();
        same_reading(&ruleset, written, &text, STRICT);
        let message = ruleset.read_str(&text, STRICT).0.unwrap_err().to_string();
        assert!(
            message.contains("inspection.arrival: ") && message.contains(said),
            "{written}: {message}"
        );
    }
    for (written, said) in [
        ("24:00", "\"24:00\" is not a time of day"),
        ("09:60", "\"09:60\" is not a time of day"),
        ("9:00", "expected a time written HH:MM or HH:MM:SS"),
    ] {
        let mut evidence = good();
        evidence["inspection"]["time"] = json!(written);
        let text = evidence.to_string();
        same_reading(&ruleset, written, &text, STRICT);
        let message = ruleset.read_str(&text, STRICT).0.unwrap_err().to_string();
        assert!(message.contains(said), "{written}: {message}");
    }
}

#[test]
fn the_edition_is_chosen_by_the_date_read_on_the_way_through() {
    let editions = editions("tests/fixtures/cli/editions");
    let path = ["visit".to_string(), "start".to_string()];
    let text = r#"{"proposed": {"a": [1, {"b": "c"}]}, "visit": {"other": 1, "start": "2019-06-01"}, "x": "#;
    assert_eq!(
        super::find_date(text, &path),
        chrono::NaiveDate::from_ymd_opt(2019, 6, 1)
    );
    assert_eq!(super::find_date(r#"{"visit": {"start": 1}}"#, &path), None);
    assert_eq!(super::find_date(r#"{"visit": null}"#, &path), None);
    assert_eq!(super::find_date("[", &path), None);
    let chosen = |text: &str| editions.select_str(text, STRICT).map(Ruleset::version);
    assert_eq!(
        chosen(r#"{"visit": {"start": "2019-06-01"}}"#),
        Ok("2019-01")
    );
    assert_eq!(
        chosen(r#"{"visit": {"start": "2020-06-01"}}"#),
        Ok("2020-01")
    );
    // A record that is not JSON, with no date to read, is reported as JSON.
    assert!(matches!(
        chosen(r#"{"visit": "#),
        Err(EvalError::Json { .. })
    ));
}

/// A number id is echoed as written when it is whole and at most 20
/// digits; any other is refused at `id`, since the float it is read as
/// cannot say what was written (`1e2` came back as `100.0`, and two long ids
/// as one).
#[test]
fn a_number_id_is_echoed_as_written_or_refused() {
    let ruleset = shapes();
    let body = r#""inspection": {"start": "2015-11-09"}, "proposed": {"leadership": "good"}"#;
    for (id, echoed) in [
        ("12", "12"),
        ("-7", "-7"),
        ("18446744073709551615", "18446744073709551615"),
    ] {
        let text = format!(r#"{{"id": {id}, {body}}}"#);
        same_reading(&ruleset, &text, &text, STRICT);
        let record = ruleset.read_str(&text, STRICT).0.unwrap();
        assert_eq!(record.id.as_deref(), Some(echoed), "{id}");
    }
    for id in [
        "1e2",
        "1.5",
        "-0",
        "12345678901234567890123",
        "18446744073709551616",
    ] {
        let text = format!(r#"{{"id": {id}, {body}}}"#);
        same_reading(&ruleset, &text, &text, STRICT);
        match ruleset.read_str(&text, STRICT).0 {
            Err(EvalError::Evidence(errors)) => {
                assert_eq!(errors.len(), 1, "{id}: {errors:?}");
                assert_eq!(errors[0].path, "id", "{id}");
                assert!(
                    errors[0].message.contains("write it as text"),
                    "{id}: {errors:?}"
                );
            }
            other => panic!("{id}: expected an error at id, got {other:?}"),
        }
    }
}

#[test]
fn a_field_called_id_is_read_as_a_field_and_as_the_id() {
    let ruleset = |ty: &str| {
        let source = format!(
            "ruleset r \"R\" in force from 2015-04-01
scale grade: good > poor
evidence
  id: {ty}
  proposed.overall: grade
judgement overall: grade from proposed.overall
"
        );
        Ruleset::from_source(&source, &[]).unwrap()
    };
    let texts = [
        r#"{"id": "r-1", "proposed": {"overall": "good"}}"#,
        r#"{"id": 12, "proposed": {"overall": "good"}}"#,
        r#"{"id": null, "proposed": {"overall": "good"}}"#,
        r#"{"id": "2015-11-09", "proposed": {"overall": "good"}}"#,
    ];
    // A required field given as null is missing.
    for (ty, fast) in [
        ("text", [true, false, false, true]),
        ("number", [false, true, false, false]),
    ] {
        let ruleset = ruleset(ty);
        for (text, fast) in texts.iter().zip(fast) {
            let route = same_reading(&ruleset, text, text, STRICT);
            assert_eq!(route == Route::OnePass, fast, "{ty}: {text}");
        }
    }
    // An id of another type is left to the Value reader.
    let ruleset = ruleset("date");
    for text in texts {
        assert_eq!(same_reading(&ruleset, text, text, STRICT), Route::Value);
    }
}

/// A marker key, written as the serialiser writes it, for a key renamed.
const RENAMED: &str = "\u{1}renamed";

/// A way to reorder the keys of an object.
type Order = fn(&mut Vec<(String, Json)>);

/// `json` with the keys of every object in it reordered by `order`.
fn reordered(json: &Json, order: Order) -> Json {
    match json {
        Json::Object(map) => {
            let mut entries: Vec<(String, Json)> = map
                .iter()
                .map(|(k, v)| (k.clone(), reordered(v, order)))
                .collect();
            order(&mut entries);
            Json::Object(entries.into_iter().collect())
        }
        Json::Array(items) => Json::Array(items.iter().map(|v| reordered(v, order)).collect()),
        other => other.clone(),
    }
}

/// The one-pass reader tries first the key that followed the last one in
/// the last object read at the same level: after a good record has set
/// those guesses, a record whose keys come in other orders, with a key
/// left out, or with a key in the guessed place renamed (to a key of the
/// same length that is not declared, to a longer one, or to another key
/// of the object, which is then given twice) reads as the Value reader
/// reads it.
#[test]
fn keys_in_other_orders_and_places_after_a_good_record_read_the_same() {
    let ruleset = shapes();
    let good = good();
    let good_text = good.to_string();
    let text = |json: &Json| serde_json::to_string(json).unwrap();
    let mut changed: Vec<(String, String)> = Vec::new();
    let reverse: Order = |e| e.reverse();
    let rotate: Order = |e| e.rotate_left(1);
    for (what, order) in [("reversed", reverse), ("rotated", rotate)] {
        let json = reordered(&good, order);
        // These are good records, read in one pass.
        changed.push((what.into(), text(&json)));
    }
    let mut at = vec![String::new()];
    pointers(&good, "", &mut at);
    for pointer in &at {
        let Some(Json::Object(map)) = good.pointer(pointer) else {
            continue;
        };
        let keys: Vec<&String> = map.keys().collect();
        for (k, key) in keys.iter().enumerate() {
            let mut without = good.clone();
            if let Some(Json::Object(m)) = without.pointer_mut(pointer) {
                m.shift_remove(*key);
            }
            changed.push((format!("{pointer}/{key} left out"), text(&without)));
            let mut marked = good.clone();
            if let Some(Json::Object(m)) = marked.pointer_mut(pointer) {
                *m = m
                    .iter()
                    .enumerate()
                    .map(|(j, (name, value))| {
                        let name = if j == k { RENAMED.into() } else { name.clone() };
                        (name, value.clone())
                    })
                    .collect();
            }
            let marked = text(&marked);
            let marker = text(&json!(RENAMED));
            let mut names = vec!["x".repeat(key.len()), format!("{key}x")];
            names.extend(
                keys.iter()
                    .filter(|other| *other != key)
                    .map(|k| (*k).clone()),
            );
            for name in names {
                let renamed = marked.replace(&marker, &text(&json!(name)));
                changed.push((format!("{pointer}/{key} renamed {name}"), renamed));
            }
        }
    }
    assert!(changed.len() > 50, "{}", changed.len());
    for (i, (what, text)) in changed.iter().enumerate() {
        for options in [STRICT, LENIENT] {
            let route = same_reading(&ruleset, "the good record", &good_text, options);
            assert_eq!(route, Route::OnePass);
            let route = same_reading(&ruleset, what, text, options);
            if i < 2 {
                assert_eq!(route, Route::OnePass, "{what}");
            }
            // And again, now that it has set the guesses itself.
            assert_eq!(same_reading(&ruleset, what, text, options), route, "{what}");
        }
    }
}

/// The declared keys of one level of an evidence object, for generating
/// records: a field's type, or a group of keys.
enum Declared {
    Field(Type),
    Group(Vec<(String, Declared)>),
}

/// The tree of `fields`' dotted paths.
fn declared(fields: &[FieldDef]) -> Vec<(String, Declared)> {
    let mut level: Vec<(String, Declared)> = Vec::new();
    for field in fields {
        let mut at = &mut level;
        let (last, groups) = field.path.split_last().unwrap();
        for group in groups {
            let i = match at.iter().position(|(k, _)| k == group) {
                Some(i) => i,
                None => {
                    at.push((group.clone(), Declared::Group(Vec::new())));
                    at.len() - 1
                }
            };
            let Declared::Group(inner) = &mut at[i].1 else {
                unreachable!("a field and a group of one name")
            };
            at = inner;
        }
        at.push((last.clone(), Declared::Field(field.ty)));
    }
    level
}

/// The kinds of odd choice ([`Writer::odd`]): whitespace, keys, keys
/// left out, given twice or added, commas, the id of the root or of a
/// list element, groups, numbers, strings, other values, list elements, and
/// what is before and after the record.
const SPACE: usize = 0;
const KEY: usize = 1;
const LEFT_OUT: usize = 2;
const TWICE: usize = 3;
const EXTRA: usize = 4;
const COMMA: usize = 5;
const ID: usize = 6;
const GROUP: usize = 7;
const NUMBER: usize = 8;
const STRING: usize = 9;
const VALUE: usize = 10;
const LIST: usize = 11;
const AROUND: usize = 12;
const KINDS: usize = 13;

/// Writes JSON text for a record of a ruleset's evidence, good or bad in
/// every way the one-pass reader must notice, each choice taken from a
/// tape of numbers that proptest generates (and shrinks). Past the tape's
/// end every choice is the plain one, so a short tape is a good record.
struct Writer<'a> {
    model: &'a Model,
    tape: std::slice::Iter<'a, u16>,
    out: String,
    /// One choice in this many is odd ([`Writer::odd`])...
    rarity: usize,
    /// ... but of the kind `focus`, one in this many: a record odd in one
    /// way but otherwise good tests the one-pass reader's handling of it,
    /// where odd in many ways, one of them refuses the record anyway.
    focus: usize,
    focus_rarity: usize,
    /// How many list elements' ids have been written.
    ids: usize,
    /// Something the one-pass reader may give up on though the record is
    /// good: a key with an escape, or a number that serde_json reads as a
    /// float (as an id, or out of range, which it reads as null).
    exotic: bool,
}

impl Writer<'_> {
    /// A choice of `n`: the tape's next number, or 0 past its end.
    fn pick(&mut self, n: usize) -> usize {
        self.tape.next().map_or(0, |&c| usize::from(c) % n)
    }

    /// One of `ways` odd choices of a kind, now and then; mostly none.
    fn odd(&mut self, kind: usize, ways: usize) -> Option<usize> {
        let rarity = if kind == self.focus {
            self.focus_rarity
        } else {
            self.rarity
        };
        let roll = self.pick(rarity);
        (roll + ways >= rarity).then(|| self.pick(ways))
    }

    fn choose<'s>(&mut self, from: &[&'s str]) -> &'s str {
        from[self.pick(from.len())]
    }

    /// Whitespace between tokens: usually none, sometimes what JSON allows,
    /// now and then what it does not.
    fn space(&mut self) {
        if self.odd(SPACE, 1).is_some() {
            let bad = self.choose(&["\u{b}", "\u{c}", "\u{a0}", "\u{feff}", "\0", "/**/", "x"]);
            self.out.push_str(bad);
        } else if self.pick(4) == 3 {
            let space = self.choose(&[" ", "\t", "\n", "\r", " \r\n\t "]);
            self.out.push_str(space);
        }
    }

    fn token(&mut self, token: &str) {
        self.space();
        self.out.push_str(token);
    }

    /// A key: as declared, written with an escape, or not declared.
    fn key(&mut self, key: &str) {
        self.space();
        let key = match self.odd(KEY, 7) {
            Some(0) if !key.is_empty() => {
                // The first letter as a \u escape: the same key.
                let mut chars = key.chars();
                let first = chars.next().unwrap();
                self.exotic = true;
                format!("\\u{:04x}{}", u32::from(first), chars.as_str())
            }
            Some(1) => format!("{key}x"),
            Some(2) => "x".repeat(key.len()),
            Some(3) => key.to_uppercase(),
            Some(4) => "id".into(),
            Some(5) => format!("{key}\u{1}"),
            Some(6) => format!("{key}\\\""),
            _ => key.into(),
        };
        self.out.push('"');
        self.out.push_str(&key);
        self.out.push('"');
        self.token(":");
    }

    /// An object of the keys `level` declares: each given or not, in
    /// another order or not, some twice, with keys not declared, and
    /// commas left out or one too many.
    fn object(&mut self, level: &[(String, Declared)], root: bool) {
        self.token("{");
        let mut keys: Vec<usize> = (0..level.len())
            .filter(|_| self.odd(LEFT_OUT, 1).is_none())
            .collect();
        match self.pick(4) {
            0 => {}
            1 => keys.reverse(),
            _ => {
                let by = self.pick(keys.len().max(1));
                keys.rotate_left(by);
            }
        }
        if !keys.is_empty() && self.odd(TWICE, 1).is_some() {
            let again = keys[self.pick(keys.len())];
            let at = self.pick(keys.len() + 1);
            keys.insert(at, again);
        }
        let mut entries = keys.len() + usize::from(root);
        if self.odd(EXTRA, 1).is_some() {
            entries += 1;
        }
        // Where the root's id goes, if this is the root.
        let id_at = if root { self.pick(entries) } else { usize::MAX };
        let mut keys = keys.into_iter();
        for i in 0..entries {
            if i > 0 {
                match self.odd(COMMA, 2) {
                    Some(0) => {}
                    Some(_) => self.token(",,"),
                    None => self.token(","),
                }
            }
            if i == id_at {
                self.key("id");
                self.id();
            } else if let Some(k) = keys.next() {
                let (key, declared) = &level[k];
                self.key(key);
                match declared {
                    // A list element's id, mostly unlike the others'.
                    Declared::Field(Type::Text) if key == "id" && self.odd(ID, 1).is_none() => {
                        self.ids += 1;
                        let id = format!("e{}", self.ids);
                        self.string(&[&id]);
                    }
                    Declared::Field(ty) => self.value(*ty),
                    Declared::Group(inner) => match self.odd(GROUP, 2) {
                        Some(0) => self.token("null"),
                        Some(_) => self.any(),
                        None => self.object(inner, false),
                    },
                }
            } else {
                let key = self.choose(&["extra", "more", "id", ""]);
                self.key(key);
                self.any();
            }
        }
        if self.odd(COMMA, 1).is_some() {
            self.token(",");
        }
        self.token("}");
    }

    /// The evidence root's id.
    fn id(&mut self) {
        match (self.odd(ID, 1), self.pick(4)) {
            (Some(_), _) => self.any(),
            (None, 0) => self.token("null"),
            (None, 1) => self.number_of(&[
                "0",
                "17",
                "-3",
                "9223372036854775808",
                "18446744073709551615",
            ]),
            (None, _) => {
                self.string(&["r-1", "bench-17", "", "a\\\"b", "\\/\\u00e9\\ud83d\\ude00"])
            }
        }
    }

    /// A whole number, or now and then any other form of number, good
    /// JSON or not.
    fn number(&mut self) {
        let whole = [
            "0",
            "1",
            "-1",
            "3",
            "42",
            "100000",
            "9223372036854775807",
            "-9223372036854775808",
        ];
        self.number_of(&whole);
    }

    /// A whole number, one of `whole`, or now and then any other form of
    /// number, good JSON or not.
    fn number_of(&mut self, whole: &[&str]) {
        let number = if self.odd(NUMBER, 1).is_some() {
            self.choose(&[
                "-0",
                "1.0",
                "1.5",
                "-2.5",
                "1e2",
                "1E2",
                "1e-2",
                "2e+1",
                "0e0",
                "1e400",
                "-1e400",
                "-9223372036854775809",
                "18446744073709551616",
                "-18446744073709551616",
                "9223372036854775808",
                "18446744073709551615",
                "01",
                "-01",
                "00",
                "+1",
                "-",
                "1.",
                ".5",
                "1e",
                "0x1",
                "Infinity",
                "NaN",
            ])
        } else {
            self.choose(whole)
        };
        // A number serde_json reads as a float: as an id it is good, and
        // too large it is read as null; the one-pass reader reads none.
        let float = [
            "-0",
            "-9223372036854775809",
            "18446744073709551616",
            "-18446744073709551616",
        ];
        if number.contains(['.', 'e', 'E']) || float.contains(&number) {
            self.exotic = true;
        }
        self.token(number);
    }

    /// A string, one of `good`, or now and then one with a letter escaped,
    /// or another, with escapes and characters a string may not hold.
    fn string(&mut self, good: &[&str]) {
        self.space();
        let s = match self.odd(STRING, 2) {
            Some(0) => self
                .choose(&[
                    "",
                    "x",
                    "good\\u0020",
                    "caf\\u00e9 \u{e9}",
                    "\\ud83d\\ude00 \u{1f600}",
                    "\\ud83d",
                    "\\udc00",
                    "\\ud83d\\u0041",
                    "\\ud83dx",
                    "tab\there",
                    "line\\nend\\r\\t\\b\\f\\/\\\\\\\"",
                    "bad \\x escape",
                    "short \\u12",
                    "hex \\u00G0",
                    "\u{7f} del",
                    "a long string of plain text, past sixteen bytes \u{e9}\u{e9}",
                    "ends in an escape \\\\",
                    "2015-11-09",
                    "2016-02-29",
                    "2015-02-29",
                    "2015-11-9",
                    "2015-11-09T09:30",
                    "09:30",
                    "09:30:15",
                    "24:00",
                ])
                .to_string(),
            Some(_) => {
                // A good one with a letter escaped.
                let s = self.choose(good);
                match s.char_indices().nth(self.pick(s.len().max(1))) {
                    Some((at, c)) => format!(
                        "{}\\u{:04X}{}",
                        &s[..at],
                        u32::from(c),
                        &s[at + c.len_utf8()..]
                    ),
                    None => s.to_string(),
                }
            }
            None => self.choose(good).to_string(),
        };
        self.out.push('"');
        self.out.push_str(&s);
        self.out.push('"');
    }

    /// A field's value of type `ty`: good, or now and then null or of
    /// another type.
    fn value(&mut self, ty: Type) {
        match self.odd(VALUE, 2) {
            Some(0) => return self.token("null"),
            Some(_) => return self.any(),
            None => {}
        }
        match ty {
            Type::Bool => {
                let b = match self.odd(VALUE, 1) {
                    Some(_) => self.choose(&["tru", "falsey", "True", "nul"]),
                    None => self.choose(&["true", "false"]),
                };
                self.token(b);
            }
            Type::Number | Type::Days => self.number(),
            Type::Text => self.string(&[
                "r-1",
                "a",
                "",
                "some text",
                "caf\\u00e9 \u{e9}",
                "\\ud83d\\ude00 \u{1f600}\\uD83D\\uDE00",
                "line\\nend\\r\\t\\b\\f\\/\\\\\\\"",
                "a long string of plain text, past sixteen bytes \u{e9}\u{e9} and on",
            ]),
            Type::Date => self.string(&["2015-11-09", "2016-02-29", "2015-12-25"]),
            Type::DateTime => self.string(&["2015-11-09T09:30", "2016-02-29T23:59:59"]),
            Type::Time => self.string(&["09:30", "23:59:59"]),
            Type::Enum { id, .. } => {
                let model = self.model;
                let values = &model.enums.get(id).unwrap().values;
                let values: Vec<&str> = values.iter().map(String::as_str).collect();
                self.string(&values);
            }
            Type::List(elem) => {
                self.token("[");
                let items = self.pick(4);
                for i in 0..items {
                    if i > 0 {
                        self.token(",");
                    }
                    match (elem, self.odd(LIST, 2)) {
                        (_, Some(0)) => self.token("null"),
                        (_, Some(_)) => self.any(),
                        (Elem::Record(rec), None) => {
                            let model = self.model;
                            let level = declared(&model.records.get(rec).unwrap().fields);
                            self.object(&level, false);
                        }
                        (plain, None) => self.value(plain.ty()),
                    }
                }
                if self.odd(COMMA, 1).is_some() {
                    self.token(",");
                }
                self.token("]");
            }
            _ => self.any(),
        }
    }

    /// Any JSON value, or something that is none.
    fn any(&mut self) {
        match self.pick(8) {
            0 => self.token("null"),
            1 => self.token("true"),
            2 => self.number(),
            3 => self.string(&["text"]),
            4 => self.token("[]"),
            5 => self.token("{}"),
            6 => self.token("[1, \"a\", null]"),
            _ => self.token("{\"more\": 1}"),
        }
    }
}

/// A record's text written from `tape`, whole or cut short, with a byte
/// order mark or not and whatever else after it; and whether it is exotic
/// ([`Writer::exotic`]).
fn written_record(model: &Model, tape: &[u16]) -> (String, bool) {
    let mut writer = Writer {
        model,
        tape: tape.iter(),
        out: String::new(),
        rarity: 1,
        focus: 0,
        focus_rarity: 1,
        ids: 0,
        exotic: false,
    };
    // Some records are odd all over, some hardly at all, and most in one
    // way mostly.
    writer.rarity = [100_000, 100_000, 3000][writer.pick(3)];
    writer.focus = writer.pick(KINDS);
    writer.focus_rarity = [3, 20, 100][writer.pick(3)];
    if writer.odd(AROUND, 1).is_some() {
        writer.out.push('\u{feff}');
    }
    writer.object(&declared(model.fields.as_slice()), true);
    writer.space();
    if writer.odd(AROUND, 1).is_some() {
        let more = writer.choose(&["x", "{}", ",", "\0", "}"]);
        writer.token(more);
    }
    if writer.odd(AROUND, 1).is_some() {
        let mut cut = writer.pick(writer.out.len().max(1));
        while !writer.out.is_char_boundary(cut) {
            cut -= 1;
        }
        writer.out.truncate(cut);
    }
    (writer.out, writer.exotic)
}

/// The one-pass reader's reading of `text` against reading it through a
/// `serde_json::Value`: what it reads, it reads as that does, and that
/// finds nothing wrong (so no error and no warning is lost); and it reads
/// every good record but exotic ones.
fn one_pass_agrees(model: &Model, reader: &Reader, text: &str, exotic: bool) {
    let slow =
        parse_json(text).and_then(|json| read(model, &json, STRICT).map_err(EvalError::Evidence));
    match reader.read(model, text) {
        Some(fast) => {
            let slow = slow.unwrap_or_else(|e| panic!("read in one pass, but {e:?}:\n{text}"));
            assert_eq!(fast.id, slow.id, "{text}");
            assert_eq!(fast.slots, slow.slots, "{text}");
            assert!(fast.warnings.is_empty());
            // The slots not written hold what an absent field has.
            let written = fast.written.as_ref().unwrap().slots();
            let mut once = written.to_vec();
            once.sort_unstable();
            once.dedup();
            assert_eq!(once.len(), written.len(), "{text}");
            for (i, field) in model.fields.iter().enumerate() {
                if !written.contains(&i) {
                    assert_eq!(fast.slots[i], field.absence.value_left_out(), "{i} {text}");
                }
            }
        }
        None => assert!(
            exotic || slow.is_err(),
            "not read in one pass, but good:\n{text}"
        ),
    }
}

proptest::proptest! {
    #![proptest_config(proptest::test_runner::Config {
        cases: 4000,
        failure_persistence: None,
        ..proptest::test_runner::Config::default()
    })]

    /// Records of the children's homes ruleset, good and bad in every way
    /// (see [`Writer`]), are read in one pass exactly when they are good,
    /// and then as the `Value` reader reads them; and the same again once
    /// the reader's key guesses have been set by the record itself.
    #[test]
    fn generated_records_read_in_one_pass_as_through_a_value(
        tape in proptest::collection::vec(proptest::prelude::any::<u16>(), 0..3000)
    ) {
        HOMES.with(|(homes, reader)| {
            let model = homes.editions()[0].model();
            let (text, exotic) = written_record(model, &tape);
            one_pass_agrees(model, reader, &text, exotic);
            one_pass_agrees(model, reader, &text, exotic);
        });
    }
}

thread_local! {
    /// The children's homes ruleset, and one reader of its evidence for
    /// every case, whose key guesses each case leaves for the next.
    static HOMES: (Editions, Reader) = {
        let homes = editions("rulesets/childrens_homes");
        let reader = Reader::new(homes.editions()[0].model()).unwrap();
        (homes, reader)
    };
}

/// The records the proptest above writes are of both kinds, and many of
/// each: read in one pass, and not (all the more of those that are good,
/// the exotic ones aside).
#[test]
fn generated_records_are_read_in_one_pass_and_not() {
    use proptest::strategy::{Strategy, ValueTree};
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let tapes = proptest::collection::vec(proptest::prelude::any::<u16>(), 0..3000);
    let (mut one_pass, mut bad, mut exotic) = (0, 0, 0);
    HOMES.with(|(homes, reader)| {
        let model = homes.editions()[0].model();
        for _ in 0..1000 {
            let tape = tapes.new_tree(&mut runner).unwrap().current();
            let (text, odd) = written_record(model, &tape);
            one_pass_agrees(model, reader, &text, odd);
            match reader.read(model, &text) {
                Some(_) => one_pass += 1,
                None if odd => exotic += 1,
                None => bad += 1,
            }
        }
    });
    assert!(one_pass > 200, "{one_pass}");
    assert!(bad > 200, "{bad}");
    assert!(exotic > 40, "{exotic}");
}

/// A key holding a line break cannot forge a line of the report: the
/// path's control characters are written escaped.
#[test]
fn a_path_is_shown_with_its_control_characters_escaped() {
    let e = EvidenceError {
        path: "x\nerror: forged".into(),
        message: "not a field of this ruleset's evidence".into(),
    };
    assert_eq!(
        e.to_string(),
        "x\\nerror: forged: not a field of this ruleset's evidence"
    );
    assert!(!e.to_string().contains('\n'));
}

#[test]
fn a_time_of_evidence_is_on_a_24_hour_clock_with_no_leap_second() {
    use super::{parse_datetime, parse_time};
    for bad in [
        "11:59:60", "24:00", "12:60", "12:00:99", "1:00", "12:0:00", "12-00",
    ] {
        assert_eq!(parse_time(bad), None, "{bad}");
    }
    assert_eq!(parse_datetime("2012-05-21T11:59:60"), None);
    assert_eq!(
        parse_time("23:59:59"),
        chrono::NaiveTime::from_hms_opt(23, 59, 59)
    );
    assert_eq!(
        parse_time("00:00"),
        chrono::NaiveTime::from_hms_opt(0, 0, 0)
    );
}

/// A key or a value of megabytes is named by its start and length in an
/// error, not repeated whole: an undeclared key, a text where a date goes,
/// a value outside a choice. Both readers say the same.
#[test]
fn a_huge_key_or_value_is_shown_by_its_start_and_length() {
    let ruleset = shapes();
    let huge = "k".repeat(5_000_000);
    let mut evidence = good();
    evidence[huge.as_str()] = json!(1);
    evidence["inspection"]["start"] = json!(huge);
    evidence["proposed"]["leadership"] = json!(huge);
    let text = evidence.to_string();
    same_reading(&ruleset, "huge", &text, STRICT);
    let message = ruleset.read_str(&text, STRICT).0.unwrap_err().to_string();
    assert!(message.len() < 2_000, "{} bytes", message.len());
    let start = "k".repeat(80);
    for expected in [
        format!("{start}... (5000000 characters): not a field"),
        format!("inspection.start: expected a date written YYYY-MM-DD, got \"{start}\"... (5000000 characters)"),
        format!("proposed.leadership: expected one of outstanding, good, requires_improvement, inadequate, got \"{start}\"... (5000000 characters)"),
    ] {
        assert!(message.contains(&expected), "{expected}\nnot in\n{message}");
    }
    // A huge key written twice is named the same way.
    let twice = format!("{{\"{huge}\": 1, \"{huge}\": 2}}");
    let message = ruleset.read_str(&twice, STRICT).0.unwrap_err().to_string();
    assert!(message.len() < 2_000, "{} bytes", message.len());
    assert!(
        message.contains(&format!("`{start}... (5000000 characters)` is given twice")),
        "{message}"
    );
}

/// A key that is not a name (empty, or with a dot, a bracket or a space)
/// is written in a JSON path quoted in brackets, so that the path cannot
/// be read as a field below another or a list's element: a stray key
/// `"manager.vacant_since"` beside `manager` is not the declared field.
/// Both readers say the same; a key given twice is named the same way.
#[test]
fn a_key_that_is_not_a_name_is_quoted_in_its_path() {
    let ruleset = shapes();
    let mut evidence = good();
    evidence["manager.vacant_since"] = json!(null);
    evidence["manager"]["absences[0]"] = json!(1);
    evidence["manager"]["absences"][1]["a b"] = json!(true);
    evidence[""] = json!(1);
    evidence["say \"hi\""] = json!(1);
    let text = evidence.to_string();
    same_reading(&ruleset, "not names", &text, STRICT);
    let errors = match ruleset.read_str(&text, STRICT).0 {
        Err(EvalError::Evidence(errors)) => errors,
        other => panic!("refused for its keys: {:?}", other.map(|_| ())),
    };
    let mut paths: Vec<&str> = errors.iter().map(|e| e.path.as_str()).collect();
    paths.sort_unstable();
    assert_eq!(
        paths,
        [
            "[\"\"]",
            "[\"manager.vacant_since\"]",
            "[\"say \\\"hi\\\"\"]",
            "manager.absences[1][\"a b\"]",
            "manager[\"absences[0]\"]",
        ]
    );
    let twice = r#"{"x": {"a.b": 1, "a.b": 2}}"#;
    let message = ruleset.read_str(twice, STRICT).0.unwrap_err().to_string();
    assert!(
        message.contains(r#"`x["a.b"]` is given twice"#),
        "{message}"
    );
}

/// `whole` of a JSON number written as `text`.
fn whole_of(text: &str) -> Result<i64, super::NotWhole> {
    let n: serde_json::Number = serde_json::from_str(text).unwrap();
    super::whole(&n)
}

#[test]
fn a_number_written_with_a_fraction_or_exponent_is_whole_below_2_to_the_53() {
    use super::NotWhole::{Fraction, Inexact, TooLarge};
    for (text, want) in [
        ("20", Ok(20)),
        ("20.0", Ok(20)),
        ("2e1", Ok(20)),
        ("-0", Ok(0)),
        ("9007199254740991.0", Ok(9_007_199_254_740_991)),
        ("-9007199254740991e0", Ok(-9_007_199_254_740_991)),
        // Digits alone are read exactly, past 2^53 too.
        ("9007199254740993", Ok(9_007_199_254_740_993)),
        // 2^53 + 1 reads as 2^53 as a float: 2^53 itself is refused, as
        // it may have been written as its neighbour.
        ("9007199254740992.0", Err(Inexact)),
        ("9007199254740993e0", Err(Inexact)),
        ("-9007199254740993e0", Err(Inexact)),
        ("1e16", Err(Inexact)),
        ("4503599627370495.5", Err(Fraction)),
        ("2.5", Err(Fraction)),
        ("9223372036854775808", Err(TooLarge)),
        ("-9223372036854775809.0", Err(TooLarge)),
    ] {
        let got = whole_of(text);
        let same = match (&got, &want) {
            (Ok(a), Ok(b)) => a == b,
            (Err(Inexact), Err(Inexact))
            | (Err(Fraction), Err(Fraction))
            | (Err(TooLarge), Err(TooLarge)) => true,
            _ => false,
        };
        assert!(same, "{text}: got {:?}", got.as_ref().ok());
    }
    let n: serde_json::Number = serde_json::from_str("1e16").unwrap();
    assert_eq!(
        Inexact.message(&n, "a number"),
        "a whole number of 2^53 or more in size written with a fraction or an exponent may not be read as written (this one reads as 10000000000000000): write it with digits alone"
    );
}

#[test]
fn only_a_value_that_is_the_type_wanted_but_for_its_quotes_gets_a_hint() {
    use super::quoting_hint;
    for (ty, value, hint) in [
        (
            Type::Bool,
            json!("false"),
            "; write it without quotes: false",
        ),
        (Type::Bool, json!("TRUE"), "; write it without quotes: true"),
        (Type::Number, json!("4"), "; write it without quotes: 4"),
        (
            Type::Days,
            json!("-3.5e2"),
            "; write it without quotes: -3.5e2",
        ),
        (Type::Text, json!(123), "; write it in quotes: \"123\""),
        (Type::Bool, json!("yes"), ""),
        (Type::Bool, json!(1), ""),
        (Type::Number, json!(" 4"), ""),
        (Type::Number, json!("four"), ""),
        (Type::Number, json!("12345678901234567890123"), ""),
        (Type::Number, json!(true), ""),
        (Type::Text, json!(true), ""),
        (Type::Date, json!(20151109), ""),
    ] {
        assert_eq!(quoting_hint(ty, &value), hint, "{ty:?} {value}");
    }
}

#[test]
fn a_date_written_otherwise_is_told_how_only_where_its_meaning_is_plain() {
    use super::{date_hint, datetime_hint};
    for (text, hint) in [
        ("2015-11-09T09:00:00Z", "; write the day alone: 2015-11-09"),
        ("2015-11-09 09:00", "; write the day alone: 2015-11-09"),
        ("2015/11/09", "; write it 2015-11-09"),
        ("2015-11-9", "; write it 2015-11-09"),
        ("2015.1.9", "; write it 2015-01-09"),
        // Day or month first: either of two days.
        ("09/11/2015", "; dates are written year first, YYYY-MM-DD"),
        ("9-11-2015", "; dates are written year first, YYYY-MM-DD"),
        // No such day, or nothing like a date: no hint.
        ("2015/02/30", ""),
        ("2015-111-09", ""),
        ("20151109", ""),
        ("", ""),
        // A month named: the one day it can mean.
        ("9 November 2015", "; write it 2015-11-09"),
        ("Monday 9th Nov 2015", "; write it 2015-11-09"),
        ("November 9, 2015", "; write it 2015-11-09"),
        ("1 Sept. 2015", "; write it 2015-09-01"),
        ("31 November 2015", ""),
        ("9 Novembre 2015", ""),
        ("9 November", ""),
    ] {
        assert_eq!(date_hint(text), hint, "{text}");
    }
    assert_eq!(
        datetime_hint("2015-11-09 09:30"),
        "; write it 2015-11-09T09:30"
    );
    assert_eq!(datetime_hint("2015-11-09 25:30"), "");
    assert_eq!(datetime_hint("9/11/2015 09:30"), "");
}
