//! The hash behind the outcome's maps of judgements by name.
//!
//! The keys are the ruleset's own judgement names, never evidence, so a
//! hash chosen for speed rather than resistance to chosen keys is safe, and
//! the standard SipHash was a fifth of the cost of filling the two maps.

use std::hash::{BuildHasherDefault, Hasher};

/// Builds [`NameHasher`]s: the `S` of the outcome's `IndexMap`s.
pub type NameHash = BuildHasherDefault<NameHasher>;

/// A multiply-and-rotate hash over eight bytes at a time.
#[derive(Debug, Default, Clone, Copy)]
pub struct NameHasher {
    hash: u64,
}

/// An odd constant with its bits well mixed (from the golden ratio).
const SEED: u64 = 0x9e37_79b9_7f4a_7c15;

impl NameHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for NameHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0u8; 8];
            if let Some(head) = word.get_mut(..rest.len()) {
                head.copy_from_slice(rest);
            }
            self.add(u64::from_le_bytes(word));
        }
    }

    #[inline]
    fn write_u8(&mut self, n: u8) {
        self.add(u64::from(n));
    }

    #[inline]
    fn finish(&self) -> u64 {
        self.hash
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::hash::{BuildHasher, Hash};

    fn hash(s: &str) -> u64 {
        NameHash::default().hash_one(s)
    }

    #[test]
    fn names_that_differ_hash_apart() {
        let names = [
            "overall",
            "overall_experiences",
            "help_and_protection",
            "leadership",
            "leadership_and_management",
            "a",
            "b",
            "",
            "abcdefgh",
            "abcdefghi",
        ];
        let mut hashes: Vec<u64> = names.iter().map(|n| hash(n)).collect();
        hashes.sort_unstable();
        hashes.dedup();
        assert_eq!(hashes.len(), names.len());
        // A name hashes the same each time, and a prefix apart from the whole.
        assert_eq!(hash("overall"), hash("overall"));
        let mut h = NameHasher::default();
        "abc".hash(&mut h);
        assert_ne!(h.finish(), hash("ab"));
    }
}
