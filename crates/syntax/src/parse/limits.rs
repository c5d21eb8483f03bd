//! The bounds on what one file may ask of the parser and of every later pass
//! (docs/language.md §16): how deep pest could recurse (brackets, and the
//! words that nest without them), refused before pest sees the text, and
//! the operands and depth of each expression, checked as it is lowered.

use crate::ast::Expr;
use crate::error::{SyntaxError, MAX_NESTING, MAX_OPERANDS};
use crate::scan;
use crate::span::Span;

/// How deep pest may recurse, refused before it parses so that hostile input
/// cannot exhaust the stack: pest is built without its own stack guard (its
/// `std` feature), which tested the stack at every rule it tried and cost a
/// sixth of parsing. Brackets in comments and strings do not count.
///
/// pest recurses only through brackets and through the words that start a
/// construct holding an expression or a term: `day after`, `every`,
/// `count`, `days from`, ... ([`nests`]). Each level of its recursion is
/// one of those, so the brackets open plus those words since the last
/// clause keyword or comma ([`ends_nesting`]), neither of which an
/// expression holds, bound its depth; more than [`MAX_NESTING`] is refused.
/// Brackets left open are counted on to the next declaration that starts a
/// line, where pest, which cannot parse a keyword inside a bracket, has
/// stopped, and where the errors after the first are read again from.
/// The bound counts a word even where it starts a sibling rather than a
/// level (`day after a + day after b`), so it may refuse a clause whose
/// expressions are less deep than that; the check after lowering
/// ([`check_expr`]) measures the depth itself.
///
/// One pass over the bytes, skipping each comment and string where it
/// starts ([`scan::not_code_len`], which [`scan::regions`] divides the text
/// by too) rather than dividing the whole text into regions first: this
/// runs on every file before pest does. It notes where each comment starts,
/// for lowering, which ends each node's span before its trailing layout;
/// where the file nests too deep, the span of the bracket or word that
/// passes the limit.
pub(super) fn pre_check(source: &str) -> Result<scan::Comments, Span> {
    let bytes = source.as_bytes();
    let mut comments = scan::Comments::default();
    let mut brackets = 0usize;
    let mut words = 0usize;
    let mut at = 0;
    while let Some(&b) = bytes.get(at) {
        match b {
            // A comment (to its line break, which is code again) or a string.
            b'#' | b'"' => {
                if b == b'#' {
                    comments.push(at);
                }
                at += scan::not_code_len(source.get(at..).unwrap_or("")).unwrap_or(1);
                continue;
            }
            b'(' | b'[' | b'{' => {
                brackets += 1;
                if brackets + words > MAX_NESTING {
                    return Err(Span::new(at, at + 1));
                }
            }
            b')' | b']' | b'}' => brackets = brackets.saturating_sub(1),
            b',' => words = 0,
            _ if scan::is_word_byte(b) => {
                let end = at + scan::word_len(source.get(at..).unwrap_or(""));
                // A number or a date's digits, or a segment of a path
                // (`manager.start`), is no keyword.
                let after_dot = at > 0 && bytes.get(at - 1) == Some(&b'.');
                if b.is_ascii_alphabetic() && !after_dot {
                    let word = source.get(at..end).unwrap_or("");
                    if ends_nesting(word) {
                        words = 0;
                        // A declaration's word at the start of a line: no
                        // bracket is open across it in a file that parses,
                        // and the errors after a bracket left open are
                        // read again from such a line, on their own
                        // (`later_errors`); so is the depth.
                        let line_start = at == 0 || bytes.get(at - 1) == Some(&b'\n');
                        if line_start && super::DECLARATION_WORDS.contains(&word) {
                            brackets = 0;
                        }
                    } else if nests(word, || scan::first_word(source.get(end..).unwrap_or(""))) {
                        words += 1;
                        if brackets + words > MAX_NESTING {
                            return Err(Span::new(at, end));
                        }
                    }
                }
                at = end;
                continue;
            }
            _ => {}
        }
        at += 1;
    }
    Ok(comments)
}

/// Whether `word`, followed by the word `next` finds, starts a construct
/// that holds an expression or a term, through which pest recurses without
/// a bracket. The next word is read only for the words that need it.
fn nests<'s>(word: &str, next: impl FnOnce() -> &'s str) -> bool {
    match word {
        "every" | "some" | "count" | "earliest" | "latest" | "total" | "longest" => true,
        // `then no judgement`, `expect no actions`, ...: not a quantifier,
        // whose binder cannot be a reserved word. `finding` is not one, so
        // `no finding x` counts as `no finding in ...` would.
        "no" => !matches!(
            next(),
            "judgement" | "action" | "actions" | "advisory" | "advisories" | "deadline"
        ),
        "most" => next() == "days",
        "day" => matches!(next(), "after" | "before"),
        "days" | "month" | "months" | "year" | "years" => next() == "from",
        "next" => next() == "working",
        "start" | "end" | "date" | "time" => next() == "of",
        _ => false,
    }
}

/// The keywords that start a declaration or a clause: reserved, so never a
/// name inside an expression, and no expression holds them, so each ends
/// whatever recursion came before it.
fn ends_nesting(word: &str) -> bool {
    matches!(
        word,
        "rule"
            | "when"
            | "then"
            | "quote"
            | "note"
            | "advise"
            | "likely"
            | "let"
            | "threshold"
            | "judgement"
            | "test"
            | "given"
            | "with"
            | "expect"
            | "example"
            | "evidence"
            | "record"
            | "scale"
            | "choice"
            | "ruleset"
            | "source"
            | "reference"
            | "edition"
            | "calendar"
    )
}

/// Operators nest in the tree the parser builds (a chain of `and`s is as
/// deep as it is long): an expression of `parts` pairs (operands and
/// operators) is refused before its tree is built if it has too many, so
/// that no later pass can be driven into deep recursion. Where what makes
/// them too many is a run of prefix operators one inside the next (`not
/// not ... x`, which has one operand), `prefixes_in_a_row` gives the
/// longest, asked only then, and the expression is refused as nested too
/// deep, as a shorter run past [`MAX_NESTING`] is.
pub(super) fn too_many_parts(
    parts: usize,
    prefixes_in_a_row: impl FnOnce() -> usize,
    span: Span,
) -> Result<(), SyntaxError> {
    if parts <= 2 * MAX_OPERANDS {
        return Ok(());
    }
    if prefixes_in_a_row() > MAX_NESTING {
        return Err(SyntaxError::TooDeep {
            limit: MAX_NESTING,
            span,
        });
    }
    Err(SyntaxError::TooLong {
        limit: MAX_OPERANDS,
        span,
    })
}

/// The limits on a whole expression, brackets and all: its operands and how
/// deep it nests.
pub(super) fn check_expr(expr: &Expr, span: Span) -> Result<(), SyntaxError> {
    if operands(expr) > MAX_OPERANDS {
        return Err(SyntaxError::TooLong {
            limit: MAX_OPERANDS,
            span,
        });
    }
    if depth(expr) > MAX_NESTING {
        return Err(SyntaxError::TooDeep {
            limit: MAX_NESTING,
            span,
        });
    }
    Ok(())
}

/// The operands of the operators in an expression, brackets and all:
/// one more than its binary operators.
fn operands(expr: &Expr) -> usize {
    let mut count = 1;
    let mut todo = vec![expr];
    while let Some(e) = todo.pop() {
        if matches!(e, Expr::Binary { .. }) {
            count += 1;
        }
        todo.extend(e.children().map(|c| &c.node));
    }
    count
}

/// How deep an expression nests, counting a chain of one operator
/// (`a and b and c`) as one level, however long.
fn depth(expr: &Expr) -> usize {
    match expr {
        Expr::Binary { op, lhs, rhs } => {
            let left = match &lhs.node {
                Expr::Binary { op: inner, .. } if inner == op => depth(&lhs.node),
                _ => 1 + depth(&lhs.node),
            };
            left.max(1 + depth(&rhs.node))
        }
        _ => 1 + expr.children().map(|c| depth(&c.node)).max().unwrap_or(0),
    }
}

#[cfg(test)]
mod tests {
    use super::{ends_nesting, nests};

    /// Whether the grammar reserves a word: it cannot be a name.
    fn reserved(word: &str) -> bool {
        crate::parse_file(&format!("ruleset x \"t\"\nlet {word} = 1\n")).is_err()
    }

    /// The pre-check's bound holds only if the words it restarts the count
    /// at, and those after which `no` is not a quantifier, can never be a
    /// name inside an expression: each must stay in the grammar's reserved
    /// words (`keyword` in grammar/judgement.pest).
    #[test]
    fn the_words_the_count_relies_on_are_reserved() {
        let mut relied_on = 0;
        for word in super::super::keywords() {
            if ends_nesting(word) || !nests("no", || word) {
                assert!(reserved(word), "`{word}` is not reserved");
                relied_on += 1;
            }
        }
        // 24 clause keywords and the 6 words of `no judgement`, `no action`,
        // ..., `judgement` among both.
        assert_eq!(relied_on, 29);
        assert!(!reserved("day"), "a name that is no keyword parses");
    }
}
