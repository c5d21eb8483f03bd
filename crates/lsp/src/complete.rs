//! Completion of declared names. What is offered depends on the words
//! before the cursor: after `is` (or `at most`, `at least`, or `=` after a
//! judgement) the values of the scale in question; after `then` the
//! judgements and the effects; after `bound by`, `from rule` (an
//! expectation's), `advisory` or `undetermined` the rules; after `action`, `finding` or `deadline` those
//! the rules give; after `expect` the judgements and the expectations;
//! after `x.`, where `x` is an element bound by `for each` or a quantifier,
//! the fields of its record; elsewhere the fields, lets, thresholds and
//! judgements that an expression may read. Nothing is offered in a comment
//! or a string.

use crate::documents::Document;
use crate::index::{Index, Key, Kind};
use lsp_types::{
    CompletionItem, CompletionItemKind, CompletionTextEdit, Documentation, MarkupContent,
    MarkupKind, Position, Range, TextEdit,
};

/// What the cursor follows.
#[derive(Debug, PartialEq)]
enum Place {
    /// A value of this scale (or of any, when not known).
    Value(Option<String>),
    /// After `then`: a judgement, or an effect's keyword.
    Effect,
    /// After `then no`: a judgement to withhold, or `judgement` (all).
    Withheld,
    /// A rule id.
    Rule,
    /// A declared type (after `:` in a declaration, or `list of`).
    Type,
    /// An action, finding or deadline that the rules give (in a test's
    /// `expect`, or a rule's `then`).
    Outcome(Kind),
    /// The start of an expectation: a judgement, or an expectation's word.
    Expectation,
    /// Anything an expression reads.
    Expression,
}

const IS_TESTS: [&str; 5] = ["set", "none", "known", "unknown", "empty"];
const EFFECTS: [&str; 4] = ["action", "finding", "deadline", "no judgement"];
const EXPECTATIONS: [&str; 15] = [
    "action",
    "finding",
    "deadline",
    "advisory",
    "undetermined",
    "error",
    "no judgement",
    "no actions",
    "no findings",
    "no advisories",
    "no action",
    "no finding",
    "no deadline",
    "no advisory",
    "no undetermined",
];
const BUILT_IN: [&str; 7] = ["bool", "number", "text", "date", "datetime", "time", "days"];

pub fn complete(doc: &Document, position: Position) -> Vec<CompletionItem> {
    let Some(indexed) = doc.indexed() else {
        return Vec::new();
    };
    let index = &indexed.index;
    let offset = doc.lines.offset(&doc.text, position);
    // A comment, or the words of a quote, note, message or test's name:
    // prose, where no name is offered.
    if judgement_syntax::in_comment_or_string(&doc.text, offset) {
        return Vec::new();
    }
    let before = doc.text.get(..offset).unwrap_or("");
    // The word being typed, dots and all: it is what an item replaces.
    let typed = before
        .chars()
        .rev()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '.')
        .map(char::len_utf8)
        .sum::<usize>();
    let start = offset - typed;
    // To the position as the text has it: one past the end of a line or
    // of the text is where the line or the text ends.
    let replace = Range::new(
        doc.lines.position(&doc.text, start),
        doc.lines.position(&doc.text, offset),
    );
    let words: Vec<&str> = before
        .get(..start)
        .unwrap_or("")
        .split_whitespace()
        .rev()
        .take(4)
        .collect();
    let place = place(&words, index);
    let mut items = Vec::new();
    let mut push = |label: String, kind: CompletionItemKind, detail: String| {
        items.push(CompletionItem {
            label: label.clone(),
            kind: Some(kind),
            detail: Some(detail),
            text_edit: Some(CompletionTextEdit::Edit(TextEdit::new(replace, label))),
            ..CompletionItem::default()
        });
    };
    match place {
        Place::Value(scale) => {
            for (name, values) in &index.values {
                if scale.as_ref().is_some_and(|s| s != name) {
                    continue;
                }
                for v in values {
                    push(
                        v.clone(),
                        CompletionItemKind::ENUM_MEMBER,
                        format!("value of `{name}`"),
                    );
                }
            }
            if words.first().is_some_and(|w| *w == "is" || *w == "not") {
                for t in IS_TESTS {
                    push(
                        t.to_string(),
                        CompletionItemKind::KEYWORD,
                        format!("is {t}"),
                    );
                }
            }
        }
        Place::Effect => {
            for (label, kind, detail) in declared(index, &[Kind::Judgement]) {
                push(label, kind, detail);
            }
            for e in EFFECTS {
                push(
                    e.to_string(),
                    CompletionItemKind::KEYWORD,
                    "an effect".to_string(),
                );
            }
        }
        Place::Withheld => {
            for (label, kind, detail) in declared(index, &[Kind::Judgement, Kind::Need]) {
                push(label, kind, detail);
            }
            push(
                "judgement".to_string(),
                CompletionItemKind::KEYWORD,
                "every judgement withheld".to_string(),
            );
        }
        Place::Rule => {
            for (label, kind, detail) in declared(index, &[Kind::Rule]) {
                push(label, kind, detail);
            }
        }
        Place::Type => {
            for t in BUILT_IN {
                push(
                    t.to_string(),
                    CompletionItemKind::TYPE_PARAMETER,
                    "built-in type".to_string(),
                );
            }
            for (label, kind, detail) in declared(index, &[Kind::Scale, Kind::Choice, Kind::Record])
            {
                push(label, kind, detail);
            }
        }
        Place::Outcome(kind) => {
            for (label, kind, detail) in declared(index, &[kind]) {
                push(label, kind, detail);
            }
        }
        Place::Expectation => {
            for (label, kind, detail) in declared(index, &[Kind::Judgement]) {
                push(label, kind, detail);
            }
            for e in EXPECTATIONS {
                push(
                    e.to_string(),
                    CompletionItemKind::KEYWORD,
                    "an expectation".to_string(),
                );
            }
        }
        Place::Expression => {
            match element_fields(index, before.get(start..).unwrap_or(""), start) {
                Some(fields) => {
                    for (label, detail) in fields {
                        push(label, CompletionItemKind::FIELD, detail);
                    }
                }
                None => {
                    let kinds = [
                        Kind::Field,
                        Kind::Let,
                        Kind::Threshold,
                        Kind::Judgement,
                        Kind::Need,
                    ];
                    for (label, kind, detail) in declared(index, &kinds) {
                        push(label, kind, detail);
                    }
                }
            }
        }
    }
    items.sort_by(|a, b| a.label.cmp(&b.label));
    items.dedup_by(|a, b| a.label == b.label);
    documented(index, &mut items);
    items
}

/// Each item that names one declaration documented with what hover says
/// of it (a field's type, what its absence means and its comment; a rule's
/// citation and quote), shown beside the list as the author chooses.
fn documented(index: &Index, items: &mut [CompletionItem]) {
    let mut said: std::collections::HashMap<&str, Vec<(CompletionItemKind, &str)>> =
        std::collections::HashMap::new();
    for d in index.decls.values() {
        said.entry(d.name.as_str())
            .or_default()
            .push((item_kind(d.kind), d.detail.as_str()));
    }
    for item in items {
        // Only a name that is one declaration of its kind: the fields of
        // two records may share a name (`x.id`), and the other's would mislead.
        let mut of_kind = said
            .get(item.label.as_str())
            .into_iter()
            .flatten()
            .filter(|(kind, _)| Some(*kind) == item.kind);
        if let (Some((_, detail)), None) = (of_kind.next(), of_kind.next()) {
            item.documentation = Some(Documentation::MarkupContent(MarkupContent {
                kind: MarkupKind::Markdown,
                value: (*detail).to_string(),
            }));
        }
    }
}

/// The kind of completion item a declaration is offered as.
fn item_kind(kind: Kind) -> CompletionItemKind {
    match kind {
        Kind::Field | Kind::RecordField => CompletionItemKind::FIELD,
        Kind::Let => CompletionItemKind::VARIABLE,
        Kind::Threshold => CompletionItemKind::CONSTANT,
        Kind::Judgement | Kind::Need => CompletionItemKind::PROPERTY,
        Kind::Rule | Kind::Invalid => CompletionItemKind::FUNCTION,
        Kind::Scale | Kind::Choice => CompletionItemKind::ENUM,
        Kind::Record => CompletionItemKind::STRUCT,
        Kind::Action | Kind::Finding | Kind::Deadline => CompletionItemKind::EVENT,
        _ => CompletionItemKind::TEXT,
    }
}

fn place(words: &[&str], index: &Index) -> Place {
    let word = |i: usize| words.get(i).copied().unwrap_or("");
    match (word(0), word(1)) {
        ("is", subject) => Place::Value(scale_of(index, subject)),
        ("not", "is") => Place::Value(scale_of(index, word(2))),
        ("most" | "least", "at") => {
            let subject = if word(2) == "is" { word(3) } else { word(2) };
            Place::Value(scale_of(index, subject))
        }
        ("=" | "!=", subject) => match scale_of(index, subject) {
            Some(scale) => Place::Value(Some(scale)),
            None => Place::Expression,
        },
        ("no", "then") => Place::Withheld,
        ("then" | "likely", _) => Place::Effect,
        ("action", _) => Place::Outcome(Kind::Action),
        ("finding", _) => Place::Outcome(Kind::Finding),
        ("deadline", _) => Place::Outcome(Kind::Deadline),
        ("expect", _) => Place::Expectation,
        ("by", "bound") | ("rule", "from") | ("advisory" | "undetermined", _) => Place::Rule,
        ("of", "list") => Place::Type,
        (colon, _) if colon.ends_with(':') => Place::Type,
        _ => Place::Expression,
    }
}

/// After `x.`, where `x` is an element a `for each` or quantifier binds
/// (the nearest so named declared before `at`, in the document): the fields
/// of its record, each as `x.field` with its type, and none where its list
/// holds plain values. `None` where `typed` has no dot, or its first name
/// is not such an element.
fn element_fields(index: &Index, typed: &str, at: usize) -> Option<Vec<(String, String)>> {
    let (var, _) = typed.split_once('.')?;
    let record = index
        .symbols
        .iter()
        .filter(|s| s.decl && s.file == 0 && s.span.start < at)
        .filter_map(|s| match &s.key {
            Key::Var(..) => index.decls.get(&s.key).map(|d| (s.span.start, d)),
            _ => None,
        })
        .filter(|(_, d)| d.name == var)
        .max_by_key(|(start, _)| *start)
        .map(|(_, d)| d.of_type.clone())?;
    // An element of a list of plain values has no fields.
    let Some(record) = record else {
        return Some(Vec::new());
    };
    let mut fields: Vec<(String, String)> = index
        .decls
        .iter()
        .filter_map(|(key, d)| match key {
            Key::RecordField(r, f) if *r == record => Some((
                format!("{var}.{f}"),
                d.detail.lines().next().unwrap_or("").to_string(),
            )),
            _ => None,
        })
        .collect();
    fields.sort();
    Some(fields)
}

/// The scale or choice of the values a judgement or field takes.
fn scale_of(index: &Index, subject: &str) -> Option<String> {
    [
        Key::Name(subject.to_string()),
        Key::Field(subject.to_string()),
    ]
    .iter()
    .filter_map(|k| index.decls.get(k))
    .find_map(|d| d.of_type.clone())
    .filter(|t| index.values.contains_key(t))
}

/// The declared names of these kinds: label, item kind and detail.
fn declared(index: &Index, kinds: &[Kind]) -> Vec<(String, CompletionItemKind, String)> {
    index
        .decls
        .values()
        .filter(|d| kinds.contains(&d.kind))
        .map(|d| {
            let kind = item_kind(d.kind);
            let detail = match &d.of_type {
                Some(t) => format!("{}: {t}", d.kind.word()),
                None => d.kind.word().to_string(),
            };
            (d.name.clone(), kind, detail)
        })
        .collect()
}
