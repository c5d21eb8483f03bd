//! "Did you mean ...?" in the engine's messages: the declared name nearest
//! to a misspelt one is found by the syntax crate's [`nearest`] (at most two
//! edits away, and fewer than half the word), the one measure every
//! suggestion uses, from a keyword to an evidence key.

pub(crate) use judgement_syntax::suggest::nearest;

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

#[cfg(test)]
mod tests {
    use super::*;

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
