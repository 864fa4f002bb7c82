//! Renames and tag edits of a server's feeds, waiting in the cache to be sent (schema V14).
//!
//! Offline first, as for read and starred state: renaming or tagging a synced feed only writes
//! the cache, whose triggers mark the feed in `sync_feed_edits`; the next sync reads the marks
//! with [`Store::queued_feed_edits`] (the feed's title and tags as they are then), sends them
//! before it asks for the server's subscriptions, and drops each with [`Store::feed_edit_sent`].
//! A sync that fails keeps them all.

use rusqlite::{TransactionBehavior, params};

use super::{Result, Store};
use crate::model::FeedId;

/// One synced feed's edit waiting to be sent: what changed, with the values to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueuedFeedEdit {
    /// The local feed.
    pub feed: FeedId,
    /// The server's id of the feed.
    pub remote_id: String,
    /// The user's title to send, when the title changed and one is set (a title cleared gives
    /// the server's own back: nothing to send).
    pub title: Option<String>,
    /// The feed's whole list of tags, when its tags changed.
    pub tags: Option<Vec<String>>,
    /// The edit's version: [`Store::feed_edit_sent`] drops the edit only if no newer one came.
    pub version: i64,
}

impl QueuedFeedEdit {
    /// Whether there is anything to send.
    pub fn is_empty(&self) -> bool {
        self.title.is_none() && self.tags.is_none()
    }
}

impl Store {
    /// The renames and tag edits of `account`'s feeds waiting to be sent, oldest first.
    pub fn queued_feed_edits(&self, account: &str) -> Result<Vec<QueuedFeedEdit>> {
        type Row = (FeedId, String, bool, bool, i64, Option<String>);
        let rows: Vec<Row> = {
            let mut stmt = self.conn.prepare_cached(
                "SELECT e.feed_id, s.remote_id, e.title, e.tags, e.version, f.user_title \
                 FROM sync_feed_edits e \
                 JOIN sync_feeds s ON s.feed_id = e.feed_id AND s.account = e.account \
                 JOIN feeds f ON f.id = e.feed_id \
                 WHERE e.account = ?1 ORDER BY e.queued, e.feed_id",
            )?;
            stmt.query_map([account], |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                ))
            })?
            .collect::<rusqlite::Result<_>>()?
        };
        let mut out = Vec::with_capacity(rows.len());
        for (feed, remote_id, title, tags, version, user_title) in rows {
            out.push(QueuedFeedEdit {
                feed,
                remote_id,
                title: user_title.filter(|t| title && !t.trim().is_empty()),
                tags: if tags {
                    Some(self.feed_tag_list(feed)?)
                } else {
                    None
                },
                version,
            });
        }
        Ok(out)
    }

    /// Records that `edit` was sent: its mark goes, unless the feed was edited again meanwhile.
    /// A title sent becomes the server's title of the feed (the user's own is cleared), so that
    /// a later rename on the server shows here too.
    pub fn feed_edit_sent(&mut self, account: &str, edit: &QueuedFeedEdit) -> Result<()> {
        self.check_writable()?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let dropped = tx.execute(
            "DELETE FROM sync_feed_edits WHERE feed_id = ?1 AND account = ?2 AND version = ?3",
            params![edit.feed, account, edit.version],
        )?;
        if dropped > 0
            && let Some(title) = &edit.title
        {
            tx.execute("INSERT OR IGNORE INTO sync_applying (flag) VALUES (1)", [])?;
            tx.execute(
                "UPDATE feeds SET feed_title = user_title, user_title = NULL \
                 WHERE id = ?1 AND user_title = ?2",
                params![edit.feed, title],
            )?;
            tx.execute("DELETE FROM sync_applying", [])?;
        }
        tx.commit()?;
        Ok(())
    }

    /// How many of `account`'s feeds have an edit waiting to be sent.
    pub fn queued_feed_edit_count(&self, account: &str) -> Result<u64> {
        Ok(self
            .conn
            .prepare_cached("SELECT COUNT(*) FROM sync_feed_edits WHERE account = ?1")?
            .query_row([account], |r| r.get(0))?)
    }

    fn feed_tag_list(&self, feed: FeedId) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT tag FROM feed_tags WHERE feed_id = ?1 AND from_config = 0 ORDER BY tag",
        )?;
        let tags = stmt
            .query_map([feed], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(tags)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::SyncedFeed;

    const ACCOUNT: &str = "miniflux http://127.0.0.1:1 me";

    fn synced(store: &Store) -> FeedId {
        let feeds = [SyncedFeed {
            remote_id: "7".into(),
            url: "http://127.0.0.1:1/a.xml".into(),
            title: "Alpha".into(),
            site_link: None,
            tags: vec!["News".into()],
            error: None,
        }];
        store.apply_synced_feeds(ACCOUNT, &feeds, 1).unwrap()["7"]
    }

    #[test]
    fn renames_and_tag_edits_of_synced_feeds_queue_and_local_feeds_do_not() {
        let mut store = Store::open_in_memory().unwrap();
        let local = store
            .add_feed("http://127.0.0.1:1/b.xml", None, &[])
            .unwrap();
        let feed = synced(&store);
        // The sync's own writes queue nothing.
        assert!(store.queued_feed_edits(ACCOUNT).unwrap().is_empty());
        store.set_feed_title(local, "Mine").unwrap();
        store.set_feed_tags(local, &["X".into()]).unwrap();
        assert!(store.queued_feed_edits(ACCOUNT).unwrap().is_empty());

        store.set_feed_title(feed, "Renamed").unwrap();
        let edits = store.queued_feed_edits(ACCOUNT).unwrap();
        assert_eq!(edits.len(), 1);
        assert_eq!(edits[0].title.as_deref(), Some("Renamed"));
        assert_eq!(edits[0].tags, None);
        assert_eq!(edits[0].remote_id, "7");
        store
            .set_feed_tags(feed, &["Tech".into(), "Art".into()])
            .unwrap();
        let edit = store.queued_feed_edits(ACCOUNT).unwrap().remove(0);
        assert_eq!(edit.tags, Some(vec!["Art".to_string(), "Tech".to_string()]));
        assert_eq!(edit.title.as_deref(), Some("Renamed"));

        // A sync re-listing the feed keeps the local tags while their edit waits.
        synced(&store);
        assert_eq!(
            store.feed(feed).unwrap().tags,
            vec!["Art".to_string(), "Tech".to_string()]
        );
        // An edit made after the one read is not dropped with it.
        store.set_feed_title(feed, "Again").unwrap();
        store.feed_edit_sent(ACCOUNT, &edit).unwrap();
        assert_eq!(store.queued_feed_edit_count(ACCOUNT).unwrap(), 1);
        let edit = store.queued_feed_edits(ACCOUNT).unwrap().remove(0);
        store.feed_edit_sent(ACCOUNT, &edit).unwrap();
        assert_eq!(store.queued_feed_edit_count(ACCOUNT).unwrap(), 0);
        // The title sent is now the feed's own: still shown, and queues nothing.
        assert_eq!(store.feed(feed).unwrap().title, "Again");

        // Removing the feed takes its waiting edit with it.
        store.set_feed_title(feed, "Gone").unwrap();
        store.remove_feed(feed).unwrap();
        assert_eq!(store.queued_feed_edit_count(ACCOUNT).unwrap(), 0);
    }
}
