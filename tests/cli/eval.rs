//! `judgement` end to end: eval.

use super::*;

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
