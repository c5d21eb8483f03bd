#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::cast_possible_truncation,
    reason = "a bench over fixed, known-good inputs"
)]
//! Criterion benches over the test corpus: parse and check the children's
//! homes ruleset (today's, and as it stood when issue 9 was filed);
//! evaluate one record with the trace off and on; and the same rules
//! written by hand in Rust, the practical limit.

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use judgement::{EvalOptions, Ruleset};

#[path = "handwritten.rs"]
mod handwritten;

const SOURCE: &str = include_str!("../rulesets/childrens_homes/2015-04.rules");
/// The same ruleset as it stood when issue 9 set its compile target (23 KB
/// against today's 200 KB): the same text, timed by today's engine.
const AS_FILED: &str = include_str!("data/childrens_homes_as_filed.rules");
const CALENDAR: &str = include_str!("../rulesets/calendars/england_and_wales.calendar");
const MONITORING: &str = include_str!("../rulesets/definitions/monitoring_visits.rules");
const EVIDENCE: &str = include_str!("../examples/childrens_homes/full_inspection.json");

fn calendar() -> judgement::calendar::Calendar {
    judgement::calendar::Calendar::parse(CALENDAR).unwrap()
}

/// What the children's homes ruleset may name: the calendar and the shared
/// monitoring-visit definitions, from memory.
fn context(cal: &judgement::calendar::Calendar) -> judgement::Context {
    let mut context = judgement::Context::with_calendars(std::slice::from_ref(cal));
    context.add_definitions(
        "monitoring_visits",
        "rulesets/definitions/monitoring_visits.rules",
        MONITORING,
    );
    context
}

fn compile(source: &str, context: &judgement::Context) -> Ruleset {
    let label = std::path::Path::new("rulesets/childrens_homes/2015-04.rules");
    Ruleset::from_sources(label, source, context).unwrap()
}

fn parse_and_check(c: &mut Criterion) {
    let context = context(&calendar());
    let mut g = c.benchmark_group("compile");
    g.bench_function("childrens_homes/2015-04", |b| {
        b.iter(|| compile(black_box(SOURCE), &context))
    });
    g.bench_function("childrens_homes/2015-04_as_filed", |b| {
        b.iter(|| compile(black_box(AS_FILED), &context))
    });
    g.finish();
}

fn evaluate(c: &mut Criterion) {
    let cal = calendar();
    let ruleset = compile(SOURCE, &context(&cal));
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
    // One record as a JSON Lines input holds it: minified text, read
    // straight into the slots.
    let line = serde_json::to_string(&evidence).unwrap();
    g.bench_function("childrens_homes/from_text", |b| {
        b.iter(|| {
            ruleset
                .evaluate_str(
                    black_box(&line),
                    EvalOptions {
                        trace: false,
                        ..EvalOptions::default()
                    },
                )
                .unwrap()
        })
    });
    // The same line parsed into a `serde_json::Value` first, as
    // `evaluate_str` read it before it read text in one pass.
    g.bench_function("childrens_homes/from_text_via_value", |b| {
        b.iter(|| {
            let json = judgement::parse_json(black_box(&line)).unwrap();
            ruleset
                .evaluate(
                    &json,
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
