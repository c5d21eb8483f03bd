//! The names of a rule file and of the definitions it uses: where each is
//! declared and where each is read, by span, found by walking the AST.
//! Hover, go to definition, find references, completion and the code
//! lenses all read this index.

use judgement_syntax::ast::{Expr, File, Item, Literal, TypeExpr};
use judgement_syntax::{format_expr, Span};
use std::collections::{HashMap, HashSet};

mod declarations;
mod effects;
mod expressions;

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
    /// For fields and judgements, the scale or choice of their values; for
    /// an element a `for each` or quantifier binds, the record of the
    /// list's elements.
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
