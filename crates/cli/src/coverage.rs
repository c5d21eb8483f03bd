//! `judgement test --coverage`: what the DSL tests of each rule file (and a
//! corpus, `--corpus DIR`) exercise: the engine counts
//! (`judgement_engine::coverage`), this command prints a table per file and
//! the gaps, or JSON, and fails under `--min N`.

use crate::check::plural;
use crate::diff::{corpus_files, each_case, evidence_of};
use crate::files::rule_files;
use crate::load;
use crate::render::{Code, Renderer};
use crate::{Failure, Outcome};
use judgement_engine::coverage::{self, Counter, Group, Summary};
use judgement_engine::{LoadError, Ruleset};
use serde_json::Value as Json;
use std::io::Write;
use std::path::PathBuf;

pub struct Args {
    pub paths: Vec<PathBuf>,
    pub corpus: Option<PathBuf>,
    pub json: bool,
    /// Fail below this rule coverage, in percent.
    pub min: Option<f64>,
}

pub fn run(args: &Args, out: &mut dyn Write, r: &Renderer) -> Outcome {
    let files = rule_files(&args.paths)?;
    // The corpus's files are found first (a folder without records is a
    // usage error before any ruleset loads), and read once the rulesets
    // have loaded, a record at a time.
    let corpus = match &args.corpus {
        Some(dir) => corpus_files(dir)?,
        None => Vec::new(),
    };
    let mut broken = 0usize;
    let mut loaded: Vec<(PathBuf, Ruleset)> = Vec::new();
    let mut definitions = Vec::new();
    let mut contexts = load::Contexts::default();
    for path in files {
        match contexts.ruleset(&path) {
            Ok(ruleset) => loaded.push((path, ruleset)),
            Err(LoadError::NotARuleset { .. }) => definitions.push(path),
            Err(e) => {
                broken += 1;
                load::report(&e, r).report(r);
            }
        }
    }
    // Definitions are exercised only through the rulesets that use them:
    // with none given, there is nothing to count, and 0 of 0 is no pass.
    if loaded.is_empty() && broken == 0 {
        let named = definitions
            .first()
            .map(|p| format!(" ({} holds definitions)", p.display()))
            .unwrap_or_default();
        return Err(Failure::Usage(format!(
            "no ruleset to measure{named}: definitions are covered through the rulesets that use them, so give those rulesets (or a folder holding them) too"
        )));
    }
    // Every file given failed to load (each said why): there is nothing to
    // report, and a table of 0 of 0 would read as full coverage.
    if loaded.is_empty() {
        return Err(Failure::Problems);
    }
    let mut counters: Vec<Counter<'_>> = loaded
        .iter()
        .map(|(_, ruleset)| Counter::new(ruleset))
        .collect();
    count_corpus(&corpus, &mut counters)?;
    let reports: Vec<_> = counters.into_iter().map(Counter::finish).collect();
    let groups = coverage::by_file(&reports);
    // A ruleset's own group is named by its file; definitions by their name.
    let label = |i: usize, g: &Group<'_>| match loaded.get(i) {
        Some((path, _)) if i < reports.len() => format!("{} ({})", path.display(), g.name),
        _ => g.name.clone(),
    };
    let total = Summary::total(groups.iter().map(|g| &g.summary));
    if args.json {
        let files: Vec<Json> = groups
            .iter()
            .enumerate()
            .map(|(i, g)| {
                let mut v = serde_json::to_value(g).unwrap_or(Json::Null);
                if let (Some(map), Some((path, _))) = (
                    v.as_object_mut(),
                    loaded.get(i).filter(|_| i < reports.len()),
                ) {
                    map.insert("path".into(), Json::from(path.display().to_string()));
                }
                v
            })
            .collect();
        let doc = serde_json::json!({
            "files": files,
            "total": total,
            "rule_coverage": total.rule_percent(),
        });
        let text = serde_json::to_string_pretty(&doc)
            .map_err(|e| Failure::Usage(format!("cannot write the report as JSON: {e}")))?;
        writeln!(out, "{text}")?;
    } else {
        for (i, g) in groups.iter().enumerate() {
            write_group(out, &label(i, g), g)?;
        }
        writeln!(
            out,
            "total over {} and {}:",
            plural(reports.len(), "ruleset"),
            plural(groups.len() - reports.len(), "definitions file")
        )?;
        write_table(out, &total)?;
    }
    if broken > 0 {
        return Err(Failure::Problems);
    }
    if let Some(min) = args.min {
        let got = total.rule_percent();
        if got < min {
            r.error(Code::Coverage, &format!(
                "rule coverage is {}% (rules that fired at least once), below the minimum of {min}%",
                below(got, min)
            ));
            return Err(Failure::Problems);
        }
    }
    Ok(())
}

/// `got`, a percentage below `min`, with one decimal, or as many more as
/// it takes not to be written as `min` or above it (66.67% below 66.7%).
fn below(got: f64, min: f64) -> String {
    (1..=6)
        .map(|places| format!("{got:.places$}"))
        .find(|text| text.parse::<f64>().is_ok_and(|shown| shown < min))
        .unwrap_or_else(|| got.to_string())
}

/// Each record of the corpus given to each ruleset's counter as it is read,
/// and then dropped: the memory taken does not grow with the corpus. One
/// that does not read as JSON is `null`, which evaluation refuses, so that
/// it is counted as skipped (`diff` and `eval` say what is wrong with it)
/// rather than left out unseen.
fn count_corpus(files: &[PathBuf], counters: &mut [Counter<'_>]) -> Result<(), Failure> {
    for file in files {
        each_case(file, crate::input::MAX_RECORD_BYTES, |_, text| {
            let record = match text.map(judgement_engine::parse_json) {
                Ok(Ok(record)) => evidence_of(record),
                _ => Json::Null,
            };
            for counter in counters.iter_mut() {
                counter.record(&record);
            }
            Ok(())
        })?;
    }
    Ok(())
}

/// `part` of `whole` in percent with one decimal, or as many more as it
/// takes not to be written as a whole that was not reached: never 100.0
/// short of the whole (2501 of 2502 is 99.96, not 100.0), nor 0.0 above
/// nothing (1 of 2502 is 0.04).
fn percent(part: usize, whole: usize) -> String {
    let got = Summary::percent(part, whole);
    // A whole shown that was not reached: 100 short of it, 0 above none.
    let false_whole = |shown: f64| (part < whole && shown >= 100.0) || (part > 0 && shown <= 0.0);
    (1..=6)
        .map(|places| format!("{got:.places$}"))
        .find(|text| text.parse::<f64>().is_ok_and(|shown| !false_whole(shown)))
        .unwrap_or_else(|| got.to_string())
}

fn line(out: &mut dyn Write, label: &str, part: usize, whole: usize) -> std::io::Result<()> {
    writeln!(
        out,
        "  {label:<34} {:>9} {:>7}%",
        format!("{part}/{whole}"),
        percent(part, whole)
    )
}

fn write_table(out: &mut dyn Write, s: &Summary) -> std::io::Result<()> {
    line(out, "rules fired", s.rules_fired, s.rules)?;
    line(
        out,
        "rules fired and not fired",
        s.rules_both_ways,
        s.conditional_rules,
    )?;
    line(
        out,
        "caps and floors bound",
        s.constraints_bound,
        s.constraints,
    )?;
    line(
        out,
        "condition parts true and false",
        s.branches_both_ways,
        s.branches,
    )?;
    line(
        out,
        "threshold boundaries (-1, 0, +1)",
        s.boundaries_reached,
        s.boundaries,
    )
}

fn write_group(out: &mut dyn Write, label: &str, c: &Group<'_>) -> std::io::Result<()> {
    let corpus = if c.records + c.skipped > 0 {
        format!(
            ", {} ({} skipped)",
            plural(c.records, "corpus record"),
            c.skipped
        )
    } else {
        String::new()
    };
    let skipped = match c.tests_skipped {
        0 => String::new(),
        n => format!(
            " ({} dated outside the edition, not counted)",
            plural(n, "more test")
        ),
    };
    writeln!(
        out,
        "coverage of {label}: {}{skipped}{corpus}",
        plural(c.tests, "test")
    )?;
    write_table(out, &c.summary)?;
    let mut gaps = Vec::new();
    for r in &c.rules {
        if r.fired == 0 {
            gaps.push(format!("rule {} ({}) never fired", r.rule, r.place));
        } else if r.has_condition && r.not_fired == 0 {
            gaps.push(format!("rule {} ({}) never did not fire", r.rule, r.place));
        }
    }
    for k in c.constraints.iter().filter(|k| !k.covered()) {
        gaps.push(format!(
            "{} {} of rule {} ({}) never bound",
            k.judgement, k.constraint, k.rule, k.place
        ));
    }
    for b in c.branches.iter().filter(|b| !b.covered()) {
        let never = match (b.true_count, b.false_count) {
            (0, 0) => "never true or false",
            (0, _) => "never true",
            _ => "never false",
        };
        gaps.push(format!("`{}` ({}) {never}", b.text, b.place));
    }
    for b in c.boundaries.iter().filter(|b| !b.reached()) {
        let missing: Vec<&str> = [(b.below, "-1"), (b.at, "0"), (b.above, "+1")]
            .iter()
            .filter(|(n, _)| *n == 0)
            .map(|(_, w)| *w)
            .collect();
        gaps.push(format!(
            "threshold {} ({}) in `{}` ({}) not reached at {}",
            b.threshold,
            b.value,
            b.text,
            b.place,
            missing.join(", ")
        ));
    }
    if !gaps.is_empty() {
        writeln!(out, "  gaps:")?;
        for g in gaps {
            writeln!(out, "    {g}")?;
        }
    }
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use super::{below, percent};

    /// The table's percentages: one decimal, more where one would round to
    /// a whole (100 or 0) that was not reached.
    #[test]
    fn a_percentage_in_the_table_never_shows_a_whole_not_reached() {
        assert_eq!(percent(2501, 2502), "99.96");
        assert_eq!(percent(2502, 2502), "100.0");
        assert_eq!(percent(0, 0), "100.0");
        assert_eq!(percent(1, 2502), "0.04");
        assert_eq!(percent(0, 2502), "0.0");
        assert_eq!(percent(1, 3), "33.3");
        assert_eq!(percent(2, 3), "66.7");
        assert_eq!(percent(999_999, 1_000_000), "99.9999");
        assert_eq!(percent(1, 1_000_000), "0.0001");
    }

    #[test]
    fn a_percentage_below_the_minimum_is_never_written_as_it() {
        assert_eq!(below(50.0, 100.0), "50.0");
        assert_eq!(below(200.0 / 3.0, 66.7), "66.67");
        assert_eq!(below(99.99, 100.0), "99.99");
        assert_eq!(below(99.9996, 100.0), "99.9996");
    }
}
