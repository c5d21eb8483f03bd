//! `judgement` end to end: input.

use super::*;

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
