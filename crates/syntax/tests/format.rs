//! `format_source` is idempotent, keeps every comment and gives a file that
//! parses to the same AST, for every rule file in the repository.

#![allow(
    clippy::panic,
    clippy::unwrap_used,
    clippy::indexing_slicing,
    reason = "a test fails by panicking"
)]

mod common;

use common::{comment_start, comments, string_bytes};
use judgement_syntax::ast::File;
use judgement_syntax::{format_source, parse_file};
use std::path::{Path, PathBuf};

fn rule_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            rule_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rules") {
            out.push(p);
        }
    }
}

/// Every rule file in the repository, with its text.
fn every_rule_file() -> Vec<(PathBuf, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut files = Vec::new();
    rule_files(&root.join("rulesets"), &mut files);
    rule_files(&root.join("tests/fixtures"), &mut files);
    assert!(files.len() >= 10, "only {} rule files found", files.len());
    files
        .into_iter()
        .map(|f| {
            let text = std::fs::read_to_string(&f).unwrap();
            (f, text)
        })
        .collect()
}

/// Whether a line ends inside brackets opened on it or before it.
fn inside_brackets(lines: &[&str]) -> Vec<bool> {
    let mut depth = 0i32;
    lines
        .iter()
        .map(|l| {
            let code = comment_start(l).map_or(*l, |i| &l[..i]);
            let mut in_string = false;
            let mut escaped = false;
            for c in code.chars() {
                match c {
                    '\\' if in_string && !escaped => {
                        escaped = true;
                        continue;
                    }
                    '"' if !escaped => in_string = !in_string,
                    '(' | '[' | '{' if !in_string => depth += 1,
                    ')' | ']' | '}' if !in_string => depth -= 1,
                    _ => {}
                }
                escaped = false;
            }
            depth > 0
        })
        .collect()
}

/// Format `source` (which must parse) and check what every formatting must
/// keep: the comments, the AST, and the layout on a second run.
fn check_formats(name: &str, source: &str) -> String {
    let original = parse_file(source).unwrap_or_else(|e| panic!("{name}: {e:?}"));
    check_formats_to(name, source, &original)
}

/// `check_formats` for a source whose AST is known: comments do not change it.
fn check_formats_to(name: &str, source: &str, original: &File) -> String {
    let once = format_source(source).unwrap_or_else(|e| panic!("{name}: {e:?}"));
    let twice = format_source(&once).unwrap_or_else(|e| panic!("{name}: {e:?}\n{once}"));
    assert_eq!(
        once, twice,
        "{name}: formatting is not idempotent; first:\n{once}"
    );
    assert_eq!(
        &parse_file(&once).unwrap(),
        original,
        "{name}: formatting changed the AST"
    );
    let mut before = comments(source);
    let mut after = comments(&once);
    before.sort();
    after.sort();
    assert_eq!(before, after, "{name}: formatting lost or changed comments");
    once
}

#[test]
fn every_rule_file_formats_idempotently_to_the_same_ast() {
    let mut formatted_count = 0;
    for (file, source) in every_rule_file() {
        if parse_file(&source).is_err() {
            continue;
        }
        let name = file.display().to_string();
        let once = check_formats(&name, &source);
        assert_eq!(
            comments(&once),
            comments(&source),
            "{name}: formatting moved comments out of order"
        );
        formatted_count += 1;
    }
    assert!(
        formatted_count >= 10,
        "only {formatted_count} files formatted"
    );
}

fn with_comment_after(lines: &[&str], which: impl Fn(usize) -> bool) -> String {
    let mut out = String::new();
    for (i, line) in lines.iter().enumerate() {
        out.push_str(line);
        if which(i) {
            out.push_str(&format!("  # c{}", i + 1));
        }
        out.push('\n');
    }
    out
}

#[test]
fn a_comment_after_every_line_at_once_is_kept() {
    for (file, source) in every_rule_file() {
        if parse_file(&source).is_err() {
            continue;
        }
        let lines: Vec<&str> = source.lines().collect();
        let commented = with_comment_after(&lines, |_| true);
        let name = format!("{} with a comment after every line", file.display());
        let once = check_formats(&name, &commented);
        for i in 1..=lines.len() {
            let marker = format!("# c{i}");
            assert_eq!(
                once.matches(&format!("{marker}\n")).count()
                    + once.matches(&format!("{marker}  ")).count(),
                1,
                "{name}: `{marker}` is not kept once:\n{once}"
            );
        }
    }
}

/// One comment at a time, after each line of each file (in a long file,
/// after every line of an even sample of at most 40, fewer in larger files,
/// so that the test stays quick). In a file already in the canonical
/// layout, a comment after a line of code (not one inside brackets that the
/// formatter joins) changes nothing else: it stays at the end of its line.
#[test]
fn a_comment_after_any_one_line_stays_at_its_end() {
    let mut canonical_files = 0;
    for (file, source) in every_rule_file() {
        if parse_file(&source).is_err() {
            continue;
        }
        let original = parse_file(&source).unwrap();
        let canonical = format_source(&source).unwrap() == source;
        canonical_files += usize::from(canonical);
        let lines: Vec<&str> = source.lines().collect();
        let inside = inside_brackets(&lines);
        let samples = (400_000 / source.len().max(1)).clamp(4, 40);
        let step = lines.len().div_ceil(samples).max(1);
        for (i, line) in lines.iter().enumerate().step_by(step) {
            let commented = with_comment_after(&lines, |j| j == i);
            let name = format!("{} with a comment after line {}", file.display(), i + 1);
            let once = check_formats_to(&name, &commented, &original);
            let stays = canonical && !line.trim().is_empty() && !inside[i];
            if stays {
                assert_eq!(once, commented, "{name}: the comment moved");
            }
        }
    }
    assert!(canonical_files >= 1, "no file is in the canonical layout");
}

#[test]
fn a_comment_after_the_first_evidence_field_stays_there() {
    let source = "ruleset r \"R\"\n\nevidence\n  inspection.start: date  # the start\n  inspection.end: date\n";
    assert_eq!(format_source(source).unwrap(), source);
}

/// After `given`, the comment is among the assignments, which then stay one
/// a line (`a_comment_among_the_assignments_of_given_keeps_them_one_a_line`):
/// nothing moves. (Before, they were joined onto the line of `given`, which
/// had a comment of its own, and the one after `given` moved above it.)
#[test]
fn a_comment_after_a_keyword_stays_there() {
    let source = "ruleset r \"R\"\n\nevidence  # the record\n  x: date\n\ntest \"t\"\n  given  # inline\n    x = 2015-01-01,\n    y = 1  # last\n  expect no actions\n";
    assert_eq!(check_formats("comments after keywords", source), source);
}

#[test]
fn comments_inside_an_expression_over_several_lines_move_above_it() {
    let source = "ruleset r \"R\"\n\nrule x \"p 1\"\n  when a and  # first\n    (b or  # second\n    c)  # last\n  then action y\n";
    let once = format_source(source).unwrap();
    assert_eq!(
        once,
        "ruleset r \"R\"\n\nrule x \"p 1\"\n  # first\n  # second\n  when a and (b or c)  # last\n  then action y\n"
    );
    assert_eq!(format_source(&once).unwrap(), once);
}

/// A comment after `when` or `then`, with what they lead on the lines
/// below, ended an earlier line of the joined line: it goes above, in
/// order, as the one after `let y =` does (it stayed at the end of the
/// joined line, after the comments that followed it in the source).
#[test]
fn a_comment_after_a_clause_keyword_moves_above_the_joined_line() {
    let source = "ruleset r \"R\"\n\nrule x \"p 1\"\n  when  # the condition\n    a  # first\n    and b\n  then  # what follows\n    action y\n\nlet z =  # both\n  a and\n  b\n";
    let once = check_formats("comments after clause keywords", source);
    assert_eq!(
        once,
        "ruleset r \"R\"\n\nrule x \"p 1\"\n  # the condition\n  # first\n  when a and b\n  # what follows\n  then action y\n\n# both\nlet z = a and b\n"
    );
}

#[test]
fn a_messy_file_gets_the_canonical_layout() {
    let messy = "# header comment\nruleset   r \"R\"   in force from 2015-04-01\nscale g: a>b>c   # best first\nevidence x.y : g or none\n  x.d: date\nthreshold t = 1 weeks\nrule r1 \"p 1\" when (x.y is set and (x.y is a or x.y is b)) and not (x.d - x.d >= t) then action do_it likely x_j = a\njudgement x_j: g from x.y\n";
    insta::assert_snapshot!(format_source(messy).unwrap());
}

#[test]
fn a_byte_order_mark_is_dropped() {
    let plain = "# first\nruleset r \"R\"\n";
    let marked = format!("\u{feff}{plain}");
    assert_eq!(format_source(&marked).unwrap(), plain);
}

#[test]
fn a_comment_inside_a_declaration_settles_in_one_run() {
    // Issue 6, item 14: the comment moved again on a second run.
    let source = "ruleset l \"\"\nlet v = # why\n  i\n";
    let once = check_formats("let with a comment after `=`", source);
    assert_eq!(once, "ruleset l \"\"\n\n# why\nlet v = i\n");
}

#[test]
fn a_comment_before_the_first_evidence_field_stays_in_the_block() {
    let source = "ruleset r \"R\"\n\nevidence\n  # the start\n  inspection.start: date\n";
    assert_eq!(check_formats("evidence", source), source);
    let broken = "ruleset r \"R\"\n\nevidence\n  inspection.start: # when\n   date\n";
    assert_eq!(
        check_formats("field split by a comment", broken),
        "ruleset r \"R\"\n\nevidence\n  # when\n  inspection.start: date\n"
    );
}

/// A comment among the assignments of `given` speaks of the one beside it:
/// they stay one a line, the comment where it was, rather than joined onto
/// one line with the comment moved above `given`. Without one they are
/// joined, as before.
#[test]
fn a_comment_among_the_assignments_of_given_keeps_them_one_a_line() {
    let after = "ruleset r \"R\"\n\ntest \"t\"\n  given base with\n    a = false,  # the home failed\n    b = true\n  expect no actions\n";
    assert_eq!(check_formats("a comment after an assignment", after), after);
    let above = "ruleset r \"R\"\n\ntest \"t\"\n  given\n    a = false,\n    # the second\n    b = true\n  expect no actions\n";
    assert_eq!(check_formats("a comment above an assignment", above), above);
    let plain = after.replace("  # the home failed", "");
    assert_eq!(
        check_formats("no comment", &plain),
        "ruleset r \"R\"\n\ntest \"t\"\n  given base with a = false, b = true\n  expect no actions\n"
    );
    // A comment after the last stays at the end of the one line.
    let last = plain.replace("b = true\n", "b = true  # last\n");
    assert_eq!(
        check_formats("a comment after the last assignment", &last),
        "ruleset r \"R\"\n\ntest \"t\"\n  given base with a = false, b = true  # last\n  expect no actions\n"
    );
}

/// Found by tests/properties.rs: a comment after a comma on a line of its
/// own ended the next assignment's line, the last; the next run joined the
/// assignments onto one line. It now ends the line of the assignment the
/// comma follows.
#[test]
fn a_comment_after_a_comma_on_its_own_line_stays_with_the_assignment_before() {
    let source = "ruleset r \"R\"\n\ntest \"t\"\n  given a = [ 2012-01-01 ]\n      ,  # c0\n      b = absent\n  expect no actions\n";
    assert_eq!(
        check_formats("a comma on its own line", source),
        "ruleset r \"R\"\n\ntest \"t\"\n  given\n    a = [2012-01-01],  # c0\n    b = absent\n  expect no actions\n"
    );
}

/// Found by tests/properties.rs: a comment after `with` was taken as the
/// first assignment's and ended its line, one a line; the next run joined
/// that line onto `given`'s, comment and all. It now ends `given`'s line.
/// A comment before `with` moves above `given`, on the first run as on the
/// next.
#[test]
fn a_comment_after_with_stays_on_the_line_of_given() {
    let wrapped = "ruleset r \"R\"\n\ntest \"t\"\n  given base\n      with  # c0\n      a = [ ]\n  expect no actions\n";
    let canonical =
        "ruleset r \"R\"\n\ntest \"t\"\n  given base with  # c0\n    a = []\n  expect no actions\n";
    assert_eq!(
        check_formats("with on a line of its own", wrapped),
        canonical
    );
    assert_eq!(check_formats("the canonical layout", canonical), canonical);
    let two = canonical.replace("a = []\n", "a = [],\n    b = true\n");
    assert_eq!(check_formats("two assignments", &two), two);
    // Before `with`, it is not among the assignments: above `given`.
    let before = "ruleset r \"R\"\n\ntest \"t\"\n  given base  # c0\n      with a = 2012-01-01, b = absent\n  expect no actions\n";
    assert_eq!(
        check_formats("a comment before with", before),
        "ruleset r \"R\"\n\ntest \"t\"\n  # c0\n  given base with a = 2012-01-01, b = absent\n  expect no actions\n"
    );
}

/// Found by tests/properties.rs: a comment inside the first of assignments
/// too long for one line settled under `given` on the first run, and moved
/// above it on the second.
#[test]
fn a_comment_above_the_first_of_several_lines_of_assignments_stays_under_given() {
    let source = "ruleset r \"R\"\n\ntest \"t\"\n  given a.first_long_field_name =  # why\n    \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\", a.second_long_field_name = \"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\"\n  expect no actions\n";
    let canonical = "ruleset r \"R\"\n\ntest \"t\"\n  given\n    # why\n    a.first_long_field_name = \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\",\n    a.second_long_field_name = \"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\"\n  expect no actions\n";
    assert_eq!(
        check_formats("a comment in the first assignment", source),
        canonical
    );
    assert_eq!(check_formats("a comment under given", canonical), canonical);
    let before = canonical.replace("  given\n    # why\n", "  # why\n  given\n");
    assert_eq!(check_formats("a comment above given", &before), before);
}

/// A comment that breaks a line in two, at a space, anywhere: formatting
/// keeps it and the AST, and a second run changes nothing. (In each file,
/// an even sample of lines, fewer in larger files so that the test stays
/// quick, each broken at its first and last space.)
#[test]
fn a_comment_that_breaks_any_line_is_kept_and_settles() {
    for (file, source) in every_rule_file() {
        let Ok(original) = parse_file(&source) else {
            continue;
        };
        let lines: Vec<&str> = source.lines().collect();
        let samples = (400_000 / source.len().max(1)).clamp(4, 30);
        let step = lines.len().div_ceil(samples).max(1);
        for (i, line) in lines.iter().enumerate().step_by(step) {
            let code = comment_start(line).map_or(*line, |c| &line[..c]);
            let indent = code.len() - code.trim_start().len();
            let spaces: Vec<usize> = code
                .char_indices()
                .filter(|(j, c)| *c == ' ' && *j > indent && !inside_string(code, *j))
                .map(|(j, _)| j)
                .collect();
            for at in [spaces.first(), spaces.last()].into_iter().flatten() {
                let mut broken: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
                broken[i] = format!("{} # gap\n    {}", &line[..*at], &line[*at + 1..]);
                let text = broken.join("\n") + "\n";
                let name = format!(
                    "{} broken at line {} column {}",
                    file.display(),
                    i + 1,
                    at + 1
                );
                check_formats_to(&name, &text, &original);
            }
        }
    }
}

/// Whether byte `at` of a line of code is inside a quoted string.
fn inside_string(code: &str, at: usize) -> bool {
    string_bytes(code).get(at).copied().unwrap_or(false)
}
