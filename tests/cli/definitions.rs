//! `judgement` end to end: shared definitions.

use super::*;

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
