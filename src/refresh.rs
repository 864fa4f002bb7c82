//! One refresh run: fetch every feed concurrently, parse on up to four cores, store via one writer.
//!
//! This is the only module that spawns workers for the lower layers. The network side runs as tokio
//! tasks (the fetcher limits how many are in flight, overall and per host); parsing runs on tokio's
//! blocking pool; one writer thread owns its own SQLite connection and stores each feed in its own
//! transaction, so the reader (another connection) keeps working and a crash leaves every feed either
//! old or new. Once every feed is stored the writer builds the pending search index and applies
//! retention.

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::{Semaphore, mpsc};

use serde::Serialize;

use crate::content::fulltext::{PageLimits, auto_verdict};
use crate::fetch::{BodyHold, FetchConfig, FetchOutcome, FetchRequest, Fetcher, RequestExtras};
use crate::model::{FeedId, FeedRow, ItemId, ParsedFeed};
use crate::store::{FeedUpdate, RetentionPolicy, Store};

pub mod images;
mod pages;
pub mod plan;
mod writer;

pub use pages::fetch_item_page;
pub use plan::FeedPlans;

use writer::Writer;

/// At most this many feeds are parsed at once, however many cores there are: a single writer
/// stores what they give, and the queues sized by it hold whole downloads and their items (on
/// eight cores they would have taken a first fetch of 25,000 items 25 MB higher).
const MAX_PARSERS: usize = 4;

/// Feeds that may wait, downloaded, for a parser or for the writer while `max_in_flight`
/// downloads go on: a feed holds its slot from its download until the writer has it, so with
/// too few of these the waiting feeds take the downloads' slots. Measured on 500 feeds over 50
/// hosts with 50 ms of latency: items stored at 1.81 s with 8 (the earlier `4 * cores` on two
/// cores), 1.52 s with 16, 1.40 s with 24 and no sooner with 40, peak memory 125-130 MB in all.
const WAITING_FEEDS: usize = 24;

/// The refresh writer's own page cache, in KiB (see [`Store::set_page_cache_kib`]).
const WRITER_PAGE_CACHE_KIB: i64 = 16 * 1024;

/// What a refresh run needs besides the feeds.
#[derive(Debug, Clone)]
pub struct RefreshOptions {
    /// Network limits.
    pub fetch: FetchConfig,
    /// What to prune once the run has stored everything.
    pub retention: RetentionPolicy,
    /// How article pages are fetched for summary-only feeds (`max_pages_per_feed = 0`: none).
    pub pages: PageLimits,
    /// The config's `[[feed]]` tables, with the credentials resolved for them.
    pub plans: Arc<FeedPlans>,
    /// The `[[rule]]` tables, applied to new items as they are stored, in order.
    pub rules: Vec<crate::store::Rule>,
    /// The image cache the images of feeds set to `images_offline = true` are fetched into;
    /// `None` fetches none.
    pub images: Option<crate::store::image_files::ImageFiles>,
}

/// Progress, reported after each feed is stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Progress {
    /// Feeds finished so far.
    pub done: usize,
    /// Feeds in this run.
    pub total: usize,
    /// Feeds that failed so far.
    pub failed: usize,
    /// Title of the feed just finished.
    pub title: String,
}

/// One feed that could not be refreshed, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Failure {
    /// The feed's id.
    pub id: FeedId,
    /// Its title.
    pub title: String,
    /// Its address as it may be shown (password masked).
    pub url: String,
    /// The one-line cause.
    pub error: String,
}

/// The outcome of a run.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Report {
    /// Feeds in the run.
    pub feeds: usize,
    /// Feeds that answered with new content (stored).
    pub updated: usize,
    /// Feeds that answered 304 Not Modified.
    pub not_modified: usize,
    /// Feeds skipped because their server asked to wait (Retry-After).
    pub deferred: usize,
    /// Feeds that failed, with their causes.
    pub failed: Vec<Failure>,
    /// Feeds whose download arrived but could not be written to the cache (a full disk, a
    /// damaged cache), with the cache's error; every other feed of the run was stored.
    pub not_stored: Vec<Failure>,
    /// Feeds unsubscribed while the run was under way: skipped.
    pub gone: Vec<Failure>,
    /// Work after storing that could not be done (digests, search index, retention), one line
    /// each; what is left resumes at the next run.
    pub cache_errors: Vec<String>,
    /// Items seen for the first time.
    pub new_items: usize,
    /// Seconds from the start until every feed was stored and readable.
    pub stored_secs: f64,
    /// Seconds from the start until the stored items were digested for deduplication (feed
    /// statistics and stories current).
    pub digested_secs: f64,
    /// Seconds from the start until the run ended (search index built, retention applied).
    pub elapsed_secs: f64,
    /// Article pages of summary-only feeds.
    pub pages: PageCounts,
    /// Episodes of feeds set to `auto_download` queued for download.
    pub queued_downloads: usize,
}

/// Episodes a feed set to `auto_download` queues per run at most (the newest new ones), so that
/// subscribing to a long-running podcast does not queue its whole archive.
pub const AUTO_DOWNLOADS_PER_RUN: usize = 3;

/// What became of the article pages a run fetched.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct PageCounts {
    /// Pages whose article is now stored.
    pub fetched: usize,
    /// Pages fetched whose teaser was kept (not HTML, no article, shorter, a wall).
    pub kept: usize,
    /// Pages that could not be fetched (tried again later).
    pub failed: usize,
    /// Pages not done when the run stopped waiting (tried at the next fetch).
    pub pending: usize,
}

/// What the network side hands to the writer for one feed.
enum Job {
    Parsed {
        feed: FeedRow,
        parsed: ParsedFeed,
        etag: Option<String>,
        last_modified: Option<String>,
        new_url: Option<String>,
        /// The body's room in the fetcher's byte budget, kept until the items are stored so
        /// that large feeds wait for memory all the way to the cache.
        hold: BodyHold,
        /// Whether the download's newest items look like teasers (the `auto` rule).
        teasers: bool,
        /// The seconds the feed asks to wait between fetches (its hints), if any.
        hint: Option<i64>,
    },
    NotModified(FeedRow),
    /// A server's feed, synced rather than downloaded: only its pages are due.
    Synced {
        feed: FeedRow,
        /// The items the sync brought.
        new_items: Vec<ItemId>,
        /// Whether its newest stored items look like teasers (the `auto` rule).
        teasers: bool,
    },
    Failed {
        feed: FeedRow,
        error: String,
        retry_after: Option<Duration>,
    },
    /// Every feed has been handed over: no more pages will be asked for.
    FeedsDone,
    /// What became of one article page.
    Page {
        /// The item whose page it is.
        item: ItemId,
        /// The outcome.
        outcome: pages::PageOutcome,
    },
}

/// The server's feeds (`[sync]`) in a run: not downloaded (a sync brought their items), but their
/// article pages fetched by the same rules as those of downloaded feeds (their full-text mode,
/// `[[feed]]` tables, the `auto` rule over their newest stored items, `max_pages_per_feed`, the
/// page fetcher's limits and retries).
#[derive(Debug, Clone, Default)]
pub struct SyncedFeeds {
    /// The feeds.
    pub feeds: Vec<FeedRow>,
    /// The items the sync brought, by feed: their pages are queued (earlier items' only when a
    /// backfill queued them).
    pub new_items: std::collections::HashMap<FeedId, Vec<ItemId>>,
}

/// Results stored together in one transaction at most.
const WRITE_BATCH: usize = 16;

/// Refreshes `feeds` into the cache at `store_path`, calling `progress` after each feed is stored.
///
/// Fails only when the cache cannot be opened; a feed that fails, or whose download cannot be
/// stored, is listed in the report and the others go on.
pub async fn run(
    store_path: &Path,
    feeds: Vec<FeedRow>,
    opts: &RefreshOptions,
    progress: impl Fn(Progress) + Send + 'static,
) -> anyhow::Result<Report> {
    run_with_synced(store_path, feeds, SyncedFeeds::default(), opts, progress).await
}

/// [`run`], also fetching the article pages of the server's feeds `synced` (see
/// [`SyncedFeeds`]); they are not downloaded and do not count among the run's feeds.
pub async fn run_with_synced(
    store_path: &Path,
    feeds: Vec<FeedRow>,
    synced: SyncedFeeds,
    opts: &RefreshOptions,
    progress: impl Fn(Progress) + Send + 'static,
) -> anyhow::Result<Report> {
    let started = Instant::now();
    let now = unix_now();
    let fetcher = Arc::new(Fetcher::new(opts.fetch.clone())?);
    let parsing = std::thread::available_parallelism()
        .map_or(2, usize::from)
        .min(MAX_PARSERS);
    // Bounded queues keep memory flat: a feed holds a slot from its download until the writer has
    // it, parsing runs on at most one thread per core (and at most `MAX_PARSERS`), and the
    // writer's queue is short.
    let (tx, rx) = mpsc::channel::<Job>(2 * parsing);
    let slots = Arc::new(Semaphore::new(opts.fetch.max_in_flight + WAITING_FEEDS));
    let parsers = Arc::new(Semaphore::new(parsing));

    let (due, deferred): (Vec<FeedRow>, Vec<FeedRow>) = feeds
        .into_iter()
        .partition(|f| f.retry_not_before.is_none_or(|t| t <= now));
    let total = due.len();
    let mut store = Store::open(store_path)?;
    store.set_rules(opts.rules.clone());
    // Retention and deduplication cover every feed of the cache, not only this run's.
    let every_feed = store.feeds().unwrap_or_else(|e| {
        tracing::warn!("cannot read the feeds for their [[feed]] settings: {e}");
        Vec::new()
    });
    let with_synced: Vec<FeedRow> = due.iter().chain(&synced.feeds).cloned().collect();
    let (config_modes, selectors) = opts.plans.full_text(&with_synced);
    drop(with_synced);
    // When the feeds' modes cannot be read, this run fetches no pages (a feed set to `never`
    // must not get them); the feeds still refresh. A [[feed]] table wins over the cache.
    let modes = if opts.pages.max_pages_per_feed > 0 {
        store
            .full_text_modes()
            .map_err(|e| tracing::warn!("cannot read the feeds' full-text modes: {e}"))
            .ok()
            .map(|mut modes| {
                for (feed, mode) in config_modes {
                    match mode {
                        crate::content::fulltext::FullTextMode::Auto => modes.remove(&feed),
                        mode => modes.insert(feed, mode),
                    };
                }
                modes
            })
    } else {
        None
    };
    let wants_pages = modes.is_some();
    let modes = Arc::new(modes.unwrap_or_default());
    let (page_tx, page_rx) = mpsc::unbounded_channel();
    let dispatch = wants_pages.then(|| writer::Dispatch {
        requests: page_tx,
        modes: Arc::clone(&modes),
        selectors: Arc::new(selectors),
        per_feed: opts.pages.max_pages_per_feed,
    });
    let pager = wants_pages.then(|| {
        tokio::spawn(pages::run(
            page_rx,
            Arc::clone(&fetcher),
            opts.pages,
            tx.clone(),
        ))
    });
    // The server's feeds go first: they wait for no download. For those left to the `auto`
    // rule, it reads their newest stored items (the server's text).
    let mut new_items = synced.new_items;
    let synced_jobs: Vec<Job> = if wants_pages {
        synced
            .feeds
            .into_iter()
            .map(|feed| {
                let teasers = !modes.contains_key(&feed.id)
                    && store
                        .teaser_sample(feed.id, crate::content::fulltext::AUTO_WINDOW)
                        .map_err(|e| tracing::warn!("cannot judge feed {}: {e}", feed.id))
                        .is_ok_and(|sample| auto_verdict(sample).fetch);
                Job::Synced {
                    new_items: new_items.remove(&feed.id).unwrap_or_default(),
                    feed,
                    teasers,
                }
            })
            .collect()
    } else {
        Vec::new()
    };
    let own_retention = opts.plans.retention(&every_feed, &opts.retention);
    let auto_download = opts.plans.auto_download(&due);
    let images_offline = opts.plans.images_offline(&due);
    let lone = opts.plans.without_dedup(&every_feed);
    let writer = spawn_writer(
        store,
        rx,
        total,
        (
            (opts.retention.clone(), own_retention, lone),
            opts.fetch.max_new_items_per_run,
        ),
        (now, started),
        dispatch,
        progress,
    );

    for job in synced_jobs {
        let _ = tx.send(job).await;
    }
    let mut tasks = tokio::task::JoinSet::new();
    for feed in due {
        let fetcher = Arc::clone(&fetcher);
        let tx = tx.clone();
        let slots = Arc::clone(&slots);
        let parsers = Arc::clone(&parsers);
        // Only a feed left to the `auto` rule needs its items judged.
        let judge = wants_pages && !modes.contains_key(&feed.id);
        let extras = opts.plans.extras(&feed);
        tasks.spawn(async move {
            let Ok(_slot) = slots.acquire_owned().await else {
                return;
            };
            let job = fetch_one(&fetcher, &parsers, (feed, &extras), now, judge).await;
            // The writer only stops early on a fatal store error, reported below.
            let _ = tx.send(job).await;
        });
    }
    while let Some(joined) = tasks.join_next().await {
        if let Err(e) = joined {
            tracing::error!("a fetch task failed: {e}");
        }
    }
    // Every feed is in the writer's queue: after them, it asks for no more pages.
    let _ = tx.send(Job::FeedsDone).await;
    drop(tx);
    if let Some(mut pager) = pager
        && tokio::time::timeout(opts.pages.run_timeout, &mut pager)
            .await
            .is_err()
    {
        // Pages not done wait in the cache's queue for the next fetch.
        pager.abort();
        let _ = pager.await;
    }
    let mut report = tokio::task::spawn_blocking(move || writer.join())
        .await?
        .map_err(|_| anyhow::anyhow!("the cache writer stopped unexpectedly"))?;
    report.deferred = deferred.len();
    report.feeds = total + deferred.len();
    if !auto_download.is_empty() {
        let path = store_path.to_path_buf();
        let queued = tokio::task::spawn_blocking(move || {
            Store::open(&path)?.queue_new_episodes(&auto_download, now, AUTO_DOWNLOADS_PER_RUN)
        })
        .await?;
        match queued {
            Ok(n) => report.queued_downloads = n,
            Err(e) => report
                .cache_errors
                .push(format!("cannot queue new episodes: {e}")),
        }
    }
    if let (false, Some(files)) = (images_offline.is_empty(), &opts.images) {
        let fetcher = Fetcher::new(FetchConfig {
            max_body: opts.fetch.max_body.min(images::MAX_IMAGE_BYTES),
            ..opts.fetch.clone()
        })?;
        let files = Arc::new(files.clone());
        match images::fetch_ahead(store_path, &images_offline, now, Arc::new(fetcher), files).await
        {
            Ok(n) => tracing::info!("{n} images kept for offline reading"),
            Err(e) => report
                .cache_errors
                .push(format!("cannot fetch images ahead: {e}")),
        }
    }
    report.elapsed_secs = started.elapsed().as_secs_f64();
    Ok(report)
}

/// Downloads and parses one feed; with `judge`, also says whether its newest items look like
/// teasers (the `auto` rule of full text).
async fn fetch_one(
    fetcher: &Fetcher,
    parsers: &Semaphore,
    (feed, extras): (FeedRow, &RequestExtras),
    now: i64,
    judge: bool,
) -> Job {
    let req = FetchRequest {
        url: feed.url.clone(),
        etag: feed.etag.clone(),
        last_modified: feed.last_modified.clone(),
    };
    let (outcome, hold) = if extras.is_empty() {
        fetcher.fetch_held(&req).await
    } else {
        fetcher.fetch_held_with(&req, extras).await
    };
    match outcome {
        FetchOutcome::NotModified => Job::NotModified(feed),
        FetchOutcome::Failed { error, retry_after } => Job::Failed {
            feed,
            error: error.to_string(),
            retry_after,
        },
        FetchOutcome::Fetched {
            body,
            content_type,
            etag,
            last_modified,
            final_url,
            permanent_url,
            max_age,
        } => {
            let _parser = parsers.acquire().await;
            let max_items = fetcher.config().max_items_per_download;
            let hint = crate::feed::refresh_hint(&body, max_age);
            let parsed = tokio::task::spawn_blocking(move || {
                let parsed = crate::feed::parse_capped(
                    &body,
                    content_type.as_deref(),
                    &final_url,
                    now,
                    max_items,
                );
                drop(body);
                let teasers = judge && parsed.as_ref().is_ok_and(looks_like_teasers);
                parsed.map(|p| (p, teasers))
            })
            .await;
            match parsed {
                Ok(Ok((parsed, teasers))) => Job::Parsed {
                    feed,
                    parsed,
                    etag,
                    last_modified,
                    new_url: permanent_url,
                    hold,
                    teasers,
                    hint,
                },
                Ok(Err(e)) => Job::Failed {
                    feed,
                    error: e.to_string(),
                    retry_after: None,
                },
                Err(e) => Job::Failed {
                    feed,
                    error: format!("parser crashed: {e}"),
                    retry_after: None,
                },
            }
        }
    }
}

/// Whether a download's newest items look like teasers: the `auto` rule over the first
/// [`crate::content::fulltext::AUTO_WINDOW`] of them (feeds list the newest first).
fn looks_like_teasers(parsed: &ParsedFeed) -> bool {
    let sample = parsed.items.iter().map(|i| {
        let html = i.content_kind == crate::model::BodyKind::Html;
        let words = crate::content::fulltext::words_for_auto(&i.content, html);
        (words, i.link.as_deref().is_some_and(|l| !l.is_empty()))
    });
    auto_verdict(sample).fetch
}

/// Starts the thread that owns the write connection (opened by the caller, so that a cache that
/// cannot be opened fails the run before anything is downloaded).
fn spawn_writer(
    store: Store,
    mut rx: mpsc::Receiver<Job>,
    total: usize,
    (retention, max_new): (writer::Retention, usize),
    (now, started): (i64, Instant),
    dispatch: Option<writer::Dispatch>,
    progress: impl Fn(Progress) + Send + 'static,
) -> std::thread::JoinHandle<Report> {
    std::thread::spawn(move || {
        if let Err(e) = store.set_page_cache_kib(WRITER_PAGE_CACHE_KIB) {
            tracing::warn!("cannot size the writer's page cache: {e}");
        }
        let mut writer = Writer::new(store, now, max_new);
        writer.dispatch = dispatch;
        writer.started = started;
        writer.checkpoint_in_background();
        writer.start_digests(crate::digests::worker_count(), retention.2.clone());
        let mut done = 0;
        loop {
            let job = match rx.try_recv() {
                Ok(job) => job,
                Err(mpsc::error::TryRecvError::Disconnected) => break,
                Err(mpsc::error::TryRecvError::Empty) => {
                    // Nothing to store yet: digest the feeds stored so far, and build some of
                    // the search index, while the network works.
                    if writer.digest_while_waiting() || writer.index_while_waiting() {
                        continue;
                    }
                    if writer.digests_busy() {
                        writer.wait_for_digests(std::time::Duration::from_millis(2));
                        continue;
                    }
                    writer.flush_digests();
                    match rx.blocking_recv() {
                        Some(job) => job,
                        None => break,
                    }
                }
            };
            // Whatever else is ready goes into the same transaction: fewer commits, and each
            // feed still ends wholly old or wholly new.
            let mut batch = vec![job];
            while batch.len() < WRITE_BATCH {
                match rx.try_recv() {
                    Ok(job) => batch.push(job),
                    Err(_) => break,
                }
            }
            for title in writer.write_batch(batch) {
                done += 1;
                progress(Progress {
                    done,
                    total,
                    failed: writer.failures(),
                    title,
                });
            }
        }
        if writer.report.stored_secs == 0.0 {
            writer.report.stored_secs = started.elapsed().as_secs_f64();
        }
        writer.finish(&retention, started);
        writer.report
    })
}

/// What the store keeps of one download. No digests yet: the new and changed items queue for the
/// digest pass that follows the downloads.
fn feed_update(
    parsed: ParsedFeed,
    etag: Option<String>,
    last_modified: Option<String>,
    new_url: Option<String>,
    now: i64,
) -> FeedUpdate {
    FeedUpdate {
        fetched_at: now,
        title: parsed.title,
        site_link: parsed.site_link,
        new_url,
        etag,
        last_modified,
        items: parsed.items,
        stories: Vec::new(),
    }
}

/// Seconds since the Unix epoch.
pub fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}
