//! `judgement eval`: one JSON object in -> one outcome out (pretty JSON);
//! JSON Lines in -> JSON Lines out, in input order (see `batch`). Which one
//! the input is, `input::Format` decides. `--compact` prints the compact
//! form of each outcome (`Outcome::compact`) instead of the full one.

use crate::input::{self, Input, Shape};
use crate::load::{self, Choice};
use crate::render::{Code, Renderer};
use crate::{batch, Failure, Outcome};
use judgement_engine::{EvalOptions, Ruleset};
use std::io::Write;
use std::num::NonZeroUsize;
use std::path::PathBuf;

/// What standard input read as JSON Lines is told when it failed and its
/// first line opens a JSON value that it does not close.
const LAID_OUT: &str = "the first line opens a JSON value that it does not close, and standard input is read as JSON Lines (one record a line) unless its first line is a lone `{` or `[`: if it is one JSON document laid out over several lines, pass `--input json`";

pub struct Args {
    pub ruleset: PathBuf,
    pub file: Option<PathBuf>,
    pub trace: bool,
    pub edition: Option<String>,
    pub allow_unknown_fields: bool,
    pub input: input::Format,
    pub max_record_bytes: usize,
    /// Workers for JSON Lines (`--threads`; the cores available when not given).
    pub threads: Option<NonZeroUsize>,
    /// Print the compact form of each outcome (`--compact`).
    pub compact: bool,
}

pub fn run(args: &Args, out: &mut dyn Write, r: &Renderer) -> Outcome {
    let editions = load::editions(&args.ruleset, r)?;
    let choice = Choice::new(&editions, args.edition.as_deref())?;
    let mut input = Input::open(args.file.as_deref(), args.input, args.max_record_bytes)?;
    let options = EvalOptions {
        trace: args.trace,
        allow_unknown_fields: args.allow_unknown_fields,
    };
    match input.shape()? {
        // An empty JSON Lines file is an empty batch.
        Shape::Empty { lines: true } => Ok(()),
        Shape::Empty { lines: false } => {
            r.error_in(
                Code::Evidence,
                &input.name,
                "there is no evidence: the input is empty",
            );
            Err(Failure::Problems)
        }
        Shape::One(text) => {
            if judgement_engine::several_values(&text) {
                // Named `.jsonl` and still read as one document: `--input
                // json` was asked for.
                let how = if input.name.ends_with(".jsonl") {
                    "pass `--input jsonl`, or leave `--input` out,"
                } else {
                    "name the file `.jsonl`, or pass `--input jsonl`,"
                };
                r.error_in(
                    Code::Evidence,
                    &input.name,
                    &format!("this holds more than one JSON record: {how} to evaluate one a line"),
                );
                return Err(Failure::Problems);
            }
            let (_, outcome) = evaluate_one(&input.name, &text, choice, options, r)?;
            let json = if args.compact {
                serde_json::to_string_pretty(&outcome.compact())
            } else {
                serde_json::to_string_pretty(&outcome)
            }
            .map_err(|e| Failure::Usage(e.to_string()))?;
            writeln!(out, "{json}")?;
            Ok(())
        }
        Shape::Lines(first) => {
            let settings = batch::Settings {
                options,
                threads: args.threads.unwrap_or_else(batch::default_threads),
                compact: args.compact,
            };
            let unfinished = input.opens_unfinished(&first);
            match batch::run(&mut input, first, choice, settings, out, r)? {
                0 => Ok(()),
                _ => {
                    if unfinished {
                        r.help_in(Code::Usage, &input.name, LAID_OUT);
                    }
                    Err(Failure::Problems)
                }
            }
        }
    }
}

/// Parse and evaluate one evidence document; report any error.
pub fn evaluate_one<'a>(
    name: &str,
    text: &[u8],
    choice: Choice<'a>,
    options: EvalOptions,
    r: &Renderer,
) -> Result<(&'a Ruleset, judgement_engine::Outcome<'a>), Failure> {
    let text = match crate::input::utf8(text) {
        Ok(text) => text,
        Err(why) => {
            r.not_utf8(name, None, &why);
            return Err(Failure::Problems);
        }
    };
    let fail = |e: &judgement_engine::EvalError, ruleset: Option<&Ruleset>| {
        r.eval_error(name, None, e, ruleset);
        Failure::Problems
    };
    // A JSON syntax error is reported by whichever step meets it first, in
    // the same words: the text is read straight into the ruleset's slots.
    let ruleset = choice.pick_str(text, options).map_err(|e| fail(&e, None))?;
    let outcome = ruleset
        .evaluate_str(text, options)
        .map_err(|e| fail(&e, Some(ruleset)))?;
    Ok((ruleset, outcome))
}
