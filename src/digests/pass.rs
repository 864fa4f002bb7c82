//! The digest pass as a pipeline that the thread owning the write connection drives: it reads a
//! feed's waiting items from the cache, worker threads digest them (and make their search
//! text), and it records the results a batch at a time.
//!
//! A fetch starts the pass before the first feed is stored and queues each feed as soon as its
//! items are in the cache ([`DigestPass::queue`]), so feeds are digested while others are still
//! downloading: the cores the downloads leave idle do the digests instead of waiting for the
//! last feed. [`DigestPass::finish`] then digests whatever still waits in the cache (items of
//! earlier runs, articles that arrived during the run) and waits for the workers. Each feed is
//! read once per pass, and only when none of its items is with a worker, so nothing is digested
//! twice.

use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use super::{digest_items_parsed, failed_story};
use crate::model::{FeedId, ItemId};
use crate::store::{IndexEntry, ItemDigests, ParsedBody, PendingItem, Result, Store};

/// Items whose digests and index entries are recorded together, in one transaction (see
/// [`Store::record_digest_batch`]).
const RECORD_BATCH: usize = 1_000;

/// Feeds read ahead for the workers, however many there are: the read-ahead (and the results it
/// turns into while the writer records) is most of the pass's memory, which must not grow with
/// the machine's cores.
const READ_AHEAD_FEEDS: usize = 16;

/// At most this many digest workers: the writer that records their results is the pass's
/// bottleneck, and two or three workers keep ahead of it (measured: eight workers, each with
/// eight feeds read ahead, took a first fetch of 25,000 items to a peak of 245 MB, against 143 MB
/// with two).
const MAX_WORKERS: usize = 3;

/// How many digest workers to start on this machine: one per core, at most [`MAX_WORKERS`].
pub fn worker_count() -> usize {
    std::thread::available_parallelism()
        .map_or(2, usize::from)
        .min(MAX_WORKERS)
}

/// The digest workers' thread name.
const WORKER_NAME: &str = "digest";

/// Every id: a feed's whole queue.
const ALL: (ItemId, ItemId) = (ItemId::MIN, ItemId::MAX);

/// A feed's items handed to a worker, numbered in the order they are recorded, with what a
/// parse of some of them gave already.
type Job = (u64, FeedId, Vec<PendingItem>, Vec<Option<ParsedBody>>);

/// What a worker gives back for a [`Job`].
type Done = (u64, FeedId, Vec<ItemDigests>);

/// The digest workers and what waits to be read, digested or recorded.
pub struct DigestPass {
    /// The workers' queue (a feed or two ahead of them); `None` once closed.
    jobs: Option<mpsc::SyncSender<Job>>,
    /// What the workers send back.
    done: mpsc::Receiver<Done>,
    workers: Vec<JoinHandle<()>>,
    /// Feeds set to `dedup = false`: recorded without story keys.
    lone: HashSet<FeedId>,
    /// Feeds queued and not read yet, with the span of ids to read.
    waiting: VecDeque<(FeedId, (ItemId, ItemId))>,
    /// Every feed queued in this pass (each is read once before [`DigestPass::finish`]).
    queued: HashSet<FeedId>,
    /// A feed read but not yet taken by a worker.
    loaded: Option<Job>,
    /// Jobs handed out so far, and the number of the next one to record.
    sent: u64,
    next: u64,
    /// Results that came back before the one to record next.
    ready: BTreeMap<u64, (FeedId, Vec<ItemDigests>)>,
    /// Results recorded at the next write, and the index entries they carry.
    batch: Vec<(FeedId, Vec<ItemDigests>)>,
    batch_items: usize,
    entries: Vec<(ItemId, IndexEntry)>,
    /// Items recorded (or about to be) so far.
    count: usize,
    /// Set when the workers are gone (they never are unless a thread could not run).
    broken: bool,
    /// What the page fetcher's parse gave of articles just stored, by item: used instead of
    /// parsing the article again (see [`DigestPass::provide`]).
    known: HashMap<ItemId, ParsedBody>,
}

impl DigestPass {
    /// Starts `threads` workers. Stored digests of an older format are dropped first and their
    /// items queued again (see [`Store::requeue_stale_digests`]).
    pub fn start(store: &mut Store, threads: usize, lone: HashSet<FeedId>) -> Result<DigestPass> {
        store.requeue_stale_digests()?;
        let threads = threads.max(1);
        // Deep enough that the workers keep going while the writer records a batch (a thousand
        // items take it tens of milliseconds; a feed takes a worker a few).
        let (job_tx, job_rx) = mpsc::sync_channel::<Job>(READ_AHEAD_FEEDS.max(threads));
        let job_rx = Arc::new(Mutex::new(job_rx));
        let (done_tx, done) = mpsc::channel::<Done>();
        // The workers yield to the thread that records their results, unless that thread runs
        // lowered already (the reader's background refresh): that refresh stays at one priority,
        // below the interface, as its keypress latency was measured.
        let yield_to_writer = super::priority::this_thread_nice().is_some_and(|n| n <= 0);
        let workers = (0..threads)
            .filter_map(|_| {
                let jobs = Arc::clone(&job_rx);
                let done = done_tx.clone();
                // Named, so that `top -H` and a profile tell them from the writer. One that
                // cannot be started is done without: with none, the pass finds its queue closed.
                let worker = std::thread::Builder::new().name(WORKER_NAME.into());
                worker
                    .spawn(move || {
                        // The writer that records the results is the bottleneck: it goes first.
                        if yield_to_writer {
                            super::priority::lower_this_thread(super::priority::WORKER_NICE);
                        }
                        loop {
                            let job = jobs.lock().map(|rx| rx.recv());
                            let Ok(Ok((n, feed, items, parsed))) = job else {
                                break;
                            };
                            // A body the parser cannot take must not stop the pass: it is recorded
                            // as failed, quietly.
                            let digests = digest_items_parsed(&items, &parsed);
                            if done.send((n, feed, digests)).is_err() {
                                break;
                            }
                        }
                    })
                    .ok()
            })
            .collect();
        Ok(DigestPass {
            jobs: Some(job_tx),
            done,
            workers,
            lone,
            waiting: VecDeque::new(),
            queued: HashSet::new(),
            loaded: None,
            sent: 0,
            next: 0,
            ready: BTreeMap::new(),
            batch: Vec::new(),
            batch_items: 0,
            entries: Vec::new(),
            count: 0,
            broken: false,
            known: HashMap::new(),
        })
    }

    /// Queues a feed whose new or changed items have just been stored; a feed already queued
    /// in this pass is left to [`DigestPass::finish`].
    pub fn queue(&mut self, feed: FeedId) {
        if self.queued.insert(feed) {
            self.waiting.push_back((feed, ALL));
        }
    }

    /// Hands over what a parse of `item`'s body (an article just stored) gave, for its digest.
    pub fn provide(&mut self, item: ItemId, parsed: ParsedBody) {
        self.known.insert(item, parsed);
    }

    /// Whether a feed is queued, with a worker, or back from one and not yet recorded (a
    /// recorded feed may still wait in the batch for its transaction).
    pub fn busy(&self) -> bool {
        !self.broken && (self.loaded.is_some() || !self.waiting.is_empty() || self.next < self.sent)
    }

    /// Does what needs no waiting: reads queued feeds for the workers while they have room,
    /// takes what they finished, and records finished feeds in order a full batch at a time.
    /// Returns whether anything was done.
    pub fn step(&mut self, store: &mut Store) -> Result<bool> {
        let mut progress = false;
        while !self.broken {
            if self.loaded.is_none() {
                let Some((feed, span)) = self.waiting.pop_front() else {
                    break;
                };
                progress = true;
                let span = match span {
                    ALL => match store.pending_digest_span(feed)? {
                        Some(span) => span,
                        None => continue,
                    },
                    span => span,
                };
                let items = store.pending_digests_within(feed, span)?;
                if items.is_empty() {
                    continue;
                }
                let parsed = if self.known.is_empty() {
                    Vec::new()
                } else {
                    items.iter().map(|i| self.known.remove(&i.id)).collect()
                };
                self.loaded = Some((self.sent, feed, items, parsed));
                self.sent += 1;
            }
            let (Some(jobs), Some(job)) = (&self.jobs, self.loaded.take()) else {
                break;
            };
            match jobs.try_send(job) {
                Ok(()) => progress = true,
                Err(mpsc::TrySendError::Full(job)) => {
                    self.loaded = Some(job);
                    break;
                }
                Err(mpsc::TrySendError::Disconnected(_)) => self.broken = true,
            }
        }
        while let Ok((n, feed, digests)) = self.done.try_recv() {
            self.ready.insert(n, (feed, digests));
            progress = true;
        }
        progress |= self.record(store, false)?;
        Ok(progress)
    }

    /// Records whatever is ready, in order, even short of a full batch: for when the writer has
    /// nothing else to do, so that what is digested shows at once.
    pub fn flush(&mut self, store: &mut Store) -> Result<bool> {
        self.record(store, true)
    }

    /// Waits up to `timeout` for a worker to finish a feed.
    pub fn wait(&mut self, timeout: Duration) {
        match self.done.recv_timeout(timeout) {
            Ok((n, feed, digests)) => {
                self.ready.insert(n, (feed, digests));
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {}
            Err(mpsc::RecvTimeoutError::Disconnected) => self.broken = true,
        }
    }

    /// Moves the results that are next in order into the batch, and writes the batch when it is
    /// full, or when `flush` and nothing recordable is left.
    fn record(&mut self, store: &mut Store, flush: bool) -> Result<bool> {
        let mut progress = false;
        while let Some((feed, mut digests)) = self.ready.remove(&self.next) {
            self.next += 1;
            self.count += digests.len();
            if self.lone.contains(&feed) {
                for d in &mut digests {
                    d.story = failed_story();
                }
            }
            self.entries.extend(
                digests
                    .iter_mut()
                    .filter_map(|d| Some((d.id, d.search.take()?))),
            );
            self.batch_items += digests.len();
            self.batch.push((feed, digests));
            if self.batch_items >= RECORD_BATCH {
                self.write(store)?;
                progress = true;
            }
        }
        if flush && self.batch_items > 0 {
            self.write(store)?;
            progress = true;
        }
        Ok(progress)
    }

    /// Records the batch in one transaction.
    fn write(&mut self, store: &mut Store) -> Result<()> {
        store.record_digest_batch(&self.batch, &self.entries)?;
        self.batch.clear();
        self.entries.clear();
        self.batch_items = 0;
        Ok(())
    }

    /// Digests what was queued and everything else that waits in the cache, and records it;
    /// while waiting for the workers it calls `idle` (which builds some of the search index,
    /// say) until that returns `false`. Returns how many items were digested in the whole pass.
    pub fn finish(
        mut self,
        store: &mut Store,
        mut idle: impl FnMut(&mut Store) -> Result<bool>,
    ) -> Result<usize> {
        let mut idle_work = true;
        let mut swept = false;
        loop {
            if !self.busy() {
                self.record(store, true)?;
                if swept || self.broken {
                    break;
                }
                // Whatever the run did not queue: earlier runs' items, articles that came in.
                swept = true;
                self.waiting.extend(store.pending_digest_spans()?);
                continue;
            }
            if self.step(store)? {
                continue;
            }
            if idle_work {
                idle_work = idle(store)?;
            } else {
                self.wait(Duration::from_millis(2));
            }
        }
        Ok(self.count)
    }
}

impl Drop for DigestPass {
    fn drop(&mut self) {
        self.jobs = None;
        for worker in self.workers.drain(..) {
            let _ = worker.join();
        }
    }
}

/// Digests every pending item of the cache with `threads` workers and records the results
/// through `store` (the index entries of items waiting for the search index too); returns how
/// many items were digested. Feeds are read and recorded by the calling thread (the one that
/// owns the write connection), a few ahead of the workers; while it waits for them it calls
/// `idle` until that returns `false`. See [`DigestPass`].
pub fn digest_pending(
    store: &mut Store,
    threads: usize,
    idle: impl FnMut(&mut Store) -> Result<bool>,
) -> Result<usize> {
    digest_pending_with(store, threads, &HashSet::new(), idle)
}

/// Digests every pending item as [`digest_pending`] does; the items of the feeds in `lone`
/// (set to `dedup = false`) are recorded with no story keys, so they join no story.
pub fn digest_pending_with(
    store: &mut Store,
    threads: usize,
    lone: &HashSet<FeedId>,
    idle: impl FnMut(&mut Store) -> Result<bool>,
) -> Result<usize> {
    DigestPass::start(store, threads, lone.clone())?.finish(store, idle)
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    /// The nice values of this process's threads named `name`, from `/proc`.
    fn nice_of_threads_named(name: &str) -> Vec<i32> {
        let mut found = Vec::new();
        for task in std::fs::read_dir("/proc/self/task")
            .expect("/proc")
            .flatten()
        {
            let comm = std::fs::read_to_string(task.path().join("comm")).unwrap_or_default();
            if comm.trim_end() != name {
                continue;
            }
            let stat = std::fs::read_to_string(task.path().join("stat")).unwrap_or_default();
            // After the name in parentheses: state is field 3, nice field 19.
            let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
            if let Some(nice) = rest.split_whitespace().nth(16).and_then(|n| n.parse().ok()) {
                found.push(nice);
            }
        }
        found
    }

    /// The digest workers' nice values once two of them are at `nice` (or after 5 s).
    fn workers_once_two_are_at(nice: i32) -> Vec<i32> {
        let deadline = std::time::Instant::now() + Duration::from_secs(5);
        let mut found = nice_of_threads_named(WORKER_NAME);
        while found.iter().filter(|&&n| n == nice).count() < 2
            && std::time::Instant::now() < deadline
        {
            std::thread::sleep(Duration::from_millis(10));
            found = nice_of_threads_named(WORKER_NAME);
        }
        found
    }

    #[test]
    fn the_workers_run_nicer_than_the_thread_that_records_their_results() {
        let mut store = Store::open_in_memory().unwrap();
        let ours = super::super::priority::this_thread_nice().expect("readable");
        let expected = (ours + super::super::priority::WORKER_NICE).min(19);
        let pass = DigestPass::start(&mut store, 2, HashSet::new()).unwrap();
        // Each worker lowers itself as it starts (other tests' workers, niced the same way, may
        // be there too).
        let nice = workers_once_two_are_at(expected);
        assert!(
            nice.iter().filter(|&&n| n == expected).count() >= 2,
            "workers at nice {expected} (this thread {ours}): {nice:?}"
        );
        assert_eq!(
            super::super::priority::this_thread_nice(),
            Some(ours),
            "the recording thread keeps its priority"
        );
        drop(pass);
    }

    #[test]
    fn started_from_a_lowered_thread_the_workers_keep_its_priority() {
        // Lowered by 5, a nice value no other test gives its digest workers.
        let (lowered, nice) = std::thread::spawn(|| {
            super::super::priority::lower_this_thread(5);
            let lowered = super::super::priority::this_thread_nice().expect("readable");
            let mut store = Store::open_in_memory().unwrap();
            let pass = DigestPass::start(&mut store, 2, HashSet::new()).unwrap();
            workers_once_two_are_at(lowered);
            // A moment more, in case a worker were to lower itself after all.
            std::thread::sleep(Duration::from_millis(50));
            let nice = nice_of_threads_named(WORKER_NAME);
            drop(pass);
            (lowered, nice)
        })
        .join()
        .unwrap();
        assert_eq!(lowered, 5, "this test starts at nice 0");
        assert!(
            nice.iter().filter(|&&n| n == lowered).count() >= 2,
            "workers at the lowered thread's nice {lowered}: {nice:?}"
        );
        assert!(
            !nice.contains(&(lowered + super::super::priority::WORKER_NICE)),
            "no worker lowered further: {nice:?}"
        );
    }
}
