//! Items whose deduplication digests (feed-statistics fingerprint and story keys) are still to
//! be computed. A fetch stores items first, so they are readable at once, and digests them right
//! after, feed by feed; [`Store::record_digests`] then updates the feed's statistics and finds the
//! new items' stories in one transaction.
//!
//! The stored digests carry the format they were computed in (`store_meta.digest_version`). When
//! it is not this build's [`DIGEST_VERSION`], [`Store::requeue_stale_digests`] drops them and
//! queues every item again (as `digest_pending.is_new = 2`: joins its story without taking over the
//! story's read state). That is one short transaction; the digests are then computed by the usual
//! pass, feed by feed, a batch of feeds' results (a thousand items or so) per transaction, so the
//! cache stays readable and writable meanwhile (stories show each copy until their items are digested again).

use rusqlite::{Transaction, params};

use super::articles::RESIGNED;
use super::body::{PackedText, StoredBody};
use super::dedup_stats::{Fresh, record};
use super::search_text::write_entry;
use super::story_key_memo::MemoInTx;
use super::{Result, Store, stories};
use crate::content::dedup::{DIGEST_VERSION, StoryInfo};
use crate::model::{BodyKind, FeedId, ItemId};

/// `digest_pending.is_new` of an item queued again after a change of digest format. (An item
/// whose article arrived is queued as [`RESIGNED`], treated the same way, its old story keys
/// dropped first: it is signed again over the article.)
const REQUEUED: i64 = 2;

/// A stored item waiting for its digest, with what the digest reads.
#[derive(Debug, Clone)]
pub struct PendingItem {
    /// The item.
    pub id: ItemId,
    /// Whether it was new when stored (a changed item keeps its story).
    pub is_new: bool,
    /// Whether it is queued again because the stored digests were of an older format.
    pub requeued: bool,
    /// Its title.
    pub title: String,
    /// Its link.
    pub link: Option<String>,
    /// Its guid.
    pub guid: Option<String>,
    /// Its raw body, decoded where it is first read (a digest worker).
    pub content: StoredBody,
    /// How to read the body.
    pub kind: BodyKind,
    /// Base URL of the body.
    pub base: Option<String>,
    /// Whether the item also waits for the search index, which the digest pass then writes
    /// (see [`ItemDigests::search_text`]).
    pub to_index: bool,
    /// Whether the index holds an older entry of the item, to replace.
    pub indexed: bool,
}

/// One item's computed digest, to record.
#[derive(Debug, Clone)]
pub struct ItemDigests {
    /// The item.
    pub id: ItemId,
    /// Whether it was new when stored.
    pub is_new: bool,
    /// Whether it was queued again because the stored digests were of an older format.
    pub requeued: bool,
    /// Its fingerprint hashes.
    pub fingerprint: Vec<u64>,
    /// Its story keys and signature.
    pub story: StoryInfo,
    /// Its title and searchable text (see `search_text.rs`), made from the body the digest
    /// read, when the item waits for the search index: recorded with the digest.
    pub search: Option<IndexEntry>,
}

/// What the search index takes of an item whose digest is recorded.
#[derive(Debug, Clone)]
pub struct IndexEntry {
    /// The item's title.
    pub title: String,
    /// The distinct words of the item's searchable text, as the index takes them (see
    /// `index_words.rs`).
    pub words: String,
    /// The same text folded (see [`crate::filter::words::fold`]) and compressed, as it is kept
    /// for filters.
    pub folded: PackedText,
    /// Whether the index holds an older entry of the item, to replace.
    pub indexed: bool,
}

impl IndexEntry {
    /// The entry of an item titled `title` whose searchable text is `text`: the text is folded
    /// and compressed, and its words taken once each, here, on the caller's thread (a digest
    /// worker's), not in the writer's transaction.
    pub fn new(title: String, text: String, indexed: bool) -> IndexEntry {
        let both = super::index_words::fold_and_index_words(&text);
        IndexEntry {
            title,
            words: both.words,
            folded: PackedText::folded(&both.folded, both.coded),
            indexed,
        }
    }
}

impl Store {
    /// Drops the stored digests and queues every item for new ones when they were computed in
    /// another format than this build's [`DIGEST_VERSION`]; returns whether it did. The digest
    /// pass (`crate::digests::digest_pending`) calls it first.
    pub fn requeue_stale_digests(&mut self) -> Result<bool> {
        let stored: i64 = self.conn.query_row(
            "SELECT COALESCE((SELECT value FROM store_meta WHERE key = 'digest_version'), 0)",
            [],
            |r| r.get(0),
        )?;
        if stored == i64::from(DIGEST_VERSION) {
            return Ok(false);
        }
        let tx = self.write_tx()?;
        // Another process may have done it while we waited for the write lock.
        let stored: i64 = tx.query_row(
            "SELECT COALESCE((SELECT value FROM store_meta WHERE key = 'digest_version'), 0)",
            [],
            |r| r.get(0),
        )?;
        if stored == i64::from(DIGEST_VERSION) {
            return Ok(false);
        }
        tracing::info!(
            stored,
            current = DIGEST_VERSION,
            "digest format changed; recomputing"
        );
        tx.execute_batch(
            "DELETE FROM story_keys; DELETE FROM story_key_lists; DELETE FROM story_sigs; \
             DELETE FROM item_fingerprints; \
             DELETE FROM feed_stats; UPDATE items SET story = NULL WHERE story IS NOT NULL;",
        )?;
        // An item already waiting as new keeps that (it takes over its story's read state); a
        // changed one, whose story and keys were just dropped, must find its story again.
        tx.execute(
            "UPDATE digest_pending SET is_new = ?1 WHERE is_new = 0",
            [REQUEUED],
        )?;
        tx.execute(
            "INSERT OR IGNORE INTO digest_pending (item_id, is_new) SELECT id, ?1 FROM items",
            [REQUEUED],
        )?;
        tx.execute(
            "INSERT OR REPLACE INTO store_meta (key, value) VALUES ('digest_version', ?1)",
            [i64::from(DIGEST_VERSION)],
        )?;
        tx.commit()?;
        Ok(true)
    }

    /// The feeds that have items waiting for their digests, in id order.
    pub fn feeds_pending_digests(&self) -> Result<Vec<FeedId>> {
        Ok(self
            .pending_digest_spans()?
            .into_iter()
            .map(|(feed, _)| feed)
            .collect())
    }

    /// The feeds that have items waiting for their digests, in id order, each with the smallest
    /// and largest id among its waiting items: one pass over the queue, which lets
    /// [`Store::pending_digests_within`] read only that stretch of the queue for the feed instead
    /// of all of it (the first fetch queues every item of every feed).
    pub fn pending_digest_spans(&self) -> Result<Vec<(FeedId, (ItemId, ItemId))>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT i.feed_id, MIN(p.item_id), MAX(p.item_id) \
             FROM digest_pending p CROSS JOIN items i ON i.id = p.item_id \
             GROUP BY i.feed_id ORDER BY i.feed_id",
        )?;
        let spans = stmt
            .query_map([], |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?))))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(spans)
    }

    /// The smallest and largest id among a feed's items waiting for their digests (`None` when
    /// none waits), found through the feed's own items rather than the whole queue, for
    /// [`Store::pending_digests_within`]: a fetch reads each feed's items as soon as it is
    /// stored, while the queue holds every other feed's too.
    pub fn pending_digest_span(&self, feed: FeedId) -> Result<Option<(ItemId, ItemId)>> {
        let span: (Option<ItemId>, Option<ItemId>) = self.conn.query_row(
            "SELECT MIN(p.item_id), MAX(p.item_id) \
             FROM items i INDEXED BY items_feed_key CROSS JOIN digest_pending p \
             ON p.item_id = i.id WHERE i.feed_id = ?1",
            [feed],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        Ok(match span {
            (Some(a), Some(b)) => Some((a, b)),
            _ => None,
        })
    }

    /// A feed's items waiting for their digests, newest first (the order of a download).
    pub fn pending_digests(&self, feed: FeedId) -> Result<Vec<PendingItem>> {
        self.pending_digests_within(feed, (ItemId::MIN, ItemId::MAX))
    }

    /// A feed's items waiting for their digests whose ids lie within `span` (both ends
    /// included), newest first; see [`Store::pending_digest_spans`].
    pub fn pending_digests_within(
        &self,
        feed: FeedId,
        span: (ItemId, ItemId),
    ) -> Result<Vec<PendingItem>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT i.id, p.is_new, i.title, i.link, i.guid, COALESCE(a.codec, b.codec), \
             COALESCE(a.content, b.content), \
             CASE WHEN a.item_id IS NULL THEN b.content_kind ELSE 'html' END, \
             CASE WHEN a.item_id IS NULL THEN b.base ELSE a.url END, \
             EXISTS (SELECT 1 FROM fts_pending f WHERE f.item_id = i.id), i.indexed \
             FROM digest_pending p CROSS JOIN items i ON i.id = p.item_id \
             LEFT JOIN item_bodies b ON b.item_id = i.id \
             LEFT JOIN item_articles a ON a.item_id = i.id \
             WHERE i.feed_id = ?1 AND p.item_id BETWEEN ?2 AND ?3 \
             ORDER BY i.sort_time DESC, i.id DESC",
        )?;
        let rows = stmt
            .query_map(params![feed, span.0, span.1], |r| {
                let queued: i64 = r.get(1)?;
                Ok(PendingItem {
                    id: r.get(0)?,
                    is_new: queued != 0,
                    requeued: queued == REQUEUED || queued == RESIGNED,
                    title: r.get(2)?,
                    link: r.get(3)?,
                    guid: r.get(4)?,
                    content: StoredBody::read(
                        r.get::<_, Option<i64>>(5)?.unwrap_or(0),
                        r.get_ref(6)?,
                    ),
                    kind: BodyKind::from_name(
                        r.get::<_, Option<String>>(7)?.as_deref().unwrap_or(""),
                    ),
                    base: r.get(8)?,
                    to_index: r.get(9)?,
                    indexed: r.get(10)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// Records the digests of some of a feed's pending items in one transaction: the feed's
    /// statistics take their fingerprints, new items join the stories they repeat, and the items
    /// leave the queue. Items deleted meanwhile are skipped. (Their index entries are written
    /// by [`Store::index_entries`], in larger batches.)
    pub fn record_digests(&mut self, feed: FeedId, digests: &[ItemDigests]) -> Result<()> {
        let tx = self.write_tx()?;
        let mut memo = self.story_keys.borrow_mut();
        record_in(&tx, &mut memo.begin(&tx)?, feed, digests)?;
        tx.commit()?;
        Ok(())
    }

    /// Records the digests of several feeds (in the order given, as [`Store::record_digests`]
    /// does for each) and then writes index entries (as [`Store::index_entries`] does), all in
    /// one transaction. The digest pass records a thousand items or so at a time this way: a
    /// commit writes every page it changed to the log, and the pages of the story keys and the
    /// index are shared by many feeds, so one commit per feed wrote most of them again and again.
    pub fn record_digest_batch(
        &mut self,
        feeds: &[(FeedId, Vec<ItemDigests>)],
        entries: &[(ItemId, IndexEntry)],
    ) -> Result<()> {
        if feeds.is_empty() && entries.is_empty() {
            return Ok(());
        }
        let tx = self.write_tx()?;
        let mut memo = self.story_keys.borrow_mut();
        let mut memo = memo.begin(&tx)?;
        for (feed, digests) in feeds {
            record_in(&tx, &mut memo, *feed, digests)?;
        }
        index_in(&tx, entries)?;
        tx.commit()?;
        Ok(())
    }

    /// Writes the index entries the digest pass made (see [`ItemDigests::search`]), in one
    /// transaction: each item still waiting for the index is indexed by its entry (an item
    /// changed or deleted since its entry was made is left to [`Store::index_pending`]).
    /// The index merges its segments less often when it takes many items per transaction, so
    /// the digest pass gathers entries over several feeds before writing them.
    pub fn index_entries(&mut self, entries: &[(ItemId, IndexEntry)]) -> Result<()> {
        if entries.is_empty() {
            return Ok(());
        }
        let tx = self.write_tx()?;
        index_in(&tx, entries)?;
        tx.commit()?;
        Ok(())
    }
}

/// The work of [`Store::record_digests`], inside the caller's transaction.
fn record_in(
    tx: &Transaction<'_>,
    memo: &mut MemoInTx<'_>,
    feed: FeedId,
    digests: &[ItemDigests],
) -> Result<()> {
    let mut present = Vec::with_capacity(digests.len());
    {
        // Taken off the queue at once: an item still there (and still the feed's) is recorded,
        // one deleted or recorded meanwhile is not. One statement, where asking first and
        // deleting after took two (the transaction makes the order unseen).
        let mut take = tx.prepare_cached(
            "DELETE FROM digest_pending WHERE item_id = ?1 \
             AND EXISTS (SELECT 1 FROM items WHERE id = ?1 AND feed_id = ?2)",
        )?;
        for d in digests {
            if take.execute(params![d.id, feed])? == 1 {
                present.push(d);
            }
        }
    }
    let fresh: Vec<Fresh> = present
        .iter()
        .map(|d| Fresh {
            item_id: d.id,
            // Digested again (a new format, or its article arrived): any fingerprint it
            // had is replaced.
            changed: !d.is_new || d.requeued,
            hashes: &d.fingerprint,
        })
        .collect();
    record(tx, feed, &fresh)?;
    let mut leave_story = tx.prepare_cached("UPDATE items SET story = NULL WHERE id = ?1")?;
    for d in &present {
        if d.is_new && d.requeued {
            // Signed again: its old keys go, and it looks for its story afresh.
            stories::forget_keys(tx, d.id)?;
            leave_story.execute([d.id])?;
        }
        if d.is_new {
            stories::assign(tx, memo, feed, d.id, &d.story, !d.requeued)?;
        }
    }
    Ok(())
}

/// The work of [`Store::index_entries`], inside the caller's transaction.
fn index_in(tx: &Transaction<'_>, entries: &[(ItemId, IndexEntry)]) -> Result<()> {
    // An item that still waits for the index as the entry found it (and for no digest) is
    // taken off the queue and given the entry, in one statement where asking and deleting took
    // two (the transaction makes the order unseen).
    let mut take = tx.prepare_cached(
        "DELETE FROM fts_pending WHERE item_id = ?1 \
         AND EXISTS (SELECT 1 FROM items WHERE id = ?1 AND indexed = ?2) \
         AND NOT EXISTS (SELECT 1 FROM digest_pending WHERE item_id = ?1)",
    )?;
    // In ascending rowid order: the index flushes its pending terms to a new segment
    // whenever a rowid comes out of order (and then merges the many small segments).
    let mut sorted: Vec<&(ItemId, IndexEntry)> = entries.iter().collect();
    sorted.sort_unstable_by_key(|(id, _)| *id);
    for (id, e) in sorted {
        if take.execute(params![id, e.indexed])? == 1 {
            write_entry(tx, *id, e.indexed, &e.title, &e.words, &e.folded)?;
        }
    }
    Ok(())
}
