//! `tidings show SOURCE`: items as the reader shows them, for scripts and tests.

use std::collections::HashMap;
use std::io::Write;
use std::process::ExitCode;
use std::rc::Rc;

use serde::Serialize;

use super::output::Out;
use super::{Context, rfc3339};
use crate::cli::ShowArgs;
use crate::config::queries;
use crate::content::dedup::{DedupOptions, FeedStats};
use crate::content::{self, fold, sanitize_line};
use crate::fetch::{FetchError, Source, classify, read_local_file, read_stdin};
use crate::filter::Expr;
use crate::model::{BodyKind, Enclosure, FeedId, ItemId, ItemQuery, View};
use crate::refresh::unix_now;
use crate::store::{ItemMarks, Store};

/// An item to print, wherever it came from.
pub(super) struct ShowItem {
    pub(super) feed: String,
    pub(super) title: String,
    pub(super) link: Option<String>,
    author: Option<String>,
    published: Option<i64>,
    pub(super) content: String,
    pub(super) kind: BodyKind,
    pub(super) base: Option<String>,
    enclosures: Vec<Enclosure>,
    /// The statistics of the item's feed, for boilerplate folding.
    pub(super) stats: Option<Rc<FeedStats>>,
    /// The other feeds that carry the same story (cached items only).
    pub(super) also_in: Vec<String>,
    /// The feed's own text, when `content` is the article fetched from the item's page.
    pub(super) feed_text: Option<(String, BodyKind, Option<String>)>,
    /// Whether deduplication folds the item's blocks (`false` for a feed whose `[[feed]]`
    /// table says `dedup = false`).
    pub(super) folds: bool,
    /// What rules set on the item (cached items only).
    marks: ItemMarks,
}

/// One item as `--json` prints it.
#[derive(Serialize)]
struct ItemJson {
    feed: String,
    title: String,
    link: Option<String>,
    author: Option<String>,
    published: Option<String>,
    body: String,
    /// How many blocks deduplication folded (hidden, or marked with `--raw`).
    folded: usize,
    /// Other feeds carrying the same story (`show all` lists the story once, by this item).
    also_in: Vec<String>,
    /// Whether `body` is the article fetched from the item's page (else the feed's own text).
    full_text: bool,
    /// The tags rules set on the item.
    tags: Vec<String>,
    /// Whether a rule hid the item (listed only with `--include-hidden`).
    hidden: bool,
}

/// Prints the items of `args.source`.
pub async fn run(ctx: &Context, args: ShowArgs) -> anyhow::Result<ExitCode> {
    let width = args.width.map(usize::from).unwrap_or_else(default_width);
    let (items, picked) = load(ctx, &args).await?;
    let pick = if picked {
        None
    } else {
        args.item.map(|n| n as usize - 1)
    };
    if let Some(n) = pick
        && n >= items.len()
    {
        anyhow::bail!("--item {}: there are only {} items", n + 1, items.len());
    }
    let chosen: Vec<&ShowItem> = match pick {
        Some(n) => vec![&items[n]],
        None => items.iter().collect(),
    };
    let dedup = dedup_options(ctx);
    let rendered: Vec<ItemJson> = chosen
        .iter()
        .map(|it| {
            let none = DedupOptions {
                within_article: false,
                boilerplate: false,
                stories: false,
            };
            render(it, width, args.raw, if it.folds { &dedup } else { &none })
        })
        .collect();
    let mut out = super::output::stdout();
    if args.json {
        out.json(&rendered)?;
        return Ok(ExitCode::SUCCESS);
    }
    for (i, (item, r)) in chosen.iter().zip(&rendered).enumerate() {
        if i > 0 {
            out.line(format_args!("\n{}\n", "─".repeat(width.min(80))))?;
        }
        write_header(&mut out, item, width)?;
        out.line("")?;
        out.line(&r.body)?;
        for e in &item.enclosures {
            out.line(enclosure_line(e))?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The wrap width when none is given: the terminal's, else 80.
pub(super) fn default_width() -> usize {
    if super::output::stdout_is_terminal()
        && let Ok((w, _)) = crossterm::terminal::size()
        && w >= 10
    {
        return usize::from(w);
    }
    80
}

/// Which kinds of folding the configuration turns on.
pub(crate) fn dedup_options(ctx: &Context) -> DedupOptions {
    DedupOptions {
        within_article: ctx.config.dedup.within_article,
        boilerplate: ctx.config.dedup.boilerplate,
        stories: ctx.config.dedup.stories,
    }
}

/// Renders one item's body at `width`, folding repeated blocks (marked instead with `raw`).
fn render(item: &ShowItem, width: usize, raw: bool, dedup: &DedupOptions) -> ItemJson {
    let mut doc = content::parse(&item.content, item.kind, item.base.as_deref());
    let hidden = fold::fold_item(&doc, Some(&item.title), item.stats.as_deref(), dedup);
    content::shown_links_first(&mut doc, &hidden);
    let opts = content::LayoutOptions {
        width,
        max_width: None,
        center: false,
        raw,
    };
    let lines = content::layout(&doc, &hidden, &opts);
    let mut body = content::to_plain_text(&lines);
    if raw && let Some((text, kind, base)) = &item.feed_text {
        // The raw view shows both: the article, then what the feed itself said.
        body.push_str("\n\n── Feed text ──\n\n");
        body.push_str(&content::render_text(text, *kind, base.as_deref(), width));
    }
    ItemJson {
        feed: sanitize_line(&item.feed).into_owned(),
        title: sanitize_line(&item.title).into_owned(),
        link: item.link.as_deref().map(|l| sanitize_line(l).into_owned()),
        author: item
            .author
            .as_deref()
            .map(|a| sanitize_line(a).into_owned()),
        published: item.published.and_then(rfc3339),
        body,
        folded: fold::folded_count(&hidden),
        full_text: item.feed_text.is_some(),
        tags: item
            .marks
            .tags
            .iter()
            .map(|t| sanitize_line(t).into_owned())
            .collect(),
        hidden: item.marks.hidden,
        also_in: item
            .also_in
            .iter()
            .map(|f| sanitize_line(f).into_owned())
            .collect(),
    }
}

/// Title (wrapped), then feed, author and date, then the link.
fn write_header(out: &mut Out<impl Write>, item: &ShowItem, width: usize) -> std::io::Result<()> {
    for line in textwrap::wrap(&sanitize_line(&item.title), width) {
        out.line(line)?;
    }
    let mut meta = vec![sanitize_line(&item.feed).into_owned()];
    if let Some(a) = &item.author {
        meta.push(sanitize_line(a).into_owned());
    }
    if let Some(t) = item.published {
        meta.push(super::local_time(t));
    }
    out.line(meta.join(" · "))?;
    if let Some(link) = &item.link {
        out.line(sanitize_line(link))?;
    }
    if !item.also_in.is_empty() {
        let feeds: Vec<_> = item.also_in.iter().map(|f| sanitize_line(f)).collect();
        out.line(format_args!("Also in: {}", feeds.join(", ")))?;
    }
    if !item.marks.tags.is_empty() {
        let tags: Vec<_> = item.marks.tags.iter().map(|t| sanitize_line(t)).collect();
        out.line(format_args!("Tags: {}", tags.join(", ")))?;
    }
    if item.marks.hidden {
        out.line("Hidden by a rule")?;
    }
    Ok(())
}

/// `Enclosure: URL (type, size)`.
fn enclosure_line(e: &Enclosure) -> String {
    let mut details = Vec::new();
    if let Some(m) = &e.mime {
        details.push(sanitize_line(m).into_owned());
    }
    if let Some(n) = e.length {
        details.push(crate::content::header::human_size(n));
    }
    let details = if details.is_empty() {
        String::new()
    } else {
        format!(" ({})", details.join(", "))
    };
    format!("Enclosure: {}{details}", sanitize_line(&e.url))
}

/// The items of the source, newest first, and whether `--item` was already applied.
async fn load(ctx: &Context, args: &ShowArgs) -> anyhow::Result<(Vec<ShowItem>, bool)> {
    let source = args.source.as_str();
    let filter = args
        .filter
        .as_deref()
        .map(crate::filter::parse)
        .transpose()?;
    if source == "all" {
        let store = ctx.open_store_readable()?;
        store.set_show_hidden(args.include_hidden);
        let q = ItemQuery {
            one_per_story: ctx.config.dedup.stories,
            ..ItemQuery::new(View::All)
        };
        return Ok((stored(ctx, &store, &q, filter.as_ref(), args.item)?, true));
    }
    let named_query = source.starts_with("query:");
    if named_query || (source != "-" && ctx.paths.cache.exists()) {
        let store = ctx.open_store_readable()?;
        store.set_show_hidden(args.include_hidden);
        let feed = if named_query {
            None
        } else {
            store.find_feed(source)?
        };
        if let Some(feed) = feed {
            let q = ItemQuery::new(View::Feed(feed.id));
            return Ok((stored(ctx, &store, &q, filter.as_ref(), args.item)?, true));
        }
        let queries = queries::merged(&ctx.config.queries, store.saved_queries()?);
        match queries::find(&queries, source, false) {
            Some(query) => {
                let q = ItemQuery {
                    one_per_story: ctx.config.dedup.stories,
                    ..ItemQuery::new(View::All)
                };
                let expr = match filter {
                    Some(f) => Expr::And(Box::new(query.expr.clone()), Box::new(f)),
                    None => query.expr.clone(),
                };
                return Ok((stored(ctx, &store, &q, Some(&expr), args.item)?, true));
            }
            None if named_query => {
                let names: Vec<&str> = queries.iter().map(|q| q.name.as_str()).collect();
                anyhow::bail!(
                    "no query is named {:?} (the queries are: {})",
                    &source["query:".len()..],
                    if names.is_empty() {
                        "none yet; add a [[query]] table to the config".to_string()
                    } else {
                        names.join(", ")
                    }
                );
            }
            None => {}
        }
    }
    let now = unix_now();
    let limits = ctx.config.fetch_config();
    let (bytes, content_type, url) = match classify(source) {
        _ if source == "-" => {
            let bytes = read_stdin(limits.max_body)
                .map_err(|e| anyhow::anyhow!("cannot read standard input: {e}"))?;
            (bytes, None, String::new())
        }
        Ok(Source::File(path)) => {
            let bytes = read_local_file(&path, limits.max_body, limits.request_timeout)
                .map_err(|e| FetchError::from_local(path.clone(), e))?;
            (bytes, None, path.display().to_string())
        }
        Ok(_) => super::fetch_once(limits, source).await?,
        Err(e) => anyhow::bail!(
            "{}: not a subscribed feed, a feed file or a URL ({e})",
            sanitize_line(source)
        ),
    };
    let max_items = ctx.config.fetch_config().max_items_per_download;
    let parsed = crate::feed::parse_capped(&bytes, content_type.as_deref(), &url, now, max_items)
        .map_err(|e| anyhow::anyhow!("{}: {e}", sanitize_line(source)))?;
    drop(bytes);
    let feed_title = parsed.title.clone().unwrap_or_else(|| match url.as_str() {
        "" => "standard input".to_string(),
        url => crate::fetch::display_url(url),
    });
    let mut items: Vec<ShowItem> = parsed
        .items
        .into_iter()
        .map(|i| ShowItem {
            feed: feed_title.clone(),
            title: i.title,
            link: i.link,
            author: i.author,
            published: i.published,
            content: i.content,
            kind: i.content_kind,
            base: i.base,
            enclosures: i.enclosures,
            stats: None,
            also_in: Vec::new(),
            feed_text: None,
            folds: true,
            marks: ItemMarks::default(),
        })
        .collect();
    // Newest first; undated items count as seen now, as they would in the cache.
    items.sort_by_key(|i| std::cmp::Reverse(i.published.unwrap_or(now)));
    if let Some(expr) = &filter {
        items.retain(|i| crate::filter::matches(expr, &Unstored { item: i, now }, now));
    }
    if ctx.config.dedup.boilerplate {
        // Not subscribed: the feed's statistics come from its own newest items.
        let stats = Rc::new(own_stats(&items));
        for item in &mut items {
            item.stats = Some(Rc::clone(&stats));
        }
    }
    Ok((items, false))
}

/// Statistics over the newest [`crate::store::STATS_WINDOW`] of a feed's items, as the cache keeps
/// them for a subscribed feed.
fn own_stats(items: &[ShowItem]) -> FeedStats {
    let mut stats = FeedStats::new();
    for item in items.iter().take(crate::store::STATS_WINDOW) {
        stats.add(&fold::body_fingerprint(
            &item.content,
            item.kind,
            item.base.as_deref(),
        ));
    }
    stats
}

/// Items of a stored view, newest first, those passing `filter` when there is one; with `item`,
/// only that one (the error says how many there are).
fn stored(
    ctx: &Context,
    store: &Store,
    q: &ItemQuery,
    filter: Option<&Expr>,
    item: Option<u64>,
) -> anyhow::Result<Vec<ShowItem>> {
    let ids: Vec<ItemId> = match filter {
        Some(expr) => {
            let ids = store.filter_ids(q, expr, unix_now())?;
            match item {
                Some(n) if n as usize > ids.len() => {
                    anyhow::bail!("--item {n}: there are only {} matching items", ids.len())
                }
                Some(n) => vec![ids[n as usize - 1]],
                None => ids,
            }
        }
        None if store.shows_hidden() => {
            // The counters leave hidden items out: list the whole view instead.
            let all = store.headlines(q, 0, usize::MAX)?;
            match item {
                Some(n) if n as usize > all.len() => {
                    anyhow::bail!("--item {n}: there are only {} items", all.len())
                }
                Some(n) => vec![all[n as usize - 1].id],
                None => all.into_iter().map(|h| h.id).collect(),
            }
        }
        None => {
            let total = store.count(q)? as usize;
            let (offset, limit) = match item {
                Some(n) if n as usize > total => {
                    anyhow::bail!("--item {n}: there are only {total} items")
                }
                Some(n) => (n as usize - 1, 1),
                None => (0, total),
            };
            store
                .headlines(q, offset, limit)?
                .into_iter()
                .map(|h| h.id)
                .collect()
        }
    };
    let mut items = Vec::with_capacity(ids.len());
    let mut stats: HashMap<FeedId, Option<Rc<FeedStats>>> = HashMap::new();
    // Each feed's title as shown and whether its items fold (its `[[feed]]` tables).
    let mut per_feed: HashMap<FeedId, (String, bool)> = HashMap::new();
    for id in ids {
        let r = store.item(id)?;
        let (feed_title, folds) = match per_feed.get(&r.feed_id) {
            Some(v) => v.clone(),
            None => {
                let feed = store.feed(r.feed_id)?;
                let folds = ctx
                    .config
                    .feeds
                    .effective(&feed.url, &feed.tags)
                    .settings
                    .dedup
                    != Some(false);
                let v = (super::per_feed::shown(ctx, &feed).0, folds);
                per_feed.insert(r.feed_id, v.clone());
                v
            }
        };
        let marks = store.item_marks(id)?;
        let feed_stats = if ctx.config.dedup.boilerplate {
            match stats.get(&r.feed_id) {
                Some(s) => s.clone(),
                None => {
                    let s = stored_stats(store, r.feed_id)?.map(Rc::new);
                    stats.insert(r.feed_id, s.clone());
                    s
                }
            }
        } else {
            None
        };
        // The article fetched from the item's page, when there is one, else the feed's text.
        let (content, kind, base, feed_text) = match r.full_text {
            Some(a) => (
                a.html,
                BodyKind::Html,
                Some(a.url),
                Some((r.content, r.content_kind, r.base)),
            ),
            None => (r.content, r.content_kind, r.base, None),
        };
        items.push(ShowItem {
            feed: feed_title,
            folds,
            title: r.title,
            link: r.link,
            author: r.author,
            published: r.published,
            content,
            kind,
            base,
            feed_text,
            enclosures: r.enclosures,
            marks,
            stats: feed_stats,
            also_in: if ctx.config.dedup.stories && folds {
                r.also_in
            } else {
                Vec::new()
            },
        });
    }
    Ok(items)
}

/// An item read from a file or an address, as a filter sees it: unread, not starred, in no tag,
/// dated by its published date or else now.
struct Unstored<'a> {
    item: &'a ShowItem,
    now: i64,
}

impl crate::filter::Subject for Unstored<'_> {
    fn unread(&self) -> bool {
        true
    }
    fn starred(&self) -> bool {
        false
    }
    fn time(&self) -> i64 {
        self.item.published.unwrap_or(self.now)
    }
    fn any_value(&self, field: crate::filter::Field, test: &mut dyn FnMut(&str) -> bool) -> bool {
        use crate::filter::Field;
        let it = self.item;
        match field {
            Field::Title => test(&it.title),
            Field::Text => test(&match it.kind {
                BodyKind::Html => crate::content::strip::strip_html(&it.content),
                BodyKind::Text => it.content.clone(),
            }),
            Field::Author => it.author.as_deref().is_some_and(test),
            Field::Feed => test(&it.feed),
            Field::Url => it.link.as_deref().is_some_and(test),
            Field::Tag => false,
        }
    }
}

/// A subscribed feed's statistics as the cache keeps them.
pub(crate) fn stored_stats(store: &Store, feed: FeedId) -> anyhow::Result<Option<FeedStats>> {
    Ok(store
        .feed_stats(feed)?
        .map(|s| FeedStats::from_counts(s.items, s.counts)))
}
