//! An editor for the tests: the server runs on a thread over an in-memory
//! connection, and the test sends it messages one by one and reads what it
//! answers, as an editor would.

#![allow(
    clippy::panic,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "a test fails by panicking"
)]

use lsp_server::{Connection, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::Notification as NotificationTrait;
use lsp_types::request::Request as RequestTrait;
use lsp_types::{
    ClientCapabilities, DidChangeTextDocumentParams, DidOpenTextDocumentParams, InitializeParams,
    InitializeResult, Position, PublishDiagnosticsParams, Range, TextDocumentContentChangeEvent,
    TextDocumentIdentifier, TextDocumentItem, TextDocumentPositionParams, Url,
    VersionedTextDocumentIdentifier,
};
use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::thread::JoinHandle;
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(60);

pub struct Editor {
    connection: Connection,
    server: Option<JoinHandle<()>>,
    next_id: i32,
    /// Notifications that came while waiting for a response.
    pending: VecDeque<Notification>,
    pub initialized: InitializeResult,
}

impl Editor {
    /// Start a server and go through `initialize` and `initialized`.
    pub fn start() -> Editor {
        let (server, client) = Connection::memory();
        let handle = std::thread::spawn(move || {
            judgement_lsp::run(server).expect("the server stops cleanly");
        });
        let mut editor = Editor {
            connection: client,
            server: Some(handle),
            next_id: 0,
            pending: VecDeque::new(),
            initialized: InitializeResult::default(),
        };
        #[allow(deprecated)]
        let params = InitializeParams {
            capabilities: ClientCapabilities::default(),
            ..InitializeParams::default()
        };
        editor.initialized = editor.request::<lsp_types::request::Initialize>(params);
        editor.notify::<lsp_types::notification::Initialized>(lsp_types::InitializedParams {});
        editor
    }

    pub fn notify<N: NotificationTrait>(&self, params: N::Params) {
        self.connection
            .sender
            .send(Message::Notification(Notification::new(
                N::METHOD.to_string(),
                params,
            )))
            .expect("the server is listening");
    }

    /// Send a notification whose parameters are any JSON (one the server
    /// may not be able to read).
    pub fn notify_raw(&self, method: &str, params: serde_json::Value) {
        self.connection
            .sender
            .send(Message::Notification(Notification::new(
                method.to_string(),
                params,
            )))
            .expect("the server is listening");
    }

    /// Send a request and wait for its response; notifications met on the
    /// way are kept for [`Editor::notification`].
    pub fn request<R: RequestTrait>(&mut self, params: R::Params) -> R::Result {
        let response = self.request_raw(R::METHOD, serde_json::to_value(params).unwrap());
        if let Some(error) = response.error {
            panic!("{} failed: {:?}", R::METHOD, error);
        }
        serde_json::from_value(response.result.unwrap_or(serde_json::Value::Null))
            .unwrap_or_else(|e| panic!("{} gave an unexpected result: {e}", R::METHOD))
    }

    pub fn request_raw(&mut self, method: &str, params: serde_json::Value) -> Response {
        let id = self.send_request(method, params);
        let response = self.next_response();
        assert_eq!(
            response.id, id,
            "a response to another request than {method}: {response:?}"
        );
        response
    }

    /// Send a request without waiting for its answer: its id.
    pub fn send_request(&mut self, method: &str, params: serde_json::Value) -> RequestId {
        self.next_id += 1;
        let id = RequestId::from(self.next_id);
        self.connection
            .sender
            .send(Message::Request(Request::new(
                id.clone(),
                method.to_string(),
                params,
            )))
            .expect("the server is listening");
        id
    }

    /// The next response, to whichever request (notifications before it
    /// are kept for [`Editor::notification`]).
    pub fn next_response(&mut self) -> Response {
        loop {
            match self.connection.receiver.recv_timeout(WAIT) {
                Ok(Message::Response(r)) => return r,
                Ok(Message::Notification(n)) => self.pending.push_back(n),
                Ok(Message::Request(r)) => panic!("the server asked the editor: {r:?}"),
                Err(e) => panic!("no response: {e}"),
            }
        }
    }

    /// The next notification of kind `N` (others before it are dropped).
    pub fn notification<N: NotificationTrait>(&mut self) -> N::Params {
        loop {
            let n = match self.pending.pop_front() {
                Some(n) => n,
                None => match self.connection.receiver.recv_timeout(WAIT) {
                    Ok(Message::Notification(n)) => n,
                    Ok(other) => panic!("expected {}, got {other:?}", N::METHOD),
                    Err(e) => panic!("no {}: {e}", N::METHOD),
                },
            };
            if n.method == N::METHOD {
                return serde_json::from_value(n.params).expect("its parameters");
            }
        }
    }

    /// The next diagnostics published.
    pub fn diagnostics(&mut self) -> PublishDiagnosticsParams {
        self.notification::<lsp_types::notification::PublishDiagnostics>()
    }

    /// Open a document with `text` at `path`; its first diagnostics.
    pub fn open(&mut self, path: &Path, text: &str) -> (Url, PublishDiagnosticsParams) {
        let uri = Url::from_file_path(path).expect("an absolute path");
        let language = if path.extension().is_some_and(|x| x == "calendar") {
            "judgement-calendar"
        } else {
            "judgement-rules"
        };
        self.notify::<lsp_types::notification::DidOpenTextDocument>(DidOpenTextDocumentParams {
            text_document: TextDocumentItem::new(uri.clone(), language.into(), 1, text.into()),
        });
        let published = self.diagnostics();
        assert_eq!(published.uri, uri);
        (uri, published)
    }

    /// Replace `range` with `text`; the diagnostics published after.
    pub fn change(
        &mut self,
        uri: &Url,
        version: i32,
        range: Option<Range>,
        text: &str,
    ) -> PublishDiagnosticsParams {
        self.notify::<lsp_types::notification::DidChangeTextDocument>(
            DidChangeTextDocumentParams {
                text_document: VersionedTextDocumentIdentifier::new(uri.clone(), version),
                content_changes: vec![TextDocumentContentChangeEvent {
                    range,
                    range_length: None,
                    text: text.into(),
                }],
            },
        );
        let published = self.diagnostics();
        assert_eq!(&published.uri, uri);
        assert_eq!(published.version, Some(version));
        published
    }

    /// `shutdown`, then `exit`: the server's thread ends.
    pub fn stop(mut self) {
        let response = self.request_raw("shutdown", serde_json::Value::Null);
        assert!(response.error.is_none(), "{response:?}");
        self.exit();
    }

    /// `exit` (after `shutdown`): the server's thread ends, and cleanly.
    pub fn exit(mut self) {
        self.notify::<lsp_types::notification::Exit>(());
        if let Some(handle) = self.server.take() {
            handle.join().expect("the server's thread ends");
        }
    }
}

pub fn at(uri: &Url, position: Position) -> TextDocumentPositionParams {
    TextDocumentPositionParams::new(TextDocumentIdentifier::new(uri.clone()), position)
}

/// The position (in UTF-16 units) of the `nth` occurrence of `needle`
/// in `text`, plus `into` characters.
pub fn find(text: &str, needle: &str, nth: usize, into: u32) -> Position {
    let (offset, _) = text.match_indices(needle).nth(nth).unwrap_or_else(|| {
        panic!(
            "`{needle}` occurs {} times, not {}",
            text.matches(needle).count(),
            nth + 1
        )
    });
    let before = &text[..offset];
    let line = before.matches('\n').count() as u32;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let character: usize = before[line_start..].chars().map(char::len_utf16).sum();
    Position::new(line, character as u32 + into)
}

/// The byte offset of a position (in UTF-16 units).
pub fn offset(text: &str, p: Position) -> usize {
    {
        let line_start: usize = text
            .split_inclusive('\n')
            .take(p.line as usize)
            .map(str::len)
            .sum();
        let mut units = 0;
        for (i, c) in text[line_start..].char_indices() {
            if units >= p.character as usize {
                return line_start + i;
            }
            units += c.len_utf16();
        }
        text.len()
    }
}

/// The text a range covers (ranges in UTF-16 units).
pub fn text_of(text: &str, range: Range) -> String {
    text[offset(text, range.start)..offset(text, range.end)].to_string()
}

/// `text` with `range` replaced, as the editor has it after a change.
pub fn apply(text: &str, range: Range, new: &str) -> String {
    let mut text = text.to_string();
    let (start, end) = (offset(&text, range.start), offset(&text, range.end));
    text.replace_range(start..end, new);
    text
}

/// A file of the repository's rulesets, by its path under `rulesets/`.
pub fn ruleset(relative: &str) -> (PathBuf, String) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../rulesets")
        .join(relative);
    let path = path.canonicalize().expect("the ruleset is there");
    let text = std::fs::read_to_string(&path).expect("it reads");
    (path, text)
}
