//! The compile stage read back from its model: leads and indexes.

#![allow(clippy::unwrap_used, clippy::indexing_slicing, reason = "tests")]
use crate::model::{Cmp, Cond, Guard, KeyTest, LeadTest, Limit, Model, Place, RuleId, Test};
use crate::Ruleset;

const SOURCE: &str = "ruleset leads \"Leads\"
  in force from 2015-04-01

scale grade: outstanding > good > requires_improvement > inadequate

evidence
  proposed.overall: grade
  kind: grade
  flag: bool default false
  since: date or none

judgement overall: grade from proposed.overall

rule later \"para 1\"
  when kind is good and flag
  then finding later

rule first \"para 2\"
  when kind is good and overall is inadequate
  then finding first

rule after_judgement \"para 3\"
  when overall is inadequate and since is set
  then finding after_judgement

rule judged \"para 4\"
  when overall is at least good
  then finding judged

rule either \"para 5\"
  when (kind is good and overall is inadequate) or flag
  then finding either
";

/// The rule with id `id`.
fn rule_id(model: &Model, id: &str) -> RuleId {
    model
        .rules
        .ids()
        .find(|&r| model.rules.get(r).unwrap().id == id)
        .unwrap()
}

/// The name of the field a lead tests alone, or `judgement` for a
/// judgement's test, or `program`.
fn lead(model: &Model, rule: &str) -> Vec<String> {
    let step = model
        .steps
        .iter()
        .position(|s| {
            s.rule()
                .is_some_and(|r| model.rules.get(r).unwrap().id == rule)
        })
        .unwrap() as u32;
    let has = |steps: &[(u32, u64)]| {
        steps
            .iter()
            .any(|&(w, bits)| w == step / 64 && bits & (1 << (step % 64)) != 0)
    };
    let mut found: Vec<String> = model
        .leads
        .iter()
        .filter(|l| has(&l.steps))
        .map(|l| match l.test {
            LeadTest::FieldFalse(f, _) => model.fields.get(f).unwrap().name.clone(),
            _ => "program".into(),
        })
        .collect();
    for (j, leads) in model.judgement_leads.iter_ids() {
        for l in leads.iter().filter(|l| has(&l.steps)) {
            let LeadTest::False(ref program) = l.test else {
                panic!("a judgement's lead is a program")
            };
            assert!(program.iter().any(|c| matches!(
                c,
                Cond::Test(Guard {
                    place: Place::Judgement(of),
                    ..
                }) if *of == j
            )));
            found.push(model.judgements.get(j).unwrap().name.clone());
        }
    }
    found
}

/// A rule is led by the first of its parts that is a test of one field
/// false where a record leaves the field out (`flag`, `since`), else by
/// its first part that reads no judgement (`kind`, given in every
/// record); and, besides, by its first part that reads a judgement.
#[test]
fn a_rule_is_led_by_a_part_most_records_make_false_and_by_a_judgement() {
    let ruleset = Ruleset::from_source(SOURCE, &[]).unwrap();
    let model = ruleset.model();
    assert_eq!(lead(model, "later"), ["flag"]);
    assert_eq!(lead(model, "first"), ["kind", "overall"]);
    assert_eq!(lead(model, "after_judgement"), ["since", "overall"]);
    assert_eq!(lead(model, "judged"), ["overall"]);
    // A part that reads a judgement and fields: the whole `or`.
    assert_eq!(lead(model, "either"), ["overall"]);
    // `is inadequate` once, for both rules that test it.
    let overall = model.judgement_leads.iter().next().unwrap();
    assert_eq!(overall.len(), 3);
}

/// A quantifier over an evidence list is a guard, a test of the list in
/// place (`Test::Quantified`: its truth where the list has no element),
/// and so can lead its rule: `some` is false over the empty list a record
/// that leaves the list out holds, so it leads, before a flag that is
/// true there; `every` is true there, so the flag leads. A quantifier
/// over a list inside an element is a guard too.
#[test]
fn a_quantifier_over_a_list_in_place_is_a_guard_and_can_lead() {
    let source = "ruleset quantified \"Quantified\"
  in force from 2015-04-01

record entry
  id: text
  ok: bool
  parts: list of part default empty

record part
  id: text
  ok: bool

evidence
  flag: bool default true
  other: bool default false
  entries: list of entry default empty

rule any \"para 1\"
  when flag and some e in entries satisfies e.ok
  then finding any

rule all \"para 2\"
  when (every e in entries satisfies e.ok) and other
  then finding all

rule none_inside \"para 3\"
  for each e in entries
  when not (some p in e.parts satisfies p.ok)
  then finding none_inside
";
    let ruleset = Ruleset::from_source(source, &[]).unwrap_or_else(|e| panic!("{e:?}"));
    let model = ruleset.model();
    let quantified = |rule: &str| -> Vec<Test> {
        let guards = model.guards.get(rule_id(model, rule)).unwrap();
        assert!(guards.whole, "{rule}: every part is a guard");
        guards
            .program
            .iter()
            .filter_map(|c| match c {
                Cond::Test(g) => Some(g.test),
                _ => None,
            })
            .collect()
    };
    let (some, every) = (
        Test::Quantified { when_empty: false },
        Test::Quantified { when_empty: true },
    );
    assert_eq!(quantified("any"), [Test::Holds(true), some]);
    assert_eq!(quantified("all"), [every, Test::Holds(true)]);
    assert_eq!(quantified("none_inside"), [some]);
    assert_eq!(lead(model, "any"), ["entries"]);
    assert_eq!(lead(model, "all"), ["other"]);
}

/// A count of a list's elements compared with a fixed number (a constant
/// or a threshold, on either side) is a guard too, a test of the list in
/// place whose truth where the list has no element is the comparison of
/// 0; so `count a in absences >= 2`, false where a record leaves the list
/// out, leads its rule. A count compared with anything else (a field) is
/// not a guard, and neither is a count over a list that is not in place.
#[test]
fn a_count_compared_with_a_fixed_number_is_a_guard_and_can_lead() {
    let source = "ruleset counted \"Counted\"
  in force from 2015-04-01

record absence
  id: text
  days: number

evidence
  flag: bool default true
  limit: number default 3
  absences: list of absence default empty

threshold two = 2

rule several \"para 1\"
  when flag and count a in absences >= 2
  then finding several

rule few \"para 2\"
  when two > (count a in absences where a.days > 28) and flag
  then finding few

rule against_a_field \"para 3\"
  when count a in absences >= limit
  then finding against_a_field
";
    let ruleset = Ruleset::from_source(source, &[]).unwrap_or_else(|e| panic!("{e:?}"));
    let model = ruleset.model();
    let tests = |rule: &str| -> Vec<Test> {
        let guards = model.guards.get(rule_id(model, rule)).unwrap();
        guards
            .program
            .iter()
            .filter_map(|c| match c {
                Cond::Test(g) => Some(g.test),
                _ => None,
            })
            .collect()
    };
    assert_eq!(
        tests("several"),
        [Test::Holds(true), Test::Quantified { when_empty: false }]
    );
    assert_eq!(
        tests("few"),
        [Test::Quantified { when_empty: true }, Test::Holds(true)]
    );
    assert!(tests("against_a_field").is_empty());
    // False where the list is left out: it leads, before the flag. Where
    // neither part is false then, the first leads.
    assert_eq!(lead(model, "several"), ["absences"]);
    assert_eq!(lead(model, "few"), ["absences"]);
}

/// A comparison with a date in place moved by a fixed number of days,
/// weeks, working days or months (a constant or a threshold) is a guard,
/// read with the moved date on the right (`Cond::Moved`): `end > start + 1
/// working day` makes a rule's guards its whole condition, and the walk is
/// not needed. A date moved by an amount read from the record is not one.
#[test]
fn a_comparison_with_a_moved_date_is_a_guard() {
    let calendar = crate::calendar::Calendar::parse(
        "calendar one_year\ntitle \"One year\"\nversion \"1\"\nsource \"the tests\"\nyears 2016 to 2016\n\n2016-12-26 Boxing Day\n",
    )
    .unwrap_or_else(|e| panic!("{e:?}"));
    let source = "ruleset moved \"Moved\"
  in force from 2015-04-01
  calendar one_year

evidence
  start: date
  end: date
  gap: days

threshold notice = 2 working days

rule long \"para 1\"
  when end > start + 1 working day
  then finding long

rule early \"para 2\"
  when start + notice >= end
  then finding early

rule by_the_record \"para 3\"
  when end > start + gap
  then finding by_the_record
";
    let ruleset = Ruleset::from_source(source, &[calendar]).unwrap_or_else(|e| panic!("{e:?}"));
    let model = ruleset.model();
    let field = |name: &str| {
        let f = model.fields.iter().position(|f| f.name == name).unwrap();
        Place::Field(crate::model::FieldId::from_index(f))
    };
    let guards = |rule: &str| model.guards.get(rule_id(model, rule)).unwrap();
    let moved = |rule: &str| match *guards(rule).program {
        [Cond::Moved { op, lhs, base, .. }] => Some((op, lhs, base)),
        _ => None,
    };
    assert_eq!(moved("long"), Some((Cmp::Gt, field("end"), field("start"))));
    assert!(guards("long").whole);
    // Moved on the left: read the other way round.
    assert_eq!(
        moved("early"),
        Some((Cmp::Le, field("end"), field("start")))
    );
    assert!(guards("by_the_record").program.is_empty());
}

/// `J is set` of a judgement made before the rule is a guard, read from
/// the judgement's rank (`Test::IsSet` at `Place::Judgement`), as `J is V`
/// is: so a rule that tests both, as many do, is decided by its guards.
#[test]
fn a_judgement_is_set_is_a_guard() {
    let source = SOURCE.replace(
        "rule either",
        "rule made \"para 6\"\n  when overall is set and overall is inadequate\n  then finding made\n\nrule either",
    );
    let ruleset = Ruleset::from_source(&source, &[]).unwrap_or_else(|e| panic!("{e:?}"));
    let model = ruleset.model();
    let guards = model.guards.get(rule_id(model, "made")).unwrap();
    assert!(guards.whole);
    let tests: Vec<(Place, Test)> = guards
        .program
        .iter()
        .filter_map(|c| match c {
            Cond::Test(g) => Some((g.place, g.test)),
            _ => None,
        })
        .collect();
    assert!(matches!(
        tests[..],
        [
            (Place::Judgement(_), Test::IsSet),
            (Place::Judgement(_), Test::Is { .. })
        ]
    ));
}

/// The quantifiers a list's index answers (`Model::keyed`): `some` and
/// `no` over an evidence list whose condition starts with an equality
/// of the element's field and a value that stays the same for every
/// element, either way round; another first part that reads the element
/// and the evidence alone is kept as passing or not (`KeyTest::Holds`);
/// not `every`, not a list inside an element.
#[test]
fn quantifiers_whose_condition_starts_with_an_equality_are_keyed() {
    let source = "ruleset keyed \"Keyed\"
  in force from 2015-04-01

record entry
  id: text
  code: text or unknown
  done: bool default false
  parts: list of part default empty

record part
  id: text
  code: text

evidence
  wanted: text or unknown
  entries: list of entry default empty

rule a \"para 1\"
  when some entry in entries satisfies entry.code = wanted and entry.done
  then finding a

rule b \"para 2\"
  when no entry in entries satisfies wanted = entry.code
  then finding b

rule c \"para 3\"
  for each outer in entries
  when some entry in entries satisfies entry.code = outer.code
  then finding c

rule d \"para 4\"
  when every entry in entries satisfies entry.code = wanted
  then finding d

rule e \"para 5\"
  when some entry in entries satisfies entry.code != wanted
  then finding e

rule f \"para 6\"
  when some entry in entries satisfies entry.done and entry.code = wanted
  then finding f

rule g \"para 7\"
  for each outer in entries
  when some part in outer.parts satisfies part.code = wanted
  then finding g
";
    let ruleset = Ruleset::from_source(source, &[]).unwrap();
    let model = ruleset.model();
    let keyed: Vec<(String, usize, &str)> = model
        .keyed
        .iter()
        .map(|(_, k)| {
            let kind = match k.test {
                KeyTest::Equal(_) => "equal",
                KeyTest::Range { .. } => "range",
                KeyTest::Holds(_) => "holds",
            };
            (
                model.fields.get(k.list).unwrap().name.clone(),
                k.field,
                kind,
            )
        })
        .collect();
    let entries = |field, kind| ("entries".to_string(), field, kind);
    // a, b and c by the equality; e and f by a first part that reads the
    // element and the evidence alone (`KeyTest::Holds`); not d (`every`)
    // nor g (a list inside an element).
    assert_eq!(
        keyed,
        [
            entries(1, "equal"),
            entries(1, "equal"),
            entries(1, "equal"),
            entries(0, "holds"),
            entries(0, "holds"),
        ]
    );
    assert!(model.keyed.windows(2).all(|w| w[0].0 < w[1].0));
}

/// Bounds on the element's field (`KeyTest::Range`): a first part
/// `>`, `>=`, `<` or `<=` with a side that does not read the element,
/// computed or not, either way round; a second part bounding the same
/// field from the other side is the other bound, and any other second
/// part is not. Not a comparison on a scale, whose order is the other
/// way round, nor one that reads the element on both sides (each kept as
/// passing or not instead, `KeyTest::Holds`), nor `every`.
#[test]
fn quantifiers_whose_condition_starts_with_bounds_are_keyed_in_order() {
    let source = "ruleset ranged \"Ranged\"
  in force from 2015-04-01

scale grade: outstanding > good > requires_improvement > inadequate

record entry
  id: text
  at: date
  until: date
  n: number
  grade: grade

evidence
  since: date
  entries: list of entry default empty

rule a \"para 1\"
  when some e in entries satisfies e.at >= since and e.at <= end of month since
  then finding a

rule b \"para 2\"
  when no e in entries satisfies since < e.at
  then finding b

rule c \"para 3\"
  when some e in entries satisfies e.at < since and e.n > 3
  then finding c

rule d \"para 4\"
  when some e in entries satisfies e.at > since and e.at > since + 3 days
  then finding d

rule e \"para 5\"
  when some e in entries satisfies since + 7 days >= e.at and since <= e.at
  then finding e

rule f \"para 6\"
  when some e in entries satisfies e.grade > good
  then finding f

rule g \"para 7\"
  when some e in entries satisfies e.at > e.until
  then finding g

rule h \"para 8\"
  when every e in entries satisfies e.at > since
  then finding h
";
    let ruleset = Ruleset::from_source(source, &[]).unwrap();
    let model = ruleset.model();
    let side = |b: Option<Limit>| b.map(|l| l.inclusive);
    let keyed: Vec<(usize, Option<bool>, Option<bool>, bool)> = model
        .keyed
        .iter()
        .filter_map(|(_, k)| match k.test {
            KeyTest::Range {
                low,
                high,
                low_first,
            } => Some((k.field, side(low), side(high), low_first)),
            KeyTest::Equal(_) => panic!("an equality"),
            // f and g (a scale's order, the element on both sides).
            KeyTest::Holds(_) => None,
        })
        .collect();
    let holds = model
        .keyed
        .iter()
        .filter(|(_, k)| matches!(k.test, KeyTest::Holds(_)))
        .count();
    assert_eq!(holds, 2);
    // `at` is field 1 of an entry; (low, high), each inclusive or not,
    // and whether the condition reads the low bound first.
    assert_eq!(
        keyed,
        [
            (1, Some(true), Some(true), true),
            (1, Some(false), None, true),
            (1, None, Some(false), false),
            (1, Some(false), None, true),
            (1, Some(true), Some(true), false),
        ]
    );
}

/// The lets worked out before the rules (`Model::let_plan`): what the
/// checks read, with all it needs; then what the leads read; each let's
/// needs in order. None past the plan's size.
#[test]
fn the_let_plan_works_out_first_what_checks_and_leads_read() {
    let source = "ruleset plan \"Let plan\"
  in force from 2015-04-01

evidence
  flag: bool
  kind: text

let a = flag
let b = not a
let c = b and flag
let unread = kind = \"z\"
let d = kind = \"x\"
let e = d or a

invalid odd \"odd\"
  when c

rule led \"para 1\"
  when e and flag
  then finding led
";
    let ruleset = Ruleset::from_source(source, &[]).unwrap();
    let model = ruleset.model();
    let plan = model.let_plan.as_ref().unwrap();
    let names = |ids: &[crate::model::LetId]| -> Vec<String> {
        ids.iter()
            .map(|l| model.lets.get(*l).unwrap().name.clone())
            .collect()
    };
    assert_eq!(names(&plan.first), ["a", "b", "c"]);
    assert_eq!(names(&plan.leads), ["e"]);
    let id = |name: &str| {
        model
            .lets
            .iter_ids()
            .find(|(_, d)| d.name == name)
            .unwrap()
            .0
    };
    assert_eq!(names(plan.needs.get(id("e")).unwrap()), ["a", "d", "e"]);
    assert_eq!(names(plan.needs.get(id("unread")).unwrap()), ["unread"]);

    let mut chain = String::from(
        "ruleset chain \"Chain\"\n  in force from 2015-04-01\n\nevidence\n  flag: bool\n\nlet link_0 = flag\n",
    );
    for i in 1..800 {
        chain.push_str(&format!("let link_{i} = not link_{}\n", i - 1));
    }
    let ruleset = Ruleset::from_source(&chain, &[]).unwrap();
    assert!(ruleset.model().let_plan.is_none());
}
