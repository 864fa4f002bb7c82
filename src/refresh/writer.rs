//! The refresh's writer: the one connection that stores what the downloads brought, feed by feed,
//! so that no single failure sinks the run. A feed unsubscribed while its download was under way
//! is skipped; a write that fails (a full disk, say) is reported for the feeds it concerned and
//! the run goes on; only a damaged cache stops the writing, and then every feed still to come is
//! reported as not stored.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::Instant;

use tokio::sync::mpsc;

use super::pages::{PageBatch, PageOutcome};
use super::{Failure, Job, Report, feed_update};
use crate::content::fulltext::FullTextMode;
use crate::digests::DigestPass;
use crate::model::{FeedId, FeedRow, ItemId, ParsedFeed};
use crate::store::{BatchEntry, Checkpointer, RetentionPolicy, Store, StoreError, UpdateStats};

/// Where the writer sends the pages of the feeds it has stored.
pub(super) struct Dispatch {
    /// The page fetcher's queue.
    pub(super) requests: mpsc::UnboundedSender<PageBatch>,
    /// Each feed's mode, when not `auto`.
    pub(super) modes: Arc<HashMap<FeedId, FullTextMode>>,
    /// The article selectors `[[feed]]` tables set, which win over the cache's.
    pub(super) selectors: Arc<HashMap<FeedId, String>>,
    /// Pages per feed and run at most.
    pub(super) per_feed: usize,
}

/// Which of a feed's items are new in this run, for their pages.
#[derive(Debug, Clone, Copy)]
enum NewItems<'a> {
    /// None.
    None,
    /// Those first seen at this time or later (a download stored now).
    Since(i64),
    /// These (what a sync brought).
    These(&'a [ItemId]),
}

/// What the run prunes once it has stored everything, and which feeds join no story: the
/// `[retention]` policy, the feeds with a policy of their own (`[[feed]]` tables), and the feeds
/// set to `dedup = false`.
pub(super) type Retention = (
    RetentionPolicy,
    HashMap<FeedId, RetentionPolicy>,
    HashSet<FeedId>,
);

/// Items indexed for search per step while the writer would otherwise wait.
pub(super) const INDEX_BATCH: usize = 200;

/// The writer thread's connection and what it has stored so far.
pub(super) struct Writer {
    store: Store,
    now: i64,
    /// What the run has done so far.
    pub(super) report: Report,
    /// Set when writing must stop for the rest of the run (the cache is damaged, or marked so
    /// by another process): every feed still to come is reported as not stored, with this cause.
    stopped: Option<String>,
    /// At most this many new items per feed per run (`[fetch] max_new_items_per_run`).
    max_new: usize,
    /// Where pages go, while feeds are still coming (`None` without full text, or once every
    /// feed is in).
    pub(super) dispatch: Option<Dispatch>,
    /// The feeds of this run whose newest items look like teasers.
    teasers: HashSet<FeedId>,
    /// Pages handed to the page fetcher whose outcome has not come back.
    pages_out: usize,
    /// Whether the items waiting for the search index but not for a digest (left by an earlier
    /// run) are indexed: the items of this run all wait for their digests, which index them.
    undigested_indexed: bool,
    /// When the run started.
    pub(super) started: Instant,
    /// The digest pass, digesting each stored feed while others download (`None` when it
    /// could not start, or after a failure: what waits is digested at the next run).
    digests: Option<DigestPass>,
    /// The thread that checkpoints the cache while the writer writes (`None`: the writer's
    /// commits checkpoint, as SQLite does by default).
    checkpointer: Option<Checkpointer>,
}

impl Writer {
    /// A writer on `store` for a run that started at `now` (Unix seconds).
    pub(super) fn new(store: Store, now: i64, max_new: usize) -> Writer {
        Writer {
            store,
            now,
            report: Report::default(),
            stopped: None,
            max_new,
            dispatch: None,
            teasers: HashSet::new(),
            pages_out: 0,
            undigested_indexed: false,
            started: Instant::now(),
            digests: None,
            checkpointer: None,
        }
    }

    /// Moves the cache's checkpoints off this thread for the run (see
    /// [`Store::checkpoint_in_background`]): the writer then never waits for the disk to copy
    /// the log, until the checkpoint that ends the run.
    pub(super) fn checkpoint_in_background(&mut self) {
        self.checkpointer = self.store.checkpoint_in_background();
    }

    /// Starts the digest pass with `threads` workers; the feeds in `lone` (`dedup = false`)
    /// join no story.
    pub(super) fn start_digests(&mut self, threads: usize, lone: HashSet<FeedId>) {
        if self.stopped.is_some() {
            return;
        }
        match DigestPass::start(&mut self.store, threads, lone) {
            Ok(pass) => self.digests = Some(pass),
            Err(e) => self.cache_error("digests", e),
        }
    }

    /// Digests and records what it can without waiting (see [`DigestPass::step`]); whether
    /// there was anything to do.
    pub(super) fn digest_while_waiting(&mut self) -> bool {
        self.with_digests(DigestPass::step)
    }

    /// Records the digests that are ready (see [`DigestPass::flush`]).
    pub(super) fn flush_digests(&mut self) {
        self.with_digests(DigestPass::flush);
    }

    /// Runs one step of the digest pass on the writer's connection; after a failure the pass is
    /// dropped and the failure reported (what waits stays in the cache's queue for the end of
    /// the run, or the next). Returns what the step returned, or `false`.
    fn with_digests(
        &mut self,
        step: impl FnOnce(&mut DigestPass, &mut Store) -> Result<bool, StoreError>,
    ) -> bool {
        let Some(pass) = &mut self.digests else {
            return false;
        };
        match step(pass, &mut self.store) {
            Ok(progress) => progress,
            Err(e) => {
                self.digests = None;
                self.cache_error("digests", e);
                false
            }
        }
    }

    /// Whether feeds are with the digest workers, so that waiting for them is worth it.
    pub(super) fn digests_busy(&self) -> bool {
        self.digests.as_ref().is_some_and(DigestPass::busy)
    }

    /// Waits a moment for a digest worker (see [`DigestPass::wait`]).
    pub(super) fn wait_for_digests(&mut self, timeout: std::time::Duration) {
        if let Some(pass) = &mut self.digests {
            pass.wait(timeout);
        }
    }

    /// Feeds that could not be refreshed or stored so far.
    pub(super) fn failures(&self) -> usize {
        self.report.failed.len() + self.report.not_stored.len()
    }

    /// Indexes a step of the search index (items that no digest waits for: the digest pass
    /// indexes the others from the body it reads); whether there was anything to do. A failure
    /// here is not worth ending the run for: it is reported once the feeds are stored.
    pub(super) fn index_while_waiting(&mut self) -> bool {
        if self.stopped.is_some() || self.undigested_indexed {
            return false;
        }
        match self.store.index_pending_undigested(INDEX_BATCH) {
            Ok(0) => {
                // Every item this run stores waits for its digest too: none will come.
                self.undigested_indexed = true;
                false
            }
            Ok(_) => true,
            Err(e) => {
                self.cache_error("search index", e);
                false
            }
        }
    }

    /// Stores a batch of results: the downloaded feeds together in one transaction, the rest one
    /// by one. When the shared transaction fails (a full disk, say), each feed is tried alone,
    /// so that the report says exactly which were stored. Returns the feeds' titles for progress.
    pub(super) fn write_batch(&mut self, mut batch: Vec<Job>) -> Vec<String> {
        let feeds_done = batch.iter().any(|j| matches!(j, Job::FeedsDone));
        batch.retain(|j| !matches!(j, Job::FeedsDone));
        let titles = self.write_jobs(batch);
        if feeds_done {
            // Every feed is stored and readable; what follows is pages and the work after
            // storing. No more pages will be asked for.
            self.report.stored_secs = self.started.elapsed().as_secs_f64();
            self.dispatch = None;
        }
        titles
    }

    /// Stores a batch (see [`Writer::write_batch`]), every feed done marker taken out.
    fn write_jobs(&mut self, batch: Vec<Job>) -> Vec<String> {
        let mut titles = Vec::with_capacity(batch.len());
        let mut downloads = Vec::new();
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
                    teasers,
                    hint,
                } => {
                    holds.push(hold);
                    self.record_hint(feed.id, hint);
                    if teasers {
                        self.teasers.insert(feed.id);
                    }
                    // A feed's first download is bounded by `max_items_per_download` alone.
                    if feed.last_success.is_some() {
                        self.cap_growth(feed.id, &mut parsed);
                    }
                    titles.push(feed.title.clone());
                    let update = feed_update(parsed, etag, last_modified, new_url, self.now);
                    downloads.push((feed, update));
                }
                Job::NotModified(feed) => {
                    titles.push(feed.title.clone());
                    self.record_not_modified(feed);
                }
                Job::Failed {
                    feed,
                    error,
                    retry_after,
                } => {
                    titles.push(feed.title.clone());
                    let not_before = retry_after.map(|d| self.now + d.as_secs() as i64);
                    self.record_failure(feed, error, not_before);
                }
                Job::Synced {
                    feed,
                    new_items,
                    teasers,
                } => {
                    if teasers {
                        self.teasers.insert(feed.id);
                    }
                    self.dispatch_pages(&feed, NewItems::These(&new_items));
                }
                Job::FeedsDone => {}
                Job::Page { item, outcome } => self.record_page(item, outcome),
            }
        }
        if downloads.is_empty() {
            return titles;
        }
        if let Some(cause) = self.stopped.clone() {
            for (feed, _) in downloads {
                self.not_stored(feed, cause.clone());
            }
            return titles;
        }
        let refs: Vec<BatchEntry<'_>> = downloads
            .iter()
            .map(|(feed, u)| (feed.id, u, None))
            .collect();
        let together = self.store.store_feed_updates(&refs);
        drop(refs);
        match together {
            Ok(stats) => {
                for ((feed, _), stats) in downloads.into_iter().zip(stats) {
                    self.count_update(feed, stats);
                }
            }
            Err(e) => {
                let single = downloads.len() == 1;
                let message = self.absorb(e);
                if single || self.stopped.is_some() {
                    for (feed, _) in downloads {
                        self.not_stored(feed, message.clone());
                    }
                } else {
                    tracing::warn!(
                        "storing {} feeds together failed ({message}); one by one",
                        downloads.len()
                    );
                    for (feed, update) in downloads {
                        self.store_alone(feed, &update);
                    }
                }
            }
        }
        titles
    }

    /// Drops the oldest of the download's new items (those the feed neither has nor buried)
    /// beyond `max_new`, so that a feed inventing new ids at every fetch grows the cache by at
    /// most that many items per run. When the known keys cannot be read, nothing is dropped. Not
    /// applied to a feed's first successful download.
    fn cap_growth(&mut self, feed: FeedId, parsed: &mut ParsedFeed) {
        if parsed.items.len() <= self.max_new || self.stopped.is_some() {
            return;
        }
        let known = match self
            .store
            .known_keys(feed, parsed.items.iter().map(|i| i.key.as_str()))
        {
            Ok(known) => known,
            Err(e) => {
                let message = self.absorb(e);
                tracing::warn!("cannot read the known items of feed {feed}: {message}");
                return;
            }
        };
        let dropped = crate::feed::keep_newest(&mut parsed.items, self.max_new, self.now, |i| {
            !known.contains(&i.key)
        });
        if dropped > 0 {
            tracing::warn!(
                feed,
                dropped,
                max_new = self.max_new,
                "more new items than one run may add: the oldest were dropped"
            );
        }
    }

    /// Stores one download in a transaction of its own (after its batch failed).
    fn store_alone(&mut self, feed: FeedRow, update: &crate::store::FeedUpdate) {
        if let Some(cause) = self.stopped.clone() {
            self.not_stored(feed, cause);
            return;
        }
        match self.store.store_feed_update(feed.id, update) {
            Ok(stats) => self.count_update(feed, Some(stats)),
            Err(StoreError::NoSuchFeed(_)) => self.count_update(feed, None),
            Err(e) => {
                let message = self.absorb(e);
                self.not_stored(feed, message);
            }
        }
    }

    /// Counts a stored download; `None` when the feed was unsubscribed meanwhile.
    fn count_update(&mut self, feed: FeedRow, stats: Option<UpdateStats>) {
        match stats {
            Some(stats) => {
                self.report.updated += 1;
                self.report.new_items += stats.new_items;
                let new = if stats.new_items > 0 {
                    NewItems::Since(self.now)
                } else {
                    NewItems::None
                };
                let pages_before = self.pages_out;
                self.dispatch_pages(&feed, new);
                // A feed whose articles are coming is digested once they are in (at the end).
                let changed = stats.new_items + stats.updated_items > 0;
                if changed
                    && self.pages_out == pages_before
                    && let Some(pass) = &mut self.digests
                {
                    pass.queue(feed.id);
                }
            }
            None => self.gone(feed),
        }
    }

    /// Keeps the seconds a feed asks to wait between fetches (for `tidings fetch --due`).
    fn record_hint(&mut self, feed: FeedId, hint: Option<i64>) {
        if self.stopped.is_some() {
            return;
        }
        match self.store.set_refresh_hint(feed, hint) {
            Ok(()) | Err(StoreError::NoSuchFeed(_)) => {}
            Err(e) => self.cache_error("refresh hint", e),
        }
    }

    /// Records a `304 Not Modified`.
    fn record_not_modified(&mut self, feed: FeedRow) {
        if let Some(cause) = self.stopped.clone() {
            self.not_stored(feed, cause);
            return;
        }
        match self.store.record_not_modified(feed.id, self.now) {
            Ok(()) => {
                self.report.not_modified += 1;
                self.dispatch_pages(&feed, NewItems::None);
            }
            Err(StoreError::NoSuchFeed(_)) => self.gone(feed),
            Err(e) => {
                let message = self.absorb(e);
                self.not_stored(feed, message);
            }
        }
    }

    /// Records a failed download. The failure is reported even when its record in the cache
    /// cannot be written.
    fn record_failure(&mut self, feed: FeedRow, error: String, not_before: Option<i64>) {
        let error = crate::fetch::redact(&error);
        if self.stopped.is_none() {
            match self
                .store
                .record_failure(feed.id, self.now, &error, not_before)
            {
                Ok(()) => {}
                Err(StoreError::NoSuchFeed(_)) => return self.gone(feed),
                Err(e) => {
                    let message = self.absorb(e);
                    tracing::warn!("cannot record the failure of feed {}: {message}", feed.id);
                }
            }
        }
        self.report.failed.push(failure(feed, error));
    }

    /// Queues the pages of a feed's new items when its articles are fetched (its mode, or the
    /// `auto` rule over this download or, for a server's feed, over its newest items), and hands
    /// the feed's due pages (new ones and retries) to the page fetcher, newest first.
    fn dispatch_pages(&mut self, feed: &FeedRow, new: NewItems<'_>) {
        let Some(dispatch) = &self.dispatch else {
            return;
        };
        if self.stopped.is_some() {
            return;
        }
        let wanted = match dispatch.modes.get(&feed.id).copied().unwrap_or_default() {
            FullTextMode::Never => return,
            FullTextMode::Always => true,
            FullTextMode::Auto => {
                self.teasers.contains(&feed.id) && crate::content::fulltext::auto_applies(&feed.url)
            }
        };
        let per_feed = dispatch.per_feed;
        let queued = match new {
            _ if !wanted => Ok(0),
            NewItems::None => Ok(0),
            NewItems::Since(t) => self.store.queue_pages(feed.id, Some(t)),
            NewItems::These(items) => self.store.queue_item_pages(feed.id, items),
        };
        if let Err(e) = queued {
            return self.cache_error("article pages", e);
        }
        let jobs = match self.store.due_pages(feed.id, self.now, per_feed) {
            Ok(jobs) => jobs,
            Err(e) => return self.cache_error("article pages", e),
        };
        if jobs.is_empty() {
            return;
        }
        let count = jobs.len();
        let configured = dispatch
            .selectors
            .get(&feed.id)
            .map(|s| Arc::from(s.as_str()));
        let selector = match configured {
            Some(s) => Some(s),
            None => match self.store.full_text_selector(feed.id) {
                Ok(s) => s.map(Arc::from),
                Err(e) => return self.cache_error("article pages", e),
            },
        };
        let batch = PageBatch {
            feed_url: feed.url.clone(),
            selector,
            jobs,
        };
        if let Some(dispatch) = &self.dispatch
            && dispatch.requests.send(batch).is_ok()
        {
            self.pages_out += count;
        }
    }

    /// Records what became of one article page.
    fn record_page(&mut self, item: ItemId, outcome: PageOutcome) {
        self.pages_out = self.pages_out.saturating_sub(1);
        if self.stopped.is_some() {
            return;
        }
        let recorded = match outcome {
            PageOutcome::Article(mut article) => {
                self.report.pages.fetched += 1;
                let parsed = article.parsed.take();
                let stored = self.store.store_article(item, &article, self.now);
                // The article's digest uses the page fetcher's parse instead of a second one.
                if let (Ok(true), Some(parsed), Some(pass)) = (&stored, parsed, &mut self.digests) {
                    pass.provide(item, parsed);
                }
                stored.map(|_| ())
            }
            PageOutcome::Kept(why) => {
                self.report.pages.kept += 1;
                self.store.keep_teaser(item, &why.to_string())
            }
            PageOutcome::Failed(error) => {
                self.report.pages.failed += 1;
                let error = crate::fetch::redact(&error);
                tracing::info!(item, "article page failed: {error}");
                self.store.page_failed(item, &error, self.now).map(|_| ())
            }
        };
        if let Err(e) = recorded {
            self.cache_error("article pages", e);
        }
    }

    fn not_stored(&mut self, feed: FeedRow, error: String) {
        self.report.not_stored.push(failure(feed, error));
    }

    fn gone(&mut self, feed: FeedRow) {
        let why = "unsubscribed during the fetch: skipped".to_string();
        self.report.gone.push(failure(feed, why));
    }

    /// Takes in a write error and returns the message to report: damage found in the cache
    /// marks it damaged, and writing stops for the rest of the run when the error says the
    /// cache is damaged (or marked so by another process) or read-only.
    fn absorb(&mut self, e: StoreError) -> String {
        let e = self.store.note_error(e);
        if self.stopped.is_none() && e.stops_writing() {
            self.stopped = Some(e.to_string());
        }
        e.to_string()
    }

    fn cache_error(&mut self, step: &str, e: StoreError) {
        let e = self.absorb(e);
        tracing::error!("{step}: {e}");
        self.report.cache_errors.push(format!("{step}: {e}"));
    }

    /// The work that follows the downloads: digests (which index what they digest), the rest of
    /// the search index, retention and a checkpoint. A step that fails is reported and the next
    /// one still runs (unless writing has stopped): each is complete in itself and what is left resumes at the next run.
    pub(super) fn finish(&mut self, retention: &Retention, started: Instant) {
        self.report.pages.pending = self.pages_out;
        if let Some(cause) = &self.stopped {
            let line = format!("writing stopped: {cause}");
            self.report.cache_errors.push(line);
            return;
        }
        let (policy, own, _) = retention;
        // The digest pass indexes what it digests (the rest is indexed next): while the writer
        // waits for the workers, it has no other work, so it takes none (indexing an item whose
        // entry waits in the digest pass's batch would strip its body a second time).
        if let Some(pass) = self.digests.take() {
            let digested = pass.finish(&mut self.store, |_| Ok(false));
            if let Err(e) = digested {
                self.cache_error("digests", e);
            }
        }
        self.report.digested_secs = started.elapsed().as_secs_f64();
        // The last checkpoint is the writer's, once the thread is done with one under way.
        if self.checkpointer.take().is_some()
            && let Err(e) = self.store.checkpoint_on_commit()
        {
            tracing::warn!("cannot turn the cache's checkpoints back on: {e}");
        }
        type Step = fn(
            &mut Store,
            (&RetentionPolicy, &HashMap<FeedId, RetentionPolicy>),
            i64,
        ) -> Result<(), StoreError>;
        let steps: [(&str, Step); 3] = [
            ("search index", |s, _, _| {
                while s.index_pending(2_000)? > 0 {}
                Ok(())
            }),
            ("retention", |s, (r, own), now| {
                s.apply_retention_per_feed(r, own, now).map(|_| ())
            }),
            ("checkpoint", |s, _, _| s.checkpoint()),
        ];
        for (step, run) in steps {
            if self.stopped.is_some() {
                break;
            }
            if let Err(e) = run(&mut self.store, (policy, own), self.now) {
                self.cache_error(step, e);
            }
        }
    }
}

/// A feed's line in the report, with any password in its title, address or error masked.
fn failure(feed: FeedRow, error: String) -> Failure {
    Failure {
        id: feed.id,
        title: crate::fetch::redact(&feed.title),
        url: crate::fetch::display_url(&feed.url),
        error: crate::fetch::redact(&error),
    }
}
