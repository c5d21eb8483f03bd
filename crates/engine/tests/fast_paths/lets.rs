//! Lets worked out where they are first read (`Model::let_plan`), as working
//! them out first would.

use super::*;

/// Lets worked out where they are first read (`Model::let_plan`): one read
/// first inside a `for each` rule, its own quantifier binding the slot the
/// rule's element is on; a chain of lets deeper than evaluation recurses;
/// a let that fails, read only on one branch; and a let a check reads, and
/// one a lead reads. Each `not` in the chain flips `flag`.
fn lazy_source(chain: usize) -> String {
    let mut lets = String::from("let link_0 = flag\n");
    for i in 1..=chain {
        lets.push_str(&format!("let link_{i} = not link_{}\n", i - 1));
    }
    format!(
        "ruleset lazy \"Lazy lets\"
  in force from 2015-04-01

record visit
  id: text
  late: bool

evidence
  flag: bool
  kind: text
  visits: list of visit default empty
  others: list of visit default empty
  period.start: date
  period.end: date

let any_other_late = some other in others satisfies other.late
let span = days from period.start to period.end
let checked = kind = \"refused\"
let led = kind = \"led\"
{lets}
invalid refused \"kind refused\"
  when checked and flag

rule late_with_others \"para 1\"
  for each visit in visits
  when visit.late and any_other_late
  then finding late_with_others

rule deep \"para 2\"
  when link_{chain}
  then finding deep

rule long \"para 3\"
  when not flag and span > 3 days
  then finding long

rule led_rule \"para 4\"
  when led and flag
  then finding led
"
    )
}

fn lazy_evidence(flag: bool, kind: &str, end: &str) -> Value {
    json!({
        "flag": flag,
        "kind": kind,
        "visits": [
            {"id": "v1", "late": true},
            {"id": "v2", "late": false},
            {"id": "v3", "late": true}
        ],
        "others": [{"id": "o1", "late": false}, {"id": "o2", "late": true}],
        "period": {"start": "2016-01-10", "end": end},
    })
}

#[test]
fn a_let_worked_out_where_it_is_first_read_gives_what_working_it_out_first_does() {
    // 40 and 700 lets deep: past the depth evaluation recurses to (700
    // overflows a test thread's stack where each let read works out the
    // one before it in turn); 800: past the size of plan kept, so every
    // let is worked out first.
    for chain in [2, 40, 700, 800] {
        let ruleset =
            Ruleset::from_source(&lazy_source(chain), &[]).unwrap_or_else(|e| panic!("{e:?}"));
        let deep = if chain % 2 == 0 { "deep null" } else { "" };
        let cases = [
            (
                true,
                "led",
                "2016-01-31",
                vec![
                    "late_with_others \"v1\"",
                    "late_with_others \"v3\"",
                    "led null",
                    deep,
                ],
            ),
            (
                true,
                "other",
                "2016-01-01",
                vec!["late_with_others \"v1\"", "late_with_others \"v3\"", deep],
            ),
            (
                false,
                "refused",
                "2016-01-31",
                vec![
                    "late_with_others \"v1\"",
                    "late_with_others \"v3\"",
                    "long null",
                ],
            ),
        ];
        for (flag, kind, end, expected) in cases {
            let evidence = lazy_evidence(flag, kind, end);
            let (plain, long) = both(&ruleset, &evidence);
            assert_eq!(plain, long, "{chain}: {evidence}");
            assert_eq!(by_text(&ruleset, &evidence), long, "{chain}: {evidence}");
            let mut expected: Vec<String> = expected
                .into_iter()
                .filter(|f| !f.is_empty())
                .map(String::from)
                .collect();
            let mut got = findings(&plain);
            expected.sort();
            got.sort();
            assert_eq!(got, expected, "{chain}: {evidence}");
        }
        // The let that fails is the error only where it is read: with
        // `flag` false, and then the same by the short cuts and the long way.
        let evidence = lazy_evidence(false, "other", "2016-01-01");
        let (plain, long) = both(&ruleset, &evidence);
        assert_eq!(plain, long);
        let error = plain.unwrap_err();
        assert!(error.contains("before it starts"), "{error}");
        // A check reads its let before any rule.
        let evidence = lazy_evidence(true, "refused", "2016-01-31");
        let (plain, long) = both(&ruleset, &evidence);
        assert_eq!(plain, long);
        assert!(plain.unwrap_err().contains("kind refused"));
    }
}
