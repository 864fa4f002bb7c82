//! Reading whole items (with their bodies) and changing their read and starred state.

use rusqlite::{OptionalExtension, Row, params};

use super::body::decode;
use super::feeds::FEED_TITLE;
use super::{Result, Store, StoreError};
use crate::model::{BodyKind, Enclosure, FeedId, FullText, ItemId, ItemQuery, ItemRow};

fn item_columns() -> String {
    format!(
        "i.id, i.feed_id, {FEED_TITLE}, i.key, i.guid, i.link, i.title, i.author, i.published, \
         i.first_seen, i.sort_time, b.content, b.content_kind, b.base, b.enclosures, i.read, \
         i.starred, b.codec, a.url, a.fetched_at, a.codec, a.content \
         FROM items i CROSS JOIN feeds f ON f.id = i.feed_id \
         LEFT JOIN item_bodies b ON b.item_id = i.id LEFT JOIN item_articles a ON a.item_id = i.id"
    )
}

fn item_row(r: &Row<'_>) -> rusqlite::Result<ItemRow> {
    let enclosures: Option<String> = r.get(14)?;
    Ok(ItemRow {
        id: r.get(0)?,
        feed_id: r.get(1)?,
        feed_title: r.get(2)?,
        key: r.get(3)?,
        guid: r.get(4)?,
        link: r.get(5)?,
        title: r.get(6)?,
        author: r.get(7)?,
        published: r.get(8)?,
        first_seen: r.get(9)?,
        sort_time: r.get(10)?,
        content: decode(r.get::<_, Option<i64>>(17)?.unwrap_or(0), r.get_ref(11)?),
        content_kind: BodyKind::from_name(r.get::<_, Option<String>>(12)?.as_deref().unwrap_or("")),
        base: r.get(13)?,
        enclosures: enclosures
            .as_deref()
            .map(parse_enclosures)
            .unwrap_or_default(),
        read: r.get(15)?,
        starred: r.get(16)?,
        also_in: Vec::new(),
        full_text: match r.get::<_, Option<String>>(18)? {
            Some(url) => Some(FullText {
                url,
                fetched_at: r.get(19)?,
                html: decode(r.get(20)?, r.get_ref(21)?),
            }),
            None => None,
        },
    })
}

/// Reads back the JSON array written by the update (`[{"url":..,"mime":..,"length":..}]`);
/// anything malformed is skipped rather than failing the whole item.
pub(super) fn parse_enclosures(json: &str) -> Vec<Enclosure> {
    let Ok(serde_json::Value::Array(list)) = serde_json::from_str(json) else {
        return Vec::new();
    };
    list.iter()
        .filter_map(|e| {
            Some(Enclosure {
                url: e.get("url")?.as_str()?.to_string(),
                mime: e.get("mime").and_then(|m| m.as_str()).map(str::to_string),
                length: e.get("length").and_then(|l| l.as_u64()),
            })
        })
        .collect()
}

impl Store {
    /// The items `feed` got at `since` or later (first seen), the newest first, at most `limit`.
    pub fn new_item_ids(&self, feed: FeedId, since: i64, limit: usize) -> Result<Vec<ItemId>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id FROM items WHERE feed_id = ?1 AND first_seen >= ?2 \
             ORDER BY sort_time DESC, id DESC LIMIT ?3",
        )?;
        let ids = stmt
            .query_map(params![feed, since, limit as i64], |r| r.get(0))?
            .collect::<rusqlite::Result<Vec<ItemId>>>()?;
        Ok(ids)
    }

    /// One whole item, with its raw body and enclosures.
    pub fn item(&self, id: ItemId) -> Result<ItemRow> {
        let sql = format!("SELECT {} WHERE i.id = ?1", item_columns());
        let mut item = self
            .conn
            .prepare_cached(&sql)?
            .query_row([id], item_row)
            .optional()?
            .ok_or(StoreError::NoSuchItem(id))?;
        item.also_in = self.also_in(id)?;
        Ok(item)
    }

    /// The newest `limit` items of a feed, whole, newest first.
    pub fn items_of_feed(&self, id: FeedId, limit: usize) -> Result<Vec<ItemRow>> {
        let sql = format!(
            "SELECT {} WHERE i.feed_id = ?1 ORDER BY i.sort_time DESC, i.id DESC LIMIT ?2",
            item_columns()
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt
            .query_map(params![id, limit as i64], item_row)?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// Marks one item read or unread, with every other copy of its story (the same story seen
    /// through other feeds is read or not as a whole).
    pub fn set_read(&self, id: ItemId, read: bool) -> Result<()> {
        let lead = self.story_lead(id)?;
        let changed = self
            .conn
            .prepare_cached("UPDATE items SET read = ?2 WHERE id = ?1 OR id = ?3 OR story = ?3")?
            .execute(params![id, read, lead])?;
        if changed == 0 {
            return Err(StoreError::NoSuchItem(id));
        }
        Ok(())
    }

    /// Marks several items read or unread in one transaction; unknown ids are ignored.
    pub fn set_read_many(&self, ids: &[ItemId], read: bool) -> Result<()> {
        let tx = self.write_tx()?;
        {
            let mut stmt = tx.prepare_cached("UPDATE items SET read = ?2 WHERE id = ?1")?;
            for &id in ids {
                stmt.execute(params![id, read])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// Stars or unstars one item.
    pub fn set_starred(&self, id: ItemId, starred: bool) -> Result<()> {
        self.set_flag(id, "UPDATE items SET starred = ?2 WHERE id = ?1", starred)
    }

    fn set_flag(&self, id: ItemId, sql: &str, value: bool) -> Result<()> {
        self.check_writable()?;
        if self.conn.prepare_cached(sql)?.execute(params![id, value])? == 0 {
            return Err(StoreError::NoSuchItem(id));
        }
        Ok(())
    }

    /// Marks every unread item of a view read, with the unread copies of their stories in other
    /// feeds, in one transaction, and returns the ids it changed (so the caller can offer undo
    /// with [`Store::set_read_many`]).
    pub fn mark_all_read(&self, q: &ItemQuery) -> Result<Vec<ItemId>> {
        let tx = self.write_tx()?;
        let mut ids = self.unread_ids(&q.view)?;
        ids.extend(self.unread_story_copies(&ids)?);
        {
            let mut stmt = tx.prepare_cached("UPDATE items SET read = 1 WHERE id = ?1")?;
            for &id in &ids {
                stmt.execute([id])?;
            }
        }
        tx.commit()?;
        Ok(ids)
    }
}
