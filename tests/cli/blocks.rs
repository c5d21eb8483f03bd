//! `judgement` end to end: blocks.

use super::*;

/// A record of the small ruleset exactly `len` bytes long, its id `tag`
/// padded with `x`.
fn record_of_len(tag: &str, len: usize) -> String {
    let base = small_record(tag, "good");
    assert!(len >= base.len(), "{len} < {}", base.len());
    small_record(&format!("{tag}{}", "x".repeat(len - base.len())), "good")
}

/// Run `eval` of a `.jsonl` file with 1, 2 and 3 threads; each run must
/// print the same bytes on stdout and on stderr and exit the same way.
fn eval_file_on_threads(name: &str, text: &[u8], extra: &[&str]) -> Run {
    let file = tmp_bytes(name, text);
    let mut first: Option<Run> = None;
    for threads in ["1", "2", "3"] {
        let mut args = vec!["eval", "-r", "tests/fixtures/cli/small", &file];
        args.extend_from_slice(extra);
        args.extend_from_slice(&["--threads", threads]);
        let run = judgement(&args);
        match &first {
            None => first = Some(run),
            Some(one) => {
                assert!(
                    one.stdout == run.stdout,
                    "{name}: stdout, threads {threads}"
                );
                assert_eq!(one.stderr, run.stderr, "{name}: stderr, threads {threads}");
                assert_eq!(one.code, run.code, "{name}: exit code, threads {threads}");
            }
        }
    }
    first.unwrap()
}

/// What each output line says: the record's id, or `line N` for an error.
fn ids_and_errors(stdout: &str) -> Vec<String> {
    output_lines(stdout)
        .iter()
        .map(|o| match o["line"].as_u64() {
            Some(n) => format!("line {n}"),
            None => o["id"].as_str().unwrap().to_string(),
        })
        .collect()
}

/// The batch reader reads blocks of about 128 KiB and the workers number
/// the lines: across many blocks, blank lines (empty, spaces, `\r\n`)
/// still count, CRLF endings are dropped, bad lines are reported by their
/// own number, and a last line without a line ending is read; records
/// longer than a block are read whole.
#[test]
fn a_batch_numbers_its_lines_exactly_across_blocks() {
    let mut text = String::new();
    let mut want = Vec::new();
    for i in 0..6_000usize {
        let number = i + 1;
        let (line, expect) = match i % 101 {
            3 => (String::new(), None),
            4 => ("  \t ".to_string(), None),
            5 => ("\r".to_string(), None),
            17 => ("{not json".to_string(), Some(format!("line {number}"))),
            // Longer than a block: read on into a larger one.
            60 if i % 7 == 0 => (
                record_of_len(&format!("long{i}-"), 300_000),
                Some(format!("long{i}-")),
            ),
            _ => (
                small_record(&format!("r{i}"), "good"),
                Some(format!("r{i}")),
            ),
        };
        text.push_str(&line);
        if i + 1 < 6_000 {
            text.push_str(if i % 3 == 0 { "\r\n" } else { "\n" });
        }
        want.extend(expect);
    }
    assert!(text.len() > 10 * (128 << 10), "{}", text.len());
    let run = eval_file_on_threads("blocks.jsonl", text.as_bytes(), &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let got: Vec<String> = ids_and_errors(&run.stdout)
        .into_iter()
        .map(|id| match id.find('-') {
            Some(at) if id.starts_with("long") => id[..=at].to_string(),
            _ => id,
        })
        .collect();
    assert_eq!(got, want);
    let reported: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(reported.len(), 60, "{}", run.stderr);
    assert!(
        reported[0].contains("blocks.jsonl:18:2: not valid JSON"),
        "{}",
        reported[0]
    );
}

/// The limit on a record is exact wherever the line falls in a block, with
/// either line ending and without one at the end; a line past the limit
/// that spans several blocks is refused, and the lines after it are read.
#[test]
fn the_record_limit_is_exact_across_blocks() {
    let limit = 200_000;
    let exact = record_of_len("exact-", limit);
    let over = record_of_len("over-", limit + 1);
    let far_over = record_of_len("far-", 5 * limit);
    let mut text = String::new();
    let mut want = Vec::new();
    for i in 0..2_000usize {
        let number = i + 1;
        let (line, expect) = match i % 400 {
            10 => (exact.clone(), "exact-".to_string()),
            11 => (over.clone(), format!("line {number}")),
            12 => (far_over.clone(), format!("line {number}")),
            // Blank but past the limit: refused, not skipped.
            13 => (" ".repeat(limit + 1), format!("line {number}")),
            _ => (small_record(&format!("r{i}"), "good"), format!("r{i}")),
        };
        text.push_str(&line);
        text.push_str(if i % 2 == 0 { "\r\n" } else { "\n" });
        want.push(expect);
    }
    text.push_str(&exact);
    want.push("exact-".to_string());
    let limit_arg = limit.to_string();
    let run = eval_file_on_threads(
        "limit-blocks.jsonl",
        text.as_bytes(),
        &["--max-record-bytes", &limit_arg],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    let got: Vec<String> = ids_and_errors(&run.stdout)
        .into_iter()
        .map(|id| {
            if id.starts_with("exact-") {
                "exact-".to_string()
            } else {
                id
            }
        })
        .collect();
    assert_eq!(got, want);
    assert_eq!(run.stderr.lines().count(), 15, "{}", run.stderr);
    assert!(run
        .stderr
        .lines()
        .all(|l| l.contains(&format!("longer than {limit} bytes"))));
    // The same line one byte under the limit is read.
    let under = (limit - 1).to_string();
    let run = eval_file_on_threads(
        "limit-under.jsonl",
        format!("{exact}\n{}\n", small_record("b", "good")).as_bytes(),
        &["--max-record-bytes", &under],
    );
    assert_eq!(ids_and_errors(&run.stdout), ["line 1", "b"]);
}

/// Only blank lines, as many as fill several blocks: an empty batch, or,
/// after one record, that record alone; a last line without a line ending
/// after them is still read, with its number.
#[test]
fn blank_lines_fill_blocks_and_print_nothing() {
    let blank = " \n\r\n\n\t\n".repeat(100_000);
    let run = eval_file_on_threads("blank.jsonl", blank.as_bytes(), &[]);
    assert_eq!(
        (run.code, run.stdout.as_str(), run.stderr.as_str()),
        (0, "", "")
    );
    let text = format!("{}\n{blank}{{broken", small_record("a", "good"));
    let run = eval_file_on_threads("blank-then-broken.jsonl", text.as_bytes(), &[]);
    assert_eq!(run.code, 1);
    assert_eq!(ids_and_errors(&run.stdout), ["a", "line 400002"]);
}

/// A reader that gives `text` up to `fails_at`, then fails.
struct FailingReader {
    text: Vec<u8>,
    at: usize,
    fails_at: usize,
}

impl std::io::Read for FailingReader {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.at >= self.fails_at {
            return Err(std::io::Error::other("the disk is on fire"));
        }
        let n = buf.len().min(self.fails_at - self.at);
        buf[..n].copy_from_slice(&self.text[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

/// An error reading the input in the middle of a line: the lines read
/// whole before it are evaluated and written, the line it cuts is not, and
/// the error is given, whatever the number of threads.
#[test]
fn a_read_error_keeps_the_lines_read_before_it() {
    let editions = judgement::Editions::load(&root().join("tests/fixtures/cli/small")).unwrap();
    let mut text = String::new();
    let mut starts = Vec::new();
    for i in 0..5_000 {
        starts.push(text.len());
        text.push_str(&small_record(&format!("r{i}"), "good"));
        text.push('\n');
    }
    // In the middle of line 3,001, well past the first block.
    let fails_at = starts[3_000] + 10;
    for threads in [1, 2, 3] {
        let reader = FailingReader {
            text: text.clone().into_bytes(),
            at: 0,
            fails_at,
        };
        let mut out = Vec::new();
        let threads = std::num::NonZeroUsize::new(threads).unwrap();
        let error = judgement_cli::eval_json_lines(
            &editions,
            Box::new(std::io::BufReader::new(reader)),
            &mut out,
            threads,
            true,
        )
        .unwrap_err();
        assert!(error.to_string().contains("the disk is on fire"), "{error}");
        let ids = ids_and_errors(&String::from_utf8(out).unwrap());
        let want: Vec<String> = (0..3_000).map(|i| format!("r{i}")).collect();
        assert_eq!(ids, want, "threads {threads}");
    }
}
