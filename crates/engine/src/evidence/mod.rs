//! Evidence JSON -> slots, as the ruleset's `evidence` declaration says.
//! Every wrong or missing field, and every key the ruleset does not declare,
//! is reported with its JSON path, all of them at once. Undeclared keys are
//! warnings instead when the caller allows them.
//!
//! Text is read by [`read_str`]: a good record in one pass straight into the
//! slots (`stream.rs`, along the declared field tree of `tree.rs`, with the
//! byte scanner of `scan.rs` and the buffers kept per thread of `room.rs`);
//! any other through a `serde_json::Value` (`json.rs`, then [`read`]),
//! which finds every problem. Both give the same record.

mod find;
mod room;
mod scan;
mod stream;
mod tree;

pub(crate) use find::find_date;
pub(crate) use room::give_back;
pub(crate) use stream::Written;
pub(crate) use tree::Reader;

use crate::error::EvalError;
use crate::model::{AbsenceMode, FieldDef, KeyKind, Keys, Model};
use crate::outcome::Warning;
use crate::ruleset::EvalOptions;
use crate::suggest;
use crate::types::{Elem, Type};
use crate::value::{Element, Value};
use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use serde_json::Value as Json;
use std::borrow::Cow;
use std::fmt::{self, Write as _};
use std::sync::Arc;

/// One problem with an evidence record, at a JSON path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvidenceError {
    pub path: String,
    pub message: String,
}

impl fmt::Display for EvidenceError {
    /// The path's and message's control characters (a key may hold a line
    /// break, and an `invalid` check's message an element's id) are written
    /// escaped (`show::printable`), so that a record cannot forge a line of
    /// the report.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let message = crate::show::printable(&self.message);
        if self.path.is_empty() {
            return f.write_str(&message);
        }
        write!(f, "{}: {message}", crate::show::printable(&self.path))
    }
}

/// An evidence record read into the ruleset's slots.
#[derive(Debug, Clone, Default)]
pub struct Evidence {
    pub id: Option<String>,
    pub slots: Vec<Value>,
    /// Undeclared keys, when `options.allow_unknown_fields` let them pass.
    pub warnings: Vec<Warning>,
    /// The slots the one-pass reader wrote, the others holding the values
    /// an absent field has (see `room::give_back`); `None` when the
    /// record was read another way.
    pub(crate) written: Option<Written>,
}

/// Which reader read a record given as text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Route {
    /// In one pass, straight into the slots.
    OnePass,
    /// Through a `serde_json::Value`.
    Value,
}

/// Read a record given as JSON text: in one pass with `reader` when it is a
/// good record; otherwise through a `serde_json::Value`, which reports every
/// problem (a JSON syntax error with its line and column, a repeated key or
/// bad field with its path) and lists undeclared keys as warnings when
/// `options` allow them. Says which way it went.
pub(crate) fn read_str(
    model: &Model,
    reader: Option<&Reader>,
    text: &str,
    options: EvalOptions,
) -> (Result<Evidence, EvalError>, Route) {
    if let Some(record) = reader.and_then(|r| r.read(model, text)) {
        return (Ok(record), Route::OnePass);
    }
    let record = crate::json::parse_json(text)
        .and_then(|json| read(model, &json, options).map_err(EvalError::Evidence));
    (record, Route::Value)
}

/// Read a record. Only `options.allow_unknown_fields` matters here.
pub fn read(
    model: &Model,
    json: &Json,
    options: EvalOptions,
) -> Result<Evidence, Vec<EvidenceError>> {
    let mut errors = Vec::new();
    let Json::Object(root) = json else {
        return Err(vec![EvidenceError {
            path: String::new(),
            message: format!("expected a JSON object, got {}", kind(json)),
        }]);
    };
    let id = match root.get("id") {
        None | Some(Json::Null) => None,
        Some(Json::String(s)) => Some(s.clone()),
        // A whole number is echoed as written. Any other was read as a
        // float, which can no longer say what was written (`1e2` would come
        // back as `100.0`, and two long ids as one): refused, to be written
        // as text.
        Some(Json::Number(n)) if n.is_i64() || n.is_u64() => Some(n.to_string()),
        Some(Json::Number(n)) => {
            errors.push(EvidenceError {
                path: "id".into(),
                message: format!(
                    "a number id must be written as a whole number within 64 bits (no fraction, exponent or -0), to be echoed as written; got what reads as {n}: write it as text"
                ),
            });
            None
        }
        Some(other) => {
            errors.push(EvidenceError {
                path: "id".into(),
                message: format!("expected text, got {}", kind(other)),
            });
            None
        }
    };
    let mut slots = Vec::with_capacity(model.fields.len());
    for field in &model.fields {
        slots.push(read_field(model, field, json, "", &mut errors));
    }
    let mut unknown = Vec::new();
    undeclared_keys(
        root,
        &model.evidence_keys,
        &model.evidence_keys,
        &At::Root,
        &mut unknown,
    );
    let mut warnings = Vec::new();
    if options.allow_unknown_fields {
        warnings = unknown
            .into_iter()
            .map(|e| Warning {
                path: e.path,
                message: e.message,
            })
            .collect();
    } else {
        errors.extend(unknown);
    }
    if errors.is_empty() {
        Ok(Evidence {
            id,
            slots,
            warnings,
            written: None,
        })
    } else {
        // A group of the wrong kind is met once for each field declared
        // under it: say it once.
        let mut seen = std::collections::HashSet::new();
        errors.retain(|e| seen.insert((e.path.clone(), e.message.clone())));
        Err(errors)
    }
}

/// Where a key is, as a chain of steps on the stack: the path is written out
/// only for an undeclared key.
enum At<'a> {
    Root,
    Key(&'a At<'a>, &'a str),
    Index(&'a At<'a>, usize),
}

impl At<'_> {
    /// The JSON path, and where the innermost list element's path ends (the
    /// prefix that suggestions keep).
    fn write(&self, out: &mut String, element_end: &mut usize) {
        match self {
            At::Root => {}
            At::Key(parent, key) => {
                parent.write(out, element_end);
                push_key(out, key);
            }
            At::Index(parent, i) => {
                parent.write(out, element_end);
                let _ = write!(out, "[{i}]");
                *element_end = out.len();
            }
        }
    }
}

/// Report every key of `object` (and below) that `keys` does not declare.
/// `scope` holds the keys of the evidence root or of the list element the
/// object is in, for suggestions. No allocation unless a key is undeclared.
fn undeclared_keys(
    object: &serde_json::Map<String, Json>,
    keys: &Keys,
    scope: &Keys,
    at: &At<'_>,
    errors: &mut Vec<EvidenceError>,
) {
    for (key, value) in object {
        let here = At::Key(at, key);
        match (keys.get(key), value) {
            (None, _) => {
                let suggest = errors.len() < SUGGESTED_KEYS;
                errors.push(undeclared(&here, scope, suggest));
            }
            (Some(KeyKind::Group(inner)), Json::Object(map)) => {
                undeclared_keys(map, inner, scope, &here, errors);
            }
            (Some(KeyKind::List(element)), Json::Array(items)) => {
                for (i, item) in items.iter().enumerate() {
                    if let Json::Object(map) = item {
                        undeclared_keys(map, element, element, &At::Index(&here, i), errors);
                    }
                }
            }
            // A value, or the wrong kind of JSON: reading reports that.
            (Some(_), _) => {}
        }
    }
}

/// How many undeclared keys get a "did you mean": each compares the key
/// with every declared path, and a record of many thousands of stray keys
/// would spend seconds on suggestions no one reads past the first few.
const SUGGESTED_KEYS: usize = 20;

fn undeclared(at: &At<'_>, scope: &Keys, suggest: bool) -> EvidenceError {
    let mut path = String::new();
    let mut element_end = 0;
    at.write(&mut path, &mut element_end);
    let (prefix, relative) = path.split_at(element_end);
    let relative = relative.trim_start_matches('.');
    let candidates = if suggest { scope.paths() } else { Vec::new() };
    // A key written as a dotted path (`"inspection.kind": "full"`, as a
    // spreadsheet's column is named): a declared field, but not where it
    // is.
    let dotted = dotted(at);
    if dotted.contains('.') && candidates.contains(&dotted) {
        let mut nested = "...".to_string();
        for key in dotted.rsplit('.') {
            nested = format!("{{{}: {nested}}}", Json::String(key.to_string()));
        }
        return EvidenceError {
            path,
            message: format!(
                "not a field of this ruleset's evidence; a key is not read as a path: write `{dotted}` nested, {nested}"
            ),
        };
    }
    // A key that holds a character outside ASCII is shown quoted
    // (`["prоposed"]`), which is near no name: the keys as written are
    // compared instead.
    let stray = stray_in(at);
    let written = if stray.is_some() { &dotted } else { relative };
    let mut message = match suggest::nearest(written, candidates.iter().map(String::as_str)) {
        Some(near) if prefix.is_empty() => {
            format!("not a field of this ruleset's evidence; did you mean `{near}`?")
        }
        Some(near) => {
            format!("not a field of this ruleset's evidence; did you mean `{prefix}.{near}`?")
        }
        None => "not a field of this ruleset's evidence".to_string(),
    };
    if let Some(c) = stray {
        name_stray(&mut message, "key", c);
    }
    EvidenceError { path, message }
}

/// Name `c`, a character of a key or value a reader may not see for what
/// it is, at the end of `message`: a sentence of its own after a
/// suggestion (`did you mean ...?`), a clause otherwise.
fn name_stray(message: &mut String, holder: &str, c: char) {
    let described = judgement_syntax::lookalike::describe(c);
    if message.ends_with('?') {
        message.push_str(&format!(" The {holder} holds {described}"));
    } else {
        message.push_str(&format!("; the {holder} holds {described}"));
    }
}

/// The first character of the last key of `at` that no declared key holds
/// and a reader may not see (a Cyrillic `о` that looks like a Latin one, a
/// zero-width space), if any: the error names it with its code point.
fn stray_in(at: &At<'_>) -> Option<char> {
    match at {
        At::Key(_, key) => key
            .chars()
            .find(|&c| judgement_syntax::lookalike::is_stray(c)),
        At::Root | At::Index(..) => None,
    }
}

/// The keys from the innermost list element (or the root) to `at`,
/// joined with dots as a declared path is written; a key with a dot in it
/// as it is.
fn dotted(at: &At<'_>) -> String {
    match at {
        At::Root | At::Index(..) => String::new(),
        At::Key(parent, key) => match dotted(parent) {
            above if above.is_empty() => (*key).to_string(),
            above => format!("{above}.{key}"),
        },
    }
}

fn kind(v: &Json) -> String {
    match v {
        Json::Null => "null".into(),
        Json::Bool(b) => b.to_string(),
        Json::Number(n) => n.to_string(),
        Json::String(s) => quoted(s),
        Json::Array(_) => "a list".into(),
        Json::Object(_) => "an object".into(),
    }
}

/// The most characters of a key or text from the record that an error
/// repeats: a key or value of megabytes is named by its start and length.
const SHOWN_CHARS: usize = 80;

/// What an error shows of `text`: all of it while it has at most `most`
/// characters, else its first `most` and how many it has.
fn shown(text: &str, most: usize) -> (&str, Option<usize>) {
    match text.char_indices().nth(most) {
        None => (text, None),
        Some((end, _)) => (
            text.get(..end).unwrap_or_default(),
            Some(text.chars().count()),
        ),
    }
}

/// Text as an error shows it, cut after `most` characters with how many
/// it has (a key in a JSON path; a message that repeats the record's text).
pub(crate) fn clipped_to(text: &str, most: usize) -> Cow<'_, str> {
    match shown(text, most) {
        (all, None) => Cow::Borrowed(all),
        (start, Some(n)) => Cow::Owned(format!("{start}... ({n} characters)")),
    }
}

/// Add `key` to the JSON path `out`: `.key` (no dot first), or `["key"]`,
/// quoted as JSON writes it, for a key that is not a name (empty, or with
/// a dot, a bracket, a space or the like), so that `{"a.b": 1}` is not
/// named as `a` holding `b`. Cut after [`SHOWN_CHARS`] characters.
pub(crate) fn push_key(out: &mut String, key: &str) {
    let name = !key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if name {
        if !out.is_empty() {
            out.push('.');
        }
        out.push_str(&clipped(key));
    } else {
        out.push('[');
        out.push_str(&Json::String(clipped(key).into_owned()).to_string());
        out.push(']');
    }
}

/// Text as an error shows it, a key in a JSON path or a name given on the
/// command line: cut after 80 characters with how many it has
/// (`start... (100000 characters)`).
pub fn clipped(text: &str) -> Cow<'_, str> {
    clipped_to(text, SHOWN_CHARS)
}

/// Text from the record, quoted, as an error shows it ([`SHOWN_CHARS`]).
fn quoted(text: &str) -> String {
    match shown(text, SHOWN_CHARS) {
        (all, None) => format!("{all:?}"),
        (start, Some(n)) => format!("{start:?}... ({n} characters)"),
    }
}

fn join(prefix: &str, seg: &str) -> String {
    if prefix.is_empty() {
        seg.to_string()
    } else {
        format!("{prefix}.{seg}")
    }
}

/// Walk a field's path from `base`; a missing or null step means absent.
fn lookup<'a>(
    base: &'a Json,
    path: &[String],
    prefix: &str,
    errors: &mut Vec<EvidenceError>,
) -> Option<&'a Json> {
    let mut node = base;
    for (depth, seg) in path.iter().enumerate() {
        match node {
            Json::Object(map) => match map.get(seg) {
                None | Some(Json::Null) => return None,
                Some(next) => node = next,
            },
            other => {
                let parents = path.get(..depth).unwrap_or_default().join(".");
                let at = if parents.is_empty() {
                    prefix.to_string()
                } else {
                    join(prefix, &parents)
                };
                errors.push(EvidenceError {
                    path: at,
                    message: format!("expected an object, got {}", kind(other)),
                });
                return None;
            }
        }
    }
    Some(node)
}

/// Whether the field at `path` under `base` is there and `null` (not left
/// out, nor under a group that is).
fn written_null(base: &Json, path: &[String]) -> bool {
    let mut node = base;
    for seg in path {
        match node.get(seg) {
            Some(next) => node = next,
            None => return false,
        }
    }
    node.is_null()
}

fn read_field(
    model: &Model,
    field: &FieldDef,
    base: &Json,
    prefix: &str,
    errors: &mut Vec<EvidenceError>,
) -> Value {
    // The path is built only for an error or a list: reading stays
    // allocation-free for the fields of a good record.
    let path = || join(prefix, &field.name);
    let before = errors.len();
    match lookup(base, &field.path, prefix, errors) {
        Some(v) => convert(model, field.ty, v, &path, errors),
        None if errors.len() > before => Value::None,
        None => match &field.absence {
            AbsenceMode::Required => {
                // Written `null`: a key there, with no value.
                let message = if written_null(base, &field.path) {
                    "required, but null"
                } else {
                    "required, but missing"
                };
                errors.push(EvidenceError {
                    path: path(),
                    message: message.into(),
                });
                Value::None
            }
            absence => absence.value_left_out(),
        },
    }
}

/// Why a JSON number is not a whole number the engine can count with.
enum NotWhole {
    Fraction,
    TooLarge,
    /// Written with a fraction or an exponent (`1e16`, `9007199254740993e0`)
    /// and 2^53 or more in size, where a float no longer holds every whole
    /// number: the number read may not be the one written (2^53 + 1 reads
    /// as 2^53).
    Inexact,
}

impl NotWhole {
    fn message(&self, n: &serde_json::Number, wanted: &str) -> String {
        match self {
            NotWhole::Fraction => format!("expected {wanted}, got {n}"),
            // Read exactly (a whole number to 2^64 - 1): shown as written.
            NotWhole::TooLarge if n.is_u64() => format!("{n} is too large a number to count with"),
            // Past the 64-bit whole numbers serde_json reads a float, which
            // may not be the number written: said so, not quoted as written.
            NotWhole::TooLarge if n.as_f64().is_some_and(|f| f < 0.0) => {
                format!("too far below zero to count with: past the 64-bit whole numbers (it reads as about {n})")
            }
            NotWhole::TooLarge => format!(
                "too large a number to count with: past the 64-bit whole numbers (it reads as about {n})"
            ),
            NotWhole::Inexact => format!(
                "a whole number of 2^53 or more in size written with a fraction or an exponent may not be read as written (this one reads as {:.0}): write it with digits alone",
                n.as_f64().unwrap_or(f64::NAN)
            ),
        }
    }
}

/// A JSON number as a whole number: `20`, and `20.0`, `2e1` and `-0` too,
/// which JSON Schema's `integer` (the evidence schema's type for numbers
/// and days) also allows, and which serde_json reads as floats.
fn whole(n: &serde_json::Number) -> Result<i64, NotWhole> {
    if let Some(i) = n.as_i64() {
        return Ok(i);
    }
    if n.is_u64() {
        return Err(NotWhole::TooLarge);
    }
    let f = n.as_f64().unwrap_or(f64::NAN);
    if f.fract() != 0.0 || !f.is_finite() {
        return Err(NotWhole::Fraction);
    }
    // 2^53: from it on a float no longer holds every whole number, so the
    // number written may not be the one read (9007199254740993e0 reads as
    // 2^53, -9223372036854775809.0 as -2^63). Whole numbers written with
    // digits alone are read exactly up to 2^63 by `as_i64` above.
    const LIMIT: f64 = 9_007_199_254_740_992.0;
    // 2^63: past it (or at -2^63, which a number written with digits
    // below it is read as) no 64-bit number holds it, however written.
    const BEYOND: f64 = 9_223_372_036_854_775_808.0;
    if !(-BEYOND < f && f < BEYOND) {
        return Err(NotWhole::TooLarge);
    }
    if !(-LIMIT < f && f < LIMIT) {
        return Err(NotWhole::Inexact);
    }
    #[allow(
        clippy::cast_possible_truncation,
        reason = "a whole number of size below 2^53: the conversion is exact"
    )]
    Ok(f as i64)
}

fn convert(
    model: &Model,
    ty: Type,
    v: &Json,
    path: &dyn Fn() -> String,
    errors: &mut Vec<EvidenceError>,
) -> Value {
    let mut fail = |message: String| {
        errors.push(EvidenceError {
            path: path(),
            message,
        });
        Value::None
    };
    match (ty, v) {
        (Type::Bool, Json::Bool(b)) => Value::Bool(*b),
        (Type::Number, Json::Number(n)) => match whole(n) {
            Ok(i) => Value::Number(i),
            Err(e) => fail(e.message(n, "a whole number")),
        },
        (Type::Days, Json::Number(n)) => match whole(n) {
            Ok(i) => Value::Days(i),
            Err(e) => fail(e.message(n, "a whole number of days")),
        },
        (Type::Text, Json::String(s)) => Value::Text(s.as_str().into()),
        (Type::Date, Json::String(s)) => match parse_date(s) {
            Some(d) => Value::Date(d),
            None if looks_like_date(s) => fail(format!("{} is not a day of the calendar", quoted(s))),
            None => fail(format!(
                "expected a date written YYYY-MM-DD, got {}{}",
                quoted(s),
                date_hint(s)
            )),
        },
        (Type::DateTime, Json::String(s)) => match parse_datetime(s) {
            Some(d) => Value::DateTime(d),
            None if s
                .split_once('T')
                .is_some_and(|(d, t)| looks_like_date(d) && looks_like_time(t)) =>
            {
                fail(format!("{} is not a day and time of the calendar", quoted(s)))
            }
            None => fail(format!(
                "expected a local date and time written YYYY-MM-DDTHH:MM or YYYY-MM-DDTHH:MM:SS, got {}{}",
                quoted(s),
                datetime_hint(s)
            )),
        },
        (Type::Time, Json::String(s)) => match parse_time(s) {
            Some(t) => Value::Time(t),
            None if looks_like_time(s) => fail(format!("{} is not a time of day", quoted(s))),
            None => fail(format!(
                "expected a time written HH:MM or HH:MM:SS, got {}",
                quoted(s)
            )),
        },
        (Type::Enum { id, .. }, Json::String(s)) => {
            let Some(def) = model.enums.get(id) else {
                return fail("unknown type".into());
            };
            match def.values.iter().position(|x| x == s) {
                Some(i) => Value::Enum(u16::try_from(i).unwrap_or(u16::MAX)),
                None => {
                    let near = suggest::did_you_mean(s, def.values.iter().map(String::as_str));
                    let mut message = format!(
                        "expected one of {}, got {}{}",
                        def.values.join(", "),
                        quoted(s),
                        near.map(|n| format!("; {n}")).unwrap_or_default()
                    );
                    // Values are names: `gоod` with a Cyrillic `о` looks
                    // like the `good` it is told of.
                    if let Some(c) = s.chars().find(|&c| judgement_syntax::lookalike::is_stray(c)) {
                        name_stray(&mut message, "value", c);
                    }
                    fail(message)
                }
            }
        }
        (Type::List(elem), Json::Array(items)) => read_list(model, elem, items, &path(), errors),
        (ty, other) => {
            let want = match ty {
                Type::Bool => "true or false".to_string(),
                Type::Number | Type::Days => "a number".into(),
                Type::Text => "text".into(),
                Type::Date => "a date (YYYY-MM-DD)".into(),
                Type::DateTime => "a date and time (YYYY-MM-DDTHH:MM, seconds optional)".into(),
                Type::Time => "a time (HH:MM, seconds optional)".into(),
                Type::Enum { id, .. } => format!(
                    "one of {}",
                    model
                        .enums
                        .get(id)
                        .map(|e| e.values.join(", "))
                        .unwrap_or_default()
                ),
                Type::List(_) => "a list".into(),
                _ => "another type".into(),
            };
            fail(format!(
                "expected {want}, got {}{}",
                kind(other),
                quoting_hint(ty, other)
            ))
        }
    }
}

/// Where a value is of the type wanted but for its quotes (`"false"`, `"4"`
/// from a spreadsheet's export, or an id written `123` for text): how to
/// write it; empty otherwise. A text that could mean something else
/// (`"yes"`) gets no hint: what it means is not a guess to make.
fn quoting_hint(ty: Type, value: &Json) -> String {
    match (ty, value) {
        (Type::Bool, Json::String(s))
            if s.eq_ignore_ascii_case("true") || s.eq_ignore_ascii_case("false") =>
        {
            format!("; write it without quotes: {}", s.to_ascii_lowercase())
        }
        (Type::Number | Type::Days, Json::String(s))
            if s.len() <= 20
                && s.trim() == s
                && serde_json::from_str::<serde_json::Number>(s).is_ok() =>
        {
            format!("; write it without quotes: {s}")
        }
        (Type::Text, Json::Number(n)) => format!("; write it in quotes: \"{n}\""),
        _ => String::new(),
    }
}

/// How to write a date given otherwise, where what it means is plain: a
/// date and time whose day is a date (`2015-11-09T09:00`: the day alone),
/// or a year, month and day in that order with other separators or
/// without leading zeros (`2015/11/9`: `2015-11-09`). A date written day
/// or month first (`09/11/2015`) could be either of two days: it is told
/// only that dates are written year first. Empty otherwise.
fn date_hint(s: &str) -> String {
    // Nothing longer is a date written otherwise.
    if s.len() > 32 {
        return String::new();
    }
    if let Some(day) = s.split_once(['T', ' ']).and_then(|(d, _)| parse_date(d)) {
        return format!("; write the day alone: {day}");
    }
    let parts: Vec<&str> = s.split(['-', '/', '.']).collect();
    let digits = |p: &str, most: usize| {
        !p.is_empty() && p.len() <= most && p.bytes().all(|b| b.is_ascii_digit())
    };
    match parts.as_slice() {
        [y, m, d] if y.len() == 4 && digits(y, 4) && digits(m, 2) && digits(d, 2) => {
            match parse_date(&format!("{y}-{m:0>2}-{d:0>2}")) {
                Some(day) => format!("; write it {day}"),
                None => String::new(),
            }
        }
        [a, b, y] if y.len() == 4 && digits(y, 4) && digits(a, 2) && digits(b, 2) => {
            "; dates are written year first, YYYY-MM-DD".to_string()
        }
        _ => match date_in_words(s) {
            Some(day) => format!("; write it {day}"),
            None => String::new(),
        },
    }
}

/// A date written with its month's name, as a letter or a form writes it
/// (`9 November 2015`, `Monday 9th Nov 2015`, `November 9, 2015`): the one
/// day it can mean, where it is a day of the calendar.
fn date_in_words(s: &str) -> Option<String> {
    const MONTHS: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    const WEEKDAYS: [&str; 7] = [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ];
    let words: Vec<String> = s
        .split([' ', ','])
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
        .collect();
    // A weekday's name first says nothing of the day.
    let words = match words.split_first() {
        Some((first, rest))
            if WEEKDAYS
                .iter()
                .any(|d| d == first || d.get(..3) == Some(first.as_str())) =>
        {
            rest
        }
        _ => &words[..],
    };
    let month_of = |w: &str| {
        let w = w.strip_suffix('.').unwrap_or(w);
        MONTHS
            .iter()
            .position(|m| *m == w || (w.len() >= 3 && m.starts_with(w) && w.len() <= 4))
            .map(|i| i + 1)
    };
    let day_of = |w: &str| {
        let digits = ["st", "nd", "rd", "th"]
            .iter()
            .find_map(|s| w.strip_suffix(s))
            .unwrap_or(w);
        (digits.len() <= 2 && !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()))
            .then(|| digits.parse::<u32>().ok())
            .flatten()
    };
    let year_of = |w: &str| {
        (w.len() == 4 && w.bytes().all(|b| b.is_ascii_digit()))
            .then(|| w.parse::<i32>().ok())
            .flatten()
    };
    // Day first (`9 November 2015`) or the month first (`November 9, 2015`).
    let [a, b, y] = words else {
        return None;
    };
    let (day, month) = match (day_of(a), month_of(b)) {
        (Some(d), Some(m)) => (d, m),
        _ => (day_of(b)?, month_of(a)?),
    };
    let year = year_of(y)?;
    let date = chrono::NaiveDate::from_ymd_opt(year, u32::try_from(month).ok()?, day)?;
    Some(date.format("%Y-%m-%d").to_string())
}

/// [`date_hint`] for a date and time: one with a space for its `T`
/// (`2015-11-09 09:00`, as a database writes it).
fn datetime_hint(s: &str) -> String {
    if s.len() > 32 {
        return String::new();
    }
    match s.split_once(' ') {
        Some((d, t)) if parse_datetime(&format!("{d}T{t}")).is_some() => {
            format!("; write it {d}T{t}")
        }
        _ => String::new(),
    }
}

fn looks_like_date(s: &str) -> bool {
    s.len() == 10
        && s.char_indices().all(|(i, c)| {
            if i == 4 || i == 7 {
                c == '-'
            } else {
                c.is_ascii_digit()
            }
        })
}

/// Written `HH:MM` or `HH:MM:SS`, digits where they go, whether or not it
/// is a time of day (`24:00`, `09:60` are not).
fn looks_like_time(s: &str) -> bool {
    matches!(s.len(), 5 | 8)
        && s.char_indices().all(|(i, c)| {
            if i == 2 || i == 5 {
                c == ':'
            } else {
                c.is_ascii_digit()
            }
        })
}

/// Strictly `YYYY-MM-DD`, a real day.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let [y0, y1, y2, y3, b'-', m0, m1, b'-', d0, d1] = *s.as_bytes() else {
        return None;
    };
    let year = number(&[y0, y1, y2, y3])?;
    let month = number(&[m0, m1])?;
    let day = number(&[d0, d1])?;
    NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month, day)
}

/// ASCII digits only (no sign, no space), as a number.
fn number(digits: &[u8]) -> Option<u32> {
    digits.iter().try_fold(0u32, |n, &b| {
        b.is_ascii_digit().then(|| n * 10 + u32::from(b - b'0'))
    })
}

/// Strictly `YYYY-MM-DDTHH:MM` or `YYYY-MM-DDTHH:MM:SS`, a local time in England.
pub fn parse_datetime(s: &str) -> Option<NaiveDateTime> {
    let (date, time) = s.split_once('T')?;
    Some(NaiveDateTime::new(parse_date(date)?, parse_time(time)?))
}

/// Strictly `HH:MM` or `HH:MM:SS`, 24-hour.
pub fn parse_time(s: &str) -> Option<NaiveTime> {
    let shape_ok = match s.len() {
        5 => s.as_bytes().get(2) == Some(&b':'),
        8 => s.as_bytes().get(2) == Some(&b':') && s.as_bytes().get(5) == Some(&b':'),
        _ => false,
    };
    if !shape_ok || !s.bytes().all(|b| b.is_ascii_digit() || b == b':') {
        return None;
    }
    // Read by hand rather than with chrono's `%S`, which takes `60` as a
    // leap second: `11:59:60` is no time of an English clock.
    let two = |at: usize| -> Option<u32> {
        let pair = s.get(at..at + 2)?;
        pair.parse().ok()
    };
    let seconds = if s.len() == 8 { two(6)? } else { 0 };
    if seconds > 59 {
        return None;
    }
    NaiveTime::from_hms_opt(two(0)?, two(3)?, seconds)
}

fn read_list(
    model: &Model,
    elem: Elem,
    items: &[Json],
    path: &str,
    errors: &mut Vec<EvidenceError>,
) -> Value {
    let rec = match elem {
        Elem::Record(rec) => rec,
        plain => return read_plain_list(model, plain, items, path, errors),
    };
    let Some(record) = model.records.get(rec) else {
        return Value::None;
    };
    let mut elements = Vec::with_capacity(items.len());
    let mut ids: std::collections::HashSet<Arc<str>> =
        std::collections::HashSet::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let at = format!("{path}[{i}]");
        if !item.is_object() {
            errors.push(EvidenceError {
                path: at,
                message: format!("expected an object, got {}", kind(item)),
            });
            continue;
        }
        let fields: Vec<Value> = record
            .fields
            .iter()
            .map(|f| read_field(model, f, item, &at, errors))
            .collect();
        let id = record_id(record.id_field, &fields);
        if !id.is_empty() && !ids.insert(Arc::clone(&id)) {
            errors.push(EvidenceError {
                path: format!("{at}.id"),
                message: format!("the id {} is used by two elements", quoted(&id)),
            });
        }
        elements.push(Element::record(id, fields));
    }
    Value::List(elements.into())
}

/// A list of plain values (dates, numbers, ...): each element's id is its
/// text, so that what a rule gives for it can name it.
/// A record element's id: its `id` field's text, or empty where it has
/// none.
pub(super) fn record_id(id_field: Option<usize>, fields: &[Value]) -> Arc<str> {
    match id_field.and_then(|i| fields.get(i)) {
        Some(Value::Text(t)) => Arc::clone(t),
        _ => Arc::from(""),
    }
}

fn read_plain_list(
    model: &Model,
    elem: Elem,
    items: &[Json],
    path: &str,
    errors: &mut Vec<EvidenceError>,
) -> Value {
    let mut elements = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let at = || format!("{path}[{i}]");
        let before = errors.len();
        let value = match item {
            Json::Null => {
                errors.push(EvidenceError {
                    path: at(),
                    message: "a list holds values, not null".into(),
                });
                continue;
            }
            other => convert(model, elem.ty(), other, &at, errors),
        };
        if errors.len() > before {
            continue;
        }
        let id = match item {
            Json::String(s) => s.clone(),
            other => other.to_string(),
        };
        elements.push(Element::plain(id.into(), value));
    }
    Value::List(elements.into())
}

#[cfg(test)]
mod tests;
