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
    // No distance is above the longer length, so this limit is never met.
    bounded(&a, b, usize::MAX).unwrap_or(usize::MAX)
}

/// The candidate nearest to `word` by [`distance`], if it is close: at most
/// two edits away, and fewer edits than half the word's length, so that a
/// short word is not taken for whatever is two letters from it (`in` is not
/// a slip for `is`). Ties go to the candidate given first; a candidate equal
/// to `word` is nearest of all. Where none is that close, a candidate that
/// differs from `word` only in the case of its letters, or in writing a
/// space or `-` for its `_`, is taken (`WHEN`, `CASE_REVIEW`, `Requires
/// Improvement`: every name is lower case and one word, however far apart
/// by edits). Before all of these, a candidate that `word` is when its
/// lookalikes are read as the Latin letters they look like and what cannot
/// be seen is left out ([`crate::lookalike::as_ascii`]: `cаre` with a
/// Cyrillic `а` is `care`, not `cake` one edit from it too), however many.
pub fn nearest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let text = word;
    let looks = crate::lookalike::as_ascii(word);
    let word: Vec<char> = word.chars().collect();
    let mut best: Option<(usize, &'a str)> = None;
    let mut same_letters: Option<&'a str> = None;
    for candidate in candidates {
        if looks.as_deref() == Some(candidate) {
            return Some(candidate);
        }
        if same_letters.is_none() && same_words(candidate, text) {
            same_letters = Some(candidate);
        }
        // Only a candidate nearer than the best so far can replace it, so
        // the count stops as soon as every prefix is further than that.
        let limit = best.map_or(2, |(d, _)| d.saturating_sub(1));
        let Some(d) = bounded(&word, candidate, limit) else {
            continue;
        };
        if 2 * d < word.len() && best.is_none_or(|(nearest, _)| d < nearest) {
            best = Some((d, candidate));
        }
    }
    best.map(|(_, candidate)| candidate).or(same_letters)
}

/// Whether `a` and `b` are the same words, but for the case of their
/// letters and a space or `-` written for a `_`.
fn same_words(a: &str, b: &str) -> bool {
    let fold = |c: char| match c {
        ' ' | '-' => '_',
        c => c.to_ascii_lowercase(),
    };
    a.chars().map(fold).eq(b.chars().map(fold))
}

/// The word a rule file writes for one of another language that is no
/// name here: `none` for `null`, `nil`, `None` or `undefined`, and `true`
/// and `false` in any case (`True`, `FALSE`); `None` for any other word.
///
/// ```
/// use judgement_syntax::suggest::foreign_word;
///
/// assert_eq!(foreign_word("null"), Some("none"));
/// assert_eq!(foreign_word("True"), Some("true"));
/// assert_eq!(foreign_word("nothing"), None);
/// ```
pub fn foreign_word(word: &str) -> Option<&'static str> {
    match word.to_ascii_lowercase().as_str() {
        "null" | "nil" | "none" | "undefined" => Some("none"),
        "true" => Some("true"),
        "false" => Some("false"),
        _ => None,
    }
}

/// What follows "did you mean `true`?" (or `false`) for `True`, `FALSE`.
pub const TRUTH_IN_LOWER_CASE: &str = "The truth values are written in lower case";

/// What a condition writes for a value that is not there, where another
/// language would compare it with `null`: the help for `X = null` and for
/// `X = none`, which a condition does not write either.
pub const NONE_IN_A_CONDITION: &str =
    "a value that is not there is tested with `X is none` or `X is set`, not compared with `=` or `!=`";

/// [`distance`] from `a` (as characters) to `b`, or `None` as soon as it is
/// known to be above `limit`.
fn bounded(a: &[char], b: &str, limit: usize) -> Option<usize> {
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > limit {
        return None;
    }
    // Three rows of the usual table: for the prefixes of `a` two shorter,
    // one shorter, and as long as the one being filled.
    let mut two_above: Vec<usize> = vec![0; b.len() + 1];
    let mut above: Vec<usize> = (0..=b.len()).collect();
    let mut row: Vec<usize> = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        if let Some(first) = row.first_mut() {
            *first = i + 1;
        }
        let mut row_least = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let replace = above
                .get(j)
                .map_or(usize::MAX, |d| d.saturating_add(usize::from(ca != cb)));
            let delete = above.get(j + 1).map_or(usize::MAX, |d| d.saturating_add(1));
            let insert = row.get(j).map_or(usize::MAX, |d| d.saturating_add(1));
            let mut best = replace.min(delete).min(insert);
            let swapped =
                i > 0 && j > 0 && ca != cb && b.get(j - 1) == Some(ca) && a.get(i - 1) == Some(cb);
            if swapped {
                if let Some(d) = two_above.get(j - 1) {
                    best = best.min(d.saturating_add(1));
                }
            }
            if let Some(slot) = row.get_mut(j + 1) {
                *slot = best;
            }
            row_least = row_least.min(best);
        }
        if row_least > limit {
            return None;
        }
        std::mem::swap(&mut two_above, &mut above);
        std::mem::swap(&mut above, &mut row);
    }
    above.last().copied().filter(|d| *d <= limit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_written_in_other_case_is_suggested_however_far_by_edits() {
        let names = ["case_review", "overall", "when"];
        assert_eq!(nearest("CASE_REVIEW", names), Some("case_review"));
        assert_eq!(nearest("Overall", names), Some("overall"));
        assert_eq!(nearest("WHEN", names), Some("when"));
        // A near name by edits still comes first; none near, none given.
        assert_eq!(nearest("wehn", ["WEHN", "when"]), Some("when"));
        assert_eq!(nearest("COLOUR", names), None);
        // Its words written apart, as a form writes them.
        assert_eq!(nearest("Case Review", names), Some("case_review"));
        assert_eq!(nearest("case-review", names), Some("case_review"));
        assert_eq!(nearest("Review Case", names), None);
    }

    #[test]
    fn a_name_written_with_lookalikes_is_the_name_it_looks_like() {
        // `c`, Cyrillic `а`, `re`: one edit from `cake` as from `care`.
        assert_eq!(nearest("c\u{430}re", ["cake", "care"]), Some("care"));
        // Four lookalikes, however far by edits.
        assert_eq!(
            nearest(
                "\u{440}r\u{43e}\u{440}\u{43e}s\u{435}d",
                ["proposed", "pro"]
            ),
            Some("proposed")
        );
        // A zero-width space and a NUL are left out.
        assert_eq!(nearest("c\u{200b}a\u{0}re", ["care"]), Some("care"));
        assert_eq!(nearest("\u{436}\u{436}\u{436}", ["care"]), None);
    }

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
        let grades = ["outstanding", "good", "requires_improvement", "inadequate"];
        assert_eq!(nearest("goood", grades), Some("good"));
        assert_eq!(
            nearest("requires_improvment", grades),
            Some("requires_improvement")
        );
        assert_eq!(nearest("excellent", grades), None);
    }

    #[test]
    fn a_distance_above_the_limit_is_none() {
        let a: Vec<char> = "outstanding".chars().collect();
        assert_eq!(bounded(&a, "inadequate", 2), None);
        assert_eq!(bounded(&a, "outstandin", 2), Some(1));
        assert_eq!(bounded(&a, "outstanding", 0), Some(0));
        assert_eq!(distance("ca", "abc"), 3, "no substring is edited twice");
    }

    #[test]
    fn close_means_at_most_two_edits_and_fewer_than_half_the_word() {
        assert_eq!(nearest("abcdefgh", ["abcdefxy"]), Some("abcdefxy"));
        assert_eq!(nearest("abcdefgh", ["abcdexyz"]), None, "three edits");
        assert_eq!(nearest("abcd", ["abxy"]), None, "two edits of four letters");
        assert_eq!(nearest("abcde", ["abxye"]), Some("abxye"));
        assert_eq!(nearest("ab", ["ax"]), None, "one edit of two letters");
        assert_eq!(nearest("abc", ["abx"]), Some("abx"));
    }

    #[test]
    fn ties_go_to_the_first_candidate() {
        assert_eq!(nearest("hen", ["then", "when"]), Some("then"));
        assert_eq!(nearest("hen", ["when", "then"]), Some("when"));
        assert_eq!(nearest("carts", ["cats", "carts_"]), Some("cats"));
        assert_eq!(nearest("carts", ["cbrtx", "carts_"]), Some("carts_"));
        assert_eq!(
            nearest("cart", ["cats", "cart"]),
            Some("cart"),
            "nearer wins"
        );
    }
}
