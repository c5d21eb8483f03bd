//! The checked-in header is what cbindgen makes of `src/lib.rs` now.

#![allow(
    clippy::panic,
    clippy::expect_used,
    reason = "a test fails by panicking"
)]

use std::path::PathBuf;

#[test]
fn the_header_is_current() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let config = cbindgen::Config::from_file(dir.join("cbindgen.toml")).expect("cbindgen.toml");
    let mut generated = Vec::new();
    cbindgen::Builder::new()
        .with_config(config)
        .with_src(dir.join("src/lib.rs"))
        .generate()
        .expect("cbindgen reads src/lib.rs")
        .write(&mut generated);
    let generated = String::from_utf8(generated).expect("the header is UTF-8");
    let path = dir.join("include/judgement.h");
    let checked_in = std::fs::read_to_string(&path).unwrap_or_default();
    if generated == checked_in {
        return;
    }
    if std::env::var_os("JUDGEMENT_BLESS").is_some() {
        std::fs::write(&path, generated).expect("include/judgement.h is written");
        return;
    }
    panic!(
        "bindings/c/include/judgement.h is stale (src/lib.rs changed): run \
         `JUDGEMENT_BLESS=1 cargo test -p judgement-c --test header` and commit the header"
    );
}
