//! Lowering the declarations: scales, choices, records, evidence and its
//! fields and types, needs, thresholds, lets and judgements.

use super::{is_keyword, parts, Lower};
use crate::ast::*;
use crate::parse::{Result, Rule};
use crate::scan;
use crate::span::{Span, Spanned};
use pest::iterators::Pair;

impl Lower<'_> {
    pub(super) fn lower_item(&mut self, pair: Pair<'_, Rule>) -> Result<Item> {
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

    pub(super) fn lower_value_set(&mut self, pair: &Pair<'_, Rule>) -> Result<(Name, Vec<Name>)> {
        let mut inner = parts(pair);
        let name = self.text(&inner.next().ok_or_else(|| self.internal(pair))?);
        Ok((name, inner.map(|p| self.text(&p)).collect()))
    }

    pub(super) fn lower_record_decl(&mut self, pair: Pair<'_, Rule>) -> Result<Item> {
        let mut inner = parts(&pair);
        let name = self.text(&inner.next().ok_or_else(|| self.internal(&pair))?);
        let fields = inner
            .map(|p| self.lower_field_decl(p))
            .collect::<Result<_>>()?;
        Ok(Item::Record(RecordDecl { name, fields }))
    }

    pub(super) fn lower_fields(&mut self, pair: &Pair<'_, Rule>) -> Result<Vec<FieldDecl>> {
        pair.clone()
            .into_inner()
            .filter(|p| p.as_rule() == Rule::field_decl)
            .map(|p| self.lower_field_decl(p))
            .collect()
    }

    pub(super) fn lower_field_decl(&mut self, pair: Pair<'_, Rule>) -> Result<FieldDecl> {
        let mut inner = pair.clone().into_inner();
        let path = self.path_of(&self.child(&mut inner, &pair)?);
        let ty = self.lower_type_expr(self.child(&mut inner, &pair)?)?;
        let absence = match inner.next() {
            Some(a) => Some(self.lower_absence(a)?),
            None => None,
        };
        let span = pair.as_span();
        let end = self
            .comments
            .code_end(pair.get_input(), span.start(), span.end());
        let comment = Doc(scan::doc_comment(pair.get_input(), span.start(), end));
        Ok(FieldDecl {
            path,
            ty,
            absence,
            comment,
        })
    }

    pub(super) fn lower_type_expr(&mut self, pair: Pair<'_, Rule>) -> Result<Spanned<TypeExpr>> {
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

    pub(super) fn lower_needs_decl(&mut self, pair: Pair<'_, Rule>) -> Result<NeedsDecl> {
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

    pub(super) fn lower_absence(&mut self, pair: Pair<'_, Rule>) -> Result<Spanned<Absence>> {
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

    pub(super) fn lower_binding(&mut self, pair: &Pair<'_, Rule>) -> Result<(Name, Spanned<Expr>)> {
        let mut inner = parts(pair);
        let name = self.text(&inner.next().ok_or_else(|| self.internal(pair))?);
        let value = self.lower_expr(inner.next().ok_or_else(|| self.internal(pair))?)?;
        Ok((name, value))
    }

    pub(super) fn lower_judgement_decl(&mut self, pair: Pair<'_, Rule>) -> Result<Item> {
        let mut inner = parts(&pair);
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
}
