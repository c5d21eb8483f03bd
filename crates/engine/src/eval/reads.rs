//! What a rule read: the values its condition read (for the trace and
//! `invalid` messages), the evidence it misses when it cannot be decided,
//! and the working of each working-day count, calendar-month step and
//! month's first or last day a deadline used.

use super::*;
use chrono::Datelike;
use judgement_syntax::ast::CalendarOp;

impl<'a> Run<'a, '_> {
    /// With a trace on: show every day each working-day sum in a deadline's
    /// expression skipped, and why, and where each step of calendar months
    /// landed.
    #[inline]
    pub(super) fn trace_date_counts(
        &mut self,
        e: ExprId,
        rule: &'a RuleDef,
        deadline: &'a str,
    ) -> Fallible<()> {
        if self.trace.is_none() {
            return Ok(());
        }
        self.trace_each_date_count(e, rule, deadline)
    }

    /// [`Run::trace_date_counts`] once a trace is asked for: out of line,
    /// so that evaluation without one carries none of it.
    #[cold]
    #[inline(never)]
    fn trace_each_date_count(
        &mut self,
        e: ExprId,
        rule: &'a RuleDef,
        deadline: &'a str,
    ) -> Fallible<()> {
        let mut stack = vec![e];
        // A date named by a `let` shows the working of its expression.
        let mut lets_seen = Vec::new();
        while let Some(id) = stack.pop() {
            let node = self.node(id)?;
            // A count inside `every`, `earliest` and the like is made once for
            // each element, with the element bound: not here, where the
            // element's slot holds another (a `for each` rule's own).
            if matches!(node, Node::Quantified { .. } | Node::Aggregate { .. }) {
                continue;
            }
            stack.extend(node.children());
            if let Node::Let(l) = node {
                stack.extend(self.let_once(*l, &mut lets_seen));
                continue;
            }
            if let Some(step) = self.date_step(id, node, rule, deadline)? {
                if let Some(t) = self.trace.as_mut() {
                    t.push(step);
                }
            }
        }
        Ok(())
    }

    /// The trace step of one node of a deadline's date, where it counts or
    /// steps a date: calendar months or days on (the same day of the month
    /// so many months on, or the month's last), a month's first or last
    /// day, a day after or before, or working days (`next working day
    /// after D` is `D + 1 working days`). `None` for any other node, and
    /// for one whose values are not dates and counts.
    fn date_step(
        &mut self,
        id: ExprId,
        node: &'a Node,
        rule: &'a RuleDef,
        deadline: &'a str,
    ) -> Fallible<Option<TraceStep<'a>>> {
        let (rule, cite) = (rule.id.as_str(), rule.cite.as_str());
        let step = match node {
            Node::Arith(
                op @ (Arith::DateAddMonths
                | Arith::DateSubMonths
                | Arith::DateAddDays
                | Arith::DateSubDays),
                a,
                b,
            ) => {
                let (Value::Date(start), Value::Months(n) | Value::Days(n)) =
                    (self.value(*a)?, self.value(*b)?)
                else {
                    return Ok(None);
                };
                let in_months = matches!(op, Arith::DateAddMonths | Arith::DateSubMonths);
                let n = match op {
                    Arith::DateSubMonths | Arith::DateSubDays => n.checked_neg(),
                    _ => Some(n),
                };
                // A sum out of range failed when the date was computed.
                let end = n.and_then(|n| match in_months {
                    true => super::months::add_months(start, n),
                    false => super::add_days(start, n),
                });
                let (Some(n), Some(end)) = (n, end) else {
                    return Ok(None);
                };
                let item = self.current_item();
                if in_months {
                    TraceStep::Months {
                        rule,
                        cite,
                        deadline,
                        item,
                        start,
                        months: n,
                        end,
                        clamped: end.day() != start.day(),
                    }
                } else {
                    TraceStep::Days {
                        rule,
                        cite,
                        deadline,
                        item,
                        start,
                        days: n,
                        end,
                    }
                }
            }
            Node::Calendar(
                op @ (CalendarOp::StartOfMonth
                | CalendarOp::EndOfMonth
                | CalendarOp::DayAfter
                | CalendarOp::DayBefore),
                a,
            ) => {
                let (Value::Date(start), Value::Date(end)) = (self.value(*a)?, self.value(id)?)
                else {
                    return Ok(None);
                };
                let item = self.current_item();
                let edge = match op {
                    CalendarOp::StartOfMonth => Some(Edge::Start),
                    CalendarOp::EndOfMonth => Some(Edge::End),
                    _ => None,
                };
                match edge {
                    Some(edge) => TraceStep::MonthEdge {
                        rule,
                        cite,
                        deadline,
                        item,
                        start,
                        edge,
                        end,
                    },
                    None => TraceStep::Days {
                        rule,
                        cite,
                        deadline,
                        item,
                        start,
                        days: (end - start).num_days(),
                        end,
                    },
                }
            }
            Node::Arith(op @ (Arith::DateAddWorking | Arith::DateSubWorking), a, b) => {
                let (Value::Date(start), Value::WorkingDays(n)) =
                    (self.value(*a)?, self.value(*b)?)
                else {
                    return Ok(None);
                };
                let n = if *op == Arith::DateSubWorking { -n } else { n };
                self.working_days_step(rule, cite, deadline, start, n)?
            }
            Node::Calendar(CalendarOp::NextWorkingDayAfter, a) => {
                let Value::Date(start) = self.value(*a)? else {
                    return Ok(None);
                };
                self.working_days_step(rule, cite, deadline, start, 1)?
            }
            _ => return Ok(None),
        };
        Ok(Some(step))
    }

    /// The trace step of `n` working days from `start`, with every day
    /// skipped and why.
    fn working_days_step(
        &self,
        rule: &'a str,
        cite: &'a str,
        deadline: &'a str,
        start: NaiveDate,
        n: i64,
    ) -> Fallible<TraceStep<'a>> {
        let cal = self.calendar.ok_or_else(|| fault(EvalError::NoCalendar))?;
        let count = cal.add_working_days_explained(start, n)?;
        Ok(TraceStep::WorkingDays {
            rule,
            cite,
            deadline,
            item: self.current_item(),
            start,
            days: n,
            end: count.end,
            skipped: count.skipped,
        })
    }

    /// The JSON paths of the evidence a rule's condition reads and that is
    /// not known: fields, the current element's fields, and the fields of
    /// the elements a quantifier over an evidence list looks at.
    pub(super) fn missing_fields(&mut self, rule: &RuleDef, index: usize) -> Fallible<Vec<String>> {
        let mut out = Vec::new();
        if let Some(cond) = rule.when {
            let prefix = rule.for_each.as_ref().map(|fe| fe.element_path(index));
            out.extend(self.deciding(cond, prefix.as_deref())?);
        }
        // What the list of a `for each` rule reads, when that is not known.
        if let Some(fe) = &rule.for_each {
            out.extend(self.missing_in(fe.list)?);
        }
        Ok(out)
    }

    /// The unknown evidence that could decide the condition `e`, whose
    /// truth is unknown: of an `and` or `or`, only what its operands whose
    /// truth is unknown read, each looked into the same way (an operand
    /// true in an `and`, or false in an `or`, cannot change it: with `x`
    /// true, `(x or a) and b` waits on `b` alone); of `not`, what its
    /// operand does; elsewhere all the unknown evidence it reads. A chain
    /// of `and`s or `or`s is read as the list of its operands
    /// (`Model::chains`), so a long one is walked once, not once an operand.
    fn deciding(&mut self, e: ExprId, prefix: Option<&str>) -> Fallible<Vec<String>> {
        let mut out = Vec::new();
        let mut stack = vec![e];
        while let Some(id) = stack.pop() {
            match *self.node(id)? {
                Node::And(a, b) | Node::Or(a, b) => {
                    let operands: Vec<ExprId> =
                        match self.model.chains.get(id).and_then(Option::as_deref) {
                            Some(operands) => operands.to_vec(),
                            None => vec![a, b],
                        };
                    // Pushed in reverse, so that they are named in order.
                    for operand in operands.into_iter().rev() {
                        if self.truth(operand)? == Tri::Unknown {
                            stack.push(operand);
                        }
                    }
                }
                Node::Not(a) => stack.push(a),
                _ => {
                    out.extend(self.fields_unknown(id)?);
                    out.extend(self.missing_in_scope(id, prefix)?);
                }
            }
        }
        Ok(out)
    }

    /// The evidence fields (not elements' fields) an expression reads,
    /// through lets too, that are unknown.
    fn fields_unknown(&mut self, e: ExprId) -> Fallible<Vec<String>> {
        let mut out = Vec::new();
        let mut stack = vec![e];
        let mut lets_seen = Vec::new();
        while let Some(id) = stack.pop() {
            match self.node(id)? {
                Node::Field(f) => {
                    if matches!(self.slot(*f), Some(Value::Unknown)) {
                        if let Some(d) = self.model.fields.get(*f) {
                            out.push(d.name.clone());
                        }
                    }
                }
                Node::Let(l) => stack.extend(self.let_once(*l, &mut lets_seen)),
                node => stack.extend(node.children()),
            }
        }
        Ok(out)
    }

    /// Unknown evidence an expression reads (fields and lets' fields).
    pub(super) fn missing_in(&mut self, e: ExprId) -> Fallible<Vec<String>> {
        let mut out = self.fields_unknown(e)?;
        // In a `for each` rule, the element's own fields are named by the
        // element's path (`notices[1].completion`).
        let prefix = match (
            self.current.and_then(|r| r.for_each.as_ref()),
            self.vars.first(),
        ) {
            (Some(fe), Some(Some((_, index)))) => Some(fe.element_path(*index)),
            _ => None,
        };
        out.extend(self.missing_in_scope(e, prefix.as_deref())?);
        Ok(out)
    }

    /// The expression of the let `l` the first time a walk meets it (`seen`
    /// holds those met): a walk looks into each let once, however often it
    /// is named.
    fn let_once(&self, l: LetId, seen: &mut Vec<LetId>) -> Option<ExprId> {
        if seen.contains(&l) {
            return None;
        }
        seen.push(l);
        self.model.lets.get(l).map(|d| d.expr)
    }

    /// Unknown element fields read under `e`: those of the `for each`
    /// element (slot 0, named by `prefix`), and those of the elements of a
    /// quantified evidence list.
    pub(super) fn missing_in_scope(
        &mut self,
        e: ExprId,
        prefix: Option<&str>,
    ) -> Fallible<Vec<String>> {
        let mut out = Vec::new();
        // Each expression, and whether it is inside a let: there slot 0 is a
        // quantifier's element, not the `for each` rule's.
        let mut stack = vec![(e, false)];
        // A let over an evidence list names the elements it misses too.
        let mut lets_seen = Vec::new();
        while let Some((id, in_let)) = stack.pop() {
            let node = self.node(id)?;
            match node {
                Node::Let(l) => {
                    stack.extend(self.let_once(*l, &mut lets_seen).map(|e| (e, true)));
                }
                Node::Var { .. } if in_let => {}
                Node::Var {
                    slot: 0,
                    field: Some(f),
                } => {
                    let (Some(prefix), Some((items, index))) =
                        (prefix, self.vars.first().and_then(Option::as_ref))
                    else {
                        continue;
                    };
                    let unknown = items
                        .get(*index)
                        .and_then(|el| el.fields().get(*f))
                        .is_some_and(|v| matches!(v, Value::Unknown));
                    if unknown {
                        if let Some((name, _, _)) = self.for_each_field(*f) {
                            let field = name.split_once('.').map_or(name.as_str(), |(_, f)| f);
                            out.push(format!("{prefix}.{field}"));
                        }
                    }
                }
                Node::Quantified { list, slot, .. } | Node::Aggregate { list, slot, .. } => {
                    stack.extend(node.children().map(|c| (c, in_let)));
                    let Some(Node::Field(f)) = self.model.exprs.get(*list) else {
                        continue;
                    };
                    let Some(Value::List(items)) = self.slot(*f) else {
                        continue;
                    };
                    let name = self
                        .model
                        .fields
                        .get(*f)
                        .map(|d| d.name.clone())
                        .unwrap_or_default();
                    let reads = self.slot_fields(id, *slot);
                    let record = self.record_of_list(*f);
                    for (i, el) in items.iter().enumerate() {
                        for field in &reads {
                            if matches!(el.fields().get(*field), Some(Value::Unknown)) {
                                let fname = record
                                    .and_then(|r| r.fields.get(*field))
                                    .map(|d| d.name.as_str())
                                    .unwrap_or_default();
                                out.push(format!("{name}[{i}].{fname}"));
                            }
                        }
                    }
                }
                node => stack.extend(node.children().map(|c| (c, in_let))),
            }
        }
        Ok(out)
    }

    /// The fields of the elements bound at `slot` that the expressions under
    /// a quantifier read.
    pub(super) fn slot_fields(&self, quantifier: ExprId, slot: usize) -> Vec<usize> {
        let under = self
            .model
            .exprs
            .get(quantifier)
            .map(|n| n.children().skip(1).collect())
            .unwrap_or_default();
        self.slot_fields_under(under, slot)
    }

    /// The fields of the elements bound at `slot` that the expressions
    /// `under` read, each once, in the order first met.
    fn slot_fields_under(&self, under: Vec<ExprId>, slot: usize) -> Vec<usize> {
        let mut out = Vec::new();
        let mut stack = under;
        while let Some(id) = stack.pop() {
            match self.model.exprs.get(id) {
                Some(Node::Var {
                    slot: s,
                    field: Some(f),
                }) if *s == slot && !out.contains(f) => out.push(*f),
                Some(Node::Var { .. }) => {}
                Some(n) => stack.extend(n.children()),
                None => {}
            }
        }
        out
    }

    pub(super) fn record_of_list(&self, field: FieldId) -> Option<&'a RecordDef> {
        match self.model.fields.get(field)?.ty {
            Type::List(crate::types::Elem::Record(r)) => self.model.records.get(r),
            _ => None,
        }
    }

    /// `name = value` for each field, let, judgement and element field a
    /// condition reads.
    pub(super) fn values_read(&mut self, cond: Option<ExprId>) -> Vec<ReadValue<'a>> {
        let mut out = Vec::new();
        let mut stack: Vec<ExprId> = cond.into_iter().collect();
        while let Some(id) = stack.pop() {
            let Ok(node) = self.node(id) else { continue };
            let entry = match node {
                Node::Field(f) => self
                    .model
                    .fields
                    .get(*f)
                    .map(|d| (Cow::Borrowed(d.name.as_str()), d.ty, self.slot(*f).cloned())),
                Node::Let(l) => {
                    self.work_out_late(*l);
                    self.model.lets.get(*l).map(|d| {
                        (
                            Cow::Borrowed(d.name.as_str()),
                            d.ty,
                            self.lets.get(*l).cloned().flatten(),
                        )
                    })
                }
                Node::Judgement(j) => self.model.judgements.get(*j).map(|d| {
                    let v = self
                        .judgements
                        .get(*j)
                        .and_then(|s| s.value)
                        .map_or(Value::None, Value::Enum);
                    (
                        Cow::Borrowed(d.name.as_str()),
                        Type::Enum {
                            id: d.scale,
                            ordered: true,
                        },
                        Some(v),
                    )
                }),
                Node::Var {
                    slot: 0,
                    field: Some(f),
                } => self
                    .for_each_field(*f)
                    .map(|(name, ty, v)| (Cow::Owned(name), ty, v)),
                Node::Threshold(t) => self
                    .model
                    .thresholds
                    .get(*t)
                    .map(|d| (Cow::Borrowed(d.name.as_str()), d.ty, Some(d.value.clone()))),
                // The elements a quantifier or aggregate looked at are many:
                // its result speaks for them.
                Node::Quantified { .. } | Node::Aggregate { .. } => None,
                other => {
                    // Read operands left to right: push them reversed.
                    let children: Vec<ExprId> = other.children().collect();
                    stack.extend(children.into_iter().rev());
                    None
                }
            };
            if let Some((name, ty, Some(v))) = entry {
                let read = ReadValue {
                    name,
                    value: show(self.model, ty, &v),
                    named: named(ty),
                };
                if !out.contains(&read) {
                    out.push(read);
                }
            }
        }
        out
    }

    /// `name = value` for each field of the element at `index` of the
    /// evidence list `list` that `cond` reads of it (bound at `slot`),
    /// named by its JSON path (`requirements[1].met`): what a quantifier's
    /// or an aggregate's condition read of one element, for `why not`.
    /// Empty where the list is not an evidence list of records.
    pub(super) fn element_reads(
        &self,
        list: ExprId,
        slot: usize,
        cond: ExprId,
        index: usize,
    ) -> Vec<ReadValue<'a>> {
        let Some(Node::Field(f)) = self.model.exprs.get(list) else {
            return Vec::new();
        };
        let (Some(Value::List(items)), Some(def)) = (self.slot(*f), self.model.fields.get(*f))
        else {
            return Vec::new();
        };
        let Some(element) = items.get(index) else {
            return Vec::new();
        };
        let Some(record) = self.record_of_list(*f) else {
            // A list of plain values: the element itself, where the
            // condition reads it.
            let (Type::List(elem), Some(value)) = (def.ty, element.fields().first()) else {
                return Vec::new();
            };
            if !self.reads_element(cond, slot) {
                return Vec::new();
            }
            return vec![ReadValue {
                name: Cow::Owned(format!("{}[{index}]", def.name)),
                value: show(self.model, elem.ty(), value),
                named: named(elem.ty()),
            }];
        };
        // The walk meets the fields right to left: reversed, they are in
        // the order the condition is written.
        self.slot_fields_under(vec![cond], slot)
            .into_iter()
            .rev()
            .filter_map(|field| {
                let fdef = record.fields.get(field)?;
                let value = element.fields().get(field)?;
                Some(ReadValue {
                    name: Cow::Owned(format!("{}[{index}].{}", def.name, fdef.name)),
                    value: show(self.model, fdef.ty, value),
                    named: named(fdef.ty),
                })
            })
            .collect()
    }

    /// Whether `e` reads the plain element bound at `slot` itself.
    fn reads_element(&self, e: ExprId, slot: usize) -> bool {
        let mut stack = vec![e];
        while let Some(id) = stack.pop() {
            match self.model.exprs.get(id) {
                Some(Node::Var {
                    slot: s,
                    field: None,
                }) if *s == slot => return true,
                Some(n) => stack.extend(n.children()),
                None => {}
            }
        }
        false
    }

    /// `element.field`, its type and value, for the `for each` element.
    pub(super) fn for_each_field(&self, field: usize) -> Option<(String, Type, Option<Value>)> {
        let (items, index) = self.vars.first()?.as_ref()?;
        let element = items.get(*index)?;
        let fe = self.current?.for_each.as_ref()?;
        let crate::types::Elem::Record(rec) = fe.elem else {
            return None;
        };
        let def = self.model.records.get(rec)?.fields.get(field)?;
        Some((
            format!("{}.{}", fe.var, def.name),
            def.ty,
            element.fields().get(field).cloned(),
        ))
    }
}

/// Whether a value of type `ty` is shown as the name of a value of a scale
/// or choice (`ReadValue::named`).
fn named(ty: Type) -> bool {
    matches!(ty, Type::Enum { .. })
}
