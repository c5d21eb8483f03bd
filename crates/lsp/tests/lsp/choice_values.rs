//! A value two choices share, and the fields of a record a test writes: hover,
//! definition and references take the one its place reads.

use super::*;

/// Two choices of the children's homes ruleset have a value `other`
/// (`deferral_reason`, `notification_category`): a read of one is its
/// own choice's, found from what it is tested against, never the other's.
#[test]
fn a_value_two_choices_share_is_the_one_its_place_reads() {
    let mut editor = Editor::start();
    let (path, text) = ruleset(HOMES);
    let (uri, _) = editor.open(&path, &text);
    let read = find(&text, "notification.category is not other", 0, 31);
    let (shown, _) = hover(&mut editor, &uri, read);
    assert!(shown.contains("`notification_category`"), "{shown}");
    assert!(!shown.contains("deferral_reason"), "{shown}");

    let locations = go_to_definition(&mut editor, &uri, read);
    let declared = find(&text, "| other\n", 1, 2);
    assert_eq!(
        locations.iter().map(|l| l.range.start).collect::<Vec<_>>(),
        [declared]
    );
    assert!(text
        .lines()
        .nth(declared.line as usize)
        .unwrap()
        .starts_with("choice notification_category"));

    // `deferral_reason`'s `other` is read nowhere; the rules read
    // `notification_category`'s six times, and the tests' notifications
    // set it.
    let deferral = find(&text, "| other\n", 0, 2);
    assert!(text
        .lines()
        .nth(deferral.line as usize)
        .unwrap()
        .starts_with("choice deferral_reason"));
    assert_eq!(references(&mut editor, &uri, deferral, false), Vec::new());
    let reads = references(&mut editor, &uri, declared, false);
    let in_rules = |line: &str| line.contains("notification.category is not other");
    let line_of = |r: &lsp_types::Location| text.lines().nth(r.range.start.line as usize).unwrap();
    assert_eq!(
        reads.iter().filter(|r| in_rules(line_of(r))).count(),
        6,
        "{reads:?}"
    );
    assert_eq!(
        reads.len(),
        6 + text.matches("category = other").count(),
        "{reads:?}"
    );
    for r in &reads {
        let line = line_of(r);
        assert!(
            in_rules(line) || line.contains("category = other"),
            "{line}"
        );
        assert_eq!(text_of(&text, r.range), "other");
    }
    editor.stop();
}

/// The records a test writes in a list are read as the list's records:
/// each field set is a read of the record's field, and a value set is of
/// that field's choice (`notifications = [{id = "n1", category = other}]`).
#[test]
fn the_records_a_test_writes_read_their_fields_and_values() {
    let mut editor = Editor::start();
    let (path, text) = ruleset(HOMES);
    let (uri, _) = editor.open(&path, &text);
    let written = "notifications = [{id = \"n1\", category = other";
    let field = find(&text, written, 0, 30);
    let (shown, _) = hover(&mut editor, &uri, field);
    assert!(shown.contains("`category`"), "{shown}");
    assert!(shown.contains("notification_category"), "{shown}");
    let value = find(&text, written, 0, 41);
    let (shown, _) = hover(&mut editor, &uri, value);
    assert!(
        shown.contains("of the choice `notification_category`"),
        "{shown}"
    );

    // Every `category = ...` in the file is in a notification a test
    // writes; the rest of the field's references are the rules' reads.
    let declared = find(&text, "  category: notification_category", 0, 2);
    let reads = references(&mut editor, &uri, declared, false);
    let written: Vec<_> = reads
        .iter()
        .filter(|r| text_of(&text, r.range) == "category")
        .filter(|r| {
            let line = text.lines().nth(r.range.start.line as usize).unwrap();
            line[r.range.start.character as usize..].starts_with("category = ")
        })
        .collect();
    assert_eq!(written.len(), text.matches("category = ").count());
    assert!(reads.len() > written.len(), "{reads:?}");
    editor.stop();
}

/// A value compared with `=` or `!=`, on either side, is of the scale or
/// choice of what it is compared with: of two choices that share `other`,
/// the one the field on the other side holds.
#[test]
fn a_value_compared_with_equals_is_of_the_other_sides_choice() {
    let dir = scratch("equals");
    let path = dir.join("values.rules");
    let text = "ruleset shared_values \"Shared values\"
  in force from 2015-04-01

choice reason: illness | other

choice category: death | other

evidence
  notice.reason: reason
  notice.category: category

rule other_category \"para 1\"
  when notice.category = other and other != notice.reason
  then finding other_category
";
    std::fs::write(&path, text).unwrap();
    let mut editor = Editor::start();
    let (uri, published) = editor.open(&path, text);
    assert_eq!(published.diagnostics, vec![]);
    let declared = |choice: &str| {
        let line = find(text, &format!("choice {choice}:"), 0, 0).line;
        let column = text
            .lines()
            .nth(line as usize)
            .unwrap()
            .find("other")
            .unwrap();
        Position::new(line, column as u32)
    };
    for (nth, choice) in [(0, "category"), (1, "reason")] {
        let read = find(text, "other", nth + 3, 0);
        let locations = go_to_definition(&mut editor, &uri, read);
        assert_eq!(
            locations.iter().map(|l| l.range.start).collect::<Vec<_>>(),
            [declared(choice)],
            "read {} of other",
            nth + 1
        );
        let (shown, _) = hover(&mut editor, &uri, read);
        assert!(shown.contains(&format!("`{choice}`")), "{shown}");
    }
    editor.stop();
    let _ = std::fs::remove_dir_all(&dir);
}
