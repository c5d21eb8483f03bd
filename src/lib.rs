#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]

pub use judgement_engine::{
    calendar, calendar_files, compact, coverage, diagnostic, diff, embed, explain, outcome,
    parse_json, printable, printable_lines, read_source, rulesets_within, sources, testing,
    unprintable_in_lines, why_not, why_not_in_force, why_not_text, CheckError, CompactOutcome,
    Context, Definitions, DefinitionsSource, Editions, Engine, EvalError, EvalOptions,
    EvidenceError, FileProblems, Lint, LoadError, Outcome, Problem, ReadEvidence, RuleInfo,
    Ruleset, SchemaOptions, TestResult, Warning, WhyNot, WhyNotError, MAX_USES_DEPTH,
};
pub use judgement_syntax::{
    ast, file_kind, format_source, line_col, parse_file, parse_file_at, Span, Spanned, SyntaxError,
    MAX_NESTING, MAX_OPERANDS, MAX_SOURCE_BYTES,
};
