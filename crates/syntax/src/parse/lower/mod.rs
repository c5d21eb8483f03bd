//! Lowering pest pairs to the AST, one `lower_<rule>` method of [`Lower`]
//! per grammar rule: this file holds the pieces they share and the file and
//! its header; the other files follow the grammar's sections.

mod examples;
mod expr;
mod items;
mod literals;
mod rules;

use super::{Result, Rule};
use crate::ast::*;
use crate::error::SyntaxError;
use crate::scan;
use crate::span::{Span, Spanned};
use pest::iterators::Pair;
use std::sync::LazyLock;

/// Lower a parsed file: the AST, or every error found on the way.
pub(super) fn file(
    pair: Pair<'_, Rule>,
    base: usize,
    comments: &scan::Comments,
) -> std::result::Result<File, Vec<SyntaxError>> {
    let mut lower = Lower {
        errors: Vec::new(),
        base,
        comments,
    };
    match lower.lower_file(pair) {
        Ok(file) if lower.errors.is_empty() => Ok(file),
        Ok(_) => Err(lower.errors),
        Err(e) => {
            lower.errors.push(e);
            Err(lower.errors)
        }
    }
}

/// Children that are not keywords: the parts a lowering function reads.
fn parts<'a>(pair: &Pair<'a, Rule>) -> impl Iterator<Item = Pair<'a, Rule>> {
    pair.clone()
        .into_inner()
        .filter(|p| !is_keyword(p.as_rule()))
}

/// Whether a rule is a keyword (named `kw_...`): from a table of every rule,
/// made once, since lowering asks it of every child of every node.
fn is_keyword(rule: Rule) -> bool {
    static KEYWORDS: LazyLock<Vec<bool>> = LazyLock::new(|| {
        let mut table = Vec::new();
        for rule in Rule::all_rules() {
            let index = *rule as usize;
            if table.len() <= index {
                table.resize(index + 1, false);
            }
            if let Some(slot) = table.get_mut(index) {
                *slot = format!("{rule:?}").starts_with("kw_");
            }
        }
        table
    });
    KEYWORDS.get(rule as usize).copied().unwrap_or(false)
}

/// Lowering pest pairs to the AST. `base` is added to every span made, so
/// that the files of one ruleset (its own and the definitions it uses) share
/// one span space; `comments` are the file's, for the end of each span.
struct Lower<'c> {
    errors: Vec<SyntaxError>,
    base: usize,
    comments: &'c scan::Comments,
}

/// The pieces every lowering function uses: spans, names, paths, and the
/// error for a shape the grammar should not allow.
impl Lower<'_> {
    /// A pair's span, without the layout (spaces, comments) pest may take
    /// in after its last token.
    fn span_of(&self, pair: &Pair<'_, Rule>) -> Span {
        let s = pair.as_span();
        let end = self.comments.code_end(pair.get_input(), s.start(), s.end());
        Span::new(self.base + s.start(), self.base + end)
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

impl Lower<'_> {
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
        let ps: Vec<_> = parts(&pair).collect();
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
            let mut inner = parts(clause);
            let first = inner.next().ok_or_else(|| self.internal(clause))?;
            // `uses` may be written as often as there are definitions to use.
            if seen.contains(&clause.as_rule()) && clause.as_rule() != Rule::uses_clause {
                // Named by its keywords: `in force`, `as at` and
                // `evaluated on` are two words, which a comment may part.
                let code: Vec<&str> = clause
                    .as_str()
                    .lines()
                    .map(|line| line.split('#').next().unwrap_or(""))
                    .collect();
                let code = code.join(" ");
                let mut words = code.split_whitespace();
                let word = match words.next().unwrap_or_default() {
                    first @ ("in" | "as" | "evaluated") => {
                        format!("{first} {}", words.next().unwrap_or_default())
                    }
                    first => first.to_string(),
                };
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
}
