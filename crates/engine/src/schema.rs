//! The evidence declaration as a JSON Schema (draft 2020-12), for the tools
//! that produce evidence records. Every object is closed to undeclared keys
//! (`"additionalProperties": false`) unless the caller allows them.
//!
//! It accepts what evaluation accepts, and requires what it requires: a
//! field that may be left out may be `null` too (a key with the value
//! `null` is read as a key left out), and so may a group of fields none of
//! which is required (`previous`); a group that holds a required field is
//! required itself, in its own group, up to the root.

use crate::model::{AbsenceMode, FieldDef, JudgementDef, Model};
use crate::types::Type;
use crate::value::Value;
use serde_json::{json, Value as Json};

/// Options for the evidence JSON Schema ([`crate::Ruleset::schema_with`]).
#[derive(Debug, Clone, Copy, Default)]
pub struct SchemaOptions {
    /// Leave objects open to keys the ruleset does not declare, as
    /// evaluation with [`crate::EvalOptions::allow_unknown_fields`] accepts
    /// them. By default every object, list elements included, is closed
    /// (`"additionalProperties": false`).
    pub allow_unknown_fields: bool,
}

pub(crate) fn evidence_schema(model: &Model, options: SchemaOptions) -> Json {
    let open = options.allow_unknown_fields;
    let mut root = object_schema(open);
    if let Json::Object(m) = &mut root {
        m.insert(
            "$schema".into(),
            json!("https://json-schema.org/draft/2020-12/schema"),
        );
        m.insert(
            "title".into(),
            json!(format!(
                "evidence for {} ({})",
                model.meta.name, model.meta.edition
            )),
        );
        m.insert("description".into(), json!(model.meta.title));
    }
    add_property(
        &mut root,
        &["id".to_string()],
        // A number id is echoed as written only when whole and within 64
        // bits (signed or not): what the evidence reader accepts. JSON
        // Schema's `integer` also admits `12.0`, `1.2e1` and `-0`, which
        // the reader refuses (it could not echo them as written): the
        // description says so, as the schema itself cannot.
        json!({
            "type": ["string", "integer", "null"],
            "minimum": i64::MIN,
            "maximum": u64::MAX,
            "description": "echoed in the outcome, as text; a number is written whole, without a fraction, an exponent or a minus before 0 (12, not 12.0 or 1.2e1), or the record is refused: write any other id as text"
        }),
        false,
        open,
    );
    for f in &model.fields {
        add_field(model, &mut root, f, open);
    }
    root
}

fn object_schema(open: bool) -> Json {
    if open {
        json!({"type": "object", "properties": {}, "required": []})
    } else {
        json!({"type": "object", "properties": {}, "required": [], "additionalProperties": false})
    }
}

fn add_field(model: &Model, root: &mut Json, f: &FieldDef, open: bool) {
    let mut schema = type_schema(model, f.ty, open);
    let description = match f.absence {
        AbsenceMode::Required => None,
        AbsenceMode::None => Some("absent or null: none"),
        AbsenceMode::Unknown => Some("absent or null: not known"),
        AbsenceMode::Default(_) => Some("absent or null: the default"),
    };
    if let Some(description) = description {
        // A proposal with a default is never missing: it reads the default.
        let needed = match f.absence {
            AbsenceMode::Default(_) => None,
            _ => proposal_of(model, f),
        };
        let description = match needed {
            Some(judgement) => format!("{description}. {}", needed_where_made(judgement)),
            None => description.to_string(),
        };
        schema = json!({"anyOf": [schema, {"type": "null"}], "description": description});
    }
    if let (Json::Object(m), AbsenceMode::Default(v)) = (&mut schema, &f.absence) {
        if let Some(d) = default_json(model, f.ty, v) {
            m.insert("default".into(), d);
        }
    }
    if let (Json::Object(m), Some(comment)) = (&mut schema, &f.comment) {
        let description = match m.get("description").and_then(Json::as_str) {
            // The comment, then what the schema says of the field itself.
            Some(more) => judgement_syntax::then_said(comment, more),
            None => comment.clone(),
        };
        m.insert("description".into(), json!(description));
    }
    add_property(root, &f.path, schema, !f.absence.is_optional(), open);
}

/// The judgement whose proposal the field `f` is (`judgement J: ... from
/// f`), if any.
fn proposal_of<'m>(model: &'m Model, f: &FieldDef) -> Option<&'m JudgementDef> {
    model
        .judgements
        .iter()
        .find(|j| model.fields.get(j.from).is_some_and(|g| std::ptr::eq(g, f)))
}

/// What a proposal that may be left out says of when it is needed after
/// all: where its judgement is made, a record without it is refused unless
/// the judgement's rules pin its value (which a schema cannot say).
fn needed_where_made(judgement: &JudgementDef) -> String {
    let made = match &judgement.applies_text {
        Some(when) => format!("where it is made (when {when})"),
        None => "at every inspection".to_string(),
    };
    format!(
        "The proposal for the judgement `{}`: needed {made}, unless the ruleset's rules pin or withhold the judgement: a record without it is refused then",
        judgement.name
    )
}

/// A group of fields (`previous` of `previous.overall`): `null` too, read
/// as every field of it left out, until a required field is put in it.
fn group_schema(open: bool) -> Json {
    let mut group = object_schema(open);
    if let Json::Object(m) = &mut group {
        m.insert("type".into(), json!(["object", "null"]));
    }
    group
}

/// Add `name` to an object schema's `required`, once.
fn require(node: &mut Json, name: &str) {
    if let Some(req) = node.get_mut("required").and_then(Json::as_array_mut) {
        if !req.iter().any(|r| r == name) {
            req.push(json!(name));
        }
    }
}

/// Put a schema at a dotted path, making the objects on the way.
fn add_property(root: &mut Json, path: &[String], schema: Json, required: bool, open: bool) {
    let Some((last, parents)) = path.split_last() else {
        return;
    };
    let mut node = root;
    for seg in parents {
        if required {
            require(node, seg);
        }
        let Some(props) = node.get_mut("properties").and_then(Json::as_object_mut) else {
            return;
        };
        node = props
            .entry(seg.clone())
            .or_insert_with(|| group_schema(open));
        if required {
            // A group that holds a required field is an object, never null.
            if let Json::Object(m) = node {
                m.insert("type".into(), json!("object"));
            }
        }
    }
    if let Some(props) = node.get_mut("properties").and_then(Json::as_object_mut) {
        props.insert(last.clone(), schema);
    }
    if required {
        require(node, last);
    }
}

/// A day written `YYYY-MM-DD`, its month 01 to 12 and its day 01 to 31,
/// unanchored: a macro, so that `concat!` can build the patterns from it.
macro_rules! day {
    () => {
        "[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])"
    };
}

/// A time of day written `HH:MM` or `HH:MM:SS`, 24-hour, unanchored.
macro_rules! time_of_day {
    () => {
        "([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?"
    };
}

const DATE_PATTERN: &str = concat!("^", day!(), "$");
const DATETIME_PATTERN: &str = concat!("^", day!(), "T", time_of_day!(), "$");
const TIME_PATTERN: &str = concat!("^", time_of_day!(), "$");

fn type_schema(model: &Model, ty: Type, open: bool) -> Json {
    match ty {
        Type::Bool => json!({"type": "boolean"}),
        // The evidence reader counts with 64-bit signed numbers.
        Type::Number | Type::Days | Type::Months | Type::WorkingDays => {
            json!({"type": "integer", "minimum": i64::MIN, "maximum": i64::MAX})
        }
        Type::Text => json!({"type": "string"}),
        // `format` is only an annotation to a validator by default (JSON
        // Schema 2020-12): the pattern checks the form under any, and a
        // validator that asserts formats refuses a day that does not exist
        // (2015-02-29) too, as evaluation does.
        Type::Date => json!({
            "type": "string",
            "format": "date",
            "pattern": DATE_PATTERN,
        }),
        Type::DateTime => json!({
            "type": "string",
            "pattern": DATETIME_PATTERN,
            "description": "a local date and time in England, YYYY-MM-DDTHH:MM or YYYY-MM-DDTHH:MM:SS"
        }),
        Type::Time => json!({
            "type": "string",
            "pattern": TIME_PATTERN,
            "description": "a time of day, HH:MM or HH:MM:SS"
        }),
        Type::Enum { id, .. } => {
            let values = model
                .enums
                .get(id)
                .map(|e| e.values.clone())
                .unwrap_or_default();
            json!({"type": "string", "enum": values})
        }
        Type::Record(rec) => {
            let mut item = object_schema(open);
            if let Some(r) = model.records.get(rec) {
                for f in &r.fields {
                    add_field(model, &mut item, f, open);
                }
            }
            item
        }
        // JSON Schema cannot say that a key is unique among a list's
        // objects (`uniqueItems` compares them whole): the description
        // does, as evaluation refuses a list with an id twice.
        Type::List(elem) => match elem.ty() {
            Type::Record(_) => json!({
                "type": "array",
                "items": type_schema(model, elem.ty(), open),
                "description": "each element's id is unique in the list: a record with two elements of one id is refused"
            }),
            ty => json!({"type": "array", "items": type_schema(model, ty, open)}),
        },
    }
}

fn default_json(model: &Model, ty: Type, v: &Value) -> Option<Json> {
    Some(match v {
        Value::Bool(b) => json!(b),
        Value::Number(n) | Value::Days(n) => json!(n),
        Value::Text(t) => json!(t.as_ref()),
        Value::Date(d) => json!(d.to_string()),
        Value::DateTime(d) => json!(crate::show::datetime_str(*d)),
        Value::Time(t) => json!(crate::show::time_str(*t)),
        Value::List(_) => Json::Array(Vec::new()),
        Value::Enum(_) => json!(crate::show::show(model, ty, v)),
        _ => return None,
    })
}
