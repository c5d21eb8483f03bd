//! Definitions files: their header, `uses` clauses, `needs` declarations,
//! parsing at a base offset, and their canonical layout.

#![allow(
    clippy::panic,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "a test fails by panicking"
)]

use judgement_syntax::ast::{FileKind, Item, TypeExpr};
use judgement_syntax::{file_kind, format_source, parse_file, parse_file_at, SyntaxError};

const DEFINITIONS: &str = "# shared by the monitoring rulesets
definitions monitoring \"Monitoring visits\"
  source \"Ofsted 100194\"
  uses grades

needs visit_feedback: date
needs judgement overall: grade
needs visits: list of visit

rule late_report \"para 7\"
  when visit_feedback - visit_start > 5 days
  then overall at most requires_improvement
";

#[test]
fn a_definitions_header_has_a_kind_and_uses() {
    let file = parse_file(DEFINITIONS).unwrap();
    let h = &file.header;
    assert_eq!(h.kind, FileKind::Definitions);
    assert_eq!(h.name.node, "monitoring");
    assert_eq!(h.source.as_ref().unwrap().node, "Ofsted 100194");
    let uses: Vec<&str> = h.uses.iter().map(|u| u.node.as_str()).collect();
    assert_eq!(uses, ["grades"]);
    assert!(h.edition.is_none() && h.in_force.is_none() && h.calendar.is_none());
}

#[test]
fn needs_lower_to_their_name_kind_and_type() {
    let file = parse_file(DEFINITIONS).unwrap();
    let needs: Vec<(&str, bool, &TypeExpr)> = file
        .items
        .iter()
        .filter_map(|i| match i {
            Item::Needs(n) => Some((n.name.node.as_str(), n.judgement, &n.ty.node)),
            _ => None,
        })
        .collect();
    assert_eq!(
        needs,
        [
            ("visit_feedback", false, &TypeExpr::Named("date".into())),
            ("overall", true, &TypeExpr::Named("grade".into())),
            ("visits", false, &TypeExpr::ListOf("visit".into())),
        ]
    );
}

#[test]
fn a_ruleset_may_use_several_definitions() {
    let source = "ruleset homes \"Homes\"\n  in force from 2015-04-01\n  calendar england_and_wales\n  uses monitoring\n  uses grades\n  as at inspection.start\n";
    let file = parse_file(source).unwrap();
    assert_eq!(file.header.kind, FileKind::Ruleset);
    let uses: Vec<&str> = file.header.uses.iter().map(|u| u.node.as_str()).collect();
    assert_eq!(uses, ["monitoring", "grades"]);
}

#[test]
fn a_definitions_header_takes_no_edition_period_or_calendar() {
    for clause in [
        "edition \"1\"",
        "in force from 2015-04-01",
        "calendar england_and_wales",
        "as at x.y",
    ] {
        let source = format!("definitions d \"D\"\n  {clause}\n");
        assert!(parse_file(&source).is_err(), "{clause}");
    }
}

#[test]
fn parsing_at_a_base_offsets_every_span_and_error() {
    let base = 10_000;
    let at_zero = parse_file(DEFINITIONS).unwrap();
    let at_base = parse_file_at(DEFINITIONS, base).unwrap();
    assert_eq!(at_zero, at_base, "the same tree");
    let name = |f: &judgement_syntax::ast::File| f.header.name.span;
    assert_eq!(name(&at_base).start, name(&at_zero).start + base);
    let Some(Item::Rule(rule)) = at_base.items.last() else {
        panic!()
    };
    let when = rule.when.as_ref().unwrap().span;
    assert_eq!(
        &DEFINITIONS[when.start - base..when.end - base],
        "visit_feedback - visit_start > 5 days"
    );
    // Errors too, from pest and from lowering.
    let broken = "definitions d \"D\"\nneeds x date\n";
    let err = parse_file_at(broken, base).unwrap_err().remove(0);
    assert_eq!(
        &broken[err.span().start - base..err.span().end - base],
        "date"
    );
    let bad_date = "definitions d \"D\"\nthreshold t = 2015-02-30\n";
    let err = parse_file_at(bad_date, base).unwrap_err().remove(0);
    assert!(matches!(err, SyntaxError::InvalidDate { .. }), "{err:?}");
    assert_eq!(
        &bad_date[err.span().start - base..err.span().end - base],
        "2015-02-30"
    );
}

#[test]
fn the_kind_of_a_file_is_its_first_word() {
    assert_eq!(file_kind(DEFINITIONS), FileKind::Definitions);
    assert_eq!(
        file_kind("\u{feff}  # c\n\ndefinitions x \"X\""),
        FileKind::Definitions
    );
    assert_eq!(file_kind("ruleset r \"R\""), FileKind::Ruleset);
    assert_eq!(file_kind("definitionsx"), FileKind::Ruleset);
    assert_eq!(file_kind(""), FileKind::Ruleset);
}

#[test]
fn definitions_format_canonically_and_round_trip() {
    let messy = "definitions   monitoring \"Monitoring visits\" uses grades source \"S\"\nneeds   judgement overall :grade\nneeds visit_feedback:date   # from the ruleset\nrule r \"p 1\" when overall is inadequate then action tell\n";
    let once = format_source(messy).unwrap();
    assert_eq!(
        once,
        "definitions monitoring \"Monitoring visits\"\n  source \"S\"\n  uses grades\n\nneeds judgement overall: grade\nneeds visit_feedback: date  # from the ruleset\n\nrule r \"p 1\"\n  when overall is inadequate\n  then action tell\n"
    );
    assert_eq!(format_source(&once).unwrap(), once);
    assert_eq!(parse_file(&once).unwrap(), parse_file(messy).unwrap());
    let uses = "ruleset r \"R\"\n  in force from 2015-04-01\n  calendar c\n  uses a\n  uses b\n  as at x.start\n";
    assert_eq!(format_source(uses).unwrap(), uses);
}

#[test]
fn a_file_that_starts_with_neither_header_says_both() {
    let errs = parse_file("rulset small \"S\"\n").unwrap_err();
    assert_eq!(
        errs[0].to_string(),
        "expected `definitions` or `ruleset`, found `rulset`"
    );
}

#[test]
fn an_empty_file_and_a_file_of_comments_name_the_headers_in_one_order() {
    for text in ["", "# only a comment\n", "\n\n"] {
        let errs = parse_file(text).unwrap_err();
        assert_eq!(
            errs[0].to_string(),
            "expected `definitions` or `ruleset`, found the end of the file",
            "{text:?}"
        );
    }
}
