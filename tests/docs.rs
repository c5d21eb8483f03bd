//! `docs/language.md` is a tested document.
//!
//! - Every ```` ```judgement ```` block is a complete rule file: it is in the
//!   canonical layout (`judgement fmt` would leave it alone), it checks with
//!   no errors and no warnings (the England and Wales calendar is there for
//!   working days), it holds at least one DSL test, and its tests pass.
//! - Every grammar keyword appears in some ```` ```judgement ```` block, so a
//!   construct added to the language without an example fails here.
//! - An HTML comment on the line before a block ties it to the binary:
//!   `<!-- docs-input: PATH -->` writes the block to PATH in a scratch
//!   folder (which has `calendars/` beside it); `<!-- docs-output: exit N:
//!   judgement ARGS -->` runs the binary there and checks its exit code, and
//!   that every line of the block is a line of what it printed, in order
//!   within stdout and within stderr (a terminal interleaves the two; a line
//!   `...` stands for lines left out, and blank lines are not compared);
//!   `<!-- docs-unformatted -->` marks a block that `judgement fmt` turns
//!   into the next ```` ```judgement ```` block; `<!-- docs-reserved-words
//!   -->` marks the list of reserved words, which must be the grammar's.

#![allow(
    clippy::panic,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "a test fails by panicking"
)]

use std::collections::BTreeSet;
use std::path::Path;

const DOC: &str = "docs/language.md";
const CALENDAR: &str = "rulesets/calendars/england_and_wales.calendar";

/// Keywords of the grammar that no runnable example can show. Add one here
/// only with a reason, and say in the document how it is used.
const KEYWORDS_WITHOUT_EXAMPLE: &[&str] = &[];

/// A fenced block of the document.
#[derive(Debug, Clone)]
struct Block {
    /// The 1-based line of the document the block's text starts on.
    line: usize,
    lang: String,
    text: String,
    /// The `<!-- docs... -->` comment on the line before the fence.
    marker: Option<String>,
}

fn blocks(doc: &str) -> Vec<Block> {
    let mut out = Vec::new();
    let mut lines = doc.lines().enumerate();
    let mut previous: Option<&str> = None;
    while let Some((index, line)) = lines.next() {
        let Some(lang) = line.strip_prefix("```") else {
            previous = Some(line);
            continue;
        };
        let marker = previous
            .map(str::trim)
            .filter(|p| p.starts_with("<!-- docs"))
            .map(|p| {
                p.strip_prefix("<!--")
                    .and_then(|p| p.strip_suffix("-->"))
                    .unwrap_or_else(|| panic!("{DOC}:{index}: a marker is one line: {p}"))
                    .trim()
                    .to_string()
            });
        let mut text = String::new();
        let mut closed = false;
        for (_, body) in lines.by_ref() {
            if body.starts_with("```") {
                closed = true;
                break;
            }
            text.push_str(body);
            text.push('\n');
        }
        assert!(closed, "{DOC}:{}: a block is not closed", index + 1);
        out.push(Block {
            line: index + 2,
            lang: lang.trim().to_string(),
            text,
            marker,
        });
        previous = None;
    }
    out
}

fn doc_blocks() -> Vec<Block> {
    let doc = std::fs::read_to_string(DOC).unwrap();
    blocks(&doc)
}

fn calendars() -> Vec<judgement::calendar::Calendar> {
    let text = std::fs::read_to_string(CALENDAR).unwrap();
    vec![judgement::calendar::Calendar::parse(&text).unwrap()]
}

/// What is wrong with one example: nothing when it is a canonical, clean
/// rule file whose tests (at least one) pass. `line` is where its text
/// starts in the document, for the messages.
fn example_problems(
    text: &str,
    line: usize,
    calendars: &[judgement::calendar::Calendar],
) -> Vec<String> {
    let context = judgement::Context::with_calendars(calendars);
    example_problems_in(text, line, &context)
}

/// The same, with definitions that earlier examples gave (`uses NAME`). A
/// definitions example is checked on its own and has no tests.
fn example_problems_in(text: &str, line: usize, context: &judgement::Context) -> Vec<String> {
    let calendars = &context.calendars;
    let at = |offset: usize| {
        let (l, c) = judgement::line_col(text, offset);
        format!("{DOC}:{}:{c}", line + l - 1)
    };
    let mut problems = Vec::new();
    match judgement::format_source(text) {
        Ok(formatted) if formatted == text => {}
        Ok(formatted) => problems.push(format!(
            "{DOC}:{line}: not in the canonical layout; `judgement fmt` gives:\n{formatted}"
        )),
        Err(errors) => {
            for e in errors {
                problems.push(format!("{}: {e}", at(e.span().start)));
            }
            return problems;
        }
    }
    let file_problems = |found: Vec<judgement::FileProblems>, problems: &mut Vec<String>| {
        for f in found {
            for p in f.problems {
                let (l, c) = judgement::line_col(&f.source, p.span().start);
                problems.push(format!(
                    "{} (line {l}, column {c} of the example at {DOC}:{line}): {p}",
                    f.path.display()
                ));
            }
        }
    };
    if judgement::file_kind(text) == judgement::ast::FileKind::Definitions {
        let name = text.split_whitespace().nth(1).unwrap_or_default();
        let path = format!("definitions/{name}.rules");
        if let Err(found) = judgement::Definitions::from_source(Path::new(&path), text, context) {
            file_problems(found, &mut problems);
        }
        return problems;
    }
    let compiled = if text.lines().any(|l| l.trim_start().starts_with("uses ")) {
        judgement::Ruleset::from_sources(Path::new("example.rules"), text, context).map_err(
            |found| {
                file_problems(found, &mut problems);
            },
        )
    } else {
        judgement::Ruleset::from_source(text, calendars).map_err(|found| {
            for p in found {
                problems.push(format!("{}: {p}", at(p.span().start)));
            }
        })
    };
    let Ok(ruleset) = compiled else {
        return problems;
    };
    for w in ruleset.warnings() {
        problems.push(format!("{}: warning: {w}", at(w.span().start)));
    }
    let results = ruleset.run_tests();
    if results.is_empty() {
        problems.push(format!("{DOC}:{line}: the example has no test"));
    }
    for result in results {
        for (span, why) in &result.failures {
            problems.push(format!("{}: test {:?}: {why}", at(span.start), result.name));
        }
    }
    problems
}

#[test]
fn every_judgement_example_is_formatted_checks_cleanly_and_passes_its_tests() {
    let calendars = calendars();
    let examples: Vec<Block> = doc_blocks()
        .into_iter()
        .filter(|b| b.lang == "judgement")
        .collect();
    assert!(
        examples.len() >= 30,
        "only {} ```judgement blocks found in {DOC}",
        examples.len()
    );
    // Definitions given by one example serve the examples after it.
    let mut context = judgement::Context::with_calendars(&calendars);
    let mut problems = Vec::new();
    for b in &examples {
        problems.extend(example_problems_in(&b.text, b.line, &context));
        if judgement::file_kind(&b.text) == judgement::ast::FileKind::Definitions {
            let name = b
                .text
                .split_whitespace()
                .nth(1)
                .unwrap_or_default()
                .to_string();
            let path = format!("definitions/{name}.rules");
            context.add_definitions(name, path, b.text.clone());
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The check above can fail: a wrong expectation, a layout that is not
/// canonical, a warning, and a file with no test are each reported.
#[test]
fn a_broken_example_is_reported() {
    let calendars = calendars();
    let good = "ruleset visits \"Visits\"\n  in force from 2015-04-01\n\nevidence\n  visit.start: date\n\nrule always \"para 1\"\n  then action record_visit\n\ntest \"always\"\n  given visit.start = 2015-11-09\n  expect action record_visit\n";
    assert_eq!(example_problems(good, 1, &calendars), Vec::<String>::new());
    let broken = [
        good.replace("expect action record_visit", "expect no actions"),
        good.replace("  then action", "    then action"),
        good.replace("rule always \"para 1\"", "rule always"),
        good.replace(
            "test \"always\"\n  given visit.start = 2015-11-09\n  expect action record_visit\n",
            "",
        )
        .trim_end()
        .to_string()
            + "\n",
        good.replace("visit.start = 2015-11-09", "visit.begin = 2015-11-09"),
    ];
    for text in &broken {
        assert!(
            !example_problems(text, 1, &calendars).is_empty(),
            "not reported:\n{text}"
        );
    }
}

/// Words, outside strings and comments.
fn words(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for line in text.lines() {
        let mut code = String::new();
        let mut in_string = false;
        for c in line.chars() {
            match c {
                '"' => in_string = !in_string,
                '#' if !in_string => break,
                _ if !in_string => code.push(c),
                _ => {}
            }
        }
        for w in code.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')) {
            if !w.is_empty() {
                out.insert(w.to_string());
            }
        }
    }
    out
}

/// The reserved words of the grammar: the rule `keyword = @{ ( "absent" | ...
/// ) ~ word_end }`.
fn reserved_words() -> BTreeSet<String> {
    let grammar = std::fs::read_to_string("grammar/judgement.pest").unwrap();
    let start = grammar
        .find("\nkeyword = @{")
        .expect("the grammar's keyword rule");
    let rule = &grammar[start..];
    let rule = &rule[..rule.find("word_end").unwrap()];
    rule.split('"')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect()
}

#[test]
fn the_reserved_words_are_the_grammars() {
    let blocks = doc_blocks();
    let listed: Vec<&Block> = blocks
        .iter()
        .filter(|b| b.marker.as_deref() == Some("docs-reserved-words"))
        .collect();
    assert_eq!(listed.len(), 1, "one list of reserved words in {DOC}");
    let words: BTreeSet<String> = listed[0]
        .text
        .split_whitespace()
        .map(str::to_string)
        .collect();
    let grammar = reserved_words();
    assert!(grammar.len() > 50, "the grammar's reserved words not found");
    assert_eq!(
        words, grammar,
        "{DOC}:{}: the reserved words are not the grammar's",
        listed[0].line
    );
}

/// Each reserved word really is reserved: a `let` may not take it as its
/// name, while a name that only starts with it may (`not` and `note` once
/// differed here: the shorter word was tried first, so `note` was free).
#[test]
fn every_reserved_word_is_refused_as_a_name() {
    let file = |name: &str| format!("ruleset t \"T\"\n\nlet {name} = 1\n");
    assert!(judgement::parse_file(&file("free_name")).is_ok());
    for word in reserved_words() {
        assert!(
            judgement::parse_file(&file(&word)).is_err(),
            "`{word}` is listed as reserved but parses as a name"
        );
        let longer = format!("{word}_x");
        assert!(
            judgement::parse_file(&file(&longer)).is_ok(),
            "`{longer}` only starts with a reserved word"
        );
    }
}

/// The keywords of the grammar: each `kw_NAME = @{ "word" ~ word_end }`.
fn grammar_keywords() -> BTreeSet<String> {
    let grammar = std::fs::read_to_string("grammar/judgement.pest").unwrap();
    grammar
        .lines()
        .filter(|l| l.starts_with("kw_"))
        .filter_map(|l| l.split('"').nth(1))
        .map(str::to_string)
        .collect()
}

#[test]
fn every_keyword_of_the_grammar_appears_in_an_example() {
    let keywords = grammar_keywords();
    assert!(keywords.len() > 80, "keywords not found in the grammar");
    let used: BTreeSet<String> = doc_blocks()
        .iter()
        .filter(|b| b.lang == "judgement")
        .flat_map(|b| words(&b.text))
        .collect();
    let missing: Vec<&String> = keywords
        .iter()
        .filter(|k| !used.contains(*k) && !KEYWORDS_WITHOUT_EXAMPLE.contains(&k.as_str()))
        .collect();
    assert!(
        missing.is_empty(),
        "keywords with no ```judgement example in {DOC}: {missing:?}"
    );
}

/// A heading's anchor as GitHub makes it: lower case, punctuation other than
/// `-` and `_` dropped, spaces made hyphens.
fn anchor(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || matches!(c, ' ' | '-' | '_'))
        .map(|c| if c == ' ' { '-' } else { c })
        .collect()
}

#[test]
fn every_link_within_the_document_has_a_heading() {
    let doc = std::fs::read_to_string(DOC).unwrap();
    let mut anchors = BTreeSet::new();
    let mut in_block = false;
    for line in doc.lines() {
        if line.starts_with("```") {
            in_block = !in_block;
        } else if !in_block && line.starts_with('#') {
            anchors.insert(anchor(line.trim_start_matches('#')));
        }
    }
    assert_eq!(
        anchor("## 9.3 Working days".trim_start_matches('#')),
        "93-working-days"
    );
    let links: Vec<&str> = doc
        .split("](#")
        .skip(1)
        .filter_map(|rest| rest.split(')').next())
        .collect();
    assert!(links.len() > 10, "links not found in {DOC}");
    let broken: Vec<&&str> = links.iter().filter(|l| !anchors.contains(**l)).collect();
    assert!(
        broken.is_empty(),
        "links to no heading in {DOC}: {broken:?}"
    );
}

/// `<!-- docs-unformatted -->`: the block, formatted, is the next example.
#[test]
fn unformatted_samples_format_to_the_example_after_them() {
    let all = doc_blocks();
    let mut seen = 0;
    for (i, b) in all.iter().enumerate() {
        if b.marker.as_deref() != Some("docs-unformatted") {
            continue;
        }
        seen += 1;
        let next = all[i + 1..]
            .iter()
            .find(|n| n.lang == "judgement")
            .unwrap_or_else(|| panic!("{DOC}:{}: no example follows", b.line));
        let formatted = judgement::format_source(&b.text).unwrap();
        assert_eq!(
            formatted, next.text,
            "{DOC}:{}: formats to something else",
            b.line
        );
    }
    assert!(seen > 0, "no docs-unformatted block in {DOC}");
}

/// Every `docs` marker is one this file knows.
#[test]
fn every_marker_is_known() {
    for b in doc_blocks() {
        if let Some(m) = &b.marker {
            assert!(
                m == "docs-unformatted"
                    || m == "docs-reserved-words"
                    || m.starts_with("docs-input: ")
                    || m.starts_with("docs-output: exit "),
                "{DOC}:{}: unknown marker `{m}`",
                b.line
            );
        }
    }
}

/// The lines of `want` that are not blank or `...` are lines of what the
/// binary printed, each stream in its own order: a terminal shows stdout
/// and stderr interleaved, and the document shows them as a terminal does.
/// Lines of one stream that follow each other in `want`, with no `...`
/// between them, follow each other there too (blank lines aside): a line
/// left out of a sample is marked, never silent. `None` when they do;
/// otherwise the first line not found where it should be.
fn missing_line<'a>(want: &'a str, stdout: &str, stderr: &str) -> Option<&'a str> {
    fn shown(text: &str) -> Vec<&str> {
        text.lines()
            .map(str::trim_end)
            .filter(|l| !l.is_empty())
            .collect()
    }
    let (out, err) = (shown(stdout), shown(stderr));
    // The runs of `want` between `...` lines, blank lines aside.
    let mut runs: Vec<Vec<&str>> = vec![Vec::new()];
    for w in want.lines().map(str::trim_end).filter(|l| !l.is_empty()) {
        if w == "..." {
            runs.push(Vec::new());
        } else if let Some(run) = runs.last_mut() {
            run.push(w);
        }
    }
    // Each run is matched at the first place in stdout from which all its
    // lines follow: a stdout line straight after the one before it, a
    // stderr line anywhere after the stream's last for the run's first,
    // then straight after it.
    let (mut out_at, mut err_at) = (0, 0);
    for run in runs.iter().filter(|r| !r.is_empty()) {
        let mut best: (usize, Option<&str>) = (0, None);
        let mut found = None;
        for start in out_at..=out.len() {
            let (mut o, mut e, mut e_started) = (start, err_at, false);
            let mut failed = None;
            for (k, w) in run.iter().enumerate() {
                if out.get(o) == Some(w) {
                    o += 1;
                } else if !e_started {
                    match err.iter().skip(e).position(|g| g == w) {
                        Some(i) => {
                            e += i + 1;
                            e_started = true;
                        }
                        None => failed = Some(k),
                    }
                } else if err.get(e) == Some(w) {
                    e += 1;
                } else {
                    failed = Some(k);
                }
                if failed.is_some() {
                    break;
                }
            }
            match failed {
                None => {
                    found = Some((o, e));
                    break;
                }
                Some(k) if k >= best.0 => best = (k, run.get(k).copied()),
                Some(_) => {}
            }
        }
        match found {
            Some((o, e)) => (out_at, err_at) = (o, e),
            None => return best.1,
        }
    }
    None
}

#[test]
fn the_line_matcher_keeps_order_and_finds_a_changed_line() {
    let (out, err) = ("a\nb\nc\n", "x\ny\n");
    assert_eq!(missing_line("a\n...\nc\n", out, err), None);
    assert_eq!(missing_line("x\na\n\ny\nb\n", out, err), None);
    assert_eq!(missing_line("c\na\n", out, err), Some("a"));
    assert_eq!(missing_line("y\nx\n", out, err), Some("x"));
    assert_eq!(missing_line("a\nB\n", out, err), Some("B"));
    // A line left out with no `...` in its place.
    assert_eq!(missing_line("a\nc\n", out, err), Some("c"));
    assert_eq!(missing_line("b\n\nc\n", "b\n\nc\n", ""), None);
}

#[cfg(feature = "cli")]
mod binary {
    use super::*;
    use std::path::{Path, PathBuf};
    use std::process::Command;

    /// A scratch folder holding the document's inputs and a copy of the
    /// calendars, as a folder of rulesets would.
    fn scratch(blocks: &[Block]) -> PathBuf {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("docs");
        std::fs::remove_dir_all(&dir).ok();
        std::fs::create_dir_all(dir.join("calendars")).unwrap();
        std::fs::copy(CALENDAR, dir.join("calendars/england_and_wales.calendar")).unwrap();
        for b in blocks {
            let Some(path) = b
                .marker
                .as_deref()
                .and_then(|m| m.strip_prefix("docs-input: "))
            else {
                continue;
            };
            let path = dir.join(path.trim());
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            assert!(
                !path.exists(),
                "{DOC}:{}: a second input {}",
                b.line,
                path.display()
            );
            std::fs::write(&path, &b.text).unwrap();
        }
        dir
    }

    /// `exit N: judgement ARGS` -> (N, ARGS).
    fn command(marker: &str, line: usize) -> (i32, Vec<String>) {
        let rest = marker.strip_prefix("docs-output: exit ").unwrap();
        let (code, command) = rest
            .split_once(':')
            .unwrap_or_else(|| panic!("{DOC}:{line}: write `exit N: judgement ARGS`"));
        let mut words = command.split_whitespace().map(str::to_string);
        assert_eq!(words.next().as_deref(), Some("judgement"), "{DOC}:{line}");
        (code.trim().parse().unwrap(), words.collect())
    }

    #[test]
    fn every_sample_of_output_is_what_the_binary_prints() {
        let blocks = doc_blocks();
        let dir = scratch(&blocks);
        let mut failures = Vec::new();
        let mut outputs = 0;
        for b in &blocks {
            let Some(marker) = b.marker.as_deref() else {
                continue;
            };
            if !marker.starts_with("docs-output: ") {
                continue;
            }
            outputs += 1;
            let (code, args) = command(marker, b.line);
            let out = Command::new(env!("CARGO_BIN_EXE_judgement"))
                .args(&args)
                .current_dir(&dir)
                .env("NO_COLOR", "1")
                .output()
                .unwrap();
            let stdout = String::from_utf8_lossy(&out.stdout);
            let stderr = String::from_utf8_lossy(&out.stderr);
            let printed = format!("{stderr}{stdout}");
            if out.status.code() != Some(code) {
                failures.push(format!(
                    "{DOC}:{}: `judgement {}` exited {:?}, not {code}:\n{printed}",
                    b.line,
                    args.join(" "),
                    out.status.code()
                ));
            } else if let Some(line) = missing_line(&b.text, &stdout, &stderr) {
                failures.push(format!(
                    "{DOC}:{}: `judgement {}` did not print the line\n{line}\nin this order; it printed:\n{printed}",
                    b.line,
                    args.join(" ")
                ));
            }
        }
        assert!(outputs >= 8, "only {outputs} samples of output in {DOC}");
        assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    }
}
