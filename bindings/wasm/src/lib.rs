//! judgement for JavaScript and TypeScript: the embedding API
//! (`judgement_engine::embed`) behind wasm-bindgen, and nothing more. Each
//! method converts its arguments from JavaScript, calls the one method of
//! [`Engine`] that does the work, and converts the answer back: text as
//! text, JSON as the object `JSON.parse` gives, and every failure as a
//! thrown `JudgementError` carrying the engine's errors as data.
//!
//! Nothing here may panic: on `wasm32-unknown-unknown` a panic aborts the
//! instance (a `RuntimeError` in the host), so every conversion that could
//! fail returns an error instead.

use js_sys::{Array, JsString, Object, Reflect, JSON};
use judgement_engine::embed::{Engine, Error, ErrorKind, Errors, Options};
use wasm_bindgen::prelude::*;

/// The TypeScript types of what crosses the boundary; the generated
/// `.d.ts` carries them, and the methods below are typed with them.
#[wasm_bindgen(typescript_custom_section)]
const TYPES: &'static str = include_str!("types.d.ts");

#[wasm_bindgen]
extern "C" {
    /// `console.error`, for the panic hook.
    #[wasm_bindgen(js_namespace = console, js_name = error)]
    fn console_error(message: &str);

    // `Object.entries` and `Array.isArray`, with what they throw caught (a
    // getter that throws, a Proxy, a revoked Proxy). js-sys declares them
    // without `catch`, so a throw would unwind through this module's frames
    // without restoring its stack pointer: a few hundred such calls left the
    // instance unusable, every later call a RuntimeError.
    #[wasm_bindgen(catch, js_namespace = Object, js_name = entries)]
    fn object_entries(object: &JsValue) -> Result<Array, JsValue>;
    #[wasm_bindgen(catch, js_namespace = Array, js_name = isArray)]
    fn array_is_array(value: &JsValue) -> Result<bool, JsValue>;
    #[wasm_bindgen(catch, js_namespace = Object, js_name = getPrototypeOf)]
    fn prototype_of(value: &JsValue) -> Result<JsValue, JsValue>;
}

/// Makes a panic (a bug in judgement) write its message to
/// `console.error` before the instance traps. Called by [`Ruleset::from_files`],
/// before which nothing else can be called; not a `start` function, which
/// wasm-bindgen would export.
fn panic_hook() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        std::panic::set_hook(Box::new(|info| {
            console_error(&format!("judgement panicked (a bug in judgement): {info}"));
        }));
    });
}

/// The editions of one ruleset, loaded from texts: immutable once made.
#[wasm_bindgen]
pub struct Ruleset {
    engine: Engine,
}

#[wasm_bindgen]
impl Ruleset {
    /// Load a ruleset from texts in memory, each under a label that stands
    /// for its path: `calendars/NAME.calendar` is a calendar,
    /// `definitions/NAME.rules` definitions that `uses NAME` finds, and
    /// every other text an edition of the one ruleset.
    #[wasm_bindgen(js_name = fromFiles)]
    pub fn from_files(
        #[wasm_bindgen(unchecked_param_type = "Record<string, string>")] files: &JsValue,
    ) -> Result<Ruleset, JsValue> {
        panic_hook();
        let pairs = entries(files)?;
        Engine::from_files(pairs)
            .map(|engine| Ruleset { engine })
            .map_err(thrown)
    }

    /// The ruleset's name.
    #[wasm_bindgen(getter)]
    pub fn name(&self) -> String {
        self.engine.name().to_string()
    }

    /// The warnings found while loading.
    #[wasm_bindgen(getter, unchecked_return_type = "JudgementErrorData[]")]
    pub fn warnings(&self) -> Result<JsValue, JsValue> {
        parsed(&Errors(self.engine.warnings().to_vec()).to_json())
    }

    /// Evaluate one record (JSON text, or an object to be given as
    /// `JSON.stringify` writes it) to its outcome, as an object.
    #[wasm_bindgen(unchecked_return_type = "Outcome | CompactOutcome")]
    pub fn evaluate(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string | object")] evidence: &JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "Options")] options: &JsValue,
    ) -> Result<JsValue, JsValue> {
        let json = self.evaluate_json(evidence, options)?;
        parsed(&json)
    }

    /// Evaluate one record to the outcome's JSON text, exactly as
    /// `judgement eval` prints it (without the final newline).
    #[wasm_bindgen(js_name = evaluateJson)]
    pub fn evaluate_json(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string | object")] evidence: &JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "Options")] options: &JsValue,
    ) -> Result<String, JsValue> {
        let evidence = evidence_text(evidence)?;
        let options = options_of(options)?;
        self.engine.evaluate(&evidence, &options).map_err(thrown)
    }

    /// Evaluate JSON Lines to JSON Lines, exactly as `judgement eval`
    /// writes them: one line an outcome, or `{"line": N, "error": "..."}`
    /// (with the record's `"id"` after the error where it can be read).
    #[wasm_bindgen(js_name = evaluateLines)]
    pub fn evaluate_lines(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] text: &JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "Options")] options: &JsValue,
    ) -> Result<String, JsValue> {
        let text = string(text, "the JSON Lines")?;
        let options = options_of(options)?;
        Ok(self
            .engine
            .evaluate_lines(&text, &options)
            .map_err(thrown)?
            .output)
    }

    /// The outcome of one record in plain English, as `judgement explain`
    /// prints it; `name` stands for the evidence in the heading.
    pub fn explain(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string | object")] evidence: &JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "string")] name: &JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "Options")] options: &JsValue,
    ) -> Result<String, JsValue> {
        let evidence = evidence_text(evidence)?;
        let name = optional_string(name, "the name")?;
        let options = options_of(options)?;
        self.engine
            .explain(&evidence, name.as_deref().unwrap_or("evidence"), &options)
            .map_err(thrown)
    }

    /// Why `target` does not hold for one record, as `judgement explain
    /// --why-not TARGET` prints it: a rule id, `JUDGEMENT=VALUE` (or
    /// `JUDGEMENT`), or `action:NAME`, `finding:NAME`, `deadline:NAME`. The
    /// text, or with `asData` the answer as an object (`--json`). A target
    /// the ruleset does not have throws a `usage` error naming the nearest.
    #[wasm_bindgen(js_name = whyNot, unchecked_return_type = "string | Record<string, unknown>")]
    pub fn why_not(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string | object")] evidence: &JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] target: &JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "Options")] options: &JsValue,
        #[wasm_bindgen(js_name = asData, unchecked_optional_param_type = "boolean")]
        as_data: &JsValue,
    ) -> Result<JsValue, JsValue> {
        let evidence = evidence_text(evidence)?;
        let target = string(target, "the target")?;
        let options = options_of(options)?;
        let as_data = optional_bool(as_data, "asData")?;
        let answer = self
            .engine
            .why_not(&evidence, &target, &options, as_data)
            .map_err(thrown)?;
        if as_data {
            parsed(&answer)
        } else {
            Ok(JsValue::from_str(&answer))
        }
    }

    /// The JSON Schema of the evidence an edition expects (the newest by
    /// default), as `judgement schema` prints it, as an object.
    #[wasm_bindgen(unchecked_return_type = "Record<string, unknown>")]
    pub fn schema(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "string")] edition: &JsValue,
        #[wasm_bindgen(js_name = allowUnknownFields, unchecked_optional_param_type = "boolean")]
        allow_unknown_fields: &JsValue,
    ) -> Result<JsValue, JsValue> {
        let edition = optional_string(edition, "the edition")?;
        let json = self
            .engine
            .schema(
                edition.as_deref(),
                optional_bool(allow_unknown_fields, "allowUnknownFields")?,
            )
            .map_err(thrown)?;
        parsed(&json)
    }

    /// Run the tests written in the rule files of every edition.
    #[wasm_bindgen(js_name = runTests, unchecked_return_type = "TestReport[]")]
    pub fn run_tests(&self) -> Result<JsValue, JsValue> {
        let json = serde_json_text(&self.engine.run_tests())?;
        parsed(&json)
    }
}

/// A `JudgementError` to throw: the engine's errors as data in `errors`,
/// the first error's fields on the error itself.
fn thrown(errors: Errors) -> JsValue {
    let first = errors.first().cloned();
    let error = js_sys::Error::new(&errors.to_string());
    error.set_name("JudgementError");
    let set = |key: &str, value: JsValue| {
        // Setting a property on a fresh Error cannot fail; if it somehow
        // did, the error is thrown without it.
        let _ = Reflect::set(&error, &JsValue::from_str(key), &value);
    };
    if let Ok(list) = JSON::parse(&errors.to_json()) {
        set("errors", list);
    }
    if let Some(e) = first {
        if let Ok(serde_json::Value::String(kind)) = serde_json::to_value(e.kind) {
            set("kind", JsValue::from_str(&kind));
        }
        for (key, value) in [
            ("path", e.path),
            ("file", e.file),
            ("help", e.help),
            ("rule", e.rule),
            ("cite", e.cite),
        ] {
            if let Some(v) = value {
                set(key, JsValue::from_str(&v));
            }
        }
        for (key, value) in [("line", e.line), ("column", e.column)] {
            if let Some(v) = value {
                set(key, JsValue::from_f64(v as f64));
            }
        }
    }
    JsValue::from(error)
}

/// A usage error: an argument of the wrong type.
fn usage(message: impl Into<String>) -> JsValue {
    thrown(Errors::one(Error::new(ErrorKind::Usage, message)))
}

/// The `(label, text)` pairs of an object of texts by label.
fn entries(files: &JsValue) -> Result<Vec<(String, String)>, JsValue> {
    let unreadable = |e: JsValue| {
        let why = js_sys::Error::from(e)
            .message()
            .as_string()
            .unwrap_or_default();
        usage(format!("the files could not be read: {why}"))
    };
    if !files.is_object() || array_is_array(files).map_err(unreadable)? {
        return Err(usage(
            "the files are not an object of texts by label ({\"label\": \"text\"})",
        ));
    }
    object_entries(files)
        .map_err(unreadable)?
        .iter()
        .map(|entry| {
            let entry = Array::from(&entry);
            let label = string(&entry.get(0), "a file's label")?;
            let text = string(&entry.get(1), &format!("the text of `{label}`"))?;
            Ok((label, text))
        })
        .collect()
}

/// Evidence as JSON text: a string as it is, anything else as
/// `JSON.stringify` writes it.
fn evidence_text(evidence: &JsValue) -> Result<String, JsValue> {
    if let Some(text) = js_text(evidence, "the evidence")? {
        return Ok(text);
    }
    if !evidence.is_object() {
        return Err(usage("the evidence is not JSON text or an object"));
    }
    stringified(evidence).ok_or_else(|| usage("the evidence object cannot be written as JSON"))
}

/// Options from an object (`{trace: true}`), JSON text, or nothing.
fn options_of(options: &JsValue) -> Result<Options, JsValue> {
    if options.is_undefined() || options.is_null() {
        return Ok(Options::default());
    }
    let text = match js_text(options, "the options")? {
        Some(text) => text,
        None if plain_object(options) => {
            stringified(options).ok_or_else(|| usage("the options cannot be written as JSON"))?
        }
        // A `Map`, a class's instance (its options getters on the
        // prototype) or an object with `toJSON` would be written as other
        // options than it holds, or none: the defaults, silently.
        None => {
            return Err(usage(
                "the options are not a plain object ({trace: true}) or JSON text",
            ))
        }
    };
    Options::from_json(&text).map_err(thrown)
}

/// Whether `value` is an object that `JSON.stringify` writes as the keys it
/// holds: made by `{...}` or `Object.create(null)`, without `toJSON`.
fn plain_object(value: &JsValue) -> bool {
    if !value.is_object() || array_is_array(value).unwrap_or(true) {
        return false;
    }
    let plain = prototype_of(&Object::new()).unwrap_or(JsValue::NULL);
    match prototype_of(value) {
        Ok(prototype) if prototype.is_null() || Object::is(&prototype, &plain) => {
            !Reflect::has(value, &JsValue::from_str("toJSON")).unwrap_or(true)
        }
        _ => false,
    }
}

/// The text of a JavaScript string; `None` for a value that is not one. A
/// string holding a lone surrogate is not Unicode text: a usage error, not
/// read with U+FFFD in its place, which would evaluate text the caller did
/// not give (as the .NET binding refuses it too).
fn js_text(value: &JsValue, what: &str) -> Result<Option<String>, JsValue> {
    let Some(text) = value.dyn_ref::<JsString>() else {
        return Ok(None);
    };
    if !text.is_valid_utf16() {
        return Err(usage(format!(
            "{what} holds a lone surrogate: it is not Unicode text"
        )));
    }
    Ok(text.as_string())
}

fn string(value: &JsValue, what: &str) -> Result<String, JsValue> {
    js_text(value, what)?.ok_or_else(|| usage(format!("{what} is not a string")))
}

/// A flag that may be left out (`undefined` or `null`: false); any other
/// value but a boolean is a usage error, never read as true or false by
/// JavaScript's truthiness (`"false"` is truthy).
fn optional_bool(value: &JsValue, what: &str) -> Result<bool, JsValue> {
    match value.as_bool() {
        Some(b) => Ok(b),
        None if value.is_undefined() || value.is_null() => Ok(false),
        None => Err(usage(format!("{what} is not a boolean"))),
    }
}

fn optional_string(value: &JsValue, what: &str) -> Result<Option<String>, JsValue> {
    if value.is_undefined() || value.is_null() {
        Ok(None)
    } else {
        string(value, what).map(Some)
    }
}

/// JSON text the engine wrote, as the object `JSON.parse` gives.
fn parsed(json: &str) -> Result<JsValue, JsValue> {
    JSON::parse(json).map_err(|_| internal("the engine wrote JSON that does not parse"))
}

/// `JSON.stringify(value)`, when it gives text (not for a cycle, a BigInt
/// or a function).
fn stringified(value: &JsValue) -> Option<String> {
    JSON::stringify(value)
        .ok()
        .and_then(|text| JsValue::from(text).as_string())
}

fn serde_json_text<T: serde::Serialize + ?Sized>(value: &T) -> Result<String, JsValue> {
    serde_json::to_string(value).map_err(|e| internal(e.to_string()))
}

fn internal(message: impl Into<String>) -> JsValue {
    thrown(Errors::one(Error::new(ErrorKind::Internal, message)))
}
