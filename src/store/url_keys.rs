//! One subscription per feed: the migration that gives every stored feed its identity
//! (`feeds.url_key`, see [`crate::fetch::identity`]) and merges the feeds that turn out to be one.
//!
//! Older builds compared raw strings, so `http://h/x`, `HTTP://h/x#top`, `http:/h/x` and an IDN
//! host next to its punycode form could each be a subscription of their own. The identity cannot
//! be computed in SQL (IDNA, URL parsing), so this step reads every feed, computes it in Rust,
//! and merges each group of duplicates into its oldest feed (the smallest id):
//! - an item both feeds hold (same key) is kept once, read if either copy was read and starred
//!   if either was starred; the other items move over with their ids, so stories, bodies and
//!   search entries stay attached;
//! - tags are united, tombstones moved, a user title kept (the oldest feed's first);
//! - credentials are kept: the survivor takes a duplicate's address when it had none of its own;
//! - counters are recounted, and the deduplication statistics of the survivor are dropped to be
//!   rebuilt by its next update (its fingerprints stay).
//!
//! Then every address is rewritten in its stored form and `url_key` becomes unique.

use std::collections::BTreeMap;

use rusqlite::{Transaction, params};

use crate::fetch::{identity, stored_form};

/// A feed as the migration reads it.
struct Row {
    id: i64,
    url: String,
}

/// Fills `feeds.url_key`, merges duplicates and makes the key unique. Runs inside the
/// migration's transaction, after its SQL added the column.
pub(crate) fn merge_duplicate_feeds(tx: &Transaction) -> rusqlite::Result<()> {
    let rows: Vec<Row> = tx
        .prepare("SELECT id, url FROM feeds ORDER BY id")?
        .query_map([], |r| {
            Ok(Row {
                id: r.get(0)?,
                url: r.get(1)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut groups: BTreeMap<String, Vec<Row>> = BTreeMap::new();
    for row in rows {
        groups.entry(identity(&row.url)).or_default().push(row);
    }
    for (key, group) in groups {
        let keep = group[0].id;
        for dup in &group[1..] {
            merge_into(tx, keep, dup.id)?;
        }
        let url = group
            .iter()
            .map(|r| stored_form(&r.url))
            .find(|u| identity(u) != *u)
            .unwrap_or_else(|| stored_form(&group[0].url));
        tx.execute(
            "UPDATE feeds SET url = ?2, url_key = ?3 WHERE id = ?1",
            params![keep, url, key],
        )?;
        if group.len() > 1 {
            recount(tx, keep)?;
        }
    }
    tx.execute_batch("CREATE UNIQUE INDEX feeds_url_key ON feeds(url_key);")
}

/// Moves everything of feed `dup` into feed `keep`, then deletes `dup`.
fn merge_into(tx: &Transaction, keep: i64, dup: i64) -> rusqlite::Result<()> {
    tx.execute(
        "UPDATE items AS k SET read = max(k.read, d.read), starred = max(k.starred, d.starred) \
         FROM items AS d WHERE k.feed_id = ?1 AND d.feed_id = ?2 AND d.key = k.key",
        params![keep, dup],
    )?;
    tx.execute(
        "DELETE FROM item_fts WHERE rowid IN (SELECT d.id FROM items d \
         JOIN items k ON k.feed_id = ?1 AND k.key = d.key WHERE d.feed_id = ?2 AND d.indexed <> 0)",
        params![keep, dup],
    )?;
    tx.execute(
        "DELETE FROM items WHERE feed_id = ?2 AND key IN (SELECT key FROM items WHERE feed_id = ?1)",
        params![keep, dup],
    )?;
    tx.execute(
        "UPDATE items SET feed_id = ?1 WHERE feed_id = ?2",
        params![keep, dup],
    )?;
    tx.execute(
        "UPDATE item_fingerprints SET feed_id = ?1 WHERE feed_id = ?2",
        params![keep, dup],
    )?;
    tx.execute(
        "INSERT OR IGNORE INTO tombstones (feed_id, key) SELECT ?1, key FROM tombstones WHERE feed_id = ?2",
        params![keep, dup],
    )?;
    tx.execute("DELETE FROM tombstones WHERE feed_id = ?1", [dup])?;
    tx.execute(
        "INSERT OR IGNORE INTO feed_tags (tag, feed_id) SELECT tag, ?1 FROM feed_tags \
         WHERE feed_id = ?2 AND from_config = 0",
        params![keep, dup],
    )?;
    tx.execute("DELETE FROM feed_tags WHERE feed_id = ?1", [dup])?;
    tx.execute(
        "UPDATE feeds SET user_title = (SELECT user_title FROM feeds WHERE id = ?2) \
         WHERE id = ?1 AND COALESCE(user_title, '') = ''",
        params![keep, dup],
    )?;
    tx.execute("DELETE FROM feeds WHERE id = ?1", [dup])?;
    Ok(())
}

/// Recounts a merged feed's counters and drops its deduplication statistics, which its next
/// update rebuilds from the fingerprints.
fn recount(tx: &Transaction, feed: i64) -> rusqlite::Result<()> {
    tx.execute(
        "UPDATE feeds SET \
         item_count = (SELECT count(*) FROM items WHERE feed_id = ?1), \
         unread_count = (SELECT count(*) FROM items WHERE feed_id = ?1 AND read = 0), \
         starred_count = (SELECT count(*) FROM items WHERE feed_id = ?1 AND starred <> 0) \
         WHERE id = ?1",
        [feed],
    )?;
    tx.execute(
        "UPDATE item_fingerprints SET in_stats = 0 WHERE feed_id = ?1",
        [feed],
    )?;
    tx.execute("DELETE FROM feed_stats WHERE feed_id = ?1", [feed])?;
    Ok(())
}
