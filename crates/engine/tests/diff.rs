//! `diff::compare` names what a policy change does to a case, and why.

#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    reason = "a test fails by panicking"
)]

use judgement_engine::diff::compare;
use judgement_engine::{EvalOptions, Ruleset};

fn ruleset(limit: &str) -> Ruleset {
    let source = format!(
        "ruleset r \"R\" in force from 2015-04-01
scale grade: outstanding > good > requires_improvement > inadequate
evidence
  inspection.start: date
  manager.vacant_since: date or none
  proposed.leadership: grade
threshold limit = {limit}
let vacancy = inspection.start - manager.vacant_since
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
                c.what, c.before, c.after, c.because_before, c.because_after
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
