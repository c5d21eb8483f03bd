//! The evaluation order: judgements and rules sorted so that each comes
//! after everything it reads, and a cycle named by its members.

use crate::diagnostic::CheckError;
use crate::model::{EffectDef, JudgementId, Model, RuleId, Step};

pub(super) fn order(m: &Model) -> Result<Vec<Step>, CheckError> {
    let nj = m.judgements.len();
    let n = nj + m.rules.len();
    // deps[x]: the nodes x waits for. Judgements are nodes 0..nj, rules after.
    let mut deps: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (d, judgement) in deps.iter_mut().zip(&m.judgements) {
        d.extend(judgement.applies_reads.iter().map(|j| j.index()));
    }
    for (r, rule) in m.rules.iter_ids() {
        let node = nj + r.index();
        if let Some(d) = deps.get_mut(node) {
            d.extend(rule.reads_judgements.iter().map(|j| j.index()));
            d.extend(rule.effect_judgements.iter().map(|j| j.index()));
        }
        for effect in &rule.effects {
            match effect {
                EffectDef::Constrain { judgement, .. } => {
                    if let Some(d) = deps.get_mut(judgement.index()) {
                        d.push(node);
                    }
                }
                EffectDef::Withhold(_) => {
                    for (j, d) in deps.iter_mut().take(nj).enumerate() {
                        if effect.withholds(JudgementId::from_index(j)) {
                            d.push(node);
                        }
                    }
                }
                _ => {}
            }
        }
    }
    // Kahn's order, as far as the dependencies allow: of the nodes ready,
    // judgements before rules, judgements by name and rules by id. Not the
    // order the file gives them: where two judgements could each go first,
    // which does decides which of their problems is met first (a floor
    // above a cap in both), and the order they are written in must never
    // change an outcome (docs/language.md, section 6).
    let mut by_name: Vec<usize> = (0..n).collect();
    let key = |x: usize| -> (bool, &str) {
        if x < nj {
            let name = m.judgements.get(JudgementId::from_index(x));
            (false, name.map(|j| j.name.as_str()).unwrap_or_default())
        } else {
            let rule = m.rules.get(RuleId::from_index(x - nj));
            (true, rule.map(|r| r.id.as_str()).unwrap_or_default())
        }
    };
    by_name.sort_by(|&a, &b| key(a).cmp(&key(b)).then(a.cmp(&b)));
    let mut rank = vec![0; n];
    for (r, &x) in by_name.iter().enumerate() {
        if let Some(slot) = rank.get_mut(x) {
            *slot = r;
        }
    }
    let rank_of = |x: usize| rank.get(x).copied().unwrap_or(x);
    let mut waiting: Vec<usize> = Vec::with_capacity(n);
    let mut dependents: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (x, d) in deps.iter_mut().enumerate() {
        d.sort_unstable();
        d.dedup();
        waiting.push(d.len());
        for &y in d.iter() {
            if let Some(list) = dependents.get_mut(y) {
                list.push(x);
            }
        }
    }
    let mut ready: std::collections::BinaryHeap<std::cmp::Reverse<(usize, usize)>> = waiting
        .iter()
        .enumerate()
        .filter(|(_, w)| **w == 0)
        .map(|(x, _)| std::cmp::Reverse((rank_of(x), x)))
        .collect();
    let mut done = vec![false; n];
    let mut steps = Vec::with_capacity(n);
    while let Some(std::cmp::Reverse((_, x))) = ready.pop() {
        if let Some(flag) = done.get_mut(x) {
            *flag = true;
        }
        steps.push(if x < nj {
            Step::Judgement(JudgementId::from_index(x))
        } else {
            let r = RuleId::from_index(x - nj);
            match m.rules.get(r) {
                Some(rule) if rule.for_each.is_some() => Step::ForEach(r),
                _ => Step::Rule(r),
            }
        });
        for &y in dependents.get(x).map(Vec::as_slice).unwrap_or_default() {
            if let Some(w) = waiting.get_mut(y) {
                *w -= 1;
                if *w == 0 {
                    ready.push(std::cmp::Reverse((rank_of(y), y)));
                }
            }
        }
    }
    if steps.len() == n {
        return Ok(steps);
    }
    let name = |x: usize| -> String {
        if x < nj {
            m.judgements
                .get(JudgementId::from_index(x))
                .map(|j| format!("judgement `{}`", j.name))
                .unwrap_or_default()
        } else {
            m.rules
                .get(RuleId::from_index(x - nj))
                .map(|r| format!("rule `{}`", r.id))
                .unwrap_or_default()
        }
    };
    let stuck = |x: usize| !done.get(x).copied().unwrap_or(true);
    let cycle = cycle_among(&deps, stuck);
    let first = cycle.first().copied().unwrap_or(0);
    let span = if first < nj {
        m.judgements
            .get(JudgementId::from_index(first))
            .map(|j| j.span)
    } else {
        m.rules.get(RuleId::from_index(first - nj)).map(|r| r.span)
    }
    .unwrap_or_default();
    let mut names: Vec<String> = cycle.iter().map(|&x| name(x)).collect();
    names.push(name(first));
    Err(CheckError::error(
        format!(
            "these depend on each other in a cycle, each waiting for the next: {}",
            names.join(" -> ")
        ),
        span,
        "part of the cycle",
    )
    .with_help("a rule cannot read a judgement that it (or a rule after it) constrains"))
}

/// One cycle of the nodes that could not be ordered, in the order each
/// waits for the next (`deps[x]`: the nodes `x` waits for). A node left
/// waiting waits for another left waiting, so following those from any of
/// them comes back to one already passed: the cycle is from there on. The
/// nodes that only wait on a cycle, without being in it, are left out.
fn cycle_among(deps: &[Vec<usize>], stuck: impl Fn(usize) -> bool) -> Vec<usize> {
    let Some(start) = (0..deps.len()).find(|&x| stuck(x)) else {
        return Vec::new();
    };
    let mut path = vec![start];
    let mut at = start;
    // At most one step a node: a walk longer than that has come back.
    for _ in 0..deps.len() {
        let Some(next) = deps
            .get(at)
            .and_then(|d| d.iter().copied().find(|&y| stuck(y)))
        else {
            break;
        };
        if let Some(i) = path.iter().position(|&p| p == next) {
            return path.split_off(i);
        }
        path.push(next);
        at = next;
    }
    path
}
