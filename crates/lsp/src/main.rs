//! `judgement-lsp`: the language server, over standard input and output.
#![forbid(unsafe_code)]

use std::process::ExitCode;

fn main() -> ExitCode {
    if std::env::args()
        .skip(1)
        .any(|a| a == "--version" || a == "-V")
    {
        println!("judgement-lsp {}", env!("CARGO_PKG_VERSION"));
        return ExitCode::SUCCESS;
    }
    let (connection, io) = match judgement_lsp::transport::stdio() {
        Ok(made) => made,
        Err(e) => {
            eprintln!("judgement-lsp: {e}");
            return ExitCode::FAILURE;
        }
    };
    let served = judgement_lsp::run(connection);
    let joined = io.join();
    match (served, joined) {
        (Ok(()), Ok(())) => ExitCode::SUCCESS,
        (Err(e), _) => {
            eprintln!("judgement-lsp: {e}");
            ExitCode::FAILURE
        }
        (_, Err(e)) => {
            eprintln!("judgement-lsp: {e}");
            ExitCode::FAILURE
        }
    }
}
