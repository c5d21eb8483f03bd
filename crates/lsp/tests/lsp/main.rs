//! The language server as an editor uses it: message by message over an
//! in-memory connection, on the repository's real rule files.

#![allow(
    clippy::panic,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "a test fails by panicking"
)]

mod common;

use common::{apply, at, find, ruleset, text_of, Editor};
use lsp_types::notification::ShowMessage;
use lsp_types::request::{
    CodeLensRequest, Completion, ExecuteCommand, Formatting, GotoDefinition, HoverRequest,
    References,
};
use lsp_types::{
    CodeLensParams, CompletionParams, CompletionResponse, DiagnosticSeverity,
    DocumentFormattingParams, ExecuteCommandParams, FormattingOptions, GotoDefinitionParams,
    GotoDefinitionResponse, HoverContents, HoverParams, MessageType, NumberOrString, Position,
    Range, ReferenceContext, ReferenceParams, TextDocumentIdentifier, Url,
};
use serde_json::json;

mod choice_values;
mod completion;
mod definition_and_references;
mod definitions_and_calendars;
mod diagnostics;
mod formatting;
mod hover;
mod lifecycle;
mod outline;
mod test_runs;

const HOMES: &str = "childrens_homes/2015-04.rules";

fn hover(editor: &mut Editor, uri: &Url, position: Position) -> (String, Range) {
    let hover = editor
        .request::<HoverRequest>(HoverParams {
            text_document_position_params: at(uri, position),
            work_done_progress_params: Default::default(),
        })
        .expect("a hover");
    let HoverContents::Markup(markup) = hover.contents else {
        panic!("markdown expected: {:?}", hover.contents);
    };
    (markup.value, hover.range.expect("the hover's range"))
}

/// The code actions offered at `range` of the open document at `uri` for
/// `diagnostics`.
fn code_actions(
    editor: &mut Editor,
    uri: &Url,
    range: Range,
    diagnostics: Vec<lsp_types::Diagnostic>,
) -> Option<lsp_types::CodeActionResponse> {
    editor.request::<lsp_types::request::CodeActionRequest>(lsp_types::CodeActionParams {
        text_document: TextDocumentIdentifier::new(uri.clone()),
        range,
        context: lsp_types::CodeActionContext {
            diagnostics,
            only: None,
            trigger_kind: None,
        },
        work_done_progress_params: Default::default(),
        partial_result_params: Default::default(),
    })
}

/// Where go-to-definition at `position` leads.
fn go_to_definition(
    editor: &mut Editor,
    uri: &Url,
    position: Position,
) -> Vec<lsp_types::Location> {
    let found = editor
        .request::<GotoDefinition>(GotoDefinitionParams {
            text_document_position_params: at(uri, position),
            work_done_progress_params: Default::default(),
            partial_result_params: Default::default(),
        })
        .expect("a definition");
    let GotoDefinitionResponse::Array(locations) = found else {
        panic!("locations: {found:?}");
    };
    locations
}

/// The references to the name at `position`, its declaration with them
/// when `include_declaration`.
fn references(
    editor: &mut Editor,
    uri: &Url,
    position: Position,
    include_declaration: bool,
) -> Vec<lsp_types::Location> {
    editor
        .request::<References>(ReferenceParams {
            text_document_position: at(uri, position),
            context: ReferenceContext {
                include_declaration,
            },
            work_done_progress_params: Default::default(),
            partial_result_params: Default::default(),
        })
        .expect("references")
}

fn completions(
    editor: &mut Editor,
    uri: &Url,
    position: Position,
) -> Vec<lsp_types::CompletionItem> {
    let response = editor
        .request::<Completion>(CompletionParams {
            text_document_position: at(uri, position),
            work_done_progress_params: Default::default(),
            partial_result_params: Default::default(),
            context: None,
        })
        .expect("completions");
    match response {
        CompletionResponse::Array(items) => items,
        CompletionResponse::List(list) => list.items,
    }
}

fn complete(editor: &mut Editor, uri: &Url, position: Position) -> Vec<String> {
    completions(editor, uri, position)
        .into_iter()
        .map(|i| i.label)
        .collect()
}

fn end_of(text: &str) -> Position {
    let line = text.matches('\n').count() as u32;
    let last = text.rsplit('\n').next().unwrap_or("");
    Position::new(line, last.encode_utf16().count() as u32)
}

/// A folder of its own, made anew for each test that writes files.
fn scratch(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("judgement-lsp-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("visits")).unwrap();
    dir
}

const MESSAGES: &str = "ruleset messages \"Messages\"
  in force from 2015-04-01

record notice
  id: text
  served: date

evidence
  visit.start: date
  notices: list of notice default empty

threshold guidance_from = 2015-06-01

let late = visit.start > guidance_from

invalid too_early \"a visit on {visit.start}, before {guidance_from}\"
  when visit.start < guidance_from

rule each_notice \"para 1\"
  for each n in notices
  when late
  then action follow_up \"follow up {n.id}, served {n.served}\"
  then finding late_visit \"the \\\"visité\\\" came after { guidance_from }\"
  advise \"{{not a name}} {late}\"
";
