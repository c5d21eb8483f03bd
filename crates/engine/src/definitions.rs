//! Definitions that several rulesets share: where a rule file finds them
//! ([`Context`]), reading the ones it uses (nested, each once, a cycle an
//! error), and checking a definitions file on its own ([`Definitions`]).

use crate::calendar::Calendar;
use crate::check::{self, Included};
use crate::diagnostic::{CheckError, FileProblems, LoadError, Problem};
use crate::model::Model;
use crate::sources::SourceMap;
use judgement_syntax::ast::{self, FileKind};
use judgement_syntax::Span;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// What a rule file may name from outside itself: the calendars its
/// `calendar` clause names and the definitions its `uses` clauses name.
/// [`Context::beside`] finds them in the file system; an embedder with no
/// file system (WebAssembly) fills one in.
#[derive(Debug, Clone, Default)]
pub struct Context {
    pub calendars: Vec<Calendar>,
    /// Definitions by the name `uses` gives them.
    pub definitions: BTreeMap<String, DefinitionsSource>,
}

/// The text of a definitions file, and where it came from: its path, or any
/// label that names it in messages (`shared/monitoring.rules`).
#[derive(Debug, Clone)]
pub struct DefinitionsSource {
    pub path: PathBuf,
    pub text: String,
    /// Why the file could not be read (not UTF-8, too large, ...): an
    /// error only for a ruleset that `uses` it, so that a stray file in
    /// `definitions/` does not stop every ruleset beside it.
    pub unreadable: Option<String>,
}

impl Context {
    /// A context of calendars and no definitions.
    pub fn with_calendars(calendars: &[Calendar]) -> Context {
        Context {
            calendars: calendars.to_vec(),
            definitions: BTreeMap::new(),
        }
    }

    /// Make the definitions `name` available, from `path` (or a label).
    pub fn add_definitions(
        &mut self,
        name: impl Into<String>,
        path: impl Into<PathBuf>,
        text: impl Into<String>,
    ) -> &mut Context {
        self.definitions.insert(
            name.into(),
            DefinitionsSource {
                path: path.into(),
                text: text.into(),
                unreadable: None,
            },
        );
        self
    }

    /// The calendars (`calendars/*.calendar`) and definitions
    /// (`definitions/NAME.rules`) in the folder of `path` or any folder
    /// above it; of two of one name, the nearer.
    pub fn beside(path: &Path) -> Result<Context, LoadError> {
        let calendars = crate::ruleset::find_calendars(path)?;
        let mut definitions = BTreeMap::new();
        for file in files_in_ancestors(path, "definitions", "rules")? {
            let Some(name) = file.file_stem().and_then(|s| s.to_str()) else {
                continue;
            };
            if definitions.contains_key(name) || !file.is_file() {
                continue;
            }
            let (text, unreadable) = match crate::ruleset::read_source(&file) {
                Ok(text) => (text, None),
                Err(e) => (String::new(), Some(e.to_string())),
            };
            definitions.insert(
                name.to_string(),
                DefinitionsSource {
                    path: file,
                    text,
                    unreadable,
                },
            );
        }
        Ok(Context {
            calendars,
            definitions,
        })
    }
}

/// The files `FOLDER/*.EXT` in the folder of `path` (or `path` itself if it
/// is a folder) and every folder above it, nearest first, each folder's in
/// name order. Such a folder that is there but cannot be read is an error,
/// not a folder to pass over. A relative path's folders are walked as it is
/// written, so that what is found is named the same way, up to the current
/// folder (its last, empty, ancestor), and then on through the folders above
/// that: `2015-04.rules` given inside `rulesets/childrens_homes` finds
/// `rulesets/calendars`.
pub(crate) fn files_in_ancestors(
    path: &Path,
    folder: &str,
    ext: &str,
) -> Result<Vec<PathBuf>, LoadError> {
    let start = if path.is_dir() {
        Some(path)
    } else {
        path.parent()
    };
    // A relative path's last ancestor is the empty path, the current folder.
    let above_here = start
        .filter(|s| s.is_relative())
        .and_then(|_| std::env::current_dir().ok())
        .and_then(|here| here.parent().map(Path::to_path_buf));
    let written = start.into_iter().flat_map(Path::ancestors);
    let above = above_here.iter().flat_map(|p| p.ancestors());
    let mut found = Vec::new();
    for dir in written.chain(above) {
        let place = dir.join(folder);
        if !place.is_dir() {
            continue;
        }
        let entries = std::fs::read_dir(&place).map_err(|e| LoadError::Io {
            path: place.clone(),
            message: e.to_string(),
        })?;
        let mut files: Vec<PathBuf> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == ext) && crate::ruleset::readable(p))
            .collect();
        files.sort();
        found.extend(files);
    }
    Ok(found)
}

/// A rule file parsed with the definitions it uses: the shared span space,
/// the files, and the problems found so far (spans in the shared space).
pub(crate) struct Parsed {
    pub sources: SourceMap,
    pub main: ast::File,
    /// Each definitions file used, once, a file after those it uses, with
    /// the `uses` clause of the main file that brings it in.
    pub used: Vec<(ast::File, Span)>,
    pub problems: Vec<Problem>,
    /// A definitions file named by `uses` is missing or does not parse.
    missing: bool,
}

impl Parsed {
    /// Parse a rule file and, through its `uses` clauses, every definitions
    /// file it uses. Syntax errors of the main file end it here.
    pub fn read(
        path: Option<&Path>,
        source: &str,
        definitions: &BTreeMap<String, DefinitionsSource>,
    ) -> Result<Parsed, Vec<FileProblems>> {
        let sources = SourceMap::new(path, source);
        let main = judgement_syntax::parse_file_at(source, 0)
            .map_err(|errs| sources.split(errs.into_iter().map(Problem::Syntax).collect()))?;
        let mut parsed = Parsed {
            sources,
            main,
            used: Vec::new(),
            problems: Vec::new(),
            missing: false,
        };
        // Definitions checked on their own are the first link of any cycle;
        // a ruleset's name is not a definitions name.
        let header = &parsed.main.header;
        let stack = match header.kind {
            FileKind::Definitions => vec![header.name.node.clone()],
            FileKind::Ruleset => Vec::new(),
        };
        let mut reader = Reader {
            definitions,
            stack,
            seen: Vec::new(),
        };
        let uses = parsed.main.header.uses.clone();
        reader.uses(&uses, None, &mut parsed);
        Ok(parsed)
    }

    /// Check the files together, then compile the checked model (its
    /// evaluation order): the model when there are no errors, and every
    /// problem, spans in the shared space.
    pub fn check(&mut self) -> Option<Model> {
        let included: Vec<Included<'_>> = self
            .used
            .iter()
            .map(|(file, via)| Included { file, via: *via })
            .collect();
        let (model, problems) = check::check(&self.main, &included, &self.sources);
        self.problems
            .extend(problems.into_iter().map(Problem::Check));
        match crate::compile::compile(model?) {
            Ok(model) => Some(model),
            Err(cycle) => {
                self.problems.push(Problem::Check(cycle));
                None
            }
        }
    }

    /// The items of all the files in the order checked: the definitions'
    /// first.
    pub fn items(&self) -> impl Iterator<Item = &ast::Item> {
        self.used
            .iter()
            .flat_map(|(f, _)| &f.items)
            .chain(&self.main.items)
    }

    /// Whether a file the `uses` clauses name is missing, or does not parse
    /// as definitions: then every name it declares would be unknown, and
    /// checking would only add errors that follow from that one.
    pub fn lacks_definitions(&self) -> bool {
        self.missing
    }

    pub fn has_errors(&self) -> bool {
        self.problems.iter().any(Problem::is_error)
    }
}

/// How many definitions deep `uses` may reach: a chain longer than this
/// is refused at the clause that would go deeper. Each level is read in a
/// frame of its own, so without a bound a long chain (or a long cycle,
/// which is found only when a name comes back) would exhaust the stack and
/// abort the process that embeds the engine.
pub const MAX_USES_DEPTH: usize = 32;

/// Follows `uses` clauses depth first.
struct Reader<'a> {
    definitions: &'a BTreeMap<String, DefinitionsSource>,
    /// The files being read, outermost first: a name met again is a cycle.
    stack: Vec<String>,
    /// The definitions already read (or found broken), to read each once.
    seen: Vec<String>,
}

impl Reader<'_> {
    /// Read the definitions named by `uses`. `via` is the main file's
    /// `uses` clause they come through (`None`: these are its own).
    fn uses(&mut self, uses: &[ast::Name], via: Option<Span>, parsed: &mut Parsed) {
        for name in uses {
            let via = via.unwrap_or(name.span);
            if let Some(at) = self.stack.iter().position(|n| *n == name.node) {
                let mut chain: Vec<&str> = self
                    .stack
                    .get(at..)
                    .unwrap_or_default()
                    .iter()
                    .map(String::as_str)
                    .collect();
                chain.push(&name.node);
                parsed.problems.push(Problem::Check(
                    CheckError::error(
                        format!(
                            "the definitions `{}` use themselves: {}",
                            name.node,
                            chain.join(" -> ")
                        ),
                        name.span,
                        "a cycle",
                    )
                    .with_help("definitions may use others, but not in a circle: move what both need into a third"),
                ));
                continue;
            }
            if self.seen.contains(&name.node) {
                continue;
            }
            if self.stack.len() >= MAX_USES_DEPTH {
                parsed.problems.push(Problem::Check(
                    CheckError::error(
                        format!(
                            "the definitions `{}` would be used more than {MAX_USES_DEPTH} deep, in a chain of `uses` from `{}`",
                            name.node,
                            self.stack.first().map(String::as_str).unwrap_or_default()
                        ),
                        name.span,
                        "too deep",
                    )
                    .with_help(format!(
                        "definitions may use others to {MAX_USES_DEPTH} levels: use the ones further down directly"
                    )),
                ));
                parsed.missing = true;
                continue;
            }
            self.seen.push(name.node.clone());
            let Some(found) = self.definitions.get(&name.node) else {
                parsed.problems.push(Problem::Check(
                    CheckError::error(
                        format!("there are no definitions `{}`", name.node),
                        name.span,
                        "unknown definitions",
                    )
                    .with_help(self.known_help()),
                ));
                parsed.missing = true;
                continue;
            };
            if let Some(why) = &found.unreadable {
                parsed.problems.push(Problem::Check(CheckError::error(
                    format!("the definitions `{}` cannot be read: {why}", name.node),
                    name.span,
                    "unreadable definitions",
                )));
                parsed.missing = true;
                continue;
            }
            let base = parsed.sources.push(&name.node, &found.path, &found.text);
            let file = match judgement_syntax::parse_file_at(&found.text, base) {
                Ok(file) => file,
                Err(errs) => {
                    parsed
                        .problems
                        .extend(errs.into_iter().map(|e| Problem::Syntax(at_least(e, base))));
                    parsed.missing = true;
                    continue;
                }
            };
            if file.header.kind != FileKind::Definitions {
                parsed.problems.push(Problem::Check(
                    CheckError::error(
                        format!("`{}` is a ruleset, not definitions", name.node),
                        name.span,
                        "not definitions",
                    )
                    .with_help(format!(
                        "`{}` begins `ruleset`; definitions begin `definitions {}`",
                        found.path.display(),
                        name.node
                    )),
                ));
                parsed.missing = true;
                continue;
            }
            if file.header.name.node != name.node {
                parsed.problems.push(Problem::Check(
                    CheckError::error(
                        format!(
                            "these definitions are called `{}`, but are used as `{}`",
                            file.header.name.node, name.node
                        ),
                        file.header.name.span,
                        "another name",
                    )
                    .with_help(format!(
                        "definitions are named after their file: `definitions/{0}.rules` holds `definitions {0}`",
                        name.node
                    )),
                ));
            }
            self.stack.push(name.node.clone());
            self.uses(&file.header.uses, Some(via), parsed);
            self.stack.pop();
            parsed.used.push((file, via));
        }
    }

    fn known_help(&self) -> String {
        let known: Vec<String> = self.definitions.keys().map(|k| format!("`{k}`")).collect();
        let place = "definitions are files `definitions/NAME.rules` in the rule file's folder or a folder above it";
        if known.is_empty() {
            format!("{place}, and none were found")
        } else {
            format!("{place}; those found are {}", known.join(", "))
        }
    }
}

/// A syntax error of a definitions file whose span has none of its own (a
/// file too large) still points into that file.
fn at_least(e: judgement_syntax::SyntaxError, base: usize) -> judgement_syntax::SyntaxError {
    e.map_span(|s| Span::new(s.start.max(base), s.end.max(base)))
}

/// A definitions file checked on its own: each `needs` is an opaque name of
/// its type, and working days need no calendar (each ruleset that uses the
/// definitions names one).
#[derive(Debug, Clone)]
pub struct Definitions {
    name: String,
    warnings: Vec<FileProblems>,
}

impl Definitions {
    /// Check definitions given as text, with the definitions they may use.
    /// `path` names the file in messages. On failure, every problem found,
    /// by file.
    pub fn from_source(
        path: &Path,
        source: &str,
        context: &Context,
    ) -> Result<Definitions, Vec<FileProblems>> {
        let mut parsed = Parsed::read(Some(path), source, &context.definitions)?;
        if parsed.main.header.kind != FileKind::Definitions {
            let name = &parsed.main.header.name;
            parsed.problems.push(Problem::Check(
                CheckError::error(
                    format!("`{}` is a ruleset, not definitions", name.node),
                    name.span,
                    "a ruleset",
                )
                .with_help("check a ruleset as a ruleset (`Ruleset::load`)"),
            ));
            return Err(parsed.sources.split(parsed.problems));
        }
        // As for a ruleset: definitions it uses that are missing or broken
        // are the only errors worth showing.
        if parsed.lacks_definitions() {
            return Err(parsed.sources.split(parsed.problems));
        }
        parsed.check();
        let name = parsed.main.header.name.node.clone();
        if parsed.has_errors() {
            return Err(parsed.sources.split(parsed.problems));
        }
        Ok(Definitions {
            name,
            warnings: parsed.sources.split(parsed.problems),
        })
    }

    /// Read and check a definitions file, with the definitions found beside
    /// it ([`Context::beside`]).
    pub fn load(path: &Path) -> Result<Definitions, LoadError> {
        let source = crate::ruleset::read_source(path)?;
        let context = Context::beside(path)?;
        Definitions::from_source(path, &source, &context).map_err(|files| LoadError::Invalid {
            path: path.to_path_buf(),
            files,
        })
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// The warnings found, by file (the definitions it uses may have some).
    pub fn warnings(&self) -> &[FileProblems] {
        &self.warnings
    }
}
