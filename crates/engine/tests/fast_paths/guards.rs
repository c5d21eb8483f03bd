//! A rule's guards, read before its condition is walked (`Model::guards`): each
//! kind, tests of judgements once they are made, and checks over elements.

use super::*;

const FIRST: &str = "ruleset first \"First parts\"
  in force from 2015-04-01

scale grade: outstanding > good > requires_improvement > inadequate

evidence
  proposed.overall: grade or unknown
  flags.a: bool or unknown
  flags.b: bool
  since: date or none
  seen: date or unknown
  kind: grade or unknown
  count: number or unknown

judgement overall: grade from proposed.overall

let cap = 3

rule is_v \"para 1\"
  when kind is good and flags.b
  then finding kind_good

rule at_most \"para 2\"
  when kind is at most requires_improvement and flags.b
  then finding kind_at_most_ri

rule at_least \"para 3\"
  when kind is at least good and flags.b
  then finding kind_at_least_good

rule judged \"para 4\"
  when overall is inadequate and flags.b
  then finding overall_inadequate

rule since_given \"para 5\"
  when since is set and flags.b
  then finding since_set

rule seen_given \"para 9\"
  when seen is set and flags.b
  then finding seen_set

rule not_a \"para 6\"
  when not flags.a and flags.b
  then finding not_a

rule a \"para 7\"
  when flags.a and flags.b
  then finding a

rule alone \"para 8\"
  when flags.a
  then finding a_alone

rule deeper \"para 10\"
  when flags.a and kind is good and since is set and not flags.b and overall is good
  then finding deeper

rule compares \"para 11\"
  when count > cap and (flags.a or not (kind is good and flags.b))
  then finding compares

rule judged_cmp \"para 12\"
  when overall != kind or count = 0
  then finding judged_cmp

rule walked \"para 13\"
  when kind is good and count + 1 > cap
  then finding walked
";

/// Each kind of guard that is read before the condition is walked
/// (`Model::guards`), with every value it can hold, first and after other
/// guards that are true or unknown (`deeper`); comparisons of fields, lets,
/// constants and judgements, `or` and `not` of `and` inside a guard
/// (`compares`, `judged_cmp`, whose guards are the whole condition and give
/// its truth); guards before a part that is walked (`walked`): the outcome
/// is the one the long way (which walks every condition) gives.
#[test]
fn a_guard_decides_a_rule_as_walking_its_condition_would() {
    let r = Ruleset::from_source(FIRST, &[]).unwrap_or_else(|e| panic!("{e:?}"));
    let mut fired = std::collections::BTreeSet::new();
    for proposed in [json!("good"), json!("inadequate")] {
        for a in [json!(true), json!(false), Value::Null] {
            for b in [true, false] {
                for (since, seen) in [
                    (json!("2016-01-01"), json!("2016-01-01")),
                    (Value::Null, Value::Null),
                ] {
                    for kind in [
                        json!("outstanding"),
                        json!("good"),
                        json!("inadequate"),
                        Value::Null,
                    ] {
                        for count in [json!(5), json!(0), Value::Null] {
                            let evidence = json!({
                                "proposed": {"overall": proposed},
                                "flags": {"a": a, "b": b},
                                "since": since,
                                "seen": seen,
                                "kind": kind,
                                "count": count,
                            });
                            let (plain, long) = both(&r, &evidence);
                            assert_eq!(plain, long, "{evidence}");
                            fired.extend(findings(&plain));
                        }
                    }
                }
            }
        }
    }
    // Every rule fired for some record, so each guard was seen true as
    // well as false.
    assert_eq!(fired.len(), 13, "{fired:?}");
}

const DOUBT: &str = "ruleset doubt \"A judgement in doubt\"
  in force from 2015-04-01

scale grade: outstanding > good > requires_improvement > inadequate

evidence
  proposed.overall: grade
  f.c: bool or unknown
  f.b: bool

judgement overall: grade from proposed.overall

rule capped \"para 1\"
  when f.c
  then overall at most requires_improvement

rule judged \"para 2\"
  when f.b and overall is at most requires_improvement
  then finding overall_capped
";

/// A rule led by a test of a judgement (`Model::judgement_leads`) is
/// passed by once the judgement is made, where the test is false; but not
/// where the judgement is provisional, when the rule is in doubt: `judged`
/// reads `overall`, which `capped`, undecided, could still cap.
#[test]
fn a_test_of_a_judgement_passes_rules_by_only_where_the_judgement_is_not_provisional() {
    let r = Ruleset::from_source(DOUBT, &[]).unwrap_or_else(|e| panic!("{e:?}"));
    let mut undetermined = Vec::new();
    for c in [json!(true), json!(false), Value::Null] {
        let evidence = json!({"proposed": {"overall": "good"}, "f": {"c": c, "b": true}});
        let (plain, long) = both(&r, &evidence);
        assert_eq!(plain, long, "{evidence}");
        let plain = plain.unwrap();
        let rules: Vec<&str> = plain["undetermined"]
            .as_array()
            .unwrap()
            .iter()
            .map(|u| u["rule"].as_str().unwrap())
            .collect();
        undetermined.push((c, findings(&Ok(plain.clone())), rules.join(",")));
    }
    assert_eq!(
        undetermined,
        [
            (
                json!(true),
                vec!["overall_capped null".to_string()],
                String::new()
            ),
            (json!(false), vec![], String::new()),
            (Value::Null, vec![], "capped,judged".to_string()),
        ]
    );
}

const TWO: &str = "ruleset two \"Two judgements\"
  in force from 2015-04-01

scale grade: outstanding > good > requires_improvement > inadequate

evidence
  proposed.first: grade
  proposed.second: grade
  f.b: bool

judgement first: grade from proposed.first
judgement second: grade from proposed.second

rule cap_second \"para 1\"
  when first is inadequate
  then second at most requires_improvement

rule either \"para 2\"
  when f.b and (second is inadequate or first is outstanding)
  then finding either
";

/// A part of a rule's guards that reads two judgements passes the rule by
/// only once both are made: `second` is made after `first`, as a rule
/// that reads `first` constrains it, and decides `either` when `first`
/// does not.
#[test]
fn a_part_that_reads_two_judgements_is_read_once_both_are_made() {
    let r = Ruleset::from_source(TWO, &[]).unwrap_or_else(|e| panic!("{e:?}"));
    let mut fired = Vec::new();
    for first in ["outstanding", "inadequate", "good"] {
        for second in ["inadequate", "good"] {
            let evidence = json!({
                "proposed": {"first": first, "second": second},
                "f": {"b": true},
            });
            let (plain, long) = both(&r, &evidence);
            assert_eq!(plain, long, "{evidence}");
            // Read from text in one pass too, record after record.
            assert_eq!(by_text(&r, &evidence), plain, "{evidence}");
            if !findings(&plain).is_empty() {
                fired.push(format!("{first}/{second}"));
            }
        }
    }
    assert_eq!(
        fired,
        [
            "outstanding/inadequate",
            "outstanding/good",
            "inadequate/inadequate",
            "good/inadequate"
        ]
    );
}

/// An `invalid` check over a list's elements is decided for each element
/// by its guards where they decide it (both parts here read the element),
/// as walking its condition would: refused for each element where it
/// holds, not where it is false or unknown.
#[test]
fn a_check_over_elements_is_decided_by_its_guards_as_the_walk_would() {
    let source = "ruleset checks \"Checks\"
  in force from 2015-04-01

record visit
  id: text
  late: bool or unknown
  date: date

evidence
  start: date
  visits: list of visit default empty

invalid late_before_start \"visit {visit.id} is late before the start\"
  for each visit in visits
  when visit.late and visit.date < start

invalid unknown_before_start \"visit {visit.id} may be late before the start\"
  for each visit in visits
  when visit.date < start and not (visit.late is set)
";
    let ruleset = Ruleset::from_source(source, &[]).unwrap_or_else(|e| panic!("{e:?}"));
    let visit = |id: &str, late: Value, date: &str| json!({"id": id, "late": late, "date": date});
    let evidence = json!({
        "start": "2016-01-10",
        "visits": [
            visit("v1", json!(true), "2016-01-01"),
            visit("v2", json!(false), "2016-01-01"),
            visit("v3", Value::Null, "2016-01-01"),
            visit("v4", json!(true), "2016-01-20"),
            visit("v5", json!(true), "2016-01-09"),
        ],
    });
    let (plain, long) = both(&ruleset, &evidence);
    assert_eq!(plain, long);
    let error = plain.unwrap_err();
    assert!(
        error.contains("visit v1 is late before the start"),
        "{error}"
    );
    assert!(
        error.contains("visit v5 is late before the start"),
        "{error}"
    );
    for id in ["v2", "v3", "v4"] {
        assert!(!error.contains(&format!("visit {id} ")), "{id}: {error}");
    }
    // `is set` of an unknown is unknown: not refused.
    assert!(!error.contains("may be late"), "{error}");
}
