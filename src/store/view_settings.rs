//! What the reader remembers between runs about its views (the `view_settings` table), where an
//! item sits in a view (to keep a selection when the view's order changes), and whether another
//! process changed the cache.
//!
//! The store does not interpret the settings: a view is named by a key the reader chooses (such as
//! `all`, `feed:12` or `tag:news`) and each setting is a name and a text value.

use std::collections::HashMap;

use rusqlite::params;
use rusqlite::params_from_iter;
use rusqlite::types::Value;

use super::headlines::{is_empty_search, leaders_only, tag_per_story, view_filter};
use super::{Result, Store};
use crate::model::{FeedId, ItemId, ItemQuery, View};

/// One remembered setting: the view it belongs to, its name and its value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ViewSetting {
    /// The view's key, as the reader named it.
    pub view: String,
    /// The setting's name.
    pub setting: String,
    /// Its value.
    pub value: String,
}

impl Store {
    /// Every remembered view setting, ordered by view and name.
    pub fn view_settings(&self) -> Result<Vec<ViewSetting>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT view, setting, value FROM view_settings ORDER BY view, setting",
        )?;
        let rows = stmt
            .query_map([], |r| {
                Ok(ViewSetting {
                    view: r.get(0)?,
                    setting: r.get(1)?,
                    value: r.get(2)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// Remembers one setting of a view, replacing its earlier value. A cache that cannot be
    /// written gives [`super::StoreError::ReadOnly`] (or `Damaged`).
    pub fn set_view_setting(&self, view: &str, setting: &str, value: &str) -> Result<()> {
        let tx = self.write_tx()?;
        tx.prepare_cached(
            "INSERT INTO view_settings (view, setting, value) VALUES (?1, ?2, ?3) \
             ON CONFLICT (view, setting) DO UPDATE SET value = excluded.value",
        )?
        .execute(params![view, setting, value])?;
        tx.commit()?;
        Ok(())
    }

    /// The time of each feed's newest item (`sort_time`), for ordering the feed list; feeds
    /// without items are left out. One index lookup per feed.
    pub fn feed_latest(&self) -> Result<HashMap<FeedId, i64>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT f.id, (SELECT max(i.sort_time) FROM items i WHERE i.feed_id = f.id) FROM feeds f",
        )?;
        let rows = stmt
            .query_map([], |r| {
                Ok((r.get::<_, FeedId>(0)?, r.get::<_, Option<i64>>(1)?))
            })?
            .filter_map(|r| match r {
                Ok((id, Some(t))) => Some(Ok((id, t))),
                Ok((_, None)) => None,
                Err(e) => Some(Err(e)),
            })
            .collect::<rusqlite::Result<HashMap<_, _>>>()?;
        Ok(rows)
    }

    /// SQLite's `PRAGMA data_version` of this connection: it changes when another connection (in
    /// this process or another) commits a change to the file, and costs no read of the file.
    pub fn data_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("PRAGMA data_version", [], |r| r.get(0))?)
    }

    /// How many items of the view `q` come before `anchor` in the view's order: the index of
    /// `anchor` when the view holds it, else the index of the first item after it (which may be
    /// the view's length). `None` when the item no longer exists. In a view listing one item per
    /// story, an item that follows another is placed by its story's lead, the row that shows it.
    pub fn position(&self, q: &ItemQuery, anchor: ItemId) -> Result<Option<u64>> {
        let anchor = if super::headlines::leaders_only(q) {
            self.story_lead(anchor)?
        } else {
            anchor
        };
        let key: Option<(i64, ItemId)> = self
            .conn
            .prepare_cached("SELECT sort_time, id FROM items WHERE id = ?")?
            .query_row([anchor], |r| Ok((r.get(0)?, r.get(1)?)))
            .map(Some)
            .or_else(|e| match e {
                rusqlite::Error::QueryReturnedNoRows => Ok(None),
                e => Err(e),
            })?;
        let Some((time, id)) = key else {
            return Ok(None);
        };
        if is_empty_search(&q.view) {
            return Ok(Some(0));
        }
        let views: Vec<View> = match &q.view {
            View::Tag(tag) => self
                .feeds_with_tag(tag)?
                .into_iter()
                .map(View::Feed)
                .collect(),
            other => vec![other.clone()],
        };
        let mut before = 0u64;
        for view in &views {
            let Some((sql, mut args)) = before_sql(view, q, self.hidden_sql()) else {
                continue;
            };
            args.push(Value::Integer(time));
            args.push(Value::Integer(id));
            let n: i64 = self
                .conn
                .prepare_cached(&sql)?
                .query_row(params_from_iter(args), |r| r.get(0))?;
            before += n.max(0) as u64;
        }
        // A tag listing each story once leaves some of its feeds' items out.
        if let View::Tag(tag) = &q.view
            && tag_per_story(q)
        {
            let hidden = self.tag_hidden_before(tag, q.unread_only, q.oldest_first, (time, id))?;
            before = before.saturating_sub(hidden);
        }
        Ok(Some(before))
    }
}

/// The SQL counting the items of `view` (the whole view, or one feed of a tag) that come before
/// the item at `(sort_time, id) = (?, ?)` (the last two parameters) in `q`'s order, with its
/// other parameters; `None` for a view without a filter. `hidden` is the store's condition that
/// leaves hidden items out (see `Store::hidden_sql`).
fn before_sql(view: &View, q: &ItemQuery, hidden: &str) -> Option<(String, Vec<Value>)> {
    let (filter, args) = view_filter(view, q.unread_only, leaders_only(q))?;
    let cmp = if q.oldest_first { "<" } else { ">" };
    Some((
        format!(
            "SELECT count(*) FROM items i WHERE {filter}{hidden} AND (i.sort_time, i.id) {cmp} (?, ?)"
        ),
        args,
    ))
}

#[cfg(test)]
impl Store {
    /// The query plans SQLite chooses for placing an item in `q`'s view: one per feed of a tag,
    /// else one (for tests).
    pub(crate) fn position_plans(&self, q: &ItemQuery) -> Result<Vec<Vec<String>>> {
        let views: Vec<View> = match &q.view {
            View::Tag(tag) => self
                .feeds_with_tag(tag)?
                .into_iter()
                .map(View::Feed)
                .collect(),
            other => vec![other.clone()],
        };
        let mut plans = Vec::new();
        for view in &views {
            let (sql, mut args) =
                before_sql(view, q, self.hidden_sql()).expect("a view with a filter");
            args.push(Value::Integer(0));
            args.push(Value::Integer(0));
            let mut stmt = self.conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}"))?;
            let lines = stmt
                .query_map(params_from_iter(args), |r| r.get::<_, String>(3))?
                .collect::<rusqlite::Result<_>>()?;
            plans.push(lines);
        }
        Ok(plans)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::testutil::{item, temp_store, update};

    #[test]
    fn settings_are_kept_in_the_file_and_replaced() {
        let (dir, store) = temp_store();
        assert!(store.view_settings().unwrap().is_empty());
        store.set_view_setting("all", "oldest_first", "1").unwrap();
        store
            .set_view_setting("feed:3", "unread_only", "1")
            .unwrap();
        store.set_view_setting("all", "oldest_first", "0").unwrap();
        drop(store);
        let store = Store::open(&dir.path().join("cache.db")).unwrap();
        let got: Vec<(String, String, String)> = store
            .view_settings()
            .unwrap()
            .into_iter()
            .map(|s| (s.view, s.setting, s.value))
            .collect();
        assert_eq!(
            got,
            vec![
                ("all".into(), "oldest_first".into(), "0".into()),
                ("feed:3".into(), "unread_only".into(), "1".into()),
            ]
        );
    }

    #[test]
    fn another_connection_changes_the_data_version() {
        let (dir, store) = temp_store();
        let before = store.data_version().unwrap();
        store.set_view_setting("all", "x", "1").unwrap();
        assert_eq!(
            store.data_version().unwrap(),
            before,
            "own writes do not count"
        );
        let other = Store::open(&dir.path().join("cache.db")).unwrap();
        other
            .add_feed("https://example.test/f.xml", None, &[])
            .unwrap();
        assert_ne!(store.data_version().unwrap(), before);
    }

    #[test]
    fn position_follows_the_order_and_hidden_items() {
        let (_dir, mut store) = temp_store();
        let feed = store
            .add_feed("https://example.test/f.xml", None, &[])
            .unwrap();
        let items = (0..6)
            .map(|i| item(&format!("k{i}"), &format!("t{i}"), Some(1_000 + i)))
            .collect();
        store
            .store_feed_update(feed, &update(2_000, items))
            .unwrap();
        let newest = store.headlines(&ItemQuery::new(View::All), 0, 10).unwrap();
        let ids: Vec<ItemId> = newest.iter().map(|h| h.id).collect();
        let q = ItemQuery::new(View::Feed(feed));
        for (i, id) in ids.iter().enumerate() {
            assert_eq!(store.position(&q, *id).unwrap(), Some(i as u64));
            let old = ItemQuery {
                oldest_first: true,
                ..q.clone()
            };
            assert_eq!(store.position(&old, *id).unwrap(), Some(5 - i as u64));
        }
        // Newest first: t5 t4 t3 t2 t1 t0. With t4 and t3 read and hidden, t3's place is that
        // of the next unread item, t2, which is now second.
        store.set_read(ids[1], true).unwrap();
        store.set_read(ids[2], true).unwrap();
        let unread = q.clone().unread_only(true);
        assert_eq!(store.position(&unread, ids[2]).unwrap(), Some(1));
        assert_eq!(store.position(&unread, ids[3]).unwrap(), Some(1));
        assert_eq!(store.position(&unread, ids[5]).unwrap(), Some(3));
        assert_eq!(store.position(&q, 999_999).unwrap(), None);
        let empty = store
            .add_feed("https://example.test/g.xml", None, &[])
            .unwrap();
        let latest = store.feed_latest().unwrap();
        assert_eq!(latest.get(&feed), Some(&1_005));
        assert_eq!(latest.get(&empty), None);
    }
}
