//! "Why not?": for a rule that did not fire, each part of its condition
//! with the values it read, which part was false or unknown, and the
//! smallest change of evidence that would make it fire, where one exists;
//! for a judgement and a value ("why not outstanding?"), the caps and
//! floors that held it away from that value, each with the values its rule
//! read and what would stop it applying; for an action, finding or
//! deadline, whether it was given and each rule that gives it, answered as
//! a rule is.
//!
//! Built from the model's expressions and what evaluation recorded of each
//! part of a condition (`eval::Probe`): nothing is parsed back
//! from text. [`why_not_text`] renders it in plain English, so every
//! embedding gets the text `judgement explain --why-not` prints.

use crate::error::EvalError;
use crate::eval::{add_days, Probe, ProbeScope, Seen, Shape};
use crate::model::{Arith, Cmp, ExprId, Model, Node};
use crate::outcome::{serial, Constraint, Item, NotMade, ReadValue, Relation, RuleResult};
use crate::show::{date_str, datetime_str, show, time_str};
use crate::types::Type;
use crate::value::{Tri, Value};
use crate::{EvalOptions, Ruleset};
use chrono::{NaiveDate, NaiveDateTime, NaiveTime, TimeDelta};
use judgement_syntax::ast::{CalendarOp, ConstraintOp, Quantifier};
use serde::{Serialize, Serializer};
use std::fmt;

mod moment;
mod narrow;
mod text;
mod verify;
pub use text::why_not_text;

/// What was asked about.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum WhyNot<'r> {
    /// Why a rule did (or did not) fire.
    Rule(RuleWhy<'r>),
    /// Why a judgement is not a given value.
    Judgement(JudgementWhy<'r>),
    /// Why an action, finding or deadline was (or was not) given.
    Effect(EffectWhy<'r>),
}

/// A rule on one record: once, or once for each element of its `for each`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RuleWhy<'r> {
    pub rule: &'r str,
    pub cite: &'r str,
    /// `path:line:column` of the rule.
    pub place: String,
    /// The list a `for each` rule runs over, as written.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub for_each: Option<&'r str>,
    /// The rule on the record, or on each element (none: the list was empty).
    pub attempts: Vec<Attempt<'r>>,
}

/// The rule on the record, or on one element of its list.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Attempt<'r> {
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "serial::opt_item"
    )]
    pub item: Option<Item>,
    pub result: RuleResult,
    /// The condition, part by part (`None`: the rule has no condition).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub condition: Option<Part<'r>>,
    /// For a rule that did not fire: what would make it fire.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to_fire: Option<Fix>,
}

/// A part of a condition as written, what it came to and what it read.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Part<'r> {
    pub text: String,
    pub truth: Truth,
    pub values: Vec<ReadValue<'r>>,
    /// How the parts below combine, when there are any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub connective: Option<Connective>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub parts: Vec<Part<'r>>,
    /// For a part that asks a condition of a list's elements (`every`,
    /// `some`, `no`, a `count` or `earliest` with `where`): what it came
    /// to on each element, in the list's order (at most [`MAX_ELEMENTS`]).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub elements: Vec<ElementPart<'r>>,
}

/// The most elements of a part listed ([`Part::elements`]).
pub const MAX_ELEMENTS: usize = 20;

/// What the condition a part asks of a list's elements came to on one.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ElementPart<'r> {
    /// Its place in the list, from 1.
    pub position: usize,
    /// Its id, where it has one.
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "serial::opt_item"
    )]
    pub item: Option<Item>,
    pub truth: Truth,
    pub values: Vec<ReadValue<'r>>,
}

/// What a part came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Truth {
    True,
    False,
    Unknown,
    /// It could not be evaluated on its own: another part guards it (a
    /// comparison of a date that `is set` found absent).
    NotEvaluated,
}

impl Truth {
    fn of(t: Option<Tri>) -> Truth {
        match t {
            Some(Tri::True) => Truth::True,
            Some(Tri::False) => Truth::False,
            Some(Tri::Unknown) => Truth::Unknown,
            None => Truth::NotEvaluated,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Truth::True => "true",
            Truth::False => "false",
            Truth::Unknown => "unknown",
            Truth::NotEvaluated => "not evaluated",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Connective {
    And,
    Or,
    Not,
}

/// The most other ways of working back a change that evaluating again
/// tries, where the cheapest is not borne out.
const MAX_ALTERNATIVES: usize = 6;

/// What the conditions `s` asks of list elements came to on each, where
/// probing said which element each was (the rule's own parts).
fn elements<'r>(s: &Seen<'r>) -> Vec<ElementPart<'r>> {
    s.within
        .iter()
        .filter_map(|w| {
            let e = w.element.as_ref()?;
            Some(ElementPart {
                position: e.index + 1,
                item: Some(e.id.clone()).filter(|id| !id.is_empty()),
                truth: Truth::of(w.truth),
                values: w.values.clone(),
            })
        })
        .take(MAX_ELEMENTS)
        .collect()
}

/// Of ways any one of which would do, the one needing fewest changes; of
/// those, the one whose changes move a date or a number past a bound before
/// one that flips a yes/no or sets a value, and that before one that
/// changes a choice ([`lever`]); the first of equals. Where none has a
/// change, the first reason why, or `none` where there was no way at all.
fn fewest(ways: impl Iterator<Item = Changes>, none: &str) -> Changes {
    let mut best: Option<Vec<Change>> = None;
    let mut first_reason = None;
    let cost = |c: &[Change]| (c.len(), c.iter().map(|c| lever(&c.needs)).max());
    for way in ways {
        match way {
            Ok(c) if best.as_ref().is_none_or(|b| cost(&c) < cost(b)) => best = Some(c),
            Ok(_) => {}
            Err(why) => {
                first_reason.get_or_insert(why);
            }
        }
    }
    best.ok_or_else(|| first_reason.unwrap_or_else(|| none.into()))
}

/// What would change a rule's result.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "fix", rename_all = "snake_case")]
pub enum Fix {
    /// Every one of these changes of evidence together (often one), and
    /// whether evaluating the record again with them bears that out.
    Change {
        changes: Vec<Change>,
        checked: Checked,
        /// Other ways working back found, next in order of cost (another
        /// part of an `and` to make false, of an `or` to make true): tried
        /// in turn where `changes` is not borne out, the first that is
        /// taking its place. Not part of the answer.
        #[serde(skip)]
        alternatives: Vec<Vec<Change>>,
    },
    /// No change of one evidence value would do it, and why.
    NoSingleChange { reason: String },
}

/// Whether a change was borne out by evaluating the record again with it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "result", rename_all = "snake_case")]
pub enum Checked {
    /// With the change made, the rule does what the answer says.
    Holds,
    /// With the change made, it does not: the change moves something else
    /// the rule reads (a judgement another rule decides), or the record is
    /// then refused. Where the answer allows several values ("anything but
    /// full"), each was tried: `tried` records, of which these failed.
    Fails {
        tried: usize,
        failures: Vec<Failure>,
    },
    /// The change was not tried, and `reason` says why: it cannot be made
    /// in the record as said (a value "set" to anything, a field of a list
    /// the rule computes), or it is past the first 20 elements (or caps and
    /// floors) whose changes are checked.
    Unchecked { reason: String },
}

/// A record tried with a change that did not bear the answer out.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Failure {
    /// The values tried, where the answer allows several
    /// (`inspection.kind monitoring`); empty where it gives one.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub with: Vec<String>,
    /// What happened: the rule still does (or does not) fire, or the
    /// record is refused and why.
    pub because: String,
}

/// One value of evidence and the value it would need.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    /// The evidence field (a JSON path, or `element.field` of a `for each`).
    pub field: String,
    /// Its value now, as shown.
    pub now: String,
    pub needs: Need,
    /// The derived values worked back through (`vacancy at least 182
    /// days`), outermost first.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub via: Vec<String>,
}

/// The value a field would need: the nearest value that would do.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "relation", content = "value", rename_all = "snake_case")]
pub enum Need {
    AtLeast(Amount),
    AtMost(Amount),
    Exactly(Amount),
    Other(Amount),
    Set,
    NotSet,
}

impl fmt::Display for Need {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Need::AtLeast(a @ Amount::Date(_)) => write!(f, "on or after {a}"),
            Need::AtMost(a @ Amount::Date(_)) => write!(f, "on or before {a}"),
            Need::AtLeast(a) => write!(f, "at least {a}"),
            Need::AtMost(a) => write!(f, "at most {a}"),
            Need::Exactly(a) => write!(f, "{a}"),
            Need::Other(a) => write!(f, "anything but {a}"),
            Need::Set => f.write_str("set"),
            Need::NotSet => f.write_str("none"),
        }
    }
}

/// A value a change needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Amount {
    Number(i64),
    Days(i64),
    Months(i64),
    WorkingDays(i64),
    Date(NaiveDate),
    DateTime(NaiveDateTime),
    Time(NaiveTime),
    Bool(bool),
    /// A value of a scale or choice.
    Name(String),
}

impl fmt::Display for Amount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Amount::Number(n) => write!(f, "{n}"),
            Amount::Days(n) if *n != 0 && n % 7 == 0 => {
                write!(f, "{n} days ({} weeks)", n / 7)
            }
            Amount::Days(n) => write!(f, "{n} days"),
            Amount::Months(n) => write!(f, "{n} months"),
            Amount::WorkingDays(n) => write!(f, "{n} working days"),
            Amount::Date(d) => f.write_str(&date_str(*d)),
            Amount::DateTime(d) => f.write_str(&datetime_str(*d)),
            Amount::Time(t) => f.write_str(&time_str(*t)),
            Amount::Bool(b) => write!(f, "{b}"),
            Amount::Name(n) => f.write_str(n),
        }
    }
}

/// As the evidence writes the value, so that a tool can put it in the
/// record: a number (of days too) as a JSON number (`28`, where the text
/// says `28 days (4 weeks)`), a yes/no as `true` or `false`, the rest as
/// text.
impl Serialize for Amount {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Amount::Number(n) | Amount::Days(n) => s.serialize_i64(*n),
            Amount::Bool(b) => s.serialize_bool(*b),
            other => s.collect_str(other),
        }
    }
}

/// Why a judgement is not the value asked about.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct JudgementWhy<'r> {
    pub judgement: &'r str,
    pub wanted: &'r str,
    pub value: Option<&'r str>,
    pub proposed: Option<&'r str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub not_made: Option<NotMade<'r>>,
    /// For a judgement withheld by a rule (`then no judgement`): what
    /// would stop that rule applying, so that the judgement is made.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to_release: Option<Fix>,
    /// The caps and floors that rule the value asked about out.
    pub held_by: Vec<Holder<'r>>,
    /// Rules that would bound the judgement at the value asked about and
    /// did not fire, with what would make each fire.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub would_give: Vec<Giver<'r>>,
}

/// A rule that would bound a judgement at a value, had it fired.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Giver<'r> {
    pub rule: &'r str,
    pub cite: &'r str,
    /// `= inadequate`, `at most good`, as the rule writes it.
    pub constraint: String,
    pub result: RuleResult,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to_fire: Option<Fix>,
}

impl JudgementWhy<'_> {
    /// The judgement already has the value asked about.
    pub fn already(&self) -> bool {
        self.value == Some(self.wanted)
    }
}

/// The kinds of effect why-not can be asked about by name
/// (`action:NAME`, `finding:NAME`, `deadline:NAME`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EffectKind {
    Action,
    Finding,
    /// A deadline or a window (`then deadline NAME from ... to ...`).
    Deadline,
}

impl EffectKind {
    const ALL: [EffectKind; 3] = [
        EffectKind::Action,
        EffectKind::Finding,
        EffectKind::Deadline,
    ];

    /// Whether `outcome` lists the effect of this kind called `name`: from
    /// the rule `rule` (on the element `item`) where one is given. A rule
    /// that fires does not always give it: an action whose due date, or a
    /// deadline whose date, is not known is listed as undetermined instead.
    pub(crate) fn given_in(
        self,
        outcome: &crate::Outcome<'_>,
        name: &str,
        rule: Option<&str>,
        item: Option<&str>,
    ) -> bool {
        let from = |r: &str, i: &Option<Item>| {
            rule.is_none_or(|want| want == r) && item.is_none_or(|want| i.as_deref() == Some(want))
        };
        match self {
            EffectKind::Action => outcome
                .actions
                .iter()
                .any(|a| a.action == name && from(a.rule, &a.item)),
            EffectKind::Finding => outcome
                .findings
                .iter()
                .any(|f| f.finding == name && from(f.rule, &f.item)),
            EffectKind::Deadline => outcome
                .deadlines
                .iter()
                .any(|d| d.deadline == name && from(d.rule, &d.item)),
        }
    }

    /// The word the rule file writes after `then`, and a target's prefix.
    pub fn as_str(self) -> &'static str {
        match self {
            EffectKind::Action => "action",
            EffectKind::Finding => "finding",
            EffectKind::Deadline => "deadline",
        }
    }

    /// The kind and name of an effect a rule gives, if it is one of these.
    fn of(effect: &crate::model::EffectDef) -> Option<(EffectKind, &str)> {
        use crate::model::EffectDef;
        match effect {
            EffectDef::Action { name, .. } => Some((EffectKind::Action, name)),
            EffectDef::Finding { name, .. } => Some((EffectKind::Finding, name)),
            EffectDef::Deadline { name, .. } | EffectDef::Window { name, .. } => {
                Some((EffectKind::Deadline, name))
            }
            _ => None,
        }
    }
}

/// Why an action, finding or deadline was or was not given: the answer
/// for each rule that gives it, in the order the ruleset declares them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EffectWhy<'r> {
    pub effect: EffectKind,
    pub name: &'r str,
    /// Whether the outcome lists it (given by a rule that fired, on the
    /// record or on an element of its list).
    pub given: bool,
    /// The rules the outcome credits with it.
    pub given_by: Vec<&'r str>,
    pub rules: Vec<RuleWhy<'r>>,
}

/// A cap or floor that rules a value out: its rule, what the rule read,
/// and what would stop the rule firing.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Holder<'r> {
    pub constraint: Constraint<'r>,
    /// Whether it is the constraint that set the value (else it is slack,
    /// but would still rule the value out).
    pub binding: bool,
    pub values: Vec<ReadValue<'r>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to_release: Option<Fix>,
}

/// Why a question cannot be answered.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum WhyNotError {
    #[error("no rule, judgement, action, finding or deadline `{name}` in ruleset {ruleset}{}", hint(.suggestion))]
    UnknownTarget {
        name: String,
        ruleset: String,
        suggestion: Option<String>,
    },
    #[error("`{name}` is an `invalid` check, which refuses evidence: evaluating the record says whether it holds; why-not asks about rules, judgements, actions, findings and deadlines")]
    Check { name: String },
    #[error("no {} `{name}` is given by a rule of ruleset {ruleset}{}", .kind.as_str(), hint(.suggestion))]
    UnknownEffect {
        kind: EffectKind,
        name: String,
        ruleset: String,
        suggestion: Option<String>,
    },
    #[error("`{name}` is the name of {}: ask {}", kinds_named(.kinds), ask_as(.kinds, .name))]
    AskEffectAs {
        name: String,
        kinds: Vec<EffectKind>,
    },
    #[error("`{prefix}:` is no kind of target: ask `action:NAME`, `finding:NAME` or `deadline:NAME`, or name a rule or a judgement")]
    UnknownKind { prefix: String },
    #[error("{}", no_name(.after.as_deref()))]
    NoName { after: Option<String> },
    #[error("`{}:{name}` takes no value: {} is given or not; ask `{}:{name}` alone", .kind.as_str(), kinds_named(std::slice::from_ref(.kind)), .kind.as_str())]
    EffectWithValue { kind: EffectKind, name: String },
    #[error("`{name}` is a rule, not a judgement: `{name}={value}` asks for a judgement's value; ask `{name}` alone for why the rule did or did not fire")]
    RuleWithValue { name: String, value: String },
    #[error("`{value}` is not a value of judgement {judgement} (its scale: {scale}){}", hint(.suggestion))]
    UnknownValue {
        judgement: String,
        value: String,
        scale: String,
        suggestion: Option<String>,
    },
    #[error(transparent)]
    Eval(#[from] EvalError),
}

/// Why-not asked with no name, or none after `KIND:`.
fn no_name(after: Option<&str>) -> String {
    match after {
        Some(judgement) if judgement.ends_with('=') => format!(
            "no value is given after `{judgement}`: write `{judgement}VALUE`, or the judgement alone for the best value of its scale"
        ),
        Some(prefix) => format!("no name is given after `{prefix}`: write `{prefix}NAME`"),
        None => "no name is given: name a rule, a judgement (`JUDGEMENT=VALUE`), or an action, finding or deadline (`action:NAME`)".to_string(),
    }
}

/// "an action and a finding".
fn kinds_named(kinds: &[EffectKind]) -> String {
    kinds
        .iter()
        .map(|k| match k {
            EffectKind::Action => "an action",
            EffectKind::Finding => "a finding",
            EffectKind::Deadline => "a deadline",
        })
        .collect::<Vec<_>>()
        .join(" and ")
}

fn hint(suggestion: &Option<String>) -> String {
    match suggestion {
        Some(s) => format!(": {s}"),
        None => String::new(),
    }
}

/// Why `target` does not hold for `evidence`: a rule id (why it did not
/// fire, or that it fired and why), `JUDGEMENT=VALUE` (why the judgement
/// is not that value; `JUDGEMENT` alone asks about the best value of its
/// scale), or `action:NAME`, `finding:NAME` or `deadline:NAME` (each rule
/// that gives it, answered as a rule is; the name alone will do where no
/// rule or judgement has it and it is of one kind only). An unknown name
/// is an error with the nearest name. Each change
/// offered is checked by evaluating the record again with it, with this
/// edition whatever the record's date ([`Checked`]; for a `for each` rule,
/// the changes of its first 20 elements that need one).
pub fn why_not<'r>(
    ruleset: &'r Ruleset,
    evidence: &serde_json::Value,
    target: &str,
    options: EvalOptions,
) -> Result<WhyNot<'r>, WhyNotError> {
    checked_answer(ruleset, evidence, target, options, false)
}

/// [`why_not`] for a record whose edition was chosen by its date (the one
/// in force on its `as at` date, as `Editions::select` chooses): a change
/// that moves that date outside this edition's period in force is not
/// enough, since the record would then be evaluated by another edition, or
/// by none.
pub fn why_not_in_force<'r>(
    ruleset: &'r Ruleset,
    evidence: &serde_json::Value,
    target: &str,
    options: EvalOptions,
) -> Result<WhyNot<'r>, WhyNotError> {
    checked_answer(ruleset, evidence, target, options, true)
}

/// The answer, its changes checked; `dated`: the edition was chosen by the
/// record's date.
fn checked_answer<'r>(
    ruleset: &'r Ruleset,
    evidence: &serde_json::Value,
    target: &str,
    options: EvalOptions,
    dated: bool,
) -> Result<WhyNot<'r>, WhyNotError> {
    let mut why = answer(ruleset, evidence, target, options)?;
    verify::check_all(ruleset, evidence, options, dated, &mut why);
    Ok(why)
}

/// The longest target asked about that is looked for among the names; a
/// longer one is unknown, and its error shows only its start.
const MOST_TARGET_BYTES: usize = 1_000;

/// The answer, its changes not yet checked.
fn answer<'r>(
    ruleset: &'r Ruleset,
    evidence: &serde_json::Value,
    target: &str,
    options: EvalOptions,
) -> Result<WhyNot<'r>, WhyNotError> {
    let model = ruleset.model();
    // No name is this long: said again in full, a megabyte of target would
    // be a megabyte of error (the bindings' audit found it).
    if target.len() > MOST_TARGET_BYTES {
        return Err(WhyNotError::UnknownTarget {
            name: crate::evidence::clipped(target).into_owned(),
            ruleset: model.meta.name.clone(),
            suggestion: None,
        });
    }
    // `KIND:NAME`; not `J=V` whose value holds a colon.
    if let Some((prefix, name)) = target
        .split_once(':')
        .filter(|(prefix, _)| !prefix.contains('='))
    {
        let prefix = prefix.trim();
        let kind = EffectKind::ALL
            .into_iter()
            .find(|k| k.as_str() == prefix)
            .ok_or_else(|| WhyNotError::UnknownKind {
                prefix: prefix.to_string(),
            })?;
        let name = name.trim();
        if name.is_empty() {
            return Err(WhyNotError::NoName {
                after: Some(format!("{prefix}:")),
            });
        }
        if let Some((name, _)) = name.split_once('=') {
            if name.trim().is_empty() {
                return Err(WhyNotError::NoName {
                    after: Some(format!("{prefix}:")),
                });
            }
            return Err(WhyNotError::EffectWithValue {
                kind,
                name: name.trim().to_string(),
            });
        }
        return effect_answer(ruleset, evidence, kind, name, options);
    }
    let (name, value) = match target.split_once('=') {
        Some((n, v)) => (n.trim(), Some(v.trim())),
        None => (target.trim(), None),
    };
    if name.is_empty() {
        return Err(WhyNotError::NoName { after: None });
    }
    if value == Some("") {
        return Err(WhyNotError::NoName {
            after: Some(format!("{name}=")),
        });
    }
    let judgement = model.judgements.iter().find(|j| j.name == name);
    let rule = model
        .rules
        .iter()
        .enumerate()
        .find(|(_, r)| r.id == name && !r.is_check);
    if let (None, Some(_), Some(value)) = (judgement, rule, value) {
        return Err(WhyNotError::RuleWithValue {
            name: name.to_string(),
            value: value.to_string(),
        });
    }
    if judgement.is_none()
        && rule.is_none()
        && model.rules.iter().any(|r| r.id == name && r.is_check)
    {
        return Err(WhyNotError::Check {
            name: name.to_string(),
        });
    }
    if judgement.is_none() && rule.is_none() {
        // An action, finding or deadline named alone: asked about as
        // `KIND:NAME` where the name is of one kind only.
        let kinds = kinds_of(model, name);
        match (kinds.as_slice(), value) {
            ([kind], None) => return effect_answer(ruleset, evidence, *kind, name, options),
            ([], _) => {}
            _ => {
                return Err(WhyNotError::AskEffectAs {
                    name: name.to_string(),
                    kinds,
                })
            }
        }
        let names = model
            .rules
            .iter()
            .filter(|r| !r.is_check)
            .map(|r| r.id.as_str())
            .chain(model.judgements.iter().map(|j| j.name.as_str()))
            .chain(effects(model).map(|(_, n)| n));
        return Err(WhyNotError::UnknownTarget {
            name: name.to_string(),
            ruleset: model.meta.name.clone(),
            suggestion: crate::suggest::did_you_mean(name, names),
        });
    }
    let def = match (judgement, rule) {
        (Some(def), _) => def,
        (None, Some((index, _))) => {
            return rule_answer(ruleset, evidence, index, options).map(WhyNot::Rule)
        }
        (None, None) => return Err(WhyNotError::Eval(EvalError::Internal("target not found"))),
    };
    let (outcome, probes) = ruleset.evaluate_probing(evidence, options, ProbeScope::Every)?;
    let w = Writer::new(ruleset);
    let scale = model.enums.get(def.scale);
    let values: Vec<&str> = scale
        .map(|s| s.values.iter().map(String::as_str).collect())
        .unwrap_or_default();
    let wanted = match value {
        Some(v) => {
            values
                .iter()
                .position(|x| *x == v)
                .ok_or_else(|| WhyNotError::UnknownValue {
                    judgement: def.name.clone(),
                    value: v.to_string(),
                    scale: values.join(", "),
                    suggestion: crate::suggest::did_you_mean(v, values.iter().copied()),
                })?
        }
        None => 0,
    };
    let wanted_name = scale
        .and_then(|s| s.values.get(wanted))
        .map(String::as_str)
        .unwrap_or_default();
    let rank = |v: &str| values.iter().position(|x| *x == v);
    let detail = outcome.details.get(def.name.as_str());
    // What the rule `id` saw of its condition: on the element `on`
    // says, where it says one (`Some(None)`: not on an element).
    let seen_by = |id: &str, on: Option<&Option<crate::outcome::Item>>| {
        probes
            .iter()
            .find(|p| {
                model.rules.get(p.rule).is_some_and(|r| r.id == id)
                    && on.is_none_or(|item| p.item == *item)
            })
            .and_then(|p| p.condition.as_ref())
    };
    let mut held_by = Vec::new();
    if let Some(d) = detail {
        let both = d
            .binding
            .iter()
            .map(|c| (c, true))
            .chain(d.slack.iter().map(|c| (c, false)));
        for (c, binding) in both {
            let Some(bound) = rank(c.value) else { continue };
            let rules_out = match c.relation {
                Relation::Equal => bound != wanted,
                // Rank 0 is best: a cap rules out better values.
                Relation::AtMost => wanted < bound,
                Relation::AtLeast => wanted > bound,
            };
            if !rules_out {
                continue;
            }
            let (values, to_release) = match seen_by(c.rule, Some(&c.item)) {
                Some(seen) => (seen.values.clone(), Some(w.fix(seen, false))),
                None => (Vec::new(), None),
            };
            held_by.push(Holder {
                constraint: c.clone(),
                binding,
                values,
                to_release,
            });
        }
    }
    // Only a rule that could move the judgement to the value asked
    // about would give it: one that sets it, a cap where the judgement
    // is better than that value, a floor where it is worse. A cap never
    // raises a judgement, a floor never lowers one, and neither makes a
    // judgement that is not made.
    let current = outcome.judgement(&def.name).and_then(rank);
    let moves_to_wanted = |op: &ConstraintOp| match op {
        ConstraintOp::Equal => true,
        ConstraintOp::AtMost => current.is_some_and(|c| c < wanted),
        ConstraintOp::AtLeast => current.is_some_and(|c| c > wanted),
    };
    let mut would_give = Vec::new();
    for (index, r) in model.rules.iter().enumerate() {
        for e in &r.effects {
            let crate::model::EffectDef::Constrain {
                judgement: j,
                op,
                value: crate::model::Bound::Const(v),
            } = e
            else {
                continue;
            };
            if model.judgements.get(*j).map(|d| d.name.as_str()) != Some(def.name.as_str())
                || usize::from(*v) != wanted
                || !moves_to_wanted(op)
            {
                continue;
            }
            let fired =
                detail.is_some_and(|d| d.binding.iter().chain(&d.slack).any(|c| c.rule == r.id));
            if fired {
                continue;
            }
            let probe = probes.iter().find(|p| p.rule.index() == index);
            let result = match probe.map(|p| p.result) {
                Some(Tri::True) => RuleResult::Fired,
                Some(Tri::Unknown) => RuleResult::Undetermined,
                _ => RuleResult::NotFired,
            };
            let relation = match op {
                ConstraintOp::Equal => Relation::Equal,
                ConstraintOp::AtMost => Relation::AtMost,
                ConstraintOp::AtLeast => Relation::AtLeast,
            };
            would_give.push(Giver {
                rule: &r.id,
                cite: &r.cite,
                constraint: format!("{relation} {wanted_name}"),
                result,
                to_fire: probe
                    .and_then(|p| p.condition.as_ref())
                    .filter(|_| result != RuleResult::Fired)
                    .map(|seen| w.fix(seen, true)),
            });
        }
    }
    let not_made = detail.and_then(|d| d.not_made);
    // A judgement withheld: what would stop the withholding rule.
    let to_release = match not_made {
        Some(NotMade::WithheldBy(by)) => seen_by(by.rule, None).map(|seen| w.fix(seen, false)),
        _ => None,
    };
    Ok(WhyNot::Judgement(JudgementWhy {
        would_give,
        to_release,
        judgement: &def.name,
        wanted: wanted_name,
        value: outcome.judgement(&def.name),
        proposed: detail.and_then(|d| d.proposed),
        not_made,
        held_by,
    }))
}

/// Why the rule at `index` fired or did not. Its answer reads its own
/// conditions only: the others' are not recorded (on a long list, that
/// would be most of the time).
fn rule_answer<'r>(
    ruleset: &'r Ruleset,
    evidence: &serde_json::Value,
    index: usize,
    options: EvalOptions,
) -> Result<RuleWhy<'r>, WhyNotError> {
    let model = ruleset.model();
    let def = model
        .rules
        .get(crate::model::RuleId::from_index(index))
        .ok_or(WhyNotError::Eval(EvalError::Internal("rule not found")))?;
    let scope = ProbeScope::Rule(crate::model::RuleId::from_index(index));
    let (_, probes) = ruleset.evaluate_probing(evidence, options, scope)?;
    let w = Writer::new(ruleset);
    let attempts = probes
        .iter()
        .filter(|p| p.rule.index() == index)
        .map(|p| w.attempt(p))
        .collect();
    Ok(RuleWhy {
        rule: &def.id,
        cite: &def.cite,
        place: ruleset.sources().place(def.span),
        for_each: def.for_each.as_ref().map(|fe| fe.list_name.as_str()),
        attempts,
    })
}

/// Every action, finding and deadline the rules give, by kind and name,
/// once for each rule that gives it.
fn effects(model: &Model) -> impl Iterator<Item = (EffectKind, &str)> {
    model
        .rules
        .iter()
        .filter(|r| !r.is_check)
        .flat_map(|r| &r.effects)
        .filter_map(EffectKind::of)
}

/// The kinds of effect called `name` that some rule gives.
fn kinds_of(model: &Model, name: &str) -> Vec<EffectKind> {
    EffectKind::ALL
        .into_iter()
        .filter(|k| !givers(model, *k, name).is_empty())
        .collect()
}

/// "`action:x` or `finding:x`".
fn ask_as(kinds: &[EffectKind], name: &str) -> String {
    kinds
        .iter()
        .map(|k| format!("`{}:{name}`", k.as_str()))
        .collect::<Vec<_>>()
        .join(" or ")
}

/// The rules (not `invalid` checks) that give the `kind` of effect called
/// `name`, by index, in the order the ruleset declares them.
fn givers(model: &Model, kind: EffectKind, name: &str) -> Vec<usize> {
    model
        .rules
        .iter()
        .enumerate()
        .filter(|(_, r)| {
            !r.is_check
                && r.effects
                    .iter()
                    .any(|e| EffectKind::of(e) == Some((kind, name)))
        })
        .map(|(index, _)| index)
        .collect()
}

/// Why the `kind` of effect called `name` was or was not given: each rule
/// that gives it, answered as [`rule_answer`] answers it.
fn effect_answer<'r>(
    ruleset: &'r Ruleset,
    evidence: &serde_json::Value,
    kind: EffectKind,
    name: &str,
    options: EvalOptions,
) -> Result<WhyNot<'r>, WhyNotError> {
    let model = ruleset.model();
    let indexes = givers(model, kind, name);
    // The name as the model holds it, which lives as long as the ruleset.
    let held = effects(model)
        .find(|&(k, n)| k == kind && n == name)
        .map(|(_, n)| n);
    let Some(held) = held else {
        // The name of another kind of effect is said to be that.
        let kinds = kinds_of(model, name);
        let judgement_or_rule = model.judgements.iter().any(|j| j.name == name)
            || model.rules.iter().any(|r| r.id == name && !r.is_check);
        let suggestion = if kinds.is_empty() && judgement_or_rule {
            Some(format!(
                "`{name}` is the name of a rule or a judgement: ask `{name}` alone"
            ))
        } else if kinds.is_empty() {
            let names = effects(model).filter(|&(k, _)| k == kind).map(|(_, n)| n);
            crate::suggest::did_you_mean(name, names)
        } else {
            Some(format!(
                "it is the name of {}: ask {}",
                kinds_named(&kinds),
                ask_as(&kinds, name)
            ))
        };
        return Err(WhyNotError::UnknownEffect {
            kind,
            name: name.to_string(),
            ruleset: model.meta.name.clone(),
            suggestion,
        });
    };
    let rules = indexes
        .into_iter()
        .map(|index| rule_answer(ruleset, evidence, index, options))
        .collect::<Result<Vec<_>, _>>()?;
    // Given is what the outcome lists, not that a rule fired: a rule that
    // fires gives no action whose due date is not known.
    let outcome = ruleset.evaluate(evidence, options)?;
    let given_by: Vec<&str> = rules
        .iter()
        .map(|r| r.rule)
        .filter(|r| kind.given_in(&outcome, held, Some(r), None))
        .collect();
    Ok(WhyNot::Effect(EffectWhy {
        effect: kind,
        name: held,
        given: !given_by.is_empty(),
        given_by,
        rules,
    }))
}

struct Writer<'a> {
    ruleset: &'a Ruleset,
    model: &'a Model,
    /// The record of the elements the rule being worked back goes over
    /// (`for each`), for the scale of an element's field.
    elem: std::cell::Cell<Option<crate::types::RecordId>>,
    /// The element of an evidence list a quantifier's condition is being
    /// worked back on, while it is ([`Writer::quantified`]).
    at: std::cell::RefCell<Option<ElementAt>>,
}

/// An element of an evidence list of records, which a quantifier's
/// condition is being worked back on: its fields are named by their JSON
/// path (`requirements[1].met`), and their values now are those probing
/// read of it.
#[derive(Debug, Clone)]
struct ElementAt {
    slot: usize,
    list: String,
    index: usize,
    record: crate::types::RecordId,
    values: Vec<(String, String)>,
}

/// What working back from a part gives: the changes, or why there is none.
type Changes = Result<Vec<Change>, String>;

impl<'a> Writer<'a> {
    fn new(ruleset: &'a Ruleset) -> Writer<'a> {
        Writer {
            ruleset,
            model: ruleset.model(),
            elem: std::cell::Cell::new(None),
            at: std::cell::RefCell::new(None),
        }
    }

    fn text(&self, e: ExprId) -> String {
        self.model
            .expr_spans
            .get(e)
            .and_then(|s| self.ruleset.text_of(*s))
            .map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "))
            .unwrap_or_default()
    }

    fn attempt<'r>(&self, p: &Probe<'r>) -> Attempt<'r> {
        let elem = self
            .model
            .rules
            .get(p.rule)
            .and_then(|r| r.for_each.as_ref())
            .and_then(|fe| match fe.elem {
                crate::types::Elem::Record(rec) => Some(rec),
                _ => None,
            });
        self.elem.set(elem);
        let result = match p.result {
            Tri::True => RuleResult::Fired,
            Tri::False => RuleResult::NotFired,
            Tri::Unknown => RuleResult::Undetermined,
        };
        let to_fire = match (&p.condition, result) {
            (Some(seen), RuleResult::NotFired | RuleResult::Undetermined) => {
                Some(self.fix(seen, true))
            }
            _ => None,
        };
        Attempt {
            item: p.item.clone(),
            result,
            condition: p.condition.as_ref().map(|s| self.part(s)),
            to_fire,
        }
    }

    fn part<'r>(&self, s: &Seen<'r>) -> Part<'r> {
        let text = self.text(s.expr);
        // A `not` the rule file does not write (`x is none` is read as not
        // `x is set`) is one part, with the truth of the whole and the
        // values its inside read: shown as two, the inside would carry the
        // outer words with the opposite truth.
        if let Shape::Not(inner) = &s.shape {
            if self.text(inner.expr) == text {
                let values = if s.values.is_empty() {
                    inner.values.clone()
                } else {
                    s.values.clone()
                };
                return Part {
                    text,
                    truth: Truth::of(s.truth),
                    values,
                    connective: None,
                    parts: Vec::new(),
                    elements: elements(inner),
                };
            }
        }
        let (connective, parts) = match &s.shape {
            Shape::All(ps) => (
                Some(Connective::And),
                ps.iter().map(|p| self.part(p)).collect(),
            ),
            Shape::Any(ps) => (
                Some(Connective::Or),
                ps.iter().map(|p| self.part(p)).collect(),
            ),
            Shape::Not(p) => (Some(Connective::Not), vec![self.part(p)]),
            Shape::Compare { .. } | Shape::Leaf => (None, Vec::new()),
        };
        Part {
            text,
            truth: Truth::of(s.truth),
            values: s.values.clone(),
            connective,
            parts,
            elements: elements(s),
        }
    }

    /// What would make `s` come to `want`.
    fn fix(&self, s: &Seen<'_>, want: bool) -> Fix {
        match self.changes(s, want) {
            Ok(changes) if changes.is_empty() => Fix::NoSingleChange {
                reason: "its condition already holds as asked".into(),
            },
            Ok(changes) => Fix::Change {
                alternatives: self
                    .alternatives(s, want)
                    .into_iter()
                    .filter(|a| !a.is_empty() && *a != changes)
                    .take(MAX_ALTERNATIVES)
                    .collect(),
                changes,
                checked: Checked::Unchecked {
                    reason: "not yet evaluated again".into(),
                },
            },
            Err(reason) => Fix::NoSingleChange { reason },
        }
    }

    /// The ways of making `s` come to `want` that working back finds where
    /// one part is enough (a false part of an `and`, a true part of an
    /// `or`), each part's in turn, cheapest first; elsewhere the one way
    /// [`Writer::changes`] gives.
    fn alternatives(&self, s: &Seen<'_>, want: bool) -> Vec<Vec<Change>> {
        if s.truth == Some(Tri::from_bool(want)) {
            return vec![Vec::new()];
        }
        match &s.shape {
            Shape::All(parts) | Shape::Any(parts) if matches!(s.shape, Shape::All(_)) != want => {
                let cost = |c: &Vec<Change>| (c.len(), c.iter().map(|c| lever(&c.needs)).max());
                let mut ways: Vec<Vec<Change>> = Vec::new();
                for p in parts {
                    for way in self.alternatives(p, want) {
                        if !ways.contains(&way) {
                            ways.push(way);
                        }
                    }
                    if ways.len() > MAX_ALTERNATIVES * 2 {
                        break;
                    }
                }
                ways.sort_by_key(cost);
                ways
            }
            Shape::Not(inner) => self.alternatives(inner, !want),
            _ => self.changes(s, want).into_iter().collect(),
        }
    }

    fn changes(&self, s: &Seen<'_>, want: bool) -> Changes {
        if s.truth == Some(Tri::from_bool(want)) {
            return Ok(Vec::new());
        }
        match &s.shape {
            // Every part must hold (and true, or false): all that do not change.
            Shape::All(parts) if want => self.every(parts, want),
            Shape::Any(parts) if !want => self.every(parts, want),
            // One part is enough: the one needing fewest changes.
            Shape::All(parts) | Shape::Any(parts) => self.cheapest(parts, want),
            Shape::Not(inner) => self.changes(inner, !want),
            Shape::Compare {
                op,
                lhs,
                rhs,
                values,
                known,
            } => {
                let op = if want { *op } else { negate(*op) };
                let Some((l, r)) = values else {
                    return Err(format!("`{}` could not be evaluated", self.text(s.expr)));
                };
                let first = self.invert(*lhs, op, r, known, Vec::new());
                let second = || self.invert(*rhs, op.flipped(), l, known, Vec::new());
                match first {
                    // Rather not the record's own date (`as at`, `evaluated
                    // on`), where the other side can change instead.
                    Ok(c) if self.moves_the_record(&c) => match second() {
                        Ok(other) if !self.moves_the_record(&other) => Ok(other),
                        _ => Ok(c),
                    },
                    Ok(c) => Ok(c),
                    Err(why) => match second() {
                        Ok(other) => Ok(other),
                        Err(_) => Err(why),
                    },
                }
            }
            Shape::Leaf => match self.model.exprs.get(s.expr) {
                Some(&Node::Quantified {
                    quantifier,
                    list,
                    slot,
                    cond,
                }) => self.quantified(s, quantifier, list, slot, cond, want),
                _ => self.leaf(s.expr, want, s.truth, &s.known),
            },
        }
    }

    /// What would make `every`, `some` or `no X in L satisfies C` come to
    /// `want`, from what `C` came to on each element of an evidence list
    /// of records: where every element must change (`every` true, `some`
    /// false, `no` true), the changes of each that must; where one is
    /// enough, the element needing fewest. Each element's fields are named
    /// by their JSON path.
    fn quantified(
        &self,
        s: &Seen<'_>,
        quantifier: Quantifier,
        list: ExprId,
        slot: usize,
        cond: ExprId,
        want: bool,
    ) -> Changes {
        let text = self.text(s.expr);
        let computed = || format!("`{text}` asks of a list the ruleset computes");
        let Some(Node::Field(f)) = self.model.exprs.get(list) else {
            return Err(computed());
        };
        let def = self.model.fields.get(*f).ok_or_else(computed)?;
        let Type::List(crate::types::Elem::Record(record)) = def.ty else {
            return Err(format!("`{text}` asks of a list of plain values"));
        };
        // What each element's condition must come to, and whether every
        // element must (else one is enough).
        let (each, all) = match (quantifier, want) {
            (Quantifier::Every, true) => (true, true),
            (Quantifier::Every, false) => (false, false),
            (Quantifier::Some, true) => (true, false),
            (Quantifier::Some, false) => (false, true),
            (Quantifier::No, true) => (false, true),
            (Quantifier::No, false) => (true, false),
        };
        let elements: Vec<(&Seen<'_>, usize)> = s
            .within
            .iter()
            .filter(|w| w.expr == cond)
            .filter_map(|w| Some((w, w.element.as_ref()?.index)))
            .collect();
        if elements.is_empty() {
            return Err(format!("`{text}` is over a list with no elements recorded"));
        }
        let on = |w: &Seen<'_>, index: usize| {
            let values = w
                .values
                .iter()
                .map(|v| (v.name.to_string(), v.value.clone()))
                .collect();
            let saved = self.at.replace(Some(ElementAt {
                slot,
                list: def.name.clone(),
                index,
                record,
                values,
            }));
            let changes = self.changes(w, each);
            self.at.replace(saved);
            changes
        };
        if all {
            let mut out = Vec::new();
            for (w, index) in elements {
                out.extend(on(w, index)?);
            }
            return Ok(out);
        }
        fewest(
            elements.into_iter().map(|(w, index)| on(w, index)),
            "no element can change",
        )
    }

    /// A field of the element a quantifier is being worked back on
    /// (`requirements[1].met`): its name, type and value now.
    fn element_field(&self, e: ExprId) -> Option<(String, Type, Option<String>)> {
        let at = self.at.borrow();
        let at = at.as_ref()?;
        let Some(Node::Var {
            slot,
            field: Some(field),
        }) = self.model.exprs.get(e)
        else {
            return None;
        };
        if *slot != at.slot {
            return None;
        }
        let def = self.model.records.get(at.record)?.fields.get(*field)?;
        let name = format!("{}[{}].{}", at.list, at.index, def.name);
        let now = at
            .values
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.clone());
        Some((name, def.ty, now))
    }

    fn every(&self, parts: &[Seen<'_>], want: bool) -> Changes {
        let mut out = Vec::new();
        for p in parts {
            out.extend(self.changes(p, want)?);
        }
        // `X is set and X > D`: the value another part needs of X sets it
        // too, so "X set" says nothing more.
        let valued: Vec<String> = out
            .iter()
            .filter(|c| !matches!(c.needs, Need::Set | Need::NotSet))
            .map(|c| c.field.clone())
            .collect();
        out.retain(|c| !(c.needs == Need::Set && valued.contains(&c.field)));
        moment::merge(&mut out);
        // A part that already comes to `want` must stay so: where a change
        // for another part moves the same field (`inspection.kind is full or
        // monitoring_visit`, both to be false; `caution.subject is set and
        // caution.subject is not registered_provider`, both to be true), the
        // value asked for must keep every such part as it is.
        let kept: Vec<(Change, &Seen<'_>)> = parts
            .iter()
            .filter(|p| p.truth == Some(Tri::from_bool(want)))
            .flat_map(|p| self.kept(p, want).into_iter().map(move |k| (k, p)))
            .collect();
        for c in &mut out {
            let on_field: Vec<&(Change, &Seen<'_>)> =
                kept.iter().filter(|(k, _)| k.field == c.field).collect();
            let keeps: Vec<Need> = on_field.iter().map(|(k, _)| k.needs.clone()).collect();
            c.needs = narrow::narrow(&self.choices(&c.field), &c.needs, &keeps).map_err(|i| {
                let part = on_field.get(i).map(|(_, p)| self.text(p.expr));
                format!(
                    "changing `{}` for one part would make `{}` {}",
                    c.field,
                    part.unwrap_or_default(),
                    !want
                )
            })?;
        }
        Ok(out)
    }

    /// What keeps a part that is one test (or `not` one test) at `want`:
    /// the value its field must keep; nothing for any other part.
    fn kept(&self, p: &Seen<'_>, want: bool) -> Vec<Change> {
        match &p.shape {
            Shape::Leaf => self
                .leaf(p.expr, want, p.truth, &p.known)
                .unwrap_or_default(),
            Shape::Not(inner) => self.kept(inner, !want),
            _ => Vec::new(),
        }
    }

    /// The values of evidence field `field` (or of the `for each`
    /// element's, `s.outcome`) when it is a scale or choice; none otherwise.
    fn choices(&self, field: &str) -> Vec<String> {
        let evidence = self
            .model
            .fields
            .iter()
            .find(|d| d.name == field)
            .map(|d| d.ty);
        let element = || {
            let (_, name) = field.split_once('.')?;
            let record = self.model.records.get(self.elem.get()?)?;
            record.fields.iter().find(|d| d.name == name).map(|d| d.ty)
        };
        match evidence.or_else(element) {
            Some(Type::Enum { id, .. }) => self
                .model
                .enums
                .get(id)
                .map(|e| e.values.clone())
                .unwrap_or_default(),
            _ => Vec::new(),
        }
    }

    /// Of parts any one of which would do, the one needing fewest changes;
    /// of those, the one whose changes move a date or a number past a
    /// bound before one that flips a yes/no or sets a value, and that
    /// before one that changes a choice: the kind of inspection or setting
    /// is a fact about the case, where a date or a count is what the rule
    /// weighs (a vacancy's start, not the kind of inspection).
    fn cheapest(&self, parts: &[Seen<'_>], want: bool) -> Changes {
        fewest(
            parts.iter().map(|p| self.changes(p, want)),
            "no part can change",
        )
    }

    /// A part that is not a comparison: a yes/no field, `is set`, `is V`.
    /// `known`: the values under it, for the value its field has now.
    fn leaf(
        &self,
        e: ExprId,
        want: bool,
        truth: Option<Tri>,
        known: &[(ExprId, Value)],
    ) -> Changes {
        let text = self.text(e);
        let now = |yes: &str, no: &str| match truth {
            Some(Tri::True) => yes.to_string(),
            Some(Tri::False) => no.to_string(),
            _ => "unknown".to_string(),
        };
        match self.model.exprs.get(e) {
            Some(Node::Field(_) | Node::Var { .. }) => {
                let field = self
                    .evidence_name(e)
                    .ok_or_else(|| format!("`{text}` is not one value of the evidence"))?;
                Ok(vec![Change {
                    field,
                    now: now("true", "false"),
                    needs: Need::Exactly(Amount::Bool(want)),
                    via: Vec::new(),
                }])
            }
            Some(Node::IsSet(inner)) => {
                let field = self
                    .evidence_name(*inner)
                    .ok_or_else(|| format!("`{text}` is not one value of the evidence"))?;
                Ok(vec![Change {
                    field,
                    now: self
                        .shown(*inner, known)
                        .unwrap_or_else(|| now("set", "none")),
                    needs: if want { Need::Set } else { Need::NotSet },
                    via: Vec::new(),
                }])
            }
            Some(Node::IsValue { expr, op, value }) => {
                let element = self.element_field(*expr);
                let (name, scale) = match self.model.exprs.get(*expr) {
                    Some(Node::Field(f)) => {
                        let def = self.model.fields.get(*f).ok_or_else(|| text.clone())?;
                        let Type::Enum { id, .. } = def.ty else {
                            return Err(format!("`{text}` is not one value of the evidence"));
                        };
                        (def.name.clone(), id)
                    }
                    // A field of an element a quantifier asks of.
                    Some(Node::Var { .. }) if element.is_some() => {
                        let Some((name, Type::Enum { id, .. }, _)) = element else {
                            return Err(format!("`{text}` is not one value of the evidence"));
                        };
                        (name, id)
                    }
                    // A field of the `for each` element, as written (`s.outcome`).
                    Some(Node::Var {
                        slot: 0,
                        field: Some(field),
                    }) => {
                        let Some(Type::Enum { id, .. }) = self.elem_field_type(*field) else {
                            return Err(format!("`{text}` is not one value of the evidence"));
                        };
                        (self.text(*expr), id)
                    }
                    Some(Node::Judgement(j)) => {
                        let name = self
                            .model
                            .judgements
                            .get(*j)
                            .map(|d| d.name.clone())
                            .unwrap_or_default();
                        return Err(format!(
                            "`{text}` reads the judgement {name}, which rules decide: ask why not {name}=VALUE"
                        ));
                    }
                    _ => return Err(format!("`{text}` is not one value of the evidence")),
                };
                let names = self
                    .model
                    .enums
                    .get(scale)
                    .map(|s| s.values.clone())
                    .unwrap_or_default();
                let at = |i: u16| {
                    names
                        .get(usize::from(i))
                        .cloned()
                        .map(Amount::Name)
                        .ok_or_else(|| text.clone())
                };
                // Rank 0 is best: `is at most V` holds for ranks from V's down.
                let needs = match (op, want) {
                    (ConstraintOp::Equal, true) => Need::Exactly(at(*value)?),
                    (ConstraintOp::Equal, false) => Need::Other(at(*value)?),
                    (ConstraintOp::AtMost, true) => Need::AtMost(at(*value)?),
                    (ConstraintOp::AtMost, false) => match value.checked_sub(1) {
                        Some(better) => Need::AtLeast(at(better)?),
                        None => return Err(format!("`{text}` holds for every value")),
                    },
                    (ConstraintOp::AtLeast, true) => Need::AtLeast(at(*value)?),
                    (ConstraintOp::AtLeast, false) => match value.checked_add(1) {
                        Some(worse) if usize::from(worse) < names.len() => Need::AtMost(at(worse)?),
                        _ => return Err(format!("`{text}` holds for every value")),
                    },
                };
                Ok(vec![Change {
                    now: self.shown(*expr, known).unwrap_or_default(),
                    field: name,
                    needs,
                    via: Vec::new(),
                }])
            }
            // A let that is one test of one value (`let monitoring_visit =
            // inspection.kind is monitoring`): that value, so that the let
            // is what is wanted.
            Some(Node::Let(_)) => {
                let mut e = e;
                let mut via = Vec::new();
                while let Some(Node::Let(l)) = self.model.exprs.get(e) {
                    let def = self.model.lets.get(*l).ok_or_else(|| text.clone())?;
                    via.push(format!("{} {want}", def.name));
                    e = def.expr;
                }
                match self.model.exprs.get(e) {
                    Some(
                        Node::Field(_) | Node::Var { .. } | Node::IsSet(_) | Node::IsValue { .. },
                    ) => {
                        let mut changes = self.leaf(e, want, truth, known)?;
                        for c in &mut changes {
                            c.via.extend(via.iter().cloned());
                        }
                        Ok(changes)
                    }
                    Some(Node::Const(v)) => Err(format!(
                        "`{text}` is {} in the ruleset itself, whatever the evidence",
                        crate::show::show(self.model, crate::types::Type::Bool, v)
                    )),
                    _ => Err(format!("`{text}` is derived from several values")),
                }
            }
            Some(Node::Judgement(_)) => Err(format!("`{text}` is a judgement, which rules decide")),
            _ => Err(format!("`{text}` is computed from several values")),
        }
    }

    /// The name of an evidence field, or of a field of the `for each`
    /// element as written (`absence.planned`).
    fn evidence_name(&self, e: ExprId) -> Option<String> {
        if let Some((name, _, _)) = self.element_field(e) {
            return Some(name);
        }
        match self.model.exprs.get(e)? {
            Node::Field(f) => self.model.fields.get(*f).map(|d| d.name.clone()),
            Node::Var {
                slot: 0,
                field: Some(_),
            } => Some(self.text(e)),
            _ => None,
        }
    }

    /// The value of evidence field (or element field) `e` as shown, from
    /// the values probing recorded.
    fn shown(&self, e: ExprId, known: &[(ExprId, Value)]) -> Option<String> {
        if let Some((_, _, now)) = self.element_field(e) {
            return now;
        }
        let (_, v) = known.iter().find(|(k, _)| *k == e)?;
        let ty = match self.model.exprs.get(e)? {
            Node::Field(f) => self.model.fields.get(*f)?.ty,
            Node::Var {
                slot: 0,
                field: Some(field),
            } => self.elem_field_type(*field)?,
            _ => return None,
        };
        Some(show(self.model, ty, v))
    }

    /// The type of field `field` of the element the rule goes over.
    fn elem_field_type(&self, field: usize) -> Option<Type> {
        let record = self.model.records.get(self.elem.get()?)?;
        record.fields.get(field).map(|d| d.ty)
    }

    /// A value of a scale or choice as its name, which a change is said in;
    /// any other value as it is.
    fn named(&self, ty: Type, v: &Value) -> Value {
        match (ty, v) {
            (Type::Enum { id, .. }, Value::Enum(rank)) => self
                .model
                .enums
                .get(id)
                .and_then(|e| e.values.get(usize::from(*rank)))
                .map_or_else(|| v.clone(), |name| Value::Text(name.as_str().into())),
            _ => v.clone(),
        }
    }

    /// Whether the changes touch the record's `as at` or `evaluated on` date.
    fn moves_the_record(&self, changes: &[Change]) -> bool {
        let meta = &self.model.meta;
        let dates: Vec<&str> = [meta.as_at, meta.evaluated_on]
            .into_iter()
            .flatten()
            .filter_map(|f| self.model.fields.get(f).map(|d| d.name.as_str()))
            .collect();
        changes.iter().any(|c| dates.contains(&c.field.as_str()))
    }

    /// What `e` would need to be for `e op target` to hold, worked back
    /// through lets and sums to an evidence field.
    fn invert(
        &self,
        e: ExprId,
        op: Cmp,
        target: &Value,
        known: &[(ExprId, Value)],
        mut via: Vec<String>,
    ) -> Changes {
        let text = self.text(e);
        let value_of = |id: ExprId| known.iter().find(|(k, _)| *k == id).map(|(_, v)| v);
        if matches!(target, Value::Unknown | Value::None) {
            return Err(format!("the other side of `{text}` has no value"));
        }
        // A field of an element a quantifier asks of.
        if let Some((field, ty, now)) = self.element_field(e) {
            return Ok(vec![Change {
                field,
                now: now.unwrap_or_default(),
                needs: need(op, &self.named(ty, target)).ok_or_else(|| text.clone())?,
                via,
            }]);
        }
        match self.model.exprs.get(e) {
            Some(Node::Field(f)) => {
                let def = self.model.fields.get(*f).ok_or_else(|| text.clone())?;
                let now = value_of(e)
                    .map(|v| show(self.model, def.ty, v))
                    .unwrap_or_else(|| "unknown".into());
                Ok(vec![Change {
                    field: def.name.clone(),
                    now,
                    needs: need(op, &self.named(def.ty, target)).ok_or_else(|| text.clone())?,
                    via,
                }])
            }
            Some(Node::Var {
                slot: 0,
                field: Some(field),
            }) => {
                let ty = self.elem_field_type(*field).unwrap_or(Type::Bool);
                Ok(vec![Change {
                    field: text.clone(),
                    now: value_of(e)
                        .map(|v| show(self.model, ty, v))
                        .unwrap_or_default(),
                    needs: need(op, &self.named(ty, target)).ok_or_else(|| text.clone())?,
                    via,
                }])
            }
            Some(Node::Let(l)) => {
                let def = self.model.lets.get(*l).ok_or_else(|| text.clone())?;
                if let Some(n) = need(op, target) {
                    via.push(format!("{} {n}", def.name));
                }
                self.invert(def.expr, op, target, known, via)
                    .map_err(|_| format!("`{}` is derived", def.name))
            }
            Some(Node::Arith(arith, a, b)) => {
                let (Some(va), Some(vb)) = (value_of(*a), value_of(*b)) else {
                    return Err(format!("`{text}` could not be evaluated"));
                };
                let (left, right) = match arith {
                    // a + b op T: a op T - b, or b op T - a.
                    Arith::AddSame | Arith::DateAddDays => {
                        (sub(target, vb), sub(target, va).map(|v| (op, v)))
                    }
                    // a - b op T: a op T + b, or b (flipped) a - T.
                    Arith::SubSame | Arith::DateSubDays | Arith::DateDiff => {
                        (add(target, vb), sub(va, target).map(|v| (op.flipped(), v)))
                    }
                    _ => return Err(format!("`{text}` counts calendar months or working days")),
                };
                let first = match left {
                    Some(t) => self.invert(*a, op, &t, known, via.clone()),
                    None => Err(text.clone()),
                };
                let second = match right {
                    Some((op2, t)) => self.invert(*b, op2, &t, known, via),
                    None => Err(text.clone()),
                };
                // Both sides could change: rather not the date that picks
                // the edition or the day of evaluation (the inspection's
                // own dates), but the evidence measured against them.
                match (first, second) {
                    (Ok(x), Ok(y)) if self.moves_the_record(&x) && !self.moves_the_record(&y) => {
                        Ok(y)
                    }
                    (Ok(x), _) => Ok(x),
                    (Err(_), Ok(y)) => Ok(y),
                    (Err(why), Err(_)) => Err(why),
                }
            }
            // `days from a to b` is b - a + 1 days: the end moves, or else the start.
            Some(Node::DaysBetween(a, b)) => {
                let (Some(va), Some(vb), Value::Days(t)) = (value_of(*a), value_of(*b), target)
                else {
                    return Err(format!("`{text}` could not be evaluated"));
                };
                let less = Value::Days(t.saturating_sub(1));
                let end = match add(va, &less) {
                    Some(v) => self.invert(*b, op, &v, known, via.clone()),
                    None => Err(text.clone()),
                };
                match end {
                    Ok(c) => Ok(c),
                    Err(why) => match sub(vb, &less) {
                        Some(v) => self.invert(*a, op.flipped(), &v, known, via),
                        None => Err(why),
                    },
                }
            }
            // `time of X` or `date of X`: the moment X would need, on X's
            // own day or at X's own time.
            Some(Node::Calendar(cal @ (CalendarOp::TimeOf | CalendarOp::DateOf), x)) => {
                let (op, at) = match value_of(*x) {
                    Some(Value::DateTime(moment)) => moment::needed(*cal, op, *moment, target)
                        .ok_or_else(|| {
                            format!("`{text}` would need only to differ: no one moment")
                        })?,
                    // X not known: a bound on its day needs no time of
                    // its own (the first or last moment of the day will
                    // do); anything else needs the day or time X has.
                    _ => moment::needed_of_unknown(*cal, op, target).ok_or_else(|| {
                        let rest = match cal {
                            CalendarOp::TimeOf => "on the day it happened",
                            _ => "at the time it happened",
                        };
                        format!(
                            "`{}` is not known: recording it {}, {rest}, would decide this part",
                            self.text(*x),
                            moment::wanted(*cal, op, target)
                        )
                    })?,
                };
                self.invert(*x, op, &Value::DateTime(at), known, via)
            }
            Some(Node::Threshold(t)) => {
                let name = self
                    .model
                    .thresholds
                    .get(*t)
                    .map(|d| d.name.clone())
                    .unwrap_or_default();
                Err(format!(
                    "`{name}` is a threshold of the ruleset, not evidence"
                ))
            }
            Some(Node::Const(_)) => Err(format!("`{text}` is written in the rule")),
            _ => Err(format!("`{text}` is computed from several values")),
        }
    }
}

/// `not (a op b)` is `a (negate op) b`.
fn negate(op: Cmp) -> Cmp {
    match op {
        Cmp::Eq => Cmp::Ne,
        Cmp::Ne => Cmp::Eq,
        Cmp::Lt => Cmp::Ge,
        Cmp::Le => Cmp::Gt,
        Cmp::Gt => Cmp::Le,
        Cmp::Ge => Cmp::Lt,
    }
}

/// The nearest value `x` with `x op target`.
fn need(op: Cmp, target: &Value) -> Option<Need> {
    let amount = amount_of(target)?;
    Some(match op {
        Cmp::Ge => Need::AtLeast(amount),
        Cmp::Le => Need::AtMost(amount),
        Cmp::Gt => Need::AtLeast(step(target, 1).and_then(|v| amount_of(&v))?),
        Cmp::Lt => Need::AtMost(step(target, -1).and_then(|v| amount_of(&v))?),
        Cmp::Eq => Need::Exactly(amount),
        Cmp::Ne => Need::Other(amount),
    })
}

fn amount_of(v: &Value) -> Option<Amount> {
    Some(match v {
        Value::Number(n) => Amount::Number(*n),
        Value::Days(n) => Amount::Days(*n),
        Value::Months(n) => Amount::Months(*n),
        Value::WorkingDays(n) => Amount::WorkingDays(*n),
        Value::Date(d) => Amount::Date(*d),
        Value::DateTime(d) => Amount::DateTime(*d),
        Value::Time(t) => Amount::Time(*t),
        Value::Bool(b) => Amount::Bool(*b),
        Value::Text(t) => Amount::Name(t.to_string()),
        _ => return None,
    })
}

/// One unit (a day, a month, one; a second for a time, which evidence may
/// give to the second) above or below.
fn step(v: &Value, by: i64) -> Option<Value> {
    Some(match v {
        Value::DateTime(d) => Value::DateTime(d.checked_add_signed(TimeDelta::try_seconds(by)?)?),
        Value::Time(t) => {
            let (moved, wrapped) = t.overflowing_add_signed(TimeDelta::try_seconds(by)?);
            if wrapped != 0 {
                return None;
            }
            Value::Time(moved)
        }
        Value::Number(n) => Value::Number(n.checked_add(by)?),
        Value::Days(n) => Value::Days(n.checked_add(by)?),
        Value::Months(n) => Value::Months(n.checked_add(by)?),
        Value::WorkingDays(n) => Value::WorkingDays(n.checked_add(by)?),
        Value::Date(d) => Value::Date(add_days(*d, by)?),
        _ => return None,
    })
}

/// `a + b` of a quantity, or of a date and days.
fn add(a: &Value, b: &Value) -> Option<Value> {
    Some(match (a, b) {
        (Value::Number(x), Value::Number(y)) => Value::Number(x.checked_add(*y)?),
        (Value::Days(x), Value::Days(y)) => Value::Days(x.checked_add(*y)?),
        (Value::Months(x), Value::Months(y)) => Value::Months(x.checked_add(*y)?),
        (Value::Date(d), Value::Days(n)) | (Value::Days(n), Value::Date(d)) => {
            Value::Date(add_days(*d, *n)?)
        }
        _ => return None,
    })
}

/// `a - b` of a quantity, of a date and days, or of two dates (days).
fn sub(a: &Value, b: &Value) -> Option<Value> {
    Some(match (a, b) {
        (Value::Number(x), Value::Number(y)) => Value::Number(x.checked_sub(*y)?),
        (Value::Days(x), Value::Days(y)) => Value::Days(x.checked_sub(*y)?),
        (Value::Months(x), Value::Months(y)) => Value::Months(x.checked_sub(*y)?),
        (Value::Date(d), Value::Days(n)) => Value::Date(add_days(*d, n.checked_neg()?)?),
        (Value::Date(x), Value::Date(y)) => Value::Days((*x - *y).num_days()),
        _ => return None,
    })
}

/// How far a change is from what a rule weighs, least first: a bound on a
/// date, a number or a span; a yes/no, or a value set or left out; a value
/// of a choice or a scale.
fn lever(need: &Need) -> u8 {
    match need {
        Need::AtLeast(_) | Need::AtMost(_) => 0,
        Need::Exactly(Amount::Name(_)) | Need::Other(_) => 2,
        Need::Exactly(_) | Need::Set | Need::NotSet => 1,
    }
}
