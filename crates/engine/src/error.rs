//! Errors of evaluating one evidence record.

use crate::calendar::CalendarError;
use crate::evidence::EvidenceError;
use judgement_syntax::Span;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EvalError {
    #[error("not valid JSON (line {line}, column {column}): {message}")]
    Json {
        line: usize,
        column: usize,
        message: String,
    },
    #[error("{}", list(.0))]
    Evidence(Vec<EvidenceError>),
    #[error(
        "no edition of `{ruleset}` is in force on {date} ({field}); the editions cover {editions}"
    )]
    NoEdition {
        ruleset: String,
        field: String,
        date: String,
        editions: String,
    },
    #[error("judgement `{judgement}` has a floor above its cap: `{floor_rule}` says {floor} but `{cap_rule}` says {cap}")]
    Conflict {
        judgement: String,
        floor: String,
        floor_rule: String,
        cap: String,
        cap_rule: String,
    },
    #[error("{path}: required for the judgement `{judgement}` at this inspection, but missing")]
    MissingProposed { judgement: String, path: String },
    #[error("whether the judgement `{judgement}` applies depends on evidence that is not known")]
    UnknownApplicability { judgement: String },
    #[error(transparent)]
    Calendar(#[from] CalendarError),
    /// A calendar's error met in a let or rule, named: which count of
    /// working days left the calendar's years.
    #[error("{error} (in `{within}`{})", element(at))]
    CalendarWithin {
        error: CalendarError,
        within: String,
        /// The element of a `for each` rule it arose for.
        at: Option<Box<ElementAt>>,
    },
    #[error("the ruleset counts working days but names no calendar")]
    NoCalendar,
    #[error("a date or number computed here is out of range{}", within(rule, at))]
    DateOutOfRange {
        span: Span,
        rule: Option<String>,
        /// As for [`EvalError::CalendarWithin`].
        at: Option<Box<ElementAt>>,
    },
    #[error("a value that may be none was used without a test that it is set")]
    NoneReached { span: Span },
    #[error("a span ends ({end}) before it starts ({start})")]
    SpanBackwards {
        start: String,
        end: String,
        span: Span,
    },
    #[error(
        "the window `{deadline}`{} ends ({to}) before it starts ({from})",
        for_item(item)
    )]
    WindowBackwards {
        deadline: String,
        /// The element of a `for each` rule it was made for.
        item: Option<String>,
        from: String,
        to: String,
        span: Span,
    },
    #[error(
        "the target of `{deadline}`{} ({target}) is not within it: {allowed}",
        for_item(item)
    )]
    TargetOutside {
        deadline: String,
        /// The element of a `for each` rule it was made for.
        item: Option<String>,
        target: String,
        /// The deadline's day, or its window, in words.
        allowed: String,
        span: Span,
    },
    #[error("a sequence of dates here would have more than {limit} dates")]
    SequenceTooLong { limit: usize, span: Span },
    /// The elements read by quantifiers and aggregates inside another
    /// binder, for one record, passed the most allowed: a list read once
    /// for each element of another (or of itself) that no index answers.
    /// `span`, the quantifier or aggregate that passed it, and `list`, its
    /// list's JSON path where it is evidence, are filled in where it is
    /// met.
    #[error("{}", nested_reads(*limit, list))]
    TooManyNestedReads {
        limit: u64,
        list: Option<String>,
        span: Option<Span>,
    },
    #[error("internal error: {0}; this is a bug in judgement")]
    Internal(&'static str),
}

fn nested_reads(limit: u64, list: &Option<String>) -> String {
    let list = list
        .as_ref()
        .map(|l| format!("`{l}`"))
        .unwrap_or_else(|| "a list".to_string());
    format!(
        "this record's lists are too long to read one inside another: reading {list} here, once for each element of another list, would read more than {limit} elements in all"
    )
}

fn for_item(item: &Option<String>) -> String {
    item.as_ref()
        .map(|i| format!(" for item {i:?}"))
        .unwrap_or_default()
}

fn within(rule: &Option<String>, at: &Option<Box<ElementAt>>) -> String {
    rule.as_ref()
        .map(|r| format!(" (in `{r}`{})", element(at)))
        .unwrap_or_default()
}

/// ` for item "cn1", at compliance_notices[1]`: the element of a `for each`
/// rule an error arose for, where there is one.
fn element(at: &Option<Box<ElementAt>>) -> String {
    let Some(at) = at else {
        return String::new();
    };
    let mut text = for_item(&at.item);
    if let Some(p) = &at.path {
        text.push_str(&format!(", at {p}"));
    }
    text
}

/// The element of a `for each` rule an error arose for: its id, and where
/// the list is evidence, its JSON path (`compliance_notices[1]`). Boxed in
/// the errors that carry it, as few do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ElementAt {
    pub item: Option<String>,
    pub path: Option<String>,
}

fn list(errors: &[EvidenceError]) -> String {
    let lines: Vec<String> = errors.iter().map(ToString::to_string).collect();
    lines.join("\n")
}

impl EvalError {
    /// What [`EvalError::MissingProposed`] says of its path: the message
    /// of the evidence error it is where a record misses several proposals,
    /// and as the command line shows it.
    pub fn missing_proposed_message(judgement: &str) -> String {
        format!("required for the judgement `{judgement}` at this inspection, but missing")
    }

    /// The same error, naming the rule or let it arose in if it does not
    /// already.
    #[cold]
    #[inline(never)]
    pub(crate) fn within(self, name: &str) -> EvalError {
        self.within_element(name, None, None)
    }

    /// A date or number computed at `span` out of range, not yet named by
    /// the rule or let it arose in.
    pub(crate) fn out_of_range(span: Span) -> EvalError {
        EvalError::DateOutOfRange {
            span,
            rule: None,
            at: None,
        }
    }

    /// [`EvalError::within`], for the element of a `for each` rule with
    /// id `item`, at `path` in the evidence where its list is a field.
    #[cold]
    #[inline(never)]
    pub(crate) fn within_element(
        self,
        name: &str,
        item: Option<String>,
        path: Option<String>,
    ) -> EvalError {
        let at = (item.is_some() || path.is_some()).then(|| Box::new(ElementAt { item, path }));
        match self {
            EvalError::DateOutOfRange {
                span, rule: None, ..
            } => EvalError::DateOutOfRange {
                span,
                rule: Some(name.to_string()),
                at,
            },
            EvalError::Calendar(error) => EvalError::CalendarWithin {
                error,
                within: name.to_string(),
                at,
            },
            other => other,
        }
    }

    /// The JSON path in the evidence this error is at, where it is at one
    /// of its own: a missing proposal's, or that of the element of a `for
    /// each` rule it arose for, where its list is evidence. (An `Evidence`
    /// list holds a path for each of its errors.)
    pub fn path(&self) -> Option<&str> {
        match self {
            EvalError::MissingProposed { path, .. } => Some(path),
            EvalError::TooManyNestedReads { list, .. } => list.as_deref(),
            EvalError::CalendarWithin { at, .. } | EvalError::DateOutOfRange { at, .. } => {
                at.as_ref()?.path.as_deref()
            }
            _ => None,
        }
    }

    /// The span in the rule file this error points at, if any.
    pub fn span(&self) -> Option<Span> {
        match self {
            EvalError::DateOutOfRange { span, .. }
            | EvalError::NoneReached { span }
            | EvalError::SpanBackwards { span, .. }
            | EvalError::WindowBackwards { span, .. }
            | EvalError::TargetOutside { span, .. }
            | EvalError::SequenceTooLong { span, .. } => Some(*span),
            EvalError::TooManyNestedReads { span, .. } => *span,
            _ => None,
        }
    }
}

/// Evaluation keeps its errors boxed (`eval::Fallible`); a calendar's error
/// boxes the same way.
impl From<CalendarError> for Box<EvalError> {
    fn from(e: CalendarError) -> Box<EvalError> {
        Box::new(EvalError::Calendar(e))
    }
}
