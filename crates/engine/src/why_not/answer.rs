//! The answer's parts: what was asked about, each part of a condition
//! with the values it read, the changes that would make a rule fire or
//! release a judgement, and how each was checked. Serialised as
//! `judgement explain --why-not --json` prints them.

use crate::outcome::{serial, Constraint, Item, NotMade, ReadValue, RuleResult};
use crate::show::{date_str, datetime_str, time_str};
use crate::value::Tri;
use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use serde::{Serialize, Serializer};
use std::fmt;

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
    /// The rule on the record, or on each element (none: the list gave
    /// none).
    pub attempts: Vec<Attempt<'r>>,
    /// A `for each` rule over a list of the evidence that ran for no
    /// element: the record gave the list none (it was empty, `null` or left
    /// out; a list of the evidence is never unknown). False for a rule
    /// with elements, or over a sequence of months, whose ends may not be
    /// known.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub empty_list: bool,
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
    /// It could not be evaluated on its own: evaluating it alone failed
    /// (it reads a let whose working out failed, say). A comparison of a
    /// value that is none is `False`, as evaluation takes it.
    NotEvaluated,
}

impl Truth {
    pub(super) fn of(t: Option<Tri>) -> Truth {
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
    /// Working back found no change of one evidence value that would do
    /// it, and says why; nor did the search of one-field changes that
    /// follows it, whose count the reason ends with where it tried any.
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
    /// Text that is not blank: set, and not `""` or nothing but spaces
    /// (`T is not empty`). Checked with one such text.
    NotBlank,
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
            Need::NotBlank => f.write_str("any text that is not blank"),
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
    pub(super) const ALL: [EffectKind; 3] = [
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
    pub(crate) fn of(effect: &crate::model::EffectDef) -> Option<(EffectKind, &str)> {
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
