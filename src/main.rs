//! The `judgement` command line. All of it is in `judgement-cli`; this is
//! only its entry point, so that `cargo install --path .` and `cargo run`
//! work from the root of the repository.
#![forbid(unsafe_code)]

fn main() -> std::process::ExitCode {
    judgement_cli::main()
}
