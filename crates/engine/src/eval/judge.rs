//! A judgement made final: `clamp(proposed, max(floors), min(caps))`, the
//! constraints that bound it and those that were slack, a conflict between
//! a floor and a cap, and the doubt that makes it provisional.

use super::*;

impl<'a> Run<'a, '_> {
    /// The truth of judgement `j`'s condition `cond`: from its guards
    /// (`Model::judgement_guards`) where they give it and nothing more is
    /// asked for; else walked.
    fn applies(&mut self, j: JudgementId, cond: ExprId) -> Fallible<Tri> {
        if self.quiet() {
            let guards = self.model.judgement_guards.get(j).and_then(Option::as_ref);
            if let Some(t) = guards.and_then(|g| self.guarded(g)) {
                return Ok(t);
            }
        }
        self.truth(cond)
    }

    pub(super) fn judgement(&mut self, j: JudgementId) -> Fallible<()> {
        let Some(def) = self.model.judgements.get(j) else {
            return Ok(());
        };
        let applies = match def.applies {
            Some(cond) => match self.applies(j, cond)? {
                Tri::True => true,
                Tri::False => false,
                Tri::Unknown => {
                    return Err(fault(EvalError::UnknownApplicability {
                        judgement: def.name.clone(),
                    }))
                }
            },
            None => true,
        };
        // Made or not on a provisional judgement's value: provisional too.
        let applies_doubt = match def.applies {
            Some(cond) if self.any_doubt => self.applies_doubt(def, cond)?,
            _ => None,
        };
        let proposed = match self.slot(def.from) {
            Some(Value::Enum(p)) => Some(*p),
            _ => None,
        };
        // The detail is written where it stands in the outcome, its place
        // made ready as the record began (`evaluate_probed`), rather than
        // built and moved there: it is large, and moving it into place, and
        // into the ruleset's order once all were made, cost more than the
        // rest of writing it. The details are taken out of the outcome
        // while it is written, and put back however the judgement ends.
        let mut details = std::mem::take(&mut self.out.details);
        let made = match details.value_at_mut(j.index()) {
            Some(detail) => self.made(j, def, applies, applies_doubt, proposed, detail),
            None => Err(fault(EvalError::Internal("judgement out of range"))),
        };
        self.out.details = details;
        made
    }

    /// Judgement `j` (`def`) made, or not made where it does not
    /// `apply`, written into its `detail` and its value into the
    /// outcome's judgements.
    fn made(
        &mut self,
        j: JudgementId,
        def: &'a JudgementDef,
        applies: bool,
        applies_doubt: Option<Doubt>,
        proposed: Option<u16>,
        detail: &mut outcome::JudgementDetail<'a>,
    ) -> Fallible<()> {
        let name_of = |v: u16| scale_value(self.model, def.scale, v);
        // Every part written, whatever the place held: the rest as a
        // judgement not yet made has them.
        *detail = outcome::JudgementDetail {
            proposed: proposed.map(name_of),
            binding: self.spare.constraints(),
            slack: self.spare.constraints(),
            ..outcome::JudgementDetail::unmade()
        };
        // The state is read where it is, and only its value and doubt are
        // written back: it is too large to move out and back cheaply.
        let state = at(&self.judgements, j, "judgement out of range")?;
        let (value, doubt) = if !applies {
            detail.not_made = Some(outcome::NotMade::NotAtThisInspection {
                condition: def.applies_text.as_deref(),
            });
            (None, None)
        } else if let Some(r) = state.withheld_by {
            let by = self.rule_ref(r);
            detail.not_made = Some(outcome::NotMade::WithheldBy(by));
            detail.withheld_by = Some(by);
            // Withheld for certain, it stays withheld whatever a rule that
            // could not be decided would do: no doubt.
            if state.withheld_for_certain {
                (None, None)
            } else {
                (None, state.maybe_withheld.clone())
            }
        } else {
            // Whether a rule that could pin this judgement waits on a
            // proposal found missing before it: then whether its own is
            // needed is not known. A bound pins only where one the other
            // way meets it (`= V`, or a cap beside a floor).
            let other_way = |op: ConstraintOp| {
                let against = |o: ConstraintOp| o != op || o == ConstraintOp::Equal;
                state.constraints.iter().any(|f| against(f.op))
                    || state.pending.iter().any(|q| against(q.op))
            };
            let hangs_on_missing = !self.missing_proposals.is_empty()
                && state.pending.iter().any(|p| {
                    let waits = p.doubt.missing.iter().any(|m| {
                        self.missing_proposals
                            .iter()
                            .any(|(_, e)| missing_path(e) == Some(m.as_str()))
                    });
                    waits && (p.op == ConstraintOp::Equal || other_way(p.op))
                });
            match self.settle(def, state, proposed, detail) {
                Ok((v, doubt)) => (Some(v), doubt),
                // Refused, but the others missing are looked for: the
                // judgement is taken as not known, so that what reads it
                // waits on it (a rule that could pin a later judgement
                // leaves that one's proposal not known to be needed), and
                // the record's outcome is never given.
                Err(e) if matches!(*e, EvalError::MissingProposed { .. }) => {
                    let path = missing_path(&e).map(str::to_string);
                    if !hangs_on_missing {
                        self.missing_proposals.push((j, *e));
                    }
                    let doubt = Doubt {
                        rules: Vec::new(),
                        missing: path.into_iter().collect(),
                    };
                    (None, Some(doubt))
                }
                Err(e) => return Err(e),
            }
        };
        let doubt = match (doubt, applies_doubt) {
            (Some(mut d), Some(a)) => {
                d.absorb(&a);
                Some(d)
            }
            (d, a) => d.or(a),
        };
        detail.value = value.map(name_of);
        detail.provisional = doubt.as_ref().map(|d| self.provisional(d));
        self.any_doubt |= doubt.is_some();
        if let Some(state) = self.judgements.get_mut(j) {
            state.value = value;
            state.doubt = doubt;
        }
        if let Some(t) = self.trace.as_mut() {
            t.push(TraceStep::Judgement {
                judgement: &def.name,
                proposed: detail.proposed,
                value: detail.value,
                applies,
            });
        }
        if let Some(value) = self.out.judgements.value_at_mut(j.index()) {
            *value = detail.value;
        }
        Ok(())
    }

    /// The doubt over whether judgement `def` is made at all: where its
    /// `when` reads a provisional judgement and, read with those unknown,
    /// is unknown, the doubt over them; else none.
    fn applies_doubt(&mut self, def: &JudgementDef, cond: ExprId) -> Fallible<Option<Doubt>> {
        let doubtful: Vec<JudgementId> = def
            .applies_reads
            .iter()
            .filter(|j| self.judgements.get(**j).is_some_and(|s| s.doubt.is_some()))
            .copied()
            .collect();
        if doubtful.is_empty() {
            return Ok(None);
        }
        if self.truth_doubting(cond)? != Tri::Unknown {
            return Ok(None);
        }
        Ok(Some(self.doubt_of(&doubtful)))
    }

    /// A judgement's value from its proposal and the constraints that fired,
    /// and the doubt over it from constraints that might apply.
    pub(super) fn settle(
        &self,
        def: &'a JudgementDef,
        state: &JudgementState,
        proposed: Option<u16>,
        detail: &mut outcome::JudgementDetail<'a>,
    ) -> Fallible<(u16, Option<Doubt>)> {
        let name_of = |v: u16| scale_value(self.model, def.scale, v);
        let constraint = |f: &Fired| -> outcome::Constraint<'a> {
            let r = self.rule_ref(f.rule);
            outcome::Constraint {
                rule: r.rule,
                cite: r.cite,
                relation: relation(f.op),
                value: name_of(f.value),
                item: f.item.clone(),
            }
        };
        // Ranks: 0 is best. A cap (`at most`) is the best rank allowed; a
        // floor (`at least`) the worst. Of constraints with the same value,
        // the one whose rule id (then item) sorts first stands for them, so
        // that a conflict names the same rules whatever order they are
        // written in.
        let rules = &self.model.rules;
        let tie = |f| tie_key(rules, f);
        let cap = state
            .constraints
            .iter()
            .filter(|f| f.op != ConstraintOp::AtLeast)
            .min_by(|a, b| b.value.cmp(&a.value).then_with(|| tie(a).cmp(&tie(b))));
        let floor = state
            .constraints
            .iter()
            .filter(|f| f.op != ConstraintOp::AtMost)
            .min_by(|a, b| a.value.cmp(&b.value).then_with(|| tie(a).cmp(&tie(b))));
        if let (Some(c), Some(f)) = (cap, floor) {
            if f.value < c.value {
                return Err(fault(EvalError::Conflict {
                    judgement: def.name.clone(),
                    floor: constraint(f).text(),
                    floor_rule: self.rule_ref(f.rule).rule.to_string(),
                    cap: constraint(c).text(),
                    cap_rule: self.rule_ref(c.rule).rule.to_string(),
                }));
            }
        }
        let pinned = match (cap, floor) {
            (Some(c), Some(f)) if c.value == f.value => Some(c.value),
            _ => None,
        };
        let start = match (proposed, pinned) {
            (Some(p), _) => p,
            (None, Some(p)) => p,
            (None, None) => {
                let path = self
                    .model
                    .fields
                    .get(def.from)
                    .map(|f| f.name.clone())
                    .unwrap_or_default();
                return Err(fault(EvalError::MissingProposed {
                    judgement: def.name.clone(),
                    path,
                }));
            }
        };
        let v = clamp(start, cap.map(|c| c.value), floor.map(|f| f.value));
        let bound = if proposed.is_none() {
            // With no proposal, the pin itself binds.
            pinned
        } else if v != start {
            Some(v)
        } else {
            None
        };
        detail.rejected = proposed.is_some_and(|p| p != v);
        let mut doubt: Option<Doubt> = None;
        for f in &state.constraints {
            let moved_here = match f.op {
                ConstraintOp::AtMost => Some(f.value) == bound && f.value == v && start < v,
                ConstraintOp::AtLeast => Some(f.value) == bound && f.value == v && start > v,
                ConstraintOp::Equal => Some(f.value) == bound && f.value == v,
            };
            if moved_here {
                detail.binding.push(constraint(f));
                if let Some(d) = &f.doubt {
                    doubt.get_or_insert_with(Doubt::default).absorb(d);
                }
            } else {
                detail.slack.push(constraint(f));
                // Slack now, but its bound could still move onto the value.
                if let Some(d) = &f.bound_doubt {
                    doubt.get_or_insert_with(Doubt::default).absorb(d);
                }
            }
        }
        for p in &state.pending {
            let could_change = match p.value {
                None => true,
                Some(b) => match p.op {
                    ConstraintOp::AtMost => v < b,
                    ConstraintOp::AtLeast => v > b,
                    ConstraintOp::Equal => v != b,
                },
            };
            if could_change {
                doubt.get_or_insert_with(Doubt::default).absorb(&p.doubt);
            }
        }
        if let Some(d) = &state.maybe_withheld {
            doubt.get_or_insert_with(Doubt::default).absorb(d);
        }
        sort_unique(&mut detail.binding);
        sort_unique(&mut detail.slack);
        Ok((v, doubt))
    }
}

/// The evidence path a missing proposal's error names.
fn missing_path(e: &EvalError) -> Option<&str> {
    match e {
        EvalError::MissingProposed { path, .. } => Some(path),
        _ => None,
    }
}

/// A scale value's name, borrowed from the model ("" for a rank the scale
/// does not have, which checking rules out).
pub(super) fn scale_value(model: &Model, scale: crate::types::EnumId, rank: u16) -> &str {
    model
        .enums
        .get(scale)
        .and_then(|e| e.values.get(usize::from(rank)))
        .map_or("", String::as_str)
}

pub(super) fn relation(op: ConstraintOp) -> Relation {
    match op {
        ConstraintOp::Equal => Relation::Equal,
        ConstraintOp::AtMost => Relation::AtMost,
        ConstraintOp::AtLeast => Relation::AtLeast,
    }
}

/// What orders constraints of the same value: the rule's id, then the item.
fn tie_key<'a>(
    rules: &'a Table<RuleId, RuleDef>,
    f: &'a Fired,
) -> (Option<&'a str>, Option<&'a str>) {
    let id = rules.get(f.rule).map(|r| r.id.as_str());
    (id, f.item.as_deref())
}

/// A rank clamped between a cap (the best allowed) and a floor (the worst).
fn clamp(start: u16, cap: Option<u16>, floor: Option<u16>) -> u16 {
    let mut v = start;
    if let Some(c) = cap {
        v = v.max(c);
    }
    if let Some(f) = floor {
        v = v.min(f);
    }
    v
}
