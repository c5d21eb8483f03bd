//! `judgement test`: run the tests written in every rule file. Definitions
//! files hold no tests: their rules are tested by the tests of the rulesets
//! that use them.

use crate::check::plural;
use crate::files::rule_files;
use crate::load;
use crate::render::{Code, Renderer, SourceFile};
use crate::{Failure, Outcome};
use judgement_engine::LoadError;
use miette::Severity;
use std::io::Write;
use std::path::PathBuf;

pub fn run(paths: &[PathBuf], out: &mut dyn Write, r: &Renderer) -> Outcome {
    let files = rule_files(paths)?;
    let (mut passed, mut failed, mut broken) = (0usize, 0usize, 0usize);
    // Rule files that could not be read (not UTF-8, too large): an I/O
    // error, exit 2, as every other command gives for one.
    let mut unreadable = 0usize;
    let mut contexts = load::Contexts::default();
    for path in &files {
        let ruleset = match contexts.ruleset(path) {
            Ok(ruleset) => ruleset,
            Err(LoadError::NotARuleset { .. }) => {
                writeln!(
                    out,
                    "skipping {}: definitions are tested by the rulesets that use them",
                    path.display()
                )?;
                continue;
            }
            Err(e) => {
                broken += 1;
                writeln!(out, "{}: does not load", path.display())?;
                out.flush()?;
                if load::report(&e, r).report(r) {
                    unreadable += 1;
                }
                continue;
            }
        };
        let results = ruleset.run_tests();
        writeln!(
            out,
            "running {} in {}",
            plural(results.len(), "test"),
            path.display()
        )?;
        let file = SourceFile::new(path, ruleset.source_text());
        for t in results {
            if t.passed() {
                passed += 1;
                writeln!(out, "test {:?} ... ok", t.name)?;
                continue;
            }
            failed += 1;
            writeln!(out, "test {:?} ... FAILED", t.name)?;
            // Keep the failure under its test when both go to a terminal.
            out.flush()?;
            for (span, why) in &t.failures {
                let label = if *span == t.span {
                    "in this test"
                } else {
                    "this expectation"
                };
                let message = format!("test {:?} failed: {why}", t.name);
                r.at(&file, (Severity::Error, Code::Test), &message, label, *span);
            }
        }
    }
    if broken > 0 {
        writeln!(out, "{} did not load", plural(broken, "rule file"))?;
    }
    writeln!(out, "{passed} passed, {failed} failed")?;
    if unreadable > 0 {
        Err(Failure::Io(format!(
            "{} could not be read",
            plural(unreadable, "rule file")
        )))
    } else if failed > 0 || broken > 0 {
        Err(Failure::Problems)
    } else {
        Ok(())
    }
}
