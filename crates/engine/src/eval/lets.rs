//! The lets: worked out before the checks and rules (those the checks and
//! leads read), or where they are first read; one that fails holds unknown
//! and taints the lets and checks that read it.

use super::*;

/// Mark let `index` of `lets` as failed, or as reading one that did.
#[cold]
fn taint(tainted: &mut Vec<bool>, lets: usize, index: usize) {
    tainted.resize(lets, false);
    if let Some(t) = tainted.get_mut(index) {
        *t = true;
    }
}

/// Whether the expression at `e` reads a let marked in `tainted`.
#[cold]
pub(super) fn reads_tainted(model: &Model, e: ExprId, tainted: &[bool]) -> bool {
    let mut stack = vec![e];
    while let Some(id) = stack.pop() {
        let Some(node) = model.exprs.get(id) else {
            continue;
        };
        if let Node::Let(l) = node {
            if tainted.get(l.index()).copied().unwrap_or(false) {
                return true;
            }
        }
        stack.extend(node.children());
    }
    false
}

impl<'a> Run<'a, '_> {
    /// Work out let `id` before the checks and rules, marking it in
    /// `tainted` where it failed or reads a let that did (its reads come
    /// before it), and listing it in the trace.
    pub(super) fn work_out_first(&mut self, id: LetId, tainted: &mut Vec<bool>) {
        let Some(l) = self.model.lets.get(id) else {
            return;
        };
        let reads_failed = !tainted.is_empty() && reads_tainted(self.model, l.expr, tainted);
        if self.work_out(id) || reads_failed {
            taint(tainted, self.model.lets.len(), id.index());
        }
        if let (Some(t), Some(Some(v))) = (self.trace.as_mut(), self.lets.get(id)) {
            t.push(TraceStep::Let {
                name: &l.name,
                value: show(self.model, l.ty, v),
            });
        }
    }

    /// Work out let `id`, whose reads are worked out, keeping its value;
    /// whether it failed. A let that fails holds unknown, and its error
    /// is kept to be raised where it is read (`Run::failed_lets`).
    pub(super) fn work_out(&mut self, id: LetId) -> bool {
        let Some(l) = self.model.lets.get(id) else {
            return false;
        };
        // A let its guards decide is written where it is kept, not built
        // aside in a `Result` and copied: a copy read back whole just after
        // its parts were written waits for them.
        let guards = self.model.let_guards.get(id).and_then(Option::as_ref);
        match guards.and_then(|g| self.guarded(g)) {
            Some(t) => {
                self.keep(id, tri_value(t));
                false
            }
            None => match self.value(l.expr) {
                Ok(v) => {
                    self.keep(id, v);
                    false
                }
                Err(e) => {
                    self.failed_lets.push((id, arose_in(*e, "let", &l.name)));
                    self.keep(id, Value::Unknown);
                    true
                }
            },
        }
    }

    /// Keep let `id`'s value, worked out.
    #[inline(always)]
    pub(super) fn keep(&mut self, id: LetId, value: Value) {
        if let Some(slot) = self.lets.get_mut(id) {
            *slot = Some(value);
        }
    }

    /// Whether let `id` is still to be worked out (one that failed is
    /// worked out: it holds unknown).
    pub(super) fn to_work_out(&self, id: LetId) -> bool {
        self.lets.get(id).is_some_and(Option::is_none)
    }

    /// Work out let `id` where it is read, unless it is worked out: the
    /// lets it reads that are not yet worked out are worked out where its
    /// expression reads them, as it is walked. Past [`Run::MOST_LATE`] lets
    /// deep, the lets it needs are worked out first, in order
    /// (`LetPlan::needs`), so that a long chain of lets does not recurse as
    /// deep as it is long. Out of line: each let is worked out once a
    /// record at most.
    #[cold]
    #[inline(never)]
    pub(super) fn work_out_late(&mut self, id: LetId) {
        if !self.to_work_out(id) {
            return;
        }
        if self.late < Self::MOST_LATE {
            self.late += 1;
            self.work_out(id);
            self.late -= 1;
            return;
        }
        let needs = self
            .model
            .let_plan
            .as_ref()
            .and_then(|plan| plan.needs.get(id))
            .map_or(&[][..], |needs| &needs[..]);
        for &need in needs {
            if self.to_work_out(need) {
                self.work_out(need);
            }
        }
        // Without a plan, every let was worked out first; this is a let
        // out of range, which reading it reports.
    }
}
