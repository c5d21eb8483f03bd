//! The checked and compiled form of a ruleset: every name resolved to a slot
//! index, every expression typed and stored in one arena, and the steps of
//! evaluation in dependency order. Evaluation never looks a name up.

use crate::types::{Elem, EnumId, RecordId, Type};
use crate::value::Value;
use chrono::NaiveDate;
use judgement_syntax::ast::{CalendarOp, ConstraintOp, Expectation, Quantifier};
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

/// The keys of one level of an evidence object, sorted for lookup (by
/// length, then bytes).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Keys {
    entries: Box<[(Box<str>, KeyKind)]>,
}

/// What a declared key holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyKind {
    /// A field's value: nothing below it is a key of the ruleset.
    Value,
    /// A group of fields (`manager` of `manager.vacant_since`).
    Group(Keys),
    /// A list of records, each element holding these keys.
    List(Keys),
}

impl Keys {
    /// The keys of the evidence root: every field, and `id`.
    pub fn of_evidence(model: &Model) -> Keys {
        let mut tree = KeyTree::default();
        tree.insert(&["id".to_string()], Leaf::Value);
        tree.add_fields(model.fields.as_slice(), &model.records);
        tree.into_keys()
    }
    /// What `key` holds, if it is declared at this level.
    pub fn get(&self, key: &str) -> Option<&KeyKind> {
        // A level rarely holds more than a handful of keys, and a scan of
        // them beats the mispredicted branches of a binary search: 140 ns
        // against 500 ns for the 24 keys of the benches' record.
        let found = if self.entries.len() <= LINEAR_SCAN {
            self.entries.iter().find(|(k, _)| k.as_ref() == key)
        } else {
            self.entries
                .binary_search_by(|(k, _)| key_order(k, key))
                .ok()
                .and_then(|i| self.entries.get(i))
        };
        found.map(|(_, kind)| kind)
    }

    /// Every declared path below this level, groups included, dotted, each
    /// level in key order; lists are not entered. For suggestions, on the
    /// error path.
    pub fn paths(&self) -> Vec<String> {
        let mut out = Vec::new();
        self.collect_paths("", &mut out);
        out
    }

    fn collect_paths(&self, prefix: &str, out: &mut Vec<String>) {
        for (key, kind) in self.entries.iter() {
            let path = if prefix.is_empty() {
                key.to_string()
            } else {
                format!("{prefix}.{key}")
            };
            out.push(path.clone());
            if let KeyKind::Group(inner) = kind {
                inner.collect_paths(&path, out);
            }
        }
    }
}

/// Keys gathered while checking, before they are sorted into [`Keys`]:
/// each key is found by hashing, so a ruleset of many fields is built in
/// linear time.
#[derive(Default)]
struct KeyTree {
    keys: std::collections::HashMap<String, Leaf>,
}

enum Leaf {
    Value,
    Group(KeyTree),
    List(KeyTree),
}

impl KeyTree {
    fn add_fields(&mut self, fields: &[FieldDef], records: &Table<RecordId, RecordDef>) {
        for f in fields {
            let leaf = match f.ty {
                // The checker refuses a record that holds itself, so this ends.
                Type::List(Elem::Record(rec)) => {
                    let mut element = KeyTree::default();
                    if let Some(r) = records.get(rec) {
                        element.add_fields(&r.fields, records);
                    }
                    Leaf::List(element)
                }
                _ => Leaf::Value,
            };
            self.insert(&f.path, leaf);
        }
    }

    /// Add a dotted path; the groups on the way are made as needed.
    fn insert(&mut self, path: &[String], leaf: Leaf) {
        let Some((first, rest)) = path.split_first() else {
            return;
        };
        if rest.is_empty() {
            self.keys.insert(first.clone(), leaf);
            return;
        }
        let slot = self
            .keys
            .entry(first.clone())
            .or_insert_with(|| Leaf::Group(KeyTree::default()));
        if !matches!(slot, Leaf::Group(_)) {
            *slot = Leaf::Group(KeyTree::default());
        }
        if let Leaf::Group(inner) = slot {
            inner.insert(rest, leaf);
        }
    }

    fn into_keys(self) -> Keys {
        let mut entries: Vec<(Box<str>, KeyKind)> = self
            .keys
            .into_iter()
            .map(|(k, leaf)| {
                let kind = match leaf {
                    Leaf::Value => KeyKind::Value,
                    Leaf::Group(t) => KeyKind::Group(t.into_keys()),
                    Leaf::List(t) => KeyKind::List(t.into_keys()),
                };
                (k.into_boxed_str(), kind)
            })
            .collect();
        entries.sort_by(|(a, _), (b, _)| key_order(a, b));
        Keys {
            entries: entries.into_boxed_slice(),
        }
    }
}

/// Up to this many keys at a level, a lookup scans them.
const LINEAR_SCAN: usize = 12;

/// The order of keys in [`Keys`]: by length, then by bytes. Most probes of
/// a lookup are then settled by the length alone.
fn key_order(a: &str, b: &str) -> std::cmp::Ordering {
    a.len()
        .cmp(&b.len())
        .then_with(|| a.as_bytes().cmp(b.as_bytes()))
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

/// The leading parts of a rule's condition that read only values where
/// they are (fields, lets, elements' fields, constants, thresholds and
/// judgements made before the rule) and cannot fail: `Model::guards`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Guards {
    /// The parts, one after another, each a [`Cond`] tree written flat,
    /// its root first.
    pub program: Box<[Cond]>,
    /// Whether the parts are the whole condition (every operand of its
    /// `and` chain, or the condition itself).
    pub whole: bool,
    /// The lets the parts read, each once, in the order the program reads
    /// them: a let not yet worked out leaves the guards undecided, and a
    /// rule's are worked out for them to be read again where the part that
    /// left them undecided reads one (`Run::guarded_now`).
    pub lets: Box<[LetId]>,
}

/// What passes some rules by for a record, read once for it where each
/// of those rules would read it again: see [`LeadTest`]. A rule passed by
/// has no effect, and is passed by only when no trace or probe of
/// conditions is asked for, which would record it.
#[derive(Debug, Clone, PartialEq)]
pub struct Lead {
    pub test: LeadTest,
    /// The steps (indexes into `Model::steps`) of the rules it leads, as
    /// bits: step `i` is bit `i % 64` of word `i / 64`. Only the words
    /// that hold one are listed, each once, with its index. No step has
    /// two leads in `Model::leads` (a rule is led by one part of its
    /// guards, or by its list), so one lead's steps are set or cleared
    /// apart from another's (`eval::AtRest`). A judgement's leads
    /// (`Model::judgement_leads`) only ever set steps, so a step may have
    /// one of those as well.
    pub steps: Box<[(u32, u64)]>,
}

/// When a record's lets are worked out (`Model::let_plan`). Those in
/// `first` are worked out before the checks, in order; then those in
/// `leads`; each other let where something evaluated first reads it (a
/// rule's condition, an effect, a judgement's `when`, another let). A let
/// that is never read is never worked out: most records read few of them.
/// Its value, or its error, is the same whenever it is worked out: a let
/// reads only evidence and other lets, never a judgement or a rule's
/// element. Where a trace or a probe is asked for, every let is worked out
/// first, in order, as the trace lists them all.
#[derive(Debug, Clone, Default)]
pub struct LetPlan {
    /// For each let, the lets it reads, directly or through others, and
    /// itself, in the order of `Model::lets`: worked out in that order
    /// where lets read through lets go deeper than evaluation recurses.
    pub needs: Table<LetId, Box<[LetId]>>,
    /// The lets the checks' conditions read, with all they need, in order:
    /// a check that reads a let that failed, or one that reads such a let,
    /// is not asked.
    pub first: Box<[LetId]>,
    /// The lets the leads read (`Model::leads`, `Model::judgement_leads`):
    /// a lead that reads a let not worked out passes nothing by.
    pub leads: Box<[LetId]>,
}

/// See [`Lead`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum LeadTest {
    /// A part of the guards of rules without `for each` (which one:
    /// `compile::leads::lead_among`), when it reads only values that stay as they
    /// are for the whole of a record's rules (evidence fields, lets,
    /// constants, thresholds): one [`Cond`] tree written flat, its root
    /// first. Where it is false, so is each of those rules' conditions,
    /// with no error, whatever their other parts read. Also a part that
    /// reads judgements, read once they are made (`Model::judgement_leads`);
    /// and the first part of a rule with `for each` over a sequence of
    /// months that cannot fail to be made (the months before an evidence
    /// date, say), which, false, makes the rule false for every month.
    False(Box<[Cond]>),
    /// The same, where the part is a test of one evidence field: the most
    /// common lead, read without the program.
    FieldFalse(FieldId, Test),
    /// The evidence list that rules with `for each` run over: where it is
    /// empty, not given or unknown, they run for no element and read
    /// nothing else.
    Empty(FieldId),
}

/// One node of a [`Guards`] program.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Cond {
    /// A test of one value in place.
    Test(Guard),
    /// A comparison of two values in place.
    Compare {
        op: Cmp,
        lhs: Place,
        rhs: Place,
        scale: bool,
    },
    /// A comparison of a value in place with a date in place moved by a
    /// number that is the same in every record, of days, working days or
    /// months (`inspection.end > inspection.start + 1 working day`, read
    /// with the moved date on the right). `moved` is the arithmetic's
    /// expression (a `Node::Arith` whose amount is a constant or a
    /// threshold), as a small number, which keeps the node as small as a
    /// [`Cond::Compare`]; an expression past it is no guard. A move that
    /// fails (a working day outside the calendar's years) gives no truth,
    /// and the walk reports it.
    Moved {
        op: Cmp,
        lhs: Place,
        base: Place,
        moved: u16,
    },
    /// `not` the node after it.
    Not,
    /// `and` (`all`) or `or` of the trees that follow, which with this
    /// node take `size` entries.
    Chain { all: bool, size: u32 },
}

impl Cond {
    /// The places this node reads itself (none for `not` and a chain,
    /// whose trees follow it).
    pub fn places(&self) -> impl Iterator<Item = Place> {
        let (a, b) = match self {
            Cond::Test(guard) => (Some(guard.place), None),
            Cond::Compare { lhs, rhs, .. } => (Some(*lhs), Some(*rhs)),
            Cond::Moved { lhs, base, .. } => (Some(*lhs), Some(*base)),
            Cond::Not | Cond::Chain { .. } => (None, None),
        };
        a.into_iter().chain(b)
    }
}

/// How many entries the tree at `at` of a guards program takes (0 past
/// its end).
pub fn tree_len(program: &[Cond], at: usize) -> usize {
    let mut len = 0;
    let mut at = at;
    // Each `not` takes one entry before the tree it negates.
    loop {
        match program.get(at) {
            None => return len,
            Some(Cond::Test(_) | Cond::Compare { .. } | Cond::Moved { .. }) => return len + 1,
            Some(Cond::Not) => {
                len += 1;
                at += 1;
            }
            Some(&Cond::Chain { size, .. }) => return len + size as usize,
        }
    }
}

/// A test of one value in place: see [`Cond::Test`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Guard {
    pub place: Place,
    pub test: Test,
}

/// Where a guard reads its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Place {
    Field(FieldId),
    Let(LetId),
    /// A field of the element bound at `slot` (or, `None`, the element).
    /// Small numbers keep a place to eight bytes, and a guard program's
    /// nodes few to a cache line: a slot or field past them is no guard
    /// (`compile::guards`), and its condition is walked.
    Element {
        slot: u16,
        field: Option<u16>,
    },
    /// A judgement made before the rule: for [`Test::Is`], [`Test::IsSet`]
    /// and comparisons.
    Judgement(JudgementId),
    Threshold(ThresholdId),
    /// A constant: the `Node::Const` at this expression.
    Const(ExprId),
}

/// What a guard asks of its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Test {
    /// The value is a truth: itself (`true`), or `not` it (`false`).
    Holds(bool),
    /// `is set`.
    IsSet,
    /// `is V`, `is at most V`, `is at least V`.
    Is { op: ConstraintOp, value: u16 },
    /// `every`, `some` or `no` element of the list held here satisfies a
    /// condition, or a count of its elements is compared with a fixed
    /// number: read only where the list has no element (or is none), when
    /// it is `when_empty` (`every` and `no` true, `some` false; for a
    /// count, the comparison of 0), or is unknown; a list with elements is
    /// left to the walk, which reads them.
    Quantified { when_empty: bool },
}

/// A quantifier that a long list answers from an index of one field of
/// its elements (`Model::keyed`): only the elements whose field passes the
/// condition's first part (equals the key, or lies within the bounds), or
/// is unknown, can make its condition anything but false, since that part
/// is false for every other element and ends it. Evaluation reads those
/// alone, in the list's order, where walking every element of a list for
/// every element of another (or every month of a sequence) would take the
/// product of their lengths.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Keyed {
    /// The evidence list.
    pub list: FieldId,
    /// The element's field the first part reads (its index in the record).
    pub field: usize,
    pub test: KeyTest,
}

/// What the leading part of a [`Keyed`] quantifier's condition asks of
/// the element's field (or, for [`KeyTest::Holds`], of the element).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyTest {
    /// Any other first part that reads the element and otherwise only what
    /// stays the same through a record (evidence fields, lets, constants,
    /// thresholds; no judgement, no other element, no list of its own):
    /// the elements for which it is not false are found once for the
    /// record (`days from other.start to other.end > 90`, asked for every
    /// absence of the same list). `Keyed::field` is unused.
    Holds(ExprId),
    /// `element.field = key` (either way round), where `key` is a value in
    /// place that does not read the element.
    Equal(ExprId),
    /// `element.field > low` (or `>=`), `element.field < high` (or `<=`),
    /// or the one then the other as the condition's first two parts, either
    /// way round, each bound an expression that does not read the element
    /// (worked out once for the list; where that fails, the list is read
    /// whole, as it would have been).
    Range {
        low: Option<Limit>,
        high: Option<Limit>,
        /// Whether the condition reads `low` first. The bounds are worked
        /// out in the condition's order: where the first is nothing, every
        /// element's first part is false and the second is never read, so
        /// it cannot be the error that the first one failing would be.
        low_first: bool,
    },
}

/// One side of a [`KeyTest::Range`]: the expression and whether a value
/// equal to it passes (`>=`, `<=`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    pub expr: ExprId,
    pub inclusive: bool,
}

/// One step of the evaluation order (`Model::steps`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// A rule without `for each`: its guards (`Model::guards`) are read
    /// before the rule itself is looked at.
    Rule(RuleId),
    /// A rule with `for each`, run for each element of its list.
    ForEach(RuleId),
    Judgement(JudgementId),
}

impl Step {
    /// The rule of a rule's step.
    pub fn rule(self) -> Option<RuleId> {
        match self {
            Step::Rule(r) | Step::ForEach(r) => Some(r),
            Step::Judgement(_) => None,
        }
    }
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Cmp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl Cmp {
    /// The comparison read the other way round: `a op b` is
    /// `b (op.flipped()) a`.
    pub fn flipped(self) -> Cmp {
        match self {
            Cmp::Lt => Cmp::Gt,
            Cmp::Le => Cmp::Ge,
            Cmp::Gt => Cmp::Lt,
            Cmp::Ge => Cmp::Le,
            Cmp::Eq | Cmp::Ne => self,
        }
    }

    /// Whether `a op b` holds, `ord` being how `a` compares with `b`.
    #[inline]
    pub fn holds(self, ord: std::cmp::Ordering) -> bool {
        use std::cmp::Ordering;
        match self {
            Cmp::Eq => ord == Ordering::Equal,
            Cmp::Ne => ord != Ordering::Equal,
            Cmp::Lt => ord == Ordering::Less,
            Cmp::Le => ord != Ordering::Greater,
            Cmp::Gt => ord == Ordering::Greater,
            Cmp::Ge => ord != Ordering::Less,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    Const(Value),
    Field(FieldId),
    Let(LetId),
    Threshold(ThresholdId),
    Judgement(JudgementId),
    /// The element bound at `slot` by `for each` or a quantifier: one of its
    /// fields, or (`None`) the element itself for a list of plain values.
    Var {
        slot: usize,
        field: Option<usize>,
    },
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
    /// `L is empty`.
    IsEmpty(ExprId),
    /// `every X in L satisfies C` (and `some`, `no`); `X` is bound at `slot`.
    Quantified {
        quantifier: Quantifier,
        list: ExprId,
        slot: usize,
        cond: ExprId,
    },
    /// `count X in L where C`, `earliest E for X in L`, spans, ...
    Aggregate {
        kind: AggregateKind,
        list: ExprId,
        slot: usize,
        filter: Option<ExprId>,
    },
    /// `days from A to B`, both ends counted.
    DaysBetween(ExprId, ExprId),
    /// `months from A to B` (`years`: twelve months a step).
    Sequence {
        months: i64,
        from: ExprId,
        to: ExprId,
    },
    Calendar(CalendarOp, ExprId),
}

/// What an aggregate computes over the elements that pass its filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AggregateKind {
    Count,
    Earliest(ExprId),
    Latest(ExprId),
    TotalDays {
        start: ExprId,
        end: ExprId,
    },
    LongestRun {
        start: ExprId,
        end: ExprId,
    },
    MostDays {
        window: Window,
        start: ExprId,
        end: ExprId,
    },
}

/// The length of a window of time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Window {
    Days(i64),
    Months(i64),
}

impl Node {
    /// The expressions this node reads directly.
    pub fn children(&self) -> impl Iterator<Item = ExprId> {
        let mut out: [Option<ExprId>; 4] = [None; 4];
        match self {
            Node::Not(a)
            | Node::Neg(a)
            | Node::IsSet(a)
            | Node::IsKnown(a)
            | Node::IsEmpty(a)
            | Node::Calendar(_, a) => out[0] = Some(*a),
            Node::IsValue { expr, .. } => out[0] = Some(*expr),
            Node::And(a, b)
            | Node::Or(a, b)
            | Node::Arith(_, a, b)
            | Node::DaysBetween(a, b)
            | Node::Sequence { from: a, to: b, .. }
            | Node::Compare { lhs: a, rhs: b, .. } => out = [Some(*a), Some(*b), None, None],
            Node::Quantified { list, cond, .. } => out = [Some(*list), Some(*cond), None, None],
            Node::Aggregate {
                kind, list, filter, ..
            } => {
                let (x, y) = match *kind {
                    AggregateKind::Count => (None, None),
                    AggregateKind::Earliest(e) | AggregateKind::Latest(e) => (Some(e), None),
                    AggregateKind::TotalDays { start, end }
                    | AggregateKind::LongestRun { start, end }
                    | AggregateKind::MostDays { start, end, .. } => (Some(start), Some(end)),
                };
                out = [Some(*list), *filter, x, y];
            }
            Node::Const(_)
            | Node::Field(_)
            | Node::Let(_)
            | Node::Threshold(_)
            | Node::Judgement(_)
            | Node::Var { .. } => {}
        }
        out.into_iter().flatten()
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A guard program's nodes stay small, a few to a cache line: a place
    /// is a tag and a `u32` id (an element's slot and field are `u16`).
    #[test]
    fn a_place_is_eight_bytes_and_a_guard_node_twenty() {
        assert_eq!(std::mem::size_of::<Place>(), 8);
        assert_eq!(std::mem::size_of::<Guard>(), 12);
        assert_eq!(std::mem::size_of::<Cond>(), 20);
    }

    #[test]
    fn the_evidence_keys_are_a_sorted_tree_of_the_declared_paths() {
        let source = "ruleset r \"R\" in force from 2015-04-01
record absence
  id: text
  planned: bool
evidence
  manager.vacant_since: date or none
  manager.absences: list of absence default empty
  home.secure: bool
let placed = home.secure
rule r \"para 1\"
  when placed
  then action a
";
        let ruleset = crate::Ruleset::from_source(source, &[]).unwrap();
        let keys = &ruleset.model().evidence_keys;
        assert_eq!(
            keys.paths(),
            [
                "id",
                "home",
                "home.secure",
                "manager",
                "manager.absences",
                "manager.vacant_since"
            ]
        );
        assert_eq!(keys.get("id"), Some(&KeyKind::Value));
        let Some(KeyKind::Group(manager)) = keys.get("manager") else {
            panic!("`manager` is a group");
        };
        let Some(KeyKind::List(element)) = manager.get("absences") else {
            panic!("`manager.absences` is a list");
        };
        assert_eq!(element.paths(), ["id", "planned"]);
        assert_eq!(keys.get("vacant_since"), None);
    }

    #[test]
    fn a_level_of_many_keys_is_searched_by_halves() {
        let mut tree = KeyTree::default();
        let names: Vec<String> = (0..40).map(|i| format!("k{}", i * 7 % 40)).collect();
        for name in &names {
            tree.insert(std::slice::from_ref(name), Leaf::Value);
        }
        let keys = tree.into_keys();
        assert!(keys.entries.len() > LINEAR_SCAN);
        for name in &names {
            assert_eq!(keys.get(name), Some(&KeyKind::Value), "{name}");
        }
        assert_eq!(keys.get("k40"), None);
        assert_eq!(keys.get("k"), None);
        assert_eq!(keys.get(""), None);
    }
}
