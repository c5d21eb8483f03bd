#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "a test over fixed, known-good inputs"
)]
//! Heap allocations (and reallocations) per evidence record, counted with a counting global
//! allocator over the children's homes corpus: JSON text in, outcome JSON
//! out (written as `judgement eval` writes it, with `outcome::write_json`),
//! the trace off. Each stage is counted on its own so a change that adds
//! allocations shows where.
//!
//! Evaluation is counted two ways. As a batch evaluates (`judgement eval`
//! on JSON Lines, a worker of the bindings' batch): each outcome, once
//! written, is given back with `Outcome::recycle` and the next record is
//! evaluated into its vectors (`evaluate_str_reusing`); issue 9's target of
//! at most 5 a record is for this. And as one record on its own is
//! evaluated (`evaluate_str`), where the outcome is new each time.
//!
//! This binary holds one test, so that no other test allocates while it
//! counts. The ceilings are today's figures: a change that allocates more
//! fails here; `cargo test --release --test allocations -- --nocapture`
//! prints the counts.

use judgement::outcome::Spare;
use judgement::{EvalOptions, Ruleset};
use stats_alloc::{Region, StatsAlloc, INSTRUMENTED_SYSTEM};
use std::alloc::System;
use std::path::Path;

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

/// The most allocations a record may take to evaluate from its text (mean
/// over the corpus), reusing the last outcome's room and fresh, and to write
/// its outcome as JSON. Issue 9's target is 5; the ceiling sits below it to
/// catch a regression. A mean over the corpus moves with the corpus: the 104
/// records of December 2026 took 2.9 each, and three monitoring records
/// added then (105-107: findings with messages, a judgement withheld) take
/// about 10 each, so the 107 take 3.1, with the engine unchanged. The 110
/// of today took 3.4 until an element of a list of records was read into
/// slots of its exact number (`Frame::new`): 3.0; and 2.4 since a message's
/// values are written into it, which is made with room for them, where a
/// string was made for each value and the message grew (`Run::message`);
/// 2.2 since the spans of `total days` and the like are gathered with room
/// for each element and merged in place (`spans::merge`). 2.3 since ten
/// records gained an advisory (Annex N para 2, para 103), whose message is
/// made for the record: the engine unchanged.
const EVALUATE_CEILING: f64 = 2.4;
/// A record evaluated on its own, with no outcome to reuse: 9.8 over the 104
/// records, 10.0 over the 107, 9.4 over the 110 with messages made whole;
/// 9.8 over the 117, and 8.8 since a record's judgements are written in
/// place, in the ruleset's order, and no list of the order they were made
/// in is kept to sort them by (`Spare::made`, one allocation a fresh
/// record).
const EVALUATE_FRESH_CEILING: f64 = 8.8;
const SERIALISE_CEILING: f64 = 0.0;

/// The corpus records as one-line JSON, without their `_expect`.
fn records() -> Vec<String> {
    let dir = Path::new("tests/fixtures/eval/childrens_homes");
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|p| {
            let mut json: serde_json::Value =
                serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap();
            json.as_object_mut().unwrap().remove("_expect");
            serde_json::to_string(&json).unwrap()
        })
        .collect()
}

/// Allocations and reallocations (a vector that grows) both go to the heap.
fn heap_calls(stats: &stats_alloc::Stats) -> usize {
    stats.allocations + stats.reallocations
}

#[test]
fn allocations_per_record_stay_under_their_ceilings() {
    let ruleset = Ruleset::load(Path::new("rulesets/childrens_homes/2015-04.rules")).unwrap();
    let records = records();
    let options = EvalOptions::default();
    let mut out = Vec::with_capacity(1 << 16);
    let mut spare = Spare::default();
    // One pass first, so that anything allocated once (lazily, by the
    // standard library) is not counted against a record.
    for line in &records {
        if let Ok(outcome) = ruleset.evaluate_str_reusing(line, options, &mut spare) {
            judgement::outcome::write_json(&mut out, &outcome).unwrap();
            outcome.recycle(&mut spare);
        }
    }
    // Each record on its own, first: a fresh outcome takes the record's
    // id with it, so the reader allocates the next id anew.
    let mut fresh = 0;
    for line in &records {
        let region = Region::new(GLOBAL);
        let outcome = ruleset.evaluate_str(line, options);
        fresh += heap_calls(&region.change());
        drop(outcome);
    }
    let (mut evaluated, mut evaluate, mut serialise) = (0, 0, 0);
    for line in &records {
        out.clear();
        let region = Region::new(GLOBAL);
        let outcome = ruleset.evaluate_str_reusing(line, options, &mut spare);
        evaluate += heap_calls(&region.change());
        let Ok(outcome) = outcome else { continue };
        let region = Region::new(GLOBAL);
        judgement::outcome::write_json(&mut out, &outcome).unwrap();
        serialise += heap_calls(&region.change());
        evaluated += 1;
        outcome.recycle(&mut spare);
    }
    assert!(evaluated > 50, "only {evaluated} records evaluated");
    let per = |n: usize| n as f64 / evaluated as f64;
    println!(
        "{evaluated} records: {:.1} allocations to evaluate ({:.1} fresh), {:.1} to serialise, per record",
        per(evaluate),
        per(fresh),
        per(serialise)
    );
    assert!(
        per(evaluate) <= EVALUATE_CEILING,
        "evaluation allocates {:.1} times a record, more than {EVALUATE_CEILING}",
        per(evaluate)
    );
    assert!(
        per(fresh) <= EVALUATE_FRESH_CEILING,
        "evaluating a record on its own allocates {:.1} times, more than {EVALUATE_FRESH_CEILING}",
        per(fresh)
    );
    assert!(
        per(serialise) <= SERIALISE_CEILING,
        "serialising allocates {:.1} times a record, more than {SERIALISE_CEILING}",
        per(serialise)
    );
}
