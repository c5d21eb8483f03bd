//! The `invalid` checks, run before any rule: each that holds refuses the
//! record with its message, naming the evidence it blames.

use super::*;
use judgement_syntax::ast::Quantifier;

impl<'a> Run<'a, '_> {
    /// The `invalid` checks: each that holds refuses the record, and all
    /// that hold are reported. `tainted` marks the lets that failed (empty
    /// when none did), whose checks are not asked.
    pub(super) fn checks(&mut self, tainted: &[bool]) -> Fallible<()> {
        let mut errors = Vec::new();
        // The checks a record read in one pass cannot break: they do not
        // hold on the defaults, and it gave none of the fields they read
        // (`AtRest::quiet_checks`). Each would be found false by its guards,
        // or pass its empty list by, as below; a trace or a probe asks
        // every one.
        let mut quiet = [0u64; 4];
        if let (Some(rest), Some(written), true) = (self.at_rest, self.written, self.quiet()) {
            if rest.holds(written) {
                rest.quiet_checks(written, &mut quiet);
            }
        }
        for (i, &r) in self.model.checks.iter().enumerate() {
            if quiet
                .get(i / 64)
                .is_some_and(|w| w & (1u64 << (i % 64)) != 0)
            {
                continue;
            }
            let rule = self.rule_def(r)?;
            let Some(cond) = rule.when else { continue };
            if !tainted.is_empty() && reads_tainted(self.model, cond, tainted) {
                continue;
            }
            let Some(EffectDef::Reject { message }) = rule.effects.first() else {
                continue;
            };
            self.current = Some(rule);
            match &rule.for_each {
                None => {
                    // Its guards, where they decide it, as for any rule;
                    // a check is never traced.
                    let guarded = self.model.guards.get(r).and_then(|g| self.guarded(g));
                    let holds = match guarded {
                        Some(t) => t,
                        None => self
                            .truth(cond)
                            .map_err(|e| arose_in(*e, "invalid", &rule.id))?,
                    };
                    if holds == Tri::True {
                        errors.push(self.rejection(rule, cond, message, None)?);
                    }
                }
                Some(fe) => {
                    if self.empty_in_place(fe.list) {
                        continue;
                    }
                    let Some(items) = self.list(fe.list)? else {
                        continue;
                    };
                    let mut found = Vec::new();
                    let guards = self.model.guards.get(r);
                    self.each_element(&items, 0, |run, index| {
                        // Each element's guards first, as for a rule's.
                        let holds = match guards.and_then(|g| run.guarded(g)) {
                            Some(t) => t,
                            None => run
                                .truth(cond)
                                .map_err(|e| arose_in(*e, "invalid", &rule.id))?,
                        };
                        if holds == Tri::True {
                            let at = fe.element_path(index);
                            found.push(run.rejection(rule, cond, message, Some(at))?);
                        }
                        Ok(true)
                    })?;
                    errors.extend(found);
                }
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(fault(EvalError::Evidence(errors)))
        }
    }

    pub(super) fn rejection(
        &mut self,
        rule: &RuleDef,
        cond: ExprId,
        message: &'a Message,
        at: Option<String>,
    ) -> Fallible<EvidenceError> {
        let text = self.message(message)?;
        // The author's words are short; the record's text put into them
        // need not be (an id of megabytes).
        let text = crate::evidence::clipped_to(&text, MESSAGE_CHARS);
        let values = self.values_read(Some(cond));
        let part = self.holding_part(cond)?;
        let witness = self
            .witness_path(rule, part, at.as_deref())
            .map_err(|e| arose_in(*e, "invalid", &rule.id))?;
        let path = match (witness, at) {
            (Some(witness), _) => witness,
            // An element's field that the part which holds reads, named
            // under the element's path (`requirements[1].sources`).
            (None, Some(at)) => match (self.blamed_member(part)?, rule.for_each.as_ref()) {
                (
                    Some(i),
                    Some(ForEachDef {
                        elem: Elem::Record(r),
                        ..
                    }),
                ) => match self.model.records.get(*r).and_then(|d| d.fields.get(i)) {
                    Some(field) => format!("{at}.{}", field.name),
                    None => at,
                },
                _ => at,
            },
            (None, None) => self
                .blamed_field(part)?
                .or_else(|| rule.reads.first().copied())
                .and_then(|f| self.model.fields.get(f))
                .map(|d| d.name.clone())
                .unwrap_or_default(),
        };
        Ok(EvidenceError {
            path,
            message: rejected(&text, &rule.id, &values),
        })
    }

    /// Where the part of a check that holds is `some X in L satisfies C`
    /// over a list of the evidence (a field of the record, for a check
    /// with no `for each`; a field of the element at `at`, for one with),
    /// the JSON path of the first element that satisfies `C`, and of the
    /// first of its fields `C` reads: `holiday.children[3].stays[30000].end`,
    /// not the list, which may be long. `None` for any other part, which
    /// is blamed as before. Under a `for each`, a list of the record is
    /// not the refused element's: the element is blamed, and the list is
    /// not read again for each element refused.
    fn witness_path(
        &mut self,
        rule: &RuleDef,
        part: ExprId,
        at: Option<&str>,
    ) -> Fallible<Option<String>> {
        let Node::Quantified {
            quantifier: Quantifier::Some,
            list,
            slot,
            cond,
        } = *self.node(part)?
        else {
            return Ok(None);
        };
        let model = self.model;
        let (list_path, ty) = match (self.node(list)?, at, rule.for_each.as_ref()) {
            (Node::Field(f), None, None) => match model.fields.get(*f) {
                Some(d) => (d.name.clone(), &d.ty),
                None => return Ok(None),
            },
            (
                Node::Var {
                    slot: 0,
                    field: Some(i),
                },
                Some(at),
                Some(ForEachDef {
                    elem: Elem::Record(r),
                    ..
                }),
            ) => match model.records.get(*r).and_then(|d| d.fields.get(*i)) {
                Some(d) => (format!("{at}.{}", d.name), &d.ty),
                None => return Ok(None),
            },
            _ => return Ok(None),
        };
        let Some(items) = self.list(list)? else {
            return Ok(None);
        };
        let mut found = None;
        self.each_element(&items, slot, |run, index| {
            if run.truth(cond)? == Tri::True {
                found = Some(index);
                return Ok(false);
            }
            Ok(true)
        })?;
        let Some(index) = found else {
            return Ok(None);
        };
        let element = format!("{list_path}[{index}]");
        let member = self.first_read(cond, false, |node| match node {
            Node::Var {
                slot: s,
                field: Some(i),
            } if *s == slot => Some(*i),
            _ => None,
        })?;
        let name = match (ty, member) {
            (Type::List(Elem::Record(r)), Some(i)) => model
                .records
                .get(*r)
                .and_then(|d| d.fields.get(i))
                .map(|f| f.name.as_str()),
            _ => None,
        };
        Ok(Some(match name {
            Some(name) => format!("{element}.{name}"),
            None => element,
        }))
    }

    /// The part of an `invalid` check's condition that holds: where the
    /// condition is an `or` of parts, the first that holds (`a < 0 or b < 0`
    /// with only `b` below zero is `b < 0`); else the whole condition.
    pub(super) fn holding_part(&mut self, cond: ExprId) -> Fallible<ExprId> {
        let mut e = cond;
        while let Node::Or(a, b) = *self.node(e)? {
            e = if self.truth(a)? == Tri::True {
                a
            } else if self.truth(b)? == Tri::True {
                b
            } else {
                break;
            };
        }
        Ok(e)
    }

    /// The first top-level field `part` reads, in reading order, through
    /// lets: the field a check that holds blames.
    pub(super) fn blamed_field(&self, part: ExprId) -> Fallible<Option<FieldId>> {
        self.first_read(part, true, |node| match node {
            Node::Field(f) => Some(*f),
            _ => None,
        })
    }

    /// The first field of the `for each` element (binder slot 0) that
    /// `part` reads, in reading order: the field a check over a list's
    /// elements blames. Not through lets: a let cannot read the element,
    /// and its own binders number from slot 0 again.
    pub(super) fn blamed_member(&self, part: ExprId) -> Fallible<Option<usize>> {
        self.first_read(part, false, |node| match node {
            Node::Var {
                slot: 0,
                field: Some(i),
            } => Some(*i),
            _ => None,
        })
    }

    /// The first node of `e`, in reading order and (with `through_lets`)
    /// through lets, that `pick` takes.
    pub(super) fn first_read<T>(
        &self,
        e: ExprId,
        through_lets: bool,
        pick: impl Fn(&Node) -> Option<T>,
    ) -> Fallible<Option<T>> {
        let mut stack = vec![e];
        while let Some(id) = stack.pop() {
            let node = self.node(id)?;
            if let Some(found) = pick(node) {
                return Ok(Some(found));
            }
            match node {
                Node::Let(l) if through_lets => {
                    stack.extend(self.model.lets.get(*l).map(|d| d.expr));
                }
                Node::Let(_) => {}
                node => {
                    let children: Vec<ExprId> = node.children().collect();
                    stack.extend(children.into_iter().rev());
                }
            }
        }
        Ok(None)
    }
}

/// A refusal's message: the author's words, the check's id and the values
/// its condition read.
fn rejected(text: &str, id: &str, values: &[impl std::fmt::Display]) -> String {
    if values.is_empty() {
        return format!("{text} (invalid `{id}`)");
    }
    let shown: Vec<String> = values.iter().map(ToString::to_string).collect();
    format!("{text} (invalid `{id}`; {})", shown.join(", "))
}
