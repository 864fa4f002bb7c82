//! Full-text search: turning the user's words into a safe FTS5 query, and indexing new and
//! changed items in batches after they are stored.

use rusqlite::TransactionBehavior;

use super::body::{PackedText, decode};
use super::index_words::fold_and_index_words;
use super::search_text::{search_text, write_entry};
use super::{Result, Store};
use crate::model::BodyKind;

/// Builds an FTS5 query from the user's text, or `None` when it holds no word at all.
///
/// Every run of letters and digits becomes one double-quoted string (inner quotes doubled), and
/// the strings are ANDed, so punctuation, quotes and the words AND, OR, NOT or NEAR are searched
/// for as plain words and never make the query an error. Splitting on punctuation matches the
/// index's tokenizer and keeps every string a single token, which the index's `detail=none`
/// requires. Unless the text ends with a space, the last word also matches as a prefix, so a list
/// can follow the user's typing.
pub fn fts_query(text: &str) -> Option<String> {
    let words: Vec<&str> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let last = words.len().checked_sub(1)?;
    let prefix = !text.ends_with(|c: char| c.is_whitespace());
    let mut q = String::with_capacity(text.len() + 4 * words.len());
    for (i, w) in words.iter().enumerate() {
        if i > 0 {
            q.push(' ');
        }
        q.push('"');
        q.push_str(&w.replace('"', "\"\""));
        q.push('"');
        if i == last && prefix {
            q.push('*');
        }
    }
    Some(q)
}

impl Store {
    /// Indexes up to `max_items` items waiting for the search index (new or changed since they
    /// were last indexed; an item with an article is indexed by the article), in one
    /// transaction, and returns how many it indexed; 0 means the index is complete (and then the
    /// write-ahead log is checkpointed). The refresh loop calls this after storing, so storing
    /// stays fast.
    pub fn index_pending(&mut self, max_items: usize) -> Result<usize> {
        self.index_some(max_items, false)
    }

    /// Like [`Store::index_pending`], but leaves alone the items that also wait for their
    /// deduplication digest: the digest pass indexes those from the body it reads anyway
    /// (see [`Store::index_entries`]), so no body is read and stripped twice. Returns 0 when
    /// no other item waits (and, unlike [`Store::index_pending`], does not checkpoint then:
    /// the index is not complete).
    pub fn index_pending_undigested(&mut self, max_items: usize) -> Result<usize> {
        self.index_some(max_items, true)
    }

    fn index_some(&mut self, max_items: usize, skip_digests: bool) -> Result<usize> {
        self.check_writable()?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let skip = if skip_digests {
            "WHERE NOT EXISTS (SELECT 1 FROM digest_pending d WHERE d.item_id = p.item_id) "
        } else {
            ""
        };
        let mut done = 0;
        {
            let mut batch = tx.prepare_cached(&format!(
                "SELECT p.item_id, i.indexed, i.title, \
                 CASE WHEN a.item_id IS NULL THEN b.content_kind ELSE 'html' END, \
                 COALESCE(a.content, b.content), COALESCE(a.codec, b.codec) \
                 FROM fts_pending p JOIN items i ON i.id = p.item_id \
                 LEFT JOIN item_bodies b ON b.item_id = p.item_id \
                 LEFT JOIN item_articles a ON a.item_id = p.item_id \
                 {skip}ORDER BY p.item_id LIMIT ?1"
            ))?;
            // Read the batch first: the writes below change the tables the read walks.
            let mut work: Vec<(i64, bool, String, String)> = Vec::new();
            let mut rows = batch.query([max_items.min(i64::MAX as usize) as i64])?;
            while let Some(r) = rows.next()? {
                let kind: Option<String> = r.get(3)?;
                let kind = BodyKind::from_name(kind.as_deref().unwrap_or("html"));
                let codec: Option<i64> = r.get(5)?;
                let body = decode(codec.unwrap_or(0), r.get_ref(4)?);
                work.push((r.get(0)?, r.get(1)?, r.get(2)?, search_text(&body, kind)));
            }
            drop(rows);
            let mut take = tx.prepare_cached("DELETE FROM fts_pending WHERE item_id = ?1")?;
            for (id, indexed, title, text) in work {
                let both = fold_and_index_words(&text);
                write_entry(
                    &tx,
                    id,
                    indexed,
                    &title,
                    &both.words,
                    &PackedText::folded(&both.folded, both.coded),
                )?;
                take.execute([id])?;
                done += 1;
            }
        }
        tx.commit()?;
        if done == 0 && !skip_digests {
            self.checkpoint()?;
        }
        Ok(done)
    }

    /// How many items wait for the search index.
    pub fn pending_index(&self) -> Result<u64> {
        let n: i64 = self
            .conn
            .query_row("SELECT count(*) FROM fts_pending", [], |r| r.get(0))?;
        Ok(n as u64)
    }
}
