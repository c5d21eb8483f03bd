//! The types of what compiling adds to the model: the steps of evaluation,
//! the leading parts of conditions written as flat programs of tests
//! (`Guards`, `Cond`), the leads that pass rules by, when each let is
//! worked out, and the quantifiers a list's index answers (`Keyed`).

use super::{Cmp, ExprId, FieldId, JudgementId, LetId, RuleId, Table, ThresholdId};
use judgement_syntax::ast::ConstraintOp;

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
}
