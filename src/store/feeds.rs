//! Subscriptions: adding, removing, renaming and tagging feeds, recording fetch outcomes, and
//! reading feeds back with their counters (kept by triggers, so reading them is cheap).

use std::collections::HashMap;

use rusqlite::{OptionalExtension, Row, params};

use super::{Result, Store, StoreError};
use crate::content::sanitize_line;
use crate::fetch::{display_url, identity, redact, stored_form};
use crate::model::{FeedId, FeedRow};

/// Columns of a [`FeedRow`], in the order [`feed_row`] reads them. A feed without a title is
/// named by its address's identity, which carries no password.
pub(crate) const FEED_COLUMNS: &str = "id, url, \
    COALESCE(NULLIF(user_title, ''), NULLIF(feed_title, ''), url_key, url), site_link, \
    item_count, unread_count, last_success, last_checked, last_error, etag, last_modified, \
    retry_not_before";

/// The display title of a feed as an SQL expression over the `feeds` table aliased `f`.
pub(crate) const FEED_TITLE: &str =
    "COALESCE(NULLIF(f.user_title, ''), NULLIF(f.feed_title, ''), f.url_key, f.url)";

fn feed_row(r: &Row<'_>) -> rusqlite::Result<FeedRow> {
    let url: String = r.get(1)?;
    let mut title: String = r.get(2)?;
    if title == identity(&url) {
        // Named by its address: shown as addresses are (hosts in Unicode unless mixed-script).
        title = display_url(&title);
    }
    Ok(FeedRow {
        id: r.get(0)?,
        url,
        title,
        site_link: r.get(3)?,
        tags: Vec::new(),
        items: r.get::<_, i64>(4)?.max(0) as u64,
        unread: r.get::<_, i64>(5)?.max(0) as u64,
        last_success: r.get(6)?,
        last_checked: r.get(7)?,
        // Messages stored by older builds may carry a password.
        last_error: r.get::<_, Option<String>>(8)?.map(|e| redact(&e)),
        etag: r.get(9)?,
        last_modified: r.get(10)?,
        retry_not_before: r.get(11)?,
    })
}

/// Trims tags, drops empty ones and duplicates, and sorts them.
fn clean_tags(tags: &[String]) -> Vec<String> {
    let mut out: Vec<String> = tags.iter().filter_map(|t| clean_tag(t)).collect();
    out.sort();
    out.dedup();
    out
}

/// A tag as stored: one line, trimmed; `None` when nothing is left.
pub(super) fn clean_tag(tag: &str) -> Option<String> {
    Some(sanitize_line(tag).trim().to_string()).filter(|t| !t.is_empty())
}

/// A title as stored: one line, without escape sequences, controls or bidi characters, trimmed;
/// `None` when nothing is left.
pub(crate) fn clean_title(title: &str) -> Option<String> {
    Some(sanitize_line(title).trim().to_string()).filter(|t| !t.is_empty())
}

impl Store {
    /// Subscribes to `url` (kept in its stored form, see [`crate::fetch::stored_form`]), with an
    /// optional user-chosen title and tags, and returns its id. An address whose identity is
    /// already subscribed (another spelling of it, with or without credentials) gives
    /// [`StoreError::DuplicateFeed`].
    pub fn add_feed(&self, url: &str, title: Option<&str>, tags: &[String]) -> Result<FeedId> {
        let tx = self.write_tx()?;
        let key = identity(url);
        let exists = tx
            .query_row("SELECT 1 FROM feeds WHERE url_key = ?1", [&key], |_| Ok(()))
            .optional()?
            .is_some();
        if exists {
            return Err(StoreError::DuplicateFeed(key));
        }
        tx.execute(
            "INSERT INTO feeds (url, url_key, user_title) VALUES (?1, ?2, ?3)",
            params![stored_form(url), key, title.and_then(clean_title)],
        )?;
        let id = tx.last_insert_rowid();
        write_tags(&tx, id, tags)?;
        tx.commit()?;
        Ok(id)
    }

    /// Unsubscribes from a feed and forgets its items, their search entries and tombstones.
    pub fn remove_feed(&self, id: FeedId) -> Result<()> {
        let tx = self.write_tx()?;
        // The items' search rows, story keys and digests go with them (see schema V4).
        tx.execute("DELETE FROM items WHERE feed_id = ?1", [id])?;
        tx.execute("DELETE FROM tombstones WHERE feed_id = ?1", [id])?;
        tx.execute("DELETE FROM feed_tags WHERE feed_id = ?1", [id])?;
        if tx.execute("DELETE FROM feeds WHERE id = ?1", [id])? == 0 {
            return Err(StoreError::NoSuchFeed(id));
        }
        tx.commit()?;
        Ok(())
    }

    /// Replaces a feed's tags (trimmed, deduplicated; empty ones dropped).
    pub fn set_feed_tags(&self, id: FeedId, tags: &[String]) -> Result<()> {
        let tx = self.write_tx()?;
        ensure_feed(&tx, id)?;
        tx.execute(
            "DELETE FROM feed_tags WHERE feed_id = ?1 AND from_config = 0",
            [id],
        )?;
        write_tags(&tx, id, tags)?;
        tx.commit()?;
        Ok(())
    }

    /// Sets the user's title for a feed; it wins over the title the feed gives itself.
    /// An empty title gives the feed's own title back.
    pub fn set_feed_title(&self, id: FeedId, title: &str) -> Result<()> {
        let title = clean_title(title);
        self.update_feed(
            id,
            "UPDATE feeds SET user_title = ?2 WHERE id = ?1",
            params![id, title],
        )
    }

    /// Records a `304 Not Modified` (or an unchanged file): the feed was checked and is current.
    pub fn record_not_modified(&self, id: FeedId, checked_at: i64) -> Result<()> {
        self.update_feed(
            id,
            "UPDATE feeds SET last_checked = ?2, last_success = ?2, last_error = NULL WHERE id = ?1",
            params![id, checked_at],
        )
    }

    /// Records a failed fetch with its message and an optional "not before" time; items are
    /// left alone.
    pub fn record_failure(
        &self,
        id: FeedId,
        checked_at: i64,
        error: &str,
        retry_not_before: Option<i64>,
    ) -> Result<()> {
        self.update_feed(
            id,
            "UPDATE feeds SET last_checked = ?2, last_error = ?3, retry_not_before = ?4 WHERE id = ?1",
            params![id, checked_at, error, retry_not_before],
        )
    }

    /// Sets or clears the time before which the feed should not be fetched again.
    pub fn set_retry_not_before(&self, id: FeedId, t: Option<i64>) -> Result<()> {
        self.update_feed(
            id,
            "UPDATE feeds SET retry_not_before = ?2 WHERE id = ?1",
            params![id, t],
        )
    }

    fn update_feed(&self, id: FeedId, sql: &str, p: impl rusqlite::Params) -> Result<()> {
        self.check_writable()?;
        if self.conn.prepare_cached(sql)?.execute(p)? == 0 {
            return Err(StoreError::NoSuchFeed(id));
        }
        Ok(())
    }

    /// One feed with its tags and counters.
    pub fn feed(&self, id: FeedId) -> Result<FeedRow> {
        let sql = format!("SELECT {FEED_COLUMNS} FROM feeds WHERE id = ?1");
        let mut row = self
            .conn
            .prepare_cached(&sql)?
            .query_row([id], feed_row)
            .optional()?
            .ok_or(StoreError::NoSuchFeed(id))?;
        row.tags = self.feed_tags(id)?;
        Ok(row)
    }

    fn feed_tags(&self, id: FeedId) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT tag FROM feed_tags WHERE feed_id = ?1 AND from_config = 0 ORDER BY tag",
        )?;
        let tags = stmt
            .query_map([id], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(tags)
    }

    /// Every feed with its tags and counters, sorted by title (ignoring case), then id.
    pub fn feeds(&self) -> Result<Vec<FeedRow>> {
        all_feeds(&self.conn)
    }

    /// Finds a feed by its numeric id, its address (any spelling with the same identity), or its
    /// exact display title.
    pub fn find_feed(&self, key: &str) -> Result<Option<FeedRow>> {
        if let Ok(id) = key.trim().parse::<FeedId>() {
            match self.feed(id) {
                Ok(f) => return Ok(Some(f)),
                Err(StoreError::NoSuchFeed(_)) => {}
                Err(e) => return Err(e),
            }
        }
        let sql = format!(
            "SELECT f.id FROM feeds f WHERE f.url_key = ?2 \
             UNION ALL SELECT f.id FROM feeds f WHERE {FEED_TITLE} = ?1 LIMIT 1"
        );
        let id: Option<FeedId> = self
            .conn
            .prepare_cached(&sql)?
            .query_row(params![key, identity(key)], |r| r.get(0))
            .optional()?;
        id.map(|id| self.feed(id)).transpose()
    }

    /// How many feeds are subscribed.
    pub fn feed_count(&self) -> Result<u64> {
        let n: i64 = self
            .conn
            .query_row("SELECT count(*) FROM feeds", [], |r| r.get(0))?;
        Ok(n as u64)
    }

    /// Every tag in use with the number of unread items in its feeds, sorted by tag.
    pub fn tags(&self) -> Result<Vec<(String, u64)>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT t.tag, SUM(f.unread_count) FROM feed_tags t JOIN feeds f ON f.id = t.feed_id \
             GROUP BY t.tag ORDER BY t.tag",
        )?;
        let tags = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get::<_, i64>(1)?.max(0) as u64)))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(tags)
    }

    /// The ids of the feeds carrying `tag`.
    pub(crate) fn feeds_with_tag(&self, tag: &str) -> Result<Vec<FeedId>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT feed_id FROM feed_tags WHERE tag = ?1 ORDER BY feed_id")?;
        let ids = stmt
            .query_map([tag], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(ids)
    }
}

pub(crate) fn ensure_feed(conn: &rusqlite::Connection, id: FeedId) -> Result<()> {
    let found = conn
        .prepare_cached("SELECT 1 FROM feeds WHERE id = ?1")?
        .query_row([id], |_| Ok(()))
        .optional()?;
    found.ok_or(StoreError::NoSuchFeed(id))
}

fn write_tags(conn: &rusqlite::Connection, id: FeedId, tags: &[String]) -> Result<()> {
    // A tag a `[[feed]]` table already gave the feed becomes the feed's own.
    let mut stmt = conn.prepare_cached(
        "INSERT INTO feed_tags (tag, feed_id) VALUES (?1, ?2) \
         ON CONFLICT (tag, feed_id) DO UPDATE SET from_config = 0",
    )?;
    for tag in clean_tags(tags) {
        stmt.execute(params![tag, id])?;
    }
    Ok(())
}

/// Every feed on `conn`, as [`Store::feeds`] lists them (also inside a caller's transaction).
pub(super) fn all_feeds(conn: &rusqlite::Connection) -> Result<Vec<FeedRow>> {
    let mut tags: HashMap<FeedId, Vec<String>> = HashMap::new();
    {
        let mut stmt = conn.prepare_cached(
            "SELECT feed_id, tag FROM feed_tags WHERE from_config = 0 ORDER BY tag",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            tags.entry(r.get(0)?).or_default().push(r.get(1)?);
        }
    }
    let sql = format!("SELECT {FEED_COLUMNS} FROM feeds");
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut feeds = stmt
        .query_map([], feed_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    for f in &mut feeds {
        f.tags = tags.remove(&f.id).unwrap_or_default();
    }
    feeds.sort_by_cached_key(|f| (f.title.to_lowercase(), f.id));
    Ok(feeds)
}
