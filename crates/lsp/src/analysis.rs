//! What the server knows of one document: its problems as diagnostics, the
//! index of its names (and of the definitions it uses), and the compiled
//! ruleset when it compiles. A rule file is checked as `judgement check`
//! checks it, with the calendars and definitions found beside it on disk,
//! but with the editor's text for itself and for any open definitions.

use crate::index::{Decl, Index, Key, Kind, Symbol};
use crate::position::LineIndex;
use judgement_engine::calendar::Calendar;
use judgement_engine::{Context, Definitions, FileProblems, Problem, Ruleset};
use judgement_syntax::ast::{File, FileKind};
use judgement_syntax::Span;
use lsp_types::{Diagnostic, DiagnosticSeverity, DiagnosticTag, NumberOrString, Position, Range};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// A file the index points into: the document (first) or a definitions
/// file it uses.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub path: PathBuf,
    pub text: String,
    pub lines: LineIndex,
}

impl SourceFile {
    pub fn new(path: PathBuf, text: String) -> SourceFile {
        let lines = LineIndex::new(&text);
        SourceFile { path, text, lines }
    }

    pub fn range(&self, span: Span) -> Range {
        self.lines.range(&self.text, span)
    }
}

/// The index and the files its spans are in.
#[derive(Debug, Clone)]
pub struct Indexed {
    pub index: Index,
    pub files: Vec<SourceFile>,
    /// The document's name in its header (`ruleset NAME`).
    pub header: Span,
}

#[derive(Debug, Default)]
pub struct Analysis {
    pub diagnostics: Vec<Diagnostic>,
    /// `None` when the text does not parse.
    pub indexed: Option<Indexed>,
    /// Shared with a run of its tests on another thread (`lens::Tests`).
    pub ruleset: Option<std::sync::Arc<Ruleset>>,
    /// Why the ruleset did not compile, for a command that needs it.
    pub failed: Option<String>,
    /// The diagnostics (their range and message) that stand for a problem
    /// of another file, shown at the `uses` clause that brings it in: no
    /// quick fix edits this text for them.
    pub elsewhere: Vec<(Range, String)>,
}

impl Analysis {
    /// What is shown when checking the text panicked (a bug).
    pub fn internal_error() -> Analysis {
        Analysis {
            diagnostics: vec![diagnostic(
                Range::default(),
                "internal error: checking this file stopped; this is a bug in judgement".into(),
                None,
                true,
                "internal",
            )],
            failed: Some("checking the file stopped (a bug in judgement)".into()),
            ..Analysis::default()
        }
    }
}

impl Analysis {
    /// What is shown for a document whose text the server no longer knows:
    /// an edit to it was lost or could not be applied (`why`), and the
    /// server's copy is no longer the editor's.
    pub fn lost(why: &str) -> Analysis {
        let message = format!(
            "judgement-lsp has lost track of this document's text ({why}): nothing is checked \
             until the editor sends its whole text again: close the document and open it"
        );
        Analysis {
            diagnostics: vec![diagnostic(
                Range::default(),
                message.clone(),
                None,
                true,
                "internal",
            )],
            failed: Some(message),
            ..Analysis::default()
        }
    }
}

/// Analyse `text`, the editor's text of the file at `path`; `open` holds
/// the texts of the other documents open in the editor, by path.
pub fn analyse(path: &Path, text: &str, open: &HashMap<PathBuf, String>) -> Analysis {
    let lines = LineIndex::new(text);
    if path.extension().is_some_and(|x| x == "calendar") {
        return Analysis {
            diagnostics: calendar(text, &lines),
            ..Analysis::default()
        };
    }
    // The engine reads the text without a byte-order mark: its spans start
    // after it.
    let bom = crate::position::bom_len(text);
    let source = text.get(bom..).unwrap_or(text);
    let mut analysis = Analysis::default();
    let ast = judgement_syntax::parse_file(source).ok();
    let shifted = |span: Span| lines.range(text, Span::new(span.start + bom, span.end + bom));
    let (mut context, loaded) = match Context::beside(path) {
        Ok(context) => (context, true),
        Err(e) => {
            // A calendar that does not read is shown at the `calendar NAME`
            // clause that names it, when this file names it; at the start
            // of the file otherwise (another calendar of the folder).
            let at = match &e {
                judgement_engine::LoadError::Calendar { path, .. } => ast
                    .as_ref()
                    .and_then(|a| a.header.calendar.as_ref())
                    .filter(|name| {
                        path.file_stem().and_then(|s| s.to_str()) == Some(name.node.as_str())
                    })
                    .map_or(Range::default(), |name| shifted(name.span)),
                _ => Range::default(),
            };
            // What `judgement check` says of it, one problem a diagnostic
            // (each of a calendar's, with its place); the file is not
            // checked without its calendars and definitions, which would
            // only add problems that are not there.
            let messages = match &e {
                judgement_engine::LoadError::Calendar { path, errors, .. } => errors
                    .iter()
                    .map(|c| match c.position() {
                        Some((line, column)) => {
                            format!("{}:{line}:{column}: {}", path.display(), c.detail())
                        }
                        None => format!("{}: {c}", path.display()),
                    })
                    .collect(),
                other => vec![other.to_string()],
            };
            analysis.failed = messages.first().cloned();
            for message in messages {
                analysis
                    .diagnostics
                    .push(diagnostic(at, message, None, true, "load"));
            }
            (Context::default(), false)
        }
    };
    for definitions in context.definitions.values_mut() {
        if let Some(text) = open.get(&definitions.path) {
            definitions.text = text.clone();
        }
    }
    let problems = match judgement_syntax::file_kind(source) {
        _ if !loaded => Vec::new(),
        FileKind::Ruleset => match Ruleset::from_sources(path, source, &context) {
            Ok(ruleset) => {
                let warnings = ruleset.warnings_by_file();
                analysis.ruleset = Some(std::sync::Arc::new(ruleset));
                warnings
            }
            Err(files) => {
                analysis.failed = Some(first_error(&files));
                files
            }
        },
        FileKind::Definitions => match Definitions::from_source(path, source, &context) {
            Ok(d) => d.warnings().to_vec(),
            Err(files) => files,
        },
    };
    let uses = ast
        .as_ref()
        .map(|a| a.header.uses.clone())
        .unwrap_or_default();
    for file in &problems {
        for p in &file.problems {
            let d = if file.path == path {
                let span = Span::new(p.span().start + bom, p.span().end + bom);
                problem(p, widen(text, span, &lines))
            } else {
                // A problem in a definitions file: shown at the `uses`
                // clause that brings it in, with its own place; for a file
                // used through another, at the clause of the one that uses
                // it.
                let (line, column) = judgement_syntax::line_col(&file.source, p.span().start);
                let stem = file.path.file_stem().and_then(|s| s.to_str());
                let at = uses
                    .iter()
                    .find(|u| Some(u.node.as_str()) == stem)
                    .or_else(|| {
                        uses.iter()
                            .find(|u| stem.is_some_and(|stem| uses_one(&context, &u.node, stem)))
                    })
                    .map_or(Range::default(), |u| shifted(u.span));
                let mut d = problem(p, at);
                d.message = format!("{}:{line}:{column}: {}", file.path.display(), d.message);
                analysis.elsewhere.push((d.range, d.message.clone()));
                d
            };
            analysis.diagnostics.push(d);
        }
    }
    if let Some(ast) = ast {
        analysis.indexed = Some(index(path, text, bom, &ast, &context));
    }
    analysis
}

/// Index the document and, through its `uses` clauses, each definitions
/// file it uses (each once).
fn index(path: &Path, text: &str, bom: usize, ast: &File, context: &Context) -> Indexed {
    let mut files = vec![SourceFile::new(path.to_path_buf(), text.to_string())];
    let mut asts: Vec<File> = Vec::new();
    let mut queue: Vec<String> = ast.header.uses.iter().map(|u| u.node.clone()).collect();
    let mut seen: Vec<String> = Vec::new();
    while let Some(name) = queue.pop() {
        if seen.contains(&name) {
            continue;
        }
        seen.push(name.clone());
        let Some(source) = context.definitions.get(&name) else {
            continue;
        };
        let Ok(file) = judgement_syntax::parse_file(&source.text) else {
            continue;
        };
        queue.extend(file.header.uses.iter().map(|u| u.node.clone()));
        files.push(SourceFile::new(source.path.clone(), source.text.clone()));
        asts.push(file);
    }
    let mut all: Vec<&File> = vec![ast];
    all.extend(asts.iter());
    let mut index = Index::build(&all);
    // The document's spans are of the text without its byte-order mark.
    let shift = |span: Span| Span::new(span.start + bom, span.end + bom);
    for s in index.symbols.iter_mut().filter(|s| s.file == 0) {
        s.span = shift(s.span);
        s.extent = shift(s.extent);
    }
    if let Some(name) = &ast.header.calendar {
        calendar_file(path, &name.node, shift(name.span), &mut index, &mut files);
    }
    Indexed {
        index,
        files,
        header: shift(ast.header.name.span),
    }
}

/// Whether the definitions called `name` in `context` use `other`, by a
/// `uses` clause of their own or through the definitions they use, however
/// deep (each file is looked at once, so a cycle ends).
fn uses_one(context: &Context, name: &str, other: &str) -> bool {
    let mut seen: Vec<String> = Vec::new();
    let mut next = vec![name.to_string()];
    while let Some(name) = next.pop() {
        if seen.contains(&name) {
            continue;
        }
        let uses: Vec<String> = context
            .definitions
            .get(&name)
            .and_then(|d| judgement_syntax::parse_file(&d.text).ok())
            .map(|f| f.header.uses.into_iter().map(|u| u.node).collect())
            .unwrap_or_default();
        if uses.iter().any(|u| u == other) {
            return true;
        }
        seen.push(name);
        next.extend(uses);
    }
    false
}

/// The calendar a rule file names, as a file of the index: the first
/// calendar file in `calendars/` of its folder or one above that declares
/// the name (`judgement_engine::calendar_files`, where the engine finds
/// it), its name there the declaration and the header's the read.
fn calendar_file(
    path: &Path,
    name: &str,
    read: Span,
    index: &mut Index,
    files: &mut Vec<SourceFile>,
) {
    // The first calendar file above the rule file that declares `name`,
    // whatever the file is called: the one the engine reads.
    let files_above = judgement_engine::calendar_files(path).unwrap_or_default();
    let Some((file, text, declared)) = files_above.into_iter().find_map(|file| {
        let text = judgement_engine::read_source(&file).ok()?;
        let declared =
            declared_calendar(&text).filter(|span| text.get(span.start..span.end) == Some(name))?;
        Some((file, text, declared))
    }) else {
        return;
    };
    let detail = match Calendar::parse(&text) {
        Ok(c) => {
            let (first, last) = c.years();
            format!(
                "**calendar** `{}`: {}\n\nversion {}, years {first} to {last}\n\n{}",
                c.name(),
                c.title(),
                c.version(),
                c.source()
            )
        }
        Err(_) => format!("**calendar** `{name}`"),
    };
    let key = Key::Calendar(name.to_string());
    let i = files.len();
    files.push(SourceFile::new(file, text));
    index.symbols.push(Symbol {
        key: key.clone(),
        file: i,
        span: declared,
        decl: true,
        extent: declared,
    });
    index.symbols.push(Symbol {
        key: key.clone(),
        file: 0,
        span: read,
        decl: false,
        extent: read,
    });
    index.decls.insert(
        key,
        Decl {
            kind: Kind::Calendar,
            name: name.to_string(),
            of_type: None,
            detail,
        },
    );
}

/// Where a calendar file declares its name: its `calendar NAME` line,
/// wherever it is among the header's lines, as the engine reads it.
fn declared_calendar(text: &str) -> Option<Span> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let code = line.split('#').next().unwrap_or("");
        let mut words = code.split_whitespace();
        if let (Some("calendar"), Some(name)) = (words.next(), words.next()) {
            let keyword = code.find("calendar").unwrap_or(0) + "calendar".len();
            let at = keyword + code.get(keyword..)?.find(name)?;
            return Some(Span::new(offset + at, offset + at + name.len()));
        }
        offset += line.len();
    }
    None
}

fn first_error(files: &[FileProblems]) -> String {
    files
        .iter()
        .flat_map(|f| f.problems.iter().map(move |p| (f, p)))
        .find(|(_, p)| p.is_error())
        .map(|(f, p)| {
            let (line, column) = judgement_syntax::line_col(&f.source, p.span().start);
            format!("{}:{line}:{column}: {p}", f.path.display())
        })
        .unwrap_or_else(|| "the rule file has errors".to_string())
}

/// A span to show: one that is empty is widened to the word it is at, so
/// that the editor has something to underline.
fn widen(text: &str, span: Span, lines: &LineIndex) -> Range {
    if !span.is_empty() {
        return lines.range(text, span);
    }
    let rest = text.get(span.start..).unwrap_or("");
    let word: usize = rest
        .chars()
        .take_while(|c| !c.is_whitespace())
        .map(char::len_utf8)
        .sum();
    let word = if word == 0 {
        rest.chars().next().map_or(0, char::len_utf8)
    } else {
        word
    };
    lines.range(text, Span::new(span.start, span.start + word))
}

fn problem(p: &Problem, range: Range) -> Diagnostic {
    let d = p.diagnostic();
    let code = match p {
        Problem::Syntax(_) => "syntax",
        Problem::Check(_) => "check",
    };
    let mut shown = diagnostic(
        range,
        d.to_string(),
        d.help().map(|h| h.to_string()),
        p.is_error(),
        code,
    );
    // A threshold or let that nothing reads: editors grey it out.
    if let Problem::Check(c) = p {
        if c.warning && c.label == "unused" {
            shown.tags = Some(vec![DiagnosticTag::UNNECESSARY]);
        }
    }
    shown
}

fn diagnostic(
    range: Range,
    message: String,
    help: Option<String>,
    error: bool,
    code: &str,
) -> Diagnostic {
    let message = match help {
        Some(help) => format!("{message}\nhelp: {help}"),
        None => message,
    };
    Diagnostic {
        range,
        severity: Some(if error {
            DiagnosticSeverity::ERROR
        } else {
            DiagnosticSeverity::WARNING
        }),
        code: Some(NumberOrString::String(code.to_string())),
        source: Some("judgement".to_string()),
        message,
        ..Diagnostic::default()
    }
}

/// The problems of a calendar file, each at its line and column.
fn calendar(text: &str, lines: &LineIndex) -> Vec<Diagnostic> {
    match Calendar::parse(text) {
        Ok(_) => Vec::new(),
        Err(errors) => errors
            .iter()
            .map(|e| {
                let range = match e.position() {
                    Some((line, column)) => lines.range_at(text, line, column),
                    None => Range::new(Position::default(), Position::default()),
                };
                diagnostic(range, e.detail(), None, true, "calendar")
            })
            .collect(),
    }
}
