//! The corpus every binding is checked against: for each ruleset, its
//! evidence records (`tests/fixtures/eval/RULESET/*.json`, in name order,
//! `_expect` taken off) as JSON Lines in `tests/fixtures/bindings/RULESET.jsonl`,
//! and what `judgement eval` writes for them in `RULESET.out.jsonl` (and
//! `RULESET.compact.jsonl` with `--compact`). The C, .NET, WebAssembly and
//! Python tests evaluate the first and compare with the others byte for
//! byte, so they need no copy of the command line. This test fails when the
//! files are stale; `JUDGEMENT_BLESS=1 cargo test --test bindings_corpus`
//! writes them again.

#![allow(
    clippy::panic,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "a test fails by panicking"
)]

use judgement::embed::Options;
use judgement::Engine;
use serde_json::Value as Json;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

const RULESETS: [&str; 5] = [
    "childrens_homes",
    "inspection_process",
    "la_child_protection",
    "monitoring_visits",
    "voluntary_adoption_agencies",
];

/// The records of a ruleset's corpus as JSON Lines.
fn corpus(ruleset: &str) -> String {
    let dir = root().join("tests/fixtures/eval").join(ruleset);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    let mut lines = String::new();
    for f in files {
        let mut record: Json = serde_json::from_str(&std::fs::read_to_string(&f).unwrap()).unwrap();
        record.as_object_mut().unwrap().remove("_expect");
        lines.push_str(&serde_json::to_string(&record).unwrap());
        lines.push('\n');
    }
    lines
}

/// What `judgement eval` writes for `input`.
fn cli(ruleset: &str, input: &str, extra: &[&str]) -> String {
    let mut child = Command::new(env!("CARGO_BIN_EXE_judgement"))
        .args([
            "eval",
            "--ruleset",
            &format!("rulesets/{ruleset}"),
            "--input",
            "jsonl",
            "-",
        ])
        .args(extra)
        .current_dir(root())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    String::from_utf8(out.stdout).unwrap()
}

/// The file holds `want`, or is written with it when blessing.
fn current(path: &Path, want: &str) {
    let have = std::fs::read_to_string(path).unwrap_or_default();
    if have == want {
        return;
    }
    if std::env::var_os("JUDGEMENT_BLESS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, want).unwrap();
        return;
    }
    panic!(
        "{} is stale: run `JUDGEMENT_BLESS=1 cargo test --test bindings_corpus` and read the diff",
        path.display()
    );
}

#[test]
fn the_bindings_corpus_is_what_the_command_line_gives() {
    let dir = root().join("tests/fixtures/bindings");
    for ruleset in RULESETS {
        let input = corpus(ruleset);
        current(&dir.join(format!("{ruleset}.jsonl")), &input);
        let full = cli(ruleset, &input, &[]);
        let compact = cli(ruleset, &input, &["--compact"]);
        assert_eq!(full.lines().count(), input.lines().count(), "{ruleset}");
        current(&dir.join(format!("{ruleset}.out.jsonl")), &full);
        current(&dir.join(format!("{ruleset}.compact.jsonl")), &compact);

        // The embedding API gives the same, from a path and from memory.
        let engine = Engine::load(&root().join("rulesets").join(ruleset)).unwrap();
        let lines = engine.evaluate_lines(&input, &Options::default()).unwrap();
        assert_eq!(lines.output, full, "{ruleset}: Engine::evaluate_lines");
        let compact_options = Options {
            compact: true,
            ..Options::default()
        };
        assert_eq!(
            engine
                .evaluate_lines(&input, &compact_options)
                .unwrap()
                .output,
            compact,
            "{ruleset}: compact"
        );
        let in_memory = Engine::from_files(files_of(ruleset)).unwrap();
        assert_eq!(
            in_memory
                .evaluate_lines(&input, &Options::default())
                .unwrap()
                .output,
            full,
            "{ruleset}: from memory"
        );
    }
}

/// A ruleset's rule files, the calendars and the definitions, as
/// `(label, text)` pairs with labels relative to `rulesets/`.
pub fn files_of(ruleset: &str) -> Vec<(String, String)> {
    let base = root().join("rulesets");
    let mut files = Vec::new();
    for dir in [ruleset, "calendars", "definitions"] {
        for entry in std::fs::read_dir(base.join(dir)).unwrap() {
            let path = entry.unwrap().path();
            let ext = path.extension().and_then(|x| x.to_str()).unwrap_or("");
            if ext == "rules" || ext == "calendar" {
                let label = path.strip_prefix(&base).unwrap().display().to_string();
                files.push((label, std::fs::read_to_string(&path).unwrap()));
            }
        }
    }
    files
}
