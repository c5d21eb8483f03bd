//! Formatting: the canonical layout as one edit, behind a byte-order mark too.

use super::*;

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
