//! Definitions in a check: their items come before the checked file's own,
//! in one checker, and each `needs` is resolved to the declaration of that
//! name that the using ruleset provides. A definitions file checked on its
//! own stands a placeholder in for each of its needs: an opaque name of the
//! needed type.

use super::{Checker, Global};
use crate::diagnostic::CheckError;
use crate::model::*;
use crate::types::Type;
use judgement_syntax::ast::{self, FileKind, Item, TypeExpr};
use judgement_syntax::Span;
use std::collections::{HashMap, HashSet};

/// A definitions file in a check.
pub(crate) struct Included<'a> {
    pub file: &'a ast::File,
    /// The `uses` clause of the checked file that brings it in, directly or
    /// through other definitions.
    pub via: Span,
}

/// A `needs` declaration in a check.
pub(crate) struct Need<'a> {
    decl: &'a ast::NeedsDecl,
    /// The name of the definitions that declare it.
    from: &'a str,
    /// Where the checked file brings those definitions in; `None` for the
    /// needs of a definitions file checked on its own, which stay opaque.
    via: Option<Span>,
}

/// What a need asks for, its type resolved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Wanted {
    /// A judgement on this scale.
    Judgement(crate::types::EnumId),
    /// Any let, threshold or judgement of this type.
    Value(Type),
}

impl Checker {
    /// The items of the check, the definitions' first, and the needs: the
    /// checked file's own (a definitions file checked on its own) first.
    /// Declarations that do not belong where they are written are errors.
    /// The items are borrowed, never copied (the other passes pass over a
    /// `needs` they meet).
    pub(super) fn gather<'a>(
        &mut self,
        main: &'a ast::File,
        included: &'a [Included<'a>],
    ) -> (Vec<&'a Item>, Vec<Need<'a>>) {
        let mut items = Vec::new();
        let mut needs = Vec::new();
        let main_is_definitions = main.header.kind == FileKind::Definitions;
        for item in &main.items {
            match item {
                Item::Needs(n) if main_is_definitions => needs.push(Need {
                    decl: n,
                    from: &main.header.name.node,
                    via: None,
                }),
                Item::Needs(n) => self.errors.push(
                    CheckError::error(
                        "only definitions declare `needs`",
                        n.name.span,
                        "in a ruleset",
                    )
                    .with_help("a ruleset declares the name itself, with `let`, `threshold` or `judgement`"),
                ),
                _ => {}
            }
        }
        if included.is_empty() && !main_is_definitions {
            return (main.items.iter().collect(), needs);
        }
        for inc in included {
            for item in &inc.file.items {
                match item {
                    Item::Needs(n) => needs.push(Need {
                        decl: n,
                        from: &inc.file.header.name.node,
                        via: Some(inc.via),
                    }),
                    _ => self.gather_definition(item, &mut items),
                }
            }
        }
        for item in &main.items {
            match item {
                Item::Needs(_) => {}
                _ if main_is_definitions => self.gather_definition(item, &mut items),
                _ => items.push(item),
            }
        }
        (items, needs)
    }

    /// An item of a definitions file: judgements, examples and tests belong
    /// to the rulesets that use the definitions.
    fn gather_definition<'a>(&mut self, item: &'a Item, items: &mut Vec<&'a Item>) {
        let (message, span, label, help) = match item {
            Item::Judgement(j) => (
                format!(
                    "definitions declare no judgements: `{}` belongs to each ruleset that uses them",
                    j.name.node
                ),
                j.name.span,
                "a judgement in definitions",
                format!(
                    "name it here with `needs judgement {}: {}`, and declare it in each ruleset",
                    j.name.node, j.scale.node
                ),
            ),
            Item::Example(e) => (
                "definitions hold no examples".to_string(),
                e.name.span,
                "an example in definitions",
                "write examples and tests in each ruleset that uses the definitions, where the evidence is complete".to_string(),
            ),
            Item::Test(t) => (
                "definitions hold no tests".to_string(),
                t.name.span,
                "a test in definitions",
                "write tests in each ruleset that uses the definitions, where the evidence is complete".to_string(),
            ),
            _ => {
                items.push(item);
                return;
            }
        };
        self.errors
            .push(CheckError::error(message, span, label).with_help(help));
    }

    /// Resolve each need's type, and stand a placeholder in for each need
    /// that nothing declares: an own need of definitions checked on their
    /// own, or (an error) a need the checked file does not provide.
    /// Returns what each need asks for, `None` where its type is unknown.
    pub(super) fn stand_in_for_needs(
        &mut self,
        needs: &[Need<'_>],
        items: &[&Item],
    ) -> Vec<Option<Wanted>> {
        let lets: HashSet<&str> = items
            .iter()
            .filter_map(|i| match i {
                Item::Let(l) => Some(l.name.node.as_str()),
                _ => None,
            })
            .collect();
        let mut wanted = Vec::with_capacity(needs.len());
        for need in needs {
            if need.via.is_some() {
                self.needed.insert(need.decl.name.node.clone());
            }
            let w = self.wanted(need.decl);
            wanted.push(w);
            let (Some(w), name) = (w, &need.decl.name.node) else {
                continue;
            };
            if let Some(&(first, first_span)) = self.stand_ins.get(name) {
                if first != w {
                    let (a, b) = (self.wanted_text(first), self.wanted_text(w));
                    self.errors.push(
                        CheckError::error(
                            format!("`{name}` is needed as {a} and as {b}"),
                            need.decl.name.span,
                            "needed again here",
                        )
                        .with_help(format!(
                            "the first need is at {}; a name has one type",
                            self.sources.place(first_span)
                        )),
                    );
                }
                continue;
            }
            if self.globals.contains_key(name) || lets.contains(name.as_str()) {
                continue;
            }
            if let Some(via) = need.via {
                self.missing_need(need, w, via);
            }
            self.stand_in(&need.decl.name, w);
        }
        wanted
    }

    fn wanted(&mut self, decl: &ast::NeedsDecl) -> Option<Wanted> {
        if !decl.judgement {
            return self
                .resolve_type(&decl.ty.node, decl.ty.span)
                .map(Wanted::Value);
        }
        let TypeExpr::Named(scale) = &decl.ty.node else {
            self.errors.push(
                CheckError::error(
                    "a judgement takes a scale, not a list",
                    decl.ty.span,
                    "not a scale",
                )
                .with_help("write `needs judgement NAME: SCALE`"),
            );
            return None;
        };
        match self.enum_by_name.get(scale) {
            Some(&(id, _)) if self.model.enums.get(id).is_some_and(|e| e.ordered) => {
                Some(Wanted::Judgement(id))
            }
            Some(_) => {
                self.errors.push(
                    CheckError::error(
                        format!("`{scale}` is a choice, not a scale"),
                        decl.ty.span,
                        "not ordered",
                    )
                    .with_help("a judgement takes its values from an ordered `scale`"),
                );
                None
            }
            None => {
                self.errors.push(CheckError::error(
                    format!("there is no scale `{scale}`"),
                    decl.ty.span,
                    "unknown scale",
                ));
                None
            }
        }
    }

    /// "a `date`", "a judgement on the scale `grade`".
    fn wanted_text(&self, w: Wanted) -> String {
        match w {
            Wanted::Value(ty) => format!("a `{}`", self.shown(ty)),
            Wanted::Judgement(scale) => {
                let name = self.model.enums.get(scale).map_or("", |e| e.name.as_str());
                format!("a judgement on the scale `{name}`")
            }
        }
    }

    /// "this ruleset does", or "these definitions do" when they are checked
    /// on their own.
    fn checked_file_does(&self) -> &'static str {
        if self.definitions {
            "these definitions do"
        } else {
            "this ruleset does"
        }
    }

    fn missing_need(&mut self, need: &Need<'_>, w: Wanted, via: Span) {
        let name = &need.decl.name.node;
        let place = self.sources.place(need.decl.name.span);
        let declare = match w {
            Wanted::Judgement(scale) => {
                let scale = self.model.enums.get(scale).map_or("", |e| e.name.as_str());
                format!("declare `judgement {name}: {scale} from ...`")
            }
            Wanted::Value(_) => format!(
                "declare it, with `let {name} = ...` (or a threshold or judgement of that type)"
            ),
        };
        let help = if self.definitions {
            format!("{declare}, or pass the need on with `needs`; the need is at {place}")
        } else {
            format!("{declare}; the need is at {place}")
        };
        self.errors.push(
            CheckError::error(
                format!(
                    "the definitions `{}` need `{name}`, {}, which {} not declare",
                    need.from,
                    self.wanted_text(w),
                    self.checked_file_does()
                ),
                via,
                format!("needs `{name}`"),
            )
            .with_help(help),
        );
    }

    /// A placeholder for a need: an opaque evidence value of its type, or a
    /// judgement on its scale whose proposal no evidence field gives.
    fn stand_in(&mut self, name: &ast::Name, w: Wanted) {
        self.stand_ins.insert(name.node.clone(), (w, name.span));
        let ty = match w {
            Wanted::Value(ty) => ty,
            Wanted::Judgement(scale) => Type::Enum {
                id: scale,
                ordered: true,
            },
        };
        let field = self.model.fields.push(FieldDef {
            path: vec![name.node.clone()],
            name: name.node.clone(),
            ty,
            absence: AbsenceMode::Required,
            span: name.span,
            comment: None,
        });
        match w {
            Wanted::Value(_) => {
                self.field_by_path.insert(name.node.clone(), field);
            }
            Wanted::Judgement(scale) => {
                let id = self.model.judgements.push(JudgementDef {
                    name: name.node.clone(),
                    scale,
                    from: field,
                    applies: None,
                    applies_text: None,
                    applies_reads: Vec::new(),
                    span: name.span,
                });
                self.declare_global(name, Global::Judgement(id));
            }
        }
    }

    /// Each need that the checked file provides is provided with the type
    /// asked for (after lets are checked, so that their types are known).
    pub(super) fn check_needs_provided(&mut self, needs: &[Need<'_>], wanted: &[Option<Wanted>]) {
        let mut done: HashMap<&str, Wanted> = HashMap::new();
        for (need, w) in needs.iter().zip(wanted) {
            let (Some(w), name) = (*w, need.decl.name.node.as_str()) else {
                continue;
            };
            if self.stand_ins.contains_key(name) || done.insert(name, w) == Some(w) {
                continue;
            }
            let Some(&(global, _)) = self.globals.get(name) else {
                continue;
            };
            let (what, got, always_set) = match global {
                Global::Judgement(j) => {
                    let scale = self
                        .model
                        .judgements
                        .get(j)
                        .map_or(Default::default(), |d| d.scale);
                    (Wanted::Judgement(scale), "a judgement", true)
                }
                Global::Threshold(i) => {
                    let ty = self.model.thresholds.get(i).map_or(Type::Bool, |t| t.ty);
                    (Wanted::Value(ty), "a threshold", true)
                }
                Global::Let(l) => {
                    let ty = self.model.lets.get(l).map_or(Type::Bool, |d| d.ty);
                    let set = self.let_nullable.get(l).is_none_or(Vec::is_empty);
                    (Wanted::Value(ty), "a let", set)
                }
            };
            let fits = match (w, what) {
                (Wanted::Judgement(a), Wanted::Judgement(b)) => a == b,
                (Wanted::Judgement(_), Wanted::Value(_)) => false,
                (Wanted::Value(ty), Wanted::Judgement(scale)) => {
                    ty == Type::Enum {
                        id: scale,
                        ordered: true,
                    }
                }
                (Wanted::Value(a), Wanted::Value(b)) => a == b,
            };
            let at = need.via.unwrap_or(need.decl.name.span);
            let place = self.sources.place(need.decl.name.span);
            if !fits {
                let is = match what {
                    Wanted::Value(ty) => format!("{got} of type `{}`", self.shown(ty)),
                    Wanted::Judgement(_) => self.wanted_text(what),
                };
                self.errors.push(
                    CheckError::error(
                        format!(
                            "`{name}` is {is} here, but the definitions `{}` need {}",
                            need.from,
                            self.wanted_text(w)
                        ),
                        at,
                        format!("wrong kind of `{name}`"),
                    )
                    .with_help(format!("the need is at {place}")),
                );
                // The definitions' rules that bound it as a judgement are
                // no further error: this one says what is wrong.
                if matches!(w, Wanted::Judgement(_)) {
                    self.broken_names
                        .insert(name.to_string(), super::Broken::Judgement);
                }
            } else if !always_set {
                self.errors.push(
                    CheckError::error(
                        format!(
                            "`{name}` may be none, but the definitions `{}` need {} that is always set",
                            need.from,
                            self.wanted_text(w)
                        ),
                        at,
                        format!("`{name}` may be none"),
                    )
                    .with_help(format!(
                        "give `{name}` a value in every case; the need is at {place}"
                    )),
                );
            }
        }
    }
}
