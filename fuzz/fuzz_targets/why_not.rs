//! Why-not asked of a real evidence record from the test corpus, changed in
//! a few places ([`judgement_fuzz::mutate`]): why a rule did not fire (or
//! did), or why a judgement is not a value. Working back, the search of
//! one-field changes and the check of each change edit the record and
//! evaluate it again, over whatever the changes left in it.
//!
//! The answer, or the error, must come without a panic; an answer must
//! serialise as JSON and be written out in words.
#![no_main]
#![forbid(unsafe_code)]

use judgement_engine::{why_not_in_force, why_not_text, EvalOptions};
use judgement_fuzz::corpus_record;
use judgement_fuzz::mutate::changed;
use libfuzzer_sys::arbitrary::Unstructured;
use libfuzzer_sys::fuzz_target;
use serde_json::Value as Json;

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let Some((editions, mut record)) = corpus_record(&mut u) else {
        return;
    };
    if u.arbitrary().unwrap_or(true) {
        changed(&mut u, &mut record);
    }
    let Ok(ruleset) = editions.select(&record) else {
        return;
    };
    let options = EvalOptions::default();
    let Some(target) = question(&mut u, ruleset, &record, options) else {
        return;
    };
    match why_not_in_force(ruleset, &record, &target, options) {
        Ok(answer) => {
            if let Err(e) = serde_json::to_string(&answer) {
                panic!("the answer to why not {target} does not serialise: {e}");
            }
            let text = why_not_text(ruleset, &answer);
            assert!(!text.is_empty(), "no words for why not {target}");
        }
        Err(e) => {
            let _ = e.to_string();
        }
    }
});

/// What is asked: a rule of the ruleset, or `judgement=value` with a
/// judgement the outcome names and a value the record proposes somewhere.
fn question(
    u: &mut Unstructured<'_>,
    ruleset: &judgement_engine::Ruleset,
    record: &Json,
    options: EvalOptions,
) -> Option<String> {
    if u.ratio(3, 4).ok()? {
        let rules: Vec<&str> = ruleset.rules_as_written().map(|(id, _, _)| id).collect();
        return u.choose(&rules).ok().map(|id| id.to_string());
    }
    let outcome = serde_json::to_value(ruleset.evaluate(record, options).ok()?).ok()?;
    let judgements: Vec<&String> = outcome.get("judgements")?.as_object()?.keys().collect();
    let values: Vec<&str> = record
        .get("proposed")?
        .as_object()?
        .values()
        .filter_map(Json::as_str)
        .collect();
    Some(format!(
        "{}={}",
        u.choose(&judgements).ok()?,
        u.choose(&values).ok()?
    ))
}
