//! Search results in rank order: the index proposes candidates, their stored titles and texts
//! decide (see [`super::search_terms`]), and a story carried by several feeds is listed once.
//!
//! A result list is computed whole, once, and kept until the cache changes (this connection's
//! `total_changes()` or another connection's commit, `data_version`), so paging through it, and
//! counting it, cost a lookup.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::Arc;

use rusqlite::OptionalExtension;

use super::feeds::FEED_TITLE;
use super::search::fts_query;
use super::search_terms::{Terms, Tier, fold, fold_into};
use super::search_text::read_plain;
use super::{Result, Store};
use crate::model::{Headline, ItemId, ItemQuery, SearchQuery};

/// Up to this many candidates whose title does not match, an unquoted search of several words
/// reads their texts to rank those holding the words side by side first; past it they rank by
/// time alone (a quoted phrase is always checked).
pub(crate) const TEXT_RANK_LIMIT: usize = 5_000;

/// What a result list depends on: the query, its order, and the state of the cache.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Key {
    search: SearchQuery,
    oldest_first: bool,
    one_per_story: bool,
    changes: i64,
    data_version: i64,
}

/// A search's results in list order, each with its read state.
#[derive(Debug, Default)]
pub(crate) struct Ranked {
    hits: Vec<(ItemId, bool)>,
}

impl Ranked {
    /// The ids listed, unread ones only when asked.
    pub(crate) fn ids(&self, unread_only: bool) -> Vec<ItemId> {
        self.hits
            .iter()
            .filter(|(_, read)| !(unread_only && *read))
            .map(|(id, _)| *id)
            .collect()
    }

    /// How many are listed, unread ones only when asked.
    pub(crate) fn len(&self, unread_only: bool) -> usize {
        if unread_only {
            self.hits.iter().filter(|(_, read)| !read).count()
        } else {
            self.hits.len()
        }
    }
}

/// The last result list computed, with what it was computed for.
#[derive(Debug, Default)]
pub(crate) struct Cache(RefCell<Option<(Key, Arc<Ranked>)>>);

impl Cache {
    /// Forgets the kept results (when what a search may list changes).
    pub(crate) fn clear(&self) {
        self.0.borrow_mut().take();
    }
}

/// A candidate the index proposed, ranked.
struct Candidate {
    id: ItemId,
    sort_time: i64,
    read: bool,
    story: ItemId,
    leads: bool,
    tier: Tier,
}

impl Store {
    /// The results of a search in list order: best tier first, then by time as the query says.
    pub(crate) fn ranked(&self, q: &ItemQuery, search: &SearchQuery) -> Result<Arc<Ranked>> {
        let terms = Terms::parse(&search.text);
        let Some(fts) = fts_query(&search.text).filter(|_| !terms.is_empty()) else {
            return Ok(Arc::default());
        };
        let (changes, data_version): (i64, i64) = self.conn.query_row(
            "SELECT total_changes(), data_version FROM pragma_data_version",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let key = Key {
            search: search.clone(),
            oldest_first: q.oldest_first,
            one_per_story: q.one_per_story,
            changes,
            data_version,
        };
        if let Some((k, r)) = &*self.search_cache.0.borrow()
            && *k == key
        {
            return Ok(Arc::clone(r));
        }
        let mut found = self.candidates(&terms, &fts, search.feed)?;
        if q.one_per_story {
            found = one_per_story(found);
        }
        found.sort_by(|a, b| {
            let time = if q.oldest_first {
                (a.sort_time, a.id).cmp(&(b.sort_time, b.id))
            } else {
                (b.sort_time, b.id).cmp(&(a.sort_time, a.id))
            };
            a.tier.cmp(&b.tier).then(time)
        });
        let ranked = Arc::new(Ranked {
            hits: found.into_iter().map(|c| (c.id, c.read)).collect(),
        });
        *self.search_cache.0.borrow_mut() = Some((key, Arc::clone(&ranked)));
        Ok(ranked)
    }

    /// The items the index proposes for `fts`, in `feed` when given, that truly match `terms`,
    /// each with its tier.
    ///
    /// Titles are always read. Texts are read for the candidates whose title lacks a quoted
    /// phrase (they are dropped unless the text has it), and, to find the words side by side,
    /// for the others whose title does not match, when they are at most [`TEXT_RANK_LIMIT`]
    /// (a search as broad as "the council" ranks those by time instead of reading every text).
    fn candidates(&self, terms: &Terms, fts: &str, feed: Option<i64>) -> Result<Vec<Candidate>> {
        let scope = if feed.is_some() {
            " AND i.feed_id = ?2"
        } else {
            ""
        };
        let sql = format!(
            "SELECT i.id, i.title, i.sort_time, i.read, i.story FROM items i \
             WHERE i.id IN (SELECT rowid FROM item_fts WHERE item_fts MATCH ?1){scope}{}",
            self.hidden_sql()
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut rows = match feed {
            Some(f) => stmt.query(rusqlite::params![fts, f])?,
            None => stmt.query([fts])?,
        };
        let mut out = Vec::new();
        // Candidates whose title does not decide, with their folded titles.
        let mut undecided = Vec::new();
        while let Some(r) = rows.next()? {
            let id: ItemId = r.get(0)?;
            let title = fold(r.get_ref(1)?.as_str().unwrap_or_default());
            let title_tier = terms.title_tier(&title);
            let story: Option<ItemId> = r.get(4)?;
            let c = Candidate {
                id,
                sort_time: r.get(2)?,
                read: r.get(3)?,
                story: story.unwrap_or(id),
                leads: story.is_none(),
                tier: title_tier.unwrap_or(Tier::Words),
            };
            match title_tier {
                Some(_) => out.push(c),
                None => undecided.push((c, title)),
            }
        }
        let read_texts = !terms.phrases.is_empty()
            || (terms.words.len() > 1 && undecided.len() <= TEXT_RANK_LIMIT);
        let mut text = String::new();
        for (mut c, title) in undecided {
            if read_texts {
                self.folded_text(c.id, &mut text)?;
                match terms.tier(&title, &text) {
                    Some(t) => c.tier = t,
                    None => continue,
                }
            }
            out.push(c);
        }
        Ok(out)
    }

    /// Writes the folded searchable text of an item (its article's, or its body's) into `out`
    /// (cleared first).
    fn folded_text(&self, id: ItemId, out: &mut String) -> Result<()> {
        out.clear();
        // Folded the index's way (see `search_terms`), which is not quite the filters' way
        // that `item_text` keeps: made from the article or body.
        if let Some(plain) = read_plain(&self.conn, id)? {
            fold_into(&plain, out);
        }
        Ok(())
    }

    /// One page of a search's results (see [`Store::headlines`]); `after` continues past the
    /// row with that id.
    pub(crate) fn search_page(
        &self,
        q: &ItemQuery,
        search: &SearchQuery,
        after: Option<ItemId>,
        offset: usize,
        limit: usize,
    ) -> Result<Vec<Headline>> {
        let ids = self.ranked(q, search)?.ids(q.unread_only);
        let start = match after {
            Some(id) => ids
                .iter()
                .position(|&x| x == id)
                .map_or(ids.len(), |p| p + 1),
            None => offset.min(ids.len()),
        };
        let sql = format!(
            "SELECT x.id, x.feed_id, {FEED_TITLE}, x.title, x.link, x.sort_time, x.read, \
             x.starred, x.story FROM items x CROSS JOIN feeds f ON f.id = x.feed_id \
             WHERE x.id = ?1"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut out = Vec::with_capacity(limit.min(ids.len() - start));
        for &id in ids.iter().skip(start).take(limit) {
            let row = stmt
                .query_row([id], |r| {
                    Ok((
                        Headline {
                            id: r.get(0)?,
                            feed_id: r.get(1)?,
                            feed_title: r.get(2)?,
                            title: r.get(3)?,
                            link: r.get(4)?,
                            sort_time: r.get(5)?,
                            read: r.get(6)?,
                            starred: r.get(7)?,
                            also_in: Vec::new(),
                        },
                        r.get::<_, Option<ItemId>>(8)?,
                    ))
                })
                .optional()?;
            let Some((mut h, story)) = row else { continue };
            if q.one_per_story {
                h.also_in = self.story_feeds(story.unwrap_or(h.id), h.id)?;
            }
            out.push(h);
        }
        Ok(out)
    }

    /// The titles of the feeds carrying story `lead`, but for item `shown`, in the order they
    /// were stored.
    fn story_feeds(&self, lead: ItemId, shown: ItemId) -> Result<Vec<String>> {
        let sql = format!(
            "SELECT {FEED_TITLE} FROM items i CROSS JOIN feeds f ON f.id = i.feed_id \
             WHERE (i.id = ?1 OR i.story = ?1) AND i.id <> ?2 ORDER BY i.id"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let titles = stmt
            .query_map([lead, shown], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(titles)
    }
}

/// Keeps one candidate per story, ranked as its best member: the story's leader when the search
/// found it (as the All view shows it), else its best-ranked member.
fn one_per_story(found: Vec<Candidate>) -> Vec<Candidate> {
    let mut groups: HashMap<ItemId, Candidate> = HashMap::with_capacity(found.len());
    for c in found {
        match groups.get_mut(&c.story) {
            None => {
                groups.insert(c.story, c);
            }
            Some(g) => {
                let tier = g.tier.min(c.tier);
                let better = (
                    c.tier,
                    std::cmp::Reverse(c.sort_time),
                    std::cmp::Reverse(c.id),
                ) < (
                    g.tier,
                    std::cmp::Reverse(g.sort_time),
                    std::cmp::Reverse(g.id),
                );
                if c.leads || (!g.leads && better) {
                    *g = c;
                }
                g.tier = tier;
            }
        }
    }
    groups.into_values().collect()
}
