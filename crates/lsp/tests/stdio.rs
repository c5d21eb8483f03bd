//! The server as an editor starts it: a process over standard input and
//! output, which a malformed message does not end.

#![allow(
    clippy::panic,
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test fails by panicking"
)]

use std::io::Write;
use std::process::{Command, Stdio};

fn framed(body: &str) -> String {
    format!("Content-Length: {}\r\n\r\n{body}", body.len())
}

/// Run the server on these message bodies, each framed, and close its
/// input; it must exit with success. What it wrote to standard output and
/// standard error.
fn serve(bodies: &[&str]) -> (String, String) {
    let (success, stdout, stderr) = run(bodies);
    assert!(success, "{stderr}");
    (stdout, stderr)
}

/// Run the server on these message bodies, each framed, and close its
/// input: whether it exited with success, and what it wrote to standard
/// output and standard error.
fn run(bodies: &[&str]) -> (bool, String, String) {
    run_in(std::path::Path::new("."), bodies)
}

/// [`run`] with the server started in the folder `dir`.
fn run_in(dir: &std::path::Path, bodies: &[&str]) -> (bool, String, String) {
    let mut server = Command::new(env!("CARGO_BIN_EXE_judgement-lsp"))
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the server starts");
    let input: String = bodies.iter().map(|b| framed(b)).collect();
    let mut stdin = server.stdin.take().unwrap();
    stdin.write_all(input.as_bytes()).unwrap();
    drop(stdin);
    let out = server.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    (out.status.success(), stdout, stderr)
}

const INITIALIZE: &str =
    r#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{}}}"#;

/// Input that ends without `exit` (the editor crashed, or closed the pipe):
/// after `shutdown` a stop as asked (0); before it, a failure (1), as an
/// `exit` with no `shutdown` is, said on standard error.
#[test]
fn input_that_ends_without_exit_is_a_failure_unless_shut_down() {
    let (success, _, stderr) = run(&[INITIALIZE]);
    assert!(!success, "{stderr}");
    assert!(
        stderr.contains("closed the connection without `shutdown` and `exit`"),
        "{stderr}"
    );
    let (success, stdout, stderr) = run(&[
        INITIALIZE,
        r#"{"jsonrpc":"2.0","id":2,"method":"shutdown"}"#,
    ]);
    assert!(success, "{stderr}");
    assert!(stdout.contains(r#""id":2,"result":null"#), "{stdout}");
}

#[test]
fn a_malformed_message_is_passed_over_and_the_server_goes_on() {
    let (stdout, stderr) = serve(&[
        "{ this is not JSON",
        r#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{}}}"#,
        r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#,
        r#"{"jsonrpc":"2.0","id":2,"method":"shutdown"}"#,
        r#"{"jsonrpc":"2.0","method":"exit"}"#,
    ]);
    assert!(
        stderr.contains("passed over a message that is not JSON"),
        "{stderr}"
    );
    assert!(
        stdout.contains(r#""id":1,"result":{"capabilities""#),
        "{stdout}"
    );
    assert!(stdout.contains(r#""id":2,"result":null"#), "{stdout}");
    // The body that is not JSON is answered, as JSON-RPC 2.0 asks: a parse
    // error to an id of null, before the first request's answer.
    let refused = stdout.find(r#""id":null"#).expect("an answer to null");
    let first = stdout.find(r#""id":1,"#).expect("the answer to initialize");
    assert!(refused < first, "{stdout}");
    assert!(stdout.contains(r#""code":-32700"#), "{stdout}");
}

/// Bodies lsp-server would read as responses though they are none, and a
/// batch, before `initialize` and after: each is answered with
/// `InvalidRequest` (to its id, or to null) and said on standard error,
/// and the server goes on; a well-formed response to a request the server
/// never sent is said and passed over.
#[test]
fn a_body_that_is_no_response_is_answered_before_initialize_and_after() {
    let (stdout, stderr) = serve(&[
        r#"{"id":7,"x":1}"#,
        r#"{"jsonrpc":"2.0","id":8,"result":null}"#,
        r#"{"jsonrpc":"2.0","id":5,"method":"textDocument/hover","params":{}}"#,
        r#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{}}}"#,
        r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#,
        "[1,2]",
        r#"{"jsonrpc":"2.0","id":3}"#,
        r#"{"id":17,"x":1}"#,
        r#"{"jsonrpc":"2.0","id":4,"result":1,"error":{"code":1,"message":"m"}}"#,
        r#"{"jsonrpc":"2.0","id":2,"method":"shutdown"}"#,
        r#"{"jsonrpc":"2.0","method":"exit"}"#,
    ]);
    let invalid = |id: &str| format!(r#""id":{id},"error":{{"code":-32600,"#);
    for id in ["7", "null", "3", "17", "4"] {
        assert!(stdout.contains(&invalid(id)), "{id}: {stdout}");
    }
    assert!(
        stdout.contains(r#""id":5,"error":{"code":-32002,"#),
        "{stdout}"
    );
    assert!(
        stdout.contains(r#""id":1,"result":{"capabilities""#),
        "{stdout}"
    );
    assert!(stdout.contains(r#""id":2,"result":null"#), "{stdout}");
    let said: Vec<&str> = stderr.lines().collect();
    assert_eq!(said.len(), 6, "{stderr}");
    assert!(said
        .iter()
        .all(|l| l.starts_with("judgement-lsp: passed over")));
    assert!(
        stderr.contains("response to request 8, which the server never sent"),
        "{stderr}"
    );
    assert!(stderr.contains("batch"), "{stderr}");
}

/// A document not saved (`untitled:`) finds the calendars and definitions
/// beside the folder the server was started in, and going to one of them
/// opens its file there: a location, not nothing.
#[test]
fn an_unsaved_document_goes_to_the_calendar_and_definitions_it_names() {
    let rulesets = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../rulesets");
    let text = std::fs::read_to_string(rulesets.join("monitoring_visits/2015-04.rules")).unwrap();
    let at = |word: &str| {
        // On the name after the keyword.
        let offset = text.find(word).unwrap() + word.rfind(' ').unwrap() + 1;
        let line = text[..offset].matches('\n').count();
        let character = offset - text[..offset].rfind('\n').map_or(0, |n| n + 1);
        serde_json::json!({"line": line, "character": character + 1})
    };
    let uri = "untitled:Untitled-1";
    let open = serde_json::json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {
        "textDocument": {"uri": uri, "languageId": "judgement-rules", "version": 1, "text": text}}});
    let asked = |id: i32, word: &str| {
        serde_json::json!({"jsonrpc": "2.0", "id": id, "method": "textDocument/definition",
            "params": {"textDocument": {"uri": uri}, "position": at(word)}})
        .to_string()
    };
    let bodies = [
        INITIALIZE.to_string(),
        r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#.to_string(),
        open.to_string(),
        asked(2, "calendar england_and_wales"),
        asked(3, "uses monitoring_visits"),
        r#"{"jsonrpc":"2.0","id":9,"method":"shutdown"}"#.to_string(),
        r#"{"jsonrpc":"2.0","method":"exit"}"#.to_string(),
    ];
    let bodies: Vec<&str> = bodies.iter().map(String::as_str).collect();
    let (success, stdout, stderr) = run_in(&rulesets, &bodies);
    assert!(success, "{stderr}");
    let answer = |id: i32| -> serde_json::Value {
        stdout
            .split("Content-Length")
            .filter_map(|m| m.split_once("\r\n\r\n"))
            .filter_map(|(_, body)| serde_json::from_str::<serde_json::Value>(body).ok())
            .find(|m| m["id"] == id)
            .unwrap_or_else(|| panic!("no answer {id}: {stdout}"))
    };
    for (id, file) in [
        (2, "calendars/england_and_wales.calendar"),
        (3, "definitions/monitoring_visits.rules"),
    ] {
        let result = &answer(id)["result"];
        let found = result["uri"].as_str().or_else(|| result[0]["uri"].as_str());
        let found = found.unwrap_or_else(|| panic!("a location for {id}: {result}"));
        assert!(
            found.starts_with("file:///") && found.ends_with(file),
            "{found}"
        );
    }
}

/// The messages the server wrote, as JSON.
fn messages(stdout: &str) -> Vec<serde_json::Value> {
    stdout
        .split("Content-Length")
        .filter_map(|m| m.split_once("\r\n\r\n"))
        .filter_map(|(_, body)| serde_json::from_str::<serde_json::Value>(body).ok())
        .collect()
}

/// The answer to request `id`.
fn answer(stdout: &str, id: i32) -> serde_json::Value {
    messages(stdout)
        .into_iter()
        .find(|m| m["id"] == id)
        .unwrap_or_else(|| panic!("no answer {id}: {stdout}"))
}

/// An edit whose text holds a lone surrogate, as JavaScript's
/// `JSON.stringify` writes it (`"\ud800"`), is applied, the surrogate read
/// as U+FFFD, one UTF-16 unit as it was: the edits after it land where the
/// editor made them. (Audit: serde_json refused the message, the edit was
/// lost, and the next one, meant for the comment it had added, commented
/// out the `ruleset` line of the server's copy.)
#[test]
fn an_edit_holding_a_lone_surrogate_is_applied_and_the_next_lands_right() {
    let text = include_str!("../../../tests/fixtures/cli/small/small.rules");
    let uri = "file:///tmp/judgement-lsp-surrogate/s.rules";
    let open = serde_json::json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {
        "textDocument": {"uri": uri, "languageId": "judgement-rules", "version": 1, "text": text}}});
    let edit = |version: i32, line: u32, end: u32, text: &str| {
        format!(
            r#"{{"jsonrpc":"2.0","method":"textDocument/didChange","params":{{"textDocument":{{"uri":"{uri}","version":{version}}},"contentChanges":[{{"range":{{"start":{{"line":{line},"character":0}},"end":{{"line":{line},"character":{end}}}}},"text":"{text}"}}]}}}}"#
        )
    };
    let asked = |id: i32, method: &str| {
        serde_json::json!({"jsonrpc": "2.0", "id": id, "method": method, "params": {
            "textDocument": {"uri": uri}, "options": {"tabSize": 2, "insertSpaces": true}}})
        .to_string()
    };
    let bodies = [
        INITIALIZE.to_string(),
        r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#.to_string(),
        open.to_string(),
        // A comment holding a lone surrogate, before the first line.
        edit(2, 0, 0, r"# \ud800 \\ud800\n"),
        // The editor's line 1 is now the file's first comment: its `#`
        // written again leaves it as it was.
        edit(3, 1, 1, "#"),
        asked(3, "textDocument/documentSymbol"),
        asked(4, "textDocument/formatting"),
        r#"{"jsonrpc":"2.0","id":9,"method":"shutdown"}"#.to_string(),
        r#"{"jsonrpc":"2.0","method":"exit"}"#.to_string(),
    ];
    let bodies: Vec<&str> = bodies.iter().map(String::as_str).collect();
    let (stdout, stderr) = serve(&bodies);
    assert!(!stderr.contains("passed over"), "{stderr}");
    let symbols = &answer(&stdout, 3)["result"];
    assert_eq!(symbols[0]["name"], "grade", "{symbols}");
    assert_eq!(
        symbols[0]["selectionRange"]["start"]["line"], 7,
        "{symbols}"
    );
    // The text parses, and the comment holds U+FFFD where the surrogate
    // was, and the escaped backslash's `\ud800` as written.
    let formatted = &answer(&stdout, 4)["result"];
    let formatted = formatted[0]["newText"]
        .as_str()
        .unwrap_or_else(|| panic!("the text does not parse: {formatted}"));
    assert!(
        formatted.starts_with("# \u{FFFD} \\ud800\n# A small ruleset"),
        "{formatted}"
    );
    let published: Vec<serde_json::Value> = messages(&stdout)
        .into_iter()
        .filter(|m| m["method"] == "textDocument/publishDiagnostics")
        .collect();
    let last = published.last().expect("diagnostics");
    assert_eq!(last["params"]["version"], 3, "{last}");
    assert_eq!(
        last["params"]["diagnostics"],
        serde_json::json!([]),
        "{last}"
    );
}

/// A message of more than a megabyte that carries no document's text is
/// refused before anything of it is built, a request answered to its id
/// with `InvalidRequest`, and the server goes on (audit: a notification of
/// 62 MB of `0,` took 3.2 GB as a `serde_json::Value`).
#[test]
fn a_long_message_that_carries_no_text_is_refused_and_the_server_goes_on() {
    let zeros = "0,".repeat(600_000);
    let note = format!(r#"{{"jsonrpc":"2.0","method":"x/y","params":[{zeros}0]}}"#);
    let request = format!(
        r#"{{"jsonrpc":"2.0","id":5,"method":"textDocument/hover","params":{{"textDocument":{{"uri":"file:///a.rules"}},"position":{{"line":0,"character":0}},"x":[{zeros}0]}}}}"#
    );
    let (stdout, stderr) = serve(&[
        INITIALIZE,
        r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#,
        &note,
        &request,
        r#"{"jsonrpc":"2.0","id":6,"method":"textDocument/hover","params":{"textDocument":{"uri":"file:///a.rules"},"position":{"line":0,"character":0}}}"#,
        r#"{"jsonrpc":"2.0","id":2,"method":"shutdown"}"#,
        r#"{"jsonrpc":"2.0","method":"exit"}"#,
    ]);
    assert!(
        stderr.contains("bytes for `x/y` (at most 1048576 are read"),
        "{stderr}"
    );
    let refused = &answer(&stdout, 5)["error"];
    assert_eq!(refused["code"], -32600, "{refused}");
    assert!(
        refused["message"]
            .as_str()
            .is_some_and(|m| m.contains("bytes for `textDocument/hover` (at most")),
        "{refused}"
    );
    // The next request is read and answered (the document is not open).
    assert_eq!(answer(&stdout, 6)["error"]["code"], -32602);
    assert_eq!(answer(&stdout, 2)["result"], serde_json::Value::Null);
}
