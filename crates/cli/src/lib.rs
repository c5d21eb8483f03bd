#![doc = include_str!("README.md")]
#![forbid(unsafe_code)]

mod batch;
mod check;
mod coverage;
mod diff;
mod eval;
mod explain;
mod files;
mod fmt;
mod input;
mod load;
mod render;
mod schema;
mod shown;
mod test;

pub use batch::eval_json_lines;

use clap::{Parser, Subcommand};
use render::{Code, Format, Renderer};
use std::io::{self, Write};
use std::num::NonZeroUsize;
use std::path::PathBuf;
use std::process::ExitCode;

/// A rules engine for Ofsted social-care inspection judgement logic.
///
/// Exit codes: 0 success, 1 rule or evidence errors, 2 usage or I/O errors.
#[derive(Debug, Parser)]
#[command(name = "judgement", version, about, long_about = None)]
struct Cli {
    /// How to print diagnostics on stderr: `human` (source snippets) or
    /// `json` (one object per line).
    #[arg(long, global = true, value_enum, default_value_t = Format::Human)]
    format: Format,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Parse, type-check and lint rule files; exit 1 on errors.
    Check {
        /// For CI: exit 1 on warnings too, and count a rule without a
        /// citation as an error.
        #[arg(long)]
        strict: bool,
        /// Rule files, or folders searched for `*.rules` files.
        #[arg(default_value = "rulesets")]
        paths: Vec<PathBuf>,
    },
    /// Evaluate evidence: one JSON object, or JSON Lines in -> JSON Lines out.
    Eval {
        /// A rule file, or a folder of the editions of one ruleset.
        #[arg(long, short)]
        ruleset: PathBuf,
        /// The evidence: a JSON file (one record), a JSON Lines file
        /// (`.jsonl`: one record a line), or `-` for stdin (the default),
        /// which is one document when it has one line or its first line is
        /// a lone `{` or `[` (pretty-printed JSON), and JSON Lines otherwise.
        file: Option<PathBuf>,
        /// How to read the evidence: `auto` (by the file's name, or by the
        /// first line of stdin), `json` (one document) or `jsonl`.
        #[arg(long, value_enum, default_value_t = input::Format::Auto)]
        input: input::Format,
        /// The most bytes one evidence record may take (a document, or one
        /// line of JSON Lines); a longer one is refused.
        #[arg(long, default_value_t = input::MAX_RECORD_BYTES)]
        max_record_bytes: usize,

        /// Include every step of the evaluation in the outcome.
        #[arg(long)]
        trace: bool,
        /// Print each outcome's compact form, for bulk runs: the judgements,
        /// the actions, deadlines and findings without citations or prose,
        /// and the ids of the advisory and undetermined rules; no details
        /// or trace (contracts/compact.schema.json).
        #[arg(long, conflicts_with = "trace")]
        compact: bool,
        /// How many threads evaluate JSON Lines, 1 to 256 (default: the
        /// cores available). The output is the same whatever the number.
        #[arg(long, value_name = "N", value_parser = threads)]
        threads: Option<NonZeroUsize>,
        /// Use this edition rather than the one in force on the evidence date.
        #[arg(long)]
        edition: Option<String>,
        /// Accept evidence keys the ruleset does not declare (listed in the
        /// outcome's `warnings`) instead of refusing the record.
        #[arg(long)]
        allow_unknown_fields: bool,
    },
    /// Explain the outcome for one evidence record in plain English.
    Explain {
        /// A rule file, or a folder of the editions of one ruleset.
        #[arg(long, short)]
        ruleset: PathBuf,
        /// One evidence record (JSON), or `-` for stdin.
        file: PathBuf,
        /// The most bytes one evidence record may take (a document, or one
        /// line of JSON Lines); a longer one is refused.
        #[arg(long, default_value_t = input::MAX_RECORD_BYTES)]
        max_record_bytes: usize,

        /// Use this edition rather than the one in force on the evidence date.
        #[arg(long)]
        edition: Option<String>,
        /// Accept evidence keys the ruleset does not declare (listed in the
        /// outcome's `warnings`) instead of refusing the record.
        #[arg(long)]
        allow_unknown_fields: bool,
        /// Instead of the whole outcome: why a rule did not fire (each part
        /// of its condition, the values it read, and the smallest change of
        /// evidence that would make it fire), or, given `JUDGEMENT=VALUE`,
        /// why a judgement is not that value (the caps and floors that rule
        /// it out). `JUDGEMENT` alone asks about the best value of its scale.
        /// `action:NAME`, `finding:NAME` or `deadline:NAME`: whether it was
        /// given, and why each rule that gives it did or did not fire.
        #[arg(long, value_name = "TARGET")]
        why_not: Option<String>,
        /// With `--why-not`: the answer as JSON.
        #[arg(long, requires = "why_not")]
        json: bool,
    },
    /// Run the tests written in the rule files.
    Test {
        /// Rule files, or folders searched for `*.rules` files.
        #[arg(default_value = "rulesets")]
        paths: Vec<PathBuf>,
        /// Report rule coverage instead of each test: each rule fired and
        /// not fired, each cap and floor bound, each part of a condition
        /// true and false, each threshold's boundary reached.
        #[arg(long)]
        coverage: bool,
        /// With `--coverage`: evidence records to count as well (a folder
        /// searched for `*.json` and `*.jsonl`, or one file); a top-level
        /// `_expect` key is left out.
        #[arg(long, value_name = "DIR", requires = "coverage")]
        corpus: Option<PathBuf>,
        /// With `--coverage`: the report as JSON.
        #[arg(long, requires = "coverage")]
        json: bool,
        /// With `--coverage`: exit 1 when rule coverage (the rules that
        /// fired at least once, over all the files) is below N percent.
        #[arg(long, value_name = "N", requires = "coverage", value_parser = percent)]
        min: Option<f64>,
    },
    /// Rewrite rule files in the canonical layout (comments are kept).
    Fmt {
        /// Only list the files not in the canonical layout; exit 1 if any.
        #[arg(long)]
        check: bool,
        /// Rule files, or folders searched for `*.rules` files.
        #[arg(default_value = "rulesets")]
        paths: Vec<PathBuf>,
    },
    /// Which cases of a corpus change outcome between two versions of a
    /// ruleset, and the rules behind each change.
    ///
    /// First the editions added, removed or in force over another period;
    /// the thresholds, lets, rules (added, removed, doing something else,
    /// or cited anew), the header's `as at` and `evaluated on`, scales,
    /// choices, fields, judgements and `invalid` checks the two versions
    /// define differently; and what their calendars
    /// hold differently (years, each holiday by date). Then each changed
    /// case, then a summary: the cases compared and changed, and the changed
    /// cases by judgement and by rule. Exits 1 when
    /// any case changes or cannot be evaluated, 0 when none changes (like
    /// `git diff --exit-code`).
    Diff {
        /// The ruleset before the change (a rule file or a folder of editions).
        #[arg(long)]
        before: PathBuf,
        /// The ruleset after the change.
        #[arg(long)]
        after: PathBuf,
        /// Evaluate every case with this edition of the ruleset before the
        /// change, rather than the one in force on its date: to compare two
        /// editions over the same cases (`--before-edition 2015-04
        /// --after-edition 2016-01`).
        #[arg(long)]
        before_edition: Option<String>,
        /// Evaluate every case with this edition of the ruleset after the
        /// change, rather than the one in force on its date.
        #[arg(long)]
        after_edition: Option<String>,
        /// A folder (searched recursively for `*.json` and `*.jsonl` files,
        /// in name order), one JSON record, or a JSON Lines file. A record's
        /// top-level `_expect` key (the expectations of the fixtures in
        /// tests/fixtures/eval) is not evidence and is left out.
        corpus: PathBuf,
        /// One JSON line per changed case instead of text, then one line
        /// `{"summary": ..., "definitions": [...], "failed_cases": [...]}`
        /// (each case that could not be evaluated: `case`, `by` (`before`,
        /// `after`, `both`, or `input` for a record not read) and `error`).
        #[arg(long)]
        json: bool,
        /// Accept evidence keys the ruleset does not declare (listed in the
        /// outcome's `warnings`) instead of refusing the record.
        #[arg(long)]
        allow_unknown_fields: bool,
        /// The most bytes one evidence record may take (a document, or one
        /// line of JSON Lines); a longer one is a case that cannot be
        /// evaluated.
        #[arg(long, default_value_t = input::MAX_RECORD_BYTES)]
        max_record_bytes: usize,
    },
    /// Print the evidence JSON Schema of a ruleset.
    Schema {
        /// A rule file, or a folder of the editions of one ruleset.
        #[arg(long, short)]
        ruleset: PathBuf,
        /// The edition (default: the newest).
        #[arg(long)]
        edition: Option<String>,
        /// Leave every object open to keys the ruleset does not declare
        /// (`additionalProperties` is not set to false).
        #[arg(long)]
        allow_unknown_fields: bool,
    },
}

/// The most workers `--threads` may ask for. Each holds up to two chunks
/// of lines in flight, and the system refuses threads long before a
/// number this command could use.
pub(crate) const MOST_THREADS: usize = 256;

/// `--threads N`: a whole number, from 1 to [`MOST_THREADS`].
fn threads(text: &str) -> Result<NonZeroUsize, String> {
    let n: usize = text.parse().map_err(|e| format!("{e}"))?;
    if n > MOST_THREADS {
        return Err(format!("at most {MOST_THREADS} threads"));
    }
    NonZeroUsize::new(n).ok_or_else(|| "at least one thread is needed".into())
}

/// `--min N`: a percentage, from 0 to 100.
fn percent(text: &str) -> Result<f64, String> {
    let n: f64 = text
        .parse()
        .map_err(|_| format!("`{text}` is not a number"))?;
    if (0.0..=100.0).contains(&n) {
        Ok(n)
    } else {
        Err("a percentage from 0 to 100".into())
    }
}

/// Why a command did not succeed.
#[derive(Debug)]
pub(crate) enum Failure {
    /// Rule or evidence errors, already reported: exit 1.
    Problems,
    /// A usage error, to report in one line: exit 2.
    Usage(String),
    /// A file that cannot be read or written, to report in one line: exit 2.
    Io(String),
    /// A file that is not text, to report in one line with where (the
    /// line and column of the first byte that is not): exit 2.
    IoAt {
        message: String,
        file: String,
        line: usize,
        column: usize,
    },
    /// `--edition` names no edition of the ruleset, to report in one line:
    /// exit 2, as a usage error.
    Edition(String),
    /// A record refused before it could be read (one longer than the
    /// limit), to report in one line: exit 1, as for any record refused.
    Refused(String),
    /// Writing the output failed (a closed pipe ends quietly).
    Output(io::Error),
}

impl Failure {
    /// Report a failure told in one line on stderr, with its kind and,
    /// where it has one, its place; whether there was one to tell (not
    /// problems reported already, nor output that could not be written).
    pub(crate) fn report(&self, r: &Renderer) -> bool {
        match self {
            Failure::Usage(message) => r.error(Code::Usage, message),
            Failure::Io(message) => r.error(Code::Io, message),
            Failure::IoAt {
                message,
                file,
                line,
                column,
            } => r.error_at(Code::Io, file, (*line, *column), message),
            Failure::Edition(message) => r.error(Code::Edition, message),
            Failure::Refused(message) => r.error(Code::Evidence, message),
            Failure::Problems | Failure::Output(_) => return false,
        }
        true
    }
}

impl From<io::Error> for Failure {
    fn from(e: io::Error) -> Failure {
        Failure::Output(e)
    }
}

impl Failure {
    /// The output could not be written after `problems` were reported (or
    /// found): a reader that goes away early must not turn a failing run
    /// into a passing one.
    pub(crate) fn after(self, problems: bool) -> Failure {
        match self {
            Failure::Output(e) if problems && e.kind() == io::ErrorKind::BrokenPipe => {
                Failure::Problems
            }
            other => other,
        }
    }
}

pub(crate) type Outcome = Result<(), Failure>;

/// The `judgement` command: read the arguments of this process, run the
/// command, and give the exit code (0 success, 1 rule or evidence errors,
/// 2 usage or I/O errors). The `judgement` binary of the root package is
/// this function and nothing else.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return usage(&e),
    };
    let renderer = Renderer::new(cli.format);
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let result = run(cli.command, &mut out, &renderer);
    let flushed = out.flush().map_err(Failure::Output);
    match result.and(flushed) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Problems) => ExitCode::from(1),
        Err(failure @ Failure::Refused(_)) => {
            failure.report(&renderer);
            ExitCode::from(1)
        }
        Err(
            failure @ (Failure::Usage(_)
            | Failure::Io(_)
            | Failure::IoAt { .. }
            | Failure::Edition(_)),
        ) => {
            failure.report(&renderer);
            ExitCode::from(2)
        }
        Err(Failure::Output(e)) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(Failure::Output(e)) => {
            renderer.error(Code::Io, &format!("cannot write the output: {e}"));
            ExitCode::from(2)
        }
    }
}

/// Arguments that do not parse: help and the version are printed as clap
/// prints them (exit 0); an error is printed as clap words it (exit 2), as
/// one JSON object on stderr where the arguments ask for `--format json`,
/// so that a tool reading diagnostics as JSON reads this one too.
fn usage(e: &clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    if matches!(
        e.kind(),
        ErrorKind::DisplayHelp
            | ErrorKind::DisplayVersion
            | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    ) {
        let _ = e.print();
        return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
    }
    let args: Vec<String> = std::env::args().skip(1).collect();
    let tip = ruleset_tip(e, &args);
    if json_asked(args.iter().cloned()) {
        let mut message = usage_message(&e.to_string());
        if let Some(tip) = &tip {
            message.push_str("; ");
            message.push_str(tip);
        }
        Renderer::new(Format::Json).error(Code::Usage, &message);
    } else if let Some(tip) = tip {
        // After clap's error and what it says under it, before the usage.
        let text = e.to_string();
        let (error, rest) = text.split_once("\n\nUsage:").unwrap_or((text.as_str(), ""));
        eprint!("{error}\n\n{tip}\n");
        if !rest.is_empty() {
            eprint!("\nUsage:{rest}");
        }
    } else {
        let _ = e.print();
    }
    ExitCode::from(2)
}

/// A ruleset given where `--ruleset` was wanted (`judgement eval
/// rulesets/childrens_homes record.json`), which clap refuses as an
/// argument too many or answers by asking for `--ruleset`: a tip that names
/// it so, with the command written again.
fn ruleset_tip(e: &clap::Error, args: &[String]) -> Option<String> {
    use clap::error::ErrorKind;
    if !matches!(
        e.kind(),
        ErrorKind::UnknownArgument | ErrorKind::MissingRequiredArgument
    ) {
        return None;
    }
    let command = args
        .iter()
        .position(|a| matches!(a.as_str(), "eval" | "explain" | "schema"))?;
    let after = args.get(command + 1..)?;
    if after.iter().any(|a| {
        a == "-r" || a == "--ruleset" || a.starts_with("--ruleset=") || a.starts_with("-r=")
    }) {
        return None;
    }
    let at = after.iter().position(|a| {
        !a.starts_with('-')
            && (a.ends_with(".rules") || std::path::Path::new(a).is_dir())
            && !a.ends_with(".json")
            && !a.ends_with(".jsonl")
    })?;
    let ruleset = after.get(at)?;
    let mut written: Vec<&str> = args.iter().map(String::as_str).collect();
    written.insert(command + 1 + at, "--ruleset");
    Some(format!(
        "tip: `{ruleset}` is a ruleset: name it with `--ruleset`, as in `judgement {}`",
        written.join(" ")
    ))
}

/// clap's words for a usage error on one line, for `--format json`: the
/// error and what clap says under it (the arguments missing, the values
/// allowed, a tip), without the usage line and the pointer to `--help`
/// that follow. Lines of one paragraph are joined by a space, paragraphs
/// by "; ".
fn usage_message(text: &str) -> String {
    let mut paragraphs: Vec<String> = Vec::new();
    let mut open = false;
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with("Usage:") || line.starts_with("For more information") {
            break;
        }
        if line.is_empty() {
            open = false;
            continue;
        }
        let line = line.strip_prefix("error: ").unwrap_or(line);
        match paragraphs.last_mut() {
            Some(last) if open => {
                last.push(' ');
                last.push_str(line);
            }
            _ => paragraphs.push(line.to_string()),
        }
        open = true;
    }
    paragraphs.join("; ")
}

/// Whether the arguments ask for diagnostics as JSON (`--format json` or
/// `--format=json`), read without clap, which could not read them.
fn json_asked(args: impl Iterator<Item = String>) -> bool {
    let mut previous = None;
    for arg in args {
        if arg == "--format=json" || (previous.as_deref() == Some("--format") && arg == "json") {
            return true;
        }
        previous = Some(arg);
    }
    false
}

fn run(command: Command, out: &mut dyn Write, r: &Renderer) -> Outcome {
    match command {
        Command::Check { strict, paths } => check::run(&paths, strict, out, r),
        Command::Eval {
            ruleset,
            file,
            trace,
            edition,
            allow_unknown_fields,
            input,
            max_record_bytes,
            compact,
            threads,
        } => eval::run(
            &eval::Args {
                ruleset,
                file,
                trace,
                edition,
                allow_unknown_fields,
                input,
                max_record_bytes,
                threads,
                compact,
            },
            out,
            r,
        ),
        Command::Explain {
            ruleset,
            file,
            edition,
            allow_unknown_fields,
            max_record_bytes,
            why_not,
            json,
        } => explain::run(
            &explain::Args {
                ruleset: &ruleset,
                file: &file,
                edition: edition.as_deref(),
                allow_unknown_fields,
                max_record_bytes,
                why_not: why_not.as_deref(),
                json,
            },
            out,
            r,
        ),
        Command::Test {
            paths,
            coverage: true,
            corpus,
            json,
            min,
        } => coverage::run(
            &coverage::Args {
                paths,
                corpus,
                json,
                min,
            },
            out,
            r,
        ),
        Command::Test { paths, .. } => test::run(&paths, out, r),
        Command::Fmt { check, paths } => fmt::run(&paths, check, out, r),
        Command::Diff {
            before,
            after,
            before_edition,
            after_edition,
            corpus,
            json,
            allow_unknown_fields,
            max_record_bytes,
        } => diff::run(
            &diff::Args {
                before,
                after,
                before_edition,
                after_edition,
                corpus,
                json,
                allow_unknown_fields,
                max_record_bytes,
            },
            out,
            r,
        ),
        Command::Schema {
            ruleset,
            edition,
            allow_unknown_fields,
        } => schema::run(&ruleset, edition.as_deref(), allow_unknown_fields, out, r),
    }
}
