//! The canonical layout of a rule file. Formatting parses the file and
//! prints its AST again: one clause a line, two spaces of indent, a blank
//! line between declarations, expressions with only the brackets they need.
//! Comments are kept: a comment on a line of its own is printed before the
//! line it preceded; a comment at the end of a line stays at the end of the
//! line that holds the code it followed; where lines are joined onto one (an
//! expression written over several lines), the comments that ended the
//! earlier lines move above it, and the last line's stays at its end. The
//! assignments of a test's `given` are joined onto one line only when no
//! comment is among them: one that is speaks of the assignment beside it,
//! so they stay one a line and it stays there. Formatting is idempotent,
//! and the formatted file parses to the same AST.

mod expr;
mod items;
mod text;

use crate::ast::*;
use crate::error::SyntaxError;
use crate::parse::{parse_file, without_bom};
use crate::scan::{self, Kind};
use crate::span::{Span, Spanned};
use std::fmt::Write as _;

pub use expr::format_expr;
use expr::layout;

/// What a rule does, on one line, in the canonical layout: its `for each`,
/// `when` and effects (`for each v in visits when v.late then finding
/// late`), without its citation, quote and notes; for telling whether two
/// versions of a rule do the same.
pub fn format_rule_logic(r: &crate::ast::RuleDecl) -> String {
    let mut parts = Vec::new();
    if let Some(fe) = &r.for_each {
        parts.push(expr::for_each(fe));
    }
    if let Some(w) = &r.when {
        parts.push(format!("when {}", format_expr(&w.node)));
    }
    parts.extend(r.effects.iter().map(|e| text::effect(&e.node)));
    parts.join(" ")
}

/// One declaration other than a rule, threshold or let, on one line in
/// the canonical layout, for telling whether two versions of a ruleset
/// declare it alike: see [`format_declarations`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Declared {
    /// `header` (`as at` or `evaluated on`, named so), `scale`, `choice`,
    /// `record` (a field of a record type), `evidence` (a field of the
    /// evidence), `judgement` or `invalid`.
    pub kind: &'static str,
    /// The scale's, choice's, judgement's or check's name; a field's path,
    /// after its record type's name and a dot for a record's field.
    pub name: String,
    /// What it declares, without its name: a scale's values best first
    /// (`outstanding > good`), a choice's (`a | b`), a field's type and what
    /// its absence means (`date or none`), a judgement's scale, evidence and
    /// `when` (`grade from proposed.overall`), a check's message and
    /// condition (`"message" when a < b`).
    pub text: String,
}

/// The header's `as at` and `evaluated on`, then each scale, choice, field
/// of a record type or of the evidence, judgement and `invalid` check that
/// `file` declares, in order: what `diff` compares
/// besides rules, thresholds and lets. Comments, notes and layout are not
/// part of any.
pub fn format_declarations(file: &File) -> Vec<Declared> {
    let mut out = Vec::new();
    // The header's evidence dates: which picks the edition, and after
    // which a deadline is overdue.
    let header = [
        ("as at", &file.header.as_at),
        ("evaluated on", &file.header.evaluated_on),
    ];
    for (name, path) in header {
        if let Some(path) = path {
            out.push(Declared {
                kind: "header",
                name: name.to_string(),
                text: path.node.to_string(),
            });
        }
    }
    let field = |f: &FieldDecl| match &f.absence {
        Some(a) => format!("{} {}", text::type_expr(&f.ty.node), text::absence(&a.node)),
        None => text::type_expr(&f.ty.node),
    };
    for item in &file.items {
        match item {
            Item::Scale(s) => out.push(Declared {
                kind: "scale",
                name: s.name.node.clone(),
                text: s
                    .values
                    .iter()
                    .map(|v| v.node.as_str())
                    .collect::<Vec<_>>()
                    .join(" > "),
            }),
            Item::Choice(c) => out.push(Declared {
                kind: "choice",
                name: c.name.node.clone(),
                text: c
                    .values
                    .iter()
                    .map(|v| v.node.as_str())
                    .collect::<Vec<_>>()
                    .join(" | "),
            }),
            Item::Record(r) => out.extend(r.fields.iter().map(|f| Declared {
                kind: "record",
                name: format!("{}.{}", r.name.node, f.path.node),
                text: field(f),
            })),
            Item::Evidence(e) => out.extend(e.fields.iter().map(|f| Declared {
                kind: "evidence",
                name: f.path.node.to_string(),
                text: field(f),
            })),
            Item::Judgement(j) => {
                let mut text = format!("{} from {}", j.scale.node, j.from.node);
                if let Some(w) = &j.applies_when {
                    text.push_str(" when ");
                    text.push_str(&format_expr(&w.node));
                }
                out.push(Declared {
                    kind: "judgement",
                    name: j.name.node.clone(),
                    text,
                });
            }
            Item::Invalid(v) => {
                let mut text = text::string(&v.message.node);
                if let Some(fe) = &v.for_each {
                    text.push(' ');
                    text.push_str(&expr::for_each(fe));
                }
                text.push_str(" when ");
                text.push_str(&format_expr(&v.when.node));
                out.push(Declared {
                    kind: "invalid",
                    name: v.id.node.clone(),
                    text,
                });
            }
            Item::Threshold(_)
            | Item::Let(_)
            | Item::Rule(_)
            | Item::Example(_)
            | Item::Test(_)
            | Item::Needs(_) => {}
        }
    }
    out
}

/// Lines longer than this are split where the layout allows (assignments).
const WIDTH: usize = 100;

/// Format a rule file; the syntax errors if it does not parse.
///
/// A byte-order mark at the start is dropped: the parser reads it as layout,
/// and the canonical layout is UTF-8 without one.
pub fn format_source(source: &str) -> Result<String, Vec<SyntaxError>> {
    let source = &*without_bom(source);
    let file = parse_file(source)?;
    let mut p = Printer {
        source,
        comments: comments(source),
        next_comment: 0,
        out: String::new(),
        pending: None,
        blank_before: false,
    };
    p.file(&file);
    p.rest_of_comments();
    Ok(p.out)
}

struct Comment {
    offset: usize,
    text: String,
    /// Nothing but layout before it on its line.
    own_line: bool,
    /// A blank line follows it.
    blank_after: bool,
}

/// Every `#` comment outside strings, in order.
fn comments(source: &str) -> Vec<Comment> {
    scan::regions(source)
        .filter(|r| r.kind == Kind::Comment)
        .map(|r| {
            let line_start = source
                .get(..r.start)
                .and_then(|before| before.rfind('\n'))
                .map_or(0, |n| n + 1);
            let own_line = source
                .get(line_start..r.start)
                .is_some_and(|s| s.trim().is_empty());
            let rest = source.get(r.end()..).unwrap_or("");
            let gap = rest.len() - rest.trim_start().len();
            let blank_after = rest.get(..gap).is_some_and(|g| g.matches('\n').count() > 1);
            Comment {
                offset: r.start,
                text: r.text.trim_end().to_string(),
                own_line,
                blank_after,
            }
        })
        .collect()
}

struct Printer<'a> {
    source: &'a str,
    comments: Vec<Comment>,
    next_comment: usize,
    out: String,
    /// The last line, held back until the next one starts: only then is it
    /// known whether the comment after it ends its source line.
    pending: Option<Pending>,
    /// A blank line goes before the next line.
    blank_before: bool,
}

/// A line of output not yet written.
struct Pending {
    indent: usize,
    text: String,
    /// Where the line's text ends in the source.
    end: usize,
}

impl Printer<'_> {
    /// A line of output for the node at `span`. Comments before it are
    /// printed above it; so are comments inside its text, which may have
    /// spanned several source lines, and after the keywords that lead it.
    /// The comment that ended the last source line of its text stays at its
    /// end.
    fn line(&mut self, span: Span, indent: usize, text: &str) {
        let end = self.code_end(span.end);
        self.finish(span.start);
        if self.blank_before {
            self.blank_before = false;
            if !self.out.is_empty() && !self.out.ends_with("\n\n") {
                self.out.push('\n');
            }
        }
        let pad = " ".repeat(indent);
        // A comment after the keywords that lead this line (`when  # ...`
        // with the condition below) ended an earlier source line of it, as
        // a comment inside its text may: each goes above, in order.
        while let Some(c) = self.comments.get(self.next_comment) {
            if c.offset >= end {
                break;
            }
            let _ = writeln!(self.out, "{pad}{}", c.text);
            if c.blank_after && c.offset < span.start && c.own_line {
                self.out.push('\n');
            }
            self.next_comment += 1;
        }
        self.pending = Some(Pending {
            indent,
            text: text.to_string(),
            end,
        });
    }

    /// Write the held-back line, with the comment that ended its last source
    /// line if there is one before `next_start`, where the next line begins.
    fn finish(&mut self, next_start: usize) {
        let Some(line) = self.pending.take() else {
            return;
        };
        let trailing = match self.comments.get(self.next_comment) {
            Some(c)
                if !c.own_line
                    && c.offset >= line.end
                    && c.offset < next_start
                    && self
                        .source
                        .get(line.end..c.offset)
                        .is_some_and(|between| !between.contains('\n')) =>
            {
                self.next_comment += 1;
                Some(c.text.clone())
            }
            _ => None,
        };
        let pad = " ".repeat(line.indent);
        let text = line.text;
        let _ = match trailing {
            Some(comment) => writeln!(self.out, "{pad}{text}  {comment}"),
            None => writeln!(self.out, "{pad}{text}"),
        };
    }

    /// The end of a node's code in the source, past any closing brackets
    /// that follow it: an expression's span leaves out the brackets around
    /// it, and a comment after `)` ends the line the expression ends.
    fn code_end(&self, end: usize) -> usize {
        let mut end = end;
        let mut at = self.skip_layout(end);
        while self.source.as_bytes().get(at) == Some(&b')') {
            end = at + 1;
            at = self.skip_layout(end);
        }
        end
    }

    /// The first byte at or after `at` that is not layout (white space) or
    /// part of a comment.
    fn skip_layout(&self, at: usize) -> usize {
        at + self.source.get(at..).map_or(0, scan::leading_layout)
    }

    /// The span of `word` where it is the next thing in the source after
    /// `from`, past layout and comments.
    fn next_word(&self, from: usize, word: &str) -> Option<Span> {
        let at = self.skip_layout(from);
        let found = self.source.get(at..)?.starts_with(word);
        found.then(|| Span::new(at, at + word.len()))
    }

    /// Whether a comment not yet printed starts in `from..to`.
    fn comment_within(&self, from: usize, to: usize) -> bool {
        self.comments
            .get(self.next_comment..)
            .unwrap_or_default()
            .iter()
            .take_while(|c| c.offset < to)
            .any(|c| c.offset >= from)
    }

    /// A clause whose expression may be too long for one line: split at its
    /// `and` and `or` chains, each further operand on a line of its own,
    /// indented under the clause; bracketed chains open and close on the
    /// lines of their first and last operands.
    fn expression_lines(&mut self, lead: &str, e: &Spanned<Expr>, indent: usize) {
        let pieces = layout(e, WIDTH.saturating_sub(indent + lead.len()));
        for (i, piece) in pieces.iter().enumerate() {
            if i == 0 {
                self.line(piece.span, indent, &format!("{lead}{}", piece.text));
            } else {
                self.line(piece.span, indent + 2 + 2 * piece.depth, &piece.text);
            }
        }
    }

    /// Comments after the last line, each on its own line.
    fn rest_of_comments(&mut self) {
        self.finish(usize::MAX);
        if self.next_comment < self.comments.len() && !self.out.ends_with("\n\n") {
            self.out.push('\n');
        }
        while let Some(c) = self.comments.get(self.next_comment) {
            self.next_comment += 1;
            let _ = writeln!(self.out, "{}", c.text);
            if c.blank_after && self.next_comment < self.comments.len() {
                self.out.push('\n');
            }
        }
    }

    fn blank(&mut self) {
        self.blank_before = true;
    }
}
