//! Pushing what a refresh wrote to disk from the checkpointing thread, ahead of the checkpoint
//! that must wait for it.
//!
//! A checkpoint waits for two `fsync`s: the log's before it copies, the cache file's after.
//! While the writer goes on committing, a checkpoint from another thread never reaches the end
//! of the log, and SQLite syncs the cache file only when one does, so all the pages copied
//! during a refresh were waiting in the system's cache for the checkpoint that ends it, on the
//! writer, when nothing else is left to do: in a no-latency first fetch of 200 feeds (`strace
//! -T`), 0.10 s for the log's `fsync` and 0.24 s for the file's, a fifth of the command's time
//! after its last digest. Flushed as they are written, on the checkpointing thread, they are
//! already on disk by then.
//!
//! Flushing is only ever an earlier `fdatasync`: what is durable and when is still SQLite's
//! decision, and a flush that fails changes nothing but the time the last checkpoint takes.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// A descriptor of each cache file this process has flushed, opened once and never closed.
///
/// Closing any descriptor of a file drops every POSIX lock the process holds on it (they belong
/// to the process, not the descriptor), SQLite's included: another process could then take the
/// log for its own while this one still writes, and damage the cache. A descriptor kept for the
/// process's life is never closed; there is one for each cache flushed, however many refreshes.
static KEPT: Mutex<Vec<(PathBuf, File)>> = Mutex::new(Vec::new());

/// Writes the pages copied into the cache file at `cache` to disk (`fdatasync`) through the
/// descriptor kept for it, opening it the first time. Does nothing when it cannot be opened.
pub(super) fn flush_cache(cache: &Path) {
    let Ok(mut kept) = KEPT.lock() else {
        return;
    };
    let at = match kept.iter().position(|(path, _)| path == cache) {
        Some(at) => at,
        None => match File::open(cache) {
            Ok(file) => {
                kept.push((cache.to_path_buf(), file));
                kept.len() - 1
            }
            Err(e) => {
                tracing::debug!("cannot open the cache to flush it: {e}");
                return;
            }
        },
    };
    if let Err(e) = kept[at].1.sync_data() {
        tracing::debug!("cannot flush the cache: {e}");
    }
}

/// Writes the log at `wal` to disk (`fdatasync`). SQLite takes no lock on the log's file (its
/// locks are on the cache file and the shared-memory file), so a descriptor of it is opened and
/// closed each time: one kept would keep the file's blocks after SQLite deletes it.
pub(super) fn flush_log(wal: &Path) {
    match File::open(wal) {
        Ok(file) => {
            if let Err(e) = file.sync_data() {
                tracing::debug!("cannot flush the log: {e}");
            }
        }
        // No log (yet, or any more): nothing to flush.
        Err(e) => tracing::debug!("cannot open the log to flush it: {e}"),
    }
}

/// How many descriptors are kept for `cache` (for the tests: never more than one).
#[cfg(all(test, target_os = "linux"))]
fn kept_for(cache: &Path) -> usize {
    KEPT.lock()
        .map(|kept| kept.iter().filter(|(path, _)| path == cache).count())
        .unwrap_or(0)
}

// Linux only: the tests read `/proc/self/fd` and ask with open file description locks.
#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    /// How many descriptors this process has open on `path` (other tests' files do not count).
    fn descriptors_of(path: &Path) -> usize {
        let path = std::fs::canonicalize(path).unwrap();
        std::fs::read_dir("/proc/self/fd")
            .unwrap()
            .filter_map(|fd| std::fs::read_link(fd.ok()?.path()).ok())
            .filter(|target| *target == path)
            .count()
    }

    #[test]
    fn one_descriptor_is_kept_for_a_cache_however_often_it_is_flushed() {
        let dir = tempfile::tempdir().unwrap();
        let cache = dir.path().join("cache.db");
        std::fs::write(&cache, b"pages").unwrap();
        assert_eq!(kept_for(&cache), 0);
        assert_eq!(descriptors_of(&cache), 0);
        for _ in 0..100 {
            flush_cache(&cache);
            flush_log(&cache);
        }
        assert_eq!(kept_for(&cache), 1);
        assert_eq!(descriptors_of(&cache), 1, "one descriptor, kept");
    }

    /// Whether this process holds a POSIX lock on any byte of `path`: asked as an open file
    /// description lock, which conflicts with the process's own record locks (a record lock
    /// query would not see them).
    fn locked(path: &Path) -> bool {
        use std::os::fd::AsRawFd;
        let file = File::open(path).unwrap();
        // SAFETY: an all-zero `flock` is valid; the call only writes into it.
        let mut lock: libc::flock = unsafe { std::mem::zeroed() };
        lock.l_type = libc::F_WRLCK as _;
        lock.l_whence = libc::SEEK_SET as _;
        // SAFETY: a valid descriptor and a pointer to a `flock` that outlives the call.
        let rc = unsafe { libc::fcntl(file.as_raw_fd(), libc::F_OFD_GETLK, &mut lock) };
        assert_eq!(rc, 0, "F_OFD_GETLK: {}", std::io::Error::last_os_error());
        // Closing this descriptor drops the record locks too: the caller asks once, at the end.
        i32::from(lock.l_type) != libc::F_UNLCK
    }

    #[test]
    fn flushing_keeps_sqlite_s_locks_where_closing_a_descriptor_drops_them() {
        let dir = tempfile::tempdir().unwrap();
        let cache = dir.path().join("cache.db");
        let store = crate::store::Store::open(&cache).unwrap();
        // A statement part way through holds a read transaction, and with it SQLite's lock.
        let mut stmt = store
            .conn
            .prepare("SELECT 1 FROM sqlite_master UNION ALL SELECT 2")
            .unwrap();
        let mut rows = stmt.query([]).unwrap();
        rows.next().unwrap();
        for _ in 0..3 {
            flush_cache(&cache);
        }
        assert!(locked(&cache), "SQLite's lock is still held after flushing");
        // What the kept descriptor avoids: any descriptor of the file closed drops the lock.
        assert!(
            !locked(&cache),
            "closing the first query's descriptor dropped it"
        );
    }

    #[test]
    fn a_missing_file_is_not_kept_and_is_no_error() {
        let dir = tempfile::tempdir().unwrap();
        let cache = dir.path().join("absent.db");
        flush_cache(&cache);
        flush_log(&dir.path().join("absent.db-wal"));
        assert_eq!(kept_for(&cache), 0);
    }
}
