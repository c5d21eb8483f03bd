//! AST -> checked model: declarations collected, names resolved, types
//! checked, lints applied. Every problem of a file is collected, not just the
//! first. This module holds the entry point [`check`], the [`Checker`] that
//! every pass shares and its helpers; the passes are in:
//!
//! | module | checks |
//! |---|---|
//! | `declarations` | scales and choices, records, evidence fields, thresholds, judgements, the header's references |
//! | `lets` | lets, in an order where each comes after those it reads (a cycle an error) |
//! | `expr` | expressions: operators typed (`mod.rs`), names resolved (`names`), lists and aggregates (`lists`), none-guards (`guards`) |
//! | `rules` | rules and `invalid` checks: lists, conditions, effects, messages |
//! | `examples` | the file's examples and DSL tests, typed against the evidence |
//! | `shared` | the definitions a file uses (their items first, its `needs` resolved) |
//! | `lints` | what is allowed but suspect: unused thresholds and lets, missing citations, hard effects under advisory words; and conflicts seen without evidence |

mod declarations;
mod examples;
mod expr;
mod lets;
mod lints;
mod rules;
mod shared;

pub(crate) use shared::Included;

use crate::diagnostic::{CheckError, More};
use crate::model::*;
use crate::sources::SourceMap;
use crate::types::{EnumId, RecordId, Shown, Type};
use judgement_syntax::ast::{self, FileKind};
use judgement_syntax::Span;
use std::collections::HashMap;

/// Each checked rule's condition and list, borrowed from its file, at the
/// rule's id: what the conflict lint compares to find rules that always fire
/// together (written out only when they may conflict).
type RuleConditions<'i> = crate::ids::Table<RuleId, (Option<&'i ast::Expr>, Option<&'i ast::Expr>)>;

/// What a single-segment name in an expression refers to.
#[derive(Debug, Clone, Copy)]
enum Global {
    Threshold(ThresholdId),
    Let(LetId),
    Judgement(JudgementId),
}

/// What a name whose declaration failed was declared as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Broken {
    Let,
    Judgement,
}

pub(crate) struct Checker {
    pub(crate) model: Model,
    pub(crate) errors: Vec<CheckError>,
    globals: HashMap<String, (Global, Span)>,
    enum_by_name: HashMap<String, (EnumId, Span)>,
    record_by_name: HashMap<String, (RecordId, Span)>,
    field_by_path: HashMap<String, FieldId>,
    /// Lets still to be checked (by name), to resolve forward references.
    pending_lets: HashMap<String, ast::LetDecl>,
    /// Lets being checked, to report a cycle.
    let_stack: Vec<String>,
    /// Each group of fields (`manager` of `manager.vacant_since`), with the
    /// first field declared in it.
    groups: HashMap<String, String>,
    /// The names of the tests checked so far, to find one named twice.
    pub(crate) test_names: std::collections::HashSet<String>,
    /// The first segment of every evidence field's path.
    pub(crate) first_segments: std::collections::HashSet<String>,
    /// Names declared whose declaration failed and was reported (a let in a
    /// cycle or whose value does not check, a judgement on an unknown
    /// scale), each with whether it is a judgement: reading one where its
    /// kind may stand is no further error.
    pub(crate) broken_names: HashMap<String, Broken>,
    /// The names the definitions used ask for (`needs`): a let that meets
    /// one is used by them, whether or not they read it yet.
    pub(crate) needed: std::collections::HashSet<String>,
    /// For each let, the evidence fields it reads (transitively).
    let_reads: Table<LetId, Vec<FieldId>>,
    /// For each let, where its value may be none from.
    let_nullable: Table<LetId, Vec<expr::NullSource>>,
    /// For each let that is a condition: what is known to be set when it is
    /// true (`let stands = previous.overall is set and ...`).
    let_facts: Table<LetId, Vec<expr::NullSource>>,
    /// Thresholds and lets read somewhere: one never read is a policy value
    /// whose change would do nothing.
    used_thresholds: Table<ThresholdId, bool>,
    used_lets: Table<LetId, bool>,
    /// The files of the check, to tell them apart and name places in them.
    sources: SourceMap,
    /// Definitions checked on their own: working days need no calendar (the
    /// using ruleset names it) and nothing is unused (a ruleset may read it).
    definitions: bool,
    /// The placeholders for needs that nothing declares, by name: what each
    /// asks for, and where the first is declared.
    stand_ins: HashMap<String, (shared::Wanted, Span)>,
    /// Set while the effects of a rule whose condition failed to check are
    /// checked: what the condition would have guarded is not known, so a
    /// value that may be none is not reported (it may be guarded there);
    /// every other problem of the effects is.
    guards_unknown: bool,
}

/// Check a parsed file with the definitions it uses (each once, a file
/// after those it uses; their items come first): the model, or the problems
/// found. Warnings are returned in both cases. `sources` maps the spans of
/// all the files.
pub fn check(
    main: &ast::File,
    included: &[Included<'_>],
    sources: &SourceMap,
) -> (Option<Model>, Vec<CheckError>) {
    let mut c = Checker::new(&main.header, sources.clone());
    let (items, needs) = c.gather(main, included);
    c.declare_types(&items);
    c.declare_fields(&items);
    c.model.evidence_keys = Keys::of_evidence(&c.model);
    c.declare_thresholds(&items);
    c.declare_judgement_names(&items);
    let wanted = c.stand_in_for_needs(&needs, &items);
    c.check_lets(&items);
    c.check_needs_provided(&needs, &wanted);
    c.check_judgements(&items);
    let guards = c.check_rules(&items);
    c.check_header_refs(&main.header);
    c.check_examples_and_tests(&items);
    c.lint_unused();
    c.check_static_conflicts(&guards);
    let failed = c.errors.iter().any(|e| !e.warning);
    if failed {
        // Compiling, which finds a cycle, waits for a model with no
        // errors: a cycle is found here too, so that it is reported with
        // the rest.
        c.errors.extend(crate::compile::cycle_in(&c.model));
    }
    let mut errors = std::mem::take(&mut c.errors);
    if errors.len() > MAX_PROBLEMS {
        let left_out = errors.split_off(MAX_PROBLEMS);
        errors.push(more_problems(&left_out));
    }
    ((!failed).then_some(c.model), errors)
}

/// The most problems of one file reported; the rest are counted.
const MAX_PROBLEMS: usize = 500;

/// The problem that stands for those of a file left out of the report, at
/// the first of them (see [`More::problem`]).
fn more_problems(left_out: &[CheckError]) -> CheckError {
    let warnings = left_out.iter().filter(|e| e.warning).count();
    let more = More {
        errors: left_out.len() - warnings,
        warnings,
        missing_citations: left_out
            .iter()
            .filter(|e| e.warning && e.lint == Some(crate::diagnostic::Lint::MissingCitation))
            .count(),
    };
    more.problem(left_out.first().map(|e| e.span).unwrap_or_default())
}

impl Checker {
    fn new(header: &ast::RulesetDecl, sources: SourceMap) -> Checker {
        let meta = Meta {
            name: header.name.node.clone(),
            title: header.title.node.clone(),
            source: header.source.as_ref().map(|s| s.node.clone()),
            reference: header.reference.as_ref().map(|s| s.node.clone()),
            edition: header
                .edition
                .as_ref()
                .map(|s| s.node.clone())
                .or_else(|| {
                    header
                        .in_force
                        .as_ref()
                        .map(|f| f.node.from.format("%Y-%m").to_string())
                })
                .unwrap_or_else(|| "unversioned".into()),
            in_force_from: header.in_force.as_ref().map(|f| f.node.from),
            in_force_to: header.in_force.as_ref().and_then(|f| f.node.to),
            calendar: header.calendar.as_ref().map(|c| c.node.clone()),
            as_at: None,
            evaluated_on: None,
        };
        Checker {
            model: Model {
                meta,
                enums: Table::new(),
                records: Table::new(),
                fields: Table::new(),
                thresholds: Table::new(),
                lets: Table::new(),
                judgements: Table::new(),
                rules: Table::new(),
                exprs: Table::new(),
                expr_spans: Table::new(),
                steps: Vec::new(),
                chains: Table::new(),
                loop_guards: Table::new(),
                guards: Table::new(),
                let_guards: Table::new(),
                judgement_guards: Table::new(),
                leads: Box::default(),
                judgement_leads: Table::new(),
                keyed: Box::default(),
                closed: Box::default(),
                checks: Box::default(),
                let_plan: None,
                examples: Vec::new(),
                tests: Vec::new(),
                evidence_keys: Keys::default(),
            },
            errors: Vec::new(),
            globals: HashMap::new(),
            enum_by_name: HashMap::new(),
            record_by_name: HashMap::new(),
            field_by_path: HashMap::new(),
            pending_lets: HashMap::new(),
            let_stack: Vec::new(),
            broken_names: HashMap::new(),
            needed: std::collections::HashSet::new(),
            groups: HashMap::new(),
            first_segments: std::collections::HashSet::new(),
            test_names: std::collections::HashSet::new(),
            let_reads: Table::new(),
            let_nullable: Table::new(),
            let_facts: Table::new(),
            used_thresholds: Table::new(),
            used_lets: Table::new(),
            sources,
            definitions: header.kind == FileKind::Definitions,
            stand_ins: HashMap::new(),
            guards_unknown: false,
        }
    }

    pub(crate) fn shown(&self, ty: Type) -> String {
        let enum_names: Vec<String> = self.model.enums.iter().map(|e| e.name.clone()).collect();
        let record_names: Vec<String> = self.model.records.iter().map(|r| r.name.clone()).collect();
        Shown {
            ty,
            enum_names: &enum_names,
            record_names: &record_names,
        }
        .to_string()
    }

    fn duplicate(&mut self, what: &str, name: &str, span: Span, first: Span) {
        let help = if self.sources.same_file(first, span) {
            match self.sources.line(first) {
                Some(line) => {
                    format!("the first is on line {line}; give each declaration its own name")
                }
                None => "give each declaration its own name".to_string(),
            }
        } else {
            format!(
                "the first is at {}; give each declaration its own name",
                self.sources.place(first)
            )
        };
        self.errors.push(
            CheckError::error(
                format!("{what} `{name}` is declared twice"),
                span,
                "declared again here",
            )
            .with_help(help),
        );
    }

    /// Whether a span is in the file checked (not in definitions it uses).
    fn is_own(&self, span: Span) -> bool {
        self.sources.file_of(span).is_none_or(|f| f.base() == 0)
    }

    fn declare_global(&mut self, name: &ast::Name, global: Global) {
        if let Some((_, first)) = self.globals.get(&name.node) {
            let first = *first;
            self.duplicate("the name", &name.node, name.span, first);
            return;
        }
        self.refuse_name_of_field(name);
        self.globals.insert(name.node.clone(), (global, name.span));
    }

    /// A threshold, let or judgement named as an evidence field, or as the
    /// first part of one's path (`proposed` beside `proposed.overall`),
    /// would hide the evidence from every rule that names it: an error.
    /// The name is still declared, so that its uses raise nothing more.
    pub(super) fn refuse_name_of_field(&mut self, name: &ast::Name) {
        let n = name.node.as_str();
        if !self.first_segments.contains(n) {
            return;
        }
        let what = if self.field_by_path.contains_key(n) {
            format!("`{n}` is an evidence field")
        } else {
            let field = self
                .model
                .fields
                .iter()
                .map(|f| f.name.as_str())
                .find(|f| f.strip_prefix(n).is_some_and(|rest| rest.starts_with('.')))
                .unwrap_or(n);
            format!("`{n}` starts the evidence field `{field}`")
        };
        self.errors.push(
            CheckError::error(
                format!("{what}; a threshold, let or judgement may not take its name"),
                name.span,
                "hides evidence",
            )
            .with_help("rules would read this name, never the evidence: give it a name of its own"),
        );
    }

    pub(crate) fn enum_value(&self, id: EnumId, name: &str) -> Option<u16> {
        self.model
            .enums
            .get(id)?
            .values
            .iter()
            .position(|v| v == name)
            .and_then(|i| u16::try_from(i).ok())
    }

    pub(crate) fn mark_threshold_used(&mut self, i: ThresholdId) {
        while self.used_thresholds.len() <= i.index() {
            self.used_thresholds.push(false);
        }
        if let Some(u) = self.used_thresholds.get_mut(i) {
            *u = true;
        }
    }

    pub(crate) fn mark_let_used(&mut self, i: LetId) {
        while self.used_lets.len() <= i.index() {
            self.used_lets.push(false);
        }
        if let Some(u) = self.used_lets.get_mut(i) {
            *u = true;
        }
    }
}

#[cfg(test)]
mod more_problems_tests {
    use super::*;

    fn problems(errors: usize, warnings: usize) -> Vec<CheckError> {
        let span = Span::new(3, 4);
        (0..errors)
            .map(|_| CheckError::error("e", span, "e"))
            .chain((0..warnings).map(|_| CheckError::warning("w", span, "w")))
            .collect()
    }

    #[test]
    fn the_problems_left_out_are_counted_by_kind_and_are_an_error_only_with_an_error() {
        for (errors, warnings, message, warning) in [
            (0, 1, "and 1 more warning in this file", true),
            (0, 7, "and 7 more warnings in this file", true),
            (1, 0, "and 1 more error in this file", false),
            (
                1,
                2,
                "and 1 more error and 2 more warnings in this file",
                false,
            ),
            (
                3,
                1,
                "and 3 more errors and 1 more warning in this file",
                false,
            ),
        ] {
            let more = more_problems(&problems(errors, warnings));
            assert_eq!(more.message, message);
            assert_eq!(more.warning, warning, "{message}");
            assert_eq!(
                more.more.as_deref(),
                Some(&More {
                    errors,
                    warnings,
                    missing_citations: 0
                })
            );
            assert_eq!(more.span, Span::new(3, 4));
        }
    }

    #[test]
    fn missing_citations_left_out_are_counted_and_strictly_are_errors() {
        let mut left_out = problems(0, 3);
        for p in left_out.iter_mut().take(2) {
            p.lint = Some(crate::diagnostic::Lint::MissingCitation);
        }
        let more = more_problems(&left_out).more.map_or(
            More {
                errors: 0,
                warnings: 0,
                missing_citations: 0,
            },
            |m| *m,
        );
        assert_eq!((more.warnings, more.missing_citations), (3, 2));
        let strictly = more.strictly();
        assert_eq!((strictly.errors, strictly.warnings), (2, 1));
        let problem = strictly.problem(Span::new(3, 4));
        assert!(!problem.warning);
        assert_eq!(
            problem.message,
            "and 2 more errors and 1 more warning in this file"
        );
    }
}
