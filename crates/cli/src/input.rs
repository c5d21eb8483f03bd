//! Reading evidence: one JSON document, or JSON Lines read a line at a time
//! so that memory does not grow with the input.

use crate::files::cannot_read;
use crate::Failure;
use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;

/// One non-blank line of a JSON Lines input, numbered from 1.
pub struct Line {
    pub number: usize,
    pub text: Vec<u8>,
}

/// An evidence input: its name for messages, and its lines.
pub struct Input {
    pub name: String,
    reader: Box<dyn BufRead>,
    /// Lines read so far.
    number: usize,
    jsonl: bool,
}

/// What an input holds.
pub enum Shape {
    /// Nothing but blank lines; `lines` when the input is a `.jsonl` file.
    Empty { lines: bool },
    /// One JSON document (its text, with its line numbers kept).
    One(Vec<u8>),
    /// JSON Lines: the lines read to decide so; the rest follow from the input.
    Lines(Vec<Line>),
}

impl Input {
    /// A file, or stdin for `-` or no path.
    pub fn open(path: Option<&Path>) -> Result<Input, Failure> {
        match path {
            None => Ok(Input::stdin()),
            Some(p) if p.as_os_str() == "-" => Ok(Input::stdin()),
            Some(p) => {
                let file = std::fs::File::open(p).map_err(|e| cannot_read(p, &e))?;
                if file.metadata().is_ok_and(|m| m.is_dir()) {
                    return Err(Failure::Usage(format!(
                        "cannot read `{}`: it is a folder",
                        p.display()
                    )));
                }
                Ok(Input {
                    name: p.display().to_string(),
                    reader: Box::new(BufReader::new(file)),
                    number: 0,
                    jsonl: p.extension().is_some_and(|x| x == "jsonl"),
                })
            }
        }
    }

    fn stdin() -> Input {
        Input {
            name: "<stdin>".into(),
            reader: Box::new(io::stdin().lock()),
            number: 0,
            jsonl: false,
        }
    }

    fn read_error(&self, e: &io::Error) -> Failure {
        Failure::Usage(format!("cannot read `{}`: {e}", self.name))
    }

    /// The next non-blank line, or `None` at the end.
    pub fn next_line(&mut self) -> Result<Option<Line>, Failure> {
        loop {
            let mut text = Vec::new();
            let n = self
                .reader
                .read_until(b'\n', &mut text)
                .map_err(|e| self.read_error(&e))?;
            if n == 0 {
                return Ok(None);
            }
            self.number += 1;
            if !text.iter().all(u8::is_ascii_whitespace) {
                return Ok(Some(Line {
                    number: self.number,
                    text,
                }));
            }
        }
    }

    /// Up to `max` more non-blank lines.
    pub fn next_chunk(&mut self, max: usize) -> Result<Vec<Line>, Failure> {
        let mut lines = Vec::with_capacity(max.min(1024));
        while lines.len() < max {
            match self.next_line()? {
                Some(line) => lines.push(line),
                None => break,
            }
        }
        Ok(lines)
    }

    /// The whole input as one document.
    pub fn read_all(&mut self) -> Result<Vec<u8>, Failure> {
        let mut text = Vec::new();
        self.reader
            .read_to_end(&mut text)
            .map_err(|e| self.read_error(&e))?;
        Ok(text)
    }

    /// One document or JSON Lines? A `.jsonl` file is JSON Lines. Otherwise
    /// the input is JSON Lines when its first non-blank line is a JSON value
    /// of its own (or is broken, rather than cut short) and another non-blank
    /// line follows; a document spread over several lines is one document.
    pub fn shape(&mut self) -> Result<Shape, Failure> {
        let Some(first) = self.next_line()? else {
            return Ok(Shape::Empty { lines: self.jsonl });
        };
        if self.jsonl {
            return Ok(Shape::Lines(vec![first]));
        }
        let cut_short = match serde_json::from_slice::<serde::de::IgnoredAny>(&first.text) {
            Ok(_) => false,
            Err(e) => e.is_eof(),
        };
        // Keep the document's own line numbers for JSON errors.
        let mut text = vec![b'\n'; first.number.saturating_sub(1)];
        if cut_short {
            text.extend_from_slice(&first.text);
            text.extend(self.read_all()?);
            return Ok(Shape::One(text));
        }
        match self.next_line()? {
            Some(second) => Ok(Shape::Lines(vec![first, second])),
            None => {
                text.extend_from_slice(&first.text);
                Ok(Shape::One(text))
            }
        }
    }
}
