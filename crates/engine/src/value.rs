//! Runtime values and three-valued truth.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use std::sync::Arc;

/// A value during evaluation. `None` is a definite absence (`or none`);
/// `Unknown` is evidence that was not collected (`or unknown`).
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Bool(bool),
    Number(i64),
    Text(Arc<str>),
    Date(NaiveDate),
    DateTime(NaiveDateTime),
    Time(NaiveTime),
    Days(i64),
    Months(i64),
    WorkingDays(i64),
    /// The position of a value in its scale or choice (0 = best for a scale).
    Enum(u16),
    List(Arc<[Element]>),
    None,
    Unknown,
}

/// One element of a list: its id and its fields by slot. An element of a list
/// of plain values (dates, numbers) has that value as its one field, and its
/// text as its id.
#[derive(Debug, Clone, PartialEq)]
pub struct Element {
    pub id: Arc<str>,
    pub fields: Box<[Value]>,
}

/// Kleene three-valued truth.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tri {
    True,
    False,
    Unknown,
}

impl Tri {
    pub fn from_bool(b: bool) -> Tri {
        if b {
            Tri::True
        } else {
            Tri::False
        }
    }
}

impl std::ops::Not for Tri {
    type Output = Tri;
    fn not(self) -> Tri {
        match self {
            Tri::True => Tri::False,
            Tri::False => Tri::True,
            Tri::Unknown => Tri::Unknown,
        }
    }
}
