//! Properties of the formatter over generated rule files.
//!
//! The strategy below writes valid rule files from the grammar's building
//! blocks (`grammar/judgement.pest`, docs/language.md): a header with its
//! clauses in any order, scales, choices, records, evidence fields of every
//! type and kind of absence, thresholds, lets and conditions nested from
//! `and`, `or`, `not`, brackets, comparisons, `is` tests, date arithmetic,
//! calendar terms, quantifiers and aggregates, judgements, rules with their
//! clauses in any order and every kind of effect, `invalid` checks, examples
//! and tests; sometimes a definitions file with `needs`. Each file is laid
//! out one clause a line, then decorated: comments at the ends of lines and
//! on lines of their own, lines broken between any two tokens, and lines
//! joined. For every such file:
//!
//! - it parses (the generator is right), and the decorations do not change
//!   its AST;
//! - `format_source` succeeds, and the formatted text parses to the same AST
//!   (the AST's equality ignores spans);
//! - formatting the formatted text changes nothing;
//! - every comment is kept, as a multiset of texts.

#![allow(
    clippy::panic,
    clippy::unwrap_used,
    clippy::indexing_slicing,
    reason = "a test fails by panicking"
)]

mod common;

use chrono::NaiveDate;
use common::comments;
use judgement_syntax::{format_source, parse_file};
use proptest::prelude::*;
use proptest::sample::{select, Index};
use proptest::test_runner::Config;

/// Cases per property. Each case parses and formats a file of up to a few
/// dozen declarations; in a debug build on two cores the four properties
/// together take about three seconds. A failure shrinks for at most 4096
/// steps, and nothing is written to disk (no regression files: a case that
/// fails becomes a named test in format.rs or parse.rs).
const CASES: u32 = 256;

fn config() -> Config {
    Config {
        cases: CASES,
        max_shrink_iters: 4096,
        failure_persistence: None,
        ..Config::default()
    }
}

// ---------------------------------------------------------------- tokens

/// One token of the generated text. `glued`: no space before it (after `(`,
/// before `)`, `,` and `:`, after a minus sign).
#[derive(Clone, Debug)]
struct Tok {
    text: String,
    glued: bool,
}

fn tok(text: impl Into<String>) -> Tok {
    Tok {
        text: text.into(),
        glued: false,
    }
}

fn glued(text: impl Into<String>) -> Tok {
    Tok {
        text: text.into(),
        glued: true,
    }
}

fn words(text: &str) -> Vec<Tok> {
    text.split(' ').map(tok).collect()
}

/// One clause on its own line, at an indent.
#[derive(Clone, Debug)]
struct Line {
    indent: usize,
    toks: Vec<Tok>,
}

fn line(indent: usize, toks: Vec<Tok>) -> Line {
    Line { indent, toks }
}

/// A declaration: its lines. A file is its header and its declarations.
type Decl = Vec<Line>;

// ---------------------------------------------------------------- names and literals

/// The grammar's reserved words (`keyword` in grammar/judgement.pest).
const RESERVED: &str = "absent action actions advise advisories advisory and as at bound by \
    calendar choice deadline default each edition empty error evidence example expect false for \
    force from given in is item judgement known least let likely list most no none not note of \
    or quote record reference rule ruleset scale set source test then threshold to true \
    undetermined unknown when with working";

fn reserved() -> Vec<&'static str> {
    RESERVED.split_whitespace().collect()
}

/// A name: from the handbooks, one of the unreserved words that lead a
/// construct (`count`, `total`, `finding`, ...), or any other word.
fn ident() -> BoxedStrategy<String> {
    prop_oneof![
        3 => select(vec![
            "overall", "safety", "leaders_and_managers", "vacancy", "report_due", "long_vacancy",
            "inadequate_return_visit", "x", "_tmp", "r2d2",
        ])
        .prop_map(String::from),
        1 => select(vec![
            "count", "total", "finding", "target", "every", "some", "days", "run", "date",
            "start", "next", "invalid", "needs", "uses", "definitions", "overdue", "within",
        ])
        .prop_map(String::from),
        1 => "[a-z_][a-z0-9_]{0,7}".prop_filter("a reserved word", |w| !reserved().contains(&w.as_str())),
    ]
    .boxed()
}

/// A dotted path whose first part is not reserved (later parts may be).
fn path() -> BoxedStrategy<String> {
    prop_oneof![
        4 => select(vec![
            "inspection.start", "inspection.end", "manager.vacant_since", "proposed.overall",
            "previous.overall", "home.secure", "home.children_placed", "visit.date",
            "review.date", "count.sampled", "notice.served", "inspection.from", "days.to",
        ])
        .prop_map(String::from),
        1 => (ident(), prop::collection::vec(
            prop_oneof![ident(), select(reserved()).prop_map(String::from)], 0..3))
            .prop_map(|(first, rest)| {
                let mut parts = vec![first];
                parts.extend(rest);
                parts.join(".")
            }),
    ]
    .boxed()
}

const SCALE_VALUES: &[&str] = &[
    "outstanding",
    "good",
    "requires_improvement",
    "inadequate",
    "improved_effectiveness",
    "declined",
];

fn scale_value() -> BoxedStrategy<String> {
    select(SCALE_VALUES.to_vec()).prop_map(String::from).boxed()
}

/// The text of a string literal, with escapes, `#` and braces in it.
fn string() -> BoxedStrategy<String> {
    let piece = select(vec![
        "para 1",
        "Annex N para 19",
        "it's",
        " ",
        "\"",
        "\\",
        "\n",
        "# not a comment",
        "{notice.id}",
        "{{",
        "é",
        "",
        "100194",
    ]);
    prop::collection::vec(piece, 0..4)
        .prop_map(|pieces| {
            let raw: String = pieces.concat();
            let mut out = String::from("\"");
            for c in raw.chars() {
                match c {
                    '"' => out.push_str("\\\""),
                    '\\' => out.push_str("\\\\"),
                    '\n' => out.push_str("\\n"),
                    other => out.push(other),
                }
            }
            out.push('"');
            out
        })
        .boxed()
}

fn date() -> BoxedStrategy<String> {
    (2012i32..=2027, 1u32..=366)
        .prop_filter_map("a day of the year", |(y, d)| {
            NaiveDate::from_yo_opt(y, d).map(|d| d.to_string())
        })
        .boxed()
}

fn clock() -> BoxedStrategy<String> {
    (0u32..24, 0u32..60, prop::option::of(0u32..60))
        .prop_map(|(h, m, s)| match s {
            Some(s) => format!("{h:02}:{m:02}:{s:02}"),
            None => format!("{h:02}:{m:02}"),
        })
        .boxed()
}

fn datetime() -> BoxedStrategy<String> {
    (date(), clock())
        .prop_map(|(d, t)| format!("{d}T{t}"))
        .boxed()
}

fn number() -> BoxedStrategy<String> {
    prop_oneof![0i64..30, 0i64..=1_000_000_000]
        .prop_map(|n| n.to_string())
        .boxed()
}

/// `26 weeks`, `1 working day`, `2 day` (singular and plural are the same).
fn duration_of(units: Vec<&'static str>) -> BoxedStrategy<Vec<Tok>> {
    (0i64..400, select(units))
        .prop_map(|(n, unit)| {
            let mut toks = vec![tok(n.to_string())];
            toks.extend(words(unit));
            toks
        })
        .boxed()
}

fn duration() -> BoxedStrategy<Vec<Tok>> {
    duration_of(vec![
        "day",
        "days",
        "week",
        "weeks",
        "month",
        "months",
        "year",
        "years",
        "working day",
        "working days",
    ])
}

fn days_duration() -> BoxedStrategy<Vec<Tok>> {
    duration_of(vec!["day", "days", "week", "weeks"])
}

// ---------------------------------------------------------------- expressions

/// An expression, printed with the brackets its shape needs (and those a
/// `Paren` adds) by the parser's precedence table.
#[derive(Clone, Debug)]
enum G {
    /// A path or literal (one or more tokens: `26 weeks`).
    Atom(Vec<Tok>),
    Paren(Box<G>),
    Not(Box<G>),
    Neg(Box<G>),
    Bin(&'static str, Box<G>, Box<G>),
    /// `X is ...`: the words after `is`.
    Is(Box<G>, String),
    /// Words and single terms: `day after D`, `days from A to B`.
    Form(Vec<Part>),
    /// A quantifier or an aggregate with `where`: its last part runs to the
    /// end of the expression.
    Open(Vec<Part>, Box<G>),
}

#[derive(Clone, Debug)]
enum Part {
    Words(String),
    /// One operand (a term): bracketed unless a path, literal or form.
    Term(G),
    /// A whole expression between keywords (`earliest E for`).
    Whole(G),
}

fn atom(text: impl Into<String>) -> G {
    G::Atom(vec![tok(text)])
}

fn bin(op: &'static str, a: G, b: G) -> G {
    G::Bin(op, Box::new(a), Box::new(b))
}

fn precedence(g: &G) -> u8 {
    match g {
        G::Bin("or", ..) => 1,
        G::Bin("and", ..) => 2,
        G::Not(_) => 3,
        G::Bin("+" | "-", ..) => 6,
        G::Bin(..) => 4,
        G::Is(..) => 5,
        G::Neg(_) => 7,
        G::Atom(_) | G::Paren(_) | G::Form(_) => 8,
        G::Open(..) => 0,
    }
}

fn bracketed(mut inner: Vec<Tok>) -> Vec<Tok> {
    if let Some(first) = inner.first_mut() {
        first.glued = true;
    }
    let mut out = vec![tok("(")];
    out.extend(inner);
    out.push(glued(")"));
    out
}

/// The tokens of `g` where its operator must bind at least as tightly as
/// `need` (the same scale as `precedence`).
fn render(g: &G, need: u8) -> Vec<Tok> {
    let own = precedence(g);
    let toks = match g {
        G::Atom(t) => t.clone(),
        G::Paren(inner) => bracketed(render(inner, 0)),
        G::Not(inner) => {
            let mut out = vec![tok("not")];
            out.extend(render(inner, own));
            out
        }
        G::Neg(inner) => {
            let mut out = vec![tok("-")];
            let mut operand = render(inner, own);
            if let Some(first) = operand.first_mut() {
                first.glued = true;
            }
            out.extend(operand);
            out
        }
        G::Bin(op, a, b) => {
            let mut out = render(a, own);
            out.push(tok(*op));
            out.extend(render(b, own + 1));
            out
        }
        G::Is(inner, test) => {
            let mut out = render(inner, own);
            out.push(tok("is"));
            out.extend(words(test));
            out
        }
        G::Form(parts) => render_parts(parts),
        G::Open(parts, last) => {
            let mut out = render_parts(parts);
            out.extend(render(last, 0));
            out
        }
    };
    if own < need {
        bracketed(toks)
    } else {
        toks
    }
}

fn render_parts(parts: &[Part]) -> Vec<Tok> {
    let mut out = Vec::new();
    for p in parts {
        match p {
            Part::Words(w) => out.extend(words(w)),
            Part::Term(g) => out.extend(render(g, 8)),
            Part::Whole(g) => out.extend(render(g, 0)),
        }
    }
    out
}

fn date_leaf() -> BoxedStrategy<G> {
    prop_oneof![
        3 => select(vec!["inspection.start", "inspection.end", "manager.vacant_since", "visit.date", "review.date", "report_due"])
            .prop_map(atom),
        1 => path().prop_map(atom),
        2 => date().prop_map(atom),
    ]
    .boxed()
}

/// A date: a field, a literal, a duration added or taken away, a calendar
/// term, `date of` a date-time.
fn date_expr() -> BoxedStrategy<G> {
    date_leaf()
        .prop_recursive(3, 8, 2, |inner| {
            prop_oneof![
                (inner.clone(), select(vec!["+", "-"]), duration()).prop_map(|(d, op, dur)| bin(
                    op,
                    d,
                    G::Atom(dur)
                )),
                (
                    select(vec![
                        "day after",
                        "day before",
                        "next working day after",
                        "start of month",
                        "end of month",
                    ]),
                    inner.clone()
                )
                    .prop_map(|(op, d)| G::Form(vec![Part::Words(op.into()), Part::Term(d)])),
                inner.prop_map(|d| G::Paren(Box::new(d))),
                prop_oneof![path().prop_map(atom), datetime().prop_map(atom)]
                    .prop_map(|dt| G::Form(vec![Part::Words("date of".into()), Part::Term(dt)])),
            ]
        })
        .boxed()
}

/// A number of days: dates taken apart, a duration, a span, a sum.
fn days_expr() -> BoxedStrategy<G> {
    let leaf = prop_oneof![
        3 => (date_expr(), date_expr()).prop_map(|(a, b)| bin("-", a, b)),
        2 => days_duration().prop_map(G::Atom),
        1 => (date_expr(), date_expr()).prop_map(|(a, b)| G::Form(vec![
            Part::Words("days from".into()), Part::Term(a), Part::Words("to".into()), Part::Term(b),
        ])),
        1 => (select(vec!["total days", "longest run"]), prop::option::of(bool_leaf("s"))).prop_map(|(kind, filter)| {
            let parts = vec![
                Part::Words(format!("{kind} from")),
                Part::Term(atom("s.start")),
                Part::Words("to".into()),
                Part::Term(atom("s.end")),
                Part::Words("for s in child.stays".into()),
            ];
            aggregate(parts, filter)
        }),
        1 => (days_duration(), prop::option::of(bool_leaf("s"))).prop_map(|(window, filter)| {
            let mut parts = vec![Part::Words("most days within".into())];
            parts.push(Part::Words(window.iter().map(|t| t.text.clone()).collect::<Vec<_>>().join(" ")));
            parts.extend([
                Part::Words("from".into()),
                Part::Term(atom("s.start")),
                Part::Words("to".into()),
                Part::Term(atom("s.end")),
                Part::Words("for s in child.stays".into()),
            ]);
            aggregate(parts, filter)
        }),
    ];
    leaf.prop_recursive(2, 6, 2, |inner| {
        prop_oneof![
            (inner.clone(), select(vec!["+", "-"]), inner.clone())
                .prop_map(|(a, op, b)| bin(op, a, b)),
            inner.clone().prop_map(|d| G::Neg(Box::new(d))),
            inner.prop_map(|d| G::Paren(Box::new(d))),
        ]
    })
    .boxed()
}

/// `count ...`, `earliest ...`: open-ended when it has a `where` filter.
fn aggregate(parts: Vec<Part>, filter: Option<G>) -> G {
    match filter {
        Some(f) => {
            let mut parts = parts;
            parts.push(Part::Words("where".into()));
            G::Open(parts, Box::new(f))
        }
        None => G::Form(parts),
    }
}

fn number_expr() -> BoxedStrategy<G> {
    let leaf = prop_oneof![
        2 => select(vec!["home.children_placed", "count.sampled", "total"]).prop_map(atom),
        2 => number().prop_map(atom),
        1 => prop::option::of(bool_leaf("r")).prop_map(|filter| {
            aggregate(vec![Part::Words("count r in requirements".into())], filter)
        }),
    ];
    leaf.prop_recursive(2, 6, 2, |inner| {
        prop_oneof![
            (inner.clone(), select(vec!["+", "-"]), inner.clone())
                .prop_map(|(a, op, b)| bin(op, a, b)),
            inner.clone().prop_map(|n| G::Neg(Box::new(n))),
            inner.prop_map(|n| G::Paren(Box::new(n))),
        ]
    })
    .boxed()
}

/// A condition on one element `var` of a list: the body of a quantifier or a
/// `where` filter.
fn bool_leaf(var: &'static str) -> BoxedStrategy<G> {
    prop_oneof![
        Just(atom(format!("{var}.met"))),
        Just(G::Not(Box::new(atom(format!("{var}.met"))))),
        Just(G::Is(Box::new(atom(format!("{var}.met"))), "known".into())),
        date().prop_map(move |d| bin(">=", atom(format!("{var}.start")), atom(d))),
        Just(bin(
            "and",
            atom(format!("{var}.met")),
            atom("home.secure".to_string())
        )),
    ]
    .boxed()
}

fn comparison() -> BoxedStrategy<&'static str> {
    select(vec!["=", "!=", "<", "<=", ">", ">="]).boxed()
}

/// The tests after `is`, each possibly negated.
fn is_test() -> BoxedStrategy<String> {
    (
        any::<bool>(),
        prop_oneof![
            select(vec!["set", "none", "known", "unknown", "empty"]).prop_map(String::from),
            scale_value(),
            scale_value().prop_map(|v| format!("at most {v}")),
            scale_value().prop_map(|v| format!("at least {v}")),
        ],
    )
        .prop_map(|(not, test)| if not { format!("not {test}") } else { test })
        .boxed()
}

/// A condition: fields, comparisons of dates, days, numbers and scale
/// values, `is` tests, quantifiers, nested with `and`, `or`, `not` and
/// brackets.
fn bool_expr() -> BoxedStrategy<G> {
    let leaf = prop_oneof![
        3 => path().prop_map(atom),
        1 => any::<bool>().prop_map(|b| atom(b.to_string())),
        2 => (date_expr(), comparison(), date_expr()).prop_map(|(a, op, b)| bin(op, a, b)),
        2 => (days_expr(), comparison(), days_duration()).prop_map(|(a, op, b)| bin(op, a, G::Atom(b))),
        1 => (number_expr(), comparison(), number_expr()).prop_map(|(a, op, b)| bin(op, a, b)),
        2 => (path(), comparison(), scale_value()).prop_map(|(a, op, b)| bin(op, atom(a), atom(b))),
        2 => (prop_oneof![path().prop_map(atom), date_expr(), number_expr()], is_test())
            .prop_map(|(a, t)| G::Is(Box::new(a), t)),
        1 => (
            select(vec!["every", "some", "no"]),
            prop_oneof![
                Just(atom("requirements")),
                Just(G::Paren(Box::new(atom("notices")))),
            ],
            bool_leaf("r"),
        )
            .prop_map(|(q, list, cond)| {
                G::Open(
                    vec![Part::Words(format!("{q} r in")), Part::Term(list), Part::Words("satisfies".into())],
                    Box::new(cond),
                )
            }),
        1 => (select(vec!["time of"]), path(), clock()).prop_map(|(op, dt, t)| {
            bin(">", G::Form(vec![Part::Words(op.into()), Part::Term(atom(dt))]), atom(t))
        }),
        1 => (select(vec!["earliest", "latest"]), prop::option::of(bool_leaf("v")), comparison(), date())
            .prop_map(|(kind, filter, op, d)| {
                let agg = aggregate(
                    vec![
                        Part::Words(kind.into()),
                        Part::Whole(atom("v.date")),
                        Part::Words("for v in visits".into()),
                    ],
                    filter,
                );
                bin(op, agg, atom(d))
            }),
    ];
    leaf.prop_recursive(4, 24, 3, |inner| {
        prop_oneof![
            3 => (inner.clone(), select(vec!["and", "or"]), inner.clone())
                .prop_map(|(a, op, b)| bin(op, a, b)),
            1 => inner.clone().prop_map(|b| G::Not(Box::new(b))),
            1 => inner.clone().prop_map(|b| G::Paren(Box::new(b))),
            1 => (inner, select(vec!["=", "!="]), any::<bool>())
                .prop_map(|(a, op, b)| bin(op, a, atom(b.to_string()))),
        ]
    })
    .boxed()
}

/// Any expression a `let` may name.
fn any_expr() -> BoxedStrategy<G> {
    prop_oneof![
        3 => bool_expr(),
        1 => date_expr(),
        1 => days_expr(),
        1 => number_expr(),
        1 => string().prop_map(atom),
    ]
    .boxed()
}

// ---------------------------------------------------------------- declarations

fn field() -> BoxedStrategy<Line> {
    let named = prop_oneof![
        select(vec![
            "bool",
            "number",
            "text",
            "date",
            "datetime",
            "time",
            "days",
            "grade",
            "inspection_kind",
        ])
        .prop_map(String::from),
        ident(),
    ];
    let list = prop_oneof![
        ident(),
        select(vec!["date", "number"]).prop_map(String::from)
    ];
    let default_literal = prop_oneof![
        any::<bool>().prop_map(|b| vec![tok(b.to_string())]),
        number().prop_map(|n| vec![tok(n)]),
        string().prop_map(|s| vec![tok(s)]),
        date().prop_map(|d| vec![tok(d)]),
        datetime().prop_map(|d| vec![tok(d)]),
        clock().prop_map(|t| vec![tok(t)]),
        duration(),
        scale_value().prop_map(|v| vec![tok(v)]),
    ];
    let plain = (
        named,
        prop_oneof![
            Just(Vec::new()),
            Just(words("or none")),
            Just(words("or unknown")),
            default_literal.prop_map(|lit| {
                let mut toks = vec![tok("default")];
                toks.extend(lit);
                toks
            }),
        ],
    )
        .prop_map(|(ty, absence)| {
            let mut toks = vec![tok(ty)];
            toks.extend(absence);
            toks
        });
    let listed = (list, any::<bool>()).prop_map(|(of, empty)| {
        let mut toks = words("list of");
        toks.push(tok(of));
        if empty {
            toks.extend(words("default empty"));
        }
        toks
    });
    (path(), prop_oneof![4 => plain, 1 => listed])
        .prop_map(|(p, ty)| {
            let mut toks = vec![tok(p), glued(":")];
            toks.extend(ty);
            line(2, toks)
        })
        .boxed()
}

fn scale_decl() -> BoxedStrategy<Decl> {
    (ident(), prop::collection::vec(scale_value(), 2..5))
        .prop_map(|(name, values)| {
            let mut toks = vec![tok("scale"), tok(name), glued(":")];
            for (i, v) in values.into_iter().enumerate() {
                if i > 0 {
                    toks.push(tok(">"));
                }
                toks.push(tok(v));
            }
            vec![line(0, toks)]
        })
        .boxed()
}

fn choice_decl() -> BoxedStrategy<Decl> {
    (
        ident(),
        prop::collection::vec(
            select(vec!["full", "interim", "monitoring"]).prop_map(String::from),
            1..4,
        ),
    )
        .prop_map(|(name, values)| {
            let mut toks = vec![tok("choice"), tok(name), glued(":")];
            for (i, v) in values.into_iter().enumerate() {
                if i > 0 {
                    toks.push(tok("|"));
                }
                toks.push(tok(v));
            }
            vec![line(0, toks)]
        })
        .boxed()
}

fn record_decl() -> BoxedStrategy<Decl> {
    (ident(), prop::collection::vec(field(), 0..4))
        .prop_map(|(name, fields)| {
            let mut lines = vec![
                line(0, vec![tok("record"), tok(name)]),
                line(2, vec![tok("id"), glued(":"), tok("text")]),
            ];
            lines.extend(fields);
            lines
        })
        .boxed()
}

fn evidence_decl() -> BoxedStrategy<Decl> {
    prop::collection::vec(field(), 1..6)
        .prop_map(|fields| {
            let mut lines = vec![line(0, vec![tok("evidence")])];
            lines.extend(fields);
            lines
        })
        .boxed()
}

fn named_value(keyword: &'static str, value: BoxedStrategy<G>) -> BoxedStrategy<Decl> {
    (ident(), value)
        .prop_map(move |(name, v)| {
            let mut toks = vec![tok(keyword), tok(name), tok("=")];
            toks.extend(render(&v, 0));
            vec![line(0, toks)]
        })
        .boxed()
}

fn threshold_decl() -> BoxedStrategy<Decl> {
    let literal = prop_oneof![
        duration().prop_map(G::Atom),
        number().prop_map(atom),
        date().prop_map(atom),
        string().prop_map(atom),
        any::<bool>().prop_map(|b| atom(b.to_string())),
    ];
    let value = (literal, any::<bool>()).prop_map(|(l, negative)| match l {
        G::Atom(_) if negative => G::Neg(Box::new(l)),
        other => other,
    });
    named_value("threshold", value.boxed())
}

fn when_line(cond: &G) -> Line {
    let mut toks = vec![tok("when")];
    toks.extend(render(cond, 0));
    line(2, toks)
}

fn judgement_decl() -> BoxedStrategy<Decl> {
    (ident(), ident(), path(), prop::option::of(bool_expr()))
        .prop_map(|(name, scale, from, when)| {
            let mut lines = vec![line(
                0,
                vec![
                    tok("judgement"),
                    tok(name),
                    glued(":"),
                    tok(scale),
                    tok("from"),
                    tok(from),
                ],
            )];
            lines.extend(when.as_ref().map(when_line));
            lines
        })
        .boxed()
}

/// `for each X in LIST`: a list field, or months or years between dates.
fn for_each() -> BoxedStrategy<Line> {
    prop_oneof![
        2 => Just(G::Atom(vec![tok("requirements")])),
        1 => (select(vec!["months", "years"]), date_expr(), date_expr()).prop_map(|(unit, a, b)| {
            G::Form(vec![
                Part::Words(format!("{unit} from")),
                Part::Term(a),
                Part::Words("to".into()),
                Part::Term(b),
            ])
        }),
        1 => Just(G::Paren(Box::new(atom("notices")))),
    ]
    .prop_map(|list| {
        let mut toks = words("for each r in");
        toks.extend(render(&list, 8));
        line(2, toks)
    })
    .boxed()
}

fn effect() -> BoxedStrategy<Vec<Tok>> {
    let value_of_scale = prop_oneof![
        scale_value().prop_map(atom),
        path().prop_map(atom),
        ident().prop_map(atom),
    ];
    let constraint = select(vec!["=", "at most", "at least"]);
    prop_oneof![
        3 => (ident(), constraint.clone(), value_of_scale).prop_map(|(j, op, v)| {
            let mut toks = vec![tok("then"), tok(j)];
            toks.extend(words(op));
            toks.extend(render(&v, 0));
            toks
        }),
        2 => (ident(), prop::option::of(string()), prop::option::of(date_expr())).prop_map(|(name, label, due)| {
            let mut toks = vec![tok("then"), tok("action"), tok(name)];
            toks.extend(label.map(tok));
            if let Some(d) = due {
                toks.push(tok("by"));
                toks.extend(render(&d, 0));
            }
            toks
        }),
        1 => (ident(), prop::option::of(string())).prop_map(|(name, message)| {
            let mut toks = vec![tok("then"), tok("finding"), tok(name)];
            toks.extend(message.map(tok));
            toks
        }),
        2 => (ident(), date_expr(), prop::option::of(date_expr()), prop::option::of(date_expr()))
            .prop_map(|(name, on, to, target)| {
                let mut toks = vec![tok("then"), tok("deadline"), tok(name)];
                match to {
                    None => {
                        toks.push(tok("="));
                        toks.extend(render(&on, 0));
                    }
                    Some(to) => {
                        toks.push(tok("from"));
                        toks.extend(render(&on, 0));
                        toks.push(tok("to"));
                        toks.extend(render(&to, 0));
                    }
                }
                if let Some(t) = target {
                    toks.push(tok("target"));
                    toks.extend(render(&t, 0));
                }
                toks
            }),
        1 => Just(words("then no judgement")),
        1 => ident().prop_map(|j| vec![tok("then"), tok("no"), tok(j), tok("judgement")]),
        1 => (ident(), constraint, scale_value()).prop_map(|(j, op, v)| {
            let mut toks = vec![tok("likely"), tok(j)];
            toks.extend(words(op));
            toks.push(tok(v));
            toks
        }),
        1 => string().prop_map(|s| vec![tok("advise"), tok(s)]),
    ]
    .boxed()
}

/// A rule: its head, then its clauses in any order (at most one `quote`,
/// `for each` and `when`), with at least one effect.
fn rule_decl() -> BoxedStrategy<Decl> {
    (
        ident(),
        prop::option::of(string()),
        prop::option::of(string()),
        prop::collection::vec(string(), 0..3),
        prop::option::of(for_each()),
        prop::option::of(bool_expr()),
        prop::collection::vec(effect(), 1..4),
        any::<u64>(),
    )
        .prop_map(|(id, cite, quote, notes, each, when, effects, order)| {
            let mut head = vec![tok("rule"), tok(id)];
            head.extend(cite.map(tok));
            let mut clauses: Vec<Line> = Vec::new();
            clauses.extend(quote.map(|q| line(2, vec![tok("quote"), tok(q)])));
            clauses.extend(
                notes
                    .into_iter()
                    .map(|n| line(2, vec![tok("note"), tok(n)])),
            );
            clauses.extend(each);
            clauses.extend(when.as_ref().map(when_line));
            clauses.extend(effects.into_iter().map(|e| line(2, e)));
            shuffle(&mut clauses, order);
            let mut lines = vec![line(0, head)];
            lines.extend(clauses);
            lines
        })
        .boxed()
}

/// A deterministic shuffle driven by a generated number.
fn shuffle<T>(items: &mut [T], mut seed: u64) {
    for i in (1..items.len()).rev() {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        let j = usize::try_from((seed >> 33) % (i as u64 + 1)).unwrap_or(0);
        items.swap(i, j);
    }
}

fn invalid_decl() -> BoxedStrategy<Decl> {
    (ident(), string(), prop::option::of(for_each()), bool_expr())
        .prop_map(|(id, message, each, when)| {
            let mut lines = vec![line(0, vec![tok("invalid"), tok(id), tok(message)])];
            lines.extend(each);
            lines.push(when_line(&when));
            lines
        })
        .boxed()
}

/// A value in a test's evidence.
fn value() -> BoxedStrategy<Vec<Tok>> {
    let leaf = prop_oneof![
        date().prop_map(|d| vec![tok(d)]),
        datetime().prop_map(|d| vec![tok(d)]),
        number().prop_map(|n| vec![tok(n)]),
        (1i64..1000).prop_map(|n| vec![tok(format!("-{n}"))]),
        string().prop_map(|s| vec![tok(s)]),
        any::<bool>().prop_map(|b| vec![tok(b.to_string())]),
        scale_value().prop_map(|v| vec![tok(v)]),
        Just(vec![tok("none")]),
    ];
    leaf.prop_recursive(2, 12, 3, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..3).prop_map(|items| {
                let mut toks = vec![tok("[")];
                for (i, item) in items.into_iter().enumerate() {
                    if i > 0 {
                        toks.push(glued(","));
                    }
                    toks.extend(item);
                }
                toks.push(tok("]"));
                toks
            }),
            (string(), prop::collection::vec((path(), inner), 0..3)).prop_map(|(id, fields)| {
                let mut toks = vec![tok("{"), tok("id"), tok("="), tok(id)];
                for (p, v) in fields {
                    toks.push(glued(","));
                    toks.extend([tok(p), tok("=")]);
                    toks.extend(v);
                }
                toks.push(tok("}"));
                toks
            }),
        ]
    })
    .boxed()
}

fn assignments() -> BoxedStrategy<Vec<Tok>> {
    prop::collection::vec(
        (
            path(),
            prop_oneof![5 => value(), 1 => Just(vec![tok("absent")])],
        ),
        1..4,
    )
    .prop_map(|pairs| {
        let mut toks = Vec::new();
        for (i, (p, v)) in pairs.into_iter().enumerate() {
            if i > 0 {
                toks.push(glued(","));
            }
            toks.extend([tok(p), tok("=")]);
            toks.extend(v);
        }
        toks
    })
    .boxed()
}

fn example_decl() -> BoxedStrategy<Decl> {
    (ident(), assignments())
        .prop_map(|(name, values)| vec![line(0, vec![tok("example"), tok(name)]), line(2, values)])
        .boxed()
}

fn expectation() -> BoxedStrategy<Vec<Tok>> {
    let item = prop::option::of(string()).prop_map(|s| match s {
        Some(s) => vec![tok("for"), tok("item"), tok(s)],
        None => Vec::new(),
    });
    prop_oneof![
        (
            ident(),
            prop_oneof![scale_value(), Just("none".to_string())]
        )
            .prop_map(|(j, v)| vec![tok(j), tok("="), tok(v)]),
        Just(words("no judgement")),
        Just(words("no actions")),
        Just(words("no findings")),
        Just(words("no advisories")),
        (
            select(vec![
                "no action",
                "no advisory",
                "no deadline",
                "no finding",
                "finding",
                "advisory"
            ]),
            ident(),
            item.clone()
        )
            .prop_map(|(kind, name, item)| {
                let mut toks = words(kind);
                toks.push(tok(name));
                toks.extend(item);
                toks
            }),
        (ident(), prop::option::of(date()), item.clone()).prop_map(|(name, due, item)| {
            let mut toks = vec![tok("action"), tok(name)];
            if let Some(d) = due {
                toks.extend([tok("by"), tok(d)]);
            }
            toks.extend(item);
            toks
        }),
        (
            ident(),
            date(),
            prop::option::of(date()),
            prop::option::of(date()),
            any::<bool>(),
            item
        )
            .prop_map(|(name, on, to, target, overdue, item)| {
                let mut toks = vec![tok("deadline"), tok(name)];
                match to {
                    Some(to) => toks.extend([tok("from"), tok(on), tok("to"), tok(to)]),
                    None => toks.extend([tok("="), tok(on)]),
                }
                if let Some(t) = target {
                    toks.extend([tok("target"), tok(t)]);
                }
                if overdue {
                    toks.push(tok("overdue"));
                }
                toks.extend(item);
                toks
            }),
        ident().prop_map(|r| vec![tok("undetermined"), tok(r)]),
        string().prop_map(|s| vec![tok("error"), tok(s)]),
        (ident(), ident()).prop_map(|(j, r)| vec![tok(j), tok("bound"), tok("by"), tok(r)]),
        (ident(), any::<bool>()).prop_map(|(j, not)| {
            let mut toks = vec![tok(j), tok("is")];
            if not {
                toks.push(tok("not"));
            }
            toks.push(tok("provisional"));
            toks
        }),
    ]
    .boxed()
}

fn test_decl() -> BoxedStrategy<Decl> {
    let given = prop_oneof![
        assignments(),
        (ident(), prop::option::of(assignments())).prop_map(|(example, with)| {
            let mut toks = vec![tok(example)];
            if let Some(values) = with {
                toks.push(tok("with"));
                toks.extend(values);
            }
            toks
        }),
    ];
    let expect = prop::collection::vec(expectation(), 1..4).prop_map(|list| {
        let mut toks = vec![tok("expect")];
        for (i, e) in list.into_iter().enumerate() {
            if i > 0 {
                toks.push(glued(","));
            }
            toks.extend(e);
        }
        line(2, toks)
    });
    (string(), given, prop::collection::vec(expect, 1..4))
        .prop_map(|(name, given, expects)| {
            let mut given_toks = vec![tok("given")];
            given_toks.extend(given);
            let mut lines = vec![line(0, vec![tok("test"), tok(name)]), line(2, given_toks)];
            lines.extend(expects);
            lines
        })
        .boxed()
}

fn needs_decl() -> BoxedStrategy<Decl> {
    (
        any::<bool>(),
        ident(),
        prop_oneof![
            ident().prop_map(|t| vec![tok(t)]),
            ident().prop_map(|t| vec![tok("list"), tok("of"), tok(t)]),
        ],
    )
        .prop_map(|(judgement, name, ty)| {
            let mut toks = vec![tok("needs")];
            if judgement {
                toks.push(tok("judgement"));
            }
            toks.extend([tok(name), glued(":")]);
            toks.extend(ty);
            vec![line(0, toks)]
        })
        .boxed()
}

/// A ruleset's header: `ruleset NAME "TITLE"`, then each clause at most
/// once (`uses` any number of times), in any order.
fn ruleset_header() -> BoxedStrategy<Decl> {
    (
        ident(),
        string(),
        prop::option::of(string()),
        prop::option::of(string()),
        prop::option::of(string()),
        prop::option::of((date(), prop::option::of(date()))),
        prop::option::of(ident()),
        prop::collection::vec(ident(), 0..3),
        prop::option::of(path()),
        prop::option::of(path()),
        any::<u64>(),
    )
        .prop_map(
            |(
                name,
                title,
                source,
                reference,
                edition,
                in_force,
                calendar,
                uses,
                as_at,
                on,
                order,
            )| {
                let mut clauses = Vec::new();
                clauses.extend(source.map(|s| line(2, vec![tok("source"), tok(s)])));
                clauses.extend(reference.map(|s| line(2, vec![tok("reference"), tok(s)])));
                clauses.extend(edition.map(|s| line(2, vec![tok("edition"), tok(s)])));
                clauses.extend(in_force.map(|(from, to)| {
                    let mut toks = words("in force from");
                    toks.push(tok(from));
                    if let Some(to) = to {
                        toks.extend([tok("to"), tok(to)]);
                    }
                    line(2, toks)
                }));
                clauses.extend(calendar.map(|c| line(2, vec![tok("calendar"), tok(c)])));
                clauses.extend(uses.into_iter().map(|u| line(2, vec![tok("uses"), tok(u)])));
                clauses.extend(as_at.map(|p| line(2, vec![tok("as"), tok("at"), tok(p)])));
                clauses.extend(on.map(|p| line(2, vec![tok("evaluated"), tok("on"), tok(p)])));
                shuffle(&mut clauses, order);
                let mut lines = vec![line(0, vec![tok("ruleset"), tok(name), tok(title)])];
                lines.extend(clauses);
                lines
            },
        )
        .boxed()
}

fn definitions_header() -> BoxedStrategy<Decl> {
    (
        ident(),
        string(),
        prop::option::of(string()),
        prop::option::of(string()),
        prop::collection::vec(ident(), 0..3),
        any::<u64>(),
    )
        .prop_map(|(name, title, source, reference, uses, order)| {
            let mut clauses = Vec::new();
            clauses.extend(source.map(|s| line(2, vec![tok("source"), tok(s)])));
            clauses.extend(reference.map(|s| line(2, vec![tok("reference"), tok(s)])));
            clauses.extend(uses.into_iter().map(|u| line(2, vec![tok("uses"), tok(u)])));
            shuffle(&mut clauses, order);
            let mut lines = vec![line(0, vec![tok("definitions"), tok(name), tok(title)])];
            lines.extend(clauses);
            lines
        })
        .boxed()
}

/// The declarations of a ruleset (or, `definitions`, of a definitions file:
/// `needs` but no judgements, examples or tests).
fn declaration(definitions: bool) -> BoxedStrategy<Decl> {
    let shared = prop_oneof![
        1 => scale_decl(),
        1 => choice_decl(),
        1 => record_decl(),
        2 => evidence_decl(),
        2 => threshold_decl(),
        3 => named_value("let", any_expr()),
        5 => rule_decl(),
        1 => invalid_decl(),
    ];
    if definitions {
        prop_oneof![4 => shared, 1 => needs_decl()].boxed()
    } else {
        prop_oneof![
            8 => shared,
            2 => judgement_decl(),
            1 => example_decl(),
            2 => test_decl(),
        ]
        .boxed()
    }
}

/// A whole rule file, one clause a line.
fn rule_file() -> BoxedStrategy<Vec<Decl>> {
    let ruleset = (
        ruleset_header(),
        prop::collection::vec(declaration(false), 0..14),
    );
    let definitions = (
        definitions_header(),
        prop::collection::vec(declaration(true), 0..10),
    );
    prop_oneof![4 => ruleset, 1 => definitions]
        .prop_map(|(header, decls)| {
            let mut file = vec![header];
            file.extend(decls);
            file
        })
        .boxed()
}

// ---------------------------------------------------------------- layout and comments

/// What to do at one gap between tokens.
#[derive(Clone, Debug)]
enum Decor {
    /// Break the line here.
    Break,
    /// Put a comment at the end of the line here (breaking it if need be).
    Trailing(String),
    /// Put a comment on a line of its own here.
    OwnLine(String),
    /// Join the next line onto this one (where there is no comment).
    Join,
}

fn comment_text() -> BoxedStrategy<String> {
    (
        0u32..1000,
        select(vec![
            "",
            " the start",
            " \"quoted\" text",
            " a # in a comment",
            " é",
            "  spaced",
            " ends in spaces   ",
        ]),
        any::<bool>(),
    )
        .prop_map(|(n, tail, bare)| {
            if bare {
                format!("#c{n}{tail}")
            } else {
                format!("# c{n}{tail}")
            }
        })
        .boxed()
}

fn decorations() -> BoxedStrategy<Vec<(Index, Decor)>> {
    prop::collection::vec(
        (
            any::<Index>(),
            prop_oneof![
                2 => Just(Decor::Break),
                3 => comment_text().prop_map(Decor::Trailing),
                3 => comment_text().prop_map(Decor::OwnLine),
                2 => Just(Decor::Join),
            ],
        ),
        0..32,
    )
    .boxed()
}

/// How the text runs on at a gap between two tokens, before decorations.
#[derive(Clone, Copy, PartialEq)]
enum Natural {
    Space,
    /// No space: after `(`, before `)`, `,` and `:`.
    Glued,
    /// The next clause, on a line of its own at this indent.
    Newline(usize),
    /// The next declaration, after a blank line.
    NewDecl,
}

/// A gap before each token and one after the last, with its decorations.
struct Gap {
    natural: Natural,
    brk: bool,
    join: bool,
    trailing: Vec<String>,
    own_line: Vec<String>,
}

impl Gap {
    fn new(natural: Natural) -> Gap {
        Gap {
            natural,
            brk: false,
            join: false,
            trailing: Vec::new(),
            own_line: Vec::new(),
        }
    }
}

/// The text of a file: one clause a line, with the decorations.
fn write(file: &[Decl], decor: &[(Index, Decor)]) -> String {
    let mut toks: Vec<&Tok> = Vec::new();
    let mut gaps: Vec<Gap> = Vec::new();
    for (d, decl) in file.iter().enumerate() {
        for (l, ln) in decl.iter().enumerate() {
            for (t, tk) in ln.toks.iter().enumerate() {
                let natural = match (d, l, t) {
                    (_, _, 1..) if tk.glued => Natural::Glued,
                    (_, _, 1..) => Natural::Space,
                    (0, 0, 0) => Natural::Newline(0),
                    (_, 0, 0) => Natural::NewDecl,
                    _ => Natural::Newline(ln.indent),
                };
                gaps.push(Gap::new(natural));
                toks.push(tk);
            }
        }
    }
    gaps.push(Gap::new(Natural::Newline(0)));
    let count = gaps.len();
    for (at, what) in decor {
        let gap = &mut gaps[at.index(count)];
        match what {
            Decor::Break => gap.brk = true,
            Decor::Join => gap.join = true,
            Decor::Trailing(c) => gap.trailing.push(c.clone()),
            Decor::OwnLine(c) => gap.own_line.push(c.clone()),
        }
    }
    let at_line_start = |out: &String| out.is_empty() || out.ends_with('\n');
    let mut out = String::new();
    let mut indent = 0;
    for (i, gap) in gaps.iter().enumerate() {
        // Comments at the end of the line so far (at the start of the file,
        // on lines of their own).
        for c in &gap.trailing {
            if at_line_start(&out) {
                out.push_str(&" ".repeat(indent));
            } else {
                out.push_str("  ");
            }
            out.push_str(c);
            out.push('\n');
        }
        let (new_line, blank) = match gap.natural {
            Natural::Newline(n) => {
                indent = n;
                (!gap.join, false)
            }
            Natural::NewDecl => {
                indent = 0;
                (!gap.join, !gap.join)
            }
            Natural::Space | Natural::Glued => (false, false),
        };
        let continued = matches!(gap.natural, Natural::Space | Natural::Glued);
        if !at_line_start(&out) && (new_line || gap.brk || !gap.own_line.is_empty()) {
            out.push('\n');
        }
        if blank && !out.is_empty() {
            out.push('\n');
        }
        let pad = if continued { indent + 4 } else { indent };
        for c in &gap.own_line {
            out.push_str(&" ".repeat(pad));
            out.push_str(c);
            out.push('\n');
        }
        let Some(t) = toks.get(i) else {
            break;
        };
        if at_line_start(&out) {
            out.push_str(&" ".repeat(pad));
        } else if gap.natural != Natural::Glued {
            out.push(' ');
        }
        out.push_str(&t.text);
    }
    if !at_line_start(&out) {
        out.push('\n');
    }
    out
}

fn decorated_file() -> BoxedStrategy<(String, String)> {
    (rule_file(), decorations())
        .prop_map(|(file, decor)| (write(&file, &[]), write(&file, &decor)))
        .boxed()
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

// ---------------------------------------------------------------- properties

proptest! {
    #![proptest_config(config())]

    #[test]
    fn a_generated_file_parses_and_comments_and_line_breaks_leave_its_ast_unchanged(
        (plain, decorated) in decorated_file()
    ) {
        let ast = parse_file(&plain);
        prop_assert!(ast.is_ok(), "the generated file does not parse: {:?}\n{}", ast.err(), plain);
        let with_layout = parse_file(&decorated);
        prop_assert!(
            with_layout.is_ok(),
            "the decorated file does not parse: {:?}\n{}",
            with_layout.err(),
            decorated
        );
        prop_assert_eq!(ast.unwrap(), with_layout.unwrap(), "decorations changed the AST:\n{}", decorated);
    }

    #[test]
    fn formatting_a_generated_file_succeeds_and_gives_the_same_ast(
        (_plain, source) in decorated_file()
    ) {
        let original = parse_file(&source).unwrap();
        let once = format_source(&source);
        prop_assert!(once.is_ok(), "format_source failed: {:?}\n{}", once.err(), source);
        let once = once.unwrap();
        let again = parse_file(&once);
        prop_assert!(again.is_ok(), "the formatted text does not parse: {:?}\n{}\nfrom\n{}", again.err(), once, source);
        prop_assert_eq!(again.unwrap(), original, "formatting changed the AST:\n{}\nfrom\n{}", once, source);
    }

    #[test]
    fn formatting_a_generated_file_twice_changes_nothing(
        (_plain, source) in decorated_file()
    ) {
        let once = format_source(&source).unwrap();
        let twice = format_source(&once);
        prop_assert!(twice.is_ok(), "the formatted text does not format: {:?}\n{}", twice.err(), once);
        prop_assert_eq!(twice.unwrap(), once.clone(), "not idempotent; first run:\n{}\nfrom\n{}", once, source);
    }

    #[test]
    fn formatting_a_generated_file_keeps_every_comment(
        (_plain, source) in decorated_file()
    ) {
        let once = format_source(&source).unwrap();
        prop_assert_eq!(
            sorted(comments(&once)),
            sorted(comments(&source)),
            "comments lost or changed:\n{}\nfrom\n{}",
            once,
            source
        );
    }
}
