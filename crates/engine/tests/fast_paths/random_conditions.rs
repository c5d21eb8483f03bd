//! Property tests: rules, lets and judgements' conditions made up at random, of
//! guards, counts, moved dates and quantifiers, give the outcome the long way gives.

use super::*;

/// How the property tests here run: 256 cases each, with no file of past
/// failures.
fn cases() -> proptest::test_runner::Config {
    proptest::test_runner::Config {
        cases: 256,
        failure_persistence: None,
        ..proptest::test_runner::Config::default()
    }
}

/// `and`, `or` and `not` of `leaves`, nested, made up at random.
fn nested(
    leaves: Vec<&'static str>,
    depth: u32,
    size: u32,
) -> impl proptest::strategy::Strategy<Value = String> {
    use proptest::prelude::*;
    let leaf = proptest::sample::select(leaves).prop_map(str::to_string);
    leaf.prop_recursive(depth, size, 3, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 2..4).prop_map(|parts| parts.join(" and ")),
            prop::collection::vec(inner.clone(), 2..4)
                .prop_map(|parts| format!("({})", parts.join(" or "))),
            inner.clone().prop_map(|c| format!("not ({c})")),
            inner.prop_map(|c| format!("({c})")),
        ]
    })
}

/// A condition over the evidence of [`GUARDED`], made up at random: `and`,
/// `or` and `not` of tests that guards read in place (flags, comparisons of
/// numbers, `is` of a choice or a judgement, `is set`) and of parts that
/// must be walked (arithmetic), nested.
fn condition() -> impl proptest::strategy::Strategy<Value = String> {
    nested(TESTS.to_vec(), 4, 24)
}

/// The tests of [`GUARDED`]'s evidence, its let and its judgement that the
/// random conditions are made of.
const TESTS: [&str; 12] = [
    "f.a",
    "f.b",
    "not f.c",
    "n.x > 2",
    "n.x = n.y",
    "n.y <= cap",
    "kind is good",
    "kind is at most good",
    "overall is good",
    "since is set",
    "overall is set",
    "n.x + 1 > 2",
];

const GUARDED: &str = "ruleset guarded \"Guards\"
  in force from 2015-04-01

scale grade: outstanding > good > requires_improvement > inadequate

evidence
  proposed.overall: grade
  f.a: bool or unknown
  f.b: bool or unknown
  f.c: bool or unknown
  n.x: number or unknown
  n.y: number or unknown
  kind: grade or unknown
  since: date or none

judgement overall: grade from proposed.overall

let cap = 1

rule capped \"para 1\"
  when f.c and n.x > 0
  then overall at most requires_improvement

# So that `overall is set` is false for some records.
rule withheld \"para 1\"
  when n.y = 3
  then no overall judgement
";

/// A value for a field of [`GUARDED`]'s evidence, `null` (unknown or none)
/// one time in three.
fn known_or_null<T: std::fmt::Debug + Clone + 'static>(
    values: Vec<T>,
) -> impl proptest::strategy::Strategy<Value = Option<T>> {
    use proptest::prelude::*;
    prop_oneof![1 => Just(None), 2 => proptest::sample::select(values).prop_map(Some)]
}

/// `base` with a rule for each condition: `r0` (citing para 2), `r1`,
/// ..., each giving finding `f0`, `f1`, ... when its condition holds.
fn with_rules(base: &str, conditions: &[String]) -> String {
    let mut source = base.to_string();
    for (i, condition) in conditions.iter().enumerate() {
        source.push_str(&format!(
            "\nrule r{i} \"para {}\"\n  when {condition}\n  then finding f{i}\n",
            i + 2
        ));
    }
    source
}

/// Evidence for [`GUARDED`], each field `null` where it is `None`.
fn guarded_evidence(
    a: Option<bool>,
    b: Option<bool>,
    c: Option<bool>,
    x: Option<i32>,
    y: Option<i32>,
    kind: Option<&str>,
    since: Option<&str>,
) -> Value {
    json!({
        "proposed": {"overall": "good"},
        "f": {"a": a, "b": b, "c": c},
        "n": {"x": x, "y": y},
        "kind": kind,
        "since": since,
    })
}

proptest::proptest! {
    #![proptest_config(cases())]

    /// Rules whose conditions are made up at random, some of them all guards
    /// (which then give the condition's truth without walking it), some with
    /// guards before a part that is walked, some read after a provisional
    /// judgement (when guards are not read): the outcome without a trace is
    /// the one the long way, which walks every condition, gives.
    #[test]
    fn guards_give_what_walking_the_condition_gives(
        conditions in proptest::collection::vec(condition(), 3),
        a in known_or_null(vec![true, false]),
        b in known_or_null(vec![true, false]),
        c in known_or_null(vec![true, false]),
        x in known_or_null(vec![0, 1, 2, 3]),
        y in known_or_null(vec![0, 1, 2, 3]),
        kind in known_or_null(vec!["outstanding", "good", "inadequate"]),
        since in known_or_null(vec!["2016-01-01"]),
    ) {
        let source = with_rules(GUARDED, &conditions);
        let r = Ruleset::from_source(&source, &[]).unwrap_or_else(|e| panic!("{e:?}\n{source}"));
        let evidence = guarded_evidence(a, b, c, x, y, kind, since);
        let (plain, long) = both(&r, &evidence);
        proptest::prop_assert_eq!(plain, long, "{}\n{}", source, evidence);
    }

    /// A let whose value is a truth is read from its guards
    /// (`Model::let_guards`) where they give one: the same value as its
    /// expression walked, which a let ending in `or` a comparison of
    /// arithmetic (false, and no guard) always is.
    #[test]
    fn a_let_read_from_its_guards_is_the_let_walked(
        truth in truth(),
        a in known_or_null(vec![true, false]),
        c in known_or_null(vec![true, false]),
        x in known_or_null(vec![0, 1, 2, 3]),
        y in known_or_null(vec![0, 1, 2, 3]),
        kind in known_or_null(vec!["outstanding", "good", "inadequate"]),
        since in known_or_null(vec!["2016-01-01"]),
    ) {
        let rules = "\nrule holds \"para 2\"\n  when v\n  then finding v_holds\n\
            \nrule fails \"para 3\"\n  when not v\n  then finding v_fails\n";
        let guarded = format!("{GUARDED}\nlet v = {truth}\n{rules}");
        let walked = format!("{GUARDED}\nlet v = ({truth}) or (cap + 0 > 100)\n{rules}");
        let evidence = guarded_evidence(a, Some(true), c, x, y, kind, since);
        let (g, w) = (outcome_of(&guarded, &evidence), outcome_of(&walked, &evidence));
        proptest::prop_assert_eq!(g, w, "{}\n{}", guarded, evidence);
    }

    /// A lead that reads only evidence fields (one, or several compared)
    /// is read once for the ruleset on the fields' defaults, and again
    /// only for a record that gives one of its fields (`eval::AtRest`):
    /// records read from text that leave fields out at random give the
    /// outcome the long way, which reads every lead's condition, gives.
    #[test]
    fn leads_of_fields_left_out_give_what_walking_the_condition_gives(
        conditions in proptest::collection::vec(nested(AT_REST_TESTS.to_vec(), 3, 12), 3),
        a in proptest::option::of(proptest::bool::ANY),
        b in proptest::option::of(proptest::bool::ANY),
        x in proptest::option::of(0..4),
        y in proptest::option::of(0..4),
        kind in proptest::option::of(proptest::sample::select(vec!["good", "inadequate"])),
        since in proptest::option::of(proptest::sample::select(vec!["2016-01-01"])),
    ) {
        let source = with_rules(AT_REST, &conditions);
        let r = Ruleset::from_source(&source, &[]).unwrap_or_else(|e| panic!("{e:?}\n{source}"));
        let mut evidence = json!({"proposed": {"overall": "good"}});
        let given = [
            ("f", "a", a.map(Value::from)),
            ("f", "b", b.map(Value::from)),
            ("n", "x", x.map(Value::from)),
            ("n", "y", y.map(Value::from)),
        ];
        for (record, field, value) in given {
            if let Some(value) = value {
                let object = evidence.as_object_mut().unwrap().entry(record).or_insert(json!({}));
                object.as_object_mut().unwrap().insert(field.to_string(), value);
            }
        }
        for (field, value) in [("kind", kind), ("since", since)] {
            if let Some(value) = value {
                evidence.as_object_mut().unwrap().insert(field.to_string(), json!(value));
            }
        }
        let (_, long) = both(&r, &evidence);
        proptest::prop_assert!(long.is_ok(), "{:?}\n{}\n{}", long, source, evidence);
        proptest::prop_assert_eq!(by_text(&r, &evidence), long, "{}\n{}", source, evidence);
    }

    /// A judgement made only `when` a condition holds reads the condition
    /// from its guards (`Model::judgement_guards`) where they give its
    /// truth: the judgement made (or not made, or the error of a condition
    /// not known) is the one the long way, which walks the condition,
    /// gives.
    #[test]
    fn a_judgement_condition_read_from_its_guards_is_the_condition_walked(
        truth in truth(),
        a in known_or_null(vec![true, false]),
        b in known_or_null(vec![true, false]),
        c in known_or_null(vec![true, false]),
        x in known_or_null(vec![0, 1, 2, 3]),
        y in known_or_null(vec![0, 1, 2, 3]),
        kind in known_or_null(vec!["outstanding", "good", "inadequate"]),
        since in known_or_null(vec!["2016-01-01"]),
    ) {
        let source = GUARDED.replace(
            "judgement overall: grade from proposed.overall\n",
            &format!("judgement overall: grade from proposed.overall\n  when {truth}\n"),
        );
        let r = Ruleset::from_source(&source, &[]).unwrap_or_else(|e| panic!("{e:?}\n{source}"));
        let evidence = guarded_evidence(a, b, c, x, y, kind, since);
        let (plain, long) = both(&r, &evidence);
        proptest::prop_assert_eq!(plain, long, "{}\n{}", source, evidence);
    }
}

/// Evidence with a list, for conditions that count its elements.
const COUNTED: &str = "ruleset counted \"Counts\"
  in force from 2015-04-01

scale grade: outstanding > good > requires_improvement > inadequate

record entry
  id: text
  ok: bool or unknown

evidence
  proposed.overall: grade
  f.a: bool or unknown
  items: list of entry default empty

judgement overall: grade from proposed.overall

threshold two = 2
";

/// The tests the random conditions over [`COUNTED`] are made of: counts
/// of its list, with and without `where`, compared with a constant or a
/// threshold either way round (a guard, read in place where the list has
/// no element: `Test::Quantified`), one compared with a count (no guard),
/// and a flag.
const COUNT_TESTS: [&str; 9] = [
    "count i in items >= 1",
    "count i in items < two",
    "two <= count i in items",
    "(count i in items where i.ok) = 0",
    "(count i in items where i.ok) > 0",
    "count i in items != 1",
    "0 = count i in items",
    "count i in items > (count j in items where j.ok)",
    "f.a",
];

proptest::proptest! {
    #![proptest_config(cases())]

    /// A count of a list's elements compared with a fixed number is a
    /// guard, and one of a field can lead its rule: records with no list,
    /// an empty one or one with elements (some of which are not known to
    /// pass the `where`), read from text and as a value, give the outcome
    /// the long way, which walks every condition, gives.
    #[test]
    fn a_count_compared_with_a_fixed_number_gives_what_walking_it_gives(
        conditions in proptest::collection::vec(nested(COUNT_TESTS.to_vec(), 3, 12), 3),
        a in known_or_null(vec![true, false]),
        items in proptest::option::of(proptest::collection::vec(known_or_null(vec![true, false]), 0..3)),
    ) {
        let source = with_rules(COUNTED, &conditions);
        let r = Ruleset::from_source(&source, &[]).unwrap_or_else(|e| panic!("{e:?}\n{source}"));
        let mut evidence = json!({"proposed": {"overall": "good"}, "f": {"a": a}});
        if let Some(items) = items {
            let items: Vec<Value> = items
                .iter()
                .enumerate()
                .map(|(i, ok)| json!({"id": format!("i{i}"), "ok": ok}))
                .collect();
            evidence["items"] = json!(items);
        }
        let (plain, long) = both(&r, &evidence);
        proptest::prop_assert!(long.is_ok(), "{:?}\n{}\n{}", long, source, evidence);
        proptest::prop_assert_eq!(&plain, &long, "{}\n{}", source, evidence);
        proptest::prop_assert_eq!(by_text(&r, &evidence), long, "{}\n{}", source, evidence);
    }

    /// A comparison with a date moved by a fixed amount ([`MOVED_TESTS`])
    /// is a guard: records with an end absent or none, a start unknown,
    /// dates close together and at the end of the calendar's year (where a
    /// move by working days fails, and the record is refused as the walk
    /// refuses it), read from text and as a value, give the outcome the
    /// long way, which walks every condition, gives.
    #[test]
    fn a_comparison_with_a_moved_date_gives_what_walking_it_gives(
        conditions in proptest::collection::vec(nested(MOVED_TESTS.to_vec(), 3, 12), 3),
        a in known_or_null(vec![true, false]),
        start in known_or_null(vec!["2016-01-04", "2016-06-10", "2016-12-23", "2016-12-30"]),
        end in proptest::option::of(known_or_null(vec!["2016-01-01", "2016-01-05", "2016-06-13", "2016-06-24", "2016-12-28"])),
    ) {
        let calendar = judgement_engine::calendar::Calendar::parse(ONE_YEAR).unwrap_or_else(|e| panic!("{e:?}"));
        let source = with_rules(MOVED, &conditions);
        let r = Ruleset::from_source(&source, &[calendar]).unwrap_or_else(|e| panic!("{e:?}\n{source}"));
        let mut evidence = json!({"proposed": {"overall": "good"}, "f": {"a": a}, "start": start});
        if let Some(end) = end {
            evidence["end"] = json!(end);
        }
        let (plain, long) = both(&r, &evidence);
        proptest::prop_assert_eq!(&plain, &long, "{}\n{}", source, evidence);
        proptest::prop_assert_eq!(by_text(&r, &evidence), long, "{}\n{}", source, evidence);
    }
}

/// A calendar of one year, so that a date moved past its end fails.
const ONE_YEAR: &str = "calendar one_year
title \"One year\"
version \"1\"
source \"the tests\"
years 2016 to 2016

2016-12-26 Boxing Day
2016-12-27 Christmas Day (substitute day)
";

/// Evidence with dates, for conditions that compare a date with another
/// moved by a fixed amount.
const MOVED: &str = "ruleset moved \"Moved dates\"
  in force from 2015-04-01
  calendar one_year

scale grade: outstanding > good > requires_improvement > inadequate

evidence
  proposed.overall: grade
  f.a: bool or unknown
  start: date or unknown
  end: date or none

judgement overall: grade from proposed.overall

threshold notice = 2 working days
threshold window = 10 days

let begun = start
";

/// The tests the random conditions over [`MOVED`] are made of: a date
/// compared with another moved by days, weeks, working days or months,
/// by a constant or a threshold, forward or back, moved on either side,
/// from a field or a let (a guard: `Cond::Moved`); one moved by a field's
/// own date difference (no guard); a plain comparison and a flag.
const MOVED_TESTS: [&str; 11] = [
    "(end is set and end > start + 1 working day)",
    "(end is set and end <= start + notice)",
    "(end is set and start + window < end)",
    "(end is set and end >= start - 3 days)",
    "(end is set and end = start + 1 month)",
    "(end is set and end != begun + 2 working days)",
    "(end is set and begun - notice > end)",
    "(end is set and start + 1 week >= end)",
    "(end is set and end > start + (end - start))",
    "(end is set and end > start)",
    "f.a",
];

/// A truth made up at random from the tests a let may make of the evidence
/// of [`GUARDED`] (no judgement: a let cannot read one), nested.
fn truth() -> impl proptest::strategy::Strategy<Value = String> {
    let tests = TESTS.into_iter().filter(|t| !t.contains("overall"));
    nested(tests.collect(), 3, 16)
}

/// The outcome of `source` on `evidence`, as JSON without the ruleset's
/// header (its name and digest), or its error.
fn outcome_of(source: &str, evidence: &Value) -> Result<Value, String> {
    let r = Ruleset::from_source(source, &[]).unwrap_or_else(|e| panic!("{e:?}\n{source}"));
    r.evaluate(evidence, EvalOptions::default())
        .map(|o| {
            let mut v = serde_json::to_value(o).unwrap();
            v.as_object_mut().unwrap().remove("ruleset");
            v
        })
        .map_err(|e| e.to_string())
}

/// Evidence whose every field may be left out, for
/// [`leads_of_fields_left_out_give_what_walking_the_condition_gives`].
const AT_REST: &str = "ruleset at_rest \"Fields left out\"
  in force from 2015-04-01

scale grade: outstanding > good > requires_improvement > inadequate

evidence
  proposed.overall: grade
  f.a: bool default false
  f.b: bool default true
  n.x: number default 0
  n.y: number default 2
  kind: grade or none
  since: date or none

judgement overall: grade from proposed.overall

threshold cap = 1
";

/// The tests the random conditions over [`AT_REST`] are made of: of one
/// field, and comparisons of two fields or of a field and a threshold.
const AT_REST_TESTS: [&str; 10] = [
    "f.a",
    "not f.b",
    "n.x > 1",
    "n.x = n.y",
    "n.y <= cap",
    "n.x < n.y",
    "cap < n.y",
    "(kind is set and kind is good)",
    "since is set",
    "(f.a or n.x > n.y)",
];

const QUANTIFIED: &str = "ruleset quantified \"Quantifiers in guards\"
  in force from 2015-04-01

scale grade: outstanding > good > requires_improvement > inadequate

record part
  id: text
  ok: bool

record entry
  id: text
  ok: bool or unknown
  parts: list of part default empty

evidence
  proposed.overall: grade
  f.a: bool or unknown
  start: date or unknown
  items: list of entry default empty
  needed: list of entry

judgement overall: grade from proposed.overall

# A list a let holds: unknown where `start` is, else one month.
let span = months from start to start

# A list inside an element, quantified over for each element.
rule inner \"para 1\"
  for each e in items
  when not (some p in e.parts satisfies p.ok)
  then finding inner
";

/// The tests the random conditions over [`QUANTIFIED`] are made of: a
/// quantifier over a list a record may leave out, over one it must give,
/// and over one a let holds (unknown where `start` is: once a rule has
/// worked it out, the next reads it in place), read in place where the
/// list has no element, beside a flag.
const QUANTIFIED_TESTS: [&str; 9] = [
    "f.a",
    "(some m in span satisfies m > start)",
    "(every m in span satisfies m = start)",
    "(some i in items satisfies i.ok)",
    "(every i in items satisfies i.ok)",
    "(no i in items satisfies not i.ok)",
    "(some i in needed satisfies i.ok)",
    "(every i in needed satisfies i.ok)",
    "(no i in needed satisfies i.ok)",
];

/// A list of [`QUANTIFIED`]'s items: left out (`None`), or with the
/// elements whose `ok` is given (`null` for unknown).
fn items() -> impl proptest::strategy::Strategy<Value = Option<Vec<Option<bool>>>> {
    proptest::option::of(proptest::collection::vec(
        proptest::option::of(proptest::bool::ANY),
        0..3,
    ))
}

/// The JSON of a list of [`items`]: each element numbered for its id; one
/// whose `ok` is true has a part, the others none.
fn items_json(items: &[Option<bool>]) -> Value {
    items
        .iter()
        .enumerate()
        .map(|(i, ok)| match ok {
            Some(true) => {
                json!({"id": format!("i{i}"), "ok": ok, "parts": [{"id": "p", "ok": i % 2 == 0}]})
            }
            _ => json!({"id": format!("i{i}"), "ok": ok}),
        })
        .collect()
}

proptest::proptest! {
    #![proptest_config(cases())]

    /// A quantifier over a list held in place is a guard, decided where
    /// the list has no element (and a lead, read once on the defaults for
    /// a list a record leaves out: `eval::AtRest`); a list with elements
    /// is walked. Rules made up at random of quantifiers and a flag give,
    /// without a trace and read from text in one pass, the outcome the
    /// long way, which walks every condition, gives.
    #[test]
    fn a_quantifier_read_in_place_gives_what_walking_the_list_gives(
        conditions in proptest::collection::vec(nested(QUANTIFIED_TESTS.to_vec(), 3, 12), 3),
        a in proptest::option::of(proptest::bool::ANY),
        given in items(),
        needed in items(),
        null_list in proptest::bool::ANY,
        start in proptest::option::of(proptest::sample::select(vec!["2016-01-01"])),
    ) {
        let source = with_rules(QUANTIFIED, &conditions);
        let r = Ruleset::from_source(&source, &[]).unwrap_or_else(|e| panic!("{e:?}\n{source}"));
        let mut evidence = json!({
            "proposed": {"overall": "good"},
            "f": {"a": a},
            "start": start,
            "needed": items_json(needed.as_deref().unwrap_or_default()),
        });
        match given {
            Some(given) => evidence["items"] = items_json(&given),
            None if null_list => evidence["items"] = Value::Null,
            None => {}
        }
        let (plain, long) = both(&r, &evidence);
        proptest::prop_assert!(long.is_ok(), "{:?}\n{}\n{}", long, source, evidence);
        proptest::prop_assert_eq!(&plain, &long, "{}\n{}", source, evidence);
        proptest::prop_assert_eq!(by_text(&r, &evidence), long, "{}\n{}", source, evidence);
    }
}
