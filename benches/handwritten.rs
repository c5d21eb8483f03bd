//! The children's homes rules written by hand in Rust: the practical limit
//! the engine is measured against. Like a hand-written service it reads the
//! JSON evidence into typed serde structs (the fields its rules read, each
//! `Option` where the ruleset lets it be absent or none; other keys, such as
//! a corpus record's `_expect`, are skipped by serde), produces the same
//! judgements, actions, deadlines and advice (the rules that advised) as the
//! ruleset (not the findings, the trace, the advice's words or the
//! citations' details), with the bank holidays of the calendar
//! the engine uses, and writes an outcome that serialises to JSON shaped like
//! the engine's for those parts. Its monitoring visits follow the rules the
//! ruleset shares with `rulesets/monitoring_visits`.
//!
//! The stages: [`read`] (text to [`Evidence`]), [`rules`] (evidence to
//! [`Outcome`]) and `serde_json::to_writer` of the outcome. [`evaluate`]
//! takes a parsed `serde_json::Value` instead of text.

use chrono::{Datelike, Days, Months, NaiveDate, Weekday};
use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};
use std::collections::BTreeSet;
use std::fmt;

// ------------------------------------------------------------------ evidence

/// A record of evidence: the fields the rules below read.
#[derive(Debug, Deserialize)]
pub struct Evidence {
    pub id: Option<String>,
    pub inspection: Inspection,
    pub home: Home,
    #[serde(default)]
    pub manager: Manager,
    #[serde(default)]
    pub proposed: Judgements,
    #[serde(default)]
    pub provisional: Judgements,
    #[serde(default)]
    pub previous: Previous,
    #[serde(default, deserialize_with = "list")]
    pub requirements: Vec<Requirement>,
    #[serde(default)]
    pub conditions: Conditions,
    #[serde(default, deserialize_with = "list")]
    pub compliance_notices: Vec<ComplianceNotice>,
    #[serde(default)]
    pub caution: Caution,
    #[serde(default)]
    pub offence: Offence,
    #[serde(default)]
    pub report: Report,
    #[serde(default)]
    pub assessment: Assessment,
    #[serde(default)]
    pub concerns: Concerns,
    #[serde(default)]
    pub restraint: Restraint,
    #[serde(default)]
    pub case_review: CaseReview,
    #[serde(default, deserialize_with = "list")]
    pub notifications: Vec<Notification>,
    #[serde(default, deserialize_with = "list")]
    pub referrals: Vec<Referral>,
    #[serde(default, deserialize_with = "list")]
    pub missing_episodes: Vec<MissingEpisode>,
    #[serde(default)]
    pub registered_person: RegisteredPerson,
    #[serde(default, deserialize_with = "list")]
    pub reg44_visits: Vec<Reg44Visit>,
    #[serde(default)]
    pub exploitation: Exploitation,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Full,
    Interim,
    Monitoring,
}

/// Best first, as the scale's rank.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Grade {
    Outstanding,
    Good,
    RequiresImprovement,
    Inadequate,
}

/// Best first, as the scale's rank.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum InterimGrade {
    #[serde(rename = "improved_effectiveness")]
    Improved,
    #[serde(rename = "sustained_effectiveness")]
    Sustained,
    #[serde(rename = "declined_in_effectiveness")]
    Declined,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    DeathOfLookedAfterChild,
    SexualExploitation,
    ChildProtectionEnquiry,
    ChildProtectionOutcome,
    Other,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CautionSubject {
    RegisteredProvider,
    ResponsibleIndividual,
    RegisteredManager,
    Manager,
    OtherPerson,
}

#[derive(Debug, Deserialize)]
pub struct Inspection {
    pub kind: Kind,
    #[serde(deserialize_with = "date")]
    pub start: NaiveDate,
    #[serde(deserialize_with = "date")]
    pub end: NaiveDate,
    #[serde(deserialize_with = "date")]
    pub feedback: NaiveDate,
    pub handwritten_evidence: Option<bool>,
    pub announced: Option<bool>,
}

#[derive(Debug, Deserialize)]
pub struct Home {
    pub secure: bool,
    pub children_placed: i64,
    pub residential_special_school: Option<bool>,
    pub satellite_sites: Option<bool>,
    pub first_inspection_since_registration: Option<bool>,
    pub intends_to_take_placements: Option<bool>,
    pub children_not_looked_after: Option<i64>,
    pub responsible_individual_changed: Option<bool>,
    pub inspections_this_year: Option<i64>,
    #[serde(default, deserialize_with = "opt_date")]
    pub approval_reviewed: Option<NaiveDate>,
    pub placement_notice_condition: Option<bool>,
    #[serde(default, deserialize_with = "opt_date")]
    pub placement_starts: Option<NaiveDate>,
    #[serde(default, deserialize_with = "opt_date")]
    pub placement_notified: Option<NaiveDate>,
    pub meets_registration_requirements: Option<bool>,
}

#[derive(Debug, Default, Deserialize)]
pub struct Manager {
    #[serde(default, deserialize_with = "opt_date")]
    pub vacant_since: Option<NaiveDate>,
    #[serde(default, deserialize_with = "list")]
    pub absences: Vec<Absence>,
    pub in_charge: Option<bool>,
    #[serde(default, deserialize_with = "opt_date")]
    pub leaving: Option<NaiveDate>,
    pub leaving_known_in_advance: Option<bool>,
    #[serde(default, deserialize_with = "opt_date")]
    pub leaving_notified: Option<NaiveDate>,
    #[serde(default, deserialize_with = "opt_date")]
    pub new_manager_started: Option<NaiveDate>,
    #[serde(default, deserialize_with = "opt_date")]
    pub interim_since: Option<NaiveDate>,
    #[serde(default, deserialize_with = "opt_date")]
    pub interim_made_permanent: Option<NaiveDate>,
    #[serde(default, deserialize_with = "opt_date")]
    pub application_received: Option<NaiveDate>,
    #[serde(default, deserialize_with = "opt_date")]
    pub extension_until: Option<NaiveDate>,
    pub extension_requested_in_writing: Option<bool>,
}

#[derive(Debug, Deserialize)]
pub struct Absence {
    #[serde(deserialize_with = "date")]
    pub start: NaiveDate,
    pub expected_length: i64,
    pub planned: bool,
}

/// `proposed.*` and `provisional.*`.
#[derive(Debug, Default, Deserialize)]
pub struct Judgements {
    pub helped_and_protected: Option<Grade>,
    pub leaders_and_managers: Option<Grade>,
    pub overall: Option<Grade>,
    pub interim: Option<InterimGrade>,
}

impl Judgements {
    /// The value given for a judgement, by its name.
    fn by_name(&self, name: &str) -> Option<&'static str> {
        let grade = |g: Option<Grade>| g.map(|g| GRADES[usize::from(g as u8)]);
        match name {
            "helped_and_protected" => grade(self.helped_and_protected),
            "leaders_and_managers" => grade(self.leaders_and_managers),
            "overall" => grade(self.overall),
            "interim" => self.interim.map(|g| INTERIM[usize::from(g as u8)]),
            _ => None,
        }
    }
}

/// The day the record is looked at (`evaluated on`).
#[derive(Debug, Default, Deserialize)]
pub struct Assessment {
    #[serde(default, deserialize_with = "opt_date")]
    pub date: Option<NaiveDate>,
}

#[derive(Debug, Default, Deserialize)]
pub struct Previous {
    pub overall: Option<Grade>,
    #[serde(default, deserialize_with = "opt_date")]
    pub full_inspection: Option<NaiveDate>,
    #[serde(default, deserialize_with = "list")]
    pub requirements: Vec<PreviousRequirement>,
}

#[derive(Debug, Deserialize)]
pub struct PreviousRequirement {
    #[serde(deserialize_with = "date")]
    pub due: NaiveDate,
    #[serde(default, deserialize_with = "opt_date")]
    pub met: Option<NaiveDate>,
}

#[derive(Debug, Deserialize)]
pub struct Requirement {
    pub met: bool,
}

#[derive(Debug, Default, Deserialize)]
pub struct Conditions {
    pub situation_made_safe: Option<bool>,
    pub concerns_discrete: Option<bool>,
    pub higher_judgement_without_concerns: Option<bool>,
    pub good_track_record: Option<bool>,
    pub rectifiable_quickly: Option<bool>,
}

#[derive(Debug, Deserialize)]
pub struct ComplianceNotice {
    #[serde(deserialize_with = "date")]
    pub served: NaiveDate,
    #[serde(deserialize_with = "date")]
    pub completion: NaiveDate,
    pub visit_waived: Option<bool>,
    pub written_confirmation: Option<bool>,
    pub documentary_evidence: Option<bool>,
    pub reason_recorded: Option<bool>,
}

#[derive(Debug, Default, Deserialize)]
pub struct Offence {
    pub suspected: Option<bool>,
}

#[derive(Debug, Default, Deserialize)]
pub struct Caution {
    pub subject: Option<CautionSubject>,
    pub advice_taken: Option<bool>,
}

#[derive(Debug, Default, Deserialize)]
pub struct Report {
    #[serde(default, deserialize_with = "opt_date")]
    pub draft_sent: Option<NaiveDate>,
    pub not_published: Option<bool>,
    pub serious_incident_before_publication: Option<bool>,
}

#[derive(Debug, Default, Deserialize)]
pub struct Concerns {
    pub serious: Option<bool>,
    pub sufficient_cause: Option<bool>,
    pub most_serious: Option<bool>,
    pub further_significant: Option<bool>,
    pub earlier_inspection_needed: Option<bool>,
    pub significant_welfare: Option<bool>,
    pub quality_or_leadership: Option<bool>,
    pub failing_to_protect: Option<bool>,
    pub staffing_premises_resources: Option<bool>,
    pub local_authority_duties: Option<bool>,
    pub local_authority_practice: Option<bool>,
    pub child_at_immediate_risk: Option<bool>,
    pub child_protection_procedures_not_followed: Option<bool>,
    pub telling_home_compromises_safety: Option<bool>,
    pub allegation_against_staff: Option<bool>,
    pub child_welfare: Option<bool>,
    pub outstanding_after_contact: Option<bool>,
    pub controlled_drugs: Option<bool>,
    pub welfare_safety_or_care: Option<bool>,
    pub immediate_safety_shortfall: Option<bool>,
    pub home_records: Option<bool>,
}

#[derive(Debug, Default, Deserialize)]
pub struct Restraint {
    pub for_good_order: Option<bool>,
    pub carried_over_from_school: Option<bool>,
}

#[derive(Debug, Default, Deserialize)]
pub struct CaseReview {
    pub notify_local_authorities: Option<bool>,
}

#[derive(Debug, Deserialize)]
pub struct Notification {
    pub category: Category,
    #[serde(deserialize_with = "date")]
    pub received: NaiveDate,
    pub fast_tracked: Option<bool>,
    pub risk_of_harm: Option<bool>,
    pub significant_harm: Option<bool>,
    pub insufficient_action: Option<bool>,
    pub complete_and_clear: Option<bool>,
    pub child_died: Option<bool>,
}

#[derive(Debug, Deserialize)]
pub struct Referral {
    pub section_47: Option<bool>,
    pub instigation_notified: Option<bool>,
    #[serde(default, deserialize_with = "opt_date")]
    pub concluded: Option<NaiveDate>,
    pub outcome_notified: Option<bool>,
    pub outcome_overdue: Option<bool>,
}

#[derive(Debug, Deserialize)]
pub struct MissingEpisode {
    pub serious_concern: Option<bool>,
    pub notified_ofsted: Option<bool>,
    pub return_home_interview: Option<bool>,
    pub no_interview_good_reason: Option<bool>,
}

#[derive(Debug, Default, Deserialize)]
pub struct RegisteredPerson {
    pub change_not_notified: Option<bool>,
}

/// Annex F para 6: incidents of sexual exploitation known and notified.
#[derive(Debug, Default, Deserialize)]
pub struct Exploitation {
    pub incidents_known: Option<i64>,
    pub incidents_notified: Option<i64>,
}

#[derive(Debug, Deserialize)]
pub struct Reg44Visit {
    #[serde(deserialize_with = "date")]
    pub date: NaiveDate,
}

/// `YYYY-MM-DD` exactly, as the engine reads a date.
fn parse_date(s: &str) -> Option<NaiveDate> {
    let b = s.as_bytes();
    if b.len() != 10 || b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
        return None;
    }
    let number = |from: usize, to: usize| {
        b.get(from..to)?.iter().try_fold(0u32, |n, c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    };
    let year = i32::try_from(number(0, 4)?).ok()?;
    NaiveDate::from_ymd_opt(year, number(5, 7)?, number(8, 10)?)
}

struct DateVisitor;

impl Visitor<'_> for DateVisitor {
    type Value = NaiveDate;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a date written YYYY-MM-DD")
    }

    fn visit_str<E: de::Error>(self, s: &str) -> Result<NaiveDate, E> {
        parse_date(s).ok_or_else(|| E::invalid_value(de::Unexpected::Str(s), &self))
    }
}

fn date<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
    d.deserialize_str(DateVisitor)
}

/// A list, or `null` for an empty one, as the ruleset's `list of ...
/// default empty` reads it (with `#[serde(default)]` for an absent one).
fn list<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Vec<T>, D::Error> {
    Ok(Option::<Vec<T>>::deserialize(d)?.unwrap_or_default())
}

/// A date, or `null` (with `#[serde(default)]` for an absent one).
fn opt_date<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDate>, D::Error> {
    struct OptDate;
    impl<'de> Visitor<'de> for OptDate {
        type Value = Option<NaiveDate>;

        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a date written YYYY-MM-DD, or null")
        }

        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            date(d).map(Some)
        }
    }
    d.deserialize_option(OptDate)
}

/// Reads a record of evidence from JSON text.
#[allow(dead_code, reason = "not every bench uses it")]
pub fn read(text: &str) -> Evidence {
    serde_json::from_str(text).unwrap()
}

// ------------------------------------------------------------------ outcome

/// The parts of the engine's outcome the baseline computes; it serialises
/// to JSON of the same shape for those parts (the judgements as a map in
/// declaration order, each action and deadline an object), without the
/// rules and citations the engine names.
#[derive(Debug, PartialEq, Eq, Serialize)]
pub struct Outcome {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(serialize_with = "judgements_map")]
    pub judgements: Vec<(&'static str, Option<&'static str>)>,
    #[serde(serialize_with = "action_objects")]
    pub actions: Vec<&'static str>,
    #[serde(serialize_with = "deadline_objects")]
    pub deadlines: Vec<(&'static str, NaiveDate, Option<NaiveDate>)>,
    #[serde(serialize_with = "advisory_objects")]
    pub advisories: Vec<&'static str>,
}

fn judgements_map<S: Serializer>(
    judgements: &[(&'static str, Option<&'static str>)],
    s: S,
) -> Result<S::Ok, S::Error> {
    s.collect_map(judgements.iter().map(|(name, value)| (name, value)))
}

fn action_objects<S: Serializer>(actions: &[&'static str], s: S) -> Result<S::Ok, S::Error> {
    #[derive(Serialize)]
    struct Action {
        action: &'static str,
    }
    s.collect_seq(actions.iter().map(|&action| Action { action }))
}

fn advisory_objects<S: Serializer>(advisories: &[&'static str], s: S) -> Result<S::Ok, S::Error> {
    #[derive(Serialize)]
    struct Advisory {
        rule: &'static str,
    }
    s.collect_seq(advisories.iter().map(|&rule| Advisory { rule }))
}

/// A deadline as the engine writes one: `date`, or a window `from` .. `to`.
fn deadline_objects<S: Serializer>(
    deadlines: &[(&'static str, NaiveDate, Option<NaiveDate>)],
    s: S,
) -> Result<S::Ok, S::Error> {
    #[derive(Serialize)]
    struct Deadline {
        deadline: &'static str,
        #[serde(skip_serializing_if = "Option::is_none")]
        date: Option<Ymd>,
        #[serde(skip_serializing_if = "Option::is_none")]
        from: Option<Ymd>,
        #[serde(skip_serializing_if = "Option::is_none")]
        to: Option<Ymd>,
    }
    s.collect_seq(deadlines.iter().map(|&(deadline, first, to)| match to {
        None => Deadline {
            deadline,
            date: Some(Ymd(first)),
            from: None,
            to: None,
        },
        Some(to) => Deadline {
            deadline,
            date: None,
            from: Some(Ymd(first)),
            to: Some(Ymd(to)),
        },
    }))
}

/// A date written `YYYY-MM-DD`.
struct Ymd(NaiveDate);

impl Serialize for Ymd {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let Ok(year) = u32::try_from(self.0.year()) else {
            return s.collect_str(&self.0);
        };
        if year > 9999 {
            return s.collect_str(&self.0);
        }
        let (month, day) = (self.0.month(), self.0.day());
        let digit = |n: u32| b'0' + (n % 10) as u8;
        let text = [
            digit(year / 1000),
            digit(year / 100),
            digit(year / 10),
            digit(year),
            b'-',
            digit(month / 10),
            digit(month),
            b'-',
            digit(day / 10),
            digit(day),
        ];
        s.serialize_str(std::str::from_utf8(&text).unwrap_or_default())
    }
}

// ------------------------------------------------------------------ rules

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

/// The days an absence covers: from its start for its expected length (the
/// day after the last as the end).
fn absence_span(a: &Absence) -> (NaiveDate, NaiveDate) {
    let days = u64::try_from(a.expected_length).unwrap_or(0);
    (a.start, a.start + Days::new(days))
}

/// Whether `a` begins during an absence of `days` or more among
/// `absences` (itself included), or the day after it ends.
fn runs_on_from(absences: &[Absence], a: &Absence, days: i64) -> bool {
    absences.iter().any(|o| {
        let (from, to) = absence_span(o);
        o.expected_length >= days && from <= a.start && a.start <= to
    })
}

/// The most days in a row that the absences `counted` keeps cover: spans
/// that touch (the next beginning the day after the last ends) or overlap
/// are one run.
fn absence_days_in_a_row(absences: &[Absence], counted: impl Fn(&Absence) -> bool) -> i64 {
    let mut spans: Vec<(NaiveDate, NaiveDate)> = absences
        .iter()
        .filter(|a| a.expected_length > 0 && counted(a))
        .map(absence_span)
        .collect();
    spans.sort();
    let mut best = 0;
    let mut run: Option<(NaiveDate, NaiveDate)> = None;
    for (from, to) in spans {
        let (start, end) = match run {
            Some((start, end)) if from <= end => (start, end.max(to)),
            _ => (from, to),
        };
        best = best.max((end - start).num_days());
        run = Some((start, end));
    }
    best
}

fn flag(v: Option<bool>) -> bool {
    v == Some(true)
}

fn end_of_month(d: NaiveDate) -> NaiveDate {
    let first = d.with_day(1).unwrap();
    first + Months::new(1) - Days::new(1)
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

/// The rules over evidence already parsed into a `serde_json::Value`: read
/// into the typed structs, then [`rules`].
#[allow(dead_code, reason = "not every bench uses it")]
pub fn evaluate(holidays: &BTreeSet<NaiveDate>, e: &serde_json::Value) -> Outcome {
    rules(holidays, &Evidence::deserialize(e).unwrap())
}

/// The whole of it from text: [`read`] then [`rules`].
#[allow(dead_code, reason = "not every bench uses it")]
pub fn evaluate_str(holidays: &BTreeSet<NaiveDate>, text: &str) -> Outcome {
    rules(holidays, &read(text))
}

pub fn rules(holidays: &BTreeSet<NaiveDate>, e: &Evidence) -> Outcome {
    let kind = e.inspection.kind;
    let start = e.inspection.start;
    let end = e.inspection.end;
    let feedback = e.inspection.feedback;
    let children = e.home.children_placed;
    let secure = e.home.secure;
    let first = e.home.first_inspection_since_registration.unwrap_or(false);
    let intends = e.home.intends_to_take_placements.unwrap_or(true);
    let vacancy = e.manager.vacant_since.map(|v| (start - v).num_days());
    // Annex G: not at a monitoring visit, where the judgement stands.
    let withheld = kind != Kind::Monitoring && (first || !intends) && children == 0;
    let mut out = Outcome {
        id: e.id.clone(),
        judgements: Vec::new(),
        actions: Vec::new(),
        deadlines: Vec::new(),
        advisories: Vec::new(),
    };
    // The judgements made, for Annex C (overall at full inspections, interim).
    let mut overall_made = None;
    let mut interim_made = None;
    // A monitoring visit whose new overall judgement passes the gate.
    let mut judged_anew = false;
    let rank = |g: Grade| g as u8;

    if let Some(v) = vacancy {
        if v > 182 {
            out.actions.push("urgent_case_review");
        }
        if v >= 84 {
            out.actions.push("case_review");
        }
    }
    if kind == Kind::Interim {
        let mut interim = e.proposed.interim.map(|g| g as u8);
        if vacancy.is_some_and(|v| v >= 182) {
            interim = Some(2);
        }
        // para 116: advice about the judgement, so not where it is withheld.
        if vacancy.is_some_and(|v| v > 182) && !withheld {
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
    } else if kind == Kind::Monitoring {
        // paras 124-126 (the shared monitoring definitions): the previous
        // judgement stands unless the gate opens and a new one is proposed;
        // with none, a proposal the gate refuses gives no overall judgement.
        // Every requirement met in full: those of the gate's own list, and
        // those of the last inspection by the feedback day (para 124).
        let met = e.requirements.iter().all(|r| r.met)
            && e.previous
                .requirements
                .iter()
                .all(|q| q.met.is_some_and(|m| m <= e.inspection.feedback));
        // The key judgements are made where proposed; they bind a new
        // overall judgement that passes the gate (paras 103-104).
        let hp = e.proposed.helped_and_protected.map(rank);
        let lm = e.proposed.leaders_and_managers.map(rank);
        // Para 126: no concerns about leadership and management or the
        // protection of children (a vacancy of 26 weeks; failing to protect;
        // leaders and managers proposed inadequate where para 104 would
        // still allow a higher judgement than the home had).
        let key_concern = lm == Some(3)
            && hp != Some(3)
            && e.proposed.overall.map(rank).is_some_and(|p| p < 3)
            && e.previous.overall.map(rank).is_none_or(|prev| prev == 3);
        let concerns =
            vacancy.is_some_and(|v| v >= 182) || flag(e.concerns.failing_to_protect) || key_concern;
        let c = &e.conditions;
        let conditions = [
            c.situation_made_safe,
            c.concerns_discrete,
            c.higher_judgement_without_concerns,
            c.good_track_record,
            c.rectifiable_quickly,
        ]
        .into_iter()
        .all(flag);
        let mut overall = e.proposed.overall.map(rank);
        let gate = met && conditions && !concerns && overall.is_some();
        judged_anew = gate;
        let previous = e.previous.overall.map(rank);
        // With no judgement to stand, a proposal the gate refuses gives none.
        let refused = !gate && previous.is_none() && overall.is_some();
        // Annex N para 19: the vacancy forces leaders and managers at a
        // visit too, made for it even where none is proposed.
        let lm = if vacancy.is_some_and(|v| v >= 182) {
            Some(3)
        } else {
            lm
        };
        if !gate {
            overall = previous;
        } else {
            // Judged anew: paras 103 and 104 bind the new judgement.
            if lm == Some(3) {
                overall = overall.map(|o| o.max(2));
                out.advisories
                    .push("lm_inadequate_likely_overall_inadequate");
            }
            if hp == Some(3) {
                overall = overall.map(|_| 3);
            }
        }
        // A refused proposal makes no key judgement either, but for the
        // leadership judgement the vacancy forces (Annex N para 19).
        let forced = vacancy.is_some_and(|v| v >= 182);
        let (hp, lm) = if refused {
            (None, lm.filter(|_| forced))
        } else {
            (hp, lm)
        };
        // Where the previous judgement stands, a key judgement paras 103
        // and 104 would not allow beside it is not made.
        let (hp, lm) = match previous.filter(|_| !gate) {
            Some(stands) => (
                hp.filter(|&h| h < 3 || stands == 3),
                lm.filter(|&l| l < 3 || stands >= 2),
            ),
            None => (hp, lm),
        };
        // para 150: after a visit following an inadequate judgement, where a
        // local authority places a child (not one not looked after).
        if previous == Some(3) && children > e.home.children_not_looked_after.unwrap_or(0) {
            out.actions.push("contact_placing_authorities");
        }
        let overall = if withheld { None } else { overall };
        // para 130: a new inadequate judgement at the visit.
        if overall == Some(3) && previous != Some(3) {
            out.actions.push("tell_home_it_will_be_monitored");
        }
        out.judgements.extend([
            ("helped_and_protected", hp.map(|g| GRADES[usize::from(g)])),
            ("leaders_and_managers", lm.map(|g| GRADES[usize::from(g)])),
            ("overall", overall.map(|g| GRADES[usize::from(g)])),
            ("interim", None),
        ]);
        // para 156: advice only, and not for a report not to be published.
        if e.report.not_published != Some(true) {
            out.advisories.push("monitoring_publication_usually");
        }
    } else {
        let hp = e.proposed.helped_and_protected.map(rank);
        let mut lm = e.proposed.leaders_and_managers.map(rank);
        if vacancy.is_some_and(|v| v >= 182) {
            lm = Some(3);
        }
        let mut overall = e.proposed.overall.map(rank);
        if lm == Some(3) {
            overall = overall.map(|o| o.max(2));
            // para 104's advice, about a judgement made: not where Annex G
            // withholds it.
            if kind == Kind::Full && !withheld {
                out.advisories
                    .push("lm_inadequate_likely_overall_inadequate");
            }
        }
        if hp == Some(3) {
            overall = Some(3);
        }
        let (hp, lm, overall) = if withheld {
            (None, None, None)
        } else {
            (hp, lm, overall)
        };
        if kind == Kind::Full && overall == Some(3) {
            // para 119; para 130.
            out.actions
                .extend(["urgent_case_review", "tell_home_it_will_be_monitored"]);
            if secure {
                out.actions.push("notify_secretary_of_state");
            }
            // para 121: the window from 6 to 8 weeks after the feedback.
            out.deadlines.push((
                "return_visit",
                feedback + Days::new(42),
                Some(feedback + Days::new(56)),
            ));
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
    for a in &e.manager.absences {
        if a.expected_length >= 28 {
            let due = if a.planned {
                a.start - Months::new(1)
            } else {
                a.start + Days::new(7)
            };
            out.deadlines.push(("absence_notice", due, None));
        }
        // Annex N paras 12-13: an interim manager expected by the start of
        // a planned absence of more than 28 days under way.
        let ends = a.start + Days::new(u64::try_from(a.expected_length).unwrap_or(0));
        if a.planned
            && a.expected_length > 28
            && a.start <= start
            && start < ends
            && e.manager.interim_since.is_none_or(|since| since > a.start)
        {
            out.advisories
                .push("known_absence_interim_manager_in_place_by_departure");
        }
    }
    // Annex N paras 7 and 17 (AMB4): absences recorded apart that run on
    // from one another, or overlap, may be one absence: those short of the
    // limit that do not follow on from one that reaches it.
    let absences = &e.manager.absences;
    if absences.len() >= 2
        && absence_days_in_a_row(absences, |a| !runs_on_from(absences, a, 28)) >= 28
    {
        out.advisories.push("absences_in_a_row_may_be_one");
    }
    let last_full = e.previous.full_inspection;
    if e.manager.interim_since.is_none()
        && e.manager.application_received.is_none()
        && absences.len() >= 2
        && absence_days_in_a_row(absences, |a| {
            last_full.is_none_or(|last| a.start + Days::new(90) >= last)
                && !runs_on_from(absences, a, 91)
        }) > 90
    {
        out.advisories.push("absences_in_a_row_over_90_days");
    }
    // para 71: the registered manager, in post, absent on the first day of
    // a full or interim inspection: the interview of the responsible
    // individual is usual.
    let in_post = e.manager.vacant_since.is_none_or(|v| v > start);
    let absent = e.manager.absences.iter().any(|a| {
        a.start <= start
            && start < a.start + Days::new(u64::try_from(a.expected_length).unwrap_or(0))
    });
    if kind != Kind::Monitoring && in_post && absent {
        out.advisories
            .push("registered_manager_absent_interview_ri");
    }
    // para 130: monitoring visits are usually unannounced.
    if kind == Kind::Monitoring && flag(e.inspection.announced) {
        out.advisories.push("monitoring_visit_announced");
    }
    // para 131: a follow-up window for each compliance notice, unless its
    // visit was waived on written confirmation with documentary evidence,
    // and the reasons noted.
    for n in &e.compliance_notices {
        // para 130: enforcement action served at this inspection.
        if n.served >= start {
            out.actions.push("tell_home_it_will_be_monitored");
        }
        let waived = flag(n.visit_waived)
            && flag(n.written_confirmation)
            && flag(n.documentary_evidence)
            && flag(n.reason_recorded);
        if !waived {
            out.deadlines.push((
                "follow_up_visit",
                n.completion + Days::new(1),
                Some(add_working_days(holidays, n.completion, 5)),
            ));
        }
    }
    // para 145: a caution given without advice from the RIM first, at a
    // monitoring visit.
    let visit = e.inspection.kind == Kind::Monitoring;
    let cautioned_unadvised = e.caution.subject.is_some() && e.caution.advice_taken != Some(true);
    if visit && cautioned_unadvised {
        out.advisories.push("caution_after_advice");
    }
    // para 144: an offence thought to have been committed, at a visit, as
    // a caution given without advice taken first shows (para 145).
    if visit && (flag(e.offence.suspected) || cautioned_unadvised) {
        out.advisories.push("offence_suspected_take_advice");
    }
    let (draft, publish) = if kind == Kind::Monitoring {
        (5, 10)
    } else {
        (10, 25)
    };
    out.deadlines.push((
        "draft_report",
        add_working_days(holidays, feedback, draft),
        None,
    ));
    let unpublished = kind == Kind::Monitoring && e.report.not_published == Some(true);
    if !unpublished {
        out.deadlines.push((
            "publication",
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
            inadequate_full: kind == Kind::Full && overall_made == Some(3),
            declined: interim_made == Some(2),
            judged_anew,
        },
    );
    out.actions.sort_unstable();
    out.actions.dedup();
    out.deadlines.sort();
    out
}

/// What the rules of the rest of the handbook read from the judgements and
/// the inspection.
struct Facts {
    kind: Kind,
    start: NaiveDate,
    end: NaiveDate,
    children: i64,
    secure: bool,
    intends: bool,
    inadequate_full: bool,
    declined: bool,
    /// A monitoring visit whose new overall judgement passes the gate.
    judged_anew: bool,
}

/// The rules of the ruleset's "rest of the handbook" sections: their actions
/// and deadlines (findings are not compared; Annex H gives only findings).
fn rest_of_handbook(holidays: &BTreeSet<NaiveDate>, e: &Evidence, out: &mut Outcome, f: Facts) {
    let concerns = &e.concerns;
    let manager = &e.manager;
    let deadline = |out: &mut Outcome, name: &'static str, d: NaiveDate| {
        out.deadlines.push((name, d, None));
    };

    // paras 8 and 10: a full inspection usually two days on site at most,
    // counted in working days (para 18's timeframe).
    let more_time =
        f.secure || flag(e.home.residential_special_school) || flag(e.home.satellite_sites);
    if f.kind == Kind::Full && f.end > add_working_days(holidays, f.start, 1) && !more_time {
        out.advisories.push("full_inspection_duration");
    }

    // Annex C paras 2-3, 9-10 and 14; paras 119 and 122.
    let not_looked_after = e.home.children_not_looked_after.unwrap_or(0);
    let notify = flag(e.case_review.notify_local_authorities);
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
    let serious = f.declined && flag(concerns.serious);
    let sufficient = f.kind == Kind::Interim && flag(concerns.sufficient_cause);
    let most_serious = flag(concerns.most_serious);
    if serious {
        out.actions.push("case_review");
    }
    if sufficient || most_serious {
        out.actions.push("urgent_case_review");
    }
    // Annex C para 5: the most serious failures: cancellation anticipated.
    if most_serious {
        out.advisories
            .push("most_serious_failures_seek_cancellation");
    }
    // Annex C para 3, "in all cases": also a decline where the case review
    // agreed to notify the local authorities (para 108).
    if f.inadequate_full || serious || sufficient || most_serious || (f.declined && notify) {
        out.actions.push("discuss_with_team_manager");
    }
    if f.inadequate_full
        && (flag(concerns.further_significant) || flag(concerns.earlier_inspection_needed))
    {
        out.actions.push("bring_return_visit_forward");
    }

    // paras 18-19 (the provider's return) and 98.
    if let Some(sent) = e.report.draft_sent {
        deadline(out, "provider_return", add_working_days(holidays, sent, 5));
    }
    if flag(e.inspection.handwritten_evidence) {
        deadline(
            out,
            "handwritten_evidence",
            add_working_days(holidays, f.end, 5),
        );
    }

    // Annex F para 8; para 182.
    if flag(concerns.significant_welfare) {
        out.actions.push("case_review");
    }
    // The advice about the judgements made: at full inspections and at
    // visits that judge anew (paras 103, 104; Annex F para 8; Annex N
    // para 2), of the judgements the outcome holds.
    let made = |name: &str| {
        out.judgements
            .iter()
            .find(|(n, _)| *n == name)
            .and_then(|(_, v)| *v)
    };
    let judged = f.kind == Kind::Full || f.judged_anew;
    let overall_made = made("overall").is_some();
    let advice = [
        (
            judged && made("helped_and_protected") == Some("requires_improvement"),
            "hp_requires_improvement_does_not_cap",
        ),
        (
            judged && overall_made && flag(concerns.significant_welfare),
            "significant_welfare_concerns_likely_inadequate",
        ),
        (
            judged
                && overall_made
                && (flag(e.restraint.for_good_order) || flag(e.restraint.carried_over_from_school)),
            "restraint_inconsistency_may_be_inadequate",
        ),
        (
            f.kind == Kind::Full
                && made("leaders_and_managers").is_some()
                && manager
                    .vacant_since
                    .is_some_and(|v| (1..182).contains(&(f.start - v).num_days())),
            "vacancy_length_weighed_may_be_inadequate_lm",
        ),
    ];
    for (given, rule) in advice {
        if given {
            out.advisories.push(rule);
        }
    }
    // Footnote 9: a notification the regulations require not made (each
    // part false only where the record says so: unknown is no breach).
    let not_made = e
        .referrals
        .iter()
        .any(|r| flag(r.section_47) && r.instigation_notified == Some(false))
        || e.referrals.iter().any(|r| {
            flag(r.section_47) && r.concluded.is_some() && r.outcome_notified == Some(false)
        })
        || e.missing_episodes
            .iter()
            .any(|m| (f.secure || flag(m.serious_concern)) && m.notified_ofsted == Some(false))
        // A sudden leaving on the first day is not yet unnotified.
        || manager.leaving.is_some_and(|l| {
            manager.leaving_notified.is_none()
                && (l < f.start
                    || (l == f.start && manager.leaving_known_in_advance != Some(false)))
        })
        || e
            .exploitation
            .incidents_notified
            .is_some_and(|told| e.exploitation.incidents_known.unwrap_or(0) > told);
    if not_made {
        out.advisories
            .push("notification_not_made_likely_requirement");
    }
    // para 72, with the concerns a full inspection's own judgements show.
    let no_registered_manager = manager.vacant_since.is_some_and(|v| v <= f.start);
    let judged_inadequate = f.kind == Kind::Full
        && out
            .judgements
            .iter()
            .any(|(_, value)| *value == Some("inadequate"));
    if f.kind != Kind::Monitoring
        && (no_registered_manager
            || flag(concerns.quality_or_leadership)
            || flag(concerns.failing_to_protect)
            || flag(concerns.staffing_premises_resources)
            || judged_inadequate)
    {
        out.actions.push("interview_responsible_individual");
    }
    // Only the judgements this kind of inspection makes: the interim one at
    // an interim inspection, the others elsewhere.
    let changed = out.judgements.iter().any(|(name, value)| {
        (*name == "interim") == (f.kind == Kind::Interim)
            && e.provisional
                .by_name(name)
                .is_some_and(|p| *value != Some(p))
    });
    if changed {
        out.actions.push("inform_provider_of_revised_judgements");
    }
    // Annex M para 6: a new responsible individual; Annex J para 1: a
    // serious incident before the report is published.
    if flag(e.home.responsible_individual_changed) {
        out.actions.push("request_ri_information");
    }
    if flag(e.report.serious_incident_before_publication) {
        out.actions.push("follow_incomplete_inspection_protocol");
    }

    // Annex N: the vacancy clocks, and registering a manager.
    if let Some(vs) = manager.vacant_since {
        deadline(out, "week_12_case_review", vs + Days::new(84));
        deadline(out, "immediate_case_review", vs + Days::new(183));
    }
    if manager.in_charge == Some(false) {
        out.actions.push("raise_requirement_regulation_27");
    }
    if let Some(leaving) = manager.leaving {
        if manager.leaving_known_in_advance != Some(false) {
            deadline(out, "leaving_notice", leaving - Months::new(1));
        }
    }
    let applied = manager.application_received;
    let new = manager.new_manager_started;
    if let Some(new) = new {
        deadline(out, "new_manager_application", new + Days::new(28));
    }
    let permanent = manager.interim_made_permanent;
    if let Some(permanent) = permanent {
        deadline(
            out,
            "appointed_interim_manager_application",
            permanent + Days::new(28),
        );
    }
    // Annex N para 17 from the interim arrangements, or (catalogue AMB6)
    // from the first day of the latest absence expected to last more than
    // 90 days begun by the first day of the inspection whose day 90 did
    // not come before the last full inspection.
    let last_full = e.previous.full_inspection;
    let long_absence = manager
        .absences
        .iter()
        .filter(|a| a.expected_length > 90 && a.start <= f.start)
        .filter(|a| last_full.is_none_or(|last| a.start + Days::new(90) >= last))
        .map(|a| a.start)
        .max();
    if let Some(since) = manager.interim_since.or(long_absence) {
        let until = manager
            .extension_until
            .filter(|_| manager.extension_requested_in_writing != Some(false));
        let due = until.unwrap_or(since + Days::new(90));
        deadline(out, "interim_arrangements_application", due);
        if applied.map_or(due < f.start, |a| a > due) {
            out.actions.push("consider_enforcement");
        }
    }
    // Annex N para 20: appointed by the first day of the inspection.
    let appointed = |d: Option<NaiveDate>| d.is_some_and(|d| d <= f.start);
    if (appointed(new) || appointed(permanent)) && applied.is_none_or(|a| a > f.start) {
        out.actions.push("send_standard_letter");
        out.advisories
            .push("standard_letter_to_unregistered_manager");
    }

    // Scheduling: paras 6 and 13.
    if let Some(before) = e.home.inspections_this_year {
        let counted = before + i64::from(f.kind != Kind::Monitoring);
        if counted < 2 {
            let year = f.start.year() + i32::from(f.start.month() >= 4);
            deadline(
                out,
                "twice_yearly_inspections",
                NaiveDate::from_ymd_opt(year, 3, 31).unwrap(),
            );
        }
    }
    if let (true, Some(reviewed)) = (f.secure, e.home.approval_reviewed) {
        deadline(out, "secure_approval_review", reviewed + Months::new(36));
    }

    // Annex L notifications, referrals, missing children, Regulation 44.
    for n in &e.notifications {
        let fast = n.category != Category::Other;
        if fast {
            out.actions.push("fast_track");
        }
        if fast || flag(n.fast_tracked) {
            deadline(out, "fast_track_action", n.received);
            // Paras 6 to 8 give these urgent duties.
            let urgent = n.category == Category::DeathOfLookedAfterChild
                || n.category == Category::SexualExploitation
                || flag(n.child_died)
                || flag(n.significant_harm);
            // Para 4's two branches: urgent (the manager's reading, or
            // paras 6-8), or the memo.
            if flag(n.risk_of_harm) || urgent {
                out.actions.push("inspector_for_immediate_action");
            } else {
                out.actions.push("memo_to_allocated_inspector");
            }
        }
        deadline(out, "notification_assessment", n.received + Days::new(7));
        if n.category == Category::DeathOfLookedAfterChild || flag(n.child_died) {
            out.actions.extend([
                "ensure_parties_informed",
                "establish_authority_and_police_action",
            ]);
            // Annex L: the review each death calls for.
            out.advisories
                .push(if n.category == Category::DeathOfLookedAfterChild {
                    "death_of_looked_after_child"
                } else {
                    "death_of_child_accommodated"
                });
        }
        if n.category == Category::SexualExploitation || flag(n.significant_harm) {
            out.actions.push("contact_provider");
            if flag(n.insufficient_action) {
                out.actions.push("refer_to_manager");
            }
        }
        if n.complete_and_clear == Some(false) {
            out.actions.push("contact_home_for_clarification");
        }
    }
    for r in &e.referrals {
        let not_notified = r.outcome_notified == Some(false);
        if flag(r.section_47) && not_notified {
            if r.concluded.is_some() {
                out.actions.push("follow_up_outcome_not_notified");
            }
            if flag(r.outcome_overdue) {
                out.actions.push("contact_home_about_outcome");
            }
        }
    }
    for m in &e.missing_episodes {
        if m.return_home_interview == Some(false) && !flag(m.no_interview_good_reason) {
            out.actions.push("inform_senior_hmi");
        }
    }
    if flag(concerns.local_authority_duties) {
        out.actions.push("inform_senior_hmi");
    }
    // para 32; Annex L para 13.
    if flag(concerns.local_authority_duties) || flag(concerns.local_authority_practice) {
        out.actions.push("notify_dcs_of_local_authority_concerns");
    }
    if flag(e.registered_person.change_not_notified) {
        out.actions.push("raise_requirement_notification");
    }
    for v in &e.reg44_visits {
        let next = v.date.with_day(1).unwrap() + Months::new(1);
        deadline(out, "reg44_report", end_of_month(next));
    }

    // Safeguarding during the inspection: paras 174-176, Annex L para 11.
    // Para 174: a child at immediate risk, or a failure to follow child
    // protection procedures.
    let serious = flag(concerns.child_at_immediate_risk)
        || flag(concerns.child_protection_procedures_not_followed);
    let compromises = flag(concerns.telling_home_compromises_safety);
    if serious && !compromises {
        out.actions.push("notify_home_senior_manager");
    }
    // Where the home cannot be told: the authorities, for those and for a
    // concern about a child's welfare (para 31 giving way to para 174).
    if (serious || flag(concerns.child_welfare)) && compromises {
        out.actions.push("notify_authorities_immediately");
    }
    // Annex C para 9 and para 175: the safeguarding policy.
    if flag(concerns.child_at_immediate_risk) {
        out.actions.push("follow_safeguarding_policy");
    }
    if flag(concerns.allegation_against_staff) {
        out.actions.push("refer_to_lado");
    }
    if flag(concerns.child_welfare) {
        // para 176: where a local authority places a child.
        if e.home.children_placed > e.home.children_not_looked_after.unwrap_or(0) {
            out.actions.push("inform_placing_dcs");
        }
        // para 31, unless telling the home compromises the child (para 174).
        if !flag(concerns.telling_home_compromises_safety) {
            out.actions.push("contact_home_about_welfare_concern");
        }
    }
    if flag(concerns.outstanding_after_contact) {
        out.actions.push("record_compliance_case");
    }
    // Annex F para 6.
    if flag(concerns.home_records) {
        out.actions.push("contact_police_and_local_authority");
    }
    // Annex O para 2.
    if flag(concerns.controlled_drugs) {
        out.actions.push("refer_controlled_drugs_concern");
    }
    // paras 75 and 80.
    if flag(concerns.welfare_safety_or_care) {
        out.actions.push("raise_requirement");
    }
    if flag(concerns.immediate_safety_shortfall) {
        out.actions.push("tell_manager_now");
    }

    // para 86: requirements of earlier inspections; a deadline for each not
    // yet met on the day the record is looked at.
    let assessed = e.assessment.date;
    for q in &e.previous.requirements {
        if q.met.is_none_or(|m| assessed.is_some_and(|a| m > a)) {
            deadline(out, "requirement_due", q.due);
        }
        let unmet_past = q.due < e.inspection.feedback || assessed.is_some_and(|a| q.due < a);
        if q.met.map_or(unmet_past, |m| m > q.due) {
            out.actions.push("consider_enforcement");
        }
    }

    // Annex G paras 5 and 8.
    let condition = flag(e.home.placement_notice_condition);
    if !f.intends && f.children == 0 && !condition {
        out.actions.push("impose_placement_notice_condition");
    }
    if let (true, Some(starts)) = (condition, e.home.placement_starts) {
        deadline(out, "placement_notice", starts - Months::new(3));
        // Para 8: at the inspection after the notice (by its first day).
        let notified = e.home.placement_notified.is_some_and(|n| n <= f.start);
        if notified && flag(e.home.meets_registration_requirements) {
            out.actions.push("remove_condition_and_issue_certificate");
        }
    }
}
