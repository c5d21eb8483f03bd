//! The types of values in a ruleset.

use std::fmt;

/// Index of a declared scale or choice in the model.
pub type EnumId = usize;
/// Index of a declared record in the model.
pub type RecordId = usize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Type {
    Bool,
    Number,
    Text,
    Date,
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
    /// An element of a list.
    Record(RecordId),
    List(RecordId),
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
            Type::Days => f.write_str("days"),
            Type::Months => f.write_str("months"),
            Type::WorkingDays => f.write_str("working days"),
            Type::Enum { id, .. } => f.write_str(&lookup(self.enum_names, id)),
            Type::Record(id) => f.write_str(&lookup(self.record_names, id)),
            Type::List(id) => write!(f, "list of {}", lookup(self.record_names, id)),
        }
    }
}
