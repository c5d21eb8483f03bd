//! Completion: what can follow where the cursor is, documented as hover shows
//! it, the fields of a `for each` element, and nothing in comments and strings.

use super::*;

#[test]
fn completion_offers_fields_after_when_and_values_after_is() {
    let mut editor = Editor::start();
    let (path, text) = ruleset(HOMES);
    let (uri, _) = editor.open(&path, &text);
    let end = end_of(&text);
    // A rule being written: the text does not parse while it is.
    let published = editor.change(
        &uri,
        2,
        Some(Range::new(end, end)),
        "\nrule being_written \"para 1\"\n  when ",
    );
    assert!(!published.diagnostics.is_empty());
    let cursor = Position::new(end.line + 2, 7);
    let labels = complete(&mut editor, &uri, cursor);
    for expected in [
        "inspection.start",
        "manager.vacant_since",
        "manager_vacancy_limit",
        "vacancy",
        "overall",
        // declared in the definitions the ruleset uses
        "previous.overall",
    ] {
        assert!(
            labels.iter().any(|l| l == expected),
            "{expected} in {labels:?}"
        );
    }
    assert!(!labels.iter().any(|l| l == "inadequate"), "{labels:?}");
    // Each is documented as hover shows it: a field with its comment.
    let items = completions(&mut editor, &uri, cursor);
    let documented = |label: &str| match items
        .iter()
        .find(|i| i.label == label)
        .and_then(|i| i.documentation.clone())
    {
        Some(lsp_types::Documentation::MarkupContent(m)) => m.value,
        other => panic!("{label}: {other:?}"),
    };
    let vacancy = documented("manager.vacant_since");
    assert!(
        vacancy.contains("`manager.vacant_since`: `date`")
            && vacancy.ends_with("none: a registered manager is in post"),
        "{vacancy}"
    );
    assert!(documented("manager_vacancy_limit").contains("26 weeks"));

    editor.change(&uri, 3, Some(Range::new(cursor, cursor)), "overall is ");
    let labels = complete(
        &mut editor,
        &uri,
        Position::new(cursor.line, cursor.character + 11),
    );
    assert_eq!(
        labels,
        [
            "empty",
            "good",
            "inadequate",
            "known",
            "none",
            "outstanding",
            "requires_improvement",
            "set",
            "unknown"
        ],
        "the values of `grade`, the scale of `overall`, and the tests `is` takes"
    );

    // After `then no`: the judgements to withhold one of, and `judgement`
    // (all), not the fields an expression reads.
    let line = cursor.line + 1;
    editor.change(
        &uri,
        4,
        Some(Range::new(Position::new(line, 0), Position::new(line, 0))),
        "  then no ",
    );
    let labels = complete(&mut editor, &uri, Position::new(line, 10));
    for expected in ["judgement", "overall", "leaders_and_managers"] {
        assert!(
            labels.iter().any(|l| l == expected),
            "{expected} in {labels:?}"
        );
    }
    assert!(
        !labels.iter().any(|l| l == "inspection.start"),
        "{labels:?}"
    );
    editor.change(
        &uri,
        5,
        Some(Range::new(Position::new(line, 0), Position::new(line, 10))),
        "",
    );

    // In a test: after `expect action`, the actions the rules give.
    editor.change(
        &uri,
        6,
        Some(Range::new(Position::new(line, 0), Position::new(line, 0))),
        "  then overall = inadequate\n\ntest \"t\"\n  given inspection.kind = full\n  expect action ",
    );
    let labels = complete(&mut editor, &uri, Position::new(line + 4, 16));
    assert!(
        labels.iter().any(|l| l == "urgent_case_review"),
        "{labels:?}"
    );
    assert!(
        !labels.iter().any(|l| l == "inspection.start"),
        "{labels:?}"
    );

    // At the start of an expectation: the judgements and every form's
    // words, `no undetermined` among them.
    editor.change(
        &uri,
        7,
        Some(Range::new(
            Position::new(line + 4, 0),
            Position::new(line + 4, 16),
        )),
        "  expect ",
    );
    let labels = complete(&mut editor, &uri, Position::new(line + 4, 9));
    for expected in ["overall", "no undetermined", "no advisory", "undetermined"] {
        assert!(
            labels.iter().any(|l| l == expected),
            "{expected} in {labels:?}"
        );
    }

    // Asked past the end of a line or of the text: each item's edit ends
    // where the line or the text does, on the line it starts on.
    for past in [Position::new(line + 4, 10_000), Position::new(999_999, 0)] {
        let mut edits = 0;
        for item in completions(&mut editor, &uri, past) {
            if let Some(lsp_types::CompletionTextEdit::Edit(edit)) = item.text_edit {
                assert_eq!(edit.range.start.line, edit.range.end.line, "{edit:?}");
                assert!(edit.range.end.line <= line + 4, "{edit:?}");
                assert!(edit.range.end.character < 10_000, "{edit:?}");
                edits += 1;
            }
        }
        assert!(edits > 0, "items with edits at {past:?}");
    }

    editor.stop();
}

/// A comment, and the words of a quote, note, message or test's name, are
/// prose: completion offers no name there, and a space, after which it is
/// mostly prose or a keyword that follows, does not ask for it.
#[test]
fn completion_offers_nothing_in_comments_and_strings() {
    let mut editor = Editor::start();
    let triggers = editor
        .initialized
        .capabilities
        .completion_provider
        .as_ref()
        .and_then(|c| c.trigger_characters.clone())
        .unwrap();
    assert_eq!(triggers, ["."]);
    let (path, text) = ruleset(HOMES);
    let (uri, _) = editor.open(&path, &text);
    let end = end_of(&text);
    let added = "\n# the visit \nrule being_written \"para 1\"\n  quote \"the words of \"\n  note \"the gate \"\n  when vacancy # after \n  then finding being_written \"the visit \"\n\ntest \"two \"\n";
    editor.change(&uri, 2, Some(Range::new(end, end)), added);
    let edited = apply(&text, Range::new(end, end), added);
    for (needle, into) in [
        ("# the visit ", 12),
        ("\"the words of ", 14),
        ("\"the gate ", 10),
        ("# after ", 8),
        ("\"the visit ", 11),
        ("test \"two ", 10),
        ("test \"two ", 6),
    ] {
        let at = find(&edited, needle, 0, into);
        let labels = complete(&mut editor, &uri, at);
        assert_eq!(labels, Vec::<String>::new(), "at {needle:?} + {into}");
    }
    // A string not closed yet runs to the end of its line.
    let last = end_of(&edited);
    editor.change(&uri, 3, Some(Range::new(last, last)), "test \"three ");
    let labels = complete(&mut editor, &uri, Position::new(last.line, 12));
    assert_eq!(labels, Vec::<String>::new(), "in a string not closed");
    editor.change(
        &uri,
        4,
        Some(Range::new(last, Position::new(last.line, 12))),
        "",
    );
    // Code before a comment on its line, and after a string, is code.
    let labels = complete(&mut editor, &uri, find(&edited, "vacancy # after", 0, 7));
    assert!(labels.iter().any(|l| l == "vacancy"), "{labels:?}");
    let labels = complete(
        &mut editor,
        &uri,
        find(&edited, "being_written \"para 1\"", 0, 22),
    );
    assert!(!labels.is_empty(), "after the closing quote");
    editor.stop();
}

/// After `n.`, where `for each` binds `n`, completion offers the fields of
/// the element's record as `n.field`, not the evidence's fields (picking
/// one of those replaced `n.` with another name).
#[test]
fn completion_after_an_element_offers_its_records_fields() {
    let dir = scratch("element-fields");
    let rules = dir.join("visits/2015-04.rules");
    std::fs::write(&rules, MESSAGES).unwrap();
    let mut editor = Editor::start();
    let (uri, published) = editor.open(&rules, MESSAGES);
    assert_eq!(published.diagnostics, vec![], "the ruleset checks");
    let when = find(MESSAGES, "when late\n  then action follow_up", 0, 5);
    let end = Position::new(when.line, when.character + 4);
    editor.change(&uri, 2, Some(Range::new(when, end)), "n.");
    let cursor = Position::new(when.line, when.character + 2);
    assert_eq!(complete(&mut editor, &uri, cursor), ["n.id", "n.served"]);
    // A name that no element bears: what an expression reads, as before.
    editor.change(&uri, 3, Some(Range::new(when, cursor)), "x.");
    let labels = complete(&mut editor, &uri, cursor);
    assert!(labels.iter().any(|l| l == "visit.start"), "{labels:?}");
    editor.stop();
}
