//! JSON Lines evaluation as a pipeline. A reader thread reads the input a
//! block at a time (`input::Input::next_piece`: about 128 KiB read straight
//! into memory that the chunks cut from it share, cut after the last line
//! ending read, the start of the next line carried over) and cuts chunks of
//! at most `CHUNK_LINES` lines (`CHUNK_LINES_TRACED` with `--trace`), or
//! about `CHUNK_BYTES` of evidence, finding line ends with `memchr` and
//! counting lines, blank ones included, so that each chunk knows the number
//! of its first line. It makes nothing per line. A line longer than a block
//! is read on into a larger block while it is within the limit, and dropped
//! as it is read once past it, so memory stays bounded. The chunks go to
//! `--threads` workers, which live as long as the batch; a worker splits
//! its chunk into lines (dropping line endings and blank lines, refusing a
//! line longer than the limit), numbers them, evaluates each and serialises
//! the outcomes into one buffer, taken from those the writer has written
//! (`Buffers`), whose memory is mapped already. The calling thread writes the
//! buffers strictly in input order, one `write_all` each, as soon as a
//! buffer and every one before it are done, while the later chunks are
//! evaluated. The reader takes a credit for each chunk and the writer gives
//! it back once the chunk is written, so at most `2 × threads` chunks, and
//! as many output buffers, are in memory, whatever the size of the input.
//!
//! What the command prints does not depend on the number of threads: the
//! same outcome lines, the same `{"line": N, "error": ...}` lines and the
//! same messages on stderr, in input order.

use crate::input::{self, Blocks, Input, Line, Piece, Shape};
use crate::load::Choice;
use crate::render::{Code, Format, Renderer};
use crate::Failure;
use judgement_engine::outcome;
use judgement_engine::{embed, Editions, EvalError, EvalOptions};
use std::collections::BTreeMap;
use std::io::{self, BufRead, Write};
use std::num::NonZeroUsize;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, Sender, SyncSender};
use std::sync::{Mutex, PoisonError};
use std::thread;

/// The most lines in one chunk. A chunk's output takes one `write_all`,
/// and its buffer is filled again for a later chunk (`Buffers`): on 200,000
/// records and two threads, 1,024 lines took 5% less CPU than 256, and
/// 2,048 (an output buffer past 3 MB) 15% more.
const CHUNK_LINES: usize = 1024;
/// The most lines in one chunk with `--trace`, whose outcomes are some 80
/// times their evidence rather than 5.
const CHUNK_LINES_TRACED: usize = 256;
/// A chunk ends after the line that takes its evidence to this many bytes.
const CHUNK_BYTES: usize = 1 << 20;
/// Chunks in flight (read, evaluated or waiting to be written) per worker.
const IN_FLIGHT_PER_WORKER: usize = 2;

/// How a batch is evaluated and written.
#[derive(Debug, Clone, Copy)]
pub struct Settings {
    pub options: EvalOptions,
    /// The number of workers.
    pub threads: NonZeroUsize,
    /// Write each outcome's compact form (`Outcome::compact`).
    pub compact: bool,
}

/// The number of workers when `--threads` is not given: the cores
/// available, or 1 when that is not known.
pub fn default_threads() -> NonZeroUsize {
    thread::available_parallelism().unwrap_or(NonZeroUsize::MIN)
}

/// Why one line gave no outcome.
enum LineError {
    Eval(EvalError),
    /// The line is not UTF-8: where, for `--format json`'s `column`.
    NotUtf8(crate::input::NotUtf8),
    /// Anything else, with its kind.
    Other(Code, String),
}

impl LineError {
    /// The message for the `{"line": N, "error": "..."}` output line, as
    /// the embedding API writes it (`EvalError::on_one_line`).
    fn message(&self) -> String {
        match self {
            LineError::Eval(e) => e.on_one_line(),
            LineError::NotUtf8(why) => why.to_string(),
            LineError::Other(_, m) => m.clone(),
        }
    }
}

/// Lines of the input, in order: the `seq`th chunk.
struct Chunk {
    seq: usize,
    pieces: Vec<Piece>,
}

/// A chunk evaluated: one output line per input line, and the lines that
/// failed.
struct Done {
    out: Vec<u8>,
    failures: Vec<Failed>,
}

/// A line that failed: its number, where its error line starts in `out`,
/// and why.
struct Failed {
    number: usize,
    at: usize,
    error: LineError,
}

/// Output buffers written, for the workers to fill again: their memory is
/// mapped already, and goes back to the thread that took it.
struct Buffers {
    buffers: Mutex<Vec<Vec<u8>>>,
    /// The most buffers kept: as many as chunks may be in flight.
    most: usize,
}

impl Buffers {
    /// An empty buffer, with room from an earlier chunk if there is one.
    fn take(&self) -> Vec<u8> {
        let mut buffers = self.buffers.lock().unwrap_or_else(PoisonError::into_inner);
        buffers.pop().unwrap_or_default()
    }

    /// A buffer written, to fill again.
    fn give(&self, mut buffer: Vec<u8>) {
        buffer.clear();
        let mut buffers = self.buffers.lock().unwrap_or_else(PoisonError::into_inner);
        if buffers.len() < self.most {
            buffers.push(buffer);
        }
    }
}

/// What the writer hears.
enum Report {
    /// The `seq`th chunk is evaluated.
    Done(usize, Done),
    /// The reader has handed out `chunks` chunks and stopped: at the end of
    /// the input, or at an error reading it.
    End {
        chunks: usize,
        error: Option<Failure>,
    },
}

/// Evaluate the JSON Lines of `input`, starting with `first` (read while
/// deciding the input's shape), and write the outcomes to `out` in input
/// order; report each line that fails. Gives how many lines failed.
///
/// `--threads 1` runs the same pipeline, with one worker: with its reader
/// and writer, it keeps about 1.12 cores busy, not one. Running all of it on
/// the calling thread instead (read a chunk, evaluate it, write it, read
/// the next) was measured on 200,000 records: it kept 1.00 core busy, and
/// two threads' ratio to one thread's came to 1.95 (compact) and 1.59
/// (full), where runs of the pipeline gave 1.75 to 1.78 and 1.53 to 1.76;
/// but only by slowing one thread's run, by about a quarter in six
/// interleaved rounds (median 1.73 s against 1.39 s), so it was not kept.
pub fn run(
    input: &mut Input,
    first: Vec<Line>,
    choice: Choice<'_>,
    settings: Settings,
    out: &mut dyn Write,
    r: &Renderer,
) -> Result<usize, Failure> {
    let name = input.name.clone();
    let limit = input.limit();
    let workers = settings.threads.get();
    let in_flight = workers.saturating_mul(IN_FLIGHT_PER_WORKER);
    let (credit_tx, credit_rx) = mpsc::sync_channel::<()>(in_flight);
    for _ in 0..in_flight {
        // The channel has room for every credit: this never blocks.
        let _ = credit_tx.try_send(());
    }
    let (job_tx, job_rx) = mpsc::channel::<Chunk>();
    let job_rx = Mutex::new(job_rx);
    let (report_tx, report_rx) = mpsc::channel::<Report>();
    let stop = AtomicBool::new(false);
    let buffers = Buffers {
        buffers: Mutex::new(Vec::new()),
        most: in_flight,
    };
    thread::scope(|s| {
        let mut started = 0;
        for _ in 0..workers {
            let report_tx = report_tx.clone();
            let (job_rx, stop, buffers) = (&job_rx, &stop, &buffers);
            let worker = thread::Builder::new().spawn_scoped(s, move || {
                work(job_rx, &report_tx, stop, buffers, limit, choice, settings)
            });
            match worker {
                Ok(_) => started += 1,
                // The system has no more threads to give: the ones started
                // do the work, and output is the same whatever their number.
                Err(_) if started > 0 => break,
                Err(e) => return Err(Failure::Usage(format!("cannot start a thread: {e}"))),
            }
        }
        let stop_reading = &stop;
        let most_lines = if settings.options.trace {
            CHUNK_LINES_TRACED
        } else {
            CHUNK_LINES
        };
        s.spawn(move || {
            let to = (&credit_rx, &job_tx, &report_tx);
            read(input, first, most_lines, to, stop_reading)
        });
        let result = write_in_order(&report_rx, &credit_tx, &buffers, out, r, &name);
        // Whatever the writer did, the reader and the workers stop now: the
        // channels close when the writer's ends are dropped.
        stop.store(true, Ordering::Relaxed);
        drop(report_rx);
        drop(credit_tx);
        result
    })
}

/// The reader: a chunk for each credit, until the input ends or the writer
/// stops.
fn read(
    input: &mut Input,
    first: Vec<Line>,
    most_lines: usize,
    (credits, jobs, reports): (&Receiver<()>, &Sender<Chunk>, &Sender<Report>),
    stop: &AtomicBool,
) {
    let mut seq = 0;
    let mut pieces: Vec<Piece> = Vec::new();
    let mut blocks = Blocks::default();
    // The lines read to decide the input's shape go out at once, as a
    // chunk of their own: a tool writing one record and waiting for its
    // outcome must not wait for the next record too.
    let read_already: Vec<Piece> = first
        .into_iter()
        .chain(input.take_pending())
        .map(Piece::Line)
        .collect();
    if !read_already.is_empty() {
        if credits.recv().is_err() || stop.load(Ordering::Relaxed) {
            return;
        }
        if jobs
            .send(Chunk {
                seq,
                pieces: read_already,
            })
            .is_err()
        {
            return;
        }
        seq += 1;
    }
    loop {
        if credits.recv().is_err() || stop.load(Ordering::Relaxed) {
            return;
        }
        let (chunk, more) = fill(input, &mut blocks, most_lines, std::mem::take(&mut pieces));
        if !chunk.is_empty() {
            if jobs.send(Chunk { seq, pieces: chunk }).is_err() {
                return;
            }
            seq += 1;
        }
        match more {
            Ok(true) => {}
            Ok(false) => {
                let _ = reports.send(Report::End {
                    chunks: seq,
                    error: None,
                });
                return;
            }
            Err(error) => {
                let _ = reports.send(Report::End {
                    chunks: seq,
                    error: Some(error),
                });
                return;
            }
        }
    }
}

/// `pieces` and the lines after them, up to a chunk's worth (at most
/// `most_lines` lines); whether the input may hold more, or the error that
/// stopped the reading (the lines read before it are still evaluated).
fn fill(
    input: &mut Input,
    blocks: &mut Blocks,
    most_lines: usize,
    mut pieces: Vec<Piece>,
) -> (Vec<Piece>, Result<bool, Failure>) {
    let mut lines: usize = pieces.iter().map(Piece::lines).sum();
    let mut bytes: usize = pieces.iter().map(Piece::bytes).sum();
    while lines < most_lines && bytes < CHUNK_BYTES {
        match input.next_piece(blocks, most_lines - lines, CHUNK_BYTES - bytes) {
            Ok(Some(piece)) => {
                lines = lines.saturating_add(piece.lines());
                bytes = bytes.saturating_add(piece.bytes());
                pieces.push(piece);
                // The input paused with every line read handed out: send
                // them now rather than wait for the rest of a chunk.
                if blocks.paused_and_drained() {
                    return (pieces, Ok(true));
                }
            }
            Ok(None) => return (pieces, Ok(false)),
            Err(e) => return (pieces, Err(e)),
        }
    }
    (pieces, Ok(true))
}

/// A worker: evaluates chunks until there are none.
fn work(
    jobs: &Mutex<Receiver<Chunk>>,
    reports: &Sender<Report>,
    stop: &AtomicBool,
    buffers: &Buffers,
    limit: usize,
    choice: Choice<'_>,
    settings: Settings,
) {
    // The output of the last chunk of some size and its evidence, in
    // bytes: outcomes are several times their evidence, so a new buffer is
    // given the room the last chunk's output took for as much evidence (16
    // times at most), and seldom moves as it grows. A buffer filled again
    // has the room it grew to.
    let mut last: (usize, usize) = (1, 1);
    loop {
        // The lock is held only while waiting for the next chunk.
        let job = jobs.lock().unwrap_or_else(PoisonError::into_inner).recv();
        let Ok(chunk) = job else {
            return;
        };
        if stop.load(Ordering::Relaxed) {
            return;
        }
        let size: usize = chunk.pieces.iter().map(Piece::bytes).sum();
        let room = (size.saturating_mul(last.0) / last.1.max(1)).min(size.saturating_mul(16));
        let room = room.saturating_add(room / 8);
        let mut out = buffers.take();
        if out.capacity() == 0 {
            out = Vec::with_capacity(room);
        }
        let done = evaluate_chunk(&chunk.pieces, out, limit, choice, settings);
        if size >= 4096 {
            last = (done.out.len(), size);
        }
        if reports.send(Report::Done(chunk.seq, done)).is_err() {
            return;
        }
    }
}

/// The writer: each chunk once every chunk before it is written; the
/// failures reported on stderr as the lines go out.
fn write_in_order(
    reports: &Receiver<Report>,
    credits: &SyncSender<()>,
    buffers: &Buffers,
    out: &mut dyn Write,
    r: &Renderer,
    name: &str,
) -> Result<usize, Failure> {
    let mut waiting: BTreeMap<usize, Done> = BTreeMap::new();
    let mut next = 0usize;
    let mut failed = 0usize;
    let mut end: Option<(usize, Option<Failure>)> = None;
    loop {
        while let Some(done) = waiting.remove(&next) {
            let buffer = write_chunk(done, out, r, name, &mut failed)
                .map_err(|e| Failure::from(e).after(failed > 0))?;
            buffers.give(buffer);
            next += 1;
            // The reader may have stopped already.
            let _ = credits.send(());
        }
        if let Some((chunks, error)) = &mut end {
            if next >= *chunks {
                return match error.take() {
                    Some(e) => Err(e),
                    None => Ok(failed),
                };
            }
        }
        match reports.recv() {
            Ok(Report::Done(seq, done)) => {
                waiting.insert(seq, done);
            }
            Ok(Report::End { chunks, error }) => end = Some((chunks, error)),
            // Every worker and the reader are gone, and a chunk never came.
            Err(_) => {
                return Err(Failure::Usage(
                    "internal error: a chunk of the input was not evaluated; this is a bug in judgement"
                        .into(),
                ))
            }
        }
    }
}

/// One chunk's output, each failure reported on stderr just before its
/// error line is written. Gives back the buffer.
fn write_chunk(
    done: Done,
    out: &mut dyn Write,
    r: &Renderer,
    name: &str,
    failed: &mut usize,
) -> io::Result<Vec<u8>> {
    let mut from = 0;
    for f in &done.failures {
        out.write_all(done.out.get(from..f.at).unwrap_or_default())?;
        *failed += 1;
        match &f.error {
            LineError::Eval(err) => r.eval_error(name, Some(f.number), err, None),
            LineError::NotUtf8(why) => r.not_utf8(name, Some(f.number), why),
            LineError::Other(code, m) => r.line_error(*code, name, f.number, m),
        }
        from = f.at;
    }
    out.write_all(done.out.get(from..).unwrap_or_default())?;
    out.flush()?;
    Ok(done.out)
}

/// Evaluate and serialise each line of a chunk (on a worker), which
/// splits the chunk's blocks into lines and numbers them, into `out`.
fn evaluate_chunk(
    pieces: &[Piece],
    out: Vec<u8>,
    limit: usize,
    choice: Choice<'_>,
    settings: Settings,
) -> Done {
    let mut chunk = Evaluated {
        out,
        failures: Vec::new(),
        limit,
        choice,
        settings,
        outcomes: outcome::Spare::default(),
    };
    for piece in pieces {
        match piece {
            Piece::Line(line) => chunk.line(line.number, &line.text, line.too_long),
            Piece::Whole {
                first,
                block,
                start,
                end,
                ..
            } => {
                let mut number = *first;
                let mut rest = block.get(*start..*end).unwrap_or_default();
                while !rest.is_empty() {
                    let (line, after) = input::split_line(rest, limit);
                    if let Some((text, too_long)) = line {
                        chunk.line(number, text, too_long);
                    }
                    number += 1;
                    rest = after;
                }
            }
        }
    }
    Done {
        out: chunk.out,
        failures: chunk.failures,
    }
}

/// A chunk being evaluated.
struct Evaluated<'a> {
    out: Vec<u8>,
    failures: Vec<Failed>,
    limit: usize,
    choice: Choice<'a>,
    settings: Settings,
    /// Each outcome, once written, lends its room to the next.
    outcomes: outcome::Spare<'a>,
}

impl Evaluated<'_> {
    /// Evaluate the line numbered `number` and append its outcome line, or
    /// its error line, to `out`.
    fn line(&mut self, number: usize, text: &[u8], too_long: bool) {
        let at = self.out.len();
        let (limit, choice, settings) = (self.limit, self.choice, self.settings);
        let (out, outcomes) = (&mut self.out, &mut self.outcomes);
        let result = catch_unwind(AssertUnwindSafe(|| {
            evaluate(text, too_long, limit, choice, settings, out, outcomes)
        }));
        let error = match result {
            Ok(Ok(())) => return,
            Ok(Err(e)) => e,
            Err(_) => LineError::Other(Code::Internal, embed::PANICKED.into()),
        };
        self.out.truncate(at);
        // A line too long to read is not read for its id either.
        let record = if too_long { &[][..] } else { text };
        let message = embed::error_line(number, record, &error.message());
        self.out.extend_from_slice(message.as_bytes());
        self.out.push(b'\n');
        self.failures.push(Failed { number, at, error });
    }
}

/// Evaluate one line and append its outcome line to `out`.
fn evaluate<'a>(
    text: &[u8],
    too_long: bool,
    limit: usize,
    choice: Choice<'a>,
    settings: Settings,
    out: &mut Vec<u8>,
    spare: &mut outcome::Spare<'a>,
) -> Result<(), LineError> {
    if too_long {
        return Err(LineError::Other(Code::Evidence, format!(
            "the line is longer than {limit} bytes, the most one record may be; raise the limit with `--max-record-bytes`"
        )));
    }
    let text = crate::input::utf8(text).map_err(LineError::NotUtf8)?;
    let options = settings.options;
    let outcome = choice
        .evaluate_str_reusing(text, options, spare)
        .map_err(LineError::Eval)?;
    // The outcome's own writer: the bytes serde_json would write, sooner.
    let written = if settings.compact {
        outcome::write_json(out, &outcome.compact_json())
    } else {
        outcome::write_json(out, &outcome)
    };
    written.map_err(|e| LineError::Other(Code::Internal, e.to_string()))?;
    out.push(b'\n');
    outcome.recycle(spare);
    Ok(())
}

/// The batch path of `judgement eval`, in process (for benches, and for
/// programs that embed the command line): the JSON Lines of `reader`, each
/// evaluated against the edition of `editions` in force on its date, on
/// `threads` workers; the outcomes (their compact form when `compact`)
/// written to `out` in input order, one a line. A line that fails gives
/// `{"line": N, "error": "..."}` and a message on stderr, as on the command
/// line. Gives the number of lines that failed, or the error that stopped
/// reading the input or writing the output.
pub fn eval_json_lines(
    editions: &Editions,
    reader: Box<dyn BufRead + Send>,
    out: &mut dyn Write,
    threads: NonZeroUsize,
    compact: bool,
) -> io::Result<usize> {
    let renderer = Renderer::new(Format::Human);
    let mut input = Input::json_lines("<input>", reader, input::MAX_RECORD_BYTES);
    let settings = Settings {
        options: EvalOptions::default(),
        threads,
        compact,
    };
    let result = match input.shape() {
        Ok(Shape::Lines(first)) => run(
            &mut input,
            first,
            Choice::InForce(editions),
            settings,
            out,
            &renderer,
        ),
        Ok(_) => Ok(0),
        Err(e) => Err(e),
    };
    match result {
        Ok(failed) => Ok(failed),
        Err(Failure::Output(e)) => Err(e),
        Err(
            Failure::Usage(message)
            | Failure::Io(message)
            | Failure::Edition(message)
            | Failure::Refused(message)
            | Failure::IoAt { message, .. },
        ) => Err(io::Error::other(message)),
        Err(Failure::Problems) => Err(io::Error::other("the input could not be evaluated")),
    }
}
