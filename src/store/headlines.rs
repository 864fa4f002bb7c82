//! Headline lists and counts for every view, each served by an index whose order is the list's
//! order, so the newest N cost O(N + log total) and never a sort of the whole table.
//!
//! A tag view merges its feeds' own ordered lists (a k-way merge over per-feed cursors, each
//! walking the `(feed_id, [read,] sort_time)` index in small pages), which keeps it O(N + F log
//! total) for F feeds in the tag, whichever feeds the tag holds.

use std::cmp::Ordering;
use std::collections::{BinaryHeap, HashSet, VecDeque};

use rusqlite::types::Value;
use rusqlite::{Row, params_from_iter};

use super::feeds::FEED_TITLE;
use super::search::fts_query;
use super::{Result, Store};
use crate::model::{FeedId, Headline, ItemId, ItemQuery, View};

/// A position in a headline list: the `(sort_time, id)` of the last row seen.
pub type Cursor = (i64, ItemId);

/// Whether a query lists only the items that lead their stories.
pub(super) fn leaders_only(q: &ItemQuery) -> bool {
    q.one_per_story && matches!(q.view, View::All | View::Unread)
}

/// Whether a query is a tag view listing one item per story (see `tag_stories.rs`).
pub(super) fn tag_per_story(q: &ItemQuery) -> bool {
    q.one_per_story && matches!(q.view, View::Tag(_))
}

fn headline(r: &Row<'_>) -> rusqlite::Result<Headline> {
    Ok(Headline {
        id: r.get(0)?,
        feed_id: r.get(1)?,
        feed_title: r.get(2)?,
        title: r.get(3)?,
        link: r.get(4)?,
        sort_time: r.get(5)?,
        read: r.get(6)?,
        starred: r.get(7)?,
        also_in: Vec::new(),
    })
}

/// The `WHERE` terms and their parameters selecting a view's items from `items i`; with
/// `leaders`, All and Unread keep only the items that lead their stories (served by the partial
/// `items_lead_*` indexes). `None` for a tag view, which is merged from its feeds instead, for
/// a search, which is ranked, and for a filter view, which is evaluated (see `filter_view`).
pub(super) fn view_filter(
    view: &View,
    unread_only: bool,
    leaders: bool,
) -> Option<(String, Vec<Value>)> {
    let unread = if unread_only { " AND i.read = 0" } else { "" };
    let lead = if leaders { "i.story IS NULL AND " } else { "" };
    Some(match view {
        View::All => (format!("{lead}1{unread}"), vec![]),
        View::Unread => (format!("{lead}i.read = 0"), vec![]),
        // `+` keeps the planner on the starred index: starred items are few, unread ones many.
        View::Starred => (
            format!(
                "i.starred = 1{}",
                if unread_only { " AND +i.read = 0" } else { "" }
            ),
            vec![],
        ),
        View::Feed(id) => (format!("i.feed_id = ?{unread}"), vec![Value::Integer(*id)]),
        // Searches are ranked whole (see `ranked.rs`), never filtered here; filter views are
        // evaluated in `filter_view`.
        View::Tag(_) | View::Search(_) | View::Filter { .. } => return None,
    })
}

pub(super) fn is_empty_search(view: &View) -> bool {
    matches!(view, View::Search(s) if fts_query(&s.text).is_none())
}

/// The SQL of a headline page: `filter`, then an optional keyset bound, in list order.
///
/// The inner query picks the page's ids from an index alone (every list index covers its
/// filter, `sort_time` and the rowid), so an offset skips index entries without reading rows;
/// only the page's own rows are then read. The caller puts the page in order.
fn page_sql(filter: &str, keyset: bool, oldest_first: bool) -> String {
    let (cmp, dir) = if oldest_first {
        (">", "ASC")
    } else {
        ("<", "DESC")
    };
    let bound = if keyset {
        format!(" AND (i.sort_time, i.id) {cmp} (?, ?)")
    } else {
        String::new()
    };
    format!(
        "SELECT x.id, x.feed_id, {FEED_TITLE}, x.title, x.link, x.sort_time, x.read, x.starred \
         FROM (SELECT i.id FROM items i WHERE {filter}{bound} \
               ORDER BY i.sort_time {dir}, i.id {dir} LIMIT ? OFFSET ?) AS p \
         CROSS JOIN items x ON x.id = p.id CROSS JOIN feeds f ON f.id = x.feed_id"
    )
}

/// A headline's place in a list, ordered so the heap's greatest is the list's next row.
struct Next {
    key: Cursor,
    oldest_first: bool,
    source: usize,
}

impl Ord for Next {
    fn cmp(&self, other: &Self) -> Ordering {
        let o = self.key.cmp(&other.key);
        if self.oldest_first { o.reverse() } else { o }
    }
}
impl PartialOrd for Next {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl PartialEq for Next {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Next {}

impl Store {
    /// One page of headlines of a view: skip `offset`, return up to `limit`, in list order
    /// (newest first by `(sort_time, id)`, or oldest first).
    ///
    /// Large offsets walk the index entries they skip; [`Store::headlines_after`] is the
    /// constant-cost way to page deep into a long list.
    pub fn headlines(&self, q: &ItemQuery, offset: usize, limit: usize) -> Result<Vec<Headline>> {
        self.page(q, None, offset, limit)
    }

    /// Up to `limit` headlines of a view following `after` (the `(sort_time, id)` of the last
    /// headline of the previous page), or the first page when `after` is `None`.
    pub fn headlines_after(
        &self,
        q: &ItemQuery,
        after: Option<Cursor>,
        limit: usize,
    ) -> Result<Vec<Headline>> {
        self.page(q, after, 0, limit)
    }

    fn page(
        &self,
        q: &ItemQuery,
        after: Option<Cursor>,
        offset: usize,
        limit: usize,
    ) -> Result<Vec<Headline>> {
        if limit == 0 || is_empty_search(&q.view) {
            return Ok(Vec::new());
        }
        if let View::Filter { .. } = &q.view {
            return Ok(self.filter_view(q, after, offset, limit)?.0);
        }
        let Some((filter, mut args)) = view_filter(&q.view, q.unread_only, leaders_only(q)) else {
            return match &q.view {
                View::Tag(tag) => {
                    let feeds = self.feeds_with_tag(tag)?;
                    let hidden = if tag_per_story(q) {
                        self.tag_hidden_copies(tag)?
                    } else {
                        HashSet::new()
                    };
                    let mut rows = self.merge_feeds(&feeds, &hidden, q, after, offset, limit)?;
                    if tag_per_story(q) {
                        for row in &mut rows {
                            row.also_in = self.copies_feeds(row.id)?;
                        }
                    }
                    Ok(rows)
                }
                View::Search(search) => {
                    self.search_page(q, search, after.map(|(_, id)| id), offset, limit)
                }
                _ => unreachable!("only tag views and searches lack a filter"),
            };
        };
        let filter = format!("{filter}{}", self.hidden_sql());
        let sql = page_sql(&filter, after.is_some(), q.oldest_first);
        if let Some((t, id)) = after {
            args.push(Value::Integer(t));
            args.push(Value::Integer(id));
        }
        args.push(Value::Integer(limit.min(i64::MAX as usize) as i64));
        args.push(Value::Integer(offset.min(i64::MAX as usize) as i64));
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut rows: Vec<Headline> = stmt
            .query_map(params_from_iter(args), headline)?
            .collect::<rusqlite::Result<_>>()?;
        if q.oldest_first {
            rows.sort_by_key(|h| (h.sort_time, h.id));
        } else {
            rows.sort_by_key(|h| std::cmp::Reverse((h.sort_time, h.id)));
        }
        if leaders_only(q) {
            for row in &mut rows {
                row.also_in = self.copies_feeds(row.id)?;
            }
        }
        Ok(rows)
    }

    /// Merges the ordered headline lists of several feeds into one page, leaving out the items
    /// in `hidden`.
    fn merge_feeds(
        &self,
        feeds: &[FeedId],
        hidden: &HashSet<ItemId>,
        q: &ItemQuery,
        after: Option<Cursor>,
        offset: usize,
        limit: usize,
    ) -> Result<Vec<Headline>> {
        let need = offset.saturating_add(limit);
        let chunk = (need.saturating_mul(2) / feeds.len().max(1))
            .clamp(4, 512)
            .min(need);
        struct Source {
            query: ItemQuery,
            buf: VecDeque<Headline>,
            done: bool,
        }
        let fetch = |src: &mut Source, after: Option<Cursor>| -> Result<()> {
            let page = self.page(&src.query, after, 0, chunk)?;
            src.done = page.len() < chunk;
            src.buf.extend(page);
            Ok(())
        };
        let mut sources = Vec::with_capacity(feeds.len());
        let mut heap = BinaryHeap::with_capacity(feeds.len());
        for &feed in feeds {
            let mut src = Source {
                query: ItemQuery {
                    view: View::Feed(feed),
                    ..q.clone()
                },
                buf: VecDeque::new(),
                done: false,
            };
            fetch(&mut src, after)?;
            if let Some(h) = src.buf.front() {
                heap.push(Next {
                    key: (h.sort_time, h.id),
                    oldest_first: q.oldest_first,
                    source: sources.len(),
                });
            }
            sources.push(src);
        }
        let mut out = Vec::with_capacity(limit.min(4096));
        let mut skipped = 0;
        while out.len() < limit {
            let Some(next) = heap.pop() else { break };
            let src = &mut sources[next.source];
            let h = src
                .buf
                .pop_front()
                .expect("a source in the heap has a buffered row");
            if src.buf.is_empty() && !src.done {
                fetch(src, Some((h.sort_time, h.id)))?;
            }
            if let Some(n) = src.buf.front() {
                heap.push(Next {
                    key: (n.sort_time, n.id),
                    oldest_first: q.oldest_first,
                    source: next.source,
                });
            }
            if hidden.contains(&h.id) {
                continue;
            }
            if skipped < offset {
                skipped += 1;
            } else {
                out.push(h);
            }
        }
        Ok(out)
    }

    /// How many items a view holds (unread ones only when the query says so), read from the
    /// per-feed counters wherever the view allows.
    pub fn count(&self, q: &ItemQuery) -> Result<u64> {
        if let View::Search(search) = &q.view {
            return Ok(self.ranked(q, search)?.len(q.unread_only) as u64);
        }
        if let View::Filter { .. } = &q.view {
            return Ok(self.filter_view(q, None, 0, 0)?.1);
        }
        let Some((mut sql, args)) = count_sql(q) else {
            return Ok(0);
        };
        if sql.contains("FROM items i WHERE") {
            // Counted from the items, not the counters (which leave hidden items out already).
            sql.push_str(self.hidden_sql());
        }
        let n: Option<i64> = self
            .conn
            .prepare_cached(&sql)?
            .query_row(params_from_iter(args), |r| r.get(0))?;
        let shown_hidden = if self.shows_hidden() && !sql.contains("FROM items i WHERE") {
            self.hidden_in_view(q)?
        } else {
            0
        };
        Ok(n.unwrap_or(0).max(0) as u64 + shown_hidden)
    }

    /// How many hidden items a view holds: the counters leave them out, so a list that shows
    /// them counts them here.
    fn hidden_in_view(&self, q: &ItemQuery) -> Result<u64> {
        let (filter, args) = match view_filter(&q.view, q.unread_only, leaders_only(q)) {
            Some(f) => f,
            None => match &q.view {
                View::Tag(tag) => (
                    format!(
                        "i.feed_id IN (SELECT feed_id FROM feed_tags WHERE tag = ?){}",
                        if q.unread_only { " AND i.read = 0" } else { "" }
                    ),
                    vec![Value::Text(tag.clone())],
                ),
                _ => return Ok(0),
            },
        };
        let sql = format!(
            "SELECT count(*) FROM item_hidden h CROSS JOIN items i ON i.id = h.item_id WHERE {filter}"
        );
        let n: i64 = self
            .conn
            .prepare_cached(&sql)?
            .query_row(params_from_iter(args), |r| r.get(0))?;
        Ok(n.max(0) as u64)
    }

    /// The query plan SQLite chooses for a count, one line per step (for tests).
    #[cfg(test)]
    pub(crate) fn count_plan(&self, q: &ItemQuery) -> Result<Vec<String>> {
        let (sql, args) = count_sql(q).expect("a countable view");
        let mut stmt = self.conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}"))?;
        let lines = stmt
            .query_map(params_from_iter(args), |r| r.get::<_, String>(3))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(lines)
    }
}

/// The SQL counting a view's items and its parameters; `None` for a search (counted from its
/// ranked results).
fn count_sql(q: &ItemQuery) -> Option<(String, Vec<Value>)> {
    let counter = if q.unread_only {
        "unread_count"
    } else {
        "item_count"
    };
    let (sql, args): (String, Vec<Value>) = match &q.view {
        View::All => (format!("SELECT SUM({counter}) FROM feeds"), vec![]),
        View::Unread => ("SELECT SUM(unread_count) FROM feeds".into(), vec![]),
        View::Starred if !q.unread_only => ("SELECT SUM(starred_count) FROM feeds".into(), vec![]),
        View::Feed(id) => (
            format!("SELECT SUM({counter}) FROM feeds WHERE id = ?"),
            vec![Value::Integer(*id)],
        ),
        View::Tag(tag) => (
            format!(
                "SELECT SUM(f.{counter}) FROM feed_tags t JOIN feeds f ON f.id = t.feed_id \
                     WHERE t.tag = ?"
            ),
            vec![Value::Text(tag.clone())],
        ),
        View::Search(_) | View::Filter { .. } => return None,
        view @ View::Starred => {
            let (filter, args) = view_filter(view, q.unread_only, false).expect("not a tag view");
            (format!("SELECT count(*) FROM items i WHERE {filter}"), args)
        }
    };
    // Copies of stories are few and indexed: subtract them rather than count the leaders.
    // (`+read` keeps the planner on the copies' index: unread items are many.)
    let sql = if tag_per_story(q) {
        let unread = q.unread_only;
        format!(
            "SELECT ({sql}) - (SELECT count(*) FROM ({}))",
            super::tag_stories::hidden_copies_sql(unread)
        )
    } else if leaders_only(q) {
        let unread = q.unread_only || q.view == View::Unread;
        format!(
            "SELECT ({sql}) - (SELECT count(*) FROM items WHERE story IS NOT NULL{})",
            if unread { " AND +read = 0" } else { "" }
        )
    } else {
        sql
    };
    Some((sql, args))
}

impl Store {
    /// Unread items in every feed.
    pub fn unread_total(&self) -> Result<u64> {
        self.count(&ItemQuery::new(View::Unread))
    }

    /// Starred items in every feed.
    pub fn starred_total(&self) -> Result<u64> {
        self.count(&ItemQuery::new(View::Starred))
    }

    /// Cached items in every feed (tombstones excluded).
    pub fn item_total(&self) -> Result<u64> {
        self.count(&ItemQuery::new(View::All))
    }

    /// The ids of the unread items of a view.
    pub(crate) fn unread_ids(&self, view: &View) -> Result<Vec<ItemId>> {
        if let View::Filter { .. } = view {
            let q = ItemQuery::new(view.clone()).unread_only(true);
            let rows = self.filter_view(&q, None, 0, usize::MAX)?.0;
            return Ok(rows.into_iter().map(|h| h.id).collect());
        }
        let (filter, args) = match view_filter(view, true, false) {
            Some(f) => f,
            None => {
                let View::Tag(tag) = view else {
                    let View::Search(search) = view else {
                        unreachable!("only tag views and searches lack a filter")
                    };
                    let q = ItemQuery::new(view.clone());
                    return Ok(self.ranked(&q, search)?.ids(true));
                };
                (
                    "i.read = 0 AND i.feed_id IN (SELECT feed_id FROM feed_tags WHERE tag = ?)"
                        .to_string(),
                    vec![Value::Text(tag.clone())],
                )
            }
        };
        let sql = format!(
            "SELECT i.id FROM items i WHERE {filter}{}",
            self.hidden_sql()
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let ids = stmt
            .query_map(params_from_iter(args), |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(ids)
    }

    /// The query plan SQLite chooses for a headline page, one line per step (for tests).
    #[cfg(test)]
    pub(crate) fn headline_plan(&self, q: &ItemQuery) -> Result<Vec<String>> {
        self.page_plan(q, false)
    }

    /// The query plan SQLite chooses for the headline page after a cursor, as a tag's merge
    /// asks each of its feeds for the next rows (for tests).
    #[cfg(test)]
    pub(crate) fn headline_plan_after(&self, q: &ItemQuery) -> Result<Vec<String>> {
        self.page_plan(q, true)
    }

    #[cfg(test)]
    fn page_plan(&self, q: &ItemQuery, keyset: bool) -> Result<Vec<String>> {
        let (filter, mut args) =
            view_filter(&q.view, q.unread_only, leaders_only(q)).expect("not a tag view");
        let filter = format!("{filter}{}", self.hidden_sql());
        let sql = format!(
            "EXPLAIN QUERY PLAN {}",
            page_sql(&filter, keyset, q.oldest_first)
        );
        if keyset {
            args.push(Value::Integer(1000));
            args.push(Value::Integer(1000));
        }
        args.push(Value::Integer(50));
        args.push(Value::Integer(0));
        let mut stmt = self.conn.prepare(&sql)?;
        let lines = stmt
            .query_map(params_from_iter(args), |r| r.get::<_, String>(3))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(lines)
    }
}
