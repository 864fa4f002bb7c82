//! One refresh run: fetch every feed concurrently, parse on all cores, store through one writer.
//!
//! This is the only module that spawns workers for the lower layers. The network side runs as tokio
//! tasks (the fetcher limits how many are in flight, overall and per host); parsing runs on tokio's
//! blocking pool; one writer thread owns its own SQLite connection and stores each feed in its own
//! transaction, so the reader (another connection) keeps working and a crash leaves every feed either
//! old or new. Once every feed is stored the writer builds the pending search index and applies
//! retention.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::{Semaphore, mpsc};

use serde::Serialize;

use crate::fetch::{BodyHold, FetchConfig, FetchOutcome, FetchRequest, Fetcher};
use crate::model::{FeedId, FeedRow, ParsedFeed};
use crate::store::{BatchEntry, FeedUpdate, RetentionPolicy, Store};

/// What a refresh run needs besides the feeds.
#[derive(Debug, Clone)]
pub struct RefreshOptions {
    /// Network limits.
    pub fetch: FetchConfig,
    /// What to prune once the run has stored everything.
    pub retention: RetentionPolicy,
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
    /// Its address.
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
    /// Items seen for the first time.
    pub new_items: usize,
    /// Seconds from the start until every feed was stored and readable.
    pub stored_secs: f64,
    /// Seconds from the start until the stored items were digested for deduplication (feed
    /// statistics and stories current).
    pub digested_secs: f64,
    /// Seconds from the start until the run ended (search index built, retention applied).
    pub elapsed_secs: f64,
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
    },
    NotModified(FeedRow),
    Failed {
        feed: FeedRow,
        error: String,
        retry_after: Option<Duration>,
    },
}

/// Results stored together in one transaction at most.
const WRITE_BATCH: usize = 16;

/// Items indexed for search per step while the writer would otherwise wait.
const INDEX_BATCH: usize = 200;

/// Refreshes `feeds` into the cache at `store_path`, calling `progress` after each feed is stored.
///
/// Fails only when the cache cannot be opened or written; a feed that fails is listed in the report.
pub async fn run(
    store_path: &Path,
    feeds: Vec<FeedRow>,
    opts: &RefreshOptions,
    progress: impl Fn(Progress) + Send + 'static,
) -> anyhow::Result<Report> {
    let started = Instant::now();
    let now = unix_now();
    let fetcher = Arc::new(Fetcher::new(opts.fetch.clone())?);
    let cores = std::thread::available_parallelism().map_or(2, usize::from);
    // Bounded queues keep memory flat: a feed holds a slot from its download until the writer has
    // it, parsing runs on at most one thread per core, and the writer's queue is short.
    let (tx, rx) = mpsc::channel::<Job>(2 * cores);
    let slots = Arc::new(Semaphore::new(opts.fetch.max_in_flight + 4 * cores));
    let parsers = Arc::new(Semaphore::new(cores));

    let (due, deferred): (Vec<FeedRow>, Vec<FeedRow>) = feeds
        .into_iter()
        .partition(|f| f.retry_not_before.is_none_or(|t| t <= now));
    let total = due.len();
    let writer = spawn_writer(
        store_path.to_path_buf(),
        rx,
        total,
        (opts.retention.clone(), opts.fetch.max_new_items_per_run),
        (now, started),
        progress,
    );

    let mut tasks = tokio::task::JoinSet::new();
    for feed in due {
        let fetcher = Arc::clone(&fetcher);
        let tx = tx.clone();
        let slots = Arc::clone(&slots);
        let parsers = Arc::clone(&parsers);
        tasks.spawn(async move {
            let Ok(_slot) = slots.acquire_owned().await else {
                return;
            };
            let job = fetch_one(&fetcher, &parsers, feed, now).await;
            // The writer only stops early on a fatal store error, reported below.
            let _ = tx.send(job).await;
        });
    }
    drop(tx);
    while let Some(joined) = tasks.join_next().await {
        if let Err(e) = joined {
            tracing::error!("a fetch task failed: {e}");
        }
    }
    let mut report = tokio::task::spawn_blocking(move || writer.join())
        .await?
        .map_err(|_| anyhow::anyhow!("the cache writer stopped unexpectedly"))??;
    report.deferred = deferred.len();
    report.feeds = total + deferred.len();
    report.elapsed_secs = started.elapsed().as_secs_f64();
    Ok(report)
}

/// Downloads and parses one feed.
async fn fetch_one(fetcher: &Fetcher, parsers: &Semaphore, feed: FeedRow, now: i64) -> Job {
    let req = FetchRequest {
        url: feed.url.clone(),
        etag: feed.etag.clone(),
        last_modified: feed.last_modified.clone(),
    };
    let (outcome, hold) = fetcher.fetch_held(&req).await;
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
        } => {
            let _parser = parsers.acquire().await;
            let max_items = fetcher.config().max_items_per_download;
            let parsed = tokio::task::spawn_blocking(move || {
                let parsed = crate::feed::parse_capped(
                    &body,
                    content_type.as_deref(),
                    &final_url,
                    now,
                    max_items,
                );
                drop(body);
                parsed
            })
            .await;
            match parsed {
                Ok(Ok(parsed)) => Job::Parsed {
                    feed,
                    parsed,
                    etag,
                    last_modified,
                    new_url: permanent_url,
                    hold,
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

/// Starts the thread that owns the write connection.
fn spawn_writer(
    path: PathBuf,
    mut rx: mpsc::Receiver<Job>,
    total: usize,
    (retention, max_new): (RetentionPolicy, usize),
    (now, started): (i64, Instant),
    progress: impl Fn(Progress) + Send + 'static,
) -> std::thread::JoinHandle<anyhow::Result<Report>> {
    std::thread::spawn(move || {
        let mut store = Store::open(&path)?;
        let mut report = Report::default();
        let mut done = 0;
        loop {
            let job = match rx.try_recv() {
                Ok(job) => job,
                Err(mpsc::error::TryRecvError::Disconnected) => break,
                Err(mpsc::error::TryRecvError::Empty) => {
                    // Nothing to store yet: build some of the search index while the network works.
                    if store.index_pending(INDEX_BATCH)? > 0 {
                        continue;
                    }
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
            for title in write_batch(&mut store, batch, (now, max_new), &mut report)? {
                done += 1;
                progress(Progress {
                    done,
                    total,
                    failed: report.failed.len(),
                    title,
                });
            }
        }
        report.stored_secs = started.elapsed().as_secs_f64();
        let threads = std::thread::available_parallelism().map_or(2, usize::from);
        crate::digests::digest_pending(&mut store, threads, |s| {
            Ok(s.index_pending(INDEX_BATCH)? > 0)
        })?;
        report.digested_secs = started.elapsed().as_secs_f64();
        while store.index_pending(2_000)? > 0 {}
        store.apply_retention(&retention, now)?;
        store.checkpoint()?;
        Ok(report)
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

/// Stores a batch of results: the downloaded feeds together in one transaction, the rest one by
/// one. Returns the feeds' titles for progress.
fn write_batch(
    store: &mut Store,
    batch: Vec<Job>,
    (now, max_new): (i64, usize),
    report: &mut Report,
) -> anyhow::Result<Vec<String>> {
    let mut titles = Vec::with_capacity(batch.len());
    let mut updates = Vec::new();
    // Dropped when this batch is stored, freeing room for more large bodies.
    let mut holds = Vec::new();
    for job in batch {
        match job {
            Job::Parsed {
                feed,
                mut parsed,
                etag,
                last_modified,
                new_url,
                hold,
            } => {
                holds.push(hold);
                // A feed's first download is bounded by `max_items_per_download` alone.
                if feed.last_success.is_some() {
                    cap_growth(store, feed.id, &mut parsed, max_new, now)?;
                }
                titles.push(feed.title);
                updates.push((
                    feed.id,
                    feed_update(parsed, etag, last_modified, new_url, now),
                ));
            }
            other => titles.push(write_job(store, other, now, report)?),
        }
    }
    if !updates.is_empty() {
        let refs: Vec<BatchEntry<'_>> = updates.iter().map(|(id, u)| (*id, u, None)).collect();
        for stats in store.store_feed_updates(&refs)? {
            report.updated += 1;
            report.new_items += stats.new_items;
        }
    }
    Ok(titles)
}

/// Drops the oldest of the download's new items (those the feed neither has nor buried) beyond
/// `max_new`, so that a feed inventing new ids at every fetch grows the cache by at most that
/// many items per run. Not applied to a feed's first successful download.
fn cap_growth(
    store: &Store,
    feed: FeedId,
    parsed: &mut ParsedFeed,
    max_new: usize,
    now: i64,
) -> anyhow::Result<()> {
    if parsed.items.len() <= max_new {
        return Ok(());
    }
    let known = store.known_keys(feed, parsed.items.iter().map(|i| i.key.as_str()))?;
    let dropped =
        crate::feed::keep_newest(&mut parsed.items, max_new, now, |i| !known.contains(&i.key));
    if dropped > 0 {
        tracing::warn!(
            feed,
            dropped,
            max_new,
            "more new items than one run may add: the oldest were dropped"
        );
    }
    Ok(())
}

/// Stores one job's result and counts it; returns the feed's title for progress.
fn write_job(store: &mut Store, job: Job, now: i64, report: &mut Report) -> anyhow::Result<String> {
    match job {
        Job::Parsed {
            feed,
            parsed,
            etag,
            last_modified,
            new_url,
            hold: _,
        } => {
            let update = feed_update(parsed, etag, last_modified, new_url, now);
            let stats = store.store_feed_update(feed.id, &update)?;
            report.updated += 1;
            report.new_items += stats.new_items;
            Ok(feed.title)
        }
        Job::NotModified(feed) => {
            store.record_not_modified(feed.id, now)?;
            report.not_modified += 1;
            Ok(feed.title)
        }
        Job::Failed {
            feed,
            error,
            retry_after,
        } => {
            let not_before = retry_after.map(|d| now + d.as_secs() as i64);
            store.record_failure(feed.id, now, &error, not_before)?;
            report.failed.push(Failure {
                id: feed.id,
                title: feed.title.clone(),
                url: feed.url,
                error,
            });
            Ok(feed.title)
        }
    }
}

/// Seconds since the Unix epoch.
pub fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}
