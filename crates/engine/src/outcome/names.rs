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

    /// Put the entries in the order of `keys` (one key to an entry, in
    /// the entries' order), moving `other`'s entries as well. An insertion
    /// sort: there are a handful of entries, most of them in order already,
    /// and nothing is allocated. An entry out of order is moved once, to
    /// its place, the entries between shifted along by one: an entry is
    /// large (a judgement's details), and a swap at each step copied it
    /// three times.
    pub(crate) fn sort_by_keys<W>(&mut self, keys: &mut [usize], other: &mut ByName<'r, W>) {
        for i in 1..keys.len().min(self.entries.len()) {
            let Some(&key) = keys.get(i) else { break };
            let Some(at) = keys
                .get(..i)
                .map(|before| before.partition_point(|k| *k <= key))
            else {
                break;
            };
            if at == i {
                continue;
            }
            if let Some(slice) = keys.get_mut(at..=i) {
                slice.rotate_right(1);
            }
            if let Some(slice) = self.entries.get_mut(at..=i) {
                slice.rotate_right(1);
            }
            if let Some(slice) = other.entries.get_mut(at..=i) {
                slice.rotate_right(1);
            }
        }
    }

    /// Put `value` under `name`, last, without looking for the name: for
    /// a caller that knows each name comes once (the ruleset's judgements).
    pub(crate) fn push_new(&mut self, name: &'r str, value: V) {
        self.entries.push((name, value));
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
    fn sorting_by_keys_puts_entries_and_the_other_map_in_the_keys_order() {
        let names = ["a", "b", "c", "d", "e"];
        let orders: [&[usize]; 6] = [
            &[0, 1, 2, 3, 4],
            &[0, 4, 1, 2, 3],
            &[4, 3, 2, 1, 0],
            &[1, 0, 3, 2, 4],
            &[2],
            &[],
        ];
        for order in orders {
            let mut keys = order.to_vec();
            let mut map = ByName::default();
            let mut other = ByName::default();
            for &k in order {
                map.push_new(names[k], k * 10);
                other.push_new(names[k], k);
            }
            map.sort_by_keys(&mut keys, &mut other);
            let mut sorted = order.to_vec();
            sorted.sort_unstable();
            assert_eq!(keys, sorted, "{order:?}");
            let expected: Vec<(&str, usize)> = sorted.iter().map(|&k| (names[k], k * 10)).collect();
            assert_eq!(
                map.iter().map(|(n, v)| (*n, *v)).collect::<Vec<_>>(),
                expected
            );
            let expected: Vec<(&str, usize)> = sorted.iter().map(|&k| (names[k], k)).collect();
            assert_eq!(
                other.iter().map(|(n, v)| (*n, *v)).collect::<Vec<_>>(),
                expected
            );
        }
    }
}
