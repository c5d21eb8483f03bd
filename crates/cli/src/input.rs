//! Reading evidence: one JSON document, or JSON Lines read a line at a time
//! (or, for a batch, a block of lines at a time: `Input::next_piece`) so
//! that memory does not grow with the input. The format is decided, not
//! guessed: `--input json` or `--input jsonl`, or else by the file's name (a
//! `.jsonl` file is JSON Lines, any other file one document) and, for
//! standard input, by its first line (see `Input::sniffed`). Every read is bounded: a record (a
//! document, or one line) longer than the limit is refused with a message,
//! and the rest of a JSON Lines input is still read.

use crate::files::cannot_read;
use crate::Failure;
use std::collections::VecDeque;
use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;
use std::sync::Arc;

/// The default limit on one evidence record, in bytes (`--max-record-bytes`).
pub const MAX_RECORD_BYTES: usize = 16 << 20;

/// The buffer over an input.
const READ_BUFFER: usize = 64 << 10;

/// The bytes a batch reads at a time (`Input::next_piece`), after the start
/// of a line carried over from the block before.
const BLOCK_BYTES: usize = 128 << 10;

/// How to read an input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// A `.jsonl` file: JSON Lines; any other file: one document; standard
    /// input: one document when its first line is a lone `{` or `[`, or it
    /// has one line; JSON Lines otherwise.
    Auto,
    /// One JSON document, which may span lines.
    Json,
    /// JSON Lines: one record a line.
    Jsonl,
}

/// One non-blank line of a JSON Lines input, numbered from 1.
pub struct Line {
    pub number: usize,
    pub text: Vec<u8>,
    /// The line was longer than the limit: `text` holds only its start.
    pub too_long: bool,
}

impl Line {
    /// A line without its line ending, or `None` when it is blank.
    fn new(number: usize, mut text: Vec<u8>, too_long: bool) -> Option<Line> {
        let kept = without_ending(&text).len();
        text.truncate(kept);
        if !too_long && blank(&text) {
            return None;
        }
        Some(Line {
            number,
            text,
            too_long,
        })
    }
}

/// A line without its ending: `\n`, or `\r\n` (a `\r` with no `\n` after
/// it stays).
fn without_ending(line: &[u8]) -> &[u8] {
    match line.strip_suffix(b"\n") {
        Some(line) => line.strip_suffix(b"\r").unwrap_or(line),
        None => line,
    }
}

/// Whether a line (without its ending) is blank: it gives no record, but
/// still counts in the numbering.
fn blank(line: &[u8]) -> bool {
    line.iter().all(u8::is_ascii_whitespace)
}

/// Part of a JSON Lines input, in input order (`Input::next_piece`).
pub enum Piece {
    /// One line read on its own: while deciding the input's shape, or a
    /// line longer than the limit (its text is then empty).
    Line(Line),
    /// `lines` lines as read, line endings included, the first numbered
    /// `first`: `block[start..end]`. Each ends with `\n` but the last line
    /// of the input, which may not; blank lines and lines longer than the
    /// limit are among them, for whoever splits them to see (`Whole`).
    Whole {
        first: usize,
        lines: usize,
        block: Arc<Vec<u8>>,
        start: usize,
        end: usize,
    },
}

impl Piece {
    /// The lines it holds, blank ones included.
    pub fn lines(&self) -> usize {
        match self {
            Piece::Line(_) => 1,
            Piece::Whole { lines, .. } => *lines,
        }
    }

    /// The bytes of evidence it holds.
    pub fn bytes(&self) -> usize {
        match self {
            Piece::Line(line) => line.text.len(),
            Piece::Whole { start, end, .. } => end.saturating_sub(*start),
        }
    }
}

/// The first line of `text` (lines as in a `Piece::Whole`), as `Line::new`
/// would make it: its text without the line ending, and whether it is
/// longer than `limit`; or `None` for a blank line. Gives the lines after
/// it as well.
pub fn split_line(text: &[u8], limit: usize) -> (Option<(&[u8], bool)>, &[u8]) {
    let (line, rest) = match memchr::memchr(b'\n', text) {
        Some(i) => text.split_at(i + 1),
        None => (text, &[][..]),
    };
    let line = without_ending(line);
    let too_long = line.len() > limit;
    if !too_long && blank(line) {
        return (None, rest);
    }
    (Some((line, too_long)), rest)
}

/// Where a batch is in the blocks of its input (`Input::next_piece`).
#[derive(Default)]
pub struct Blocks {
    /// The block last read; the chunks cut from it share it.
    block: Arc<Vec<u8>>,
    /// The start of the lines of `block` not yet handed out.
    at: usize,
    /// The end of its whole lines; the start of the next line follows.
    whole: usize,
    /// The input has ended: `block` holds its last lines.
    ended: bool,
    /// The input paused after `block`: the last read gave less than it
    /// asked for, with a line ending in it. A chunk is sent now rather than
    /// waiting for more, so that a tool writing one record at a time to a
    /// pipe gets each outcome back before it writes the next.
    paused: bool,
    /// The error that ended it, to give once the lines before it are out.
    failed: Option<Failure>,
}

impl Blocks {
    /// The input paused after this block, and every whole line of it has
    /// been handed out: what was read is to be sent now.
    pub fn paused_and_drained(&self) -> bool {
        self.paused && self.at >= self.whole
    }

    /// `text` is the block now, its whole lines ending at `whole`.
    fn set(&mut self, text: Vec<u8>, whole: usize, failed: Option<Failure>) {
        self.block = Arc::new(text);
        self.at = 0;
        self.whole = whole;
        if failed.is_some() {
            self.ended = true;
            // What follows the error is not read.
            self.failed = failed;
        }
    }
}

/// An evidence input: its name for messages, and its lines.
pub struct Input {
    pub name: String,
    /// `Send`, so that a thread of its own can read a batch (`batch`).
    reader: Box<dyn BufRead + Send>,
    /// Lines read so far.
    number: usize,
    lines: bool,
    /// Standard input: an empty one is a mistake, not an empty batch.
    stdin: bool,
    /// Standard input read with `--input auto`: its first lines decide.
    sniff: bool,
    limit: usize,
    /// Lines read while deciding, not yet handed out.
    pending: VecDeque<Line>,
}

/// What an input holds.
pub enum Shape {
    /// Nothing but blank lines; `lines` when it is read as JSON Lines.
    Empty { lines: bool },
    /// One JSON document.
    One(Vec<u8>),
    /// JSON Lines: the first line; the rest follow from the input.
    Lines(Vec<Line>),
}

impl Input {
    /// A file, or stdin for `-` or no path, read as `format` says, each
    /// record at most `limit` bytes.
    pub fn open(path: Option<&Path>, format: Format, limit: usize) -> Result<Input, Failure> {
        let stdin = path.is_none_or(|p| p.as_os_str() == "-");
        let lines = match format {
            Format::Json => false,
            Format::Jsonl => true,
            Format::Auto => path.is_some_and(|p| p.extension().is_some_and(|x| x == "jsonl")),
        };
        let (name, reader): (String, Box<dyn BufRead + Send>) = match path {
            Some(p) if !stdin => {
                let file = std::fs::File::open(p).map_err(|e| cannot_read(p, &e))?;
                if file.metadata().is_ok_and(|m| m.is_dir()) {
                    return Err(Failure::Io(format!(
                        "cannot read `{}`: it is a folder",
                        p.display()
                    )));
                }
                (
                    p.display().to_string(),
                    Box::new(BufReader::with_capacity(READ_BUFFER, file)),
                )
            }
            // Not `stdin().lock()`, which cannot move to another thread;
            // reads this large go around `Stdin`'s own buffer.
            _ => (
                "<stdin>".into(),
                Box::new(BufReader::with_capacity(READ_BUFFER, io::stdin())),
            ),
        };
        Ok(Input {
            name,
            reader,
            number: 0,
            lines,
            stdin,
            sniff: stdin && format == Format::Auto,
            limit,
            pending: VecDeque::new(),
        })
    }

    /// JSON Lines from any reader (`eval_json_lines`), each record at most
    /// `limit` bytes.
    pub fn json_lines(name: &str, reader: Box<dyn BufRead + Send>, limit: usize) -> Input {
        Input {
            name: name.to_string(),
            reader,
            number: 0,
            lines: true,
            stdin: false,
            sniff: false,
            limit,
            pending: VecDeque::new(),
        }
    }

    /// The next line as it is, newline included, or `None` at the end. Only
    /// the first `limit` bytes of a longer line are kept (`true`); the rest
    /// is read and dropped, so memory stays bounded.
    fn raw_line(&mut self) -> Result<Option<(Vec<u8>, bool)>, Failure> {
        let mut text = Vec::new();
        let mut too_long = false;
        let mut any = false;
        loop {
            let buf = self
                .reader
                .fill_buf()
                .map_err(|e| read_error(&self.name, &e))?;
            if buf.is_empty() {
                break;
            }
            any = true;
            let (chunk, done) = match buf.iter().position(|b| *b == b'\n') {
                Some(i) => (buf.get(..=i).unwrap_or(buf), true),
                None => (buf, false),
            };
            // The line ending (`\r\n` at most) does not count to the limit.
            let room = self.limit.saturating_add(2).saturating_sub(text.len());
            if chunk.len() > room {
                too_long = true;
            }
            text.extend_from_slice(chunk.get(..chunk.len().min(room)).unwrap_or_default());
            let consumed = chunk.len();
            self.reader.consume(consumed);
            if done {
                break;
            }
        }
        let ending = match text.as_slice() {
            [.., b'\r', b'\n'] => 2,
            [.., b'\n'] => 1,
            _ => 0,
        };
        too_long |= text.len() - ending > self.limit;
        Ok(any.then_some((text, too_long)))
    }

    /// The lines read already to decide the input's shape, and not yet
    /// handed out.
    pub fn take_pending(&mut self) -> Vec<Line> {
        self.pending.drain(..).collect()
    }

    /// The most bytes one record may take.
    pub fn limit(&self) -> usize {
        self.limit
    }

    /// The next non-blank line, or `None` at the end.
    pub fn next_line(&mut self) -> Result<Option<Line>, Failure> {
        if let Some(line) = self.pending.pop_front() {
            return Ok(Some(line));
        }
        while let Some((text, too_long)) = self.raw_line()? {
            self.number += 1;
            if let Some(line) = Line::new(self.number, text, too_long) {
                return Ok(Some(line));
            }
        }
        Ok(None)
    }

    /// The next piece of JSON Lines (for `batch`): a line read while
    /// deciding the input's shape, a line longer than the limit, or the
    /// whole lines that follow, at most `lines` of them, ending after the
    /// line that takes them to `bytes` bytes or at the end of a block.
    /// `None` at the end of the input; an error reading it comes once the
    /// lines read before it are handed out. The input is read a block at a
    /// time, straight into the memory the pieces share; a line longer than
    /// the limit is dropped as it is read, so memory stays bounded.
    pub fn next_piece(
        &mut self,
        blocks: &mut Blocks,
        lines: usize,
        bytes: usize,
    ) -> Result<Option<Piece>, Failure> {
        if let Some(line) = self.pending.pop_front() {
            return Ok(Some(Piece::Line(line)));
        }
        if blocks.at >= blocks.whole {
            if let Some(error) = blocks.failed.take() {
                return Err(error);
            }
            if blocks.ended {
                return Ok(None);
            }
            if let Some(line) = self.refill(blocks) {
                return Ok(Some(Piece::Line(line)));
            }
            if blocks.at >= blocks.whole {
                return match blocks.failed.take() {
                    Some(error) => Err(error),
                    None => Ok(None),
                };
            }
        }
        let text = blocks
            .block
            .get(blocks.at..blocks.whole)
            .unwrap_or_default();
        let (mut end, mut count) = (0, 0);
        let mut cut = false;
        for i in memchr::memchr_iter(b'\n', text) {
            end = i + 1;
            count += 1;
            if count >= lines || end >= bytes {
                cut = true;
                break;
            }
        }
        if !cut {
            // The rest of the block, with the last line of the input if
            // it has no line ending.
            if end < text.len() {
                count += 1;
            }
            end = text.len();
        }
        let piece = Piece::Whole {
            first: self.number + 1,
            lines: count,
            block: Arc::clone(&blocks.block),
            start: blocks.at,
            end: blocks.at + end,
        };
        self.number += count;
        blocks.at += end;
        Ok(Some(piece))
    }

    /// Read the next block: the start of a line carried over from the
    /// block before, and what follows, to the last line ending read. Gives
    /// a line longer than the limit when it comes first (the block then
    /// holds what follows it). At the end of the input the block holds the
    /// last line whole, ending or not; an error drops the line it cut and
    /// is kept in `blocks.failed`.
    fn refill(&mut self, blocks: &mut Blocks) -> Option<Line> {
        let carried = blocks.block.get(blocks.whole..).unwrap_or_default();
        let mut text = Vec::with_capacity(carried.len() + BLOCK_BYTES);
        text.extend_from_slice(carried);
        // The bytes of `text` known to hold no line ending.
        let mut searched = 0;
        // Within a line longer than the limit: `text` holds what follows
        // the part of it dropped already.
        let mut skipping = false;
        let mut too_long = None;
        loop {
            let read = self.read_into(&mut text, BLOCK_BYTES);
            let (ended, paused, error) = match read {
                Ok(Filled::Full) => (false, false, None),
                Ok(Filled::Paused) => (false, true, None),
                Ok(Filled::Ended) => (true, false, None),
                Err(e) => (true, false, Some(e)),
            };
            if skipping {
                let end = memchr::memchr(b'\n', &text).map(|i| i + 1);
                match (end, &error) {
                    // The long line ends here; what follows is read as usual.
                    (Some(end), _) => {
                        text.drain(..end);
                        skipping = false;
                    }
                    // The input ends with it.
                    (None, None) if ended => {
                        text.clear();
                        skipping = false;
                    }
                    // It goes on.
                    (None, None) => {
                        text.clear();
                        continue;
                    }
                    // Cut by an error: dropped, like any line in progress.
                    (None, Some(_)) => {
                        text.clear();
                        blocks.set(text, 0, error);
                        return None;
                    }
                }
                self.number += 1;
                too_long = Some(Line {
                    number: self.number,
                    text: Vec::new(),
                    too_long: true,
                });
            }
            let last = text
                .get(searched..)
                .and_then(|rest| memchr::memrchr(b'\n', rest))
                .map(|i| searched + i + 1);
            match (last, &error) {
                (Some(whole), None) if !ended => blocks.set(text, whole, None),
                (Some(whole), Some(_)) => blocks.set(text, whole, error),
                (None, Some(_)) => blocks.set(text, 0, error),
                // The end of the input: the last line need not end.
                (_, None) if ended => {
                    let whole = text.len();
                    blocks.set(text, whole, None);
                }
                // No line ends yet.
                _ => {
                    searched = text.len();
                    // Past the limit with its line ending (`\r\n` at most),
                    // the line is refused: what is read of it goes.
                    if text.len() > self.limit.saturating_add(1) {
                        text.clear();
                        searched = 0;
                        skipping = true;
                    }
                    continue;
                }
            }
            blocks.ended = ended;
            blocks.paused = paused;
            return too_long;
        }
    }

    /// Read into `text` until `more` bytes are added, the input ends, or
    /// it pauses after a line ending: a read gave less than it asked for
    /// (a pipe holding no more yet) and what it gave ends a line.
    fn read_into(&mut self, text: &mut Vec<u8>, more: usize) -> Result<Filled, Failure> {
        let start = text.len();
        let want = start.saturating_add(more);
        text.resize(want, 0);
        let mut filled = start;
        let result = loop {
            let Some(room) = text.get_mut(filled..) else {
                break Ok(Filled::Full);
            };
            if room.is_empty() {
                break Ok(Filled::Full);
            }
            let asked = room.len();
            match self.reader.read(room) {
                Ok(0) => break Ok(Filled::Ended),
                Ok(n) => {
                    let got = text.get(filled..filled + n).unwrap_or_default();
                    filled += n;
                    if n < asked && memchr::memchr(b'\n', got).is_some() {
                        break Ok(Filled::Paused);
                    }
                }
                Err(e) => break Err(read_error(&self.name, &e)),
            }
        };
        text.truncate(filled);
        result
    }

    /// The rest of the input as one document, after `start`, at most the
    /// limit in all.
    fn read_document(&mut self, mut text: Vec<u8>) -> Result<Vec<u8>, Failure> {
        let room = self.limit.saturating_sub(text.len());
        let cap = u64::try_from(room).unwrap_or(u64::MAX).saturating_add(1);
        (&mut self.reader)
            .take(cap)
            .read_to_end(&mut text)
            .map_err(|e| read_error(&self.name, &e))?;
        if text.len() > self.limit {
            return Err(Failure::Refused(format!(
                "`{}` is longer than {} bytes, the most one record may be; raise the limit with `--max-record-bytes`",
                self.name, self.limit
            )));
        }
        Ok(text)
    }

    /// The whole input as one document, at most the limit.
    pub fn read_all(&mut self) -> Result<Vec<u8>, Failure> {
        self.read_document(Vec::new())
    }

    /// One document, or JSON Lines, as decided when the input was opened
    /// or, for standard input read with `auto`, by its first lines.
    pub fn shape(&mut self) -> Result<Shape, Failure> {
        if self.sniff {
            return self.sniffed();
        }
        if !self.lines {
            let text = self.read_all()?;
            if text.iter().all(u8::is_ascii_whitespace) {
                return Ok(Shape::Empty { lines: false });
            }
            return Ok(Shape::One(text));
        }
        Ok(match self.next_line()? {
            None => Shape::Empty { lines: !self.stdin },
            Some(first) => Shape::Lines(vec![first]),
        })
    }

    /// Whether standard input, read as JSON Lines by `auto`, begins with a
    /// line that opens a JSON object or array and does not close it: a
    /// document laid out over several lines as likely as a record cut
    /// short. Asked only to say so where it fails; the input is JSON Lines
    /// whatever this gives, as the shape is decided, not guessed from the
    /// lines' content (a truncated first line must cost only itself).
    pub fn opens_unfinished(&self, first: &[Line]) -> bool {
        self.sniff
            && first
                .first()
                .is_some_and(|line| !line.too_long && unfinished(&line.text))
    }

    /// Standard input with `auto`: one document when it has one non-blank
    /// line, or when its first line is a lone `{` or `[`, as pretty-printed
    /// JSON begins (jq, Python's `json.dumps` with an indent, JavaScript's
    /// `JSON.stringify` with a space, serde_json's pretty writer); JSON Lines
    /// otherwise, whatever the lines hold, so that broken lines, however many
    /// lead the stream, cost only themselves. Two lines are read to decide.
    fn sniffed(&mut self) -> Result<Shape, Failure> {
        let mut seen = Vec::new();
        let mut read = Vec::new();
        while seen.len() < 2 {
            let Some((text, too_long)) = self.raw_line()? else {
                break;
            };
            self.number += 1;
            read.extend_from_slice(&text);
            seen.extend(Line::new(self.number, text, too_long));
        }
        let lines = match seen.as_slice() {
            [] => return Ok(Shape::Empty { lines: false }),
            [only] => only.too_long,
            [first, ..] => first.too_long || !opens_a_document(&first.text),
        };
        if lines {
            let mut seen = VecDeque::from(seen);
            let first = seen.pop_front();
            self.pending = seen;
            return Ok(Shape::Lines(first.into_iter().collect()));
        }
        Ok(Shape::One(self.read_document(read)?))
    }
}

/// Whether a line is a lone `{` or `[` (spaces around it allowed, and a
/// byte-order mark before it, which a file read as one document may begin
/// with too): the first line of pretty-printed JSON, and never a whole JSON
/// Lines record.
fn opens_a_document(line: &[u8]) -> bool {
    let line = line.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(line);
    matches!(line.trim_ascii(), b"{" | b"[")
}

/// Whether a line opens a JSON object or array and ends before it is
/// closed (`{ "id": "ch-0002",`), as the first line of a document laid
/// out over several lines does, and a record cut short too.
fn unfinished(line: &[u8]) -> bool {
    let line = line
        .strip_prefix(b"\xEF\xBB\xBF")
        .unwrap_or(line)
        .trim_ascii();
    matches!(line.first(), Some(b'{' | b'['))
        && serde_json::from_slice::<serde::de::IgnoredAny>(line).is_err_and(|e| e.is_eof())
}

fn read_error(name: &str, e: &io::Error) -> Failure {
    Failure::Io(format!(
        "cannot read `{name}`: {e}{}",
        crate::files::near_miss(std::path::Path::new(name))
    ))
}

/// How a read into a block ended.
enum Filled {
    /// It holds as much as was asked for.
    Full,
    /// The input paused after a line ending.
    Paused,
    /// The input ended.
    Ended,
}

/// Where text stops being UTF-8: the line and column (in characters) of
/// the first byte that is not, and the byte itself counted from 1, as a
/// JSON syntax error is located. Shown as the message; `--format json`
/// gives the line and column as fields too (`Renderer::not_utf8`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotUtf8 {
    pub line: usize,
    pub column: usize,
    pub byte: usize,
    /// The text is one line (a line of JSON Lines, already named by its
    /// number): the message gives the column alone.
    pub one_line: bool,
}

impl std::fmt::Display for NotUtf8 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let NotUtf8 {
            line, column, byte, ..
        } = self;
        if self.one_line {
            write!(f, "not valid UTF-8 at column {column} (byte {byte} is not)")
        } else {
            write!(
                f,
                "not valid UTF-8 at line {line}, column {column} (byte {byte} is not)"
            )
        }
    }
}

/// `bytes` as text, or where it is not UTF-8.
pub fn utf8(bytes: &[u8]) -> Result<&str, NotUtf8> {
    std::str::from_utf8(bytes).map_err(|e| {
        let good = bytes.get(..e.valid_up_to()).unwrap_or_default();
        // The bytes before it are valid: lines and characters count.
        let text = std::str::from_utf8(good).unwrap_or_default();
        NotUtf8 {
            line: text.matches('\n').count() + 1,
            column: text.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1,
            byte: e.valid_up_to().saturating_add(1),
            one_line: !bytes.contains(&b'\n'),
        }
    })
}
