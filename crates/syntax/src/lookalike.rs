//! Characters a name cannot hold that a reader cannot tell from those it
//! can: letters of other scripts that look like Latin ones (the Cyrillic
//! `а` in `cаre`), and characters that cannot be seen (a zero-width space,
//! a NUL byte). A rule file's names, and the keys evidence declares, are
//! ASCII letters, digits and `_`; these name such a character by its code
//! point, and map a name written with lookalikes to the ASCII it looks
//! like, for "did you mean".
//!
//! ```
//! use judgement_syntax::lookalike::{as_ascii, describe};
//!
//! assert_eq!(as_ascii("c\u{430}re").as_deref(), Some("care"));
//! assert_eq!(
//!     describe('\u{430}'),
//!     "`\u{430}` (U+0430 CYRILLIC SMALL LETTER A), which looks like the Latin `a`"
//! );
//! assert_eq!(as_ascii("care"), None, "nothing to map");
//! ```

/// Letters of the Cyrillic and Greek scripts that look like a Latin
/// letter, with that letter and their Unicode name, in code point order.
/// Not the whole of Unicode's confusables: the letters a keyboard set to
/// Russian, Ukrainian, Serbian or Greek types for a Latin one, and those
/// a copy from such a text brings. A lower-case lookalike maps to a lower
/// case letter (`н`, a small capital H to the eye, to `h`), a capital to a
/// capital.
pub const LOOKALIKES: &[(char, char, &str)] = &[
    ('\u{0391}', 'A', "GREEK CAPITAL LETTER ALPHA"),
    ('\u{0392}', 'B', "GREEK CAPITAL LETTER BETA"),
    ('\u{0395}', 'E', "GREEK CAPITAL LETTER EPSILON"),
    ('\u{0396}', 'Z', "GREEK CAPITAL LETTER ZETA"),
    ('\u{0397}', 'H', "GREEK CAPITAL LETTER ETA"),
    ('\u{0399}', 'I', "GREEK CAPITAL LETTER IOTA"),
    ('\u{039a}', 'K', "GREEK CAPITAL LETTER KAPPA"),
    ('\u{039c}', 'M', "GREEK CAPITAL LETTER MU"),
    ('\u{039d}', 'N', "GREEK CAPITAL LETTER NU"),
    ('\u{039f}', 'O', "GREEK CAPITAL LETTER OMICRON"),
    ('\u{03a1}', 'P', "GREEK CAPITAL LETTER RHO"),
    ('\u{03a4}', 'T', "GREEK CAPITAL LETTER TAU"),
    ('\u{03a5}', 'Y', "GREEK CAPITAL LETTER UPSILON"),
    ('\u{03a7}', 'X', "GREEK CAPITAL LETTER CHI"),
    ('\u{03b1}', 'a', "GREEK SMALL LETTER ALPHA"),
    ('\u{03b9}', 'i', "GREEK SMALL LETTER IOTA"),
    ('\u{03ba}', 'k', "GREEK SMALL LETTER KAPPA"),
    ('\u{03bd}', 'v', "GREEK SMALL LETTER NU"),
    ('\u{03bf}', 'o', "GREEK SMALL LETTER OMICRON"),
    ('\u{03c1}', 'p', "GREEK SMALL LETTER RHO"),
    ('\u{03c5}', 'u', "GREEK SMALL LETTER UPSILON"),
    ('\u{0405}', 'S', "CYRILLIC CAPITAL LETTER DZE"),
    (
        '\u{0406}',
        'I',
        "CYRILLIC CAPITAL LETTER BYELORUSSIAN-UKRAINIAN I",
    ),
    ('\u{0408}', 'J', "CYRILLIC CAPITAL LETTER JE"),
    ('\u{0410}', 'A', "CYRILLIC CAPITAL LETTER A"),
    ('\u{0412}', 'B', "CYRILLIC CAPITAL LETTER VE"),
    ('\u{0415}', 'E', "CYRILLIC CAPITAL LETTER IE"),
    ('\u{041a}', 'K', "CYRILLIC CAPITAL LETTER KA"),
    ('\u{041c}', 'M', "CYRILLIC CAPITAL LETTER EM"),
    ('\u{041d}', 'H', "CYRILLIC CAPITAL LETTER EN"),
    ('\u{041e}', 'O', "CYRILLIC CAPITAL LETTER O"),
    ('\u{0420}', 'P', "CYRILLIC CAPITAL LETTER ER"),
    ('\u{0421}', 'C', "CYRILLIC CAPITAL LETTER ES"),
    ('\u{0422}', 'T', "CYRILLIC CAPITAL LETTER TE"),
    ('\u{0425}', 'X', "CYRILLIC CAPITAL LETTER HA"),
    ('\u{0430}', 'a', "CYRILLIC SMALL LETTER A"),
    ('\u{0432}', 'b', "CYRILLIC SMALL LETTER VE"),
    ('\u{0435}', 'e', "CYRILLIC SMALL LETTER IE"),
    ('\u{043a}', 'k', "CYRILLIC SMALL LETTER KA"),
    ('\u{043c}', 'm', "CYRILLIC SMALL LETTER EM"),
    ('\u{043d}', 'h', "CYRILLIC SMALL LETTER EN"),
    ('\u{043e}', 'o', "CYRILLIC SMALL LETTER O"),
    ('\u{0440}', 'p', "CYRILLIC SMALL LETTER ER"),
    ('\u{0441}', 'c', "CYRILLIC SMALL LETTER ES"),
    ('\u{0442}', 't', "CYRILLIC SMALL LETTER TE"),
    ('\u{0443}', 'y', "CYRILLIC SMALL LETTER U"),
    ('\u{0445}', 'x', "CYRILLIC SMALL LETTER HA"),
    ('\u{0455}', 's', "CYRILLIC SMALL LETTER DZE"),
    (
        '\u{0456}',
        'i',
        "CYRILLIC SMALL LETTER BYELORUSSIAN-UKRAINIAN I",
    ),
    ('\u{0458}', 'j', "CYRILLIC SMALL LETTER JE"),
    ('\u{04ae}', 'Y', "CYRILLIC CAPITAL LETTER STRAIGHT U"),
    ('\u{04bb}', 'h', "CYRILLIC SMALL LETTER SHHA"),
    ('\u{0501}', 'd', "CYRILLIC SMALL LETTER KOMI DE"),
    ('\u{051b}', 'q', "CYRILLIC SMALL LETTER QA"),
    ('\u{051d}', 'w', "CYRILLIC SMALL LETTER WE"),
];

/// Characters that cannot be seen and are no space: what each is called
/// here, by code point. Other control characters are "a control
/// character".
const INVISIBLE: &[(char, &str)] = &[
    ('\u{0}', "a NUL character"),
    ('\u{ad}', "a soft hyphen"),
    ('\u{200b}', "a zero-width space"),
    ('\u{200c}', "a zero-width non-joiner"),
    ('\u{200d}', "a zero-width joiner"),
    ('\u{200e}', "a left-to-right mark"),
    ('\u{200f}', "a right-to-left mark"),
    ('\u{202a}', "a left-to-right embedding"),
    ('\u{202b}', "a right-to-left embedding"),
    ('\u{202c}', "a pop directional formatting"),
    ('\u{202d}', "a left-to-right override"),
    ('\u{202e}', "a right-to-left override"),
    ('\u{2060}', "a word joiner"),
    ('\u{2066}', "a left-to-right isolate"),
    ('\u{2067}', "a right-to-left isolate"),
    ('\u{2068}', "a first strong isolate"),
    ('\u{2069}', "a pop directional isolate"),
    ('\u{feff}', "a byte-order mark (zero-width no-break space)"),
];

/// The ASCII letter `c` looks like, if it is one of [`LOOKALIKES`].
pub fn lookalike(c: char) -> Option<char> {
    LOOKALIKES
        .binary_search_by_key(&c, |&(l, _, _)| l)
        .ok()
        .and_then(|i| LOOKALIKES.get(i))
        .map(|&(_, ascii, _)| ascii)
}

/// Whether `c` is a character that cannot be seen and is no space: a
/// control character other than layout (tab, line feed, carriage return),
/// or one of the format characters that show nothing (a zero-width
/// space, a word joiner, a byte-order mark, a soft hyphen and the like).
pub fn is_invisible(c: char) -> bool {
    (c.is_control() && !matches!(c, '\t' | '\n' | '\r')) || invisible_name(c).is_some()
}

fn invisible_name(c: char) -> Option<&'static str> {
    INVISIBLE
        .iter()
        .find(|(i, _)| *i == c)
        .map(|&(_, name)| name)
}

/// Whether a name cannot hold `c` and a reader may not see why: a
/// character outside ASCII, or a control character other than layout.
pub fn is_stray(c: char) -> bool {
    !c.is_ascii() || is_invisible(c)
}

/// Whether `c` stands in a name as a reader sees it: what a name holds
/// (ASCII letters, digits, `_`), or a character it cannot hold that is no
/// space (`cаre` is one name to the eye, its `а` Cyrillic).
pub fn is_name_part(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || (is_stray(c) && !c.is_whitespace())
}

/// What a whitespace character other than a space, a tab or a line break
/// is called (a no-break space, a form feed, ...), without its code point.
pub fn space_name(c: char) -> &'static str {
    match c {
        '\u{a0}' => "a no-break space",
        '\u{b}' => "a vertical tab",
        '\u{c}' => "a form feed",
        '\u{85}' => "a next-line character",
        '\u{2028}' => "a line separator",
        '\u{2029}' => "a paragraph separator",
        '\u{3000}' => "an ideographic space",
        _ => "a space character",
    }
}

/// `c` named for a reader, with its code point: a lookalike with its
/// Unicode name and the Latin letter it looks like ("`а` (U+0430 CYRILLIC
/// SMALL LETTER A), which looks like the Latin `a`"), a character that
/// cannot be seen by what it is ("a zero-width space (U+200B), which cannot
/// be seen"), a space by its name, any other shown with what it is.
pub fn describe(c: char) -> String {
    let code = u32::from(c);
    if let Some(&(_, ascii, name)) = LOOKALIKES.iter().find(|(l, _, _)| *l == c) {
        return format!("`{c}` (U+{code:04X} {name}), which looks like the Latin `{ascii}`");
    }
    if let Some(name) = invisible_name(c) {
        return format!("{name} (U+{code:04X}), which cannot be seen");
    }
    if c.is_whitespace() {
        return format!("{} (U+{code:04X})", space_name(c));
    }
    if c.is_control() {
        return format!("a control character (U+{code:04X}), which cannot be seen");
    }
    let what = match code {
        0x0370..=0x03ff if c.is_alphabetic() => "a Greek letter",
        0x0400..=0x052f if c.is_alphabetic() => "a Cyrillic letter",
        _ if c.is_alphabetic() => "a letter outside ASCII",
        _ => "a character outside ASCII",
    };
    format!("`{c}` (U+{code:04X}), {what}")
}

/// `word` as it looks: each lookalike as the ASCII letter it looks like,
/// each character that cannot be seen left out. `None` where that changes
/// nothing, or where another character outside ASCII is left (`café`), or
/// where nothing is left.
pub fn as_ascii(word: &str) -> Option<String> {
    if !word.chars().any(is_stray) {
        return None;
    }
    let mut ascii = String::with_capacity(word.len());
    for c in word.chars() {
        if is_invisible(c) {
            continue;
        }
        match lookalike(c) {
            Some(l) => ascii.push(l),
            None if c.is_ascii() => ascii.push(c),
            None => return None,
        }
    }
    Some(ascii).filter(|a| !a.is_empty())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing, reason = "tests")]
    use super::*;

    /// The letters the table maps, each to the one it looks like, written
    /// out: the mapping is this and no other.
    #[test]
    fn each_lookalike_maps_to_the_latin_letter_it_looks_like() {
        for (lookalikes, latin) in [
            (
                "\u{430}\u{435}\u{43e}\u{440}\u{441}\u{443}\u{445}\u{456}\u{455}\u{458}\u{43a}\u{43c}\u{43d}\u{442}\u{432}\u{4bb}\u{501}\u{51b}\u{51d}",
                "aeopcyxisjkmhtbhdqw",
            ),
            (
                "\u{410}\u{412}\u{415}\u{41a}\u{41c}\u{41d}\u{41e}\u{420}\u{421}\u{422}\u{425}\u{406}\u{405}\u{408}\u{4ae}",
                "ABEKMHOPCTXISJY",
            ),
            (
                "\u{391}\u{392}\u{395}\u{396}\u{397}\u{399}\u{39a}\u{39c}\u{39d}\u{39f}\u{3a1}\u{3a4}\u{3a5}\u{3a7}",
                "ABEZHIKMNOPTYX",
            ),
            ("\u{3b1}\u{3b9}\u{3ba}\u{3bd}\u{3bf}\u{3c1}\u{3c5}", "aikvopu"),
        ] {
            assert_eq!(as_ascii(lookalikes).as_deref(), Some(latin));
            for (l, a) in lookalikes.chars().zip(latin.chars()) {
                assert_eq!(lookalike(l), Some(a), "U+{:04X}", u32::from(l));
            }
        }
        assert_eq!(
            LOOKALIKES.len(),
            19 + 15 + 14 + 7,
            "every entry is written out above"
        );
    }

    /// The table is in code point order (it is searched by halves), each
    /// character once, each a letter of the script its name says, of the
    /// case of the ASCII letter it maps to.
    #[test]
    fn the_table_is_ordered_and_each_entry_is_named_for_its_script_and_case() {
        for pair in LOOKALIKES.windows(2) {
            assert!(pair[0].0 < pair[1].0, "{:?}", pair[1]);
        }
        for &(c, ascii, name) in LOOKALIKES {
            assert!(ascii.is_ascii_alphabetic());
            let block = match u32::from(c) {
                0x0370..=0x03ff => "GREEK ",
                0x0400..=0x052f => "CYRILLIC ",
                _ => panic!("{name} is in neither block"),
            };
            assert!(name.starts_with(block), "{name}");
            let case = if ascii.is_ascii_uppercase() {
                " CAPITAL LETTER "
            } else {
                " SMALL LETTER "
            };
            assert!(name.contains(case), "{name} for {ascii}");
            assert_eq!(c.is_uppercase(), ascii.is_ascii_uppercase(), "{name}");
            assert!(!c.is_ascii() && is_stray(c) && !is_invisible(c));
        }
    }

    #[test]
    fn ascii_maps_to_nothing_and_other_letters_have_no_lookalike() {
        for c in ('\0'..='\u{7f}').chain(['\u{436}', '\u{3bb}', '\u{e9}']) {
            assert_eq!(lookalike(c), None, "U+{:04X}", u32::from(c));
        }
        assert_eq!(as_ascii("proposed.care_2"), None);
        assert_eq!(as_ascii("caf\u{e9}"), None, "é looks like no ASCII letter");
        assert_eq!(as_ascii("\u{200b}"), None, "nothing left");
        assert_eq!(as_ascii("c\u{0}are").as_deref(), Some("care"));
        assert_eq!(as_ascii("c\u{200b}\u{430}re").as_deref(), Some("care"));
        assert_eq!(as_ascii("\u{41e}verall").as_deref(), Some("Overall"));
    }

    #[test]
    fn a_character_is_named_with_its_code_point() {
        assert_eq!(
            describe('\u{3bf}'),
            "`\u{3bf}` (U+03BF GREEK SMALL LETTER OMICRON), which looks like the Latin `o`"
        );
        assert_eq!(
            describe('\u{200b}'),
            "a zero-width space (U+200B), which cannot be seen"
        );
        assert_eq!(
            describe('\0'),
            "a NUL character (U+0000), which cannot be seen"
        );
        assert_eq!(
            describe('\u{1}'),
            "a control character (U+0001), which cannot be seen"
        );
        assert_eq!(describe('\u{a0}'), "a no-break space (U+00A0)");
        assert_eq!(describe('\u{b}'), "a vertical tab (U+000B)");
        assert_eq!(describe('\u{436}'), "`\u{436}` (U+0436), a Cyrillic letter");
        assert_eq!(
            describe('\u{e9}'),
            "`\u{e9}` (U+00E9), a letter outside ASCII"
        );
        assert_eq!(
            describe('\u{2265}'),
            "`\u{2265}` (U+2265), a character outside ASCII"
        );
        for c in ['\t', '\n', '\r', 'a', '_'] {
            assert!(!is_stray(c), "{c:?}");
        }
        for c in ['\0', '\u{7f}', '\u{85}', '\u{feff}', '\u{202e}'] {
            assert!(is_invisible(c), "{c:?}");
        }
    }
}
