//! "Did you mean ...?": the nearest of a set of names to a word that is not
//! one of them, when it is near enough to be a slip of the keyboard.
//!
//! ```
//! use judgement_syntax::suggest::nearest;
//!
//! let keywords = ["when", "then", "rule", "evidence"];
//! assert_eq!(nearest("thn", keywords), Some("then"));
//! assert_eq!(nearest("wehn", keywords), Some("when"));
//! assert_eq!(nearest("evidnce", keywords), Some("evidence"));
//! assert_eq!(nearest("colour", keywords), None);
//! ```

/// The number of edits that turn `a` into `b`: characters inserted,
/// deleted or replaced, or two neighbouring characters swapped (the
/// "optimal string alignment" distance). Counts characters, not bytes, and
/// is case-sensitive.
pub fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    // Three rows of the usual table: for the prefixes of `a` two shorter,
    // one shorter, and as long as the one being filled.
    let mut two_above: Vec<usize> = Vec::new();
    let mut above: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut row = Vec::with_capacity(b.len() + 1);
        row.push(i + 1);
        for (j, cb) in b.iter().enumerate() {
            let replace = above
                .get(j)
                .map_or(usize::MAX, |d| d + usize::from(ca != cb));
            let delete = above.get(j + 1).map_or(usize::MAX, |d| d + 1);
            let insert = row.get(j).map_or(usize::MAX, |d| d + 1);
            let mut best = replace.min(delete).min(insert);
            let swapped = i > 0 && j > 0 && b.get(j - 1) == Some(ca) && a.get(i - 1) == Some(cb);
            if swapped {
                if let Some(d) = two_above.get(j - 1) {
                    best = best.min(d + 1);
                }
            }
            row.push(best);
        }
        two_above = std::mem::replace(&mut above, row);
    }
    above.last().copied().unwrap_or(0)
}

/// The candidate nearest to `word` by [`distance`], if it is close: at most
/// two edits away, and fewer edits than half the word's length, so that a
/// short word is not taken for whatever is two letters from it (`in` is not
/// a slip for `is`). Ties go to the candidate given first; a candidate equal
/// to `word` is nearest of all.
pub fn nearest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let length = word.chars().count();
    let mut best: Option<(usize, &'a str)> = None;
    for candidate in candidates {
        let d = distance(word, candidate);
        if best.is_none_or(|(nearest, _)| d < nearest) {
            best = Some((d, candidate));
        }
    }
    best.filter(|(d, _)| *d <= 2 && 2 * d < length)
        .map(|(_, candidate)| candidate)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distance_counts_each_kind_of_edit_once() {
        assert_eq!(distance("", ""), 0);
        assert_eq!(distance("", "abc"), 3);
        assert_eq!(distance("abc", ""), 3);
        assert_eq!(distance("then", "then"), 0);
        assert_eq!(distance("thn", "then"), 1, "an insertion");
        assert_eq!(distance("thenn", "then"), 1, "a deletion");
        assert_eq!(distance("than", "then"), 1, "a replacement");
        assert_eq!(distance("wehn", "when"), 1, "a swap");
        assert_eq!(distance("judgment", "judgement"), 1);
        assert_eq!(distance("kitten", "sitting"), 3);
        assert_eq!(distance("ça", "ca"), 1, "characters, not bytes");
    }

    #[test]
    fn nearest_needs_the_word_to_be_close() {
        let keywords = ["when", "then", "judgement", "evidence", "is", "in"];
        assert_eq!(nearest("thn", keywords), Some("then"));
        assert_eq!(nearest("wehn", keywords), Some("when"));
        assert_eq!(nearest("judgment", keywords), Some("judgement"));
        assert_eq!(nearest("evidnce", keywords), Some("evidence"));
        assert_eq!(nearest("evdnce", keywords), Some("evidence"), "two edits");
        assert_eq!(nearest("whenever", keywords), None, "four edits");
        assert_eq!(
            nearest("it", keywords),
            None,
            "one edit, but of two letters"
        );
        assert_eq!(nearest("tn", keywords), None);
        assert_eq!(nearest("", keywords), None);
        assert_eq!(nearest("when", keywords), Some("when"));
        assert_eq!(nearest("thn", []), None);
    }

    #[test]
    fn ties_go_to_the_first_candidate() {
        assert_eq!(nearest("hen", ["then", "when"]), Some("then"));
        assert_eq!(nearest("hen", ["when", "then"]), Some("when"));
    }
}
