//! AST -> checked model: declarations collected, names resolved, types
//! checked, lints applied. Every problem of a file is collected, not just the
//! first. Expressions are checked in `expr`, rules in `rules`, examples and
//! tests in `tests`, and the definitions a file uses (their items first, its
//! `needs` resolved) in `shared`.

mod expr;
mod rules;
mod shared;
mod tests;

pub(crate) use shared::Included;

use crate::diagnostic::CheckError;
use crate::model::*;
use crate::sources::SourceMap;
use crate::suggest;
use crate::types::Elem;
use crate::types::{Shown, Type};
use crate::value::Value;
use judgement_syntax::ast::{self, Absence, FileKind, Item, Literal, TypeExpr};
use judgement_syntax::Span;
use std::collections::HashMap;

/// What a single-segment name in an expression refers to.
#[derive(Debug, Clone, Copy)]
enum Global {
    Threshold(usize),
    Let(LetId),
    Judgement(JudgementId),
}

pub(crate) struct Checker {
    pub(crate) model: Model,
    pub(crate) errors: Vec<CheckError>,
    globals: HashMap<String, (Global, Span)>,
    enum_by_name: HashMap<String, (usize, Span)>,
    record_by_name: HashMap<String, (usize, Span)>,
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
    /// Lets in a cycle, already reported: reading one is no further error.
    pub(crate) broken_lets: std::collections::HashSet<String>,
    /// For each let, the evidence fields it reads (transitively).
    let_reads: Vec<Vec<FieldId>>,
    /// For each let, where its value may be none from.
    let_nullable: Vec<Vec<expr::NullSource>>,
    /// For each let that is a condition: what is known to be set when it is
    /// true (`let stands = previous.overall is set and ...`).
    let_facts: Vec<Vec<expr::NullSource>>,
    /// Thresholds and lets read somewhere: one never read is a policy value
    /// whose change would do nothing.
    used_thresholds: Vec<bool>,
    used_lets: Vec<bool>,
    /// Each checked rule's condition and list, to find rules that always
    /// fire together.
    rule_guards: Vec<(Option<String>, Option<String>)>,
    /// The files of the check, to tell them apart and name places in them.
    sources: SourceMap,
    /// Definitions checked on their own: working days need no calendar (the
    /// using ruleset names it) and nothing is unused (a ruleset may read it).
    definitions: bool,
    /// The placeholders for needs that nothing declares, by name: what each
    /// asks for, and where the first is declared.
    stand_ins: HashMap<String, (shared::Wanted, Span)>,
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
    c.check_rules(&items);
    c.check_header_refs(&main.header);
    c.check_examples_and_tests(&items);
    c.lint_unused();
    c.check_static_conflicts();
    let failed = c.errors.iter().any(|e| !e.warning);
    let mut errors = std::mem::take(&mut c.errors);
    if errors.len() > MAX_PROBLEMS {
        let more = errors.len() - MAX_PROBLEMS;
        let span = errors.get(MAX_PROBLEMS).map(|e| e.span).unwrap_or_default();
        errors.truncate(MAX_PROBLEMS);
        errors.push(
            CheckError::error(
                format!("and {more} more problems in this file"),
                span,
                "the next one is here",
            )
            .with_help("mend those shown, then check again"),
        );
    }
    ((!failed).then_some(c.model), errors)
}

/// The most problems of one file reported; the rest are counted.
const MAX_PROBLEMS: usize = 500;

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
                enums: Vec::new(),
                records: Vec::new(),
                fields: Vec::new(),
                thresholds: Vec::new(),
                lets: Vec::new(),
                judgements: Vec::new(),
                rules: Vec::new(),
                exprs: Vec::new(),
                expr_spans: Vec::new(),
                steps: Vec::new(),
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
            broken_lets: std::collections::HashSet::new(),
            groups: HashMap::new(),
            first_segments: std::collections::HashSet::new(),
            test_names: std::collections::HashSet::new(),
            let_reads: Vec::new(),
            let_nullable: Vec::new(),
            let_facts: Vec::new(),
            used_thresholds: Vec::new(),
            used_lets: Vec::new(),
            rule_guards: Vec::new(),
            sources,
            definitions: header.kind == FileKind::Definitions,
            stand_ins: HashMap::new(),
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
            "give each declaration its own name".to_string()
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
        self.globals.insert(name.node.clone(), (global, name.span));
    }

    fn declare_types(&mut self, items: &[Item]) {
        for item in items {
            let (name, values, ordered) = match item {
                Item::Scale(s) => (&s.name, &s.values, true),
                Item::Choice(c) => (&c.name, &c.values, false),
                _ => continue,
            };
            if let Some((_, first)) = self.enum_by_name.get(&name.node) {
                let first = *first;
                self.duplicate("the type", &name.node, name.span, first);
                continue;
            }
            if values.len() > usize::from(u16::MAX) {
                self.errors.push(
                    CheckError::error(
                        format!("`{}` has {} values", name.node, values.len()),
                        name.span,
                        "too many values",
                    )
                    .with_help(format!("a scale or choice has at most {} values", u16::MAX)),
                );
                continue;
            }
            let mut seen: std::collections::HashSet<&str> = std::collections::HashSet::new();
            for v in values {
                if !seen.insert(v.node.as_str()) {
                    self.errors.push(CheckError::error(
                        format!("`{}` appears twice in `{}`", v.node, name.node),
                        v.span,
                        "again here",
                    ));
                }
            }
            self.enum_by_name
                .insert(name.node.clone(), (self.model.enums.len(), name.span));
            self.model.enums.push(EnumDef {
                name: name.node.clone(),
                values: values.iter().map(|v| v.node.clone()).collect(),
                ordered,
            });
        }
        // Records after enums: their fields may use them.
        for item in items {
            let Item::Record(r) = item else { continue };
            if let Some((_, first)) = self.record_by_name.get(&r.name.node) {
                let first = *first;
                self.duplicate("the record", &r.name.node, r.name.span, first);
                continue;
            }
            self.record_by_name
                .insert(r.name.node.clone(), (self.model.records.len(), r.name.span));
            self.model.records.push(RecordDef {
                name: r.name.node.clone(),
                fields: Vec::new(),
                id_field: None,
            });
        }
        for item in items {
            let Item::Record(r) = item else { continue };
            let Some(&(id, span)) = self.record_by_name.get(&r.name.node) else {
                continue;
            };
            if span != r.name.span {
                continue;
            }
            let mut fields: Vec<FieldDef> = Vec::new();
            for f in &r.fields {
                if let Some(def) = self.field_def(f) {
                    if fields.iter().any(|g| g.name == def.name) {
                        self.errors.push(CheckError::error(
                            format!("the field `{}` is declared twice", def.name),
                            f.path.span,
                            "declared again here",
                        ));
                        continue;
                    }
                    fields.push(def);
                }
            }
            let id_field = fields.iter().position(|f| f.name == "id");
            match id_field.and_then(|i| fields.get(i)) {
                Some(f) if f.ty == Type::Text && f.absence == AbsenceMode::Required => {}
                _ => self.errors.push(
                    CheckError::error(
                        format!("the record `{}` has no required `id: text` field", r.name.node),
                        r.name.span,
                        "this record",
                    )
                    .with_help("each list element needs an id, so that what a rule produces for it can name it"),
                ),
            }
            if let Some(rec) = self.model.records.get_mut(id) {
                rec.fields = fields;
                rec.id_field = id_field;
            }
        }
        self.refuse_records_that_hold_themselves();
    }

    /// A record whose list field holds that record (directly, or through
    /// other records) would describe evidence without end: refused, and the
    /// list field is dropped so that nothing after loops over it.
    fn refuse_records_that_hold_themselves(&mut self) {
        let holds = |r: &RecordDef| -> Vec<(usize, usize)> {
            r.fields
                .iter()
                .enumerate()
                .filter_map(|(i, f)| match f.ty {
                    Type::List(Elem::Record(inner)) => Some((i, inner)),
                    _ => None,
                })
                .collect()
        };
        for start in 0..self.model.records.len() {
            // Depth first from `start`, without recursion.
            let mut seen = vec![false; self.model.records.len()];
            let mut stack: Vec<usize> = self
                .model
                .records
                .get(start)
                .map(|r| holds(r).into_iter().map(|(_, to)| to).collect())
                .unwrap_or_default();
            let mut found = false;
            while let Some(r) = stack.pop() {
                if r == start {
                    found = true;
                    break;
                }
                if seen.get(r).copied().unwrap_or(true) {
                    continue;
                }
                if let Some(flag) = seen.get_mut(r) {
                    *flag = true;
                }
                if let Some(rec) = self.model.records.get(r) {
                    stack.extend(holds(rec).into_iter().map(|(_, to)| to));
                }
            }
            if !found {
                continue;
            }
            let Some(rec) = self.model.records.get_mut(start) else {
                continue;
            };
            let name = rec.name.clone();
            let dropped: Vec<FieldDef> = {
                let (keep, drop): (Vec<FieldDef>, Vec<FieldDef>) = rec
                    .fields
                    .drain(..)
                    .partition(|f| !matches!(f.ty, Type::List(Elem::Record(_))));
                rec.fields = keep;
                rec.id_field = rec.fields.iter().position(|f| f.name == "id");
                drop
            };
            let span = dropped.first().map(|f| f.span).unwrap_or_default();
            self.errors.push(
                CheckError::error(
                    format!("the record `{name}` holds itself, through its lists"),
                    span,
                    "a list of records that hold this one",
                )
                .with_help("evidence is finite: give the inner records a record of their own"),
            );
        }
    }

    fn resolve_type(&mut self, ty: &ast::TypeExpr, span: Span) -> Option<Type> {
        match ty {
            TypeExpr::Named(n) => Some(match n.as_str() {
                "bool" => Type::Bool,
                "number" => Type::Number,
                "text" => Type::Text,
                "date" => Type::Date,
                "datetime" => Type::DateTime,
                "time" => Type::Time,
                "days" => Type::Days,
                _ => match self.enum_by_name.get(n) {
                    Some(&(id, _)) => Type::Enum {
                        id,
                        ordered: self.model.enums.get(id).is_some_and(|e| e.ordered),
                    },
                    None => {
                        let builtin = ["bool", "number", "text", "date", "days"];
                        let declared = self.model.enums.iter().map(|e| e.name.as_str());
                        let near = suggest::did_you_mean(n, builtin.into_iter().chain(declared));
                        self.errors.push(
                            CheckError::error(format!("there is no type `{n}`"), span, "unknown type")
                                .with_help(suggest::help_with(near, "the types are bool, number, text, date, datetime, time, days, `list of RECORD` or `list of TYPE`, and the declared scales and choices")),
                        );
                        return None;
                    }
                },
            }),
            TypeExpr::ListOf(r) => {
                if let Some(&(id, _)) = self.record_by_name.get(r) {
                    return Some(Type::List(Elem::Record(id)));
                }
                let known = matches!(
                    r.as_str(),
                    "bool" | "number" | "text" | "date" | "datetime" | "time" | "days"
                ) || self.enum_by_name.contains_key(r);
                if !known {
                    let near = suggest::did_you_mean(
                        r,
                        self.model.records.iter().map(|x| x.name.as_str()),
                    );
                    self.errors.push(
                        CheckError::error(
                            format!("there is no record or type `{r}`"),
                            span,
                            "unknown record",
                        )
                        .with_help(suggest::help_with(
                            near,
                            "declare it with `record NAME` and its fields",
                        )),
                    );
                    return None;
                }
                let inner = self.resolve_type(&TypeExpr::Named(r.clone()), span)?;
                match Elem::of(inner) {
                    Some(elem) => Some(Type::List(elem)),
                    None => {
                        self.errors.push(CheckError::error(
                            format!("there are no lists of `{r}`"),
                            span,
                            "not a list element",
                        ));
                        None
                    }
                }
            }
        }
    }

    fn field_def(&mut self, f: &ast::FieldDecl) -> Option<FieldDef> {
        let ty = self.resolve_type(&f.ty.node, f.ty.span)?;
        let absence = match &f.absence {
            None => AbsenceMode::Required,
            Some(a) => match &a.node {
                Absence::None => AbsenceMode::None,
                Absence::Unknown => AbsenceMode::Unknown,
                Absence::Empty => {
                    if matches!(ty, Type::List(_)) {
                        AbsenceMode::Default(Value::List(Vec::new().into()))
                    } else {
                        self.errors.push(CheckError::error(
                            "only a list can default to empty",
                            a.span,
                            "not a list",
                        ));
                        return None;
                    }
                }
                Absence::Default(lit) => {
                    let value = self.literal_of_type(lit, ty, a.span)?;
                    AbsenceMode::Default(value)
                }
            },
        };
        if matches!(ty, Type::List(_))
            && !matches!(absence, AbsenceMode::Required | AbsenceMode::Default(_))
        {
            self.errors.push(
                CheckError::error("a list is never unknown or none", f.path.span, "this list")
                    .with_help("write `default empty` if an absent list means no elements"),
            );
        }
        Some(FieldDef {
            path: f.path.node.0.clone(),
            name: f.path.node.to_string(),
            ty,
            absence,
            span: f.path.span,
        })
    }

    /// A literal written where a value of `ty` is expected (defaults).
    fn literal_of_type(&mut self, lit: &Literal, ty: Type, span: Span) -> Option<Value> {
        let value = match (lit, ty) {
            (Literal::Bool(b), Type::Bool) => Value::Bool(*b),
            (Literal::Number(n), Type::Number) => Value::Number(*n),
            (Literal::Text(t), Type::Text) => Value::Text(t.as_str().into()),
            (Literal::Date(d), Type::Date) => Value::Date(*d),
            (Literal::DateTime(d), Type::DateTime) => Value::DateTime(*d),
            (Literal::Time(t), Type::Time) => Value::Time(*t),
            (Literal::Duration { amount, unit }, Type::Days) => {
                Value::Days(expr::days_of(*amount, *unit)?)
            }
            (Literal::Name(n), Type::Enum { id, .. }) => match self.enum_value(id, n) {
                Some(i) => Value::Enum(i),
                None => {
                    let name = self.shown(ty);
                    let mut error = CheckError::error(
                        format!("`{n}` is not a value of `{name}`"),
                        span,
                        "not a value of this type",
                    );
                    error.help = Some(suggest::help_with(
                        self.near_value(id, n),
                        self.values_help(id),
                    ));
                    self.errors.push(error);
                    return None;
                }
            },
            _ => {
                let name = self.shown(ty);
                self.errors.push(CheckError::error(
                    format!("this default is not a `{name}`"),
                    span,
                    "wrong type",
                ));
                return None;
            }
        };
        Some(value)
    }

    pub(crate) fn enum_value(&self, id: usize, name: &str) -> Option<u16> {
        self.model
            .enums
            .get(id)?
            .values
            .iter()
            .position(|v| v == name)
            .and_then(|i| u16::try_from(i).ok())
    }

    fn declare_fields(&mut self, items: &[Item]) {
        for item in items {
            let Item::Evidence(e) = item else { continue };
            for f in &e.fields {
                let Some(def) = self.field_def(f) else {
                    continue;
                };
                if let Some(&first) = self.field_by_path.get(&def.name) {
                    self.field_declared_again(first, &def);
                    continue;
                }
                // A field may not also be a group of fields (`a` and `a.b`):
                // neither a prefix of it may be a field, nor it a prefix.
                let prefixes: Vec<String> = (1..def.path.len())
                    .filter_map(|n| def.path.get(..n).map(|p| p.join(".")))
                    .collect();
                let clash = prefixes
                    .iter()
                    .find_map(|p| self.field_by_path.get(p))
                    .and_then(|&g| self.model.fields.get(g))
                    .map(|g| g.name.clone())
                    .or_else(|| self.groups.get(&def.name).cloned());
                if let Some(g) = clash {
                    self.errors.push(CheckError::error(
                        format!("`{g}` and `{}` cannot both be fields", def.name),
                        f.path.span,
                        "a field and a group of fields",
                    ));
                    continue;
                }
                for p in prefixes {
                    self.groups.entry(p).or_insert_with(|| def.name.clone());
                }
                if let Some(first) = def.path.first() {
                    self.first_segments.insert(first.clone());
                }
                self.field_by_path
                    .insert(def.name.clone(), self.model.fields.len());
                self.model.fields.push(def);
            }
        }
    }

    /// An evidence field declared again: an error in one file; in two
    /// files (definitions and a ruleset that uses them), declared once if
    /// both say the same, an error if not.
    fn field_declared_again(&mut self, first: FieldId, def: &FieldDef) {
        let Some(first) = self.model.fields.get(first) else {
            return;
        };
        if self.sources.same_file(first.span, def.span) {
            self.errors.push(CheckError::error(
                format!("the evidence field `{}` is declared twice", def.name),
                def.span,
                "declared again here",
            ));
            return;
        }
        if first.ty == def.ty && first.absence == def.absence {
            return;
        }
        let (was, is) = (self.field_type(first), self.field_type(def));
        let place = self.sources.place(first.span);
        self.errors.push(
            CheckError::error(
                format!(
                    "the evidence field `{}` is declared as `{is}` here but as `{was}` at {place}",
                    def.name
                ),
                def.span,
                "declared differently",
            )
            .with_help("a field shared with definitions is declared the same way in both files, or only in one"),
        );
    }

    /// A field's type as declared: `date or none`.
    fn field_type(&self, def: &FieldDef) -> String {
        let ty = self.shown(def.ty);
        match &def.absence {
            AbsenceMode::Required => ty,
            AbsenceMode::None => format!("{ty} or none"),
            AbsenceMode::Unknown => format!("{ty} or unknown"),
            AbsenceMode::Default(_) => format!("{ty} with a default"),
        }
    }

    fn declare_thresholds(&mut self, items: &[Item]) {
        for item in items {
            let Item::Threshold(t) = item else { continue };
            let Some((value, ty)) = self.constant(&t.value) else {
                continue;
            };
            let id = self.model.thresholds.len();
            self.model.thresholds.push(ThresholdDef {
                name: t.name.node.clone(),
                value,
                ty,
                span: t.name.span,
            });
            self.declare_global(&t.name, Global::Threshold(id));
        }
    }

    /// A threshold's value: a literal, or a negated literal.
    fn constant(&mut self, e: &judgement_syntax::Spanned<ast::Expr>) -> Option<(Value, Type)> {
        if let ast::Expr::Unary {
            op: ast::UnaryOp::Neg,
            expr: inner,
        } = &e.node
        {
            let negated = match self.constant(inner)? {
                (Value::Number(n), t) => (Value::Number(n.checked_neg()?), t),
                (Value::Days(n), t) => (Value::Days(n.checked_neg()?), t),
                (Value::Months(n), t) => (Value::Months(n.checked_neg()?), t),
                (Value::WorkingDays(n), t) => (Value::WorkingDays(n.checked_neg()?), t),
                _ => {
                    self.errors.push(CheckError::error(
                        "only a number or a duration can be negative",
                        e.span,
                        "cannot be negative",
                    ));
                    return None;
                }
            };
            return Some(negated);
        }
        let lit = match &e.node {
            ast::Expr::Literal(l) => l,
            _ => {
                self.errors.push(
                    CheckError::error("a threshold must be a single value", e.span, "not a value")
                        .with_help("write the value itself (`26 weeks`); derive values with `let`"),
                );
                return None;
            }
        };
        Some(match lit {
            Literal::Bool(b) => (Value::Bool(*b), Type::Bool),
            Literal::Number(n) => (Value::Number(*n), Type::Number),
            Literal::Text(t) => (Value::Text(t.as_str().into()), Type::Text),
            Literal::Date(d) => (Value::Date(*d), Type::Date),
            Literal::DateTime(d) => (Value::DateTime(*d), Type::DateTime),
            Literal::Time(t) => (Value::Time(*t), Type::Time),
            Literal::Duration { amount, unit } => expr::duration_value(*amount, *unit)?,
            Literal::Name(_) => return None,
        })
    }

    fn declare_judgement_names(&mut self, items: &[Item]) {
        for item in items {
            let Item::Judgement(j) = item else { continue };
            let id = self.model.judgements.len();
            let scale = match self.enum_by_name.get(&j.scale.node) {
                Some(&(sid, _)) if self.model.enums.get(sid).is_some_and(|e| e.ordered) => sid,
                Some(_) => {
                    self.errors.push(
                        CheckError::error(
                            format!("`{}` is a choice, not a scale", j.scale.node),
                            j.scale.span,
                            "not ordered",
                        )
                        .with_help("a judgement takes its values from an ordered `scale`"),
                    );
                    continue;
                }
                None => {
                    let mut error = CheckError::error(
                        format!("there is no scale `{}`", j.scale.node),
                        j.scale.span,
                        "unknown scale",
                    );
                    let scales = self.model.enums.iter().filter(|e| e.ordered);
                    error.help =
                        suggest::did_you_mean(&j.scale.node, scales.map(|e| e.name.as_str()));
                    self.errors.push(error);
                    continue;
                }
            };
            let from = match self.field_by_path.get(&j.from.node.to_string()) {
                Some(&f) => f,
                None => {
                    let near = suggest::did_you_mean(
                        &j.from.node.to_string(),
                        self.model.fields.iter().map(|f| f.name.as_str()),
                    );
                    self.errors.push(
                        CheckError::error(
                            format!("there is no evidence field `{}`", j.from.node),
                            j.from.span,
                            "unknown field",
                        )
                        .with_help(suggest::help_with(
                            near,
                            "declare the proposed value in `evidence`",
                        )),
                    );
                    continue;
                }
            };
            if let Some(field) = self.model.fields.get(from) {
                let expected = Type::Enum {
                    id: scale,
                    ordered: true,
                };
                if field.ty != expected {
                    let (want, got) = (self.shown(expected), self.shown(field.ty));
                    self.errors.push(CheckError::error(
                        format!(
                            "the proposed value must be a `{want}`, but `{}` is a `{got}`",
                            j.from.node
                        ),
                        j.from.span,
                        "wrong type",
                    ));
                }
            }
            self.model.judgements.push(JudgementDef {
                name: j.name.node.clone(),
                scale,
                from,
                applies: None,
                applies_text: j
                    .applies_when
                    .as_ref()
                    .map(|w| judgement_syntax::format_expr(&w.node)),
                applies_reads: Vec::new(),
                span: j.name.span,
            });
            self.declare_global(&j.name, Global::Judgement(id));
        }
    }

    fn check_lets(&mut self, items: &[Item]) {
        for item in items {
            if let Item::Let(l) = item {
                if self.globals.contains_key(&l.name.node)
                    || self.pending_lets.contains_key(&l.name.node)
                {
                    self.errors.push(CheckError::error(
                        format!("the name `{}` is declared twice", l.name.node),
                        l.name.span,
                        "declared again here",
                    ));
                    continue;
                }
                self.pending_lets.insert(l.name.node.clone(), l.clone());
            }
        }
        for name in self.let_order(items) {
            self.resolve_let(&name);
        }
    }

    /// The lets in an order where each comes after the lets it reads, found
    /// without recursion (a chain of thousands of lets must not exhaust the
    /// stack). A cycle is reported here, once, and its lets are left out.
    fn let_order(&mut self, items: &[Item]) -> Vec<String> {
        let names: Vec<&ast::LetDecl> = items
            .iter()
            .filter_map(|i| match i {
                Item::Let(l) if self.pending_lets.contains_key(&l.name.node) => Some(l),
                _ => None,
            })
            .collect();
        let index: HashMap<&str, usize> = names
            .iter()
            .enumerate()
            .map(|(i, l)| (l.name.node.as_str(), i))
            .collect();
        let deps: Vec<Vec<usize>> = names
            .iter()
            .map(|l| {
                let mut out = Vec::new();
                let mut stack = vec![&l.value];
                while let Some(e) = stack.pop() {
                    if let ast::Expr::Path(p) = &e.node {
                        if let Some(&d) = p.0.first().and_then(|n| index.get(n.as_str())) {
                            out.push(d);
                        }
                    }
                    stack.extend(e.node.children());
                }
                out
            })
            .collect();
        // 0: not seen, 1: on the path, 2: done.
        let mut state = vec![0u8; names.len()];
        let mut order = Vec::with_capacity(names.len());
        let mut cyclic: Vec<usize> = Vec::new();
        for root in 0..names.len() {
            if state.get(root) != Some(&0) {
                continue;
            }
            let mut path: Vec<(usize, usize)> = vec![(root, 0)];
            if let Some(s) = state.get_mut(root) {
                *s = 1;
            }
            while let Some(&mut (node, ref mut next)) = path.last_mut() {
                let dep = deps.get(node).and_then(|d| d.get(*next)).copied();
                *next += 1;
                match dep {
                    Some(d) if state.get(d) == Some(&0) => {
                        if let Some(s) = state.get_mut(d) {
                            *s = 1;
                        }
                        path.push((d, 0));
                    }
                    Some(d) if state.get(d) == Some(&1) => {
                        // A cycle: the lets on the path from `d` to here.
                        let from = path.iter().position(|(n, _)| *n == d).unwrap_or(0);
                        let members: Vec<usize> = path
                            .get(from..)
                            .unwrap_or_default()
                            .iter()
                            .map(|(n, _)| *n)
                            .collect();
                        if !members.iter().any(|m| cyclic.contains(m)) {
                            let chain: Vec<&str> = members
                                .iter()
                                .chain(std::iter::once(&d))
                                .filter_map(|m| names.get(*m).map(|l| l.name.node.as_str()))
                                .collect();
                            let span = names.get(d).map(|l| l.name.span).unwrap_or_default();
                            self.errors.push(CheckError::error(
                                format!(
                                    "`{}` is defined in terms of itself ({})",
                                    chain.first().copied().unwrap_or_default(),
                                    chain.join(" -> ")
                                ),
                                span,
                                "cycle",
                            ));
                        }
                        cyclic.extend(members);
                    }
                    Some(_) => {}
                    None => {
                        if let Some(s) = state.get_mut(node) {
                            *s = 2;
                        }
                        order.push(node);
                        path.pop();
                    }
                }
            }
        }
        for &c in &cyclic {
            if let Some(l) = names.get(c) {
                self.pending_lets.remove(&l.name.node);
                self.broken_lets.insert(l.name.node.clone());
            }
        }
        order
            .into_iter()
            .filter(|i| !cyclic.contains(i))
            .filter_map(|i| names.get(i).map(|l| l.name.node.clone()))
            .collect()
    }

    /// Check a let (once), checking the lets it reads first.
    fn resolve_let(&mut self, name: &str) -> Option<LetId> {
        if let Some((Global::Let(id), _)) = self.globals.get(name) {
            return Some(*id);
        }
        let decl = self.pending_lets.get(name)?.clone();
        if self.let_stack.iter().any(|n| n == name) {
            self.errors.push(CheckError::error(
                format!(
                    "`{name}` is defined in terms of itself ({} -> {name})",
                    self.let_stack.join(" -> ")
                ),
                decl.name.span,
                "cycle",
            ));
            return None;
        }
        self.let_stack.push(name.to_string());
        let checked = self.check_value_expr(&decl.value, &[]);
        self.let_stack.pop();
        self.pending_lets.remove(name);
        let typed = checked?;
        if !typed.judgements.is_empty() {
            self.errors.push(
                CheckError::error(
                    format!("`{name}` reads a judgement; a `let` is worked out from the evidence before any judgement"),
                    decl.value.span,
                    "reads a judgement",
                )
                .with_help("read the judgement in the rule's condition instead"),
            );
            return None;
        }
        let id = self.model.lets.len();
        self.model.lets.push(LetDef {
            name: name.to_string(),
            expr: typed.id,
            ty: typed.ty,
            span: decl.name.span,
        });
        self.let_reads.push(typed.reads);
        self.let_nullable.push(typed.nullable);
        self.let_facts.push(typed.facts);
        self.globals
            .insert(name.to_string(), (Global::Let(id), decl.name.span));
        Some(id)
    }

    fn check_judgements(&mut self, items: &[Item]) {
        let mut index = 0;
        for item in items {
            let Item::Judgement(j) = item else { continue };
            let Some(def) = self.model.judgements.get(index) else {
                break;
            };
            if def.span != j.name.span {
                continue;
            }
            index += 1;
            if let Some(cond) = &j.applies_when {
                if let Some(typed) = self.check_condition(cond, &[]) {
                    if let Some(def) = self.model.judgements.get_mut(index - 1) {
                        def.applies = Some(typed.id);
                        def.applies_reads = typed.judgements;
                    }
                }
            }
        }
    }

    fn check_header_refs(&mut self, header: &ast::RulesetDecl) {
        if let Some(at) = &header.as_at {
            match self.field_by_path.get(&at.node.to_string()).copied() {
                Some(f)
                    if self.model.fields.get(f).is_some_and(|d| {
                        d.ty == Type::Date && d.absence == AbsenceMode::Required
                    }) =>
                {
                    self.model.meta.as_at = Some(f);
                }
                found => {
                    let near = found.is_none().then(|| {
                        let dates = self.model.fields.iter().filter(|f| f.ty == Type::Date);
                        suggest::did_you_mean(&at.node.to_string(), dates.map(|f| f.name.as_str()))
                    });
                    self.errors.push(
                        CheckError::error(
                            format!("`{}` is not a required date field of the evidence", at.node),
                            at.span,
                            "cannot select an edition",
                        )
                        .with_help(suggest::help_with(
                            near.flatten(),
                            "`as at` names the evidence date that picks the edition in force",
                        )),
                    );
                }
            }
        }
        if let Some(at) = &header.evaluated_on {
            match self.field_by_path.get(&at.node.to_string()).copied() {
                Some(f)
                    if self.model.fields.get(f).is_some_and(|d| {
                        d.ty == Type::Date && d.absence != AbsenceMode::Unknown
                    }) =>
                {
                    self.model.meta.evaluated_on = Some(f);
                }
                _ => self.errors.push(
                    CheckError::error(
                        format!("`{}` is not a date field of the evidence", at.node),
                        at.span,
                        "not an evaluation date",
                    )
                    .with_help("`evaluated on` names the evidence date (required, or `or none`) deadlines are compared with"),
                ),
            }
        }
        if let Some(f) = &header.in_force {
            if let Some(to) = f.node.to {
                if to < f.node.from {
                    self.errors.push(CheckError::error(
                        "the period in force ends before it starts",
                        f.span,
                        "empty period",
                    ));
                }
            }
        }
        if header.kind == FileKind::Ruleset && header.edition.is_none() && header.in_force.is_none()
        {
            self.errors.push(
                CheckError::warning(
                    "the ruleset names no edition and no period in force",
                    header.name.span,
                    "unversioned",
                )
                .with_help("add `in force from YYYY-MM-DD` (and `edition \"...\"`)"),
            );
        }
    }

    pub(crate) fn mark_threshold_used(&mut self, i: usize) {
        if self.used_thresholds.len() <= i {
            self.used_thresholds.resize(i + 1, false);
        }
        if let Some(u) = self.used_thresholds.get_mut(i) {
            *u = true;
        }
    }

    pub(crate) fn mark_let_used(&mut self, i: usize) {
        if self.used_lets.len() <= i {
            self.used_lets.resize(i + 1, false);
        }
        if let Some(u) = self.used_lets.get_mut(i) {
            *u = true;
        }
    }

    /// Thresholds and lets of the checked ruleset that nothing reads. Those
    /// of definitions are left alone: another ruleset may read them.
    fn lint_unused(&mut self) {
        if self.definitions {
            return;
        }
        let mut warnings = Vec::new();
        for (i, t) in self.model.thresholds.iter().enumerate() {
            if !self.is_own(t.span) {
                continue;
            }
            if !self.used_thresholds.get(i).copied().unwrap_or(false) {
                warnings.push((format!("the threshold `{}` is never used", t.name), t.span));
            }
        }
        for (i, l) in self.model.lets.iter().enumerate() {
            if !self.is_own(l.span) {
                continue;
            }
            if !self.used_lets.get(i).copied().unwrap_or(false) {
                warnings.push((format!("`{}` is never used", l.name), l.span));
            }
        }
        for (message, span) in warnings {
            self.errors.push(
                CheckError::warning(message, span, "unused").with_help(
                    "a rule should read it, or it should go: changing it changes nothing",
                ),
            );
        }
    }
}

fn contains_word(haystack: &str, word: &str) -> bool {
    haystack.match_indices(word).any(|(i, _)| {
        let before = haystack.get(..i).and_then(|s| s.chars().last());
        let after = haystack
            .get(i + word.len()..)
            .and_then(|s| s.chars().next());
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}
