//! Each change why-not offers, checked: the record is edited as the change
//! says and evaluated again, and the rule is asked whether it now fires (or,
//! for a change that would release a cap or floor, whether it now does
//! not). Working back a condition part by part cannot see everything the
//! record's evaluation does: a change of the kind of inspection that makes
//! one part hold can also move a judgement another part reads. Evaluating
//! again settles it.

use super::{Amount, Change, Checked, Failure, Fix, Need, WhyNot};
use crate::eval::ProbeScope;
use crate::model::{FieldDef, ForEachDef, Model, Node, RuleDef, RuleId};
use crate::types::Type;
use crate::value::Tri;
use crate::{EvalOptions, Ruleset};
use serde_json::Value as Json;

/// At most this many records are evaluated again for one answer's change
/// (a change to "anything but V" is tried with every other value).
const MAX_TRIES: usize = 32;

/// The changes of at most this many elements of a `for each` rule (those
/// that need one), and of a judgement's caps and floors, are evaluated
/// again: each evaluation reads the whole record, so checking every element
/// of a long list would take time growing with the square of its length.
/// The later ones' changes are given as working back found them, and said
/// to be unchecked.
const MAX_CHECKED_ELEMENTS: usize = 20;

/// What a fix is checked against.
pub(super) struct Goal<'a> {
    pub rule: &'a str,
    /// The `for each` element the rule was on, by its id.
    pub item: Option<&'a str>,
    /// Fire (`true`), or stop firing (`false`).
    pub fire: bool,
    /// The judgement a release is asked for: it must then be made, or the
    /// change does not give it any value, let alone the one asked about.
    pub made: Option<&'a str>,
    /// The edition was chosen by the record's date: a change must keep the
    /// date within its period in force.
    pub dated: bool,
    /// The action, finding or deadline asked about (`action:NAME`): firing
    /// is not enough unless the outcome then lists it from the rule.
    pub effect: Option<(super::EffectKind, &'a str)>,
}

/// Check the changes of `why` by evaluating the record again with each:
/// every one, but for those past the first `MAX_CHECKED_ELEMENTS` elements
/// of a rule (or caps and floors of a judgement), said to be unchecked.
/// Where working back found no single change, one is searched for
/// (`search::one_change`), within a budget for the whole question.
/// `dated`: the edition was chosen by the record's date, and a change must
/// keep it in the edition's period in force.
pub(super) fn check_all(
    ruleset: &Ruleset,
    evidence: &Json,
    options: EvalOptions,
    dated: bool,
    why: &mut WhyNot<'_>,
) {
    let options = EvalOptions {
        trace: false,
        ..options
    };
    // The records the searches of this question may still evaluate.
    let left = std::cell::Cell::new(super::search::budget(evidence));
    let check_fix = |fix: &mut Option<Fix>, goal: Goal<'_>| {
        if let Some(Fix::NoSingleChange { reason }) = fix {
            let mut tried = 0;
            match super::search::one_change(ruleset, evidence, options, &goal, &left, &mut tried) {
                Some(change) => {
                    *fix = Some(Fix::Change {
                        changes: vec![change],
                        checked: Checked::Holds,
                        alternatives: Vec::new(),
                    });
                }
                None if tried > 0 => {
                    reason.push_str(&format!(
                        "; a search of {tried} one-field changes, each evaluated again, found none either"
                    ));
                }
                None => {}
            }
            return;
        }
        if let Some(Fix::Change {
            changes,
            checked,
            alternatives,
        }) = fix
        {
            *checked = check(ruleset, evidence, options, changes, &goal);
            // Not borne out: the next way working back found that is (a
            // requirement met, where dropping the previous judgement would
            // leave none to make) takes its place.
            if *checked != Checked::Holds {
                let borne_out = alternatives
                    .iter()
                    .position(|a| check(ruleset, evidence, options, a, &goal) == Checked::Holds);
                if let Some(i) = borne_out {
                    *changes = alternatives.swap_remove(i);
                    *checked = Checked::Holds;
                }
            }
            alternatives.clear();
            if *checked == Checked::Holds {
                fewest(changes, |fewer| {
                    check(ruleset, evidence, options, fewer, &goal) == Checked::Holds
                });
            }
        }
    };
    let check_rule = |r: &mut super::RuleWhy<'_>, effect: Option<(super::EffectKind, &str)>| {
        // Counted among the elements that need a change: those where
        // the rule fired already take none of the checks.
        let changing = |a: &super::Attempt<'_>| matches!(a.to_fire, Some(Fix::Change { .. }));
        let elements = r.attempts.iter().filter(|a| changing(a)).count();
        let mut n = 0;
        for a in &mut r.attempts {
            let goal = |item| Goal {
                rule: r.rule,
                item,
                fire: true,
                made: None,
                dated,
                effect,
            };
            // Searched for, within the question's budget.
            if matches!(a.to_fire, Some(Fix::NoSingleChange { .. })) {
                check_fix(&mut a.to_fire, goal(a.item.as_deref()));
                continue;
            }
            if !changing(a) {
                continue;
            }
            n += 1;
            if n > MAX_CHECKED_ELEMENTS {
                past_the_limit(
                    &mut a.to_fire,
                    &format!("{elements} elements that need one"),
                );
                continue;
            }
            check_fix(&mut a.to_fire, goal(a.item.as_deref()));
        }
    };
    match why {
        WhyNot::Rule(r) => check_rule(r, None),
        WhyNot::Effect(e) => {
            let effect = Some((e.effect, e.name));
            for r in &mut e.rules {
                check_rule(r, effect);
            }
        }
        WhyNot::Judgement(j) => {
            if let Some(crate::outcome::NotMade::WithheldBy(by)) = j.not_made {
                let goal = Goal {
                    rule: by.rule,
                    item: None,
                    fire: false,
                    made: Some(j.judgement),
                    dated,
                    effect: None,
                };
                check_fix(&mut j.to_release, goal);
            }
            let holders = j.held_by.len();
            for (n, h) in j.held_by.iter_mut().enumerate() {
                // A cap or floor of a `for each` rule is held once for each
                // element it fired on: as for a rule's elements, only the
                // first ones are checked.
                if n >= MAX_CHECKED_ELEMENTS {
                    past_the_limit(&mut h.to_release, &format!("{holders} caps and floors"));
                    continue;
                }
                let goal = Goal {
                    rule: h.constraint.rule,
                    item: h.constraint.item.as_deref(),
                    fire: false,
                    made: Some(j.judgement),
                    dated,
                    effect: None,
                };
                check_fix(&mut h.to_release, goal);
            }
            for g in &mut j.would_give {
                let goal = Goal {
                    rule: g.rule,
                    item: None,
                    fire: true,
                    made: None,
                    dated,
                    effect: None,
                };
                check_fix(&mut g.to_fire, goal);
            }
        }
    }
}

/// A change past the first `MAX_CHECKED_ELEMENTS`, said to be unchecked;
/// `of` is what it is one of (`25 caps and floors`).
fn past_the_limit(fix: &mut Option<Fix>, of: &str) {
    if let Some(Fix::Change { checked, .. }) = fix {
        *checked = unchecked(format!(
            "only the changes for the first {MAX_CHECKED_ELEMENTS} of the {of} are"
        ));
    }
}

/// Leave out each change that the others do without: working back asks
/// every false part of an `and` to change, but a change for one part can
/// make another true as well (a requirement not met both shuts the gate
/// and is the finding's own subject). `enough` says whether a set of
/// changes still does what the answer says.
fn fewest(changes: &mut Vec<Change>, enough: impl Fn(&[Change]) -> bool) {
    let mut i = 0;
    while changes.len() > 1 && i < changes.len() {
        let mut fewer = changes.clone();
        fewer.remove(i);
        if enough(&fewer) {
            *changes = fewer;
        } else {
            i += 1;
        }
    }
}

/// Evaluate the record again with `changes` made, and say whether the rule
/// then does what the answer says it would.
pub(super) fn check(
    ruleset: &Ruleset,
    evidence: &Json,
    options: EvalOptions,
    changes: &[Change],
    goal: &Goal<'_>,
) -> Checked {
    let model = ruleset.model();
    let Some((index, def)) = model
        .rules
        .iter()
        .enumerate()
        .find(|(_, r)| r.id == goal.rule && !r.is_check)
    else {
        return unchecked(format!("no rule `{}`", goal.rule));
    };
    // Each record to try, with the values it was given where the answer
    // allows more than one ("anything but full").
    let mut records = vec![(evidence.clone(), Vec::<String>::new())];
    for c in changes {
        let (at, values) = match (
            place(model, def, goal.item, evidence, c),
            values(model, def, c),
        ) {
            (Ok(at), Ok(values)) => (at, values),
            (Err(why), _) | (_, Err(why)) => return unchecked(why),
        };
        // "Anything but" the one value a choice has: nothing to try, and
        // no record to say the change holds.
        if values.is_empty() {
            return unchecked(format!("`{}` can hold no other value to try", c.field));
        }
        if records.len().saturating_mul(values.len()) > MAX_TRIES {
            return unchecked("too many values would have to be tried".into());
        }
        // One value: each record is changed where it is, not copied (a
        // copy of a record with a long list is most of a check's time).
        if let [v] = values.as_slice() {
            for (r, _) in &mut records {
                set(r, &at, v.clone());
            }
            continue;
        }
        let several = values.len() > 1;
        let (at, values) = (&at, &values);
        records = records
            .iter()
            .flat_map(|(r, labels)| {
                values.iter().map(move |v| {
                    let mut r = r.clone();
                    let mut labels = labels.clone();
                    if several {
                        let shown = v.as_ref().map_or_else(|| "none".into(), shown);
                        labels.push(format!("{} {shown}", c.field));
                    }
                    set(&mut r, at, v.clone());
                    (r, labels)
                })
            })
            .collect();
    }
    let mut failures = Vec::new();
    for (record, labels) in &records {
        // Where the edition was chosen by the record's date, a change that
        // moves that date outside the edition's period gives a record this
        // edition would not evaluate.
        let outside = ruleset
            .as_at_date(record)
            .filter(|d| goal.dated && !ruleset.covers(*d));
        let evaluated = match outside {
            Some(date) => Err(format!(
                "the record is then dated {date}, outside edition {}",
                ruleset.period()
            )),
            // Only the rule's own result is recorded: not its condition's
            // parts, nor any other rule's, on every element of a long list.
            None => ruleset
                .evaluate_probing(
                    record,
                    options,
                    ProbeScope::Result(RuleId::from_index(index)),
                )
                .map_err(|e| format!("the record is then refused: {e}")),
        };
        let failed = match evaluated {
            Err(why) => Some(why),
            Ok((outcome, probes)) => {
                let fired = probes.iter().any(|p| {
                    p.rule.index() == index
                        && p.result == Tri::True
                        && goal.item.is_none_or(|i| p.item.as_deref() == Some(i))
                });
                let not_given = goal.effect.filter(|(kind, name)| {
                    fired && !kind.given_in(&outcome, name, Some(goal.rule), goal.item)
                });
                match (fired, goal.fire) {
                    (false, true) => Some("the rule still does not fire".to_string()),
                    (true, false) => Some("the rule still applies".to_string()),
                    (true, true) if not_given.is_some() => Some(format!(
                        "the rule fires, but a date the {} needs is not known, so it is listed as undetermined",
                        not_given.map_or("effect", |(kind, _)| kind.as_str())
                    )),
                    (true, true) | (false, false) => goal
                        .made
                        .filter(|j| outcome.judgement(j).is_none())
                        .map(|j| match outcome.details.get(j).and_then(|d| d.not_made) {
                            Some(why) => format!("{j} is then not made: {why}"),
                            None => format!("{j} is then not made"),
                        }),
                }
            }
        };
        if let Some(because) = failed {
            failures.push(Failure {
                with: labels.clone(),
                because,
            });
        }
    }
    if failures.is_empty() {
        Checked::Holds
    } else {
        Checked::Fails {
            tried: records.len(),
            failures,
        }
    }
}

/// A value as a change shows it: text without its quotes.
pub(super) fn shown(v: &Json) -> String {
    match v {
        Json::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn unchecked(reason: String) -> Checked {
    Checked::Unchecked { reason }
}

/// Where in the record a change is made: keys from the root, with the
/// index of the element for a field of a `for each` element.
#[derive(Debug, Clone)]
enum Step {
    Key(String),
    Index(usize),
}

/// The field a change names: an evidence field, or (`s.outcome`) a field
/// of the element of the rule's `for each`, with that `for each`.
fn field_named<'m>(
    model: &'m Model,
    def: &'m RuleDef,
    name: &str,
) -> Option<(&'m FieldDef, Option<&'m ForEachDef>)> {
    if let Some(f) = model.fields.iter().find(|d| d.name == name) {
        return Some((f, None));
    }
    if let Some((_, _, field)) = indexed(model, name) {
        return Some((field, None));
    }
    let fe = def.for_each.as_ref()?;
    let crate::types::Elem::Record(rec) = fe.elem else {
        return None;
    };
    let name = name.strip_prefix(fe.var.as_str())?.strip_prefix('.')?;
    Some((record_field(model, rec, name)?, Some(fe)))
}

/// The field `name` of the record `record`.
fn record_field<'m>(
    model: &'m Model,
    record: crate::types::RecordId,
    name: &str,
) -> Option<&'m FieldDef> {
    model
        .records
        .get(record)?
        .fields
        .iter()
        .find(|d| d.name == name)
}

/// `list[i].field`, as a quantifier's change names a field of an element
/// (`requirements[1].met`): the evidence list, the element's place in it
/// and the field of its record.
fn indexed<'m>(model: &'m Model, name: &str) -> Option<(&'m FieldDef, usize, &'m FieldDef)> {
    let (list, rest) = name.split_once('[')?;
    let (index, field) = rest.split_once("].")?;
    let index: usize = index.parse().ok()?;
    let list = model.fields.iter().find(|d| d.name == list)?;
    let Type::List(crate::types::Elem::Record(record)) = list.ty else {
        return None;
    };
    Some((list, index, record_field(model, record, field)?))
}

/// `list[i]`, as a search names an element of a list of plain values
/// (`children.went_missing[0]`): the evidence list and the element's place
/// in it, which may be one past its end (an element added).
fn plain_indexed<'m>(model: &'m Model, name: &str) -> Option<(&'m FieldDef, usize)> {
    let (list, index) = name.strip_suffix(']')?.rsplit_once('[')?;
    let index: usize = index.parse().ok()?;
    let list = model.fields.iter().find(|d| d.name == list)?;
    match list.ty {
        Type::List(crate::types::Elem::Record(_)) => None,
        Type::List(_) => Some((list, index)),
        _ => None,
    }
}

fn place(
    model: &Model,
    def: &RuleDef,
    item: Option<&str>,
    evidence: &Json,
    c: &Change,
) -> Result<Vec<Step>, String> {
    let keys = |path: &[String]| path.iter().cloned().map(Step::Key).collect::<Vec<_>>();
    if let Some((list, index)) = plain_indexed(model, &c.field) {
        // A list not given, or none, has no elements: its first may be added.
        let held = list
            .path
            .iter()
            .try_fold(evidence, |j, k| j.get(k))
            .and_then(Json::as_array)
            .map_or(0, Vec::len);
        if index > held {
            return Err(format!("{} has no element {index}", list.name));
        }
        let mut steps = keys(&list.path);
        steps.push(Step::Index(index));
        return Ok(steps);
    }
    if let Some((list, index, field)) = indexed(model, &c.field) {
        let held = list
            .path
            .iter()
            .try_fold(evidence, |j, k| j.get(k))
            .and_then(Json::as_array)
            .is_some_and(|elements| index < elements.len());
        if !held {
            return Err(format!("{} has no element {index}", list.name));
        }
        let mut steps = keys(&list.path);
        steps.push(Step::Index(index));
        steps.extend(keys(&field.path));
        return Ok(steps);
    }
    let (field, fe) = field_named(model, def, &c.field)
        .ok_or_else(|| format!("`{}` is not a field of the record", c.field))?;
    let Some(fe) = fe else {
        return Ok(keys(&field.path));
    };
    let list = match model.exprs.get(fe.list) {
        Some(Node::Field(list)) => model.fields.get(*list),
        _ => None,
    }
    .ok_or_else(|| format!("{} is not a list of the record", fe.list_name))?;
    let elements = list
        .path
        .iter()
        .try_fold(evidence, |j, k| j.get(k))
        .and_then(Json::as_array)
        .ok_or_else(|| format!("{} is not in the record", fe.list_name))?;
    let matching: Vec<usize> = match item {
        Some(id) if !id.is_empty() => elements
            .iter()
            .enumerate()
            .filter(|(_, e)| e.get("id").and_then(Json::as_str) == Some(id))
            .map(|(i, _)| i)
            .collect(),
        _ => (0..elements.len()).collect(),
    };
    let [index] = matching[..] else {
        return Err(format!("which element of {} is not known", fe.list_name));
    };
    let mut steps = keys(&list.path);
    steps.push(Step::Index(index));
    steps.extend(keys(&field.path));
    Ok(steps)
}

/// The text tried for a change that needs any text that is not blank.
const ANY_TEXT: &str = "any text";

/// The values to try for a change (`None`: the field left out), each of
/// which the answer says would do.
fn values(model: &Model, def: &RuleDef, c: &Change) -> Result<Vec<Option<Json>>, String> {
    match &c.needs {
        Need::AtLeast(a) | Need::AtMost(a) | Need::Exactly(a) => Ok(vec![Some(json(a)?)]),
        Need::NotSet => Ok(vec![None]),
        // Any text that is not blank: every one reads alike to `is empty`
        // and `is set`, so one is tried.
        Need::NotBlank => Ok(vec![Some(Json::String(ANY_TEXT.into()))]),
        Need::Set => Err(format!(
            "`{}` set to any value: which one is not said",
            c.field
        )),
        Need::Other(a) => match (field_named(model, def, &c.field).map(|(f, _)| f.ty), a) {
            (Some(Type::Bool), Amount::Bool(b)) => Ok(vec![Some(Json::Bool(!b))]),
            (Some(Type::Enum { id, .. }), Amount::Name(now)) => Ok(model
                .enums
                .get(id)
                .map(|e| e.values.as_slice())
                .unwrap_or_default()
                .iter()
                .filter(|v| *v != now)
                .map(|v| Some(Json::String(v.clone())))
                .collect()),
            // "Anything but" a date or number: the values either side of it.
            (_, Amount::Date(d)) => Ok([d.pred_opt(), d.succ_opt()]
                .into_iter()
                .flatten()
                .map(|d| Some(json(&Amount::Date(d))).transpose())
                .collect::<Result<Vec<_>, _>>()?),
            (_, Amount::Number(n) | Amount::Days(n)) => Ok([n.checked_sub(1), n.checked_add(1)]
                .into_iter()
                .flatten()
                .map(|n| Some(Json::from(n)))
                .collect()),
            _ => Err(format!(
                "`{}` is not a yes/no, a choice, a date or a number",
                c.field
            )),
        },
    }
}

/// A value as evidence writes it: a number or yes/no as such, a date, time,
/// date and time or name as the answer shows it (the form evidence takes).
fn json(a: &Amount) -> Result<Json, String> {
    Ok(match a {
        Amount::Number(n) | Amount::Days(n) => Json::from(*n),
        Amount::Bool(b) => Json::Bool(*b),
        Amount::Name(_) | Amount::Date(_) | Amount::DateTime(_) | Amount::Time(_) => {
            Json::String(a.to_string())
        }
        Amount::Months(_) | Amount::WorkingDays(_) => {
            return Err(format!("a record does not hold {a}"))
        }
    })
}

/// Set (or, with `None`, remove) the value at `at`, making the objects
/// (or, before an index, the list) on the way where the record has none.
/// An index one past a list's end adds an element.
fn set(record: &mut Json, at: &[Step], value: Option<Json>) {
    let Some((last, path)) = at.split_last() else {
        return;
    };
    let mut here = record;
    for (n, step) in path.iter().enumerate() {
        let list_next = matches!(at.get(n + 1), Some(Step::Index(_)));
        let empty = || match list_next {
            true => Json::Array(Vec::new()),
            false => Json::Object(serde_json::Map::new()),
        };
        let next = match step {
            Step::Key(k) => match here {
                Json::Object(map) => map.entry(k.clone()).or_insert_with(empty),
                _ => return,
            },
            Step::Index(i) => match here.get_mut(*i) {
                Some(e) => e,
                None => return,
            },
        };
        if next.is_null() {
            *next = empty();
        }
        here = next;
    }
    match (last, here, value) {
        (Step::Key(k), Json::Object(map), Some(v)) => {
            map.insert(k.clone(), v);
        }
        (Step::Key(k), Json::Object(map), None) => {
            map.remove(k);
        }
        (Step::Index(i), Json::Array(items), Some(v)) => {
            if *i == items.len() {
                items.push(v);
            } else if let Some(e) = items.get_mut(*i) {
                *e = v;
            }
        }
        (Step::Index(i), Json::Array(items), None) if *i < items.len() => {
            items.remove(*i);
        }
        _ => {}
    }
}
