//! Why a question cannot be answered.

use super::{ask_as, EffectKind};
use crate::error::EvalError;

/// Why a question cannot be answered.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum WhyNotError {
    #[error("no rule, judgement, action, finding or deadline `{name}` in ruleset {ruleset}{}", hint(.suggestion))]
    UnknownTarget {
        name: String,
        ruleset: String,
        suggestion: Option<String>,
    },
    #[error("`{name}` is an `invalid` check, which refuses evidence: evaluating the record says whether it holds; why-not asks about rules, judgements, actions, findings and deadlines")]
    Check { name: String },
    #[error("no {} `{name}` is given by a rule of ruleset {ruleset}{}", .kind.as_str(), hint(.suggestion))]
    UnknownEffect {
        kind: EffectKind,
        name: String,
        ruleset: String,
        suggestion: Option<String>,
    },
    #[error("`{name}` is the name of {}: ask {}", kinds_named(.kinds), ask_as(.kinds, .name))]
    AskEffectAs {
        name: String,
        kinds: Vec<EffectKind>,
    },
    #[error("`{prefix}:` is no kind of target: ask `action:NAME`, `finding:NAME` or `deadline:NAME`, or name a rule or a judgement")]
    UnknownKind { prefix: String },
    #[error("{}", no_name(.after.as_deref()))]
    NoName { after: Option<String> },
    #[error("`{}:{name}` takes no value: {} is given or not; ask `{}:{name}` alone", .kind.as_str(), kinds_named(std::slice::from_ref(.kind)), .kind.as_str())]
    EffectWithValue { kind: EffectKind, name: String },
    #[error("`{name}` is a rule, not a judgement: `{name}={value}` asks for a judgement's value; ask `{name}` alone for why the rule did or did not fire")]
    RuleWithValue { name: String, value: String },
    #[error("`{value}` is not a value of judgement {judgement} (its scale: {scale}){}", hint(.suggestion))]
    UnknownValue {
        judgement: String,
        value: String,
        scale: String,
        suggestion: Option<String>,
    },
    #[error(transparent)]
    Eval(#[from] EvalError),
}

/// Why-not asked with no name, or none after `KIND:`.
fn no_name(after: Option<&str>) -> String {
    match after {
        Some(judgement) if judgement.ends_with('=') => format!(
            "no value is given after `{judgement}`: write `{judgement}VALUE`, or the judgement alone for the best value of its scale"
        ),
        Some(prefix) => format!("no name is given after `{prefix}`: write `{prefix}NAME`"),
        None => "no name is given: name a rule, a judgement (`JUDGEMENT=VALUE`), or an action, finding or deadline (`action:NAME`)".to_string(),
    }
}

/// "an action and a finding".
pub(super) fn kinds_named(kinds: &[EffectKind]) -> String {
    kinds
        .iter()
        .map(|k| match k {
            EffectKind::Action => "an action",
            EffectKind::Finding => "a finding",
            EffectKind::Deadline => "a deadline",
        })
        .collect::<Vec<_>>()
        .join(" and ")
}

fn hint(suggestion: &Option<String>) -> String {
    match suggestion {
        Some(s) => format!(": {s}"),
        None => String::new(),
    }
}
