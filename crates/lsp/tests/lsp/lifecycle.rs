//! The protocol around the features: what the server says it can do, requests
//! it cannot answer, and `initialize`, `shutdown` and `exit` in and out of order.

use super::*;

#[test]
fn the_server_says_what_it_can_do() {
    let editor = Editor::start();
    let caps = &editor.initialized.capabilities;
    assert!(caps.hover_provider.is_some());
    assert!(caps.definition_provider.is_some());
    assert!(caps.references_provider.is_some());
    assert!(caps.completion_provider.is_some());
    assert!(caps.document_formatting_provider.is_some());
    assert!(caps.code_lens_provider.is_some());
    let commands = &caps.execute_command_provider.as_ref().unwrap().commands;
    assert_eq!(commands, &["judgement.runTests"]);
    assert_eq!(
        editor.initialized.server_info.as_ref().unwrap().name,
        "judgement-lsp"
    );
    editor.stop();
}

#[test]
fn a_request_about_a_document_not_open_is_an_error_not_a_crash() {
    let mut editor = Editor::start();
    let response = editor.request_raw(
        "textDocument/hover",
        json!({"textDocument": {"uri": "file:///nowhere.rules"}, "position": {"line": 0, "character": 0}}),
    );
    assert!(response.error.is_some());
    let response = editor.request_raw("textDocument/hover", json!({"nonsense": true}));
    assert!(response.error.is_some());
    let response = editor.request_raw("workspace/symbol", json!({"query": ""}));
    assert_eq!(
        response.error.map(|e| e.code),
        Some(lsp_server::ErrorCode::MethodNotFound as i32)
    );
    editor.stop();
}

/// `exit` without `shutdown` first ends the server with an error, so that
/// `judgement-lsp` exits 1 as the protocol asks; after `shutdown` it ends
/// cleanly (every other test's `stop`).
#[test]
fn exit_without_shutdown_is_an_error() {
    use lsp_server::{Connection, Message, Notification, Request, RequestId};
    let (server, client) = Connection::memory();
    let handle = std::thread::spawn(move || judgement_lsp::run(server));
    let initialize = serde_json::json!({"capabilities": {}});
    client
        .sender
        .send(Message::Request(Request::new(
            RequestId::from(1),
            "initialize".into(),
            initialize,
        )))
        .unwrap();
    let answer = client
        .receiver
        .recv_timeout(std::time::Duration::from_secs(60));
    assert!(matches!(answer, Ok(Message::Response(_))), "{answer:?}");
    for method in ["initialized", "exit"] {
        client
            .sender
            .send(Message::Notification(Notification::new(
                method.into(),
                serde_json::json!({}),
            )))
            .unwrap();
    }
    let ended = handle.join().expect("the server's thread ends");
    let error = ended.expect_err("exit without shutdown is an error");
    assert!(error.to_string().contains("without `shutdown`"), "{error}");
}

/// A second `initialize` is refused as a request out of place, saying why,
/// and the server goes on.
#[test]
fn a_second_initialize_is_refused_as_out_of_place() {
    let mut editor = Editor::start();
    let response = editor.request_raw("initialize", serde_json::json!({"capabilities": {}}));
    let error = response.error.expect("a second initialize is refused");
    assert_eq!(error.code, lsp_server::ErrorCode::InvalidRequest as i32);
    assert!(
        error.message.contains("already initialized"),
        "{}",
        error.message
    );
    editor.stop();
}

/// After `shutdown`, a request is answered with an error (the server is
/// still there, and says why), a notification is ignored, and `exit` ends
/// it cleanly.
#[test]
fn after_shutdown_only_exit_is_expected() {
    let mut editor = Editor::start();
    let response = editor.request_raw("shutdown", serde_json::Value::Null);
    assert!(response.error.is_none(), "{response:?}");
    let refused = editor.request_raw(
        "textDocument/hover",
        serde_json::json!({
            "textDocument": {"uri": "file:///x.rules"},
            "position": {"line": 0, "character": 0}
        }),
    );
    let error = refused.error.expect("a request after shutdown is refused");
    assert_eq!(error.code, lsp_server::ErrorCode::InvalidRequest as i32);
    assert!(error.message.contains("shutting down"), "{}", error.message);
    editor.exit();
}

/// Before `initialize`, as the protocol asks: a request is answered with
/// `ServerNotInitialized`, a notification is dropped, and a response (the
/// server has asked nothing) is passed over; none of them ends the server,
/// which answers `initialize` when it comes. A response between
/// `initialize` and `initialized` is passed over too.
#[test]
fn before_initialize_requests_are_refused_and_the_rest_passed_over() {
    use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
    let wait = std::time::Duration::from_secs(60);
    let (server, client) = Connection::memory();
    let handle = std::thread::spawn(move || judgement_lsp::run(server));
    let send = |message: Message| client.sender.send(message).unwrap();
    send(Message::Response(Response::new_ok(RequestId::from(7), ())));
    send(Message::Response(Response::new_err(
        RequestId::from(8),
        ErrorCode::MethodNotFound as i32,
        "no".into(),
    )));
    send(Message::Notification(Notification::new(
        "textDocument/didOpen".into(),
        json!({"textDocument": {"uri": "file:///x.rules", "languageId": "judgement-rules",
            "version": 1, "text": "nothing"}}),
    )));
    send(Message::Request(Request::new(
        RequestId::from(2),
        "textDocument/hover".into(),
        json!({"textDocument": {"uri": "file:///x.rules"}, "position": {"line": 0, "character": 0}}),
    )));
    let refused = client.receiver.recv_timeout(wait);
    let Ok(Message::Response(refused)) = refused else {
        panic!("{refused:?}")
    };
    assert_eq!(refused.id, RequestId::from(2));
    let error = refused
        .error
        .expect("a request before initialize is refused");
    assert_eq!(error.code, ErrorCode::ServerNotInitialized as i32);
    assert!(
        error.message.contains("not initialized"),
        "{}",
        error.message
    );
    send(Message::Request(Request::new(
        RequestId::from(1),
        "initialize".into(),
        json!({"capabilities": {}}),
    )));
    // The notification before initialize was dropped: no diagnostics.
    let answer = client.receiver.recv_timeout(wait);
    let Ok(Message::Response(answer)) = answer else {
        panic!("{answer:?}")
    };
    assert_eq!(answer.id, RequestId::from(1));
    assert!(answer.result.is_some(), "{answer:?}");
    send(Message::Response(Response::new_ok(RequestId::from(9), ())));
    send(Message::Notification(Notification::new(
        "initialized".into(),
        json!({}),
    )));
    send(Message::Request(Request::new(
        RequestId::from(3),
        "shutdown".into(),
        serde_json::Value::Null,
    )));
    let answer = client.receiver.recv_timeout(wait);
    let Ok(Message::Response(answer)) = answer else {
        panic!("{answer:?}")
    };
    assert_eq!(answer.id, RequestId::from(3));
    assert!(answer.error.is_none(), "{answer:?}");
    send(Message::Notification(Notification::new(
        "exit".into(),
        serde_json::Value::Null,
    )));
    let ended = handle.join().expect("the server's thread ends");
    assert!(ended.is_ok(), "{ended:?}");
}

/// `exit` before `initialize` ends the server, with an error: no
/// `shutdown` came first.
#[test]
fn exit_before_initialize_is_an_error() {
    use lsp_server::{Connection, Message, Notification};
    let (server, client) = Connection::memory();
    let handle = std::thread::spawn(move || judgement_lsp::run(server));
    client
        .sender
        .send(Message::Notification(Notification::new(
            "exit".into(),
            serde_json::Value::Null,
        )))
        .unwrap();
    let ended = handle.join().expect("the server's thread ends");
    let error = ended.expect_err("exit before initialize is an error");
    assert!(error.to_string().contains("before `initialize`"), "{error}");
}
