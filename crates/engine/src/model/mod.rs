//! The checked and compiled form of a ruleset: every name resolved to a slot
//! index, every expression typed and stored in one arena, and the steps of
//! evaluation in dependency order. Evaluation never looks a name up.
//!
//! Here the model and its declarations (fields, thresholds, lets,
//! judgements, rules and their effects, DSL tests); `expr.rs` the
//! expression arena's nodes; `program.rs` the types of what compiling adds
//! (the steps, guards and leads as flat condition programs, the quantifiers
//! a list's index answers); `keys.rs` the declared evidence keys, sorted for lookup.

mod expr;
mod keys;
mod program;

pub use expr::*;
pub use keys::*;
pub use program::*;

use crate::types::{Elem, EnumId, RecordId, Type};
use crate::value::Value;
use chrono::NaiveDate;
use judgement_syntax::ast::{ConstraintOp, Expectation};
use judgement_syntax::{Span, Spanned};

use crate::ids::id;
pub use crate::ids::Table;

id!(
    /// A top-level evidence field (`Model::fields`): its slot in the record read.
    FieldId
);
id!(
    /// A `let` (`Model::lets`), in dependency order.
    LetId
);
id!(
    /// A threshold, a policy value (`Model::thresholds`).
    ThresholdId
);
id!(
    /// A judgement of the ruleset (`Model::judgements`).
    JudgementId
);
id!(
    /// A rule or `invalid` check (`Model::rules`).
    RuleId
);
id!(
    /// An expression in the model's arena (`Model::exprs`).
    ExprId
);

#[derive(Debug, Clone)]
pub struct Model {
    pub meta: Meta,
    pub enums: Table<EnumId, EnumDef>,
    pub records: Table<RecordId, RecordDef>,
    /// Top-level evidence fields, one slot each.
    pub fields: Table<FieldId, FieldDef>,
    pub thresholds: Table<ThresholdId, ThresholdDef>,
    /// In dependency order: a let only reads lets before it.
    pub lets: Table<LetId, LetDef>,
    pub judgements: Table<JudgementId, JudgementDef>,
    pub rules: Table<RuleId, RuleDef>,
    pub exprs: Table<ExprId, Node>,
    pub expr_spans: Table<ExprId, Span>,
    /// The order of evaluation: every judgement and every rule but the
    /// `invalid` checks, which run first (`Model::checks`).
    pub steps: Vec<Step>,
    /// For each `and` or `or` that heads a chain of its kind (`a and b and
    /// c`, which the parser builds down its left side), the operands in
    /// order; `None` for every other node, an `and` inside a longer chain
    /// included. Made by
    /// `compile`, so that evaluation walks a slice rather than gathering the
    /// chain each time it meets it.
    pub chains: Table<ExprId, Option<Box<[ExprId]>>>,
    /// For each rule with `for each`, the leading operands of its `and`
    /// condition (or the whole condition) that do not read the element:
    /// one of them false makes the rule false for every element, so
    /// evaluation may decide that once rather than for each element. Empty
    /// for every other rule. Made by `compile`.
    pub loop_guards: Table<RuleId, Box<[ExprId]>>,
    /// For each rule, the leading parts of its condition (the operands of
    /// its `and` chain, or the whole condition) that read only values where
    /// they are and cannot fail, compiled flat ([`Guards`]). Evaluation
    /// decides them before it walks the condition: if one is false, so is
    /// the condition; if they are the whole condition, they are its truth.
    /// Made by `compile`.
    pub guards: Table<RuleId, Guards>,
    /// For each let whose value is a truth (`and`, `or`, `not`, `is`, a
    /// comparison), the same compiled parts as a rule's guards: where they
    /// give a truth, it is the let's value, read without walking its
    /// expression; where they do not, the expression is walked. Made by
    /// `compile`.
    pub let_guards: Table<LetId, Option<Guards>>,
    /// For each judgement made only `when` a condition holds, the same
    /// compiled parts of that condition: where they give its truth, it is
    /// read without walking the condition (not where a trace, a probe of
    /// conditions or a provisional judgement is about). `None` where no
    /// part is a guard.
    /// Made by `compile`.
    pub judgement_guards: Table<JudgementId, Option<Guards>>,
    /// Parts of rules' guards that read only evidence fields, lets and
    /// constants, one for each rule at most, each once, with the steps it
    /// decides: see
    /// [`Lead`]. Made by `compile`.
    pub leads: Box<[Lead]>,
    /// For each judgement, the parts of rules' guards that read it (and
    /// perhaps judgements made before it), and otherwise only what a lead
    /// may read, each once, with the steps of those rules (rules without
    /// `for each`, which come after it): one part a rule at most, its
    /// first such (`compile::leads::judged_part`). Read once the judgement is
    /// made, where no judgement is provisional: where one is false, so is
    /// each of those rules' conditions, with no error, and no doubt over
    /// it (its condition read with provisional judgements unknown is false
    /// too). They only ever pass steps by, never take one back, so a step
    /// may have one of these as well as a lead. Made by `compile`.
    pub judgement_leads: Table<JudgementId, Box<[Lead]>>,
    /// The rules that check evidence (`invalid`), in the order they are
    /// declared: read before any other rule. Made by `compile`.
    pub checks: Box<[RuleId]>,
    /// Which lets a record works out before its rules and what each let
    /// needs worked out before it ([`LetPlan`]); `None` where every let is
    /// worked out first, in order. Made by `compile`.
    pub let_plan: Option<LetPlan>,
    /// The `some` and `no` quantifiers over an evidence list whose
    /// condition starts with an equality between a field of the element
    /// and a value that does not read it (`no listed in minor_errors
    /// satisfies listed.id = requirement.minor_error`), or with one or two
    /// bounds on such a field (`no visit in reg44_visits satisfies
    /// visit.date >= month and visit.date <= end of month month`), by the
    /// node of the quantifier, in the order of their ids: see [`Keyed`].
    /// Made by `compile`.
    pub keyed: Box<[(ExprId, Keyed)]>,
    /// The quantifiers and aggregates inside another binder (`for each`,
    /// a quantifier, an aggregate) that read no element bound outside
    /// them, in the order of their ids: the same for every element of the
    /// binders around them, so evaluation works each out once for them
    /// (`Run::memo`), where working it out for each outer element would
    /// take the product of the lists' lengths, and, nested, its power.
    /// Made by `compile`.
    pub closed: Box<[ExprId]>,
    pub examples: Vec<ExampleDef>,
    pub tests: Vec<TestDef>,
    /// The keys an evidence record may hold, level by level: reading finds
    /// an undeclared key without allocating.
    pub evidence_keys: Keys,
}

#[derive(Debug, Clone)]
pub struct Meta {
    pub name: String,
    pub title: String,
    pub source: Option<String>,
    pub reference: Option<String>,
    pub edition: String,
    pub in_force_from: Option<NaiveDate>,
    pub in_force_to: Option<NaiveDate>,
    pub calendar: Option<String>,
    /// The evidence date that selects the edition.
    pub as_at: Option<FieldId>,
    /// The evidence date the record is evaluated on: deadlines before it are overdue.
    pub evaluated_on: Option<FieldId>,
}

#[derive(Debug, Clone)]
pub struct EnumDef {
    pub name: String,
    /// Best first, for a scale.
    pub values: Vec<String>,
    pub ordered: bool,
}

#[derive(Debug, Clone)]
pub struct RecordDef {
    pub name: String,
    pub fields: Vec<FieldDef>,
    /// The slot of the element's `id` field.
    pub id_field: Option<usize>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum AbsenceMode {
    Required,
    None,
    Unknown,
    Default(Value),
}

impl AbsenceMode {
    /// Whether the field may be left out of a record.
    pub fn is_optional(&self) -> bool {
        !matches!(self, AbsenceMode::Required)
    }

    /// The value a field holds where a record leaves it out (none for a
    /// required field, which reading also reports).
    pub fn value_left_out(&self) -> Value {
        match self {
            AbsenceMode::Required | AbsenceMode::None => Value::None,
            AbsenceMode::Unknown => Value::Unknown,
            AbsenceMode::Default(v) => v.clone(),
        }
    }
}

#[derive(Debug, Clone)]
pub struct FieldDef {
    /// Segments of the JSON path, relative to the record or the evidence root.
    pub path: Vec<String>,
    pub name: String,
    pub ty: Type,
    pub absence: AbsenceMode,
    pub span: Span,
    /// What the rule file's comment says of the field (`ast::FieldDecl`'s
    /// comment): the evidence schema's description of it.
    pub comment: Option<String>,
}

#[derive(Debug, Clone)]
pub struct ThresholdDef {
    pub name: String,
    pub value: Value,
    pub ty: Type,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct LetDef {
    pub name: String,
    pub expr: ExprId,
    pub ty: Type,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct JudgementDef {
    pub name: String,
    pub scale: EnumId,
    pub from: FieldId,
    pub applies: Option<ExprId>,
    /// The `when` condition as written, for the outcome to say why a
    /// judgement is not made.
    pub applies_text: Option<String>,
    /// Judgements the `when` condition reads: this judgement is decided
    /// after them.
    pub applies_reads: Vec<JudgementId>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct RuleDef {
    pub id: String,
    pub cite: String,
    pub quote: Option<String>,
    pub notes: Vec<String>,
    pub for_each: Option<ForEachDef>,
    pub when: Option<ExprId>,
    pub effects: Vec<EffectDef>,
    /// Evidence fields the condition reads (through lets too): named when the
    /// condition is unknown.
    pub reads: Vec<FieldId>,
    /// Judgements the condition reads: a rule whose condition turns on a
    /// provisional judgement gives provisional results.
    pub reads_judgements: Vec<JudgementId>,
    /// Judgements its effects read (a bound from another judgement).
    pub effect_judgements: Vec<JudgementId>,
    /// An `invalid` check of the evidence, not a rule of the handbook.
    pub is_check: bool,
    pub span: Span,
}

impl RuleDef {
    pub fn is_hard(&self) -> bool {
        self.effects.iter().any(EffectDef::is_hard)
    }
}

/// `for each X in LIST`: the list, what its elements are, and its name as
/// written (for the paths of missing element fields).
#[derive(Debug, Clone)]
pub struct ForEachDef {
    pub var: String,
    pub list: ExprId,
    pub elem: Elem,
    pub list_name: String,
}

impl ForEachDef {
    /// The path of the element at `index`, `notices[1]`: the JSON path of
    /// an element of an evidence list.
    pub fn element_path(&self, index: usize) -> String {
        format!("{}[{index}]", self.list_name)
    }
}

/// What a constraint bounds its judgement by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bound {
    /// A value of the scale, written in the rule.
    Const(u16),
    /// An expression of the judgement's scale: evidence or another judgement.
    Expr(ExprId),
}

/// Text shown in the outcome, with `{name}` parts filled from values.
#[derive(Debug, Clone, PartialEq)]
pub struct Message {
    pub parts: Vec<MessagePart>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum MessagePart {
    Text(String),
    Value { expr: ExprId, ty: Type },
}

#[derive(Debug, Clone)]
pub enum EffectDef {
    Constrain {
        judgement: JudgementId,
        op: ConstraintOp,
        value: Bound,
    },
    Action {
        name: String,
        label: Option<Message>,
        due: Option<ExprId>,
    },
    Finding {
        name: String,
        message: Option<Message>,
    },
    Deadline {
        name: String,
        on: ExprId,
        target: Option<ExprId>,
        /// `met on DATE`: the day the deadline was met, when it was.
        met: Option<ExprId>,
        /// `optional deadline`: never overdue.
        optional: bool,
    },
    Window {
        name: String,
        from: ExprId,
        to: ExprId,
        target: Option<ExprId>,
        met: Option<ExprId>,
        optional: bool,
    },
    /// `then no judgement` (`None`: every judgement) or `then no J
    /// judgement` (judgement `J` only).
    Withhold(Option<JudgementId>),
    Advise {
        message: Message,
    },
    /// An `invalid` check that holds: the record is refused.
    Reject {
        message: Message,
    },
}

impl EffectDef {
    pub fn is_hard(&self) -> bool {
        !matches!(self, EffectDef::Advise { .. })
    }

    /// Whether this effect withholds judgement `j`: `then no judgement`
    /// withholds every one, `then no J judgement` only `J`.
    pub fn withholds(&self, j: JudgementId) -> bool {
        match self {
            EffectDef::Withhold(only) => only.is_none_or(|o| o == j),
            _ => false,
        }
    }
}

#[derive(Debug, Clone)]
pub struct ExampleDef {
    pub name: String,
    pub evidence: serde_json::Value,
}

/// A DSL test. Its evidence (its example with its assignments applied) is
/// built when the test runs ([`Model::test_evidence`]), not when the ruleset
/// is checked: a copy of the example for each test was a twentieth of
/// loading children's homes, for tests that most loads never run.
#[derive(Debug, Clone)]
pub struct TestDef {
    pub name: String,
    pub span: Span,
    /// Its example, in [`Model::examples`].
    pub example: Option<usize>,
    /// Its assignments, checked, in order: [`Assigned`].
    pub assignments: Vec<Assigned>,
    pub expectations: Vec<Spanned<Expectation>>,
}

/// One assignment of a test or example: the field's path and the JSON it
/// is given, `None` for `absent` (the field is removed).
pub type Assigned = (Vec<String>, Option<serde_json::Value>);

/// A condition asked of each element of a list: the body of a quantifier
/// (`every X in L satisfies C`) or the filter of an aggregate (`count X in
/// L where C`), with the list and the slot its element is bound at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ElementCondition {
    pub list: ExprId,
    pub slot: usize,
    pub cond: ExprId,
}

impl Model {
    /// The value of the expression `e` where it is the same in every
    /// record: a constant's or a threshold's.
    pub(crate) fn fixed(&self, e: ExprId) -> Option<&Value> {
        match self.exprs.get(e)? {
            Node::Const(v) => Some(v),
            Node::Threshold(t) => self.thresholds.get(*t).map(|d| &d.value),
            _ => None,
        }
    }

    /// The operands of an `and` (`all`) or `or` chain at `e`, left to
    /// right: the parts a probe and coverage take a condition apart into.
    pub(crate) fn operands(&self, e: ExprId, all: bool) -> Vec<ExprId> {
        let mut out = Vec::new();
        let mut stack = vec![e];
        while let Some(id) = stack.pop() {
            match self.exprs.get(id) {
                Some(Node::And(a, b)) if all => stack.extend([*b, *a]),
                Some(Node::Or(a, b)) if !all => stack.extend([*b, *a]),
                _ => out.push(id),
            }
        }
        out
    }

    /// The condition of let `l` where a probe reads through it (its parts
    /// are the condition's parts): a connective or a comparison.
    pub(crate) fn read_through(&self, l: LetId) -> Option<ExprId> {
        let inner = self.lets.get(l)?.expr;
        matches!(
            self.exprs.get(inner)?,
            Node::And(..) | Node::Or(..) | Node::Not(_) | Node::Compare { .. }
        )
        .then_some(inner)
    }

    /// The conditions asked of list elements under `e`, through lets, in
    /// reading order: not those inside one of them (each is asked of its
    /// own elements), and not below an `and`, `or` or `not` under `e`
    /// (the parts of a condition are looked at one by one). For rule
    /// coverage, whose parts and thresholds include these.
    pub(crate) fn element_conditions(&self, e: ExprId) -> Vec<ElementCondition> {
        let mut out = Vec::new();
        let mut stack = vec![e];
        // Lets nest no deeper than expressions: a bound on the walk.
        let mut budget = 4096usize;
        while let Some(id) = stack.pop() {
            let Some(left) = budget.checked_sub(1) else {
                break;
            };
            budget = left;
            let Some(node) = self.exprs.get(id) else {
                continue;
            };
            match node {
                Node::Quantified {
                    list, slot, cond, ..
                } => {
                    stack.push(*list);
                    out.push(ElementCondition {
                        list: *list,
                        slot: *slot,
                        cond: *cond,
                    });
                }
                // Its filter, not what it reads of each element: a
                // condition inside that (`latest (count x in g.things where
                // ...) for g in groups`) reads an element no probe binds,
                // and is left out rather than counted as never seen.
                Node::Aggregate {
                    list, slot, filter, ..
                } => {
                    stack.push(*list);
                    if let Some(cond) = filter {
                        out.push(ElementCondition {
                            list: *list,
                            slot: *slot,
                            cond: *cond,
                        });
                    }
                }
                Node::And(..) | Node::Or(..) | Node::Not(_) if id != e => {}
                Node::Let(l) => stack.extend(self.lets.get(*l).map(|d| d.expr)),
                other => {
                    let children: Vec<ExprId> = other.children().collect();
                    stack.extend(children.into_iter().rev());
                }
            }
        }
        out
    }

    /// The evidence a test evaluates: its example's with its assignments
    /// applied, in order.
    pub fn test_evidence(&self, test: &TestDef) -> serde_json::Value {
        let mut evidence = test.example.and_then(|i| self.examples.get(i)).map_or_else(
            || serde_json::Value::Object(serde_json::Map::new()),
            |e| e.evidence.clone(),
        );
        for (path, value) in &test.assignments {
            set_path(&mut evidence, path, value.clone());
        }
        evidence
    }
}

/// Set (or, for `None`, remove) a dotted path in a JSON object, making the
/// objects on the way.
pub(crate) fn set_path(
    target: &mut serde_json::Value,
    path: &[String],
    value: Option<serde_json::Value>,
) {
    use serde_json::{Map, Value as Json};
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
    match value {
        Some(v) => {
            map.insert(last.clone(), v);
        }
        None => {
            map.remove(last);
        }
    }
}
