//! Lets: each checked once, after the lets it reads. The order is found
//! without recursion, so a chain of thousands of lets does not exhaust the
//! stack; a cycle is reported once and its lets are left out.

use super::{Broken, Checker, Global};
use crate::diagnostic::CheckError;
use crate::model::*;
use judgement_syntax::ast::{self, Item};
use std::collections::HashMap;

impl Checker {
    pub(super) fn check_lets(&mut self, items: &[&Item]) {
        for item in items {
            if let Item::Let(l) = item {
                if self.globals.contains_key(&l.name.node)
                    || self.pending_lets.contains_key(&l.name.node)
                {
                    self.errors.push(CheckError::error(
                        format!("the name `{}` is declared twice", l.name.node),
                        l.name.span,
                        "declared again here",
                    ));
                    continue;
                }
                self.refuse_name_of_field(&l.name);
                self.pending_lets.insert(l.name.node.clone(), l.clone());
            }
        }
        for name in self.let_order(items) {
            self.resolve_let(&name);
        }
    }

    /// The lets in an order where each comes after the lets it reads, found
    /// without recursion (a chain of thousands of lets must not exhaust the
    /// stack). A cycle is reported here, once, and its lets are left out.
    fn let_order(&mut self, items: &[&Item]) -> Vec<String> {
        let names: Vec<&ast::LetDecl> = items
            .iter()
            .filter_map(|i| match i {
                Item::Let(l) if self.pending_lets.contains_key(&l.name.node) => Some(l),
                _ => None,
            })
            .collect();
        let index: HashMap<&str, usize> = names
            .iter()
            .enumerate()
            .map(|(i, l)| (l.name.node.as_str(), i))
            .collect();
        let deps: Vec<Vec<usize>> = names
            .iter()
            .map(|l| {
                let mut out = Vec::new();
                let mut stack = vec![&l.value];
                while let Some(e) = stack.pop() {
                    if let ast::Expr::Path(p) = &e.node {
                        if let Some(&d) = p.0.first().and_then(|n| index.get(n.as_str())) {
                            out.push(d);
                        }
                    }
                    stack.extend(e.node.children());
                }
                out
            })
            .collect();
        // 0: not seen, 1: on the path, 2: done.
        let mut state = vec![0u8; names.len()];
        let mut order = Vec::with_capacity(names.len());
        let mut cyclic: Vec<usize> = Vec::new();
        // From the lets in the order of their names, not of the file: the
        // order lets are evaluated in, and so which of two failing lets is
        // reported and the order of the trace, never depends on where a let
        // is written (docs/language.md section 6).
        let mut roots: Vec<usize> = (0..names.len()).collect();
        roots.sort_by(|a, b| {
            let name = |i: &usize| names.get(*i).map(|l| l.name.node.as_str());
            name(a).cmp(&name(b))
        });
        for root in roots {
            if state.get(root) != Some(&0) {
                continue;
            }
            let mut path: Vec<(usize, usize)> = vec![(root, 0)];
            if let Some(s) = state.get_mut(root) {
                *s = 1;
            }
            while let Some(&mut (node, ref mut next)) = path.last_mut() {
                let dep = deps.get(node).and_then(|d| d.get(*next)).copied();
                *next += 1;
                match dep {
                    Some(d) if state.get(d) == Some(&0) => {
                        if let Some(s) = state.get_mut(d) {
                            *s = 1;
                        }
                        path.push((d, 0));
                    }
                    Some(d) if state.get(d) == Some(&1) => {
                        // A cycle: the lets on the path from `d` to here.
                        let from = path.iter().position(|(n, _)| *n == d).unwrap_or(0);
                        let members: Vec<usize> = path
                            .get(from..)
                            .unwrap_or_default()
                            .iter()
                            .map(|(n, _)| *n)
                            .collect();
                        if !members.iter().any(|m| cyclic.contains(m)) {
                            let chain: Vec<&str> = members
                                .iter()
                                .chain(std::iter::once(&d))
                                .filter_map(|m| names.get(*m).map(|l| l.name.node.as_str()))
                                .collect();
                            let span = names.get(d).map(|l| l.name.span).unwrap_or_default();
                            self.errors.push(CheckError::error(
                                format!(
                                    "`{}` is defined in terms of itself ({})",
                                    chain.first().copied().unwrap_or_default(),
                                    chain.join(" -> ")
                                ),
                                span,
                                "cycle",
                            ));
                        }
                        cyclic.extend(members);
                    }
                    Some(_) => {}
                    None => {
                        if let Some(s) = state.get_mut(node) {
                            *s = 2;
                        }
                        order.push(node);
                        path.pop();
                    }
                }
            }
        }
        for &c in &cyclic {
            if let Some(l) = names.get(c) {
                self.pending_lets.remove(&l.name.node);
                self.broken_names.insert(l.name.node.clone(), Broken::Let);
            }
        }
        order
            .into_iter()
            .filter(|i| !cyclic.contains(i))
            .filter_map(|i| names.get(i).map(|l| l.name.node.clone()))
            .collect()
    }

    /// Check a let (once), checking the lets it reads first.
    pub(super) fn resolve_let(&mut self, name: &str) -> Option<LetId> {
        if let Some((Global::Let(id), _)) = self.globals.get(name) {
            return Some(*id);
        }
        let decl = self.pending_lets.get(name)?.clone();
        if self.let_stack.iter().any(|n| n == name) {
            self.errors.push(CheckError::error(
                format!(
                    "`{name}` is defined in terms of itself ({} -> {name})",
                    self.let_stack.join(" -> ")
                ),
                decl.name.span,
                "cycle",
            ));
            return None;
        }
        self.let_stack.push(name.to_string());
        let checked = self.check_value_expr(&decl.value, &[]);
        self.let_stack.pop();
        self.pending_lets.remove(name);
        let Some(typed) = checked else {
            self.broken_names.insert(name.to_string(), Broken::Let);
            return None;
        };
        if !typed.judgements.is_empty() {
            self.broken_names.insert(name.to_string(), Broken::Let);
            self.errors.push(
                CheckError::error(
                    format!("`{name}` reads a judgement; a `let` is worked out from the evidence before any judgement"),
                    decl.value.span,
                    "reads a judgement",
                )
                .with_help("read the judgement in the rule's condition instead"),
            );
            return None;
        }
        let id = self.model.lets.push(LetDef {
            name: name.to_string(),
            expr: typed.id,
            ty: typed.ty,
            span: decl.name.span,
        });
        self.let_reads.push(typed.reads);
        self.let_nullable.push(typed.nullable);
        self.let_facts.push(typed.facts);
        self.globals
            .insert(name.to_string(), (Global::Let(id), decl.name.span));
        Some(id)
    }
}
