//! `judgement check`: parse, type-check and lint every rule file, then check
//! that the editions in each folder fit together. With `--strict` (for CI)
//! warnings fail the check too, and a rule without a citation is an error.
//!
//! A definitions file is checked on its own (its needs opaque), and so is
//! every ruleset that uses it, even if not named: its rules are checked
//! again there, against what each ruleset provides. A problem in a
//! definitions file found by several of these checks is reported once.

use crate::files::rule_files;
use crate::load::{self, Contexts};
use crate::render::{Code, Renderer, SourceFile};
use crate::{Failure, Outcome};
use judgement_engine::{CheckError, Editions, FileProblems, Lint, LoadError, Problem, Ruleset};
use judgement_syntax::ast::FileKind;
use judgement_syntax::SyntaxError;
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Default)]
struct Tally {
    strict: bool,
    files: usize,
    errors: usize,
    warnings: usize,
    /// A file had more syntax errors than it reports: `errors` is the
    /// least there are.
    uncounted: bool,
    /// Problems reported (file, span, message), to report each once.
    seen: HashSet<(String, usize, usize, String)>,
}

impl Tally {
    /// Report one problem of `file` and count it, unless it was reported
    /// already. Under `--strict` a rule without a citation is reported and
    /// counted as an error.
    fn problem(&mut self, r: &Renderer, file: &SourceFile, problem: &Problem) {
        let span = problem.span();
        // By the file itself, not the name it was reached by: a definitions
        // file named on the command line and again through a ruleset that
        // uses it (`definitions/d.rules`, `./definitions/d.rules`) is one.
        let key = (
            canonical(Path::new(file.name()))
                .to_string_lossy()
                .into_owned(),
            span.start,
            span.end,
            problem.to_string(),
        );
        if !self.seen.insert(key) {
            return;
        }
        let problem = match problem {
            Problem::Check(c) if self.strict && c.lint == Some(Lint::MissingCitation) => {
                Cow::Owned(Problem::Check(CheckError {
                    warning: false,
                    ..c.clone()
                }))
            }
            // Those left out of the report, their missing citations errors too.
            Problem::Check(CheckError {
                more: Some(more),
                span,
                ..
            }) if self.strict && more.missing_citations > 0 => {
                Cow::Owned(Problem::Check(more.strictly().problem(*span)))
            }
            _ => Cow::Borrowed(problem),
        };
        r.problem(file, &problem);
        match &*problem {
            // The problems left out of the report, counted as what they are.
            Problem::Check(CheckError {
                more: Some(more), ..
            }) => {
                self.errors += more.errors;
                self.warnings += more.warnings;
            }
            // Syntax errors past the most reported, not counted.
            Problem::Syntax(SyntaxError::More { .. }) => {
                self.errors += 1;
                self.uncounted = true;
            }
            p if p.is_error() => self.errors += 1,
            _ => self.warnings += 1,
        }
    }

    fn failed(&self) -> bool {
        self.errors > 0 || (self.strict && self.warnings > 0)
    }

    fn files(&mut self, r: &Renderer, files: &[FileProblems]) {
        for f in files {
            let file = SourceFile::new(&f.path, &f.source);
            for p in &f.problems {
                self.problem(r, &file, p);
            }
        }
    }
}

pub fn run(paths: &[PathBuf], strict: bool, out: &mut dyn Write, r: &Renderer) -> Outcome {
    // Calendar files named, or a folder of them with no rule files, are
    // read as calendars; the rest as rule files.
    let mut calendars = Vec::new();
    let mut rest = Vec::new();
    for path in paths {
        match calendars_of(path)? {
            Some(found) => calendars.extend(found),
            None => rest.push(path.clone()),
        }
    }
    let mut files = match (rest.is_empty(), calendars.is_empty()) {
        (true, false) => Vec::new(),
        _ => rule_files(&rest)?,
    };
    let mut contexts = Contexts::default();
    for user in users_of_definitions(&files, &mut contexts) {
        let known = canonical(&user);
        if !files.iter().any(|f| canonical(f) == known) {
            files.push(user);
        }
    }
    let mut tally = Tally {
        strict,
        ..Tally::default()
    };
    // Folder -> the rulesets loaded from it, and whether every rule file
    // in it loaded.
    // By the real folder (`A`, `./A` and its absolute path are one), named
    // as first written.
    let mut folders: BTreeMap<PathBuf, (PathBuf, Vec<Ruleset>, bool)> = BTreeMap::new();
    for path in &calendars {
        tally.files += 1;
        tally.errors += check_calendar(path, r)?;
    }
    for path in &files {
        tally.files += 1;
        if kind_of(path) == FileKind::Definitions {
            check_definitions(path, &mut contexts, r, &mut tally)?;
            continue;
        }
        let loaded = check_file(path, &mut contexts, r, &mut tally)?;
        let folder = folder_of(path);
        let entry = folders
            .entry(canonical(&folder))
            .or_insert_with(|| (folder, Vec::new(), true));
        entry.2 &= loaded.is_some();
        entry.1.extend(loaded);
    }
    for (folder, rulesets, all_loaded) in folders.into_values() {
        if all_loaded {
            check_editions(&folder, rulesets, r, &mut tally);
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
        match tally.uncounted {
            true => format!("at least {}", plural(tally.errors, "error")),
            false => plural(tally.errors, "error"),
        },
        plural(tally.warnings, "warning")
    )?;
    if tally.failed() {
        Err(Failure::Problems)
    } else {
        Ok(())
    }
}

/// The calendar files `path` names: itself, where it is a file named
/// `.calendar`, or those in it (and the folders below), where it is a
/// folder with no rule files but calendars; `None` for any other path,
/// which is read for rule files.
fn calendars_of(path: &Path) -> Result<Option<Vec<PathBuf>>, Failure> {
    if path.extension().is_some_and(|x| x == "calendar") && !path.is_dir() {
        return Ok(Some(vec![path.to_path_buf()]));
    }
    if !path.is_dir() {
        return Ok(None);
    }
    let mut rules = Vec::new();
    crate::files::walk(path, &["rules"], &mut rules)?;
    if !rules.is_empty() {
        return Ok(None);
    }
    let mut calendars = Vec::new();
    crate::files::walk(path, &["calendar"], &mut calendars)?;
    Ok((!calendars.is_empty()).then_some(calendars))
}

/// Check a calendar file as the rulesets that name it read it: its errors
/// reported as theirs are, at their lines and columns. Gives how many.
fn check_calendar(path: &Path, r: &Renderer) -> Result<usize, Failure> {
    let text = judgement_engine::read_source(path).map_err(|e| load::report(&e, r))?;
    match judgement_engine::calendar::Calendar::parse(&text) {
        Ok(_) => Ok(0),
        Err(errors) => {
            let count = errors.len();
            load::report(
                &LoadError::Calendar {
                    path: path.to_path_buf(),
                    text,
                    errors,
                },
                r,
            );
            Ok(count)
        }
    }
}

/// The folder a rule file is in: `.` for a bare file name.
fn folder_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Check that the rule files of one folder that hold the same ruleset fit
/// together as its editions. Files of different rulesets are each checked
/// on their own; a folder holding several is warned of, since it cannot be
/// given to `eval --ruleset` (a folder holds the editions of one ruleset).
fn check_editions(folder: &Path, rulesets: Vec<Ruleset>, r: &Renderer, tally: &mut Tally) {
    let mut by_name: BTreeMap<String, Vec<Ruleset>> = BTreeMap::new();
    for ruleset in rulesets {
        by_name
            .entry(ruleset.name().to_string())
            .or_default()
            .push(ruleset);
    }
    if by_name.len() > 1 {
        let names: Vec<String> = by_name.keys().map(|n| format!("`{n}`")).collect();
        r.warning_in(
            Code::Load,
            &folder.display().to_string(),
            &format!(
                "this folder holds {} rulesets, {}: `eval --ruleset` takes a folder of the editions of one, so give it a file here",
                names.len(),
                names.join(", ")
            ),
        );
        tally.warnings += 1;
    }
    for (_, editions) in by_name {
        if editions.len() < 2 {
            continue;
        }
        if let Err(e) = Editions::from_editions(folder, editions) {
            tally.errors += 1;
            load::report(&e, r).report(r);
        }
    }
}

/// Check one rule file and report its problems; the ruleset when it loaded.
fn check_file(
    path: &Path,
    contexts: &mut Contexts,
    r: &Renderer,
    tally: &mut Tally,
) -> Result<Option<Ruleset>, Failure> {
    match contexts.ruleset(path) {
        Ok(ruleset) => {
            tally.files(r, &ruleset.warnings_by_file());
            Ok(Some(ruleset))
        }
        Err(e) => load_failed(e, r, tally).map(|_| None),
    }
}

/// Check a definitions file on its own and report its problems.
fn check_definitions(
    path: &Path,
    contexts: &mut Contexts,
    r: &Renderer,
    tally: &mut Tally,
) -> Result<bool, Failure> {
    match contexts.definitions(path) {
        Ok(definitions) => {
            tally.files(r, definitions.warnings());
            Ok(true)
        }
        Err(e) => load_failed(e, r, tally),
    }
}

fn load_failed(e: LoadError, r: &Renderer, tally: &mut Tally) -> Result<bool, Failure> {
    match e {
        LoadError::Invalid { files, .. } => {
            tally.files(r, &files);
            Ok(false)
        }
        e @ (LoadError::Editions { .. } | LoadError::Calendar { .. }) => {
            load::report(&e, r);
            // As many as were reported: one a calendar problem, one a line
            // of the editions' message.
            tally.errors += match &e {
                LoadError::Calendar { errors, .. } => errors.len(),
                LoadError::Editions { message, .. } => message.lines().count(),
                _ => 1,
            }
            .max(1);
            Ok(false)
        }
        e @ (LoadError::Io { .. } | LoadError::NotText { .. }) => Err(load::report(&e, r)),
        e @ (LoadError::Empty { .. } | LoadError::NotARuleset { .. }) => {
            Err(Failure::Usage(e.to_string()))
        }
    }
}

/// Whether a rule file holds a ruleset or definitions (a file that cannot
/// be read is reported as a ruleset that does not load).
fn kind_of(path: &Path) -> FileKind {
    judgement_engine::read_source(path)
        .map_or(FileKind::Ruleset, |t| judgement_syntax::file_kind(&t))
}

/// The rulesets that use any of the definitions files among `files`,
/// directly or through other definitions. Definitions in `X/definitions/`
/// serve the rulesets under `X`, so those are the ones looked at.
fn users_of_definitions(files: &[PathBuf], contexts: &mut Contexts) -> Vec<PathBuf> {
    let targets: Vec<PathBuf> = files
        .iter()
        .filter(|f| kind_of(f) == FileKind::Definitions)
        .map(|f| canonical(f))
        .collect();
    let mut roots: BTreeSet<PathBuf> = BTreeSet::new();
    for file in files.iter().filter(|f| kind_of(f) == FileKind::Definitions) {
        let folder = folder_of(file);
        match folder.file_name() {
            Some(name) => {
                if name == "definitions" {
                    roots.extend(folder.parent().map(Path::to_path_buf));
                }
            }
            // `.` or `..` (a bare file name is in `.`): its name is the
            // canonical folder's, and the root the folder above it.
            None => {
                if canonical(&folder)
                    .file_name()
                    .is_some_and(|n| n == "definitions")
                {
                    roots.insert(folder.join(".."));
                }
            }
        }
    }
    let mut users = Vec::new();
    for root in roots {
        let root = if root.as_os_str().is_empty() {
            PathBuf::from(".")
        } else {
            root
        };
        let Ok(candidates) = rule_files(std::slice::from_ref(&root)) else {
            continue;
        };
        for candidate in candidates {
            if kind_of(&candidate) == FileKind::Ruleset
                && !users.contains(&candidate)
                && uses_any(&candidate, &targets, contexts)
            {
                users.push(candidate);
            }
        }
    }
    users
}

/// Whether the ruleset at `path` uses any of `targets`, following `uses`
/// clauses through the definitions it finds beside it.
fn uses_any(path: &Path, targets: &[PathBuf], contexts: &mut Contexts) -> bool {
    let Ok(context) = contexts.beside(path) else {
        return false;
    };
    let mut todo = uses_in(&judgement_engine::read_source(path).unwrap_or_default());
    let mut done: Vec<String> = Vec::new();
    while let Some(name) = todo.pop() {
        if done.contains(&name) {
            continue;
        }
        done.push(name.clone());
        let Some(found) = context.definitions.get(&name) else {
            continue;
        };
        if targets.contains(&canonical(&found.path)) {
            return true;
        }
        todo.extend(uses_in(&found.text));
    }
    false
}

/// The names of a rule file's `uses` clauses (none if it does not parse).
fn uses_in(text: &str) -> Vec<String> {
    judgement_syntax::parse_file(text)
        .map(|f| f.header.uses.into_iter().map(|u| u.node).collect())
        .unwrap_or_default()
}

fn canonical(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

pub fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}
