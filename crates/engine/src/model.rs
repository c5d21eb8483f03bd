//! The checked and compiled form of a ruleset: every name resolved to a slot
//! index, every expression typed and stored in one arena, and the steps of
//! evaluation in dependency order. Evaluation never looks a name up.

use crate::types::{EnumId, RecordId, Type};
use crate::value::Value;
use chrono::NaiveDate;
use judgement_syntax::ast::{ConstraintOp, Expectation};
use judgement_syntax::{Span, Spanned};

pub type FieldId = usize;
pub type LetId = usize;
pub type JudgementId = usize;
pub type RuleId = usize;
pub type ExprId = usize;

#[derive(Debug, Clone)]
pub struct Model {
    pub meta: Meta,
    pub enums: Vec<EnumDef>,
    pub records: Vec<RecordDef>,
    /// Top-level evidence fields, one slot each.
    pub fields: Vec<FieldDef>,
    pub thresholds: Vec<ThresholdDef>,
    /// In dependency order: a let only reads lets before it.
    pub lets: Vec<LetDef>,
    pub judgements: Vec<JudgementDef>,
    pub rules: Vec<RuleDef>,
    pub exprs: Vec<Node>,
    pub expr_spans: Vec<Span>,
    /// The order of evaluation.
    pub steps: Vec<Step>,
    pub examples: Vec<ExampleDef>,
    pub tests: Vec<TestDef>,
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

#[derive(Debug, Clone)]
pub struct FieldDef {
    /// Segments of the JSON path, relative to the record or the evidence root.
    pub path: Vec<String>,
    pub name: String,
    pub ty: Type,
    pub absence: AbsenceMode,
    pub span: Span,
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
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct RuleDef {
    pub id: String,
    pub cite: String,
    pub quote: Option<String>,
    pub notes: Vec<String>,
    /// The list iterated and the record of its elements.
    pub for_each: Option<(FieldId, RecordId)>,
    pub when: Option<ExprId>,
    pub effects: Vec<EffectDef>,
    /// Evidence fields the condition reads (through lets too): named when the
    /// condition is unknown.
    pub reads: Vec<FieldId>,
    pub span: Span,
}

impl RuleDef {
    pub fn is_hard(&self) -> bool {
        self.effects.iter().any(EffectDef::is_hard)
    }
}

#[derive(Debug, Clone)]
pub enum EffectDef {
    Constrain {
        judgement: JudgementId,
        op: ConstraintOp,
        value: u16,
    },
    Action {
        name: String,
    },
    Deadline {
        name: String,
        on: ExprId,
    },
    Window {
        name: String,
        from: ExprId,
        to: ExprId,
    },
    Withhold,
    Advise {
        message: String,
    },
}

impl EffectDef {
    pub fn is_hard(&self) -> bool {
        !matches!(self, EffectDef::Advise { .. })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Rule(RuleId),
    Judgement(JudgementId),
}

/// Arithmetic resolved by type at check time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arith {
    /// number, days, months or working days with the same unit.
    AddSame,
    SubSame,
    DateAddDays,
    DateSubDays,
    DateAddMonths,
    DateSubMonths,
    DateAddWorking,
    DateSubWorking,
    /// date - date: a count of days, the start day being day 0.
    DateDiff,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cmp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    Const(Value),
    Field(FieldId),
    Let(LetId),
    Threshold(usize),
    Judgement(JudgementId),
    /// A field of the element a `for each` rule is looking at.
    ElementField(usize),
    Not(ExprId),
    Neg(ExprId),
    And(ExprId, ExprId),
    Or(ExprId, ExprId),
    /// `ordered` scales compare by rank, best greatest.
    Compare {
        op: Cmp,
        lhs: ExprId,
        rhs: ExprId,
        scale: bool,
    },
    Arith(Arith, ExprId, ExprId),
    IsSet(ExprId),
    IsKnown(ExprId),
    /// `is V`, `is at most V`, `is at least V` on a scale or choice value.
    IsValue {
        expr: ExprId,
        op: ConstraintOp,
        value: u16,
    },
}

impl Node {
    /// The expressions this node reads directly.
    pub fn children(&self) -> impl Iterator<Item = ExprId> {
        let (a, b) = match self {
            Node::Not(a) | Node::Neg(a) | Node::IsSet(a) | Node::IsKnown(a) => (Some(*a), None),
            Node::IsValue { expr, .. } => (Some(*expr), None),
            Node::And(a, b)
            | Node::Or(a, b)
            | Node::Arith(_, a, b)
            | Node::Compare { lhs: a, rhs: b, .. } => (Some(*a), Some(*b)),
            Node::Const(_)
            | Node::Field(_)
            | Node::Let(_)
            | Node::Threshold(_)
            | Node::Judgement(_)
            | Node::ElementField(_) => (None, None),
        };
        a.into_iter().chain(b)
    }
}

#[derive(Debug, Clone)]
pub struct ExampleDef {
    pub name: String,
    pub evidence: serde_json::Value,
}

#[derive(Debug, Clone)]
pub struct TestDef {
    pub name: String,
    pub span: Span,
    pub evidence: serde_json::Value,
    pub expectations: Vec<Spanned<Expectation>>,
}
