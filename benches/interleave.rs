//! Whether a bench run asks for its interleaved measurement: not when run
//! as a test (`--test`, `--list`), nor when given a filter that does not
//! name it (`cargo bench --bench pipeline -- stage/`). A bench's
//! interleaved measurement times its configurations in turn, round after
//! round, and takes each ratio within a round, which a host whose speed
//! drifts between criterion's benchmarks (run one after another) cannot
//! tilt.

pub fn wanted() -> bool {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let quick = args.iter().any(|a| a == "--test" || a == "--list");
    let filtered = args
        .iter()
        .filter(|a| !a.starts_with('-'))
        .any(|f| !"interleaved".contains(f.as_str()));
    !quick && !filtered
}
