//! The plain text an item is searched by: made once per body (by the digest pass, from the body
//! it already holds, or by `Store::index_pending` for an item no digest waits for), written to
//! the search index, and kept beside it in `item_text` in its folded form (lower case, no
//! diacritics, words between single spaces: [`crate::filter::words::fold`]), so that word
//! conditions on `text` and phrase searches read the words straight back instead of
//! decompressing, stripping and folding HTML again. (A regular expression or an exact match on
//! `text` needs the unfolded text: that is made from the body, as before.)
//!
//! The index and `item_text` are written together, from one string: a word the stored text
//! holds is a word the index holds, which is what lets a filter ask the index for candidates
//! and then confirm them against the stored text. An item indexed before `item_text` existed
//! (or waiting for the index) has no row there; its text is made from its body as before.

use rusqlite::{Connection, OptionalExtension, params};

use super::Result;
use super::body::{PackedText, decode};
use crate::content::strip::strip_html_into;
use crate::filter::words::fold;
use crate::model::{BodyKind, ItemId};

/// The plain text of a body for the search index (and, folded, the `text` filter's words): the
/// text of its blocks without link references, from the same parse the reader and the digests
/// use (see [`crate::content::link_refs::searchable_text`]). The digest pass makes it from the
/// document it has parsed anyway; this parses the body, for an item no digest waits for.
pub fn search_text(content: &str, kind: BodyKind) -> String {
    crate::content::link_refs::searchable_text(&crate::content::parse(content, kind, None))
}

/// The unfolded text of a body for a regular expression or an exact match on the `text` filter
/// field: an HTML body stripped of its markup (see [`crate::content::strip::strip_html`]), a plain one as
/// it is. Much cheaper than a parse, for a filter that reads every item's body.
pub fn stripped_text(content: &str, kind: BodyKind) -> String {
    match kind {
        BodyKind::Html => {
            let mut text = String::with_capacity(content.len() / 2);
            strip_html_into(content, &mut text);
            text
        }
        BodyKind::Text => content.to_string(),
    }
}

/// Writes one item's index entry: its title and the `words` of its text
/// ([`super::index_words::fold_and_index_words`]) into the index (replacing the entry it had when
/// `indexed`) and the `folded` text (`fold(text)`, packed) into `item_text`. The caller takes the
/// item off the index's queue (`fts_pending`).
pub(super) fn write_entry(
    conn: &Connection,
    id: ItemId,
    indexed: bool,
    title: &str,
    words: &str,
    folded: &PackedText,
) -> Result<()> {
    if indexed {
        conn.prepare_cached("DELETE FROM item_fts WHERE rowid = ?1")?
            .execute([id])?;
    }
    conn.prepare_cached("INSERT INTO item_fts (rowid, title, body) VALUES (?1, ?2, ?3)")?
        .execute(params![id, title, words])?;
    let stored = folded.encoded();
    conn.prepare_cached(
        "INSERT OR REPLACE INTO item_text (item_id, codec, content) VALUES (?1, ?2, ?3)",
    )?
    .execute(params![id, stored.codec(), stored])?;
    conn.prepare_cached("UPDATE items SET indexed = 1 WHERE id = ?1 AND indexed = 0")?
        .execute([id])?;
    Ok(())
}

/// Reads an item's searchable text, folded: the stored text when its index entry is current,
/// else the text of its article (or, without one, its body) made and folded afresh; empty for
/// an item that is gone. The body is read only when there is no stored text.
pub(super) fn read_folded(conn: &Connection, id: ItemId) -> Result<String> {
    let mut stmt =
        conn.prepare_cached("SELECT codec, content FROM item_text WHERE item_id = ?1")?;
    if let Some(text) = stmt
        .query_row([id], |r| Ok(decode(r.get(0)?, r.get_ref(1)?)))
        .optional()?
    {
        return Ok(text);
    }
    Ok(read_plain(conn, id)?.map(|t| fold(&t)).unwrap_or_default())
}

/// Makes an item's searchable text, unfolded, from its article (or, without one, its body);
/// `None` for an item that is gone.
pub(super) fn read_plain(conn: &Connection, id: ItemId) -> Result<Option<String>> {
    let mut stmt = conn.prepare_cached(
        "SELECT CASE WHEN a.item_id IS NULL THEN b.content_kind ELSE 'html' END, \
         COALESCE(a.codec, b.codec), COALESCE(a.content, b.content) \
         FROM items i LEFT JOIN item_bodies b ON b.item_id = i.id \
         LEFT JOIN item_articles a ON a.item_id = i.id WHERE i.id = ?1",
    )?;
    Ok(stmt
        .query_row([id], |r| {
            let kind: Option<String> = r.get(0)?;
            let codec: Option<i64> = r.get(1)?;
            let body = decode(codec.unwrap_or(0), r.get_ref(2)?);
            Ok(stripped_text(
                &body,
                BodyKind::from_name(kind.as_deref().unwrap_or("html")),
            ))
        })
        .optional()?)
}
