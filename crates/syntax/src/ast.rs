//! The abstract syntax tree of a rule file. Node names follow the grammar's
//! rule names (`rule_decl` -> [`RuleDecl`]); every node carries a span.

use crate::span::Spanned;
use chrono::NaiveDate;
use std::fmt;

pub type Name = Spanned<String>;

/// A whole rule file: one edition of one ruleset.
#[derive(Debug, Clone, PartialEq)]
pub struct File {
    pub header: RulesetDecl,
    pub items: Vec<Item>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RulesetDecl {
    pub name: Name,
    pub title: Spanned<String>,
    pub source: Option<Spanned<String>>,
    pub reference: Option<Spanned<String>>,
    pub edition: Option<Spanned<String>>,
    pub in_force: Option<Spanned<InForce>>,
    pub calendar: Option<Name>,
    pub as_at: Option<Spanned<Path>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InForce {
    pub from: NaiveDate,
    pub to: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    Scale(ScaleDecl),
    Choice(ChoiceDecl),
    Record(RecordDecl),
    Evidence(EvidenceDecl),
    Threshold(ThresholdDecl),
    Let(LetDecl),
    Judgement(JudgementDecl),
    Rule(RuleDecl),
    Example(ExampleDecl),
    Test(TestDecl),
}

/// An ordered scale, best value first.
#[derive(Debug, Clone, PartialEq)]
pub struct ScaleDecl {
    pub name: Name,
    pub values: Vec<Name>,
}

/// An unordered set of values.
#[derive(Debug, Clone, PartialEq)]
pub struct ChoiceDecl {
    pub name: Name,
    pub values: Vec<Name>,
}

/// The shape of each element of an evidence list.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordDecl {
    pub name: Name,
    pub fields: Vec<FieldDecl>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EvidenceDecl {
    pub fields: Vec<FieldDecl>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct FieldDecl {
    pub path: Spanned<Path>,
    pub ty: Spanned<TypeExpr>,
    pub absence: Option<Spanned<Absence>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TypeExpr {
    Named(String),
    ListOf(String),
}

/// What an absent or `null` evidence field means.
#[derive(Debug, Clone, PartialEq)]
pub enum Absence {
    /// `or none`: a definite none that rules test with `is set`.
    None,
    /// `or unknown`: not collected; conditions over it are three-valued.
    Unknown,
    /// `default empty`: an absent list is empty.
    Empty,
    /// `default VALUE`.
    Default(Literal),
}

#[derive(Debug, Clone, PartialEq)]
pub struct ThresholdDecl {
    pub name: Name,
    pub value: Spanned<Expr>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct LetDecl {
    pub name: Name,
    pub value: Spanned<Expr>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct JudgementDecl {
    pub name: Name,
    pub scale: Name,
    pub from: Spanned<Path>,
    pub applies_when: Option<Spanned<Expr>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RuleDecl {
    pub id: Name,
    pub citation: Option<Spanned<String>>,
    pub quote: Option<Spanned<String>>,
    pub notes: Vec<Spanned<String>>,
    pub for_each: Option<ForEach>,
    pub when: Option<Spanned<Expr>>,
    pub effects: Vec<Spanned<Effect>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ForEach {
    pub var: Name,
    pub list: Spanned<Path>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// `then J = V`, `then J at most V`, `then J at least V`.
    Constrain {
        judgement: Name,
        op: ConstraintOp,
        value: Name,
    },
    /// `then action NAME`.
    Action { name: Name },
    /// `then deadline NAME = DATE` or `from DATE to DATE`.
    Deadline { name: Name, when: DeadlineWhen },
    /// `then no judgement`.
    Withhold,
    /// `likely J = V`: advisory only.
    Likely {
        judgement: Name,
        op: ConstraintOp,
        value: Name,
    },
    /// `advise "..."`: advisory only.
    Advise { message: Spanned<String> },
}

impl Effect {
    /// Whether the effect is a hard one (may change a judgement or oblige).
    pub fn is_hard(&self) -> bool {
        !matches!(self, Effect::Likely { .. } | Effect::Advise { .. })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ConstraintOp {
    Equal,
    AtMost,
    AtLeast,
}

impl fmt::Display for ConstraintOp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ConstraintOp::Equal => "=",
            ConstraintOp::AtMost => "at most",
            ConstraintOp::AtLeast => "at least",
        })
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum DeadlineWhen {
    On(Spanned<Expr>),
    Window {
        from: Spanned<Expr>,
        to: Spanned<Expr>,
    },
}

/// A dotted name: `inspection.start`, `vacancy`, `absence.days`.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Path(pub Vec<String>);

impl Path {
    pub fn single(&self) -> Option<&str> {
        match self.0.as_slice() {
            [one] => Some(one),
            _ => None,
        }
    }
}

impl fmt::Display for Path {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.join("."))
    }
}

impl fmt::Debug for Path {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{self}`")
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    Literal(Literal),
    Path(Path),
    Unary {
        op: UnaryOp,
        expr: Box<Spanned<Expr>>,
    },
    Binary {
        op: BinaryOp,
        lhs: Box<Spanned<Expr>>,
        rhs: Box<Spanned<Expr>>,
    },
    Is {
        expr: Box<Spanned<Expr>>,
        negated: bool,
        test: IsTest,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnaryOp {
    Not,
    Neg,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinaryOp {
    Or,
    And,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    Add,
    Sub,
}

impl fmt::Display for BinaryOp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            BinaryOp::Or => "or",
            BinaryOp::And => "and",
            BinaryOp::Eq => "=",
            BinaryOp::Ne => "!=",
            BinaryOp::Lt => "<",
            BinaryOp::Le => "<=",
            BinaryOp::Gt => ">",
            BinaryOp::Ge => ">=",
            BinaryOp::Add => "+",
            BinaryOp::Sub => "-",
        })
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum IsTest {
    Set,
    None,
    Known,
    Unknown,
    Value(Name),
    AtMost(Name),
    AtLeast(Name),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    Bool(bool),
    Number(i64),
    Text(String),
    Date(NaiveDate),
    Duration {
        amount: i64,
        unit: Unit,
    },
    /// A bare value name (`full`), only in `default` clauses.
    Name(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    Days,
    Weeks,
    Months,
    WorkingDays,
}

impl fmt::Display for Unit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Unit::Days => "days",
            Unit::Weeks => "weeks",
            Unit::Months => "months",
            Unit::WorkingDays => "working days",
        })
    }
}

/// `example NAME` with the evidence it stands for.
#[derive(Debug, Clone, PartialEq)]
pub struct ExampleDecl {
    pub name: Name,
    pub assignments: Vec<Assignment>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TestDecl {
    pub name: Spanned<String>,
    pub example: Option<Name>,
    pub assignments: Vec<Assignment>,
    pub expectations: Vec<Spanned<Expectation>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Assignment {
    pub path: Spanned<Path>,
    pub value: Spanned<Value>,
}

/// A value written in an example or test.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// `absent`: remove the field.
    Absent,
    /// `none`: JSON `null`.
    None,
    Bool(bool),
    Number(i64),
    Text(String),
    Date(NaiveDate),
    Name(String),
    Record(Vec<Assignment>),
    List(Vec<Spanned<Vec<Assignment>>>),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Expectation {
    /// `J = V` or `J = none`.
    Judgement {
        name: Name,
        value: Option<Name>,
    },
    /// `no judgement`: every judgement withheld.
    NoJudgement,
    Action {
        name: Name,
        item: Option<Spanned<String>>,
    },
    NoAction {
        name: Name,
    },
    NoActions,
    Deadline {
        name: Name,
        when: ExpectedDeadline,
        item: Option<Spanned<String>>,
    },
    NoDeadline {
        name: Name,
    },
    Advisory {
        rule: Name,
        item: Option<Spanned<String>>,
    },
    NoAdvisory {
        rule: Name,
    },
    NoAdvisories,
    Undetermined {
        rule: Name,
    },
    Bound {
        judgement: Name,
        rule: Name,
    },
    Error {
        text: Spanned<String>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExpectedDeadline {
    On(NaiveDate),
    Window { from: NaiveDate, to: NaiveDate },
}
