//! The judgement rule language: grammar, AST and diagnostics.
//!
//! [`parse_file`] turns the text of a rule file into an [`ast::File`] with a
//! span on every node, or every syntax error it found; [`parse_file_at`]
//! does the same with every span offset by a base, so that the files of one
//! ruleset (its own and the definitions it uses) share one span space.
//! [`file_kind`] tells a ruleset from a definitions file by its first word. The pest grammar lives
//! in `grammar/judgement.pest`; pest's types never leave this crate.
//! [`suggest::nearest`] finds the name a misspelt word was meant to be.
//!
//! | module | holds |
//! |---|---|
//! | `parse` | the entry points, `file_kind` and the byte-order mark; the only module that sees pest |
//! | `parse::errors` | pest's error in the project's words (grammar rules renamed for readers) |
//! | `parse::limits` | the pre-check before pest (brackets and nesting words, which bound pest's recursion; where comments start), and the operands and depth of an expression |
//! | `parse::lower` | pest pairs -> AST, a file per section of the grammar (`items`, `rules`, `expr`, `literals`, `examples`) |
//! | `precedence` | the one operator table, read by the parser's Pratt parser and by the formatter |
//! | `scan` | the one scanner of text for code, comments and strings (with the escapes `\\` and `\"`), and [`in_comment_or_string`]; `Comments`, the comment starts that end each node's span before its trailing layout; `doc_comment`, the comments that describe a field |
//! | `message` | [`message_pieces`]: a message's text and its `{name}` parts, at their places in the source; [`then_said`], two pieces of prose as two sentences |
//! | `format` | the canonical layout: the printer and its comments (`mod.rs`), `items`, `expr`, `text` |
//! | [`lookalike`] | letters of other scripts that look like Latin ones, and characters that cannot be seen: named by code point, mapped to the ASCII they look like |
//! | [`ast`], `error`, `span`, [`suggest`] | the tree, syntax errors and the limits, spans, suggestions |
#![forbid(unsafe_code)]

// pest is built without its `std` feature (see `parse::limits`); the
// parser it derives names the `alloc` crate.
extern crate alloc;

pub mod ast;
mod error;
mod format;
pub mod lookalike;
mod message;
mod parse;
mod precedence;
mod scan;
mod span;
pub mod suggest;

pub use error::{SyntaxError, MAX_NESTING, MAX_OPERANDS, MAX_SOURCE_BYTES};
pub use format::{format_declarations, format_expr, format_rule_logic, format_source, Declared};
pub use message::{message_pieces, then_said, Piece};
pub use parse::{file_kind, is_keyword, parse_file, parse_file_at};
pub use scan::in_comment_or_string;
pub use span::{line_col, word_at, Span, Spanned};
