//! Evaluating in steps, and into room kept from the record before, gives
//! what evaluating a record afresh gives.
//!
//! - An outcome given back with `Outcome::recycle` lends its vectors to the
//!   next evaluation (`evaluate_str_reusing`,
//!   `select_and_evaluate_str_reusing`). Whatever the outcome before it
//!   held, the next must be exactly what a fresh evaluation gives: every
//!   record of every ruleset's corpus is evaluated both ways, in two orders
//!   (so that each record follows a different one), with and without a
//!   trace, errors included.
//! - A record read first (`Ruleset::read_evidence_str`) and evaluated later
//!   (`ReadEvidence::evaluate`), even twice, gives the same outcome and the
//!   same errors as `evaluate_str`.

#![allow(
    clippy::panic,
    clippy::unwrap_used,
    clippy::indexing_slicing,
    reason = "a test fails by panicking"
)]

use judgement_engine::outcome::{write_json, Spare};
use judgement_engine::{Editions, EvalOptions};
use std::path::Path;

const NAMES: [&str; 5] = [
    "childrens_homes",
    "inspection_process",
    "la_child_protection",
    "monitoring_visits",
    "voluntary_adoption_agencies",
];

fn corpus(name: &str) -> (Editions, Vec<String>) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let editions = Editions::load(&root.join("rulesets").join(name)).unwrap();
    let text = std::fs::read_to_string(root.join(format!("tests/fixtures/bindings/{name}.jsonl")))
        .unwrap();
    (editions, text.lines().map(str::to_string).collect())
}

/// Every line of `lines`, fresh and reusing one spare, gives the same
/// outcome (or the same error) and the same JSON bytes.
fn same_either_way(
    name: &str,
    editions: &Editions,
    lines: &[String],
    options: EvalOptions,
) -> usize {
    let mut spare = Spare::default();
    let mut outcomes = 0;
    for line in lines {
        let fresh = editions.select_and_evaluate_str(line, options);
        let reused = editions.select_and_evaluate_str_reusing(line, options, &mut spare);
        match (fresh, reused) {
            (Ok((a, fresh)), Ok((b, reused))) => {
                assert_eq!(a.version(), b.version(), "{name}: {line}");
                match (fresh, reused) {
                    (Ok(fresh), Ok(reused)) => {
                        assert_eq!(fresh, reused, "{name}: {line}");
                        let (mut x, mut y) = (Vec::new(), Vec::new());
                        write_json(&mut x, &fresh).unwrap();
                        write_json(&mut y, &reused).unwrap();
                        assert_eq!(x, y, "{name}: {line}");
                        reused.recycle(&mut spare);
                        outcomes += 1;
                    }
                    (Err(e), Err(f)) => assert_eq!(e.to_string(), f.to_string(), "{name}: {line}"),
                    (fresh, reused) => panic!("{name}: {line}\n{fresh:?}\n{reused:?}"),
                }
            }
            (Err(e), Err(f)) => assert_eq!(e.to_string(), f.to_string(), "{name}: {line}"),
            (fresh, reused) => panic!("{name}: {line}\n{:?}\n{:?}", fresh.is_ok(), reused.is_ok()),
        }
    }
    outcomes
}

#[test]
fn a_recycled_outcome_leaves_nothing_in_the_next() {
    let mut outcomes = 0;
    for name in NAMES {
        let (editions, mut lines) = corpus(name);
        for options in [
            EvalOptions::default(),
            EvalOptions {
                trace: true,
                allow_unknown_fields: false,
            },
        ] {
            outcomes += same_either_way(name, &editions, &lines, options);
            lines.reverse();
            outcomes += same_either_way(name, &editions, &lines, options);
        }
    }
    assert!(outcomes > 800, "only {outcomes} outcomes compared");
}

#[test]
fn a_ruleset_reusing_gives_what_it_gives_fresh() {
    let (editions, lines) = corpus("childrens_homes");
    let ruleset = &editions.editions()[0];
    let mut spare = Spare::default();
    let mut outcomes = 0;
    for line in lines.iter().chain(lines.iter().rev()) {
        let fresh = ruleset.evaluate_str(line, EvalOptions::default());
        match ruleset.evaluate_str_reusing(line, EvalOptions::default(), &mut spare) {
            Ok(reused) => {
                assert_eq!(fresh.unwrap(), reused, "{line}");
                reused.recycle(&mut spare);
                outcomes += 1;
            }
            Err(e) => assert_eq!(fresh.unwrap_err().to_string(), e.to_string(), "{line}"),
        }
    }
    assert!(outcomes > 100, "only {outcomes} outcomes compared");
}

#[test]
fn evidence_read_first_and_evaluated_later_gives_the_same_outcome() {
    let mut outcomes = 0;
    for name in NAMES {
        let (editions, lines) = corpus(name);
        let mut spare = Spare::default();
        for line in &lines {
            let Ok(ruleset) = editions.select_str(line, EvalOptions::default()) else {
                continue;
            };
            let fresh = ruleset.evaluate_str(line, EvalOptions::default());
            let read = match ruleset.read_evidence_str(line, EvalOptions::default()) {
                Ok(read) => read,
                Err(e) => {
                    assert_eq!(
                        fresh.unwrap_err().to_string(),
                        e.to_string(),
                        "{name}: {line}"
                    );
                    continue;
                }
            };
            let fresh_id = fresh.as_ref().ok().and_then(|o| o.id.clone());
            for _ in 0..2 {
                match (&fresh, read.evaluate(EvalOptions::default(), &mut spare)) {
                    (Ok(fresh), Ok(later)) => {
                        assert_eq!(fresh, &later, "{name}: {line}");
                        assert_eq!(read.id(), fresh_id.as_deref(), "{name}: {line}");
                        later.recycle(&mut spare);
                        outcomes += 1;
                    }
                    (Err(e), Err(f)) => assert_eq!(e.to_string(), f.to_string(), "{name}: {line}"),
                    (fresh, later) => panic!("{name}: {line}\n{fresh:?}\n{later:?}"),
                }
            }
        }
    }
    assert!(outcomes > 400, "only {outcomes} outcomes compared");
}
