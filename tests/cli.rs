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

// ------------------------------------------------------------------ check

#[test]
fn check_passes_the_real_rulesets() {
    let run = judgement(&["check"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("0 errors"), "{}", run.stdout);
}

#[test]
fn check_shows_errors_and_warnings_with_file_line_column_and_snippet() {
    let run = judgement(&["check", &data("broken")]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("broken.rules:17:8"), "{}", run.stderr);
    assert!(run
        .stderr
        .contains("there is no evidence field `proposed.colour`"));
    assert!(
        run.stderr.contains("when proposed.colour is good"),
        "a source snippet"
    );
    assert!(
        run.stderr
            .contains("the rule `no_citation` has no citation"),
        "warnings too"
    );
    assert!(run.stderr.contains("syntax.rules:4:1"));
    assert!(
        run.stdout.contains("checked 2 files: 2 errors, 1 warning"),
        "{}",
        run.stdout
    );
}

#[test]
fn check_warnings_alone_do_not_fail() {
    let run = judgement(&["check", &data("small"), &data("editions")]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("checked 3 files: 0 errors, 0 warnings"));
}

#[test]
fn check_strict_passes_the_real_rulesets() {
    let run = judgement(&["check", "--strict", "rulesets"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.ends_with(": 0 errors, 0 warnings (strict)\n"),
        "{}",
        run.stdout
    );
}

#[test]
fn check_strict_fails_on_warnings_and_counts_a_missing_citation_as_an_error() {
    let source = std::fs::read_to_string(root().join(data("small/small.rules"))).unwrap();
    let uncited = tmp_file(
        "uncited.rules",
        &source.replace("rule long_vacancy \"para 2\"", "rule long_vacancy"),
    );
    let run = judgement(&["check", &uncited]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout, "checked 1 file: 0 errors, 1 warning\n");
    let run = judgement(&["--format", "json", "check", "--strict", &uncited]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(run.stdout, "checked 1 file: 1 error, 0 warnings (strict)\n");
    let problem: Json = serde_json::from_str(run.stderr.trim()).unwrap();
    assert_eq!(problem["severity"], "error");
    assert_eq!(
        problem["message"],
        "the rule `long_vacancy` has no citation"
    );

    let unused = tmp_file(
        "unused.rules",
        &source.replace(
            "threshold vacancy_limit = 10 weeks",
            "threshold vacancy_limit = 10 weeks\nthreshold spare = 3 weeks",
        ),
    );
    let run = judgement(&["check", &unused]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let run = judgement(&["--format", "json", "check", "--strict", &unused]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(
        run.stdout,
        "checked 1 file: 0 errors, 1 warning (strict: warnings fail the check)\n"
    );
    let problem: Json = serde_json::from_str(run.stderr.trim()).unwrap();
    assert_eq!(problem["severity"], "warning");
}

#[test]
fn check_json_gives_one_object_per_problem() {
    let run = judgement(&["--format", "json", "check", &data("broken/broken.rules")]);
    assert_eq!(run.code, 1);
    let problems: Vec<Json> = run
        .stderr
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(problems.len(), 2, "{}", run.stderr);
    let error = problems.iter().find(|p| p["severity"] == "error").unwrap();
    assert_eq!(
        error["message"],
        "there is no evidence field `proposed.colour`"
    );
    assert_eq!(error["file"], "tests/fixtures/cli/broken/broken.rules");
    assert_eq!(error["line"], 17);
    assert_eq!(error["column"], 8);
    assert!(error["help"].is_string());
    let warning = problems
        .iter()
        .find(|p| p["severity"] == "warning")
        .unwrap();
    assert_eq!(warning["line"], 12);
}

#[test]
fn check_accepts_a_byte_order_mark_and_points_past_it() {
    let source = std::fs::read_to_string(root().join(data("small/small.rules"))).unwrap();
    let file = tmp_file("marked.rules", &format!("\u{feff}{source}"));
    let run = judgement(&["check", &file]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let broken = tmp_file("marked_broken.rules", "\u{feff}rulset small \"S\"\n");
    let run = judgement(&["--format", "json", "check", &broken]);
    assert_eq!(run.code, 1);
    let problem: Json = serde_json::from_str(run.stderr.lines().next().unwrap()).unwrap();
    assert_eq!(
        problem["message"],
        "expected `definitions` or `ruleset`, found `rulset`"
    );
    assert_eq!(problem["help"], "did you mean `ruleset`?");
    assert_eq!(
        (problem["line"].as_u64(), problem["column"].as_u64()),
        (Some(1), Some(1))
    );
    let run = judgement(&["check", &broken]);
    assert!(
        run.stderr.contains("marked_broken.rules:1:1]"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains('\u{feff}'), "{}", run.stderr);
}

#[test]
fn check_of_a_missing_path_is_an_io_error() {
    let run = judgement(&["check", "no/such/folder"]);
    assert_eq!(run.code, 2);
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
    assert!(run
        .stderr
        .starts_with("error: cannot read `no/such/folder`"));
}

// ------------------------------------------------------------------ eval

#[test]
fn eval_prints_one_pretty_outcome() {
    let run = judgement(&["eval", "--ruleset", REAL, &data("full_inspection.json")]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.lines().count() > 10, "pretty printed");
    let outcome: Json = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(outcome["id"], "SC000001-2015-11");
    assert_eq!(outcome["ruleset"]["name"], "childrens_homes");
    assert_eq!(outcome["ruleset"]["version"], "2015-04");
    assert_eq!(outcome["judgements"]["leaders_and_managers"], "inadequate");
    assert_eq!(outcome["judgements"]["overall"], "requires_improvement");
    let actions: Vec<&str> = outcome["actions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["action"].as_str().unwrap())
        .collect();
    assert!(actions.contains(&"urgent_case_review"), "{actions:?}");
    assert!(outcome.get("trace").is_none());
}

#[test]
fn eval_with_trace_includes_the_steps() {
    let run = judgement(&["eval", "-r", REAL, "--trace", &data("full_inspection.json")]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let outcome: Json = serde_json::from_str(&run.stdout).unwrap();
    let steps = outcome["trace"].as_array().unwrap();
    assert!(steps
        .iter()
        .any(|s| s["step"] == "rule" && s["result"] == "fired"));
    assert!(steps.iter().any(|s| s["step"] == "working_days"));
    // A date counted in calendar days (the week-12 clock: 84 days on from
    // the vacancy's start) is a step of its own, with its two ends.
    let days = steps
        .iter()
        .find(|s| s["step"] == "days" && s["deadline"] == "week_12_case_review");
    let days = days.unwrap_or_else(|| panic!("no days step: {steps:#?}"));
    assert_eq!(days["days"], 84);
}

#[test]
fn eval_reads_stdin() {
    let run = judgement_with_input(&["eval", "-r", REAL], Some(&full_inspection().to_string()));
    assert_eq!(run.code, 0, "{}", run.stderr);
    let outcome: Json = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(outcome["judgements"]["overall"], "requires_improvement");
}

#[test]
fn eval_names_each_json_path_that_is_wrong() {
    let mut record = full_inspection();
    record["proposed"]["overall"] = "goood".into();
    record["home"]["secure"] = "yes".into();
    let run = judgement_with_input(&["eval", "-r", REAL, "-"], Some(&record.to_string()));
    assert_eq!(run.code, 1);
    assert!(run.stdout.is_empty());
    assert!(
        run.stderr.contains(
            "error: <stdin>: proposed.overall: expected one of outstanding, good, requires_improvement, inadequate, got \"goood\""
        ),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("error: <stdin>: home.secure: "));
    assert_eq!(run.stderr.lines().count(), 2);
}

#[test]
fn eval_evidence_errors_as_json() {
    let mut record = full_inspection();
    record["proposed"]["overall"] = "goood".into();
    let run = judgement_with_input(
        &["--format", "json", "eval", "-r", REAL],
        Some(&record.to_string()),
    );
    assert_eq!(run.code, 1);
    let problem: Json = serde_json::from_str(run.stderr.trim()).unwrap();
    assert_eq!(problem["severity"], "error");
    assert_eq!(problem["path"], "proposed.overall");
    assert!(problem["message"]
        .as_str()
        .unwrap()
        .starts_with("expected one of"));
}

/// An error evaluating a record (a date computed out of range) as
/// `--format json` gives it: pointing into the rules with `code`
/// `evaluation` for one document, at the input's line for JSON Lines; a
/// field with no value (`help` here) is left out, never `null`.
#[test]
fn an_evaluation_error_as_json_has_no_null_fields() {
    let mut record = full_inspection();
    record["manager"]["absences"] = serde_json::json!([
        {"id": "a1", "start": "0000-01-01", "expected_length": 35, "planned": true}
    ]);
    let one = judgement_with_input(
        &["--format", "json", "eval", "-r", REAL],
        Some(&record.to_string()),
    );
    let lines = judgement_with_input(
        &["--format", "json", "eval", "--input", "jsonl", "-r", REAL],
        Some(&format!("{record}\n")),
    );
    for run in [&one, &lines] {
        assert_eq!(run.code, 1, "{}", run.stderr);
        let problem: Json = serde_json::from_str(run.stderr.trim()).unwrap();
        assert!(
            problem.as_object().unwrap().values().all(|v| !v.is_null()),
            "{problem}"
        );
        assert!(
            problem["message"]
                .as_str()
                .unwrap()
                .contains("out of range"),
            "{problem}"
        );
    }
    let problem: Json = serde_json::from_str(one.stderr.trim()).unwrap();
    assert_eq!(problem["code"], "evaluation", "{problem}");
    assert!(
        problem["file"].as_str().unwrap().ends_with(".rules"),
        "{problem}"
    );
    let problem: Json = serde_json::from_str(lines.stderr.trim()).unwrap();
    assert_eq!(problem["file"], "<stdin>", "{problem}");
    assert_eq!(problem["line"], 1, "{problem}");
}

#[test]
fn eval_reports_bad_json_with_line_and_column() {
    let run = judgement_with_input(
        &["eval", "-r", REAL],
        Some("{\n  \"id\": \"x\",\n  oops\n}\n"),
    );
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.starts_with("error: <stdin>:3:3: not valid JSON"),
        "{}",
        run.stderr
    );
}

#[test]
fn eval_of_empty_input_fails() {
    let run = judgement_with_input(&["eval", "-r", REAL], Some("\n\n"));
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("empty"));
}

#[test]
fn eval_json_lines_keeps_input_order_and_reports_bad_lines() {
    let input = [
        small_record("a", "good"),
        small_record("b", "goood"),
        String::new(),
        "{not json".to_string(),
        small_record("c", "fair"),
    ]
    .join("\n");
    let run = judgement_with_input(&["eval", "-r", &data("small")], Some(&input));
    assert_eq!(run.code, 1, "{}", run.stderr);
    let lines: Vec<Json> = run
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 4, "{}", run.stdout);
    assert_eq!(lines[0]["id"], "a");
    assert_eq!(lines[0]["judgements"]["overall"], "fair");
    assert_eq!(lines[1]["line"], 2);
    assert!(lines[1]["error"]
        .as_str()
        .unwrap()
        .contains("proposed.overall"));
    assert_eq!(lines[2]["line"], 4);
    // The line is the input's; the message says only the column in it.
    assert_eq!(
        lines[2]["error"],
        "not valid JSON (column 2): key must be a string"
    );
    assert_eq!(lines[3]["id"], "c");
    // Each names the input and its line, as a rule file's errors do.
    assert!(run.stderr.contains(
        "error: <stdin>:2: proposed.overall: expected one of good, fair, poor, got \"goood\""
    ));
    assert!(run.stderr.contains("error: <stdin>:4:2: not valid JSON"));
}

#[test]
fn eval_json_lines_in_many_chunks_stay_in_order() {
    let input: Vec<String> = (0..3000)
        .map(|i| small_record(&format!("r{i}"), "good"))
        .collect();
    let run = judgement_with_input(&["eval", "-r", &data("small")], Some(&input.join("\n")));
    assert_eq!(run.code, 0, "{}", run.stderr);
    let ids: Vec<String> = run
        .stdout
        .lines()
        .map(|l| {
            serde_json::from_str::<Json>(l).unwrap()["id"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    let want: Vec<String> = (0..3000).map(|i| format!("r{i}")).collect();
    assert_eq!(ids, want);
}

#[test]
fn eval_jsonl_file_of_one_line_gives_json_lines() {
    let file = tmp_file("one.jsonl", &format!("{}\n", small_record("only", "good")));
    let run = judgement(&["eval", "-r", &data("small"), &file]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout.lines().count(), 1, "compact: {}", run.stdout);
}

#[test]
fn eval_picks_the_edition_in_force_or_the_one_asked_for() {
    let record = small_record("e", "good").replace("2020-03-02", "2019-06-03");
    let run = judgement_with_input(&["eval", "-r", &data("editions")], Some(&record));
    assert_eq!(run.code, 0, "{}", run.stderr);
    let outcome: Json = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(outcome["ruleset"]["version"], "2019-01");

    let run = judgement_with_input(
        &["eval", "-r", &data("editions"), "--edition", "2020-01"],
        Some(&record),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let outcome: Json = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(outcome["ruleset"]["version"], "2020-01");

    let old = record.replace("2019-06-03", "2018-06-04");
    let run = judgement_with_input(&["eval", "-r", &data("editions")], Some(&old));
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("no edition of `small` is in force on 2018-06-04"),
        "{}",
        run.stderr
    );

    let run = judgement_with_input(
        &["eval", "-r", &data("editions"), "--edition", "1999"],
        Some(&record),
    );
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("there is no edition `1999`"));
    // A name of 100,000 characters is shown cut, with its length, as a
    // why-not target is: the error is one line, not the whole argument.
    let long = "x".repeat(100_000);
    let run = judgement_with_input(
        &["eval", "-r", &data("editions"), "--edition", &long],
        Some(&record),
    );
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains(&format!(
            "there is no edition `{}... (100000 characters)`",
            "x".repeat(80)
        )),
        "{}",
        run.stderr
    );
    assert!(run.stderr.len() < 400, "{}", run.stderr.len());
}

#[test]
fn a_path_that_names_nothing_is_told_the_nearest_beside_it() {
    const FULL: &str = "examples/childrens_homes/full_inspection.json";
    // A rule file, a ruleset's folder and an evidence file, each one
    // letter out; for `check`, `eval` and `explain`.
    for (args, meant) in [
        (
            vec!["eval", "-r", "rulesets/childrens_homes/2015-04.rule", FULL],
            "rulesets/childrens_homes/2015-04.rules",
        ),
        (
            vec!["explain", "-r", "rulesets/childrens_home", FULL],
            "rulesets/childrens_homes",
        ),
        (
            vec![
                "eval",
                "-r",
                "rulesets/childrens_homes",
                "examples/childrens_homes/full_inspecton.json",
            ],
            "examples/childrens_homes/full_inspection.json",
        ),
        (
            vec!["check", "rulesets/childrens_homes/2015-04.rule"],
            "rulesets/childrens_homes/2015-04.rules",
        ),
    ] {
        let run = judgement(&args);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
        assert!(
            run.stderr
                .trim_end()
                .ends_with(&format!("; did you mean `{meant}`?")),
            "{args:?}: {}",
            run.stderr
        );
        assert!(Path::new(meant).exists(), "{meant}");
    }
    // Nothing near: no guess.
    let run = judgement(&[
        "eval",
        "-r",
        "rulesets/childrens_homes",
        "nothing-near.json",
    ]);
    assert!(!run.stderr.contains("did you mean"), "{}", run.stderr);
}

#[test]
fn eval_against_a_broken_ruleset_shows_its_errors() {
    let run = judgement_with_input(&["eval", "-r", &data("broken/broken.rules")], Some("{}"));
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("broken.rules:17:8"), "{}", run.stderr);
}

#[test]
fn eval_of_a_missing_file_is_an_io_error() {
    let run = judgement(&["eval", "-r", REAL, "no-such-file.json"]);
    assert_eq!(run.code, 2);
    assert_eq!(run.stderr.lines().count(), 1);
    assert!(run
        .stderr
        .starts_with("error: cannot read `no-such-file.json`"));
}

#[test]
fn eval_stops_quietly_when_the_reader_goes() {
    let mut input = String::new();
    for i in 0..50_000 {
        input.push_str(&small_record(&format!("r{i}"), "good"));
        input.push('\n');
    }
    let (first, code, stderr) = first_line_then_close(&["eval", "-r", &data("small")], input);
    assert!(first.contains("\"r0\""));
    assert_eq!(code, Some(0));
    assert!(stderr.is_empty(), "{stderr}");
}

// ------------------------------------------------------------------ batches

/// The children's homes corpus as evidence records, without `_expect`.
fn corpus_records() -> Vec<Json> {
    let dir = root().join("tests/fixtures/eval/childrens_homes");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|p| {
            let mut record: Json =
                serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap();
            record.as_object_mut().unwrap().remove("_expect");
            record
        })
        .collect()
}

/// The longest line the mixed batch allows (`--max-record-bytes`).
const BATCH_LIMIT: usize = 8_000;

/// A JSON Lines batch of about 3,000 lines: the corpus over and over, each
/// record with an id of its own, and among them blank lines and bad lines
/// of every kind (broken JSON, a wrong value, a date no edition covers,
/// bytes that are not UTF-8, a line longer than `BATCH_LIMIT`). Gives the
/// bytes, and what each line number should print, or `None` for a blank
/// line, computed a record at a time in process.
fn mixed_batch(compact: bool) -> (Vec<u8>, Vec<(usize, String)>) {
    let editions = judgement::Editions::load(&root().join(REAL)).unwrap();
    let records = corpus_records();
    let mut text: Vec<u8> = Vec::new();
    let mut want = Vec::new();
    let mut number = 0;
    for i in 0..3_000 {
        number += 1;
        let line: Vec<u8> = match i % 397 {
            5 => b"{not json".to_vec(),
            50 => b"{\"id\": \"\xff\"}".to_vec(),
            100 => {
                let mut record = records[i % records.len()].clone();
                record["proposed"]["overall"] = Json::String("goood".into());
                record.to_string().into_bytes()
            }
            150 => {
                let mut record = records[i % records.len()].clone();
                record["inspection"]["start"] = Json::String("1999-01-04".into());
                record.to_string().into_bytes()
            }
            200 => format!("{{\"id\": \"{}\"}}", "x".repeat(BATCH_LIMIT)).into_bytes(),
            250 | 251 => Vec::new(),
            _ => {
                let mut record = records[i % records.len()].clone();
                record["id"] = Json::String(format!("batch-{i}"));
                record.to_string().into_bytes()
            }
        };
        text.extend_from_slice(&line);
        text.push(b'\n');
        if line.is_empty() {
            continue;
        }
        // An error line ends with the record's id where the line is one
        // JSON object with an id in text, and is not too long to read.
        let id = serde_json::from_slice::<Json>(&line)
            .ok()
            .and_then(|record| record.get("id")?.as_str().map(str::to_string))
            .filter(|_| line.len() <= BATCH_LIMIT);
        let error = |message: String| {
            let mut error = json!({"line": number, "error": message});
            if let Some(id) = &id {
                error["id"] = json!(id);
            }
            error.to_string()
        };
        let expected = if line.len() > BATCH_LIMIT {
            error(format!("the line is longer than {BATCH_LIMIT} bytes, the most one record may be; raise the limit with `--max-record-bytes`"))
        } else if let Ok(line) = std::str::from_utf8(&line) {
            match judgement::parse_json(line)
                .and_then(|json| editions.evaluate(&json, judgement::EvalOptions::default()))
            {
                Ok(outcome) if compact => serde_json::to_string(&outcome.compact()).unwrap(),
                Ok(outcome) => serde_json::to_string(&outcome).unwrap(),
                Err(judgement::EvalError::Evidence(errors)) => error(
                    errors
                        .iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join("; "),
                ),
                // The line is the object's: the message gives the column.
                Err(judgement::EvalError::Json {
                    column, message, ..
                }) => error(format!("not valid JSON (column {column}): {message}")),
                Err(e) => error(e.to_string()),
            }
        } else {
            let valid = std::str::from_utf8(&line).unwrap_err().valid_up_to();
            let before = std::str::from_utf8(&line[..valid]).unwrap();
            error(format!(
                "not valid UTF-8 at column {} (byte {} is not)",
                before.chars().count() + 1,
                valid + 1
            ))
        };
        want.push((number, expected));
    }
    (text, want)
}

fn tmp_bytes(name: &str, bytes: &[u8]) -> String {
    let path = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    std::fs::write(&path, bytes).unwrap();
    path.display().to_string()
}

/// The output of a batch does not depend on the number of threads: with 1,
/// 2 and 7 it is what evaluating a record at a time gives, line for line,
/// and the messages on stderr are the same.
#[test]
fn eval_output_is_the_same_whatever_the_number_of_threads() {
    let limit = BATCH_LIMIT.to_string();
    for compact in [false, true] {
        let (text, want) = mixed_batch(compact);
        let file = tmp_bytes(&format!("mixed-{compact}.jsonl"), &text);
        let want: String = want.iter().map(|(_, line)| format!("{line}\n")).collect();
        let mut stderr: Option<String> = None;
        for threads in ["1", "2", "7"] {
            let mut args = vec![
                "eval",
                "-r",
                REAL,
                &file,
                "--max-record-bytes",
                &limit,
                "--threads",
                threads,
            ];
            if compact {
                args.push("--compact");
            }
            let run = judgement(&args);
            assert_eq!(run.code, 1, "threads {threads}: {}", run.stderr);
            assert!(
                run.stdout == want,
                "threads {threads}, compact {compact}: the output differs from a record at a time"
            );
            match &stderr {
                None => stderr = Some(run.stderr),
                Some(first) => assert_eq!(&run.stderr, first, "threads {threads}"),
            }
        }
    }
}

/// A JSON Lines record that gives no outcome gives its id on its error
/// line, after the error, where the id can be read as an outcome echoes it
/// (text, or a whole number written as text); not where the line is not
/// JSON, or the id is absent, null, written twice or a number that is not
/// whole (which is itself the error). The same lines from the library.
#[test]
fn eval_error_lines_carry_the_record_id_where_it_can_be_read() {
    let lines = [
        (
            r#"{"id": "a7", "inspection": {"kind": "full"}}"#,
            Some("a7"),
        ),
        (r#"{"id": 12, "inspection": {"kind": "full"}}"#, Some("12")),
        (r#"{"inspection": {"kind": "full"}}"#, None),
        (r#"{"id": null, "inspection": {"kind": "full"}}"#, None),
        (r#"{"id": 1.5}"#, None),
        (r#"{"id": -0}"#, None),
        (r#"{"id": "a", "id": "b"}"#, None),
        (r#"{"id": "a8", "inspection": "#, None),
        (r#"["id", "a9"]"#, None),
    ];
    let input: String = lines.iter().map(|(l, _)| format!("{l}\n")).collect();
    let run = judgement_with_input(&["eval", "-r", REAL, "--input", "jsonl", "-"], Some(&input));
    assert_eq!(run.code, 1, "{}", run.stderr);
    let out: Vec<Json> = run
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(out.len(), lines.len(), "{}", run.stdout);
    for (i, ((line, id), error)) in lines.iter().zip(&out).enumerate() {
        assert_eq!(error["line"], i + 1, "{line}: {error}");
        assert!(error["error"].is_string(), "{line}: {error}");
        match id {
            Some(id) => {
                assert_eq!(error["id"], *id, "{line}: {error}");
                let keys: Vec<&String> = error.as_object().unwrap().keys().collect();
                assert_eq!(keys, ["line", "error", "id"], "{line}: {error}");
            }
            None => assert!(error.get("id").is_none(), "{line}: {error}"),
        }
    }
    let engine = judgement::embed::Engine::load(&root().join(REAL)).unwrap();
    let library = engine
        .evaluate_lines(&input, &judgement::embed::Options::default())
        .unwrap();
    assert_eq!(library.output, run.stdout);
    assert_eq!(library.failed, lines.len());
}

/// Each failed line is reported on stderr with its own line number (blank
/// lines counted), in input order, under many threads.
#[test]
fn eval_errors_under_threads_name_their_lines() {
    let (text, want) = mixed_batch(false);
    let file = tmp_bytes("mixed-errors.jsonl", &text);
    let failed: Vec<u64> = want
        .iter()
        .filter(|(_, line)| line.starts_with("{\"line\""))
        .map(|(n, _)| *n as u64)
        .collect();
    assert!(failed.len() >= 30, "{failed:?}");
    let limit = BATCH_LIMIT.to_string();
    let run = judgement(&[
        "--format",
        "json",
        "eval",
        "-r",
        REAL,
        &file,
        "--max-record-bytes",
        &limit,
        "--threads",
        "7",
    ]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let mut reported: Vec<u64> = run
        .stderr
        .lines()
        .map(|l| {
            serde_json::from_str::<Json>(l).unwrap()["line"]
                .as_u64()
                .unwrap()
        })
        .collect();
    // An evidence error may name several paths of one line.
    reported.dedup();
    assert_eq!(reported, failed);
    let printed: Vec<u64> = output_lines(&run.stdout)
        .iter()
        .filter_map(|o| o["line"].as_u64())
        .collect();
    assert_eq!(printed, failed);
}

/// `judgement_cli::eval_json_lines`, the batch path in process (for benches
/// and embedders), prints what the binary prints and counts the failures.
#[test]
fn the_batch_path_in_process_prints_what_the_binary_prints() {
    let editions = judgement::Editions::load(&root().join(REAL)).unwrap();
    let records = corpus_records();
    let mut text = String::new();
    for i in 0..600 {
        let mut record = records[i % records.len()].clone();
        record["id"] = Json::String(format!("p-{i}"));
        text.push_str(&record.to_string());
        text.push('\n');
        if i % 250 == 7 {
            text.push_str("{\"id\": 7}\n");
        }
    }
    let file = tmp_file("in-process.jsonl", &text);
    for compact in [false, true] {
        let mut out = Vec::new();
        let threads = std::num::NonZeroUsize::new(3).unwrap();
        let input = Box::new(std::io::Cursor::new(text.clone().into_bytes()));
        let failed =
            judgement_cli::eval_json_lines(&editions, input, &mut out, threads, compact).unwrap();
        assert_eq!(failed, 3);
        let mut args = vec!["eval", "-r", REAL, &file];
        if compact {
            args.push("--compact");
        }
        let run = judgement(&args);
        assert_eq!(run.code, 1);
        assert!(
            String::from_utf8(out).unwrap() == run.stdout,
            "compact {compact}"
        );
    }
}

/// A number of threads the system could not start is refused before any
/// is started, not a crash: 100,000 once aborted `eval`.
#[test]
fn eval_threads_has_a_ceiling() {
    let file = tmp_file(
        "threads_max.jsonl",
        &format!("{}\n", small_record("t", "good")),
    );
    for many in ["257", "100000", "99999999999"] {
        let run = judgement(&["eval", "-r", &data("small"), &file, "--threads", many]);
        assert_eq!(run.code, 2, "{many}: {}", run.stderr);
        assert!(run.stderr.contains("at most 256 threads"), "{}", run.stderr);
        assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    }
    let run = judgement(&["eval", "-r", &data("small"), &file, "--threads", "256"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn eval_threads_must_be_at_least_one() {
    let file = tmp_file("threads.jsonl", &format!("{}\n", small_record("t", "good")));
    let run = judgement(&["eval", "-r", &data("small"), &file, "--threads", "0"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("at least one thread"), "{}", run.stderr);
    assert!(run.stdout.is_empty());
    assert_eq!(
        judgement(&["eval", "-r", &data("small"), &file, "--threads", "two"]).code,
        2
    );
    let run = judgement(&["eval", "-r", &data("small"), &file, "--threads", "3"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn eval_compact_with_trace_is_a_usage_error() {
    let run = judgement(&[
        "eval",
        "-r",
        REAL,
        &data("full_inspection.json"),
        "--compact",
        "--trace",
    ]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("--compact"), "{}", run.stderr);
    assert!(run.stdout.is_empty());
}

/// `--compact` on one document: the compact form, pretty like the full one.
#[test]
fn eval_compact_of_one_document() {
    let run = judgement(&[
        "eval",
        "-r",
        REAL,
        &data("full_inspection.json"),
        "--compact",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.lines().count() > 1, "pretty: {}", run.stdout);
    let compact: Json = serde_json::from_str(&run.stdout).unwrap();
    let full: Json = serde_json::from_str(
        &judgement(&["eval", "-r", REAL, &data("full_inspection.json")]).stdout,
    )
    .unwrap();
    assert_eq!(compact["judgements"], full["judgements"]);
    assert_eq!(compact["ruleset"]["name"], "childrens_homes");
    assert!(compact["ruleset"].get("digest").is_none());
    for key in ["details", "trace", "evaluated_on"] {
        assert!(compact.get(key).is_none(), "{key}");
    }
    let actions = compact["actions"].as_array().unwrap();
    assert_eq!(actions.len(), full["actions"].as_array().unwrap().len());
    assert!(actions
        .iter()
        .all(|a| a.get("cite").is_none() && a.get("rule").is_some()));
}

// ------------------------------------------------------------------ input

/// The lines of a JSON Lines output, parsed: a run's outcome lines, or
/// the problems `--format json` writes on stderr.
fn output_lines(text: &str) -> Vec<Json> {
    text.lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// However many broken lines lead it, standard input whose first line is
/// not a lone `{` or `[` is JSON Lines: each broken line costs only itself
/// (issue 6 item 7: the format is not guessed from the lines' content).
#[test]
fn broken_lines_leading_stdin_cost_only_themselves() {
    let small = data("small");
    for broken in [
        "{\"id\": \"r0\", \"visit\": {\"start\": \"2020-03\n",
        "{\"id\": \"r0\", \n\"visit\": {\n",
    ] {
        let mut input = broken.to_string();
        for i in 1..=3 {
            input.push_str(&small_record(&format!("r{i}"), "good"));
            input.push('\n');
        }
        let run = judgement_with_input(&["eval", "-r", &small], Some(&input));
        assert_eq!(run.code, 1, "{}", run.stderr);
        let lines = output_lines(&run.stdout);
        let bad = broken.lines().count();
        assert_eq!(lines.len(), bad + 3, "{}", run.stdout);
        for (n, line) in lines.iter().take(bad).enumerate() {
            assert_eq!(line["line"], n + 1, "{line}");
            assert!(
                line["error"].as_str().unwrap().contains("not valid JSON"),
                "{line}"
            );
        }
        for (k, line) in lines.iter().skip(bad).enumerate() {
            assert_eq!(line["id"], format!("r{}", k + 1), "{line}");
        }
    }
}

/// Pretty-printed JSON begins with a lone bracket: one document, from the
/// tools that write it so; laid out otherwise it is read with `--input json`.
#[test]
fn a_document_laid_out_otherwise_is_read_with_input_json() {
    let small = data("small");
    let record: Json = serde_json::from_str(&small_record("r1", "good")).unwrap();
    let pretty = serde_json::to_string_pretty(&record).unwrap();
    let indented = pretty.replacen("{\n  ", "{ ", 1);
    let run = judgement_with_input(&["eval", "-r", &small, "--input", "json"], Some(&indented));
    assert_eq!(run.code, 0, "{}", run.stderr);
    let outcome: Json = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(outcome["id"], "r1");
    let run = judgement_with_input(&["eval", "-r", &small], Some(&pretty));
    assert_eq!(run.code, 0, "{}", run.stderr);
    let outcome: Json = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(outcome["id"], "r1");
    // Without `--input json`, its lines are JSON Lines, each broken, and
    // the first one, which opens an object it does not close, gets the
    // help that names `--input json`, once, after the lines' errors.
    let run = judgement_with_input(&["eval", "-r", &small], Some(&indented));
    assert_eq!(run.code, 1, "{}", run.stderr);
    let last = run.stderr.lines().last().unwrap();
    assert!(
        last.starts_with("help: <stdin>: the first line opens a JSON value that it does not close")
            && last.ends_with("pass `--input json`"),
        "{}",
        run.stderr
    );
    assert_eq!(
        run.stderr.matches("--input json").count(),
        1,
        "{}",
        run.stderr
    );
    let run = judgement_with_input(&["--format", "json", "eval", "-r", &small], Some(&indented));
    let last: Json = serde_json::from_str(run.stderr.lines().last().unwrap()).unwrap();
    assert_eq!(last["severity"], "advice", "{last}");
    assert_eq!(last["file"], "<stdin>", "{last}");
    // Lines that are each broken but whole, or a first line that closes
    // what it opens, get no such help: they are JSON Lines as they look.
    let whole_but_broken = format!(
        "{{\"id\": x}}\n{}\n{{\"id\": y}}\n",
        small_record("r1", "good")
    );
    let run = judgement_with_input(&["eval", "-r", &small], Some(&whole_but_broken));
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(!run.stderr.contains("--input json"), "{}", run.stderr);
    let first_good_then_cut = format!("{}\n{{\"id\": \"r2\",\n", small_record("r1", "good"));
    let run = judgement_with_input(&["eval", "-r", &small], Some(&first_good_then_cut));
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(!run.stderr.contains("--input json"), "{}", run.stderr);
}

#[test]
fn pretty_json_on_stdin_is_one_document() {
    let pretty = serde_json::to_string_pretty(&full_inspection()).unwrap();
    let run = judgement_with_input(&["eval", "-r", REAL], Some(&pretty));
    assert_eq!(run.code, 0, "{}", run.stderr);
    let outcome: Json = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(outcome["judgements"]["overall"], "requires_improvement");
    // With a byte-order mark before it, as the same text in a file is read;
    // before, its first line was taken for a broken JSON Lines record.
    let marked = format!("\u{feff}{pretty}");
    let run = judgement_with_input(&["eval", "-r", REAL], Some(&marked));
    assert_eq!(run.code, 0, "{}", run.stderr);
    let outcome: Json = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(outcome["judgements"]["overall"], "requires_improvement");
}

#[test]
fn the_input_format_can_be_named() {
    let small = data("small");
    let two = format!(
        "{}\n{}\n",
        small_record("a", "good"),
        small_record("b", "good")
    );
    // A file not named `.jsonl` is one document, unless `--input jsonl` says otherwise.
    let file = tmp_file("two_records.json", &two);
    let run = judgement(&["eval", "-r", &small, &file]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("more than one JSON record"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("--input jsonl"), "{}", run.stderr);
    let run = judgement(&["eval", "-r", &small, "--input", "jsonl", &file]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(output_lines(&run.stdout).len(), 2);
    // Stdin that looks like JSON Lines can still be read as one document.
    let run = judgement_with_input(&["eval", "-r", &small, "--input", "json"], Some(&two));
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("more than one JSON record"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_record_longer_than_the_limit_is_refused_and_the_rest_read() {
    let small = data("small");
    let mut long = small_record("long", "good");
    long.insert_str(1, &format!("\"padding\": \"{}\", ", "x".repeat(5000)));
    let input = format!(
        "{}\n{long}\n{}\n",
        small_record("a", "good"),
        small_record("b", "good")
    );
    let run = judgement_with_input(
        &[
            "eval",
            "-r",
            &small,
            "--input",
            "jsonl",
            "--max-record-bytes",
            "1000",
        ],
        Some(&input),
    );
    assert_eq!(run.code, 1);
    let lines = output_lines(&run.stdout);
    assert_eq!(lines.len(), 3, "{}", run.stdout);
    assert_eq!(lines[0]["id"], "a");
    assert_eq!(lines[1]["line"], 2);
    assert!(
        lines[1]["error"]
            .as_str()
            .unwrap()
            .contains("longer than 1000 bytes"),
        "{}",
        lines[1]
    );
    assert_eq!(lines[2]["id"], "b");
    // One document over the limit is refused without reading all of it:
    // a record refused (exit 1), as the line over it is.
    let file = tmp_file("long_record.json", &long);
    for args in [
        vec!["eval", "-r", &small, "--max-record-bytes", "1000", &file],
        vec!["explain", "-r", &small, "--max-record-bytes", "1000", &file],
    ] {
        let run = judgement(&args);
        assert_eq!(run.code, 1, "{}", run.stderr);
        assert!(
            run.stderr.contains("longer than 1000 bytes"),
            "{}",
            run.stderr
        );
        assert!(run.stderr.contains("--max-record-bytes"), "{}", run.stderr);
    }
}

#[test]
fn the_record_limit_is_exact_and_does_not_count_the_line_ending() {
    let small = data("small");
    let record = small_record("a", "good");
    let exact = record.len().to_string();
    let under = (record.len() - 1).to_string();
    let input = format!("{record}\r\n{record}\n");
    let run = judgement_with_input(
        &[
            "eval",
            "-r",
            &small,
            "--input",
            "jsonl",
            "--max-record-bytes",
            &exact,
        ],
        Some(&input),
    );
    assert_eq!(run.code, 0, "{}", run.stdout);
    let run = judgement_with_input(
        &[
            "eval",
            "-r",
            &small,
            "--input",
            "jsonl",
            "--max-record-bytes",
            &under,
        ],
        Some(&input),
    );
    assert_eq!(run.code, 1);
    assert!(output_lines(&run.stdout).iter().all(|l| l["error"]
        .as_str()
        .is_some_and(|e| e.contains(&format!("longer than {under} bytes")))));
}

// ------------------------------------------------------------------ blocks

/// A record of the small ruleset exactly `len` bytes long, its id `tag`
/// padded with `x`.
fn record_of_len(tag: &str, len: usize) -> String {
    let base = small_record(tag, "good");
    assert!(len >= base.len(), "{len} < {}", base.len());
    small_record(&format!("{tag}{}", "x".repeat(len - base.len())), "good")
}

/// Run `eval` of a `.jsonl` file with 1, 2 and 3 threads; each run must
/// print the same bytes on stdout and on stderr and exit the same way.
fn eval_file_on_threads(name: &str, text: &[u8], extra: &[&str]) -> Run {
    let file = tmp_bytes(name, text);
    let mut first: Option<Run> = None;
    for threads in ["1", "2", "3"] {
        let mut args = vec!["eval", "-r", "tests/fixtures/cli/small", &file];
        args.extend_from_slice(extra);
        args.extend_from_slice(&["--threads", threads]);
        let run = judgement(&args);
        match &first {
            None => first = Some(run),
            Some(one) => {
                assert!(
                    one.stdout == run.stdout,
                    "{name}: stdout, threads {threads}"
                );
                assert_eq!(one.stderr, run.stderr, "{name}: stderr, threads {threads}");
                assert_eq!(one.code, run.code, "{name}: exit code, threads {threads}");
            }
        }
    }
    first.unwrap()
}

/// What each output line says: the record's id, or `line N` for an error.
fn ids_and_errors(stdout: &str) -> Vec<String> {
    output_lines(stdout)
        .iter()
        .map(|o| match o["line"].as_u64() {
            Some(n) => format!("line {n}"),
            None => o["id"].as_str().unwrap().to_string(),
        })
        .collect()
}

/// The batch reader reads blocks of about 128 KiB and the workers number
/// the lines: across many blocks, blank lines (empty, spaces, `\r\n`)
/// still count, CRLF endings are dropped, bad lines are reported by their
/// own number, and a last line without a line ending is read; records
/// longer than a block are read whole.
#[test]
fn a_batch_numbers_its_lines_exactly_across_blocks() {
    let mut text = String::new();
    let mut want = Vec::new();
    for i in 0..6_000usize {
        let number = i + 1;
        let (line, expect) = match i % 101 {
            3 => (String::new(), None),
            4 => ("  \t ".to_string(), None),
            5 => ("\r".to_string(), None),
            17 => ("{not json".to_string(), Some(format!("line {number}"))),
            // Longer than a block: read on into a larger one.
            60 if i % 7 == 0 => (
                record_of_len(&format!("long{i}-"), 300_000),
                Some(format!("long{i}-")),
            ),
            _ => (
                small_record(&format!("r{i}"), "good"),
                Some(format!("r{i}")),
            ),
        };
        text.push_str(&line);
        if i + 1 < 6_000 {
            text.push_str(if i % 3 == 0 { "\r\n" } else { "\n" });
        }
        want.extend(expect);
    }
    assert!(text.len() > 10 * (128 << 10), "{}", text.len());
    let run = eval_file_on_threads("blocks.jsonl", text.as_bytes(), &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let got: Vec<String> = ids_and_errors(&run.stdout)
        .into_iter()
        .map(|id| match id.find('-') {
            Some(at) if id.starts_with("long") => id[..=at].to_string(),
            _ => id,
        })
        .collect();
    assert_eq!(got, want);
    let reported: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(reported.len(), 60, "{}", run.stderr);
    assert!(
        reported[0].contains("blocks.jsonl:18:2: not valid JSON"),
        "{}",
        reported[0]
    );
}

/// The limit on a record is exact wherever the line falls in a block, with
/// either line ending and without one at the end; a line past the limit
/// that spans several blocks is refused, and the lines after it are read.
#[test]
fn the_record_limit_is_exact_across_blocks() {
    let limit = 200_000;
    let exact = record_of_len("exact-", limit);
    let over = record_of_len("over-", limit + 1);
    let far_over = record_of_len("far-", 5 * limit);
    let mut text = String::new();
    let mut want = Vec::new();
    for i in 0..2_000usize {
        let number = i + 1;
        let (line, expect) = match i % 400 {
            10 => (exact.clone(), "exact-".to_string()),
            11 => (over.clone(), format!("line {number}")),
            12 => (far_over.clone(), format!("line {number}")),
            // Blank but past the limit: refused, not skipped.
            13 => (" ".repeat(limit + 1), format!("line {number}")),
            _ => (small_record(&format!("r{i}"), "good"), format!("r{i}")),
        };
        text.push_str(&line);
        text.push_str(if i % 2 == 0 { "\r\n" } else { "\n" });
        want.push(expect);
    }
    text.push_str(&exact);
    want.push("exact-".to_string());
    let limit_arg = limit.to_string();
    let run = eval_file_on_threads(
        "limit-blocks.jsonl",
        text.as_bytes(),
        &["--max-record-bytes", &limit_arg],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    let got: Vec<String> = ids_and_errors(&run.stdout)
        .into_iter()
        .map(|id| {
            if id.starts_with("exact-") {
                "exact-".to_string()
            } else {
                id
            }
        })
        .collect();
    assert_eq!(got, want);
    assert_eq!(run.stderr.lines().count(), 15, "{}", run.stderr);
    assert!(run
        .stderr
        .lines()
        .all(|l| l.contains(&format!("longer than {limit} bytes"))));
    // The same line one byte under the limit is read.
    let under = (limit - 1).to_string();
    let run = eval_file_on_threads(
        "limit-under.jsonl",
        format!("{exact}\n{}\n", small_record("b", "good")).as_bytes(),
        &["--max-record-bytes", &under],
    );
    assert_eq!(ids_and_errors(&run.stdout), ["line 1", "b"]);
}

/// Only blank lines, as many as fill several blocks: an empty batch, or,
/// after one record, that record alone; a last line without a line ending
/// after them is still read, with its number.
#[test]
fn blank_lines_fill_blocks_and_print_nothing() {
    let blank = " \n\r\n\n\t\n".repeat(100_000);
    let run = eval_file_on_threads("blank.jsonl", blank.as_bytes(), &[]);
    assert_eq!(
        (run.code, run.stdout.as_str(), run.stderr.as_str()),
        (0, "", "")
    );
    let text = format!("{}\n{blank}{{broken", small_record("a", "good"));
    let run = eval_file_on_threads("blank-then-broken.jsonl", text.as_bytes(), &[]);
    assert_eq!(run.code, 1);
    assert_eq!(ids_and_errors(&run.stdout), ["a", "line 400002"]);
}

/// A reader that gives `text` up to `fails_at`, then fails.
struct FailingReader {
    text: Vec<u8>,
    at: usize,
    fails_at: usize,
}

impl std::io::Read for FailingReader {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.at >= self.fails_at {
            return Err(std::io::Error::other("the disk is on fire"));
        }
        let n = buf.len().min(self.fails_at - self.at);
        buf[..n].copy_from_slice(&self.text[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

/// An error reading the input in the middle of a line: the lines read
/// whole before it are evaluated and written, the line it cuts is not, and
/// the error is given, whatever the number of threads.
#[test]
fn a_read_error_keeps_the_lines_read_before_it() {
    let editions = judgement::Editions::load(&root().join("tests/fixtures/cli/small")).unwrap();
    let mut text = String::new();
    let mut starts = Vec::new();
    for i in 0..5_000 {
        starts.push(text.len());
        text.push_str(&small_record(&format!("r{i}"), "good"));
        text.push('\n');
    }
    // In the middle of line 3,001, well past the first block.
    let fails_at = starts[3_000] + 10;
    for threads in [1, 2, 3] {
        let reader = FailingReader {
            text: text.clone().into_bytes(),
            at: 0,
            fails_at,
        };
        let mut out = Vec::new();
        let threads = std::num::NonZeroUsize::new(threads).unwrap();
        let error = judgement_cli::eval_json_lines(
            &editions,
            Box::new(std::io::BufReader::new(reader)),
            &mut out,
            threads,
            true,
        )
        .unwrap_err();
        assert!(error.to_string().contains("the disk is on fire"), "{error}");
        let ids = ids_and_errors(&String::from_utf8(out).unwrap());
        let want: Vec<String> = (0..3_000).map(|i| format!("r{i}")).collect();
        assert_eq!(ids, want, "threads {threads}");
    }
}

// ------------------------------------------------------------------ explain

#[test]
fn explain_says_what_happened_and_why() {
    let run = judgement(&["explain", "--ruleset", REAL, &data("full_inspection.json")]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = words(&run.stdout);
    assert!(
        text.contains("Ruleset childrens_homes, edition 2015-04"),
        "{text}"
    );
    assert!(text.contains("calendar england_and_wales"));
    assert!(
        text.contains(
            "Overall: requires improvement. Proposed good; lowered by rule leadership_limits_overall (para 104): at most requires improvement."
        ),
        "{text}"
    );
    assert!(text.contains("Leaders and managers: inadequate. Proposed good; lowered by rule vacancy_forces_inadequate_leadership (Annex N para 19)"));
    assert!(text.contains(
        "The handbook: \"Where there has been a registered manager vacancy of 26 weeks or more"
    ));
    assert!(text.contains("Reading taken:"));
    assert!(text.contains("Interim: not made at this inspection"));
    assert!(text.contains("Urgent case review: required by rule vacancy_26_weeks (Annex N para 2)"));
    assert!(text.contains("Draft report: "));
    assert!(
        text.contains(
            "2016-01-04 is 10 working days after 2015-12-16, skipping 6 weekend days and the bank \
             holidays 2015-12-25 (Christmas Day), 2015-12-28 (Boxing Day (substitute day)) and \
             2016-01-01 (New Year's Day)."
        ),
        "{text}"
    );
    assert!(text.contains("overall is likely to be inadequate"));
    assert!(
        text.contains("vacancy = 183 days (defined as inspection.start - manager.vacant_since)")
    );
    assert!(text.contains("read manager.vacant_since = 2015-05-10, vacancy = 183 days"));
}

#[test]
fn explain_shows_the_working_of_action_dues_and_of_dates_a_let_names() {
    // Annex C para 10: the DCS email is due by the next working day after
    // feedback on Christmas Eve; an action's due date shows its working too.
    let mut record = full_inspection();
    record["inspection"] = serde_json::json!({
        "kind": "full", "start": "2015-12-22", "end": "2015-12-24", "feedback": "2015-12-24"
    });
    record["proposed"]["overall"] = "inadequate".into();
    record["proposed"]["helped_and_protected"] = "inadequate".into();
    let file = tmp_file("email_dcs_christmas.json", &record.to_string());
    let run = judgement(&["explain", "-r", REAL, &file]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = words(&run.stdout);
    assert!(
        text.contains(
            "due by 2015-12-29. 2015-12-29 is 1 working day after 2015-12-24, skipping 2 weekend \
             days and the bank holidays 2015-12-25 (Christmas Day) and 2015-12-28 (Boxing Day \
             (substitute day))."
        ),
        "{text}"
    );
    // VAA para 9: `notice_by` is a `let` (start - 10 working days); the
    // deadline shows the working of the let's expression.
    let record = serde_json::json!({
        "id": "vaa-notice-christmas",
        "inspection": {"kind": "full", "notice_given": "2016-12-22", "start": "2017-01-09",
                       "end": "2017-01-13", "feedback": "2017-01-13"},
        "agency": {"registered": "2010-05-01", "adopters_approved": 12,
                   "adopters_in_assessment": 3, "concerns": false},
        "proposed": {"overall_effectiveness": "good"}
    });
    let file = tmp_file("vaa_notice_christmas.json", &record.to_string());
    let run = judgement(&[
        "explain",
        "-r",
        "rulesets/voluntary_adoption_agencies",
        &file,
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = words(&run.stdout);
    assert!(
        text.contains(
            "Notice by: 2016-12-21, by rule notice_deadline (para 9). 2016-12-21 is 10 working \
             days before 2017-01-09, skipping 6 weekend days and the bank holidays 2016-12-26 \
             (Boxing Day), 2016-12-27 (Christmas Day (substitute day)) and 2017-01-02 (New \
             Year's Day (substitute day))."
        ),
        "{text}"
    );
}

/// A date counted in a let from another let's count shows both counts;
/// a count inside `earliest ... for v in visits`, made for each visit, is
/// not shown with a `for each` rule's element in the visit's place (it was
/// shown from the wrong date, and could fail where eval did not).
#[test]
fn explain_shows_a_chain_of_counts_and_no_count_made_for_each_element() {
    let rules = "ruleset wd \"Working days\"
  in force from 2015-04-01
  calendar england_and_wales

record visit
  id: text
  date: date

evidence
  inspection.end: date
  visits: list of visit default empty
  others: list of visit default empty

let base = inspection.end + 2 working days
let report_due = base + 3 working days
let first_due = earliest v.date + 5 working days for v in visits

rule r1 \"para 1\"
  then deadline report = report_due

rule r2 \"para 2\"
  for each o in others
  when first_due is set
  then deadline first = first_due
";
    let dir = dir_with_calendar("chain_of_counts");
    std::fs::write(dir.join("wd.rules"), rules).unwrap();
    let evidence = json!({
        "inspection": {"end": "2015-12-23"},
        "visits": [{"id": "a", "date": "2016-03-01"}, {"id": "b", "date": "2015-12-24"}],
        "others": [{"id": "x", "date": "2015-12-25"}]
    });
    std::fs::write(dir.join("wd.json"), evidence.to_string()).unwrap();
    let ruleset = dir.join("wd.rules").display().to_string();
    let record = dir.join("wd.json").display().to_string();
    let run = judgement(&["explain", "-r", &ruleset, &record]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = words(&run.stdout);
    assert!(
        text.contains(
            "Report: 2016-01-04, by rule r1 (para 1). 2015-12-29 is 2 working days after \
             2015-12-23, skipping 2 weekend days and the bank holidays 2015-12-25 (Christmas \
             Day) and 2015-12-28 (Boxing Day (substitute day)). 2016-01-04 is 3 working days \
             after 2015-12-29, skipping 2 weekend days and the bank holiday 2016-01-01 (New \
             Year's Day)."
        ),
        "{text}"
    );
    assert!(
        text.contains("First for visit x: 2016-01-05, by rule r2"),
        "{text}"
    );
    assert!(!text.contains("working days after 2015-12-25"), "{text}");
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

/// A date a number of calendar months from another is worked like a count
/// of working days: the step, and the month's last day where it has no
/// such day; a working-day count from it follows; months back say
/// "before". The trace holds each step as `months`.
#[test]
fn explain_shows_the_working_of_calendar_months() {
    let rules = "ruleset m \"Months\"
  in force from 2012-01-01
  calendar england_and_wales

evidence
  inspection.end: date

let review = inspection.end + 3 months

rule r1 \"para 1\"
  then deadline review = review

rule r2 \"para 2\"
  then deadline follow_up = review + 2 working days

rule r3 \"para 3\"
  then deadline look_back = inspection.end - 1 months
";
    let dir = dir_with_calendar("calendar_months");
    std::fs::write(dir.join("m.rules"), rules).unwrap();
    for (end, words_expected) in [
        (
            "2012-08-31",
            [
                "Review: 2012-11-30, by rule r1 (para 1). 2012-11-30 is 3 calendar months after \
                 2012-08-31: November has no 31st, so its last day.",
                "Follow up: 2012-12-04, by rule r2 (para 2). 2012-11-30 is 3 calendar months \
                 after 2012-08-31: November has no 31st, so its last day. 2012-12-04 is 2 working \
                 days after 2012-11-30, skipping 2 weekend days.",
                "Look back: 2012-07-31, by rule r3 (para 3). 2012-07-31 is 1 calendar month \
                 before 2012-08-31.",
            ],
        ),
        (
            "2012-08-15",
            [
                "Review: 2012-11-15, by rule r1 (para 1). 2012-11-15 is 3 calendar months after \
                 2012-08-15.",
                "Follow up: 2012-11-19, by rule r2 (para 2). 2012-11-15 is 3 calendar months \
                 after 2012-08-15. 2012-11-19 is 2 working days after 2012-11-15, skipping 2 \
                 weekend days.",
                "Look back: 2012-07-15, by rule r3 (para 3). 2012-07-15 is 1 calendar month \
                 before 2012-08-15.",
            ],
        ),
    ] {
        let evidence = json!({"inspection": {"end": end}});
        std::fs::write(dir.join("m.json"), evidence.to_string()).unwrap();
        let ruleset = dir.join("m.rules").display().to_string();
        let record = dir.join("m.json").display().to_string();
        let run = judgement(&["explain", "-r", &ruleset, &record]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        let text = words(&run.stdout);
        for expected in words_expected {
            assert!(text.contains(&words(expected)), "{expected}\n{text}");
        }
    }
    let run = judgement(&[
        "eval",
        "--trace",
        "-r",
        &dir.join("m.rules").display().to_string(),
        &dir.join("m.json").display().to_string(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let outcome: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let steps: Vec<&serde_json::Value> = outcome["trace"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["step"] == "months")
        .collect();
    assert!(
        steps.contains(&&json!({
            "step": "months", "rule": "r3", "cite": "para 3", "deadline": "look_back",
            "start": "2012-08-15", "months": -1, "end": "2012-07-15", "clamped": false
        })),
        "{steps:?}"
    );
}

#[test]
fn explain_names_the_rule_that_withholds_a_judgement() {
    let mut record = full_inspection();
    record["inspection"]["kind"] = "interim".into();
    record["home"]["first_inspection_since_registration"] = true.into();
    record["home"]["children_placed"] = 0.into();
    record["manager"] = serde_json::json!({});
    record["proposed"] = serde_json::json!({"interim": "sustained_effectiveness"});
    let file = tmp_file("withheld.json", &record.to_string());
    let run = judgement(&["explain", "-r", REAL, &file]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = words(&run.stdout);
    assert!(
        text.contains("Interim: no judgement is made. Proposed sustained effectiveness; withheld by rule no_children_at_first_inspection (Annex G paras 1-2)."),
        "{text}"
    );
    assert!(!text.contains("fired and set it to"), "{text}");
    // A rule that fired and would have set the judgement is named, with
    // what it said, where the withholding set it aside.
    record["manager"] = serde_json::json!({"vacant_since": "2015-01-01"});
    let file = tmp_file("withheld_vacancy.json", &record.to_string());
    let run = judgement(&["explain", "-r", REAL, &file]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = words(&run.stdout);
    assert!(
        text.contains("Rule vacancy_forces_declined_interim (Annex N para 19) fired and set it to declined in effectiveness; with no judgement made, that has no effect."),
        "{text}"
    );
}

#[test]
fn explain_of_json_lines_says_to_use_eval() {
    let run = judgement(&[
        "explain",
        "-r",
        REAL,
        "examples/childrens_homes/batch.jsonl",
    ]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(
        run.stderr,
        "error: `examples/childrens_homes/batch.jsonl` holds more than one JSON record (JSON \
         Lines), and `explain` explains one; use `judgement eval` for many\n"
    );
    assert!(run.stdout.is_empty());
    // One record then a broken one is JSON Lines too; one record then
    // anything else is a broken record.
    let file = tmp_file("two.json", &format!("{}\n{{\"id\": ", full_inspection()));
    let run = judgement(&["explain", "-r", REAL, &file]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("use `judgement eval`"),
        "{}",
        run.stderr
    );
    let file = tmp_file("trailing.json", &format!("{}\n]", full_inspection()));
    let run = judgement(&["explain", "-r", REAL, &file]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("trailing characters"), "{}", run.stderr);
}

#[test]
fn explain_of_bad_evidence_fails_like_eval() {
    let mut record = full_inspection();
    record["proposed"]["overall"] = "goood".into();
    let file = tmp_file("goood.json", &record.to_string());
    let run = judgement(&["explain", "-r", REAL, &file]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("proposed.overall: expected one of"));
    assert!(run.stdout.is_empty());
}

// ------------------------------------------------------------------ test

#[test]
fn test_runs_the_tests_of_the_real_rulesets() {
    let run = judgement(&["test"]);
    let last = run.stdout.lines().last().unwrap();
    let parts: Vec<&str> = last.split(' ').collect();
    assert!(
        matches!(parts.as_slice(), [_, "passed,", _, "failed"]),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains(" ... ok"));
    assert_eq!(run.code == 0, last.ends_with(" 0 failed"));
}

#[test]
fn test_passes() {
    let run = judgement(&["test", &data("small")]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run
        .stdout
        .contains("test \"poor care caps overall\" ... ok"));
    assert_eq!(run.stdout.lines().last(), Some("2 passed, 0 failed"));
}

#[test]
fn test_failures_show_the_expectation() {
    let run = judgement(&["test", &data("small"), &data("failing")]);
    assert_eq!(run.code, 1);
    assert!(run
        .stdout
        .contains("test \"this test is wrong on purpose\" ... FAILED"));
    assert_eq!(run.stdout.lines().last(), Some("4 passed, 1 failed"));
    assert!(run.stderr.contains("failing.rules:44:10"), "{}", run.stderr);
    assert!(run.stderr.contains("expected overall = poor, got good"));
    assert!(
        run.stderr.contains("expect overall = poor"),
        "a source snippet"
    );
    // For tools: the same failure, located, with `code` "test".
    let run = judgement(&["--format", "json", "test", &data("failing")]);
    assert_eq!(run.code, 1);
    let failure: Json = serde_json::from_str(run.stderr.lines().next().unwrap()).unwrap();
    assert_eq!(failure["code"], "test");
    assert_eq!(
        (failure["line"].clone(), failure["column"].clone()),
        (44.into(), 10.into())
    );
}

#[test]
fn test_of_a_file_that_does_not_load_fails() {
    let run = judgement(&["test", &data("broken/syntax.rules")]);
    assert_eq!(run.code, 1);
    assert!(run.stdout.contains("does not load"));
    assert_eq!(run.stdout.lines().last(), Some("0 passed, 0 failed"));
    assert!(run.stderr.contains("syntax.rules:4:1"));
}

// ------------------------------------------------------------------ schema

#[test]
fn schema_of_the_real_ruleset() {
    let run = judgement(&["schema", "--ruleset", REAL]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let schema: Json = serde_json::from_str(&run.stdout).unwrap();
    let overall = &schema["properties"]["proposed"]["properties"]["overall"];
    assert!(
        overall.to_string().contains("requires_improvement"),
        "{overall}"
    );
    // A proposal may be left out of the schema, but `eval` refuses a full
    // inspection without it: its description says when it is needed.
    let said = overall["description"].as_str().unwrap();
    assert!(
        said.contains("The proposal for the judgement `overall`: needed where it is made (when inspection.kind is full or"),
        "{said}"
    );
    let interim = &schema["properties"]["proposed"]["properties"]["interim"];
    assert!(
        interim["description"]
            .as_str()
            .unwrap()
            .contains("(when inspection.kind is interim)"),
        "{interim}"
    );
    // A field's description is what the comment beside its declaration
    // says, then what its absence means; a comment block directly above a
    // field is its description too.
    let properties = &schema["properties"];
    assert_eq!(
        properties["inspection"]["properties"]["start"]["description"],
        "the first day on site (catalogue AMB32: the vacancy is measured to it)"
    );
    assert_eq!(
        properties["manager"]["properties"]["vacant_since"]["description"],
        "none: a registered manager is in post. Absent or null: none"
    );
    let written = properties["manager"]["properties"]["extension_requested_in_writing"]
        ["description"]
        .as_str()
        .unwrap();
    assert!(
        written.starts_with(
            "Annex N para 18: the manager put the reasons in writing. Absent: they did,"
        ) && written
            .ends_with("extension_before_absence_application_due). Absent or null: the default"),
        "{written}"
    );
    // A field without a comment says only what its absence means.
    assert_eq!(
        properties["home"]["properties"]["intends_to_take_placements"]["description"],
        "absent or null: the default"
    );
}

/// The evidence schema accepts what `eval` accepts and requires what it
/// requires: `null` for a field that may be left out and for a group with
/// no required field, a whole number written `4.0`, a numeric `id`; and the
/// groups that hold required fields are required up to the root, so `{}`
/// is refused by both, as are an `id` of 1.5 and a count past 64 bits.
#[test]
fn the_evidence_schema_accepts_and_refuses_what_eval_does() {
    let run = judgement(&["schema", "--ruleset", REAL]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let schema: Json = serde_json::from_str(&run.stdout).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let mut record = full_inspection();
    record["id"] = 7.into();
    record["home"]["first_inspection_since_registration"] = Json::Null;
    record["home"]["children_placed"] = serde_json::json!(4.0);
    record["previous"] = Json::Null;
    record["manager"]["absences"] = Json::Null;
    assert!(
        validator.is_valid(&record),
        "{:?}",
        validator.validate(&record).err()
    );
    let file = tmp_file("nulls_and_whole_floats.json", &record.to_string());
    let run = judgement(&["eval", "-r", REAL, &file]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let outcome: Json = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(outcome["id"], "7");
    // A numeric id that is not whole is refused by both.
    let mut fraction_id = record.clone();
    fraction_id["id"] = serde_json::json!(1.5);
    assert!(
        !validator.is_valid(&fraction_id),
        "the schema accepts id 1.5"
    );
    let file = tmp_file("fraction_id.json", &fraction_id.to_string());
    let run = judgement(&["eval", "-r", REAL, &file]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    let empty = serde_json::json!({});
    assert!(!validator.is_valid(&empty));
    assert_eq!(
        schema["required"],
        serde_json::json!(["inspection", "home"])
    );
    let file = tmp_file("empty_record.json", "{}");
    let run = judgement(&["eval", "-r", REAL, &file]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(
        run.stderr
            .contains("inspection.kind: required, but missing"),
        "{}",
        run.stderr
    );
    // A fraction and a number too large are refused by eval, each said so.
    record["home"]["children_placed"] = serde_json::json!(2.5);
    let file = tmp_file("fraction.json", &record.to_string());
    let run = judgement(&["eval", "-r", REAL, &file]);
    assert!(
        run.stderr
            .contains("home.children_placed: expected a whole number, got 2.5"),
        "{}",
        run.stderr
    );
    assert!(!validator.is_valid(&record), "the schema accepts 2.5");
    record["home"]["children_placed"] = serde_json::json!(1e20);
    assert!(!validator.is_valid(&record), "the schema accepts 1e20");
    let file = tmp_file("too_large.json", &record.to_string());
    let run = judgement(&["eval", "-r", REAL, &file]);
    assert!(
        run.stderr
            .contains("home.children_placed: too large a number to count with: past the 64-bit whole numbers (it reads as about 1e+20)"),
        "{}",
        run.stderr
    );
    // From 2^53 on, a number written with an exponent may not be read as
    // written: refused, saying so, though the schema's `integer` takes it.
    record["home"]["children_placed"] = serde_json::json!(1e16);
    let file = tmp_file("past_2_53.json", &record.to_string());
    let run = judgement(&["eval", "-r", REAL, &file]);
    assert!(
        run.stderr.contains(
            "home.children_placed: a whole number of 2^53 or more in size written with a fraction or an exponent may not be read as written (this one reads as 10000000000000000)"
        ),
        "{}",
        run.stderr
    );
    // A date is checked for its form by the pattern, whatever the
    // validator does with `format`; a day that does not exist is left to
    // `format` (asserted or not) and to evaluation.
    let mut dated = full_inspection();
    for (date, schema_valid) in [
        ("9/11/2015", false),
        ("2015-13-01", false),
        ("2015-11-9", false),
        ("2015-02-29", true),
    ] {
        dated["inspection"]["start"] = date.into();
        assert_eq!(validator.is_valid(&dated), schema_valid, "{date}");
        let file = tmp_file("dated.json", &dated.to_string());
        let run = judgement(&["eval", "-r", REAL, &file]);
        assert_eq!(run.code, 1, "{date}: {}", run.stdout);
        assert!(run.stderr.contains("inspection.start: "), "{}", run.stderr);
    }
    // Past 2^63 serde reads a float, which cannot hold every whole number
    // there: -9223372036854775809 was read as -9223372036854775808.
    record["home"]["children_placed"] = serde_json::json!("N");
    let text = record.to_string().replace("\"N\"", "-9223372036854775809");
    assert!(text.contains("-9223372036854775809"), "{text}");
    let file = tmp_file("too_large_negative.json", &text);
    let run = judgement(&["eval", "-r", REAL, &file]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(
        run.stderr.contains(
            "too far below zero to count with: past the 64-bit whole numbers (it reads as about -9.223372036854776e+18)"
        ),
        "{}",
        run.stderr
    );
    // One past the 64-bit whole numbers is not quoted as written (serde
    // reads a float), but said to be past them; the largest is quoted.
    for (written, said) in [
        (
            "18446744073709551616",
            "too large a number to count with: past the 64-bit whole numbers",
        ),
        (
            "18446744073709551615",
            "18446744073709551615 is too large a number to count with",
        ),
    ] {
        let text = record.to_string().replace("\"N\"", written);
        let file = tmp_file("past_64_bits.json", &text);
        let run = judgement(&["eval", "-r", REAL, &file]);
        assert_eq!(run.code, 1, "{}", run.stdout);
        assert!(run.stderr.contains(said), "{written}: {}", run.stderr);
    }
    // Two elements of one id: the schema cannot refuse it, so every list of
    // records says so in its description; eval refuses it.
    let lists = schema["properties"]["manager"]["properties"]["absences"]["anyOf"].clone();
    assert_eq!(
        lists[0]["description"],
        "each element's id is unique in the list: a record with two elements of one id is refused",
        "{lists}"
    );
    let mut twice = full_inspection();
    twice["manager"]["absences"] = serde_json::json!([
        {"id": "a", "start": "2015-09-01", "expected_length": 30, "planned": true},
        {"id": "a", "start": "2015-10-01", "expected_length": 30, "planned": true}
    ]);
    assert!(
        validator.is_valid(&twice),
        "{:?}",
        validator.validate(&twice).err()
    );
    let file = tmp_file("id_twice.json", &twice.to_string());
    let run = judgement(&["eval", "-r", REAL, &file]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(
        run.stderr
            .contains("manager.absences[1].id: the id \"a\" is used by two elements"),
        "{}",
        run.stderr
    );
}

/// The schema's patterns for a date, a datetime and a time refuse what
/// `eval` refuses for its form (an hour past 23, a minute or second past
/// 59); a validator asked to assert `format` refuses a day that does not
/// exist as well, as language.md 14 says.
#[test]
fn the_schema_refuses_a_datetime_or_time_out_of_range_as_eval_does() {
    let rules = tmp_file(
        "timed.rules",
        "ruleset timed \"Timed\"\n  in force from 2015-04-01\nevidence\n  visit.day: date\n  visit.arrived: datetime\n  visit.left: time\n\nrule late \"para 1\"\n  when visit.left > 17:00\n  then finding late\n",
    );
    let run = judgement(&["schema", "--ruleset", &rules]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let schema: Json = serde_json::from_str(&run.stdout).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let good = serde_json::json!({"visit": {"day": "2015-11-09", "arrived": "2015-11-09T09:40:30", "left": "17:30"}});
    assert!(validator.is_valid(&good));
    let file = tmp_file("timed_good.json", &good.to_string());
    let run = judgement(&["eval", "-r", &rules, &file]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for (field, text) in [
        ("arrived", "2015-11-09T24:00"),
        ("arrived", "2015-11-09T09:60"),
        ("arrived", "2015-11-09T09:40:60"),
        ("arrived", "2015-13-09T09:40"),
        ("left", "24:00"),
        ("left", "09:60"),
        ("left", "09:00:60"),
        ("left", "9:00"),
    ] {
        let mut record = good.clone();
        record["visit"][field] = text.into();
        assert!(!validator.is_valid(&record), "the schema accepts {text}");
        let file = tmp_file("timed_bad.json", &record.to_string());
        let run = judgement(&["eval", "-r", &rules, &file]);
        assert_eq!(run.code, 1, "eval accepts {text}: {}", run.stdout);
        assert!(
            run.stderr.contains(&format!("visit.{field}: ")),
            "{}",
            run.stderr
        );
    }
    let mut record = good.clone();
    record["visit"]["day"] = "2015-02-29".into();
    assert!(
        validator.is_valid(&record),
        "format is an annotation by default"
    );
    let asserting = jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap();
    assert!(
        !asserting.is_valid(&record),
        "format asserted accepts 2015-02-29"
    );
    assert!(asserting.is_valid(&good));
}

#[test]
fn schema_of_a_folder_is_the_newest_edition_unless_asked() {
    let run = judgement(&["schema", "-r", &data("editions")]);
    let schema: Json = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(schema["title"], "evidence for small (2020-01)");
    let run = judgement(&["schema", "-r", &data("editions"), "--edition", "2019-01"]);
    let schema: Json = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(schema["title"], "evidence for small (2019-01)");
}

// ------------------------------------------------------------------ usage

#[test]
fn usage_errors_exit_2() {
    assert_eq!(judgement(&["frobnicate"]).code, 2);
    assert_eq!(judgement(&["eval"]).code, 2, "--ruleset is required");
    assert_eq!(judgement(&["--format", "xml", "check"]).code, 2);
    assert_eq!(
        judgement(&["fmt", "--frobnicate"]).code,
        2,
        "an unknown option"
    );
    let help = judgement(&["--help"]);
    assert_eq!(help.code, 0);
    assert!(help.stdout.contains("explain"));
}

#[test]
fn usage_errors_are_json_where_the_arguments_ask_for_json() {
    for args in [
        &["--format", "json", "eval", "--threads", "0", "-r", "x", "y"][..],
        &["--format=json", "--frobnicate"],
        &["eval", "--frobnicate", "--format", "json"],
    ] {
        let run = judgement(args);
        assert_eq!(run.code, 2, "{args:?}");
        assert_eq!(run.stderr.lines().count(), 1, "{args:?}: {}", run.stderr);
        let error: Json = serde_json::from_str(&run.stderr).unwrap();
        assert_eq!(error["severity"], "error");
        assert!(
            !error["message"].as_str().unwrap().starts_with("error:"),
            "{error}"
        );
    }
    // What clap says under its first line is kept: the arguments missing,
    // the values allowed, a tip; not the usage line or the pointer to
    // `--help`.
    for (args, message) in [
        (
            &["--format", "json", "explain", "-r", "x"][..],
            "the following required arguments were not provided: <FILE>",
        ),
        (
            &[
                "--format", "json", "eval", "--input", "nope", "-r", "x", "y",
            ],
            "invalid value 'nope' for '--input <INPUT>' [possible values: auto, json, jsonl]",
        ),
        (
            &["eval", "--frobnicate", "--format", "json"],
            "unexpected argument '--frobnicate' found; tip: a similar argument exists: '--format'",
        ),
    ] {
        let run = judgement(args);
        assert_eq!(run.code, 2, "{args:?}");
        let error: Json = serde_json::from_str(&run.stderr).unwrap();
        assert_eq!(error["message"], message, "{args:?}");
    }
    let human = judgement(&["eval", "--frobnicate"]);
    assert_eq!(human.code, 2);
    assert!(
        human.stderr.starts_with("error: unexpected argument"),
        "{}",
        human.stderr
    );
    let help = judgement(&["--format", "json", "--help"]);
    assert_eq!(help.code, 0);
    assert!(help.stdout.contains("explain"));
}

/// A folder for one test's files, empty.
fn tmp_dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    std::fs::remove_dir_all(&dir).ok();
    std::fs::create_dir_all(&dir).unwrap();
    dir
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

#[test]
fn diff_names_the_changed_cases_and_the_rules_behind_them() {
    let (before, after, corpus) = diff_setup("diff-named");
    let run = diff_run(&before, &after, &corpus);
    assert_eq!(run.code, 1, "a case changed: {}", run.stderr);
    assert!(run.stderr.is_empty(), "{}", run.stderr);
    assert!(
        run.stdout
            .starts_with("threshold vacancy_limit: 10 weeks -> 14 weeks\n\nv1 ("),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("  action case_review: yes -> none\n    before: long_vacancy (para 2)\n"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("  deadline review: 2020-03-16 -> none\n"),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains("v2"), "{}", run.stdout);
    assert!(
        run.stdout.ends_with(
            "\n2 cases compared, 1 changed, 0 could not be evaluated\n\
             by rule: long_vacancy (para 2): 1 case\n"
        ),
        "{}",
        run.stdout
    );
}

/// A copy under `dir` of the children's homes ruleset with the
/// definitions and calendars it reads: `dir/rulesets`.
fn copy_of_childrens_homes(dir: &Path) -> PathBuf {
    let copy = dir.join("rulesets");
    for folder in ["childrens_homes", "definitions", "calendars"] {
        std::fs::create_dir_all(copy.join(folder)).unwrap();
        for entry in std::fs::read_dir(root().join("rulesets").join(folder)).unwrap() {
            let path = entry.unwrap().path();
            std::fs::copy(&path, copy.join(folder).join(path.file_name().unwrap())).unwrap();
        }
    }
    copy
}

/// An evidence field or an `invalid` check declared otherwise is named
/// in the header, as a rule is, before the cases it changes.
#[test]
fn diff_names_an_evidence_field_and_a_check_declared_otherwise() {
    let dir = tmp_dir("diff-declared");
    let after = copy_of_childrens_homes(&dir).join("childrens_homes/2015-04.rules");
    let source = std::fs::read_to_string(&after).unwrap();
    let (field, check) = (
        "  manager.vacant_since: date or none",
        "absence_of_negative_length \"absence {absence.id} has a negative expected length\"",
    );
    for line in [field, check] {
        assert_eq!(
            source.matches(line).count(),
            1,
            "declared as this test expects: {line}"
        );
    }
    let changed = source
        .replace(field, "  manager.vacant_since: date or unknown")
        .replace(
            check,
            "absence_of_negative_length \"absence {absence.id} has an expected length below nothing\"",
        );
    std::fs::write(&after, changed).unwrap();
    let corpus = corpus_of(
        &dir,
        "tests/fixtures/eval/childrens_homes/01_good_home_report_deadlines_only.json",
        "good.json",
    );
    let run = diff_run(REAL, after.to_str().unwrap(), &corpus);
    assert_eq!(run.code, 1, "a case changed: {}", run.stderr);
    assert!(
        run.stdout.starts_with(
            "evidence manager.vacant_since: date or none -> date or unknown\n\
             invalid absence_of_negative_length: \"absence {absence.id} has a negative expected length\" \
             for each absence in manager.absences when absence.expected_length < 0 days -> \
             \"absence {absence.id} has an expected length below nothing\" \
             for each absence in manager.absences when absence.expected_length < 0 days\n\n"
        ),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("missing manager.vacant_since"),
        "{}",
        run.stdout
    );
}

/// A folder `corpus` in `dir` holding one fixture of the repository,
/// copied as `name`.
fn corpus_of(dir: &Path, fixture: &str, name: &str) -> PathBuf {
    let corpus = dir.join("corpus");
    std::fs::create_dir_all(&corpus).unwrap();
    std::fs::copy(root().join(fixture), corpus.join(name)).unwrap();
    corpus
}

/// A calendar changed under a ruleset is named like a threshold: each
/// holiday on one side only, by date, and the years it covers; and the
/// cases whose working days it moves.
#[test]
fn diff_names_the_holidays_and_years_a_calendar_changes() {
    let dir = tmp_dir("diff-calendar");
    let after = copy_of_childrens_homes(&dir);
    let calendar = after.join("calendars/england_and_wales.calendar");
    let text = std::fs::read_to_string(&calendar).unwrap();
    let changed: String = text
        .lines()
        .filter(|line| !line.starts_with("2015-12-28 "))
        .map(|line| match line.split_once(' ') {
            Some(("years", _)) => {
                "years 2012 to 2028\n2028-01-03 New Year's Day (substitute day)\n".to_string()
            }
            Some(("version", _)) => "version \"2099-01-01\"\n".to_string(),
            _ => format!("{line}\n"),
        })
        .collect();
    assert_ne!(changed, text);
    std::fs::write(&calendar, changed).unwrap();
    let corpus = corpus_of(
        &dir,
        "tests/fixtures/eval/childrens_homes/25_inadequate_over_christmas.json",
        "christmas.json",
    );
    let run = diff_run(
        REAL,
        &after
            .join("childrens_homes/2015-04.rules")
            .display()
            .to_string(),
        &corpus,
    );
    assert_eq!(run.code, 1, "a case changed: {}", run.stderr);
    assert!(
        run.stdout.starts_with(
            "calendar version: 2026-11-24 -> 2099-01-01\n\
             calendar years: 2012 to 2027 -> 2012 to 2028\n\
             holiday 2015-12-28: Boxing Day (substitute day) -> not a holiday\n\
             holiday 2028-01-03: not a holiday -> New Year's Day (substitute day)\n\n"
        ),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("  deadline draft_report: 2016-01-04 -> 2015-12-31\n"),
        "{}",
        run.stdout
    );
    let run = judgement(&[
        "diff",
        "--json",
        "--before",
        REAL,
        "--after",
        &after
            .join("childrens_homes/2015-04.rules")
            .display()
            .to_string(),
        corpus.to_str().unwrap(),
    ]);
    let last: Json = serde_json::from_str(run.stdout.lines().last().unwrap()).unwrap();
    assert_eq!(
        last["definitions"][2],
        serde_json::json!({"kind": "holiday", "name": "2015-12-28", "before": "Boxing Day (substitute day)", "after": null})
    );
}

#[test]
fn diff_shows_a_record_id_with_its_control_characters_escaped() {
    let (before, after, corpus) = diff_setup("diff-escaped");
    // Record a.json's id, with a terminal's escape and a line that would
    // read as the report's own.
    let record = std::fs::read_to_string(corpus.join("a.json")).unwrap();
    let mut record: serde_json::Value = serde_json::from_str(&record).unwrap();
    record["id"] = serde_json::json!("v1\u{1b}[31m\nOverall: outstanding.");
    std::fs::write(corpus.join("a.json"), record.to_string()).unwrap();
    let run = diff_run(&before, &after, &corpus);
    assert_eq!(run.code, 1, "a case changed: {}", run.stderr);
    assert!(
        run.stdout
            .contains("\nv1\\u{1b}[31m\\nOverall: outstanding. ("),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains('\u{1b}'), "{}", run.stdout);
}

#[test]
fn why_not_shows_a_reason_of_characters_that_show_nothing_as_their_escapes() {
    // LACP record 40: the reason for adjusting the case numbers is a
    // zero-width space and a byte order mark, which is blank (`is empty`),
    // so the advice on the adjustment is not given. The answer shows the
    // value read as its escapes, not as text that looks like nothing.
    let record = std::fs::read_to_string(root().join(
        "tests/fixtures/eval/la_child_protection/40_both_short_reason_that_shows_nothing.json",
    ))
    .unwrap();
    let mut record: Json = serde_json::from_str(&record).unwrap();
    record.as_object_mut().unwrap().remove("_expect");
    let path = tmp_file("lacp-reason-shows-nothing.json", &record.to_string());
    let run = judgement(&[
        "explain",
        "--ruleset",
        "rulesets/la_child_protection",
        &path,
        "--why-not",
        "case_numbers_adjusted",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains(
            "FALSE  cases.size_adjustment_reason is not empty   \
             [cases.size_adjustment_reason = \\u{200b}\\u{feff}]"
        ),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("any text that is not blank (now \\u{200b}\\u{feff})"),
        "{}",
        run.stdout
    );
    assert!(
        !run.stdout.contains(['\u{200b}', '\u{feff}']),
        "{}",
        run.stdout
    );
}

#[test]
fn diff_compares_two_editions_over_the_same_cases_when_asked() {
    // Editions 2019-01 (vacancy limit 8 weeks, in force in 2019) and
    // 2020-01 (10 weeks, from 2020). A case of 2020 with a vacancy of 61
    // days: the one in force on its date is 2020-01 on both sides, so only
    // the editions asked for compare the two.
    let editions = root().join(DATA).join("editions");
    let editions = editions.to_str().unwrap();
    let corpus = tmp_dir("diff-editions").join("case.json");
    std::fs::write(
        &corpus,
        r#"{"id": "v9", "visit": {"start": "2020-03-02"}, "manager": {"vacant_since": "2020-01-01"}, "proposed": {"overall": "good", "care": "good"}}"#,
    )
    .unwrap();
    let corpus = corpus.to_str().unwrap();
    let in_force = judgement(&["diff", "--before", editions, "--after", editions, corpus]);
    assert_eq!(in_force.code, 0, "{}{}", in_force.stdout, in_force.stderr);
    let run = judgement(&[
        "diff",
        "--before",
        editions,
        "--after",
        editions,
        "--before-edition",
        "2019-01",
        "--after-edition",
        "2020-01",
        corpus,
    ]);
    assert_eq!(run.code, 1, "a case changed: {}", run.stderr);
    assert!(
        run.stdout
            .starts_with("threshold vacancy_limit: 8 weeks -> 10 weeks\n\nv9 ("),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("  action case_review: yes -> none\n"),
        "{}",
        run.stdout
    );
    // An edition that is not there is a usage error naming those that are.
    let wrong = judgement(&[
        "diff",
        "--before",
        editions,
        "--after",
        editions,
        "--after-edition",
        "2021-01",
        corpus,
    ]);
    assert_eq!(wrong.code, 2);
    assert!(
        wrong
            .stderr
            .contains("there is no edition `2021-01`; the editions are 2019-01, 2020-01"),
        "{}",
        wrong.stderr
    );
}

#[test]
fn diff_says_when_only_a_citation_changed() {
    let (before, _, corpus) = diff_setup("diff-cited");
    let source = std::fs::read_to_string(&before).unwrap();
    let after = tmp_dir("diff-cited-after").join("after.rules");
    let cited = source.replace(
        r#"rule long_vacancy "para 2""#,
        r#"rule long_vacancy "para 2; para 3""#,
    );
    assert_ne!(cited, source, "the rule is declared as this test expects");
    std::fs::write(&after, cited).unwrap();
    let run = judgement(&[
        "diff",
        "--before",
        &before,
        "--after",
        after.to_str().unwrap(),
        corpus.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 1, "a case changed: {}", run.stderr);
    assert!(
        run.stdout.contains(
            "  action case_review: yes, given by the same rules, cited differently\n\
             \x20   before: long_vacancy (para 2)\n\
             \x20   after:  long_vacancy (para 2; para 3)\n"
        ),
        "{}",
        run.stdout
    );
}

#[test]
fn diff_with_no_changed_case_exits_0() {
    let (before, _, corpus) = diff_setup("diff-none");
    let run = diff_with_itself(&before, &corpus);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout,
        "2 cases compared, 0 changed, 0 could not be evaluated\n"
    );
}

#[test]
fn diff_counts_changed_cases_by_judgement_and_rule() {
    let dir = tmp_dir("diff-judgements");
    let source = std::fs::read_to_string(root().join(data("small/small.rules"))).unwrap();
    let before = dir.join("before.rules");
    let after = dir.join("after.rules");
    std::fs::write(&before, &source).unwrap();
    std::fs::write(
        &after,
        source.replace("then overall at most fair", "then overall at most poor"),
    )
    .unwrap();
    let corpus = dir.join("cases.jsonl");
    std::fs::write(
        &corpus,
        [
            small_record("a", "good"),
            small_record("b", "fair"),
            small_record("c", "poor"),
        ]
        .join("\n"),
    )
    .unwrap();
    let run = judgement(&[
        "diff",
        "--before",
        before.to_str().unwrap(),
        "--after",
        after.to_str().unwrap(),
        corpus.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stdout.ends_with(
            "3 cases compared, 2 changed, 0 could not be evaluated\n\
             by judgement: overall: 2 cases\n\
             by rule: poor_care_caps_overall (para 1): 2 cases\n"
        ),
        "{}",
        run.stdout
    );
}

#[test]
fn diff_reads_a_corpus_folder_recursively_without_expectations() {
    let (before, after, corpus) = diff_setup("diff-recursive");
    let nested = corpus.join("more/deeper");
    std::fs::create_dir_all(&nested).unwrap();
    let mut record: Json =
        serde_json::from_str(&std::fs::read_to_string(corpus.join("a.json")).unwrap()).unwrap();
    record["id"] = "v3".into();
    record["_expect"] =
        serde_json::json!({"why": "the fixtures of tests/fixtures/eval carry this"});
    std::fs::write(
        nested.join("c.jsonl"),
        format!("{record}\n\n{}\n", small_record("v4", "good")),
    )
    .unwrap();
    std::fs::write(nested.join("notes.txt"), "not a record").unwrap();
    let run = diff_run(&before, &after, &corpus);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.is_empty(), "{}", run.stderr);
    let cases: Vec<&str> = run.stdout.lines().filter(|l| l.starts_with('v')).collect();
    assert_eq!(cases.len(), 2, "{}", run.stdout);
    assert!(cases[0].starts_with("v1 ("), "{}", run.stdout);
    assert!(
        cases[1].starts_with("v3 (") && cases[1].ends_with("c.jsonl:1)"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("4 cases compared, 2 changed, 0 could not be evaluated\n"),
        "{}",
        run.stdout
    );
}

/// `judgement diff` of a ruleset with itself over a corpus: no case
/// changes, so only the cases that cannot be evaluated show.
fn diff_with_itself(ruleset: &str, corpus: &Path) -> Run {
    judgement(&[
        "diff",
        "--before",
        ruleset,
        "--after",
        ruleset,
        corpus.to_str().unwrap(),
    ])
}

#[test]
fn diff_of_a_case_that_cannot_be_evaluated_exits_1_with_its_error() {
    let (before, _, corpus) = diff_setup("diff-failing");
    std::fs::write(corpus.join("c.json"), r#"{"id": "bad", "visit": {}}"#).unwrap();
    let run = diff_with_itself(&before, &corpus);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("c.json: visit.start: required"),
        "{}",
        run.stderr
    );
    assert!(
        run.stdout
            .ends_with("3 cases compared, 0 changed, 1 could not be evaluated\n"),
        "{}",
        run.stdout
    );
}

#[test]
fn diff_counts_a_line_that_is_not_utf8_as_one_failed_case() {
    let (before, _, corpus) = diff_setup("diff-not-utf8");
    let good = r#"{"id": "v3", "visit": {"start": "2020-03-02"}, "proposed": {"overall": "good", "care": "good"}}"#;
    let mut lines = format!("{good}\n").into_bytes();
    lines.extend_from_slice(b"{\"id\": \"\xff\"}\n");
    lines.extend_from_slice(format!("{good}\n").as_bytes());
    std::fs::write(corpus.join("c.jsonl"), lines).unwrap();
    let run = diff_with_itself(&before, &corpus);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("c.jsonl:2: not valid UTF-8 at column 9 (byte 9 is not)"),
        "{}",
        run.stderr
    );
    assert!(
        run.stdout
            .ends_with("5 cases compared, 0 changed, 1 could not be evaluated\n"),
        "{}",
        run.stdout
    );
}

#[test]
fn diff_names_the_file_and_line_of_a_broken_json_line_apart_as_eval_does() {
    let (before, _, corpus) = diff_setup("diff-line-places");
    let good = r#"{"id": "v3", "visit": {"start": "2020-03-02"}, "proposed": {"overall": "good", "care": "good"}}"#;
    let lines = format!("{good}\n{{\"bad json\n{{\"id\": \"v4\", \"visit\": {{}}}}\n");
    std::fs::write(corpus.join("c.jsonl"), lines).unwrap();
    let file = corpus.join("c.jsonl").display().to_string();
    let run = diff_with_itself(&before, &corpus);
    assert_eq!(run.code, 1, "{}", run.stderr);
    // FILE:LINE:COLUMN for broken JSON, FILE:LINE for an evidence error:
    // before, the line was folded into the file and the line within the
    // record followed (`c.jsonl:2:1:10`).
    assert!(
        run.stderr
            .contains(&format!("error: {file}:2:10: not valid JSON")),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains(&format!("error: {file}:3: visit.start: required")),
        "{}",
        run.stderr
    );
    let mut args = vec!["--format", "json", "diff", "--before", &before];
    let corpus_arg = corpus.to_str().unwrap();
    args.extend(["--after", &before, corpus_arg]);
    let json = judgement(&args);
    let problems = output_lines(&json.stderr);
    // The broken line, then the three missing fields of line 3.
    assert_eq!(problems.len(), 4, "{}", json.stderr);
    assert_eq!(problems[0]["file"], file.as_str());
    assert_eq!(problems[0]["line"], 2);
    assert_eq!(problems[0]["column"], 10);
    assert_eq!(problems[1]["file"], file.as_str());
    assert_eq!(problems[1]["line"], 3);
    assert_eq!(problems[1]["path"], "visit.start");
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

#[test]
fn a_closed_pipe_after_a_failed_record_still_exits_1() {
    let small = data("small");
    let mut input = String::from("{\"id\": \"broken\"}\n");
    for i in 0..50_000 {
        input.push_str(&small_record(&format!("r{i}"), "good"));
        input.push('\n');
    }
    let (first, code, _) = first_line_then_close(&["eval", "-r", &small], input);
    assert!(first.contains("\"line\":1"), "{first}");
    assert_eq!(code, Some(1));
}

#[test]
fn diff_of_an_empty_corpus_folder_is_a_usage_error() {
    let (before, _, _) = diff_setup("diff-empty");
    let empty = tmp_dir("diff-empty-corpus");
    let run = judgement(&[
        "diff",
        "--before",
        &before,
        "--after",
        &before,
        empty.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("no evidence records"), "{}", run.stderr);
}

#[test]
fn diff_json_ends_with_a_summary_line() {
    let (before, after, corpus) = diff_setup("diff-json");
    let run = diff_with(&before, &after, &corpus, &["--json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let lines: Vec<Json> = run
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2, "{}", run.stdout);
    assert_eq!(lines[0]["id"], "v1");
    assert_eq!(
        lines[1],
        serde_json::json!({
            "summary": {
                "cases": 2,
                "changed": 1,
                "failed": 0,
                "by_judgement": {},
                "by_rule": {"long_vacancy (para 2)": 1}
            },
            "definitions": [
                {"kind": "threshold", "name": "vacancy_limit", "before": "10 weeks", "after": "14 weeks"}
            ],
            "failed_cases": []
        })
    );
}

/// `--json` names each case that could not be evaluated in its last line,
/// with the side that refused it and why; the text names it on stderr.
#[test]
fn diff_json_names_the_cases_that_could_not_be_evaluated() {
    let (before, after, corpus) = diff_setup("diff-json-failed");
    std::fs::write(corpus.join("refused.json"), r#"{"id": "bad", "visit": {}}"#).unwrap();
    std::fs::write(corpus.join("broken.json"), "{").unwrap();
    let run = diff_with(&before, &after, &corpus, &["--json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let last: Json = serde_json::from_str(run.stdout.lines().last().unwrap()).unwrap();
    assert_eq!(last["summary"]["failed"], 2, "{last}");
    let failed = last["failed_cases"].as_array().unwrap();
    let named: Vec<(&str, &str)> = failed
        .iter()
        .map(|f| (f["case"].as_str().unwrap(), f["by"].as_str().unwrap()))
        .collect();
    assert_eq!(named.len(), 2, "{last}");
    assert!(
        named[0].0.ends_with("broken.json") && named[0].1 == "input",
        "{last}"
    );
    assert!(
        named[1].0.ends_with("refused.json") && named[1].1 == "both",
        "{last}"
    );
    assert!(
        failed[1]["error"].as_str().unwrap().contains("visit.start"),
        "{last}"
    );
    // A line of JSON Lines that is not JSON: the case names the line, and
    // the error its column only, as eval's do.
    std::fs::remove_file(corpus.join("refused.json")).unwrap();
    std::fs::remove_file(corpus.join("broken.json")).unwrap();
    let good = std::fs::read_to_string(corpus.join("b.json")).unwrap();
    std::fs::write(
        corpus.join("c.jsonl"),
        format!("{good}\n{good}\n{{\"x\": \n"),
    )
    .unwrap();
    let run = diff_with(&before, &after, &corpus, &["--json"]);
    let last: Json = serde_json::from_str(run.stdout.lines().last().unwrap()).unwrap();
    let failed = last["failed_cases"].as_array().unwrap();
    assert_eq!(failed.len(), 1, "{last}");
    assert!(
        failed[0]["case"].as_str().unwrap().ends_with("c.jsonl:3"),
        "{last}"
    );
    assert_eq!(
        failed[0]["error"], "not valid JSON (column 6): EOF while parsing a value",
        "{last}"
    );
}

/// A folder of editions that gains one: the editions added, and one whose
/// period in force changed, are named, and the new edition is compared with
/// the one it takes over from, named with it.
#[test]
fn diff_names_an_edition_added_and_compares_it_with_the_one_it_takes_over_from() {
    let editions = root().join(DATA).join("editions");
    let dir = tmp_dir("diff-edition-added");
    let (before, after) = (dir.join("before"), dir.join("after"));
    for side in [&before, &after] {
        std::fs::create_dir_all(side).unwrap();
        for entry in std::fs::read_dir(&editions).unwrap() {
            let path = entry.unwrap().path();
            std::fs::copy(&path, side.join(path.file_name().unwrap())).unwrap();
        }
    }
    let newest = std::fs::read_to_string(after.join("2020-01.rules")).unwrap();
    let (from, to) = (
        "in force from 2020-01-01",
        "in force from 2020-01-01 to 2020-12-31",
    );
    assert!(newest.contains(from), "{newest}");
    std::fs::write(after.join("2020-01.rules"), newest.replacen(from, to, 1)).unwrap();
    let added = newest
        .replacen(from, "in force from 2021-01-01", 1)
        .replacen("edition \"2020-01\"", "edition \"2021-01\"", 1)
        .replacen("vacancy_limit = 10 weeks", "vacancy_limit = 12 weeks", 1);
    assert!(
        added.contains("edition \"2021-01\"") && added.contains("12 weeks"),
        "{added}"
    );
    std::fs::write(after.join("2021-01.rules"), added).unwrap();
    let corpus = dir.join("case.json");
    let (before, after) = (before.to_str().unwrap(), after.to_str().unwrap());
    std::fs::write(
        &corpus,
        r#"{"id": "v9", "visit": {"start": "2021-03-01"}, "manager": {"vacant_since": "2020-12-21"}, "proposed": {"overall": "good", "care": "good"}}"#,
    )
    .unwrap();
    let run = diff_run(before, after, &corpus);
    assert!(
        run.stdout.starts_with(
            "edition 2020-01: in force from 2020-01-01 -> in force from 2020-01-01 to 2020-12-31\n\
             edition 2021-01: no such edition -> in force from 2021-01-01\n\
             edition 2021-01 (against 2020-01): threshold vacancy_limit: 10 weeks -> 12 weeks\n\n"
        ),
        "{}{}",
        run.stdout,
        run.stderr
    );
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    // In JSON the edition compared with is a field of its own.
    let json = diff_with(before, after, &corpus, &["--json"]);
    let last: Json = serde_json::from_str(json.stdout.lines().last().unwrap()).unwrap();
    let threshold = last["definitions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["kind"] == "threshold")
        .unwrap();
    assert_eq!(
        (&threshold["edition"], &threshold["against"]),
        (&Json::from("2021-01"), &Json::from("2020-01")),
        "{last}"
    );
    // An edition chosen on one side is compared with each of the other's.
    let chosen = diff_with(before, after, &corpus, &["--before-edition", "2020-01"]);
    assert!(
        chosen.stdout.starts_with(
            "edition 2019-01 (against 2020-01): threshold vacancy_limit: 10 weeks -> 8 weeks\n\
             edition 2021-01 (against 2020-01): threshold vacancy_limit: 10 weeks -> 12 weeks\n\n"
        ),
        "{}{}",
        chosen.stdout,
        chosen.stderr
    );
    // Two rule files of different editions: the edition each side uses, on
    // one line, not one removed and another added.
    let files = diff_run(
        editions.join("2019-01.rules").to_str().unwrap(),
        editions.join("2020-01.rules").to_str().unwrap(),
        &corpus,
    );
    assert!(
        files.stdout.starts_with(
            "edition used: 2019-01 (in force from 2019-01-01 to 2019-12-31) -> 2020-01 (in force from 2020-01-01)\n\
             edition 2020-01 (against 2019-01): threshold vacancy_limit: 8 weeks -> 10 weeks\n\n"
        ),
        "{}{}",
        files.stdout,
        files.stderr
    );
}

#[test]
fn fmt_check_passes_on_the_rulesets_and_fmt_rewrites_a_messy_file() {
    let run = judgement(&["fmt", "--check", REAL]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let dir = std::env::temp_dir().join(format!("judgement-fmt-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let messy = dir.join("messy.rules");
    std::fs::write(
        &messy,
        "ruleset r \"R\" in force from 2015-04-01 # kept\nscale g: a>b\n",
    )
    .unwrap();
    let path = messy.to_str().unwrap();
    let check = judgement(&["fmt", "--check", path]);
    assert_eq!(check.code, 1);
    assert!(check.stdout.contains("not formatted"), "{}", check.stdout);
    let fix = judgement(&["fmt", path]);
    assert_eq!(fix.code, 0, "{}", fix.stderr);
    let text = std::fs::read_to_string(&messy).unwrap();
    std::fs::remove_dir_all(&dir).ok();
    assert_eq!(
        text,
        "ruleset r \"R\"\n  in force from 2015-04-01  # kept\n\nscale g: a > b\n"
    );
}

// ------------------------------------------------------------------ limits and damage

/// Issue 6, item 3: an error past column 65,535 panicked inside the
/// diagnostic renderer. It is reported by file, line and column, without a
/// snippet, by `check`, `test` and `eval`.
#[test]
fn an_error_past_column_65535_is_reported_by_place() {
    let dir = tmp_dir("long_line");
    let padding = " ".repeat(70_000);
    let broken = dir.join("broken.rules");
    std::fs::write(
        &broken,
        format!("ruleset r \"R\"\n  in force from 2015-04-01\n\nevidence\n  a:{padding}bool\n\nrule r1 \"p\" when{padding}b then action x\n"),
    )
    .unwrap();
    let broken = broken.display().to_string();
    for args in [vec!["check", &broken], vec!["test", &broken]] {
        let run = judgement(&args);
        assert_eq!(run.code, 1, "{args:?}: {}", run.stderr);
        assert!(
            run.stderr.contains(&format!("{broken}:7:70017: ")),
            "{args:?}: {}",
            run.stderr
        );
        assert!(
            run.stderr.contains("there is no name `b`"),
            "{}",
            run.stderr
        );
    }
    // An evaluation error at a place on a long line.
    let overflow = dir.join("overflow.rules");
    std::fs::write(
        &overflow,
        format!("ruleset r \"R\"\n  in force from 2015-04-01\n\nevidence\n  n: number\n\nrule r1 \"p\" when{padding}-n > 0 then action x\n"),
    )
    .unwrap();
    let overflow = overflow.display().to_string();
    let run = judgement_with_input(
        &["eval", "-r", &overflow],
        Some(&format!("{{\"n\": {}}}", i64::MIN)),
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains(&format!("{overflow}:7:")),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("out of range"), "{}", run.stderr);
}

/// The limit on a snippet's lines holds for its lines of context too
/// (audit 59): an error on a short line beside a line of 70,000 characters
/// printed the long line whole. It is reported by file, line and column,
/// and a neighbour of 1,000 characters still gets its snippet.
#[test]
fn a_long_line_beside_an_error_is_not_printed_as_context() {
    let dir = tmp_dir("long_neighbour");
    for (name, width, snippet) in [("wide", 70_000, false), ("edge", 1_000, true)] {
        let file = dir.join(format!("{name}.rules"));
        let padding = " ".repeat(width - "let a = true".len());
        std::fs::write(
            &file,
            format!("ruleset r \"R\"\n  in force from 2015-04-01\n\nevidence\n  n: number\n\nlet a = true{padding}\nlet b = nowhere\n"),
        )
        .unwrap();
        let file = file.display().to_string();
        let run = judgement(&["check", &file]);
        assert_eq!(run.code, 1, "{}", run.stderr);
        assert!(
            run.stderr.contains("there is no name `nowhere`"),
            "{}",
            run.stderr
        );
        assert_eq!(
            run.stderr.contains(&format!("{file}:8:9: ")),
            !snippet,
            "{}",
            run.stderr
        );
        assert!(
            run.stderr.len() < 3_000 + if snippet { 1_000 } else { 0 },
            "{name}: {} bytes",
            run.stderr.len()
        );
    }
}

#[test]
fn a_rule_file_that_never_ends_is_refused_after_the_limit() {
    let run = judgement(&["check", "/dev/zero"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("larger than 1048576 bytes"),
        "{}",
        run.stderr
    );
    let run = judgement(&["fmt", "--check", "/dev/zero"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("larger than 1048576 bytes"));
}

/// A named pipe given as a rule file is refused before it is opened:
/// opening one waits for a writer that may never come, and `check`,
/// `eval --ruleset` and the embedding API all waited for ever.
#[cfg(unix)]
#[test]
fn a_rule_file_that_is_a_named_pipe_is_refused_not_waited_on() {
    let dir = scratch("rule-file-pipe");
    let pipe = dir.join("pipe.rules");
    let made = std::process::Command::new("mkfifo")
        .arg(&pipe)
        .status()
        .unwrap();
    assert!(made.success());
    let pipe = pipe.to_str().unwrap();
    for args in [
        vec!["check", pipe],
        vec!["eval", "-r", pipe, "no_record.json"],
        vec!["fmt", "--check", pipe],
    ] {
        let run = judgement(&args);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert!(
            run.stderr.contains("it is a named pipe, not a file"),
            "{args:?}: {}",
            run.stderr
        );
    }
}

#[test]
fn a_calendar_file_past_the_limit_is_refused_by_name() {
    let dir = tmp_dir("big_calendar");
    std::fs::create_dir(dir.join("calendars")).unwrap();
    std::fs::write(
        dir.join("calendars/big.calendar"),
        "# padding\n".repeat((1 << 20) / 10 + 1),
    )
    .unwrap();
    std::fs::copy(data("small/small.rules"), dir.join("small.rules")).unwrap();
    let rules = dir.join("small.rules").display().to_string();
    let run = judgement(&["check", &rules]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("big.calendar"), "{}", run.stderr);
    assert!(
        run.stderr.contains("larger than 1048576 bytes"),
        "{}",
        run.stderr
    );
}

#[cfg(unix)]
#[test]
fn an_unreadable_calendars_folder_is_an_error_not_skipped() {
    use std::os::unix::fs::PermissionsExt;
    let dir = dir_with_calendar("unreadable_calendars");
    let calendars = dir.join("calendars");
    std::fs::copy(data("small/small.rules"), dir.join("small.rules")).unwrap();
    std::fs::set_permissions(&calendars, std::fs::Permissions::from_mode(0o000)).unwrap();
    let readable = std::fs::read_dir(&calendars).is_ok();
    let rules = dir.join("small.rules").display().to_string();
    let run = judgement(&["check", &rules]);
    std::fs::set_permissions(&calendars, std::fs::Permissions::from_mode(0o755)).unwrap();
    if readable {
        // As root every folder can be read: there is nothing to refuse.
        assert_eq!(run.code, 0, "{}", run.stderr);
        return;
    }
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("cannot read") && run.stderr.contains("calendars"),
        "{}",
        run.stderr
    );
}

/// A calendar's problems are shown as a rule file's are: at file:line:column
/// with the line beside them, and with `file`, `line` and `column` keys
/// under `--format json`; the summary counts each one.
#[test]
fn a_calendar_problem_is_shown_at_its_line_and_column() {
    let dir = dir_with_calendar("bad_calendar_day");
    let calendar = dir.join("calendars/england_and_wales.calendar");
    let text = std::fs::read_to_string(&calendar).unwrap();
    let line = text
        .lines()
        .position(|l| l.starts_with("2012-04-06 Good Friday"))
        .unwrap()
        + 1;
    std::fs::write(
        &calendar,
        text.replace("2012-04-06 Good Friday", "2012-02-30 Good Friday"),
    )
    .unwrap();
    std::fs::copy(data("small/small.rules"), dir.join("small.rules")).unwrap();
    let rules = dir.join("small.rules").display().to_string();
    let cal = calendar.display().to_string();

    let human = judgement(&["check", &rules]);
    assert_eq!(human.code, 1, "{}", human.stderr);
    assert!(
        human.stderr.contains(&format!("[{cal}:{line}:1]"))
            && human.stderr.contains("2012-02-30 Good Friday")
            && human
                .stderr
                .contains("`2012-02-30` is not a day that exists"),
        "{}",
        human.stderr
    );

    let json = judgement(&["check", "--format", "json", &rules]);
    let problem: serde_json::Value =
        serde_json::from_str(json.stderr.lines().next().unwrap()).unwrap();
    assert_eq!(problem["file"], cal.as_str());
    assert_eq!(problem["line"], line);
    assert_eq!(problem["column"], 1);
    assert_eq!(problem["message"], "`2012-02-30` is not a day that exists");
    assert_eq!(problem["code"], "calendar");

    // Four header lines missing: four errors, and the summary says four.
    std::fs::write(&calendar, "calendar england_and_wales\n").unwrap();
    let run = judgement(&["check", &rules]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(
        run.stderr.matches("the calendar has no").count(),
        4,
        "{}",
        run.stderr
    );
    assert!(run.stdout.contains("4 errors"), "{}", run.stdout);
}

/// Two calendar files of one name in one folder (audit 59): the first by
/// file name was used, silently, whatever holidays the other listed. It is
/// an error at the second one's `calendar` line; a nearer folder's
/// calendar of the name is still the one meant, as before.
#[test]
fn two_calendars_of_one_name_in_one_folder_are_an_error() {
    let dir = dir_with_calendar("calendar_name_twice");
    let original = dir.join("calendars/england_and_wales.calendar");
    let text = std::fs::read_to_string(&original).unwrap();
    let line = text
        .lines()
        .position(|l| l.starts_with("calendar "))
        .unwrap()
        + 1;
    let copy = text.replace("2015-12-28 Boxing Day (substitute day)\n", "");
    std::fs::write(dir.join("calendars/copy.calendar"), &copy).unwrap();
    std::fs::copy(data("small/small.rules"), dir.join("small.rules")).unwrap();
    let rules = dir.join("small.rules").display().to_string();
    for command in ["check", "test"] {
        let run = judgement(&[command, "--format", "json", &rules]);
        assert_eq!(run.code, 1, "{command}: {}", run.stderr);
        let problem: serde_json::Value =
            serde_json::from_str(run.stderr.lines().next().unwrap()).unwrap();
        assert_eq!(problem["file"], original.display().to_string());
        assert_eq!(problem["line"], line);
        assert_eq!(problem["column"], 1);
        assert_eq!(
            problem["message"],
            "the calendar `england_and_wales` is also in `copy.calendar` in the same folder; a folder holds one calendar of each name"
        );
    }
    // The copy in a folder of its own, nearer the rule file: no clash.
    std::fs::remove_file(dir.join("calendars/copy.calendar")).unwrap();
    let near = dir.join("near");
    std::fs::create_dir_all(near.join("calendars")).unwrap();
    std::fs::write(near.join("calendars/copy.calendar"), &copy).unwrap();
    std::fs::copy(data("small/small.rules"), near.join("small.rules")).unwrap();
    let run = judgement(&["check", &near.join("small.rules").display().to_string()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[cfg(unix)]
#[test]
fn fmt_replaces_a_file_whole_or_not_at_all() {
    let dir = tmp_dir("fmt_atomic");
    let file = dir.join("big.rules");
    // Over 8 KB, and not in the canonical layout: `fmt` must rewrite it.
    let mut text = String::from("ruleset r \"R\"\n");
    for i in 0..400 {
        text.push_str(&format!("threshold   t{i} = {i} weeks\n"));
    }
    std::fs::write(&file, &text).unwrap();
    let script = format!(
        "ulimit -f 8; exec '{}' fmt '{}'",
        env!("CARGO_BIN_EXE_judgement"),
        file.display()
    );
    let status = Command::new("sh")
        .args(["-c", &script])
        .stderr(Stdio::null())
        .status()
        .unwrap();
    assert!(
        !status.success(),
        "the write should have hit the size limit"
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap(), text);
    // Without the limit the file is replaced whole.
    let run = judgement(&["fmt", file.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let after = std::fs::read_to_string(&file).unwrap();
    assert!(after.contains("threshold t399 = 399 weeks\n"), "{after}");
    assert_eq!(
        judgement(&["fmt", "--check", file.to_str().unwrap()]).code,
        0
    );
}

/// `fmt` of a symbolic link rewrites the file it names, and the link stays
/// a link (a rename over the link's own name replaced it with a file and
/// left the real one unformatted).
#[cfg(unix)]
#[test]
fn fmt_follows_a_symbolic_link() {
    let dir = tmp_dir("fmt_link");
    let real = dir.join("real.rules");
    let link = dir.join("link.rules");
    std::fs::write(&real, "ruleset r   \"R\"\nthreshold   t = 2 weeks\n").unwrap();
    std::os::unix::fs::symlink(&real, &link).unwrap();
    let run = judgement(&["fmt", link.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink(),
        "the link was replaced"
    );
    assert_eq!(
        std::fs::read_to_string(&real).unwrap(),
        "ruleset r \"R\"\n\nthreshold t = 2 weeks\n"
    );
    assert_eq!(
        judgement(&["fmt", "--check", real.to_str().unwrap()]).code,
        0
    );
}

/// When an undetermined rule could change a judgement, `explain` says so
/// before anything else, and the judgement and what follows from it are
/// marked provisional (issue 5, A3).
#[test]
fn explain_says_first_when_the_outcome_is_provisional() {
    let record = serde_json::json!({
        "kind": "monitoring",
        "previous": {"overall": "inadequate"},
        "requirements": [{"id": "r1", "met": true}],
        "concerns": {"serious": false},
        "home": {"closing": false},
        "proposed": {"overall": "good", "leadership": "good"}
    });
    let file = tmp_file("provisional.json", &record.to_string());
    let rules = "tests/fixtures/semantics/provisional.rules";
    let run = judgement(&["explain", "-r", rules, &file]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let first_heading = run
        .stdout
        .lines()
        .find(|l| !l.is_empty() && !l.starts_with(' ') && !l.contains(':') && !l.ends_with('.'))
        .unwrap_or_default();
    assert_eq!(first_heading, "Provisional", "{}", run.stdout);
    let text = words(&run.stdout);
    assert!(
        text.contains("This outcome is not final: some hard rules could not be decided, because the evidence does not say conditions.made_safe. These judgements could change when it does: overall."),
        "{text}"
    );
    assert!(text.contains(
        "This is provisional: rule previous_judgement_stands could not be decided and could change it"
    ));
    assert!(text.contains(
        "Rule previous_judgement_stands (paras 124-126): the evidence does not say conditions.made_safe. If its condition held, it would give: Overall = inadequate."
    ));
    let run = judgement(&["eval", "-r", rules, &file]);
    let outcome: Json = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(
        outcome["details"]["overall"]["provisional"],
        serde_json::json!({"rules": ["previous_judgement_stands"], "missing": ["conditions.made_safe"]})
    );
    assert_eq!(outcome["judgements"]["overall"], "good");
    assert!(outcome["details"]["leadership"]
        .get("provisional")
        .is_none());
}

// ------------------------------------------------------------------ shared definitions

const SHARED: &str = "tests/fixtures/definitions/shared";
const SHARED_ERRORS: &str = "tests/fixtures/definitions/errors";

#[test]
fn check_of_definitions_checks_them_and_every_ruleset_that_uses_them() {
    let run = judgement(&[
        "check",
        "--strict",
        &format!("{SHARED}/definitions/monitoring.rules"),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // monitoring.rules itself, then homes.rules and agencies.rules.
    assert!(
        run.stdout.contains("checked 3 files: 0 errors, 0 warnings"),
        "{}",
        run.stdout
    );
    // Definitions that only `monitoring` uses bring in the same rulesets.
    let run = judgement(&["check", &format!("{SHARED}/definitions/grades.rules")]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("checked 3 files"), "{}", run.stdout);
    // Named from its own folder, bare or as `./`, it brings them in too.
    for name in ["monitoring.rules", "./monitoring.rules"] {
        let run = judgement_in(&root().join(SHARED).join("definitions"), &["check", name]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert!(
            run.stdout.contains("checked 3 files"),
            "{name}: {}",
            run.stdout
        );
    }
}

#[test]
fn check_reports_problems_in_definitions_at_their_own_file_once() {
    let run = judgement(&["check", SHARED_ERRORS]);
    assert_eq!(run.code, 1);
    let broken = format!("{SHARED_ERRORS}/definitions/broken.rules:7:8");
    assert!(run.stderr.contains(&broken), "{}", run.stderr);
    assert!(
        run.stderr.contains("when feedback > 3"),
        "a snippet of its file"
    );
    // Found on its own and through broken_definitions.rules: shown once.
    assert_eq!(run.stderr.matches(&broken).count(), 1, "{}", run.stderr);
    assert!(run
        .stderr
        .contains(&format!("{SHARED_ERRORS}/missing_need.rules:5:8")));
    assert!(run.stderr.contains(
        "the definitions `needy` need `feedback`, a `date`, which this ruleset does not declare"
    ));
    assert!(run
        .stderr
        .contains("the definitions `cycle_a` use themselves: cycle_a -> cycle_b -> cycle_a"));
    let run = judgement(&["--format", "json", "check", SHARED_ERRORS]);
    let located: Vec<(String, u64, u64)> = run
        .stderr
        .lines()
        .map(|l| serde_json::from_str::<Json>(l).unwrap())
        .filter(|p| p["message"] == "cannot compare `date` with `number`")
        .map(|p| {
            (
                p["file"].as_str().unwrap().to_string(),
                p["line"].as_u64().unwrap(),
                p["column"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        located,
        [(format!("{SHARED_ERRORS}/definitions/broken.rules"), 7, 8)]
    );
}

/// Named from inside the folder, the definitions are reached as
/// `definitions/broken.rules` and, through the rulesets that use them, as
/// `./definitions/broken.rules`: one file, so each problem is shown once.
#[test]
fn check_reports_a_definitions_problem_once_whatever_path_reaches_it() {
    let run = judgement_in(Path::new(SHARED_ERRORS), &["check", "definitions"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr.matches("broken.rules:7:8").count(),
        1,
        "{}",
        run.stderr
    );
    assert_eq!(
        run.stderr
            .matches("the definitions `cycle_a` use themselves")
            .count(),
        1,
        "{}",
        run.stderr
    );
}

#[test]
fn test_runs_the_shared_rules_through_each_ruleset_and_skips_definitions() {
    let run = judgement(&["test", SHARED]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.contains(&format!(
        "skipping {SHARED}/definitions/monitoring.rules: definitions are tested by the rulesets that use them"
    )));
    assert!(!run.stdout.contains("did not load"), "{}", run.stdout);
    assert_eq!(run.stdout.lines().last(), Some("7 passed, 0 failed"));
}

#[test]
fn a_folder_of_definitions_is_not_a_ruleset() {
    let run = judgement(&["schema", "--ruleset", &format!("{SHARED}/definitions")]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains(&format!(
            "`{SHARED}/definitions` holds definitions for rulesets to use, not a ruleset"
        )),
        "{}",
        run.stderr
    );
}

#[test]
fn an_evaluation_error_in_definitions_shows_their_file() {
    let run = judgement_with_input(
        &[
            "eval",
            "--ruleset",
            &format!("{SHARED_ERRORS}/eval_error.rules"),
        ],
        Some(r#"{"visit": {"feedback": "2020-01-06"}}"#),
    );
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains(&format!("{SHARED_ERRORS}/definitions/overflow.rules:10:23")),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("then deadline far = feedback + far"));
}

#[test]
fn explain_schema_and_fmt_see_the_definitions() {
    let record = tmp_file(
        "agency_visit.json",
        r#"{"visit": {"start": "2016-10-24", "kind": "monitoring"},
            "last_inspection": {"feedback": "2016-07-25", "overall": "inadequate"},
            "proposed": {"overall_effectiveness": "good"},
            "monitoring": {"requirements_met": false}}"#,
    );
    let agencies = format!("{SHARED}/agencies");
    let run = judgement(&["explain", "--ruleset", &agencies, &record]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = words(&run.stdout);
    assert!(
        text.contains("return_gap = 91 days (defined as visit_start - previous_feedback)"),
        "a let of the definitions, with its formula: {text}"
    );
    assert!(text.contains("lowered by rule inadequate_remains (para 125)"));
    let run = judgement(&["schema", "--ruleset", &agencies]);
    let schema: Json = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(
        schema["properties"]["monitoring"]["properties"]["requirements_met"]["type"],
        "boolean"
    );
    let run = judgement(&["fmt", "--check", "tests/fixtures/definitions"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
}

#[test]
fn a_record_shows_twenty_problems_and_counts_the_rest_in_every_format() {
    let mut record = full_inspection();
    for i in 0..30 {
        record[format!("stray{i}")] = Json::from(i);
    }
    let file = tmp_file("thirty_strays.json", &record.to_string());
    let human = judgement(&["eval", "-r", REAL, &file]);
    assert_eq!(human.code, 1);
    assert_eq!(human.stderr.lines().count(), 21, "{}", human.stderr);
    assert!(
        human
            .stderr
            .ends_with(": and 10 more problems with this record\n"),
        "{}",
        human.stderr
    );
    // In JSON too: before, a record of a hundred thousand undeclared keys
    // printed a line for each.
    let json = judgement(&["--format", "json", "eval", "-r", REAL, &file]);
    assert_eq!(json.code, 1);
    let problems = output_lines(&json.stderr);
    assert_eq!(problems.len(), 21, "{}", json.stderr);
    assert_eq!(problems[0]["path"], "stray0");
    assert_eq!(
        problems[20]["message"],
        "and 10 more problems with this record"
    );
    // And in the error line of a JSON Lines run.
    let lines = tmp_file("thirty_strays.jsonl", &format!("{record}\n"));
    let run = judgement(&["eval", "-r", REAL, &lines]);
    assert_eq!(run.code, 1);
    let line: Json = serde_json::from_str(run.stdout.trim_end()).unwrap();
    let error = line["error"].as_str().unwrap();
    assert_eq!(
        error
            .matches("not a field of this ruleset's evidence")
            .count(),
        20
    );
    assert!(
        error.ends_with("; and 10 more problems with this record"),
        "{error}"
    );
}

/// A misspelt evidence key is an error naming the path and the nearest
/// declared field; `--allow-unknown-fields` accepts it and lists it in the
/// outcome's warnings; `schema` closes every object unless asked not to
/// (issue 5, A1).
#[test]
fn an_undeclared_evidence_key_is_refused_unless_allowed() {
    let mut record = full_inspection();
    let since = record["manager"]["vacant_since"].take();
    record["manager"] = serde_json::json!({"vacant_snce": since});
    let file = tmp_file("misspelt_key.json", &record.to_string());
    let run = judgement(&["eval", "-r", REAL, &file]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(
        run.stderr.contains(
            "manager.vacant_snce: not a field of this ruleset's evidence; did you mean `manager.vacant_since`?"
        ),
        "{}",
        run.stderr
    );
    let run = judgement(&["eval", "--allow-unknown-fields", "-r", REAL, &file]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let outcome: Json = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(outcome["warnings"][0]["path"], "manager.vacant_snce");
    let run = judgement(&["explain", "--allow-unknown-fields", "-r", REAL, &file]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(words(&run.stdout).contains("Warning: manager.vacant_snce: not a field"));

    let closed = judgement(&["schema", "-r", REAL]);
    let schema: Json = serde_json::from_str(&closed.stdout).unwrap();
    assert_eq!(schema["additionalProperties"], false);
    assert_eq!(
        schema["properties"]["manager"]["additionalProperties"],
        false
    );
    let open = judgement(&["schema", "--allow-unknown-fields", "-r", REAL]);
    let schema: Json = serde_json::from_str(&open.stdout).unwrap();
    assert!(schema.get("additionalProperties").is_none(), "{schema}");
}

/// A rule file named from its own folder (`2015-04.rules`, `.`) finds the
/// calendars and definitions in the folders above the current one, as it
/// does when named from the repository's root.
#[test]
fn a_rule_file_named_from_its_own_folder_finds_calendars_and_definitions_above() {
    for args in [
        &["check", "2015-04.rules"][..],
        &["check", "."][..],
        &["test", "./2015-04.rules"][..],
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_judgement"))
            .args(args)
            .current_dir(root().join("rulesets/childrens_homes"))
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// A deadline met (`met on`) is said to be met, late or not, and a rule
/// over a list that fired for some elements is not listed as not firing,
/// except for the elements it did not fire for.
#[test]
fn explain_says_when_a_deadline_was_met_and_which_elements_a_rule_passed_by() {
    let corpus = |dir: &str, prefix: &str| {
        let path = std::fs::read_dir(format!("tests/fixtures/eval/{dir}"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| p.file_name().unwrap().to_string_lossy().starts_with(prefix))
            .unwrap();
        let mut record: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        record.as_object_mut().unwrap().remove("_expect");
        tmp_file(&format!("{dir}_{prefix}.json"), &record.to_string())
    };
    let file = corpus("childrens_homes", "108_");
    let run = judgement(&["explain", "-r", REAL, &file]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = words(&run.stdout);
    assert!(
        text.contains("Draft report: 2015-11-25, met on 2015-11-24, by rule"),
        "{text}"
    );
    assert!(
        text.contains(
            "Absence notice for absence a1: 2016-01-01, met late, on 2016-01-04, by rule"
        ),
        "{text}"
    );
    assert!(
        text.contains("Publication: 2015-12-16, overdue as at 2016-01-05, by rule"),
        "{text}"
    );
    // A window with a day recorded before it opened: not met, and overdue
    // once it has closed, and explain says why.
    let mut early: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(corpus("monitoring_visits", "01_")).unwrap())
            .unwrap();
    early["compliance_notices"] = serde_json::json!([
        {"id": "cn1", "served": "2015-11-05", "completion": "2016-01-15", "followed_up": "2015-12-16"}
    ]);
    early["assessment"] = serde_json::json!({"date": "2016-02-01"});
    let file = tmp_file("early_follow_up.json", &early.to_string());
    let run = judgement(&["explain", "-r", "rulesets/monitoring_visits", &file]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = words(&run.stdout);
    assert!(
        text.contains(
            "Follow up visit for compliance notice cn1: between 2016-01-16 and 2016-01-22, not met by what was done on 2015-12-16, before it opened, overdue as at 2016-02-01, by rule follow_up_visit"
        ),
        "{text}"
    );
    let file = corpus("la_child_protection", "37_");
    let run = judgement(&["explain", "-r", "rulesets/la_child_protection", &file]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = words(&run.stdout);
    assert!(
        text.contains("Area for improvement a1: 2012-08-31, by rule"),
        "{text}"
    );
    assert!(
        text.contains(
            "Rules that did not fire: area_for_improvement_immediately (for a2, a3, a4, a5),"
        ),
        "{text}"
    );
}

/// A tool that writes one record to `judgement eval -` and waits for its
/// outcome before writing the next gets each outcome while the input is
/// still open: the first lines, read to decide the input's shape, go out
/// at once, and a pause in the input after a whole line sends what was
/// read. (Before, nothing came until 1,024 lines or the end of input.)
#[test]
fn eval_answers_each_record_of_a_pipe_before_the_next_is_written() {
    use std::sync::mpsc;
    use std::time::Duration;
    let line = std::fs::read_to_string(root().join("examples/childrens_homes/batch.jsonl"))
        .unwrap()
        .lines()
        .next()
        .unwrap()
        .to_string();
    for input in [&["--input", "jsonl"][..], &[][..]] {
        let mut args = vec!["eval", "-r", "rulesets/childrens_homes", "--compact"];
        args.extend_from_slice(input);
        args.push("-");
        let mut child = Command::new(env!("CARGO_BIN_EXE_judgement"))
            .args(&args)
            .current_dir(root())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel();
        let reader = std::thread::spawn(move || {
            for out in BufReader::new(stdout).lines() {
                if tx.send(out.unwrap()).is_err() {
                    return;
                }
            }
        });
        // With the shape to decide, two lines are read first.
        let at_once = if input.is_empty() { 2 } else { 1 };
        for _ in 0..at_once {
            writeln!(stdin, "{line}").unwrap();
        }
        stdin.flush().unwrap();
        for _ in 0..at_once {
            let got = rx.recv_timeout(Duration::from_secs(30));
            assert!(got.is_ok(), "{args:?}: no outcome while the input is open");
        }
        for _ in 0..2 {
            writeln!(stdin, "{line}").unwrap();
            stdin.flush().unwrap();
            let got = rx.recv_timeout(Duration::from_secs(30));
            assert!(got.is_ok(), "{args:?}: no outcome while the input is open");
        }
        drop(stdin);
        assert!(child.wait().unwrap().success());
        reader.join().unwrap();
    }
}

/// A file in `definitions/` that cannot be read (not UTF-8, a folder named
/// `x.rules`) is an error only for a ruleset that uses it: one stray file
/// once stopped every ruleset beside it.
#[test]
fn an_unreadable_definitions_file_stops_only_the_rulesets_that_use_it() {
    let dir = tmp_dir("stray_definitions");
    for sub in [
        "calendars",
        "definitions",
        "la_child_protection",
        "childrens_homes",
    ] {
        std::fs::create_dir_all(dir.join(sub)).unwrap();
        for entry in std::fs::read_dir(root().join("rulesets").join(sub)).unwrap() {
            let path = entry.unwrap().path();
            std::fs::copy(&path, dir.join(sub).join(path.file_name().unwrap())).unwrap();
        }
    }
    std::fs::write(dir.join("definitions/stray.rules"), b"\xff\xfe").unwrap();
    std::fs::create_dir_all(dir.join("definitions/old.rules")).unwrap();
    let lacp = dir.join("la_child_protection").display().to_string();
    let run = judgement(&["check", &lacp]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let homes = dir.join("childrens_homes").display().to_string();
    let run = judgement(&["check", &homes]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    std::fs::write(dir.join("definitions/monitoring_visits.rules"), b"\xff\xfe").unwrap();
    let run = judgement(&["check", &homes]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("the definitions `monitoring_visits` cannot be read"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
}

/// Corpus records that are not JSON are counted as skipped by coverage,
/// not left out unseen.
#[test]
fn coverage_counts_a_corpus_record_that_is_not_json_as_skipped() {
    let file = tmp_file("not_json_corpus.jsonl", "{bad\n{\"x\":\n");
    let run = judgement(&[
        "test",
        "--coverage",
        "--json",
        "--corpus",
        &file,
        "rulesets/childrens_homes",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let report: Json = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(report["files"][0]["records"], 0, "{report}");
    assert_eq!(report["files"][0]["skipped"], 2, "{report}");
}

/// A DSL test dated outside its edition covers nothing: coverage says it
/// was left out, counts it in `tests_skipped`, and `--min 100` fails when
/// only that test fired a rule (it passed before: audit 25-tests, 1).
#[test]
fn coverage_leaves_out_a_test_dated_outside_the_edition() {
    let dir = scratch("coverage-outside-edition");
    let rules = dir.join("only.rules");
    std::fs::write(
        &rules,
        "ruleset only \"Edition period\"\n  edition \"2015-04\"\n  in force from 2015-04-01 to 2017-03-31\n  as at visit.start\n\nevidence\n  visit.start: date\n  visit.end: date\n\nthreshold longest_visit = 2 days\n\nrule long_visit \"para 12\"\n  when visit.end - visit.start > longest_visit\n  then action review_length\n\ntest \"within the period: not too long\"\n  given visit.start = 2016-11-07, visit.end = 2016-11-09\n  expect no actions\n\ntest \"outside the period: the only test that fires the rule\"\n  given visit.start = 2017-04-03, visit.end = 2017-04-07\n  expect action review_length\n",
    )
    .unwrap();
    let rules = rules.display().to_string();
    let run = judgement(&["test", "--coverage", "--min", "100", &rules]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(
        run.stdout
            .contains("1 test (1 more test dated outside the edition, not counted)"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("only.rules:12:6) never fired"),
        "{}",
        run.stdout
    );
    assert!(
        run.stderr.contains("rule coverage is 0.0%"),
        "{}",
        run.stderr
    );
    let run = judgement(&["test", "--coverage", "--json", &rules]);
    let report: Json = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(report["files"][0]["tests"], 1, "{report}");
    assert_eq!(report["files"][0]["tests_skipped"], 1, "{report}");
    assert_eq!(report["files"][0]["summary"]["rules_fired"], 0, "{report}");
}

/// A coverage figure short of the whole is never shown as the whole: 2501
/// of 2502 rules fired is 99.96% in the table, as in the message of
/// `--min 100`, where the table said 100.0% (a robustness audit found it).
#[test]
fn coverage_short_of_every_rule_is_not_shown_as_100_percent() {
    let dir = scratch("coverage-short");
    let rules = dir.join("many.rules");
    let mut source = String::from(
        "ruleset many \"Many rules\"\n  in force from 2020-01-01\n\nevidence\n  a: bool\n\n",
    );
    for i in 0..2501 {
        source.push_str(&format!("rule r{i} \"p\" when a then action x\n"));
    }
    source.push_str("rule never \"p\" when not a then action y\n\n");
    source.push_str("test \"a\"\n  given a = true\n  expect action x\n");
    std::fs::write(&rules, source).unwrap();
    let rules = rules.display().to_string();
    let run = judgement(&["test", "--coverage", "--min", "100", &rules]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stdout
            .contains("rules fired                        2501/2502   99.96%"),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains("2501/2502  100.0%"), "{}", run.stdout);
    assert!(
        run.stderr.contains("rule coverage is 99.96%"),
        "{}",
        run.stderr
    );
}

/// `--corpus` is read a record at a time, each record counted and dropped:
/// 12 MB of records that took 230 MB when all were kept before they were
/// counted run within 100 MB of address space (a robustness audit saw 2.4
/// GB for a million records, where `eval` of them takes 9 MB).
#[cfg(target_os = "linux")]
#[test]
fn coverage_reads_a_corpus_a_record_at_a_time() {
    let dir = scratch("coverage-stream");
    let numbers: Vec<String> = (0..1000).map(|n| n.to_string()).collect();
    let mut corpus = String::new();
    for i in 0..3000 {
        // An unknown field the ruleset refuses: skipped, once read.
        corpus.push_str(&format!(
            "{{\"id\":\"r{i}\",\"visit\":{{\"start\":\"2020-03-02\"}},\"proposed\":{{\"overall\":\"good\",\"care\":\"good\"}},\"extra\":[{}]}}\n",
            numbers.join(",")
        ));
    }
    for i in 0..2 {
        corpus.push_str(&small_record(&format!("ok{i}"), "good"));
        corpus.push('\n');
    }
    let file = dir.join("corpus.jsonl");
    std::fs::write(&file, corpus).unwrap();
    let script = format!(
        "ulimit -v 100000; exec '{}' test --coverage --json --corpus '{}' '{}'",
        env!("CARGO_BIN_EXE_judgement"),
        file.display(),
        data("small"),
    );
    let out = Command::new("sh")
        .args(["-c", &script])
        .current_dir(root())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let report: Json = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["files"][0]["records"], 2, "{report}");
    assert_eq!(report["files"][0]["skipped"], 3000, "{report}");
}

/// Evidence that begins with a byte-order mark is read, as a rule file or
/// a calendar that does is (RFC 8259 lets a reader ignore it).
#[test]
fn evidence_after_a_byte_order_mark_is_read() {
    let record = small_record("bom", "good");
    let file = tmp_file("bom.json", &format!("\u{feff}{record}"));
    let run = judgement(&["eval", "-r", &data("small"), &file]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let file = tmp_file("bom.jsonl", &format!("\u{feff}{record}\n{record}\n"));
    let run = judgement(&["eval", "-r", &data("small"), &file]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout.lines().count(), 2, "{}", run.stdout);
}

/// A scratch folder for one test, emptied first.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("judgement-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn check_takes_bare_file_names_and_two_rulesets_in_one_folder_each_on_its_own() {
    let dir = scratch("two-rulesets");
    let small =
        std::fs::read_to_string(root().join("tests/fixtures/cli/small/small.rules")).unwrap();
    std::fs::write(dir.join("a.rules"), &small).unwrap();
    std::fs::write(
        dir.join("b.rules"),
        small.replace(
            "ruleset small \"A small ruleset\"",
            "ruleset other \"Another\"",
        ),
    )
    .unwrap();
    // Named without a folder: the folder is `.`, not the empty path.
    let run = judgement_in(&dir, &["check", "a.rules", "b.rules"]);
    assert!(!run.stderr.contains("cannot read"), "{}", run.stderr);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    // Two rulesets in one folder are each checked, and the folder (which
    // `eval --ruleset` could not take) is warned of: a failure only under
    // --strict.
    assert!(
        run.stderr
            .contains("this folder holds 2 rulesets, `other`, `small`"),
        "{}",
        run.stderr
    );
    assert!(
        run.stdout.contains("checked 2 files: 0 errors, 1 warning"),
        "{}",
        run.stdout
    );
    let strict = judgement_in(&dir, &["check", "--strict", "."]);
    assert_eq!(strict.code, 1, "{}{}", strict.stdout, strict.stderr);
    // The same file twice is one ruleset: no editions to fit together.
    let run = judgement_in(&dir, &["check", "a.rules", "a.rules"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    // Two editions of one ruleset in one folder are still checked as such.
    std::fs::remove_file(dir.join("b.rules")).unwrap();
    std::fs::write(dir.join("c.rules"), &small).unwrap();
    let run = judgement_in(&dir, &["check", "a.rules", "c.rules"]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert!(run.stderr.contains("in force at once"), "{}", run.stderr);
    std::fs::remove_dir_all(&dir).ok();
}

/// Advice that could not be decided (its evidence not known, or a
/// provisional judgement it reads) is named, with its elements, as advice
/// not given; and an optional deadline past says it passed, not overdue.
#[test]
fn explain_names_advice_not_decided_and_optional_deadlines_passed() {
    let dir = scratch("advice-not-decided");
    std::fs::write(
        dir.join("e.rules"),
        "ruleset e \"Explain\"
  in force from 2015-04-01
  evaluated on review.date

scale grade: good > fair > poor

record thing
  id: text
  ok: bool or unknown

evidence
  review.date: date or none
  complaint.made: date or none
  flag: bool or unknown
  proposed.overall: grade
  items: list of thing default empty

judgement overall: grade from proposed.overall

rule adv_flag \"p1\"
  when flag
  advise \"the flag is likely up\"

rule adv_items \"p2\"
  for each i in items
  when not i.ok
  advise \"item {i.id} is likely not ok\"

rule adv_judgement \"p3\"
  when overall is fair
  advise \"fair homes are usually looked at again\"

rule cap_flag \"p4\"
  when flag
  then overall at most fair

rule complaint_window \"p5\"
  then optional deadline complaint = 2016-01-08 met on complaint.made
",
    )
    .unwrap();
    std::fs::write(
        dir.join("e.json"),
        r#"{"review": {"date": "2016-02-01"}, "proposed": {"overall": "good"},
            "items": [{"id": "a"}, {"id": "b", "ok": true}]}"#,
    )
    .unwrap();
    let run = judgement_in(&dir, &["explain", "-r", "e.rules", "e.json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = words(&run.stdout);
    assert!(
        text.contains(
            "Advice not given because the evidence does not say enough to decide it: adv_flag, adv_items (for a), adv_judgement."
        ),
        "{text}"
    );
    assert!(
        text.contains("Rules that did not fire: adv_items (for b)."),
        "{text}"
    );
    assert!(
        text.contains("Complaint: 2016-01-08, passed (optional: not overdue), by rule"),
        "{text}"
    );
    // Done after the optional window closed: not "met late", which would
    // read as a deadline kept.
    std::fs::write(
        dir.join("late.json"),
        r#"{"review": {"date": "2016-02-01"}, "proposed": {"overall": "good"}, "complaint": {"made": "2016-01-11"}}"#,
    )
    .unwrap();
    let run = judgement_in(&dir, &["explain", "-r", "e.rules", "late.json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = words(&run.stdout);
    assert!(
        text.contains("Complaint: 2016-01-08, done after it closed, on 2016-01-11, by rule"),
        "{text}"
    );
    assert!(!text.contains("met late"), "{text}");
    std::fs::remove_dir_all(&dir).ok();
}

/// Columns are characters in both forms: the text form counted bytes, so
/// a line with `é` before the error was one column further on than the
/// JSON form and the editor said.
#[test]
fn check_counts_columns_in_characters_in_text_and_json_alike() {
    let dir = scratch("columns");
    std::fs::write(
        dir.join("r.rules"),
        "ruleset r \"R\"\n  in force from 2015-04-01\nevidence\n  visit.feedback: date\nrule draft \"para 18 é\" then deadline draft_report = visit.fedback + 10 days\n",
    )
    .unwrap();
    let text = judgement_in(&dir, &["check", "r.rules"]);
    assert!(text.stderr.contains("r.rules:5:53]"), "{}", text.stderr);
    let json = judgement_in(&dir, &["--format", "json", "check", "r.rules"]);
    let first: Json = serde_json::from_str(json.stderr.lines().next().unwrap()).unwrap();
    assert_eq!(
        (first["line"].as_u64(), first["column"].as_u64()),
        (Some(5), Some(53))
    );
    std::fs::remove_dir_all(&dir).ok();
}

/// `check` of a folder finds the calendars and definitions beside its files
/// once a folder, not once a file: with 2,000 definitions files beside one
/// ruleset that uses one of them, each file's check read all 2,000 again
/// (a minute in a release build, against a fifth of a second now).
#[test]
fn check_of_a_folder_of_many_definitions_reads_them_once() {
    let dir = scratch("many-definitions");
    std::fs::create_dir_all(dir.join("definitions")).unwrap();
    std::fs::write(
        dir.join("r.rules"),
        "ruleset r \"R\"\n  in force from 2015-04-01\n  uses d0\n\nevidence\n  a: bool\n",
    )
    .unwrap();
    for i in 0..2_000 {
        std::fs::write(
            dir.join(format!("definitions/d{i}.rules")),
            format!("definitions d{i} \"D\"\n\nevidence\n  x{i}: bool default false\n"),
        )
        .unwrap();
    }
    let run = judgement_in(&dir, &["check", "."]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout
            .contains("checked 2001 files: 0 errors, 0 warnings"),
        "{}",
        run.stdout
    );
    std::fs::remove_dir_all(&dir).ok();
}

/// A rule file's control characters are shown as their escapes in a
/// diagnostic, never copied to the terminal (an escape sequence in a name
/// restyled it; a NUL was printed raw), and the snippet's underline and
/// the header's column still fall where the file has them.
/// With `--format json`, every diagnostic says what kind of problem it is
/// in `code`, one of the kinds the docs list: a tool need not tell an
/// evidence error from a file it could not read by the keys it happens to
/// have.
#[test]
fn every_json_diagnostic_has_a_code_of_its_kind() {
    let small = data("small");
    let mut bad = full_inspection();
    bad["proposed"]["overall"] = "goood".into();
    let cases: Vec<(Vec<String>, Option<String>, &str)> = vec![
        (
            vec!["check".into(), "tests/fixtures/cli/broken".into()],
            None,
            "check",
        ),
        (
            vec!["check".into(), "no/such/file.rules".into()],
            None,
            "io",
        ),
        (
            vec!["eval".into(), "--threads".into(), "0".into()],
            None,
            "usage",
        ),
        (
            vec![
                "eval".into(),
                "-r".into(),
                REAL.into(),
                tmp_file("goood.json", &bad.to_string()),
            ],
            None,
            "evidence",
        ),
        (
            vec![
                "eval".into(),
                "-r".into(),
                REAL.into(),
                tmp_file("broken.json", "{\"id\": "),
            ],
            None,
            "json",
        ),
        (
            vec!["eval".into(), "-r".into(), small.clone()],
            Some(String::new()),
            "evidence",
        ),
        (
            vec![
                "eval".into(),
                "-r".into(),
                small.clone(),
                "--edition".into(),
                "1999".into(),
            ],
            Some(String::new()),
            "edition",
        ),
        (
            vec![
                "eval".into(),
                "-r".into(),
                REAL.into(),
                "no_such_record.json".into(),
            ],
            None,
            "io",
        ),
        (
            vec!["test".into(), "tests/fixtures/cli/failing".into()],
            None,
            "test",
        ),
    ];
    let kinds = [
        "io",
        "usage",
        "json",
        "evidence",
        "edition",
        "evaluation",
        "load",
        "calendar",
        "test",
        "coverage",
        "internal",
        "syntax",
        "check",
    ];
    for (args, input, first) in cases {
        let mut all = vec!["--format".to_string(), "json".to_string()];
        all.extend(args.iter().cloned());
        let all: Vec<&str> = all.iter().map(String::as_str).collect();
        let run = judgement_with_input(&all, input.as_deref());
        assert_ne!(run.code, 0, "{args:?}");
        let lines: Vec<Json> = run
            .stderr
            .lines()
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{args:?}: {l}: {e}")))
            .collect();
        assert!(!lines.is_empty(), "{args:?}");
        for line in &lines {
            let code = line["code"]
                .as_str()
                .unwrap_or_else(|| panic!("{args:?}: {line}"));
            assert!(kinds.contains(&code), "{args:?}: {line}");
        }
        assert_eq!(lines[0]["code"], first, "{args:?}: {}", run.stderr);
    }
}

/// A calendar file named to `check`, or a folder of calendars, is read as
/// a calendar, not as a rule file ("expected `definitions` or `ruleset`,
/// found `calendar`"): a good one checks clean, a broken one gets its own
/// errors at their lines and columns.
#[test]
fn check_reads_a_calendar_file_as_a_calendar() {
    for path in [
        "rulesets/calendars/england_and_wales.calendar",
        "rulesets/calendars",
    ] {
        let run = judgement(&["check", path]);
        assert_eq!(run.code, 0, "{path}: {}", run.stderr);
        assert_eq!(run.stdout, "checked 1 file: 0 errors, 0 warnings\n");
    }
    let run = judgement(&[
        "check",
        "rulesets/calendars/england_and_wales.calendar",
        "rulesets/childrens_homes",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.starts_with("checked 2 files"), "{}", run.stdout);
    let dir = scratch("calendar-check");
    std::fs::write(
        dir.join("bad.calendar"),
        "calendar x\ntitle \"X\"\nversion \"1\"\nsource \"here\"\nyears 2015 to 2015\n2015-12-25 Christmas Day\n2015-13-01 Nowhere Day\n",
    )
    .unwrap();
    let run = judgement_in(&dir, &["--format", "json", "check", "bad.calendar"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(run.stdout, "checked 1 file: 1 error, 0 warnings\n");
    let error: Json = serde_json::from_str(run.stderr.trim()).unwrap();
    assert_eq!(error["message"], "`2015-13-01` is not a day that exists");
    assert_eq!((&error["line"], &error["column"]), (&json!(7), &json!(1)));
    assert_eq!(error["code"], "calendar");
}

#[test]
fn check_shows_a_rule_files_control_characters_escaped() {
    let dir = scratch("control-characters");
    std::fs::write(
        dir.join("r.rules"),
        "ruleset r \"R\"\n  in force from 2015-04-01\n\nevidence\n  a: bool\n\nrule\u{1b}[31mvacancy \"p1\"\n  when a\n  then finding x\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("nul.rules"),
        "ruleset r \"R\"\n  in force from 2015-04-01\n\nevidence\n\0  a: bool\n",
    )
    .unwrap();
    for file in ["r.rules", "nul.rules"] {
        let run = judgement_in(&dir, &["check", file]);
        assert_eq!(run.code, 1, "{}", run.stderr);
        assert!(
            !run.stderr.contains(['\u{1b}', '\0']),
            "{file}: {:?}",
            run.stderr
        );
    }
    let run = judgement_in(&dir, &["check", "r.rules"]);
    assert!(run.stderr.contains("r.rules:7:5]"), "{}", run.stderr);
    // The escape is named, where it stands, with what to do; deleting it
    // joins no name, so no name is offered.
    assert!(
        run.stderr
            .contains("found a control character (U+001B), which cannot be seen"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("delete it"), "{}", run.stderr);
    assert!(!run.stderr.contains("did you mean"), "{}", run.stderr);
    // The snippet line, and the underline starting under the escape.
    let lines: Vec<&str> = run.stderr.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.contains("rule\\u{1b}[31mvacancy \"p1\""))
        .unwrap();
    let column = |line: &str, what: char| line.chars().position(|c| c == what);
    assert_eq!(
        column(lines[at], '\\'),
        column(lines[at + 1], '─'),
        "{}",
        run.stderr
    );
    let nul = judgement_in(&dir, &["check", "nul.rules"]);
    assert!(nul.stderr.contains(" \\u{0}  a: bool"), "{}", nul.stderr);
    assert!(nul.stderr.contains("nul.rules:5:1]"), "{}", nul.stderr);
    std::fs::remove_dir_all(&dir).ok();
}

/// A file's name is shown with its line feeds escaped too: a folder named
/// with one split the report's header and could fake a line of its own.
#[test]
fn a_file_name_with_a_line_feed_is_shown_escaped() {
    let dir = scratch("name-line-feed");
    let odd = dir.join("a\nerror: fake");
    std::fs::create_dir_all(&odd).unwrap();
    std::fs::write(
        odd.join("r.rules"),
        "ruleset r \"R\"\n  in force from 2015-04-01\n\nevidence\n  a: boo\n",
    )
    .unwrap();
    std::fs::write(odd.join("e.json"), "{").unwrap();
    let check = judgement_in(&dir, &["check", "."]);
    let real = root().join(REAL);
    let eval = judgement_in(
        &dir,
        &[
            "eval",
            "-r",
            real.to_str().unwrap(),
            "a\nerror: fake/e.json",
        ],
    );
    for run in [&check, &eval] {
        assert_eq!(run.code, 1, "{}", run.stderr);
        assert!(run.stderr.contains("a\\nerror: fake/"), "{}", run.stderr);
        assert!(
            !run.stderr.lines().any(|l| l.starts_with("error: fake")),
            "{}",
            run.stderr
        );
    }
    std::fs::remove_dir_all(&dir).ok();
}

/// A let that meets a need of the definitions used is not "never used",
/// even where the definitions do not read it yet: removing it, as the
/// warning said, is an error.
#[test]
fn a_let_that_meets_a_need_is_not_reported_unused() {
    let dir = scratch("needed-let");
    std::fs::create_dir_all(dir.join("definitions")).unwrap();
    std::fs::write(
        dir.join("definitions/shared.rules"),
        "definitions shared \"Shared\"\n\nneeds visit_day: date\n\nevidence\n  shared.flag: bool default false\n\nrule shared_rule \"para 9\"\n  when shared.flag\n  then action shared_action\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("user.rules"),
        "ruleset user \"User\"\n  in force from 2020-01-01\n  uses shared\n\nevidence\n  visit.start: date\n\nlet visit_day = visit.start\nlet spare = visit.start\n",
    )
    .unwrap();
    let run = judgement_in(&dir, &["check", "user.rules"]);
    assert!(
        !run.stderr.contains("`visit_day` is never used"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("`spare` is never used"),
        "{}",
        run.stderr
    );
    std::fs::remove_dir_all(&dir).ok();
}

/// An evidence file that is not UTF-8 says where: the line and column (in
/// characters) of the first bad byte.
#[test]
fn evidence_that_is_not_utf8_is_located() {
    let dir = scratch("not-utf8");
    std::fs::write(
        dir.join("e.json"),
        b"{\n  \"id\": \"caf\xc3\xa9 \xff\"\n}\n",
    )
    .unwrap();
    let small = root().join("tests/fixtures/cli/small");
    let run = judgement_in(
        &dir,
        &["eval", "--ruleset", small.to_str().unwrap(), "e.json"],
    );
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("e.json: not valid UTF-8 at line 2, column 15 (byte 18 is not)"),
        "{}",
        run.stderr
    );
    // As JSON, the line and column are fields, as a JSON syntax error's are.
    let run = judgement_in(
        &dir,
        &[
            "eval",
            "--format",
            "json",
            "--ruleset",
            small.to_str().unwrap(),
            "e.json",
        ],
    );
    assert_eq!(run.code, 1);
    let error: serde_json::Value = serde_json::from_str(run.stderr.trim()).unwrap();
    assert_eq!(
        error,
        serde_json::json!({
            "severity": "error",
            "message": "not valid UTF-8 at line 2, column 15 (byte 18 is not)",
            "file": "e.json",
            "line": 2,
            "column": 15,
            "code": "json"
        })
    );
    std::fs::remove_dir_all(&dir).ok();
}

/// A line of JSON Lines that is not UTF-8: with `--format json`, its line
/// and column are fields, as a single document's are.
#[test]
fn a_json_lines_line_not_utf8_has_its_column_as_json() {
    let small = root().join("tests/fixtures/cli/small");
    let file = tmp_bytes("not-utf8-line.jsonl", b"\n{\"id\": \"caf\xc3\xa9 \xff\"}\n");
    let run = judgement(&[
        "--format",
        "json",
        "eval",
        "--ruleset",
        small.to_str().unwrap(),
        &file,
    ]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let error: serde_json::Value = serde_json::from_str(run.stderr.trim()).unwrap();
    assert_eq!(error["line"], 2, "{error}");
    assert_eq!(error["column"], 14, "{error}");
    assert_eq!(
        error["message"], "not valid UTF-8 at column 14 (byte 15 is not)",
        "{error}"
    );
}

/// A folder of rulesets named where one ruleset is wanted: the message names
/// the rulesets in it (not the definitions); and a `.jsonl` file read with
/// `--input json` is told to drop the flag, not to be renamed `.jsonl`.
#[test]
fn eval_says_what_to_name_instead() {
    let run = judgement(&[
        "eval",
        "-r",
        "rulesets",
        "examples/childrens_homes/full_inspection.json",
    ]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("it holds the folders of rulesets")
            && run.stderr.contains("`rulesets/childrens_homes`")
            && !run.stderr.contains("`rulesets/definitions`"),
        "{}",
        run.stderr
    );
    let run = judgement(&[
        "eval",
        "--input",
        "json",
        "-r",
        REAL,
        "examples/childrens_homes/batch.jsonl",
    ]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("pass `--input jsonl`, or leave `--input` out, to evaluate one a line"),
        "{}",
        run.stderr
    );
}

/// A rule file that is not UTF-8 says where, as evidence does: the line and
/// column (in characters) of the first bad byte.
#[test]
fn a_rule_file_that_is_not_utf8_is_located() {
    let dir = scratch("rules-not-utf8");
    let mut text = std::fs::read(data("small/small.rules")).unwrap();
    let first_line = text.iter().position(|&b| b == b'\n').unwrap();
    // "é" then a lone 0xff, at the start of the second line.
    let bad = [0xc3, 0xa9, 0xff];
    for (i, b) in bad.iter().enumerate() {
        text.insert(first_line + 1 + i, *b);
    }
    std::fs::write(dir.join("bad.rules"), &text).unwrap();
    // Every command that reads it exits 2, an I/O error, `test` too.
    for command in ["check", "test"] {
        let run = judgement_in(&dir, &[command, "bad.rules"]);
        assert_eq!(run.code, 2, "{command}: {}", run.stderr);
        assert!(
            run.stderr.contains(&format!(
                "not UTF-8 text at line 2, column 2 (byte {} is not)",
                first_line + 4
            )),
            "{}",
            run.stderr
        );
    }
    let run = judgement_in(&dir, &["test", "bad.rules"]);
    assert!(
        run.stderr.contains("1 rule file could not be read"),
        "{}",
        run.stderr
    );
    // With `--format json`, where is in fields too, as for evidence.
    let run = judgement_in(&dir, &["--format", "json", "check", "bad.rules"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    let error: Json = serde_json::from_str(run.stderr.trim()).unwrap();
    assert_eq!(error["file"], "bad.rules");
    assert_eq!((&error["line"], &error["column"]), (&json!(2), &json!(2)));
    assert_eq!(error["code"], "io");
    std::fs::remove_dir_all(&dir).ok();
}

/// A file of the corpus that cannot be read (a link to nothing) or is
/// longer than `--max-record-bytes` is one case that cannot be evaluated:
/// the rest are still compared and summed up. A record one ruleset refuses
/// says which.
#[cfg(unix)]
#[test]
fn diff_counts_an_unreadable_or_too_long_file_as_one_case_and_names_the_side() {
    let (before, after, corpus) = diff_setup("diff-unreadable");
    std::os::unix::fs::symlink(corpus.join("nowhere.json"), corpus.join("m.json")).unwrap();
    std::fs::write(
        corpus.join("n.json"),
        format!(r#"{{"id": "{}"}}"#, "x".repeat(400)),
    )
    .unwrap();
    let run = judgement(&[
        "diff",
        "--max-record-bytes",
        "300",
        "--before",
        &before,
        "--after",
        &before,
        corpus.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("m.json: cannot read"), "{}", run.stderr);
    assert!(
        run.stderr.contains("is longer than 300 bytes"),
        "{}",
        run.stderr
    );
    assert!(
        run.stdout
            .ends_with("4 cases compared, 0 changed, 2 could not be evaluated\n"),
        "{}",
        run.stdout
    );
    // A field the after ruleset requires and the record lacks: refused
    // with --after only, and said so.
    std::fs::remove_file(corpus.join("m.json")).unwrap();
    std::fs::remove_file(corpus.join("n.json")).unwrap();
    let source = std::fs::read_to_string(&after).unwrap();
    std::fs::write(
        &after,
        source.replacen("evidence\n", "evidence\n  visit.extra: date\n", 1),
    )
    .unwrap();
    let run = diff_run(&before, &after, &corpus);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("b.json (with --after): visit.extra: required"),
        "{}",
        run.stderr
    );
}

/// Editions named by two spellings of one folder (`eds/a.rules`,
/// `./eds/b.rules`) are fitted together all the same: they were grouped by
/// the folder as typed, and an overlap between them went unreported.
#[test]
fn check_fits_editions_together_whatever_spelling_names_their_folder() {
    let dir = scratch("edition-spellings");
    std::fs::create_dir_all(dir.join("eds")).unwrap();
    for (file, from) in [("a.rules", "2015-04-01"), ("b.rules", "2016-04-01")] {
        std::fs::write(
            dir.join("eds").join(file),
            format!(
                "ruleset eds \"Editions\"\n  edition \"{}\"\n  in force from {from}\n  as at visit.date\n\nevidence\n  visit.date: date\n\nrule r \"p\"\n  then action a\n",
                file.trim_end_matches(".rules")
            ),
        )
        .unwrap();
    }
    let run = judgement_in(&dir, &["check", "eds/a.rules", "./eds/b.rules"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("are both in force at once"),
        "{}",
        run.stderr
    );
    std::fs::remove_dir_all(&dir).ok();
}

/// Names are said as the handbooks write them: the deadline
/// `childrens_summary` is the "Children's summary" (LACP para 113).
#[test]
fn explain_writes_childrens_with_its_apostrophe() {
    let mut record: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(
            "tests/fixtures/eval/la_child_protection/01_issue_record_over_the_jubilee.json",
        )
        .unwrap(),
    )
    .unwrap();
    record.as_object_mut().unwrap().remove("_expect");
    let file = tmp_file("lacp_summary.json", &record.to_string());
    let run = judgement(&["explain", "-r", "rulesets/la_child_protection", &file]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("  Children's summary: "),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains("Childrens"), "{}", run.stdout);
}

/// A rule file of `n` rules without a citation (a warning each) and, when
/// `unknown`, as many reading a name never declared (an error each).
fn many_problems(n: usize, unknown: usize) -> String {
    let mut source =
        String::from("ruleset s \"S\"\n  in force from 2015-04-01\n\nevidence\n  a: bool\n");
    for i in 0..n {
        source.push_str(&format!("\nrule r{i}\n  when a\n  then action x{i}\n"));
    }
    for i in 0..unknown {
        source.push_str(&format!(
            "\nrule u{i} \"para 1\"\n  when nowhere{i}\n  then action y{i}\n"
        ));
    }
    source.push_str("\ntest \"t\"\n  given a = true\n  expect action x0\n");
    source
}

/// Past the 500 problems a file reports, the last one counts the rest as
/// what they are: warnings past the limit leave a file that checks, loads
/// and evaluates (the 501st warning once made it an error), and the
/// summary counts every problem, not the lines shown.
#[test]
fn problems_past_the_limit_are_counted_as_what_they_are() {
    // `check` of `file` (with `--strict`) exits `code`, with the problem
    // that stands for those left out and the summary it ends with.
    let checked = |file: &str, strict: bool, code: i32, problem: &str, summary: &str| {
        let mut args = vec!["check", file];
        if strict {
            args.insert(1, "--strict");
        }
        let run = judgement(&args);
        assert_eq!(run.code, code, "{}", run.stderr);
        assert!(run.stderr.contains(problem), "{problem}: {}", run.stderr);
        assert!(run.stdout.ends_with(summary), "{summary}: {}", run.stdout);
    };
    let dir = scratch("many-problems");
    let warned = dir.join("warned.rules");
    std::fs::write(&warned, many_problems(502, 0)).unwrap();
    let file = warned.to_string_lossy();
    checked(
        &file,
        false,
        0,
        "and 2 more warnings in this file",
        "checked 1 file: 0 errors, 502 warnings\n",
    );
    // Under --strict a missing citation is an error, past the limit too.
    checked(
        &file,
        true,
        1,
        "and 2 more errors in this file",
        "checked 1 file: 502 errors, 0 warnings (strict)\n",
    );
    let run = judgement(&["test", &file]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let run = judgement_with_input(&["eval", "--ruleset", &file, "-"], Some("{\"a\": true}"));
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("\"x0\""), "{}", run.stdout);

    let failing = dir.join("failing.rules");
    std::fs::write(&failing, many_problems(499, 3)).unwrap();
    let file = failing.to_string_lossy();
    checked(
        &file,
        false,
        1,
        "and 2 more errors in this file",
        "checked 1 file: 3 errors, 499 warnings\n",
    );
    let run = judgement(&["--format", "json", "check", &file]);
    let last = run.stderr.lines().last().unwrap_or_default();
    assert!(
        last.starts_with("{\"severity\":\"error\",\"message\":\"and 2 more errors in this file\""),
        "{last}"
    );
    assert!(
        last.ends_with(",\"more\":{\"errors\":2,\"warnings\":0}}"),
        "{last}"
    );

    // Syntax errors past the 20 reported are not counted: the summary
    // says so.
    let broken = dir.join("broken.rules");
    let mut source = many_problems(0, 0);
    source.push_str(&"\nrule r \"p\"\n  whn a\n".repeat(25));
    std::fs::write(&broken, source).unwrap();
    let run = judgement(&["check", &broken.to_string_lossy()]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("and more syntax errors after these"),
        "{}",
        run.stderr
    );
    assert!(
        run.stdout
            .ends_with("checked 1 file: at least 21 errors, 0 warnings\n"),
        "{}",
        run.stdout
    );
}

/// The explanation accounts for every rule of a list (audit 25-explain):
/// a rule that did not fire for some elements and could not be decided for
/// others names the elements it did not fire for (F1); a rule over a list
/// with no element is named as having run for none (F2); an empty element
/// id is shown as `""` (F3); an element of a list of plain values is named
/// by the rule's own name for it (F4); and a `= V` that did not change the
/// value "also set it to" V (F5).
#[test]
fn explain_names_every_rule_of_a_list_and_each_element_it_read() {
    let dir = tmp_dir("explain-elements");
    std::fs::write(dir.join("e.rules"), RULES_OF_ELEMENTS).unwrap();
    std::fs::write(
        dir.join("e.json"),
        r#"{"proposed": {"overall": "good"}, "marks": ["2015-07-01"],
            "items": [{"id": "a", "ok": true}, {"id": "b"}],
            "others": [{"id": "", "ok": false}]}"#,
    )
    .unwrap();
    let run = judgement_in(&dir, &["explain", "-r", "e.rules", "e.json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = words(&run.stdout);
    for expected in [
        "Rule item_hard (p1) for thing b: the evidence does not say items[1].ok.",
        "Rules that did not fire: item_hard (for a).",
        "Rules that ran for no element, their list giving none: over_extras (over extras).",
        "Other not ok for thing \"\"; by rule over_others (p2).",
        "Late mark for mark 2015-07-01; by rule each_mark (p3).",
    ] {
        assert!(text.contains(expected), "{expected}\n{text}");
    }
    std::fs::write(dir.join("f.json"), r#"{"proposed": {"overall": "fair"}}"#).unwrap();
    let run = judgement_in(&dir, &["explain", "-r", "e.rules", "f.json"]);
    let text = words(&run.stdout);
    assert!(
        text.contains("Rule set_fair (p4) also set it to fair; that did not change the value."),
        "{text}"
    );
    // Every list empty: each rule over one is named, none fired.
    assert!(
        text.contains(
            "Rules that ran for no element, their list giving none: item_hard (over items), \
             over_others (over others), over_extras (over extras), each_mark (over marks)."
        ),
        "{text}"
    );
    let why = judgement_in(
        &dir,
        &[
            "explain",
            "-r",
            "e.rules",
            "e.json",
            "--why-not",
            "over_others",
        ],
    );
    assert!(why.stdout.contains("It fired for \"\""), "{}", why.stdout);
}

const RULES_OF_ELEMENTS: &str = "ruleset e \"E\"
  in force from 2015-01-01

scale grade: good > fair > poor

record thing
  id: text
  ok: bool or unknown

evidence
  proposed.overall: grade
  items: list of thing default empty
  others: list of thing default empty
  extras: list of thing default empty
  marks: list of date default empty

judgement overall: grade from proposed.overall

rule item_hard \"p1\"
  for each i in items
  when not i.ok
  then finding item_not_ok

rule over_others \"p2\"
  for each o in others
  when not o.ok
  then finding other_not_ok

rule over_extras \"p2\"
  for each x in extras
  when not x.ok
  then finding extra_not_ok

rule each_mark \"p3\"
  for each mark in marks
  when mark > 2015-06-01
  then finding late_mark

rule set_fair \"p4\"
  then overall = fair

rule also_fair \"p5\"
  then overall = fair
";

/// A named pipe in a folder that is searched (for rule files, or a
/// corpus's records) is passed by, as `grep -r` does: reading one waits for
/// a writer that never comes, and the command would never end.
#[cfg(unix)]
#[test]
fn a_named_pipe_in_a_searched_folder_is_passed_by() {
    let dir = scratch("named-pipe");
    std::fs::copy(root().join(data("small/small.rules")), dir.join("a.rules")).unwrap();
    let made = Command::new("mkfifo")
        .arg(dir.join("pipe.rules"))
        .status()
        .unwrap();
    assert!(made.success());
    assert_eq!(judgement_in(&dir, &["fmt", "a.rules"]).code, 0);
    for args in [vec!["check", "."], vec!["fmt", "--check", "."]] {
        let run = judgement_in(&dir, &args);
        assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
        assert!(!run.stderr.contains("pipe"), "{}", run.stderr);
    }
    let (before, after, corpus) = diff_setup("diff-named-pipe");
    let made = Command::new("mkfifo")
        .arg(corpus.join("pipe.json"))
        .status()
        .unwrap();
    assert!(made.success());
    let run = judgement(&[
        "diff",
        "--before",
        &before,
        "--after",
        &after,
        corpus.to_str().unwrap(),
    ]);
    assert!(run.stdout.contains("2 cases"), "{}", run.stdout);
    // A ruleset's folder of editions, and its calendars, are searched too.
    let rulesets = dir.join("rulesets");
    for folder in ["calendars", "inspection_process"] {
        std::fs::create_dir_all(rulesets.join(folder)).unwrap();
        for entry in std::fs::read_dir(root().join("rulesets").join(folder)).unwrap() {
            let entry = entry.unwrap();
            std::fs::copy(entry.path(), rulesets.join(folder).join(entry.file_name())).unwrap();
        }
    }
    for pipe in ["calendars/pipe.calendar", "inspection_process/pipe.rules"] {
        let made = Command::new("mkfifo")
            .arg(rulesets.join(pipe))
            .status()
            .unwrap();
        assert!(made.success());
    }
    let run = judgement_with_input(
        &[
            "eval",
            "--ruleset",
            rulesets.join("inspection_process").to_str().unwrap(),
        ],
        Some(r#"{"report": {"draft_received": "2016-01-04"}}"#),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    std::fs::remove_dir_all(&dir).ok();
}

/// No record (an empty file, or layout alone) is no evidence to evaluate
/// or explain: both say so in the same words, exit 1.
#[test]
fn empty_input_is_no_evidence_to_eval_or_explain() {
    for command in ["eval", "explain"] {
        for input in ["", "\n\n  \n"] {
            let run = judgement_with_input(
                &[command, "--ruleset", "rulesets/inspection_process", "-"],
                Some(input),
            );
            assert_eq!(run.code, 1, "{command} {input:?}: {}", run.stderr);
            assert!(
                run.stderr
                    .contains("<stdin>: there is no evidence: the input is empty"),
                "{command} {input:?}: {}",
                run.stderr
            );
        }
    }
}

/// `eval --format json` gives a working day outside the calendar's years,
/// met for one element of a `for each` rule, the element's JSON path, as
/// it gives every problem of a record at a path; the human line names it
/// too (audit 31 F2).
#[test]
fn eval_names_the_element_whose_date_leaves_the_calendar() {
    let record = r#"{"setting":"childrens_home","visit":{"start":"2027-11-01","end":"2027-11-01","feedback":"2027-11-01"},"compliance_notices":[{"id":"cn0","served":"2027-11-01","completion":"2027-11-29"},{"id":"cn1","served":"2027-11-01","completion":"2027-12-29"}]}"#;
    let rules = "rulesets/monitoring_visits/2015-04.rules";
    let run = judgement_with_input(
        &["--format", "json", "eval", "--ruleset", rules, "-"],
        Some(record),
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    let error: Json = serde_json::from_str(run.stderr.trim()).unwrap();
    assert_eq!(error["path"], "compliance_notices[1]", "{error}");
    assert_eq!(error["file"], "<stdin>", "{error}");
    let run = judgement_with_input(&["eval", "--ruleset", rules, "-"], Some(record));
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("(in `rule follow_up_visit` for item \"cn1\", at compliance_notices[1])"),
        "{}",
        run.stderr
    );
}

/// A working day outside the calendar's years, met in a rule that is not
/// over a list, is placed at the rule, as a date computed out of range is
/// at its own span: the human report shows the rule's line, and `--format
/// json` gives the rule file, line and column. Before, it named the rule
/// and no place (audit 63, left then).
#[test]
fn eval_places_a_date_outside_the_calendar_at_its_rule() {
    let record = r#"{"setting":"childrens_home","visit":{"start":"2027-12-20","end":"2027-12-20","feedback":"2027-12-20"}}"#;
    let rules = "rulesets/monitoring_visits/2015-04.rules";
    let definitions =
        std::fs::read_to_string(root().join("rulesets/definitions/monitoring_visits.rules"))
            .unwrap();
    let line = definitions
        .lines()
        .position(|l| l.starts_with("rule monitoring_publication_deadline "))
        .unwrap()
        + 1;
    let run = judgement_with_input(&["eval", "--ruleset", rules, "-"], Some(record));
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("is outside the years of the calendar"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(&format!(
            "rulesets/definitions/monitoring_visits.rules:{line}:6"
        )),
        "{}",
        run.stderr
    );
    let run = judgement_with_input(
        &["--format", "json", "eval", "--ruleset", rules, "-"],
        Some(record),
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    let error: Json = serde_json::from_str(run.stderr.trim()).unwrap();
    assert_eq!(
        error["file"], "rulesets/definitions/monitoring_visits.rules",
        "{error}"
    );
    assert_eq!(error["line"], line, "{error}");
    assert_eq!(error["column"], 6, "{error}");
    assert!(
        error["message"]
            .as_str()
            .unwrap()
            .contains("(in `rule monitoring_publication_deadline`)"),
        "{error}"
    );
}

/// `explain` shows the text values a rule read as the record wrote them: a
/// blank one in quotes, its blanks other than spaces as escapes, where it
/// was shown as nothing; text with underscores and short words is not
/// reworded as the names of scale values are (audit 31 E1, E2).
#[test]
fn explain_shows_text_read_as_it_was_written() {
    let record = |regulation: &str, guidance: &str| {
        serde_json::json!({
            "report": {"draft_received": "2025-12-22", "final_received": "2026-01-09", "published": "2026-01-10"},
            "inspection": {"end": "2025-12-10"},
            "review": {"date": "2026-11-16"},
            "requirements": [{"id": "q0", "sources": 3, "impact_on_children": true, "regulation": regulation, "due": "2026-01-31"}],
            "recommendations": [{"id": "c0", "guide_reference": null, "other_guidance": guidance}]
        })
        .to_string()
    };
    let rules = "rulesets/inspection_process/2020-09.rules";
    let run = judgement_with_input(
        &["explain", "--ruleset", rules, "-"],
        Some(&record(" ", "working_together_2018 dcs")),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let page = words(&run.stdout);
    assert!(page.contains("requirement.regulation = \" \""), "{page}");
    assert!(
        page.contains("recommendation.other_guidance = working_together_2018 dcs"),
        "{page}"
    );
    let run = judgement_with_input(
        &["explain", "--ruleset", rules, "-"],
        Some(&record("\u{a0}\t", "x")),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        words(&run.stdout).contains("requirement.regulation = \"\\u{a0}\\t\""),
        "{}",
        run.stdout
    );
}

#[test]
fn a_ruleset_given_without_its_flag_is_told_to_take_it() {
    const FULL: &str = "examples/childrens_homes/full_inspection.json";
    for (args, written) in [
        (
            vec!["eval", "rulesets/childrens_homes", FULL],
            format!("judgement eval --ruleset rulesets/childrens_homes {FULL}"),
        ),
        (
            vec!["explain", "rulesets/childrens_homes/2015-04.rules", FULL],
            format!("judgement explain --ruleset rulesets/childrens_homes/2015-04.rules {FULL}"),
        ),
        (
            vec!["schema", "rulesets/childrens_homes"],
            "judgement schema --ruleset rulesets/childrens_homes".to_string(),
        ),
    ] {
        let run = judgement(&args);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        let ruleset = args[1];
        let tip =
            format!("tip: `{ruleset}` is a ruleset: name it with `--ruleset`, as in `{written}`");
        assert!(run.stderr.contains(&tip), "{args:?}: {}", run.stderr);
        // Between clap's error and the usage.
        let (error, usage) = run.stderr.split_once(&tip).unwrap();
        assert!(error.starts_with("error: "), "{}", run.stderr);
        assert!(usage.contains("Usage: judgement"), "{}", run.stderr);
    }
    // As one JSON object where the arguments ask for JSON.
    let run = judgement(&["--format", "json", "eval", "rulesets/childrens_homes", FULL]);
    assert_eq!(run.code, 2);
    let line: serde_json::Value = serde_json::from_str(run.stderr.trim()).unwrap();
    let message = line["message"].as_str().unwrap();
    assert!(
        message.ends_with(&format!("; tip: `rulesets/childrens_homes` is a ruleset: name it with `--ruleset`, as in `judgement --format json eval --ruleset rulesets/childrens_homes {FULL}`")),
        "{message}"
    );
    // No tip where nothing given is a ruleset, or `--ruleset` is there.
    for args in [
        vec!["eval", FULL],
        vec!["eval", "-r", "rulesets/childrens_homes", FULL, FULL],
    ] {
        let run = judgement(&args);
        assert_eq!(run.code, 2, "{args:?}");
        assert!(!run.stderr.contains("tip: `"), "{args:?}: {}", run.stderr);
    }
}
