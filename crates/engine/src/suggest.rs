//! "Did you mean ...?": the declared name nearest to a misspelt one.
//!
//! Only used on the error path, so it may allocate. A candidate is close when
//! it is at most two edits away and the edits are fewer than half the
//! word's length (so `ab` never suggests `cd`). Transposing two neighbouring
//! letters counts as one edit.

/// The candidate nearest to `word` by edit distance, if one is close; on a
/// tie, the first such candidate.
pub(crate) fn nearest<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let word: Vec<char> = word.chars().collect();
    let mut best: Option<(usize, &'a str)> = None;
    for candidate in candidates {
        let limit = best.map_or(2, |(d, _)| d.saturating_sub(1));
        let Some(d) = distance(&word, candidate, limit) else {
            continue;
        };
        if d * 2 < word.len() && best.is_none_or(|(b, _)| d < b) {
            best = Some((d, candidate));
        }
    }
    best.map(|(_, c)| c)
}

/// "did you mean `x`?", when a candidate is close.
pub(crate) fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    nearest(word, candidates).map(|c| format!("did you mean `{c}`?"))
}

/// A help text led by the suggestion, if there is one.
pub(crate) fn help_with(suggestion: Option<String>, help: impl Into<String>) -> String {
    let help = help.into();
    match suggestion {
        Some(s) if help.is_empty() => s,
        Some(s) => format!("{s} {help}"),
        None => help,
    }
}

/// The optimal string alignment distance between `a` and `b` (insertions,
/// deletions, substitutions and transpositions of neighbours, each costing
/// one), or `None` when it is above `limit`.
fn distance(a: &[char], b: &str, limit: usize) -> Option<usize> {
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > limit {
        return None;
    }
    // Three rows: the one before last (for transpositions), last, current.
    let mut before: Vec<usize> = vec![0; b.len() + 1];
    let mut last: Vec<usize> = (0..=b.len()).collect();
    let mut current: Vec<usize> = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        if let Some(first) = current.first_mut() {
            *first = i + 1;
        }
        let mut row_min = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            let substitute = last.get(j).map_or(usize::MAX, |d| d + cost);
            let delete = last.get(j + 1).map_or(usize::MAX, |d| d + 1);
            let insert = current.get(j).map_or(usize::MAX, |d| d + 1);
            let mut d = substitute.min(delete).min(insert);
            let transposed =
                i > 0 && j > 0 && a.get(i - 1) == Some(cb) && b.get(j - 1) == Some(ca) && ca != cb;
            if transposed {
                d = d.min(before.get(j - 1).map_or(usize::MAX, |t| t + 1));
            }
            if let Some(slot) = current.get_mut(j + 1) {
                *slot = d;
            }
            row_min = row_min.min(d);
        }
        if row_min > limit {
            return None;
        }
        std::mem::swap(&mut before, &mut last);
        std::mem::swap(&mut last, &mut current);
    }
    last.last().copied().filter(|d| *d <= limit)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(a: &str, b: &str) -> Option<usize> {
        distance(&a.chars().collect::<Vec<_>>(), b, 10)
    }

    #[test]
    fn distances() {
        assert_eq!(d("good", "good"), Some(0));
        assert_eq!(d("goood", "good"), Some(1));
        assert_eq!(d("vacant_snce", "vacant_since"), Some(1));
        assert_eq!(d("strat", "start"), Some(1), "a transposition is one edit");
        assert_eq!(d("", "abc"), Some(3));
        assert_eq!(d("abc", ""), Some(3));
        assert_eq!(d("kitten", "sitting"), Some(3));
        assert_eq!(
            d("ca", "abc"),
            Some(3),
            "OSA does not edit a substring twice"
        );
        assert_eq!(
            d("ïnspection", "inspection"),
            Some(1),
            "by characters, not bytes"
        );
    }

    #[test]
    fn a_distance_above_the_limit_is_none() {
        let a: Vec<char> = "outstanding".chars().collect();
        assert_eq!(distance(&a, "inadequate", 2), None);
        assert_eq!(distance(&a, "outstandin", 2), Some(1));
    }

    #[test]
    fn the_nearest_close_candidate() {
        let grades = ["outstanding", "good", "requires_improvement", "inadequate"];
        assert_eq!(nearest("goood", grades), Some("good"));
        assert_eq!(nearest("inadequat", grades), Some("inadequate"));
        assert_eq!(
            nearest("requires_improvment", grades),
            Some("requires_improvement")
        );
        assert_eq!(nearest("excellent", grades), None);
    }

    #[test]
    fn close_means_at_most_two_edits_and_fewer_than_half_the_word() {
        assert_eq!(nearest("abcdefgh", ["abcdefxy"]), Some("abcdefxy"));
        assert_eq!(nearest("abcdefgh", ["abcdexyz"]), None, "three edits");
        // Two edits in a four-letter word is half of it: not close.
        assert_eq!(nearest("abcd", ["abxy"]), None);
        assert_eq!(nearest("abcde", ["abxye"]), Some("abxye"));
        // One edit in a two-letter word is half of it: not close.
        assert_eq!(nearest("ab", ["ax"]), None);
        assert_eq!(nearest("abc", ["abx"]), Some("abx"));
    }

    #[test]
    fn ties_go_to_the_first_candidate_and_nearer_wins() {
        assert_eq!(nearest("cart", ["care", "cars"]), Some("care"));
        assert_eq!(nearest("cart", ["cars", "care"]), Some("cars"));
        assert_eq!(nearest("carts", ["cats", "carts_"]), Some("cats"));
        assert_eq!(nearest("carts", ["cbrtx", "carts_"]), Some("carts_"));
    }

    #[test]
    fn no_candidates_no_suggestion() {
        assert_eq!(nearest("good", std::iter::empty()), None);
        assert_eq!(did_you_mean("good", std::iter::empty()), None);
        assert_eq!(
            did_you_mean("goood", ["good"]).as_deref(),
            Some("did you mean `good`?")
        );
    }

    #[test]
    fn help_leads_with_the_suggestion() {
        assert_eq!(
            help_with(Some("did you mean `a`?".into()), "the values are a, b"),
            "did you mean `a`? the values are a, b"
        );
        assert_eq!(
            help_with(None, "the values are a, b"),
            "the values are a, b"
        );
        assert_eq!(
            help_with(Some("did you mean `a`?".into()), ""),
            "did you mean `a`?"
        );
    }
}
