//! The language server as an editor uses it: message by message over an
//! in-memory connection, on the repository's real rule files.

#![allow(
    clippy::panic,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "a test fails by panicking"
)]

mod common;

use common::{apply, at, find, ruleset, text_of, Editor};
use lsp_types::notification::ShowMessage;
use lsp_types::request::{
    CodeLensRequest, Completion, ExecuteCommand, Formatting, GotoDefinition, HoverRequest,
    References,
};
use lsp_types::{
    CodeLensParams, CompletionParams, CompletionResponse, DiagnosticSeverity,
    DocumentFormattingParams, ExecuteCommandParams, FormattingOptions, GotoDefinitionParams,
    GotoDefinitionResponse, HoverContents, HoverParams, MessageType, NumberOrString, Position,
    Range, ReferenceContext, ReferenceParams, TextDocumentIdentifier, Url,
};
use serde_json::json;

const HOMES: &str = "childrens_homes/2015-04.rules";

fn hover(editor: &mut Editor, uri: &Url, position: Position) -> (String, Range) {
    let hover = editor
        .request::<HoverRequest>(HoverParams {
            text_document_position_params: at(uri, position),
            work_done_progress_params: Default::default(),
        })
        .expect("a hover");
    let HoverContents::Markup(markup) = hover.contents else {
        panic!("markdown expected: {:?}", hover.contents);
    };
    (markup.value, hover.range.expect("the hover's range"))
}

/// The code actions offered at `range` of the open document at `uri` for
/// `diagnostics`.
fn code_actions(
    editor: &mut Editor,
    uri: &Url,
    range: Range,
    diagnostics: Vec<lsp_types::Diagnostic>,
) -> Option<lsp_types::CodeActionResponse> {
    editor.request::<lsp_types::request::CodeActionRequest>(lsp_types::CodeActionParams {
        text_document: TextDocumentIdentifier::new(uri.clone()),
        range,
        context: lsp_types::CodeActionContext {
            diagnostics,
            only: None,
            trigger_kind: None,
        },
        work_done_progress_params: Default::default(),
        partial_result_params: Default::default(),
    })
}

/// The outline of the open document at `uri`.
fn outline(editor: &mut Editor, uri: &Url) -> Vec<lsp_types::DocumentSymbol> {
    let response = editor
        .request::<lsp_types::request::DocumentSymbolRequest>(lsp_types::DocumentSymbolParams {
            text_document: TextDocumentIdentifier::new(uri.clone()),
            work_done_progress_params: Default::default(),
            partial_result_params: Default::default(),
        })
        .expect("symbols");
    let lsp_types::DocumentSymbolResponse::Nested(symbols) = response else {
        panic!("nested symbols: {response:?}");
    };
    symbols
}

/// Where go-to-definition at `position` leads.
fn go_to_definition(
    editor: &mut Editor,
    uri: &Url,
    position: Position,
) -> Vec<lsp_types::Location> {
    let found = editor
        .request::<GotoDefinition>(GotoDefinitionParams {
            text_document_position_params: at(uri, position),
            work_done_progress_params: Default::default(),
            partial_result_params: Default::default(),
        })
        .expect("a definition");
    let GotoDefinitionResponse::Array(locations) = found else {
        panic!("locations: {found:?}");
    };
    locations
}

/// The references to the name at `position`, its declaration with them
/// when `include_declaration`.
fn references(
    editor: &mut Editor,
    uri: &Url,
    position: Position,
    include_declaration: bool,
) -> Vec<lsp_types::Location> {
    editor
        .request::<References>(ReferenceParams {
            text_document_position: at(uri, position),
            context: ReferenceContext {
                include_declaration,
            },
            work_done_progress_params: Default::default(),
            partial_result_params: Default::default(),
        })
        .expect("references")
}

fn completions(
    editor: &mut Editor,
    uri: &Url,
    position: Position,
) -> Vec<lsp_types::CompletionItem> {
    let response = editor
        .request::<Completion>(CompletionParams {
            text_document_position: at(uri, position),
            work_done_progress_params: Default::default(),
            partial_result_params: Default::default(),
            context: None,
        })
        .expect("completions");
    match response {
        CompletionResponse::Array(items) => items,
        CompletionResponse::List(list) => list.items,
    }
}

fn complete(editor: &mut Editor, uri: &Url, position: Position) -> Vec<String> {
    completions(editor, uri, position)
        .into_iter()
        .map(|i| i.label)
        .collect()
}

fn end_of(text: &str) -> Position {
    let line = text.matches('\n').count() as u32;
    let last = text.rsplit('\n').next().unwrap_or("");
    Position::new(line, last.encode_utf16().count() as u32)
}

#[test]
fn the_server_says_what_it_can_do() {
    let editor = Editor::start();
    let caps = &editor.initialized.capabilities;
    assert!(caps.hover_provider.is_some());
    assert!(caps.definition_provider.is_some());
    assert!(caps.references_provider.is_some());
    assert!(caps.completion_provider.is_some());
    assert!(caps.document_formatting_provider.is_some());
    assert!(caps.code_lens_provider.is_some());
    let commands = &caps.execute_command_provider.as_ref().unwrap().commands;
    assert_eq!(commands, &["judgement.runTests"]);
    assert_eq!(
        editor.initialized.server_info.as_ref().unwrap().name,
        "judgement-lsp"
    );
    editor.stop();
}

#[test]
fn diagnostics_follow_the_text_as_it_is_typed() {
    let mut editor = Editor::start();
    let (path, text) = ruleset(HOMES);
    let (uri, published) = editor.open(&path, &text);
    assert_eq!(
        published.diagnostics,
        vec![],
        "the real ruleset, with its calendar and definitions found beside it, has no problems"
    );

    // A line broken in the middle: `and` with nothing after it.
    let original = "  when (inspection.kind is full or judged_anew_at_visit) and helped_and_protected is inadequate";
    let line = find(&text, original, 0, 0);
    let whole_line = Range::new(line, Position::new(line.line, original.len() as u32));
    let broken = format!("{original} and");
    let published = editor.change(&uri, 2, Some(whole_line), &broken);
    let [error] = published.diagnostics.as_slice() else {
        panic!("one error: {:#?}", published.diagnostics);
    };
    assert_eq!(error.severity, Some(DiagnosticSeverity::ERROR));
    assert_eq!(error.code, Some(NumberOrString::String("syntax".into())));
    assert_eq!(error.source.as_deref(), Some("judgement"));
    // The parser stops at the next line's `then`, which cannot start an operand.
    assert_eq!(error.range.start, Position::new(line.line + 1, 2));
    let current = apply(&text, whole_line, &broken);
    assert_eq!(text_of(&current, error.range), "then");
    assert!(error.message.starts_with("expected"), "{}", error.message);

    // A misspelt name after text that is not ASCII on the same line: the
    // range counts UTF-16 units, and the help says what was meant.
    let edited = "  when \"caf\u{e9} \u{1f3e0}\" = \"x\" and helped_and_protectd is inadequate";
    let broken_line = Range::new(line, Position::new(line.line, broken.len() as u32));
    let published = editor.change(&uri, 3, Some(broken_line), edited);
    let [error] = published.diagnostics.as_slice() else {
        panic!("one error: {:#?}", published.diagnostics);
    };
    assert_eq!(error.severity, Some(DiagnosticSeverity::ERROR));
    assert_eq!(
        error.code,
        Some(NumberOrString::String("check".into())),
        "{error:?}"
    );
    let column = edited.find("helped_and_protectd").unwrap();
    let utf16 = edited[..column].encode_utf16().count() as u32;
    let chars = edited[..column].chars().count() as u32;
    assert_eq!(utf16, chars + 1, "the emoji is two units");
    assert_eq!(
        error.range,
        Range::new(
            Position::new(line.line, utf16),
            Position::new(line.line, utf16 + "helped_and_protectd".len() as u32)
        )
    );
    assert!(error.message.contains("help: "), "{}", error.message);
    assert!(
        error.message.contains("helped_and_protected"),
        "{}",
        error.message
    );

    // The quick fix the help suggests, applied as the editor would.
    let actions =
        code_actions(&mut editor, &uri, error.range, vec![error.clone()]).expect("actions");
    let [lsp_types::CodeActionOrCommand::CodeAction(fix)] = actions.as_slice() else {
        panic!("one quick fix: {actions:#?}");
    };
    assert_eq!(
        fix.title,
        "Replace `helped_and_protectd` with `helped_and_protected`"
    );
    let edits = &fix.edit.as_ref().unwrap().changes.as_ref().unwrap()[&uri];
    assert_eq!(edits.len(), 1);
    assert_eq!(edits[0].range, error.range);
    let published = editor.change(&uri, 4, Some(edits[0].range), &edits[0].new_text);
    assert_eq!(published.diagnostics, vec![], "the fix puts it right");

    // Then as it was, and a threshold that nothing reads: a warning at it.
    let fixed = edited.replace("helped_and_protectd", "helped_and_protected");
    let edited_line = Range::new(
        line,
        Position::new(line.line, fixed.encode_utf16().count() as u32),
    );
    let published = editor.change(
        &uri,
        5,
        Some(edited_line),
        "  when helped_and_protected is inadequate",
    );
    assert_eq!(published.diagnostics, vec![]);
    let end = end_of(&text);
    let published = editor.change(
        &uri,
        6,
        Some(Range::new(end, end)),
        "\nthreshold unused_limit = 3 days\n",
    );
    let [warning] = published.diagnostics.as_slice() else {
        panic!("one warning: {:#?}", published.diagnostics);
    };
    assert_eq!(warning.severity, Some(DiagnosticSeverity::WARNING));
    assert_eq!(
        warning.tags,
        Some(vec![lsp_types::DiagnosticTag::UNNECESSARY]),
        "greyed out"
    );
    assert!(
        warning.message.contains("`unused_limit` is never used"),
        "{}",
        warning.message
    );
    assert_eq!(warning.range.start.line, end.line + 1);
    editor.stop();
}

#[test]
fn hover_shows_rules_fields_and_thresholds() {
    let mut editor = Editor::start();
    let (path, text) = ruleset(HOMES);
    let (uri, _) = editor.open(&path, &text);

    // A rule: its citation, quote and note.
    let rule = find(&text, "rule key_judgement_forces_overall", 0, 7);
    let (shown, range) = hover(&mut editor, &uri, rule);
    assert!(shown.contains("`key_judgement_forces_overall`"), "{shown}");
    assert!(shown.contains("para 103"), "{shown}");
    assert!(shown.contains("> if inspectors judge this area"), "{shown}");
    assert!(shown.contains("does not automatically limit"), "{shown}");
    assert_eq!(text_of(&text, range), "key_judgement_forces_overall");

    // An `invalid` check: its message, and no citation it does not have.
    let check = find(&text, "invalid negative_count", 0, 9);
    let (shown, _) = hover(&mut editor, &uri, check);
    assert!(
        shown.starts_with("**invalid** `negative_count`: evidence refused with"),
        "{shown}"
    );
    assert!(!shown.contains('\u{2014}'), "{shown}");

    // A field where it is read: its type and what its absence means.
    let read = find(&text, "manager.vacant_since", 1, 3);
    let (shown, range) = hover(&mut editor, &uri, read);
    assert!(shown.contains("`manager.vacant_since`: `date`"), "{shown}");
    assert!(shown.contains("or none"), "{shown}");
    assert_eq!(text_of(&text, range), "manager.vacant_since");
    // and what the comment beside its declaration says of it.
    assert!(
        shown.ends_with("\n\nnone: a registered manager is in post"),
        "{shown}"
    );
    let required = find(&text, "  inspection.start: date", 0, 4);
    let (shown, _) = hover(&mut editor, &uri, required);
    assert!(shown.contains("Required"), "{shown}");
    assert!(
        shown.contains("the first day on site (catalogue AMB32"),
        "{shown}"
    );

    // A threshold where it is read: its value, in days.
    let read = find(&text, "manager_vacancy_limit", 1, 0);
    let (shown, range) = hover(&mut editor, &uri, read);
    assert!(
        shown.contains("`manager_vacancy_limit` = `26 weeks`"),
        "{shown}"
    );
    assert!(shown.contains("182 days"), "{shown}");
    assert_eq!(text_of(&text, range), "manager_vacancy_limit");

    // An action: the rules that give it.
    let (shown, _) = hover(
        &mut editor,
        &uri,
        find(&text, "then action urgent_case_review", 0, 14),
    );
    assert!(shown.contains("**action** `urgent_case_review`"), "{shown}");
    assert!(shown.contains("`inadequate_urgent_case_review`"), "{shown}");

    // A judgement and a value of its scale (declared in the definitions).
    let (shown, _) = hover(
        &mut editor,
        &uri,
        find(&text, "then overall = inadequate", 0, 17),
    );
    assert!(
        shown.contains("of the scale `grade` (4 of 4, best first)"),
        "{shown}"
    );
    editor.stop();
}

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

#[test]
fn formatting_gives_the_canonical_layout() {
    let mut editor = Editor::start();
    let messy = "ruleset visits \"Monitoring visits\" in force from 2015-04-01\n\
        evidence visit.start: date   visit.end: date   # the days of the visit\n\
        rule long_visit \"para 12\" when visit.end - visit.start > 2 days then action review_length\n";
    let path = std::env::temp_dir().join("judgement-lsp-tests/visits.rules");
    let (uri, published) = editor.open(&path, messy);
    assert_eq!(published.diagnostics, vec![]);
    let format = |editor: &mut Editor| {
        editor
            .request::<Formatting>(DocumentFormattingParams {
                text_document: TextDocumentIdentifier::new(uri.clone()),
                options: FormattingOptions {
                    tab_size: 2,
                    insert_spaces: true,
                    ..Default::default()
                },
                work_done_progress_params: Default::default(),
            })
            .expect("edits")
    };
    let edits = format(&mut editor);
    let [edit] = edits.as_slice() else {
        panic!("one edit: {edits:?}");
    };
    assert_eq!(
        edit.range,
        Range::new(Position::new(0, 0), Position::new(3, 0))
    );
    let canonical = judgement_syntax::format_source(messy).unwrap();
    assert_eq!(edit.new_text, canonical);
    assert!(edit
        .new_text
        .contains("  visit.end: date  # the days of the visit\n"));

    // Once formatted, there is nothing to change.
    editor.change(&uri, 2, None, &canonical);
    assert_eq!(format(&mut editor), vec![]);

    // Behind a byte-order mark, as `judgement fmt` reads a file: the mark
    // is kept, and the canonical text after it needs no change.
    editor.change(&uri, 3, None, &format!("\u{feff}{canonical}"));
    assert_eq!(format(&mut editor), vec![]);
    editor.change(&uri, 4, None, &format!("\u{feff}{messy}"));
    let edits = format(&mut editor);
    let [edit] = edits.as_slice() else {
        panic!("one edit: {edits:?}");
    };
    assert_eq!(edit.range.start, Position::new(0, 1), "after the mark");
    assert_eq!(edit.new_text, canonical);
    editor.stop();
}

#[test]
fn code_lenses_run_the_files_tests() {
    let mut editor = Editor::start();
    let (path, text) = ruleset("monitoring_visits/2015-04.rules");
    let (uri, _) = editor.open(&path, &text);
    let tests = text.lines().filter(|l| l.starts_with("test ")).count();
    let lenses = editor
        .request::<CodeLensRequest>(CodeLensParams {
            text_document: TextDocumentIdentifier::new(uri.clone()),
            work_done_progress_params: Default::default(),
            partial_result_params: Default::default(),
        })
        .expect("lenses");
    assert_eq!(lenses.len(), tests + 1);
    let all = lenses[0].command.as_ref().unwrap();
    assert_eq!(all.title, format!("Run all tests ({tests})"));
    assert_eq!(all.command, "judgement.runTests");
    assert_eq!(all.arguments, Some(vec![json!(uri)]));
    assert_eq!(
        lenses[0].range.start,
        find(&text, "ruleset monitoring_visits", 0, 8),
        "above the header, not the comments before it"
    );
    let first = lenses[1].command.as_ref().unwrap();
    assert_eq!(first.title, "Run test");
    let first_name = text
        .lines()
        .find_map(|l| l.strip_prefix("test \""))
        .and_then(|l| l.strip_suffix('"'))
        .unwrap();
    assert_eq!(first.arguments, Some(vec![json!(uri), json!(first_name)]));
    assert_eq!(
        text_of(&text, lenses[1].range),
        format!("\"{first_name}\""),
        "the lens is on the test's name"
    );

    // Run all: every test passes, and the editor is told.
    let run = |editor: &mut Editor, arguments| {
        editor
            .request::<ExecuteCommand>(ExecuteCommandParams {
                command: "judgement.runTests".into(),
                arguments,
                work_done_progress_params: Default::default(),
            })
            .expect("a result")
    };
    let result = run(&mut editor, all.arguments.clone().unwrap());
    assert_eq!(result["passed"], json!(tests));
    assert_eq!(result["failed"], json!(0));
    let shown = editor.notification::<ShowMessage>();
    assert_eq!(shown.typ, MessageType::INFO);
    assert_eq!(
        shown.message,
        format!("judgement tests: {tests} passed, 0 failed")
    );

    // Run one, after breaking what it expects in the editor (not on disk).
    let result = run(&mut editor, first.arguments.clone().unwrap());
    assert_eq!(result["passed"], json!(1));
    assert_eq!(result["tests"][0]["name"], json!(first_name));
    editor.notification::<ShowMessage>();
    let test_at = find(&text, &format!("test \"{first_name}\""), 0, 0);
    let expect = text[text.find(&format!("test \"{first_name}\"")).unwrap()..]
        .lines()
        .find(|l| l.trim_start().starts_with("expect "))
        .unwrap()
        .to_string();
    let expect_at = find(&text, &expect, 0, 0);
    assert!(expect_at.line > test_at.line);
    // The first expectation is of a judgement's value: expect another.
    assert!(expect.starts_with("  expect overall = "), "{expect}");
    let broken = "  expect overall = outstanding";
    editor.change(
        &uri,
        2,
        Some(Range::new(
            expect_at,
            Position::new(expect_at.line, expect.len() as u32),
        )),
        broken,
    );
    let result = run(&mut editor, first.arguments.clone().unwrap());
    assert_eq!(result["passed"], json!(0), "{result}");
    assert_eq!(result["failed"], json!(1));
    let failure = &result["tests"][0]["failures"][0];
    assert!(
        failure["message"].as_str().unwrap().contains("outstanding"),
        "{failure}"
    );
    assert_eq!(failure["range"]["start"]["line"], json!(expect_at.line));
    let shown = editor.notification::<ShowMessage>();
    assert_eq!(shown.typ, MessageType::ERROR);
    assert!(
        shown.message.contains("0 passed, 1 failed"),
        "{}",
        shown.message
    );
    editor.stop();
}

/// `judgement.runTests` takes a document's uri and, for one test, its
/// name: a name that is not a string is refused, not read as "all".
#[test]
fn run_tests_refuses_a_test_name_that_is_not_a_string() {
    let mut editor = Editor::start();
    let (path, text) = ruleset("monitoring_visits/2015-04.rules");
    let (uri, _) = editor.open(&path, &text);
    for name in [json!(5), json!(null), json!({"name": "x"}), json!(["x"])] {
        let response = editor.request_raw(
            "workspace/executeCommand",
            json!({"command": "judgement.runTests", "arguments": [uri, name]}),
        );
        assert!(response.result.is_none(), "{name}: {response:?}");
        assert_eq!(
            response.error.map(|e| e.code),
            Some(lsp_server::ErrorCode::InvalidParams as i32),
            "{name}"
        );
    }
    // A string that names no test is no error: the run finds none.
    let response = editor.request_raw(
        "workspace/executeCommand",
        json!({"command": "judgement.runTests", "arguments": [uri, "no such test"]}),
    );
    let result = response.result.expect("a result");
    assert_eq!(result["passed"], json!(0));
    assert_eq!(result["tests"], json!([]));
    let shown = editor.notification::<ShowMessage>();
    assert_eq!(
        shown.message,
        "judgement: there is no test \"no such test\""
    );
    editor.stop();
}

/// A text that starts with a byte-order mark (sent by some editors): the
/// tests' ranges are where the tests are, as the analysis's ranges are.
#[test]
fn test_results_are_placed_right_after_a_byte_order_mark() {
    let mut editor = Editor::start();
    let (path, text) = ruleset("monitoring_visits/2015-04.rules");
    let with_mark = format!("\u{feff}{text}");
    let (uri, _) = editor.open(&path, &with_mark);
    let result = editor
        .request::<ExecuteCommand>(ExecuteCommandParams {
            command: "judgement.runTests".into(),
            arguments: vec![json!(uri)],
            work_done_progress_params: Default::default(),
        })
        .expect("a result");
    editor.notification::<ShowMessage>();
    let first = &result["tests"][0];
    let name = first["name"].as_str().unwrap();
    let at = find(&text, &format!("test \"{name}\""), 0, 5);
    assert_eq!(first["range"]["start"], json!(at), "{first}");
    editor.stop();
}

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

#[test]
fn a_request_about_a_document_not_open_is_an_error_not_a_crash() {
    let mut editor = Editor::start();
    let response = editor.request_raw(
        "textDocument/hover",
        json!({"textDocument": {"uri": "file:///nowhere.rules"}, "position": {"line": 0, "character": 0}}),
    );
    assert!(response.error.is_some());
    let response = editor.request_raw("textDocument/hover", json!({"nonsense": true}));
    assert!(response.error.is_some());
    let response = editor.request_raw("workspace/symbol", json!({"query": ""}));
    assert_eq!(
        response.error.map(|e| e.code),
        Some(lsp_server::ErrorCode::MethodNotFound as i32)
    );
    editor.stop();
}

/// A folder of its own, made anew for each test that writes files.
fn scratch(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("judgement-lsp-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("visits")).unwrap();
    dir
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

const MESSAGES: &str = "ruleset messages \"Messages\"
  in force from 2015-04-01

record notice
  id: text
  served: date

evidence
  visit.start: date
  notices: list of notice default empty

threshold guidance_from = 2015-06-01

let late = visit.start > guidance_from

invalid too_early \"a visit on {visit.start}, before {guidance_from}\"
  when visit.start < guidance_from

rule each_notice \"para 1\"
  for each n in notices
  when late
  then action follow_up \"follow up {n.id}, served {n.served}\"
  then finding late_visit \"the \\\"visité\\\" came after { guidance_from }\"
  advise \"{{not a name}} {late}\"
";

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

#[test]
fn the_outline_lists_the_declarations_in_order() {
    let mut editor = Editor::start();
    let (path, text) = ruleset("monitoring_visits/2015-04.rules");
    let (uri, _) = editor.open(&path, &text);
    let symbols = outline(&mut editor, &uri);
    let tests = symbols
        .iter()
        .filter(|s| s.kind == lsp_types::SymbolKind::METHOD && s.name.starts_with("test \""))
        .count();
    assert_eq!(
        tests,
        text.lines().filter(|l| l.starts_with("test ")).count()
    );
    let rules = symbols
        .iter()
        .filter(|s| s.kind == lsp_types::SymbolKind::FUNCTION)
        .count();
    assert_eq!(
        rules,
        text.lines()
            .filter(|l| l.starts_with("rule ") || l.starts_with("invalid "))
            .count()
    );
    for pair in symbols.windows(2) {
        assert!(pair[0].range.start <= pair[1].range.start, "in order");
    }
    for s in &symbols {
        assert!(
            s.range.start <= s.selection_range.start && s.selection_range.end <= s.range.end,
            "{} holds its name",
            s.name
        );
        let shown = text_of(&text, s.selection_range);
        assert!(
            s.name.ends_with(&shown) || s.name.contains(&shown),
            "{} at {shown}",
            s.name
        );
    }
    editor.stop();
}

/// Each symbol of the outline spans its whole declaration, from its keyword
/// to the end of what it holds (a field from its name); its selection is
/// its name.
#[test]
fn the_outline_spans_each_declaration_whole() {
    let dir = scratch("outline");
    let rules = dir.join("visits/2015-04.rules");
    let text = format!(
        "{MESSAGES}\ntest \"a late visit\"\n  given visit.start = 2015-07-01\n  expect finding late_visit # late\n\n# after the test\n"
    );
    std::fs::write(&rules, &text).unwrap();
    let mut editor = Editor::start();
    let (uri, _) = editor.open(&rules, &text);
    let symbols = outline(&mut editor, &uri);
    let whole = |name: &str| {
        let symbol = symbols
            .iter()
            .find(|s| s.name == name)
            .unwrap_or_else(|| panic!("{name} in {symbols:#?}"));
        (
            text_of(&text, symbol.range),
            text_of(&text, symbol.selection_range),
        )
    };
    assert_eq!(
        whole("notice"),
        (
            "record notice\n  id: text\n  served: date".to_string(),
            "notice".to_string()
        )
    );
    assert_eq!(
        whole("notices"),
        (
            "notices: list of notice default empty".to_string(),
            "notices".to_string()
        )
    );
    assert_eq!(
        whole("guidance_from").0,
        "threshold guidance_from = 2015-06-01"
    );
    assert_eq!(
        whole("too_early").0,
        "invalid too_early \"a visit on {visit.start}, before {guidance_from}\"\n  when visit.start < guidance_from"
    );
    let (rule, name) = whole("each_notice");
    assert!(rule.starts_with("rule each_notice \"para 1\"\n"), "{rule}");
    assert!(rule.ends_with("advise \"{{not a name}} {late}\""), "{rule}");
    assert_eq!(name, "each_notice");
    assert_eq!(
        whole("test \"a late visit\"").0,
        "test \"a late visit\"\n  given visit.start = 2015-07-01\n  expect finding late_visit"
    );
    let _ = std::fs::remove_dir_all(&dir);
    editor.stop();
}

/// `exit` without `shutdown` first ends the server with an error, so that
/// `judgement-lsp` exits 1 as the protocol asks; after `shutdown` it ends
/// cleanly (every other test's `stop`).
#[test]
fn exit_without_shutdown_is_an_error() {
    use lsp_server::{Connection, Message, Notification, Request, RequestId};
    let (server, client) = Connection::memory();
    let handle = std::thread::spawn(move || judgement_lsp::run(server));
    let initialize = serde_json::json!({"capabilities": {}});
    client
        .sender
        .send(Message::Request(Request::new(
            RequestId::from(1),
            "initialize".into(),
            initialize,
        )))
        .unwrap();
    let answer = client
        .receiver
        .recv_timeout(std::time::Duration::from_secs(60));
    assert!(matches!(answer, Ok(Message::Response(_))), "{answer:?}");
    for method in ["initialized", "exit"] {
        client
            .sender
            .send(Message::Notification(Notification::new(
                method.into(),
                serde_json::json!({}),
            )))
            .unwrap();
    }
    let ended = handle.join().expect("the server's thread ends");
    let error = ended.expect_err("exit without shutdown is an error");
    assert!(error.to_string().contains("without `shutdown`"), "{error}");
}

/// A second `initialize` is refused as a request out of place, saying why,
/// and the server goes on.
#[test]
fn a_second_initialize_is_refused_as_out_of_place() {
    let mut editor = Editor::start();
    let response = editor.request_raw("initialize", serde_json::json!({"capabilities": {}}));
    let error = response.error.expect("a second initialize is refused");
    assert_eq!(error.code, lsp_server::ErrorCode::InvalidRequest as i32);
    assert!(
        error.message.contains("already initialized"),
        "{}",
        error.message
    );
    editor.stop();
}

/// After `shutdown`, a request is answered with an error (the server is
/// still there, and says why), a notification is ignored, and `exit` ends
/// it cleanly.
#[test]
fn after_shutdown_only_exit_is_expected() {
    let mut editor = Editor::start();
    let response = editor.request_raw("shutdown", serde_json::Value::Null);
    assert!(response.error.is_none(), "{response:?}");
    let refused = editor.request_raw(
        "textDocument/hover",
        serde_json::json!({
            "textDocument": {"uri": "file:///x.rules"},
            "position": {"line": 0, "character": 0}
        }),
    );
    let error = refused.error.expect("a request after shutdown is refused");
    assert_eq!(error.code, lsp_server::ErrorCode::InvalidRequest as i32);
    assert!(error.message.contains("shutting down"), "{}", error.message);
    editor.exit();
}

/// Before `initialize`, as the protocol asks: a request is answered with
/// `ServerNotInitialized`, a notification is dropped, and a response (the
/// server has asked nothing) is passed over; none of them ends the server,
/// which answers `initialize` when it comes. A response between
/// `initialize` and `initialized` is passed over too.
#[test]
fn before_initialize_requests_are_refused_and_the_rest_passed_over() {
    use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
    let wait = std::time::Duration::from_secs(60);
    let (server, client) = Connection::memory();
    let handle = std::thread::spawn(move || judgement_lsp::run(server));
    let send = |message: Message| client.sender.send(message).unwrap();
    send(Message::Response(Response::new_ok(RequestId::from(7), ())));
    send(Message::Response(Response::new_err(
        RequestId::from(8),
        ErrorCode::MethodNotFound as i32,
        "no".into(),
    )));
    send(Message::Notification(Notification::new(
        "textDocument/didOpen".into(),
        json!({"textDocument": {"uri": "file:///x.rules", "languageId": "judgement-rules",
            "version": 1, "text": "nothing"}}),
    )));
    send(Message::Request(Request::new(
        RequestId::from(2),
        "textDocument/hover".into(),
        json!({"textDocument": {"uri": "file:///x.rules"}, "position": {"line": 0, "character": 0}}),
    )));
    let refused = client.receiver.recv_timeout(wait);
    let Ok(Message::Response(refused)) = refused else {
        panic!("{refused:?}")
    };
    assert_eq!(refused.id, RequestId::from(2));
    let error = refused
        .error
        .expect("a request before initialize is refused");
    assert_eq!(error.code, ErrorCode::ServerNotInitialized as i32);
    assert!(
        error.message.contains("not initialized"),
        "{}",
        error.message
    );
    send(Message::Request(Request::new(
        RequestId::from(1),
        "initialize".into(),
        json!({"capabilities": {}}),
    )));
    // The notification before initialize was dropped: no diagnostics.
    let answer = client.receiver.recv_timeout(wait);
    let Ok(Message::Response(answer)) = answer else {
        panic!("{answer:?}")
    };
    assert_eq!(answer.id, RequestId::from(1));
    assert!(answer.result.is_some(), "{answer:?}");
    send(Message::Response(Response::new_ok(RequestId::from(9), ())));
    send(Message::Notification(Notification::new(
        "initialized".into(),
        json!({}),
    )));
    send(Message::Request(Request::new(
        RequestId::from(3),
        "shutdown".into(),
        serde_json::Value::Null,
    )));
    let answer = client.receiver.recv_timeout(wait);
    let Ok(Message::Response(answer)) = answer else {
        panic!("{answer:?}")
    };
    assert_eq!(answer.id, RequestId::from(3));
    assert!(answer.error.is_none(), "{answer:?}");
    send(Message::Notification(Notification::new(
        "exit".into(),
        serde_json::Value::Null,
    )));
    let ended = handle.join().expect("the server's thread ends");
    assert!(ended.is_ok(), "{ended:?}");
}

/// `exit` before `initialize` ends the server, with an error: no
/// `shutdown` came first.
#[test]
fn exit_before_initialize_is_an_error() {
    use lsp_server::{Connection, Message, Notification};
    let (server, client) = Connection::memory();
    let handle = std::thread::spawn(move || judgement_lsp::run(server));
    client
        .sender
        .send(Message::Notification(Notification::new(
            "exit".into(),
            serde_json::Value::Null,
        )))
        .unwrap();
    let ended = handle.join().expect("the server's thread ends");
    let error = ended.expect_err("exit before initialize is an error");
    assert!(error.to_string().contains("before `initialize`"), "{error}");
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

/// Edits that come faster than the ruleset is checked are checked together:
/// sixty keys typed at once into the children's homes ruleset publish
/// diagnostics a few times, not sixty (each check of the file takes longer
/// than a key), and the last diagnostics, published before the next
/// request is answered, are those of the text after every key.
#[test]
fn edits_queued_behind_one_another_are_analysed_once() {
    let mut editor = Editor::start();
    let (path, text) = ruleset(HOMES);
    let (uri, _) = editor.open(&path, &text);
    let original = "  when (inspection.kind is full or judged_anew_at_visit) and helped_and_protected is inadequate";
    let line = find(&text, original, 0, 0);
    let end_of_name = Position::new(line.line, original.find(" is inadequate").unwrap() as u32);
    const KEYS: i32 = 60;
    for key in 0..KEYS {
        let at = Position::new(end_of_name.line, end_of_name.character + key as u32);
        editor.notify::<lsp_types::notification::DidChangeTextDocument>(
            lsp_types::DidChangeTextDocumentParams {
                text_document: lsp_types::VersionedTextDocumentIdentifier::new(
                    uri.clone(),
                    2 + key,
                ),
                content_changes: vec![lsp_types::TextDocumentContentChangeEvent {
                    range: Some(Range::new(at, at)),
                    range_length: None,
                    text: "x".into(),
                }],
            },
        );
    }
    // A request after the edits: answered once they are analysed.
    let (shown, _) = hover(&mut editor, &uri, find(&text, original, 0, 8));
    assert!(shown.contains("inspection.kind"), "{shown}");
    let mut published = 0;
    let last = loop {
        let diagnostics = editor.diagnostics();
        assert_eq!(diagnostics.uri, uri);
        published += 1;
        if diagnostics.version == Some(1 + KEYS) {
            break diagnostics;
        }
    };
    assert!(
        published < KEYS / 2,
        "{published} diagnostics published for {KEYS} edits"
    );
    let [error] = last.diagnostics.as_slice() else {
        panic!("one error: {:#?}", last.diagnostics);
    };
    let name = format!("helped_and_protected{}", "x".repeat(KEYS as usize));
    let start = original.find("helped_and_protected").unwrap() as u32;
    assert_eq!(
        error.range,
        Range::new(
            Position::new(line.line, start),
            Position::new(line.line, start + name.len() as u32)
        ),
        "{error:?}"
    );
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
}

/// The start of the rule files of the slow runs of tests below: a list of
/// things, each with a number.
const SLOW: &str = "ruleset slow \"Slow tests\"
  in force from 2015-04-01

record thing
  id: text
  n: number

evidence
  items: list of thing default empty
";

/// A run of a document's tests that its client cancels (`$/cancelRequest`)
/// stops before its next test and answers that it was cancelled, the
/// LSP's `RequestCancelled`, with how many tests had run: far fewer than
/// the document's 400, of 90,000 evaluations each (without the cancel, the
/// run answers with all their results, some 12 seconds later in a debug
/// build). The server goes on answering.
#[test]
fn a_cancelled_test_run_stops_and_says_so() {
    cancel_a_slow_run(false);
}

/// The same, cancelled after `shutdown`, before `exit`: the cancel is read,
/// where the other notifications are passed over once the server is shut
/// down.
#[test]
fn a_test_run_may_be_cancelled_after_shutdown() {
    cancel_a_slow_run(true);
}

/// A rule file of 400 slow tests named `{name}0` to `{name}399`: each
/// asks of 300 items whether any two sum below zero.
fn slow_tests(name: &str) -> String {
    let items: Vec<String> = (0..300)
        .map(|i| format!("{{id = \"i{i}\", n = {i}}}"))
        .collect();
    let tests: String = (0..400)
        .map(|i| format!("test \"{name}{i}\"\n  given many\n  expect no finding pair\n\n"))
        .collect();
    format!(
        r#"{SLOW}
rule pair "p 1"
  when some a in items satisfies (some b in items satisfies a.n + b.n < 0)
  then finding pair

example many
  items = [{}]

{tests}"#,
        items.join(", ")
    )
}

/// Ask for a run of 400 slow tests and cancel it at once (after `shutdown`
/// when `shut_down`): its answer is `RequestCancelled`, after far fewer
/// than 400 tests.
fn cancel_a_slow_run(shut_down: bool) {
    let mut editor = Editor::start();
    let text = slow_tests("no pair sums below zero, ");
    let path = std::env::temp_dir().join(format!("judgement-lsp-cancelled-run-{shut_down}.rules"));
    let (uri, _) = editor.open(&path, &text);
    let run = editor.send_request(
        "workspace/executeCommand",
        json!({"command": "judgement.runTests", "arguments": [uri]}),
    );
    if shut_down {
        let shutdown = editor.send_request("shutdown", serde_json::Value::Null);
        assert_eq!(editor.next_response().id, shutdown);
    }
    let id = match serde_json::to_value(&run).unwrap() {
        serde_json::Value::Number(n) => {
            lsp_types::NumberOrString::Number(n.as_i64().unwrap() as i32)
        }
        other => panic!("a request id that is not a number: {other}"),
    };
    editor.notify::<lsp_types::notification::Cancel>(lsp_types::CancelParams { id });
    let answered = editor.next_response();
    assert_eq!(answered.id, run, "{answered:?}");
    let error = answered
        .error
        .unwrap_or_else(|| panic!("an error, not the run's results: {:?}", answered.result));
    assert_eq!(error.code, lsp_server::ErrorCode::RequestCanceled as i32);
    let ran: usize = error
        .message
        .strip_prefix("the run of tests was cancelled after ")
        .and_then(|rest| rest.strip_suffix(" tests"))
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{}", error.message));
    assert!(ran < 100, "{ran} of 400 tests ran before the run stopped");
    if shut_down {
        editor.exit();
        return;
    }
    let outline = editor.request_raw(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": uri}}),
    );
    assert!(outline.error.is_none(), "{outline:?}");
    editor.stop();
}

/// A run of tests goes on a thread of its own: a slow one holds up neither
/// the editor's other requests nor `shutdown`, which are answered first,
/// and the server stops at `exit` without waiting for it (audit 32: a test of
/// 2^30 evaluations left `shutdown` and `exit` unanswered, and the server
/// had to be killed).
#[test]
fn a_slow_test_run_holds_up_neither_other_requests_nor_shutdown() {
    let mut editor = Editor::start();
    // Three lists of 150 elements joined three ways: millions of
    // evaluations of the innermost condition, which no element meets.
    let items: Vec<String> = (0..150)
        .map(|i| format!("{{id = \"i{i}\", n = {i}}}"))
        .collect();
    let text = format!(
        r#"{SLOW}
rule triple "p 1"
  when some a in items satisfies (some b in items satisfies (some c in items satisfies a.n + b.n + c.n < 0))
  then finding triple

test "no three sum below zero"
  given items = [{}]
  expect no finding triple
"#,
        items.join(", ")
    );
    let path = std::env::temp_dir().join("judgement-lsp-slow-test.rules");
    let (uri, _) = editor.open(&path, &text);
    let run = editor.send_request(
        "workspace/executeCommand",
        json!({"command": "judgement.runTests", "arguments": [uri]}),
    );
    let outline = editor.send_request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": uri}}),
    );
    let answered = editor.next_response();
    assert_eq!(
        answered.id, outline,
        "the outline is answered first: {answered:?}"
    );
    let shutdown = editor.send_request("shutdown", serde_json::Value::Null);
    let answered = editor.next_response();
    assert_eq!(
        answered.id, shutdown,
        "`shutdown` is answered before the run: {answered:?}"
    );
    assert_ne!(answered.id, run);
    editor.exit();
}

/// What a form or English writes, or a lookalike letter, put right by
/// the quick fix its help offers: each broken text opened alone, its one error's fix applied as
/// the editor would, and the file is then as it was (or means the same).
#[test]
fn a_quick_fix_puts_right_a_comparison_or_a_name_written_as_words() {
    let (path, text) = ruleset(HOMES);
    let cap = "then overall at most requires_improvement";
    let key = "and helped_and_protected is inadequate";
    for (written, meant, fixed_with) in [
        (
            key,
            "and helped_and_protected is below requires_improvement",
            "<",
        ),
        (
            cap,
            "then overall at most requires improvement",
            "requires_improvement",
        ),
        (
            cap,
            "then overall at most \"Requires Improvement\"",
            "requires_improvement",
        ),
        // A Cyrillic `о` that looks like the Latin one: the error is at
        // it, and the fix writes the name it is in as it looks.
        (
            key,
            "and helped_and_pr\u{43e}tected is inadequate",
            "helped_and_protected",
        ),
    ] {
        assert!(text.contains(written), "{written}");
        let broken = text.replacen(written, meant, 1);
        let mut editor = Editor::start();
        let (uri, published) = editor.open(&path, &broken);
        let errors: Vec<&lsp_types::Diagnostic> = published
            .diagnostics
            .iter()
            .filter(|d| d.severity == Some(DiagnosticSeverity::ERROR))
            .collect();
        let [error] = errors.as_slice() else {
            panic!("{meant}: one error: {:#?}", published.diagnostics);
        };
        let actions =
            code_actions(&mut editor, &uri, error.range, vec![(*error).clone()]).expect("actions");
        let [lsp_types::CodeActionOrCommand::CodeAction(fix)] = actions.as_slice() else {
            panic!("{meant}: one quick fix: {actions:#?}");
        };
        let edits = &fix.edit.as_ref().unwrap().changes.as_ref().unwrap()[&uri];
        assert_eq!(edits[0].new_text, fixed_with, "{meant}");
        let published = editor.change(&uri, 2, Some(edits[0].range), &edits[0].new_text);
        assert_eq!(
            published.diagnostics,
            vec![],
            "{meant}: the fix puts it right"
        );
        editor.stop();
    }
}

/// An edit the server cannot apply (one it cannot read, or a range that is
/// not in its text) leaves its copy of the document out of step with the
/// editor's: the edits after it are not applied to the wrong text, the
/// document shows one diagnostic that says so, and requests about it are
/// refused, until the editor sends the whole text again. (Audit: an edit
/// that could not be read was dropped, and every later one applied to
/// stale text, silently.)
#[test]
fn edits_after_one_that_was_lost_are_not_applied_to_stale_text() {
    let mut editor = Editor::start();
    let text = include_str!("../../../tests/fixtures/cli/small/small.rules");
    let path = std::env::temp_dir().join("judgement-lsp-lost-edit/s.rules");
    let (uri, published) = editor.open(&path, text);
    assert!(published.diagnostics.is_empty(), "{published:?}");
    let lost = |published: &lsp_types::PublishDiagnosticsParams| {
        assert_eq!(published.diagnostics.len(), 1, "{published:?}");
        assert!(
            published.diagnostics[0].message.contains("lost track"),
            "{published:?}"
        );
    };
    let outline = |editor: &mut Editor| {
        editor.request_raw(
            "textDocument/documentSymbol",
            json!({"textDocument": {"uri": uri}}),
        )
    };
    // An edit whose range cannot be read.
    editor.notify_raw(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [
            {"range": {"start": {"line": "one", "character": 0},
                       "end": {"line": 0, "character": 0}}, "text": "# x\n"}]}),
    );
    lost(&editor.diagnostics());
    // The next edit is not applied, and nothing is answered about the text.
    let comment = Range::new(Position::new(1, 0), Position::new(1, 0));
    lost(&editor.change(&uri, 3, Some(comment), "#"));
    let refused = outline(&mut editor);
    let error = refused.error.expect("refused");
    assert_eq!(error.code, lsp_server::ErrorCode::RequestFailed as i32);
    assert!(error.message.contains("lost track"), "{}", error.message);
    // The whole text again: the document is found again.
    let published = editor.change(&uri, 4, None, text);
    assert!(published.diagnostics.is_empty(), "{published:?}");
    assert!(outline(&mut editor).error.is_none());
    // A range past the end of the text is not applied either, nor those
    // after it, until the document is opened again.
    let past = Range::new(Position::new(500, 0), Position::new(500, 0));
    lost(&editor.change(&uri, 5, Some(past), "x"));
    lost(&editor.change(&uri, 6, Some(comment), "#"));
    let (_, published) = editor.open(&path, text);
    assert!(published.diagnostics.is_empty(), "{published:?}");
    let symbols = outline(&mut editor);
    assert!(symbols.error.is_none(), "{symbols:?}");
    editor.stop();
}

/// Runs of tests are bounded: one thread for a document, and at most
/// `MOST_RUNS` documents' runs at once (audit: each request had a thread of
/// its own, with no limit; 300 requests on a file of 8,000 tests gave 275
/// threads and 5 GB). A request for a document whose run is going takes its
/// place: the run going stops before its next test and is answered
/// `RequestCancelled`, as is a request still waiting that a later one
/// replaces; a request for one more document is refused with
/// `RequestFailed`; `$/cancelRequest` stops a run.
#[test]
fn runs_of_tests_are_one_for_a_document_and_few_at_once() {
    let most = judgement_lsp::MOST_RUNS;
    let mut editor = Editor::start();
    let text = slow_tests("slow ");
    let uris: Vec<Url> = (0..=most)
        .map(|i| {
            let path = std::env::temp_dir().join(format!("judgement-lsp-bounded-runs-{i}.rules"));
            editor.open(&path, &text).0
        })
        .collect();
    let run = |editor: &mut Editor, uri: &Url, name: Option<&str>| {
        let arguments = match name {
            Some(name) => json!([uri, name]),
            None => json!([uri]),
        };
        editor.send_request(
            "workspace/executeCommand",
            json!({"command": "judgement.runTests", "arguments": arguments}),
        )
    };
    // A run for each of `most` documents: each starts.
    let going: Vec<_> = uris[..most]
        .iter()
        .map(|u| run(&mut editor, u, None))
        .collect();
    // One more document: refused.
    let refused = run(&mut editor, &uris[most], None);
    // Three more for the first document: each takes the place of the one
    // before; the last runs one test.
    let second = run(&mut editor, &uris[0], None);
    let third = run(&mut editor, &uris[0], None);
    let fourth = run(&mut editor, &uris[0], Some("slow 0"));
    for id in &going[1..] {
        let id = match serde_json::to_value(id).unwrap() {
            serde_json::Value::Number(n) => NumberOrString::Number(n.as_i64().unwrap() as i32),
            other => panic!("{other}"),
        };
        editor.notify::<lsp_types::notification::Cancel>(lsp_types::CancelParams { id });
    }
    let mut answers = std::collections::HashMap::new();
    while answers.len() < most + 4 {
        let response = editor.next_response();
        assert!(
            answers.insert(response.id.clone(), response).is_none(),
            "answered twice"
        );
    }
    let error = |id: &lsp_server::RequestId| {
        let error = answers[id].error.clone();
        error.unwrap_or_else(|| panic!("{id}: {:?}", answers[id]))
    };
    let cancelled = lsp_server::ErrorCode::RequestCanceled as i32;
    assert_eq!(
        error(&refused).code,
        lsp_server::ErrorCode::RequestFailed as i32
    );
    assert!(
        error(&refused)
            .message
            .contains(&format!("at most {most} at once")),
        "{}",
        error(&refused).message
    );
    for id in [&second, &third] {
        assert_eq!(error(id).code, cancelled);
        assert!(
            error(id).message.contains("cancelled before it started"),
            "{}",
            error(id).message
        );
    }
    assert_eq!(error(&going[0]).code, cancelled);
    assert!(
        error(&going[0]).message.ends_with("took its place"),
        "{}",
        error(&going[0]).message
    );
    for id in &going[1..] {
        assert_eq!(error(id).code, cancelled, "{}", error(id).message);
    }
    let result = answers[&fourth]
        .result
        .clone()
        .expect("the fourth's results");
    assert_eq!(
        result["tests"].as_array().map(Vec::len),
        Some(1),
        "{result}"
    );
    // Every run has ended: the document refused may run now.
    let again = run(&mut editor, &uris[most], Some("slow 1"));
    let answered = editor.next_response();
    assert_eq!(answered.id, again);
    assert!(answered.error.is_none(), "{answered:?}");
    editor.stop();
}
