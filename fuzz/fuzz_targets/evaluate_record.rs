//! A real evidence record from the test corpus, changed in a few places, and
//! evaluated against its ruleset. Raw bytes seldom get past the evidence's
//! schema; changing a field of a record that already passes it (a date moved,
//! a value swapped for another, an element dropped) reaches the rules.
//!
//! The same record must give the same outcome, or the same error, with the
//! trace on as with it off, and from its text as from its `Value`; and every
//! outcome must serialise.
#![no_main]
#![forbid(unsafe_code)]

use judgement_engine::EvalOptions;
use judgement_fuzz::corpus_record;
use judgement_fuzz::mutate::changed;
use libfuzzer_sys::arbitrary::Unstructured;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let Some((ruleset, mut record)) = corpus_record(&mut u) else {
        return;
    };
    changed(&mut u, &mut record);
    let options = EvalOptions {
        trace: false,
        allow_unknown_fields: u.arbitrary().unwrap_or(false),
    };
    let plain = ruleset.evaluate(&record, options);
    // Written out and read back (a float may not come back the same bits,
    // so both sides read the same text).
    let text = record.to_string();
    let from_text = ruleset.evaluate_str(&text, options);
    let by_value =
        judgement_engine::parse_json(&text).and_then(|json| ruleset.evaluate(&json, options));
    assert!(
        from_text == by_value,
        "text and Value disagree on {text}:\n{from_text:?}\n{by_value:?}"
    );
    let traced = ruleset.evaluate(
        &record,
        EvalOptions {
            trace: true,
            ..options
        },
    );
    match (plain, traced) {
        (Ok(plain), Ok(mut traced)) => {
            assert!(traced.trace.is_some(), "no trace when one was asked for");
            traced.trace = None;
            assert!(
                plain == traced,
                "the trace changed the outcome of {record}:\n{plain:?}\n{traced:?}"
            );
            if let Err(e) = serde_json::to_string(&plain) {
                panic!("an outcome does not serialise: {e}");
            }
        }
        (Err(plain), Err(traced)) => {
            assert_eq!(plain, traced, "the trace changed the error for {record}")
        }
        (plain, traced) => panic!(
            "the trace changed the result for {record}:\nwithout: {plain:?}\nwith: {traced:?}"
        ),
    }
});
