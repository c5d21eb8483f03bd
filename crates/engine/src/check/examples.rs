//! Examples and tests written in the DSL: their evidence becomes JSON (the
//! same path evaluation takes), and is typed here against the `evidence`
//! declaration, so that a wrong value is a check error pointing at the value
//! rather than a failure of `judgement test`. Expectations are checked
//! against the declared judgements, their scales and the rules.

use super::{Broken, Checker};
use crate::diagnostic::CheckError;
use crate::model::{set_path, AbsenceMode, Assigned, EffectDef, ExampleDef, FieldDef, TestDef};
use crate::suggest;
use crate::types::{Elem, Type};
use judgement_syntax::ast::{self, Expectation, Item, Value};
use judgement_syntax::suggest::{foreign_word, TRUTH_IN_LOWER_CASE};
use judgement_syntax::{Span, Spanned};
use serde_json::{Map, Value as Json};

impl Checker {
    pub(crate) fn check_examples_and_tests(&mut self, items: &[&Item]) {
        // From the file, not the model: a rule with errors is not in the
        // model, but a test naming it names a rule that exists.
        let names = Names::of(items);
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
            for (path, value) in self.assign_all(&ex.assignments, true) {
                set_path(&mut evidence, &path, value);
            }
            self.model.examples.push(ExampleDef {
                name: ex.name.node.clone(),
                evidence,
            });
        }
        for item in items {
            let Item::Test(t) = item else { continue };
            self.check_test(t, &names);
        }
    }

    fn check_test(&mut self, t: &ast::TestDecl, names: &Names<'_>) {
        let example = match &t.example {
            Some(name) => match self.model.examples.iter().position(|e| e.name == name.node) {
                Some(i) => Some(i),
                None => {
                    let help = suggest::did_you_mean(
                        &name.node,
                        self.model.examples.iter().map(|e| e.name.as_str()),
                    );
                    let mut error = CheckError::error(
                        format!("there is no example `{}`", name.node),
                        name.span,
                        "unknown example",
                    );
                    error.help = help;
                    self.errors.push(error);
                    return;
                }
            },
            None => None,
        };
        // A test that expects an error may give bad values on purpose.
        let expects_error = t
            .expectations
            .iter()
            .any(|e| matches!(e.node, Expectation::Error { .. }));
        let assignments = self.assign_all(&t.assignments, !expects_error);
        for e in &t.expectations {
            self.check_expectation(&e.node, names);
        }
        if !self.test_names.insert(t.name.node.clone()) {
            self.errors.push(CheckError::warning(
                format!("two tests are called \"{}\"", t.name.node),
                t.name.span,
                "same name",
            ));
        }
        self.model.tests.push(TestDef {
            name: t.name.node.clone(),
            span: t.name.span,
            example,
            assignments,
            expectations: t.expectations.clone(),
        });
    }

    fn check_expectation(&mut self, e: &Expectation, names: &Names<'_>) {
        match e {
            Expectation::Judgement { name, value } => match value {
                Some(v) => {
                    if let Some((_, scale)) = self.judgement_named(name) {
                        self.scale_value(scale, v);
                    }
                }
                None => self.known_judgement(name),
            },
            Expectation::Bound { judgement, rule } | Expectation::NotBound { judgement, rule } => {
                self.known_judgement(judgement);
                self.known_rule(rule, names);
                self.constraining_rule(judgement, rule);
            }
            Expectation::Provisional { judgement, .. } => self.known_judgement(judgement),
            Expectation::Advisory { rule, .. } | Expectation::NoAdvisory { rule, .. } => {
                self.known_rule(rule, names);
                self.advising_rule(rule);
            }
            Expectation::Undetermined { rule } | Expectation::NoUndetermined { rule } => {
                self.known_rule(rule, names)
            }
            Expectation::Action { name, rule, .. } | Expectation::NoAction { name, rule, .. } => {
                self.expected("action", name, rule.as_ref(), &names.actions, names);
            }
            Expectation::Finding { name, rule, .. } | Expectation::NoFinding { name, rule, .. } => {
                self.expected("finding", name, rule.as_ref(), &names.findings, names);
            }
            Expectation::Deadline { name, rule, .. }
            | Expectation::NoDeadline { name, rule, .. } => {
                self.expected("deadline", name, rule.as_ref(), &names.deadlines, names);
            }
            _ => {}
        }
    }

    /// An action, finding or deadline expected (or not), with the rule of
    /// its `from rule` if it has one: the name, then the rule, each known.
    fn expected(
        &mut self,
        kind: &str,
        name: &ast::Name,
        rule: Option<&ast::Name>,
        declared: &[&str],
        names: &Names<'_>,
    ) {
        if self.known_name(kind, name, declared, names) {
            self.gives(kind, name, rule, names);
        }
    }

    /// An action, finding or deadline a test expects (or expects not to
    /// see) must be one a rule can give: a misspelt name would make
    /// `expect no action X` pass whatever the rules do. Whether it is.
    fn known_name(
        &mut self,
        kind: &str,
        name: &ast::Name,
        declared: &[&str],
        names: &Names<'_>,
    ) -> bool {
        let code = effect_code(kind);
        if names.all.contains(&(code, name.node.as_str())) {
            return true;
        }
        let mut error = CheckError::error(
            format!("no rule gives the {kind} `{}`", name.node),
            name.span,
            format!("unknown {kind}"),
        );
        error.help = Some(suggest::help_with(
            suggest::did_you_mean(&name.node, declared.iter().copied()),
            if declared.is_empty() {
                let article = if kind.starts_with('a') { "an" } else { "a" };
                format!("no rule of this file gives {article} {kind}")
            } else {
                format!("the {kind}s the rules give are {}", declared.join(", "))
            },
        ));
        self.errors.push(error);
        false
    }

    /// `from rule R` after an action, finding or deadline: R must be a rule
    /// that gives it, or the expectation would always fail (or, after `no`,
    /// always hold).
    fn gives(&mut self, kind: &str, name: &ast::Name, rule: Option<&ast::Name>, names: &Names<'_>) {
        let Some(rule) = rule else {
            return;
        };
        if !names.all.contains(&(3, rule.node.as_str())) {
            self.known_rule(rule, names);
            return;
        }
        let code = effect_code(kind);
        let given = names.given_by.get(rule.node.as_str());
        if given.is_some_and(|g| g.contains(&(code, name.node.as_str()))) {
            return;
        }
        let mut of_kind: Vec<&str> = given
            .into_iter()
            .flatten()
            .filter(|(k, _)| *k == code)
            .map(|(_, n)| *n)
            .collect();
        // A rule may give one finding twice, under other conditions.
        of_kind.sort_unstable();
        of_kind.dedup();
        let gives = match of_kind.as_slice() {
            [] => format!("rule `{}` gives no {kind}", rule.node),
            [one] => format!("rule `{}` gives the {kind} `{one}`", rule.node),
            more => format!("rule `{}` gives the {kind}s {}", rule.node, listed(more)),
        };
        let givers = names
            .givers
            .get(&(code, name.node.as_str()))
            .map_or(&[][..], Vec::as_slice);
        let help = match givers {
            [] => gives,
            [one] => format!("{gives}; `{}` is given by rule `{one}`", name.node),
            more => format!(
                "{gives}; `{}` is given by rules {}",
                name.node,
                listed(more)
            ),
        };
        self.errors.push(
            CheckError::error(
                format!(
                    "rule `{}` does not give the {kind} `{}`",
                    rule.node, name.node
                ),
                rule.span,
                format!("gives no {kind} `{}`", name.node),
            )
            .with_help(help),
        );
    }

    fn known_judgement(&mut self, name: &ast::Name) {
        if !self.model.judgements.iter().any(|j| j.name == name.node)
            && self.broken_names.get(&name.node) != Some(&Broken::Judgement)
        {
            let near = suggest::did_you_mean(
                &name.node,
                self.model.judgements.iter().map(|j| j.name.as_str()),
            );
            self.errors.push(
                CheckError::error(
                    format!("there is no judgement `{}`", name.node),
                    name.span,
                    "unknown judgement",
                )
                .with_help(suggest::help_with(near, self.judgement_names_help())),
            );
        }
    }

    /// A rule an `advisory` or `no advisory` expectation names gives advice:
    /// `no advisory R` of a rule that never advises would always hold, and
    /// `advisory R` never (a rule not known is said by `known_rule`).
    fn advising_rule(&mut self, name: &ast::Name) {
        let Some(rule) = self.model.rules.iter().find(|r| r.id == name.node) else {
            return;
        };
        if rule.effects.iter().all(|e| e.is_hard()) {
            self.errors.push(
                CheckError::error(
                    format!("the rule `{}` gives no advice", name.node),
                    name.span,
                    "never advises",
                )
                .with_help("`advisory` and `no advisory` name a rule that advises (`advise \"...\"` or `likely ...`); expect its actions, findings or deadlines instead"),
            );
        }
    }

    /// An error where `bound by` or `not bound by` names a rule that gives
    /// the judgement no value or bound: `bound by` it could never hold, and
    /// `not bound by` it always would, pinning nothing. (Unknown names are
    /// reported by `known_judgement` and `known_rule`.)
    fn constraining_rule(&mut self, judgement: &ast::Name, name: &ast::Name) {
        let model = &self.model;
        let Some(j) = model.judgements.ids().find(|&j| {
            model
                .judgements
                .get(j)
                .is_some_and(|d| d.name == judgement.node)
        }) else {
            return;
        };
        let Some(rule) = model.rules.iter().find(|r| r.id == name.node) else {
            return;
        };
        let constrains = rule
            .effects
            .iter()
            .any(|e| matches!(e, EffectDef::Constrain { judgement: of, .. } if *of == j));
        if !constrains {
            self.errors.push(
                CheckError::error(
                    format!("the rule `{}` gives `{}` no value or bound", name.node, judgement.node),
                    name.span,
                    "never binds it",
                )
                .with_help(format!("`bound by` and `not bound by` name a rule that constrains the judgement (`then {} = V`, `at most V`, `at least V`)", judgement.node)),
            );
        }
    }

    /// Whether `a`, to the field `key`, is the first given of it among
    /// those `seen`; an error at it when it is not. As evidence refuses a
    /// key written twice: the later value would win over the one a reader
    /// sees first.
    fn given_once(
        &mut self,
        seen: &mut std::collections::HashSet<String>,
        key: &str,
        a: &ast::Assignment,
    ) -> bool {
        if seen.insert(key.to_string()) {
            return true;
        }
        self.errors.push(
            CheckError::error(
                format!("`{key}` is given twice"),
                a.path.span,
                "given again here",
            )
            .with_help("give each field once (`with` changes a field an example gives)"),
        );
        false
    }

    fn known_rule(&mut self, name: &ast::Name, names: &Names<'_>) {
        let rule_ids = names.rules.as_slice();
        if !names.all.contains(&(3, name.node.as_str())) {
            let mut error = CheckError::error(
                format!("there is no rule `{}`", name.node),
                name.span,
                "unknown rule",
            );
            error.help = suggest::did_you_mean(&name.node, rule_ids.iter().copied());
            self.errors.push(error);
        }
    }

    /// Each assignment's path and JSON, in order, leaving out those to no
    /// declared field; with `typed`, refuse a value of the wrong type for
    /// its field.
    fn assign_all(&mut self, assignments: &[ast::Assignment], typed: bool) -> Vec<Assigned> {
        let mut assigned = Vec::with_capacity(assignments.len());
        let mut seen: std::collections::HashSet<String> = std::collections::HashSet::new();
        for a in assignments {
            let key = a.path.node.to_string();
            if !self.given_once(&mut seen, &key, a) {
                continue;
            }
            if key == "id" {
                if typed {
                    self.check_id(&a.value);
                }
                assigned.push((a.path.node.0.clone(), to_json(&a.value.node)));
                continue;
            }
            let Some(field) = self
                .field_by_path
                .get(&key)
                .and_then(|&f| self.model.fields.get(f))
                .cloned()
            else {
                let near = suggest::did_you_mean(
                    &key,
                    self.model
                        .fields
                        .iter()
                        .map(|f| f.name.as_str())
                        .chain(["id"]),
                );
                self.errors.push(
                    CheckError::error(
                        format!("there is no evidence field `{key}`"),
                        a.path.span,
                        "unknown field",
                    )
                    .with_help(suggest::help_with(
                        near,
                        "assign the fields declared in `evidence`",
                    )),
                );
                continue;
            };
            if typed {
                self.check_value(&field, &key, &a.value);
            }
            assigned.push((a.path.node.0.clone(), to_json(&a.value.node)));
        }
        assigned
    }

    /// The record's `id` is text (a number is read as text too).
    fn check_id(&mut self, value: &Spanned<Value>) {
        if !matches!(
            value.node,
            Value::Text(_) | Value::Number(_) | Value::None | Value::Absent
        ) {
            self.errors.push(
                CheckError::error(
                    format!("`id` is text, but {}", describe(&value.node)),
                    value.span,
                    "not text",
                )
                .with_help("write text in double quotes"),
            );
        }
    }

    /// A value written for `field` (named `name`, its path as written).
    fn check_value(&mut self, field: &FieldDef, name: &str, value: &Spanned<Value>) {
        let ty = field.ty;
        match (&value.node, ty) {
            (Value::Absent | Value::None, _) => {
                if field.absence == AbsenceMode::Required {
                    let written = if matches!(value.node, Value::Absent) {
                        "absent"
                    } else {
                        "none"
                    };
                    self.errors.push(
                        CheckError::error(
                            format!("`{name}` is required, so it cannot be `{written}`"),
                            value.span,
                            "required field",
                        )
                        .with_help(
                            "it is declared without `or none`, `or unknown` or a default; \
                             to test the error, add `expect error \"...\"`",
                        ),
                    );
                }
            }
            (Value::Bool(_), Type::Bool)
            | (Value::Number(_), Type::Number | Type::Days)
            | (Value::Text(_), Type::Text)
            | (Value::Date(_), Type::Date)
            | (Value::DateTime(_), Type::DateTime) => {}
            (Value::Name(v) | Value::Text(v), Type::Enum { id, .. }) => {
                if self.enum_value(id, v).is_none() {
                    let type_name = self.shown(ty);
                    let values = self
                        .model
                        .enums
                        .get(id)
                        .map(|e| e.values.clone())
                        .unwrap_or_default();
                    // A value's name first; else, for `null` or `None`
                    // written bare, what a test writes.
                    let near =
                        suggest::did_you_mean(v, values.iter().map(String::as_str)).or_else(|| {
                            match (&value.node, foreign_word(v)) {
                                (Value::Name(_), Some("none")) => {
                                    Some("did you mean `none`?".to_string())
                                }
                                _ => None,
                            }
                        });
                    self.errors.push(
                        CheckError::error(
                            format!("`{v}` is not a value of `{type_name}`"),
                            value.span,
                            "not a value of this type",
                        )
                        .with_help(suggest::help_with(
                            near,
                            format!("the values are {}", values.join(", ")),
                        )),
                    );
                }
            }
            (Value::List(elements), Type::List(elem)) => {
                for element in elements {
                    match (elem, &element.node) {
                        (Elem::Record(rec), Value::Record(fields)) => {
                            self.check_element(rec, fields, element.span);
                        }
                        (Elem::Record(rec), _) => {
                            let name = self
                                .model
                                .records
                                .get(rec)
                                .map(|r| r.name.clone())
                                .unwrap_or_default();
                            self.errors.push(
                                CheckError::error(
                                    format!(
                                        "each element is a `{name}`, but {}",
                                        describe(&element.node)
                                    ),
                                    element.span,
                                    "not a record",
                                )
                                .with_help("write each element in braces: `{id = \"a\", ...}`"),
                            );
                        }
                        (plain, _) => {
                            let def = FieldDef {
                                path: Vec::new(),
                                name: format!("{name}[]"),
                                ty: plain.ty(),
                                absence: AbsenceMode::Required,
                                span: element.span,
                                comment: None,
                            };
                            self.check_value(&def, &def.name, element);
                        }
                    }
                }
            }
            _ => {
                let type_name = self.shown(ty);
                // A word of another language (`null`, `True`): the one a
                // test writes.
                let foreign = match &value.node {
                    Value::Name(n) => foreign_word(n),
                    _ => None,
                };
                let help = match foreign {
                    Some("none") => NONE_IN_A_TEST.to_string(),
                    Some(ours) => format!("did you mean `{ours}`? {TRUTH_IN_LOWER_CASE}"),
                    None => match ty {
                        Type::Bool => "write `true` or `false`".to_string(),
                        Type::Number | Type::Days => "write a whole number".into(),
                        Type::Text => "write text in double quotes".into(),
                        Type::Date => "write a date as YYYY-MM-DD, without quotes".into(),
                        Type::DateTime => {
                            "write a date and time as YYYY-MM-DDTHH:MM, without quotes".into()
                        }
                        Type::Enum { id, .. } => self
                            .model
                            .enums
                            .get(id)
                            .map(|e| format!("the values are {}", e.values.join(", ")))
                            .unwrap_or_default(),
                        Type::List(_) => "write a list of elements: `[{id = \"a\", ...}]`".into(),
                        _ => String::new(),
                    },
                };
                let mut error = CheckError::error(
                    format!(
                        "`{name}` is {}, but {}",
                        article(&type_name),
                        describe(&value.node)
                    ),
                    value.span,
                    format!("not {}", article(&type_name)),
                );
                if !help.is_empty() {
                    error.help = Some(help);
                }
                self.errors.push(error);
            }
        }
    }

    /// One element of a list: its fields typed against the record, and
    /// every required field given.
    fn check_element(
        &mut self,
        rec: crate::types::RecordId,
        fields: &[ast::Assignment],
        span: Span,
    ) {
        let Some(record) = self.model.records.get(rec).cloned() else {
            return;
        };
        let mut seen = std::collections::HashSet::new();
        for a in fields {
            let key = a.path.node.to_string();
            if !self.given_once(&mut seen, &key, a) {
                continue;
            }
            match record.fields.iter().find(|f| f.name == key) {
                Some(field) => self.check_value(field, &key, &a.value),
                None => {
                    let near =
                        suggest::did_you_mean(&key, record.fields.iter().map(|f| f.name.as_str()));
                    self.errors.push(
                        CheckError::error(
                            format!("the record `{}` has no field `{key}`", record.name),
                            a.path.span,
                            "unknown field",
                        )
                        .with_help(suggest::help_with(
                            near,
                            format!("its fields are {}", field_names(&record.fields)),
                        )),
                    );
                }
            }
        }
        let missing: Vec<&str> = record
            .fields
            .iter()
            .filter(|f| f.absence == AbsenceMode::Required)
            .filter(|f| !fields.iter().any(|a| a.path.node.to_string() == f.name))
            .map(|f| f.name.as_str())
            .collect();
        if !missing.is_empty() {
            let list: Vec<String> = missing.iter().map(|m| format!("`{m}`")).collect();
            self.errors.push(
                CheckError::error(
                    format!("this `{}` has no {}", record.name, list.join(", ")),
                    span,
                    "missing required fields",
                )
                .with_help(format!(
                    "the record `{}` requires {}",
                    record.name,
                    field_names_required(&record.fields)
                )),
            );
        }
    }
}

/// What the rules of a file can give, by name, for the tests to name: read
/// from the file rather than the model, since a rule with errors is not in
/// the model but a test naming it names something that exists.
struct Names<'a> {
    rules: Vec<&'a str>,
    /// The actions (kind 0), findings (1) and deadlines (2) each rule gives.
    given_by: std::collections::HashMap<&'a str, Vec<(u8, &'a str)>>,
    /// The rules that give each action, finding and deadline, in order.
    givers: std::collections::HashMap<(u8, &'a str), Vec<&'a str>>,
    /// Every name above, for lookups: rules are kind 3.
    all: std::collections::HashSet<(u8, &'a str)>,
    actions: Vec<&'a str>,
    findings: Vec<&'a str>,
    deadlines: Vec<&'a str>,
}

impl<'a> Names<'a> {
    fn of(items: &'a [&'a Item]) -> Names<'a> {
        let mut names = Names {
            rules: Vec::new(),
            given_by: std::collections::HashMap::new(),
            givers: std::collections::HashMap::new(),
            all: std::collections::HashSet::new(),
            actions: Vec::new(),
            findings: Vec::new(),
            deadlines: Vec::new(),
        };
        // Each name once, found in constant time: a file may give thousands.
        for item in items {
            match item {
                Item::Rule(r) => {
                    names.rules.push(r.id.node.as_str());
                    for e in &r.effects {
                        let (kind, list, name) = match &e.node {
                            ast::Effect::Action { name, .. } => (0u8, &mut names.actions, name),
                            ast::Effect::Finding { name, .. } => (1, &mut names.findings, name),
                            ast::Effect::Deadline { name, .. } => (2, &mut names.deadlines, name),
                            _ => continue,
                        };
                        names
                            .given_by
                            .entry(r.id.node.as_str())
                            .or_default()
                            .push((kind, name.node.as_str()));
                        // A name's first giver lists it, in the order given.
                        let givers = names
                            .givers
                            .entry((kind, name.node.as_str()))
                            .or_insert_with(|| {
                                list.push(name.node.as_str());
                                Vec::new()
                            });
                        if givers.last() != Some(&r.id.node.as_str()) {
                            givers.push(r.id.node.as_str());
                        }
                    }
                }
                Item::Invalid(v) => names.rules.push(v.id.node.as_str()),
                _ => {}
            }
        }
        names.all = names.givers.keys().copied().collect();
        names.all.extend(names.rules.iter().map(|r| (3, *r)));
        names
    }
}

/// Names in backticks, the first five and how many more: a help that
/// lists every rule of a large file would be as long as the file.
fn listed(names: &[&str]) -> String {
    let shown: Vec<String> = names.iter().take(5).map(|n| format!("`{n}`")).collect();
    match names.len().saturating_sub(5) {
        0 => shown.join(", "),
        more => format!("{} and {more} more", shown.join(", ")),
    }
}

/// The kind of an action, finding or deadline in [`Names`].
fn effect_code(kind: &str) -> u8 {
    match kind {
        "action" => 0,
        "finding" => 1,
        _ => 2,
    }
}

fn field_names(fields: &[FieldDef]) -> String {
    let names: Vec<&str> = fields.iter().map(|f| f.name.as_str()).collect();
    names.join(", ")
}

fn field_names_required(fields: &[FieldDef]) -> String {
    let names: Vec<&str> = fields
        .iter()
        .filter(|f| f.absence == AbsenceMode::Required)
        .map(|f| f.name.as_str())
        .collect();
    names.join(", ")
}

/// A type's name with its article: "a `date`", "an `interim_grade`".
fn article(type_name: &str) -> String {
    let an = type_name
        .chars()
        .next()
        .is_some_and(|c| "aeiou".contains(c));
    format!("{} `{type_name}`", if an { "an" } else { "a" })
}

/// What a written value is, for a type error: "`12` is a number".
fn describe(value: &Value) -> String {
    match value {
        Value::Absent => "`absent` removes the field".into(),
        Value::None => "`none` is no value".into(),
        Value::Bool(b) => format!("`{b}` is true or false"),
        Value::Number(n) => format!("`{n}` is a number"),
        Value::Text(t) => format!("`{t:?}` is text"),
        Value::Date(d) => format!("`{}` is a date", d.format("%Y-%m-%d")),
        Value::DateTime(d) => format!("`{}` is a date and time", crate::show::datetime_str(*d)),
        Value::Name(n) => format!("`{n}` is a name"),
        Value::Record(_) => "this is a record".into(),
        Value::List(_) => "this is a list".into(),
    }
}

/// The help for `null` (or `None`, `nil`) given in a test's evidence.
const NONE_IN_A_TEST: &str = "did you mean `none`? A value that is not there is given as `none`, and a field left out as `absent`";

/// The JSON a test value stands for; `None` for `absent`.
fn to_json(value: &Value) -> Option<Json> {
    Some(match value {
        Value::Absent => return None,
        Value::None => Json::Null,
        Value::Bool(b) => Json::Bool(*b),
        Value::Number(n) => Json::from(*n),
        Value::Text(t) | Value::Name(t) => Json::String(t.clone()),
        // `Display` writes `%Y-%m-%d` without parsing a format string.
        Value::Date(d) => Json::String(d.to_string()),
        Value::DateTime(d) => Json::String(d.format("%Y-%m-%dT%H:%M:%S").to_string()),
        Value::Record(fields) => record_json(fields),
        Value::List(items) => Json::Array(items.iter().filter_map(|v| to_json(&v.node)).collect()),
    })
}

fn record_json(fields: &[ast::Assignment]) -> Json {
    let mut obj = Json::Object(Map::new());
    for f in fields {
        set_path(&mut obj, &f.path.node.0, to_json(&f.value.node));
    }
    obj
}

#[cfg(test)]
mod unit {
    use crate::diagnostic::CheckError;

    const HEAD: &str = "ruleset r \"R\" in force from 2015-04-01
scale grade: outstanding > good > requires_improvement > inadequate
evidence
  inspection.start: date
  manager.vacant_since: date or none
  proposed.overall: grade
judgement overall: grade from proposed.overall
rule cap \"para 1\"
  when manager.vacant_since is set
  then overall at most good
";

    /// A list of records, a rule that advises and one that says what a
    /// judgement is likely to be, after `HEAD`'s.
    const MORE: &str = "record notice
  id: text
  due: date
evidence
  notices: list of notice default empty
rule vacancy_weighed \"para 2\"
  when manager.vacant_since is set
  advise \"weigh the vacancy\"
rule vacancy_likely \"para 3\"
  when manager.vacant_since is set
  likely overall = requires_improvement
";

    fn errors(tests: &str) -> Vec<CheckError> {
        errors_after(HEAD, tests)
    }

    /// The errors of `head` followed by `tests`.
    fn errors_after(head: &str, tests: &str) -> Vec<CheckError> {
        let source = format!("{head}{tests}");
        let file = judgement_syntax::parse_file(&source).unwrap();
        let sources = crate::sources::SourceMap::new(None, &source);
        let (_, problems) = crate::check::check(&file, &[], &sources);
        problems.into_iter().filter(|p| !p.warning).collect()
    }

    fn at<'a>(source_tail: &'a str, e: &CheckError) -> &'a str {
        &source_tail[e.span.start - HEAD.len()..e.span.end - HEAD.len()]
    }

    #[test]
    fn a_wrong_value_is_an_error_at_the_value_not_the_test() {
        let tests = "test \"t\"
  given inspection.start = 2015-11-09, manager.vacant_since = 12, proposed.overall = good
  expect overall = good
";
        let errors = errors(tests);
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(at(tests, &errors[0]), "12");
        assert_eq!(
            errors[0].message,
            "`manager.vacant_since` is a `date`, but `12` is a number"
        );
    }

    /// A field given twice in one `given` or example is an error at the
    /// second, as a key written twice is in evidence; `with` still changes
    /// a field the example gives.
    #[test]
    fn a_field_given_twice_is_an_error_at_the_second() {
        let tests = "example base
  inspection.start = 2015-11-09, proposed.overall = good, proposed.overall = inadequate
test \"t\"
  given inspection.start = 2015-11-09, proposed.overall = good, inspection.start = 2015-11-10
  expect overall = good
test \"with\"
  given base with proposed.overall = inadequate
  expect overall = inadequate
";
        let errors = errors(tests);
        let messages: Vec<(&str, &str)> = errors
            .iter()
            .map(|e| (e.message.as_str(), at(tests, e)))
            .collect();
        assert_eq!(
            messages,
            [
                ("`proposed.overall` is given twice", "proposed.overall"),
                ("`inspection.start` is given twice", "inspection.start"),
            ]
        );
        let second = tests.rfind("inspection.start").unwrap();
        assert_eq!(errors[1].span.start - HEAD.len(), second);
    }

    #[test]
    fn a_field_given_twice_in_a_list_element_is_an_error_at_the_second() {
        let head = format!("{HEAD}{MORE}");
        let tests = "test \"t\"
  given inspection.start = 2015-11-09, proposed.overall = good,
    notices = [{id = \"a\", due = 2015-12-01, due = 2015-12-02}, {id = \"b\", id = \"c\", due = 2015-12-01}]
  expect overall = good
";
        let errors = errors_after(&head, tests);
        let messages: Vec<(&str, &str)> = errors
            .iter()
            .map(|e| {
                let (start, end) = (e.span.start - head.len(), e.span.end - head.len());
                (e.message.as_str(), &tests[start..end])
            })
            .collect();
        assert_eq!(
            messages,
            [
                ("`due` is given twice", "due"),
                ("`id` is given twice", "id")
            ]
        );
        let second_due = tests.rfind("due = 2015-12-02").unwrap();
        assert_eq!(errors[0].span.start - head.len(), second_due);
        let second_id = tests.find("id = \"c\"").unwrap();
        assert_eq!(errors[1].span.start - head.len(), second_id);
    }

    /// `no advisory R` of a rule that never advises would always hold, and
    /// `advisory R` never: each is an error of `check`.
    #[test]
    fn an_advisory_expected_of_a_rule_that_never_advises_is_an_error() {
        let tests = "test \"t\"
  given inspection.start = 2015-11-09, proposed.overall = good
  expect no advisory cap
  expect advisory cap
";
        let errors = errors(tests);
        assert_eq!(errors.len(), 2, "{errors:?}");
        for e in &errors {
            assert_eq!(e.message, "the rule `cap` gives no advice");
            assert_eq!(at(tests, e), "cap");
        }
    }

    /// Of a rule that advises, by `advise` or by `likely`, either is
    /// allowed.
    #[test]
    fn an_advisory_expected_of_a_rule_that_advises_is_allowed() {
        let head = format!("{HEAD}{MORE}");
        let tests = "test \"t\"
  given inspection.start = 2015-11-09, manager.vacant_since = 2015-01-01, proposed.overall = good
  expect advisory vacancy_weighed
  expect advisory vacancy_likely
test \"u\"
  given inspection.start = 2015-11-09, proposed.overall = good
  expect no advisory vacancy_weighed
  expect no advisory vacancy_likely
";
        assert_eq!(errors_after(&head, tests), []);
    }

    #[test]
    fn a_misspelt_grade_in_a_given_suggests_the_grade() {
        let tests = "example base
  inspection.start = 2015-11-09, proposed.overall = goood
";
        let errors = errors(tests);
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(at(tests, &errors[0]), "goood");
        assert!(errors[0]
            .help
            .as_deref()
            .unwrap()
            .starts_with("did you mean `good`?"));
    }

    #[test]
    fn a_test_that_expects_an_error_may_give_bad_values() {
        let tests = "test \"t\"
  given inspection.start = none, proposed.overall = goood
  expect error \"required\"
";
        assert_eq!(errors(tests), []);
    }

    #[test]
    fn none_is_refused_only_for_a_required_field() {
        let tests = "test \"t\"
  given inspection.start = 2015-11-09, manager.vacant_since = none, proposed.overall = absent
  expect overall = good
";
        let errors = errors(tests);
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(at(tests, &errors[0]), "absent");
    }

    #[test]
    fn an_unknown_rule_is_named_even_when_other_rules_have_errors() {
        let tests = "rule broken \"para 2\"
  when no_such_thing
  then overall at most good
test \"t\"
  given inspection.start = 2015-11-09, proposed.overall = good
  expect overall bound by brokn
  expect advisory broken
";
        let errors = errors(tests);
        let messages: Vec<&str> = errors.iter().map(|e| e.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "there is no name `no_such_thing`",
                "there is no rule `brokn`"
            ]
        );
        assert_eq!(errors[1].help.as_deref(), Some("did you mean `broken`?"));
    }
}
