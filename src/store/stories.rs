//! Stories across feeds, kept as items are stored: a new item that tells a story already cached
//! through another feed (same link or guid key, or a near-identical body) points at that story's
//! leading item with `items.story`, so the views that show one item per story can skip it with an
//! index, and marking a story read reaches every copy.
//!
//! Candidates come from `story_keys`: an item's link key, guid key and MinHash band hashes, each
//! hashed to one integer. A key match confirms itself; a band match is confirmed with the content
//! layer's [`same_story`] on the stored signatures. A story holds at most one item of each feed,
//! and the earliest stored item leads it.

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;

use rusqlite::{OptionalExtension, Transaction, params};
use xxhash_rust::xxh3::Xxh3;

use super::feeds::FEED_TITLE;
use super::story_key_memo::MemoInTx;
use super::{Result, Store};
use crate::content::dedup::{MINHASH_LEN, StoryInfo, same_story};
use crate::model::{FeedId, ItemId};

/// Signature values per band.
const BAND: usize = 4;
/// Bands stored per item: 8 bands of 4 values find pairs at an estimated similarity of 0.8 with
/// a probability of 0.985 (0.9998 at 0.9), at half the rows of banding the whole signature.
const BANDS: usize = 8;
/// Candidates examined per key: a key shared by more items than this (a site's generic link)
/// says little about any one story.
const MAX_CANDIDATES: usize = 32;

const _: () = assert!(BAND * BANDS <= MINHASH_LEN);

/// Tags keeping the kinds of keys apart.
const LINK: u8 = 0;
const GUID: u8 = 1;
const BAND_TAG: u8 = 2;

fn key_hash(tag: u8, bytes: &[u8]) -> i64 {
    let mut h = Xxh3::new();
    h.update(&[tag]);
    h.update(bytes);
    h.digest() as i64
}

/// The keys that identify a story outright: its link and guid keys.
fn identity_keys(info: &StoryInfo) -> Vec<i64> {
    let mut keys = Vec::with_capacity(2);
    if let Some(k) = &info.link_key {
        keys.push(key_hash(LINK, k.as_bytes()));
    }
    if let Some(k) = &info.guid_key {
        keys.push(key_hash(GUID, k.as_bytes()));
    }
    keys
}

/// The band hashes of a body signature: two near-identical bodies share at least one.
fn band_keys(info: &StoryInfo) -> Vec<i64> {
    let Some(sig) = &info.signature else {
        return Vec::new();
    };
    sig.chunks(BAND)
        .take(BANDS)
        .enumerate()
        .map(|(b, band)| {
            let mut bytes = Vec::with_capacity(1 + BAND * 4);
            bytes.push(b as u8);
            for v in band {
                bytes.extend_from_slice(&v.to_le_bytes());
            }
            key_hash(BAND_TAG, &bytes)
        })
        .collect()
}

fn encode_u64s(values: &[u64]) -> Vec<u8> {
    values.iter().flat_map(|v| v.to_le_bytes()).collect()
}

fn encode_u32s(values: &[u32]) -> Vec<u8> {
    values.iter().flat_map(|v| v.to_le_bytes()).collect()
}

/// What a stored signature row says, as a [`StoryInfo`] with no keys.
fn stored_info(title_words: &[u8], signature: &[u8]) -> Option<StoryInfo> {
    let mut sig = [0u32; MINHASH_LEN];
    if signature.len() != MINHASH_LEN * 4 {
        return None;
    }
    for (slot, c) in sig.iter_mut().zip(signature.chunks_exact(4)) {
        *slot = u32::from_le_bytes(c.try_into().ok()?);
    }
    Some(StoryInfo {
        link_key: None,
        guid_key: None,
        title_words: title_words
            .chunks_exact(8)
            .map(|c| u64::from_le_bytes(c.try_into().expect("8 bytes")))
            .collect(),
        signature: Some(sig),
    })
}

/// Lists `keys` as `item`'s in `story_key_lists`, where deletes find them (see schema V17),
/// adding to what is listed already.
fn list_keys<'a>(
    tx: &Transaction<'_>,
    item: ItemId,
    keys: impl Iterator<Item = &'a i64>,
) -> Result<()> {
    let mut json = String::from("[");
    for key in keys {
        if json.len() > 1 {
            json.push(',');
        }
        let _ = write!(json, "{key}");
    }
    if json.len() == 1 {
        return Ok(());
    }
    json.push(']');
    tx.prepare_cached(
        "INSERT INTO story_key_lists (item_id, keys) VALUES (?1, ?2) \
         ON CONFLICT (item_id) DO UPDATE SET keys = (SELECT json_group_array(value) FROM \
         (SELECT value FROM json_each(story_key_lists.keys) \
          UNION SELECT value FROM json_each(excluded.keys)))",
    )?
    .execute(params![item, json])?;
    Ok(())
}

/// Story keys an item usually has: its link and guid keys and every band.
const FULL_KEYS: usize = 2 + BANDS;

/// Inserts `item`'s story keys (those it has already are left): a full set in one statement,
/// which costs the writer one statement run instead of ten per item.
fn insert_keys(tx: &Transaction<'_>, item: ItemId, keys: &[i64]) -> Result<()> {
    static FULL: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
        let rows: Vec<String> = (1..=FULL_KEYS)
            .map(|k| format!("(?{k}, ?{})", FULL_KEYS + 1))
            .collect();
        format!(
            "INSERT OR IGNORE INTO story_keys (key, item_id) VALUES {}",
            rows.join(", ")
        )
    });
    if keys.len() == FULL_KEYS {
        let mut values: [i64; FULL_KEYS + 1] = [item; FULL_KEYS + 1];
        values[..FULL_KEYS].copy_from_slice(keys);
        tx.prepare_cached(&FULL)?
            .execute(rusqlite::params_from_iter(values))?;
        return Ok(());
    }
    let mut insert_key =
        tx.prepare_cached("INSERT OR IGNORE INTO story_keys (key, item_id) VALUES (?1, ?2)")?;
    for key in keys {
        insert_key.execute(params![key, item])?;
    }
    Ok(())
}

/// Deletes `item`'s story keys and their list (an item signed again looks for its story
/// afresh): the same two deletes as the `items_owned_delete` trigger (schema V17) runs for a
/// deleted item.
pub(crate) fn forget_keys(tx: &Transaction<'_>, item: ItemId) -> Result<()> {
    tx.prepare_cached(
        "DELETE FROM story_keys WHERE item_id = ?1 AND key IN \
         (SELECT value FROM json_each((SELECT keys FROM story_key_lists WHERE item_id = ?1)))",
    )?
    .execute([item])?;
    tx.prepare_cached("DELETE FROM story_key_lists WHERE item_id = ?1")?
        .execute([item])?;
    Ok(())
}

/// Which of `keys` (up to [`FULL_KEYS`]) some stored item has, asked in one statement instead of
/// one per key.
fn present_keys<'a>(
    tx: &Transaction<'_>,
    keys: impl Iterator<Item = &'a i64> + Clone,
) -> Result<Vec<i64>> {
    static ANY: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
        // One seek per key, with no list to build first (an `IN` list costs more than the
        // ten statements it replaces).
        let asks: Vec<String> = (1..=FULL_KEYS)
            .map(|k| {
                format!("SELECT ?{k} WHERE EXISTS (SELECT 1 FROM story_keys WHERE key = ?{k})")
            })
            .collect();
        asks.join(" UNION ALL ")
    });
    let Some(&first) = keys.clone().next() else {
        return Ok(Vec::new());
    };
    // Fewer keys than places: the first fills the rest (a key twice in the list is once).
    let mut values = [first; FULL_KEYS];
    for (slot, &key) in values.iter_mut().zip(keys) {
        *slot = key;
    }
    let mut stmt = tx.prepare_cached(&ANY)?;
    let found = stmt
        .query_map(rusqlite::params_from_iter(values), |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(found)
}

/// Finds the story a newly stored item of `feed` repeats and points the item at the story's
/// leader (taking over the leader's read state when `adopt_read`, since the story was read or not
/// as a whole; not when the item's digest is only being computed again), or makes the item the
/// leader when it was stored before the current one; then records the item's own keys so later
/// items can find it.
pub(crate) fn assign(
    tx: &Transaction<'_>,
    memo: &mut MemoInTx<'_>,
    feed: FeedId,
    item: ItemId,
    info: &StoryInfo,
    adopt_read: bool,
) -> Result<()> {
    let identity = identity_keys(info);
    let bands = band_keys(info);
    let keys: Vec<i64> = identity.iter().chain(&bands).copied().collect();
    let mut lead: Option<ItemId> = None;
    // Only the keys some stored item has can find anything: asked all at once (of the memo,
    // else of the table), which for a new story (most items) is the whole search.
    let present = memo.present(tx, &keys, || present_keys(tx, keys.iter()))?;
    if !present.is_empty() {
        let mut candidates = tx.prepare_cached(
            "SELECT COALESCE(i.story, i.id), k.item_id FROM story_keys k \
             CROSS JOIN items i ON i.id = k.item_id WHERE k.key = ?1 AND i.feed_id <> ?2 \
             ORDER BY k.item_id LIMIT ?3",
        )?;
        let mut holds_feed = tx.prepare_cached(
            "SELECT 1 FROM items WHERE feed_id = ?2 AND (id = ?1 OR story = ?1) LIMIT 1",
        )?;
        let mut sig =
            tx.prepare_cached("SELECT title_words, signature FROM story_sigs WHERE item_id = ?1")?;
        let mut consider =
            |key: i64, confirmed_by_key: bool, lead: &mut Option<ItemId>| -> Result<()> {
                let found: Vec<(ItemId, ItemId)> = candidates
                    .query_map(params![key, feed, MAX_CANDIDATES as i64], |r| {
                        Ok((r.get(0)?, r.get(1)?))
                    })?
                    .collect::<rusqlite::Result<_>>()?;
                for (story, other) in found {
                    if lead.is_some_and(|l| l <= story) {
                        continue;
                    }
                    if !confirmed_by_key {
                        let stored: Option<(Vec<u8>, Vec<u8>)> = sig
                            .query_row([other], |r| Ok((r.get(0)?, r.get(1)?)))
                            .optional()?;
                        let same = stored
                            .and_then(|(t, s)| stored_info(&t, &s))
                            .is_some_and(|o| same_story(info, &o));
                        if !same {
                            continue;
                        }
                    }
                    if holds_feed.exists(params![story, feed])? {
                        continue;
                    }
                    *lead = Some(story);
                }
                Ok(())
            };
        for &key in identity.iter().filter(|k| present.contains(k)) {
            consider(key, true, &mut lead)?;
        }
        if lead.is_none() {
            for &key in bands.iter().filter(|k| present.contains(k)) {
                consider(key, false, &mut lead)?;
            }
        }
    }
    match lead {
        Some(lead) if lead < item && adopt_read => {
            tx.prepare_cached(
                "UPDATE items SET story = ?2, read = (SELECT read FROM items WHERE id = ?2) \
                 WHERE id = ?1",
            )?
            .execute(params![item, lead])?;
        }
        Some(lead) if lead < item => {
            tx.prepare_cached("UPDATE items SET story = ?2 WHERE id = ?1")?
                .execute(params![item, lead])?;
        }
        // Stored before the story's current leader (digests may be recorded out of storing
        // order): the earliest stored item leads, whatever order the digests came in.
        Some(lead) => {
            tx.prepare_cached("UPDATE items SET story = ?1 WHERE id = ?2 OR story = ?2")?
                .execute(params![item, lead])?;
        }
        None => {}
    }
    insert_keys(tx, item, &keys)?;
    memo.stored(&keys);
    list_keys(tx, item, keys.iter())?;
    if let Some(sig) = &info.signature {
        tx.prepare_cached(
            "INSERT OR REPLACE INTO story_sigs (item_id, title_words, signature) VALUES (?1, ?2, ?3)",
        )?
        .execute(params![item, encode_u64s(&info.title_words), encode_u32s(sig)])?;
    }
    Ok(())
}

impl Store {
    /// The titles of the other feeds carrying `item`'s story, in the order they were stored.
    pub fn also_in(&self, item: ItemId) -> Result<Vec<String>> {
        let sql = format!(
            "SELECT {FEED_TITLE} FROM items i CROSS JOIN feeds f ON f.id = i.feed_id \
             WHERE i.id <> ?1 AND (i.id = ?2 OR i.story = ?2) ORDER BY i.id"
        );
        let lead = self.story_lead(item)?;
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let titles = stmt
            .query_map(params![item, lead], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(titles)
    }

    /// The titles of the feeds of the copies that follow `lead`, in the order they were stored.
    pub(crate) fn copies_feeds(&self, lead: ItemId) -> Result<Vec<String>> {
        let sql = format!(
            "SELECT {FEED_TITLE} FROM items i CROSS JOIN feeds f ON f.id = i.feed_id \
             WHERE i.story = ?1 ORDER BY i.id"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let titles = stmt
            .query_map([lead], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(titles)
    }

    /// The leading item of `item`'s story (`item` itself when it leads or stands alone).
    pub fn story_lead(&self, item: ItemId) -> Result<ItemId> {
        let story: Option<Option<ItemId>> = self
            .conn
            .prepare_cached("SELECT story FROM items WHERE id = ?1")?
            .query_row([item], |r| r.get(0))
            .optional()?;
        Ok(story.flatten().unwrap_or(item))
    }

    /// The unread items, not among `ids`, that tell the same story as one of `ids`. Reads the
    /// copies (items that follow a leader, few) once rather than looking up every id.
    pub(crate) fn unread_story_copies(&self, ids: &[ItemId]) -> Result<Vec<ItemId>> {
        let copies: Vec<(ItemId, ItemId)> = self
            .conn
            .prepare_cached("SELECT id, story FROM items WHERE story IS NOT NULL")?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        if copies.is_empty() {
            return Ok(Vec::new());
        }
        let marked: HashSet<ItemId> = ids.iter().copied().collect();
        let lead_of: HashMap<ItemId, ItemId> = copies.iter().copied().collect();
        let leads: HashSet<ItemId> = marked
            .iter()
            .map(|id| lead_of.get(id).copied().unwrap_or(*id))
            .collect();
        let mut members: Vec<ItemId> = copies
            .iter()
            .filter(|(_, lead)| leads.contains(lead))
            .map(|&(id, _)| id)
            .chain(leads.iter().copied())
            .filter(|id| !marked.contains(id))
            .collect();
        members.sort_unstable();
        members.dedup();
        let mut unread = self
            .conn
            .prepare_cached("SELECT 1 FROM items WHERE id = ?1 AND read = 0")?;
        let mut out = Vec::new();
        for id in members {
            if unread.exists([id])? {
                out.push(id);
            }
        }
        Ok(out)
    }
}
