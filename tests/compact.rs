//! The compact form of an outcome (`Outcome::compact`, `judgement eval
//! --compact`): for every record of the corpus (`tests/fixtures/eval/**`)
//! and every test written in the rule files, it meets
//! `contracts/compact.schema.json` and is exactly the projection of the full
//! outcome that the schema describes, computed here from the full outcome's
//! JSON.

#![allow(
    clippy::panic,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "a test fails by panicking"
)]

use judgement::calendar::Calendar;
use judgement::{Editions, EvalOptions, Outcome, Ruleset};
use serde_json::{Map, Value as Json};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

fn compact_validator() -> &'static jsonschema::Validator {
    static V: OnceLock<jsonschema::Validator> = OnceLock::new();
    V.get_or_init(|| {
        let text = std::fs::read_to_string("contracts/compact.schema.json").unwrap();
        jsonschema::validator_for(&serde_json::from_str(&text).unwrap()).unwrap()
    })
}

/// The keys of an entry the compact form keeps, in its order; `provisional`
/// becomes `true`.
fn entry(full: &Json, keys: &[&str]) -> Json {
    let mut out = Map::new();
    for key in keys {
        if let Some(v) = full.get(*key) {
            out.insert((*key).to_string(), v.clone());
        }
    }
    if full.get("provisional").is_some() {
        out.insert("provisional".into(), Json::Bool(true));
    }
    Json::Object(out)
}

/// The `rule` of each entry, sorted, each once.
fn rule_ids(entries: &Json) -> Json {
    let mut ids: Vec<String> = entries
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["rule"].as_str().unwrap().to_string())
        .collect();
    ids.sort();
    ids.dedup();
    Json::from(ids)
}

/// The compact form as contracts/compact.schema.json describes it, from the
/// full outcome's JSON.
fn project(full: &Json) -> Json {
    let mut out = Map::new();
    if let Some(id) = full.get("id") {
        out.insert("id".into(), id.clone());
    }
    out.insert(
        "ruleset".into(),
        serde_json::json!({
            "name": full["ruleset"]["name"],
            "version": full["ruleset"]["version"],
        }),
    );
    out.insert("judgements".into(), full["judgements"].clone());
    let provisional: Vec<Json> = full["details"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(_, d)| d.get("provisional").is_some())
        .map(|(name, _)| Json::String(name.clone()))
        .collect();
    if !provisional.is_empty() {
        out.insert("provisional".into(), Json::Array(provisional));
    }
    let each = |key: &str, keys: &[&str]| -> Json {
        Json::Array(
            full[key]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| entry(e, keys))
                .collect(),
        )
    };
    out.insert(
        "actions".into(),
        each("actions", &["action", "rule", "item", "due", "overdue"]),
    );
    out.insert(
        "deadlines".into(),
        each(
            "deadlines",
            &[
                "deadline", "date", "from", "to", "target", "rule", "item", "overdue",
            ],
        ),
    );
    out.insert(
        "findings".into(),
        each("findings", &["finding", "rule", "item"]),
    );
    out.insert("advisories".into(), rule_ids(&full["advisories"]));
    out.insert("undetermined".into(), rule_ids(&full["undetermined"]));
    Json::Object(out)
}

/// What the outcomes checked hold, so that the test cannot pass on a
/// corpus that never exercises a part of the schema.
#[derive(Default, Debug)]
struct Seen {
    outcomes: usize,
    provisional_judgements: bool,
    provisional_entries: bool,
    items: bool,
    overdue: bool,
    due: bool,
    windows: bool,
    targets: bool,
    advisories: bool,
    undetermined: bool,
}

impl Seen {
    fn note(&mut self, compact: &Json) {
        let text = compact.to_string();
        self.outcomes += 1;
        self.provisional_judgements |= compact.get("provisional").is_some();
        self.provisional_entries |= text.contains("\"provisional\":true");
        self.items |= text.contains("\"item\":");
        self.overdue |= text.contains("\"overdue\":true");
        self.due |= text.contains("\"due\":");
        self.windows |= text.contains("\"from\":");
        self.targets |= text.contains("\"target\":");
        self.advisories |= compact["advisories"]
            .as_array()
            .is_some_and(|a| !a.is_empty());
        self.undetermined |= compact["undetermined"]
            .as_array()
            .is_some_and(|a| !a.is_empty());
    }
}

/// The compact form of one outcome meets the schema, is the projection of
/// the full outcome, and serialises with the projection's keys in the same
/// order.
fn check(name: &str, outcome: &Outcome, seen: &mut Seen) {
    let compact = serde_json::to_value(outcome.compact()).unwrap();
    if let Err(e) = compact_validator().validate(&compact) {
        panic!("{name}: the compact outcome breaks contracts/compact.schema.json: {e}\n{compact}");
    }
    let full = serde_json::to_value(outcome).unwrap();
    let want = project(&full);
    assert_eq!(
        serde_json::to_string(&outcome.compact()).unwrap(),
        want.to_string(),
        "{name}: the compact outcome is not the projection of the full one"
    );
    // What `judgement eval --compact` writes, from the outcome's own lists,
    // and through the outcome's own writer: the same bytes.
    assert_eq!(
        serde_json::to_string(&outcome.compact_json()).unwrap(),
        want.to_string(),
        "{name}: compact_json is not the compact outcome"
    );
    assert_eq!(
        judgement::outcome::to_json_string(&outcome.compact_json()).unwrap(),
        want.to_string(),
        "{name}: compact_json through the outcome's writer is not the compact outcome"
    );
    seen.note(&compact);
}

fn files(dir: &Path, ext: &str, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            files(&path, ext, out);
        } else if path.extension().is_some_and(|x| x == ext) {
            out.push(path);
        }
    }
}

#[test]
fn the_compact_outcome_of_every_corpus_record_meets_its_schema_and_projects_the_full_one() {
    let mut seen = Seen::default();
    let mut records = Vec::new();
    files(Path::new("tests/fixtures/eval"), "json", &mut records);
    let mut loaded: BTreeMap<PathBuf, Editions> = BTreeMap::new();
    for path in &records {
        // tests/fixtures/eval/RULESET/NAME.json
        let ruleset = Path::new("rulesets").join(path.parent().unwrap().file_name().unwrap());
        let editions = loaded
            .entry(ruleset.clone())
            .or_insert_with(|| Editions::load(&ruleset).unwrap());
        let text = std::fs::read_to_string(path).unwrap();
        let mut evidence: Json = serde_json::from_str(&text).unwrap();
        evidence.as_object_mut().unwrap().remove("_expect");
        let outcome = editions
            .evaluate(&evidence, EvalOptions::default())
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        check(&path.display().to_string(), &outcome, &mut seen);
    }
    assert!(seen.outcomes >= 200, "only {} records", seen.outcomes);
    assert!(
        seen.items
            && seen.overdue
            && seen.due
            && seen.windows
            && seen.advisories
            && seen.undetermined,
        "the corpus no longer reaches every part of the compact form: {seen:?}"
    );
}

/// The tests written in the rule files (the shipped rulesets and
/// `tests/fixtures/semantics`) reach what the corpus does not: provisional
/// judgements and entries, and a deadline's target (no shipped rule gives
/// one since the children's homes return visit became the window issue 2
/// fixes; `tests/fixtures/semantics/calendar_terms.rules` does).
#[test]
fn the_compact_outcome_of_every_dsl_test_meets_its_schema_and_projects_the_full_one() {
    let mut seen = Seen::default();
    let mut rule_files = Vec::new();
    files(Path::new("rulesets"), "rules", &mut rule_files);
    files(
        Path::new("tests/fixtures/semantics"),
        "rules",
        &mut rule_files,
    );
    let text = std::fs::read_to_string("rulesets/calendars/england_and_wales.calendar").unwrap();
    let calendars = vec![Calendar::parse(&text).unwrap()];
    for file in rule_files {
        let source = std::fs::read_to_string(&file).unwrap();
        if judgement::file_kind(&source) == judgement::ast::FileKind::Definitions {
            continue;
        }
        // The fixtures use no definitions, and no calendar folder is above them.
        let loaded = if file.starts_with("rulesets") {
            Ruleset::load(&file).ok()
        } else {
            Ruleset::from_source(&source, &calendars).ok()
        };
        let Some(ruleset) = loaded else {
            panic!("{} does not load", file.display());
        };
        for (name, evidence) in ruleset.test_cases() {
            let Ok(outcome) = ruleset.evaluate(&evidence, EvalOptions::default()) else {
                continue;
            };
            check(
                &format!("{}: {}", file.display(), name),
                &outcome,
                &mut seen,
            );
        }
    }
    assert!(seen.outcomes > 80, "only {} outcomes", seen.outcomes);
    assert!(
        seen.provisional_judgements
            && seen.provisional_entries
            && seen.undetermined
            && seen.targets,
        "the tests no longer reach every part of the compact form: {seen:?}"
    );
}

/// The schema is strict: a key it does not know, or an entry's citation,
/// fails validation.
#[test]
fn the_compact_schema_refuses_unknown_fields_and_citations() {
    let text = std::fs::read_to_string("examples/childrens_homes/full_inspection.json").unwrap();
    let evidence: Json = serde_json::from_str(&text).unwrap();
    let editions = Editions::load(Path::new("rulesets/childrens_homes")).unwrap();
    let outcome = editions
        .evaluate(&evidence, EvalOptions::default())
        .unwrap();
    let mut json = serde_json::to_value(outcome.compact()).unwrap();
    assert!(compact_validator().validate(&json).is_ok());
    assert!(json.get("details").is_none() && json.get("trace").is_none());
    json["actions"][0]["cite"] = Json::String("para 1".into());
    assert!(compact_validator().validate(&json).is_err());
    json["actions"][0].as_object_mut().unwrap().remove("cite");
    json["details"] = serde_json::json!({});
    assert!(compact_validator().validate(&json).is_err());
}
