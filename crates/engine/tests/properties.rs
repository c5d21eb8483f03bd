//! Properties of the engine, through its public API, over generated cases.
//!
//! **Clamping.** docs/language.md section 6.2: "A judgement is the proposed
//! value clamped between the highest floor and the lowest cap of the rules
//! that fire. That is why order never matters." Under "Conflicts": "When the
//! rules that fire on a record put a floor above a cap, the record is refused
//! with an error naming both rules"; two rules with the same condition that
//! conflict are a check error, so the generated rules each read a flag of
//! their own. `J = V` is a floor and a cap at once. For a ruleset of one
//! judgement and N rules `when flags.fI then overall at most / at least / =
//! VI`, and any flags:
//!
//! - the outcome (or the error) is the same whatever order the declarations
//!   are written in;
//! - it is the documented clamp, or the conflict error naming a floor and a
//!   cap that fired; `binding` and `slack` hold every constraint that fired,
//!   the binding ones those that moved the value;
//! - one more cap's flag never makes the judgement better, one more floor's
//!   never makes it worse, and a record refused for a conflict stays refused
//!   when more flags are on.
//!
//! The order property is also checked over a richer case: `then no
//! judgement`, two judgements (rules on one reading the other), rules `for
//! each` element of a list, bounds read from evidence, and flags and
//! elements that are not known (undetermined rules, provisional judgements).
//!
//! **Working days.** docs/language.md section 9.3: "`DATE + N working days`
//! is the N-th working day after DATE: DATE itself is day 0 and is never
//! counted ... `DATE - N working days` counts back the same way. A count that
//! reaches a date outside the years the calendar covers is an error that
//! names the date." Over the England and Wales calendar, against a naive
//! reading of the same file (weekends plus the dates it lists):
//!
//! - `d + n` and `d - n` agree with a day-by-day walk, and where the walk
//!   leaves the calendar's years the error names the first date outside;
//! - `(d + n) - n` is the last working day at or before `d` (for n >= 1; for
//!   n = 0 both steps return `d`, working day or not), and `(d - n) + n` the
//!   first working day at or after `d`;
//! - the working days between two dates anywhere in the calendar are those a
//!   naive count finds, and the days a count passes over are exactly the
//!   weekends and bank holidays between, with their names;
//! - a date outside the calendar's years is an error, never a guess;
//! - deadlines in working days in a ruleset give the same dates (or the same
//!   error) as the calendar.

#![allow(
    clippy::panic,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "a test fails by panicking"
)]

use chrono::{Datelike, NaiveDate, Weekday};
use judgement_engine::calendar::{Calendar, CalendarError, SkipReason};
use judgement_engine::{EvalError, EvalOptions, Ruleset};
use proptest::prelude::*;
use proptest::test_runner::Config;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::sync::LazyLock;

fn config(cases: u32) -> Config {
    Config {
        cases,
        max_shrink_iters: 4096,
        failure_persistence: None,
        ..Config::default()
    }
}

// ---------------------------------------------------------------- clamping

/// The values of the generated scale, best first (a scale of two to six).
const GRADES: [&str; 6] = [
    "outstanding",
    "good",
    "requires_improvement",
    "inadequate",
    "failing",
    "closed",
];

#[derive(Clone, Copy, Debug, PartialEq)]
enum Op {
    AtMost,
    AtLeast,
    Equal,
    /// `then no judgement`.
    Withhold,
}

impl Op {
    fn text(self) -> &'static str {
        match self {
            Op::AtMost => "at most",
            Op::AtLeast => "at least",
            Op::Equal => "=",
            Op::Withhold => "",
        }
    }

    fn caps(self) -> bool {
        matches!(self, Op::AtMost | Op::Equal)
    }

    fn floors(self) -> bool {
        matches!(self, Op::AtLeast | Op::Equal)
    }
}

/// A scale of `size` grades and one rule per flag: `when flags.fI then
/// overall OP GRADES[rank]`.
#[derive(Clone, Debug)]
struct Clamp {
    size: usize,
    rules: Vec<(Op, usize)>,
}

/// A case; `withhold`: some rules may say `then no judgement` instead.
fn clamp_case(withhold: bool) -> impl Strategy<Value = Clamp> {
    (2usize..=6).prop_flat_map(move |size| {
        let op = prop_oneof![
            3 => Just(Op::AtMost),
            3 => Just(Op::AtLeast),
            1 => Just(Op::Equal),
            if withhold { 1 } else { 0 } => Just(Op::Withhold),
        ];
        prop::collection::vec((op, 0..size), 1..=6).prop_map(move |rules| Clamp { size, rules })
    })
}

/// The declarations of the ruleset, in the order `order` gives (a
/// permutation of their indices).
fn clamp_source(case: &Clamp, order: &[usize]) -> String {
    let scale = GRADES[..case.size].join(" > ");
    let mut decls = vec![
        format!("scale grade: {scale}\n"),
        "judgement overall: grade from proposed.overall\n".to_string(),
    ];
    let mut fields = "evidence\n  proposed.overall: grade\n".to_string();
    for (i, (op, rank)) in case.rules.iter().enumerate() {
        fields.push_str(&format!("  flags.f{i}: bool\n"));
        let effect = match op {
            Op::Withhold => "no judgement".to_string(),
            _ => format!("overall {} {}", op.text(), GRADES[*rank]),
        };
        decls.push(format!(
            "rule r{i} \"para {i}\"\n  when flags.f{i}\n  then {effect}\n"
        ));
    }
    decls.push(fields);
    let mut text = "ruleset clamp \"Clamping\"\n  in force from 2015-04-01\n".to_string();
    for i in order {
        text.push('\n');
        text.push_str(&decls[*i]);
    }
    text
}

fn compile(source: &str, calendars: &[Calendar]) -> Ruleset {
    Ruleset::from_source(source, calendars).unwrap_or_else(|e| panic!("{e:?}\n{source}"))
}

fn evidence(proposed: usize, flags: &[bool]) -> Value {
    let flags: serde_json::Map<String, Value> = flags
        .iter()
        .enumerate()
        .map(|(i, on)| (format!("f{i}"), Value::Bool(*on)))
        .collect();
    json!({"proposed": {"overall": GRADES[proposed]}, "flags": flags})
}

/// The outcome without the digest (which is of the text, so of its order),
/// or the error's message.
fn result(ruleset: &Ruleset, evidence: &Value) -> Result<Value, String> {
    match ruleset.evaluate(evidence, EvalOptions::default()) {
        Ok(outcome) => {
            let mut v = serde_json::to_value(outcome).unwrap();
            v["ruleset"]["digest"] = Value::Null;
            Ok(v)
        }
        Err(e) => Err(e.to_string()),
    }
}

/// The rank of the judgement (0 is best), or the conflict's two rules.
fn rank_of(ruleset: &Ruleset, evidence: &Value) -> Result<usize, (String, String)> {
    match ruleset.evaluate(evidence, EvalOptions::default()) {
        Ok(outcome) => {
            let value = outcome.judgement("overall").unwrap();
            Ok(GRADES.iter().position(|g| *g == value).unwrap())
        }
        Err(EvalError::Conflict {
            floor_rule,
            cap_rule,
            ..
        }) => Err((floor_rule, cap_rule)),
        Err(other) => panic!("not a conflict: {other}"),
    }
}

/// A deterministic shuffle driven by a generated number.
fn shuffled(n: usize, mut seed: u64) -> Vec<usize> {
    let mut items: Vec<usize> = (0..n).collect();
    for i in (1..n).rev() {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        let j = usize::try_from((seed >> 33) % (i as u64 + 1)).unwrap();
        items.swap(i, j);
    }
    items
}

/// Flags for `n` rules, from a generated list long enough for any case.
fn flags_for(n: usize, bits: &[bool]) -> Vec<bool> {
    (0..n)
        .map(|i| bits.get(i).copied().unwrap_or(false))
        .collect()
}

proptest! {
    #![proptest_config(config(128))]

    #[test]
    fn a_judgement_is_the_same_whatever_order_the_rules_are_written_in(
        case in clamp_case(true),
        seeds in prop::collection::vec(any::<u64>(), 2),
        records in prop::collection::vec((0usize..6, prop::collection::vec(any::<bool>(), 6)), 6),
    ) {
        let decls = case.rules.len() + 3;
        let written = compile(&clamp_source(&case, &(0..decls).collect::<Vec<_>>()), &[]);
        let permuted: Vec<(String, Ruleset)> = seeds
            .iter()
            .map(|s| {
                let text = clamp_source(&case, &shuffled(decls, *s));
                let r = compile(&text, &[]);
                (text, r)
            })
            .collect();
        for (proposed, bits) in &records {
            let e = evidence(proposed % case.size, &flags_for(case.rules.len(), bits));
            let expected = result(&written, &e);
            for (text, ruleset) in &permuted {
                prop_assert_eq!(
                    &result(ruleset, &e),
                    &expected,
                    "the order of the declarations changed the outcome for {}:\n{}",
                    e,
                    text
                );
            }
        }
    }

    #[test]
    fn a_judgement_is_its_proposal_clamped_between_the_best_floor_and_the_worst_cap(
        case in clamp_case(false),
        records in prop::collection::vec((0usize..6, prop::collection::vec(any::<bool>(), 6)), 8),
    ) {
        let decls = case.rules.len() + 3;
        let ruleset = compile(&clamp_source(&case, &(0..decls).collect::<Vec<_>>()), &[]);
        for (proposed, bits) in &records {
            let proposed = proposed % case.size;
            let flags = flags_for(case.rules.len(), bits);
            let fired: Vec<(usize, Op, usize)> = case
                .rules
                .iter()
                .enumerate()
                .filter(|(i, _)| flags[*i])
                .map(|(i, (op, rank))| (i, *op, *rank))
                .collect();
            // Ranks: 0 is best. The worst cap is the greatest rank of an
            // `at most` (or `=`), the best floor the least of an `at least`.
            let cap = fired.iter().filter(|f| f.1.caps()).map(|f| f.2).max();
            let floor = fired.iter().filter(|f| f.1.floors()).map(|f| f.2).min();
            let e = evidence(proposed, &flags);
            let outcome = ruleset.evaluate(&e, EvalOptions::default());
            match (cap, floor) {
                (Some(c), Some(f)) if f < c => {
                    let Err(EvalError::Conflict { floor_rule, cap_rule, .. }) = &outcome else {
                        panic!("expected a conflict for {e}, got {outcome:?}");
                    };
                    let named = |rule: &str, wanted: &dyn Fn(&(usize, Op, usize)) -> bool| {
                        fired.iter().any(|x| format!("r{}", x.0) == rule && wanted(x))
                    };
                    prop_assert!(named(floor_rule, &|x| x.1.floors() && x.2 == f), "floor rule {} for {}", floor_rule, e);
                    prop_assert!(named(cap_rule, &|x| x.1.caps() && x.2 == c), "cap rule {} for {}", cap_rule, e);
                }
                _ => {
                    let mut expected = proposed;
                    if let Some(c) = cap {
                        expected = expected.max(c);
                    }
                    if let Some(f) = floor {
                        expected = expected.min(f);
                    }
                    let outcome = outcome.unwrap_or_else(|err| panic!("{err} for {e}"));
                    prop_assert_eq!(outcome.judgement("overall"), Some(GRADES[expected]), "for {}", e);
                    let detail = outcome.details.get("overall").unwrap();
                    prop_assert_eq!(detail.rejected, expected != proposed);
                    prop_assert_eq!(detail.binding.is_empty(), expected == proposed, "binding for {}", e);
                    for b in &detail.binding {
                        prop_assert!(b.value == GRADES[expected], "{:?} binds for {}", b, e);
                    }
                    let mut acted: Vec<String> = detail
                        .binding
                        .iter()
                        .chain(&detail.slack)
                        .map(|c| c.rule.to_string())
                        .collect();
                    acted.sort();
                    let mut expected_rules: Vec<String> = fired.iter().map(|f| format!("r{}", f.0)).collect();
                    expected_rules.sort();
                    prop_assert_eq!(acted, expected_rules, "binding and slack for {}", e);
                }
            }
        }
    }

    #[test]
    fn one_more_cap_never_raises_a_judgement_and_one_more_floor_never_lowers_it(
        case in clamp_case(false),
        proposed in 0usize..6,
        bits in prop::collection::vec(any::<bool>(), 6),
    ) {
        let decls = case.rules.len() + 3;
        let ruleset = compile(&clamp_source(&case, &(0..decls).collect::<Vec<_>>()), &[]);
        let proposed = proposed % case.size;
        let flags = flags_for(case.rules.len(), &bits);
        let before = rank_of(&ruleset, &evidence(proposed, &flags));
        for (i, (op, _)) in case.rules.iter().enumerate() {
            if flags[i] {
                continue;
            }
            let mut more = flags.clone();
            more[i] = true;
            let after = rank_of(&ruleset, &evidence(proposed, &more));
            match (&before, &after) {
                // Ranks: a greater rank is a worse grade.
                (Ok(b), Ok(a)) => {
                    if *op == Op::AtMost {
                        prop_assert!(a >= b, "the cap r{} raised {} to {}", i, GRADES[*b], GRADES[*a]);
                    }
                    if *op == Op::AtLeast {
                        prop_assert!(a <= b, "the floor r{} lowered {} to {}", i, GRADES[*b], GRADES[*a]);
                    }
                }
                // A new conflict is the new rule's: its value is the best
                // floor or the worst cap.
                (Ok(_), Err((floor, cap))) => {
                    let rank = |rule: &str| case.rules[rule[1..].parse::<usize>().unwrap()].1;
                    let (op, value) = case.rules[i];
                    prop_assert!(
                        (op.floors() && value == rank(floor)) || (op.caps() && value == rank(cap)),
                        "turning on r{} gave the conflict of {} and {}", i, floor, cap
                    );
                }
                (Err(_), Ok(a)) => {
                    prop_assert!(false, "turning on r{} resolved a conflict (to {})", i, GRADES[*a]);
                }
                (Err(_), Err(_)) => {}
            }
        }
    }
}

/// A rule of the richer order case: which judgement it constrains, what it
/// reads, and its effect.
#[derive(Clone, Debug)]
struct RichRule {
    /// Constrains `leadership` (reading only its flag), else `overall`.
    leadership: bool,
    /// `for each n in notices`, firing for a notice not met.
    for_each: bool,
    /// `and leadership is at most V` (rules that constrain `overall` only).
    reads_leadership: Option<usize>,
    /// The bound is `previous.overall` (guarded by `is set`), not `V`.
    from_previous: bool,
    op: Op,
    rank: usize,
}

#[derive(Clone, Debug)]
struct Rich {
    size: usize,
    rules: Vec<RichRule>,
}

fn rich_case() -> impl Strategy<Value = Rich> {
    (2usize..=4).prop_flat_map(|size| {
        let op = prop_oneof![
            3 => Just(Op::AtMost),
            3 => Just(Op::AtLeast),
            1 => Just(Op::Equal),
            1 => Just(Op::Withhold),
        ];
        let rule = (
            prop::bool::weighted(0.3),
            prop::bool::weighted(0.3),
            prop::option::weighted(0.3, 0..size),
            prop::bool::weighted(0.2),
            op,
            0..size,
        )
            .prop_map(
                |(leadership, for_each, reads, from_previous, op, rank)| RichRule {
                    leadership,
                    for_each,
                    // `no judgement` withholds `leadership` too: reading it would be a cycle.
                    reads_leadership: reads.filter(|_| !leadership && op != Op::Withhold),
                    from_previous: from_previous && op != Op::Withhold,
                    op,
                    rank,
                },
            );
        prop::collection::vec(rule, 1..=6).prop_map(move |rules| Rich { size, rules })
    })
}

fn rich_source(case: &Rich, order: &[usize]) -> String {
    let scale = GRADES[..case.size].join(" > ");
    let mut decls = vec![
        format!("scale grade: {scale}\n"),
        "record notice\n  id: text\n  met: bool or unknown\n".to_string(),
        "judgement leadership: grade from proposed.leadership\n".to_string(),
        "judgement overall: grade from proposed.overall\n".to_string(),
    ];
    let mut fields = "evidence\n  proposed.overall: grade\n  proposed.leadership: grade\n  previous.overall: grade or none\n  notices: list of notice default empty\n".to_string();
    for (i, r) in case.rules.iter().enumerate() {
        fields.push_str(&format!("  flags.f{i}: bool or unknown\n"));
        let mut text = format!("rule r{i} \"para {i}\"\n");
        if r.for_each {
            text.push_str("  for each n in notices\n");
        }
        text.push_str(&format!("  when flags.f{i}"));
        if r.for_each {
            text.push_str(" and not n.met");
        }
        if let Some(v) = r.reads_leadership {
            text.push_str(&format!(" and leadership is at most {}", GRADES[v]));
        }
        if r.from_previous {
            text.push_str(" and previous.overall is set");
        }
        let judgement = if r.leadership {
            "leadership"
        } else {
            "overall"
        };
        let bound = if r.from_previous {
            "previous.overall"
        } else {
            GRADES[r.rank]
        };
        match r.op {
            Op::Withhold => text.push_str("\n  then no judgement\n"),
            op => text.push_str(&format!("\n  then {judgement} {} {bound}\n", op.text())),
        }
        decls.push(text);
    }
    decls.push(fields);
    let mut text = "ruleset rich \"Rules in any order\"\n  in force from 2015-04-01\n".to_string();
    for i in order {
        text.push('\n');
        text.push_str(&decls[*i]);
    }
    text
}

/// An evidence record: proposals, a previous judgement or none, notices
/// met, not met or not known, and flags true, false or not known (absent).
fn rich_evidence(size: usize) -> impl Strategy<Value = Value> {
    let tri = || prop_oneof![Just(Some(true)), Just(Some(false)), Just(None)];
    (
        0..size,
        0..size,
        prop::option::of(0..size),
        prop::collection::vec(tri(), 0..3),
        prop::collection::vec(tri(), 6),
    )
        .prop_map(|(overall, leadership, previous, notices, flags)| {
            let notices: Vec<Value> = notices
                .iter()
                .enumerate()
                .map(|(i, met)| match met {
                    Some(m) => json!({"id": format!("n{i}"), "met": m}),
                    None => json!({"id": format!("n{i}")}),
                })
                .collect();
            let flags: serde_json::Map<String, Value> = flags
                .iter()
                .enumerate()
                .filter_map(|(i, f)| f.map(|f| (format!("f{i}"), Value::Bool(f))))
                .collect();
            let mut e = json!({
                "proposed": {"overall": GRADES[overall], "leadership": GRADES[leadership]},
                "notices": notices,
                "flags": flags,
            });
            if let Some(p) = previous {
                e["previous"] = json!({"overall": GRADES[p]});
            }
            e
        })
}

proptest! {
    #![proptest_config(config(96))]

    /// The same with two judgements, one read by rules on the other, rules
    /// over the elements of a list, bounds read from evidence, and evidence
    /// that is not known (undetermined rules, provisional judgements).
    #[test]
    fn an_outcome_with_unknown_evidence_is_the_same_whatever_order_the_rules_are_written_in(
        (case, records) in rich_case().prop_flat_map(|case| {
            let size = case.size;
            (Just(case), prop::collection::vec(rich_evidence(size), 6))
        }),
        seeds in prop::collection::vec(any::<u64>(), 2),
    ) {
        let decls = case.rules.len() + 5;
        let written = compile(&rich_source(&case, &(0..decls).collect::<Vec<_>>()), &[]);
        let permuted: Vec<(String, Ruleset)> = seeds
            .iter()
            .map(|s| {
                let text = rich_source(&case, &shuffled(decls, *s));
                let r = compile(&text, &[]);
                (text, r)
            })
            .collect();
        for e in &records {
            let expected = result(&written, e);
            for (text, ruleset) in &permuted {
                prop_assert_eq!(
                    &result(ruleset, e),
                    &expected,
                    "the order of the declarations changed the outcome for {}:\n{}",
                    e,
                    text
                );
            }
        }
    }
}

// ---------------------------------------------------------------- working days

const ENGLAND_AND_WALES: &str =
    include_str!("../../../rulesets/calendars/england_and_wales.calendar");

static CALENDAR: LazyLock<Calendar> =
    LazyLock::new(|| Calendar::parse(ENGLAND_AND_WALES).expect("the calendar reads"));

/// The same file read naively: the `years` line and every line that starts
/// with a date, whose name is the rest of the line.
struct Naive {
    first_year: i32,
    last_year: i32,
    holidays: BTreeMap<NaiveDate, String>,
}

static NAIVE: LazyLock<Naive> = LazyLock::new(|| {
    let mut years = None;
    let mut holidays = BTreeMap::new();
    for line in ENGLAND_AND_WALES.lines() {
        let line = line.split('#').next().unwrap().trim();
        if let Some(rest) = line.strip_prefix("years ") {
            let (a, b) = rest.split_once(" to ").unwrap();
            years = Some((a.trim().parse().unwrap(), b.trim().parse().unwrap()));
        } else if let Some((date, name)) = line.split_once(' ') {
            if let Ok(d) = NaiveDate::parse_from_str(date, "%Y-%m-%d") {
                holidays.insert(d, name.trim().to_string());
            }
        }
    }
    let (first_year, last_year) = years.unwrap();
    Naive {
        first_year,
        last_year,
        holidays,
    }
});

impl Naive {
    fn covers(&self, d: NaiveDate) -> bool {
        (self.first_year..=self.last_year).contains(&d.year())
    }

    fn first_day(&self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.first_year, 1, 1).unwrap()
    }

    fn last_day(&self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.last_year, 12, 31).unwrap()
    }

    /// Why `d` is not a working day, as the engine words it.
    fn skip(&self, d: NaiveDate) -> Option<SkipReason> {
        match d.weekday() {
            day @ (Weekday::Sat | Weekday::Sun) => Some(SkipReason::Weekend(day)),
            _ => self
                .holidays
                .get(&d)
                .map(|n| SkipReason::Holiday(n.clone())),
        }
    }

    fn is_working(&self, d: NaiveDate) -> bool {
        self.skip(d).is_none()
    }

    /// `start` plus `n` working days, one day at a time; the first date
    /// examined outside the years is the error.
    fn add(&self, start: NaiveDate, n: i64) -> Result<NaiveDate, NaiveDate> {
        if !self.covers(start) {
            return Err(start);
        }
        let mut d = start;
        let mut left = n.abs();
        while left > 0 {
            d = if n > 0 { d.succ_opt() } else { d.pred_opt() }.unwrap();
            if !self.covers(d) {
                return Err(d);
            }
            if self.is_working(d) {
                left -= 1;
            }
        }
        Ok(d)
    }

    /// The working days in `(a, b]`.
    fn count(&self, a: NaiveDate, b: NaiveDate) -> i64 {
        a.iter_days()
            .skip(1)
            .take_while(|d| *d <= b)
            .filter(|d| self.is_working(*d))
            .count()
            .try_into()
            .unwrap()
    }
}

/// The engine's count, with an error reduced to the date it names.
fn add(start: NaiveDate, n: i64) -> Result<NaiveDate, NaiveDate> {
    CALENDAR.add_working_days(start, n).map_err(|e| match e {
        CalendarError::OutOfRange { date, .. } => date,
        other => panic!("not an out-of-range error: {other}"),
    })
}

/// A day of the calendar's years; one case in three within 100 days of
/// their first or last day, where counts leave them.
fn covered_day() -> impl Strategy<Value = NaiveDate> {
    let (first, last) = (NAIVE.first_day(), NAIVE.last_day());
    let days = (last - first).num_days();
    prop_oneof![
        4 => 0..=days,
        1 => 0..100i64,
        1 => days - 99..=days,
    ]
    .prop_map(move |i| first + chrono::Duration::days(i))
}

#[test]
fn every_day_of_the_calendar_is_a_working_day_exactly_when_a_naive_reading_says() {
    assert_eq!(CALENDAR.years(), (NAIVE.first_year, NAIVE.last_year));
    assert!(
        NAIVE.holidays.len() >= 8 * 16,
        "{} holidays",
        NAIVE.holidays.len()
    );
    for d in NAIVE
        .first_day()
        .iter_days()
        .take_while(|d| *d <= NAIVE.last_day())
    {
        assert_eq!(CALENDAR.is_working_day(d), Ok(NAIVE.is_working(d)), "{d}");
        assert_eq!(
            CALENDAR.holiday(d).unwrap(),
            NAIVE.holidays.get(&d).map(String::as_str),
            "{d}"
        );
    }
}

proptest! {
    #![proptest_config(config(512))]

    #[test]
    fn adding_or_taking_away_working_days_agrees_with_a_day_by_day_walk(
        d in covered_day(),
        n in -60i64..=60,
    ) {
        prop_assert_eq!(add(d, n), NAIVE.add(d, n), "{} + {} working days", d, n);
    }

    /// `d + n` (n >= 1) is a working day `e`; the n working days back from
    /// `e` are the n - 1 strictly between `d` and `e`, then the last working
    /// day at or before `d`. `d` need not be a working day: from a Saturday,
    /// 1 working day on is the Monday, and 1 back from that the Friday. With
    /// n = 0 neither step moves, so `d` comes back whatever day it is. A walk
    /// that leaves the calendar's years is an error naming the first date
    /// outside them.
    #[test]
    fn n_working_days_on_then_back_is_the_last_working_day_at_or_before_the_start(
        d in covered_day(),
        n in 0i64..=60,
    ) {
        let there = add(d, n);
        let back = there.and_then(|e| add(e, -n));
        let last_working = d.iter_days().rev().find(|x| NAIVE.is_working(*x) || !NAIVE.covers(*x)).unwrap();
        match back {
            Ok(b) if n == 0 => prop_assert_eq!(b, d),
            Ok(b) => {
                prop_assert_eq!(b, last_working, "({} + {n}) - {n}", d, n = n);
                prop_assert!(NAIVE.is_working(b));
            }
            Err(outside) => {
                prop_assert!(!NAIVE.covers(outside), "{} is inside the years", outside);
                let first = NAIVE.add(d, n).and_then(|e| NAIVE.add(e, -n));
                prop_assert_eq!(Err(outside), first);
            }
        }
    }

    #[test]
    fn n_working_days_back_then_on_is_the_first_working_day_at_or_after_the_start(
        d in covered_day(),
        n in 0i64..=60,
    ) {
        let back = add(d, -n).and_then(|e| add(e, n));
        let next_working = d.iter_days().find(|x| NAIVE.is_working(*x) || !NAIVE.covers(*x)).unwrap();
        match back {
            Ok(b) if n == 0 => prop_assert_eq!(b, d),
            Ok(b) => prop_assert_eq!(b, next_working, "({} - {n}) + {n}", d, n = n),
            Err(outside) => prop_assert!(!NAIVE.covers(outside), "{} is inside the years", outside),
        }
    }

    /// With k the naive count of working days in `(a, b]`: `a + k` is the
    /// last working day at or before `b` (or `a`, for k = 0), `a + (k + 1)`
    /// is after `b`, and the days the count passed over are the weekends and
    /// holidays between, each with its reason.
    #[test]
    fn the_working_days_between_two_dates_are_those_a_naive_count_finds(
        x in covered_day(),
        y in covered_day(),
    ) {
        let (a, b) = if x <= y { (x, y) } else { (y, x) };
        let k = NAIVE.count(a, b);
        let counted = CALENDAR.add_working_days_explained(a, k).unwrap();
        prop_assert!(counted.end <= b);
        if k > 0 {
            prop_assert!(NAIVE.is_working(counted.end));
            prop_assert_eq!(NAIVE.count(counted.end, b), 0);
        } else {
            prop_assert_eq!(counted.end, a);
        }
        match add(a, k + 1) {
            Ok(after) => prop_assert!(after > b, "{} + {} working days is {}", a, k + 1, after),
            Err(outside) => prop_assert!(!NAIVE.covers(outside)),
        }
        let skipped: Vec<(NaiveDate, SkipReason)> =
            counted.skipped.iter().map(|s| (s.date, s.reason.clone())).collect();
        let naive: Vec<(NaiveDate, SkipReason)> = a
            .iter_days()
            .skip(1)
            .take_while(|d| *d <= counted.end)
            .filter_map(|d| NAIVE.skip(d).map(|r| (d, r)))
            .collect();
        prop_assert_eq!(skipped, naive);
    }

    #[test]
    fn a_date_outside_the_calendars_years_is_an_error_never_a_guess(
        year in prop_oneof![1900i32..2012, 2028i32..2200],
        ordinal in 1u32..=365,
        n in -60i64..=60,
    ) {
        let d = NaiveDate::from_yo_opt(year, ordinal).unwrap();
        let out_of_range = |e: CalendarError| matches!(e, CalendarError::OutOfRange { date, .. } if date == d);
        prop_assert!(CALENDAR.is_working_day(d).is_err_and(out_of_range));
        prop_assert!(CALENDAR.holiday(d).is_err_and(out_of_range));
        prop_assert!(CALENDAR.add_working_days(d, n).is_err_and(out_of_range));
        prop_assert!(CALENDAR.add_working_days_explained(d, n).is_err_and(out_of_range));
    }
}

/// The counts the ruleset below has a rule for, each way.
const STEPS: [i64; 7] = [0, 1, 2, 5, 10, 25, 60];

static DEADLINES: LazyLock<Ruleset> = LazyLock::new(|| {
    let mut text = "ruleset deadlines \"Deadlines in working days\"\n  in force from 2012-01-01\n  calendar england_and_wales\n\nevidence\n  visit.date: date\n  step: number\n  back: bool\n".to_string();
    for n in STEPS {
        text.push_str(&format!(
            "\nrule on_{n} \"para {n}\"\n  when step = {n} and not back\n  then deadline due = visit.date + {n} working days\n"
        ));
        text.push_str(&format!(
            "\nrule back_{n} \"para {n}\"\n  when step = {n} and back\n  then deadline due = visit.date - {n} working days\n"
        ));
    }
    compile(&text, std::slice::from_ref(&*CALENDAR))
});

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn a_deadline_in_working_days_is_the_calendars_date_or_its_error(
        d in covered_day(),
        step in prop::sample::select(STEPS.to_vec()),
        back in any::<bool>(),
    ) {
        let e = json!({"visit": {"date": d.to_string()}, "step": step, "back": back});
        let n = if back { -step } else { step };
        match (DEADLINES.evaluate(&e, EvalOptions::default()), NAIVE.add(d, n)) {
            (Ok(outcome), Ok(date)) => {
                let v = serde_json::to_value(outcome).unwrap();
                prop_assert_eq!(&v["deadlines"][0]["date"], &json!(date.to_string()), "{}", e);
            }
            (Err(err), Err(outside)) => {
                let message = err.to_string();
                prop_assert!(message.contains(&format!("`{outside}` is outside the years")), "{}", message);
            }
            (got, naive) => prop_assert!(false, "{} gave {:?}; the calendar says {:?}", e, got, naive),
        }
    }
}
