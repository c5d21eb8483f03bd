//! Examples and tests written in the DSL: their evidence becomes JSON (the
//! same path evaluation takes), and their expectations are checked against
//! the declared judgements and rules.

use super::Checker;
use crate::diagnostic::CheckError;
use crate::model::{ExampleDef, TestDef};
use judgement_syntax::ast::{self, Expectation, Item, Value};
use serde_json::{Map, Value as Json};

impl Checker {
    pub(crate) fn check_examples_and_tests(&mut self, items: &[Item]) {
        for item in items {
            let Item::Example(ex) = item else { continue };
            if self.model.examples.iter().any(|e| e.name == ex.name.node) {
                self.errors.push(CheckError::error(
                    format!("the example `{}` is declared twice", ex.name.node),
                    ex.name.span,
                    "declared again here",
                ));
                continue;
            }
            let mut evidence = Json::Object(Map::new());
            self.assign_all(&mut evidence, &ex.assignments);
            self.model.examples.push(ExampleDef {
                name: ex.name.node.clone(),
                evidence,
            });
        }
        for item in items {
            let Item::Test(t) = item else { continue };
            self.check_test(t);
        }
    }

    fn check_test(&mut self, t: &ast::TestDecl) {
        let mut evidence = match &t.example {
            Some(name) => match self.model.examples.iter().find(|e| e.name == name.node) {
                Some(ex) => ex.evidence.clone(),
                None => {
                    self.errors.push(CheckError::error(
                        format!("there is no example `{}`", name.node),
                        name.span,
                        "unknown example",
                    ));
                    return;
                }
            },
            None => Json::Object(Map::new()),
        };
        self.assign_all(&mut evidence, &t.assignments);
        for e in &t.expectations {
            self.check_expectation(&e.node);
        }
        if self.model.tests.iter().any(|x| x.name == t.name.node) {
            self.errors.push(CheckError::warning(
                format!("two tests are called \"{}\"", t.name.node),
                t.name.span,
                "same name",
            ));
        }
        self.model.tests.push(TestDef {
            name: t.name.node.clone(),
            span: t.name.span,
            evidence,
            expectations: t.expectations.clone(),
        });
    }

    fn check_expectation(&mut self, e: &Expectation) {
        match e {
            Expectation::Judgement { name, value } => match value {
                Some(v) => {
                    if let Some((_, scale)) = self.judgement_named(name) {
                        self.scale_value(scale, v);
                    }
                }
                None => self.known_judgement(name),
            },
            Expectation::Bound { judgement, rule } => {
                self.known_judgement(judgement);
                self.known_rule(rule);
            }
            Expectation::Provisional { judgement, .. } => self.known_judgement(judgement),
            Expectation::Advisory { rule, .. }
            | Expectation::NoAdvisory { rule, .. }
            | Expectation::Undetermined { rule } => self.known_rule(rule),
            _ => {}
        }
    }

    fn known_judgement(&mut self, name: &ast::Name) {
        if !self.model.judgements.iter().any(|j| j.name == name.node) {
            self.errors.push(
                CheckError::error(
                    format!("there is no judgement `{}`", name.node),
                    name.span,
                    "unknown judgement",
                )
                .with_help(self.judgement_names_help()),
            );
        }
    }

    fn known_rule(&mut self, name: &ast::Name) {
        // Rules are checked before tests, but a rule with errors is absent:
        // only report when the file has no other errors.
        if !self.model.rules.iter().any(|r| r.id == name.node)
            && self.errors.iter().all(|e| e.warning)
        {
            self.errors.push(CheckError::error(
                format!("there is no rule `{}`", name.node),
                name.span,
                "unknown rule",
            ));
        }
    }

    fn assign_all(&mut self, target: &mut Json, assignments: &[ast::Assignment]) {
        for a in assignments {
            let key = a.path.node.to_string();
            let declared = key == "id" || self.field_by_path.contains_key(&key);
            if !declared {
                self.errors.push(
                    CheckError::error(
                        format!("there is no evidence field `{key}`"),
                        a.path.span,
                        "unknown field",
                    )
                    .with_help("assign the fields declared in `evidence`"),
                );
                continue;
            }
            set_path(target, &a.path.node.0, &a.value.node);
        }
    }
}

/// Set (or, for `absent`, remove) a dotted path in a JSON object.
fn set_path(target: &mut Json, path: &[String], value: &Value) {
    let Some((last, parents)) = path.split_last() else {
        return;
    };
    let mut node = target;
    for seg in parents {
        if !node.is_object() {
            *node = Json::Object(Map::new());
        }
        let Json::Object(map) = node else { return };
        node = map
            .entry(seg.clone())
            .or_insert_with(|| Json::Object(Map::new()));
    }
    if !node.is_object() {
        *node = Json::Object(Map::new());
    }
    let Json::Object(map) = node else { return };
    match to_json(value) {
        Some(v) => {
            map.insert(last.clone(), v);
        }
        None => {
            map.remove(last);
        }
    }
}

/// The JSON a test value stands for; `None` for `absent`.
fn to_json(value: &Value) -> Option<Json> {
    Some(match value {
        Value::Absent => return None,
        Value::None => Json::Null,
        Value::Bool(b) => Json::Bool(*b),
        Value::Number(n) => Json::from(*n),
        Value::Text(t) | Value::Name(t) => Json::String(t.clone()),
        Value::Date(d) => Json::String(d.format("%Y-%m-%d").to_string()),
        Value::DateTime(d) => Json::String(d.format("%Y-%m-%dT%H:%M:%S").to_string()),
        Value::Record(fields) => record_json(fields),
        Value::List(items) => Json::Array(items.iter().filter_map(|v| to_json(&v.node)).collect()),
    })
}

fn record_json(fields: &[ast::Assignment]) -> Json {
    let mut obj = Json::Object(Map::new());
    for f in fields {
        set_path(&mut obj, &f.path.node.0, &f.value.node);
    }
    obj
}
