//! Hover on rules, checks, fields, thresholds, actions and judgements.

use super::*;

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
