//! What each part of a rule's condition came to, for `why not` and rule
//! coverage: the condition taken apart at its connectives (`and`, `or`,
//! `not`, and boolean lets, which are read through), each part evaluated
//! on its own with the values it read, and both sides of each comparison.
//! Recorded only when asked for ([`Probe`]), as the rule is evaluated, so
//! that the judgements it reads and the `for each` element are those of
//! the evaluation itself.

use super::*;
use crate::model::Cmp;

/// One rule on one record (and element, for a `for each` rule).
#[derive(Debug, Clone)]
pub(crate) struct Probe<'a> {
    pub rule: RuleId,
    pub item: Option<Item>,
    pub result: Tri,
    /// `None` for a rule without a condition.
    pub condition: Option<Seen<'a>>,
}

/// A part of a condition and what it came to.
#[derive(Debug, Clone)]
pub(crate) struct Seen<'a> {
    pub expr: ExprId,
    /// `None`: this part could not be evaluated on its own (it is guarded
    /// by another part, which settled the condition first).
    pub truth: Option<Tri>,
    pub values: Vec<ReadValue<'a>>,
    pub shape: Shape<'a>,
}

#[derive(Debug, Clone)]
pub(crate) enum Shape<'a> {
    /// `a and b and ...`
    All(Vec<Seen<'a>>),
    /// `a or b or ...`
    Any(Vec<Seen<'a>>),
    Not(Box<Seen<'a>>),
    /// A comparison: both sides' expressions and values.
    Compare {
        op: Cmp,
        lhs: ExprId,
        rhs: ExprId,
        values: Option<(Value, Value)>,
        /// The values of the lets and arithmetic on either side, for
        /// working back from a side to the evidence it is computed from.
        known: Vec<(ExprId, Value)>,
    },
    /// Anything else: a field, `is set`, `is V`, a quantifier, ...
    Leaf,
}

impl<'a> Run<'a, '_> {
    /// Record what `rule`'s condition came to, when probing.
    pub(super) fn probe(&mut self, r: RuleId, item: Option<Item>, result: Tri) -> Fallible<()> {
        if self.probes.is_none() {
            return Ok(());
        }
        let rule = self.rule_def(r)?;
        let condition = match rule.when {
            Some(cond) => Some(self.seen(cond, 0)?),
            None => None,
        };
        if let Some(p) = self.probes.as_mut() {
            p.push(Probe {
                rule: r,
                item,
                result,
                condition,
            });
        }
        Ok(())
    }

    /// A part and the parts below it. `depth` bounds the lets read
    /// through (expressions themselves nest at most 64 deep).
    fn seen(&mut self, e: ExprId, depth: usize) -> Fallible<Seen<'a>> {
        let truth = self.truth(e).ok();
        let values = self.values_read(Some(e));
        let node = self.node(e)?;
        let shape = match node {
            Node::And(..) | Node::Or(..) => {
                let all = matches!(node, Node::And(..));
                let mut parts = Vec::new();
                for operand in self.operands(e, all)? {
                    parts.push(self.seen(operand, depth)?);
                }
                if all {
                    Shape::All(parts)
                } else {
                    Shape::Any(parts)
                }
            }
            Node::Not(a) => Shape::Not(Box::new(self.seen(*a, depth)?)),
            Node::Compare { op, lhs, rhs, .. } => {
                let values = match (self.value(*lhs), self.value(*rhs)) {
                    (Ok(l), Ok(r)) => Some((l, r)),
                    _ => None,
                };
                let known = self.known(&[*lhs, *rhs]);
                Shape::Compare {
                    op: *op,
                    lhs: *lhs,
                    rhs: *rhs,
                    values,
                    known,
                }
            }
            Node::Let(l) if depth < 8 => {
                let def = at(&self.model.lets, *l, "let out of range")?;
                let inner = self.model.exprs.get(def.expr);
                if matches!(
                    inner,
                    Some(Node::And(..) | Node::Or(..) | Node::Not(_) | Node::Compare { .. })
                ) {
                    // The let is read through: its condition is the part.
                    return self.seen(def.expr, depth + 1);
                }
                Shape::Leaf
            }
            _ => Shape::Leaf,
        };
        Ok(Seen {
            expr: e,
            truth,
            values,
            shape,
        })
    }

    /// The value of each let and each sum or difference under `sides`
    /// (through lets), and of their operands.
    fn known(&mut self, sides: &[ExprId]) -> Vec<(ExprId, Value)> {
        let mut out: Vec<(ExprId, Value)> = Vec::new();
        let mut stack: Vec<ExprId> = sides.to_vec();
        // Lets nest at most as deep as expressions: a bound on the walk.
        let mut budget = 256usize;
        while let Some(id) = stack.pop() {
            if budget == 0 {
                break;
            }
            budget -= 1;
            if out.iter().any(|(e, _)| *e == id) {
                continue;
            }
            let Ok(node) = self.node(id) else { continue };
            match node {
                Node::Let(l) => {
                    if let Some(def) = self.model.lets.get(*l) {
                        stack.push(def.expr);
                    }
                }
                Node::Arith(_, a, b) => stack.extend([*a, *b]),
                _ => {}
            }
            if let Ok(v) = self.value(id) {
                out.push((id, v));
            }
        }
        out
    }

    /// The operands of an `and` (`all`) or `or` chain, left to right.
    fn operands(&self, e: ExprId, all: bool) -> Fallible<Vec<ExprId>> {
        let mut out = Vec::new();
        let mut stack = vec![e];
        while let Some(id) = stack.pop() {
            match self.node(id)? {
                Node::And(a, b) if all => stack.extend([*b, *a]),
                Node::Or(a, b) if !all => stack.extend([*b, *a]),
                _ => out.push(id),
            }
        }
        Ok(out)
    }
}
