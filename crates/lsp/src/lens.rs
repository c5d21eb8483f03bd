//! Code lenses that run the rule file's tests: "Run test" above each
//! `test`, "Run all tests" above the header's `ruleset` line. Each runs the command
//! `judgement.runTests` (the document's uri, and the test's name for one),
//! which the server executes on the editor's text with the engine's own
//! test runner.

use crate::documents::Document;
use crate::position::LineIndex;
use judgement_engine::Ruleset;
use judgement_syntax::Span;
use lsp_types::{CodeLens, Command, MessageType, Range, Url};
use serde_json::{json, Value};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

pub const RUN_TESTS: &str = "judgement.runTests";

pub fn code_lenses(doc: &Document) -> Vec<CodeLens> {
    let Some(indexed) = doc.analysis.indexed.as_ref() else {
        return Vec::new();
    };
    let Some(file) = indexed.files.first() else {
        return Vec::new();
    };
    let tests: Vec<(&str, Range)> = indexed
        .index
        .tests(0)
        .map(|(name, span)| (name, file.range(span)))
        .collect();
    if tests.is_empty() {
        return Vec::new();
    }
    let uri = json!(doc.uri);
    let top = file.range(indexed.header);
    let mut lenses = vec![CodeLens {
        range: top,
        command: Some(Command::new(
            format!("Run all tests ({})", tests.len()),
            RUN_TESTS.to_string(),
            Some(vec![uri.clone()]),
        )),
        data: None,
    }];
    for (name, range) in tests {
        lenses.push(CodeLens {
            range,
            command: Some(Command::new(
                "Run test".to_string(),
                RUN_TESTS.to_string(),
                Some(vec![uri.clone(), json!(name)]),
            )),
            data: None,
        });
    }
    lenses
}

/// What running the tests gave: the command's result, and the message to
/// show.
pub struct Run {
    pub result: Value,
    pub message: String,
    pub kind: MessageType,
}

/// The uri and the test name (none: all) of the command's arguments; none
/// when the uri is missing or not one, or the name is given but is not a
/// string (a number or null is no test's name, nor a word to run them all).
pub fn arguments(arguments: &[Value]) -> Option<(Url, Option<String>)> {
    let uri = arguments.first()?.as_str()?.parse().ok()?;
    let name = match arguments.get(1) {
        None => None,
        Some(name) => Some(name.as_str()?.to_string()),
    };
    Some((uri, name))
}

/// What running a document's tests needs of it, taken as it is now, so that
/// they run on a thread of their own while the server goes on answering
/// (a slow test holds up neither the editor's other requests nor
/// `shutdown`), and edits made meanwhile do not reach the run.
pub struct Tests {
    ruleset: Option<Arc<Ruleset>>,
    failed: Option<String>,
    text: String,
    lines: LineIndex,
}

impl Tests {
    pub fn of(doc: &Document) -> Tests {
        Tests {
            ruleset: doc.analysis.ruleset.clone(),
            failed: doc.analysis.failed.clone(),
            text: doc.text.clone(),
            lines: doc.lines.clone(),
        }
    }
}

/// Run the tests of the document (or only the one named, and no other);
/// where `cancelled` is set by the time the run ends, `Err` with how many
/// tests had run (it is read before each test, and a test is never
/// stopped halfway).
pub fn run_tests(asked: &Tests, only: Option<&str>, cancelled: &AtomicBool) -> Result<Run, usize> {
    let Some(ruleset) = asked.ruleset.as_ref() else {
        let why = asked
            .failed
            .clone()
            .unwrap_or_else(|| "it is not a ruleset".to_string());
        return Ok(Run {
            result: json!({"passed": 0, "failed": 0, "tests": [], "error": why}),
            message: format!("judgement: the tests cannot run: {why}"),
            kind: MessageType::ERROR,
        });
    };
    let lines = &asked.lines;
    // The engine read the text without a byte-order mark: its spans are
    // shifted past it, as the analysis's are.
    let bom = crate::position::bom_len(&asked.text);
    let to_range =
        |span: Span| lines.range(&asked.text, Span::new(span.start + bom, span.end + bom));
    let mut tests = Vec::new();
    let (mut passed, mut failed) = (0usize, 0usize);
    let mut first_failure = None;
    // Asked as each test is reached, before it runs: once the run is
    // cancelled, no other test runs.
    let wanted =
        |name: &str| !cancelled.load(Ordering::Relaxed) && only.is_none_or(|only| only == name);
    for t in ruleset.run_tests_where(wanted) {
        if t.passed() {
            passed += 1;
        } else {
            failed += 1;
        }
        let failures: Vec<Value> = t
            .failures
            .iter()
            .map(|(span, why)| {
                let range = to_range(*span);
                if first_failure.is_none() {
                    first_failure = Some(format!(
                        "\"{}\" (line {}): {why}",
                        t.name,
                        range.start.line + 1
                    ));
                }
                json!({"message": why, "range": range})
            })
            .collect();
        tests.push(json!({
            "name": t.name,
            "passed": t.passed(),
            "range": to_range(t.span),
            "failures": failures,
        }));
    }
    if cancelled.load(Ordering::Relaxed) {
        return Err(passed + failed);
    }
    let counts = format!("{passed} passed, {failed} failed");
    let (message, kind) = match (&first_failure, only, tests.is_empty()) {
        (_, Some(name), true) => (
            format!("judgement: there is no test \"{name}\""),
            MessageType::ERROR,
        ),
        (Some(failure), _, _) => (
            format!("judgement tests: {counts}; {failure}"),
            MessageType::ERROR,
        ),
        (None, _, _) => (format!("judgement tests: {counts}"), MessageType::INFO),
    };
    Ok(Run {
        result: json!({"passed": passed, "failed": failed, "tests": tests}),
        message,
        kind,
    })
}
