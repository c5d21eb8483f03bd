//! The text of the leaves and clauses of a declaration: strings with their
//! escapes, types, literals, durations, values, effects and expectations.

use super::expr::expr;
use super::WIDTH;
use crate::ast::*;
use crate::span::Spanned;
use chrono::Timelike;

pub(super) fn assignments_inline(assignments: &[Assignment]) -> String {
    let parts: Vec<String> = assignments
        .iter()
        .map(|a| format!("{} = {}", a.path.node, value(&a.value.node, 4)))
        .collect();
    parts.join(", ")
}

/// ` saying "TEXT"`, or nothing.
fn saying(s: &Option<Spanned<String>>) -> String {
    s.as_ref()
        .map(|t| format!(" saying {}", string(&t.node)))
        .unwrap_or_default()
}

pub(super) fn string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            other => out.push(other),
        }
    }
    out.push('"');
    out
}

pub(super) fn type_expr(t: &TypeExpr) -> String {
    match t {
        TypeExpr::Named(n) => n.clone(),
        TypeExpr::ListOf(n) => format!("list of {n}"),
    }
}

pub(super) fn absence(a: &Absence) -> String {
    match a {
        Absence::None => "or none".into(),
        Absence::Unknown => "or unknown".into(),
        Absence::Empty => "default empty".into(),
        Absence::Default(l) => format!("default {}", literal(l)),
    }
}

pub(super) fn literal(l: &Literal) -> String {
    match l {
        Literal::Bool(b) => b.to_string(),
        Literal::Number(n) => n.to_string(),
        Literal::Text(t) => string(t),
        Literal::Date(d) => d.to_string(),
        Literal::DateTime(dt) => datetime(dt),
        Literal::Time(t) => t
            .format(if t.second() == 0 { "%H:%M" } else { "%H:%M:%S" })
            .to_string(),
        Literal::Name(n) => n.clone(),
        Literal::Duration { amount, unit } => duration(*amount, *unit),
    }
}

fn datetime(dt: &chrono::NaiveDateTime) -> String {
    let pattern = if dt.second() == 0 {
        "%Y-%m-%dT%H:%M"
    } else {
        "%Y-%m-%dT%H:%M:%S"
    };
    dt.format(pattern).to_string()
}

pub(super) fn duration(amount: i64, unit: Unit) -> String {
    let word = match (unit, amount == 1) {
        (Unit::Days, true) => "day",
        (Unit::Days, false) => "days",
        (Unit::Weeks, true) => "week",
        (Unit::Weeks, false) => "weeks",
        (Unit::Months, true) => "month",
        (Unit::Months, false) => "months",
        (Unit::Years, true) => "year",
        (Unit::Years, false) => "years",
        (Unit::WorkingDays, true) => "working day",
        (Unit::WorkingDays, false) => "working days",
    };
    format!("{amount} {word}")
}

fn constraint(judgement: &Name, op: ConstraintOp, value: &str) -> String {
    format!("{} {op} {value}", judgement.node)
}

pub(super) fn effect(e: &Effect) -> String {
    match e {
        Effect::Constrain {
            judgement,
            op,
            value,
        } => format!("then {}", constraint(judgement, *op, &expr(&value.node))),
        Effect::Action { name, label, due } => {
            let mut text = format!("then action {}", name.node);
            if let Some(l) = label {
                text.push(' ');
                text.push_str(&string(&l.node));
            }
            if let Some(d) = due {
                text.push_str(" by ");
                text.push_str(&expr(&d.node));
            }
            text
        }
        Effect::Finding { name, message } => match message {
            Some(m) => format!("then finding {} {}", name.node, string(&m.node)),
            None => format!("then finding {}", name.node),
        },
        Effect::Deadline {
            name,
            when,
            target,
            met,
            optional,
        } => {
            let kind = if *optional {
                "optional deadline"
            } else {
                "deadline"
            };
            let mut text = match when {
                DeadlineWhen::On(d) => format!("then {kind} {} = {}", name.node, expr(&d.node)),
                DeadlineWhen::Window { from, to } => format!(
                    "then {kind} {} from {} to {}",
                    name.node,
                    expr(&from.node),
                    expr(&to.node)
                ),
            };
            if let Some(t) = target {
                text.push_str(" target ");
                text.push_str(&expr(&t.node));
            }
            if let Some(m) = met {
                text.push_str(" met on ");
                text.push_str(&expr(&m.node));
            }
            text
        }
        Effect::Withhold { judgement: None } => "then no judgement".into(),
        Effect::Withhold { judgement: Some(j) } => format!("then no {} judgement", j.node),
        Effect::Likely {
            judgement,
            op,
            value,
        } => format!("likely {}", constraint(judgement, *op, &value.node)),
        Effect::Advise { message } => format!("advise {}", string(&message.node)),
    }
}

pub(super) fn value(v: &Value, indent: usize) -> String {
    match v {
        Value::Absent => "absent".into(),
        Value::None => "none".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::Text(t) => string(t),
        Value::Date(d) => d.to_string(),
        Value::DateTime(dt) => datetime(dt),
        Value::Name(n) => n.clone(),
        Value::Record(fields) => format!("{{{}}}", assignments_inline(fields)),
        Value::List(items) => {
            let records: Vec<String> = items.iter().map(|r| value(&r.node, indent)).collect();
            let inline = format!("[{}]", records.join(", "));
            if inline.len() + indent <= WIDTH {
                return inline;
            }
            let pad = " ".repeat(indent + 2);
            format!("[\n{pad}{}]", records.join(&format!(",\n{pad}")))
        }
    }
}

pub(super) fn expectation(e: &Expectation) -> String {
    let item = |i: &Option<Spanned<String>>| {
        i.as_ref()
            .map(|s| format!(" for item {}", string(&s.node)))
            .unwrap_or_default()
    };
    let from_rule = |r: &Option<Name>| {
        r.as_ref()
            .map(|r| format!(" from rule {}", r.node))
            .unwrap_or_default()
    };
    match e {
        Expectation::Judgement { name, value } => {
            format!(
                "{} = {}",
                name.node,
                value.as_ref().map_or("none", |v| v.node.as_str())
            )
        }
        Expectation::NoJudgement => "no judgement".into(),
        Expectation::Action {
            name,
            due,
            item: i,
            rule,
        } => {
            let due = due.map(|d| format!(" by {d}")).unwrap_or_default();
            format!("action {}{due}{}{}", name.node, item(i), from_rule(rule))
        }
        Expectation::NoAction {
            name,
            item: i,
            rule,
        } => format!("no action {}{}{}", name.node, item(i), from_rule(rule)),
        Expectation::NoActions => "no actions".into(),
        Expectation::Deadline {
            name,
            when,
            target,
            overdue,
            item: i,
            rule,
        } => {
            let when = match when {
                ExpectedDeadline::On(d) => format!("= {d}"),
                ExpectedDeadline::Window { from, to } => format!("from {from} to {to}"),
            };
            let target = target.map(|t| format!(" target {t}")).unwrap_or_default();
            let overdue = match overdue {
                Some(true) => " overdue",
                Some(false) => " not overdue",
                None => "",
            };
            format!(
                "deadline {} {when}{target}{overdue}{}{}",
                name.node,
                item(i),
                from_rule(rule)
            )
        }
        Expectation::Finding {
            name,
            item: i,
            saying: s,
            rule,
        } => format!(
            "finding {}{}{}{}",
            name.node,
            item(i),
            saying(s),
            from_rule(rule)
        ),
        Expectation::NoFinding {
            name,
            item: i,
            rule,
        } => format!("no finding {}{}{}", name.node, item(i), from_rule(rule)),
        Expectation::NoFindings => "no findings".into(),
        Expectation::Provisional { judgement, negated } => {
            let not = if *negated { "not " } else { "" };
            format!("{} is {not}provisional", judgement.node)
        }
        Expectation::NoDeadline {
            name,
            on,
            item: i,
            rule,
        } => {
            let on = on.map(|d| format!(" = {d}")).unwrap_or_default();
            format!(
                "no deadline {}{on}{}{}",
                name.node,
                item(i),
                from_rule(rule)
            )
        }
        Expectation::Advisory {
            rule,
            item: i,
            saying: s,
        } => format!("advisory {}{}{}", rule.node, item(i), saying(s)),
        Expectation::NoAdvisory { rule, item: i } => {
            format!("no advisory {}{}", rule.node, item(i))
        }
        Expectation::NoAdvisories => "no advisories".into(),
        Expectation::Undetermined { rule } => format!("undetermined {}", rule.node),
        Expectation::NoUndetermined { rule } => format!("no undetermined {}", rule.node),
        Expectation::Bound { judgement, rule } => {
            format!("{} bound by {}", judgement.node, rule.node)
        }
        Expectation::NotBound { judgement, rule } => {
            format!("{} not bound by {}", judgement.node, rule.node)
        }
        Expectation::Error { text } => format!("error {}", string(&text.node)),
    }
}
