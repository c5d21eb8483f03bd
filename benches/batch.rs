#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    reason = "a bench over fixed, known-good inputs"
)]
//! The batch path of `judgement eval` in process
//! (`judgement_cli::eval_json_lines`): 2,000 JSON Lines made from the
//! children's homes corpus, each record with an id of its own, evaluated
//! with 1 and 2 threads, the full outcome and the compact one, written to
//! nowhere. Parsing the JSON, choosing the edition, evaluating, serialising
//! and the pipeline itself are all in the time.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use judgement::Editions;
use std::io::Cursor;
use std::num::NonZeroUsize;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

#[path = "corpus.rs"]
mod corpus;

const LINES: usize = 2_000;

/// The corpus records, without `_expect`, repeated to `LINES` lines.
fn batch() -> Arc<[u8]> {
    let records = corpus::records();
    let mut text = Vec::new();
    for i in 0..LINES {
        let mut record = records[i % records.len()].clone();
        record["id"] = serde_json::Value::String(format!("bench-{i}"));
        serde_json::to_writer(&mut text, &record).unwrap();
        text.push(b'\n');
    }
    text.into()
}

fn batches(c: &mut Criterion) {
    let editions = Editions::load(Path::new("rulesets/childrens_homes")).unwrap();
    let text = batch();
    let mut g = c.benchmark_group("batch");
    g.sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4))
        .throughput(Throughput::Elements(LINES as u64));
    for threads in [1, 2] {
        for (form, compact) in [("full", false), ("compact", true)] {
            let n = NonZeroUsize::new(threads).unwrap();
            g.bench_function(format!("{LINES}_lines/{threads}_threads/{form}"), |b| {
                b.iter(|| {
                    let input = Box::new(Cursor::new(Arc::clone(&text)));
                    let failed = judgement_cli::eval_json_lines(
                        &editions,
                        input,
                        &mut std::io::sink(),
                        n,
                        compact,
                    )
                    .unwrap();
                    assert_eq!(failed, 0);
                });
            });
        }
    }
    g.finish();
}

criterion_group!(benches, batches);
criterion_main!(benches);
