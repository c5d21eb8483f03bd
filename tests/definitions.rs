//! Shared definitions (`tests/fixtures/definitions/`):
//! - `shared/`: monitoring definitions used by two small rulesets whose
//!   evidence and judgements differ; each ruleset's own DSL tests run the
//!   shared rules against it.
//! - `errors/`: rulesets whose problems involve their definitions; each
//!   problem is snapshotted, rendered against the file it is in.

#![allow(
    clippy::panic,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "a test fails by panicking"
)]

use judgement::{
    Context, Definitions, Editions, EvalOptions, FileProblems, LoadError, Problem, Ruleset, Span,
};
use miette::{GraphicalReportHandler, GraphicalTheme, NamedSource, Report};
use std::path::Path;

const SHARED: &str = "tests/fixtures/definitions/shared";
const ERRORS: &str = "tests/fixtures/definitions/errors";

/// Problems rendered as a reader sees them, each against its own file.
fn render(files: &[FileProblems]) -> String {
    let handler =
        GraphicalReportHandler::new_themed(GraphicalTheme::unicode_nocolor()).with_width(100);
    let mut out = String::new();
    for f in files {
        let name = f.path.display().to_string();
        for p in &f.problems {
            let report =
                Report::new(p.clone()).with_source_code(NamedSource::new(&name, f.source.clone()));
            handler.render_report(&mut out, report.as_ref()).unwrap();
            out.push('\n');
        }
    }
    out
}

/// Every message, unwrapped.
fn messages(files: &[FileProblems]) -> String {
    let lines: Vec<String> = files
        .iter()
        .flat_map(|f| f.problems.iter().map(Problem::to_string))
        .collect();
    lines.join("\n")
}

fn load(path: &str) -> Ruleset {
    Ruleset::load(Path::new(path)).unwrap_or_else(|e| match e {
        LoadError::Invalid { files, .. } => panic!("{}", render(&files)),
        other => panic!("{other}"),
    })
}

#[test]
fn the_shared_rules_run_against_each_ruleset_and_pass_its_tests() {
    for path in [
        format!("{SHARED}/homes/homes.rules"),
        format!("{SHARED}/agencies/agencies.rules"),
    ] {
        let ruleset = load(&path);
        assert!(
            ruleset.warnings().is_empty(),
            "{path}: {:?}",
            ruleset.warnings()
        );
        let results = ruleset.run_tests();
        assert!(results.len() >= 3, "{path}");
        for r in &results {
            assert!(r.passed(), "{path}: {}: {:?}", r.name, r.failures);
        }
        // The shared rule constrained this ruleset's own judgement.
        assert!(ruleset.rule("inadequate_remains").is_some());
        let files: Vec<Option<&str>> = ruleset
            .sources()
            .files()
            .iter()
            .map(|f| f.definitions())
            .collect();
        assert_eq!(files, [None, Some("monitoring"), Some("grades")], "{path}");
    }
}

#[test]
fn the_same_rules_read_different_evidence() {
    let homes = load(&format!("{SHARED}/homes/homes.rules"));
    let agencies = load(&format!("{SHARED}/agencies/agencies.rules"));
    let home = serde_json::json!({
        "inspection": {"start": "2016-01-11"},
        "previous": {"feedback": "2015-11-20", "overall": "inadequate"},
        "proposed": {"overall": "good"},
        "monitoring": {"requirements_met": false}
    });
    let agency = serde_json::json!({
        "visit": {"start": "2016-09-05", "kind": "monitoring"},
        "last_inspection": {"feedback": "2016-07-25", "overall": "inadequate"},
        "proposed": {"overall_effectiveness": "good"},
        "monitoring": {"requirements_met": false}
    });
    for (ruleset, evidence) in [(&homes, &home), (&agencies, &agency)] {
        let outcome = ruleset.evaluate(evidence, EvalOptions::default()).unwrap();
        assert_eq!(
            outcome.judgements.get("overall").copied().flatten(),
            Some("inadequate"),
            "{}",
            ruleset.name()
        );
        assert_eq!(
            outcome.details.get("overall").unwrap().binding[0].rule,
            "inadequate_remains"
        );
    }
    // The evidence schema includes the fields the definitions declare.
    let schema = agencies.schema().to_string();
    assert!(schema.contains("requirements_met"), "{schema}");
}

#[test]
fn definitions_check_on_their_own_with_opaque_needs() {
    let definitions =
        Definitions::load(Path::new(&format!("{SHARED}/definitions/monitoring.rules"))).unwrap();
    assert_eq!(definitions.name(), "monitoring");
    assert!(definitions.warnings().is_empty());
    // A definitions file is not a ruleset, nor is a folder of them.
    let err =
        Ruleset::load(Path::new(&format!("{SHARED}/definitions/monitoring.rules"))).unwrap_err();
    assert!(matches!(err, LoadError::NotARuleset { .. }), "{err}");
    let err = Editions::load(Path::new(&format!("{SHARED}/definitions"))).unwrap_err();
    assert!(matches!(err, LoadError::NotARuleset { .. }), "{err}");
    assert!(
        err.to_string()
            .contains("holds definitions for rulesets to use, not a ruleset"),
        "{err}"
    );
}

#[test]
fn problems_with_definitions_point_into_the_right_file() {
    insta::glob!("fixtures/definitions/errors/*.rules", |path| {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        if name == "eval_error.rules" {
            return;
        }
        let relative = format!("{ERRORS}/{name}");
        let err = Ruleset::load(Path::new(&relative)).expect_err("the fixture has errors");
        let LoadError::Invalid { files, .. } = err else {
            panic!("{name}: {err}")
        };
        insta::assert_snapshot!(render(&files));
    });
}

#[test]
fn an_error_inside_definitions_is_reported_at_its_own_file_line_and_column() {
    let err = Ruleset::load(Path::new(&format!("{ERRORS}/broken_definitions.rules"))).unwrap_err();
    let LoadError::Invalid { files, .. } = err else {
        panic!("{err}")
    };
    let places: Vec<String> = files
        .iter()
        .flat_map(|f| {
            f.problems.iter().map(|p| {
                let (line, column) = judgement::line_col(&f.source, p.span().start);
                format!("{}:{line}:{column}: {p}", f.path.display())
            })
        })
        .collect();
    assert_eq!(
        places,
        [
            format!("{ERRORS}/definitions/broken.rules:10:6: definitions hold no tests"),
            format!("{ERRORS}/definitions/broken.rules:7:8: cannot compare `date` with `number`"),
        ]
    );
}

#[test]
fn an_evaluation_error_in_definitions_has_a_span_in_their_file() {
    let ruleset = load(&format!("{ERRORS}/eval_error.rules"));
    let evidence = serde_json::json!({"visit": {"feedback": "2020-01-06"}});
    let err = ruleset
        .evaluate(&evidence, EvalOptions::default())
        .unwrap_err();
    let span = err.span().expect("the error points at the rule");
    assert_eq!(ruleset.text_of(span), Some("feedback + far"));
    let (file, local) = ruleset.sources().locate(span).unwrap();
    assert_eq!(
        file.path().unwrap(),
        Path::new(&format!("{ERRORS}/definitions/overflow.rules"))
    );
    assert_eq!(local.line_col(file.text()), (10, 23));
    // The ruleset's own text does not hold it.
    assert!(ruleset.source_text().get(span.start..span.end) != Some("feedback + far"));
}

const NEEDY: &str = "definitions needy \"Needs\"
  uses grades

needs judgement overall: grade
needs last: grade
needs visit_date: date

rule report_due \"para 1\"
  when last is inadequate
  then deadline report = visit_date + 10 working days

rule last_caps \"para 2\"
  when last is inadequate
  then overall at most good
";

const GRADES: &str = "definitions grades \"Grades\"\n\nscale grade: good > poor > inadequate\n";

const USER: &str = "ruleset user \"User\"
  edition \"1\"
  uses needy

evidence
  visit.date: date
  earlier.overall: grade
  proposed.overall: grade
  proposed.last: grade

let visit_date = visit.date

judgement last: grade from proposed.last
judgement overall: grade from proposed.overall

test \"a judgement provides a value need\"
  given visit.date = 2020-01-06, earlier.overall = good, proposed.overall = good,
    proposed.last = inadequate
  expect overall = good, last = inadequate
";

fn context() -> Context {
    let mut context = Context::default();
    context
        .add_definitions("needy", "memory/needy.rules", NEEDY)
        .add_definitions("grades", "memory/grades.rules", GRADES);
    context
}

/// Embedders without a file system (WebAssembly) give the texts.
#[test]
fn definitions_given_as_text_need_no_file_system() {
    // Working days with no calendar: an error in the ruleset, whose header
    // has none; the definitions on their own are fine.
    let err = Ruleset::from_sources(Path::new("memory/user.rules"), USER, &context()).unwrap_err();
    let text = render(&err);
    assert!(text.contains("working days need a calendar"), "{text}");
    assert!(text.contains("memory/needy.rules:10:"), "{text}");
    let alone = Definitions::from_source(Path::new("memory/needy.rules"), NEEDY, &context());
    assert!(alone.is_ok(), "{}", render(&alone.unwrap_err()));

    // With a calendar it compiles, and a judgement provides the value need.
    let calendar =
        std::fs::read_to_string("rulesets/calendars/england_and_wales.calendar").unwrap();
    let mut context = context();
    context.calendars = vec![judgement::calendar::Calendar::parse(&calendar).unwrap()];
    let source = USER.replace("  uses needy", "  calendar england_and_wales\n  uses needy");
    let ruleset = Ruleset::from_sources(Path::new("memory/user.rules"), &source, &context)
        .unwrap_or_else(|e| panic!("{}", render(&e)));
    for r in ruleset.run_tests() {
        assert!(r.passed(), "{}: {:?}", r.name, r.failures);
    }
    let evidence = serde_json::json!({
        "visit": {"date": "2020-01-06"}, "earlier": {"overall": "good"},
        "proposed": {"overall": "poor", "last": "inadequate"}
    });
    let outcome = ruleset.evaluate(&evidence, EvalOptions::default()).unwrap();
    assert_eq!(
        outcome.deadlines[0].date.map(|d| d.to_string()).as_deref(),
        Some("2020-01-20")
    );
}

#[test]
fn the_digest_covers_the_definitions() {
    let calendar =
        std::fs::read_to_string("rulesets/calendars/england_and_wales.calendar").unwrap();
    let mut context = context();
    context.calendars = vec![judgement::calendar::Calendar::parse(&calendar).unwrap()];
    let source = USER.replace("  uses needy", "  calendar england_and_wales\n  uses needy");
    let compile = |context: &Context| {
        Ruleset::from_sources(Path::new("user.rules"), &source, context)
            .unwrap()
            .digest()
            .to_string()
    };
    let before = compile(&context);
    context.add_definitions(
        "needy",
        "memory/needy.rules",
        NEEDY.replace("10 working", "11 working"),
    );
    assert_ne!(before, compile(&context), "a change in the definitions");
    // A ruleset that uses none keeps the digest of its text alone.
    let plain = "ruleset p \"P\"\n  edition \"1\"\n";
    let ruleset = Ruleset::from_source(plain, &[]).unwrap();
    let again = Ruleset::from_sources(Path::new("p.rules"), plain, &Context::default()).unwrap();
    assert_eq!(ruleset.digest(), again.digest());
}

#[test]
fn from_source_has_no_definitions_to_use() {
    let problems =
        Ruleset::from_source("ruleset p \"P\"\n  edition \"1\"\n  uses needy\n", &[]).unwrap_err();
    let messages: Vec<String> = problems.iter().map(Problem::to_string).collect();
    assert_eq!(messages, ["there are no definitions `needy`"]);
    assert_eq!(problems[0].span(), Span::new(35, 40));
}

#[test]
fn the_same_need_with_two_types_and_a_name_used_as_another_are_errors() {
    let mut context = context();
    context.add_definitions(
        "other",
        "memory/other.rules",
        "definitions other \"O\"\n  uses grades\n\nneeds visit_date: number\n",
    );
    context.add_definitions(
        "misnamed",
        "memory/misnamed.rules",
        "definitions wrong \"W\"\n",
    );
    let source = "definitions both \"B\"\n  uses needy\n  uses other\n  uses misnamed\n";
    let err =
        Definitions::from_source(Path::new("memory/both.rules"), source, &context).unwrap_err();
    let text = messages(&err);
    assert!(
        text.contains("these definitions are called `wrong`, but are used as `misnamed`"),
        "{text}"
    );
    assert!(
        text.contains("the definitions `needy` need `overall`, a judgement on the scale `grade`, which these definitions do not declare"),
        "{text}"
    );
    assert!(
        text.contains("`visit_date` is needed as a `date` and as a `number`"),
        "{text}"
    );
}

#[test]
fn judgements_and_examples_belong_to_the_rulesets() {
    let source = "definitions d \"D\"

scale grade: good > poor

evidence
  proposed.overall: grade

judgement overall: grade from proposed.overall

example base
  proposed.overall = good
";
    let err =
        Definitions::from_source(Path::new("d.rules"), source, &Context::default()).unwrap_err();
    assert_eq!(
        messages(&err),
        "definitions declare no judgements: `overall` belongs to each ruleset that uses them\n\
         definitions hold no examples"
    );
    let help = err[0].problems[0].diagnostic().help().unwrap().to_string();
    assert!(help.contains("`needs judgement overall: grade`"), "{help}");
}
