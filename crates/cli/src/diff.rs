//! `judgement diff --before R1 --after R2 CORPUS`: which cases change
//! outcome between two versions of a ruleset, and the rules behind each
//! change. CORPUS is a folder of JSON records, one JSON record, or a JSON
//! Lines file.

use crate::load::{self, Choice};
use crate::render::Renderer;
use crate::{Failure, Outcome};
use judgement_engine::diff::{compare, Change};
use judgement_engine::{parse_json, EvalOptions};
use serde_json::Value as Json;
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};

pub struct Args {
    pub before: PathBuf,
    pub after: PathBuf,
    pub corpus: PathBuf,
    pub json: bool,
}

/// One case of the corpus: where it came from, and its text.
struct Case {
    name: String,
    text: String,
}

fn cases(corpus: &Path) -> Result<Vec<Case>, Failure> {
    let read = |p: &Path| std::fs::read_to_string(p).map_err(|e| crate::files::cannot_read(p, &e));
    if corpus.is_dir() {
        let entries =
            std::fs::read_dir(corpus).map_err(|e| crate::files::cannot_read(corpus, &e))?;
        let mut files: Vec<PathBuf> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        files.sort();
        return files
            .iter()
            .map(|p| {
                Ok(Case {
                    name: p.display().to_string(),
                    text: read(p)?,
                })
            })
            .collect();
    }
    if corpus.extension().is_some_and(|x| x == "jsonl") {
        let file =
            std::fs::File::open(corpus).map_err(|e| crate::files::cannot_read(corpus, &e))?;
        let mut out = Vec::new();
        for (i, line) in std::io::BufReader::new(file).lines().enumerate() {
            let line = line.map_err(|e| crate::files::cannot_read(corpus, &e))?;
            if !line.trim().is_empty() {
                out.push(Case {
                    name: format!("{}:{}", corpus.display(), i + 1),
                    text: line,
                });
            }
        }
        return Ok(out);
    }
    Ok(vec![Case {
        name: corpus.display().to_string(),
        text: read(corpus)?,
    }])
}

pub fn run(args: &Args, out: &mut dyn Write, r: &Renderer) -> Outcome {
    let before = load::editions(&args.before, r)?;
    let after = load::editions(&args.after, r)?;
    let (before, after) = (Choice::InForce(&before), Choice::InForce(&after));
    let mut changed = 0;
    let mut failed = 0;
    let all = cases(&args.corpus)?;
    for case in &all {
        let evaluate = |choice: Choice<'_>, json: &Json| {
            choice.pick(json)?.evaluate(json, EvalOptions::default())
        };
        let result = parse_json(&case.text)
            .and_then(|json| Ok((evaluate(before, &json)?, evaluate(after, &json)?)));
        let (b, a) = match result {
            Ok(pair) => pair,
            Err(e) => {
                failed += 1;
                r.error_in(&case.name, &e.to_string());
                continue;
            }
        };
        let changes = compare(&b, &a);
        if changes.is_empty() {
            continue;
        }
        changed += 1;
        let label = match &b.id {
            Some(id) => format!("{id} ({})", case.name),
            None => case.name.clone(),
        };
        if args.json {
            let line = serde_json::json!({"case": case.name, "id": b.id, "changes": changes});
            writeln!(out, "{line}")?;
        } else {
            writeln!(out, "{label}")?;
            for c in &changes {
                write_change(out, c)?;
            }
        }
    }
    if !args.json {
        writeln!(
            out,
            "{} cases, {changed} changed, {failed} could not be evaluated",
            all.len()
        )?;
    }
    if failed > 0 {
        return Err(Failure::Problems);
    }
    Ok(())
}

fn write_change(out: &mut dyn Write, c: &Change) -> std::io::Result<()> {
    let item = c
        .item
        .as_ref()
        .map(|i| format!(" (item {i})"))
        .unwrap_or_default();
    writeln!(out, "  {}{item}: {} -> {}", c.what, c.before, c.after)?;
    let reasons = |rules: &[String]| {
        if rules.is_empty() {
            "no rule (the proposal stands, or nothing is produced)".to_string()
        } else {
            rules.join(", ")
        }
    };
    writeln!(out, "    before: {}", reasons(&c.because_before))?;
    writeln!(out, "    after:  {}", reasons(&c.because_after))
}
