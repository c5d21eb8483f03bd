//! "Rule order never matters" (docs/language.md section 6): cases where it
//! did, found by the property tests (tests/properties.rs), each in the
//! smallest form, in both orders.

#![allow(
    clippy::panic,
    clippy::unwrap_used,
    clippy::indexing_slicing,
    reason = "a test fails by panicking"
)]

use judgement_engine::{EvalOptions, Ruleset};
use serde_json::{json, Value};

const HEADER: &str = "ruleset order \"Rule order\"
  in force from 2015-04-01

scale grade: outstanding > good

evidence
  proposed.overall: grade
  flags.a: bool
  flags.b: bool
  flags.c: bool

judgement overall: grade from proposed.overall
";

/// The result of `evidence` under the header and `rules`, in the order given.
fn result(rules: &[&str], evidence: &Value) -> Result<Value, String> {
    let source = format!("{HEADER}\n{}", rules.join("\n"));
    let ruleset = Ruleset::from_source(&source, &[]).unwrap_or_else(|e| panic!("{e:?}"));
    match ruleset.evaluate(evidence, EvalOptions::default()) {
        Ok(outcome) => {
            let mut v = serde_json::to_value(outcome).unwrap();
            v["ruleset"]["digest"] = Value::Null;
            Ok(v)
        }
        Err(e) => Err(e.to_string()),
    }
}

/// Two floors of the same value above a cap: the conflict named whichever
/// floor was written first.
#[test]
fn a_conflict_names_the_same_rules_whatever_order_they_are_written_in() {
    let a = "rule a \"para 1\"\n  when flags.a\n  then overall at least outstanding\n";
    let b = "rule b \"para 2\"\n  when flags.b\n  then overall = outstanding\n";
    let c = "rule c \"para 3\"\n  when flags.c\n  then overall at most good\n";
    let evidence =
        json!({"proposed": {"overall": "good"}, "flags": {"a": true, "b": true, "c": true}});
    let expected = Err(
        "judgement `overall` has a floor above its cap: `a` says at least outstanding but `c` says at most good"
            .to_string(),
    );
    assert_eq!(result(&[a, b, c], &evidence), expected);
    assert_eq!(result(&[b, a, c], &evidence), expected);
    assert_eq!(result(&[c, b, a], &evidence), expected);
}

/// The outcome of `evidence` under `ruleset`, as JSON.
fn outcome(ruleset: &Ruleset, evidence: &Value) -> Value {
    serde_json::to_value(ruleset.evaluate(evidence, EvalOptions::default()).unwrap()).unwrap()
}

/// A rule that withholds one judgement (`then no J judgement`) withholds
/// that one only, whatever order the rules are in: a constraint on another
/// judgement still binds it, and the withheld one is `null`, naming the
/// rule. Undecided, it would give `no J judgement` and leaves the others as
/// they are.
#[test]
fn a_rule_that_withholds_one_judgement_leaves_the_others_made_whatever_the_order() {
    let source = "ruleset one \"One withheld\"
  in force from 2015-04-01

scale grade: outstanding > good > inadequate

evidence
  proposed.overall: grade
  proposed.leadership: grade
  flags.a: bool or unknown
  flags.b: bool

judgement leadership: grade from proposed.leadership
judgement overall: grade from proposed.overall
";
    let gate = "rule gate \"para 1\"\n  when flags.a\n  then no overall judgement\n";
    let force = "rule vacancy \"para 2\"\n  when flags.b\n  then leadership = inadequate\n";
    let cap = "rule cap \"para 3\"\n  when leadership is inadequate\n  then overall at most good\n";
    for rules in [[gate, force, cap], [cap, force, gate], [force, cap, gate]] {
        let ruleset = Ruleset::from_source(&format!("{source}\n{}", rules.join("\n")), &[])
            .unwrap_or_else(|e| panic!("{e:?}"));
        let evidence = json!({"proposed": {"overall": "outstanding", "leadership": "good"},
                              "flags": {"a": true, "b": true}});
        let out = outcome(&ruleset, &evidence);
        assert_eq!(
            out["judgements"],
            json!({"leadership": "inadequate", "overall": null})
        );
        assert_eq!(out["details"]["overall"]["withheld_by"]["rule"], "gate");
        assert_eq!(out["details"]["leadership"]["withheld_by"], Value::Null);
        // The gate not known: it might withhold overall, which is provisional;
        // leadership, which no rule could withhold, is not.
        let evidence = json!({"proposed": {"overall": "outstanding", "leadership": "good"},
                              "flags": {"b": true}});
        let out = outcome(&ruleset, &evidence);
        assert_eq!(
            out["judgements"],
            json!({"leadership": "inadequate", "overall": "good"})
        );
        assert_eq!(out["undetermined"][0]["rule"], "gate");
        assert_eq!(
            out["undetermined"][0]["effects"],
            json!(["no overall judgement"])
        );
        assert!(
            out["details"]["overall"]["provisional"].is_object(),
            "{out}"
        );
        assert!(
            out["details"]["leadership"].get("provisional").is_none(),
            "{out}"
        );
    }
}

/// A judgement withheld by a rule that fired, reading nothing provisional,
/// is withheld whatever another rule that could not be decided would do:
/// not provisional, in either order. (It was, naming the undecided rule.)
#[test]
fn a_judgement_withheld_for_certain_is_not_provisional() {
    let a = "rule a \"para 1\"\n  when flags.a\n  then no overall judgement\n";
    let b = "rule b \"para 2\"\n  when flags.b\n  then no judgement\n";
    let source = |rules: [&str; 2]| {
        format!(
            "{}\n{}",
            HEADER.replace("flags.b: bool", "flags.b: bool or unknown"),
            rules.join("\n")
        )
    };
    for rules in [[a, b], [b, a]] {
        let ruleset = Ruleset::from_source(&source(rules), &[]).unwrap_or_else(|e| panic!("{e:?}"));
        let evidence = json!({"proposed": {"overall": "good"}, "flags": {"a": true, "c": false}});
        let out = outcome(&ruleset, &evidence);
        assert_eq!(out["judgements"]["overall"], Value::Null);
        assert_eq!(out["details"]["overall"]["withheld_by"]["rule"], "a");
        assert!(
            out["details"]["overall"].get("provisional").is_none(),
            "{out}"
        );
        // The undecided rule is still listed: a hard rule not decided.
        assert_eq!(out["undetermined"][0]["rule"], "b");
        // With the first not firing, the undecided one leaves it in doubt.
        let evidence = json!({"proposed": {"overall": "good"}, "flags": {"a": false, "c": false}});
        let out = outcome(&ruleset, &evidence);
        assert_eq!(out["judgements"]["overall"], "good");
        assert!(
            out["details"]["overall"]["provisional"].is_object(),
            "{out}"
        );
    }
}

/// A judgement made only `when` another is set is provisional where that
/// one is: were it withheld, this one would not be made. (It was made
/// with no doubt.) Not where its `when` holds whatever that one comes to.
#[test]
fn a_judgement_whose_when_reads_a_provisional_judgement_is_provisional() {
    let source = |when: &str| {
        format!(
            "ruleset w \"When\"
  in force from 2015-04-01

scale grade: outstanding > good > inadequate

evidence
  gate_open: bool or unknown
  always: bool default true
  proposed.overall: grade
  proposed.helped: grade

judgement overall: grade from proposed.overall

judgement helped: grade from proposed.helped when {when}

rule gate \"para 1\"
  when not gate_open
  then no overall judgement
"
        )
    };
    let evidence = json!({"proposed": {"overall": "good", "helped": "good"}});
    let ruleset =
        Ruleset::from_source(&source("overall is set"), &[]).unwrap_or_else(|e| panic!("{e:?}"));
    let out = outcome(&ruleset, &evidence);
    assert_eq!(
        out["judgements"],
        json!({"overall": "good", "helped": "good"})
    );
    assert_eq!(
        out["details"]["overall"]["provisional"]["rules"],
        json!(["gate"])
    );
    assert_eq!(
        out["details"]["helped"]["provisional"]["rules"],
        json!(["gate"]),
        "{out}"
    );
    assert_eq!(
        out["details"]["helped"]["provisional"]["missing"],
        json!(["gate_open"])
    );
    let ruleset = Ruleset::from_source(&source("overall is set or always"), &[])
        .unwrap_or_else(|e| panic!("{e:?}"));
    let out = outcome(&ruleset, &evidence);
    assert!(
        out["details"]["helped"].get("provisional").is_none(),
        "{out}"
    );
}

/// Two rules that withhold every judgement: `withheld_by` names the one
/// whose id sorts first, whatever order they are written in.
#[test]
fn the_rule_named_as_withholding_a_judgement_is_the_same_whatever_order_they_are_written_in() {
    let a = "rule a \"para 1\"\n  when flags.a\n  then no judgement\n";
    let b = "rule b \"para 2\"\n  when flags.b\n  then no judgement\n";
    let evidence =
        json!({"proposed": {"overall": "good"}, "flags": {"a": true, "b": true, "c": false}});
    for order in [[a, b], [b, a]] {
        let outcome = result(&order, &evidence).unwrap();
        assert_eq!(
            outcome["details"]["overall"]["withheld_by"],
            json!({"rule": "a", "cite": "para 1"}),
            "{order:?}"
        );
    }
}

/// Two judgements each with a floor above its cap: which conflict was
/// reported depended on the order the judgements and rules were written in
/// (found by the property test). Where the order of evaluation is free,
/// judgements now go by name and rules by id, so the same conflict is
/// reported in every order: `overall`'s, whose rules `r0` and `r4` come
/// before `leadership`'s `r1` and `r5`.
#[test]
fn a_conflict_in_two_judgements_names_the_same_one_whatever_order_they_are_written_in() {
    let judgements = [
        "judgement leadership: grade from proposed.leadership\n",
        "judgement overall: grade from proposed.overall\n",
    ];
    let rules = [
        "rule r4 \"para 4\"\n  when flags.a\n  then overall at least outstanding\n",
        "rule r1 \"para 1\"\n  when flags.b\n  then leadership at least outstanding\n",
        "rule r5 \"para 5\"\n  when flags.c\n  then leadership at most good\n",
        "rule r0 \"para 0\"\n  when flags.d\n  then overall at most good\n",
    ];
    let outcome = |judgements: [&str; 2], rules: &[&str]| {
        let source = format!(
            "ruleset order \"Declaration order\"\n  in force from 2015-04-01\n\nscale grade: outstanding > good\n\nevidence\n  proposed.overall: grade\n  proposed.leadership: grade\n  flags.a: bool\n  flags.b: bool\n  flags.c: bool\n  flags.d: bool\n\n{}\n{}",
            judgements.join("\n"),
            rules.join("\n")
        );
        let ruleset = Ruleset::from_source(&source, &[]).unwrap_or_else(|e| panic!("{e:?}"));
        let evidence = json!({
            "proposed": {"overall": "outstanding", "leadership": "outstanding"},
            "flags": {"a": true, "b": true, "c": true, "d": true}
        });
        ruleset
            .evaluate(&evidence, EvalOptions::default())
            .map(|_| ())
            .map_err(|e| e.to_string())
    };
    let expected = Err(
        "judgement `overall` has a floor above its cap: `r4` says at least outstanding but `r0` says at most good"
            .to_string(),
    );
    // Every order of the four rules, with the judgements either way round.
    for order in 0..24 {
        let mut left: Vec<&str> = rules.to_vec();
        let mut ordered = Vec::new();
        let mut k = order;
        for n in (1..=4).rev() {
            ordered.push(left.remove(k % n));
            k /= n;
        }
        for js in [
            [judgements[0], judgements[1]],
            [judgements[1], judgements[0]],
        ] {
            assert_eq!(outcome(js, &ordered), expected, "{ordered:?} {js:?}");
        }
    }
}

/// Judgements are made in the order the rules need them (here `key`
/// before `overall`, which a rule reading `key` constrains), and listed in
/// the outcome in the order they are declared, judgements and details
/// alike, whether the outcome is new or made in a reused one.
#[test]
fn judgements_made_out_of_their_declared_order_are_listed_in_it() {
    let source = "ruleset order \"Judgement order\"
  in force from 2015-04-01

scale grade: outstanding > good > inadequate

evidence
  proposed.overall: grade
  proposed.other: grade
  proposed.key: grade

judgement overall: grade from proposed.overall
judgement other: grade from proposed.other
judgement key: grade from proposed.key

rule key_limits_overall \"para 1\"
  when key is inadequate
  then overall = inadequate
";
    let ruleset = Ruleset::from_source(source, &[]).unwrap_or_else(|e| panic!("{e:?}"));
    let text = r#"{"proposed": {"overall": "good", "other": "outstanding", "key": "inadequate"}}"#;
    let declared = ["overall", "other", "key"];
    let mut spare = judgement_engine::outcome::Spare::default();
    for round in 0..2 {
        let outcome = ruleset
            .evaluate_str_reusing(text, EvalOptions::default(), &mut spare)
            .unwrap();
        let judged: Vec<&str> = outcome.judgements.keys().copied().collect();
        let detailed: Vec<&str> = outcome.details.keys().copied().collect();
        assert_eq!(judged, declared, "round {round}");
        assert_eq!(detailed, declared, "round {round}");
        assert_eq!(outcome.judgements.get("overall"), Some(&Some("inadequate")));
        assert_eq!(
            outcome.details.get("overall").and_then(|d| d.value),
            Some("inadequate")
        );
        assert_eq!(
            outcome.details.get("key").and_then(|d| d.value),
            Some("inadequate")
        );
        assert_eq!(
            outcome.details.get("other").and_then(|d| d.value),
            Some("outstanding")
        );
        outcome.recycle(&mut spare);
    }
}

/// A message that shows a judgement was written before the judgement was
/// made when the rule's id sorted before the rule that lowers it: the
/// finding said "overall is good" of an overall of requires improvement.
/// A message's judgements are read as a condition's are: the rule waits.
#[test]
fn a_message_shows_a_judgement_as_made_whatever_the_rule_ids() {
    let header = HEADER.replace(
        "scale grade: outstanding > good",
        "scale grade: outstanding > good > requires_improvement",
    );
    let evidence =
        json!({"proposed": {"overall": "good"}, "flags": {"a": true, "b": false, "c": false}});
    for (shows, lowers) in [("a_show", "z_lower"), ("z_show", "a_lower")] {
        let source = format!(
            "{header}\nrule {shows} \"para 1\"\n  then finding shown \"overall is {{overall}}\"\n\n\
             rule {lowers} \"para 2\"\n  when flags.a\n  then overall at most requires_improvement\n"
        );
        let ruleset = Ruleset::from_source(&source, &[]).unwrap_or_else(|e| panic!("{e:?}"));
        let outcome = ruleset.evaluate(&evidence, EvalOptions::default()).unwrap();
        let v = serde_json::to_value(outcome).unwrap();
        assert_eq!(
            v["judgements"]["overall"], "requires_improvement",
            "{shows}"
        );
        assert_eq!(
            v["findings"][0]["message"], "overall is requires_improvement",
            "{shows}, {lowers}"
        );
    }
}
