//! A change narrowed so that the parts of a condition that already come
//! out as wanted stay so: where a change for one part moves a field that
//! other parts test (`caution.subject is set and caution.subject is not
//! registered_provider and ...`), the value given meets every one of them,
//! or none is given.

use super::{Amount, Need};

/// `need` narrowed so that every one of `keeps` (what the parts that hold
/// need of the same field) holds too. `names` are the values of the
/// field's scale or choice, best first (none for any other field).
///
/// `Ok`: `need` itself where every value it allows keeps them all, else
/// the first value of the scale or choice that meets them all. `Err(i)`:
/// no value does once `keeps[i]` is counted.
pub(super) fn narrow(names: &[String], need: &Need, keeps: &[Need]) -> Result<Need, usize> {
    let absent = |n: &Need| matches!(n, Need::NotSet);
    if names.is_empty() || absent(need) || keeps.iter().any(absent) {
        return pairwise(need, keeps);
    }
    let mut left: Vec<usize> = (0..names.len())
        .filter(|i| meets(names, *i, need))
        .collect();
    let allowed = left.len();
    for (k, keep) in keeps.iter().enumerate() {
        left.retain(|i| meets(names, *i, keep));
        if left.is_empty() {
            return Err(k);
        }
    }
    if left.len() == allowed {
        return Ok(need.clone());
    }
    match left.first().and_then(|i| names.get(*i)) {
        Some(name) => Ok(Need::Exactly(Amount::Name(name.clone()))),
        None => Err(0),
    }
}

/// Whether value `index` of a scale or choice meets `need`. A need not
/// said in the scale's names (which working back does not give) is taken
/// as met: it cannot be told apart here.
fn meets(names: &[String], index: usize, need: &Need) -> bool {
    let rank = |a: &Amount| match a {
        Amount::Name(n) => names.iter().position(|x| x == n),
        _ => None,
    };
    match need {
        Need::Set | Need::NotBlank => true,
        Need::NotSet => false,
        Need::Exactly(a) => rank(a).is_none_or(|r| r == index),
        Need::Other(a) => rank(a).is_none_or(|r| r != index),
        // Rank 0 is best: at most V is V or worse.
        Need::AtMost(a) => rank(a).is_none_or(|r| index >= r),
        Need::AtLeast(a) => rank(a).is_none_or(|r| index <= r),
    }
}

/// `need` against each of `keeps` in turn, for a field that is not a
/// scale or choice, or where a part needs it absent: an exact value that
/// another part rules out, or set where it must stay absent, is refused;
/// set where another part bounds it, or keeps it from one value, takes that
/// bound or that "anything but" (`met` set, where `met > feedback` must
/// stay false: on or before the feedback); bounds of
/// one kind take the narrower; a lower and an upper bound take the lower,
/// where it is within the upper (the day a range opens), and are refused
/// where no value lies between them; anything else is `need` itself.
fn pairwise(need: &Need, keeps: &[Need]) -> Result<Need, usize> {
    let mut out = need.clone();
    for (k, keep) in keeps.iter().enumerate() {
        out = match (&out, keep) {
            (Need::Exactly(x), Need::Exactly(y)) if x != y => return Err(k),
            (Need::Exactly(x), Need::Other(w)) if x == w => return Err(k),
            (Need::Other(v), Need::Exactly(y)) if y != v => keep.clone(),
            (Need::Other(_), Need::Exactly(_)) => return Err(k),
            (Need::Set | Need::NotBlank, Need::NotSet)
            | (Need::NotSet, Need::Set | Need::NotBlank) => return Err(k),
            // Text that is not blank, where another part needs one text:
            // that text, unless it is blank.
            (Need::NotBlank, Need::Exactly(Amount::Name(t)))
            | (Need::Exactly(Amount::Name(t)), Need::NotBlank)
                if crate::value::blank(t) =>
            {
                return Err(k)
            }
            (Need::NotBlank, Need::Exactly(_)) => keep.clone(),
            (Need::NotSet, Need::Exactly(_)) | (Need::Exactly(_), Need::NotSet) => return Err(k),
            // Set where another part must keep a value apart (`x is set and
            // x != planned`, with x none): any value but that one.
            (Need::Set, Need::AtLeast(_) | Need::AtMost(_) | Need::Exactly(_) | Need::Other(_)) => {
                keep.clone()
            }
            // The later of two lower bounds, the earlier of two upper.
            (Need::AtLeast(now), Need::AtLeast(kept))
                if order(now, kept) == Some(std::cmp::Ordering::Less) =>
            {
                keep.clone()
            }
            (Need::AtMost(now), Need::AtMost(kept))
                if order(now, kept) == Some(std::cmp::Ordering::Greater) =>
            {
                keep.clone()
            }
            (Need::AtLeast(low), Need::AtMost(high)) | (Need::AtMost(high), Need::AtLeast(low)) => {
                match order(low, high) {
                    Some(std::cmp::Ordering::Greater) => return Err(k),
                    Some(_) => Need::Exactly(low.clone()),
                    None => out,
                }
            }
            (Need::Exactly(x), Need::AtLeast(low))
                if order(x, low) == Some(std::cmp::Ordering::Less) =>
            {
                return Err(k)
            }
            (Need::Exactly(x), Need::AtMost(high))
                if order(x, high) == Some(std::cmp::Ordering::Greater) =>
            {
                return Err(k)
            }
            _ => out,
        };
    }
    Ok(out)
}

/// One need allowing every value that either of two needs of one field
/// allows, and no other, where there is one: of two bounds of one kind,
/// the wider; a bound and an exact value within it, the bound; a bound and
/// the exact value one step past it (a day, or one of a whole amount), the
/// bound moved to that value. `None` for any other pair (two exact values
/// apart, a lower and an upper bound, values of a scale): they stay two
/// ways.
pub(super) fn joined(a: &Need, b: &Need) -> Option<Need> {
    use std::cmp::Ordering::{Equal, Greater, Less};
    match (a, b) {
        (Need::AtMost(x), Need::AtMost(y)) => Some(Need::AtMost(match order(x, y)? {
            Less => y.clone(),
            Equal | Greater => x.clone(),
        })),
        (Need::AtLeast(x), Need::AtLeast(y)) => Some(Need::AtLeast(match order(x, y)? {
            Greater => y.clone(),
            Equal | Less => x.clone(),
        })),
        (Need::AtMost(high), Need::Exactly(v)) | (Need::Exactly(v), Need::AtMost(high)) => {
            match order(v, high)? {
                Less | Equal => Some(Need::AtMost(high.clone())),
                Greater => (step(high, 1)? == *v).then(|| Need::AtMost(v.clone())),
            }
        }
        (Need::AtLeast(low), Need::Exactly(v)) | (Need::Exactly(v), Need::AtLeast(low)) => {
            match order(v, low)? {
                Greater | Equal => Some(Need::AtLeast(low.clone())),
                Less => (step(low, -1)? == *v).then(|| Need::AtLeast(v.clone())),
            }
        }
        _ => None,
    }
}

/// An amount of a kind that counts in whole steps, `by` steps on (days for
/// a date); `None` for any other kind, or past the range.
fn step(a: &Amount, by: i64) -> Option<Amount> {
    Some(match a {
        Amount::Number(n) => Amount::Number(n.checked_add(by)?),
        Amount::Days(n) => Amount::Days(n.checked_add(by)?),
        Amount::Months(n) => Amount::Months(n.checked_add(by)?),
        Amount::WorkingDays(n) => Amount::WorkingDays(n.checked_add(by)?),
        Amount::Date(d) => Amount::Date(d.checked_add_signed(chrono::TimeDelta::try_days(by)?)?),
        _ => return None,
    })
}

/// How two amounts of one kind compare; `None` for amounts of two kinds, or
/// of a kind with no order here (a scale's or choice's value, a yes/no).
fn order(a: &Amount, b: &Amount) -> Option<std::cmp::Ordering> {
    match (a, b) {
        (Amount::Number(x), Amount::Number(y))
        | (Amount::Days(x), Amount::Days(y))
        | (Amount::Months(x), Amount::Months(y))
        | (Amount::WorkingDays(x), Amount::WorkingDays(y)) => Some(x.cmp(y)),
        (Amount::Date(x), Amount::Date(y)) => Some(x.cmp(y)),
        (Amount::DateTime(x), Amount::DateTime(y)) => Some(x.cmp(y)),
        (Amount::Time(x), Amount::Time(y)) => Some(x.cmp(y)),
        _ => None,
    }
}
