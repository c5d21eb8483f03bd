//! The parser's output for small inputs: the AST (never pest's pairs), and
//! the errors people see.

#![allow(
    clippy::panic,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "a test fails by panicking"
)]

use judgement_syntax::ast::{Absence, BinaryOp, Effect, Expectation, Expr, Item, Literal, Unit};
use judgement_syntax::{line_col, parse_file, SyntaxError};
use miette::Diagnostic;

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

/// Found by the formatter's properties (tests/properties.rs): `default 4`
/// followed by the field `days.open` read as the duration `4 days`, and the
/// file, in the canonical layout, did not parse.
#[test]
fn a_field_named_with_a_unit_word_may_follow_a_number_default() {
    let file = parse(
        "evidence\n  home.places: number default 4\n  days.open: number\n  x: number default 2\n  weeks: number\n  y: days default 3 days\n  months.z: bool\n",
    );
    let Some(Item::Evidence(e)) = file.items.first() else {
        panic!("{:?}", file.items)
    };
    let fields: Vec<(String, Option<Absence>)> = e
        .fields
        .iter()
        .map(|f| {
            (
                f.path.node.to_string(),
                f.absence.as_ref().map(|a| a.node.clone()),
            )
        })
        .collect();
    let number = |n| Some(Absence::Default(Literal::Number(n)));
    assert_eq!(
        fields,
        vec![
            ("home.places".to_string(), number(4)),
            ("days.open".to_string(), None),
            ("x".to_string(), number(2)),
            ("weeks".to_string(), None),
            (
                "y".to_string(),
                Some(Absence::Default(Literal::Duration {
                    amount: 3,
                    unit: Unit::Days
                }))
            ),
            ("months.z".to_string(), None),
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
fn a_time_is_on_a_24_hour_clock_with_no_leap_second() {
    let errs = parse_file(&format!(
        "{HEADER}threshold a = 11:59:60\nthreshold b = 2012-05-21T11:59:60\nthreshold c = 24:00\nthreshold d = 12:60\n"
    ))
    .unwrap_err();
    let times: Vec<&str> = errs
        .iter()
        .map(|e| match e {
            SyntaxError::InvalidTime { text, .. } => text.as_str(),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(
        times,
        vec!["11:59:60", "2012-05-21T11:59:60", "24:00", "12:60"]
    );
    let file = parse("threshold a = 23:59:59\nthreshold b = 2012-05-21T00:00\n");
    assert_eq!(file.items.len(), 2);
}

#[test]
fn an_optional_deadline_is_marked_and_formats_back() {
    let text = "rule complaint \"slide 9\"\n  then optional deadline complaint = report.final + 5 working days met on complaint.made\n  then deadline draft = report.final\n";
    let file = parse(text);
    let Some(Item::Rule(rule)) = file.items.first() else {
        panic!("{:?}", file.items)
    };
    let optional: Vec<bool> = rule
        .effects
        .iter()
        .map(|e| match &e.node {
            Effect::Deadline { optional, .. } => *optional,
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(optional, vec![true, false]);
    let formatted = judgement_syntax::format_source(&format!("{HEADER}{text}")).unwrap();
    assert!(
        formatted.contains("then optional deadline complaint = report.final + 5 working days met on complaint.made"),
        "{formatted}"
    );
    // `optional` is not reserved: a judgement of that name is still bounded.
    let file = parse("rule r \"p\"\n  then optional = good\n");
    let Some(Item::Rule(rule)) = file.items.first() else {
        panic!("{:?}", file.items)
    };
    assert!(matches!(
        rule.effects.first().map(|e| &e.node),
        Some(Effect::Constrain { .. })
    ));
}

#[test]
fn a_withholding_names_one_judgement_or_none_and_formats_back() {
    let text = "rule gate \"p\"\n  then no overall judgement\n  then no judgement\n";
    let file = parse(text);
    let Some(Item::Rule(rule)) = file.items.first() else {
        panic!("{:?}", file.items)
    };
    let withheld: Vec<Option<&str>> = rule
        .effects
        .iter()
        .map(|e| match &e.node {
            Effect::Withhold { judgement } => judgement.as_ref().map(|j| j.node.as_str()),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(withheld, vec![Some("overall"), None]);
    let formatted = judgement_syntax::format_source(&format!("{HEADER}{text}")).unwrap();
    assert!(
        formatted.contains("  then no overall judgement\n  then no judgement\n"),
        "{formatted}"
    );
    // `judgement` is reserved: `no judgement judgement` names no judgement.
    assert!(parse_file(&format!(
        "{HEADER}rule r \"p\"\n  then no judgement judgement\n"
    ))
    .is_err());
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

/// `then no overall` without its last word asks for `judgement`, not for
/// a declaration (which `judgement` also begins).
#[test]
fn a_withholding_without_its_last_word_asks_for_judgement() {
    let errs = parse_file(&format!(
        "{HEADER}rule r \"p\"\n  when x\n  then no overall\n\nrule s \"q\"\n  when x\n  then action y\n"
    ))
    .unwrap_err();
    let Some(SyntaxError::Unexpected {
        expected, found, ..
    }) = errs.first()
    else {
        panic!("{errs:?}")
    };
    assert_eq!(
        (expected.as_str(), found.as_str()),
        ("`judgement`", "`rule`")
    );
}

/// Each declaration with a syntax error is reported, in order, each once:
/// the file is read on from the next declaration that starts a line.
#[test]
fn each_broken_declaration_is_reported_once_in_order() {
    let body = "rule a \"p\"\n  whn x\n  then action y\n\n\
                rule b \"p\"\n  when x\n  then action y\n\n\
                rule c \"p\"\n  when x\n  then no\n\n\
                test \"t\"\n  expect\n";
    let source = format!("{HEADER}{body}");
    let errs = parse_file(&source).unwrap_err();
    let lines: Vec<usize> = errs
        .iter()
        .map(|e| source[..e.span().start].matches('\n').count() + 1)
        .collect();
    let header = HEADER.matches('\n').count();
    assert_eq!(
        lines,
        vec![header + 2, header + 13, header + 14],
        "{errs:?}"
    );
    // The error an unfinished declaration leaves at the start of the next
    // is not reported again when reading on from that declaration.
    let source = format!("{HEADER}rule a \"p\"\n  then no overall\n\nrule b \"p\"\n  then no\n");
    let errs = parse_file(&source).unwrap_err();
    assert_eq!(errs.len(), 2, "{errs:?}");
    // At most 20, and then one saying there are more, at the 21st.
    let broken = "rule r \"p\"\n  whn x\n\n";
    let many = format!("{HEADER}{}", broken.repeat(30));
    let errs = parse_file(&many).unwrap_err();
    assert_eq!(errs.len(), 21);
    assert!(errs[..20]
        .iter()
        .all(|e| matches!(e, SyntaxError::Unexpected { .. })));
    let twenty_first = HEADER.len() + 20 * broken.len() + broken.find("whn").unwrap();
    assert_eq!(
        errs[20],
        SyntaxError::More {
            span: judgement_syntax::Span::new(twenty_first, twenty_first + 3)
        }
    );
    assert_eq!(errs[20].to_string(), "and more syntax errors after these");
    // Exactly 20: no more to say.
    let twenty = format!("{HEADER}{}", broken.repeat(20));
    let errs = parse_file(&twenty).unwrap_err();
    assert_eq!(errs.len(), 20);
    assert!(!errs.iter().any(|e| matches!(e, SyntaxError::More { .. })));
}

/// A long chain of one operator is one level of nesting: 65 conditions
/// joined by `and` are fine; the number of operands is bounded apart.
#[test]
fn a_flat_chain_counts_its_length_not_its_depth() {
    let chain = |n: usize| {
        let terms: Vec<String> = (0..n).map(|i| format!("a{i}")).collect();
        format!("{HEADER}let x = {}\n", terms.join(" and "))
    };
    assert!(parse_file(&chain(65)).is_ok());
    assert!(parse_file(&chain(256)).is_ok());
    assert!(matches!(
        parse_file(&chain(257)).unwrap_err().first(),
        Some(SyntaxError::TooLong { .. })
    ));
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
    // Past the most parts too: refused as nested too deep, which it is,
    // not as an expression of too many operands (it has one).
    let nots = format!("{HEADER}let x = {}true\n", "not ".repeat(10_000));
    assert!(matches!(
        parse_file(&nots).unwrap_err().first(),
        Some(SyntaxError::TooDeep { .. })
    ));
    let minus = format!("{HEADER}let x = {}1\n", "- ".repeat(600));
    assert!(matches!(
        parse_file(&minus).unwrap_err().first(),
        Some(SyntaxError::TooDeep { .. })
    ));
    // Many operands, each with a `not` of its own: too long, not too deep.
    let each = vec!["not a"; 300].join(" and ");
    assert!(matches!(
        parse_file(&format!("{HEADER}let x = {each}\n"))
            .unwrap_err()
            .first(),
        Some(SyntaxError::TooLong { .. })
    ));
    let nots = format!("{HEADER}let x = {}true\n", "not ".repeat(65));
    assert!(matches!(
        parse_file(&nots).unwrap_err().first(),
        Some(SyntaxError::TooDeep { .. })
    ));
    // A backslash escaped in a string does not hide the brackets after it.
    let escaped = format!(
        "ruleset x \"\\\\\"\n  in force from 2015-04-01\nlet a = {}1{}\n",
        "(".repeat(6_240),
        ")".repeat(6_240)
    );
    assert!(matches!(
        parse_file(&escaped).unwrap_err().first(),
        Some(SyntaxError::TooDeep { .. })
    ));
    let big = format!("{HEADER}{}", "# padding\n".repeat(200_000));
    assert!(matches!(
        parse_file(&big).unwrap_err().first(),
        Some(SyntaxError::TooLarge { .. })
    ));
}

/// A bracket left open is counted on to the next declaration that starts a
/// line, and no further: a valid rule 64 deep after a rule that misses its
/// `)` is not refused as too deep, and the missing `)` is what is
/// reported; brackets left open in rule after rule never add up. Hostile
/// nesting split over many declarations is still refused, each
/// declaration alone past 64.
#[test]
fn a_bracket_left_open_counts_only_to_the_next_declaration() {
    let deep = |n: usize| format!("{}a > 0{}", "(".repeat(n), ")".repeat(n));
    let broken = "rule broken \"p\"\n  when (a > 0\n  then finding f\n";
    let valid = format!("rule good \"p\"\n  when {}\n  then finding g\n", deep(64));
    let source = format!("{HEADER}{broken}{valid}");
    let errors = parse_file(&source).unwrap_err();
    assert!(
        matches!(&errors[..], [SyntaxError::Unexpected { found, .. }] if found == "`then`"),
        "{errors:?}"
    );
    let many = format!("{HEADER}{}{valid}", broken.repeat(70));
    let errors = parse_file(&many).unwrap_err();
    assert!(
        !errors
            .iter()
            .any(|e| matches!(e, SyntaxError::TooDeep { .. })),
        "{errors:?}"
    );
    let too_deep = format!(
        "{HEADER}{}rule r \"p\"\n  when {}\n  then finding g\n",
        broken,
        deep(65)
    );
    assert!(parse_file(&too_deep)
        .unwrap_err()
        .iter()
        .any(|e| matches!(e, SyntaxError::TooDeep { .. })));
    // Not at a line's start, the word does not end the count.
    let inline = format!(
        "{HEADER}let x = {} rule {}\n",
        "(".repeat(40),
        "(".repeat(30)
    );
    assert!(matches!(
        parse_file(&inline).unwrap_err().first(),
        Some(SyntaxError::TooDeep { .. })
    ));
}

/// The first error of a source that does not parse, and its help.
fn first_error(source: &str) -> (SyntaxError, Option<String>) {
    let errs = parse_file(source).unwrap_err();
    let first = errs.into_iter().next().unwrap();
    let help = first.help().map(|h| h.to_string());
    (first, help)
}

#[test]
fn a_byte_order_mark_at_the_start_is_read_as_layout() {
    let plain = format!("{HEADER}rule r \"p 1\" then action x\n");
    let marked = format!("\u{feff}{plain}");
    assert_eq!(parse_file(&marked).unwrap(), parse_file(&plain).unwrap());
    // Spans are offsets into the text given, mark and all.
    let broken = format!("\u{feff}{HEADER}rule r \"p 1\" thn action x\n");
    let (err, _) = first_error(&broken);
    let span = err.span();
    assert_eq!(&broken[span.start..span.end], "thn");
    assert_eq!(line_col(&broken, span.start), (2, 14));
    let (err, _) = first_error("\u{feff}rulset r \"R\"\n");
    assert_eq!(
        line_col("\u{feff}rulset r \"R\"\n", err.span().start),
        (1, 1)
    );
}

#[test]
fn a_byte_order_mark_elsewhere_is_still_an_error() {
    assert!(parse_file(&format!("{HEADER}\u{feff}rule r \"p\" then action x\n")).is_err());
}

#[test]
fn typographic_quotes_get_a_hint() {
    for bad in [
        "rule r \u{201c}para 104\u{201d}\n",
        "rule r \"p\" quote \u{2018}x\u{2019}\n",
    ] {
        let (err, help) = first_error(&format!("{HEADER}{bad}"));
        assert!(matches!(err, SyntaxError::Unexpected { .. }), "{err:?}");
        assert_eq!(help.as_deref(), Some("use straight quotes `\"`"), "{bad}");
    }
}

#[test]
fn a_string_not_closed_on_its_line_is_named_at_its_opening_quote() {
    for (bad, at) in [
        (
            "rule r \"p\"\n  when true\n  advise \"the draft was late\n",
            "\"the draft",
        ),
        (
            "rule r \"p\"\n  when true\n  advise \"a \\\" quote\n",
            "\"a \\",
        ),
        ("rule r \"p 9", "\"p 9"),
    ] {
        let source = format!("{HEADER}{bad}");
        let (err, help) = first_error(&source);
        assert_eq!(
            err.to_string(),
            "expected a string closed on the line it starts, found a string with no closing `\"`",
            "{bad}"
        );
        assert_eq!(err.span().start, source.find(at).unwrap(), "{bad}");
        assert_eq!(
            help.as_deref(),
            Some("add a `\"` where the text ends: a string is closed on the line it starts")
        );
    }
    // A string closed on its line, where a string is not expected, is not
    // taken for one left open.
    let (err, _) = first_error(&format!(
        "{HEADER}rule r \"p\"\n  when true\n  then action \"x\"\n"
    ));
    assert!(!err.to_string().contains("no closing"), "{err}");
}

#[test]
fn an_effect_without_then_is_pointed_to_then() {
    for (effect, word) in [
        ("finding late \"the challenge was late\"", "finding"),
        ("action tell_dfe", "action"),
        ("deadline report = 2020-01-02", "deadline"),
        ("optional deadline complaint = 2020-01-02", "optional"),
    ] {
        let source = format!("{HEADER}rule r \"p\"\n  when true\n  {effect}\n");
        let (err, help) = first_error(&source);
        assert_eq!(
            err.span().start,
            source.find(effect).unwrap(),
            "{effect}: {err}"
        );
        assert_eq!(
            help.as_deref(),
            Some(
                format!(
                    "did you mean `then {word} ...`? A rule's hard effects each start with `then`"
                )
                .as_str()
            ),
            "{effect}"
        );
    }
    // Where no rule clause may come, the word is not taken for an effect;
    // nor is `no`, which also starts a condition (`no x in xs satisfies`).
    let (_, help) = first_error(&format!("{HEADER}finding late\n"));
    assert!(!help.is_some_and(|h| h.contains("then")));
    let (_, help) = first_error(&format!(
        "{HEADER}rule r \"p\"\n  when a\n  no x in xs satisfies x\n  then finding f\n"
    ));
    assert!(!help.is_some_and(|h| h.contains("then")), "a quantifier");
}

#[test]
fn a_number_too_large_is_named_by_its_first_digits_and_marked_whole() {
    let long = "9".repeat(100_000);
    for (digits, shown) in [
        (long.as_str(), format!("{}…", "9".repeat(20))),
        ("1000000001", "1000000001".to_string()),
        ("123456789012345678901", "12345678901234567890…".to_string()),
    ] {
        let source = format!("{HEADER}threshold t = {digits}\n");
        let (err, help) = first_error(&source);
        assert_eq!(err.to_string(), format!("`{shown}` is too large a number"));
        let span = err.span();
        assert_eq!(&source[span.start..span.end], digits);
        assert_eq!(
            help.as_deref(),
            Some("a number in a rule file is a whole number of at most 1000000000")
        );
    }
    assert!(parse_file(&format!("{HEADER}threshold t = 1000000000\n")).is_ok());
}

#[test]
fn lines_ended_by_a_carriage_return_alone_are_named() {
    // The first comment would run to the end of the file, and the parse
    // would say only that it found the end there.
    let text = format!("# a comment\r{HEADER}").replace('\n', "\r");
    let (err, help) = first_error(&text);
    assert_eq!(
        err.to_string(),
        "expected lines that end with a line feed (LF or CRLF), found a carriage return alone"
    );
    assert_eq!(line_col(&text, err.span().start), (1, 12));
    assert!(help.is_some_and(|h| h.contains("LF (or CRLF)")));
    // A stray one anywhere, in a comment, a string or between words, is
    // refused where it is, before any other error: editors and the
    // language server would count the lines after it differently.
    for stray in [
        format!("{HEADER}# a\rb\nrule r \"p\" then action x\nrule ? \"q\"\n"),
        format!("{HEADER}rule r \"p\r1\" then action x\nrule ? \"q\"\n"),
        format!("{HEADER}rule r \"p\" then f\rinding x\n"),
        format!("{HEADER}rule r \"p\" then action x\n\r"),
    ] {
        let (err, _) = first_error(&stray);
        assert!(
            err.to_string().ends_with("found a carriage return alone"),
            "{err}"
        );
        assert_eq!(err.span().start, stray.find('\r').unwrap(), "{stray:?}");
    }
    // CRLF is a line end, and a file with it parses.
    assert!(
        parse_file(&format!("{HEADER}rule r \"p\" then action x\n").replace('\n', "\r\n")).is_ok()
    );
}

#[test]
fn a_misspelt_keyword_gets_a_suggestion() {
    for (body, keyword) in [
        ("rule r \"p\" when a thn action x\n", "then"),
        ("rule r \"p\" wehn a then action x\n", "when"),
        ("evidnce\n  a: date\n", "evidence"),
        (
            "judgment overall: grade from proposed.overall\n",
            "judgement",
        ),
    ] {
        let (err, help) = first_error(&format!("{HEADER}{body}"));
        assert!(matches!(err, SyntaxError::Unexpected { .. }), "{err:?}");
        assert_eq!(
            help,
            Some(format!("did you mean `{keyword}`?")),
            "{body}: {err}"
        );
    }
}

/// `expect deadlien d = ...` reads `deadlien` as a judgement's name and
/// stops at `d`: the error is the misspelt kind, with the kind it is near.
#[test]
fn a_misspelt_kind_of_expectation_gets_a_suggestion() {
    let rule = "evidence\n  f.a: bool\n\nrule r \"p\"\n  when f.a\n  then action q\n\n";
    for (line, kind) in [
        ("expect deadlien d = 2015-01-01", "deadline"),
        ("expect acion q", "action"),
        ("expect findng q", "finding"),
        ("expect advisroy r", "advisory"),
    ] {
        let source = format!("{HEADER}{rule}test \"t\"\n  given f.a = true\n  {line}\n");
        let (err, help) = first_error(&source);
        let SyntaxError::Unexpected { found, .. } = &err else {
            panic!("{err:?}");
        };
        assert_eq!(
            found,
            &format!("`{}`", line.split(' ').nth(1).unwrap_or_default())
        );
        assert_eq!(
            help,
            Some(format!("did you mean `{kind}`?")),
            "{line}: {err}"
        );
    }
}

/// After an `evidence` or `record` block, a misspelt declaration at the
/// start of a line reads as one more field and stops at its second word
/// (for want of `:`); after `then`, a misspelt effect reads as a
/// judgement's name and stops at the next word (for want of `=`). The
/// error is the misspelt word, with the keyword it is near, not the word
/// after it with a keyword near that (`limit` was taken for `list`).
#[test]
fn a_misspelt_declaration_or_effect_read_as_a_name_gets_a_suggestion() {
    let block = "evidence\n  proposed.overall: grade\n";
    let rule = "rule r \"p\"\n  when proposed.overall is good\n";
    for (body, word, keyword) in [
        (
            format!("{block}judgment overall: grade from proposed.overall\n"),
            "judgment",
            "judgement",
        ),
        (
            format!("{block}thresold limit = 26 weeks\n"),
            "thresold",
            "threshold",
        ),
        (format!("{block}scael other: a > b\n"), "scael", "scale"),
        (format!("{block}rul r2 \"p\"\n"), "rul", "rule"),
        (
            "record visit\n  id: text\nrecod other\n  id: text\n".to_string(),
            "recod",
            "record",
        ),
        (
            format!("{rule}  then acton notify_dcs\n"),
            "acton",
            "action",
        ),
        (
            format!("{rule}  then findng late_notice\n"),
            "findng",
            "finding",
        ),
        (
            format!("{rule}  then dedline notify = 2015-01-01\n"),
            "dedline",
            "deadline",
        ),
        (
            format!("{rule}  then optinal deadline x = 2015-01-01\n"),
            "optinal",
            "optional",
        ),
    ] {
        let (err, help) = first_error(&format!("{HEADER}{body}"));
        let SyntaxError::Unexpected { found, .. } = &err else {
            panic!("{err:?}");
        };
        assert_eq!(found, &format!("`{word}`"), "{body}");
        assert_eq!(
            help,
            Some(format!("did you mean `{keyword}`?")),
            "{body}: {err}"
        );
    }
    // A field at the first column that is missing its `:` is not taken for
    // a misspelt declaration, nor is a judgement's name after `then`.
    let (err, _) = first_error(&format!("{HEADER}{block}vacancy date\n"));
    assert_eq!(err.to_string(), "expected `:`, found `date`");
    let (err, help) = first_error(&format!("{HEADER}{rule}  then overall good\n"));
    assert_eq!(help, None, "{err}");
}

#[test]
fn a_word_far_from_every_keyword_gets_no_suggestion() {
    let (_, help) = first_error(&format!("{HEADER}rule r \"p\" whenever x then action y\n"));
    assert_eq!(help, None);
    let (_, help) = first_error(&format!("{HEADER}rule r \"p\" when x then then\n"));
    assert_eq!(help, None, "a keyword in the wrong place is not misspelt");
}

/// A keyword in capitals is the keyword, not whatever lower-case word is
/// one letter from it (`Then` was taken for `when`); a dotted path is a name,
/// never a misspelt keyword (`visit.feedback` was taken for `list`); a test
/// value given with `:` is told to use `=`.
#[test]
fn capitals_paths_and_colons_get_the_right_help() {
    let (_, help) = first_error(&format!(
        "{HEADER}rule r \"p\"\n  when a\n  Then action x\n"
    ));
    assert_eq!(
        help.as_deref(),
        Some("did you mean `then`? Words of the language are written in lower case")
    );
    let (err, help) = first_error(&format!(
        "{HEADER}rule r \"p\"\n  then deadline d visit.feedback + 10 working days\n"
    ));
    assert_eq!(help, None, "{err}");
    assert_eq!(
        err.to_string(),
        "expected `=` or `from`, found `visit.feedback`"
    );
    // A reserved word starting a dotted path where a name goes still says so.
    let (_, help) = first_error(&format!("{HEADER}let item.x = 3\n"));
    assert!(
        help.as_deref()
            .is_some_and(|h| h.starts_with("`item` is a reserved word")),
        "{help:?}"
    );
    let (_, help) = first_error(&format!(
        "{HEADER}test \"t\"\n  given visit.start: 2020-03-02\n"
    ));
    assert_eq!(
        help.as_deref(),
        Some("a value is given with `=`, not `:`: `field = value`")
    );
}

/// pest's switch for detailed errors is one for the whole process; threads
/// parsing broken files at once must each get the message a lone parse
/// gives (issue 6). The race is narrow (between one thread switching it on
/// and its parse starting), so this test guards rather than proves: many
/// short parses on eight threads.
#[test]
fn broken_files_parsed_on_many_threads_get_their_own_messages() {
    let broken = [
        "scale grade good > bad\n",
        "rule r1 \"p 1\" when a and then action x\n",
        "judgement overall grade from proposed.overall\n",
        "threshold limit = 26 weaks\n",
    ];
    let message = |body: &str| {
        let errors = parse_file(&format!("{HEADER}{body}")).unwrap_err();
        errors
            .iter()
            .map(|e| format!("{e} {:?}", e.help().map(|h| h.to_string())))
            .collect::<Vec<_>>()
    };
    let alone: Vec<Vec<String>> = broken.iter().map(|b| message(b)).collect();
    std::thread::scope(|s| {
        for t in 0..8 {
            let (broken, alone) = (&broken, &alone);
            s.spawn(move || {
                for i in 0..200 {
                    let which = (t + i) % broken.len();
                    assert_eq!(message(broken[which]), alone[which]);
                }
            });
        }
    });
}

#[test]
fn a_bracketed_operand_spans_its_brackets() {
    let body = "let x = a or not ( b and c )\n";
    let file = parse(body);
    let Some(Item::Let(l)) = file.items.first() else {
        panic!()
    };
    let text = format!("{HEADER}{body}");
    let Expr::Binary { rhs, .. } = &l.value.node else {
        panic!("{:?}", l.value.node)
    };
    // `not` covers the closing bracket too (it stopped at `c`).
    assert_eq!(&text[rhs.span.start..rhs.span.end], "not ( b and c )");
    let Expr::Unary { expr, .. } = &rhs.node else {
        panic!("{:?}", rhs.node)
    };
    assert_eq!(&text[expr.span.start..expr.span.end], "( b and c )");
    assert_eq!(
        &text[l.value.span.start..l.value.span.end],
        "a or not ( b and c )"
    );
}

#[test]
fn a_reserved_word_where_a_name_goes_says_it_is_reserved() {
    let says_reserved = |body: &str, word: &str| {
        let errs = parse_file(&format!("{HEADER}{body}")).unwrap_err();
        let help: Vec<String> = errs
            .iter()
            .filter_map(|e| e.help().map(|h| h.to_string()))
            .collect();
        let wanted = format!("`{word}` is a reserved word of the language and cannot be a name");
        assert!(
            help.iter().any(|h| h.contains(&wanted)),
            "{errs:?} {help:?}"
        );
    };
    says_reserved("record item\n  id: text\n", "item");
    // Where a name may come or not (`then no NAME judgement`), too.
    says_reserved("rule r \"p\"\n  then no none judgement\n", "none");
}

/// The words the grammar reserves (`keyword` in grammar/judgement.pest):
/// exactly these, and no word made from one by adding or dropping letters.
/// The grammar finds them by first letter, then the rest; this pins that
/// each is found whole and that a longer or shorter word is a name.
#[test]
fn the_reserved_words_are_exactly_these() {
    const RESERVED: &str = "absent action actions advise advisories advisory and as at bound by \
        calendar choice deadline default each edition empty error evidence example expect false \
        for force from given in is item judgement known least let likely list most no none not \
        note of or quote record reference rule ruleset scale set source test then threshold to \
        true undetermined unknown when with working";
    let reserved: Vec<&str> = RESERVED.split_whitespace().collect();
    assert_eq!(reserved.len(), 61);
    for &word in &reserved {
        assert!(judgement_syntax::is_keyword(word), "`{word}` is reserved");
        let mut near: Vec<String> = (1..word.len()).map(|n| word[..n].to_string()).collect();
        near.extend(["s", "e", "_", "1", "x", "ing"].map(|tail| format!("{word}{tail}")));
        near.push(format!("_{word}"));
        near.push(word[1..].to_string());
        for other in near {
            let expected = reserved.contains(&other.as_str());
            assert_eq!(
                judgement_syntax::is_keyword(&other),
                expected,
                "`{other}` (from `{word}`)"
            );
        }
    }
    // Words of the language that are not reserved, and names of the
    // handbooks that start like reserved words.
    for word in [
        "provisional",
        "finding",
        "findings",
        "count",
        "every",
        "some",
        "target",
        "met",
        "after",
        "before",
        "days",
        "overdue",
        "optional",
        "previous",
        "proposed",
        "home",
        "visit",
        "zone",
        "year",
        "previously",
        "inspection",
        "manager",
        "notifications",
        "requirements",
        "absence",
        "children",
        "concerns",
    ] {
        assert!(!judgement_syntax::is_keyword(word), "`{word}` is a name");
    }
}

/// `from rule R` ends an expected action, finding or deadline, after its
/// item and its words, and `fmt` writes it back where it was.
#[test]
fn an_expectation_may_name_the_rule_that_gives_it() {
    let source = format!(
        "{HEADER}test \"t\"\n  given a = true\n  expect action review by 2015-05-02 for item \"x\" from rule one\n  expect no action review from rule three\n  expect finding late for item \"x\" saying \"two\" from rule two\n  expect no finding late from rule one\n  expect deadline due from 2015-05-02 to 2015-05-09 target 2015-05-03 overdue for item \"x\" from rule one\n  expect no deadline due = 2015-05-02 for item \"x\" from rule one\n"
    );
    let file = parse_file(&source).unwrap_or_else(|e| panic!("{e:?}"));
    let Some(Item::Test(test)) = file.items.last() else {
        panic!("{file:?}");
    };
    let rules: Vec<Option<&str>> = test
        .expectations
        .iter()
        .map(|e| match &e.node {
            Expectation::Action { rule, .. }
            | Expectation::NoAction { rule, .. }
            | Expectation::Finding { rule, .. }
            | Expectation::NoFinding { rule, .. }
            | Expectation::Deadline { rule, .. }
            | Expectation::NoDeadline { rule, .. } => rule.as_ref().map(|r| r.node.as_str()),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(
        rules,
        [
            Some("one"),
            Some("three"),
            Some("two"),
            Some("one"),
            Some("one"),
            Some("one")
        ]
    );
    let Expectation::Finding { item, saying, .. } = &test.expectations[2].node else {
        panic!();
    };
    assert_eq!(item.as_ref().map(|i| i.node.as_str()), Some("x"));
    assert_eq!(saying.as_ref().map(|s| s.node.as_str()), Some("two"));
    let formatted = judgement_syntax::format_source(&source).unwrap();
    for line in source
        .lines()
        .filter(|l| l.trim_start().starts_with("expect"))
    {
        assert!(formatted.contains(line), "{line} not kept in:\n{formatted}");
    }
}

/// A header clause written twice is named by its keywords, all of them:
/// `in force`, not `in`.
#[test]
fn a_header_clause_written_twice_is_named_by_its_keywords() {
    let cases = [
        (
            "  in force from 2015-01-01\n  in force from 2016-01-01\n",
            "`in force`",
        ),
        ("  as at a\n  as at a\n", "`as at`"),
        (
            "  in force from 2015-01-01\n  in # a comment\n    force from 2016-01-01\n",
            "`in force`",
        ),
        ("  evaluated on a\n  evaluated on a\n", "`evaluated on`"),
        ("  edition \"1\"\n  edition \"2\"\n", "`edition`"),
    ];
    for (clauses, named) in cases {
        let source = format!("ruleset r \"R\"\n{clauses}evidence\n  a: date\n");
        let errors = judgement_syntax::parse_file(&source).unwrap_err();
        let messages: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(
            messages,
            [format!("the header clause {named} is written twice")],
            "{source}"
        );
    }
}

/// A clause written again and again is reported as often as the parser's
/// own errors at most (20), then once more to say there are more, at the
/// first left out: thousands of repeats are not thousands of reports.
#[test]
fn repeated_clauses_are_reported_twenty_times_at_most() {
    let repeats = "  when a > 0\n".repeat(30);
    let source = format!(
        "ruleset r \"R\"\n  in force from 2015-04-01\nevidence\n  a: number\nrule x \"p\"\n  when a > 0\n  then finding f\n{repeats}"
    );
    let errors = judgement_syntax::parse_file(&source).unwrap_err();
    assert_eq!(errors.len(), 21);
    assert!(errors[..20]
        .iter()
        .all(|e| e.to_string() == "`when` of the rule `x` is written twice"));
    let twenty_first = source.match_indices("  when a > 0\n").nth(21).unwrap().0 + 2;
    assert!(
        matches!(errors[20], SyntaxError::More { span } if span.start == twenty_first),
        "{:?}",
        errors[20]
    );
    // Twenty repeats are twenty reports, and no more.
    let source = source.replacen(&"  when a > 0\n".repeat(10), "", 1);
    let errors = judgement_syntax::parse_file(&source).unwrap_err();
    assert_eq!(errors.len(), 20);
}

/// Whitespace a rule file does not read as layout (a no-break space, a
/// form feed, ...) is named where it stands, not taken for the end of the
/// file.
#[test]
fn whitespace_that_is_not_layout_is_named() {
    for (c, named) in [
        ('\u{a0}', "a no-break space (U+00A0)"),
        ('\u{c}', "a form feed (U+000C)"),
        ('\u{2003}', "a space character (U+2003)"),
    ] {
        let source = format!("{HEADER}rule{c}x \"p\"\n  then finding f\n");
        let errors = parse_file(&source).unwrap_err();
        let SyntaxError::Unexpected { found, span, .. } = &errors[0] else {
            panic!("{errors:?}")
        };
        assert!(found.starts_with(named), "{found}");
        let at = source.find(c).unwrap();
        assert_eq!((span.start, span.end), (at, at + c.len_utf8()));
    }
}

/// The first error of `source`: its message, help and span.
fn first_said(source: &str) -> (String, String, usize, usize) {
    let (error, help) = first_error(source);
    let span = error.span();
    (
        error.to_string(),
        help.unwrap_or_default(),
        span.start,
        span.end,
    )
}

/// A letter of another script that looks like a Latin one (the Cyrillic
/// `а` of `cаre`), or a character that cannot be seen (a zero-width space,
/// a NUL), in a name: the error is that character, at its own line and
/// column, named with its code point, with the name it looks like where
/// the file writes that name elsewhere. It was `found \`аre\`` with no
/// name for the character, or, in a judgement's name, `found
/// \`judgement\``, at the declaration's first word.
#[test]
fn a_lookalike_or_invisible_character_in_a_name_is_named_where_it_stands() {
    let body = "evidence\n  care: bool\n  proposed.care: bool\n\njudgement care_grade: grade from proposed.care\n\nrule poor \"p\"\n  when care\n  then action review\n\nlet graded = care_grade is good\n";
    const A: &str = "`\u{430}` (U+0430 CYRILLIC SMALL LETTER A), which looks like the Latin `a`";
    // The text of `body` as the file writes it, as written instead, what
    // the error names and the name it suggests.
    for (plain, written, named, meant) in [
        // In a condition: the parse stops at the Cyrillic letter.
        ("when care", "when c\u{430}re", A, "care"),
        // In a declaration's name: pest gives up the whole declaration.
        (
            "judgement care_grade",
            "judgement c\u{430}re_grade",
            A,
            "care_grade",
        ),
        (
            "judgement care_grade",
            "judgement care_gr\u{430}de",
            A,
            "care_grade",
        ),
        // A Greek letter, in a field's path; a Cyrillic one first in a
        // field's declaration.
        (
            "from proposed.care",
            "from pr\u{3bf}posed.care",
            "`\u{3bf}` (U+03BF GREEK SMALL LETTER OMICRON), which looks like the Latin `o`",
            "proposed",
        ),
        (
            "  care: bool",
            "  \u{441}are: bool",
            "`\u{441}` (U+0441 CYRILLIC SMALL LETTER ES), which looks like the Latin `c`",
            "care",
        ),
        // What cannot be seen.
        (
            "judgement care_grade",
            "judgement c\u{0}are_grade",
            "a NUL character (U+0000), which cannot be seen",
            "care_grade",
        ),
        (
            "when care",
            "when c\u{200b}are",
            "a zero-width space (U+200B), which cannot be seen",
            "care",
        ),
        // A keyword: `whеn`, with a Cyrillic `е`.
        (
            "when care",
            "wh\u{435}n care",
            "`\u{435}` (U+0435 CYRILLIC SMALL LETTER IE), which looks like the Latin `e`",
            "when",
        ),
    ] {
        let body = body.replacen(plain, written, 1);
        let source = format!("{HEADER}scale grade: poor > good\n{body}");
        let (message, help, start, end) = first_said(&source);
        let c = written
            .chars()
            .find(|c| !c.is_ascii() || c.is_control())
            .unwrap();
        let at = source.find(c).unwrap();
        assert_eq!(
            (start, end),
            (at, at + c.len_utf8()),
            "{written}: {message}"
        );
        assert_eq!(
            message,
            format!("expected a name's character (an ASCII letter, a digit or `_`), found {named}"),
            "{written}"
        );
        assert!(
            help.starts_with(&format!(
                "did you mean `{meant}`? A name holds only ASCII letters"
            )),
            "{written}: {help}"
        );
    }
}

/// A name the file does not write, with a lookalike, is not guessed at,
/// but told what to write in the character's place; a letter that looks
/// like none (`é`) is named, told only what a name holds; a character
/// outside ASCII that is no letter, between two words, is named beside what
/// the parse wanted.
#[test]
fn a_stray_character_with_no_name_to_suggest_is_still_named() {
    let source = format!("{HEADER}rule x \"p\"\n  when n\u{43e}where\n  then action a\n");
    let (message, help, start, _) = first_said(&source);
    assert_eq!(start, source.find('\u{43e}').unwrap());
    assert!(
        message.ends_with(
            "found `\u{43e}` (U+043E CYRILLIC SMALL LETTER O), which looks like the Latin `o`"
        ),
        "{message}"
    );
    assert_eq!(help, "a name holds only ASCII letters (`a` to `z`, `A` to `Z`), digits and `_`: write the Latin `o` in its place");

    let source = format!("{HEADER}evidence\n  caf\u{e9}: bool\n");
    let (message, help, start, _) = first_said(&source);
    assert_eq!(start, source.find('\u{e9}').unwrap());
    assert!(
        message.ends_with("found `\u{e9}` (U+00E9), a letter outside ASCII"),
        "{message}"
    );
    assert_eq!(
        help,
        "a name holds only ASCII letters (`a` to `z`, `A` to `Z`), digits and `_`"
    );

    // (A sign for a comparison, `\u{2265}`, is named as the operator
    // written here: an_operator_of_another_language_is_named_whole_with_ours.)
    let source = format!(
        "{HEADER}evidence\n  a: number\nrule x \"p\"\n  when a \u{2192} 3\n  then action b\n"
    );
    let (message, _, start, end) = first_said(&source);
    let at = source.find('\u{2192}').unwrap();
    assert_eq!((start, end), (at, at + 3));
    assert!(message.starts_with("expected "), "{message}");
    assert!(
        message.ends_with("found `\u{2192}` (U+2192), a character outside ASCII"),
        "{message}"
    );

    // In a string or a comment, any character is the text's own.
    parse("# c\u{430}re\nrule x \"c\u{430}re \u{200b}\"\n  then action a\n");
}

/// A field's comment: the comment lines directly above it in its block,
/// then the one after it on its line, as two sentences; none where a blank
/// line, a declaration's first line or another field comes between, none
/// from above for a field that does not begin its line, and none from a
/// line indented otherwise than the field.
#[test]
fn a_field_keeps_the_comment_beside_and_above_it() {
    let file = parse(concat!(
        "# a section's comment, above the block: not a field's\n",
        "evidence\n",
        "  a: date  # the day it began; none: not begun\n",
        "  # Read by para 7.\n",
        "  #\n",
        "  # Absent: false.\n",
        "  b: bool default false  # the second\n",
        "  c: number\n",
        "  # only above, ended with a full stop.\n",
        "  d: text or none\n",
        "\n",
        "  # above a blank line: not d's, but e's\n",
        "  e: date or none  #\n",
        "record absence\n",
        "  # the first day\r\n",
        "  start: date  # it may say \"# not a comment\" here\r\n",
        "  # the last block's comment\n",
        "evidence f: date  g: date  # of g alone\n",
        "record stay\n",
        "# a part of the file, at the start of its line: not the indented field's\n",
        "  home: text\n",
        "record visit\n",
        "# where the block is not indented, its own\n",
        "day: date\n",
    ));
    let comments: Vec<Option<String>> = file
        .items
        .iter()
        .flat_map(|item| match item {
            Item::Evidence(e) => e.fields.clone(),
            Item::Record(r) => r.fields.clone(),
            _ => Vec::new(),
        })
        .map(|f| f.comment.0)
        .collect();
    let expected = [
        Some("the day it began; none: not begun"),
        Some("Read by para 7. Absent: false. The second"),
        None,
        Some("only above, ended with a full stop."),
        Some("above a blank line: not d's, but e's"),
        Some("the first day. It may say \"# not a comment\" here"),
        None,
        Some("of g alone"),
        None,
        Some("where the block is not indented, its own"),
    ];
    assert_eq!(
        comments,
        expected.map(|c| c.map(str::to_string)).to_vec(),
        "{file:#?}"
    );
}

#[test]
fn an_operator_of_another_language_is_named_whole_with_ours() {
    for (condition, run, ours) in [
        ("overall == good", "==", "="),
        ("overall === good", "===", "="),
        ("overall !== good", "!==", "!="),
        ("overall <> good", "<>", "!="),
        ("a && b", "&&", "and"),
        ("a || b", "||", "or"),
        ("!(a and b)", "!", "not"),
        ("!a", "!", "not"),
        ("days => 3", "=>", ">="),
        ("days =< 3", "=<", "<="),
        ("days ==3", "==", "="),
        // A sign pasted from a document, named as ours rather than only
        // as a character outside ASCII.
        ("days \u{2265} 3", "\u{2265}", ">="),
        ("days \u{2264}3", "\u{2264}", "<="),
        ("days \u{2260} 3", "\u{2260}", "!="),
    ] {
        let source = format!("{HEADER}rule r \"p\"\n  when {condition}\n  then action x\n");
        let (err, help) = first_error(&source);
        assert_eq!(
            err.to_string(),
            format!("expected `{ours}`, found `{run}`"),
            "{condition}"
        );
        let span = err.span();
        assert_eq!(&source[span.start..span.end], run, "{condition}");
        let help = help.unwrap_or_default();
        assert!(
            help.starts_with(&format!("did you mean `{ours}`? In a rule file ")),
            "{condition}: {help}"
        );
    }
    // In a test's evidence too.
    let (err, _) = first_error(&format!(
        "{HEADER}test \"t\"\n  given a == 1\n  expect no actions\n"
    ));
    assert_eq!(err.to_string(), "expected `=`, found `==`");
    // A run of operator characters that is no other language's operator is
    // not taken for one inside it (`>==` is not `==`), nor is one of ours
    // out of place.
    for (condition, found) in [("days >== 3", "="), ("a != != b", "!="), ("a = = b", "=")] {
        let (err, help) = first_error(&format!(
            "{HEADER}rule r \"p\"\n  when {condition}\n  then action x\n"
        ));
        let message = err.to_string();
        assert!(
            message.starts_with("expected `not`, `true` or `false`")
                && message.ends_with(&format!("found `{found}`")),
            "{condition}: {message}"
        );
        assert!(
            !help.unwrap_or_default().contains("In a rule file"),
            "{condition}"
        );
    }
}

#[test]
fn none_compared_in_a_condition_is_pointed_to_is_none() {
    for condition in ["a = none", "(a != none)"] {
        let (err, help) = first_error(&format!(
            "{HEADER}rule r \"p\"\n  when {condition}\n  then action x\n"
        ));
        assert!(err.to_string().contains("found `none"), "{err}");
        assert_eq!(
            help.as_deref(),
            Some("a value that is not there is tested with `X is none` or `X is set`, not compared with `=` or `!=`")
        );
    }
}

#[test]
fn what_another_language_writes_gets_what_this_one_does() {
    for (rule, found, help) in [
        (
            "rule r \"p\"\n  if a\n  then action x\n",
            "`if`",
            "did you mean `when`? A rule's condition starts with `when`",
        ),
        (
            "rule r \"p\"\n  when a;\n  then action x\n",
            "`;`",
            "a clause ends with its line: no `;` is written",
        ),
        (
            "rule r 'p'\n  when a\n  then action x\n",
            "`'p'`",
            "strings are written in double quotes `\"`",
        ),
        (
            "// a comment\nrule r \"p\"\n  then action x\n",
            "`//`",
            "a comment starts with `#` and runs to the end of its line",
        ),
        (
            "-- a comment\nrule r \"p\"\n  then action x\n",
            "`--`",
            "a comment starts with `#` and runs to the end of its line",
        ),
        (
            "rule r \"p\"\n  when a\n  then action x and action y\n",
            "`and`",
            "each effect is a line of its own, starting with `then`: `then action a`, and below it `then action b`",
        ),
    ] {
        let (err, given) = first_error(&format!("{HEADER}{rule}"));
        assert!(
            err.to_string().ends_with(&format!("found {found}")),
            "{rule}: {err}"
        );
        assert_eq!(given.as_deref(), Some(help), "{rule}");
    }
    // `and` after an effect on a line that is no `then` line (a quote
    // followed by more) is not taken for two effects joined.
    let (err, help) = first_error(&format!(
        "{HEADER}rule r \"p\"\n  quote \"x\" and \"y\"\n  then action x\n"
    ));
    assert!(!err.to_string().contains("one effect"), "{err}");
    assert!(!help.unwrap_or_default().contains("line of its own"));
}

#[test]
fn a_condition_written_in_english_is_named_whole_with_what_to_write() {
    const ORDER: &str = "Values are compared with `<`, `<=`, `>` and `>=`: on a scale better is greater, and of two dates the later; `is at most V` and `is at least V` take V too";
    for (condition, found, help) in [
        (
            "lm is one of inadequate, requires_improvement",
            "`is one of`",
            "each value is tested on its own, joined with `or`: `lm is inadequate or lm is requires_improvement`".to_string(),
        ),
        (
            "lm is either good or outstanding",
            "`is either`",
            "each value is tested on its own, joined with `or`: `lm is good or lm is outstanding`".to_string(),
        ),
        (
            "lm in (good, outstanding)",
            "`in`",
            "each value is tested on its own, joined with `or`: `lm is good or lm is outstanding`".to_string(),
        ),
        (
            "proposed.overall is not in [good,outstanding]",
            "`is not in`",
            "each value is tested on its own, joined with `and`: `proposed.overall is not good and proposed.overall is not outstanding`".to_string(),
        ),
        (
            "lm not in (good)",
            "`not in`",
            "each value is tested on its own, joined with `and`: `lm is not a and lm is not b`".to_string(),
        ),
        ("lm is below good", "`is below`", format!("did you mean `<`? {ORDER}")),
        ("lm is worse than good", "`is worse than`", format!("did you mean `<`? {ORDER}")),
        ("lm is not better than good", "`is not better than`", format!("did you mean `<=`? {ORDER}")),
        ("count a in absences is more than 2", "`is more than`", format!("did you mean `>`? {ORDER}")),
        ("start is not before 2020-01-01", "`is not before`", format!("did you mean `>=`? {ORDER}")),
        (
            "start is between 2020-01-01 and 2021-01-01",
            "`is between`",
            "compare it with each end: `start >= 2020-01-01 and start <= 2021-01-01`".to_string(),
        ),
    ] {
        let rule = format!("rule r \"p\"\n  when {condition}\n  then action x\n");
        let (err, given) = first_error(&format!("{HEADER}{rule}"));
        assert_eq!(
            err.to_string(),
            format!("expected a comparison (`<`, `<=`, `>`, `>=`) or a test (`is V`, `is at most V`, `is at least V`), found {found}"),
            "{condition}"
        );
        let at = rule.find(&found[1..found.len() - 1]).unwrap();
        assert_eq!(err.span().start, HEADER.len() + at, "{condition}");
        assert_eq!(given.as_deref(), Some(help.as_str()), "{condition}");
    }
    // The values listed end at the list's bracket, or where the clause
    // after it starts: on a rule written on one line, `then action x` is no
    // value (the help said `lm is then or lm is action or lm is x`).
    for rule in [
        "rule r \"p\" when lm in (good, outstanding) then action x\n",
        "rule r \"p\" when lm in (good, outstanding) and y then action x\n",
        "rule r \"p\" when lm is one of good, outstanding then action x\n",
    ] {
        let (_, given) = first_error(&format!("{HEADER}{rule}"));
        assert_eq!(
            given.as_deref(),
            Some("each value is tested on its own, joined with `or`: `lm is good or lm is outstanding`"),
            "{rule}"
        );
    }
    // What follows a test the grammar reads is not taken for English.
    for condition in [
        "lm is good foo",
        "lm is wonderful good",
        "lm is below and x < y z",
    ] {
        let rule = format!("rule r \"p\"\n  when {condition}\n  then action x\n");
        let (err, _) = first_error(&format!("{HEADER}{rule}"));
        assert!(
            !err.to_string().contains("a comparison ("),
            "{condition}: {err}"
        );
    }
}

#[test]
fn what_a_program_or_english_writes_in_an_effect_a_duration_or_a_name_gets_what_this_one_does() {
    const SCALE: &str = "scale grade: good > requires_improvement > inadequate\n";
    for (body, found, help) in [
        (
            "rule r \"p\"\n  when a\n  then lm is inadequate\n",
            "`is`",
            "did you mean `=`? An effect gives a judgement its value with `=` (`then lm = inadequate`), or bounds it with `at most` or `at least`",
        ),
        (
            "rule r \"p\"\n  when a\n  then lm := inadequate\n",
            "`:=`",
            "did you mean `=`? In a rule file a value is given with `=`: `then lm = inadequate`, `given x = 3`",
        ),
        (
            "rule r \"p\"\n  when a\n  then set lm = inadequate\n",
            "`set`",
            "an effect starts with what it gives: `then overall = inadequate`, `then action A`",
        ),
        (
            "rule r \"p\"\n  when a\n  then deadline d = start + 10 business days\n",
            "`business`",
            "did you mean `working`? Working days, the days other than weekends and bank holidays, are written `10 working days` and counted on the ruleset's calendar",
        ),
        (
            "rule r \"p\"\n  when a\n  then deadline d = start + 10 weekdays\n",
            "`weekdays`",
            "days other than weekends and bank holidays are written `working days` (`10 working days`), counted on the ruleset's calendar",
        ),
        (
            "rule r \"p\"\n  when days between start and end > 5 days\n  then action x\n",
            "`between`",
            "a span of dates is written with `from` and `to`: `days from A to B` counts both ends; `B - A` is the number of days from A to B",
        ),
        (
            "rule r \"p\"\n  when a\n  then action \"Notify Ofsted\"\n",
            "`\"Notify Ofsted\"`",
            "did you mean `notify_ofsted`? The name of an action is written without quotes",
        ),
        (
            "rule r \"p\"\n  when a\n  then finding \"late report\"\n",
            "`\"late report\"`",
            "did you mean `late_report`? The name of a finding is written without quotes",
        ),
        (
            "rule r \"p\"\n  when lm is requires improvement\n  then action x\n",
            "`requires improvement`",
            "did you mean `requires_improvement`? A name's words are joined with `_`",
        ),
        (
            "rule r \"p\"\n  when a\n  then lm at most requires improvement\n",
            "`requires improvement`",
            "did you mean `requires_improvement`? A name's words are joined with `_`",
        ),
        (
            "test \"t\"\n  given a = true\n  expect overall is good\n",
            "`good`",
            "a test expects a judgement's value with `=` (`expect overall = good`); after `is` comes `provisional` or `not provisional`",
        ),
    ] {
        let (err, given) = first_error(&format!("{HEADER}{SCALE}{body}"));
        assert!(
            err.to_string().ends_with(&format!("found {found}")),
            "{body}: {err}"
        );
        assert_eq!(given.as_deref(), Some(help), "{body}");
    }
    // Two words are joined only into a name the file writes.
    let (err, help) = first_error(&format!(
        "{HEADER}{SCALE}rule r \"p\"\n  when lm is very good\n  then action x\n"
    ));
    assert!(err.to_string().ends_with("found `good`"), "{err}");
    assert!(!help.unwrap_or_default().contains("very_good"));
}

#[test]
fn a_date_written_with_slashes_or_in_single_quotes_is_told_how_to_write_it() {
    for (operand, found, help) in [
        (
            "2020/1/5",
            "found `2020/1/5`",
            "did you mean `2020-01-05`? A date is written YYYY-MM-DD",
        ),
        (
            "2016/02/30",
            "found `2016/02/30`",
            "dates are written YYYY-MM-DD and must exist",
        ),
        (
            "05/01/2020",
            "found `05/01/2020`",
            "dates are written year first, YYYY-MM-DD: `2020-01-05` is 5 January 2020",
        ),
        (
            "'2020-01-05'",
            "found `'2020-01-05'`",
            "did you mean `2020-01-05`? A date is written without quotes",
        ),
    ] {
        let source = format!("{HEADER}rule r \"p\"\n  when start > {operand}\n  then action x\n");
        let (err, given) = first_error(&source);
        assert!(err.to_string().ends_with(found), "{operand}: {err}");
        assert_eq!(given.as_deref(), Some(help), "{operand}");
        // The whole of what is written is underlined, for the quick fix.
        let at = source.find(operand).unwrap();
        assert_eq!(
            (err.span().start, err.span().end),
            (at, at + operand.len()),
            "{operand}"
        );
    }
    // In a test's evidence too; a single-quoted date followed by a comma
    // is not offered as the text to write in place of both.
    let (err, given) = first_error(&format!(
        "{HEADER}test \"t\"\n  given start = '2020-01-05', a = true\n  expect action x\n"
    ));
    assert!(err.to_string().ends_with("found `'2020-01-05',`"), "{err}");
    assert_eq!(
        given.as_deref(),
        Some("a date is written without quotes: `2020-01-05`")
    );
    // Numbers divided are no date (the grammar has no division).
    let (_, given) = first_error(&format!(
        "{HEADER}rule r \"p\"\n  when n > 1/2/3\n  then action x\n"
    ));
    assert_eq!(given, None);
}

#[test]
fn a_test_line_that_joins_two_things_is_told_to_take_them_apart() {
    // Two expectations joined with `and`.
    let (err, given) = first_error(&format!(
        "{HEADER}test \"t\"\n  given a = true\n  expect overall = good and lm = good\n"
    ));
    assert_eq!(
        err.to_string(),
        "expected the end of the expectation (one expectation an `expect` line), found `and`"
    );
    assert_eq!(
        given.as_deref(),
        Some("each expectation is a line of its own, starting with `expect`: `expect overall = good`, and below it `expect lm = good`")
    );
    // Two assignments without the comma between them, on one line or over
    // the lines of a `with` or an example.
    for source in [
        "test \"t\"\n  given a = true b.c = 2\n  expect action x\n",
        "test \"t\"\n  given base with\n    a = true\n    b.c = 2\n  expect action x\n",
        "example base\n  a = true\n  b.c = 2\n",
    ] {
        let (err, given) = first_error(&format!("{HEADER}{source}"));
        assert_eq!(
            err.to_string(),
            "expected `,` between two assignments, found `b.c`",
            "{source}"
        );
        assert_eq!(
            given.as_deref(),
            Some("assignments are separated by commas: `..., b.c = ...`"),
            "{source}"
        );
    }
    // Not where the comma is there, nor outside a test's evidence.
    for source in [
        "test \"t\"\n  given a = true,\n    = 2\n  expect action x\n",
        "rule r \"p\"\n  when a\n  then x y = 2\n",
    ] {
        let (err, _) = first_error(&format!("{HEADER}{source}"));
        assert!(!err.to_string().contains("assignments"), "{source}: {err}");
    }
}

#[test]
fn a_rule_clause_written_as_english_or_a_form_says_it_gets_what_this_one_writes() {
    for (lines, found, help) in [
        (
            "  then advise \"x\"\n",
            "`advise`",
            "`advise` begins a clause of its own, without `then`: `advise \"...\"`",
        ),
        (
            "  then likely overall = inadequate\n",
            "`likely`",
            "`likely` begins a clause of its own, without `then`: `likely overall = inadequate`",
        ),
        (
            "  warning \"x\"\n",
            "`warning`",
            "did you mean `advise`? An advisory is a clause of its own: `advise \"...\"`",
        ),
        (
            "  then overall = inadequate because \"x\"\n",
            "`because`",
            "a rule's reasons are written in a `note` line of its own: `note \"...\"`",
        ),
        (
            "  then deadline d = 10 working days after start\n",
            "`after`",
            "a date some days after another is written with `+`: `inspection.start + 10 working days` (before it, with `-`)",
        ),
        (
            "  then overall must be inadequate\n",
            "`must`",
            "a judgement is given its value with `=` (`then overall = inadequate`), or bounded with `at most` or `at least`",
        ),
        (
            "  then overall will be inadequate\n",
            "`will`",
            "a judgement is given its value with `=` (`then overall = inadequate`), or bounded with `at most` or `at least`",
        ),
    ] {
        let (err, given) = first_error(&format!("{HEADER}rule r \"p\"\n  when a\n{lines}"));
        assert!(
            err.to_string().ends_with(&format!("found {found}")),
            "{lines}: {err}"
        );
        assert_eq!(given.as_deref(), Some(help), "{lines}");
    }
}

#[test]
fn a_scale_written_worst_first_is_shown_best_first() {
    let source = format!(
        "{HEADER}scale grade: inadequate < requires_improvement < good < outstanding  # worst first\n"
    );
    let (err, help) = first_error(&source);
    assert_eq!(err.to_string(), "expected `>`, found `<`");
    let at = source.find('<').unwrap();
    assert_eq!((err.span().start, err.span().end), (at, at + 1));
    assert_eq!(
        help.as_deref(),
        Some("a scale lists its values best first, each better than the next: `scale grade: outstanding > good > requires_improvement > inadequate`")
    );
    // Not where the values are not all plain names.
    let (_, help) = first_error(&format!("{HEADER}scale grade: a < b c\n"));
    assert!(!help.unwrap_or_default().contains("best first"));
}

#[test]
fn a_bound_or_a_test_written_otherwise_is_told_what_to_write() {
    let rule = |body: &str| format!("{HEADER}rule r \"p\"\n  {body}\n");
    // `between` without `is`: each end compared, as `is between` is told.
    let (err, help) = first_error(&rule("when n between 1 and 3\n  then action a"));
    assert!(err.to_string().ends_with("found `between`"), "{err}");
    assert_eq!(
        help.as_deref(),
        Some("compare it with each end: `n >= 1 and n <= 3`")
    );
    // A judgement bounded with an operator, or with `is` before the words.
    let (err, help) = first_error(&rule("when n > 3\n  then overall <= requires_improvement"));
    assert_eq!(
        err.to_string(),
        "expected `=`, `at most` or `at least`, found `<=`"
    );
    assert!(
        help.unwrap_or_default()
            .starts_with("did you mean `at most`?"),
        "{err}"
    );
    let (_, help) = first_error(&rule("when n > 3\n  then overall >= good"));
    assert!(help
        .unwrap_or_default()
        .starts_with("did you mean `at least`?"));
    let source = rule("when n > 3\n  then overall is at most requires_improvement");
    let (err, help) = first_error(&source);
    assert_eq!(
        err.to_string(),
        "expected `=`, `at most` or `at least`, found `is at most`"
    );
    assert_eq!(&source[err.span().start..err.span().end], "is at most");
    assert_eq!(
        help.as_deref(),
        Some("an effect bounds a judgement with `at most` alone, without `is`: `then overall at most requires_improvement`")
    );
    // `then overall is good` is still told to write `=`.
    let (_, help) = first_error(&rule("when n > 3\n  then overall is good"));
    assert!(help.unwrap_or_default().starts_with("did you mean `=`?"));
    // A field that is true or false tested with `is true`.
    let (err, help) = first_error(&rule("when ok is true\n  then action a"));
    assert!(err.to_string().ends_with("found `true`"), "{err}");
    assert_eq!(
        help.as_deref(),
        Some("a value that is true or false is a condition by itself: `when X` for `X is true`, `when not X` for `X is false`")
    );
}
