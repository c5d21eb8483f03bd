//! A part of a condition that is not a comparison (a yes/no field, `is
//! set`, `is V`) worked back to the change of evidence that sets it, and
//! `X is set` of a let worked back to the field it is computed from.

use super::evidence::walk;
use super::{fewest, Changes, Writer};
use crate::model::{ExprId, Node};
use crate::types::Type;
use crate::value::{Tri, Value};
use crate::why_not::answer::{Amount, Change, Need};
use judgement_syntax::ast::{CalendarOp, ConstraintOp};
use serde_json::Value as Json;

impl Writer<'_> {
    /// A part that is not a comparison: a yes/no field, `is set`, `is V`.
    /// `known`: the values under it, for the value its field has now.
    pub(super) fn leaf(
        &self,
        e: ExprId,
        want: bool,
        truth: Option<Tri>,
        known: &[(ExprId, Value)],
    ) -> Changes {
        let text = self.text(e);
        let now = |yes: &str, no: &str| match truth {
            Some(Tri::True) => yes.to_string(),
            Some(Tri::False) => no.to_string(),
            _ => "unknown".to_string(),
        };
        match self.model.exprs.get(e) {
            Some(Node::Field(_) | Node::Var { .. }) => {
                let field = self
                    .evidence_name(e)
                    .ok_or_else(|| format!("`{text}` is not one value of the evidence"))?;
                Ok(vec![Change {
                    field,
                    now: now("true", "false"),
                    needs: Need::Exactly(Amount::Bool(want)),
                    via: Vec::new(),
                }])
            }
            Some(Node::IsSet(inner)) => match self.evidence_name(*inner) {
                Some(field) => Ok(vec![Change {
                    field,
                    now: self
                        .shown(*inner, known)
                        .unwrap_or_else(|| now("set", "none")),
                    needs: if want { Need::Set } else { Need::NotSet },
                    via: Vec::new(),
                }]),
                None => self.set_through(*inner, want, known, Vec::new()),
            },
            Some(Node::IsValue { expr, op, value }) => {
                let element = self.element_field(*expr);
                // For a judgement, the judgement's name and its proposal now.
                let mut made_from: Option<(String, String)> = None;
                let (name, scale) = match self.model.exprs.get(*expr) {
                    Some(Node::Field(f)) => {
                        let def =
                            self.model.fields.get(*f).ok_or_else(|| {
                                format!("`{text}` is not a field of the evidence")
                            })?;
                        let Type::Enum { id, .. } = def.ty else {
                            return Err(format!("`{text}` is not one value of the evidence"));
                        };
                        (def.name.clone(), id)
                    }
                    // A field of an element a quantifier asks of.
                    Some(Node::Var { .. }) if element.is_some() => {
                        let Some((name, Type::Enum { id, .. }, _)) = element else {
                            return Err(format!("`{text}` is not one value of the evidence"));
                        };
                        (name, id)
                    }
                    // A field of the `for each` element, as written (`s.outcome`).
                    Some(Node::Var {
                        slot: 0,
                        field: Some(field),
                    }) => {
                        let Some(Type::Enum { id, .. }) = self.elem_field_type(*field) else {
                            return Err(format!("`{text}` is not one value of the evidence"));
                        };
                        (self.text(*expr), id)
                    }
                    // A judgement starts from its proposal (`from proposed.X`):
                    // the proposal is the one value of the evidence that can
                    // move it. Whether the rules then let the judgement be
                    // what the part needs is for evaluating again to say, as
                    // for any change; where they do not, the answer says so.
                    Some(Node::Judgement(j)) => {
                        let judgement = self.model.judgements.get(*j);
                        let proposal = judgement.and_then(|d| self.model.fields.get(d.from));
                        let (Some(judgement), Some(proposal)) = (judgement, proposal) else {
                            return Err(format!("`{text}` reads a judgement, which rules decide"));
                        };
                        let Type::Enum { id, .. } = proposal.ty else {
                            return Err(format!(
                                "`{text}` reads the judgement {name}, which rules decide: ask why not {name}=VALUE",
                                name = judgement.name
                            ));
                        };
                        let now = match walk(self.evidence, &proposal.path) {
                            Some(Json::String(s)) => s.clone(),
                            _ => "none".to_string(),
                        };
                        made_from = Some((judgement.name.clone(), now));
                        (proposal.name.clone(), id)
                    }
                    _ => return Err(format!("`{text}` is not one value of the evidence")),
                };
                let names = self
                    .model
                    .enums
                    .get(scale)
                    .map(|s| s.values.clone())
                    .unwrap_or_default();
                let at = |i: u16| {
                    names
                        .get(usize::from(i))
                        .cloned()
                        .map(Amount::Name)
                        .ok_or_else(|| format!("`{text}` names a value its scale does not have"))
                };
                // Rank 0 is best: `is at most V` holds for ranks from V's down.
                let needs = match (op, want) {
                    (ConstraintOp::Equal, true) => Need::Exactly(at(*value)?),
                    (ConstraintOp::Equal, false) => Need::Other(at(*value)?),
                    (ConstraintOp::AtMost, true) => Need::AtMost(at(*value)?),
                    (ConstraintOp::AtMost, false) => match value.checked_sub(1) {
                        Some(better) => Need::AtLeast(at(better)?),
                        None => return Err(format!("`{text}` holds for every value")),
                    },
                    (ConstraintOp::AtLeast, true) => Need::AtLeast(at(*value)?),
                    (ConstraintOp::AtLeast, false) => match value.checked_add(1) {
                        Some(worse) if usize::from(worse) < names.len() => Need::AtMost(at(worse)?),
                        _ => return Err(format!("`{text}` holds for every value")),
                    },
                };
                let (now, via) = match made_from {
                    Some((judgement, now)) => (now, vec![format!("{judgement} {needs}")]),
                    None => (self.shown(*expr, known).unwrap_or_default(), Vec::new()),
                };
                Ok(vec![Change {
                    now,
                    field: name,
                    needs,
                    via,
                }])
            }
            // A let that is one test of one value (`let monitoring_visit =
            // inspection.kind is monitoring`): that value, so that the let
            // is what is wanted.
            Some(Node::Let(_)) => {
                let mut e = e;
                let mut via = Vec::new();
                while let Some(Node::Let(l)) = self.model.exprs.get(e) {
                    let def = self
                        .model
                        .lets
                        .get(*l)
                        .ok_or_else(|| format!("`{text}` is not a let of the ruleset"))?;
                    via.push(format!("{} {want}", def.name));
                    e = def.expr;
                }
                match self.model.exprs.get(e) {
                    Some(
                        Node::Field(_) | Node::Var { .. } | Node::IsSet(_) | Node::IsValue { .. },
                    ) => {
                        let mut changes = self.leaf(e, want, truth, known)?;
                        for c in &mut changes {
                            c.via.extend(via.iter().cloned());
                        }
                        Ok(changes)
                    }
                    Some(Node::Const(v)) => Err(format!(
                        "`{text}` is {} in the ruleset itself, whatever the evidence",
                        crate::show::show(self.model, crate::types::Type::Bool, v)
                    )),
                    _ => Err(format!("`{text}` is derived from several values")),
                }
            }
            Some(Node::Judgement(_)) => Err(format!("`{text}` is a judgement, which rules decide")),
            // `T is empty` of a text: blank ("" or nothing but spaces, or
            // none), or any text that is not blank.
            Some(Node::IsEmpty(inner)) if self.evidence_type(*inner) == Some(Type::Text) => {
                let field = self
                    .evidence_name(*inner)
                    .ok_or_else(|| format!("`{text}` is not one value of the evidence"))?;
                Ok(vec![Change {
                    field,
                    now: self
                        .shown(*inner, known)
                        .unwrap_or_else(|| now("blank", "not blank")),
                    needs: match want {
                        true => Need::Exactly(Amount::Name(String::new())),
                        false => Need::NotBlank,
                    },
                    via: Vec::new(),
                }])
            }
            _ => Err(format!("`{text}` is computed from several values")),
        }
    }

    /// What would make computed value `e` set (`want`) or none: a let is
    /// read through, a sum or difference is set when both its sides are
    /// (each side now none must be set; to make it none, the side that
    /// can be), `date of` and `time of` a moment when the moment is, down
    /// to the evidence fields (`final_expected_by = inspection.end +
    /// final_report_time` is set when `inspection.end` is).
    pub(super) fn set_through(
        &self,
        e: ExprId,
        want: bool,
        known: &[(ExprId, Value)],
        mut via: Vec<String>,
    ) -> Changes {
        let _deeper = self.deeper()?;
        let text = self.text(e);
        if let Some(field) = self.evidence_name(e) {
            return Ok(vec![Change {
                field,
                now: self.shown(e, known).unwrap_or_default(),
                needs: if want { Need::Set } else { Need::NotSet },
                via,
            }]);
        }
        match self.model.exprs.get(e) {
            Some(Node::Let(l)) => {
                let def = self
                    .model
                    .lets
                    .get(*l)
                    .ok_or_else(|| format!("`{text}` is not a let of the ruleset"))?;
                via.push(format!("{} {}", def.name, if want { "set" } else { "none" }));
                self.set_through(def.expr, want, known, via)
            }
            Some(Node::Arith(_, a, b)) if want => {
                let mut out = Vec::new();
                for side in [*a, *b] {
                    if !self.value_here(side, known).is_some_and(|v| has_value(&v)) {
                        out.extend(self.set_through(side, want, known, via.clone())?);
                    }
                }
                if out.is_empty() {
                    return Err(format!("`{text}` is computed from values that are all set"));
                }
                Ok(out)
            }
            Some(Node::Arith(_, a, b)) => fewest(
                [*a, *b]
                    .into_iter()
                    .map(|side| self.set_through(side, want, known, via.clone())),
                "no side can change",
            ),
            Some(Node::Calendar(CalendarOp::TimeOf | CalendarOp::DateOf, x)) => {
                self.set_through(*x, want, known, via)
            }
            Some(Node::Threshold(_) | Node::Const(_)) => Err(format!(
                "`{text}` is fixed by the ruleset, whatever the evidence"
            )),
            Some(Node::Judgement(_)) => Err(format!(
                "`{text}` is a judgement, which rules decide: ask why not {text}=VALUE"
            )),
            Some(Node::Aggregate { .. }) => Err(format!(
                "`{text}` is computed over the elements of a list, which no one value of the evidence decides"
            )),
            _ => Err(format!(
                "`{text}` is computed from several values, and no one of them sets it"
            )),
        }
    }
}

/// Whether a value is set: neither none nor unknown.
pub(super) fn has_value(v: &Value) -> bool {
    !matches!(v, Value::None | Value::Unknown)
}
