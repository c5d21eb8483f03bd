//! `judgement` end to end: the `test` command.

use super::*;

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
