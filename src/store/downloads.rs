//! The podcast download queue (the `downloads` table): enclosures the user asked for (the
//! reader's download action) or that a feed set to `auto_download` brought, with what became of
//! each. The store only keeps the queue; `crate::podcasts` runs it.
//!
//! One row per enclosure address: queuing an address again does nothing, unless its download
//! failed, which queues it anew. Each row keeps the feed's address and title and the item's title
//! as they were when it was queued, so a download outlives its item.

use rusqlite::{OptionalExtension, Row, params};

use super::feeds::FEED_TITLE;
use super::{Result, Store, StoreError};
use crate::model::{Enclosure, FeedId, ItemId, episode_of};

/// Where a queued download stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DownloadState {
    /// Waiting to run (or interrupted: its `.part` file is resumed).
    Queued,
    /// Written to its file.
    Done,
    /// The last try failed (see [`Download::error`]); the next run tries again.
    Failed,
}

impl DownloadState {
    /// The name stored in the cache and shown by `tidings download --list`.
    pub fn name(self) -> &'static str {
        match self {
            DownloadState::Queued => "queued",
            DownloadState::Done => "done",
            DownloadState::Failed => "failed",
        }
    }

    fn from_name(s: &str) -> DownloadState {
        match s {
            "done" => DownloadState::Done,
            "failed" => DownloadState::Failed,
            _ => DownloadState::Queued,
        }
    }
}

/// One row of the download queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Download {
    /// Row id.
    pub id: i64,
    /// The enclosure's address, as the feed gave it.
    pub url: String,
    /// The item it came from, while it is in the cache.
    pub item: Option<ItemId>,
    /// The feed's address: the download trusts the feed's host as the feed was trusted.
    pub feed_url: String,
    /// The feed's title when queued (raw: sanitised when made into a file name).
    pub feed_title: String,
    /// The item's title when queued (raw).
    pub title: String,
    /// The declared MIME type.
    pub mime: Option<String>,
    /// Where it stands.
    pub state: DownloadState,
    /// The `.part` file being written, once the download has started.
    pub part: Option<String>,
    /// The `ETag` or `Last-Modified` of the response the `.part` file holds the start of.
    pub validator: Option<String>,
    /// The finished file.
    pub path: Option<String>,
    /// Why the last try failed.
    pub error: Option<String>,
    /// The finished file's size.
    pub bytes: Option<u64>,
}

const COLUMNS: &str = "id, url, item_id, feed_url, feed_title, title, mime, state, part, validator, path, error, bytes";

fn download_row(r: &Row<'_>) -> rusqlite::Result<Download> {
    Ok(Download {
        id: r.get(0)?,
        url: r.get(1)?,
        item: r.get(2)?,
        feed_url: r.get(3)?,
        feed_title: r.get(4)?,
        title: r.get(5)?,
        mime: r.get(6)?,
        state: DownloadState::from_name(&r.get::<_, String>(7)?),
        part: r.get(8)?,
        validator: r.get(9)?,
        path: r.get(10)?,
        error: r.get(11)?,
        bytes: r.get::<_, Option<i64>>(12)?.map(|b| b.max(0) as u64),
    })
}

/// Queues `enclosure` of the item `item` (feed address, feed title, item title); whether it was
/// queued (`false`: it is queued, running or done already).
fn queue(
    tx: &rusqlite::Transaction<'_>,
    item: ItemId,
    (feed_url, feed_title, title): (&str, &str, &str),
    enclosure: &Enclosure,
    now: i64,
) -> rusqlite::Result<bool> {
    let changed = tx
        .prepare_cached(
            "INSERT INTO downloads (url, item_id, feed_url, feed_title, title, mime, queued) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) \
             ON CONFLICT (url) DO UPDATE SET state = 'queued', error = NULL \
             WHERE downloads.state = 'failed'",
        )?
        .execute(params![
            enclosure.url,
            item,
            feed_url,
            feed_title,
            title,
            enclosure.mime,
            now
        ])?;
    Ok(changed > 0)
}

impl Store {
    /// Queues the download of `enclosure`, one of the item `item`'s; whether it was queued
    /// (`false` when it waits, runs or is done already). A failed download is queued anew.
    pub fn queue_download(&self, item: ItemId, enclosure: &Enclosure, now: i64) -> Result<bool> {
        let (feed_url, feed_title, title): (String, String, String) = self
            .conn
            .prepare_cached(&format!(
                "SELECT f.url, {FEED_TITLE}, i.title FROM items i \
                 CROSS JOIN feeds f ON f.id = i.feed_id WHERE i.id = ?1"
            ))?
            .query_row([item], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .optional()?
            .ok_or(StoreError::NoSuchItem(item))?;
        let tx = self.write_tx()?;
        let queued = queue(&tx, item, (&feed_url, &feed_title, &title), enclosure, now)?;
        tx.commit()?;
        Ok(queued)
    }

    /// Queues the episode (see [`episode_of`]) of each item of `feeds` first seen at `since` or
    /// later: at most `per_feed` per feed, the newest. Returns how many were queued.
    pub fn queue_new_episodes(
        &self,
        feeds: &[FeedId],
        since: i64,
        per_feed: usize,
    ) -> Result<usize> {
        let mut found = Vec::new();
        {
            let mut stmt = self.conn.prepare_cached(&format!(
                "SELECT i.id, f.url, {FEED_TITLE}, i.title, b.enclosures FROM items i \
                 CROSS JOIN feeds f ON f.id = i.feed_id JOIN item_bodies b ON b.item_id = i.id \
                 WHERE i.feed_id = ?1 AND i.first_seen >= ?2 AND b.enclosures IS NOT NULL \
                 ORDER BY i.sort_time DESC, i.id DESC LIMIT ?3"
            ))?;
            for &feed in feeds {
                let rows = stmt.query_map(params![feed, since, per_feed as i64], |r| {
                    Ok((
                        r.get::<_, ItemId>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, String>(3)?,
                        r.get::<_, String>(4)?,
                    ))
                })?;
                for row in rows {
                    let (item, feed_url, feed_title, title, json) = row?;
                    let enclosures = super::items::parse_enclosures(&json);
                    if let Some(e) = episode_of(&enclosures) {
                        found.push((item, feed_url, feed_title, title, e.clone()));
                    }
                }
            }
        }
        if found.is_empty() {
            return Ok(0);
        }
        let tx = self.write_tx()?;
        let mut queued = 0;
        for (item, feed_url, feed_title, title, e) in &found {
            if queue(&tx, *item, (feed_url, feed_title, title), e, since)? {
                queued += 1;
            }
        }
        tx.commit()?;
        Ok(queued)
    }

    /// Every download in the queue, done ones included, in the order they were queued.
    pub fn downloads(&self) -> Result<Vec<Download>> {
        let mut stmt = self
            .conn
            .prepare_cached(&format!("SELECT {COLUMNS} FROM downloads ORDER BY id"))?;
        let rows = stmt
            .query_map([], download_row)?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// The downloads still to run (queued, or failed last time), in the order they were queued.
    pub fn pending_downloads(&self) -> Result<Vec<Download>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {COLUMNS} FROM downloads WHERE state <> 'done' ORDER BY id"
        ))?;
        let rows = stmt
            .query_map([], download_row)?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// One download by id.
    pub fn download(&self, id: i64) -> Result<Option<Download>> {
        Ok(self
            .conn
            .prepare_cached(&format!("SELECT {COLUMNS} FROM downloads WHERE id = ?1"))?
            .query_row([id], download_row)
            .optional()?)
    }

    /// Notes the `.part` file a download writes and the validator of the response it holds
    /// (`None`: the server gave none, so the part cannot be resumed).
    pub fn download_started(&self, id: i64, part: &str, validator: Option<&str>) -> Result<()> {
        self.update_download(
            "UPDATE downloads SET part = ?2, validator = ?3 WHERE id = ?1",
            params![id, part, validator],
        )
    }

    /// Marks a download done, written to `path` (`bytes` long).
    pub fn download_done(&self, id: i64, path: &str, bytes: u64) -> Result<()> {
        self.update_download(
            "UPDATE downloads SET state = 'done', path = ?2, bytes = ?3, error = NULL, \
             part = NULL, validator = NULL WHERE id = ?1",
            params![id, path, bytes as i64],
        )
    }

    /// Marks a download failed with `error` (kept for the next run, which tries again).
    pub fn download_failed(&self, id: i64, error: &str) -> Result<()> {
        self.update_download(
            "UPDATE downloads SET state = 'failed', error = ?2 WHERE id = ?1",
            params![id, error],
        )
    }

    fn update_download(&self, sql: &str, values: impl rusqlite::Params) -> Result<()> {
        let tx = self.write_tx()?;
        tx.prepare_cached(sql)?.execute(values)?;
        tx.commit()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::testutil;

    fn episode(n: u32) -> Enclosure {
        Enclosure {
            url: format!("http://127.0.0.1:9/ep{n}.mp3"),
            mime: Some("audio/mpeg".into()),
            length: None,
        }
    }

    #[test]
    fn an_enclosure_is_queued_once_and_a_failure_queues_it_again() {
        let (_dir, mut store) = testutil::temp_store();
        let feed = store
            .add_feed("http://127.0.0.1:9/feed", Some("Cast"), &[])
            .unwrap();
        let mut it = testutil::item("a", "One", Some(100));
        it.enclosures = vec![episode(1)];
        store
            .store_feed_update(feed, &testutil::update(1000, vec![it]))
            .unwrap();
        let item = store.items_of_feed(feed, 1).unwrap()[0].id;
        let e = episode(1);
        assert!(store.queue_download(item, &e, 1).unwrap());
        assert!(!store.queue_download(item, &e, 2).unwrap());
        let d = store.pending_downloads().unwrap()[0].clone();
        assert_eq!(
            (d.state, d.feed_title.as_str(), d.title.as_str()),
            (DownloadState::Queued, "Cast", "One")
        );
        store.download_failed(d.id, "boom").unwrap();
        let d = store.download(d.id).unwrap().unwrap();
        assert_eq!(
            (d.state, d.error.as_deref()),
            (DownloadState::Failed, Some("boom"))
        );
        assert!(store.queue_download(item, &e, 3).unwrap());
        store.download_done(d.id, "/x/ep.mp3", 5).unwrap();
        assert!(store.pending_downloads().unwrap().is_empty());
        assert!(!store.queue_download(item, &e, 4).unwrap());
    }

    #[test]
    fn new_episodes_are_queued_newest_first_up_to_the_limit() {
        let (_dir, mut store) = testutil::temp_store();
        let feed = store
            .add_feed("http://127.0.0.1:9/feed", None, &[])
            .unwrap();
        let old = testutil::item("old", "Old", Some(10));
        store
            .store_feed_update(feed, &testutil::update(1000, vec![old]))
            .unwrap();
        let items = (1..=3)
            .map(|n| {
                let mut it =
                    testutil::item(&format!("k{n}"), &format!("Ep {n}"), Some(100 + n as i64));
                it.enclosures = vec![
                    Enclosure {
                        url: format!("http://127.0.0.1:9/cover{n}.jpg"),
                        mime: Some("image/jpeg".into()),
                        length: None,
                    },
                    episode(n),
                ];
                it
            })
            .collect();
        store
            .store_feed_update(feed, &testutil::update(2000, items))
            .unwrap();
        assert_eq!(store.queue_new_episodes(&[feed], 2000, 2).unwrap(), 2);
        let urls: Vec<String> = store
            .downloads()
            .unwrap()
            .into_iter()
            .map(|d| d.url)
            .collect();
        assert_eq!(
            urls,
            ["http://127.0.0.1:9/ep3.mp3", "http://127.0.0.1:9/ep2.mp3"]
        );
    }
}
