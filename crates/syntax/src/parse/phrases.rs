//! What English, a form or another language writes where a rule file
//! writes otherwise, found from the words just before where the parse
//! stopped and named whole, with what to write: in a condition, `lm is one
//! of a, b` and `lm in (a, b)` (each value tested on its own, joined with
//! `or`), `lm is below good` and `x is more than 3` (a comparison), `d is
//! between a and b` (two); a name written as words (`requires improvement`
//! where the file writes `requires_improvement`, `then action "notify
//! ofsted"`); a date written with slashes; two assignments of a test's
//! evidence without the comma between them.

use crate::error::SyntaxError;
use crate::span::Span;

/// What `expected` says where a condition is written in English: the
/// tests and comparisons it may write instead.
pub(crate) const A_TEST: &str =
    "a comparison (`<`, `<=`, `>`, `>=`) or a test (`is V`, `is at most V`, `is at least V`)";

/// Words that, after `is`, mean "less than" (`is below good`, `is worse
/// than good`, `is before 2020-01-01`).
const LESS: &[&str] = &[
    "below", "under", "worse", "less", "lower", "fewer", "before", "earlier", "smaller",
];
/// Words that, after `is`, mean "greater than".
const GREATER: &[&str] = &[
    "above", "over", "better", "more", "greater", "higher", "after", "later", "larger",
];
/// Words that, after `is`, begin a list of values (`is one of a, b`).
const SEVERAL: &[&str] = &["one", "any", "either"];

/// A word of a line and where it starts in the file.
#[derive(Clone, Copy)]
struct Word<'a> {
    text: &'a str,
    at: usize,
}

impl Word<'_> {
    fn end(self) -> usize {
        self.at + self.text.len()
    }
}

/// The words of `source[from..to]`, split at whitespace.
fn words(source: &str, from: usize, to: usize) -> Vec<Word<'_>> {
    let Some(text) = source.get(from..to) else {
        return Vec::new();
    };
    let mut found = Vec::new();
    let mut start = None;
    for (i, c) in text
        .char_indices()
        .chain(std::iter::once((text.len(), ' ')))
    {
        match (c.is_whitespace(), start) {
            (true, Some(s)) => {
                if let Some(word) = text.get(s..i) {
                    found.push(Word {
                        text: word,
                        at: from + s,
                    });
                }
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    found
}

/// Where the line that holds `pos` starts and ends (before its line feed).
pub(super) fn line_around(source: &str, pos: usize) -> Option<(usize, usize)> {
    let start = source.get(..pos)?.rfind('\n').map_or(0, |i| i + 1);
    let end = source
        .get(pos..)?
        .find('\n')
        .map_or(source.len(), |i| pos + i);
    Some((start, end))
}

/// Whether `text` is written as an operand's name or path (`lm`,
/// `manager.vacant_since`).
fn is_path(text: &str) -> bool {
    text.starts_with(|c: char| c.is_alphabetic() || c == '_')
        && text
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '.')
        && !text.ends_with('.')
}

/// The names and dates written in a list of values (`(good, outstanding)`,
/// `inadequate or requires_improvement`), in order: to the bracket that
/// closes the list, or to a word no value can be that starts what follows
/// (`then action a` after `lm in (good, outstanding)` on the line).
fn values<'a>(words: &[Word<'a>]) -> Vec<&'a str> {
    let mut found = Vec::new();
    for w in words {
        let (text, closes) = match w.text.find([')', ']']) {
            Some(i) => (w.text.get(..i).unwrap_or_default(), true),
            None => (w.text, false),
        };
        let joining = matches!(text, "or" | "and" | "of" | "true" | "false" | "none");
        if !joining && super::is_keyword(text) {
            break;
        }
        found.extend(
            text.split([',', '(', '['])
                .filter(|v| !v.is_empty() && !matches!(*v, "or" | "and" | "of"))
                .filter(|v| is_path(v) || v.starts_with(|c: char| c.is_ascii_digit())),
        );
        if closes {
            break;
        }
    }
    found
}

/// `X is a or X is b` (or, negated, `X is not a and X is not b`), of the
/// values listed; a pattern of it where none are.
fn each_on_its_own(subject: &str, values: &[&str], negated: bool) -> String {
    let (is, join) = if negated {
        ("is not", " and ")
    } else {
        ("is", " or ")
    };
    let tests: Vec<String> = match values {
        [] | [_] => ["a", "b"]
            .iter()
            .map(|v| format!("{subject} {is} {v}"))
            .collect(),
        _ => values
            .iter()
            .map(|v| format!("{subject} {is} {v}"))
            .collect(),
    };
    let joined = if negated { "`and`" } else { "`or`" };
    format!(
        "each value is tested on its own, joined with {joined}: `{}`",
        tests.join(join)
    )
}

/// The error of an English test: the words `from` .. `to` named whole.
fn phrase(source: &str, from: Word<'_>, to: Word<'_>, help: String) -> Option<SyntaxError> {
    let text = source.get(from.at..to.end())?;
    Some(SyntaxError::Phrased {
        expected: A_TEST.into(),
        found: format!("`{text}`"),
        help,
        span: Span::new(from.at, to.end()),
    })
}

/// What `expected` says where a name is written as two words or in quotes.
pub(crate) const A_NAME: &str = "a name, one word (its words joined with `_`)";

/// Whether `word` is written in `source` as a whole word (no letter, digit
/// or `_` beside it).
pub(super) fn has_word(source: &str, word: &str) -> bool {
    let part = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
    source.match_indices(word).any(|(at, _)| {
        let before = source.get(..at).and_then(|b| b.chars().next_back());
        let after = source.get(at + word.len()..).and_then(|a| a.chars().next());
        !part(before) && !part(after)
    })
}

/// A name written as two words where the parse stopped at the second
/// (`lm is requires improvement`), when the file writes the two joined
/// with `_` elsewhere (`scale grade: ... > requires_improvement > ...`); or
/// an effect's name in quotes (`then action "notify ofsted"`).
pub(super) fn name_in_words(source: &str, pos: usize) -> Option<SyntaxError> {
    let (line_start, line_end) = line_around(source, pos)?;
    let before = words(source, line_start, pos);
    let last = *before.last()?;
    let rest = source.get(pos..line_end)?;
    let plain = |w: &str| !w.is_empty() && w.chars().all(|c| c.is_alphanumeric() || c == '_');
    // `then action "notify ofsted"`: the name in the quotes, joined. The
    // parse stops at the quote, or at the word before it.
    let lead = |w: &str| matches!(w, "action" | "finding" | "deadline");
    let next = words(source, pos, line_end).first().copied();
    let quoted = match next {
        Some(w) if w.at == pos && lead(w.text) => source
            .get(w.end()..line_end)
            .filter(|r| r.trim_start().starts_with('"'))
            .map(|r| (w, w.end() + r.len() - r.trim_start().len())),
        _ if lead(last.text) && rest.starts_with('"') => Some((last, pos)),
        _ => None,
    };
    if let Some((last, pos)) = quoted {
        let quoted = source.get(pos + 1..line_end)?;
        let text = quoted.get(..quoted.find('"')?)?;
        let name = text
            .split_whitespace()
            .map(str::to_lowercase)
            .collect::<Vec<_>>()
            .join("_");
        if !plain(&name) {
            return None;
        }
        let end = pos + text.len() + 2;
        return Some(SyntaxError::Phrased {
            expected: A_NAME.into(),
            found: format!("`\"{text}\"`"),
            help: format!(
                "did you mean `{name}`? The name of {} {} is written without quotes",
                if last.text == "action" { "an" } else { "a" },
                last.text
            ),
            span: Span::new(pos, end),
        });
    }
    // `requires improvement`, where the file declares `requires_improvement`.
    let next = next?;
    if next.at != pos || !plain(last.text) || !plain(next.text) || super::is_keyword(last.text) {
        return None;
    }
    let joined = format!("{}_{}", last.text, next.text);
    if !has_word(source, &joined) {
        return None;
    }
    let written = source.get(last.at..next.end())?;
    Some(SyntaxError::Phrased {
        expected: A_NAME.into(),
        found: format!("`{written}`"),
        help: format!("did you mean `{joined}`? A name's words are joined with `_`"),
        span: Span::new(last.at, next.end()),
    })
}

/// Two assignments of a test's or an example's evidence without the comma
/// between them (`given a = 1 b = 2`), where the parse stopped at the
/// second's field.
pub(super) fn assignments_without_comma(source: &str, pos: usize) -> Option<SyntaxError> {
    let rest = source.get(pos..)?;
    let field_len = rest
        .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '.'))
        .unwrap_or(rest.len());
    let field = rest.get(..field_len)?;
    if field.is_empty() || !rest.get(field_len..)?.trim_start().starts_with('=') {
        return None;
    }
    // The clause this line belongs to: the nearest line back that starts
    // with a clause's word.
    let before = source.get(..pos)?;
    let clause = before
        .lines()
        .rev()
        .filter_map(|line| line.split_whitespace().next())
        .find(|w| {
            matches!(
                *w,
                "given" | "example" | "expect" | "when" | "then" | "rule" | "test" | "likely"
            )
        })?;
    if !matches!(clause, "given" | "example") || before.trim_end().ends_with([',', '[', '{', '(']) {
        return None;
    }
    Some(SyntaxError::Phrased {
        expected: "`,` between two assignments".into(),
        found: format!("`{field}`"),
        help: format!("assignments are separated by commas: `..., {field} = ...`"),
        span: Span::new(pos, pos + field_len),
    })
}

/// A date written with `/` where the parse stopped at its first `/`
/// (`2020/1/5`, `05/01/2020`): named whole, and written as a rule file
/// writes it where what it means is plain (year first).
pub(super) fn date_with_slashes(source: &str, pos: usize) -> Option<SyntaxError> {
    let digits_before = source
        .get(..pos)?
        .chars()
        .rev()
        .take_while(char::is_ascii_digit)
        .count();
    if digits_before == 0 || !source.get(pos..)?.starts_with('/') {
        return None;
    }
    let start = pos - digits_before;
    let token_len = source
        .get(start..)?
        .find(|c: char| !(c.is_ascii_digit() || c == '/'))
        .unwrap_or(source.len() - start);
    let token = source.get(start..start + token_len)?;
    let parts: Vec<&str> = token.split('/').collect();
    let [a, b, c] = parts.as_slice() else {
        return None;
    };
    if [a, b, c].iter().any(|p| p.is_empty() || p.len() > 4) {
        return None;
    }
    let help = if a.len() == 4 {
        let day = |p: &str| p.parse::<u32>().ok();
        match chrono::NaiveDate::from_ymd_opt(a.parse().ok()?, day(b)?, day(c)?) {
            Some(date) => format!(
                "did you mean `{}`? A date is written YYYY-MM-DD",
                date.format("%Y-%m-%d")
            ),
            None => "dates are written YYYY-MM-DD and must exist".to_string(),
        }
    } else if c.len() == 4 {
        "dates are written year first, YYYY-MM-DD: `2020-01-05` is 5 January 2020".to_string()
    } else {
        return None;
    };
    Some(SyntaxError::Phrased {
        expected: "a date (YYYY-MM-DD)".into(),
        found: format!("`{token}`"),
        help,
        span: Span::new(start, start + token_len),
    })
}

/// An English test where the parse stopped at `pos`, named whole with
/// what this language writes; `None` where the parse stopped at anything
/// else.
pub(super) fn english_test(source: &str, pos: usize) -> Option<SyntaxError> {
    let (line_start, line_end) = line_around(source, pos)?;
    let before = words(source, line_start, pos);
    let after = words(source, pos, line_end);
    let next = after.first().copied();
    // `lm in (a, b)`, `lm not in (a, b)`, `lm is in (a, b)`, `lm is not
    // in (a, b)`: the subject, and the words from it to `in`.
    let subject = match before.as_slice() {
        [.., s, is, not] if is.text == "is" && not.text == "not" && is_path(s.text) => Some(s),
        [.., s, is] if is.text == "is" && is_path(s.text) => Some(s),
        // Not the value of a test (`lm is good in ...`).
        [.., w, _] if matches!(w.text, "is" | "not") => None,
        [.., s] if is_path(s.text) && !super::is_keyword(s.text) => Some(s),
        _ => None,
    };
    if let Some(subject) = subject {
        let between: Vec<Word<'_>> = before
            .iter()
            .chain(after.iter())
            .filter(|w| w.at > subject.at)
            .copied()
            .collect();
        let (mut negated, mut read) = (false, 0);
        for w in &between {
            match w.text {
                "is" if read == 0 => {}
                "not" if !negated => negated = true,
                _ => break,
            }
            read += 1;
        }
        let in_word = between
            .get(read)
            .filter(|w| w.text == "in" || w.text.starts_with("in(") || w.text.starts_with("in["));
        if let (Some(&in_word), Some(&first)) = (in_word, between.first()) {
            let first_listed = in_word.text.get(2..).unwrap_or_default();
            let rest = between.get(read + 1..).unwrap_or_default();
            let listed: Vec<&str> = values(&[Word {
                text: first_listed,
                at: in_word.at,
            }])
            .into_iter()
            .chain(values(rest))
            .collect();
            let help = each_on_its_own(subject.text, &listed, negated);
            return phrase(source, first, in_word, help);
        }
    }
    // `n between 1 and 3`, without an `is`: the parse stops at `between`.
    // Not `days between A and B`, a span of dates, told of elsewhere.
    if let (Some(between), Some(subject)) = (
        next.filter(|w| w.at == pos && w.text == "between"),
        before.last(),
    ) {
        let unit = matches!(subject.text, "days" | "weeks" | "months" | "years");
        if is_path(subject.text) && !unit && !super::is_keyword(subject.text) {
            let listed = values(after.get(1..).unwrap_or_default());
            return phrase(source, between, between, each_end(subject.text, &listed));
        }
    }
    // `X is [not] W [than|of] ...`: the last `is` before where the parse
    // stopped, and the one or two words after it.
    let is_at = before.iter().rposition(|w| w.text == "is")?;
    let subject = before.get(is_at.checked_sub(1)?)?;
    let is = *before.get(is_at)?;
    let mut tail: Vec<Word<'_>> = before.get(is_at + 1..)?.to_vec();
    let negated = tail.first().is_some_and(|w| w.text == "not");
    if negated {
        tail.remove(0);
    }
    let word = *tail.first()?;
    // The joining word, read whether the parse stopped before it or after.
    let joining = |w: &str| matches!(w, "than" | "of");
    let mut end = word;
    match tail.get(1..)? {
        [] => {
            if let Some(next) = next.filter(|n| joining(n.text)) {
                end = next;
            }
        }
        [j] if joining(j.text) => end = *j,
        _ => return None,
    }
    let listed_from = after
        .iter()
        .position(|w| w.at > end.at)
        .unwrap_or(after.len());
    let listed = values(after.get(listed_from..).unwrap_or_default());
    let subject = subject.text;
    if SEVERAL.contains(&word.text) {
        return phrase(source, is, end, each_on_its_own(subject, &listed, negated));
    }
    let less = LESS.contains(&word.text);
    if less || GREATER.contains(&word.text) {
        let op = match (less, negated) {
            (true, false) => "<",
            (true, true) => ">=",
            (false, false) => ">",
            (false, true) => "<=",
        };
        let help = format!(
            "did you mean `{op}`? Values are compared with `<`, `<=`, `>` and `>=`: on a scale better is greater, and of two dates the later; `is at most V` and `is at least V` take V too"
        );
        return phrase(source, is, end, help);
    }
    if word.text == "between" && !negated {
        return phrase(source, is, end, each_end(subject, &listed));
    }
    None
}

/// What to write for `X is between A and B`: a comparison with each end.
fn each_end(subject: &str, listed: &[&str]) -> String {
    match listed {
        [low, high, ..] => {
            format!("compare it with each end: `{subject} >= {low} and {subject} <= {high}`")
        }
        _ => format!("compare it with each end: `{subject} >= A and {subject} <= B`"),
    }
}

/// A judgement bounded with `is` before `at most` or `at least` (`then
/// overall is at most requires_improvement`), where the parse stops at the
/// `is` and `expected` is what an effect's judgement takes there: named
/// whole, without the `is`.
pub(super) fn bound_after_is(source: &str, pos: usize, expected: &str) -> Option<SyntaxError> {
    if !expected.contains("`at most`") {
        return None;
    }
    let (_, line_end) = line_around(source, pos)?;
    let after = words(source, pos, line_end);
    let [is, at, most, ..] = after.as_slice() else {
        return None;
    };
    if is.at != pos || is.text != "is" || at.text != "at" || !matches!(most.text, "most" | "least")
    {
        return None;
    }
    let bound = format!("at {}", most.text);
    Some(SyntaxError::Phrased {
        expected: expected.to_string(),
        found: format!("`is {bound}`"),
        help: format!(
            "an effect bounds a judgement with `{bound}` alone, without `is`: `then overall {bound} requires_improvement`"
        ),
        span: Span::new(is.at, most.end()),
    })
}

/// A scale written worst first with `<` (`scale grade: inadequate < good <
/// outstanding`), where the parse stops at the first `<`: a scale is
/// written best first with `>`, and the help writes the values so, in the
/// order the line means.
pub(super) fn scale_worst_first(source: &str, pos: usize) -> Option<SyntaxError> {
    if !source.get(pos..)?.starts_with('<') {
        return None;
    }
    let (line_start, line_end) = line_around(source, pos)?;
    let line = source.get(line_start..line_end)?;
    // Up to a comment after the values.
    let line = line.split_once('#').map_or(line, |(code, _)| code);
    let (name, values) = line.trim().strip_prefix("scale ")?.split_once(':')?;
    let name = name.trim();
    let values: Vec<&str> = values.split('<').map(str::trim).collect();
    let plain = |w: &str| is_path(w) && !w.contains('.');
    if !plain(name) || values.len() < 2 || !values.iter().all(|v| plain(v)) {
        return None;
    }
    let best_first: Vec<&str> = values.into_iter().rev().collect();
    Some(SyntaxError::Phrased {
        expected: "`>`".into(),
        found: "`<`".into(),
        help: format!(
            "a scale lists its values best first, each better than the next: `scale {name}: {}`",
            best_first.join(" > ")
        ),
        span: Span::new(pos, pos + 1),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn help_at(source: &str, stop: &str) -> Option<(String, String)> {
        let pos = source.find(stop)?;
        match english_test(source, pos)? {
            SyntaxError::Phrased { found, help, .. } => Some((found, help)),
            _ => None,
        }
    }

    #[test]
    fn values_are_read_from_a_list_however_it_is_bracketed() {
        let listed = |s: &str| values(&words(s, 0, s.len())).join(" ");
        assert_eq!(listed("(good, outstanding)"), "good outstanding");
        assert_eq!(listed("[good,outstanding]"), "good outstanding");
        assert_eq!(
            listed("inadequate or requires_improvement"),
            "inadequate requires_improvement"
        );
        assert_eq!(listed("2020-01-01 and 2021-01-01"), "2020-01-01 2021-01-01");
    }

    #[test]
    fn only_a_phrase_just_before_the_stop_is_read() {
        // A stop further on, after a test that parsed.
        assert_eq!(help_at("  when lm is below good and x y\n", "y"), None);
        // `is` and a value the grammar takes, then something else.
        assert_eq!(help_at("  when lm is good foo\n", "foo"), None);
        // An unknown word after `is`.
        assert_eq!(help_at("  when lm is wonderful good\n", "good"), None);
        assert_eq!(
            help_at("  when lm is worse than good\n", "than").map(|h| h.0),
            Some("`is worse than`".to_string())
        );
    }
}
