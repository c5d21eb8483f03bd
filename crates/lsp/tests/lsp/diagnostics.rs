//! Diagnostics as the text is edited: errors and warnings where they are, the
//! quick fixes their help offers, and edits queued or lost on the way.

use super::*;

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
    let text = include_str!("../../../../tests/fixtures/cli/small/small.rules");
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
