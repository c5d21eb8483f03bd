//! The embedding API: one place that every binding (C and .NET,
//! WebAssembly, Python) calls, so that each stays a thin layer with no logic
//! of its own. An [`Engine`] holds the editions of one ruleset, loaded from
//! a path or from texts in memory ([`Editions::from_files`]); it evaluates
//! JSON text to JSON text exactly as the command line prints it, explains,
//! answers why not, gives the evidence schema and runs the ruleset's own
//! tests. Every failure is [`Errors`]: data, not a string to parse.
//!
//! Rust callers that want the typed outcome use [`Engine::outcome`] (or the
//! [`Editions`] and [`Ruleset`] underneath).

mod errors;
mod files;

pub use errors::{Error, ErrorKind, Errors, Severity};
pub use files::SOURCES_LABEL;

use crate::error::EvalError;
use crate::outcome::{Outcome, Spare};
use crate::ruleset::{Editions, EvalOptions, Ruleset, SchemaOptions};
use serde::{Deserialize, Serialize};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

/// How to evaluate. Every field may be left out of its JSON form
/// (`{"trace": true}`); a key it does not know is an error.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Options {
    /// Record every step in the outcome's `trace` (as `eval --trace`).
    pub trace: bool,
    /// List evidence keys the ruleset does not declare as warnings rather
    /// than refuse them (as `--allow-unknown-fields`).
    pub allow_unknown_fields: bool,
    /// Give the compact outcome (as `eval --compact`).
    pub compact: bool,
    /// Evaluate with this edition, whatever the evidence's date (as
    /// `--edition`); by default the edition in force on it.
    pub edition: Option<String>,
}

impl Options {
    /// Options from their JSON form; an empty text, or `null`, is the
    /// default (as a NULL pointer is in C), anything else a JSON object.
    pub fn from_json(text: &str) -> Result<Options, Errors> {
        if text.trim().is_empty() || text.trim() == "null" {
            return Ok(Options::default());
        }
        let usage = |why: String| {
            Errors::one(Error::new(
                ErrorKind::Usage,
                format!("the options are not valid: {why}"),
            ))
        };
        // An object, not the array serde would also take for a struct;
        // read straight into the struct, which refuses a key written twice
        // (as evidence does), where a `Value` would keep the last.
        // Columns in characters, as the evidence's errors give them.
        let error = |e: serde_json::Error| usage(crate::json::error_in_characters(text, &e));
        if text.trim_start().starts_with('{') {
            serde_json::from_str(text).map_err(error)
        } else {
            match serde_json::from_str::<serde_json::Value>(text) {
                Ok(_) => Err(usage("they must be a JSON object".into())),
                Err(e) => Err(error(e)),
            }
        }
    }

    /// The options of an evaluation as the command line takes them: the
    /// compact outcome has no trace, so `trace` with `compact` is a usage
    /// error (as `eval --trace --compact` is), not a trace asked for and
    /// dropped.
    fn for_evaluation(&self) -> Result<&Options, Errors> {
        if self.trace && self.compact {
            return Err(Errors::one(Error::new(
                ErrorKind::Usage,
                "the options are not valid: `trace` cannot be used with `compact` (the compact outcome has no trace)",
            )));
        }
        Ok(self)
    }

    /// The options of an explanation or a why-not answer, which write no
    /// outcome: `compact` is a usage error, not an option dropped (the
    /// trace an explanation reads is always on, so `trace` asks nothing
    /// more).
    fn for_explaining(&self) -> Result<&Options, Errors> {
        if self.compact {
            return Err(Errors::one(Error::new(
                ErrorKind::Usage,
                "the options are not valid: `compact` has no meaning here (an explanation writes no outcome)",
            )));
        }
        Ok(self)
    }

    fn eval(&self) -> EvalOptions {
        EvalOptions {
            trace: self.trace,
            allow_unknown_fields: self.allow_unknown_fields,
        }
    }
}

/// A ruleset's evaluated JSON Lines: one output line per non-blank input
/// line, in order, as `judgement eval` writes them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lines {
    /// Each line an outcome, or `{"line": N, "error": "..."}`.
    pub output: String,
    /// How many lines gave an error.
    pub failed: usize,
}

/// One of the ruleset's own tests, run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TestReport {
    /// The edition it is written in.
    pub edition: String,
    pub name: String,
    pub passed: bool,
    /// Each expectation that did not hold, at its place in the rule file.
    pub failures: Vec<Error>,
}

/// The editions of one ruleset, ready to evaluate: immutable, `Send +
/// Sync`, loaded once and used from any number of threads.
#[derive(Debug, Clone)]
pub struct Engine {
    editions: Editions,
    warnings: Vec<Error>,
}

/// Evidence with no record (empty, or layout alone), refused in the words
/// the command line uses; `evaluate`, `explain` and `why_not` take one.
/// Records one after another are told apart only once the text has
/// failed to read as one ([`several_records`]): looking for them first
/// would read every good record twice.
fn not_empty(evidence: &str) -> Result<(), Errors> {
    if evidence.bytes().all(|b| b.is_ascii_whitespace()) {
        return Err(Errors::one(Error::new(
            ErrorKind::Evidence,
            "there is no evidence: the input is empty",
        )));
    }
    Ok(())
}

/// `errors`, where the evidence failed to read as JSON because it holds
/// records one after another (which `evaluate_lines` reads), said so in
/// the command line's words; otherwise as they are.
fn several_records(evidence: &str, errors: Errors) -> Errors {
    let json = errors.0.first().is_some_and(|e| e.kind == ErrorKind::Json);
    if json && crate::several_values(evidence.as_bytes()) {
        return Errors::one(Error::new(
            ErrorKind::Evidence,
            "this holds more than one JSON record: evaluate JSON Lines, one record a line, with `evaluate_lines`",
        ));
    }
    errors
}

impl Engine {
    /// Load a rule file, or a folder of editions, with the calendars and
    /// definitions beside it (as the command line does).
    pub fn load(path: &Path) -> Result<Engine, Errors> {
        // An empty path names nothing: said so, not as a file called ``
        // that cannot be read (": No such file or directory").
        if path.as_os_str().is_empty() {
            return Err(Errors::one(Error::new(
                ErrorKind::Usage,
                "no path was given: name a rule file, or a folder of the editions of one ruleset",
            )));
        }
        Editions::load(path)
            .map(Engine::new)
            .map_err(|e| Errors::from_load(&e))
    }

    /// Load from `(label, text)` pairs in memory: see
    /// [`Editions::from_files`].
    pub fn from_files<I, L, T>(files: I) -> Result<Engine, Errors>
    where
        I: IntoIterator<Item = (L, T)>,
        L: AsRef<str>,
        T: AsRef<str>,
    {
        Editions::from_files(files)
            .map(Engine::new)
            .map_err(|e| Errors::from_load(&e))
    }

    /// An engine over editions already loaded.
    pub fn new(editions: Editions) -> Engine {
        let warnings = editions
            .editions()
            .iter()
            .flat_map(Ruleset::warnings_by_file)
            .flat_map(|f| errors::of_file(&f))
            .collect();
        Engine { editions, warnings }
    }

    pub fn editions(&self) -> &Editions {
        &self.editions
    }

    /// The ruleset's name (every edition has the same).
    pub fn name(&self) -> &str {
        self.editions.editions().first().map_or("", Ruleset::name)
    }

    /// The warnings found while loading (each with severity `warning`).
    pub fn warnings(&self) -> &[Error] {
        &self.warnings
    }

    /// The edition `options` ask for, or the one in force on the evidence.
    fn edition(&self, evidence: &str, options: &Options) -> Result<&Ruleset, Errors> {
        match &options.edition {
            Some(v) => self.editions.edition(v).ok_or_else(|| {
                let known: Vec<&str> = self
                    .editions
                    .editions()
                    .iter()
                    .map(Ruleset::version)
                    .collect();
                Errors::one(Error::new(
                    ErrorKind::Edition,
                    // The name cut as evidence text is: it is said again
                    // on every line of JSON Lines.
                    format!(
                        "there is no edition `{}`; the editions are {}",
                        crate::evidence::clipped(v),
                        known.join(", ")
                    ),
                ))
            }),
            None => self
                .editions
                .select_str(evidence, options.eval())
                .map_err(|e| Errors::from_eval(&e, None)),
        }
    }

    /// Evaluate one record given as JSON text: the edition that evaluated
    /// it and the typed outcome.
    pub fn outcome(
        &self,
        evidence: &str,
        options: &Options,
    ) -> Result<(&Ruleset, Outcome<'_>), Errors> {
        not_empty(evidence)?;
        let (ruleset, outcome) = match &options.edition {
            Some(_) => {
                let ruleset = self.edition(evidence, options)?;
                (ruleset, ruleset.evaluate_str(evidence, options.eval()))
            }
            None => self
                .editions
                .select_and_evaluate_str(evidence, options.eval())
                .map_err(|e| several_records(evidence, Errors::from_eval(&e, None)))?,
        };
        let outcome =
            outcome.map_err(|e| several_records(evidence, Errors::from_eval(&e, Some(ruleset))))?;
        Ok((ruleset, outcome))
    }

    /// Evaluate one record given as JSON text to the outcome's JSON, as
    /// `judgement eval` prints it for one record (pretty, without the
    /// final newline); its compact form when `options.compact`. Text with
    /// no record, or records one after another, is an `evidence` error, in
    /// the command line's words.
    pub fn evaluate(&self, evidence: &str, options: &Options) -> Result<String, Errors> {
        let options = options.for_evaluation()?;
        guarded(|| {
            let (_, outcome) = self.outcome(evidence, options)?;
            written(&outcome, options.compact, true)
                .map_err(|e| Errors::one(Error::new(ErrorKind::Internal, e)))
        })
    }

    /// Evaluate JSON Lines: each non-blank line a record, numbered from 1
    /// with blank lines counted; the output as `judgement eval` writes it
    /// to standard output (one line each, in order; a line that fails gives
    /// `{"line": N, "error": "..."}`). An edition asked for that the
    /// ruleset does not have fails the whole call, as it fails the command
    /// (not each line). Unlike the command, which refuses a line longer
    /// than `--max-record-bytes` (16 MiB) as it reads, no line is too long
    /// here: the text is in memory already, and its size is the caller's
    /// to bound.
    pub fn evaluate_lines(&self, text: &str, options: &Options) -> Result<Lines, Errors> {
        let options = options.for_evaluation()?;
        if options.edition.is_some() {
            self.edition("", options)?;
        }
        let mut output = String::with_capacity(text.len());
        let mut failed = 0;
        // Each outcome, once written, lends its room to the next.
        let mut spare = Spare::default();
        // A `\r` ends a line only before its `\n`, as the command line
        // reads it: one at the very end stays, and an error's column
        // counts it.
        let ended = text.matches('\n').count();
        for (i, line) in text.split('\n').enumerate() {
            let line = if i < ended {
                line.strip_suffix('\r').unwrap_or(line)
            } else {
                line
            };
            if line.bytes().all(|b| b.is_ascii_whitespace()) {
                continue;
            }
            let result = catch_unwind(AssertUnwindSafe(|| self.line(line, options, &mut spare)));
            match result {
                Ok(Ok(json)) => output.push_str(&json),
                Ok(Err(message)) => {
                    failed += 1;
                    output.push_str(&error_line(i + 1, line.as_bytes(), &message));
                }
                Err(_) => {
                    failed += 1;
                    output.push_str(&error_line(i + 1, line.as_bytes(), PANICKED));
                }
            }
            output.push('\n');
        }
        Ok(Lines { output, failed })
    }

    /// One line's outcome, or the message of its error line.
    fn line<'r>(
        &'r self,
        text: &str,
        options: &Options,
        spare: &mut Spare<'r>,
    ) -> Result<String, String> {
        let outcome = match &options.edition {
            Some(_) => self
                .edition(text, options)
                .map_err(|e| e.to_string())?
                .evaluate_str_reusing(text, options.eval(), spare),
            None => {
                self.editions
                    .select_and_evaluate_str_reusing(text, options.eval(), spare)
                    .map_err(|e| e.on_one_line())?
                    .1
            }
        }
        .map_err(|e| e.on_one_line())?;
        let json = written(&outcome, options.compact, false);
        outcome.recycle(spare);
        json
    }

    /// The plain-English explanation of one record's outcome, as
    /// `judgement explain` prints it; `name` stands for the evidence in the
    /// heading (a file name).
    pub fn explain(&self, evidence: &str, name: &str, options: &Options) -> Result<String, Errors> {
        guarded(|| {
            let traced = Options {
                trace: true,
                ..options.for_explaining()?.clone()
            };
            let (ruleset, outcome) = self.outcome(evidence, &traced)?;
            Ok(crate::explain(ruleset, &outcome, name))
        })
    }

    /// Why `target` does not hold for one record, as `judgement explain
    /// --why-not TARGET` prints it: a rule id, `JUDGEMENT=VALUE` (or
    /// `JUDGEMENT`), or `action:NAME`, `finding:NAME`, `deadline:NAME`
    /// (docs/authoring.md). `as_json`: the answer as JSON (pretty), as
    /// `--json` prints it (without the final newline). The edition in force
    /// on the record's date holds the changes offered to its period in
    /// force; one named in `options` evaluates any date. A target the
    /// ruleset does not have is a `usage` error naming the nearest.
    pub fn why_not(
        &self,
        evidence: &str,
        target: &str,
        options: &Options,
        as_json: bool,
    ) -> Result<String, Errors> {
        guarded(|| {
            let options = options.for_explaining()?;
            not_empty(evidence)?;
            let value = crate::ruleset::parse_json(evidence)
                .map_err(|e| several_records(evidence, Errors::from_eval(&e, None)))?;
            let (ruleset, ask): (&Ruleset, fn(_, _, _, _) -> _) = match &options.edition {
                Some(_) => (self.edition(evidence, options)?, crate::why_not),
                None => (
                    self.editions
                        .select_str(evidence, options.eval())
                        .map_err(|e| Errors::from_eval(&e, None))?,
                    crate::why_not_in_force,
                ),
            };
            let why = ask(ruleset, &value, target, options.eval()).map_err(|e| match e {
                crate::WhyNotError::Eval(e) => Errors::from_eval(&e, Some(ruleset)),
                other => Errors::one(Error::new(ErrorKind::Usage, other.to_string())),
            })?;
            if as_json {
                serde_json::to_string_pretty(&why)
                    .map_err(|e| Errors::one(Error::new(ErrorKind::Internal, e.to_string())))
            } else {
                Ok(crate::why_not_text(ruleset, &why))
            }
        })
    }

    /// The evidence JSON Schema of `edition` (the newest by default), as
    /// `judgement schema` prints it (pretty, without the final newline).
    pub fn schema(
        &self,
        edition: Option<&str>,
        allow_unknown_fields: bool,
    ) -> Result<String, Errors> {
        let options = Options {
            edition: edition.map(str::to_string),
            ..Options::default()
        };
        let ruleset = match edition {
            Some(_) => self.edition("", &options)?,
            None => self
                .editions
                .editions()
                .last()
                .ok_or_else(|| Errors::one(Error::new(ErrorKind::Internal, "no editions")))?,
        };
        let schema = ruleset.schema_with(SchemaOptions {
            allow_unknown_fields,
        });
        serde_json::to_string_pretty(&schema)
            .map_err(|e| Errors::one(Error::new(ErrorKind::Internal, e.to_string())))
    }

    /// Run the tests written in every edition.
    pub fn run_tests(&self) -> Vec<TestReport> {
        self.editions
            .editions()
            .iter()
            .flat_map(|ruleset| {
                ruleset.run_tests().into_iter().map(move |t| TestReport {
                    edition: ruleset.version().to_string(),
                    passed: t.passed(),
                    failures: t
                        .failures
                        .iter()
                        .map(|(span, why)| {
                            errors::located(
                                Error::new(ErrorKind::Check, why.clone()),
                                ruleset,
                                *span,
                            )
                        })
                        .collect(),
                    name: t.name,
                })
            })
            .collect()
    }
}

/// The message of an evaluation that panicked: a bug, never the input's fault.
pub const PANICKED: &str = "internal error: evaluation stopped; this is a bug in judgement";

/// The output line of a JSON Lines record that gave no outcome, as
/// `judgement eval` and [`Engine::evaluate_lines`] write it: `{"line": N,
/// "error": "..."}`, then `"id"`, the record's, where `record` (the line's
/// text) is a JSON object whose `id` is text or a whole number, as an
/// outcome echoes it; left out where the id cannot be read so.
pub fn error_line(number: usize, record: &[u8], message: &str) -> String {
    let mut line = serde_json::json!({"line": number, "error": message});
    if let (Some(id), serde_json::Value::Object(fields)) = (readable_id(record), &mut line) {
        fields.insert("id".into(), id.into());
    }
    line.to_string()
}

/// The `id` of a record that failed, read again on its own: text, or a
/// whole number within 64 bits written as text, as the evidence reader
/// echoes it. `None` for a line that is not a JSON object, or whose `id`
/// is absent, null, written twice or anything else (a number with a
/// fraction, an exponent or a minus before 0 is read as a float).
fn readable_id(record: &[u8]) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct Id {
        id: Option<serde_json::Value>,
    }
    match serde_json::from_slice::<Id>(record).ok()?.id? {
        serde_json::Value::String(text) => Some(text),
        serde_json::Value::Number(n) if n.is_i64() || n.is_u64() => Some(n.to_string()),
        _ => None,
    }
}

/// An outcome's JSON (its compact form when `compact`), pretty or on one line.
fn written(outcome: &Outcome<'_>, compact: bool, pretty: bool) -> Result<String, String> {
    let json = match (compact, pretty) {
        (true, true) => serde_json::to_string_pretty(&outcome.compact()),
        (true, false) => crate::outcome::to_json_string(&outcome.compact_json()),
        (false, true) => serde_json::to_string_pretty(outcome),
        (false, false) => crate::outcome::to_json_string(outcome),
    };
    json.map_err(|e| e.to_string())
}

/// A call that cannot panic: a bug gives an internal error instead.
fn guarded<T>(f: impl FnOnce() -> Result<T, Errors>) -> Result<T, Errors> {
    catch_unwind(AssertUnwindSafe(f))
        .unwrap_or_else(|_| Err(Errors::one(Error::new(ErrorKind::Internal, PANICKED))))
}

/// The most problems of one evidence record shown, on the command line's
/// stderr and in an error line: one screen. The rest are counted in a last
/// one ([`more_problems`]).
pub const MOST_PROBLEMS_SHOWN: usize = 20;

/// The last problem shown of a record with more than
/// [`MOST_PROBLEMS_SHOWN`]: how many more there are.
pub fn more_problems(more: usize) -> String {
    format!("and {more} more problems with this record")
}

impl EvalError {
    /// The error on one line, for the `{"line": N, "error": ...}` line of a
    /// batch: several evidence problems joined by `; `, at most
    /// [`MOST_PROBLEMS_SHOWN`] of them and then how many more (a line with
    /// a hundred thousand undeclared keys wrote an error line of megabytes).
    pub fn on_one_line(&self) -> String {
        match self {
            EvalError::Evidence(errors) => {
                let mut each: Vec<String> = errors
                    .iter()
                    .take(MOST_PROBLEMS_SHOWN)
                    .map(ToString::to_string)
                    .collect();
                if let Some(more) = errors
                    .len()
                    .checked_sub(MOST_PROBLEMS_SHOWN)
                    .filter(|n| *n > 0)
                {
                    each.push(more_problems(more));
                }
                each.join("; ")
            }
            // A record is one line, so a JSON error in it says only its
            // column: the line is the error line's `line`, of the input.
            EvalError::Json {
                column, message, ..
            } => format!("not valid JSON (column {column}): {message}"),
            other => other.to_string(),
        }
    }
}
