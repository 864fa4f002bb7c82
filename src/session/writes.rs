//! The reader's writes (read and starred marks, mark-all and its undo, view settings, saved
//! queries) never hold up its reads. The cache worker tries each write without waiting for the
//! write lock; when another connection holds it (the reader's own refresh storing, digesting
//! and indexing, or a `tidings fetch` from cron), the write goes to a thread of its own with a
//! second connection, which waits for the lock and stores the writes in the order they were
//! made, while the worker goes on answering the interface. Once that queue is empty again, the
//! thread sends the feed list with its counts as they now are.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{self, Sender};

use crate::app::msg::{Command, Msg};
use crate::content::dedup::DedupOptions;
use crate::store::{Result, Store};

/// How a store command is carried out (the worker's `execute_with`), handed in so that this
/// module does not reach back into the worker.
pub type Execute = fn(&Store, Command, &DedupOptions) -> Result<Option<Msg>>;

/// Whether a command writes to the cache (and so may have to wait for the write lock).
pub fn is_write(cmd: &Command) -> bool {
    matches!(
        cmd,
        Command::SetRead(..)
            | Command::SetStarred(..)
            | Command::MarkAllRead(_)
            | Command::UndoMarkAll(_)
            | Command::SaveViewSetting { .. }
            | Command::SaveQuery { .. }
            | Command::EditFeed(_)
            | Command::QueueDownload { .. }
            | Command::UndoRules
    )
}

/// The writes that met the write lock, and the thread that stores them when it is free.
pub struct Deferred {
    /// The cache file (`None` in memory, where nothing else can hold the lock).
    path: Option<PathBuf>,
    results: Sender<Msg>,
    dedup: DedupOptions,
    execute: Execute,
    /// The waiting thread's queue, started on the first write that meets the lock.
    queue: Option<Sender<Command>>,
    /// The waiting thread, joined when the worker stops so that no write is lost on quitting.
    thread: Option<std::thread::JoinHandle<()>>,
    /// Writes handed to the thread and not yet carried out.
    pending: Arc<AtomicUsize>,
}

impl Deferred {
    /// No write waiting yet; writes are carried out with `execute`, and the results of deferred
    /// ones go to `results`.
    pub fn new(
        path: Option<PathBuf>,
        results: Sender<Msg>,
        dedup: DedupOptions,
        execute: Execute,
    ) -> Deferred {
        Deferred {
            path,
            results,
            dedup,
            execute,
            queue: None,
            thread: None,
            pending: Arc::new(AtomicUsize::new(0)),
        }
    }

    /// How many writes wait for the write lock.
    pub fn pending(&self) -> usize {
        self.pending.load(Ordering::Acquire)
    }

    /// Carries out one write on `store` at once when the lock is free and no earlier write still
    /// waits; otherwise queues it behind those (its result, if any, is sent when it is done) and
    /// returns `Ok(None)` without waiting.
    pub fn write(&mut self, store: &Store, cmd: Command) -> Result<Option<Msg>> {
        if self.path.is_none() {
            return (self.execute)(store, cmd, &self.dedup);
        }
        if self.pending() == 0 {
            // Commands hold what they carry, so a failed try must not consume the command.
            match store.without_waiting(|s| (self.execute)(s, cmd.clone(), &self.dedup)) {
                Err(e) if e.is_busy() => {}
                done => return done,
            }
        }
        self.defer(cmd);
        Ok(None)
    }

    fn defer(&mut self, cmd: Command) {
        self.pending.fetch_add(1, Ordering::AcqRel);
        let queue = self.queue.get_or_insert_with(|| {
            let (tx, rx) = mpsc::channel::<Command>();
            let path = self.path.clone().expect("only a cache file defers");
            let (results, dedup, pending, execute) = (
                self.results.clone(),
                self.dedup,
                Arc::clone(&self.pending),
                self.execute,
            );
            self.thread = Some(std::thread::spawn(move || {
                wait_and_write(&path, rx, &results, &dedup, &pending, execute)
            }));
            tx
        });
        if queue.send(cmd).is_err() {
            self.pending.fetch_sub(1, Ordering::AcqRel);
        }
    }
}

impl Drop for Deferred {
    /// Waits until the writes still queued are stored (or have failed): quitting the reader
    /// while a refresh holds the lock must not lose a read mark.
    fn drop(&mut self) {
        self.queue.take();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// The waiting thread: opens its own connection, carries the writes out in order (each waits for
/// the lock as long as any write does), and once none is left sends the feed list again. It
/// ends when the worker drops its queue and every write in it is done.
fn wait_and_write(
    path: &std::path::Path,
    rx: mpsc::Receiver<Command>,
    results: &Sender<Msg>,
    dedup: &DedupOptions,
    pending: &AtomicUsize,
    execute: Execute,
) {
    let mut opened: Option<Store> = None;
    for cmd in rx {
        if opened.is_none() {
            match Store::open(path) {
                Ok(store) => opened = Some(store),
                Err(e) => {
                    tracing::warn!("cannot open a second connection for the reader's writes: {e}");
                    let _ = results.send(Msg::Error(format!("a change was not saved: {e}")));
                    pending.fetch_sub(1, Ordering::AcqRel);
                    continue;
                }
            }
        }
        let store = opened.as_ref().expect("opened above");
        let done = execute(store, cmd, dedup);
        let left = pending.fetch_sub(1, Ordering::AcqRel) - 1;
        let msg = match done {
            Ok(msg) => msg,
            Err(e) => {
                tracing::warn!("store write failed: {e}");
                Some(Msg::Error(store.note_error(e).to_string()))
            }
        };
        // The interface may be gone (the reader is quitting): the writes are stored all the same.
        let listening = msg.is_none_or(|msg| results.send(msg).is_ok());
        if left == 0 && listening {
            match execute(store, Command::LoadFeeds, dedup) {
                Ok(Some(msg)) => {
                    let _ = results.send(msg);
                }
                Ok(None) => {}
                Err(e) => tracing::warn!("cannot load the feeds after the reader's writes: {e}"),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use crate::app::msg::{Command, Msg};
    use crate::content::dedup::DedupOptions;
    use crate::model::{BodyKind, ItemId, ItemQuery, ParsedItem, View};
    use crate::session::worker::serve;
    use crate::store::{FeedUpdate, Store};

    /// Long enough for anything this machine does; a reply that takes longer is a failure.
    const PATIENCE: Duration = Duration::from_secs(60);

    /// A cache file with one feed of three items; returns the items' ids, newest first.
    fn cache(path: &std::path::Path) -> Vec<ItemId> {
        let mut store = Store::open(path).unwrap();
        let feed = store
            .add_feed("https://example.test/f.xml", None, &[])
            .unwrap();
        let items = (0..3)
            .map(|i| ParsedItem {
                key: format!("k{i}"),
                guid: Some(format!("k{i}")),
                link: None,
                title: format!("Item {i}"),
                author: None,
                published: Some(1_000_000 - i * 60),
                content: format!("<p>Body {i}</p>"),
                content_kind: BodyKind::Html,
                base: None,
                enclosures: Vec::new(),
            })
            .collect();
        let update = FeedUpdate {
            fetched_at: 1_000_000,
            items,
            ..FeedUpdate::default()
        };
        store.store_feed_update(feed, &update).unwrap();
        let rows = store.headlines(&ItemQuery::new(View::All), 0, 10).unwrap();
        rows.into_iter().map(|h| h.id).collect()
    }

    /// Another connection holding the write lock, as a refresh's writer does mid-transaction.
    fn hold_the_write_lock(path: &std::path::Path) -> rusqlite::Connection {
        let conn = rusqlite::Connection::open(path).unwrap();
        conn.execute_batch("BEGIN IMMEDIATE").unwrap();
        conn
    }

    fn load_all() -> Command {
        Command::LoadHeadlines {
            query: ItemQuery::new(View::All),
            offset: 0,
            limit: 10,
        }
    }

    /// Waits for the first message `pick` accepts, skipping others.
    fn wait_for<T>(rx: &std::sync::mpsc::Receiver<Msg>, pick: impl Fn(Msg) -> Option<T>) -> T {
        loop {
            let msg = rx.recv_timeout(PATIENCE).expect("a reply");
            if let Some(found) = pick(msg) {
                return found;
            }
        }
    }

    #[test]
    fn marking_read_while_a_writer_holds_the_lock_does_not_hold_up_the_reads_after_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cache.db");
        let ids = cache(&path);
        let writer = hold_the_write_lock(&path);
        let (cmd_tx, cmd_rx) = std::sync::mpsc::channel();
        let (msg_tx, msg_rx) = std::sync::mpsc::channel();
        let store = Store::open(&path).unwrap();
        let worker =
            std::thread::spawn(move || serve(store, cmd_rx, msg_tx, DedupOptions::default()));
        cmd_tx.send(Command::SetRead(ids[0], true)).unwrap();
        cmd_tx.send(load_all()).unwrap();
        // The lock is still held: the list comes anyway, and the mark did not fail.
        let first = msg_rx.recv_timeout(PATIENCE).expect("a reply");
        let Msg::HeadlinesLoaded { rows, .. } = first else {
            panic!("the list should come first, not {first:?}");
        };
        assert_eq!(rows.len(), 3);
        assert!(
            !Store::open(&path).unwrap().item(ids[0]).unwrap().read,
            "not stored while the lock is held"
        );
        // Once the lock is free, the mark is stored and the counts come again.
        writer.execute_batch("COMMIT").unwrap();
        let totals = wait_for(&msg_rx, |m| match m {
            Msg::FeedsLoaded(_, totals) => Some(totals),
            Msg::Error(e) => panic!("{e}"),
            _ => None,
        });
        assert_eq!(totals.unread, 2);
        assert!(Store::open(&path).unwrap().item(ids[0]).unwrap().read);
        drop(cmd_tx);
        worker.join().unwrap();
    }

    #[test]
    fn writes_made_while_the_lock_is_held_are_stored_in_their_order() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cache.db");
        let ids = cache(&path);
        let writer = hold_the_write_lock(&path);
        let (cmd_tx, cmd_rx) = std::sync::mpsc::channel();
        let (msg_tx, msg_rx) = std::sync::mpsc::channel();
        let store = Store::open(&path).unwrap();
        let worker =
            std::thread::spawn(move || serve(store, cmd_rx, msg_tx, DedupOptions::default()));
        cmd_tx.send(Command::SetRead(ids[1], true)).unwrap();
        cmd_tx.send(Command::SetStarred(ids[1], true)).unwrap();
        cmd_tx.send(Command::SetRead(ids[1], false)).unwrap();
        cmd_tx.send(Command::SetRead(ids[2], true)).unwrap();
        cmd_tx.send(load_all()).unwrap();
        wait_for(&msg_rx, |m| match m {
            Msg::HeadlinesLoaded { .. } => Some(()),
            Msg::Error(e) => panic!("{e}"),
            _ => None,
        });
        writer.execute_batch("COMMIT").unwrap();
        let totals = wait_for(&msg_rx, |m| match m {
            Msg::FeedsLoaded(_, totals) => Some(totals),
            Msg::Error(e) => panic!("{e}"),
            _ => None,
        });
        assert_eq!((totals.unread, totals.starred), (2, 1));
        let store = Store::open(&path).unwrap();
        let second = store.item(ids[1]).unwrap();
        assert!(!second.read && second.starred, "the last word on it counts");
        assert!(store.item(ids[2]).unwrap().read);
        // With the lock free and nothing waiting, a write is carried out at once again.
        cmd_tx.send(Command::SetRead(ids[0], true)).unwrap();
        cmd_tx.send(Command::LoadFeeds).unwrap();
        let totals = wait_for(&msg_rx, |m| match m {
            Msg::FeedsLoaded(_, totals) => Some(totals),
            Msg::Error(e) => panic!("{e}"),
            _ => None,
        });
        assert_eq!(totals.unread, 1);
        drop(cmd_tx);
        worker.join().unwrap();
    }
}
