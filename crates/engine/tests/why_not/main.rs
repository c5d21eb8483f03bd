//! "Why not?" as a rule author asks it: a rule that did not fire, the part
//! that was false, and the value of evidence it would need; a judgement
//! held below a value by a cap.

#![allow(
    clippy::panic,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "a test fails by panicking"
)]

use judgement_engine::outcome::RuleResult;
use judgement_engine::why_not::{Amount, Change, Checked, Fix, Need, Truth, WhyNot};
use judgement_engine::{
    why_not, why_not_in_force, why_not_text, EvalOptions, Ruleset, WhyNotError,
};
use serde_json::json;

mod asking;
mod effects;
mod evaluated_again;
mod judgements;
mod lists;
mod other_parts;
mod scales_and_moments;
mod search;
mod working_back;

const RULES: &str = r#"ruleset small "A small ruleset"
  edition "2020-01"
  in force from 2020-01-01
  as at visit.start

scale grade: good > fair > poor

evidence
  visit.start: date
  manager.vacant_since: date or none
  home.children: number
  home.secure: bool
  notice.sent: date or unknown
  proposed.overall: grade
  proposed.care: grade
  visit.arrived: datetime or none
  visit.told: datetime or none

threshold vacancy_limit = 10 weeks
threshold most_children = 4
threshold notice_by = 2020-02-01

let vacancy = visit.start - manager.vacant_since

judgement care: grade from proposed.care
judgement overall: grade from proposed.overall

rule poor_care_caps_overall "para 1"
  when care is poor
  then overall at most fair

rule long_vacancy "para 2"
  when manager.vacant_since is set and vacancy >= vacancy_limit
  then action case_review

rule too_many_children "para 3"
  when home.children > most_children
  then action review_numbers

rule late_notice "para 4"
  when notice.sent > notice_by
  then action chase_notice

rule secure_or_large "para 5"
  when home.secure or home.children >= 10
  then action extra_visit

rule secure_and_large "para 6"
  when home.secure and home.children >= 10 and care is poor
  then action special_review

invalid negative_children "a negative number of children"
  when home.children < 0

let secure_home = home.secure
let always = true

rule secure_visit "para 7"
  when secure_home
  then action secure_visit

rule told_after_arrival "para 9"
  when visit.told is set and visit.arrived is set and visit.told > visit.arrived
  then finding told_late

rule never_fires "para 8"
  when not always
  then action never
"#;

fn ruleset() -> Ruleset {
    Ruleset::from_source(RULES, &[]).unwrap()
}

fn evidence() -> serde_json::Value {
    json!({
        "visit": {"start": "2020-03-02"},
        "manager": {"vacant_since": "2020-01-10"},
        "home": {"children": 3, "secure": false},
        "notice": {"sent": "2020-01-20"},
        "proposed": {"overall": "good", "care": "poor"}
    })
}

fn ask<'r>(r: &'r Ruleset, target: &str) -> WhyNot<'r> {
    why_not(r, &evidence(), target, EvalOptions::default()).unwrap()
}

/// The changes that would make the one attempt of a rule fire.
fn changes(why: &WhyNot<'_>) -> Vec<Change> {
    let WhyNot::Rule(r) = why else {
        panic!("a rule: {why:?}")
    };
    match &r.attempts[0].to_fire {
        Some(Fix::Change { changes, .. }) => changes.clone(),
        other => panic!("a change: {other:?}"),
    }
}

/// The changes to make `rule` fire on `record`, as the text gives them:
/// checked ("It would fire with") or not ("Working back ... gives", then
/// why it was not evaluated again).
fn shown_changes(r: &Ruleset, record: &serde_json::Value, rule: &str) -> Vec<String> {
    let why = why_not(r, record, rule, EvalOptions::default()).unwrap();
    let text = why_not_text(r, &why);
    let (_, after) = text
        .split_once("It would fire with:\n")
        .or_else(|| text.split_once("Working back its condition gives:\n"))
        .unwrap_or_else(|| panic!("a change: {text}"));
    after
        .lines()
        .take_while(|l| l.starts_with("  "))
        .map(|l| l.trim().to_string())
        .collect()
}

/// Whether `rule` fired on `record`.
fn fires(r: &Ruleset, record: &serde_json::Value, rule: &str) -> bool {
    let why = why_not(r, record, rule, EvalOptions::default()).unwrap();
    let WhyNot::Rule(w) = why else { panic!() };
    w.attempts.iter().all(|a| a.result == RuleResult::Fired)
}

/// How evaluating the record again judged the change offered to the one
/// attempt of `rule`.
fn checked(r: &Ruleset, record: &serde_json::Value, rule: &str) -> Checked {
    let why = why_not(r, record, rule, EvalOptions::default()).unwrap();
    let WhyNot::Rule(w) = &why else {
        panic!("a rule: {why:?}")
    };
    match &w.attempts[0].to_fire {
        Some(Fix::Change { checked, .. }) => checked.clone(),
        other => panic!("a change: {other:?}"),
    }
}

/// A gate: the previous judgement stands while a requirement is not met,
/// and with none, no judgement is made; and a moment that must fall on
/// another day than the record's own date.
const GATE: &str = r#"ruleset gate "Gate"
  edition "2020-01"
  in force from 2020-01-01
  as at visit.start

scale grade: good > fair > poor

evidence
  visit.start: date
  visit.arrived: datetime
  previous.overall: grade or none
  requirement.met: bool
  proposed.overall: grade

judgement overall: grade from proposed.overall

rule previous_stands "p 1"
  when previous.overall is set and not requirement.met
  then overall = previous.overall

rule shut_gate "p 2"
  when previous.overall is none and not requirement.met
  then no judgement

rule arrived_another_day "p 3"
  when date of visit.arrived != visit.start
  then finding late_arrival
"#;

fn gate_record() -> serde_json::Value {
    json!({
        "visit": {"start": "2020-03-02", "arrived": "2020-03-02T12:30"},
        "previous": {"overall": "fair"},
        "requirement": {"met": false},
        "proposed": {"overall": "good"}
    })
}

/// The rules of the why-not fixes of audit 28: a let that is a quantifier
/// over a list, and a window of dates or numbers.
const WORKED_BACK: &str = r#"ruleset worked "Worked back"
  edition "2020-01"
  in force from 2020-01-01
  as at visit.start

scale grade: good > fair > poor

record req
  id: text
  late: bool
  met: date or none

evidence
  visit.start: date
  visit.end: date
  visit.feedback: date
  report.received: date
  n: number
  previous.overall: grade or none
  proposed.overall: grade
  reqs: list of req default empty

let anylate = some r in reqs satisfies r.late
let alllate = every r in reqs satisfies r.late
let unmet = some r in reqs satisfies r.met is none or r.met > visit.feedback

judgement overall: grade from proposed.overall

rule any_late "p1"
  when anylate
  then action x1

rule all_late "p2"
  when alllate
  then action x2

rule received_during_visit "p3"
  when report.received >= visit.start and report.received <= visit.end
  then finding received_on_site

rule never "p4"
  when n > 3 and n < 2
  then finding never

rule all_met "p5"
  when not unmet
  then finding all_met
"#;

fn worked_back_record() -> serde_json::Value {
    json!({
        "visit": {"start": "2020-03-02", "end": "2020-03-04", "feedback": "2020-03-04"},
        "report": {"received": "2020-02-20"},
        "n": 0,
        "previous": {"overall": "poor"},
        "proposed": {"overall": "good"},
        "reqs": [
            {"id": "q1", "late": false, "met": "2020-02-01"},
            {"id": "q2", "late": false}
        ]
    })
}

/// The rules of the why-not fixes of audit 31: a day and a time of one
/// moment, a comparison of a scale's values, `is set` of a let computed
/// from a field or taken from a list, `days from` inside `every`, and a
/// comparison inside `some` with a field of the `for each` element.
const AUDIT31: &str = r#"ruleset audit31 "Audit 31"
  edition "2020-01"
  in force from 2020-01-01
  as at visit.start

scale grade: good > fair > poor

record absence
  id: text
  start: date
  end: date
  expected: days

record slip
  id: text
  fixed: bool
  minor: bool

record remark
  id: text
  slip: text or none

evidence
  visit.start: date
  visit.end: date or none
  visit.arrival: datetime
  previous.overall: grade or none
  report.due: date
  absences: list of absence default empty
  slips: list of slip default empty
  remarks: list of remark default empty

threshold noon = 12:00
threshold report_time = 30 days
threshold long_absence = 90 days
threshold short_absence = 28 days

let report_expected = visit.end + report_time
let long_absence_began = latest absence.start for absence in absences where absence.expected > long_absence

rule arrived_before_noon "p1"
  when date of visit.arrival = visit.start and time of visit.arrival < noon
  then finding early

rule arrived_at_noon "p2"
  when date of visit.arrival = visit.start and time of visit.arrival = noon
  then finding at_noon

rule better_before "p3"
  when previous.overall is set and previous.overall > fair
  then finding better_before

rule worse_before "p4"
  when previous.overall is set and previous.overall < fair
  then finding worse_before

rule better_than_best "p5"
  when previous.overall is set and previous.overall > good
  then finding never

rule report_in_time "p6"
  when report_expected is set and report_expected <= report.due
  then finding report_in_time

rule long_absence "p7"
  when long_absence_began is set
  then finding long_absence

rule all_short "p8"
  when every absence in absences satisfies days from absence.start to absence.end < short_absence
  then finding all_short

rule remark_on_fixed_slip "p9"
  for each remark in remarks
  when remark.slip is set and (some e in slips satisfies e.id = remark.slip and e.fixed and e.minor)
  then finding fixed_slip
"#;

fn audit31_record() -> serde_json::Value {
    json!({
        "visit": {"start": "2020-03-02", "arrival": "2020-03-01T11:59"},
        "previous": {"overall": "fair"},
        "report": {"due": "2020-04-30"},
        "absences": [
            {"id": "a0", "start": "2020-01-01", "end": "2020-01-10", "expected": 10},
            {"id": "a1", "start": "2020-01-20", "end": "2020-03-01", "expected": 42},
            {"id": "a2", "start": "2019-11-01", "end": "2019-12-31", "expected": 30}
        ],
        "slips": [
            {"id": "m0", "fixed": false, "minor": false},
            {"id": "m1", "fixed": true, "minor": true}
        ],
        "remarks": [{"id": "n0", "slip": "m0"}, {"id": "n1"}]
    })
}

/// The one attempt's reason for no single change.
fn no_single_change(why: &WhyNot<'_>) -> String {
    let WhyNot::Rule(r) = why else {
        panic!("a rule: {why:?}")
    };
    match &r.attempts[0].to_fire {
        Some(Fix::NoSingleChange { reason }) => reason.clone(),
        other => panic!("no single change: {other:?}"),
    }
}
