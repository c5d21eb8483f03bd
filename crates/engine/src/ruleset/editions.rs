//! The editions of one ruleset: the `*.rules` files of a folder, whose
//! periods in force must not overlap, and the choice among them by the
//! date of the evidence.

use super::files::{read_source, readable};
use super::{parse_json, EvalOptions, Ruleset};
use crate::diagnostic::LoadError;
use crate::error::EvalError;
use crate::evidence;
use crate::outcome::{Outcome, Spare};
use judgement_syntax::ast::FileKind;
use serde_json::Value as Json;
use std::path::{Path, PathBuf};

/// Every edition of one ruleset: a folder of `*.rules` files, or one file.
#[derive(Debug, Clone)]
pub struct Editions {
    editions: Vec<Ruleset>,
}

impl Editions {
    /// Load a rule file, or every `*.rules` file in a folder (editions of one
    /// ruleset whose periods in force must not overlap).
    pub fn load(path: &Path) -> Result<Editions, LoadError> {
        if !path.is_dir() {
            return Ok(Editions {
                editions: vec![Ruleset::load(path)?],
            });
        }
        let entries = std::fs::read_dir(path).map_err(|e| LoadError::Io {
            path: path.to_path_buf(),
            message: e.to_string(),
        })?;
        let mut files: Vec<PathBuf> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "rules") && readable(p))
            .collect();
        files.sort();
        if files.is_empty() {
            return Err(LoadError::Empty {
                path: path.to_path_buf(),
            });
        }
        // A folder of definitions is not a folder of editions.
        let definitions = files
            .iter()
            .filter(|f| {
                read_source(f)
                    .is_ok_and(|t| judgement_syntax::file_kind(&t) == FileKind::Definitions)
            })
            .count();
        if definitions == files.len() {
            return Err(LoadError::NotARuleset {
                path: path.to_path_buf(),
            });
        }
        let mut editions = Vec::new();
        let mut invalid = Vec::new();
        for file in &files {
            match Ruleset::load(file) {
                Ok(r) => editions.push(r),
                Err(LoadError::Invalid { files, .. }) => invalid.extend(files),
                Err(other) => return Err(other),
            }
        }
        if !invalid.is_empty() {
            return Err(LoadError::Invalid {
                path: path.to_path_buf(),
                files: invalid,
            });
        }
        Editions::from_editions(path, editions)
    }

    /// The editions `editions` of one ruleset, loaded from `path` (a
    /// folder, named in errors): they must share a name, name an `as at`
    /// date when there are several, and not be in force at once.
    pub fn from_editions(path: &Path, mut editions: Vec<Ruleset>) -> Result<Editions, LoadError> {
        editions.sort_by_key(|e| e.in_force().0);
        let problem = |message: String| LoadError::Editions {
            path: path.to_path_buf(),
            message,
        };
        if let Some(first) = editions.first() {
            if let Some(other) = editions.iter().find(|e| e.name() != first.name()) {
                return Err(problem(format!(
                    "`{}` holds two rulesets, `{}` and `{}`: a folder holds the editions of one",
                    path.display(),
                    first.name(),
                    other.name()
                )));
            }
        }
        if editions.len() > 1 {
            if let Some(e) = editions.iter().find(|e| e.model.meta.as_at.is_none()) {
                return Err(problem(format!(
                    "`{}` holds several editions of `{}`, but the edition {} names no `as at` date to choose between them",
                    path.display(),
                    e.name(),
                    e.period_in_file()
                )));
            }
            // One date chooses the edition of a record, so every edition
            // must name the same field: otherwise a record would be read by
            // whichever field the earliest edition names, and could be
            // given an edition not in force on its own date.
            let field = |e: &Ruleset| e.as_at_field().map(|f| f.name.clone());
            if let Some(first) = editions.first() {
                if let Some(other) = editions.iter().find(|e| field(e) != field(first)) {
                    return Err(problem(format!(
                        "the editions {} and {} of `{}` choose by different `as at` dates, `{}` and `{}`: every edition must name the same one, since one date of the record chooses its edition",
                        first.period_in_file(),
                        other.period_in_file(),
                        first.name(),
                        field(first).unwrap_or_default(),
                        field(other).unwrap_or_default()
                    )));
                }
            }
        }
        for pair in editions.windows(2) {
            if let [a, b] = pair {
                let overlaps = match (a.in_force().1, b.in_force().0) {
                    (Some(end), Some(start)) => start <= end,
                    _ => true,
                };
                if overlaps {
                    return Err(problem(format!(
                        "the editions {} and {} of `{}` are both in force at once",
                        a.period_in_file(),
                        b.period_in_file(),
                        a.name()
                    )));
                }
                if a.version() == b.version() {
                    return Err(problem(format!(
                        "two editions are called `{}`{}{}",
                        a.version(),
                        a.in_file(),
                        b.in_file().replacen(", in", " and", 1)
                    )));
                }
            }
        }
        Ok(Editions { editions })
    }

    pub fn editions(&self) -> &[Ruleset] {
        &self.editions
    }

    /// The edition asked for by its version.
    pub fn edition(&self, version: &str) -> Option<&Ruleset> {
        self.editions.iter().find(|e| e.version() == version)
    }

    /// The edition in force on the evidence's `as at` date.
    pub fn select(&self, evidence: &Json) -> Result<&Ruleset, EvalError> {
        self.select_with(evidence, EvalOptions::default())
    }

    /// [`Editions::select`], reporting unreadable evidence as evaluation
    /// with `options` would.
    pub fn select_with(
        &self,
        evidence: &Json,
        options: EvalOptions,
    ) -> Result<&Ruleset, EvalError> {
        let first = self
            .editions
            .first()
            .ok_or(EvalError::Internal("no editions"))?;
        let Some(field) = first.as_at_field() else {
            return match self.editions.as_slice() {
                [only] => Ok(only),
                _ => Err(EvalError::Internal("several editions but no `as at` date")),
            };
        };
        let date = match first.as_at_date(evidence) {
            Some(d) => d,
            None => {
                // Let evaluation report the field with its path.
                return match first.evaluate(evidence, options) {
                    Err(e) => Err(e),
                    Ok(_) => Err(EvalError::Internal("`as at` date unreadable")),
                };
            }
        };
        self.editions
            .iter()
            .find(|e| e.covers(date))
            .ok_or_else(|| {
                let periods: Vec<String> = self.editions.iter().map(Ruleset::period).collect();
                EvalError::NoEdition {
                    ruleset: first.name().to_string(),
                    field: field.name.clone(),
                    date: date.to_string(),
                    editions: periods.join(", "),
                }
            })
    }

    /// Select the edition in force and evaluate.
    pub fn evaluate(
        &self,
        evidence: &Json,
        options: EvalOptions,
    ) -> Result<Outcome<'_>, EvalError> {
        self.select_with(evidence, options)?
            .evaluate(evidence, options)
    }

    /// [`Editions::select_with`] of evidence given as JSON text: the same
    /// edition, or the same error, as of [`parse_json`] of it. The `as at`
    /// date is read without building the record; only when it is not there
    /// or names no edition is the text parsed whole, to say why.
    pub fn select_str(&self, text: &str, options: EvalOptions) -> Result<&Ruleset, EvalError> {
        match self.select_in_one_pass(text) {
            Some(edition) => Ok(edition),
            None => self.select_with(&parse_json(text)?, options),
        }
    }

    /// The edition in force on a date found in the text; none if there is
    /// no readable date or no edition is in force on it.
    fn select_in_one_pass(&self, text: &str) -> Option<&Ruleset> {
        let first = self.editions.first()?;
        let Some(field) = first.as_at_field() else {
            return match self.editions.as_slice() {
                [only] => Some(only),
                _ => None,
            };
        };
        let date = evidence::find_date(text, &field.path)?;
        self.editions.iter().find(|e| e.covers(date))
    }

    /// Select the edition in force and evaluate evidence given as JSON text:
    /// the same outcome, or the same errors, as [`Editions::evaluate`] of
    /// [`parse_json`] of it, but a good record is read in one pass (see
    /// [`Ruleset::evaluate_str`]).
    pub fn evaluate_str(&self, text: &str, options: EvalOptions) -> Result<Outcome<'_>, EvalError> {
        self.select_and_evaluate_str(text, options)?.1
    }

    /// [`Editions::select_str`], then the chosen edition's
    /// [`Ruleset::evaluate_str`]: the edition, and what evaluating the
    /// record with it gave; an error only when no edition could be chosen.
    /// Where one edition is all there is, the record is read once: its
    /// `as at` date is taken from the slots read, not looked for first.
    pub fn select_and_evaluate_str(
        &self,
        text: &str,
        options: EvalOptions,
    ) -> Result<(&Ruleset, Result<Outcome<'_>, EvalError>), EvalError> {
        self.select_and_evaluate_str_reusing(text, options, &mut Spare::default())
    }

    /// [`Editions::select_and_evaluate_str`], filling the vectors of the
    /// outcome last given back to `spare` ([`Outcome::recycle`]) rather
    /// than allocating new ones (see [`Ruleset::evaluate_str_reusing`]).
    pub fn select_and_evaluate_str_reusing<'r>(
        &'r self,
        text: &str,
        options: EvalOptions,
        spare: &mut Spare<'r>,
    ) -> Result<(&'r Ruleset, Result<Outcome<'r>, EvalError>), EvalError> {
        if let Some((edition, record)) = self.read_in_force(text, options) {
            return Ok((edition, edition.evaluate_record(record, options, spare)));
        }
        let edition = self.select_str(text, options)?;
        Ok((edition, edition.evaluate_str_reusing(text, options, spare)))
    }

    /// The only edition and the record read with it, when the record reads
    /// cleanly and its `as at` date, a required field, puts it in force:
    /// then [`Editions::select_str`] would have found the same date at the
    /// same path (a key given twice is not read cleanly) and chosen the
    /// same edition, which would have read the record the same way. `None`
    /// for anything else, several editions included, which are chosen as
    /// `select_str` chooses.
    fn read_in_force(
        &self,
        text: &str,
        options: EvalOptions,
    ) -> Option<(&Ruleset, evidence::Evidence)> {
        let [only] = self.editions.as_slice() else {
            return None;
        };
        let as_at = only.model.meta.as_at?;
        let field = only.model.fields.get(as_at)?;
        if field.absence != crate::model::AbsenceMode::Required {
            return None;
        }
        let (Ok(record), _) = only.read_str(text, options) else {
            return None;
        };
        match record.slots.get(as_at.index()) {
            Some(crate::value::Value::Date(date)) if only.covers(*date) => Some((only, record)),
            _ => None,
        }
    }
}
