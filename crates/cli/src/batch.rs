//! JSON Lines evaluation: streams the input in chunks, evaluates each chunk
//! on every core, and writes the outcomes in input order. While the workers
//! evaluate one chunk the main thread reads the next, so memory holds two
//! chunks at most, whatever the size of the input.

use crate::input::{Input, Line};
use crate::load::Choice;
use crate::render::Renderer;
use crate::{Failure, Outcome};
use judgement_engine::{EvalError, EvalOptions};
use serde_json::json;
use std::io::Write;
use std::num::NonZeroUsize;
use std::thread;

/// Lines per chunk.
const CHUNK: usize = 1024;

/// Why one line gave no outcome.
enum LineError {
    Eval(EvalError),
    Other(String),
}

impl LineError {
    /// The message for the `{"line": N, "error": "..."}` output line.
    fn message(&self) -> String {
        match self {
            LineError::Eval(EvalError::Evidence(errors)) => {
                let each: Vec<String> = errors.iter().map(ToString::to_string).collect();
                each.join("; ")
            }
            LineError::Eval(e) => e.to_string(),
            LineError::Other(m) => m.clone(),
        }
    }
}

type LineResult = Result<String, LineError>;

pub fn run(
    input: &mut Input,
    first: Vec<Line>,
    choice: Choice<'_>,
    options: EvalOptions,
    out: &mut dyn Write,
    r: &Renderer,
) -> Outcome {
    let workers = thread::available_parallelism().map_or(1, NonZeroUsize::get);
    let mut chunk = first;
    chunk.extend(input.next_chunk(CHUNK.saturating_sub(chunk.len()))?);
    let mut failed = 0usize;
    let limit = input.limit();
    while !chunk.is_empty() {
        let (results, next) = thread::scope(|s| {
            let per = chunk.len().div_ceil(workers).max(1);
            let handles: Vec<_> = chunk
                .chunks(per)
                .map(|part| {
                    let handle = s.spawn(move || {
                        part.iter()
                            .map(|line| evaluate(line, limit, choice, options))
                            .collect::<Vec<LineResult>>()
                    });
                    (part.len(), handle)
                })
                .collect();
            let next = input.next_chunk(CHUNK);
            let mut results = Vec::with_capacity(chunk.len());
            for (len, handle) in handles {
                match handle.join() {
                    Ok(part) => results.extend(part),
                    Err(_) => results.extend((0..len).map(|_| {
                        Err(LineError::Other(
                            "internal error: evaluation stopped; this is a bug in judgement".into(),
                        ))
                    })),
                }
            }
            (results, next)
        });
        let write = || -> std::io::Result<()> {
            for (line, result) in chunk.iter().zip(results) {
                match result {
                    Ok(outcome) => writeln!(out, "{outcome}")?,
                    Err(e) => {
                        failed += 1;
                        match &e {
                            LineError::Eval(err) => {
                                r.eval_error(&input.name, Some(line.number), err, None)
                            }
                            LineError::Other(m) => r.line_error(&input.name, line.number, m),
                        }
                        writeln!(
                            out,
                            "{}",
                            json!({"line": line.number, "error": e.message()})
                        )?;
                    }
                }
            }
            out.flush()
        };
        write().map_err(|e| Failure::from(e).after(failed > 0))?;
        chunk = next?;
    }
    if failed > 0 {
        Err(Failure::Problems)
    } else {
        Ok(())
    }
}

fn evaluate(line: &Line, limit: usize, choice: Choice<'_>, options: EvalOptions) -> LineResult {
    if line.too_long {
        return Err(LineError::Other(format!(
            "the line is longer than {limit} bytes, the most one record may be; raise the limit with `--max-record-bytes`"
        )));
    }
    let text =
        std::str::from_utf8(&line.text).map_err(|_| LineError::Other("not valid UTF-8".into()))?;
    let ruleset = choice.pick_str(text, options).map_err(LineError::Eval)?;
    let outcome = ruleset
        .evaluate_str(text, options)
        .map_err(LineError::Eval)?;
    serde_json::to_string(&outcome).map_err(|e| LineError::Other(e.to_string()))
}
