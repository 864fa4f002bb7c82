//! A large write-ahead log deleted without waiting for its disk blocks to be freed.
//!
//! SQLite deletes the log when the last connection closes, at the very end of a command. On an
//! ext4 file system mounted with `discard` (as this project's test machine's is), unlinking a
//! file whose blocks are on disk waits for them to be freed and discarded: 90 ms for the 149 MB
//! log of a 200-feed first fetch and 0.30 s for the log of a 500-feed one (`strace -T`), a
//! twentieth of the whole command, spent after everything else is done. A plain file behaves the
//! same (freeing its blocks with `ftruncate` or a punched hole takes as long; dropping its pages
//! from memory, 8 ms of it).
//!
//! So when [`free_large_logs_elsewhere`] has been called (the binary does), a log of at least
//! that size is renamed to a hidden name beside the cache, which frees its own name at once as
//! deleting it would, and a short-lived process of its own unlinks it: the command returns
//! while the blocks are freed. That process is a grandchild (the child exits at once and is
//! waited for, so no process is left unreaped), does nothing between `fork` and `_exit` but
//! close its descriptors and unlink (both safe after a `fork` in a program with threads), and
//! is given the name as a C string made before the fork. When the rename or the fork fails the
//! log is deleted here, as SQLite would have. A name left behind (the machine stopped before the
//! grandchild unlinked it) is removed the next time the cache is opened for writing.

use std::ffi::{CStr, CString};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// Logs at least this large are freed by another process; `u64::MAX`: none are.
static ABOVE: AtomicU64 = AtomicU64::new(u64::MAX);

/// Has logs of at least `bytes` freed by another process from now on (see the module's doc).
pub fn free_large_logs_elsewhere(bytes: u64) {
    ABOVE.store(bytes, Ordering::Relaxed);
}

/// The hidden names a log of the cache at `wal` is given on its way out start with this.
fn leftover_prefix(wal: &Path) -> Option<String> {
    let name = wal.file_name()?.to_str()?;
    Some(format!(".{name}.freeing-"))
}

/// How many logs SQLite has had deleted this way in this process.
static HANDED: AtomicU64 = AtomicU64::new(0);

/// Deletes the log at `wal` the way the module's doc says, when it is large enough and this
/// process asked for it; returns false when it did nothing (the caller deletes it then).
pub(super) fn delete(wal: &CStr) -> bool {
    let above = ABOVE.load(Ordering::Relaxed);
    if above == u64::MAX {
        return false;
    }
    let done = wal
        .to_str()
        .is_ok_and(|wal| delete_above(Path::new(wal), above));
    if done {
        HANDED.fetch_add(1, Ordering::Relaxed);
    }
    done
}

/// Deletes the log at `wal` as [`delete`] does when it holds at least `above` bytes.
fn delete_above(wal: &Path, above: u64) -> bool {
    if !wal
        .file_name()
        .is_some_and(|n| n.to_string_lossy().ends_with("-wal"))
    {
        return false;
    }
    let Ok(meta) = std::fs::metadata(wal) else {
        return false;
    };
    if meta.len() < above {
        return false;
    }
    let Some(prefix) = leftover_prefix(wal) else {
        return false;
    };
    static SEQUENCE: AtomicU64 = AtomicU64::new(0);
    let n = SEQUENCE.fetch_add(1, Ordering::Relaxed);
    let hidden = wal.with_file_name(format!("{prefix}{}-{n}", std::process::id()));
    let Ok(c_hidden) = CString::new(hidden.as_os_str().as_encoded_bytes()) else {
        return false;
    };
    if std::fs::rename(wal, &hidden).is_err() {
        return false;
    }
    if !unlink_in_grandchild(&c_hidden) {
        let _ = std::fs::remove_file(&hidden);
    }
    true
}

/// Unlinks `path` in a grandchild process; false when it could not be started.
fn unlink_in_grandchild(path: &CStr) -> bool {
    // SAFETY: between `fork` and `_exit` the children call only `fork`, `setsid`, `syscall`
    // (`close_range`), `close`, `unlink` and `_exit`, all safe in the child of a process with
    // threads; `path` was made before the fork. The parent waits for its child, which exits at
    // once.
    unsafe {
        let child = libc::fork();
        if child < 0 {
            return false;
        }
        if child == 0 {
            let grandchild = libc::fork();
            if grandchild == 0 {
                // Out of the terminal's session, so that neither its signals (an interrupt
                // typed just after the command returned) nor a shell's job control reach it.
                libc::setsid();
                // Nothing inherited stays open: a pipe reading the command's output sees its
                // end when the command exits, not when the blocks are free.
                close_all();
                libc::unlink(path.as_ptr());
                libc::_exit(0);
            }
            // The child's status says whether the grandchild started.
            libc::_exit(i32::from(grandchild < 0));
        }
        let mut status = 0;
        while libc::waitpid(child, &mut status, 0) < 0 {
            if std::io::Error::last_os_error().kind() != std::io::ErrorKind::Interrupted {
                return false;
            }
        }
        libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0
    }
}

/// Closes every descriptor, in a child after `fork` (only async-signal-safe calls).
unsafe fn close_all() {
    // SAFETY: closing descriptors is all these calls do.
    unsafe {
        #[cfg(target_os = "linux")]
        if libc::syscall(libc::SYS_close_range, 0u32, u32::MAX, 0u32) == 0 {
            return;
        }
        for fd in 0..1024 {
            libc::close(fd);
        }
    }
}

/// Removes the hidden names a log of the cache at `cache` was given by a process that did not
/// unlink them (see the module's doc).
pub(super) fn remove_leftovers(cache: &Path) {
    let wal = super::lock::sibling(cache, "-wal");
    let (Some(dir), Some(prefix)) = (wal.parent(), leftover_prefix(&wal)) else {
        return;
    };
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let left: Vec<PathBuf> = entries
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with(&prefix))
        .map(|e| e.path())
        .collect();
    for path in left {
        tracing::info!("removing a log left behind: {}", path.display());
        let _ = std::fs::remove_file(path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    /// The names in `dir` that start with `prefix`.
    fn named(dir: &Path, prefix: &str) -> Vec<String> {
        std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with(prefix))
            .collect()
    }

    /// Waits up to 10 s for `dir` to hold no name starting with `prefix`.
    fn gone_soon(dir: &Path, prefix: &str) -> bool {
        crate::store::testutil::wait_for(10, || named(dir, prefix).is_empty())
    }

    #[test]
    fn a_large_log_loses_its_name_at_once_and_its_file_soon_after() {
        let dir = tempfile::tempdir().unwrap();
        let wal = dir.path().join("c.db-wal");
        std::fs::write(&wal, vec![7u8; 2 << 20]).unwrap();
        assert!(delete_above(&wal, 1 << 20));
        assert!(
            !wal.exists(),
            "the log's name is free when the call returns"
        );
        assert!(
            gone_soon(dir.path(), ".c.db-wal.freeing-"),
            "the file is unlinked"
        );
        assert!(named(dir.path(), "").is_empty(), "nothing else is left");
    }

    #[test]
    fn small_logs_and_other_files_are_left_to_the_caller() {
        let dir = tempfile::tempdir().unwrap();
        let wal = dir.path().join("c.db-wal");
        std::fs::write(&wal, vec![7u8; 1000]).unwrap();
        assert!(!delete_above(&wal, 1 << 20));
        assert!(wal.exists());
        let db = dir.path().join("c.db");
        std::fs::write(&db, vec![7u8; 2 << 20]).unwrap();
        assert!(!delete_above(&db, 1 << 20), "only logs");
        assert!(db.exists());
        assert!(
            !delete_above(&dir.path().join("none.db-wal"), 0),
            "nothing there"
        );
    }

    #[test]
    fn a_closing_cache_hands_its_large_log_over_and_keeps_every_row() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.db");
        // Process-wide, but whether a log is unlinked here or by another process changes
        // nothing other tests can see: its name is gone when the call returns either way.
        free_large_logs_elsewhere(1 << 20);
        let handed = HANDED.load(Ordering::Relaxed);
        {
            let store = Store::open(&path).unwrap();
            store
                .conn
                .pragma_update(None, "wal_autocheckpoint", 0)
                .unwrap();
            store
                .conn
                .execute_batch("CREATE TABLE filler (b BLOB)")
                .unwrap();
            for _ in 0..4 {
                store
                    .conn
                    .execute("INSERT INTO filler VALUES (randomblob(1048576))", [])
                    .unwrap();
            }
            assert!(
                std::fs::metadata(dir.path().join("c.db-wal"))
                    .unwrap()
                    .len()
                    > 4 << 20
            );
        }
        assert!(
            HANDED.load(Ordering::Relaxed) > handed,
            "deleted through this module"
        );
        assert!(!dir.path().join("c.db-wal").exists());
        assert!(gone_soon(dir.path(), ".c.db-wal.freeing-"));
        let store = Store::open(&path).unwrap();
        let rows: i64 = store
            .conn
            .query_row("SELECT count(*) FROM filler", [], |r| r.get(0))
            .unwrap();
        assert_eq!(rows, 4);
    }

    #[test]
    fn opening_a_cache_removes_what_an_interrupted_unlink_left_of_its_logs_only() {
        let dir = tempfile::tempdir().unwrap();
        let left = dir.path().join(".c.db-wal.freeing-1-0");
        let other = dir.path().join(".d.db-wal.freeing-1-0");
        std::fs::write(&left, b"old log").unwrap();
        std::fs::write(&other, b"another cache's").unwrap();
        let _store = Store::open(&dir.path().join("c.db")).unwrap();
        assert!(!left.exists());
        assert!(other.exists());
    }
}
