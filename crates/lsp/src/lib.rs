//! `judgement-lsp`: a language server for judgement rule files, over
//! stdio, on `lsp-server` (synchronous: one message at a time).
//!
//! | module | holds |
//! |---|---|
//! | `server` | the capabilities and the loop: each request and notification to its handler |
//! | `documents` | the open documents, kept in step with the editor's changes |
//! | `analysis` | a document checked with what is beside it on disk: diagnostics, the index, the compiled ruleset |
//! | `position` | byte offsets <-> the editor's lines and UTF-16 characters |
//! | `index` | the names declared and read, by span, from the AST |
//! | `hover`, `navigate`, `complete` | hover; go to definition and find references; completion |
//! | `outline` | the document's declarations, for the editor's outline |
//! | `fix` | quick fixes: the name a "did you mean" help suggests |
//! | `lens` | the code lenses and the command that runs the file's tests |
//! | `runs` | the runs of tests, bounded: one thread for a document, at most `MOST_RUNS` at once |
//!
//! Formatting is `judgement_syntax::format_source`, in `server`.
#![forbid(unsafe_code)]

mod analysis;
mod complete;
mod documents;
mod fix;
mod hover;
mod index;
mod lens;
mod navigate;
mod outline;
mod position;
mod runs;
mod server;
pub mod transport;

pub use lens::RUN_TESTS;
pub use runs::MOST_RUNS;
pub use server::{capabilities, run};
