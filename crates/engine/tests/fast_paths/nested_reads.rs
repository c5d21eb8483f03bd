//! The most reads of lists one inside another: for a record, and for all the
//! evaluations of a why-not question together.

use super::*;

/// A list read once for each element of itself, through a condition that
/// no index answers (a sum of both elements' fields).
const SELF_JOIN: &str = "ruleset joined \"Joined\"
  in force from 2015-04-01

record thing
  id: text
  n: number

evidence
  flag: bool
  things: list of thing default empty

rule paired \"para 1\"
  for each thing in things
  when flag and some other in things satisfies other.n + thing.n = 0
  then finding paired_thing
";

/// `count` elements, each `n` 1: no two sum to 0, so every `some` reads
/// the whole list.
fn self_join_items(count: usize) -> Value {
    let items: Vec<Value> = (0..count)
        .map(|i| json!({"id": format!("i{i}"), "n": 1}))
        .collect();
    json!({"flag": true, "things": items})
}

/// The ruleset of [`SELF_JOIN`], reading at most 10,000 elements inside
/// another binder for a record: the default, 20,000,000, is reached by
/// lists of about 4,500, which take seconds to read in a test build.
fn self_join() -> Ruleset {
    Ruleset::from_source(SELF_JOIN, &[])
        .unwrap_or_else(|e| panic!("{e:?}"))
        .with_most_nested_reads(10_000)
}

/// A list read for each element of another that no index answers takes
/// time that grows with the product of the lengths: past the most reads
/// for one record (20,000,000 unless the ruleset is given another), the
/// record is refused at the list (its JSON path, and the quantifier in the
/// rules), not evaluated for minutes; up to it, evaluated as ever. With
/// the guard false, nothing nested is read.
#[test]
fn a_list_read_for_each_element_of_another_is_refused_past_the_most_reads() {
    let default = Ruleset::from_source(SELF_JOIN, &[]).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(default.most_nested_reads(), 20_000_000);
    assert!(default
        .evaluate(&self_join_items(101), EvalOptions::default())
        .is_ok());
    let r = self_join();
    // 100 squared is 10,000: every element read, none refused.
    let outcome = r
        .evaluate(&self_join_items(100), EvalOptions::default())
        .unwrap();
    assert!(outcome.findings.is_empty());
    // 101 squared is 10,201.
    let error = r
        .evaluate(&self_join_items(101), EvalOptions::default())
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "this record's lists are too long to read one inside another: reading `things` here, \
         once for each element of another list, would read more than 10000 elements in all"
    );
    assert_eq!(error.path(), Some("things"));
    let span = error.span().unwrap();
    assert!(
        SELF_JOIN[span.start..span.end].starts_with("some other in things satisfies"),
        "{span:?}"
    );
    // With the guard false, the quantifier is not read.
    let mut off = self_join_items(101);
    off["flag"] = json!(false);
    assert!(r.evaluate(&off, EvalOptions::default()).is_ok());
}

/// A why-not question evaluates the record again for each change it
/// checks: the reads of all its evaluations count together. Here one
/// evaluation reads 1,600 of at most 10,000, and the question checks the
/// changes of 20 elements, each evaluated again: the checks past the
/// limit say the record is then refused, instead of each taking as long
/// as the first (for lists of thousands, seconds each). The count does not
/// outlive the question.
#[test]
fn a_why_not_question_counts_the_reads_of_all_its_evaluations_together() {
    let r = self_join();
    let mut record = self_join_items(40);
    assert!(r.evaluate(&record, EvalOptions::default()).is_ok());
    let why = judgement_engine::why_not(&r, &record, "paired", EvalOptions::default())
        .unwrap_or_else(|e| panic!("{e}"));
    let text = judgement_engine::why_not_text(&r, &why);
    assert!(
        text.contains(
            "the record is then refused: this record's lists are too long to read one inside another: reading `things` here"
        ),
        "{text}"
    );
    // Lists a fiftieth as long: each check evaluated as ever.
    record["things"] = json!([{"id": "a", "n": 1}, {"id": "b", "n": 1}]);
    let why = judgement_engine::why_not(&r, &record, "paired", EvalOptions::default())
        .unwrap_or_else(|e| panic!("{e}"));
    let text = judgement_engine::why_not_text(&r, &why);
    assert!(!text.contains("too long"), "{text}");
    // Outside a question, each evaluation counts its own reads.
    for _ in 0..10 {
        assert!(r
            .evaluate(&self_join_items(40), EvalOptions::default())
            .is_ok());
    }
}
