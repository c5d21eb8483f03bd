//! `judgement explain`: the outcome of one evidence record in plain English,
//! each step with its rule, citation, the handbook's words and the reading
//! the ruleset takes. The text is the engine's (`judgement_engine::explain`,
//! over the typed outcome and trace); this command reads, evaluates and
//! prints.

use crate::input::{self, Input};
use crate::load::{self, Choice};
use crate::render::Renderer;
use crate::{Failure, Outcome as CmdOutcome};
use judgement_engine::EvalOptions;
use std::io::Write;
use std::path::Path;

pub fn run(
    path: &Path,
    file: &Path,
    edition: Option<&str>,
    allow_unknown_fields: bool,
    max_record_bytes: usize,
    out: &mut dyn Write,
    r: &Renderer,
) -> CmdOutcome {
    let editions = load::editions(path, r)?;
    let choice = Choice::new(&editions, edition)?;
    let mut input = Input::open(Some(file), input::Format::Json, max_record_bytes)?;
    let text = input.read_all()?;
    if input::several_values(&text) {
        return Err(Failure::Usage(format!(
            "`{}` holds more than one JSON record (JSON Lines), and `explain` explains one; \
             use `judgement eval` for many",
            input.name
        )));
    }
    let options = EvalOptions {
        trace: true,
        allow_unknown_fields,
    };
    let (ruleset, outcome) = crate::eval::evaluate_one(&input.name, &text, choice, options, r)?;
    let page = judgement_engine::explain(ruleset, &outcome, &input.name);
    out.write_all(page.as_bytes())?;
    Ok(())
}
