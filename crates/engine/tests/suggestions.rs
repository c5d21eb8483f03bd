//! "Did you mean" in the checker's help, for a misspelt name of every kind,
//! and only when a declared name is close.

#![allow(
    clippy::panic,
    clippy::unwrap_used,
    clippy::indexing_slicing,
    reason = "a test fails by panicking"
)]

use judgement_engine::{Problem, Ruleset};

const HEAD: &str = "ruleset r \"R\" in force from 2015-04-01
scale grade: outstanding > good > requires_improvement > inadequate
record absence
  id: text
  planned: bool
evidence
  inspection.start: date
  manager.vacant_since: date or none
  manager.absences: list of absence default empty
  proposed.overall: grade
threshold limit = 26 weeks
let vacancy = inspection.start - manager.vacant_since
judgement overall: grade from proposed.overall
rule uses_everything \"para 0\"
  when manager.vacant_since is set and vacancy >= limit
  then overall at most good
";

/// The help of the one error a rule gives.
fn help(rule: &str) -> Option<String> {
    let source = format!("{HEAD}{rule}");
    let problems = Ruleset::from_source(&source, &[]).unwrap_err();
    let errors: Vec<_> = problems
        .into_iter()
        .filter(Problem::is_error)
        .map(|p| match p {
            Problem::Check(c) => c,
            Problem::Syntax(s) => panic!("syntax error: {s}"),
        })
        .collect();
    assert_eq!(errors.len(), 1, "{errors:?}");
    errors[0].help.clone()
}

fn suggests(rule: &str, name: &str) {
    let help = help(rule).unwrap_or_default();
    assert!(
        help.starts_with(&format!("did you mean `{name}`?")),
        "{rule}: {help}"
    );
}

#[test]
fn every_kind_of_misspelt_name_gets_a_suggestion() {
    suggests(
        "rule x \"p\"\n  when manager.vacant_snce is set\n  then action a\n",
        "manager.vacant_since",
    );
    suggests(
        "rule x \"p\"\n  when vacancyy >= 26 weeks\n  then action a\n",
        "vacancy",
    );
    suggests(
        "rule x \"p\"\n  when vacancy is set and vacancy >= limitt\n  then action a\n",
        "limit",
    );
    suggests(
        "rule x \"p\"\n  when overal is good\n  then action a\n",
        "overall",
    );
    suggests(
        "rule x \"p\"\n  when overall is goood\n  then action a\n",
        "good",
    );
    suggests(
        "rule x \"p\"\n  when overall = inadequat\n  then action a\n",
        "inadequate",
    );
    suggests("rule x \"p\"\n  then overal at most good\n", "overall");
    suggests(
        "rule x \"p\"\n  then overall at most requires_improvment\n",
        "requires_improvement",
    );
    suggests(
        "rule x \"p\"\n  for each a in manager.absences\n  when a.plannd\n  then action a\n",
        "a.planned",
    );
    suggests(
        "rule x \"p\"\n  for each a in manager.absense\n  then action a\n",
        "manager.absences",
    );
}

#[test]
fn a_name_far_from_every_declared_one_gets_no_suggestion() {
    let help = help("rule x \"p\"\n  when something_else is set\n  then action a\n").unwrap();
    assert!(!help.contains("did you mean"), "{help}");
    let help = help_of_value("excellent");
    assert!(!help.contains("did you mean"), "{help}");
}

fn help_of_value(value: &str) -> String {
    help(&format!("rule x \"p\"\n  then overall at most {value}\n")).unwrap()
}

#[test]
fn a_name_declared_twice_says_where_the_first_is() {
    // `uses_everything` is declared on line 14 of HEAD.
    let help = help("rule uses_everything \"p\"\n  then action a\n").unwrap();
    assert_eq!(
        help,
        "the first is on line 14; give each declaration its own name"
    );
    assert_eq!(
        HEAD.lines().nth(13),
        Some("rule uses_everything \"para 0\"")
    );
}

#[test]
fn a_word_of_another_language_gets_the_one_written_here() {
    // In a condition: `null` and its kin are tested with `is none`, which
    // no one word replaces, so no "did you mean" (an editor's quick fix
    // would write `= none`, which a condition does not take).
    for word in ["null", "NULL", "nil", "None", "undefined"] {
        let help = help(&format!(
            "rule x \"p\"\n  when manager.vacant_since = {word}\n  then action a\n"
        ))
        .unwrap();
        assert_eq!(
            help,
            "a value that is not there is tested with `X is none` or `X is set`, not compared with `=` or `!=`",
            "{word}"
        );
    }
    for (word, ours) in [("True", "true"), ("FALSE", "false")] {
        suggests(
            &format!(
                "rule x \"p\"\n  when (manager.vacant_since is set) = {word}\n  then action a\n"
            ),
            ours,
        );
    }
    // In a test: `none` is what a test writes for a value not there, for
    // a field of any type, a scale's among them.
    let test = |field: &str, word: &str| {
        let mut given: Vec<String> = [
            ("inspection.start", "2020-01-01"),
            ("manager.vacant_since", "none"),
            ("proposed.overall", "good"),
        ]
        .iter()
        .map(|&(f, v)| format!("{f} = {}", if f == field { word } else { v }))
        .collect();
        if !given.iter().any(|g| g.starts_with(&format!("{field} ="))) {
            given.push(format!("{field} = {word}"));
        }
        help(&format!(
            "test \"t\"\n  given {}\n  expect no actions\n",
            given.join(", ")
        ))
        .unwrap()
    };
    assert_eq!(
        test("manager.vacant_since", "null"),
        "did you mean `none`? A value that is not there is given as `none`, and a field left out as `absent`"
    );
    assert!(
        test("proposed.overall", "None").starts_with("did you mean `none`? the values are"),
        "{}",
        test("proposed.overall", "None")
    );
    // A scale value near the word still comes first, and a name that is no
    // other language's word gets the scale's values alone.
    assert!(!test("proposed.overall", "nothing").contains("did you mean"));
    // `True` for a truth, in an element of a list.
    assert_eq!(
        test("manager.absences", "[{id = \"a\", planned = True}]"),
        "did you mean `true`? The truth values are written in lower case"
    );
}

#[test]
fn a_length_compared_with_a_bare_number_is_told_to_write_its_unit() {
    // `vacancy` is a number of days (a date minus a date).
    let given = help("rule x \"p\"\n  when vacancy is set and vacancy >= 182\n  then action a\n");
    assert_eq!(
        given.as_deref(),
        Some("a number of days is written with its unit: `182 days`, `26 weeks`")
    );
    let given = help("rule x \"p\"\n  when 3 < limit\n  then action a\n");
    assert_eq!(
        given.as_deref(),
        Some("a number of days is written with its unit: `182 days`, `26 weeks`")
    );
    // Working days need a calendar.
    let calendar = judgement_engine::calendar::Calendar::parse(include_str!(
        "../../../rulesets/calendars/england_and_wales.calendar"
    ))
    .unwrap();
    let source = format!(
        "{}  calendar england_and_wales\n{}rule x \"p\"\n  when 10 working days = 10\n  then action a\n",
        &HEAD[..HEAD.find('\n').unwrap() + 1],
        &HEAD[HEAD.find('\n').unwrap() + 1..]
    );
    let problems = Ruleset::from_source(&source, &[calendar]).unwrap_err();
    let given = match problems.as_slice() {
        [Problem::Check(c)] => c.help.clone(),
        other => panic!("one problem: {other:?}"),
    };
    assert_eq!(
        given.as_deref(),
        Some("a number of working days is written with its unit: `10 working days`")
    );
    let given = help("rule x \"p\"\n  when 6 months != 6\n  then action a\n");
    assert_eq!(
        given.as_deref(),
        Some("a number of months is written with its unit: `6 months`, `1 year`")
    );
}

#[test]
fn two_bounds_joined_on_one_then_line_are_told_to_take_a_line_each() {
    let source = format!(
        "{HEAD}rule x \"p\"\n  when vacancy is set and vacancy >= limit\n  then overall = inadequate and overall = good\n"
    );
    let problems = Ruleset::from_source(&source, &[]).unwrap_err();
    let [Problem::Check(error)] = problems.as_slice() else {
        panic!("one problem: {problems:?}");
    };
    assert_eq!(
        error.message,
        "a judgement's bound is a value of its scale, but this is joined with `and`"
    );
    assert_eq!(
        error.help.as_deref(),
        Some("each effect is a line of its own, starting with `then`: `then overall = inadequate`, and below it `then leaders = inadequate`")
    );
}

#[test]
fn a_value_after_or_without_its_subject_is_told_to_name_it_again() {
    // As English says it: "leadership is inadequate or requires improvement".
    let source = format!(
        "{HEAD}judgement lm: grade from proposed.overall\nrule x \"p\"\n  when lm is inadequate or requires_improvement or good\n  then action a\n"
    );
    let problems = Ruleset::from_source(&source, &[]).unwrap_err();
    let errors: Vec<_> = problems
        .iter()
        .map(|p| match p {
            Problem::Check(c) => (c.message.as_str(), c.help.as_deref().unwrap_or_default()),
            Problem::Syntax(s) => panic!("syntax error: {s}"),
        })
        .collect();
    assert_eq!(
        errors,
        [
            (
                "`requires_improvement` is a value of `grade`, not a condition",
                "did you mean `lm is requires_improvement`? Each side of `or` is a condition of its own: `lm is inadequate or lm is requires_improvement`"
            ),
            (
                "`good` is a value of `grade`, not a condition",
                "did you mean `lm is good`? Each side of `or` is a condition of its own: `lm is inadequate or lm is good`"
            ),
        ]
    );
    // A field's path is named whole.
    assert_eq!(
        help("rule x \"p\"\n  when proposed.overall is good or outstanding\n  then action a\n").as_deref(),
        Some("did you mean `proposed.overall is outstanding`? Each side of `or` is a condition of its own: `proposed.overall is good or proposed.overall is outstanding`")
    );
    // Not a value of the scale tested, nor after `and`: an unknown name,
    // with the nearest declared one where one is near.
    suggests(
        "rule x \"p\"\n  when proposed.overall is good or limt\n  then action a\n",
        "limit",
    );
    assert_eq!(
        help("rule x \"p\"\n  when proposed.overall is good and outstanding\n  then action a\n").as_deref(),
        Some("names are evidence fields, thresholds, lets, judgements and the elements named by `for each` or `every X in ...`")
    );
}

#[test]
fn a_date_written_otherwise_in_a_comparison_is_told_how_to_write_it() {
    for (condition, meant) in [
        (
            "inspection.start > 2020-1-5",
            "this reads as 2020 minus 1 minus 5: a date is written YYYY-MM-DD, `2020-01-05`",
        ),
        (
            "2016-2-29 <= inspection.start + 3 days",
            "this reads as 2016 minus 2 minus 29: a date is written YYYY-MM-DD, `2016-02-29`",
        ),
        (
            "inspection.start = \"2020-01-05\"",
            "a date is written without quotes: `2020-01-05`",
        ),
        // No such day, or no date at all: only the types.
        (
            "inspection.start > 2015-2-29",
            "both sides must have the same type",
        ),
        (
            "inspection.start > 20-1-5",
            "both sides must have the same type",
        ),
        (
            "inspection.start > \"soon\"",
            "both sides must have the same type",
        ),
        // A value of a scale in quotes, as evidence JSON writes it.
        (
            "proposed.overall = \"good\"",
            "did you mean `good`? A value of a scale is written without quotes",
        ),
        (
            "\"Requires_improvement\" != proposed.overall",
            "did you mean `requires_improvement`? A value of a scale is written without quotes",
        ),
        (
            "proposed.overall = \"fine\"",
            "both sides must have the same type",
        ),
    ] {
        let given = help(&format!(
            "rule x \"p\"\n  when {condition}\n  then action a\n"
        ));
        assert_eq!(given.as_deref(), Some(meant), "{condition}");
    }
}

#[test]
fn a_scale_value_in_quotes_as_a_bound_is_told_to_lose_them() {
    assert_eq!(
        help("rule x \"p\"\n  when vacancy is set\n  then overall at most \"Good\"\n").as_deref(),
        Some("did you mean `good`? A value of a scale is written without quotes")
    );
    // Text that is no value of the scale: the types alone.
    assert_eq!(
        help("rule x \"p\"\n  when vacancy is set\n  then overall = \"fine\"\n"),
        None
    );
}
