//! Per-feed deduplication statistics, kept current as items are stored.
//!
//! Each item's fingerprint (the hashes of its blocks, sentences and line templates, computed by the
//! content layer while the feed is parsed) is kept as one blob of little-endian `u64`s in
//! `item_fingerprints`. The feed's aggregate, how many of its newest [`STATS_WINDOW`] items carry
//! each hash, is one blob per feed in `feed_stats`, read and written once per feed update inside
//! the update's transaction: fingerprints of items entering the window are added, those of items
//! leaving it (older ones, changed ones, deleted ones) subtracted. Reading statistics for display is
//! one row. One upsert per hash would cost several times the time spent storing the items.

use std::collections::{HashMap, HashSet};

use rusqlite::{OptionalExtension, Transaction, params};

use super::{Result, Store};
use crate::content::dedup::HashMapU64;
use crate::model::FeedId;

/// How many of a feed's newest items (that carry a fingerprint) its statistics cover.
pub const STATS_WINDOW: usize = 100;

/// A feed's stored statistics: how many items they cover and, for each hash, how many of those
/// items carry it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StoredFeedStats {
    /// Items counted.
    pub items: u32,
    /// Each hash with its number of items, in no particular order.
    pub counts: Vec<(u64, u32)>,
}

/// One stored item's new fingerprint, as the update hands it over.
pub(crate) struct Fresh<'a> {
    pub item_id: i64,
    /// Whether the item was cached before (its old fingerprint may be counted).
    pub changed: bool,
    pub hashes: &'a [u64],
}

fn encode_hashes(hashes: &[u64]) -> Vec<u8> {
    let mut out = Vec::with_capacity(hashes.len() * 8);
    for h in hashes {
        out.extend_from_slice(&h.to_le_bytes());
    }
    out
}

fn decode_hashes(blob: &[u8]) -> impl Iterator<Item = u64> + '_ {
    blob.chunks_exact(8)
        .map(|c| u64::from_le_bytes(c.try_into().expect("8 bytes")))
}

fn encode_counts(counts: &HashMapU64<u32>) -> Vec<u8> {
    let mut out = Vec::with_capacity(counts.len() * 12);
    for (h, n) in counts {
        out.extend_from_slice(&h.to_le_bytes());
        out.extend_from_slice(&n.to_le_bytes());
    }
    out
}

fn decode_counts(blob: &[u8]) -> impl Iterator<Item = (u64, u32)> + '_ {
    blob.chunks_exact(12).map(|c| {
        (
            u64::from_le_bytes(c[..8].try_into().expect("8 bytes")),
            u32::from_le_bytes(c[8..].try_into().expect("4 bytes")),
        )
    })
}

/// The aggregate being updated.
struct Aggregate {
    items: u32,
    counts: HashMapU64<u32>,
}

impl Aggregate {
    fn load(tx: &Transaction, feed: FeedId) -> Result<Aggregate> {
        let row: Option<(u32, Vec<u8>)> = tx
            .prepare_cached("SELECT items, counts FROM feed_stats WHERE feed_id = ?1")?
            .query_row([feed], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        Ok(match row {
            Some((items, blob)) => Aggregate {
                items,
                counts: decode_counts(&blob).collect(),
            },
            None => Aggregate {
                items: 0,
                counts: HashMapU64::default(),
            },
        })
    }

    fn add(&mut self, hashes: impl Iterator<Item = u64>) {
        self.items += 1;
        for h in hashes {
            *self.counts.entry(h).or_insert(0) += 1;
        }
    }

    fn remove(&mut self, hashes: impl Iterator<Item = u64>) {
        self.items = self.items.saturating_sub(1);
        for h in hashes {
            if let Some(n) = self.counts.get_mut(&h) {
                *n -= 1;
                if *n == 0 {
                    self.counts.remove(&h);
                }
            }
        }
    }

    fn save(&self, tx: &Transaction, feed: FeedId) -> Result<()> {
        tx.prepare_cached(
            "INSERT OR REPLACE INTO feed_stats (feed_id, items, counts) VALUES (?1, ?2, ?3)",
        )?
        .execute(params![feed, self.items, encode_counts(&self.counts)])?;
        Ok(())
    }
}

fn stored_hashes(tx: &Transaction, item: i64) -> Result<Vec<u8>> {
    Ok(tx
        .prepare_cached("SELECT hashes FROM item_fingerprints WHERE item_id = ?1")?
        .query_row([item], |r| r.get(0))?)
}

/// Records the fingerprints of items just stored and brings the feed's aggregate up to date with
/// its newest [`STATS_WINDOW`] fingerprinted items. Runs inside the feed update's transaction;
/// does nothing when no item is fresh.
pub(crate) fn record(tx: &Transaction, feed: FeedId, fresh: &[Fresh]) -> Result<()> {
    if fresh.is_empty() {
        return Ok(());
    }
    let mut agg = Aggregate::load(tx, feed)?;
    let counted: HashSet<i64> = tx
        .prepare_cached(
            "SELECT item_id FROM item_fingerprints WHERE feed_id = ?1 AND in_stats <> 0",
        )?
        .query_map([feed], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    // Fresh fingerprints go in marked as counted (most fresh items are the feed's newest, so
    // they enter the window); the few that do not are unmarked below. Each row is written once.
    {
        let mut was_counted = tx.prepare_cached(
            "SELECT hashes FROM item_fingerprints WHERE item_id = ?1 AND in_stats <> 0",
        )?;
        // An upsert, not `OR REPLACE`: a replace may delete a row from the table's index, so
        // SQLite would copy every page the statement touches into a statement journal first
        // (about three 8 KB pages a row in a first fetch, nearly all rows new; see README).
        let mut put = tx.prepare_cached(
            "INSERT INTO item_fingerprints (item_id, feed_id, in_stats, hashes) \
             VALUES (?1, ?2, 1, ?3) ON CONFLICT (item_id) DO UPDATE SET \
             feed_id = excluded.feed_id, in_stats = 1, hashes = excluded.hashes",
        )?;
        for f in fresh {
            if f.changed {
                let old: Option<Vec<u8>> = was_counted
                    .query_row([f.item_id], |r| r.get(0))
                    .optional()?;
                if let Some(old) = old {
                    agg.remove(decode_hashes(&old));
                }
            }
            put.execute(params![f.item_id, feed, encode_hashes(f.hashes)])?;
        }
    }
    let window: HashSet<i64> = tx
        .prepare_cached(
            "SELECT i.id FROM items i JOIN item_fingerprints f ON f.item_id = i.id \
             WHERE i.feed_id = ?1 ORDER BY i.sort_time DESC, i.id DESC LIMIT ?2",
        )?
        .query_map(params![feed, STATS_WINDOW as i64], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let fresh_hashes: HashMap<i64, &[u64]> = fresh.iter().map(|f| (f.item_id, f.hashes)).collect();
    let mut flag =
        tx.prepare_cached("UPDATE item_fingerprints SET in_stats = ?2 WHERE item_id = ?1")?;
    // Older items that left the window.
    for &gone in counted.difference(&window) {
        if !fresh_hashes.contains_key(&gone) {
            agg.remove(decode_hashes(&stored_hashes(tx, gone)?));
            flag.execute(params![gone, 0])?;
        }
    }
    for (&id, hashes) in &fresh_hashes {
        if window.contains(&id) {
            agg.add(hashes.iter().copied());
        } else {
            flag.execute(params![id, 0])?;
        }
    }
    // Older items that came back into the window (newer ones were deleted).
    for &back in window.difference(&counted) {
        if !fresh_hashes.contains_key(&back) {
            agg.add(decode_hashes(&stored_hashes(tx, back)?));
            flag.execute(params![back, 1])?;
        }
    }
    // Fingerprints of items retention deleted are no longer needed once subtracted.
    tx.prepare_cached(
        "DELETE FROM item_fingerprints WHERE feed_id = ?1 AND in_stats = 0 \
         AND NOT EXISTS (SELECT 1 FROM items WHERE id = item_fingerprints.item_id)",
    )?
    .execute([feed])?;
    agg.save(tx, feed)
}

impl Store {
    /// The deduplication statistics of a feed, as kept by the updates that stored its items, or
    /// `None` when no item of it was stored with a fingerprint.
    pub fn feed_stats(&self, feed: FeedId) -> Result<Option<StoredFeedStats>> {
        let row: Option<(u32, Vec<u8>)> = self
            .conn
            .prepare_cached("SELECT items, counts FROM feed_stats WHERE feed_id = ?1")?
            .query_row([feed], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        Ok(row.map(|(items, blob)| StoredFeedStats {
            items,
            counts: decode_counts(&blob).collect(),
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::testutil::{item, temp_store, update};

    fn count(stats: &StoredFeedStats, h: u64) -> u32 {
        stats
            .counts
            .iter()
            .find(|&&(x, _)| x == h)
            .map_or(0, |&(_, n)| n)
    }

    /// Item `i` carries hash 1 (shared by all), hash `1000 + i` (its own).
    fn fps(range: std::ops::Range<usize>) -> Vec<Vec<u64>> {
        range.map(|i| vec![1, 1000 + i as u64]).collect()
    }

    #[test]
    fn the_aggregate_covers_the_newest_hundred_items() {
        let (_dir, mut store) = temp_store();
        let feed = store.add_feed("https://example.test/f", None, &[]).unwrap();
        assert_eq!(store.feed_stats(feed).unwrap(), None);
        let items = |r: std::ops::Range<usize>| {
            r.map(|i| item(&format!("k{i}"), &format!("t{i}"), Some(1_000 + i as i64)))
                .collect::<Vec<_>>()
        };
        store
            .store_feed_update_with(feed, &update(10, items(0..60)), Some(&fps(0..60)))
            .unwrap();
        let s = store.feed_stats(feed).unwrap().unwrap();
        assert_eq!((s.items, count(&s, 1), count(&s, 1000)), (60, 60, 1));

        // 60 more, newer: the 20 oldest fall out of the window.
        store
            .store_feed_update_with(feed, &update(20, items(60..120)), Some(&fps(60..120)))
            .unwrap();
        let s = store.feed_stats(feed).unwrap().unwrap();
        assert_eq!(s.items, STATS_WINDOW as u32);
        assert_eq!(count(&s, 1), 100);
        assert_eq!(count(&s, 1000), 0, "oldest item left the window");
        assert_eq!(count(&s, 1019), 0);
        assert_eq!(count(&s, 1020), 1);
        assert_eq!(count(&s, 1119), 1);
        assert_eq!(s.counts.len(), 101);

        // An unchanged refetch changes nothing; a changed body replaces its fingerprint.
        let mut again = items(60..120);
        again[59].content = "<p>new text</p>".into();
        let mut new_fps = fps(60..120);
        new_fps[59] = vec![7];
        let up = store
            .store_feed_update_with(feed, &update(30, again), Some(&new_fps))
            .unwrap();
        assert_eq!(up.updated_items, 1);
        let s = store.feed_stats(feed).unwrap().unwrap();
        assert_eq!(
            (s.items, count(&s, 1), count(&s, 1119), count(&s, 7)),
            (100, 99, 0, 1)
        );
        // The stored row is the new fingerprint, not the old one beside it.
        let rows_with = |hashes: &[u64]| -> i64 {
            store
                .conn
                .query_row(
                    "SELECT count(*) FROM item_fingerprints WHERE hashes = ?1",
                    [encode_hashes(hashes)],
                    |r| r.get(0),
                )
                .unwrap()
        };
        assert_eq!((rows_with(&[7]), rows_with(&[1, 1119])), (1, 0));
        let rows: i64 = store
            .conn
            .query_row("SELECT count(*) FROM item_fingerprints", [], |r| r.get(0))
            .unwrap();
        assert_eq!(rows, 120);
    }

    #[test]
    fn removed_feeds_lose_their_statistics() {
        let (_dir, mut store) = temp_store();
        let feed = store.add_feed("https://example.test/f", None, &[]).unwrap();
        let items = vec![item("a", "A", Some(5)), item("b", "B", Some(6))];
        store
            .store_feed_update_with(feed, &update(10, items), Some(&fps(0..2)))
            .unwrap();
        assert_eq!(store.feed_stats(feed).unwrap().unwrap().items, 2);
        store.remove_feed(feed).unwrap();
        assert_eq!(store.feed_stats(feed).unwrap(), None);
        let left: i64 = store
            .conn
            .query_row("SELECT count(*) FROM item_fingerprints", [], |r| r.get(0))
            .unwrap();
        assert_eq!(left, 0);
    }

    #[test]
    fn blobs_round_trip() {
        let hashes = [0, 1, u64::MAX];
        assert_eq!(
            decode_hashes(&encode_hashes(&hashes)).collect::<Vec<_>>(),
            hashes
        );
        let counts: HashMapU64<u32> = [(5, 2), (u64::MAX, u32::MAX)].into_iter().collect();
        let back: HashMapU64<u32> = decode_counts(&encode_counts(&counts)).collect();
        assert_eq!(back, counts);
    }
}
