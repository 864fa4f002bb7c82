//! Read and starred state brought over from another reader: finding the cached items it
//! names (by guid within the feed, then by link, then by a guid unique in the cache) and marking them, only ever adding read and starred marks.

use std::collections::HashMap;

use rusqlite::params;

use super::{Result, Store};
use crate::fetch::identity;
use crate::model::ItemId;

/// The cached items by feed and guid, by link, and by guid alone, to find the items another
/// reader names.
#[derive(Debug, Default)]
pub struct ItemFinder {
    /// `(identity of the feed's address, guid)`: guids are only unique within a feed.
    by_feed_guid: HashMap<(String, String), ItemId>,
    by_link: HashMap<String, ItemId>,
    /// Guids met once in the whole cache (`None` for those met more than once).
    by_guid: HashMap<String, Option<ItemId>>,
}

/// How an item of another reader was found in the cache.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Found {
    /// By its guid.
    Guid(ItemId),
    /// By its link (its guid was missing or unknown).
    Link(ItemId),
}

impl Found {
    /// The cached item.
    pub fn id(self) -> ItemId {
        match self {
            Found::Guid(id) | Found::Link(id) => id,
        }
    }
}

impl ItemFinder {
    /// The cached item with this guid in the feed at `feed_url`, else the one with this link,
    /// else the only item of the cache with this guid. Empty values never match.
    pub fn find(&self, feed_url: &str, guid: Option<&str>, link: Option<&str>) -> Option<Found> {
        let guid = guid.map(str::trim).filter(|g| !g.is_empty());
        let link = link.map(str::trim).filter(|l| !l.is_empty());
        if let Some(g) = guid
            && let Some(id) = self.by_feed_guid.get(&(identity(feed_url), g.to_string()))
        {
            return Some(Found::Guid(*id));
        }
        if let Some(id) = link.and_then(|l| self.by_link.get(l)) {
            return Some(Found::Link(*id));
        }
        guid.and_then(|g| *self.by_guid.get(g)?).map(Found::Guid)
    }
}

impl Store {
    /// Reads every cached item's feed, guid and link into an [`ItemFinder`] (one pass).
    pub fn item_finder(&self) -> Result<ItemFinder> {
        let mut finder = ItemFinder::default();
        let mut stmt = self.conn.prepare(
            "SELECT i.id, f.url, i.guid, i.link FROM items i JOIN feeds f ON f.id = i.feed_id \
             ORDER BY i.id",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let id: ItemId = r.get(0)?;
            let feed = identity(&r.get::<_, String>(1)?);
            if let Some(g) = r.get::<_, Option<String>>(2)? {
                let g = g.trim().to_string();
                finder
                    .by_guid
                    .entry(g.clone())
                    .and_modify(|v| *v = None)
                    .or_insert(Some(id));
                finder.by_feed_guid.entry((feed, g)).or_insert(id);
            }
            if let Some(l) = r.get::<_, Option<String>>(3)? {
                finder.by_link.entry(l.trim().to_string()).or_insert(id);
            }
        }
        Ok(finder)
    }

    /// Marks `read` items read and `starred` items starred in one transaction, never clearing
    /// either mark; how many items each mark changed.
    pub fn add_read_and_starred(
        &self,
        read: &[ItemId],
        starred: &[ItemId],
    ) -> Result<(usize, usize)> {
        let tx = self.write_tx()?;
        let mut counts = (0, 0);
        {
            let mut mark =
                tx.prepare_cached("UPDATE items SET read = 1 WHERE id = ?1 AND read = 0")?;
            for &id in read {
                counts.0 += mark.execute(params![id])?;
            }
            let mut star =
                tx.prepare_cached("UPDATE items SET starred = 1 WHERE id = ?1 AND starred = 0")?;
            for &id in starred {
                counts.1 += star.execute(params![id])?;
            }
        }
        tx.commit()?;
        Ok(counts)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::testutil::{item, temp_store, update};

    /// Two feeds whose items share guids, as feeds numbering their posts do.
    fn two_feeds() -> (tempfile::TempDir, Store, Vec<ItemId>) {
        let (d, mut s) = temp_store();
        for (url, prefix) in [("https://a.example/f", "a"), ("https://b.example/f", "b")] {
            let id = s.add_feed(url, None, &[]).unwrap();
            let items = (1..=2)
                .map(|n| {
                    let mut it = item(&format!("{prefix}{n}"), "t", Some(1_000 + n));
                    it.guid = Some(if n == 1 {
                        "1".into()
                    } else {
                        format!("{prefix}-only")
                    });
                    it.link = Some(format!("https://{prefix}.example/{n}"));
                    it
                })
                .collect();
            s.store_feed_update(id, &update(2_000, items)).unwrap();
        }
        let ids = s
            .item_finder()
            .unwrap()
            .by_link
            .values()
            .copied()
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        (d, s, ids)
    }

    #[test]
    fn a_guid_is_matched_within_its_feed_then_the_link_then_a_guid_unique_in_the_cache() {
        let (_d, s, _) = two_feeds();
        let f = s.item_finder().unwrap();
        let link_of = |found: Option<Found>| {
            let id = found.unwrap().id();
            f.by_link.iter().find(|(_, v)| **v == id).unwrap().0.clone()
        };
        let a1 = f.find("https://a.example/f", Some("1"), None);
        assert!(matches!(a1, Some(Found::Guid(_))));
        assert_eq!(link_of(a1), "https://a.example/1");
        // Another spelling of the feed's address is the same feed.
        let b1 = f.find("https://B.example/f", Some("1"), None);
        assert_eq!(link_of(b1), "https://b.example/1");
        // A guid shared by two feeds of an unknown address matches nothing, unless by link.
        assert_eq!(f.find("https://c.example/f", Some("1"), None), None);
        let by_link = f.find(
            "https://c.example/f",
            Some("1"),
            Some("https://b.example/1"),
        );
        assert!(matches!(by_link, Some(Found::Link(_))));
        // A guid met once in the cache is found whatever the feed.
        let only = f.find("https://c.example/f", Some("a-only"), None);
        assert_eq!(link_of(only), "https://a.example/2");
        assert_eq!(f.find("https://a.example/f", Some(" "), Some("")), None);
    }

    #[test]
    fn marks_are_only_added_and_counted_once() {
        let (_d, s, ids) = two_feeds();
        assert_eq!(
            s.add_read_and_starred(&ids[..2], &ids[1..3]).unwrap(),
            (2, 2)
        );
        assert_eq!(
            s.add_read_and_starred(&ids[..3], &ids[1..3]).unwrap(),
            (1, 0)
        );
    }
}
