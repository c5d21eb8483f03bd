//! Working back from a part of a condition to the smallest change of
//! evidence that would make it come out the other way.

use super::answer::{
    Amount, Attempt, Change, Checked, Connective, ElementPart, Fix, Need, Part, Truth, MAX_ELEMENTS,
};
use super::{moment, narrow};
use crate::eval::{add_days, Probe, Seen, Shape};
use crate::model::{AggregateKind, Arith, Cmp, ExprId, Model, Node};
use crate::outcome::RuleResult;
use crate::show::show;
use crate::types::Type;
use crate::value::{Tri, Value};
use crate::Ruleset;
use chrono::TimeDelta;
use judgement_syntax::ast::{CalendarOp, ConstraintOp, Quantifier};
use serde_json::Value as Json;

/// The most other ways of working back a change that evaluating again
/// tries, where the cheapest is not borne out.
const MAX_ALTERNATIVES: usize = 6;

/// What the conditions `s` asks of list elements came to on each, where
/// probing said which element each was (the rule's own parts).
fn elements<'r>(s: &Seen<'r>) -> Vec<ElementPart<'r>> {
    s.within
        .iter()
        .filter_map(|w| {
            let e = w.element.as_ref()?;
            Some(ElementPart {
                position: e.index + 1,
                item: Some(e.id.clone()).filter(|id| !id.is_empty()),
                truth: Truth::of(w.truth),
                values: w.values.clone(),
            })
        })
        .take(MAX_ELEMENTS)
        .collect()
}

/// Of ways any one of which would do, the one needing fewest changes; of
/// those, the one whose changes move a date or a number past a bound before
/// one that flips a yes/no or sets a value, and that before one that
/// changes a choice ([`lever`]); the first of equals. Where none has a
/// change, the first reason why, or `none` where there was no way at all.
fn fewest(ways: impl Iterator<Item = Changes>, none: &str) -> Changes {
    let mut best: Option<Vec<Change>> = None;
    let mut first_reason = None;
    let cost = |c: &[Change]| (c.len(), c.iter().map(|c| lever(&c.needs)).max());
    for way in ways {
        match way {
            Ok(c) if best.as_ref().is_none_or(|b| cost(&c) < cost(b)) => best = Some(c),
            Ok(_) => {}
            Err(why) => {
                first_reason.get_or_insert(why);
            }
        }
    }
    best.ok_or_else(|| first_reason.unwrap_or_else(|| none.into()))
}

/// Ways any one of which would do, in order, with any two that each change
/// the same one field in the same way (through the same lets) made one
/// where the values they allow together are one range
/// ([`narrow::joined`]), kept at the first's place: `x < y or (x = y and
/// C)`, with C holding, needs x on or before y, where its first part alone
/// would say the day before.
fn joined(mut ways: Vec<Changes>) -> Vec<Changes> {
    let mut i = 0;
    while i < ways.len() {
        let mut j = i + 1;
        while j < ways.len() {
            let wider = match (ways.get(i), ways.get(j)) {
                (Some(Ok(a)), Some(Ok(b))) => match (a.as_slice(), b.as_slice()) {
                    ([x], [y]) if x.field == y.field && x.via == y.via => {
                        narrow::joined(&x.needs, &y.needs)
                    }
                    _ => None,
                },
                _ => None,
            };
            match (wider, ways.get_mut(i)) {
                (Some(needs), Some(Ok(a))) => {
                    if let Some(change) = a.first_mut() {
                        change.needs = needs;
                    }
                    // Joined into the first: the second's way is no more.
                    let _ = ways.remove(j);
                    // The wider need may now join a way passed over.
                    j = i + 1;
                }
                _ => j += 1,
            }
        }
        i += 1;
    }
    ways
}

/// Works back from what probing saw of a condition, part by part, to
/// the changes of evidence that would make it come out the other way.
pub(super) struct Writer<'a> {
    ruleset: &'a Ruleset,
    model: &'a Model,
    /// The record asked about, for the values of an element's fields,
    /// which probing keeps only as it shows them.
    evidence: &'a Json,
    /// The record of the elements the rule being worked back goes over
    /// (`for each`), for the scale of an element's field.
    elem: std::cell::Cell<Option<crate::types::RecordId>>,
    /// The element of an evidence list a quantifier's condition is being
    /// worked back on, while it is ([`Writer::quantified`]).
    at: std::cell::RefCell<Option<ElementAt>>,
    /// The steps of working back through lets and sums ([`Writer::deeper`])
    /// taken for the part being fixed, counted from each [`Writer::fix`].
    steps: std::cell::Cell<u32>,
    /// How many of them are under way, one inside another.
    depth: std::cell::Cell<u32>,
}

/// The most steps of working back through lets and sums for one part
/// fixed: a let read by several lets, each read by several more, is
/// worked back once on each path to it, and the paths multiply (lets that
/// each read the three before them, 24 deep, took millions of steps and
/// gigabytes before this bound). Working back in a shipped ruleset takes
/// tens.
const MOST_STEPS: u32 = 20_000;

/// The most steps of working back one inside another: each goes through
/// one let or one sum, and each is a frame of the stack (16,000 lets each
/// reading the next overflowed it).
const MOST_DEPTH: u32 = 200;

/// How the reason working back stopped at [`MOST_DEPTH`] begins: the lets
/// it went through are not each named after it.
const TOO_DEEP: &str = "working back went through more than";

/// A step of working back under way ([`Writer::deeper`]): the depth is
/// given back when it ends.
struct Deeper<'c>(&'c std::cell::Cell<u32>);

impl Drop for Deeper<'_> {
    fn drop(&mut self) {
        self.0.set(self.0.get().saturating_sub(1));
    }
}

/// An element of an evidence list of records, which a quantifier's
/// condition is being worked back on: its fields are named by their JSON
/// path (`requirements[1].met`), and their values now are those probing
/// read of it.
#[derive(Debug, Clone)]
struct ElementAt {
    slot: usize,
    list: String,
    /// The list's JSON path in the record.
    path: Vec<String>,
    index: usize,
    record: crate::types::RecordId,
    values: Vec<(String, String)>,
}

/// What working back from a part gives: the changes, or why there is none.
type Changes = Result<Vec<Change>, String>;

impl<'a> Writer<'a> {
    pub(super) fn new(ruleset: &'a Ruleset, evidence: &'a Json) -> Writer<'a> {
        Writer {
            ruleset,
            model: ruleset.model(),
            evidence,
            elem: std::cell::Cell::new(None),
            at: std::cell::RefCell::new(None),
            steps: std::cell::Cell::new(0),
            depth: std::cell::Cell::new(0),
        }
    }

    /// One more step of working back through a let or a sum, or why
    /// working back stops: too many steps for this part ([`MOST_STEPS`]),
    /// or too many one inside another ([`MOST_DEPTH`]).
    fn deeper(&self) -> Result<Deeper<'_>, String> {
        let steps = self.steps.get().saturating_add(1);
        self.steps.set(steps);
        if steps > MOST_STEPS {
            return Err(format!(
                "working back took more than {MOST_STEPS} steps through the lets and sums this part is computed from, and stopped"
            ));
        }
        let depth = self.depth.get().saturating_add(1);
        if depth > MOST_DEPTH {
            return Err(format!(
                "{TOO_DEEP} {MOST_DEPTH} lets and sums one inside another, and stopped"
            ));
        }
        self.depth.set(depth);
        Ok(Deeper(&self.depth))
    }

    fn text(&self, e: ExprId) -> String {
        self.model
            .expr_spans
            .get(e)
            .and_then(|s| self.ruleset.text_of(*s))
            .map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "))
            .unwrap_or_default()
    }

    pub(super) fn attempt<'r>(&self, p: &Probe<'r>) -> Attempt<'r> {
        let elem = self
            .model
            .rules
            .get(p.rule)
            .and_then(|r| r.for_each.as_ref())
            .and_then(|fe| match fe.elem {
                crate::types::Elem::Record(rec) => Some(rec),
                _ => None,
            });
        self.elem.set(elem);
        let result = match p.result {
            Tri::True => RuleResult::Fired,
            Tri::False => RuleResult::NotFired,
            Tri::Unknown => RuleResult::Undetermined,
        };
        let to_fire = match (&p.condition, result) {
            (Some(seen), RuleResult::NotFired | RuleResult::Undetermined) => {
                Some(self.fix(seen, true))
            }
            _ => None,
        };
        Attempt {
            item: p.item.clone(),
            result,
            condition: p.condition.as_ref().map(|s| self.part(s)),
            to_fire,
        }
    }

    fn part<'r>(&self, s: &Seen<'r>) -> Part<'r> {
        let text = self.text(s.expr);
        // A `not` the rule file does not write (`x is none` is read as not
        // `x is set`) is one part, with the truth of the whole and the
        // values its inside read: shown as two, the inside would carry the
        // outer words with the opposite truth.
        if let Shape::Not(inner) = &s.shape {
            if self.text(inner.expr) == text {
                let values = if s.values.is_empty() {
                    inner.values.clone()
                } else {
                    s.values.clone()
                };
                return Part {
                    text,
                    truth: Truth::of(s.truth),
                    values,
                    connective: None,
                    parts: Vec::new(),
                    elements: elements(inner),
                };
            }
        }
        let (connective, parts) = match &s.shape {
            Shape::All(ps) => (
                Some(Connective::And),
                ps.iter().map(|p| self.part(p)).collect(),
            ),
            Shape::Any(ps) => (
                Some(Connective::Or),
                ps.iter().map(|p| self.part(p)).collect(),
            ),
            Shape::Not(p) => (Some(Connective::Not), vec![self.part(p)]),
            Shape::Compare { .. } | Shape::Leaf => (None, Vec::new()),
        };
        Part {
            text,
            truth: Truth::of(s.truth),
            values: s.values.clone(),
            connective,
            parts,
            elements: elements(s),
        }
    }

    /// What would make `s` come to `want`.
    pub(super) fn fix(&self, s: &Seen<'_>, want: bool) -> Fix {
        self.steps.set(0);
        match self.changes(s, want) {
            Ok(changes) if changes.is_empty() => Fix::NoSingleChange {
                reason: "its condition already holds as asked".into(),
            },
            Ok(changes) => Fix::Change {
                alternatives: self
                    .alternatives(s, want)
                    .into_iter()
                    .filter(|a| !a.is_empty() && *a != changes)
                    .take(MAX_ALTERNATIVES)
                    .collect(),
                changes,
                checked: Checked::Unchecked {
                    reason: "not yet evaluated again".into(),
                },
            },
            Err(reason) => Fix::NoSingleChange { reason },
        }
    }

    /// The ways of making `s` come to `want` that working back finds where
    /// one part is enough (a false part of an `and`, a true part of an
    /// `or`), each part's in turn, cheapest first; elsewhere the one way
    /// [`Writer::changes`] gives.
    fn alternatives(&self, s: &Seen<'_>, want: bool) -> Vec<Vec<Change>> {
        if s.truth == Some(Tri::from_bool(want)) {
            return vec![Vec::new()];
        }
        match &s.shape {
            Shape::All(parts) | Shape::Any(parts) if matches!(s.shape, Shape::All(_)) != want => {
                let cost = |c: &Vec<Change>| (c.len(), c.iter().map(|c| lever(&c.needs)).max());
                let mut ways: Vec<Vec<Change>> = Vec::new();
                for p in parts {
                    for way in self.alternatives(p, want) {
                        if !ways.contains(&way) {
                            ways.push(way);
                        }
                    }
                    if ways.len() > MAX_ALTERNATIVES * 2 {
                        break;
                    }
                }
                let mut ways: Vec<Vec<Change>> = joined(ways.into_iter().map(Ok).collect())
                    .into_iter()
                    .filter_map(Result::ok)
                    .collect();
                ways.sort_by_key(cost);
                ways
            }
            // Every part must come to `want`: the way that keeps the parts
            // already as wanted first; then, where all but one part already
            // are, that one's other ways (each still evaluated again, which
            // finds any that would undo another part).
            Shape::All(parts) | Shape::Any(parts) => {
                let mut ways: Vec<Vec<Change>> = self.changes(s, want).into_iter().collect();
                let mut pending = parts
                    .iter()
                    .filter(|p| p.truth != Some(Tri::from_bool(want)));
                if let (Some(one), None) = (pending.next(), pending.next()) {
                    for way in self.alternatives(one, want) {
                        if !ways.contains(&way) {
                            ways.push(way);
                        }
                    }
                }
                ways
            }
            Shape::Not(inner) => self.alternatives(inner, !want),
            Shape::Compare { .. } => self.compared(s, want).unwrap_or_default(),
            _ => self.changes(s, want).into_iter().collect(),
        }
    }

    /// The ways of making comparison `s` come to `want`: one side moved to
    /// the other's value, or the other moved to the first's, at least one
    /// of them, preferred first; else why neither can be. Rather not the
    /// record's own date (`as at`, `evaluated on`), nor the id of an
    /// element of a list, where the other side can change instead: that
    /// way comes second, given if the first does not hold once evaluated
    /// again (the earlier inspection moved back so far that the record is
    /// refused, say).
    fn compared(&self, s: &Seen<'_>, want: bool) -> Result<Vec<Vec<Change>>, String> {
        let Shape::Compare {
            op,
            lhs,
            rhs,
            values,
            known,
        } = &s.shape
        else {
            return Err(format!("`{}` is not a comparison", self.text(s.expr)));
        };
        let op = if want { *op } else { negate(*op) };
        let Some((l, r)) = values else {
            return Err(format!("`{}` could not be evaluated", self.text(s.expr)));
        };
        // Neither side has a value: no one value of either would do, but
        // the answer says what both would need, as the analyst records them.
        let missing = |v: &Value| matches!(v, Value::None | Value::Unknown);
        if missing(l) && missing(r) {
            let dates = self.is_dated(*lhs) || self.is_dated(*rhs);
            return Err(format!(
                "neither `{a}` nor `{b}` has a value, and this part needs both, with `{a}` {rel} `{b}`",
                a = self.text(*lhs),
                b = self.text(*rhs),
                rel = ordering(op, dates),
            ));
        }
        // A side with no value leaves nothing to move the other to: the
        // answer names that side.
        let no_value = |v: &Value, side: ExprId| {
            matches!(v, Value::None | Value::Unknown)
                .then(|| format!("`{}` has no value", self.text(side)))
        };
        let first = match no_value(r, *rhs) {
            Some(why) => Err(why),
            None => self.invert(*lhs, op, r, known, Vec::new()),
        };
        let second = match no_value(l, *lhs) {
            Some(why) => Err(why),
            None => self.invert(*rhs, op.flipped(), l, known, Vec::new()),
        };
        match (first, second) {
            (Ok(a), Ok(b)) if self.rather_not(&a) && !self.rather_not(&b) => Ok(vec![b, a]),
            (Ok(a), Ok(b)) => Ok(vec![a, b]),
            (Ok(a), Err(_)) => Ok(vec![a]),
            (Err(_), Ok(b)) => Ok(vec![b]),
            (Err(why), Err(_)) => Err(why),
        }
    }

    fn changes(&self, s: &Seen<'_>, want: bool) -> Changes {
        if s.truth == Some(Tri::from_bool(want)) {
            return Ok(Vec::new());
        }
        match &s.shape {
            // Every part must hold (and true, or false): all that do not change.
            Shape::All(parts) if want => self.every(parts, want),
            Shape::Any(parts) if !want => self.every(parts, want),
            // One part is enough: the one needing fewest changes.
            Shape::All(parts) | Shape::Any(parts) => self.cheapest(parts, want),
            Shape::Not(inner) => self.changes(inner, !want),
            Shape::Compare { .. } => self.compared(s, want).map(|mut ways| ways.swap_remove(0)),
            Shape::Leaf => match self.model.exprs.get(self.through_lets(s.expr)) {
                // Written in place, or as a let (`let anylate = some r in
                // reqs satisfies r.late`): probing saw its elements either
                // way, under the part.
                Some(&Node::Quantified {
                    quantifier,
                    list,
                    slot,
                    cond,
                }) => self.quantified(s, quantifier, list, slot, cond, want),
                // `X is set` where X is the earliest or latest of a list
                // where a condition holds: set where some element meets it.
                Some(&Node::IsSet(inner)) => match self.filtered(inner) {
                    Some((list, slot, filter)) => {
                        let mut changes =
                            self.quantified(s, Quantifier::Some, list, slot, filter, want)?;
                        if let Some(Node::Let(l)) = self.model.exprs.get(inner) {
                            let name = self.model.lets.get(*l).map(|d| d.name.as_str());
                            let set = if want { "set" } else { "none" };
                            for c in &mut changes {
                                c.via.extend(name.map(|n| format!("{n} {set}")));
                            }
                        }
                        Ok(changes)
                    }
                    None => self.leaf(s.expr, want, s.truth, &s.known),
                },
                _ => self.leaf(s.expr, want, s.truth, &s.known),
            },
        }
    }

    /// What would make `every`, `some` or `no X in L satisfies C` come to
    /// `want`, from what `C` came to on each element of an evidence list
    /// of records: where every element must change (`every` true, `some`
    /// false, `no` true), the changes of each that must; where one is
    /// enough, the element needing fewest. Each element's fields are named
    /// by their JSON path.
    fn quantified(
        &self,
        s: &Seen<'_>,
        quantifier: Quantifier,
        list: ExprId,
        slot: usize,
        cond: ExprId,
        want: bool,
    ) -> Changes {
        let text = self.text(s.expr);
        let computed = || format!("`{text}` asks of a list the ruleset computes");
        let Some(Node::Field(f)) = self.model.exprs.get(list) else {
            return Err(computed());
        };
        let def = self.model.fields.get(*f).ok_or_else(computed)?;
        let Type::List(crate::types::Elem::Record(record)) = def.ty else {
            return Err(format!("`{text}` asks of a list of plain values"));
        };
        // What each element's condition must come to, and whether every
        // element must (else one is enough).
        let (each, all) = match (quantifier, want) {
            (Quantifier::Every, true) => (true, true),
            (Quantifier::Every, false) => (false, false),
            (Quantifier::Some, true) => (true, false),
            (Quantifier::Some, false) => (false, true),
            (Quantifier::No, true) => (false, true),
            (Quantifier::No, false) => (true, false),
        };
        let elements: Vec<(&Seen<'_>, usize)> = s
            .within
            .iter()
            .filter(|w| w.expr == cond)
            .filter_map(|w| Some((w, w.element.as_ref()?.index)))
            .collect();
        if elements.is_empty() {
            return Err(format!("`{text}` is over a list with no elements recorded"));
        }
        let on = |w: &Seen<'_>, index: usize| {
            let values = w
                .values
                .iter()
                .map(|v| (v.name.to_string(), v.value.clone()))
                .collect();
            let saved = self.at.replace(Some(ElementAt {
                slot,
                list: def.name.clone(),
                path: def.path.clone(),
                index,
                record,
                values,
            }));
            let changes = self.changes(w, each);
            self.at.replace(saved);
            changes
        };
        if all {
            let mut out = Vec::new();
            for (w, index) in elements {
                out.extend(on(w, index)?);
            }
            return Ok(out);
        }
        fewest(
            elements.into_iter().map(|(w, index)| on(w, index)),
            "no element can change",
        )
    }

    /// A field of the element a quantifier is being worked back on
    /// (`requirements[1].met`): its name, type and value now.
    fn element_field(&self, e: ExprId) -> Option<(String, Type, Option<String>)> {
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
    fn value_here(&self, e: ExprId, known: &[(ExprId, Value)]) -> Option<Value> {
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
    fn recorded(&self, e: ExprId) -> Option<Value> {
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
    fn shown_on_element(&self, name: &str) -> Option<String> {
        let at = self.at.borrow();
        at.as_ref()?
            .values
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
    }

    fn every(&self, parts: &[Seen<'_>], want: bool) -> Changes {
        let mut out = Vec::new();
        for p in parts {
            out.extend(self.changes(p, want)?);
        }
        // `X is set and X > D`: the value another part needs of X sets it
        // too, so "X set" says nothing more.
        let valued: Vec<String> = out
            .iter()
            .filter(|c| !matches!(c.needs, Need::Set | Need::NotSet))
            .map(|c| c.field.clone())
            .collect();
        out.retain(|c| !(c.needs == Need::Set && valued.contains(&c.field)));
        moment::merge(&mut out);
        // A part that already comes to `want` must stay so: where a change
        // for another part moves the same field (`inspection.kind is full or
        // monitoring_visit`, both to be false; `caution.subject is set and
        // caution.subject is not registered_provider`, both to be true), the
        // value asked for must keep every such part as it is.
        let kept: Vec<(Change, &Seen<'_>)> = parts
            .iter()
            .filter(|p| p.truth == Some(Tri::from_bool(want)))
            .flat_map(|p| self.kept(p, want).into_iter().map(move |k| (k, p)))
            .collect();
        for c in &mut out {
            let on_field: Vec<&(Change, &Seen<'_>)> =
                kept.iter().filter(|(k, _)| k.field == c.field).collect();
            let keeps: Vec<Need> = on_field
                .iter()
                .map(|(k, p)| moment::kept_at(self.calendar_of(p), &k.needs, &c.needs))
                .collect();
            c.needs = narrow::narrow(&self.choices(&c.field), &c.needs, &keeps).map_err(|i| {
                let part = on_field.get(i).map(|(_, p)| self.text(p.expr));
                format!(
                    "changing `{}` for one part would make `{}` {}",
                    c.field,
                    part.unwrap_or_default(),
                    !want
                )
            })?;
        }
        Ok(out)
    }

    /// What keeps a part that is one test (or `not` one test) at `want`:
    /// the value its field must keep; nothing for any other part.
    fn kept(&self, p: &Seen<'_>, want: bool) -> Vec<Change> {
        match &p.shape {
            Shape::Leaf => self
                .leaf(p.expr, want, p.truth, &p.known)
                .unwrap_or_default(),
            Shape::Not(inner) => self.kept(inner, !want),
            // A comparison that comes to `want` now, perhaps only because
            // its field is none (`met > feedback`, false while `met` is not
            // recorded): what keeps it so once the field is changed.
            Shape::Compare {
                op,
                lhs,
                rhs,
                values: Some((l, r)),
                known,
            } => {
                let op = if want { *op } else { negate(*op) };
                self.invert(*lhs, op, r, known, Vec::new())
                    .or_else(|_| self.invert(*rhs, op.flipped(), l, known, Vec::new()))
                    .unwrap_or_default()
            }
            _ => Vec::new(),
        }
    }

    /// Which part of a moment a comparison reads (`time of X < noon`,
    /// `date of X = visit.start`), through `not`; `None` for any other part.
    fn calendar_of(&self, p: &Seen<'_>) -> Option<CalendarOp> {
        match &p.shape {
            Shape::Not(inner) => self.calendar_of(inner),
            Shape::Compare { lhs, rhs, .. } => self
                .calendar_side(*lhs)
                .or_else(|| self.calendar_side(*rhs)),
            _ => None,
        }
    }

    /// `time of` or `date of`, where side `e` of a comparison is one.
    fn calendar_side(&self, e: ExprId) -> Option<CalendarOp> {
        match self.model.exprs.get(self.through_lets(e))? {
            Node::Calendar(cal @ (CalendarOp::TimeOf | CalendarOp::DateOf), _) => Some(*cal),
            _ => None,
        }
    }

    /// The values of evidence field `field` (or of the `for each`
    /// element's, `s.outcome`) when it is a scale or choice; none otherwise.
    fn choices(&self, field: &str) -> Vec<String> {
        let evidence = self
            .model
            .fields
            .iter()
            .find(|d| d.name == field)
            .map(|d| d.ty);
        let element = || {
            let (_, name) = field.split_once('.')?;
            let record = self.model.records.get(self.elem.get()?)?;
            record.fields.iter().find(|d| d.name == name).map(|d| d.ty)
        };
        match evidence.or_else(element) {
            Some(Type::Enum { id, .. }) => self
                .model
                .enums
                .get(id)
                .map(|e| e.values.clone())
                .unwrap_or_default(),
            _ => Vec::new(),
        }
    }

    /// Of parts any one of which would do, the one needing fewest changes;
    /// of those, the one whose changes move a date or a number past a
    /// bound before one that flips a yes/no or sets a value, and that
    /// before one that changes a choice: the kind of inspection or setting
    /// is a fact about the case, where a date or a count is what the rule
    /// weighs (a vacancy's start, not the kind of inspection).
    fn cheapest(&self, parts: &[Seen<'_>], want: bool) -> Changes {
        let ways = parts.iter().map(|p| self.changes(p, want)).collect();
        fewest(joined(ways).into_iter(), "no part can change")
    }

    /// A part that is not a comparison: a yes/no field, `is set`, `is V`.
    /// `known`: the values under it, for the value its field has now.
    fn leaf(
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
    fn set_through(
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

    /// `earliest E for X in L where C` or `latest ...` over an evidence
    /// list, where `e` (through lets) is one: the list, the slot X is
    /// bound at, and C. Such a value is set where an element meets C.
    fn filtered(&self, e: ExprId) -> Option<(ExprId, usize, ExprId)> {
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
    fn through_lets(&self, mut e: ExprId) -> ExprId {
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
    fn is_dated(&self, e: ExprId) -> bool {
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
    fn evidence_name(&self, e: ExprId) -> Option<String> {
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
    fn evidence_type(&self, e: ExprId) -> Option<Type> {
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
    fn shown(&self, e: ExprId, known: &[(ExprId, Value)]) -> Option<String> {
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
    fn elem_field_type(&self, field: usize) -> Option<Type> {
        let record = self.model.records.get(self.elem.get()?)?;
        record.fields.get(field).map(|d| d.ty)
    }

    /// Whether the changes are a last resort where another way would do:
    /// they move the record's own date, or change the id of an element of
    /// a list (`minor_errors[1].id`), which names the element rather than
    /// saying anything of it, and which another element may already have.
    fn rather_not(&self, changes: &[Change]) -> bool {
        self.moves_the_record(changes)
            || changes.iter().any(|c| {
                c.field
                    .rsplit_once('.')
                    .is_some_and(|(element, field)| field == "id" && element.ends_with(']'))
            })
    }

    /// Whether the changes touch the record's `as at` or `evaluated on` date.
    fn moves_the_record(&self, changes: &[Change]) -> bool {
        let meta = &self.model.meta;
        let dates: Vec<&str> = [meta.as_at, meta.evaluated_on]
            .into_iter()
            .flatten()
            .filter_map(|f| self.model.fields.get(f).map(|d| d.name.as_str()))
            .collect();
        changes.iter().any(|c| dates.contains(&c.field.as_str()))
    }

    /// What `e` would need to be for `e op target` to hold, worked back
    /// through lets and sums to an evidence field.
    fn invert(
        &self,
        e: ExprId,
        op: Cmp,
        target: &Value,
        known: &[(ExprId, Value)],
        mut via: Vec<String>,
    ) -> Changes {
        let _deeper = self.deeper()?;
        let text = self.text(e);
        if matches!(target, Value::Unknown | Value::None) {
            return Err(format!("the other side of `{text}` has no value"));
        }
        // A field of an element a quantifier asks of.
        if let Some((field, ty, now)) = self.element_field(e) {
            return Ok(vec![Change {
                field,
                now: now.unwrap_or_default(),
                needs: self.need_of(&text, ty, op, target)?,
                via,
            }]);
        }
        match self.model.exprs.get(e) {
            Some(Node::Field(f)) => {
                let def = self
                    .model
                    .fields
                    .get(*f)
                    .ok_or_else(|| format!("`{text}` is not a field of the evidence"))?;
                let now = self
                    .now_of(e, &def.name, def.ty, known)
                    .unwrap_or_else(|| "unknown".into());
                Ok(vec![Change {
                    field: def.name.clone(),
                    now,
                    needs: self.need_of(&text, def.ty, op, target)?,
                    via,
                }])
            }
            Some(Node::Var {
                slot: 0,
                field: Some(field),
            }) => {
                let ty = self.elem_field_type(*field).unwrap_or(Type::Bool);
                Ok(vec![Change {
                    field: text.clone(),
                    now: self.now_of(e, &text, ty, known).unwrap_or_default(),
                    needs: self.need_of(&text, ty, op, target)?,
                    via,
                }])
            }
            Some(Node::Let(l)) => {
                let def = self
                    .model
                    .lets
                    .get(*l)
                    .ok_or_else(|| format!("`{text}` is not a let of the ruleset"))?;
                if let Ok(n) = self.need_of(&def.name, def.ty, op, target) {
                    via.push(format!("{} {n}", def.name));
                }
                self.invert(def.expr, op, target, known, via)
                    .map_err(|why| {
                        if why.starts_with(TOO_DEEP) {
                            why
                        } else {
                            format!("{why}, from which `{}` is derived", def.name)
                        }
                    })
            }
            Some(Node::Arith(..)) => self.invert_arith(e, op, target, known, via),
            Some(Node::DaysBetween(..)) => self.invert_days_between(e, op, target, known, via),
            // `time of X` or `date of X`: the moment X would need, on X's
            // own day or at X's own time.
            Some(Node::Calendar(cal @ (CalendarOp::TimeOf | CalendarOp::DateOf), x)) => {
                let (op, at) = match self.value_here(*x, known) {
                    Some(Value::DateTime(moment)) => moment::needed(*cal, op, moment, target)
                        .ok_or_else(|| {
                            format!("`{text}` would need only to differ: no one moment")
                        })?,
                    // X not known: a bound on its day needs no time of
                    // its own (the first or last moment of the day will
                    // do); anything else needs the day or time X has.
                    _ => moment::needed_of_unknown(*cal, op, target).ok_or_else(|| {
                        let rest = match cal {
                            CalendarOp::TimeOf => "on the day it happened",
                            _ => "at the time it happened",
                        };
                        format!(
                            "`{}` is not known: recording it {}, {rest}, would decide this part",
                            self.text(*x),
                            moment::wanted(*cal, op, target)
                        )
                    })?,
                };
                self.invert(*x, op, &Value::DateTime(at), known, via)
            }
            Some(Node::Threshold(t)) => {
                let name = self
                    .model
                    .thresholds
                    .get(*t)
                    .map(|d| d.name.clone())
                    .unwrap_or_default();
                Err(format!(
                    "`{name}` is a threshold of the ruleset, not evidence"
                ))
            }
            Some(Node::Const(_)) => Err(format!("`{text}` is written in the rule")),
            Some(Node::Judgement(j)) => {
                let name = self
                    .model
                    .judgements
                    .get(*j)
                    .map(|d| d.name.clone())
                    .unwrap_or_default();
                Err(format!(
                    "`{text}` reads the judgement {name}, which rules decide: ask why not {name}=VALUE"
                ))
            }
            _ => Err(format!("`{text}` is computed from several values")),
        }
    }

    /// `a + b op T` or `a - b op T` (`e`), worked back to the side that can
    /// change: `a op T - b`, or `b op T - a` (`a - b`: `b`, flipped, `a - T`).
    /// A date moved by calendar months or working days is worked back by
    /// [`Writer::invert_moved`]. Each side needs only the other's value: a
    /// date not recorded beside a span the rule fixes (`report.draft_sent +
    /// provider_return_time`) is worked back all the same.
    fn invert_arith(
        &self,
        e: ExprId,
        op: Cmp,
        target: &Value,
        known: &[(ExprId, Value)],
        via: Vec<String>,
    ) -> Changes {
        let text = self.text(e);
        let Some(&Node::Arith(arith, a, b)) = self.model.exprs.get(e) else {
            return Err(format!("`{text}` is not a sum or a difference"));
        };
        let valued = |x: ExprId| {
            self.value_here(x, known)
                .filter(|v| !matches!(v, Value::None | Value::Unknown))
        };
        let (va, vb) = (valued(a), valued(b));
        let not_recorded = || {
            format!("the values `{text}` is computed from were not recorded, so it cannot be worked back")
        };
        if va.is_none() && vb.is_none() {
            return Err(not_recorded());
        }
        let beyond =
            || format!("`{text}` would need a value beyond the calendar or a number's range");
        let (left, right) = match arith {
            // a + b op T: a op T - b, or b op T - a.
            Arith::AddSame | Arith::DateAddDays => (
                vb.as_ref().map(|vb| sub(target, vb)),
                va.as_ref().map(|va| sub(target, va).map(|v| (op, v))),
            ),
            // a - b op T: a op T + b, or b (flipped) a - T.
            Arith::SubSame | Arith::DateSubDays | Arith::DateDiff => (
                vb.as_ref().map(|vb| add(target, vb)),
                va.as_ref()
                    .map(|va| sub(va, target).map(|v| (op.flipped(), v))),
            ),
            // A date moved by months or working days: only the date can
            // change, as the span is the rule's.
            Arith::DateAddMonths
            | Arith::DateSubMonths
            | Arith::DateAddWorking
            | Arith::DateSubWorking => {
                let Some(by) = vb else {
                    return Err(not_recorded());
                };
                let (op, bound) = self.invert_moved(&text, arith, &by, op, target)?;
                return self.invert(a, op, &Value::Date(bound), known, via);
            }
        };
        let first = match left {
            Some(Some(t)) => self.invert(a, op, &t, known, via.clone()),
            Some(None) => Err(beyond()),
            None => Err(not_recorded()),
        };
        let second = match right {
            Some(Some((op2, t))) => self.invert(b, op2, &t, known, via),
            Some(None) => Err(beyond()),
            None => Err(not_recorded()),
        };
        // Both sides could change: rather not the date that picks the
        // edition or the day of evaluation (the inspection's own dates),
        // but the evidence measured against them.
        match (first, second) {
            (Ok(x), Ok(y)) if self.moves_the_record(&x) && !self.moves_the_record(&y) => Ok(y),
            (Ok(x), _) => Ok(x),
            (Err(_), Ok(y)) => Ok(y),
            (Err(why), Err(_)) => Err(why),
        }
    }

    /// The bound on date `a` for `a moved by op T` to hold (`text`), where
    /// `arith` moves it by `by` calendar months or working days: the latest
    /// date that does for `<` and `<=`, the earliest for `>` and `>=`, and
    /// the earliest that lands on `T` for `=`. Moving a date by months or
    /// working days never takes a later date to an earlier one, so the dates
    /// that hold lie on one side of the bound; it is found from `T` moved
    /// back by the same span, then day by day, each day moved as evaluation
    /// moves it (a month's end, a weekend, a bank holiday).
    fn invert_moved(
        &self,
        text: &str,
        arith: Arith,
        by: &Value,
        op: Cmp,
        target: &Value,
    ) -> Result<(Cmp, chrono::NaiveDate), String> {
        let beyond = || format!("`{text}` would need a date beyond the calendar");
        let Value::Date(t) = *target else {
            return Err(format!(
                "`{text}` is compared with a value that is not a date"
            ));
        };
        let calendar = self.ruleset.calendar();
        // `d` moved by `n` of the span: months, else working days.
        let moved = |d: chrono::NaiveDate, n: i64| -> Option<chrono::NaiveDate> {
            match by {
                Value::Months(_) => crate::eval::add_months(d, n),
                Value::WorkingDays(_) => calendar?.add_working_days(d, n).ok(),
                _ => None,
            }
        };
        let n = match (arith, by) {
            (Arith::DateAddMonths, Value::Months(n))
            | (Arith::DateAddWorking, Value::WorkingDays(n)) => *n,
            (Arith::DateSubMonths, Value::Months(n))
            | (Arith::DateSubWorking, Value::WorkingDays(n)) => {
                n.checked_neg().ok_or_else(beyond)?
            }
            _ => return Err(format!("`{text}` moves a date by a span it cannot count")),
        };
        // Whether `d`, moved, holds; `None` where it cannot be moved.
        let holds = |d: chrono::NaiveDate, op: Cmp| -> Option<bool> {
            Some(op.holds(moved(d, n)?.cmp(&t)))
        };
        let start = moved(t, n.checked_neg().ok_or_else(beyond)?).ok_or_else(beyond)?;
        // Far enough for the longest run of days a month's end or the
        // holidays can fold together; a bound further off is not offered.
        const STEPS: u32 = 62;
        let day = |d: chrono::NaiveDate, forward: bool| {
            if forward {
                d.succ_opt()
            } else {
                d.pred_opt()
            }
        };
        // The last date, going `forward` from `d` (which holds under `op`),
        // that still holds.
        let edge = |mut d: chrono::NaiveDate, op: Cmp, forward: bool| {
            for _ in 0..STEPS {
                match day(d, forward) {
                    Some(next) if holds(next, op) == Some(true) => d = next,
                    _ => return Some(d),
                }
            }
            None
        };
        // The first date, going `forward` from `d`, that holds under `op`.
        let first = |mut d: chrono::NaiveDate, op: Cmp, forward: bool| {
            for _ in 0..STEPS {
                if holds(d, op)? {
                    return Some(d);
                }
                d = day(d, forward)?;
            }
            None
        };
        let found = match op {
            // The dates that hold run up to the bound.
            Cmp::Lt | Cmp::Le => match holds(start, op) {
                Some(true) => edge(start, op, true),
                _ => first(start, op, false),
            }
            .map(|d| (Cmp::Le, d)),
            // The dates that hold run on from the bound.
            Cmp::Gt | Cmp::Ge | Cmp::Eq => {
                let ge = if op == Cmp::Eq { Cmp::Ge } else { op };
                let bound = match holds(start, ge) {
                    Some(true) => edge(start, ge, false),
                    _ => first(start, ge, true),
                };
                match (op, bound) {
                    (Cmp::Eq, Some(d)) => match holds(d, Cmp::Eq) {
                        Some(true) => Some((Cmp::Eq, d)),
                        _ => {
                            return Err(format!(
                                "no date moved as `{text}` moves it falls on {}",
                                show(self.model, Type::Date, target)
                            ))
                        }
                    },
                    (_, bound) => bound.map(|d| (Cmp::Ge, d)),
                }
            }
            Cmp::Ne => {
                return Err(format!(
                    "`{text}` would need only to differ from {}: no one date",
                    show(self.model, Type::Date, target)
                ))
            }
        };
        found.ok_or_else(beyond)
    }

    /// `days from a to b op T` (`e`), which is b - a + 1 days: the end
    /// moves, or else the start.
    fn invert_days_between(
        &self,
        e: ExprId,
        op: Cmp,
        target: &Value,
        known: &[(ExprId, Value)],
        via: Vec<String>,
    ) -> Changes {
        let text = self.text(e);
        let Some(&Node::DaysBetween(a, b)) = self.model.exprs.get(e) else {
            return Err(format!("`{text}` is not a count of days between two dates"));
        };
        let (Some(va), Some(vb), Value::Days(t)) =
            (self.value_here(a, known), self.value_here(b, known), target)
        else {
            return Err(format!(
                "the dates `{text}` counts between were not recorded, so it cannot be worked back"
            ));
        };
        let less = Value::Days(t.saturating_sub(1));
        let beyond = || format!("`{text}` would need a date beyond the calendar");
        let end = match add(&va, &less) {
            Some(v) => self.invert(b, op, &v, known, via.clone()),
            None => Err(beyond()),
        };
        match end {
            Ok(c) => Ok(c),
            Err(why) => match sub(&vb, &less) {
                Some(v) => self.invert(a, op.flipped(), &v, known, via),
                None => Err(why),
            },
        }
    }

    /// The value field `e` (called `name`, of type `ty`) has now, as shown:
    /// as probing recorded it, or as it showed it beside an element a
    /// quantifier asks of.
    fn now_of(&self, e: ExprId, name: &str, ty: Type, known: &[(ExprId, Value)]) -> Option<String> {
        known
            .iter()
            .find(|(k, _)| *k == e)
            .map(|(_, v)| show(self.model, ty, v))
            .or_else(|| self.shown_on_element(name))
    }

    /// The nearest value a field of type `ty` (written `text`) needs for
    /// `x op target`: of a scale, the next value better or worse where the
    /// comparison is strict (`> requires_improvement` needs good or
    /// better); of anything else, as [`need`] gives it.
    fn need_of(&self, text: &str, ty: Type, op: Cmp, target: &Value) -> Result<Need, String> {
        if let (Type::Enum { id, .. }, Value::Enum(rank)) = (ty, target) {
            return self.scale_need(text, id, op, *rank);
        }
        need(op, target).ok_or_else(|| {
            format!(
                "no value of `{text}` is {} {}",
                relation(op),
                show(self.model, ty, target)
            )
        })
    }

    /// What `x op V` needs of a value of a scale or choice, V being the
    /// value of rank `rank`. Rank 0 is best, and compares greatest.
    fn scale_need(
        &self,
        text: &str,
        scale: crate::types::EnumId,
        op: Cmp,
        rank: u16,
    ) -> Result<Need, String> {
        let names = self
            .model
            .enums
            .get(scale)
            .map(|e| e.values.as_slice())
            .unwrap_or_default();
        let name = |r: Option<u16>| {
            r.and_then(|r| names.get(usize::from(r)))
                .map(|n| Amount::Name(n.clone()))
        };
        let needs = match op {
            Cmp::Eq => name(Some(rank)).map(Need::Exactly),
            Cmp::Ne => name(Some(rank)).map(Need::Other),
            Cmp::Ge => name(Some(rank)).map(Need::AtLeast),
            Cmp::Le => name(Some(rank)).map(Need::AtMost),
            Cmp::Gt => name(rank.checked_sub(1)).map(Need::AtLeast),
            Cmp::Lt => name(rank.checked_add(1)).map(Need::AtMost),
        };
        needs.ok_or_else(|| match names.get(usize::from(rank)) {
            Some(v) if op == Cmp::Gt => format!("no value of `{text}` is better than {v}"),
            Some(v) => format!("no value of `{text}` is worse than {v}"),
            None => format!("`{text}` is compared with a value its scale does not have"),
        })
    }
}

/// How `x op y` reads, for a reason: `above`, `at least`.
fn relation(op: Cmp) -> &'static str {
    match op {
        Cmp::Eq => "equal to",
        Cmp::Ne => "other than",
        Cmp::Lt => "below",
        Cmp::Le => "at most",
        Cmp::Gt => "above",
        Cmp::Ge => "at least",
    }
}

/// How `a op b` reads in words between its sides, of dates and times
/// (`after`) or of numbers and counts (`above`).
fn ordering(op: Cmp, dates: bool) -> &'static str {
    match (op, dates) {
        (Cmp::Lt, true) => "before",
        (Cmp::Le, true) => "on or before",
        (Cmp::Gt, true) => "after",
        (Cmp::Ge, true) => "on or after",
        (Cmp::Eq, true) => "the same as",
        (_, _) => relation(op),
    }
}

/// `not (a op b)` is `a (negate op) b`.
fn negate(op: Cmp) -> Cmp {
    match op {
        Cmp::Eq => Cmp::Ne,
        Cmp::Ne => Cmp::Eq,
        Cmp::Lt => Cmp::Ge,
        Cmp::Le => Cmp::Gt,
        Cmp::Gt => Cmp::Le,
        Cmp::Ge => Cmp::Lt,
    }
}

/// The nearest value `x` with `x op target`.
fn need(op: Cmp, target: &Value) -> Option<Need> {
    let amount = amount_of(target)?;
    Some(match op {
        Cmp::Ge => Need::AtLeast(amount),
        Cmp::Le => Need::AtMost(amount),
        Cmp::Gt => Need::AtLeast(step(target, 1).and_then(|v| amount_of(&v))?),
        Cmp::Lt => Need::AtMost(step(target, -1).and_then(|v| amount_of(&v))?),
        Cmp::Eq => Need::Exactly(amount),
        Cmp::Ne => Need::Other(amount),
    })
}

fn amount_of(v: &Value) -> Option<Amount> {
    Some(match v {
        Value::Number(n) => Amount::Number(*n),
        Value::Days(n) => Amount::Days(*n),
        Value::Months(n) => Amount::Months(*n),
        Value::WorkingDays(n) => Amount::WorkingDays(*n),
        Value::Date(d) => Amount::Date(*d),
        Value::DateTime(d) => Amount::DateTime(*d),
        Value::Time(t) => Amount::Time(*t),
        Value::Bool(b) => Amount::Bool(*b),
        Value::Text(t) => Amount::Name(t.to_string()),
        _ => return None,
    })
}

/// One unit (a day, a month, one; a second for a time, which evidence may
/// give to the second) above or below.
fn step(v: &Value, by: i64) -> Option<Value> {
    Some(match v {
        Value::DateTime(d) => Value::DateTime(d.checked_add_signed(TimeDelta::try_seconds(by)?)?),
        Value::Time(t) => {
            let (moved, wrapped) = t.overflowing_add_signed(TimeDelta::try_seconds(by)?);
            if wrapped != 0 {
                return None;
            }
            Value::Time(moved)
        }
        Value::Number(n) => Value::Number(n.checked_add(by)?),
        Value::Days(n) => Value::Days(n.checked_add(by)?),
        Value::Months(n) => Value::Months(n.checked_add(by)?),
        Value::WorkingDays(n) => Value::WorkingDays(n.checked_add(by)?),
        Value::Date(d) => Value::Date(add_days(*d, by)?),
        _ => return None,
    })
}

/// `a + b` of a quantity, or of a date and days.
fn add(a: &Value, b: &Value) -> Option<Value> {
    Some(match (a, b) {
        (Value::Number(x), Value::Number(y)) => Value::Number(x.checked_add(*y)?),
        (Value::Days(x), Value::Days(y)) => Value::Days(x.checked_add(*y)?),
        (Value::Months(x), Value::Months(y)) => Value::Months(x.checked_add(*y)?),
        (Value::Date(d), Value::Days(n)) | (Value::Days(n), Value::Date(d)) => {
            Value::Date(add_days(*d, *n)?)
        }
        _ => return None,
    })
}

/// `a - b` of a quantity, of a date and days, or of two dates (days).
fn sub(a: &Value, b: &Value) -> Option<Value> {
    Some(match (a, b) {
        (Value::Number(x), Value::Number(y)) => Value::Number(x.checked_sub(*y)?),
        (Value::Days(x), Value::Days(y)) => Value::Days(x.checked_sub(*y)?),
        (Value::Months(x), Value::Months(y)) => Value::Months(x.checked_sub(*y)?),
        (Value::Date(d), Value::Days(n)) => Value::Date(add_days(*d, n.checked_neg()?)?),
        (Value::Date(x), Value::Date(y)) => Value::Days((*x - *y).num_days()),
        _ => return None,
    })
}

/// How far a change is from what a rule weighs, least first: a bound on a
/// date, a number or a span; a yes/no, or a value set or left out; a value
/// of a choice or a scale.
fn lever(need: &Need) -> u8 {
    match need {
        Need::AtLeast(_) | Need::AtMost(_) => 0,
        Need::Exactly(Amount::Name(_)) | Need::Other(_) => 2,
        Need::Exactly(_) | Need::Set | Need::NotSet | Need::NotBlank => 1,
    }
}

/// The value at `path` in a JSON object, where there is one.
fn walk<'j>(json: &'j Json, path: &[String]) -> Option<&'j Json> {
    path.iter().try_fold(json, |j, k| j.get(k))
}

/// Whether a value is set: neither none nor unknown.
fn has_value(v: &Value) -> bool {
    !matches!(v, Value::None | Value::Unknown)
}
