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

use super::{read, Evidence, Route};
use crate::error::EvalError;
use crate::ruleset::{parse_json, EvalOptions, Ruleset};
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
                .map(|e| (&e.name, &e.evidence))
                .chain(model.tests.iter().map(|t| (&t.name, &t.evidence)));
            for (name, evidence) in records {
                let text = serde_json::to_string(evidence).unwrap();
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
