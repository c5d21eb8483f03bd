//! `judgement` end to end: limits and damage.

use super::*;

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
