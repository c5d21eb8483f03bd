//! `judgement diff --before R1 --after R2 CORPUS`: which cases change
//! outcome between two versions of a ruleset, and the rules behind each
//! change. CORPUS is a folder (searched recursively for `*.json` and
//! `*.jsonl` files), one JSON record, or a JSON Lines file. The thresholds
//! and lets the two versions define differently come first; a summary
//! comes last. Like `git diff --exit-code`, the command exits 1 when any
//! case changes (or cannot be evaluated), 0 when none does.

use crate::check::plural;
use crate::files::{cannot_read, walk};
use crate::input::{self, Input};
use crate::load::{self, Choice};
use crate::render::{Code, Renderer};
use crate::{Failure, Outcome};
use judgement_engine::diff::{
    compare, compare_definitions, compare_editions, edition_pairs, Change, DefinitionChange,
    Reason, Summary,
};
use judgement_engine::{parse_json, printable, Editions, EvalOptions, Ruleset};
use serde_json::Value as Json;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

pub struct Args {
    pub before: PathBuf,
    pub after: PathBuf,
    /// `--before-edition`: the edition of `before` every case is evaluated
    /// with; `None`, the one in force on the case's date.
    pub before_edition: Option<String>,
    /// `--after-edition`, the same for `after`.
    pub after_edition: Option<String>,
    pub corpus: PathBuf,
    pub json: bool,
    pub allow_unknown_fields: bool,
    /// The most bytes one record may take (`--max-record-bytes`).
    pub max_record_bytes: usize,
}

/// The top-level key of a corpus record that is not evidence: the
/// expectations the fixtures in `tests/fixtures/eval` carry.
const EXPECTATIONS: &str = "_expect";

/// The files of a corpus: a folder searched recursively, in name order, for
/// `*.json` files (one case each) and `*.jsonl` files (one a line); or one
/// file, a `*.jsonl` file read a line at a time and any other as one case.
pub(crate) fn corpus_files(corpus: &Path) -> Result<Vec<PathBuf>, Failure> {
    let meta = std::fs::metadata(corpus).map_err(|e| cannot_read(corpus, &e))?;
    if !meta.is_dir() {
        return Ok(vec![corpus.to_path_buf()]);
    }
    let mut files = Vec::new();
    walk(corpus, &["json", "jsonl"], &mut files)?;
    if files.is_empty() {
        return Err(Failure::Usage(format!(
            "no evidence records (`*.json`, `*.jsonl`) in `{}`",
            corpus.display()
        )));
    }
    Ok(files)
}

fn is_jsonl(path: &Path) -> bool {
    path.extension().is_some_and(|x| x == "jsonl")
}

/// Where a corpus case is: its file, and its line in a JSON Lines file.
/// Shown as its name, `file` or `file:line`; a problem with it names the
/// file and the line apart, as `eval`'s do (`error: FILE:LINE:COLUMN`, and
/// `file` and `line` in JSON).
pub(crate) struct Case {
    pub file: String,
    pub line: Option<usize>,
}

impl std::fmt::Display for Case {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(n) => write!(f, "{}:{n}", self.file),
            None => f.write_str(&self.file),
        }
    }
}

/// Each case of one corpus file, read a record at a time (so a corpus of
/// any size is compared in bounded memory), handed to `each` with where it
/// is ([`Case`]) and its text, or why it has none: a line that is
/// not UTF-8 or is longer than the limit is one case that cannot be
/// evaluated, not the end of the comparison.
///
/// A file that cannot be read (a link to nothing) or, as one document, is
/// longer than `limit` is likewise one case that cannot be evaluated.
pub(crate) fn each_case(
    path: &Path,
    limit: usize,
    mut each: impl FnMut(Case, Result<&str, String>) -> Result<(), Failure>,
) -> Result<(), Failure> {
    let file = path.display().to_string();
    let whole = |file| Case { file, line: None };
    let format = if is_jsonl(path) {
        input::Format::Jsonl
    } else {
        input::Format::Json
    };
    let mut input = match Input::open(Some(path), format, limit) {
        Ok(input) => input,
        Err(Failure::Usage(why) | Failure::Io(why)) => return each(whole(file), Err(why)),
        Err(e) => return Err(e),
    };
    if !is_jsonl(path) {
        return match input.read_all() {
            Ok(bytes) => each(
                whole(file),
                crate::input::utf8(&bytes).map_err(|e| e.to_string()),
            ),
            Err(Failure::Usage(why) | Failure::Io(why) | Failure::Refused(why)) => {
                each(whole(file), Err(why))
            }
            Err(e) => Err(e),
        };
    }
    while let Some(line) = input.next_line()? {
        let text = if line.too_long {
            Err(format!(
                "the line is longer than {} bytes, the most one record may be",
                input.limit()
            ))
        } else {
            crate::input::utf8(&line.text).map_err(|e| e.to_string())
        };
        let case = Case {
            file: file.clone(),
            line: Some(line.number),
        };
        each(case, text)?;
    }
    Ok(())
}

/// A corpus record as evidence: without its top-level `_expect` key.
pub(crate) fn evidence_of(mut record: Json) -> Json {
    if let Some(fields) = record.as_object_mut() {
        fields.remove(EXPECTATIONS);
    }
    record
}

/// The one edition of a side: the one chosen, or its only edition.
fn one<'a>(chosen: Option<&'a Ruleset>, editions: &'a Editions) -> Option<&'a Ruleset> {
    chosen.or(match editions.editions() {
        [only] => Some(only),
        _ => None,
    })
}

/// The editions a definition changed between: `edition` (the second
/// ruleset's) and, where it is another, the one it was compared with.
#[derive(Clone)]
struct Label {
    edition: String,
    against: Option<String>,
}

impl std::fmt::Display for Label {
    /// `2016-03`, or `2016-03 (against 2016-07)`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.against {
            Some(b) => write!(f, "{} (against {b})", self.edition),
            None => f.write_str(&self.edition),
        }
    }
}

/// The editions whose definitions are compared: the editions chosen with
/// `--before-edition` and `--after-edition` (or the only edition of a side
/// for a side not chosen); an edition chosen on one side with each edition
/// of the other; or else each edition of `after` with the one of `before`
/// of its version or, for one `after` adds, the one it takes over from
/// (`edition_pairs`), after the editions added, removed or in force over
/// another period (`compare_editions`). Each pair is named where there are
/// several, or where the two differ and were not asked for.
fn definition_changes(
    before: &Editions,
    after: &Editions,
    chosen: (Option<&Ruleset>, Option<&Ruleset>),
) -> Vec<(Option<Label>, DefinitionChange)> {
    let chose = chosen.0.is_some() || chosen.1.is_some();
    let pairs: Vec<(&Ruleset, &Ruleset)> = match (one(chosen.0, before), one(chosen.1, after)) {
        (Some(b), Some(a)) => vec![(b, a)],
        // An edition chosen on one side, and several on the other: the one
        // with each of them.
        (Some(b), None) => after.editions().iter().map(|a| (b, a)).collect(),
        (None, Some(a)) => before.editions().iter().map(|b| (b, a)).collect(),
        (None, None) => edition_pairs(before, after),
    };
    // The editions themselves, unless those compared were chosen.
    let editions = if chose {
        Vec::new()
    } else {
        compare_editions(before, after)
    };
    let named =
        pairs.len() > 1 || (!chose && pairs.iter().any(|(b, a)| b.version() != a.version()));
    let compared = pairs.into_iter().flat_map(|(b, a)| {
        let label = named.then(|| Label {
            edition: a.version().to_string(),
            against: (b.version() != a.version()).then(|| b.version().to_string()),
        });
        compare_definitions(b, a)
            .into_iter()
            .map(move |c| (label.clone(), c))
    });
    editions
        .into_iter()
        .map(|c| (None, c))
        .chain(compared)
        .collect()
}

pub fn run(args: &Args, out: &mut dyn Write, r: &Renderer) -> Outcome {
    let before = load::editions(&args.before, r)?;
    let after = load::editions(&args.after, r)?;
    // An edition asked for must be one of its side's (the error lists
    // them), and then evaluates every case whatever its date.
    let before_choice = Choice::new(&before, args.before_edition.as_deref())?;
    let after_choice = Choice::new(&after, args.after_edition.as_deref())?;
    let files = corpus_files(&args.corpus)?;
    let definitions = definition_changes(
        &before,
        &after,
        (before_choice.fixed(), after_choice.fixed()),
    );
    if !args.json && !definitions.is_empty() {
        for (edition, d) in &definitions {
            match edition {
                Some(e) => writeln!(out, "edition {e}: {d}")?,
                None => writeln!(out, "{d}")?,
            }
        }
        writeln!(out)?;
    }
    let (before, after) = (before_choice, after_choice);
    let options = EvalOptions {
        allow_unknown_fields: args.allow_unknown_fields,
        ..EvalOptions::default()
    };
    fn evaluate<'r>(
        choice: Choice<'r>,
        json: &Json,
        options: EvalOptions,
    ) -> Result<judgement_engine::Outcome<'r>, judgement_engine::EvalError> {
        choice.pick(json, options)?.evaluate(json, options)
    }
    let mut summary = Summary::default();
    // The cases that could not be evaluated, for `--json`: which, refused
    // by which side (`before`, `after`, `both`; `input` for a record that
    // could not be read), and why.
    let mut failed: Vec<Json> = Vec::new();
    for file in &files {
        each_case(file, args.max_record_bytes, |case, text| {
            // Kept for `--json` only: text names each on stderr, and a
            // corpus of many refused records need not be held.
            let mut fail = |by: &str, error: String| {
                summary.add_failure();
                if args.json {
                    failed.push(
                        serde_json::json!({"case": case.to_string(), "by": by, "error": error}),
                    );
                }
            };
            let text = match text {
                Ok(text) => text,
                Err(message) => {
                    fail("input", message.clone());
                    match case.line {
                        Some(n) => r.line_error(Code::Evidence, &case.file, n, &message),
                        None => r.error_in(Code::Evidence, &case.file, &message),
                    }
                    return Ok(());
                }
            };
            // Which ruleset refused the record is said: the two may differ.
            let json = match parse_json(text) {
                Ok(json) => evidence_of(json),
                Err(e) => {
                    // A line of JSON Lines: the case names the line, and
                    // the error only its column, as `eval`'s do.
                    let error = match (&e, case.line) {
                        (
                            judgement_engine::EvalError::Json {
                                column, message, ..
                            },
                            Some(_),
                        ) => {
                            format!("not valid JSON (column {column}): {message}")
                        }
                        _ => e.to_string(),
                    };
                    fail("input", error);
                    r.eval_error(&case.file, case.line, &e, None);
                    return Ok(());
                }
            };
            let (b, a) = match (
                evaluate(before, &json, options),
                evaluate(after, &json, options),
            ) {
                (Ok(b), Ok(a)) => (b, a),
                (b, a) => {
                    let (e, named, by) = match (b.err(), a.err()) {
                        // Refused by both: the record's fault, whichever.
                        (Some(e), Some(_)) => (e, case.file.clone(), "both"),
                        (Some(e), None) => (e, format!("{} (with --before)", case.file), "before"),
                        (None, e) => (
                            e.ok_or(Failure::Problems)?,
                            format!("{} (with --after)", case.file),
                            "after",
                        ),
                    };
                    fail(by, e.to_string());
                    r.eval_error(&named, case.line, &e, None);
                    return Ok(());
                }
            };
            let changes = compare(&b, &a);
            summary.add(&changes);
            if changes.is_empty() {
                return Ok(());
            }
            if args.json {
                let line =
                    serde_json::json!({"case": case.to_string(), "id": b.id, "changes": changes});
                writeln!(out, "{line}")?;
            } else {
                // The record's own text is shown with its control
                // characters escaped: a line of its own would read as the
                // report's.
                match &b.id {
                    Some(id) => writeln!(out, "{} ({case})", printable(id))?,
                    None => writeln!(out, "{case}")?,
                }
                for c in &changes {
                    write_change(out, c)?;
                }
            }
            Ok(())
        })
        .map_err(|e| e.after(summary.changed > 0 || summary.failed > 0))?;
    }
    let problems = summary.changed > 0 || summary.failed > 0;
    write_end(out, args.json, &definitions, &summary, &failed)
        .map_err(|e| Failure::from(e).after(problems))?;
    if problems {
        return Err(Failure::Problems);
    }
    Ok(())
}

/// The summary, and in JSON the definitions that changed and the cases
/// that could not be evaluated.
fn write_end(
    out: &mut dyn Write,
    json: bool,
    definitions: &[(Option<Label>, DefinitionChange)],
    summary: &Summary,
    failed: &[Json],
) -> std::io::Result<()> {
    if json {
        let definitions: Vec<Json> = definitions
            .iter()
            .map(|(edition, d)| {
                let mut json = serde_json::to_value(d).unwrap_or_default();
                if let (Some(label), Some(fields)) = (edition, json.as_object_mut()) {
                    fields.insert("edition".into(), Json::String(label.edition.clone()));
                    if let Some(against) = &label.against {
                        fields.insert("against".into(), Json::String(against.clone()));
                    }
                }
                json
            })
            .collect();
        let line = serde_json::json!({
            "summary": summary,
            "definitions": definitions,
            "failed_cases": failed,
        });
        writeln!(out, "{line}")
    } else {
        write_summary(out, summary)
    }
}

/// `2 cases compared, 1 changed, 0 could not be evaluated`, then the
/// changed cases by judgement and by rule, most first.
fn write_summary(out: &mut dyn Write, s: &Summary) -> std::io::Result<()> {
    writeln!(
        out,
        "{} compared, {} changed, {} could not be evaluated",
        plural(s.cases, "case"),
        s.changed,
        s.failed
    )?;
    if !s.by_judgement.is_empty() {
        writeln!(out, "by judgement: {}", counts(&s.by_judgement))?;
    }
    if !s.by_rule.is_empty() {
        writeln!(out, "by rule: {}", counts(&s.by_rule))?;
    }
    Ok(())
}

/// `overall: 3 cases; leaders_and_managers: 1 case`
fn counts(map: &BTreeMap<String, usize>) -> String {
    let mut entries: Vec<(&String, &usize)> = map.iter().collect();
    entries.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    entries
        .iter()
        .map(|(name, n)| format!("{name}: {}", plural(**n, "case")))
        .collect::<Vec<_>>()
        .join("; ")
}

fn write_change(out: &mut dyn Write, c: &Change) -> std::io::Result<()> {
    let item = c
        .item
        .as_ref()
        .map(|i| format!(" (item {})", printable(i)))
        .unwrap_or_default();
    if c.only_cited_anew() {
        writeln!(
            out,
            "  {}{item}: {}, given by the same rules, cited differently",
            c.what(),
            printable(&c.before)
        )?;
    } else if c.before == c.after {
        writeln!(
            out,
            "  {}{item}: {}, given by other rules",
            c.what(),
            printable(&c.before)
        )?;
    } else {
        writeln!(
            out,
            "  {}{item}: {} -> {}",
            c.what(),
            printable(&c.before),
            printable(&c.after)
        )?;
    }
    let reasons = |rules: &[Reason]| {
        if rules.is_empty() {
            "no rule (the proposal stands, or nothing is produced)".to_string()
        } else {
            rules
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        }
    };
    writeln!(out, "    before: {}", reasons(&c.because_before))?;
    writeln!(out, "    after:  {}", reasons(&c.because_after))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_expectations_of_a_fixture_are_not_evidence() {
        let record =
            serde_json::json!({"id": "a", "_expect": {"why": "x"}, "home": {"_expect": 1}});
        assert_eq!(
            evidence_of(record),
            serde_json::json!({"id": "a", "home": {"_expect": 1}})
        );
        assert_eq!(evidence_of(Json::Null), Json::Null);
    }
}
