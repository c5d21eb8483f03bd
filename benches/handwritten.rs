//! The children's homes rules written by hand in Rust: the practical limit
//! the engine is measured against. It reads the same JSON evidence and
//! produces the same judgements, actions and deadlines as the ruleset (not
//! the trace or the citations' details), with the bank holidays of the
//! calendar the engine uses.

use chrono::{Datelike, Days, Months, NaiveDate, Weekday};
use serde_json::Value;
use std::collections::BTreeSet;

/// Judgement values as names, as the engine gives them.
#[derive(Debug, PartialEq, Eq)]
pub struct Outcome {
    pub judgements: Vec<(&'static str, Option<&'static str>)>,
    pub actions: Vec<&'static str>,
    pub deadlines: Vec<(String, NaiveDate, Option<NaiveDate>)>,
    pub advisories: Vec<&'static str>,
}

/// Every bank holiday of the calendar, for the baseline's own lookups.
pub fn holidays(cal: &judgement::calendar::Calendar) -> BTreeSet<NaiveDate> {
    let (first, last) = cal.years();
    let mut out = BTreeSet::new();
    let mut d = NaiveDate::from_ymd_opt(first, 1, 1).unwrap();
    while d.year() <= last {
        if cal.holiday(d).unwrap().is_some() {
            out.insert(d);
        }
        d = d.succ_opt().unwrap();
    }
    out
}

const GRADES: [&str; 4] = ["outstanding", "good", "requires_improvement", "inadequate"];
const INTERIM: [&str; 3] = [
    "improved_effectiveness",
    "sustained_effectiveness",
    "declined_in_effectiveness",
];

fn date(v: &Value) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(v.as_str()?, "%Y-%m-%d").ok()
}

fn rank(v: &Value, scale: &[&str]) -> Option<u8> {
    let s = v.as_str()?;
    scale.iter().position(|g| *g == s).map(|i| i as u8)
}

fn add_working_days(holidays: &BTreeSet<NaiveDate>, mut d: NaiveDate, mut n: u32) -> NaiveDate {
    while n > 0 {
        d = d.succ_opt().unwrap();
        if !matches!(d.weekday(), Weekday::Sat | Weekday::Sun) && !holidays.contains(&d) {
            n -= 1;
        }
    }
    d
}

pub fn evaluate(holidays: &BTreeSet<NaiveDate>, e: &Value) -> Outcome {
    let kind = e["inspection"]["kind"].as_str().unwrap();
    let start = date(&e["inspection"]["start"]).unwrap();
    let feedback = date(&e["inspection"]["feedback"]).unwrap();
    let children = e["home"]["children_placed"].as_i64().unwrap();
    let secure = e["home"]["secure"].as_bool().unwrap();
    let first = e["home"]["first_inspection_since_registration"]
        .as_bool()
        .unwrap_or(false);
    let intends = e["home"]["intends_to_take_placements"]
        .as_bool()
        .unwrap_or(true);
    let vacancy = date(&e["manager"]["vacant_since"]).map(|v| (start - v).num_days());
    let withheld = (first || !intends) && children == 0;
    let mut out = Outcome {
        judgements: Vec::new(),
        actions: Vec::new(),
        deadlines: Vec::new(),
        advisories: Vec::new(),
    };

    if let Some(v) = vacancy {
        if v > 182 {
            out.actions.push("urgent_case_review");
        }
        if v >= 84 {
            out.actions.push("case_review");
        }
    }
    if kind == "interim" {
        let mut interim = rank(&e["proposed"]["interim"], &INTERIM);
        if vacancy.is_some_and(|v| v >= 182) {
            interim = Some(2);
        }
        if vacancy.is_some_and(|v| v > 182) {
            out.advisories.push("interim_vacancy_likely_declined");
        }
        let interim = if withheld { None } else { interim };
        if interim == Some(2) {
            out.actions.push("consider_case_review");
        }
        // Every judgement is in the outcome; those not made are null.
        out.judgements.extend([
            ("helped_and_protected", None),
            ("leaders_and_managers", None),
            ("overall", None),
            ("interim", interim.map(|i| INTERIM[usize::from(i)])),
        ]);
    } else if kind == "monitoring" {
        // paras 124-126: the previous judgement stands unless the gate opens.
        let met = e["requirements"]
            .as_array()
            .is_none_or(|rs| rs.iter().all(|r| r["met"].as_bool() == Some(true)));
        let conditions = [
            "situation_made_safe",
            "concerns_discrete",
            "higher_judgement_without_concerns",
            "good_track_record",
            "rectifiable_quickly",
        ]
        .iter()
        .all(|c| e["conditions"][*c].as_bool() == Some(true));
        let gate = met && conditions && vacancy.is_none_or(|v| v < 182);
        let mut overall = rank(&e["proposed"]["overall"], &GRADES);
        if let (Some(previous), false) = (rank(&e["previous"]["overall"], &GRADES), gate) {
            overall = Some(previous);
        }
        let overall = if withheld { None } else { overall };
        out.judgements.extend([
            ("helped_and_protected", None),
            ("leaders_and_managers", None),
            ("overall", overall.map(|g| GRADES[usize::from(g)])),
            ("interim", None),
        ]);
        // para 156: advice only.
        out.advisories.push("monitoring_publication_usually");
    } else {
        let hp = rank(&e["proposed"]["helped_and_protected"], &GRADES);
        let mut lm = rank(&e["proposed"]["leaders_and_managers"], &GRADES);
        if vacancy.is_some_and(|v| v >= 182) {
            lm = Some(3);
        }
        let mut overall = rank(&e["proposed"]["overall"], &GRADES);
        if lm == Some(3) {
            overall = overall.map(|o| o.max(2));
            out.advisories
                .push("lm_inadequate_likely_overall_inadequate");
        }
        if hp == Some(3) {
            overall = Some(3);
        }
        let (hp, lm, overall) = if withheld {
            (None, None, None)
        } else {
            (hp, lm, overall)
        };
        if kind == "full" && overall == Some(3) {
            out.actions
                .extend(["urgent_case_review", "notify_host_local_authority"]);
            // Annex C para 9: a placing authority only for a child placed.
            if children > 0 {
                out.actions.push("notify_placing_authorities");
            }
            if secure {
                out.actions.push("notify_secretary_of_state");
            }
            // para 121: the deadline is 8 weeks; the 6-week target is not compared.
            out.deadlines
                .push(("return_visit".into(), feedback + Days::new(56), None));
        }
        let name = |g: Option<u8>| g.map(|g| GRADES[usize::from(g)]);
        out.judgements.extend([
            ("helped_and_protected", name(hp)),
            ("leaders_and_managers", name(lm)),
            ("overall", name(overall)),
            ("interim", None),
        ]);
    }
    if let Some(absences) = e["manager"]["absences"].as_array() {
        for a in absences {
            let (Some(s), Some(len)) = (date(&a["start"]), a["expected_length"].as_i64()) else {
                continue;
            };
            if len >= 28 {
                let due = if a["planned"].as_bool() == Some(true) {
                    s - Months::new(1)
                } else {
                    s + Days::new(7)
                };
                out.deadlines.push(("absence_notice".into(), due, None));
            }
        }
    }
    let (draft, publish) = if kind == "monitoring" {
        (5, 10)
    } else {
        (10, 25)
    };
    out.deadlines.push((
        "draft_report".into(),
        add_working_days(holidays, feedback, draft),
        None,
    ));
    out.deadlines.push((
        "publication".into(),
        add_working_days(holidays, feedback, publish),
        None,
    ));
    out.actions.sort_unstable();
    out.actions.dedup();
    out.deadlines.sort();
    out
}
