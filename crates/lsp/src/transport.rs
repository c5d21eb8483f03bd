//! The server's standard input and output, which a malformed message does
//! not end.
//!
//! `lsp_server::Connection::stdio` stops reading at the first message it
//! cannot read (a header without its line end, a body that is not JSON or
//! not a message): the server then loses its editor for good. Here such a
//! message is passed over, said on standard error (which editors show in
//! the server's log), and reading goes on with the next message. A body
//! that is not a message is answered with an error, as JSON-RPC 2.0 asks:
//! "Invalid Request" with its `id` where it names one, and otherwise with
//! an `id` of null, "Parse error" when it is not JSON. A body that
//! lsp-server would take for a response but is none (with neither a
//! `result` nor an `error`, or with both) is not a message; nor is a batch
//! (a JSON array), which the language server protocol does not have: it is
//! answered once, to null. The editor's error response to null is passed
//! over unanswered: a response is never answered. (lsp-server's
//! `RequestId` cannot be null, so those answers are written here, beside
//! the server's messages: [`Refused`].) A header block without a
//! `Content-Length` leaves no way to know where its body ends: the reader
//! then finds the next `Content-Length` header, even where it follows the
//! lost body on the same line. A body longer than [`MOST_BYTES`] is read
//! past without being held.

use crossbeam_channel::{Receiver, Sender};
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use serde::de::{Deserializer, IgnoredAny};
use serde::Deserialize;
use serde_json::error::Category;
use serde_json::value::RawValue;
use std::borrow::Cow;
use std::io::{self, BufRead, Read, Write};
use std::thread::{self, JoinHandle};

/// The longest body read: 64 MiB, far more than any rule file.
pub const MOST_BYTES: usize = 64 << 20;

/// The longest body read of a message that carries no document's text:
/// 1 MiB, far more than any request about a position, a lens or a command
/// needs.
pub const MOST_BYTES_OTHER: usize = 1 << 20;

/// The methods whose messages carry a document's text, read up to
/// [`MOST_BYTES`].
pub const TEXT_METHODS: [&str; 2] = ["textDocument/didOpen", "textDocument/didChange"];

/// The notification the reader sends the server for an edit it could not
/// read (`{"uri": the document's, or null where it is not found, "why"}`):
/// the document's text in the server is no longer the editor's.
pub const LOST_EDIT: &str = "judgement-lsp/lostEdit";

/// The messages read and waiting for the server, at most. Typing queues
/// small edits; a message as long as [`MOST_BYTES`] is rare, and this many
/// of them is the most memory they can hold.
const READ_AHEAD: usize = 8;

/// The reader and writer threads of [`stdio`].
pub struct Io {
    reader: JoinHandle<io::Result<()>>,
    writer: JoinHandle<io::Result<()>>,
}

impl Io {
    /// Wait for both threads: the reader ends at `exit` or the end of its
    /// input, the writer when the server's connection is dropped.
    pub fn join(self) -> io::Result<()> {
        let reader = self
            .reader
            .join()
            .map_err(|_| io::Error::other("the reader stopped"))?;
        let writer = self
            .writer
            .join()
            .map_err(|_| io::Error::other("the writer stopped"))?;
        reader.and(writer)
    }
}

/// A connection over standard input and output.
pub fn stdio() -> io::Result<(Connection, Io)> {
    let (to_editor, from_server) = crossbeam_channel::bounded::<Message>(0);
    // The reader reads a few messages ahead, so that the server can see
    // the edits queued behind the one it handles and analyse once for all.
    let (to_server, from_editor) = crossbeam_channel::bounded::<Message>(READ_AHEAD);
    let (refuse, refusals) = crossbeam_channel::bounded::<Refused>(0);
    let writer = thread::Builder::new()
        .name("judgement-lsp writer".into())
        .spawn(move || write_output(&from_server, &refusals, &mut io::stdout().lock()))?;
    let reader = thread::Builder::new()
        .name("judgement-lsp reader".into())
        .spawn(move || {
            let mut stdin = io::stdin().lock();
            serve_input(&mut stdin, &to_server, &refuse, &mut io::stderr())
        })?;
    let connection = Connection {
        sender: to_editor,
        receiver: from_editor,
    };
    Ok((connection, Io { reader, writer }))
}

/// Write the server's messages, and the answers to messages that could not
/// be read, to `output` as they come, until the server has gone.
pub fn write_output(
    server: &Receiver<Message>,
    refusals: &Receiver<Refused>,
    output: &mut impl Write,
) -> io::Result<()> {
    loop {
        crossbeam_channel::select! {
            recv(server) -> message => match message {
                Ok(message) => message.write(output)?,
                Err(_) => return Ok(()),
            },
            recv(refusals) -> refused => match refused {
                Ok(refused) => refused.write(output)?,
                // The reader has ended: only the server is left to write.
                Err(_) => return server.iter().try_for_each(|m| m.write(output)),
            },
        }
    }
}

/// Read messages from `input` and pass them to the server until `exit` or
/// the end of the input; a malformed one is said on `log`, and a body that
/// is not a message is answered on `answer`. Ends early only when the
/// server has gone.
pub fn serve_input(
    input: &mut impl BufRead,
    server: &Sender<Message>,
    answer: &Sender<Refused>,
    log: &mut impl Write,
) -> io::Result<()> {
    loop {
        match read_message(input)? {
            None => return Ok(()),
            Some(Ok(message)) => {
                let exit = matches!(&message, Message::Notification(n) if n.method == "exit");
                server.send(message).map_err(gone)?;
                if exit {
                    return Ok(());
                }
            }
            Some(Err(malformed)) => {
                // The log is for people; a failure to write it ends nothing.
                let _ = writeln!(log, "judgement-lsp: passed over {}", malformed.reason);
                if let Some(refused) = malformed.answer {
                    answer.send(refused).map_err(gone)?;
                }
                // The server's copy of the document edited is no longer
                // the editor's: it is told.
                if let Some(lost) = malformed.lost {
                    let why = format!("an edit was lost: {}", malformed.reason);
                    let params = serde_json::json!({"uri": lost.uri, "why": why});
                    let lost = Notification::new(LOST_EDIT.to_string(), params);
                    server.send(Message::Notification(lost)).map_err(gone)?;
                }
            }
        }
    }
}

/// The reader's channel has no one at the other end.
fn gone<T>(_: crossbeam_channel::SendError<T>) -> io::Error {
    io::Error::other("the server is no longer listening")
}

/// A message that could not be read: why, and its answer where it has one
/// (a header that frames no body has none: it is no JSON-RPC message; nor
/// has the editor's error response to null: a response is not answered).
#[derive(Debug)]
pub struct Malformed {
    pub reason: String,
    pub answer: Option<Refused>,
    /// Where the body was an edit to a document (`textDocument/didChange`).
    pub lost: Option<LostEdit>,
}

/// An edit that could not be read: the document it was for, where that
/// could be found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LostEdit {
    pub uri: Option<String>,
}

impl Malformed {
    /// A fault in the framing: said, not answered.
    fn framing(reason: String) -> Malformed {
        Malformed {
            reason,
            answer: None,
            lost: None,
        }
    }

    /// A body that is not a message, answered with `code`.
    fn body(reason: String, id: Option<RequestId>, code: ErrorCode) -> Malformed {
        let answer = Some(Refused {
            id,
            code: code as i32,
            message: reason.clone(),
        });
        Malformed {
            reason,
            answer,
            lost: None,
        }
    }
}

/// The error that answers a body that is not a message: JSON-RPC 2.0's
/// response to a request it cannot read, to its `id` or, where it names
/// none, to null.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    pub id: Option<RequestId>,
    /// A JSON-RPC error code (`lsp_server::ErrorCode`).
    pub code: i32,
    pub message: String,
}

impl Refused {
    /// Write it as the server's messages are written.
    pub fn write(&self, output: &mut impl Write) -> io::Result<()> {
        let code = self.code;
        match &self.id {
            Some(id) => {
                let response = Response::new_err(id.clone(), code, self.message.clone());
                Message::Response(response).write(output)
            }
            None => {
                let body = serde_json::json!({
                    "jsonrpc": "2.0",
                    "id": null,
                    "error": {"code": code, "message": self.message},
                })
                .to_string();
                write!(output, "Content-Length: {}\r\n\r\n{body}", body.len())?;
                output.flush()
            }
        }
    }
}

/// The next message: none at the end of the input, an error only when the
/// input itself fails.
pub fn read_message(input: &mut impl BufRead) -> io::Result<Option<Result<Message, Malformed>>> {
    let Some(length) = read_header(input)? else {
        return Ok(None);
    };
    let length = match length {
        Ok(length) => length,
        Err(reason) => return Ok(Some(Err(Malformed::framing(reason)))),
    };
    if length > MOST_BYTES {
        // Its start is kept, to tell whether it was an edit.
        let mut head = Vec::new();
        let kept = input.take(HEAD as u64).read_to_end(&mut head)?;
        let skipped = io::copy(&mut input.take((length - kept) as u64), &mut io::sink())?;
        let reason = format!("a message of {length} bytes (at most {MOST_BYTES} are read)");
        let mut malformed = Malformed::framing(reason);
        malformed.lost = lost_edit(&head);
        return match usize::try_from(skipped) {
            Ok(n) if n + kept == length => Ok(Some(Err(malformed))),
            _ => Ok(None),
        };
    }
    let mut body = vec![0; length];
    if let Err(e) = input.read_exact(&mut body) {
        return match e.kind() {
            io::ErrorKind::UnexpectedEof => Ok(None),
            _ => Err(e),
        };
    }
    Ok(Some(message_of(&body).map_err(|mut malformed| {
        malformed.lost = lost_edit(body.get(..HEAD).unwrap_or(&body));
        malformed
    })))
}

/// How much of a lost body is read to tell whether it was an edit, and
/// whose: the method and the document's uri come before its changes.
const HEAD: usize = 64 << 10;

/// A body as a message. It is read without building a `serde_json::Value`
/// of what it holds (which takes up to some fifty times the bytes of small
/// numbers, and more of small objects): its `id` and `method` are read
/// first, the rest passed over as raw JSON, and its parameters (or result)
/// handed on as their JSON text, as a string, which the server reads into
/// the types each handler needs. A body longer than [`MOST_BYTES_OTHER`] is
/// refused but for a method that carries a document's text
/// ([`TEXT_METHODS`]).
fn message_of(body: &[u8]) -> Result<Message, Malformed> {
    let body = lone_surrogates_replaced(body);
    let not_json = |e: serde_json::Error| {
        let reason = format!("a message that is not JSON: {e}");
        Malformed::body(reason, None, ErrorCode::ParseError)
    };
    // JSON-RPC 2.0's batch, which the language server protocol does not
    // have (and which would be read as a response: a struct's fields may
    // be given as an array). Its elements are counted, not kept.
    if body.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'[') {
        let batch: Vec<IgnoredAny> = serde_json::from_slice(&body).map_err(not_json)?;
        let reason = format!(
            "a batch of {} (a JSON array: the language server protocol has no batches)",
            batch.len()
        );
        return Err(Malformed::body(reason, None, ErrorCode::InvalidRequest));
    }
    let envelope: Envelope = serde_json::from_slice(&body).map_err(|e| match e.classify() {
        Category::Data => {
            let reason = format!("a message that is not a request, response or notification: {e}");
            Malformed::body(reason, None, ErrorCode::InvalidRequest)
        }
        _ => not_json(e),
    })?;
    let id = envelope
        .id
        .and_then(|id| serde_json::from_str::<RequestId>(id.get()).ok());
    // A request whose id is not one (null, a fraction, a number past 32
    // bits, true, an object): lsp-server would pass over the id and take it
    // for a notification (`exit` among them), though JSON-RPC 2.0 makes a
    // notification of a message with no `id` at all. It is answered, with
    // no id.
    if envelope.method.is_some() && envelope.id.is_some() && id.is_none() {
        let reason =
            "a request whose id is neither a whole number within 32 bits nor a string".to_string();
        return Err(Malformed::body(reason, None, ErrorCode::InvalidRequest));
    }
    let Some(method) = envelope.method else {
        return response_of(&envelope, id, body.len());
    };
    // Read as a message, one with a method that is not a name would be
    // taken for a response (every field but `id` may be left out of one).
    let Ok(method) = serde_json::from_str::<String>(method.get()) else {
        let reason = "a message whose method is not a name".to_string();
        return Err(Malformed::body(reason, id, ErrorCode::InvalidRequest));
    };
    if body.len() > MOST_BYTES_OTHER && !TEXT_METHODS.contains(&method.as_str()) {
        let reason = format!(
            "a message of {} bytes for `{method}` (at most {MOST_BYTES_OTHER} are read, \
             but for a document's text: {})",
            body.len(),
            TEXT_METHODS.join(", ")
        );
        // A notification is not answered; a request is, to its id.
        return Err(match id {
            Some(id) => Malformed::body(reason, Some(id), ErrorCode::InvalidRequest),
            None => Malformed::framing(reason),
        });
    }
    let params = envelope
        .params
        .map_or(serde_json::Value::Null, |raw| raw.get().to_string().into());
    Ok(match id {
        Some(id) => Message::Request(Request { id, method, params }),
        None => Message::Notification(Notification { method, params }),
    })
}

/// A body with no method, as a response (which the server passes over: it
/// sends the editor no requests).
fn response_of(
    envelope: &Envelope,
    id: Option<RequestId>,
    length: usize,
) -> Result<Message, Malformed> {
    // A response has a result or an error, and not both; lsp-server
    // takes a body with neither (`{"id": 7}`) for one.
    let reason = match (envelope.result.is_some(), envelope.error.is_some()) {
        (true, true) => Some("a response with both a result and an error"),
        (false, false) => Some(
            "a message that is not a request, response or notification: \
             it has no method, and neither a result nor an error",
        ),
        _ => None,
    };
    if let Some(reason) = reason {
        return Err(Malformed::body(
            reason.to_string(),
            id,
            ErrorCode::InvalidRequest,
        ));
    }
    // The editor's error about a message of the server's it could not
    // read: an answer to nothing, which is not answered in turn.
    if envelope.id.is_some_and(|id| id.get() == "null") && envelope.error.is_some() {
        return Err(Malformed {
            reason: "a response to no request (its id is null)".to_string(),
            answer: None,
            lost: None,
        });
    }
    // A response is never answered.
    if length > MOST_BYTES_OTHER {
        let reason = format!("a response of {length} bytes (at most {MOST_BYTES_OTHER} are read)");
        return Err(Malformed::framing(reason));
    }
    let not_one = |why: String| {
        let reason = format!("a message that is not a request, response or notification: {why}");
        Malformed::body(reason, id.clone(), ErrorCode::InvalidRequest)
    };
    let Some(response_id) = id.clone() else {
        return Err(not_one(
            "its id is neither a whole number within 32 bits nor a string".into(),
        ));
    };
    let error = match envelope.error {
        Some(error) => Some(
            serde_json::from_str::<lsp_server::ResponseError>(error.get())
                .map_err(|e| not_one(e.to_string()))?,
        ),
        None => None,
    };
    Ok(Message::Response(Response {
        id: response_id,
        result: envelope.result.map(|raw| raw.get().to_string().into()),
        error,
    }))
}

/// A message's members as they are written, none of them read yet (a
/// member that is `null` is there, as `Some`). Other members are passed
/// over unread.
#[derive(Deserialize)]
struct Envelope<'a> {
    #[serde(default, borrow, deserialize_with = "present")]
    id: Option<&'a RawValue>,
    #[serde(default, borrow, deserialize_with = "present")]
    method: Option<&'a RawValue>,
    #[serde(default, borrow, deserialize_with = "present")]
    params: Option<&'a RawValue>,
    #[serde(default, borrow, deserialize_with = "present")]
    result: Option<&'a RawValue>,
    #[serde(default, borrow, deserialize_with = "present")]
    error: Option<&'a RawValue>,
}

/// A member that is there, `null` as any other value.
fn present<'de, D: Deserializer<'de>>(member: D) -> Result<Option<&'de RawValue>, D::Error> {
    <&RawValue>::deserialize(member).map(Some)
}

/// Whether a lost body (one that could not be read, or was too long to)
/// was an edit, by its first bytes: then the document it names, where its
/// `"uri"` can be found, or some document, is no longer the editor's.
fn lost_edit(head: &[u8]) -> Option<LostEdit> {
    let method = b"\"textDocument/didChange\"";
    head.windows(method.len()).position(|w| w == method)?;
    Some(LostEdit { uri: uri_in(head) })
}

/// The first `"uri": "..."` member of a body (not one written inside a
/// string, where its quotes are escaped).
fn uri_in(head: &[u8]) -> Option<String> {
    let key = b"\"uri\"";
    let mut from = 0;
    while let Some(found) = head.get(from..)?.windows(key.len()).position(|w| w == key) {
        let at = from + found;
        from = at + key.len();
        if at > 0 && head.get(at - 1) == Some(&b'\\') {
            continue;
        }
        let rest = head.get(from..)?;
        let colon = rest.iter().position(|b| !b.is_ascii_whitespace())?;
        if rest.get(colon) != Some(&b':') {
            continue;
        }
        let value = rest.get(colon + 1..)?;
        let open = value.iter().position(|b| !b.is_ascii_whitespace())?;
        let value = value.get(open..)?;
        // The string's end: its first quote that no backslash escapes.
        let mut i = 1;
        while let Some(&b) = value.get(i) {
            match b {
                b'\\' => i += 2,
                b'"' => return serde_json::from_slice(value.get(..=i)?).ok(),
                _ => i += 1,
            }
        }
        return None;
    }
    None
}

/// The body with each lone surrogate escape (`\uD800` to `\uDFFF` not in a
/// high-low pair) made `\uFFFD`, the replacement character: JavaScript's
/// `JSON.stringify` writes a lone surrogate of a string so, and serde_json
/// refuses the whole message for one, where an edit lost leaves the
/// server's copy of the document out of step with the editor's. U+FFFD is
/// one UTF-16 unit, as the surrogate was, so positions after it stay where
/// the editor has them; its escape is as long as the surrogate's, so byte
/// offsets in the body do not move either. A body with none is not copied.
pub fn lone_surrogates_replaced(body: &[u8]) -> Cow<'_, [u8]> {
    let lone = lone_surrogates(body);
    if lone.is_empty() {
        return Cow::Borrowed(body);
    }
    let mut owned = body.to_vec();
    for at in lone {
        if let Some(digits) = owned.get_mut(at + 2..at + 6) {
            digits.copy_from_slice(b"FFFD");
        }
    }
    Cow::Owned(owned)
}

/// Where each lone surrogate escape starts (at its backslash). A backslash
/// and the character after it are one escape, so `\\ud800` (an escaped
/// backslash, then the letters `ud800`) is none.
fn lone_surrogates(body: &[u8]) -> Vec<usize> {
    let mut lone = Vec::new();
    let mut i = 0;
    while let Some(found) = body
        .get(i..)
        .and_then(|rest| rest.iter().position(|&b| b == b'\\'))
    {
        let at = i + found;
        match body.get(at + 1) {
            Some(b'u') => match escaped_unit(body, at) {
                Some(0xD800..=0xDBFF) => {
                    // A high surrogate and the low one after it: a pair.
                    if matches!(escaped_unit(body, at + 6), Some(0xDC00..=0xDFFF)) {
                        i = at + 12;
                        continue;
                    }
                    lone.push(at);
                    i = at + 6;
                }
                Some(0xDC00..=0xDFFF) => {
                    lone.push(at);
                    i = at + 6;
                }
                _ => i = at + 2,
            },
            _ => i = at + 2,
        }
    }
    lone
}

/// The UTF-16 unit of the `\uXXXX` escape whose backslash is at `at`.
fn escaped_unit(body: &[u8], at: usize) -> Option<u16> {
    if body.get(at + 1) != Some(&b'u') {
        return None;
    }
    let digits = body.get(at + 2..at + 6)?;
    if !digits.iter().all(u8::is_ascii_hexdigit) {
        return None;
    }
    u16::from_str_radix(std::str::from_utf8(digits).ok()?, 16).ok()
}

/// The length a header block gives its body; none at the end of the input.
/// A block that does not give one is malformed: what follows it is passed
/// over up to the next `Content-Length` header.
fn read_header(input: &mut impl BufRead) -> io::Result<Option<Result<usize, String>>> {
    let mut length: Option<Result<usize, String>> = None;
    let mut line = String::new();
    let mut lines = 0;
    loop {
        line.clear();
        if read_line(input, &mut line)? == 0 {
            return Ok(None);
        }
        // A header after a body whose length was not known is on the line
        // that body ends.
        // The header's name is read without regard to case, as below; the
        // last on the line, as the lost body may hold those words itself.
        let text = match line.to_ascii_lowercase().rfind("content-length:") {
            Some(at) if at > 0 && length.is_none() => line.get(at..).unwrap_or(&line),
            _ => line.as_str(),
        };
        let text = text.trim_end_matches(['\r', '\n']);
        if text.is_empty() {
            if lines == 0 {
                continue;
            }
            return Ok(Some(length.unwrap_or_else(|| {
                Err("a header without a Content-Length".to_string())
            })));
        }
        lines += 1;
        if let Some((name, value)) = text.split_once(':') {
            if name.eq_ignore_ascii_case("Content-Length") {
                length = Some(value.trim().parse::<usize>().map_err(|_| {
                    format!("a header whose Content-Length is not a length: {value:?}")
                }));
            }
        }
    }
}

/// One line, at most [`MOST_BYTES`] of it kept (a header line is short: a
/// longer one is a lost body, and only its end can hold the next header).
fn read_line(input: &mut impl BufRead, line: &mut String) -> io::Result<usize> {
    let mut bytes = Vec::new();
    let read = input
        .take(MOST_BYTES as u64)
        .read_until(b'\n', &mut bytes)?;
    line.push_str(&String::from_utf8_lossy(&bytes));
    Ok(read)
}

#[cfg(test)]
mod tests;
