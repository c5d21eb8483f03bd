//! `judgement schema`: the evidence JSON Schema of a ruleset edition.

use crate::load::{self, Choice};
use crate::render::Renderer;
use crate::{Failure, Outcome};
use judgement_engine::SchemaOptions;
use std::io::Write;
use std::path::Path;

pub fn run(
    path: &Path,
    edition: Option<&str>,
    allow_unknown_fields: bool,
    out: &mut dyn Write,
    r: &Renderer,
) -> Outcome {
    let editions = load::editions(path, r)?;
    let ruleset = match Choice::new(&editions, edition)? {
        Choice::Fixed(ruleset) => ruleset,
        // The newest edition: editions are in order of coming into force.
        Choice::InForce(all) => all
            .editions()
            .last()
            .ok_or_else(|| Failure::Usage(format!("no rule files in `{}`", path.display())))?,
    };
    let schema = ruleset.schema_with(SchemaOptions {
        allow_unknown_fields,
    });
    let json = serde_json::to_string_pretty(&schema).map_err(|e| Failure::Usage(e.to_string()))?;
    writeln!(out, "{json}")?;
    Ok(())
}
