//! Per-feed document frequencies of block, sentence and template hashes (digits folded): how many of
//! a feed's recent items carry each line. Boilerplate is what many items of one feed share.

use super::hash::HashMapU64;
use super::shingle::Prepared;
use super::{Piece, PieceKind};

/// A line counts as boilerplate evidence when at least this many items carry it...
pub const MIN_ITEMS: u32 = 3;
/// ...and at least this percentage of the items the statistics cover.
pub const MIN_PERCENT: u32 = 20;

/// The set of hashes one item contributes to its feed's statistics: one per distinct block, sentence
/// and short-line template, with digits folded. Store it with the item to remove it again later.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ItemFingerprint {
    hashes: Vec<u64>,
}

impl ItemFingerprint {
    /// Rebuilds a fingerprint from stored hashes (order and repeats do not matter).
    pub fn from_hashes(mut hashes: Vec<u64>) -> ItemFingerprint {
        hashes.sort_unstable();
        hashes.dedup();
        ItemFingerprint { hashes }
    }

    /// The distinct hashes, sorted.
    pub fn hashes(&self) -> &[u64] {
        &self.hashes
    }
}

/// Document frequencies over a feed's newest items (the caller decides the window, normally the
/// newest 100 items including the one on display).
///
/// Keeping it current: compute [`FeedStats::item_fingerprint`] once when an item is stored, keep
/// its hashes with the item (one blob of little-endian `u64`s is cheap), [`FeedStats::add`] it, and
/// [`FeedStats::remove`] the stored fingerprint when the item leaves the window. `benches/dedup.rs`
/// measures the choices: one upsert per hash costs several times more than storing the item itself.
#[derive(Debug, Clone, Default)]
pub struct FeedStats {
    items: u32,
    df: HashMapU64<u32>,
}

impl FeedStats {
    /// Empty statistics: no item, so nothing is boilerplate.
    pub fn new() -> FeedStats {
        FeedStats::default()
    }

    /// Statistics over the given items, each a list of pieces.
    pub fn from_items(items: &[Vec<Piece>]) -> FeedStats {
        let mut stats = FeedStats::new();
        for item in items {
            stats.add(&FeedStats::item_fingerprint(item));
        }
        stats
    }

    /// Rebuilds statistics from stored counts: the number of items and each hash's frequency.
    pub fn from_counts(items: u32, counts: impl IntoIterator<Item = (u64, u32)>) -> FeedStats {
        let mut df = HashMapU64::default();
        for (h, n) in counts {
            if n > 0 {
                df.insert(h, n);
            }
        }
        FeedStats { items, df }
    }

    /// Each hash with the number of items that carry it, in no particular order.
    pub fn counts(&self) -> impl Iterator<Item = (u64, u32)> + '_ {
        self.df.iter().map(|(&h, &n)| (h, n))
    }

    /// The hashes one item contributes: its blocks, their sentences and short-line templates, with
    /// digits folded. Code blocks and blocks without words contribute nothing.
    pub fn item_fingerprint(pieces: &[Piece]) -> ItemFingerprint {
        let mut buf = String::new();
        let blocks: Vec<Prepared> = pieces
            .iter()
            .filter(|piece| piece.kind != PieceKind::Code)
            .map(|piece| Prepared::new(piece.text, true, &mut buf))
            .collect();
        FeedStats::fingerprint_of(&blocks)
    }

    /// The fingerprint of blocks already prepared with digits folded (code blocks left out).
    pub(crate) fn fingerprint_of(blocks: &[Prepared]) -> ItemFingerprint {
        let mut hashes = Vec::with_capacity(blocks.len() * 3);
        for p in blocks {
            if p.len() == 0 {
                continue;
            }
            hashes.push(p.folded_hash());
            if p.sentences.len() > 1 {
                hashes.extend((0..p.sentences.len()).map(|k| p.folded_sentence_hash(k)));
            }
            hashes.extend(p.template_hash());
        }
        ItemFingerprint::from_hashes(hashes)
    }

    /// Counts one more item.
    pub fn add(&mut self, fp: &ItemFingerprint) {
        self.items += 1;
        for &h in &fp.hashes {
            *self.df.entry(h).or_insert(0) += 1;
        }
    }

    /// Forgets an item added before (with the same fingerprint).
    pub fn remove(&mut self, fp: &ItemFingerprint) {
        self.items = self.items.saturating_sub(1);
        for h in &fp.hashes {
            if let Some(n) = self.df.get_mut(h) {
                *n -= 1;
                if *n == 0 {
                    self.df.remove(h);
                }
            }
        }
    }

    /// Number of items counted.
    pub fn items(&self) -> u32 {
        self.items
    }

    /// Number of items that carry the hash.
    pub fn doc_freq(&self, h: u64) -> u32 {
        self.df.get(&h).copied().unwrap_or(0)
    }

    /// Whether enough items carry the hash for it to be boilerplate: at least [`MIN_ITEMS`] items and
    /// at least [`MIN_PERCENT`] percent of all items.
    pub fn is_frequent(&self, h: u64) -> bool {
        let n = self.doc_freq(h);
        n >= MIN_ITEMS && n * 100 >= self.items * MIN_PERCENT
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(lines: &[&'static str]) -> Vec<Piece<'static>> {
        lines.iter().map(|t| Piece::paragraph(t)).collect()
    }

    #[test]
    fn frequencies_follow_add_and_remove() {
        let items: Vec<_> = (0..4)
            .map(|_| item(&["Share this story. It helps.", "Edition 4 is out"]))
            .collect();
        let mut stats = FeedStats::from_items(&items);
        let fp = FeedStats::item_fingerprint(&item(&["Edition 7 is out"]));
        assert_eq!(fp.hashes().len(), 1);
        let h = fp.hashes()[0];
        assert_eq!(stats.doc_freq(h), 4);
        assert!(stats.is_frequent(h));
        for _ in 0..3 {
            stats.remove(&FeedStats::item_fingerprint(&items[0]));
        }
        assert_eq!(stats.items(), 1);
        assert_eq!(stats.doc_freq(h), 1);
        assert!(!stats.is_frequent(h));
        let rebuilt = FeedStats::from_counts(stats.items(), stats.counts());
        assert_eq!(rebuilt.doc_freq(h), 1);
    }

    #[test]
    fn twenty_percent_is_needed() {
        let mut items: Vec<_> = (0..3).map(|_| item(&["Follow us today"])).collect();
        items.extend((0..13).map(|_| item(&["Something else"])));
        let stats = FeedStats::from_items(&items);
        let h = FeedStats::item_fingerprint(&item(&["Follow us today"])).hashes()[0];
        assert_eq!(stats.doc_freq(h), 3);
        assert!(!stats.is_frequent(h), "3 of 16 is under 20%");
    }
}
