//! Rule files and evidence at the sizes that once crashed the engine or
//! made it slow (issue 6), generated rather than stored. Shared by
//! `tests/robustness.rs`, which checks what they give, and
//! `benches/pathological.rs`, which times them in a release build.

#![allow(dead_code, reason = "each user takes the generators it needs")]

/// A header that names the England and Wales calendar.
pub const HEADER: &str =
    "ruleset r \"R\"\n  in force from 2015-04-01\n  calendar england_and_wales\n\n";

/// `n` lets, each reading the next (item 2).
pub fn let_chain(n: usize) -> String {
    let mut source = String::from(HEADER);
    source.push_str("evidence\n  x: number\n\n");
    for i in 0..n {
        source.push_str(&format!("let a{i} = a{}\n", i + 1));
    }
    source.push_str(&format!(
        "let a{n} = x + 1\n\nrule r1 \"p\" when a0 > 1 then action a\n"
    ));
    source
}

/// `levels` lets, each the sum of the three before it, from fields that
/// may be none, read by a rule that guards the last (item 4).
pub fn shared_lets(levels: usize) -> String {
    let mut source = String::from(HEADER);
    source.push_str("evidence\n  x: number or none\n  y: number or none\n  z: number or none\n\n");
    source.push_str("let l0 = x\nlet l1 = y\nlet l2 = z\n");
    for i in 3..levels {
        source.push_str(&format!(
            "let l{i} = l{} + l{} + l{}\n",
            i - 1,
            i - 2,
            i - 3
        ));
    }
    let last = levels - 1;
    source.push_str(&format!(
        "\nrule r1 \"p\" when l{last} is set and l{last} > 0 then action a\n"
    ));
    source
}

/// `n` evidence fields (item 5).
pub fn many_fields(n: usize) -> String {
    let mut source = String::from(HEADER);
    source.push_str("evidence\n");
    for i in 0..n {
        source.push_str(&format!("  f{i}: bool\n"));
    }
    source
}

/// `n` rules on one field (item 5).
pub fn many_rules(n: usize) -> String {
    let mut source = String::from(HEADER);
    source.push_str("evidence\n  a: bool\n\n");
    for i in 0..n {
        source.push_str(&format!("rule r{i} \"p\" when a then action x\n"));
    }
    source
}

/// `n` rules that each cap one judgement when a field says so, with a test
/// in which they all fire and one in which none does: rule coverage found
/// each rule's count, and each binding constraint, along all the others,
/// and counted the lines before each place, the square of `n` (13.4 s for
/// 14,400 such rules on the command line).
pub fn capping_rules(n: usize) -> String {
    let mut source = String::from(HEADER);
    source.push_str(
        "scale grade: good > fair > poor\n\nevidence\n  care: grade\n  proposed: grade\n\n\
         judgement overall: grade from proposed\n",
    );
    for i in 0..n {
        source.push_str(&format!(
            "\nrule r{i} \"para {i}\"\n  when care is poor\n  then overall at most fair\n"
        ));
    }
    source.push_str(
        "\ntest \"poor\"\n  given care = poor, proposed = good\n  expect overall = fair\n\
         \ntest \"good\"\n  given care = good, proposed = good\n  expect overall = good\n",
    );
    source
}

/// `n` rules that each give the one action `x`, each on a value of the
/// field `a` of its own (`when a = I`): why-not's answer about the action
/// answers for each rule. Evaluating the record once for each rule, every
/// rule the long way, was the square of `n`: 27 s for 10,000.
pub fn many_givers(n: usize) -> String {
    let mut source = String::from(HEADER);
    source.push_str("evidence\n  a: number\n\n");
    for i in 0..n {
        source.push_str(&format!("rule r{i} \"p\" when a = {i} then action x\n"));
    }
    source
}

/// One finding whose message shows a value `n` times (`"{a}{a}..."`, with
/// an escape before each so that every piece is measured past them): each
/// piece's place in the source was measured by walking the text before it,
/// the square of the message's length.
pub fn many_placeholders(n: usize) -> String {
    let mut source = String::from(HEADER);
    source.push_str("evidence\n  a: number\n\nrule r \"p\"\n  then finding f \"");
    source.push_str(&"\\\"{a}".repeat(n));
    source.push_str("\"\n");
    source
}

/// `pairs` caps and floors on one judgement, every cap below every floor
/// (item 5).
pub fn conflicting_rules(pairs: usize) -> String {
    let mut source = String::from(HEADER);
    source.push_str(
        "scale g: good > bad\n\nevidence\n  p: g\n  a: bool\n\njudgement j: g from p\n\n",
    );
    for i in 0..pairs {
        source.push_str(&format!("rule c{i} \"p\" when a then j at most bad\n"));
        source.push_str(&format!("rule f{i} \"p\" when a then j at least good\n"));
    }
    source
}

/// A ruleset that counts a list of visits, and evidence with `n` of them,
/// each with its own id (item 6).
pub fn long_list(n: usize) -> (String, String) {
    let source = format!(
        "{HEADER}record visit\n  id: text\n  date: date\n\nevidence\n  visits: list of visit\n\n\
         let n = count v in visits\n\nrule r1 \"p\" when n > 1 then action a\n"
    );
    let visits: Vec<String> = (0..n)
        .map(|i| format!(r#"{{"id": "v{i}", "date": "2016-01-04"}}"#))
        .collect();
    (source, format!(r#"{{"visits": [{}]}}"#, visits.join(",")))
}

/// Two evidence lists of `n` elements each, every element of the first
/// looked up in the second by a field (`no entry in entries satisfies
/// entry.code = request.ref`, as the inspection process's minor errors are):
/// read whole for each element, `n` squared reads; through an index of the
/// field (`Model::keyed`), about `2n`. The last `n / 2` requests name no entry.
pub fn cross_lists(n: usize) -> (String, String) {
    let source = format!(
        "{HEADER}record request\n  id: text\n  ref: text\n\nrecord entry\n  id: text\n  code: text\n\n\
         evidence\n  requests: list of request\n  entries: list of entry\n\n\
         rule unlisted \"p\"\n  for each request in requests\n  \
         when no entry in entries satisfies entry.code = request.ref\n  then finding unlisted\n"
    );
    let items: Vec<String> = (0..n)
        .map(|i| format!(r#"{{"id": "i{i}", "ref": "c{}"}}"#, i + n / 2))
        .collect();
    let entries: Vec<String> = (0..n)
        .map(|i| format!(r#"{{"id": "e{i}", "code": "c{i}"}}"#))
        .collect();
    (
        source,
        two_lists(("requests", &items), ("entries", &entries)),
    )
}

/// Evidence of two lists, each named with its elements' JSON.
fn two_lists(first: (&str, &[String]), second: (&str, &[String])) -> String {
    format!(
        r#"{{"{}": [{}], "{}": [{}]}}"#,
        first.0,
        first.1.join(","),
        second.0,
        second.1.join(",")
    )
}

/// `n` one-day absences, each asking whether another absence of the same
/// list is a long one that touches it (`some other in absences satisfies
/// days from other.start to other.end > 90 and ...`, as the voluntary
/// adoption agencies ruleset asks of its manager's absences): none is
/// long but one, after them all, that the last touches: the first part is
/// false for every element but that one, which is kept once for the record
/// (`KeyTest::Holds`), rather than each absence reading every other. The
/// finding is for the last one-day absence alone.
pub fn filtered_list(n: usize) -> (String, String) {
    let source = format!(
        "{HEADER}record absence\n  id: text\n  start: date\n  end: date\n\n\
         evidence\n  absences: list of absence\n\n\
         rule next_to_a_long_one \"p\"\n  for each absence in absences\n  \
         when days from absence.start to absence.end <= 90 days\n    \
         and some other in absences satisfies days from other.start to other.end > 90 days \
         and absence.start <= other.end + 1 day and other.start <= absence.end + 1 day\n  \
         then finding next_to_a_long_one\n"
    );
    let start = chrono::NaiveDate::from_ymd_opt(2000, 1, 1).unwrap_or_default();
    let day = |i: usize| start + chrono::Days::new(i as u64);
    let mut absences: Vec<String> = (0..n)
        .map(|i| {
            format!(
                r#"{{"id": "a{i}", "start": "{}", "end": "{}"}}"#,
                day(2 * i),
                day(2 * i)
            )
        })
        .collect();
    absences.push(format!(
        r#"{{"id": "long", "start": "{}", "end": "{}"}}"#,
        day(2 * n - 1),
        day(2 * n + 99)
    ));
    (
        source,
        format!(r#"{{"absences": [{}]}}"#, absences.join(", ")),
    )
}

/// `n` windows of one day each and `n` dated entries, one every other day
/// from 2000-01-01, every window looked up in the entries by bounds on
/// their dates (`no entry in entries satisfies entry.at >= window.from and
/// entry.at <= window.to`, as Regulation 44 visits are for each month):
/// read whole for each window, `n` squared reads; through an index of the
/// dates in order (`Model::keyed`, `KeyTest::Range`), a halving for each.
/// The windows on odd days hold no entry.
pub fn windowed_lists(n: usize) -> (String, String) {
    let source = format!(
        "{HEADER}record window\n  id: text\n  from: date\n  to: date\n\n\
         record entry\n  id: text\n  at: date\n\n\
         evidence\n  windows: list of window\n  entries: list of entry\n\n\
         rule empty_window \"p\"\n  for each window in windows\n  \
         when no entry in entries satisfies entry.at >= window.from and entry.at <= window.to\n  \
         then finding empty_window\n"
    );
    let start = chrono::NaiveDate::from_ymd_opt(2000, 1, 1).unwrap_or_default();
    let day = |i: usize| start + chrono::Days::new(i as u64);
    let windows: Vec<String> = (0..n)
        .map(|i| format!(r#"{{"id": "w{i}", "from": "{0}", "to": "{0}"}}"#, day(i)))
        .collect();
    let entries: Vec<String> = (0..n)
        .map(|i| format!(r#"{{"id": "e{i}", "at": "{}"}}"#, day(2 * i)))
        .collect();
    (
        source,
        two_lists(("windows", &windows), ("entries", &entries)),
    )
}

/// `n` notifications, each actioned after it was received, and a `for
/// each` rule over them that fires for one never actioned: why-not on it
/// offers a change for every element, and checks the first 20 by
/// evaluating the record again with each made. Each check once took the
/// rule's condition apart on every element, evaluated every other rule the
/// long way, and copied the record once for each change: 5.4 s at 10,000
/// elements for the children's homes rule of this shape (audit 32 R4).
pub fn unactioned(n: usize) -> (String, String) {
    let source = format!(
        "{HEADER}record notification\n  id: text\n  received: date\n  actioned: date or none\n\n\
         evidence\n  inspected: date\n  notifications: list of notification\n\n\
         rule never_actioned \"p\"\n  for each notification in notifications\n  \
         when notification.actioned is none and notification.received < inspected\n  \
         then finding never_actioned\n"
    );
    let notifications: Vec<String> = (0..n)
        .map(|i| format!(r#"{{"id": "n{i}", "received": "2016-01-04", "actioned": "2016-01-05"}}"#))
        .collect();
    (
        source,
        format!(
            r#"{{"inspected": "2016-04-11", "notifications": [{}]}}"#,
            notifications.join(",")
        ),
    )
}
