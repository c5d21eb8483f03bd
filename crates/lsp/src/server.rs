//! The server loop: the capabilities it offers, then each message in turn.
//! Requests are answered in the order they come, but for a run of a
//! document's tests, which runs on a thread of its own and is answered when
//! it ends; after each change to a document the diagnostics of the open
//! documents are published again.

use crate::documents::{Document, Documents};
use crate::lens::{self, RUN_TESTS};
use crate::transport::LOST_EDIT;
use crate::{complete, fix, hover, navigate, outline, runs};
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::{
    Cancel, DidChangeTextDocument, DidChangeWatchedFiles, DidCloseTextDocument,
    DidOpenTextDocument, Exit, Notification as _, PublishDiagnostics,
};
use lsp_types::request::{
    CodeActionRequest, CodeLensRequest, Completion, DocumentSymbolRequest, ExecuteCommand,
    Formatting, GotoDefinition, HoverRequest, Initialize, References, Request as _, Shutdown,
};
use lsp_types::{
    CancelParams, CodeLensOptions, CompletionOptions, DidChangeTextDocumentParams,
    DidCloseTextDocumentParams, DidOpenTextDocumentParams, ExecuteCommandOptions,
    GotoDefinitionResponse, NumberOrString, OneOf, PublishDiagnosticsParams, ServerCapabilities,
    ServerInfo, TextDocumentSyncCapability, TextDocumentSyncKind, TextEdit, Url,
};
use serde::de::DeserializeOwned;
use serde::Deserialize as _;
use serde_json::Value;
use std::error::Error;
use std::sync::{Arc, Mutex};

type Failure = Box<dyn Error + Send + Sync>;

/// What the server can do, as it tells the editor at `initialize`.
pub fn capabilities() -> ServerCapabilities {
    ServerCapabilities {
        text_document_sync: Some(TextDocumentSyncCapability::Kind(
            TextDocumentSyncKind::INCREMENTAL,
        )),
        hover_provider: Some(lsp_types::HoverProviderCapability::Simple(true)),
        definition_provider: Some(OneOf::Left(true)),
        references_provider: Some(OneOf::Left(true)),
        completion_provider: Some(CompletionOptions {
            // Not a space: most spaces in a rule file are followed by no
            // name (a citation, a keyword, an `=`), and an editor would
            // offer the names after each of them.
            trigger_characters: Some(vec![".".to_string()]),
            ..CompletionOptions::default()
        }),
        document_formatting_provider: Some(OneOf::Left(true)),
        document_symbol_provider: Some(OneOf::Left(true)),
        code_action_provider: Some(lsp_types::CodeActionProviderCapability::Simple(true)),
        code_lens_provider: Some(CodeLensOptions {
            resolve_provider: Some(false),
        }),
        execute_command_provider: Some(ExecuteCommandOptions {
            commands: vec![RUN_TESTS.to_string()],
            ..ExecuteCommandOptions::default()
        }),
        ..ServerCapabilities::default()
    }
}

/// Serve one editor over `connection` until it says `exit`.
pub fn run(connection: Connection) -> Result<(), Failure> {
    let initialize = serde_json::json!({
        "capabilities": capabilities(),
        "serverInfo": ServerInfo {
            name: "judgement-lsp".to_string(),
            version: Some(env!("CARGO_PKG_VERSION").to_string()),
        },
    });
    let mut server = Server {
        connection: &connection,
        documents: Documents::default(),
        edited: Vec::new(),
        outbox: Arc::new(Mutex::new(Some(connection.sender.clone()))),
        runs: runs::Runs::default(),
    };
    let id = server.wait_for_initialize()?;
    // `initialized` is not waited for: it comes to the loop below, which
    // ignores it, as it does any other notification it does not handle.
    server.send(Response::new_ok(id, initialize))?;
    // After `shutdown` the server answers no request but with an error and
    // waits for `exit` (the protocol's lifecycle): exit code 0 after it, 1
    // for an `exit` that comes first.
    let mut shut_down = false;
    // Edits are applied as they come, and analysed once none is queued
    // behind them: an editor sends one for each key typed, and each
    // analysis of a large ruleset takes longer than the next key. Any other
    // message is handled on the text every edit before it made, analysed.
    let mut next: Option<Message> = None;
    loop {
        let message = match next.take() {
            Some(message) => message,
            None => match connection.receiver.recv() {
                Ok(message) => message,
                // The editor went away without `exit`: nothing is left to
                // serve. After `shutdown` that is a stop as asked; before
                // it, the editor crashed or dropped the server, which the
                // exit code says (1), as for an `exit` with no `shutdown`.
                Err(_) if shut_down => return Ok(()),
                Err(_) => {
                    return Err(
                        "the editor closed the connection without `shutdown` and `exit`".into(),
                    )
                }
            },
        };
        let edit = matches!(&message, Message::Notification(n) if n.method == DidChangeTextDocument::METHOD);
        if !edit {
            server.settle()?;
        }
        match message {
            Message::Request(request) if shut_down => server.send(Response::new_err(
                request.id,
                ErrorCode::InvalidRequest as i32,
                "the server is shutting down: only `exit` is expected".into(),
            ))?,
            Message::Request(request) if request.method == Shutdown::METHOD => {
                shut_down = true;
                server.send(Response::new_ok(request.id, ()))?;
            }
            Message::Request(request) => server.request(request)?,
            Message::Notification(notification) if notification.method == Exit::METHOD => {
                return if shut_down {
                    Ok(())
                } else {
                    Err("the editor sent `exit` without `shutdown` first".into())
                };
            }
            // A run of tests still going may be cancelled after
            // `shutdown` too.
            Message::Notification(notification)
                if shut_down && notification.method == Cancel::METHOD =>
            {
                server.notification(notification)?
            }
            Message::Notification(_) if shut_down => {}
            Message::Notification(notification) => server.notification(notification)?,
            Message::Response(response) => passed_over(&response),
        }
        if !server.edited.is_empty() {
            match connection.receiver.try_recv() {
                Ok(message) => next = Some(message),
                Err(_) => server.settle()?,
            }
        }
    }
}

/// A response from the editor: the server sends it no request, so it
/// answers none of the server's, and is passed over with a line on standard
/// error (as the transport passes over a message it cannot read).
fn passed_over(response: &Response) {
    eprintln!(
        "judgement-lsp: passed over a response to request {}, which the server never sent",
        response.id
    );
}

struct Server<'c> {
    connection: &'c Connection,
    documents: Documents,
    /// The documents edited since they were last analysed, in the order
    /// first edited ([`Server::settle`]).
    edited: Vec<Url>,
    /// Where a run of tests on its own thread sends its answer: emptied
    /// when the server stops, so that a run still going neither keeps the
    /// writer (and the process) waiting nor answers after `exit`.
    outbox: runs::Outbox,
    /// The runs of tests going and waiting, a thread for each document:
    /// each run's flag is set when its client cancels it
    /// (`$/cancelRequest`) or a later run of the document's tests takes its
    /// place.
    runs: runs::Runs,
}

impl Drop for Server<'_> {
    fn drop(&mut self) {
        if let Ok(mut outbox) = self.outbox.lock() {
            *outbox = None;
        }
        // No one is left to answer: each run still going stops before its
        // next test, and none waiting starts.
        self.runs.stop_all();
    }
}

impl Server<'_> {
    fn send(&self, message: impl Into<Message>) -> Result<(), Failure> {
        self.connection.sender.send(message.into())?;
        Ok(())
    }

    /// Wait for `initialize`, the id of which is returned, as the protocol
    /// asks: a request before it is answered with `ServerNotInitialized`, a
    /// notification is dropped, and a response passed over; `exit` ends the
    /// server, with an error as it comes without `shutdown`. (lsp-server's
    /// `initialize_start` ends at the first response.)
    fn wait_for_initialize(&self) -> Result<RequestId, Failure> {
        for message in &self.connection.receiver {
            match message {
                Message::Request(request) if request.method == Initialize::METHOD => {
                    return Ok(request.id);
                }
                Message::Request(request) => self.send(Response::new_err(
                    request.id,
                    ErrorCode::ServerNotInitialized as i32,
                    format!(
                        "the server is not initialized: `{}` came before `initialize`",
                        request.method
                    ),
                ))?,
                Message::Notification(notification) if notification.method == Exit::METHOD => {
                    return Err("the editor sent `exit` before `initialize`".into());
                }
                Message::Notification(_) => {}
                Message::Response(response) => passed_over(&response),
            }
        }
        Err("the editor went away before `initialize`".into())
    }

    fn notify<N: lsp_types::notification::Notification>(
        &self,
        params: N::Params,
    ) -> Result<(), Failure> {
        self.send(Notification::new(N::METHOD.to_string(), params))
    }

    fn request(&mut self, request: Request) -> Result<(), Failure> {
        let id = request.id.clone();
        let result = match request.method.as_str() {
            HoverRequest::METHOD => self.hover(request),
            GotoDefinition::METHOD => self.definition(request),
            References::METHOD => self.references(request),
            Completion::METHOD => self.completion(request),
            Formatting::METHOD => self.formatting(request),
            CodeLensRequest::METHOD => self.code_lens(request),
            DocumentSymbolRequest::METHOD => self.outline(request),
            CodeActionRequest::METHOD => self.code_action(request),
            ExecuteCommand::METHOD => return self.execute(request),
            // The protocol's `initialize` comes once, before everything.
            Initialize::METHOD => Err((
                ErrorCode::InvalidRequest,
                "the server is already initialized: `initialize` is sent once".to_string(),
            )),
            other => Err((
                ErrorCode::MethodNotFound,
                format!("judgement-lsp does not handle `{other}`"),
            )),
        };
        self.respond(id, result)
    }

    fn respond(&self, id: RequestId, result: Answer) -> Result<(), Failure> {
        let response = match result {
            Ok(value) => Response::new_ok(id, value),
            Err((code, message)) => Response::new_err(id, code as i32, message),
        };
        self.send(response)
    }

    fn notification(&mut self, n: Notification) -> Result<(), Failure> {
        match n.method.as_str() {
            DidOpenTextDocument::METHOD => {
                let Ok(p) = params::<DidOpenTextDocumentParams>(&n.params) else {
                    return Ok(());
                };
                let doc = p.text_document;
                self.documents.open(doc.uri.clone(), doc.text, doc.version);
                self.changed(&doc.uri)
            }
            DidChangeTextDocument::METHOD => {
                let p = match params::<DidChangeTextDocumentParams>(&n.params) {
                    Ok(p) => p,
                    // An edit that cannot be read is lost: the document's
                    // text is no longer the editor's.
                    Err((_, e)) => {
                        if let Some(uri) = document_named(&n.params) {
                            let why = format!("an edit that could not be read: {e}");
                            for uri in self.documents.lose(Some(&uri), &why) {
                                self.edited_now(uri);
                            }
                        }
                        return Ok(());
                    }
                };
                let uri = p.text_document.uri;
                self.documents
                    .change(&uri, p.text_document.version, p.content_changes);
                self.edited_now(uri);
                Ok(())
            }
            // The transport could not read an edit (`transport::LOST_EDIT`):
            // the document it names, or every one where it names none, is
            // no longer the editor's.
            LOST_EDIT => {
                #[derive(serde::Deserialize)]
                struct Lost {
                    uri: Option<String>,
                    why: String,
                }
                let Ok(lost) = params::<Lost>(&n.params) else {
                    return Ok(());
                };
                // A uri that is not one names no document: any may be lost.
                let uri = lost.uri.and_then(|uri| uri.parse::<Url>().ok());
                for uri in self.documents.lose(uri.as_ref(), &lost.why) {
                    self.edited_now(uri);
                }
                Ok(())
            }
            DidCloseTextDocument::METHOD => {
                let Ok(p) = params::<DidCloseTextDocumentParams>(&n.params) else {
                    return Ok(());
                };
                // A definitions file closed unsaved: the rulesets that read
                // its text in the editor read the file on disk again.
                let definitions = self
                    .documents
                    .get(&p.text_document.uri)
                    .is_some_and(read_by_others);
                self.documents.close(&p.text_document.uri);
                self.notify::<PublishDiagnostics>(PublishDiagnosticsParams::new(
                    p.text_document.uri,
                    Vec::new(),
                    None,
                ))?;
                if !definitions {
                    return Ok(());
                }
                let uris = self.documents.uris();
                for uri in &uris {
                    self.documents.analyse(uri);
                }
                self.publish(uris)
            }
            // A calendar or definitions file changed on disk: every open
            // document may read it.
            DidChangeWatchedFiles::METHOD => {
                let uris = self.documents.uris();
                for uri in &uris {
                    self.documents.analyse(uri);
                }
                self.publish(uris)
            }
            // A run of tests still going stops before its next test and
            // answers that it was cancelled; any other request has been
            // answered already, in turn.
            Cancel::METHOD => {
                let Ok(p) = params::<CancelParams>(&n.params) else {
                    return Ok(());
                };
                let id = match p.id {
                    NumberOrString::Number(n) => RequestId::from(n),
                    NumberOrString::String(s) => RequestId::from(s),
                };
                match self.runs.cancel(&id) {
                    Some(answer) => self.send(answer),
                    None => Ok(()),
                }
            }
            _ => Ok(()),
        }
    }

    /// The document is to be analysed again once the edits queued behind
    /// this one are applied.
    fn edited_now(&mut self, uri: Url) {
        if !self.edited.contains(&uri) {
            self.edited.push(uri);
        }
    }

    /// Analyse each document edited since it was last analysed, and
    /// publish what was found.
    fn settle(&mut self) -> Result<(), Failure> {
        for uri in std::mem::take(&mut self.edited) {
            self.documents.analyse(&uri);
            self.changed(&uri)?;
        }
        Ok(())
    }

    /// Publish the document's diagnostics; a changed definitions file
    /// changes every ruleset that uses it, so the others are checked again.
    fn changed(&mut self, uri: &Url) -> Result<(), Failure> {
        let definitions = self.documents.get(uri).is_some_and(read_by_others);
        let mut uris = vec![uri.clone()];
        if definitions {
            for other in self.documents.uris() {
                if &other != uri {
                    self.documents.analyse(&other);
                    uris.push(other);
                }
            }
        }
        self.publish(uris)
    }

    fn publish(&self, uris: Vec<Url>) -> Result<(), Failure> {
        for uri in uris {
            if let Some(doc) = self.documents.get(&uri) {
                self.notify::<PublishDiagnostics>(PublishDiagnosticsParams::new(
                    uri.clone(),
                    doc.analysis.diagnostics.clone(),
                    Some(doc.version),
                ))?;
            }
        }
        Ok(())
    }

    fn hover(&self, request: Request) -> Answer {
        let p: lsp_types::HoverParams = params(&request.params)?;
        let at = p.text_document_position_params;
        let doc = self.document(&at.text_document.uri)?;
        json(hover::hover(doc, at.position))
    }

    fn definition(&self, request: Request) -> Answer {
        let p: lsp_types::GotoDefinitionParams = params(&request.params)?;
        let at = p.text_document_position_params;
        let doc = self.document(&at.text_document.uri)?;
        let found = navigate::definition(doc, at.position);
        match found.len() {
            0 => Ok(Value::Null),
            _ => json(GotoDefinitionResponse::Array(found)),
        }
    }

    fn references(&self, request: Request) -> Answer {
        let p: lsp_types::ReferenceParams = params(&request.params)?;
        let at = p.text_document_position;
        let doc = self.document(&at.text_document.uri)?;
        json(navigate::references(
            doc,
            at.position,
            p.context.include_declaration,
        ))
    }

    fn completion(&self, request: Request) -> Answer {
        let p: lsp_types::CompletionParams = params(&request.params)?;
        let at = p.text_document_position;
        let doc = self.document(&at.text_document.uri)?;
        json(complete::complete(doc, at.position))
    }

    /// The whole text in the canonical layout, or no edit when it is
    /// already; a text that does not parse is left alone.
    fn formatting(&self, request: Request) -> Answer {
        let p: lsp_types::DocumentFormattingParams = params(&request.params)?;
        let doc = self.document(&p.text_document.uri)?;
        // A byte-order mark is kept, and the text after it formatted, as
        // `judgement fmt` reads and checks a file.
        let bom = crate::position::bom_len(&doc.text);
        let text = doc.text.get(bom..).unwrap_or(&doc.text);
        let Ok(formatted) = judgement_syntax::format_source(text) else {
            return Ok(Value::Null);
        };
        if formatted == text {
            return json(Vec::<TextEdit>::new());
        }
        let whole = doc
            .lines
            .range(&doc.text, judgement_syntax::Span::new(bom, doc.text.len()));
        json(vec![TextEdit::new(whole, formatted)])
    }

    fn code_action(&self, request: Request) -> Answer {
        let p: lsp_types::CodeActionParams = params(&request.params)?;
        let doc = self.document(&p.text_document.uri)?;
        json(fix::quick_fixes(doc, &p.context.diagnostics))
    }

    fn outline(&self, request: Request) -> Answer {
        let p: lsp_types::DocumentSymbolParams = params(&request.params)?;
        let doc = self.document(&p.text_document.uri)?;
        json(lsp_types::DocumentSymbolResponse::Nested(outline::outline(
            doc,
        )))
    }

    fn code_lens(&self, request: Request) -> Answer {
        let p: lsp_types::CodeLensParams = params(&request.params)?;
        let doc = self.document(&p.text_document.uri)?;
        json(lens::code_lenses(doc))
    }

    /// `judgement.runTests URI [NAME]`: the result, and a message shown,
    /// from the document's thread of tests (`runs`), so that a slow test
    /// holds up nothing else; a command the server does not have, or
    /// arguments that are not a document's, are answered at once, as is a
    /// request when too many documents' runs are going.
    fn execute(&self, request: Request) -> Result<(), Failure> {
        let id = request.id.clone();
        let (uri, tests, name) = match self.tests_asked(request) {
            Ok(asked) => asked,
            Err(refused) => return self.respond(id, Err(refused)),
        };
        match self
            .runs
            .ask(uri, runs::Job::new(id, tests, name), &self.outbox)
        {
            runs::Asked::Started | runs::Asked::Waiting(None) => Ok(()),
            runs::Asked::Waiting(Some(answer)) | runs::Asked::Refused(answer) => self.send(answer),
        }
    }

    /// The tests a `judgement.runTests` request asks for, taken from the
    /// document as it is now, and the one test's name (none: all).
    fn tests_asked(
        &self,
        request: Request,
    ) -> Result<(Url, lens::Tests, Option<String>), (ErrorCode, String)> {
        let p: lsp_types::ExecuteCommandParams = params(&request.params)?;
        if p.command != RUN_TESTS {
            return Err((
                ErrorCode::InvalidParams,
                format!("there is no command `{}`", p.command),
            ));
        }
        let Some((uri, name)) = lens::arguments(&p.arguments) else {
            return Err((
                ErrorCode::InvalidParams,
                format!(
                    "`{RUN_TESTS}` takes a document's uri and, for one test, its name (a string)"
                ),
            ));
        };
        let doc = self.document(&uri)?;
        Ok((uri.clone(), lens::Tests::of(doc), name))
    }

    /// An open document whose text is the editor's: one whose edits were
    /// lost is refused, as an answer about its text would be wrong.
    fn document(&self, uri: &Url) -> Result<&Document, (ErrorCode, String)> {
        let doc = self
            .documents
            .get(uri)
            .ok_or_else(|| (ErrorCode::InvalidParams, format!("`{uri}` is not open")))?;
        match &doc.lost {
            Some(why) => Err((
                ErrorCode::RequestFailed,
                format!(
                    "the server has lost track of `{uri}`'s text ({why}): close the document \
                     and open it again"
                ),
            )),
            None => Ok(doc),
        }
    }
}

/// Whether the other documents may read this one's text: a definitions
/// file, by its first word or by its place (`definitions/NAME.rules`, where
/// the engine finds the definitions a ruleset uses), so that one whose
/// header is being retyped, and reads as no definitions for a while, is
/// still one.
fn read_by_others(doc: &Document) -> bool {
    let placed = doc.path.extension().is_some_and(|x| x == "rules")
        && doc
            .path
            .parent()
            .and_then(|dir| dir.file_name())
            .is_some_and(|dir| dir == "definitions");
    placed || judgement_syntax::file_kind(&doc.text) == judgement_syntax::ast::FileKind::Definitions
}

type Answer = Result<Value, (ErrorCode, String)>;

/// A message's parameters as the handler takes them. The transport hands
/// them on as their JSON text (a string: JSON-RPC's parameters are an
/// object or an array, never a string), read here straight into the types
/// the handler needs, so that no `Value` of what the editor sent is built
/// (`transport`); an editor in process (the tests) sends them as a value.
fn params<P: DeserializeOwned>(value: &Value) -> Result<P, (ErrorCode, String)> {
    let read = match value {
        Value::String(text) => serde_json::from_str(text),
        value => P::deserialize(value),
    };
    read.map_err(|e| (ErrorCode::InvalidParams, e.to_string()))
}

/// The document a notification's parameters name (`textDocument.uri`),
/// where the rest of them cannot be read.
fn document_named(value: &Value) -> Option<Url> {
    #[derive(serde::Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Named {
        text_document: lsp_types::TextDocumentIdentifier,
    }
    let named: Named = match value {
        Value::String(text) => serde_json::from_str(text).ok()?,
        value => Named::deserialize(value).ok()?,
    };
    Some(named.text_document.uri)
}

fn json(value: impl serde::Serialize) -> Answer {
    serde_json::to_value(value).map_err(|e| (ErrorCode::InternalError, e.to_string()))
}
