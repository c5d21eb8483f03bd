#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]

pub use judgement_engine::{
    calendar, diagnostic, evidence, outcome, parse_json, testing, CheckError, Editions, EvalError,
    EvalOptions, FileProblems, Lint, LoadError, Outcome, Problem, RuleInfo, Ruleset, SchemaOptions,
    TestResult, Warning,
};
pub use judgement_syntax::{ast, format_source, line_col, parse_file, Span, Spanned, SyntaxError};
