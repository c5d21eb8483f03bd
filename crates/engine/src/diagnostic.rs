//! Problems found while checking a ruleset, and the errors of loading one.

use judgement_syntax::{Span, SyntaxError};
use miette::{Diagnostic, LabeledSpan, Severity};
use std::path::PathBuf;

/// A problem `judgement check` reports: an error or a warning, with a span.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct CheckError {
    pub message: String,
    pub span: Span,
    pub label: String,
    pub help: Option<String>,
    pub warning: bool,
    /// The lint a warning comes from, for callers that treat some as errors
    /// (`judgement check --strict`).
    pub lint: Option<Lint>,
    /// The last problem of a file with more than are reported, standing
    /// for those left out: how many errors and warnings they are (an error
    /// when any of them is one, a warning otherwise), for a caller that
    /// counts them. Boxed: almost no problem has it.
    pub more: Option<Box<More>>,
}

/// The problems of a file left out of the report, counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct More {
    pub errors: usize,
    pub warnings: usize,
    /// Of the warnings, those of rules without a citation
    /// ([`Lint::MissingCitation`]), which `check --strict` counts as errors.
    pub missing_citations: usize,
}

impl More {
    /// `and 3 more errors and 1 more warning in this file`.
    pub fn message(&self) -> String {
        let counted = |n: usize, what: &str| match n {
            1 => format!("1 more {what}"),
            n => format!("{n} more {what}s"),
        };
        let counts = match (self.errors, self.warnings) {
            (0, w) => counted(w, "warning"),
            (e, 0) => counted(e, "error"),
            (e, w) => format!("{} and {}", counted(e, "error"), counted(w, "warning")),
        };
        format!("and {counts} in this file")
    }

    /// The same problems with the missing citations counted as errors, as
    /// `check --strict` counts them.
    pub fn strictly(&self) -> More {
        More {
            errors: self.errors + self.missing_citations,
            warnings: self.warnings.saturating_sub(self.missing_citations),
            missing_citations: 0,
        }
    }

    /// The problem that stands for these, at `span`: an error when any of
    /// them is one, so that warnings past the limit do not stop a ruleset
    /// that checks from loading.
    pub fn problem(&self, span: Span) -> CheckError {
        let problem = if self.errors == 0 {
            CheckError::warning(self.message(), span, "the next one is here")
        } else {
            CheckError::error(self.message(), span, "the next one is here")
        };
        CheckError {
            more: Some(Box::new(*self)),
            ..problem.with_help("mend those shown, then check again")
        }
    }
}

/// The warnings that callers may want to tell apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Lint {
    /// A rule with no citation.
    MissingCitation,
}

impl CheckError {
    pub fn error(message: impl Into<String>, span: Span, label: impl Into<String>) -> CheckError {
        CheckError {
            message: message.into(),
            span,
            label: label.into(),
            help: None,
            warning: false,
            lint: None,
            more: None,
        }
    }

    pub fn warning(message: impl Into<String>, span: Span, label: impl Into<String>) -> CheckError {
        CheckError {
            warning: true,
            ..CheckError::error(message, span, label)
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> CheckError {
        self.help = Some(help.into());
        self
    }

    pub fn with_lint(mut self, lint: Lint) -> CheckError {
        self.lint = Some(lint);
        self
    }
}

impl Diagnostic for CheckError {
    fn code<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        Some(Box::new("check"))
    }

    fn severity(&self) -> Option<Severity> {
        Some(if self.warning {
            Severity::Warning
        } else {
            Severity::Error
        })
    }

    fn help<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h.clone()) as Box<dyn std::fmt::Display>)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(std::iter::once(LabeledSpan::new_with_span(
            Some(self.label.clone()),
            self.span,
        ))))
    }
}

/// Any problem in a rule file: a syntax error or a check error or warning.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Problem {
    #[error(transparent)]
    Syntax(#[from] SyntaxError),
    #[error(transparent)]
    Check(#[from] CheckError),
}

impl Problem {
    pub fn is_error(&self) -> bool {
        match self {
            Problem::Syntax(_) => true,
            Problem::Check(c) => !c.warning,
        }
    }

    pub fn span(&self) -> Span {
        match self {
            Problem::Syntax(s) => s.span(),
            Problem::Check(c) => c.span,
        }
    }

    /// The same problem with its span moved by `f` (from the span space a
    /// ruleset shares with its definitions to one file's own text).
    pub fn map_span(self, f: impl Fn(Span) -> Span) -> Problem {
        match self {
            Problem::Syntax(s) => Problem::Syntax(s.map_span(f)),
            Problem::Check(c) => Problem::Check(CheckError {
                span: f(c.span),
                ..c
            }),
        }
    }

    /// The diagnostic to render.
    pub fn diagnostic(&self) -> &(dyn Diagnostic + Send + Sync + 'static) {
        match self {
            Problem::Syntax(s) => s,
            Problem::Check(c) => c,
        }
    }
}

/// Loading a ruleset failed, or succeeded with warnings: the problems of each
/// file with its text, so that a caller can render them.
#[derive(Debug, Clone, thiserror::Error)]
pub enum LoadError {
    #[error("cannot read `{path}`: {message}")]
    Io { path: PathBuf, message: String },
    /// A file that is not UTF-8 text: where, as evidence that is not is
    /// located, the line and column (in characters) of the first byte that
    /// is not, and that byte counted from 1.
    #[error("cannot read `{path}`: it is not UTF-8 text at line {line}, column {column} (byte {byte} is not)")]
    NotText {
        path: PathBuf,
        line: usize,
        column: usize,
        byte: usize,
    },
    #[error("`{path}` has errors")]
    Invalid {
        files: Vec<FileProblems>,
        path: PathBuf,
    },
    #[error("no rule files (`*.rules`) in `{path}`")]
    Empty { path: PathBuf },
    #[error("{message}")]
    Editions { path: PathBuf, message: String },
    /// A calendar file that does not read: each problem with its line and
    /// column ([`crate::calendar::CalendarError::position`]).
    #[error("`{path}` is not a calendar: {}", .errors.first().map(ToString::to_string).unwrap_or_default())]
    Calendar {
        path: PathBuf,
        /// The file's text, which the positions point into.
        text: String,
        errors: Vec<crate::calendar::CalendarError>,
    },
    /// A file (or a folder of them) of definitions where a ruleset was asked for.
    #[error("`{path}` holds definitions for rulesets to use, not a ruleset: name a ruleset's file or its folder of editions")]
    NotARuleset { path: PathBuf },
}

/// The problems found in one file, with spans of that file's text.
#[derive(Debug, Clone)]
pub struct FileProblems {
    pub path: PathBuf,
    pub source: String,
    pub problems: Vec<Problem>,
}

impl Diagnostic for Problem {
    fn code<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        self.diagnostic().code()
    }

    fn severity(&self) -> Option<Severity> {
        self.diagnostic().severity()
    }

    fn help<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        self.diagnostic().help()
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        self.diagnostic().labels()
    }
}
