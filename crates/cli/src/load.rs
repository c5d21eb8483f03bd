//! Loading the ruleset a command evaluates, reporting what stops it, and
//! choosing the edition for a record.

use crate::render::{Code, Renderer, SourceFile};
use crate::Failure;
use judgement_engine::outcome::Spare;
use judgement_engine::{
    Context, Definitions, Editions, EvalError, EvalOptions, FileProblems, LoadError, Outcome,
    Ruleset,
};
use judgement_syntax::ast::FileKind;
use miette::Severity;
use serde_json::Value as Json;
use std::collections::hash_map::Entry;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// The calendars and definitions beside each folder's rule files
/// ([`Context::beside`]), found once a folder: found for each file, a
/// folder of n definitions files read each of them n times.
#[derive(Default)]
pub struct Contexts {
    by_folder: HashMap<PathBuf, Context>,
}

impl Contexts {
    /// What a rule file at `path` may name, found for its folder once
    /// (`Context::beside` reads the folders above the one `path` is in, as
    /// written, so the files of one folder share them).
    pub fn beside(&mut self, path: &Path) -> Result<&Context, LoadError> {
        let folder = path.parent().map(Path::to_path_buf).unwrap_or_default();
        Ok(match self.by_folder.entry(folder) {
            Entry::Occupied(found) => found.into_mut(),
            Entry::Vacant(place) => place.insert(Context::beside(path)?),
        })
    }

    /// A ruleset loaded as `Ruleset::load` loads it (the file read first,
    /// and refused if it holds definitions, before anything beside it is
    /// looked for), with what its folder may name found once.
    pub fn ruleset(&mut self, path: &Path) -> Result<Ruleset, LoadError> {
        let text = judgement_engine::read_source(path)?;
        if judgement_syntax::file_kind(&text) == FileKind::Definitions {
            return Err(LoadError::NotARuleset {
                path: path.to_path_buf(),
            });
        }
        let context = self.beside(path)?;
        Ruleset::from_sources(path, &text, context).map_err(|files| invalid(path, files))
    }

    /// A definitions file loaded as `Definitions::load` loads it, with what
    /// its folder may name found once.
    pub fn definitions(&mut self, path: &Path) -> Result<Definitions, LoadError> {
        let text = judgement_engine::read_source(path)?;
        let context = self.beside(path)?;
        Definitions::from_source(path, &text, context).map_err(|files| invalid(path, files))
    }
}

/// The problems of the rule file at `path`, as a load error.
fn invalid(path: &Path, files: Vec<FileProblems>) -> LoadError {
    LoadError::Invalid {
        path: path.to_path_buf(),
        files,
    }
}

/// Load a rule file or a folder of editions; report every problem.
pub fn editions(path: &Path, r: &Renderer) -> Result<Editions, Failure> {
    Editions::load(path).map_err(|e| report(&e, r))
}

/// Report a load error: rule errors exit 1, I/O errors exit 2.
pub fn report(e: &LoadError, r: &Renderer) -> Failure {
    match e {
        LoadError::Invalid { files, .. } => {
            for f in files {
                let file = SourceFile::new(&f.path, &f.source);
                for p in &f.problems {
                    r.problem(&file, p);
                }
            }
            Failure::Problems
        }
        LoadError::Editions { path, message } => {
            let file = path.display().to_string();
            for line in message.lines() {
                // Calendar errors already name their file.
                if line.starts_with(&file) {
                    r.error(Code::Load, line);
                } else {
                    r.error_in(Code::Load, &file, line);
                }
            }
            Failure::Problems
        }
        LoadError::Calendar { path, text, errors } => {
            let file = SourceFile::new(path, text);
            for e in errors {
                match e.position() {
                    Some((line, column)) => r.at(
                        &file,
                        (Severity::Error, Code::Calendar),
                        &e.detail(),
                        "here",
                        judgement_syntax::word_at(text, line, column),
                    ),
                    None => r.error_in(Code::Calendar, file.name(), &e.to_string()),
                }
            }
            Failure::Problems
        }
        LoadError::Empty { path } => match judgement_engine::rulesets_within(path).as_slice() {
            [] => Failure::Usage(e.to_string()),
            within => Failure::Usage(format!(
                "{e}: it holds the folders of rulesets {}; name one of them",
                within.join(", ")
            )),
        },
        LoadError::Io { path, .. } => Failure::Io(format!("{e}{}", crate::files::near_miss(path))),
        LoadError::NotText {
            path, line, column, ..
        } => Failure::IoAt {
            message: e.to_string(),
            file: path.display().to_string(),
            line: *line,
            column: *column,
        },
        LoadError::NotARuleset { .. } => Failure::Usage(e.to_string()),
    }
}

/// Which edition evaluates a record: one asked for, or the one in force.
#[derive(Clone, Copy)]
pub enum Choice<'a> {
    Fixed(&'a Ruleset),
    InForce(&'a Editions),
}

impl<'a> Choice<'a> {
    /// `--edition VERSION`, if given, must name an edition.
    pub fn new(editions: &'a Editions, edition: Option<&str>) -> Result<Choice<'a>, Failure> {
        match edition {
            None => Ok(Choice::InForce(editions)),
            Some(v) => editions.edition(v).map(Choice::Fixed).ok_or_else(|| {
                let known: Vec<&str> = editions.editions().iter().map(Ruleset::version).collect();
                Failure::Edition(format!(
                    "there is no edition `{}`; the editions are {}",
                    judgement_engine::clipped(v),
                    known.join(", ")
                ))
            }),
        }
    }

    /// The edition asked for, if one was.
    pub fn fixed(self) -> Option<&'a Ruleset> {
        match self {
            Choice::Fixed(r) => Some(r),
            Choice::InForce(_) => None,
        }
    }

    /// The edition for a record; `options` say how strictly the record's
    /// date is read when the edition is chosen by it.
    pub fn pick(self, evidence: &Json, options: EvalOptions) -> Result<&'a Ruleset, EvalError> {
        match self {
            Choice::Fixed(r) => Ok(r),
            Choice::InForce(e) => e.select_with(evidence, options),
        }
    }

    /// [`Choice::pick`] for a record given as JSON text, which is parsed
    /// only if its date cannot be read on the way through.
    pub fn pick_str(self, text: &str, options: EvalOptions) -> Result<&'a Ruleset, EvalError> {
        match self {
            Choice::Fixed(r) => Ok(r),
            Choice::InForce(e) => e.select_str(text, options),
        }
    }

    /// [`Choice::pick_str`], then the edition's `evaluate_str`, reading the
    /// record once where that is enough to know its edition
    /// (`Editions::select_and_evaluate_str`); the outcome is made in the
    /// room of the one last given back to `spare` (`Outcome::recycle`), as
    /// a batch evaluates record after record.
    pub fn evaluate_str_reusing(
        self,
        text: &str,
        options: EvalOptions,
        spare: &mut Spare<'a>,
    ) -> Result<Outcome<'a>, EvalError> {
        match self {
            Choice::Fixed(r) => r.evaluate_str_reusing(text, options, spare),
            Choice::InForce(e) => e.select_and_evaluate_str_reusing(text, options, spare)?.1,
        }
    }
}
