//! pest's one error for a file that does not parse, in the project's words:
//! where the parse got furthest, what it wanted there (grammar rules renamed
//! into words a reader knows) and what it found.

use super::{Grammar, Rule};
use crate::error::SyntaxError;
use crate::span::Span;
use pest::Parser as _;
use std::sync::LazyLock;

/// Every keyword of the grammar (the rules named `kw_...`), for suggestions.
pub(crate) fn keywords() -> &'static [String] {
    static KEYWORDS: LazyLock<Vec<String>> = LazyLock::new(|| {
        Rule::all_rules()
            .iter()
            .filter_map(|r| format!("{r:?}").strip_prefix("kw_").map(str::to_string))
            .collect()
    });
    &KEYWORDS
}

/// Whether a word is reserved: the grammar's `keyword`, which no rule id,
/// name or path in an expression may be (`provisional`, a word of `expect`
/// lines only, is not reserved).
pub fn is_keyword(word: &str) -> bool {
    Grammar::parse(Rule::keyword, word)
        .ok()
        .and_then(|mut pairs| pairs.next())
        .is_some_and(|p| p.as_str().len() == word.len())
}

/// Parse again with pest's tracking of every attempt at the furthest point
/// reached, which names the punctuation expected there too. Only a failed
/// parse pays for it.
///
/// pest's switch for that tracking is one for the whole process: these
/// parses take turns, so that one thread cannot switch it off while another
/// depends on it, and the message for a file is the same whatever other
/// threads are parsing.
pub(super) fn detailed_error(source: &str) -> SyntaxError {
    detailed_error_of(Rule::file, source)
}

/// [`detailed_error`] for `source` read as grammar rule `rule`.
pub(super) fn detailed_error_of(rule: Rule, source: &str) -> SyntaxError {
    static DETAIL: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let turn = DETAIL
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    pest::set_error_detail(true);
    let result = Grammar::parse(rule, source);
    pest::set_error_detail(false);
    drop(turn);
    match result {
        Err(e) => from_pest(&e, source),
        Ok(_) => SyntaxError::Internal {
            rule: "file".into(),
            span: Span::default(),
        },
    }
}

fn from_pest(e: &pest::error::Error<Rule>, source: &str) -> SyntaxError {
    use pest::error::{ErrorVariant, InputLocation};
    let mut pos = match e.location {
        InputLocation::Pos(p) => p,
        InputLocation::Span((s, _)) => s,
    };
    // Where the parse got furthest, what it wanted there: literal tokens
    // (`:`, `=`) and the rules it was in.
    let mut furthest: Option<Vec<String>> = None;
    // The furthest point the parse tried, and what it wanted there.
    let mut tried: Option<(usize, Vec<String>)> = None;
    if let Some(attempts) = e.parse_attempts() {
        // Literal tokens only: ranges and built-in rules say nothing to a reader.
        let words: Vec<String> = attempts
            .expected_tokens()
            .iter()
            .map(ToString::to_string)
            .filter(|t| {
                !t.trim().is_empty()
                    && !t.contains("..")
                    && t != "#"
                    && !t.chars().any(char::is_uppercase)
                    && !OPERAND_WORDS.contains(&t.as_str())
            })
            .map(|t| format!("`{t}`"))
            .collect();
        // Lookaheads that end a keyword reach into the next character: only
        // a position at the start of a token is a place a reader would fix.
        let at_token_start = source
            .get(..attempts.max_position)
            .and_then(|s| s.chars().last())
            .is_some_and(|c| !(c.is_alphanumeric() || c == '_'));
        if attempts.max_position > pos && at_token_start {
            pos = attempts.max_position;
            furthest = Some(words.clone());
        }
        tried = Some((attempts.max_position, words));
    }
    // A character no name holds (a Cyrillic `а` in `cаre`, a zero-width
    // space, a NUL) where the parse stopped, or as far as it got: named
    // where it stands, before any reading of the words around it.
    let expected = match (&e.variant, furthest) {
        (_, Some(mut words)) if !words.is_empty() => {
            words.sort_unstable();
            words.dedup();
            one_of(&words)
        }
        (ErrorVariant::ParsingError { positives, .. }, _) => {
            let mut words: Vec<String> = positives.iter().map(describe).collect();
            words.sort_unstable();
            words.dedup();
            one_of(&words)
        }
        (ErrorVariant::CustomError { message }, _) => message.clone(),
    };
    // A mathematical sign for a comparison (`≥`, pasted from a document)
    // is named with the operator written here, not only as a character
    // outside ASCII.
    if source
        .get(pos..)
        .is_some_and(|rest| rest.starts_with(['≥', '≤', '≠']))
    {
        if let Some(error) = foreign_operator(source, pos) {
            return error;
        }
    }
    if let Some(error) = stray_character(source, pos, tried.as_ref(), &expected) {
        return error;
    }
    // An effect's name in quotes before a misspelt lead: `then finding
    // "x"` stops at `finding`.
    if let Some(error) = super::phrases::name_in_words(source, pos)
        .or_else(|| misspelt_expectation(source, pos))
        .or_else(|| misspelt_lead(source, pos))
    {
        return error;
    }
    if let Some(error) = unclosed_string(source, pos) {
        return error;
    }
    if let Some(error) = foreign_operator(source, pos) {
        return error;
    }
    if let Some(error) = super::phrases::bound_after_is(source, pos, &expected) {
        return error;
    }
    if let Some(error) = effects_joined(source, pos) {
        return error;
    }
    if let Some(error) = super::phrases::english_test(source, pos)
        .or_else(|| super::phrases::date_with_slashes(source, pos))
        .or_else(|| super::phrases::assignments_without_comma(source, pos))
        .or_else(|| super::phrases::scale_worst_first(source, pos))
    {
        return error;
    }
    let found_text: String = source
        .get(pos..)
        .unwrap_or("")
        .split(|c: char| c.is_whitespace())
        .next()
        .unwrap_or("")
        .chars()
        .take(30)
        .collect();
    let (found, end) = match source.get(pos..).and_then(|rest| rest.chars().next()) {
        None => ("the end of the file".to_string(), pos),
        // Whitespace the grammar does not take for layout (a no-break
        // space, a form feed): named, not taken for the file's end.
        Some(c) if found_text.is_empty() => (unusual_space(c), pos + c.len_utf8()),
        Some(_) => (format!("`{found_text}`"), pos + found_text.len()),
    };
    SyntaxError::Unexpected {
        expected,
        found,
        span: Span::new(pos, end),
    }
}

/// A whitespace character that is not layout in a rule file (which reads
/// spaces, tabs and line breaks), named with its code point.
fn unusual_space(c: char) -> String {
    format!(
        "{} (U+{:04X}), which a rule file does not read as a space",
        crate::lookalike::space_name(c),
        u32::from(c)
    )
}

/// What an error says was expected where a name holds a character it
/// cannot ([`stray_character`]).
pub(crate) const A_NAME_CHARACTER: &str = "a name's character (an ASCII letter, a digit or `_`)";

/// What a name holds, for the help of [`stray_character`].
const NAME_CHARACTERS: &str =
    "a name holds only ASCII letters (`a` to `z`, `A` to `Z`), digits and `_`";

/// A character outside ASCII, or a control character other than layout,
/// outside strings and comments (where the grammar takes none) where the
/// parse stopped or as far as it tried (`tried`: `judgement cаre: ...`
/// gives up the whole declaration, and pest's error is at `judgement`), or
/// in the word where it stopped (`whеn`). In a name (a letter, or a
/// character that cannot be seen beside a name's), the error is that
/// character, named with its code point, with the name it looks like where
/// the file writes that name elsewhere or it is a keyword (`did you mean
/// `care`?`); elsewhere, what the parse wanted there and the character
/// named.
fn stray_character(
    source: &str,
    pos: usize,
    tried: Option<&(usize, Vec<String>)>,
    expected_at_pos: &str,
) -> Option<SyntaxError> {
    use crate::lookalike::{
        as_ascii, describe, is_invisible, is_name_part as in_name, is_stray, lookalike,
    };
    // Typographic quotes have help of their own.
    let stray = |c: char| is_stray(c) && !TYPOGRAPHIC_QUOTES.contains(&c);
    let stray_at = |at: usize| {
        source
            .get(at..)
            .and_then(|rest| rest.chars().next())
            .is_some_and(stray)
            && !crate::scan::in_comment_or_string(source, at)
    };
    let at = match tried {
        Some((max, _)) if stray_at(*max) => *max,
        _ if stray_at(pos) => pos,
        _ => {
            let rest = source.get(pos..)?;
            let (i, _) = rest
                .char_indices()
                .take_while(|&(_, c)| in_name(c))
                .find(|&(_, c)| stray(c))?;
            pos + i
        }
    };
    let c = source.get(at..)?.chars().next()?;
    let span = Span::new(at, at + c.len_utf8());
    let before = source.get(..at)?;
    let after = source.get(at + c.len_utf8()..)?;
    let beside_a_name = before.chars().next_back().is_some_and(in_name)
        || after.chars().next().is_some_and(in_name);
    let a_letter = c.is_alphabetic() || (is_invisible(c) && beside_a_name);
    if c.is_whitespace() || !a_letter {
        let expected = match tried {
            Some((max, words)) if *max == at && !words.is_empty() => {
                let mut words = words.clone();
                words.sort_unstable();
                words.dedup();
                one_of(&words)
            }
            _ if at == pos => expected_at_pos.to_string(),
            _ => "something else".to_string(),
        };
        let found = if c.is_whitespace() {
            unusual_space(c)
        } else {
            describe(c)
        };
        return Some(SyntaxError::Unexpected {
            expected,
            found,
            span,
        });
    }
    // The part of the name around it, up to a `.` or a space.
    let start = at
        - before
            .chars()
            .rev()
            .take_while(|&c| in_name(c))
            .map(char::len_utf8)
            .sum::<usize>();
    let end = at
        + after
            .chars()
            .take_while(|&c| in_name(c))
            .map(char::len_utf8)
            .sum::<usize>()
        + c.len_utf8();
    let written = source.get(start..end)?;
    // A character that cannot be seen at a name's end (`rule<ESC>[31m`)
    // names nothing but the word before it: deleting it joins no name.
    let within = before.chars().next_back().is_some_and(in_name)
        && after.chars().next().is_some_and(in_name);
    let meant = as_ascii(written)
        .filter(|_| lookalike(c).is_some() || within)
        .filter(|m| is_keyword(m) || super::phrases::has_word(source, m));
    let fix = match lookalike(c) {
        Some(latin) => format!(": write the Latin `{latin}` in its place"),
        None if is_invisible(c) => {
            ": delete it (an editor that shows invisible characters shows where it is)".to_string()
        }
        None => String::new(),
    };
    let help = match meant {
        Some(meant) => format!(
            "did you mean `{meant}`? {}{fix}",
            capitalised(NAME_CHARACTERS)
        ),
        None => format!("{NAME_CHARACTERS}{fix}"),
    };
    Some(SyntaxError::Phrased {
        expected: A_NAME_CHARACTER.into(),
        found: describe(c),
        help,
        span,
    })
}

/// The quotes a word processor writes for `"` and `'`.
const TYPOGRAPHIC_QUOTES: [char; 4] = ['\u{201c}', '\u{201d}', '\u{2018}', '\u{2019}'];

/// `text` with its first letter a capital, to begin a sentence.
fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

/// What `found` says of a string whose closing quote is missing.
pub(crate) const UNCLOSED_STRING: &str = "a string with no closing `\"`";

/// A string whose closing quote is missing: the parse stops at its opening
/// quote, and the rest of its line holds no quote that closes it (a string
/// ends on the line it starts; `\"` is a quote inside it).
fn unclosed_string(source: &str, pos: usize) -> Option<SyntaxError> {
    let rest = source.get(pos..)?.strip_prefix('"')?;
    let line = rest.split('\n').next().unwrap_or("");
    let mut escaped = false;
    for c in line.chars() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '"' => return None,
            _ => {}
        }
    }
    Some(SyntaxError::Unexpected {
        expected: "a string closed on the line it starts".into(),
        found: UNCLOSED_STRING.into(),
        span: Span::new(pos, pos + 1),
    })
}

/// How `=` is used, for `==` and `===`.
const COMPARED: &str = "two values are compared with `=`, and a scale or choice value may be tested with `is`: `lm = inadequate`, `lm is inadequate`";
/// How `!=` is used, for `!==` and `<>`.
const TOLD_APART: &str =
    "two values that differ are told apart with `!=`, and a scale or choice value with `is not`";

/// Operators of other languages that a rule file does not have, each with
/// the one it writes instead and a word on how that one is used.
pub(crate) const FOREIGN_OPERATORS: &[(&str, &str, &str)] = &[
    ("==", "=", COMPARED),
    ("===", "=", COMPARED),
    ("!==", "!=", TOLD_APART),
    ("<>", "!=", TOLD_APART),
    (
        "&&",
        "and",
        "two conditions that must both hold are joined with `and`",
    ),
    (
        "||",
        "or",
        "two conditions either of which may hold are joined with `or`",
    ),
    (
        "!",
        "not",
        "a condition is turned round with `not`: `not (lm is inadequate)`",
    ),
    (
        "=>",
        ">=",
        "at least is written `>=`, or `is at least` of a scale value",
    ),
    (
        "=<",
        "<=",
        "at most is written `<=`, or `is at most` of a scale value",
    ),
    (
        "≥",
        ">=",
        "at least is written `>=`, or `is at least` of a scale value",
    ),
    (
        "≤",
        "<=",
        "at most is written `<=`, or `is at most` of a scale value",
    ),
    ("≠", "!=", TOLD_APART),
    (
        ":=",
        "=",
        "a value is given with `=`: `then lm = inadequate`, `given x = 3`",
    ),
];

/// The characters operators are made of, here and in other languages.
fn is_operator_char(c: char) -> bool {
    matches!(c, '=' | '!' | '<' | '>' | '&' | '|' | ':' | '≥' | '≤' | '≠')
}

/// An operator of another language where the parse stopped (`==`, `&&`,
/// `!`), named whole with the one this language writes. The parse stops at
/// its first character, or, where that begins an operator of this
/// language (the `=` of `==`, the `<` of `<>`), at the next: so the run of
/// operator characters around `pos` is read whole, and only a run that is
/// one of [`FOREIGN_OPERATORS`] exactly is named (`>==` is not taken for
/// `==`).
fn foreign_operator(source: &str, pos: usize) -> Option<SyntaxError> {
    let before = source.get(..pos)?;
    let after = source.get(pos..)?;
    if !after.starts_with(is_operator_char) {
        return None;
    }
    let start = before
        .char_indices()
        .rev()
        .take_while(|&(_, c)| is_operator_char(c))
        .last()
        .map_or(pos, |(i, _)| i);
    let end = pos
        + after
            .find(|c: char| !is_operator_char(c))
            .unwrap_or(after.len());
    let run = source.get(start..end)?;
    let &(_, ours, _) = FOREIGN_OPERATORS.iter().find(|(op, _, _)| *op == run)?;
    Some(SyntaxError::Unexpected {
        expected: format!("`{ours}`"),
        found: format!("`{run}`"),
        span: Span::new(start, end),
    })
}

/// Two effects joined with `and` on one `then` line (`then action a and
/// action b`), or two expectations on one `expect` line (`expect overall =
/// good and lm = good`): the parse stops at the `and`, where a condition's
/// `and` would be read on. Each is told to take a line of its own.
fn effects_joined(source: &str, pos: usize) -> Option<SyntaxError> {
    let rest = source.get(pos..)?;
    let after = rest.strip_prefix("and")?;
    if !after.starts_with([' ', '\t', '\r', '\n']) {
        return None;
    }
    let (line_start, line_end) = super::phrases::line_around(source, pos)?;
    let line = source.get(line_start..pos)?.trim_start();
    let (expected, help) = if line.starts_with("expect ") {
        let second = source.get(pos + 3..line_end)?.trim();
        let help = if second.is_empty() {
            "each expectation is a line of its own, starting with `expect`".to_string()
        } else {
            format!(
                "each expectation is a line of its own, starting with `expect`: `{}`, and below it `expect {second}`",
                line.trim_end()
            )
        };
        (
            "the end of the expectation (one expectation an `expect` line)",
            help,
        )
    } else if line.starts_with("then ") {
        (
            "the end of the effect (one effect a `then` line)",
            "each effect is a line of its own, starting with `then`: `then action a`, and below it `then action b`".to_string(),
        )
    } else {
        return None;
    };
    Some(SyntaxError::Phrased {
        expected: expected.into(),
        found: "`and`".into(),
        help,
        span: Span::new(pos, pos + 3),
    })
}

/// The kinds of `expect` line a test may have, after `expect` (or a
/// judgement's name).
const EXPECTATIONS: &[&str] = &[
    "action",
    "actions",
    "finding",
    "findings",
    "deadline",
    "advisory",
    "advisories",
    "undetermined",
    "error",
    "no",
    "judgement",
];

/// `expect deadlien d = ...`: the parse reads `deadlien` as a judgement's
/// name and stops at `d`. Where it stopped just after the first word of an
/// `expect` line, and that word is not a keyword but is near the name of a
/// kind of expectation, the error is that word, so its help can say which.
fn misspelt_expectation(source: &str, pos: usize) -> Option<SyntaxError> {
    let before = source.get(..pos)?;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let line = before.get(line_start..)?;
    let rest = line.trim_start().strip_prefix("expect")?;
    let word = rest.trim();
    let blank = rest.strip_suffix(|c: char| c == ' ' || c == '\t').is_some();
    let misspelt = !word.is_empty()
        && blank
        && word.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && rest.starts_with([' ', '\t'])
        && !is_keyword(word)
        && crate::suggest::nearest(word, EXPECTATIONS.iter().copied()).is_some();
    if !misspelt {
        return None;
    }
    let start = line_start + line.len() - rest.len() + (rest.len() - rest.trim_start().len());
    Some(SyntaxError::Unexpected {
        expected: "the kind of expectation: `action`, `finding`, `deadline`, `advisory`, `undetermined`, `error`, `no`, or a judgement's name".into(),
        found: format!("`{word}`"),
        span: Span::new(start, start + word.len()),
    })
}

/// What an error says was expected where a declaration may start, and
/// where a declaration's keyword is misspelt ([`misspelt_lead`]).
pub(crate) const A_DECLARATION: &str =
    "a declaration (`rule`, `judgement`, `evidence`, `test`, ...)";

/// The words that may follow `then`, besides a judgement's name.
pub(crate) const EFFECT_LEADS: &[&str] = &["action", "finding", "deadline", "optional", "no"];

/// What an error says was expected where the word after `then` is
/// misspelt ([`misspelt_lead`]).
pub(crate) const AN_EFFECT: &str = "an effect after `then`: `action`, `finding`, `deadline`, `optional deadline`, `no judgement`, or a judgement's name and `=`, `at most` or `at least`";

/// A misspelt keyword that the parse read as a name, stopping only at the
/// word after it. A line that starts with a word at its first column
/// (`judgment overall: grade ...`, `thresold limit = 26 weeks`) after an
/// `evidence` or `record` block is read as one more field, and stops at
/// the second word for want of a `:`; `then acton notify_dcs` reads
/// `acton` as a judgement's name, and stops at `notify_dcs` for want of an
/// `=`. Where the parse stopped after the line's first word (or the word
/// after `then`) and blanks, and that word is no keyword but is near a
/// declaration's keyword (or an effect's), the error is that word, so that
/// its help can say which.
fn misspelt_lead(source: &str, pos: usize) -> Option<SyntaxError> {
    let before = source.get(..pos)?;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let line = before.get(line_start..)?;
    let (lead, words, expected) = if line.starts_with(|c: char| c.is_alphanumeric() || c == '_') {
        (line, &super::DECLARATION_WORDS[..], A_DECLARATION)
    } else {
        let after_then = line.trim_start().strip_prefix("then")?;
        if !after_then.starts_with([' ', '\t']) {
            return None;
        }
        (after_then.trim_start(), EFFECT_LEADS, AN_EFFECT)
    };
    let word = lead.trim_end_matches([' ', '\t']);
    let misspelt = word.len() < lead.len()
        && !word.is_empty()
        && word.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !is_keyword(word)
        && crate::suggest::nearest(word, words.iter().copied()).is_some();
    if !misspelt {
        return None;
    }
    let start = line_start + line.len() - lead.len();
    Some(SyntaxError::Unexpected {
        expected: expected.into(),
        found: format!("`{word}`"),
        span: Span::new(start, start + word.len()),
    })
}

/// Words that begin an operand (`every`, `days from`, `day after`, ...):
/// "an operand" says it for all of them.
const OPERAND_WORDS: &[&str] = &[
    "every", "some", "no", "count", "earliest", "latest", "total", "longest", "most", "days",
    "months", "years", "day", "next", "start", "end", "date", "time",
];

fn one_of(words: &[String]) -> String {
    // A word another already names among its alternatives (`from`, beside
    // "`=` or `from`") is said once.
    let words: Vec<String> = words
        .iter()
        .filter(|w| !words.iter().any(|o| o != *w && o.contains(w.as_str())))
        .cloned()
        .collect();
    match words.as_slice() {
        [] => "something else".into(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} or {}", init.join(", "), last),
    }
}

/// The words a reader knows for each grammar rule that can appear in an error.
fn describe(rule: &Rule) -> String {
    let name = format!("{rule:?}");
    if let Some(word) = name.strip_prefix("kw_") {
        return match rule {
            Rule::kw_quote
            | Rule::kw_note
            | Rule::kw_for
            | Rule::kw_when
            | Rule::kw_then
            | Rule::kw_likely
            | Rule::kw_advise => "a rule clause (`when`, `then`, `likely`, ...)".into(),
            Rule::kw_every
            | Rule::kw_some
            | Rule::kw_count
            | Rule::kw_earliest
            | Rule::kw_latest
            | Rule::kw_total
            | Rule::kw_longest
            | Rule::kw_days
            | Rule::kw_months
            | Rule::kw_years
            | Rule::kw_day
            | Rule::kw_next
            | Rule::kw_start
            | Rule::kw_end
            | Rule::kw_date
            | Rule::kw_time => "an operand".into(),
            Rule::kw_scale
            | Rule::kw_choice
            | Rule::kw_record
            | Rule::kw_evidence
            | Rule::kw_threshold
            | Rule::kw_let
            | Rule::kw_rule
            | Rule::kw_invalid
            | Rule::kw_example
            | Rule::kw_test
            | Rule::kw_needs => A_DECLARATION.into(),
            Rule::kw_source
            | Rule::kw_reference
            | Rule::kw_edition
            | Rule::kw_in
            | Rule::kw_calendar
            | Rule::kw_as
            | Rule::kw_evaluated
            | Rule::kw_uses => "a header clause".into(),
            // Said as itself: where a declaration may start, the words of
            // a declaration name it already; after `then no NAME` it is
            // the one word that may come.
            Rule::kw_judgement => "`judgement`".into(),
            _ => format!("`{word}`"),
        };
    }
    describe_rule(rule).to_string()
}

fn describe_rule(rule: &Rule) -> &'static str {
    match rule {
        Rule::EOI => "the end of the file",
        Rule::ruleset_decl | Rule::kw_ruleset => "`ruleset`",
        Rule::definitions_decl | Rule::kw_definitions => "`definitions`",
        // A file that starts with neither header word.
        Rule::file => "`definitions` or `ruleset`",
        Rule::scale_decl
        | Rule::choice_decl
        | Rule::record_decl
        | Rule::evidence_decl
        | Rule::threshold_decl
        | Rule::let_decl
        | Rule::judgement_decl
        | Rule::rule_decl
        | Rule::invalid_decl
        | Rule::example_decl
        | Rule::test_decl
        | Rule::needs_decl => A_DECLARATION,
        Rule::source_clause
        | Rule::reference_clause
        | Rule::edition_clause
        | Rule::in_force_clause
        | Rule::calendar_clause
        | Rule::as_at_clause
        | Rule::evaluated_clause
        | Rule::uses_clause => "a header clause",
        Rule::quote_clause
        | Rule::note_clause
        | Rule::for_each_clause
        | Rule::when_clause
        | Rule::then_clause
        | Rule::likely_clause
        | Rule::advise_clause => "a rule clause (`when`, `then`, `likely`, ...)",
        Rule::field_decl | Rule::field_path => "a field declaration (`name: type`)",
        Rule::type_expr | Rule::list_type => "a type",
        Rule::absence => "`or none`, `or unknown` or `default`",
        Rule::expr => "an expression",
        Rule::is_test => "`is ...`",
        Rule::op_or
        | Rule::op_and
        | Rule::op_eq
        | Rule::op_ne
        | Rule::op_le
        | Rule::op_ge
        | Rule::op_lt
        | Rule::op_gt
        | Rule::op_add
        | Rule::op_sub => "an operator",
        Rule::op_not
        | Rule::op_neg
        | Rule::quantified
        | Rule::aggregate
        | Rule::days_between
        | Rule::sequence
        | Rule::calendar_fn
        | Rule::calendar_op
        | Rule::quantifier
        | Rule::aggregate_kind
        | Rule::count_of
        | Rule::earliest_of
        | Rule::latest_of
        | Rule::total_days
        | Rule::longest_run
        | Rule::most_days
        | Rule::sequence_unit
        | Rule::cal_next_working_day
        | Rule::cal_day_after
        | Rule::cal_day_before
        | Rule::cal_start_of_month
        | Rule::cal_end_of_month
        | Rule::cal_date_of
        | Rule::cal_time_of
        | Rule::datetime
        | Rule::time_of_day => "an operand",
        Rule::binder => "`NAME in LIST`",
        Rule::filter => "`where`",
        Rule::finding_effect => "an effect (`J at most V`, `action A`, `deadline D = ...`)",
        Rule::deadline_target => "`target`",
        Rule::deadline_met => "`met on`",
        Rule::constraint_op | Rule::op_at_most | Rule::op_at_least | Rule::op_equals => {
            "`=`, `at most` or `at least`"
        }
        Rule::duration | Rule::unit => "a duration (`26 weeks`, `10 working days`)",
        Rule::date => "a date (YYYY-MM-DD)",
        Rule::number => "a number",
        Rule::string => "a quoted string",
        Rule::boolean => "`true` or `false`",
        Rule::ident | Rule::name => "a name",
        Rule::path => "a name or field path",
        Rule::expect_clause => "`expect`",
        Rule::given_clause => "`given`",
        Rule::assignment | Rule::assignments => "an assignment (`field = value`)",
        Rule::value | Rule::list_value | Rule::record_value => "a value",
        Rule::withhold_effect
        | Rule::action_effect
        | Rule::deadline_effect
        | Rule::deadline_optional
        | Rule::constraint_effect => "an effect (`J at most V`, `action A`, `deadline D = ...`)",
        Rule::deadline_on | Rule::deadline_window => "`=` or `from`",
        Rule::item_ref => "`for item`",
        Rule::expect_on | Rule::expect_window => "`= DATE` or `from DATE to DATE`",
        _ => "something else",
    }
}
