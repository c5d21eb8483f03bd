//! Lowering examples and tests: assignments, the values they give, and
//! what a test expects.

use super::{parts, Lower};
use crate::ast::*;
use crate::parse::{Result, Rule};
use crate::span::Spanned;
use chrono::NaiveDate;
use pest::iterators::Pair;

impl Lower<'_> {
    pub(super) fn lower_example_decl(&mut self, pair: Pair<'_, Rule>) -> Result<Item> {
        let mut inner = parts(&pair);
        let name = self.text(&inner.next().ok_or_else(|| self.internal(&pair))?);
        let assignments =
            self.lower_assignments(&inner.next().ok_or_else(|| self.internal(&pair))?)?;
        Ok(Item::Example(ExampleDecl { name, assignments }))
    }

    pub(super) fn lower_assignments(&mut self, pair: &Pair<'_, Rule>) -> Result<Vec<Assignment>> {
        pair.clone()
            .into_inner()
            .filter(|p| p.as_rule() == Rule::assignment)
            .map(|p| self.lower_assignment(p))
            .collect()
    }

    pub(super) fn lower_assignment(&mut self, pair: Pair<'_, Rule>) -> Result<Assignment> {
        let mut inner = pair.clone().into_inner();
        let path = self.path_of(&self.child(&mut inner, &pair)?);
        let value = self.lower_value(self.child(&mut inner, &pair)?)?;
        Ok(Assignment { path, value })
    }

    pub(super) fn lower_value(&mut self, pair: Pair<'_, Rule>) -> Result<Spanned<Value>> {
        let span = self.span_of(&pair);
        let v = self.child(&mut pair.clone().into_inner(), &pair)?;
        let value = match v.as_rule() {
            Rule::absent_value => Value::Absent,
            Rule::none_value => Value::None,
            Rule::name => Value::Name(v.as_str().to_string()),
            Rule::record_value => Value::Record(self.lower_assignments(&v)?),
            Rule::list_value => Value::List(
                v.clone()
                    .into_inner()
                    .map(|e| self.lower_value(e))
                    .collect::<Result<_>>()?,
            ),
            Rule::datetime => Value::DateTime(self.lower_datetime(&v)),
            Rule::negative_number => {
                let n = self.child(&mut v.clone().into_inner(), &v)?;
                Value::Number(-self.lower_number(&n))
            }
            _ => match self.lower_literal(&v)? {
                Literal::Bool(b) => Value::Bool(b),
                Literal::Number(n) => Value::Number(n),
                Literal::Text(t) => Value::Text(t),
                Literal::Date(d) => Value::Date(d),
                _ => return Err(self.internal(&v)),
            },
        };
        Ok(Spanned::new(value, span))
    }

    pub(super) fn lower_test_decl(&mut self, pair: Pair<'_, Rule>) -> Result<TestDecl> {
        let mut inner = parts(&pair);
        let name = self.lower_string(&inner.next().ok_or_else(|| self.internal(&pair))?);
        let given = inner.next().ok_or_else(|| self.internal(&pair))?;
        let mut example = None;
        let mut assignments = Vec::new();
        for g in given.clone().into_inner() {
            match g.as_rule() {
                Rule::example_ref => {
                    let id = self.child(&mut g.clone().into_inner(), &g)?;
                    example = Some(self.text(&id));
                }
                Rule::assignments => assignments = self.lower_assignments(&g)?,
                _ => {}
            }
        }
        let mut expectations = Vec::new();
        for clause in inner {
            for e in parts(&clause) {
                let span = self.span_of(&e);
                expectations.push(Spanned::new(self.lower_expectation(e)?, span));
            }
        }
        Ok(TestDecl {
            name,
            example,
            assignments,
            expectations,
        })
    }

    pub(super) fn lower_expectation(&mut self, pair: Pair<'_, Rule>) -> Result<Expectation> {
        let parts: Vec<Pair<'_, Rule>> = parts(&pair).collect();
        // Names only need the base: a second lowerer lets the closure leave
        // `self` free for the dates below.
        let names = Lower {
            errors: Vec::new(),
            base: self.base,
            comments: self.comments,
        };
        let name = |i: usize| -> Result<Name> {
            parts
                .get(i)
                .map(|p| names.text(p))
                .ok_or_else(|| names.internal(&pair))
        };
        let saying = |this: &mut Lower<'_>| -> Option<Spanned<String>> {
            parts
                .iter()
                .find(|p| p.as_rule() == Rule::expect_saying)
                .and_then(|p| p.clone().into_inner().find(|q| q.as_rule() == Rule::string))
                .map(|s| this.lower_string(&s))
        };
        let item = |this: &mut Lower<'_>| -> Option<Spanned<String>> {
            parts
                .iter()
                .find(|p| p.as_rule() == Rule::item_ref)
                .and_then(|p| p.clone().into_inner().find(|q| q.as_rule() == Rule::string))
                .map(|s| this.lower_string(&s))
        };
        // `from rule R`: the rule's id.
        let given_by = || -> Option<Name> {
            parts
                .iter()
                .find(|p| p.as_rule() == Rule::expect_from_rule)
                .and_then(|p| p.clone().into_inner().find(|q| q.as_rule() == Rule::ident))
                .map(|p| names.text(&p))
        };
        Ok(match pair.as_rule() {
            Rule::expect_no_judgement => Expectation::NoJudgement,
            Rule::expect_no_actions => Expectation::NoActions,
            Rule::expect_no_advisories => Expectation::NoAdvisories,
            Rule::expect_no_action => Expectation::NoAction {
                name: name(0)?,
                item: item(self),
                rule: given_by(),
            },
            Rule::expect_no_advisory => Expectation::NoAdvisory {
                rule: name(0)?,
                item: item(self),
            },
            Rule::expect_no_deadline => Expectation::NoDeadline {
                name: name(0)?,
                on: parts
                    .iter()
                    .find(|p| p.as_rule() == Rule::expect_on)
                    .and_then(|p| p.clone().into_inner().find(|q| q.as_rule() == Rule::date))
                    .map(|d| self.lower_date(&d).node),
                item: item(self),
                rule: given_by(),
            },
            Rule::expect_no_findings => Expectation::NoFindings,
            Rule::expect_no_finding => Expectation::NoFinding {
                name: name(0)?,
                item: item(self),
                rule: given_by(),
            },
            Rule::expect_finding => Expectation::Finding {
                name: name(0)?,
                item: item(self),
                saying: saying(self),
                rule: given_by(),
            },
            Rule::expect_provisional => Expectation::Provisional {
                judgement: name(0)?,
                negated: pair
                    .clone()
                    .into_inner()
                    .any(|p| p.as_rule() == Rule::kw_not),
            },
            Rule::expect_action => {
                let due = parts
                    .iter()
                    .find(|p| p.as_rule() == Rule::expect_due)
                    .and_then(|p| p.clone().into_inner().find(|q| q.as_rule() == Rule::date))
                    .map(|d| self.lower_date(&d).node);
                Expectation::Action {
                    name: name(0)?,
                    due,
                    item: item(self),
                    rule: given_by(),
                }
            }
            Rule::expect_advisory => Expectation::Advisory {
                rule: name(0)?,
                item: item(self),
                saying: saying(self),
            },
            Rule::expect_undetermined => Expectation::Undetermined { rule: name(0)? },
            Rule::expect_no_undetermined => Expectation::NoUndetermined { rule: name(0)? },
            Rule::expect_bound => Expectation::Bound {
                judgement: name(0)?,
                rule: name(1)?,
            },
            Rule::expect_not_bound => Expectation::NotBound {
                judgement: name(0)?,
                rule: name(1)?,
            },
            Rule::expect_error => Expectation::Error {
                text: self.lower_string(parts.first().ok_or_else(|| self.internal(&pair))?),
            },
            Rule::expect_judgement => {
                let value = parts.get(1).ok_or_else(|| self.internal(&pair))?;
                Expectation::Judgement {
                    name: name(0)?,
                    value: (value.as_rule() == Rule::name).then(|| self.text(value)),
                }
            }
            Rule::expect_deadline => {
                let when_pair = parts.get(1).ok_or_else(|| self.internal(&pair))?;
                let dates: Vec<NaiveDate> = when_pair
                    .clone()
                    .into_inner()
                    .filter(|p| p.as_rule() == Rule::date)
                    .map(|d| self.lower_date(&d).node)
                    .collect();
                let when = match dates.as_slice() {
                    [on] => ExpectedDeadline::On(*on),
                    [from, to] => ExpectedDeadline::Window {
                        from: *from,
                        to: *to,
                    },
                    _ => return Err(self.internal(when_pair)),
                };
                let target = parts
                    .iter()
                    .find(|p| p.as_rule() == Rule::expect_target)
                    .and_then(|p| p.clone().into_inner().find(|q| q.as_rule() == Rule::date))
                    .map(|d| self.lower_date(&d).node);
                let overdue = parts
                    .iter()
                    .find(|p| p.as_rule() == Rule::expect_overdue)
                    .map(|p| !p.clone().into_inner().any(|q| q.as_rule() == Rule::kw_not));
                Expectation::Deadline {
                    name: name(0)?,
                    when,
                    target,
                    overdue,
                    item: item(self),
                    rule: given_by(),
                }
            }
            _ => return Err(self.internal(&pair)),
        })
    }
}
