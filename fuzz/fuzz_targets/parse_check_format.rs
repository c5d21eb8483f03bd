//! Any text as a rule file: parsing, checking and formatting give errors or
//! results, never a panic. When the text parses, its canonical layout parses
//! to the same tree, formats to itself, and keeps every comment; when it also
//! checks, its own tests run and an empty record is evaluated.
#![no_main]
#![forbid(unsafe_code)]

use judgement_engine::{Definitions, EvalOptions, FileProblems, Ruleset};
use judgement_fuzz::{comments, context};
use judgement_syntax::ast::FileKind;
use judgement_syntax::{file_kind, format_source, parse_file, Span};
use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let parsed = parse_file(text);
    check(text);
    match parsed {
        Ok(tree) => {
            let once = match format_source(text) {
                Ok(once) => once,
                Err(errors) => panic!("a file that parses does not format: {errors:?}"),
            };
            match parse_file(&once) {
                Ok(again) => assert!(
                    tree == again,
                    "the formatted file parses to another tree:\n{once}"
                ),
                Err(errors) => {
                    panic!("the formatted file does not parse: {errors:?}\n{once}")
                }
            }
            match format_source(&once) {
                Ok(twice) => assert!(
                    once == twice,
                    "formatting is not idempotent:\n{once}\n---\n{twice}"
                ),
                Err(errors) => panic!("the formatted file does not format: {errors:?}"),
            }
            assert_eq!(comments(text), comments(&once), "formatting lost a comment");
        }
        Err(errors) => {
            assert!(!errors.is_empty(), "a refusal with no error");
            for e in &errors {
                in_text(text, e.span(), &e.to_string());
            }
            assert!(
                format_source(text).is_err(),
                "a file that does not parse formats"
            );
        }
    }
});

/// Check the text as a ruleset or as definitions, with the shipped calendar
/// and definitions; every problem must point into the file it names.
fn check(text: &str) {
    let label = Path::new("fuzz.rules");
    let context = context();
    let result = match file_kind(text) {
        FileKind::Definitions => Definitions::from_source(label, text, context).map(|_| ()),
        FileKind::Ruleset => Ruleset::from_sources(label, text, context).map(|ruleset| {
            let _ = ruleset.run_tests();
            let _ = ruleset.schema();
            let _ = ruleset.evaluate(&serde_json::json!({}), EvalOptions::default());
        }),
    };
    if let Err(files) = result {
        assert!(
            files.iter().any(|f| !f.problems.is_empty()),
            "a refusal with no problem"
        );
        for FileProblems {
            source, problems, ..
        } in &files
        {
            for p in problems {
                in_text(source, p.span(), &p.to_string());
            }
        }
    }
}

/// A span the renderer can show: inside the text, on character boundaries.
fn in_text(text: &str, span: Span, message: &str) {
    assert!(
        span.start <= span.end
            && span.end <= text.len()
            && text.is_char_boundary(span.start)
            && text.is_char_boundary(span.end),
        "{span:?} is not a span of the {} bytes of text (`{message}`)",
        text.len()
    );
}
