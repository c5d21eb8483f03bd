//! `judgement` end to end: schema.

use super::*;

#[test]
fn schema_of_the_real_ruleset() {
    let run = judgement(&["schema", "--ruleset", REAL]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let schema: Json = serde_json::from_str(&run.stdout).unwrap();
    let overall = &schema["properties"]["proposed"]["properties"]["overall"];
    assert!(
        overall.to_string().contains("requires_improvement"),
        "{overall}"
    );
    // A proposal may be left out of the schema, but `eval` refuses a full
    // inspection without it: its description says when it is needed.
    let said = overall["description"].as_str().unwrap();
    assert!(
        said.contains("The proposal for the judgement `overall`: needed where it is made (when inspection.kind is full or"),
        "{said}"
    );
    let interim = &schema["properties"]["proposed"]["properties"]["interim"];
    assert!(
        interim["description"]
            .as_str()
            .unwrap()
            .contains("(when inspection.kind is interim)"),
        "{interim}"
    );
    // A field's description is what the comment beside its declaration
    // says, then what its absence means; a comment block directly above a
    // field is its description too.
    let properties = &schema["properties"];
    assert_eq!(
        properties["inspection"]["properties"]["start"]["description"],
        "the first day on site (catalogue AMB32: the vacancy is measured to it)"
    );
    assert_eq!(
        properties["manager"]["properties"]["vacant_since"]["description"],
        "none: a registered manager is in post. Absent or null: none"
    );
    let written = properties["manager"]["properties"]["extension_requested_in_writing"]
        ["description"]
        .as_str()
        .unwrap();
    assert!(
        written.starts_with(
            "Annex N para 18: the manager put the reasons in writing. Absent: they did,"
        ) && written
            .ends_with("extension_before_absence_application_due). Absent or null: the default"),
        "{written}"
    );
    // A field without a comment says only what its absence means.
    assert_eq!(
        properties["home"]["properties"]["intends_to_take_placements"]["description"],
        "absent or null: the default"
    );
}

/// The evidence schema accepts what `eval` accepts and requires what it
/// requires: `null` for a field that may be left out and for a group with
/// no required field, a whole number written `4.0`, a numeric `id`; and the
/// groups that hold required fields are required up to the root, so `{}`
/// is refused by both, as are an `id` of 1.5 and a count past 64 bits.
#[test]
fn the_evidence_schema_accepts_and_refuses_what_eval_does() {
    let run = judgement(&["schema", "--ruleset", REAL]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let schema: Json = serde_json::from_str(&run.stdout).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let mut record = full_inspection();
    record["id"] = 7.into();
    record["home"]["first_inspection_since_registration"] = Json::Null;
    record["home"]["children_placed"] = serde_json::json!(4.0);
    record["previous"] = Json::Null;
    record["manager"]["absences"] = Json::Null;
    assert!(
        validator.is_valid(&record),
        "{:?}",
        validator.validate(&record).err()
    );
    let file = tmp_file("nulls_and_whole_floats.json", &record.to_string());
    let run = judgement(&["eval", "-r", REAL, &file]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let outcome: Json = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(outcome["id"], "7");
    // A numeric id that is not whole is refused by both.
    let mut fraction_id = record.clone();
    fraction_id["id"] = serde_json::json!(1.5);
    assert!(
        !validator.is_valid(&fraction_id),
        "the schema accepts id 1.5"
    );
    let file = tmp_file("fraction_id.json", &fraction_id.to_string());
    let run = judgement(&["eval", "-r", REAL, &file]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    let empty = serde_json::json!({});
    assert!(!validator.is_valid(&empty));
    assert_eq!(
        schema["required"],
        serde_json::json!(["inspection", "home"])
    );
    let file = tmp_file("empty_record.json", "{}");
    let run = judgement(&["eval", "-r", REAL, &file]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(
        run.stderr
            .contains("inspection.kind: required, but missing"),
        "{}",
        run.stderr
    );
    // A fraction and a number too large are refused by eval, each said so.
    record["home"]["children_placed"] = serde_json::json!(2.5);
    let file = tmp_file("fraction.json", &record.to_string());
    let run = judgement(&["eval", "-r", REAL, &file]);
    assert!(
        run.stderr
            .contains("home.children_placed: expected a whole number, got 2.5"),
        "{}",
        run.stderr
    );
    assert!(!validator.is_valid(&record), "the schema accepts 2.5");
    record["home"]["children_placed"] = serde_json::json!(1e20);
    assert!(!validator.is_valid(&record), "the schema accepts 1e20");
    let file = tmp_file("too_large.json", &record.to_string());
    let run = judgement(&["eval", "-r", REAL, &file]);
    assert!(
        run.stderr
            .contains("home.children_placed: too large a number to count with: past the 64-bit whole numbers (it reads as about 1e+20)"),
        "{}",
        run.stderr
    );
    // From 2^53 on, a number written with an exponent may not be read as
    // written: refused, saying so, though the schema's `integer` takes it.
    record["home"]["children_placed"] = serde_json::json!(1e16);
    let file = tmp_file("past_2_53.json", &record.to_string());
    let run = judgement(&["eval", "-r", REAL, &file]);
    assert!(
        run.stderr.contains(
            "home.children_placed: a whole number of 2^53 or more in size written with a fraction or an exponent may not be read as written (this one reads as 10000000000000000)"
        ),
        "{}",
        run.stderr
    );
    // A date is checked for its form by the pattern, whatever the
    // validator does with `format`; a day that does not exist is left to
    // `format` (asserted or not) and to evaluation.
    let mut dated = full_inspection();
    for (date, schema_valid) in [
        ("9/11/2015", false),
        ("2015-13-01", false),
        ("2015-11-9", false),
        ("2015-02-29", true),
    ] {
        dated["inspection"]["start"] = date.into();
        assert_eq!(validator.is_valid(&dated), schema_valid, "{date}");
        let file = tmp_file("dated.json", &dated.to_string());
        let run = judgement(&["eval", "-r", REAL, &file]);
        assert_eq!(run.code, 1, "{date}: {}", run.stdout);
        assert!(run.stderr.contains("inspection.start: "), "{}", run.stderr);
    }
    // Past 2^63 serde reads a float, which cannot hold every whole number
    // there: -9223372036854775809 was read as -9223372036854775808.
    record["home"]["children_placed"] = serde_json::json!("N");
    let text = record.to_string().replace("\"N\"", "-9223372036854775809");
    assert!(text.contains("-9223372036854775809"), "{text}");
    let file = tmp_file("too_large_negative.json", &text);
    let run = judgement(&["eval", "-r", REAL, &file]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(
        run.stderr.contains(
            "too far below zero to count with: past the 64-bit whole numbers (it reads as about -9.223372036854776e+18)"
        ),
        "{}",
        run.stderr
    );
    // One past the 64-bit whole numbers is not quoted as written (serde
    // reads a float), but said to be past them; the largest is quoted.
    for (written, said) in [
        (
            "18446744073709551616",
            "too large a number to count with: past the 64-bit whole numbers",
        ),
        (
            "18446744073709551615",
            "18446744073709551615 is too large a number to count with",
        ),
    ] {
        let text = record.to_string().replace("\"N\"", written);
        let file = tmp_file("past_64_bits.json", &text);
        let run = judgement(&["eval", "-r", REAL, &file]);
        assert_eq!(run.code, 1, "{}", run.stdout);
        assert!(run.stderr.contains(said), "{written}: {}", run.stderr);
    }
    // Two elements of one id: the schema cannot refuse it, so every list of
    // records says so in its description; eval refuses it.
    let lists = schema["properties"]["manager"]["properties"]["absences"]["anyOf"].clone();
    assert_eq!(
        lists[0]["description"],
        "each element's id is unique in the list: a record with two elements of one id is refused",
        "{lists}"
    );
    let mut twice = full_inspection();
    twice["manager"]["absences"] = serde_json::json!([
        {"id": "a", "start": "2015-09-01", "expected_length": 30, "planned": true},
        {"id": "a", "start": "2015-10-01", "expected_length": 30, "planned": true}
    ]);
    assert!(
        validator.is_valid(&twice),
        "{:?}",
        validator.validate(&twice).err()
    );
    let file = tmp_file("id_twice.json", &twice.to_string());
    let run = judgement(&["eval", "-r", REAL, &file]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(
        run.stderr
            .contains("manager.absences[1].id: the id \"a\" is used by two elements"),
        "{}",
        run.stderr
    );
}

/// The schema's patterns for a date, a datetime and a time refuse what
/// `eval` refuses for its form (an hour past 23, a minute or second past
/// 59); a validator asked to assert `format` refuses a day that does not
/// exist as well, as language.md 14 says.
#[test]
fn the_schema_refuses_a_datetime_or_time_out_of_range_as_eval_does() {
    let rules = tmp_file(
        "timed.rules",
        "ruleset timed \"Timed\"\n  in force from 2015-04-01\nevidence\n  visit.day: date\n  visit.arrived: datetime\n  visit.left: time\n\nrule late \"para 1\"\n  when visit.left > 17:00\n  then finding late\n",
    );
    let run = judgement(&["schema", "--ruleset", &rules]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let schema: Json = serde_json::from_str(&run.stdout).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let good = serde_json::json!({"visit": {"day": "2015-11-09", "arrived": "2015-11-09T09:40:30", "left": "17:30"}});
    assert!(validator.is_valid(&good));
    let file = tmp_file("timed_good.json", &good.to_string());
    let run = judgement(&["eval", "-r", &rules, &file]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for (field, text) in [
        ("arrived", "2015-11-09T24:00"),
        ("arrived", "2015-11-09T09:60"),
        ("arrived", "2015-11-09T09:40:60"),
        ("arrived", "2015-13-09T09:40"),
        ("left", "24:00"),
        ("left", "09:60"),
        ("left", "09:00:60"),
        ("left", "9:00"),
    ] {
        let mut record = good.clone();
        record["visit"][field] = text.into();
        assert!(!validator.is_valid(&record), "the schema accepts {text}");
        let file = tmp_file("timed_bad.json", &record.to_string());
        let run = judgement(&["eval", "-r", &rules, &file]);
        assert_eq!(run.code, 1, "eval accepts {text}: {}", run.stdout);
        assert!(
            run.stderr.contains(&format!("visit.{field}: ")),
            "{}",
            run.stderr
        );
    }
    let mut record = good.clone();
    record["visit"]["day"] = "2015-02-29".into();
    assert!(
        validator.is_valid(&record),
        "format is an annotation by default"
    );
    let asserting = jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap();
    assert!(
        !asserting.is_valid(&record),
        "format asserted accepts 2015-02-29"
    );
    assert!(asserting.is_valid(&good));
}

#[test]
fn schema_of_a_folder_is_the_newest_edition_unless_asked() {
    let run = judgement(&["schema", "-r", &data("editions")]);
    let schema: Json = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(schema["title"], "evidence for small (2020-01)");
    let run = judgement(&["schema", "-r", &data("editions"), "--edition", "2019-01"]);
    let schema: Json = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(schema["title"], "evidence for small (2019-01)");
}
