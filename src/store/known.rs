//! Which of a download's items a feed already knows, so that a refresh can bound how many new
//! items one run adds.

use std::collections::HashSet;

use super::{Result, Store};
use crate::model::FeedId;

impl Store {
    /// The keys among `keys` that the feed already has: stored items and tombstones (removed
    /// items that stay gone).
    pub fn known_keys<'k>(
        &self,
        feed: FeedId,
        keys: impl IntoIterator<Item = &'k str>,
    ) -> Result<HashSet<String>> {
        let mut find = self.conn.prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM items WHERE feed_id = ?1 AND key = ?2) \
             OR EXISTS (SELECT 1 FROM tombstones WHERE feed_id = ?1 AND key = ?2)",
        )?;
        let mut known = HashSet::new();
        for key in keys {
            if find.query_row(rusqlite::params![feed, key], |r| r.get::<_, bool>(0))? {
                known.insert(key.to_string());
            }
        }
        Ok(known)
    }
}

#[cfg(test)]
mod tests {
    use crate::store::testutil::{item, temp_store, update};

    #[test]
    fn stored_keys_are_known_and_new_ones_not() {
        let (_dir, mut store) = temp_store();
        let id = store.add_feed("https://a.example/feed", None, &[]).unwrap();
        let items = vec![item("a", "A", Some(1)), item("b", "B", Some(2))];
        store.store_feed_update(id, &update(10, items)).unwrap();
        let known = store.known_keys(id, ["a", "c", "b"]).unwrap();
        assert!(known.contains("a") && known.contains("b"));
        assert!(!known.contains("c"));
    }
}
