//! Reading a calendar file: each line a header (`calendar`, `title`,
//! `version`, `source`, `years`) or a holiday, then the holidays checked
//! against the header (inside the years, on a weekday, listed once, every
//! year with some). Every problem is reported, with its line and column.

use super::{Calendar, CalendarError};
use chrono::{Datelike, NaiveDate, Weekday};
use std::collections::{BTreeMap, BTreeSet};

/// The calendar a file describes, or every problem in it, in line order
/// ([`Calendar::parse`]).
pub(super) fn parse(source: &str) -> Result<Calendar, Vec<CalendarError>> {
    read(source).finish()
}

/// The 1-based line and column of the `calendar` line that names the
/// calendar, where the file has one (`Calendar::name_at`).
pub(super) fn name_at(source: &str) -> Option<(usize, usize)> {
    let reader = read(source);
    reader.name.map(|(line, _)| (line, reader.name_column))
}

/// Every line of `source` read, before the holidays are checked against
/// the header.
fn read(source: &str) -> Reader {
    let source = source.strip_prefix('\u{feff}').unwrap_or(source);
    let mut reader = Reader::default();
    for (index, text) in source.lines().enumerate() {
        // `lines` takes a line feed, or a carriage return before one, as a
        // line's end; a carriage return anywhere else is refused, never
        // read into a name. The rest of the line is read as if it were a
        // space, so that nothing else is reported because of it.
        if let Some(at) = text.find('\r') {
            reader.errors.push(CalendarError::LoneCarriageReturn {
                line: index + 1,
                column: column(text, at),
            });
            reader.line(index + 1, &text.replace('\r', " "));
            continue;
        }
        reader.line(index + 1, text);
    }
    reader
}

/// A header value and the line it is on.
type Header<T> = Option<(usize, T)>;

/// A holiday line, before it is checked against the rest of the file.
struct Entry {
    line: usize,
    column: usize,
    date: NaiveDate,
    name: String,
}

/// The state of reading a calendar file, line by line.
#[derive(Default)]
struct Reader {
    errors: Vec<CalendarError>,
    name: Header<String>,
    /// The column of the `calendar` line that set `name`.
    name_column: usize,
    title: Header<String>,
    version: Header<String>,
    source: Header<String>,
    /// The line, the column of the value, and the first and last year.
    years: Option<(usize, usize, i32, i32)>,
    entries: Vec<Entry>,
    /// Header lines seen but not read: not reported again as missing.
    attempted: Vec<&'static str>,
}

/// Set a header once; a second line for it is an error.
fn set_header<T>(
    slot: &mut Header<T>,
    errors: &mut Vec<CalendarError>,
    header: &'static str,
    line: usize,
    column: usize,
    value: T,
) {
    match slot {
        Some((first_line, _)) => errors.push(CalendarError::RepeatedHeader {
            line,
            column,
            header,
            first_line: *first_line,
        }),
        None => *slot = Some((line, value)),
    }
}

impl Reader {
    fn line(&mut self, line: usize, raw: &str) {
        let text = without_comment(raw);
        let Some(start) = text.find(|c: char| !c.is_whitespace()) else {
            return;
        };
        let from_word = text.get(start..).unwrap_or_default();
        let word_end = from_word
            .find(char::is_whitespace)
            .unwrap_or(from_word.len());
        let word = from_word.get(..word_end).unwrap_or_default();
        let after = from_word.get(word_end..).unwrap_or_default();
        let rest = after.trim();
        let word_column = column(text, start);
        let rest_column = if rest.is_empty() {
            column(text, start + word_end) + 1
        } else {
            column(
                text,
                start + word_end + (after.len() - after.trim_start().len()),
            )
        };
        let bad = |header, expected| CalendarError::BadHeaderValue {
            line,
            column: rest_column,
            header,
            expected,
            found: rest.to_string(),
        };
        match word {
            "calendar" => {
                self.attempted.push("calendar");
                if is_identifier(rest) {
                    if self.name.is_none() {
                        self.name_column = word_column;
                    }
                    set_header(
                        &mut self.name,
                        &mut self.errors,
                        "calendar",
                        line,
                        word_column,
                        rest.to_string(),
                    );
                } else {
                    self.errors.push(bad(
                        "calendar",
                        "one name of letters, digits and `_`, e.g. `calendar england_and_wales`",
                    ));
                }
            }
            "title" | "version" | "source" => {
                let (header, slot) = match word {
                    "title" => ("title", &mut self.title),
                    "version" => ("version", &mut self.version),
                    _ => ("source", &mut self.source),
                };
                self.attempted.push(header);
                match quoted(rest) {
                    Some(value) => set_header(
                        slot,
                        &mut self.errors,
                        header,
                        line,
                        word_column,
                        value.to_string(),
                    ),
                    None => self.errors.push(bad(
                        header,
                        "a non-empty value in double quotes, e.g. `version \"2026-11-24\"`",
                    )),
                }
            }
            "years" => match years(rest) {
                Ok((first, last)) => {
                    if let Some((first_line, ..)) = self.years {
                        self.errors.push(CalendarError::RepeatedHeader {
                            line,
                            column: word_column,
                            header: "years",
                            first_line,
                        });
                    } else {
                        self.years = Some((line, rest_column, first, last));
                    }
                }
                Err(expected) => {
                    self.attempted.push("years");
                    self.errors.push(bad("years", expected));
                }
            },
            _ if word.starts_with(|c: char| c.is_ascii_digit()) => match date(word) {
                Some(date) if rest.is_empty() => self.errors.push(CalendarError::MissingName {
                    line,
                    column: rest_column,
                    date,
                }),
                Some(date) => self.entries.push(Entry {
                    line,
                    column: word_column,
                    date,
                    name: rest.to_string(),
                }),
                None => self.errors.push(CalendarError::BadDate {
                    line,
                    column: word_column,
                    found: word.to_string(),
                }),
            },
            _ => self.errors.push(CalendarError::UnexpectedLine {
                line,
                column: word_column,
                found: word.to_string(),
            }),
        }
    }

    fn finish(mut self) -> Result<Calendar, Vec<CalendarError>> {
        let missing = |header| CalendarError::MissingHeader {
            line: 1,
            column: 1,
            header,
        };
        for (present, header) in [
            (self.name.is_some(), "calendar"),
            (self.title.is_some(), "title"),
            (self.version.is_some(), "version"),
            (self.source.is_some(), "source"),
            (self.years.is_some(), "years"),
        ] {
            if !present && !self.attempted.contains(&header) {
                self.errors.push(missing(header));
            }
        }

        let mut holidays = BTreeMap::new();
        let mut first_lines: BTreeMap<NaiveDate, usize> = BTreeMap::new();
        let mut listed_years = BTreeSet::new();
        for entry in self.entries {
            let Entry {
                line,
                column,
                date,
                name,
            } = entry;
            listed_years.insert(date.year());
            let weekday = date.weekday();
            if let Some(&(_, _, first_year, last_year)) = self
                .years
                .as_ref()
                .filter(|(_, _, first, last)| !(*first..=*last).contains(&date.year()))
            {
                self.errors.push(CalendarError::OutsideYears {
                    line,
                    column,
                    date,
                    first_year,
                    last_year,
                });
            } else if matches!(weekday, Weekday::Sat | Weekday::Sun) {
                self.errors.push(CalendarError::WeekendHoliday {
                    line,
                    column,
                    date,
                    weekday,
                });
            } else if let Some(&first_line) = first_lines.get(&date) {
                self.errors.push(CalendarError::DuplicateDate {
                    line,
                    column,
                    date,
                    first_line,
                });
            } else {
                first_lines.insert(date, line);
                holidays.insert(date, name);
            }
        }

        if let Some((line, column, first, last)) = self.years {
            // Runs of declared years with nothing listed, one error a run.
            let mut run: Option<(i32, i32)> = None;
            for year in first..=last {
                if listed_years.contains(&year) {
                    if let Some((a, b)) = run.take() {
                        self.errors.push(CalendarError::NoHolidays {
                            line,
                            column,
                            first: a,
                            last: b,
                        });
                    }
                } else {
                    run = Some(run.map_or((year, year), |(a, _)| (a, year)));
                }
            }
            if let Some((a, b)) = run {
                self.errors.push(CalendarError::NoHolidays {
                    line,
                    column,
                    first: a,
                    last: b,
                });
            }
        }

        match (self.name, self.title, self.version, self.source, self.years) {
            (
                Some((_, name)),
                Some((_, title)),
                Some((_, version)),
                Some((_, source)),
                Some((_, _, first_year, last_year)),
            ) if self.errors.is_empty() => Ok(Calendar {
                name,
                title,
                version,
                source,
                first_year,
                last_year,
                counts: super::count::Counts::new(first_year, last_year, &holidays),
                holidays,
            }),
            _ => {
                let mut errors = self.errors;
                errors.sort_by_key(|e| e.position().unwrap_or_default());
                Err(errors)
            }
        }
    }
}

/// The line up to a `#` outside double quotes.
fn without_comment(line: &str) -> &str {
    let mut in_quotes = false;
    for (i, c) in line.char_indices() {
        match c {
            '"' => in_quotes = !in_quotes,
            '#' if !in_quotes => return line.get(..i).unwrap_or_default(),
            _ => {}
        }
    }
    line
}

/// The 1-based character column of byte offset `byte` in `line`.
fn column(line: &str, byte: usize) -> usize {
    line.get(..byte).map_or(0, |s| s.chars().count()) + 1
}

fn is_identifier(text: &str) -> bool {
    let mut chars = text.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// The text inside `"..."`: non-empty, with no quote inside.
fn quoted(text: &str) -> Option<&str> {
    text.strip_prefix('"')
        .and_then(|t| t.strip_suffix('"'))
        .filter(|inner| !inner.contains('"') && !inner.trim().is_empty())
}

/// A four-digit year.
fn year(text: &str) -> Option<i32> {
    if text.len() == 4 && text.bytes().all(|b| b.is_ascii_digit()) {
        text.parse().ok()
    } else {
        None
    }
}

/// `FIRST to LAST`, or what the value should have been.
fn years(text: &str) -> Result<(i32, i32), &'static str> {
    let mut words = text.split_whitespace();
    let (Some(first), Some("to"), Some(last), None) =
        (words.next(), words.next(), words.next(), words.next())
    else {
        return Err("`FIRST to LAST` with four-digit years, e.g. `years 2012 to 2027`");
    };
    match (year(first), year(last)) {
        (Some(first), Some(last)) if first <= last => Ok((first, last)),
        (Some(_), Some(_)) => Err("a first year no later than the last"),
        _ => Err("`FIRST to LAST` with four-digit years, e.g. `years 2012 to 2027`"),
    }
}

/// Whether `text` is written `YYYY-MM-DD`, digits and dashes, whether or
/// not the day exists.
pub(super) fn date_shaped(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() == 10
        && bytes.iter().enumerate().all(|(i, b)| match i {
            4 | 7 => *b == b'-',
            _ => b.is_ascii_digit(),
        })
}

/// A date written exactly `YYYY-MM-DD`.
fn date(text: &str) -> Option<NaiveDate> {
    if !date_shaped(text) {
        return None;
    }
    let number = |range: std::ops::Range<usize>| text.get(range)?.parse::<u32>().ok();
    let y = i32::try_from(number(0..4)?).ok()?;
    NaiveDate::from_ymd_opt(y, number(5..7)?, number(8..10)?)
}
