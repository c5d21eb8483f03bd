//! The children's homes corpus the benches run on: every record of
//! `tests/fixtures/eval/childrens_homes`, in the order of its file names,
//! with its `_expect` taken off.

#[allow(clippy::unwrap_used, reason = "a bench over fixed, known-good inputs")]
pub fn records() -> Vec<serde_json::Value> {
    let mut paths: Vec<_> = std::fs::read_dir("tests/fixtures/eval/childrens_homes")
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|x| x == "json"))
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|path| {
            let text = std::fs::read_to_string(path).unwrap();
            let mut record: serde_json::Value = serde_json::from_str(&text).unwrap();
            if let Some(object) = record.as_object_mut() {
                object.remove("_expect");
            }
            record
        })
        .collect()
}
