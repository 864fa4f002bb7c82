//! `tidings feeds` and `tidings remove`.

use std::process::ExitCode;

use serde::Serialize;

use super::{Context, find_feed, local_time, output, rfc3339};
use crate::config::queries;
use crate::content::fulltext::FullTextMode;
use crate::content::fulltext::{AUTO_WINDOW, auto_applies, auto_verdict, decide};
use crate::content::sanitize_line;
use crate::fetch::display_url;
use crate::model::{FeedId, FeedRow, ItemQuery, View};
use crate::store::Store;

/// One feed as `tidings feeds --json` prints it.
#[derive(Serialize)]
struct FeedJson<'a> {
    /// Always `feed` (queries follow the feeds with `query`).
    kind: &'static str,
    id: i64,
    title: &'a str,
    url: String,
    tags: &'a [String],
    items: u64,
    unread: u64,
    last_success: Option<String>,
    last_error: Option<&'a str>,
    /// The feed's full-text mode (`auto`, `always`, `never`).
    full_text: &'static str,
    /// Whether its articles are fetched, and why.
    full_text_fetched: bool,
    full_text_why: String,
    /// The CSS selector that picks the article on the feed's pages, when one was set.
    full_text_selector: Option<String>,
    /// The settings a `[[feed]]` table of the config gives the feed (they win over the cache).
    settings_from_config: Vec<&'static str>,
}

/// A feed's full-text mode and article selector: a `[[feed]]` table's win over the cache's.
pub(crate) fn full_text_settings(
    ctx: &Context,
    store: &Store,
    feed: &FeedRow,
) -> anyhow::Result<(FullTextMode, Option<String>)> {
    let s = ctx.config.feeds.effective(&feed.url, &feed.tags).settings;
    let mode = match s.full_text {
        Some(mode) => mode,
        None => store.full_text_mode(feed.id)?,
    };
    let selector = match s.full_text_selector {
        Some(sel) => Some(sel),
        None => store.full_text_selector(feed.id)?,
    };
    Ok((mode, selector))
}

/// Whether a feed's articles are fetched, and why: its mode (see [`full_text_settings`]), and
/// for `auto` the rule over its newest stored items (only for a feed fetched over http(s)).
pub(crate) fn full_text_decision(
    ctx: &Context,
    store: &Store,
    feed: FeedId,
) -> anyhow::Result<(bool, String)> {
    let row = store.feed(feed)?;
    let (mode, _) = full_text_settings(ctx, store, &row)?;
    let verdict = auto_verdict(store.teaser_sample(feed, AUTO_WINDOW)?);
    let remote = auto_applies(&row.url);
    let (fetched, why) = decide(mode, &verdict, remote);
    let by_config = ctx
        .config
        .feeds
        .line_setting(&row.url, &row.tags, "full_text");
    let why = match by_config {
        Some(line) => why.replace(
            "set for this feed",
            &format!("set by the [[feed]] table at line {line} of the config"),
        ),
        None => why,
    };
    Ok((fetched, why))
}

/// Prints the subscriptions as a table, or as JSON.
pub fn list(ctx: &Context, json: bool) -> anyhow::Result<ExitCode> {
    let store = ctx.open_store_readable()?;
    let feeds = store.feeds()?;
    let queries = query_rows(ctx, &store)?;
    let mut full_text = Vec::with_capacity(feeds.len());
    let mut shown = Vec::with_capacity(feeds.len());
    for f in &feeds {
        let (fetched, why) = full_text_decision(ctx, &store, f.id)?;
        let (mode, selector) = full_text_settings(ctx, &store, f)?;
        full_text.push((mode, fetched, (why, selector)));
        shown.push(super::per_feed::shown(ctx, f));
    }
    if json {
        let rows: Vec<FeedJson> = feeds
            .iter()
            .zip(&full_text)
            .zip(&shown)
            .map(
                |((f, (mode, fetched, (why, selector))), (title, tags))| FeedJson {
                    kind: "feed",
                    full_text: mode.name(),
                    full_text_fetched: *fetched,
                    full_text_why: why.clone(),
                    full_text_selector: selector.clone(),
                    settings_from_config: ctx.config.feeds.overridden_keys(&f.url, &f.tags),
                    id: f.id,
                    title,
                    url: display_url(&f.url),
                    tags,
                    items: f.items,
                    unread: f.unread,
                    last_success: f.last_success.and_then(rfc3339),
                    last_error: f.last_error.as_deref(),
                },
            )
            .collect();
        let mut all: Vec<serde_json::Value> = rows
            .iter()
            .map(serde_json::to_value)
            .collect::<Result<_, _>>()?;
        for q in &queries {
            all.push(serde_json::to_value(q)?);
        }
        output::stdout().json(&all)?;
        return Ok(ExitCode::SUCCESS);
    }
    if feeds.is_empty() && !queries.is_empty() {
        print_queries(&queries)?;
        return Ok(ExitCode::SUCCESS);
    }
    if feeds.is_empty() {
        output::stdout().line(
            "No subscriptions yet: `tidings add URL`, `tidings import FILE`, or start `tidings` for the defaults.",
        )?;
        return Ok(ExitCode::SUCCESS);
    }
    let rows: Vec<[String; 9]> = feeds
        .iter()
        .zip(&full_text)
        .zip(&shown)
        .map(|((f, (_, _, (why, selector))), (title, tags))| {
            [
                f.id.to_string(),
                clip(&sanitize_line(title), 40),
                clip(&sanitize_line(&display_url(&f.url)), 50),
                clip(&sanitize_line(&tags.join(",")), 20),
                f.items.to_string(),
                f.unread.to_string(),
                f.last_success
                    .map(local_time)
                    .unwrap_or_else(|| "never".into()),
                f.last_error
                    .as_deref()
                    .map(|e| sanitize_line(e).into_owned())
                    .unwrap_or_default(),
                match selector {
                    Some(sel) => sanitize_line(&format!("{why}; selector {sel}")).into_owned(),
                    None => why.clone(),
                },
            ]
        })
        .collect();
    let header = [
        "ID",
        "TITLE",
        "URL",
        "TAGS",
        "ITEMS",
        "UNREAD",
        "LAST SUCCESS",
        "LAST ERROR",
        "FULL TEXT",
    ];
    print_table(&header, &rows)?;
    if !queries.is_empty() {
        output::stdout().line("")?;
        print_queries(&queries)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// One query as `tidings feeds` lists it, with its counts.
#[derive(Serialize)]
struct QueryJson {
    /// Always `query`.
    kind: &'static str,
    name: String,
    filter: String,
    /// `config` (read-only) or `cache` (saved from the reader).
    origin: &'static str,
    items: u64,
    unread: u64,
}

/// The queries of the config and the cache with their counts over every feed.
fn query_rows(ctx: &Context, store: &crate::store::Store) -> anyhow::Result<Vec<QueryJson>> {
    let all = queries::merged(&ctx.config.queries, store.saved_queries()?);
    let view = ItemQuery {
        one_per_story: ctx.config.dedup.stories,
        ..ItemQuery::new(View::All)
    };
    let now = crate::refresh::unix_now();
    all.into_iter()
        .map(|q| {
            let (items, unread) = store.filter_counts(&view, &q.expr, now)?;
            Ok(QueryJson {
                kind: "query",
                name: q.name,
                filter: q.filter,
                origin: q.origin.name(),
                items,
                unread,
            })
        })
        .collect()
}

/// Prints the queries as a table.
fn print_queries(queries: &[QueryJson]) -> std::io::Result<()> {
    let rows: Vec<[String; 5]> = queries
        .iter()
        .map(|q| {
            [
                format!("query:{}", clip(&sanitize_line(&q.name), 38)),
                clip(&sanitize_line(&q.filter), 60),
                q.items.to_string(),
                q.unread.to_string(),
                q.origin.to_string(),
            ]
        })
        .collect();
    print_table(&["QUERY", "FILTER", "ITEMS", "UNREAD", "KEPT IN"], &rows)
}

/// Unsubscribes from a feed.
pub fn remove(ctx: &Context, key: &str) -> anyhow::Result<ExitCode> {
    let store = ctx.open_store()?;
    let feed = find_feed(&store, key)?;
    // A server feed is unsubscribed on the server first; when that fails, nothing is removed.
    if let Some(account) = crate::sync::Account::from_settings(&ctx.config.sync)?
        && let Some(remote) = store.synced_remote_id(&account.key(), feed.id)?
    {
        super::sync::remove_on_server(ctx, &account, &remote)?;
    }
    store.remove_feed(feed.id)?;
    output::stdout().line(format_args!(
        "Removed {} ({} items)",
        sanitize_line(&feed.title),
        feed.items
    ))?;
    Ok(ExitCode::SUCCESS)
}

/// Shortens `s` to at most `max` characters, marking the cut.
fn clip(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut out: String = s.chars().take(max - 1).collect();
        out.push('…');
        out
    }
}

/// Prints rows in columns padded to their widest cell (display width).
fn print_table<const N: usize>(header: &[&str; N], rows: &[[String; N]]) -> std::io::Result<()> {
    use unicode_width::UnicodeWidthStr;
    let mut widths = header.map(|h| h.width());
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.width());
        }
    }
    let mut stdout = output::stdout();
    let mut line = |cells: Vec<&str>| -> std::io::Result<()> {
        let mut out = String::new();
        for (i, cell) in cells.iter().enumerate() {
            out.push_str(cell);
            if i + 1 < N {
                out.push_str(&" ".repeat(widths[i] - cell.width() + 2));
            }
        }
        stdout.line(out.trim_end())
    };
    line(header.to_vec())?;
    for row in rows {
        line(row.iter().map(String::as_str).collect())?;
    }
    Ok(())
}
