//! One item per story in a tag's view, as in All: a story carried by several feeds of the tag is
//! listed and counted once, by its earliest stored item among the tag's feeds (the story's leader
//! when the tag holds it, else its first copy there).
//!
//! The tag's list stays a merge of its feeds' own index-ordered lists; the copies it leaves out
//! are found beforehand from the copies' index (`items_story`: copies are few), so neither the
//! list nor the count ever walks the items of the tag.

use std::collections::HashSet;

use super::{Result, Store};
use crate::model::ItemId;

/// The SQL selecting, from `items c`, the copies in the feeds of tag `?1` that a tag view leaves
/// out: those whose story has an earlier item in a feed of the tag (its leader, or another copy).
/// It walks the copies' index, never the tag's items (copies are few, a tag's items many).
pub(super) fn hidden_copies_sql(unread: bool) -> String {
    let in_tag = "IN (SELECT feed_id FROM feed_tags WHERE tag = ?1)";
    format!(
        "SELECT c.id FROM items c INDEXED BY items_story WHERE c.story IS NOT NULL{} \
         AND c.feed_id {in_tag} \
         AND ((SELECT l.feed_id FROM items l WHERE l.id = c.story) {in_tag} \
              OR EXISTS (SELECT 1 FROM items o WHERE o.story = c.story AND o.id < c.id \
                         AND o.feed_id {in_tag}))",
        if unread { " AND +c.read = 0" } else { "" }
    )
}

/// The SQL counting the copies that a tag view (tag `?1`) leaves out and that come before the
/// item at `(sort_time, id) = (?2, ?3)` in the view's order. It reads the copies' index, never
/// the tag's items.
pub(super) fn hidden_before_sql(unread: bool, oldest_first: bool) -> String {
    let cmp = if oldest_first { "<" } else { ">" };
    format!(
        "SELECT count(*) FROM items h WHERE h.id IN ({}) AND (h.sort_time, h.id) {cmp} (?2, ?3)",
        hidden_copies_sql(unread)
    )
}

impl Store {
    /// How many of the copies that `tag`'s view leaves out (unread ones only with `unread`) come
    /// before the item at `key` in the view's order: what a place counted over the tag's feeds
    /// must subtract.
    pub(crate) fn tag_hidden_before(
        &self,
        tag: &str,
        unread: bool,
        oldest_first: bool,
        key: (i64, ItemId),
    ) -> Result<u64> {
        let n: i64 = self
            .conn
            .prepare_cached(&hidden_before_sql(unread, oldest_first))?
            .query_row(rusqlite::params![tag, key.0, key.1], |r| r.get(0))?;
        Ok(n.max(0) as u64)
    }

    /// The items of `tag`'s feeds that its view leaves out because an earlier item of the same
    /// story is listed in it.
    pub(crate) fn tag_hidden_copies(&self, tag: &str) -> Result<HashSet<ItemId>> {
        let mut stmt = self.conn.prepare_cached(&hidden_copies_sql(false))?;
        let ids = stmt
            .query_map([tag], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(ids)
    }
}

#[cfg(test)]
impl Store {
    /// The query plan SQLite chooses for a tag's left-out copies, one line per step (for tests).
    pub(crate) fn tag_hidden_copies_plan(&self, tag: &str) -> Result<Vec<String>> {
        let mut stmt = self
            .conn
            .prepare(&format!("EXPLAIN QUERY PLAN {}", hidden_copies_sql(false)))?;
        let lines = stmt
            .query_map([tag], |r| r.get::<_, String>(3))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(lines)
    }

    /// The query plan SQLite chooses for counting a tag's left-out copies before an item (for
    /// tests).
    pub(crate) fn tag_hidden_before_plan(&self, tag: &str, unread: bool) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare(&format!(
            "EXPLAIN QUERY PLAN {}",
            hidden_before_sql(unread, false)
        ))?;
        let lines = stmt
            .query_map(rusqlite::params![tag, 0, 0], |r| r.get::<_, String>(3))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(lines)
    }
}
