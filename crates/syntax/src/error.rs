//! Errors found while reading a rule file. They carry byte spans; the CLI
//! renders them with the source.

use crate::span::Span;
use crate::suggest::nearest;
use miette::{Diagnostic, LabeledSpan};

/// The largest rule file read, in bytes.
pub const MAX_SOURCE_BYTES: usize = 1 << 20;
/// The deepest nesting of brackets (and operators) in one expression.
pub const MAX_NESTING: usize = 64;
/// The most operands in one expression (`a and b and ...`).
pub const MAX_OPERANDS: usize = 256;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SyntaxError {
    #[error("expected {expected}, found {found}")]
    Unexpected {
        expected: String,
        found: String,
        span: Span,
    },
    /// What English, a form or another language writes where a rule file
    /// writes otherwise (`lm is one of a, b`, `lm is below good`, `requires
    /// improvement`, `2020/1/5`), named whole: what to write instead.
    #[error("expected {expected}, found {found}")]
    Phrased {
        expected: String,
        found: String,
        help: String,
        span: Span,
    },
    #[error("`{text}` is not a date")]
    InvalidDate { text: String, span: Span },
    #[error("{what} is written twice")]
    Repeated {
        what: String,
        help: String,
        span: Span,
    },
    #[error("`{text}` is not a time")]
    InvalidTime { text: String, span: Span },
    #[error("`{text}` is too large a number")]
    NumberTooLarge { text: String, span: Span },
    #[error("the rule file is {size} bytes, more than the limit of {limit}")]
    TooLarge { size: usize, limit: usize },
    #[error("this is nested more than {limit} deep")]
    TooDeep { limit: usize, span: Span },
    #[error("this expression has more than {limit} operands")]
    TooLong { limit: usize, span: Span },
    #[error("the parser met a shape it does not know (`{rule}`)")]
    Internal { rule: String, span: Span },
    /// After the most syntax errors a file reports, the next one found:
    /// there are more, not counted (each is found by reading the rest of
    /// the file again).
    #[error("and more syntax errors after these")]
    More { span: Span },
}

impl SyntaxError {
    pub fn span(&self) -> Span {
        match self {
            SyntaxError::Unexpected { span, .. }
            | SyntaxError::Phrased { span, .. }
            | SyntaxError::InvalidDate { span, .. }
            | SyntaxError::InvalidTime { span, .. }
            | SyntaxError::Repeated { span, .. }
            | SyntaxError::NumberTooLarge { span, .. }
            | SyntaxError::TooDeep { span, .. }
            | SyntaxError::TooLong { span, .. }
            | SyntaxError::Internal { span, .. }
            | SyntaxError::More { span } => *span,
            SyntaxError::TooLarge { .. } => Span::default(),
        }
    }

    /// The same error with its span moved by `f` (from one span space to
    /// another: a file's own offsets, or a ruleset's shared ones).
    pub fn map_span(self, f: impl Fn(Span) -> Span) -> SyntaxError {
        match self {
            SyntaxError::Unexpected {
                expected,
                found,
                span,
            } => SyntaxError::Unexpected {
                expected,
                found,
                span: f(span),
            },
            SyntaxError::Phrased {
                expected,
                found,
                help,
                span,
            } => SyntaxError::Phrased {
                expected,
                found,
                help,
                span: f(span),
            },
            SyntaxError::InvalidDate { text, span } => SyntaxError::InvalidDate {
                text,
                span: f(span),
            },
            SyntaxError::InvalidTime { text, span } => SyntaxError::InvalidTime {
                text,
                span: f(span),
            },
            SyntaxError::Repeated { what, help, span } => SyntaxError::Repeated {
                what,
                help,
                span: f(span),
            },
            SyntaxError::NumberTooLarge { text, span } => SyntaxError::NumberTooLarge {
                text,
                span: f(span),
            },
            SyntaxError::TooDeep { limit, span } => SyntaxError::TooDeep {
                limit,
                span: f(span),
            },
            SyntaxError::TooLong { limit, span } => SyntaxError::TooLong {
                limit,
                span: f(span),
            },
            SyntaxError::Internal { rule, span } => SyntaxError::Internal {
                rule,
                span: f(span),
            },
            SyntaxError::More { span } => SyntaxError::More { span: f(span) },
            SyntaxError::TooLarge { .. } => self,
        }
    }

    fn label(&self) -> &'static str {
        match self {
            SyntaxError::Unexpected { found, .. } if found == crate::parse::UNCLOSED_STRING => {
                "the string starts here"
            }
            SyntaxError::Unexpected { .. } | SyntaxError::Phrased { .. } => "not expected here",
            SyntaxError::InvalidDate { .. } => "no such day",
            SyntaxError::InvalidTime { .. } => "no such time",
            SyntaxError::Repeated { .. } => "again here",
            SyntaxError::NumberTooLarge { .. } => "too large",
            SyntaxError::TooLarge { .. } => "file too large",
            SyntaxError::TooDeep { .. } => "too deep",
            SyntaxError::TooLong { .. } => "too long",
            SyntaxError::Internal { .. } => "here",
            SyntaxError::More { .. } => "the next one is here",
        }
    }
}

impl Diagnostic for SyntaxError {
    fn code<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        Some(Box::new("syntax"))
    }

    fn help<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        let help = match self {
            SyntaxError::Unexpected {
                found, expected, ..
            } => return unexpected_help(found, expected),
            SyntaxError::InvalidDate { .. } => "dates are written YYYY-MM-DD and must exist",
            SyntaxError::InvalidTime { .. } => {
                "times are written HH:MM (24-hour), and date-times YYYY-MM-DDTHH:MM"
            }
            SyntaxError::NumberTooLarge { .. } => {
                "a number in a rule file is a whole number of at most 1000000000"
            }
            SyntaxError::TooDeep { .. } => "split the expression with `let`",
            SyntaxError::TooLong { .. } => "split the expression with `let`",
            SyntaxError::Repeated { help, .. } | SyntaxError::Phrased { help, .. } => {
                return Some(Box::new(help.clone()))
            }
            SyntaxError::Internal { .. } => "this is a bug in judgement; please report it",
            SyntaxError::More { .. } => "mend those shown, then check again",
            _ => return None,
        };
        Some(Box::new(help))
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let span = self.span();
        Some(Box::new(std::iter::once(LabeledSpan::new_with_span(
            Some(self.label().to_string()),
            span,
        ))))
    }
}

/// Whether `word` starts a hard effect after `then` (`then finding late`,
/// `then optional deadline ...`): one of the parser's `EFFECT_LEADS`, but
/// not `no` (`then no judgement`), which also starts a condition's `no x
/// in xs satisfies ...`, as a line missing its `and` would.
fn is_effect_word(word: &str) -> bool {
    word != "no" && crate::parse::EFFECT_LEADS.contains(&word)
}

/// Advice for the text found where the parse stopped (`found` is that text in
/// backticks): straight quotes for typographic ones, that a reserved word
/// cannot be a name where a name was `expected`, and the keyword a misspelt
/// word is nearest to.
/// How working days are written, for a duration written in other words.
const WORKING_DAYS: &str = "days other than weekends and bank holidays are written `working days` (`10 working days`), counted on the ruleset's calendar";

fn unexpected_help<'a>(found: &'a str, expected: &str) -> Option<Box<dyn std::fmt::Display + 'a>> {
    if found == crate::parse::UNCLOSED_STRING {
        return Some(Box::new(
            "add a `\"` where the text ends: a string is closed on the line it starts",
        ));
    }
    if found == "a carriage return alone" {
        return Some(Box::new(
            "a carriage return alone ends a line for some editors and not for others: save the file with LF (or CRLF) line ends",
        ));
    }
    let text = found.strip_prefix('`')?.strip_suffix('`')?;
    // An operator of another language (`==`, `&&`): the one written here.
    if let Some((_, ours, how)) = crate::parse::FOREIGN_OPERATORS
        .iter()
        .find(|(op, _, _)| *op == text)
    {
        return Some(Box::new(format!(
            "did you mean `{ours}`? In a rule file {how}"
        )));
    }
    if text.contains(['\u{201c}', '\u{201d}', '\u{2018}', '\u{2019}']) {
        return Some(Box::new("use straight quotes `\"`"));
    }
    let end = text
        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(text.len());
    let word = text.get(..end)?;
    // What other languages write where this one writes otherwise.
    if text.starts_with("//") || text == "--" {
        return Some(Box::new(
            "a comment starts with `#` and runs to the end of its line",
        ));
    }
    if text.starts_with(';') {
        return Some(Box::new("a clause ends with its line: no `;` is written"));
    }
    if text.starts_with('\'') {
        // `'2020-01-05'`: a date, which takes no quotes.
        let inner = text.trim_matches(|c| c == '\'' || c == ',' || c == ')');
        if chrono::NaiveDate::parse_from_str(inner, "%Y-%m-%d").is_ok() {
            // "Did you mean" only of the text underlined, for the quick fix.
            return Some(Box::new(if text == format!("'{inner}'") {
                format!("did you mean `{inner}`? A date is written without quotes")
            } else {
                format!("a date is written without quotes: `{inner}`")
            }));
        }
        return Some(Box::new("strings are written in double quotes `\"`"));
    }
    if word == "if" && expected.contains("a rule clause") {
        return Some(Box::new(
            "did you mean `when`? A rule's condition starts with `when`",
        ));
    }
    // `then overall <= requires_improvement`: a judgement is bounded in words.
    if expected.contains("`at most`") && expected.contains("`=`") {
        let bound = match text {
            "<=" => Some("at most"),
            ">=" => Some("at least"),
            _ => None,
        };
        if let Some(bound) = bound {
            return Some(Box::new(format!(
                "did you mean `{bound}`? An effect bounds a judgement with `at most` or `at least` (`then overall at most requires_improvement`)"
            )));
        }
    }
    // `when ok is true`: a field that is true or false is a condition itself.
    if matches!(word, "true" | "false") && expected.contains("`set`") {
        return Some(Box::new(
            "a value that is true or false is a condition by itself: `when X` for `X is true`, `when not X` for `X is false`",
        ));
    }
    // `then lm is inadequate`: an effect gives a judgement its value.
    if word == "is" && expected.contains("`at most`") && expected.contains("`=`") {
        return Some(Box::new(
            "did you mean `=`? An effect gives a judgement its value with `=` (`then lm = inadequate`), or bounds it with `at most` or `at least`",
        ));
    }
    // `expect overall is good`: `is` only for `is provisional`.
    if expected == "`not` or `provisional`" {
        return Some(Box::new(
            "a test expects a judgement's value with `=` (`expect overall = good`); after `is` comes `provisional` or `not provisional`",
        ));
    }
    // `then overall must be inadequate`: not "did you mean `most`?".
    if matches!(
        word,
        "must" | "should" | "will" | "shall" | "becomes" | "be"
    ) && expected.contains("`at most`")
        && expected.contains("`=`")
    {
        return Some(Box::new(
            "a judgement is given its value with `=` (`then overall = inadequate`), or bounded with `at most` or `at least`",
        ));
    }
    // `then advise "..."`, `then likely overall = inadequate`.
    if matches!(word, "advise" | "likely") && expected.contains("an effect") {
        let clause = if word == "advise" {
            "advise \"...\""
        } else {
            "likely overall = inadequate"
        };
        return Some(Box::new(format!(
            "`{word}` begins a clause of its own, without `then`: `{clause}`"
        )));
    }
    if expected.contains("a rule clause") {
        match word {
            "advisory" | "advice" | "warn" | "warning" | "recommend" => {
                return Some(Box::new(
                    "did you mean `advise`? An advisory is a clause of its own: `advise \"...\"`",
                ))
            }
            "because" => {
                return Some(Box::new(
                    "a rule's reasons are written in a `note` line of its own: `note \"...\"`",
                ))
            }
            _ => {}
        }
    }
    // `deadline d = 10 working days after inspection.start`.
    if matches!(word, "after" | "before") && expected.contains("`met`") {
        return Some(Box::new(
            "a date some days after another is written with `+`: `inspection.start + 10 working days` (before it, with `-`)",
        ));
    }
    // `then set overall = inadequate`, as a program sets a variable.
    if matches!(word, "set" | "make" | "let" | "assign") && expected.contains("an effect") {
        return Some(Box::new(
            "an effect starts with what it gives: `then overall = inadequate`, `then action A`",
        ));
    }
    // `10 business days`: working days, on the ruleset's calendar.
    if expected.contains("a duration") {
        match word {
            "business" => {
                return Some(Box::new(
                    "did you mean `working`? Working days, the days other than weekends and bank holidays, are written `10 working days` and counted on the ruleset's calendar",
                ))
            }
            "weekdays" | "workdays" => return Some(Box::new(WORKING_DAYS)),
            _ => {}
        }
    }
    // `days between A and B`.
    if word == "between" && expected.contains("`from`") {
        return Some(Box::new(
            "a span of dates is written with `from` and `to`: `days from A to B` counts both ends; `B - A` is the number of days from A to B",
        ));
    }
    if expected.contains("assignment") && text.ends_with(':') {
        return Some(Box::new(
            "a value is given with `=`, not `:`: `field = value`",
        ));
    }
    // `X = none` in a condition, which tests it with `is none`.
    if word == "none" && expected.contains("an operand") {
        return Some(Box::new(crate::suggest::NONE_IN_A_CONDITION));
    }
    let keywords = crate::parse::keywords();
    let dotted = text.get(end..).is_some_and(|rest| rest.starts_with('.'));
    // Keywords are lower case: `Then` is `then`, not the `when` one letter
    // from it.
    let lower = word.to_lowercase();
    if lower != word && keywords.contains(&lower) {
        return Some(Box::new(format!(
            "did you mean `{lower}`? Words of the language are written in lower case"
        )));
    }
    // A misspelt declaration or effect read as a name (`misspelt_lead`):
    // the keyword of those it is nearest to.
    let leads = match expected {
        crate::parse::A_DECLARATION => Some(&crate::parse::DECLARATION_WORDS[..]),
        crate::parse::AN_EFFECT => Some(crate::parse::EFFECT_LEADS),
        _ => None,
    };
    if let Some(leads) = leads {
        let keyword = nearest(word, leads.iter().copied())?;
        return Some(Box::new(format!("did you mean `{keyword}`?")));
    }
    // An effect written without its `then`, where a rule's next clause
    // may start (`when late` then `finding late` on the next line).
    if is_effect_word(word) && expected.contains("a rule clause") {
        return Some(Box::new(format!(
            "did you mean `then {word} ...`? A rule's hard effects each start with `then`"
        )));
    }
    if keywords.iter().any(|k| k == word) {
        // Where a name may come (`then no NAME judgement`: "`judgement` or a
        // name"), a reserved word is a name that cannot be.
        let name_expected = expected == "a name" || expected.ends_with(" or a name");
        if crate::parse::is_keyword(word) && name_expected {
            return Some(Box::new(format!(
                "`{word}` is a reserved word of the language and cannot be a name: choose another (docs/language.md lists the reserved words)"
            )));
        }
        return None;
    }
    // A dotted path (`visit.feedback`) is a name, not a misspelt keyword.
    if dotted {
        return None;
    }
    let keyword = nearest(word, keywords.iter().map(String::as_str))?;
    Some(Box::new(format!("did you mean `{keyword}`?")))
}
