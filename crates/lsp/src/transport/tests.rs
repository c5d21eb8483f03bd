#![allow(
    clippy::panic,
    clippy::unwrap_used,
    clippy::indexing_slicing,
    reason = "a test fails by panicking"
)]

use super::*;

/// A message as an editor frames it.
fn framed(body: &str) -> String {
    format!("Content-Length: {}\r\n\r\n{body}", body.len())
}

const INITIALIZE: &str =
    r#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{}}}"#;
const SHUTDOWN: &str = r#"{"jsonrpc":"2.0","id":2,"method":"shutdown"}"#;
const EXIT: &str = r#"{"jsonrpc":"2.0","method":"exit"}"#;

/// What the server and the editor are sent, and the log, for `input`.
fn serve(input: &str) -> (Vec<Message>, Vec<Refused>, String) {
    let (server, from_editor) = crossbeam_channel::unbounded();
    let (answer, answers) = crossbeam_channel::unbounded();
    let mut log = Vec::new();
    serve_input(&mut input.as_bytes(), &server, &answer, &mut log).unwrap();
    drop((server, answer));
    let log = String::from_utf8(log).unwrap();
    (from_editor.iter().collect(), answers.iter().collect(), log)
}

fn methods(messages: &[Message]) -> Vec<String> {
    messages
        .iter()
        .map(|m| match m {
            Message::Request(r) => r.method.clone(),
            Message::Notification(n) => n.method.clone(),
            Message::Response(r) => format!("response {}", r.id),
        })
        .collect()
}

#[test]
fn malformed_messages_are_passed_over_and_reading_goes_on() {
    let input = [
        framed(INITIALIZE),
        framed("this is not JSON"),
        // JSON, with an id, but not a message: answered with an error.
        framed(r#"{"jsonrpc":"2.0","id":7,"method":5}"#),
        // Neither a method nor an id.
        framed(r#"{"jsonrpc":"2.0","params":[]}"#),
        // A header without a length: its body is lost, and the next
        // header follows it on the same line.
        "Content-Type: application/json\r\n\r\n{\"jsonrpc\":\"2.0\"}".to_string(),
        framed(SHUTDOWN),
        framed(EXIT),
        framed(r#"{"jsonrpc":"2.0","id":3,"method":"after exit"}"#),
    ]
    .concat();
    let (to_server, answers, log) = serve(&input);
    assert_eq!(methods(&to_server), ["initialize", "shutdown", "exit"]);
    // Each body that is not a message is answered, to its id or to null;
    // the header without a length frames no message, and is not.
    let answered: Vec<(Option<RequestId>, i32)> =
        answers.iter().map(|a| (a.id.clone(), a.code)).collect();
    assert_eq!(
        answered,
        [
            (None, ErrorCode::ParseError as i32),
            (Some(RequestId::from(7)), ErrorCode::InvalidRequest as i32),
            (None, ErrorCode::InvalidRequest as i32),
        ]
    );
    assert!(answers[0].message.contains("not JSON"), "{answers:?}");
    assert!(
        answers[1].message.contains("method is not a name"),
        "{answers:?}"
    );
    let said: Vec<&str> = log.lines().collect();
    assert_eq!(said.len(), 4, "{log}");
    assert!(said[0].contains("not JSON"), "{log}");
    assert!(said[1].contains("method is not a name"), "{log}");
    assert!(
        said[2].contains("not a request, response or notification"),
        "{log}"
    );
    assert!(said[3].contains("without a Content-Length"), "{log}");
}

/// After a header without a length, the next message is found whatever
/// the case of its `Content-Length` header, as a header is read alone.
#[test]
fn the_header_after_a_lost_body_is_found_in_any_case() {
    for name in ["Content-Length", "content-length", "CONTENT-LENGTH"] {
        let input = [
            "Content-Type: application/json\r\n\r\n{\"jsonrpc\":\"2.0\"}".to_string(),
            framed(SHUTDOWN).replacen("Content-Length", name, 1),
            framed(EXIT),
        ]
        .concat();
        let (to_server, _, _) = serve(&input);
        assert_eq!(methods(&to_server), ["shutdown", "exit"], "{name}");
    }
}

/// lsp-server reads any object with an `id` and no `method` as a
/// response, and a JSON array as a response's fields in order: such a body
/// that is no response is answered and said, not passed to the server as
/// one. A well-formed response reaches the server, which says whether it
/// answers anything.
#[test]
fn a_body_taken_for_a_response_that_is_none_is_answered() {
    let input = [
        // Before initialize: answered, and the server still waits for it.
        framed(r#"{"id":7,"x":1}"#),
        framed(INITIALIZE),
        // A batch: JSON-RPC 2.0 has them, the protocol does not.
        framed("[1,2]"),
        framed("[]"),
        // Neither a result nor an error, and both.
        framed(r#"{"jsonrpc":"2.0","id":3}"#),
        framed(r#"{"jsonrpc":"2.0","id":"s","result":1,"error":{"code":1,"message":"m"}}"#),
        // The editor's error about a message it could not read: a response
        // to nothing, said and not answered.
        framed(r#"{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"m"}}"#),
        // Well-formed responses, a null result among them.
        framed(r#"{"jsonrpc":"2.0","id":4,"result":null}"#),
        framed(r#"{"jsonrpc":"2.0","id":5,"error":{"code":-32601,"message":"m"}}"#),
        framed(SHUTDOWN),
        framed(EXIT),
    ]
    .concat();
    let (to_server, answers, log) = serve(&input);
    assert_eq!(
        methods(&to_server),
        ["initialize", "response 4", "response 5", "shutdown", "exit"]
    );
    let answered: Vec<(Option<RequestId>, i32)> =
        answers.iter().map(|a| (a.id.clone(), a.code)).collect();
    let invalid = ErrorCode::InvalidRequest as i32;
    assert_eq!(
        answered,
        [
            (Some(RequestId::from(7)), invalid),
            (None, invalid),
            (None, invalid),
            (Some(RequestId::from(3)), invalid),
            (Some(RequestId::from("s".to_string())), invalid),
        ]
    );
    assert!(answers[1].message.contains("batch"), "{answers:?}");
    assert!(answers[4].message.contains("both"), "{answers:?}");
    let said: Vec<&str> = log.lines().collect();
    assert_eq!(said.len(), 6, "{log}");
    assert!(said
        .iter()
        .all(|l| l.starts_with("judgement-lsp: passed over")));
    assert!(said[0].contains("neither a result nor an error"), "{log}");
    assert!(said[1].contains("batch of 2"), "{log}");
    assert!(said[2].contains("batch of 0"), "{log}");
    assert!(said[3].contains("neither a result nor an error"), "{log}");
    assert!(said[4].contains("both a result and an error"), "{log}");
    assert!(said[5].contains("id is null"), "{log}");
}

#[test]
fn a_length_that_is_not_a_number_is_passed_over() {
    let input = ["Content-Length: many\r\n\r\n{}".to_string(), framed(EXIT)].concat();
    let (to_server, answers, log) = serve(&input);
    assert_eq!(methods(&to_server), ["exit"]);
    assert!(answers.is_empty());
    assert!(log.contains("not a length"), "{log}");
}

#[test]
fn a_body_longer_than_the_most_read_is_not_held() {
    // Far more than the input holds: read past to its end, not allocated.
    let input = format!("Content-Length: {}\r\n\r\n{{}}", usize::MAX);
    assert!(read_message(&mut input.as_bytes()).unwrap().is_none());
    let just_over = MOST_BYTES + 1;
    let body = " ".repeat(just_over);
    let input = [
        format!("Content-Length: {just_over}\r\n\r\n{body}"),
        framed(EXIT),
    ]
    .concat();
    let (to_server, _, log) = serve(&input);
    assert_eq!(methods(&to_server), ["exit"]);
    assert!(log.contains("at most"), "{log}");
}

#[test]
fn input_that_ends_inside_a_message_ends_reading() {
    for input in [
        "",
        "Content-Length: 10\r\n",
        "Content-Length: 10\r\n\r\n{\"a\"",
    ] {
        assert!(
            read_message(&mut input.as_bytes()).unwrap().is_none(),
            "{input:?}"
        );
    }
}

#[test]
fn a_well_framed_message_is_read_as_it_is() {
    let read = read_message(&mut framed(SHUTDOWN).as_bytes())
        .unwrap()
        .unwrap();
    let Ok(Message::Request(request)) = read else {
        panic!("{read:?}")
    };
    assert_eq!(request.method, "shutdown");
    assert_eq!(request.id, RequestId::from(2));
}

#[test]
fn a_refusal_without_an_id_is_written_to_null() {
    let refused = Refused {
        id: None,
        code: ErrorCode::ParseError as i32,
        message: "a message that is not JSON".into(),
    };
    let mut out = Vec::new();
    refused.write(&mut out).unwrap();
    let text = String::from_utf8(out).unwrap();
    let (header, body) = text.split_once("\r\n\r\n").unwrap();
    assert_eq!(header, format!("Content-Length: {}", body.len()));
    let json: serde_json::Value = serde_json::from_str(body).unwrap();
    assert_eq!(
        json,
        serde_json::json!({
            "jsonrpc": "2.0",
            "id": null,
            "error": {"code": -32700, "message": "a message that is not JSON"},
        })
    );
    // To an id, it is the response lsp-server writes.
    let refused = Refused {
        id: Some(RequestId::from(7)),
        code: ErrorCode::InvalidRequest as i32,
        message: "no".into(),
    };
    let mut out = Vec::new();
    refused.write(&mut out).unwrap();
    let read = read_message(&mut out.as_slice()).unwrap().unwrap();
    let Ok(Message::Response(response)) = read else {
        panic!("{read:?}")
    };
    assert_eq!(response.id, RequestId::from(7));
    assert_eq!(response.error.unwrap().code, -32600);
}

#[test]
fn the_writer_writes_both_until_the_server_has_gone() {
    let (server, from_server) = crossbeam_channel::unbounded();
    let (refuse, refusals) = crossbeam_channel::unbounded();
    let note =
        |n: u8| Message::Notification(lsp_server::Notification::new(format!("note/{n}"), ()));
    server.send(note(1)).unwrap();
    refuse
        .send(Refused {
            id: None,
            code: ErrorCode::ParseError as i32,
            message: "not JSON".into(),
        })
        .unwrap();
    // The reader ends first: what the server still sends is written.
    drop(refuse);
    server.send(note(2)).unwrap();
    drop(server);
    let mut out = Vec::new();
    write_output(&from_server, &refusals, &mut out).unwrap();
    let mut input = out.as_slice();
    let mut read = Vec::new();
    while let Some(message) = read_message(&mut input).unwrap() {
        read.push(match message {
            Ok(m) => methods(&[m]).concat(),
            Err(malformed) => malformed.reason,
        });
    }
    // The refusal (id null) is no message lsp-server reads: read back, it
    // is passed over as an error response to no request.
    assert_eq!(read.len(), 3, "{read:?}");
    assert!(read.contains(&"note/1".to_string()), "{read:?}");
    assert_eq!(read[2], "note/2");
    assert!(read.iter().any(|r| r.contains("id is null")), "{read:?}");
}

/// One piece of a generated stream: a good message (its number), or one of
/// the ways a message can be malformed.
#[derive(Debug, Clone)]
enum Piece {
    Good(u8),
    NotJson(String),
    NoMethodNorId,
    MethodNotAName(i32),
    NeitherResultNorError(i32),
    Batch(Vec<u8>),
    NoLength(String),
    LengthNotANumber,
    Blank,
}

fn piece() -> impl proptest::strategy::Strategy<Value = Piece> {
    use proptest::prelude::*;
    prop_oneof![
        4 => any::<u8>().prop_map(Piece::Good),
        1 => "[^{}]{0,40}".prop_map(Piece::NotJson),
        1 => Just(Piece::NoMethodNorId),
        1 => any::<i32>().prop_map(Piece::MethodNotAName),
        1 => any::<i32>().prop_map(Piece::NeitherResultNorError),
        1 => proptest::collection::vec(any::<u8>(), 0..4).prop_map(Piece::Batch),
        1 => "[ -~]{0,40}".prop_map(Piece::NoLength),
        1 => Just(Piece::LengthNotANumber),
        1 => Just(Piece::Blank),
    ]
}

fn good(n: u8) -> String {
    format!(r#"{{"jsonrpc":"2.0","method":"note/{n}","params":null}}"#)
}

impl Piece {
    fn text(&self) -> String {
        match self {
            Piece::Good(n) => framed(&good(*n)),
            Piece::NotJson(text) => framed(text),
            Piece::NoMethodNorId => framed(r#"{"jsonrpc":"2.0"}"#),
            Piece::MethodNotAName(id) => framed(&format!(r#"{{"id":{id},"method":[]}}"#)),
            Piece::NeitherResultNorError(id) => framed(&format!(r#"{{"id":{id},"x":1}}"#)),
            Piece::Batch(items) => framed(&serde_json::to_string(items).unwrap()),
            // A body with no line end, its length not given.
            Piece::NoLength(body) => format!("X-Note: none\r\n\r\n{body}"),
            Piece::LengthNotANumber => "Content-Length: -1\r\n\r\n".to_string(),
            Piece::Blank => "\r\n".to_string(),
        }
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]

    /// Whatever is malformed around them, every good message reaches the
    /// server, in order, and each body that is not a message is answered,
    /// to its id where it has one and otherwise to null.
    #[test]
    fn every_good_message_gets_through_whatever_is_around_it(
        pieces in proptest::collection::vec(piece(), 0..12)
    ) {
        let input: String = pieces.iter().map(Piece::text).collect();
        let (to_server, answers, _) = serve(&input);
        let sent: Vec<String> = pieces
            .iter()
            .filter_map(|p| match p {
                Piece::Good(n) => Some(format!("note/{n}")),
                _ => None,
            })
            .collect();
        proptest::prop_assert_eq!(methods(&to_server), sent);
        let ids: Vec<Option<RequestId>> = pieces
            .iter()
            .filter_map(|p| match p {
                Piece::MethodNotAName(id) | Piece::NeitherResultNorError(id) => {
                    Some(Some(RequestId::from(*id)))
                }
                Piece::NotJson(_) | Piece::NoMethodNorId | Piece::Batch(_) => Some(None),
                Piece::Good(_) | Piece::NoLength(_) | Piece::LengthNotANumber | Piece::Blank => None,
            })
            .collect();
        let answered: Vec<Option<RequestId>> = answers.into_iter().map(|a| a.id).collect();
        proptest::prop_assert_eq!(answered, ids);
    }

    /// Any bytes at all: reading ends, without a panic or an error.
    #[test]
    fn any_bytes_are_read_to_their_end(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..400)) {
        let (server, _from_editor) = crossbeam_channel::unbounded();
        let (answer, _answers) = crossbeam_channel::unbounded();
        let mut log = Vec::new();
        proptest::prop_assert!(serve_input(&mut bytes.as_slice(), &server, &answer, &mut log).is_ok());
    }
}

/// A request whose id is not a whole number within 32 bits nor a string is
/// answered with an error and no id, and never taken for a notification:
/// an `exit` with such an id does not end the server.
#[test]
fn a_request_with_an_id_that_is_not_one_is_answered_not_obeyed() {
    let mut input = vec![framed(INITIALIZE)];
    for id in ["1.5", "2147483648", "true", "{\"a\":1}", "[1]"] {
        input.push(framed(&format!(
            r#"{{"jsonrpc":"2.0","id":{id},"method":"exit"}}"#
        )));
    }
    input.push(framed(SHUTDOWN));
    let (to_server, answers, log) = serve(&input.concat());
    assert_eq!(methods(&to_server), ["initialize", "shutdown"], "{log}");
    assert_eq!(answers.len(), 5, "{log}");
    assert!(answers
        .iter()
        .all(|a| a.id.is_none() && a.code == ErrorCode::InvalidRequest as i32));
    assert!(
        log.contains("neither a whole number within 32 bits nor a string"),
        "{log}"
    );
}

/// A request whose id is null is a request all the same (JSON-RPC 2.0: a
/// notification is a message without an `id`), and null is not one of the
/// protocol's ids: it is answered with an error to null, and `exit` or
/// `shutdown` with it is not obeyed.
#[test]
fn a_request_whose_id_is_null_is_answered_to_null_not_obeyed() {
    let mut input = vec![framed(INITIALIZE)];
    for method in ["textDocument/hover", "shutdown", "exit"] {
        input.push(framed(&format!(
            r#"{{"jsonrpc":"2.0","id":null,"method":"{method}","params":{{}}}}"#
        )));
    }
    input.push(framed(SHUTDOWN));
    input.push(framed(EXIT));
    let (to_server, answers, log) = serve(&input.concat());
    assert_eq!(
        methods(&to_server),
        ["initialize", "shutdown", "exit"],
        "{log}"
    );
    let [Message::Request(shutdown), ..] = &to_server[1..] else {
        panic!("the shutdown with an id: {to_server:?}");
    };
    assert_eq!(shutdown.id, RequestId::from(2));
    let answered: Vec<(Option<RequestId>, i32)> =
        answers.iter().map(|a| (a.id.clone(), a.code)).collect();
    assert_eq!(answered, vec![(None, ErrorCode::InvalidRequest as i32); 3]);
    assert_eq!(log.lines().count(), 3, "{log}");
}

/// A lone surrogate escape, which JavaScript's `JSON.stringify` writes for
/// a string that holds one, is read as U+FFFD (audit: serde_json refused
/// the whole message, so an edit that held one was lost). A pair is read
/// as the character it makes, an escaped backslash before `u` is no
/// escape, and a body with no lone surrogate is not copied.
#[test]
fn a_lone_surrogate_escape_is_read_as_the_replacement_character() {
    let cases = [
        (r#""\ud800""#, r#""\uFFFD""#),
        (r#""a\udc00b""#, r#""a\uFFFDb""#),
        (r#""\ud800\ud83d\ude00""#, r#""\uFFFD\ud83d\ude00""#),
        (r#""\ud800\u0041""#, r#""\uFFFD\u0041""#),
        (r#""\\ud800""#, r#""\\ud800""#),
        (r#""\\\ud800""#, r#""\\\uFFFD""#),
        (r#""\ud83d\ude00""#, r#""\ud83d\ude00""#),
        (r#""\ud80"#, r#""\ud80"#),
    ];
    for (body, read) in cases {
        assert_eq!(
            String::from_utf8_lossy(&lone_surrogates_replaced(body.as_bytes())),
            read,
            "{body}"
        );
    }
    assert!(matches!(
        lone_surrogates_replaced(br#"{"a":"\ud83d\ude00 \\ud800"}"#),
        Cow::Borrowed(_)
    ));
    let change = r##"{"jsonrpc":"2.0","method":"textDocument/didChange","params":{"textDocument":{"uri":"file:///a.rules","version":2},"contentChanges":[{"text":"# \ud800\n"}]}}"##;
    let (to_server, answers, log) = serve(&framed(change));
    assert!(answers.is_empty(), "{answers:?} {log}");
    let [Message::Notification(n)] = to_server.as_slice() else {
        panic!("{to_server:?} {log}");
    };
    let params: lsp_types::DidChangeTextDocumentParams =
        serde_json::from_str(n.params.as_str().unwrap()).unwrap();
    assert_eq!(params.content_changes[0].text, "# \u{FFFD}\n");
}

/// A message longer than [`MOST_BYTES_OTHER`] that carries no document's
/// text is refused before anything of it is built (audit: a notification
/// of 62 MB of `0,` took 3.2 GB as a `serde_json::Value`): a notification
/// said on the log, a request answered to its id; the messages after it
/// are read. An edit as long is read, its parameters handed on as their
/// JSON text.
#[test]
fn a_long_message_that_carries_no_text_is_refused_and_reading_goes_on() {
    let zeros = "0,".repeat(MOST_BYTES_OTHER / 2);
    let note = format!(r#"{{"jsonrpc":"2.0","method":"x/y","params":[{zeros}0]}}"#);
    let request = format!(r#"{{"jsonrpc":"2.0","id":9,"method":"x/z","params":[{zeros}0]}}"#);
    let text = "a".repeat(MOST_BYTES_OTHER);
    let change = format!(
        r#"{{"jsonrpc":"2.0","method":"textDocument/didChange","params":{{"textDocument":{{"uri":"file:///a.rules","version":2}},"contentChanges":[{{"text":"{text}"}}]}}}}"#
    );
    let input = [
        framed(INITIALIZE),
        framed(&note),
        framed(&request),
        framed(&change),
        framed(SHUTDOWN),
    ]
    .concat();
    let (to_server, answers, log) = serve(&input);
    assert_eq!(
        methods(&to_server),
        ["initialize", "textDocument/didChange", "shutdown"],
        "{log}"
    );
    assert_eq!(
        answers
            .iter()
            .map(|a| (a.id.clone(), a.code))
            .collect::<Vec<_>>(),
        [(Some(RequestId::from(9)), ErrorCode::InvalidRequest as i32)]
    );
    assert!(
        log.contains(&format!(
            "bytes for `x/y` (at most {MOST_BYTES_OTHER} are read"
        )),
        "{log}"
    );
    assert!(log.contains("bytes for `x/z`"), "{log}");
    let Message::Notification(edit) = &to_server[1] else {
        panic!("{:?}", to_server[1]);
    };
    assert!(edit.params.is_string(), "handed on as its JSON text");
}

/// An edit that cannot be read (here, longer than [`MOST_BYTES`]) is lost:
/// the server is told, with the document's uri, that its text is no longer
/// the editor's ([`LOST_EDIT`]).
#[test]
fn an_edit_that_cannot_be_read_is_reported_lost() {
    let just_over = MOST_BYTES + 1;
    let start = r#"{"jsonrpc":"2.0","method":"textDocument/didChange","params":{"textDocument":{"uri":"file:///a.rules","version":2},"contentChanges":[{"text":""#;
    let body = format!("{start}{}", " ".repeat(just_over - start.len()));
    let input = [
        format!("Content-Length: {just_over}\r\n\r\n{body}"),
        framed(r#"{"jsonrpc":"2.0","method":"textDocument/didChange","params":{"contentChanges":[{"text":"not JSON}"#),
        framed(EXIT),
    ]
    .concat();
    let (to_server, _, log) = serve(&input);
    assert_eq!(methods(&to_server), [LOST_EDIT, LOST_EDIT, "exit"], "{log}");
    let uris: Vec<&serde_json::Value> = to_server
        .iter()
        .filter_map(|m| match m {
            Message::Notification(n) if n.method == LOST_EDIT => Some(&n.params["uri"]),
            _ => None,
        })
        .collect();
    assert_eq!(
        uris,
        [
            &serde_json::json!("file:///a.rules"),
            &serde_json::Value::Null
        ]
    );
}
