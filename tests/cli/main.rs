//! The `judgement` binary end to end: exit codes and the key lines of its
//! output (whole outcomes and diagnostics are snapshotted in `snapshots.rs`).
//! Its data is in `tests/fixtures/cli/`.

#![allow(
    clippy::panic,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "a test fails by panicking"
)]

use serde_json::{json, Value as Json};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

mod batches;
mod blocks;
mod check;
mod definitions;
mod eval;
mod explain;
mod input;
mod limits;
mod schema;
mod test_command;
mod usage;

const REAL: &str = "rulesets/childrens_homes";
const DATA: &str = "tests/fixtures/cli";

/// The repository root: commands run there, so paths read as in the docs.
fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn judgement(args: &[&str]) -> Run {
    judgement_with_input(args, None)
}

fn judgement_with_input(args: &[&str], input: Option<&str>) -> Run {
    judgement_at(&root(), args, input)
}

/// `judgement` run in `dir`, not the repository root.
fn judgement_in(dir: &Path, args: &[&str]) -> Run {
    judgement_at(dir, args, None)
}

fn judgement_at(dir: &Path, args: &[&str], input: Option<&str>) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_judgement"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(if input.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Write from another thread: a large input and output would otherwise
    // fill both pipes and wait on each other.
    let writer = input.map(|text| {
        let mut stdin = child.stdin.take().unwrap();
        let text = text.to_string();
        std::thread::spawn(move || {
            let _ = stdin.write_all(text.as_bytes());
        })
    });
    let out = child.wait_with_output().unwrap();
    if let Some(w) = writer {
        w.join().unwrap();
    }
    Run {
        code: out.status.code().unwrap(),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

/// Words joined by single spaces: explanations are wrapped.
fn words(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn data(name: &str) -> String {
    format!("{DATA}/{name}")
}

/// A full inspection of the real ruleset, as one line of JSON.
fn full_inspection() -> Json {
    let text = std::fs::read_to_string(root().join(data("full_inspection.json"))).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn small_record(id: &str, overall: &str) -> String {
    format!(
        r#"{{"id": "{id}", "visit": {{"start": "2020-03-02"}}, "proposed": {{"overall": "{overall}", "care": "poor"}}}}"#
    )
}

fn tmp_file(name: &str, text: &str) -> String {
    let path = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

// Helpers more than one group of tests uses.

/// A folder for one test's files, empty.
fn tmp_dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    std::fs::remove_dir_all(&dir).ok();
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The lines of a JSON Lines output, parsed: a run's outcome lines, or
/// the problems `--format json` writes on stderr.
fn output_lines(text: &str) -> Vec<Json> {
    text.lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// An empty folder for one test's files with the England and Wales
/// calendar in `calendars/`, where a rule file in it finds it.
fn dir_with_calendar(name: &str) -> PathBuf {
    let dir = tmp_dir(name);
    std::fs::create_dir_all(dir.join("calendars")).unwrap();
    std::fs::copy(
        "rulesets/calendars/england_and_wales.calendar",
        dir.join("calendars/england_and_wales.calendar"),
    )
    .unwrap();
    dir
}

fn tmp_bytes(name: &str, bytes: &[u8]) -> String {
    let path = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    std::fs::write(&path, bytes).unwrap();
    path.display().to_string()
}

fn diff_setup(name: &str) -> (String, String, PathBuf) {
    let dir = tmp_dir(name);
    let before = root().join(DATA).join("editions/2020-01.rules");
    let source = std::fs::read_to_string(&before).unwrap();
    let after = dir.join("after.rules");
    std::fs::write(
        &after,
        source.replace("vacancy_limit = 10 weeks", "vacancy_limit = 14 weeks"),
    )
    .unwrap();
    let corpus = dir.join("corpus");
    std::fs::create_dir_all(&corpus).unwrap();
    std::fs::copy(root().join(DATA).join("small.json"), corpus.join("a.json")).unwrap();
    std::fs::write(
        corpus.join("b.json"),
        r#"{"id": "v2", "visit": {"start": "2020-03-02"}, "proposed": {"overall": "good", "care": "good"}}"#,
    )
    .unwrap();
    (
        before.display().to_string(),
        after.display().to_string(),
        corpus,
    )
}

/// A scratch folder for one test, emptied first.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("judgement-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs `judgement` on `input`, reads the first line of its output, then
/// closes the pipe: the first line, the exit code and what went to stderr.
fn first_line_then_close(args: &[&str], input: String) -> (String, Option<i32>, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_judgement"))
        .args(args)
        .current_dir(root())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(input.as_bytes());
    });
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    stdout.read_line(&mut first).unwrap();
    drop(stdout);
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    (first, out.status.code(), stderr)
}

/// The small ruleset's 2020 edition before and after a longer vacancy
/// limit, and a corpus of two cases, the first of which changes.
/// `judgement diff --before BEFORE --after AFTER CORPUS`.
fn diff_run(before: &str, after: &str, corpus: &Path) -> Run {
    diff_with(before, after, corpus, &[])
}

/// `judgement diff --before BEFORE --after AFTER OPTIONS... CORPUS`.
fn diff_with(before: &str, after: &str, corpus: &Path, options: &[&str]) -> Run {
    let mut args = vec!["diff", "--before", before, "--after", after];
    args.extend_from_slice(options);
    args.push(corpus.to_str().unwrap());
    judgement(&args)
}
