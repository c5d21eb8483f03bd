//! Any text as an evidence record, read as JSON and evaluated against every
//! shipped ruleset (the edition in force on its date): an outcome or an
//! error, never a panic. Evaluated from the text (read in one pass when it
//! is a good record) and from its parsed `Value`, it gives the same outcome
//! or the same errors.
#![no_main]
#![forbid(unsafe_code)]

use judgement_engine::{parse_json, EvalOptions};
use judgement_fuzz::editions;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let evidence = parse_json(text);
    let lenient = EvalOptions {
        trace: true,
        allow_unknown_fields: true,
    };
    for ruleset in editions() {
        for options in [EvalOptions::default(), lenient] {
            let by_value = match &evidence {
                Ok(evidence) => ruleset.evaluate(evidence, options),
                Err(e) => Err(e.clone()),
            };
            let by_text = ruleset.evaluate_str(text, options);
            assert!(
                by_text == by_value,
                "text and Value disagree on {text:?}:\n{by_text:?}\n{by_value:?}"
            );
            if let Ok(outcome) = by_text {
                // What the command line prints.
                if let Err(e) = serde_json::to_string(&outcome) {
                    panic!("an outcome does not serialise: {e}");
                }
            }
        }
    }
});
