//! Errors as data, for embedders: every failure of loading or evaluating as
//! a list of [`Error`]s, each with its kind, its message, where it is (a JSON
//! path in the evidence, or a file, line and column in the rules) and the
//! rule and citation where there is one. Serialised, this is the error
//! contract every binding hands on (`contracts/error.schema.json`).

use crate::calendar::CalendarError;
use crate::diagnostic::{FileProblems, LoadError, Problem};
use crate::error::EvalError;
use crate::ruleset::Ruleset;
use judgement_syntax::Span;
use miette::Severity as MietteSeverity;
use serde::Serialize;
use std::fmt;

/// What went wrong, in a word a program can branch on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// A rule, calendar or definitions file (or a folder) could not be read.
    Io,
    /// A rule file does not parse.
    Syntax,
    /// A rule file parses but is wrong (names, types, citations, lints).
    Check,
    /// A calendar file does not read.
    Calendar,
    /// The files do not make one ruleset (no rule files, only definitions,
    /// editions that overlap or disagree).
    Load,
    /// The evidence is not JSON.
    Json,
    /// The evidence is JSON but not what the ruleset declares.
    Evidence,
    /// No edition is in force on the evidence's date, or none is of the
    /// version asked for.
    Edition,
    /// Evaluation stopped (a floor above a cap, a date out of range, a date
    /// outside the calendar's years).
    Evaluation,
    /// A call the embedding API cannot make sense of (bad options).
    Usage,
    /// A bug in judgement.
    Internal,
}

/// How bad a problem is; warnings come only with errors of loading.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Error,
    Warning,
}

/// One problem, as data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Error {
    pub kind: ErrorKind,
    pub severity: Severity,
    pub message: String,
    /// What to do about it, where the engine knows.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    /// The JSON path in the evidence (`home.beds`, `manager.absences[2].start`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// The rule, calendar or definitions file (its label, when loaded from
    /// memory).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// 1-based line and column: in `file`, or in the evidence text for a
    /// [`ErrorKind::Json`] error.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
    /// The rule the problem arose in, and its citation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cite: Option<String>,
}

impl Error {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Error {
        Error {
            kind,
            severity: Severity::Error,
            message: message.into(),
            help: None,
            path: None,
            file: None,
            line: None,
            column: None,
            rule: None,
            cite: None,
        }
    }

    fn in_file(mut self, file: &std::path::Path) -> Error {
        self.file = Some(file.display().to_string());
        self
    }

    fn at(mut self, line: usize, column: usize) -> Error {
        self.line = Some(line);
        self.column = Some(column);
        self
    }

    /// The rule `id` of `ruleset`, with its citation.
    fn in_rule(mut self, ruleset: &Ruleset, id: &str) -> Error {
        self.cite = ruleset.rule(id).map(|r| r.cite.to_string());
        self.rule = Some(id.to_string());
        self
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.file, self.line, self.column, &self.path) {
            (Some(file), Some(l), Some(c), _) => write!(f, "{file}:{l}:{c}: ")?,
            (Some(file), _, _, _) => write!(f, "{file}: ")?,
            (None, _, _, Some(path)) if !path.is_empty() => write!(f, "{path}: ")?,
            // Evidence given as text that is not JSON, which has no file:
            // where in it.
            (None, Some(l), Some(c), _) if self.kind == ErrorKind::Json => {
                write!(f, "line {l}, column {c}: ")?
            }
            _ => {}
        }
        f.write_str(&self.message)
    }
}

/// Every problem that stopped a call (and, when loading, the warnings
/// found with them). Never empty.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[serde(transparent)]
pub struct Errors(pub Vec<Error>);

impl fmt::Display for Errors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let errors: Vec<String> = self
            .0
            .iter()
            .filter(|e| e.severity == Severity::Error)
            .map(ToString::to_string)
            .collect();
        f.write_str(&errors.join("\n"))
    }
}

impl Errors {
    pub fn one(error: Error) -> Errors {
        Errors(vec![error])
    }

    /// The first error: what a host that shows one message shows.
    pub fn first(&self) -> Option<&Error> {
        self.0.iter().find(|e| e.severity == Severity::Error)
    }

    /// As JSON: an array of error objects.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| {
            r#"[{"kind":"internal","severity":"error","message":"an error could not be written as JSON"}]"#
                .to_string()
        })
    }

    /// The problems of loading rule files.
    pub fn from_load(error: &LoadError) -> Errors {
        let one = |kind, path: &std::path::Path| {
            Errors::one(Error::new(kind, error.to_string()).in_file(path))
        };
        match error {
            LoadError::Io { path, message } => {
                Errors::one(Error::new(ErrorKind::Io, message.clone()).in_file(path))
            }
            LoadError::NotText {
                path,
                line,
                column,
                byte,
            } => Errors::one(
                Error::new(
                    ErrorKind::Io,
                    format!("it is not UTF-8 text (byte {byte} is not)"),
                )
                .in_file(path)
                .at(*line, *column),
            ),
            LoadError::Invalid { files, .. } => Errors(files.iter().flat_map(of_file).collect()),
            // A folder of rulesets, not one: which to name, as the
            // command line says.
            LoadError::Empty { path } => {
                let mut errors = one(ErrorKind::Load, path);
                // Only a folder on disk: texts loaded from memory are
                // labelled with no folder to look in.
                let within = match path.is_dir() {
                    true => crate::ruleset::rulesets_within(path),
                    false => Vec::new(),
                };
                if let (Some(e), false) = (errors.0.first_mut(), within.is_empty()) {
                    e.help = Some(format!(
                        "it holds the folders of rulesets {}; name one of them",
                        within.join(", ")
                    ));
                }
                errors
            }
            LoadError::NotARuleset { path } => one(ErrorKind::Load, path),
            LoadError::Editions { path, .. } => one(ErrorKind::Load, path),
            LoadError::Calendar { path, errors, .. } => Errors(
                errors
                    .iter()
                    .map(|e| calendar_error(e).in_file(path))
                    .collect(),
            ),
        }
    }

    /// The problems of evaluating a record against `ruleset` (the edition
    /// chosen, when one was).
    pub fn from_eval(error: &EvalError, ruleset: Option<&Ruleset>) -> Errors {
        let kind = match error {
            EvalError::Json { .. } => ErrorKind::Json,
            EvalError::Evidence(_) | EvalError::MissingProposed { .. } => ErrorKind::Evidence,
            EvalError::NoEdition { .. } => ErrorKind::Edition,
            EvalError::Internal(_) => ErrorKind::Internal,
            _ => ErrorKind::Evaluation,
        };
        let mut e = Error::new(kind, error.to_string());
        match error {
            EvalError::Json {
                line,
                column,
                message,
            } => {
                e.message = format!("not valid JSON: {message}");
                e = e.at(*line, *column);
            }
            EvalError::Evidence(errors) => {
                return Errors(
                    errors
                        .iter()
                        .map(|x| {
                            let mut e = Error::new(ErrorKind::Evidence, x.message.clone());
                            e.path = Some(x.path.clone());
                            e
                        })
                        .collect(),
                )
            }
            // The path is the error's own field, as for several missing
            // (an `Evidence` list): the message does not repeat it.
            EvalError::MissingProposed { path, judgement } => {
                e.path = Some(path.clone());
                e.message = EvalError::missing_proposed_message(judgement);
            }
            EvalError::Conflict { floor_rule, .. } => {
                if let Some(r) = ruleset {
                    e = e.in_rule(r, floor_rule);
                }
            }
            EvalError::Calendar(c) => e.kind = kind_of_calendar(c),
            // A working day outside the calendar's years has no span of
            // its own: the rule it arose in gives the place (below).
            EvalError::CalendarWithin {
                error: c, within, ..
            } => {
                e.kind = kind_of_calendar(c);
                e.path = error.path().map(str::to_string);
                if let Some((r, id)) = ruleset.zip(within.strip_prefix("rule ")) {
                    e = e.in_rule(r, id);
                }
            }
            // `rule ID` or `let NAME`: only a rule has an id and a citation.
            EvalError::DateOutOfRange {
                rule: Some(within), ..
            } => {
                e.path = error.path().map(str::to_string);
                if let Some((r, id)) = ruleset.zip(within.strip_prefix("rule ")) {
                    e = e.in_rule(r, id);
                }
            }
            _ => {}
        }
        if let Some((r, span)) = ruleset.and_then(|r| Some((r, r.place_of(error)?))) {
            e = located(e, r, span);
        }
        Errors::one(e)
    }
}

/// A date outside a calendar's years is a fault of evaluation on that
/// date; any other calendar error is a bad calendar file.
fn kind_of_calendar(e: &CalendarError) -> ErrorKind {
    match e {
        CalendarError::OutOfRange { .. } => ErrorKind::Evaluation,
        _ => ErrorKind::Calendar,
    }
}

fn calendar_error(e: &CalendarError) -> Error {
    let text = e.to_string();
    match e.position() {
        // The place is in `line` and `column`; the message need not say it
        // again (a calendar error's own text starts with it).
        Some((line, column)) => {
            let place = format!("line {line}, column {column}: ");
            let message = text.strip_prefix(&place).unwrap_or(&text);
            Error::new(kind_of_calendar(e), message).at(line, column)
        }
        None => Error::new(kind_of_calendar(e), text),
    }
}

/// The file, line and column of a span of `ruleset`'s sources.
pub(super) fn located(mut e: Error, ruleset: &Ruleset, span: Span) -> Error {
    if let Some((file, local)) = ruleset.sources().locate(span) {
        if let Some(path) = file.path().or(ruleset.path()) {
            e = e.in_file(path);
        }
        let (line, column) = judgement_syntax::line_col(file.text(), local.start);
        e = e.at(line, column);
    }
    e
}

/// Each problem of one rule file.
pub(super) fn of_file(file: &FileProblems) -> Vec<Error> {
    file.problems.iter().map(|p| problem(p, file)).collect()
}

fn problem(p: &Problem, file: &FileProblems) -> Error {
    let d = p.diagnostic();
    let kind = match p {
        Problem::Syntax(_) => ErrorKind::Syntax,
        Problem::Check(_) => ErrorKind::Check,
    };
    let (line, column) = judgement_syntax::line_col(&file.source, p.span().start);
    let mut e = Error::new(kind, d.to_string())
        .in_file(&file.path)
        .at(line, column);
    e.help = d.help().map(|h| h.to_string());
    if matches!(
        d.severity(),
        Some(MietteSeverity::Warning | MietteSeverity::Advice)
    ) {
        e.severity = Severity::Warning;
    }
    e
}
