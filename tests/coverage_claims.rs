//! The coverage figures the rulesets state in words (each rule file's
//! `# Coverage` header, and the children's homes README's table) are the
//! ones `judgement test --coverage rulesets` gives: two of them had drifted
//! from it as rules were added, unnoticed.

#![allow(
    clippy::panic,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "a test fails by panicking"
)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// One block of the coverage report: each measure's covered and total.
type Figures = BTreeMap<String, (u32, u32)>;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The report, block by block, keyed by what follows `coverage of `: a rule
/// file's path (`rulesets/x/y.rules`) or `definitions NAME`.
fn report() -> BTreeMap<String, Figures> {
    let out = Command::new(env!("CARGO_BIN_EXE_judgement"))
        .args(["test", "--coverage", "rulesets"])
        .current_dir(root())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let mut blocks = BTreeMap::new();
    let mut current: Option<(String, Figures)> = None;
    for line in text.lines() {
        if line.starts_with("total over ") {
            // The sum over every block, which ends the last.
            if let Some((name, figures)) = current.take() {
                blocks.insert(name, figures);
            }
        } else if let Some(rest) = line.strip_prefix("coverage of ") {
            if let Some((name, figures)) = current.take() {
                blocks.insert(name, figures);
            }
            // `rulesets/x/y.rules (x y): N tests` or `definitions NAME: N tests`.
            let name = match rest.strip_prefix("definitions ") {
                Some(def) => format!("definitions {}", def.split(':').next().unwrap()),
                None => rest.split(' ').next().unwrap().to_string(),
            };
            current = Some((name, Figures::new()));
        } else if let (Some((_, figures)), Some((measure, counts))) = (
            current.as_mut(),
            line.trim()
                .rsplit_once(char::is_whitespace)
                .and_then(|(left, _)| left.trim_end().rsplit_once(char::is_whitespace)),
        ) {
            if let Some((a, b)) = counts.split_once('/') {
                if let (Ok(a), Ok(b)) = (a.parse(), b.parse()) {
                    figures.insert(measure.trim().to_string(), (a, b));
                }
            }
        }
    }
    if let Some((name, figures)) = current {
        blocks.insert(name, figures);
    }
    blocks
}

/// The text of the `# Coverage` paragraph of a rule file, its comment
/// marks dropped and its lines joined.
fn header(path: &Path) -> Option<String> {
    let text = std::fs::read_to_string(path).unwrap();
    let mut words = Vec::new();
    let mut inside = false;
    for line in text.lines() {
        let Some(comment) = line.strip_prefix('#') else {
            if inside {
                break;
            }
            continue;
        };
        let comment = comment.trim();
        if comment.starts_with("Coverage (") {
            inside = true;
        } else if inside && comment.is_empty() {
            break;
        }
        if inside {
            words.extend(comment.split_whitespace().map(str::to_string));
        }
    }
    inside.then(|| words.join(" "))
}

/// The number written just before `phrase` in `text` (`all 47 rules fire`,
/// asked with `" rules fire"`), if the phrase is there.
fn number_before(text: &str, phrase: &str) -> Option<u32> {
    let at = text.find(phrase)?;
    let before = text[..at].trim_end();
    let digits: String = before
        .chars()
        .rev()
        .take_while(char::is_ascii_digit)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    Some(
        digits
            .parse()
            .unwrap_or_else(|_| panic!("no number just before `{phrase}` in: {text}")),
    )
}

/// `A of B` or `A of the B` just after `phrase` (`boundary coverage 22 of 22`).
fn pair_after(text: &str, phrase: &str) -> Option<(u32, u32)> {
    let at = text.find(phrase)? + phrase.len();
    let mut words = text[at..].split_whitespace();
    let a = words.next()?.parse().ok()?;
    assert_eq!(words.next(), Some("of"), "{phrase} in {text}");
    let mut b = words.next()?;
    if b == "the" {
        b = words.next()?;
    }
    Some((
        a,
        b.trim_matches(|c: char| !c.is_ascii_digit()).parse().ok()?,
    ))
}

#[test]
fn each_rule_files_coverage_header_states_what_the_tool_reports() {
    let report = report();
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join("rulesets"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .flat_map(|dir| std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()))
        .filter(|p| p.extension().is_some_and(|e| e == "rules"))
        .collect();
    files.sort();
    let mut checked = 0;
    for path in files {
        let Some(text) = header(&path) else { continue };
        let relative = path
            .strip_prefix(root())
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let key = if relative.starts_with("rulesets/definitions/") {
            format!(
                "definitions {}",
                path.file_stem().unwrap().to_string_lossy()
            )
        } else {
            relative.clone()
        };
        // A ruleset whose rules are all its definitions' says so and
        // states nothing of its own.
        if text.contains("file's rules are those of") {
            continue;
        }
        let figures = report
            .get(&key)
            .unwrap_or_else(|| panic!("{key} is not in the report: {:?}", report.keys()));
        let fired = figures["rules fired"];
        let both = figures["rules fired and not fired"];
        let parts = figures["condition parts true and false"];
        let bounds = figures["threshold boundaries (-1, 0, +1)"];
        let rules = number_before(&text, " rules fire in some")
            .unwrap_or_else(|| panic!("{relative}: no rule count in {text}"));
        assert_eq!(
            (rules, rules),
            fired,
            "{relative}: rules fired, header: {text}"
        );
        match number_before(&text, " with a condition also fail") {
            Some(n) => assert_eq!((n, n), both, "{relative}: rules not fired, header: {text}"),
            None => {
                assert!(
                    text.contains("fire in some test and fail to fire in another"),
                    "{relative}: rules not fired not stated: {text}"
                );
                assert_eq!(fired, both, "{relative}: rules not fired, header: {text}");
            }
        }
        match pair_after(&text, "boundary coverage") {
            Some(pair) => assert_eq!(pair, bounds, "{relative}: boundaries, header: {text}"),
            None => assert_eq!(bounds, (0, 0), "{relative}: boundaries not stated: {text}"),
        }
        if text.contains("every part of every condition is seen true and false") {
            assert_eq!(parts.0, parts.1, "{relative}: parts, header: {text}");
        } else {
            // `A of the B parts of conditions`
            let at = text
                .find(" parts of conditions")
                .unwrap_or_else(|| panic!("{relative}: no parts stated: {text}"));
            let before: Vec<&str> = text[..at].split_whitespace().collect();
            let n = before.len();
            assert_eq!(before[n - 3..n - 1], ["of", "the"], "{relative}: {text}");
            let stated: (u32, u32) = (
                before[n - 4].parse().unwrap(),
                before[n - 1].parse().unwrap(),
            );
            assert_eq!(stated, parts, "{relative}: parts, header: {text}");
        }
        checked += 1;
    }
    assert!(checked >= 4, "only {checked} headers read");
}

#[test]
fn the_childrens_homes_readme_table_states_what_the_tool_reports() {
    let report = report();
    let figures = &report["rulesets/childrens_homes/2015-04.rules"];
    let readme =
        std::fs::read_to_string(root().join("rulesets/childrens_homes/README.md")).unwrap();
    let row = |starts: &str| -> (u32, u32) {
        let line = readme
            .lines()
            .find(|l| l.starts_with(&format!("| {starts}")))
            .unwrap_or_else(|| panic!("no row `{starts}`"));
        let cell = line.trim_end_matches('|').rsplit('|').next().unwrap();
        let mut words = cell.split_whitespace();
        let a = words.next().unwrap().parse().unwrap();
        assert_eq!(words.next(), Some("of"), "{line}");
        (a, words.next().unwrap().parse().unwrap())
    };
    assert_eq!(row("rules that fire"), figures["rules fired"]);
    assert_eq!(
        row("rules with a condition"),
        figures["rules fired and not fired"]
    );
    assert_eq!(row("caps and floors"), figures["caps and floors bound"]);
    assert_eq!(
        row("parts of conditions"),
        figures["condition parts true and false"]
    );
    assert_eq!(
        row("comparisons with a threshold"),
        figures["threshold boundaries (-1, 0, +1)"]
    );
}
