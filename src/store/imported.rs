//! Read and starred state brought over from another reader: finding the cached items it
//! names (by guid, then by link) and marking them, only ever adding read and starred marks.

use std::collections::HashMap;

use rusqlite::params;

use super::{Result, Store};
use crate::model::ItemId;

/// The cached items by guid and by link, to find the items another reader names.
#[derive(Debug, Default)]
pub struct ItemFinder {
    by_guid: HashMap<String, ItemId>,
    by_link: HashMap<String, ItemId>,
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
    /// The cached item with this guid, else the one with this link; empty values never match.
    pub fn find(&self, guid: Option<&str>, link: Option<&str>) -> Option<Found> {
        let guid = guid.map(str::trim).filter(|g| !g.is_empty());
        let link = link.map(str::trim).filter(|l| !l.is_empty());
        if let Some(id) = guid.and_then(|g| self.by_guid.get(g)) {
            return Some(Found::Guid(*id));
        }
        link.and_then(|l| self.by_link.get(l))
            .map(|id| Found::Link(*id))
    }
}

impl Store {
    /// Reads every cached item's guid and link into an [`ItemFinder`] (one pass over the items).
    pub fn item_finder(&self) -> Result<ItemFinder> {
        let mut finder = ItemFinder::default();
        let mut stmt = self
            .conn
            .prepare("SELECT id, guid, link FROM items ORDER BY id")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let id: ItemId = r.get(0)?;
            if let Some(g) = r.get::<_, Option<String>>(1)? {
                finder.by_guid.entry(g.trim().to_string()).or_insert(id);
            }
            if let Some(l) = r.get::<_, Option<String>>(2)? {
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
