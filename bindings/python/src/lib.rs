//! The Python binding of judgement: the native module `judgement._judgement`
//! (re-exported by the package `judgement`). It is a thin layer over
//! [`judgement_engine::embed::Engine`]: every call hands the engine JSON text
//! and hands its JSON text back, parsed by Python's own `json` module, so what
//! Python sees is exactly what `judgement eval` prints. Every failure is a
//! `judgement.JudgementError` carrying the engine's errors as data.
//!
//! Nothing crosses the boundary as a panic: each call into the engine runs
//! with the GIL released and under `catch_unwind`, and a panic becomes a
//! `JudgementError` of kind `internal`.

use judgement_engine::embed::{Engine, Error, ErrorKind, Errors, Options};
use pyo3::exceptions::PyException;
use pyo3::prelude::*;
use pyo3::types::PyString;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;

pyo3::create_exception!(
    judgement,
    JudgementError,
    PyException,
    "A ruleset that does not load, evidence that does not evaluate, or a call \
     the engine cannot make sense of. `errors` lists every problem as a dict \
     (kind, severity, message, help, path, file, line, column, rule, cite); \
     the attributes of the same names are those of the first error."
);

/// The keys of an error that the exception carries as attributes.
const ATTRIBUTES: [&str; 10] = [
    "kind", "severity", "message", "help", "path", "file", "line", "column", "rule", "cite",
];

const PANICKED: &str = "internal error: the engine stopped; this is a bug in judgement";

/// The editions of one ruleset, loaded and checked, ready to evaluate
/// evidence from any number of threads.
#[pyclass(frozen, module = "judgement", name = "Ruleset")]
struct Ruleset {
    engine: Engine,
}

#[pymethods]
impl Ruleset {
    /// Load a rule file, or a folder of editions, with the calendars and
    /// definitions beside it, as `judgement eval --ruleset PATH` does.
    #[staticmethod]
    fn load(py: Python<'_>, path: PathBuf) -> PyResult<Ruleset> {
        let engine = shielded(py, || Engine::load(&path)).map_err(|e| raise(py, &e))?;
        Ok(Ruleset { engine })
    }

    /// Load from texts in memory: a mapping (or pairs) of label to text.
    /// Labels ending `.calendar` are calendars; a text whose header says
    /// `definitions` is found by `uses NAME` through its label's stem; every
    /// other text is an edition of the one ruleset.
    #[staticmethod]
    fn from_sources(py: Python<'_>, files: &Bound<'_, PyAny>) -> PyResult<Ruleset> {
        let items = if files.hasattr("items")? {
            files.call_method0("items")?
        } else {
            files.clone()
        };
        let mut pairs: Vec<(String, String)> = Vec::new();
        for item in items.try_iter()? {
            // A pair of the wrong length is a wrong type, as the README
            // says of every argument, where PyO3 would raise ValueError.
            let item = item?;
            if let Ok(tuple) = item.cast::<pyo3::types::PyTuple>() {
                if tuple.len() != 2 {
                    return Err(pyo3::exceptions::PyTypeError::new_err(format!(
                        "expected a pair of label and text, but got a tuple of length {}",
                        tuple.len()
                    )));
                }
            }
            pairs.push(item.extract()?);
        }
        let engine = shielded(py, || Engine::from_files(pairs)).map_err(|e| raise(py, &e))?;
        Ok(Ruleset { engine })
    }

    /// The ruleset's name.
    #[getter]
    fn name(&self) -> &str {
        self.engine.name()
    }

    /// The versions of its editions, oldest first.
    #[getter]
    fn editions(&self) -> Vec<String> {
        self.engine
            .editions()
            .editions()
            .iter()
            .map(|r| r.version().to_string())
            .collect()
    }

    /// The warnings found while loading, each a dict like an error's.
    #[getter]
    fn warnings<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        loads(py, &Errors(self.engine.warnings().to_vec()).to_json())
    }

    /// Evaluate one record (a dict, or JSON text) to its outcome, as a dict
    /// equal to the JSON `judgement eval` prints.
    #[pyo3(signature = (evidence, *, trace=false, compact=false, allow_unknown_fields=false, edition=None))]
    fn evaluate<'py>(
        &self,
        py: Python<'py>,
        evidence: &Bound<'py, PyAny>,
        trace: bool,
        compact: bool,
        allow_unknown_fields: bool,
        edition: Option<String>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let text =
            self.evaluate_json(py, evidence, trace, compact, allow_unknown_fields, edition)?;
        loads(py, &text)
    }

    /// Evaluate one record (a dict, or JSON text) to the outcome's JSON
    /// text, exactly as `judgement eval` prints it (without the final
    /// newline).
    #[pyo3(signature = (evidence, *, trace=false, compact=false, allow_unknown_fields=false, edition=None))]
    fn evaluate_json(
        &self,
        py: Python<'_>,
        evidence: &Bound<'_, PyAny>,
        trace: bool,
        compact: bool,
        allow_unknown_fields: bool,
        edition: Option<String>,
    ) -> PyResult<String> {
        let text = json_text(evidence)?;
        let options = Options {
            trace,
            allow_unknown_fields,
            compact,
            edition,
        };
        shielded(py, || self.engine.evaluate(&text, &options)).map_err(|e| raise(py, &e))
    }

    /// Evaluate JSON Lines to what `judgement eval` writes for them: one
    /// line per record, in order, a record that fails giving
    /// `{"line": N, "error": "..."}`, with the record's `"id"` after the
    /// error where it can be read.
    #[pyo3(signature = (text, *, trace=false, compact=false, allow_unknown_fields=false, edition=None))]
    fn evaluate_lines(
        &self,
        py: Python<'_>,
        text: String,
        trace: bool,
        compact: bool,
        allow_unknown_fields: bool,
        edition: Option<String>,
    ) -> PyResult<String> {
        let options = Options {
            trace,
            allow_unknown_fields,
            compact,
            edition,
        };
        shielded(py, || {
            Ok(self.engine.evaluate_lines(&text, &options)?.output)
        })
        .map_err(|e| raise(py, &e))
    }

    /// The outcome of one record in plain English, as `judgement explain`
    /// prints it; `name` stands for the evidence in the heading.
    #[pyo3(signature = (evidence, name="evidence", *, allow_unknown_fields=false, edition=None))]
    fn explain(
        &self,
        py: Python<'_>,
        evidence: &Bound<'_, PyAny>,
        name: &str,
        allow_unknown_fields: bool,
        edition: Option<String>,
    ) -> PyResult<String> {
        let text = json_text(evidence)?;
        let options = Options {
            allow_unknown_fields,
            edition,
            ..Options::default()
        };
        shielded(py, || self.engine.explain(&text, name, &options)).map_err(|e| raise(py, &e))
    }

    /// Why `target` does not hold for one record, as `judgement explain
    /// --why-not TARGET` prints it: a rule id, `JUDGEMENT=VALUE` (or
    /// `JUDGEMENT`), or `action:NAME`, `finding:NAME`, `deadline:NAME`.
    /// The text, or with `as_data` the answer as a dict (`--json`). A
    /// target the ruleset does not have raises `JudgementError` of kind
    /// `usage`, naming the nearest.
    #[pyo3(signature = (evidence, target, *, as_data=false, allow_unknown_fields=false, edition=None))]
    fn why_not<'py>(
        &self,
        py: Python<'py>,
        evidence: &Bound<'_, PyAny>,
        target: &str,
        as_data: bool,
        allow_unknown_fields: bool,
        edition: Option<String>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let text = json_text(evidence)?;
        let options = Options {
            allow_unknown_fields,
            edition,
            ..Options::default()
        };
        let answer = shielded(py, || self.engine.why_not(&text, target, &options, as_data))
            .map_err(|e| raise(py, &e))?;
        if as_data {
            loads(py, &answer)
        } else {
            Ok(pyo3::types::PyString::new(py, &answer).into_any())
        }
    }

    /// The JSON Schema of the evidence an edition (the newest by default)
    /// expects, as `judgement schema` prints it.
    #[pyo3(signature = (edition=None, *, allow_unknown_fields=false))]
    fn schema<'py>(
        &self,
        py: Python<'py>,
        edition: Option<String>,
        allow_unknown_fields: bool,
    ) -> PyResult<Bound<'py, PyAny>> {
        let text = shielded(py, || {
            self.engine.schema(edition.as_deref(), allow_unknown_fields)
        })
        .map_err(|e| raise(py, &e))?;
        loads(py, &text)
    }

    /// Run the tests written in the rule files: one dict per test
    /// (edition, name, passed, failures).
    fn run_tests<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let text = shielded(py, || {
            serde_json::to_string(&self.engine.run_tests())
                .map_err(|e| Errors::one(Error::new(ErrorKind::Internal, e.to_string())))
        })
        .map_err(|e| raise(py, &e))?;
        loads(py, &text)
    }

    fn __repr__(&self) -> String {
        format!(
            "<judgement.Ruleset {} (editions {})>",
            self.engine.name(),
            self.editions().join(", ")
        )
    }
}

/// Run `f` with the GIL released, so other Python threads go on meanwhile;
/// a panic in it is an internal error, never an unwinding into Python.
fn shielded<T, F>(py: Python<'_>, f: F) -> Result<T, Errors>
where
    F: FnOnce() -> Result<T, Errors> + Send,
    T: Send,
{
    py.detach(|| {
        catch_unwind(AssertUnwindSafe(f))
            .unwrap_or_else(|_| Err(Errors::one(Error::new(ErrorKind::Internal, PANICKED))))
    })
}

/// The evidence as JSON text: a `str` as it is, anything else written by
/// Python's `json.dumps` (a value it cannot write raises its own TypeError,
/// and a float that is not a number, or infinite, its ValueError: JSON has
/// no such numbers, and `json.dumps` would otherwise write `NaN`, which the
/// engine would refuse at a column of text the caller never saw).
fn json_text(evidence: &Bound<'_, PyAny>) -> PyResult<String> {
    if let Ok(text) = evidence.cast::<PyString>() {
        return text.extract();
    }
    let py = evidence.py();
    let kwargs = pyo3::types::PyDict::new(py);
    kwargs.set_item("ensure_ascii", false)?;
    kwargs.set_item("allow_nan", false)?;
    py.import("json")?
        .call_method("dumps", (evidence,), Some(&kwargs))?
        .extract()
}

/// JSON text the engine wrote, as Python values.
fn loads<'py>(py: Python<'py>, text: &str) -> PyResult<Bound<'py, PyAny>> {
    py.import("json")?.call_method1("loads", (text,))
}

/// The engine's errors as a `JudgementError`: its message the errors one a
/// line, `errors` every one as a dict, and the first error's fields as
/// attributes.
fn raise(py: Python<'_>, errors: &Errors) -> PyErr {
    let mut message = errors.to_string();
    if message.is_empty() {
        message = errors
            .0
            .first()
            .map_or_else(String::new, ToString::to_string);
    }
    let err = JudgementError::new_err(message);
    if let Err(e) = describe(py, &err, errors) {
        return e;
    }
    err
}

fn describe(py: Python<'_>, err: &PyErr, errors: &Errors) -> PyResult<()> {
    let value = err.value(py);
    value.setattr("errors", loads(py, &errors.to_json())?)?;
    let first = errors.first().or_else(|| errors.0.first());
    let first = match first.map(serde_json::to_string) {
        Some(Ok(text)) => loads(py, &text)?,
        _ => pyo3::types::PyDict::new(py).into_any(),
    };
    for key in ATTRIBUTES {
        value.setattr(key, first.call_method1("get", (key,))?)?;
    }
    Ok(())
}

/// The native module; `judgement/__init__.py` re-exports it.
#[pymodule(name = "_judgement")]
fn native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Ruleset>()?;
    m.add("JudgementError", m.py().get_type::<JudgementError>())?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
