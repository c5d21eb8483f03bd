//! Source text -> pest pairs -> AST. Nothing outside this module sees a pest
//! type: the pairs are lowered in [`lower`], one `lower_<rule>` function per
//! grammar rule; pest's error becomes a [`SyntaxError`] in [`errors`]; the
//! bounds that keep hostile input from exhausting the stack are in
//! [`limits`].

mod errors;
mod limits;
mod lower;
mod phrases;

use crate::ast::*;
use crate::error::{SyntaxError, MAX_NESTING, MAX_SOURCE_BYTES};
use crate::scan;
use crate::span::Span;
use pest::Parser as _;
use std::borrow::Cow;

pub use errors::is_keyword;
pub(crate) use errors::{
    keywords, AN_EFFECT, A_DECLARATION, EFFECT_LEADS, FOREIGN_OPERATORS, UNCLOSED_STRING,
};

#[derive(pest_derive::Parser)]
#[grammar = "../../grammar/judgement.pest"]
struct Grammar;

type Result<T> = std::result::Result<T, SyntaxError>;

/// Parse a whole rule file. All errors found are returned: pest stops at the
/// first syntax error, and the file is read on from the next declaration
/// that starts a line for the next (`later_errors`, up to 20); lowering
/// collects every bad date and number.
pub fn parse_file(source: &str) -> std::result::Result<File, Vec<SyntaxError>> {
    parse_file_at(source, 0)
}

/// Parse a rule file whose spans start at `base` rather than 0: the files of
/// one ruleset (its own file and the definitions it uses) are parsed at
/// different bases, so that one span space covers them all and a span tells
/// which file it is in. Every span of the AST and of the errors is offset by
/// `base`.
pub fn parse_file_at(source: &str, base: usize) -> std::result::Result<File, Vec<SyntaxError>> {
    let shift = |errors: Vec<SyntaxError>| -> Vec<SyntaxError> {
        errors
            .into_iter()
            .map(|e| e.map_span(|s| Span::new(base + s.start, base + s.end)))
            .collect()
    };
    let source = &*without_bom(source);
    if source.len() > MAX_SOURCE_BYTES {
        return Err(vec![SyntaxError::TooLarge {
            size: source.len(),
            limit: MAX_SOURCE_BYTES,
        }]);
    }
    // A carriage return that no line feed follows ends a line for some
    // readers (editors, the language server's protocol) and not for
    // others, so positions after it would be read differently: refused at
    // the first, before anything else (a file of classic Mac OS line ends
    // would otherwise be one line, its first comment running to its end).
    if let Some(at) = lone_carriage_return(source) {
        return Err(shift(vec![SyntaxError::Unexpected {
            expected: "lines that end with a line feed (LF or CRLF)".into(),
            found: "a carriage return alone".into(),
            span: Span::new(at, at + 1),
        }]));
    }
    let comments = match limits::pre_check(source) {
        Ok(comments) => comments,
        Err(span) => {
            return Err(shift(vec![SyntaxError::TooDeep {
                limit: MAX_NESTING,
                span,
            }]))
        }
    };
    let mut pairs = Grammar::parse(Rule::file, source).map_err(|_| {
        let mut found = vec![errors::detailed_error(source)];
        later_errors(source, &mut found);
        shift(found)
    })?;
    let file = pairs.next().ok_or_else(|| {
        vec![SyntaxError::Internal {
            rule: "file".into(),
            span: Span::new(base, base),
        }]
    })?;
    lower::file(file, base, &comments).map_err(at_most_the_most)
}

/// Errors of lowering (a clause written twice, a date that is no day), at
/// most [`MOST_SYNTAX_ERRORS`], then one saying that there are more, at
/// the first left out, as for the errors of parsing: a file of thousands
/// of repeated clauses is not thousands of reports.
fn at_most_the_most(mut errors: Vec<SyntaxError>) -> Vec<SyntaxError> {
    if errors.len() > MOST_SYNTAX_ERRORS {
        let left_out = errors.split_off(MOST_SYNTAX_ERRORS);
        if let Some(first) = left_out.first() {
            errors.push(SyntaxError::More { span: first.span() });
        }
    }
    errors
}

/// Where the first carriage return that no line feed follows is, if any.
fn lone_carriage_return(source: &str) -> Option<usize> {
    let bytes = source.as_bytes();
    source
        .match_indices('\r')
        .map(|(at, _)| at)
        .find(|&at| bytes.get(at + 1) != Some(&b'\n'))
}

/// The most syntax errors one file reports.
const MOST_SYNTAX_ERRORS: usize = 20;

/// The words that begin a declaration (the grammar's `item`).
pub(crate) const DECLARATION_WORDS: [&str; 12] = [
    "rule",
    "test",
    "threshold",
    "let",
    "invalid",
    "record",
    "evidence",
    "example",
    "choice",
    "needs",
    "judgement",
    "scale",
];

/// After a syntax error, the syntax errors further on: from the first line
/// at or after the last error that starts (at its first column) with a
/// declaration's word, the rest of the file is read as declarations on
/// their own, and its first error, if any, is added to `found`; and so on,
/// up to [`MOST_SYNTAX_ERRORS`], and then, where another is found, one
/// saying that there are more. A declaration that starts a line is where
/// an author's next mistake is read as a reader would read it, not as what
/// the first mistake left the parser expecting.
fn later_errors(source: &str, found: &mut Vec<SyntaxError>) {
    let Some(first) = found.first() else {
        return;
    };
    let mut after = first.span().start;
    while found.len() <= MOST_SYNTAX_ERRORS {
        let last = found.last().map_or(0, |e| e.span().start);
        let Some(start) = next_declaration(source, after) else {
            return;
        };
        let Some(rest) = source.get(start..) else {
            return;
        };
        if Grammar::parse(Rule::items, rest).is_ok() {
            return;
        }
        let error = errors::detailed_error_of(Rule::items, rest)
            .map_span(|s| Span::new(start + s.start, start + s.end));
        if error.span().start <= last {
            // The declaration the last error is in, read again: the same
            // error. The next declaration after it is where to go on.
            after = start + 1;
            continue;
        }
        after = error.span().start;
        if found.len() == MOST_SYNTAX_ERRORS {
            found.push(SyntaxError::More { span: error.span() });
            return;
        }
        found.push(error);
    }
}

/// The first line that starts at or after byte `after` and whose first
/// word, at its first column, begins a declaration.
fn next_declaration(source: &str, after: usize) -> Option<usize> {
    let mut at = if after == 0 || source.get(..after)?.ends_with('\n') {
        after
    } else {
        source.get(after..)?.find('\n')? + after + 1
    };
    loop {
        let line = source.get(at..)?;
        let word_end = line
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(line.len());
        if line
            .get(..word_end)
            .is_some_and(|word| DECLARATION_WORDS.contains(&word))
        {
            return Some(at);
        }
        at += line.find('\n')? + 1;
    }
}

/// What a rule file holds, from its first word (after any comments), without
/// parsing the rest: [`FileKind::Definitions`] when it is `definitions`, else
/// [`FileKind::Ruleset`] (a file that is neither fails to parse as a ruleset).
pub fn file_kind(source: &str) -> FileKind {
    let text = source.strip_prefix(BOM).unwrap_or(source);
    match scan::first_word(text) {
        "definitions" => FileKind::Definitions,
        _ => FileKind::Ruleset,
    }
}

/// The byte-order mark that Notepad and Word put at the start of a file.
pub(crate) const BOM: char = '\u{feff}';

/// A leading byte-order mark read as layout: it becomes as many spaces as it
/// has bytes, so that spans stay offsets into the text the caller holds.
pub(crate) fn without_bom(source: &str) -> Cow<'_, str> {
    match source.strip_prefix(BOM) {
        Some(rest) => Cow::Owned(format!("{}{rest}", " ".repeat(BOM.len_utf8()))),
        None => Cow::Borrowed(source),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing, reason = "tests")]
    use super::DECLARATION_WORDS;

    /// The words `later_errors` reads on from are exactly the first words
    /// of the grammar's declarations (`item`), each `NAME_decl = { kw_WORD
    /// ...`: a declaration added to the grammar must be added there too.
    #[test]
    fn the_declaration_words_are_the_grammars() {
        let grammar = include_str!("../../../../grammar/judgement.pest");
        let item = grammar.split("\nitem = _{").nth(1).unwrap();
        let item = &item[..item.find('}').unwrap()];
        let mut words: Vec<&str> = item
            .split('|')
            .map(|alternative| {
                let rule = alternative.trim();
                let body = grammar
                    .split(&format!("\n{rule} = {{"))
                    .nth(1)
                    .unwrap_or_else(|| panic!("no rule {rule}"));
                let first = body.split_whitespace().next().unwrap();
                first
                    .strip_prefix("kw_")
                    .unwrap_or_else(|| panic!("{rule}: {first}"))
            })
            .collect();
        words.sort_unstable();
        let mut ours = DECLARATION_WORDS.to_vec();
        ours.sort_unstable();
        assert_eq!(words, ours);
    }
}
