//! `judgement check`: parse, type-check and lint every rule file, then check
//! that the editions in each folder fit together. With `--strict` (for CI)
//! warnings fail the check too, and a rule without a citation is an error.

use crate::files::rule_files;
use crate::load;
use crate::render::{Renderer, SourceFile};
use crate::{Failure, Outcome};
use judgement_engine::{CheckError, Editions, Lint, LoadError, Problem, Ruleset};
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Default)]
struct Tally {
    strict: bool,
    files: usize,
    errors: usize,
    warnings: usize,
}

impl Tally {
    /// Report one problem of `file` and count it. Under `--strict` a rule
    /// without a citation is reported and counted as an error.
    fn problem(&mut self, r: &Renderer, file: &SourceFile, problem: &Problem) {
        let problem = match problem {
            Problem::Check(c) if self.strict && c.lint == Some(Lint::MissingCitation) => {
                Cow::Owned(Problem::Check(CheckError {
                    warning: false,
                    ..c.clone()
                }))
            }
            _ => Cow::Borrowed(problem),
        };
        r.problem(file, &problem);
        if problem.is_error() {
            self.errors += 1;
        } else {
            self.warnings += 1;
        }
    }

    fn failed(&self) -> bool {
        self.errors > 0 || (self.strict && self.warnings > 0)
    }
}

pub fn run(paths: &[PathBuf], strict: bool, out: &mut dyn Write, r: &Renderer) -> Outcome {
    let files = rule_files(paths)?;
    let mut tally = Tally {
        strict,
        ..Tally::default()
    };
    // Folder -> whether every rule file in it loaded.
    let mut folders: BTreeMap<&Path, (usize, bool)> = BTreeMap::new();
    for path in &files {
        tally.files += 1;
        let loaded = check_file(path, r, &mut tally)?;
        let folder = path.parent().unwrap_or(Path::new("."));
        let entry = folders.entry(folder).or_insert((0, true));
        entry.0 += 1;
        entry.1 &= loaded;
    }
    for (folder, (count, all_loaded)) in folders {
        if count < 2 || !all_loaded {
            continue;
        }
        if let Err(e) = Editions::load(folder) {
            tally.errors += 1;
            if let Failure::Usage(message) = load::report(&e, r) {
                r.error(&message);
            }
        }
    }
    let strictly = match (strict, tally.warnings) {
        (false, _) => "",
        (true, 0) => " (strict)",
        (true, _) => " (strict: warnings fail the check)",
    };
    writeln!(
        out,
        "checked {}: {}, {}{strictly}",
        plural(tally.files, "file"),
        plural(tally.errors, "error"),
        plural(tally.warnings, "warning")
    )?;
    if tally.failed() {
        Err(Failure::Problems)
    } else {
        Ok(())
    }
}

/// Check one file and report its problems; true when it loaded.
fn check_file(path: &Path, r: &Renderer, tally: &mut Tally) -> Result<bool, Failure> {
    match Ruleset::load(path) {
        Ok(ruleset) => {
            if !ruleset.warnings().is_empty() {
                let file = SourceFile::new(path, ruleset.source_text());
                for w in ruleset.warnings() {
                    tally.problem(r, &file, w);
                }
            }
            Ok(true)
        }
        Err(LoadError::Invalid { files, .. }) => {
            for f in &files {
                let file = SourceFile::new(&f.path, &f.source);
                for p in &f.problems {
                    tally.problem(r, &file, p);
                }
            }
            Ok(false)
        }
        Err(e @ LoadError::Editions { .. }) => {
            load::report(&e, r);
            tally.errors += 1;
            Ok(false)
        }
        Err(e @ (LoadError::Io { .. } | LoadError::Empty { .. })) => {
            Err(Failure::Usage(e.to_string()))
        }
    }
}

pub fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}
