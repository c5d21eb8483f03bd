//! The children's homes rules written by hand in Rust: the practical limit
//! the engine is measured against. It reads the same JSON evidence and
//! produces the same judgements, actions and deadlines as the ruleset (not
//! the findings, the trace or the citations' details), with the bank holidays
//! of the calendar the engine uses. Its monitoring visits follow the rules the
//! ruleset shares with `rulesets/monitoring_visits`.

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

fn flag(v: &Value) -> bool {
    v.as_bool() == Some(true)
}

fn end_of_month(d: NaiveDate) -> NaiveDate {
    let first = d.with_day(1).unwrap();
    first + Months::new(1) - Days::new(1)
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
    let end = date(&e["inspection"]["end"]).unwrap();
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
    // The judgements made, for Annex C (overall at full inspections, interim).
    let mut overall_made = None;
    let mut interim_made = None;

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
        interim_made = interim;
        // Every judgement is in the outcome; those not made are null.
        out.judgements.extend([
            ("helped_and_protected", None),
            ("leaders_and_managers", None),
            ("overall", None),
            ("interim", interim.map(|i| INTERIM[usize::from(i)])),
        ]);
    } else if kind == "monitoring" {
        // paras 124-126 (the shared monitoring definitions): the previous
        // judgement stands unless the gate opens and a new one is proposed.
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
        let mut overall = rank(&e["proposed"]["overall"], &GRADES);
        let gate = met && conditions && vacancy.is_none_or(|v| v < 182) && overall.is_some();
        let previous = rank(&e["previous"]["overall"], &GRADES);
        if let (Some(previous), false) = (previous, gate) {
            overall = Some(previous);
        }
        // para 150: after a visit following an inadequate judgement.
        if previous == Some(3) {
            out.actions.push("contact_placing_authorities");
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
            out.actions.push("urgent_case_review");
            if secure {
                out.actions.push("notify_secretary_of_state");
            }
            // para 121: the deadline is 8 weeks; the 6-week target is not compared.
            out.deadlines
                .push(("return_visit".into(), feedback + Days::new(56), None));
        }
        overall_made = overall;
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
    // para 131: a follow-up window for each compliance notice, unless its
    // visit was waived on written confirmation with documentary evidence.
    if let Some(notices) = e["compliance_notices"].as_array() {
        for n in notices {
            let Some(completion) = date(&n["completion"]) else {
                continue;
            };
            let yes = |k: &str| n[k].as_bool() == Some(true);
            if !(yes("visit_waived") && yes("written_confirmation") && yes("documentary_evidence"))
            {
                out.deadlines.push((
                    "follow_up_visit".into(),
                    completion + Days::new(1),
                    Some(add_working_days(holidays, completion, 5)),
                ));
            }
        }
    }
    // para 145: a caution given without advice from the RIM first.
    if e["caution"]["subject"].is_string() && e["caution"]["advice_taken"].as_bool() != Some(true) {
        out.advisories.push("caution_after_advice");
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
    let unpublished = kind == "monitoring" && e["report"]["not_published"].as_bool() == Some(true);
    if !unpublished {
        out.deadlines.push((
            "publication".into(),
            add_working_days(holidays, feedback, publish),
            None,
        ));
    }
    rest_of_handbook(
        holidays,
        e,
        &mut out,
        Facts {
            kind,
            start,
            end,
            children,
            secure,
            intends,
            inadequate_full: kind == "full" && overall_made == Some(3),
            declined: interim_made == Some(2),
        },
    );
    out.actions.sort_unstable();
    out.actions.dedup();
    out.deadlines.sort();
    out
}

/// What the rules of the rest of the handbook read from the judgements and
/// the inspection.
struct Facts<'a> {
    kind: &'a str,
    start: NaiveDate,
    end: NaiveDate,
    children: i64,
    secure: bool,
    intends: bool,
    inadequate_full: bool,
    declined: bool,
}

/// The rules of the ruleset's "rest of the handbook" sections: their actions
/// and deadlines (findings are not compared; Annex H gives only findings).
fn rest_of_handbook(holidays: &BTreeSet<NaiveDate>, e: &Value, out: &mut Outcome, f: Facts) {
    let concerns = &e["concerns"];
    let manager = &e["manager"];
    let report = &e["report"];
    let deadline = |out: &mut Outcome, name: &str, d: NaiveDate| {
        out.deadlines.push((name.to_string(), d, None));
    };

    // Annex C paras 2-3, 9-10 and 14; paras 119 and 122.
    let not_looked_after = e["home"]["children_not_looked_after"].as_i64().unwrap_or(0);
    let notify = flag(&e["case_review"]["notify_local_authorities"]);
    if f.inadequate_full || (f.declined && notify) {
        out.actions
            .extend(["notify_host_local_authority", "email_dcs", "phone_dcs"]);
        out.advisories.push("email_dcs_next_working_day");
        if f.children > not_looked_after {
            out.actions.push("notify_placing_authorities");
        }
        if not_looked_after > 0 {
            out.actions
                .push("alert_placers_of_children_not_looked_after");
            out.advisories
                .push("alert_placers_of_children_not_looked_after");
        }
    }
    let serious = f.declined && flag(&concerns["serious"]);
    let sufficient = f.kind == "interim" && flag(&concerns["sufficient_cause"]);
    let most_serious = flag(&concerns["most_serious"]);
    if serious {
        out.actions.push("case_review");
    }
    if sufficient || most_serious {
        out.actions.push("urgent_case_review");
    }
    if f.inadequate_full || serious || sufficient || most_serious {
        out.actions.push("discuss_with_team_manager");
    }
    if f.inadequate_full
        && (flag(&concerns["further_significant"]) || flag(&concerns["earlier_inspection_needed"]))
    {
        out.actions.push("bring_return_visit_forward");
    }

    // paras 18-19 (the provider's return) and 98.
    let sent = date(&report["draft_sent"]);
    if let (Some(sent), false) = (sent, f.kind == "monitoring") {
        deadline(out, "provider_return", add_working_days(holidays, sent, 5));
    }
    if flag(&e["inspection"]["handwritten_evidence"]) {
        deadline(
            out,
            "handwritten_evidence",
            add_working_days(holidays, f.end, 5),
        );
    }

    // Annex F para 8; para 182.
    if flag(&concerns["significant_welfare"]) {
        out.actions.push("case_review");
    }
    // para 72.
    let no_registered_manager = date(&manager["vacant_since"]).is_some();
    if f.kind != "monitoring"
        && (no_registered_manager
            || flag(&concerns["quality_or_leadership"])
            || flag(&concerns["failing_to_protect"])
            || flag(&concerns["staffing_premises_resources"]))
    {
        out.actions.push("interview_responsible_individual");
    }
    let made: Vec<(&str, Option<&str>)> = out.judgements.clone();
    let changed = made.iter().any(|(name, value)| {
        e["provisional"][*name]
            .as_str()
            .is_some_and(|p| *value != Some(p))
    });
    if changed {
        out.actions.push("inform_provider_of_revised_judgements");
    }

    // Annex N: the vacancy clocks, and registering a manager.
    if let Some(vs) = date(&manager["vacant_since"]) {
        deadline(out, "week_12_case_review", vs + Days::new(84));
        deadline(out, "immediate_case_review", vs + Days::new(183));
    }
    if manager["in_charge"].as_bool() == Some(false) {
        out.actions.push("raise_requirement_regulation_27");
    }
    if let Some(leaving) = date(&manager["leaving"]) {
        if manager["leaving_known_in_advance"].as_bool() != Some(false) {
            deadline(out, "leaving_notice", leaving - Months::new(1));
        }
    }
    let applied = date(&manager["application_received"]);
    let new = date(&manager["new_manager_started"]);
    if let Some(new) = new {
        deadline(out, "new_manager_application", new + Days::new(28));
    }
    let permanent = date(&manager["interim_made_permanent"]);
    if let Some(permanent) = permanent {
        deadline(
            out,
            "appointed_interim_manager_application",
            permanent + Days::new(28),
        );
    }
    if let Some(since) = date(&manager["interim_since"]) {
        let until = date(&manager["extension_until"])
            .filter(|_| flag(&manager["extension_requested_in_writing"]));
        let due = until.unwrap_or(since + Days::new(90));
        deadline(out, "interim_arrangements_application", due);
        if applied.map_or(due < f.start, |a| a > due) {
            out.actions.push("consider_enforcement");
        }
    }
    if (new.is_some() || permanent.is_some()) && applied.is_none_or(|a| a > f.start) {
        out.actions.push("send_standard_letter");
    }

    // Scheduling: paras 6 and 13.
    if let Some(before) = e["home"]["inspections_this_year"].as_i64() {
        let counted = before + i64::from(f.kind != "monitoring");
        if counted < 2 {
            let year = f.start.year() + i32::from(f.start.month() >= 4);
            deadline(
                out,
                "twice_yearly_inspections",
                NaiveDate::from_ymd_opt(year, 3, 31).unwrap(),
            );
        }
    }
    if let (true, Some(reviewed)) = (f.secure, date(&e["home"]["approval_reviewed"])) {
        deadline(out, "secure_approval_review", reviewed + Months::new(36));
    }

    // Annex L notifications, referrals, missing children, Regulation 44.
    for n in e["notifications"].as_array().into_iter().flatten() {
        let received = date(&n["received"]).unwrap();
        let fast = n["category"].as_str() != Some("other");
        if fast {
            out.actions.push("fast_track");
        }
        if fast || flag(&n["fast_tracked"]) {
            deadline(out, "fast_track_action", received);
            out.actions.push(if flag(&n["risk_of_harm"]) {
                "inspector_for_immediate_action"
            } else {
                "memo_to_allocated_inspector"
            });
        }
        deadline(out, "notification_assessment", received + Days::new(7));
        let category = n["category"].as_str();
        if category == Some("death_of_looked_after_child") {
            out.actions.extend([
                "ensure_parties_informed",
                "establish_authority_and_police_action",
            ]);
        }
        if category == Some("sexual_exploitation") || flag(&n["significant_harm"]) {
            out.actions.push("contact_provider");
            if flag(&n["insufficient_action"]) {
                out.actions.push("refer_to_manager");
            }
        }
        if n["complete_and_clear"].as_bool() == Some(false) {
            out.actions.push("contact_home_for_clarification");
        }
    }
    for r in e["referrals"].as_array().into_iter().flatten() {
        let not_notified = r["outcome_notified"].as_bool() == Some(false);
        if flag(&r["section_47"]) && not_notified {
            if date(&r["concluded"]).is_some() {
                out.actions.push("follow_up_outcome_not_notified");
            }
            if flag(&r["outcome_overdue"]) {
                out.actions.push("contact_home_about_outcome");
            }
        }
    }
    for m in e["missing_episodes"].as_array().into_iter().flatten() {
        if m["return_home_interview"].as_bool() == Some(false)
            && !flag(&m["no_interview_good_reason"])
        {
            out.actions.push("inform_senior_hmi");
        }
    }
    if flag(&concerns["local_authority_duties"]) {
        out.actions.push("inform_senior_hmi");
    }
    if flag(&e["registered_person"]["change_not_notified"]) {
        out.actions.push("raise_requirement_notification");
    }
    for v in e["reg44_visits"].as_array().into_iter().flatten() {
        let visited = date(&v["date"]).unwrap();
        let next = visited.with_day(1).unwrap() + Months::new(1);
        deadline(out, "reg44_report", end_of_month(next));
    }

    // Safeguarding during the inspection: paras 174-176, Annex L para 11.
    if flag(&concerns["child_at_immediate_risk"]) {
        out.actions
            .push(if flag(&concerns["telling_home_compromises_safety"]) {
                "notify_authorities_immediately"
            } else {
                "notify_home_senior_manager"
            });
    }
    if flag(&concerns["allegation_against_staff"]) {
        out.actions.push("refer_to_lado");
    }
    if flag(&concerns["child_welfare"]) {
        out.actions.push("inform_placing_dcs");
    }
    if flag(&concerns["outstanding_after_contact"]) {
        out.actions.push("record_compliance_case");
    }
    // paras 75 and 80.
    if flag(&concerns["welfare_safety_or_care"]) {
        out.actions.push("raise_requirement");
    }
    if flag(&concerns["immediate_safety_shortfall"]) {
        out.actions.push("tell_manager_now");
    }

    // para 86: requirements of earlier inspections.
    for q in e["previous"]["requirements"]
        .as_array()
        .into_iter()
        .flatten()
    {
        let due = date(&q["due"]).unwrap();
        let met = date(&q["met"]);
        if met.is_none() {
            deadline(out, "requirement_due", due);
        }
        if met.map_or(due < f.start, |m| m > due) {
            out.actions.push("consider_enforcement");
        }
    }

    // Annex G paras 5 and 8.
    let condition = flag(&e["home"]["placement_notice_condition"]);
    if !f.intends && f.children == 0 && !condition {
        out.actions.push("impose_placement_notice_condition");
    }
    if let (true, Some(starts)) = (condition, date(&e["home"]["placement_starts"])) {
        deadline(out, "placement_notice", starts - Months::new(3));
        if flag(&e["home"]["meets_registration_requirements"]) {
            out.actions.push("remove_condition_and_issue_certificate");
        }
    }
}
