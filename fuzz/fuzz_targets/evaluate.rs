//! Any text as an evidence record, read as JSON and evaluated against every
//! shipped ruleset (the edition in force on its date): an outcome or an
//! error, never a panic.
#![no_main]
#![forbid(unsafe_code)]

use judgement_engine::{parse_json, EvalOptions};
use judgement_fuzz::editions;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(evidence) = parse_json(text) else {
        return;
    };
    let lenient = EvalOptions {
        trace: true,
        allow_unknown_fields: true,
    };
    for ruleset in editions() {
        let _ = ruleset.evaluate(&evidence, EvalOptions::default());
        if let Ok(outcome) = ruleset.evaluate(&evidence, lenient) {
            // What the command line prints.
            if let Err(e) = serde_json::to_string(&outcome) {
                panic!("an outcome does not serialise: {e}");
            }
        }
    }
});
