//! The names of a rule file and of the definitions it uses: where each is
//! declared and where each is read, by span, found by walking the AST.
//! Hover, go to definition, find references, completion and the code
//! lenses all read this index.

use judgement_syntax::ast::{
    Absence, Assignment, BinaryOp, DeadlineWhen, Effect, Expectation, Expr, File, ForEach, IsTest,
    Item, Literal, TypeExpr, Value,
};
use judgement_syntax::{format_expr, Piece, Span, Spanned};
use std::collections::{HashMap, HashSet};

/// What a name is, for hover, completion and the way it is looked up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    Field,
    RecordField,
    Scale,
    Choice,
    Record,
    Value,
    Threshold,
    Let,
    Judgement,
    Need,
    Rule,
    Invalid,
    Example,
    Test,
    Var,
    Action,
    Finding,
    Deadline,
    Definitions,
    Calendar,
}

impl Kind {
    pub fn word(self) -> &'static str {
        match self {
            Kind::Field => "evidence field",
            Kind::RecordField => "record field",
            Kind::Scale => "scale",
            Kind::Choice => "choice",
            Kind::Record => "record",
            Kind::Value => "value",
            Kind::Threshold => "threshold",
            Kind::Let => "let",
            Kind::Judgement => "judgement",
            Kind::Need => "need",
            Kind::Rule => "rule",
            Kind::Invalid => "invalid check",
            Kind::Example => "example",
            Kind::Test => "test",
            Kind::Var => "element",
            Kind::Action => "action",
            Kind::Finding => "finding",
            Kind::Deadline => "deadline",
            Kind::Definitions => "definitions",
            Kind::Calendar => "calendar",
        }
    }
}

/// What a declaration and its references have in common: two spans with
/// the same key name the same thing.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Key {
    /// An evidence field, by its dotted path.
    Field(String),
    /// A field of a record: the record and the field.
    RecordField(String, String),
    /// A let, threshold, judgement or need: one namespace.
    Name(String),
    /// A scale, choice or record.
    Type(String),
    /// A value of a scale or choice: the type's name, then the value's
    /// (two types may share a value's name, `other` say; each is its own).
    Value(String, String),
    /// A rule or an invalid check.
    Rule(String),
    Example(String),
    Test(String),
    /// An element name of `for each`, a quantifier or an aggregate: the
    /// file and the offset of its declaration.
    Var(usize, usize),
    Action(String),
    Finding(String),
    Deadline(String),
    /// A definitions file, by the name `uses` gives it.
    Definitions(String),
    /// A calendar, by the name the header's `calendar` gives it.
    Calendar(String),
}

/// A span in one of the indexed files that declares or reads a name.
#[derive(Debug, Clone)]
pub struct Symbol {
    pub key: Key,
    pub file: usize,
    pub span: Span,
    pub decl: bool,
    /// For the declaration of a top-level item or a field, from its name to
    /// the end of the last thing it holds (a rule's last effect, a test's
    /// last expectation); otherwise the span.
    pub extent: Span,
}

/// A declaration: its kind, its name as written and what hover says of it.
#[derive(Debug, Clone)]
pub struct Decl {
    pub kind: Kind,
    pub name: String,
    /// For fields and judgements, the scale or choice of their values.
    pub of_type: Option<String>,
    /// Markdown for hover.
    pub detail: String,
}

#[derive(Debug, Clone, Default)]
pub struct Index {
    pub symbols: Vec<Symbol>,
    pub decls: HashMap<Key, Decl>,
    /// The values of each scale or choice, in order.
    pub values: HashMap<String, Vec<String>>,
}

const BUILT_IN: [&str; 7] = ["bool", "number", "text", "date", "datetime", "time", "days"];

impl Index {
    /// Index `files`: the document first, then the definitions it uses.
    pub fn build(files: &[&File]) -> Index {
        let mut b = Builder::default();
        for (i, file) in files.iter().enumerate() {
            b.types(i, file);
        }
        for (i, file) in files.iter().enumerate() {
            b.file(i, file);
        }
        b.finish()
    }

    /// The symbol of file `file` at byte `offset`: the narrowest whose span
    /// holds it (an offset at the end of a name still finds it).
    pub fn at(&self, file: usize, offset: usize) -> Option<&Symbol> {
        self.symbols
            .iter()
            .filter(|s| s.file == file && s.span.start <= offset && offset <= s.span.end)
            .min_by_key(|s| s.span.len())
    }

    pub fn declarations<'a>(&'a self, key: &'a Key) -> impl Iterator<Item = &'a Symbol> + 'a {
        self.symbols.iter().filter(move |s| s.decl && &s.key == key)
    }

    /// The tests of file `file`, by name and span, in order.
    pub fn tests(&self, file: usize) -> impl Iterator<Item = (&str, Span)> {
        self.symbols
            .iter()
            .filter(move |s| s.decl && s.file == file)
            .filter_map(|s| match &s.key {
                Key::Test(name) => Some((name.as_str(), s.span)),
                _ => None,
            })
    }
}

/// A reference whose meaning is known only once every file's declarations
/// are: a bare name may be a let, a judgement or a scale value.
struct Pending {
    text: String,
    file: usize,
    span: Span,
    /// The scale or choice a value read here is of, where the place says
    /// (the judgement a constraint bounds, the field a test assigns).
    of: Option<String>,
}

#[derive(Default)]
struct Builder {
    index: Index,
    pending: Vec<Pending>,
    /// Values named where a value is expected, resolved to their scale or
    /// choice once every file's are known.
    pending_values: Vec<Pending>,
    /// The type of each evidence field and of each record's fields.
    field_types: HashMap<String, TypeExpr>,
    record_fields: HashMap<(String, String), TypeExpr>,
    /// The scale of each judgement.
    judgement_types: HashMap<String, String>,
    /// While set, the scale or choice a bare name read as a value is of
    /// (a constraint's bound).
    value_of: Option<String>,
    /// The rule being walked, and the rules that give each action, finding
    /// and deadline.
    rule: Option<String>,
    givers: HashMap<Key, Vec<String>>,
}

/// A name in scope: an element of a list, and its record when known.
#[derive(Clone)]
struct Bound {
    name: String,
    key: Key,
    record: Option<String>,
}

impl Builder {
    /// The first pass: what each field holds, for the elements of lists.
    fn types(&mut self, _file: usize, file: &File) {
        for item in &file.items {
            match item {
                Item::Evidence(e) => {
                    for f in &e.fields {
                        self.field_types
                            .insert(f.path.node.to_string(), f.ty.node.clone());
                    }
                }
                Item::Record(r) => {
                    for f in &r.fields {
                        self.record_fields.insert(
                            (r.name.node.clone(), f.path.node.to_string()),
                            f.ty.node.clone(),
                        );
                    }
                }
                Item::Judgement(j) => {
                    self.judgement_types
                        .insert(j.name.node.clone(), j.scale.node.clone());
                }
                _ => {}
            }
        }
    }

    fn decl(&mut self, key: Key, file: usize, span: Span, decl: Decl) {
        self.index.symbols.push(Symbol {
            key: key.clone(),
            file,
            span,
            decl: true,
            extent: span,
        });
        self.index.decls.entry(key).or_insert(decl);
    }

    fn reference(&mut self, key: Key, file: usize, span: Span) {
        self.index.symbols.push(Symbol {
            key,
            file,
            span,
            decl: false,
            extent: span,
        });
    }

    fn file(&mut self, i: usize, file: &File) {
        let header = &file.header;
        if header.kind == judgement_syntax::ast::FileKind::Definitions {
            self.decl(
                Key::Definitions(header.name.node.clone()),
                i,
                header.name.span,
                Decl {
                    kind: Kind::Definitions,
                    name: header.name.node.clone(),
                    of_type: None,
                    detail: format!(
                        "**definitions** `{}`\n\n{}",
                        header.name.node, header.title.node
                    ),
                },
            );
        }
        for uses in &header.uses {
            self.reference(Key::Definitions(uses.node.clone()), i, uses.span);
        }
        for path in header.as_at.iter().chain(&header.evaluated_on) {
            self.pending.push(Pending {
                text: path.node.to_string(),
                file: i,
                span: path.span,
                of: None,
            });
        }
        for item in &file.items {
            self.item(i, item);
        }
    }

    fn item(&mut self, i: usize, item: &Item) {
        // The item's name is the first symbol it declares.
        let first = self.index.symbols.len();
        self.item_names(i, item);
        if let (Some(end), Some(symbol)) = (item_end(item), self.index.symbols.get_mut(first)) {
            if symbol.decl {
                symbol.extent = Span::new(symbol.span.start, end.max(symbol.span.end));
            }
        }
    }

    fn item_names(&mut self, i: usize, item: &Item) {
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
        let detail = format!("**{}** `{}`: `{ty}`\n\n{absent}", kind.word(), f.path.node);
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

    fn for_each(&mut self, i: usize, each: &ForEach, scope: &mut Vec<Bound>) {
        self.expr(i, &each.list, scope);
        let record = self.record_of(&each.list.node, scope);
        self.bind(i, &each.var, record, scope);
    }

    fn bind(
        &mut self,
        i: usize,
        var: &Spanned<String>,
        record: Option<String>,
        scope: &mut Vec<Bound>,
    ) {
        let key = Key::Var(i, var.span.start);
        let detail = match &record {
            Some(r) => format!("**element** `{}`: each `{r}` of the list in turn", var.node),
            None => format!(
                "**element** `{}`: each element of the list in turn",
                var.node
            ),
        };
        self.decl(
            key.clone(),
            i,
            var.span,
            Decl {
                kind: Kind::Var,
                name: var.node.clone(),
                of_type: None,
                detail,
            },
        );
        scope.push(Bound {
            name: var.node.clone(),
            key,
            record,
        });
    }

    /// The record of the elements of a list expression, when it is a
    /// declared list field (of the evidence or of an element in scope).
    fn record_of(&self, list: &Expr, scope: &[Bound]) -> Option<String> {
        let Expr::Path(path) = list else {
            return None;
        };
        let ty = match path.0.as_slice() {
            [first, rest @ ..] if !rest.is_empty() => {
                match scope.iter().rev().find(|b| &b.name == first) {
                    Some(bound) => self
                        .record_fields
                        .get(&(bound.record.clone()?, rest.join(".")))
                        .cloned(),
                    None => self.field_types.get(&path.to_string()).cloned(),
                }
            }
            _ => self.field_types.get(&path.to_string()).cloned(),
        };
        match ty {
            Some(TypeExpr::ListOf(r)) => Some(r),
            _ => None,
        }
    }

    fn expr(&mut self, i: usize, e: &Spanned<Expr>, scope: &mut Vec<Bound>) {
        match &e.node {
            Expr::Path(path) => self.path(i, path, e.span, scope),
            Expr::Quantified {
                over, condition, ..
            } => {
                self.expr(i, &over.list, scope);
                let record = self.record_of(&over.list.node, scope);
                let depth = scope.len();
                self.bind(i, &over.var, record, scope);
                self.expr(i, condition, scope);
                scope.truncate(depth);
            }
            Expr::Aggregate { kind, over, filter } => {
                self.expr(i, &over.list, scope);
                let record = self.record_of(&over.list.node, scope);
                let depth = scope.len();
                self.bind(i, &over.var, record, scope);
                for c in kind.children() {
                    self.expr(i, c, scope);
                }
                if let Some(f) = filter {
                    self.expr(i, f, scope);
                }
                scope.truncate(depth);
            }
            // `X = V`, `X != V`: a value named on one side is of the
            // scale or choice of the field, element's field or judgement
            // on the other.
            Expr::Binary {
                op: BinaryOp::Eq | BinaryOp::Ne,
                lhs,
                rhs,
            } => {
                let lhs_type = self.type_of(&lhs.node, scope);
                let rhs_type = self.type_of(&rhs.node, scope);
                self.side(i, lhs, rhs_type, scope);
                self.side(i, rhs, lhs_type, scope);
            }
            Expr::Is { expr, test, .. } => {
                self.expr(i, expr, scope);
                if let IsTest::Value(v) | IsTest::AtMost(v) | IsTest::AtLeast(v) = test {
                    let of = self.type_of(&expr.node, scope);
                    self.value_ref(of, &v.node, i, v.span);
                }
            }
            other => {
                for c in other.children() {
                    self.expr(i, c, scope);
                }
            }
        }
    }

    /// One side of `=` or `!=`: a name alone there, where it is a value,
    /// is of the type `of` (the other side's).
    fn side(&mut self, i: usize, e: &Spanned<Expr>, of: Option<String>, scope: &mut Vec<Bound>) {
        let of = of.filter(|_| matches!(e.node, Expr::Path(_)));
        let outer = std::mem::replace(&mut self.value_of, of);
        self.expr(i, e, scope);
        self.value_of = outer;
    }

    fn path(&mut self, i: usize, path: &judgement_syntax::ast::Path, span: Span, scope: &[Bound]) {
        let Some(first) = path.0.first() else {
            return;
        };
        if let Some(bound) = scope.iter().rev().find(|b| &b.name == first) {
            let end = span.start + first.len();
            self.reference(bound.key.clone(), i, Span::new(span.start, end));
            let rest = path.0.get(1..).unwrap_or_default().join(".");
            if let (Some(record), false) = (&bound.record, rest.is_empty()) {
                self.reference(
                    Key::RecordField(record.clone(), rest),
                    i,
                    Span::new((end + 1).min(span.end), span.end),
                );
            }
            return;
        }
        self.pending.push(Pending {
            text: path.to_string(),
            file: i,
            span,
            of: self.value_of.clone(),
        });
    }

    /// A value named at `span`, of the scale or choice `of` where the place
    /// says: resolved once every file's types are known.
    fn value_ref(&mut self, of: Option<String>, value: &str, file: usize, span: Span) {
        self.pending_values.push(Pending {
            text: value.to_string(),
            file,
            span,
            of,
        });
    }

    /// The scale or choice of the values an expression holds, where it is a
    /// field, a field of an element in scope, or a judgement.
    fn type_of(&self, e: &Expr, scope: &[Bound]) -> Option<String> {
        let Expr::Path(path) = e else {
            return None;
        };
        let named = |t: &TypeExpr| match t {
            TypeExpr::Named(t) => Some(t.clone()),
            TypeExpr::ListOf(_) => None,
        };
        let first = path.0.first()?;
        if let Some(bound) = scope.iter().rev().find(|b| &b.name == first) {
            let rest = path.0.get(1..)?.join(".");
            let record = bound.record.clone()?;
            return self.record_fields.get(&(record, rest)).and_then(named);
        }
        let text = path.to_string();
        match self.field_types.get(&text) {
            Some(t) => named(t),
            None => self.judgement_types.get(&text).cloned(),
        }
    }

    fn effect(&mut self, i: usize, effect: &Effect, scope: &mut Vec<Bound>) {
        match effect {
            Effect::Constrain {
                judgement, value, ..
            } => {
                self.reference(Key::Name(judgement.node.clone()), i, judgement.span);
                self.value_of = self.judgement_types.get(&judgement.node).cloned();
                self.expr(i, value, scope);
                self.value_of = None;
            }
            Effect::Action { name, label, due } => {
                self.outcome(i, name, Kind::Action);
                if let Some(label) = label {
                    self.message(i, label, scope);
                }
                if let Some(due) = due {
                    self.expr(i, due, scope);
                }
            }
            Effect::Finding { name, message } => {
                self.outcome(i, name, Kind::Finding);
                if let Some(message) = message {
                    self.message(i, message, scope);
                }
            }
            Effect::Deadline {
                name,
                when,
                target,
                met,
                ..
            } => {
                self.outcome(i, name, Kind::Deadline);
                match when {
                    DeadlineWhen::On(e) => self.expr(i, e, scope),
                    DeadlineWhen::Window { from, to } => {
                        self.expr(i, from, scope);
                        self.expr(i, to, scope);
                    }
                }
                if let Some(t) = target {
                    self.expr(i, t, scope);
                }
                if let Some(m) = met {
                    self.expr(i, m, scope);
                }
            }
            Effect::Withhold {
                judgement: Some(judgement),
            } => {
                self.reference(Key::Name(judgement.node.clone()), i, judgement.span);
            }
            Effect::Advise { message } => self.message(i, message, scope),
            Effect::Withhold { judgement: None } => {}
            Effect::Likely {
                judgement, value, ..
            } => {
                self.reference(Key::Name(judgement.node.clone()), i, judgement.span);
                let of = self.judgement_types.get(&judgement.node).cloned();
                self.value_ref(of, &value.node, i, value.span);
            }
        }
    }

    /// The names a message's `{name}` parts read, each as a path in an
    /// expression is. A part whose place in the source is not known (its
    /// span is not the name's length) is left out.
    fn message(&mut self, i: usize, text: &Spanned<String>, scope: &[Bound]) {
        for piece in judgement_syntax::message_pieces(text) {
            if let Piece::Value {
                name, name_span, ..
            } = piece
            {
                if name.is_empty() || name_span.len() != name.len() {
                    continue;
                }
                let path =
                    judgement_syntax::ast::Path(name.split('.').map(str::to_string).collect());
                self.path(i, &path, name_span, scope);
            }
        }
    }

    /// An action, finding or deadline a rule gives: each rule that gives it
    /// declares it.
    fn outcome(&mut self, i: usize, name: &Spanned<String>, kind: Kind) {
        let key = outcome_key(kind, &name.node);
        if let Some(rule) = &self.rule {
            let givers = self.givers.entry(key.clone()).or_default();
            if !givers.contains(rule) {
                givers.push(rule.clone());
            }
        }
        self.decl(
            key,
            i,
            name.span,
            Decl {
                kind,
                name: name.node.clone(),
                of_type: None,
                detail: format!("**{}** `{}`", kind.word(), name.node),
            },
        );
    }

    fn assignments(&mut self, i: usize, assignments: &[Assignment]) {
        for a in assignments {
            let path = a.path.node.to_string();
            let ty = self.field_types.get(&path).cloned();
            self.pending.push(Pending {
                text: path,
                file: i,
                span: a.path.span,
                of: None,
            });
            self.value(i, &a.value, ty.as_ref());
        }
    }

    /// A value a test or example writes, of the type `ty` where it is
    /// known: a value's name is a read of its scale or choice (or, in a
    /// list, of the list's), and each field a record in a list sets is a
    /// read of the record's field, its value read in turn.
    fn value(&mut self, i: usize, value: &Spanned<Value>, ty: Option<&TypeExpr>) {
        let named = ty.map(|t| match t {
            TypeExpr::Named(n) | TypeExpr::ListOf(n) => n.clone(),
        });
        match &value.node {
            Value::Name(v) => self.value_ref(named, v, i, value.span),
            Value::List(values) => {
                for v in values {
                    self.value(i, v, ty);
                }
            }
            Value::Record(fields) => {
                for a in fields {
                    let field = a.path.node.to_string();
                    let record_field = named.clone().map(|record| (record, field));
                    let field_ty = record_field
                        .as_ref()
                        .and_then(|key| self.record_fields.get(key))
                        .cloned();
                    if let (Some((record, field)), Some(_)) = (record_field, &field_ty) {
                        self.reference(Key::RecordField(record, field), i, a.path.span);
                    }
                    self.value(i, &a.value, field_ty.as_ref());
                }
            }
            _ => {}
        }
    }

    fn expectation(&mut self, i: usize, e: &Expectation) {
        let name = |n: &Spanned<String>| (Key::Name(n.node.clone()), n.span);
        let rule = |n: &Spanned<String>| (Key::Rule(n.node.clone()), n.span);
        // An action, deadline or finding, and the rule of `from rule R`.
        let given = |kind: Kind, n: &Spanned<String>, r: &Option<Spanned<String>>| {
            let mut refs = vec![(outcome_key(kind, &n.node), n.span)];
            refs.extend(r.as_ref().map(rule));
            refs
        };
        let refs: Vec<(Key, Span)> = match e {
            Expectation::Judgement { name: j, value } => {
                if let Some(v) = value {
                    let of = self.judgement_types.get(&j.node).cloned();
                    self.value_ref(of, &v.node, i, v.span);
                }
                vec![name(j)]
            }
            Expectation::Action {
                name: n, rule: r, ..
            }
            | Expectation::NoAction {
                name: n, rule: r, ..
            } => given(Kind::Action, n, r),
            Expectation::Deadline {
                name: n, rule: r, ..
            }
            | Expectation::NoDeadline {
                name: n, rule: r, ..
            } => given(Kind::Deadline, n, r),
            Expectation::Finding {
                name: n, rule: r, ..
            }
            | Expectation::NoFinding {
                name: n, rule: r, ..
            } => given(Kind::Finding, n, r),
            Expectation::Provisional { judgement, .. } => vec![name(judgement)],
            Expectation::Advisory { rule: r, .. }
            | Expectation::NoAdvisory { rule: r, .. }
            | Expectation::Undetermined { rule: r } => vec![rule(r)],
            Expectation::Bound { judgement, rule: r } => vec![name(judgement), rule(r)],
            Expectation::NoJudgement
            | Expectation::NoActions
            | Expectation::NoFindings
            | Expectation::NoAdvisories
            | Expectation::Error { .. } => Vec::new(),
        };
        for (key, span) in refs {
            self.reference(key, i, span);
        }
    }

    /// Resolve the bare names and paths now that every declaration is
    /// known: a let, threshold, judgement or need first, then a value, then
    /// a field; a name that is none of these is left out.
    fn finish(mut self) -> Index {
        for (key, rules) in std::mem::take(&mut self.givers) {
            if let Some(decl) = self.index.decls.get_mut(&key) {
                let rules: Vec<String> = rules.iter().map(|r| format!("`{r}`")).collect();
                decl.detail
                    .push_str(&format!("\n\ngiven by {}", rules.join(", ")));
            }
        }
        let names: HashSet<Key> = self.index.decls.keys().cloned().collect();
        // The scales and choices that declare each value name, in the order
        // they are declared.
        let mut types_of: HashMap<String, Vec<String>> = HashMap::new();
        for symbol in self.index.symbols.iter().filter(|s| s.decl) {
            if let Key::Value(ty, value) = &symbol.key {
                let types = types_of.entry(value.clone()).or_default();
                if !types.contains(ty) {
                    types.push(ty.clone());
                }
            }
        }
        // A value is of the type its place says where that type has it;
        // else of the one type that has it; where several do and the place
        // does not say (a let's value, say), of each.
        let values = |p: &Pending| -> Vec<Key> {
            let Some(types) = types_of.get(&p.text) else {
                return Vec::new();
            };
            match &p.of {
                Some(of) if types.contains(of) => vec![Key::Value(of.clone(), p.text.clone())],
                _ => types
                    .iter()
                    .map(|t| Key::Value(t.clone(), p.text.clone()))
                    .collect(),
            }
        };
        for p in std::mem::take(&mut self.pending_values) {
            for key in values(&p) {
                self.reference(key, p.file, p.span);
            }
        }
        for p in std::mem::take(&mut self.pending) {
            let single = !p.text.contains('.');
            let keys = if single && names.contains(&Key::Name(p.text.clone())) {
                vec![Key::Name(p.text.clone())]
            } else if single && types_of.contains_key(&p.text) {
                values(&p)
            } else if names.contains(&Key::Field(p.text.clone())) {
                vec![Key::Field(p.text.clone())]
            } else {
                Vec::new()
            };
            for key in keys {
                self.reference(key, p.file, p.span);
            }
        }
        self.index
    }
}

/// Where an item's declaration ends: the end of the last thing it holds.
/// None for the evidence, which declares only its fields.
fn item_end(item: &Item) -> Option<usize> {
    let spans: Vec<Span> = match item {
        Item::Scale(s) => s.values.iter().map(|v| v.span).collect(),
        Item::Choice(c) => c.values.iter().map(|v| v.span).collect(),
        Item::Record(r) => r.fields.iter().map(field_end).collect(),
        Item::Evidence(_) => return None,
        Item::Threshold(t) => vec![t.value.span],
        Item::Let(l) => vec![l.value.span],
        Item::Judgement(j) => {
            let mut spans = vec![j.scale.span, j.from.span];
            spans.extend(j.applies_when.iter().map(|w| w.span));
            spans
        }
        Item::Needs(n) => vec![n.ty.span],
        Item::Rule(r) => {
            let mut spans: Vec<Span> = r.citation.iter().chain(&r.quote).map(|s| s.span).collect();
            spans.extend(r.notes.iter().map(|n| n.span));
            spans.extend(r.for_each.iter().map(|e| e.list.span));
            spans.extend(r.when.iter().map(|w| w.span));
            spans.extend(r.effects.iter().map(|e| e.span));
            spans
        }
        Item::Invalid(v) => {
            let mut spans = vec![v.message.span, v.when.span];
            spans.extend(v.for_each.iter().map(|e| e.list.span));
            spans
        }
        Item::Example(e) => e.assignments.iter().map(|a| a.value.span).collect(),
        Item::Test(t) => {
            let mut spans: Vec<Span> = t.example.iter().map(|e| e.span).collect();
            spans.extend(t.assignments.iter().map(|a| a.value.span));
            spans.extend(t.expectations.iter().map(|e| e.span));
            spans
        }
    };
    spans.iter().map(|s| s.end).max()
}

/// The span of a field's type and absence, its last parts.
fn field_end(f: &judgement_syntax::ast::FieldDecl) -> Span {
    match &f.absence {
        Some(absence) => f.ty.span.join(absence.span),
        None => f.ty.span,
    }
}

fn outcome_key(kind: Kind, name: &str) -> Key {
    match kind {
        Kind::Finding => Key::Finding(name.to_string()),
        Kind::Deadline => Key::Deadline(name.to_string()),
        _ => Key::Action(name.to_string()),
    }
}

fn literal(value: &Literal) -> String {
    format_expr(&Expr::Literal(value.clone()))
}

/// A threshold's hover: its value as written, and in days where it is a
/// fixed number of days.
fn threshold_detail(name: &str, value: &Expr) -> String {
    let written = format_expr(value);
    let days = match value {
        Expr::Literal(Literal::Duration { amount, unit }) => match unit {
            judgement_syntax::ast::Unit::Days => Some(days(*amount)),
            judgement_syntax::ast::Unit::Weeks => amount
                .checked_mul(7)
                .map(|d| format!("{} ({amount} \u{d7} 7)", days(d))),
            judgement_syntax::ast::Unit::WorkingDays => Some(
                "working days: Mondays to Fridays that are not holidays of the ruleset's calendar"
                    .to_string(),
            ),
            judgement_syntax::ast::Unit::Months | judgement_syntax::ast::Unit::Years => {
                Some("calendar months, added to a date: not a fixed number of days".to_string())
            }
        },
        _ => None,
    };
    match days {
        Some(days) => format!("**threshold** `{name}` = `{written}`\n\n{days}"),
        None => format!("**threshold** `{name}` = `{written}`"),
    }
}

fn days(n: i64) -> String {
    match n {
        1 => "1 day".to_string(),
        n => format!("{n} days"),
    }
}
