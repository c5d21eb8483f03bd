//! Every rule file in rulesets/ parses, checks without warnings and passes
//! the tests written beside its rules.

#![allow(
    clippy::panic,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "a test fails by panicking"
)]

use judgement::{Editions, LoadError, Problem};
use std::path::{Path, PathBuf};

fn rule_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            rule_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rules") {
            out.push(p);
        }
    }
}

fn describe(err: &LoadError) -> String {
    match err {
        LoadError::Invalid { files, .. } => files
            .iter()
            .flat_map(|f| {
                f.problems.iter().map(move |p: &Problem| {
                    let (line, col) = judgement::line_col(&f.source, p.span().start);
                    format!("{}:{line}:{col}: {p}", f.path.display())
                })
            })
            .collect::<Vec<_>>()
            .join("\n"),
        other => other.to_string(),
    }
}

#[test]
fn every_ruleset_checks_and_passes_its_tests() {
    let mut files = Vec::new();
    rule_files(Path::new("rulesets"), &mut files);
    assert!(!files.is_empty(), "no rule files found");
    let mut failures = Vec::new();
    let mut count = 0;
    for file in &files {
        // Definitions are checked on their own here, and tested by the tests
        // of the rulesets that use them.
        let text = std::fs::read_to_string(file).unwrap();
        if judgement::file_kind(&text) == judgement::ast::FileKind::Definitions {
            match judgement::Definitions::load(file) {
                Ok(d) => failures.extend(d.warnings().iter().flat_map(|f| {
                    f.problems.iter().map(move |w| {
                        let (line, col) = judgement::line_col(&f.source, w.span().start);
                        format!("{}:{line}:{col}: warning: {w}", f.path.display())
                    })
                })),
                Err(e) => panic!("{}", describe(&e)),
            }
            continue;
        }
        let editions = match Editions::load(file) {
            Ok(e) => e,
            Err(e) => panic!("{}", describe(&e)),
        };
        for ruleset in editions.editions() {
            for f in ruleset.warnings_by_file() {
                for w in &f.problems {
                    let (line, col) = judgement::line_col(&f.source, w.span().start);
                    failures.push(format!("{}:{line}:{col}: warning: {w}", f.path.display()));
                }
            }
            for result in ruleset.run_tests() {
                count += 1;
                for (span, why) in &result.failures {
                    let (line, col) = judgement::line_col(ruleset.source_text(), span.start);
                    failures.push(format!(
                        "{}:{line}:{col}: test \"{}\": {why}",
                        file.display(),
                        result.name
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(count > 0, "the rulesets hold no tests");
}

fn calendars() -> Vec<judgement::calendar::Calendar> {
    let text = std::fs::read_to_string("rulesets/calendars/england_and_wales.calendar").unwrap();
    vec![judgement::calendar::Calendar::parse(&text).unwrap()]
}

fn failures_of(source: &str) -> Vec<String> {
    let ruleset =
        judgement::Ruleset::from_source(source, &calendars()).unwrap_or_else(|problems| {
            panic!("{problems:#?}");
        });
    let results = ruleset.run_tests();
    assert!(!results.is_empty(), "no tests ran");
    results
        .iter()
        .flat_map(|r| {
            r.failures
                .iter()
                .map(move |(_, why)| format!("{}: {why}", r.name))
        })
        .collect()
}

/// The engine's semantics, pinned by small rule files with their own tests.
#[test]
fn semantics_fixtures_pass_their_tests() {
    let mut files = Vec::new();
    rule_files(Path::new("tests/fixtures/semantics"), &mut files);
    assert!(files.len() >= 3);
    for file in files {
        let failures = failures_of(&std::fs::read_to_string(&file).unwrap());
        assert!(
            failures.is_empty(),
            "{}:\n{}",
            file.display(),
            failures.join("\n")
        );
    }
}

/// `run_tests_where` runs the tests a caller wants, in the order written,
/// each only as it is reached: asked for one of them, it gives that one
/// alone, and a caller that stops after the first has asked of no other.
#[test]
fn tests_are_run_where_wanted_and_as_reached() {
    let source = std::fs::read_to_string("tests/fixtures/semantics/clamp.rules").unwrap();
    let ruleset = judgement::Ruleset::from_source(&source, &calendars()).unwrap();
    let all: Vec<String> = ruleset.run_tests().into_iter().map(|t| t.name).collect();
    assert!(all.len() >= 3, "{all:?}");
    let second = all[1].clone();
    let one: Vec<_> = ruleset.run_tests_where(|name| name == second).collect();
    assert_eq!(one.len(), 1);
    assert_eq!(one[0].name, second);
    assert!(one[0].passed(), "{:?}", one[0].failures);
    let asked = std::cell::Cell::new(0);
    let first = ruleset
        .run_tests_where(|_| {
            asked.set(asked.get() + 1);
            true
        })
        .next()
        .unwrap();
    assert_eq!(first.name, all[0]);
    assert_eq!(asked.get(), 1, "only the first test was asked of");
    let every: Vec<String> = ruleset.run_tests_where(|_| true).map(|t| t.name).collect();
    assert_eq!(every, all);
}

/// A DSL test that expects the wrong thing fails, and says why.
#[test]
fn a_wrong_expectation_fails_with_a_reason() {
    let source = std::fs::read_to_string("tests/fixtures/semantics/clamp.rules").unwrap();
    let wrong = format!(
        "{source}\nrule never \"p 9\"\n  when false\n  then action nothing\n\ntest \"wrong on purpose\"\n  given base with flags.cap_ri = true\n  expect overall = good, action nothing\n  expect overall bound by cap_good\n  expect overall not bound by cap_ri\n  expect overall not bound by cap_good\n\ntest \"bound by nothing\"\n  given base\n  expect overall bound by cap_ri\n"
    );
    let failures = failures_of(&wrong);
    assert_eq!(
        failures,
        vec![
            "wrong on purpose: expected overall = good, got requires_improvement".to_string(),
            "wrong on purpose: expected action nothing, got none".to_string(),
            "wrong on purpose: expected overall bound by cap_good, got bound by cap_ri".to_string(),
            "wrong on purpose: expected overall not bound by cap_ri, but it is".to_string(),
            "bound by nothing: expected overall bound by cap_ri, got bound by no rule".to_string(),
        ]
    );
}

/// `from rule R` holds only for an entry R gave: two rules giving one
/// action, finding and deadline on different dates and with different
/// messages, each expectation right in all but the rule fails, and the
/// failure names the rule behind each entry listed.
#[test]
fn from_rule_holds_only_for_the_entries_that_rule_gives() {
    let source = r#"ruleset givers "Givers"
  in force from 2020-01-01

evidence
  a: bool
  d: date

rule one "para 1"
  when a
  then action review by d + 1 day
  then finding late "one says"
  then deadline due = d + 1 day

rule two "para 2"
  when a
  then action review by d + 2 days
  then finding late "two says"
  then deadline due from d + 2 days to d + 3 days

rule three "para 3"
  when not a
  then action review
  then finding late
  then deadline due = d

example base
  a = true,
  d = 2020-03-02

test "right"
  given base
  expect action review by 2020-03-03 from rule one
  expect finding late saying "two" from rule two
  expect deadline due from 2020-03-04 to 2020-03-05 from rule two
  expect no action review from rule three
  expect no finding late from rule three
  expect no deadline due from rule three

test "wrong rule"
  given base
  expect action review by 2020-03-03 from rule two
  expect finding late saying "one" from rule two
  expect finding late from rule three
  expect deadline due = 2020-03-03 from rule two
  expect no action review from rule one
  expect no deadline due = 2020-03-03 from rule one
"#;
    assert_eq!(
        failures_of(source),
        vec![
            "wrong rule: expected action review by 2020-03-03 from rule two, got review by 2020-03-03 from rule one, review by 2020-03-04 from rule two",
            "wrong rule: expected finding late saying \"one\" from rule two, got \"two says\"",
            "wrong rule: expected finding late from rule three, got late from rule one, late from rule two",
            "wrong rule: expected deadline due = 2020-03-03 from rule two, got due from 2020-03-04 to 2020-03-05 from rule two, due = 2020-03-03 from rule one",
            "wrong rule: expected no action review, but rule one gave it",
            "wrong rule: expected no deadline due = 2020-03-03 from rule one, got due = 2020-03-03 (rule one)",
        ]
    );
}

/// `saying "TEXT"` checks an advisory's or a finding's message: it pins
/// the value a `likely` rule advises, and the values a message shows.
#[test]
fn saying_checks_the_message_of_an_advisory_or_finding() {
    let source = r#"ruleset sayings "Sayings"
  in force from 2020-01-01

scale grade: good > fair > poor

evidence
  proposed.overall: grade
  notice.sent: date

judgement overall: grade from proposed.overall

rule poor_likely "para 1"
  when overall is fair
  likely overall = poor

rule late "para 2"
  when notice.sent > 2020-02-01
  then finding notice_late "sent on {notice.sent}"

example base
  proposed.overall = fair,
  notice.sent = 2020-02-03

test "right"
  given base
  expect advisory poor_likely saying "likely to be poor"
  expect finding notice_late saying "sent on 2020-02-03"

test "wrong value"
  given base
  expect advisory poor_likely saying "likely to be fair"
  expect finding notice_late saying "sent on 2020-02-04"
"#;
    assert_eq!(
        failures_of(source),
        vec![
            "wrong value: expected an advisory from poor_likely saying \"likely to be fair\", got \"overall is likely to be poor\"".to_string(),
            "wrong value: expected finding notice_late saying \"sent on 2020-02-04\", got \"sent on 2020-02-03\"".to_string(),
        ]
    );
    // The formatter keeps it.
    let formatted = judgement::format_source(source).unwrap();
    assert!(formatted.contains("expect advisory poor_likely saying \"likely to be poor\""));
}

/// `no deadline D = DATE` rules out a second deadline of the same name on
/// another day, which `deadline D = DATE` alone cannot.
#[test]
fn no_deadline_on_a_date_rules_out_a_second_deadline() {
    let source = r#"ruleset twice "Twice"
  in force from 2020-01-01

evidence
  visit.start: date

rule by_week "para 1"
  then deadline report = visit.start + 7 days

rule by_fortnight "para 2"
  then deadline report = visit.start + 14 days

example base
  visit.start = 2020-03-02

test "the week's deadline is there, and the fortnight's too"
  given base
  expect deadline report = 2020-03-09
  expect no deadline report = 2020-03-10

test "only the week's"
  given base
  expect deadline report = 2020-03-09
  expect no deadline report = 2020-03-16
"#;
    assert_eq!(
        failures_of(source),
        vec![
            "only the week's: expected no deadline report = 2020-03-16, got report = 2020-03-16 (rule by_fortnight)"
                .to_string()
        ]
    );
    let formatted = judgement::format_source(source).unwrap();
    assert!(formatted.contains("expect no deadline report = 2020-03-16\n"));
}

/// A test naming an action no rule gives is a check error, so that a
/// misspelt `expect no action ...` cannot pass whatever the rules do.
#[test]
fn a_test_naming_an_action_no_rule_gives_does_not_check() {
    let source = std::fs::read_to_string("tests/fixtures/semantics/clamp.rules").unwrap();
    let wrong = format!(
        "{source}\ntest \"misspelt\"\n  given base with flags.cap_ri = true\n  expect no action urgent_case_reveiw\n"
    );
    let Err(problems) = judgement::Ruleset::from_source(&wrong, &calendars()) else {
        panic!("a test naming an unknown action must not check");
    };
    let messages: Vec<String> = problems.iter().map(ToString::to_string).collect();
    assert_eq!(
        messages,
        vec!["no rule gives the action `urgent_case_reveiw`".to_string()]
    );
}

/// The tour of the language in README.md is a working ruleset, in the
/// canonical layout (a reader copies it into rulesets/, where CI checks
/// the layout).
#[test]
fn the_readme_tour_is_a_valid_ruleset_whose_tests_pass() {
    let readme = std::fs::read_to_string("README.md").unwrap();
    let start = readme
        .find("```text\nruleset ")
        .expect("README has a ruleset example")
        + "```text\n".len();
    let len = readme[start..].find("```").unwrap();
    let tour = &readme[start..start + len];
    let failures = failures_of(tour);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!(
        judgement::format_source(tour).unwrap(),
        tour,
        "run `judgement fmt` on the tour"
    );
}

/// Every rule file in rulesets/ is kept in the canonical layout
/// (`judgement fmt rulesets` rewrites them).
#[test]
fn every_ruleset_is_formatted() {
    let mut files = Vec::new();
    rule_files(Path::new("rulesets"), &mut files);
    for file in files {
        let source = std::fs::read_to_string(&file).unwrap();
        let formatted = judgement::format_source(&source).unwrap();
        assert!(
            formatted == source,
            "{} is not formatted: run `judgement fmt rulesets`",
            file.display()
        );
    }
}

/// Every rule is listed where its ruleset lists its rules (issue 7: "the
/// header of each ruleset lists its rules with citations"): in the comments
/// of its own file, or, where a README.md stands beside the file, there (as
/// `name`, in the table of rules).
#[test]
fn every_rule_is_listed_in_its_header_or_readme() {
    let mut files = Vec::new();
    rule_files(Path::new("rulesets"), &mut files);
    let mut missing = Vec::new();
    for file in files {
        let source = std::fs::read_to_string(&file).unwrap();
        let readme = file.with_file_name("README.md");
        let listing = if readme.exists() {
            std::fs::read_to_string(&readme).unwrap()
        } else {
            source
                .lines()
                .filter(|l| l.trim_start().starts_with('#'))
                .collect::<Vec<_>>()
                .join("\n")
        };
        let is_word = |c: char| c.is_ascii_alphanumeric() || c == '_';
        for name in source
            .lines()
            .filter_map(|l| l.strip_prefix("rule "))
            .filter_map(|rest| rest.split_whitespace().next())
        {
            let listed = listing.match_indices(name).any(|(at, _)| {
                let before = listing[..at].chars().next_back();
                let after = listing[at + name.len()..].chars().next();
                !before.is_some_and(is_word) && !after.is_some_and(is_word)
            });
            if !listed {
                missing.push(format!("{}: {name}", file.display()));
            }
        }
    }
    assert!(missing.is_empty(), "rules not listed: {missing:#?}");
}

/// A rule for each month of a sequence whose start is not known is
/// undetermined, naming the start, unless a part of its condition that reads
/// no month is false; with a trace asked for, the same.
#[test]
fn a_rule_for_each_month_of_an_unknown_sequence_is_undetermined() {
    let source = std::fs::read_to_string("tests/fixtures/semantics/unknowns.rules").unwrap();
    let ruleset = judgement::Ruleset::from_source(&source, &calendars()).unwrap();
    let undetermined = |evidence: serde_json::Value, trace: bool| {
        let options = judgement::EvalOptions {
            trace,
            ..judgement::EvalOptions::default()
        };
        let outcome = ruleset.evaluate(&evidence, options).unwrap();
        let mut found: Vec<(String, Vec<String>)> = outcome
            .undetermined
            .iter()
            .filter(|u| u.rule.starts_with("each_month"))
            .map(|u| (u.rule.to_string(), u.missing.clone()))
            .collect();
        found.sort();
        found
    };
    let open = serde_json::json!({"proposed": {"overall": "good"}, "count": {"sampled": 3}});
    let closed = serde_json::json!({"proposed": {"overall": "good"}, "count": {"sampled": 0}});
    let both = vec![
        ("each_month".to_string(), vec!["period.start".to_string()]),
        (
            "each_month_while_open".to_string(),
            vec!["period.start".to_string()],
        ),
    ];
    let one = vec![("each_month".to_string(), vec!["period.start".to_string()])];
    for trace in [false, true] {
        assert_eq!(undetermined(open.clone(), trace), both, "trace {trace}");
        assert_eq!(undetermined(closed.clone(), trace), one, "trace {trace}");
    }
}

/// `expect no undetermined RULE` fails where RULE is undetermined, naming
/// what it misses, and holds where it is decided.
#[test]
fn an_expectation_that_a_rule_is_decided_fails_where_it_is_not() {
    let source = std::fs::read_to_string("tests/fixtures/semantics/unknowns.rules").unwrap();
    let wrong = format!(
        "{source}\ntest \"wrong on purpose\"\n  given base\n  expect no undetermined each_month\n  expect no undetermined email\n"
    );
    assert_eq!(
        failures_of(&wrong),
        vec![
            "wrong on purpose: expected each_month not to be undetermined, but it is (missing period.start)"
                .to_string()
        ]
    );
}

/// An undetermined rule names the unknown evidence that could decide it:
/// not an operand of an `and` already true, nor of an `or` already false
/// (audit 28 D5: `(x or a) and b` with `x` true named `a` too), in a chain
/// of any length.
#[test]
fn an_undetermined_rule_names_only_the_evidence_that_could_decide_it() {
    let source = "ruleset m \"M\"\n  in force from 2020-01-01\n\nevidence\n  x: bool\n  a: bool or unknown\n  b: bool or unknown\n  c: bool or unknown\n\nrule r1 \"p1\"\n  when (x or a) and b\n  then finding f\n\nrule r2 \"p2\"\n  when a or b or x or c\n  then finding g\n\nrule r3 \"p3\"\n  when not (a and x) and c\n  then finding h\n";
    let ruleset = judgement::Ruleset::from_source(source, &[]).unwrap();
    let missing = |evidence: serde_json::Value| {
        let outcome = ruleset
            .evaluate(&evidence, judgement::EvalOptions::default())
            .unwrap();
        outcome
            .undetermined
            .iter()
            .map(|u| (u.rule.to_string(), u.missing.clone()))
            .collect::<Vec<_>>()
    };
    let named = |pairs: &[(&str, &[&str])]| {
        pairs
            .iter()
            .map(|(r, m)| (r.to_string(), m.iter().map(|s| s.to_string()).collect()))
            .collect::<Vec<(String, Vec<String>)>>()
    };
    // x true: r1 waits on b alone; r2 is true; r3 waits on c (not (a and
    // true) is unknown too: a).
    assert_eq!(
        missing(serde_json::json!({"x": true})),
        named(&[("r1", &["b"]), ("r3", &["a", "c"])])
    );
    // x false: r1 waits on a and b; r2 on a, b and c; r3 is waiting on c
    // alone, as not (a and false) is true.
    assert_eq!(
        missing(serde_json::json!({"x": false})),
        named(&[
            ("r1", &["a", "b"]),
            ("r2", &["a", "b", "c"]),
            ("r3", &["c"])
        ])
    );
}

/// An undetermined rule over a list names the element's missing field by
/// its JSON path, and the element's id.
#[test]
fn undetermined_names_the_missing_element_field() {
    let source = std::fs::read_to_string("tests/fixtures/semantics/lists.rules").unwrap();
    let ruleset = judgement::Ruleset::from_source(&source, &calendars()).unwrap();
    let evidence = serde_json::json!({
        "proposed": {"overall": "good"},
        "visits": [{"id": "v1", "concerns": true}, {"id": "v2"}]
    });
    let outcome = ruleset
        .evaluate(&evidence, judgement::EvalOptions::default())
        .unwrap();
    let undetermined: Vec<(String, Vec<String>, Option<String>)> = outcome
        .undetermined
        .iter()
        .map(|u| {
            (
                u.rule.to_string(),
                u.missing.clone(),
                u.item.as_deref().map(str::to_string),
            )
        })
        .collect();
    assert_eq!(
        undetermined,
        vec![(
            "visit_concerns".to_string(),
            vec!["visits[1].concerns".to_string()],
            Some("v2".to_string())
        )]
    );
}

/// The missing evidence of an undetermined rule is named through a `let`
/// over a list (`every`, `count`, `latest`), and a `for each` rule's date
/// names the element's own field: each was `missing: []`.
#[test]
fn undetermined_names_what_is_missing_through_lets_and_element_dates() {
    let source = "ruleset missing \"Missing\"
  in force from 2015-04-01

record requirement
  id: text
  met: bool or unknown
  due: date or unknown

evidence
  requirements: list of requirement default empty

let all_met = every r in requirements satisfies r.met
let unmet = count r in requirements where not r.met
let last_due = latest r.due for r in requirements

rule not_all_met \"para 1\"
  when not all_met
  then action review

rule some_unmet \"para 2\"
  when unmet > 0
  then action chase

rule last_due_passed \"para 3\"
  when last_due is set and last_due < 2016-01-01
  then action follow_up

rule each_due \"para 4\"
  for each requirement in requirements
  then deadline requirement_due = requirement.due
";
    let ruleset = judgement::Ruleset::from_source(source, &[]).unwrap();
    let evidence = serde_json::json!({"requirements": [
        {"id": "r1", "met": true, "due": "2015-12-01"},
        {"id": "r2"}
    ]});
    let outcome = ruleset
        .evaluate(&evidence, judgement::EvalOptions::default())
        .unwrap();
    let mut found: Vec<(String, Vec<String>)> = outcome
        .undetermined
        .iter()
        .map(|u| (u.rule.to_string(), u.missing.clone()))
        .collect();
    found.sort();
    let named = |rule: &str, path: &str| (rule.to_string(), vec![path.to_string()]);
    assert_eq!(
        found,
        vec![
            named("each_due", "requirements[1].due"),
            named("last_due_passed", "requirements[1].due"),
            named("not_all_met", "requirements[1].met"),
            named("some_unmet", "requirements[1].met"),
        ]
    );
}

/// What an undetermined rule would give: written in the outcome in the
/// rule file's words (the JSON contract), and by `explain` in the words the
/// rest of its page uses.
#[test]
fn undetermined_effects_are_written_in_the_rule_files_words_and_explained_in_prose() {
    let source = "ruleset gives \"Gives\"
  in force from 2015-04-01
  evaluated on today

scale grade: good > requires_improvement > inadequate

evidence
  proposed.overall: grade
  concern: bool or unknown
  visit: date or unknown
  sent: date or unknown
  today: date

judgement overall: grade from proposed.overall

rule concern_caps \"para 1\"
  when concern
  then overall at most requires_improvement
  then action urgent_case_review
  then finding concern_found
  then deadline draft_report = visit + 5 days

rule report_due \"para 2\"
  when proposed.overall is set
  then deadline report = visit + 3 days

rule report_sent \"para 3\"
  when proposed.overall is set
  then deadline sent_report = 2015-05-01 met on sent
";
    let ruleset = judgement::Ruleset::from_source(source, &[]).unwrap();
    let evidence = serde_json::json!({
        "proposed": {"overall": "good"},
        "today": "2015-06-01"
    });
    let outcome = ruleset
        .evaluate(&evidence, judgement::EvalOptions::default())
        .unwrap();
    let json = serde_json::to_value(&outcome).unwrap();
    let effects: Vec<(String, serde_json::Value)> = json["undetermined"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| {
            (
                u["rule"].as_str().unwrap().to_string(),
                u["effects"].clone(),
            )
        })
        .collect();
    assert_eq!(
        effects,
        vec![
            (
                "concern_caps".to_string(),
                serde_json::json!([
                    "overall at most requires_improvement",
                    "action urgent_case_review",
                    "finding concern_found",
                    "deadline draft_report"
                ])
            ),
            (
                "report_due".to_string(),
                serde_json::json!(["deadline report on a date not known"])
            ),
            (
                "report_sent".to_string(),
                serde_json::json!([
                    "whether sent_report is overdue (the day it was met is not known)"
                ])
            ),
        ]
    );
    explains(
        &ruleset,
        &outcome,
        &[
            "If its condition held, it would give: Overall at most requires improvement, the action Urgent case review, the finding Concern found and the deadline Draft report.",
            "it fired, but the evidence does not say visit: the deadline Report, on a date not known.",
            "it fired, but the evidence does not say sent: whether Sent report is overdue (the day it was met is not known).",
        ],
    );
}

/// Whether `explain` says each of `sentences` of `outcome` (its lines
/// joined, as they are wrapped).
fn explains(ruleset: &judgement::Ruleset, outcome: &judgement::Outcome<'_>, sentences: &[&str]) {
    let text = judgement::explain(ruleset, outcome, "record.json");
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for words in sentences {
        assert!(text.contains(words), "{words}\n{text}");
    }
}

/// A deadline taken to a month's first or last day, or a day on or back,
/// shows each step in the trace and its working in `explain` (the report
/// of a Regulation 44 visit, due by the end of the month after the visit,
/// had no working).
#[test]
fn month_edges_and_days_after_are_traced_and_explained() {
    let source = "ruleset edges \"Edges\"
  in force from 2015-04-01

evidence
  visit: date

rule report_due \"footnote 8\"
  when visit is set
  then deadline report = end of month (start of month visit + 1 month)

rule day_after_due \"para 2\"
  when visit is set
  then deadline call = day after (day before visit)
";
    let ruleset = judgement::Ruleset::from_source(source, &[]).unwrap();
    let evidence = serde_json::json!({"visit": "2015-10-05"});
    let options = judgement::EvalOptions {
        trace: true,
        ..judgement::EvalOptions::default()
    };
    let outcome = ruleset.evaluate(&evidence, options).unwrap();
    let json = serde_json::to_value(&outcome).unwrap();
    let steps: Vec<serde_json::Value> = json["trace"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["step"] != "rule")
        .cloned()
        .collect();
    let edge = |edge: &str, start: &str, end: &str| {
        serde_json::json!({"step": "month_edge", "rule": "report_due", "cite": "footnote 8",
            "deadline": "report", "start": start, "edge": edge, "end": end})
    };
    let day = |start: &str, days: i64, end: &str| {
        serde_json::json!({"step": "days", "rule": "day_after_due", "cite": "para 2",
            "deadline": "call", "start": start, "days": days, "end": end})
    };
    for step in [
        edge("end of month", "2015-11-01", "2015-11-30"),
        edge("start of month", "2015-10-05", "2015-10-01"),
        day("2015-10-04", 1, "2015-10-05"),
        day("2015-10-05", -1, "2015-10-04"),
    ] {
        assert!(steps.contains(&step), "{step} not in {steps:#?}");
    }
    assert_eq!(steps.len(), 5, "{steps:#?}");
    explains(
        &ruleset,
        &outcome,
        &[
            "Report: 2015-11-30, by rule report_due (footnote 8). 2015-10-01 is the first day of the month of 2015-10-05. 2015-11-01 is 1 calendar month after 2015-10-01. 2015-11-30 is the last day of the month of 2015-11-01.",
            "Call: 2015-10-05, by rule day_after_due (para 2). 2015-10-04 is 1 day before 2015-10-05. 2015-10-05 is 1 day after 2015-10-04.",
        ],
    );
}

/// A let over one list, read by a `for each` rule over another: the let's
/// element and the rule's element share a slot, and the let's unknown
/// element field must not be read from the rule's element (it named
/// `others[0].note`, which nothing reads). A window from a `for each` rule
/// that ends before it starts names the element.
#[test]
fn lets_over_lists_in_for_each_rules_name_their_own_elements() {
    let source = "ruleset miss \"Missing\"
  in force from 2015-04-01

record visit
  id: text
  date: date or unknown

record other
  id: text
  note: bool or unknown
  from: date or none
  to: date or none

evidence
  visits: list of visit default empty
  others: list of other default empty

let late_visit = some v in visits satisfies v.date > 2016-01-01

rule r1 \"para 1\"
  for each o in others
  when o.id = \"x\" and late_visit
  then finding late

rule r2 \"para 2\"
  for each o in others
  when o.from is set and o.to is set
  then deadline respond from o.from to o.to
";
    let ruleset = judgement::Ruleset::from_source(source, &[]).unwrap();
    let evidence = serde_json::json!({
        "visits": [{"id": "a", "date": "2015-12-24"}, {"id": "b"}],
        "others": [{"id": "x"}, {"id": "y", "note": true}]
    });
    let outcome = ruleset
        .evaluate(&evidence, judgement::EvalOptions::default())
        .unwrap();
    let found: Vec<(String, Vec<String>)> = outcome
        .undetermined
        .iter()
        .map(|u| (u.rule.to_string(), u.missing.clone()))
        .collect();
    assert_eq!(
        found,
        vec![("r1".to_string(), vec!["visits[1].date".to_string()])]
    );
    let evidence = serde_json::json!({"others": [
        {"id": "ok", "from": "2016-01-01", "to": "2016-01-05"},
        {"id": "bad", "from": "2016-02-01", "to": "2016-01-05"}
    ]});
    let err = ruleset
        .evaluate(&evidence, judgement::EvalOptions::default())
        .unwrap_err()
        .to_string();
    assert_eq!(
        err,
        "the window `respond` for item \"bad\" ends (2016-01-05) before it starts (2016-02-01)"
    );
}

/// A rule that fires but whose deadline and action's due date read a value
/// not known is one undetermined entry, each effect with its kind, and
/// `explain` says that it fired.
#[test]
fn the_dates_not_known_of_one_firing_are_one_entry() {
    let source = "ruleset dates \"Dates\"
  in force from 2015-04-01

evidence
  visit: date or unknown
  inadequate: bool

rule report_due \"para 1\"
  when inadequate
  then deadline report = visit + 5 days
  then action review by visit + 2 days
";
    let ruleset = judgement::Ruleset::from_source(source, &[]).unwrap();
    let outcome = ruleset
        .evaluate(
            &serde_json::json!({"inadequate": true}),
            judgement::EvalOptions::default(),
        )
        .unwrap();
    let json = serde_json::to_value(&outcome).unwrap();
    assert_eq!(
        json["undetermined"],
        serde_json::json!([{
            "rule": "report_due",
            "cite": "para 1",
            "missing": ["visit"],
            "effects": [
                "deadline report on a date not known",
                "action review on a date not known"
            ]
        }])
    );
    assert!(json["deadlines"].as_array().unwrap().is_empty());
    assert!(json["actions"].as_array().unwrap().is_empty());
    explains(
        &ruleset,
        &outcome,
        &["Rule report_due (para 1): it fired, but the evidence does not say visit: the deadline Report, on a date not known and the action Review, on a date not known."],
    );
}

/// A rule whose condition is false only on a provisional judgement could
/// fire: the outcome lists it as undetermined, and so do the trace and
/// why-not, rather than calling it not fired.
#[test]
fn a_rule_false_on_a_provisional_judgement_is_undetermined_everywhere() {
    let source = "ruleset provisional \"Provisional\"
  in force from 2015-04-01

scale grade: outstanding > good > requires_improvement > inadequate

evidence
  proposed.overall: grade
  proposed.leaders_and_managers: grade
  concerns.serious: bool or unknown

judgement leaders_and_managers: grade from proposed.leaders_and_managers

judgement overall: grade from proposed.overall

rule serious_concerns \"para 1\"
  when concerns.serious
  then leaders_and_managers = inadequate

rule leadership_limits_overall \"para 2\"
  when leaders_and_managers is inadequate
  then overall at most requires_improvement
";
    let ruleset = judgement::Ruleset::from_source(source, &[]).unwrap();
    let evidence = serde_json::json!({
        "proposed": {"overall": "good", "leaders_and_managers": "good"}
    });
    let traced = judgement::EvalOptions {
        trace: true,
        ..judgement::EvalOptions::default()
    };
    let json = serde_json::to_value(ruleset.evaluate(&evidence, traced).unwrap()).unwrap();
    let undetermined: Vec<&str> = json["undetermined"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["rule"].as_str().unwrap())
        .collect();
    assert_eq!(
        undetermined,
        ["leadership_limits_overall", "serious_concerns"]
    );
    let traced_rule = json["trace"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["rule"] == "leadership_limits_overall")
        .unwrap();
    assert_eq!(traced_rule["result"], "undetermined");
    let why = judgement::why_not(
        &ruleset,
        &evidence,
        "leadership_limits_overall",
        judgement::EvalOptions::default(),
    )
    .unwrap();
    let page = judgement::why_not_text(&ruleset, &why);
    assert!(page.contains("It could not be decided"), "{page}");
    assert!(!page.contains("It did not fire"), "{page}");
}

/// A deadline's target lies on or before its day, or within its window:
/// one outside (the rule's dates disagree) refuses the record, naming the
/// deadline, the element and both dates, as a window that ends before it
/// starts does; one on either edge is given.
#[test]
fn a_target_outside_its_deadline_is_an_error() {
    let source = "ruleset targets \"Targets\"
  in force from 2015-04-01

record visit
  id: text
  aim: date

evidence
  a: date
  visits: list of visit default empty

rule single \"para 1\"
  then deadline draft = a + 1 week target a + 1 week

rule window \"para 2\"
  for each v in visits
  then deadline return_visit from a + 6 weeks to a + 8 weeks target v.aim
";
    let ruleset = judgement::Ruleset::from_source(source, &[]).unwrap();
    let evaluate = |visits: serde_json::Value| {
        ruleset
            .evaluate(
                &serde_json::json!({"a": "2015-10-01", "visits": visits}),
                judgement::EvalOptions::default(),
            )
            .map(|o| o.deadlines.len())
            .map_err(|e| e.to_string())
    };
    // The window runs from 2015-11-12 to 2015-11-26; a target on either edge.
    assert_eq!(
        evaluate(serde_json::json!([
            {"id": "first", "aim": "2015-11-12"},
            {"id": "last", "aim": "2015-11-26"}
        ])),
        Ok(3)
    );
    assert_eq!(
        evaluate(serde_json::json!([{"id": "after", "aim": "2015-11-27"}])),
        Err(
            "the target of `return_visit` for item \"after\" (2015-11-27) is not within it: \
             its window runs from 2015-11-12 to 2015-11-26"
                .to_string()
        )
    );
    assert_eq!(
        evaluate(serde_json::json!([{"id": "before", "aim": "2015-11-11"}])),
        Err(
            "the target of `return_visit` for item \"before\" (2015-11-11) is not within it: \
             its window runs from 2015-11-12 to 2015-11-26"
                .to_string()
        )
    );
    let late = judgement::Ruleset::from_source(
        &source.replace("target a + 1 week", "target a + 8 days"),
        &[],
    )
    .unwrap()
    .evaluate(
        &serde_json::json!({"a": "2015-10-01"}),
        judgement::EvalOptions::default(),
    )
    .unwrap_err()
    .to_string();
    assert_eq!(
        late,
        "the target of `draft` (2015-10-09) is not within it: its day is 2015-10-08"
    );
}

/// An `invalid` check whose condition is an `or` of parts blames the field
/// of the part that holds, not the first field it reads.
#[test]
fn an_invalid_check_blames_the_field_of_the_part_that_holds() {
    let source = "ruleset counts \"Counts\"
  in force from 2015-04-01

evidence
  sample.minutes: number or none
  sample.records: number

invalid negative_sample \"a count cannot be negative\"
  when (sample.minutes is set and sample.minutes < 0) or sample.records < 0
";
    let ruleset = judgement::Ruleset::from_source(source, &[]).unwrap();
    let path = |evidence: serde_json::Value| match ruleset
        .evaluate(&evidence, judgement::EvalOptions::default())
    {
        Err(judgement::EvalError::Evidence(errors)) => {
            errors.iter().map(|e| e.path.clone()).collect::<Vec<_>>()
        }
        other => panic!("expected an evidence error, got {other:?}"),
    };
    assert_eq!(
        path(serde_json::json!({"sample": {"records": -1}})),
        ["sample.records"]
    );
    assert_eq!(
        path(serde_json::json!({"sample": {"minutes": -1, "records": 3}})),
        ["sample.minutes"]
    );
}

/// A folder of several editions must say which evidence date chooses
/// between them: without `as at` it is refused when it is loaded, not at
/// evaluation with an internal error.
#[test]
fn several_editions_without_as_at_are_refused_on_loading() {
    let dir = std::env::temp_dir().join(format!("judgement-editions-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for (file, from, to) in [
        ("2015-04.rules", "2015-04-01", " to 2016-03-31"),
        ("2016-04.rules", "2016-04-01", ""),
    ] {
        let text = format!(
            "ruleset visits \"Visits\"\n  edition \"{}\"\n  in force from {from}{to}\n\nevidence\n  visit.start: date\n\nrule always \"para 1\"\n  then action record_visit\n",
            file.trim_end_matches(".rules")
        );
        std::fs::write(dir.join(file), text).unwrap();
    }
    let err = Editions::load(&dir).unwrap_err().to_string();
    std::fs::remove_dir_all(&dir).unwrap();
    assert!(err.contains("names no `as at` date"), "{err}");
}

/// Editions that choose by different evidence dates are refused on
/// loading: a record was read by the earliest edition's date, and could be
/// given an edition not in force on its own (`visit.date` 2016-03-30 with
/// `visit.feedback` 2016-04-05 went to the edition in force from April,
/// whose own date was in March).
#[test]
fn editions_choosing_by_different_dates_are_refused_on_loading() {
    let dir = std::env::temp_dir().join(format!("judgement-as-at-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let write = |file: &str, from: &str, to: &str, as_at: &str| {
        let text = format!(
            "ruleset visits \"Visits\"\n  edition \"{}\"\n  in force from {from}{to}\n  as at {as_at}\n\nevidence\n  visit.date: date\n  visit.feedback: date\n\nrule always \"para 1\"\n  then action record_visit\n",
            file.trim_end_matches(".rules")
        );
        std::fs::write(dir.join(file), text).unwrap();
    };
    write(
        "2015-04.rules",
        "2015-04-01",
        " to 2016-03-31",
        "visit.feedback",
    );
    write("2016-04.rules", "2016-04-01", "", "visit.date");
    let err = Editions::load(&dir).unwrap_err().to_string();
    assert!(
        err.contains("choose by different `as at` dates, `visit.feedback` and `visit.date`"),
        "{err}"
    );
    assert!(
        err.contains("in `2015-04.rules`") && err.contains("in `2016-04.rules`"),
        "{err}"
    );
    // The same date in both: loaded, and each record goes by it.
    write("2016-04.rules", "2016-04-01", "", "visit.feedback");
    let editions = Editions::load(&dir).unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    let chosen = editions
        .select(&serde_json::json!({"visit": {"date": "2016-03-30", "feedback": "2016-04-05"}}))
        .unwrap();
    assert_eq!(chosen.version(), "2016-04");
}

/// A DSL test dated outside the edition's period would pass against an
/// edition that never evaluates such a record: it fails, saying why.
#[test]
fn a_test_dated_outside_the_period_in_force_fails() {
    let source = "ruleset visits \"Visits\"\n  in force from 2016-04-01\n  as at visit.start\n\nevidence\n  visit.start: date\n\nrule always \"para 1\"\n  then action record_visit\n\ntest \"too early\"\n  given visit.start = 2015-11-09\n  expect action record_visit\n";
    let failures = failures_of(source);
    assert_eq!(failures.len(), 1, "{failures:?}");
    assert!(
        failures[0].contains("visit.start is 2015-11-09, outside the period this edition is in force (from 2016-04-01)"),
        "{failures:?}"
    );
}

/// The rule ids issue 2's table fixes for the children's homes ruleset are
/// rules of it, and the actions and deadline of an inadequate home name
/// them: a caller may read an outcome by those ids.
#[test]
fn issue_2s_rule_ids_are_the_children_s_homes_rules_and_name_their_effects() {
    let path = Path::new("rulesets/childrens_homes/2015-04.rules");
    let source = std::fs::read_to_string(path).unwrap();
    let definitions =
        std::fs::read_to_string("rulesets/definitions/monitoring_visits.rules").unwrap();
    for id in [
        "no_children_at_first_inspection",
        "home_closed_to_placements",
        "key_judgement_forces_overall",
        "leadership_limits_overall",
        "lm_inadequate_likely_overall_inadequate",
        "vacancy_forces_inadequate_leadership",
        "vacancy_forces_declined_interim",
        "interim_vacancy_likely_declined",
        "vacancy_26_weeks",
        "vacancy_week_12_case_review",
        "known_absence_notice",
        "emergency_absence_notice",
        "inadequate_urgent_case_review",
        "inadequate_alert_placing_and_host_authorities",
        "secure_home_inadequate_inform_dfe",
        "inadequate_return_visit",
        "declined_consider_case_review",
        "draft_report_deadline",
        "publication_deadline",
        "monitoring_draft_report_deadline",
        "monitoring_publication_deadline",
    ] {
        let declared = format!("\nrule {id} \"");
        assert!(
            source.contains(&declared) || definitions.contains(&declared),
            "issue 2's rule {id} is not a rule of the ruleset"
        );
    }
    let editions = Editions::load(Path::new("rulesets/childrens_homes")).unwrap();
    let evidence: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(
            "tests/fixtures/eval/childrens_homes/03_hp_inadequate_forces_overall.json",
        )
        .unwrap(),
    )
    .unwrap();
    let mut evidence = evidence;
    evidence.as_object_mut().unwrap().remove("_expect");
    let outcome = editions
        .evaluate(&evidence, judgement::EvalOptions::default())
        .unwrap();
    let outcome = serde_json::to_value(&outcome).unwrap();
    let rule_of = |list: &str, key: &str, name: &str| -> String {
        let found = outcome[list]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e[key] == name)
            .unwrap_or_else(|| panic!("no {key} {name} in {list}"));
        found["rule"].as_str().unwrap().to_string()
    };
    for (list, key, name, rule) in [
        (
            "actions",
            "action",
            "urgent_case_review",
            "inadequate_urgent_case_review",
        ),
        (
            "actions",
            "action",
            "notify_placing_authorities",
            "inadequate_alert_placing_and_host_authorities",
        ),
        (
            "actions",
            "action",
            "notify_host_local_authority",
            "inadequate_alert_placing_and_host_authorities",
        ),
        (
            "deadlines",
            "deadline",
            "return_visit",
            "inadequate_return_visit",
        ),
        (
            "deadlines",
            "deadline",
            "draft_report",
            "draft_report_deadline",
        ),
        (
            "deadlines",
            "deadline",
            "publication",
            "publication_deadline",
        ),
    ] {
        assert_eq!(rule_of(list, key, name), rule, "{list}: {name}");
    }
}

/// Lets are evaluated in an order found from their names and what they
/// read, never from where they are written: which of two failing lets is
/// reported, and the order of the trace, are the same whichever is written
/// first (docs/language.md section 6).
#[test]
fn the_order_lets_are_written_in_changes_neither_the_error_nor_the_trace() {
    let source = |lets: [&str; 3]| {
        format!(
            "ruleset o \"O\"
  in force from 2015-04-01

evidence
  a: date
  b: date
  n: number

{}
{}
{}

rule r \"p\"
  when zspan > 1 day and aneg > 0 and twice > 0
  then finding f
",
            lets[0], lets[1], lets[2]
        )
    };
    let zspan = "let zspan = days from a to b";
    let aneg = "let aneg = -n";
    let twice = "let twice = aneg + aneg";
    let orders = [
        [zspan, aneg, twice],
        [twice, zspan, aneg],
        [aneg, twice, zspan],
    ];
    let failing = serde_json::json!({"a": "2016-01-02", "b": "2016-01-01", "n": i64::MIN});
    let passing = serde_json::json!({"a": "2016-01-01", "b": "2016-01-05", "n": -3});
    let options = judgement::EvalOptions {
        trace: true,
        ..judgement::EvalOptions::default()
    };
    let mut errors = Vec::new();
    let mut traces = Vec::new();
    for lets in orders {
        let ruleset = judgement::Ruleset::from_source(&source(lets), &[]).unwrap();
        // The error's span is where the let is written; its text is not.
        let error = ruleset.evaluate(&failing, options).err();
        errors.push(error.map(|e| e.to_string()).unwrap_or_default());
        let outcome = ruleset.evaluate(&passing, options).unwrap();
        let trace = serde_json::to_value(&outcome).unwrap()["trace"].clone();
        traces.push(trace);
    }
    // Both `zspan` and `aneg` fail; the error is that of the first the rule
    // reads, `zspan`.
    assert!(
        errors[0].contains("a span ends (2016-01-01) before it starts (2016-01-02)"),
        "{}",
        errors[0]
    );
    assert!(errors.iter().all(|e| *e == errors[0]), "{errors:#?}");
    assert!(traces.iter().all(|t| *t == traces[0]), "{traces:#?}");
}

/// `diff` of two outcomes where the later ruleset declares a judgement the
/// earlier does not: before, it is "not declared", not "not made".
#[test]
fn a_judgement_declared_only_after_is_not_declared_before() {
    let before = "ruleset d \"D\"
  in force from 2015-04-01

scale grade: good > poor

evidence
  proposed.care: grade
";
    let after = format!("{before}\njudgement care: grade from proposed.care\n");
    let record = serde_json::json!({"proposed": {"care": "poor"}});
    let options = judgement::EvalOptions::default();
    let before = judgement::Ruleset::from_source(before, &[]).unwrap();
    let after = judgement::Ruleset::from_source(&after, &[]).unwrap();
    let (b, a) = (
        before.evaluate(&record, options).unwrap(),
        after.evaluate(&record, options).unwrap(),
    );
    let changes = judgement::diff::compare(&b, &a);
    assert_eq!(changes.len(), 1, "{changes:?}");
    assert_eq!(changes[0].name, "care");
    assert_eq!(changes[0].before, "not declared");
    assert_eq!(changes[0].after, "poor");
}

/// A quantifier inside a `for each` rule that reads no element of the
/// rule's list is worked out once for the list (`Model::closed`), but
/// again with provisional judgements read as unknown: each element's
/// action, which turns on a provisional judgement through it, is marked
/// provisional, the second as the first.
#[test]
fn a_quantifier_worked_out_once_for_a_list_is_worked_out_again_for_doubt() {
    let path = Path::new("tests/fixtures/semantics/closed_quantifiers.rules");
    let editions = Editions::load(path).unwrap();
    let record = serde_json::json!({
        "items": [{"id": "a", "n": 1, "flag": false}, {"id": "b", "n": 2, "flag": false}],
        "others": [{"id": "o1", "n": 1, "flag": true}, {"id": "o2", "n": 5, "flag": false}],
        "proposed": {"overall": "good"}
    });
    let ruleset = editions.select(&record).unwrap();
    let outcome = ruleset
        .evaluate(&record, judgement::EvalOptions::default())
        .unwrap();
    let follow_ups: Vec<_> = outcome
        .actions
        .iter()
        .filter(|a| a.action == "follow_up")
        .collect();
    assert_eq!(follow_ups.len(), 2, "{:?}", outcome.actions);
    for a in follow_ups {
        assert!(a.provisional.is_some(), "{a:?}");
    }
}
