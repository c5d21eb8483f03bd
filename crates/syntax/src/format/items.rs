//! The declarations of a file, a line per clause: the header, scales and
//! choices, records and evidence, thresholds, lets, judgements, rules,
//! `invalid` checks, examples and tests.

use super::expr::{expr, for_each};
use super::text::{absence, assignments_inline, effect, expectation, string, type_expr, value};
use super::{Printer, WIDTH};
use crate::ast::*;

impl Printer<'_> {
    pub(super) fn file(&mut self, f: &File) {
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
        self.line(fe.var.span.join(fe.list.span), 2, &for_each(fe));
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
        // Without an example, the line is the keyword alone: a comment
        // after it, above the first assignment, stays there.
        let keyword = match t.example {
            Some(_) => None,
            None => self.next_word(t.name.span.end, "given"),
        };
        let end = t.assignments.last().map_or(start, |a| a.value.span);
        let with = match (&t.example, t.assignments.is_empty()) {
            (Some(e), false) => self.next_word(e.span.end, "with"),
            _ => None,
        };
        // A comment among the assignments (after `given`, or after `with`)
        // speaks of the one beside it: they stay one a line, so that it
        // stays there, rather than joined onto one line with the comment
        // moved above `given`. One before `with` moves above `given`, as
        // it would from the one line.
        let from = match (with, &t.example, keyword) {
            (Some(w), _, _) => w.end,
            (None, Some(e), _) => e.span.end,
            (None, None, Some(k)) => k.end,
            (None, None, None) => start.start,
        };
        let commented = self.comment_within(from, end.end);
        if t.assignments.is_empty() {
            self.line(start, 2, &given);
        } else if given.len() + inline.len() + 3 <= WIDTH && !inline.contains('\n') && !commented {
            self.line(start.join(end), 2, &format!("{given} {inline}"));
        } else {
            // The line runs to `with`, so that a comment after `with` stays
            // at the end of it: taken as the first assignment's, it would end
            // that line, and the next run would join them onto one.
            let lead = keyword.or_else(|| with.map(|w| start.join(w)));
            self.line(lead.unwrap_or(start), 2, &given);
            self.assignment_lines(&t.assignments, 4);
        }
        for e in &t.expectations {
            self.line(e.span, 2, &format!("expect {}", expectation(&e.node)));
        }
    }

    /// One assignment a line, each but the last followed by a comma.
    fn assignment_lines(&mut self, assignments: &[Assignment], indent: usize) {
        for (i, a) in assignments.iter().enumerate() {
            let last = i + 1 == assignments.len();
            let comma = if last { "" } else { "," };
            let value = value(&a.value.node, indent);
            // The line runs to its comma, wherever that stands, so that a
            // comment after the comma ends this line rather than the next.
            let mut span = a.path.span.join(a.value.span);
            if !last {
                if let Some(c) = self.next_word(a.value.span.end, ",") {
                    span = span.join(c);
                }
            }
            self.line(span, indent, &format!("{} = {value}{comma}", a.path.node));
        }
    }
}
