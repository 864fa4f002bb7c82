//! Articles fetched for summary-only feeds (schema V7): each feed's full-text mode, the queue of
//! items whose pages are wanted, and the articles extracted from them, compressed like bodies.
//!
//! An item enters the queue when it is new in a feed whose articles are fetched (or by a
//! backfill); [`Store::due_pages`] hands out the waiting ones, newest first; the outcome is
//! recorded with [`Store::store_article`], [`Store::keep_teaser`] or [`Store::page_failed`] (tried
//! again after 1 h, 6 h and 24 h, then given up). A stored article is shown instead of the teaser,
//! indexed for search and digested again for deduplication.

use std::collections::HashMap;

use rusqlite::{OptionalExtension, params};

use super::body::{decode, encode};
use super::{Result, Store, StoreError};
use crate::content::dedup::PieceKind;
use crate::content::fulltext::{FullTextMode, retry_after_secs};
use crate::content::strip::strip_html;
use crate::model::{BodyKind, FeedId, FullText, ItemId};

/// `digest_pending.is_new` of an item whose article arrived: digested again over the article,
/// its story signed again (it may join another story or leave its own), its read state kept.
pub(crate) const RESIGNED: i64 = 3;

/// `item_pages.state` values.
const WAITING: i64 = 0;
const STORED: i64 = 1;
const KEPT: i64 = 2;
const GIVEN_UP: i64 = 3;

/// One item's page to fetch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageJob {
    /// The item.
    pub item: ItemId,
    /// Its feed.
    pub feed: FeedId,
    /// The page's address (the item's link).
    pub url: String,
    /// Words of the item's teaser: an article must have at least as many.
    pub teaser_words: usize,
}

/// An article to store for an item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewArticle {
    /// The page's address, after redirects.
    pub url: String,
    /// The article's clean HTML.
    pub html: String,
    /// Its words.
    pub words: usize,
    /// The page's title, for an item the feed left without one.
    pub title: Option<String>,
    /// The page's author, for an item the feed left without one.
    pub author: Option<String>,
    /// The page's date (Unix seconds), for an item the feed left undated.
    pub published: Option<i64>,
    /// What the digest pass reads of the article, from the blocks the extraction built in its
    /// walk of the page (which are those `html` parses to), so that digesting and indexing an
    /// article just fetched needs no parse of `html`. `None` when not known (the digest then
    /// parses `html`). Not stored: the cache keeps `html`.
    pub parsed: Option<ParsedBody>,
}

/// What one parse of a body gives the digest pass: each block's text and piece kind
/// ([`crate::content::fold::block_texts`]) and the searchable text
/// ([`crate::content::link_refs::searchable_text`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedBody {
    /// Each block's text and piece kind, in order.
    pub pieces: Vec<(String, PieceKind)>,
    /// The text the search index takes.
    pub search_text: String,
}

impl ParsedBody {
    /// What `doc` gives.
    pub fn of(doc: &crate::content::Document) -> ParsedBody {
        ParsedBody {
            pieces: crate::content::fold::block_texts(doc),
            search_text: crate::content::link_refs::searchable_text(doc),
        }
    }
}

/// Where an item's page stands, for `tidings show` and the reader.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PageState {
    /// Waiting to be fetched (again, after `failures` failures).
    Waiting {
        /// Failures so far.
        failures: u32,
    },
    /// The article is stored.
    Stored,
    /// The page was fetched and the teaser kept, for this reason.
    Kept(String),
    /// Given up after repeated failures; the last one.
    GivenUp(String),
}

/// The words of a stored body's plain text.
pub(crate) fn body_words(content: &str, kind: BodyKind) -> usize {
    match kind {
        BodyKind::Html => strip_html(content).split_whitespace().count(),
        BodyKind::Text => content.split_whitespace().count(),
    }
}

impl Store {
    /// Sets a feed's full-text mode.
    pub fn set_full_text_mode(&self, feed: FeedId, mode: FullTextMode) -> Result<()> {
        let tx = self.write_tx()?;
        super::feeds::ensure_feed(&tx, feed)?;
        tx.execute(
            "INSERT OR REPLACE INTO feed_full_text (feed_id, mode) VALUES (?1, ?2)",
            params![feed, mode.name()],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// A feed's full-text mode (`auto` unless one was set).
    pub fn full_text_mode(&self, feed: FeedId) -> Result<FullTextMode> {
        let name: Option<String> = self
            .conn
            .prepare_cached("SELECT mode FROM feed_full_text WHERE feed_id = ?1")?
            .query_row([feed], |r| r.get(0))
            .optional()?;
        Ok(name
            .as_deref()
            .and_then(FullTextMode::from_name)
            .unwrap_or_default())
    }

    /// Every feed's mode that is not `auto`.
    pub fn full_text_modes(&self) -> Result<HashMap<FeedId, FullTextMode>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT feed_id, mode FROM feed_full_text")?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?;
        let mut out = HashMap::new();
        for row in rows {
            let (feed, name) = row?;
            if let Some(mode) = FullTextMode::from_name(&name) {
                out.insert(feed, mode);
            }
        }
        Ok(out)
    }

    /// What the `auto` rule reads of a feed: for each of its newest `limit` items, the words of
    /// the feed's own text (not the article) and whether it links to a page.
    pub fn teaser_sample(&self, feed: FeedId, limit: usize) -> Result<Vec<(usize, bool)>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT i.link IS NOT NULL AND i.link <> '', b.codec, b.content, b.content_kind \
             FROM items i LEFT JOIN item_bodies b ON b.item_id = i.id WHERE i.feed_id = ?1 \
             ORDER BY i.sort_time DESC, i.id DESC LIMIT ?2",
        )?;
        let rows = stmt.query_map(params![feed, limit as i64], |r| {
            let linked: bool = r.get(0)?;
            let body = decode(r.get::<_, Option<i64>>(1)?.unwrap_or(0), r.get_ref(2)?);
            let kind = BodyKind::from_name(r.get::<_, Option<String>>(3)?.as_deref().unwrap_or(""));
            Ok((body_words(&body, kind), linked))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Queues the pages of a feed's items first seen at `since` or later (a run's new items), or
    /// of every item when `since` is `None` (a backfill); items with an article, or already
    /// queued, are left as they are. Returns how many were queued.
    pub fn queue_pages(&self, feed: FeedId, since: Option<i64>) -> Result<usize> {
        let tx = self.write_tx()?;
        let n = tx.execute(
            "INSERT OR IGNORE INTO item_pages (item_id, feed_id, state, next_try) \
             SELECT i.id, i.feed_id, 0, 0 FROM items i WHERE i.feed_id = ?1 \
             AND i.first_seen >= ?2 AND i.link IS NOT NULL AND i.link <> '' \
             AND NOT EXISTS (SELECT 1 FROM item_articles a WHERE a.item_id = i.id)",
            params![feed, since.unwrap_or(i64::MIN)],
        )?;
        tx.commit()?;
        Ok(n)
    }

    /// Queues the pages of the items `items` of `feed` (a sync's new items), as
    /// [`Store::queue_pages`] does; items of another feed are left alone. Returns how many were
    /// queued.
    pub fn queue_item_pages(&self, feed: FeedId, items: &[ItemId]) -> Result<usize> {
        let tx = self.write_tx()?;
        let mut n = 0;
        {
            let mut stmt = tx.prepare_cached(
                "INSERT OR IGNORE INTO item_pages (item_id, feed_id, state, next_try) \
                 SELECT i.id, i.feed_id, 0, 0 FROM items i WHERE i.id = ?1 AND i.feed_id = ?2 \
                 AND i.link IS NOT NULL AND i.link <> '' \
                 AND NOT EXISTS (SELECT 1 FROM item_articles a WHERE a.item_id = i.id)",
            )?;
            for &item in items {
                n += stmt.execute(params![item, feed])?;
            }
        }
        tx.commit()?;
        Ok(n)
    }

    /// Queues one item's page again whatever happened before (the reader's "fetch again").
    pub fn requeue_page(&self, item: ItemId) -> Result<()> {
        let tx = self.write_tx()?;
        let n = tx.execute(
            "INSERT OR REPLACE INTO item_pages (item_id, feed_id, state, next_try) \
             SELECT id, feed_id, 0, 0 FROM items WHERE id = ?1 AND link IS NOT NULL",
            [item],
        )?;
        tx.commit()?;
        if n == 0 {
            return Err(StoreError::NoSuchItem(item));
        }
        Ok(())
    }

    /// Up to `limit` of a feed's queued pages due at `now`, newest item first.
    pub fn due_pages(&self, feed: FeedId, now: i64, limit: usize) -> Result<Vec<PageJob>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT p.item_id, i.link, b.codec, b.content, b.content_kind FROM item_pages p \
             CROSS JOIN items i ON i.id = p.item_id LEFT JOIN item_bodies b ON b.item_id = i.id \
             WHERE p.feed_id = ?1 AND p.state = 0 AND p.next_try <= ?2 AND i.link IS NOT NULL \
             ORDER BY i.sort_time DESC, i.id DESC LIMIT ?3",
        )?;
        let rows = stmt.query_map(params![feed, now, limit as i64], |r| {
            let body = decode(r.get::<_, Option<i64>>(2)?.unwrap_or(0), r.get_ref(3)?);
            let kind = BodyKind::from_name(r.get::<_, Option<String>>(4)?.as_deref().unwrap_or(""));
            Ok(PageJob {
                item: r.get(0)?,
                feed,
                url: r.get(1)?,
                teaser_words: body_words(&body, kind),
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// How many of a feed's pages wait in the queue (due or not).
    pub fn waiting_pages(&self, feed: FeedId) -> Result<usize> {
        let n: i64 = self.conn.query_row(
            "SELECT count(*) FROM item_pages WHERE feed_id = ?1 AND state = 0",
            [feed],
            |r| r.get(0),
        )?;
        Ok(n as usize)
    }

    /// Stores an item's article: shown from now on instead of the teaser, queued for the search
    /// index and for its digests (see [`RESIGNED`]). The page's title, author and date fill only
    /// what the feed left empty. Returns `false` when the item is gone.
    pub fn store_article(&self, item: ItemId, article: &NewArticle, now: i64) -> Result<bool> {
        let tx = self.write_tx()?;
        let exists = tx
            .prepare_cached("SELECT 1 FROM items WHERE id = ?1")?
            .exists([item])?;
        if !exists {
            return Ok(false);
        }
        let body = encode(&article.html);
        tx.prepare_cached(
            "INSERT OR REPLACE INTO item_articles (item_id, url, fetched_at, words, codec, content) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?
        .execute(params![
            item,
            article.url,
            now,
            article.words as i64,
            body.codec(),
            body
        ])?;
        tx.prepare_cached(
            "INSERT OR REPLACE INTO item_pages (item_id, feed_id, state, failures, next_try, note) \
             SELECT id, feed_id, ?2, 0, 0, NULL FROM items WHERE id = ?1",
        )?
        .execute(params![item, STORED])?;
        tx.prepare_cached(
            "UPDATE items SET title = CASE WHEN trim(title) = '' THEN COALESCE(?2, title) ELSE title END, \
             author = COALESCE(NULLIF(author, ''), ?3), \
             published = COALESCE(published, ?4), \
             sort_time = CASE WHEN published IS NULL AND ?4 IS NOT NULL THEN ?4 ELSE sort_time END \
             WHERE id = ?1",
        )?
        .execute(params![
            item,
            article.title.as_deref().filter(|t| !t.trim().is_empty()),
            article.author.as_deref().filter(|a| !a.trim().is_empty()),
            article.published
        ])?;
        tx.prepare_cached("INSERT OR IGNORE INTO fts_pending (item_id) VALUES (?1)")?
            .execute([item])?;
        tx.prepare_cached(
            "INSERT OR REPLACE INTO digest_pending (item_id, is_new) VALUES (?1, ?2)",
        )?
        .execute(params![item, RESIGNED])?;
        tx.commit()?;
        Ok(true)
    }

    /// Records that an item's page was fetched but the teaser stays (`why`); not tried again.
    pub fn keep_teaser(&self, item: ItemId, why: &str) -> Result<()> {
        self.set_page(item, KEPT, why, None)
    }

    /// Records a failure to fetch an item's page: tried again after 1 h, 6 h and 24 h, then given
    /// up. Returns whether it will be tried again.
    pub fn page_failed(&self, item: ItemId, error: &str, now: i64) -> Result<bool> {
        let failures: i64 = self
            .conn
            .prepare_cached("SELECT failures FROM item_pages WHERE item_id = ?1")?
            .query_row([item], |r| r.get(0))
            .optional()?
            .unwrap_or(0);
        let failures = failures + 1;
        match retry_after_secs(failures as u32) {
            Some(wait) => {
                self.set_page(item, WAITING, error, Some((failures, now + wait)))?;
                Ok(true)
            }
            None => {
                self.set_page(item, GIVEN_UP, error, Some((failures, now)))?;
                Ok(false)
            }
        }
    }

    fn set_page(
        &self,
        item: ItemId,
        state: i64,
        note: &str,
        retry: Option<(i64, i64)>,
    ) -> Result<()> {
        let tx = self.write_tx()?;
        let (failures, next_try) = retry.unwrap_or((0, 0));
        tx.prepare_cached(
            "INSERT OR REPLACE INTO item_pages (item_id, feed_id, state, failures, next_try, note) \
             SELECT id, feed_id, ?2, ?3, ?4, ?5 FROM items WHERE id = ?1",
        )?
        .execute(params![item, state, failures, next_try, note])?;
        tx.commit()?;
        Ok(())
    }

    /// Where an item's page stands, or `None` when it was never queued.
    pub fn page_state(&self, item: ItemId) -> Result<Option<PageState>> {
        let row: Option<(i64, i64, Option<String>)> = self
            .conn
            .prepare_cached("SELECT state, failures, note FROM item_pages WHERE item_id = ?1")?
            .query_row([item], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .optional()?;
        Ok(row.map(|(state, failures, note)| match state {
            STORED => PageState::Stored,
            KEPT => PageState::Kept(note.unwrap_or_default()),
            GIVEN_UP => PageState::GivenUp(note.unwrap_or_default()),
            _ => PageState::Waiting {
                failures: failures as u32,
            },
        }))
    }

    /// The article stored for an item, if any.
    pub fn article(&self, item: ItemId) -> Result<Option<FullText>> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT url, fetched_at, codec, content FROM item_articles WHERE item_id = ?1",
            )?
            .query_row([item], |r| {
                Ok(FullText {
                    url: r.get(0)?,
                    fetched_at: r.get(1)?,
                    html: decode(r.get(2)?, r.get_ref(3)?),
                })
            })
            .optional()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::testutil::{item, temp_store, update};

    fn linked(key: &str, published: i64, body: &str) -> crate::model::ParsedItem {
        let mut i = item(key, key, Some(published));
        i.link = Some(format!("http://h.test/{key}"));
        i.content = body.to_string();
        i
    }

    fn article(words: usize) -> NewArticle {
        NewArticle {
            url: "http://h.test/a".into(),
            html: format!("<p>{}</p>", "word ".repeat(words)),
            words,
            title: Some("Page title".into()),
            author: Some("Page Author".into()),
            published: Some(5),
            parsed: None,
        }
    }

    #[test]
    fn new_items_are_queued_newest_first_and_articles_replace_nothing_the_feed_said() {
        let (_dir, mut s) = temp_store();
        let f = s.add_feed("http://h.test/feed", None, &[]).unwrap();
        s.store_feed_update(f, &update(100, vec![linked("old", 1, "<p>a b c</p>")]))
            .unwrap();
        let mut untitled = linked("new2", 3, "<p>x y</p>");
        untitled.title = String::new();
        untitled.published = None;
        s.store_feed_update(
            f,
            &update(200, vec![linked("new1", 2, "<p>one</p>"), untitled]),
        )
        .unwrap();
        assert_eq!(s.queue_pages(f, Some(200)).unwrap(), 2);
        let due = s.due_pages(f, 200, 20).unwrap();
        let keys: Vec<&str> = due.iter().map(|j| j.url.as_str()).collect();
        // new2 is undated: it sorts by first seen (200), newer than new1 (2).
        assert_eq!(keys, ["http://h.test/new2", "http://h.test/new1"]);
        assert_eq!(due[0].teaser_words, 2);
        assert_eq!(s.due_pages(f, 200, 1).unwrap().len(), 1);

        let stored = s.store_article(due[0].item, &article(40), 300).unwrap();
        assert!(stored);
        let row = s.item(due[0].item).unwrap();
        assert_eq!(row.title, "Page title", "an empty title is filled");
        assert_eq!(row.author.as_deref(), Some("Page Author"));
        assert_eq!(row.published, Some(5));
        let a = s.article(due[0].item).unwrap().unwrap();
        assert_eq!((a.url.as_str(), a.fetched_at), ("http://h.test/a", 300));
        assert!(a.html.starts_with("<p>word word"));
        assert_eq!(s.page_state(due[0].item).unwrap(), Some(PageState::Stored));

        // The feed's own fields win.
        s.store_article(due[1].item, &article(40), 300).unwrap();
        let row = s.item(due[1].item).unwrap();
        assert_eq!(row.title, "new1");
        assert_eq!(row.published, Some(2));
        assert!(s.due_pages(f, 400, 20).unwrap().is_empty());
        // A backfill queues the old item, not the ones with articles.
        assert_eq!(s.queue_pages(f, None).unwrap(), 1);
    }

    #[test]
    fn failures_are_retried_after_one_six_and_twenty_four_hours_then_given_up() {
        let (_dir, s) = temp_store();
        let f = s.add_feed("http://h.test/feed", None, &[]).unwrap();
        let mut s = s;
        s.store_feed_update(f, &update(0, vec![linked("a", 1, "<p>t</p>")]))
            .unwrap();
        s.queue_pages(f, Some(0)).unwrap();
        let id = s.due_pages(f, 0, 1).unwrap()[0].item;
        let mut now = 0;
        for wait in [3_600, 6 * 3_600, 24 * 3_600] {
            assert!(s.page_failed(id, "HTTP 500", now).unwrap());
            assert!(s.due_pages(f, now + wait - 1, 5).unwrap().is_empty());
            assert_eq!(s.due_pages(f, now + wait, 5).unwrap().len(), 1);
            now += wait;
        }
        assert!(!s.page_failed(id, "HTTP 500", now).unwrap());
        assert!(s.due_pages(f, i64::MAX, 5).unwrap().is_empty());
        assert_eq!(
            s.page_state(id).unwrap(),
            Some(PageState::GivenUp("HTTP 500".into()))
        );
        // Fetching again by hand starts over.
        s.requeue_page(id).unwrap();
        assert_eq!(s.due_pages(f, 0, 5).unwrap().len(), 1);
    }

    #[test]
    fn modes_are_kept_per_feed_and_go_with_it() {
        let (_dir, s) = temp_store();
        let f = s.add_feed("http://h.test/feed", None, &[]).unwrap();
        assert_eq!(s.full_text_mode(f).unwrap(), FullTextMode::Auto);
        s.set_full_text_mode(f, FullTextMode::Never).unwrap();
        assert_eq!(s.full_text_mode(f).unwrap(), FullTextMode::Never);
        assert_eq!(
            s.full_text_modes().unwrap().get(&f),
            Some(&FullTextMode::Never)
        );
        s.remove_feed(f).unwrap();
        assert!(s.full_text_modes().unwrap().is_empty());
        assert!(matches!(
            s.set_full_text_mode(f, FullTextMode::Always),
            Err(StoreError::NoSuchFeed(_))
        ));
    }
}
