//! Which lets a record works out before its rules, and what each let needs
//! worked out before it (`Model::let_plan`): the rest are worked out where
//! something evaluated first reads them, and most records read few of them.

use super::leads::lead_programs;
use crate::ids::Table;
use crate::model::{Cond, ExprId, LetId, LetPlan, Model, Node, Place};

/// The most entries the plan's lists may hold between them. Past it (a
/// file of thousands of lets each reading the one before), every let is
/// worked out first, in order, as if there were no plan: nothing is left
/// to a walk as deep as the chain, and the plan costs no more memory than
/// the model.
const MOST_ENTRIES: usize = 1 << 18;

/// The plan, or `None` where it would be larger than [`MOST_ENTRIES`].
pub(super) fn let_plan(m: &Model) -> Option<LetPlan> {
    let mut needs: Vec<Box<[LetId]>> = Vec::with_capacity(m.lets.len());
    let mut entries = 0usize;
    for (id, def) in m.lets.iter_ids() {
        // A let reads only lets before it (`Model::lets`), whose needs are
        // known by now.
        let mut own: Vec<LetId> = Vec::new();
        for read in lets_read(m, def.expr) {
            if let Some(theirs) = needs.get(read.index()) {
                own.extend_from_slice(theirs);
            }
        }
        own.push(id);
        own.sort_unstable();
        own.dedup();
        entries = entries.saturating_add(own.len());
        if entries > MOST_ENTRIES {
            return None;
        }
        needs.push(own.into_boxed_slice());
    }
    // Worked out before any rule, with all they need: what the checks'
    // conditions read (a check that reads a let that failed, or one that
    // reads such a let, is not asked, so each must be known first).
    let mut first: Vec<LetId> = Vec::new();
    for &r in m.checks.iter() {
        if let Some(when) = m.rules.get(r).and_then(|rule| rule.when) {
            for read in lets_read(m, when) {
                if let Some(theirs) = needs.get(read.index()) {
                    first.extend_from_slice(theirs);
                }
            }
        }
    }
    first.sort_unstable();
    first.dedup();
    // Then what the leads read (a lead that reads a let not worked out
    // would pass nothing by), each as if read by a rule: what it needs
    // where its expression reads it.
    let mut leads: Vec<LetId> = lead_programs(m)
        .flat_map(|program| program.iter().flat_map(Cond::places))
        .filter_map(|p| match p {
            Place::Let(l) => Some(l),
            _ => None,
        })
        .collect();
    leads.sort_unstable();
    leads.dedup();
    Some(LetPlan {
        needs: Table::from(needs),
        first: first.into_boxed_slice(),
        leads: leads.into_boxed_slice(),
    })
}

/// The lets an expression reads itself, not through other lets.
fn lets_read(m: &Model, e: ExprId) -> Vec<LetId> {
    let mut out = Vec::new();
    let mut stack = vec![e];
    while let Some(id) = stack.pop() {
        match m.exprs.get(id) {
            Some(Node::Let(l)) => out.push(*l),
            Some(node) => stack.extend(node.children()),
            None => {}
        }
    }
    out
}
