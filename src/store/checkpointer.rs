//! Copying the write-ahead log back into the cache file from a thread of its own, while a
//! refresh writes.
//!
//! SQLite checkpoints on the connection that commits: the commit that takes the log past its
//! limit copies the log into the file and waits for two `fsync`s before it returns. A refresh's
//! writer is the one thread that every feed's storing and every digest's recording waits for,
//! and a first fetch of 200 feeds crossed the limit twice: about 0.28 s of the writer's time
//! spent waiting for the disk (`strace -T`: 54 + 32 ms, then 45 + 34 ms of `fsync` with the
//! copies between them), while the digest workers waited for it. A second connection may
//! checkpoint while the first writes (a `PASSIVE` checkpoint copies what is committed and
//! waits for nobody), so the writer turns its own checkpoints off and this thread does them.
//! The refresh still ends with a checkpoint of its own, on the writer, once this thread has
//! stopped: by then most of the log has been copied, and most of what it wrote is on disk
//! (this thread flushes the log as it grows and the file after each checkpoint, see
//! [`super::flush`]).

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use rusqlite::{Connection, OpenFlags};

use super::{Store, damage, flush, lock::sibling};

/// How often the thread looks at the log's size.
const POLL: Duration = Duration::from_millis(50);
/// The log's growth (in bytes of its file) past which the thread checkpoints.
const GROWTH: u64 = 32 * 1024 * 1024;
/// The log's growth (in bytes of its file) past which the thread flushes it to disk: the
/// checkpoint that ends a refresh waits for what is left.
const FLUSH_GROWTH: u64 = 8 * 1024 * 1024;
/// The longest the thread goes without a checkpoint. The log's file does not shrink when the
/// writer starts it again from its beginning, so its size misses what is written after such a
/// restart; a checkpoint with nothing to copy costs next to nothing.
const MAX_INTERVAL: Duration = Duration::from_secs(1);

/// The checkpointing thread; dropping it stops the thread and waits for a checkpoint under way
/// to end.
#[derive(Debug)]
pub struct Checkpointer {
    stop: Option<mpsc::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Store {
    /// Hands this connection's checkpoints to a thread of its own (see the module's doc), until
    /// the returned [`Checkpointer`] is dropped; this connection then checkpoints only when
    /// asked ([`Store::checkpoint`]). `None`, with this connection checkpointing as before,
    /// for a cache in memory or read-only, or when the thread's connection cannot be opened.
    pub fn checkpoint_in_background(&self) -> Option<Checkpointer> {
        let path = self.path.as_ref().filter(|_| self.read_only.is_none())?;
        let checkpointer = Checkpointer::start(path, GROWTH, POLL)?;
        if let Err(e) = self.conn.pragma_update(None, "wal_autocheckpoint", 0) {
            tracing::warn!("cannot hand the checkpoints to their own thread: {e}");
            return None;
        }
        Some(checkpointer)
    }

    /// Lets this connection checkpoint on its own again (after [`Store::checkpoint_in_background`]).
    pub fn checkpoint_on_commit(&self) -> super::Result<()> {
        self.conn
            .pragma_update(None, "wal_autocheckpoint", super::WAL_AUTOCHECKPOINT_PAGES)?;
        Ok(())
    }
}

impl Checkpointer {
    /// Starts the thread on its own connection to the cache at `cache`, checkpointing each time
    /// the log grows by `growth` bytes (looked at every `poll`), and at least every
    /// [`MAX_INTERVAL`].
    fn start(cache: &Path, growth: u64, poll: Duration) -> Option<Checkpointer> {
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX
            | OpenFlags::SQLITE_OPEN_URI;
        let conn = match Connection::open_with_flags(cache, flags) {
            Ok(conn) => conn,
            Err(e) => {
                tracing::warn!("cannot open the cache to checkpoint it: {e}");
                return None;
            }
        };
        let (stop, stopped) = mpsc::channel();
        let cache = cache.to_path_buf();
        let thread = std::thread::Builder::new()
            .name("checkpoint".into())
            .spawn(move || run(&conn, &cache, growth, poll, &stopped))
            .map_err(|e| tracing::warn!("cannot start the checkpointing thread: {e}"))
            .ok()?;
        Some(Checkpointer {
            stop: Some(stop),
            thread: Some(thread),
        })
    }
}

impl Drop for Checkpointer {
    fn drop(&mut self) {
        self.stop = None;
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// The thread's loop, until `stopped` says so (or its sender is gone).
fn run(conn: &Connection, cache: &Path, growth: u64, poll: Duration, stopped: &mpsc::Receiver<()>) {
    let wal: PathBuf = sibling(cache, "-wal");
    let mut copied_at = log_size(&wal);
    let mut flushed_at = copied_at;
    let mut last = Instant::now();
    while let Err(mpsc::RecvTimeoutError::Timeout) = stopped.recv_timeout(poll) {
        let size = log_size(&wal);
        // A log started again from its beginning (and cut back) is flushed from there.
        flushed_at = flushed_at.min(size);
        if size >= flushed_at.saturating_add(FLUSH_GROWTH) {
            flush::flush_log(&wal);
            flushed_at = size;
        }
        if size < copied_at.saturating_add(growth) && last.elapsed() < MAX_INTERVAL {
            continue;
        }
        // A cache found damaged is written by nobody any more, this thread included.
        if damage::marked(cache).is_some() {
            return;
        }
        if let Err(e) = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(())) {
            // Another checkpoint under way, say: the next one copies what this one would have.
            tracing::debug!("background checkpoint: {e}");
        }
        // What the checkpoint copied, on disk now rather than at the end of the refresh. (The
        // cache file is opened here only through a descriptor never closed, see `flush`.)
        flush::flush_cache(cache);
        copied_at = size;
        last = Instant::now();
    }
}

/// The size of the log's file, 0 when there is none.
fn log_size(wal: &Path) -> u64 {
    std::fs::metadata(wal).map_or(0, |m| m.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::testutil::wait_for;

    /// A cache in `dir` whose connection does not checkpoint on its own, and its file's path.
    fn cache_without_autocheckpoint(dir: &Path) -> (Store, PathBuf) {
        let path = dir.join("cache.db");
        let store = Store::open(&path).unwrap();
        store
            .conn
            .pragma_update(None, "wal_autocheckpoint", 0)
            .unwrap();
        (store, path)
    }

    /// Writes about `mb` MB into the cache through `store`.
    fn write_megabytes(store: &Store, mb: usize) {
        store
            .conn
            .execute_batch("CREATE TABLE IF NOT EXISTS filler (b BLOB)")
            .unwrap();
        for _ in 0..mb {
            store
                .conn
                .execute("INSERT INTO filler VALUES (randomblob(1048576))", [])
                .unwrap();
        }
    }

    /// The size of the cache's main file.
    fn file_size(path: &Path) -> u64 {
        std::fs::metadata(path).unwrap().len()
    }

    #[test]
    fn the_thread_copies_the_log_into_the_file_while_the_writer_goes_on() {
        let dir = tempfile::tempdir().unwrap();
        let (store, path) = cache_without_autocheckpoint(dir.path());
        let before = file_size(&path);
        let checkpointer = Checkpointer::start(&path, 1024 * 1024, Duration::from_millis(5));
        assert!(checkpointer.is_some(), "the thread starts");
        write_megabytes(&store, 4);
        assert!(
            wait_for(5, || file_size(&path) > before + 3 * 1024 * 1024),
            "the file grew from {before} to {} bytes only",
            file_size(&path)
        );
        drop(checkpointer);
        // The writer reads what it wrote, whether the pages are in the log or the file.
        let rows: i64 = store
            .conn
            .query_row("SELECT count(*) FROM filler", [], |r| r.get(0))
            .unwrap();
        assert_eq!(rows, 4);
    }

    #[test]
    fn without_the_thread_the_log_keeps_what_the_writer_wrote() {
        // The test above is not passed by the writer's own checkpoints.
        let dir = tempfile::tempdir().unwrap();
        let (store, path) = cache_without_autocheckpoint(dir.path());
        let before = file_size(&path);
        write_megabytes(&store, 4);
        std::thread::sleep(Duration::from_millis(100));
        assert_eq!(file_size(&path), before, "nothing copied into the file");
        assert!(log_size(&sibling(&path, "-wal")) > 4 * 1024 * 1024);
    }

    #[test]
    fn a_cache_marked_damaged_is_not_checkpointed() {
        let dir = tempfile::tempdir().unwrap();
        let (store, path) = cache_without_autocheckpoint(dir.path());
        let before = file_size(&path);
        damage::mark_damaged(&path, "test");
        let checkpointer = Checkpointer::start(&path, 1024 * 1024, Duration::from_millis(5));
        write_megabytes(&store, 4);
        // The thread has looked several times by now, and stopped at the mark.
        std::thread::sleep(Duration::from_millis(200));
        assert_eq!(file_size(&path), before, "nothing copied into the file");
        drop(checkpointer);
    }

    #[test]
    fn the_store_hands_its_checkpoints_over_and_takes_them_back() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("cache.db")).unwrap();
        let pages = |s: &Store| -> i64 {
            s.conn
                .query_row("PRAGMA wal_autocheckpoint", [], |r| r.get(0))
                .unwrap()
        };
        let checkpointer = store.checkpoint_in_background();
        assert!(checkpointer.is_some());
        assert_eq!(pages(&store), 0, "the writer's own checkpoints are off");
        drop(checkpointer);
        store.checkpoint_on_commit().unwrap();
        assert_eq!(pages(&store), super::super::WAL_AUTOCHECKPOINT_PAGES);
        // A log grown past that while the thread checkpointed is cut back when it starts again.
        let limit: i64 = store
            .conn
            .query_row("PRAGMA journal_size_limit", [], |r| r.get(0))
            .unwrap();
        assert_eq!(
            limit,
            super::super::WAL_AUTOCHECKPOINT_PAGES * super::super::PAGE_SIZE
        );
        assert!(
            Store::open_in_memory()
                .unwrap()
                .checkpoint_in_background()
                .is_none(),
            "no thread for a cache in memory"
        );
    }
}
