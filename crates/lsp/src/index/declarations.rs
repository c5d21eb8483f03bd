//! The index's walk of what a file declares: scales, choices, records and
//! their fields, the evidence, thresholds, lets, judgements, needs, rules,
//! `invalid` checks, examples and tests, each by the name it declares, and
//! the types they name.

use super::{field_end, literal, threshold_detail, Builder, Decl, Key, Kind, Pending, BUILT_IN};
use judgement_syntax::ast::{Absence, Item, Literal, TypeExpr};
use judgement_syntax::{format_expr, Span, Spanned};

impl Builder {
    pub(super) fn item_names(&mut self, i: usize, item: &Item) {
        match item {
            Item::Scale(s) => self.scale(i, &s.name, &s.values, Kind::Scale),
            Item::Choice(c) => self.scale(i, &c.name, &c.values, Kind::Choice),
            Item::Record(r) => {
                let fields: Vec<String> =
                    r.fields.iter().map(|f| f.path.node.to_string()).collect();
                self.decl(
                    Key::Type(r.name.node.clone()),
                    i,
                    r.name.span,
                    Decl {
                        kind: Kind::Record,
                        name: r.name.node.clone(),
                        of_type: None,
                        detail: format!(
                            "**record** `{}`\n\nfields: {}",
                            r.name.node,
                            fields.join(", ")
                        ),
                    },
                );
                for f in &r.fields {
                    let key = Key::RecordField(r.name.node.clone(), f.path.node.to_string());
                    self.field(i, key, Kind::RecordField, f);
                }
            }
            Item::Evidence(e) => {
                for f in &e.fields {
                    self.field(i, Key::Field(f.path.node.to_string()), Kind::Field, f);
                }
            }
            Item::Threshold(t) => {
                let detail = threshold_detail(&t.name.node, &t.value.node);
                self.named(i, &t.name, Kind::Threshold, None, detail);
                self.expr(i, &t.value, &mut Vec::new());
            }
            Item::Let(l) => {
                let detail = format!(
                    "**let** `{}`\n\n```judgement\nlet {} = {}\n```",
                    l.name.node,
                    l.name.node,
                    format_expr(&l.value.node)
                );
                self.named(i, &l.name, Kind::Let, None, detail);
                self.expr(i, &l.value, &mut Vec::new());
            }
            Item::Judgement(j) => {
                let mut detail = format!(
                    "**judgement** `{}`: `{}`, proposed by `{}`",
                    j.name.node, j.scale.node, j.from.node
                );
                if let Some(when) = &j.applies_when {
                    detail.push_str(&format!("\n\nmade only when `{}`", format_expr(&when.node)));
                }
                self.named(
                    i,
                    &j.name,
                    Kind::Judgement,
                    Some(j.scale.node.clone()),
                    detail,
                );
                self.reference(Key::Type(j.scale.node.clone()), i, j.scale.span);
                self.pending.push(Pending {
                    text: j.from.node.to_string(),
                    file: i,
                    span: j.from.span,
                    of: None,
                });
                if let Some(when) = &j.applies_when {
                    self.expr(i, when, &mut Vec::new());
                }
            }
            Item::Needs(n) => {
                let (ty, of_type) = match &n.ty.node {
                    TypeExpr::Named(t) => (t.clone(), Some(t.clone())),
                    TypeExpr::ListOf(t) => (format!("list of {t}"), None),
                };
                let what = if n.judgement {
                    "a judgement"
                } else {
                    "a let, threshold or judgement"
                };
                let detail = format!(
                    "**need** `{}`: `{ty}`\n\nEach ruleset that uses these definitions provides it as {what}.",
                    n.name.node
                );
                self.named(i, &n.name, Kind::Need, of_type, detail);
                self.type_ref(i, &n.ty);
            }
            Item::Rule(r) => {
                let mut detail = format!("**rule** `{}`", r.id.node);
                if let Some(cite) = &r.citation {
                    detail.push_str(&format!(" \u{2014} {}", cite.node));
                }
                if let Some(quote) = &r.quote {
                    detail.push_str(&format!("\n\n> {}", quote.node));
                }
                for note in &r.notes {
                    detail.push_str(&format!("\n\n*Note:* {}", note.node));
                }
                self.decl(
                    Key::Rule(r.id.node.clone()),
                    i,
                    r.id.span,
                    Decl {
                        kind: Kind::Rule,
                        name: r.id.node.clone(),
                        of_type: None,
                        detail,
                    },
                );
                let mut scope = Vec::new();
                if let Some(each) = &r.for_each {
                    self.for_each(i, each, &mut scope);
                }
                if let Some(when) = &r.when {
                    self.expr(i, when, &mut scope);
                }
                self.rule = Some(r.id.node.clone());
                for effect in &r.effects {
                    self.effect(i, &effect.node, &mut scope);
                }
                self.rule = None;
            }
            Item::Invalid(v) => {
                self.decl(
                    Key::Rule(v.id.node.clone()),
                    i,
                    v.id.span,
                    Decl {
                        kind: Kind::Invalid,
                        name: v.id.node.clone(),
                        of_type: None,
                        detail: format!(
                            "**invalid** `{}`: evidence refused with \"{}\"",
                            v.id.node, v.message.node
                        ),
                    },
                );
                let mut scope = Vec::new();
                if let Some(each) = &v.for_each {
                    self.for_each(i, each, &mut scope);
                }
                self.message(i, &v.message, &scope);
                self.expr(i, &v.when, &mut scope);
            }
            Item::Example(e) => {
                self.decl(
                    Key::Example(e.name.node.clone()),
                    i,
                    e.name.span,
                    Decl {
                        kind: Kind::Example,
                        name: e.name.node.clone(),
                        of_type: None,
                        detail: format!("**example** `{}`", e.name.node),
                    },
                );
                self.assignments(i, &e.assignments);
            }
            Item::Test(t) => {
                self.decl(
                    Key::Test(t.name.node.clone()),
                    i,
                    t.name.span,
                    Decl {
                        kind: Kind::Test,
                        name: t.name.node.clone(),
                        of_type: None,
                        detail: format!("**test** \"{}\"", t.name.node),
                    },
                );
                if let Some(example) = &t.example {
                    self.reference(Key::Example(example.node.clone()), i, example.span);
                }
                self.assignments(i, &t.assignments);
                for e in &t.expectations {
                    self.expectation(i, &e.node);
                }
            }
        }
    }

    fn scale(&mut self, i: usize, name: &Spanned<String>, values: &[Spanned<String>], kind: Kind) {
        let list: Vec<String> = values.iter().map(|v| v.node.clone()).collect();
        let shown = match kind {
            Kind::Scale => list.join(" > "),
            _ => list.join(" | "),
        };
        let order = match kind {
            Kind::Scale => ", best first",
            _ => "",
        };
        self.decl(
            Key::Type(name.node.clone()),
            i,
            name.span,
            Decl {
                kind,
                name: name.node.clone(),
                of_type: None,
                detail: format!("**{}** `{}`{order}\n\n`{shown}`", kind.word(), name.node),
            },
        );
        let count = values.len();
        for (n, v) in values.iter().enumerate() {
            let place = match kind {
                Kind::Scale => format!(" ({} of {count}, best first)", n + 1),
                _ => String::new(),
            };
            self.decl(
                Key::Value(name.node.clone(), v.node.clone()),
                i,
                v.span,
                Decl {
                    kind: Kind::Value,
                    name: v.node.clone(),
                    of_type: Some(name.node.clone()),
                    detail: format!(
                        "**value** `{}` of the {} `{}`{place}",
                        v.node,
                        kind.word(),
                        name.node
                    ),
                },
            );
        }
        self.index.values.entry(name.node.clone()).or_insert(list);
    }

    fn field(&mut self, i: usize, key: Key, kind: Kind, f: &judgement_syntax::ast::FieldDecl) {
        let (ty, of_type) = match &f.ty.node {
            TypeExpr::Named(t) => (t.clone(), Some(t.clone())),
            TypeExpr::ListOf(t) => (format!("list of {t}"), None),
        };
        let absent = match f.absence.as_ref().map(|a| &a.node) {
            None => "Required: a record without it is refused.".to_string(),
            Some(Absence::None) => {
                "`or none`: absent or `null` reads as none; test it with `is set` before comparing it."
                    .to_string()
            }
            Some(Absence::Unknown) => {
                "`or unknown`: absent reads as not known; a hard rule that needs it is undetermined."
                    .to_string()
            }
            Some(Absence::Empty) => "`default empty`: absent reads as an empty list.".to_string(),
            Some(Absence::Default(value)) => {
                format!("`default {}`: absent reads as that value.", literal(value))
            }
        };
        let mut detail = format!("**{}** `{}`: `{ty}`\n\n{absent}", kind.word(), f.path.node);
        // What the file's comment says of it, as the evidence schema gives it.
        if let Some(comment) = &f.comment.0 {
            detail.push_str(&format!("\n\n{comment}"));
        }
        let default_of = of_type.clone();
        let at = self.index.symbols.len();
        self.decl(
            key,
            i,
            f.path.span,
            Decl {
                kind,
                name: f.path.node.to_string(),
                of_type,
                detail,
            },
        );
        if let Some(symbol) = self.index.symbols.get_mut(at) {
            symbol.extent = f.path.span.join(field_end(f));
        }
        self.type_ref(i, &f.ty);
        if let Some(Spanned {
            node: Absence::Default(Literal::Name(v)),
            span,
        }) = &f.absence
        {
            let start = span.end.saturating_sub(v.len());
            self.value_ref(default_of, v, i, Span::new(start, span.end));
        }
    }

    fn type_ref(&mut self, i: usize, ty: &Spanned<TypeExpr>) {
        let name = match &ty.node {
            TypeExpr::Named(t) | TypeExpr::ListOf(t) => t,
        };
        if BUILT_IN.contains(&name.as_str()) {
            return;
        }
        let start = ty.span.end.saturating_sub(name.len());
        self.reference(Key::Type(name.clone()), i, Span::new(start, ty.span.end));
    }

    /// A let, threshold, judgement or need.
    fn named(
        &mut self,
        i: usize,
        name: &Spanned<String>,
        kind: Kind,
        of_type: Option<String>,
        detail: String,
    ) {
        let key = Key::Name(name.node.clone());
        // A need and the ruleset's declaration that provides it share a key:
        // hover shows the ruleset's.
        if kind != Kind::Need {
            self.index.decls.remove(&key);
        }
        self.decl(
            key,
            i,
            name.span,
            Decl {
                kind,
                name: name.node.clone(),
                of_type,
                detail,
            },
        );
    }
}
