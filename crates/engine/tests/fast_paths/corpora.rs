//! Every shipped ruleset's corpus and bad records: the same outcome, and the
//! same refusal, by the short cuts, the long way and read in one pass.

use super::*;

/// The shipped rulesets, each with a corpus and bad records.
const RULESETS: [&str; 5] = [
    "childrens_homes",
    "inspection_process",
    "la_child_protection",
    "monitoring_visits",
    "voluntary_adoption_agencies",
];

#[test]
fn every_corpus_gives_the_same_outcome_by_the_short_cuts_and_the_long_way() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut records = 0;
    for name in RULESETS {
        let editions = judgement_engine::Editions::load(&root.join("rulesets").join(name)).unwrap();
        let corpus = root.join(format!("tests/fixtures/bindings/{name}.jsonl"));
        for line in std::fs::read_to_string(corpus).unwrap().lines() {
            let Ok(evidence) = serde_json::from_str::<Value>(line) else {
                continue;
            };
            let Ok(ruleset) = editions.select(&evidence) else {
                continue;
            };
            // `both` also holds why-not's check of a change, rule by rule,
            // to the long way (`Ruleset::fired_on`).
            let (plain, long) = both(ruleset, &evidence);
            assert_eq!(plain, long, "{name}: {line}");
            // Read in one pass, record after record through one reader:
            // the leads of the fields a record leaves out are taken as read
            // on the defaults (`eval::AtRest`), the others read again.
            let by_text = ruleset
                .evaluate_str(line, EvalOptions::default())
                .map(|o| serde_json::to_value(o).unwrap())
                .map_err(|e| e.to_string());
            assert_eq!(by_text, long, "{name}, read in one pass: {line}");
            records += 1;
        }
    }
    assert!(records > 200, "only {records} records read");
}

/// Every bad record of every ruleset is refused alike read in one pass,
/// where the checks a record cannot break are passed by on what they come
/// to on the defaults (`eval::AtRest::quiet_checks`), and read as a JSON
/// value, where every check is asked: the same error, the same words.
#[test]
fn every_bad_record_is_refused_alike_read_in_one_pass_and_as_a_value() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut refused = 0;
    for name in RULESETS {
        let editions = judgement_engine::Editions::load(&root.join("rulesets").join(name)).unwrap();
        let dir = root.join("tests/fixtures/eval_errors").join(name);
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap();
            let Ok(evidence) = serde_json::from_str::<Value>(&text) else {
                continue;
            };
            let Ok(ruleset) = editions.select(&evidence) else {
                continue;
            };
            let as_value = ruleset
                .evaluate(&evidence, EvalOptions::default())
                .map(|o| serde_json::to_value(o).unwrap())
                .map_err(|e| e.to_string());
            assert_eq!(by_text(ruleset, &evidence), as_value, "{}", path.display());
            refused += usize::from(as_value.is_err());
        }
    }
    assert!(refused > 50, "only {refused} records refused");
}
