//! Bad input never panics: rule files damaged at many places, evidence with
//! every field given a wrong value, and hostile sizes. Each gives errors.

#![allow(
    clippy::panic,
    clippy::unwrap_used,
    clippy::indexing_slicing,
    reason = "a test fails by panicking"
)]

use judgement::calendar::Calendar;
use judgement::{Editions, EvalOptions, Ruleset};
use serde_json::Value as Json;
use std::path::Path;

fn calendars() -> Vec<Calendar> {
    let text = std::fs::read_to_string("rulesets/calendars/england_and_wales.calendar").unwrap();
    vec![Calendar::parse(&text).unwrap()]
}

#[test]
fn compiled_rulesets_can_be_shared_across_threads() {
    fn send_sync<T: Send + Sync>() {}
    send_sync::<Ruleset>();
    send_sync::<Editions>();
}

/// Damage the children's homes ruleset at many places (a character
/// removed, a stray token inserted, the text cut short): each must give
/// problems or a ruleset, never a panic.
#[test]
fn damaged_rule_files_give_errors_not_panics() {
    let source = std::fs::read_to_string("rulesets/childrens_homes/2015-04.rules").unwrap();
    let mut context = judgement::Context::with_calendars(&calendars());
    context.add_definitions(
        "monitoring_visits",
        "rulesets/definitions/monitoring_visits.rules",
        std::fs::read_to_string("rulesets/definitions/monitoring_visits.rules").unwrap(),
    );
    let label = Path::new("rulesets/childrens_homes/2015-04.rules");
    // The file itself loads: each refusal below is the damage's doing.
    assert!(Ruleset::from_sources(label, &source, &context).is_ok());
    // About 60 places, spread over the whole file however long it grows.
    let step = (source.len() / 60).max(53);
    let boundaries: Vec<usize> = (0..source.len())
        .filter(|i| source.is_char_boundary(*i))
        .step_by(step)
        .collect();
    let mut refused = 0;
    for (n, &at) in boundaries.iter().enumerate() {
        let next = (at + 1..=source.len())
            .find(|i| source.is_char_boundary(*i))
            .unwrap_or(source.len());
        let damaged = match n % 3 {
            0 => format!("{}{}", &source[..at], &source[next..]),
            1 => format!("{} ) = \"{}", &source[..at], &source[at..]),
            _ => source[..at].to_string(),
        };
        if Ruleset::from_sources(label, &damaged, &context).is_err() {
            refused += 1;
        }
    }
    assert!(
        refused > boundaries.len() / 3,
        "only {refused} of {} damaged files were refused",
        boundaries.len()
    );
}

fn wrong_values() -> Vec<Json> {
    serde_json::from_str(r#"[null, true, 0, -1, 2.5, 99999999999999999999, "", "goood", "2015-02-30", "9999-99-99", [], {}, [{}], {"id": 1}]"#).unwrap()
}

/// Every field of the example evidence, given every kind of wrong value,
/// gives an outcome or an error naming a JSON path; never a panic.
#[test]
fn every_wrong_evidence_value_gives_an_error_not_a_panic() {
    let editions = Editions::load(Path::new("rulesets/childrens_homes")).unwrap();
    let text = std::fs::read_to_string("examples/childrens_homes/full_inspection.json").unwrap();
    let example: Json = serde_json::from_str(&text).unwrap();
    let mut paths = Vec::new();
    fn walk(v: &Json, path: Vec<String>, out: &mut Vec<Vec<String>>) {
        if let Json::Object(map) = v {
            for (k, child) in map {
                let mut p = path.clone();
                p.push(k.clone());
                out.push(p.clone());
                walk(child, p, out);
            }
        }
    }
    walk(&example, Vec::new(), &mut paths);
    assert!(paths.len() > 15);
    let mut errors = 0;
    for path in &paths {
        for wrong in wrong_values() {
            let mut evidence = example.clone();
            let mut node = &mut evidence;
            for seg in &path[..path.len() - 1] {
                node = node.get_mut(seg).unwrap();
            }
            node[path.last().unwrap()] = wrong;
            if let Err(e) = editions.evaluate(
                &evidence,
                EvalOptions {
                    trace: true,
                    ..EvalOptions::default()
                },
            ) {
                errors += 1;
                assert!(!e.to_string().is_empty());
            }
        }
    }
    assert!(
        errors > paths.len() * 5,
        "only {errors} wrong values were refused"
    );
}

/// Evidence may hold 127 objects and lists open at once, serde_json's
/// limit, as docs/language.md says: the 128th opening bracket is refused
/// where it stands, and anything shallower is read (here, to the fields
/// the record lacks).
#[test]
fn evidence_nests_127_deep_and_no_deeper() {
    let editions = Editions::load(Path::new("rulesets/childrens_homes")).unwrap();
    let nested = |levels: usize| {
        let lists = levels - 1;
        format!("{{\"x\":{}{}}}", "[".repeat(lists), "]".repeat(lists))
    };
    let message =
        |levels: usize| match editions.evaluate_str(&nested(levels), EvalOptions::default()) {
            Ok(_) => panic!("a record with no inspection was evaluated"),
            Err(e) => e.to_string(),
        };
    assert!(
        !message(127).contains("recursion limit"),
        "{}",
        message(127)
    );
    assert!(message(127).contains("inspection"), "{}", message(127));
    let deep = message(128);
    assert!(deep.contains("recursion limit exceeded"), "{deep}");
    assert!(deep.contains("column 132"), "{deep}");
}

/// An `invalid` check's message that repeats the record's text (an id of a
/// megabyte) is cut after 1,000 characters, with how many it had.
#[test]
fn a_check_message_holding_a_huge_id_is_cut() {
    let editions = Editions::load(Path::new("rulesets/childrens_homes")).unwrap();
    let text = std::fs::read_to_string("examples/childrens_homes/full_inspection.json").unwrap();
    let mut evidence: Json = serde_json::from_str(&text).unwrap();
    let id = "c".repeat(1_000_000);
    evidence["holiday"] = serde_json::json!({
        "purpose": "holiday",
        "children": [{"id": id, "stays": [{"id": "s1", "start": "2015-07-10", "end": "2015-07-01"}]}]
    });
    let error = editions
        .evaluate(&evidence, EvalOptions::default())
        .unwrap_err()
        .to_string();
    assert!(error.len() < 3_000, "{} bytes", error.len());
    assert!(
        error.contains("holiday.children[0].stays[0].end: a holiday stay of child ccc"),
        "{error}"
    );
    assert!(error.contains("characters)"), "{error}");
}

// ---------------------------------------------------------------- issue 6
//
// One test for each fault the hostile-input review found. The pathological
// inputs are generated (`pathological/`), at sizes where the old code
// crashed or took many seconds; `benches/pathological.rs` times them at the
// review's sizes in a release build.

mod pathological;
use pathological::HEADER;

/// Load a ruleset from text with the England and Wales calendar.
fn load(source: &str) -> Result<Ruleset, Vec<judgement::Problem>> {
    Ruleset::from_source(source, &calendars())
}

/// The messages of a ruleset that does not load.
fn problems(source: &str) -> Vec<String> {
    match load(source) {
        Ok(_) => panic!("the ruleset loaded"),
        Err(problems) => problems.iter().map(ToString::to_string).collect(),
    }
}

fn evaluate<'r>(
    ruleset: &'r Ruleset,
    evidence: &str,
) -> Result<judgement::Outcome<'r>, judgement::EvalError> {
    ruleset.evaluate_str(evidence, EvalOptions::default())
}

/// The outcome of a record given as text, as JSON, and the same with a
/// trace (which takes an index of a long list too, audit 32 R3: it once
/// read the list whole for each element of another, 22 seconds at 20,000
/// elements), held to be the same but for the trace.
fn outcome_traced_too(ruleset: &Ruleset, evidence: &str) -> serde_json::Value {
    let plain = serde_json::to_value(evaluate(ruleset, evidence).unwrap()).unwrap();
    let options = EvalOptions {
        trace: true,
        ..EvalOptions::default()
    };
    let mut traced =
        serde_json::to_value(ruleset.evaluate_str(evidence, options).unwrap()).unwrap();
    let trace = traced.as_object_mut().unwrap().remove("trace").unwrap();
    assert!(trace.as_array().unwrap().len() >= 10_000);
    assert_eq!(plain, traced);
    plain
}

/// Item 1: a backslash before the closing quote of a string no longer hides
/// the brackets after it from the nesting limit (6,240 brackets overflowed
/// the stack).
#[test]
fn an_escaped_backslash_does_not_hide_deep_nesting() {
    let deep = format!("{}1{}", "(".repeat(6240), ")".repeat(6240));
    let source = format!("ruleset x \"\\\\\"\nlet a = {deep}\n");
    assert!(too_deep(&source));
}

/// Whether a rule file is refused as nested more than 64 deep.
fn too_deep(source: &str) -> bool {
    judgement::parse_file(source).is_err_and(|errors| {
        errors
            .iter()
            .any(|e| e.to_string().contains("nested more than 64 deep"))
    })
}

/// Words nest too, without brackets: each `day after`, `every ... satisfies`
/// or `count ... where` is a level of pest's recursion. pest is built
/// without its own stack guard, so the check before parsing counts those
/// words with the brackets (`parse::limits::pre_check` in the syntax crate):
/// 40,000 of them (what fits in a file) are refused at the 65th, before pest
/// recurses, where they would overflow any stack.
#[test]
fn words_nested_past_the_stack_are_an_error() {
    for word in [
        "day after ",
        "every a in l satisfies ",
        "count a in l where ",
        // `finding` is not reserved: a quantifier may bind it.
        "no finding in l satisfies ",
    ] {
        let source = format!("ruleset x \"t\"\nlet a = {}x\n", word.repeat(40_000));
        assert!(too_deep(&source), "{word}");
    }
}

/// The words that nest, counted with the brackets: 64 levels in all are
/// parsed (on a thread with the 2 MiB stack an embedding program's threads
/// have by default, in a debug build, where pest's frames are largest),
/// 65 are refused before parsing, whichever mix of words and brackets
/// makes them. A comma or a clause keyword ends what came before it: words
/// in one clause do not add to the next's.
#[test]
fn words_and_brackets_nest_64_deep_on_a_small_stack() {
    fn nested(words: usize, brackets: usize) -> String {
        format!(
            "ruleset x \"t\"\nlet a = {}{}x{}\n",
            "every a in l satisfies ".repeat(words),
            "(".repeat(brackets),
            ")".repeat(brackets)
        )
    }
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(|| {
            for (words, brackets) in [(63, 0), (32, 32), (0, 64)] {
                let parsed = judgement::parse_file(&nested(words, brackets));
                assert!(parsed.is_ok(), "{words} and {brackets}: {parsed:?}");
            }
            // 64 quantifiers and their last body are 65 levels of the
            // expression: pest parses them, and the check after lowering
            // refuses them.
            assert!(too_deep(&nested(64, 0)));
            for (words, brackets) in [(65, 0), (33, 32), (1, 64), (0, 65)] {
                assert!(too_deep(&nested(words, brackets)), "{words} and {brackets}");
            }
            // The words of one clause are not counted in the next.
            let clauses: String = (0..40)
                .map(|i| format!("let a{i} = {}x\n", "day after ".repeat(40)))
                .collect();
            let many = format!("ruleset x \"t\"\n{clauses}");
            assert!(judgement::parse_file(&many).is_ok());
            let listed = format!(
                "ruleset x \"t\"\ntest \"t\"\n  given a = 1\n  expect {}\n",
                vec!["no action b"; 100].join(", ")
            );
            assert!(judgement::parse_file(&listed).is_ok());
        })
        .unwrap()
        .join()
        .unwrap();
}

/// Item 2: 8,000 lets, each reading the next, are ordered without
/// recursion.
#[test]
fn a_long_chain_of_lets_loads() {
    let ruleset = load(&pathological::let_chain(8000)).unwrap();
    let outcome = evaluate(&ruleset, r#"{"x": 1}"#).unwrap();
    assert_eq!(outcome.actions.len(), 1);
}

/// Item 2, its cycle: lets that read each other round a long loop are one
/// error, not a stack overflow or one error a let.
#[test]
fn a_long_cycle_of_lets_is_one_error() {
    let mut source = String::from(HEADER);
    for i in 0..5000 {
        source.push_str(&format!("let a{i} = a{} + 1\n", (i + 1) % 5000));
    }
    let errors = problems(&source);
    let cycles = errors
        .iter()
        .filter(|e| e.contains("cycle") || e.contains("itself"))
        .count();
    assert_eq!(cycles, 1, "{errors:?}");
}

/// Item 4: lets that each read the three before them, 40 levels deep
/// (18 took 17 s when each level tripled the work), from fields that may be
/// none: the none-guard check is linear.
#[test]
fn the_none_guard_check_is_linear_in_shared_lets() {
    let ruleset = load(&pathological::shared_lets(40)).unwrap();
    let fired = |evidence: &str| evaluate(&ruleset, evidence).unwrap().actions.len();
    assert_eq!(fired(r#"{"x": 1, "y": 0, "z": 0}"#), 1);
    assert_eq!(fired(r#"{"x": null, "y": 1, "z": 1}"#), 0);
}

/// The reason why-not gives for rule `r1` of `source` not firing on
/// `evidence`, where working back finds no change.
fn why_not_reason(source: &str, evidence: &str) -> String {
    use judgement::why_not::Fix;
    let ruleset = load(source).unwrap();
    let record: Json = serde_json::from_str(evidence).unwrap();
    let why = judgement::why_not(&ruleset, &record, "r1", EvalOptions::default()).unwrap();
    let judgement::WhyNot::Rule(rule) = &why else {
        panic!("a rule's answer: {why:?}")
    };
    match &rule.attempts[0].to_fire {
        Some(Fix::NoSingleChange { reason }) => reason.clone(),
        other => panic!("no change expected: {other:?}"),
    }
}

/// Items 2 and 4 for why-not: working back through 8,000 lets, each
/// reading the next, overflowed the stack (16,000 in a release build, on
/// the main thread's larger stack); through lets that each read the three
/// before them it took each path to the fields apart, and the paths
/// multiply (24 levels ran past 3 GB). Working back stops, and says why,
/// as a ruleset with more in it than any handbook needs has no answer to
/// give in time.
#[test]
fn why_not_stops_working_back_through_deep_or_shared_lets() {
    let reason = why_not_reason(&pathological::let_chain(8000), r#"{"x": -3}"#);
    assert_eq!(
        reason,
        "working back went through more than 200 lets and sums one inside another, and stopped"
    );
    let reason = why_not_reason(
        &pathological::shared_lets(60),
        r#"{"x": null, "y": null, "z": null}"#,
    );
    assert!(
        reason.starts_with("working back took more than 20000 steps"),
        "{reason}"
    );
    // A short chain is worked back as before.
    let ruleset = load(&pathological::let_chain(10)).unwrap();
    let record: Json = serde_json::from_str(r#"{"x": -3}"#).unwrap();
    let why = judgement::why_not(&ruleset, &record, "r1", EvalOptions::default()).unwrap();
    let judgement::WhyNot::Rule(rule) = &why else {
        panic!("a rule's answer: {why:?}")
    };
    let Some(judgement::why_not::Fix::Change { changes, .. }) = &rule.attempts[0].to_fire else {
        panic!("a change: {:?}", rule.attempts[0].to_fire)
    };
    assert_eq!(changes[0].field, "x");
}

/// Item 5: 70,000 evidence fields (as many as fit in the size limit) are
/// checked in linear time.
#[test]
fn many_evidence_fields_are_checked_quickly() {
    let source = pathological::many_fields(70_000);
    assert!(source.len() < judgement::MAX_SOURCE_BYTES);
    load(&source).unwrap();
}

/// Item 5: 12,000 rules are checked in linear time (53,000, the most that
/// fit in the size limit, took 25 s; `benches/pathological.rs` times that
/// many in a release build).
#[test]
fn many_rules_are_checked_quickly() {
    load(&pathological::many_rules(12_000)).unwrap();
}

/// A message that shows a value 32,000 times, each after an escaped quote,
/// is checked, and shows each value in its place.
#[test]
fn a_message_of_many_values_is_checked_quickly() {
    let ruleset = load(&pathological::many_placeholders(32_000)).unwrap();
    let outcome = serde_json::to_value(evaluate(&ruleset, r#"{"a": 7}"#).unwrap()).unwrap();
    assert_eq!(
        outcome["findings"][0]["message"].as_str().unwrap(),
        "\"7".repeat(32_000)
    );
}

/// Thousands of tests' `from rule` naming a rule that does not give the
/// finding, where thousands of other rules do: each error finds the rules
/// that give it at once, and names five of them and how many more (each
/// error scanned every rule and listed them all: 22 s for 12,000 of each
/// in a release build).
#[test]
fn many_expectations_from_the_wrong_rule_are_checked_quickly_and_briefly() {
    let n = 3_000;
    let mut source = format!("{HEADER}evidence\n  a: bool\n");
    for i in 0..n {
        source.push_str(&format!("rule r{i} \"p 1\"\n  when a\n  then finding f\n"));
    }
    source.push_str("rule g \"p 1\"\n  when a\n  then finding h\ntest \"t\"\n  given a = true\n");
    source.push_str(&"  expect finding f from rule g\n".repeat(n));
    let load = Ruleset::from_source(&source, &calendars());
    let Err(problems) = load else {
        panic!("the ruleset loaded");
    };
    let first = problems
        .iter()
        .find_map(|p| match p {
            judgement::Problem::Check(c) => c.help.clone(),
            judgement::Problem::Syntax(_) => None,
        })
        .unwrap_or_default();
    assert_eq!(
        first,
        format!(
            "rule `g` gives the finding `h`; `f` is given by rules `r0`, `r1`, `r2`, `r3`, `r4` and {} more",
            n - 5
        )
    );
}

/// Item 5: a scale with more values than the limit is refused, quickly.
#[test]
fn a_scale_past_the_limit_is_refused() {
    let values: Vec<String> = (0..70_000).map(|i| format!("v{i}")).collect();
    let source = format!("{HEADER}scale s: {}\n", values.join(" > "));
    let errors = problems(&source);
    assert!(
        errors.iter().any(|e| e.contains("70000 values")),
        "{errors:?}"
    );
}

/// Item 5: 3,000 rules that conflict pairwise give a bounded report, the
/// conflicts grouped by their condition (the review saw 2.25 million
/// errors).
#[test]
fn thousands_of_conflicting_rules_give_a_bounded_report() {
    let errors = problems(&pathological::conflicting_rules(1500));
    assert!(errors.len() <= 501, "{} problems reported", errors.len());
    assert!(
        errors.iter().any(|e| e.contains("conflict on `j`")),
        "{errors:?}"
    );
}

/// Item 6: the duplicate-id check over an evidence list is linear:
/// 100,000 elements took 86 s.
#[test]
fn a_long_evidence_list_is_checked_for_duplicate_ids_quickly() {
    let (source, evidence) = pathological::long_list(100_000);
    let ruleset = load(&source).unwrap();
    evaluate(&ruleset, &evidence).unwrap();
    let twice = evidence.replacen("\"v1\"", "\"v0\"", 1);
    let error = evaluate(&ruleset, &twice).unwrap_err().to_string();
    assert!(error.contains("visits[1].id"), "{error}");
}

/// Why-not on a `for each` rule over a long list, no element of which
/// fires: a change is offered for each element, and those of the first 20
/// are checked by evaluating the record again, which names each as borne
/// out; the rest are said to be unchecked. Each check once took the rule's
/// condition apart on every element, evaluated every other rule the long
/// way, and copied the record for each change (`benches/pathological.rs`
/// times it).
#[test]
fn why_not_over_a_long_list_checks_the_first_elements_changes() {
    use judgement::why_not::{Checked, Fix};
    let (source, evidence) = pathological::unactioned(2000);
    let ruleset = load(&source).unwrap();
    let record: Json = serde_json::from_str(&evidence).unwrap();
    let why =
        judgement::why_not(&ruleset, &record, "never_actioned", EvalOptions::default()).unwrap();
    let judgement::WhyNot::Rule(rule) = &why else {
        panic!("a rule's answer: {why:?}")
    };
    assert_eq!(rule.attempts.len(), 2000);
    for (n, attempt) in rule.attempts.iter().enumerate() {
        assert_eq!(attempt.item.as_deref(), Some(format!("n{n}").as_str()));
        let Some(Fix::Change {
            changes, checked, ..
        }) = &attempt.to_fire
        else {
            panic!("a change for n{n}: {:?}", attempt.to_fire)
        };
        assert_eq!(changes.len(), 1, "n{n}: {changes:?}");
        assert_eq!(changes[0].field, "notification.actioned");
        match checked {
            Checked::Holds => assert!(n < 20, "n{n} checked"),
            Checked::Unchecked { reason } => {
                assert!(n >= 20, "n{n} not checked: {reason}");
                assert!(reason.contains("first 20 of the 2000 elements"), "{reason}");
            }
            Checked::Fails { .. } => panic!("n{n}: {checked:?}"),
        }
    }
}

/// Why-not about an action that 300 rules give: each rule's answer, the
/// same as asking about that rule alone, from one evaluation of the record
/// for them all (`benches/pathological.rs` times 3,000).
#[test]
fn why_not_about_an_action_answers_for_each_rule_that_gives_it() {
    let ruleset = load(&pathological::many_givers(300)).unwrap();
    for (a, fired) in [(-1, None), (5, Some("r5"))] {
        let record = serde_json::json!({ "a": a });
        let why =
            judgement::why_not(&ruleset, &record, "action:x", EvalOptions::default()).unwrap();
        let judgement::WhyNot::Effect(effect) = &why else {
            panic!("an effect's answer: {why:?}")
        };
        assert_eq!(effect.given_by, fired.into_iter().collect::<Vec<_>>());
        assert_eq!(effect.rules.len(), 300);
        for (i, rule) in effect.rules.iter().enumerate() {
            assert_eq!(rule.rule, format!("r{i}"));
            assert_eq!(rule.attempts.len(), 1, "r{i}");
        }
        // Each as the rule's own answer gives it.
        for i in (0..300).step_by(37).chain([5, 299]) {
            let alone =
                judgement::why_not(&ruleset, &record, &format!("r{i}"), EvalOptions::default())
                    .unwrap();
            let judgement::WhyNot::Rule(alone) = alone else {
                panic!("a rule's answer for r{i}")
            };
            assert_eq!(effect.rules[i], alone, "r{i}, a = {a}");
        }
    }
}

/// A quantifier over one long list inside a `for each` over another, the
/// second looked up by a field: read through an index of the field, not
/// whole for each element (20,000 by 20,000 would be 400 million reads),
/// with a trace too.
/// What it asserts is the outcome at that size; that the index is made is
/// `compile::tests::quantifiers_whose_condition_starts_with_an_equality_are_keyed`,
/// and that it answers as the whole list would is `crates/engine/tests/fast_paths/`.
#[test]
fn a_list_looked_up_for_each_element_of_another_is_read_through_an_index() {
    let (source, evidence) = pathological::cross_lists(20_000);
    let ruleset = load(&source).unwrap();
    let outcome = outcome_traced_too(&ruleset, &evidence);
    let findings = outcome["findings"].as_array().unwrap();
    // Requests 10,000 to 19,999 name codes 20,000 and up, which no entry has.
    assert_eq!(findings.len(), 10_000);
    assert_eq!(findings[0]["item"], "i10000");
}

/// The same for a list looked up within bounds: 20,000 one-day windows,
/// each looked up in 20,000 dated entries by `entry.at >= window.from and
/// entry.at <= window.to`, read through an index of the dates in order,
/// with a trace too.
/// That the index is made is
/// `compile::tests::quantifiers_whose_condition_starts_with_bounds_are_keyed_in_order`,
/// and that it answers as the whole list would is `crates/engine/tests/fast_paths/`.
#[test]
fn a_list_looked_up_within_bounds_for_each_element_of_another_is_read_through_an_index() {
    let (source, evidence) = pathological::windowed_lists(20_000);
    let ruleset = load(&source).unwrap();
    let outcome = outcome_traced_too(&ruleset, &evidence);
    let findings = outcome["findings"].as_array().unwrap();
    // An entry every other day: the windows on odd days hold none.
    let mut items: Vec<&str> = findings
        .iter()
        .map(|f| f["item"].as_str().unwrap())
        .collect();
    items.sort_unstable();
    let mut odd: Vec<String> = (0..10_000).map(|i| format!("w{}", 2 * i + 1)).collect();
    odd.sort_unstable();
    assert_eq!(items, odd);
}

/// A list asked, for each of its elements, whether another of it passes a
/// part of its own (`days from other.start to other.end > 90 and ...`, as
/// the adoption agencies ruleset asks of 20,000 one-day absences, which
/// once took twenty seconds a record): the elements that pass the part
/// are kept once for the record, with a trace too. That they are is
/// `compile::tests::quantifiers_whose_condition_starts_with_an_equality_are_keyed`,
/// and that they answer as the whole list would is `crates/engine/tests/fast_paths/`.
#[test]
fn a_list_asked_of_itself_through_a_part_of_its_own_is_read_once() {
    let (source, evidence) = pathological::filtered_list(20_000);
    let ruleset = load(&source).unwrap();
    let outcome = outcome_traced_too(&ruleset, &evidence);
    let items: Vec<&str> = outcome["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["item"].as_str().unwrap())
        .collect();
    assert_eq!(items, ["a19999"]);
}

/// Item 9: evidence dates are exactly `YYYY-MM-DD` in ASCII digits: a
/// signed year is refused, with the JSON path.
#[test]
fn a_signed_year_is_not_a_date() {
    let source = format!("{HEADER}evidence\n  manager.vacant_since: date\n");
    let ruleset = load(&source).unwrap();
    for bad in [
        "+201-01-01",
        "-2015-01-01",
        "20150-01-01",
        "2015-1-01",
        "２０１５-01-01",
        " 2015-01-01",
    ] {
        let evidence = format!(r#"{{"manager": {{"vacant_since": "{bad}"}}}}"#);
        let error = evaluate(&ruleset, &evidence).unwrap_err().to_string();
        assert!(error.contains("manager.vacant_since"), "{bad}: {error}");
    }
    evaluate(&ruleset, r#"{"manager": {"vacant_since": "2015-01-01"}}"#).unwrap();
}

/// Item 10: arithmetic is checked: negating the smallest integer is an
/// evaluation error naming the let, not a wrapped number.
#[test]
fn negating_the_smallest_integer_is_an_error_naming_the_let() {
    let source = format!("{HEADER}evidence\n  n: number\n\nlet flipped = -n\n\nrule r1 \"p\" when flipped > 0 then action a\n");
    let ruleset = load(&source).unwrap();
    let error = evaluate(&ruleset, &format!(r#"{{"n": {}}}"#, i64::MIN))
        .unwrap_err()
        .to_string();
    assert!(error.contains("out of range"), "{error}");
    assert!(error.contains("flipped") || error.contains("r1"), "{error}");
    let outcome = evaluate(&ruleset, r#"{"n": -5}"#).unwrap();
    assert_eq!(outcome.actions.len(), 1);
}

/// Item 11: a key written twice in one object is an error with its path.
#[test]
fn a_repeated_evidence_key_is_an_error_with_its_path() {
    let source = format!("{HEADER}evidence\n  manager.vacant_since: date\n");
    let ruleset = load(&source).unwrap();
    let evidence = r#"{"manager": {"vacant_since": "2015-01-01", "vacant_since": "2016-01-01"}}"#;
    let error = evaluate(&ruleset, evidence).unwrap_err().to_string();
    assert!(error.contains("manager.vacant_since"), "{error}");
    assert!(
        error.contains("twice") || error.contains("repeated"),
        "{error}"
    );
}

/// Item 12: two editions in one folder without `as at` are refused when
/// loaded, not at every evaluation.
#[test]
fn editions_without_as_at_are_refused_on_load() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("editions_without_as_at");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    for (name, from, to) in [
        ("a", "2015-04-01", " to 2016-03-31"),
        ("b", "2016-04-01", ""),
    ] {
        std::fs::write(
            dir.join(format!("{name}.rules")),
            format!("ruleset r \"R\"\n  edition \"{name}\"\n  in force from {from}{to}\n"),
        )
        .unwrap();
    }
    let error = Editions::load(&dir).unwrap_err().to_string();
    assert!(error.contains("as at"), "{error}");
}

/// The smaller item: a flat chain of `and` counts as one level of nesting;
/// the number of operands in one expression has its own limit.
#[test]
fn a_long_flat_and_is_not_deep_nesting() {
    let conditions = |n: usize| (0..n).map(|i| format!("f{i}")).collect::<Vec<_>>();
    let fields: String = conditions(300)
        .iter()
        .map(|f| format!("  {f}: bool\n"))
        .collect();
    let rule = |n: usize| {
        format!(
            "{HEADER}evidence\n{fields}\nrule r1 \"p\" when {} then action a\n",
            conditions(n).join(" and ")
        )
    };
    load(&rule(65)).unwrap();
    load(&rule(256)).unwrap();
    let errors = judgement::parse_file(&rule(257)).unwrap_err();
    assert!(
        errors
            .iter()
            .any(|e| e.to_string().contains("more than 256 operands")),
        "{errors:?}"
    );
}

/// The largest expression the limits allow (63 levels of brackets, each
/// with a chain of `and`, 253 operands in all) is checked, evaluated and
/// formatted on a thread with the 2 MiB stack an embedding program's
/// threads have by default: chains are walked in loops, and only nesting
/// recurses. Past the limits, one expression is refused.
#[test]
fn the_largest_expression_allowed_runs_on_a_small_stack() {
    let mut condition = String::from("x");
    for i in 0..63 {
        let chain: Vec<String> = (i..i + 4).map(|j| format!("f{}", j % 8)).collect();
        condition = format!("{} and ({condition})", chain.join(" and "));
    }
    let fields: String = (0..8).map(|i| format!("  f{i}: bool\n")).collect();
    let source = format!(
        "{HEADER}evidence\n{fields}  x: bool\n\nrule r1 \"p\" when {condition} then action a\n"
    );
    let evidence: String = (0..8).map(|i| format!("\"f{i}\": true, ")).collect();
    let evidence = format!("{{{evidence}\"x\": true}}");
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(move || {
            let ruleset = load(&source).unwrap();
            let options = EvalOptions {
                trace: true,
                ..EvalOptions::default()
            };
            let outcome = ruleset.evaluate_str(&evidence, options).unwrap();
            assert_eq!(outcome.actions.len(), 1);
            let formatted = judgement::format_source(&source).unwrap();
            assert_eq!(judgement::format_source(&formatted).unwrap(), formatted);
            // Four more operands are too many.
            let longer = source.replace("when f", "when x and x and x and x and f");
            let errors = judgement::parse_file(&longer).map(|_| ()).unwrap_err();
            assert!(
                errors
                    .iter()
                    .any(|e| e.to_string().contains("more than 256 operands")),
                "{errors:?}"
            );
        })
        .unwrap()
        .join()
        .unwrap();
}

/// The bench's largest inputs fit in the size limit: it times the checker,
/// not the refusal.
#[test]
fn the_benched_rule_files_fit_in_the_size_limit() {
    assert!(pathological::many_fields(70_000).len() <= judgement::MAX_SOURCE_BYTES);
    assert!(pathological::many_rules(27_000).len() <= judgement::MAX_SOURCE_BYTES);
}

/// A deadline on a date outside the years 0000 to 9999 is an evaluation
/// error naming the rule, as a date past chrono's range is: the outcome
/// writes dates as `YYYY-MM-DD`, and printed `+10229-09-21` and
/// `-0175-09-04` before.
#[test]
fn a_date_computed_outside_four_digit_years_is_an_error() {
    let source = format!(
        "{HEADER}evidence\n  start: date\n  dd: days\n\nlet later = start + dd\nlet months_on = start + 12000 months\n\nrule r1 \"p\" then deadline d = later\nrule r2 \"p\" then deadline e = months_on\n"
    );
    let ruleset = load(&source).unwrap();
    for (start, dd, name) in [
        ("2016-01-01", 3_000_000, "r1"),
        ("2016-01-01", -800_000, "r1"),
        ("9000-01-01", 0, "r2"),
    ] {
        let evidence = format!(r#"{{"start": "{start}", "dd": {dd}}}"#);
        let error = evaluate(&ruleset, &evidence).unwrap_err().to_string();
        assert!(error.contains("out of range"), "{start} {dd}: {error}");
        assert!(error.contains(name), "{start} {dd}: {error}");
    }
    // Inside the years, a date as ever.
    let outcome = evaluate(&ruleset, r#"{"start": "7999-12-30", "dd": 1}"#).unwrap();
    assert_eq!(
        outcome
            .deadlines
            .iter()
            .find(|d| d.deadline == "d")
            .and_then(|d| d.date),
        chrono::NaiveDate::from_ymd_opt(7999, 12, 31)
    );
}

/// A date outside the years 0000 to 9999 written into a finding's message
/// is the same error as one given as a deadline's date, naming the rule
/// and pointing at the value in the message: it was printed
/// `+12727-11-29` (audit 32 R5). A date computed on the way that the
/// outcome never shows is still compared as ever.
#[test]
fn a_date_outside_four_digit_years_in_a_message_is_an_error() {
    let source = format!(
        "{HEADER}evidence\n  a: date\n\nlet e = a + 1000000 days\n\nrule r1 \"p\"\n  when e > a\n  then finding f \"late {{e}}\"\n\nrule r2 \"p\"\n  when e > a\n  then finding g \"late\"\n"
    );
    let ruleset = load(&source).unwrap();
    let error = evaluate(&ruleset, r#"{"a": "9990-01-01"}"#)
        .unwrap_err()
        .to_string();
    assert!(error.contains("out of range"), "{error}");
    assert!(error.contains("r1"), "{error}");
    // From a date up to 7262-02-02, the date is within the years, and shown.
    let outcome = evaluate(&ruleset, r#"{"a": "7000-01-01"}"#).unwrap();
    let message = outcome
        .findings
        .iter()
        .find(|f| f.finding == "f")
        .and_then(|f| f.message.as_deref());
    assert_eq!(message, Some("late 9737-11-28"));
    assert!(outcome.findings.iter().any(|f| f.finding == "g"));
}

/// Text from a record reaches a printed report with its control characters
/// escaped: an element's id holding a terminal's escape and a line break
/// neither restyles the terminal nor starts a line of its own, in
/// `explain` or in why-not's answer.
#[test]
fn evidence_text_in_a_printed_report_cannot_restyle_or_forge_lines() {
    assert_eq!(judgement::printable("a1"), "a1");
    assert_eq!(
        judgement::printable("ab\u{1b}[1m\nOverall: outstanding."),
        "ab\\u{1b}[1m\\nOverall: outstanding."
    );
    // The same for text of several lines, as an embedder shows a rule
    // file: line feeds and tabs kept, the escape still escaped.
    assert_eq!(
        judgement::printable_lines("a\tb\n\u{1b}[1m"),
        "a\tb\n\\u{1b}[1m"
    );
    assert!(judgement::unprintable_in_lines('\u{1b}', None));
    assert!(!judgement::unprintable_in_lines('\n', None));
    let editions = Editions::load(Path::new("rulesets/childrens_homes")).unwrap();
    let record: Json = serde_json::json!({
        "inspection": {"kind": "full", "start": "2015-11-09", "end": "2015-11-11", "feedback": "2015-11-11"},
        "home": {"secure": false, "children_placed": 4},
        "manager": {"absences": [{"id": "ab\u{1b}[1m\nOverall: outstanding.", "start": "2016-01-11",
                                  "expected_length": 35, "planned": true}]},
        "proposed": {"overall": "good", "helped_and_protected": "good", "leaders_and_managers": "good"}
    });
    let ruleset = editions.select(&record).unwrap();
    let outcome = ruleset.evaluate(&record, EvalOptions::default()).unwrap();
    let explained = judgement::explain(ruleset, &outcome, "record.json");
    let why = judgement::why_not(
        ruleset,
        &record,
        "known_absence_notice",
        EvalOptions::default(),
    )
    .unwrap();
    let answered = judgement::why_not_text(ruleset, &why);
    for page in [&explained, &answered] {
        assert!(page.contains("ab\\u{1b}[1m\\nOverall:"), "{page}");
        assert!(!page.contains('\u{1b}'), "{page}");
        assert!(
            !page
                .lines()
                .any(|l| l.trim_start().starts_with("Overall: outstanding.")),
            "{page}"
        );
    }
    // An adoption agency's absence whose id would start a line of the page
    // where explain lists the actions, and which also holds a line
    // separator and a mark that turns the text's direction.
    let editions = Editions::load(Path::new("rulesets/voluntary_adoption_agencies")).unwrap();
    let id = "a0\nOverall: outstanding.\u{2028}X\u{202e}YZ";
    let mut record: Json = serde_json::json!({
        "inspection": {"kind": "full", "notice_given": "2016-04-22", "start": "2016-05-09",
                       "end": "2016-05-13", "feedback": "2016-05-13", "last_on_site": "2016-05-13"},
        "agency": {"registered": "2010-05-01", "adopters_approved": 12,
                   "adopters_in_assessment": 3, "concerns": false},
        "manager": {"absences": [{"id": id, "start": "2016-01-04", "end": "2016-02-03",
                                  "planned": true}]},
        "proposed": {"overall_effectiveness": "good"}
    });
    let ruleset = editions.select(&record).unwrap();
    let outcome = ruleset.evaluate(&record, EvalOptions::default()).unwrap();
    let explained = judgement::explain(ruleset, &outcome, "record.json");
    let shown = r"a0\nOverall: outstanding.\u{2028}X\u{202e}YZ";
    assert!(explained.contains(shown), "{explained}");
    for bad in ['\u{2028}', '\u{202e}'] {
        assert!(!explained.contains(bad), "{bad:?} in {explained}");
    }
    assert!(
        !explained
            .lines()
            .any(|l| l.trim_start().starts_with("Overall: outstanding.")),
        "{explained}"
    );
    // An `invalid` check's message names the element by its id: escaped.
    record["manager"]["absences"][0]["end"] = serde_json::json!("2016-01-01");
    let refused = ruleset
        .evaluate(&record, EvalOptions::default())
        .unwrap_err()
        .to_string();
    assert!(refused.contains(shown), "{refused}");
    assert!(!refused.contains('\n'), "{refused}");
}
