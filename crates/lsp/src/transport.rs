//! The server's standard input and output, which a malformed message does
//! not end.
//!
//! `lsp_server::Connection::stdio` stops reading at the first message it
//! cannot read (a header without its line end, a body that is not JSON or
//! not a message): the server then loses its editor for good. Here such a
//! message is passed over, said on standard error (which editors show in
//! the server's log), and answered with an error when it names an `id`;
//! reading goes on with the next message. A header block without a
//! `Content-Length` leaves no way to know where its body ends: the reader
//! then finds the next `Content-Length` header, even where it follows the
//! lost body on the same line. A body longer than [`MOST_BYTES`] is read
//! past without being held.

use lsp_server::{Connection, ErrorCode, Message, RequestId, Response};
use std::io::{self, BufRead, Read, Write};
use std::thread::{self, JoinHandle};

/// The longest body read: 64 MiB, far more than any rule file.
pub const MOST_BYTES: usize = 64 << 20;

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
    let (to_server, from_editor) = crossbeam_channel::bounded::<Message>(0);
    let writer = thread::Builder::new()
        .name("judgement-lsp writer".into())
        .spawn(move || {
            let mut stdout = io::stdout().lock();
            from_server
                .into_iter()
                .try_for_each(|message| message.write(&mut stdout))
        })?;
    let answer = to_editor.clone();
    let reader = thread::Builder::new()
        .name("judgement-lsp reader".into())
        .spawn(move || {
            let mut stdin = io::stdin().lock();
            serve_input(&mut stdin, &to_server, &answer, &mut io::stderr())
        })?;
    let connection = Connection {
        sender: to_editor,
        receiver: from_editor,
    };
    Ok((connection, Io { reader, writer }))
}

/// Read messages from `input` and pass them to the server until `exit` or
/// the end of the input; a malformed one is said on `log` and answered on
/// `answer` when it has an `id`. Ends early only when the server has gone.
pub fn serve_input(
    input: &mut impl BufRead,
    server: &crossbeam_channel::Sender<Message>,
    answer: &crossbeam_channel::Sender<Message>,
    log: &mut impl Write,
) -> io::Result<()> {
    let gone = |_| io::Error::other("the server is no longer listening");
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
                if let Some(id) = malformed.id {
                    let code = ErrorCode::InvalidRequest as i32;
                    let refused = Response::new_err(id, code, malformed.reason);
                    answer.send(Message::Response(refused)).map_err(gone)?;
                }
            }
        }
    }
}

/// A message that could not be read: why, and its `id` where it has one.
#[derive(Debug)]
pub struct Malformed {
    pub reason: String,
    pub id: Option<RequestId>,
}

/// The next message: none at the end of the input, an error only when the
/// input itself fails.
pub fn read_message(input: &mut impl BufRead) -> io::Result<Option<Result<Message, Malformed>>> {
    let Some(length) = read_header(input)? else {
        return Ok(None);
    };
    let length = match length {
        Ok(length) => length,
        Err(reason) => return Ok(Some(Err(Malformed { reason, id: None }))),
    };
    if length > MOST_BYTES {
        let skipped = io::copy(&mut input.take(length as u64), &mut io::sink())?;
        let reason = format!("a message of {length} bytes (at most {MOST_BYTES} are read)");
        return match usize::try_from(skipped) {
            Ok(n) if n == length => Ok(Some(Err(Malformed { reason, id: None }))),
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
    let json: serde_json::Value = serde_json::from_slice(body).map_err(|e| Malformed {
        reason: format!("a message that is not JSON: {e}"),
        id: None,
    })?;
    let id = json
        .get("id")
        .and_then(|id| serde_json::from_value::<RequestId>(id.clone()).ok());
    // Read as a message, one with a method that is not a name would be
    // taken for a response (every field but `id` may be left out of one).
    if json.get("method").is_some_and(|m| !m.is_string()) {
        return Err(Malformed {
            reason: "a message whose method is not a name".to_string(),
            id,
        });
    }
    serde_json::from_value(json).map_err(|e| Malformed {
        reason: format!("a message that is not a request, response or notification: {e}"),
        id,
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
        let text = match line.find("Content-Length:") {
            Some(at) if at > 0 && length.is_none() => &line[at..],
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
