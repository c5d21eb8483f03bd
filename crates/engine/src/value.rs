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
/// text as its id. A month of `months from A to B` is named by its date,
/// which is written out only when an outcome names it: building the list
/// allocates nothing per element.
#[derive(Debug, Clone, PartialEq)]
pub struct Element {
    /// `None`: named by its one field, a date.
    id: Option<Arc<str>>,
    fields: Fields,
}

/// An element's fields: one value inline (plain lists and months), or a
/// record's fields.
#[derive(Debug, Clone, PartialEq)]
enum Fields {
    One(Value),
    Many(Box<[Value]>),
}

impl Element {
    /// An element of a list of records: its id and its fields by slot.
    pub fn record(id: Arc<str>, fields: Vec<Value>) -> Element {
        Element {
            id: Some(id),
            fields: Fields::Many(fields.into()),
        }
    }

    /// An element of a list of plain values, named by its text.
    pub fn plain(id: Arc<str>, value: Value) -> Element {
        Element {
            id: Some(id),
            fields: Fields::One(value),
        }
    }

    /// A date of a sequence, named by the date.
    pub fn date(date: NaiveDate) -> Element {
        Element {
            id: None,
            fields: Fields::One(Value::Date(date)),
        }
    }

    /// The id an outcome names the element by.
    pub fn id(&self) -> Arc<str> {
        match (&self.id, &self.fields) {
            (Some(id), _) => Arc::clone(id),
            (None, Fields::One(Value::Date(d))) => crate::show::date_arc(*d),
            (None, _) => Arc::from(""),
        }
    }

    /// The id the evidence gave it (`None` for a month of a sequence).
    pub fn given_id(&self) -> Option<&Arc<str>> {
        self.id.as_ref()
    }

    /// The fields by slot.
    pub fn fields(&self) -> &[Value] {
        match &self.fields {
            Fields::One(v) => std::slice::from_ref(v),
            Fields::Many(fields) => fields,
        }
    }
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

/// Whether text says nothing (`T is empty`): it is `""`, or holds nothing
/// but white space and characters that show nothing where they are
/// written. A reason of `"  "`, or of a zero-width space pasted from a
/// form, is no reason.
pub(crate) fn blank(text: &str) -> bool {
    text.chars()
        .all(|c| c.is_whitespace() || crate::show::shows_nothing(c))
}

#[cfg(test)]
mod tests {
    use super::blank;

    #[test]
    fn text_of_spaces_and_characters_that_show_nothing_is_blank() {
        for text in [
            "",
            "   ",
            "\t\n",
            "\u{200b}",
            "\u{feff}",
            " \u{200b}\u{200d} ",
            "\u{00ad}",
            "\u{2060}",
            "\u{3000}",
            "\u{e0020}",
        ] {
            assert!(blank(text), "{text:?} is blank");
        }
        for text in ["a", " a ", "\u{200b}x", "-", "\u{00a0}.", "\u{2064}0"] {
            assert!(!blank(text), "{text:?} is not blank");
        }
    }
}
