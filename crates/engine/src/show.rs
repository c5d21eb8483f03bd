//! Values as a reader sees them: in the outcome, its trace, messages and the
//! evidence schema. Shared by evaluation, the schema and the diff, so none of
//! them reaches into another for it.

use crate::model::Model;
use crate::types::Type;
use crate::value::Value;
use chrono::{Datelike, NaiveDate};
use std::sync::Arc;

/// A value as a reader sees it.
pub(crate) fn show(model: &Model, ty: Type, v: &Value) -> String {
    match v {
        Value::Days(n) => count_of(*n, "day"),
        Value::Months(n) => count_of(*n, "month"),
        Value::WorkingDays(n) => count_of(*n, "working day"),
        Value::List(items) => format!("{} elements", items.len()),
        // Empty or blank text is shown, not left as nothing.
        Value::Text(t) if t.chars().all(char::is_whitespace) => blank_text(t),
        other => show_plain(model, ty, other),
    }
}

/// Text of nothing but blanks (or none), as a reader can see it: in
/// quotes, each blank but a space written as its escape (`" "`,
/// `"\u{a0}"`, `"\t"`, `""`); bare, it would be shown as nothing, or as
/// a space that is not one.
fn blank_text(t: &str) -> String {
    format!("\"{}\"", escaped_where(t, |c, _| c != ' '))
}

/// `1 month`, `2 months`, `-1 day`.
fn count_of(n: i64, unit: &str) -> String {
    if n.abs() == 1 {
        format!("{n} {unit}")
    } else {
        format!("{n} {unit}s")
    }
}

/// A value in a message: durations as bare numbers, so that the message
/// says the unit (`{vacancy} days`).
pub(crate) fn show_plain(model: &Model, ty: Type, v: &Value) -> String {
    let mut out = String::new();
    show_plain_into(&mut out, model, ty, v);
    out
}

/// [`show_plain`] written onto the end of `out`: a message's values go
/// straight into it, where a string made for each value was allocated,
/// copied and freed.
pub(crate) fn show_plain_into(out: &mut String, model: &Model, ty: Type, v: &Value) {
    use std::fmt::Write as _;
    // Writing into a `String` does not fail.
    let _ = match v {
        Value::Bool(b) => write!(out, "{b}"),
        Value::Number(n) | Value::Days(n) | Value::Months(n) | Value::WorkingDays(n) => {
            write!(out, "{n}")
        }
        Value::Text(t) => out.write_str(t),
        Value::Date(d) => with_date_text(*d, |text| out.write_str(text)),
        Value::DateTime(d) => out.write_str(&datetime_str(*d)),
        Value::Time(t) => out.write_str(&time_str(*t)),
        Value::Enum(i) => match ty {
            Type::Enum { id, .. } => out.write_str(enum_name_str(model, id, *i)),
            _ => write!(out, "{i}"),
        },
        Value::List(items) => write!(out, "{}", items.len()),
        Value::None => out.write_str("none"),
        Value::Unknown => out.write_str("unknown"),
    };
}

/// A time as `HH:MM`, or `HH:MM:SS` where it has seconds: `12:00:30` is
/// after noon, and showing it as `12:00` would hide why.
pub(crate) fn time_str(t: chrono::NaiveTime) -> String {
    use chrono::Timelike;
    t.format(if t.second() == 0 { "%H:%M" } else { "%H:%M:%S" })
        .to_string()
}

/// A date and time as `YYYY-MM-DDTHH:MM`, with seconds where it has them.
pub(crate) fn datetime_str(d: chrono::NaiveDateTime) -> String {
    format!("{}T{}", date_str(d.date()), time_str(d.time()))
}

pub(crate) fn enum_name(model: &Model, id: crate::types::EnumId, value: u16) -> String {
    enum_name_str(model, id, value).to_owned()
}

/// [`enum_name`] borrowed from the model.
fn enum_name_str(model: &Model, id: crate::types::EnumId, value: u16) -> &str {
    model
        .enums
        .get(id)
        .and_then(|e| e.values.get(usize::from(value)))
        .map_or("", String::as_str)
}

/// A date as `YYYY-MM-DD`, the form evidence gives it in. Written digit by
/// digit: chrono's formatter interprets a format string on every call, and
/// an outcome writes several dates. A year outside 0..=9999 (which evidence
/// cannot hold) falls back to chrono.
pub(crate) fn date_str(d: NaiveDate) -> String {
    with_date_text(d, str::to_owned)
}

/// [`date_str`] shared: one allocation, for list elements named by a date.
pub(crate) fn date_arc(d: NaiveDate) -> Arc<str> {
    with_date_text(d, |text| Arc::from(text))
}

/// `f` of the text of [`date_str`], made without allocating for a year
/// from 0 to 9999.
fn with_date_text<T>(d: NaiveDate, f: impl FnOnce(&str) -> T) -> T {
    match date_digits(d) {
        Some(digits) => f(std::str::from_utf8(&digits).unwrap_or_default()),
        None => f(&d.format("%Y-%m-%d").to_string()),
    }
}

/// The ten ASCII bytes of `YYYY-MM-DD`, for a year in 0..=9999. Each pair
/// of digits is looked up in [`PAIRS`] rather than divided out digit by
/// digit: an outcome writes several dates, and the divisions were most of
/// the cost.
pub(crate) fn date_digits(d: NaiveDate) -> Option<[u8; 10]> {
    let year = u32::try_from(d.year()).ok().filter(|y| *y <= 9999)?;
    let [y1, y2] = pair(year / 100);
    let [y3, y4] = pair(year);
    let [m1, m2] = pair(d.month());
    let [d1, d2] = pair(d.day());
    Some([y1, y2, y3, y4, b'-', m1, m2, b'-', d1, d2])
}

/// The numbers 00 to 99 as two ASCII digits each.
const PAIRS: &[u8; 200] = b"\
    0001020304050607080910111213141516171819202122232425262728293031323334353637383940414243444546474849\
    5051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899";

/// The last two decimal digits of `n`.
fn pair(n: u32) -> [u8; 2] {
    // Below 200 and even, so always in the table.
    let at = (n % 100) as usize * 2;
    match PAIRS.get(at..at + 2) {
        Some(&[tens, ones]) => [tens, ones],
        _ => [b'0', b'0'],
    }
}

/// Text from a record as a report printed for a reader shows it: each
/// control character (a line break, a tab, a terminal's escape), line or
/// paragraph separator and character that shows nothing (a mark that
/// turns the direction of text, a zero-width space) written as its escape
/// (`\n`, `\u{1b}`, `\u{202e}`, `\u{200b}`), so that evidence can
/// neither start a line of its own in a report, nor restyle the terminal
/// it is printed on, nor reorder the text after it, and text that looks
/// empty, or like other text, is told apart (a reason of a zero-width
/// space is blank, `T is empty`). Borrowed where there is none, as in
/// almost all text.
pub fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    escaped_where(text, |c, _| unprintable(c))
}

/// [`printable`], but line feeds and tabs kept as they are: for text laid
/// out in lines, such as a rule file shown in a diagnostic, or a message
/// of several lines. A carriage return is escaped too, but for one just
/// before a line feed (the end of a Windows line), which a terminal shows
/// as nothing.
pub fn printable_lines(text: &str) -> std::borrow::Cow<'_, str> {
    escaped_where(text, unprintable_in_lines)
}

/// `text` with each character `escape` picks (given the character after
/// it) written as its escape; borrowed where it picks none.
fn escaped_where(
    text: &str,
    escape: impl Fn(char, Option<char>) -> bool,
) -> std::borrow::Cow<'_, str> {
    let mut chars = text.char_indices().peekable();
    let mut out: Option<String> = None;
    while let Some((at, c)) = chars.next() {
        let escaped = escape(c, chars.peek().map(|&(_, next)| next));
        match (&mut out, escaped) {
            (Some(out), true) => out.extend(c.escape_default()),
            (Some(out), false) => out.push(c),
            (None, true) => {
                let mut started = String::with_capacity(text.len() + 8);
                started.push_str(text.get(..at).unwrap_or_default());
                started.extend(c.escape_default());
                out = Some(started);
            }
            (None, false) => {}
        }
    }
    out.map_or(std::borrow::Cow::Borrowed(text), std::borrow::Cow::Owned)
}

/// A character [`printable_lines`] escapes, given the one after it.
pub fn unprintable_in_lines(c: char, next: Option<char>) -> bool {
    match c {
        '\n' | '\t' => false,
        '\r' => next != Some('\n'),
        c => unprintable(c),
    }
}

/// A list element's id as a page names it: `""` for an empty one, which
/// would otherwise leave "for absence" naming nothing. (A page escapes its
/// control characters with [`printable`], as it does all text from a
/// record.)
pub(crate) fn element_id(id: &str) -> &str {
    if id.is_empty() {
        "\"\""
    } else {
        id
    }
}

/// A character [`printable`] escapes: a control character, a line or
/// paragraph separator, or one that shows nothing where it is written
/// (among them the marks that turn the direction of text).
fn unprintable(c: char) -> bool {
    c.is_control() || matches!(c, '\u{2028}' | '\u{2029}') || shows_nothing(c)
}

/// A character Unicode marks as one to show nothing where it is written
/// (the property Default_Ignorable_Code_Point, Unicode 14 and since): a
/// soft hyphen, the zero-width space and joiners, the marks that set the
/// direction of text, the word joiner, variation selectors, the byte order
/// mark, tags, and the code points kept unassigned for more of them. Not
/// white space, so `str::trim` keeps them. A report shows each as its
/// escape ([`printable`]); text of nothing but these and white space is
/// blank (`T is empty`, `value::blank`).
pub(crate) fn shows_nothing(c: char) -> bool {
    matches!(
        c,
        '\u{00ad}'
            | '\u{034f}'
            | '\u{061c}'
            | '\u{115f}'..='\u{1160}'
            | '\u{17b4}'..='\u{17b5}'
            | '\u{180b}'..='\u{180f}'
            | '\u{200b}'..='\u{200f}'
            | '\u{202a}'..='\u{202e}'
            | '\u{2060}'..='\u{206f}'
            | '\u{3164}'
            | '\u{fe00}'..='\u{fe0f}'
            | '\u{feff}'
            | '\u{ffa0}'
            | '\u{fff0}'..='\u{fff8}'
            | '\u{1bca0}'..='\u{1bca3}'
            | '\u{1d173}'..='\u{1d17a}'
            | '\u{e0000}'..='\u{e0fff}'
    )
}

#[cfg(test)]
mod tests {
    use super::{date_arc, date_str, datetime_str, printable, printable_lines, time_str};
    use chrono::{Datelike, NaiveDate, NaiveTime};
    use std::borrow::Cow;

    #[test]
    fn text_in_lines_keeps_its_lines_and_escapes_the_rest() {
        let plain = "rule a \"p\"\r\n\twhen x\n";
        assert!(matches!(printable_lines(plain), Cow::Borrowed(t) if t == plain));
        assert_eq!(
            printable_lines("a\u{1b}[2J\nb\0\rc\u{202e}d\r\n"),
            "a\\u{1b}[2J\nb\\u{0}\\rc\\u{202e}d\r\n"
        );
        // Characters that show nothing are shown as their escapes.
        assert_eq!(
            printable("a\u{200b}b\u{feff}\u{ad}"),
            "a\\u{200b}b\\u{feff}\\u{ad}"
        );
        assert_eq!(printable_lines("\u{2060}\n"), "\\u{2060}\n");
        // `printable` escapes the line ends too: a record's text on one line.
        assert_eq!(printable("a\nb\tc"), "a\\nb\\tc");
    }

    #[test]
    fn times_show_their_seconds_only_where_they_have_some() {
        let noon = NaiveTime::from_hms_opt(12, 0, 0).unwrap();
        let after = NaiveTime::from_hms_opt(12, 0, 30).unwrap();
        assert_eq!(time_str(noon), "12:00");
        assert_eq!(time_str(after), "12:00:30");
        let day = NaiveDate::from_ymd_opt(2013, 6, 3).unwrap();
        assert_eq!(datetime_str(day.and_time(noon)), "2013-06-03T12:00");
        assert_eq!(datetime_str(day.and_time(after)), "2013-06-03T12:00:30");
    }

    #[test]
    fn dates_are_written_as_evidence_gives_them() {
        for (y, m, d) in [
            (2015, 12, 25),
            (1, 1, 1),
            (9999, 12, 31),
            (2016, 2, 29),
            (987, 10, 3),
        ] {
            let date = NaiveDate::from_ymd_opt(y, m, d).unwrap();
            assert_eq!(date_str(date), date.format("%Y-%m-%d").to_string());
            assert_eq!(&*date_arc(date), date_str(date));
        }
        // Every day of some years, and the first of every year.
        let mut day = NaiveDate::from_ymd_opt(1999, 1, 1).unwrap();
        while day.year() < 2032 {
            assert_eq!(date_str(day), day.format("%Y-%m-%d").to_string());
            day = day.succ_opt().unwrap();
        }
        for y in 0..=9999 {
            let first = NaiveDate::from_ymd_opt(y, 1, 1).unwrap();
            assert_eq!(date_str(first), first.format("%Y-%m-%d").to_string());
        }
        let far = NaiveDate::from_ymd_opt(12345, 1, 2).unwrap();
        assert_eq!(date_str(far), far.format("%Y-%m-%d").to_string());
    }
}
