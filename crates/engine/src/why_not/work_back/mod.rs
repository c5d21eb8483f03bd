//! Working back from a part of a condition to the smallest change of
//! evidence that would make it come out the other way.
//!
//! This module takes a condition apart: its parts, `and`/`or`/`not`,
//! comparisons and quantifiers over evidence lists, and the cheapest of
//! several ways. `leaf.rs` works back a part that is not a comparison (a
//! yes/no field, `is set`, `is V`); `invert.rs` what a comparison needs of
//! a side, through lets, sums and moved dates, to an evidence field;
//! `evidence.rs` the field behind an expression, its type and its value
//! now.

use super::answer::{
    Attempt, Change, Checked, Connective, ElementPart, Fix, Need, Part, Truth, MAX_ELEMENTS,
};
use super::{moment, narrow};
use crate::eval::{Probe, Seen, Shape};
use crate::model::{ExprId, Model, Node};
use crate::outcome::RuleResult;
use crate::types::Type;
use crate::value::{Tri, Value};
use crate::Ruleset;
use judgement_syntax::ast::{CalendarOp, Quantifier};
use serde_json::Value as Json;

mod evidence;
mod invert;
mod leaf;

use invert::{lever, negate, ordering};

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
}
