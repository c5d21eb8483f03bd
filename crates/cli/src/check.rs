//! `judgement check`: parse, type-check and lint every rule file, then check
//! that the editions in each folder fit together.

use crate::files::rule_files;
use crate::load;
use crate::render::{Renderer, SourceFile};
use crate::{Failure, Outcome};
use judgement_engine::{Editions, LoadError, Ruleset};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Default)]
struct Tally {
    files: usize,
    errors: usize,
    warnings: usize,
}

pub fn run(paths: &[PathBuf], out: &mut dyn Write, r: &Renderer) -> Outcome {
    let files = rule_files(paths)?;
    let mut tally = Tally::default();
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
    writeln!(
        out,
        "checked {}: {}, {}",
        plural(tally.files, "file"),
        plural(tally.errors, "error"),
        plural(tally.warnings, "warning")
    )?;
    if tally.errors > 0 {
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
                    r.problem(&file, w);
                    tally.warnings += 1;
                }
            }
            Ok(true)
        }
        Err(LoadError::Invalid { files, .. }) => {
            for f in &files {
                let file = SourceFile::new(&f.path, &f.source);
                for p in &f.problems {
                    r.problem(&file, p);
                    if p.is_error() {
                        tally.errors += 1;
                    } else {
                        tally.warnings += 1;
                    }
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
