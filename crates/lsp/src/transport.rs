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
use lsp_server::{Connection, ErrorCode, Message, RequestId, Response};
use std::io::{self, BufRead, Read, Write};
use std::thread::{self, JoinHandle};

/// The longest body read: 64 MiB, far more than any rule file.
pub const MOST_BYTES: usize = 64 << 20;

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
}

impl Malformed {
    /// A fault in the framing: said, not answered.
    fn framing(reason: String) -> Malformed {
        Malformed {
            reason,
            answer: None,
        }
    }

    /// A body that is not a message, answered with `code`.
    fn body(reason: String, id: Option<RequestId>, code: ErrorCode) -> Malformed {
        let answer = Some(Refused {
            id,
            code: code as i32,
            message: reason.clone(),
        });
        Malformed { reason, answer }
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
        let skipped = io::copy(&mut input.take(length as u64), &mut io::sink())?;
        let reason = format!("a message of {length} bytes (at most {MOST_BYTES} are read)");
        return match usize::try_from(skipped) {
            Ok(n) if n == length => Ok(Some(Err(Malformed::framing(reason)))),
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
    Ok(Some(message_of(&body)))
}

/// A body as a message.
fn message_of(body: &[u8]) -> Result<Message, Malformed> {
    let json: serde_json::Value = serde_json::from_slice(body).map_err(|e| {
        let reason = format!("a message that is not JSON: {e}");
        Malformed::body(reason, None, ErrorCode::ParseError)
    })?;
    // JSON-RPC 2.0's batch, which the language server protocol does not
    // have (and which would be read as a response: a struct's fields may
    // be given as an array).
    if let serde_json::Value::Array(batch) = &json {
        let reason = format!(
            "a batch of {} (a JSON array: the language server protocol has no batches)",
            batch.len()
        );
        return Err(Malformed::body(reason, None, ErrorCode::InvalidRequest));
    }
    let id = json
        .get("id")
        .and_then(|id| serde_json::from_value::<RequestId>(id.clone()).ok());
    // A request whose id is not one (null, a fraction, a number past 32
    // bits, true, an object): lsp-server would pass over the id and take it
    // for a notification (`exit` among them), though JSON-RPC 2.0 makes a
    // notification of a message with no `id` at all. It is answered, with
    // no id.
    if json.get("method").is_some() && json.get("id").is_some() && id.is_none() {
        let reason =
            "a request whose id is neither a whole number within 32 bits nor a string".to_string();
        return Err(Malformed::body(reason, None, ErrorCode::InvalidRequest));
    }
    // Read as a message, one with a method that is not a name would be
    // taken for a response (every field but `id` may be left out of one).
    if json.get("method").is_some_and(|m| !m.is_string()) {
        let reason = "a message whose method is not a name".to_string();
        return Err(Malformed::body(reason, id, ErrorCode::InvalidRequest));
    }
    if let Some(response) = json.as_object().filter(|o| !o.contains_key("method")) {
        // A response has a result or an error, and not both; lsp-server
        // takes a body with neither (`{"id": 7}`) for one.
        let reason = match (
            response.contains_key("result"),
            response.contains_key("error"),
        ) {
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
        if response.get("id").is_some_and(serde_json::Value::is_null)
            && response.contains_key("error")
        {
            return Err(Malformed {
                reason: "a response to no request (its id is null)".to_string(),
                answer: None,
            });
        }
    }
    serde_json::from_value(json).map_err(|e| {
        let reason = format!("a message that is not a request, response or notification: {e}");
        Malformed::body(reason, id, ErrorCode::InvalidRequest)
    })
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
