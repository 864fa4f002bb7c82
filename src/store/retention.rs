//! Retention: dropping old items to bound the cache, leaving a tombstone for each so a feed that
//! still lists an expired item does not bring it back as unread.
//!
//! A tombstone records when its feed last listed the key (`seen`, refreshed by the update that
//! finds the key listed again, see `update.rs`). One the feed has not listed for the age limit
//! (or [`TOMBSTONE_DAYS`] when there is none) is deleted: the feed has dropped the item, so the
//! tombstone no longer keeps anything away, and without this the table only grows.

use std::collections::HashMap;

use rusqlite::{Transaction, TransactionBehavior, params};

use super::{Result, Store};
use crate::model::FeedId;

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
        self.apply_retention_per_feed(policy, &HashMap::new(), now)
    }

    /// Applies `policy` to every feed but those of `own`, and to each of those its own policy
    /// (a `[[feed]]` table's retention keys), in one transaction; returns how many items were
    /// removed. Tombstones are kept as [`Store::apply_retention`] keeps them, by `policy`'s age
    /// limit.
    pub fn apply_retention_per_feed(
        &mut self,
        policy: &RetentionPolicy,
        own: &HashMap<FeedId, RetentionPolicy>,
        now: i64,
    ) -> Result<usize> {
        self.check_writable()?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut doomed = doomed(&tx, policy, Scope::AllBut(own), now)?;
        for (&feed, p) in own {
            doomed.extend(self::doomed(&tx, p, Scope::Only(feed), now)?);
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

/// Which feeds a policy is applied to.
enum Scope<'a> {
    /// Every feed but these.
    AllBut(&'a HashMap<FeedId, RetentionPolicy>),
    /// This feed alone.
    Only(FeedId),
}

/// The items `policy` removes among the feeds of `scope`.
fn doomed(
    tx: &Transaction<'_>,
    policy: &RetentionPolicy,
    scope: Scope<'_>,
    now: i64,
) -> Result<Vec<i64>> {
    let mut protect = String::new();
    if policy.keep_unread {
        protect.push_str(" AND read <> 0");
    }
    if policy.keep_starred {
        protect.push_str(" AND starred = 0");
    }
    let feeds_sql = match &scope {
        Scope::Only(feed) => format!(" AND feed_id = {feed}"),
        Scope::AllBut(own) if own.is_empty() => String::new(),
        Scope::AllBut(own) => {
            let ids: Vec<String> = own.keys().map(|id| id.to_string()).collect();
            format!(" AND feed_id NOT IN ({})", ids.join(","))
        }
    };
    let mut doomed: Vec<i64> = Vec::new();
    if let Some(days) = policy.max_age_days {
        let cutoff = now.saturating_sub(i64::from(days) * 86_400);
        let sql = format!("SELECT id FROM items WHERE sort_time < ?1{feeds_sql}{protect}");
        let mut stmt = tx.prepare(&sql)?;
        for id in stmt.query_map([cutoff], |r| r.get(0))? {
            doomed.push(id?);
        }
    }
    if let Some(max) = policy.max_items_per_feed {
        let feeds: Vec<i64> = {
            let sql = format!(
                "SELECT id FROM feeds WHERE item_count > ?1{}",
                feeds_sql.replace("feed_id", "id")
            );
            let mut stmt = tx.prepare(&sql)?;
            stmt.query_map([max as i64], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?
        };
        let sql = format!(
            "SELECT id FROM (SELECT id, read, starred FROM items WHERE feed_id = ?1 \
             ORDER BY sort_time DESC, id DESC LIMIT -1 OFFSET ?2) WHERE 1{protect}"
        );
        let mut stmt = tx.prepare(&sql)?;
        for feed in feeds {
            for id in stmt.query_map(params![feed, max as i64], |r| r.get(0))? {
                doomed.push(id?);
            }
        }
    }
    Ok(doomed)
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::RetentionPolicy;
    use crate::store::testutil::{item, temp_store, update};

    #[test]
    fn a_feed_with_its_own_policy_is_pruned_by_it_and_the_others_by_the_default() {
        let (_dir, mut s) = temp_store();
        let now = 100 * 86_400;
        let a = s.add_feed("http://h.test/a", None, &[]).unwrap();
        let b = s.add_feed("http://h.test/b", None, &[]).unwrap();
        for feed in [a, b] {
            let items = (0..5)
                .map(|n| item(&format!("k{n}"), "t", Some(now - n * 86_400)))
                .collect();
            s.store_feed_update(feed, &update(now, items)).unwrap();
        }
        let default = RetentionPolicy {
            max_items_per_feed: Some(4),
            keep_unread: false,
            ..RetentionPolicy::default()
        };
        let own = HashMap::from([(
            a,
            RetentionPolicy {
                max_age_days: Some(1),
                keep_unread: false,
                ..RetentionPolicy::default()
            },
        )]);
        // Feed a keeps what is at most a day old (2 items), feed b its newest 4.
        assert_eq!(
            s.apply_retention_per_feed(&default, &own, now).unwrap(),
            3 + 1
        );
        assert_eq!(s.feed(a).unwrap().items, 2);
        assert_eq!(s.feed(b).unwrap().items, 4);
    }
}
