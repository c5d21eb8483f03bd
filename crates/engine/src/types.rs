//! The types of values in a ruleset.

use crate::ids::id;
use std::fmt;

id!(
    /// A declared scale or choice (`Model::enums`).
    EnumId
);
id!(
    /// A declared record (`Model::records`).
    RecordId
);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Type {
    Bool,
    Number,
    Text,
    Date,
    /// A local date and time in England (no offset): `2012-05-21T09:40`.
    DateTime,
    /// A time of day: `12:00`.
    Time,
    /// A count of calendar days (weeks are 7 days).
    Days,
    /// A count of calendar months.
    Months,
    /// A count of working days over the ruleset's calendar.
    WorkingDays,
    /// A value of an ordered scale (`ordered = true`) or an unordered choice.
    Enum {
        id: EnumId,
        ordered: bool,
    },
    /// An element of a list of records.
    Record(RecordId),
    /// A list of records or of plain values.
    List(Elem),
}

/// What the elements of a list are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Elem {
    Record(RecordId),
    Bool,
    Number,
    Text,
    Date,
    DateTime,
    Days,
    Enum { id: EnumId, ordered: bool },
}

impl Elem {
    /// The type of one element.
    pub fn ty(self) -> Type {
        match self {
            Elem::Record(r) => Type::Record(r),
            Elem::Bool => Type::Bool,
            Elem::Number => Type::Number,
            Elem::Text => Type::Text,
            Elem::Date => Type::Date,
            Elem::DateTime => Type::DateTime,
            Elem::Days => Type::Days,
            Elem::Enum { id, ordered } => Type::Enum { id, ordered },
        }
    }

    /// The element kind of a list of `ty`, if lists of it are allowed.
    pub fn of(ty: Type) -> Option<Elem> {
        Some(match ty {
            Type::Record(r) => Elem::Record(r),
            Type::Bool => Elem::Bool,
            Type::Number => Elem::Number,
            Type::Text => Elem::Text,
            Type::Date => Elem::Date,
            Type::DateTime => Elem::DateTime,
            Type::Days => Elem::Days,
            Type::Enum { id, ordered } => Elem::Enum { id, ordered },
            _ => return None,
        })
    }
}

/// A type with the names needed to show it to a reader.
pub struct Shown<'a> {
    pub ty: Type,
    pub enum_names: &'a [String],
    pub record_names: &'a [String],
}

impl fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let lookup = |names: &[String], i: usize| names.get(i).cloned().unwrap_or_default();
        match self.ty {
            Type::Bool => f.write_str("bool"),
            Type::Number => f.write_str("number"),
            Type::Text => f.write_str("text"),
            Type::Date => f.write_str("date"),
            Type::DateTime => f.write_str("datetime"),
            Type::Time => f.write_str("time"),
            Type::Days => f.write_str("days"),
            Type::Months => f.write_str("months"),
            Type::WorkingDays => f.write_str("working days"),
            Type::Enum { id, .. } => f.write_str(&lookup(self.enum_names, id.index())),
            Type::Record(id) => f.write_str(&lookup(self.record_names, id.index())),
            Type::List(elem) => {
                let inner = Shown {
                    ty: elem.ty(),
                    enum_names: self.enum_names,
                    record_names: self.record_names,
                };
                write!(f, "list of {inner}")
            }
        }
    }
}
