//! `judgement` end to end: explain.

use super::*;

#[test]
fn explain_says_what_happened_and_why() {
    let run = judgement(&["explain", "--ruleset", REAL, &data("full_inspection.json")]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = words(&run.stdout);
    assert!(
        text.contains("Ruleset childrens_homes, edition 2015-04"),
        "{text}"
    );
    assert!(text.contains("calendar england_and_wales"));
    assert!(
        text.contains(
            "Overall: requires improvement. Proposed good; lowered by rule leadership_limits_overall (para 104): at most requires improvement."
        ),
        "{text}"
    );
    assert!(text.contains("Leaders and managers: inadequate. Proposed good; lowered by rule vacancy_forces_inadequate_leadership (Annex N para 19)"));
    assert!(text.contains(
        "The handbook: \"Where there has been a registered manager vacancy of 26 weeks or more"
    ));
    assert!(text.contains("Reading taken:"));
    assert!(text.contains("Interim: not made at this inspection"));
    assert!(text.contains("Urgent case review: required by rule vacancy_26_weeks (Annex N para 2)"));
    assert!(text.contains("Draft report: "));
    assert!(
        text.contains(
            "2016-01-04 is 10 working days after 2015-12-16, skipping 6 weekend days and the bank \
             holidays 2015-12-25 (Christmas Day), 2015-12-28 (Boxing Day (substitute day)) and \
             2016-01-01 (New Year's Day)."
        ),
        "{text}"
    );
    assert!(text.contains("overall is likely to be inadequate"));
    assert!(
        text.contains("vacancy = 183 days (defined as inspection.start - manager.vacant_since)")
    );
    assert!(text.contains("read manager.vacant_since = 2015-05-10, vacancy = 183 days"));
}

#[test]
fn explain_shows_the_working_of_action_dues_and_of_dates_a_let_names() {
    // Annex C para 10: the DCS email is due by the next working day after
    // feedback on Christmas Eve; an action's due date shows its working too.
    let mut record = full_inspection();
    record["inspection"] = serde_json::json!({
        "kind": "full", "start": "2015-12-22", "end": "2015-12-24", "feedback": "2015-12-24"
    });
    record["proposed"]["overall"] = "inadequate".into();
    record["proposed"]["helped_and_protected"] = "inadequate".into();
    let file = tmp_file("email_dcs_christmas.json", &record.to_string());
    let run = judgement(&["explain", "-r", REAL, &file]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = words(&run.stdout);
    assert!(
        text.contains(
            "due by 2015-12-29. 2015-12-29 is 1 working day after 2015-12-24, skipping 2 weekend \
             days and the bank holidays 2015-12-25 (Christmas Day) and 2015-12-28 (Boxing Day \
             (substitute day))."
        ),
        "{text}"
    );
    // VAA para 9: `notice_by` is a `let` (start - 10 working days); the
    // deadline shows the working of the let's expression.
    let record = serde_json::json!({
        "id": "vaa-notice-christmas",
        "inspection": {"kind": "full", "notice_given": "2016-12-22", "start": "2017-01-09",
                       "end": "2017-01-13", "feedback": "2017-01-13"},
        "agency": {"registered": "2010-05-01", "adopters_approved": 12,
                   "adopters_in_assessment": 3, "concerns": false},
        "proposed": {"overall_effectiveness": "good"}
    });
    let file = tmp_file("vaa_notice_christmas.json", &record.to_string());
    let run = judgement(&[
        "explain",
        "-r",
        "rulesets/voluntary_adoption_agencies",
        &file,
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = words(&run.stdout);
    assert!(
        text.contains(
            "Notice by: 2016-12-21, by rule notice_deadline (para 9). 2016-12-21 is 10 working \
             days before 2017-01-09, skipping 6 weekend days and the bank holidays 2016-12-26 \
             (Boxing Day), 2016-12-27 (Christmas Day (substitute day)) and 2017-01-02 (New \
             Year's Day (substitute day))."
        ),
        "{text}"
    );
}

/// A date counted in a let from another let's count shows both counts;
/// a count inside `earliest ... for v in visits`, made for each visit, is
/// not shown with a `for each` rule's element in the visit's place (it was
/// shown from the wrong date, and could fail where eval did not).
#[test]
fn explain_shows_a_chain_of_counts_and_no_count_made_for_each_element() {
    let rules = "ruleset wd \"Working days\"
  in force from 2015-04-01
  calendar england_and_wales

record visit
  id: text
  date: date

evidence
  inspection.end: date
  visits: list of visit default empty
  others: list of visit default empty

let base = inspection.end + 2 working days
let report_due = base + 3 working days
let first_due = earliest v.date + 5 working days for v in visits

rule r1 \"para 1\"
  then deadline report = report_due

rule r2 \"para 2\"
  for each o in others
  when first_due is set
  then deadline first = first_due
";
    let dir = dir_with_calendar("chain_of_counts");
    std::fs::write(dir.join("wd.rules"), rules).unwrap();
    let evidence = json!({
        "inspection": {"end": "2015-12-23"},
        "visits": [{"id": "a", "date": "2016-03-01"}, {"id": "b", "date": "2015-12-24"}],
        "others": [{"id": "x", "date": "2015-12-25"}]
    });
    std::fs::write(dir.join("wd.json"), evidence.to_string()).unwrap();
    let ruleset = dir.join("wd.rules").display().to_string();
    let record = dir.join("wd.json").display().to_string();
    let run = judgement(&["explain", "-r", &ruleset, &record]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = words(&run.stdout);
    assert!(
        text.contains(
            "Report: 2016-01-04, by rule r1 (para 1). 2015-12-29 is 2 working days after \
             2015-12-23, skipping 2 weekend days and the bank holidays 2015-12-25 (Christmas \
             Day) and 2015-12-28 (Boxing Day (substitute day)). 2016-01-04 is 3 working days \
             after 2015-12-29, skipping 2 weekend days and the bank holiday 2016-01-01 (New \
             Year's Day)."
        ),
        "{text}"
    );
    assert!(
        text.contains("First for visit x: 2016-01-05, by rule r2"),
        "{text}"
    );
    assert!(!text.contains("working days after 2015-12-25"), "{text}");
}

/// A date a number of calendar months from another is worked like a count
/// of working days: the step, and the month's last day where it has no
/// such day; a working-day count from it follows; months back say
/// "before". The trace holds each step as `months`.
#[test]
fn explain_shows_the_working_of_calendar_months() {
    let rules = "ruleset m \"Months\"
  in force from 2012-01-01
  calendar england_and_wales

evidence
  inspection.end: date

let review = inspection.end + 3 months

rule r1 \"para 1\"
  then deadline review = review

rule r2 \"para 2\"
  then deadline follow_up = review + 2 working days

rule r3 \"para 3\"
  then deadline look_back = inspection.end - 1 months
";
    let dir = dir_with_calendar("calendar_months");
    std::fs::write(dir.join("m.rules"), rules).unwrap();
    for (end, words_expected) in [
        (
            "2012-08-31",
            [
                "Review: 2012-11-30, by rule r1 (para 1). 2012-11-30 is 3 calendar months after \
                 2012-08-31: November has no 31st, so its last day.",
                "Follow up: 2012-12-04, by rule r2 (para 2). 2012-11-30 is 3 calendar months \
                 after 2012-08-31: November has no 31st, so its last day. 2012-12-04 is 2 working \
                 days after 2012-11-30, skipping 2 weekend days.",
                "Look back: 2012-07-31, by rule r3 (para 3). 2012-07-31 is 1 calendar month \
                 before 2012-08-31.",
            ],
        ),
        (
            "2012-08-15",
            [
                "Review: 2012-11-15, by rule r1 (para 1). 2012-11-15 is 3 calendar months after \
                 2012-08-15.",
                "Follow up: 2012-11-19, by rule r2 (para 2). 2012-11-15 is 3 calendar months \
                 after 2012-08-15. 2012-11-19 is 2 working days after 2012-11-15, skipping 2 \
                 weekend days.",
                "Look back: 2012-07-15, by rule r3 (para 3). 2012-07-15 is 1 calendar month \
                 before 2012-08-15.",
            ],
        ),
    ] {
        let evidence = json!({"inspection": {"end": end}});
        std::fs::write(dir.join("m.json"), evidence.to_string()).unwrap();
        let ruleset = dir.join("m.rules").display().to_string();
        let record = dir.join("m.json").display().to_string();
        let run = judgement(&["explain", "-r", &ruleset, &record]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        let text = words(&run.stdout);
        for expected in words_expected {
            assert!(text.contains(&words(expected)), "{expected}\n{text}");
        }
    }
    let run = judgement(&[
        "eval",
        "--trace",
        "-r",
        &dir.join("m.rules").display().to_string(),
        &dir.join("m.json").display().to_string(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let outcome: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let steps: Vec<&serde_json::Value> = outcome["trace"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["step"] == "months")
        .collect();
    assert!(
        steps.contains(&&json!({
            "step": "months", "rule": "r3", "cite": "para 3", "deadline": "look_back",
            "start": "2012-08-15", "months": -1, "end": "2012-07-15", "clamped": false
        })),
        "{steps:?}"
    );
}

#[test]
fn explain_names_the_rule_that_withholds_a_judgement() {
    let mut record = full_inspection();
    record["inspection"]["kind"] = "interim".into();
    record["home"]["first_inspection_since_registration"] = true.into();
    record["home"]["children_placed"] = 0.into();
    record["manager"] = serde_json::json!({});
    record["proposed"] = serde_json::json!({"interim": "sustained_effectiveness"});
    let file = tmp_file("withheld.json", &record.to_string());
    let run = judgement(&["explain", "-r", REAL, &file]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = words(&run.stdout);
    assert!(
        text.contains("Interim: no judgement is made. Proposed sustained effectiveness; withheld by rule no_children_at_first_inspection (Annex G paras 1-2)."),
        "{text}"
    );
    assert!(!text.contains("fired and set it to"), "{text}");
    // A rule that fired and would have set the judgement is named, with
    // what it said, where the withholding set it aside.
    record["manager"] = serde_json::json!({"vacant_since": "2015-01-01"});
    let file = tmp_file("withheld_vacancy.json", &record.to_string());
    let run = judgement(&["explain", "-r", REAL, &file]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = words(&run.stdout);
    assert!(
        text.contains("Rule vacancy_forces_declined_interim (Annex N para 19) fired and set it to declined in effectiveness; with no judgement made, that has no effect."),
        "{text}"
    );
}

#[test]
fn explain_of_json_lines_says_to_use_eval() {
    let run = judgement(&[
        "explain",
        "-r",
        REAL,
        "examples/childrens_homes/batch.jsonl",
    ]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(
        run.stderr,
        "error: `examples/childrens_homes/batch.jsonl` holds more than one JSON record (JSON \
         Lines), and `explain` explains one; use `judgement eval` for many\n"
    );
    assert!(run.stdout.is_empty());
    // One record then a broken one is JSON Lines too; one record then
    // anything else is a broken record.
    let file = tmp_file("two.json", &format!("{}\n{{\"id\": ", full_inspection()));
    let run = judgement(&["explain", "-r", REAL, &file]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("use `judgement eval`"),
        "{}",
        run.stderr
    );
    let file = tmp_file("trailing.json", &format!("{}\n]", full_inspection()));
    let run = judgement(&["explain", "-r", REAL, &file]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("trailing characters"), "{}", run.stderr);
}

#[test]
fn explain_of_bad_evidence_fails_like_eval() {
    let mut record = full_inspection();
    record["proposed"]["overall"] = "goood".into();
    let file = tmp_file("goood.json", &record.to_string());
    let run = judgement(&["explain", "-r", REAL, &file]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("proposed.overall: expected one of"));
    assert!(run.stdout.is_empty());
}
