//! The parser's output for small inputs: the AST (never pest's pairs), and
//! the errors people see.

#![allow(
    clippy::panic,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "a test fails by panicking"
)]

use judgement_syntax::ast::{BinaryOp, Effect, Expr, Item, Literal, Unit};
use judgement_syntax::{parse_file, SyntaxError};

const HEADER: &str = "ruleset r \"R\" in force from 2015-04-01\n";

fn parse(body: &str) -> judgement_syntax::ast::File {
    parse_file(&format!("{HEADER}{body}")).unwrap_or_else(|e| panic!("{e:?}"))
}

#[test]
fn a_rule_lowers_to_its_ast() {
    let file = parse(
        "rule vacancy \"Annex N para 19\"\n  quote \"26 weeks or more\"\n  note \"para 19 wins\"\n  when manager.vacant_since is set and inspection.start - manager.vacant_since >= 26 weeks\n  then leaders_and_managers = inadequate\n  likely overall = inadequate\n",
    );
    insta::assert_debug_snapshot!(file.items);
}

#[test]
fn and_binds_tighter_than_or_and_comparison_tighter_than_and() {
    let file = parse("let x = a or b and c = d + 1\n");
    let Some(Item::Let(l)) = file.items.first() else {
        panic!()
    };
    let Expr::Binary {
        op: BinaryOp::Or,
        rhs,
        ..
    } = &l.value.node
    else {
        panic!("{:?}", l.value)
    };
    let Expr::Binary {
        op: BinaryOp::And,
        rhs,
        ..
    } = &rhs.node
    else {
        panic!("{rhs:?}")
    };
    let Expr::Binary {
        op: BinaryOp::Eq,
        rhs,
        ..
    } = &rhs.node
    else {
        panic!("{rhs:?}")
    };
    assert!(matches!(
        &rhs.node,
        Expr::Binary {
            op: BinaryOp::Add,
            ..
        }
    ));
}

#[test]
fn durations_know_their_units() {
    let file =
        parse("threshold a = 10 working days\nthreshold b = 1 month\nthreshold c = 26 weeks\n");
    let units: Vec<_> = file
        .items
        .iter()
        .map(|i| match i {
            Item::Threshold(t) => match &t.value.node {
                Expr::Literal(Literal::Duration { amount, unit }) => (*amount, *unit),
                other => panic!("{other:?}"),
            },
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(
        units,
        vec![
            (10, Unit::WorkingDays),
            (1, Unit::Months),
            (26, Unit::Weeks)
        ]
    );
}

#[test]
fn equality_ignores_layout_but_spans_point_at_the_text() {
    let a = parse("rule r \"p 1\" then action x\n");
    let b = parse("rule   r\n   \"p 1\"\n   then\n   action   x\n");
    assert_eq!(a, b);
    let Some(Item::Rule(rule)) = b.items.first() else {
        panic!()
    };
    let Some(effect) = rule.effects.first() else {
        panic!()
    };
    assert!(matches!(effect.node, Effect::Action { .. }));
    let text = format!("{HEADER}rule   r\n   \"p 1\"\n   then\n   action   x\n");
    assert_eq!(
        &text[effect.span.start..effect.span.end],
        "then\n   action   x"
    );
}

#[test]
fn every_bad_date_is_reported_not_just_the_first() {
    let errs = parse_file(&format!(
        "{HEADER}threshold a = 2015-02-30\nthreshold b = 2015-13-01\n"
    ))
    .unwrap_err();
    let dates: Vec<&str> = errs
        .iter()
        .map(|e| match e {
            SyntaxError::InvalidDate { text, .. } => text.as_str(),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(dates, vec!["2015-02-30", "2015-13-01"]);
}

#[test]
fn an_unexpected_word_names_what_was_expected() {
    let errs = parse_file(&format!("{HEADER}rule r \"p\" whenever x then action y\n")).unwrap_err();
    let Some(SyntaxError::Unexpected {
        expected, found, ..
    }) = errs.first()
    else {
        panic!("{errs:?}")
    };
    assert_eq!(found, "`whenever`");
    assert!(expected.contains("a rule clause"), "{expected}");
}

#[test]
fn hostile_nesting_is_refused_without_overflow() {
    let deep = format!(
        "{HEADER}let x = {}1{}\n",
        "(".repeat(10_000),
        ")".repeat(10_000)
    );
    assert!(matches!(
        parse_file(&deep).unwrap_err().first(),
        Some(SyntaxError::TooDeep { .. })
    ));
    let nots = format!("{HEADER}let x = {}true\n", "not ".repeat(10_000));
    assert!(matches!(
        parse_file(&nots).unwrap_err().first(),
        Some(SyntaxError::TooDeep { .. })
    ));
    let big = format!("{HEADER}{}", "# padding\n".repeat(200_000));
    assert!(matches!(
        parse_file(&big).unwrap_err().first(),
        Some(SyntaxError::TooLarge { .. })
    ));
}
