//! The C ABI of judgement: a thin layer over [`judgement_engine::embed`].
//!
//! Every function here turns C strings into Rust ones, calls one method of
//! [`Engine`], and turns the result back: no logic of its own. A failure
//! returns `NULL` and leaves the errors, as data, for `judgement_last_error`
//! and `judgement_error_field` on the calling thread. No function panics
//! across the boundary: each body runs under `catch_unwind`, and a bug
//! becomes an error of kind `internal`.
//!
//! The header `include/judgement.h` is generated from this file by cbindgen
//! (`tests/header.rs` fails when it is stale).

use judgement_engine::embed::{Engine, Error, ErrorKind, Errors, Options};
use std::cell::RefCell;
use std::ffi::{c_char, CStr, CString};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;
use std::ptr;

/// A loaded ruleset (the editions of one handbook), opaque to C. It is
/// immutable: one handle may be used from any number of threads at once.
pub struct Ruleset {
    engine: Engine,
}

/// The error fields `judgement_error_field` knows, in the order of the
/// error contract.
const FIELDS: [&str; 10] = [
    "kind", "severity", "message", "help", "path", "file", "line", "column", "rule", "cite",
];

/// The errors of the last failed call on one thread, kept as C strings so
/// that the pointers handed out stay valid until the next call.
struct LastError {
    json: CString,
    /// Per error, each of [`FIELDS`] that it has.
    fields: Vec<Vec<Option<CString>>>,
}

thread_local! {
    static LAST_ERROR: RefCell<Option<LastError>> = const { RefCell::new(None) };
}

const PANICKED: &str = "internal error: a call into judgement stopped; this is a bug in judgement";

/// A C string of `text`; a NUL character, which a C string cannot hold,
/// is given as U+FFFD. It can come from the evidence: a key in an error's
/// path, or text an explanation quotes (an id, a message built from it).
/// Text without one is moved, not copied.
fn c_string_lossy(text: String) -> CString {
    let text = if text.contains('\0') {
        text.replace('\0', "\u{fffd}")
    } else {
        text
    };
    CString::new(text).unwrap_or_default()
}

fn fields_of(error: &Error) -> Vec<Option<CString>> {
    let value = serde_json::to_value(error).unwrap_or_default();
    FIELDS
        .iter()
        .map(|name| match value.get(name) {
            Some(serde_json::Value::String(s)) => Some(c_string_lossy(s.clone())),
            Some(serde_json::Value::Null) | None => None,
            Some(other) => Some(c_string_lossy(other.to_string())),
        })
        .collect()
}

fn set_last_error(errors: Option<&Errors>) {
    let last = errors.map(|errors| LastError {
        json: c_string_lossy(errors.to_json()),
        fields: errors.0.iter().map(fields_of).collect(),
    });
    // During thread teardown the slot may be gone: nothing to keep then.
    let _ = LAST_ERROR.try_with(|slot| {
        if let Ok(mut slot) = slot.try_borrow_mut() {
            *slot = last;
        }
    });
}

fn usage(message: impl Into<String>) -> Errors {
    Errors::one(Error::new(ErrorKind::Usage, message))
}

/// Run one call: the last error cleared, then set if `f` fails or panics;
/// `failed` is what C gets then.
fn call<T>(failed: T, f: impl FnOnce() -> Result<T, Errors>) -> T {
    set_last_error(None);
    let errors = match catch_unwind(AssertUnwindSafe(f)) {
        Ok(Ok(value)) => return value,
        Ok(Err(errors)) => errors,
        Err(_) => Errors::one(Error::new(ErrorKind::Internal, PANICKED)),
    };
    set_last_error(Some(&errors));
    failed
}

/// Run a call that leaves the last error as it is (the free functions and
/// those that read the last error); `failed` if it panics.
fn quiet<T>(failed: T, f: impl FnOnce() -> T) -> T {
    catch_unwind(AssertUnwindSafe(f)).unwrap_or(failed)
}

/// A string for C to own (and free with `judgement_string_free`), its NUL
/// characters given as U+FFFD ([`c_string_lossy`]): valid arguments are not
/// the caller's fault.
fn owned(text: String) -> Result<*mut c_char, Errors> {
    Ok(c_string_lossy(text).into_raw())
}

/// The text of a C string argument, which must be set and UTF-8.
///
/// # Safety
///
/// `ptr` is NULL or points to a NUL-terminated string that stays valid and
/// unchanged for `'a` (the call).
unsafe fn text<'a>(ptr: *const c_char, what: &str) -> Result<&'a str, Errors> {
    if ptr.is_null() {
        return Err(usage(format!("{what} is NULL")));
    }
    // SAFETY: not NULL (checked above), and the caller promises a
    // NUL-terminated string valid for the call.
    let c = unsafe { CStr::from_ptr(ptr) };
    c.to_str().map_err(|e| {
        usage(format!(
            "{what} is not valid UTF-8 (at byte {})",
            e.valid_up_to()
        ))
    })
}

/// An optional C string argument: NULL is `None`.
///
/// # Safety
///
/// As [`text`].
unsafe fn optional_text<'a>(ptr: *const c_char, what: &str) -> Result<Option<&'a str>, Errors> {
    if ptr.is_null() {
        Ok(None)
    } else {
        // SAFETY: the caller's promise is the one `text` needs.
        unsafe { text(ptr, what) }.map(Some)
    }
}

/// The options: NULL or an empty text is the default.
///
/// # Safety
///
/// As [`text`].
unsafe fn options(ptr: *const c_char) -> Result<Options, Errors> {
    // SAFETY: the caller's promise is the one `optional_text` needs.
    let json = unsafe { optional_text(ptr, "the options text") }?;
    Options::from_json(json.unwrap_or(""))
}

/// The engine behind a handle.
///
/// # Safety
///
/// `ruleset` is NULL or a handle from `judgement_open` or
/// `judgement_open_sources` not yet given to `judgement_free`.
unsafe fn engine<'a>(ruleset: *const Ruleset) -> Result<&'a Engine, Errors> {
    // SAFETY: a live handle is a `Box<Ruleset>` turned into a pointer by
    // `into_raw`, so it is aligned and valid; it is only read, and `Engine`
    // is `Sync`, so other threads may read it at the same time.
    match unsafe { ruleset.as_ref() } {
        Some(r) => Ok(&r.engine),
        None => Err(usage("the ruleset is NULL")),
    }
}

fn handle(engine: Engine) -> *mut Ruleset {
    Box::into_raw(Box::new(Ruleset { engine }))
}

/// Open a ruleset from a path: a rule file, or a folder of editions, with
/// the calendars and shared definitions found beside it (`calendars/`,
/// `definitions/` in its folder or any folder above), as the command line
/// does.
///
/// Returns a handle to free with `judgement_free`, or NULL on failure (see
/// `judgement_last_error`: kinds `io`, `syntax`, `check`, `calendar`,
/// `load`, `usage`). Warnings found while loading are given by
/// `judgement_warnings`.
///
/// # Safety
///
/// `path` is NULL or a NUL-terminated UTF-8 string.
#[no_mangle]
pub unsafe extern "C" fn judgement_open(path: *const c_char) -> *mut Ruleset {
    call(ptr::null_mut(), || {
        // SAFETY: the caller's promise is the one `text` needs.
        let path = unsafe { text(path, "the path") }?;
        Engine::load(Path::new(path)).map(handle)
    })
}

/// Open a ruleset from texts in memory: `count` pairs of a label (standing
/// for the file's path, as in error messages) and the file's text.
/// A label ending `.calendar` is a calendar; a text whose header says
/// `definitions` is shared definitions, which `uses NAME` finds by the
/// label's stem (`definitions/NAME.rules`); every other text is an edition
/// of the ruleset.
///
/// Returns a handle to free with `judgement_free`, or NULL on failure (a
/// syntax error is of kind `syntax`, with the label as `file` and its
/// `line` and `column`). The texts are copied: they may be freed once this
/// returns.
///
/// # Safety
///
/// `labels` and `texts` each point to `count` pointers, each NULL or a
/// NUL-terminated UTF-8 string (either array may be NULL when `count` is 0).
#[no_mangle]
pub unsafe extern "C" fn judgement_open_sources(
    labels: *const *const c_char,
    texts: *const *const c_char,
    count: usize,
) -> *mut Ruleset {
    call(ptr::null_mut(), || {
        if count > 0 && (labels.is_null() || texts.is_null()) {
            return Err(usage("the labels or the texts are NULL"));
        }
        let mut files = Vec::with_capacity(count);
        for i in 0..count {
            // SAFETY: both arrays are not NULL (checked above) and hold
            // `count` pointers (the caller's promise), so `i < count` is in
            // bounds and the pointers are aligned and readable.
            let (label, source) = unsafe { (*labels.add(i), *texts.add(i)) };
            // SAFETY: each is NULL or a NUL-terminated string (the caller's
            // promise).
            let label = unsafe { text(label, &format!("label {i}")) }?;
            // SAFETY: as for the label.
            let source = unsafe { text(source, &format!("text {i} ({label})")) }?;
            files.push((label, source));
        }
        Engine::from_files(files).map(handle)
    })
}

/// Free a ruleset. NULL is allowed and does nothing. No call may use the
/// handle after this, on any thread.
///
/// # Safety
///
/// `ruleset` is NULL or a handle from `judgement_open` or
/// `judgement_open_sources` not freed before.
#[no_mangle]
pub unsafe extern "C" fn judgement_free(ruleset: *mut Ruleset) {
    if ruleset.is_null() {
        return;
    }
    quiet((), || {
        // SAFETY: a live handle came from `Box::into_raw` in `handle`, and
        // the caller gives up its only use of it here, so it is dropped once.
        drop(unsafe { Box::from_raw(ruleset) });
    });
}

/// Evaluate one evidence record, given as JSON text, to the outcome as JSON:
/// exactly what `judgement eval` prints for it (pretty, without a final
/// newline). The edition is the one in force on the evidence's date.
///
/// `options` is NULL, empty or JSON `null` (no options), or a JSON object
/// such as
/// `{"trace": true, "allow_unknown_fields": true, "edition": "2015-04"}`
/// or `{"compact": true}` (each key optional; `trace` with `compact` is a
/// `usage` error, as on the command line).
///
/// Returns a string to free with `judgement_string_free`, or NULL on
/// failure: kind `json` (with `line` and `column` in the evidence),
/// `evidence` (with the JSON `path`), `edition`, `evaluation` (with the
/// `rule` and `cite` where one is to blame), `usage` (a NULL argument,
/// text that is not UTF-8, bad options).
///
/// # Safety
///
/// `ruleset` is NULL or a live handle; `evidence` and `options` are NULL or
/// NUL-terminated strings.
#[no_mangle]
pub unsafe extern "C" fn judgement_evaluate(
    ruleset: *const Ruleset,
    evidence: *const c_char,
    options: *const c_char,
) -> *mut c_char {
    call(ptr::null_mut(), || {
        // SAFETY: the caller promises what `engine`, `text` and `options`
        // need.
        let (engine, evidence, options) = unsafe {
            (
                engine(ruleset)?,
                text(evidence, "the evidence")?,
                self::options(options)?,
            )
        };
        owned(engine.evaluate(evidence, &options)?)
    })
}

/// Evaluate JSON Lines (one record a line): the output `judgement eval`
/// writes for them, one line each in order, every line ending in a newline.
/// A record that fails gives the line `{"line": N, "error": "..."}` (with
/// its `"id"` after the error where it can be read) and is counted in
/// `*failed` (when `failed` is not NULL); that is not a failure
/// of the call. `options` as for `judgement_evaluate`.
///
/// Returns a string to free with `judgement_string_free`, or NULL on
/// failure (kind `usage`, or `edition` for an edition asked for in
/// `options` that the ruleset does not have), `*failed` then left as it
/// was.
///
/// # Safety
///
/// `ruleset` is NULL or a live handle; `lines` and `options` are NULL or
/// NUL-terminated strings; `failed` is NULL or points to a writable
/// `size_t`.
#[no_mangle]
pub unsafe extern "C" fn judgement_evaluate_lines(
    ruleset: *const Ruleset,
    lines: *const c_char,
    options: *const c_char,
    failed: *mut usize,
) -> *mut c_char {
    call(ptr::null_mut(), || {
        // SAFETY: the caller promises what `engine`, `text` and `options`
        // need.
        let (engine, lines, options) = unsafe {
            (
                engine(ruleset)?,
                text(lines, "the JSON Lines text")?,
                self::options(options)?,
            )
        };
        let result = engine.evaluate_lines(lines, &options)?;
        let output = owned(result.output)?;
        // SAFETY: `failed` is NULL or points to a writable `size_t` (the
        // caller's promise); `as_mut` checks for NULL.
        if let Some(failed) = unsafe { failed.as_mut() } {
            *failed = result.failed;
        }
        Ok(output)
    })
}

/// Explain one record's outcome in plain English, as `judgement explain`
/// prints it: each judgement, the rules and citations behind it, what is
/// provisional and why. `name` stands for the evidence in the heading (a
/// file name). `options` as for `judgement_evaluate` (the trace is always
/// on; `compact` is a `usage` error, as an explanation writes no outcome).
///
/// Returns a string to free with `judgement_string_free`, or NULL on
/// failure (the kinds of `judgement_evaluate`).
///
/// # Safety
///
/// `ruleset` is NULL or a live handle; `evidence`, `name` and `options` are
/// NULL or NUL-terminated strings.
#[no_mangle]
pub unsafe extern "C" fn judgement_explain(
    ruleset: *const Ruleset,
    evidence: *const c_char,
    name: *const c_char,
    options: *const c_char,
) -> *mut c_char {
    call(ptr::null_mut(), || {
        // SAFETY: the caller promises what `engine`, `text` and `options`
        // need.
        let (engine, evidence, name, options) = unsafe {
            (
                engine(ruleset)?,
                text(evidence, "the evidence")?,
                text(name, "the name")?,
                self::options(options)?,
            )
        };
        owned(engine.explain(evidence, name, &options)?)
    })
}

/// Why `target` does not hold for one record, as `judgement explain
/// --why-not TARGET` prints it: `target` is a rule id, `JUDGEMENT=VALUE`
/// (or `JUDGEMENT`), or `action:NAME`, `finding:NAME` or `deadline:NAME`
/// (docs/authoring.md). `as_json`: the answer as JSON (pretty), as `--json`
/// prints it; else in plain English. `options` as for `judgement_explain`.
///
/// Returns a string to free with `judgement_string_free`, or NULL on
/// failure (the kinds of `judgement_evaluate`, and `usage` for a target
/// the ruleset does not have, naming the nearest).
///
/// # Safety
///
/// `ruleset` is NULL or a live handle; `evidence`, `target` and `options`
/// are NULL or NUL-terminated strings.
#[no_mangle]
pub unsafe extern "C" fn judgement_why_not(
    ruleset: *const Ruleset,
    evidence: *const c_char,
    target: *const c_char,
    options: *const c_char,
    as_json: bool,
) -> *mut c_char {
    call(ptr::null_mut(), || {
        // SAFETY: the caller promises what `engine`, `text` and `options`
        // need.
        let (engine, evidence, target, options) = unsafe {
            (
                engine(ruleset)?,
                text(evidence, "the evidence")?,
                text(target, "the target")?,
                self::options(options)?,
            )
        };
        owned(engine.why_not(evidence, target, &options, as_json)?)
    })
}

/// The JSON Schema of the evidence an edition expects, as `judgement
/// schema` prints it (pretty, without a final newline). `edition` is NULL
/// for the newest edition, or its version (`"2015-04"`). Objects are closed
/// to undeclared keys unless `allow_unknown_fields`.
///
/// Returns a string to free with `judgement_string_free`, or NULL on
/// failure (kind `edition` for an unknown version).
///
/// # Safety
///
/// `ruleset` is NULL or a live handle; `edition` is NULL or a
/// NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn judgement_schema(
    ruleset: *const Ruleset,
    edition: *const c_char,
    allow_unknown_fields: bool,
) -> *mut c_char {
    call(ptr::null_mut(), || {
        // SAFETY: the caller promises what `engine` and `optional_text` need.
        let (engine, edition) =
            unsafe { (engine(ruleset)?, optional_text(edition, "the edition")?) };
        owned(engine.schema(edition, allow_unknown_fields)?)
    })
}

/// The warnings found while loading the ruleset (unused thresholds, missing
/// citations...), as a JSON array of error objects with severity
/// `warning` (`[]` when there are none).
///
/// Returns a string to free with `judgement_string_free`, or NULL on
/// failure (kind `usage`).
///
/// # Safety
///
/// `ruleset` is NULL or a live handle.
#[no_mangle]
pub unsafe extern "C" fn judgement_warnings(ruleset: *const Ruleset) -> *mut c_char {
    call(ptr::null_mut(), || {
        // SAFETY: the caller promises what `engine` needs.
        let engine = unsafe { engine(ruleset) }?;
        owned(Errors(engine.warnings().to_vec()).to_json())
    })
}

/// Run the tests written in the rule files, as `judgement test` does: a
/// JSON array with one object per test, `{"edition", "name", "passed",
/// "failures"}` (each failure an error object with its file, line and
/// column).
///
/// Returns a string to free with `judgement_string_free`, or NULL on
/// failure (kind `usage`).
///
/// # Safety
///
/// `ruleset` is NULL or a live handle.
#[no_mangle]
pub unsafe extern "C" fn judgement_run_tests(ruleset: *const Ruleset) -> *mut c_char {
    call(ptr::null_mut(), || {
        // SAFETY: the caller promises what `engine` needs.
        let engine = unsafe { engine(ruleset) }?;
        let json = serde_json::to_string(&engine.run_tests())
            .map_err(|e| Errors::one(Error::new(ErrorKind::Internal, e.to_string())))?;
        owned(json)
    })
}

/// Free a string that a function of this library returned. NULL is
/// allowed and does nothing.
///
/// # Safety
///
/// `text` is NULL or a string returned by this library and not freed
/// before.
#[no_mangle]
pub unsafe extern "C" fn judgement_string_free(text: *mut c_char) {
    if text.is_null() {
        return;
    }
    quiet((), || {
        // SAFETY: every string this library returns comes from
        // `CString::into_raw` in `owned`, and the caller gives it back once.
        drop(unsafe { CString::from_raw(text) });
    });
}

/// The errors of the last call on this thread that failed, as a JSON array
/// of objects `{"kind", "severity", "message", "help"?, "path"?, "file"?,
/// "line"?, "column"?, "rule"?, "cite"?}`; NULL when the last call
/// succeeded.
///
/// Each function that returns NULL on failure (those that open, evaluate,
/// explain, give the schema, the warnings or the tests) clears the last
/// error when it starts; the others leave it as it is. The string is owned
/// by the library: do not free it; it stays valid until the next call that
/// clears it on this thread. Warnings (severity `warning`) may come with
/// the errors of opening a ruleset.
#[no_mangle]
pub extern "C" fn judgement_last_error() -> *const c_char {
    quiet(ptr::null(), last_error_json)
}

fn last_error_json() -> *const c_char {
    LAST_ERROR
        .try_with(|slot| match slot.try_borrow() {
            Ok(last) => last.as_ref().map_or(ptr::null(), |l| l.json.as_ptr()),
            Err(_) => ptr::null(),
        })
        .unwrap_or(ptr::null())
}

/// How many errors the last call on this thread gave (0 when it
/// succeeded). The first is the one to show.
#[no_mangle]
pub extern "C" fn judgement_error_count() -> usize {
    quiet(0, error_count)
}

fn error_count() -> usize {
    LAST_ERROR
        .try_with(|slot| match slot.try_borrow() {
            Ok(last) => last.as_ref().map_or(0, |l| l.fields.len()),
            Err(_) => 0,
        })
        .unwrap_or(0)
}

/// One field of the `index`th error (from 0) of the last call on this
/// thread, without parsing JSON: `field` is one of `kind`, `severity`,
/// `message`, `help`, `path`, `file`, `line`, `column`, `rule`, `cite`
/// (line and column as decimal text). NULL when there is no such error,
/// field, or value.
///
/// The string is owned by the library, as for `judgement_last_error`.
///
/// # Safety
///
/// `field` is NULL or a NUL-terminated string.
#[no_mangle]
pub unsafe extern "C" fn judgement_error_field(
    index: usize,
    field: *const c_char,
) -> *const c_char {
    if field.is_null() {
        return ptr::null();
    }
    // SAFETY: not NULL (checked above), and NUL-terminated (the caller's
    // promise).
    let field = unsafe { CStr::from_ptr(field) };
    quiet(ptr::null(), || error_field(index, field))
}

fn error_field(index: usize, field: &CStr) -> *const c_char {
    let Some(at) = FIELDS.iter().position(|f| f.as_bytes() == field.to_bytes()) else {
        return ptr::null();
    };
    LAST_ERROR
        .try_with(|slot| match slot.try_borrow() {
            Ok(last) => last
                .as_ref()
                .and_then(|l| l.fields.get(index))
                .and_then(|fields| fields.get(at))
                .and_then(Option::as_ref)
                .map_or(ptr::null(), |s| s.as_ptr()),
            Err(_) => ptr::null(),
        })
        .unwrap_or(ptr::null())
}

/// The version of this library, such as `"0.1.0"` (static: do not free).
#[no_mangle]
pub extern "C" fn judgement_version() -> *const c_char {
    const VERSION: &CStr =
        match CStr::from_bytes_with_nul(concat!(env!("CARGO_PKG_VERSION"), "\0").as_bytes()) {
            Ok(v) => v,
            Err(_) => c"",
        };
    VERSION.as_ptr()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn first(field: &CStr) -> Option<String> {
        // SAFETY: `field` is a C string; the result, when not NULL, is the
        // library's string, valid until the next call on this thread.
        let value = unsafe { judgement_error_field(0, field.as_ptr()).as_ref() };
        value.map(|v| {
            // SAFETY: not NULL, and NUL-terminated by the library.
            unsafe { CStr::from_ptr(v) }.to_string_lossy().into_owned()
        })
    }

    #[test]
    fn a_panic_is_an_internal_error_not_an_unwind_into_c() {
        let result: *mut c_char = call(ptr::null_mut(), || panic!("a bug"));
        assert!(result.is_null());
        assert_eq!(first(c"kind").as_deref(), Some("internal"));
        assert_eq!(judgement_error_count(), 1);
        assert!(!judgement_last_error().is_null());
    }

    #[test]
    fn a_nul_in_a_result_is_given_as_a_replacement_character_not_an_error() {
        // An explanation quotes the evidence's text, which JSON lets hold a
        // NUL (`"id": "q\u0000"`): the call succeeds.
        let result = owned("record q\0 explained".to_string());
        let Ok(raw) = result else {
            panic!("refused: {result:?}")
        };
        // SAFETY: `raw` came from `CString::into_raw` just above, and is
        // taken back once.
        let text = unsafe { CString::from_raw(raw) };
        assert_eq!(text.to_str().ok(), Some("record q\u{fffd} explained"));
    }

    #[test]
    fn a_call_that_succeeds_clears_the_last_error() {
        let _: *mut c_char = call(ptr::null_mut(), || Err(usage("no")));
        assert_eq!(first(c"kind").as_deref(), Some("usage"));
        assert_eq!(call(0, || Ok(1)), 1);
        assert!(judgement_last_error().is_null());
        assert_eq!(judgement_error_count(), 0);
        assert_eq!(first(c"kind"), None);
    }

    #[test]
    fn null_and_text_that_is_not_utf8_are_usage_errors() {
        // SAFETY: NULL is allowed for every argument.
        let result = unsafe { judgement_evaluate(ptr::null(), ptr::null(), ptr::null()) };
        assert!(result.is_null());
        assert_eq!(first(c"kind").as_deref(), Some("usage"));
        assert_eq!(first(c"message").as_deref(), Some("the ruleset is NULL"));

        let bad = c"{\"id\": \"\xff\"}";
        // SAFETY: `bad` is a C string for the call.
        let error = unsafe { text(bad.as_ptr(), "the evidence") }.err();
        assert_eq!(
            error.map(|e| e.to_string()).as_deref(),
            Some("the evidence is not valid UTF-8 (at byte 8)")
        );
    }

    #[test]
    fn a_nul_in_an_error_field_is_replaced_not_cut() {
        set_last_error(Some(&usage("a\0b")));
        assert_eq!(first(c"message").as_deref(), Some("a\u{fffd}b"));
    }
}
