//! Go to definition and find references: thresholds, names the definitions and
//! the calendar declare, names read in a message's braces, and `from rule`.

use super::*;

#[test]
fn definition_and_references_of_a_threshold() {
    let mut editor = Editor::start();
    let (path, text) = ruleset(HOMES);
    let (uri, _) = editor.open(&path, &text);
    let declared = find(&text, "threshold manager_vacancy_limit", 0, 10);
    let read = find(&text, "manager_vacancy_limit", 1, 2);

    let locations = go_to_definition(&mut editor, &uri, read);
    assert_eq!(locations.len(), 1);
    assert_eq!(locations[0].uri, uri);
    assert_eq!(locations[0].range.start, declared);
    assert_eq!(text_of(&text, locations[0].range), "manager_vacancy_limit");

    let reads = references(&mut editor, &uri, declared, false);
    // Every read is in this file, outside comments and strings.
    let expected = text
        .lines()
        .map(|l| l.split('#').next().unwrap_or(""))
        .filter(|l| {
            !l.trim_start().starts_with("quote") && !l.trim_start().starts_with("threshold")
        })
        .map(|l| l.matches("manager_vacancy_limit").count())
        .sum::<usize>();
    assert!(expected >= 2, "the ruleset reads it: {expected}");
    assert_eq!(reads.len(), expected);
    for r in &reads {
        assert_eq!(r.uri, uri);
        assert_eq!(text_of(&text, r.range), "manager_vacancy_limit");
    }
    let all = references(&mut editor, &uri, declared, true);
    assert_eq!(all.len(), expected + 1);
    assert!(all.iter().any(|r| r.range.start == declared));
    editor.stop();
}

#[test]
fn definition_of_a_name_in_the_definitions_file_it_uses() {
    let mut editor = Editor::start();
    let (path, text) = ruleset(HOMES);
    let (definitions, shared) = ruleset("definitions/monitoring_visits.rules");
    let (uri, _) = editor.open(&path, &text);
    // `grade`, in `judgement overall: grade`, is declared in the definitions.
    let grade = find(&text, "judgement overall: grade", 0, 20);
    let locations = go_to_definition(&mut editor, &uri, grade);
    assert_eq!(locations.len(), 1);
    assert_eq!(locations[0].uri, Url::from_file_path(&definitions).unwrap());
    assert_eq!(text_of(&shared, locations[0].range), "grade");
    assert_eq!(locations[0].range.start, find(&shared, "scale grade", 0, 6));

    // `uses monitoring_visits` goes to the definitions' header.
    let uses = find(&text, "uses monitoring_visits", 0, 6);
    let locations = go_to_definition(&mut editor, &uri, uses);
    assert_eq!(locations[0].uri, Url::from_file_path(&definitions).unwrap());
    assert_eq!(text_of(&shared, locations[0].range), "monitoring_visits");

    // `calendar england_and_wales` goes to the calendar file the engine
    // reads, and hover says what it is.
    let (calendar, days) = ruleset("calendars/england_and_wales.calendar");
    let named = find(&text, "calendar england_and_wales", 0, 10);
    let locations = go_to_definition(&mut editor, &uri, named);
    assert_eq!(locations[0].uri, Url::from_file_path(&calendar).unwrap());
    assert_eq!(text_of(&days, locations[0].range), "england_and_wales");
    let header = days
        .lines()
        .position(|l| l.starts_with("calendar "))
        .unwrap();
    assert_eq!(locations[0].range.start, Position::new(header as u32, 9));
    let (shown, _) = hover(&mut editor, &uri, named);
    assert!(shown.contains("England and Wales bank holidays"), "{shown}");
    assert!(shown.contains("years 2012 to"), "{shown}");
    editor.stop();
}

/// The names a message's `{name}` parts read are reads like any other:
/// found by references, and with a definition and a hover of their own,
/// after an escape and a letter past ASCII on the line too.
#[test]
fn names_read_in_a_messages_braces_are_references() {
    let dir = scratch("messages");
    let rules = dir.join("visits/2015-04.rules");
    std::fs::write(&rules, MESSAGES).unwrap();
    let mut editor = Editor::start();
    let (uri, published) = editor.open(&rules, MESSAGES);
    assert_eq!(published.diagnostics, vec![], "the ruleset checks");

    let declared = find(MESSAGES, "guidance_from =", 0, 0);
    let reads = references(&mut editor, &uri, declared, false);
    let mut found: Vec<Position> = reads.iter().map(|r| r.range.start).collect();
    found.sort();
    let expected = vec![
        find(MESSAGES, "guidance_from\n", 0, 0),
        find(MESSAGES, "guidance_from}", 0, 0),
        find(MESSAGES, "guidance_from\n", 1, 0),
        find(MESSAGES, "guidance_from }", 0, 0),
    ];
    assert_eq!(found, expected);
    for r in &reads {
        assert_eq!(text_of(MESSAGES, r.range), "guidance_from");
    }

    // Definition and hover at a name in braces.
    let read = find(MESSAGES, "guidance_from }", 0, 3);
    let locations = go_to_definition(&mut editor, &uri, read);
    assert_eq!(locations.len(), 1);
    assert_eq!(locations[0].range.start, declared);
    let (shown, range) = hover(&mut editor, &uri, read);
    assert!(shown.contains("**threshold** `guidance_from`"), "{shown}");
    assert_eq!(text_of(MESSAGES, range), "guidance_from");

    // A let, a field, and an element of `for each` with its record's field.
    let late = find(MESSAGES, "{late}", 0, 2);
    let locations = go_to_definition(&mut editor, &uri, late);
    assert_eq!(locations[0].range.start, find(MESSAGES, "late =", 0, 0));
    let field = find(MESSAGES, "{visit.start}", 0, 3);
    let locations = go_to_definition(&mut editor, &uri, field);
    assert_eq!(
        locations[0].range.start,
        find(MESSAGES, "visit.start:", 0, 0)
    );
    let element = find(MESSAGES, "{n.id}", 0, 1);
    let locations = go_to_definition(&mut editor, &uri, element);
    assert_eq!(
        locations[0].range.start,
        find(MESSAGES, "n in notices", 0, 0)
    );
    let record_field = find(MESSAGES, "{n.served}", 0, 4);
    let locations = go_to_definition(&mut editor, &uri, record_field);
    assert_eq!(
        locations[0].range.start,
        find(MESSAGES, "served: date", 0, 0)
    );

    // The text of a message, and an escaped brace, read nothing.
    let escaped = find(MESSAGES, "not a name", 0, 1);
    let found = editor.request::<GotoDefinition>(GotoDefinitionParams {
        text_document_position_params: at(&uri, escaped),
        work_done_progress_params: Default::default(),
        partial_result_params: Default::default(),
    });
    assert_eq!(found, None);
    let _ = std::fs::remove_dir_all(&dir);
    editor.stop();
}

const FROM_RULE: &str = "ruleset visits \"Visits\"
  in force from 2015-04-01

evidence
  a: bool

rule one \"para 1\"
  when a
  then finding late

rule two \"para 2\"
  when not a
  then finding late

test \"t\"
  given a = true
  expect finding late from rule one
  expect no finding late from rule two
";

/// The rule of `from rule R` in an expectation is a reference to it: its
/// definition is the rule, and the rule's references include it.
#[test]
fn the_rule_an_expectation_names_with_from_rule_is_a_reference() {
    let dir = scratch("from-rule");
    let rules = dir.join("visits/2015-04.rules");
    std::fs::write(&rules, FROM_RULE).unwrap();
    let mut editor = Editor::start();
    let (uri, published) = editor.open(&rules, FROM_RULE);
    assert_eq!(published.diagnostics, vec![], "the ruleset checks");

    let used = find(FROM_RULE, "one\n  expect", 0, 1);
    let locations = go_to_definition(&mut editor, &uri, used);
    assert_eq!(locations.len(), 1);
    assert_eq!(
        locations[0].range.start,
        find(FROM_RULE, "one \"para", 0, 0)
    );

    let declared = find(FROM_RULE, "two \"para", 0, 0);
    let reads = references(&mut editor, &uri, declared, false);
    let found: Vec<Position> = reads.iter().map(|r| r.range.start).collect();
    assert_eq!(found, vec![find(FROM_RULE, "two\n", 0, 0)]);

    // Being written, `from rule ` is followed by the rules, not by what an
    // expression may read.
    let end = end_of(FROM_RULE);
    editor.change(
        &uri,
        2,
        Some(Range::new(end, end)),
        "  expect finding late from rule ",
    );
    let labels = complete(&mut editor, &uri, Position::new(end.line, 32));
    assert_eq!(labels, ["one", "two"], "the rules");
    editor.stop();
}
