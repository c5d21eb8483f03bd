//! Diagnostics on stderr. `--format human` renders each problem with miette's
//! graphical handler (file:line:column and a source snippet); `--format json`
//! prints one JSON object per problem per line.
//!
//! Writing to stderr never fails a command: a closed stderr loses messages,
//! nothing else.

use crate::shown::Shown;
use judgement_engine::EvidenceError;
use judgement_engine::{
    embed, printable, printable_lines, CheckError, EvalError, Problem, Ruleset,
};
use judgement_syntax::Span;
use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, Severity,
    SourceCode,
};
use serde_json::{json, Map, Value as Json};
use std::fmt;
use std::io::{self, IsTerminal, Write};
use std::path::Path;

/// A line longer than this is not shown as a snippet: neither the lines a
/// span touches nor the lines of context around them.
const MAX_SNIPPET_LINE: usize = 1_000;

/// The lines of context a snippet shows before and after the lines of its
/// span (miette's handler is set to show this many).
const CONTEXT_LINES: usize = 1;

/// The length, in characters, of the longest line a snippet of `span`
/// shows: the lines it touches and [`CONTEXT_LINES`] either side.
fn longest_line(text: &str, span: Span) -> usize {
    let mut start = text
        .get(..span.start.min(text.len()))
        .and_then(|t| t.rfind('\n'))
        .map_or(0, |i| i + 1);
    let mut end = text
        .get(span.end.min(text.len())..)
        .and_then(|t| t.find('\n'))
        .map_or(text.len(), |i| span.end.min(text.len()) + i);
    for _ in 0..CONTEXT_LINES {
        // The line before `start` (which follows a newline, or is the
        // text's first), and the line after `end` (a newline, or the end).
        start = text
            .get(..start.saturating_sub(1))
            .and_then(|t| t.rfind('\n'))
            .map_or(0, |i| i + 1);
        end = text
            .get((end + 1).min(text.len())..)
            .and_then(|t| t.find('\n'))
            .map_or(text.len(), |i| end + 1 + i);
    }
    text.get(start..end).map_or(0, |t| {
        t.lines().map(|l| l.chars().count()).max().unwrap_or(0)
    })
}

/// The most evidence errors shown for one record: one screen, as many as
/// the error line of a batch shows (the engine's `EvalError::on_one_line`).
pub const MAX_EVIDENCE_ERRORS: usize = embed::MOST_PROBLEMS_SHOWN;

/// How diagnostics are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Messages with source snippets, for people.
    Human,
    /// One JSON object per problem per line, for tools.
    Json,
}

/// What kind of problem a diagnostic is: its `code` with `--format json`.
/// The kinds of the embedding API's errors (`contracts/error.schema.json`),
/// and `test` and `coverage` for what only the command line reports; a
/// rule file's own problems carry theirs, `syntax` or `check`
/// (`Problem`'s diagnostic code).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Code {
    /// A file could not be read or written.
    Io,
    /// The command or its arguments are wrong.
    Usage,
    /// The evidence is not JSON (or not UTF-8 text).
    Json,
    /// The evidence is not what the ruleset declares, or is refused whole.
    Evidence,
    /// No edition is in force on the record's date, or none of the version asked for.
    Edition,
    /// Evaluation stopped.
    Evaluation,
    /// The files do not make one ruleset.
    Load,
    /// A calendar file is wrong.
    Calendar,
    /// A DSL test failed.
    Test,
    /// Rule coverage is below the minimum asked for.
    Coverage,
    /// A bug in judgement.
    Internal,
}

impl Code {
    /// As `--format json` writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Code::Io => "io",
            Code::Usage => "usage",
            Code::Json => "json",
            Code::Evidence => "evidence",
            Code::Edition => "edition",
            Code::Evaluation => "evaluation",
            Code::Load => "load",
            Code::Calendar => "calendar",
            Code::Test => "test",
            Code::Coverage => "coverage",
            Code::Internal => "internal",
        }
    }

    /// The kind of an error evaluating a record that is not at a place in
    /// the rules.
    fn of(e: &EvalError) -> Code {
        match e {
            EvalError::Json { .. } => Code::Json,
            EvalError::Evidence(_) | EvalError::MissingProposed { .. } => Code::Evidence,
            EvalError::NoEdition { .. } => Code::Edition,
            EvalError::Internal(_) => Code::Internal,
            _ => Code::Evaluation,
        }
    }
}

/// A source file being reported on: its name and text, and the text as a
/// snippet shows it (`shown`: its control characters escaped).
pub struct SourceFile {
    name: String,
    text: String,
    shown: Shown,
    named: NamedSource<String>,
}

impl SourceFile {
    pub fn new(path: &Path, text: &str) -> SourceFile {
        let name = path.display().to_string();
        let shown = Shown::new(text);
        SourceFile {
            named: NamedSource::new(printable(&name), shown.text.clone()),
            name,
            text: text.to_string(),
            shown,
        }
    }

    /// The name the file is reported by.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The file of a ruleset that a span of its model falls in (its own, or
    /// definitions it uses), and the span within that file.
    pub fn of_span(ruleset: &Ruleset, span: Span) -> Option<(SourceFile, Span)> {
        let (file, local) = ruleset.sources().locate(span)?;
        let path = file.path().or(ruleset.path())?;
        Some((SourceFile::new(path, file.text()), local))
    }
}

/// Prints diagnostics on stderr in the chosen format.
pub struct Renderer {
    format: Format,
    handler: GraphicalReportHandler,
}

impl Renderer {
    pub fn new(format: Format) -> Renderer {
        let colour = io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
        let theme = if colour {
            GraphicalTheme::unicode()
        } else {
            GraphicalTheme::unicode_nocolor()
        };
        Renderer {
            format,
            handler: GraphicalReportHandler::new_themed(theme).with_context_lines(CONTEXT_LINES),
        }
    }

    fn emit(&self, text: &str) {
        let mut err = io::stderr().lock();
        let _ = writeln!(err, "{text}");
    }

    /// A line of human text that may quote a file, a record or a path: its
    /// control characters escaped, as a snippet's are (JSON escapes them
    /// itself).
    fn emit_line(&self, text: &str) {
        self.emit(&printable_lines(text));
    }

    /// `SEVERITY: FILE[PLACE]: MESSAGE` (`PLACE` `:LINE` or
    /// `:LINE:COLUMN`), the file's name with its line feeds escaped too, as
    /// a record's text is: one in it would start a line of its own.
    fn emit_in(&self, severity: &str, file: &str, place: &str, message: &str) {
        self.emit_line(&format!(
            "{severity}: {}{place}: {message}",
            printable(file)
        ));
    }

    fn emit_json(&self, object: Map<String, Json>) {
        self.emit(&Json::Object(object).to_string());
    }

    /// A one-line error with no location.
    pub fn error(&self, code: Code, message: &str) {
        match self.format {
            Format::Human => self.emit_line(&format!("error: {message}")),
            Format::Json => self.emit_json(object(&[
                ("severity", json!("error")),
                ("message", json!(message)),
                ("code", json!(code.as_str())),
            ])),
        }
    }

    /// A one-line error about a whole file.
    pub fn error_in(&self, code: Code, file: &str, message: &str) {
        match self.format {
            Format::Human => self.emit_in("error", file, "", message),
            Format::Json => self.emit_json(object(&[
                ("severity", json!("error")),
                ("message", json!(message)),
                ("file", json!(file)),
                ("code", json!(code.as_str())),
            ])),
        }
    }

    /// A one-line error at a line and column of a file that could not be
    /// read as text: the message says where (it names the file); with
    /// `--format json` the file, line and column are fields too.
    pub fn error_at(&self, code: Code, file: &str, (line, column): (usize, usize), message: &str) {
        match self.format {
            Format::Human => self.emit_line(&format!("error: {message}")),
            Format::Json => self.emit_json(object(&[
                ("severity", json!("error")),
                ("message", json!(message)),
                ("file", json!(file)),
                ("line", json!(line)),
                ("column", json!(column)),
                ("code", json!(code.as_str())),
            ])),
        }
    }

    /// A file, or line `n` of a JSON Lines input (as [`Self::line_error`]
    /// says it), that is not UTF-8 text: the message, and with `--format
    /// json` the line and column as fields, as a JSON syntax error has.
    pub fn not_utf8(&self, file: &str, n: Option<usize>, why: &crate::input::NotUtf8) {
        match (self.format, n) {
            (Format::Human, Some(n)) => self.line_error(Code::Json, file, n, &why.to_string()),
            (Format::Human, None) => self.error_in(Code::Json, file, &why.to_string()),
            (Format::Json, _) => self.emit_json(object(&[
                ("severity", json!("error")),
                ("message", json!(why.to_string())),
                ("file", json!(file)),
                ("line", json!(n.unwrap_or(why.line))),
                ("column", json!(why.column)),
                ("code", json!(Code::Json.as_str())),
            ])),
        }
    }

    /// A one-line warning about a whole file or folder.
    pub fn warning_in(&self, code: Code, file: &str, message: &str) {
        match self.format {
            Format::Human => self.emit_in("warning", file, "", message),
            Format::Json => self.emit_json(object(&[
                ("severity", json!("warning")),
                ("message", json!(message)),
                ("file", json!(file)),
                ("code", json!(code.as_str())),
            ])),
        }
    }

    /// Help about a whole input, after the errors it led to: `help: FILE:
    /// ...`; with `--format json`, severity `advice`, as a rule file's
    /// help-only diagnostics have.
    pub fn help_in(&self, code: Code, file: &str, message: &str) {
        match self.format {
            Format::Human => self.emit_in("help", file, "", message),
            Format::Json => self.emit_json(object(&[
                ("severity", json!("advice")),
                ("message", json!(message)),
                ("file", json!(file)),
                ("code", json!(code.as_str())),
            ])),
        }
    }

    /// An error about line `n` of a JSON Lines input: `error: FILE:N: ...`,
    /// as a rule file's errors name their file and line.
    pub fn line_error(&self, code: Code, file: &str, n: usize, message: &str) {
        match self.format {
            Format::Human => self.emit_in("error", file, &format!(":{n}"), message),
            Format::Json => self.emit_json(object(&[
                ("severity", json!("error")),
                ("message", json!(message)),
                ("file", json!(file)),
                ("line", json!(n)),
                ("code", json!(code.as_str())),
            ])),
        }
    }

    /// A problem found in a rule file. In JSON, the one that stands for the
    /// problems of a file past those reported counts them (`more`).
    pub fn problem(&self, file: &SourceFile, problem: &Problem) {
        let more = match problem {
            Problem::Check(CheckError {
                more: Some(more), ..
            }) => json!({"errors": more.errors, "warnings": more.warnings}),
            _ => Json::Null,
        };
        self.diagnostic_with(file, problem.diagnostic(), problem.span(), more);
    }

    /// Any diagnostic whose labels point into `file`; `span` is its main location.
    pub fn diagnostic(&self, file: &SourceFile, diagnostic: &dyn Diagnostic, span: Span) {
        self.diagnostic_with(file, diagnostic, span, Json::Null);
    }

    /// [`Renderer::diagnostic`], with `more` (when not null) in its JSON.
    fn diagnostic_with(
        &self,
        file: &SourceFile,
        diagnostic: &dyn Diagnostic,
        span: Span,
        more: Json,
    ) {
        let (line, column) = judgement_syntax::line_col(&file.text, span.start);
        let severity = match diagnostic.severity() {
            Some(Severity::Warning) => "warning",
            Some(Severity::Advice) => "advice",
            Some(Severity::Error) | None => "error",
        };
        match self.format {
            Format::Json => self.emit_json(object(&[
                ("severity", json!(severity)),
                ("message", json!(diagnostic.to_string())),
                ("file", json!(file.name)),
                ("line", json!(line)),
                ("column", json!(column)),
                ("help", json!(diagnostic.help().map(|h| h.to_string()))),
                ("code", json!(diagnostic.code().map(|c| c.to_string()))),
                ("more", more),
            ])),
            // A snippet of a very long line helps no one, and miette cannot
            // lay out a label past column 65,535: say where, without it.
            Format::Human if longest_line(&file.text, span) > MAX_SNIPPET_LINE => {
                self.emit_line(&format!(
                    "{severity}: {}:{line}:{column}: {diagnostic}\n",
                    printable(&file.name)
                ));
                if let Some(help) = diagnostic.help() {
                    self.emit_line(&format!("  help: {help}\n"));
                }
            }
            Format::Human => {
                let located = Located {
                    inner: diagnostic,
                    source: CharColumns(file),
                };
                let mut text = String::new();
                match self.handler.render_report(&mut text, &located) {
                    // A blank line after each report keeps them apart.
                    Ok(()) => self.emit(&format!("{}\n", text.trim_end())),
                    // A span miette cannot show: say where, without the snippet.
                    Err(fmt::Error) => {
                        self.emit_line(&format!(
                            "{severity}: {}:{line}:{column}: {diagnostic}",
                            printable(&file.name)
                        ));
                    }
                }
            }
        }
    }

    /// A message pointing at a span of a rule or calendar file; `code`
    /// says what kind of problem it is (`test`, `calendar`, `evaluation`),
    /// as `syntax` and `check` do for a rule file's own problems.
    pub fn at(
        &self,
        file: &SourceFile,
        (severity, code): (Severity, Code),
        message: &str,
        label: &str,
        span: Span,
    ) {
        let diagnostic = At {
            message: message.to_string(),
            label: label.to_string(),
            span,
            severity,
            code: code.as_str(),
        };
        self.diagnostic(file, &diagnostic, span);
    }

    /// The problems of one evidence record at JSON paths, each with its
    /// `path`: one screen at most in either format, the rest counted in a
    /// last one, as a rule file's problems past the most shown are (a
    /// record with a hundred thousand undeclared keys printed a line for
    /// each with `--format json`). `line` is the record's line in a JSON
    /// Lines input.
    pub fn evidence_errors(&self, file: &str, line: Option<usize>, errors: &[EvidenceError]) {
        for e in errors.iter().take(MAX_EVIDENCE_ERRORS) {
            match self.format {
                Format::Human => {
                    self.record_problem(Code::Evidence, file, line, &e.to_string(), None)
                }
                Format::Json => {
                    self.record_problem(Code::Evidence, file, line, &e.message, Some(&e.path))
                }
            }
        }
        if let Some(more) = errors
            .len()
            .checked_sub(MAX_EVIDENCE_ERRORS)
            .filter(|n| *n > 0)
        {
            let more = embed::more_problems(more);
            self.record_problem(Code::Evidence, file, line, &more, None);
        }
    }

    /// One problem of an evidence record: `error: FILE[:LINE]: MESSAGE`, or
    /// an object with its `path` where it has one.
    fn record_problem(
        &self,
        code: Code,
        file: &str,
        line: Option<usize>,
        message: &str,
        path: Option<&str>,
    ) {
        match (self.format, line) {
            (Format::Human, Some(n)) => self.line_error(code, file, n, message),
            (Format::Human, None) => self.error_in(code, file, message),
            (Format::Json, _) => {
                let mut o = object(&[("severity", json!("error")), ("message", json!(message))]);
                if let Some(path) = path {
                    o.insert("path".into(), json!(path));
                }
                o.insert("file".into(), json!(file));
                if let Some(n) = line {
                    o.insert("line".into(), json!(n));
                }
                o.insert("code".into(), json!(code.as_str()));
                self.emit_json(o);
            }
        }
    }

    /// An error evaluating one record of `file`. `rules` is the ruleset
    /// the record was evaluated against, for errors that point into it (or
    /// into the definitions it uses).
    pub fn eval_error(
        &self,
        file: &str,
        line: Option<usize>,
        err: &EvalError,
        rules: Option<&Ruleset>,
    ) {
        match err {
            EvalError::Evidence(errors) => self.evidence_errors(file, line, errors),
            // A proposal a judgement needs is a problem at a JSON path too.
            EvalError::MissingProposed { judgement, path } => {
                let error = EvidenceError {
                    path: path.clone(),
                    message: EvalError::missing_proposed_message(judgement),
                };
                self.evidence_errors(file, line, &[error]);
            }
            EvalError::Json {
                line: l,
                column,
                message,
            } => {
                let message = format!("not valid JSON: {message}");
                match (self.format, line) {
                    (Format::Human, Some(n)) => {
                        self.emit_in("error", file, &format!(":{n}:{column}"), &message)
                    }
                    (Format::Human, None) => {
                        self.emit_in("error", file, &format!(":{l}:{column}"), &message)
                    }
                    (Format::Json, _) => self.emit_json(object(&[
                        ("severity", json!("error")),
                        ("message", json!(message)),
                        ("file", json!(file)),
                        ("line", json!(line.unwrap_or(*l))),
                        ("column", json!(column)),
                        ("code", json!(Code::Json.as_str())),
                    ])),
                }
            }
            other => match (
                rules.and_then(|r| SourceFile::of_span(r, r.place_of(other)?)),
                line,
            ) {
                // An error placed only by the rule it arose in, that is at
                // a JSON path of the record too (a working day outside the
                // calendar for an element of a `for each` rule), keeps to
                // the record's file and that path in JSON output, as every
                // problem of a record does; the human report shows the
                // rule as well. One with a span of its own is at it.
                (Some((rules, span)), None)
                    if self.format == Format::Human
                        || other.path().is_none()
                        || other.span().is_some() =>
                {
                    let message = format!("{}: {other}", printable(file));
                    self.at(
                        &rules,
                        (Severity::Error, Code::Evaluation),
                        &message,
                        "while evaluating this",
                        span,
                    );
                }
                _ => self.record_problem(
                    Code::of(other),
                    file,
                    line,
                    &other.to_string(),
                    other.path(),
                ),
            },
        }
    }
}

/// A JSON object of `fields`, leaving out those that are `null` (a
/// diagnostic with no help has no `help`, not `"help": null`).
fn object(fields: &[(&str, Json)]) -> Map<String, Json> {
    fields
        .iter()
        .filter(|(_, v)| !v.is_null())
        .map(|(k, v)| ((*k).to_string(), v.clone()))
        .collect()
}

/// A diagnostic with the source its labels point into, as a terminal is
/// to show it: the file's control characters escaped (`SourceFile::shown`),
/// its labels moved to match, and its message, help and labels' words
/// escaped likewise, as they may quote the file.
struct Located<'a> {
    inner: &'a dyn Diagnostic,
    source: CharColumns<'a>,
}

impl fmt::Debug for Located<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Located")
            .field("inner", &self.inner)
            .finish()
    }
}

impl fmt::Display for Located<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&printable_lines(&self.inner.to_string()))
    }
}

impl std::error::Error for Located<'_> {}

impl Diagnostic for Located<'_> {
    // The code (`check`, `syntax`) goes in the JSON form only: on its own
    // line above the message it reads as noise.
    fn severity(&self) -> Option<Severity> {
        self.inner.severity()
    }
    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        let help = self.inner.help()?.to_string();
        Some(Box::new(printable_lines(&help).into_owned()))
    }
    fn url<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.inner.url()
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let shown = &self.source.0.shown;
        let labels = self.inner.labels()?.map(move |label| {
            let start = shown.shown_offset(label.offset());
            let end = shown.shown_offset(label.offset() + label.len());
            let words = label.label().map(|l| printable_lines(l).into_owned());
            let span = miette::SourceSpan::new(start.into(), end - start);
            if label.primary() {
                LabeledSpan::new_primary_with_span(words, span)
            } else {
                LabeledSpan::new_with_span(words, span)
            }
        });
        Some(Box::new(labels))
    }
    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.source)
    }
}

/// A source whose columns are counted in characters of the file: miette
/// counts bytes, so a line with `é` before the error put the column one
/// further on than the JSON form, editors and the language server do; and
/// it reads the shown text, where an escape is several characters for one.
struct CharColumns<'a>(&'a SourceFile);

impl SourceCode for CharColumns<'_> {
    fn read_span<'a>(
        &'a self,
        span: &miette::SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn miette::SpanContents<'a> + 'a>, miette::MietteError> {
        let contents = self.0.named.read_span(span, before, after)?;
        let text = self.0.text.as_str();
        let offset = self.0.shown.file_offset(contents.span().offset());
        let line_start = text
            .get(..offset)
            .and_then(|t| t.rfind('\n'))
            .map_or(0, |i| i + 1);
        let column = text
            .get(line_start..offset)
            .map_or(contents.column(), |t| t.chars().count());
        let data = contents.data();
        let (span, line, lines) = (*contents.span(), contents.line(), contents.line_count());
        Ok(Box::new(match contents.name() {
            Some(name) => miette::MietteSpanContents::new_named(
                name.to_string(),
                data,
                span,
                line,
                column,
                lines,
            ),
            None => miette::MietteSpanContents::new(data, span, line, column, lines),
        }))
    }
}

/// A message at a span, made up by the CLI (a failed test, an evaluation
/// error in a rule).
#[derive(Debug)]
struct At {
    message: String,
    label: String,
    span: Span,
    severity: Severity,
    code: &'static str,
}

impl fmt::Display for At {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for At {}

impl Diagnostic for At {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(self.code))
    }
    fn severity(&self) -> Option<Severity> {
        Some(self.severity)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(std::iter::once(LabeledSpan::new_with_span(
            Some(self.label.clone()),
            self.span,
        ))))
    }
}
