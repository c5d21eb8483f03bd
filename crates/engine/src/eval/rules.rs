//! A rule decided: by its guards, or the long way (a `for each` rule, or
//! any rule while a trace, a probe of conditions or a provisional
//! judgement is about), and what its condition came to acted on.

use super::*;

impl<'a> Run<'a, '_> {
    /// A rule decided the long way: a `for each` rule, or any rule while a
    /// trace, a probe of conditions or a provisional judgement is about
    /// (`Run::quiet`). Out of line: most records take it for few rules or
    /// none, and its code would otherwise sit among the instructions of the
    /// step loop every record runs.
    #[inline(never)]
    pub(super) fn rule(&mut self, r: RuleId) -> Fallible<()> {
        let rule = self.rule_def(r)?;
        let Some(fe) = &rule.for_each else {
            return self.rule_once(r, None, 0);
        };
        // Most lists of evidence are empty or not given, seen where they
        // are; a sequence of months need not be built to learn that the
        // rule is false for every month: its length is enough.
        let extent = self.extent(fe.list)?;
        match extent {
            Extent::Unknown => return self.list_unknown(r, rule),
            Extent::Len(0) => return Ok(()),
            Extent::Len(_) if self.never_fires_first(r, rule, None)? => return Ok(()),
            Extent::Len(_) | Extent::Build => {}
        }
        let Some(items) = self.list(fe.list)? else {
            return self.list_unknown(r, rule);
        };
        if extent == Extent::Build
            && !items.is_empty()
            && self.never_fires_first(r, rule, Some(&items))?
        {
            return Ok(());
        }
        self.each_element(&items, 0, |run, index| {
            let element = items.get(index);
            run.rule_once(r, element, index)
                .map_err(|e| run.for_element(*e, rule, element, index))?;
            Ok(true)
        })
    }

    /// [`Run::never_fires`] of a `for each` rule over a list with an
    /// element: an error its guards meet is the first element's, which
    /// would have met it first, and names that element as its evaluation
    /// would. `items`: the list, where it is built; else it is built here,
    /// only for the error.
    fn never_fires_first(
        &mut self,
        r: RuleId,
        rule: &'a RuleDef,
        items: Option<&Arc<[Element]>>,
    ) -> Fallible<bool> {
        self.never_fires(r, rule)
            .map_err(|e| self.first_element(*e, rule, items))
    }

    /// `e` as the first element of `rule`'s list would have met it.
    #[cold]
    #[inline(never)]
    fn first_element(
        &mut self,
        e: EvalError,
        rule: &'a RuleDef,
        items: Option<&Arc<[Element]>>,
    ) -> Box<EvalError> {
        let built = match (items, &rule.for_each) {
            (None, Some(fe)) => self.list(fe.list).ok().flatten(),
            _ => None,
        };
        let first = items.or(built.as_ref()).and_then(|items| items.first());
        self.for_element(e, rule, first, 0)
    }

    /// `e`, which arose in `for each` rule `rule` for the element at
    /// `index` of its list, naming the rule and the element: its id and,
    /// where the list is a field of the evidence, its JSON path, so that a
    /// record with several can be mended at the right one.
    #[cold]
    #[inline(never)]
    fn for_element(
        &self,
        e: EvalError,
        rule: &RuleDef,
        element: Option<&Element>,
        index: usize,
    ) -> Box<EvalError> {
        let path = rule.for_each.as_ref().and_then(|fe| {
            matches!(self.model.exprs.get(fe.list), Some(Node::Field(_)))
                .then(|| fe.element_path(index))
        });
        let item = element.map(|el| el.id().to_string());
        Box::new(e.within_element(&format!("rule {}", rule.id), item, path))
    }

    /// A `for each` rule whose list is not known (a sequence of months with
    /// an end not known): it could fire for elements nobody can name, so it
    /// is undetermined, naming what its list reads that is not known, as a
    /// condition that reads unknown evidence is; never passed over as if the
    /// list were empty.
    ///
    /// Unless a part of its condition that reads no element is false (then
    /// it is false for every element, whatever they are), with no judgement
    /// in doubt that could make it true.
    #[inline(never)]
    pub(super) fn list_unknown(&mut self, r: RuleId, rule: &'a RuleDef) -> Fallible<()> {
        if !self.any_doubt && self.loop_guard_false(r, rule)? {
            return Ok(());
        }
        self.current = Some(rule);
        self.rule_result(r, rule, Tri::Unknown, None, 0)
    }

    /// Whether a rule that does not fire asks for nothing more: no trace,
    /// no probe of conditions, and no provisional judgement whose doubt it
    /// could carry.
    pub(super) fn quiet(&self) -> bool {
        !self.any_doubt && self.trace.is_none() && !self.probing()
    }

    /// Whether rules' conditions are recorded part by part
    /// (`ProbeScope::takes_conditions`): then no rule or element is passed
    /// by.
    pub(super) fn probing(&self) -> bool {
        self.probes.is_some() && self.probe_scope.takes_conditions()
    }

    /// Whether every list is read whole, through no index: only the long
    /// way (`ProbeScope::Every`, `Ruleset::evaluate_the_long_way`, and rule
    /// coverage), the reference the indexes are held to. A probe of one
    /// rule or judgement (why-not's answer) reads through them: a
    /// quantifier's result is the same either way (`tests/fast_paths/`),
    /// and the elements a probe shows inside a condition are read one by
    /// one, not through its result (`Run::within`).
    pub(super) fn reads_lists_whole(&self) -> bool {
        self.probes.is_some() && self.probe_scope == ProbeScope::Every
    }

    /// Whether a `for each` rule over a list that is not empty is false for
    /// every element, as one of the operands of its condition that come
    /// before any that reads the element is false (`Model::loop_guards`).
    /// Each element's evaluation would evaluate those same operands, in the
    /// same order, first: the values and any error are the ones it would
    /// meet. Only where a rule that does not fire asks for nothing more (no
    /// trace, no probe, no provisional judgement), as in `rule_once`.
    pub(super) fn never_fires(&mut self, r: RuleId, rule: &'a RuleDef) -> Fallible<bool> {
        if !self.quiet() {
            return Ok(false);
        }
        self.loop_guard_false(r, rule)
    }

    /// Whether one of the operands of a `for each` rule's condition that come
    /// before any that reads the element (`Model::loop_guards`) is false.
    pub(super) fn loop_guard_false(&mut self, r: RuleId, rule: &'a RuleDef) -> Fallible<bool> {
        let guards = self.model.loop_guards.get(r).map_or(&[][..], |g| &g[..]);
        self.current = Some(rule);
        for &guard in guards {
            if self.truth(guard)? == Tri::False {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// The doubt over a rule's result when its condition reads provisional
    /// judgements: its condition read with those judgements unknown.
    pub(super) fn doubt_over(&mut self, rule: &RuleDef, result: Tri) -> Fallible<Option<Doubt>> {
        let provisional =
            |j: &JudgementId| self.judgements.get(*j).is_some_and(|s| s.doubt.is_some());
        // Most rules read no provisional judgement: nothing to gather.
        if !self.any_doubt {
            return Ok(None);
        }
        if !rule
            .reads_judgements
            .iter()
            .chain(&rule.effect_judgements)
            .any(provisional)
        {
            return Ok(None);
        }
        let doubtful: Vec<JudgementId> = rule
            .reads_judgements
            .iter()
            .chain(&rule.effect_judgements)
            .filter(|j| provisional(j))
            .copied()
            .collect();
        let depends = match rule.when {
            Some(cond) => self.truth_doubting(cond)? == Tri::Unknown,
            None => false,
        };
        let from_effects =
            result == Tri::True && rule.effect_judgements.iter().any(|j| doubtful.contains(j));
        if !depends && !from_effects {
            return Ok(None);
        }
        Ok(Some(self.doubt_of(&doubtful)))
    }

    /// The truth of `cond` with the provisional judgements read as unknown.
    pub(super) fn truth_doubting(&mut self, cond: ExprId) -> Fallible<Tri> {
        self.doubting = true;
        let masked = self.truth(cond);
        self.doubting = false;
        masked
    }

    /// The doubt over the judgements `judgements`, together.
    pub(super) fn doubt_of(&self, judgements: &[JudgementId]) -> Doubt {
        let mut doubt = Doubt::default();
        for &j in judgements {
            if let Some(d) = self.judgements.get(j).and_then(|s| s.doubt.as_ref()) {
                doubt.absorb(d);
            }
        }
        doubt
    }

    // Inlined into its two callers: a call for each rule was 8% of an
    // evaluation's instructions (callgrind), most rules being decided by
    // the first part of their condition.
    #[inline(always)]
    pub(super) fn rule_once(
        &mut self,
        r: RuleId,
        element: Option<&Element>,
        index: usize,
    ) -> Fallible<()> {
        let rule = self.rule_def(r)?;
        self.current = Some(rule);
        // Most conditions are an `and` whose first parts, fields or
        // judgements read where they are, make it false.
        let mut guarded = None;
        if self.quiet() {
            guarded = self.model.guards.get(r).and_then(|g| self.guarded(g));
            if guarded == Some(Tri::False) {
                return Ok(());
            }
        }
        self.decide(r, rule, guarded, element, index)
    }

    /// A rule's condition walked (unless its guards, which are all of it,
    /// gave its truth: `guarded`), and what it came to acted on: the rest
    /// of [`Run::rule_once`] once the guards have not made it false.
    #[inline(always)]
    pub(super) fn decide(
        &mut self,
        r: RuleId,
        rule: &'a RuleDef,
        guarded: Option<Tri>,
        element: Option<&Element>,
        index: usize,
    ) -> Fallible<()> {
        let result = match (guarded, rule.when) {
            (Some(t), _) => t,
            (None, Some(cond)) => self.truth(cond)?,
            (None, None) => Tri::True,
        };
        // Most rules do not fire: with no doubt to weigh and nothing to
        // record, there is nothing more to do, and the rest stays out of
        // this, the common path.
        if result == Tri::False && self.quiet() {
            return Ok(());
        }
        self.rule_result(r, rule, result, element, index)
    }

    /// What a rule's condition came to, acted on: its effects when it
    /// fired, an undetermined entry when it could not be decided, and its
    /// trace and probe when they are asked for.
    #[inline(never)]
    pub(super) fn rule_result(
        &mut self,
        r: RuleId,
        rule: &'a RuleDef,
        result: Tri,
        element: Option<&Element>,
        index: usize,
    ) -> Fallible<()> {
        let doubt = self.doubt_over(rule, result)?;
        // False only on a provisional judgement, it could fire: the trace
        // and probe call it undetermined, as the outcome does.
        let shown = match (result, &doubt) {
            (Tri::False, Some(_)) => Tri::Unknown,
            (result, _) => result,
        };
        // Recorded where its probe is asked for; of a probe of its result
        // alone, only a result that is not false (an element passed by,
        // which did not fire, is recorded as nothing, so none that did not
        // is).
        let probed = self.probes.is_some()
            && self.probe_scope.takes(self.model, r, rule)
            && (shown != Tri::False || self.probe_scope.takes_conditions());
        // The element's id is written out only where something names it.
        let named = self.trace.is_some() || probed || result != Tri::False || doubt.is_some();
        let item = element.filter(|_| named).map(Element::id);
        if probed {
            self.probe(r, item.clone(), shown)?;
        }
        if self.trace.is_some() {
            let values = self.values_read(rule.when);
            if let Some(t) = self.trace.as_mut() {
                t.push(TraceStep::Rule {
                    rule: &rule.id,
                    cite: &rule.cite,
                    result: match shown {
                        Tri::True => RuleResult::Fired,
                        Tri::False => RuleResult::NotFired,
                        Tri::Unknown => RuleResult::Undetermined,
                    },
                    item: item.clone(),
                    values,
                });
            }
        }
        match (result, doubt) {
            (Tri::True, doubt) => {
                for effect in &rule.effects {
                    self.effect(r, rule, effect, item.as_ref(), doubt.as_ref())?;
                }
                Ok(())
            }
            (Tri::False, None) => Ok(()),
            (Tri::False, Some(doubt)) => {
                // Decided only by a provisional judgement: it could fire.
                self.undecided(r, rule, item, doubt)
            }
            (Tri::Unknown, doubt) => {
                let mut missing = self.missing_fields(rule, index)?;
                if let Some(d) = &doubt {
                    missing.extend(d.missing.iter().cloned());
                }
                sort_unique(&mut missing);
                let mut all = doubt.unwrap_or_default();
                all.rules.push(r);
                all.absorb(&Doubt {
                    rules: Vec::new(),
                    missing,
                });
                self.undecided(r, rule, item, all)
            }
        }
    }

    /// The id of the element the current `for each` rule is on.
    pub(super) fn current_item(&self) -> Option<Item> {
        let (items, index) = self.vars.first()?.as_ref()?;
        items.get(*index).map(Element::id)
    }
}
