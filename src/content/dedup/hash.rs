//! Hashing helpers: XXH3 for words, cheap mixing for word sequences and shingles, and an identity
//! hasher for sets and maps whose keys are already hashes.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

use xxhash_rust::xxh3::xxh3_64;

/// Seed of block and sentence hashes (a one-sentence block hashes like its sentence).
pub(crate) const SEQ_SEED: u64 = 0x9E37_79B9_7F4A_7C15;
/// Seed of the "first words + last words" template hashes used for boilerplate.
pub(crate) const TEMPLATE_SEED: u64 = 0xC2B2_AE3D_27D4_EB4F;

/// Hash of one normalised word.
pub(crate) fn word_hash(word: &str) -> u64 {
    xxh3_64(word.as_bytes())
}

/// The finaliser of MurmurHash3: spreads every input bit over the whole output.
pub(crate) fn avalanche(mut h: u64) -> u64 {
    h ^= h >> 33;
    h = h.wrapping_mul(0xFF51_AFD7_ED55_8CCD);
    h ^= h >> 33;
    h = h.wrapping_mul(0xC4CE_B9FE_1A85_EC53);
    h ^= h >> 33;
    h
}

/// Order-sensitive hash of a sequence of word hashes.
pub(crate) fn seq_hash(words: &[u64], seed: u64) -> u64 {
    let mut h = SeqHasher::new(seed);
    for &w in words {
        h.push(w);
    }
    h.finish()
}

/// Builds [`seq_hash`] one word at a time, so that every prefix's hash costs one step.
#[derive(Clone, Copy)]
pub(crate) struct SeqHasher {
    state: u64,
    len: u64,
}

impl SeqHasher {
    pub(crate) fn new(seed: u64) -> SeqHasher {
        SeqHasher {
            state: seed,
            len: 0,
        }
    }

    pub(crate) fn push(&mut self, w: u64) {
        self.state = (self.state.rotate_left(23) ^ w).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        self.len += 1;
    }

    pub(crate) fn finish(&self) -> u64 {
        avalanche(self.state ^ self.len.wrapping_mul(0x1656_67B1_9E37_79F9))
    }
}

/// Hash of the word 3-shingle made of `a`, `b` and `c`, in that order.
pub(crate) fn shingle_hash(a: u64, b: u64, c: u64) -> u64 {
    avalanche(a ^ b.rotate_left(21) ^ c.rotate_left(42) ^ 0x2545_F491_4F6C_DD1D)
}

/// A hasher that passes a `u64` key through: the keys it sees are already good hashes.
#[derive(Default, Clone, Copy)]
pub(crate) struct IdHasher(u64);

impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(8) ^ u64::from(b)).wrapping_mul(0x100_0000_01B3);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// Builds [`IdHasher`]s.
pub(crate) type IdBuild = BuildHasherDefault<IdHasher>;
/// A map keyed by hashes.
pub(crate) type HashMapU64<V> = HashMap<u64, V, IdBuild>;
/// A set of hashes.
pub(crate) type HashSetU64 = HashSet<u64, IdBuild>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sequences_depend_on_order_and_length() {
        let a = word_hash("a");
        let b = word_hash("b");
        assert_ne!(seq_hash(&[a, b], SEQ_SEED), seq_hash(&[b, a], SEQ_SEED));
        assert_ne!(seq_hash(&[a], SEQ_SEED), seq_hash(&[a, a], SEQ_SEED));
        assert_ne!(shingle_hash(a, b, a), shingle_hash(b, a, a));
    }
}
