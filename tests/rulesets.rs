//! Every rule file in rulesets/ parses, checks without warnings and passes
//! the tests written beside its rules.

use judgement::{Editions, LoadError, Problem};
use std::path::{Path, PathBuf};

fn rule_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            rule_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rules") {
            out.push(p);
        }
    }
}

fn describe(err: &LoadError) -> String {
    match err {
        LoadError::Invalid { files, .. } => files
            .iter()
            .flat_map(|f| {
                f.problems.iter().map(move |p: &Problem| {
                    let (line, col) = judgement::line_col(&f.source, p.span().start);
                    format!("{}:{line}:{col}: {p}", f.path.display())
                })
            })
            .collect::<Vec<_>>()
            .join("\n"),
        other => other.to_string(),
    }
}

#[test]
fn every_ruleset_checks_and_passes_its_tests() {
    let mut files = Vec::new();
    rule_files(Path::new("rulesets"), &mut files);
    assert!(!files.is_empty(), "no rule files found");
    let mut failures = Vec::new();
    let mut count = 0;
    for file in &files {
        let editions = match Editions::load(file) {
            Ok(e) => e,
            Err(e) => panic!("{}", describe(&e)),
        };
        for ruleset in editions.editions() {
            for w in ruleset.warnings() {
                let (line, col) = judgement::line_col(ruleset.source_text(), w.span().start);
                failures.push(format!("{}:{line}:{col}: warning: {w}", file.display()));
            }
            for result in ruleset.run_tests() {
                count += 1;
                for (span, why) in &result.failures {
                    let (line, col) = judgement::line_col(ruleset.source_text(), span.start);
                    failures.push(format!("{}:{line}:{col}: test \"{}\": {why}", file.display(), result.name));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(count > 0, "the rulesets hold no tests");
}
