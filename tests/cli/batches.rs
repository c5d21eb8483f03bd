//! `judgement` end to end: batches.

use super::*;

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
