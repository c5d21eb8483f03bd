//! The compiled ruleset that embedders hold: immutable, `Send + Sync`,
//! compiled once and evaluated many times (here); the editions of a ruleset
//! in a folder, chosen by the evidence date they are in force on
//! (`editions.rs`); and the reading of rule and calendar files from disk
//! (`files.rs`).

mod editions;
mod files;

pub use editions::Editions;
pub use files::{calendar_files, read_source, rulesets_within};
pub(crate) use files::{find_calendars, readable};

use crate::calendar::Calendar;
use crate::definitions::{Context, DefinitionsSource, Parsed};
use crate::diagnostic::{CheckError, FileProblems, LoadError, Problem};
use crate::error::EvalError;
use crate::model::Model;
use crate::outcome::{CalendarRef, Outcome, RulesetRef, Spare};
pub use crate::schema::SchemaOptions;
use crate::sources::SourceMap;
use crate::{eval, evidence};
use chrono::NaiveDate;
use judgement_syntax::ast::{FileKind, Item};
use judgement_syntax::Span;
use serde_json::Value as Json;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

/// Options for one evaluation. Build it from the default, so that a new
/// option does not break the caller:
/// `EvalOptions { trace: true, ..EvalOptions::default() }`.
#[derive(Debug, Clone, Copy, Default)]
pub struct EvalOptions {
    /// Record every step (rules, lets, working-day counts) in `trace`.
    pub trace: bool,
    /// Accept evidence keys the ruleset does not declare, listing them in the
    /// outcome's `warnings`. By default each one is an error, with the
    /// declared field nearest to it: a misspelt key would otherwise be read
    /// as an absent field and give a wrong outcome.
    pub allow_unknown_fields: bool,
}

/// A checked and compiled ruleset edition.
#[derive(Debug, Clone)]
pub struct Ruleset {
    model: Model,
    calendar: Option<Arc<Calendar>>,
    /// Its own file and the definitions it uses, in one span space.
    sources: SourceMap,
    /// sha256 of `sources`, worked out when first asked for: checking a
    /// ruleset does not need it, and it is about a tenth of compiling one.
    digest: OnceLock<String>,
    path: Option<PathBuf>,
    warnings: Vec<Problem>,
    /// Thresholds and lets by name, with their expressions as written (in
    /// the canonical layout), in the order declared.
    thresholds: Vec<(String, String)>,
    lets: Vec<(String, String)>,
    /// The rules and other declarations as written: made from the sources
    /// when first asked for (by `diff`), so that loading a ruleset does not
    /// pay for it.
    written: OnceLock<Written>,
    /// The evidence laid out for reading text in one pass (none if it cannot
    /// be, and then text is read through `serde_json::Value`).
    reader: Option<evidence::Reader>,
    /// The leads that read only fields, read on `reader`'s defaults (`eval::AtRest`).
    at_rest: Option<eval::AtRest>,
    /// Each rule's and each let's index in the model, by name: explain and
    /// why-not look up a name for every step of a trace, which a search
    /// along the list would make quadratic in a large ruleset.
    rule_index: HashMap<String, usize>,
    let_index: HashMap<String, usize>,
    /// The most elements one evaluation (or one why-not question) reads
    /// with quantifiers and aggregates inside another binder
    /// ([`Ruleset::with_most_nested_reads`]).
    most_nested_reads: u64,
}

/// An evidence record read by a ruleset ([`Ruleset::read_evidence_str`]),
/// to be evaluated by the same ruleset: it borrows the ruleset, so it
/// cannot be evaluated by another, whose fields would be laid out
/// differently.
#[derive(Debug, Clone)]
pub struct ReadEvidence<'r> {
    ruleset: &'r Ruleset,
    record: evidence::Evidence,
}

impl<'r> ReadEvidence<'r> {
    /// The record's `id`, if it has one.
    pub fn id(&self) -> Option<&str> {
        self.record.id.as_deref()
    }

    /// Evaluate the record: the outcome [`Ruleset::evaluate_str`] gives
    /// for its text, made in the room of the outcome last given back to
    /// `spare` ([`Outcome::recycle`]). Of `options`, only `trace` matters
    /// here (the record is already read). The record stays as it is, to
    /// be evaluated again.
    pub fn evaluate(
        &self,
        options: EvalOptions,
        spare: &mut Spare<'r>,
    ) -> Result<Outcome<'r>, EvalError> {
        self.ruleset.evaluate_read(&self.record, options, spare)
    }
}

impl Drop for ReadEvidence<'_> {
    /// The record's slots and id are kept for the next record read on
    /// this thread.
    fn drop(&mut self) {
        evidence::give_back(std::mem::take(&mut self.record));
    }
}

/// What a rule says of itself, for explanations.
#[derive(Debug, Clone, Copy)]
pub struct RuleInfo<'a> {
    pub id: &'a str,
    pub cite: &'a str,
    pub quote: Option<&'a str>,
    pub notes: &'a [String],
    /// Whether it has a `when` condition.
    pub has_condition: bool,
    /// Whether it has a hard effect (not only advice).
    pub hard: bool,
}

/// A ruleset's declarations as written, on one line each in the canonical
/// layout, in the order checked (the definitions' first, then its own).
#[derive(Debug, Clone, Default)]
struct Written {
    /// Each rule's id, its citation, and what it does
    /// (`judgement_syntax::format_rule_logic`).
    rules: Vec<(String, String, String)>,
    /// Each scale, choice, field, judgement and `invalid` check
    /// (`judgement_syntax::format_declarations`).
    declarations: Vec<judgement_syntax::Declared>,
}

/// The declarations of a ruleset's files, parsed again from their text. A
/// file that no longer parses (it did when the ruleset was made) gives
/// none.
fn written(sources: &SourceMap) -> Written {
    let files = sources.files();
    let in_order = files.iter().skip(1).chain(files.first());
    let mut out = Written::default();
    for file in in_order {
        let Ok(parsed) = judgement_syntax::parse_file(file.text()) else {
            continue;
        };
        for item in &parsed.items {
            if let Item::Rule(r) = item {
                let cite = r.citation.as_ref().map(|c| c.node.clone());
                out.rules.push((
                    r.id.node.clone(),
                    cite.unwrap_or_default(),
                    judgement_syntax::format_rule_logic(r),
                ));
            }
        }
        out.declarations
            .extend(judgement_syntax::format_declarations(&parsed));
    }
    out
}

impl Ruleset {
    /// Parse, check and compile one rule file that uses no definitions.
    /// `calendars` are the calendars it may name. On failure, every problem
    /// found (errors and warnings). A rule file with `uses` clauses needs
    /// [`Ruleset::from_sources`], which is given the definitions.
    pub fn from_source(source: &str, calendars: &[Calendar]) -> Result<Ruleset, Vec<Problem>> {
        Ruleset::compile(None, source, calendars, &BTreeMap::new())
            .map_err(|files| files.into_iter().flat_map(|f| f.problems).collect())
    }

    /// Parse, check and compile one rule file with what it may name from
    /// outside itself: calendars, and the definitions its `uses` clauses
    /// name. `path` names the file in messages (any label will do). On
    /// failure, every problem found, by file, with spans of each file's own
    /// text.
    pub fn from_sources(
        path: &Path,
        source: &str,
        context: &Context,
    ) -> Result<Ruleset, Vec<FileProblems>> {
        Ruleset::compile(Some(path), source, &context.calendars, &context.definitions)
    }

    fn compile(
        path: Option<&Path>,
        source: &str,
        calendars: &[Calendar],
        definitions: &BTreeMap<String, DefinitionsSource>,
    ) -> Result<Ruleset, Vec<FileProblems>> {
        let mut parsed = Parsed::read(path, source, definitions)?;
        if parsed.main.header.kind == FileKind::Definitions {
            let name = &parsed.main.header.name;
            parsed.problems.push(Problem::Check(
                CheckError::error(
                    format!("`{}` holds definitions, not a ruleset", name.node),
                    name.span,
                    "definitions",
                )
                .with_help(format!(
                    "a ruleset uses them with `uses {}`; `judgement check` checks them on their own",
                    name.node
                )),
            ));
            return Err(parsed.sources.split(parsed.problems));
        }
        // Definitions that are missing or do not parse would make every name
        // they declare unknown: those errors alone say what is wrong.
        if parsed.lacks_definitions() {
            return Err(parsed.sources.split(parsed.problems));
        }
        let model = parsed.check();
        let calendar = match (&parsed.main.header.calendar, &model) {
            (Some(name), Some(_)) => match calendars.iter().find(|c| c.name() == name.node) {
                Some(c) => Some(Arc::new(c.clone())),
                None => {
                    let known: Vec<&str> = calendars.iter().map(Calendar::name).collect();
                    let help = if known.is_empty() {
                        "calendars are files `calendars/NAME.calendar` beside the rulesets"
                            .to_string()
                    } else {
                        crate::suggest::help_with(
                            crate::suggest::did_you_mean(&name.node, known.iter().copied()),
                            format!("the calendars found are {}", known.join(", ")),
                        )
                    };
                    parsed.problems.push(Problem::Check(
                        CheckError::error(
                            format!("there is no calendar `{}`", name.node),
                            name.span,
                            "unknown calendar",
                        )
                        .with_help(help),
                    ));
                    None
                }
            },
            _ => None,
        };
        let model = match model {
            Some(model) if !parsed.has_errors() => model,
            _ => return Err(parsed.sources.split(parsed.problems)),
        };
        let (mut thresholds, mut lets) = (Vec::new(), Vec::new());
        for item in parsed.items() {
            let (list, name, value) = match item {
                Item::Threshold(t) => (&mut thresholds, &t.name, &t.value),
                Item::Let(l) => (&mut lets, &l.name, &l.value),
                _ => continue,
            };
            list.push((
                name.node.clone(),
                judgement_syntax::format_expr(&value.node),
            ));
        }
        let reader = evidence::Reader::new(&model);
        let at_rest = reader
            .as_ref()
            .map(|r| eval::AtRest::new(&model, r.stamp(), r.defaults()));
        let rule_index = model
            .rules
            .iter()
            .enumerate()
            .map(|(i, r)| (r.id.clone(), i))
            .collect();
        let let_index = model
            .lets
            .iter()
            .enumerate()
            .map(|(i, l)| (l.name.clone(), i))
            .collect();
        Ok(Ruleset {
            rule_index,
            let_index,
            reader,
            at_rest,
            model,
            calendar,
            digest: OnceLock::new(),
            sources: parsed.sources,
            path: path.map(Path::to_path_buf),
            warnings: parsed.problems,
            thresholds,
            lets,
            written: OnceLock::new(),
            most_nested_reads: eval::MOST_NESTED_READS,
        })
    }

    /// This ruleset, reading at most `most` elements with quantifiers and
    /// aggregates inside another binder for one record (and for one
    /// why-not question, over all its evaluations) before refusing it with
    /// [`EvalError::TooManyNestedReads`]. A list read once for each element
    /// of another (or of itself) that no index answers takes time that
    /// grows with the product of the lengths; the default,
    /// 20,000,000, takes about a second to reach, and no record of a real
    /// inspection comes near it. An embedding that must answer sooner sets
    /// fewer.
    pub fn with_most_nested_reads(mut self, most: u64) -> Ruleset {
        self.most_nested_reads = most;
        self
    }

    /// The most elements one evaluation reads inside another binder: see
    /// [`Ruleset::with_most_nested_reads`].
    pub fn most_nested_reads(&self) -> u64 {
        self.most_nested_reads
    }

    /// Load one rule file, with the calendars and definitions found beside
    /// it ([`Context::beside`]: `calendars/*.calendar` and
    /// `definitions/NAME.rules` in its folder or any folder above).
    pub fn load(path: &Path) -> Result<Ruleset, LoadError> {
        let source = read_source(path)?;
        if judgement_syntax::file_kind(&source) == FileKind::Definitions {
            return Err(LoadError::NotARuleset {
                path: path.to_path_buf(),
            });
        }
        let context = Context::beside(path)?;
        Ruleset::from_sources(path, &source, &context).map_err(|files| LoadError::Invalid {
            path: path.to_path_buf(),
            files,
        })
    }

    pub fn name(&self) -> &str {
        &self.model.meta.name
    }
    pub fn title(&self) -> &str {
        &self.model.meta.title
    }
    /// The document the rules encode, as the header's `source` names it.
    pub fn source(&self) -> Option<&str> {
        self.model.meta.source.as_deref()
    }
    /// The header's `reference` (the document's own reference number).
    pub fn reference(&self) -> Option<&str> {
        self.model.meta.reference.as_deref()
    }
    /// The DSL tests written in the rule file, by name, each with the
    /// evidence it evaluates (its example with its assignments applied,
    /// built as the iterator reaches it).
    pub fn test_cases(&self) -> impl Iterator<Item = (&str, Json)> + '_ {
        self.model
            .tests
            .iter()
            .map(|t| (t.name.as_str(), self.model.test_evidence(t)))
    }
    /// The edition, named in every outcome as `ruleset.version`.
    pub fn version(&self) -> &str {
        &self.model.meta.edition
    }
    /// sha256 of the rule file's text, hex. For a ruleset that uses
    /// definitions, of its text followed, for each definitions file in the
    /// order they are read (depth first from its `uses` clauses, as
    /// [`SourceMap::files`] lists them), by a NUL byte, the definitions'
    /// name, a NUL byte and their text: changing a definitions file changes
    /// the digest of every ruleset that uses it.
    pub fn digest(&self) -> &str {
        self.digest.get_or_init(|| digest(&self.sources))
    }
    /// The text of the rule file itself (not of the definitions it uses:
    /// see [`Ruleset::sources`]). Spans of the model that fall in it are
    /// offsets into this text.
    pub fn source_text(&self) -> &str {
        self.sources.main().map_or("", |f| f.text())
    }
    /// The rule file and the definitions it uses, and which span is where.
    pub fn sources(&self) -> &SourceMap {
        &self.sources
    }
    /// The source text a span of the model covers, in whichever file it is
    /// (a condition of a rule written in definitions, say).
    pub fn text_of(&self, span: Span) -> Option<&str> {
        self.sources.text_of(span)
    }
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }
    /// Warnings found while checking (errors stop compilation). Their spans
    /// are in the span space of [`Ruleset::sources`]; see
    /// [`Ruleset::warnings_by_file`] for each file's own.
    pub fn warnings(&self) -> &[Problem] {
        &self.warnings
    }
    /// The warnings grouped by file, with spans of each file's text.
    pub fn warnings_by_file(&self) -> Vec<FileProblems> {
        self.sources.split(self.warnings.clone())
    }

    /// The leads that read only fields, read on the one-pass reader's defaults.
    #[cfg(test)]
    pub(crate) fn at_rest(&self) -> Option<&eval::AtRest> {
        self.at_rest.as_ref()
    }

    pub(crate) fn model(&self) -> &Model {
        &self.model
    }
    pub fn calendar(&self) -> Option<&Calendar> {
        self.calendar.as_deref()
    }
    /// The thresholds in the order declared: each name, and its value as
    /// written (in the canonical layout: `26 weeks`).
    pub fn thresholds(&self) -> impl Iterator<Item = (&str, &str)> {
        self.thresholds
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
    }
    /// The lets in the order declared: each name, and its expression as
    /// written (in the canonical layout).
    pub fn lets(&self) -> impl Iterator<Item = (&str, &str)> {
        self.lets.iter().map(|(n, v)| (n.as_str(), v.as_str()))
    }
    /// The rules in the order declared: each id, its citation, and what it
    /// does, on one line in the canonical layout (its `for each`, `when`
    /// and effects: `when visits > 3 then action review`).
    pub fn rules_as_written(&self) -> impl Iterator<Item = (&str, &str, &str)> {
        self.written()
            .rules
            .iter()
            .map(|(id, cite, logic)| (id.as_str(), cite.as_str(), logic.as_str()))
    }
    /// The scales, choices, fields of record types and of the evidence,
    /// judgements and `invalid` checks in the order declared, each on one
    /// line in the canonical layout
    /// ([`judgement_syntax::format_declarations`]).
    pub fn declarations_as_written(&self) -> &[judgement_syntax::Declared] {
        &self.written().declarations
    }
    fn written(&self) -> &Written {
        self.written.get_or_init(|| written(&self.sources))
    }
    /// The period in force: from, and to (inclusive) if it ends.
    pub fn in_force(&self) -> (Option<NaiveDate>, Option<NaiveDate>) {
        (self.model.meta.in_force_from, self.model.meta.in_force_to)
    }

    pub(crate) fn covers(&self, date: NaiveDate) -> bool {
        let (from, to) = self.in_force();
        from.is_none_or(|f| f <= date) && to.is_none_or(|t| date <= t)
    }

    pub(crate) fn period(&self) -> String {
        let period = match self.in_force() {
            (Some(f), Some(t)) => format!("{f} to {t}"),
            (Some(f), None) => format!("from {f}"),
            (None, Some(t)) => format!("to {t}"),
            (None, None) => "always".to_string(),
        };
        format!("{} ({period})", self.version())
    }

    /// [`Ruleset::period`] with the file the edition was read from.
    fn period_in_file(&self) -> String {
        let period = self.period();
        match period.strip_suffix(')') {
            Some(open) => format!("{open}{})", self.in_file()),
            None => period,
        }
    }

    /// `, in `FILE``: the file an edition was read from, for the errors
    /// about a folder of editions (which have no one line to point at).
    fn in_file(&self) -> String {
        self.path()
            .and_then(Path::file_name)
            .map(|f| format!(", in `{}`", f.to_string_lossy()))
            .unwrap_or_default()
    }

    /// Where in the rule files an error of evaluating a record against
    /// this ruleset points: its own span (a date computed out of range, a
    /// value that may be none reached unguarded, ...), else the rule or
    /// let it arose in (a working day outside the calendar's years, which
    /// the calendar met with no span of its own; a floor above a cap, at
    /// the floor's rule, the message naming both). `None` for an error of
    /// the evidence itself, which its JSON path places.
    pub fn place_of(&self, error: &EvalError) -> Option<Span> {
        if let Some(span) = error.span() {
            return Some(span);
        }
        match error {
            EvalError::CalendarWithin { within, .. } => match within.split_once(' ')? {
                ("rule", id) => Some(self.rule_def(id)?.span),
                ("let", name) => Some(self.let_def(name)?.span),
                _ => None,
            },
            EvalError::Conflict { floor_rule, .. } => Some(self.rule_def(floor_rule)?.span),
            _ => None,
        }
    }

    pub fn rule(&self, id: &str) -> Option<RuleInfo<'_>> {
        self.rule_def(id).map(|r| RuleInfo {
            id: &r.id,
            cite: &r.cite,
            quote: r.quote.as_deref(),
            notes: &r.notes,
            has_condition: r.when.is_some(),
            hard: r.is_hard(),
        })
    }

    /// The judgements the condition of rule `id` reads (none for a rule
    /// this ruleset does not have).
    pub fn judgements_read_by(&self, id: &str) -> Vec<&str> {
        let Some(rule) = self.rule_def(id) else {
            return Vec::new();
        };
        rule.reads_judgements
            .iter()
            .filter_map(|j| self.model.judgements.get(*j))
            .map(|j| j.name.as_str())
            .collect()
    }

    /// The rule `id` of the model (an `invalid` check too), found by name.
    pub(crate) fn rule_def(&self, id: &str) -> Option<&crate::model::RuleDef> {
        let rule = self.model.rules.iter().nth(*self.rule_index.get(id)?)?;
        (rule.id == id).then_some(rule)
    }

    /// The let `name` of the model, found by name.
    pub(crate) fn let_def(&self, name: &str) -> Option<&crate::model::LetDef> {
        let def = self.model.lets.iter().nth(*self.let_index.get(name)?)?;
        (def.name == name).then_some(def)
    }

    /// The evidence date that selects the edition (`as at` in the header).
    fn as_at_field(&self) -> Option<&crate::model::FieldDef> {
        self.model.meta.as_at.and_then(|f| self.model.fields.get(f))
    }

    /// The `as at` date of `evidence`, by which an edition is chosen:
    /// `None` where the ruleset has no `as at` field or the record gives
    /// no readable date there.
    pub(crate) fn as_at_date(&self, evidence: &Json) -> Option<NaiveDate> {
        let mut node = evidence;
        for seg in &self.as_at_field()?.path {
            node = node.get(seg)?;
        }
        node.as_str().and_then(evidence::parse_date)
    }

    /// Evaluate one evidence record.
    pub fn evaluate(
        &self,
        evidence: &Json,
        options: EvalOptions,
    ) -> Result<Outcome<'_>, EvalError> {
        let record = evidence::read(&self.model, evidence, options).map_err(EvalError::Evidence)?;
        self.evaluate_record(record, options, &mut Spare::default())
    }

    /// Evaluate one evidence record given as JSON text: the same outcome, or
    /// the same errors, as [`Ruleset::evaluate`] of [`parse_json`] of it.
    /// A good record is read in one pass straight into the ruleset's slots,
    /// with no `serde_json::Value` in between.
    pub fn evaluate_str(&self, text: &str, options: EvalOptions) -> Result<Outcome<'_>, EvalError> {
        self.evaluate_str_reusing(text, options, &mut Spare::default())
    }

    /// [`Ruleset::evaluate_str`], filling the vectors of the outcome last
    /// given back to `spare` ([`Outcome::recycle`]) rather than allocating
    /// new ones: the same outcome, for a caller that evaluates record after
    /// record and is done with each outcome before the next.
    pub fn evaluate_str_reusing<'r>(
        &'r self,
        text: &str,
        options: EvalOptions,
        spare: &mut Spare<'r>,
    ) -> Result<Outcome<'r>, EvalError> {
        let (record, _) = self.read_str(text, options);
        self.evaluate_record(record?, options, spare)
    }

    /// Read a record given as text, and say which way it was read.
    pub(crate) fn read_str(
        &self,
        text: &str,
        options: EvalOptions,
    ) -> (Result<evidence::Evidence, EvalError>, evidence::Route) {
        evidence::read_str(&self.model, self.reader.as_ref(), text, options)
    }

    /// Evaluate a record read by this ruleset, then keep its slots and id
    /// for the next record read on this thread.
    fn evaluate_record<'r>(
        &'r self,
        record: evidence::Evidence,
        options: EvalOptions,
        spare: &mut Spare<'r>,
    ) -> Result<Outcome<'r>, EvalError> {
        let evaluated = self.evaluate_read(&record, options, spare);
        evidence::give_back(record);
        evaluated
    }

    /// Read one evidence record given as JSON text, to evaluate later
    /// ([`ReadEvidence::evaluate`]): what [`Ruleset::evaluate_str`] does in
    /// two steps, the same errors from the first (only
    /// `options.allow_unknown_fields` matters to it) and the same outcome
    /// from the second. For a caller that checks evidence as it arrives
    /// and evaluates it later, and for the benches of each stage.
    pub fn read_evidence_str(
        &self,
        text: &str,
        options: EvalOptions,
    ) -> Result<ReadEvidence<'_>, EvalError> {
        let (record, _) = self.read_str(text, options);
        Ok(ReadEvidence {
            ruleset: self,
            record: record?,
        })
    }

    /// Evaluate one evidence record the long way, taking none of the
    /// short cuts of [`Ruleset::evaluate`]: every rule's condition walked
    /// (no leads or guards), every list read whole (no index), as for rule
    /// coverage, which records each part's value. The outcome must be the
    /// same; `crates/engine/tests/fast_paths/` holds the two to that.
    /// Slower, and for tests: not part of the API.
    #[doc(hidden)]
    pub fn evaluate_the_long_way(
        &self,
        evidence: &Json,
        options: EvalOptions,
    ) -> Result<Outcome<'_>, EvalError> {
        self.evaluate_probed(evidence, options)
            .map(|(outcome, _)| outcome)
    }

    /// Each rule that fired on `evidence`, with the element it fired on
    /// (`None` for a rule with no `for each`), sorted: found rule by rule
    /// with the short cuts evaluation takes, recording only that rule's
    /// result (as why-not's check of a change does), or, `long_way`, from
    /// one evaluation that takes none and records every rule's condition.
    /// The two must be the same; `crates/engine/tests/fast_paths/` holds
    /// them to that. For tests: not part of the API.
    #[doc(hidden)]
    pub fn fired_on(
        &self,
        evidence: &Json,
        long_way: bool,
    ) -> Result<Vec<(&str, Option<String>)>, EvalError> {
        let options = EvalOptions::default();
        let probes = if long_way {
            self.evaluate_probed(evidence, options)?.1
        } else {
            let mut all = Vec::new();
            for index in 0..self.model.rules.len() {
                let scope = eval::ProbeScope::Result(crate::model::RuleId::from_index(index));
                all.extend(self.evaluate_probing(evidence, options, scope)?.1);
            }
            all
        };
        let mut fired: Vec<(&str, Option<String>)> = probes
            .iter()
            .filter(|p| p.result == crate::value::Tri::True)
            .filter_map(|p| {
                let rule = self.model.rules.get(p.rule)?;
                Some((rule.id.as_str(), p.item.as_ref().map(ToString::to_string)))
            })
            .collect();
        fired.sort();
        Ok(fired)
    }

    /// Evaluate one evidence record the long way, and say what each rule's
    /// condition came to, part by part (for rule coverage, `fired_on`'s
    /// reference and [`Ruleset::evaluate_the_long_way`]).
    pub(crate) fn evaluate_probed(
        &self,
        evidence: &Json,
        options: EvalOptions,
    ) -> Result<(Outcome<'_>, Vec<eval::Probe<'_>>), EvalError> {
        self.evaluate_probing(evidence, options, eval::ProbeScope::Every)
    }

    /// Evaluate one evidence record, recording what `scope` names
    /// (`eval::ProbeScope`): every rule's condition, part by part (the long
    /// way), one rule's, the conditions of the rules that bound one
    /// judgement, or only one rule's result.
    pub(crate) fn evaluate_probing(
        &self,
        evidence: &Json,
        options: EvalOptions,
        scope: eval::ProbeScope,
    ) -> Result<(Outcome<'_>, Vec<eval::Probe<'_>>), EvalError> {
        let record = evidence::read(&self.model, evidence, options).map_err(EvalError::Evidence)?;
        let mut spare = Spare::default();
        let mut outcome = spare.outcome(self.header(), record.id.as_deref());
        let probes = self.evaluate_into(&record, options, scope, &mut outcome, &mut spare)?;
        Ok((outcome, probes))
    }

    /// Evaluate a record read by this ruleset, the outcome made in the room
    /// `spare` keeps: without probes, so that the outcome is returned as
    /// it is, not moved through a pair.
    fn evaluate_read<'r>(
        &'r self,
        record: &evidence::Evidence,
        options: EvalOptions,
        spare: &mut Spare<'r>,
    ) -> Result<Outcome<'r>, EvalError> {
        let mut outcome = spare.outcome(self.header(), record.id.as_deref());
        self.evaluate_into(record, options, eval::ProbeScope::Off, &mut outcome, spare)?;
        Ok(outcome)
    }

    /// The ruleset's header in an outcome: its name, edition, digest and
    /// calendar.
    fn header(&self) -> RulesetRef<'_> {
        RulesetRef {
            name: &self.model.meta.name,
            version: &self.model.meta.edition,
            digest: self.digest(),
            calendar: self.calendar.as_ref().map(|c| CalendarRef {
                name: c.name(),
                version: c.version(),
            }),
        }
    }

    /// Evaluate `record` into `outcome`, an emptied outcome with the
    /// ruleset's header and the record's id (`Spare::outcome`); the probes
    /// `probe` asks for.
    fn evaluate_into<'r>(
        &'r self,
        record: &evidence::Evidence,
        options: EvalOptions,
        probe: eval::ProbeScope,
        outcome: &mut Outcome<'r>,
        spare: &mut Spare<'r>,
    ) -> Result<Vec<eval::Probe<'r>>, EvalError> {
        let probes = eval::evaluate_probed(
            &self.model,
            self.calendar.as_deref(),
            self.at_rest.as_ref(),
            self.most_nested_reads,
            record,
            options.trace,
            probe,
            outcome,
            spare,
        )
        .map_err(|e| *e)?;
        outcome.warnings.clone_from(&record.warnings);
        Ok(probes)
    }

    /// The evidence declaration as a JSON Schema, every object closed to
    /// undeclared keys: the evidence that [`Ruleset::evaluate`] accepts by
    /// default. The same as `schema_with(SchemaOptions::default())`.
    pub fn schema(&self) -> Json {
        self.schema_with(SchemaOptions::default())
    }

    /// The evidence declaration as a JSON Schema, with options.
    pub fn schema_with(&self, options: SchemaOptions) -> Json {
        crate::schema::evidence_schema(&self.model, options)
    }

    /// Run the tests written in the rule file.
    pub fn run_tests(&self) -> Vec<crate::testing::TestResult> {
        crate::testing::run(self)
    }

    /// The tests written in the rule file whose names `wanted` takes, each
    /// run only as the iterator reaches it, in the order written: to run
    /// one test of many (`|name| name == "..."`), or to stop between two
    /// (a language server whose client cancelled the run).
    pub fn run_tests_where<'r>(
        &'r self,
        wanted: impl FnMut(&str) -> bool + 'r,
    ) -> impl Iterator<Item = crate::testing::TestResult> + 'r {
        crate::testing::run_where(self, wanted)
    }
}

/// Whether the text holds a JSON value and then the start of another
/// (`{...}` then `{` or `[`): JSON Lines, or records one after another,
/// rather than one record. Text that breaks off after it is still one
/// record, broken (`{...}` then `]`).
pub fn several_values(text: &[u8]) -> bool {
    let mut values =
        serde_json::Deserializer::from_slice(text).into_iter::<serde::de::IgnoredAny>();
    if !matches!(values.next(), Some(Ok(_))) {
        return false;
    }
    let rest = text.get(values.byte_offset()..).unwrap_or_default();
    rest.iter()
        .find(|b| !b.is_ascii_whitespace())
        .is_some_and(|b| matches!(b, b'{' | b'['))
}

/// Parse evidence JSON text, with the line and column of any error; a key
/// repeated in one object is an error naming its JSON path.
pub fn parse_json(text: &str) -> Result<Json, EvalError> {
    crate::json::parse_json(text)
}

/// See [`Ruleset::digest`].
fn digest(sources: &SourceMap) -> String {
    let mut hasher = Sha256::new();
    for (i, file) in sources.files().iter().enumerate() {
        if i > 0 {
            hasher.update([0]);
            hasher.update(file.definitions().unwrap_or_default().as_bytes());
            hasher.update([0]);
        }
        hasher.update(file.text().as_bytes());
    }
    hex(&hasher.finalize())
}

fn hex(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}
