//! The abstract syntax tree of a rule file. Node names follow the grammar's
//! rule names (`rule_decl` -> [`RuleDecl`]); every node carries a span.

use crate::span::Spanned;
use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use std::fmt;

pub type Name = Spanned<String>;

/// A whole rule file: one edition of one ruleset, or definitions that
/// rulesets share.
#[derive(Debug, Clone, PartialEq)]
pub struct File {
    pub header: RulesetDecl,
    pub items: Vec<Item>,
}

/// What a rule file holds, from its first word.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FileKind {
    /// `ruleset NAME "TITLE" ...`: one edition of a ruleset.
    Ruleset,
    /// `definitions NAME "TITLE" ...`: scales, records, rules and the rest that
    /// several rulesets use (`uses NAME`), with the names they must provide.
    Definitions,
}

/// The header of a rule file: `ruleset_decl` or `definitions_decl`. A
/// definitions header has only a name, a title, `source`, `reference` and
/// `uses`; the other clauses are `None`.
#[derive(Debug, Clone, PartialEq)]
pub struct RulesetDecl {
    pub kind: FileKind,
    pub name: Name,
    pub title: Spanned<String>,
    pub source: Option<Spanned<String>>,
    pub reference: Option<Spanned<String>>,
    pub edition: Option<Spanned<String>>,
    pub in_force: Option<Spanned<InForce>>,
    pub calendar: Option<Name>,
    pub as_at: Option<Spanned<Path>>,
    /// `evaluated on PATH`: the evidence date deadlines are overdue after.
    pub evaluated_on: Option<Spanned<Path>>,
    /// `uses NAME`: the definitions files whose declarations come first.
    pub uses: Vec<Name>,
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
    Invalid(InvalidDecl),
    Example(ExampleDecl),
    Test(TestDecl),
    Needs(NeedsDecl),
}

/// `needs NAME: TYPE` or `needs judgement NAME: SCALE`, in a definitions
/// file: a name that each ruleset using the definitions provides.
#[derive(Debug, Clone, PartialEq)]
pub struct NeedsDecl {
    pub name: Name,
    /// `needs judgement`: the ruleset provides a judgement on the scale `ty`,
    /// which the definitions' rules may constrain; otherwise any let,
    /// threshold or judgement of type `ty`, which they may only read.
    pub judgement: bool,
    pub ty: Spanned<TypeExpr>,
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
    /// The `evidence` keyword (only its place; it holds nothing).
    pub keyword: Spanned<()>,
    pub fields: Vec<FieldDecl>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct FieldDecl {
    pub path: Spanned<Path>,
    pub ty: Spanned<TypeExpr>,
    pub absence: Option<Spanned<Absence>>,
    /// What the file says of the field: the comment lines directly above
    /// it in its block and the comment after it on its line, without their
    /// `#` (`scan::doc_comment`). The evidence schema gives it as the
    /// field's description, and hover shows it.
    pub comment: Doc,
}

/// What a file's comments say of a declaration. Like a span, it is not
/// part of what the declaration means: two that differ only in it are
/// equal, as comments never change what a file does (and `fmt` may move
/// one, a comment that broke a line going above it).
#[derive(Debug, Clone, Default)]
pub struct Doc(pub Option<String>);

impl PartialEq for Doc {
    fn eq(&self, _: &Doc) -> bool {
        true
    }
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

/// `invalid ID "MESSAGE" [for each X in LIST] when CONDITION`: evidence that the
/// ruleset refuses.
#[derive(Debug, Clone, PartialEq)]
pub struct InvalidDecl {
    pub id: Name,
    pub message: Spanned<String>,
    pub for_each: Option<ForEach>,
    pub when: Spanned<Expr>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ForEach {
    pub var: Name,
    /// A list field or element field, or a sequence of dates.
    pub list: Spanned<Expr>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// `then J = V`, `then J at most V`, `then J at least V`. The value is a
    /// name on the judgement's scale or an expression of that scale
    /// (`previous.overall`, another judgement).
    Constrain {
        judgement: Name,
        op: ConstraintOp,
        value: Spanned<Expr>,
    },
    /// `then action NAME ["LABEL"] [by DATE]`.
    Action {
        name: Name,
        label: Option<Spanned<String>>,
        due: Option<Spanned<Expr>>,
    },
    /// `then finding NAME ["MESSAGE"]`.
    Finding {
        name: Name,
        message: Option<Spanned<String>>,
    },
    /// `then deadline NAME = DATE` or `from DATE to DATE`, with an optional
    /// target and an optional `met on DATE` (the day it was met, if it was).
    Deadline {
        name: Name,
        when: DeadlineWhen,
        target: Option<Spanned<Expr>>,
        met: Option<Box<Spanned<Expr>>>,
        /// `optional deadline`: the last day for something that may be
        /// left undone; never overdue.
        optional: bool,
    },
    /// `then no judgement`: every judgement withheld; `then no J judgement`:
    /// judgement `J` only.
    Withhold { judgement: Option<Name> },
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
    /// `every X in L satisfies C`, `some ...`, `no ...`.
    Quantified {
        quantifier: Quantifier,
        over: Over,
        condition: Box<Spanned<Expr>>,
    },
    /// `count X in L`, `earliest E for X in L`, `total days from S to E for X in L`,
    /// ..., each with an optional `where C`.
    Aggregate {
        kind: Aggregate,
        over: Over,
        filter: Option<Box<Spanned<Expr>>>,
    },
    /// `days from A to B`: both ends counted.
    DaysBetween {
        from: Box<Spanned<Expr>>,
        to: Box<Spanned<Expr>>,
    },
    /// `months from A to B`, `years from A to B`: a list of dates.
    Sequence {
        unit: Unit,
        from: Box<Spanned<Expr>>,
        to: Box<Spanned<Expr>>,
    },
    /// `day after D`, `end of month D`, `date of DT`, ...
    Calendar {
        op: CalendarOp,
        arg: Box<Spanned<Expr>>,
    },
}

impl Expr {
    /// The expressions directly inside this one, in source order.
    pub fn children(&self) -> impl Iterator<Item = &Spanned<Expr>> {
        let mut out: Vec<&Spanned<Expr>> = Vec::new();
        match self {
            Expr::Literal(_) | Expr::Path(_) => {}
            Expr::Unary { expr, .. } | Expr::Is { expr, .. } => out.push(expr),
            Expr::Binary { lhs, rhs, .. } => out.extend([&**lhs, &**rhs]),
            Expr::Quantified {
                over, condition, ..
            } => out.extend([&*over.list, &**condition]),
            Expr::Aggregate { kind, over, filter } => {
                out.extend(kind.children());
                out.push(&over.list);
                out.extend(filter.as_deref());
            }
            Expr::DaysBetween { from, to } | Expr::Sequence { from, to, .. } => {
                out.extend([&**from, &**to])
            }
            Expr::Calendar { arg, .. } => out.push(arg),
        }
        out.into_iter()
    }
}

impl Aggregate {
    /// The expressions the aggregate computes for each element.
    pub fn children(&self) -> impl Iterator<Item = &Spanned<Expr>> {
        let out: Vec<&Spanned<Expr>> = match self {
            Aggregate::Count => Vec::new(),
            Aggregate::Earliest(e) | Aggregate::Latest(e) => vec![&**e],
            Aggregate::TotalDays { start, end }
            | Aggregate::LongestRun { start, end }
            | Aggregate::MostDays { start, end, .. } => vec![&**start, &**end],
        };
        out.into_iter()
    }
}

/// `X in L`: the name each element takes in turn, and the list.
#[derive(Debug, Clone, PartialEq)]
pub struct Over {
    pub var: Name,
    pub list: Box<Spanned<Expr>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quantifier {
    Every,
    Some,
    No,
}

impl fmt::Display for Quantifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Quantifier::Every => "every",
            Quantifier::Some => "some",
            Quantifier::No => "no",
        })
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Aggregate {
    /// `count X in L`
    Count,
    /// `earliest E for X in L`
    Earliest(Box<Spanned<Expr>>),
    /// `latest E for X in L`
    Latest(Box<Spanned<Expr>>),
    /// `total days from S to E for X in L`: the days of the union of the spans.
    TotalDays {
        start: Box<Spanned<Expr>>,
        end: Box<Spanned<Expr>>,
    },
    /// `longest run from S to E for X in L`: the most consecutive days covered.
    LongestRun {
        start: Box<Spanned<Expr>>,
        end: Box<Spanned<Expr>>,
    },
    /// `most days within N UNIT from S to E for X in L`: the most days covered
    /// in any window of that length.
    MostDays {
        amount: i64,
        unit: Unit,
        start: Box<Spanned<Expr>>,
        end: Box<Spanned<Expr>>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CalendarOp {
    /// `day after D`
    DayAfter,
    /// `day before D`
    DayBefore,
    /// `next working day after D`
    NextWorkingDayAfter,
    /// `start of month D`
    StartOfMonth,
    /// `end of month D`
    EndOfMonth,
    /// `date of DT`
    DateOf,
    /// `time of DT`
    TimeOf,
}

impl fmt::Display for CalendarOp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            CalendarOp::DayAfter => "day after",
            CalendarOp::DayBefore => "day before",
            CalendarOp::NextWorkingDayAfter => "next working day after",
            CalendarOp::StartOfMonth => "start of month",
            CalendarOp::EndOfMonth => "end of month",
            CalendarOp::DateOf => "date of",
            CalendarOp::TimeOf => "time of",
        })
    }
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
    /// `is empty`: a list with no elements.
    Empty,
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
    /// `2012-05-21T09:40`: a local time in England.
    DateTime(NaiveDateTime),
    /// `12:00`: a time of day.
    Time(NaiveTime),
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
    Years,
    WorkingDays,
}

impl fmt::Display for Unit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Unit::Days => "days",
            Unit::Weeks => "weeks",
            Unit::Months => "months",
            Unit::Years => "years",
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
    DateTime(NaiveDateTime),
    Name(String),
    Record(Vec<Assignment>),
    /// Records (`{id = "a", ...}`) or plain values.
    List(Vec<Spanned<Value>>),
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
        due: Option<NaiveDate>,
        item: Option<Spanned<String>>,
        /// `from rule R`: given by that rule.
        rule: Option<Name>,
    },
    NoAction {
        name: Name,
        item: Option<Spanned<String>>,
        /// `from rule R`: not given by that rule (another may give it).
        rule: Option<Name>,
    },
    NoActions,
    Deadline {
        name: Name,
        when: ExpectedDeadline,
        target: Option<NaiveDate>,
        /// `overdue` or `not overdue`; unsaid, either holds.
        overdue: Option<bool>,
        item: Option<Spanned<String>>,
        rule: Option<Name>,
    },
    /// `no deadline D [= DATE] [for item "ID"]`: with a date, no deadline
    /// D falls on it (one on another day may stand beside it).
    NoDeadline {
        name: Name,
        on: Option<NaiveDate>,
        item: Option<Spanned<String>>,
        rule: Option<Name>,
    },
    /// `finding F [for item "ID"] [saying "TEXT"]`: `saying`, the
    /// finding's message contains TEXT.
    Finding {
        name: Name,
        item: Option<Spanned<String>>,
        saying: Option<Spanned<String>>,
        rule: Option<Name>,
    },
    NoFinding {
        name: Name,
        item: Option<Spanned<String>>,
        rule: Option<Name>,
    },
    NoFindings,
    /// `J is provisional` (`negated`: `J is not provisional`).
    Provisional {
        judgement: Name,
        negated: bool,
    },
    /// `advisory RULE [for item "ID"] [saying "TEXT"]`: `saying`, the
    /// advisory's text contains TEXT (a `likely` rule's reads "overall is
    /// likely to be inadequate").
    Advisory {
        rule: Name,
        item: Option<Spanned<String>>,
        saying: Option<Spanned<String>>,
    },
    NoAdvisory {
        rule: Name,
        item: Option<Spanned<String>>,
    },
    NoAdvisories,
    Undetermined {
        rule: Name,
    },
    /// `expect no undetermined RULE`: the rule is not undetermined.
    NoUndetermined {
        rule: Name,
    },
    Bound {
        judgement: Name,
        rule: Name,
    },
    /// `expect J not bound by RULE`.
    NotBound {
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
