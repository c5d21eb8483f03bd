//! The outline: the declarations in order, each spanning its whole declaration.

use super::*;

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
