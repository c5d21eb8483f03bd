//! The outcome of one evidence record in plain English: each judgement,
//! action, deadline and advisory with its rule, citation, the handbook's
//! words and the reading the ruleset takes; the working of each working-day
//! count, calendar-month step and month's first or last day; the derived
//! values and the values each rule read. Built from the typed outcome and
//! its trace (evaluate with `EvalOptions::trace` on), so every embedding
//! gets the same text as `judgement explain`.

use crate::outcome::{
    Constraint, Item, JudgementDetail, Relation, RuleResult, TraceStep, WouldGive,
};
use crate::{Outcome, Ruleset};
use std::collections::{BTreeSet, HashMap, HashSet};

mod counts;
use counts::{date_counts, Count, Counts};

/// The plain-English explanation of `outcome`, which `ruleset` gave for the
/// evidence named `evidence` (a file name, for the heading). Without a
/// trace, the derived values and the values rules read are left out.
pub fn explain(ruleset: &Ruleset, outcome: &Outcome<'_>, evidence: &str) -> String {
    Explainer::new(ruleset, outcome).page(evidence)
}

/// Prose is wrapped to this width.
const WIDTH: usize = 100;

/// Words for people: `requires_improvement` -> `requires improvement`,
/// and the handbooks' abbreviations, which a name writes in lower case, in
/// capitals again: `email_dcs` -> `email DCS`.
fn prose(name: &str) -> String {
    let words: Vec<&str> = name
        .split('_')
        .map(|word| match word {
            "dcs" => "DCS",
            "dbs" => "DBS",
            "dfe" => "DfE",
            "cse" => "CSE",
            "hmi" => "HMI",
            "la" => "LA",
            "lado" => "LADO",
            "qa" => "QA",
            "ri" => "RI",
            "rim" => "RIM",
            "sccif" => "SCCIF",
            "urn" => "URN",
            "ofsted" => "Ofsted",
            "childrens" => "children's",
            word => word,
        })
        .collect();
    words.join(" ")
}

/// `leaders_and_managers` -> `Leaders and managers`.
fn title(name: &str) -> String {
    capital(&prose(name))
}

/// The first letter in upper case.
fn capital(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// What an undetermined rule would give, in the words the rest of the
/// page uses: `the finding Arrived before noon`, `Overall at most requires
/// improvement`.
fn would_give(gives: &WouldGive<'_>) -> String {
    match gives {
        WouldGive::Bound {
            judgement,
            relation,
            value,
        } => {
            let value = value.map_or_else(|| "a value not known".to_string(), prose);
            format!("{} {relation} {value}", title(judgement))
        }
        WouldGive::Action(name) => format!("the action {}", title(name)),
        WouldGive::Finding(name) => format!("the finding {}", title(name)),
        WouldGive::Deadline(name) => format!("the deadline {}", title(name)),
        WouldGive::NoJudgement => "no judgement".into(),
        WouldGive::NoJudgementOf(name) => format!("no {} judgement", prose(name)),
        WouldGive::Advisory => "an advisory".into(),
        WouldGive::Refusal => "the record refused".into(),
        WouldGive::DateNotKnown { kind, name } => {
            format!("the {} {}, on a date not known", kind.word(), title(name))
        }
        WouldGive::OverdueNotKnown(name) => format!(
            "whether {} is overdue (the day it was met is not known)",
            title(name)
        ),
    }
}

fn list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

struct Explainer<'a> {
    ruleset: &'a Ruleset,
    outcome: &'a Outcome<'a>,
    trace: &'a [TraceStep<'a>],
    page: String,
    /// Rules whose quote and notes have been shown.
    quoted: BTreeSet<String>,
    /// The trace's date counts, by what they were made for.
    counts: Counts<'a>,
}

impl<'a> Explainer<'a> {
    fn new(ruleset: &'a Ruleset, outcome: &'a Outcome<'a>) -> Explainer<'a> {
        Explainer {
            ruleset,
            outcome,
            trace: outcome.trace.as_deref().unwrap_or_default(),
            page: String::new(),
            quoted: BTreeSet::new(),
            counts: date_counts(outcome.trace.as_deref().unwrap_or_default()),
        }
    }

    /// A paragraph, wrapped, its first line at `indent` and the rest at `indent + 2`.
    fn para(&mut self, indent: usize, text: &str) {
        let mut column = 0;
        let mut first = true;
        // Evidence in the text (an element's id, a message's values) is
        // shown with its control characters escaped (`printable`): before
        // the text is cut into words, so that a line break in it is shown,
        // not taken as a place to break the line.
        let text = crate::show::printable(text);
        for word in text.split_whitespace() {
            let len = word.chars().count();
            if column > 0 && column + 1 + len > WIDTH {
                self.page.push('\n');
                column = 0;
                first = false;
            }
            if column == 0 {
                let pad = if first { indent } else { indent + 2 };
                self.page.push_str(&" ".repeat(pad));
                column = pad;
            } else {
                self.page.push(' ');
                column += 1;
            }
            self.page.push_str(word);
            column += len;
        }
        self.page.push('\n');
    }

    fn heading(&mut self, text: &str) {
        self.page.push('\n');
        self.page.push_str(&crate::show::printable(text));
        self.page.push('\n');
    }

    /// `rule ID (CITE)`.
    fn rule(&self, id: &str, cite: &str) -> String {
        if cite.is_empty() {
            format!("rule {id} (no citation)")
        } else {
            format!("rule {id} ({cite})")
        }
    }

    /// The handbook's words and the reading taken, the first time a rule is named.
    fn rule_words(&mut self, id: &str, indent: usize) {
        if !self.quoted.insert(id.to_string()) {
            return;
        }
        let Some(info) = self.ruleset.rule(id) else {
            return;
        };
        if let Some(q) = info.quote {
            self.para(indent, &format!("The handbook: \"{q}\""));
        }
        for note in info.notes {
            self.para(indent, &format!("Reading taken: {note}"));
        }
    }

    /// ` for absence a1`: the element a rule over a list looked at.
    fn item(&self, rule: &str, item: Option<&str>) -> String {
        self.item_after("", rule, item)
    }

    /// [`Self::item`] after an entry's name: the element's kind is left
    /// out when the name says it already ("Area for improvement a1", not
    /// "Area for improvement for area for improvement a1").
    fn item_after(&self, name: &str, rule: &str, item: Option<&str>) -> String {
        let Some(item) = item else {
            return String::new();
        };
        let model = self.ruleset.model();
        // An element is named by its record type ("absence a1"), or, in a
        // list of plain values, by the rule's own name for it ("month
        // 2015-11-01").
        let record = model
            .rules
            .iter()
            .find(|r| r.id == rule)
            .and_then(|r| r.for_each.as_ref())
            .map_or("item", |fe| match fe.elem {
                crate::types::Elem::Record(rec) => {
                    model.records.get(rec).map_or("item", |r| r.name.as_str())
                }
                _ => fe.var.as_str(),
            });
        let item = crate::show::element_id(item);
        if record == name {
            return format!(" {item}");
        }
        format!(" for {} {item}", prose(record))
    }

    fn page(mut self, evidence: &str) -> String {
        self.header(evidence);
        self.provisional();
        self.judgements();
        self.actions();
        self.deadlines();
        self.findings();
        self.advisories();
        self.undetermined();
        self.lets();
        self.rules_read();
        self.page
    }

    fn header(&mut self, evidence: &str) {
        let rs = self.ruleset;
        let period = match rs.in_force() {
            (Some(f), Some(t)) => format!("in force from {f} to {t}"),
            (Some(f), None) => format!("in force from {f}"),
            (None, Some(t)) => format!("in force until {t}"),
            (None, None) => "in force at all dates".to_string(),
        };
        let digest: String = rs.digest().chars().take(12).collect();
        self.para(
            0,
            &format!(
                "Ruleset {}, edition {}: {} ({period}; sha256 {digest}).",
                rs.name(),
                rs.version(),
                rs.title()
            ),
        );
        if let Some(p) = rs.path() {
            self.para(0, &format!("Rule file: {}.", p.display()));
        }
        match &self.outcome.ruleset.calendar {
            Some(c) => self.para(
                0,
                &format!(
                    "Working days are counted with the calendar {} (version {}).",
                    c.name, c.version
                ),
            ),
            None => self.para(0, "The ruleset names no working-day calendar."),
        }
        let record = match &self.outcome.id {
            Some(id) => format!("Evidence: {evidence}, record {id:?}."),
            None => format!("Evidence: {evidence}."),
        };
        self.para(0, &record);
        for w in &self.outcome.warnings {
            self.para(
                0,
                &format!(
                    "Warning: {}: {}{} It was left out.",
                    w.path,
                    w.message,
                    if w.message.ends_with(['.', '?', '!']) {
                        ""
                    } else {
                        "."
                    }
                ),
            );
        }
        if let Some(on) = &self.outcome.evaluated_on {
            self.para(
                0,
                &format!("Evaluated on {on}: a deadline before this date is overdue."),
            );
        }
    }

    fn judgements(&mut self) {
        self.heading("Judgements");
        let model = self.ruleset.model();
        if model.judgements.is_empty() {
            self.para(2, "None: this ruleset makes no judgements.");
        }
        for def in &model.judgements {
            let scale = model
                .enums
                .get(def.scale)
                .map(|e| e.values.as_slice())
                .unwrap_or_default();
            let Some(detail) = self.outcome.details.get(def.name.as_str()) else {
                continue;
            };
            if let Some(by) = &detail.withheld_by {
                let proposed = match detail.proposed {
                    Some(p) => format!("Proposed {}; withheld", prose(p)),
                    None => "No grade was proposed; withheld".to_string(),
                };
                let text = format!(
                    "{}: no judgement is made. {proposed} by {}.",
                    title(&def.name),
                    self.rule(by.rule, by.cite)
                );
                self.para(2, &text);
                self.rule_words(by.rule, 4);
                self.set_aside(&def.name, by.rule);
            } else if detail.value.is_none() {
                let text = match def.applies.and_then(|e| self.expr_text(e)) {
                    Some(c) => format!(
                        "{}: not made at this inspection; it is made only when {c}.",
                        title(&def.name)
                    ),
                    None => format!("{}: not made at this inspection.", title(&def.name)),
                };
                self.para(2, &text);
            } else {
                self.judgement(&def.name, detail, scale);
            }
            if let Some(p) = &detail.provisional {
                let text = format!(
                    "This is provisional: {} could not be decided and could change it, because the evidence does not say {}.",
                    list(&p.rules.iter().map(|r| format!("rule {r}")).collect::<Vec<_>>()),
                    list(&p.missing)
                );
                self.para(4, &text);
            }
        }
    }

    /// Under a judgement withheld: the other rules that fired and would
    /// have withheld it, or bound it, which the withholding set aside (a
    /// vacancy's forced judgement at a home Annex G gives none).
    fn set_aside(&mut self, judgement: &str, withheld_by: &str) {
        let model = self.ruleset.model();
        let mut said: Vec<(&str, Option<&str>)> = Vec::new();
        for step in self.trace {
            let TraceStep::Rule {
                rule,
                cite,
                result: RuleResult::Fired,
                item,
                ..
            } = step
            else {
                continue;
            };
            let key = (*rule, item.as_deref());
            if *rule == withheld_by || said.contains(&key) {
                continue;
            }
            let Some(def) = self.ruleset.rule_def(rule) else {
                continue;
            };
            for effect in &def.effects {
                let what = match effect {
                    crate::model::EffectDef::Withhold(_)
                        if model
                            .judgements
                            .iter_ids()
                            .any(|(j, d)| d.name == judgement && effect.withholds(j)) =>
                    {
                        "withholds it too".to_string()
                    }
                    crate::model::EffectDef::Constrain {
                        judgement: j,
                        op,
                        value,
                    } if model
                        .judgements
                        .get(*j)
                        .is_some_and(|d| d.name == judgement) =>
                    {
                        let bound = match value {
                            crate::model::Bound::Const(v) => model
                                .judgements
                                .get(*j)
                                .and_then(|d| model.enums.get(d.scale))
                                .and_then(|e| e.values.get(usize::from(*v)))
                                .map(|v| prose(v)),
                            crate::model::Bound::Expr(_) => None,
                        };
                        let relation = match op {
                            judgement_syntax::ast::ConstraintOp::Equal => "set it to",
                            judgement_syntax::ast::ConstraintOp::AtMost => "held it at most",
                            judgement_syntax::ast::ConstraintOp::AtLeast => "held it at least",
                        };
                        match bound {
                            Some(b) => format!("fired and {relation} {b}; with no judgement made, that has no effect"),
                            None => "fired and bound it; with no judgement made, that has no effect".to_string(),
                        }
                    }
                    _ => continue,
                };
                said.push(key);
                let text = format!(
                    "{}{} {what}.",
                    capital(&self.rule(rule, cite)),
                    self.item(rule, item.as_deref())
                );
                self.para(4, &text);
                break;
            }
        }
    }

    /// An expression of the rule file as written, on one line.
    fn expr_text(&self, e: crate::model::ExprId) -> Option<String> {
        let span = self.ruleset.model().expr_spans.get(e)?;
        let text = self.ruleset.text_of(*span)?;
        let words: Vec<&str> = text
            .lines()
            .map(|l| l.split('#').next().unwrap_or_default())
            .flat_map(str::split_whitespace)
            .collect();
        (!words.is_empty()).then(|| words.join(" "))
    }

    fn judgement(&mut self, name: &str, d: &JudgementDetail, scale: &[String]) {
        let value = d.value.map_or("no value".to_string(), prose);
        let rank = |v: &str| scale.iter().position(|s| s == v);
        let mut text = format!("{}: {value}.", title(name));
        let relation = |c: &Constraint| match c.relation {
            Relation::Equal => format!("set to {}", prose(c.value)),
            Relation::AtMost | Relation::AtLeast => prose(&c.text()),
        };
        let constraint = |c: &Constraint, me: &Self| {
            format!(
                "{}{}: {}",
                me.rule(c.rule, c.cite),
                me.item(c.rule, c.item.as_deref()),
                relation(c)
            )
        };
        let binding: Vec<String> = d.binding.iter().map(|c| constraint(c, self)).collect();
        match (&d.proposed, binding.is_empty()) {
            (Some(p), true) => {
                text.push_str(&format!(" Proposed {}; no rule changed it.", prose(p)))
            }
            (Some(p), false) => {
                let moved = match (rank(p), d.value.and_then(rank)) {
                    (Some(a), Some(b)) if b > a => "lowered",
                    (Some(a), Some(b)) if b < a => "raised",
                    _ => "set",
                };
                text.push_str(&format!(
                    " Proposed {}; {moved} by {}.",
                    prose(p),
                    list(&binding)
                ));
            }
            (None, false) => text.push_str(&format!(
                " No grade was proposed; set by {}.",
                list(&binding)
            )),
            (None, true) => text.push_str(" No grade was proposed."),
        }
        self.para(2, &text);
        for c in &d.binding {
            self.rule_words(c.rule, 4);
        }
        for c in &d.slack {
            // `= V` that did not bind set it to the value it has.
            let said = match c.relation {
                Relation::Equal => format!("also set it to {}", prose(c.value)),
                Relation::AtMost | Relation::AtLeast => format!("also said {}", relation(c)),
            };
            let text = format!(
                "{}{} {said}; that did not change the value.",
                capital(&self.rule(c.rule, c.cite)),
                self.item(c.rule, c.item.as_deref()),
            );
            self.para(4, &text);
        }
    }

    /// First of all, whether anything in the outcome could still change.
    fn provisional(&mut self) {
        if !self.outcome.has_provisional() {
            return;
        }
        self.heading("Provisional");
        let mut missing: Vec<String> = self
            .outcome
            .undetermined
            .iter()
            .flat_map(|u| u.missing.iter().cloned())
            .collect();
        missing.sort();
        missing.dedup();
        let changing: Vec<String> = self
            .outcome
            .details
            .iter()
            .filter(|(_, d)| d.provisional.is_some())
            .map(|(name, _)| prose(name))
            .collect();
        let mut text =
            String::from("This outcome is not final: some hard rules could not be decided");
        if !missing.is_empty() {
            text.push_str(&format!(
                ", because the evidence does not say {}",
                list(&missing)
            ));
        }
        text.push('.');
        if !changing.is_empty() {
            text.push_str(&format!(
                " These judgements could change when it does: {}.",
                list(&changing)
            ));
        }
        text.push_str(" The section \"Undetermined\" below names each rule and what it would do.");
        self.para(2, &text);
    }

    /// ` (provisional: rule X could not be decided)`.
    fn provisional_note(p: Option<&crate::outcome::Provisional>) -> String {
        match p {
            Some(p) if !p.rules.is_empty() => format!(
                " This is provisional: it depends on {}, which could not be decided.",
                list(
                    &p.rules
                        .iter()
                        .map(|r| format!("rule {r}"))
                        .collect::<Vec<_>>()
                )
            ),
            _ => String::new(),
        }
    }

    fn actions(&mut self) {
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

    fn findings(&mut self) {
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

    fn deadlines(&mut self) {
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

    fn advisories(&mut self) {
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

    fn undetermined(&mut self) {
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

    fn lets(&mut self) {
        let lets: Vec<(String, String)> = self
            .trace
            .iter()
            .filter_map(|s| match s {
                TraceStep::Let { name, value } => Some((name.to_string(), value.clone())),
                _ => None,
            })
            .collect();
        if lets.is_empty() {
            return;
        }
        self.heading("Derived values");
        for (name, value) in lets {
            let formula = self
                .ruleset
                .let_def(&name)
                .and_then(|l| self.expr_text(l.expr));
            let text = match formula {
                // Said as its definition: a formula bare in brackets after the
                // value read as the reason for it.
                Some(f) => format!("{name} = {value} (defined as {f})"),
                None => format!("{name} = {value}"),
            };
            self.para(2, &text);
        }
    }

    fn rules_read(&mut self) {
        self.heading("Rules that fired, and the values they read");
        let mut fired = 0;
        let mut fired_rules: HashSet<&str> = HashSet::new();
        // Each rule that did not fire, with the elements it did not fire
        // for (a rule over a list may fire for some and not others).
        let mut not_fired = Grouped::default();
        // Rules that could not be decided and are not in the outcome's
        // `undetermined` (which holds hard rules): advice not given for
        // want of evidence, with the elements it was not decided for.
        let mut undecided_advice = Grouped::default();
        for step in self.trace {
            let TraceStep::Rule {
                rule,
                cite,
                result,
                item,
                values,
            } = step
            else {
                continue;
            };
            if *result != RuleResult::Fired {
                let hard = self.ruleset.rule(rule).is_some_and(|info| info.hard);
                let in_undetermined = self
                    .outcome
                    .undetermined
                    .iter()
                    .any(|u| u.rule == *rule && u.item.as_deref() == item.as_deref());
                if hard && in_undetermined {
                    // Not decided (or false only by a provisional
                    // judgement): the section "Undetermined" says what it
                    // would do.
                    continue;
                }
                // Advice not decided, or false only by a provisional
                // judgement it reads, was not decided either.
                let advice_undecided = !hard
                    && (*result == RuleResult::Undetermined
                        || self
                            .ruleset
                            .judgements_read_by(rule)
                            .iter()
                            .any(|j| self.outcome.is_provisional(j)));
                let group = if advice_undecided {
                    Some(&mut undecided_advice)
                } else if *result == RuleResult::NotFired {
                    Some(&mut not_fired)
                } else {
                    None
                };
                if let Some(group) = group {
                    group.add(rule, item.as_deref());
                }
                continue;
            }
            fired += 1;
            fired_rules.insert(rule);
            let read = if values.is_empty() {
                // A condition over a list's elements names no single value.
                match self.ruleset.rule(rule) {
                    Some(info) if info.has_condition => "its condition held".to_string(),
                    _ => "it has no condition".to_string(),
                }
            } else {
                let values: Vec<String> = values
                    .iter()
                    .map(|v| {
                        // Names of scale and choice values read as prose;
                        // text from the record is shown as it was written.
                        let value = if v.named {
                            prose(&v.value)
                        } else {
                            v.value.clone()
                        };
                        format!("{} = {value}", v.name)
                    })
                    .collect();
                format!("read {}", list(&values))
            };
            let text = format!(
                "{}{}: {read}.",
                capital(&self.rule(rule, cite)),
                self.item(rule, item.as_deref())
            );
            self.para(2, &text);
        }
        if fired == 0 {
            self.para(2, "None.");
        }
        if !not_fired.list.is_empty() {
            // A rule that fired for some elements is named with the ones it
            // did not fire for.
            let names: Vec<String> = not_fired
                .list
                .iter()
                .map(|(rule, items)| {
                    // Or was undetermined for some (a hard rule, in the
                    // section "Undetermined").
                    let elsewhere = fired_rules.contains(rule)
                        || undecided_advice.at.contains_key(rule)
                        || self.outcome.undetermined.iter().any(|u| u.rule == *rule);
                    with_elements(rule, if elsewhere { items } else { &[] })
                })
                .collect();
            self.page.push('\n');
            self.para(
                0,
                &format!("Rules that did not fire: {}.", names.join(", ")),
            );
        }
        // A `for each` rule over a list with no element (or whose list was
        // not known, and a part reading no element false) has no step in
        // the trace: named here, so that the page accounts for every rule.
        let traced: HashSet<&str> = self
            .trace
            .iter()
            .filter_map(|step| match step {
                TraceStep::Rule { rule, .. } => Some(*rule),
                _ => None,
            })
            .collect();
        let no_element: Vec<String> = self
            .ruleset
            .model()
            .rules
            .iter()
            .filter(|r| !r.is_check && !traced.contains(r.id.as_str()))
            .filter_map(|r| {
                let fe = r.for_each.as_ref()?;
                Some(format!("{} (over {})", r.id, fe.list_name))
            })
            .collect();
        if !no_element.is_empty() {
            self.page.push('\n');
            self.para(
                0,
                &format!(
                    "Rules that ran for no element, their list giving none: {}.",
                    no_element.join(", ")
                ),
            );
        }
        if !undecided_advice.list.is_empty() {
            let names: Vec<String> = undecided_advice
                .list
                .iter()
                .map(|(rule, items)| with_elements(rule, items))
                .collect();
            self.page.push('\n');
            self.para(
                0,
                &format!(
                    "Advice not given because the evidence does not say enough to decide it: {}.",
                    names.join(", ")
                ),
            );
        }
    }
}

/// Rules, each once in the order first met, with the elements met for each.
#[derive(Default)]
struct Grouped<'t> {
    list: Vec<(&'t str, Vec<&'t str>)>,
    /// Each rule's place in `list`: found at once, where a search of the
    /// list for each step of the trace would be quadratic in its rules.
    at: HashMap<&'t str, usize>,
}

impl<'t> Grouped<'t> {
    fn add(&mut self, rule: &'t str, item: Option<&'t str>) {
        let at = *self.at.entry(rule).or_insert_with(|| {
            self.list.push((rule, Vec::new()));
            self.list.len() - 1
        });
        if let (Some((_, items)), Some(i)) = (self.list.get_mut(at), item) {
            items.push(i);
        }
    }
}

/// A rule's id, with the elements named after it when there are any:
/// `area_for_improvement_immediately (for a2, a3)`.
fn with_elements(rule: &str, items: &[&str]) -> String {
    if items.is_empty() {
        rule.to_string()
    } else {
        let items: Vec<&str> = items.iter().map(|i| crate::show::element_id(i)).collect();
        format!("{rule} (for {})", items.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::{prose, title};

    #[test]
    fn names_read_as_words_with_the_handbooks_abbreviations_in_capitals() {
        assert_eq!(title("email_dcs"), "Email DCS");
        assert_eq!(title("dcs_planning_meeting"), "DCS planning meeting");
        assert_eq!(title("inform_qa_hmi"), "Inform QA HMI");
        assert_eq!(prose("requires_improvement"), "requires improvement");
        // Only whole words: `lad`, `rio` and `dcsx` are not abbreviations.
        assert_eq!(prose("lad_rio_dcsx"), "lad rio dcsx");
    }
}
