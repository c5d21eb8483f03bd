#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::cast_possible_truncation,
    reason = "a bench over fixed, known-good inputs"
)]
//! Criterion benches over the test corpus: parse and check the children's
//! homes ruleset; evaluate one record with the trace off and on; and the same
//! rules written by hand in Rust, the practical limit.

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use judgement::{EvalOptions, Ruleset};

#[path = "handwritten.rs"]
mod handwritten;

const SOURCE: &str = include_str!("../rulesets/childrens_homes/2015-04.rules");
const CALENDAR: &str = include_str!("../rulesets/calendars/england_and_wales.calendar");
const EVIDENCE: &str = include_str!("../examples/childrens_homes/full_inspection.json");

fn calendar() -> judgement::calendar::Calendar {
    judgement::calendar::Calendar::parse(CALENDAR).unwrap()
}

fn parse_and_check(c: &mut Criterion) {
    let calendars = [calendar()];
    let mut g = c.benchmark_group("compile");
    g.bench_function("childrens_homes/2015-04", |b| {
        b.iter(|| Ruleset::from_source(black_box(SOURCE), &calendars).unwrap())
    });
    g.finish();
}

fn evaluate(c: &mut Criterion) {
    let cal = calendar();
    let ruleset = Ruleset::from_source(SOURCE, std::slice::from_ref(&cal)).unwrap();
    let evidence: serde_json::Value = serde_json::from_str(EVIDENCE).unwrap();
    let holidays = handwritten::holidays(&cal);
    let mut g = c.benchmark_group("evaluate");
    g.bench_function("childrens_homes/trace_off", |b| {
        b.iter(|| {
            ruleset
                .evaluate(
                    black_box(&evidence),
                    EvalOptions {
                        trace: false,
                        ..EvalOptions::default()
                    },
                )
                .unwrap()
        })
    });
    g.bench_function("childrens_homes/trace_on", |b| {
        b.iter(|| {
            ruleset
                .evaluate(
                    black_box(&evidence),
                    EvalOptions {
                        trace: true,
                        ..EvalOptions::default()
                    },
                )
                .unwrap()
        })
    });
    g.bench_function("childrens_homes/handwritten", |b| {
        b.iter(|| handwritten::evaluate(&holidays, black_box(&evidence)))
    });
    g.bench_function("childrens_homes/trace_off_from_text", |b| {
        b.iter(|| {
            ruleset
                .evaluate_str(
                    black_box(EVIDENCE),
                    EvalOptions {
                        trace: false,
                        ..EvalOptions::default()
                    },
                )
                .unwrap()
        })
    });
    g.finish();
}

criterion_group!(benches, parse_and_check, evaluate);
criterion_main!(benches);
