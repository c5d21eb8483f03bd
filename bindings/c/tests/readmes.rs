//! Each binding's README shows its example as it is: the file that
//! `bindings/ci.sh` compiles and runs.

#![allow(
    clippy::panic,
    clippy::expect_used,
    reason = "a test fails by panicking"
)]

use std::path::Path;

fn shows(readme: &str, example: &str, language: &str) {
    let bindings = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let read = |p: &str| std::fs::read_to_string(bindings.join(p)).expect(p);
    let block = format!("```{language}\n{}```\n", read(example));
    assert!(
        read(readme).contains(&block),
        "bindings/{readme} does not show bindings/{example} as it is: copy the file into its ```{language} block"
    );
}

#[test]
fn the_c_readme_shows_its_example() {
    shows("c/README.md", "c/examples/example.c", "c");
}

#[test]
fn the_dotnet_readme_shows_its_example() {
    shows("dotnet/README.md", "dotnet/examples/Example.cs", "csharp");
}
