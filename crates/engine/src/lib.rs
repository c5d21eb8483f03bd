//! The judgement engine: checks a parsed ruleset, compiles it to a flat plan
//! and evaluates evidence records against it.
//!
//! | stage | module | gives |
//! |---|---|---|
//! | source -> AST | `judgement_syntax` | [`judgement_syntax::ast::File`] |
//! | `uses` -> definitions | `definitions` | each definitions file parsed once, in one span space ([`sources::SourceMap`]) |
//! | AST -> checked model | `check` | names resolved, types checked, lints |
//! | checked model -> plan | `compile` | evaluation order of rules and judgements (reads only the model) |
//! | evidence JSON -> slots | `evidence` | values by slot, errors by JSON path |
//! | plan + slots -> outcome | `eval` | [`Outcome`], typed, borrowing from the ruleset |
//! | outcome + trace -> plain English | `explain` | [`explain()`] |
//! | outcome + the parts of a condition -> "why not?" | `why_not` | `WhyNot`, `why_not_text` |
//! | DSL tests and a corpus -> rule coverage | `coverage` | `coverage::Coverage` |
//! | outcome -> its compact form | [`compact`] | [`CompactOutcome`] (`Outcome::compact`) |
//!
//! Embedders hold a [`Ruleset`] (or the [`Editions`] of one) and call
//! [`Ruleset::evaluate`]; both are immutable and `Send + Sync`. A
//! [`Context`] gives a rule file the calendars and definitions it may name.
#![forbid(unsafe_code)]

pub mod calendar;
mod check;
pub mod compact;
mod compile;
pub mod coverage;
mod definitions;
pub mod diagnostic;
pub mod diff;
pub mod embed;
mod error;
mod eval;
mod evidence;
mod explain;
mod ids;
mod json;
mod model;
pub mod outcome;
mod ruleset;
mod schema;
mod show;
pub mod sources;
mod suggest;
pub mod testing;
mod types;
mod value;
pub mod why_not;

pub use compact::CompactOutcome;
pub use definitions::{Context, Definitions, DefinitionsSource, MAX_USES_DEPTH};
pub use diagnostic::{CheckError, FileProblems, Lint, LoadError, More, Problem};
pub use embed::Engine;
pub use error::{ElementAt, EvalError};
pub use evidence::{clipped, EvidenceError};
pub use explain::explain;
pub use outcome::{Outcome, Warning};
pub use ruleset::{
    calendar_files, parse_json, read_source, rulesets_within, several_values, Editions,
    EvalOptions, ReadEvidence, RuleInfo, Ruleset, SchemaOptions,
};
pub use show::{printable, printable_lines, unprintable_in_lines};
pub use testing::TestResult;
pub use why_not::{why_not, why_not_in_force, why_not_text, WhyNot, WhyNotError};
