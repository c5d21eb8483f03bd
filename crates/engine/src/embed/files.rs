//! Loading a ruleset from texts held in memory rather than files: what an
//! embedder with no file system (WebAssembly) or with rules in a database
//! gives. Each text is named by a label that stands for its path; the label's
//! ending and the text's header say what it holds: `NAME.calendar` is a
//! calendar, a `definitions` file is definitions that `uses NAME` finds by
//! the label's stem, and every other text is an edition of the one ruleset,
//! whatever its label ends with (an embedder's labels need not be file
//! names). Unlike a folder on disk, where only `*.rules` files are read and
//! a README beside them is passed by, every text given is read: give only
//! the rule, calendar and definitions texts.

use crate::calendar::Calendar;
use crate::definitions::Context;
use crate::diagnostic::{FileProblems, LoadError};
use crate::ruleset::{Editions, Ruleset};
use judgement_syntax::ast::FileKind;
use judgement_syntax::MAX_SOURCE_BYTES;
use std::path::{Path, PathBuf};

/// The name that stands for the whole set of texts in messages about it.
pub const SOURCES_LABEL: &str = "<sources>";

impl Editions {
    /// The editions of one ruleset from `(label, text)` pairs in memory: the
    /// rule files of its editions (every text that is neither of the
    /// others, whatever its label), the calendars (labels ending
    /// `.calendar`) and the definitions (files whose header says
    /// `definitions`; `uses NAME` finds the one labelled `.../NAME.rules`)
    /// they name. The same checks and the same errors as
    /// [`Editions::load`] of a folder holding those files (labelled as
    /// rule files, `.rules`), with each label in place of a path; a text
    /// that is not rules (a README) is read as rules and fails as they
    /// would, where on disk it would be passed by.
    pub fn from_files<I, L, T>(files: I) -> Result<Editions, LoadError>
    where
        I: IntoIterator<Item = (L, T)>,
        L: AsRef<str>,
        T: AsRef<str>,
    {
        let mut context = Context::default();
        let mut rulesets: Vec<(PathBuf, String)> = Vec::new();
        let mut definitions = 0usize;
        for (label, text) in files {
            let path = PathBuf::from(label.as_ref());
            let text = source_text(&path, text.as_ref())?;
            if path.extension().is_some_and(|x| x == "calendar") {
                let calendar = Calendar::parse(&text).map_err(|errors| LoadError::Calendar {
                    path: path.clone(),
                    text: text.clone(),
                    errors,
                })?;
                // Of two calendars of one name, the first given is used, as
                // the nearer one is on disk.
                if !context
                    .calendars
                    .iter()
                    .any(|c| c.name() == calendar.name())
                {
                    context.calendars.push(calendar);
                }
            } else if judgement_syntax::file_kind(&text) == FileKind::Definitions {
                definitions += 1;
                let name = stem(&path);
                if !context.definitions.contains_key(&name) {
                    context.add_definitions(name, path, text);
                }
            } else {
                rulesets.push((path, text));
            }
        }
        let all = Path::new(SOURCES_LABEL);
        if rulesets.is_empty() {
            return Err(if definitions > 0 {
                LoadError::NotARuleset {
                    path: all.to_path_buf(),
                }
            } else {
                LoadError::Empty {
                    path: all.to_path_buf(),
                }
            });
        }
        rulesets.sort_by(|a, b| a.0.cmp(&b.0));
        let mut editions = Vec::new();
        let mut invalid: Vec<FileProblems> = Vec::new();
        for (path, text) in &rulesets {
            match Ruleset::from_sources(path, text, &context) {
                Ok(r) => editions.push(r),
                Err(files) => invalid.extend(files),
            }
        }
        if !invalid.is_empty() {
            return Err(LoadError::Invalid {
                path: all.to_path_buf(),
                files: invalid,
            });
        }
        Editions::from_editions(all, editions)
    }
}

/// A text as [`crate::read_source`] would give it from a file: at most
/// `MAX_SOURCE_BYTES`, without a byte-order mark.
fn source_text(path: &Path, text: &str) -> Result<String, LoadError> {
    if text.len() > MAX_SOURCE_BYTES {
        return Err(LoadError::Io {
            path: path.to_path_buf(),
            message: format!(
                "it is larger than {MAX_SOURCE_BYTES} bytes, the most a rule or calendar file may be"
            ),
        });
    }
    Ok(text.strip_prefix('\u{feff}').unwrap_or(text).to_string())
}

/// `definitions/monitoring_visits.rules` -> `monitoring_visits`.
fn stem(path: &Path) -> String {
    path.file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default()
        .to_string()
}
