//! Retention: dropping old items to bound the cache, leaving a tombstone for each so a feed that
//! still lists an expired item does not bring it back as unread.
//!
//! A tombstone records when its feed last listed the key (`seen`, refreshed by the update that
//! finds the key listed again, see `update.rs`). One the feed has not listed for the age limit
//! (or [`TOMBSTONE_DAYS`] when there is none) is deleted: the feed has dropped the item, so the
//! tombstone no longer keeps anything away, and without this the table only grows.

use rusqlite::{TransactionBehavior, params};

use super::{Result, Store};

/// Days a tombstone outlives the last time its feed listed the key, when no age limit is set.
pub const TOMBSTONE_DAYS: u32 = 90;

/// Which items to keep. Items that break a limit are removed, except unread and starred ones
/// when the policy protects them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetentionPolicy {
    /// Keep at most this many items per feed (the newest by sort time); `None` for no limit.
    pub max_items_per_feed: Option<usize>,
    /// Remove items older (by sort time) than this many days; `None` for no limit.
    pub max_age_days: Option<u32>,
    /// Never remove unread items.
    pub keep_unread: bool,
    /// Never remove starred items.
    pub keep_starred: bool,
}

impl Default for RetentionPolicy {
    /// No limits; unread and starred items protected.
    fn default() -> Self {
        RetentionPolicy {
            max_items_per_feed: None,
            max_age_days: None,
            keep_unread: true,
            keep_starred: true,
        }
    }
}

impl Store {
    /// Applies a retention policy at time `now`, in one transaction, and returns how many items
    /// it removed. Each removed item loses its body, search entry, story keys and digests, and
    /// leaves a tombstone (its feed and key, dated `now`) behind. Tombstones whose feed has not
    /// listed them for the age limit (or [`TOMBSTONE_DAYS`]) are deleted.
    pub fn apply_retention(&mut self, policy: &RetentionPolicy, now: i64) -> Result<usize> {
        self.check_writable()?;
        let mut protect = String::new();
        if policy.keep_unread {
            protect.push_str(" AND read <> 0");
        }
        if policy.keep_starred {
            protect.push_str(" AND starred = 0");
        }
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut doomed: Vec<i64> = Vec::new();
        if let Some(days) = policy.max_age_days {
            let cutoff = now.saturating_sub(i64::from(days) * 86_400);
            let sql = format!("SELECT id FROM items WHERE sort_time < ?1{protect}");
            let mut stmt = tx.prepare(&sql)?;
            for id in stmt.query_map([cutoff], |r| r.get(0))? {
                doomed.push(id?);
            }
        }
        if let Some(max) = policy.max_items_per_feed {
            let feeds: Vec<(i64, i64)> = {
                let mut stmt =
                    tx.prepare("SELECT id, item_count FROM feeds WHERE item_count > ?1")?;
                stmt.query_map([max as i64], |r| Ok((r.get(0)?, r.get(1)?)))?
                    .collect::<rusqlite::Result<_>>()?
            };
            let sql = format!(
                "SELECT id FROM (SELECT id, read, starred FROM items WHERE feed_id = ?1 \
                 ORDER BY sort_time DESC, id DESC LIMIT -1 OFFSET ?2) WHERE 1{protect}"
            );
            let mut stmt = tx.prepare(&sql)?;
            for (feed, _) in feeds {
                for id in stmt.query_map(params![feed, max as i64], |r| r.get(0))? {
                    doomed.push(id?);
                }
            }
        }
        doomed.sort_unstable();
        doomed.dedup();
        {
            let mut bury = tx.prepare_cached(
                "INSERT OR REPLACE INTO tombstones (feed_id, key, seen) \
                 SELECT feed_id, key, ?2 FROM items WHERE id = ?1",
            )?;
            // The search row, story keys and digests go with the item (see schema V4).
            let mut delete = tx.prepare_cached("DELETE FROM items WHERE id = ?1")?;
            for &id in &doomed {
                bury.execute(params![id, now])?;
                delete.execute([id])?;
            }
        }
        let days = policy.max_age_days.unwrap_or(TOMBSTONE_DAYS);
        tx.prepare_cached("DELETE FROM tombstones WHERE seen < ?1")?
            .execute([now.saturating_sub(i64::from(days) * 86_400)])?;
        tx.commit()?;
        Ok(doomed.len())
    }
}
