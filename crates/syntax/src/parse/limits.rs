//! The bounds on what one file may ask of the parser and of every later pass
//! (docs/language.md §16): bracket nesting, refused before pest sees the
//! text, and the operands and depth of each expression, checked as it is
//! lowered.

use crate::ast::Expr;
use crate::error::{SyntaxError, MAX_NESTING, MAX_OPERANDS};
use crate::scan;
use crate::span::Span;

/// Bracket nesting is the one recursion pest cannot bound; refuse it before
/// parsing so that hostile input cannot exhaust the stack. Brackets in
/// comments and strings do not count.
///
/// One pass over the bytes, skipping each comment and string where it
/// starts ([`scan::not_code_len`], which [`scan::regions`] divides the text
/// by too) rather than dividing the whole text into regions first: this
/// runs on every file before pest does.
pub(super) fn too_deep(source: &str) -> Option<Span> {
    let bytes = source.as_bytes();
    let mut depth = 0usize;
    let mut at = 0;
    while let Some(&b) = bytes.get(at) {
        match b {
            // A comment (to its line break, which is code again) or a string.
            b'#' | b'"' => {
                at += scan::not_code_len(source.get(at..).unwrap_or("")).unwrap_or(1);
                continue;
            }
            b'(' | b'[' | b'{' => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Some(Span::new(at, at + 1));
                }
            }
            b')' | b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        at += 1;
    }
    None
}

/// Operators nest in the tree the parser builds (a chain of `and`s is as
/// deep as it is long): an expression of `parts` pairs (operands and
/// operators) is refused before its tree is built if it has too many, so
/// that no later pass can be driven into deep recursion.
pub(super) fn too_many_parts(parts: usize, span: Span) -> Result<(), SyntaxError> {
    if parts > 2 * MAX_OPERANDS {
        return Err(SyntaxError::TooLong {
            limit: MAX_OPERANDS,
            span,
        });
    }
    Ok(())
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
