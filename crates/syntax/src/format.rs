//! The canonical layout of a rule file. Formatting parses the file and
//! prints its AST again: one clause a line, two spaces of indent, a blank
//! line between declarations, expressions with only the brackets they need.
//! Comments are kept: a comment on a line of its own is printed before the
//! line it preceded; a comment at the end of a line stays at the end of the
//! line that holds the code it followed, unless that code is joined onto one
//! line with more (an expression written over several lines), when it moves
//! above. Formatting is idempotent, and the formatted file parses to the
//! same AST.

use crate::ast::*;
use crate::error::SyntaxError;
use crate::parse::{parse_file, without_bom};
use crate::precedence::{self, OPERAND};
use crate::scan::{self, Kind};
use crate::span::{Span, Spanned};
use chrono::Timelike;
use std::fmt::Write as _;

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
    /// A comment that ended a source line of this line's keywords alone
    /// (`evidence  # ...`, `given  # ...`).
    keyword_comment: Option<String>,
}

impl Printer<'_> {
    /// A line of output for the node at `span`. Comments before it are
    /// printed above it; so are comments inside its text, which may have
    /// spanned several source lines. A comment that ended a source line of
    /// the line's own text, or of its keywords, stays at its end.
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
        let mut keyword_comment: Option<String> = None;
        while let Some(c) = self.comments.get(self.next_comment) {
            if c.offset >= end {
                break;
            }
            if c.offset < span.start && !c.own_line {
                // After code that is not a node of the tree: the keywords
                // that lead this line. At most one can stay at its end.
                if let Some(earlier) = keyword_comment.replace(c.text.clone()) {
                    let _ = writeln!(self.out, "{pad}{earlier}");
                }
            } else {
                let _ = writeln!(self.out, "{pad}{}", c.text);
                if c.blank_after && c.offset < span.start {
                    self.out.push('\n');
                }
            }
            self.next_comment += 1;
        }
        self.pending = Some(Pending {
            indent,
            text: text.to_string(),
            end,
            keyword_comment,
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
        let _ = match (line.keyword_comment, trailing) {
            (Some(keyword), Some(trailing)) => {
                writeln!(self.out, "{pad}{keyword}\n{pad}{text}  {trailing}")
            }
            (Some(comment), None) | (None, Some(comment)) => {
                writeln!(self.out, "{pad}{text}  {comment}")
            }
            (None, None) => writeln!(self.out, "{pad}{text}"),
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

    fn file(&mut self, f: &File) {
        self.header(&f.header);
        let mut previous: Option<&Item> = None;
        for item in &f.items {
            // One-line declarations of one kind stay together.
            let together = matches!(
                (previous, item),
                (Some(Item::Threshold(_)), Item::Threshold(_))
                    | (Some(Item::Let(_)), Item::Let(_))
                    | (Some(Item::Needs(_)), Item::Needs(_))
                    | (
                        Some(Item::Scale(_) | Item::Choice(_)),
                        Item::Scale(_) | Item::Choice(_)
                    )
            );
            if !together {
                self.blank();
            }
            self.item(item);
            previous = Some(item);
        }
    }

    fn header(&mut self, h: &RulesetDecl) {
        let word = match h.kind {
            FileKind::Ruleset => "ruleset",
            FileKind::Definitions => "definitions",
        };
        let head = format!("{word} {} {}", h.name.node, string(&h.title.node));
        self.line(h.name.span.join(h.title.span), 0, &head);
        if let Some(s) = &h.source {
            self.line(s.span, 2, &format!("source {}", string(&s.node)));
        }
        if let Some(s) = &h.reference {
            self.line(s.span, 2, &format!("reference {}", string(&s.node)));
        }
        if let Some(s) = &h.edition {
            self.line(s.span, 2, &format!("edition {}", string(&s.node)));
        }
        if let Some(f) = &h.in_force {
            let to = f.node.to.map(|t| format!(" to {t}")).unwrap_or_default();
            self.line(f.span, 2, &format!("in force from {}{to}", f.node.from));
        }
        if let Some(c) = &h.calendar {
            self.line(c.span, 2, &format!("calendar {}", c.node));
        }
        for u in &h.uses {
            self.line(u.span, 2, &format!("uses {}", u.node));
        }
        if let Some(a) = &h.as_at {
            self.line(a.span, 2, &format!("as at {}", a.node));
        }
        if let Some(a) = &h.evaluated_on {
            self.line(a.span, 2, &format!("evaluated on {}", a.node));
        }
    }

    fn item(&mut self, item: &Item) {
        match item {
            Item::Scale(s) => {
                let values: Vec<&str> = s.values.iter().map(|v| v.node.as_str()).collect();
                let span = s
                    .values
                    .last()
                    .map_or(s.name.span, |v| s.name.span.join(v.span));
                self.line(
                    span,
                    0,
                    &format!("scale {}: {}", s.name.node, values.join(" > ")),
                );
            }
            Item::Choice(c) => {
                let values: Vec<&str> = c.values.iter().map(|v| v.node.as_str()).collect();
                let span = c
                    .values
                    .last()
                    .map_or(c.name.span, |v| c.name.span.join(v.span));
                self.line(
                    span,
                    0,
                    &format!("choice {}: {}", c.name.node, values.join(" | ")),
                );
            }
            Item::Record(r) => {
                self.line(r.name.span, 0, &format!("record {}", r.name.node));
                self.fields(&r.fields);
            }
            Item::Evidence(e) => {
                self.line(e.keyword.span, 0, "evidence");
                self.fields(&e.fields);
            }
            Item::Threshold(t) => {
                let span = t.name.span.join(t.value.span);
                self.line(
                    span,
                    0,
                    &format!("threshold {} = {}", t.name.node, expr(&t.value.node)),
                );
            }
            Item::Let(l) => {
                let span = l.name.span.join(l.value.span);
                self.line(
                    span,
                    0,
                    &format!("let {} = {}", l.name.node, expr(&l.value.node)),
                );
            }
            Item::Judgement(j) => {
                let text = format!(
                    "judgement {}: {} from {}",
                    j.name.node, j.scale.node, j.from.node
                );
                self.line(j.name.span.join(j.from.span), 0, &text);
                if let Some(w) = &j.applies_when {
                    self.expression_lines("when ", w, 2);
                }
            }
            Item::Rule(r) => self.rule(r),
            Item::Invalid(v) => {
                let head = format!("invalid {} {}", v.id.node, string(&v.message.node));
                self.line(v.id.span.join(v.message.span), 0, &head);
                if let Some(fe) = &v.for_each {
                    self.for_each(fe);
                }
                self.expression_lines("when ", &v.when, 2);
            }
            Item::Example(e) => {
                self.line(e.name.span, 0, &format!("example {}", e.name.node));
                self.assignment_lines(&e.assignments, 2);
            }
            Item::Test(t) => self.test(t),
            Item::Needs(n) => {
                let judgement = if n.judgement { "judgement " } else { "" };
                let text = format!(
                    "needs {judgement}{}: {}",
                    n.name.node,
                    type_expr(&n.ty.node)
                );
                self.line(n.name.span.join(n.ty.span), 0, &text);
            }
        }
    }

    fn fields(&mut self, fields: &[FieldDecl]) {
        for f in fields {
            let mut text = format!("{}: {}", f.path.node, type_expr(&f.ty.node));
            let mut span = f.path.span.join(f.ty.span);
            if let Some(a) = &f.absence {
                text.push(' ');
                text.push_str(&absence(&a.node));
                span = span.join(a.span);
            }
            self.line(span, 2, &text);
        }
    }

    fn rule(&mut self, r: &RuleDecl) {
        let mut head = format!("rule {}", r.id.node);
        let mut span = r.id.span;
        if let Some(c) = &r.citation {
            head.push(' ');
            head.push_str(&string(&c.node));
            span = span.join(c.span);
        }
        self.line(span, 0, &head);
        if let Some(q) = &r.quote {
            self.line(q.span, 2, &format!("quote {}", string(&q.node)));
        }
        for n in &r.notes {
            self.line(n.span, 2, &format!("note {}", string(&n.node)));
        }
        if let Some(fe) = &r.for_each {
            self.for_each(fe);
        }
        if let Some(w) = &r.when {
            self.expression_lines("when ", w, 2);
        }
        for e in &r.effects {
            self.line(e.span, 2, &effect(&e.node));
        }
    }

    fn for_each(&mut self, fe: &ForEach) {
        self.line(
            fe.var.span.join(fe.list.span),
            2,
            &format!("for each {} in {}", fe.var.node, term(&fe.list)),
        );
    }

    fn test(&mut self, t: &TestDecl) {
        self.line(t.name.span, 0, &format!("test {}", string(&t.name.node)));
        let given = match (&t.example, t.assignments.is_empty()) {
            (Some(ex), true) => format!("given {}", ex.node),
            (Some(ex), false) => format!("given {} with", ex.node),
            (None, _) => "given".to_string(),
        };
        let start = t.example.as_ref().map_or_else(
            || t.assignments.first().map_or(t.name.span, |a| a.path.span),
            |e| e.span,
        );
        let inline = assignments_inline(&t.assignments);
        if t.assignments.is_empty() {
            self.line(start, 2, &given);
        } else if given.len() + inline.len() + 3 <= WIDTH && !inline.contains('\n') {
            let end = t.assignments.last().map_or(start, |a| a.value.span);
            self.line(start.join(end), 2, &format!("{given} {inline}"));
        } else {
            // Without an example, the line is the keyword alone: a comment
            // after it, above the first assignment, stays there.
            let keyword = match t.example {
                Some(_) => None,
                None => self.next_word(t.name.span.end, "given"),
            };
            self.line(keyword.unwrap_or(start), 2, &given);
            self.assignment_lines(&t.assignments, 4);
        }
        for e in &t.expectations {
            self.line(e.span, 2, &format!("expect {}", expectation(&e.node)));
        }
    }

    /// One assignment a line, each but the last followed by a comma.
    fn assignment_lines(&mut self, assignments: &[Assignment], indent: usize) {
        for (i, a) in assignments.iter().enumerate() {
            let comma = if i + 1 < assignments.len() { "," } else { "" };
            let value = value(&a.value.node, indent);
            self.line(
                a.path.span.join(a.value.span),
                indent,
                &format!("{} = {value}{comma}", a.path.node),
            );
        }
    }
}

fn assignments_inline(assignments: &[Assignment]) -> String {
    let parts: Vec<String> = assignments
        .iter()
        .map(|a| format!("{} = {}", a.path.node, value(&a.value.node, 4)))
        .collect();
    parts.join(", ")
}

fn string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            other => out.push(other),
        }
    }
    out.push('"');
    out
}

fn type_expr(t: &TypeExpr) -> String {
    match t {
        TypeExpr::Named(n) => n.clone(),
        TypeExpr::ListOf(n) => format!("list of {n}"),
    }
}

fn absence(a: &Absence) -> String {
    match a {
        Absence::None => "or none".into(),
        Absence::Unknown => "or unknown".into(),
        Absence::Empty => "default empty".into(),
        Absence::Default(l) => format!("default {}", literal(l)),
    }
}

fn literal(l: &Literal) -> String {
    match l {
        Literal::Bool(b) => b.to_string(),
        Literal::Number(n) => n.to_string(),
        Literal::Text(t) => string(t),
        Literal::Date(d) => d.to_string(),
        Literal::DateTime(dt) => datetime(dt),
        Literal::Time(t) => t
            .format(if t.second() == 0 { "%H:%M" } else { "%H:%M:%S" })
            .to_string(),
        Literal::Name(n) => n.clone(),
        Literal::Duration { amount, unit } => duration(*amount, *unit),
    }
}

fn datetime(dt: &chrono::NaiveDateTime) -> String {
    let pattern = if dt.second() == 0 {
        "%Y-%m-%dT%H:%M"
    } else {
        "%Y-%m-%dT%H:%M:%S"
    };
    dt.format(pattern).to_string()
}

fn duration(amount: i64, unit: Unit) -> String {
    let word = match (unit, amount == 1) {
        (Unit::Days, true) => "day",
        (Unit::Days, false) => "days",
        (Unit::Weeks, true) => "week",
        (Unit::Weeks, false) => "weeks",
        (Unit::Months, true) => "month",
        (Unit::Months, false) => "months",
        (Unit::Years, true) => "year",
        (Unit::Years, false) => "years",
        (Unit::WorkingDays, true) => "working day",
        (Unit::WorkingDays, false) => "working days",
    };
    format!("{amount} {word}")
}

/// The precedence an operand of `op` needs to go without brackets, on its
/// left (`first`) or its right. An `and` inside an `or` keeps its brackets:
/// the reader need not know which binds tighter.
fn side_precedence(op: BinaryOp, operand: &Spanned<Expr>, first: bool) -> u8 {
    let (left, right) = op.operand_precedence();
    match (op, &operand.node) {
        (
            BinaryOp::Or,
            Expr::Binary {
                op: BinaryOp::And, ..
            },
        ) => BinaryOp::And.precedence() + 1,
        _ if first => left,
        _ => right,
    }
}

/// Whether an operand that must bind at least `at_least` is bracketed.
fn needs_brackets(e: &Expr, at_least: u8) -> bool {
    precedence::of(e) < at_least || open_ended(e)
}

/// A quantifier's condition, or an aggregate's `where`, takes in everything
/// after it: such a form is bracketed unless it is the whole expression.
fn open_ended(e: &Expr) -> bool {
    matches!(
        e,
        Expr::Quantified { .. }
            | Expr::Aggregate {
                filter: Some(_),
                ..
            }
    )
}

fn operand(e: &Spanned<Expr>, at_least: u8) -> String {
    let text = expr(&e.node);
    if needs_brackets(&e.node, at_least) {
        format!("({text})")
    } else {
        text
    }
}

/// One line of an expression laid out over several: its text, the span of
/// the source it comes from, and how deep in brackets it is.
struct Piece {
    text: String,
    span: Span,
    depth: usize,
}

/// An expression as lines no wider than `width` where it can be split:
/// `and` and `or` chains give a line to each operand; `not (...)` and
/// bracketed operands keep their brackets on their first and last lines.
fn layout(e: &Spanned<Expr>, width: usize) -> Vec<Piece> {
    let one = expr(&e.node);
    if one.len() <= width {
        return vec![Piece {
            text: one,
            span: e.span,
            depth: 0,
        }];
    }
    match &e.node {
        Expr::Binary {
            op: op @ (BinaryOp::And | BinaryOp::Or),
            ..
        } => {
            let mut operands = Vec::new();
            chain(e, *op, &mut operands);
            let mut out = Vec::new();
            for (i, operand) in operands.into_iter().enumerate() {
                // The first operand is the left of them all, the rest are on the right.
                let at_least = side_precedence(*op, operand, i == 0);
                let mut pieces = bracketed(operand, at_least, width);
                if i > 0 {
                    if let Some(first) = pieces.first_mut() {
                        first.text = format!("{op} {}", first.text);
                    }
                }
                out.extend(pieces);
            }
            out
        }
        Expr::Unary {
            op: UnaryOp::Not,
            expr: inner,
        } => {
            let mut pieces = bracketed(inner, precedence::of(&e.node), width.saturating_sub(4));
            if let Some(first) = pieces.first_mut() {
                first.text = format!("not {}", first.text);
            }
            pieces
        }
        _ => vec![Piece {
            text: one,
            span: e.span,
            depth: 0,
        }],
    }
}

/// An operand laid out, in brackets when its binding needs them.
fn bracketed(e: &Spanned<Expr>, at_least: u8, width: usize) -> Vec<Piece> {
    if !needs_brackets(&e.node, at_least) {
        return layout(e, width);
    }
    let mut pieces = layout(e, width.saturating_sub(2));
    for (i, p) in pieces.iter_mut().enumerate() {
        if i > 0 {
            p.depth += 1;
        }
    }
    if let Some(first) = pieces.first_mut() {
        first.text = format!("({}", first.text);
    }
    if let Some(last) = pieces.last_mut() {
        last.text.push(')');
    }
    pieces
}

/// The operands of a chain of one operator: `a and b and c`.
fn chain<'a>(e: &'a Spanned<Expr>, op: BinaryOp, out: &mut Vec<&'a Spanned<Expr>>) {
    match &e.node {
        Expr::Binary { op: o, lhs, rhs } if *o == op => {
            chain(lhs, op, out);
            out.push(rhs);
        }
        _ => out.push(e),
    }
}

/// An operand of a calendar term or span: a single term, bracketed otherwise.
fn term(e: &Spanned<Expr>) -> String {
    operand(e, OPERAND)
}

fn over(o: &Over) -> String {
    format!("{} in {}", o.var.node, term(&o.list))
}

/// An expression in the canonical layout, as `fmt` prints it: `26 weeks`,
/// `inspection.start - manager.vacant_since`, with only the brackets it
/// needs.
pub fn format_expr(e: &Expr) -> String {
    expr(e)
}

fn expr(e: &Expr) -> String {
    let own = precedence::of(e);
    match e {
        Expr::Literal(l) => literal(l),
        Expr::Path(p) => p.to_string(),
        Expr::Unary {
            op: UnaryOp::Not,
            expr,
        } => format!("not {}", operand(expr, own)),
        Expr::Unary {
            op: UnaryOp::Neg,
            expr,
        } => format!("-{}", operand(expr, own)),
        Expr::Binary { op, lhs, rhs } => format!(
            "{} {op} {}",
            operand(lhs, side_precedence(*op, lhs, true)),
            operand(rhs, side_precedence(*op, rhs, false))
        ),
        Expr::Is {
            expr,
            negated,
            test,
        } => {
            let not = if *negated { "not " } else { "" };
            let test = match test {
                IsTest::Set => "set".to_string(),
                IsTest::None => "none".to_string(),
                IsTest::Known => "known".to_string(),
                IsTest::Unknown => "unknown".to_string(),
                IsTest::Empty => "empty".to_string(),
                IsTest::Value(v) => v.node.clone(),
                IsTest::AtMost(v) => format!("at most {}", v.node),
                IsTest::AtLeast(v) => format!("at least {}", v.node),
            };
            format!("{} is {not}{test}", operand(expr, own))
        }
        Expr::Quantified {
            quantifier,
            over: o,
            condition,
        } => format!(
            "{quantifier} {} satisfies {}",
            over(o),
            expr(&condition.node)
        ),
        Expr::Aggregate {
            kind,
            over: o,
            filter,
        } => {
            let head = match kind {
                Aggregate::Count => "count".to_string(),
                Aggregate::Earliest(v) => format!("earliest {} for", expr(&v.node)),
                Aggregate::Latest(v) => format!("latest {} for", expr(&v.node)),
                Aggregate::TotalDays { start, end } => {
                    format!("total days from {} to {} for", term(start), term(end))
                }
                Aggregate::LongestRun { start, end } => {
                    format!("longest run from {} to {} for", term(start), term(end))
                }
                Aggregate::MostDays {
                    amount,
                    unit,
                    start,
                    end,
                } => format!(
                    "most days within {} from {} to {} for",
                    duration(*amount, *unit),
                    term(start),
                    term(end)
                ),
            };
            let filter = filter
                .as_ref()
                .map(|f| format!(" where {}", expr(&f.node)))
                .unwrap_or_default();
            format!("{head} {}{filter}", over(o))
        }
        Expr::DaysBetween { from, to } => format!("days from {} to {}", term(from), term(to)),
        Expr::Sequence { unit, from, to } => {
            let unit = if *unit == Unit::Years {
                "years"
            } else {
                "months"
            };
            format!("{unit} from {} to {}", term(from), term(to))
        }
        Expr::Calendar { op, arg } => format!("{op} {}", term(arg)),
    }
}

fn constraint(judgement: &Name, op: ConstraintOp, value: &str) -> String {
    format!("{} {op} {value}", judgement.node)
}

fn effect(e: &Effect) -> String {
    match e {
        Effect::Constrain {
            judgement,
            op,
            value,
        } => format!("then {}", constraint(judgement, *op, &expr(&value.node))),
        Effect::Action { name, label, due } => {
            let mut text = format!("then action {}", name.node);
            if let Some(l) = label {
                text.push(' ');
                text.push_str(&string(&l.node));
            }
            if let Some(d) = due {
                text.push_str(" by ");
                text.push_str(&expr(&d.node));
            }
            text
        }
        Effect::Finding { name, message } => match message {
            Some(m) => format!("then finding {} {}", name.node, string(&m.node)),
            None => format!("then finding {}", name.node),
        },
        Effect::Deadline { name, when, target } => {
            let mut text = match when {
                DeadlineWhen::On(d) => format!("then deadline {} = {}", name.node, expr(&d.node)),
                DeadlineWhen::Window { from, to } => format!(
                    "then deadline {} from {} to {}",
                    name.node,
                    expr(&from.node),
                    expr(&to.node)
                ),
            };
            if let Some(t) = target {
                text.push_str(" target ");
                text.push_str(&expr(&t.node));
            }
            text
        }
        Effect::Withhold => "then no judgement".into(),
        Effect::Likely {
            judgement,
            op,
            value,
        } => format!("likely {}", constraint(judgement, *op, &value.node)),
        Effect::Advise { message } => format!("advise {}", string(&message.node)),
    }
}

fn value(v: &Value, indent: usize) -> String {
    match v {
        Value::Absent => "absent".into(),
        Value::None => "none".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::Text(t) => string(t),
        Value::Date(d) => d.to_string(),
        Value::DateTime(dt) => datetime(dt),
        Value::Name(n) => n.clone(),
        Value::Record(fields) => format!("{{{}}}", assignments_inline(fields)),
        Value::List(items) => {
            let records: Vec<String> = items.iter().map(|r| value(&r.node, indent)).collect();
            let inline = format!("[{}]", records.join(", "));
            if inline.len() + indent <= WIDTH {
                return inline;
            }
            let pad = " ".repeat(indent + 2);
            format!("[\n{pad}{}]", records.join(&format!(",\n{pad}")))
        }
    }
}

fn expectation(e: &Expectation) -> String {
    let item = |i: &Option<Spanned<String>>| {
        i.as_ref()
            .map(|s| format!(" for item {}", string(&s.node)))
            .unwrap_or_default()
    };
    match e {
        Expectation::Judgement { name, value } => {
            format!(
                "{} = {}",
                name.node,
                value.as_ref().map_or("none", |v| v.node.as_str())
            )
        }
        Expectation::NoJudgement => "no judgement".into(),
        Expectation::Action { name, due, item: i } => {
            let due = due.map(|d| format!(" by {d}")).unwrap_or_default();
            format!("action {}{due}{}", name.node, item(i))
        }
        Expectation::NoAction { name, item: i } => format!("no action {}{}", name.node, item(i)),
        Expectation::NoActions => "no actions".into(),
        Expectation::Deadline {
            name,
            when,
            target,
            overdue,
            item: i,
        } => {
            let when = match when {
                ExpectedDeadline::On(d) => format!("= {d}"),
                ExpectedDeadline::Window { from, to } => format!("from {from} to {to}"),
            };
            let target = target.map(|t| format!(" target {t}")).unwrap_or_default();
            let overdue = if *overdue { " overdue" } else { "" };
            format!("deadline {} {when}{target}{overdue}{}", name.node, item(i))
        }
        Expectation::Finding { name, item: i } => format!("finding {}{}", name.node, item(i)),
        Expectation::NoFinding { name, item: i } => {
            format!("no finding {}{}", name.node, item(i))
        }
        Expectation::NoFindings => "no findings".into(),
        Expectation::Provisional { judgement, negated } => {
            let not = if *negated { "not " } else { "" };
            format!("{} is {not}provisional", judgement.node)
        }
        Expectation::NoDeadline { name, item: i } => {
            format!("no deadline {}{}", name.node, item(i))
        }
        Expectation::Advisory { rule, item: i } => format!("advisory {}{}", rule.node, item(i)),
        Expectation::NoAdvisory { rule, item: i } => {
            format!("no advisory {}{}", rule.node, item(i))
        }
        Expectation::NoAdvisories => "no advisories".into(),
        Expectation::Undetermined { rule } => format!("undetermined {}", rule.node),
        Expectation::Bound { judgement, rule } => {
            format!("{} bound by {}", judgement.node, rule.node)
        }
        Expectation::Error { text } => format!("error {}", string(&text.node)),
    }
}
