//! What a rule gives when it fires: constraints, actions, findings,
//! advisories and deadlines (their messages and dates); and what it would
//! give when it could not be decided, kept as pending or undetermined.

use super::*;
use crate::outcome::Dated;

/// The room a message keeps for each value it shows: a date's ten
/// characters, and more than most numbers, names and ids take.
const VALUE_ROOM: usize = 12;

impl<'a> Run<'a, '_> {
    /// A hard rule that could not be decided: listed as undetermined, and the
    /// constraints it could put on judgements kept as pending.
    pub(super) fn undecided(
        &mut self,
        r: RuleId,
        rule: &'a RuleDef,
        item: Option<Item>,
        mut doubt: Doubt,
    ) -> Fallible<()> {
        if !rule.is_hard() {
            return Ok(());
        }
        if !doubt.rules.contains(&r) {
            doubt.rules.push(r);
        }
        let mut effects: Vec<WouldGive<'a>> = Vec::new();
        for effect in &rule.effects {
            let mut bound = None;
            match effect {
                EffectDef::Constrain {
                    judgement,
                    op,
                    value,
                } => {
                    let value = match value {
                        Bound::Const(v) => Some(*v),
                        Bound::Expr(e) => match self.value(*e)? {
                            Value::Enum(v) => Some(v),
                            _ => None,
                        },
                    };
                    bound = value;
                    if let Some(state) = self.judgements.get_mut(*judgement) {
                        state.pending.push(Pending {
                            op: *op,
                            value,
                            doubt: doubt.clone(),
                        });
                    }
                }
                EffectDef::Withhold(_) => {
                    for (j, state) in self.judgements.iter_mut_ids() {
                        if effect.withholds(j) {
                            state
                                .maybe_withheld
                                .get_or_insert_with(Doubt::default)
                                .absorb(&doubt);
                        }
                    }
                }
                _ => {}
            }
            if effect.is_hard() {
                let gives = would_give(self.model, effect, bound);
                if !effects.contains(&gives) {
                    effects.push(gives);
                }
            }
        }
        let mut depends_on: Vec<&'a str> = rule
            .reads_judgements
            .iter()
            .filter(|j| self.judgements.get(**j).is_some_and(|s| s.doubt.is_some()))
            .filter_map(|j| self.model.judgements.get(*j).map(|d| d.name.as_str()))
            .collect();
        depends_on.sort();
        let mut missing = doubt.missing.clone();
        sort_unique(&mut missing);
        self.out.undetermined.push(outcome::Undetermined {
            rule: &rule.id,
            cite: &rule.cite,
            missing,
            item,
            depends_on,
            effects,
        });
        Ok(())
    }

    pub(super) fn effect(
        &mut self,
        r: RuleId,
        rule: &'a RuleDef,
        effect: &'a EffectDef,
        item: Option<&Item>,
        doubt: Option<&Doubt>,
    ) -> Fallible<()> {
        let provisional = doubt.map(|d| self.provisional(d));
        match effect {
            EffectDef::Constrain {
                judgement,
                op,
                value,
            } => {
                let bound_doubt = match value {
                    Bound::Expr(e) if doubt.is_some() => self.judgement_doubt_in(*e)?,
                    _ => None,
                };
                let value = match value {
                    Bound::Const(v) => *v,
                    Bound::Expr(e) => match self.value(*e)? {
                        Value::Enum(v) => v,
                        Value::Unknown => {
                            // The bound is not known: the rule cannot be applied.
                            let missing = self.missing_in(*e)?;
                            let doubt = Doubt {
                                rules: vec![r],
                                missing,
                            };
                            return self.undecided(r, rule, item.cloned(), doubt);
                        }
                        // A judgement not made, or a value guarded as set: nothing to bound by.
                        _ => return Ok(()),
                    },
                };
                if let Some(state) = self.judgements.get_mut(*judgement) {
                    state.constraints.push(Fired {
                        op: *op,
                        value,
                        rule: r,
                        item: item.cloned(),
                        doubt: doubt.cloned(),
                        bound_doubt,
                    });
                }
            }
            EffectDef::Withhold(_) => {
                // Of several rules that withhold, the one whose id sorts
                // first is named, whatever order they are written in.
                let rules = &self.model.rules;
                let id = |r: RuleId| rules.get(r).map(|x| x.id.as_str());
                for (j, state) in self.judgements.iter_mut_ids() {
                    if !effect.withholds(j) {
                        continue;
                    }
                    state.withheld_by = match state.withheld_by {
                        Some(w) if id(w) <= id(r) => Some(w),
                        _ => Some(r),
                    };
                    match doubt {
                        Some(d) => {
                            state
                                .maybe_withheld
                                .get_or_insert_with(Doubt::default)
                                .absorb(d);
                        }
                        None => state.withheld_for_certain = true,
                    }
                }
            }
            EffectDef::Action { name, label, due } => {
                let label = match label {
                    Some(m) => Some(self.message(m)?),
                    None => None,
                };
                let due = match due {
                    Some(e) => match self.date(*e, rule, Dated::Action, name)? {
                        Some(d) => Some(d),
                        None => return Ok(()),
                    },
                    None => None,
                };
                let overdue = self.is_overdue(due);
                self.out.actions.push(outcome::Action {
                    action: name,
                    rule: &rule.id,
                    cite: &rule.cite,
                    item: item.cloned(),
                    label,
                    due,
                    overdue,
                    provisional,
                });
            }
            EffectDef::Finding { name, message } => {
                let message = match message {
                    Some(m) => Some(self.message(m)?),
                    None => None,
                };
                self.out.findings.push(outcome::Finding {
                    finding: name,
                    rule: &rule.id,
                    cite: &rule.cite,
                    item: item.cloned(),
                    message,
                    provisional,
                });
            }
            EffectDef::Advise { message } => {
                let message = self.message(message)?;
                self.out.advisories.push(outcome::Advisory {
                    rule: &rule.id,
                    cite: &rule.cite,
                    message,
                    item: item.cloned(),
                    provisional,
                });
            }
            EffectDef::Deadline {
                name,
                on,
                target,
                met,
                optional,
            } => {
                let Some(date) = self.date(*on, rule, Dated::Deadline, name)? else {
                    return Ok(());
                };
                let when = (None, date);
                let extras = (*target, *met, *optional);
                self.deadline(rule, name, item, when, extras, provisional)?;
            }
            EffectDef::Window {
                name,
                from,
                to,
                target,
                met,
                optional,
            } => {
                let (Some(f), Some(t)) = (
                    self.date(*from, rule, Dated::Deadline, name)?,
                    self.date(*to, rule, Dated::Deadline, name)?,
                ) else {
                    return Ok(());
                };
                if t < f {
                    let span = self.span_of(*to);
                    return Err(backwards_window(name, item, f, t, span));
                }
                let when = (Some(f), t);
                let extras = (*target, *met, *optional);
                self.deadline(rule, name, item, when, extras, provisional)?;
            }
            // Checks run before the steps; a rule never rejects.
            EffectDef::Reject { .. } => {}
        }
        Ok(())
    }

    /// A deadline entry: its last day (and first, for a window), its target,
    /// the day it was met, and whether it is overdue on the evaluation date:
    /// past, and not met by then, and not optional (an optional deadline
    /// past and not met is a chance not taken).
    pub(super) fn deadline(
        &mut self,
        rule: &'a RuleDef,
        name: &'a str,
        item: Option<&Item>,
        (from, last): (Option<NaiveDate>, NaiveDate),
        (target, met, optional): (Option<ExprId>, Option<ExprId>, bool),
        provisional: Option<Box<Provisional<'a>>>,
    ) -> Fallible<()> {
        let target = match target {
            Some(t) => match self.date(t, rule, Dated::Deadline, name)? {
                // The day aimed for lies within the window, or on or
                // before the deadline's day: one outside says the rule's
                // dates disagree, as a window that ends before it starts.
                Some(d) if d > last || from.is_some_and(|f| d < f) => {
                    return Err(target_outside(name, item, d, from, last, self.span_of(t)));
                }
                d => d,
            },
            None => None,
        };
        let (date, to) = match from {
            Some(_) => (None, Some(last)),
            None => (Some(last), None),
        };
        let past = self.is_overdue(Some(last));
        let met = match met {
            // Not known is no doubt over an optional deadline: it is not
            // overdue either way.
            Some(m) => self.met_on(m, from, rule, name, past && !optional)?,
            None => Met::No,
        };
        let overdue = past && matches!(met, Met::No | Met::BeforeItOpened(_)) && !optional;
        let (met, met_before_it_opened) = match met {
            Met::On(d) => (Some(d), None),
            Met::BeforeItOpened(d) => (None, Some(d)),
            Met::No | Met::NotKnown => (None, None),
        };
        self.out.deadlines.push(outcome::Deadline {
            deadline: name,
            date,
            from,
            to,
            target,
            rule: &rule.id,
            cite: &rule.cite,
            item: item.cloned(),
            overdue,
            met,
            met_before_it_opened,
            optional,
            provisional,
        });
        Ok(())
    }

    /// The day a deadline was met, when it was met on or before the
    /// evaluation date (a later day is still to come on that date) and, for
    /// a window, on or after its first day (a window asks for what it names
    /// no earlier than that: done before, it is not done in the window).
    /// When the day is not known and the deadline is past, whether it is
    /// overdue is not known: it is not called overdue, and the record's
    /// undetermined list says what is missing.
    fn met_on(
        &mut self,
        e: ExprId,
        from: Option<NaiveDate>,
        rule: &'a RuleDef,
        deadline: &'a str,
        past: bool,
    ) -> Fallible<Met> {
        match self.value(e)? {
            Value::Date(d) if self.evaluated_on.is_none_or(|on| d <= on) => Ok(match from {
                Some(first) if d < first => Met::BeforeItOpened(d),
                _ => Met::On(d),
            }),
            Value::Unknown if past => {
                self.date_not_known(e, rule, WouldGive::OverdueNotKnown(deadline))?;
                Ok(Met::NotKnown)
            }
            _ => Ok(Met::No),
        }
    }

    /// The doubt of the provisional judgements an expression reads, if any.
    fn judgement_doubt_in(&self, e: ExprId) -> Fallible<Option<Doubt>> {
        let mut doubt: Option<Doubt> = None;
        let mut stack = vec![e];
        while let Some(id) = stack.pop() {
            let node = self.node(id)?;
            if let Node::Judgement(j) = node {
                if let Some(d) = self.judgements.get(*j).and_then(|s| s.doubt.as_ref()) {
                    doubt.get_or_insert_with(Doubt::default).absorb(d);
                }
            }
            stack.extend(node.children());
        }
        Ok(doubt)
    }

    pub(super) fn is_overdue(&self, date: Option<NaiveDate>) -> bool {
        matches!((date, self.evaluated_on), (Some(d), Some(on)) if d < on)
    }

    /// A message with its `{name}` parts filled in; borrowed from the rule
    /// file when it has none.
    pub(super) fn message(&mut self, m: &'a Message) -> Fallible<Cow<'a, str>> {
        if let [MessagePart::Text(t)] = m.parts.as_slice() {
            return Ok(Cow::Borrowed(t.as_str()));
        }
        // Room for the text and a date's worth for each value, so that a
        // message is most often one allocation, not one that grows.
        let room = m.parts.iter().fold(0, |room, part| match part {
            MessagePart::Text(t) => room + t.len(),
            MessagePart::Value { .. } => room + VALUE_ROOM,
        });
        let mut out = String::with_capacity(room);
        for part in &m.parts {
            match part {
                MessagePart::Text(t) => out.push_str(t),
                MessagePart::Value { expr, ty } => {
                    let v = self.value(*expr)?;
                    // A date outside the years 0000 to 9999 has no
                    // `YYYY-MM-DD` to show: an error, as where an effect
                    // gives it as a date (audit 32 R5).
                    if let Value::Date(d) = v {
                        if super::expr::four_digit(d).is_none() {
                            return Err(fault(EvalError::out_of_range(self.span_of(*expr))));
                        }
                    }
                    show_plain_into(&mut out, self.model, *ty, &v);
                }
            }
        }
        Ok(Cow::Owned(out))
    }

    /// A date an effect needs; an unknown one makes the rule undetermined.
    pub(super) fn date(
        &mut self,
        e: ExprId,
        rule: &'a RuleDef,
        kind: Dated,
        deadline: &'a str,
    ) -> Fallible<Option<NaiveDate>> {
        match self.value(e)? {
            Value::Date(d) if super::expr::four_digit(d).is_none() => {
                Err(fault(EvalError::out_of_range(self.span_of(e))))
            }
            Value::Date(d) => {
                self.trace_date_counts(e, rule, deadline)?;
                Ok(Some(d))
            }
            Value::Unknown => {
                let effect = WouldGive::DateNotKnown {
                    kind,
                    name: deadline,
                };
                self.date_not_known(e, rule, effect)?;
                Ok(None)
            }
            _ => Ok(None),
        }
    }

    /// An undetermined entry for a date of an effect that is not known:
    /// the evidence `e` misses, and what is not known (`effect`).
    fn date_not_known(
        &mut self,
        e: ExprId,
        rule: &'a RuleDef,
        effect: WouldGive<'a>,
    ) -> Fallible<()> {
        let mut missing = self.missing_in(e)?;
        let item = self.current_item();
        // The dates of one firing of a rule (its deadline and an action's
        // due date, say) are one entry, as the effects of a rule whose
        // condition is not known are.
        if let Some(last) = self.out.undetermined.last_mut().filter(|u| {
            u.rule == rule.id.as_str()
                && u.item == item
                && u.effects.iter().all(WouldGive::is_of_a_rule_that_held)
        }) {
            missing.append(&mut last.missing);
            sort_unique(&mut missing);
            last.missing = missing;
            last.effects.push(effect);
            return Ok(());
        }
        sort_unique(&mut missing);
        self.out.undetermined.push(outcome::Undetermined {
            rule: &rule.id,
            cite: &rule.cite,
            missing,
            item,
            depends_on: Vec::new(),
            effects: vec![effect],
        });
        Ok(())
    }
}

/// Whether a deadline with `met on` was met by the evaluation date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Met {
    On(NaiveDate),
    /// A day recorded before a window's first day: not met.
    BeforeItOpened(NaiveDate),
    No,
    NotKnown,
}

/// What an effect would give; `bound` is the value a constraint's bound
/// has, where it is known.
fn would_give<'a>(model: &'a Model, effect: &'a EffectDef, bound: Option<u16>) -> WouldGive<'a> {
    match effect {
        EffectDef::Constrain { judgement, op, .. } => {
            let j = model.judgements.get(*judgement);
            WouldGive::Bound {
                judgement: j.map(|d| d.name.as_str()).unwrap_or_default(),
                relation: super::judge::relation(*op),
                value: j
                    .zip(bound)
                    .map(|(d, v)| super::judge::scale_value(model, d.scale, v)),
            }
        }
        EffectDef::Action { name, .. } => WouldGive::Action(name),
        EffectDef::Finding { name, .. } => WouldGive::Finding(name),
        EffectDef::Deadline { name, .. } | EffectDef::Window { name, .. } => {
            WouldGive::Deadline(name)
        }
        EffectDef::Withhold(None) => WouldGive::NoJudgement,
        EffectDef::Withhold(Some(j)) => {
            WouldGive::NoJudgementOf(model.judgements.get(*j).map_or("", |d| d.name.as_str()))
        }
        EffectDef::Advise { .. } => WouldGive::Advisory,
        EffectDef::Reject { .. } => WouldGive::Refusal,
    }
}

/// A target outside its deadline's window, or after its day: the rule's
/// dates disagree, and the evidence they came from is refused rather than a
/// target given that the deadline does not allow.
#[cold]
#[inline(never)]
fn target_outside(
    deadline: &str,
    item: Option<&Item>,
    target: NaiveDate,
    from: Option<NaiveDate>,
    last: NaiveDate,
    span: judgement_syntax::Span,
) -> Box<EvalError> {
    Box::new(EvalError::TargetOutside {
        deadline: deadline.to_string(),
        item: item.map(|i| i.to_string()),
        target: target.to_string(),
        allowed: match from {
            Some(f) => format!("its window runs from {f} to {last}"),
            None => format!("its day is {last}"),
        },
        span,
    })
}

/// A window whose last day is before its first: no day is in it, so the
/// evidence it came from is refused rather than a window of no days given.
#[cold]
#[inline(never)]
fn backwards_window(
    deadline: &str,
    item: Option<&Item>,
    from: NaiveDate,
    to: NaiveDate,
    span: judgement_syntax::Span,
) -> Box<EvalError> {
    Box::new(EvalError::WindowBackwards {
        deadline: deadline.to_string(),
        item: item.map(|i| i.to_string()),
        from: from.to_string(),
        to: to.to_string(),
        span,
    })
}
