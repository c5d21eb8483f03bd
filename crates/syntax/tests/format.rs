//! `format_source` is idempotent, keeps every comment and gives a file that
//! parses to the same AST, for every rule file in the repository.

#![allow(
    clippy::panic,
    clippy::unwrap_used,
    clippy::indexing_slicing,
    reason = "a test fails by panicking"
)]

use judgement_syntax::{format_source, parse_file};
use std::path::{Path, PathBuf};

fn rule_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let p = entry.unwrap().path();
        if p.is_dir() {
            rule_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rules") {
            out.push(p);
        }
    }
}

fn comments(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|l| {
            l.find(" #")
                .map(|i| l[i + 1..].trim().to_string())
                .or_else(|| l.trim().starts_with('#').then(|| l.trim().to_string()))
        })
        .collect()
}

#[test]
fn every_rule_file_formats_idempotently_to_the_same_ast() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut files = Vec::new();
    rule_files(&root.join("rulesets"), &mut files);
    rule_files(&root.join("tests/fixtures"), &mut files);
    rule_files(&root.join("crates/cli/tests/data"), &mut files);
    let mut formatted_count = 0;
    for file in files {
        let source = std::fs::read_to_string(&file).unwrap();
        let Ok(original) = parse_file(&source) else {
            continue;
        };
        let once = format_source(&source).unwrap();
        let twice = format_source(&once).unwrap();
        assert_eq!(
            once,
            twice,
            "{}: formatting is not idempotent",
            file.display()
        );
        assert_eq!(
            parse_file(&once).unwrap(),
            original,
            "{}: formatting changed the AST",
            file.display()
        );
        assert_eq!(
            comments(&once),
            comments(&source),
            "{}: formatting lost or moved comments",
            file.display()
        );
        formatted_count += 1;
    }
    assert!(
        formatted_count >= 10,
        "only {formatted_count} files formatted"
    );
}

#[test]
fn a_messy_file_gets_the_canonical_layout() {
    let messy = "# header comment\nruleset   r \"R\"   in force from 2015-04-01\nscale g: a>b>c   # best first\nevidence x.y : g or none\n  x.d: date\nthreshold t = 1 weeks\nrule r1 \"p 1\" when (x.y is set and (x.y is a or x.y is b)) and not (x.d - x.d >= t) then action do_it likely x_j = a\njudgement x_j: g from x.y\n";
    insta::assert_snapshot!(format_source(messy).unwrap());
}
