//! `judgement explain`: the outcome of one evidence record in plain English,
//! each step with its rule, citation, the handbook's words and the reading
//! the ruleset takes. The text is the engine's (`judgement_engine::explain`,
//! over the typed outcome and trace); this command reads, evaluates and
//! prints.

use crate::input::{self, Input};
use crate::load::{self, Choice};
use crate::render::{Code, Renderer};
use crate::{Failure, Outcome as CmdOutcome};
use judgement_engine::{EvalOptions, WhyNotError};
use std::io::Write;
use std::path::Path;

/// What `explain` is asked.
pub struct Args<'a> {
    pub ruleset: &'a Path,
    pub file: &'a Path,
    pub edition: Option<&'a str>,
    pub allow_unknown_fields: bool,
    pub max_record_bytes: usize,
    /// `--why-not TARGET`: a rule id, `JUDGEMENT=VALUE`, or `action:NAME`
    /// (`finding:`, `deadline:`).
    pub why_not: Option<&'a str>,
    /// With `--why-not`: the answer as JSON.
    pub json: bool,
}

pub fn run(args: &Args<'_>, out: &mut dyn Write, r: &Renderer) -> CmdOutcome {
    let Args {
        ruleset: path,
        file,
        edition,
        allow_unknown_fields,
        max_record_bytes,
        why_not,
        json,
    } = *args;
    let editions = load::editions(path, r)?;
    let choice = Choice::new(&editions, edition)?;
    let mut input = Input::open(Some(file), input::Format::Json, max_record_bytes)?;
    let text = input.read_all()?;
    // Nothing but layout: no record to explain, said as eval says it.
    if text.iter().all(u8::is_ascii_whitespace) {
        r.error_in(
            Code::Evidence,
            &input.name,
            "there is no evidence: the input is empty",
        );
        return Err(Failure::Problems);
    }
    if judgement_engine::several_values(&text) {
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
    if let Some(target) = why_not {
        return answer(&input.name, &text, choice, target, options, json, out, r);
    }
    let (ruleset, outcome) = crate::eval::evaluate_one(&input.name, &text, choice, options, r)?;
    let page = judgement_engine::explain(ruleset, &outcome, &input.name);
    out.write_all(page.as_bytes())?;
    Ok(())
}

/// `--why-not TARGET`: why a rule did not fire, why a judgement is not a
/// value, or why an action, finding or deadline was not given, in plain
/// English or (`json`) as JSON.
#[allow(clippy::too_many_arguments)]
fn answer(
    name: &str,
    text: &[u8],
    choice: Choice<'_>,
    target: &str,
    options: EvalOptions,
    json: bool,
    out: &mut dyn Write,
    r: &Renderer,
) -> CmdOutcome {
    let text = match crate::input::utf8(text) {
        Ok(text) => text,
        Err(why) => {
            r.not_utf8(name, None, &why);
            return Err(Failure::Problems);
        }
    };
    let evidence = judgement_engine::parse_json(text).map_err(|e| {
        r.eval_error(name, None, &e, None);
        Failure::Problems
    })?;
    let ruleset = choice.pick(&evidence, options).map_err(|e| {
        r.eval_error(name, None, &e, None);
        Failure::Problems
    })?;
    // An edition chosen by the record's date holds the changes offered to
    // its period in force; one named with --edition evaluates any date.
    let ask = match choice {
        Choice::Fixed(_) => judgement_engine::why_not,
        Choice::InForce(_) => judgement_engine::why_not_in_force,
    };
    let why = match ask(ruleset, &evidence, target, options) {
        Ok(why) => why,
        Err(WhyNotError::Eval(e)) => {
            r.eval_error(name, None, &e, Some(ruleset));
            return Err(Failure::Problems);
        }
        Err(other) => return Err(Failure::Usage(other.to_string())),
    };
    if json {
        let text = serde_json::to_string_pretty(&why)
            .map_err(|e| Failure::Usage(format!("cannot write the answer as JSON: {e}")))?;
        writeln!(out, "{text}")?;
    } else {
        out.write_all(judgement_engine::why_not_text(ruleset, &why).as_bytes())?;
    }
    Ok(())
}
