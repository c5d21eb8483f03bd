//! The flat condition programs that compiling leaves (`Model::guards`,
//! `let_guards`, `judgement_guards`, `leads`) read without walking
//! expressions: from the record being evaluated ([`Run`]), or from the
//! values every field a record leaves out holds (`rest.rs`).

use super::expr::{compare, is_set, Rank};
use super::Run;
use crate::model::*;
use crate::value::{Tri, Value};

/// A guard's test of a value held in place, as `truth` would give it;
/// `None` for a value the test cannot read (a truth that is none).
#[inline]
pub(crate) fn tested(value: &Value, test: Test) -> Option<Tri> {
    match test {
        Test::Holds(holds) => match value {
            Value::Bool(b) => Some(Tri::from_bool(*b == holds)),
            Value::Unknown => Some(Tri::Unknown),
            _ => None,
        },
        Test::IsSet => Some(is_set(value)),
        Test::Is { op, value: of } => Some(Rank::of(value).is(op, of)),
        // As `Run::quantified` reads a list in place before its elements.
        Test::Quantified { when_empty } => match value {
            Value::List(items) if !items.is_empty() => None,
            Value::List(_) | Value::None => Some(Tri::from_bool(when_empty)),
            Value::Unknown => Some(Tri::Unknown),
            _ => None,
        },
    }
}

/// The value at a place that is the same in every record: a threshold's
/// or a constant's; `None` for any other place.
#[inline]
pub(super) fn fixed(model: &Model, place: Place) -> Option<&Value> {
    match place {
        Place::Threshold(t) => model.thresholds.get(t).map(|d| &d.value),
        Place::Const(e) => model.fixed(e),
        Place::Field(_) | Place::Let(_) | Place::Element { .. } | Place::Judgement(_) => None,
    }
}

/// Where a condition program ([`Cond`]) reads its values: a record being
/// evaluated ([`Run`]), or the values every field a record leaves out
/// holds (`rest::Defaults`).
pub(super) trait Places {
    /// One test's truth, as `Run::truth` would give it; `None` where it
    /// would not give one without more work, or would fail.
    fn guard(&self, guard: &Guard) -> Option<Tri>;
    /// The value held at a place; `None` where it is not held here.
    fn read(&self, place: Place) -> Option<std::borrow::Cow<'_, Value>>;
    /// The date at `base` moved as the expression `moved` says
    /// ([`Cond::Moved`]), as the walk would work it out; `None` where it
    /// is not held here, or the move would fail.
    fn moved(&self, base: Place, moved: u16) -> Option<Value>;
}

impl Places for Run<'_, '_> {
    #[inline(always)]
    fn guard(&self, guard: &Guard) -> Option<Tri> {
        Run::guard(self, guard)
    }

    #[inline(always)]
    fn read(&self, place: Place) -> Option<std::borrow::Cow<'_, Value>> {
        Run::read(self, place)
    }

    fn moved(&self, base: Place, moved: u16) -> Option<Value> {
        let e = ExprId::from_index(usize::from(moved));
        let &Node::Arith(op, _, amount) = self.model.exprs.get(e)? else {
            return None;
        };
        let amount = self.model.fixed(amount)?;
        self.arith(op, &*Run::read(self, base)?, amount, e).ok()
    }
}

/// What `guards` say of their condition, read from `places`: see
/// [`Run::guarded`]. The one reading of guards, for a record and for the
/// defaults a record leaves in place (`rest::AtRest`).
#[inline]
pub(super) fn guarded<P: Places + ?Sized>(places: &P, guards: &Guards) -> Option<Tri> {
    guarded_or_stop(places, guards).unwrap_or(None)
}

/// [`guarded`], or, where a part of the program gives no truth, where
/// that part starts (`Err`): the part [`Run::guarded_now`] asks about.
#[inline]
fn guarded_or_stop<P: Places + ?Sized>(places: &P, guards: &Guards) -> Result<Option<Tri>, usize> {
    let program = &guards.program[..];
    let mut at = 0;
    let mut unknown = false;
    while let Some(node) = program.get(at) {
        // Most parts are a test of one value: read here, not in `cond`.
        let (t, next) = match node {
            Cond::Test(guard) => (places.guard(guard).ok_or(at)?, at + 1),
            _ => cond(places, program, at).ok_or(at)?,
        };
        match t {
            Tri::False => return Ok(Some(Tri::False)),
            Tri::Unknown => unknown = true,
            Tri::True => {}
        }
        at = next;
    }
    Ok(guards
        .whole
        .then_some(if unknown { Tri::Unknown } else { Tri::True }))
}

/// The truth of the program's tree at `at`, and where the next tree
/// starts; `None` where `truth` would not give one without more work,
/// or would fail. An `and` or `or` ends at the first operand that
/// settles it, as `Run::first_settling` does.
pub(super) fn cond<P: Places + ?Sized>(
    places: &P,
    program: &[Cond],
    at: usize,
) -> Option<(Tri, usize)> {
    match program.get(at)? {
        Cond::Test(guard) => Some((places.guard(guard)?, at + 1)),
        Cond::Compare {
            op,
            lhs,
            rhs,
            scale,
        } => {
            let (l, r) = (places.read(*lhs)?, places.read(*rhs)?);
            let t = compare(*op, &l, &r, *scale).unwrap_or(Tri::Unknown);
            Some((t, at + 1))
        }
        Cond::Moved {
            op,
            lhs,
            base,
            moved,
        } => {
            let (l, r) = (places.read(*lhs)?, places.moved(*base, *moved)?);
            let t = compare(*op, &l, &r, false).unwrap_or(Tri::Unknown);
            Some((t, at + 1))
        }
        Cond::Not => {
            let (t, next) = cond(places, program, at + 1)?;
            Some((!t, next))
        }
        &Cond::Chain { all, size } => {
            let end = at + size as usize;
            let settles = if all { Tri::False } else { Tri::True };
            let mut unknown = false;
            let mut i = at + 1;
            while i < end {
                // Most parts of a chain are a test of one value: read
                // here, not by a call of `cond` for each.
                let (t, next) = match program.get(i) {
                    Some(Cond::Test(guard)) => (places.guard(guard)?, i + 1),
                    _ => cond(places, program, i)?,
                };
                if t == settles {
                    return Some((settles, end));
                }
                unknown |= t == Tri::Unknown;
                i = next;
            }
            let t = if unknown {
                Tri::Unknown
            } else {
                Tri::from_bool(all)
            };
            Some((t, end))
        }
    }
}

impl Run<'_, '_> {
    /// What a rule's guards (`Model::guards`) say of its condition, read
    /// in order as [`Run::truth`] would read those parts: `Some(False)`
    /// when one is false (then so is the condition); the condition's truth
    /// when they are all of it; `None` when they are not, or when a part
    /// holds a value of a kind its test cannot read (a truth that is none,
    /// which walking the condition reports as an error). Then `truth`
    /// decides, as it would have. Reading the guards has no effect.
    #[inline]
    pub(super) fn guarded(&self, guards: &Guards) -> Option<Tri> {
        guarded(self, guards)
    }

    /// [`Run::guarded`] of a rule's guards; where they are undecided and
    /// read a let not yet worked out, the lets they read are worked out and
    /// the guards read again. Working out a let has no effect but keeping
    /// its value (one that fails keeps its error, for whatever reads it to
    /// raise), and a let reads only evidence and other lets, so the guards
    /// decide as the condition's walk would, which works out each let where
    /// it reads it. A rule whose guards are its whole condition, such
    /// as one that asks whether a let is set, is then decided by them.
    ///
    /// Only where the part that left them undecided reads a let not yet
    /// worked out: one undecided for another reason (a quantifier or count
    /// over a list with elements, which only the walk reads) stays so
    /// whatever the lets come to, and the walk may never read them (`count
    /// absence in manager.absences >= 2 and short_absences_in_a_row >= ...`
    /// over one absence).
    #[inline]
    pub(super) fn guarded_now(&mut self, guards: &Guards) -> Option<Tri> {
        let stop = match guarded_or_stop(&*self, guards) {
            Ok(guarded) => return guarded,
            Err(stop) => stop,
        };
        if !self.reads_a_late_let(guards, stop) {
            return None;
        }
        for &l in guards.lets.iter() {
            self.work_out_late(l);
        }
        self.guarded(guards)
    }

    /// Whether the part of a guards program at `at` (the one that gave no
    /// truth) reads a let not yet worked out, one of `guards.lets`.
    #[inline]
    fn reads_a_late_let(&self, guards: &Guards, at: usize) -> bool {
        let program = &guards.program[..];
        let part = program
            .get(at..at + tree_len(program, at))
            .unwrap_or_default();
        part.iter()
            .flat_map(Cond::places)
            .any(|place| matches!(place, Place::Let(l) if self.to_work_out(l)))
    }

    /// The truth of the program's tree at `at`, and where the next tree
    /// starts: [`cond`] read from this record.
    #[inline]
    fn cond(&self, program: &[Cond], at: usize) -> Option<(Tri, usize)> {
        cond(self, program, at)
    }

    /// The value held at a place, as the expression there would give it: a
    /// judgement's as `judgement_read` gives it, built (it holds nothing on
    /// the heap); the rest borrowed. Inlined into `cond`, which compares
    /// two: returned through memory, the `Cow` was copied whole just after
    /// its parts were written, and the copy waited for them.
    #[inline(always)]
    fn read(&self, place: Place) -> Option<std::borrow::Cow<'_, Value>> {
        use std::borrow::Cow;
        match place {
            Place::Judgement(j) => Some(Cow::Owned(self.judgement_read(j))),
            place => self.held(place).map(Cow::Borrowed),
        }
    }

    /// The value held at a place other than a judgement.
    #[inline]
    fn held(&self, place: Place) -> Option<&Value> {
        match place {
            Place::Field(f) => self.slot(f),
            Place::Let(l) => self.let_in_place(l),
            Place::Element { slot, field } => {
                self.element_field(usize::from(slot), field.map(usize::from))
            }
            Place::Threshold(_) | Place::Const(_) => fixed(self.model, place),
            Place::Judgement(_) => None,
        }
    }

    /// One test's truth, as `truth` would give it; `None` where it would
    /// not give one without more work, or would fail.
    #[inline]
    fn guard(&self, guard: &Guard) -> Option<Tri> {
        match guard.place {
            // Most guards test an evidence field: tested first, by a branch
            // of its own rather than through the jump on every kind of place.
            Place::Field(f) => tested(self.slot(f)?, guard.test),
            Place::Judgement(j) => match guard.test {
                Test::Is { op, value } => Some(self.judgement_rank(j).is(op, value)),
                // As `is set` of the value `judgement_read` gives.
                Test::IsSet => Some(match self.judgement_rank(j) {
                    Rank::Of(_) => Tri::True,
                    Rank::Unknown => Tri::Unknown,
                    Rank::NoValue => Tri::False,
                }),
                Test::Holds(_) | Test::Quantified { .. } => None,
            },
            place => tested(self.held(place)?, guard.test),
        }
    }

    /// Whether a lead (`Model::leads`) passes its rules by for this
    /// record. Most are a test of one field; those and the other small
    /// ones (a test of a let, `not` a test, a comparison) are read here
    /// without the program's walk.
    #[inline]
    pub(super) fn passes(&self, lead: &Lead) -> bool {
        let truth = match lead.test {
            LeadTest::FieldFalse(f, _) | LeadTest::Empty(f) => {
                return super::rest::field_passes(&lead.test, self.slot(f))
            }
            LeadTest::False(ref program) => match **program {
                [Cond::Test(ref guard)] => self.guard(guard),
                [Cond::Not, Cond::Test(ref guard)] => self.guard(guard).map(|t| !t),
                [Cond::Compare {
                    op,
                    lhs,
                    rhs,
                    scale,
                }] => match (self.held(lhs), self.held(rhs)) {
                    (Some(l), Some(r)) => Some(compare(op, l, r, scale).unwrap_or(Tri::Unknown)),
                    _ => None,
                },
                ref program => self.cond(program, 0).map(|(t, _)| t),
            },
        };
        truth == Some(Tri::False)
    }
}
