//! Declarations: scales and choices, records (one that holds itself
//! refused), evidence fields (a field shared with definitions declared the
//! same way in both), thresholds, the judgements' names, scales and `applies
//! when`, and what the header names (`as at`, `evaluated on`, the period in
//! force).

use super::{expr, Broken, Checker, Global};
use crate::diagnostic::CheckError;
use crate::model::*;
use crate::suggest;
use crate::types::{Elem, RecordId, Type};
use crate::value::Value;
use judgement_syntax::ast::{self, Absence, FileKind, Item, Literal, TypeExpr};
use judgement_syntax::Span;

impl Checker {
    pub(super) fn declare_types(&mut self, items: &[&Item]) {
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
            let id = self.model.enums.push(EnumDef {
                name: name.node.clone(),
                values: values.iter().map(|v| v.node.clone()).collect(),
                ordered,
            });
            self.enum_by_name.insert(name.node.clone(), (id, name.span));
        }
        // Records after enums: their fields may use them.
        for item in items {
            let Item::Record(r) = item else { continue };
            if let Some((_, first)) = self.record_by_name.get(&r.name.node) {
                let first = *first;
                self.duplicate("the record", &r.name.node, r.name.span, first);
                continue;
            }
            let id = self.model.records.push(RecordDef {
                name: r.name.node.clone(),
                fields: Vec::new(),
                id_field: None,
            });
            self.record_by_name
                .insert(r.name.node.clone(), (id, r.name.span));
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
        let holds = |r: &RecordDef| -> Vec<(usize, RecordId)> {
            r.fields
                .iter()
                .enumerate()
                .filter_map(|(i, f)| match f.ty {
                    Type::List(Elem::Record(inner)) => Some((i, inner)),
                    _ => None,
                })
                .collect()
        };
        for start in self.model.records.ids() {
            // Depth first from `start`, without recursion.
            let mut seen = vec![false; self.model.records.len()];
            let mut stack: Vec<RecordId> = self
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
                if seen.get(r.index()).copied().unwrap_or(true) {
                    continue;
                }
                if let Some(flag) = seen.get_mut(r.index()) {
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

    pub(super) fn resolve_type(&mut self, ty: &ast::TypeExpr, span: Span) -> Option<Type> {
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
            comment: f.comment.0.clone(),
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

    pub(super) fn declare_fields(&mut self, items: &[&Item]) {
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
                // A rule could not name it: `rule.x` or `or.x` reads as the
                // keyword there.
                if let Some(word) = def.path.first().filter(|w| judgement_syntax::is_keyword(w)) {
                    self.errors.push(
                        CheckError::error(
                            format!("`{word}` is a reserved word; a field's path may not start with it"),
                            f.path.span,
                            "reserved word",
                        )
                        .with_help("give the field a path of its own, such as `report.rule` rather than `rule`"),
                    );
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
                let name = def.name.clone();
                let id = self.model.fields.push(def);
                self.field_by_path.insert(name, id);
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

    pub(super) fn declare_thresholds(&mut self, items: &[&Item]) {
        for item in items {
            let Item::Threshold(t) = item else { continue };
            let Some((value, ty)) = self.constant(&t.value) else {
                continue;
            };
            let id = self.model.thresholds.push(ThresholdDef {
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
            Literal::Duration { amount, unit } => {
                // A threshold of working days counts them wherever it is
                // read: said here, as for a duration written in a rule.
                if *unit == judgement_syntax::ast::Unit::WorkingDays {
                    self.has_calendar(e.span);
                }
                expr::duration_value(*amount, *unit)?
            }
            Literal::Name(_) => return None,
        })
    }

    pub(super) fn declare_judgement_names(&mut self, items: &[&Item]) {
        for item in items {
            let Item::Judgement(j) = item else { continue };
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
                    self.broken_names
                        .insert(j.name.node.clone(), Broken::Judgement);
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
                    self.broken_names
                        .insert(j.name.node.clone(), Broken::Judgement);
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
                    self.broken_names
                        .insert(j.name.node.clone(), Broken::Judgement);
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
            let id = self.model.judgements.push(JudgementDef {
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

    pub(super) fn check_judgements(&mut self, items: &[&Item]) {
        let mut index = 0;
        for item in items {
            let Item::Judgement(j) = item else { continue };
            let id = JudgementId::from_index(index);
            let Some(def) = self.model.judgements.get(id) else {
                break;
            };
            if def.span != j.name.span {
                continue;
            }
            index += 1;
            if let Some(cond) = &j.applies_when {
                if let Some(typed) = self.check_condition(cond, &[]) {
                    if let Some(def) = self.model.judgements.get_mut(id) {
                        def.applies = Some(typed.id);
                        def.applies_reads = typed.judgements;
                    }
                }
            }
        }
    }

    /// The date field a header clause names (`as at`, `evaluated on`),
    /// where it is a date field that `fits`; otherwise an error saying it
    /// is not `what.0` (labelled `what.1`), with `help`, led by the
    /// nearest date field that fits when no field has the name (most
    /// likely it is misspelt).
    fn header_date(
        &mut self,
        at: &judgement_syntax::Spanned<ast::Path>,
        fits: impl Fn(&FieldDef) -> bool,
        what: (&str, &str),
        help: &str,
    ) -> Option<FieldId> {
        let name = at.node.to_string();
        let found = self.field_by_path.get(&name).copied();
        let date_that_fits = |d: &FieldDef| d.ty == Type::Date && fits(d);
        if let Some(f) = found.filter(|f| self.model.fields.get(*f).is_some_and(date_that_fits)) {
            return Some(f);
        }
        let near = found.is_none().then(|| {
            let dates = self.model.fields.iter().filter(|d| date_that_fits(d));
            suggest::did_you_mean(&name, dates.map(|d| d.name.as_str()))
        });
        self.errors.push(
            CheckError::error(
                format!("`{name}` is not {} of the evidence", what.0),
                at.span,
                what.1,
            )
            .with_help(suggest::help_with(near.flatten(), help)),
        );
        None
    }

    pub(super) fn check_header_refs(&mut self, header: &ast::RulesetDecl) {
        if let Some(at) = &header.as_at {
            self.model.meta.as_at = self.header_date(
                at,
                |d| d.absence == AbsenceMode::Required,
                ("a required date field", "cannot select an edition"),
                "`as at` names the evidence date that picks the edition in force",
            );
        }
        if let Some(at) = &header.evaluated_on {
            self.model.meta.evaluated_on = self.header_date(
                at,
                |d| d.absence != AbsenceMode::Unknown,
                ("a date field", "not an evaluation date"),
                "`evaluated on` names the evidence date (required, or `or none`) deadlines are compared with",
            );
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
}
