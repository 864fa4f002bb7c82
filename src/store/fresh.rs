//! What a refresh brought, for the notification that follows it: the stories stored after a
//! watermark (the largest item id before the run) that are still unread and lead their story
//! (a copy of a story already cached through another feed is not news, nor is an item a rule hid).

use super::feeds::FEED_TITLE;
use super::{Result, Store};
use crate::model::ItemId;

/// The new stories of a run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NewStories {
    /// How many: unread items that lead their story.
    pub count: usize,
    /// The titles of their feeds, most stories first.
    pub feeds: Vec<String>,
}

impl Store {
    /// The largest item id so far (0 for none): items stored later have larger ids.
    pub fn item_watermark(&self) -> Result<ItemId> {
        Ok(self
            .conn
            .query_row("SELECT COALESCE(max(id), 0) FROM items", [], |r| r.get(0))?)
    }

    /// The unread stories stored after `watermark`, copies of other stories and hidden items left
    /// out.
    pub fn new_stories_since(&self, watermark: ItemId) -> Result<NewStories> {
        let sql = format!(
            "SELECT {FEED_TITLE}, count(*) AS n FROM items i JOIN feeds f ON f.id = i.feed_id \
             WHERE i.id > ?1 AND i.read = 0 AND i.story IS NULL \
             AND i.id NOT IN (SELECT item_id FROM item_hidden) \
             GROUP BY f.id ORDER BY n DESC, 1"
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map([watermark], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?))
        })?;
        let mut out = NewStories::default();
        for row in rows {
            let (title, n) = row?;
            out.count += usize::try_from(n).unwrap_or(0);
            out.feeds.push(title);
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use crate::store::testutil::{item, temp_store, update};

    #[test]
    fn only_unread_leading_items_after_the_watermark_count() {
        let (_dir, mut store) = temp_store();
        let a = store
            .add_feed("https://a.example/feed", Some("Alpha"), &[])
            .unwrap();
        let b = store
            .add_feed("https://b.example/feed", Some("Beta"), &[])
            .unwrap();
        store
            .store_feed_update(a, &update(10, vec![item("old", "Old", Some(1))]))
            .unwrap();
        let mark = store.item_watermark().unwrap();
        assert!(mark > 0);
        let fresh = vec![
            item("x", "X", Some(2)),
            item("y", "Y", Some(3)),
            item("z", "Z", Some(4)),
        ];
        store.store_feed_update(a, &update(20, fresh)).unwrap();
        store
            .store_feed_update(b, &update(20, vec![item("w", "W", Some(5))]))
            .unwrap();
        assert_eq!(store.new_stories_since(mark).unwrap().count, 4);
        // One read, one a copy of another feed's story: neither is news.
        store
            .conn
            .execute("UPDATE items SET read = 1 WHERE key = 'x'", [])
            .unwrap();
        store
            .conn
            .execute(
                "UPDATE items SET story = (SELECT id FROM items WHERE key = 'w') WHERE key = 'y'",
                [],
            )
            .unwrap();
        let news = store.new_stories_since(mark).unwrap();
        assert_eq!(news.count, 2);
        assert_eq!(news.feeds.len(), 2);
        assert!(news.feeds.contains(&"Alpha".to_string()), "{news:?}");
        // An item a rule hid is not news either.
        store
            .conn
            .execute(
                "INSERT INTO item_hidden (item_id) SELECT id FROM items WHERE key = 'w'",
                [],
            )
            .unwrap();
        let news = store.new_stories_since(mark).unwrap();
        assert_eq!((news.count, news.feeds.len()), (1, 1), "{news:?}");
        assert_eq!(
            store
                .new_stories_since(store.item_watermark().unwrap())
                .unwrap()
                .count,
            0
        );
    }
}
