//! The places (`path:line:column`) of the items counted, from each file's
//! line starts, found once a file.

use crate::Ruleset;

/// The places (`path:line:column`) of spans, as `SourceMap::place` writes
/// them, from the starts of the lines of each file, found once a file:
/// `SourceMap::place` counts the lines before a span, the length of the
/// file for each of its rules and parts.
#[derive(Default)]
pub(super) struct Places {
    /// Each file's base and the offsets its lines start at.
    lines: Vec<(usize, Vec<usize>)>,
    /// Bytes of the files read to index their lines.
    pub(super) indexed: usize,
}

impl Places {
    pub(super) fn place(&mut self, ruleset: &Ruleset, span: judgement_syntax::Span) -> String {
        let Some((file, local)) = ruleset.sources().locate(span) else {
            return "another file".to_string();
        };
        let text = file.text();
        let path = file
            .path()
            .map_or("the ruleset".to_string(), |p| p.display().to_string());
        let offset = local.start.min(text.len());
        let at = match self.lines.iter().position(|(base, _)| *base == file.base()) {
            Some(at) => at,
            None => {
                let starts = std::iter::once(0)
                    .chain(text.match_indices('\n').map(|(i, _)| i + 1))
                    .collect();
                self.indexed += text.len();
                self.lines.push((file.base(), starts));
                self.lines.len() - 1
            }
        };
        let starts = self.lines.get(at).map(|(_, s)| s.as_slice()).unwrap_or(&[]);
        // The lines that start at or before the offset: its line.
        let line = starts.partition_point(|&s| s <= offset);
        let start = line
            .checked_sub(1)
            .and_then(|i| starts.get(i))
            .copied()
            .unwrap_or(0);
        let Some(on_line) = text.get(start..offset) else {
            // Not at a character's start, as no span is: as the map says.
            let (line, column) = local.line_col(text);
            return format!("{path}:{line}:{column}");
        };
        let on_line = match start {
            0 => on_line.strip_prefix('\u{feff}').unwrap_or(on_line),
            _ => on_line,
        };
        format!("{path}:{line}:{}", on_line.chars().count() + 1)
    }
}
