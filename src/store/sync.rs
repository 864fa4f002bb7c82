//! What the cache keeps for syncing with a server: which feeds and items are the server's (by its
//! ids), the local changes waiting to be sent, and the sync's cursors. Everything is keyed by an
//! account (the server kind, its address and the user), so changes made for one server never go
//! to another.
//!
//! Local changes queue by themselves: triggers on `items` (see migration 13 in `schema.rs`)
//! record every change of `read` or `starred` of a synced item, whatever wrote it. Writing the
//! server's state goes through [`Store::store_synced_page`], which suspends them.

use std::collections::{HashMap, HashSet};

use rusqlite::{OptionalExtension, TransactionBehavior, params};

use super::feeds::{clean_title, ensure_feed};
use super::update::apply_update;
use super::{FeedUpdate, Result, Store, StoreError};
use crate::fetch::{identity, stored_form};
use crate::model::{FeedId, ItemId, ParsedItem};

/// A change of one synced item waiting to be sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SyncChange {
    /// Marked read.
    Read,
    /// Marked unread.
    Unread,
    /// Starred.
    Starred,
    /// Unstarred.
    Unstarred,
}

impl SyncChange {
    /// The name the queue stores.
    pub fn as_str(self) -> &'static str {
        match self {
            SyncChange::Read => "read",
            SyncChange::Unread => "unread",
            SyncChange::Starred => "starred",
            SyncChange::Unstarred => "unstarred",
        }
    }

    fn parse(s: &str) -> Option<SyncChange> {
        Some(match s {
            "read" => SyncChange::Read,
            "unread" => SyncChange::Unread,
            "starred" => SyncChange::Starred,
            "unstarred" => SyncChange::Unstarred,
            _ => return None,
        })
    }

    /// Whether this change is about the read state (else the starred state).
    pub fn is_read_state(self) -> bool {
        matches!(self, SyncChange::Read | SyncChange::Unread)
    }
}

/// The queued changes of an account, collapsed to the last word on each item and state: what a
/// push sends, grouped by change. `up_to` is the last queue row they cover.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QueuedChanges {
    /// The server's item ids per change, in the order first queued.
    pub by_change: Vec<(SyncChange, Vec<String>)>,
    /// The newest queue row read: [`Store::drop_queued`] removes up to it.
    pub up_to: i64,
}

impl QueuedChanges {
    /// Changes in all.
    pub fn len(&self) -> usize {
        self.by_change.iter().map(|(_, ids)| ids.len()).sum()
    }

    /// Whether nothing waits.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// A feed as the server lists it, as the cache takes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncedFeed {
    /// The server's id of the feed.
    pub remote_id: String,
    /// The feed's address.
    pub url: String,
    /// Its title on the server.
    pub title: String,
    /// Its web site.
    pub site_link: Option<String>,
    /// Its folders, as tags.
    pub tags: Vec<String>,
    /// The server's last error fetching it, if any.
    pub error: Option<String>,
}

/// One item from the server with its state, as the cache takes it.
#[derive(Debug, Clone, PartialEq)]
pub struct SyncedItem {
    /// The server's id of the item.
    pub remote_id: String,
    /// The item, as a feed download would give it.
    pub item: ParsedItem,
    /// Read on the server.
    pub read: bool,
    /// Starred on the server.
    pub starred: bool,
}

/// What storing one page of the server's items did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SyncedStats {
    /// Items not cached before.
    pub new_items: usize,
    /// Those items, by feed (for their article pages).
    pub new_ids: Vec<(FeedId, ItemId)>,
    /// Items whose read or starred state the server changed here.
    pub state_changes: usize,
}

impl Store {
    /// The local feeds tied to `account`, by the server's id.
    pub fn synced_feeds(&self, account: &str) -> Result<HashMap<String, FeedId>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT remote_id, feed_id FROM sync_feeds WHERE account = ?1")?;
        let rows = stmt
            .query_map([account], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// The server's id of the local feed `feed` in `account`, if it is one of its feeds.
    pub fn synced_remote_id(&self, account: &str, feed: FeedId) -> Result<Option<String>> {
        Ok(self
            .conn
            .prepare_cached("SELECT remote_id FROM sync_feeds WHERE account = ?1 AND feed_id = ?2")?
            .query_row(params![account, feed], |r| r.get(0))
            .optional()?)
    }

    /// The ids of every feed tied to any account: the feeds a server fetches, not tidings.
    pub fn synced_feed_ids(&self) -> Result<HashSet<FeedId>> {
        let mut stmt = self.conn.prepare_cached("SELECT feed_id FROM sync_feeds")?;
        let rows = stmt
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// Brings the local subscriptions of `account` in line with the server's list: each feed is
    /// found by the server's id, else by its address (a local subscription to it is adopted),
    /// else subscribed; its title, site, tags and error follow the server. Feeds of the account
    /// the server no longer lists are unsubscribed. Returns the feeds by the server's id.
    pub fn apply_synced_feeds(
        &self,
        account: &str,
        feeds: &[SyncedFeed],
        now: i64,
    ) -> Result<HashMap<String, FeedId>> {
        let tx = self.write_tx()?;
        // The server's subscriptions are not the user's edits: nothing here is queued for it.
        tx.execute("INSERT OR IGNORE INTO sync_applying (flag) VALUES (1)", [])?;
        let known = self.synced_feeds(account)?;
        let mut out = HashMap::new();
        for f in feeds {
            let id = match known.get(&f.remote_id) {
                Some(&id) => id,
                None => {
                    let key = identity(&f.url);
                    let found: Option<FeedId> = tx
                        .query_row("SELECT id FROM feeds WHERE url_key = ?1", [&key], |r| {
                            r.get(0)
                        })
                        .optional()?;
                    let id = match found {
                        Some(id) => id,
                        None => {
                            tx.execute(
                                "INSERT INTO feeds (url, url_key) VALUES (?1, ?2)",
                                params![stored_form(&f.url), key],
                            )?;
                            tx.last_insert_rowid()
                        }
                    };
                    tx.execute(
                        "INSERT OR REPLACE INTO sync_feeds (feed_id, account, remote_id) \
                         VALUES (?1, ?2, ?3)",
                        params![id, account, f.remote_id],
                    )?;
                    id
                }
            };
            tx.execute(
                "UPDATE feeds SET feed_title = COALESCE(?2, feed_title), \
                 site_link = COALESCE(?3, site_link), last_checked = ?4, last_error = ?5, \
                 last_success = CASE WHEN ?5 IS NULL THEN ?4 ELSE last_success END WHERE id = ?1",
                params![
                    id,
                    clean_title(&f.title),
                    f.site_link,
                    now,
                    f.error.as_deref().and_then(clean_title)
                ],
            )?;
            // Tags edited here and not yet sent stay (a sync sends them before it lists).
            let edited: bool = tx.query_row(
                "SELECT EXISTS (SELECT 1 FROM sync_feed_edits WHERE feed_id = ?1 AND tags <> 0)",
                [id],
                |r| r.get(0),
            )?;
            if edited {
                out.insert(f.remote_id.clone(), id);
                continue;
            }
            tx.execute(
                "DELETE FROM feed_tags WHERE feed_id = ?1 AND from_config = 0",
                [id],
            )?;
            for tag in &f.tags {
                if let Some(tag) = clean_title(tag) {
                    tx.execute(
                        "INSERT INTO feed_tags (tag, feed_id) VALUES (?1, ?2) \
                         ON CONFLICT (tag, feed_id) DO UPDATE SET from_config = 0",
                        params![tag, id],
                    )?;
                }
            }
            out.insert(f.remote_id.clone(), id);
        }
        for (remote, id) in known {
            if !out.contains_key(&remote) {
                delete_feed(&tx, id)?;
            }
        }
        tx.execute("DELETE FROM sync_applying", [])?;
        tx.commit()?;
        Ok(out)
    }

    /// Stores one page of the server's items of `account` in one transaction, together with the
    /// cursors that follow it (so a sync stopped after this page resumes after it).
    ///
    /// Items go through the same upsert as a feed download (`fetched_at` is their first-seen
    /// time); new ones queue for digests and the search index like fetched ones. Then the
    /// server's read and starred state is written, except for items with a local change still
    /// queued (local changes win until they are sent). Items of feeds not in `feeds` are skipped.
    pub fn store_synced_page(
        &mut self,
        account: &str,
        items: &[(FeedId, SyncedItem)],
        fetched_at: i64,
        cursors: &[(&str, Option<&str>)],
    ) -> Result<SyncedStats> {
        self.check_writable()?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut memo = self.story_keys.get_mut().begin(&tx)?;
        let mut stats = SyncedStats::default();
        // The new items, for the rules on arrival once the server's state is written.
        let mut fresh = Vec::new();
        let mut by_feed: Vec<(FeedId, Vec<&SyncedItem>)> = Vec::new();
        for (feed, item) in items {
            match by_feed.iter_mut().find(|(f, _)| f == feed) {
                Some((_, list)) => list.push(item),
                None => by_feed.push((*feed, vec![item])),
            }
        }
        tx.execute("INSERT OR IGNORE INTO sync_applying (flag) VALUES (1)", [])?;
        for (feed, list) in by_feed {
            match ensure_feed(&tx, feed) {
                Ok(()) => {}
                Err(StoreError::NoSuchFeed(_)) => continue,
                Err(e) => return Err(e),
            }
            // The feed's state is the server's (see `apply_synced_feeds`), not this page's.
            type Kept = (
                Option<String>,
                Option<String>,
                Option<String>,
                Option<i64>,
                Option<i64>,
            );
            let (title, site, error, success, checked): Kept = tx.query_row(
                "SELECT feed_title, site_link, last_error, last_success, last_checked                  FROM feeds WHERE id = ?1",
                [feed],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
            )?;
            let update = FeedUpdate {
                fetched_at,
                title,
                site_link: site,
                items: list.iter().map(|s| s.item.clone()).collect(),
                ..FeedUpdate::default()
            };
            let before = fresh.len();
            stats.new_items +=
                apply_update(&tx, &mut memo, feed, &update, None, &mut fresh)?.new_items;
            stats
                .new_ids
                .extend(fresh[before..].iter().map(|&item| (feed, item)));
            tx.execute(
                "UPDATE feeds SET last_error = ?2, last_success = ?3, last_checked = ?4 WHERE id = ?1",
                params![feed, error, success, checked],
            )?;
            let mut find = tx.prepare_cached(
                "SELECT id, read, starred FROM items WHERE feed_id = ?1 AND key = ?2",
            )?;
            let mut link = tx.prepare_cached(
                "INSERT OR REPLACE INTO sync_items (item_id, account, remote_id) VALUES (?1, ?2, ?3)",
            )?;
            let mut pending = tx.prepare_cached(
                "SELECT EXISTS (SELECT 1 FROM sync_queue WHERE account = ?1 AND remote_id = ?2)",
            )?;
            let mut set =
                tx.prepare_cached("UPDATE items SET read = ?2, starred = ?3 WHERE id = ?1")?;
            for s in list {
                let found: Option<(ItemId, bool, bool)> = find
                    .query_row(params![feed, s.item.key], |r| {
                        Ok((r.get(0)?, r.get(1)?, r.get(2)?))
                    })
                    .optional()?;
                // Tombstoned (removed by retention): it stays gone.
                let Some((id, read, starred)) = found else {
                    continue;
                };
                link.execute(params![id, account, s.remote_id])?;
                if (read, starred) != (s.read, s.starred)
                    && !pending.query_row(params![account, s.remote_id], |r| r.get::<_, bool>(0))?
                {
                    set.execute(params![id, s.read, s.starred])?;
                    stats.state_changes += 1;
                }
            }
        }
        tx.execute("DELETE FROM sync_applying", [])?;
        // Rules on arrival, as for fetched items; what they mark read or starred is queued for
        // the server like the user's own changes.
        super::rules::on_arrival(&tx, &self.rules.on_arrival, &fresh, fetched_at)?;
        write_cursors(&tx, account, cursors)?;
        tx.commit()?;
        Ok(stats)
    }

    /// Sets the read and starred state of every cached item of `account` from the server's
    /// whole lists (`unread`, `starred`: its ids), except items with a local change still
    /// queued. Returns how many items changed.
    pub fn apply_synced_states(
        &mut self,
        account: &str,
        unread: &HashSet<String>,
        starred: &HashSet<String>,
    ) -> Result<usize> {
        self.check_writable()?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute("INSERT OR IGNORE INTO sync_applying (flag) VALUES (1)", [])?;
        let rows: Vec<(ItemId, String, bool, bool, bool)> = {
            let mut stmt = tx.prepare(
                "SELECT s.item_id, s.remote_id, i.read, i.starred, \
                 EXISTS (SELECT 1 FROM sync_queue q WHERE q.account = s.account AND q.remote_id = s.remote_id) \
                 FROM sync_items s JOIN items i ON i.id = s.item_id WHERE s.account = ?1",
            )?;
            stmt.query_map([account], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
            })?
            .collect::<rusqlite::Result<_>>()?
        };
        let mut changed = 0;
        {
            let mut set =
                tx.prepare_cached("UPDATE items SET read = ?2, starred = ?3 WHERE id = ?1")?;
            for (id, remote, read, star, pending) in rows {
                let want = (!unread.contains(&remote), starred.contains(&remote));
                if !pending && want != (read, star) {
                    set.execute(params![id, want.0, want.1])?;
                    changed += 1;
                }
            }
        }
        tx.execute("DELETE FROM sync_applying", [])?;
        tx.commit()?;
        Ok(changed)
    }

    /// The server's ids of every cached item of `account`.
    pub fn synced_item_ids(&self, account: &str) -> Result<HashSet<String>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT remote_id FROM sync_items WHERE account = ?1")?;
        let rows = stmt
            .query_map([account], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// The named cursor of `account`'s sync.
    pub fn sync_cursor(&self, account: &str, name: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .prepare_cached("SELECT value FROM sync_cursors WHERE account = ?1 AND name = ?2")?
            .query_row(params![account, name], |r| r.get(0))
            .optional()?)
    }

    /// Sets (`Some`) or clears (`None`) cursors of `account`'s sync, in one transaction.
    pub fn set_sync_cursors(&self, account: &str, cursors: &[(&str, Option<&str>)]) -> Result<()> {
        let tx = self.write_tx()?;
        write_cursors(&tx, account, cursors)?;
        tx.commit()?;
        Ok(())
    }

    /// The changes of `account` waiting to be sent, the last word on each item and state.
    pub fn queued_changes(&self, account: &str) -> Result<QueuedChanges> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, remote_id, change FROM sync_queue WHERE account = ?1 ORDER BY id",
        )?;
        let rows: Vec<(i64, String, String)> = stmt
            .query_map([account], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let mut last: HashMap<(String, bool), (i64, SyncChange)> = HashMap::new();
        let mut up_to = 0;
        for (id, remote, change) in rows {
            up_to = id;
            if let Some(change) = SyncChange::parse(&change) {
                last.insert((remote, change.is_read_state()), (id, change));
            }
        }
        let mut ordered: Vec<(i64, SyncChange, String)> = last
            .into_iter()
            .map(|((remote, _), (id, change))| (id, change, remote))
            .collect();
        ordered.sort_by_key(|(id, _, _)| *id);
        let mut by_change: Vec<(SyncChange, Vec<String>)> = Vec::new();
        for (_, change, remote) in ordered {
            match by_change.iter_mut().find(|(c, _)| *c == change) {
                Some((_, ids)) => ids.push(remote),
                None => by_change.push((change, vec![remote])),
            }
        }
        Ok(QueuedChanges { by_change, up_to })
    }

    /// Removes the queued changes of `account` up to the row `up_to` (they were sent).
    pub fn drop_queued(&self, account: &str, up_to: i64) -> Result<()> {
        self.check_writable()?;
        self.conn
            .prepare_cached("DELETE FROM sync_queue WHERE account = ?1 AND id <= ?2")?
            .execute(params![account, up_to])?;
        Ok(())
    }

    /// How many changes of `account` wait to be sent.
    pub fn queued_count(&self, account: &str) -> Result<u64> {
        Ok(self
            .conn
            .prepare_cached("SELECT COUNT(*) FROM sync_queue WHERE account = ?1")?
            .query_row([account], |r| r.get(0))?)
    }
}

/// Unsubscribes from a feed inside the caller's transaction, as [`Store::remove_feed`] does.
fn delete_feed(tx: &rusqlite::Transaction<'_>, id: FeedId) -> Result<()> {
    tx.execute("DELETE FROM items WHERE feed_id = ?1", [id])?;
    tx.execute("DELETE FROM tombstones WHERE feed_id = ?1", [id])?;
    tx.execute("DELETE FROM feed_tags WHERE feed_id = ?1", [id])?;
    tx.execute("DELETE FROM feeds WHERE id = ?1", [id])?;
    Ok(())
}

fn write_cursors(
    tx: &rusqlite::Transaction<'_>,
    account: &str,
    cursors: &[(&str, Option<&str>)],
) -> Result<()> {
    for (name, value) in cursors {
        match value {
            Some(v) => tx.execute(
                "INSERT OR REPLACE INTO sync_cursors (account, name, value) VALUES (?1, ?2, ?3)",
                params![account, name, v],
            )?,
            None => tx.execute(
                "DELETE FROM sync_cursors WHERE account = ?1 AND name = ?2",
                params![account, name],
            )?,
        };
    }
    Ok(())
}
