//! Helpers shared by the formatter's tests: where a line's comment starts,
//! and the text of every comment of a file.

/// For each byte of a line, whether it is inside a quoted string.
pub fn string_bytes(line: &str) -> Vec<bool> {
    let mut inside = vec![false; line.len()];
    let mut in_string = false;
    let mut escaped = false;
    for (i, c) in line.char_indices() {
        if let Some(slot) = inside.get_mut(i) {
            *slot = in_string;
        }
        match c {
            '\\' if in_string && !escaped => {
                escaped = true;
                continue;
            }
            '"' if !escaped => in_string = !in_string,
            _ => {}
        }
        escaped = false;
    }
    inside
}

/// Where the comment of one line starts, outside any string.
pub fn comment_start(line: &str) -> Option<usize> {
    let inside = string_bytes(line);
    line.char_indices()
        .find(|(i, c)| *c == '#' && !inside.get(*i).copied().unwrap_or(false))
        .map(|(i, _)| i)
}

/// The text of every `#` comment outside strings, in order, without the
/// spaces that end its line.
pub fn comments(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|l| comment_start(l).and_then(|i| l.get(i..)))
        .map(|c| c.trim_end().to_string())
        .collect()
}
