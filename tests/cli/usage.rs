//! `judgement` end to end: usage errors, the `diff` and `fmt` commands,
//! and how a `why not` reason shows characters that show nothing.

use super::*;

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
