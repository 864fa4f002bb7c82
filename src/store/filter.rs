//! Filtering a view's items with a [`crate::filter::Expr`].
//!
//! What SQL can answer is answered there: the flags (`unread`, `starred`), `age` (on
//! `sort_time`, which is the published date, else the arrival), exact titles, links and authors,
//! and the feed and tag conditions, which are first tried on every feed in Rust (feeds are few)
//! and become `feed_id IN (...)`. The rest (words and regular expressions on titles, authors and
//! links, and anything on the body's text) is evaluated in Rust, on the candidates that the SQL
//! part lets through: the expression is turned into an SQL condition that every matching item
//! passes (a Rust-only condition counts as "true", or as "false" under a `not`; words on the
//! text ask the search index which items hold all of them), and only when
//! the expression holds such conditions is each candidate checked in full. The text is read only
//! for an expression that asks about `text`, and, since conditions are tried left to right and
//! stop once the answer is known, only for the candidates that get that far; it is the plain
//! text kept beside the search index (see `search_text.rs`), so no HTML is stripped again.

use std::cell::OnceCell;
use std::collections::HashMap;

use rusqlite::types::Value;
use rusqlite::{Row, params_from_iter};

use super::headlines::{Cursor, is_empty_search, leaders_only, view_filter};
use super::search::fts_query;
use super::search_text::{read_folded, read_plain};
use super::{Result, Store};
use crate::filter::words::Phrase;
use crate::filter::{Cmp, Expr, Field, Matcher, Subject, matches};
use crate::model::{FeedId, Headline, ItemId, ItemQuery, View};

/// What the filter knows about a feed: its display title and tags.
struct FeedFacts {
    title: String,
    tags: Vec<String>,
}

/// What the filter knows about the cache besides each item's own row: its feeds, and the tags
/// that rules set on items (read only when the expression asks about tags).
pub(super) struct Facts {
    feeds: HashMap<FeedId, FeedFacts>,
    item_tags: HashMap<ItemId, Vec<String>>,
}

/// One item read for checking in Rust.
struct Candidate<'a, 'c> {
    headline: Headline,
    author: Option<String>,
    /// The tags rules set on this item.
    item_tags: &'a [String],
    /// The connection to read the item's text with, when the expression asks about the text:
    /// the text is read only for the candidates whose evaluation gets that far.
    texts: Option<&'c rusqlite::Connection>,
    feed: Option<&'a FeedFacts>,
    /// The item's searchable text as kept for words (folded), read on first use.
    folded: OnceCell<String>,
    /// The item's searchable text unfolded, for a regular expression or an exact match: made
    /// from its article or body on first use.
    text: OnceCell<String>,
}

impl Candidate<'_, '_> {
    fn folded(&self) -> &str {
        self.folded.get_or_init(|| {
            self.texts
                .and_then(|conn| read_folded(conn, self.headline.id).ok())
                .unwrap_or_default()
        })
    }

    fn text(&self) -> &str {
        self.text.get_or_init(|| {
            self.texts
                .and_then(|conn| read_plain(conn, self.headline.id).ok().flatten())
                .unwrap_or_default()
        })
    }
}

impl Subject for Candidate<'_, '_> {
    fn unread(&self) -> bool {
        !self.headline.read
    }
    fn starred(&self) -> bool {
        self.headline.starred
    }
    fn time(&self) -> i64 {
        self.headline.sort_time
    }
    fn any_value(&self, field: Field, test: &mut dyn FnMut(&str) -> bool) -> bool {
        match field {
            Field::Title => test(&self.headline.title),
            Field::Text => test(self.text()),
            Field::Author => self.author.as_deref().is_some_and(test),
            Field::Feed => self.feed.is_some_and(|f| test(&f.title)),
            Field::Url => self.headline.link.as_deref().is_some_and(test),
            Field::Tag => {
                self.feed.is_some_and(|f| f.tags.iter().any(|t| test(t)))
                    || self.item_tags.iter().any(|t| test(t))
            }
        }
    }
    fn has_words(&self, field: Field, phrase: &Phrase) -> bool {
        match field {
            Field::Text => phrase.is_in_folded(self.folded()),
            _ => self.any_value(field, &mut |v| phrase.is_in(v)),
        }
    }
}

/// An SQL condition being built, with its parameters.
struct Sql<'a> {
    facts: &'a Facts,
    now: i64,
    args: Vec<Value>,
    /// Whether some condition could not be put in SQL.
    inexact: bool,
}

impl Sql<'_> {
    /// A condition every item passing `e` passes (`outer`), or one that only items passing `e`
    /// pass (`!outer`): the two agree with `e` wherever `e` is all SQL.
    fn bound(&mut self, e: &Expr, outer: bool) -> String {
        match e {
            Expr::And(a, b) => format!("({} AND {})", self.bound(a, outer), self.bound(b, outer)),
            Expr::Or(a, b) => format!("({} OR {})", self.bound(a, outer), self.bound(b, outer)),
            Expr::Not(a) => format!("NOT {}", self.bound(a, !outer)),
            Expr::Unread => "i.read = 0".into(),
            Expr::Starred => "i.starred <> 0".into(),
            Expr::Age { cmp, secs } => {
                // age < d  <=>  now - t < d  <=>  t > now - d, and so on.
                let op = match cmp {
                    Cmp::Lt => ">",
                    Cmp::Le => ">=",
                    Cmp::Gt => "<",
                    Cmp::Ge => "<=",
                };
                self.args
                    .push(Value::Integer(self.now.saturating_sub(*secs)));
                format!("i.sort_time {op} ?")
            }
            Expr::Field {
                field: field @ (Field::Feed | Field::Tag),
                matcher,
            } => {
                let mut ids: Vec<FeedId> = self
                    .facts
                    .feeds
                    .iter()
                    .filter(|(_, f)| match field {
                        Field::Feed => matcher.matches(&f.title),
                        _ => f.tags.iter().any(|t| matcher.matches(t)),
                    })
                    .map(|(id, _)| *id)
                    .collect();
                ids.sort_unstable();
                let list: Vec<String> = ids.iter().map(i64::to_string).collect();
                let by_feed = format!("i.feed_id IN ({})", list.join(","));
                if *field == Field::Feed {
                    return by_feed;
                }
                // Tags set by rules on items: the items holding a tag that matches.
                let mut tagged: Vec<ItemId> = self
                    .facts
                    .item_tags
                    .iter()
                    .filter(|(_, tags)| tags.iter().any(|t| matcher.matches(t)))
                    .map(|(id, _)| *id)
                    .collect();
                if tagged.is_empty() {
                    return by_feed;
                }
                tagged.sort_unstable();
                let list: Vec<String> = tagged.iter().map(i64::to_string).collect();
                format!("({by_feed} OR i.id IN ({}))", list.join(","))
            }
            Expr::Field {
                field: field @ (Field::Title | Field::Url | Field::Author),
                matcher: Matcher::Exact(value),
            } => {
                let column = match field {
                    Field::Title => "i.title",
                    Field::Url => "i.link",
                    _ => "i.author",
                };
                self.args.push(Value::Text(value.clone()));
                format!("{column} = ?")
            }
            Expr::Field {
                field: Field::Text,
                matcher: Matcher::Words(phrase),
            } if outer => {
                // The search index holds every word of an indexed item's title and body, folded
                // alike: an item whose row lacks one of the phrase's words cannot match. Items
                // not indexed yet, or changed since, pass to the full check.
                self.inexact = true;
                let words: Vec<String> = phrase
                    .folded()
                    .split_whitespace()
                    .map(|w| format!("\"{}\"", w.replace('"', "\"\"")))
                    .collect();
                self.args.push(Value::Text(words.join(" ")));
                "(i.indexed = 0 OR i.id IN (SELECT item_id FROM fts_pending) \
                 OR i.id IN (SELECT rowid FROM item_fts WHERE item_fts MATCH ?))"
                    .into()
            }
            Expr::Field { .. } => {
                self.inexact = true;
                if outer { "1" } else { "0" }.into()
            }
        }
    }
}

/// The query of the innermost view under a filter view's filters.
fn base_query(q: &ItemQuery) -> ItemQuery {
    let mut q = q.clone();
    while let View::Filter { base, .. } = q.view {
        q.view = *base;
    }
    q
}

/// The `WHERE` condition selecting the items of `q`'s view from `items i`, and its parameters.
fn view_sql(q: &ItemQuery) -> (String, Vec<Value>) {
    if is_empty_search(&q.view) {
        return ("0".into(), Vec::new());
    }
    if let Some(f) = view_filter(&q.view, q.unread_only, leaders_only(q)) {
        return f;
    }
    let unread = if q.unread_only { " AND i.read = 0" } else { "" };
    if let View::Search(search) = &q.view {
        // A narrowed search: the index's candidates (its ranking does not matter under a filter).
        let mut sql =
            format!("i.id IN (SELECT rowid FROM item_fts WHERE item_fts MATCH ?){unread}");
        let mut args = vec![Value::Text(fts_query(&search.text).unwrap_or_default())];
        if let Some(feed) = search.feed {
            sql.push_str(" AND i.feed_id = ?");
            args.push(Value::Integer(feed));
        }
        return (sql, args);
    }
    let View::Tag(tag) = &q.view else {
        unreachable!("only tag views and searches lack a filter")
    };
    (
        format!("i.feed_id IN (SELECT feed_id FROM feed_tags WHERE tag = ?){unread}"),
        vec![Value::Text(tag.clone())],
    )
}

fn candidate<'a, 'c>(
    r: &Row<'_>,
    facts: &'a Facts,
    texts: Option<&'c rusqlite::Connection>,
) -> rusqlite::Result<Candidate<'a, 'c>> {
    let feed_id: FeedId = r.get(1)?;
    let feed = facts.feeds.get(&feed_id);
    let id: ItemId = r.get(0)?;
    Ok(Candidate {
        item_tags: facts.item_tags.get(&id).map_or(&[], Vec::as_slice),
        headline: Headline {
            id: r.get(0)?,
            feed_id,
            feed_title: feed.map(|f| f.title.clone()).unwrap_or_default(),
            title: r.get(2)?,
            link: r.get(3)?,
            sort_time: r.get(5)?,
            read: r.get(6)?,
            starred: r.get(7)?,
            also_in: Vec::new(),
        },
        author: r.get(4)?,
        texts,
        feed,
        folded: OnceCell::new(),
        text: OnceCell::new(),
    })
}

impl Store {
    /// The headlines of the items of `q`'s view that pass `expr` at time `now`, in the view's
    /// order (with the other feeds of their stories, where the view lists one item per story).
    pub fn filter_headlines(&self, q: &ItemQuery, expr: &Expr, now: i64) -> Result<Vec<Headline>> {
        let mut out = self.filtered(q, expr, now)?;
        if leaders_only(q) {
            for h in &mut out {
                h.also_in = self.copies_feeds(h.id)?;
            }
        }
        Ok(out)
    }

    /// The ids of the items of `q`'s view that pass `expr` at time `now`, in the view's order.
    pub fn filter_ids(&self, q: &ItemQuery, expr: &Expr, now: i64) -> Result<Vec<ItemId>> {
        Ok(self
            .filtered(q, expr, now)?
            .into_iter()
            .map(|h| h.id)
            .collect())
    }

    /// How many items of `q`'s view pass `expr` at time `now`, and how many of those are unread.
    pub fn filter_counts(&self, q: &ItemQuery, expr: &Expr, now: i64) -> Result<(u64, u64)> {
        let hits = self.filtered(q, expr, now)?;
        let unread = hits.iter().filter(|h| !h.read).count();
        Ok((hits.len() as u64, unread as u64))
    }

    /// One page of a [`View::Filter`] view and the number of items it holds, from one
    /// evaluation of its filter (where [`Store::count`] and [`Store::headlines`] take one each).
    pub fn filter_page(
        &self,
        q: &ItemQuery,
        offset: usize,
        limit: usize,
    ) -> Result<(Vec<Headline>, u64)> {
        self.filter_view(q, None, offset, limit)
    }

    /// One page of a [`View::Filter`] (skip `offset` rows, or those up to the cursor `after`;
    /// then up to `limit`) and the number of items the whole view holds. The filter is evaluated
    /// at the current time, over the whole view, for each page.
    pub(super) fn filter_view(
        &self,
        q: &ItemQuery,
        after: Option<Cursor>,
        offset: usize,
        limit: usize,
    ) -> Result<(Vec<Headline>, u64)> {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as i64);
        let rows = self.filtered_all(q, now)?;
        let total = rows.len() as u64;
        let start = match after {
            Some(c) if q.oldest_first => rows
                .iter()
                .position(|h| (h.sort_time, h.id) > c)
                .unwrap_or(rows.len()),
            Some(c) => rows
                .iter()
                .position(|h| (h.sort_time, h.id) < c)
                .unwrap_or(rows.len()),
            None => offset.min(rows.len()),
        };
        let mut page: Vec<Headline> = rows.into_iter().skip(start).take(limit).collect();
        if leaders_only(&base_query(q)) {
            for h in &mut page {
                h.also_in = self.copies_feeds(h.id)?;
            }
        }
        Ok((page, total))
    }

    /// The headlines passing the filter, without the other feeds of their stories. A
    /// [`View::Filter`] view adds its own filter to `expr` (and so on, inwards).
    fn filtered(&self, q: &ItemQuery, expr: &Expr, now: i64) -> Result<Vec<Headline>> {
        let mut q = q.clone();
        let mut expr = expr.clone();
        while let View::Filter { base, filter } = q.view {
            expr = Expr::And(Box::new(crate::filter::parse(&filter)?), Box::new(expr));
            q.view = *base;
        }
        self.filtered_flat(&q, &expr, now)
    }

    /// The headlines of a [`View::Filter`] view, whole.
    fn filtered_all(&self, q: &ItemQuery, now: i64) -> Result<Vec<Headline>> {
        let View::Filter { base, filter } = &q.view else {
            unreachable!("only filter views")
        };
        let expr = crate::filter::parse(filter)?;
        let inner = ItemQuery {
            view: (**base).clone(),
            ..q.clone()
        };
        self.filtered(&inner, &expr, now)
    }

    /// The headlines passing `expr` in a view that is not a filter view (hidden items left out
    /// unless the store shows them).
    fn filtered_flat(&self, q: &ItemQuery, expr: &Expr, now: i64) -> Result<Vec<Headline>> {
        let (mut base, args) = view_sql(q);
        base.push_str(self.hidden_sql());
        let dir = if q.oldest_first { "ASC" } else { "DESC" };
        let order = format!("ORDER BY i.sort_time {dir}, i.id {dir}");
        let mut facts = Facts::load(&self.conn)?;
        if expr.reads(Field::Tag) {
            facts.load_tags(&self.conn, None)?;
        }
        matching(
            &self.conn, &facts, "items i", &base, args, expr, now, &order,
        )
    }
}

/// The headlines of the items of `from` (which names `items i`) meeting the SQL condition
/// `base` (with `args`, those of `from` first) that pass `expr` at time `now`, in the SQL
/// `order` (an `ORDER BY` clause, or empty for any order), with what `facts` knows of the
/// feeds and tags. It reads through `conn`, so it also works inside a caller's transaction.
#[allow(clippy::too_many_arguments)]
pub(super) fn matching(
    conn: &rusqlite::Connection,
    facts: &Facts,
    from: &str,
    base: &str,
    mut args: Vec<Value>,
    expr: &Expr,
    now: i64,
    order: &str,
) -> Result<Vec<Headline>> {
    let mut sql = Sql {
        facts,
        now,
        args: Vec::new(),
        inexact: false,
    };
    let cond = sql.bound(expr, true);
    args.append(&mut sql.args);
    let texts = (sql.inexact && expr.reads(Field::Text)).then_some(conn);
    let query = format!(
        "SELECT i.id, i.feed_id, i.title, i.link, i.author, i.sort_time, i.read, i.starred \
         FROM {from} WHERE ({base}) AND {cond} {order}"
    );
    let mut stmt = conn.prepare(&query)?;
    let mut rows = stmt.query(params_from_iter(args))?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let c = candidate(r, facts, texts)?;
        if !sql.inexact || matches(expr, &c, now) {
            out.push(c.headline);
        }
    }
    Ok(out)
}

impl Facts {
    /// Every feed's display title and tags (those the config's `[[feed]]` tables add included),
    /// by id; no item tags yet (see [`Facts::load_tags`]).
    pub(super) fn load(conn: &rusqlite::Connection) -> Result<Facts> {
        let mut feeds: HashMap<FeedId, FeedFacts> = super::feeds::all_feeds(conn)?
            .into_iter()
            .map(|f| {
                (
                    f.id,
                    FeedFacts {
                        title: f.title,
                        tags: f.tags,
                    },
                )
            })
            .collect();
        let mut stmt =
            conn.prepare_cached("SELECT feed_id, tag FROM feed_tags WHERE from_config = 1")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            if let Some(f) = feeds.get_mut(&r.get::<_, FeedId>(0)?) {
                f.tags.push(r.get(1)?);
            }
        }
        Ok(Facts {
            feeds,
            item_tags: HashMap::new(),
        })
    }

    /// (Re)reads the tags rules set on items: on every item, or on those whose ids the JSON
    /// list `among` holds.
    pub(super) fn load_tags(
        &mut self,
        conn: &rusqlite::Connection,
        among: Option<&str>,
    ) -> Result<()> {
        self.item_tags.clear();
        let mut stmt;
        let mut rows = match among {
            Some(list) => {
                stmt = conn.prepare_cached(
                    "SELECT item_id, tag FROM item_tags \
                     WHERE item_id IN (SELECT value FROM json_each(?1)) ORDER BY tag",
                )?;
                stmt.query([list])?
            }
            None => {
                stmt = conn.prepare_cached("SELECT item_id, tag FROM item_tags ORDER BY tag")?;
                stmt.query([])?
            }
        };
        while let Some(r) = rows.next()? {
            self.item_tags.entry(r.get(0)?).or_default().push(r.get(1)?);
        }
        Ok(())
    }
}
