//! Long lists read through an index of one field (`Model::keyed`): by value,
//! within bounds, and regulation 44 visits found month by month.

use super::*;

/// Quantifiers a long list answers from an index of one field
/// (`Model::keyed`): an equality first, then other parts, one of which can
/// fail (a span that ends before it starts), over lists long enough to be
/// indexed, with ids repeated, unknown and not found.
const KEYED: &str = "ruleset keyed \"Keyed lists\"
  in force from 2015-04-01

record entry_ref
  id: text
  ref: text or unknown

record entry
  id: text
  code: text or unknown
  done: bool or unknown
  from: date
  to: date

evidence
  wanted: text or unknown
  items: list of entry_ref default empty
  entries: list of entry default empty

rule matched \"para 1\"
  for each wanted_ref in items
  when some entry in entries satisfies entry.code = wanted_ref.ref and entry.done
  then finding matched

rule unmatched \"para 2\"
  for each wanted_ref in items
  when no entry in entries satisfies wanted_ref.ref = entry.code
  then finding unmatched

rule long_entry \"para 3\"
  for each wanted_ref in items
  when some entry in entries satisfies entry.code = wanted_ref.ref and (days from entry.from to entry.to) > 3 days
  then finding long_entry

rule wanted_present \"para 4\"
  when some entry in entries satisfies entry.code = wanted
  then finding wanted_present
";

/// A small deterministic generator: no two records alike, the same on
/// every run.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n
    }
    /// A code from a few, or unknown (left out, or `null`).
    fn code(&mut self) -> Option<Value> {
        match self.below(12) {
            0 => None,
            1 => Some(Value::Null),
            n => Some(json!(format!("c{}", n % 6))),
        }
    }
}

#[test]
fn a_long_list_read_through_its_index_gives_what_reading_it_whole_gives() {
    let ruleset = Ruleset::from_source(KEYED, &[]).unwrap_or_else(|e| panic!("{e:?}"));
    let mut rng = Lcg(9);
    let mut reached = Reached::default();
    for record in 0..400 {
        let element = |rng: &mut Lcg, i: u64, kind: &str| {
            let mut e = json!({"id": format!("{kind}{i}")});
            let key = if kind == "i" { "ref" } else { "code" };
            if let Some(code) = rng.code() {
                e[key] = code;
            }
            if kind == "e" {
                match rng.below(3) {
                    0 => {}
                    1 => e["done"] = json!(true),
                    _ => e["done"] = json!(false),
                }
                e["from"] = json!("2016-01-10");
                // Now and then a span that ends before it starts: an error,
                // if an element reads it before one decides the rule.
                let to = ["2016-01-20", "2016-01-12", "2016-01-05"][rng.below(3) as usize];
                e["to"] = json!(if rng.below(8) == 0 { to } else { "2016-01-20" });
            }
            e
        };
        // Lists around the length from which they are indexed (16).
        let items: Vec<Value> = (0..rng.below(40))
            .map(|i| element(&mut rng, i, "i"))
            .collect();
        let entries: Vec<Value> = (0..rng.below(60))
            .map(|i| element(&mut rng, i, "e"))
            .collect();
        let mut evidence = json!({"items": items, "entries": entries});
        if let Some(code) = rng.code() {
            evidence["wanted"] = code;
        }
        reached.add(agreed(&ruleset, &evidence, record));
    }
    reached.assert_both();
}

/// What the records of a generated run came to: errors, and findings.
#[derive(Default)]
struct Reached {
    errors: usize,
    found: usize,
}

impl Reached {
    /// One record's findings counted ([`agreed`]), or `None` for an error.
    fn add(&mut self, findings: Option<usize>) {
        match findings {
            None => self.errors += 1,
            Some(n) => self.found += n,
        }
    }

    /// The records reach both: outcomes with findings, and errors.
    fn assert_both(&self) {
        let Reached { errors, found } = self;
        assert!(
            *errors > 20 && *found > 1000,
            "{errors} errors, {found} findings"
        );
    }
}

/// The outcome of record `record` read three ways, which must agree:
/// without a trace, the long way, and from its text in one pass. Its findings
/// counted, or `None` where it is an error.
fn agreed(ruleset: &Ruleset, evidence: &Value, record: usize) -> Option<usize> {
    let (plain, long) = both(ruleset, evidence);
    assert_eq!(plain, long, "record {record}: {evidence}");
    assert_eq!(
        by_text(ruleset, evidence),
        long,
        "record {record}, read in one pass"
    );
    long.ok().map(|o| o["findings"].as_array().unwrap().len())
}

/// Quantifiers a long list answers from an index of one field in order
/// (`Model::keyed`, `KeyTest::Range`): bounds on a date or a number, one or
/// two, either way round, worked out from fields (known or not) or
/// computed, one of which can fail (a span that ends before it starts),
/// read first or second; then other parts, one of which can fail too; and
/// a first part that reads the element on both sides, or the element
/// alone (one that can fail, one that can be unknown), whose elements that
/// pass it are kept once for the record (`KeyTest::Holds`).
const RANGED: &str = "ruleset ranged \"Lists read within bounds\"
  in force from 2015-04-01

record window
  id: text
  from: date or unknown
  to: date or unknown
  least: number or unknown

record entry
  id: text
  at: date or unknown
  n: number or unknown
  from: date
  to: date

evidence
  windows: list of window default empty
  entries: list of entry default empty

rule within \"para 1\"
  for each w in windows
  when some e in entries satisfies e.at >= w.from and e.at <= w.to
  then finding within

rule within_month \"para 2\"
  for each w in windows
  when no e in entries satisfies e.at >= w.from and e.at <= end of month w.from
  then finding none_within_month

rule after_then_long \"para 3\"
  for each w in windows
  when some e in entries satisfies w.from < e.at and (days from e.from to e.to) > 3 days
  then finding after_then_long

rule element_on_both_sides \"para 4\"
  for each w in windows
  when some e in entries satisfies e.at < e.from and e.at > w.from
  then finding element_on_both_sides

rule bound_that_can_fail \"para 5\"
  for each w in windows
  when no e in entries satisfies e.at > w.from and e.at < w.from + (days from w.from to w.to)
  then finding bound_that_can_fail

rule either_way_round \"para 6\"
  for each w in windows
  when some e in entries satisfies w.to >= e.at and w.from <= e.at
  then finding either_way_round

rule numbers \"para 7\"
  for each w in windows
  when some e in entries satisfies e.n > w.least and e.n <= 9
  then finding numbers

rule high_first_can_fail \"para 8\"
  for each w in windows
  when some e in entries satisfies e.at < w.from + (days from w.from to w.to) and e.at >= w.from
  then finding high_first_can_fail

rule element_alone_first_can_fail \"para 9\"
  for each w in windows
  when some e in entries satisfies (days from e.from to e.to) > 3 days and e.at > w.from
  then finding element_alone_first_can_fail

rule element_alone_first_unknown \"para 10\"
  for each w in windows
  when no e in entries satisfies (e.at is known or e.n > 5) and e.n > w.least
  then finding element_alone_first_unknown
";

#[test]
fn a_long_list_read_within_bounds_through_its_index_gives_what_reading_it_whole_gives() {
    let ruleset = Ruleset::from_source(RANGED, &[]).unwrap_or_else(|e| panic!("{e:?}"));
    let mut rng = Lcg(17);
    let mut reached = Reached::default();
    let day = |n: u64| {
        let d = chrono::NaiveDate::from_ymd_opt(2016, 1, 1).unwrap() + chrono::Days::new(n);
        json!(d.to_string())
    };
    for record in 0..400 {
        // Lists of entries around the length from which they are indexed
        // (16); for half the records only a few windows (an index is made
        // from the second), so that not every record meets an error.
        let windows = if record % 2 == 0 {
            rng.below(30)
        } else {
            2 + rng.below(3)
        };
        let windows: Vec<Value> = (0..windows)
            .map(|i| {
                let mut w = json!({"id": format!("w{i}")});
                let from = rng.below(120);
                match rng.below(10) {
                    0 => {}
                    1 => w["from"] = Value::Null,
                    _ => w["from"] = day(from),
                }
                // Now and then a window that ends before it starts.
                match rng.below(20) {
                    0 => {}
                    1 => w["to"] = Value::Null,
                    2 => w["to"] = day(from.saturating_sub(3)),
                    _ => w["to"] = day(from + rng.below(40)),
                }
                if rng.below(6) > 0 {
                    w["least"] = json!(rng.below(10));
                }
                w
            })
            .collect();
        let entries: Vec<Value> = (0..rng.below(60))
            .map(|i| {
                let mut e = json!({"id": format!("e{i}"), "from": "2016-01-10"});
                match rng.below(10) {
                    0 => {}
                    1 => e["at"] = Value::Null,
                    _ => e["at"] = day(rng.below(120)),
                }
                if rng.below(6) > 0 {
                    e["n"] = json!(rng.below(12));
                }
                // A span over three days now and then, so that a search
                // reads on; now and then one that ends before it starts,
                // an error if read before one decides (so the order in
                // which elements are read shows).
                e["to"] = json!(match rng.below(30) {
                    0 => "2016-01-05",
                    1..=6 => "2016-01-20",
                    _ => "2016-01-12",
                });
                e
            })
            .collect();
        let evidence = json!({"windows": windows, "entries": entries});
        reached.add(agreed(&ruleset, &evidence, record));
    }
    reached.assert_both();
}

/// Regulation 44 visits, monthly over five years but for two months,
/// through the index of their dates (`no visit in reg44_visits satisfies
/// visit.date >= month and visit.date <= end of month month`, for each of
/// sixty months): the months without a visit are found, the visits on a
/// month's first and last days count for it, and the outcome is the one
/// the long way gives, which reads every visit for every month.
#[test]
fn regulation_44_visits_over_five_years_are_found_month_by_month_through_the_index() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let ruleset = Ruleset::load(&root.join("rulesets/childrens_homes/2015-04.rules")).unwrap();
    let mut visits = Vec::new();
    let mut month = chrono::NaiveDate::from_ymd_opt(2016, 4, 1).unwrap();
    let inspection = chrono::NaiveDate::from_ymd_opt(2021, 3, 15).unwrap();
    let mut n = 0;
    while month < chrono::NaiveDate::from_ymd_opt(2021, 3, 1).unwrap() {
        let skipped = month == chrono::NaiveDate::from_ymd_opt(2017, 2, 1).unwrap()
            || month == chrono::NaiveDate::from_ymd_opt(2020, 12, 1).unwrap();
        if !skipped {
            // The first day of the month, the last, or between.
            let last = month + chrono::Months::new(1) - chrono::Days::new(1);
            let date = match n % 3 {
                0 => month,
                1 => last,
                _ => month + chrono::Days::new(13),
            };
            visits.push(json!({
                "id": format!("v{n}"),
                "date": date.to_string(),
                "report_received": (date + chrono::Days::new(3)).to_string(),
                "has_urn": true,
                "has_visit_date": true,
            }));
            n += 1;
        }
        month = month + chrono::Months::new(1);
    }
    assert!(visits.len() > 50);
    let evidence = json!({
        "inspection": {"kind": "full", "start": inspection.to_string(),
                       "end": "2021-03-16", "feedback": "2021-03-16"},
        "home": {"secure": false, "children_placed": 2},
        "proposed": {"overall": "good", "helped_and_protected": "good",
                     "leaders_and_managers": "good"},
        "previous": {"overall": "good", "full_inspection": "2016-03-14"},
        "reg44_visits": visits,
    });
    let (plain, long) = both(&ruleset, &evidence);
    assert_eq!(plain, long);
    assert_eq!(by_text(&ruleset, &evidence), long);
    let missed: Vec<String> = plain.unwrap()["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["finding"] == "no_reg44_visit_in_month")
        .map(|f| f["item"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(missed, ["2017-02-01", "2020-12-01"]);
}
