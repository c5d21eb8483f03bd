//! Bad input never panics: rule files damaged at many places, evidence with
//! every field given a wrong value, and hostile sizes. Each gives errors.

#![allow(
    clippy::panic,
    clippy::unwrap_used,
    clippy::indexing_slicing,
    reason = "a test fails by panicking"
)]

use judgement::calendar::Calendar;
use judgement::{Editions, EvalOptions, Ruleset};
use serde_json::Value as Json;
use std::path::Path;

fn calendars() -> Vec<Calendar> {
    let text = std::fs::read_to_string("rulesets/calendars/england_and_wales.calendar").unwrap();
    vec![Calendar::parse(&text).unwrap()]
}

#[test]
fn compiled_rulesets_can_be_shared_across_threads() {
    fn send_sync<T: Send + Sync>() {}
    send_sync::<Ruleset>();
    send_sync::<Editions>();
}

/// Damage the children's homes ruleset at many places (a character
/// removed, a stray token inserted, the text cut short): each must give
/// problems or a ruleset, never a panic.
#[test]
fn damaged_rule_files_give_errors_not_panics() {
    let source = std::fs::read_to_string("rulesets/childrens_homes/2015-04.rules").unwrap();
    let mut context = judgement::Context::with_calendars(&calendars());
    context.add_definitions(
        "monitoring_visits",
        "rulesets/definitions/monitoring_visits.rules",
        std::fs::read_to_string("rulesets/definitions/monitoring_visits.rules").unwrap(),
    );
    let label = Path::new("rulesets/childrens_homes/2015-04.rules");
    // The file itself loads: each refusal below is the damage's doing.
    assert!(Ruleset::from_sources(label, &source, &context).is_ok());
    // About 150 places, spread over the whole file however long it grows.
    let step = (source.len() / 150).max(53);
    let boundaries: Vec<usize> = (0..source.len())
        .filter(|i| source.is_char_boundary(*i))
        .step_by(step)
        .collect();
    let mut refused = 0;
    for (n, &at) in boundaries.iter().enumerate() {
        let next = (at + 1..=source.len())
            .find(|i| source.is_char_boundary(*i))
            .unwrap_or(source.len());
        let damaged = match n % 3 {
            0 => format!("{}{}", &source[..at], &source[next..]),
            1 => format!("{} ) = \"{}", &source[..at], &source[at..]),
            _ => source[..at].to_string(),
        };
        if Ruleset::from_sources(label, &damaged, &context).is_err() {
            refused += 1;
        }
    }
    assert!(
        refused > boundaries.len() / 3,
        "only {refused} of {} damaged files were refused",
        boundaries.len()
    );
}

fn wrong_values() -> Vec<Json> {
    serde_json::from_str(r#"[null, true, 0, -1, 2.5, 99999999999999999999, "", "goood", "2015-02-30", "9999-99-99", [], {}, [{}], {"id": 1}]"#).unwrap()
}

/// Every field of the example evidence, given every kind of wrong value,
/// gives an outcome or an error naming a JSON path; never a panic.
#[test]
fn every_wrong_evidence_value_gives_an_error_not_a_panic() {
    let editions = Editions::load(Path::new("rulesets/childrens_homes")).unwrap();
    let text = std::fs::read_to_string("examples/childrens_homes/full_inspection.json").unwrap();
    let example: Json = serde_json::from_str(&text).unwrap();
    let mut paths = Vec::new();
    fn walk(v: &Json, path: Vec<String>, out: &mut Vec<Vec<String>>) {
        if let Json::Object(map) = v {
            for (k, child) in map {
                let mut p = path.clone();
                p.push(k.clone());
                out.push(p.clone());
                walk(child, p, out);
            }
        }
    }
    walk(&example, Vec::new(), &mut paths);
    assert!(paths.len() > 15);
    let mut errors = 0;
    for path in &paths {
        for wrong in wrong_values() {
            let mut evidence = example.clone();
            let mut node = &mut evidence;
            for seg in &path[..path.len() - 1] {
                node = node.get_mut(seg).unwrap();
            }
            node[path.last().unwrap()] = wrong;
            if let Err(e) = editions.evaluate(
                &evidence,
                EvalOptions {
                    trace: true,
                    ..EvalOptions::default()
                },
            ) {
                errors += 1;
                assert!(!e.to_string().is_empty());
            }
        }
    }
    assert!(
        errors > paths.len() * 5,
        "only {errors} wrong values were refused"
    );
}
