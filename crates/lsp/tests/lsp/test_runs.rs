//! A file's tests run through the code lenses and `judgement.runTests`: results,
//! bad arguments, a run cancelled, on a thread of its own, and how many at once.

use super::*;

#[test]
fn code_lenses_run_the_files_tests() {
    let mut editor = Editor::start();
    let (path, text) = ruleset("monitoring_visits/2015-04.rules");
    let (uri, _) = editor.open(&path, &text);
    let tests = text.lines().filter(|l| l.starts_with("test ")).count();
    let lenses = editor
        .request::<CodeLensRequest>(CodeLensParams {
            text_document: TextDocumentIdentifier::new(uri.clone()),
            work_done_progress_params: Default::default(),
            partial_result_params: Default::default(),
        })
        .expect("lenses");
    assert_eq!(lenses.len(), tests + 1);
    let all = lenses[0].command.as_ref().unwrap();
    assert_eq!(all.title, format!("Run all tests ({tests})"));
    assert_eq!(all.command, "judgement.runTests");
    assert_eq!(all.arguments, Some(vec![json!(uri)]));
    assert_eq!(
        lenses[0].range.start,
        find(&text, "ruleset monitoring_visits", 0, 8),
        "above the header, not the comments before it"
    );
    let first = lenses[1].command.as_ref().unwrap();
    assert_eq!(first.title, "Run test");
    let first_name = text
        .lines()
        .find_map(|l| l.strip_prefix("test \""))
        .and_then(|l| l.strip_suffix('"'))
        .unwrap();
    assert_eq!(first.arguments, Some(vec![json!(uri), json!(first_name)]));
    assert_eq!(
        text_of(&text, lenses[1].range),
        format!("\"{first_name}\""),
        "the lens is on the test's name"
    );

    // Run all: every test passes, and the editor is told.
    let run = |editor: &mut Editor, arguments| {
        editor
            .request::<ExecuteCommand>(ExecuteCommandParams {
                command: "judgement.runTests".into(),
                arguments,
                work_done_progress_params: Default::default(),
            })
            .expect("a result")
    };
    let result = run(&mut editor, all.arguments.clone().unwrap());
    assert_eq!(result["passed"], json!(tests));
    assert_eq!(result["failed"], json!(0));
    let shown = editor.notification::<ShowMessage>();
    assert_eq!(shown.typ, MessageType::INFO);
    assert_eq!(
        shown.message,
        format!("judgement tests: {tests} passed, 0 failed")
    );

    // Run one, after breaking what it expects in the editor (not on disk).
    let result = run(&mut editor, first.arguments.clone().unwrap());
    assert_eq!(result["passed"], json!(1));
    assert_eq!(result["tests"][0]["name"], json!(first_name));
    editor.notification::<ShowMessage>();
    let test_at = find(&text, &format!("test \"{first_name}\""), 0, 0);
    let expect = text[text.find(&format!("test \"{first_name}\"")).unwrap()..]
        .lines()
        .find(|l| l.trim_start().starts_with("expect "))
        .unwrap()
        .to_string();
    let expect_at = find(&text, &expect, 0, 0);
    assert!(expect_at.line > test_at.line);
    // The first expectation is of a judgement's value: expect another.
    assert!(expect.starts_with("  expect overall = "), "{expect}");
    let broken = "  expect overall = outstanding";
    editor.change(
        &uri,
        2,
        Some(Range::new(
            expect_at,
            Position::new(expect_at.line, expect.len() as u32),
        )),
        broken,
    );
    let result = run(&mut editor, first.arguments.clone().unwrap());
    assert_eq!(result["passed"], json!(0), "{result}");
    assert_eq!(result["failed"], json!(1));
    let failure = &result["tests"][0]["failures"][0];
    assert!(
        failure["message"].as_str().unwrap().contains("outstanding"),
        "{failure}"
    );
    assert_eq!(failure["range"]["start"]["line"], json!(expect_at.line));
    let shown = editor.notification::<ShowMessage>();
    assert_eq!(shown.typ, MessageType::ERROR);
    assert!(
        shown.message.contains("0 passed, 1 failed"),
        "{}",
        shown.message
    );
    editor.stop();
}

/// `judgement.runTests` takes a document's uri and, for one test, its
/// name: a name that is not a string is refused, not read as "all".
#[test]
fn run_tests_refuses_a_test_name_that_is_not_a_string() {
    let mut editor = Editor::start();
    let (path, text) = ruleset("monitoring_visits/2015-04.rules");
    let (uri, _) = editor.open(&path, &text);
    for name in [json!(5), json!(null), json!({"name": "x"}), json!(["x"])] {
        let response = editor.request_raw(
            "workspace/executeCommand",
            json!({"command": "judgement.runTests", "arguments": [uri, name]}),
        );
        assert!(response.result.is_none(), "{name}: {response:?}");
        assert_eq!(
            response.error.map(|e| e.code),
            Some(lsp_server::ErrorCode::InvalidParams as i32),
            "{name}"
        );
    }
    // A string that names no test is no error: the run finds none.
    let response = editor.request_raw(
        "workspace/executeCommand",
        json!({"command": "judgement.runTests", "arguments": [uri, "no such test"]}),
    );
    let result = response.result.expect("a result");
    assert_eq!(result["passed"], json!(0));
    assert_eq!(result["tests"], json!([]));
    let shown = editor.notification::<ShowMessage>();
    assert_eq!(
        shown.message,
        "judgement: there is no test \"no such test\""
    );
    editor.stop();
}

/// A text that starts with a byte-order mark (sent by some editors): the
/// tests' ranges are where the tests are, as the analysis's ranges are.
#[test]
fn test_results_are_placed_right_after_a_byte_order_mark() {
    let mut editor = Editor::start();
    let (path, text) = ruleset("monitoring_visits/2015-04.rules");
    let with_mark = format!("\u{feff}{text}");
    let (uri, _) = editor.open(&path, &with_mark);
    let result = editor
        .request::<ExecuteCommand>(ExecuteCommandParams {
            command: "judgement.runTests".into(),
            arguments: vec![json!(uri)],
            work_done_progress_params: Default::default(),
        })
        .expect("a result");
    editor.notification::<ShowMessage>();
    let first = &result["tests"][0];
    let name = first["name"].as_str().unwrap();
    let at = find(&text, &format!("test \"{name}\""), 0, 5);
    assert_eq!(first["range"]["start"], json!(at), "{first}");
    editor.stop();
}

/// The start of the rule files of the slow runs of tests below: a list of
/// things, each with a number.
const SLOW: &str = "ruleset slow \"Slow tests\"
  in force from 2015-04-01

record thing
  id: text
  n: number

evidence
  items: list of thing default empty
";

/// A run of a document's tests that its client cancels (`$/cancelRequest`)
/// stops before its next test and answers that it was cancelled, the
/// LSP's `RequestCancelled`, with how many tests had run: far fewer than
/// the document's 400, of 90,000 evaluations each (without the cancel, the
/// run answers with all their results, some 12 seconds later in a debug
/// build). The server goes on answering.
#[test]
fn a_cancelled_test_run_stops_and_says_so() {
    cancel_a_slow_run(false);
}

/// The same, cancelled after `shutdown`, before `exit`: the cancel is read,
/// where the other notifications are passed over once the server is shut
/// down.
#[test]
fn a_test_run_may_be_cancelled_after_shutdown() {
    cancel_a_slow_run(true);
}

/// A rule file of 400 slow tests named `{name}0` to `{name}399`: each
/// asks of 300 items whether any two sum below zero.
fn slow_tests(name: &str) -> String {
    let items: Vec<String> = (0..300)
        .map(|i| format!("{{id = \"i{i}\", n = {i}}}"))
        .collect();
    let tests: String = (0..400)
        .map(|i| format!("test \"{name}{i}\"\n  given many\n  expect no finding pair\n\n"))
        .collect();
    format!(
        r#"{SLOW}
rule pair "p 1"
  when some a in items satisfies (some b in items satisfies a.n + b.n < 0)
  then finding pair

example many
  items = [{}]

{tests}"#,
        items.join(", ")
    )
}

/// Ask for a run of 400 slow tests and cancel it at once (after `shutdown`
/// when `shut_down`): its answer is `RequestCancelled`, after far fewer
/// than 400 tests.
fn cancel_a_slow_run(shut_down: bool) {
    let mut editor = Editor::start();
    let text = slow_tests("no pair sums below zero, ");
    let path = std::env::temp_dir().join(format!("judgement-lsp-cancelled-run-{shut_down}.rules"));
    let (uri, _) = editor.open(&path, &text);
    let run = editor.send_request(
        "workspace/executeCommand",
        json!({"command": "judgement.runTests", "arguments": [uri]}),
    );
    if shut_down {
        let shutdown = editor.send_request("shutdown", serde_json::Value::Null);
        assert_eq!(editor.next_response().id, shutdown);
    }
    let id = match serde_json::to_value(&run).unwrap() {
        serde_json::Value::Number(n) => {
            lsp_types::NumberOrString::Number(n.as_i64().unwrap() as i32)
        }
        other => panic!("a request id that is not a number: {other}"),
    };
    editor.notify::<lsp_types::notification::Cancel>(lsp_types::CancelParams { id });
    let answered = editor.next_response();
    assert_eq!(answered.id, run, "{answered:?}");
    let error = answered
        .error
        .unwrap_or_else(|| panic!("an error, not the run's results: {:?}", answered.result));
    assert_eq!(error.code, lsp_server::ErrorCode::RequestCanceled as i32);
    let ran: usize = error
        .message
        .strip_prefix("the run of tests was cancelled after ")
        .and_then(|rest| rest.strip_suffix(" tests"))
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{}", error.message));
    assert!(ran < 100, "{ran} of 400 tests ran before the run stopped");
    if shut_down {
        editor.exit();
        return;
    }
    let outline = editor.request_raw(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": uri}}),
    );
    assert!(outline.error.is_none(), "{outline:?}");
    editor.stop();
}

/// A run of tests goes on a thread of its own: a slow one holds up neither
/// the editor's other requests nor `shutdown`, which are answered first,
/// and the server stops at `exit` without waiting for it (audit 32: a test of
/// 2^30 evaluations left `shutdown` and `exit` unanswered, and the server
/// had to be killed).
#[test]
fn a_slow_test_run_holds_up_neither_other_requests_nor_shutdown() {
    let mut editor = Editor::start();
    // Three lists of 150 elements joined three ways: millions of
    // evaluations of the innermost condition, which no element meets.
    let items: Vec<String> = (0..150)
        .map(|i| format!("{{id = \"i{i}\", n = {i}}}"))
        .collect();
    let text = format!(
        r#"{SLOW}
rule triple "p 1"
  when some a in items satisfies (some b in items satisfies (some c in items satisfies a.n + b.n + c.n < 0))
  then finding triple

test "no three sum below zero"
  given items = [{}]
  expect no finding triple
"#,
        items.join(", ")
    );
    let path = std::env::temp_dir().join("judgement-lsp-slow-test.rules");
    let (uri, _) = editor.open(&path, &text);
    let run = editor.send_request(
        "workspace/executeCommand",
        json!({"command": "judgement.runTests", "arguments": [uri]}),
    );
    let outline = editor.send_request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": uri}}),
    );
    let answered = editor.next_response();
    assert_eq!(
        answered.id, outline,
        "the outline is answered first: {answered:?}"
    );
    let shutdown = editor.send_request("shutdown", serde_json::Value::Null);
    let answered = editor.next_response();
    assert_eq!(
        answered.id, shutdown,
        "`shutdown` is answered before the run: {answered:?}"
    );
    assert_ne!(answered.id, run);
    editor.exit();
}

/// Runs of tests are bounded: one thread for a document, and at most
/// `MOST_RUNS` documents' runs at once (audit: each request had a thread of
/// its own, with no limit; 300 requests on a file of 8,000 tests gave 275
/// threads and 5 GB). A request for a document whose run is going takes its
/// place: the run going stops before its next test and is answered
/// `RequestCancelled`, as is a request still waiting that a later one
/// replaces; a request for one more document is refused with
/// `RequestFailed`; `$/cancelRequest` stops a run.
#[test]
fn runs_of_tests_are_one_for_a_document_and_few_at_once() {
    let most = judgement_lsp::MOST_RUNS;
    let mut editor = Editor::start();
    let text = slow_tests("slow ");
    let uris: Vec<Url> = (0..=most)
        .map(|i| {
            let path = std::env::temp_dir().join(format!("judgement-lsp-bounded-runs-{i}.rules"));
            editor.open(&path, &text).0
        })
        .collect();
    let run = |editor: &mut Editor, uri: &Url, name: Option<&str>| {
        let arguments = match name {
            Some(name) => json!([uri, name]),
            None => json!([uri]),
        };
        editor.send_request(
            "workspace/executeCommand",
            json!({"command": "judgement.runTests", "arguments": arguments}),
        )
    };
    // A run for each of `most` documents: each starts.
    let going: Vec<_> = uris[..most]
        .iter()
        .map(|u| run(&mut editor, u, None))
        .collect();
    // One more document: refused.
    let refused = run(&mut editor, &uris[most], None);
    // Three more for the first document: each takes the place of the one
    // before; the last runs one test.
    let second = run(&mut editor, &uris[0], None);
    let third = run(&mut editor, &uris[0], None);
    let fourth = run(&mut editor, &uris[0], Some("slow 0"));
    for id in &going[1..] {
        let id = match serde_json::to_value(id).unwrap() {
            serde_json::Value::Number(n) => NumberOrString::Number(n.as_i64().unwrap() as i32),
            other => panic!("{other}"),
        };
        editor.notify::<lsp_types::notification::Cancel>(lsp_types::CancelParams { id });
    }
    let mut answers = std::collections::HashMap::new();
    while answers.len() < most + 4 {
        let response = editor.next_response();
        assert!(
            answers.insert(response.id.clone(), response).is_none(),
            "answered twice"
        );
    }
    let error = |id: &lsp_server::RequestId| {
        let error = answers[id].error.clone();
        error.unwrap_or_else(|| panic!("{id}: {:?}", answers[id]))
    };
    let cancelled = lsp_server::ErrorCode::RequestCanceled as i32;
    assert_eq!(
        error(&refused).code,
        lsp_server::ErrorCode::RequestFailed as i32
    );
    assert!(
        error(&refused)
            .message
            .contains(&format!("at most {most} at once")),
        "{}",
        error(&refused).message
    );
    for id in [&second, &third] {
        assert_eq!(error(id).code, cancelled);
        assert!(
            error(id).message.contains("cancelled before it started"),
            "{}",
            error(id).message
        );
    }
    assert_eq!(error(&going[0]).code, cancelled);
    assert!(
        error(&going[0]).message.ends_with("took its place"),
        "{}",
        error(&going[0]).message
    );
    for id in &going[1..] {
        assert_eq!(error(id).code, cancelled, "{}", error(id).message);
    }
    let result = answers[&fourth]
        .result
        .clone()
        .expect("the fourth's results");
    assert_eq!(
        result["tests"].as_array().map(Vec::len),
        Some(1),
        "{result}"
    );
    // Every run has ended: the document refused may run now.
    let again = run(&mut editor, &uris[most], Some("slow 1"));
    let answered = editor.next_response();
    assert_eq!(answered.id, again);
    assert!(answered.error.is_none(), "{answered:?}");
    editor.stop();
}
