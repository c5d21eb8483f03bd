//! None-guards: where a value may be none from, and whether that source is
//! known to be set where the value is read (tested earlier in the same `and`
//! chain, or, for a let, every source it may be none from). A value read
//! unguarded is an error that names the test to write.

use super::{merge, Typed};
use crate::check::Checker;
use crate::diagnostic::CheckError;
use crate::model::*;
use judgement_syntax::Span;

/// Where a value may be none from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NullSource {
    Field(FieldId),
    /// A field of a list element: the binder it is read through (two
    /// names bound to elements of the same record are different elements),
    /// the record and the field's slot.
    Element {
        binder: usize,
        record: crate::types::RecordId,
        field: usize,
    },
    Let(LetId),
    /// An aggregate over no elements (`earliest ...` of an empty list).
    Aggregate(ExprId),
}

impl Checker {
    /// Whether a source of none is known to be set here: tested itself, or
    /// (for a let) every source it may be none from is. Each let is looked
    /// at once, whatever the sharing between lets (lets that read the same
    /// lets would otherwise cost an exponential walk).
    fn is_guarded(&self, source: NullSource, facts: &[NullSource]) -> bool {
        let mut known: std::collections::HashMap<LetId, bool> = std::collections::HashMap::new();
        self.guarded_in(source, facts, &mut known, 0)
    }

    fn guarded_in(
        &self,
        source: NullSource,
        facts: &[NullSource],
        known: &mut std::collections::HashMap<LetId, bool>,
        depth: usize,
    ) -> bool {
        if facts.contains(&source) {
            return true;
        }
        let NullSource::Let(l) = source else {
            return false;
        };
        if let Some(&answer) = known.get(&l) {
            return answer;
        }
        // Lets are checked in dependency order, so this depth is the length
        // of a chain of lets; past it, the answer is the cautious one.
        let answer = depth < 256
            && self.let_nullable.get(l).is_some_and(|srcs| {
                srcs.iter()
                    .all(|s| self.guarded_in(*s, facts, known, depth + 1))
            });
        known.insert(l, answer);
        answer
    }

    fn source_name(&self, source: NullSource) -> String {
        match source {
            NullSource::Field(f) => self
                .model
                .fields
                .get(f)
                .map(|d| d.name.clone())
                .unwrap_or_default(),
            NullSource::Let(l) => self
                .model
                .lets
                .get(l)
                .map(|d| d.name.clone())
                .unwrap_or_default(),
            NullSource::Element { record, field, .. } => {
                let record = self.model.records.get(record);
                let name = record
                    .and_then(|r| r.fields.get(field))
                    .map(|f| f.name.as_str())
                    .unwrap_or_default();
                let var = record.map_or("element", |r| r.name.as_str());
                format!("{var}.{name}")
            }
            NullSource::Aggregate(_) => "this aggregate".into(),
        }
    }

    pub(crate) fn require_guarded(
        &mut self,
        t: &Typed,
        facts: &[NullSource],
        span: Span,
    ) -> Option<()> {
        if self.guards_unknown {
            return Some(());
        }
        let facts = merge(facts, &t.facts);
        let unguarded = t.nullable.iter().find(|s| !self.is_guarded(**s, &facts));
        if let Some(source) = unguarded {
            let name = self.source_name(*source);
            let (message, help) = match source {
                NullSource::Let(l) => {
                    let fields: Vec<String> = self
                        .let_nullable
                        .get(*l)
                        .map(|v| {
                            v.iter()
                                .map(|s| format!("`{}`", self.source_name(*s)))
                                .collect()
                        })
                        .unwrap_or_default();
                    (
                        format!("`{name}` may be none here"),
                        format!(
                            "test it first, or the field it comes from: `{name} is set and ...` ({})",
                            fields.join(", ")
                        ),
                    )
                }
                NullSource::Aggregate(_) => (
                    "this may be none here (the list may have no such element)".to_string(),
                    "name it with `let`, then test it: `let last = ...` and `last is set and ...`"
                        .to_string(),
                ),
                _ => (
                    format!("`{name}` may be none here"),
                    format!("test it first: `{name} is set and ...`"),
                ),
            };
            self.errors
                .push(CheckError::error(message, span, "may be none").with_help(help));
            return None;
        }
        Some(())
    }
}
