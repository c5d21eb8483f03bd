//! A rule or calendar file as a diagnostic shows it: each character a
//! terminal would act on (a control character, a line or paragraph
//! separator, a mark that turns the direction of text) written as its
//! escape, as `judgement_engine::printable_lines` writes it, so that a file
//! can neither restyle the terminal its errors are printed on nor reorder
//! the snippet. Line feeds, tabs and the carriage return of a Windows line
//! end are kept, so the lines are the file's.
//!
//! An escape is longer than the character it stands for, so the offsets
//! of the file's spans are moved to the shown text (for the snippet's
//! labels), and back (for the column a report's header gives, which is the
//! file's, as in `--format json` and editors).

use judgement_engine::unprintable_in_lines;

/// One character written as its escape.
#[derive(Debug, Clone, Copy)]
struct Escape {
    /// Its offset in the file, and its length there, in bytes.
    from: usize,
    len: usize,
    /// The escape's offset in the shown text, and its length.
    to: usize,
    shown: usize,
}

/// A file's text as a diagnostic shows it.
#[derive(Debug)]
pub struct Shown {
    pub text: String,
    /// Every escape, in the order of the file.
    escapes: Vec<Escape>,
}

impl Shown {
    pub fn new(file: &str) -> Shown {
        let mut escapes = Vec::new();
        let mut text = String::new();
        let mut chars = file.char_indices().peekable();
        while let Some((at, c)) = chars.next() {
            if !unprintable_in_lines(c, chars.peek().map(|&(_, next)| next)) {
                continue;
            }
            if escapes.is_empty() {
                text.reserve(file.len() + 8);
            }
            // The file up to this character, after the last escape.
            let last_end = escapes.last().map_or(0, |e: &Escape| e.from + e.len);
            text.push_str(file.get(last_end..at).unwrap_or_default());
            let to = text.len();
            text.extend(c.escape_default());
            escapes.push(Escape {
                from: at,
                len: c.len_utf8(),
                to,
                shown: text.len() - to,
            });
        }
        match escapes.last() {
            None => text = file.to_string(),
            Some(e) => text.push_str(file.get(e.from + e.len..).unwrap_or_default()),
        }
        Shown { text, escapes }
    }

    /// Where the file's offset `at` is in the shown text (an offset inside
    /// an escaped character: the start of its escape).
    pub fn shown_offset(&self, at: usize) -> usize {
        self.moved(at, |e| (e.from, e.len), |e| (e.to, e.shown))
    }

    /// Where the shown text's offset `at` is in the file (an offset inside
    /// an escape: the start of its character).
    pub fn file_offset(&self, at: usize) -> usize {
        self.moved(at, |e| (e.to, e.shown), |e| (e.from, e.len))
    }

    /// `at`, an offset on one side (`here`: where each escape starts on it,
    /// and its length), moved to the other (`there`).
    fn moved(
        &self,
        at: usize,
        here: fn(&Escape) -> (usize, usize),
        there: fn(&Escape) -> (usize, usize),
    ) -> usize {
        let before = self.escapes.partition_point(|e| here(e).0 < at);
        let Some(e) = before.checked_sub(1).and_then(|i| self.escapes.get(i)) else {
            return at;
        };
        let ((start, len), (other, other_len)) = (here(e), there(e));
        if at >= start + len {
            at - (start + len) + other + other_len
        } else {
            other
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Shown;

    #[test]
    fn plain_text_is_shown_as_it_is() {
        let shown = Shown::new("rule a \"p\"\r\n\twhen x\n");
        assert_eq!(shown.text, "rule a \"p\"\r\n\twhen x\n");
        assert_eq!(shown.shown_offset(5), 5);
        assert_eq!(shown.file_offset(5), 5);
    }

    #[test]
    fn each_escape_moves_what_follows_it() {
        // A NUL (1 byte, shown in 6), an escape (1 in 6) and a mark that
        // turns the text right to left (3 bytes, 8 shown), and a lone CR.
        let file = "a\0b\u{1b}[31mc\u{202e}d\re\n";
        let shown = Shown::new(file);
        assert_eq!(shown.text, "a\\u{0}b\\u{1b}[31mc\\u{202e}d\\re\n");
        let d = file.find('d').unwrap();
        assert_eq!(&shown.text[shown.shown_offset(d)..][..1], "d");
        assert_eq!(shown.file_offset(shown.shown_offset(d)), d);
        let e = file.find('e').unwrap();
        assert_eq!(&shown.text[shown.shown_offset(e)..][..1], "e");
        assert_eq!(shown.file_offset(shown.shown_offset(e)), e);
        // The escaped character itself starts at its escape, and a span
        // of it covers the whole escape.
        let nul = 1;
        assert_eq!(shown.shown_offset(nul), 1);
        assert_eq!(shown.shown_offset(nul + 1), 1 + "\\u{0}".len());
        // Inside an escape is its character.
        assert_eq!(shown.file_offset(3), nul);
        assert_eq!(shown.shown_offset(file.len()), shown.text.len());
        assert_eq!(shown.file_offset(shown.text.len()), file.len());
    }
}
