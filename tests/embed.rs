//! The embedding API (`judgement::embed`) that every binding calls: loading
//! from memory as from a folder, and every failure as data with its kind and
//! place. (That its outputs equal the command line's on the whole corpus is
//! `bindings_corpus.rs`.)

#![allow(
    clippy::panic,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "a test fails by panicking"
)]

use judgement::embed::{Error, ErrorKind, Errors, Options, Severity};
use judgement::Engine;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read(path: &str) -> String {
    std::fs::read_to_string(root().join(path)).unwrap()
}

const SMALL: &str = "tests/fixtures/cli/small/small.rules";
const CLAMP: &str = "tests/fixtures/semantics/clamp.rules";

fn small() -> Engine {
    Engine::from_files([("small.rules", read(SMALL))]).unwrap()
}

fn only(errors: &Errors) -> &Error {
    assert_eq!(errors.0.len(), 1, "{errors:?}");
    &errors.0[0]
}

#[test]
fn children_s_homes_loads_from_memory_as_from_its_folder() {
    let files = [
        "childrens_homes/2015-04.rules",
        "calendars/england_and_wales.calendar",
        "definitions/monitoring_visits.rules",
    ]
    .map(|f| (f, read(&format!("rulesets/{f}"))));
    let memory = Engine::from_files(files).unwrap();
    let disk = Engine::load(&root().join("rulesets/childrens_homes")).unwrap();
    assert_eq!(memory.name(), "childrens_homes");
    let record = read("tests/fixtures/cli/full_inspection.json");
    let options = Options {
        trace: true,
        ..Options::default()
    };
    assert_eq!(
        memory.evaluate(&record, &options).unwrap(),
        disk.evaluate(&record, &options).unwrap()
    );
    // The explanation names the rule file: by its label, or by its path.
    let label = "Rule file: childrens_homes/2015-04.rules.";
    let path = format!(
        "Rule file: {}.",
        root()
            .join("rulesets/childrens_homes/2015-04.rules")
            .display()
    );
    let from_memory = memory.explain(&record, "x.json", &options).unwrap();
    assert!(from_memory.contains(label), "{from_memory}");
    assert_eq!(
        from_memory.replace(label, &path),
        disk.explain(&record, "x.json", &options).unwrap()
    );
    assert_eq!(
        memory.schema(None, false).unwrap(),
        disk.schema(None, false).unwrap()
    );
    let tests = memory.run_tests();
    assert!(!tests.is_empty());
    assert!(tests.iter().all(|t| t.passed), "{tests:?}");
}

#[test]
fn without_its_calendar_a_ruleset_does_not_load_and_says_which() {
    let files = [
        "childrens_homes/2015-04.rules",
        "definitions/monitoring_visits.rules",
    ]
    .map(|f| (f, read(&format!("rulesets/{f}"))));
    let errors = Engine::from_files(files).unwrap_err();
    let e = errors.first().unwrap();
    assert_eq!(e.kind, ErrorKind::Check);
    assert_eq!(e.message, "there is no calendar `england_and_wales`");
    assert_eq!(e.file.as_deref(), Some("childrens_homes/2015-04.rules"));
    assert_eq!((e.line, e.column), (Some(14), Some(12)));
}

#[test]
fn a_syntax_error_in_memory_names_the_label_line_and_column() {
    let text = read(SMALL).replace("rule long_vacancy", "rule long vacancy");
    let errors = Engine::from_files([("rules/small.rules", text)]).unwrap_err();
    let e = errors.first().unwrap();
    assert_eq!(e.kind, ErrorKind::Syntax);
    assert_eq!(e.file.as_deref(), Some("rules/small.rules"));
    assert_eq!(e.line, Some(29));
    assert!(e.column.is_some());
    let json: serde_json::Value = serde_json::from_str(&errors.to_json()).unwrap();
    assert_eq!(json[0]["kind"], "syntax");
    assert_eq!(json[0]["line"], 29);
}

#[test]
fn a_broken_calendar_gives_its_line_and_column() {
    let errors = Engine::from_files([
        ("small.rules", read(SMALL)),
        (
            "calendars/bad.calendar",
            "calendar bad\ntitle \"A\"\nversion \"1\"\nsource \"x\"\nyears 2020 to 2020\n2020-12-25 Christmas Day\n2020-13-01 Nonsense\n"
                .to_string(),
        ),
    ])
    .unwrap_err();
    let e = &errors.0[0];
    assert_eq!(e.kind, ErrorKind::Calendar);
    assert_eq!(e.file.as_deref(), Some("calendars/bad.calendar"));
    assert_eq!(e.line, Some(7), "{errors:?}");
    assert_eq!(e.column, Some(1));
    // The place is said once, by the fields, not again in the message.
    assert_eq!(e.message, "`2020-13-01` is not a day that exists");
    assert_eq!(
        e.to_string(),
        "calendars/bad.calendar:7:1: `2020-13-01` is not a day that exists"
    );
}

#[test]
fn an_empty_path_is_a_usage_error_not_a_file_without_a_name() {
    let e = Engine::load(Path::new("")).unwrap_err();
    let e = only(&e);
    assert_eq!(e.kind, ErrorKind::Usage);
    assert_eq!(e.file, None);
    assert_eq!(
        e.to_string(),
        "no path was given: name a rule file, or a folder of the editions of one ruleset"
    );
}

#[test]
fn no_rule_file_or_only_definitions_is_a_load_error() {
    let none: [(&str, &str); 0] = [];
    assert_eq!(
        only(&Engine::from_files(none).unwrap_err()).kind,
        ErrorKind::Load
    );
    let defs = read("rulesets/definitions/monitoring_visits.rules");
    let e = Engine::from_files([("definitions/monitoring_visits.rules", defs)]).unwrap_err();
    assert_eq!(only(&e).kind, ErrorKind::Load);
    assert!(only(&e).message.contains("definitions"), "{e}");
}

#[test]
fn a_file_too_large_is_refused_before_it_is_read() {
    let big = "#".repeat(judgement::MAX_SOURCE_BYTES + 1);
    let e = Engine::from_files([("big.rules", big)]).unwrap_err();
    assert_eq!(only(&e).kind, ErrorKind::Io);
    assert_eq!(only(&e).file.as_deref(), Some("big.rules"));
}

/// A rule file on disk that is not UTF-8 text is an `io` error with the
/// line and column of the first byte that is not, as fields (they were in
/// the message alone).
#[test]
fn a_rule_file_that_is_not_text_is_located_in_fields() {
    let dir = std::env::temp_dir().join(format!("judgement-embed-not-text-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let mut text = read(SMALL).into_bytes();
    let second = text.iter().position(|&b| b == b'\n').unwrap() + 1;
    text.splice(second..second, [b'a', 0xff]);
    std::fs::write(dir.join("bad.rules"), &text).unwrap();
    let e = Engine::load(&dir.join("bad.rules")).unwrap_err();
    let e = only(&e);
    assert_eq!(e.kind, ErrorKind::Io);
    assert_eq!((e.line, e.column), (Some(2), Some(2)));
    assert!(e.file.as_deref().unwrap().ends_with("bad.rules"));
    assert_eq!(
        e.message,
        format!("it is not UTF-8 text (byte {} is not)", second + 2)
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn evidence_errors_carry_their_json_path() {
    let e = small()
        .evaluate(
            r#"{"visit": {"start": "2020-03-02", "strat": 1}, "proposed": {"overall": "good", "care": "best"}}"#,
            &Options::default(),
        )
        .unwrap_err();
    let paths: Vec<_> = e.0.iter().map(|x| x.path.as_deref().unwrap()).collect();
    assert!(e.0.iter().all(|x| x.kind == ErrorKind::Evidence), "{e:?}");
    assert!(paths.contains(&"visit.strat"), "{paths:?}");
    assert!(paths.contains(&"proposed.care"), "{paths:?}");
}

/// A proposal a judgement needs, missing, is an evidence error at its path
/// with the same message whether it is the only one or one of several.
#[test]
fn missing_proposals_are_errors_at_their_paths_one_or_several() {
    let engine = Engine::load(&root().join("rulesets/childrens_homes")).unwrap();
    let record = |proposed: &str| {
        format!(
            r#"{{"inspection": {{"kind": "full", "start": "2015-11-09", "end": "2015-11-11", "feedback": "2015-11-11"}}, "home": {{"secure": false, "children_placed": 3}}, "proposed": {proposed}}}"#
        )
    };
    let said = |judgement: &str| {
        format!("required for the judgement `{judgement}` at this inspection, but missing")
    };
    let one = engine
        .evaluate(
            &record(r#"{"helped_and_protected": "good", "leaders_and_managers": "good"}"#),
            &Options::default(),
        )
        .unwrap_err();
    let one = only(&one);
    assert_eq!(one.kind, ErrorKind::Evidence);
    assert_eq!(one.path.as_deref(), Some("proposed.overall"));
    assert_eq!(one.message, said("overall"));
    let two = engine
        .evaluate(
            &record(r#"{"helped_and_protected": "good"}"#),
            &Options::default(),
        )
        .unwrap_err();
    let found: Vec<(Option<&str>, &str)> = two
        .0
        .iter()
        .map(|e| (e.path.as_deref(), e.message.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            (
                Some("proposed.leaders_and_managers"),
                &*said("leaders_and_managers")
            ),
            (Some("proposed.overall"), &*said("overall")),
        ]
    );
    assert!(two.0.iter().all(|e| e.kind == ErrorKind::Evidence));
}

/// No record, or records one after another, given where one is taken:
/// refused as evidence in the command line's words (`judgement eval`, and
/// `explain`'s), not as JSON that ends too soon or goes on too long.
#[test]
fn no_record_or_several_where_one_is_taken_is_said_so() {
    let engine = small();
    let one = read("tests/fixtures/cli/small.json").replace('\n', "");
    let two = format!("{one}\n{one}\n");
    for (evidence, message) in [
        ("", "there is no evidence: the input is empty"),
        ("  \n\t ", "there is no evidence: the input is empty"),
        (
            two.as_str(),
            "this holds more than one JSON record: evaluate JSON Lines, one record a line, with `evaluate_lines`",
        ),
    ] {
        let options = Options::default();
        for e in [
            engine.evaluate(evidence, &options).unwrap_err(),
            engine.explain(evidence, "r.json", &options).unwrap_err(),
            engine.why_not(evidence, "overall", &options, false).unwrap_err(),
        ] {
            let e = only(&e);
            assert_eq!(e.kind, ErrorKind::Evidence, "{evidence:?}");
            assert_eq!(e.message, message);
        }
    }
    // The same two records as JSON Lines are two outcomes; one record
    // broken after it is still one record, broken.
    let lines = engine.evaluate_lines(&two, &Options::default()).unwrap();
    assert_eq!(lines.failed, 0);
    let broken = engine
        .evaluate(&format!("{one}\n]"), &Options::default())
        .unwrap_err();
    assert_eq!(only(&broken).kind, ErrorKind::Json);
}

#[test]
fn bad_json_gives_line_and_column_in_the_record() {
    let e = small()
        .evaluate("{\n  \"visit\": {\"start\": }\n}", &Options::default())
        .unwrap_err();
    let e = only(&e);
    assert_eq!(e.kind, ErrorKind::Json);
    assert_eq!(e.line, Some(2));
    assert!(e.message.starts_with("not valid JSON"), "{}", e.message);
    // Shown with where it is in the text, which has no file (audit 33 F1).
    assert_eq!(
        e.to_string(),
        format!("line 2, column {}: {}", e.column.unwrap(), e.message)
    );
    // Only an error in the evidence's text: one placed in a rule text that
    // has no file is not shown as if it were in the evidence.
    let mut elsewhere = Error::new(ErrorKind::Evaluation, "a date outside the calendar");
    (elsewhere.line, elsewhere.column) = (Some(7), Some(3));
    assert_eq!(elsewhere.to_string(), "a date outside the calendar");
}

#[test]
fn a_conflict_names_a_rule_and_its_citation() {
    let engine = Engine::from_files([("clamp.rules", read(CLAMP))]).unwrap();
    let e = engine
        .evaluate(
            r#"{"proposed": {"overall": "good"}, "flags": {"floor_good": true, "cap_ri": true}}"#,
            &Options::default(),
        )
        .unwrap_err();
    let e = only(&e);
    assert_eq!(e.kind, ErrorKind::Evaluation);
    assert_eq!(e.rule.as_deref(), Some("floor_good"));
    assert_eq!(e.cite.as_deref(), Some("p 1"));
}

#[test]
fn an_edition_not_there_and_bad_options_are_errors_not_guesses() {
    let engine = small();
    let asked = Options {
        edition: Some("1999".into()),
        ..Options::default()
    };
    let e = engine.evaluate(&read("tests/fixtures/cli/small.json"), &asked);
    assert_eq!(only(&e.unwrap_err()).kind, ErrorKind::Edition);
    // JSON Lines with an edition not there fail as a whole, once, as the
    // command fails, not line by line; a long name is cut, as evidence
    // text is.
    let long = Options {
        edition: Some("x".repeat(100_000)),
        ..Options::default()
    };
    let e = engine
        .evaluate_lines(&"{}\n".repeat(100), &long)
        .unwrap_err();
    assert_eq!(only(&e).kind, ErrorKind::Edition);
    assert!(only(&e).message.len() < 400, "{}", only(&e).message.len());
    assert!(only(&e).message.contains("... (100000 characters)"));
    let e = Options::from_json(r#"{"trace": true, "tarce": false}"#).unwrap_err();
    assert_eq!(only(&e).kind, ErrorKind::Usage);
    assert!(only(&e).message.contains("tarce"));
    assert_eq!(
        Options::from_json(r#"{"compact": true}"#).unwrap(),
        Options {
            compact: true,
            ..Options::default()
        }
    );
    assert_eq!(Options::from_json("").unwrap(), Options::default());
    // JSON `null`, as a NULL pointer is in C, is no options too (audit 33
    // F2); so is text of nothing but blanks.
    assert_eq!(Options::from_json(" null ").unwrap(), Options::default());
    assert_eq!(Options::from_json(" \n").unwrap(), Options::default());
    // Where the options are not JSON, the column counts characters, as
    // evidence's errors do: the `}` is the 27th, after ten `é`.
    let e = Options::from_json(r#"{"edition": "éééééééééé", }"#).unwrap_err();
    assert!(
        only(&e).message.ends_with("at line 1 column 27"),
        "{}",
        only(&e).message
    );
    // A key written twice is refused, as in evidence; so is an array.
    let e = Options::from_json(r#"{"trace": true, "trace": false}"#).unwrap_err();
    assert_eq!(only(&e).kind, ErrorKind::Usage);
    assert!(
        only(&e).message.contains("duplicate field `trace`"),
        "{e:?}"
    );
    let e = Options::from_json("[true]").unwrap_err();
    assert!(only(&e).message.contains("a JSON object"), "{e:?}");
}

/// Why not, as `judgement explain --why-not` prints it, text or JSON; a
/// target the ruleset does not have is a usage error, bad evidence an
/// evidence error at its path.
#[test]
fn why_not_answers_as_the_command_line_does() {
    let engine = small();
    let record = read("tests/fixtures/cli/small_recent.json");
    let options = Options::default();
    let text = engine
        .why_not(&record, "action:case_review", &options, false)
        .unwrap();
    assert!(
        text.starts_with(
            "Why not action case_review?\n\
             It was not given: rule long_vacancy gives it, and did not fire.\n"
        ),
        "{text}"
    );
    assert!(
        text.contains("manager.vacant_since on or before 2019-12-23"),
        "{text}"
    );
    let json: serde_json::Value = serde_json::from_str(
        &engine
            .why_not(&record, "long_vacancy", &options, true)
            .unwrap(),
    )
    .unwrap();
    assert_eq!(json["kind"], "rule");
    assert_eq!(
        json["attempts"][0]["to_fire"]["checked"]["result"], "holds",
        "{json}"
    );
    let e = engine
        .why_not(&record, "long_vacansy", &options, false)
        .unwrap_err();
    assert_eq!(only(&e).kind, ErrorKind::Usage);
    assert!(
        only(&e).message.contains("did you mean `long_vacancy`?"),
        "{e:?}"
    );
    let bad = record.replace("\"good\", \"care\"", "\"goood\", \"care\"");
    let e = engine
        .why_not(&bad, "long_vacancy", &options, false)
        .unwrap_err();
    assert_eq!(only(&e).kind, ErrorKind::Evidence);
    assert_eq!(only(&e).path.as_deref(), Some("proposed.overall"));
    let e = engine
        .why_not("{", "long_vacancy", &options, false)
        .unwrap_err();
    assert_eq!(only(&e).kind, ErrorKind::Json);
    let asked = Options {
        edition: Some("1999".into()),
        ..Options::default()
    };
    let e = engine
        .why_not(&record, "long_vacancy", &asked, false)
        .unwrap_err();
    assert_eq!(only(&e).kind, ErrorKind::Edition);
}

#[test]
fn json_lines_give_one_line_each_and_errors_by_line_number() {
    let good = read("tests/fixtures/cli/small.json").replace('\n', "");
    let text = format!("{good}\n\n{{\"visit\": 3}}\r\nnot json\n");
    let lines = small().evaluate_lines(&text, &Options::default()).unwrap();
    assert_eq!(lines.failed, 2);
    let out: Vec<&str> = lines.output.lines().collect();
    assert_eq!(out.len(), 3);
    assert!(
        out[0].starts_with("{\"id\":\"v1\",\"ruleset\""),
        "{}",
        out[0]
    );
    let second: serde_json::Value = serde_json::from_str(out[1]).unwrap();
    assert_eq!(second["line"], 3);
    assert!(
        second["error"].as_str().unwrap().contains("visit"),
        "{second}"
    );
    let third: serde_json::Value = serde_json::from_str(out[2]).unwrap();
    assert_eq!(third["line"], 4);
    assert_eq!(
        third["error"], "not valid JSON (column 2): expected ident",
        "{third}"
    );
    // What the command line writes for the same lines, byte for byte,
    // error lines too.
    let file = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("embed-lines.jsonl");
    std::fs::write(&file, &text).unwrap();
    let cli = std::process::Command::new(env!("CARGO_BIN_EXE_judgement"))
        .args(["eval", "-r", SMALL])
        .arg(&file)
        .current_dir(root())
        .output()
        .unwrap();
    assert_eq!(String::from_utf8(cli.stdout).unwrap(), lines.output);
}

#[test]
fn an_error_line_shows_twenty_problems_of_a_record_and_counts_the_rest() {
    let strays: Vec<String> = (0..30).map(|i| format!("\"stray{i}\": {i}")).collect();
    let text = format!("{{{}}}\n", strays.join(", "));
    let lines = small().evaluate_lines(&text, &Options::default()).unwrap();
    assert_eq!(lines.failed, 1);
    let line: serde_json::Value = serde_json::from_str(lines.output.trim_end()).unwrap();
    let error = line["error"].as_str().unwrap();
    assert_eq!(error.split("; ").count(), 21, "{error}");
    // As the command line shows them: the bindings' lines are its lines.
    let more = 30 + 3 - 20; // the strays and the three required fields
    assert!(
        error.ends_with(&format!("; and {more} more problems with this record")),
        "{error}"
    );
}

#[test]
fn warnings_of_loading_are_kept_as_data() {
    // An unused threshold is a warning, not a failure.
    let text = read(SMALL).replace(
        "threshold vacancy_limit",
        "threshold spare = 3 days\nthreshold vacancy_limit",
    );
    let engine = Engine::from_files([("small.rules", text)]).unwrap();
    let w = engine
        .warnings()
        .iter()
        .find(|w| w.message.contains("spare"))
        .unwrap();
    assert_eq!(w.severity, Severity::Warning);
    assert_eq!(w.kind, ErrorKind::Check);
    assert_eq!(w.line, Some(15));
}

#[test]
fn errors_of_every_kind_fit_the_error_contract() {
    let text = std::fs::read_to_string(root().join("contracts/error.schema.json")).unwrap();
    let validator = jsonschema::validator_for(&serde_json::from_str(&text).unwrap()).unwrap();
    let clamp = Engine::from_files([("clamp.rules", read(CLAMP))]).unwrap();
    let none: [(&str, &str); 0] = [];
    let all = [
        Engine::from_files(none).unwrap_err(),
        Engine::from_files([("a.rules", "ruleset")]).unwrap_err(),
        Engine::from_files([("a.rules", read(SMALL).replace("grade from", "grad from"))])
            .unwrap_err(),
        Engine::load(&root().join("no/such/folder")).unwrap_err(),
        small().evaluate("[", &Options::default()).unwrap_err(),
        small()
            .evaluate("{\"x\": 1}", &Options::default())
            .unwrap_err(),
        clamp
            .evaluate(
                r#"{"flags": {"floor_good": true, "cap_ri": true}}"#,
                &Options::default(),
            )
            .unwrap_err(),
        Options::from_json("[]").unwrap_err(),
    ];
    let kinds: Vec<ErrorKind> = all.iter().map(|e| e.0[0].kind).collect();
    assert_eq!(
        kinds,
        [
            ErrorKind::Load,
            ErrorKind::Syntax,
            ErrorKind::Check,
            ErrorKind::Io,
            ErrorKind::Json,
            ErrorKind::Evidence,
            ErrorKind::Evaluation,
            ErrorKind::Usage
        ]
    );
    for errors in &all {
        let json: serde_json::Value = serde_json::from_str(&errors.to_json()).unwrap();
        if let Err(e) = validator.validate(&json) {
            panic!("{json} breaks contracts/error.schema.json: {e}");
        }
    }
}

/// A chain of `uses` is read one level a frame: a long one (or a long
/// cycle) is refused at a bounded depth with an error at the clause, where
/// before it overflowed the stack and aborted the host (1,400 links on a
/// 2 MB thread). Run on a thread of 1 MB, the smallest a host is likely to
/// give, with a chain of 2,000 and a cycle of 2,000.
#[test]
fn a_long_chain_or_cycle_of_uses_is_an_error_not_a_crash() {
    let chain = |n: usize, cycle: bool| {
        let mut files = vec![(
            "r.rules".to_string(),
            "ruleset r \"R\"\n  edition \"2020-01\"\n  in force from 2020-01-01\n  uses d0\n  as at v\n\nevidence\n  v: date\n".to_string(),
        )];
        for i in 0..n {
            let next = if i + 1 < n {
                format!("  uses d{}\n", i + 1)
            } else if cycle {
                "  uses d0\n".to_string()
            } else {
                String::new()
            };
            files.push((
                format!("definitions/d{i}.rules"),
                format!("definitions d{i} \"D\"\n{next}scale s{i}: a > b\n"),
            ));
        }
        files
    };
    let outcome = std::thread::Builder::new()
        .stack_size(1 << 20)
        .spawn(move || {
            [false, true].map(|cycle| {
                let errors = Engine::from_files(chain(2000, cycle)).unwrap_err();
                let e = errors.first().unwrap().clone();
                (e.kind, e.message, e.file, e.line)
            })
        })
        .unwrap()
        .join()
        .unwrap();
    for (kind, message, file, line) in outcome {
        assert_eq!(kind, ErrorKind::Check);
        assert_eq!(
            message,
            format!(
                "the definitions `d{0}` would be used more than {0} deep, in a chain of `uses` from `d0`",
                judgement::MAX_USES_DEPTH
            )
        );
        assert_eq!(file.as_deref(), Some("definitions/d31.rules"));
        assert_eq!(line, Some(2));
    }
    // Within the bound, a chain loads.
    assert!(Engine::from_files(chain(judgement::MAX_USES_DEPTH, false)).is_ok());
}

/// An evaluation error that arose in a rule names the rule by its id, with
/// its citation, and where the rule is: a date computed out of range (its
/// own span), and a working day outside the calendar's years (the rule's
/// place; the error has no span of its own). Before, the first named the
/// rule `rule long_vacancy` and no citation, the second nothing at all.
#[test]
fn evaluation_errors_in_a_rule_name_its_id_citation_and_place() {
    let e = small()
        .evaluate(
            r#"{"visit":{"start":"9999-12-31"},"manager":{"vacant_since":"0001-01-01"},
                "proposed":{"overall":"good","care":"good"}}"#,
            &Options::default(),
        )
        .unwrap_err();
    let e = only(&e);
    assert_eq!(e.kind, ErrorKind::Evaluation);
    assert_eq!(e.rule.as_deref(), Some("long_vacancy"));
    assert_eq!(e.cite.as_deref(), Some("para 2"));
    assert_eq!(e.line, Some(32));

    let files = [
        "childrens_homes/2015-04.rules",
        "calendars/england_and_wales.calendar",
        "definitions/monitoring_visits.rules",
    ]
    .map(|f| (f, read(&format!("rulesets/{f}"))));
    let engine = Engine::from_files(files).unwrap();
    let mut record: serde_json::Value =
        serde_json::from_str(&read("tests/fixtures/cli/full_inspection.json")).unwrap();
    record["inspection"]["feedback"] = "2029-06-01".into();
    let e = engine
        .evaluate(&record.to_string(), &Options::default())
        .unwrap_err();
    let e = only(&e);
    assert_eq!(e.kind, ErrorKind::Evaluation);
    assert!(e.message.contains("outside the years"), "{}", e.message);
    assert!(e.rule.is_some(), "{e:?}");
    assert!(e.cite.is_some(), "{e:?}");
    assert_eq!(e.file.as_deref(), Some("childrens_homes/2015-04.rules"));
    assert!(e.line.is_some() && e.column.is_some(), "{e:?}");
}

/// A floor above a cap is placed at the floor's rule, which it names with
/// its citation, the message naming the cap's rule too; and the command
/// line places it there as well (`Ruleset::place_of`). Before, it had no
/// file, line or column.
#[test]
fn a_floor_above_a_cap_is_placed_at_the_floor_rule() {
    let rules = "ruleset conflicts \"Conflicting constraints\"\n  in force from 2015-04-01\n\nscale grade: outstanding > good > requires_improvement > inadequate\n\nevidence\n  proposed.overall: grade\n  flags.practice: bool\n  flags.failure: bool\n\njudgement overall: grade from proposed.overall\n\nrule failure \"para 2\"\n  when flags.failure\n  then overall at most requires_improvement\n\nrule practice \"para 1\"\n  when flags.practice\n  then overall at least good\n";
    let engine = Engine::from_files([("conflicts.rules", rules.to_string())]).unwrap();
    let record =
        r#"{"proposed": {"overall": "good"}, "flags": {"practice": true, "failure": true}}"#;
    let e = engine.evaluate(record, &Options::default()).unwrap_err();
    let e = only(&e);
    assert_eq!(e.kind, ErrorKind::Evaluation);
    assert!(
        e.message.contains(
            "`practice` says at least good but `failure` says at most requires_improvement"
        ),
        "{}",
        e.message
    );
    assert_eq!(
        (e.rule.as_deref(), e.cite.as_deref()),
        (Some("practice"), Some("para 1"))
    );
    assert_eq!(
        (e.file.as_deref(), e.line, e.column),
        (Some("conflicts.rules"), Some(17), Some(6))
    );

    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("conflicts");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("conflicts.rules"), rules).unwrap();
    std::fs::write(dir.join("record.json"), record).unwrap();
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_judgement"))
        .args([
            "--format",
            "json",
            "eval",
            "--ruleset",
            "conflicts.rules",
            "record.json",
        ])
        .current_dir(&dir)
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(1));
    let error: serde_json::Value = serde_json::from_slice(&run.stderr).unwrap();
    assert_eq!(
        (
            error["file"].as_str(),
            error["line"].as_u64(),
            error["column"].as_u64()
        ),
        (Some("conflicts.rules"), Some(17), Some(6)),
        "{error}"
    );
}

/// `trace` with `compact` is a usage error, as `judgement eval --trace
/// --compact` is: the compact outcome has no trace, so the trace asked
/// for would be dropped without a word (audit 25-bindings F1).
#[test]
fn trace_with_compact_is_a_usage_error_as_on_the_command_line() {
    let both = Options {
        trace: true,
        compact: true,
        ..Options::default()
    };
    let record = r#"{"id": "v1", "visit": {"start": "2020-03-02"}, "proposed": {"overall": "good", "care": "good"}}"#;
    let engine = small();
    for errors in [
        engine.evaluate(record, &both).unwrap_err(),
        engine.evaluate_lines(record, &both).unwrap_err(),
    ] {
        let error = only(&errors);
        assert_eq!(error.kind, ErrorKind::Usage, "{error:?}");
        assert!(
            error
                .message
                .contains("`trace` cannot be used with `compact`"),
            "{error:?}"
        );
    }
    let from_json = Options::from_json(r#"{"trace": true, "compact": true}"#).unwrap();
    assert!(engine.evaluate(record, &from_json).is_err());
    // Each alone is as before.
    for alone in [r#"{"trace": true}"#, r#"{"compact": true}"#] {
        let options = Options::from_json(alone).unwrap();
        assert!(engine.evaluate(record, &options).is_ok(), "{alone}");
    }
}

/// An explanation and a why-not answer write no outcome, so `compact` is a
/// usage error there, not an option taken and dropped (audit 33 F3: with
/// `trace` too, which evaluation refuses, both were answered); `trace` is
/// always on for them, and asks nothing more.
#[test]
fn compact_is_a_usage_error_for_an_explanation() {
    let record = r#"{"id": "v1", "visit": {"start": "2020-03-02"}, "proposed": {"overall": "good", "care": "good"}}"#;
    let engine = small();
    for options in [
        r#"{"compact": true}"#,
        r#"{"trace": true, "compact": true}"#,
    ] {
        let options = Options::from_json(options).unwrap();
        for errors in [
            engine.explain(record, "v1.json", &options).unwrap_err(),
            engine
                .why_not(record, "overall", &options, false)
                .unwrap_err(),
            engine
                .why_not(record, "overall", &options, true)
                .unwrap_err(),
        ] {
            let error = only(&errors);
            assert_eq!(error.kind, ErrorKind::Usage, "{error:?}");
            assert!(
                error.message.contains("`compact` has no meaning here"),
                "{error:?}"
            );
        }
    }
    let traced = Options::from_json(r#"{"trace": true}"#).unwrap();
    assert_eq!(
        engine.explain(record, "v1.json", &traced).unwrap(),
        engine
            .explain(record, "v1.json", &Options::default())
            .unwrap()
    );
    assert!(engine.why_not(record, "overall", &traced, false).is_ok());
}

/// A `\r` ends a line of JSON Lines only before its `\n`, as the command
/// line reads it: at the very end it stays, and an error's column counts it
/// (audit 25-bindings F4: the bindings said column 12, the CLI 13).
#[test]
fn a_carriage_return_at_the_very_end_is_part_of_the_last_line() {
    let lines = small()
        .evaluate_lines(
            "{\"id\": \"x\", \r\n{\"id\": \"y\", \r",
            &Options::default(),
        )
        .unwrap();
    assert_eq!(
        lines.output,
        "{\"line\":1,\"error\":\"not valid JSON (column 12): EOF while parsing a value\"}\n\
         {\"line\":2,\"error\":\"not valid JSON (column 13): EOF while parsing a value\"}\n"
    );
}

/// A working day outside the calendar's years met for one element of a
/// `for each` rule names the element: its id in the message, and its JSON
/// path as the error's `path`, so that a record with several notices can
/// be mended at the right one (audit 31 F2). Here the second notice's
/// follow-up window runs into 2028, past the calendar's last year.
#[test]
fn a_date_outside_the_calendar_for_one_element_names_its_path() {
    let files = [
        "monitoring_visits/2015-04.rules",
        "calendars/england_and_wales.calendar",
        "definitions/monitoring_visits.rules",
    ]
    .map(|f| (f, read(&format!("rulesets/{f}"))));
    let engine = Engine::from_files(files).unwrap();
    let record = serde_json::json!({
        "setting": "childrens_home",
        "visit": {"start": "2027-11-01", "end": "2027-11-01", "feedback": "2027-11-01"},
        "compliance_notices": [
            {"id": "cn0", "served": "2027-11-01", "completion": "2027-11-29"},
            {"id": "cn1", "served": "2027-11-01", "completion": "2027-12-29"}
        ]
    });
    let e = engine
        .evaluate(&record.to_string(), &Options::default())
        .unwrap_err();
    let e = only(&e);
    assert_eq!(e.kind, ErrorKind::Evaluation);
    assert!(
        e.message.contains("`2028-01-01` is outside the years"),
        "{}",
        e.message
    );
    assert!(
        e.message
            .contains("for item \"cn1\", at compliance_notices[1]"),
        "{}",
        e.message
    );
    assert_eq!(e.path.as_deref(), Some("compliance_notices[1]"));
    assert_eq!(e.rule.as_deref(), Some("follow_up_visit"));
}

/// The folder that holds every ruleset, named where one ruleset is asked
/// for, is refused with the rulesets to name instead as the error's `help`,
/// as the command line says it (audit 33 O2: the bindings said only that
/// it held no rule files).
#[test]
fn a_folder_of_rulesets_is_refused_with_the_ones_to_name() {
    let errors = Engine::load(Path::new("rulesets")).unwrap_err();
    let error = only(&errors);
    assert_eq!(error.kind, ErrorKind::Load);
    assert!(error.message.contains("no rule files"), "{error:?}");
    let help = error.help.as_deref().unwrap_or_default();
    assert!(
        help.starts_with("it holds the folders of rulesets `rulesets/childrens_homes`, "),
        "{help}"
    );
    assert!(help.ends_with("; name one of them"), "{help}");
    assert!(!help.contains("definitions"), "{help}");
    // A folder with no rule file, nor any ruleset within: no help.
    let errors = Engine::load(Path::new("tests/fixtures/bindings")).unwrap_err();
    assert_eq!(only(&errors).help, None);
}
