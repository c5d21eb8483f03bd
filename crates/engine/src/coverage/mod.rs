//! Rule coverage: what a ruleset's DSL tests (and, optionally, a corpus of
//! evidence records) exercise. Each rule fired and not fired; each cap or
//! floor bound; each part of a condition (each operand of `and`, `or` and
//! `not`, each comparison) true and false; each comparison with a
//! threshold reached one below, at and one above its boundary.
//!
//! Counted from what evaluation records of each part of each condition
//! (`eval::Probe`) and from the outcome's binding constraints.
//!
//! Percentages: *rule coverage* is the share of rules that fired in at
//! least one record; *both ways* the share of rules with a condition that
//! both fired and did not fire; *boundary coverage* the share of
//! comparisons with a threshold where records reach the threshold's value
//! minus one, the value, and plus one, measured as the difference of the
//! two sides: one day for dates and durations (a date compared with one some
//! months or working days on too), one month for a count of months compared
//! with another, one working day for a count of working days compared with
//! another, one minute for times and datetimes, one for numbers.

use crate::{EvalOptions, Ruleset};
use serde::Serialize;

mod by_file;
mod places;
mod tally;

pub use by_file::{by_file, Group};
use tally::Tally;

/// What the records exercised of one ruleset.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Coverage<'r> {
    pub ruleset: &'r str,
    pub edition: &'r str,
    /// DSL tests evaluated (a test expecting an error gives no outcome and
    /// is not counted).
    pub tests: usize,
    /// DSL tests dated outside this edition's period: `judgement test`
    /// fails them, as no record of that date is evaluated with this
    /// edition, so they cover nothing.
    pub tests_skipped: usize,
    /// Corpus records evaluated with this edition.
    pub records: usize,
    /// Corpus records left out: dated outside this edition, or refused.
    pub skipped: usize,
    pub summary: Summary,
    pub rules: Vec<RuleCoverage<'r>>,
    pub constraints: Vec<ConstraintCoverage<'r>>,
    pub branches: Vec<BranchCoverage<'r>>,
    pub boundaries: Vec<BoundaryCoverage<'r>>,
}

/// Counts, and the percentages of [`Summary::percent`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub rules: usize,
    /// Rules that fired at least once: rule coverage.
    pub rules_fired: usize,
    /// Rules with a condition.
    pub conditional_rules: usize,
    /// Rules with a condition that both fired and did not fire.
    pub rules_both_ways: usize,
    pub constraints: usize,
    pub constraints_bound: usize,
    pub branches: usize,
    /// Parts of conditions seen both true and false.
    pub branches_both_ways: usize,
    pub boundaries: usize,
    /// Threshold comparisons reached at -1, 0 and +1.
    pub boundaries_reached: usize,
}

impl Summary {
    /// `part` of `whole` in percent (100 when there is nothing to cover).
    pub fn percent(part: usize, whole: usize) -> f64 {
        if whole == 0 {
            100.0
        } else {
            // Counts of rules are far below 2^52: exact as floats.
            #[allow(clippy::cast_precision_loss)]
            let p = part as f64 * 100.0 / whole as f64;
            p
        }
    }

    /// Rule coverage: rules fired at least once, in percent.
    pub fn rule_percent(&self) -> f64 {
        Summary::percent(self.rules_fired, self.rules)
    }

    fn add(&mut self, o: &Summary) {
        self.rules += o.rules;
        self.rules_fired += o.rules_fired;
        self.conditional_rules += o.conditional_rules;
        self.rules_both_ways += o.rules_both_ways;
        self.constraints += o.constraints;
        self.constraints_bound += o.constraints_bound;
        self.branches += o.branches;
        self.branches_both_ways += o.branches_both_ways;
        self.boundaries += o.boundaries;
        self.boundaries_reached += o.boundaries_reached;
    }

    /// The sum of several rulesets' summaries.
    pub fn total<'a>(all: impl IntoIterator<Item = &'a Summary>) -> Summary {
        let mut t = Summary::default();
        for s in all {
            t.add(s);
        }
        t
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleCoverage<'r> {
    pub rule: &'r str,
    pub cite: &'r str,
    /// The shared definitions it comes from (`uses NAME`), if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub definitions: Option<&'r str>,
    /// `path:line:column`.
    pub place: String,
    pub has_condition: bool,
    /// Records (or elements, for a `for each` rule) it fired on.
    pub fired: usize,
    pub not_fired: usize,
    pub undetermined: usize,
}

/// A cap or floor (`J at most V`, `J at least V`, `J = V`) of a rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConstraintCoverage<'r> {
    pub rule: &'r str,
    pub place: String,
    /// The shared definitions it comes from (`uses NAME`), if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub definitions: Option<&'r str>,
    pub judgement: &'r str,
    /// `at most requires_improvement`, as written.
    pub constraint: String,
    /// Records where it was a binding constraint of its judgement.
    pub bound: usize,
}

/// A part of a condition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BranchCoverage<'r> {
    pub text: String,
    /// The shared definitions it comes from (`uses NAME`), if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub definitions: Option<&'r str>,
    pub place: String,
    /// The rules whose conditions hold it (a let's part may be in several).
    pub rules: Vec<&'r str>,
    #[serde(rename = "true")]
    pub true_count: usize,
    #[serde(rename = "false")]
    pub false_count: usize,
    pub unknown: usize,
}

/// A comparison with a threshold, and how near its boundary records came.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BoundaryCoverage<'r> {
    pub threshold: &'r str,
    /// The shared definitions it comes from (`uses NAME`), if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub definitions: Option<&'r str>,
    /// The threshold's value as declared (`26 weeks`).
    pub value: String,
    pub text: String,
    pub place: String,
    pub rules: Vec<&'r str>,
    /// Records where the two sides differed by -1, 0 and +1.
    pub below: usize,
    pub at: usize,
    pub above: usize,
}

impl BoundaryCoverage<'_> {
    pub fn reached(&self) -> bool {
        self.below > 0 && self.at > 0 && self.above > 0
    }
}

impl ConstraintCoverage<'_> {
    pub fn covered(&self) -> bool {
        self.bound > 0
    }
}

impl BranchCoverage<'_> {
    pub fn covered(&self) -> bool {
        self.true_count > 0 && self.false_count > 0
    }
}

/// The coverage of `ruleset` by its own DSL tests and by `corpus` (evidence
/// records; a top-level `_expect` key is left out). A DSL test dated
/// outside the edition covers nothing (`judgement test` fails it) and is
/// counted in `tests_skipped`; a corpus record dated outside the edition,
/// or that the ruleset refuses, is skipped. [`Counter`] counts the same a
/// record at a time, for a corpus read as it goes.
pub fn coverage<'r>(ruleset: &'r Ruleset, corpus: &[serde_json::Value]) -> Coverage<'r> {
    let mut counter = Counter::new(ruleset);
    for record in corpus {
        counter.record(record);
    }
    counter.finish()
}

/// The coverage of one ruleset counted a record at a time: its DSL tests
/// when it is made, then each corpus record given to [`Counter::record`],
/// so that a corpus of any size is counted in the memory of its counts
/// (`judgement test --coverage --corpus DIR` reads it a record at a time).
/// The time is in proportion to the ruleset's rules and parts and the
/// records' evaluation: each count is found by index, never by a walk
/// over the others.
pub struct Counter<'r> {
    ruleset: &'r Ruleset,
    tally: Tally<'r>,
    tests: usize,
    tests_skipped: usize,
    records: usize,
    skipped: usize,
}

impl<'r> Counter<'r> {
    /// Every part of every rule registered, and the DSL tests counted.
    pub fn new(ruleset: &'r Ruleset) -> Counter<'r> {
        let model = ruleset.model();
        let mut counter = Counter {
            ruleset,
            tally: Tally::new(ruleset),
            tests: 0,
            tests_skipped: 0,
            records: 0,
            skipped: 0,
        };
        for t in &model.tests {
            let evidence = model.test_evidence(t);
            if crate::testing::outside_period(ruleset, &evidence).is_some() {
                counter.tests_skipped += 1;
                continue;
            }
            if let Ok((outcome, probes)) =
                ruleset.evaluate_probed(&evidence, EvalOptions::default())
            {
                counter.tests += 1;
                counter.tally.record(&outcome, &probes);
            }
        }
        counter
    }

    /// Count one corpus record (its top-level `_expect` key left out): or
    /// skip it, dated outside the edition or refused.
    pub fn record(&mut self, record: &serde_json::Value) {
        let stripped;
        let record = match record.as_object() {
            Some(map) if map.contains_key("_expect") => {
                let mut map = map.clone();
                map.remove("_expect");
                stripped = serde_json::Value::Object(map);
                &stripped
            }
            _ => record,
        };
        if crate::testing::outside_period(self.ruleset, record).is_some() {
            self.skipped += 1;
            return;
        }
        match self.ruleset.evaluate_probed(record, EvalOptions::default()) {
            Ok((outcome, probes)) => {
                self.records += 1;
                self.tally.record(&outcome, &probes);
            }
            Err(_) => self.skipped += 1,
        }
    }

    /// The counts.
    pub fn finish(self) -> Coverage<'r> {
        self.tally
            .finish([self.tests, self.tests_skipped], self.records, self.skipped)
    }

    /// The entries looked at to find the counts so far: one for each
    /// lookup by index, each byte of a file when its lines are first
    /// indexed for the places shown. The tests hold it in proportion to the
    /// rules.
    #[cfg(test)]
    fn work(&self) -> usize {
        self.tally.work + self.tally.places.indexed
    }
}

impl Summary {
    /// The counts of these items.
    pub fn of(
        rules: &[RuleCoverage<'_>],
        constraints: &[ConstraintCoverage<'_>],
        branches: &[BranchCoverage<'_>],
        boundaries: &[BoundaryCoverage<'_>],
    ) -> Summary {
        Summary {
            rules: rules.len(),
            rules_fired: rules.iter().filter(|r| r.fired > 0).count(),
            conditional_rules: rules.iter().filter(|r| r.has_condition).count(),
            rules_both_ways: rules
                .iter()
                .filter(|r| r.has_condition && r.fired > 0 && r.not_fired > 0)
                .count(),
            constraints: constraints.len(),
            constraints_bound: constraints.iter().filter(|c| c.covered()).count(),
            branches: branches.len(),
            branches_both_ways: branches.iter().filter(|b| b.covered()).count(),
            boundaries: boundaries.len(),
            boundaries_reached: boundaries.iter().filter(|b| b.reached()).count(),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing, reason = "tests")]
    use super::{coverage, Counter};
    use crate::Ruleset;

    const RULES: &str = r#"ruleset c "Coverage"
  in force from 2020-01-01

record stay
  id: text
  days: number

evidence
  stays: list of stay default empty
  visits: list of stay default empty

threshold limit = 28

rule short_stays "p1"
  when every s in stays satisfies s.days <= limit
  then action none_too_long

rule long_visit "p2"
  for each v in visits
  when v.days > limit
  then action check_visit

test "one below"
  given stays = [{id = "a", days = 27}]
  expect action none_too_long

test "at"
  given stays = [{id = "a", days = 28}]
  expect action none_too_long

test "one above"
  given stays = [{id = "a", days = 29}]
  expect no actions
"#;

    /// A threshold compared inside a quantifier counts, element by element;
    /// a `for each` rule whose list is empty in every test still has its
    /// part and its threshold counted, as not covered and not reached.
    #[test]
    fn parts_inside_quantifiers_and_of_rules_never_reached_are_counted() {
        let ruleset = Ruleset::from_source(RULES, &[]).unwrap();
        let c = coverage(&ruleset, &[]);
        let inside = c
            .branches
            .iter()
            .find(|b| b.text == "s.days <= limit")
            .expect("the quantifier's body is a part");
        assert_eq!((inside.true_count, inside.false_count), (2, 1));
        let bound = c
            .boundaries
            .iter()
            .find(|b| b.text == "s.days <= limit")
            .expect("its threshold is a boundary");
        assert_eq!((bound.below, bound.at, bound.above), (1, 1, 1));
        assert!(bound.reached());
        let never = c
            .branches
            .iter()
            .find(|b| b.text == "v.days > limit")
            .expect("the part of a rule no test reaches is counted");
        assert_eq!((never.true_count, never.false_count), (0, 0));
        assert!(!never.covered());
        let unreached = c
            .boundaries
            .iter()
            .find(|b| b.text == "v.days > limit")
            .expect("and so is its threshold");
        assert!(!unreached.reached());
        assert_eq!(c.summary.boundaries, 2);
        assert_eq!(c.summary.boundaries_reached, 1);
    }

    /// `n` rules that each cap one judgement on a let all of them read,
    /// with tests that make every rule fire, cap and not: each rule's
    /// count, each binding constraint and each rule of the let's part are
    /// found by index.
    fn capping(n: usize) -> String {
        let mut source = String::from(
            "ruleset c \"C\"\n  in force from 2020-01-01\n\nscale grade: good > fair > poor\n\n\
             evidence\n  care: grade\n  proposed: grade\n\nlet poor = care is poor or proposed is poor\n\n\
             judgement overall: grade from proposed\n",
        );
        for i in 0..n {
            source.push_str(&format!(
                "\nrule r{i} \"para {i}\"\n  when poor\n  then overall at most fair\n"
            ));
        }
        source.push_str(
            "\ntest \"poor\"\n  given care = poor, proposed = good\n  expect overall = fair\n\
             \ntest \"good\"\n  given care = good, proposed = good\n  expect overall = good\n",
        );
        source
    }

    /// The work of counting grows with the rules, not their square (as it
    /// did when each rule's count, each binding constraint and each place
    /// was looked for along all the others): twice the rules, about twice
    /// the entries looked at, where the square would be four times.
    #[test]
    fn the_work_of_counting_grows_in_proportion_to_the_rules() {
        let work = |n: usize| {
            let source = capping(n);
            let ruleset = Ruleset::from_source(&source, &[]).unwrap();
            let mut counter = Counter::new(&ruleset);
            counter.record(&serde_json::json!({"care": "poor", "proposed": "good"}));
            let work = counter.work();
            let c = counter.finish();
            assert_eq!(c.summary.rules_fired, n);
            assert_eq!(c.summary.rules_both_ways, n);
            assert_eq!(c.summary.constraints_bound, n);
            assert_eq!(c.rules.last().unwrap().fired, 2);
            assert_eq!(c.constraints.last().unwrap().bound, 2);
            let shared = c.branches.iter().find(|b| b.text == "care is poor");
            assert!(shared.is_some(), "{:?}", c.branches);
            let shared = shared.unwrap();
            assert_eq!(shared.rules.len(), n);
            work
        };
        let (small, large) = (work(500), work(1000));
        assert!(
            large * 10 < small * 21,
            "500 rules took {small} entries looked at, 1000 took {large}"
        );
    }

    /// The places written from the index of lines are those the source map
    /// writes, at every character of a file (a byte-order mark, lines of
    /// many-byte characters, an empty last line).
    #[test]
    fn places_from_the_index_of_lines_are_the_source_maps() {
        let source =
            "\u{feff}ruleset c \"C\"\n  in force from 2020-01-01\n\nevidence\n  e: bool\n\n\
                      rule r \"p\"\n  note \"déjà\"\n  when e then action a\n";
        let ruleset = Ruleset::from_source(source, &[]).unwrap();
        let mut places = super::places::Places::default();
        for (offset, _) in source.char_indices().chain([(source.len(), ' ')]) {
            let span = judgement_syntax::Span::new(offset, offset);
            assert_eq!(
                places.place(&ruleset, span),
                ruleset.sources().place(span),
                "at {offset}"
            );
        }
        assert_eq!(places.indexed, source.len());
    }
}
