//! The judgement rule language: grammar, AST and diagnostics.
//!
//! [`parse_file`] turns the text of a rule file into an [`ast::File`] with a
//! span on every node, or every syntax error it found. The pest grammar lives
//! in `grammar/judgement.pest`; pest's types never leave this crate.
//! [`suggest::nearest`] finds the name a misspelt word was meant to be.
#![forbid(unsafe_code)]

pub mod ast;
mod error;
mod format;
mod parse;
mod span;
pub mod suggest;

pub use error::{SyntaxError, MAX_NESTING, MAX_SOURCE_BYTES};
pub use format::{format_expr, format_source};
pub use parse::parse_file;
pub use span::{line_col, Span, Spanned};
