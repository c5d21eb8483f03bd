//! `diff::compare` names what a policy change does to a case, and why.

#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    reason = "a test fails by panicking"
)]

use judgement_engine::diff::{compare, compare_definitions, Change, ChangeKind, Reason, Summary};
use judgement_engine::{EvalOptions, Ruleset};

/// What changes for `record` between the rule files `before` and `after`.
fn changes_between(before: &str, after: &str, record: &serde_json::Value) -> Vec<Change> {
    let (b, a) = (
        Ruleset::from_source(before, &[]).unwrap(),
        Ruleset::from_source(after, &[]).unwrap(),
    );
    compare(
        &b.evaluate(record, EvalOptions::default()).unwrap(),
        &a.evaluate(record, EvalOptions::default()).unwrap(),
    )
}

/// The rules behind a change, as `rule (cite)`.
fn texts(reasons: &[Reason]) -> Vec<String> {
    reasons.iter().map(ToString::to_string).collect()
}

fn ruleset(limit: &str) -> Ruleset {
    ruleset_with(limit, "inspection.start - manager.vacant_since")
}

fn ruleset_with(limit: &str, vacancy: &str) -> Ruleset {
    let source = format!(
        "ruleset r \"R\" in force from 2015-04-01
scale grade: outstanding > good > requires_improvement > inadequate
evidence
  inspection.start: date
  manager.vacant_since: date or none
  proposed.leadership: grade
threshold limit = {limit}
let vacancy = {vacancy}
judgement leadership: grade from proposed.leadership
rule vacancy_forces_inadequate \"Annex N para 19\"
  when manager.vacant_since is set and vacancy >= limit
  then leadership = inadequate
  then action case_review
"
    );
    Ruleset::from_source(&source, &[]).unwrap()
}

#[test]
fn a_changed_threshold_changes_the_case_on_the_boundary_only() {
    let (before, after) = (ruleset("26 weeks"), ruleset("27 weeks"));
    let on_boundary = serde_json::json!({
        "inspection": {"start": "2015-11-09"},
        "manager": {"vacant_since": "2015-05-11"},
        "proposed": {"leadership": "good"}
    });
    let b = before
        .evaluate(&on_boundary, EvalOptions::default())
        .unwrap();
    let a = after
        .evaluate(&on_boundary, EvalOptions::default())
        .unwrap();
    let changes = compare(&b, &a);
    let shown: Vec<String> = changes
        .iter()
        .map(|c| {
            format!(
                "{}: {} -> {} ({:?} / {:?})",
                c.what(),
                c.before,
                c.after,
                texts(&c.because_before),
                texts(&c.because_after)
            )
        })
        .collect();
    assert_eq!(
        shown,
        vec![
            "action case_review: yes -> none ([\"vacancy_forces_inadequate (Annex N para 19)\"] / [])",
            "judgement leadership: inadequate -> good ([\"vacancy_forces_inadequate (Annex N para 19)\"] / [])",
        ]
    );
    let long = serde_json::json!({
        "inspection": {"start": "2015-11-09"},
        "manager": {"vacant_since": "2015-01-05"},
        "proposed": {"leadership": "good"}
    });
    let b = before.evaluate(&long, EvalOptions::default()).unwrap();
    let a = after.evaluate(&long, EvalOptions::default()).unwrap();
    assert!(compare(&b, &a).is_empty());
}

#[test]
fn a_ruleset_lists_its_thresholds_and_lets_as_written() {
    let r = ruleset_with("26 weeks", "(inspection.start)  -  manager.vacant_since");
    assert_eq!(
        r.thresholds().collect::<Vec<_>>(),
        vec![("limit", "26 weeks")]
    );
    assert_eq!(
        r.lets().collect::<Vec<_>>(),
        vec![("vacancy", "inspection.start - manager.vacant_since")]
    );
}

#[test]
fn definitions_compare_thresholds_by_value_and_lets_by_text() {
    let shown = |b: &Ruleset, a: &Ruleset| -> Vec<String> {
        compare_definitions(b, a)
            .iter()
            .map(ToString::to_string)
            .collect()
    };
    let base = ruleset("26 weeks");
    assert!(shown(&base, &base).is_empty());
    assert!(
        shown(&base, &ruleset("182 days")).is_empty(),
        "the same value written another way"
    );
    assert_eq!(
        shown(&base, &ruleset("24 weeks")),
        vec!["threshold limit: 26 weeks -> 24 weeks"]
    );
    let later = ruleset_with(
        "26 weeks",
        "inspection.start - manager.vacant_since - 1 day",
    );
    assert_eq!(
        shown(&base, &later),
        vec!["let vacancy: inspection.start - manager.vacant_since -> inspection.start - manager.vacant_since - 1 day"]
    );
}

/// The definitions that the rule files `before` and `after` declare
/// differently, as `diff` shows them.
fn definitions_shown(before: &str, after: &str) -> Vec<String> {
    let (b, a) = (
        Ruleset::from_source(before, &[]).unwrap(),
        Ruleset::from_source(after, &[]).unwrap(),
    );
    compare_definitions(&b, &a)
        .iter()
        .map(ToString::to_string)
        .collect()
}

/// The rules two versions hold differently are named: one whose condition
/// or effects changed (as the canonical layout writes them, so a rule
/// only laid out anew, or given a note, is no change), one added or
/// removed, and one cited anew.
#[test]
fn definitions_name_the_rules_changed_added_removed_or_cited_anew() {
    let base = "ruleset r \"R\" in force from 2015-04-01
evidence
  visits: number
rule many \"para 1\"
  when visits > 3
  then action review
";
    assert!(definitions_shown(base, base).is_empty());
    let laid_out = base.replace(
        "rule many \"para 1\"\n  when visits > 3",
        "rule many \"para 1\"\n  note \"a note\"\n  when (visits\n    > 3)  # why",
    );
    assert!(definitions_shown(base, &laid_out).is_empty(), "{laid_out}");
    assert_eq!(
        definitions_shown(base, &base.replace("visits > 3", "visits >= 3")),
        ["rule many: when visits > 3 then action review -> when visits >= 3 then action review"]
    );
    assert_eq!(
        definitions_shown(base, &base.replace("\"para 1\"", "\"para 2\"")),
        ["citation many: para 1 -> para 2"]
    );
    let added = format!("{base}rule few \"para 3\"\n  when visits < 1\n  then finding no_visits\n");
    assert_eq!(
        definitions_shown(base, &added),
        ["rule few: not declared -> when visits < 1 then finding no_visits"]
    );
    assert_eq!(
        definitions_shown(&added, base),
        ["rule few: when visits < 1 then finding no_visits -> not declared"]
    );
}

#[test]
fn definitions_name_each_scale_choice_field_judgement_and_check_declared_otherwise() {
    let base = "ruleset r \"R\" in force from 2015-04-01
  as at start
  evaluated on end
scale grade: good > poor
choice kind: full | interim
record visit
  id: text
  day: date
evidence
  start: date
  end: date
  kind: kind
  visits: list of visit
  proposed: grade
  notes: text
judgement overall: grade from proposed
  when kind is full
invalid ends_early \"ends before it starts\"
  when end < start
invalid visit_early \"a visit before the start\"
  for each v in visits
  when v.day < start
";
    assert!(definitions_shown(base, base).is_empty());
    // Layout and comments make no change.
    let laid_out = base.replace("  when end < start", "  # why\n  when (end\n    < start)");
    assert!(definitions_shown(base, &laid_out).is_empty(), "{laid_out}");
    let cases = [
        ("  as at start\n", "  as at end\n", "header as at: start -> end"),
        ("  evaluated on end\n", "", "header evaluated on: end -> not declared"),
        ("good > poor", "poor > good", "scale grade: good > poor -> poor > good"),
        ("full | interim", "full | interim | focused", "choice kind: full | interim -> full | interim | focused"),
        ("  day: date\n", "  day: date\n  late: bool\n", "record visit.late: not declared -> bool"),
        ("  notes: text\n", "  notes: text or none\n", "evidence notes: text -> text or none"),
        ("  when kind is full\n", "", "judgement overall: grade from proposed when kind is full -> grade from proposed"),
        (
            "\"ends before it starts\"",
            "\"the end is before the start\"",
            "invalid ends_early: \"ends before it starts\" when end < start -> \"the end is before the start\" when end < start",
        ),
        (
            "v.day < start",
            "v.day <= start",
            "invalid visit_early: \"a visit before the start\" for each v in visits when v.day < start -> \"a visit before the start\" for each v in visits when v.day <= start",
        ),
    ];
    for (from, to, expected) in cases {
        let after = base.replace(from, to);
        assert_ne!(after, base, "{from}");
        assert_eq!(
            definitions_shown(base, &after),
            [expected],
            "{from} -> {to}"
        );
    }
    // A field and a check declared on one side only.
    let added = base.replace("  proposed: grade\n", "  proposed: grade\n  late: bool\n");
    assert_eq!(
        definitions_shown(base, &added),
        ["evidence late: not declared -> bool"]
    );
    let removed = base.replace(
        "invalid visit_early \"a visit before the start\"\n  for each v in visits\n  when v.day < start\n",
        "",
    );
    assert_eq!(
        definitions_shown(base, &removed),
        ["invalid visit_early: \"a visit before the start\" for each v in visits when v.day < start -> not declared"]
    );
}

#[test]
fn a_summary_counts_changed_cases_by_judgement_and_rule() {
    let change = |kind: ChangeKind, name: &str, rule: &str, cite: &str| Change {
        kind,
        name: name.into(),
        item: None,
        before: "a".into(),
        after: "b".into(),
        because_before: vec![Reason {
            rule: rule.into(),
            cite: cite.into(),
        }],
        because_after: Vec::new(),
    };
    let mut summary = Summary::default();
    summary.add(&[
        change(ChangeKind::Judgement, "overall", "r1", "para 1"),
        change(ChangeKind::Action, "x", "r1", "para 1"),
    ]);
    summary.add(&[change(ChangeKind::Judgement, "overall", "r2", "para 2")]);
    summary.add(&[]);
    summary.add_failure();
    assert_eq!((summary.cases, summary.changed, summary.failed), (4, 2, 1));
    assert_eq!(
        summary.by_judgement.into_iter().collect::<Vec<_>>(),
        vec![("overall".to_string(), 2)]
    );
    assert_eq!(
        summary.by_rule.into_iter().collect::<Vec<_>>(),
        vec![
            ("r1 (para 1)".to_string(), 1),
            ("r2 (para 2)".to_string(), 1)
        ]
    );
}

/// A ruleset whose finding, due date and pending cap each move with
/// `limit`: a change to any of them is a change of the case.
fn ruleset_of_every_kind(limit: &str) -> Ruleset {
    let source = format!(
        "ruleset r \"R\" in force from 2015-04-01
scale grade: outstanding > good > requires_improvement > inadequate
evidence
  inspection.start: date
  notice.given: date
  concerns.serious: bool or unknown
  proposed.overall: grade
threshold limit = {limit}
judgement overall: grade from proposed.overall
rule notice_late \"para 1\"
  when notice.given > inspection.start - limit
  then finding notice_late
rule review \"para 2\"
  then action review by inspection.start + limit
rule serious \"para 3\"
  when concerns.serious
  then overall at most {cap}
",
        cap = if limit == "10 days" {
            "good"
        } else {
            "requires_improvement"
        }
    );
    Ruleset::from_source(&source, &[]).unwrap()
}

#[test]
fn findings_due_dates_and_what_an_undetermined_rule_would_do_are_compared() {
    let (before, after) = (
        ruleset_of_every_kind("10 days"),
        ruleset_of_every_kind("20 days"),
    );
    let case = serde_json::json!({
        "inspection": {"start": "2015-11-20"},
        "notice": {"given": "2015-11-05"},
        "proposed": {"overall": "good"}
    });
    let b = before.evaluate(&case, EvalOptions::default()).unwrap();
    let a = after.evaluate(&case, EvalOptions::default()).unwrap();
    let shown: Vec<String> = compare(&b, &a)
        .iter()
        .map(|c| format!("{}: {} -> {}", c.what(), c.before, c.after))
        .collect();
    assert_eq!(
        shown,
        vec![
            "action review: due 2015-11-30 -> due 2015-12-10",
            "finding notice_late: none -> yes",
            "undetermined serious: missing concerns.serious; would give overall at most good -> missing concerns.serious; would give overall at most requires_improvement",
        ]
    );
}

#[test]
fn an_action_two_rules_give_is_changed_when_either_due_date_moves() {
    let rules = |later: &str| {
        Ruleset::from_source(
            &format!(
                "ruleset r \"R\" in force from 2015-04-01
evidence
  inspection.start: date
rule first \"para 1\"
  then action tell_la by inspection.start + 5 days
rule second \"para 2\"
  then action tell_la by inspection.start + {later}
"
            ),
            &[],
        )
        .unwrap()
    };
    let case = serde_json::json!({"inspection": {"start": "2015-11-20"}});
    let (before, after) = (rules("10 days"), rules("12 days"));
    let b = before.evaluate(&case, EvalOptions::default()).unwrap();
    let a = after.evaluate(&case, EvalOptions::default()).unwrap();
    let shown: Vec<String> = compare(&b, &a)
        .iter()
        .map(|c| format!("{}: {} -> {}", c.what(), c.before, c.after))
        .collect();
    assert_eq!(
        shown,
        vec!["action tell_la: due 2015-11-25; due 2015-11-30 -> due 2015-11-25; due 2015-12-02"]
    );
}

/// Two rules give the same action before; a policy change stops one. The
/// action stands, but the rules that give it changed: that is a change,
/// counted for the rule that stopped. A finding whose message changed (a
/// date in it moved) is a change too.
#[test]
fn a_rule_that_stops_giving_an_action_another_still_gives_is_a_change() {
    let source = |limit: &str| {
        format!(
            "ruleset r \"R\" in force from 2015-04-01
evidence
  visits: number
  due: date
threshold limit = {limit}
rule many_visits \"para 1\"
  when visits >= limit
  then action review
rule any_visits \"para 2\"
  when visits > 0
  then action review
  then finding late \"due {{due}}\"
"
        )
    };
    let before = Ruleset::from_source(&source("3"), &[]).unwrap();
    let after = Ruleset::from_source(&source("4"), &[]).unwrap();
    let record = serde_json::json!({"visits": 3, "due": "2015-11-09"});
    let b = before.evaluate(&record, EvalOptions::default()).unwrap();
    let a = after.evaluate(&record, EvalOptions::default()).unwrap();
    let changes = compare(&b, &a);
    assert_eq!(changes.len(), 1, "{changes:#?}");
    let c = &changes[0];
    assert_eq!((c.kind, c.name.as_str()), (ChangeKind::Action, "review"));
    assert_eq!((c.before.as_str(), c.after.as_str()), ("yes", "yes"));
    assert_eq!(
        texts(&c.because_before),
        vec!["any_visits (para 2)", "many_visits (para 1)"]
    );
    assert_eq!(texts(&c.because_after), vec!["any_visits (para 2)"]);
    assert!(!c.only_cited_anew(), "a rule stopped giving it");
    let mut summary = Summary::default();
    summary.add(&changes);
    assert_eq!(summary.by_rule.get("many_visits (para 1)"), Some(&1));

    let moved = serde_json::json!({"visits": 3, "due": "2015-11-10"});
    let m = before.evaluate(&moved, EvalOptions::default()).unwrap();
    let changes = compare(&b, &m);
    let finding = changes.iter().find(|c| c.kind == ChangeKind::Finding);
    let finding = finding.unwrap_or_else(|| panic!("{changes:#?}"));
    assert_eq!(
        (finding.before.as_str(), finding.after.as_str()),
        ("due 2015-11-09", "due 2015-11-10")
    );
}

#[test]
fn a_citation_edited_and_nothing_else_is_a_change_that_says_so() {
    let source = |cite: &str| {
        format!(
            "ruleset r \"R\" in force from 2015-04-01
evidence
  visits: number
rule any_visits \"{cite}\"
  when visits > 0
  then action review
"
        )
    };
    let before = Ruleset::from_source(&source("para 2"), &[]).unwrap();
    let after = Ruleset::from_source(&source("para 2; Annex L para 9"), &[]).unwrap();
    let record = serde_json::json!({"visits": 3});
    let b = before.evaluate(&record, EvalOptions::default()).unwrap();
    let a = after.evaluate(&record, EvalOptions::default()).unwrap();
    let changes = compare(&b, &a);
    assert_eq!(changes.len(), 1, "{changes:#?}");
    let c = &changes[0];
    assert!(c.only_cited_anew(), "{c:#?}");
    assert_eq!(
        texts(&c.because_after),
        vec!["any_visits (para 2; Annex L para 9)"]
    );
    // In JSON a rule and its citation are one string, as before.
    assert_eq!(
        serde_json::to_value(c).unwrap()["because_before"],
        serde_json::json!(["any_visits (para 2)"])
    );
}

/// An action's words are the instruction the inspector is given, and may
/// name a date: a case whose action reads differently has changed, as one
/// whose finding's message does.
#[test]
fn an_action_whose_words_change_is_a_change() {
    let source = |words: &str| {
        format!(
            "ruleset r \"R\" in force from 2015-04-01
evidence
  sent: date
rule email \"para 1\"
  when sent is set
  then action phone \"{words}\"
"
        )
    };
    let record = serde_json::json!({"sent": "2020-12-30"});
    let before = source("telephone by {sent}");
    let changes = changes_between(
        &before,
        &source("telephone the same day, by {sent}"),
        &record,
    );
    assert_eq!(changes.len(), 1, "{changes:#?}");
    let c = &changes[0];
    assert_eq!((c.kind, c.name.as_str()), (ChangeKind::Action, "phone"));
    assert_eq!(
        (c.before.as_str(), c.after.as_str()),
        (
            "yes: telephone by 2020-12-30",
            "yes: telephone the same day, by 2020-12-30"
        )
    );
    assert!(!c.only_cited_anew());
    // The same words, from another ruleset of the same text: no change.
    assert!(changes_between(&before, &before, &record).is_empty());
}

/// A judgement whose value stays but whose binding rules change (another
/// rule binds it, or the same rule cited anew) has changed what the
/// outcome says, as an action's rules do; the summary counts it by rule,
/// not by judgement, whose value did not change.
#[test]
fn a_judgement_bound_by_other_rules_or_cited_anew_is_a_change() {
    let source = |cite: &str, cap: &str| {
        format!(
            "ruleset r \"R\" in force from 2015-04-01
scale grade: outstanding > good > requires_improvement > inadequate
evidence
  proposed.overall: grade
  key: bool
  leadership: bool
judgement overall: grade from proposed.overall
rule key_forces \"{cite}\"
  when key
  then overall = inadequate
rule leadership_caps \"para 104\"
  when leadership
  then overall {cap}
"
        )
    };
    let record =
        serde_json::json!({"proposed": {"overall": "good"}, "key": true, "leadership": true});
    let base = source("para 103", "at most requires_improvement");
    // The same rule, cited anew.
    let cited = source("para 103 (revised)", "at most requires_improvement");
    let changes = changes_between(&base, &cited, &record);
    assert_eq!(changes.len(), 1, "{changes:#?}");
    let c = &changes[0];
    assert_eq!(
        (c.kind, c.name.as_str()),
        (ChangeKind::Judgement, "overall")
    );
    assert_eq!(
        (c.before.as_str(), c.after.as_str()),
        ("inadequate", "inadequate")
    );
    assert_eq!(texts(&c.because_before), ["key_forces (para 103)"]);
    assert_eq!(texts(&c.because_after), ["key_forces (para 103 (revised))"]);
    assert!(c.only_cited_anew());
    // Another rule binds it too: the value is the same, the rules not.
    let forced = source("para 103", "= inadequate");
    let changes = changes_between(&base, &forced, &record);
    assert_eq!(changes.len(), 1, "{changes:#?}");
    let c = &changes[0];
    assert_eq!(
        (c.before.as_str(), c.after.as_str()),
        ("inadequate", "inadequate")
    );
    assert!(!c.only_cited_anew());
    assert!(texts(&c.because_after).contains(&"leadership_caps (para 104)".to_string()));
    let mut summary = Summary::default();
    summary.add(&changes);
    assert_eq!(summary.changed, 1);
    assert!(
        summary.by_judgement.is_empty(),
        "{:?}",
        summary.by_judgement
    );
    assert_eq!(summary.by_rule.get("leadership_caps (para 104)"), Some(&1));
    // Nothing changed: nothing reported.
    assert!(changes_between(&base, &base, &record).is_empty());
}

/// A `for each` rule that binds a judgement for more elements, or fewer,
/// binds it by the same rule: with the same value that is no change, and
/// never a citation edited. A citation that is edited is, and says so.
#[test]
fn a_judgement_bound_for_more_elements_by_the_same_rule_is_no_change() {
    let source = |after: u32, cite: &str| {
        format!(
            "ruleset r \"R\" in force from 2015-04-01
scale grade: outstanding > good > requires_improvement > inadequate
record visit
  id: text
  days: number
evidence
  proposed.overall: grade
  visits: list of visit default empty
judgement overall: grade from proposed.overall
threshold late_after = {after}
rule late_caps \"{cite}\"
  for each v in visits
  when v.days > late_after
  then overall at most requires_improvement
"
        )
    };
    let record = serde_json::json!({
        "proposed": {"overall": "good"},
        "visits": [{"id": "v1", "days": 20}, {"id": "v2", "days": 7}]
    });
    let base = source(10, "para 1");
    // Bound for v1 before, for v1 and v2 after: the same rule, the same
    // value.
    let more = changes_between(&base, &source(5, "para 1"), &record);
    assert!(more.is_empty(), "{more:#?}");
    // The citation edited: a change, and only a citation's.
    let cited = changes_between(&base, &source(10, "para 1 (revised)"), &record);
    assert_eq!(cited.len(), 1, "{cited:#?}");
    assert!(cited[0].only_cited_anew());
    assert_eq!(
        texts(&cited[0].because_after),
        ["late_caps (para 1 (revised))"]
    );
}
