//! Evaluation takes short cuts when nothing but the outcome is asked for: a
//! rule that does not fire returns before its effects are looked at, and a
//! `for each` rule whose condition starts with parts that do not read the
//! element is decided once, not for each element, when one of those parts
//! is false (`Model::loop_guards`); and a long list looked up again and
//! again is read through an index (`Model::keyed`). The long way
//! (`Ruleset::evaluate_the_long_way`, as rule coverage evaluates) takes none of
//! them, so the outcome without a trace and the outcome the long way must
//! be the same; these tests hold the two to that, on every ruleset's
//! corpus and on small cases made to reach the edges (an error in a guard,
//! an empty list, an unknown guard). A trace takes the indexes and no other
//! short cut: the outcome with a trace, trace and all, must be the long
//! way's with a trace. A record read from text in one pass takes one more:
//! the leads of the fields it leaves out are not read again
//! (`eval::AtRest`). Why-not's check of a change records one rule's result
//! and takes every short cut: each rule must fire on the same elements as
//! the long way finds (`Ruleset::fired_on`).

#![allow(
    clippy::panic,
    clippy::unwrap_used,
    clippy::indexing_slicing,
    reason = "a test fails by panicking"
)]

use chrono::Datelike;
use judgement_engine::{EvalOptions, Ruleset};
use serde_json::{json, Value};
use std::path::Path;

mod corpora;
mod guards;
mod indexes;
mod lets;
mod loop_guards;
mod nested_reads;
mod random_conditions;
mod sequences;

const TRACE: EvalOptions = EvalOptions {
    trace: true,
    allow_unknown_fields: false,
};

/// The outcome without a trace, and the outcome the long way, as JSON; or
/// the error each gave. The outcome with a trace is held to the long way's
/// with a trace, trace and all, on the way.
fn both(ruleset: &Ruleset, evidence: &Value) -> (Result<Value, String>, Result<Value, String>) {
    let json = |o| serde_json::to_value(o).unwrap();
    let plain = ruleset
        .evaluate(evidence, EvalOptions::default())
        .map(json)
        .map_err(|e| e.to_string());
    let traced = ruleset
        .evaluate(evidence, TRACE)
        .map(json)
        .map_err(|e| e.to_string());
    let long = ruleset
        .evaluate_the_long_way(evidence, TRACE)
        .map(json)
        .map_err(|e| e.to_string());
    assert_eq!(traced, long, "traced, and the long way: {evidence}");
    // Why-not's check of a change (one rule's result, every short cut and
    // index taken) finds the same rules fired, on the same elements.
    assert_eq!(
        ruleset.fired_on(evidence, false).map_err(|e| e.to_string()),
        ruleset.fired_on(evidence, true).map_err(|e| e.to_string()),
        "rule by rule, and the long way: {evidence}"
    );
    let long = long.map(|mut v| {
        v.as_object_mut().unwrap().remove("trace");
        v
    });
    (plain, long)
}

/// The outcome without a trace of `evidence` given as text, read in one
/// pass, as JSON; or its error.
fn by_text(ruleset: &Ruleset, evidence: &Value) -> Result<Value, String> {
    ruleset
        .evaluate_str(&evidence.to_string(), EvalOptions::default())
        .map(|o| serde_json::to_value(o).unwrap())
        .map_err(|e| e.to_string())
}

fn findings(outcome: &Result<Value, String>) -> Vec<String> {
    let outcome = outcome.as_ref().unwrap();
    outcome["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| format!("{} {}", f["finding"].as_str().unwrap(), f["item"]))
        .collect()
}
