//! Running the tests written in a rule file: each test's evidence is
//! evaluated like any record and every expectation is compared.

use crate::outcome::{Constraint, Deadline, Item, Outcome};
use crate::ruleset::{EvalOptions, Ruleset};
use judgement_syntax::ast::{Expectation, ExpectedDeadline};
use judgement_syntax::{Span, Spanned};

/// The result of one DSL test.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TestResult {
    pub name: String,
    pub span: Span,
    /// Each expectation that did not hold: where it is written and why.
    pub failures: Vec<(Span, String)>,
}

impl TestResult {
    pub fn passed(&self) -> bool {
        self.failures.is_empty()
    }
}

pub(crate) fn run(ruleset: &Ruleset) -> Vec<TestResult> {
    run_where(ruleset, |_| true).collect()
}

/// The tests whose names `wanted` takes, each run as the iterator reaches
/// it, in the order written: a caller may stop between two, or run one.
pub(crate) fn run_where<'r>(
    ruleset: &'r Ruleset,
    mut wanted: impl FnMut(&str) -> bool + 'r,
) -> impl Iterator<Item = TestResult> + 'r {
    ruleset
        .model()
        .tests
        .iter()
        .filter(move |t| wanted(&t.name))
        .map(|t| {
            let mut failures = Vec::new();
            let evidence = ruleset.model().test_evidence(t);
            if let Some(why) = outside_period(ruleset, &evidence) {
                failures.push((t.span, why));
            }
            let result = ruleset.evaluate(&evidence, EvalOptions::default());
            match result {
                Ok(outcome) => {
                    for e in &t.expectations {
                        if let Some(why) = check(&e.node, &outcome) {
                            failures.push((e.span, why));
                        }
                    }
                }
                Err(err) => {
                    let message = err.to_string();
                    let wanted = t.expectations.iter().find_map(|e| match &e.node {
                        Expectation::Error { text } => Some((e.span, text.node.clone())),
                        _ => None,
                    });
                    match wanted {
                        Some((_, text)) if message.contains(&text) => {}
                        Some((span, text)) => failures.push((
                            span,
                            format!("expected an error containing {text:?}, got: {message}"),
                        )),
                        None => failures.push((t.span, format!("evaluation failed: {message}"))),
                    }
                }
            }
            TestResult {
                name: t.name.clone(),
                span: t.span,
                failures,
            }
        })
}

/// A test's evidence dated outside the period the edition is in force
/// would never be evaluated with this edition: say so, rather than pass.
pub(crate) fn outside_period(ruleset: &Ruleset, evidence: &serde_json::Value) -> Option<String> {
    let model = ruleset.model();
    let field = model.meta.as_at.and_then(|f| model.fields.get(f))?;
    let mut node = evidence;
    for seg in &field.path {
        node = node.get(seg)?;
    }
    let date = crate::evidence::parse_date(node.as_str()?)?;
    let (from, to) = ruleset.in_force();
    let before = from.is_some_and(|f| date < f);
    let after = to.is_some_and(|t| date > t);
    (before || after).then(|| {
        let period = match (from, to) {
            (Some(f), Some(t)) => format!("from {f} to {t}"),
            (Some(f), None) => format!("from {f}"),
            (None, Some(t)) => format!("to {t}"),
            (None, None) => String::new(),
        };
        format!(
            "the test's {} is {date}, outside the period this edition is in force ({period}): no record of that date is evaluated with it",
            field.name
        )
    })
}

fn names<T>(items: &[T], f: impl Fn(&T) -> String) -> String {
    if items.is_empty() {
        return "none".into();
    }
    items.iter().map(f).collect::<Vec<_>>().join(", ")
}

fn with_item(name: &str, item: &Option<Item>) -> String {
    match item {
        Some(i) => format!("{name} (item {i})"),
        None => name.to_string(),
    }
}

fn deadline_text(d: &Deadline) -> String {
    let mut when = match (&d.date, &d.from, &d.to) {
        (Some(date), _, _) => format!("= {date}"),
        (None, Some(f), Some(t)) => format!("from {f} to {t}"),
        _ => String::new(),
    };
    if let Some(t) = &d.target {
        when.push_str(&format!(" target {t}"));
    }
    if d.overdue {
        when.push_str(" overdue");
    }
    with_item(&format!("{} {when}", d.deadline), &d.item)
}

/// ` for item "cn-2"`, as the expectation wrote it, or nothing.
fn for_item(item: &Option<judgement_syntax::Spanned<String>>) -> String {
    item.as_ref()
        .map(|i| format!(" for item {:?}", i.node))
        .unwrap_or_default()
}

/// Whether an entry given by rule `got` is one `from rule R` asks for
/// (any rule where it is not said).
fn rule_matches(want: &Option<judgement_syntax::ast::Name>, got: &str) -> bool {
    want.as_ref().is_none_or(|w| w.node == got)
}

/// An entry of the outcome as a failed expectation lists it: with the rule
/// that gave it where the expectation named one (`from rule R`).
fn giver(rule: &Option<judgement_syntax::ast::Name>, shown: String, given_by: &str) -> String {
    match rule {
        Some(_) => format!("{shown} from rule {given_by}"),
        None => shown,
    }
}

fn from_rule(rule: &Option<judgement_syntax::ast::Name>) -> String {
    rule.as_ref()
        .map(|r| format!(" from rule {}", r.node))
        .unwrap_or_default()
}

/// `None` when the expectation holds; otherwise why not.
fn check(e: &Expectation, o: &Outcome) -> Option<String> {
    let item_matches =
        |want: &Option<judgement_syntax::Spanned<String>>, got: &Option<Item>| match want {
            Some(w) => got.as_deref() == Some(w.node.as_str()),
            None => true,
        };
    match e {
        Expectation::Judgement { name, value } => {
            let got = o.judgement(&name.node);
            let want = value.as_ref().map(|v| v.node.as_str());
            (got != want).then(|| {
                format!(
                    "expected {} = {}, got {}",
                    name.node,
                    want.unwrap_or("none"),
                    match o.judgements.get(name.node.as_str()) {
                        None => "no such judgement at this inspection".to_string(),
                        Some(None) => "none".to_string(),
                        Some(Some(v)) => v.to_string(),
                    }
                )
            })
        }
        Expectation::NoJudgement => {
            let made: Vec<String> = o
                .judgements
                .iter()
                .filter_map(|(k, v)| v.as_ref().map(|v| format!("{k} = {v}")))
                .collect();
            (!made.is_empty()).then(|| format!("expected no judgement, got {}", made.join(", ")))
        }
        Expectation::Action {
            name,
            due,
            item,
            rule,
        } => {
            let due = *due;
            (!o.actions.iter().any(|a| {
                a.action == name.node
                    && item_matches(item, &a.item)
                    && (due.is_none() || a.due == due)
                    && rule_matches(rule, a.rule)
            }))
            .then(|| {
                let want = match &due {
                    Some(d) => format!("{} by {d}", name.node),
                    None => name.node.clone(),
                };
                format!(
                    "expected action {want}{}{}, got {}",
                    for_item(item),
                    from_rule(rule),
                    names(&o.actions, |a| {
                        let shown = match &a.due {
                            Some(d) => format!("{} by {d}", a.action),
                            None => a.action.to_string(),
                        };
                        giver(rule, with_item(&shown, &a.item), a.rule)
                    })
                )
            })
        }
        Expectation::Finding {
            name,
            item,
            saying,
            rule,
        } => {
            let given: Vec<&str> = o
                .findings
                .iter()
                .filter(|f| {
                    f.finding == name.node
                        && item_matches(item, &f.item)
                        && rule_matches(rule, f.rule)
                })
                .map(|f| f.message.as_deref().unwrap_or_default())
                .collect();
            given_saying(
                (&format!("finding {}", name.node), &from_rule(rule)),
                item,
                saying,
                &given,
                || {
                    names(&o.findings, |f| {
                        giver(rule, with_item(f.finding, &f.item), f.rule)
                    })
                },
            )
        }
        Expectation::NoFinding { name, item, rule } => o
            .findings
            .iter()
            .find(|f| {
                f.finding == name.node && item_matches(item, &f.item) && rule_matches(rule, f.rule)
            })
            .map(|f| {
                format!(
                    "expected no finding {}, but rule {} gave it",
                    with_item(&name.node, &f.item),
                    f.rule
                )
            }),
        Expectation::NoFindings => (!o.findings.is_empty()).then(|| {
            format!(
                "expected no findings, got {}",
                names(&o.findings, |f| with_item(f.finding, &f.item))
            )
        }),
        Expectation::Provisional { judgement, negated } => {
            let provisional = o.is_provisional(&judgement.node);
            (provisional == *negated).then(|| {
                if *negated {
                    format!(
                        "expected {} not to be provisional, but undetermined rules could change it",
                        judgement.node
                    )
                } else {
                    format!(
                        "expected {} to be provisional, but no undetermined rule could change it",
                        judgement.node
                    )
                }
            })
        }
        Expectation::NoAction { name, item, rule } => o
            .actions
            .iter()
            .find(|a| {
                a.action == name.node && item_matches(item, &a.item) && rule_matches(rule, a.rule)
            })
            .map(|a| {
                format!(
                    "expected no action {}, but rule {} gave it",
                    name.node, a.rule
                )
            }),
        Expectation::NoActions => (!o.actions.is_empty()).then(|| {
            format!(
                "expected no actions, got {}",
                names(&o.actions, |a| with_item(a.action, &a.item))
            )
        }),
        Expectation::Deadline {
            name,
            when,
            target,
            overdue,
            item,
            rule,
        } => {
            let target = *target;
            let found = o.deadlines.iter().any(|d| {
                d.deadline == name.node
                    && item_matches(item, &d.item)
                    && rule_matches(rule, d.rule)
                    && match when {
                        ExpectedDeadline::On(date) => d.date == Some(*date),
                        ExpectedDeadline::Window { from, to } => {
                            d.from == Some(*from) && d.to == Some(*to)
                        }
                    }
                    && (target.is_none() || d.target == target)
                    && overdue.is_none_or(|o| o == d.overdue)
            });
            let mut want = match when {
                ExpectedDeadline::On(d) => format!("= {d}"),
                ExpectedDeadline::Window { from, to } => format!("from {from} to {to}"),
            };
            if let Some(t) = &target {
                want.push_str(&format!(" target {t}"));
            }
            match overdue {
                Some(true) => want.push_str(" overdue"),
                Some(false) => want.push_str(" not overdue"),
                None => {}
            }
            (!found).then(|| {
                format!(
                    "expected deadline {} {want}{}{}, got {}",
                    name.node,
                    for_item(item),
                    from_rule(rule),
                    names(&o.deadlines, |d| giver(rule, deadline_text(d), d.rule))
                )
            })
        }
        Expectation::NoDeadline {
            name,
            on,
            item,
            rule,
        } => o
            .deadlines
            .iter()
            .find(|d| {
                d.deadline == name.node
                    && item_matches(item, &d.item)
                    && on.is_none_or(|on| d.date == Some(on))
                    && rule_matches(rule, d.rule)
            })
            .map(|d| {
                format!(
                    "expected no deadline {}{}{}, got {} (rule {})",
                    name.node,
                    on.map(|on| format!(" = {on}")).unwrap_or_default(),
                    from_rule(rule),
                    deadline_text(d),
                    d.rule
                )
            }),
        Expectation::Advisory { rule, item, saying } => {
            let given: Vec<&str> = o
                .advisories
                .iter()
                .filter(|a| a.rule == rule.node && item_matches(item, &a.item))
                .map(|a| a.message.as_ref())
                .collect();
            let what = format!("an advisory from {}", rule.node);
            given_saying((&what, ""), item, saying, &given, || {
                names(&o.advisories, |a| with_item(a.rule, &a.item))
            })
        }
        Expectation::NoAdvisory { rule, item } => o
            .advisories
            .iter()
            .find(|a| a.rule == rule.node && item_matches(item, &a.item))
            .map(|a| {
                format!(
                    "expected no advisory from {}, got \"{}\"",
                    rule.node, a.message
                )
            }),
        Expectation::NoAdvisories => (!o.advisories.is_empty()).then(|| {
            format!(
                "expected no advisories, got {}",
                names(&o.advisories, |a| a.rule.to_string())
            )
        }),
        Expectation::Undetermined { rule } => (!o.undetermined.iter().any(|u| u.rule == rule.node))
            .then(|| {
                format!(
                    "expected {} to be undetermined, got {}",
                    rule.node,
                    names(&o.undetermined, |u| u.rule.to_string())
                )
            }),
        Expectation::NoUndetermined { rule } => {
            let entries: Vec<_> = o
                .undetermined
                .iter()
                .filter(|u| u.rule == rule.node)
                .collect();
            (!entries.is_empty()).then(|| {
                let missing: Vec<&str> = entries
                    .iter()
                    .flat_map(|u| u.missing.iter().map(String::as_str))
                    .collect();
                let missing = if missing.is_empty() {
                    "nothing named".to_string()
                } else {
                    missing.join(", ")
                };
                format!(
                    "expected {} not to be undetermined, but it is (missing {missing})",
                    rule.node
                )
            })
        }
        Expectation::Bound { judgement, rule } => {
            let (binding, bound) = bound_by(o, judgement, rule);
            (!bound).then(|| {
                let by = match binding {
                    Some(b) if !b.is_empty() => {
                        format!("bound by {}", names(b, |c| c.rule.to_string()))
                    }
                    _ => "bound by no rule".to_string(),
                };
                format!(
                    "expected {} bound by {}, got {by}",
                    judgement.node, rule.node
                )
            })
        }
        Expectation::NotBound { judgement, rule } => bound_by(o, judgement, rule).1.then(|| {
            format!(
                "expected {} not bound by {}, but it is",
                judgement.node, rule.node
            )
        }),
        Expectation::Error { text } => Some(format!(
            "expected an error containing {:?}, but evaluation succeeded",
            text.node
        )),
    }
}

/// The constraints binding judgement `judgement` (none where it has no
/// details), and whether `rule`'s is among them.
fn bound_by<'o, 'r>(
    o: &'o Outcome<'r>,
    judgement: &judgement_syntax::ast::Name,
    rule: &judgement_syntax::ast::Name,
) -> (Option<&'o Vec<Constraint<'r>>>, bool) {
    let binding = o.details.get(judgement.node.as_str()).map(|d| &d.binding);
    let bound = binding.is_some_and(|b| b.iter().any(|c| c.rule == rule.node));
    (binding, bound)
}

/// Why an expected finding or advisory (`what`, for the item) fails, given
/// the messages of those the outcome has: none at all (`others` lists what
/// it has instead), or none whose message contains the `saying` asked for.
fn given_saying(
    (what, from): (&str, &str),
    item: &Option<Spanned<String>>,
    saying: &Option<Spanned<String>>,
    given: &[&str],
    others: impl FnOnce() -> String,
) -> Option<String> {
    if given.is_empty() {
        return Some(format!(
            "expected {what}{}{from}, got {}",
            for_item(item),
            others()
        ));
    }
    let text = saying.as_ref()?;
    let quoted: Vec<String> = given.iter().map(|m| format!("\"{m}\"")).collect();
    (!given.iter().any(|m| m.contains(text.node.as_str()))).then(|| {
        format!(
            "expected {what}{} saying \"{}\"{from}, got {}",
            for_item(item),
            text.node,
            quoted.join("; ")
        )
    })
}
