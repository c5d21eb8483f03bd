//! The explanation's actions, deadlines (with the working of each date),
//! findings, advisories and the rules left undetermined.

use super::counts::Count;
use super::{capital, list, prose, title, would_give, Explainer};
use crate::outcome::{Item, WouldGive};

impl<'a> Explainer<'a> {
    pub(super) fn actions(&mut self) {
        self.heading("Actions");
        if self.outcome.actions.is_empty() {
            self.para(2, "None.");
        }
        for a in &self.outcome.actions {
            let due = match (&a.due, a.overdue) {
                (Some(d), true) => format!(", due by {d} (overdue)"),
                (Some(d), false) => format!(", due by {d}"),
                (None, _) => String::new(),
            };
            let label = a
                .label
                .as_ref()
                .map(|l| format!(" ({l})"))
                .unwrap_or_default();
            let text = format!(
                "{}{label}{}: required by {}{due}.{}",
                title(a.action),
                self.item(a.rule, a.item.as_deref()),
                self.rule(a.rule, a.cite),
                Self::provisional_note(a.provisional.as_deref())
            );
            self.para(2, &text);
            let ends: Vec<chrono::NaiveDate> = a.due.into_iter().collect();
            for working in self.workings(a.rule, a.action, &a.item, &ends) {
                self.para(4, &working);
            }
            self.rule_words(a.rule, 4);
        }
    }

    pub(super) fn findings(&mut self) {
        self.heading("Findings (what the evidence shows breaks a rule)");
        if self.outcome.findings.is_empty() {
            self.para(2, "None.");
        }
        for f in &self.outcome.findings {
            let message = f
                .message
                .as_ref()
                .map(|m| format!(": {m}"))
                .unwrap_or_default();
            let text = format!(
                "{}{}{message}; by {}.{}",
                title(f.finding),
                self.item_after(f.finding, f.rule, f.item.as_deref()),
                self.rule(f.rule, f.cite),
                Self::provisional_note(f.provisional.as_deref())
            );
            self.para(2, &text);
            self.rule_words(f.rule, 4);
        }
    }

    pub(super) fn deadlines(&mut self) {
        self.heading("Deadlines");
        if self.outcome.deadlines.is_empty() {
            self.para(2, "None.");
        }
        for d in &self.outcome.deadlines {
            let mut when = match (&d.date, &d.from, &d.to) {
                (Some(date), _, _) => date.to_string(),
                (None, Some(f), Some(t)) => format!("between {f} and {t}"),
                _ => "no date".to_string(),
            };
            if let Some(t) = &d.target {
                when.push_str(&format!(" (aiming for {t})"));
            }
            match (&d.met, d.last_day()) {
                // A window the ruleset leaves optional closes: what was
                // done after it was not done in time, and was no duty.
                (Some(m), Some(last)) if *m > last && d.optional => {
                    when.push_str(&format!(", done after it closed, on {m}"));
                }
                (Some(m), Some(last)) if *m > last => when.push_str(&format!(", met late, on {m}")),
                (Some(m), _) => when.push_str(&format!(", met on {m}")),
                _ => {}
            }
            // A window is met only once it has opened.
            if let Some(early) = &d.met_before_it_opened {
                when.push_str(&format!(
                    ", not met by what was done on {early}, before it opened"
                ));
            }
            // An optional deadline past and not met is a chance not taken,
            // not a duty missed.
            if d.optional && d.met.is_none() {
                let closed = match (self.outcome.evaluated_on, d.last_day()) {
                    (Some(on), Some(last)) if last < on => ", passed (optional: not overdue)",
                    _ => " (optional: it may be left undone)",
                };
                when.push_str(closed);
            }
            if d.overdue {
                if let Some(on) = &self.outcome.evaluated_on {
                    when.push_str(&format!(", overdue as at {on}"));
                }
            }
            let text = format!(
                "{}{}: {when}, by {}.{}",
                title(d.deadline),
                self.item_after(d.deadline, d.rule, d.item.as_deref()),
                self.rule(d.rule, d.cite),
                Self::provisional_note(d.provisional.as_deref())
            );
            self.para(2, &text);
            let ends: Vec<chrono::NaiveDate> = [d.date, d.from, d.to, d.target]
                .into_iter()
                .flatten()
                .collect();
            for working in self.workings(d.rule, d.deadline, &d.item, &ends) {
                self.para(4, &working);
            }
            self.rule_words(d.rule, 4);
        }
    }

    /// The working of each working-day count, calendar-month step and
    /// month's first or last day behind a deadline or an action's due
    /// date: `name` is the deadline's or the action's, and `ends` the
    /// dates it came to.
    fn workings(
        &self,
        rule: &str,
        name: &str,
        item: &Option<Item>,
        ends: &[chrono::NaiveDate],
    ) -> Vec<String> {
        // The counts made for this deadline or action, in the order made.
        let key = (rule, name, item.as_deref());
        let counts: &[Count<'_>] = self.counts.get(&key).map_or(&[], Vec::as_slice);
        // Those that end on its dates, and those that end where one of them
        // starts (a let counted from another's date), earliest first.
        let mut wanted: Vec<chrono::NaiveDate> = ends.to_vec();
        let mut chosen = vec![false; counts.len()];
        let mut grew = true;
        while grew {
            grew = false;
            for (c, count) in chosen.iter_mut().zip(counts) {
                if !*c && wanted.contains(&count.end) {
                    *c = true;
                    wanted.push(count.start);
                    grew = true;
                }
            }
        }
        let mut steps: Vec<&Count<'_>> = counts
            .iter()
            .zip(&chosen)
            .filter(|(_, c)| **c)
            .map(|(step, _)| step)
            .collect();
        steps.sort_by_key(|count| (count.end, count.start));
        let mut shown = Vec::new();
        for count in steps {
            let text = count.working();
            if !shown.contains(&text) {
                shown.push(text);
            }
        }
        shown
    }

    pub(super) fn advisories(&mut self) {
        self.heading(
            "Advisories (what the handbook says is likely; they never change a judgement)",
        );
        if self.outcome.advisories.is_empty() {
            self.para(2, "None.");
        }
        for a in &self.outcome.advisories {
            // The message as the outcome gives it: its words are the rule
            // author's, and may quote names with underscores.
            let text = format!(
                "{}{}: {}.{}",
                capital(&self.rule(a.rule, a.cite)),
                self.item(a.rule, a.item.as_deref()),
                a.message,
                Self::provisional_note(a.provisional.as_deref())
            );
            self.para(2, &text);
            self.rule_words(a.rule, 4);
        }
    }

    pub(super) fn undetermined(&mut self) {
        if self.outcome.undetermined.is_empty() {
            return;
        }
        self.heading("Undetermined (hard rules that could not be decided: evidence not known)");
        for u in &self.outcome.undetermined {
            let missing = if u.missing.is_empty() {
                "a value it needs is not known".to_string()
            } else {
                format!("the evidence does not say {}", list(&u.missing))
            };
            let depends = if u.depends_on.is_empty() {
                String::new()
            } else {
                format!(
                    " (it reads {}, which is provisional)",
                    list(&u.depends_on.iter().map(|j| prose(j)).collect::<Vec<_>>())
                )
            };
            let gives: Vec<String> = u.effects.iter().map(would_give).collect();
            let held =
                !u.effects.is_empty() && u.effects.iter().all(WouldGive::is_of_a_rule_that_held);
            let head = format!(
                "{}{}",
                capital(&self.rule(u.rule, u.cite)),
                self.item(u.rule, u.item.as_deref())
            );
            let text = if held {
                // Its condition held: what it gives is not known.
                format!(
                    "{head}: it fired, but {missing}{depends}: {}.",
                    list(&gives)
                )
            } else if gives.is_empty() {
                format!("{head}: {missing}{depends}.")
            } else {
                format!(
                    "{head}: {missing}{depends}. If its condition held, it would give: {}.",
                    list(&gives)
                )
            };
            self.para(2, &text);
            self.rule_words(u.rule, 4);
        }
    }
}
