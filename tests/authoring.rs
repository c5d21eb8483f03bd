//! The tools for rule authors, run as an author runs them:
//! `judgement explain --why-not` and `judgement test --coverage`, their exit
//! codes and the key lines of their output. Data in `tests/fixtures/cli/`.

#![allow(
    clippy::panic,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "a test fails by panicking"
)]

use serde_json::Value as Json;
use std::path::PathBuf;
use std::process::{Command, Stdio};

const SMALL: &str = "tests/fixtures/cli/small";

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn judgement(args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_judgement"))
        .args(args)
        .current_dir(PathBuf::from(env!("CARGO_MANIFEST_DIR")))
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    Run {
        code: out.status.code().unwrap(),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

// ------------------------------------------------------------------ why not

#[test]
fn why_not_a_rule_gives_the_false_part_and_the_date_it_would_need() {
    let run = judgement(&[
        "explain",
        "-r",
        SMALL,
        "--why-not",
        "long_vacancy",
        "tests/fixtures/cli/small_recent.json",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let out = &run.stdout;
    assert!(
        out.starts_with("Why not rule long_vacancy (para 2)?"),
        "{out}"
    );
    assert!(
        out.contains("It did not fire: its condition was false."),
        "{out}"
    );
    assert!(
        out.contains(
            "FALSE  vacancy >= vacancy_limit   [vacancy = 52 days, vacancy_limit = 70 days]"
        ),
        "{out}"
    );
    assert!(
        out.contains("manager.vacant_since on or before 2019-12-23 (now 2020-01-10), so that vacancy at least 70 days (10 weeks)"),
        "{out}"
    );
}

#[test]
fn why_not_a_judgement_names_the_cap_that_held_it_down() {
    let run = judgement(&[
        "explain",
        "-r",
        SMALL,
        "--why-not",
        "overall=good",
        "tests/fixtures/cli/small.json",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("Why is overall not good?"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("rule poor_care_caps_overall (para 1): overall at most fair (binding)"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("it read care = poor"), "{}", run.stdout);
}

#[test]
fn why_not_as_json() {
    let run = judgement(&[
        "explain",
        "-r",
        SMALL,
        "--why-not",
        "long_vacancy",
        "--json",
        "tests/fixtures/cli/small_recent.json",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let why: Json = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(why["kind"], "rule");
    assert_eq!(why["rule"], "long_vacancy");
    let attempt = &why["attempts"][0];
    assert_eq!(attempt["result"], "not fired");
    assert_eq!(attempt["condition"]["connective"], "and");
    assert_eq!(attempt["condition"]["parts"][1]["truth"], "false");
    let change = &attempt["to_fire"]["changes"][0];
    assert_eq!(change["field"], "manager.vacant_since");
    assert_eq!(change["needs"]["relation"], "at_most");
    assert_eq!(change["needs"]["value"], "2019-12-23");
}

#[test]
fn why_not_an_action_answers_for_the_rule_that_gives_it_as_text_and_json() {
    let ask = |json: bool| {
        let mut args = vec![
            "explain",
            "-r",
            SMALL,
            "--why-not",
            "action:case_review",
            "tests/fixtures/cli/small_recent.json",
        ];
        if json {
            args.push("--json");
        }
        judgement(&args)
    };
    let run = ask(false);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.starts_with(
            "Why not action case_review?\n\
             It was not given: rule long_vacancy gives it, and did not fire.\n\n\
             Why not rule long_vacancy (para 2)?\n"
        ),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("manager.vacant_since on or before 2019-12-23"),
        "{}",
        run.stdout
    );
    let run = ask(true);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let why: Json = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(why["kind"], "effect");
    assert_eq!(why["effect"], "action");
    assert_eq!(why["name"], "case_review");
    assert_eq!(why["given"], false);
    assert_eq!(why["rules"][0]["rule"], "long_vacancy");
    assert_eq!(
        why["rules"][0]["attempts"][0]["to_fire"]["changes"][0]["needs"]["value"],
        "2019-12-23"
    );
}

#[test]
fn why_not_an_unknown_rule_is_a_usage_error_with_a_suggestion() {
    let run = judgement(&[
        "explain",
        "-r",
        SMALL,
        "--why-not",
        "long_vacansy",
        "tests/fixtures/cli/small.json",
    ]);
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(
        run.stderr.contains("did you mean `long_vacancy`?"),
        "{}",
        run.stderr
    );
    // --json belongs to --why-not.
    let run = judgement(&[
        "explain",
        "-r",
        SMALL,
        "--json",
        "tests/fixtures/cli/small.json",
    ]);
    assert_eq!(run.code, 2, "{}", run.stdout);
}

#[test]
fn why_not_over_the_real_ruleset() {
    let run = judgement(&[
        "explain",
        "-r",
        "rulesets/childrens_homes",
        "--why-not",
        "overall=good",
        "examples/childrens_homes/full_inspection.json",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("rule leadership_limits_overall (para 104): overall at most requires_improvement (binding)"),
        "{}",
        run.stdout
    );
}

#[test]
fn why_not_lists_what_a_quantifier_came_to_on_each_element() {
    // The issue's monitoring visit: requirement r2 is not met, so the gate
    // of paras 124-126 is shut; the part that says so names r2.
    let record = serde_json::json!({
        "id": "mv-0001", "setting": "childrens_home",
        "visit": {"start": "2015-12-16", "end": "2015-12-16", "feedback": "2015-12-16"},
        "previous": {"overall": "inadequate"},
        "requirements": [{"id": "r1", "met": true}, {"id": "r2", "met": false}],
        "conditions": {"situation_made_safe": true, "concerns_discrete": true,
                       "higher_judgement_without_concerns": true, "good_track_record": true,
                       "rectifiable_quickly": true},
        "proposed": {"overall": "good"}
    });
    let path = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("why-not-elements.json");
    std::fs::write(&path, record.to_string()).unwrap();
    let args = |json: bool| {
        let mut args = vec![
            "explain",
            "-r",
            "rulesets/monitoring_visits",
            "--why-not",
            "monitoring_no_judgement_through_shut_gate",
        ];
        if json {
            args.push("--json");
        }
        args.push(path.to_str().unwrap());
        judgement(&args)
    };
    let run = args(false);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains(
            "          FALSE  (every requirement in requirements satisfies requirement.met)\n\
             \x20           true   for r1   [requirements[0].met = true]\n\
             \x20           FALSE  for r2   [requirements[1].met = false]\n"
        ),
        "{}",
        run.stdout
    );
    // Working back through the element: r2 met would let the proposal be
    // awarded, and evaluating again bears it out.
    let run = judgement(&[
        "explain",
        "-r",
        "rulesets/monitoring_visits",
        "--why-not",
        "overall=good",
        path.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout
            .contains("it would not apply with requirements[1].met true (now false)\n"),
        "{}",
        run.stdout
    );
    let run = args(true);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let why: Json = serde_json::from_str(&run.stdout).unwrap();
    let text = run.stdout.as_str();
    let every = find_part(
        &why["attempts"][0]["condition"],
        "(every requirement in requirements satisfies requirement.met)",
    )
    .unwrap_or_else(|| panic!("{text}"));
    assert_eq!(
        every["elements"],
        serde_json::json!([
            {"position": 1, "item": "r1", "truth": "true", "values": ["requirements[0].met = true"]},
            {"position": 2, "item": "r2", "truth": "false", "values": ["requirements[1].met = false"]}
        ])
    );
}

/// The part of a condition whose text is `text`, however deep.
fn find_part<'j>(part: &'j Json, text: &str) -> Option<&'j Json> {
    if part["text"] == text {
        return Some(part);
    }
    part["parts"]
        .as_array()?
        .iter()
        .find_map(|p| find_part(p, text))
}

// ------------------------------------------------------------------ coverage

#[test]
fn coverage_lists_the_gaps_with_their_places() {
    let run = judgement(&["test", "--coverage", SMALL]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let out = &run.stdout;
    assert!(
        out.starts_with(
            "coverage of tests/fixtures/cli/small/small.rules (small 2020-01): 2 tests"
        ),
        "{out}"
    );
    assert!(
        out.contains("rules fired                              1/2    50.0%"),
        "{out}"
    );
    assert!(
        out.contains("rule long_vacancy (tests/fixtures/cli/small/small.rules:29:6) never fired"),
        "{out}"
    );
    assert!(
        out.contains(
            "`manager.vacant_since is set` (tests/fixtures/cli/small/small.rules:30:8) never true"
        ),
        "{out}"
    );
    assert!(
        out.contains("threshold vacancy_limit (10 weeks) in `vacancy >= vacancy_limit`"),
        "{out}"
    );
}

#[test]
fn coverage_below_the_minimum_fails() {
    let run = judgement(&["test", "--coverage", "--min", "60", SMALL]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(
        run.stderr.contains(
            "rule coverage is 50.0% (rules that fired at least once), below the minimum of 60%"
        ),
        "{}",
        run.stderr
    );
    let run = judgement(&["test", "--coverage", "--min", "50", SMALL]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn a_corpus_counts_towards_coverage() {
    let run = judgement(&[
        "test",
        "--coverage",
        "--min",
        "100",
        "--corpus",
        "tests/fixtures/cli/small.json",
        SMALL,
    ]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout.contains("2 tests, 1 corpus record (0 skipped)"),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains("never fired"), "{}", run.stdout);
}

#[test]
fn coverage_as_json() {
    let run = judgement(&["test", "--coverage", "--json", SMALL]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let report: Json = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(report["rule_coverage"], 50.0);
    let file = &report["files"][0];
    assert_eq!(file["path"], "tests/fixtures/cli/small/small.rules");
    let rules = file["rules"].as_array().unwrap();
    let long = rules.iter().find(|r| r["rule"] == "long_vacancy").unwrap();
    assert_eq!(long["fired"], 0);
    assert_eq!(long["not_fired"], 2);
    assert_eq!(report["total"]["rules"], 2);
}

#[test]
fn the_repository_rulesets_reach_full_rule_coverage() {
    let run = judgement(&["test", "--coverage", "--min", "100", "rulesets"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout
            .contains("coverage of definitions monitoring_visits"),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains("never fired"), "{}", run.stdout);
}

/// `--min` is a percentage: 150 or -1 is a usage error, not a minimum
/// every run fails (or passes).
#[test]
fn the_minimum_is_a_percentage() {
    for bad in ["150", "-1", "half"] {
        let run = judgement(&["test", "--coverage", "--min", bad, SMALL]);
        assert_eq!(run.code, 2, "--min {bad}: {}{}", run.stdout, run.stderr);
    }
    let run = judgement(&["test", "--coverage", "--min", "150", SMALL]);
    assert!(
        run.stderr.contains("a percentage from 0 to 100"),
        "{}",
        run.stderr
    );
}

/// Definitions alone have nothing to measure (they are exercised through
/// the rulesets that use them): that is said, and is not a pass of 0 of 0.
#[test]
fn coverage_of_definitions_alone_says_what_to_give() {
    let run = judgement(&["test", "--coverage", "--min", "100", "rulesets/definitions"]);
    assert_eq!(run.code, 2, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stderr.contains("no ruleset to measure")
            && run
                .stderr
                .contains("monitoring_visits.rules holds definitions"),
        "{}",
        run.stderr
    );
}

/// A rule file that does not load is reported and fails the run; where it
/// was the only one, no table of 0 of 0 (read as 100%) follows (audit 59).
#[test]
fn coverage_of_rules_that_do_not_load_reports_no_figures() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("coverage_broken");
    std::fs::create_dir_all(&dir).unwrap();
    let broken = dir.join("broken.rules");
    std::fs::write(&broken, "ruleset broken \"Broken\"\n  in force from 2015-04-01\n\nrule r \"p\" when nowhere then action x\n").unwrap();
    let broken = broken.display().to_string();
    for json in [false, true] {
        let mut args = vec!["test", "--coverage", &broken];
        if json {
            args.push("--json");
        }
        let run = judgement(&args);
        assert_eq!(run.code, 1, "{}", run.stderr);
        assert!(
            run.stderr.contains("there is no name `nowhere`"),
            "{}",
            run.stderr
        );
        assert_eq!(run.stdout, "", "json {json}");
    }
}

#[test]
fn coverage_flags_belong_to_coverage() {
    let run = judgement(&["test", "--min", "50", SMALL]);
    assert_eq!(run.code, 2, "{}", run.stdout);
}
