//! `judgement fmt [--check] [PATH...]`: rewrite rule files in the canonical
//! layout, or with `--check` only say which files are not in it. A file is
//! replaced whole or not at all (see `files::write_atomically`).

use crate::files::{rule_files, write_atomically};
use crate::render::{Renderer, SourceFile};
use crate::{Failure, Outcome};
use judgement_engine::Problem;
use std::io::Write;
use std::path::PathBuf;

pub fn run(paths: &[PathBuf], check: bool, out: &mut dyn Write, r: &Renderer) -> Outcome {
    let files = rule_files(paths)?;
    let mut unformatted = 0;
    let mut broken = 0;
    for path in &files {
        let source = judgement_engine::read_source(path).map_err(|e| Failure::Io(e.to_string()))?;
        let formatted = match judgement_syntax::format_source(&source) {
            Ok(f) => f,
            Err(errors) => {
                broken += 1;
                let file = SourceFile::new(path, &source);
                for e in errors {
                    r.problem(&file, &Problem::Syntax(e));
                }
                continue;
            }
        };
        if formatted == source {
            continue;
        }
        unformatted += 1;
        if check {
            writeln!(out, "not formatted: {}", path.display())?;
        } else {
            write_atomically(path, &formatted)?;
            writeln!(out, "formatted {}", path.display())?;
        }
    }
    if broken > 0 || (check && unformatted > 0) {
        return Err(Failure::Problems);
    }
    Ok(())
}
