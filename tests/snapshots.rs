//! Snapshot tests over tests/fixtures:
//! - `rules/*.rules`: each states `# expect: syntax | check | warning | ok`
//!   on its first line; the harness checks that and snapshots the problems
//!   rendered as a reader sees them.
//! - `eval/childrens_homes/*.json`: evidence records, each with a
//!   hand-computed `_expect` (taken off before evaluating: it is not
//!   evidence); the outcome must match it, meets the project's outcome
//!   schema (`contracts/outcome.schema.json`) and the shared contract it
//!   extends (`../shared/contracts/outcome.schema.json`; the test says so
//!   when `../shared` is missing), and is snapshotted.
//! - `eval_errors/childrens_homes/*.json`: bad evidence; the error is
//!   snapshotted.

#![allow(
    clippy::panic,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "a test fails by panicking"
)]

use judgement::calendar::Calendar;
use judgement::{Editions, EvalOptions, Problem, Ruleset};
use miette::{GraphicalReportHandler, GraphicalTheme, NamedSource, Report};
use serde_json::Value as Json;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::OnceLock;

fn calendars() -> Vec<Calendar> {
    let text = std::fs::read_to_string("rulesets/calendars/england_and_wales.calendar").unwrap();
    vec![Calendar::parse(&text).unwrap()]
}

fn render(name: &str, source: &str, problems: &[Problem]) -> String {
    let handler =
        GraphicalReportHandler::new_themed(GraphicalTheme::unicode_nocolor()).with_width(100);
    let mut out = String::new();
    for p in problems {
        let report =
            Report::new(p.clone()).with_source_code(NamedSource::new(name, source.to_string()));
        handler.render_report(&mut out, report.as_ref()).unwrap();
        out.push('\n');
    }
    out
}

#[test]
fn rule_fixtures() {
    let calendars = calendars();
    insta::glob!("fixtures/rules/*.rules", |path| {
        let source = std::fs::read_to_string(path).unwrap();
        let expect = source
            .lines()
            .next()
            .and_then(|l| l.strip_prefix("# expect: "))
            .unwrap_or_else(|| panic!("{} has no `# expect:` header", path.display()))
            .trim()
            .to_string();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let (kind, problems) = match Ruleset::from_source(&source, &calendars) {
            Ok(r) if r.warnings().is_empty() => ("ok", Vec::new()),
            Ok(r) => ("warning", r.warnings().to_vec()),
            Err(problems) if problems.iter().any(|p| matches!(p, Problem::Syntax(_))) => {
                ("syntax", problems)
            }
            Err(problems) => ("check", problems),
        };
        assert_eq!(kind, expect, "{name}: expected {expect}, got {kind}");
        insta::assert_snapshot!(render(&name, &source, &problems));
    });
}

fn editions() -> &'static Editions {
    static E: OnceLock<Editions> = OnceLock::new();
    E.get_or_init(|| Editions::load(Path::new("rulesets/childrens_homes")).unwrap())
}

/// A file of `../shared`, the project's shared material checked out beside
/// the repository at `root`; when it is not there, an error that says so and
/// where it looked.
fn read_shared(root: &Path, relative: &str) -> Result<String, String> {
    let shared = root.parent().unwrap_or(root).join("shared");
    let path = shared.join(relative);
    std::fs::read_to_string(&path).map_err(|e| {
        if shared.is_dir() {
            format!("cannot read `{}`: {e}", path.display())
        } else {
            format!(
                "`../shared` is missing: this test needs `{relative}` from it and looked for `{}`; \
                 check out the shared material beside the repository",
                path.display()
            )
        }
    })
}

#[test]
fn a_missing_shared_folder_is_named_with_where_it_was_looked_for() {
    let err = read_shared(
        Path::new("/no/such/place/judgement"),
        "contracts/outcome.schema.json",
    )
    .unwrap_err();
    assert!(err.starts_with("`../shared` is missing"), "{err}");
    assert!(
        err.contains("`/no/such/place/shared/contracts/outcome.schema.json`"),
        "{err}"
    );
}

/// The shared contract the project's outcome schema started from: every
/// outcome must still meet it.
fn shared_validator() -> &'static jsonschema::Validator {
    static V: OnceLock<jsonschema::Validator> = OnceLock::new();
    V.get_or_init(|| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let text =
            read_shared(root, "contracts/outcome.schema.json").unwrap_or_else(|e| panic!("{e}"));
        jsonschema::validator_for(&serde_json::from_str(&text).unwrap()).unwrap()
    })
}

/// The project's own outcome schema, `contracts/outcome.schema.json`.
fn outcome_validator() -> &'static jsonschema::Validator {
    static V: OnceLock<jsonschema::Validator> = OnceLock::new();
    V.get_or_init(|| {
        let text = std::fs::read_to_string("contracts/outcome.schema.json").unwrap();
        jsonschema::validator_for(&serde_json::from_str(&text).unwrap()).unwrap()
    })
}

/// An outcome that breaks either schema fails the test, naming the case.
fn validate(name: &str, json: &Json) {
    if let Err(e) = outcome_validator().validate(json) {
        panic!("{name}: outcome breaks contracts/outcome.schema.json: {e}");
    }
    if let Err(e) = shared_validator().validate(json) {
        panic!("{name}: outcome breaks the shared contract: {e}");
    }
}

/// The schema is strict: a field it does not know fails validation, so an
/// accidental rename cannot pass unseen.
#[test]
fn the_outcome_schema_refuses_unknown_fields() {
    let text = std::fs::read_to_string("examples/childrens_homes/full_inspection.json").unwrap();
    let evidence: Json = serde_json::from_str(&text).unwrap();
    let outcome = editions()
        .evaluate(&evidence, EvalOptions::default())
        .unwrap();
    let mut json = serde_json::to_value(&outcome).unwrap();
    validate("full_inspection", &json);
    json["actions"][0]["actoin"] = Json::String("misspelt".into());
    assert!(outcome_validator().validate(&json).is_err());
}

/// Every DSL test of every ruleset gives an outcome that meets the schema
/// (or an evaluation error): the new parts of the outcome (findings,
/// provisional entries, due dates, targets) are covered by those tests.
#[test]
fn the_outcomes_of_every_dsl_test_meet_the_schema() {
    let mut files = Vec::new();
    for dir in ["rulesets", "tests/fixtures/semantics"] {
        collect_rule_files(Path::new(dir), &mut files);
    }
    let text = std::fs::read_to_string("rulesets/calendars/england_and_wales.calendar").unwrap();
    let calendars = vec![Calendar::parse(&text).unwrap()];
    let mut count = 0;
    for file in files {
        let source = std::fs::read_to_string(&file).unwrap();
        // Definitions hold no tests: the rulesets that use them do.
        if judgement::file_kind(&source) == judgement::ast::FileKind::Definitions {
            continue;
        }
        // A ruleset under rulesets/ may use definitions, which `load` finds
        // beside it; the fixtures use none, and no calendar folder is above them.
        let loaded = if file.starts_with("rulesets") {
            judgement::Ruleset::load(&file).ok()
        } else {
            judgement::Ruleset::from_source(&source, &calendars).ok()
        };
        let Some(ruleset) = loaded else {
            panic!("{} does not load", file.display());
        };
        for (name, evidence) in ruleset.test_cases() {
            let Ok(outcome) = ruleset.evaluate(&evidence, EvalOptions::default()) else {
                continue;
            };
            count += 1;
            let json = serde_json::to_value(&outcome).unwrap();
            validate(&format!("{}: {}", file.display(), name), &json);
        }
    }
    assert!(count > 80, "only {count} outcomes were checked");
}

fn collect_rule_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            collect_rule_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rules") {
            out.push(p);
        }
    }
}

/// An entry's name, with its list element's id when it has one:
/// `absence_notice[a1]`.
fn keyed(name: &Json, item: &Json) -> String {
    let name = name.as_str().unwrap();
    match item.as_str() {
        Some(item) => format!("{name}[{item}]"),
        None => name.to_string(),
    }
}

/// The parts of an outcome that `_expect` states, in the same shape:
/// judgements; actions and findings as sorted sets of names (with `[item]`
/// where a list element gave them); each deadline as a date, or
/// `[from, to]` for a window; the rules that gave advisories.
fn observed(outcome: &Json) -> Json {
    let judgements = outcome["judgements"].clone();
    let names = |list: &str, key: &str| -> BTreeSet<String> {
        outcome[list]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| keyed(&e[key], &e["item"]))
            .collect()
    };
    let mut deadlines = BTreeMap::new();
    for d in outcome["deadlines"].as_array().unwrap() {
        let when = match d.get("date") {
            Some(date) => date.clone(),
            None => serde_json::json!([d["from"], d["to"]]),
        };
        deadlines.insert(keyed(&d["deadline"], &d["item"]), when);
    }
    let advisories: BTreeSet<&str> = outcome["advisories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["rule"].as_str().unwrap())
        .collect();
    serde_json::json!({
        "judgements": judgements,
        "actions": names("actions", "action"),
        "deadlines": deadlines,
        "findings": names("findings", "finding"),
        "advisory_rules": advisories,
    })
}

/// A corpus record and its `_expect`, taken off: evaluation refuses keys the
/// ruleset does not declare.
fn corpus_record(path: &Path) -> (Json, Option<Json>) {
    let text = std::fs::read_to_string(path).unwrap();
    let mut evidence: Json = serde_json::from_str(&text).unwrap();
    let expect = evidence.as_object_mut().unwrap().remove("_expect");
    (evidence, expect)
}

/// Evaluate one corpus record; check the outcome against both schemas and
/// against the record's `_expect` (computed outside the engine; `findings`
/// may be left out when there are none). The outcome, for a snapshot.
fn corpus_outcome(editions: &Editions, path: &Path) -> Json {
    let (evidence, expect) = corpus_record(path);
    let outcome = editions
        .evaluate(&evidence, EvalOptions::default())
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut json = serde_json::to_value(&outcome).unwrap();
    validate(&path.display().to_string(), &json);
    // The record meets the evidence schema of the edition that read it:
    // the schema accepts what evaluation accepts.
    let edition = editions.edition(outcome.ruleset.version).unwrap();
    let schema = jsonschema::validator_for(&edition.schema()).unwrap();
    if let Err(e) = schema.validate(&evidence) {
        panic!("{}: the evidence schema refuses it: {e}", path.display());
    }
    let expect = expect.unwrap_or_else(|| panic!("{} has no _expect", path.display()));
    let mut want = expect.clone();
    let fields = want.as_object_mut().unwrap();
    fields.remove("why");
    fields
        .entry("findings")
        .or_insert_with(|| Json::Array(Vec::new()));
    let got = observed(&json);
    // Compare as sets: the order of `_expect` lists is not significant.
    let norm = |v: &Json| -> Json {
        let mut v = v.clone();
        for key in ["actions", "findings", "advisory_rules"] {
            if let Some(arr) = v.get_mut(key).and_then(Json::as_array_mut) {
                arr.sort_by_key(|x| x.to_string());
            }
        }
        v
    };
    assert_eq!(
        norm(&got),
        norm(&want),
        "{}: {}\ngot:  {got}\nwant: {want}",
        path.display(),
        expect["why"]
    );
    json["ruleset"]["digest"] = Json::String("[digest]".into());
    json
}

/// A test over one ruleset's corpus, `tests/fixtures/eval/RULESET/*.json`,
/// snapshotting each outcome, and over its bad records,
/// `tests/fixtures/eval_errors/RULESET/*.json`, snapshotting each error.
macro_rules! corpus {
    ($corpus:ident, $errors:ident, $ruleset:literal, $min:expr) => {
        #[test]
        fn $corpus() {
            let editions = Editions::load(Path::new(concat!("rulesets/", $ruleset))).unwrap();
            let mut count = 0;
            insta::glob!(concat!("fixtures/eval/", $ruleset, "/*.json"), |path| {
                count += 1;
                insta::assert_json_snapshot!(corpus_outcome(&editions, path));
            });
            assert!(
                count >= $min,
                "the {} corpus has {count} records; it should cover every rule",
                $ruleset
            );
        }

        #[test]
        fn $errors() {
            let editions = Editions::load(Path::new(concat!("rulesets/", $ruleset))).unwrap();
            insta::glob!(
                concat!("fixtures/eval_errors/", $ruleset, "/*.json"),
                |path| {
                    let text = std::fs::read_to_string(path).unwrap();
                    let result = judgement::parse_json(&text)
                        .and_then(|json| editions.evaluate(&json, EvalOptions::default()));
                    let err = result.expect_err("bad evidence must be refused");
                    insta::assert_snapshot!(err.to_string());
                }
            );
        }
    };
}

corpus!(evidence_corpus, bad_evidence, "childrens_homes", 30);
corpus!(
    la_child_protection_corpus,
    la_child_protection_bad_evidence,
    "la_child_protection",
    15
);
corpus!(
    inspection_process_corpus,
    inspection_process_bad_evidence,
    "inspection_process",
    15
);
corpus!(
    voluntary_adoption_agencies_corpus,
    voluntary_adoption_agencies_bad_evidence,
    "voluntary_adoption_agencies",
    15
);
corpus!(
    monitoring_visits_corpus,
    monitoring_visits_bad_evidence,
    "monitoring_visits",
    15
);

#[test]
fn same_evidence_gives_byte_identical_outcomes() {
    let text = std::fs::read_to_string("examples/childrens_homes/full_inspection.json").unwrap();
    let evidence: Json = serde_json::from_str(&text).unwrap();
    let a = serde_json::to_string(
        &editions()
            .evaluate(&evidence, EvalOptions::default())
            .unwrap(),
    )
    .unwrap();
    let b = serde_json::to_string(
        &editions()
            .evaluate(&evidence, EvalOptions::default())
            .unwrap(),
    )
    .unwrap();
    assert_eq!(a, b);
}

#[test]
fn evidence_outside_every_edition_is_an_error_naming_the_date() {
    let text = std::fs::read_to_string("examples/childrens_homes/full_inspection.json").unwrap();
    let mut evidence: Json = serde_json::from_str(&text).unwrap();
    evidence["inspection"]["start"] = Json::String("2014-06-02".into());
    let err = editions()
        .evaluate(&evidence, EvalOptions::default())
        .unwrap_err();
    let message = err.to_string();
    assert!(message.contains("2014-06-02"), "{message}");
    assert!(message.contains("2015-04 (from 2015-04-01)"), "{message}");
}

#[test]
fn a_deadline_past_the_calendar_is_an_error() {
    let text = std::fs::read_to_string("examples/childrens_homes/full_inspection.json").unwrap();
    let mut evidence: Json = serde_json::from_str(&text).unwrap();
    evidence["inspection"]["start"] = Json::String("2027-12-20".into());
    evidence["inspection"]["end"] = Json::String("2027-12-22".into());
    evidence["inspection"]["feedback"] = Json::String("2027-12-22".into());
    let err = editions()
        .evaluate(&evidence, EvalOptions::default())
        .unwrap_err();
    assert!(err.to_string().contains("2028"), "{err}");
}

#[path = "../benches/handwritten.rs"]
#[allow(
    dead_code,
    clippy::cast_possible_truncation,
    reason = "shared with the bench"
)]
mod handwritten;

/// The hand-written baseline of the benches computes what the engine does,
/// over the whole corpus: the comparison in the benches is like for like. The
/// baseline reads each record's text into its own typed structs (`_expect`
/// and all: serde skips the keys it does not know), and its outcome's JSON
/// has the engine's shape for the parts it computes.
#[test]
fn the_handwritten_baseline_agrees_with_the_engine() {
    let holidays = baseline_holidays();
    let mut count = 0;
    for entry in std::fs::read_dir("tests/fixtures/eval/childrens_homes").unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|x| x != "json") {
            continue;
        }
        count += 1;
        let (evidence, _) = corpus_record(&path);
        let record = std::fs::read_to_string(&path).unwrap();
        baseline_agrees(&holidays, &evidence, &record, &path.display().to_string());
    }
    assert!(count >= 30);
}

/// The records of audit 23's differential run on which the baseline and the
/// engine differed, each the smallest that showed it: the engine was right
/// in each, and the baseline now agrees, advice included. A decline whose
/// case review agreed to notify the local authorities (Annex C para 3); a
/// provisional judgement of a kind the inspection does not make (para 182);
/// a new responsible individual (Annex M para 6) and a serious incident
/// before publication (Annex J para 1); a list given as `null`; a caution
/// and an offence at a full inspection (advice at visits only); leadership
/// inadequate where Annex G withholds the judgements (para 104's advice).
/// The corpus's records are compared so too, advice included.
#[test]
fn the_handwritten_baseline_agrees_with_the_engine_where_it_once_did_not() {
    let holidays = baseline_holidays();
    let full = r#""inspection":{"kind":"full","start":"2015-11-09","end":"2015-11-10","feedback":"2015-11-10"},"home":{"secure":false,"children_placed":3},"proposed":{"overall":"good","helped_and_protected":"good","leaders_and_managers":"good"}"#;
    let records = [
        r#"{"inspection":{"kind":"interim","start":"2015-11-09","end":"2015-11-09","feedback":"2015-11-09"},"home":{"secure":false,"children_placed":3},"proposed":{"interim":"declined_in_effectiveness"},"case_review":{"notify_local_authorities":true}}"#.to_string(),
        r#"{"inspection":{"kind":"interim","start":"2015-11-09","end":"2015-11-09","feedback":"2015-11-09"},"home":{"secure":false,"children_placed":3},"proposed":{"interim":"sustained_effectiveness"},"provisional":{"overall":"good"}}"#.to_string(),
        format!(r#"{{{full},"provisional":{{"interim":"sustained_effectiveness"}}}}"#),
        format!(r#"{{{full},"report":{{"serious_incident_before_publication":true}}}}"#),
        format!(r#"{{{full},"notifications":null,"requirements":null}}"#),
        format!(r#"{{{full},"caution":{{"subject":"registered_manager"}},"offence":{{"suspected":true}}}}"#),
        r#"{"inspection":{"kind":"full","start":"2015-11-09","end":"2015-11-10","feedback":"2015-11-10"},"home":{"secure":false,"children_placed":0,"intends_to_take_placements":false},"proposed":{},"manager":{"vacant_since":"2015-05-11"}}"#.to_string(),
        r#"{"inspection":{"kind":"full","start":"2015-11-09","end":"2015-11-10","feedback":"2015-11-10"},"home":{"secure":false,"children_placed":3,"responsible_individual_changed":true},"proposed":{"overall":"good","helped_and_protected":"good","leaders_and_managers":"good"}}"#.to_string(),
    ];
    for record in &records {
        let evidence: Json = serde_json::from_str(record).unwrap();
        baseline_agrees(&holidays, &evidence, record, record);
    }
}

fn baseline_holidays() -> BTreeSet<chrono::NaiveDate> {
    let text = std::fs::read_to_string("rulesets/calendars/england_and_wales.calendar").unwrap();
    handwritten::holidays(&Calendar::parse(&text).unwrap())
}

/// The baseline's judgements, actions, deadlines and advice (the rules
/// that advised) for `record` (the text of `evidence`) are the engine's,
/// and so is the JSON of each; `what` names the record in a failure.
fn baseline_agrees(
    holidays: &BTreeSet<chrono::NaiveDate>,
    evidence: &Json,
    record: &str,
    what: &str,
) {
    let engine = editions()
        .evaluate(evidence, EvalOptions::default())
        .unwrap();
    let hand = handwritten::evaluate_str(holidays, record);
    let judgements: BTreeMap<String, Option<String>> = engine
        .judgements
        .iter()
        .map(|(name, v)| (name.to_string(), v.map(str::to_string)))
        .collect();
    let hand_judgements: BTreeMap<String, Option<String>> = hand
        .judgements
        .iter()
        .map(|(name, v)| (name.to_string(), v.map(|r| r.to_string())))
        .collect();
    assert_eq!(hand_judgements, judgements, "{what}");
    let mut actions: Vec<&str> = engine.actions.iter().map(|a| a.action).collect();
    actions.dedup();
    assert_eq!(hand.actions, actions, "{what}");
    let mut deadlines: Vec<(String, String, Option<String>)> = engine
        .deadlines
        .iter()
        .map(|d| {
            let first = d.first_day().unwrap().to_string();
            (d.deadline.to_string(), first, d.to.map(|t| t.to_string()))
        })
        .collect();
    deadlines.sort();
    let hand_deadlines: Vec<(String, String, Option<String>)> = hand
        .deadlines
        .iter()
        .map(|(n, d, to)| (n.to_string(), d.to_string(), to.map(|t| t.to_string())))
        .collect();
    assert_eq!(hand_deadlines, deadlines, "{what}");

    // The JSON: the id and the judgements as the engine writes them;
    // each action and deadline with the engine's keys for what it says.
    let hand_json = serde_json::to_value(&hand).unwrap();
    let engine_json = serde_json::to_value(&engine).unwrap();
    for key in ["id", "judgements"] {
        assert_eq!(hand_json[key], engine_json[key], "{what}");
    }
    let project = |json: &Json, list: &str, keys: &[&str]| -> BTreeSet<String> {
        let items = json[list].as_array().unwrap().iter();
        items
            .map(|item| {
                let kept: serde_json::Map<String, Json> = keys
                    .iter()
                    .filter_map(|k| Some((k.to_string(), item.get(*k)?.clone())))
                    .collect();
                Json::Object(kept).to_string()
            })
            .collect()
    };
    let keys: [(&str, &[&str]); 2] = [
        ("actions", &["action"]),
        ("deadlines", &["deadline", "date", "from", "to"]),
    ];
    for (list, keys) in keys {
        assert_eq!(
            project(&hand_json, list, keys),
            project(&engine_json, list, keys),
            "{what}: {list}"
        );
    }
    // Each advisory rule as many times as it advised (once an element).
    let mut advice: Vec<&str> = engine.advisories.iter().map(|a| a.rule).collect();
    let mut hand_advice: Vec<&str> = hand.advisories.clone();
    advice.sort_unstable();
    hand_advice.sort_unstable();
    assert_eq!(hand_advice, advice, "{what}: advice");
}
