//! The outcome's judgements by name, in the order the ruleset declares them.
//!
//! A ruleset has a handful of judgements, so a vector searched in order
//! is both the smallest and the quickest map for them: filling it is one
//! allocation and no hashing (an `IndexMap` took two allocations and a hash
//! of each name, for each record), and a lookup compares a few names.

use serde::ser::{Serialize, SerializeMap, Serializer};

/// Values by judgement name, in the order they were inserted (the
/// ruleset's order). Serialised as a JSON object, in that order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ByName<'r, V> {
    entries: Vec<(&'r str, V)>,
}

impl<V> Default for ByName<'_, V> {
    fn default() -> Self {
        ByName {
            entries: Vec::new(),
        }
    }
}

impl<'r, V> ByName<'r, V> {
    /// An empty map with room for `n` names.
    pub fn with_capacity(n: usize) -> Self {
        ByName {
            entries: Vec::with_capacity(n),
        }
    }

    /// The value under `name`.
    pub fn get(&self, name: &str) -> Option<&V> {
        self.entries
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v)
    }

    /// The value under `name`, to change.
    pub fn get_mut(&mut self, name: &str) -> Option<&mut V> {
        self.entries
            .iter_mut()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v)
    }

    pub fn contains_key(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    /// Put `value` under `name`: in its place if the name is there (the
    /// old value given back), else last.
    pub fn insert(&mut self, name: &'r str, value: V) -> Option<V> {
        match self.get_mut(name) {
            Some(slot) => Some(std::mem::replace(slot, value)),
            None => {
                self.entries.push((name, value));
                None
            }
        }
    }

    /// An entry for each of `names`, in that order, each holding what
    /// `value` gives: the room a record's judgements are written into,
    /// each at its place (`value_at_mut`), as they are made.
    pub(crate) fn fill(&mut self, names: impl Iterator<Item = &'r str>, value: impl Fn() -> V) {
        self.entries.clear();
        self.entries.extend(names.map(|name| (name, value())));
    }

    /// The value of the entry at `i` (in order), to change.
    pub(crate) fn value_at_mut(&mut self, i: usize) -> Option<&mut V> {
        self.entries.get_mut(i).map(|(_, v)| v)
    }

    /// The names and values, in order.
    pub fn iter(&self) -> impl Iterator<Item = (&&'r str, &V)> {
        self.entries.iter().map(|(k, v)| (k, v))
    }

    /// The names, in order.
    pub fn keys(&self) -> impl Iterator<Item = &&'r str> {
        self.entries.iter().map(|(k, _)| k)
    }

    /// The values, in order.
    pub fn values(&self) -> impl Iterator<Item = &V> {
        self.entries.iter().map(|(_, v)| v)
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// No entries; the room stays (`outcome::Spare`).
    pub(crate) fn clear(&mut self) {
        self.entries.clear();
    }

    /// The values, in order, to change (`outcome::Spare`).
    pub(crate) fn values_mut(&mut self) -> impl Iterator<Item = &mut V> + use<'_, 'r, V> {
        self.entries.iter_mut().map(|(_, v)| v)
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

impl<'r, V> FromIterator<(&'r str, V)> for ByName<'r, V> {
    /// Each name once, as `insert` would leave them.
    fn from_iter<I: IntoIterator<Item = (&'r str, V)>>(items: I) -> Self {
        let mut map = ByName::default();
        for (k, v) in items {
            map.insert(k, v);
        }
        map
    }
}

impl<V: Serialize> Serialize for ByName<'_, V> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.entries.len()))?;
        for (k, v) in &self.entries {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_keep_their_order_and_a_name_given_again_keeps_its_place() {
        let mut map = ByName::with_capacity(3);
        assert_eq!(map.insert("overall", 1), None);
        assert_eq!(map.insert("leadership", 2), None);
        assert_eq!(map.insert("overall", 3), Some(1));
        assert_eq!(
            map.keys().copied().collect::<Vec<_>>(),
            ["overall", "leadership"]
        );
        assert_eq!(map.get("overall"), Some(&3));
        assert_eq!(map.get("missing"), None);
        assert!(map.contains_key("leadership"));
        assert_eq!(map.len(), 2);
        assert_eq!(
            serde_json::to_string(&map).unwrap(),
            r#"{"overall":3,"leadership":2}"#
        );
        let collected: ByName<'_, i32> = [("a", 1), ("b", 2), ("a", 3)].into_iter().collect();
        assert_eq!(
            collected.iter().map(|(k, v)| (*k, *v)).collect::<Vec<_>>(),
            [("a", 3), ("b", 2)]
        );
    }

    #[test]
    fn filled_entries_keep_the_names_order_and_are_written_in_place() {
        let mut map = ByName::with_capacity(2);
        map.insert("stale", 9);
        map.fill(["a", "b", "c"].into_iter(), || 0);
        assert_eq!(map.keys().copied().collect::<Vec<_>>(), ["a", "b", "c"]);
        // Written in an order other than the names'.
        for (i, v) in [(2, 30), (0, 10), (1, 20)] {
            *map.value_at_mut(i).unwrap() = v;
        }
        assert_eq!(
            map.iter().map(|(n, v)| (*n, *v)).collect::<Vec<_>>(),
            [("a", 10), ("b", 20), ("c", 30)]
        );
        assert_eq!(map.value_at_mut(3), None);
    }
}
