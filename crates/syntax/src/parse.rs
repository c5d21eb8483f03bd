//! Source text -> pest pairs -> AST. Nothing outside this module sees a pest
//! type: the pairs are lowered here, one `lower_<rule>` function per grammar
//! rule, and pest's error becomes a [`SyntaxError`].

use crate::ast::*;
use crate::error::{SyntaxError, MAX_NESTING, MAX_OPERANDS, MAX_SOURCE_BYTES};
use crate::span::{Span, Spanned};
use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use pest::iterators::Pair;
use pest::pratt_parser::{Assoc, Op, PrattParser};
use pest::Parser as _;
use std::borrow::Cow;
use std::sync::LazyLock;

#[derive(pest_derive::Parser)]
#[grammar = "../../grammar/judgement.pest"]
struct Grammar;

type Result<T> = std::result::Result<T, SyntaxError>;

/// Parse a whole rule file. All errors found are returned; pest stops at the
/// first syntax error, lowering collects every bad date and number.
pub fn parse_file(source: &str) -> std::result::Result<File, Vec<SyntaxError>> {
    parse_file_at(source, 0)
}

/// Parse a rule file whose spans start at `base` rather than 0: the files of
/// one ruleset (its own file and the definitions it uses) are parsed at
/// different bases, so that one span space covers them all and a span tells
/// which file it is in. Every span of the AST and of the errors is offset by
/// `base`.
pub fn parse_file_at(source: &str, base: usize) -> std::result::Result<File, Vec<SyntaxError>> {
    let shift = |errors: Vec<SyntaxError>| -> Vec<SyntaxError> {
        errors
            .into_iter()
            .map(|e| e.map_span(|s| Span::new(base + s.start, base + s.end)))
            .collect()
    };
    let source = &*without_bom(source);
    if source.len() > MAX_SOURCE_BYTES {
        return Err(vec![SyntaxError::TooLarge {
            size: source.len(),
            limit: MAX_SOURCE_BYTES,
        }]);
    }
    if let Some(span) = too_deep(source) {
        return Err(shift(vec![SyntaxError::TooDeep {
            limit: MAX_NESTING,
            span,
        }]));
    }
    let mut pairs =
        Grammar::parse(Rule::file, source).map_err(|_| shift(vec![detailed_error(source)]))?;
    let file = pairs.next().ok_or_else(|| {
        vec![SyntaxError::Internal {
            rule: "file".into(),
            span: Span::new(base, base),
        }]
    })?;
    let mut lower = Lower {
        errors: Vec::new(),
        base,
    };
    match lower.lower_file(file) {
        Ok(file) if lower.errors.is_empty() => Ok(file),
        Ok(_) => Err(lower.errors),
        Err(e) => {
            lower.errors.push(e);
            Err(lower.errors)
        }
    }
}

/// What a rule file holds, from its first word (after any comments), without
/// parsing the rest: [`FileKind::Definitions`] when it is `definitions`, else
/// [`FileKind::Ruleset`] (a file that is neither fails to parse as a ruleset).
pub fn file_kind(source: &str) -> FileKind {
    let mut rest = source.strip_prefix(BOM).unwrap_or(source);
    loop {
        rest = rest.trim_start();
        match rest.strip_prefix('#') {
            Some(comment) => rest = comment.split_once('\n').map_or("", |(_, after)| after),
            None => break,
        }
    }
    let word_end = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(rest.len());
    match rest.get(..word_end) {
        Some("definitions") => FileKind::Definitions,
        _ => FileKind::Ruleset,
    }
}

/// The byte-order mark that Notepad and Word put at the start of a file.
pub(crate) const BOM: char = '\u{feff}';

/// A leading byte-order mark read as layout: it becomes as many spaces as it
/// has bytes, so that spans stay offsets into the text the caller holds.
pub(crate) fn without_bom(source: &str) -> Cow<'_, str> {
    match source.strip_prefix(BOM) {
        Some(rest) => Cow::Owned(format!("{}{rest}", " ".repeat(BOM.len_utf8()))),
        None => Cow::Borrowed(source),
    }
}

/// Every keyword of the grammar (the rules named `kw_...`), for suggestions.
pub(crate) fn keywords() -> &'static [String] {
    static KEYWORDS: LazyLock<Vec<String>> = LazyLock::new(|| {
        Rule::all_rules()
            .iter()
            .filter_map(|r| format!("{r:?}").strip_prefix("kw_").map(str::to_string))
            .collect()
    });
    &KEYWORDS
}

/// Bracket nesting is the one recursion pest cannot bound; refuse it before
/// parsing so that hostile input cannot exhaust the stack.
fn too_deep(source: &str) -> Option<Span> {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut in_comment = false;
    // Inside a string, a backslash escapes the next character (`\\` is one
    // backslash, so the quote after it ends the string).
    let mut escaped = false;
    for (i, c) in source.char_indices() {
        if in_string {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' | '\n' => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '\n' => in_comment = false,
            _ if in_comment => {}
            '"' => in_string = true,
            '#' => in_comment = true,
            '(' | '[' | '{' => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Some(Span::new(i, i + 1));
                }
            }
            ')' | ']' | '}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

/// Parse again with pest's tracking of every attempt at the furthest point
/// reached, which names the punctuation expected there too. Only a failed
/// parse pays for it.
///
/// pest's switch for that tracking is one for the whole process: these
/// parses take turns, so that one thread cannot switch it off while another
/// depends on it, and the message for a file is the same whatever other
/// threads are parsing.
fn detailed_error(source: &str) -> SyntaxError {
    static DETAIL: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let turn = DETAIL
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    pest::set_error_detail(true);
    let result = Grammar::parse(Rule::file, source);
    pest::set_error_detail(false);
    drop(turn);
    match result {
        Err(e) => from_pest(&e, source),
        Ok(_) => SyntaxError::Internal {
            rule: "file".into(),
            span: Span::default(),
        },
    }
}

fn from_pest(e: &pest::error::Error<Rule>, source: &str) -> SyntaxError {
    use pest::error::{ErrorVariant, InputLocation};
    let mut pos = match e.location {
        InputLocation::Pos(p) => p,
        InputLocation::Span((s, _)) => s,
    };
    // Where the parse got furthest, what it wanted there: literal tokens
    // (`:`, `=`) and the rules it was in.
    let mut furthest: Option<Vec<String>> = None;
    if let Some(attempts) = e.parse_attempts() {
        // Lookaheads that end a keyword reach into the next character: only
        // a position at the start of a token is a place a reader would fix.
        let at_token_start = source
            .get(..attempts.max_position)
            .and_then(|s| s.chars().last())
            .is_some_and(|c| !(c.is_alphanumeric() || c == '_'));
        if attempts.max_position > pos && at_token_start {
            pos = attempts.max_position;
            // Literal tokens only: ranges and built-in rules say nothing to a reader.
            let words: Vec<String> = attempts
                .expected_tokens()
                .iter()
                .map(ToString::to_string)
                .filter(|t| {
                    !t.trim().is_empty()
                        && !t.contains("..")
                        && t != "#"
                        && !t.chars().any(char::is_uppercase)
                        && !OPERAND_WORDS.contains(&t.as_str())
                })
                .map(|t| format!("`{t}`"))
                .collect();
            furthest = Some(words);
        }
    }
    let found_text: String = source
        .get(pos..)
        .unwrap_or("")
        .split(|c: char| c.is_whitespace())
        .next()
        .unwrap_or("")
        .chars()
        .take(30)
        .collect();
    let (found, end) = if found_text.is_empty() {
        ("the end of the file".to_string(), pos)
    } else {
        (format!("`{found_text}`"), pos + found_text.len())
    };
    let expected = match (&e.variant, furthest) {
        (_, Some(mut words)) if !words.is_empty() => {
            words.sort_unstable();
            words.dedup();
            one_of(&words)
        }
        (ErrorVariant::ParsingError { positives, .. }, _) => {
            let mut words: Vec<String> = positives.iter().map(describe).collect();
            words.sort_unstable();
            words.dedup();
            one_of(&words)
        }
        (ErrorVariant::CustomError { message }, _) => message.clone(),
    };
    SyntaxError::Unexpected {
        expected,
        found,
        span: Span::new(pos, end),
    }
}

/// Words that begin an operand (`every`, `days from`, `day after`, ...):
/// "an operand" says it for all of them.
const OPERAND_WORDS: &[&str] = &[
    "every", "some", "no", "count", "earliest", "latest", "total", "longest", "most", "days",
    "months", "years", "day", "next", "start", "end", "date", "time",
];

fn one_of(words: &[String]) -> String {
    match words {
        [] => "something else".into(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} or {}", init.join(", "), last),
    }
}

/// The words a reader knows for each grammar rule that can appear in an error.
fn describe(rule: &Rule) -> String {
    let name = format!("{rule:?}");
    if let Some(word) = name.strip_prefix("kw_") {
        return match rule {
            Rule::kw_quote
            | Rule::kw_note
            | Rule::kw_for
            | Rule::kw_when
            | Rule::kw_then
            | Rule::kw_likely
            | Rule::kw_advise => "a rule clause (`when`, `then`, `likely`, ...)".into(),
            Rule::kw_every
            | Rule::kw_some
            | Rule::kw_count
            | Rule::kw_earliest
            | Rule::kw_latest
            | Rule::kw_total
            | Rule::kw_longest
            | Rule::kw_days
            | Rule::kw_months
            | Rule::kw_years
            | Rule::kw_day
            | Rule::kw_next
            | Rule::kw_start
            | Rule::kw_end
            | Rule::kw_date
            | Rule::kw_time => "an operand".into(),
            Rule::kw_scale
            | Rule::kw_choice
            | Rule::kw_record
            | Rule::kw_evidence
            | Rule::kw_threshold
            | Rule::kw_let
            | Rule::kw_judgement
            | Rule::kw_rule
            | Rule::kw_invalid
            | Rule::kw_example
            | Rule::kw_test
            | Rule::kw_needs => {
                "a declaration (`rule`, `judgement`, `evidence`, `test`, ...)".into()
            }
            Rule::kw_source
            | Rule::kw_reference
            | Rule::kw_edition
            | Rule::kw_in
            | Rule::kw_calendar
            | Rule::kw_as
            | Rule::kw_evaluated
            | Rule::kw_uses => "a header clause".into(),
            _ => format!("`{word}`"),
        };
    }
    describe_rule(rule).to_string()
}

fn describe_rule(rule: &Rule) -> &'static str {
    match rule {
        Rule::EOI => "the end of the file",
        Rule::ruleset_decl | Rule::kw_ruleset => "`ruleset`",
        Rule::definitions_decl | Rule::kw_definitions => "`definitions`",
        // A file that starts with neither header word.
        Rule::file => "`ruleset` or `definitions`",
        Rule::scale_decl
        | Rule::choice_decl
        | Rule::record_decl
        | Rule::evidence_decl
        | Rule::threshold_decl
        | Rule::let_decl
        | Rule::judgement_decl
        | Rule::rule_decl
        | Rule::invalid_decl
        | Rule::example_decl
        | Rule::test_decl
        | Rule::needs_decl => "a declaration (`rule`, `judgement`, `evidence`, `test`, ...)",
        Rule::source_clause
        | Rule::reference_clause
        | Rule::edition_clause
        | Rule::in_force_clause
        | Rule::calendar_clause
        | Rule::as_at_clause
        | Rule::evaluated_clause
        | Rule::uses_clause => "a header clause",
        Rule::quote_clause
        | Rule::note_clause
        | Rule::for_each_clause
        | Rule::when_clause
        | Rule::then_clause
        | Rule::likely_clause
        | Rule::advise_clause => "a rule clause (`when`, `then`, `likely`, ...)",
        Rule::field_decl | Rule::field_path => "a field declaration (`name: type`)",
        Rule::type_expr | Rule::list_type => "a type",
        Rule::absence => "`or none`, `or unknown` or `default`",
        Rule::expr => "an expression",
        Rule::is_test => "`is ...`",
        Rule::op_or
        | Rule::op_and
        | Rule::op_eq
        | Rule::op_ne
        | Rule::op_le
        | Rule::op_ge
        | Rule::op_lt
        | Rule::op_gt
        | Rule::op_add
        | Rule::op_sub => "an operator",
        Rule::op_not
        | Rule::op_neg
        | Rule::quantified
        | Rule::aggregate
        | Rule::days_between
        | Rule::sequence
        | Rule::calendar_fn
        | Rule::calendar_op
        | Rule::quantifier
        | Rule::aggregate_kind
        | Rule::count_of
        | Rule::earliest_of
        | Rule::latest_of
        | Rule::total_days
        | Rule::longest_run
        | Rule::most_days
        | Rule::sequence_unit
        | Rule::cal_next_working_day
        | Rule::cal_day_after
        | Rule::cal_day_before
        | Rule::cal_start_of_month
        | Rule::cal_end_of_month
        | Rule::cal_date_of
        | Rule::cal_time_of
        | Rule::datetime
        | Rule::time_of_day => "an operand",
        Rule::binder => "`NAME in LIST`",
        Rule::filter => "`where`",
        Rule::finding_effect => "an effect (`J at most V`, `action A`, `deadline D = ...`)",
        Rule::deadline_target => "`target`",
        Rule::constraint_op | Rule::op_at_most | Rule::op_at_least | Rule::op_equals => {
            "`=`, `at most` or `at least`"
        }
        Rule::duration | Rule::unit => "a duration (`26 weeks`, `10 working days`)",
        Rule::date => "a date (YYYY-MM-DD)",
        Rule::number => "a number",
        Rule::string => "a quoted string",
        Rule::boolean => "`true` or `false`",
        Rule::ident | Rule::name => "a name",
        Rule::path => "a name or field path",
        Rule::expect_clause => "`expect`",
        Rule::given_clause => "`given`",
        Rule::assignment | Rule::assignments => "an assignment (`field = value`)",
        Rule::value | Rule::list_value | Rule::record_value => "a value",
        Rule::withhold_effect
        | Rule::action_effect
        | Rule::deadline_effect
        | Rule::constraint_effect => "an effect (`J at most V`, `action A`, `deadline D = ...`)",
        Rule::deadline_on | Rule::deadline_window => "`=` or `from`",
        Rule::item_ref => "`for item`",
        Rule::expect_on | Rule::expect_window => "`= DATE` or `from DATE to DATE`",
        _ => "something else",
    }
}

static PRATT: LazyLock<PrattParser<Rule>> = LazyLock::new(|| {
    PrattParser::new()
        .op(Op::infix(Rule::op_or, Assoc::Left))
        .op(Op::infix(Rule::op_and, Assoc::Left))
        .op(Op::prefix(Rule::op_not))
        .op(Op::infix(Rule::op_eq, Assoc::Left)
            | Op::infix(Rule::op_ne, Assoc::Left)
            | Op::infix(Rule::op_lt, Assoc::Left)
            | Op::infix(Rule::op_le, Assoc::Left)
            | Op::infix(Rule::op_gt, Assoc::Left)
            | Op::infix(Rule::op_ge, Assoc::Left))
        .op(Op::postfix(Rule::is_test))
        .op(Op::infix(Rule::op_add, Assoc::Left) | Op::infix(Rule::op_sub, Assoc::Left))
        .op(Op::prefix(Rule::op_neg))
});

/// A pair's span in its own text, without the layout (spaces, comments)
/// pest may take in after its last token.
fn local_span(pair: &Pair<'_, Rule>) -> Span {
    let s = pair.as_span();
    Span::new(
        s.start(),
        s.start() + without_trailing_layout(pair.as_str()).len(),
    )
}

fn without_trailing_layout(text: &str) -> &str {
    let mut text = text.trim_end();
    loop {
        let line_start = text.rfind('\n').map_or(0, |i| i + 1);
        let line = text.get(line_start..).unwrap_or("");
        match comment_start(line) {
            Some(i) => text = text.get(..line_start + i).unwrap_or("").trim_end(),
            None => return text,
        }
    }
}

/// Where a comment starts on one line, outside any string.
fn comment_start(line: &str) -> Option<usize> {
    let mut in_string = false;
    let mut escaped = false;
    for (i, c) in line.char_indices() {
        match c {
            '\\' if in_string && !escaped => {
                escaped = true;
                continue;
            }
            '"' if !escaped => in_string = !in_string,
            '#' if !in_string => return Some(i),
            _ => {}
        }
        escaped = false;
    }
    None
}

/// Children that are not keywords: the parts a lowering function reads.
fn parts<'a>(pair: &Pair<'a, Rule>) -> Vec<Pair<'a, Rule>> {
    pair.clone()
        .into_inner()
        .filter(|p| !is_keyword(p.as_rule()))
        .collect()
}

fn is_keyword(rule: Rule) -> bool {
    format!("{rule:?}").starts_with("kw_")
}

/// Lowering pest pairs to the AST. `base` is added to every span made, so
/// that the files of one ruleset (its own and the definitions it uses) share
/// one span space.
struct Lower {
    errors: Vec<SyntaxError>,
    base: usize,
}

/// The pieces every lowering function uses: spans, names, paths, and the
/// error for a shape the grammar should not allow.
impl Lower {
    fn span_of(&self, pair: &Pair<'_, Rule>) -> Span {
        let s = local_span(pair);
        Span::new(self.base + s.start, self.base + s.end)
    }

    fn internal(&self, pair: &Pair<'_, Rule>) -> SyntaxError {
        SyntaxError::Internal {
            rule: format!("{:?}", pair.as_rule()),
            span: self.span_of(pair),
        }
    }

    /// The next child of a pair whose grammar guarantees one.
    fn child<'a>(
        &self,
        pairs: &mut impl Iterator<Item = Pair<'a, Rule>>,
        parent: &Pair<'a, Rule>,
    ) -> Result<Pair<'a, Rule>> {
        pairs.next().ok_or_else(|| self.internal(parent))
    }

    fn text(&self, pair: &Pair<'_, Rule>) -> Spanned<String> {
        Spanned::new(pair.as_str().to_string(), self.span_of(pair))
    }

    fn path_of(&self, pair: &Pair<'_, Rule>) -> Spanned<Path> {
        Spanned::new(
            Path(pair.as_str().split('.').map(str::to_string).collect()),
            self.span_of(pair),
        )
    }
}

impl Lower {
    fn lower_file(&mut self, pair: Pair<'_, Rule>) -> Result<File> {
        let mut inner = pair.clone().into_inner();
        let header = self.lower_ruleset_decl(self.child(&mut inner, &pair)?)?;
        let mut items = Vec::new();
        for p in inner {
            if p.as_rule() == Rule::EOI {
                continue;
            }
            match self.lower_item(p) {
                Ok(item) => items.push(item),
                Err(e) => self.errors.push(e),
            }
        }
        Ok(File { header, items })
    }

    fn lower_ruleset_decl(&mut self, pair: Pair<'_, Rule>) -> Result<RulesetDecl> {
        let ps = parts(&pair);
        let mut it = ps.iter();
        let name = self.text(it.next().ok_or_else(|| self.internal(&pair))?);
        let title = self.lower_string(it.next().ok_or_else(|| self.internal(&pair))?);
        let kind = match pair.as_rule() {
            Rule::definitions_decl => FileKind::Definitions,
            _ => FileKind::Ruleset,
        };
        let mut decl = RulesetDecl {
            kind,
            name,
            title,
            source: None,
            reference: None,
            edition: None,
            in_force: None,
            calendar: None,
            as_at: None,
            evaluated_on: None,
            uses: Vec::new(),
        };
        let mut seen: Vec<Rule> = Vec::new();
        for clause in it {
            let mut inner = clause
                .clone()
                .into_inner()
                .filter(|p| !is_keyword(p.as_rule()));
            let first = inner.next().ok_or_else(|| self.internal(clause))?;
            // `uses` may be written as often as there are definitions to use.
            if seen.contains(&clause.as_rule()) && clause.as_rule() != Rule::uses_clause {
                let word = clause
                    .as_str()
                    .split_whitespace()
                    .next()
                    .unwrap_or_default();
                self.errors.push(SyntaxError::Repeated {
                    what: format!("the header clause `{word}`"),
                    help: "a header names each of these once: keep the one you mean".into(),
                    span: self.span_of(clause),
                });
            }
            seen.push(clause.as_rule());
            match clause.as_rule() {
                Rule::source_clause => decl.source = Some(self.lower_string(&first)),
                Rule::reference_clause => decl.reference = Some(self.lower_string(&first)),
                Rule::edition_clause => decl.edition = Some(self.lower_string(&first)),
                Rule::calendar_clause => decl.calendar = Some(self.text(&first)),
                Rule::uses_clause => decl.uses.push(self.text(&first)),
                Rule::as_at_clause => decl.as_at = Some(self.path_of(&first)),
                Rule::evaluated_clause => decl.evaluated_on = Some(self.path_of(&first)),
                Rule::in_force_clause => {
                    let from = self.lower_date(&first);
                    let to = inner.next().map(|p| self.lower_date(&p));
                    decl.in_force = Some(Spanned::new(
                        InForce {
                            from: from.node,
                            to: to.map(|t| t.node),
                        },
                        self.span_of(clause),
                    ));
                }
                _ => return Err(self.internal(clause)),
            }
        }
        Ok(decl)
    }

    fn lower_item(&mut self, pair: Pair<'_, Rule>) -> Result<Item> {
        Ok(match pair.as_rule() {
            Rule::scale_decl => {
                let (name, values) = self.lower_value_set(&pair)?;
                Item::Scale(ScaleDecl { name, values })
            }
            Rule::choice_decl => {
                let (name, values) = self.lower_value_set(&pair)?;
                Item::Choice(ChoiceDecl { name, values })
            }
            Rule::record_decl => self.lower_record_decl(pair)?,
            Rule::evidence_decl => {
                let start = self.span_of(&pair).start;
                Item::Evidence(EvidenceDecl {
                    keyword: Spanned::new((), Span::new(start, start + "evidence".len())),
                    fields: self.lower_fields(&pair)?,
                })
            }
            Rule::threshold_decl => {
                let (name, value) = self.lower_binding(&pair)?;
                Item::Threshold(ThresholdDecl { name, value })
            }
            Rule::let_decl => {
                let (name, value) = self.lower_binding(&pair)?;
                Item::Let(LetDecl { name, value })
            }
            Rule::judgement_decl => self.lower_judgement_decl(pair)?,
            Rule::rule_decl => Item::Rule(self.lower_rule_decl(pair)?),
            Rule::invalid_decl => Item::Invalid(self.lower_invalid_decl(pair)?),
            Rule::example_decl => self.lower_example_decl(pair)?,
            Rule::test_decl => Item::Test(self.lower_test_decl(pair)?),
            Rule::needs_decl => Item::Needs(self.lower_needs_decl(pair)?),
            _ => return Err(self.internal(&pair)),
        })
    }

    fn lower_value_set(&mut self, pair: &Pair<'_, Rule>) -> Result<(Name, Vec<Name>)> {
        let mut inner = pair
            .clone()
            .into_inner()
            .filter(|p| !is_keyword(p.as_rule()));
        let name = self.text(&inner.next().ok_or_else(|| self.internal(pair))?);
        Ok((name, inner.map(|p| self.text(&p)).collect()))
    }

    fn lower_record_decl(&mut self, pair: Pair<'_, Rule>) -> Result<Item> {
        let mut inner = pair
            .clone()
            .into_inner()
            .filter(|p| !is_keyword(p.as_rule()));
        let name = self.text(&inner.next().ok_or_else(|| self.internal(&pair))?);
        let fields = inner
            .map(|p| self.lower_field_decl(p))
            .collect::<Result<_>>()?;
        Ok(Item::Record(RecordDecl { name, fields }))
    }

    fn lower_fields(&mut self, pair: &Pair<'_, Rule>) -> Result<Vec<FieldDecl>> {
        pair.clone()
            .into_inner()
            .filter(|p| p.as_rule() == Rule::field_decl)
            .map(|p| self.lower_field_decl(p))
            .collect()
    }

    fn lower_field_decl(&mut self, pair: Pair<'_, Rule>) -> Result<FieldDecl> {
        let mut inner = pair.clone().into_inner();
        let path = self.path_of(&self.child(&mut inner, &pair)?);
        let ty = self.lower_type_expr(self.child(&mut inner, &pair)?)?;
        let absence = match inner.next() {
            Some(a) => Some(self.lower_absence(a)?),
            None => None,
        };
        Ok(FieldDecl { path, ty, absence })
    }

    fn lower_type_expr(&mut self, pair: Pair<'_, Rule>) -> Result<Spanned<TypeExpr>> {
        let inner = self.child(&mut pair.clone().into_inner(), &pair)?;
        let ty = match inner.as_rule() {
            Rule::list_type => {
                let name = inner
                    .clone()
                    .into_inner()
                    .find(|p| p.as_rule() == Rule::name)
                    .ok_or_else(|| self.internal(&inner))?;
                TypeExpr::ListOf(name.as_str().to_string())
            }
            _ => TypeExpr::Named(inner.as_str().to_string()),
        };
        Ok(Spanned::new(ty, self.span_of(&pair)))
    }

    fn lower_needs_decl(&mut self, pair: Pair<'_, Rule>) -> Result<NeedsDecl> {
        let mut judgement = false;
        let mut name = None;
        let mut ty = None;
        for p in pair.clone().into_inner() {
            match p.as_rule() {
                Rule::kw_needs => {}
                Rule::need_judgement => judgement = true,
                Rule::ident => name = Some(self.text(&p)),
                Rule::type_expr => ty = Some(self.lower_type_expr(p)?),
                _ => return Err(self.internal(&p)),
            }
        }
        match (name, ty) {
            (Some(name), Some(ty)) => Ok(NeedsDecl {
                name,
                judgement,
                ty,
            }),
            _ => Err(self.internal(&pair)),
        }
    }

    fn lower_absence(&mut self, pair: Pair<'_, Rule>) -> Result<Spanned<Absence>> {
        let span = self.span_of(&pair);
        let kind = self.child(&mut pair.clone().into_inner(), &pair)?;
        let absence = match kind.as_rule() {
            Rule::absent_none => Absence::None,
            Rule::absent_unknown => Absence::Unknown,
            Rule::absent_empty => Absence::Empty,
            Rule::absent_default => {
                let value = kind
                    .clone()
                    .into_inner()
                    .find(|p| !is_keyword(p.as_rule()))
                    .ok_or_else(|| self.internal(&kind))?;
                if value.as_rule() == Rule::name {
                    Absence::Default(Literal::Name(value.as_str().to_string()))
                } else {
                    Absence::Default(self.lower_literal(&value)?)
                }
            }
            _ => return Err(self.internal(&kind)),
        };
        Ok(Spanned::new(absence, span))
    }

    fn lower_binding(&mut self, pair: &Pair<'_, Rule>) -> Result<(Name, Spanned<Expr>)> {
        let mut inner = pair
            .clone()
            .into_inner()
            .filter(|p| !is_keyword(p.as_rule()));
        let name = self.text(&inner.next().ok_or_else(|| self.internal(pair))?);
        let value = self.lower_expr(inner.next().ok_or_else(|| self.internal(pair))?)?;
        Ok((name, value))
    }

    fn lower_judgement_decl(&mut self, pair: Pair<'_, Rule>) -> Result<Item> {
        let mut inner = pair
            .clone()
            .into_inner()
            .filter(|p| !is_keyword(p.as_rule()));
        let name = self.text(&inner.next().ok_or_else(|| self.internal(&pair))?);
        let scale = self.text(&inner.next().ok_or_else(|| self.internal(&pair))?);
        let from = self.path_of(&inner.next().ok_or_else(|| self.internal(&pair))?);
        let applies_when = match inner.next() {
            Some(e) => Some(self.lower_expr(e)?),
            None => None,
        };
        Ok(Item::Judgement(JudgementDecl {
            name,
            scale,
            from,
            applies_when,
        }))
    }

    fn lower_rule_decl(&mut self, pair: Pair<'_, Rule>) -> Result<RuleDecl> {
        let mut inner = pair
            .clone()
            .into_inner()
            .filter(|p| !is_keyword(p.as_rule()));
        let id = self.text(&inner.next().ok_or_else(|| self.internal(&pair))?);
        let mut rule = RuleDecl {
            id,
            citation: None,
            quote: None,
            notes: Vec::new(),
            for_each: None,
            when: None,
            effects: Vec::new(),
        };
        for clause in inner {
            let span = self.span_of(&clause);
            let mut parts = clause
                .clone()
                .into_inner()
                .filter(|p| !is_keyword(p.as_rule()));
            let once = match clause.as_rule() {
                Rule::quote_clause => Some(("`quote`", rule.quote.is_some())),
                Rule::for_each_clause => Some(("`for each`", rule.for_each.is_some())),
                Rule::when_clause => Some(("`when`", rule.when.is_some())),
                _ => None,
            };
            if let Some((what, true)) = once {
                let help = if clause.as_rule() == Rule::when_clause {
                    "a rule has one condition: join the two with `and`"
                } else {
                    "a rule has one of these: keep the one you mean, or split the rule"
                };
                self.errors.push(SyntaxError::Repeated {
                    what: format!("{what} of the rule `{}`", rule.id.node),
                    help: help.into(),
                    span,
                });
            }
            match clause.as_rule() {
                Rule::string => rule.citation = Some(self.lower_string(&clause)),
                Rule::quote_clause => {
                    rule.quote = Some(self.lower_string(&self.child(&mut parts, &clause)?));
                }
                Rule::note_clause => {
                    let note = self.lower_string(&self.child(&mut parts, &clause)?);
                    rule.notes.push(note);
                }
                Rule::for_each_clause => rule.for_each = Some(self.lower_for_each(&clause)?),
                Rule::when_clause => {
                    rule.when = Some(self.lower_expr(self.child(&mut parts, &clause)?)?);
                }
                Rule::then_clause => {
                    let effect = self.lower_effect(self.child(&mut parts, &clause)?)?;
                    rule.effects.push(Spanned::new(effect, span));
                }
                Rule::likely_clause => {
                    let (judgement, op, value) = self.lower_likely(&clause)?;
                    rule.effects.push(Spanned::new(
                        Effect::Likely {
                            judgement,
                            op,
                            value,
                        },
                        span,
                    ));
                }
                Rule::advise_clause => {
                    let message = self.lower_string(&self.child(&mut parts, &clause)?);
                    rule.effects
                        .push(Spanned::new(Effect::Advise { message }, span));
                }
                _ => return Err(self.internal(&clause)),
            }
        }
        Ok(rule)
    }

    fn lower_for_each(&mut self, pair: &Pair<'_, Rule>) -> Result<ForEach> {
        let mut parts = pair
            .clone()
            .into_inner()
            .filter(|p| !is_keyword(p.as_rule()));
        let var = self.text(&self.child(&mut parts, pair)?);
        let list = self.lower_term(self.child(&mut parts, pair)?)?;
        Ok(ForEach { var, list })
    }

    fn lower_invalid_decl(&mut self, pair: Pair<'_, Rule>) -> Result<InvalidDecl> {
        let mut id = None;
        let mut message = None;
        let mut for_each = None;
        let mut when = None;
        for p in pair.clone().into_inner() {
            match p.as_rule() {
                Rule::kw_invalid => {}
                Rule::ident => id = Some(self.text(&p)),
                Rule::string => message = Some(self.lower_string(&p)),
                Rule::for_each_clause => for_each = Some(self.lower_for_each(&p)?),
                Rule::when_clause => {
                    let cond = p
                        .clone()
                        .into_inner()
                        .find(|q| q.as_rule() == Rule::expr)
                        .ok_or_else(|| self.internal(&p))?;
                    when = Some(self.lower_expr(cond)?);
                }
                _ => return Err(self.internal(&p)),
            }
        }
        match (id, message, when) {
            (Some(id), Some(message), Some(when)) => Ok(InvalidDecl {
                id,
                message,
                for_each,
                when,
            }),
            _ => Err(self.internal(&pair)),
        }
    }

    /// `J = V` or `J at most V` of a `likely` clause: a scale value by name.
    fn lower_likely(&mut self, pair: &Pair<'_, Rule>) -> Result<(Name, ConstraintOp, Name)> {
        let (judgement, op, value) = self.lower_constraint(pair)?;
        Ok((judgement, op, self.text(&value)))
    }

    fn lower_constraint<'i>(
        &mut self,
        pair: &Pair<'i, Rule>,
    ) -> Result<(Name, ConstraintOp, Pair<'i, Rule>)> {
        let mut parts = pair
            .clone()
            .into_inner()
            .filter(|p| !is_keyword(p.as_rule()));
        let judgement = self.text(&parts.next().ok_or_else(|| self.internal(pair))?);
        let op_pair = parts.next().ok_or_else(|| self.internal(pair))?;
        let op = match op_pair.clone().into_inner().next().map(|p| p.as_rule()) {
            Some(Rule::op_at_most) => ConstraintOp::AtMost,
            Some(Rule::op_at_least) => ConstraintOp::AtLeast,
            Some(Rule::op_equals) => ConstraintOp::Equal,
            _ => return Err(self.internal(&op_pair)),
        };
        let value = parts.next().ok_or_else(|| self.internal(pair))?;
        Ok((judgement, op, value))
    }

    fn lower_effect(&mut self, pair: Pair<'_, Rule>) -> Result<Effect> {
        let mut parts = pair
            .clone()
            .into_inner()
            .filter(|p| !is_keyword(p.as_rule()));
        Ok(match pair.as_rule() {
            Rule::withhold_effect => Effect::Withhold,
            Rule::action_effect => {
                let name = self.text(&parts.next().ok_or_else(|| self.internal(&pair))?);
                let mut label = None;
                let mut due = None;
                for p in parts {
                    match p.as_rule() {
                        Rule::string => label = Some(self.lower_string(&p)),
                        _ => due = Some(self.lower_expr(p)?),
                    }
                }
                Effect::Action { name, label, due }
            }
            Rule::finding_effect => {
                let name = self.text(&parts.next().ok_or_else(|| self.internal(&pair))?);
                let message = parts.next().map(|p| self.lower_string(&p));
                Effect::Finding { name, message }
            }
            Rule::constraint_effect => {
                let (judgement, op, value) = self.lower_constraint(&pair)?;
                let value = self.lower_expr(value)?;
                Effect::Constrain {
                    judgement,
                    op,
                    value,
                }
            }
            Rule::deadline_effect => {
                let name = self.text(&parts.next().ok_or_else(|| self.internal(&pair))?);
                let when_pair = parts.next().ok_or_else(|| self.internal(&pair))?;
                let target = match parts.next() {
                    Some(t) => {
                        let e = t
                            .clone()
                            .into_inner()
                            .find(|q| q.as_rule() == Rule::expr)
                            .ok_or_else(|| self.internal(&t))?;
                        Some(self.lower_expr(e)?)
                    }
                    None => None,
                };
                let mut exprs = when_pair
                    .clone()
                    .into_inner()
                    .filter(|p| p.as_rule() == Rule::expr);
                let first =
                    self.lower_expr(exprs.next().ok_or_else(|| self.internal(&when_pair))?)?;
                let when = match exprs.next() {
                    Some(to) => DeadlineWhen::Window {
                        from: first,
                        to: self.lower_expr(to)?,
                    },
                    None => DeadlineWhen::On(first),
                };
                Effect::Deadline { name, when, target }
            }
            _ => return Err(self.internal(&pair)),
        })
    }

    fn lower_expr(&mut self, pair: Pair<'_, Rule>) -> Result<Spanned<Expr>> {
        let span = self.span_of(&pair);
        let inner = pair.into_inner();
        // Operators nest in the tree the parser builds (a chain of `and`s is
        // as deep as it is long): bound their number, here before the tree
        // is built and below for the whole expression, so that no later pass
        // can be driven into deep recursion.
        if inner.len() > 2 * MAX_OPERANDS {
            return Err(SyntaxError::TooLong {
                limit: MAX_OPERANDS,
                span,
            });
        }
        // The closures below cannot borrow `self` mutably at once, so errors
        // are gathered in a cell and moved out afterwards.
        let errors = std::cell::RefCell::new(Vec::new());
        let result = PRATT
            .map_primary(|p| self.lower_operand(p, &errors))
            .map_prefix(|op, rhs| {
                let rhs = rhs?;
                let op_span = self.span_of(&op);
                let uop = match op.as_rule() {
                    Rule::op_not => UnaryOp::Not,
                    _ => UnaryOp::Neg,
                };
                Ok(Spanned::new(
                    Expr::Unary {
                        op: uop,
                        expr: Box::new(rhs.clone()),
                    },
                    op_span.join(rhs.span),
                ))
            })
            .map_postfix(|lhs, op| {
                let lhs = lhs?;
                let op_span = self.span_of(&op);
                let (negated, test) = self.lower_is_test(op)?;
                Ok(Spanned::new(
                    Expr::Is {
                        expr: Box::new(lhs.clone()),
                        negated,
                        test,
                    },
                    lhs.span.join(op_span),
                ))
            })
            .map_infix(|lhs, op, rhs| {
                let (lhs, rhs) = (lhs?, rhs?);
                let bop = match op.as_rule() {
                    Rule::op_or => BinaryOp::Or,
                    Rule::op_and => BinaryOp::And,
                    Rule::op_eq => BinaryOp::Eq,
                    Rule::op_ne => BinaryOp::Ne,
                    Rule::op_lt => BinaryOp::Lt,
                    Rule::op_le => BinaryOp::Le,
                    Rule::op_gt => BinaryOp::Gt,
                    Rule::op_ge => BinaryOp::Ge,
                    Rule::op_add => BinaryOp::Add,
                    Rule::op_sub => BinaryOp::Sub,
                    _ => return Err(self.internal(&op)),
                };
                let span = lhs.span.join(rhs.span);
                Ok(Spanned::new(
                    Expr::Binary {
                        op: bop,
                        lhs: Box::new(lhs),
                        rhs: Box::new(rhs),
                    },
                    span,
                ))
            })
            .parse(inner);
        self.errors.extend(errors.into_inner());
        let mut expr = result?;
        // Brackets hold expressions of their own: the limit is on the whole.
        if operands(&expr.node) > MAX_OPERANDS {
            return Err(SyntaxError::TooLong {
                limit: MAX_OPERANDS,
                span,
            });
        }
        if depth(&expr.node) > MAX_NESTING {
            return Err(SyntaxError::TooDeep {
                limit: MAX_NESTING,
                span,
            });
        }
        // The whole expression's text, with a closing bracket it ends with:
        // the tree's own spans stop at the last operand inside it.
        if span.start <= expr.span.start && expr.span.end <= span.end {
            expr.span = span;
        }
        Ok(expr)
    }

    fn lower_operand(
        &self,
        pair: Pair<'_, Rule>,
        errors: &std::cell::RefCell<Vec<SyntaxError>>,
    ) -> Result<Spanned<Expr>> {
        let mut nested = Lower {
            errors: Vec::new(),
            base: self.base,
        };
        let e = nested.lower_term(pair);
        errors.borrow_mut().extend(nested.errors);
        e
    }

    /// One operand: a bracketed expression, a name, a literal, or one of the
    /// keyword forms (quantifiers, aggregates, spans, calendar terms).
    fn lower_term(&mut self, pair: Pair<'_, Rule>) -> Result<Spanned<Expr>> {
        let span = self.span_of(&pair);
        let boxed = |e: Spanned<Expr>| Box::new(e);
        let node = match pair.as_rule() {
            Rule::expr => return self.lower_expr(pair),
            Rule::path => Expr::Path(self.path_of(&pair).node),
            Rule::quantified => {
                let mut inner = pair.clone().into_inner();
                let q = self.child(&mut inner, &pair)?;
                let quantifier = match q.clone().into_inner().next().map(|p| p.as_rule()) {
                    Some(Rule::kw_every) => Quantifier::Every,
                    Some(Rule::kw_some) => Quantifier::Some,
                    Some(Rule::kw_no) => Quantifier::No,
                    _ => return Err(self.internal(&q)),
                };
                let over = self.lower_binder(self.child(&mut inner, &pair)?)?;
                let cond = inner
                    .find(|p| p.as_rule() == Rule::expr)
                    .ok_or_else(|| self.internal(&pair))?;
                Expr::Quantified {
                    quantifier,
                    over,
                    condition: boxed(self.lower_expr(cond)?),
                }
            }
            Rule::aggregate => {
                let mut inner = pair.clone().into_inner();
                let kind_pair = self.child(&mut inner, &pair)?;
                let kind = self.lower_aggregate_kind(&kind_pair)?;
                let over = self.lower_binder(self.child(&mut inner, &pair)?)?;
                let filter = match inner.next() {
                    Some(f) => {
                        let e = f
                            .clone()
                            .into_inner()
                            .find(|p| p.as_rule() == Rule::expr)
                            .ok_or_else(|| self.internal(&f))?;
                        Some(boxed(self.lower_expr(e)?))
                    }
                    None => None,
                };
                Expr::Aggregate { kind, over, filter }
            }
            Rule::days_between | Rule::sequence => {
                let mut unit = Unit::Days;
                let mut terms = Vec::new();
                for p in pair.clone().into_inner() {
                    match p.as_rule() {
                        Rule::sequence_unit => {
                            unit = match p.clone().into_inner().next().map(|q| q.as_rule()) {
                                Some(Rule::unit_years) => Unit::Years,
                                _ => Unit::Months,
                            }
                        }
                        r if is_keyword(r) => {}
                        _ => terms.push(self.lower_term(p)?),
                    }
                }
                let mut terms = terms.into_iter();
                let (Some(from), Some(to)) = (terms.next(), terms.next()) else {
                    return Err(self.internal(&pair));
                };
                if pair.as_rule() == Rule::sequence {
                    Expr::Sequence {
                        unit,
                        from: boxed(from),
                        to: boxed(to),
                    }
                } else {
                    Expr::DaysBetween {
                        from: boxed(from),
                        to: boxed(to),
                    }
                }
            }
            Rule::calendar_fn => {
                let mut inner = pair.clone().into_inner();
                let op_pair = self.child(&mut inner, &pair)?;
                let op = match op_pair.clone().into_inner().next().map(|p| p.as_rule()) {
                    Some(Rule::cal_next_working_day) => CalendarOp::NextWorkingDayAfter,
                    Some(Rule::cal_day_after) => CalendarOp::DayAfter,
                    Some(Rule::cal_day_before) => CalendarOp::DayBefore,
                    Some(Rule::cal_start_of_month) => CalendarOp::StartOfMonth,
                    Some(Rule::cal_end_of_month) => CalendarOp::EndOfMonth,
                    Some(Rule::cal_date_of) => CalendarOp::DateOf,
                    Some(Rule::cal_time_of) => CalendarOp::TimeOf,
                    _ => return Err(self.internal(&op_pair)),
                };
                let arg = self.lower_term(self.child(&mut inner, &pair)?)?;
                Expr::Calendar {
                    op,
                    arg: boxed(arg),
                }
            }
            _ => Expr::Literal(self.lower_literal(&pair)?),
        };
        Ok(Spanned::new(node, span))
    }

    /// `X in L`.
    fn lower_binder(&mut self, pair: Pair<'_, Rule>) -> Result<Over> {
        let mut inner = pair
            .clone()
            .into_inner()
            .filter(|p| !is_keyword(p.as_rule()));
        let var = self.text(&self.child(&mut inner, &pair)?);
        let list = self.lower_term(self.child(&mut inner, &pair)?)?;
        Ok(Over {
            var,
            list: Box::new(list),
        })
    }

    fn lower_aggregate_kind(&mut self, pair: &Pair<'_, Rule>) -> Result<Aggregate> {
        let kind = self.child(&mut pair.clone().into_inner(), pair)?;
        let mut exprs = Vec::new();
        let mut window = None;
        for p in kind.clone().into_inner() {
            match p.as_rule() {
                Rule::duration => window = Some(self.lower_literal(&p)?),
                r if is_keyword(r) => {}
                _ => exprs.push(Box::new(self.lower_term(p)?)),
            }
        }
        let mut exprs = exprs.into_iter();
        let mut next = || exprs.next().ok_or_else(|| self.internal(&kind));
        Ok(match kind.as_rule() {
            Rule::count_of => Aggregate::Count,
            Rule::earliest_of => Aggregate::Earliest(next()?),
            Rule::latest_of => Aggregate::Latest(next()?),
            Rule::total_days => Aggregate::TotalDays {
                start: next()?,
                end: next()?,
            },
            Rule::longest_run => Aggregate::LongestRun {
                start: next()?,
                end: next()?,
            },
            Rule::most_days => {
                let Some(Literal::Duration { amount, unit }) = window else {
                    return Err(self.internal(&kind));
                };
                Aggregate::MostDays {
                    amount,
                    unit,
                    start: next()?,
                    end: next()?,
                }
            }
            _ => return Err(self.internal(&kind)),
        })
    }

    fn lower_literal(&mut self, pair: &Pair<'_, Rule>) -> Result<Literal> {
        Ok(match pair.as_rule() {
            Rule::boolean => Literal::Bool(pair.as_str() == "true"),
            Rule::number => Literal::Number(self.lower_number(pair)),
            Rule::string => Literal::Text(self.lower_string(pair).node),
            Rule::date => Literal::Date(self.lower_date(pair).node),
            Rule::datetime => Literal::DateTime(self.lower_datetime(pair)),
            Rule::time_of_day => match NaiveTime::parse_from_str(pair.as_str(), "%H:%M:%S")
                .or_else(|_| NaiveTime::parse_from_str(pair.as_str(), "%H:%M"))
            {
                Ok(t) => Literal::Time(t),
                Err(_) => {
                    self.errors.push(SyntaxError::InvalidTime {
                        text: pair.as_str().to_string(),
                        span: self.span_of(pair),
                    });
                    Literal::Time(NaiveTime::MIN)
                }
            },
            Rule::duration => {
                let mut inner = pair.clone().into_inner();
                let amount = self.lower_number(&self.child(&mut inner, pair)?);
                let unit_pair = self.child(&mut inner, pair)?;
                let unit = match unit_pair.clone().into_inner().next().map(|p| p.as_rule()) {
                    Some(Rule::unit_working_days) => Unit::WorkingDays,
                    Some(Rule::unit_days) => Unit::Days,
                    Some(Rule::unit_weeks) => Unit::Weeks,
                    Some(Rule::unit_months) => Unit::Months,
                    Some(Rule::unit_years) => Unit::Years,
                    _ => return Err(self.internal(&unit_pair)),
                };
                Literal::Duration { amount, unit }
            }
            _ => return Err(self.internal(pair)),
        })
    }

    fn lower_number(&mut self, pair: &Pair<'_, Rule>) -> i64 {
        match pair.as_str().parse::<i64>() {
            Ok(n) if n <= 1_000_000_000 => n,
            _ => {
                self.errors.push(SyntaxError::NumberTooLarge {
                    text: pair.as_str().to_string(),
                    span: self.span_of(pair),
                });
                0
            }
        }
    }

    fn lower_date(&mut self, pair: &Pair<'_, Rule>) -> Spanned<NaiveDate> {
        let span = self.span_of(pair);
        match NaiveDate::parse_from_str(pair.as_str(), "%Y-%m-%d") {
            Ok(d) => Spanned::new(d, span),
            Err(_) => {
                self.errors.push(SyntaxError::InvalidDate {
                    text: pair.as_str().to_string(),
                    span,
                });
                Spanned::new(NaiveDate::MIN, span)
            }
        }
    }

    fn lower_datetime(&mut self, pair: &Pair<'_, Rule>) -> NaiveDateTime {
        let text = pair.as_str();
        match NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S")
            .or_else(|_| NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M"))
        {
            Ok(dt) => dt,
            Err(_) => {
                self.errors.push(SyntaxError::InvalidTime {
                    text: text.to_string(),
                    span: self.span_of(pair),
                });
                NaiveDateTime::MIN
            }
        }
    }

    fn lower_string(&mut self, pair: &Pair<'_, Rule>) -> Spanned<String> {
        let raw = pair.clone().into_inner().next().map_or("", |p| p.as_str());
        let mut out = String::with_capacity(raw.len());
        let mut chars = raw.chars();
        while let Some(c) = chars.next() {
            if c == '\\' {
                match chars.next() {
                    Some('n') => out.push('\n'),
                    Some(other) => out.push(other),
                    None => {}
                }
            } else {
                out.push(c);
            }
        }
        Spanned::new(out, self.span_of(pair))
    }

    fn lower_example_decl(&mut self, pair: Pair<'_, Rule>) -> Result<Item> {
        let mut inner = pair
            .clone()
            .into_inner()
            .filter(|p| !is_keyword(p.as_rule()));
        let name = self.text(&inner.next().ok_or_else(|| self.internal(&pair))?);
        let assignments =
            self.lower_assignments(&inner.next().ok_or_else(|| self.internal(&pair))?)?;
        Ok(Item::Example(ExampleDecl { name, assignments }))
    }

    fn lower_assignments(&mut self, pair: &Pair<'_, Rule>) -> Result<Vec<Assignment>> {
        pair.clone()
            .into_inner()
            .filter(|p| p.as_rule() == Rule::assignment)
            .map(|p| self.lower_assignment(p))
            .collect()
    }

    fn lower_assignment(&mut self, pair: Pair<'_, Rule>) -> Result<Assignment> {
        let mut inner = pair.clone().into_inner();
        let path = self.path_of(&self.child(&mut inner, &pair)?);
        let value = self.lower_value(self.child(&mut inner, &pair)?)?;
        Ok(Assignment { path, value })
    }

    fn lower_value(&mut self, pair: Pair<'_, Rule>) -> Result<Spanned<Value>> {
        let span = self.span_of(&pair);
        let v = self.child(&mut pair.clone().into_inner(), &pair)?;
        let value = match v.as_rule() {
            Rule::absent_value => Value::Absent,
            Rule::none_value => Value::None,
            Rule::name => Value::Name(v.as_str().to_string()),
            Rule::record_value => Value::Record(self.lower_assignments(&v)?),
            Rule::list_value => Value::List(
                v.clone()
                    .into_inner()
                    .map(|e| self.lower_value(e))
                    .collect::<Result<_>>()?,
            ),
            Rule::datetime => Value::DateTime(self.lower_datetime(&v)),
            Rule::negative_number => {
                let n = self.child(&mut v.clone().into_inner(), &v)?;
                Value::Number(-self.lower_number(&n))
            }
            _ => match self.lower_literal(&v)? {
                Literal::Bool(b) => Value::Bool(b),
                Literal::Number(n) => Value::Number(n),
                Literal::Text(t) => Value::Text(t),
                Literal::Date(d) => Value::Date(d),
                _ => return Err(self.internal(&v)),
            },
        };
        Ok(Spanned::new(value, span))
    }

    fn lower_test_decl(&mut self, pair: Pair<'_, Rule>) -> Result<TestDecl> {
        let mut inner = pair
            .clone()
            .into_inner()
            .filter(|p| !is_keyword(p.as_rule()));
        let name = self.lower_string(&inner.next().ok_or_else(|| self.internal(&pair))?);
        let given = inner.next().ok_or_else(|| self.internal(&pair))?;
        let mut example = None;
        let mut assignments = Vec::new();
        for g in given.clone().into_inner() {
            match g.as_rule() {
                Rule::example_ref => {
                    let id = self.child(&mut g.clone().into_inner(), &g)?;
                    example = Some(self.text(&id));
                }
                Rule::assignments => assignments = self.lower_assignments(&g)?,
                _ => {}
            }
        }
        let mut expectations = Vec::new();
        for clause in inner {
            for e in clause
                .clone()
                .into_inner()
                .filter(|p| !is_keyword(p.as_rule()))
            {
                let span = self.span_of(&e);
                expectations.push(Spanned::new(self.lower_expectation(e)?, span));
            }
        }
        Ok(TestDecl {
            name,
            example,
            assignments,
            expectations,
        })
    }

    fn lower_expectation(&mut self, pair: Pair<'_, Rule>) -> Result<Expectation> {
        let parts: Vec<Pair<'_, Rule>> = pair
            .clone()
            .into_inner()
            .filter(|p| !is_keyword(p.as_rule()))
            .collect();
        // Names only need the base: a second lowerer lets the closure leave
        // `self` free for the dates below.
        let names = Lower {
            errors: Vec::new(),
            base: self.base,
        };
        let name = |i: usize| -> Result<Name> {
            parts
                .get(i)
                .map(|p| names.text(p))
                .ok_or_else(|| names.internal(&pair))
        };
        let item = |i: usize, this: &mut Lower| -> Option<Spanned<String>> {
            parts
                .get(i)
                .filter(|p| p.as_rule() == Rule::item_ref)
                .and_then(|p| p.clone().into_inner().find(|q| q.as_rule() == Rule::string))
                .map(|s| this.lower_string(&s))
        };
        Ok(match pair.as_rule() {
            Rule::expect_no_judgement => Expectation::NoJudgement,
            Rule::expect_no_actions => Expectation::NoActions,
            Rule::expect_no_advisories => Expectation::NoAdvisories,
            Rule::expect_no_action => Expectation::NoAction {
                name: name(0)?,
                item: item(1, self),
            },
            Rule::expect_no_advisory => Expectation::NoAdvisory {
                rule: name(0)?,
                item: item(1, self),
            },
            Rule::expect_no_deadline => Expectation::NoDeadline {
                name: name(0)?,
                item: item(1, self),
            },
            Rule::expect_no_findings => Expectation::NoFindings,
            Rule::expect_no_finding => Expectation::NoFinding {
                name: name(0)?,
                item: item(1, self),
            },
            Rule::expect_finding => Expectation::Finding {
                name: name(0)?,
                item: item(1, self),
            },
            Rule::expect_provisional => Expectation::Provisional {
                judgement: name(0)?,
                negated: pair
                    .clone()
                    .into_inner()
                    .any(|p| p.as_rule() == Rule::kw_not),
            },
            Rule::expect_action => {
                let due = parts
                    .iter()
                    .find(|p| p.as_rule() == Rule::expect_due)
                    .and_then(|p| p.clone().into_inner().find(|q| q.as_rule() == Rule::date))
                    .map(|d| self.lower_date(&d).node);
                Expectation::Action {
                    name: name(0)?,
                    due,
                    item: item(parts.len().saturating_sub(1), self),
                }
            }
            Rule::expect_advisory => Expectation::Advisory {
                rule: name(0)?,
                item: item(1, self),
            },
            Rule::expect_undetermined => Expectation::Undetermined { rule: name(0)? },
            Rule::expect_bound => Expectation::Bound {
                judgement: name(0)?,
                rule: name(1)?,
            },
            Rule::expect_error => Expectation::Error {
                text: self.lower_string(parts.first().ok_or_else(|| self.internal(&pair))?),
            },
            Rule::expect_judgement => {
                let value = parts.get(1).ok_or_else(|| self.internal(&pair))?;
                Expectation::Judgement {
                    name: name(0)?,
                    value: (value.as_rule() == Rule::name).then(|| self.text(value)),
                }
            }
            Rule::expect_deadline => {
                let when_pair = parts.get(1).ok_or_else(|| self.internal(&pair))?;
                let dates: Vec<NaiveDate> = when_pair
                    .clone()
                    .into_inner()
                    .filter(|p| p.as_rule() == Rule::date)
                    .map(|d| self.lower_date(&d).node)
                    .collect();
                let when = match dates.as_slice() {
                    [on] => ExpectedDeadline::On(*on),
                    [from, to] => ExpectedDeadline::Window {
                        from: *from,
                        to: *to,
                    },
                    _ => return Err(self.internal(when_pair)),
                };
                let target = parts
                    .iter()
                    .find(|p| p.as_rule() == Rule::expect_target)
                    .and_then(|p| p.clone().into_inner().find(|q| q.as_rule() == Rule::date))
                    .map(|d| self.lower_date(&d).node);
                let overdue = parts.iter().any(|p| p.as_rule() == Rule::expect_overdue);
                Expectation::Deadline {
                    name: name(0)?,
                    when,
                    target,
                    overdue,
                    item: item(parts.len().saturating_sub(1), self),
                }
            }
            _ => return Err(self.internal(&pair)),
        })
    }
}

impl Lower {
    fn lower_is_test(&self, op: Pair<'_, Rule>) -> Result<(bool, IsTest)> {
        let mut negated = false;
        let mut test = None;
        for p in op.clone().into_inner() {
            match p.as_rule() {
                Rule::kw_not => negated = true,
                Rule::kw_is => {}
                Rule::test_set => test = Some(IsTest::Set),
                Rule::test_none => test = Some(IsTest::None),
                Rule::test_known => test = Some(IsTest::Known),
                Rule::test_unknown => test = Some(IsTest::Unknown),
                Rule::test_empty => test = Some(IsTest::Empty),
                Rule::test_value | Rule::test_at_most | Rule::test_at_least => {
                    let name = p
                        .clone()
                        .into_inner()
                        .find(|q| q.as_rule() == Rule::name)
                        .ok_or_else(|| self.internal(&p))?;
                    let name = self.text(&name);
                    test = Some(match p.as_rule() {
                        Rule::test_value => IsTest::Value(name),
                        Rule::test_at_most => IsTest::AtMost(name),
                        _ => IsTest::AtLeast(name),
                    });
                }
                _ => return Err(self.internal(&p)),
            }
        }
        Ok((negated, test.ok_or_else(|| self.internal(&op))?))
    }
}

/// The operands of the operators in an expression, brackets and all:
/// one more than its binary operators.
fn operands(expr: &Expr) -> usize {
    let mut count = 1;
    let mut todo = vec![expr];
    while let Some(e) = todo.pop() {
        if matches!(e, Expr::Binary { .. }) {
            count += 1;
        }
        todo.extend(e.children().map(|c| &c.node));
    }
    count
}

/// How deep an expression nests, counting a chain of one operator
/// (`a and b and c`) as one level, however long.
fn depth(expr: &Expr) -> usize {
    match expr {
        Expr::Binary { op, lhs, rhs } => {
            let left = match &lhs.node {
                Expr::Binary { op: inner, .. } if inner == op => depth(&lhs.node),
                _ => 1 + depth(&lhs.node),
            };
            left.max(1 + depth(&rhs.node))
        }
        _ => 1 + expr.children().map(|c| depth(&c.node)).max().unwrap_or(0),
    }
}
