//! Definitions and calendar files: checked themselves, found beside a ruleset by
//! the name they declare, followed as they change, their problems shown at `uses`.

use super::*;

/// A problem of a definitions file is shown at the `uses` clause of a
/// ruleset that uses it; the name it suggests belongs in the definitions,
/// so no quick fix puts it in place of the clause's word. Closed unsaved,
/// the definitions are read from disk again by the ruleset.
#[test]
fn no_quick_fix_edits_a_uses_clause_for_a_problem_of_its_definitions() {
    let mut editor = Editor::start();
    let (definitions, text) = ruleset("definitions/monitoring_visits.rules");
    let misspelt = text.replacen("proposal_refused", "proposal_refusedX", 2);
    assert_ne!(misspelt, text);
    editor.open(&definitions, &misspelt);
    let (path, rules) = ruleset("monitoring_visits/2015-04.rules");
    let (uri, published) = editor.open(&path, &rules);
    let uses = find(&rules, "uses monitoring_visits", 0, 5);
    let at_uses: Vec<&lsp_types::Diagnostic> = published
        .diagnostics
        .iter()
        .filter(|d| d.range.start == uses && d.message.contains("did you mean"))
        .collect();
    assert!(!at_uses.is_empty(), "{:#?}", published.diagnostics);
    let range = at_uses[0].range;
    let actions = code_actions(
        &mut editor,
        &uri,
        range,
        at_uses.into_iter().cloned().collect(),
    )
    .unwrap_or_default();
    assert!(actions.is_empty(), "{actions:#?}");

    // The definitions closed unsaved: the ruleset is checked again against
    // the file on disk, which has no problem.
    let definitions_uri = lsp_types::Url::from_file_path(&definitions).unwrap();
    editor.notify::<lsp_types::notification::DidCloseTextDocument>(
        lsp_types::DidCloseTextDocumentParams {
            text_document: TextDocumentIdentifier::new(definitions_uri.clone()),
        },
    );
    let cleared = editor.diagnostics();
    assert_eq!(cleared.uri, definitions_uri);
    let again = editor.diagnostics();
    assert_eq!(again.uri, uri);
    assert_eq!(
        again.diagnostics,
        vec![],
        "checked against the file on disk"
    );
    editor.stop();
}

#[test]
fn definitions_and_calendar_files_are_checked_too() {
    let mut editor = Editor::start();
    let (path, text) = ruleset("definitions/monitoring_visits.rules");
    let (_, published) = editor.open(&path, &text);
    assert_eq!(published.diagnostics, vec![]);

    let (path, text) = ruleset("calendars/england_and_wales.calendar");
    let (uri, published) = editor.open(&path, &text);
    assert_eq!(published.diagnostics, vec![]);
    let holiday = find(&text, "2015-12-25", 0, 0);
    let published = editor.change(
        &uri,
        2,
        Some(Range::new(holiday, Position::new(holiday.line, 10))),
        "2015-12-32",
    );
    let [error] = published.diagnostics.as_slice() else {
        panic!("one error: {:#?}", published.diagnostics);
    };
    assert_eq!(error.range.start, holiday);
    assert_eq!(error.severity, Some(DiagnosticSeverity::ERROR));
    // The place is the diagnostic's; the message says what is wrong, as
    // `judgement check` does, without repeating it.
    assert_eq!(error.message, "`2015-12-32` is not a day that exists");

    // A problem on the first line, behind a byte-order mark: where it is
    // without the mark, one character on (the mark is one of the line's).
    let first_range = |editor: &mut Editor, version, text: &str| {
        let published = editor.change(&uri, version, None, text);
        published
            .diagnostics
            .iter()
            .map(|d| d.range)
            .find(|r| r.start.line == 0)
            .unwrap_or_else(|| panic!("one on the first line: {:#?}", published.diagnostics))
    };
    let plain = first_range(&mut editor, 3, "calendar x y\n");
    let marked = first_range(&mut editor, 4, "\u{feff}calendar x y\n");
    let shifted = |p: Position| Position::new(p.line, p.character + 1);
    assert_eq!(marked, Range::new(shifted(plain.start), shifted(plain.end)));
    editor.stop();
}

const VISITS: &str = "ruleset visits \"Visits\"
  in force from 2015-04-01
  calendar test_days
  uses shared

evidence
  visit.start: date

rule report \"para 1\"
  then deadline report = visit.start + report_time
";

const SHARED: &str = "definitions shared \"Shared\"

threshold report_time = 2 working days
";

const CALENDAR: &str = "calendar test_days
title \"Test days\"
version \"1\"
source \"made for a test\"
years 2015 to 2015

2015-12-25 Christmas Day
";

/// `calendar NAME` is the calendar file that declares NAME, whatever the
/// file is called, as the engine reads it: not a file named NAME that
/// declares another calendar.
#[test]
fn a_calendar_is_found_by_the_name_it_declares_not_by_its_file_name() {
    let dir = scratch("calendar-by-name");
    std::fs::create_dir_all(dir.join("calendars")).unwrap();
    std::fs::create_dir_all(dir.join("definitions")).unwrap();
    std::fs::write(dir.join("definitions/shared.rules"), SHARED).unwrap();
    // Its `calendar` line after another of the header's, as the engine
    // reads it too.
    let real = dir.join("calendars/days.calendar");
    let title_first = CALENDAR.replacen(
        "calendar test_days\ntitle \"Test days\"\n",
        "title \"Test days\"\ncalendar test_days\n",
        1,
    );
    assert_ne!(title_first, CALENDAR);
    std::fs::write(&real, &title_first).unwrap();
    let decoy = CALENDAR
        .replace("calendar test_days", "calendar decoy")
        .replace("version \"1\"", "version \"9\"");
    std::fs::write(dir.join("calendars/test_days.calendar"), decoy).unwrap();
    let rules = dir.join("visits/2015-04.rules");
    std::fs::write(&rules, VISITS).unwrap();
    let mut editor = Editor::start();
    let (uri, published) = editor.open(&rules, VISITS);
    assert_eq!(published.diagnostics, vec![]);
    let named = find(VISITS, "test_days", 0, 1);
    let (shown, _) = hover(&mut editor, &uri, named);
    assert!(shown.contains("version 1,"), "{shown}");
    let locations = go_to_definition(&mut editor, &uri, named);
    assert_eq!(locations[0].uri, Url::from_file_path(&real).unwrap());
    assert_eq!(text_of(&title_first, locations[0].range), "test_days");
    editor.stop();
}

#[test]
fn calendars_and_definitions_beside_the_file_are_read_and_followed() {
    let dir = scratch("beside");
    let rules = dir.join("visits/2015-04.rules");
    std::fs::write(&rules, VISITS).unwrap();
    let mut editor = Editor::start();
    let (uri, published) = editor.open(&rules, VISITS);
    let [missing] = published.diagnostics.as_slice() else {
        panic!("one error: {:#?}", published.diagnostics);
    };
    assert!(missing.message.contains("`shared`"), "{}", missing.message);
    assert_eq!(text_of(VISITS, missing.range), "shared");

    // The definitions and the calendar written to disk: the editor says
    // files changed, and the ruleset is checked again.
    std::fs::create_dir_all(dir.join("definitions")).unwrap();
    std::fs::create_dir_all(dir.join("calendars")).unwrap();
    let shared = dir.join("definitions/shared.rules");
    std::fs::write(&shared, SHARED).unwrap();
    std::fs::write(dir.join("calendars/test_days.calendar"), CALENDAR).unwrap();
    editor.notify::<lsp_types::notification::DidChangeWatchedFiles>(
        lsp_types::DidChangeWatchedFilesParams {
            changes: vec![lsp_types::FileEvent::new(
                Url::from_file_path(&shared).unwrap(),
                lsp_types::FileChangeType::CREATED,
            )],
        },
    );
    let published = editor.diagnostics();
    assert_eq!(published.uri, uri);
    assert_eq!(published.diagnostics, vec![]);

    // The threshold in the definitions, from the ruleset: hover and
    // definition.
    let read = find(VISITS, "report_time", 0, 1);
    let (shown, _) = hover(&mut editor, &uri, read);
    assert!(shown.contains("`2 working days`"), "{shown}");
    let locations = go_to_definition(&mut editor, &uri, read);
    assert_eq!(locations[0].uri, Url::from_file_path(&shared).unwrap());
    assert_eq!(text_of(SHARED, locations[0].range), "report_time");

    // The definitions opened and changed, not saved: the ruleset is checked
    // with the editor's text of them, and its problem shown at `uses`.
    let (shared_uri, published) = editor.open(&shared, SHARED);
    assert_eq!(published.diagnostics, vec![]);
    // Opening definitions checks the rulesets open again: still none.
    let again = editor.diagnostics();
    assert_eq!(again.uri, uri);
    assert_eq!(again.diagnostics, vec![]);
    let renamed = SHARED.replace("report_time", "reporting_time");
    editor.notify::<lsp_types::notification::DidChangeTextDocument>(
        lsp_types::DidChangeTextDocumentParams {
            text_document: lsp_types::VersionedTextDocumentIdentifier::new(shared_uri.clone(), 2),
            content_changes: vec![lsp_types::TextDocumentContentChangeEvent {
                range: None,
                range_length: None,
                text: renamed,
            }],
        },
    );
    let mut by_uri = std::collections::HashMap::new();
    for _ in 0..2 {
        let p = editor.diagnostics();
        by_uri.insert(p.uri.clone(), p.diagnostics);
    }
    let unused = &by_uri[&shared_uri];
    assert_eq!(
        unused,
        &vec![],
        "the definitions' unused thresholds are not reported"
    );
    let in_ruleset = &by_uri[&uri];
    let [unknown] = in_ruleset.as_slice() else {
        panic!("one error: {in_ruleset:#?}");
    };
    assert!(
        unknown.message.contains("report_time"),
        "{}",
        unknown.message
    );
    assert_eq!(unknown.severity, Some(DiagnosticSeverity::ERROR));
    let _ = std::fs::remove_dir_all(&dir);
    editor.stop();
}

/// A definitions file whose header is being retyped (for a while it reads
/// as no definitions) is still the one the ruleset reads: its edits and
/// its close check the ruleset again, and no diagnostic of an earlier text
/// stays.
#[test]
fn a_definitions_file_with_a_broken_header_still_refreshes_its_rulesets() {
    let dir = scratch("header");
    let rules = dir.join("visits/2015-04.rules");
    std::fs::create_dir_all(dir.join("definitions")).unwrap();
    std::fs::create_dir_all(dir.join("calendars")).unwrap();
    let shared = dir.join("definitions/shared.rules");
    std::fs::write(&rules, VISITS).unwrap();
    std::fs::write(&shared, SHARED).unwrap();
    std::fs::write(dir.join("calendars/test_days.calendar"), CALENDAR).unwrap();
    let mut editor = Editor::start();
    let (uri, published) = editor.open(&rules, VISITS);
    assert_eq!(published.diagnostics, vec![]);
    let (shared_uri, _) = editor.open(&shared, SHARED);
    assert_eq!(editor.diagnostics().uri, uri);

    // The header's first word mistyped, unsaved: the ruleset is told.
    let broken = SHARED.replacen("definitions", "definition", 1);
    editor.notify::<lsp_types::notification::DidChangeTextDocument>(
        lsp_types::DidChangeTextDocumentParams {
            text_document: lsp_types::VersionedTextDocumentIdentifier::new(shared_uri.clone(), 2),
            content_changes: vec![lsp_types::TextDocumentContentChangeEvent {
                range: None,
                range_length: None,
                text: broken,
            }],
        },
    );
    let own = editor.diagnostics();
    assert_eq!(own.uri, shared_uri);
    assert!(!own.diagnostics.is_empty());
    let in_ruleset = editor.diagnostics();
    assert_eq!(in_ruleset.uri, uri);
    let [at_uses] = in_ruleset.diagnostics.as_slice() else {
        panic!("one problem: {:#?}", in_ruleset.diagnostics);
    };
    assert_eq!(text_of(VISITS, at_uses.range), "shared");

    // Closed unsaved: the ruleset reads the file on disk again, and its
    // problem goes.
    editor.notify::<lsp_types::notification::DidCloseTextDocument>(
        lsp_types::DidCloseTextDocumentParams {
            text_document: TextDocumentIdentifier::new(shared_uri.clone()),
        },
    );
    assert_eq!(editor.diagnostics().uri, shared_uri);
    let in_ruleset = editor.diagnostics();
    assert_eq!(in_ruleset.uri, uri);
    assert_eq!(in_ruleset.diagnostics, vec![]);
    let _ = std::fs::remove_dir_all(&dir);
    editor.stop();
}

/// A calendar beside the file that does not read: each of its problems is
/// shown, with its place, as `judgement check` gives them, and the file is
/// not checked without it (which had said its definitions were missing).
#[test]
fn a_broken_calendar_is_reported_problem_by_problem_and_nothing_more() {
    let dir = scratch("broken-calendar");
    std::fs::create_dir_all(dir.join("definitions")).unwrap();
    std::fs::create_dir_all(dir.join("calendars")).unwrap();
    std::fs::write(dir.join("definitions/shared.rules"), SHARED).unwrap();
    let broken = CALENDAR
        .replace("version \"1\"", "version 1")
        .replace("2015-12-25", "2015-02-30");
    std::fs::write(dir.join("calendars/test_days.calendar"), broken).unwrap();
    let path = dir.join("visits/visits.rules");
    std::fs::write(&path, VISITS).unwrap();
    let mut editor = Editor::start();
    let (_, published) = editor.open(&path, VISITS);
    let messages: Vec<&str> = published
        .diagnostics
        .iter()
        .map(|d| d.message.as_str())
        .collect();
    // The version, the year left with no holiday, and the day that does
    // not exist.
    assert_eq!(messages.len(), 3, "{messages:#?}");
    assert!(
        messages[0].contains("test_days.calendar:3:9:")
            && messages[1].contains(":5:7:")
            && messages[2].contains(":7:1:"),
        "{messages:#?}"
    );
    assert!(
        !messages.iter().any(|m| m.contains("definitions")),
        "{messages:#?}"
    );
    // Each at the `calendar test_days` clause that names the calendar.
    let clause = find(VISITS, "test_days", 0, 0);
    assert!(
        published
            .diagnostics
            .iter()
            .all(|d| d.range.start == clause),
        "{:#?}",
        published.diagnostics
    );
    editor.stop();
    let _ = std::fs::remove_dir_all(&dir);
}

/// A problem of definitions that the file uses only through other
/// definitions is shown at the `uses` clause of those it uses, with its
/// own place (not at the start of the file).
#[test]
fn a_problem_of_definitions_used_through_others_is_shown_at_their_uses_clause() {
    let dir = scratch("nested-uses");
    std::fs::create_dir_all(dir.join("definitions")).unwrap();
    std::fs::create_dir_all(dir.join("calendars")).unwrap();
    std::fs::write(dir.join("calendars/test_days.calendar"), CALENDAR).unwrap();
    std::fs::write(
        dir.join("definitions/shared.rules"),
        SHARED.replace("\"Shared\"\n", "\"Shared\"\n  uses middle\n"),
    )
    .unwrap();
    // Two levels below the ruleset's own `uses`.
    std::fs::write(
        dir.join("definitions/middle.rules"),
        "definitions middle \"Middle\"\n  uses deeper\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("definitions/deeper.rules"),
        "definitions deeper \"Deeper\"\n\nthreshold far = 2 wrking days\n",
    )
    .unwrap();
    let path = dir.join("visits/visits.rules");
    std::fs::write(&path, VISITS).unwrap();
    let mut editor = Editor::start();
    let (_, published) = editor.open(&path, VISITS);
    let uses = find(VISITS, "shared", 0, 0);
    assert!(!published.diagnostics.is_empty());
    for d in &published.diagnostics {
        assert_eq!(d.range.start, uses, "{d:#?}");
        assert!(d.message.contains("deeper.rules:3:"), "{d:#?}");
    }
    editor.stop();
    let _ = std::fs::remove_dir_all(&dir);
}
