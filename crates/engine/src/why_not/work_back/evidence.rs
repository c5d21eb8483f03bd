//! The evidence a part reads: the field behind an expression (through
//! lets, or an element's field by JSON path), its type and its value now,
//! and which changes are a last resort.

use super::Writer;
use crate::model::{AggregateKind, Arith, ExprId, Node};
use crate::show::show;
use crate::types::Type;
use crate::value::Value;
use crate::why_not::answer::Change;
use serde_json::Value as Json;

impl Writer<'_> {
    /// A field of the element a quantifier is being worked back on
    /// (`requirements[1].met`): its name, type and value now.
    pub(super) fn element_field(&self, e: ExprId) -> Option<(String, Type, Option<String>)> {
        let at = self.at.borrow();
        let at = at.as_ref()?;
        let Some(Node::Var {
            slot,
            field: Some(field),
        }) = self.model.exprs.get(e)
        else {
            return None;
        };
        if *slot != at.slot {
            return None;
        }
        let def = self.model.records.get(at.record)?.fields.get(*field)?;
        let name = format!("{}[{}].{}", at.list, at.index, def.name);
        let now = at
            .values
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.clone());
        Some((name, def.ty, now))
    }

    /// The value of `e` where working back needs it: as probing recorded
    /// it, as the ruleset fixes it (a threshold, a value written in the
    /// rule), or, inside an element a quantifier asks of (whose values
    /// probing keeps only as shown), as the record gives it.
    pub(super) fn value_here(&self, e: ExprId, known: &[(ExprId, Value)]) -> Option<Value> {
        if let Some((_, v)) = known.iter().find(|(k, _)| *k == e) {
            return Some(v.clone());
        }
        match self.model.exprs.get(e)? {
            Node::Const(v) => Some(v.clone()),
            Node::Threshold(t) => self.model.thresholds.get(*t).map(|d| d.value.clone()),
            _ => self.recorded(e),
        }
    }

    /// While a quantifier's element is being worked back on, the value of
    /// evidence field `e`, or of a field of the element, read from the
    /// record: a date, date and time, time, number, span of days or yes/no;
    /// `None` for anything else, a value the record does not give, or
    /// outside an element (where probing recorded the values).
    pub(super) fn recorded(&self, e: ExprId) -> Option<Value> {
        let at = self.at.borrow();
        let (raw, ty) = match (self.model.exprs.get(e)?, at.as_ref()) {
            (Node::Field(f), Some(_)) => {
                let def = self.model.fields.get(*f)?;
                (walk(self.evidence, &def.path)?, def.ty)
            }
            (
                Node::Var {
                    slot,
                    field: Some(field),
                },
                Some(at),
            ) if *slot == at.slot => {
                let def = self.model.records.get(at.record)?.fields.get(*field)?;
                let element = walk(self.evidence, &at.path)?.get(at.index)?;
                (walk(element, &def.path)?, def.ty)
            }
            _ => return None,
        };
        use crate::evidence::{parse_date, parse_datetime, parse_time};
        match (ty, raw) {
            (Type::Date, Json::String(s)) => parse_date(s).map(Value::Date),
            (Type::DateTime, Json::String(s)) => parse_datetime(s).map(Value::DateTime),
            (Type::Time, Json::String(s)) => parse_time(s).map(Value::Time),
            (Type::Number, Json::Number(n)) => n.as_i64().map(Value::Number),
            (Type::Days, Json::Number(n)) => n.as_i64().map(Value::Days),
            (Type::Bool, Json::Bool(b)) => Some(Value::Bool(*b)),
            _ => None,
        }
    }

    /// The value of `name` as probing showed it on the element a
    /// quantifier is being worked back on (`recommendation.minor_error =
    /// none`, read beside the element's own fields).
    pub(super) fn shown_on_element(&self, name: &str) -> Option<String> {
        let at = self.at.borrow();
        at.as_ref()?
            .values
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
    }

    /// `earliest E for X in L where C` or `latest ...` over an evidence
    /// list, where `e` (through lets) is one: the list, the slot X is
    /// bound at, and C. Such a value is set where an element meets C.
    pub(super) fn filtered(&self, e: ExprId) -> Option<(ExprId, usize, ExprId)> {
        match self.model.exprs.get(self.through_lets(e))? {
            Node::Aggregate {
                kind: AggregateKind::Earliest(_) | AggregateKind::Latest(_),
                list,
                slot,
                filter: Some(filter),
            } => Some((*list, *slot, *filter)),
            _ => None,
        }
    }

    /// The expression a let stands for, through lets of lets (at most as
    /// deep as probing reads them); any other expression itself.
    pub(super) fn through_lets(&self, mut e: ExprId) -> ExprId {
        for _ in 0..8 {
            match self.model.exprs.get(e) {
                Some(Node::Let(l)) => match self.model.lets.get(*l) {
                    Some(def) => e = def.expr,
                    None => break,
                },
                _ => break,
            }
        }
        e
    }

    /// Whether `e` is a date, a moment or a time: an evidence field of
    /// one, or a date moved by a span (through lets); not the days
    /// between two dates.
    pub(super) fn is_dated(&self, e: ExprId) -> bool {
        let e = self.through_lets(e);
        match self.model.exprs.get(e) {
            // Days between two dates is a count.
            Some(Node::Arith(Arith::DateDiff, ..)) => return false,
            Some(Node::Arith(_, first, _)) => return self.is_dated(*first),
            _ => {}
        }
        matches!(
            self.evidence_type(e),
            Some(Type::Date | Type::DateTime | Type::Time)
        )
    }

    /// The name of an evidence field, or of a field of the `for each`
    /// element as written (`absence.planned`).
    pub(super) fn evidence_name(&self, e: ExprId) -> Option<String> {
        if let Some((name, _, _)) = self.element_field(e) {
            return Some(name);
        }
        match self.model.exprs.get(e)? {
            Node::Field(f) => self.model.fields.get(*f).map(|d| d.name.clone()),
            Node::Var {
                slot: 0,
                field: Some(_),
            } => Some(self.text(e)),
            _ => None,
        }
    }

    /// The type of evidence field (or element field) `e`.
    pub(super) fn evidence_type(&self, e: ExprId) -> Option<Type> {
        if let Some((_, ty, _)) = self.element_field(e) {
            return Some(ty);
        }
        match self.model.exprs.get(e)? {
            Node::Field(f) => self.model.fields.get(*f).map(|d| d.ty),
            Node::Var {
                slot: 0,
                field: Some(field),
            } => self.elem_field_type(*field),
            _ => None,
        }
    }

    /// The value of evidence field (or element field) `e` as shown, from
    /// the values probing recorded.
    pub(super) fn shown(&self, e: ExprId, known: &[(ExprId, Value)]) -> Option<String> {
        if let Some((_, _, now)) = self.element_field(e) {
            return now;
        }
        let (_, v) = known.iter().find(|(k, _)| *k == e)?;
        let ty = match self.model.exprs.get(e)? {
            Node::Field(f) => self.model.fields.get(*f)?.ty,
            Node::Var {
                slot: 0,
                field: Some(field),
            } => self.elem_field_type(*field)?,
            _ => return None,
        };
        Some(show(self.model, ty, v))
    }

    /// The type of field `field` of the element the rule goes over.
    pub(super) fn elem_field_type(&self, field: usize) -> Option<Type> {
        let record = self.model.records.get(self.elem.get()?)?;
        record.fields.get(field).map(|d| d.ty)
    }

    /// Whether the changes are a last resort where another way would do:
    /// they move the record's own date, or change the id of an element of
    /// a list (`minor_errors[1].id`), which names the element rather than
    /// saying anything of it, and which another element may already have.
    pub(super) fn rather_not(&self, changes: &[Change]) -> bool {
        self.moves_the_record(changes)
            || changes.iter().any(|c| {
                c.field
                    .rsplit_once('.')
                    .is_some_and(|(element, field)| field == "id" && element.ends_with(']'))
            })
    }

    /// Whether the changes touch the record's `as at` or `evaluated on` date.
    pub(super) fn moves_the_record(&self, changes: &[Change]) -> bool {
        let meta = &self.model.meta;
        let dates: Vec<&str> = [meta.as_at, meta.evaluated_on]
            .into_iter()
            .flatten()
            .filter_map(|f| self.model.fields.get(f).map(|d| d.name.as_str()))
            .collect();
        changes.iter().any(|c| dates.contains(&c.field.as_str()))
    }
}

/// The value at `path` in a JSON object, where there is one.
pub(super) fn walk<'j>(json: &'j Json, path: &[String]) -> Option<&'j Json> {
    path.iter().try_fold(json, |j, k| j.get(k))
}
