//! `judgement` end to end: check.

use super::*;

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
