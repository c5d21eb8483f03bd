//! The reports of several rulesets grouped by file: each ruleset's own
//! items, and shared definitions' items merged over the rulesets that use
//! them.

use super::{
    BoundaryCoverage, BranchCoverage, ConstraintCoverage, Coverage, RuleCoverage, Summary,
};
use serde::Serialize;
use std::collections::{HashMap, HashSet};

/// The items of one file: a ruleset's own, or shared definitions' counted
/// over every ruleset that uses them (a rule of the definitions is covered
/// when the tests of any of those rulesets cover it).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Group<'r> {
    /// The ruleset's name and edition, or `definitions NAME`.
    pub name: String,
    /// The DSL tests counted (over every ruleset, for definitions).
    pub tests: usize,
    /// The DSL tests dated outside their edition, not counted.
    pub tests_skipped: usize,
    pub records: usize,
    pub skipped: usize,
    pub summary: Summary,
    pub rules: Vec<RuleCoverage<'r>>,
    pub constraints: Vec<ConstraintCoverage<'r>>,
    pub branches: Vec<BranchCoverage<'r>>,
    pub boundaries: Vec<BoundaryCoverage<'r>>,
}

/// Each ruleset's own items, then each shared definitions' items merged
/// over the rulesets that use them, each item once. Each merged item is
/// found by its key (a rule by its name, a part by its place, ...), in time
/// in proportion to the items, not their square.
pub fn by_file<'r>(reports: &[Coverage<'r>]) -> Vec<Group<'r>> {
    let mut groups: Vec<Group<'r>> = Vec::new();
    let mut shared: Vec<Group<'r>> = Vec::new();
    let mut index = Merged::default();
    for c in reports {
        let mut own = Group::named(format!("{} {}", c.ruleset, c.edition));
        own.tests = c.tests;
        own.tests_skipped = c.tests_skipped;
        own.records = c.records;
        own.skipped = c.skipped;
        // The shared groups this ruleset's items went to, each once.
        let mut touched: Vec<usize> = Vec::new();
        let mut touched_set: HashSet<usize> = HashSet::new();
        let mut group_of = |d: Option<&'r str>, shared: &mut Vec<Group<'r>>| -> Option<usize> {
            let d = d?;
            let i = *index.groups.entry(d).or_insert_with(|| {
                shared.push(Group::named(format!("definitions {d}")));
                shared.len() - 1
            });
            if touched_set.insert(i) {
                touched.push(i);
            }
            Some(i)
        };
        for r in &c.rules {
            let Some(gi) = group_of(r.definitions, &mut shared) else {
                own.rules.push(r.clone());
                continue;
            };
            let Some(g) = shared.get_mut(gi) else {
                continue;
            };
            match index
                .rules
                .get(&(gi, r.rule))
                .and_then(|&x| g.rules.get_mut(x))
            {
                Some(x) => {
                    x.fired += r.fired;
                    x.not_fired += r.not_fired;
                    x.undetermined += r.undetermined;
                }
                None => {
                    index.rules.insert((gi, r.rule), g.rules.len());
                    g.rules.push(r.clone());
                }
            }
        }
        for k in &c.constraints {
            let Some(gi) = group_of(k.definitions, &mut shared) else {
                own.constraints.push(k.clone());
                continue;
            };
            let Some(g) = shared.get_mut(gi) else {
                continue;
            };
            let key = (gi, k.rule, k.judgement, k.constraint.clone());
            match index
                .constraints
                .get(&key)
                .and_then(|&x| g.constraints.get_mut(x))
            {
                Some(x) => x.bound += k.bound,
                None => {
                    index.constraints.insert(key, g.constraints.len());
                    g.constraints.push(k.clone());
                }
            }
        }
        for b in &c.branches {
            let Some(gi) = group_of(b.definitions, &mut shared) else {
                own.branches.push(b.clone());
                continue;
            };
            let Some(g) = shared.get_mut(gi) else {
                continue;
            };
            let key = (gi, b.place.clone());
            let at = match index.branches.get(&key) {
                Some(&x) => x,
                None => {
                    let x = g.branches.len();
                    index.branches.insert(key, x);
                    g.branches.push(BranchCoverage {
                        rules: Vec::new(),
                        true_count: 0,
                        false_count: 0,
                        unknown: 0,
                        ..b.clone()
                    });
                    x
                }
            };
            let Some(x) = g.branches.get_mut(at) else {
                continue;
            };
            x.true_count += b.true_count;
            x.false_count += b.false_count;
            x.unknown += b.unknown;
            for r in &b.rules {
                if index.branch_rules.insert((gi, at, r)) {
                    x.rules.push(r);
                }
            }
        }
        for b in &c.boundaries {
            let Some(gi) = group_of(b.definitions, &mut shared) else {
                own.boundaries.push(b.clone());
                continue;
            };
            let Some(g) = shared.get_mut(gi) else {
                continue;
            };
            let key = (gi, b.place.clone(), b.threshold);
            match index
                .boundaries
                .get(&key)
                .and_then(|&x| g.boundaries.get_mut(x))
            {
                Some(x) => {
                    x.below += b.below;
                    x.at += b.at;
                    x.above += b.above;
                }
                None => {
                    index.boundaries.insert(key, g.boundaries.len());
                    g.boundaries.push(b.clone());
                }
            }
        }
        for i in touched {
            if let Some(g) = shared.get_mut(i) {
                g.tests += c.tests;
                g.tests_skipped += c.tests_skipped;
                g.records += c.records;
                g.skipped += c.skipped;
            }
        }
        own.summary = Summary::of(&own.rules, &own.constraints, &own.branches, &own.boundaries);
        groups.push(own);
    }
    for g in &mut shared {
        g.summary = Summary::of(&g.rules, &g.constraints, &g.branches, &g.boundaries);
    }
    groups.extend(shared);
    groups
}

/// Where [`by_file`] has put each shared item: by the index of its group
/// and its key.
#[derive(Default)]
struct Merged<'r> {
    groups: HashMap<&'r str, usize>,
    rules: HashMap<(usize, &'r str), usize>,
    constraints: HashMap<(usize, &'r str, &'r str, String), usize>,
    branches: HashMap<(usize, String), usize>,
    branch_rules: HashSet<(usize, usize, &'r str)>,
    boundaries: HashMap<(usize, String, &'r str), usize>,
}

impl Group<'_> {
    fn named(name: String) -> Self {
        Group {
            name,
            tests: 0,
            tests_skipped: 0,
            records: 0,
            skipped: 0,
            summary: Summary::default(),
            rules: Vec::new(),
            constraints: Vec::new(),
            branches: Vec::new(),
            boundaries: Vec::new(),
        }
    }
}
