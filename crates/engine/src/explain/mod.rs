//! The outcome of one evidence record in plain English: each judgement,
//! action, deadline and advisory with its rule, citation, the handbook's
//! words and the reading the ruleset takes; the working of each working-day
//! count, calendar-month step and month's first or last day; the derived
//! values and the values each rule read. Built from the typed outcome and
//! its trace (evaluate with `EvalOptions::trace` on), so every embedding
//! gets the same text as `judgement explain`.

use crate::outcome::{TraceStep, WouldGive};
use crate::{Outcome, Ruleset};
use std::collections::BTreeSet;

mod counts;
mod effects;
mod judgements;
mod reads;
use counts::{date_counts, Counts};

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
