//! What the fuzz targets share: the shipped rulesets, calendar and
//! definitions, loaded once; the real evidence records of the test corpus,
//! and their changes ([`mutate`]); and the `#` comments of a rule file, to
//! see that formatting keeps them.
//!
//! The targets are in `fuzz_targets/`; "Fuzzing" in the README says how to
//! run them.
#![forbid(unsafe_code)]

pub mod mutate;

use judgement_engine::calendar::Calendar;
use judgement_engine::{Context, Editions};
use libfuzzer_sys::arbitrary::Unstructured;
use serde_json::Value as Json;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The England and Wales calendar, as the rulesets name it.
pub const CALENDAR: &str = include_str!("../../rulesets/calendars/england_and_wales.calendar");

/// The definitions that several rulesets share.
pub const MONITORING: &str = include_str!("../../rulesets/definitions/monitoring_visits.rules");

/// Every shipped ruleset, by its folder in `rulesets/` (and in
/// `tests/fixtures/eval/`).
pub const RULESETS: [&str; 5] = [
    "childrens_homes",
    "la_child_protection",
    "inspection_process",
    "voluntary_adoption_agencies",
    "monitoring_visits",
];

/// The repository the fuzz crate sits in.
fn repository() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// What a rule file under test may name: the calendar and the shared
/// definitions, from memory.
pub fn context() -> &'static Context {
    static CONTEXT: OnceLock<Context> = OnceLock::new();
    CONTEXT.get_or_init(|| {
        let calendar = match Calendar::parse(CALENDAR) {
            Ok(c) => c,
            Err(e) => panic!("the shipped calendar does not parse: {e:?}"),
        };
        let mut context = Context::with_calendars(&[calendar]);
        context.add_definitions(
            "monitoring_visits",
            "rulesets/definitions/monitoring_visits.rules",
            MONITORING,
        );
        context
    })
}

/// The editions of each ruleset in [`RULESETS`], in that order, loaded from
/// the repository as the command line loads them.
pub fn editions() -> &'static [Editions] {
    static EDITIONS: OnceLock<Vec<Editions>> = OnceLock::new();
    EDITIONS.get_or_init(|| {
        RULESETS
            .iter()
            .map(|name| {
                let path = repository().join("rulesets").join(name);
                match Editions::load(&path) {
                    Ok(e) => e,
                    Err(e) => panic!("the ruleset {name} does not load: {e:?}"),
                }
            })
            .collect()
    })
}

/// The evidence records of each ruleset's test corpus
/// (`tests/fixtures/eval/RULESET/*.json`), in [`RULESETS`] order, each
/// without its `_expect`, which is not evidence.
pub fn records() -> &'static [Vec<Json>] {
    static RECORDS: OnceLock<Vec<Vec<Json>>> = OnceLock::new();
    RECORDS.get_or_init(|| {
        RULESETS
            .iter()
            .map(|name| {
                let folder = repository().join("tests/fixtures/eval").join(name);
                let mut files: Vec<PathBuf> = match std::fs::read_dir(&folder) {
                    Ok(entries) => entries
                        .filter_map(Result::ok)
                        .map(|e| e.path())
                        .filter(|p| p.extension().is_some_and(|x| x == "json"))
                        .collect(),
                    Err(e) => panic!("cannot read {}: {e}", folder.display()),
                };
                files.sort();
                files
                    .iter()
                    .filter_map(|f| std::fs::read_to_string(f).ok())
                    .filter_map(|text| serde_json::from_str::<Json>(&text).ok())
                    .map(|mut record| {
                        if let Some(object) = record.as_object_mut() {
                            object.shift_remove("_expect");
                        }
                        record
                    })
                    .collect()
            })
            .collect()
    })
}

/// A ruleset's editions and a copy of one of its corpus records, as the
/// fuzzer's bytes choose them (first the ruleset, then the record).
pub fn corpus_record(u: &mut Unstructured<'_>) -> Option<(&'static Editions, Json)> {
    let which = u.choose_index(editions().len()).ok()?;
    let (editions, corpus) = (editions().get(which)?, records().get(which)?);
    Some((editions, u.choose(corpus).ok()?.clone()))
}

/// The text of every `#` comment outside strings, without the layout at its
/// end, sorted: formatting may move a comment but must keep its words.
///
/// A string is `"..."` with `\` escaping the character after it; a comment
/// runs from `#` to the end of the line. This is the grammar's reading of a
/// file that parses.
pub fn comments(source: &str) -> Vec<&str> {
    let mut found = Vec::new();
    let mut in_string = false;
    let mut escaped = false;
    let mut chars = source.char_indices();
    while let Some((at, c)) = chars.next() {
        if in_string {
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"' | '\n') => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_string = true,
            '#' => {
                let rest = source.get(at..).unwrap_or_default();
                let line = rest.split('\n').next().unwrap_or_default();
                found.push(line.trim_end());
                // Go on from the end of the line (the newline, if any, is
                // layout).
                for _ in line.chars().skip(1) {
                    chars.next();
                }
            }
            _ => {}
        }
    }
    found.sort_unstable();
    found
}
