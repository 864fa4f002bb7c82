//! Storing one download of a feed: the feed's metadata and an upsert of its items, all in one
//! transaction, so a crash mid-fetch leaves the feed wholly old or wholly new.

use rusqlite::{OptionalExtension, TransactionBehavior, params};
use xxhash_rust::xxh3::Xxh3;

use super::body::encode;
use super::dedup_stats::{Fresh, record};
use super::feeds::{clean_title, ensure_feed};
use super::stories;
use super::story_key_memo::MemoInTx;
use super::{Result, Store, StoreError};
use crate::content::dedup::StoryInfo;
use crate::content::sanitize_line;
use crate::model::{FeedId, ParsedItem};

/// How stale a tombstone's `seen` time may get while its feed still lists the key before an update
/// rewrites it (see `retention.rs`).
const TOMBSTONE_RELIST_SECS: i64 = 3_600;

/// What one successful download of a feed brought.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FeedUpdate {
    /// When the download finished (Unix seconds); also the "first seen" time of new items.
    pub fetched_at: i64,
    /// The feed's own title; shown only while the user has not set one.
    pub title: Option<String>,
    /// The feed's web site.
    pub site_link: Option<String>,
    /// A permanent redirect's target: it replaces the feed's address.
    pub new_url: Option<String>,
    /// `ETag` of this answer, or `None` when the server sent none.
    pub etag: Option<String>,
    /// `Last-Modified` of this answer, or `None` when the server sent none.
    pub last_modified: Option<String>,
    /// The items in the order the feed lists them.
    pub items: Vec<ParsedItem>,
    /// What story matching needs of each item, in the order of `items` (computed by the content
    /// layer while parsing). Empty: the new items are not matched with other feeds' stories.
    pub stories: Vec<StoryInfo>,
}

/// How many items a feed update added and changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct UpdateStats {
    /// Items not seen before (tombstoned ones do not count: they stay gone).
    pub new_items: usize,
    /// Items already cached whose title, body, link or other fields changed upstream.
    pub updated_items: usize,
}

/// A digest of everything the feed says about an item, to skip rewriting unchanged ones.
fn item_hash(item: &ParsedItem, enclosures: Option<&str>) -> i64 {
    let mut h = Xxh3::new();
    let mut field = |bytes: &[u8]| {
        h.update(&(bytes.len() as u64).to_le_bytes());
        h.update(bytes);
    };
    fn opt(s: &Option<String>) -> &[u8] {
        s.as_deref().map(str::as_bytes).unwrap_or(b"\xff")
    }
    field(item.title.as_bytes());
    field(opt(&item.link));
    field(opt(&item.guid));
    field(opt(&item.author));
    field(&item.published.map(i64::to_le_bytes).unwrap_or([0xff; 8]));
    field(item.content_kind.as_str().as_bytes());
    field(opt(&item.base));
    field(enclosures.map(str::as_bytes).unwrap_or(b"\xff"));
    field(item.content.as_bytes());
    h.digest() as i64
}

fn enclosures_json(item: &ParsedItem) -> Option<String> {
    if item.enclosures.is_empty() {
        None
    } else {
        serde_json::to_string(&item.enclosures).ok()
    }
}

/// One feed's share of [`Store::store_feed_updates`]: the feed, its download, and its items'
/// deduplication fingerprints when the statistics are kept.
pub type BatchEntry<'a> = (FeedId, &'a FeedUpdate, Option<&'a [Vec<u64>]>);

impl Store {
    /// Stores one successful download of a feed in one transaction and returns how many items
    /// were new and how many changed.
    ///
    /// The feed's `last_success` and `last_checked` become `fetched_at` and its error is
    /// cleared; its own title and site are recorded (a title the user set still wins); `new_url`
    /// replaces its address unless another feed already has that address. Items are matched by
    /// `key` within the feed: a changed item is rewritten in place and keeps its read and
    /// starred state; items the feed no longer lists stay cached; items removed by retention
    /// are not brought back. Undated new items are stored last-listed first, so that sorting by
    /// first seen (then id, newest first) keeps the feed's own order.
    ///
    /// Items stored this way carry no deduplication fingerprint; see
    /// [`Store::store_feed_update_with`].
    pub fn store_feed_update(&mut self, id: FeedId, update: &FeedUpdate) -> Result<UpdateStats> {
        self.store_feed_update_with(id, update, None)
    }

    /// Like [`Store::store_feed_update`], and also keeps the feed's deduplication statistics:
    /// `fingerprints`, when given, holds one fingerprint (a list of hashes from the content layer)
    /// per item of `update.items`, in the same order; those of new and changed items are stored and
    /// the feed's aggregate over its newest items is updated in the same transaction.
    pub fn store_feed_update_with(
        &mut self,
        id: FeedId,
        update: &FeedUpdate,
        fingerprints: Option<&[Vec<u64>]>,
    ) -> Result<UpdateStats> {
        self.check_writable()?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut fresh = Vec::new();
        let mut memo = self.story_keys.get_mut().begin(&tx)?;
        let stats = apply_update(&tx, &mut memo, id, update, fingerprints, &mut fresh)?;
        super::rules::on_arrival(&tx, &self.rules.on_arrival, &fresh, unix_now())?;
        tx.commit()?;
        Ok(stats)
    }

    /// Stores several feeds' downloads in one transaction (each as [`Store::store_feed_update`]
    /// would) and returns their statistics in order. Every feed still ends wholly old or wholly
    /// new; batching the updates that are ready together saves the per-commit cost of
    /// rewriting the shared index pages, which dominates when many feeds arrive at once.
    /// A feed that is no longer subscribed (removed while its download was under way) is
    /// skipped and gets `None`; any other failure stores none of the batch.
    pub fn store_feed_updates(
        &mut self,
        updates: &[BatchEntry<'_>],
    ) -> Result<Vec<Option<UpdateStats>>> {
        self.check_writable()?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut stats = Vec::with_capacity(updates.len());
        let mut fresh = Vec::new();
        let mut memo = self.story_keys.get_mut().begin(&tx)?;
        for (id, update, fingerprints) in updates {
            // `apply_update` checks that the feed exists before it writes anything, so a
            // vanished feed leaves nothing half-written in the shared transaction.
            match apply_update(&tx, &mut memo, *id, update, *fingerprints, &mut fresh) {
                Ok(s) => stats.push(Some(s)),
                Err(StoreError::NoSuchFeed(_)) => stats.push(None),
                Err(e) => return Err(e),
            }
        }
        super::rules::on_arrival(&tx, &self.rules.on_arrival, &fresh, unix_now())?;
        tx.commit()?;
        Ok(stats)
    }
}

/// The current time in seconds since the epoch: what the arrival rules' `age` conditions count
/// from.
fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// Writes one feed update inside the caller's transaction, adding the ids of the items it
/// stored for the first time to `fresh`.
pub(super) fn apply_update(
    tx: &rusqlite::Transaction<'_>,
    memo: &mut MemoInTx<'_>,
    id: FeedId,
    update: &FeedUpdate,
    fingerprints: Option<&[Vec<u64>]>,
    fresh: &mut Vec<i64>,
) -> Result<UpdateStats> {
    ensure_feed(tx, id)?;
    {
        tx.prepare_cached(
            "UPDATE feeds SET feed_title = COALESCE(?2, feed_title), \
             site_link = COALESCE(?3, site_link), etag = ?4, last_modified = ?5, \
             last_success = ?6, last_checked = ?6, last_error = NULL WHERE id = ?1",
        )?
        .execute(params![
            id,
            update.title.as_deref().and_then(clean_title),
            update.site_link,
            update.etag,
            update.last_modified,
            update.fetched_at
        ])?;
        if let Some(url) = &update.new_url {
            let moved = tx
                .prepare_cached(
                    "UPDATE feeds SET url = ?2, url_key = ?3 WHERE id = ?1 AND url <> ?2 \
                     AND NOT EXISTS (SELECT 1 FROM feeds WHERE url_key = ?3 AND id <> ?1)",
                )?
                .execute(params![
                    id,
                    crate::fetch::stored_form(url),
                    crate::fetch::identity(url)
                ])?;
            if moved == 0 {
                tracing::warn!(feed = id, url = %crate::fetch::display_url(url), "feed moved to an address already subscribed or unchanged; kept");
            }
        }
    }
    let mut stats = UpdateStats::default();
    // Items written by this update: (item id, index in `update.items`, was it cached before).
    let mut written: Vec<(i64, usize, bool)> = Vec::new();
    {
        {
            let mut find =
                tx.prepare_cached("SELECT id, hash FROM items WHERE feed_id = ?1 AND key = ?2")?;
            // Most feeds have none: then new items need no tombstone lookup each.
            let has_tombstones = tx
                .prepare_cached("SELECT EXISTS (SELECT 1 FROM tombstones WHERE feed_id = ?1)")?
                .query_row([id], |r| r.get::<_, bool>(0))?;
            let mut buried =
                tx.prepare_cached("SELECT seen FROM tombstones WHERE feed_id = ?1 AND key = ?2")?;
            let mut relist = tx.prepare_cached(
                "UPDATE tombstones SET seen = ?3 WHERE feed_id = ?1 AND key = ?2",
            )?;
            // Ids are never given twice (see schema V4): the next one is past both the highest
            // present and the highest ever deleted. Read once; this transaction holds the lock.
            let mut next_id: i64 = tx
                .prepare_cached(
                    "SELECT max(COALESCE((SELECT value FROM store_meta WHERE key = 'item_id_high'), 0), \
                     COALESCE((SELECT max(id) FROM items), 0)) + 1",
                )?
                .query_row([], |r| r.get(0))?;
            // OR ROLLBACK: any failure here already loses the whole transaction (the batch is
            // then stored feed by feed), so the statement needs no journal of its own to undo
            // just itself; keeping one (for the triggers it fires) cost 2% of a first fetch.
            let mut insert = tx.prepare_cached(
                "INSERT OR ROLLBACK INTO items (id, feed_id, key, hash, sort_time, first_seen, published, \
                 title, link, guid, author) \
                 VALUES (?10, ?1, ?2, ?3, COALESCE(?5, ?4), ?4, ?5, ?6, ?7, ?8, ?9)",
            )?;
            let mut insert_body = tx.prepare_cached(
                "INSERT INTO item_bodies (item_id, content_kind, base, enclosures, codec, content) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?;
            let mut change = tx.prepare_cached(
                "UPDATE items SET hash = ?2, published = ?3, sort_time = COALESCE(?3, first_seen), \
                 title = ?4, link = ?5, guid = ?6, author = ?7 WHERE id = ?1",
            )?;
            let mut change_body = tx.prepare_cached(
                "INSERT OR REPLACE INTO item_bodies (item_id, content_kind, base, enclosures, codec, content) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?;
            let mut pend =
                tx.prepare_cached("INSERT OR IGNORE INTO fts_pending (item_id) VALUES (?1)")?;

            for (index, item) in update.items.iter().enumerate().rev() {
                let enclosures = enclosures_json(item);
                let hash = item_hash(item, enclosures.as_deref());
                let found: Option<(i64, i64)> = find
                    .query_row(params![id, item.key], |r| Ok((r.get(0)?, r.get(1)?)))
                    .optional()?;
                match found {
                    Some((_, old)) if old == hash => {}
                    Some((item_id, _)) => {
                        change.execute(params![
                            item_id,
                            hash,
                            item.published,
                            sanitize_line(&item.title),
                            item.link,
                            item.guid,
                            item.author.as_deref().map(sanitize_line)
                        ])?;
                        let body = encode(&item.content);
                        change_body.execute(params![
                            item_id,
                            item.content_kind.as_str(),
                            item.base,
                            enclosures,
                            body.codec(),
                            body
                        ])?;
                        pend.execute([item_id])?;
                        written.push((item_id, index, true));
                        stats.updated_items += 1;
                    }
                    None => {
                        if has_tombstones {
                            let seen: Option<i64> = buried
                                .query_row(params![id, item.key], |r| r.get(0))
                                .optional()?;
                            if let Some(seen) = seen {
                                // Still listed: the tombstone stays (dated to the hour, so a
                                // frequent refresh does not rewrite it every time).
                                if seen < update.fetched_at - TOMBSTONE_RELIST_SECS {
                                    relist.execute(params![id, item.key, update.fetched_at])?;
                                }
                                continue;
                            }
                        }
                        insert.execute(params![
                            id,
                            item.key,
                            hash,
                            update.fetched_at,
                            item.published,
                            sanitize_line(&item.title),
                            item.link,
                            item.guid,
                            item.author.as_deref().map(sanitize_line),
                            next_id
                        ])?;
                        let item_id = next_id;
                        next_id += 1;
                        let body = encode(&item.content);
                        insert_body.execute(params![
                            item_id,
                            item.content_kind.as_str(),
                            item.base,
                            enclosures,
                            body.codec(),
                            body
                        ])?;
                        pend.execute([item_id])?;
                        written.push((item_id, index, false));
                        fresh.push(item_id);
                        stats.new_items += 1;
                    }
                }
            }
        }
    }
    for &(item_id, index, changed) in &written {
        if let (false, Some(info)) = (changed, update.stories.get(index)) {
            stories::assign(tx, memo, id, item_id, info, true)?;
        }
    }
    if fingerprints.is_none() && update.stories.is_empty() {
        // Digested later, off the path that makes items readable (see `digests.rs`).
        let mut pend = tx.prepare_cached(
            "INSERT OR REPLACE INTO digest_pending (item_id, is_new) VALUES (?1, ?2)",
        )?;
        for &(item_id, _, changed) in &written {
            pend.execute(params![item_id, !changed])?;
        }
    }
    if let Some(fps) = fingerprints {
        let fresh: Vec<Fresh> = written
            .iter()
            .filter_map(|&(item_id, index, changed)| {
                fps.get(index).map(|hashes| Fresh {
                    item_id,
                    changed,
                    hashes,
                })
            })
            .collect();
        record(tx, id, &fresh)?;
    }
    Ok(stats)
}
